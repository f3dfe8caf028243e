"""Comparing jitted functions passed as values (`dist == alternative_dot`
in pynndescent): each function has a type of its own, so == != is and is
not are known when the caller compiles, and give Python's answers."""
from hypothesis import given
from hypothesis import strategies as st

from pyjit import njit

from difftest import FEW, assert_compiled


@njit
def inc(x):
    return x + 1


@njit
def dbl(x):
    return x * 2


@njit
def neg(x):
    return -x


def classify_py(f, x):
    if f == inc or f is dbl:
        return f(x), f != dbl, f is not inc
    return -f(x), f == neg, f is neg


classify = njit(classify_py)


@FEW
@given(which=st.integers(0, 2), x=st.integers(-1000, 1000))
def test_function_identity_as_python(which, x):
    f = (inc, dbl, neg)[which]
    assert classify(f, x) == classify_py(f, x)
    assert_compiled(classify)
