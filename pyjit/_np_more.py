"""More of NumPy for nopython code: the parts of complex numbers (np.real, np.imag,
np.angle), tests of values and types (np.isneginf, np.isposinf,
np.iscomplex, np.isreal, np.isnat, np.iscomplexobj, np.isrealobj,
np.isscalar),
gathering (np.take, of the flattened array or along an axis, np.extract)
and the set functions of sorted unique values (np.union1d,
np.intersect1d, np.setdiff1d, np.setxor1d) with np.ediff1d.

The functions whose result depends on the type of their argument (the
real part of a real array is the array itself) are chosen by type with
pyjit.extending.overload, as Numba's are; a type they do not take is a
TypingError naming the function and the type.
"""
import numpy as np

from . import types as _types
from ._core import _axis_index
from .extending import overload

_NUMBERS = (_types.Number, _types.Boolean)


def _is_complex(t):
    dt = t.dtype if isinstance(t, _types.Array) else t
    return isinstance(dt, _types.Complex)


def _real_dtype(t):
    """The NumPy dtype of the real parts of t's values."""
    dt = t.dtype if isinstance(t, _types.Array) else t
    return np.dtype(str(dt)).type(0).real.dtype


def _dtype(t):
    return np.dtype(str(t.dtype if isinstance(t, _types.Array) else t))


def _takes(t):
    return isinstance(t, (_types.Array,) + _NUMBERS)


def _same(val):
    return val


def _real_part(val):
    return val.real


def _imag_part(val):
    return val.imag


def _array_shape(a):
    return a.shape


def _array_size(a):
    return a.size


def _no_shape(a):
    return ()


def _size_one(a):
    return 1



@overload(np.ndim)
def _ndim_typer(a):
    if isinstance(a, _types.Array):
        return _constant(a.ndim)
    if isinstance(a, _NUMBERS):
        return _constant(0)
    return None


@overload(np.shape)
def _shape_typer(a):
    if isinstance(a, _types.Array):
        return _array_shape
    if isinstance(a, _NUMBERS + (_types.NoneType,)):    # NumPy's () of None
        return _no_shape
    return None


@overload(np.size)
def _size_typer(a):
    if isinstance(a, _types.Array):
        return _array_size
    if isinstance(a, _NUMBERS):
        return _size_one
    return None


def _joined(ar1, ar2):
    """The elements of both, flattened, in one array of their promoted
    dtype."""


@overload(_joined)
def _joined_typer(ar1, ar2):
    if not (_takes(ar1) and _takes(ar2)):
        return None
    dt = np.result_type(_dtype(ar1), _dtype(ar2)).type

    def impl(ar1, ar2):
        return np.concatenate((np.ravel(np.asarray(ar1)).astype(dt),
                               np.ravel(np.asarray(ar2)).astype(dt)))
    return impl


@overload(np.real)
def _real_typer(val):
    if not _takes(val):
        return None
    if not _is_complex(val):
        return _same
    if not isinstance(val, _types.Array):
        return _real_part
    return lambda val: val.real     # a view, as NumPy's


@overload(np.imag)
def _imag_typer(val):
    if not _takes(val):
        return None
    if isinstance(val, _types.Array):
        if _is_complex(val):
            return lambda val: val.imag     # a view, as NumPy's
        dt = _real_dtype(val).type

        def impl(val):
            out = np.empty(val.shape, dt)
            out.ravel()[:] = 0
            return out
        return impl
    if _is_complex(val):
        return _imag_part
    return _constant(np.dtype(str(val)).type(0))


@overload(np.angle)
def _angle_typer(z, deg=False):
    """The angle of z's values in their real type (float64 for integers
    and booleans, as NumPy's arctan2 gives); in degrees with deg."""
    if not _takes(z):
        return None
    dt = z.dtype if isinstance(z, _types.Array) else z
    if isinstance(dt, (_types.Float, _types.Complex)):
        one = _real_dtype(z).type(1)
    else:
        one = np.float64(1)
    to_degrees = one * (180.0 / np.pi)

    def impl(z, deg=False):
        a = np.arctan2(np.imag(z) * one, np.real(z) * one)
        if deg:
            return a * to_degrees
        return a
    return impl


def isneginf(x):
    return np.isinf(x) & (x < 0)


def isposinf(x):
    return np.isinf(x) & (x > 0)


def iscomplex(x):
    return np.imag(x) != 0


def isreal(x):
    return np.imag(x) == 0


def _isnat(x):
    return x != x       # NaT alone is unequal to itself


@overload(np.isnat)
def _isnat_typer(x):
    """Whether x (datetime64 or timedelta64, or an array of them) is NaT;
    NumPy takes no other type."""
    dt = x.dtype if isinstance(x, _types.Array) else x
    if isinstance(dt, (_types.NPDatetime, _types.NPTimedelta)):
        return _isnat
    return None


def _constant(value):
    def impl(x):
        return value
    return impl


@overload(np.iscomplexobj)
def _iscomplexobj_typer(x):
    return _constant(_is_complex(x))


@overload(np.isrealobj)
def _isrealobj_typer(x):
    return _constant(not _is_complex(x))


@overload(np.isscalar)
def _isscalar_typer(element):
    return _constant(isinstance(element, _NUMBERS + (_types.UnicodeType,)))


