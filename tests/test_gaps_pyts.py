"""What pyts (a time-series library written for Numba) needs beyond the
core: `types.List(item)` in signatures (a typed List of plain lists),
`typed.List[...]` in annotations, np.lib.stride_tricks.as_strided for
windowed views, and np.array of a list of index pairs."""
import numpy as np
import pytest
from hypothesis import given, strategies as st
from numpy.lib.stride_tricks import as_strided

from pyjit import njit, types
from pyjit.typed import Dict, List

from difftest import FEW, assert_compiled


def test_list_types_spell_as_numbas():
    assert str(types.List(types.int64)) == "list(int64)"
    assert str(types.List(types.float64, reflected=True)) == \
        "reflected list(float64)"
    assert str(types.ListType(types.List(types.int64))) == \
        "ListType[list(int64)]"
    with pytest.raises(TypeError, match="items cannot be of type"):
        types.List(3)


def test_typed_containers_take_annotations():
    def f(x: List[int], d: Dict[str, float]) -> List[List[float]]:
        return x
    assert f.__annotations__["x"].__origin__ is List
    assert f.__annotations__["d"].__args__ == (str, float)


# pyts/transformation/_shapelet_transform.py: lengths of windows as a
# typed List of plain lists, compiled for a signature naming them
@njit(types.ListType(types.List(types.int64))(types.int64[:]))
def lengths_per_window(window_sizes):
    out = List()
    for w in window_sizes:
        out.append([w] * 3)
    return out


def test_a_signature_names_a_typed_list_of_lists():
    got = lengths_per_window(np.array([2, 5]))
    assert [list(x) for x in got] == [[2, 2, 2], [5, 5, 5]]
    assert_compiled(lengths_per_window)


@njit
def windows(x, w, step):
    n = (x.shape[0] - w) // step + 1
    s = x.strides[0]
    return as_strided(x, shape=(n, w), strides=(step * s, s))


@njit
def as_is(x):
    return as_strided(x)


@njit
def negative_shape(x):
    return as_strided(x, shape=(-1,), strides=(8,))


@given(st.integers(3, 40), st.integers(1, 3), st.integers(1, 3))
@FEW
def test_as_strided_makes_windowed_views(n, w, step):
    x = np.arange(float(n))
    got, want = windows(x, w, step), windows.py_func(x, w, step)
    np.testing.assert_array_equal(got, want)
    assert got.strides == want.strides
    got[0, -1] = -1.0               # a view of x's memory
    assert x[w - 1] == -1.0
    m = np.arange(12).reshape(3, 4)[:, ::2]
    np.testing.assert_array_equal(as_is(m), m)
    assert as_is(m).strides == m.strides
    assert_compiled(windows)


def test_as_strided_refuses_a_negative_size():
    with pytest.raises(ValueError, match="negative dimensions"):
        negative_shape(np.zeros(3))


# pyts/metrics/_dtw.py, _return_path: the warping path built as a list of
# (i, j) pairs, then made an array
@njit
def return_path(acc_cost_mat):
    r, c = acc_cost_mat.shape
    path = [(r - 1, c - 1)]
    while path[-1] != (0, 0):
        i, j = path[-1]
        if i == 0:
            path.append((0, j - 1))
        elif j == 0:
            path.append((i - 1, 0))
        else:
            arr = np.array([acc_cost_mat[i - 1][j - 1],
                            acc_cost_mat[i - 1][j],
                            acc_cost_mat[i][j - 1]])
            argmin = np.argmin(arr)
            if argmin == 0:
                path.append((i - 1, j - 1))
            elif argmin == 1:
                path.append((i - 1, j))
            else:
                path.append((i, j - 1))
    return np.transpose(np.array(path)[::-1])


@given(st.integers(1, 12), st.integers(1, 12), st.integers(0, 99))
@FEW
def test_an_array_of_a_list_of_pairs(r, c, seed):
    cost = np.random.default_rng(seed).random((r, c)).cumsum(0).cumsum(1)
    np.testing.assert_array_equal(return_path(cost), return_path.py_func(cost))
    assert_compiled(return_path)
