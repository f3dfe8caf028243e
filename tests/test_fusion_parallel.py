"""Array expressions and their reductions in parallel=True functions run
on threads (csrc/fusion.c): each is compared with the same function
compiled serially, with every thread count the process allows, over
generated arrays (0-sized, shorter than the thread count, broadcasting,
views that are not contiguous)."""
import io

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given

import pyjit
from pyjit import njit, set_num_threads

from np_arrays import SOME
from difftest import assert_compiled
from test_fusion import FLOATS, INTS, identical, operands

THREADS = range(1, pyjit._parallel.NUM_THREADS + 1)


def hypot(a, b):
    return np.sqrt(a * a + b * b) - 1


def scaled(a, b):
    return (a + b) * 3 - b


def compared(a, b):
    return (a * 2 < b) | (b < 1)


def total(a, b):
    return (a * b + a).sum()


def product(a, b):
    return np.prod(a - b)


def smallest(a, b):
    return (a * b - a).min()


def largest(a, b):
    return np.max(a - b)


def average(a, b):
    return np.mean(a * b + b)


ARRAYS = [hypot, scaled, compared]
EXACT = [smallest, largest]          # the same whatever the order
REDUCTIONS = [total, product, average]


def pair(py):
    return njit(py), njit(parallel=True)(py)


PAIRS = {py.__name__: pair(py) for py in ARRAYS + EXACT + REDUCTIONS}


def on_each_thread_count(par, *args):
    results = []
    try:
        for n in THREADS:
            set_num_threads(n)
            with np.errstate(all="ignore"):
                results.append(par(*args))
    finally:
        set_num_threads(THREADS[-1])
    assert_compiled(par)
    return results


def serial_result(name, ab):
    """The serial function's result, or None after checking that the
    parallel one raises its ValueError too."""
    serial, par = PAIRS[name]
    with np.errstate(all="ignore"):
        try:
            return serial(*ab)
        except ValueError as e:
            with pytest.raises(ValueError, match=str(e)):
                par(*ab)
            return None


@SOME
@given(st.sampled_from([f.__name__ for f in ARRAYS + EXACT]),
       operands(INTS + FLOATS))
def test_same_as_serial(name, ab):
    want = serial_result(name, ab)
    if want is None:
        return
    for got in on_each_thread_count(PAIRS[name][1], *ab):
        identical(got, want, name)


@SOME
@given(st.sampled_from([f.__name__ for f in REDUCTIONS]),
       operands(INTS + FLOATS))
def test_reductions_close_to_serial(name, ab):
    """Integer sums and products are exact; float ones add the chunks'
    partials in another order, as Numba's do."""
    want = serial_result(name, ab)
    if want is None:
        return
    # A float sum of terms that cancel is exact only to the terms' size.
    with np.errstate(all="ignore"):
        terms = np.abs((ab[0] * ab[1] + ab[1]).astype(np.float64))
    scale = float(terms.max(initial=0.0)) if name == "average" else 0.0
    scale = scale if np.isfinite(scale) else 0.0
    for got in on_each_thread_count(PAIRS[name][1], *ab):
        assert type(got) is type(want)
        if isinstance(want, float):
            np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-12 * scale,
                                       equal_nan=True)
        else:
            assert got == want


def test_long_float_sum_is_close():
    x = np.random.default_rng(1).random(100_001)
    serial, par = PAIRS["total"]
    for got in on_each_thread_count(par, x, x):
        assert abs(got - serial(x, x)) <= 1e-9 * serial(x, x)


@pytest.mark.parametrize("name", ["smallest", "largest"])
def test_nan_in_any_chunk_wins(name):
    serial, par = PAIRS[name]
    for at in (0, 500, 999):
        a = np.arange(1000.0)
        a[at] = np.nan
        for got in on_each_thread_count(par, a, np.ones(1000)):
            assert np.isnan(got)


def test_empty_maximum_raises():
    _, par = PAIRS["largest"]
    with pytest.raises(ValueError, match="zero-size array to reduction "
                                         "operation maximum"):
        par(np.zeros(0), np.zeros(0))


def test_in_a_prange_loop():
    @njit(parallel=True)
    def f(a, n):
        s = 0.0
        for i in pyjit.prange(n):
            s += (a * i + 1).sum()
        return s

    a = np.arange(50.0)
    assert f(a, 7) == sum((a * i + 1).sum() for i in range(7))


def test_annotated_as_parallel():
    _, par = PAIRS["total"]
    x = np.ones(3)
    par(x, x)
    out = io.StringIO()
    par.inspect_types(file=out)
    assert "arrayexpr(expr=sum(((a * b) + a)), ops=2, parallel)" \
        in out.getvalue()
