"""Differential tests: NumPy's advanced ("fancy") indexing with several
index arrays, index arrays of two dimensions and index arrays beside
slices, integers and boolean masks, read and assigned to in nopython code,
against NumPy.

Read: a[i, j] (the index arrays broadcast together: equal lengths, (k,)
with (1,), a 2-d one with a 1-d one), a[idx2d] of a 1-d and a 2-d array,
x[:, i, j] (adjacent index arrays keep their place in the result),
x[:, i, :, j] (separated ones put the broadcast dimensions first), an
integer beside an index array (x[0, :, idx], x[:, -1, idx], x[idx, :, 1]:
the integer counts as an advanced index), a[idx, 1:3], a[1:, idx] and
a[mask, idx] (the mask stands for its nonzero positions).

Assigned: a[:, i] = v, a[i, :] = a[i, :] * 2.0, a[i, 1] = v, a[i, j] = v,
a[idx2d] = v of a 1-d array and x[:, i, j] = v, v a number or an array that
broadcasts to the selection (or, now and then, one that does not).

Over array dtypes float64, float32, int64, complex128 and bool, index
dtypes int8, int32, int64, uint8 and uint64, arrays that are contiguous,
every other row of a bigger one or transposed, 0-sized axes and 0-length
index arrays, negative indices, indices out of bounds, index arrays that
do not broadcast together (IndexError), values that do not fit (ValueError),
repeated indices in assignments (the last write wins), and selections
with no elements (NumPy checks the values of index arrays only when they
broadcast to a shape with elements, an integer index always). An error must
be of NumPy's exception type; its message is not compared. Each jitted
function must have compiled in nopython mode."""
import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

from difftest import assert_compiled
from np_arrays import SOME, assert_same_array, elements
from pyjit import njit

INDEX_DTYPES = [np.dtype(n) for n in ("int8", "int32", "int64", "uint8",
                                      "uint64")]
ARRAY_DTYPES = [np.dtype(n) for n in ("float64", "float32", "int64",
                                      "complex128", "bool")]
FLOAT_DTYPES = [np.dtype(n) for n in ("float64", "float32", "complex128")]


# Reading ------------------------------------------------------------------

@njit
def at_pairs(a, i, j):
    return a[i, j]


@njit
def take(a, idx):
    return a[idx]


@njit
def adjacent_pair(x, i, j):
    return x[:, i, j]


@njit
def separated_pair(x, i, j):
    return x[:, i, :, j]


@njit
def integer_first(x, idx):
    return x[0, :, idx]


@njit
def integer_adjacent(x, idx):
    return x[:, -1, idx]


@njit
def integer_last(x, idx):
    return x[idx, :, 1]


@njit
def rows_and_slice(a, idx):
    return a[idx, 1:3]


@njit
def slice_and_columns(a, idx):
    return a[1:, idx]


@njit
def mask_and_index(a, mask, idx):
    return a[mask, idx]


# Assigning ----------------------------------------------------------------

@njit
def set_columns(a, i, v):
    a[:, i] = v
    return a


@njit
def scale_rows(a, i):
    a[i, :] = a[i, :] * 2.0
    return a


@njit
def set_rows_at_column(a, i, v):
    a[i, 1] = v
    return a


@njit
def set_pairs(a, i, j, v):
    a[i, j] = v
    return a


@njit
def put(a, idx, v):
    a[idx] = v
    return a


@njit
def set_adjacent_pair(x, i, j, v):
    x[:, i, j] = v
    return x


# Inputs -------------------------------------------------------------------

def values_of(dtype):
    """Elements of an array of dtype (np_arrays.elements, and complex
    numbers made of two such floats)."""
    if dtype.kind == "c":
        part = elements(np.dtype("float64"))
        return st.builds(complex, part, part)
    return elements(dtype)


def numbers_of(dtype):
    """A Python number of dtype's kind (bool, int, float or complex) that
    dtype holds exactly."""
    return values_of(dtype).map(lambda x: dtype.type(x).item())


