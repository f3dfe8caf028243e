"""Differential tests: np.flatnonzero, np.nonzero (and a.nonzero()),
np.argwhere and one-argument np.where in nopython code
(pyjit/_np_index.py), against NumPy on arrays of 1 to 3 dimensions,
0-sized ones and views among them, of many dtypes (NaN is not zero)."""
import numpy as np
from hypothesis import given

from np_arrays import SOME, arrays, check_arrays
from pyjit import njit


@njit
def found(a):
    return np.flatnonzero(a), np.argwhere(a)


@njit
def nonzero(a):
    return np.nonzero(a), a.nonzero(), np.where(a)


@SOME
@given(a=arrays())
def test_found(a):
    check_arrays(found, a)


@SOME
@given(a=arrays())
def test_nonzero(a):
    got, want = nonzero(a), nonzero.py_func(a)
    for g, w in zip(got, want):
        assert len(g) == len(w) == a.ndim
        for gi, wi in zip(g, w):
            assert gi.dtype == wi.dtype
            np.testing.assert_array_equal(gi, wi)
