"""Differential tests against NumPy of these forms in nopython code:
sums with a dtype (a.sum(dtype=), np.sum(a, dtype=), np.sum(a, axis,
dtype), a.sum(axis=, dtype=)) over bool, integer and float arrays of 0 to
3 dimensions, empty ones among them; a.flags (c_contiguous, f_contiguous,
contiguous) and a.nbytes of C, F, sliced, size-1 and empty arrays;
a.transpose of a tuple of axes, of separate axes, of none and of None;
np.split and np.array_split at indices (a list, a tuple, an array; out of
order, negative, beyond the length) and into sections along an axis;
np.append along axis 0 or 1 and flattened; np.take and a.take of a 2-d
index array; and ufuncs writing into an output array (broadcast into it,
of another dtype, overlapping an input; a float result into an integer
array is a TypingError, as NumPy's 'same_kind' rule refuses it); and a
number class called on a tuple, a list or an array (np.float64((1, 2))).
Exceptions compare by type."""
import warnings

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

from difftest import assert_compiled
from np_arrays import SOME, arrays, assert_same_array, elements, run_both
from pyjit import TypingError, njit

FEW = settings(SOME, max_examples=15)

# NumPy 2.4 deprecates np.maximum(a, b, out) with out positional; the
# Python originals of the tests below call it so
pytestmark = pytest.mark.filterwarnings(
    "ignore:Passing more than 2 positional arguments:DeprecationWarning")


def same_exception(got, want):
    assert type(got) is type(want), (got, want)


# ---------------------------------------------------------------- sums --

SUM_DTYPES = [np.float64, np.float32, np.int32, np.int64, np.complex128]
SUM_INPUTS = [np.dtype(n) for n in ("bool", "int32", "int64", "uint8",
                                    "uint64", "float32", "float64")]


@njit
def sum_method(a, dt):
    return a.sum(dtype=dt)


@njit
def sum_function(a, dt):
    return np.sum(a, dtype=dt)


@njit
def sum_along(a, k, dt):
    return np.sum(a, k, dt)


@njit
def sum_method_along(a, k, dt):
    return a.sum(axis=k, dtype=dt)


@njit
def sum_along_keywords(a, k, dt):
    return np.sum(a, axis=k, dtype=dt)


@st.composite
def sum_inputs(draw, min_ndim=0):
    """An array of 0 to 3 dimensions (C, strided or transposed; 0-sized
    ones among them) and a dtype to sum it in.  A float array summed in
    an integer dtype has no NaN or infinity (their conversion to an
    integer is undefined)."""
    dt = draw(st.sampled_from(SUM_DTYPES))
    dtype = draw(st.sampled_from(SUM_INPUTS))
    ndim = draw(st.integers(min_ndim, 3))
    if ndim == 0:
        a = np.array(draw(elements(dtype)), dtype)
    else:
        a = draw(arrays(dtype=dtype, ndim=ndim))
    if dtype.kind == "f" and np.dtype(dt).kind in "iu":
        a[~np.isfinite(a)] = 0
    return a, dt


def check_sum(got, a, dt, axis=None):
    """got is np.sum(a, axis, dtype=dt): exactly for an integer dtype, to
    rounding for a float one (pyjit adds in order, NumPy pairwise: both
    within n * eps of the sum of the magnitudes)."""
    want = np.sum(a, axis, dtype=dt)
    if isinstance(want, np.ndarray):
        assert isinstance(got, np.ndarray), (got, want)
        assert got.dtype == want.dtype and got.shape == want.shape, \
            (got.dtype, got.shape, want.dtype, want.shape)
    else:
        assert np.ndim(got) == 0, got
    kind = np.dtype(dt).kind
    if kind in "iu":
        np.testing.assert_array_equal(got, want, strict=False)
        return
    rtol = 1e-6 if dt == np.float32 else 1e-12
    eps = np.finfo(np.float32 if dt == np.float32 else np.float64).eps
    with np.errstate(all="ignore"):
        mags = np.abs(a.astype(dt).real)
    n = a.size if axis is None else a.shape[axis]
    atol = 2 * max(n, 1) * eps * float(np.sum(mags[np.isfinite(mags)]))
    np.testing.assert_allclose(np.asarray(got), want, rtol=rtol, atol=atol)


