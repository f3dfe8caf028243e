"""Complex arrays through the library functions tests/dtype_sweep.py found
pyjit refusing: sorting in NumPy's order of complex numbers (np.sort,
a.sort(), np.argsort, np.searchsorted, np.unique, np.isin,
np.partition), np.cov and np.corrcoef, and the inverse trigonometric and
hyperbolic ufuncs with their branch cuts, signed zeros and special values.
Each compares with NumPy and checks nopython compilation."""
import cmath
import itertools
import warnings

import numpy as np
import pytest

from pyjit import njit

from difftest import assert_compiled

RNG = np.random.default_rng(23)
COMPLEX = ("complex64", "complex128")
NAN = float("nan")
INF = float("inf")


def sortable(dtype, n):
    """n complex numbers with ties in the real part, signed zeros, and NaN
    in the real part, the imaginary part or both."""
    re = RNG.integers(-3, 4, n).astype(float)
    im = RNG.integers(-2, 3, n) * 0.5
    v = (re + 1j * im).astype(dtype)
    special = [complex(NAN, 1.0), complex(1.0, NAN), complex(NAN, NAN),
               complex(NAN, -2.0), complex(-1.0, NAN), complex(INF, 0.0),
               complex(-INF, 1.0), complex(0.0, -INF)]
    k = min(len(special), n // 3)
    v[RNG.choice(n, k, replace=False)] = special[:k]
    return v


def same_parts(x, y):
    """Equal element by element, a NaN part where NumPy has one."""
    x = np.asarray(x)
    y = np.asarray(y)
    assert x.dtype == y.dtype and x.shape == y.shape
    np.testing.assert_array_equal(x.real, y.real)
    np.testing.assert_array_equal(x.imag, y.imag)


@njit
def sort_copy(a):
    return np.sort(a)


@njit
def sort_kind(a, kind):
    return np.sort(a, kind=kind)


@njit
def sort_in_place(a):
    a.sort()


@njit
def argsort_kind(a, kind):
    return np.argsort(a, kind=kind)


@pytest.mark.parametrize("dtype", COMPLEX)
@pytest.mark.parametrize("n", [5, 40, 300])
def test_sort_and_argsort_in_numpys_order(dtype, n):
    a = sortable(dtype, n)
    same_parts(sort_copy(a), np.sort(a))
    for kind in ("quicksort", "heapsort", "stable"):
        same_parts(sort_kind(a, kind), np.sort(a, kind=kind))
    np.testing.assert_array_equal(argsort_kind(a, "stable"),
                                  np.argsort(a, kind="stable"))
    np.testing.assert_array_equal(argsort_kind(a, "quicksort"),
                                  np.argsort(a, kind="quicksort"))
    b = a.copy()
    sort_in_place(b)
    same_parts(b, np.sort(a))
    m = a[: n - n % 5].reshape(5, -1)
    same_parts(sort_copy(m), np.sort(m))
    for f in (sort_copy, sort_kind, sort_in_place, argsort_kind):
        assert_compiled(f)


@pytest.mark.parametrize("dtype", COMPLEX)
def test_sort_of_a_strided_view_compares_in_numpys_order(dtype):
    """A view NumPy's loop does not take: pyjit's own quicksort, heapsort
    and merge sort of complex numbers."""
    a = sortable(dtype, 600)
    for kind in ("quicksort", "stable"):
        same_parts(sort_kind(a[::3], kind), np.sort(a[::3], kind=kind))
    b = a.copy()
    sort_in_place(b[1::2])
    same_parts(b[1::2], np.sort(a[1::2]))
    same_parts(b[::2], a[::2])
    np.testing.assert_array_equal(argsort_kind(a[::2], "stable"),
                                  np.argsort(a[::2], kind="stable"))


@njit
def search(a, v, side):
    return np.searchsorted(a, v, side)


@pytest.mark.parametrize("dtype", COMPLEX)
def test_searchsorted_of_complex_numbers(dtype):
    a = np.sort(sortable(dtype, 60))
    probes = np.concatenate([sortable(dtype, 30), a[::7]])
    for side in ("left", "right"):
        np.testing.assert_array_equal(search(a, probes, side),
                                      np.searchsorted(a, probes, side))
        for x in probes[:12]:
            assert search(a, x, side) == np.searchsorted(a, x, side)
    # a real number among complex ones
    assert search(a, 1.0, "left") == np.searchsorted(a, 1.0, "left")
    assert_compiled(search)


@njit
def unique(a):
    return np.unique(a)


@njit
def isin(a, b, invert):
    return np.isin(a, b, invert=invert)


@pytest.mark.parametrize("dtype", COMPLEX)
def test_unique_and_isin_of_complex_numbers(dtype):
    a = sortable(dtype, 50)
    same_parts(unique(a), np.unique(a))
    b = a[RNG.choice(50, 15)]
    c = np.concatenate([b, sortable(dtype, 10)])
    for invert in (False, True):
        np.testing.assert_array_equal(isin(a, c, invert),
                                      np.isin(a, c, invert=invert))
    assert_compiled(unique)
    assert_compiled(isin)


@njit
def partition(a, k):
    return np.partition(a, k)


@njit
def argpartition(a, k):
    return np.argpartition(a, k)


@pytest.mark.parametrize("dtype", COMPLEX)
@pytest.mark.parametrize("n", [7, 64, 257])
def test_partition_puts_numpys_kth_in_place(dtype, n):
    """The k-th element is the one NumPy's sort puts there; the others go
    to its side in the same order (which ones go where is NumPy's choice
    only up to that)."""
    a = sortable(dtype, n)
    want = np.sort(a)
    for k in sorted({0, 1, n // 3, n // 2, n - 1}):
        for got in (partition(a, k), a[argpartition(a, k)]):
            same_parts(got[k:k + 1], want[k:k + 1])
            same_parts(np.sort(got[:k]), want[:k])
            same_parts(np.sort(got[k + 1:]), want[k + 1:])
    assert_compiled(partition)
    assert_compiled(argpartition)


@njit
def cov(m, y, rowvar, bias, ddof):
    return np.cov(m, y, rowvar, bias, ddof)


@njit
def cov_one(m):
    return np.cov(m)


@njit
def corrcoef(x, y, rowvar):
    return np.corrcoef(x, y, rowvar)


@njit
def corrcoef_one(x):
    return np.corrcoef(x)


def complex_normal(shape, dtype):
    return (RNG.normal(0, 2, shape)
            + 1j * RNG.normal(0, 2, shape)).astype(dtype)


def close(got, want, rtol=1e-12):
    got = np.asarray(got)
    want = np.asarray(want)
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=rtol, atol=1e-14)


def test_cov_of_complex_variables_conjugates_the_second():
    m = complex_normal((3, 8), "complex128")
    y = complex_normal((2, 8), "complex128")
    real = RNG.normal(0, 2, (2, 8))
    close(cov_one(m), np.cov(m))
    close(cov_one(m[0]), np.cov(m[0]))
    close(cov(m, y, True, False, None), np.cov(m, y, True, False, None))
    close(cov(real, m, True, True, None), np.cov(real, m, True, True))
    close(cov(m.T.copy(), real.T.copy(), False, False, 2),
          np.cov(m.T, real.T, False, False, 2))
    single = m.astype(np.complex64)
    close(cov_one(single), np.cov(single))
    assert_compiled(cov)
    assert_compiled(cov_one)


def test_corrcoef_of_complex_variables():
    x = complex_normal((3, 9), "complex128")
    y = complex_normal((1, 9), "complex128")
    close(corrcoef_one(x), np.corrcoef(x))
    close(corrcoef_one(x[1]), np.corrcoef(x[1]))
    close(corrcoef(x.T.copy(), y.T.copy(), False),
          np.corrcoef(x.T, y.T, rowvar=False))
    # perfectly correlated variables: clipped parts, as NumPy's
    z = x[0]
    w = np.stack([z, z * (2 - 1j), -z])
    close(corrcoef_one(w), np.corrcoef(w))
    single = x.astype(np.complex64)
    close(corrcoef_one(single), np.corrcoef(single))
    assert_compiled(corrcoef)
    assert_compiled(corrcoef_one)


def test_cov_and_corrcoef_of_reals_unchanged():
    m = RNG.normal(0, 2, (3, 8))
    close(cov_one(m), np.cov(m))
    close(corrcoef_one(m), np.corrcoef(m))


# --- the inverse trigonometric and hyperbolic functions ---

PARTS = [0.0, -0.0, 0.5, -0.5, 1.0, -1.0, 1.5, -2.0, 1e-300, -1e-300,
         3e-8, 1e10, -1e10, 1e300, -1.7e308, INF, -INF, NAN, -NAN]
POINTS = np.array([complex(x, y) for x, y in itertools.product(PARTS,
                                                                repeat=2)])
UFUNCS = ("arcsin", "arccos", "arctan", "arcsinh", "arccosh", "arctanh")


@njit
def arcsin(z):
    return np.arcsin(z)


@njit
def arccos(z):
    return np.arccos(z)


@njit
def arctan(z):
    return np.arctan(z)


@njit
def arcsinh(z):
    return np.arcsinh(z)


@njit
def arccosh(z):
    return np.arccosh(z)


@njit
def arctanh(z):
    return np.arctanh(z)


JITTED = {"arcsin": arcsin, "arccos": arccos, "arctan": arctan,
          "arcsinh": arcsinh, "arccosh": arccosh, "arctanh": arctanh}


def same_special_values(got, want):
    """NaN and infinite parts where NumPy has them; zero parts (the sides of
    a branch cut) with NumPy's signs."""
    for part in ("real", "imag"):
        g = getattr(np.asarray(got), part)
        w = getattr(np.asarray(want), part)
        np.testing.assert_array_equal(np.isnan(g), np.isnan(w))
        np.testing.assert_array_equal(np.isinf(g), np.isinf(w))
        signed = ~np.isnan(w) & ((w == 0) | np.isinf(w))
        np.testing.assert_array_equal(np.signbit(g[signed]),
                                      np.signbit(w[signed]))


@pytest.mark.parametrize("name", UFUNCS)
@pytest.mark.parametrize("dtype, rtol", [("complex128", 1e-12),
                                         ("complex64", 1e-6)])
def test_inverse_functions_of_complex_arrays(name, dtype, rtol):
    z = POINTS.astype(dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = getattr(np, name)(z)
    got = JITTED[name](z)
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=rtol, atol=0)
    same_special_values(got, want)
    w = complex_normal((4, 5), dtype)
    np.testing.assert_allclose(JITTED[name](w), getattr(np, name)(w),
                               rtol=rtol)
    assert_compiled(JITTED[name])


@pytest.mark.parametrize("name", UFUNCS)
def test_inverse_functions_of_complex_scalars(name):
    f = JITTED[name]
    for z in POINTS[::5]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            want = getattr(np, name)(z)
        got = f(complex(z))
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=0)
        same_special_values([got], [want])


CMATH = {"asin": (cmath.asin, lambda z: cmath.asin(z)),
         "acos": (cmath.acos, lambda z: cmath.acos(z)),
         "atan": (cmath.atan, lambda z: cmath.atan(z)),
         "asinh": (cmath.asinh, lambda z: cmath.asinh(z)),
         "acosh": (cmath.acosh, lambda z: cmath.acosh(z)),
         "atanh": (cmath.atanh, lambda z: cmath.atanh(z))}


@pytest.mark.parametrize("name", sorted(CMATH))
def test_cmath_inverse_functions_on_their_cuts(name):
    """CPython's cmath on the cuts with both signs of zero, at infinities,
    NaNs and huge parts; its ValueError where it raises."""
    ref, body = CMATH[name]
    f = njit(body)
    for x, y in itertools.product(PARTS, repeat=2):
        z = complex(x, y)
        try:
            want = ref(z)
        except ValueError:
            with pytest.raises(ValueError):
                f(z)
            continue
        got = f(z)
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=0)
        same_special_values([got], [want])
    assert_compiled(f)