@st.composite
def laid_out(draw, dtype, shape):
    """An array of dtype and shape: contiguous, every other row of a bigger
    array, or the transpose of a contiguous one."""
    view = draw(st.sampled_from(["c", "strided", "transposed"]))
    shape = tuple(shape)
    values = values_of(dtype)
    if view == "strided":
        return draw(hnp.arrays(dtype, (2 * shape[0],) + shape[1:],
                               elements=values))[::2]
    if view == "transposed":
        return draw(hnp.arrays(dtype, shape[::-1], elements=values)).T
    return draw(hnp.arrays(dtype, shape, elements=values))


@st.composite
def index_arrays(draw, n, shape, dtype=None, out_of_bounds=False):
    """An integer index array of shape (of a dtype of INDEX_DTYPES unless
    given) for an axis of length n: in bounds (negative indices among them
    for a signed dtype; none are for n == 0) or, if out_of_bounds, with
    values up to 2 past either end (for an unsigned dtype only
    non-negative values); now and then every other element of a bigger
    array."""
    dtype = dtype if dtype is not None else draw(st.sampled_from(INDEX_DTYPES))
    signed = dtype.kind == "i"
    lo, hi = (-n if signed else 0), n - 1
    if out_of_bounds or n == 0:
        lo, hi = (-n - 2 if signed else 0), n + 1
    values = st.integers(lo, hi)
    shape = tuple(shape)
    if len(shape) and draw(st.sampled_from([False, False, False, True])):
        return draw(hnp.arrays(dtype, (2 * shape[0],) + shape[1:],
                               elements=values))[::2]
    return draw(hnp.arrays(dtype, shape, elements=values))


@st.composite
def pair_shapes(draw, broadcast=True):
    """Shapes of two index arrays that broadcast together ((k,) with (k,)
    or with (1,), a 2-d one with a 1-d one), or, if not broadcast, ones
    that do not."""
    k, m = draw(st.integers(0, 4)), draw(st.integers(1, 3))
    if not broadcast:
        return draw(st.sampled_from([((2,), (3,)), ((0,), (2,)), ((3,), (0,)),
                                     ((m, 3), (2,)), ((4,), (m, 3))]))
    return draw(st.sampled_from([((k,), (k,)), ((k,), (1,)), ((1,), (k,)),
                                 ((m, k), (k,)), ((k,), (m, 1)),
                                 ((m, 1), (k,))]))


def value_for(data, dtype, shape, fits=True):
    """What to assign to a selection of shape: a number, a 1-d array of its
    last length or of length 1, or an array of its shape; or, if not fits,
    a 1-d array that does not broadcast to it."""
    if not fits:
        n = max(shape[-1] + 1, 2)
        return data.draw(hnp.arrays(dtype, (n,), elements=values_of(dtype)))
    kind = data.draw(st.sampled_from(["number", "last", "one", "whole"]))
    if kind == "number":
        return data.draw(numbers_of(dtype))
    vshape = {"last": shape[-1:], "one": (1,), "whole": shape}[kind]
    return data.draw(hnp.arrays(dtype, vshape, elements=values_of(dtype)))


def sides(lo=0, hi=5):
    """The length of an axis, lo to hi; 0, if lo allows, half as often
    as each other length."""
    return st.sampled_from(2 * list(range(max(lo, 1), hi + 1))
                           + ([0] if lo == 0 else []))


# What an example tests: a selection in bounds; an index out of bounds
# (IndexError); index arrays that do not broadcast together (IndexError);
# a value that does not broadcast to the selection (ValueError).
READ_MODES = st.sampled_from(["ok"] * 4 + ["out of bounds", "bad index"])
WRITE_MODES = st.sampled_from(["ok"] * 4 + ["out of bounds", "bad value"])
PAIR_WRITE_MODES = st.sampled_from(["ok"] * 4 + ["out of bounds",
                                                 "bad value", "bad index"])
