"""Differential tests: the math and cmath modules in nopython code.

Results are compared with CPython's math module with math.isclose (rel_tol 1e-12) on
the valid domains; outside them pyjit follows Numba (nan / inf instead of ValueError /
OverflowError)."""
import cmath
import math

import hypothesis.strategies as st
import pytest
from hypothesis import given

from difftest import (FEW, INT64_MAX, INT64_MIN, SETTINGS, any_floats, assert_compiled,
                      close, complexes, finite_floats, mod_floats, small_ints)
from pyjit import njit

REL = 1e-12


@njit
def m_sqrt(x):
    return math.sqrt(x)


@njit
def m_exp(x):
    return math.exp(x)


@njit
def m_log(x):
    return math.log(x)


@njit
def m_log10(x):
    return math.log10(x)


@njit
def m_log2(x):
    return math.log2(x)


@njit
def m_log1p(x):
    return math.log1p(x)


@njit
def m_expm1(x):
    return math.expm1(x)


@njit
def m_sin(x):
    return math.sin(x)


@njit
def m_cos(x):
    return math.cos(x)


@njit
def m_tan(x):
    return math.tan(x)


@njit
def m_asin(x):
    return math.asin(x)


@njit
def m_acos(x):
    return math.acos(x)


@njit
def m_atan(x):
    return math.atan(x)


@njit
def m_sinh(x):
    return math.sinh(x)


@njit
def m_cosh(x):
    return math.cosh(x)


@njit
def m_tanh(x):
    return math.tanh(x)


@njit
def m_fabs(x):
    return math.fabs(x)


@njit
def m_floor(x):
    return math.floor(x)


@njit
def m_ceil(x):
    return math.ceil(x)


@njit
def m_trunc(x):
    return math.trunc(x)


@njit
def m_isnan(x):
    return math.isnan(x)


@njit
def m_isinf(x):
    return math.isinf(x)


@njit
def m_isfinite(x):
    return math.isfinite(x)


@njit
def m_atan2(y, x):
    return math.atan2(y, x)


@njit
def m_hypot(x, y):
    return math.hypot(x, y)


@njit
def m_copysign(x, y):
    return math.copysign(x, y)


@njit
def m_pow(x, y):
    return math.pow(x, y)


@njit
def m_fmod(x, y):
    return math.fmod(x, y)


@njit
def m_gcd(a, b):
    return math.gcd(a, b)


@njit
def constants():
    return math.pi, math.e, math.inf, math.nan, math.tau


@njit
def uses_pi(r):
    return 2.0 * math.pi * r + math.e - math.tau * r


@njit
def c_sqrt(z):
    return cmath.sqrt(z)


@njit
def c_exp(z):
    return cmath.exp(z)


@njit
def c_phase(z):
    return cmath.phase(z)


@njit
def c_abs(z):
    return abs(z)


def domain_check(f, x, *rest):
    """Compare f(x, ...) with CPython: close where CPython gives a value; where CPython
    raises ValueError (domain) the result must be nan or an infinity (Numba: log(0.0)
    is -inf, sqrt(-1.0) is nan); where it raises OverflowError, an infinity."""
    args = (x,) + rest
    try:
        expected = f.py_func(*args)
    except ValueError:
        r = f(*args)
        assert type(r) is float
        assert math.isnan(r) or math.isinf(r), f"{f.__name__}{args} -> {r!r}"
        return
    except OverflowError:
        r = f(*args)
        assert type(r) is float
        assert math.isinf(r), f"{f.__name__}{args} -> {r!r}"
        return
    r = f(*args)
    assert type(r) is type(expected), f"{f.__name__}{args}: {r!r} vs {expected!r}"
    assert close(r, expected, rel_tol=REL), f"{f.__name__}{args}: {r!r} vs {expected!r}"
    assert_compiled(f)


UNARY_FLOAT = [m_sqrt, m_exp, m_log, m_log10, m_log2, m_log1p, m_expm1, m_sin, m_cos,
               m_tan, m_asin, m_acos, m_atan, m_sinh, m_cosh, m_tanh, m_fabs]

