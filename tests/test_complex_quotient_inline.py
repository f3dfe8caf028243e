"""Complex division is compiled inline (Smith's method, as CPython's
_Py_c_quot) and the complex functions of the runtime return their result
in registers.  Differential tests against CPython and NumPy over generated
values, special values included, bit for bit; each checks that the code
compiled in nopython mode.  IR checks say what the code calls."""
import cmath
import math

import hypothesis.strategies as st
import numpy as np
from hypothesis import given

from difftest import FEW, SETTINGS, assert_compiled
from pyjit import njit

SPECIAL = [0.0, -0.0, 1.0, -1.0, 0.5, 3.0, -2.5, 1e-310, -1e-310, 1e308,
           -1e308, 2.0 ** -1074, math.inf, -math.inf, math.nan]
parts = st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                  st.sampled_from(SPECIAL),
                  st.floats(-1e6, 1e6))
complexes = st.builds(complex, parts, parts)
finite_parts = st.one_of(st.floats(-700, 700), st.sampled_from(SPECIAL[:11]))
finite = st.builds(complex, finite_parts, finite_parts)


def same(x, y):
    """Bit-for-bit equality of two complex numbers, NaN equal to NaN."""
    def eq(a, b):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    return eq(x.real, y.real) and eq(x.imag, y.imag)


def outcome(f, *args):
    try:
        return f(*args)
    except ZeroDivisionError as e:
        return ("ZeroDivisionError", str(e))


def check(f, *args):
    got, want = outcome(f, *args), outcome(f.py_func, *args)
    if isinstance(want, tuple):
        assert got == want, (args, got, want)
    else:
        assert same(got, want), (args, got, want)
    assert_compiled(f)


@njit
def quotient(a, b):
    return a / b


@njit
def quotient_loop(a, b, n):
    s = 0j
    for i in range(n):
        s += a / (b + i)
    return s


@njit
def log_base(z, b):
    return cmath.log(z, b)


@njit
def power(z, w):
    return z ** w


@njit
def funcs(z):
    return cmath.exp(z), cmath.sqrt(z), cmath.log(z)


@given(complexes, complexes)
@SETTINGS
def test_division_is_cpythons_bit_for_bit(a, b):
    check(quotient, a, b)


@given(complexes, st.sampled_from([1 + 0j, 0.5 - 2j, 1e-300 + 1e300j]),
       st.integers(0, 6))
@FEW
def test_division_in_a_loop(a, b, n):
    check(quotient_loop, a, b, n)


@njit
def log_of(z):
    return cmath.log(z)


@given(finite, finite)
@FEW
def test_log_with_a_base_divides_as_cpython(z, b):
    """log(z, b) is log(z) / log(b) with CPython's division (the logs are
    the C library's, which may differ from CPython's in the last bit)."""
    if z == 0 or b == 0:
        return      # log(0) is a domain question, not the division's
    lb = log_of(b)
    if lb == 0:
        try:
            log_base(z, b)
        except ValueError:
            return
        raise AssertionError(f"log({z}, {b}) did not raise")
    want = log_of(z) / lb
    assert same(log_base(z, b), want), (z, b, log_base(z, b), want)
    assert_compiled(log_base)


@given(finite, st.one_of(st.integers(-5, 5).map(complex),
                         st.builds(complex, st.floats(-3, 3),
                                   st.floats(-3, 3))))
@FEW
def test_power_as_cpython(z, w):
    try:
        z ** w
    except (ZeroDivisionError, OverflowError):
        return      # CPython raises where Numba's answer is inf or nan
    check(power, z, w)


@given(st.builds(complex, st.floats(-700, 700), st.floats(-1e6, 1e6)))
@FEW
def test_exp_sqrt_log_match_cmath(z):
    e, s, l = funcs(z)
    assert cmath.isclose(e, cmath.exp(z), rel_tol=1e-15, abs_tol=1e-300)
    assert same(s, cmath.sqrt(z)), (z, s, cmath.sqrt(z))
    if z != 0:
        assert cmath.isclose(l, cmath.log(z), rel_tol=1e-15, abs_tol=1e-300)
    assert_compiled(funcs)


@njit(error_model="numpy")
def numpy_quotient(a, b):
    return a / b


@given(complexes)
@FEW
def test_division_by_zero_under_numpy_gives_numpys_answer(a):
    for zero in (0j, complex(0.0, -0.0), complex(-0.0, 0.0)):
        with np.errstate(all="ignore"):
            want = complex(np.complex128(a) / np.complex128(zero))
        assert same(numpy_quotient(a, zero), want), (a, zero)


@given(st.builds(complex, st.floats(-1e30, 1e30), st.floats(-1e30, 1e30)),
       st.builds(complex, st.floats(-1e30, 1e30), st.floats(-1e30, 1e30)))
@FEW
def test_complex64_divides_in_double_and_rounds(a, b):
    x, y = np.complex64(a), np.complex64(b)
    if y == 0:
        return
    want = np.complex64(complex(x) / complex(y))
    got = quotient(x, y)        # a Python complex, as Numba returns it
    assert same(complex(got), complex(want)), (x, y, got, want)


@njit
def exp_of(z):
    return cmath.exp(z)


@given(st.one_of(complexes, st.builds(complex, st.floats(-720, 720),
                                      st.floats(-1e4, 1e4))))
@SETTINGS
def test_exp_is_the_c_librarys_cexp_bit_for_bit(z):
    """NumPy's complex exp is the C library's cexp; the inline path must
    give its bits where it applies and defer to it elsewhere."""
    with np.errstate(all="ignore"):
        want = complex(np.exp(np.complex128(z)))
    assert same(exp_of(z), want), (z, exp_of(z), want)
    assert_compiled(exp_of)


def llvm_of(f):
    return "\n".join(f.inspect_llvm().values())


def test_division_calls_nothing_and_helpers_return_in_registers():
    quotient(1 + 2j, 3 - 4j)
    ir = llvm_of(quotient)
    assert "cdiv" in ir and "call" not in ir.split("define")[1].split("}")[0]
    funcs(1j)
    ir = llvm_of(funcs)
    assert "declare { double, double } @pj_rt_cexp(double, double)" in ir
    assert "declare { double, double } @pj_rt_csqrt(double, double)" in ir