@FEW
@given(sum_inputs(), st.booleans())
def test_sum_with_a_dtype(args, method):
    a, dt = args
    f = sum_method if method else sum_function
    with np.errstate(all="ignore"):
        got = f(a, dt)
        check_sum(got, a, dt)
    assert_compiled(f)


@FEW
@given(sum_inputs(min_ndim=1), st.data())
def test_sum_along_an_axis_with_a_dtype(args, data):
    """Axes -ndim-1 to ndim: the two out of range raise AxisError."""
    a, dt = args
    k = data.draw(st.integers(-a.ndim - 1, a.ndim))
    f = data.draw(st.sampled_from([sum_along, sum_method_along,
                                   sum_along_keywords]))
    with np.errstate(all="ignore"):
        kind, got, want = run_both(f, a, k, dt)
        if kind == "exc":
            same_exception(got, want)
        else:
            check_sum(got, a, dt, k)


@njit
def sums_in_constant_dtypes(a):
    return (a.sum(dtype=np.float64), np.sum(a, dtype=np.float32),
            a.sum(dtype=np.int32), np.sum(a, dtype=np.int64),
            a.sum(dtype=np.complex128))


@njit
def sums_along_in_constant_dtypes(a):
    return (a.sum(axis=0, dtype=np.int32), np.sum(a, 1, np.float32),
            np.sum(a, axis=-1, dtype=np.complex128),
            a.sum(axis=-2, dtype=np.int64), np.sum(a, 0, np.float64))


SUM_CASES = [np.array([0.5, 0.7]), np.array([-0.5, -1.9, 2.9]),
             np.array([True, True, False]), np.arange(7, dtype=np.uint8),
             np.array([2 ** 31 - 1, 1], np.int64),  # wraps in int32
             np.array([1e9, 1.0, -1e9]), np.zeros(0), np.zeros((0, 3)),
             np.array(2.5), np.array(True), np.arange(12.0).reshape(3, 4).T,
             np.arange(24, dtype=np.int32).reshape(2, 3, 4)[:, ::2]]


@pytest.mark.parametrize("a", SUM_CASES, ids=lambda a: f"{a.dtype}{a.shape}")
def test_sum_in_constant_dtypes(a):
    """The dtype a constant: np.sum(np.array([0.5, 0.7]), dtype=np.int32)
    is 0 (each element is truncated first)."""
    got = sums_in_constant_dtypes(a)
    assert_compiled(sums_in_constant_dtypes)
    for g, dt in zip(got, SUM_DTYPES):
        check_sum(g, a, dt)
    if a.ndim >= 2:
        got = sums_along_in_constant_dtypes(a)
        assert_compiled(sums_along_in_constant_dtypes)
        for g, dt, k in zip(got, [np.int32, np.float32, np.complex128,
                                  np.int64, np.float64], [0, 1, -1, -2, 0]):
            check_sum(g, a, dt, k)


def test_sum_of_float_in_int32_truncates_each_element():
    assert sum_method(np.array([0.5, 0.7]), np.int32) == 0
    assert sum_function(np.array([1.9, -1.9, 2.5]), np.int64) == 2
    got = sum_along(np.array([[0.5, 1.5], [0.7, 1.7]]), 0, np.int32)
    assert_same_array(got, np.array([0, 2], np.int32))
    for f in (sum_method, sum_function, sum_along):
        assert_compiled(f)


def test_sum_of_a_0d_array_along_an_axis_is_an_axis_error():
    """Axes 1 and -2 (NumPy reduces a 0-d array along axis 0 or -1 as
    along none, which Numba and pyjit do not: an AxisError there)."""
    for f in (sum_along, sum_method_along):
        for k in (1, -2):
            kind, got, want = run_both(f, np.array(1.5), k, np.float64)
            assert kind == "exc"
            same_exception(got, want)


# ----------------------------------------------------- flags, nbytes --

@njit
def flags_and_nbytes(a):
    return (a.flags.c_contiguous, a.flags.f_contiguous, a.flags.contiguous,
            a.nbytes)


def numpy_flags(a):
    return (a.flags.c_contiguous, a.flags.f_contiguous, a.flags.contiguous,
            a.nbytes)


