"""Differential tests: in `a[i] op= y` the container and the index are
evaluated once, for the load and the store, as Python evaluates them,
when computing the index has side effects."""
import hypothesis.strategies as st
import numpy as np
from hypothesis import given, settings

from difftest import assert_compiled, assert_same
from pyjit import njit


@njit
def bump(counter, m):
    counter[0] += 1
    return counter[0] % m


@njit
def into_array(n, m, y):
    counter = np.zeros(1, np.int64)
    a = np.zeros(m, np.int64)
    for _ in range(n):
        a[bump(counter, m)] += y
        a[bump(counter, m) - m] *= 2
    return a, counter[0]


@njit
def into_list_and_dict(n, m):
    counter = np.zeros(1, np.int64)
    items = [0] * m
    d = {0: 0}
    for k in range(m):
        d[k] = 0
    for _ in range(n):
        items[bump(counter, m)] -= 3
        d[bump(counter, m)] += 1
    return items, sorted(d.items()), counter[0]


@settings(max_examples=40, deadline=None)
@given(n=st.integers(0, 30), m=st.integers(1, 7), y=st.integers(-5, 5))
def test_the_index_is_evaluated_once(n, m, y):
    got_a, got_c = into_array(n, m, y)
    want_a, want_c = into_array.py_func(n, m, y)
    assert got_c == want_c and np.array_equal(got_a, want_a)
    assert_same(into_list_and_dict(n, m), into_list_and_dict.py_func(n, m))
    assert_compiled(into_array)
    assert_compiled(into_list_and_dict)
