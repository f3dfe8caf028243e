"""Differential tests: NumPy's statistics, counting and lookup functions in
nopython code (pyjit/_np_stats.py): np.median percentile quantile and
their nan-forms, np.average, np.histogram, np.bincount, np.unique,
np.digitize, np.interp, np.cross, np.trapezoid.

Each compiled function runs on the same arguments as NumPy itself (arrays
of several dtypes and shapes, empty ones, NaNs and infinities among the
floats); results must agree in value, shape and dtype, or both must raise
the same exception with the same message.
"""
import warnings

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from difftest import assert_compiled
from np_arrays import arrays, elements, run_both
from pyjit import njit

SOME = settings(max_examples=10, deadline=None,
                suppress_health_check=[HealthCheck.too_slow,
                                       HealthCheck.data_too_large])
DTYPES = [np.dtype(n) for n in ("int64", "float32", "float64")]
F64 = np.dtype("float64")


def some_arrays(dtypes=DTYPES, min_side=0):
    return st.sampled_from(dtypes).flatmap(
        lambda d: arrays(dtype=d, min_side=min_side))


def vectors(dtype=F64, min_size=0, max_size=12, elems=None):
    return hnp.arrays(dtype, st.integers(min_size, max_size),
                      elements=elems if elems is not None
                      else elements(dtype))