def take(a, indices, axis=None):
    """a's elements at the flat (C order) positions `indices` (negative
    from the end), NumPy's IndexError past the end; with an axis, the
    subarrays at those positions along it."""
    if axis is None:
        return np.ravel(a)[indices]
    if a.ndim == 0:
        raise np.exceptions.AxisError(
            f"axis {axis} is out of bounds for array of dimension 0")
    ax = _axis_index(axis, a.ndim)
    # the axis first, so that indexing picks along it
    return _gathered(np.moveaxis(a, ax, 0), indices, ax)


def _gathered(b, indices, axis):
    """np.take of indices along axis (not negative) of the array whose
    axis is b's first."""


def _check_take(b, indices, axis):
    """NumPy's errors of a take of the 1-d indices from b's first axis.
    NumPy checks the indices only when an element is taken for each
    (the dimensions before the axis are not empty), and tells of an
    empty axis first."""
    n = b.shape[0]
    before = 1
    after = 1
    for k in range(1, b.ndim):
        if k <= axis:
            before *= b.shape[k]
        else:
            after *= b.shape[k]
    if n == 0 and len(indices) * before * after > 0:
        raise IndexError("cannot do a non-empty take from an empty axes.")
    if before > 0:
        for i in indices:
            if i < -n or i >= n:
                raise IndexError(f"index {i} is out of bounds for axis "
                                 f"{axis} with size {n}")


def _taken_rows(b, indices, axis):
    """b[indices] (indices 1-d) as NumPy's take gives it: a C-ordered
    copy, its first axis moved to axis."""
    _check_take(b, indices, axis)
    if b.size == 0:             # the indices may be out of range
        got = np.empty((len(indices),) + b.shape[1:], b.dtype)
    else:
        got = b[indices]
    return np.ascontiguousarray(np.moveaxis(got, 0, axis))


def _taken_at(b, i, axis):
    """b[i] as NumPy's take gives it: a copy, or the element of a 1-d b."""
    _check_take(b, np.full(1, i), axis)
    if b.ndim == 1:             # one element: NumPy's scalar
        return b[i]
    if b.size == 0:
        return np.empty(b.shape[1:], b.dtype)
    # the axis is gone; the others are in a's order
    return b[i].copy()


@overload(_gathered)
def _gathered_typer(b, indices, axis):
    if isinstance(indices, _types.Integer):
        return lambda b, indices, axis: _taken_at(b, indices, axis)
    if isinstance(indices, _types.Boolean):
        return lambda b, indices, axis: _taken_at(b, int(indices), axis)
    if isinstance(indices, (_types.List, _types.BaseTuple)):
        return lambda b, indices, axis: _gathered(
            b, np.asarray(indices), axis)
    if not isinstance(indices, _types.Array) or indices.ndim > 1:
        return None
    if indices.ndim == 0:
        return lambda b, indices, axis: _gathered(b, indices[()], axis)
    if isinstance(indices.dtype, _types.Boolean):
        # NumPy's take reads True and False as 1 and 0, not as a mask
        return lambda b, indices, axis: _taken_rows(
            b, indices.astype(np.int64), axis)
    return lambda b, indices, axis: _taken_rows(b, indices, axis)


def extract(condition, arr):
    """arr's elements, in C order, where condition (of as many elements)
    is not zero."""
    flat = np.ravel(arr)
    mask = np.ravel(condition) != 0
    if mask.size > flat.size:
        raise ValueError("np.extract: condition has more elements than arr")
    return flat[:mask.size][mask]


def ediff1d(ary):
    """The differences of the consecutive elements of ary, flattened."""
    return np.diff(np.ravel(ary))


def union1d(ar1, ar2):
    return np.unique(_joined(ar1, ar2))


def _merged(ar1, ar2):
    """The unique values of each, together, sorted."""
    return np.sort(_joined(np.unique(ar1), np.unique(ar2)))


def intersect1d(ar1, ar2):
    """The values in both, sorted: those the sorted unique values of the
    two have twice."""
    aux = _merged(ar1, ar2)
    if aux.size == 0:
        return aux
    return aux[:-1][aux[1:] == aux[:-1]]


def setxor1d(ar1, ar2):
    """The values in exactly one of the two, sorted."""
    aux = _merged(ar1, ar2)
    n = aux.size
    keep = np.ones(n, np.bool_)
    for i in range(n - 1):
        if aux[i] == aux[i + 1]:
            keep[i] = False
            keep[i + 1] = False
    return aux[keep]


def setdiff1d(ar1, ar2):
    """The unique values of ar1 not in ar2, sorted."""
    a = np.unique(ar1)
    b = np.unique(ar2)
    keep = np.ones(a.size, np.bool_)
    j = 0
    for i in range(a.size):
        while j < b.size and b[j] < a[i]:
            j += 1
        if j < b.size and b[j] == a[i]:
            keep[i] = False
    return a[keep]


FUNCTIONS = {
    "isneginf": isneginf, "isposinf": isposinf, "iscomplex": iscomplex,
    "isreal": isreal, "take": take, "extract": extract, "ediff1d": ediff1d,
    "union1d": union1d, "intersect1d": intersect1d, "setxor1d": setxor1d,
    "setdiff1d": setdiff1d,
}

METHODS = ("take",)

HELPERS = (_merged, _check_take, _taken_rows, _taken_at)
