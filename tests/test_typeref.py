"""A type passed as a value (Numba's typeref[T], csrc/typeref.c): a pyjit
type that is not a number type, as an argument, names the type of a typed
container made inside (pysheds' `List.empty_list(t)` with t a tuple
type), specializes by the type it refers to, passes on to jitted callees,
and returns to Python as itself."""
import numpy as np
import pytest

from difftest import assert_compiled
from pyjit import TypingError, njit, typed, types

PAIR = types.Tuple([types.float64, types.int64])
TWO_INTS = types.UniTuple(types.int64, 2)


@njit
def same(t):
    return t


@njit
def empty_of(t):
    return typed.List.empty_list(t)


@njit
def through_a_callee(t, n):
    lst = empty_of(t)
    for i in range(n):
        lst.append((i * 0.5, i))
    return lst


@njit
def dict_of(k, v):
    return typed.Dict.empty(k, v)


def test_a_type_returns_as_itself():
    assert same(PAIR) is PAIR
    assert same(types.float64[:]) is types.float64[:]
    assert same(types.unicode_type) is types.unicode_type
    assert_compiled(same)


def test_list_of_a_tuple_type_passed_in():
    lst = empty_of(PAIR)
    lst.append((1.5, 2))
    assert list(lst) == [(1.5, 2)]
    got = through_a_callee(PAIR, 4)
    assert list(got) == [(i * 0.5, i) for i in range(4)]
    assert_compiled(through_a_callee)


def test_each_type_referred_to_is_a_specialization():
    empty_of(PAIR)
    empty_of(TWO_INTS)
    sigs = [str(s[0]) for s in empty_of.signatures]
    assert "typeref[Tuple(float64, int64)]" in sigs
    assert "typeref[UniTuple(int64 x 2)]" in sigs


def test_dict_of_types_passed_in():
    d = dict_of(types.unicode_type, PAIR)
    d["a"] = (0.5, 1)
    assert dict(d) == {"a": (0.5, 1)}


def test_a_tuple_type_is_no_dtype():
    @njit
    def zeros_of(t):
        return np.zeros(3, t)

    with pytest.raises(TypingError, match=r"typeref\[Tuple"):
        zeros_of(PAIR)
