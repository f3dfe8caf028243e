"""Global and closure tuples holding strings are frozen as constants, as
Numba freezes them, and an item of a constant tuple picked by a constant
index is itself a constant: a record's field can be named by it (Numba's
documentation examples of record arrays indexed by constant names)."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pyjit import literal_unroll, njit
from pyjit.errors import TypingError

from difftest import FEW, assert_compiled, assert_same, mod_floats

FIELDS = ("a1", "a2")
MIXED = ("name", 3, 2.5, ("inner", -1))
REC = np.dtype([("a1", "f8"), ("a2", "f8")])


@njit
def field_sum_by_items(rec):
    fields_lc = ("a1", "a2")
    field_name1 = fields_lc[0]
    field_name2 = FIELDS[1]
    return rec[field_name1] + rec[field_name2]


@njit
def field_sum_unrolled(rec):
    out = 0.0
    for f in literal_unroll(FIELDS):
        out += rec[f]
    return out


@njit
def field_set_by_item(rec, v):
    rec[FIELDS[-1]] = v
    return rec[FIELDS[-2]]


@njit
def use_strings(i):
    s = FIELDS[i % 2] + "!"
    return s, len(FIELDS[0]), FIELDS, "a2" in FIELDS


@njit
def use_mixed(k):
    return MIXED[0] * k, MIXED[1] + k, MIXED[2] * k, MIXED[3][0], MIXED


def make_closure(names):
    @njit
    def first_upper(n):
        return names[0].upper() * n, len(names)
    return first_upper


@FEW
@given(a=mod_floats, b=mod_floats)
def test_record_field_named_by_tuple_item(a, b):
    arr = np.array([(a, b)], dtype=REC)
    assert_same(field_sum_by_items(arr[0]), field_sum_by_items.py_func(arr[0]))
    assert_same(field_sum_unrolled(arr[0]), field_sum_unrolled.py_func(arr[0]))
    assert_compiled(field_sum_by_items)
    assert_compiled(field_sum_unrolled)


@FEW
@given(a=mod_floats, v=mod_floats)
def test_record_field_assigned_by_tuple_item(a, v):
    arr = np.array([(a, 0.0)], dtype=REC)
    want = arr.copy()
    assert_same(field_set_by_item(arr[0], v), field_set_by_item.py_func(want[0], v))
    assert arr[0]["a2"] == want[0]["a2"]
    assert_compiled(field_set_by_item)


@FEW
@given(i=st.integers(-100, 100))
def test_global_tuple_of_strings(i):
    assert use_strings(i) == use_strings.py_func(i)
    assert_compiled(use_strings)


@FEW
@given(k=st.integers(0, 5))
def test_global_tuple_of_mixed_constants(k):
    assert use_mixed(k) == use_mixed.py_func(k)
    assert_compiled(use_mixed)


def test_closure_tuple_of_strings():
    f = make_closure(("ab", "cd", "e"))
    assert f(2) == ("ABAB", 3)
    assert_compiled(f)


def test_variable_name_is_still_refused():
    @njit
    def by_variable(rec, name):
        return rec[name]

    arr = np.zeros(1, dtype=REC)
    with pytest.raises(TypingError, match="constant string"):
        by_variable(arr[0], "a1")
