"""pyjit.typed.Dict: made in the interpreter, used by compiled code and
back without copying, with the mapping protocol of a dict; Python dicts
refused as arguments; array arguments stored in a Dict kept alive."""
import gc

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given

import pyjit
from pyjit import njit, types
from pyjit.typed import Dict

from difftest import FEW, assert_compiled


def test_str_shows_items_as_str_and_repr_adds_the_type():
    # Numba's: print(d) shows keys and values as str() does
    d = Dict()
    d[1] = "apple"
    d[2] = "orange"
    assert str(d) == "{1: apple, 2: orange}"
    assert repr(d) == "DictType[int64,unicode_type]<iv=None>({1: apple, 2: orange})"
    assert str(Dict()) == "{}"


def test_empty_and_repr():
    d = Dict.empty(key_type=types.int64, value_type=types.float64)
    assert len(d) == 0 and not d
    assert repr(d) == "DictType[int64,float64]<iv=None>({})"
    assert pyjit.typeof(d) == types.DictType(types.int64, types.float64)
    assert str(pyjit.typeof(d)) == "DictType[int64,float64]<iv=None>"
    assert (d.key_type, d.value_type) == (types.int64, types.float64)


@FEW
@given(st.lists(st.tuples(st.sampled_from("sdpgc"), st.integers(-5, 5),
                          st.floats(-10, 10, allow_nan=False)), max_size=40))
def test_mapping_protocol_matches_dict(ops):
    d = Dict.empty(key_type=types.int64, value_type=types.float64)
    ref = {}
    for op, k, v in ops:
        for target in (d, ref):
            if op == "s":
                target[k] = v
            elif op == "d" and k in target:
                del target[k]
            elif op == "p":
                target.pop(k, None)
            elif op == "c":
                target.setdefault(k, v)
        if op == "g":
            assert d.get(k) == ref.get(k)
    assert list(d.items()) == list(ref.items())
    assert d == ref and len(d) == len(ref)


@njit
def add_and_sum(d, k, v):
    d[k] = v
    s = 0.0
    for x in d.values():
        s += x
    return d, s


def test_passed_in_and_out_without_copy():
    d = Dict.empty(key_type=types.int64, value_type=types.float64)
    d[1] = 2.5
    r, s = add_and_sum(d, 7, 1.0)
    assert s == 3.5
    assert dict(d.items()) == {1: 2.5, 7: 1.0}    # the caller's Dict changed
    assert type(r) is Dict
    r[9] = 4.0                                     # the same table
    assert d[9] == 4.0
    assert_compiled(add_and_sum)


def test_dict_typed_by_first_store():
    d = Dict()
    assert len(d) == 0 and repr(d) == "Dict()"
    d[(1, 2)] = 1.5
    assert str(pyjit.typeof(d)) == \
        "DictType[UniTuple(int64 x 2),float64]<iv=None>"
    assert d[(1, 2)] == 1.5


def test_methods_from_the_interpreter():
    d = Dict.empty(types.int64, types.int64)
    for i in range(5):
        d[i] = i * i
    assert d.popitem() == (4, 16)
    c = d.copy()
    c[10] = 0
    assert 10 not in d and 10 in c
    with pytest.raises(KeyError):
        d[42]
    d.clear()
    assert len(d) == 0 and list(d) == []


@njit
def store(d, k, a):
    d[k] = a


def test_array_arguments_outlive_the_call():
    d = Dict.empty(types.int64, types.Array(types.float64, 1, "C"))
    for i in range(50):
        store(d, i, np.full(3, float(i)))   # the arrays' only owner is d
    gc.collect()
    for i in range(50):
        np.testing.assert_array_equal(d[i], np.full(3, float(i)))


def test_python_dict_argument_names_typed_dict():
    @njit
    def f(d):
        return len(d)
    with pytest.raises(pyjit.TypingError, match="pyjit.typed.Dict"):
        f({1: 2})
    with pytest.raises(pyjit.TypingError, match="Dict.empty"):
        f(Dict())


def test_made_in_compiled_code_returned_as_typed_dict():
    # Numba returns a numba.typed.Dict over the same table
    @njit
    def f():
        return {1: 2}
    d = f()
    assert type(d) is Dict
    assert repr(d) == "DictType[int64,int64]<iv=None>({1: 2})"
    assert d == {1: 2} and {1: 2} == d
    assert str(pyjit.typeof(d)) == "DictType[int64,int64]<iv=None>"


@njit
def _word_index(words):
    index = {}
    for w in words.split():
        if w not in index:
            index[w] = len(index)
    return index


@njit
def _encode(words, index):
    out = np.empty(len(words.split()), np.int64)
    for i, w in enumerate(words.split()):
        out[i] = index[w]
    return out


@njit
def _add_word(index, w):
    index[w] = len(index)


def test_dict_built_by_one_function_passes_to_another():
    # the pattern of Numba programs that build a lookup table once and
    # use it from other jitted functions
    text = "the cat saw the dog and the cat ran"
    index = _word_index(text)
    assert dict(index) == _word_index.py_func(text)
    assert list(_encode(text, index)) == [0, 1, 2, 0, 3, 4, 0, 1, 5]
    _add_word(index, "away")             # the same table, changed in place
    assert index["away"] == 6 and len(index) == 7
    index["home"] = 7                    # changed from the interpreter
    assert list(_encode("home away", index)) == [7, 6]
    for f in (_word_index, _encode, _add_word):
        assert_compiled(f)


def test_nested_dicts_return_as_typed_dicts():
    @njit
    def f(n):
        outer = {}
        for i in range(n):
            inner = {}
            for j in range(i):
                inner[j] = float(i * j)
            outer[i] = inner
        return outer
    d = f(4)
    assert type(d) is Dict and type(d[3]) is Dict
    assert {k: dict(v) for k, v in d.items()} == f.py_func(4)
