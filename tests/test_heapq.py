"""heapq in nopython code (pyjit/_heapq.py), against CPython's heapq on
the same lists: the heaps hold their items in the same order."""
import heapq

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from pyjit import njit

from difftest import FEW, assert_compiled, check, int64s, small_ints


@njit
def push_pop_all(values):
    h = [values[0]]
    for v in values[1:]:
        heapq.heappush(h, v)
    popped = []
    while len(h) > 0:
        popped.append(heapq.heappop(h))
    return popped


@njit
def heapify_then(values, extra):
    h = list(values)
    heapq.heapify(h)
    snapshot = list(h)
    replaced = heapq.heapreplace(h, extra)
    pushed_popped = heapq.heappushpop(h, extra - 1)
    return snapshot, h, replaced, pushed_popped


@njit
def smallest_largest(values, n):
    return heapq.nsmallest(n, values), heapq.nlargest(n, values)


@njit
def pairs_by_distance(dists, ids):
    h = [(dists[0], ids[0])]
    for i in range(1, len(dists)):
        heapq.heappush(h, (dists[i], ids[i]))
    order = []
    while len(h) > 0:
        order.append(heapq.heappop(h)[1])
    return order


nonempty = st.lists(int64s, min_size=1, max_size=30)


@FEW
@given(nonempty)
def test_push_pop(values):
    check(push_pop_all, values)


@FEW
@given(nonempty, small_ints)
def test_heapify_replace_pushpop(values, extra):
    check(heapify_then, values, extra)


@FEW
@given(st.lists(st.floats(allow_nan=False), min_size=1, max_size=30),
       st.integers(0, 40))
def test_nsmallest_nlargest(values, n):
    check(smallest_largest, values, n)


@FEW
@given(st.lists(st.tuples(st.floats(0, 1, width=32), st.integers(0, 99)),
                min_size=1, max_size=30))
def test_tuples_of_distance_and_id(items):
    dists = np.array([d for d, _ in items], np.float32)
    ids = np.array([i for _, i in items], np.int32)
    assert pairs_by_distance(dists, ids) == \
        pairs_by_distance.py_func(dists, ids)
    assert_compiled(pairs_by_distance)


def test_pop_of_an_empty_heap():
    @njit
    def pop_empty(values):
        h = [values[0]]
        h.pop()
        return heapq.heappop(h)
    check(pop_empty, [3])
