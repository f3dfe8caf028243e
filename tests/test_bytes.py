"""bytes and bytearray arguments: len, indexing, iteration, slicing (a
bytes result), `in`, bytearray item assignment with Python's range check,
and refusals for what arrays would do differently, against the plain
Python function."""
import hypothesis.strategies as st
import pytest
from hypothesis import given

import pyjit
from pyjit import njit

from difftest import SETTINGS, assert_compiled, check


@njit
def walk(b, i, j):
    s = 0
    for x in b:
        s += x * 3 + 1
    n = len(b)
    k = i % n if n else 0
    return (n, s, b[k] if n else -1, b[-1] if n else -1, b[i:j], b[::2],
            b[j:i:-1], 97 in b, 300 in b, b[k] + 300 if n else 0)


@SETTINGS
@given(st.binary(max_size=24), st.integers(-30, 30), st.integers(-30, 30))
def test_bytes_match_python(data, i, j):
    check(walk, data, i, j)


@SETTINGS
@given(st.binary(max_size=24), st.integers(-30, 30), st.integers(-30, 30))
def test_bytearray_reads_match_python(data, i, j):
    check(walk, bytearray(data), i, j)


@njit
def store(b, i, v):
    b[i] = v
    return b


@SETTINGS
@given(st.binary(min_size=1, max_size=8), st.integers(-10, 10),
       st.integers(-300, 300))
def test_bytearray_item_assignment_matches_python(data, i, v):
    got_arg, want_arg = bytearray(data), bytearray(data)
    check(store, got_arg, i, v)
    try:
        store(got_arg, i, v)
    except (IndexError, ValueError):
        pass
    try:
        store.py_func(want_arg, i, v)
    except (IndexError, ValueError):
        pass
    assert got_arg == want_arg


def test_bytes_constants():
    @njit
    def f(i):
        k = b"k\x00\xff"
        return k, k[i], len(k), k[1:], 255 in k

    check(f, 2)
    check(f, -1)
    check(f, 3)


@njit
def compare(a, b):
    return a == b, a != b, a < b, a <= b, a > b, a >= b


@SETTINGS
@given(st.binary(max_size=6), st.binary(max_size=6), st.booleans())
def test_comparisons_order_as_python(a, b, mutable):
    check(compare, a, b)
    check(compare, a, a)
    check(compare, bytearray(a) if mutable else a, b[1:] + b"\xff")


def test_returning_the_bytearray_returns_the_argument():
    ba = bytearray(b"abc")
    assert store(ba, 0, 65) is ba and ba == bytearray(b"Abc")


def test_types_print_as_numba_spells_them():
    assert str(pyjit.typeof(b"ab")) == "readonly bytes(uint8, 1d, C)"
    assert str(pyjit.typeof(bytearray(b"ab"))) == "bytearray(uint8, 1d, C)"


def test_what_arrays_would_do_otherwise_is_refused():
    @njit
    def concat(a, b):
        return a + b

    @njit
    def attr(a):
        return a.shape

    @njit
    def resize(a):
        a[0:1] = b"xy"
        return a
    for f, args in ((concat, (b"a", b"b")), (attr, (b"a",)), (resize, (bytearray(b"ab"),))):
        with pytest.raises(pyjit.TypingError, match="bytes|bytearray"):
            f(*args)


def test_bytes_views_do_not_leak():
    import gc
    import os

    def rss_kb():
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGESIZE") // 1024
    data = bytes(range(256)) * 4

    @njit
    def f(b):
        return b[3:200]
    f(data)
    gc.collect()
    before = rss_kb()
    for _ in range(200_000):
        f(data)
    gc.collect()
    assert rss_kb() - before < 4_000
    assert_compiled(f)
