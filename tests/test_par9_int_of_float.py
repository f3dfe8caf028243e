"""int() of a float in hot loops, serial and inside prange: finite values
convert as in Python, and NaN and the infinities raise CPython's
ValueError / OverflowError with its message wherever they sit in the array
(the conversion's check is kept out of the usual path, not dropped)."""
import hypothesis.strategies as st
import numpy as np
from hypothesis import given, settings

from pyjit import njit, prange

from difftest import assert_compiled, check

SETTINGS = settings(max_examples=40, deadline=None)
# finite floats well inside int64, so int() agrees with Python exactly
in_range = st.floats(-2.0 ** 62, 2.0 ** 62, allow_nan=False)
fractions = st.floats(0.0, 1.0, exclude_max=True)
rare = st.sampled_from([float("nan"), float("inf"), -float("inf")])


@njit
def int_sum(a):
    s = 0
    for i in range(a.shape[0]):
        s += int(a[i])
    return s


@njit(parallel=True)
def int_sum_prange(a):
    s = 0
    for i in prange(a.shape[0]):
        s += int(a[i])
    return s


@njit
def histogram(a, bins):
    counts = np.zeros(bins, np.int64)
    for i in range(a.shape[0]):
        counts[int(a[i] * bins)] += 1
    s = 0
    for k in range(bins):
        s += k * counts[k]
    return s


@njit(parallel=True)
def histogram_rows(a, bins):
    threads = 4
    partial = np.zeros((threads, bins), np.int64)
    size = (a.shape[0] + threads - 1) // threads
    for t in prange(threads):
        row = partial[t]
        for x in a[t * size:(t + 1) * size]:
            row[int(x * bins)] += 1
    counts = partial.sum(axis=0)
    s = 0
    for k in range(bins):
        s += k * counts[k]
    return s


def planted(values, where, bad):
    a = np.array(values, dtype=np.float64)
    if bad is not None and len(a):
        a[where % len(a)] = bad
    return a


@SETTINGS
@given(st.lists(in_range, max_size=200), st.integers(0, 10**6),
       st.one_of(st.none(), rare))
def test_int_sum_matches_python(values, where, bad):
    a = planted(values, where, bad)
    check(int_sum, a)
    check(int_sum_prange, a)


@SETTINGS
@given(st.lists(fractions, max_size=300), st.integers(0, 10**6),
       st.one_of(st.none(), rare), st.integers(1, 70))
def test_histograms_match_python(values, where, bad, bins):
    a = planted(values, where, bad)
    check(histogram, a, bins)
    check(histogram_rows, a, bins)


@SETTINGS
@given(st.lists(st.floats(-2.0 ** 62, 2.0 ** 62, allow_nan=False,
                          width=32), max_size=100),
       st.integers(0, 10**6), st.one_of(st.none(), rare))
def test_float32_int_sum_matches_python(values, where, bad):
    a = planted(values, where, bad).astype(np.float32)
    check(int_sum, a)


def test_edges_of_int64():
    # -2**63 is an int64; the largest float below 2**63 converts exactly
    a = np.array([-2.0 ** 63, np.nextafter(2.0 ** 63, 0), 0.5, -0.5])
    check(int_sum, a[:1])
    check(int_sum, a[1:])
    check(int_sum, a[2:])
    assert_compiled(int_sum)
