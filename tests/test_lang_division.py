"""Differential tests: division semantics (/ // % divmod, sign rules, division by zero,
error_model='numpy', int64 ** int64)."""
import math

import hypothesis.strategies as st
import pytest
from hypothesis import given

from difftest import (FEW, INT64_MAX, INT64_MIN, SETTINGS, any_floats, assert_compiled,
                      check, exact_ints, finite_floats, int64s, mod_floats,
                      nonzero_int64s, return_type, small_ints, wrap64)
from pyjit import njit


@njit
def truediv(a, b):
    return a / b


@njit
def floordiv(a, b):
    return a // b


@njit
def mod(a, b):
    return a % b


@njit
def dm(a, b):
    return divmod(a, b)


@njit
def power(a, b):
    return a ** b


@njit
def aug_floordiv(a, b):
    a //= b
    return a


@njit
def aug_mod(a, b):
    a %= b
    return a


@njit(error_model="numpy")
def np_truediv(a, b):
    return a / b


@njit(error_model="numpy")
def np_floordiv(a, b):
    return a // b


@njit(error_model="numpy")
def np_mod(a, b):
    return a % b


@njit(error_model="numpy")
def np_divmod(a, b):
    return divmod(a, b)


# --- sign rules ------------------------------------------------------------------------

@pytest.mark.parametrize("f", [floordiv, mod, dm, aug_floordiv, aug_mod],
                         ids=lambda f: f.__name__)
@SETTINGS
@given(a=int64s, b=nonzero_int64s)
def test_int_floordiv_mod_sign_rules(f, a, b):
    check(f, a, b)


@pytest.mark.parametrize("f", [floordiv, mod, dm], ids=lambda f: f.__name__)
@SETTINGS
@given(a=small_ints, b=small_ints.filter(lambda x: x != 0))
def test_int_floordiv_mod_small(f, a, b):
    check(f, a, b)


@pytest.mark.parametrize("f", [floordiv, mod, dm, aug_floordiv, aug_mod],
                         ids=lambda f: f.__name__)
@SETTINGS
@given(a=any_floats, b=any_floats.filter(lambda x: x != 0.0))
def test_float_floordiv_mod_sign_rules(f, a, b):
    check(f, a, b)


@pytest.mark.parametrize("f", [floordiv, mod, dm], ids=lambda f: f.__name__)
@SETTINGS
@given(a=mod_floats, b=mod_floats.filter(lambda x: x != 0.0))
def test_float_floordiv_mod_moderate(f, a, b):
    check(f, a, b)


@pytest.mark.parametrize("f", [floordiv, mod, truediv, dm], ids=lambda f: f.__name__)
@SETTINGS
@given(a=exact_ints, b=finite_floats.filter(lambda x: x != 0.0))
def test_mixed_int_float_division(f, a, b):
    check(f, a, b)
    if a != 0:
        check(f, b, a)


def test_sign_rule_examples():
    assert floordiv(-7, 2) == -4
    assert mod(-7, 2) == 1
    assert floordiv(7, -2) == -4
    assert mod(7, -2) == -1
    assert dm(-7, 2) == (-4, 1)
    assert floordiv(-7.0, 2.0) == -4.0
    assert mod(-7.0, 2.0) == 1.0
    assert mod(7.0, -2.0) == -1.0
    assert math.copysign(1.0, mod(-4.0, 2.0)) == 1.0
    assert math.copysign(1.0, mod(4.0, -2.0)) == -1.0
    assert dm(-7.5, 2.0) == (-4.0, 0.5)
    assert truediv(7, 2) == 3.5
    assert type(truediv(4, 2)) is float
    assert return_type(truediv, "int64", "int64") == "float64"
    assert_compiled(truediv)


def test_int64_min_by_minus_one():
    # must not trap (x86 idiv overflow): wraps like the rest of int64 arithmetic
    assert floordiv(INT64_MIN, -1) == INT64_MIN
    assert mod(INT64_MIN, -1) == 0
    assert dm(INT64_MIN, -1) == (INT64_MIN, 0)
    assert aug_floordiv(INT64_MIN, -1) == INT64_MIN
    assert truediv(INT64_MIN, -1) == 2.0 ** 63
    assert_compiled(floordiv)


