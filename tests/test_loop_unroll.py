"""Small innermost loops are unrolled by a count at run time (csrc/unroll.c).

The unrolled loop runs `count` iterations a trip and a remainder loop the
rest, so every trip count around the multiples of 2, 4 and 8, every step
sign and every way out of the loop (break, return, raise) is compared with
the plain Python function.
"""

import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from difftest import FEW, SETTINGS, assert_compiled, check
from pyjit import _core, njit

TRIPS = list(range(0, 35)) + [63, 64, 65, 127, 1000, 1001]


@njit
def modsum(n):
    total = 0
    for i in range(n):
        total += (i * i) % 7
    return total


@njit
def modsum_while(n):
    total = 0
    i = 0
    while i < n:
        total += (i * i) % 7
        i += 1
    return total


@njit
def stepped(start, stop, step):
    total = 0
    for i in range(start, stop, step):
        total = total * 3 + i % 5
    return total


@njit
def strided_clear(n, start, step):
    flags = np.ones(n, np.bool_)
    for j in range(start, n, step):
        flags[j] = False
    count = 0
    for k in range(n):
        if flags[k]:
            count += 1
    return count


@njit
def first_multiple(n, m):
    # A second exit: the loop breaks out early.
    for i in range(1, n):
        if (i * i) % m == 0:
            return i
    return -1


@njit
def counts_until_raise(n, bad):
    # A third kind of exit: an exception from inside the loop.
    total = 0
    for i in range(n):
        if i == bad:
            raise ValueError("reached the bad index")
        total += i % 3
    return total


@njit
def bins_of(a, bins):
    counts = np.zeros(bins, np.int64)
    for i in range(a.shape[0]):
        counts[int(a[i] * bins)] += 1
    s = 0
    for k in range(bins):
        s += k * counts[k]
    return s


@njit
def triangle(n):
    # The inner loop is innermost and small; the outer one is not.
    total = 0
    for i in range(n):
        for j in range(i):
            total += (i ^ j) % 5
    return total


@pytest.mark.parametrize("n", TRIPS)
def test_trip_counts(n):
    check(modsum, n)
    check(modsum_while, n)
    check(triangle, min(n, 70))


@given(st.integers(-60, 60), st.integers(-60, 60),
       st.integers(-9, 9).filter(lambda s: s != 0))
@SETTINGS
def test_range_start_stop_step(start, stop, step):
    check(stepped, start, stop, step)


def test_zero_step_raises_as_python():
    check(stepped, 0, 10, 0)


@given(st.integers(0, 300), st.integers(0, 20), st.integers(1, 17))
@FEW
def test_strided_stores(n, start, step):
    check(strided_clear, n, start, step)


@given(st.integers(0, 200), st.integers(1, 60))
@FEW
def test_early_return(n, m):
    check(first_multiple, n, m)


@pytest.mark.parametrize("n", [0, 1, 7, 8, 9, 33])
@pytest.mark.parametrize("bad", [-1, 0, 1, 5, 8, 16, 32])
def test_raise_from_unrolled_loop(n, bad):
    check(counts_until_raise, n, bad)


@pytest.mark.parametrize("n", [0, 1, 7, 8, 9, 100, 1001])
def test_float_to_index_loop(n):
    rng = np.random.default_rng(n)
    a = rng.random(n)
    assert bins_of(a, 16) == bins_of.py_func(a, 16)
    assert_compiled(bins_of)


@pytest.mark.parametrize("n", [1, 4, 5, 8, 9, 13])
@pytest.mark.parametrize("where", [0, 1, 2, 3, 4, -1])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_float_to_index_loop_raises_as_python(n, where, bad):
    # The raise leaves from any of the unrolled copies or from the
    # remainder loop, whichever holds the bad value.
    a = np.full(n, 0.5)
    a[min(where, n - 1)] = bad
    with pytest.raises(Exception) as expected:
        bins_of.py_func(a, 16)
    with pytest.raises(type(expected.value), match=str(expected.value)):
        bins_of(a, 16)


def test_loop_with_a_rare_path_is_unrolled_with_a_remainder():
    # The conversion's out-of-line path for unusual floats (NaN, inf, out
    # of range) comes back into the loop or raises out of it.  It runs
    # almost never, so it does not count in the loop's size (nor does
    # address arithmetic), and the raise's exit does not keep LLVM from
    # unrolling with a remainder loop: four copies of the body and the
    # remainder's one, not two copies each testing for the end.
    a = np.random.default_rng(0).random(10)
    bins_of(a, 16)
    ir = "\n".join(bins_of.inspect_llvm().values())
    assert ir.count("fmul double") == 5