# for the tests run once for each of a few functions
FEWER = settings(SOME, max_examples=12)


# Comparing ----------------------------------------------------------------

def fresh(x):
    """A copy of x laid out as x is (contiguous, Fortran order or every
    other row), so that both sides see the same types; anything but an
    array as it is."""
    if not isinstance(x, np.ndarray):
        return x
    if x.flags.c_contiguous:
        return x.copy()
    if x.flags.f_contiguous:
        return x.copy(order="F")
    b = np.empty((2 * x.shape[0],) + x.shape[1:], x.dtype)[::2]
    b[...] = x
    return b


def run_on_copies(f, *args):
    """np_arrays.run_both for a function that may write to its arguments:
    f.py_func and f compiled each run on their own copies of args;
    ('ok', compiled, expected) or ('exc', compiled exception, expected
    exception)."""
    try:
        with np.errstate(all="ignore"):
            expected = f.py_func(*[fresh(x) for x in args])
    except Exception as e:  # noqa: BLE001 - compared with pyjit's below
        try:
            f(*[fresh(x) for x in args])
        except Exception as got:  # noqa: BLE001
            assert_compiled(f)
            return "exc", got, e
        raise AssertionError(f"{f.__name__}{args!r}: no exception, NumPy "
                             f"raised {e!r}")
    actual = f(*[fresh(x) for x in args])
    assert_compiled(f)
    return "ok", actual, expected


def same_outcome(f, *args):
    """f compiled gives NumPy's array, or raises NumPy's exception type."""
    kind, got, want = run_on_copies(f, *args)
    if kind == "exc":
        assert type(got) is type(want), \
            f"{f.__name__}{args!r}: {got!r}, NumPy raised {want!r}"
    else:
        assert_same_array(got, want, where=f"{f.__name__}{args!r}")


# Reading: hypothesis ------------------------------------------------------

def draw_row_and_column_indices(data, rows, cols, si, sj, oob):
    """Index arrays of shapes si and sj into rows and columns, the second
    of the first's dtype or int64."""
    i = data.draw(index_arrays(rows, si, out_of_bounds=oob))
    jdtype = data.draw(st.sampled_from([i.dtype, np.dtype("int64")]))
    return i, data.draw(index_arrays(cols, sj, jdtype, out_of_bounds=oob))


@SOME
@given(st.data(), st.sampled_from(ARRAY_DTYPES), sides(), sides(), READ_MODES)
def test_two_index_arrays(data, dtype, rows, cols, mode):
    a = data.draw(laid_out(dtype, (rows, cols)))
    si, sj = data.draw(pair_shapes(mode != "bad index"))
    i, j = draw_row_and_column_indices(data, rows, cols, si, sj,
                                       mode == "out of bounds")
    same_outcome(at_pairs, a, i, j)


@SOME
@given(st.data(), st.sampled_from(ARRAY_DTYPES), st.integers(1, 2),
       st.integers(0, 3), st.integers(0, 3), READ_MODES)
def test_index_array_of_two_dims(data, dtype, ndim, m, k, mode):
    shape = data.draw(st.lists(sides(), min_size=ndim, max_size=ndim))
    a = data.draw(laid_out(dtype, shape))
    idx = data.draw(index_arrays(shape[0], (m, k),
                                 out_of_bounds=mode != "ok"))
    same_outcome(take, a, idx)


@pytest.mark.parametrize("f, ndim, hi, axes", [
    (adjacent_pair, 3, 4, (1, 2)), (separated_pair, 4, 3, (1, 3))],
    ids=["adjacent", "separated"])