@st.composite
def views(draw):
    """A view of an array of 1 to 3 dimensions of length 0 to 4: each
    dimension sliced with a start and a step of 1, 2, 3 or -1, and the
    result sometimes transposed."""
    dtype = draw(st.sampled_from([np.dtype("int8"), np.dtype("float64"),
                                  np.dtype("complex128")]))
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=0,
                                  max_side=4))
    a = np.arange(int(np.prod(shape))).astype(dtype).reshape(shape)
    index = tuple(slice(draw(st.integers(0, 2)), None,
                        draw(st.sampled_from([1, 1, 2, 3, -1])))
                  for _ in shape)
    a = a[index]
    return a.T if draw(st.booleans()) else a


@settings(SOME, max_examples=40)
@given(views())
def test_flags_and_nbytes_of_views(a):
    assert flags_and_nbytes(a) == numpy_flags(a), (a.shape, a.strides)
    assert_compiled(flags_and_nbytes)


b3 = np.arange(24.0).reshape(2, 3, 4)
FLAG_CASES = [
    np.arange(6.0).reshape(2, 3), np.arange(6.0).reshape(2, 3).T,
    np.arange(12).reshape(3, 4)[:, ::2], np.arange(12).reshape(4, 3)[::2],
    np.ones((1, 5)), np.ones((5, 1)), np.ones((1, 5))[:, ::2],
    np.ones((5, 1))[::2], np.ones((1, 1))[::2, ::3], np.ones((3, 4))[:, :1],
    np.ones((3, 4))[:1, :], np.ones((4, 3)).T[:1], np.ones((0, 3)),
    np.ones((3, 0)), np.ones((0, 3))[:, ::2], np.ones((3, 0)).T,
    np.ones(1), np.ones(0), np.arange(10)[::2], np.arange(10)[::-1],
    np.ones((4, 5))[::-1], b3[:, :1, :], b3.T[:, :1, :], b3[:, :, :1],
    b3[:1], b3[::2], b3.transpose(1, 0, 2), np.ones((2, 1, 3))[:, :, ::2],
    np.ones((2, 0, 3))[::2], np.ones((6, 4), np.int8)[::2, 1:3],
    np.asfortranarray(b3), np.asfortranarray(b3)[:, :, :1]]


@pytest.mark.parametrize("a", FLAG_CASES,
                         ids=lambda a: f"{a.shape}{a.strides}")
def test_flags_and_nbytes(a):
    assert flags_and_nbytes(a) == numpy_flags(a)
    assert_compiled(flags_and_nbytes)


def test_flags_of_a_0d_array():
    assert flags_and_nbytes(np.array(2.0)) == (True, True, True, 8)


def test_nbytes_of_a_0d_array():
    @njit
    def nbytes(a):
        return a.nbytes

    assert nbytes(np.array(2.0)) == 8
    assert nbytes(np.array(2, np.int16)) == 2


# ----------------------------------------------------------- transpose --

@njit
def transpose_tuple(a, axes):
    return a.transpose(axes)


@njit
def transpose_three(a, i, j, k):
    return a.transpose(i, j, k)


@st.composite
def axes3(draw):
    """Three axes: a permutation, each axis sometimes negative, or (now
    and then) one repeated or out of range."""
    axes = list(draw(st.permutations([0, 1, 2])))
    axes = [k - 3 if draw(st.booleans()) else k for k in axes]
    bad = draw(st.sampled_from([None] * 6 + ["repeat", "range"]))
    if bad == "repeat":
        axes[2] = axes[0]
    elif bad == "range":
        axes[1] = draw(st.sampled_from([3, -4]))
    return tuple(axes)


def check_transposed(got, want, a):
    assert_same_array(got, want)
    assert got.strides == want.strides
    if a.size:
        assert np.shares_memory(got, a)


@FEW
@given(arrays(dtype=np.dtype("float64"), ndim=3), axes3(), st.booleans())
def test_transpose_of_axes(a, axes, as_tuple):
    if as_tuple:
        kind, got, want = run_both(transpose_tuple, a, axes)
    else:
        kind, got, want = run_both(transpose_three, a, *axes)
    if kind == "exc":
        same_exception(got, want)
    else:
        check_transposed(got, want, a)


