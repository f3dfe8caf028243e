"""Two spellings real Numba code uses: `bool` in signature strings
(stingray's @vectorize(["bool(float64, float64)"])), and np.around with
an `out` array, positional or keyword, into which the rounded values are
cast as Numba casts them (pysheds rounds floats into an int64 array).
Differential tests against NumPy, each checking nopython mode."""
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given

from difftest import FEW, assert_compiled
from pyjit import njit, vectorize


@vectorize(["bool(float64, float64)", "bool(int64, int64)"])
def above(a, t):
    return a > t


@given(st.lists(st.floats(-1e9, 1e9), min_size=1, max_size=50),
       st.floats(-1e9, 1e9))
@FEW
def test_bool_in_a_signature_string_is_boolean(xs, t):
    a = np.array(xs)
    got = above(a, t)
    assert got.dtype == np.bool_
    np.testing.assert_array_equal(got, a > t)
    ints = np.array([int(x) for x in xs], dtype=np.int64)
    np.testing.assert_array_equal(above(ints, int(t)), ints > int(t))


@njit("bool(float64)")
def positive(x):
    return x > 0


def test_bool_in_a_jit_signature():
    assert positive(1.5) is True and positive(-1.0) is False


@njit
def into_ints(y, decimals):
    out = np.empty(y.size, dtype=np.int64)
    r = np.around(y, decimals, out)
    return out, r is out or r.shape == out.shape


@njit
def into_floats(y, decimals):
    out = np.empty_like(y)
    np.around(y, decimals=decimals, out=out)
    return out


@given(st.lists(st.floats(-1e6, 1e6), max_size=60), st.integers(-3, 3))
@FEW
def test_around_into_an_out_array(xs, decimals):
    y = np.array(xs, dtype=np.float64)
    out, same = into_ints(y, decimals)
    assert same
    np.testing.assert_array_equal(out,
                                  np.around(y, decimals).astype(np.int64))
    np.testing.assert_array_equal(into_floats(y, decimals),
                                  np.around(y, decimals))
    assert_compiled(into_ints)
    assert_compiled(into_floats)


@njit
def wrong_shape(y):
    out = np.empty(y.size + 1)
    return np.around(y, 0, out)


def test_around_into_an_array_of_another_shape_raises():
    with pytest.raises(ValueError, match="invalid output shape"):
        wrong_shape(np.ones(3))
