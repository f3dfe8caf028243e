"""Idioms of libraries written for Numba (numba-stats among them), each
against the plain Python function or Numba's documented behaviour, each
checking nopython compilation: type(x)(1), a C function given by
WrapperAddressProtocol or get_cython_function_address, an overload whose
typing function exec made, Optional parameters and objmode outputs."""
import ctypes
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import pyjit
from pyjit import njit, objmode, types
from pyjit.extending import get_cython_function_address, overload
from pyjit.types import WrapperAddressProtocol, float64

from difftest import FEW, assert_compiled, assert_same, mod_floats

pytest.importorskip("scipy.special.cython_special")


@njit
def inverse_of_same_type(scale):
    return type(scale)(1) / scale


@FEW
@given(x=st.floats(0.1, 100.0))
def test_type_of_a_number_converts(x):
    assert_same(inverse_of_same_type(x), inverse_of_same_type.py_func(x))
    got = inverse_of_same_type(np.float32(x))
    assert type(got) is float and got == float(np.float32(1) / np.float32(x))
    assert_compiled(inverse_of_same_type)


_ERF_ADDR = get_cython_function_address("scipy.special.cython_special",
                                        "__pyx_fuse_1erf")


class _Erf(WrapperAddressProtocol):
    def __wrapper_address__(self):
        return _ERF_ADDR

    def signature(self):
        return float64(float64)


erf_wrapped = _Erf()
erf_ctypes = ctypes.CFUNCTYPE(ctypes.c_double, ctypes.c_double)(_ERF_ADDR)


@njit
def erf_both(x):
    return erf_wrapped(x), erf_ctypes(x)


@FEW
@given(x=mod_floats)
def test_cython_function_by_address(x):
    a, b = erf_both(x)
    assert a == b == math.erf(x) or abs(a - math.erf(x)) < 1e-15
    assert_compiled(erf_both)


def test_unknown_cython_function_is_a_value_error():
    with pytest.raises(ValueError, match="exports no function 'nope'"):
        get_cython_function_address("scipy.special.cython_special", "nope")


def _half(x):
    return x / 2


def halve(x):
    return x / 2


exec("""
@overload(halve, inline="always")
def _ol_halve(x):
    return _half
""")


@njit
def use_halve(x):
    return halve(x)


def test_overload_typing_function_made_by_exec():
    assert use_halve(3.0) == 1.5
    assert_compiled(use_halve)


@njit(types.int64(types.optional(types.uint64)))
def seed_or_default(seed):
    if seed is None:
        with objmode(seed="optional(uint8)"):
            seed = np.uint64(2**40 + 7)     # kept to its low 8 bits
    return seed


def test_optional_parameter_and_objmode_output():
    assert seed_or_default(5) == 5          # an int64 for Optional(uint64)
    assert seed_or_default(None) == 7
    assert seed_or_default(np.uint64(9)) == 9


@njit(types.int64(types.optional(types.int64)))
def value_or_zero(x):
    return 0 if x is None else x


@njit(types.int64(types.optional(types.int64)))
def unwrap(x):
    return x


def test_optional_returned_as_its_value():
    assert value_or_zero(5) == 5 and value_or_zero(None) == 0
    assert unwrap(4) == 4
    with pytest.raises(TypeError, match="expected int64, got None"):
        unwrap(None)


def test_objmode_output_type_that_cannot_unbox_is_refused():
    @njit
    def f():
        with objmode(r="pyobject"):
            r = object()
        return 1

    with pytest.raises(pyjit.errors.TypingError,
                       match="an output of type pyobject cannot be taken"):
        f()