@njit
def transpose_forms(a):
    return (a.transpose((1, 0, 2)), a.transpose(2, 0, 1), a.transpose(),
            a.transpose(None), a.transpose(-1, 0, -2),
            a.transpose((-3, -1, 1)))


@njit
def transpose_none(a):
    return a.transpose(), a.transpose(None)


@njit
def transpose_repeated(a):
    return a.transpose(1, 1, 0)


@njit
def transpose_repeated_tuple(a):
    return a.transpose((0, -3, 1))


@njit
def transpose_two(a):
    return a.transpose((1, 0))


def test_transpose_forms():
    for a in (b3, b3[:, ::2], b3.T, np.zeros((2, 0, 3))):
        for got, want in zip(transpose_forms(a), transpose_forms.py_func(a)):
            check_transposed(got, want, a)
    assert_compiled(transpose_forms)
    for a in (np.arange(6).reshape(2, 3), np.arange(6).reshape(3, 2).T,
              np.arange(5), np.array(1.5)):
        for got, want in zip(transpose_none(a), transpose_none.py_func(a)):
            check_transposed(got, want, a)
    assert_compiled(transpose_none)


def test_transpose_errors():
    """A repeated axis (1, 1, 0 or 0, -3, 1) and two axes of a 3-d array
    raise ValueError; out of range axes AxisError (test_transpose_of_axes)."""
    for f in (transpose_repeated, transpose_repeated_tuple, transpose_two):
        kind, got, want = run_both(f, b3)
        assert kind == "exc" and type(want) is ValueError
        same_exception(got, want)


# ------------------------------------------------------------- split --

@njit
def split_at(a, indices):
    return np.split(a, indices)


@njit
def split_along(a, indices_or_sections, axis):
    return np.split(a, indices_or_sections, axis)


@njit
def array_split_along(a, indices_or_sections, axis):
    return np.array_split(a, indices_or_sections, axis)


def check_parts(f, *args):
    kind, got, want = run_both(f, *args)
    if kind == "exc":
        same_exception(got, want)
        return
    assert isinstance(got, list) and len(got) == len(want), (got, want)
    for g, w in zip(got, want):
        assert_same_array(g, w)


@st.composite
def split_inputs(draw):
    """An array, an axis (negative ones among them) and indices to split
    it at along that axis: out of order, negative or beyond the length."""
    a = draw(arrays(dtype=draw(st.sampled_from([np.dtype("int64"),
                                                 np.dtype("float32")]))))
    axis = draw(st.integers(-a.ndim, a.ndim - 1))
    n = a.shape[axis]
    indices = draw(st.lists(st.integers(-n - 2, n + 2), min_size=1,
                            max_size=4))
    if draw(st.booleans()):
        indices.sort()
    return a, np.array(indices, np.int64), axis


@FEW
@given(split_inputs(), st.booleans())
def test_split_at_indices(args, array_split):
    a, indices, axis = args
    check_parts(array_split_along if array_split else split_along,
                a, indices, axis)


@FEW
@given(arrays(dtype=np.dtype("int64")), st.integers(-1, 7), st.data())
def test_split_into_sections(a, sections, data):
    """np.split of sections that do not divide the length raises
    ValueError, array_split makes the first parts one longer; 0 sections
    raise ZeroDivisionError (split) and ValueError (array_split)."""
    axis = data.draw(st.integers(-a.ndim, a.ndim - 1))
    check_parts(split_along, a, sections, axis)
    check_parts(array_split_along, a, sections, axis)


@njit
def split_forms(a):
    return (np.split(a, [2, 5]), np.split(a, (2, 5)),
            np.split(a, np.array([2, 5])), np.array_split(a, [3, 5]),
            np.split(a, [5, 2]), np.split(a, [2, 50]), np.split(a, [-2, 3]),
            np.array_split(a, 4), np.split(a, 1))


@njit
def split_columns(a):
    return (np.split(a, 2, axis=1), np.array_split(a, 3, axis=-1),
            np.split(a, [1, 3], 1), np.array_split(a, (3,), axis=-1))


@njit
def split_in_three(a):
    return np.split(a, 3)


