"""Differential tests: NumPy's ufuncs of a scalar rule of their own
(pyjit/_np_ufunc_loops.py) and the bitwise ones (pyjit/_np_ufunc.py) in
nopython code, on arrays of many dtypes broadcast together and on numbers,
against Numba (the result dtype and values: the loop Numba chooses) and
NumPy (the values, where NumPy computes in the same dtype)."""
import hypothesis.strategies as st
import numba
import numpy as np
import pytest
from hypothesis import assume, given

from difftest import assert_compiled
from hypothesis import settings
from np_arrays import SOME, arrays, elements
from pyjit import errors, njit

NUMBERS = [np.dtype(n) for n in ("bool", "int8", "int64", "uint8",
                                 "float32", "float64")]
# (int64 and uint64 have no common integer type: no loop of np.gcd)
INTS = [np.dtype(n) for n in ("int8", "int32", "int64", "uint8")]

# each new dtype combination compiles in Numba too: few examples
SOME = settings(SOME, max_examples=10)
_numba = {}


def numba_of(f):
    if f not in _numba:
        _numba[f] = numba.njit(f.py_func)
    return _numba[f]


def close(got, want, where):
    """Equal dtypes and shapes; floats within a few units of the last
    place (NaN equal to NaN), the rest exactly."""
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == want.dtype, f"{where}: {got.dtype} != {want.dtype}"
    assert got.shape == want.shape, where
    if got.dtype.kind in "fc":
        tol = 4e-6 if got.dtype.itemsize * (2 if got.dtype.kind == "f"
                                            else 1) <= 8 else 1e-13
        np.testing.assert_allclose(got, want, rtol=tol, atol=0,
                                   err_msg=where)
    else:
        np.testing.assert_array_equal(got, want, err_msg=where)


def check(f, *args, exact=False, numpy=True):
    """f compiled against Numba (dtype and values) and, with numpy, NumPy
    (values, where its result has the same dtype)."""
    with np.errstate(all="ignore"):
        want_numba = numba_of(f)(*args)
        got = f(*args)
        try:
            want_numpy = f.py_func(*args)
        except OverflowError:
            # NumPy refuses a Python int its array's dtype cannot hold;
            # Numba (and pyjit) type it as int64
            want_numpy = None
    if not numpy:
        want_numpy = None
    assert_compiled(f)
    where = f"{f.__name__}{tuple(np.asarray(a).dtype for a in args)}"
    pairs = zip(got, want_numba, want_numpy or want_numba) \
        if isinstance(got, tuple) else [(got, want_numba, want_numpy)]
    for g, wn, wp in pairs:
        assert np.ndim(g) == np.ndim(wn), where
        if exact:
            np.testing.assert_array_equal(g, wn, err_msg=where, strict=False)
            assert np.asarray(g).dtype == np.asarray(wn).dtype, where
        else:
            close(g, wn, where)
        if want_numpy is not None and \
                np.asarray(wp).dtype == np.asarray(g).dtype:
            close(g, wp, where + " (NumPy)")


@njit
def logaddexp(a, b):
    return np.logaddexp(a, b)


@njit
def logaddexp2(a, b):
    return np.logaddexp2(a, b)


@njit
def float_power(a, b):
    return np.float_power(a, b)


@njit
def nextafter(a, b):
    return np.nextafter(a, b)


@njit
def ldexp(a, b):
    return np.ldexp(a, b)


@njit
def gcd_lcm(a, b):
    return np.gcd(a, b), np.lcm(a, b)


@njit
def bitwise(a, b):
    return np.bitwise_and(a, b), np.bitwise_or(a, b), np.bitwise_xor(a, b)


@njit
def shifts(a, b):
    return np.left_shift(a, b), np.right_shift(a, b)


@njit
def divmod_(a, b):
    return np.divmod(a, b)


@njit
def unary(a):
    return np.spacing(a), np.reciprocal(a), np.conjugate(a)


@njit
def complex_unary(a):
    return np.reciprocal(a), np.conjugate(a), np.conj(a)


@njit
def invert(a):
    return np.invert(a)


@st.composite
def broadcast_pair(draw, dtypes, exact_second=None):
    """Two operands of the dtypes drawn from `dtypes` that broadcast: an
    array of 1 to 3 dimensions and an array of its trailing shape (with
    ones), or a number (first too, unless the second's dtype is
    given)."""
    a = draw(arrays(dtype=draw(st.sampled_from(dtypes))))
    dt = exact_second or draw(st.sampled_from(dtypes))
    forms = ["trailing", "ones", "number"] + ([] if exact_second else
                                              ["first"])
    form = draw(st.sampled_from(forms))
    if form == "number" or form == "first":
        b = draw(elements(dt))
        b = dt.type(b).item()
        return (b, a) if form == "first" else (a, b)
    shape = a.shape[-draw(st.integers(1, a.ndim)):]
    if form == "ones":
        shape = tuple(1 if draw(st.booleans()) else s for s in shape)
    b = np.array(draw(st.lists(elements(dt), min_size=int(np.prod(shape)),
                               max_size=int(np.prod(shape)))),
                 dtype=dt).reshape(shape)
    return a, b