@SOME
@given(data=st.data(), dtype=st.sampled_from(ARRAY_DTYPES), mode=READ_MODES)
def test_pair_of_index_arrays(f, ndim, hi, axes, data, dtype, mode):
    """x[:, i, j] (adjacent index arrays) and x[:, i, :, j] (separated)."""
    shape = data.draw(st.lists(sides(hi=hi), min_size=ndim, max_size=ndim))
    x = data.draw(laid_out(dtype, shape))
    si, sj = data.draw(pair_shapes(mode != "bad index"))
    oob = mode == "out of bounds"
    i = data.draw(index_arrays(shape[axes[0]], si, out_of_bounds=oob))
    j = data.draw(index_arrays(shape[axes[1]], sj, i.dtype,
                               out_of_bounds=oob))
    same_outcome(f, x, i, j)


@pytest.mark.parametrize("f", [integer_first, integer_adjacent,
                               integer_last])
@FEWER
@given(data=st.data(), dtype=st.sampled_from(ARRAY_DTYPES),
       shape=st.lists(sides(hi=4), min_size=3, max_size=3),
       idx_shape=st.sampled_from([(3,), (1,), (0,), (2, 2)]),
       mode=READ_MODES)
def test_integer_beside_index_array(f, data, dtype, shape, idx_shape, mode):
    x = data.draw(laid_out(dtype, shape))
    axis = 0 if f is integer_last else 2
    idx = data.draw(index_arrays(shape[axis], idx_shape,
                                 out_of_bounds=mode != "ok"))
    same_outcome(f, x, idx)


@pytest.mark.parametrize("f", [rows_and_slice, slice_and_columns])
@FEWER
@given(data=st.data(), dtype=st.sampled_from(ARRAY_DTYPES), rows=sides(),
       cols=sides(), k=st.integers(0, 5), mode=READ_MODES)
def test_index_array_beside_slice(f, data, dtype, rows, cols, k, mode):
    a = data.draw(laid_out(dtype, (rows, cols)))
    n = rows if f is rows_and_slice else cols
    idx = data.draw(index_arrays(n, (k,), out_of_bounds=mode != "ok"))
    same_outcome(f, a, idx)


@SOME
@given(st.data(), st.sampled_from(ARRAY_DTYPES), sides(), sides(),
       READ_MODES)
def test_mask_beside_index_array(data, dtype, rows, cols, mode):
    a = data.draw(laid_out(dtype, (rows, cols)))
    bad = mode == "bad index"
    wrong_mask = bad and data.draw(st.booleans())
    mask = data.draw(laid_out(np.dtype("bool"),
                              (rows + 1 if wrong_mask else rows,)))
    count = int(np.count_nonzero(mask))
    if bad and not wrong_mask:      # lengths that do not broadcast
        k = data.draw(st.sampled_from([count + 1, 0 if count > 1 else 2]))
    else:
        k = data.draw(st.sampled_from([count, count, 1]))
    idx = data.draw(index_arrays(cols, (k,),
                                 out_of_bounds=mode == "out of bounds"))
    same_outcome(mask_and_index, a, mask, idx)


# Assigning: hypothesis ----------------------------------------------------

@SOME
@given(st.data(), st.sampled_from(ARRAY_DTYPES), WRITE_MODES,
       st.integers(0, 5))
def test_set_columns(data, dtype, mode, k):
    lo = 1 if mode == "bad value" else 0
    rows, cols = data.draw(sides(lo)), data.draw(sides(lo))
    a = data.draw(laid_out(dtype, (rows, cols)))
    i = data.draw(index_arrays(cols, (k,),
                               out_of_bounds=mode == "out of bounds"))
    v = value_for(data, dtype, (rows, k), fits=mode != "bad value")
    same_outcome(set_columns, a, i, v)


@SOME
@given(st.data(), st.sampled_from(FLOAT_DTYPES), sides(), sides(),
       st.integers(0, 6), st.sampled_from([False, False, False, True]))
def test_scale_rows(data, dtype, rows, cols, k, oob):
    a = data.draw(laid_out(dtype, (rows, cols)))
    idx = data.draw(index_arrays(rows, (k,), out_of_bounds=oob))
    same_outcome(scale_rows, a, idx)


