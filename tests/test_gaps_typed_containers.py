"""Dict.empty(key_type, value_type), Dict() and List.empty_list(item_type) made
inside compiled code and returned to Python as pyjit.typed.Dict / List, as
Numba's examples make them."""
import numpy as np
import hypothesis.strategies as st
import pytest
from hypothesis import given

import pyjit
from pyjit import types
from pyjit.typed import Dict, List
from difftest import FEW, assert_compiled, small_ints


@pyjit.njit
def squares_empty(keys):
    d = Dict.empty(key_type=types.int64, value_type=types.float64)
    for k in keys:
        d[k] = k * 0.5
    return d


@pyjit.njit
def squares_positional(keys):
    d = Dict.empty(types.int64, types.float64)
    for k in keys:
        d[k] = k * 0.5
    return d


@pyjit.njit
def counts(words):
    d = Dict()
    for w in words:
        d[w] = d.get(w, 0) + 1
    return d


@pyjit.njit
def evens(n):
    l = List.empty_list(types.int64)
    for i in range(n):
        if i % 2 == 0:
            l.append(i)
    return l


@pyjit.njit
def word_index(s):
    d = Dict.empty(key_type=types.unicode_type, value_type=types.int64)
    for i, w in enumerate(s.split()):
        d[w] = i
    return d


@pyjit.njit
def fill(d, n):
    for i in range(n):
        d[i] = float(i)
    return len(d)


def as_plain(d):
    assert isinstance(d, Dict)
    return dict(d.items())


@given(st.lists(small_ints, min_size=1, max_size=20))
@FEW
def test_dict_empty_with_keywords(keys):
    got = squares_empty(keys)
    assert as_plain(got) == squares_empty.py_func(keys)
    assert str(got._type) == "DictType[int64,float64]<iv=None>"
    assert_compiled(squares_empty)


@given(st.lists(small_ints, min_size=1, max_size=20))
@FEW
def test_dict_empty_positional(keys):
    assert as_plain(squares_positional(keys)) == squares_positional.py_func(keys)
    assert_compiled(squares_positional)


@given(st.lists(st.sampled_from(["a", "b", "cd", "é"]), min_size=1, max_size=20))
@FEW
def test_dict_typed_by_its_use(words):
    expected = {}
    for w in words:
        expected[w] = expected.get(w, 0) + 1
    got = counts(words)
    assert isinstance(got, Dict)
    assert dict(got.items()) == expected
    assert_compiled(counts)


@given(st.integers(0, 40))
@FEW
def test_list_empty_list(n):
    got = evens(n)
    assert isinstance(got, List)
    assert list(got) == list(evens.py_func(n))
    assert_compiled(evens)


@given(st.text(alphabet="ab ", max_size=15))
@FEW
def test_dict_of_str_keys(s):
    assert as_plain(word_index(s)) == word_index.py_func(s)
    assert_compiled(word_index)


def test_dict_made_in_compiled_code_is_shared_with_it():
    d = squares_empty([1, 2])
    assert fill(d, 4) == 4
    assert as_plain(d) == {0: 0.0, 1: 1.0, 2: 2.0, 3: 3.0}
    d[7] = 1.5
    assert fill(d, 0) == 5


def test_dict_empty_of_a_value_takes_its_type_as_numba_does():
    @pyjit.njit
    def of_value():
        d = Dict.empty(key_type=types.int64, value_type=3)
        d[1] = 7
        return d

    @pyjit.njit
    def bad():
        return Dict.empty(key_type=types.int64, value_type=np)

    assert dict(of_value()) == {1: 7}
    with pytest.raises(pyjit.TypingError, match="Dict.empty takes a key type"):
        bad()


def test_dict_with_arguments_is_a_typing_error():
    @pyjit.njit
    def bad(d):
        return Dict(d)

    with pytest.raises(pyjit.TypingError, match="takes 0 positional arguments but 1"):
        bad(squares_empty([1]))
