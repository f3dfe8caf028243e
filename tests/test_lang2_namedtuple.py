"""Differential tests: namedtuples (collections.namedtuple and typing.NamedTuple),
made in compiled code and passed in and out, against the plain Python functions."""
import os
import subprocess
import sys
import textwrap
from collections import namedtuple
from typing import NamedTuple

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given

from difftest import FEW, SETTINGS, assert_compiled, check, mod_floats, small_ints
import pyjit
from pyjit import njit

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

Point = namedtuple("Point", ["x", "y"])
Opts = namedtuple("Opts", "a b c", defaults=[5, 2.5])


class Box(NamedTuple):
    lo: Point
    hi: Point
    data: np.ndarray
    n: int = 3


ORIGIN = Point(0.0, 0.0)


def same_classes(actual, expected):
    """The compiled result has the classes of Python's, namedtuples included."""
    assert type(actual) is type(expected), (actual, expected)
    if isinstance(expected, tuple):
        for a, e in zip(actual, expected):
            same_classes(a, e)


def check_nt(f, *args):
    r = check(f, *args)
    same_classes(r, f.py_func(*args))
    return r


@njit
def make_positional(a, b):
    p = Point(a, b)
    return p, p.x - p.y, p[0] * 2, p[-1]


@njit
def make_keywords(a, b):
    return Point(y=a, x=b), Opts(a), Opts(a, c=b), Opts(b=a, a=b, c=a)


@njit
def use_fields(p):
    x, y = p
    s = 0.0
    for v in p:
        s += v
    return x * 3 + y, s, len(p), p == Point(p.x, p.y), p != (p.x, p.y), hash(p)


@njit
def swap(p):
    return Point(p.y, p.x)


@njit
def nested(a, x):
    b = Box(Point(x, x + 1.0), hi=Point(2 * x, ORIGIN.y), data=a)
    lo, hi, d, n = b
    return b, b.lo.x + b.hi.y + d.sum() + n, b[2][0], lo == b.lo


@njit
def pick(flag, a, b):
    p = Point(a, b) if flag else Point(b, a)
    return p


@njit
def as_keys(ps):
    d = {}
    for p in ps:
        d[p] = d.get(p, 0) + p.x * p.y
    return d, [Point(i, -i) for i in range(len(ps))]


@njit
def from_argument(b):
    b.data[0] = b.n
    return b.lo.x + b.hi.y + b.data.sum()


@given(small_ints, small_ints)
@SETTINGS
def test_make_positional(a, b):
    check_nt(make_positional, a, b)
    check_nt(make_positional, float(a), b)


@given(small_ints, mod_floats)
@SETTINGS
def test_make_keywords_and_defaults(a, b):
    check_nt(make_keywords, a, b)


@given(small_ints, small_ints)
@SETTINGS
def test_fields_unpack_iterate_compare(a, b):
    check_nt(use_fields, Point(a, b))
    check_nt(use_fields, Point(float(a), float(b)))


@given(small_ints, mod_floats)
@FEW
def test_returned_as_the_class(a, b):
    check_nt(swap, Point(a, b))
    check_nt(swap, Point(b, b))


@given(st.lists(small_ints, min_size=1, max_size=8), mod_floats)
@FEW
def test_nested_with_arrays(data, x):
    a = np.array(data, dtype=np.float64)   # sums exact in any order
    r = nested(a, x)
    e = nested.py_func(a, x)
    assert_compiled(nested)
    assert type(r[0]) is Box and type(r[0].lo) is Point and type(r[0].hi) is Point
    assert r[0].lo == e[0].lo and r[0].hi == e[0].hi and r[0].n == e[0].n
    assert np.array_equal(r[0].data, e[0].data)
    assert r[1:] == e[1:]


@given(st.booleans(), small_ints, small_ints)
@FEW
def test_one_variable_two_values(flag, a, b):
    check_nt(pick, flag, a, b)


@given(st.lists(st.tuples(st.integers(-3, 3), st.integers(-3, 3)), min_size=1,
                max_size=10))
@FEW
def test_keys_and_lists(pairs):
    ps = [Point(a, b) for a, b in pairs]
    d, lst = as_keys(ps)
    ed, elst = as_keys.py_func(ps)
    assert_compiled(as_keys)
    assert d == ed and list(d) == list(ed) and lst == elst
    assert all(type(k) is Point for k in d) and all(type(p) is Point for p in lst)


@given(st.integers(0, 5), mod_floats)
@FEW
def test_passed_in_with_array_field(n, x):
    b1 = Box(Point(x, 1.0), Point(2.0, x), np.arange(4.0), n)
    b2 = Box(Point(x, 1.0), Point(2.0, x), np.arange(4.0), n)
    assert from_argument(b1) == from_argument.py_func(b2)
    assert np.array_equal(b1.data, b2.data)
    assert_compiled(from_argument)


