"""np.modf and np.frexp, the NumPy ufuncs of two results: of an array,
two arrays of its shape; of a number or a 0-d array, two numbers.  And a.item(), the
element of an array of one; a.real and a.imag of a real array (a
complex array's are views, csrc/array_view.c); a.nbytes, and a.flags
(c_contiguous, f_contiguous, contiguous, from the strides as the call
runs).

The results are in the float dtype NumPy's loops choose for the input:
the input's own for floats, float32 for 16-bit integers, float64 for
wider integers; the exponents of np.frexp are int32.  NumPy computes
8-bit integers and booleans in float16, which compiled code has no type
for: those are a TypingError.
"""
import collections
import math

import numpy as np

from . import errors
from . import types as _types
from ._core import _data_address
from .extending import overload, overload_attribute


def _result_zero(x):
    pass


@overload(_result_zero)
def _result_zero_typer(x):
    """0 in the float dtype NumPy's loop of a float ufunc takes x in."""
    et = x.dtype if isinstance(x, _types.Array) else x
    if isinstance(et, _types.Float):
        return lambda x: et(0)
    if isinstance(et, _types.Integer) and et.bitwidth > 16:
        return lambda x: 0.0
    if isinstance(et, _types.Integer) and et.bitwidth == 16:
        return lambda x: np.float32(0)
    return None


def _check(name, x):
    et = x.dtype if isinstance(x, _types.Array) else x
    if not isinstance(et, (_types.Integer, _types.Float, _types.Boolean)):
        raise errors.TypingError(f"np.{name} takes real arrays or numbers, "
                                 f"not {x}")
    if not isinstance(et, _types.Float) and et.bitwidth <= 8:
        raise errors.TypingError(
            f"np.{name} of {et} computes in float16, which compiled code "
            f"does not have: convert the argument to float32 first")


def _apply(x, part, second):
    """(first, second) arrays of x's shape: part(v) of each element v as
    a float of the result dtype (second the zero of the second array)."""
    zero = _result_zero(x)
    first = np.full(x.shape, zero)
    other = np.full(x.shape, second)
    src = x.ravel()
    a = first.reshape(first.size)
    b = other.reshape(other.size)
    for i in range(src.size):
        a[i], b[i] = part(float(src[i]))
    return first, other


def _is_0d(x):
    return isinstance(x, _types.Array) and x.ndim == 0


@overload(np.modf)
def _modf(x):
    _check("modf", x)
    if _is_0d(x):               # NumPy's: two numbers
        return lambda x: np.modf(x[()])
    if isinstance(x, _types.Array):
        return lambda x: _apply(x, math.modf, _result_zero(x))

    def scalar(x):
        cast = type(_result_zero(x))        # keeps the sign of -0.0
        f, i = math.modf(float(x))
        return cast(f), cast(i)
    return scalar


@overload(np.frexp)
def _frexp(x):
    _check("frexp", x)
    if _is_0d(x):
        return lambda x: np.frexp(x[()])
    if isinstance(x, _types.Array):
        return lambda x: _apply(x, math.frexp, np.int32(0))

    def scalar(x):
        m, e = math.frexp(float(x))
        return type(_result_zero(x))(m), np.int32(e)
    return scalar


def item(a):
    """The element of an array of size 1 (a.item() without arguments)."""
    if a.size != 1:
        raise ValueError("can only convert an array of size 1 to a Python "
                         "scalar")
    return np.ravel(a)[0]


@overload_attribute(_types.Array, "nbytes")
def _array_nbytes(a):
    return lambda a: a.size * a.itemsize


# a.flags: the layout flags Numba's ArrayFlags has, read from the shape and
# strides when the call runs (an array typed A may be contiguous)
ArrayFlags = collections.namedtuple(
    "flags", ["c_contiguous", "f_contiguous", "contiguous"])


def _c_contiguous(shape, strides, itemsize):
    """NumPy's rule: an empty array is contiguous; dimensions of length 1
    do not count; every other stride is the size of what follows it."""
    for n in shape:
        if n == 0:
            return True
    expected = itemsize
    for k in range(len(shape) - 1, -1, -1):
        if shape[k] != 1:
            if strides[k] != expected:
                return False
            expected *= shape[k]
    return True


@overload_attribute(_types.Array, "flags")
def _array_flags(a):
    if a.ndim == 0:
        return lambda a: ArrayFlags(True, True, True)

    def flags(a):
        c = _c_contiguous(a.shape, a.strides, a.itemsize)
        f = _c_contiguous(a.shape[::-1], a.strides[::-1], a.itemsize)
        return ArrayFlags(c, f, c)
    return flags


# a.ctypes: Numba's ArrayCTypes, whose `data` is the address of the first
# element; it holds the array too, which keeps that memory alive while the
# value is used (numba.np.linalg._LAPACK's routines take it,
# pyjit/_numba_lapack.py)
ArrayCTypes = collections.namedtuple("ctypes", ["data", "array"])


@overload_attribute(_types.Array, "ctypes")
def _array_ctypes(a):
    return lambda a: ArrayCTypes(_data_address(a), a)


@overload_attribute(_types.Array, "real")
def _array_real(a):
    return lambda a: a


@overload_attribute(_types.Array, "imag")
def _array_imag(a):
    """Zeros of a's shape and dtype, as NumPy's (a new array here, not
    a read-only one)."""
    return lambda a: np.zeros(a.shape, a.dtype)


FUNCTIONS = {}

METHODS = ()

METHOD_IMPLS = {"item": item}

HELPERS = (_apply, _c_contiguous)
