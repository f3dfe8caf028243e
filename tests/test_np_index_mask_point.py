"""a[mask, j] and a[i, mask] of a 2-d array, a 1-d boolean mask beside an
integer (the k-means example of numba-examples selects a column of the rows
of one cluster so), against NumPy."""
import numpy as np
import pytest
from hypothesis import given
import hypothesis.strategies as st

from pyjit import njit

from difftest import FEW, assert_compiled


@njit
def rows_at(a, mask, j):
    return a[mask, j]


@njit
def at_columns(a, i, mask):
    return a[i, mask]


@njit
def cluster_means(a, labels, k):
    return np.array([[np.sum(a[labels == c, j]) / np.sum(labels == c)
                      for j in range(a.shape[1])] for c in range(k)])


@FEW
@given(rows=st.integers(0, 7), cols=st.integers(1, 6), seed=st.integers(0, 99),
       dtype=st.sampled_from([np.float64, np.int32, np.bool_]))
def test_mask_beside_an_integer(rows, cols, seed, dtype):
    rng = np.random.default_rng(seed)
    a = (rng.random((rows, cols)) * 10).astype(dtype)
    row_mask = rng.random(rows) < 0.5
    col_mask = rng.random(cols) < 0.5
    for j in range(-cols, cols):
        assert np.array_equal(rows_at(a, row_mask, j), a[row_mask, j])
    for i in range(-rows, rows):
        assert np.array_equal(at_columns(a, i, col_mask), a[i, col_mask])
    assert_compiled(rows_at)
    if rows:
        assert_compiled(at_columns)


def test_wrong_lengths_and_indices_are_numpys_errors():
    a = np.zeros((4, 3))
    with pytest.raises(IndexError, match="boolean index did not match"):
        rows_at(a, np.ones(3, np.bool_), 0)
    with pytest.raises(IndexError, match="boolean index did not match"):
        at_columns(a, 0, np.ones(4, np.bool_))
    with pytest.raises(IndexError, match="out of bounds"):
        rows_at(a, np.ones(4, np.bool_), 3)


def test_cluster_means():
    rng = np.random.default_rng(1)
    a = rng.random((300, 4))
    labels = rng.integers(0, 3, 300)
    assert np.allclose(cluster_means(a, labels, 3),
                       cluster_means.py_func(a, labels, 3))
