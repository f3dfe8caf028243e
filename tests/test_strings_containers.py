"""Strings kept by containers that outlive the call: a str argument is
borrowed from the caller, so a typed Dict or List that stores it (or a
view of it) must keep the str alive after the caller dropped it."""
import gc

import numpy as np

from difftest import assert_compiled
from pyjit import njit, types
from pyjit.typed import Dict, List


@njit
def put(d, s, v):
    d[s] = v
    d[s[1:]] = -v
    return len(d)


@njit
def add_items(lst, s):
    lst.append(s)
    lst.append(s[1:])


@njit
def weigh(d):
    t = 0
    for k in d:
        t += len(k) * d[k]
    return t


def churn():
    """Reuses the memory the dropped strings had."""
    gc.collect()
    return ["~" * (i % 50) + str(i) for i in range(50_000)]


def test_dict_keys_outlive_their_arguments():
    d = Dict.empty(key_type=types.unicode_type, value_type=types.int64)
    expected = {}
    for i in range(500):
        s = f"key-{i}-é" * 3
        put(d, s, i)
        expected[s] = i
        expected[s[1:]] = -i
        del s
    junk = churn()
    assert dict(d.items()) == expected
    assert weigh(d) == sum(len(k) * v for k, v in expected.items())
    assert_compiled(put)
    del junk


def test_list_items_outlive_their_arguments():
    lst = List.empty_list(types.unicode_type)
    expected = []
    for i in range(500):
        s = f"x{i}y" + "ü" * (i % 5) + "😀" * (i % 2)
        add_items(lst, s)
        expected += [s, s[1:]]
        del s
    junk = churn()
    assert list(lst) == expected
    assert_compiled(add_items)
    del junk


@njit
def keep_array(lst, a):
    lst.append(a)


def test_list_items_keep_array_arguments_alive():
    lst = List.empty_list(types.float64[:])
    for i in range(100):
        keep_array(lst, np.arange(float(i)))
    gc.collect()
    junk = [np.ones(i % 64) for i in range(10_000)]
    assert [float(a.sum()) for a in lst] == [i * (i - 1) / 2
                                             for i in range(100)]
    del junk
