"""sorted(l, key=...) and l.sort(key=...) with a jitted function, a lambda or a
builtin as the key, against Python's stable sort."""
import hypothesis.strategies as st
from hypothesis import given

import pyjit
from difftest import FEW, assert_compiled, small_ints


@pyjit.njit
def residue_then_desc(x):
    return (x % 5, -x)


@pyjit.njit
def sorted_by_jitted(l):
    return sorted(l, key=residue_then_desc)


@pyjit.njit
def sort_by_jitted_reversed(l):
    l.sort(key=residue_then_desc, reverse=True)
    return l


@pyjit.njit
def sorted_by_lambda(l):
    return sorted(l, key=lambda x: abs(x))


@pyjit.njit
def words_by_length(s):
    return sorted(s.split(), key=len)


int_lists = st.lists(small_ints, min_size=1, max_size=30)


@given(int_lists)
@FEW
def test_sorted_with_a_jitted_key(l):
    assert sorted_by_jitted(l) == sorted_by_jitted.py_func(l)
    assert_compiled(sorted_by_jitted)


@given(int_lists)
@FEW
def test_sort_with_a_jitted_key_reversed(l):
    assert sort_by_jitted_reversed(list(l)) == sort_by_jitted_reversed.py_func(list(l))
    assert_compiled(sort_by_jitted_reversed)


@given(int_lists)
@FEW
def test_sorted_with_a_lambda_key_is_stable(l):
    assert sorted_by_lambda(l) == sorted_by_lambda.py_func(l)
    assert_compiled(sorted_by_lambda)


@given(st.text(alphabet="abc ", max_size=30))
@FEW
def test_sorted_words_by_len(s):
    assert words_by_length(s) == words_by_length.py_func(s)
    assert_compiled(words_by_length)
