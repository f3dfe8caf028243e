"""Numba's types used as values, as Numba programs use them: a global tuple
of key and value types spread into Dict.empty (`Dict.empty(*kv_ty)`), in a
function and in a jitclass whose spec names `types.DictType(*kv_ty)`; a
number type (types.int32, np.int16) passed to a jitted function, from
Python and from compiled code, where it names a dtype or converts a value.
"""
import numba
import numpy as np
import pytest
from hypothesis import given, strategies as st

import pyjit
from pyjit import njit, types
from pyjit.experimental import jitclass
from pyjit.typed import Dict, List

from difftest import FEW, assert_compiled

kv_ty = (types.int64, types.unicode_type)
number_kv = (types.int64, types.float64)
mixed = (types.float64, types.int64, 3, "x")


@njit
def word_lengths(n):
    d = Dict.empty(*kv_ty)
    for i in range(n):
        d[i] = "ab" * (i % 4)
    return d


@given(st.integers(0, 40))
@FEW
def test_a_global_tuple_of_types_spreads_into_dict_empty(n):
    got = word_lengths(n)
    assert isinstance(got, Dict)
    assert dict(got) == dict(word_lengths.py_func(n))
    assert_compiled(word_lengths)


@njit
def squares(n):
    d = Dict.empty(*number_kv)
    for i in range(n):
        d[i] = i * i / 2
    return d


@given(st.integers(0, 40))
@FEW
def test_a_global_tuple_of_number_types_spreads_into_dict_empty(n):
    assert dict(squares(n)) == dict(squares.py_func(n))
    assert_compiled(squares)


def test_a_closure_tuple_of_types_spreads_into_dict_empty():
    kv = (types.unicode_type, types.float64)

    @njit
    def index(keys):
        d = Dict.empty(*kv)
        for i, k in enumerate(keys):
            d[k] = i * 0.5
        return d

    keys = List(["a", "bb", "a", "c"])
    assert dict(index(keys)) == dict(index.py_func(keys))
    assert_compiled(index)


# numba/numba: docs/source/user/jitclass.rst, typed containers as members
@jitclass([('d', types.DictType(*number_kv)),
           ('l', types.ListType(types.float64))])
class ContainerHolder(object):
    def __init__(self):
        self.d = Dict.empty(*number_kv)
        self.l = List.empty_list(types.float64)


def test_a_jitclass_initializes_its_dict_from_a_spread_tuple_of_types():
    c = ContainerHolder()
    c.d[1] = 2.5
    c.l.append(3.0)
    assert dict(c.d) == {1: 2.5} and list(c.l) == [3.0]


@njit
def count_args(*a):
    return len(a)


@njit
def spread_mixed():
    return count_args(*mixed)


nb_mixed = (numba.types.float64, numba.types.int64, 3, "x")
nb_count_args = numba.njit(lambda *a: len(a))


@numba.njit
def nb_spread_mixed():
    return nb_count_args(*nb_mixed)


def test_types_in_a_spread_global_tuple_are_passed_as_values():
    # Numba passes the two types as NumberClass values: four arguments
    assert spread_mixed() == nb_spread_mixed() == 4
    assert_compiled(spread_mixed)


@njit
def zeros_of(n, dt):
    return np.zeros(n, dt)


@njit
def zeros_int32(n):
    return zeros_of(n, types.int32)


@pytest.mark.parametrize("dt, expected", [
    (types.int32, np.int32), (types.float32, np.float32),
    (np.int16, np.int16), (types.complex128, np.complex128),
    (types.boolean, np.bool_), (types.uint8, np.uint8)])
def test_a_number_type_passed_from_python_names_a_dtype(dt, expected):
    got = zeros_of(4, dt)
    assert got.dtype == np.dtype(expected)
    np.testing.assert_array_equal(got, np.zeros(4, expected))
    assert_compiled(zeros_of)


def test_a_number_type_passed_from_compiled_code_names_a_dtype():
    got = zeros_int32(3)
    assert got.dtype == np.int32 and got.shape == (3,)
    assert_compiled(zeros_int32)


@njit
def convert(x, dt):
    return dt(x)


@given(st.floats(-1e6, 1e6))
@FEW
def test_a_passed_number_type_converts_as_numba_does(x):
    nb_convert = numba.njit(lambda x, dt: dt(x))
    assert convert(x, types.int32) == nb_convert(x, numba.types.int32)
    assert convert(x, np.float32) == nb_convert(x, np.float32)
    assert type(convert(x, types.float32)) is type(nb_convert(x, np.float32))
    assert_compiled(convert)


def test_a_dtype_object_is_not_called():
    with pytest.raises(pyjit.TypingError, match="dtype"):
        convert(1.5, np.dtype("f8"))


def test_list_empty_list_takes_a_passed_number_type():
    @njit
    def empty_of(dt):
        lst = List.empty_list(dt)
        lst.append(dt(7))
        return lst

    assert list(empty_of(types.int16)) == [7]
    assert_compiled(empty_of)