@SOME
@given(st.data(), st.sampled_from(ARRAY_DTYPES), WRITE_MODES,
       st.integers(0, 5))
def test_set_rows_at_a_column(data, dtype, mode, k):
    rows = data.draw(sides(1 if mode == "bad value" else 0))
    cols = data.draw(sides(0 if mode == "out of bounds" else 2))
    a = data.draw(laid_out(dtype, (rows, cols)))
    i = data.draw(index_arrays(rows, (k,),
                               out_of_bounds=mode == "out of bounds"))
    v = value_for(data, dtype, (k,), fits=mode != "bad value")
    same_outcome(set_rows_at_column, a, i, v)


@SOME
@given(st.data(), st.sampled_from(ARRAY_DTYPES), PAIR_WRITE_MODES)
def test_set_pairs(data, dtype, mode):
    lo = 1 if mode == "bad value" else 0
    rows, cols = data.draw(sides(lo)), data.draw(sides(lo))
    a = data.draw(laid_out(dtype, (rows, cols)))
    si, sj = data.draw(pair_shapes(mode != "bad index"))
    i, j = draw_row_and_column_indices(data, rows, cols, si, sj,
                                       mode == "out of bounds")
    if mode == "bad index":
        v = data.draw(numbers_of(dtype))
    elif mode == "bad value":
        v = value_for(data, dtype, np.broadcast_shapes(si, sj), fits=False)
    else:
        # a number, or a 1-d array of the broadcast shape's last length
        shape = np.broadcast_shapes(si, sj)
        v = data.draw(st.one_of(numbers_of(dtype), hnp.arrays(
            dtype, shape[-1:], elements=values_of(dtype))))
    same_outcome(set_pairs, a, i, j, v)


@SOME
@given(st.data(), st.sampled_from(ARRAY_DTYPES), WRITE_MODES,
       st.integers(0, 3), st.integers(0, 3))
def test_put_with_index_array_of_two_dims(data, dtype, mode, m, k):
    n = data.draw(sides(1 if mode == "bad value" else 0, 6))
    a = data.draw(laid_out(dtype, (n,)))
    idx = data.draw(index_arrays(n, (m, k),
                                 out_of_bounds=mode == "out of bounds"))
    v = value_for(data, dtype, (m, k), fits=mode != "bad value")
    same_outcome(put, a, idx, v)


@SOME
@given(st.data(), st.sampled_from(ARRAY_DTYPES), PAIR_WRITE_MODES)
def test_set_adjacent_index_arrays(data, dtype, mode):
    lo = 1 if mode == "bad value" else 0
    shape = data.draw(st.lists(sides(lo, 4), min_size=3, max_size=3))
    x = data.draw(laid_out(dtype, shape))
    si, sj = data.draw(pair_shapes(mode != "bad index"))
    oob = mode == "out of bounds"
    i = data.draw(index_arrays(shape[1], si, out_of_bounds=oob))
    j = data.draw(index_arrays(shape[2], sj, i.dtype, out_of_bounds=oob))
    if mode == "bad index":
        v = data.draw(numbers_of(dtype))
    else:
        target = (shape[0],) + np.broadcast_shapes(si, sj)
        v = value_for(data, dtype, target, fits=mode != "bad value")
    same_outcome(set_adjacent_pair, x, i, j, v)


# Fixed cases --------------------------------------------------------------

X3 = np.arange(2.0 * 3 * 4).reshape(2, 3, 4)
X4 = np.arange(2.0 * 3 * 4 * 5).reshape(2, 3, 4, 5)
I2 = np.array([2, -1], np.int64)
J2 = np.array([[0], [-3], [1]], np.int64)