# inputs where each function is defined (CPython gives a value)
VALID = {
    "m_sqrt": st.floats(0.0, 1e300),
    "m_exp": st.floats(-700.0, 700.0),
    "m_log": st.floats(1e-300, 1e300),
    "m_log10": st.floats(1e-300, 1e300),
    "m_log2": st.floats(1e-300, 1e300),
    "m_log1p": st.floats(-0.999999, 1e300),
    "m_expm1": st.floats(-700.0, 700.0),
    "m_sin": st.floats(-1e6, 1e6),
    "m_cos": st.floats(-1e6, 1e6),
    "m_tan": st.floats(-1e6, 1e6),
    "m_asin": st.floats(-1.0, 1.0),
    "m_acos": st.floats(-1.0, 1.0),
    "m_atan": finite_floats,
    "m_sinh": st.floats(-700.0, 700.0),
    "m_cosh": st.floats(-700.0, 700.0),
    "m_tanh": finite_floats,
    "m_fabs": any_floats,
}


@pytest.mark.parametrize("f", UNARY_FLOAT, ids=lambda f: f.__name__)
@SETTINGS
@given(data=st.data())
def test_unary_valid_domain(f, data):
    x = data.draw(VALID[f.__name__])
    domain_check(f, x)


@pytest.mark.parametrize("f", UNARY_FLOAT, ids=lambda f: f.__name__)
@FEW
@given(x=any_floats)
def test_unary_any_input(f, x):
    domain_check(f, x)


@pytest.mark.parametrize("f", UNARY_FLOAT, ids=lambda f: f.__name__)
@FEW
@given(n=st.integers(1, 10 ** 6))
def test_unary_int_argument(f, n):
    # an int64 argument is converted to float64
    if f.__name__ in ("m_asin", "m_acos"):
        n = n % 2
    if f.__name__ in ("m_exp", "m_expm1", "m_sinh", "m_cosh"):
        n = n % 700
    domain_check(f, n)


def test_domain_errors_give_nan():
    assert math.isnan(m_sqrt(-1.0))
    assert math.isnan(m_log(-1.0))
    assert m_log(0.0) == -math.inf
    assert math.isnan(m_log10(-5.0))
    assert math.isnan(m_log2(-5.0))
    assert m_log1p(-1.0) == -math.inf
    assert math.isnan(m_log1p(-2.0))
    assert math.isnan(m_asin(2.0))
    assert math.isnan(m_acos(-1.5))
    assert math.isnan(m_sin(math.inf))
    assert math.isnan(m_cos(-math.inf))
    assert m_exp(1000.0) == math.inf
    assert m_cosh(1000.0) == math.inf
    assert math.isnan(m_sqrt(math.nan))
    assert_compiled(m_sqrt)


@pytest.mark.parametrize("f", [m_floor, m_ceil, m_trunc], ids=lambda f: f.__name__)
@SETTINGS
@given(x=st.one_of(st.floats(-9.2e18, 9.2e18), mod_floats))
def test_floor_ceil_trunc_return_int(f, x):
    r = f(x)
    assert type(r) is int
    assert r == f.py_func(x)
    assert_compiled(f)


@pytest.mark.parametrize("f", [m_floor, m_ceil, m_trunc], ids=lambda f: f.__name__)
@FEW
@given(n=st.integers(INT64_MIN, INT64_MAX))
def test_floor_ceil_trunc_int_argument(f, n):
    r = f(n)
    assert type(r) is int
    assert r == n


@pytest.mark.parametrize("f", [m_isnan, m_isinf, m_isfinite], ids=lambda f: f.__name__)
@SETTINGS
@given(x=st.one_of(any_floats, st.sampled_from([math.nan, math.inf, -math.inf])))
def test_classification(f, x):
    r = f(x)
    assert type(r) is bool
    assert r == f.py_func(x)
    assert_compiled(f)


@pytest.mark.parametrize("f", [m_isnan, m_isinf, m_isfinite], ids=lambda f: f.__name__)
@FEW
@given(n=st.integers(INT64_MIN, INT64_MAX))
def test_classification_int(f, n):
    r = f(n)
    assert r == f.py_func(n)
    assert type(r) is bool


@SETTINGS
@given(y=any_floats, x=any_floats)
def test_atan2(y, x):
    domain_check(m_atan2, y, x)


@SETTINGS
@given(x=any_floats, y=any_floats)
def test_hypot(x, y):
    domain_check(m_hypot, x, y)


@SETTINGS
@given(x=any_floats, y=any_floats)
def test_copysign(x, y):
    r = m_copysign(x, y)
    e = math.copysign(x, y)
    assert type(r) is float
    if math.isnan(e):
        assert math.isnan(r)
        assert math.copysign(1.0, r) == math.copysign(1.0, e)
    else:
        assert r == e and math.copysign(1.0, r) == math.copysign(1.0, e)


