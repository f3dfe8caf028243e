"""Differential tests: integer-array (fancy) indexing, a[idx] of an array
(a new array of its rows), a[idx, :] and a[:, idx] of a 2-d one and
a[idx] = v of a 1-d one, against NumPy over many dtypes of array and
index, 0-sized arrays and views that are not contiguous, negative indices
and indices out of bounds (NumPy's IndexError, nothing written)."""
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given

from difftest import assert_compiled
from np_arrays import SOME, arrays, assert_same_array, run_both
from pyjit import njit
from pyjit.errors import TypingError

INDEX_DTYPES = [np.dtype(n) for n in ("int8", "int32", "int64", "uint8",
                                      "uint64")]


@njit
def take(a, idx):
    return a[idx]


@njit
def take_rows(a, idx):
    return a[idx, :]


@njit
def take_columns(a, idx):
    return a[:, idx]


@njit
def put(a, idx, v):
    a[idx] = v
    return a


def indices(n, axis_may_be_out=True):
    """A 1-d integer index array for an axis of length n, now and then
    with an index out of bounds."""
    lo, hi = (-n - 2, n + 1) if axis_may_be_out else (-n, n - 1)
    return st.tuples(st.sampled_from(INDEX_DTYPES),
                     st.lists(st.integers(lo, hi), max_size=6)).map(
        lambda p: np.array([i for i in p[1]
                            if p[0].kind == "i" or i >= 0], p[0]))


def same_result(f, *args):
    kind, got, want = run_both(f, *args)
    if kind == "exc":
        assert type(got) is type(want) and str(got) == str(want), (got, want)
        return
    assert_same_array(got, want)


@SOME
@given(st.data(), arrays())
def test_take(data, a):
    same_result(take, a, data.draw(indices(a.shape[0])))


@SOME
@given(st.data(), arrays(ndim=2))
def test_take_rows_and_columns(data, a):
    same_result(take_rows, a, data.draw(indices(a.shape[0])))
    same_result(take_columns, a, data.draw(indices(a.shape[1])))


@SOME
@given(st.data(), arrays(dtype=np.dtype("float64"), ndim=1))
def test_put(data, a):
    idx = data.draw(indices(a.shape[0]))
    v = data.draw(st.one_of(
        st.floats(-100, 100),
        st.sampled_from([len(idx), 1, len(idx) + 1]).map(
            lambda k: np.arange(k, dtype=np.int32) - 3)))
    kind, got, want = run_both(put, a.copy(), idx, v)
    if kind == "exc":
        assert type(got) is type(want) and str(got) == str(want), (got, want)
        b = a.copy()        # nothing written when an index is out of bounds
        with pytest.raises(type(want)):
            put(b, idx, v)
        assert_same_array(b, a)
    else:
        assert_same_array(got, want)


@njit
def with_slice(a, idx):
    return a[idx, 1:]


@njit
def two_arrays(a, idx):
    return a[idx, idx]


def test_one_array_with_a_slice():
    a = np.arange(12.0).reshape(3, 4)
    idx = np.array([2, 0, -1])
    np.testing.assert_array_equal(with_slice(a, idx), with_slice.py_func(a, idx))
    assert_compiled(with_slice)


def test_two_arrays_pair_up():
    a = np.arange(12.0).reshape(3, 4)
    idx = np.array([2, 0, -1])
    np.testing.assert_array_equal(two_arrays(a, idx), a[idx, idx])
    assert_compiled(two_arrays)


@njit
def with_newaxis(a, idx):
    return a[idx, None]


def test_forms_that_do_not_type():
    a = np.zeros((3, 4))
    idx = np.array([0, 1])
    with pytest.raises(TypingError, match="an array index is an integer "
                                          "array, a boolean mask"):
        with_newaxis(a, idx)
    with pytest.raises(TypingError, match="a number or a 1-d array"):
        put(np.zeros(3), idx, np.ones((2, 2)))
