"""Dicts in nopython mode: hash() as CPython computes it, dict displays and
dict(), every operation against the plain Python function (insertion order
after deletes and re-inserts included), KeyError as CPython words it, the
boundary with Python, and memory that stays flat over many calls."""
import math

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given

import pyjit
from pyjit import jit
from pyjit.typed import Dict

from difftest import FEW, SETTINGS, assert_compiled, check, int64s

# --- hash() ---------------------------------------------------------------


@jit(nopython=True)
def hash_of(x):
    return hash(x)


floats_no_nan = st.one_of(
    st.floats(allow_nan=False),
    st.sampled_from([0.0, -0.0, 1.0, -1.0, 0.5, 1e300, -1e-300, 2.0 ** 61,
                     2.0 ** 62, float(2 ** 61 - 1), 1e16 + 1.0]),
)
scalars = st.one_of(int64s, floats_no_nan, st.booleans())


@SETTINGS
@given(scalars)
def test_hash_of_numbers_is_cpythons(x):
    assert hash_of(x) == hash(x)
    assert_compiled(hash_of)


@FEW
@given(st.tuples(int64s, floats_no_nan, st.booleans()))
def test_hash_of_tuples_is_cpythons(t):
    assert hash_of(t) == hash(t)
    assert hash_of((t, t[0])) == hash((t, t[0]))
    assert_compiled(hash_of)


def test_hash_of_equal_numbers_agrees():
    for v in (1, 1.0, True):
        assert hash_of(v) == hash(1)
    assert hash_of(-1) == -2 == hash_of(-1.0)
    assert hash_of(float("inf")) == hash(float("inf"))
    assert hash_of(np.float32(0.5)) == hash(0.5)
    assert hash_of(np.uint64(2 ** 64 - 1)) == hash(2 ** 64 - 1)
    assert hash_of(np.int8(-1)) == -2
    assert hash_of(1 + 2j) == hash(1 + 2j)


def test_hash_of_an_array_is_refused():
    with pytest.raises(pyjit.TypingError, match="not hashable"):
        hash_of(np.zeros(2))


# --- a program of dict operations, compiled and interpreted -----------------

SET, DEL, POP, GET, SETDEFAULT, POPITEM, CONTAINS, ITERATE = range(8)


@jit(nopython=True)
def run_program(ops, keys, values):
    d = {}
    acc = 0
    for i in range(len(ops)):
        op, k, v = ops[i], keys[i], values[i]
        if op == 0:
            d[k] = v
        elif op == 1:
            if k in d:
                del d[k]
        elif op == 2:
            acc += d.pop(k, -1)
        elif op == 3:
            acc += d.get(k, 7)
        elif op == 4:
            acc += d.setdefault(k, v)
        elif op == 5:
            if len(d) > 0:
                kk, vv = d.popitem()
                acc += kk * 3 + vv
        elif op == 6:
            if k not in d:
                acc += 1
        else:
            for kk, vv in d.items():
                acc = (acc * 31 + kk * 7 + vv) % 1000000007
    return d, acc


programs = st.lists(st.tuples(st.integers(0, 7), st.integers(-12, 12),
                              st.integers(-1000, 1000)), max_size=60)


def as_arrays(prog):
    cols = list(zip(*prog)) if prog else [(), (), ()]
    return tuple(np.array(c, dtype=np.int64) for c in cols)


@SETTINGS
@given(programs)
def test_dict_operations_match_python(prog):
    ops, keys, values = as_arrays(prog)
    got_d, got_acc = run_program(ops, keys, values)
    want_d, want_acc = run_program.py_func(ops, keys, values)
    assert type(got_d) is Dict
    assert list(got_d.items()) == list(want_d.items())   # insertion order
    assert got_acc == want_acc
    assert_compiled(run_program)


@jit(nopython=True)
def churn(n, step):
    # Deletes and re-inserts in a table that grows and is rebuilt.
    d = {}
    for i in range(n):
        d[i % 37] = i
        if i % step == 0 and (i * 7) % 37 in d:
            del d[(i * 7) % 37]
    order = 0
    for k in d:
        order = order * 41 % 1000003 + k
    return d, order


