"""numpy.lib.stride_tricks.sliding_window_view in nopython code, as Numba
supports it (x, window_shape, axis=None), compared with NumPy's own over
generated shapes, windows and axes, and NumPy's errors for bad ones."""
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings
from numpy.lib.stride_tricks import sliding_window_view

from pyjit import njit

from difftest import assert_compiled


@njit
def windows_all(x, w):
    return np.lib.stride_tricks.sliding_window_view(x, w)


@njit
def windows_along(x, w, axis):
    return sliding_window_view(x, w, axis=axis)


@njit
def moving_sum(x, w):
    # what programs do with it: a moving statistic without a loop
    return sliding_window_view(x, w).sum(axis=-1)


@st.composite
def array_and_windows(draw):
    ndim = draw(st.integers(1, 3))
    shape = tuple(draw(st.lists(st.integers(1, 5), min_size=ndim,
                                max_size=ndim)))
    x = np.arange(float(np.prod(shape))).reshape(shape)
    if draw(st.booleans()):
        x = x.T
    nwin = draw(st.integers(1, 2))
    axes = tuple(draw(st.lists(st.integers(-ndim, ndim - 1), min_size=nwin,
                               max_size=nwin)))
    wins = tuple(draw(st.integers(0, 3)) for _ in range(nwin))
    return x, wins, axes


def same_or_same_error(f, *args):
    try:
        want = f.py_func(*args)
    except ValueError as e:
        with pytest.raises(type(e), match="window|axis"):
            f(*args)
        return
    got = f(*args)
    assert got.shape == want.shape and got.strides == want.strides
    np.testing.assert_array_equal(got, want)
    assert_compiled(f)


@given(array_and_windows())
@settings(max_examples=60, deadline=None)
def test_windows_along_axes_match_numpy(case):
    x, wins, axes = case
    same_or_same_error(windows_along, x, wins, axes)
    same_or_same_error(windows_along, x, wins[0], axes[0])


@pytest.mark.parametrize("shape, w", [((10,), 3), ((10,), (10,)),
                                      ((4, 6), (2, 3)), ((3, 3), (1, 1)),
                                      ((5,), 0), ((2, 3, 4), (2, 2, 2))])
def test_windows_of_every_axis(shape, w):
    x = np.arange(np.prod(shape)).reshape(shape)
    same_or_same_error(windows_all, x, w)
    same_or_same_error(windows_all, x[::-1], w)


def test_moving_sum():
    x = np.random.default_rng(5).random(50)
    np.testing.assert_allclose(moving_sum(x, 7), moving_sum.py_func(x, 7))


@pytest.mark.parametrize("f, args, message", [
    (windows_all, (np.arange(10.0), 11), "larger than input"),
    (windows_all, (np.arange(10.0), -1), "negative values"),
    (windows_all, (np.ones((2, 2)), 2), "for all dimensions"),
    (windows_along, (np.ones((2, 2)), (2, 2), 1), "matching length"),
])
def test_numpys_value_errors(f, args, message):
    with pytest.raises(ValueError, match=message):
        f(*args)
    with pytest.raises(ValueError, match=message):
        f.py_func(*args)


def test_an_axis_out_of_range_is_numpys_axis_error():
    with pytest.raises(np.exceptions.AxisError, match="axis 2 is out of "
                                                      "bounds for array of "
                                                      "dimension 2"):
        windows_along(np.ones((3, 3)), 2, 2)
