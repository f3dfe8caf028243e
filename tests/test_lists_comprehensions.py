"""List comprehensions (nested, filtered, with their own variables) and
generator expressions as the argument of sum, min, max, any, all, against
the plain Python function over generated inputs."""
import hypothesis.strategies as st
import pytest
from hypothesis import given

import pyjit
from difftest import FEW, assert_compiled

small = st.integers(-50, 50)


def check(f, *args):
    expected = f.py_func(*args)
    actual = f(*args)
    assert actual == expected and type(actual) is type(expected)
    assert_compiled(f)


@pyjit.njit
def comprehensions(n, k):
    x = -1
    squares = [x * x for x in range(n)]
    evens = [x for x in squares if x % 2 == 0 if x > k]
    pairs = [(i, j) for i in range(n) for j in range(i) if (i + j) % 3 != 0]
    nested = [[i * j for j in range(3)] for i in range(n)]
    floats = [v / 2 for v in squares]
    unpacked = [a - b for a, b in pairs]
    return squares, evens, pairs, nested, floats, unpacked, x


@given(st.integers(0, 12), small)
@FEW
def test_list_comprehensions(n, k):
    check(comprehensions, n, k)


@pyjit.njit
def reductions(xs, k):
    l = list(xs)
    return (sum(x * 2 for x in l), sum(x / 4 for x in l if x > k),
            max(x - k for x in l), min(abs(x) for x in l),
            any(x > k for x in l), all(x > k for x in l),
            sum(l), max(l), min(l), any(l), all(l),
            [v for v in reversed(l)])


@given(st.lists(small, min_size=1, max_size=10), small)
@FEW
def test_generator_reductions(xs, k):
    check(reductions, xs, k)


@pyjit.njit
def empty_max(n):
    return max(x for x in range(n))


def test_max_of_nothing_as_cpython():
    with pytest.raises(ValueError) as python:
        empty_max.py_func(0)
    with pytest.raises(ValueError) as compiled:
        empty_max(0)
    assert str(compiled.value) == str(python.value)


@pyjit.njit
def dict_and_set_comprehensions(n, k):
    x = -1
    squares = {x: x * x for x in range(n) if x != k}
    pairs = {(i, j): i - j for i in range(n) for j in range(i)}
    residues = {x % 7 for x in range(n)}
    sums = {a + b for (a, b) in pairs if a > k}
    return squares, pairs, residues, sums, x


@given(st.integers(0, 30), small)
@FEW
def test_dict_and_set_comprehensions(n, k):
    check(dict_and_set_comprehensions, n, k)
    squares = dict_and_set_comprehensions(n, k)[0]
    assert list(squares) == list(dict_and_set_comprehensions.py_func(n, k)[0])
