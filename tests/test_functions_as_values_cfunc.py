"""First-class function types: @cfunc gives a jitted function a C entry
(`address`, `ctypes`, `native_name`, usable with ctypes and
scipy.LowLevelCallable), and FunctionType(sig) / sig.as_type() is the type of
functions known only when the code runs: a cfunc passed as an argument is
called through its address, one specialization for every function of the
signature.  Differential tests against the plain Python functions."""
import ctypes
import math
import sys

import hypothesis.strategies as st
import pytest
import scipy.integrate
from hypothesis import given
from scipy import LowLevelCallable

import pyjit
from difftest import FEW, SETTINGS, assert_compiled, assert_same, mod_floats
from pyjit import cfunc, njit, types
from pyjit.errors import TypingError


@cfunc("float64(float64)")
def c_square(x):
    return x * x


@cfunc("float64(float64)")
def c_shift(x):
    return x - 0.75


@cfunc(types.float64(types.float64))
def c_recip(x):
    return 1.0 / x


@cfunc("int64(int64, int64)")
def c_mix(a, b):
    return a * 31 + b


@cfunc("float32(float32)")
def c_half(x):
    return x * 0.5


@njit
def call_through(f, x):
    return f(x)


@njit
def sum_over(fs, x):
    s = 0.0
    for f in fs:
        s += f(x)
    return s


@njit
def uses_global_cfunc(x):
    return c_square(x) + 1.0


FT = types.float64(types.float64).as_type()


# --- cfunc ---------------------------------------------------------------------------------

def test_cfunc_attributes():
    assert isinstance(c_square.address, int) and c_square.address != 0
    assert c_square.native_name.startswith("cfunc.")
    assert str(c_square.signature) == "(float64,) -> float64"
    assert c_square.py_func(3.0) == 9.0
    proto = ctypes.CFUNCTYPE(ctypes.c_double, ctypes.c_double)
    assert proto(c_square.address)(3.0) == 9.0


@given(mod_floats)
@SETTINGS
def test_cfunc_called_from_python_and_ctypes(x):
    assert_same(c_square(x), c_square.py_func(x))
    assert_same(c_square.ctypes(x), c_square.py_func(x))
    assert_same(c_shift(x), c_shift.py_func(x))


@given(st.integers(-2**40, 2**40), st.integers(-2**40, 2**40))
@FEW
def test_cfunc_of_integers(a, b):
    assert c_mix(a, b) == c_mix.py_func(a, b)


def test_cfunc_of_float32():
    assert c_half(3.0) == 1.5
    assert c_half.ctypes.restype is ctypes.c_float


def test_scipy_quad_with_a_low_level_callable():
    value, _ = scipy.integrate.quad(LowLevelCallable(c_square.ctypes), 0.0, 1.0)
    assert abs(value - 1.0 / 3.0) < 1e-12
    value, _ = scipy.integrate.quad(LowLevelCallable(c_shift.ctypes), 0.0, 2.0)
    assert abs(value - (2.0 - 1.5)) < 1e-12


def test_an_exception_in_a_cfunc_is_reported_and_the_call_returns_zero(monkeypatch):
    seen = []
    monkeypatch.setattr(sys, "unraisablehook", seen.append)
    assert c_recip(0.0) == 0.0
    assert len(seen) == 1
    assert seen[0].exc_type is ZeroDivisionError
    assert "cfunc" in str(seen[0].object)
    assert c_recip(4.0) == 0.25
    assert len(seen) == 1


def test_cfunc_signatures_are_c_numbers():
    with pytest.raises(TypeError, match="a cfunc takes and returns int32, int64"):
        @cfunc("complex128(complex128)")
        def bad(x):
            return x

    with pytest.raises(TypeError, match="needs a return type"):
        @cfunc("(float64,)")
        def no_return(x):
            return x

    with pytest.raises(TypeError, match="takes a signature"):
        @cfunc
        def bare(x):
            return x


def test_a_cfunc_that_does_not_compile_says_why():
    with pytest.raises(TypingError):
        @cfunc("float64(float64)")
        def bad(x):
            return x.nothing


def test_compiled_code_calls_a_cfunc_global_directly():
    assert uses_global_cfunc(3.0) == 10.0
    assert_compiled(uses_global_cfunc)


# --- FunctionType ----------------------------------------------------------------------------

def test_function_type_spellings():
    assert FT is types.FunctionType(types.float64(types.float64))
    assert str(FT) == "FunctionType[float64(float64)]"
    assert pyjit.typeof(c_square) is FT
    assert pyjit.typeof(c_shift) is FT
    assert str(pyjit.typeof(c_mix)) == "FunctionType[int64(int64, int64)]"
    with pytest.raises(TypeError, match="takes a signature"):
        types.FunctionType(types.float64)
    with pytest.raises(TypeError, match="FunctionType takes and returns"):
        types.boolean(types.float64).as_type()


@given(st.sampled_from([c_square, c_shift]), mod_floats)
@SETTINGS
def test_a_cfunc_argument_is_called_through_its_address(f, x):
    assert_same(call_through(f, x), f.py_func(x))
    assert_compiled(call_through)


def test_one_specialization_serves_every_function_of_the_signature():
    @njit
    def twice(f, x):
        return f(f(x))

    assert twice(c_square, 3.0) == 81.0
    assert twice(c_shift, 3.0) == 1.5
    assert [tuple(map(str, s)) for s in twice.signatures] == [
        ("FunctionType[float64(float64)]", "float64")]


@given(mod_floats)
@FEW
def test_a_tuple_of_cfuncs_is_iterated(x):
    fs = (c_square, c_shift, c_square)
    assert str(pyjit.typeof(fs)) == "UniTuple(FunctionType[float64(float64)] x 3)"
    expected = sum(f.py_func(x) for f in fs)
    assert abs(sum_over(fs, x) - expected) <= 1e-9 * max(1.0, abs(expected))
    assert_compiled(sum_over)


def test_explicit_signature_with_a_function_type():
    @njit(types.float64(FT, types.float64))
    def explicit(f, x):
        return f(x) * 2.0

    assert explicit(c_square, 3.0) == 18.0
    assert explicit(c_shift, 3.0) == 4.5


def test_arguments_convert_to_the_signature():
    assert call_through(c_square, 3) == 9.0


def test_wrong_number_of_arguments_is_a_typing_error():
    @njit
    def two_args(f, x):
        return f(x, x)

    with pytest.raises(TypingError, match="number of arguments"):
        two_args(c_square, 1.0)


def test_a_function_type_does_not_go_back_to_python():
    @njit
    def give_back(f):
        return f

    with pytest.raises(TypeError, match=r"cannot return a value of type FunctionType"):
        give_back(c_square)


def test_math_with_cfuncs_matches_python():
    @cfunc("float64(float64)")
    def c_sin_sq(x):
        return math.sin(x) ** 2

    value, _ = scipy.integrate.quad(LowLevelCallable(c_sin_sq.ctypes), 0.0, math.pi)
    assert abs(value - math.pi / 2) < 1e-10
