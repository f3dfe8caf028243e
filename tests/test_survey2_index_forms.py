"""Array indexing by a 1-d boolean mask selecting rows or columns (a[mask],
a[mask, :], a[:, mask] of an n-d or 2-d array) and by an integer array with
an integer for the other axis (a[idx, j], a[i, idx]), compared with NumPy
over generated arrays and indices, out-of-range ones included."""
import numpy as np
import pytest
from hypothesis import given, strategies as st
from hypothesis.extra import numpy as hnp

import pyjit
from difftest import FEW, assert_compiled


@pyjit.njit
def rows_of(a, m):
    return a[m]


@pyjit.njit
def rows_and_all(a, m):
    return a[m, :]


@pyjit.njit
def columns_of(a, m):
    return a[:, m]


@pyjit.njit
def pick(a, i, j):
    return a[i, j]


def same(f, *args):
    try:
        expected = f.py_func(*args)
    except IndexError as e:
        with pytest.raises(IndexError) as ei:
            f(*args)
        assert str(ei.value) == str(e)
        return
    got = f(*args)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)
    assert_compiled(f)


matrices = hnp.arrays(np.int64, hnp.array_shapes(min_dims=2, max_dims=2,
                                                 min_side=0, max_side=5))
cubes = hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3,
                                                min_side=1, max_side=4),
                   elements=st.floats(-1e6, 1e6))


def masks(n):
    return hnp.arrays(np.bool_, st.sampled_from([n, n, n, n + 1]))


@FEW
@given(cubes, st.data())
def test_a_vector_mask_selects_rows(a, data):
    m = data.draw(masks(a.shape[0]))
    same(rows_of, a, m)


@FEW
@given(matrices, st.data())
def test_a_vector_mask_and_a_colon(a, data):
    same(rows_and_all, a, data.draw(masks(a.shape[0])))
    same(columns_of, a, data.draw(masks(a.shape[1])))


@FEW
@given(matrices, st.data())
def test_integer_array_with_an_integer(a, data):
    n0, n1 = a.shape
    idx0 = data.draw(hnp.arrays(np.int64, st.integers(0, 4),
                                elements=st.integers(-n0 - 1, n0)))
    idx1 = data.draw(hnp.arrays(np.int64, st.integers(0, 4),
                                elements=st.integers(-n1 - 1, n1)))
    same(pick, a, idx0, data.draw(st.integers(-n1 - 1, n1)))
    same(pick, a, data.draw(st.integers(-n0 - 1, n0)), idx1)


def test_a_2d_mask_of_a_3d_array_is_a_typing_error():
    with pytest.raises(pyjit.errors.TypingError, match="boolean mask"):
        rows_of(np.zeros((2, 2, 2)), np.ones((2, 2), np.bool_))
