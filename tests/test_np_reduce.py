"""Differential tests: NumPy's reductions along an axis, the nan-functions,
the running sums and np.diff in nopython code (pyjit/_np_reduce.py).

Each compiled function runs on the same arrays as NumPy itself (1 to 3
dimensions, empty ones among them, views that are not contiguous, NaNs and
infinities among the floats) with an axis drawn from the array's own
(negative ones too) and sometimes one it lacks; the results must agree in
value, shape and dtype, or both must raise the same exception with the
same message.  Sums and products add in another order than NumPy's
pairwise loops, so float results are compared within a tolerance scaled by
the magnitude of the elements.
"""
import warnings

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given

from hypothesis import HealthCheck, settings

from difftest import assert_compiled
from np_arrays import arrays, assert_same_array, run_both
from pyjit import TypingError, njit


@njit
def f_prod(a, axis):
    return np.prod(a, axis=axis)


@njit
def f_min(a, axis):
    return np.min(a, axis=axis)


@njit
def f_max(a, axis):
    return np.max(a, axis)


@njit
def f_amax(a, axis):
    return np.amax(a, axis=axis)


@njit
def f_argmin(a, axis):
    return np.argmin(a, axis=axis)


@njit
def f_argmax(a, axis):
    return np.argmax(a, axis=axis)


@njit
def f_var(a, axis):
    return np.var(a, axis=axis)


@njit
def f_std(a, axis):
    return np.std(a, axis=axis)


@njit
def f_any(a, axis):
    return np.any(a, axis=axis)


@njit
def f_all(a, axis):
    return np.all(a, axis=axis)


@njit
def f_count_nonzero(a, axis):
    return np.count_nonzero(a, axis=axis)


@njit
def f_ptp(a, axis):
    return np.ptp(a, axis=axis)


@njit
def f_cumsum(a, axis):
    return np.cumsum(a, axis=axis)


@njit
def f_cumprod(a, axis):
    return np.cumprod(a, axis=axis)


@njit
def f_sum(a, axis):
    return np.sum(a, axis=axis)


@njit
def f_mean(a, axis):
    return np.mean(a, axis=axis)


@njit
def f_nansum(a, axis):
    return np.nansum(a, axis=axis)


@njit
def f_nanprod(a, axis):
    return np.nanprod(a, axis=axis)


@njit
def f_nanmin(a, axis):
    return np.nanmin(a, axis=axis)


@njit
def f_nanmax(a, axis):
    return np.nanmax(a, axis=axis)


@njit
def f_nanargmin(a, axis):
    return np.nanargmin(a, axis=axis)


@njit
def f_nanargmax(a, axis):
    return np.nanargmax(a, axis=axis)


@njit
def f_nanmean(a, axis):
    return np.nanmean(a, axis=axis)


@njit
def f_nanvar(a, axis):
    return np.nanvar(a, axis=axis)


@njit
def f_nanstd(a, axis):
    return np.nanstd(a, axis=axis)


@njit
def f_nancumsum(a, axis):
    return np.nancumsum(a, axis=axis)


@njit
def f_nancumprod(a, axis):
    return np.nancumprod(a, axis=axis)


# methods
@njit
def m_prod(a, axis):
    return a.prod(axis=axis)


@njit
def m_min(a, axis):
    return a.min(axis=axis)


@njit
def m_max(a, axis):
    return a.max(axis=axis)


@njit
def m_argmin(a, axis):
    return a.argmin(axis=axis)


@njit
def m_argmax(a, axis):
    return a.argmax(axis)


@njit
def m_var(a, axis):
    return a.var(axis=axis)


@njit
def m_std(a, axis):
    return a.std(axis=axis)


@njit
def m_any(a, axis):
    return a.any(axis=axis)


@njit
def m_all(a, axis):
    return a.all(axis=axis)


@njit
def m_cumsum(a, axis):
    return a.cumsum(axis=axis)


@njit
def m_cumprod(a, axis):
    return a.cumprod(axis=axis)


