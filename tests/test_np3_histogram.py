"""Differential tests: np.histogram into equal bins (pyjit/_np_stats.py)
against NumPy, exactly: counts and edges bit for bit, for float64, float32
and int64 data of many sizes, elements on and one float beside every edge,
NaN and infinities outside a range=, ranges far narrower than their offset
(where the bins are found as NumPy computes them), and float32 data with a
range= of Python floats (edges computed in float64, bounds compared in
float32).
"""
import numpy as np
import pytest
from hypothesis import given, settings
import hypothesis.strategies as st

from np_arrays import run_both
from pyjit import njit


@njit
def hist(a, bins):
    return np.histogram(a, bins)


@njit
def hist_range(a, bins, lo, hi):
    return np.histogram(a, bins, range=(lo, hi))


def same(f, *args):
    kind, got, want = run_both(f, *args)
    if kind == "exc":
        assert type(got) is type(want) and str(got) == str(want), (got, want)
        return
    for g, w in zip(got, want):
        assert g.dtype == w.dtype and g.shape == w.shape, (args, g, w)
        assert np.array_equal(g, w), (args, g, w)


def on_the_edges(a, bins, lo, hi):
    """a with NumPy's edges for (bins, lo, hi) and their neighbours."""
    try:
        edges = np.histogram(a[:0], bins, range=(lo, hi))[1]
    except ValueError:          # too many bins: the error is tested
        return a
    near = [np.nextafter(edges, -np.inf), edges, np.nextafter(edges, np.inf)]
    return np.concatenate([a] + [e.astype(a.dtype) for e in near])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("n", [0, 1, 2, 7, 100, 1001])
def test_uniform_bins_of_random_data(dtype, n):
    rng = np.random.default_rng(n)
    for bins in (1, 2, 3, 10, 20, 257):
        a = (rng.standard_normal(n) * 10.0 ** rng.integers(-3, 4)).astype(dtype)
        same(hist, a, bins)
        if n:
            lo, hi = float(a.min()), float(a.max())
            same(hist, on_the_edges(a, bins, lo, hi), bins)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_ranges_with_nan_and_infinities(dtype):
    rng = np.random.default_rng(5)
    special = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0], dtype)
    for lo, hi in [(0.7, 0.9), (-1.0, 1.0), (0.1, 0.1), (-3.5, 2.25),
                   (1e-300, 2e-300), (0.0, 1e-310)]:
        for bins in (1, 5, 20):
            a = np.concatenate([rng.uniform(lo - 1, hi + 1, 50).astype(dtype),
                                special])
            same(hist_range, a, bins, lo, hi)
            same(hist_range, on_the_edges(a, bins, lo, hi), bins, lo, hi)


def test_narrow_ranges_far_from_zero():
    # the rounding of the edges is a large part of a bin here: the bins are
    # NumPy's computed ones, one step against the edges
    rng = np.random.default_rng(7)
    for offset in (1e6, 1e12, 1e15, -1e15, 3e300):
        for width in (1e-3, 1.0, 1e3):
            lo = offset
            hi = offset + width * max(1.0, abs(offset) * 1e-15)
            if hi == lo:
                continue
            a = rng.uniform(lo, hi, 300)
            for bins in (3, 20, 1000):
                same(hist_range, a, bins, lo, hi)
                same(hist_range, on_the_edges(a, bins, lo, hi), bins, lo, hi)


def test_integer_data():
    rng = np.random.default_rng(11)
    for n in (0, 1, 5, 200):
        a = rng.integers(-50, 50, n)
        for bins in (1, 4, 13, 100):
            same(hist, a, bins)
            same(hist_range, a, bins, -20.5, 31.0)
            same(hist_range, a, bins, -20, 30)


def test_many_dimensions():
    a = np.random.default_rng(3).random((6, 7, 5))
    same(hist, a, 9)
    same(hist, np.asfortranarray(a)[::2, ::-1], 9)


@settings(max_examples=60, deadline=None)
@given(a=st.lists(st.floats(allow_nan=True, allow_infinity=True, width=64),
                  max_size=40),
       bins=st.integers(1, 30), lo=st.floats(-1e3, 1e3),
       width=st.floats(0.0, 1e4))
def test_hypothesis_ranges(a, bins, lo, width):
    a = np.array(a, np.float64)
    same(hist_range, a, bins, lo, lo + width)
    with np.errstate(over="ignore"):
        a32 = a.astype(np.float32)
    same(hist_range, a32, bins, lo, lo + width)


def test_errors():
    a = np.array([1.0, np.nan])
    same(hist, a, 3)                    # autodetected range not finite
    same(hist, np.ones(3), 0)           # bins must be positive
    same(hist_range, np.ones(3), 2, 1.0, 0.0)
    same(hist_range, np.ones(3), 2, 0.0, np.inf)
    same(hist_range, np.ones(3), 10 ** 6, 1.0, 1.0 + 1e-12)   # too many bins
