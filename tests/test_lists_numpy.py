"""np.array and np.asarray of lists (1-D, 2-D, from scalars) and lists of
arrays, against NumPy over generated inputs."""
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given

import pyjit
from difftest import FEW, assert_compiled

floats = st.floats(-1e6, 1e6, allow_nan=False)


@pyjit.njit
def from_scalars(x, y, z):
    return np.array([x, y, z]), np.asarray([x, y])


@pyjit.njit
def from_rows(n, m):
    rows = [[i * m + j for j in range(m)] for i in range(n)]
    return np.array(rows), np.array([float(i) for i in range(n)])


@pyjit.njit
def of_arrays(a):
    l = [a, a * 2.0]
    c = np.array(a)
    return l, c, np.asarray(a)


@pyjit.njit
def of_number(x):
    a = np.asarray(x)
    return a, np.array(x), a.shape, a.ndim


def same(a, b):
    assert type(a) is type(b)
    if isinstance(a, np.ndarray):
        assert a.dtype == b.dtype and a.shape == b.shape
        assert (a == b).all()
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            same(x, y)
    else:
        assert a == b


@given(floats, floats, floats)
@FEW
def test_array_from_scalars(x, y, z):
    same(from_scalars(x, y, z), from_scalars.py_func(x, y, z))
    assert_compiled(from_scalars)


@given(st.integers(1, 5), st.integers(1, 5))
@FEW
def test_array_from_nested_lists(n, m):
    same(from_rows(n, m), from_rows.py_func(n, m))
    assert_compiled(from_rows)


@given(st.one_of(floats, st.integers(-1000, 1000), st.booleans(),
                 st.complex_numbers(max_magnitude=1e6)))
@FEW
def test_array_of_a_number_is_0_d(x):
    same(of_number(x), of_number.py_func(x))
    assert_compiled(of_number)


def test_lists_of_arrays_and_copies():
    a = np.arange(4.0)
    l, c, d = of_arrays(a)
    same(l, of_arrays.py_func(a)[0])
    same(c, a)
    assert c is not a and not np.shares_memory(c, a)
    assert np.shares_memory(d, a)


@pyjit.njit
def ragged():
    return np.array([[1, 2], [3]])


def test_ragged_rows_as_numpy():
    with pytest.raises(ValueError, match="inhomogeneous shape"):
        ragged()
    with pytest.raises(ValueError, match="inhomogeneous shape"):
        ragged.py_func()


@pyjit.njit
def inner(n, dt):
    return np.zeros(n, dt)


@pyjit.njit
def passes_a_class(n):
    return inner(n, np.float32)


def test_a_class_passes_as_a_value():
    got = passes_a_class(3)
    assert got.dtype == np.float32 and got.tolist() == [0.0] * 3


@pyjit.njit
def array_of_tuple(t):
    return np.array(t)


@pytest.mark.parametrize("t", [
    (1, 2, 3), (1.0, 2.0, 3.5), (True, False), (1j, 2j),
    (np.int32(1), np.int32(2)), (np.float32(1.0), np.float32(2.5)),
    (1, 2.0, 3), (True, 2), (1, 2.5j), (np.int32(1), 2),
])
def test_array_of_a_tuple_of_numbers(t):
    # items of one type or several, promoted as NumPy promotes them
    got, want = array_of_tuple(t), np.array(t)
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)
    assert_compiled(array_of_tuple)
