"""Differential tests: joining arrays in nopython code
(pyjit/_np_shape.py): np.concatenate (1 to 3 dimensions, every axis,
negative ones too), np.hstack, np.vstack, np.stack, np.column_stack of
tuples of arrays, against NumPy on many dtypes and shapes (0-sized ones
among them); shapes that do not fit raise NumPy's ValueError."""
import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given

from np_arrays import (DTYPES, SOME, assert_same_array, check_arrays, elements,
                       run_both)
from pyjit import njit
from difftest import assert_compiled


@njit
def concat3(a, b, c, axis):
    return np.concatenate((a, b, c), axis)


@njit
def concat_default(a, b):
    return np.concatenate((a, b)), np.hstack((a, b))


@st.composite
def joinable(draw):
    """Three arrays of one dtype and dimension whose shapes agree except
    along `axis`."""
    dtype = draw(st.sampled_from(DTYPES))
    nd = draw(st.integers(1, 3))
    shape = draw(hnp.array_shapes(min_dims=nd, max_dims=nd, min_side=0,
                                  max_side=4))
    axis = draw(st.integers(-nd, nd - 1))
    out = []
    for _ in range(3):
        s = list(shape)
        s[axis] = draw(st.integers(0, 4))
        out.append(draw(hnp.arrays(dtype, tuple(s), elements=elements(dtype))))
    return out, axis


@SOME
@given(data=joinable())
def test_concatenate(data):
    (a, b, c), axis = data
    kind, actual, expected = run_both(concat3, a, b, c, axis)
    assert kind == "ok"
    assert_same_array(actual, expected)


@SOME
@given(data=joinable())
def test_concatenate_default_axis_and_hstack(data):
    (a, b, _), axis = data
    kind, actual, expected = run_both(concat_default, a, b)
    if kind == "exc":
        assert type(actual) is type(expected), (actual, expected)
        return
    for got, want in zip(actual, expected):
        assert_same_array(got, want)


@njit
def stacks(a, b):
    return (np.vstack((a, b)), np.stack((a, b)), np.stack((a, b), axis=1),
            np.stack((a, b), axis=-1), np.column_stack((a, b)))


@SOME
@given(n=st.integers(0, 6), dtype=st.sampled_from(DTYPES), data=st.data())
def test_stacks_of_1d(n, dtype, data):
    a, b = (data.draw(hnp.arrays(dtype, n, elements=elements(dtype)))
            for _ in range(2))
    check_arrays(stacks, a, b)


@njit
def stacks_2d(a, b):
    return np.vstack((a, b)), np.hstack((a, b)), np.column_stack((a, b))


def test_stacks_of_2d():
    a = np.arange(6.0).reshape(2, 3)
    for got, want in zip(stacks_2d(a, a), stacks_2d.py_func(a, a)):
        assert_same_array(got, want)


@njit
def planes(a, b, c):
    return (np.stack((a, b, c)), np.stack((a, b, c), 1),
            np.stack([a, b], axis=2), np.stack((a, b, c), axis=-1))


@SOME
@given(rows=st.integers(0, 4), cols=st.integers(0, 4),
       dtype=st.sampled_from(DTYPES), data=st.data())
def test_stack_of_2d_makes_planes(rows, cols, dtype, data):
    a, b = (data.draw(hnp.arrays(dtype, (rows, cols),
                                 elements=elements(dtype)))
            for _ in range(2))
    check_arrays(planes, a, b, a[::-1].copy())


@pytest.mark.parametrize("f, args, message", [
    (concat3, (np.zeros((2, 3)), np.zeros((2, 4)), np.zeros((2, 3)), 0),
     "all the input array dimensions except for the concatenation axis "
     "must match exactly"),
    (concat3, (np.zeros(2), np.zeros(2), np.zeros(2), 1),
     "axis 1 is out of bounds for array of dimension 1"),
    (stacks, (np.zeros(2), np.zeros(3)), None),
    (planes, (np.zeros((2, 3)), np.zeros((2, 3)), np.zeros((3, 2))),
     "all input arrays must have the same shape"),
])
def test_shapes_that_do_not_fit(f, args, message):
    kind, got, want = run_both(f, *args)
    assert kind == "exc"
    assert type(got) is type(want) or isinstance(got, type(want))
    if message is not None:
        # NumPy adds the sizes that differ to the first message
        assert str(got) == message and str(want).startswith(message)


JOIN_DTYPES = [np.int8, np.int32, np.int64, np.uint16, np.float32,
               np.float64, np.bool_]


@njit
def joins_of_two(a, b):
    return (np.concatenate((a, b)), np.hstack((a, b)), np.vstack((a, b)),
            np.stack((a, b)), np.stack((a, b), 1), np.column_stack((a, b)))


@given(st.sampled_from(JOIN_DTYPES), st.sampled_from(JOIN_DTYPES),
       st.integers(0, 6))
@SOME
def test_joins_of_arrays_of_different_dtypes(t1, t2, n):
    # pynndescent's np.vstack((int32 indices, float32 data)): NumPy's
    # promoted dtype, float64
    a = (np.arange(n) - 2).astype(t1)
    b = (np.arange(n) * 3 + 1).astype(t2)
    for got, want in zip(joins_of_two(a, b), joins_of_two.py_func(a, b)):
        assert got.dtype == want.dtype
        np.testing.assert_array_equal(got, want)
    assert_compiled(joins_of_two)
