"""pyjit.typed.Set, Numba's numba.typed.Set: one table shared by the
interpreter and compiled code.  Differential against Python's set over
generated sequences of operations, each jitted function checked to have
compiled in nopython mode."""
import subprocess
import sys
import textwrap

import pytest
from hypothesis import given
from hypothesis import strategies as st

import pyjit
from pyjit import njit, types
from pyjit.errors import TypingError
from pyjit.typed import Set

from difftest import FEW, assert_compiled, rss_limit


@njit
def apply_ops(s, ops):
    for op, x in ops:
        if op == 0:
            s.add(x)
        elif op == 1:
            s.discard(x)
        elif op == 2 and x in s:
            s.remove(x)
    return s


@njit
def combine(s, t):
    return s | t, s & t, s - t, s ^ t, len(s), s.issubset(t)


@njit
def build(n):
    s = Set.empty(types.int64)
    for i in range(n):
        s.add(i * i % 7)
    return s


@njit
def build_by_use(words):
    s = Set()
    for w in words:
        s.add(w)
    return s


def remove_elem_py(s, elem):
    s.discard(elem)


remove_elem = njit(remove_elem_py)

ops_st = st.lists(st.tuples(st.integers(0, 3), st.integers(-5, 5)), min_size=1,
                  max_size=30)


def int_set(items):
    s = Set.empty(types.int64)
    s.update(items)
    return s


@FEW
@given(start=st.lists(st.integers(-5, 5), max_size=10), ops=ops_st)
def test_operations_in_compiled_code_change_the_same_set(start, ops):
    s = int_set(start)
    want = set(start)
    for op, x in ops:
        if op == 0:
            want.add(x)
        elif op in (1, 2):
            want.discard(x)
    r = apply_ops(s, ops)
    assert type(r) is Set and r == want and s == want and len(s) == len(want)
    assert_compiled(apply_ops)


@FEW
@given(a=st.lists(st.integers(-5, 5), max_size=10),
       b=st.lists(st.integers(-5, 5), max_size=10))
def test_set_algebra_gives_typed_sets(a, b):
    got = combine(int_set(a), int_set(b))
    sa, sb = set(a), set(b)
    want = (sa | sb, sa & sb, sa - sb, sa ^ sb, len(sa), sa <= sb)
    for g, w in zip(got[:4], want[:4]):
        assert type(g) is Set and g == w
    assert got[4:] == want[4:]
    assert_compiled(combine)


@FEW
@given(n=st.integers(0, 40))
def test_empty_in_compiled_code(n):
    s = build(n)
    assert type(s) is Set and s == {i * i % 7 for i in range(n)}
    assert str(pyjit.typeof(s)) == "SetType[int64]<iv=None>"
    assert_compiled(build)


def test_set_typed_by_its_use():
    s = build_by_use(["a", "b", "a"])
    assert type(s) is Set and s == {"a", "b"}
    assert s.dtype == types.unicode_type


def test_documentation_example():
    s = Set.empty(types.unicode_type)
    s.add("One")
    s.add("Two")
    s.add("Three")
    assert len(s) == 3
    remove_elem(s, "Three")
    assert len(s) == 2 and s == {"One", "Two"}
    assert_compiled(remove_elem)


def test_interpreter_side_behaves_as_a_set():
    s = Set([3, 1, 2])
    assert 2 in s and 7 not in s
    assert sorted(s) == [1, 2, 3]
    assert s - {1} == {2, 3} and s | {9} == {1, 2, 3, 9}
    c = s.copy()
    c.add(4)
    assert 4 not in s and 4 in c
    x = s.pop()
    assert x in {1, 2, 3} and len(s) == 2
    with pytest.raises(KeyError):
        Set.empty(types.int64).remove(1)
    s.clear()
    assert len(s) == 0 and repr(Set()) == "Set()"


def test_str_shows_items_as_str_and_repr_adds_the_type():
    # Numba's: print(s) shows the items as str() does
    s = Set()
    s.add("apple")
    assert str(s) == "{apple}"
    assert repr(s) == "SetType[unicode_type]<iv=None>({apple})"
    assert str(Set()) == "{}"


def test_empty_untyped_set_argument_is_refused_with_advice():
    with pytest.raises(TypingError, match=r"Set.empty\(item_type\)"):
        remove_elem(Set(), 1)


def test_numba_spelling():
    code = ("import pyjit; pyjit.install_numba_alias(); "
            "from numba.typed import Set; from numba.core import types; "
            "s = Set.empty(types.int64); s.add(3); "
            "print(Set is pyjit.typed.Set, s == {3})")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True,
                         text=True, check=True).stdout.split()
    assert out == ["True", "True"]


_FLAT = textwrap.dedent("""
    from pyjit import njit, types
    from pyjit.typed import Set

    def rss():
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * 4096

    @njit
    def churn(s, n):
        t = Set.empty(types.int64)
        for i in range(n):
            t.add(i)
            s.add(i)
        return t | s

    s = Set.empty(types.int64)
    for _ in range(20_000):
        churn(s, 8)
    before = rss()
    for _ in range(300_000):
        churn(s, 8)
    print(rss() - before)
""")


def test_memory_stays_flat(tmp_path):
    script = tmp_path / "flat.py"
    script.write_text(_FLAT)
    grown = int(subprocess.run([sys.executable, str(script)], capture_output=True,
                               text=True, check=True).stdout)
    assert grown < rss_limit(4 << 20), grown
