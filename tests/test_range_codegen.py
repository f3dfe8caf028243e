"""Range loops: what LLVM is told about their induction variable, and that
the facts hold for every range.

A range's items all lie between its start and its stop, so stepping from
one item to the next never overflows; the iterator says so (an nsw add),
and LLVM then knows that an item counting up from a non-negative start is
non-negative: indexing an array by it needs no negative-index wraparound.
When the start or the step is known only at run time, the item is also
spelled as the start plus the distance travelled, and LLVM versions the
loop on whether the range counts up from a non-negative start.
The differential tests check the items at the ends of int64, negative
steps, empty ranges and the loop variable after the loop.
"""
import math
import os
import re
import subprocess
import sys

import numpy as np
from hypothesis import given, settings, strategies as st

from difftest import check
from pyjit import njit
from test_codegen import native_ir
from test_process import ROOT

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


# --- a start or step known only at run time ---------------------------------
#
# An item of a range that counts up from a non-negative start is never
# negative, whatever the start and step are; the iterator spells the item so
# that LLVM versions the loop on that condition and, in the version where it
# holds, indexes without the negative-index wraparound.  The other version
# keeps it: a negative start still counts from the end of the array.

@njit
def mark_multiples(flags, start, step):
    for j in range(start, len(flags), step):
        flags[j] = False
    return flags


@njit
def gather(a, start, stop, step):
    # the items in order, each weighted by its position, so that an item
    # read from the wrong place or in the wrong order shows
    total = 0
    k = 1
    for j in range(start, stop, step):
        total += a[j] * k
        k += 1
    return total


def check_marks(n, start, step):
    # the compiled and the interpreted function on equal arrays
    got = mark_multiples(np.ones(n, dtype=np.bool_), start, step)
    want = mark_multiples.py_func(np.ones(n, dtype=np.bool_), start, step)
    assert np.array_equal(got, want), (n, start, step)


def loops_of(ir):
    """The basic blocks of ir that branch back to themselves."""
    blocks = re.split(r"\n(?=[\w.$\"-]+:)", ir)
    loops = []
    for block in blocks:
        label = block.split(":", 1)[0]
        term = block.strip().splitlines()[-1]
        if term.lstrip().startswith("br") and f"%{label}," in term + ",":
            loops.append(block)
    return loops


def test_a_range_from_a_runtime_start_indexes_without_wraparound():
    check_marks(100, 9, 3)
    stores = [b for b in loops_of(native_ir(mark_multiples))
              if re.search(r"store i8 0\b", b)]
    assert stores, "no store loop in mark_multiples"
    # the version for a non-negative start and a positive step stores at
    # the item itself: no sign test and no select in its loop
    assert any("select" not in b and "icmp slt" not in b for b in stores)
    # and the general version keeps the wraparound for the other ranges
    assert any("select" in b for b in stores)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 40), st.integers(-45, 45),
       st.integers(-45, 45), st.integers(-6, 6).filter(bool))
def test_indexing_by_a_range_of_any_start_and_step(n, start, stop, step):
    a = np.arange(1, n + 1, dtype=np.int64) * 7 - 3
    # keep every item a valid index (from the end when negative)
    start = max(min(start, n - 1), -n) if n else 0
    stop = max(min(stop, n), -n - 1) if n else 0
    check(gather, a, start, stop, step)
    check_marks(n, start, step)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.integers(0, 60), st.integers(I64_MAX - 60, I64_MAX)),
       st.one_of(st.integers(0, 60), st.integers(I64_MAX - 60, I64_MAX),
                 st.integers(-60, 0)),
       st.one_of(st.integers(1, 9), st.sampled_from([I64_MAX, 2**62,
                                                     I64_MAX - 1])))
def test_counting_up_from_a_non_negative_start_near_the_top(start, stop, step):
    # the items the non-negative spelling gives: start plus the distance
    # travelled, up to the last int64
    check(range_digest, start, stop, step)


@njit
def unsigned_digest(start, stop):
    n = 0
    h = np.uint64(0)
    last = np.uint64(0)
    for x in range(start, stop):
        h ^= x
        last = x
        n += 1
        if n >= 100:
            break
    return n, h, last


@settings(max_examples=60, deadline=None)
@given(st.integers(2**63 - 50, 2**64 - 1), st.integers(0, 120))
def test_a_uint64_range_past_2_to_the_63(start, length):
    # a range of uint64 has items of 2**63 and more: they keep their
    # single spelling, the non-negative one is for int64 items
    stop = min(start + length, 2**64 - 1)
    assert unsigned_digest(np.uint64(start), np.uint64(stop)) == \
        unsigned_digest.py_func(np.uint64(start), np.uint64(stop))


# --- bounds from arithmetic that overflowed ----------------------------------
#
# A signed + - * carries nsw, as in Numba, so a result that overflowed is
# poison to LLVM; a range bound made from it is frozen to the wrapped value
# the machine computed, so the loop runs the items of that range, as in
# Numba, instead of a count LLVM derived from the poison (a loop that did
# not end).

def wrap64(x):
    return (x + 2**63) % 2**64 - 2**63