@FEW
@given(st.integers(0, 400), st.integers(1, 5))
def test_churn(n, step):
    check(churn, n, step)


@jit(nopython=True)
def reinsert(n):
    d = {}
    for i in range(n):
        d[i] = i
    for i in range(0, n, 2):
        del d[i]
    for i in range(0, n, 4):
        d[i] = -i
    return d


@FEW
@given(st.integers(0, 300))
def test_order_after_deletes_and_reinserts(n):
    check(reinsert, n)
    assert list(reinsert(n)) == list(reinsert.py_func(n))


# --- keys and values of every kind -----------------------------------------


@jit(nopython=True)
def float_keys(xs):
    d = {}
    for x in xs:
        d[x] = d.get(x, 0) + 1
    return d


@FEW
@given(st.lists(st.sampled_from([0.0, -0.0, 1.5, -2.25, 1e300, 3.0,
                                 float("inf")]), max_size=30))
def test_float_keys(xs):
    a = np.array(xs, dtype=np.float64)
    assert list(float_keys(a).items()) == list(float_keys.py_func(a).items())
    assert_compiled(float_keys)


@jit(nopython=True)
def tuple_keys(xs, ys):
    d = {}
    for i in range(len(xs)):
        d[(xs[i], ys[i] > 0, ys[i] * 0.5)] = (i, ys[i])
    return d, (xs[0], True, ys[0] * 0.5) in d


@FEW
@given(st.lists(st.tuples(st.integers(-3, 3), st.integers(-3, 3)),
                min_size=1, max_size=30))
def test_tuple_keys_and_values(pairs):
    xs = np.array([p[0] for p in pairs], dtype=np.int64)
    ys = np.array([p[1] for p in pairs], dtype=np.int64)
    got, want = tuple_keys(xs, ys), tuple_keys.py_func(xs, ys)
    assert list(got[0].items()) == list(want[0].items())
    assert got[1] == want[1]
    assert_compiled(tuple_keys)


@jit(nopython=True)
def bool_keys(n):
    d = {True: 1}
    d[False] = 2
    d[n > 0] = 3
    return d, d[True], d.get(False)


def test_bool_keys():
    check(bool_keys, 1)
    check(bool_keys, -1)


@jit(nopython=True)
def array_values(n):
    d = {}
    for i in range(n):
        d[i] = np.arange(i)
    d[0] = np.arange(3) + 5
    total = 0.0
    for v in d.values():
        total += v.sum()
    return d, total


def test_array_values_returned():
    d, total = array_values(5)
    want_d, want_total = array_values.py_func(5)
    assert total == want_total
    assert list(d) == list(want_d)
    for k in d:
        np.testing.assert_array_equal(d[k], want_d[k])
    assert_compiled(array_values)


# --- methods ----------------------------------------------------------------


@jit(nopython=True)
def methods(n):
    d = {1: 1.5, 2: 2.5}
    e = d.copy()
    e[3] = 3.5
    d.update(e)
    f = dict(d)
    f.clear()
    g = d.get(n)
    s = 0.0
    for k in d.keys():
        s += k
    for v in d.values():
        s += v
    return d, e, f, g, s, len(d), bool(f), bool(d), d.pop(n, 9.0)


def test_methods():
    for n in (1, 3, 4):
        check(methods, n)


@jit(nopython=True)
def get_missing(k):
    d = {1: 2}
    return d.get(k)


def test_get_without_default_is_optional():
    check(get_missing, 1)
    check(get_missing, 5)


# --- KeyError ---------------------------------------------------------------


@jit(nopython=True)
def getitem(k):
    d = {1: 2, 3: 4}
    return d[k]


@jit(nopython=True)
def delitem(k):
    d = {(1, 2.5): 2}
    del d[k]
    return len(d)


@jit(nopython=True)
def pop(k):
    d = {1.5: 2}
    return d.pop(k)


