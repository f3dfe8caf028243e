"""Differential tests: NumPy's functions that reshape, repeat, split and
compare arrays in nopython code (pyjit/_np_shape2.py) against NumPy, on
arrays of several dtypes and shapes (0-sized ones and views that are not
contiguous among them), with NumPy's exceptions for bad arguments."""
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

from difftest import assert_compiled
from np_arrays import SOME, arrays, assert_same_array, run_both
from pyjit import njit

FEW = settings(SOME, max_examples=6)
F8 = np.dtype("float64")
I4 = np.dtype("int32")
floats_or_ints = st.sampled_from([F8, I4])


def same(f, *args):
    """f compiled gives what NumPy gives: equal arrays (or tuples or
    lists of them), or the same exception and message."""
    kind, got, want = run_both(f, *args)
    if kind == "exc":
        assert type(got) is type(want), (got, want)
        assert str(got) == str(want)
        return
    same_value(got, want)


def same_value(got, want):
    if isinstance(want, (tuple, list)):
        assert type(got) is type(want) and len(got) == len(want)
        for g, w in zip(got, want):
            same_value(g, w)
    elif isinstance(want, np.ndarray):
        assert_same_array(got, want)
    else:
        assert got == want and type(got) is type(want), (got, want)


@njit
def expand_dims(a, axis):
    return np.expand_dims(a, axis)


@njit
def squeeze(a, axis):
    return np.squeeze(a, axis)


@njit
def atleast(a):
    return np.atleast_1d(a), np.atleast_2d(a), np.atleast_3d(a)


@FEW
@given(arrays(dtype=F8), st.integers(-5, 4))
def test_expand_dims(a, axis):
    same(expand_dims, a, axis)


@FEW
@given(arrays(dtype=F8, ndim=3, min_side=1), st.integers(-4, 3))
def test_squeeze_an_axis(a, axis):
    same(squeeze, a[:, :1, :], axis)
    same(squeeze, a, axis)


@FEW
@given(arrays(dtype=F8))
def test_atleast_nd(a):
    same(atleast, a)
    same(atleast, 2.5)


def test_expanded_dims_are_views():
    @njit
    def write_through(a):
        v = np.expand_dims(a, 1)
        v[0, 0] = 9.0
        return v.shape

    a = np.zeros(3)
    assert write_through(a) == (3, 1) and a[0] == 9.0


@njit
def repeat(a, n):
    return np.repeat(a, n), a.repeat(n)


@njit
def tile(a, n):
    return np.tile(a, n)


@FEW
@given(arrays(dtype=I4), st.integers(-1, 3))
def test_repeat_a_number_of_times(a, n):
    same(repeat, a, n)
    same(tile, a, n)


@FEW
@given(arrays(dtype=F8, ndim=1), st.lists(st.integers(-1, 3), max_size=5))
def test_repeat_by_an_array(a, counts):
    same(repeat, a, np.array(counts, np.int64))


@njit
def meshgrid(x, y):
    return np.meshgrid(x, y), np.meshgrid(x, y, indexing="ij")


@FEW
@given(arrays(dtype=F8, ndim=1), arrays(dtype=I4, ndim=1))
def test_meshgrid(x, y):
    kind, got, want = run_both(meshgrid, x, y)
    for g, w in zip(got, want):
        for gg, ww in zip(g, w):
            assert_same_array(gg, ww)


@njit
def linspace(start, stop, num, endpoint):
    return np.linspace(start, stop, num, endpoint=endpoint)


@SOME
@given(st.floats(-1e3, 1e3), st.floats(-1e3, 1e3), st.integers(-1, 12),
       st.booleans())
def test_linspace(start, stop, num, endpoint):
    same(linspace, start, stop, num, endpoint)


@njit
def append(a, b):
    return np.append(a, b)


@njit
def delete(a, i):
    return np.delete(a, i)


@FEW
@given(arrays(dtype=I4), arrays(dtype=F8), st.integers(-8, 8))
def test_append_and_delete(a, b, i):
    same(append, a, b)
    same(append, a, 2.5)
    same(delete, a, i)
    if a.size:
        same(delete, a, np.array([0, a.size - 1]))


