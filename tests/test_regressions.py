"""Behaviour found wrong in review, each pinned by a test."""
import cmath

import numpy as np
import pytest

import pyjit
from pyjit import jit, njit, types


# --- limits: errors, never crashes ----------------------------------------------

def test_more_than_255_parameters_is_a_type_error():
    names = ", ".join(f"a{i}" for i in range(300))
    ns = {}
    exec(f"def g({names}):\n    return a0\n", ns)
    with pytest.raises(TypeError, match="at most 255 parameters"):
        njit(ns["g"])


@njit
def first(t):
    return 1


def test_deeply_nested_tuple_argument_is_a_typing_error():
    t = ()
    for _ in range(5000):
        t = (t,)
    with pytest.raises(pyjit.TypingError, match="cannot determine pyjit type"):
        first(t)
    assert first((1, 2)) == 1


# --- constants of NumPy scalar types ----------------------------------------------

FLAG = np.True_
SMALL = np.uint8(3)
BIG = np.uint64(2**64 - 1)
PAIR = (np.int16(-4), np.float32(0.5))


@njit
def numpy_globals():
    n = 0
    if FLAG:
        n = 1
    return n, SMALL + 1, BIG, PAIR[0] * 2, PAIR[1]


@njit
def takes_default(x, z=np.uint16(5), flag=np.True_):
    return x + z, flag


@njit
def passes_default(x):
    return takes_default(x)


def test_numpy_scalar_constants_keep_their_values():
    assert numpy_globals() == (1, 4, 2**64 - 1, -8, 0.5)
    assert passes_default(1) == (6, True)


# --- values pyjit cannot type are errors in nopython mode, not None ------------

def identity(x):
    return x


def test_untypable_argument_raises_in_nopython_and_passes_in_object_mode():
    untypable = object()
    with pytest.raises(pyjit.TypingError, match="pyobject"):
        njit(identity)(untypable)
    f = jit(identity)
    with pytest.warns(pyjit.PyjitWarning, match="object mode"):
        assert f(untypable) is untypable
    assert f(2) == 2
    assert f.overloads[f.signatures[0]].objectmode
    assert not f.overloads[f.signatures[1]].objectmode


# --- values that have no Python object -------------------------------------------

@njit
def make_range(n):
    return range(n)


@njit
def sum_range(n):
    s = 0
    for i in make_range(n):
        s += i
    return s


def test_returning_a_range_to_python_is_a_type_error():
    with pytest.raises(TypeError, match="cannot return a value of type "
                                        "range_state_int64 to Python"):
        make_range(3)
    assert sum_range(5) == 10          # jitted callers still get the range


# --- complex powers of zero -------------------------------------------------------

@njit
def cpow(z, e):
    return z ** e


def test_complex_zero_to_a_negative_power_raises():
    with pytest.raises(ZeroDivisionError):
        cpow(0j, -1 + 0j)
    with pytest.raises(ZeroDivisionError):
        cpow(0j, 1j)
    assert cpow(0j, 2 + 0j) == 0j
    assert cmath.isclose(cpow(1 + 1j, 2 + 0j), (1 + 1j) ** 2)


# --- functions that only raise ---------------------------------------------------

@njit
def fail(msg_code):
    raise ValueError("always")


@njit
def guarded(x):
    if x < 0:
        fail(0)
    return x * 2


def test_a_function_that_only_raises_returns_none_type():
    with pytest.raises(ValueError, match="always"):
        fail(1)
    assert fail.overloads[fail.signatures[0]].return_type == types.none
    assert guarded(4) == 8
    with pytest.raises(ValueError, match="always"):
        guarded(-1)


# --- mutual recursion, whichever function is called first -------------------------

@njit
def ping(n):
    if n == 0:
        return 0
    return pong(n - 1)


@njit
def pong(n):
    if n == 5:
        raise ValueError("five")
    return ping(n) + 1


def test_mutual_recursion_compiles_from_either_end():
    assert pong(3) == pong.py_func(3) == 4
    with pytest.raises(ValueError, match="five"):
        pong(7)
    assert ping(4) == ping.py_func(4) == 4


# --- exception classes are raised by name ----------------------------------------

class ModuleLevelError(Exception):
    pass


@njit
def raises_module_level(x):
    if x:
        raise ModuleLevelError("module level")
    return 0


def test_exception_class_defined_in_a_function_is_unsupported():
    class LocalError(Exception):
        pass

    @njit
    def raises_local(x):
        if x:
            raise LocalError("local")
        return 0

    with pytest.raises(pyjit.UnsupportedError, match="define it at module"):
        raises_local(1)
    with pytest.raises(ModuleLevelError, match="module level"):
        raises_module_level(1)


# --- positional-only parameters ----------------------------------------------------

@njit
def posonly(a, b, /, c=1):
    return a - b + c


def test_positional_only_parameters_refuse_keywords():
    assert posonly(5, 2, c=3) == 6
    with pytest.raises(TypeError, match="positional-only"):
        posonly(a=5, b=2)


# --- explicit signatures convert as Numba's do -----------------------------------

def test_declared_return_types_cast():
    def ident(x):
        return x
    assert njit("int32(int64)")(ident)(3) == 3
    assert njit("float32(float64)")(ident)(1.5) == 1.5
    assert njit("int64(float64)")(ident)(2.75) == 2


def test_signed_int_to_unsigned_parameter_is_range_checked():
    def ident(x):
        return x
    u8 = njit("uint8(uint8)")(ident)
    assert u8(200) == 200
    with pytest.raises(OverflowError):
        u8(300)
    with pytest.raises(OverflowError):
        u8(-1)


def test_optional_parameter_takes_its_type_or_none():
    def bump(x):
        if x is None:
            return 0
        return x + 1
    f = njit(types.int64(types.Optional(types.int64)))(bump)
    assert f(3) == 4
    assert f(None) == 0


# --- expressions in unreachable code --------------------------------------------

@njit
def dead_ifexp(a):
    return 0
    x = 1 if a else 2       # noqa: F841 - never runs


@njit
def dead_after_break(n):
    s = 0
    for i in range(n):
        s += i
        break
        s = 1 if i else 2
    while True:
        break
        s = (3 if s else 4) + (s < 1 < n)
    return s


def test_expressions_after_return_or_break_compile():
    assert dead_ifexp(1) == 0
    assert dead_after_break(5) == dead_after_break.py_func(5) == 0


# --- a tuple holding a slice, passed between jitted functions ---------------

@njit
def sum_part(a, t):
    return a[t[0]].sum() + t[1]


@njit
def passes_a_slice_in_a_tuple(a, lo, hi):
    return sum_part(a, (slice(lo, hi), 2))


def test_a_tuple_holding_a_slice_passes_between_jitted_functions():
    # the callee's Python wrapper has no slice to unbox; building it must
    # not crash the compile
    a = np.arange(6.0)
    for lo, hi in [(1, 3), (0, 6), (4, 2), (-3, -1)]:
        assert passes_a_slice_in_a_tuple(a, lo, hi) == a[lo:hi].sum() + 2
