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


@pyjit.njit
def best_neighbours(score, limit):
    # librosa's recurrence alignment fills placeholder arrays from tuples
    # on every cell and reads slices of them
    values = np.zeros(3)
    steps = np.zeros(3)
    total = 0.0
    for i in range(2, score.shape[0]):
        for j in range(2, score.shape[1]):
            values[:] = (score[i - 1, j - 1], score[i - 1, j - 2],
                         score[i - 2, j - 1])
            steps[:] = (score[i, j], score[i - 1, j], score[i, j - 1])
            total += values[:limit].max() + steps[limit]
    return total


@FEW
@given(st.integers(0, 7), st.integers(0, 7), st.integers(1, 2),
       st.integers(0, 2**32 - 1))
def test_tuples_into_slices_in_a_loop(n, m, limit, seed):
    score = np.random.default_rng(seed).standard_normal((n, m))
    assert best_neighbours(score, limit) == best_neighbours.py_func(score,
                                                                    limit)
    assert_compiled(best_neighbours)


def test_a_tuple_stored_into_a_slice_is_written_in_line():
    # the stores are a few instructions in the loop, not calls that take
    # and drop a reference to their view each time
    best_neighbours(np.ones((3, 3)), 2)
    ir = "\n".join(best_neighbours.inspect_llvm().values())
    assert "call" in ir
    assert "setitem_sequence" not in ir