@njit
def delete_forms(a, i, j, start, stop, step):
    return (np.delete(a, [i]), np.delete(a, [i, j]), np.delete(a, (j, i)),
            np.delete(a, slice(start, stop, step)),
            np.delete(a, slice(None, stop)))


@FEW
@given(arrays(dtype=F8), st.integers(-8, 8), st.integers(-8, 8),
       st.integers(-9, 9), st.integers(-9, 9),
       st.sampled_from([1, 2, 3, -1, -2]))
def test_delete_of_a_list_a_tuple_and_a_slice(a, i, j, start, stop, step):
    # pacmap/pacmap.py: dist_list = np.delete(dist_list, [min_dic])
    same(delete_forms, a, i, j, start, stop, step)


@njit
def split(a, n):
    return np.split(a, n)


@njit
def array_split(a, n):
    return np.array_split(a, n)


@FEW
@given(arrays(dtype=F8), st.integers(-1, 4),
       st.lists(st.integers(-6, 6), max_size=3))
def test_split(a, n, indices):
    same(split, a, n)
    same(array_split, a, n)
    same(split, a, np.array(indices, np.int64))
    same(array_split, a, np.array(indices, np.int64))


@njit
def partition(a, k):
    return np.partition(a, k), np.argpartition(a, k)


def partitioned(a, kth):
    """partition's part and order of a at kth, each of a's shape, and
    NumPy's results; None when both raised the same exception."""
    kind, got, want = run_both(partition, a, kth)
    if kind == "exc":
        assert type(got) is type(want) and str(got) == str(want)
        return None
    part, order = got
    assert part.shape == a.shape and order.shape == a.shape
    return part, order, want


@FEW
@given(arrays(dtype=F8, min_side=1), st.integers(-6, 6))
def test_partition(a, k):
    got = partitioned(a, k)
    if got is None:
        return
    part, order, want = got
    kk = k % a.shape[-1]
    # the k-th of each row is the one a sort puts there, with no larger
    # one before it and no smaller one after it
    assert_same_array(part[..., kk], want[0][..., kk])
    assert_same_array(np.take_along_axis(a, order, -1)[..., kk],
                      want[0][..., kk])
    assert_same_array(np.sort(part, -1), np.sort(a, -1))
    assert_compiled(partition)


@njit
def isin(a, b):
    return np.isin(a, b), np.isin(a, b, invert=True)


@FEW
@given(arrays(dtype=I4), arrays(dtype=I4))
def test_isin(a, b):
    same(isin, a, b)
    same(isin, a.astype(np.float64), np.array([np.nan, 1.0, 2.0]))


@njit
def close(a, b, equal_nan):
    return (np.isclose(a, b), np.isclose(a, b, 1e-3, 1e-5, equal_nan),
            np.allclose(a, b), np.allclose(a, b, equal_nan=equal_nan))


@FEW
@given(arrays(dtype=F8, ndim=2), st.booleans())
def test_isclose_and_allclose(a, equal_nan):
    b = a + a * 1e-6
    same(close, a, b, equal_nan)
    same(close, a, a[:1], equal_nan)
    same(close, a, 1.0, equal_nan)


@njit
def array_equal(a, b):
    return np.array_equal(a, b), np.array_equal(a, b, equal_nan=True)


@FEW
@given(arrays(dtype=F8), arrays(dtype=F8))
def test_array_equal(a, b):
    same(array_equal, a, b)
    same(array_equal, a, a.copy())
    same(array_equal, a, a[..., :1])


@njit
def sort_kind(a, kind):
    b = a.copy()
    b.sort(kind=kind)
    return np.sort(a, kind=kind), np.argsort(a, kind=kind), b


KINDS = ["quicksort", "mergesort", "heapsort", "stable"]