def test_class_in_a_closure():
    def factory():
        Pair = namedtuple("Pair", ["a", "b"], defaults=[10])

        @njit
        def f(v):
            c = Pair(v)
            return c, Pair(b=v, a=2 * v), c.a + c.b
        return f, Pair
    f, Pair = factory()
    for v in range(-5, 5):
        r = check_nt(f, v)
        assert type(r[0]) is Pair


def test_typeof_spells_numba_names():
    assert str(pyjit.typeof(Point(1, 2))) == "Point(int64 x 2)"
    assert str(pyjit.typeof(Point(1, 2.5))) == "Point(int64, float64)"
    b = Box(Point(1, 2), Point(3, 4), np.zeros(2))
    assert str(pyjit.typeof(b)) == \
        "Box(Point(int64 x 2), Point(int64 x 2), array(float64, 1d, C), int64)"
    swap(Point(1, 2))
    assert ("Point(int64 x 2)",) in [tuple(map(str, s)) for s in swap.signatures]


@njit
def unknown_field(p):
    return p.z


@njit
def too_many(a):
    return Point(a, a, a)


@njit
def missing(a):
    return Point(a)


@njit
def unexpected(a):
    return Point(a, z=a)


@njit
def variable_index(p, i):
    return p[i]


@njit
def with_plain_tuple(flag):
    return Point(1, 2) if flag else (1, 2)


@pytest.mark.parametrize("f, args, message", [
    (unknown_field, (Point(1, 2),), "Unknown attribute 'z' of type Point(int64 x 2)"),
    (too_many, (1,), "Point.__new__() takes 3 positional arguments but 4 were given"),
    (missing, (1,), "Point.__new__() missing 1 required positional argument: 'y'"),
    (unexpected, (1,), "Point.__new__() got an unexpected keyword argument 'z'"),
    (variable_index, (Point(1, 2.5), 0),
     "cannot index the heterogeneous tuple Point(int64, float64)"),
    (with_plain_tuple, (True,), "Cannot unify"),
])
def test_errors_name_the_namedtuple(f, args, message):
    with pytest.raises(pyjit.TypingError) as ei:
        f(*args)
    assert message in str(ei.value)


def test_variable_index_of_uniform_namedtuple():
    for i in range(-2, 2):
        check(variable_index, Point(3, 4), i)
    check(variable_index, Point(3, 4), 2)       # IndexError, as Python


def test_memory_flat():
    @njit
    def churn(n):
        t = 0.0
        for i in range(n):
            b = Box(Point(1.0, 2.0), Point(2.0, 3.0), np.ones(1000))
            t += b.data[0]
        return b

    def rss():
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    churn(10)
    before = rss()
    for _ in range(5):
        churn(4000)
    assert rss() - before < 8 * 2 ** 20


SCRIPT = """
import json, sys
from collections import namedtuple
import pyjit
P = namedtuple("P", sys.argv[1])

@pyjit.njit(cache=True)
def f(a):
    p = P(a, 10)
    return p.x - p.y

print(json.dumps([f(1), sum(f.stats.cache_hits.values())]))
"""


def test_cache_keys_the_fields(tmp_path):
    path = tmp_path / "nt_cache.py"
    path.write_text(textwrap.dedent(SCRIPT))
    env = dict(os.environ, PYTHONPATH=ROOT)

    def run(fields):
        out = subprocess.run([sys.executable, str(path), fields], env=env,
                             capture_output=True, text=True, check=True).stdout
        return out.strip()
    assert run("x y") == "[-9, 0]"
    assert run("x y") == "[-9, 1]"
    assert run("y x") == "[9, 0]"      # other fields: another key


def test_type_classes_as_numba_has_them():
    from pyjit import types
    t, u = pyjit.typeof(Point(1, 2)), pyjit.typeof(Point(1, 2.5))
    assert isinstance(t, types.NamedUniTuple) and isinstance(t, types.BaseTuple)
    assert isinstance(u, types.NamedTuple) and isinstance(u, types.BaseNamedTuple)
    assert not isinstance(t, types.UniTuple) and not isinstance(u, types.Tuple)
    assert not isinstance(pyjit.typeof((1, 2)), types.BaseNamedTuple)
    assert t.instance_class is Point and pyjit.typeof((1, 2)).instance_class is None
    assert types.NamedUniTuple(types.int64, 2, Point) is t
    assert types.NamedTuple((types.int64, types.float64), Point) is u
