"""Numba code of libraries run unchanged: sktime's bounding matrices for
its elastic distances (sktime/sktime, BSD-3-Clause), which call np.interp
on lists and choose a reshape by the ndim of their argument, held in a
variable.  Each runs on seeded inputs and is compared with its plain
Python function (`py_func`); each compiled function is checked to be in
nopython mode.  And the NumPy library loads under a NumPy that lacks
some of the names it maps (np.trapezoid before NumPy 2)."""
import subprocess
import sys

import numpy as np
import pytest

from pyjit import njit

from difftest import assert_compiled


# --- sktime/sktime: sktime/dists_kernels/_numba_distances/_numba_utils.py

@njit(cache=True)
def _make_3d_series(x: np.ndarray) -> np.ndarray:
    num_dims = x.ndim
    if num_dims == 1:
        shape = x.shape
        _x = np.reshape(x, (shape[0], 1, 1))
    elif num_dims == 2:
        shape = x.shape
        _x = np.reshape(x, (shape[0], 1, shape[1]))
    elif num_dims > 3:
        raise ValueError(
            "The matrix provided has more than 3 dimensions. This is not"
            "supported. Please provide a matrix with less than "
            "3 dimensions"
        )
    else:
        _x = x
    return _x


# --- sktime/sktime: sktime/dists_kernels/_numba_distances/
#     _lower_bounding_numba.py

@njit(cache=True)
def create_shape_on_matrix(
    bounding_matrix: np.ndarray,
    y_upper_line: np.ndarray,
    y_lower_line=None,
    x_step_size: int = 1,
    start_val: int = 0,
) -> np.ndarray:
    if y_lower_line is None:
        y_lower_line = y_upper_line

    upper_line_y_values = y_upper_line.shape[0]
    lower_line_y_values = y_lower_line.shape[0]

    if upper_line_y_values != lower_line_y_values:
        raise ValueError(
            "The number of upper line values must equal the number of lower line "
            "values"
        )

    half_way = np.floor(upper_line_y_values / 2)
    step_start = start_val

    for i in range(start_val, upper_line_y_values):
        x = step_start

        upper_y = max(0, min(bounding_matrix.shape[1] - 1, np.ceil(y_upper_line[i])))
        lower_y = max(0, min(bounding_matrix.shape[1] - 1, np.floor(y_lower_line[i])))

        if i == half_way:
            upper_y = max(0, min(bounding_matrix.shape[1] - 1, np.floor(y_upper_line[i])))

        if upper_y == lower_y:
            bounding_matrix[x, int(upper_y)] = 0.0
        else:
            bounding_matrix[x, int(upper_y) : int(lower_y) + 1] = 0.0

        step_start += x_step_size

    return bounding_matrix


@njit(cache=True)
def sakoe_chiba(x: np.ndarray, y: np.ndarray, window: float) -> np.ndarray:
    if window < 0 or window > 1:
        raise ValueError("Window must between 0 and 1")

    x_size = x.shape[1]
    y_size = y.shape[1]
    bounding_matrix = np.full((x_size, y_size), np.inf)
    sakoe_chiba_window_radius = ((x_size / 100) * window) * 100

    x_upper_line_values = np.interp(
        list(range(x_size)),
        [0, x_size - 1],
        [0 - sakoe_chiba_window_radius, y_size - sakoe_chiba_window_radius - 1],
    )
    x_lower_line_values = np.interp(
        list(range(x_size)),
        [0, x_size - 1],
        [0 + sakoe_chiba_window_radius, y_size + sakoe_chiba_window_radius - 1],
    )

    bounding_matrix = create_shape_on_matrix(
        bounding_matrix, x_upper_line_values, x_lower_line_values
    )

    return bounding_matrix


