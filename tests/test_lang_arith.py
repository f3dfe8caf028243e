"""Differential tests: arithmetic, bitwise, unary, comparison and boolean operators.

Compiled results are compared with the plain Python function (int64 wraparound taken
into account by difftest.wrap64)."""
import math

import hypothesis.strategies as st
import pytest
from hypothesis import given

from difftest import (FEW, INT64_MAX, INT64_MIN, SETTINGS, any_floats, assert_compiled,
                      assert_same, bools, check, close, complexes, exact_ints,
                      finite_floats, int64s, mod_floats, return_type, small_ints, wrap64)
from pyjit import njit


# --- binary operators ----------------------------------------------------------------

@njit
def add(a, b):
    return a + b


@njit
def sub(a, b):
    return a - b


@njit
def mul(a, b):
    return a * b


@njit
def truediv(a, b):
    return a / b


@njit
def band(a, b):
    return a & b


@njit
def bor(a, b):
    return a | b


@njit
def bxor(a, b):
    return a ^ b


@njit
def lshift(a, b):
    return a << b


@njit
def rshift(a, b):
    return a >> b


@njit
def power(a, b):
    return a ** b


@njit
def eq(a, b):
    return a == b


@njit
def ne(a, b):
    return a != b


@njit
def lt(a, b):
    return a < b


@njit
def le(a, b):
    return a <= b


@njit
def gt(a, b):
    return a > b


@njit
def ge(a, b):
    return a >= b


ARITH = [add, sub, mul]
BITWISE = [band, bor, bxor]
COMPARE = [eq, ne, lt, le, gt, ge]


@pytest.mark.parametrize("f", ARITH + BITWISE, ids=lambda f: f.__name__)
@SETTINGS
@given(a=int64s, b=int64s)
def test_int_binary_wraps(f, a, b):
    check(f, a, b)


@pytest.mark.parametrize("f", COMPARE, ids=lambda f: f.__name__)
@SETTINGS
@given(a=int64s, b=int64s)
def test_int_compare(f, a, b):
    check(f, a, b)
    check(f, a, a)


@pytest.mark.parametrize("f", ARITH, ids=lambda f: f.__name__)
@SETTINGS
@given(a=any_floats, b=any_floats)
def test_float_binary(f, a, b):
    check(f, a, b)


@SETTINGS
@given(a=any_floats, b=any_floats.filter(lambda x: x != 0.0))
def test_float_truediv(a, b):
    check(truediv, a, b)


@SETTINGS
@given(a=exact_ints, b=exact_ints.filter(lambda x: x != 0))
def test_int_truediv_gives_float(a, b):
    # Python's int/int is correctly rounded; for |a|, |b| <= 2**53 that is float(a)/float(b)
    check(truediv, a, b)
    assert return_type(truediv, "int64", "int64") == "float64"


@pytest.mark.parametrize("f", COMPARE, ids=lambda f: f.__name__)
@SETTINGS
@given(a=any_floats, b=any_floats)
def test_float_compare(f, a, b):
    check(f, a, b)
    check(f, a, a)


@pytest.mark.parametrize("f", COMPARE, ids=lambda f: f.__name__)
@SETTINGS
@given(a=exact_ints, b=any_floats)
def test_mixed_int_float_compare(f, a, b):
    check(f, a, b)
    check(f, b, a)
    check(f, a, float(a))


@pytest.mark.parametrize("f", COMPARE, ids=lambda f: f.__name__)
@FEW
@given(a=bools, b=bools, c=small_ints)
def test_bool_compare(f, a, b, c):
    check(f, a, b)
    check(f, a, c)


@SETTINGS
@given(a=int64s, b=st.integers(0, 200))
def test_shifts(a, b):
    check(lshift, a, b)
    check(rshift, a, b)


@FEW
@given(a=int64s, b=st.integers(INT64_MIN, -1))
def test_shift_negative_count_raises_valueerror(a, b):
    with pytest.raises(ValueError):
        lshift(a, b)
    with pytest.raises(ValueError):
        rshift(a, b)


def test_shift_examples():
    assert lshift(1, 63) == INT64_MIN
    assert lshift(1, 64) == 0
    assert lshift(-1, 100) == 0
    assert rshift(-5, 64) == -1
    assert rshift(-5, 1000) == -1
    assert rshift(5, 64) == 0
    assert rshift(INT64_MIN, 63) == -1
    assert_compiled(lshift)


@SETTINGS
@given(a=int64s, b=st.integers(0, 130))
def test_int_pow_nonnegative_exponent(a, b):
    # a ** b is int64 (wraps); Python's exact result reduced mod 2**64 is the same
    assert power(a, b) == wrap64(pow(a, b, 1 << 64))
    assert return_type(power, "int64", "int64") == "int64"
    assert_compiled(power)