# --- division by zero --------------------------------------------------------------------

def _zde(f, *args):
    with pytest.raises(ZeroDivisionError) as ei:
        f(*args)
    return str(ei.value)


@FEW
@given(a=int64s)
def test_int_division_by_zero(a):
    assert _zde(truediv, a, 0) == "division by zero"
    assert _zde(floordiv, a, 0) == "integer division or modulo by zero"
    assert _zde(mod, a, 0) == "integer modulo by zero"
    assert _zde(dm, a, 0) == "integer division or modulo by zero"
    assert _zde(aug_floordiv, a, 0) == "integer division or modulo by zero"
    assert _zde(aug_mod, a, 0) == "integer modulo by zero"


@FEW
@given(a=any_floats, z=st.sampled_from([0.0, -0.0]))
def test_float_division_by_zero(a, z):
    assert _zde(truediv, a, z) == "float division by zero"
    assert _zde(floordiv, a, z) == "float floor division by zero"
    assert _zde(mod, a, z) == "float modulo"
    assert _zde(dm, a, z) == "float divmod()"


@FEW
@given(a=exact_ints, b=any_floats)
def test_mixed_division_by_zero(a, b):
    # each case must match CPython's exception and message
    check(truediv, a, 0.0)
    check(floordiv, a, 0.0)
    check(mod, a, 0.0)
    check(dm, a, 0.0)
    check(truediv, b, 0)
    check(floordiv, b, 0)
    check(mod, b, 0)
    check(dm, b, 0)


def test_bool_division_by_zero():
    check(truediv, True, False)
    check(floordiv, True, False)
    check(mod, True, False)
    check(truediv, 3, False)


def test_dispatcher_usable_after_zero_division():
    with pytest.raises(ZeroDivisionError):
        floordiv(1, 0)
    assert floordiv(7, 2) == 3
    with pytest.raises(ZeroDivisionError):
        truediv(1.0, 0.0)
    assert truediv(1.0, 4.0) == 0.25


# --- error_model='numpy' ------------------------------------------------------------------

@FEW
@given(a=any_floats, z=st.sampled_from([0.0, -0.0]))
def test_numpy_error_model_float(a, z):
    r = np_truediv(a, z)
    if math.isnan(a) or a == 0.0:
        assert math.isnan(r)
    else:
        assert math.isinf(r)
        assert math.copysign(1.0, r) == math.copysign(1.0, a) * math.copysign(1.0, z)
    assert math.isnan(np_mod(a, z))
    fd = np_floordiv(a, z)
    assert isinstance(fd, float)
    # numpy: floor_divide(x, 0.0) is inf (or nan for 0 and nan), remainder is nan
    if math.isnan(a) or a == 0.0:
        assert math.isnan(fd)
    else:
        assert math.isinf(fd)
        assert math.copysign(1.0, fd) == math.copysign(1.0, a) * math.copysign(1.0, z)
    # divmod agrees with // and % (numpy.divmod(7.0, 0.0) is (inf, nan))
    q, r = np_divmod(a, z)
    assert math.isnan(r)
    assert (math.isnan(q) and math.isnan(fd)) or q == fd
    assert_compiled(np_truediv)


@FEW
@given(a=int64s)
def test_numpy_error_model_int(a):
    assert np_floordiv(a, 0) == 0
    assert np_mod(a, 0) == 0
    assert np_divmod(a, 0) == (0, 0)
    r = np_truediv(a, 0)
    if a == 0:
        assert math.isnan(r)
    else:
        assert r == math.copysign(math.inf, a)
    assert_compiled(np_floordiv)
    assert_compiled(np_mod)


