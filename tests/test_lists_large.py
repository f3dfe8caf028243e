"""Lists that grow large: a list's items move to a buffer mapped by itself
once they reach 256 KiB (csrc/runtime.c, pj_rt_buffer_grow), which grows by
remapping its pages, and the last such buffer freed is kept for the next
list.  These tests cross that size in every direction a list can: appends,
extend, concatenation, lists alive together, lists handed back to Python,
typed Lists, reflected lists, and a million small lists, and check the values
against the interpreter and that memory stays flat."""
import numpy as np
import pytest

from pyjit import njit
from pyjit.typed import List

from difftest import assert_compiled, rss_limit

# 256 KiB of float64 items is 32768 of them: sizes on both sides of it,
# of the doublings around it, and well beyond the kept buffer's 64 MiB.
SIZES = [0, 1, 5, 32767, 32768, 32769, 65536, 65537, 300_001]


def build(n):
    items = []
    for i in range(n):
        items.append(i * 0.5)
    return items


def build_sum(n):
    items = []
    for i in range(n):
        items.append(i * 0.5)
    s = 0.0
    for x in items:
        s += x
    return s


def interleaved(n):
    # three lists growing at once: each has a buffer of its own
    a = []
    b = []
    c = []
    for i in range(n):
        a.append(i)
        if i % 2 == 0:
            b.append(i * 2.0)
        if i % 3 == 0:
            c.append((i, -i))
    t = 0
    for x in a:
        t += x
    for p, q in c:
        t += p - q
    return t, len(b), b[len(b) - 1] if b else -1.0


def grow_shrink_grow(n):
    items = []
    for i in range(n):
        items.append(i)
    while len(items) > n // 3:
        items.pop()
    items.extend(items)
    items += [7] * n
    items.insert(0, -1)
    if n > 0:
        items.remove(7)
    return len(items), sum(items), items[len(items) // 2]


def concatenated(n):
    a = [1.5] * n
    b = a + a
    c = b[n // 2:]
    return len(b), len(c), sum(c)


def lists_of_arrays(n):
    items = []
    for i in range(n):
        items.append(np.full(2, i))
    t = 0
    for a in items:
        t += a[1]
    return t


@pytest.mark.parametrize("fn", [build, build_sum, interleaved,
                                grow_shrink_grow, concatenated])
def test_large_lists_match_python(fn):
    f = njit(fn)
    for n in SIZES:
        assert f(n) == fn(n), (fn.__name__, n)
    assert_compiled(f)


def test_large_list_of_arrays():
    f = njit(lists_of_arrays)
    for n in (0, 3, 16384, 16385, 70000):
        assert f(n) == lists_of_arrays(n)
    assert_compiled(f)


def test_many_large_lists_alive_at_once():
    build_jit = njit(build)

    @njit
    def make(n):
        return build_jit(n)

    kept = [make(40000 + k) for k in range(6)]
    for k, items in enumerate(kept):
        assert items == build(40000 + k)


def test_large_typed_list_round_trip():
    values = [float(i) for i in range(100_000)]
    typed = List(values)

    @njit
    def grow(l, n):
        for i in range(n):
            l.append(i * 2.0)
        return len(l)

    assert grow(typed, 50_000) == 150_000
    assert list(typed) == values + [i * 2.0 for i in range(50_000)]
    assert_compiled(grow)


def test_large_reflected_list_is_written_back():
    @njit
    def grow(l, n):
        for i in range(n):
            l.append(i)
        return len(l)

    items = list(range(10))
    assert grow(items, 70_000) == 70_010
    assert items == list(range(10)) + list(range(70_000))


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096


def test_memory_stays_flat_over_repeated_large_lists():
    f = njit(build_sum)
    for n in (300_000, 5_000_000, 9_000_000):
        f(n)
    before = rss_bytes()
    for _ in range(30):
        for n in (300_000, 5_000_000, 9_000_000):
            f(n)
    grown = rss_bytes() - before
    assert grown < rss_limit(16 << 20), f"RSS grew by {grown >> 20} MiB"


def test_memory_stays_flat_over_a_million_small_lists():
    @njit
    def small(k):
        items = []
        for i in range(k):
            items.append(i)
        return len(items)

    small(3)
    before = rss_bytes()
    for i in range(1_000_000):
        small(i % 9)
    grown = rss_bytes() - before
    assert grown < rss_limit(8 << 20), f"RSS grew by {grown >> 20} MiB"
