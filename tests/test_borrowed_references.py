"""Parameters and method values that take no reference of their own.

A parameter assigned nowhere else in its function borrows the caller's
reference, and so does `x.m` in a call `x.m(...)` made right away
(csrc/lower.c, borrowing_vars).  A loop of method calls or of calls to a
jitted helper then makes no atomic reference-count updates.  These tests
check that nothing is released early or twice and that nothing leaks,
for the ways a borrowed value can leave its function: returned, stored in
a container, kept by a generator, raised past, and across prange.
"""
import sys

import numpy as np
import pytest

from difftest import assert_compiled, rss_limit
from pyjit import njit, prange


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096


@njit
def ident(a):
    return a


@njit
def wrap(a):
    return [a, a]


@njit
def first_plus(a, k):
    if k < 0:
        raise ValueError("negative k")
    return a[0] + k


@njit
def reassigned(a):
    # the parameter is assigned again: it holds references of its own
    a = a + 1.0
    a = a * 2.0
    return a


@njit
def caller(n):
    total = 0.0
    kept = ident(np.arange(3.0))          # a temporary's only holder
    for i in range(n):
        b = np.full(2, float(i))
        total += first_plus(b, i)
        total += wrap(b)[1][1]
        total += reassigned(b)[0]
        total += ident(np.ones(2))[0]
    return total, kept


def caller_py(n):
    total = 0.0
    kept = np.arange(3.0)
    for i in range(n):
        b = np.full(2, float(i))
        total += b[0] + i
        total += b[1]
        total += (b + 1.0)[0] * 2.0
        total += 1.0
    return total, kept


@pytest.mark.parametrize("n", [0, 1, 2, 17])
def test_results_and_survivors(n):
    total, kept = caller(n)
    want_total, want_kept = caller_py(n)
    assert total == want_total
    np.testing.assert_array_equal(kept, want_kept)
    kept[0] = 9.0                     # the returned array is the caller's
    assert kept[0] == 9.0
    assert_compiled(caller)


def test_python_arguments_keep_their_counts():
    a = np.arange(4.0)
    before = sys.getrefcount(a)
    for _ in range(1000):
        assert ident(a) is a or ident(a)[0] == 0.0
        wrap(a)
        first_plus(a, 1)
        with pytest.raises(ValueError):
            first_plus(a, -1)
    assert sys.getrefcount(a) == before


@njit
def methods_in_a_loop(rng, a, n):
    out = [0.0]
    t = 0.0
    for i in range(n):
        out.append(rng.random())
        t += a.sum() + a.max()
    return t + len(out)


@njit
def draws(rng, n):
    t = 0.0
    for i in range(n):
        t += rng.random()
    return t


def test_method_calls_take_no_references():
    # The Generator is a parameter, `rng.random` a method value called
    # right away and `gen` a parameter of the library's random(): none
    # takes a reference, so the loop updates no reference count.
    assert draws(np.random.default_rng(5), 10) == \
        draws.py_func(np.random.default_rng(5), 10)
    ir = "\n".join(draws.inspect_llvm().values())
    assert ir.count("atomicrmw") == 0, ir
    assert_compiled(draws)


def test_method_calls_in_a_loop():
    a = np.arange(5.0)
    r1 = methods_in_a_loop(np.random.default_rng(5), a, 50)
    assert r1 == methods_in_a_loop.py_func(np.random.default_rng(5), a, 50)
    assert_compiled(methods_in_a_loop)


@njit
def gen_of(a, n):
    for i in range(n):
        yield a[i % a.shape[0]] + i


@njit
def drain(a, n):
    t = 0.0
    for x in gen_of(a, n):
        t += x
    return t


def test_generator_keeps_its_parameters():
    a = np.arange(3.0)
    g = gen_of(np.arange(3.0) * 2.0, 5)    # the only holder of its array
    assert list(g) == [0.0, 3.0, 6.0, 3.0, 6.0]
    assert drain(a, 7) == drain.py_func(a, 7)


@njit(parallel=True)
def prange_methods(a, rows):
    out = np.zeros(rows)
    for r in prange(rows):
        out[r] = a.sum() + first_plus(a, r)
    return out


def test_prange_bodies_borrow_too():
    a = np.arange(6.0)
    np.testing.assert_array_equal(prange_methods(a, 9),
                                  prange_methods.py_func(a, 9))


def test_memory_stays_flat():
    rng = np.random.default_rng(0)
    a = np.arange(5.0)

    def round_(calls):
        for _ in range(calls):
            caller(3)
            methods_in_a_loop(rng, a, 4)
            drain(a, 4)
            try:
                first_plus(a, -1)
            except ValueError:
                pass
    round_(5_000)
    before = rss_bytes()
    round_(50_000)
    grown = rss_bytes() - before
    assert grown < rss_limit(4 * 2 ** 20), f"RSS grew by {grown} bytes"