@jit(nopython=True)
def popitem(n):
    d = {1: 2}
    for _ in range(n):
        d.popitem()
    return len(d)


def test_key_errors_carry_the_key():
    check(getitem, 3)
    check(getitem, 5)          # KeyError: 5
    check(delitem, (1, 2.5))
    check(delitem, (3, 2.5))   # KeyError: (3, 2.5)
    check(pop, 2.5)
    check(popitem, 2)          # 'popitem(): dictionary is empty'
    with pytest.raises(KeyError) as ei:
        delitem((4, 1.0))
    assert ei.value.args == ((4, 1.0),)


def test_constant_index():
    @jit(nopython=True)
    def f():
        d = {3: 1.0, -1: 2.0}
        return d[3] + d[-1]
    check(f)


# --- typing -----------------------------------------------------------------


def test_empty_dict_typed_from_later_use():
    @jit(nopython=True)
    def f(n):
        d = {}
        for i in range(n):
            d[i] = i * 0.5       # what {i: i * 0.5 for i in ...} becomes
        return d
    check(f, 4)
    assert "DictType[int64,float64]<iv=None>" == str(f.overloads[f.signatures[0]]
                                            .return_type)


def test_empty_dict_never_stored_into():
    @jit(nopython=True)
    def f():
        d = {}
        return len(d)
    with pytest.raises(pyjit.TypingError,
                       match="cannot infer the key and value types"):
        f()


def test_python_dict_argument_is_refused():
    @jit(nopython=True)
    def f(d):
        return len(d)
    with pytest.raises(pyjit.TypingError,
                       match="a Python dict cannot be passed"):
        f({1: 2})


def test_value_of_the_wrong_type():
    @jit(nopython=True)
    def f():
        d = {1: 2}
        d[2] = 1.5
        return d
    with pytest.raises(pyjit.TypingError, match="setitem"):
        f()


# --- memory -----------------------------------------------------------------


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096


@jit(nopython=True)
def build(n):
    d = {}
    for i in range(n):
        d[i] = np.ones(2)
    e = d.copy()
    e.pop(0, np.ones(1))
    return d


@jit(nopython=True)
def build_and_raise(n):
    d = {0: np.ones(2)}
    for i in range(n):
        d[i] = np.zeros(1)
    return d[n + 1]


def test_no_leak_over_many_calls():
    def round_(calls):
        for _ in range(calls):
            build(6)
            try:
                build_and_raise(4)
            except KeyError:
                pass
            churn(40, 3)
    round_(20_000)
    before = rss_bytes()
    round_(70_000)      # 210,000 calls
    grown = rss_bytes() - before
    assert grown < 4 * 2 ** 20, f"RSS grew by {grown} bytes"


@jit(nopython=True)
def nested(n):
    d = {}
    for i in range(n):
        d[i] = {i: 1.5}
    if n > 0:
        d[0][7] = 2.0
    c = {1 + 2j: n}
    return d, c


def test_dicts_of_dicts_and_complex_keys():
    check(nested, 0)
    check(nested, 3)


@jit(nopython=True)
def empty_on_some_paths(c, n):
    if c:
        d = {}
    else:
        d = dict()
    e = {5: 1.5}
    f = {} if c else e
    d[n] = 2.5
    f[n] = 0.5
    a = set()
    b = a
    a = b
    a.add(n)
    return d, f, a


def test_empty_displays_on_several_paths():
    for c in (True, False):
        check(empty_on_some_paths, c, 3)


# --- string constants as keys and values ----------------------------------


@jit(nopython=True)
def pets(n):
    d = {'cat': 'meow', 'dog': 'woof'}
    e = {}
    e['a'] = n
    e['b'] = n + 1
    d['cow'] = 'moo' * n
    return d, e


def test_displays_and_stores_of_string_constants_are_str_dicts():
    # Numba's {'a': 1} is a DictType[unicode_type,int64]
    for n in (0, 2):
        got, want = pets(n), pets.py_func(n)
        assert [dict(g) for g in got] == list(want)
    assert_compiled(pets)
