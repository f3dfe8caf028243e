"""Differential tests: calls (positional/keyword arguments, defaults, *args, calls between
jitted functions, recursion, frozen globals and closures, raise/assert, NumPy scalar and
uint64 argument types)."""
import math

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given

import pyjit
from difftest import (FEW, SETTINGS, any_floats, assert_compiled, bools, check, int64s,
                      mod_floats, return_type, small_ints, wrap64)
from pyjit import njit


# --- arguments ---------------------------------------------------------------------------

@njit
def lin(a, b, c):
    return a * 100 + b * 10 + c


@njit
def defaults(a, b=10, c=2.5):
    return a * b + c


@njit
def int_defaults(a, b=3, c=-1):
    return a * b - c


@njit
def varargs(a, *args):
    s = a
    for x in args:
        s += x
    return s, len(args)


@njit
def varargs_only(*args):
    return args


@njit
def varargs_index(*args):
    return args[0] - args[-1]


@SETTINGS
@given(a=int64s, b=int64s, c=int64s)
def test_positional_and_keyword(a, b, c):
    expected = wrap64(a * 100 + b * 10 + c)
    assert lin(a, b, c) == expected
    assert lin(a, b, c=c) == expected
    assert lin(a, c=c, b=b) == expected
    assert lin(c=c, b=b, a=a) == expected
    assert_compiled(lin)


@SETTINGS
@given(a=small_ints, b=small_ints, c=mod_floats)
def test_defaults(a, b, c):
    check(defaults, a)
    check(defaults, a, b)
    check(defaults, a, b, c)
    check(defaults, a, c=c)
    check(defaults, a=a, c=c, b=b)
    check(int_defaults, a)
    check(int_defaults, a, c=b)


def test_bad_arguments_raise_typeerror():
    with pytest.raises(TypeError):
        lin(1, 2)
    with pytest.raises(TypeError):
        lin(1, 2, 3, 4)
    with pytest.raises(TypeError):
        lin(1, 2, d=3)
    with pytest.raises(TypeError):
        lin(1, 2, 3, a=4)
    assert lin(1, 2, 3) == 123


@SETTINGS
@given(a=int64s, rest=st.lists(int64s, max_size=5))
def test_varargs(a, rest):
    check(varargs, a, *rest)
    if rest:
        check(varargs_only, *rest)
        check(varargs_index, *rest)


def test_varargs_mixed_types():
    check(varargs_only, 1, 2.5, True)
    check(varargs_only)
    assert varargs(1) == (1, 0)
    assert varargs(1, 2.5) == (3.5, 1)


# --- calls between jitted functions ------------------------------------------------------

@njit
def square(x):
    return x * x


@njit
def scale(x, factor=2, offset=0):
    return x * factor + offset


@njit
def sum_squares(a, b):
    return square(a) + square(b)


@njit
def call_with_kwargs(x):
    return scale(x) + scale(x, offset=1) + scale(x, 3, offset=-1) + scale(factor=5, x=x)


@njit
def call_chain(x):
    return sum_squares(x, x + 1) - square(x - 1)


def make_closure_caller(k):
    @njit
    def inner(x):
        return x * k + 1

    @njit
    def outer(x):
        return inner(x) + inner(x + 1)

    return outer


closure_caller = make_closure_caller(7)


# py_func of a caller still calls the *compiled* callees, so keep the values small
# enough that nothing overflows int64 on the Python side
mid_ints = st.integers(-(2 ** 30), 2 ** 30)


@SETTINGS
@given(a=mid_ints, b=mid_ints, x=any_floats)
def test_call_global_jitted(a, b, x):
    check(sum_squares, a, b)
    check(sum_squares, x, a)  # inner function specialized on float64 and int64
    check(call_chain, a)
    check(call_with_kwargs, a)
    check(call_with_kwargs, x)


@SETTINGS
@given(a=mid_ints, x=mod_floats)
def test_call_closure_jitted(a, x):
    check(closure_caller, a)
    check(closure_caller, x)


# --- recursion -----------------------------------------------------------------------------

@njit
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


@njit
def fact(n):
    if n <= 1:
        return 1
    return n * fact(n - 1)


@njit
def is_even(n):
    if n == 0:
        return True
    return is_odd(n - 1)


@njit
def is_odd(n):
    if n == 0:
        return False
    return is_even(n - 1)


