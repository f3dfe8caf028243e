"""Differential tests: `...` (Ellipsis) and None / np.newaxis in array
indices, which give views as NumPy's do, read and assigned through, on
arrays of 1 to 3 dimensions of many dtypes, 0-sized ones and views that are
not contiguous among them; and the errors of indices that do not fit."""
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given

from difftest import assert_compiled
from np_arrays import SOME, arrays, assert_same_array
from pyjit import njit
from pyjit.errors import TypingError


@njit
def last_axis(a, i, lo, hi):
    return a[..., i], a[..., lo:hi], a[...], a[..., ::-1]


@njit
def first_axis(a, i):
    return a[i, ...], a[i, ..., ::2], a[..., i, :] if a.ndim > 2 else a[i:]


@njit
def new_axes(a):
    return a[:, None], a[None, :], a[np.newaxis], a[..., None], \
        a[None, ..., None]


@njit
def set_last(a, i, v):
    a[..., i] = v
    return a


@njit
def set_through_new_axis(a, v):
    b = a[None, ...]
    b[0] = v
    return a


def same_views(f, a, *args):
    got, want = f(a, *args), f.py_func(a, *args)
    assert_compiled(f)
    for g, w in zip(got, want):
        assert_same_array(g, w)
        if w.size:
            assert np.shares_memory(g, a), "a copy, not a view"


@SOME
@given(st.data(), st.integers(2, 3).flatmap(
    lambda nd: arrays(ndim=nd, min_side=1)))
def test_ellipsis_last_axis(data, a):
    n = a.shape[-1]
    i = data.draw(st.integers(-n, n - 1))
    lo, hi = data.draw(st.integers(-n - 2, n + 2)), data.draw(
        st.integers(-n - 2, n + 2))
    same_views(last_axis, a, i, lo, hi)


@SOME
@given(st.data(), st.integers(2, 3).flatmap(
    lambda nd: arrays(ndim=nd, min_side=1)))
def test_ellipsis_first_axis(data, a):
    n = min(a.shape)
    same_views(first_axis, a, data.draw(st.integers(-n, n - 1)))


@SOME
@given(arrays())
def test_new_axes(a):
    same_views(new_axes, a)


@SOME
@given(st.data(), st.integers(2, 3).flatmap(
    lambda nd: arrays(dtype=np.dtype("float64"), ndim=nd, min_side=1)))
def test_assign_through_ellipsis(data, a):
    i = data.draw(st.integers(-a.shape[-1], a.shape[-1] - 1))
    v = data.draw(st.floats(-10, 10))
    got = set_last(a.copy(), i, v)
    assert_same_array(got, set_last.py_func(a.copy(), i, v))
    assert_compiled(set_last)
    got = set_through_new_axis(a.copy(), v)
    assert_same_array(got, set_through_new_axis.py_func(a.copy(), v))
    assert_compiled(set_through_new_axis)


@njit
def two_ellipses(a):
    return a[..., 0, ...]


@njit
def too_many(a):
    return a[None, 0, 0, ...]


@njit
def no_dimension_left(a):
    return a[0, ...]


def test_index_errors():
    a = np.zeros((2, 3))
    with pytest.raises(IndexError, match="single ellipsis"):
        two_ellipses.py_func(a)
    with pytest.raises(TypingError, match=r"single ellipsis \('...'\)"):
        two_ellipses(a)
    with pytest.raises(TypingError, match="too many indices"):
        too_many(np.zeros(3))
    with pytest.raises(IndexError, match="too many indices"):
        too_many.py_func(np.zeros(3))
    a = np.arange(3.0)
    view = no_dimension_left(a)         # a 0-d view, as NumPy's
    assert view.shape == () and view[()] == a[0]
    assert_compiled(no_dimension_left)