# Results that are the elements themselves, or counts: exactly NumPy's.
EXACT = [f_min, f_max, f_amax, f_argmin, f_argmax, f_any, f_all,
         f_count_nonzero, f_ptp, f_nanmin, f_nanmax, f_nanargmin,
         f_nanargmax, m_min, m_max, m_argmin, m_argmax, m_any, m_all]
# Sums of the elements, in pyjit's order.
SUMS = [f_sum, f_mean, f_var, f_std, f_cumsum, f_nansum, f_nanmean,
        f_nanvar, f_nanstd, f_nancumsum, m_var, m_std, m_cumsum]
PRODUCTS = [f_prod, f_cumprod, f_nanprod, f_nancumprod, m_prod, m_cumprod]
# The variance of float32 values is a float64 (pyjit/_np_reduce.py).
FLOAT64_VARIANCE = {f_var, f_std, f_nanvar, f_nanstd, m_var, m_std}


# Few examples of few dtypes: each new dtype, layout and dimension is a
# compile of the function and of the library's functions it calls.
SOME = settings(max_examples=6, deadline=None,
                suppress_health_check=[HealthCheck.too_slow,
                                       HealthCheck.data_too_large])
DTYPES = [np.dtype(n) for n in ("bool", "int8", "int64", "float32",
                                "float64")]


def some_arrays():
    return st.sampled_from(DTYPES).flatmap(lambda d: arrays(dtype=d))


def ids(f):
    return f.__name__


@st.composite
def array_and_axis(draw, elements=None):
    a = draw(some_arrays())
    if elements is not None and a.dtype.kind == "f":
        values = draw(st.lists(elements, min_size=a.size, max_size=a.size))
        a = np.array(values, a.dtype).reshape(a.shape)
    axis = draw(st.one_of(st.none(), st.integers(-a.ndim, a.ndim - 1),
                          st.sampled_from([a.ndim, -a.ndim - 1])))
    return a, axis


def same_exception(got, want):
    assert type(got) is type(want), (got, want)
    assert str(got) == str(want), (got, want)