def test_split_forms():
    for a in (np.arange(28.0).reshape(7, 4), np.arange(28).reshape(4, 7).T,
              np.arange(9), np.zeros((0, 2)), np.arange(6.0)[::-1]):
        for got, want in zip(split_forms(a), split_forms.py_func(a)):
            same_parts(got, want)
        if a.ndim == 2:
            for got, want in zip(split_columns(a), split_columns.py_func(a)):
                same_parts(got, want)
    assert_compiled(split_forms)
    assert_compiled(split_columns)


def same_parts(got, want):
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert_same_array(g, w)


def test_split_into_unequal_sections_is_a_value_error():
    for a in (np.arange(7), np.arange(8.0).reshape(4, 2)):
        kind, got, want = run_both(split_in_three, a)
        assert kind == "exc" and type(want) is ValueError
        same_exception(got, want)
    check_parts(split_in_three, np.arange(9))


def test_split_parts_are_views():
    a = np.arange(10.0)
    parts = split_at(a, [3, 7])
    parts[1][:] = -1
    assert (a[3:7] == -1).all() and a[2] == 2 and a[7] == 7
    assert_compiled(split_at)


# ------------------------------------------------------------ append --

@njit
def append_rows(a, b):
    return np.append(a, b, axis=0)


@njit
def append_columns(a, b):
    return np.append(a, b, axis=1)


@njit
def append_flat(a, b):
    return np.append(a, b)


@njit
def append_along(a, b, axis):
    return np.append(a, b, axis)


APPEND_DTYPES = [np.dtype(n) for n in ("bool", "int32", "int64", "float64")]


@st.composite
def append_inputs(draw):
    """Two 2-d arrays whose shapes agree along axis 0, axis 1, both or
    neither (0-sized ones among them), of two dtypes."""
    a = draw(arrays(dtype=draw(st.sampled_from(APPEND_DTYPES)), ndim=2))
    dtype = draw(st.sampled_from(APPEND_DTYPES))
    rows, cols = a.shape
    shape = (draw(st.sampled_from([rows, rows, draw(st.integers(0, 4))])),
             draw(st.sampled_from([cols, cols, draw(st.integers(0, 4))])))
    b = draw(hnp.arrays(dtype, shape, elements=elements(dtype)))
    return a, (b.T.copy().T if draw(st.booleans()) else b)


@FEW
@given(append_inputs(), st.sampled_from([0, 1, -1, None]))
def test_append_along_an_axis(args, axis):
    a, b = args
    if axis is None:
        f, args = append_flat, (a, b)
    elif axis == 0:
        f, args = append_rows, (a, b)
    elif axis == 1:
        f, args = append_columns, (a, b)
    else:
        f, args = append_along, (a, b, axis)
    kind, got, want = run_both(f, *args)
    if kind == "exc":
        same_exception(got, want)
    else:
        assert_same_array(got, want)


def test_append_fixed_cases():
    a = np.arange(6.0).reshape(2, 3)
    b = np.arange(9).reshape(3, 3)
    c = np.arange(4).reshape(2, 2)
    for x, y in [(a, b), (a, c), (a, a), (a.T, b), (b, a.T), (a[:, ::2], c),
                 (a, np.ones((0, 3))), (np.ones((0, 3)), a),
                 (np.ones((0, 0)), np.ones((0, 0)))]:
        for f in (append_rows, append_columns, append_flat):
            kind, got, want = run_both(f, x, y)
            if kind == "exc":
                assert isinstance(want, ValueError)
                same_exception(got, want)
            else:
                assert_same_array(got, want)
    for x, y in [(np.arange(3), np.arange(4.0).reshape(2, 2)),
                 (np.array(2.5), np.arange(3)), (a, np.arange(3.0))]:
        kind, got, want = run_both(append_flat, x, y)
        assert_same_array(got, want)


def test_append_of_arrays_of_other_dimensions_is_a_typing_error():
    """NumPy raises ValueError: different numbers of dimensions are a
    typing error in compiled code (as in Numba)."""
    with pytest.raises(TypingError):
        append_rows(np.ones((2, 3)), np.ones(3))


# -------------------------------------------------------------- take --

@njit
def take_function(a, idx):
    return np.take(a, idx)


@njit
def take_method(a, idx):
    return a.take(idx)


