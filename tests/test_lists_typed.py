"""pyjit.typed.List: made and used from the interpreter and from compiled
code, passed in and out without copying, against a plain Python list."""
import hypothesis.strategies as st
import pytest
from hypothesis import given

import pyjit
from pyjit import types
from pyjit.typed import List
from difftest import FEW, assert_compiled


@pyjit.njit
def grow(l, n):
    for i in range(n):
        l.append(i * 2)
    return l


@pyjit.njit
def make(n):
    a = List()
    for i in range(n):
        a.append(i * 0.5)
    b = List.empty_list(types.int64)
    b.append(n)
    c = List(range(n))
    return a, b, c


@given(st.lists(st.integers(-100, 100), min_size=1, max_size=10),
       st.integers(0, 6))
@FEW
def test_shared_with_compiled_code(xs, n):
    l = List(xs)
    out = grow(l, n)
    expected = xs + [i * 2 for i in range(n)]
    assert list(l) == expected and list(out) == expected
    out.append(7)                  # the same block: l sees it
    assert list(l) == expected + [7]
    assert pyjit.typeof(l) == types.ListType(types.int64)
    assert_compiled(grow)


@given(st.integers(0, 8))
@FEW
def test_made_in_compiled_code(n):
    a, b, c = make(n)
    assert list(a) == [i * 0.5 for i in range(n)]
    assert list(b) == [n] and list(c) == list(range(n))
    assert pyjit.typeof(a) == types.ListType(types.float64)
    assert_compiled(make)


def test_interpreter_operations_and_repr():
    l = List()
    assert repr(l) == "ListType[undefined]([])" and len(l) == 0
    l.append(1)
    l.extend([2, 3])
    assert repr(l) == "ListType[int64]([1, 2, 3])"
    assert l[-1] == 3 and 2 in l and len(l) == 3
    l[0] = 10
    assert l.pop() == 3 and list(l) == [10, 2]
    assert l == [10, 2]
    e = List.empty_list(types.float64)
    assert repr(e) == "ListType[float64]([])"
    e.append(2)
    assert repr(e) == "ListType[float64]([2.0])"
    with pytest.raises(IndexError, match="list index out of range"):
        l[5]


def test_str_shows_items_as_str_and_repr_adds_the_type():
    # Numba's: print(l) of strings shows them unquoted
    l = List()
    l.append("apple")
    l.append("pear")
    assert str(l) == "[apple, pear]"
    assert repr(l) == "ListType[unicode_type]([apple, pear])"
    assert str(List()) == "[]"


def test_list_type_names_as_numba():
    assert str(types.ListType(types.int64)) == "ListType[int64]"
    assert str(pyjit.typeof([1.5])) == "reflected list(float64)"
    with pytest.raises(TypeError):
        types.ListType("int64")


def test_empty_untyped_list_refused():
    with pytest.raises(pyjit.TypingError, match="empty_list"):
        grow(List(), 1)