def _unroll_hints(f):
    ir = "\n".join(f.inspect_llvm().values())
    return ir.count("llvm.loop.unroll.disable")


def test_small_loop_is_unrolled():
    # LLVM marks the loops it unrolled (and their remainder loops) so
    # that nothing unrolls them again.
    modsum_while(3)
    assert _unroll_hints(modsum_while) >= 1


def test_remainder_loop_count_follows_the_core():
    # A loop bound by the multiplier of its remainder by a constant runs
    # fastest with a count of 2 on AMD Zen and 4 on other cores (unroll.c's
    # division_size): the unrolled copies and the remainder loop's one.
    modsum(3)
    ir = "\n".join(modsum.inspect_llvm().values())
    cpu = _core.host_info()[1]
    assert ir.count("urem i64") == (3 if cpu.startswith("znver") else 5)


@njit
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def test_loop_with_a_call_is_left_alone():
    # LLVM turns fib's second recursion into a loop around the first; a
    # loop that calls is not unrolled (it runs few times, and the call
    # costs more than the loop's own increment and branch).
    assert fib(20) == 6765
    assert _unroll_hints(fib) == 0


@njit
def float_sum(a):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i]
    return s


@njit
def hash_chain(n):
    acc = 1
    for i in range(n):
        acc = acc * 6364136223846793005 + i
        acc ^= (acc >> 29) & 0x7FFFFFFFF
    return acc


@pytest.mark.parametrize("n", [0, 1, 5, 8, 9, 100])
def test_loops_carrying_slow_values_are_left_alone(n):
    # Each iteration waits for the previous sum or product, which hides
    # the loop's own increment and branch: unrolling would only cost
    # compile time.
    a = np.random.default_rng(n).random(n)
    assert float_sum(a) == float_sum.py_func(a)
    check(hash_chain, n)
    assert _unroll_hints(float_sum) == 0
    assert _unroll_hints(hash_chain) == 0


@njit
def relax_all_pairs(d):
    # Floyd-Warshall: the row d[k] read and the row d[i] written cannot be
    # told apart by the vectorizer's run-time test, which covers every i at
    # once, so the scalar loop it falls back to runs every time.
    n = d.shape[0]
    for k in range(n):
        for i in range(n):
            for j in range(n):
                through = d[i][k] + d[k][j]
                if through < d[i][j]:
                    d[i][j] = through
    return d


def _distances(n, seed):
    rng = np.random.default_rng(seed)
    d = rng.integers(1, 20, (n, n)).astype(np.float64)
    np.fill_diagonal(d, 0.0)
    return d


@pytest.mark.parametrize("n", [0, 1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 33])
def test_all_pairs_shortest_paths(n):
    d = _distances(n, n)
    np.testing.assert_array_equal(relax_all_pairs(d.copy()),
                                  relax_all_pairs.py_func(d.copy()))
    assert_compiled(relax_all_pairs)


def test_vectorized_loops_fallback_is_unrolled():
    # The loop is vectorized; the scalar loop it falls back to is unrolled
    # by 4 with a remainder loop: five scalar adds.
    relax_all_pairs(_distances(3, 0))
    ir = "\n".join(relax_all_pairs.inspect_llvm().values())
    assert re.search(r"fadd <\d+ x double>", ir)
    assert ir.count("fadd double") == 5


@njit
def smooth_into(a, b):
    for i in range(1, a.shape[0] - 1):
        for j in range(1, a.shape[1] - 1):
            b[i, j] = 0.25 * (a[i - 1, j] + a[i + 1, j] + a[i, j - 1]
                              + a[i, j + 1])
    return b


def test_fallback_between_two_arrays_is_left_alone():
    # Between two arrays the run-time test passes and the scalar loop only
    # finishes the vector loop's work: it is not unrolled (three scalar
    # adds, one copy), which would cost compile time for nothing.
    a = np.arange(30.0).reshape(5, 6)
    np.testing.assert_array_equal(smooth_into(a, np.zeros_like(a)),
                                  smooth_into.py_func(a, np.zeros_like(a)))
    ir = "\n".join(smooth_into.inspect_llvm().values())
    assert re.search(r"fadd <\d+ x double>", ir)
    assert ir.count("fadd double") == 3
