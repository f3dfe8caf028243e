"""Range loops: what LLVM is told about their induction variable, and that
the facts hold for every range.

A range's items all lie between its start and its stop, so stepping from
one item to the next never overflows; the iterator says so (an nsw add),
and LLVM then knows that an item counting up from a non-negative start is
non-negative: indexing an array by it needs no negative-index wraparound.
The differential tests check the items at the ends of int64, negative
steps, empty ranges and the loop variable after the loop.
"""
import re

import numpy as np
from hypothesis import given, settings, strategies as st

from difftest import check
from pyjit import njit
from test_codegen import native_ir

I64_MIN, I64_MAX = -2**63, 2**63 - 1

ends = st.one_of(
    st.integers(-50, 50),
    st.integers(I64_MIN, I64_MIN + 40),
    st.integers(I64_MAX - 40, I64_MAX),
    st.integers(I64_MIN, I64_MAX),
)
steps = st.one_of(st.integers(-7, 7).filter(bool),
                  st.sampled_from([I64_MAX, I64_MIN, 2**62, -2**62,
                                   I64_MAX - 1, I64_MIN + 1]))


@njit
def range_digest(start, stop, step):
    # The first items, how many there are, and the loop variable after the
    # loop (the last item, or -1 for an empty range).
    n = 0
    h = 0
    last = -1
    for x in range(start, stop, step):
        if n < 64:
            h = h * 31 + x
        n += 1
        last = x
        if n >= 1000:
            break
    return n, h, last


@settings(max_examples=300, deadline=None)
@given(ends, ends, steps)
def test_range_items_at_the_ends_of_int64(start, stop, step):
    check(range_digest, start, stop, step)


@njit
def count_between(flags, start, stop):
    count = 0
    for k in range(start, stop):
        if flags[k]:
            count += 1
    return count


@njit
def sieve(n):
    flags = np.ones(n + 1, dtype=np.bool_)
    flags[0] = False
    flags[1] = False
    i = 2
    while i * i <= n:
        if flags[i]:
            for j in range(i * i, n + 1, i):
                flags[j] = False
        i += 1
    count = 0
    for k in range(n + 1):
        if flags[k]:
            count += 1
    return count


@njit
def modsum(n):
    total = 0
    for i in range(n):
        total += (i * i) % 7
    return total


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 3000))
def test_sieve_counts_the_primes(n):
    check(sieve, n)


@settings(max_examples=60, deadline=None)
@given(st.integers(-3, 3000))
def test_modsum_matches_python(n):
    check(modsum, n)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.booleans(), max_size=70), st.integers(-80, 80))
def test_counting_from_any_start_wraps_negative_indices(bits, start):
    # range(start, len) with a negative start indexes from the end first,
    # as Python does: the wraparound stays where the sign is unknown.
    flags = np.array(bits, dtype=np.bool_)
    if -start > len(bits):
        start = -len(bits)
    check(count_between, flags, 0, len(bits))
    check(count_between, flags, start, len(bits))


@njit
def count_ones(n):
    # the stop is n + 1, an int64 sum that may wrap: only the iterator's
    # own facts show that k is never negative
    flags = np.ones(n + 1, dtype=np.bool_)
    count = 0
    for k in range(n + 1):
        if flags[k]:
            count += 1
    return count


def test_an_item_counting_up_from_zero_indexes_without_wraparound():
    check(count_ones, 5)
    # with the wraparound gone the loop reads the flags a vector at a time;
    # with it, each flag's address depends on its index's sign
    assert re.search(r"load <\d+ x i8>", native_ir(count_ones))


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 200))
def test_count_ones_matches_python(n):
    check(count_ones, n)
