"""Stores to array elements and jitclass array fields that overlap in every
way a program can make them overlap: two fields holding the same array or
views of it, a field replaced in the middle of a loop over its elements,
the same memory seen as two dtypes.  The alias tags of csrc/tbaa.c let
LLVM keep a field's header in registers across element stores; these
check, against the plain Python class, that nothing it may not move
moved."""
import numpy as np
from hypothesis import given, settings, strategies as st

from pyjit import float64, int64, njit
from pyjit.experimental import jitclass
from pyjit.typed import List

from difftest import assert_compiled

SPEC = [("a", float64[:]), ("b", float64[:]), ("n", int64)]


class Pair:
    def __init__(self, a, b):
        self.a = a
        self.b = b
        self.n = 0

    def shift_add(self, k):
        # b may be a itself, or a view of it shifted by some elements
        for i in range(k, self.a.size):
            self.a[i] += self.b[i - k] * 0.5
            self.n += 1

    def swap_midway(self, other, at):
        # the field changes while a loop stores through it
        for i in range(self.a.size):
            self.a[i] = i + 0.25
            if i == at:
                self.a = other
        return self.a

    def scale_both(self, s):
        for i in range(self.a.size):
            self.a[i] *= s
            self.b[i] += self.a[i]


JPair = jitclass(SPEC)(type("Pair", (), dict(Pair.__dict__)))


@njit
def run_shift(a, b, k):
    p = JPair(a, b)
    p.shift_add(k)
    return p.n


def py_shift(a, b, k):
    p = Pair(a, b)
    p.shift_add(k)
    return p.n


def views(n, offset, same):
    """a, and b: a itself, a view shifted by offset, or a separate array."""
    base = np.arange(n + offset, dtype=np.float64) * 1.5 - 3.0
    a = base[offset:] if offset else base
    if same == "self":
        return a, a
    if same == "view":
        return a, base[:n]
    return a, base[:n].copy()


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 40), st.integers(0, 5), st.integers(0, 6),
       st.sampled_from(["self", "view", "copy"]))
def test_overlapping_fields_match_python(n, offset, k, same):
    a1, b1 = views(n, offset, same)
    a2, b2 = views(n, offset, same)
    assert run_shift(a1, b1, k) == py_shift(a2, b2, k)
    np.testing.assert_array_equal(a1, a2)
    np.testing.assert_array_equal(b1, b2)
    assert_compiled(run_shift)


@njit
def run_swap(a, other, at):
    p = JPair(a, other)
    return p.swap_midway(other, at)


def py_swap(a, other, at):
    return Pair(a, other).swap_midway(other, at)


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 30), st.integers(0, 35))
def test_field_replaced_inside_the_loop(n, at):
    a1, o1 = np.zeros(n), np.full(n + 3, -1.0)
    a2, o2 = np.zeros(n), np.full(n + 3, -1.0)
    r1 = run_swap(a1, o1, at)
    r2 = py_swap(a2, o2, at)
    np.testing.assert_array_equal(r1, r2)
    np.testing.assert_array_equal(a1, a2)
    np.testing.assert_array_equal(o1, o2)
    assert_compiled(run_swap)


@njit
def run_scale(a, b, s):
    JPair(a, b).scale_both(s)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 33), st.sampled_from(["self", "view", "copy"]))
def test_two_fields_stored_in_one_loop(n, same):
    a1, b1 = views(n, 1, same)
    a2, b2 = views(n, 1, same)
    run_scale(a1, b1, 2.0)
    Pair(a2, b2).scale_both(2.0)
    np.testing.assert_array_equal(a1, a2)
    np.testing.assert_array_equal(b1, b2)
    assert_compiled(run_scale)


@njit
def through_two_dtypes(a, bits, n):
    # the same memory as float64 and as int64, through two arguments
    t = 0
    for i in range(n):
        a[i] = i + 0.5
        t += bits[i] & 0xFFFF
        bits[i] = i
        t += int(a[i] * 1e300 > 0)
    return t


def test_one_memory_seen_as_two_dtypes():
    for n in (0, 1, 5, 17, 64):
        a1, a2 = np.zeros(n), np.zeros(n)
        got = through_two_dtypes(a1, a1.view(np.int64), n)
        assert got == through_two_dtypes.py_func(a2, a2.view(np.int64), n)
        np.testing.assert_array_equal(a1.view(np.int64), a2.view(np.int64))
    assert_compiled(through_two_dtypes)


# --- lists: the header (length, items' address) and the items ----------

@njit
def grow_while_reading(lst, n):
    # each append may move the items: the address must be read again
    for i in range(n):
        lst.append(lst[i] * 0.5 + len(lst))
    return lst


@njit
def through_two_names(outer, out):
    # outer[0] and outer[1] may be one list
    a, b = outer[0], outer[1]
    for i in range(len(a)):
        a[i] = a[i] + 1.0
        out[i] = b[i] * 2.0
        b[i] = out[i] - len(b)


@njit
def list_into_array(lst, out):
    for i in range(len(lst)):
        out[i] = lst[i] * 2.0


def test_list_grown_while_read():
    for n in (0, 1, 3, 17, 100):
        got = list(grow_while_reading([1.0, 2.0], n))
        assert got == grow_while_reading.py_func([1.0, 2.0], n)
    assert_compiled(grow_while_reading)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 40), st.booleans())
def test_one_list_under_two_names(n, same):
    def make(kind):
        x = kind([float(i) for i in range(n)])
        y = x if same else kind(list(x))
        return kind([x, y]) if kind is List else [x, y]
    o1 = make(List) if n else List([List.empty_list(float64)] * 2)
    o2 = make(list)
    out1, out2 = np.zeros(n), np.zeros(n)
    through_two_names(o1, out1)
    through_two_names.py_func(o2, out2)
    assert [list(x) for x in o1] == o2
    np.testing.assert_array_equal(out1, out2)
    assert_compiled(through_two_names)


def test_list_items_into_an_array():
    lst = [i * 0.25 for i in range(1000)]
    out = np.zeros(1000)
    list_into_array(lst, out)
    np.testing.assert_array_equal(out, np.array(lst) * 2.0)
    assert_compiled(list_into_array)
