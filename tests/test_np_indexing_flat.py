"""Differential tests: a.flat[i] read and assigned (the element i places
into the array in C order, negative from the end) against NumPy on arrays
of 1 to 3 dimensions of many dtypes, views that are not contiguous among
them; and the indices and values a.flat does not take."""
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given

from difftest import assert_compiled
from np_arrays import SOME, arrays, assert_same_array
from pyjit import njit
from pyjit.errors import TypingError


@njit
def flat_get(a, i):
    return a.flat[i], a.flat[0], a.flat[-1]


@njit
def flat_set(a, i, v):
    a.flat[i] = v
    a.flat[-1] = v
    return a


@SOME
@given(st.data(), arrays(min_side=1))
def test_flat_get(data, a):
    i = data.draw(st.integers(-a.size, a.size - 1))
    got, want = flat_get(a, i), flat_get.py_func(a, i)
    assert_compiled(flat_get)
    for g, w in zip(got, want):
        assert_same_array(np.asarray(g, dtype=w.dtype), np.asarray(w))


@SOME
@given(st.data(), arrays(dtype=np.dtype("float64"), min_side=1))
def test_flat_set(data, a):
    i = data.draw(st.integers(-a.size, a.size - 1))
    v = data.draw(st.one_of(st.floats(-100, 100), st.integers(-100, 100)))
    b = a.T.copy().T if data.draw(st.booleans()) else a.copy()
    c = b.copy(order="K")
    assert_same_array(flat_set(b, i, v), flat_set.py_func(c, i, v))
    assert_compiled(flat_set)


@njit
def flat_by_float(a, x):
    return a.flat[x]


def test_what_flat_does_not_take():
    with pytest.raises(TypingError, match="indexed by an integer"):
        flat_by_float(np.zeros(3), 1.0)
    with pytest.raises(TypingError, match="cannot be stored"):
        flat_set(np.zeros(3), 0, 1j)
