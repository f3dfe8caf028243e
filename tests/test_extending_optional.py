"""An array or None in one variable (`a = None if c else np.zeros(n)`),
used as the array after a None check: setitem, getitem and attributes of
the Optional are the array's, and using it when it is None is a TypeError,
as in Numba.  Differential against the Python functions."""
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given

from difftest import FEW, assert_compiled, mod_floats
from pyjit import njit


@njit
def fill_unless(n, skip, x):
    a = None if skip else np.zeros(n)
    if a is not None:
        for i in range(n):
            a[i] = x * i
        a[n - 1] += a[0] + 1.0
        return a.sum() + a[n - 1] + a.shape[0]
    return -1.0


@njit
def early_return(n, skip):
    out = None
    if not skip:
        out = np.empty((n, 2))
    if out is None:
        return 0.0
    for i in range(n):
        out[i, 0] = i
        out[i, 1] = -i
    return out[:, 0].sum() - out[n - 1, 1]


@given(st.integers(1, 20), st.booleans(), mod_floats)
@FEW
def test_setitem_on_optional_array_matches_python(n, skip, x):
    assert fill_unless(n, skip, x) == pytest.approx(
        fill_unless.py_func(n, skip, x))
    assert_compiled(fill_unless)


@given(st.integers(1, 20), st.booleans())
@FEW
def test_optional_array_after_early_return_matches_python(n, skip):
    assert early_return(n, skip) == early_return.py_func(n, skip)
    assert_compiled(early_return)


@njit
def unchecked(skip):
    a = None if skip else np.zeros(3)
    a[0] = 1.0
    return 1


def test_setitem_on_none_is_a_type_error():
    assert unchecked(False) == 1
    with pytest.raises(TypeError, match=r"expected array\(float64, 1d, C\), "
                                        r"got None"):
        unchecked(True)