@FEW
@given(a=st.sampled_from([1, -1]), b=st.integers(-200, -1))
def test_int_pow_negative_exponent_unit_base(a, b):
    assert power(a, b) == (1 if a == 1 or b % 2 == 0 else -1)
    assert type(power(a, b)) is int


@FEW
@given(a=int64s.filter(lambda x: x not in (0, 1, -1)), b=st.integers(INT64_MIN + 1, -1))
def test_int_pow_negative_exponent_is_zero(a, b):
    assert power(a, b) == 0


def test_int_pow_examples():
    assert power(2, -1) == 0
    assert power(1, -5) == 1
    assert power(-1, -3) == -1
    assert power(-1, -4) == 1
    assert power(2, 63) == INT64_MIN
    assert power(3, 40) == wrap64(3 ** 40)
    assert power(0, 0) == 1
    with pytest.raises(ZeroDivisionError):
        power(0, -1)
    assert_compiled(power)


@SETTINGS
@given(a=st.floats(1e-3, 1e3), b=st.floats(-50, 50))
def test_float_pow(a, b):
    check(power, a, b)
    check(power, -a, float(round(b)))


@SETTINGS
@given(a=st.floats(-1e3, 1e3).filter(lambda x: abs(x) > 1e-3), b=st.integers(-40, 40))
def test_float_pow_int_exponent(a, b):
    # float ** int may be computed by repeated squaring (as Numba does): close, not exact
    r = power(a, b)
    assert type(r) is float
    assert close(r, a ** b, rel_tol=1e-13)


@SETTINGS
@given(a=exact_ints.filter(lambda x: 0 < abs(x) < 10 ** 6), b=st.floats(-20, 20))
def test_int_pow_float_exponent(a, b):
    r = power(abs(a), b)
    assert type(r) is float
    assert close(r, abs(a) ** b, rel_tol=1e-13)


# --- unary operators -----------------------------------------------------------------

@njit
def neg(a):
    return -a


@njit
def pos(a):
    return +a


@njit
def inv(a):
    return ~a


@njit
def not_(a):
    return not a


@pytest.mark.parametrize("f", [neg, pos, inv, not_], ids=lambda f: f.__name__)
@SETTINGS
@given(a=int64s)
def test_int_unary(f, a):
    check(f, a)


@pytest.mark.parametrize("f", [neg, pos, not_], ids=lambda f: f.__name__)
@SETTINGS
@given(a=any_floats)
def test_float_unary(f, a):
    check(f, a)


@pytest.mark.parametrize("f", [neg, pos, not_], ids=lambda f: f.__name__)
@FEW
@given(a=complexes)
def test_complex_unary(f, a):
    check(f, a)


def test_unary_examples():
    assert neg(INT64_MIN) == INT64_MIN
    assert inv(0) == -1
    assert not_(0) is True
    assert not_(0.0) is True
    assert not_(-0.0) is True
    assert not_(math.nan) is False
    assert not_(True) is False
    assert not_(False) is True
    # ~ of a bool is `not` in Numba (Python's ~True is -2)
    assert inv(True) is False and inv(False) is True
    assert neg(True) == -1
    r = neg(0.0)
    assert math.copysign(1.0, r) == -1.0


# --- chained comparisons ---------------------------------------------------------------

@njit
def chain_lt(a, b, c):
    return a < b < c


@njit
def chain_mixed(a, b, c):
    return a <= b == c


@njit
def chain_long(a, b, c, d):
    return a < b > c != d


@njit
def chain_in_if(a, b, c):
    if 0 <= a < b <= c:
        return 1
    elif a > b > c:
        return 2
    return 3


@SETTINGS
@given(a=small_ints, b=small_ints, c=small_ints, d=small_ints)
def test_chained_int(a, b, c, d):
    check(chain_lt, a, b, c)
    check(chain_mixed, a, b, c)
    check(chain_mixed, a, a, a)
    check(chain_long, a, b, c, d)
    check(chain_in_if, a, b, c)


@SETTINGS
@given(a=any_floats, b=any_floats, c=any_floats)
def test_chained_float(a, b, c):
    check(chain_lt, a, b, c)
    check(chain_mixed, a, b, c)
    check(chain_in_if, a, b, c)


# --- and / or value semantics, conditional expressions -----------------------------

@njit
def and_(a, b):
    return a and b


@njit
def or_(a, b):
    return a or b


@njit
def and_or(a, b, c):
    return a and b or c


@njit
def or_and_not(a, b, c):
    return (a or b) and not c


@njit
def ifexp_max(a, b):
    return a if a > b else b


