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


# --- iterating a.flat: an array that is not C is walked by an index per
# dimension, carried from the last to the one before (csrc/arrays.c) ---

@njit
def flat_items(a):
    out = np.empty(a.size, a.dtype)
    k = 0
    for x in a.flat:
        out[k] = x
        k += 1
    return out


@njit
def flat_pairs(a, b):
    """Two flat iterators advanced together, one of them reused after a
    break."""
    it = a.flat
    s = 0.0
    for x, y in zip(it, b.flat):
        s = s * 0.5 + x - y
    n = 0
    for x in a.flat:
        n += 1
        if n == 2:
            break
    return s, n


@njit
def window_sums(m):
    """Each 3x3 window's elements through .flat (a slice of a C array is
    not C), as xrspatial's focal mean reads them."""
    rows, cols = m.shape
    out = np.zeros_like(m)
    for y in range(1, rows - 1):
        for x in range(1, cols - 1):
            s = 0.0
            for v in m[y - 1:y + 2, x - 1:x + 2].flat:
                s += v
            out[y, x] = s
    return out


@SOME
@given(arrays())
def test_iterating_flat_of_any_layout(a):
    got = flat_items(a)
    np.testing.assert_array_equal(got, np.array(list(a.flat), dtype=a.dtype))
    assert_compiled(flat_items)


@SOME
@given(st.lists(st.integers(0, 4), min_size=2, max_size=4),
       st.sampled_from(["T", "step", "F", "back"]))
def test_iterating_flat_with_ones_and_zeros_in_the_shape(shape, view):
    a = np.arange(float(np.prod(shape))).reshape(shape)
    a = {"T": a.T, "step": a[..., ::2], "F": np.asfortranarray(a),
         "back": a[::-1]}[view]
    np.testing.assert_array_equal(flat_items(a), np.array(list(a.flat)))


def test_two_flat_iterators_and_a_break():
    a = np.arange(12.0).reshape(3, 4).T
    b = np.arange(12.0).reshape(4, 3)[:, ::-1]
    assert flat_pairs(a, b) == flat_pairs.py_func(a, b)
    assert_compiled(flat_pairs)


def test_windows_of_a_c_array():
    m = np.random.default_rng(2).random((7, 9))
    np.testing.assert_allclose(window_sums(m), window_sums.py_func(m))