@njit(cache=True)
def itakura_parallelogram(
    x: np.ndarray, y: np.ndarray, itakura_max_slope: float
) -> np.ndarray:
    if itakura_max_slope < 0 or itakura_max_slope > 1:
        raise ValueError("Window must between 0 and 1")
    x_size = x.shape[1]
    y_size = y.shape[1]
    bounding_matrix = np.full((y_size, x_size), np.inf)
    itakura_max_slope = np.floor(((x_size / 100) * itakura_max_slope) * 100) / 2

    middle_x_upper = int(x_size / 2) + 1
    middle_x_lower = middle_x_upper - 1
    middle_y = y_size / 2

    x_upper_line_values = np.interp(
        list(range(x_size)),
        [0, middle_x_lower, x_size - 1],
        [0, middle_y + itakura_max_slope, y_size - 1],
    )
    x_lower_line_values = np.interp(
        list(range(x_size)),
        [0, middle_x_upper, x_size - 1],
        [0, middle_y - itakura_max_slope, y_size - 1],
    )

    if np.array_equal(x_upper_line_values, x_lower_line_values):
        x_upper_line_values = np.interp(
            list(range(x_size)),
            [0, middle_x_lower, x_size - 1],
            [0, middle_y + itakura_max_slope, y_size - 1],
        )

    bounding_matrix = create_shape_on_matrix(
        bounding_matrix, x_upper_line_values, x_lower_line_values
    )

    return bounding_matrix


@pytest.mark.parametrize("window", [0.0, 0.2, 0.5, 1.0])
@pytest.mark.parametrize("sizes", [(25, 25), (20, 31)])
def test_sktime_sakoe_chiba(window, sizes):
    rng = np.random.RandomState(3)
    x = rng.randn(2, sizes[0])
    y = rng.randn(2, sizes[1])
    np.testing.assert_array_equal(sakoe_chiba(x, y, window),
                                  sakoe_chiba.py_func(x, y, window))
    assert_compiled(sakoe_chiba)


@pytest.mark.parametrize("slope", [0.1, 0.5, 1.0])
def test_sktime_itakura_parallelogram(slope):
    rng = np.random.RandomState(4)
    x = rng.randn(2, 24)
    y = rng.randn(2, 24)
    np.testing.assert_array_equal(itakura_parallelogram(x, y, slope),
                                  itakura_parallelogram.py_func(x, y, slope))
    assert_compiled(itakura_parallelogram)


def test_sktime_sakoe_chiba_rejects_bad_window():
    x = np.zeros((1, 5))
    with pytest.raises(ValueError, match="Window must between 0 and 1"):
        sakoe_chiba(x, x, 1.5)


@pytest.mark.parametrize("x", [
    np.arange(6.0),
    np.arange(12.0).reshape(3, 4),
    np.arange(24.0).reshape(4, 2, 3),
    # a non-contiguous 3-d array: the reshape branches, which need a
    # contiguous array, are pruned by the ndim held in num_dims
    np.arange(24.0).reshape(4, 2, 3)[:, :1],
    np.arange(24.0).reshape(4, 3, 2)[::2],
])
def test_sktime_make_3d_series(x):
    got = _make_3d_series(x)
    want = _make_3d_series.py_func(x)
    assert got.shape == want.shape
    np.testing.assert_array_equal(got, want)
    assert_compiled(_make_3d_series)


@njit
def interp_of(x, xp, fp):
    return np.interp(x, xp, fp)


@pytest.mark.parametrize("x, xp, fp", [
    ([0.2, 3.0, -1.0], (0, 1, 4), [1, 3, 2]),
    ((0.5, 2.5), [0.0, 1.0, 2.0], np.array([2.0, -1.0, 5.0])),
    (np.array([0.25, 0.75]), [0.0, 1.0], (1.0, 3.0)),
    (0.5, [0.0, 1.0], [1.0, 3.0]),
    (7, (1, 3), (0, 1)),
])
def test_interp_of_lists_and_tuples(x, xp, fp):
    got = interp_of(x, xp, fp)
    want = interp_of.py_func(x, xp, fp)
    np.testing.assert_array_equal(got, want)
    assert np.ndim(got) == np.ndim(want)
    assert_compiled(interp_of)


def test_interp_of_lists_rejects_unequal_lengths():
    with pytest.raises(ValueError, match="same length"):
        interp_of([0.5], [0.0, 1.0], [1.0, 2.0, 3.0])


_OLD_NUMPY = """
import numpy as np
del np.trapezoid            # as NumPy 1.x has it: no np.trapezoid
from pyjit import njit

@njit
def spread(x):
    return np.std(x)

x = np.arange(5.0)
assert spread(x) == np.std(x)
"""


def test_numpy_library_without_newer_names(tmp_path):
    # the library maps the rest when NumPy lacks a name it maps; it is
    # made once per process, so in a process of its own
    script = tmp_path / "old_numpy.py"
    script.write_text(_OLD_NUMPY)
    run = subprocess.run([sys.executable, str(script)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
