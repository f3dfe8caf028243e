"""set_parallel_chunksize, get_parallel_chunksize and parallel_chunksize, as
Numba spells them: from Python and in compiled code, per thread; prange
loops cut into chunks of that size give the serial loop's results."""
import threading

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pyjit import (get_parallel_chunksize, njit, parallel_chunksize, prange,
                   set_parallel_chunksize)

from difftest import assert_compiled


@njit(parallel=True)
def unbalanced(n):
    # Numba's documentation example: iterations of very different costs
    vals = np.empty(n, np.int64)
    for i in prange(n):
        cur = i + 1
        for _ in range(i):
            if cur % 2 == 0:
                cur //= 2
            else:
                cur = cur * 3 + 1
        vals[i] = cur
    return vals


@njit(parallel=True)
def total_and_max(a):
    s = 0.0
    m = -np.inf
    for i in prange(a.shape[0]):
        s += a[i]
        m = max(m, a[i])
    return s, m


@njit(parallel=True)
def sizes_seen(n):
    before = get_parallel_chunksize()
    inside = np.empty(n, np.int64)
    for i in prange(n):
        inside[i] = get_parallel_chunksize()    # a worker's own: 0
    return before, inside


@njit(parallel=True)
def with_block(n):
    acc = 0
    with parallel_chunksize(3):
        inner = get_parallel_chunksize()
        for i in prange(n):
            acc += i
    return acc, inner, get_parallel_chunksize()


@njit(parallel=True)
def set_inside(n, c):
    old = set_parallel_chunksize(c)
    acc = 0
    for i in prange(n):
        acc += i * i
    set_parallel_chunksize(old)
    return acc, old


@given(n=st.integers(0, 300), chunk=st.integers(0, 40))
@settings(max_examples=40, deadline=None)
def test_results_do_not_depend_on_the_chunk_size(n, chunk):
    a = np.linspace(-5.0, 7.0, n)
    with parallel_chunksize(chunk):
        got = unbalanced(n)
        s, m = total_and_max(a)
    np.testing.assert_array_equal(got, unbalanced.py_func(n))
    s0, m0 = total_and_max.py_func(a)
    assert s == pytest.approx(s0, abs=1e-9) and m == m0
    assert_compiled(unbalanced)


def test_python_api_per_thread():
    assert get_parallel_chunksize() == 0
    assert set_parallel_chunksize(4) == 0
    assert get_parallel_chunksize() == 4
    seen = []
    t = threading.Thread(target=lambda: seen.append(get_parallel_chunksize()))
    t.start()
    t.join()
    assert seen == [0]                      # a thread's own setting
    with parallel_chunksize(9):
        assert get_parallel_chunksize() == 9
    assert set_parallel_chunksize(0) == 4
    with pytest.raises(ValueError, match="at least 0"):
        set_parallel_chunksize(-1)


def test_compiled_code_reads_and_sets_it():
    old = set_parallel_chunksize(4)
    try:
        before, inside = sizes_seen(16)
        assert before == 4 and (inside == 0).all()
        assert with_block(10) == (45, 3, 4)
        assert set_inside(10, 2) == (285, 4)
        assert get_parallel_chunksize() == 4
        with pytest.raises(ValueError, match="at least 0"):
            set_inside(10, -3)
    finally:
        set_parallel_chunksize(old)
    assert_compiled(with_block)
