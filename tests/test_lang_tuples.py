"""Differential tests: tuples (build, index, unpack, swap, len, iterate, pass/return,
comparison, membership)."""
import math
import re

import hypothesis.strategies as st
import pytest
from hypothesis import given

from difftest import (FEW, SETTINGS, any_floats, assert_compiled, check, int64s,
                      mod_floats, return_type, small_ints)
from pyjit import njit


@njit
def build(a, b, c):
    return (a, b, c)


@njit
def build_mixed(a, x):
    return (a, x, a > 0, (a, a + 1))


@njit
def index_const(t):
    return t[0] + t[2] * 2 - t[-1]


@njit
def index_var(t, i):
    return t[i]


@njit
def index_var_sum(a, b, c, d):
    t = (a, b, c, d)
    s = 0
    for i in range(4):
        s += t[i] * (i + 1)
    for i in range(-4, 0):
        s -= t[i]
    return s


@njit
def unpack(t):
    a, b, c = t
    return c * 100 + b * 10 + a


@njit
def unpack_nested(t):
    (a, b), c = t
    return a - b + c


@njit
def swap(a, b):
    a, b = b, a
    return a, b


@njit
def rotate(a, b, c):
    a, b, c = b, c, a
    return a * 100 + b * 10 + c


@njit
def fib_pair(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


@njit
def length(t):
    return len(t)


@njit
def iterate(t):
    s = 0
    k = 1
    for v in t:
        s += v * k
        k += 1
    return s


@njit
def iterate_float(t):
    s = 0.0
    for v in t:
        s = s * 0.5 + v
    return s


@njit
def return_tuple(a, b):
    return a + b, a - b, a * b


@njit
def pass_tuple(t):
    return return_tuple(t[0], t[1])


@njit
def identity(t):
    return t


@njit
def t_eq(s, t):
    return s == t


@njit
def t_ne(s, t):
    return s != t


@njit
def t_lt(s, t):
    return s < t


@njit
def t_le(s, t):
    return s <= t


@njit
def t_gt(s, t):
    return s > t


@njit
def t_ge(s, t):
    return s >= t


@njit
def contains(x, t):
    return x in t


@njit
def not_contains(x, t):
    return x not in t


@njit
def contains_literal(x):
    return x in (1, 3, 5, 7)


@njit
def tuple_in_loop(n):
    best = (0, 0)
    for i in range(n):
        cand = (i % 7, -i)
        if cand > best:
            best = cand
    return best


tuples3 = st.tuples(int64s, int64s, int64s)
small3 = st.tuples(small_ints, small_ints, small_ints)


@SETTINGS
@given(a=int64s, b=int64s, c=int64s, x=any_floats)
def test_build_and_return(a, b, c, x):
    check(build, a, b, c)
    check(build, a, x, True)
    check(build_mixed, a, x)


@SETTINGS
@given(t=tuples3)
def test_index_const(t):
    check(index_const, t)


@SETTINGS
@given(t=small3, i=st.integers(-3, 2))
def test_index_var(t, i):
    check(index_var, t, i)


@SETTINGS
@given(t=st.tuples(mod_floats, mod_floats, mod_floats, mod_floats), i=st.integers(-4, 3))
def test_index_var_float(t, i):
    check(index_var, t, i)


@FEW
@given(t=small3, i=st.one_of(st.integers(3, 100), st.integers(-100, -4)))
def test_index_var_out_of_range(t, i):
    check(index_var, t, i)  # IndexError: tuple index out of range


@SETTINGS
@given(a=int64s, b=int64s, c=int64s, d=int64s)
def test_index_var_loop(a, b, c, d):
    check(index_var_sum, a, b, c, d)


@SETTINGS
@given(t=small3, u=st.tuples(st.tuples(small_ints, small_ints), small_ints))
def test_unpack(t, u):
    check(unpack, t)
    check(unpack_nested, u)


@SETTINGS
@given(a=int64s, b=any_floats, c=small_ints)
def test_swap(a, b, c):
    check(swap, a, c)
    # a variable assigned an int and a float is float64 (unification): compare values
    check(swap, a % 1000, b, strict_type=False)
    check(rotate, a % 10, b if math.isfinite(b) else 1.0, c, strict_type=False)


@SETTINGS
@given(n=st.integers(0, 150))
def test_swap_loop(n):
    check(fib_pair, n)


def test_len():
    assert length((1, 2, 3)) == 3
    assert length((1, 2.5)) == 2
    assert length(()) == 0
    assert length(((1, 2), 3.0, True, 4j)) == 4
    assert type(length((1,))) is int
    assert_compiled(length)


@SETTINGS
@given(t=st.one_of(st.tuples(int64s), st.tuples(int64s, int64s), tuples3,
                   st.tuples(int64s, int64s, int64s, int64s, int64s)))
def test_iterate_int(t):
    check(iterate, t)


@SETTINGS
@given(t=st.tuples(any_floats, any_floats, any_floats))
def test_iterate_float(t):
    check(iterate_float, t)


def test_iterate_empty():
    assert iterate(()) == 0


@SETTINGS
@given(a=int64s, b=int64s)
def test_pass_and_return_tuples(a, b):
    check(return_tuple, a, b)
    check(pass_tuple, (a, b))
    check(identity, (a, (b, float(a % 1000)), True))


def test_return_tuple_types():
    return_tuple(1, 2)
    return_tuple(1.0, 2)
    assert return_type(return_tuple, "int64", "int64") == "UniTuple(int64 x 3)"
    assert return_type(return_tuple, "float64", "int64") == "UniTuple(float64 x 3)"
    identity((1, 2.5))
    assert return_type(identity, "Tuple(int64, float64)") == "Tuple(int64, float64)"


COMPARE = [t_eq, t_ne, t_lt, t_le, t_gt, t_ge]
tiny = st.integers(-2, 2)


@pytest.mark.parametrize("f", COMPARE, ids=lambda f: f.__name__)
@SETTINGS
@given(s=st.tuples(tiny, tiny, tiny), t=st.tuples(tiny, tiny, tiny))
def test_tuple_compare(f, s, t):
    check(f, s, t)
    check(f, s, s)


@pytest.mark.parametrize("f", COMPARE, ids=lambda f: f.__name__)
@FEW
@given(s=st.tuples(tiny, st.floats(-2, 2)), t=st.tuples(tiny, st.floats(-2, 2)))
def test_tuple_compare_heterogeneous(f, s, t):
    check(f, s, t)


@pytest.mark.parametrize("f", [t_eq, t_ne, t_lt], ids=lambda f: f.__name__)
@FEW
@given(s=st.tuples(tiny, tiny), t=st.tuples(tiny, tiny, tiny))
def test_tuple_compare_different_lengths(f, s, t):
    check(f, s, t)
    check(f, t, s)


@pytest.mark.parametrize("f", [contains, not_contains], ids=lambda f: f.__name__)
@SETTINGS
@given(x=tiny, t=st.tuples(tiny, tiny, tiny))
def test_contains(f, x, t):
    check(f, x, t)


@SETTINGS
@given(x=st.integers(-2, 10), y=any_floats)
def test_contains_mixed(x, y):
    check(contains_literal, x)
    check(contains, y, (1.0, 2.5, -0.0))
    check(contains, x, (1.0, 2.5, -0.0))


@SETTINGS
@given(n=st.integers(0, 60))
def test_tuple_variable_in_loop(n):
    check(tuple_in_loop, n)


@njit
def unify_tuples(c):
    t = (1, 2)
    if c:
        t = (1.5, 2.0)
    return t


@njit
def zip_tuples(a, b):
    s = 0.0
    for x, y in zip((a, b, a), (1.5, 2.5)):
        s += x * y
    return s


@njit
def enumerate_float_tuple(x):
    s = 0.0
    for i, v in enumerate((x, x * 2, x * 3)):
        s += i * v
    return s


@njit
def fib_tuple(n):
    if n == 0:
        return (0, 1)
    a, b = fib_tuple(n - 1)
    return (b, a + b)


@njit
def nested_index(t, i, j):
    return t[i][j]


def test_tuple_type_unification():
    # UniTuple(int64 x 2) and UniTuple(float64 x 2) unify to UniTuple(float64 x 2)
    assert unify_tuples(True) == (1.5, 2.0)
    r = unify_tuples(False)
    assert r == (1.0, 2.0) and all(type(v) is float for v in r)
    assert return_type(unify_tuples, "bool") == "UniTuple(float64 x 2)"


@SETTINGS
@given(a=small_ints, b=small_ints, x=mod_floats)
def test_zip_enumerate_tuples(a, b, x):
    check(zip_tuples, a, b)
    check(enumerate_float_tuple, x)


@FEW
@given(n=st.integers(0, 90), i=st.integers(-2, 1), j=st.integers(-2, 1))
def test_recursive_tuple_and_nested_index(n, i, j):
    check(fib_tuple, n)
    check(nested_index, ((1, 2), (3, 4)), i, j)


# --- constant slices ------------------------------------------------------------

@njit
def slices(t):
    return t[1:], t[::-1], t[:2], t[-2:], t[::2], t[5:], t[1:3][0], t[-1:0:-2]


@SETTINGS
@given(a=small_ints, b=small_ints, c=small_ints, x=any_floats)
def test_constant_slices(a, b, c, x):
    check(slices, (a, b, c, x))
    check(slices, (a, b, c, a))
    assert_compiled(slices)


def test_slice_with_variable_bound_is_a_typing_error():
    import pyjit

    @njit
    def var_slice(t, k):
        return t[:k]

    with pytest.raises(pyjit.TypingError, match="only with constant bounds"):
        var_slice((1, 2, 3), 1)


# --- t.index(x) and t.count(x) -------------------------------------------------

@njit
def index_and_count(t, x):
    try:
        i = t.index(x)
    except ValueError:
        i = -1
    return i, t.count(x)


@SETTINGS
@given(st.lists(st.integers(-3, 3), min_size=1, max_size=6).map(tuple),
       st.integers(-4, 4))
def test_index_and_count_of_a_tuple_of_numbers(t, x):
    assert index_and_count(t, x) == index_and_count.py_func(t, x)
    assert index_and_count(t, float(x)) == index_and_count.py_func(t, float(x))
    assert_compiled(index_and_count)


@njit
def mixed_index():
    t = (1, 2.5, "a", 1.0, "a")
    return t.index("a"), t.index(2.5), t.count(1), t.count("a"), t.count("b")


def test_index_and_count_of_a_heterogeneous_tuple():
    # each item compared with x as Python compares them: 1 == 1.0
    assert mixed_index() == mixed_index.py_func() == (2, 1, 2, 2, 0)


@njit
def index_of(t, x):
    return t.index(x)


def test_index_of_a_missing_item_is_pythons_value_error():
    with pytest.raises(ValueError) as want:
        index_of.py_func((1, 2), 3)
    with pytest.raises(ValueError, match=re.escape(str(want.value))):
        index_of((1, 2), 3)
