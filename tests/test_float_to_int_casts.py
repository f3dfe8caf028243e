"""Floats converted to integer types as NumPy converts them.

`a.astype(np.int32)`, `np.int64(x)` and the like truncate toward zero;
NaN, the infinities and values out of the type's range give what NumPy's
casts give on x86 (C casts: the conversion instruction's "integer
indefinite", the minimum of int32 or int64, truncated for the narrower
types), which is what Numba gives too.  The conversions are a compare and
a select, so a loop of them vectorizes (csrc/numbers.c).  From 2**64 on, a
uint64 is the largest, as in Numba.
"""
import warnings

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given

from difftest import FEW, assert_compiled
from pyjit import njit

SPECIAL = [np.nan, np.inf, -np.inf, 1e20, -1e20, 300.0, -1.0, -129.5, 255.9,
           65535.7, 2.0 ** 31, -2.0 ** 31, 2.0 ** 31 - 0.5, 2.0 ** 32 + 5,
           2.0 ** 63, -2.0 ** 63, 2.0 ** 64 - 2048, 2.0 ** 64, 1.5, -1.5,
           0.0, -0.0, 123456789.9, -3e9, 5e9]
SIGNED = [np.int8, np.int16, np.int32, np.int64]
UNSIGNED = [np.uint8, np.uint16, np.uint32, np.uint64]


@njit
def cast(a, t):
    return a.astype(t)


@njit
def scalars(x):
    return (np.int8(x), np.int16(x), np.int32(x), np.int64(x), np.uint8(x),
            np.uint16(x), np.uint32(x), np.uint64(x))


def numpy_cast(a, t):
    # one element at a time: NumPy's vector loops for some unsigned types
    # on AVX-512 differ from its own scalar casts out of range
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return np.array([np.array([v]).astype(t)[0] for v in a], dtype=t)


def expected(a, t):
    """NumPy's values, but the largest uint64 from 2**64 on, as Numba
    gives it (where a uint64 that went through a float64 comes back)."""
    want = numpy_cast(a, t)
    if t is np.uint64:
        want[a >= 2.0 ** 64] = np.iinfo(np.uint64).max
    return want


@pytest.mark.parametrize("src", [np.float64, np.float32])
@pytest.mark.parametrize("t", SIGNED + UNSIGNED)
def test_special_values_as_numpy(src, t):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = np.array(SPECIAL).astype(src)
    np.testing.assert_array_equal(cast(a, t), expected(a, t))
    assert_compiled(cast)


@pytest.mark.parametrize("t", SIGNED)
def test_whole_arrays_as_numpy(t):
    a = np.array(SPECIAL * 5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        np.testing.assert_array_equal(cast(a, t), a.astype(t))


@given(st.floats(allow_nan=True, allow_infinity=True))
@FEW
def test_scalar_constructors(x):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = tuple(expected(np.array([x]), t)[0] for t in SIGNED + UNSIGNED)
    assert scalars(x) == want
    assert_compiled(scalars)