@njit
def ifexp_nested(a, b):
    return -1 if a < b else (0 if a == b else 1)


@njit
def ifexp_arith(a, b, c):
    return (a + 1 if c else b - 1) * 2


@njit
def and_in_condition(a, b):
    if a > 0 and b > 0:
        return 1
    if a < 0 or b < 0:
        return -1
    return 0


@pytest.mark.parametrize("f", [and_, or_], ids=lambda f: f.__name__)
@SETTINGS
@given(a=st.one_of(small_ints, st.just(0)), b=st.one_of(small_ints, st.just(0)))
def test_and_or_int(f, a, b):
    check(f, a, b)


@pytest.mark.parametrize("f", [and_, or_], ids=lambda f: f.__name__)
@SETTINGS
@given(a=st.one_of(any_floats, st.just(0.0)), b=any_floats)
def test_and_or_float(f, a, b):
    check(f, a, b)


@pytest.mark.parametrize("f", [and_, or_], ids=lambda f: f.__name__)
@FEW
@given(a=bools, b=bools)
def test_and_or_bool(f, a, b):
    check(f, a, b)


@FEW
@given(a=st.one_of(small_ints, st.just(0)), b=st.one_of(mod_floats, st.just(0.0)))
def test_and_or_mixed_int_float(a, b):
    # int and float unify to float64: values agree, the int operand comes back as float
    for f in (and_, or_):
        check(f, a, b, strict_type=False)
        check(f, b, a, strict_type=False)


@SETTINGS
@given(a=st.one_of(small_ints, st.just(0)), b=st.one_of(small_ints, st.just(0)),
       c=st.one_of(small_ints, st.just(0)))
def test_and_or_compound(a, b, c):
    check(and_or, a, b, c)
    # int and bool operands unify to int64: compare values
    check(or_and_not, a, b, c, strict_type=False)
    check(and_in_condition, a, b)


@SETTINGS
@given(a=int64s, b=int64s, c=bools)
def test_conditional_expression_int(a, b, c):
    check(ifexp_max, a, b)
    check(ifexp_nested, a, b)
    check(ifexp_arith, a, b, c)


@SETTINGS
@given(a=any_floats, b=any_floats, c=bools)
def test_conditional_expression_float(a, b, c):
    check(ifexp_max, a, b)
    check(ifexp_nested, a, b)
    check(ifexp_arith, a, b, c)


@FEW
@given(a=exact_ints, b=mod_floats)
def test_conditional_expression_mixed(a, b):
    # branches of int64 and float64 unify to float64
    check(ifexp_max, a, b, strict_type=False)
    assert type(ifexp_max(a, b)) is float


# --- augmented assignment --------------------------------------------------------------

@njit
def aug_int(a, b):
    x = a
    x += b
    x -= 3
    x *= b
    x ^= a
    x |= 7
    x &= -2
    x <<= 3
    x >>= 1
    x **= 2
    return x


@njit
def aug_int_div(a, b):
    x = a
    x //= b
    y = a
    y %= b
    return x, y


@njit
def aug_float(a, b):
    x = a
    x += b
    x *= 2.5
    x -= a
    x /= 3.0
    x //= 1.5
    x %= 7.0
    x **= 2
    return x


@njit
def aug_int_to_float(a, b):
    x = a
    x += b  # b float: x becomes float64
    x /= 2
    return x


@SETTINGS
@given(a=int64s, b=int64s)
def test_augmented_int(a, b):
    check(aug_int, a, b)


@SETTINGS
@given(a=int64s, b=int64s.filter(lambda x: x != 0))
def test_augmented_int_div(a, b):
    check(aug_int_div, a, b)


@SETTINGS
@given(a=mod_floats, b=mod_floats)
def test_augmented_float(a, b):
    check(aug_float, a, b)


@SETTINGS
@given(a=exact_ints, b=mod_floats)
def test_augmented_int_becomes_float(a, b):
    check(aug_int_to_float, a, b)


# --- mixed int / float / bool / complex arithmetic ------------------------------------

MIXED = [add, sub, mul]


@pytest.mark.parametrize("f", MIXED, ids=lambda f: f.__name__)
@SETTINGS
@given(a=int64s, b=any_floats)
def test_int_float(f, a, b):
    check(f, a, b)
    check(f, b, a)


@SETTINGS
@given(a=int64s, b=any_floats.filter(lambda x: x != 0))
def test_int_float_truediv(a, b):
    check(truediv, a, b)
    if a != 0:
        check(truediv, b, a)


