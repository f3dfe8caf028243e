"""pyjit's types, named as Numba names them.

Types are interned: compare them with ``==`` or ``is``.  Calling a type with
types builds a signature, ``float64(float64, float64)``; a tuple of types is
an argument signature, ``(int64, int64)``.
"""
import copyreg

from . import _core

Type = _core.Type
Signature = _core.Signature


def _reduce_type(t):
    from . import _serialize
    return _serialize.reduce_type(t)


copyreg.pickle(Type, _reduce_type)

globals().update(_core.basic_types)

# Numba's aliases
bool_ = b1 = boolean  # noqa: F821 - defined by basic_types
i1, i2, i4, i8 = int8, int16, int32, int64  # noqa: F821
u1, u2, u4, u8 = uint8, uint16, uint32, uint64  # noqa: F821
f4, f8 = float32, float64  # noqa: F821
c8, c16 = complex64, complex128  # noqa: F821
intp, uintp = int64, uint64  # noqa: F821
float_, double = float32, float64  # noqa: F821
void = none  # noqa: F821


def UniTuple(dtype, count):
    """A tuple of `count` items of type `dtype`: UniTuple(int64 x 2)."""
    return _core.unituple(dtype, count)


def Tuple(types):
    """A tuple of the given item types; uniform ones are UniTuple."""
    return _core.tuple_of(types)


def Optional(type):
    """A value of `type` or None: OptionalType(int64)."""
    return _core.optional(type)


def ListType(item):
    """The type of a typed List of `item`: ListType[int64]."""
    return _core.list_type(item)


def Array(dtype, ndim, layout="A", readonly=False):
    """A NumPy array type: Array(float64, 2, 'C') is array(float64, 2d, C).
    In signatures, float64[:] and float64[:, ::1] say the same."""
    return _core.array_type(dtype, ndim, layout, readonly)


def DictType(key_type, value_type):
    """The type of a pyjit.typed.Dict: DictType[int64,float64]<iv=None>."""
    from ._typed_dict import _typeof_dict_type
    return _typeof_dict_type(key_type, value_type)


def FunctionType(sig):
    """The type of functions of signature `sig` known only when the code
    runs (a cfunc passed as an argument): FunctionType[float64(float64)].
    The same as sig.as_type()."""
    if not isinstance(sig, Signature):
        raise TypeError(f"FunctionType takes a signature such as "
                        f"float64(float64), not {sig!r}")
    return sig.as_type()


def _namespace():
    """The names a signature string may use."""
    names = {k: v for k, v in globals().items()
             if isinstance(v, Type)
             or k in ("UniTuple", "Tuple", "Optional", "Array", "ListType",
                      "DictType", "FunctionType")}
    return names


__all__ = sorted(k for k in _namespace())
