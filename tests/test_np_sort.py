"""Differential tests: sorting in nopython code (pyjit/_np_sort.py).

np.sort and a.sort() against NumPy's sort along the last axis, np.argsort
against NumPy's of the same kind (the order of equal elements included:
both call NumPy's own loops, csrc/np_sortloop.c),
np.searchsorted of numbers against NumPy's; on arrays of every real dtype,
1 to 3 dimensions, 0-sized, views that are not contiguous, with NaNs,
infinities and many equal elements.  Long inputs that defeat a plain
quicksort (sorted, reversed, all equal, organ pipe) check the sort stays
correct where it falls back to heapsort.
"""
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given

from hypothesis import HealthCheck, settings

from np_arrays import SOME, arrays, assert_same_array, check_arrays

# each new dtype, dimension and layout compiles the sort anew
FEW = settings(max_examples=10, deadline=None,
               suppress_health_check=[HealthCheck.too_slow])
from pyjit import njit


@njit
def sort_both(a):
    b = a.copy()
    b.sort()
    return np.sort(a), b


@njit
def argsort(a):
    return np.argsort(a), a.argsort()


@FEW
@given(a=arrays())
def test_sort(a):
    # NumPy's order of -0.0 and 0.0 depends on its algorithm
    check_arrays(sort_both, a, zero_signs=False)


@FEW
@given(a=arrays())
def test_argsort_is_numpys_order(a):
    got, got_method = argsort(a)
    want = np.argsort(a)
    assert_same_array(got, want)
    assert_same_array(got_method, want)
    assert_same_array(argsort_stable(a), np.argsort(a, kind="stable"))


@njit
def argsort_stable(a):
    return np.argsort(a, kind="stable")


@njit
def searchsorted(a, v):
    return np.searchsorted(a, v), a.searchsorted(v)


@SOME
@given(a=arrays(dtype=np.dtype("float64"), ndim=1),
       v=st.one_of(st.floats(-1e4, 1e4), st.sampled_from(
           [float("nan"), float("inf"), float("-inf"), 0.0, 0.5])))
def test_searchsorted(a, v):
    a = np.sort(a)
    got = searchsorted(a, v)
    assert got == (np.searchsorted(a, v),) * 2


@SOME
@given(a=arrays(dtype=np.dtype("int32"), ndim=1), v=st.integers(-60, 60))
def test_searchsorted_integers(a, v):
    a = np.sort(a)
    assert searchsorted(a, v) == (np.searchsorted(a, v),) * 2


@pytest.mark.parametrize("pattern", ["sorted", "reversed", "equal",
                                     "organ", "few", "nan_heavy"])
def test_adversarial_orders(pattern):
    n = 5000
    rng = np.random.default_rng(7)
    a = {"sorted": np.arange(n, dtype=np.float64),
         "reversed": np.arange(n, 0, -1).astype(np.float64),
         "equal": np.full(n, 3.0),
         "organ": np.concatenate([np.arange(n // 2), np.arange(n // 2, 0, -1)])
         .astype(np.float64),
         "few": rng.integers(0, 3, n).astype(np.float64),
         "nan_heavy": np.where(rng.random(n) < 0.5, np.nan,
                               rng.random(n))}[pattern]
    got, got_in_place = sort_both(a)
    assert_same_array(got, np.sort(a))
    assert_same_array(got_in_place, np.sort(a))
    assert_same_array(argsort(a)[0], np.argsort(a))
    assert_same_array(argsort_stable(a), np.argsort(a, kind="stable"))


def test_argsort_kind_mergesort_is_stable():
    @njit
    def f(a):
        return np.argsort(a, kind="mergesort")

    a = np.array([1.0, 0.0, 1.0, 0.0])
    assert_same_array(f(a), np.argsort(a, kind="mergesort"))
