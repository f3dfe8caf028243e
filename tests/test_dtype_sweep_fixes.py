"""1-d arrays of every dtype through the library functions tests/dtype_sweep.py
found pyjit refusing or answering differently from NumPy: the ufuncs of
complex numbers, np.fix, np.heaviside and np.angle of integers and
booleans, the products of bool and int8 vectors, the mean of float32.
Each compares value and dtype with NumPy over seeded random arrays and
checks nopython compilation."""
import warnings

import numpy as np
import pytest

from pyjit import njit

from difftest import assert_compiled

RNG = np.random.default_rng(22)

REAL = ("bool", "int8", "int64", "uint64", "float32", "float64")


def arrays(dtype, n=7):
    """Seeded random 1-d arrays of dtype, with signs and zeros (a NaN
    among floats, special values among complex numbers)."""
    kind = np.dtype(dtype).kind
    out = []
    for _ in range(3):
        if kind == "b":
            v = RNG.integers(0, 2, n).astype(bool)
        elif kind in "iu":
            lo = 0 if kind == "u" else -9
            v = RNG.integers(lo, 10, n).astype(dtype)
        elif kind == "f":
            v = (RNG.normal(0, 4, n) * RNG.integers(0, 2, n)).astype(dtype)
        else:
            v = (RNG.normal(0, 3, n) + 1j * RNG.normal(0, 3, n)).astype(dtype)
        out.append(v)
    if kind == "f":
        out.append(np.array([np.nan, -0.0, 2.5, -3.0], dtype))
    if kind == "c":
        out.append(np.array([0j, complex(np.nan, 0.0), complex(np.inf, 0.0),
                             complex(0.0, np.inf), 30 - 2j, -30 + 1j, 1e-9j],
                            dtype))
    return out