@st.composite
def take_inputs(draw):
    """An array and a 2-d index array into its flattened elements:
    negative indices among them, and now and then one out of bounds."""
    a = draw(arrays(dtype=draw(st.sampled_from([np.dtype("int64"),
                                                 np.dtype("float64")]))))
    n = a.size
    shape = draw(hnp.array_shapes(min_dims=2, max_dims=2, min_side=0,
                                  max_side=3))
    hi = n + 1 if draw(st.integers(0, 4)) == 0 else n - 1
    lo = -n - 1 if draw(st.integers(0, 4)) == 0 else -n
    values = st.integers(lo, hi) if hi >= lo else st.just(0)
    idx = draw(hnp.arrays(np.int64, shape, elements=values))
    return a, (idx.T if draw(st.booleans()) else idx)


@settings(SOME, max_examples=20)
@given(take_inputs(), st.booleans())
def test_take_of_a_2d_index_array(args, method):
    kind, got, want = run_both(take_method if method else take_function,
                               *args)
    if kind == "exc":
        assert isinstance(want, IndexError)
        same_exception(got, want)
    else:
        assert_same_array(got, want)


def test_take_fixed_cases():
    """Index arrays of int64 (C, F, strided), int32 and uint8 into C, F
    and strided arrays; an index of 12 or -13 of 12 elements raises
    IndexError."""
    x = np.arange(12.0).reshape(3, 4)
    cases = [(a, np.array([[0, 1], [-1, 5]])) for a in (x, x.T, x[:, ::2])]
    cases += [(x, np.array([[-12, 11]])), (x, np.zeros((0, 3), np.int64)),
              (x, np.array([[1, 2]], np.int32)),
              (x, np.array([[1, 2]], np.uint8)),
              (x.T, np.array([[1, 2], [3, 4]]).T),
              (x[:, ::2], np.array([[1, 2, 3]])[:, ::2]),
              (x, np.array([[0, 12]])), (x.T, np.array([[-13, 0]])),
              (np.zeros(0), np.zeros((2, 0), np.int64)),
              (np.zeros(0), np.array([[0]])),
              (np.array(5.0), np.array([[0, -1], [0, 0]])),
              (np.array(5.0), np.array([[1]]))]
    for a, idx in cases:
        for f in (take_function, take_method):
            kind, got, want = run_both(f, a, idx)
            if kind == "exc":
                assert isinstance(want, IndexError)
                same_exception(got, want)
            else:
                assert_same_array(got, want)


# ------------------------------------------------- ufuncs with an out --

@njit
def add_into(a, b, out):
    return np.add(a, b, out)


@njit
def add_into_keyword(a, b, out):
    return np.add(a, b, out=out)


@njit
def maximum_into(a, b, out):
    return np.maximum(a, b, out)


@njit
def sqrt_into(a, out):
    return np.sqrt(a, out)


@njit
def double_into(a, out):
    return np.multiply(a, 2.0, out)


@njit
def negative_into(a, out):
    return np.negative(a, out)


def copied(x):
    return x.copy() if isinstance(x, np.ndarray) else x


def check_out(f, *args):
    """f(*args) compiled and in NumPy on copies of the arrays: the same
    result (or exception type), the out array (the last argument) written
    as NumPy writes it and returned, and the inputs as NumPy left them."""
    mine = [copied(x) for x in args]
    theirs = [copied(x) for x in args]
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            want = f.py_func(*theirs)
        except Exception as e:  # noqa: BLE001 - compared with pyjit's below
            with pytest.raises(Exception) as ei:
                f(*mine)
            assert_compiled(f)
            same_exception(ei.value, e)
            return
        got = f(*mine)
    assert_compiled(f)
    assert_same_array(got, want)
    out = mine[-1]
    if out.size:
        assert np.shares_memory(got, out)
    for g, w in zip(mine, theirs):
        if isinstance(w, np.ndarray):
            assert_same_array(g, w)


OUT_DTYPES = [np.dtype(n) for n in ("bool", "int32", "int64", "float32",
                                    "float64")]


