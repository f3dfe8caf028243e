"""Differential tests: the radix sort np.sort uses for long runs of numbers
(pyjit/_np_sort.py) against NumPy's np.sort.

Runs of at least the radix sort's minimum length, of every real dtype, with
NaNs (which NumPy puts last), infinities, -0.0 beside 0.0 (equal values:
kind='stable' keeps their order, which the sign bits show), the extremes of
int64 and uint64, many equal elements, rows of a 2-d array.
"""
import hypothesis.strategies as st
import numpy as np
from hypothesis import HealthCheck, given, settings

from difftest import assert_compiled
from pyjit import njit
from pyjit import _np_sort

LONG = _np_sort._RADIX_MIN
FEW = settings(max_examples=8, deadline=None,
               suppress_health_check=[HealthCheck.too_slow])
DTYPES = [np.float64, np.float32, np.int64, np.int32, np.int16, np.int8,
          np.uint64, np.uint32, np.uint16, np.uint8, np.bool_]
SPECIAL = {np.float64: [np.nan, -np.nan, np.inf, -np.inf, 0.0, -0.0, 5e-324,
                        -1.7976931348623157e308],
           np.float32: [np.nan, np.inf, -np.inf, 0.0, -0.0, 1e-45]}


@njit
def sort(a):
    return np.sort(a)


@njit
def sort_stable(a):
    return np.sort(a, kind="stable")


@njit
def sort_method(a):
    a.sort()
    return a


def _values(dtype, seed, n, few):
    """n elements of dtype: random over the dtype's range (or from a few
    distinct values), sprinkled with its special values."""
    rng = np.random.default_rng(seed)
    if dtype == np.bool_:
        return rng.integers(0, 2, n).astype(np.bool_)
    if np.issubdtype(dtype, np.integer):
        info = np.iinfo(dtype)
        a = rng.integers(info.min, info.max, n, dtype=dtype, endpoint=True)
        if few:
            a = rng.choice(a[:4], n)
        a[rng.integers(0, n, 3)] = info.min
        a[rng.integers(0, n, 3)] = info.max
        return a
    a = (rng.standard_normal(n) * 10.0 ** rng.integers(-30, 30, n)) \
        .astype(dtype)
    if few:
        a = rng.choice(a[:4], n)
    for v in SPECIAL[dtype]:
        a[rng.integers(0, n, rng.integers(0, 20))] = v
    return a


def _same(got, want):
    """Equal element for element, NaN where NumPy has NaN, and the same
    bits for every element but the NaNs' (so -0.0 and 0.0 in NumPy's
    stable order)."""
    assert got.dtype == want.dtype and got.shape == want.shape
    if want.dtype.kind == "f":
        nan = np.isnan(want)
        assert np.array_equal(np.isnan(got), nan)
        got, want = got[~nan], want[~nan]
        assert np.array_equal(np.signbit(got), np.signbit(want))
    assert np.array_equal(got, want)


@FEW
@given(dtype=st.sampled_from(DTYPES), seed=st.integers(0, 2**32 - 1),
       extra=st.integers(0, 3 * LONG), few=st.booleans())
def test_long_sort(dtype, seed, extra, few):
    a = _values(dtype, seed, LONG + extra, few)
    _same(sort_stable(a), np.sort(a, kind="stable"))
    # NumPy's own quicksort: equal zeros come out in NumPy's order too
    _same(sort(a), np.sort(a))
    b = a.copy()
    _same(sort_method(b), np.sort(a))
    for f in (sort, sort_stable, sort_method):
        assert_compiled(f)


@FEW
@given(dtype=st.sampled_from([np.float64, np.int64, np.float32]),
       seed=st.integers(0, 2**32 - 1), rows=st.integers(1, 3))
def test_long_rows(dtype, seed, rows):
    a = _values(dtype, seed, rows * (LONG + 5), False).reshape(rows, -1)
    _same(sort_stable(a), np.sort(a, kind="stable"))
    _same(sort_stable(a.T.copy().T), np.sort(a, kind="stable"))
    assert_compiled(sort_stable)


def test_all_nan_and_no_nan():
    for a in (np.full(LONG * 2, np.nan), np.arange(LONG * 2, 0, -1.0),
              np.zeros(LONG * 2), np.full(LONG, -0.0)):
        _same(sort_stable(a), np.sort(a, kind="stable"))
    assert_compiled(sort_stable)
