"""0-d arrays through pyjit's NumPy library, against NumPy itself: each
function called with 0-d arrays of several dtypes and values (NaNs,
infinities, signed zeros, the integer limits, seeded random ones) gives
NumPy's value, dtype and number of dimensions (NumPy's scalars are
numbers of their kind), or raises the exception class NumPy raises.  And
the layout of a @vectorize function's result in jitted code, which is
NumPy's: F for F operands.  Each checks nopython compilation."""
import warnings

import numpy as np
import pytest

from pyjit import DUFunc, TypingError, njit, vectorize

from difftest import assert_compiled

RNG = np.random.default_rng(41)

FLOAT = (np.float64, np.float32)
INT = (np.int64, np.int32)
REAL = FLOAT + INT + (np.bool_,)
ALL = REAL + (np.complex128,)


def values(dtype):
    """0-d arrays of dtype: the special values of its kind and seeded
    random ones."""
    kind = np.dtype(dtype).kind
    if kind == "f":
        base = [np.nan, np.inf, -np.inf, -0.0, 0.0, 2.5, -1.5, 0.5, 1.0,
                3.0, 1e30] + list(RNG.normal(0, 100, 6))
    elif kind == "i":
        info = np.iinfo(dtype)
        base = [0, 1, -1, 7, -42, info.max, info.min] + list(
            RNG.integers(-1000, 1000, 6))
    elif kind == "b":
        base = [True, False]
    else:
        base = [complex(np.nan, 1.0), complex(1.5, -2.0), 0j,
                complex(np.inf, 0.0), complex(-0.0, 3.0), 1 + 0j] + list(
            RNG.normal(0, 10, 4) + 1j * RNG.normal(0, 10, 4))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return [np.array(v, dtype) for v in base]


def pairs(dtype):
    """(a, b): each value with another one of the same dtype."""
    vs = values(dtype)
    return list(zip(vs, vs[1:] + vs[:1])) + [(vs[0], vs[0])]


def same(got, want, exact=True):
    """NumPy's result: an array of its dtype, shape and values (NaN equal
    to NaN, zeros of the sign; without exact, complex values to the last
    bit, which NumPy's complex product may round otherwise), a number of
    the kind of NumPy's scalar, item by item in tuples and lists."""
    if isinstance(want, (tuple, list)):
        assert isinstance(got, (tuple, list)) and len(got) == len(want)
        for g, w in zip(got, want):
            same(g, w, exact)
        return
    if isinstance(want, np.ndarray):
        assert isinstance(got, np.ndarray), f"{got!r} is no array"
        assert got.dtype == want.dtype, (got.dtype, want.dtype)
        assert got.shape == want.shape, (got.shape, want.shape)
    else:
        assert not isinstance(got, np.ndarray), f"{got!r} is an array"
        want = np.asarray(want)
        assert type(got) is type(want.item()), (type(got), want.dtype)
        got = np.asarray(got, want.dtype)
    if not exact and want.dtype.kind == "c":
        np.testing.assert_allclose(got, want, rtol=1e-15, strict=True)
        return
    np.testing.assert_array_equal(got, want, strict=True)
    if want.dtype.kind in "fc":
        ordered = ~np.isnan(want)
        assert np.array_equal(np.signbit(np.real(got))[ordered],
                              np.signbit(np.real(want))[ordered])


