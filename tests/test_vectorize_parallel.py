"""@vectorize(target='parallel'): each call of a loop is cut into one chunk
per thread, run on the prange thread pool, for the same results as
target='cpu' and NumPy at every size (0, 1, below the size that is worth
threads, above it and not divisible by the thread count), layout and
broadcast, with a kernel's exception raised by the call."""
import math

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

from difftest import assert_compiled
import pyjit
from pyjit import vectorize
from pyjit._vectorize import kernel_of

SIGS = ["float64(float64, float64, float64)", "int64(int64, int64, int64)"]


def muladd(a, b, c):
    return a * b + c


par_muladd = vectorize(SIGS, target="parallel")(muladd)
cpu_muladd = vectorize(SIGS)(muladd)


@vectorize(["float64(float64)"], target="parallel")
def thread_of(x):
    return float(pyjit.get_thread_id()) + 0.0 * x


@vectorize(["float64(float64)"], target="parallel")
def checked(x):
    if x > 20000.0:
        raise ValueError("too big")
    return math.sqrt(x)


@vectorize(target="parallel")
def dyn_halfnorm(a, b):
    return math.sqrt(a * a + b * b) * 0.5 + a


# around the threshold below which a call runs on one thread, and sizes a
# thread count of 2 or 3 does not divide
sizes = st.one_of(st.integers(0, 40), st.integers(16380, 16390),
                  st.sampled_from([50001, 65537, 100003]))


def compiled(uf):
    assert_compiled(kernel_of(uf))


@settings(max_examples=40, deadline=None)
@given(sizes, st.sampled_from([1, 2, 3]))
def test_parallel_matches_numpy_and_cpu(n, threads):
    rng = np.random.default_rng(n)
    a, b, c = rng.standard_normal((3, n))
    pyjit.set_num_threads(min(threads, pyjit.config.NUMBA_NUM_THREADS))
    try:
        got = par_muladd(a, b, c)
    finally:
        pyjit.set_num_threads(pyjit.config.NUMBA_NUM_THREADS)
    np.testing.assert_array_equal(got, a * b + c)
    np.testing.assert_array_equal(got, cpu_muladd(a, b, c))
    ints = (np.arange(n) * 7919) % 1000 - 500
    np.testing.assert_array_equal(par_muladd(ints, ints, 3), ints * ints + 3)
    compiled(par_muladd)


@settings(max_examples=25, deadline=None)
@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3,
                                                min_side=0, max_side=40),
                  elements=st.floats(-1e3, 1e3)),
       st.floats(-10, 10))
def test_broadcasting_and_out(x, s):
    out = np.empty_like(x)
    r = par_muladd(x, s, x[..., :1] if x.shape[-1] else x, out=out)
    assert r is out
    np.testing.assert_array_equal(out, x * s + (x[..., :1] if x.shape[-1]
                                                else x))


def test_strided_operands_and_output():
    x = np.arange(3 * 40000, dtype=np.float64)
    out = np.zeros(2 * 40000)
    par_muladd(x[::3], 2.0, x[1::3], out=out[::2])
    np.testing.assert_array_equal(out[::2], x[::3] * 2.0 + x[1::3])
    assert not out[1::2].any()


def test_a_large_call_runs_on_every_thread():
    threads = pyjit.config.NUMBA_NUM_THREADS
    ids = thread_of(np.zeros(100001))
    assert set(np.unique(ids)) == set(range(threads))
    # chunks are equal slices, in order, the first ones one longer
    assert np.all(np.diff(ids) >= 0)
    compiled(thread_of)


def test_a_small_call_stays_on_the_calling_thread():
    assert not thread_of(np.zeros(1000)).any()


def test_the_kernels_exception_is_raised_by_the_call():
    x = np.arange(40000.0)
    with pytest.raises(ValueError, match="too big"):
        checked(x)
    np.testing.assert_array_equal(checked(x[:20000]), np.sqrt(x[:20000]))
    compiled(checked)


def test_dynamic_ufunc_runs_in_parallel():
    a = np.linspace(-3, 3, 70001)
    b = a[::-1].copy()
    np.testing.assert_allclose(dyn_halfnorm(a, b),
                               np.sqrt(a * a + b * b) * 0.5 + a,
                               rtol=1e-15)
    assert_compiled(dyn_halfnorm._disp)


def test_unknown_target_is_refused():
    with pytest.raises(ValueError, match="Unsupported target"):
        vectorize(["float64(float64)"], target="gpu")(math.sqrt)