@st.composite
def out_inputs(draw):
    """Two arrays (or a number) that broadcast together and an out array
    of their broadcast shape (C, F or strided) of a dtype NumPy casts the
    result to (same kind or a wider one).  Not float32 with int32 or
    int64: NumPy computes those in float64, Numba and pyjit in float32."""
    shapes = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0,
                                                    max_dims=3, max_side=4))
    arrs = []
    for shape in shapes.input_shapes:
        dtypes = OUT_DTYPES
        if arrs and arrs[0].dtype.kind == "i":
            dtypes = [d for d in dtypes if d != np.float32]
        elif arrs and arrs[0].dtype == np.float32:
            dtypes = [d for d in dtypes if d.kind != "i"]
        dtype = draw(st.sampled_from(dtypes))
        x = draw(hnp.arrays(dtype, shape, elements=elements(dtype)))
        arrs.append(x[()] if x.ndim == 0 and draw(st.booleans()) else x)
    result = np.result_type(*arrs)
    out_dtype = draw(st.sampled_from(
        [d for d in OUT_DTYPES if np.can_cast(result, d, "same_kind")]))
    shape = shapes.result_shape
    view = draw(st.sampled_from(["c", "f", "strided"]))
    if view == "f":
        out = np.zeros(shape[::-1], out_dtype).T
    elif view == "strided" and shape:
        out = np.zeros(shape[:-1] + (2 * shape[-1],), out_dtype)[..., ::2]
    else:
        out = np.zeros(shape, out_dtype)
    return arrs[0], arrs[1], out


@settings(SOME, max_examples=30)
@given(out_inputs(), st.sampled_from([add_into, add_into_keyword,
                                      maximum_into]))
def test_binary_ufunc_into_out(args, f):
    check_out(f, *args)


@settings(SOME, max_examples=20)
@given(st.sampled_from([sqrt_into, double_into, negative_into]),
       st.sampled_from([np.dtype(n) for n in ("int32", "int64", "float32",
                                              "float64")]),
       st.sampled_from([np.dtype("float32"), np.dtype("float64"),
                        np.dtype("complex128")]),
       hnp.array_shapes(min_dims=1, max_dims=2, min_side=0, max_side=4),
       st.data())
def test_unary_ufunc_into_out(f, dtype, out_dtype, shape, data):
    """Integer or float inputs, a float or complex out (into which NumPy
    casts each of these ufuncs' results), broadcast from a row."""
    a = data.draw(hnp.arrays(dtype, shape[-1:], elements=elements(dtype)))
    out = np.zeros(shape, out_dtype)
    if data.draw(st.booleans()):
        out = np.zeros(shape[::-1], out_dtype).T
    check_out(f, a, out)


def test_ufuncs_into_out_fixed_cases():
    a = np.arange(3.0).reshape(3, 1)
    b = np.arange(4.0)
    ia, ib = np.arange(3).reshape(3, 1), np.arange(4)
    for f in (add_into, add_into_keyword, maximum_into):
        check_out(f, a, b, np.zeros((3, 4)))
        check_out(f, ia, ib, np.zeros((3, 4)))               # float out
        check_out(f, ia, ib, np.zeros((3, 4), np.int32))
        check_out(f, ia, ib, np.zeros((3, 4), np.complex128))
        check_out(f, a, b, np.zeros((3, 4), np.float32))
        check_out(f, a, b, np.zeros((4, 3)).T)
        check_out(f, a, b, np.zeros((3, 8))[:, ::2])
        check_out(f, 1.5, 2.5, np.zeros(3))
        check_out(f, np.array([1.0, np.nan, -0.0]),
                  np.array([np.nan, 2.0, 0.0]), np.zeros(3))
        check_out(f, np.zeros((0, 4)), b, np.zeros((0, 4)))
        # out of a shape the inputs do not broadcast to: ValueError
        check_out(f, a, b, np.zeros((3, 5)))
        check_out(f, a, b, np.zeros(4))
        check_out(f, a, b, np.zeros((2, 3, 4)))
    for f in (sqrt_into, double_into, negative_into):
        check_out(f, np.arange(4.0), np.zeros(4))
        check_out(f, np.arange(4), np.zeros(4))
        check_out(f, np.array([-1.0, 4.0, -0.0]), np.zeros(3))
        check_out(f, np.arange(3.0).reshape(3, 1), np.zeros((3, 4)))
        check_out(f, np.arange(6.0).reshape(2, 3), np.zeros((3, 2)).T)
        check_out(f, np.arange(4.0), np.zeros(5))                # ValueError
        check_out(f, np.arange(4.0), np.zeros(4, np.complex128))
    check_out(negative_into, np.arange(4), np.zeros(4, np.int32))
    check_out(negative_into, np.arange(4, dtype=np.uint8),
              np.zeros(4, np.uint8))
    check_out(double_into, np.arange(4.0), np.zeros(4, np.float32))