@njit
def power_rec(x, n):
    if n == 0:
        return 1.0
    half = power_rec(x, n // 2)
    if n % 2 == 0:
        return half * half
    return half * half * x


@FEW
@given(n=st.integers(-3, 20))
def test_fib(n):
    check(fib, n)


def test_fib_values():
    assert fib(25) == 75025
    assert type(fib(10)) is int
    assert return_type(fib, "int64") == "int64"
    assert_compiled(fib)


@FEW
@given(n=st.integers(-2, 70))
def test_fact_wraps(n):
    check(fact, n)


@FEW
@given(n=st.integers(0, 300))
def test_mutual_recursion(n):
    check(is_even, n)
    check(is_odd, n)


def make_eager_recursive():
    """A function compiled for its signature when decorated, calling itself
    by a name not yet bound (Numba allows it)."""
    @njit("int64(int64, int64)")
    def digit_sum(n, base):
        if n < base:
            return n
        return n % base + digit_sum(n // base, base)
    return digit_sum


eager_digit_sum = make_eager_recursive()


@FEW
@given(n=st.integers(0, 2 ** 62), base=st.integers(2, 40))
def test_recursion_compiled_at_decoration(n, base):
    digit_sum = eager_digit_sum
    expected = 0
    m = n
    while m:
        expected += m % base
        m //= base
    assert digit_sum(n, base) == expected
    assert_compiled(digit_sum)


@FEW
@given(x=st.floats(0.5, 2.0), n=st.integers(0, 60))
def test_recursion_float(x, n):
    r = power_rec(x, n)
    assert math.isclose(r, x ** n, rel_tol=1e-13)
    assert_compiled(power_rec)


# --- globals and closures frozen at compile time -----------------------------------------

G_SCALE = 10
G_FLOAT = 0.5


@njit
def uses_global(x):
    return x * G_SCALE + G_FLOAT


@njit
def uses_global_other(x):
    return x + G_SCALE


def test_global_frozen_at_compile_time():
    global G_SCALE
    assert uses_global(3) == 30.5
    old = G_SCALE
    G_SCALE = 1000
    try:
        assert uses_global(3) == 30.5  # already compiled for int64: the constant stays
        assert uses_global(4) == 40.5
    finally:
        G_SCALE = old
    assert_compiled(uses_global)


@SETTINGS
@given(x=int64s)
def test_global_value(x):
    check(uses_global_other, x)


def make_closure(k, c):
    @njit
    def f(x):
        return x * k - c
    return f


closure_3 = make_closure(3, 0.25)


@SETTINGS
@given(x=mid_ints)
def test_closure_value(x):
    check(closure_3, x)


def test_closure_frozen_at_compile_time():
    k = 3

    @njit
    def f(x):
        return x * k

    assert f(2) == 6
    k = 100  # rebinding the cell after compilation changes nothing
    assert f(2) == 6
    assert k == 100
    assert_compiled(f)


# --- raise / assert --------------------------------------------------------------------------

@njit
def checked_sqrt(n):
    if n < 0:
        raise ValueError("n must be positive")
    return math.sqrt(n)


@njit
def raise_in_loop(n):
    s = 0
    for i in range(n):
        if i == 5:
            raise IndexError("five")
        s += i
    return s


@njit
def asserting(x):
    assert x > 0, "x must be positive"
    return x * 2


@njit
def asserting_no_msg(x):
    assert x != 3
    return x


@njit
def raise_class(n):
    if n == 1:
        raise KeyError
    if n == 2:
        raise TypeError("two")
    if n == 3:
        raise ZeroDivisionError("three")
    return n


@njit
def calls_raiser(n):
    return checked_sqrt(n) + 1.0


@SETTINGS
@given(n=st.one_of(int64s, any_floats))
def test_raise_value_error(n):
    check(checked_sqrt, n)


def test_raise_message():
    with pytest.raises(ValueError) as ei:
        checked_sqrt(-1)
    assert str(ei.value) == "n must be positive"
    assert ei.value.args == ("n must be positive",)
    assert checked_sqrt(4) == 2.0
    assert_compiled(checked_sqrt)


def test_raise_propagates_through_jitted_call():
    with pytest.raises(ValueError, match="n must be positive"):
        calls_raiser(-5)
    assert calls_raiser(9) == 4.0


@FEW
@given(n=st.integers(-3, 12))
def test_raise_in_loop(n):
    check(raise_in_loop, n)


@SETTINGS
@given(x=st.one_of(small_ints, mod_floats))
def test_assert(x):
    # (pytest rewrites the asserts of py_func, so only the class is compared here;
    # test_assert_message checks the message)
    check(asserting, x, message=False)
    check(asserting_no_msg, x, message=False)


def test_assert_message():
    with pytest.raises(AssertionError) as ei:
        asserting(-1)
    assert str(ei.value) == "x must be positive"
    with pytest.raises(AssertionError):
        asserting_no_msg(3)
    assert asserting(2) == 4


def test_raise_classes():
    with pytest.raises(KeyError):
        raise_class(1)
    with pytest.raises(TypeError, match="two"):
        raise_class(2)
    with pytest.raises(ZeroDivisionError, match="three"):
        raise_class(3)
    assert raise_class(4) == 4
    assert_compiled(raise_class)


# --- NumPy scalars and uint64 ------------------------------------------------------------------

@njit
def add(a, b):
    return a + b


@njit
def mul(a, b):
    return a * b


@njit
def div(a, b):
    return a / b


@njit
def ident(a):
    return a


@njit
def f32_expr(a, b):
    c = a * b + a
    return c - b / a


def test_numpy_int32_signature():
    assert add(np.int32(3), np.int32(4)) == 7
    assert ("int32", "int32") in [tuple(str(t) for t in s) for s in add.signatures]
    assert str(pyjit.typeof(np.int32(3))) == "int32"
    assert str(pyjit.typeof(np.int8(3))) == "int8"
    assert str(pyjit.typeof(np.uint16(3))) == "uint16"
    assert str(pyjit.typeof(np.float32(3))) == "float32"
    assert str(pyjit.typeof(np.complex64(3))) == "complex64"
    assert_compiled(add)


@SETTINGS
@given(a=st.integers(-(2 ** 31), 2 ** 31 - 1), b=st.integers(-(2 ** 31), 2 ** 31 - 1))
def test_numpy_int32_values(a, b):
    assert add(np.int32(a), np.int32(b)) == a + b
    assert ident(np.int32(a)) == a


F32_BIG = float(np.float32(1e18))
f32s = st.floats(width=32, allow_nan=False, allow_infinity=False, min_value=-F32_BIG,
                 max_value=F32_BIG)


def f32_same(got, expected):
    expected = float(expected)
    if math.isnan(expected):
        return math.isnan(got)
    return got == expected


@SETTINGS
@given(a=f32s, b=f32s)
def test_float32_stays_float32(a, b):
    x, y = np.float32(a), np.float32(b)
    with np.errstate(all="ignore"):
        assert f32_same(add(x, y), x + y)
        assert f32_same(mul(x, y), x * y)
        if b != 0:
            assert f32_same(div(x, y), x / y)
        if a != 0:
            expected = np.float32(np.float32(x * y) + x) - np.float32(y / x)
            assert f32_same(f32_expr(x, y), expected)
    assert return_type(add, "float32", "float32") == "float32"
    assert return_type(mul, "float32", "float32") == "float32"


def test_float32_types():
    add(np.float32(1.5), np.float32(2.0))
    add(np.float32(1.5), 2.0)
    ident(np.float32(0.1))
    div(np.float32(1.0), np.float32(3.0))
    assert return_type(add, "float32", "float32") == "float32"
    assert return_type(add, "float32", "float64") == "float64"
    assert return_type(div, "float32", "float32") == "float32"
    assert ident(np.float32(0.1)) == float(np.float32(0.1))
    assert div(np.float32(1.0), np.float32(3.0)) == float(np.float32(1.0) / np.float32(3.0))


def test_python_int_ge_2_63_is_uint64():
    assert str(pyjit.typeof(2 ** 63)) == "uint64"
    assert str(pyjit.typeof(2 ** 64 - 1)) == "uint64"
    assert str(pyjit.typeof(2 ** 63 - 1)) == "int64"
    assert ident(2 ** 63) == 2 ** 63
    assert ident(2 ** 64 - 1) == 2 ** 64 - 1
    assert ("uint64",) in [tuple(str(t) for t in s) for s in ident.signatures]
    with pytest.raises(pyjit.TypingError):
        ident(2 ** 64)
    assert ident(5) == 5  # dispatcher still usable


@SETTINGS
@given(a=st.integers(2 ** 63, 2 ** 64 - 1), b=st.integers(2 ** 63, 2 ** 64 - 1))
def test_uint64_arithmetic_wraps_mod_2_64(a, b):
    assert add(a, b) == (a + b) % 2 ** 64
    assert mul(a, b) == (a * b) % 2 ** 64
    assert return_type(add, "uint64", "uint64") == "uint64"
    assert_compiled(add)


# --- more call patterns ---------------------------------------------------------------------

@njit
def fact_late_base(n):
    # the recursive return comes first; the type comes from the base case below
    if n > 1:
        return n * fact_late_base(n - 1)
    return 1


@njit
def sum_to(n, acc=0):
    if n <= 0:
        return acc
    return sum_to(n - 1, acc + n)


@njit
def floordiv_inner(a, b):
    return a // b


@njit
def floordiv_outer(a, b):
    s = 0
    for i in range(3):
        s += floordiv_inner(a, b - i)
    return s


@FEW
@given(n=st.integers(-3, 25))
def test_recursion_late_base_case_and_defaults(n):
    check(fact_late_base, n)
    check(sum_to, n)
    check(sum_to, n, 7)


@FEW
@given(a=small_ints, b=st.integers(-5, 5))
def test_exception_from_callee_in_loop(a, b):
    check(floordiv_outer, a, b)


G_TUPLE = (1, 2, 3)
G_COMPLEX = 1 + 2j
G_BOOL = True
G_NEG = -7.25


@njit
def uses_global_kinds(x):
    s = 0
    for v in G_TUPLE:
        s += v * x
    return s, G_COMPLEX * x, G_BOOL and x > 0, G_NEG * x, G_TUPLE[1]


@njit
def call_varargs(x):
    return varargs(x)[1] + varargs(x, x, x)[1] + len(varargs_only(x, 2.5, True))


def make_tuple_closure():
    t = (3, 4, 5)

    @njit
    def f(i):
        return t[i] + t[0] + len(t)
    return f


tuple_closure = make_tuple_closure()


@SETTINGS
@given(x=mid_ints, i=st.integers(-3, 2))
def test_global_kinds_varargs_closure_tuple(x, i):
    check(uses_global_kinds, x)
    check(call_varargs, x)
    check(tuple_closure, i)


@njit
def cmp_all(a, b):
    return a < b, a <= b, a == b, a != b, a > b, a >= b


@SETTINGS
@given(a=st.integers(2 ** 63, 2 ** 64 - 1), b=int64s)
def test_uint64_int64_comparison(a, b):
    # mixed-sign comparisons compare the mathematical values (as Python and Numba do)
    check(cmp_all, a, b)
    check(cmp_all, b, a)
    assert_compiled(cmp_all)


def test_uint64_int64_comparison_examples():
    assert cmp_all(2 ** 63, -1) == (False, False, False, True, True, True)
    assert cmp_all(2 ** 64 - 1, -1) == (False, False, False, True, True, True)
    assert cmp_all(-1, 2 ** 63) == (True, True, False, True, False, False)


@njit
def ushift(a, b, n):
    return a >> n, a << n, a & b, a | b, a ^ b, ~a


uint64s = st.integers(2 ** 63, 2 ** 64 - 1)


@SETTINGS
@given(a=uint64s, b=uint64s, n=st.integers(0, 63))
def test_uint64_shift_and_bitwise(a, b, n):
    # a shift keeps the type of its left operand (uint64: logical >>, << mod 2**64),
    # as in Numba; uint64 op uint64 stays uint64
    M = 2 ** 64
    assert ushift(a, b, n) == (a >> n, (a << n) % M, a & b, a | b, a ^ b, M - 1 - a)
    assert_compiled(ushift)


@njit
def f32_pow(x, n):
    return x ** n


@njit
def f32_square(x):
    return x ** 2


@FEW
@given(a=st.floats(width=32, min_value=0.125, max_value=1e3), neg=bools,
       n=st.integers(-4, 4))
def test_float32_pow_int_stays_float32(a, neg, n):
    # float32 ** int is float32 (as in Numba, and NumPy for a Python int exponent)
    x = np.float32(-a if neg else a)
    with np.errstate(all="ignore"):
        expected = float(x ** np.float32(n))
    r = f32_pow(x, n)
    assert math.isclose(r, expected, rel_tol=1e-6)
    assert r == float(np.float32(r))  # representable in float32
    assert return_type(f32_pow, "float32", "int64") == "float32"


def test_float32_square_is_float32():
    x = np.float32(2.1)
    assert f32_square(x) == float(x * x)
    assert return_type(f32_square, "float32") == "float32"


@njit
def rec_unify(n):
    # base case int64, recursive case float64: the return type unifies to float64
    if n <= 0:
        return 0
    return rec_unify(n - 1) + 0.5


@njit
def ping(n):
    if n <= 0:
        return 1
    return 2 * pong(n - 1)


@njit
def pong(n):
    if n <= 0:
        return 3
    return ping(n - 1) + 1


@njit
def ackermann(m, n):
    if m == 0:
        return n + 1
    if n == 0:
        return ackermann(m - 1, 1)
    return ackermann(m - 1, ackermann(m, n - 1))


def test_mutual_recursion_entered_from_second_function():
    # pong is compiled first; its type comes through ping's base case
    assert pong(7) == pong.py_func(7) == 23
    assert ping(6) == 22
    assert_compiled(pong)
    assert_compiled(ping)


@FEW
@given(n=st.integers(-2, 40), m=st.integers(0, 2), k=st.integers(0, 4))
def test_more_recursion(n, m, k):
    check(rec_unify, n, strict_type=False)
    assert type(rec_unify(n)) is float
    check(pong, n)
    check(ackermann, m, k)
