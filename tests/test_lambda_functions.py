"""A lambda compiled by itself: njit(lambda x: ...), and the lambda an
@overload returns for its implementation (the spelling of Numba's
extension examples), against the plain lambda."""
import math

import numpy as np
import pytest
from hypothesis import given

from pyjit import njit
from pyjit.errors import UnsupportedError
from pyjit.extending import overload

from difftest import FEW, assert_compiled, assert_same, mod_floats, small_ints


def scale(x, k):
    raise NotImplementedError


@overload(scale)
def ov_scale(x, k):
    if str(k) == "float64":
        return lambda x, k: x * k + 0.5
    return lambda x, k: x * k


@njit
def use_scale(x, i, f):
    return scale(x, i), scale(x, f)


affine = njit(lambda a, b=2: a * b + 1)
twice, halve = njit(lambda x: x * 2), njit(lambda x: x / 2)
nested = njit(lambda v: sum([math.sqrt(abs(e)) for e in v]) if len(v) else 0.0)


@FEW
@given(x=mod_floats, i=small_ints, f=mod_floats)
def test_overload_returning_lambdas(x, i, f):
    assert use_scale(x, i, f) == (x * i, x * f + 0.5)
    assert_compiled(use_scale)


@FEW
@given(a=small_ints, b=small_ints, x=mod_floats)
def test_lambdas_by_themselves(a, b, x):
    assert_same(affine(a), affine.py_func(a))
    assert_same(affine(a, b), affine.py_func(a, b))
    assert_same(twice(x), x * 2)            # two lambdas on one line
    assert_same(halve(x), x / 2)
    for f in (affine, twice, halve):
        assert_compiled(f)


def _returns(f):
    return lambda decorated: lambda: f


# Lambdas where a statement does not start: in a decorator's arguments, in
# a class body, on the continuation lines of a long statement.
@_returns(njit(lambda y: y - 3))
def decorated():
    pass


class Holder:
    cube = njit(lambda c: c * c * c)


spread = (
    1,
    njit(
        lambda s, t: s * 10 + t),
)


def test_lambdas_inside_other_statements():
    assert decorated()(5) == 2
    assert Holder.cube(3) == 27
    assert spread[1](4, 2) == 42
    for f in (decorated(), Holder.cube, spread[1]):
        assert_compiled(f)


def test_lambda_over_an_array():
    for n in (0, 1, 5):
        v = np.linspace(-2.0, 3.0, n)
        assert nested(v) == nested.py_func(v)


def test_lambda_without_source_says_so():
    made = eval("lambda x: x + 1")
    made.__code__ = made.__code__.replace(co_filename="<no source>")
    with pytest.raises(UnsupportedError, match="lambda"):
        njit(made)(1)