@njit
def add_reversed_into_itself(a):
    return np.add(a, a[::-1], a)


@njit
def add_shifted_into_itself(a):
    return np.add(a[1:], a[:-1], a[:-1])


@njit
def add_into_shifted(a):
    return np.add(a[:-1], a[:-1], a[1:])


@njit
def negative_reversed_into_itself(a):
    return np.negative(a[::-1], a)


@njit
def add_transposed_into_itself(a):
    return np.add(a, a.T, a)


def check_in_place(f, a):
    mine, theirs = a.copy(), a.copy()
    with np.errstate(all="ignore"):
        want = f.py_func(theirs)
        got = f(mine)
    assert_compiled(f)
    assert_same_array(got, want)
    assert_same_array(mine, theirs)


@pytest.mark.parametrize("f", [add_reversed_into_itself,
                               add_shifted_into_itself, add_into_shifted,
                               negative_reversed_into_itself])
def test_out_overlapping_an_input(f):
    """NumPy reads the inputs as they were before it writes out."""
    for n in range(1, 9):
        check_in_place(f, np.arange(n, dtype=np.float64) * 1.5)
    check_in_place(f, np.arange(7))
    check_in_place(f, np.arange(12.0)[::2])


def test_out_the_transpose_of_an_input():
    for n in (1, 2, 3, 4):
        check_in_place(add_transposed_into_itself,
                       np.arange(n * n, dtype=np.float64).reshape(n, n))
    check_in_place(add_transposed_into_itself,
                   np.arange(9.0).reshape(3, 3).T.copy().T)


def test_float_result_into_an_integer_out_is_an_error():
    for f, args in [(add_into, (np.arange(3.0), np.arange(3.0),
                                np.zeros(3, np.int64))),
                    (sqrt_into, (np.arange(3), np.zeros(3, np.int64))),
                    (double_into, (np.arange(3), np.zeros(3, np.int32)))]:
        with pytest.raises(TypeError):
            f.py_func(*args)
        with pytest.raises((TypeError, TypingError)):
            f(*args)


def test_negative_of_booleans_into_out_is_an_error():
    a, out = np.array([True, False]), np.zeros(2, np.bool_)
    with pytest.raises(TypeError):
        negative_into.py_func(a, out.copy())
    with pytest.raises((TypeError, TypingError)):
        negative_into(a, out)


# ------------------------------------------- number classes of sequences --

@njit
def as_float64(x):
    return np.float64(x)


@njit
def as_int32(x):
    return np.int32(x)


@njit
def as_bool(x):
    return np.bool_(x)


@pytest.mark.parametrize("x", [(1, 2, 3), (1.5, -2.7), [0.5, 2.0, -3.25],
                               np.arange(6).reshape(2, 3),
                               np.array([0.0, -1.5, 7.9])],
                         ids=["int tuple", "float tuple", "list", "2-d",
                              "float array"])
def test_number_class_of_a_sequence_is_an_array(x):
    """np.float64((1, 2, 3)) is an array of float64, as NumPy makes it."""
    for f in (as_float64, as_int32, as_bool):
        assert_same_array(f(x), f.py_func(x))
        assert_compiled(f)


# ---------------------------------------------- concatenate of a list --

@njit
def join_list(arrays, axis):
    return np.concatenate(arrays, axis)


@pytest.mark.parametrize("shape, axis", [((3,), 0), ((2, 3), 0), ((2, 3), 1),
                                         ((2, 3, 2), 2)])
def test_concatenate_of_a_list_of_arrays(shape, axis):
    parts = [np.arange(np.prod(shape), dtype=np.float64).reshape(shape) + k
             for k in range(3)]
    assert_same_array(join_list(parts, axis), np.concatenate(parts, axis))
    assert_compiled(join_list)


def test_concatenate_of_arrays_of_other_dimensions_is_a_typing_error():
    with pytest.raises(TypingError, match="same number of dimensions"):
        join_list((np.ones((2, 3)), np.ones(3)), 0)
