"""A Python list argument whose items are typed Lists, typed Dicts or
jitclass instances: the compiled list borrows each item's memory from its
object and takes a reference of its own, so the objects outlive any number
of calls, changes reach the caller's list, and memory stays flat."""
import gc

import numpy as np

from pyjit import float64, int64, njit, types
from pyjit.experimental import jitclass
from pyjit.typed import Dict, List

from difftest import assert_compiled, rss_bytes, rss_limit


@njit
def total_len(items):
    n = 0
    for x in items:
        n += len(x)
    return n


@njit
def add_to_first(items, v):
    items[0].append(v)
    return len(items)


@njit
def reorder(items):
    items.append(items[0])
    items[0] = items[-2]
    return len(items)


def test_typed_lists_in_a_list_outlive_the_calls():
    x, y = List([1.0, 2.0]), List([3.0])
    for _ in range(5):      # a collection is slow in a process of many compiles
        for _ in range(10):
            assert total_len([x, y, x]) == 5
        gc.collect()
    assert list(x) == [1.0, 2.0] and list(y) == [3.0]
    items = [x, y]
    assert add_to_first(items, 9.0) == 2
    assert list(x) == [1.0, 2.0, 9.0]     # the same List, changed in place
    assert reorder(items) == 3            # reflected into the caller's list
    assert items[0] is not None and [list(v) for v in items] == \
        [[3.0], [3.0], [1.0, 2.0, 9.0]]
    del items
    gc.collect()
    assert list(x) == [1.0, 2.0, 9.0] and list(y) == [3.0]
    for f in (total_len, add_to_first, reorder):
        assert_compiled(f)


def test_typed_dicts_in_a_list_outlive_the_calls():
    d = Dict.empty(types.int64, types.float64)
    d[1] = 2.5
    for _ in range(5):      # a collection is slow in a process of many compiles
        for _ in range(10):
            assert total_len([d, d]) == 2
        gc.collect()
    assert dict(d) == {1: 2.5}


@jitclass([("v", float64[:]), ("n", int64)])
class Box:
    def __init__(self, n):
        self.v = np.zeros(n)
        self.n = n


@njit
def total_n(boxes):
    s = 0
    for b in boxes:
        s += b.n + b.v.size
    return s


def test_jitclass_instances_in_a_list_outlive_the_calls():
    a, b = Box(3), Box(4)
    for _ in range(5):      # a collection is slow in a process of many compiles
        for _ in range(10):
            assert total_n([a, b, a]) == 20
        gc.collect()
    assert a.n == 3 and b.v.size == 4
    assert_compiled(total_n)


def test_memory_flat_over_many_calls():
    x = List([1.0, 2.0])
    d = Dict.empty(types.int64, types.float64)
    d[1] = 1.0

    def round_(calls):
        for _ in range(calls):
            total_len([x, x])
            total_len([d])
            add_to_first([List([0.5])], 1.0)
    round_(5_000)
    before = rss_bytes()
    round_(100_000)
    grown = rss_bytes() - before
    assert grown < rss_limit(4 * 2 ** 20), f"RSS grew by {grown} bytes"
    assert list(x) == [1.0, 2.0] and dict(d) == {1: 1.0}