def both(f, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return run_both(f, *args)


def check(f, *args, rtol=0.0):
    """f compiled agrees with NumPy: the same exception and message, or
    the same values (within rtol for floats), dtypes and shapes."""
    kind, got, want = both(f, *args)
    if kind == "exc":
        assert type(got) is type(want), (got, want)
        if not isinstance(want, IndexError):
            # NumPy's IndexError for a quantile of nothing names an index
            # that depends on q.  Which of two equal zeros NumPy's min and
            # max return depends on its vectorized reduction's order, so a
            # range [-0.0, inf] may be NumPy's [0.0, inf]: the sign of a
            # zero in a message is not compared.
            assert (str(got).replace("-0.0", "0.0")
                    == str(want).replace("-0.0", "0.0")), (got, want)
        return
    if isinstance(want, tuple):
        for g, w in zip(got, want):
            same(g, w, rtol, args)
    else:
        same(got, want, rtol, args)


def same(got, want, rtol, where):
    if isinstance(want, np.ndarray):
        assert isinstance(got, np.ndarray), (where, got, want)
        assert (got.dtype, got.shape) == (want.dtype, want.shape), \
            (where, got, want)
    else:
        assert not isinstance(got, np.ndarray), (where, got, want)
        assert np.asarray(got).dtype.kind == np.asarray(want).dtype.kind, \
            (where, got, want)
    np.testing.assert_allclose(got, want, rtol=rtol, atol=0,
                               err_msg=str(where), equal_nan=True)


@njit
def median(a):
    return np.median(a)


@njit
def nanmedian(a):
    return np.nanmedian(a)


@njit
def percentile(a, q):
    return np.percentile(a, q)


@njit
def quantile(a, q):
    return np.quantile(a, q)


@njit
def nanpercentile(a, q):
    return np.nanpercentile(a, q)


@njit
def nanquantile(a, q):
    return np.nanquantile(a, q)


@pytest.mark.parametrize("f", [median, nanmedian])
@SOME
@given(a=some_arrays())
def test_median(f, a):
    check(f, a, rtol=1e-6 if a.dtype == np.float32 else 1e-15)


@pytest.mark.parametrize("f, top", [(percentile, 100), (quantile, 1),
                                    (nanpercentile, 100), (nanquantile, 1)],
                         ids=["percentile", "quantile", "nanpercentile",
                              "nanquantile"])
@SOME
@given(a=some_arrays(), q=st.floats(-0.1, 1.1), many=st.booleans())
def test_quantiles(f, top, a, q, many):
    if a.dtype.kind == "i":
        # NumPy subtracts neighbours in int64, where they may wrap around
        a = np.clip(a, -10**6, 10**6)
    q = q * top
    if many:
        q = np.array([q, top / 2, 0.0, float(top)])
        if a.size == 0 and f in (nanpercentile, nanquantile):
            return      # NumPy gives one nan, not an array of them
        if (f in (nanpercentile, nanquantile) and a.dtype == np.float32
                and np.isnan(a).all() and -0.0 <= q[0] <= top):
            # NumPy's type depends on the values here: float32 NaNs when
            # all are NaN, float64 otherwise; compiled code has one type
            got = f(a, q)
            assert got.dtype == np.float64 and np.isnan(got).all()
            return
    check(f, a, q, rtol=1e-6 if a.dtype == np.float32 else 1e-12)


@pytest.mark.parametrize("f, top", [(percentile, 100), (quantile, 1),
                                    (nanpercentile, 100), (nanquantile, 1)],
                         ids=["percentile", "quantile", "nanpercentile",
                              "nanquantile"])
@pytest.mark.parametrize("q, qdtype", [([0, 1], None), ([1], None),
                                       ([0.25, 1.0], None), (1, None),
                                       (0.5, None), ([0, 1], "float32"),
                                       ([1], "float32"),
                                       ([0.25, 1.0], "float32")],
                         ids=["ints", "int", "floats", "py-int", "py-float",
                              "float32-ints", "float32-int",
                              "float32-floats"])
@pytest.mark.parametrize("adtype", ["float32", "float64", "int64"])
def test_quantile_types_follow_numpy(f, top, q, qdtype, adtype):
    """NumPy's result type: integer quantiles keep a's dtype (a percentile
    is a float once divided by 100), float ones promote with it; a Python
    number takes a's."""
    a = np.array([3.0, 1.0, 4.0, 1.5, 9.0, 2.5], adtype)
    q = np.asarray(q) * top if isinstance(q, list) else q * top
    if qdtype is not None:
        q = q.astype(qdtype)
    check(f, a, q, rtol=1e-6)


def along(fn, with_q):
    """fn(a, q, axis=axis) (fn(a, axis=axis) without q), compiled."""
    if with_q:
        def f(a, q, axis):
            return fn(a, q, axis=axis)
    else:
        def f(a, axis):
            return fn(a, axis=axis)
    return njit(f)


median_along = along(np.median, False)
nanmedian_along = along(np.nanmedian, False)
percentile_along = along(np.percentile, True)
quantile_along = along(np.quantile, True)
nanpercentile_along = along(np.nanpercentile, True)
nanquantile_along = along(np.nanquantile, True)


@pytest.mark.parametrize("a, q", [
    (np.array([0, np.inf], np.float32), 1.0234062693821823e-225),
    (np.array([0, 2], np.float32), 8.172909101382707e-44),
    (np.array([0, 1, 1], np.float32), 8.172909101382707e-44),
    (np.array([0, 2, 5], np.float32), 0.333),
])
def test_a_float32_lane_interpolates_in_float32(a, q):
    # NumPy multiplies the lane by the weight as a Python float: in
    # float32, so a weight below float32's range is 0 (inf * 0 is nan)
    for f, scale in ((quantile_along, 1), (nanquantile_along, 1),
                     (percentile_along, 100)):
        check(f, a, q * scale, 0, rtol=1e-6)


@SOME
@given(a=some_arrays(min_side=1), data=st.data())
def test_median_along_an_axis(a, data):
    axis = data.draw(st.integers(-a.ndim, a.ndim - 1))
    for f in (median_along, nanmedian_along):
        check(f, a, axis, rtol=1e-6 if a.dtype == np.float32 else 1e-15)
        assert_compiled(f)


@pytest.mark.parametrize("f, top", [(percentile_along, 100),
                                    (quantile_along, 1),
                                    (nanpercentile_along, 100),
                                    (nanquantile_along, 1)],
                         ids=["percentile", "quantile", "nanpercentile",
                              "nanquantile"])
@SOME
@given(a=some_arrays(min_side=1), q=st.floats(-0.1, 1.1), data=st.data())
def test_quantiles_along_an_axis(f, top, a, q, data):
    # beyond Numba, which takes no axis here: NumPy's result, q's
    # dimensions first, then a's others
    if a.dtype.kind == "i":
        a = np.clip(a, -10**6, 10**6)
    axis = data.draw(st.integers(-a.ndim, a.ndim - 1))
    q = q * top
    if data.draw(st.booleans()):
        q = np.array([[q, top / 2], [0.0, float(top)]])
        if (f in (nanpercentile_along, nanquantile_along)
                and a.dtype == np.float32 and np.isnan(a).any()):
            q = float(q[0, 0])  # the type of NumPy's result depends on values
    check(f, a, q, axis, rtol=1e-6 if a.dtype == np.float32 else 1e-12)
    assert_compiled(f)


def test_quantiles_along_an_axis_of_a_shape_with_no_elements():
    a = np.empty((0, 3))
    check(median_along, a, 0)
    check(percentile_along, a, 50.0, 1)
    check(percentile_along, a, 50.0, 0)      # NumPy's IndexError


@njit
def quantiles_of_sequences(a):
    p75, p25 = np.percentile(a, [75, 25])
    return (p75 - p25, np.quantile(a, (0.1, 0.9)),
            np.nanpercentile(a, [50.0]), np.nanquantile(a, (0.25,)))


@SOME
@given(a=hnp.arrays(np.float64, st.integers(1, 30),
                    elements=st.floats(-1e6, 1e6)))
def test_quantiles_of_a_list_or_tuple(a):
    # aeon's iqr: np.percentile(X, [75, 25])
    check(quantiles_of_sequences, a, rtol=1e-12)


@njit
def average(a, w):
    return np.average(a, weights=w)


@njit
def average_plain(a):
    return np.average(a)


@SOME
@given(a=some_arrays(min_side=1), data=st.data())
def test_average(a, data):
    w = data.draw(hnp.arrays(np.float64, a.shape,
                             elements=st.sampled_from([0.0, 1.0, 2.5,
                                                       -1.0])))
    a = np.clip(np.nan_to_num(a), -1e6, 1e6).astype(a.dtype)
    check(average, a, w, rtol=1e-9)
    if a.dtype.kind not in "fc":
        check(average_plain, a, rtol=1e-12)
        return
    # floats sum in order (as Numba) where NumPy adds pairwise: with
    # values that cancel (1e6, -1e6, 1.1, ...), the two differ by rounding
    # errors of the order of the dtype's epsilon times the sum of the
    # magnitudes
    kind, got, want = both(average_plain, a)
    assert kind == "ok"
    assert np.asarray(got).dtype.kind == np.asarray(want).dtype.kind
    eps = np.finfo(a.dtype).eps
    bound = 4 * eps * np.abs(a.astype(np.complex128)).sum()
    assert abs(complex(got) - complex(want)) <= bound, (got, want)


def test_average_weights_of_another_shape():
    check(average, np.ones((2, 3)), np.ones(6))


@njit
def histogram(a, bins):
    return np.histogram(a, bins)


@njit
def histogram_range(a, bins, lo, hi):
    return np.histogram(a, bins, range=(lo, hi))


@SOME
@given(a=some_arrays(), bins=st.integers(-1, 12))
def test_histogram_of_a_count(a, bins):
    # NumPy computes float32 edges in float32, pyjit in float64, rounded
    check(histogram, a, bins, rtol=1e-6 if a.dtype == np.float32 else 0.0)


@SOME
@given(a=vectors(), bins=st.integers(1, 9), lo=st.floats(-100, 100),
       width=st.sampled_from([0.0, 0.5, 7.0, 300.0, -1.0]))
def test_histogram_of_a_range(a, bins, lo, width):
    check(histogram_range, a, bins, lo, lo + width)


@SOME
@given(a=some_arrays(),
       edges=vectors(min_size=0, max_size=6,
                     elems=st.sampled_from([-3.0, -0.5, 0.0, 1.0, 2.5,
                                            40.0])))
def test_histogram_of_edges(a, edges):
    check(histogram, a, np.sort(edges) if len(edges) % 3 else edges)


@njit
def bincount(x):
    return np.bincount(x)


@njit
def bincount_weights(x, w, minlength):
    return np.bincount(x, weights=w, minlength=minlength)


@SOME
@given(x=vectors(np.dtype("int64"), elems=st.integers(-1, 20)),
       minlength=st.integers(-1, 25), data=st.data())
def test_bincount(x, minlength, data):
    check(bincount, x)
    w = data.draw(vectors(min_size=len(x), max_size=len(x) + 1))
    if len(x):      # NumPy counts no weights in int64
        check(bincount_weights, x, w, minlength)


@njit
def unique(a):
    return np.unique(a)


@SOME
@given(a=some_arrays(DTYPES + [np.dtype("bool"), np.dtype("int8")]))
def test_unique(a):
    check(unique, a)


@njit
def digitize(x, bins, right):
    return np.digitize(x, bins, right=right)


@SOME
@given(x=some_arrays(), right=st.booleans(), order=st.sampled_from(
    ["up", "down", "none"]),
    bins=vectors(min_size=1, max_size=6,
                 elems=st.sampled_from([-3.0, 0.0, 1.0, 2.5, 40.0]))
)
def test_digitize(x, bins, right, order):
    if order != "none":
        bins = np.sort(bins)
        if order == "down":
            bins = bins[::-1].copy()
    check(digitize, x, bins, right)
    check(digitize, 1.0, bins, right)


@njit
def interp(x, xp, fp):
    return np.interp(x, xp, fp)


@SOME
@given(x=some_arrays([F64]), n=st.integers(0, 6), data=st.data())
def test_interp(x, n, data):
    xp = np.sort(data.draw(vectors(min_size=n, max_size=n,
                                   elems=st.floats(-50, 50))))
    fp = data.draw(vectors(min_size=n, max_size=n + data.draw(
        st.sampled_from([0, 0, 1]))))
    check(interp, x, xp, fp, rtol=1e-12)
    if x.size:
        check(interp, float(x.flat[0]), xp, fp, rtol=1e-12)


@SOME
@given(x=some_arrays([F64]), n=st.integers(1, 6), data=st.data())
def test_interp_of_complex_values(x, n, data):
    xp = np.sort(data.draw(vectors(min_size=n, max_size=n,
                                   elems=st.floats(-50, 50))))
    fp = data.draw(vectors(min_size=n, max_size=n)) + 1j * data.draw(
        vectors(min_size=n, max_size=n))
    check(interp, x, xp, fp, rtol=1e-12)
    check(interp, x, xp, fp.astype(np.complex64), rtol=1e-6)


def test_interp_of_complex_values_nan_and_ties():
    # a NaN x is NaN + 0j; a NaN part spreads only into its own part
    x = np.array([np.nan, 0.5, 1.0, 1.5, -1.0])
    xp = np.array([0.0, 1.0, 1.0, 2.0])
    fp = np.array([1 + 2j, complex(np.nan, 3.0), np.inf - 1j, 2.0])
    got, want = interp(x, xp, fp), interp.py_func(x, xp, fp)
    np.testing.assert_array_equal(got.real, want.real)
    np.testing.assert_array_equal(got.imag, want.imag)
    assert got.dtype == want.dtype


@njit
def cross(a, b):
    return np.cross(a, b)


@SOME
@given(dtype=st.sampled_from([np.float64, np.int64]),
       rows=st.sampled_from([(), (1,), (4,)]), data=st.data())
def test_cross(dtype, rows, data):
    shape = rows + (3,)
    a = data.draw(hnp.arrays(dtype, shape, elements=st.integers(-9, 9)))
    b = data.draw(hnp.arrays(dtype, shape, elements=st.integers(-9, 9)))
    check(cross, a, b)


@njit
def cross_with_axis(b):
    return np.cross([0, 0, 1], b), np.cross(b, (1.0, 0.0, 0.0))


@SOME
@given(vectors(min_size=3, max_size=3))
def test_cross_of_a_list_or_a_tuple(b):
    check(cross_with_axis, b)


def test_cross_of_other_vectors_is_an_error():
    with pytest.raises(ValueError, match="incompatible dimensions"):
        cross(np.ones(4), np.ones(4))


@njit
def trapezoid(y, x):
    return np.trapezoid(y, x)


@njit
def trapezoid_dx(y, dx):
    return np.trapezoid(y, dx=dx)


@SOME
@given(y=vectors(), data=st.data(), dx=st.sampled_from([1.0, 0.5, 3.0]))
def test_trapezoid(y, data, dx):
    x = np.sort(data.draw(vectors(min_size=len(y), max_size=len(y),
                                  elems=st.floats(-50, 50))))
    scale = 1e-12 * max(1.0, float(np.sum(np.abs(y[np.isfinite(y)]))) * 100)
    for f, args in ((trapezoid, (y, x)), (trapezoid_dx, (y, dx))):
        kind, got, want = both(f, *args)
        assert kind == "ok"
        if np.isfinite(want):
            assert abs(got - want) <= scale, (args, got, want)
        else:
            assert got == want or (np.isnan(got) and np.isnan(want))


@njit
def trapezoid_along(y, x, axis):
    return np.trapezoid(y, x, axis=axis), np.trapezoid(y, dx=0.5, axis=axis)


@st.composite
def grids(draw):
    """2-d and 3-d arrays of small integers (exact sums, whatever the
    order of the additions), 0-sized sides and views that are not
    contiguous among them."""
    dtype = draw(st.sampled_from([F64, np.dtype("float32"),
                                  np.dtype("int64")]))
    shape = draw(hnp.array_shapes(min_dims=2, max_dims=3, min_side=0,
                                  max_side=4))
    a = draw(hnp.arrays(dtype, shape, elements=st.integers(-9, 9)))
    view = draw(st.sampled_from(["c", "transposed", "strided"]))
    if view == "transposed":
        return a.T
    return a[:, ::2] if view == "strided" else a


@SOME
@given(y=grids(), data=st.data())
def test_trapezoid_along_an_axis(y, data):
    axis = data.draw(st.integers(-y.ndim, y.ndim - 1))
    n = y.shape[axis]
    points = np.cumsum(data.draw(hnp.arrays(F64, n, elements=st.integers(
        0, 3))))
    # None, the points along the axis, or points of y's shape
    for x in (None, points, np.cumsum(np.ones(y.shape), axis=axis)):
        check(trapezoid_along, y, x, axis)


def test_trapezoid_broadcasts_and_checks_as_numpy():
    y = np.arange(12.0).reshape(3, 4)
    for x, axis in ((np.array([0.0, 2.0]), -1),      # one width for all
                    (np.arange(3.0), 1), (np.ones(4), 2), (None, -3),
                    (np.arange(4.0)[None, :], -1)):
        check(trapezoid_along, y, x, axis)
    check(trapezoid_along, y[:, :2], np.arange(5.0), -1)  # one pair


@njit
def _histogram_edges_of(a, bins):
    return np.histogram(a, bins)


@pytest.mark.parametrize("a,bins", [
    (np.array([-3968.0, 4224.654], np.float32), 2),
    (np.array([1e-3, 3.3], np.float32), 7),
    (np.array([1.0, 2.0, 7.3]), 3),
    (np.array([5, 9]), 4),
])
def test_histogram_edges_computed_in_the_arrays_float_type(a, bins):
    counts, edges = _histogram_edges_of(a, bins)
    want_counts, want_edges = np.histogram(a, bins)
    assert edges.dtype == want_edges.dtype
    assert np.array_equal(edges, want_edges)
    assert np.array_equal(counts, want_counts)
    assert_compiled(_histogram_edges_of)
