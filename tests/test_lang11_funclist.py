"""A list of jitted functions widened by append: `fs = [f]; fs.append(g)`
holds the set of them (a FunctionSet list), as Numba's first-class
functions allow.  Differential against the plain Python functions, each
checked to have compiled in nopython mode."""
import pytest
from hypothesis import given, settings, strategies as st

from pyjit import njit
from pyjit.errors import LoweringError, TypingError
from difftest import check


@njit
def inc(x):
    return x + 1


@njit
def dbl(x):
    return x * 2


@njit
def neg(x):
    return 7 - x


@njit
def two(x):
    fs = [inc]
    fs.append(dbl)
    s = 0
    for h in fs:
        s += h(x)
    return s


@njit
def grown(x, n):
    fs = [inc]
    for i in range(n):
        if i % 3 == 0:
            fs.append(dbl)
        elif i % 3 == 1:
            fs.append(neg)
        else:
            fs.append(inc)
    s = 0
    for h in fs:
        s = h(s + x)
    return s, len(fs)


@njit
def picked(x, i):
    fs = [dbl]
    fs.append(neg)
    fs.append(inc)
    return fs[i](x)


@njit
def same_function(x):
    fs = [inc]
    fs.append(inc)
    return fs[0](x) + fs[1](x)


@settings(max_examples=60, deadline=None)
@given(st.integers(-10**6, 10**6), st.integers(0, 12))
def test_appended_functions_are_called(x, n):
    check(two, x)
    check(grown, x, n)
    check(picked, x, n % 3)
    check(same_function, x)


def test_list_returned_holds_the_functions():
    @njit
    def make():
        fs = [inc]
        fs.append(dbl)
        return fs
    assert [f.py_func for f in make()] == [inc.py_func, dbl.py_func]


def test_lists_of_different_functions_do_not_meet():
    @njit
    def branch(c, x):
        fs = [inc] if c else [dbl]
        return fs[0](x)
    with pytest.raises((LoweringError, TypingError), match="list of functions"):
        branch(True, 3)