@SETTINGS
@given(x=st.floats(1e-3, 1e3), y=st.floats(-40.0, 40.0))
def test_pow_valid(x, y):
    domain_check(m_pow, x, y)
    domain_check(m_pow, -x, float(round(y)))


@FEW
@given(x=any_floats, y=any_floats)
def test_pow_any(x, y):
    domain_check(m_pow, x, y)


def test_pow_examples():
    assert math.isnan(m_pow(-8.0, 1.0 / 3.0))
    assert m_pow(2.0, 10.0) == 1024.0
    assert m_pow(2, 3) == 8.0 and type(m_pow(2, 3)) is float
    assert m_pow(10.0, 400.0) == math.inf
    assert m_pow(0.0, -1.0) == math.inf


@SETTINGS
@given(x=finite_floats, y=finite_floats.filter(lambda v: v != 0.0))
def test_fmod(x, y):
    r = m_fmod(x, y)
    e = math.fmod(x, y)
    assert r == e and math.copysign(1.0, r) == math.copysign(1.0, e)


def test_fmod_domain():
    assert math.isnan(m_fmod(1.0, 0.0))
    assert math.isnan(m_fmod(math.inf, 2.0))
    assert m_fmod(-7, 3) == -1.0


@SETTINGS
@given(a=st.integers(INT64_MIN + 1, INT64_MAX), b=st.integers(INT64_MIN + 1, INT64_MAX))
def test_gcd(a, b):
    r = m_gcd(a, b)
    assert type(r) is int
    assert r == math.gcd(a, b)
    assert_compiled(m_gcd)


@FEW
@given(a=small_ints, b=small_ints)
def test_gcd_small(a, b):
    assert m_gcd(a, b) == math.gcd(a, b)


def test_constants():
    pi, e, inf, nan, tau = constants()
    assert pi == math.pi and e == math.e and inf == math.inf and tau == math.tau
    assert math.isnan(nan)
    assert_compiled(constants)


@FEW
@given(r=finite_floats)
def test_constants_in_expression(r):
    e = uses_pi.py_func(r)
    got = uses_pi(r)
    assert close(got, e, rel_tol=REL) or (math.isnan(e) and math.isnan(got))


# --- cmath -----------------------------------------------------------------------------

def cclose(a, b, rel=REL):
    return abs(a - b) <= rel * max(abs(b), 1e-300)


@SETTINGS
@given(z=complexes)
def test_cmath_sqrt(z):
    r = c_sqrt(z)
    assert type(r) is complex
    assert cclose(r, cmath.sqrt(z)), (z, r, cmath.sqrt(z))
    assert_compiled(c_sqrt)


@SETTINGS
@given(z=st.complex_numbers(max_magnitude=600, allow_nan=False, allow_infinity=False))
def test_cmath_exp(z):
    r = c_exp(z)
    assert type(r) is complex
    assert cclose(r, cmath.exp(z)), (z, r, cmath.exp(z))


@SETTINGS
@given(z=complexes)
def test_cmath_phase(z):
    r = c_phase(z)
    assert type(r) is float
    # cmath.phase raises OverflowError when atan2 underflows (phase(2+5e-324j));
    # math.atan2 gives the same value without that check
    assert close(r, math.atan2(z.imag, z.real), rel_tol=REL)


@SETTINGS
@given(z=complexes)
def test_abs_complex(z):
    r = c_abs(z)
    assert type(r) is float
    assert close(r, abs(z), rel_tol=REL)


def test_cmath_examples():
    assert c_sqrt(-1 + 0j) == 1j
    assert c_sqrt(4 + 0j) == 2 + 0j
    assert c_abs(3 + 4j) == 5.0
    assert c_phase(-1 + 0j) == math.pi
    assert c_phase(complex(-1.0, -0.0)) == -math.pi
    assert cclose(c_exp(1j * math.pi), -1 + 1.2246467991473532e-16j, rel=1e-15)


@pytest.mark.parametrize("z", [complex(-4, -0.0), complex(-4, 0.0), complex(0.0, -0.0),
                               complex(-0.0, 0.0), complex(math.inf, math.nan),
                               complex(-math.inf, 1.0), complex(1e308, 1e308),
                               complex(5e-324, 5e-324), complex(-1e-300, -0.0)])
def test_cmath_special_values(z):
    for f, ref in ((c_sqrt, cmath.sqrt), (c_abs, abs)):
        r, e = f(z), ref(z)
        assert repr(r) == repr(e), (f.__name__, z, r, e)