@SETTINGS
@given(a=int64s, b=nonzero_int64s, x=any_floats, y=any_floats.filter(lambda v: v != 0))
def test_numpy_error_model_same_otherwise(a, b, x, y):
    assert np_floordiv(a, b) == floordiv.py_func(a, b) or \
        np_floordiv(a, b) == wrap64(floordiv.py_func(a, b))
    assert np_mod(a, b) == mod.py_func(a, b)
    check(np_truediv, x, y)
    check(np_floordiv, x, y)
    check(np_mod, x, y)


# --- int64 ** int64 ------------------------------------------------------------------------

@SETTINGS
@given(a=int64s, b=st.integers(0, 100))
def test_int_pow_nonnegative(a, b):
    assert power(a, b) == wrap64(pow(a, b, 1 << 64))
    assert type(power(a, b)) is int


@SETTINGS
@given(a=int64s, b=st.integers(INT64_MIN + 1, -1))
def test_int_pow_negative(a, b):
    if a == 0:
        with pytest.raises(ZeroDivisionError):
            power(a, b)
    else:
        expected = 1 if a == 1 else (-1 if b % 2 else 1) if a == -1 else 0
        r = power(a, b)
        assert r == expected and type(r) is int


def test_int_pow_spec_examples():
    assert power(2, -1) == 0
    assert power(1, -5) == 1
    assert power(-1, -3) == -1
    with pytest.raises(ZeroDivisionError):
        power(0, -1)
    assert return_type(power, "int64", "int64") == "int64"
    assert_compiled(power)


@FEW
@given(a=st.floats(0.5, 100.0), b=st.integers(-30, 30))
def test_float_pow_int_is_float(a, b):
    r = power(a, float(b))
    assert math.isclose(r, a ** b, rel_tol=1e-13)
    assert type(r) is float


def test_signed_zero_and_infinite_operands():
    for a, b in [(-0.0, 5.0), (0.0, -5.0), (-0.0, -5.0), (5.0, math.inf), (-5.0, math.inf),
                 (5.0, -math.inf), (math.inf, 2.0), (-math.inf, -2.0), (1e308, 1e-308),
                 (-1e-320, 3.0), (1e-320, -3.0), (math.nan, 1.0), (1.0, math.nan)]:
        check(floordiv, a, b)
        check(mod, a, b)
        check(dm, a, b)
        check(truediv, a, b)


@pytest.mark.parametrize("a,b", [(3, 100000), (-1, 2 ** 62 + 1), (2, 10 ** 6), (3, 2 ** 40),
                                 (7, 0x10001), (-3, INT64_MAX), (INT64_MIN, 2), (-2, 63)])
def test_int_pow_large_exponent(a, b):
    # no float fallback for big exponents: the result is the int64 wraparound
    assert power(a, b) == wrap64(pow(a, b, 1 << 64))


@pytest.mark.parametrize("x,n", [(0.0, -1), (-0.0, -3), (0.0, -2), (-0.0, -4)])
def test_float_zero_to_negative_int_power_raises(x, n):
    # float64 ** int64 with a zero base and a negative exponent: CPython and Numba both
    # raise ZeroDivisionError (the messages differ, so only the class is checked)
    with pytest.raises(ZeroDivisionError):
        power.py_func(x, n)
    with pytest.raises(ZeroDivisionError):
        power(x, n)
    assert power(2.0, -2) == 0.25  # still usable


@njit
def mod_by_square(a, b):
    return (b * 2) % (a * a), divmod(b, a * a)[0], b // (a * a)


@pytest.mark.parametrize("a", [2 ** 62, -(2 ** 62), 2 ** 32, 3 * 2 ** 61])
def test_divisor_that_wrapped_to_zero_raises(a):
    # a * a wraps to 0; signed * carries nsw, and LLVM used to answer the
    # zero test from the unwrapped product: the division trapped (SIGFPE)
    with pytest.raises(ZeroDivisionError):
        mod_by_square(a, 7)
    assert mod_by_square(3, 7) == mod_by_square.py_func(3, 7)
    assert_compiled(mod_by_square)
