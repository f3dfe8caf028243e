"""What sktime's numba code (its distances, SFA and shapelet transforms)
and tslearn's needed, in the shape of the libraries' code, without
importing them: an index of one array among slices and integers
(sktime/transformations/dictionary_based/_sfa_fast_numba.py indexes
`X[:, :, mask]`), `x is False` of a bool (..._shapelet_transform_numba.py),
integer keys of a uint32 typed dict (_sfa_fast_numba.py), and a write one
element past the end of an array the function made
(dists_kernels/_numba_distances/_lower_bounding_numba.py), which Numba
survives because its arrays are allocated with slack."""
import os
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given

import pyjit
from difftest import FEW, assert_compiled
from pyjit import njit, types
from pyjit.errors import NumbaTypeSafetyWarning, TypingError
from pyjit.typed import Dict

# --- one advanced index among slices and integers ---------------------------


@njit
def last_axis_mask(X, mask):
    return X[:, :, mask]


@njit
def int_then_array(X, idx):
    return X[0, :, idx]


@njit
def slice_int_array(X, idx):
    return X[:, 1, idx]


@njit
def range_then_array(X, idx):
    return X[1:3, idx]


@njit
def array_apart_from_int(X, idx):
    return X[idx, 1:, -1]


@njit
def step_mask_int(X, mask):
    return X[::2, mask, 0]


@njit
def four_d(X, idx):
    return X[:, -1, 1:, idx]


def _array(draw, shape):
    return np.arange(np.prod(shape), dtype=np.float64).reshape(shape) * 0.5


@st.composite
def cube_and_selection(draw, axis, mask):
    shape = tuple(draw(st.integers(1, 5)) for _ in range(3))
    X = _array(draw, shape)
    n = shape[axis]
    if mask:
        sel = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)),
                       dtype=np.bool_)
    else:
        sel = np.array(draw(st.lists(st.integers(-n, n - 1), max_size=6)),
                       dtype=np.int64)
    return X, sel


CASES = [(last_axis_mask, 2, True), (int_then_array, 2, False),
         (range_then_array, 1, False), (array_apart_from_int, 0, False),
         (step_mask_int, 1, True)]


@pytest.mark.parametrize("f,axis,mask", CASES,
                         ids=[c[0].__name__ for c in CASES])
def test_one_advanced_index(f, axis, mask):
    @FEW
    @given(cube_and_selection(axis, mask))
    def check(case):
        X, sel = case
        try:
            expected = f.py_func(X, sel)
        except IndexError:
            with pytest.raises(IndexError):
                f(X, sel)
            return
        got = f(X, sel)
        assert got.shape == expected.shape
        np.testing.assert_array_equal(got, expected)
    check()
    assert_compiled(f)


def test_one_advanced_index_column_and_four_dims():
    X = np.arange(4 * 5 * 6, dtype=np.float64).reshape(4, 5, 6)
    idx = np.array([5, 0, -2])
    np.testing.assert_array_equal(slice_int_array(X, idx),
                                  slice_int_array.py_func(X, idx))
    Y = np.arange(2 * 3 * 4 * 5).reshape(2, 3, 4, 5)
    idx4 = np.array([4, -5, 1])
    np.testing.assert_array_equal(four_d(Y, idx4), four_d.py_func(Y, idx4))
    assert_compiled(slice_int_array)
    assert_compiled(four_d)


def test_one_advanced_index_errors_are_numpys():
    X = np.zeros((2, 3, 4))
    with pytest.raises(IndexError, match="boolean index did not match "
                                         "indexed array along axis 2"):
        last_axis_mask(X, np.ones(3, np.bool_))
    with pytest.raises(IndexError, match="index 4 is out of bounds for "
                                         "axis 2 with size 4"):
        int_then_array(X, np.array([4]))


# --- `is` between numbers ----------------------------------------------------


@njit
def count_dropped(to_keep):
    c = 0
    for i in range(len(to_keep)):
        if to_keep[i] is False:
            c += 1
    return c


@njit
def same_number(x, y):
    return x is y, x is not y


def test_is_of_numbers_as_numba_decides():
    # Numba compares numbers of one type by value, of two types never
    # (Python's `np.False_ is False` is False: Numba's answer is taken)
    keep = np.array([True, False, False, True, False])
    assert count_dropped(keep) == 3
    assert same_number(3, 3) == (True, False)
    assert same_number(3, 4) == (False, True)
    assert same_number(1.0, 1) == (False, True)
    assert same_number(True, True) == (True, False)
    assert_compiled(count_dropped)


# --- typed dicts take keys and values by Numba's casts --------------------------


@njit
def bag(feature_names, selected):
    d = Dict.empty(key_type=types.uint32, value_type=types.uint32)
    for k, v in zip(feature_names[selected],
                    np.arange(len(selected), dtype=np.uint32)):
        d[k] = v
    if 0 in d:
        del d[0]
    return len(d), d.get(feature_names[selected[-1]], 99)


def test_dict_takes_int64_keys_of_a_uint32_dict_with_a_warning():
    names = np.array([0, 4, 9, 4, 12], np.int64)
    sel = np.array([0, 1, 2, 4])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert bag(names, sel) == (3, 3)
    assert any(issubclass(w.category, NumbaTypeSafetyWarning)
               and "unsafe cast from int64 to uint32" in str(w.message)
               for w in caught)
    assert_compiled(bag)


def test_dict_refuses_a_float_into_int_values():
    @njit
    def into_ints(x):
        d = Dict.empty(key_type=types.int64, value_type=types.int64)
        d[1] = x
        return d[1]
    with pytest.raises(TypingError, match="does not fit the dict's types"):
        into_ints(1.5)


# --- a write past the end of an array the function made -----------------------

PAST_END = textwrap.dedent("""
    import numpy as np
    from pyjit import njit

    @njit
    def shape_on_matrix(rows, cols):
        # column indices past the last, as sktime's lower bounding writes
        # them for series of two lengths, into an array made just before
        # another
        m = np.full((rows, cols), np.inf)
        other = np.full((rows, cols), 1.0)
        for x in range(cols + 2):
            m[rows - 1, x] = 0.5
        return m, other

    total = 0.0
    for i in range(20000):
        m, other = shape_on_matrix(1, 3)
        total += m[0, 0] + other.sum()
    print(total)
""")


def test_write_one_past_the_end_stays_in_the_block(tmp_path):
    script = tmp_path / "past_end.py"
    script.write_text(PAST_END)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(Path(pyjit.__file__).parent.parent),
         os.environ.get("PYTHONPATH", "")]))
    r = subprocess.run([sys.executable, str(script)], capture_output=True,
                       text=True, timeout=120, env=env)
    assert r.returncode == 0, r.stderr[-2000:]
    assert float(r.stdout) == 20000 * 3.5
