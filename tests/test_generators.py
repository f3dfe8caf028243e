"""Generator functions (`yield`) in nopython mode, differential against
Python: iterated by compiled code (for loops, list(), sum()) and, called
from Python, as iterator objects."""
import os

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import pyjit
from pyjit import njit
from difftest import FEW, SETTINGS, assert_compiled, check


class MyError(ValueError):
    pass


@njit
def squares(n):
    for i in range(n):
        yield i * i


@njit
def several(n, x):
    yield x
    i = 0
    while i < n:
        if i % 3 == 0:
            yield x + i * 0.5
        i += 1
    yield -x


@njit
def strings(n):
    yield "start"
    for i in range(n):
        yield str(i) * 2
    yield "end"


@njit
def pairs(n):
    for i in range(n):
        yield i, i * 2.5


@njit
def fails_at(n, k):
    for i in range(n):
        if i == k:
            raise MyError(f"item {i} fails")
        yield i


@njit
def empty(n):
    if n > 1000:
        yield n


@njit
def for_loop(n):
    s = 0
    for x in squares(n):
        s += x
    return s


@njit
def to_list(n, x):
    return list(several(n, x))


@njit
def summed(n):
    return sum(squares(n)) + sum(x for x in squares(n))


@njit
def nested(n):
    out = []
    for a in squares(n):
        for b, c in pairs(a % 4):
            out.append(a + b + c)
    return out


@njit
def with_break(n, stop):
    s = 0
    for x in squares(n):
        if x > stop:
            break
        s += x
    return s


@njit
def catches(n, k):
    got = []
    try:
        for x in fails_at(n, k):
            got.append(x)
    except MyError as e:
        got.append(-len(str(e)))
    return got


@njit
def joined(n):
    s = ""
    for t in strings(n):
        s += t + ","
    return s


@given(st.integers(0, 30), st.integers(-5, 40))
@SETTINGS
def test_iterated_by_compiled_code(n, k):
    check(for_loop, n)
    check(summed, n)
    check(with_break, n, k)
    check(catches, n, k)
    check(nested, n % 8)
    check(joined, n % 5)


@given(st.integers(0, 20), st.floats(-1e6, 1e6))
@FEW
def test_list_of_a_generator(n, x):
    check(to_list, n, x)


def python_values(f, *args):
    """The items of f's generator, and the exception that ended it."""
    items = []
    try:
        for v in f(*args):
            items.append(v)
    except Exception as e:  # noqa: BLE001
        return items, (type(e), str(e))
    return items, None


@given(st.integers(0, 20), st.integers(-2, 25))
@FEW
def test_called_from_python_is_an_iterator(n, k):
    for f, args in ((squares, (n,)), (several, (n, 1.5)), (strings, (n,)),
                    (pairs, (n,)), (fails_at, (n, k)), (empty, (n,))):
        g = f(*args)
        assert iter(g) is g
        assert python_values(f, *args) == python_values(f.py_func, *args)
        assert_compiled(f)


def test_a_finished_generator_stays_finished():
    g = fails_at(5, 1)
    assert next(g) == 0
    with pytest.raises(MyError, match="item 1 fails"):
        next(g)
    assert list(g) == []


@njit
def keeps_arrays(a, n):
    b = a.copy()
    for i in range(n):
        b = b + i
        yield b


def test_yielded_arrays_are_their_own():
    a = np.arange(3.0)
    got = list(keeps_arrays(a, 3))
    want = list(keeps_arrays.py_func(a, 3))
    assert len(got) == len(want)
    for x, y in zip(got, want):
        np.testing.assert_array_equal(x, y)


@njit
def returns_generator(n):
    return strings(n)


def test_generator_returned_by_a_jitted_function():
    assert list(returns_generator(2)) == ["start", "00", "11", "end"]


def test_generator_return_value_is_refused():
    @njit
    def f(n):
        yield n
        return n

    with pytest.raises(pyjit.UnsupportedError,
                       match="return of a value from a generator"):
        f(1)


def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@njit
def abandoned(a, n):
    s = 0.0
    for _ in range(n):
        for x in keeps_arrays(a, 10):
            s += x[0]
            if x[0] > 2:
                break
    return s


def test_abandoned_generators_release_their_frames():
    a = np.arange(4.0)
    assert abandoned(a, 3) == abandoned.py_func(a, 3)
    abandoned(a, 100_000)
    before = rss()
    abandoned(a, 300_000)
    for _ in range(20_000):
        g = keeps_arrays(a, 5)
        next(g)
        del g
    assert rss() - before < (2 << 20)


# porespy's networks/_getnet_para.py: a generator compiled for a signature
# whose return type is what it yields, as Numba reads it
@njit("i8(i8)")
def counting_then_minus_one(x):
    i = 1
    while i <= x:
        yield i
        i += 1
    while True:
        yield pyjit.types.int32(-1)


@njit("f8(i8)")
def as_floats(n):
    for i in range(n):
        yield i


@njit
def take(n, k):
    g = counting_then_minus_one(n)
    return [next(g) for _ in range(k)]


@FEW
@given(n=st.integers(0, 6), k=st.integers(0, 10))
def test_signature_names_the_yielded_type(n, k):
    expected = [i for i in range(1, n + 1)][:k] + [-1] * max(0, k - n)
    g = counting_then_minus_one(n)
    assert [next(g) for _ in range(k)] == expected
    assert take(n, k) == expected
    got = list(as_floats(n))
    assert got == [float(i) for i in range(n)]
    assert all(type(v) is float for v in got)
    assert_compiled(take)
