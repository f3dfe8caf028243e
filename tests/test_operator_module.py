"""Python's operator module in compiled code, as Numba supports it: each
function is its operator for the operands' types (numbers, arrays,
strings, tuples, lists), the in-place ones update what they are given,
and division by zero raises as the operator does.  Compared with the
plain Python function."""
import operator

import numpy as np
import pytest
from hypothesis import given, strategies as st

from pyjit import njit

from difftest import FEW, assert_compiled

BINARY = [operator.add, operator.sub, operator.mul, operator.truediv,
          operator.floordiv, operator.mod, operator.pow, operator.eq,
          operator.ne, operator.lt, operator.le, operator.gt, operator.ge,
          operator.and_, operator.or_, operator.xor, operator.lshift,
          operator.rshift]
UNARY = [operator.neg, operator.pos, operator.invert, operator.inv,
         operator.not_, operator.truth, operator.abs]


def make_binary(op):
    def f(a, b):
        return op(a, b)
    return njit(f)


def make_unary(op):
    def f(a):
        return op(a)
    return njit(f)


@pytest.mark.parametrize("op", BINARY, ids=lambda op: op.__name__)
@given(st.integers(-50, 50), st.integers(1, 6))
@FEW
def test_binary_functions_on_ints(op, a, b):
    f = make_binary(op)
    assert f(a, b) == f.py_func(a, b)
    assert_compiled(f)


@pytest.mark.parametrize("op", BINARY[:12], ids=lambda op: op.__name__)
@given(st.floats(-1e3, 1e3), st.floats(0.5, 1e2))
@FEW
def test_binary_functions_on_floats(op, a, b):
    if op is operator.pow:
        a = abs(a)
    f = make_binary(op)
    assert f(a, b) == f.py_func(a, b)


@pytest.mark.parametrize("op", UNARY, ids=lambda op: op.__name__)
@given(st.integers(-1000, 1000))
@FEW
def test_unary_functions(op, a):
    f = make_unary(op)
    assert f(a) == f.py_func(a)
    assert_compiled(f)


def test_array_operands_broadcast_as_the_operators_do():
    f, g = make_binary(operator.gt), make_binary(operator.mul)
    a = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(f(a, 2.5), a > 2.5)
    np.testing.assert_array_equal(g(a, np.arange(3.0)), a * np.arange(3.0))


# sparse/numba_backend/_coo/common.py, _compute_minmax_args: the
# comparison picked by a flag, applied to arrays
@njit
def compare_by_flag(data, fill, max_mode):
    return operator.gt(data, fill) if max_mode else operator.lt(data, fill)


def test_a_comparison_picked_by_a_flag():
    data = np.array([0.5, 2.0, -1.0])
    for flag in (True, False):
        np.testing.assert_array_equal(compare_by_flag(data, 0.0, flag),
                                      compare_by_flag.py_func(data, 0.0,
                                                              flag))
    assert_compiled(compare_by_flag)


@njit
def items_and_membership(t, s, l, k):
    return (operator.getitem(t, k), operator.contains(t, 3),
            operator.concat(s, "!"), operator.getitem(s, k),
            operator.contains(l, k), operator.is_(None, None),
            operator.is_not(k, None))


def test_items_membership_and_strings():
    args = ((1, 2, 3), "abc", [4, 5], 1)
    assert items_and_membership(*args) == items_and_membership.py_func(*args)


@njit
def update_in_place(l, a):
    operator.setitem(l, 0, 9)
    operator.iadd(l, [7])
    operator.delitem(l, 1)
    operator.imul(a, 2.0)
    operator.isub(a, 1.0)
    return l, a


def test_in_place_functions_update_what_they_are_given():
    a = np.arange(3.0)
    l, b = update_in_place([1, 2, 3], a)
    assert l == [9, 3, 7]
    assert b is not None and np.array_equal(a, [-1.0, 1.0, 3.0])


def test_division_by_zero_raises_as_the_operator_does():
    f, g = make_binary(operator.truediv), make_binary(operator.mod)
    with pytest.raises(ZeroDivisionError):
        f(1.0, 0.0)
    with pytest.raises(ZeroDivisionError):
        g(3, 0)