@pytest.mark.parametrize("f", MIXED + BITWISE, ids=lambda f: f.__name__)
@FEW
@given(a=bools, b=bools, c=int64s)
def test_bool_arith(f, a, b, c):
    # bool op bool: + - * give int64, & | ^ give bool (as in Python)
    check(f, a, b)
    check(f, a, c)
    check(f, c, a)


@pytest.mark.parametrize("f", MIXED, ids=lambda f: f.__name__)
@FEW
@given(a=bools, b=any_floats)
def test_bool_float(f, a, b):
    check(f, a, b)
    check(f, b, a)


@pytest.mark.parametrize("f", MIXED, ids=lambda f: f.__name__)
@SETTINGS
@given(a=complexes, b=complexes)
def test_complex_complex(f, a, b):
    check(f, a, b)


@pytest.mark.parametrize("f", [eq, ne], ids=lambda f: f.__name__)
@FEW
@given(a=complexes, b=complexes)
def test_complex_equality(f, a, b):
    check(f, a, b)
    check(f, a, a)


@SETTINGS
@given(a=complexes, b=complexes.filter(lambda z: z != 0))
def test_complex_truediv(a, b):
    r = truediv(a, b)
    assert type(r) is complex
    assert close(r, a / b, rel_tol=1e-12, abs_tol=1e-300 + 1e-12 * abs(a / b))


def test_complex_division_by_zero():
    with pytest.raises(ZeroDivisionError):
        truediv(1 + 2j, 0j)


@pytest.mark.parametrize("f", MIXED, ids=lambda f: f.__name__)
@SETTINGS
@given(a=st.one_of(exact_ints, bools, mod_floats), b=complexes)
def test_real_complex(f, a, b):
    check(f, a, b)
    check(f, b, a)


def test_mixed_result_types():
    add(1, 2.0)
    add(True, True)
    add(1, 2j)
    add(1.5, 2j)
    band(True, False)
    assert return_type(add, "int64", "float64") == "float64"
    assert return_type(add, "bool", "bool") == "int64"
    assert return_type(add, "int64", "complex128") == "complex128"
    assert return_type(add, "float64", "complex128") == "complex128"
    assert return_type(band, "bool", "bool") == "bool"
    assert add(True, True) == 2 and type(add(True, True)) is int
    assert band(True, False) is False
    assert_compiled(add)


@SETTINGS
@given(a=int64s, b=int64s, c=finite_floats)
def test_expression_mix(a, b, c):
    check(poly, a, b)
    check(float_expr, c, float(a % 1000))


@njit
def poly(a, b):
    return 3 * a * a - 7 * a * b + (b ^ (a >> 3)) - (a | 12345) * 17


@njit
def float_expr(x, y):
    return (x * 0.5 + y) * (x - y) / 3.0 - 2.0 * y


def test_wrap64_helper():
    assert wrap64(2 ** 63) == INT64_MIN
    assert wrap64(-(2 ** 63) - 1) == INT64_MAX
    assert wrap64(5) == 5
    assert_same(add(INT64_MAX, 1), INT64_MAX + 1)


# --- short-circuit evaluation ----------------------------------------------------------

@njit
def sc_and(a):
    return a != 0 and 10 // a > 1


@njit
def sc_or(a):
    return a == 0 or 10 % a == 1


@njit
def sc_chain(a):
    return 0 < a < 10 // a


@njit
def sc_ifexp(a):
    return 10 // a if a else -1


@njit
def noisy(x):
    print(x)
    return x


@njit
def chain_middle_once(a, x, c):
    return a < noisy(x) < c


@njit
def chain_last_lazy(a, b, c):
    return a < b < noisy(c)


@njit
def and_lazy(a, b):
    return a > 0 and noisy(b) > 0


@SETTINGS
@given(a=st.one_of(small_ints, st.just(0)))
def test_short_circuit_avoids_zero_division(a):
    check(sc_and, a)
    check(sc_or, a)
    check(sc_chain, a)
    check(sc_ifexp, a)


def test_chained_comparison_evaluates_each_operand_once(capsys):
    capsys.readouterr()
    for a, x, c in [(0, 5, 10), (6, 5, 10), (0, 50, 10), (0, 5, 5)]:
        assert chain_middle_once(a, x, c) == (a < x < c)
        assert capsys.readouterr().out == f"{x}\n"
    for a, b, c in [(0, 5, 10), (6, 5, 10), (0, 5, 3)]:
        assert chain_last_lazy(a, b, c) == (a < b < c)
        assert capsys.readouterr().out == (f"{c}\n" if a < b else "")
    for a, b in [(1, 2), (-1, 2), (1, -2)]:
        assert and_lazy(a, b) == (a > 0 and b > 0)
        assert capsys.readouterr().out == (f"{b}\n" if a > 0 else "")
    assert_compiled(chain_middle_once)