@njit
def clamped_count(a, step):
    s = a + a
    n = 0
    for _ in range(max(-8, min(s, 8)), 0, step):
        n += 1
        if n > 100:     # a count made from poison ends here
            break
    return n


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.integers(I64_MIN, I64_MIN + 4),
                 st.integers(I64_MAX - 4, I64_MAX),
                 st.integers(-20, 20)),
       st.sampled_from([1, 2, 3]))
def test_a_bound_from_an_overflowed_sum_is_the_wrapped_value(a, step):
    s = wrap64(a + a)
    assert clamped_count(a, step) == len(range(max(-8, min(s, 8)), 0, step))


def test_a_loop_over_an_overflowed_bound_ends(tmp_path):
    # the fuzzer's program that did not end: the loop's start is a clamp
    # of 2 * -2**63
    script = tmp_path / "prog.py"
    script.write_text(
        "import math\nfrom pyjit import njit\n\n"
        "@njit\n"
        "def f(a, b, c):\n"
        "    x1 = max(-0.0, b) ** 2\n"
        "    t0 = (a + a, c)\n"
        "    for i0 in range(max(-8, min(t0[-2], 8)), "
        "max(-8, min(~int(-1), 8)), 2):\n"
        "        b *= a\n"
        "        if x1 >= -7.75 and a > i0:\n"
        "            t0 = (i0, abs(math.atan2(-1.5, -9223372036854775807)))\n"
        "    return c\n\n"
        "print(f(-2**63, 0, 0), f(-3, 0, 1))\n")
    proc = subprocess.run([sys.executable, str(script)], capture_output=True,
                          text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": ROOT})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["0", "1"]


# --- a loop's own range iterator: one induction variable, advanced on the
# loop's back edges (continue, the end of the body), never on entry ---

@njit
def fill_normal(rng, out):
    for i in range(out.size):
        out[i] = rng.normal()


def test_a_loop_of_calls_has_one_induction_variable():
    rng = np.random.default_rng(5)
    out = np.empty(50)
    fill_normal(rng, out)
    assert np.array_equal(out, np.random.default_rng(5).normal(size=50))
    # the index is the loop's count itself, incremented in the latch: one
    # i64 phi; with the increment at the head, rotation kept the item and
    # the one after it both live across the call
    assert len(re.findall(r"= phi i64 ", native_ir(fill_normal))) == 1


@njit
def skips_and_breaks(n, skip, stop):
    s = 0
    for i in range(n):
        if i % skip == 0:
            continue
        if i > stop:
            break
        s = s * 7 + i
    else:
        s -= 1
    return s


@njit
def nested_with_continue(a, b, c):
    s = 0
    for i in range(a, b, c):
        for j in range(i % 11):
            if j == 3:
                continue
            s = s * 5 + i * j
        if i % 4 == 0:
            continue
        s += 1
    return s


@njit
def handled_in_the_body(n):
    out = []
    for i in range(n):
        try:
            if i % 4 == 1:
                raise ValueError(i)
            out.append(i)
        except ValueError:
            out.append(-i)
            continue
        out.append(100)
    return out


@njit
def evens_up_to(n):
    for i in range(n):
        if i % 2:
            continue
        yield i


@njit
def sum_of_a_generator(n):
    s = 0
    for x in evens_up_to(n):
        s += x
    return s


@njit
def kept_then_resumed(n):
    s = 0
    it = iter(range(n))
    for i in it:
        s += i
        if i == 3:
            break
    for i in it:
        s += 10 * i
    return s


@njit
def zipped_and_enumerated(n):
    s = 0
    for i, j in zip(range(n), range(n, 0, -1)):
        s += i * j
    for k, v in enumerate(range(3, n)):
        s = s * 3 + k * v
    return s


@njit
def loop_variable_after(n):
    i = -5
    for i in range(n):
        pass
    return i


@settings(max_examples=60, deadline=None)
@given(st.integers(-3, 60), st.integers(1, 5), st.integers(-1, 70))
def test_continue_and_break_in_a_counted_loop(n, skip, stop):
    check(skips_and_breaks, n, skip, stop)


@settings(max_examples=60, deadline=None)
@given(st.integers(-30, 30), st.integers(-30, 30), steps.filter(
    lambda s: abs(s) < 8))
def test_nested_counted_loops_with_continue(a, b, c):
    check(nested_with_continue, a, b, c)


@settings(max_examples=20, deadline=None)
@given(st.integers(-2, 30))
def test_counted_loops_with_handlers_generators_and_kept_iterators(n):
    check(handled_in_the_body, n)
    check(sum_of_a_generator, n)
    check(kept_then_resumed, n)
    check(zipped_and_enumerated, n)
    check(loop_variable_after, n)


@njit
def sum_of_positives(a):
    total = 0
    for i in range(a.shape[0]):
        if a[i] < 0:
            continue
        total += a[i]
    return total


@given(st.lists(st.integers(-100, 100), max_size=80))
@settings(max_examples=40, deadline=None)
def test_a_loop_with_a_continue_has_one_latch_and_vectorizes(items):
    # `continue` is a second edge back to the loop's head; both go through
    # the one block that moves the range on, so LLVM sees one loop it can
    # vectorize (it tested and branched per item before)
    a = np.array(items, dtype=np.int64)
    check(sum_of_positives, a)
    assert "vector.body" in native_ir(sum_of_positives)

