"""cmath.sqrt in compiled code is CPython's, to the last bit (the C library's
csqrt rounds sqrt(1j) differently), and so are the functions built on it."""
import cmath

import hypothesis.strategies as st
from hypothesis import given

from pyjit import njit
from difftest import SETTINGS, assert_compiled


@njit
def sqrt_and_inverses(z):
    return cmath.sqrt(z), cmath.acosh(z), cmath.acos(z), cmath.asinh(z)


def same(z):
    got = sqrt_and_inverses(z)
    want = sqrt_and_inverses.py_func(z)
    assert repr(got) == repr(want), (z, got, want)


def test_values_where_the_c_library_rounds_otherwise():
    for z in (1j, 1 + 1j, -1j, 2 + 1j, 1e-310 + 1e-310j, complex(-0.0, 0.0),
              complex(0.0, -0.0), complex(-2.0, -0.0), 5e-324j):
        same(z)
    assert_compiled(sqrt_and_inverses)


@given(st.complex_numbers(max_magnitude=1e300, allow_nan=False,
                          allow_infinity=False))
@SETTINGS
def test_finite_arguments(z):
    same(z)