@pytest.mark.parametrize("f,args,shape", [
    pytest.param(adjacent_pair, (X3, I2, np.array([3, 0])), (2, 2),
                 id="x[:, i, j]"),
    pytest.param(adjacent_pair, (X3, I2, J2), (2, 3, 2), id="x[:, i, j2d]"),
    pytest.param(separated_pair, (X4, I2, np.array([4, 0])), (2, 2, 4),
                 id="x[:, i, :, j]"),
    pytest.param(separated_pair, (X4, I2, J2), (3, 2, 2, 4),
                 id="x[:, i, :, j2d]"),
    pytest.param(integer_first, (X3, np.array([3, 1, 0])), (3, 3),
                 id="x[0, :, idx]"),
    pytest.param(integer_adjacent, (X3, np.array([3, 1, 0])), (2, 3),
                 id="x[:, -1, idx]"),
    pytest.param(integer_last, (X3, np.array([1, 0, 1, 1])), (4, 3),
                 id="x[idx, :, 1]"),
    pytest.param(at_pairs, (X3[0], np.array([0, 2, -1]), np.array([1])),
                 (3,), id="a[i, j] (3,) with (1,)"),
    pytest.param(at_pairs, (X3[0], np.array([[0], [2]]),
                            np.array([1, 3, -4])), (2, 3),
                 id="a[i, j] (2, 1) with (3,)"),
    pytest.param(take, (X3[0, 0], np.array([[0, 1], [3, -1], [2, 2]])),
                 (3, 2), id="a1d[idx2d]"),
    pytest.param(take, (X3[0], np.array([[0, 1], [2, -1]])), (2, 2, 4),
                 id="a2d[idx2d]"),
    pytest.param(mask_and_index, (X3[0], np.array([True, False, True]),
                                  np.array([3])), (2,), id="a[mask, idx]"),
])
def test_where_the_broadcast_dimensions_go(f, args, shape):
    kind, got, want = run_on_copies(f, *args)
    assert kind == "ok", (got, want)
    assert want.shape == shape
    assert_same_array(got, want)


def test_repeated_indices_last_write_wins():
    a = np.arange(12.0).reshape(3, 4)
    cols = np.array([2, 0, 2, -2])
    same_outcome(set_columns, a, cols, np.array([[1.0, 2.0, 3.0, 4.0]]))
    same_outcome(set_columns, a, cols, np.arange(12.0).reshape(3, 4) + 50)
    rows = np.array([1, -2, 1, 0])
    same_outcome(set_rows_at_column, a, rows, np.array([5.0, 6.0, 7.0, 8.0]))
    same_outcome(set_pairs, a, rows, np.array([3, -1, 3, 0]),
                 np.array([5.0, 6.0, 7.0, 8.0]))
    same_outcome(scale_rows, a, np.array([0, 0, -3, 2]))
    same_outcome(put, np.zeros(5), np.array([[1, 4], [1, -1], [-4, 1]]),
                 np.arange(6.0).reshape(3, 2))
    x = np.zeros((2, 3, 4))
    same_outcome(set_adjacent_pair, x, np.array([1, 1, -2]),
                 np.array([3, 3, 3]), np.arange(6.0).reshape(2, 3))


def _i(*values):
    """An int64 index array of values."""
    return np.array(values, np.int64)


EMPTY = np.zeros((2, 0), np.int64)


