"""a[i:j] = (x, y, ...): a tuple of numbers stored into a 1-d slice of an
array, element by element and converted to the dtype, compared with NumPy
over generated arrays, bounds and values (a length that differs is
NumPy's ValueError)."""
import numpy as np
import pytest
from hypothesis import given, strategies as st

import pyjit
from difftest import FEW, assert_compiled


@pyjit.njit
def store_pair(a, i, j, x, y):
    a[i:j] = (x, y)
    return a


@pyjit.njit
def store_in_row(a, r, x, y, z):
    a[r, 1:] = (x, y, z)
    return a


def same(f, a, *args):
    expected_a = a.copy()
    try:
        f.py_func(expected_a, *args)
    except ValueError as e:
        with pytest.raises(ValueError) as ei:
            f(a.copy(), *args)
        assert str(ei.value) == str(e)
        return
    got = f(a.copy(), *args)
    np.testing.assert_array_equal(got, expected_a)
    assert_compiled(f)


values = st.floats(-1e6, 1e6)


@FEW
@given(st.sampled_from([np.float64, np.float32, np.int64]),
       st.integers(0, 6), st.integers(-8, 8), st.integers(-8, 8), values,
       values)
def test_a_pair_into_a_slice(dtype, n, i, j, x, y):
    same(store_pair, np.zeros(n, dtype), i, j, x, y)


@FEW
@given(st.integers(-2, 1), values, values, values)
def test_a_triple_into_a_row(r, x, y, z):
    same(store_in_row, np.zeros((2, 4)), r, x, y, z)