def check(f, np_f, *args, exact=True):
    """f(*args) does what np_f(*args) does: the same result, or the same
    class of exception."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            want = np_f(*args)
    except Exception as e:                  # noqa: BLE001 - NumPy's class
        with pytest.raises(Exception) as got:
            f(*args)
        assert type(got.value) is type(e), (got.value, e)
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = f(*args)
    same(got, want, exact)


# --- functions of one 0-d array ---

@njit
def copy_method(a):
    return a.copy()


@njit
def array_of(a):
    return np.array(a)


@njit
def reshaped_to_0d(a):
    return a.ravel().reshape(())


@njit
def zeros_of_shape(a):
    return np.zeros(a.shape, a.dtype)


@njit
def full_of(a):
    return np.full((2, 3), a)


@njit
def astype_float32(a):
    return a.astype(np.float32)


@njit
def astype_complex(a):
    return a.astype(np.complex128)


@njit
def reciprocal(a):
    return np.reciprocal(a)


@njit
def conjugate(a):
    return np.conjugate(a)


@njit
def invert(a):
    return np.invert(a)


@njit
def ascontiguousarray(a):
    return np.ascontiguousarray(a)


@njit
def asfortranarray(a):
    return np.asfortranarray(a)


@njit
def expand_dims(a):
    return np.expand_dims(a, 0), np.expand_dims(a, -1)


@njit
def atleast(a):
    return np.atleast_1d(a), np.atleast_2d(a), np.atleast_3d(a)


@njit
def transpose(a):
    return np.transpose(a)


@njit
def flip(a):
    return np.flip(a)


@njit
def diagflat(a):
    return np.diagflat(a)


@njit
def argsort(a):
    return np.argsort(a), a.argsort()


@njit
def argpartition(a):
    return np.argpartition(a, 0)


@njit
def argwhere(a):
    return np.argwhere(a)


@njit
def tile(a):
    return np.tile(a, 2), np.tile(a, (2, 3))


@njit
def trim_zeros(a):
    return np.trim_zeros(a)


@njit
def rounded(a):
    return np.round(a), np.around(a, 1), a.round()


@njit
def fill(a):
    a.fill(1)
    return a


@njit
def clip(a):
    return np.clip(a, -1, 1), a.clip(0, 2)


@njit
def modf_frexp(a):
    return np.modf(a), np.frexp(a)


@njit
def nan_to_num(a):
    return np.nan_to_num(a)


@njit
def fix(a):
    return np.fix(a)


@njit
def sinc(a):
    return np.sinc(a)


@njit
def norm(a):
    return np.linalg.norm(a)


@njit
def covariance(a):
    return np.cov(a), np.corrcoef(a), np.cov(np.atleast_1d(a))


def np_fill(a):
    a.fill(1)
    return a


UNARY = {
    "a.copy()": (copy_method, lambda a: a.copy(), ALL),
    "np.array": (array_of, np.array, ALL),
    "reshape(())": (reshaped_to_0d, lambda a: a.ravel().reshape(()), ALL),
    "np.zeros(a.shape)": (zeros_of_shape, lambda a: np.zeros(a.shape,
                                                             a.dtype), ALL),
    "np.full": (full_of, lambda a: np.full((2, 3), a), ALL),
    "astype(float32)": (astype_float32, lambda a: a.astype(np.float32),
                        REAL),
    "astype(complex128)": (astype_complex,
                           lambda a: a.astype(np.complex128), ALL),
    "np.reciprocal": (reciprocal, np.reciprocal, FLOAT + INT),
    "np.conjugate": (conjugate, np.conjugate, FLOAT + INT
                     + (np.complex128,)),
    "np.invert": (invert, np.invert, INT + (np.bool_,)),
    "np.ascontiguousarray": (ascontiguousarray, np.ascontiguousarray, ALL),
    "np.asfortranarray": (asfortranarray, np.asfortranarray, ALL),
    "np.expand_dims": (expand_dims, lambda a: (np.expand_dims(a, 0),
                                               np.expand_dims(a, -1)), ALL),
    "np.atleast_nd": (atleast, lambda a: (np.atleast_1d(a), np.atleast_2d(a),
                                          np.atleast_3d(a)), ALL),
    "np.transpose": (transpose, np.transpose, ALL),
    "np.flip": (flip, np.flip, ALL),
    "np.diagflat": (diagflat, np.diagflat, ALL),
    "np.argsort": (argsort, lambda a: (np.argsort(a), a.argsort()), REAL),
    "np.argpartition": (argpartition, lambda a: np.argpartition(a, 0),
                        REAL),
    "np.argwhere": (argwhere, np.argwhere, ALL),
    "np.tile": (tile, lambda a: (np.tile(a, 2), np.tile(a, (2, 3))), ALL),
    "np.trim_zeros": (trim_zeros, np.trim_zeros, ALL),
    "np.round": (rounded, lambda a: (np.round(a), np.around(a, 1),
                                     a.round()), FLOAT + INT),
    "a.fill": (fill, np_fill, ALL),
    "np.clip": (clip, lambda a: (np.clip(a, -1, 1), a.clip(0, 2)),
                FLOAT + INT),
    "np.modf, np.frexp": (modf_frexp, lambda a: (np.modf(a), np.frexp(a)),
                          FLOAT + INT),
    "np.nan_to_num": (nan_to_num, np.nan_to_num, ALL),
    "np.fix": (fix, np.fix, FLOAT),
    "np.sinc": (sinc, np.sinc, (np.float64, np.bool_) + INT),
    "np.cov, np.corrcoef": (covariance, lambda a: (
        np.cov(a), np.corrcoef(a), np.cov(np.atleast_1d(a))), REAL),
    "np.linalg.norm": (norm, np.linalg.norm, FLOAT + (np.bool_,
                                                      np.complex128)),
}


@pytest.mark.parametrize("name", list(UNARY))
def test_one_0d_array(name):
    f, np_f, dtypes = UNARY[name]
    for dtype in dtypes:
        for a in values(dtype):
            # fill writes into its argument: each side has its own copy
            check(f, np_f, a.copy()) if f is not fill else \
                same(f(a.copy()), np_fill(a.copy()))
    assert_compiled(f)


# --- functions of two 0-d arrays ---

@njit
def logaddexp(a, b):
    return np.logaddexp(a, b)


@njit
def where3(a, b):
    return np.where(a > b, a, b), np.where(a != 0, a, b)


def np_where3(a, b):
    return np.where(a > b, a, b), np.where(a != 0, a, b)


@njit
def joined(a, b):
    return (np.hstack((a, b)), np.vstack((a, b)), np.stack((a, b)),
            np.column_stack((a, b)), np.dstack((a, b)), np.stack([a, b], -1))


def np_joined(a, b):
    return (np.hstack((a, b)), np.vstack((a, b)), np.stack((a, b)),
            np.column_stack((a, b)), np.dstack((a, b)), np.stack([a, b], -1))


@njit
def append(a, b):
    return np.append(a, b)


@njit
def isin(a, b):
    return np.isin(a, b), np.isin(a, a)


@njit
def array_equal(a, b):
    return np.array_equal(a, b), np.array_equal(a, a), np.array_equal(
        a, np.atleast_1d(b))


@njit
def convolve(a, b):
    return np.convolve(a, b)


@njit
def products(a, b):
    return np.dot(a, b), a.dot(b), np.kron(a, b)


@njit
def heaviside(a, b):
    return np.heaviside(a, b)


BINARY = {
    "np.logaddexp": (logaddexp, np.logaddexp, FLOAT + INT),
    "np.where": (where3, np_where3, REAL),
    "joins": (joined, np_joined, ALL),
    "np.append": (append, np.append, ALL),
    "np.isin": (isin, lambda a, b: (np.isin(a, b), np.isin(a, a)), REAL),
    "np.array_equal": (array_equal, lambda a, b: (
        np.array_equal(a, b), np.array_equal(a, a),
        np.array_equal(a, np.atleast_1d(b))), ALL),
    "np.convolve": (convolve, np.convolve, FLOAT + INT + (np.complex128,)),
    "np.dot, np.kron": (products, lambda a, b: (np.dot(a, b), a.dot(b),
                                                 np.kron(a, b)),
                        FLOAT + INT + (np.complex128,)),
    "np.heaviside": (heaviside, np.heaviside, FLOAT),
}


@pytest.mark.parametrize("name", list(BINARY))
def test_two_0d_arrays(name):
    f, np_f, dtypes = BINARY[name]
    for dtype in dtypes:
        for a, b in pairs(dtype):
            check(f, np_f, a, b, exact=f is not products)
    assert_compiled(f)


def test_where_of_a_0d_condition():
    for c in (np.array(True), np.array(False)):
        for a, b in pairs(np.float64):
            check(njit_where, np.where, c, a, b)
            check(njit_where, np.where, c, a, np.arange(3.0))
    assert_compiled(njit_where)


@njit
def njit_where(c, a, b):
    return np.where(c, a, b)


# --- what NumPy refuses: the same class of exception ---

@njit
def sort(a):
    return np.sort(a)


@njit
def sort_method(a):
    a.sort()


@njit
def partition(a):
    return np.partition(a, 0)


@njit
def searchsorted(a):
    return np.searchsorted(a, 1)


@njit
def nonzero(a):
    return np.nonzero(a)


@njit
def nonzero_method(a):
    return a.nonzero()


@njit
def where1(a):
    return np.where(a)


@njit
def swapaxes(a):
    return np.swapaxes(a, 0, 0)


@njit
def moveaxis(a):
    return np.moveaxis(a, 0, 0)


@njit
def flipud(a):
    return np.flipud(a)


@njit
def fliplr(a):
    return np.fliplr(a)


@njit
def diag(a):
    return np.diag(a)


@njit
def tril(a):
    return np.tril(a)


@njit
def triu(a):
    return np.triu(a)


@njit
def diff(a):
    return np.diff(a)


@njit
def trapezoid(a):
    return np.trapezoid(a)


@njit
def vander(a):
    return np.vander(a)


@njit
def roots(a):
    return np.roots(a)


@njit
def unwrap(a):
    return np.unwrap(a)


@njit
def split(a):
    return np.split(a, 1)


@njit
def array_split(a):
    return np.array_split(a, 1)


@njit
def hsplit(a):
    return np.hsplit(a, 1)


@njit
def bincount(a):
    return np.bincount(a)


def check_refused(f, np_f, *args):
    """NumPy raises for args (copies of them: a.sort() would sort), and
    f raises an exception of the same class, with a message."""
    with pytest.raises(Exception) as want:
        np_f(*[a.copy() for a in args])
    with pytest.raises(type(want.value)) as got:
        f(*[a.copy() for a in args])
    assert type(got.value) is type(want.value)
    assert str(got.value)


REFUSED = {
    "np.sort": (sort, np.sort, REAL),
    "a.sort": (sort_method, lambda a: a.sort(), REAL),
    "np.partition": (partition, lambda a: np.partition(a, 0), REAL),
    "np.searchsorted": (searchsorted, lambda a: np.searchsorted(a, 1),
                        FLOAT + INT),
    "np.nonzero": (nonzero, np.nonzero, ALL),
    "a.nonzero": (nonzero_method, lambda a: a.nonzero(), ALL),
    "np.where(c)": (where1, np.where, ALL),
    "np.swapaxes": (swapaxes, lambda a: np.swapaxes(a, 0, 0), ALL),
    "np.moveaxis": (moveaxis, lambda a: np.moveaxis(a, 0, 0), ALL),
    "np.flipud": (flipud, np.flipud, ALL),
    "np.fliplr": (fliplr, np.fliplr, ALL),
    "np.diag": (diag, np.diag, ALL),
    "np.tril": (tril, np.tril, ALL),
    "np.triu": (triu, np.triu, ALL),
    "np.diff": (diff, np.diff, ALL),
    "np.trapezoid": (trapezoid, np.trapezoid, FLOAT + INT),
    "np.vander": (vander, np.vander, FLOAT + INT),
    "np.roots": (roots, np.roots, FLOAT),
    "np.unwrap": (unwrap, np.unwrap, FLOAT),
    "np.split": (split, lambda a: np.split(a, 1), ALL),
    "np.array_split": (array_split, lambda a: np.array_split(a, 1), ALL),
    "np.hsplit": (hsplit, lambda a: np.hsplit(a, 1), ALL),
    "np.bincount": (bincount, np.bincount, INT),
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_what_numpy_refuses(name):
    f, np_f, dtypes = REFUSED[name]
    for dtype in dtypes:
        for a in values(dtype):
            check_refused(f, np_f, a)
    assert_compiled(f)


@njit
def concatenate(a, b):
    return np.concatenate((a, b))


@njit
def cross(a, b):
    return np.cross(a, b)


@njit
def correlate(a, b):
    return np.correlate(a, b)


@njit
def matmul(a, b):
    return np.matmul(a, b)


@pytest.mark.parametrize("f, np_f", [(concatenate, lambda a, b:
                                      np.concatenate((a, b))),
                                     (cross, np.cross),
                                     (correlate, np.correlate),
                                     (matmul, np.matmul)])
def test_what_numpy_refuses_of_two(f, np_f):
    for dtype in FLOAT + INT:
        for a, b in pairs(dtype):
            check_refused(f, np_f, a, b)
    assert_compiled(f)


def test_astype_of_complex_to_real_is_a_typing_error():
    for a in (np.array(1 + 2j), np.array([1 + 2j])):
        with pytest.raises(TypingError, match="imaginary parts"):
            astype_float32(a)


# --- the layout of a vectorized function's result in jitted code ---

@vectorize(["float64(float64, float64)", "int64(int64, int64)"])
def scaled_sum(x, y):
    return 2 * x + y


@vectorize
def dynamic_scaled_sum(x, y):
    return 2 * x + y


@njit
def call_scaled_sum(a, b):
    return scaled_sum(a, b)


@njit
def call_dynamic(a, b):
    return dynamic_scaled_sum(a, b)


def layouts(dtypes):
    """(a, b) operands: F arrays of 2 and 3 dimensions (empty ones too),
    1-d arrays, an F array with a C one and with numbers, of dtypes."""
    out = []
    for shape in ((4, 3), (2, 3, 4), (0, 3), (3, 0, 2), (1, 5), (5, 1)):
        a = np.asfortranarray(RNG.normal(0, 10, shape))
        b = np.asfortranarray(RNG.normal(0, 10, shape))
        out += [(a, b), (a, np.ascontiguousarray(b)),
                (np.ascontiguousarray(a), b), (a, 1.5), (2.5, b),
                (a, np.array(-1.5)), (np.array(0.5), b),
                (np.ascontiguousarray(a), np.ascontiguousarray(b))]
    for n in (0, 1, 7):
        out.append((RNG.normal(0, 1, n), RNG.normal(0, 1, n)))
    return [(x.astype(dtype) if isinstance(x, np.ndarray) else x,
             y.astype(dtype) if isinstance(y, np.ndarray) else y)
            for dtype in dtypes for x, y in out]


# A DUFunc called from Python takes int64 operands into the float64 loop
# it compiled first, where jitted code compiles an int64 one: float64 only.
@pytest.mark.parametrize("f, ufunc, dtypes", [
    (call_scaled_sum, scaled_sum, (np.float64, np.int64)),
    (call_dynamic, dynamic_scaled_sum, (np.float64,))])
def test_vectorize_result_layout_is_numpys(f, ufunc, dtypes):
    for a, b in layouts(dtypes):
        want = ufunc(a, b)
        got = f(a, b)
        same(got, want)
        assert got.flags.f_contiguous == want.flags.f_contiguous, \
            (np.shape(a), np.shape(b))
        assert got.flags.c_contiguous == want.flags.c_contiguous
    assert_compiled(f)
    assert isinstance(dynamic_scaled_sum, DUFunc)


@pytest.mark.parametrize("f, ufunc", [(call_scaled_sum, scaled_sum),
                                      (call_dynamic, dynamic_scaled_sum)])
def test_vectorize_of_0d_arrays_is_a_number(f, ufunc):
    for a, b in pairs(np.float64):
        check(f, ufunc, a, b)
        check(f, ufunc, a, 2.5)
    assert_compiled(f)
