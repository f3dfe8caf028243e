"""Differential tests: the rest of math and cmath in nopython code
(pyjit/_math_rest.py) against CPython's own functions, bit for bit, with
CPython's exceptions and messages for bad arguments."""
import cmath
import math

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given

from difftest import FEW, assert_compiled, check
from pyjit import njit

small = st.integers(-3, 25)
finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
any_float = st.floats(allow_nan=True, allow_infinity=True)
moderate = st.floats(-30.0, 30.0, allow_nan=False, allow_infinity=False)
zs = st.builds(complex, moderate, moderate)


@njit
def factorial(n):
    return math.factorial(n)


@njit
def comb_perm(n, k):
    return math.comb(n, k), math.perm(n, k), math.perm(n)


@njit
def isqrt(n):
    return math.isqrt(n)


@njit
def lcm(a, b):
    return math.lcm(a, b)


@njit
def prod(a, b, c):
    return math.prod((a, b, c)), math.prod((a, b), start=c)


@FEW
@given(small)
def test_factorial(n):
    check(factorial, n)


@FEW
@given(small, small)
def test_comb_and_perm(n, k):
    # perm(n) alone raises first for a negative n, as in CPython
    check(comb_perm, n, k)


@FEW
@given(st.one_of(st.integers(-2, 10 ** 6), st.integers(0, 2 ** 62)))
def test_isqrt(n):
    check(isqrt, n)


@FEW
@given(st.integers(-10 ** 4, 10 ** 4), st.integers(-10 ** 4, 10 ** 4))
def test_lcm(a, b):
    check(lcm, a, b)


@FEW
@given(finite, finite, finite)
def test_prod(a, b, c):
    check(prod, a, b, c)


@njit
def isclose(a, b, rel, ab):
    return math.isclose(a, b), math.isclose(a, b, rel_tol=rel, abs_tol=ab)


@FEW
@given(any_float, any_float, st.sampled_from([1e-9, 1e-3, 0.0, -1.0]),
       st.sampled_from([0.0, 1e-6, 1.0]))
def test_isclose(a, b, rel, ab):
    check(isclose, a, b, rel, ab)
    check(isclose, a, a * (1 + 1e-10), rel, ab)


@njit
def modf_frexp(x):
    return math.modf(x), math.frexp(x)


@FEW
@given(st.one_of(any_float, st.sampled_from([0.0, -0.0, 5e-324, -2.5,
                                               1e300, 2.0 ** 60 + 0.5])))
def test_modf_and_frexp(x):
    check(modf_frexp, x)


@njit
def ldexp(x, i):
    return math.ldexp(x, i)


@FEW
@given(st.one_of(any_float, st.sampled_from([5e-324, 0.75, -1.5, 1e308])),
       st.one_of(st.integers(-1100, 1100), st.sampled_from([-1075, -1074,
                                                              1024, 0])))
def test_ldexp(x, i):
    check(ldexp, x, i)


@njit
def fsum_array(a):
    return math.fsum(a)


@njit
def fsum_list(a, b, c):
    return math.fsum([a, b, c, -a])


@FEW
@given(st.lists(st.one_of(finite, st.sampled_from([1e308, -1e308, 1e-300,
                                                  1e16, 1.0, -1e16])),
                max_size=12))
def test_fsum_is_exactly_rounded(values):
    check(fsum_array, np.array(values, np.float64))


@FEW
@given(any_float, any_float, any_float)
def test_fsum_of_specials(a, b, c):
    check(fsum_list, a, b, c)


@njit
def c_tests(z):
    return cmath.isnan(z), cmath.isinf(z), cmath.isfinite(z)


@FEW
@given(st.builds(complex, any_float, any_float))
def test_cmath_tests(z):
    check(c_tests, z)


@njit
def polar_rect(z, r, phi):
    return cmath.polar(z), cmath.rect(r, phi), cmath.log10(z)


@FEW
@given(zs.filter(lambda z: z != 0), finite, moderate)
def test_polar_rect_log10(z, r, phi):
    check(polar_rect, z, r, phi)


def _jitted(name):
    f = getattr(cmath, name)

    def call(z):
        return f(z)
    call.__name__ = name
    return njit(call)


CMATH = {name: _jitted(name) for name in (
    "sin", "cos", "tan", "sinh", "cosh", "tanh", "asin", "acos", "atan",
    "asinh", "acosh", "atanh")}


@pytest.mark.parametrize("name", sorted(CMATH))
@FEW
@given(z=st.one_of(zs, st.sampled_from([0j, -0j, complex(-0.0, 0.5),
                                        complex(1.0, 0.0), 2 + 0j,
                                        complex(800.0, 1.0), 1 + 1e-160j,
                                        complex(1e160, -2.0),
                                        complex(-720.0, 0.25)])))
def test_cmath_functions_are_cpythons(name, z):
    check(CMATH[name], z)


# A value of each of CPython's classes of a part: infinite, finite and
# not zero (small, moderate, near overflow), signed zeros, NaN.
PARTS = [-math.inf, -1e300, -2.5, -1e-300, -0.0, 0.0, 1e-300, 0.75, 3.0,
         1e300, math.inf, math.nan]


@pytest.mark.parametrize("name", ["sin", "cos", "tan", "sinh", "cosh", "tanh",
                                  "log10"])
def test_arguments_with_infinite_or_nan_parts_are_cpythons(name):
    # CPython's tables of special values (and its ValueError where it
    # gives one), as Numba gives them
    f = CMATH.get(name) or _jitted(name)
    for re in PARTS:
        for im in PARTS:
            check(f, complex(re, im))


@njit
def log_base(z, base):
    return cmath.log(z, base)


@FEW
@given(zs.filter(lambda z: z != 0),
       st.one_of(zs.filter(lambda z: z != 0), st.floats(0.01, 100.0),
                 st.sampled_from([1, 1.0, 1 + 0j, 10, 2.0])))
def test_log_with_a_base_is_cpythons(z, base):
    # log(z) is the C library's clog, as the one-argument cmath.log: within
    # an ulp or two of CPython's, not bit for bit
    try:
        want = cmath.log(z, base)
    except ValueError as e:
        with pytest.raises(ValueError, match=str(e)):
            log_base(z, base)
        return
    got = log_base(z, base)
    assert type(got) is complex
    assert abs(got - want) <= 1e-15 * abs(want), (got, want)
    assert_compiled(log_base)