@pytest.mark.parametrize("f", [logaddexp, logaddexp2, float_power])
@SOME
@given(data=st.data())
def test_float_ufuncs(f, data):
    a, b = data.draw(broadcast_pair(NUMBERS))
    check(f, a, b)


@SOME
@given(broadcast_pair([np.dtype("float32"), np.dtype("float64"),
                       np.dtype("int64")]))
def test_nextafter(pair):
    check(nextafter, *pair, exact=True)


@SOME
@given(broadcast_pair([np.dtype("float32"), np.dtype("float64")],
                      exact_second=np.dtype("int32")))
def test_ldexp(pair):
    check(ldexp, *pair, exact=True)


def test_ldexp_extremes():
    x = np.array([1.0, -3.0, 0.75, 2.0 ** -1000, 5e-324, np.inf, np.nan,
                  -0.0, 1.5])
    for e in (0, 1, -1, 1023, 1024, 2000, -1022, -1074, -1075, -1076, -2000,
              3000):
        with np.errstate(all="ignore"):
            want = np.ldexp(x, e)
        np.testing.assert_array_equal(ldexp(x, e), want, strict=True)
        assert np.array_equal(np.signbit(ldexp(x, e)), np.signbit(want))


@pytest.mark.parametrize("f", [gcd_lcm, bitwise, divmod_])
@SOME
@given(data=st.data())
def test_integer_ufuncs(f, data):
    dtypes = INTS + ([np.dtype("bool")] if f is bitwise else [])
    a, b = data.draw(broadcast_pair(dtypes))
    if f is divmod_:
        # Numba's compiled divmod traps (SIGFPE, the process dies) on the
        # smallest integer divided by -1; pyjit's is checked against NumPy
        # alone in test_divmod_of_the_smallest_integer
        assume(not np.any(np.asarray(b) == -1))
    # np.lcm wraps around before taking the absolute value, Numba after
    small = all(np.all(np.abs(np.asarray(x, np.float64)) < 2.0 ** 31)
                for x in (a, b))
    check(f, a, b, exact=True, numpy=small or f is not gcd_lcm)


def test_divmod_of_the_smallest_integer():
    for dt in (np.int8, np.int16, np.int32, np.int64):
        a = np.array([np.iinfo(dt).min, np.iinfo(dt).min, 7, -7], dt)
        b = np.array([-1, 1, -1, 0], dt)
        with np.errstate(all="ignore"):
            want = np.divmod(a, b)
        got = divmod_(a, b)
        for g, w in zip(got, want):
            np.testing.assert_array_equal(g, w, strict=True)


@SOME
@given(broadcast_pair([np.dtype("int64")]))
def test_shifts(pair):
    a, b = pair
    b = np.abs(b) % 63 if isinstance(b, np.ndarray) else abs(b) % 63
    check(shifts, a, b, exact=True)


@SOME
@given(arrays())
def test_unary(a):
    if a.dtype.kind in "biu":
        check(invert, a, exact=True)
    if a.dtype != np.bool_:
        if a.dtype.kind in "iu":
            # Numba's 1 / 0 of integers is not NumPy's: tested below
            a = np.where(a == 0, 1, a).astype(a.dtype)
        else:
            # nor its spacing of -0.0: test_spacing_of_zeros
            a = np.where(a == 0, 0, a).astype(a.dtype)
        check(unary, a)


@pytest.mark.parametrize("dtype", ["int8", "int16", "int32", "int64",
                                   "uint8", "uint16", "uint32", "uint64"])
def test_reciprocal_integers(dtype):
    a = np.array([0, 1, 2, 3, 0, 1], dtype)
    if a.dtype.kind == "i":
        a[1::3] = -1
    with np.errstate(all="ignore"):
        want = np.reciprocal(a)
    np.testing.assert_array_equal(unary(a)[1], want, strict=True)
    for x in a:
        assert unary(x)[1] == want[list(a).index(x)]


def test_spacing_of_zeros():
    # NumPy's spacing of -0.0 is the smallest positive float (Numba's is
    # negative)
    for z in (0.0, -0.0, np.float32(-0.0)):
        got, want = unary(z)[0], np.spacing(z)
        assert got == want and np.signbit(got) == np.signbit(want)


@pytest.mark.parametrize("x", [0, 1, -1, 7, True, 2.5, 0.0,
                               np.float32(3.0), np.inf, np.nan])
def test_unary_numbers(x):
    check(unary, x)
    if isinstance(x, (int, bool)):
        check(invert, x, exact=True)


def test_complex_conjugate():
    a = np.arange(6.0).reshape(2, 3) - 1j * np.arange(6.0).reshape(2, 3)
    check(complex_unary, a + 0.5)
    check(complex_unary, a[:, ::2].astype(np.complex64) + 1)
    check(complex_unary, 1 + 2j)


def test_errors_name_the_ufunc():
    with pytest.raises(errors.TypingError, match=r"np\.gcd has no loop"):
        gcd_lcm(1.5, 2.0)
    with pytest.raises(errors.TypingError, match=r"np\.gcd has no loop"):
        gcd_lcm(np.ones(2, np.int8), np.ones(2, np.uint64))
    with pytest.raises(ValueError, match="could not be broadcast"):
        logaddexp(np.ones((2, 3)), np.ones(4))
    with pytest.raises(errors.TypingError, match="bitwise_and"):
        bitwise(1.5, 2.0)