def run(f, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = f(*args)
        with np.errstate(all="ignore"):
            want = f.py_func(*args)
    assert_compiled(f)
    return got, want


def close(got, want, rtol):
    """Same dtype, shape and values (NaN as NaN, each part of a complex
    number to rtol)."""
    got = np.asarray(got)
    want = np.asarray(want)
    assert got.dtype == want.dtype and got.shape == want.shape, (got, want)
    if want.dtype.kind == "c":
        close(got.real, want.real, rtol)
        close(got.imag, want.imag, rtol)
    elif want.dtype.kind == "f":
        assert np.allclose(got, want, rtol=rtol, atol=1e-300,
                           equal_nan=True), (got, want)
    else:
        assert np.array_equal(got, want), (got, want)


def number(got, want, rtol=0):
    """A number pyjit returns for NumPy's scalar: the value of its kind
    (a float or complex number to rtol: a sum taken in another order)."""
    assert not isinstance(got, np.ndarray)
    kind = {"b": bool, "i": int, "u": int, "f": float, "c": complex}
    assert isinstance(got, kind[np.asarray(want).dtype.kind]), (got, want)
    close(np.asarray(got, want.dtype), want, rtol)


# --- complex numbers through the ufuncs of floats -------------------------

# the ufuncs by their position: each branch types for the same argument
COMPLEX_UFUNCS = ("sqrt", "exp", "log", "log10", "log2", "exp2", "expm1",
                  "log1p", "sin", "cos", "tan", "sinh", "cosh", "tanh")
TESTS = ("isnan", "isinf", "isfinite")


@njit
def complex_ufunc(z, k):
    if k == 0:
        return np.sqrt(z)
    if k == 1:
        return np.exp(z)
    if k == 2:
        return np.log(z)
    if k == 3:
        return np.log10(z)
    if k == 4:
        return np.log2(z)
    if k == 5:
        return np.exp2(z)
    if k == 6:
        return np.expm1(z)
    if k == 7:
        return np.log1p(z)
    if k == 8:
        return np.sin(z)
    if k == 9:
        return np.cos(z)
    if k == 10:
        return np.tan(z)
    if k == 11:
        return np.sinh(z)
    if k == 12:
        return np.cosh(z)
    return np.tanh(z)


@njit
def complex_test(z, k):
    if k == 0:
        return np.isnan(z)
    if k == 1:
        return np.isinf(z)
    return np.isfinite(z)


@pytest.mark.parametrize("dtype", ["complex128", "complex64"])
def test_complex_ufuncs(dtype):
    rtol = 1e-12 if dtype == "complex128" else 2e-6
    for a in arrays(dtype):
        for k in range(len(COMPLEX_UFUNCS)):
            got, want = run(complex_ufunc, a, k)
            close(got, want, rtol)
            # on one number: a complex number
            got, want = run(complex_ufunc, a[1], k)
            close(np.asarray(got, want.dtype), want, rtol)
        for k in range(len(TESTS)):
            close(*run(complex_test, a, k), 0)
            got, want = run(complex_test, a[1], k)
            number(got, want)


# --- np.fix, np.heaviside, np.angle of every real dtype -------------------

@njit
def fix(a):
    return np.fix(a)


@njit
def heaviside_number(a):
    return np.heaviside(a, 0.5)


@njit
def heaviside(a, b):
    return np.heaviside(a, b)


@njit
def angle(a):
    return np.angle(a), np.angle(a, True)


@pytest.mark.parametrize("dtype", REAL)
def test_fix_heaviside_angle(dtype):
    for a in arrays(dtype):
        close(*run(fix, a), 0)
        close(*run(heaviside_number, a), 0)
        # (of two bool or int8 arrays NumPy's is float16, which pyjit
        # does not have)
        own = [a] if np.dtype(dtype).itemsize > 1 else []
        for b in arrays("float64", len(a))[:2] + own:
            close(*run(heaviside, a, b), 0)
        close(*run(heaviside, a, np.full((2, 1), 0.25)), 0)
        if dtype != "int8":     # NumPy's angle of int8 is float16
            for got, want in zip(*run(angle, a)):
                close(got, want, 1e-15)
    # 0-d arrays are numbers, as NumPy's scalars
    number(*run(fix, arrays(dtype)[0][:1].reshape(())))


# --- products of vectors keep NumPy's dtype -------------------------------

@njit
def products(a, b):
    return np.vdot(a, b), np.dot(a, b), np.outer(a, b), np.kron(a, b)


PAIRS = [("bool", "bool"), ("int8", "int8"), ("bool", "int64"),
         ("int64", "float64"), ("uint64", "uint64"), ("float32", "float32"),
         ("complex128", "complex128")]


@pytest.mark.parametrize("da,db", PAIRS)
def test_vector_products(da, db):
    for a, b in zip(arrays(da), arrays(db)):
        got, want = run(products, a, b)
        for g, w in zip(got[:2], want[:2]):
            if w.dtype.kind in "fc":
                assert isinstance(g, (float, complex))
                assert np.isclose(g, w, rtol=1e-6, equal_nan=True), (g, w)
            else:
                number(g, w)
        for g, w in zip(got[2:], want[2:]):
            close(g, w, 1e-14)      # a complex product rounds otherwise


# --- the mean in the dtype's own precision --------------------------------

@njit
def means(a):
    return np.mean(a), a.mean()


@pytest.mark.parametrize("dtype", REAL + ("complex128", "complex64"))
def test_mean(dtype):
    rtol = 1e-6 if dtype == "complex64" else 1e-15
    for a in arrays(dtype) + [arrays(dtype)[0][:0]]:
        got, want = run(means, a)
        for g, w in zip(got, want):
            number(g, w, rtol)
            if dtype == "float32":      # computed in float32, as NumPy's
                assert g == w.item() or g != g, (g, w)


# --- extremes of complex numbers, in NumPy's order ------------------------

@njit
def extremes(a):
    return (np.max(a), np.min(a), a.max(), a.min(), np.amax(a), np.amin(a),
            np.argmax(a), np.argmin(a), np.ptp(a))


@njit
def nan_extremes(a):
    return np.nanmax(a), np.nanmin(a), np.nanargmax(a), np.nanargmin(a)


@pytest.mark.parametrize("dtype", ["complex128", "complex64"])
def test_complex_extremes(dtype):
    ties = np.array([1 + 2j, 1 + 3j, -1 + 5j, 2 - 1j, 2 - 3j, -1 + 4j], dtype)
    for a in arrays(dtype) + [ties, ties[::-1]]:
        for g, w in zip(*run(extremes, a)):
            number(g, w)
        if not np.isnan(a).all():
            for g, w in zip(*run(nan_extremes, a)):
                number(g, w)


# --- np.round of complex numbers: each part ------------------------------

@njit
def rounds(a):
    return np.round(a), np.around(a, 1), a.round(), np.round(a, -1)


@pytest.mark.parametrize("dtype", ["complex128", "complex64"])
def test_round_complex(dtype):
    halves = np.array([0.5 + 1.5j, -2.5 - 0.5j, 1.25 + 14.45j, 15 - 25j],
                      dtype)
    for a in arrays(dtype) + [halves]:
        for g, w in zip(*run(rounds, a)):
            close(g, w, 0)
    for g, w in zip(*run(rounds, halves[:1].reshape(()))):
        number(g, w)


# --- np.maximum, np.minimum, np.fmax, np.fmin of complex numbers ----------

@njit
def pairwise_extremes(a, b):
    return np.maximum(a, b), np.minimum(a, b), np.fmax(a, b), np.fmin(a, b)


def _parts(g, w):
    """The same complex numbers, part by part (NaN parts as NaN)."""
    close(np.asarray(g).real, np.asarray(w).real, 0)
    close(np.asarray(g).imag, np.asarray(w).imag, 0)


@pytest.mark.parametrize("db", ["complex128", "complex64", "float64",
                                "int64"])
def test_complex_pairwise_extremes(db):
    ties = np.array([1 + 2j, 1 + 3j, complex(np.nan, 0), 2 - 1j,
                     complex(1, np.nan), 0j, 1 + 1j])
    for a in arrays("complex128") + [ties]:
        mirrored = a[::-1] if db[0] == "c" else a.real[::-1]
        others = [b for b in arrays(db, len(a)) if len(b) == len(a)]
        for b in others + [mirrored.astype(db)]:
            for g, w in zip(*run(pairwise_extremes, a, b)):
                assert g.dtype == w.dtype
                _parts(g, w)
    for g, w in zip(*run(pairwise_extremes, ties[0], ties[1])):
        assert isinstance(g, complex)
        _parts(g, w)


# --- np.tril and np.triu of a 1-d array: the rows of a square -------------

@njit
def triangles(a, k):
    return np.tril(a, k), np.triu(a, k)


@pytest.mark.parametrize("dtype", REAL + ("complex128",))
def test_triangles_of_a_row(dtype):
    for a in arrays(dtype):
        for k in (-2, 0, 1, 9):
            for g, w in zip(*run(triangles, a, k)):
                close(g, w, 0)


# --- np.linalg.norm and np.average in the dtype's precision, np.select
# --- with a Python number as default --------------------------------------

@njit
def norms(a):
    return np.linalg.norm(a), np.linalg.norm(a.reshape((1, a.size)))


@njit
def average(a):
    return np.average(a)


@njit
def selects(c, a):
    return (np.select([c], [a]), np.select([c], [a], 0.5),
            np.select([c, ~c], [a, a], -1))


@pytest.mark.parametrize("dtype", REAL + ("complex128", "complex64"))
def test_norm_average_select(dtype):
    for a in arrays(dtype):
        # float32 norms are float32, summed in another order than NumPy's
        # BLAS sums them (an ulp apart for some of the arrays the shared
        # RNG gives, which depend on the order tests run in); complex64's
        # too
        rtol = {"float32": 1e-6, "complex64": 1e-6}.get(dtype, 1e-15)
        for g, w in zip(*run(norms, a)):
            number(g, w, rtol)
        number(*run(average, a), 1e-6 if dtype == "complex64" else 1e-15)
        c = RNG.integers(0, 2, len(a)).astype(bool)
        for g, w in zip(*run(selects, c, a)):
            close(g, w, 0)


# --- np.sinc keeps float32 and complex dtypes, computed as NumPy does -----

@njit
def sinc(a):
    return np.sinc(a)


@pytest.mark.parametrize("dtype", REAL + ("complex128", "complex64"))
def test_sinc(dtype):
    # at the integers sin(pi x) is 0 but for the rounding of pi x, which
    # in float32 is far from 0
    whole = np.array([4.0, 3.0, -2.0, 0.0, 0.5, 1.0])
    whole = (np.abs(whole) if np.dtype(dtype).kind in "ub" else whole)
    whole = whole.astype(dtype)
    # (NumPy's complex64 sine is float32's own, a few ulps from exact)
    rtol = {"float32": 1e-6, "complex64": 1e-5}.get(dtype, 1e-13)
    for a in arrays(dtype) + [whole]:
        close(*run(sinc, a), rtol)
    number(*run(sinc, whole[:1].reshape(())), rtol)


# --- np.reciprocal of complex numbers divides as NumPy's loop --------------

@njit
def reciprocal(a):
    return np.reciprocal(a)


def _bits(g, w):
    """The same numbers to the bit: NaN as NaN, zeros with their sign."""
    assert np.asarray(g).dtype == np.asarray(w).dtype
    assert repr(np.asarray(g).tolist()) == repr(np.asarray(w).tolist()), \
        (g, w)


@pytest.mark.parametrize("dtype", ["complex128", "complex64"])
def test_reciprocal_complex(dtype):
    special = np.array([0j, 3 + 0j, -2 + 0j, 4j, complex(np.nan, 1),
                        complex(np.inf, 0), 1e30 + 1e30j], dtype)
    for a in arrays(dtype) + [special]:
        _bits(*run(reciprocal, a))
    got, want = run(reciprocal, special[1])
    assert isinstance(got, complex) and repr(got) == repr(want.item())