@FEW
@given(arrays(dtype=F8), st.sampled_from(KINDS))
def test_sort_kinds(a, kind):
    """Every kind sorts as NumPy does (0.0 and -0.0 kept in order by the
    stable ones); the stable argsort is NumPy's, any argsort sorts."""
    got_sort, got_order, got_inplace = sort_kind(a, kind)
    assert_compiled(sort_kind)
    want = np.sort(a, kind=kind)
    assert_same_array(got_inplace, got_sort)
    if kind in ("mergesort", "stable"):
        assert_same_array(got_sort, want)
        assert_same_array(got_order, np.argsort(a, kind=kind))
    else:
        assert_same_array(got_sort, want, zero_signs=False)
    assert_same_array(np.take_along_axis(a, got_order, -1), want,
                      zero_signs=False)


def test_sort_kind_is_read_as_numpy_reads_it():
    a = np.array([2.0, 1.0])
    for kind in ("q", "Stable", "mergesortx", "H"):
        same(sort_kind, a, kind)
    with pytest.raises(ValueError, match=r"sort kind must be one of 'quick', "
                       r"'heap', or 'stable' \(got 'foo'\)"):
        sort_kind(a, "foo")


@njit
def permuted(a, axes):
    return (np.transpose(a), np.transpose(a, axes), np.swapaxes(a, 0, -1),
            a.swapaxes(0, 1), np.moveaxis(a, 0, -1), np.moveaxis(a, -1, 1))


@FEW
@given(arrays(dtype=F8, ndim=3), st.permutations([0, 1, -1]))
def test_transpose_swapaxes_moveaxis(a, axes):
    same(permuted, a, tuple(axes))
    got = permuted(a, tuple(axes))
    for view in got:
        # a view that describes a as it is comes back as a itself
        assert view.base is not None or view.size == 0 or view is a


@FEW
@given(arrays(dtype=F8, ndim=2), st.tuples(st.integers(-6, 6),
                                          st.integers(-6, 6)))
def test_partition_at_a_tuple_of_kth(a, ks):
    got = partitioned(a, ks)
    if got is None:
        return
    part, order, want = got
    # each k-th is the one a sort puts there
    for k in ks if a.size else ():
        kk = k % a.shape[-1]
        assert_same_array(part[..., kk], want[0][..., kk])
        assert_same_array(np.take_along_axis(a, order, -1)[..., kk],
                          want[0][..., kk])
    assert_same_array(np.sort(part, -1), np.sort(a, -1))


def test_partition_at_a_list_of_kth_and_numpys_error_for_2d_kth():
    part, order = partition(np.arange(5.0)[::-1], [4, 0])
    assert part[0] == 0.0 and part[4] == 4.0
    assert order[0] == 4 and order[4] == 0
    same(partition, np.arange(5.0), np.array([[0, 1]]))


@njit
def moved(a, source, destination):
    return np.moveaxis(a, source, destination)


@FEW
@given(arrays(dtype=F8, ndim=4), st.permutations([0, 1, 2, -1]),
       st.permutations([-4, 1, 2, 3]), st.integers(1, 4))
def test_moveaxis_of_tuples(a, source, destination, count):
    same(moved, a, tuple(source[:count]), tuple(destination[:count]))


def test_moveaxis_tuple_errors_are_numpys():
    a = np.zeros((2, 3, 4))
    for source, destination in (((0, 1), (1,)), ((0, 0), (1, 2)),
                                ((0, 1), (2, 2)), ((0, 3), (1, 2)),
                                ((0, 1), (1, -4)), (3, 0), (0, -4)):
        same(moved, a, source, destination)


def test_transpose_axes_errors_are_numpys():
    a = np.zeros((2, 3, 4))
    for axes in ((0, 0, 1), (0, 1, 3)):
        same(permuted, a, axes)

    @njit
    def two(a, axes):
        return np.transpose(a, axes)

    same(two, a, (1, 0))


def test_permuted_views_write_through():
    @njit
    def write(a):
        np.swapaxes(a, 0, 1)[2, 0] = 5.0

    a = np.zeros((2, 3))
    write(a)
    assert a[0, 2] == 5.0


@pytest.mark.parametrize("shape", [(0,), (0, 0), (2, 0), (0, 3), (0, 0, 2),
                                   (3, 0, 0), (0, 2, 0)])
def test_tile_of_an_empty_array_a_negative_number_of_times(shape):
    # NumPy's result, or its error where its last dimension is not 0
    same(tile, np.zeros(shape, np.int32), -1)
