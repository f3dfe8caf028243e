"""Set methods written in pyjit/_sets.py, dict equality, min/max over
sets and dicts, and the RuntimeError of a dict or set that changes size
under its iterator, against the plain Python function."""
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given

from pyjit import njit

from difftest import SETTINGS, assert_compiled, check

int_lists = st.lists(st.integers(-6, 6), max_size=12)


@njit
def set_methods(a, b):
    x, y = set(a), set(b)
    lb = list(b)
    r = (x.union(y), x.union(lb), x.intersection(y), x.intersection(lb),
         x.difference(y), x.difference(lb), x.symmetric_difference(y),
         x.symmetric_difference(lb), x.issubset(y), x.issubset(lb),
         x.issuperset(y), x.issuperset(lb), x.isdisjoint(y),
         x.isdisjoint(lb))
    u = set(x)
    u.intersection_update(lb)
    v = set(x)
    v.difference_update(lb)
    w = set(x)
    w.symmetric_difference_update(lb)
    return r, u, v, w


@SETTINGS
@given(int_lists, int_lists)
def test_set_methods_match_python(a, b):
    check(set_methods, np.array(a, dtype=np.int64),
          np.array(b, dtype=np.int64))


@njit
def dict_equality(ka, va, kb, vb):
    a = {ka[i]: va[i] for i in range(len(ka))}
    b = {kb[i]: vb[i] for i in range(len(kb))}
    c = {k: float(v) for k, v in b.items()}
    return a == b, a != b, b == a, a == c, c != a, a == a


@SETTINGS
@given(st.lists(st.tuples(st.integers(-3, 3), st.integers(-2, 2)),
                max_size=8),
       st.lists(st.tuples(st.integers(-3, 3), st.integers(-2, 2)),
                max_size=8))
def test_dict_equality_matches_python(pa, pb):
    arr = lambda xs: np.array(xs, dtype=np.int64)
    check(dict_equality, arr([p[0] for p in pa]), arr([p[1] for p in pa]),
          arr([p[0] for p in pb]), arr([p[1] for p in pb]))


def test_dict_equality_of_strings_and_tuples():
    @njit
    def f(n):
        a = {str(i): (i, 1.5) for i in range(n)}
        b = {str(i): (i, 1.5) for i in range(n - 1, -1, -1)}
        b2 = dict(b)
        b2[str(0)] = (0, 2.5)
        return a == b, a == b2
    check(f, 5)
    check(f, 1)


@njit
def extremes(a):
    s = set(a)
    d = {x: x * 2 for x in a}
    return min(s), max(s), min(d), max(d), min(d.values()), max(d.items())


@SETTINGS
@given(int_lists)
def test_min_max_of_sets_and_dicts(a):
    check(extremes, np.array(a, dtype=np.int64))


def test_changing_size_during_iteration_raises():
    @njit
    def grow_dict(n):
        d = {0: 0}
        for k in d:
            if k < n:
                d[k + 1] = 1
        return len(d)

    @njit
    def shrink_set():
        s = {1, 2, 3}
        for x in s:
            s.discard(x)
        return len(s)

    @njit
    def same_size(n):
        d = {i: i for i in range(n)}
        t = 0
        for k, v in d.items():
            d[k] = v + 1
            t += k
        ks = d.keys()
        d[n] = 0                 # a view iterated after the dict grew
        for k in ks:
            t += k
        return t

    check(grow_dict, 3)
    check(shrink_set)
    check(same_size, 6)
    with pytest.raises(RuntimeError,
                       match="dictionary changed size during iteration"):
        grow_dict(3)
    assert_compiled(grow_dict)