# NumPy checks an index array's values only when the index arrays broadcast
# to a shape with elements (then even if the selection has none, an axis
# beside them being 0 long); an integer index it always checks.
@pytest.mark.parametrize("f,args", [
    pytest.param(at_pairs, (np.zeros((3, 4)), _i(), _i(9)),
                 id="a[[], [9]] (0,)"),
    pytest.param(at_pairs, (np.zeros((3, 0)), _i(), _i(0)),
                 id="a[[], [0]] 0 columns (0,)"),
    pytest.param(at_pairs, (np.zeros((3, 4)), EMPTY, _i(9)),
                 id="a[i(2,0), [9]] (2, 0)"),
    pytest.param(mask_and_index, (np.zeros((3, 4)), np.zeros(3, np.bool_),
                                  _i(9)), id="a[no rows, [9]] (0,)"),
    pytest.param(adjacent_pair, (np.zeros((2, 0, 3)), _i(), _i(5)),
                 id="x[:, [], [5]] (2, 0)"),
    pytest.param(separated_pair, (np.zeros((2, 0, 3, 1)), _i(), _i(5)),
                 id="x[:, [], :, [5]] (0, 2, 3)"),
    pytest.param(take, (np.zeros(0), EMPTY), id="a1d[i(2,0)] (2, 0)"),
    pytest.param(take, (np.zeros(0), np.zeros((2, 1), np.int64)),
                 id="a1d[i(2,1)] IndexError"),
    pytest.param(take, (np.zeros((0, 2)), EMPTY), id="a2d[i(2,0)] (2, 0, 2)"),
    pytest.param(rows_and_slice, (np.zeros((4, 0)), _i(9)),
                 id="a[[9], 1:3] 0 columns IndexError"),
    pytest.param(slice_and_columns, (np.zeros((0, 4)), _i(9)),
                 id="a[1:, [9]] 0 rows IndexError"),
    pytest.param(integer_first, (np.zeros((0, 1, 1)), _i()),
                 id="x[0, :, []] 0 long IndexError"),
    pytest.param(integer_adjacent, (np.zeros((1, 0, 1)), _i()),
                 id="x[:, -1, []] 0 long IndexError"),
    pytest.param(integer_last, (np.zeros((1, 1, 0)), _i()),
                 id="x[[], :, 1] 0 long IndexError"),
    pytest.param(set_pairs, (np.zeros((3, 4)), _i(), _i(9), 1.0),
                 id="a[[], [9]] = 1"),
    pytest.param(set_columns, (np.zeros((3, 4)), _i(), 1.0),
                 id="a[:, []] = 1"),
    pytest.param(set_rows_at_column, (np.zeros((3, 1)), _i(), 1.0),
                 id="a[[], 1] = 1 1 column IndexError"),
    pytest.param(set_adjacent_pair, (np.zeros((2, 3, 4)), _i(), _i(9), 1.0),
                 id="x[:, [], [9]] = 1"),
    pytest.param(put, (np.zeros(3), EMPTY, 1.0), id="a[i(2,0)] = 1"),
])
def test_empty_selections(f, args):
    same_outcome(f, *args)


@pytest.mark.parametrize("i,j", [
    (np.array([0, 1]), np.array([0, 1, 2])),
    (np.array([], np.int64), np.array([0, 1])),
    (np.zeros((2, 3), np.int64), np.array([0, 1])),
    (np.array([9, 9]), np.array([0, 1, 2])),
])
def test_index_arrays_that_do_not_broadcast(i, j):
    a = np.zeros((3, 4))
    for f, args in [(at_pairs, (a, i, j)), (set_pairs, (a, i, j, 1.0)),
                    (set_pairs, (a, i, j, np.ones(3))),
                    (adjacent_pair, (a[None], i, j)),
                    (separated_pair, (a[None, :, None], i, j)),
                    (set_adjacent_pair, (a[None], i, j, 2.0))]:
        with pytest.raises(IndexError):
            f.py_func(*[fresh(x) for x in args])
        with pytest.raises(IndexError):
            f(*[fresh(x) for x in args])
        assert_compiled(f)


@pytest.mark.parametrize("mask,idx", [
    (np.array([True, False, True]), np.array([0, 1, 2])),
    (np.array([True, True, True]), np.array([], np.int64)),
    (np.array([False, False, False]), np.array([1, 2])),
])
def test_mask_that_does_not_broadcast_with_index_array(mask, idx):
    a = np.zeros((3, 4))
    with pytest.raises(IndexError):
        mask_and_index.py_func(a, mask, idx)
    with pytest.raises(IndexError):
        mask_and_index(a, mask, idx)
    assert_compiled(mask_and_index)