def compare(f, a, axis, tol=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        kind, got, want = run_both(f, a, axis)
    if kind == "exc":
        same_exception(got, want)
        return
    where = f"{f.__name__}({a!r}, axis={axis})"
    if isinstance(want, np.ndarray):
        if f in FLOAT64_VARIANCE and a.dtype == np.float32:
            want = want.astype(np.float64)
        if tol is None:
            assert_same_array(got, want, where=where, zero_signs=False)
        else:
            assert (got.dtype, got.shape) == (want.dtype, want.shape), where
            assert_close(got, want, tol, where)
        return
    assert not isinstance(got, np.ndarray), where
    if tol is None or isinstance(want, (bool, np.bool_, np.integer)):
        assert got == want or (got != got and want != want), \
            (where, got, want)
        assert type(got) is type(want.item()), (where, got, want)
    else:
        assert_close(np.asarray(got), np.asarray(want), tol, where)


def assert_close(got, want, tol, where):
    got = np.asarray(got, dtype=np.complex128)
    want = np.asarray(want, dtype=np.complex128)
    assert np.array_equal(np.isnan(got), np.isnan(want)), (where, got, want)
    finite = np.isfinite(want)
    assert np.array_equal(got[~finite], want[~finite],
                          equal_nan=True), (where, got, want)
    assert np.all(np.abs(got[finite] - want[finite]) <= tol), \
        (where, got, want, tol)


def sum_tolerance(a, squares=False):
    """How far a float sum of a's finite elements in another order may be
    from NumPy's."""
    if a.dtype.kind != "f":
        return 1e-9 * max(1.0, float(np.sum(np.abs(a.astype(float)))) ** 2)
    x = np.abs(a[np.isfinite(a)].astype(np.float64))
    scale = max(1.0, float(np.sum(x)))
    if squares:
        scale = scale * scale
    eps = 1e-5 if a.dtype == np.float32 else 1e-12
    return eps * scale


@pytest.mark.parametrize("f", EXACT, ids=ids)
@SOME
@given(a_axis=array_and_axis())
def test_extremes_and_truth_along_an_axis(f, a_axis):
    a, axis = a_axis
    if f is f_ptp and a.dtype == np.bool_:
        a = a.astype(np.uint8)      # NumPy does not subtract booleans
    compare(f, a, axis)


@pytest.mark.parametrize("f", SUMS, ids=ids)
@SOME
@given(a_axis=array_and_axis())
def test_sums_along_an_axis(f, a_axis):
    """Within the tolerance of another order of additions; with NaNs or
    infinities, NaN where NumPy has NaN and the same infinities."""
    a, axis = a_axis
    tol = sum_tolerance(a, f in FLOAT64_VARIANCE)
    if a.dtype.kind == "f" and not np.isfinite(a).all():
        tol = float("inf")
    compare(f, a, axis, tol=tol)


@pytest.mark.parametrize("f", PRODUCTS, ids=ids)
@SOME
@given(a_axis=array_and_axis(
    elements=st.sampled_from([0.5, -1.5, 2.0, 1.0, -1.0, 0.0, np.nan])))
def test_products_along_an_axis(f, a_axis):
    a, axis = a_axis
    compare(f, a, axis, tol=1e-9)


@njit
def var_ddof(a, axis, ddof):
    return np.var(a, axis=axis, ddof=ddof)


@njit
def nanstd_ddof(a, axis, ddof):
    return np.nanstd(a, axis=axis, ddof=ddof)


@pytest.mark.parametrize("f", [var_ddof, nanstd_ddof], ids=ids)
@SOME
@given(a=some_arrays(), ddof=st.integers(0, 4),
       axis=st.sampled_from([None, 0, -1]))
def test_ddof(f, a, ddof, axis):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        kind, got, want = run_both(f, a, axis, ddof)
    if kind == "exc":
        same_exception(got, want)
    else:
        tol = (float("inf") if a.dtype.kind == "f" and np.isnan(a).any()
               else max(1e-3, sum_tolerance(a, True)))
        assert_close(got, want, tol, (f, a, axis, ddof))


def test_ddof_by_method_and_keyword():
    @njit
    def f(a):
        return a.std(axis=1, ddof=1), a.var(ddof=2), np.std(a, 0, 1)

    a = np.arange(12.0).reshape(3, 4) ** 2
    for got, want in zip(f(a), (a.std(axis=1, ddof=1), a.var(ddof=2),
                               np.std(a, 0, ddof=1))):
        np.testing.assert_allclose(got, want, rtol=1e-13)
    assert f.signatures


def test_constant_axis_the_array_lacks_is_a_typing_error():
    @njit
    def f(a):
        return np.max(a, axis=2)

    with pytest.raises(TypingError, match="axis 2 is out of bounds"):
        f(np.ones((2, 3)))


def test_complex_extremes_along_an_axis():
    # NumPy's order of complex numbers: by real part, then imaginary part
    a = np.array([[1 + 2j, 1 + 3j, 0j], [-1 + 5j, 1 + 2.5j, 0 - 1j]])
    for f in (f_max, f_nanmin, f_argmax):
        for axis in (0, 1, -1):
            got, want = f(a, axis), f.py_func(a, axis)
            assert got.dtype == want.dtype and np.array_equal(got, want)
        assert_compiled(f)


@njit
def diff_n(a, n):
    return np.diff(a, n=n)


@SOME
@given(a=some_arrays(), n=st.integers(-1, 4))
def test_diff(a, n):
    f = diff_n
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        kind, got, want = run_both(f, a, n)
    if kind == "exc":
        assert type(got) is type(want)
        assert str(got).startswith(str(want).split(" but")[0]), (got, want)
    else:
        assert_same_array(got, want, zero_signs=False)


def test_diff_default_order():
    @njit
    def f(a):
        return np.diff(a)

    a = np.array([1, 4, 9, 16], np.int8)
    assert_same_array(f(a), np.diff(a))
    b = np.array([True, False, False, True])
    assert_same_array(f(b), np.diff(b))
