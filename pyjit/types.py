"""pyjit's types, named as Numba names them.

Types are interned: compare them with ``==`` or ``is``.  Calling a type with
types builds a signature, ``float64(float64, float64)``; a tuple of types is
an argument signature, ``(int64, int64)``.
"""
import abc as _abc
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
# the C names, as Numba sizes them on a 64-bit platform
char, uchar, byte = int8, uint8, uint8  # noqa: F821
short, ushort = int16, uint16  # noqa: F821
intc, uintc = int32, uint32  # noqa: F821
int_, uint = int64, uint64  # noqa: F821
long_, ulong, longlong, ulonglong = int64, uint64, int64, uint64  # noqa: F821
ssize_t, size_t = int64, uint64  # noqa: F821


class _TypeClass(type):
    """The class of pyjit's type classes: `isinstance(t, types.Array)` asks
    the kind of the interned type t, as Numba's type classes answer."""

    def __instancecheck__(cls, obj):
        return isinstance(obj, Type) and cls._matches(obj)


class _Kinds(metaclass=_TypeClass):
    """A type class matching the types of the kinds in `_kinds`; with
    `_through_literal`, Literal types of values of those kinds too
    (Literal[int](2) is an Integer, as Numba's IntegerLiteral is)."""
    _kinds = ()
    _through_literal = False

    @classmethod
    def _matches(cls, t):
        if t.kind == "LITERAL" and cls._through_literal:
            t = t.literal_type
        return t.kind in cls._kinds


class Number(_Kinds):
    """Integers, floats and complex numbers (not booleans, as in Numba)."""
    _kinds = ("INT", "UINT", "FLOAT", "COMPLEX")
    _through_literal = True


class Integer(Number):
    _kinds = ("INT", "UINT")


class Float(Number):
    _kinds = ("FLOAT",)


class Complex(Number):
    _kinds = ("COMPLEX",)


class Boolean(_Kinds):
    _kinds = ("BOOL",)
    _through_literal = True


def _datetime_type(code, unit):
    import numpy as np
    spec = f"{code}8[{unit}]" if unit else f"{code}8"
    return _core.typeof(np.array("NaT", spec)[()])


class NPDatetime(_Kinds):
    """numpy.datetime64 of a unit: NPDatetime('s') is datetime64[s],
    NPDatetime('') the generic datetime64."""
    _kinds = ("DATETIME",)

    def __new__(cls, unit=""):
        return _datetime_type("M", unit)


class NPTimedelta(_Kinds):
    """numpy.timedelta64 of a unit: NPTimedelta('D') is timedelta64[D]."""
    _kinds = ("TIMEDELTA",)

    def __new__(cls, unit=""):
        return _datetime_type("m", unit)


class Literal(_Kinds):
    """The type of an argument known by its value when the function
    compiles: Literal[int](2), Literal[bool](True), Literal[str](abc).
    `t.literal_value` is the value, `t.literal_type` the type of values
    like it (int64).  An overload's typing function sees the constants a
    call passes as Literal types when its plain types did not give an
    implementation; literally(n) asks for one (csrc/literal.c)."""
    _kinds = ("LITERAL",)
    _value_kinds = None

    @classmethod
    def _matches(cls, t):
        return t.kind == "LITERAL" and (
            cls._value_kinds is None
            or t.literal_type.kind in cls._value_kinds)


class IntegerLiteral(Literal):
    _value_kinds = ("INT", "UINT")


class BooleanLiteral(Literal):
    _value_kinds = ("BOOL",)


class StringLiteral(Literal):
    _value_kinds = ("UNICODE",)


def literal(value):
    """The Literal type of value (an int of 64 bits, a bool or a str), as
    Numba's types.literal; LiteralTypingError for any other value."""
    t = _core.literal(value)
    if t is None:
        from .errors import LiteralTypingError
        raise LiteralTypingError(f"{type(value).__name__} cannot be used "
                                 f"as a literal: {value!r}")
    return t


def maybe_literal(value):
    """The Literal type of value, or None when it has none."""
    return _core.literal(value)


def unliteral(t):
    """The type of the values a Literal type stands for (int64 for
    Literal[int](2)); any other type as itself."""
    return t.literal_type if isinstance(t, Type) else t


class NoneType(_Kinds):
    _kinds = ("NONE",)


class Omitted(_Kinds):
    """Numba's type of an argument left to its default.  pyjit types an
    omitted argument as its default value's type (`fill=np.nan` is a
    float64), so no type is an Omitted: a typing function's
    `isinstance(t, types.Omitted)` branch is not taken, and its other
    branch sees the default's own type."""
    _kinds = ()


class UnicodeType(_Kinds):
    _kinds = ("UNICODE",)


class BaseTuple(_Kinds):
    _kinds = ("UNITUPLE", "TUPLE")


class SliceType(_Kinds):
    _kinds = ("SLICE",)


class EllipsisType(_Kinds):
    """`...` in an index."""
    _kinds = ("ELLIPSIS",)


class Dispatcher(_Kinds):
    """A jitted function as a value."""
    _kinds = ("DISPATCHER",)


class Callable(_Kinds):
    """What a call can call: jitted functions, builtins and library
    functions, cfunc addresses (FunctionType), sets of functions, classes
    as constructors."""
    _kinds = ("DISPATCHER", "FUNCTION", "FUNCPTR", "FUNCSET", "DTYPE",
              "INTRINSIC", "CLASS", "JITCLASS_CLASS", "NAMEDTUPLE_CLASS",
              "BOUND")


class Set(_Kinds):
    _kinds = ("SET",)


class UniTuple(BaseTuple):
    """A tuple of `count` items of type `dtype`: UniTuple(int64 x 2)."""
    _kinds = ("UNITUPLE",)
    _named = False

    @classmethod
    def _matches(cls, t):
        return t.kind in cls._kinds and (t.instance_class is not None) == cls._named

    def __new__(cls, dtype, count):
        return _core.unituple(dtype, count)


class Tuple(BaseTuple):
    """A tuple of the given item types; uniform ones are UniTuple (which,
    as in Numba, is a BaseTuple but not a Tuple)."""
    _kinds = ("TUPLE",)
    _named = False
    _matches = UniTuple.__dict__["_matches"]

    def __new__(cls, types):
        return _core.tuple_of(types)


class BaseNamedTuple(BaseTuple):
    """A namedtuple's type: its class is `instance_class`."""

    @classmethod
    def _matches(cls, t):
        return t.kind in cls._kinds and t.instance_class is not None


class NamedUniTuple(BaseNamedTuple):
    """A namedtuple of `count` items of type `dtype`: Point(int64 x 2)."""
    _kinds = ("UNITUPLE",)

    def __new__(cls, dtype, count, klass):
        return _core.named_tuple((dtype,) * count, klass)


class NamedTuple(BaseNamedTuple):
    """A namedtuple of the given item types: Point(int64, float64); uniform
    ones are NamedUniTuple, as in Numba."""
    _kinds = ("TUPLE",)

    def __new__(cls, types, klass):
        return _core.named_tuple(types, klass)


class Optional(_Kinds):
    """A value of `type` or None: OptionalType(int64)."""
    _kinds = ("OPTIONAL",)

    def __new__(cls, type):
        if not isinstance(type, Type):
            # a deferred_type() of a recursive jitclass, resolved with it
            from ._jitclass import optional
            return optional(type)
        return _core.optional(type)


class List(_Kinds):
    """A list of compiled code or a reflected Python list (a typed List is
    a ListType, as in Numba): List(int64) is list(int64), List(int64,
    reflected=True) the type of a Python list of int64 passed in."""

    def __new__(cls, dtype, reflected=False, initial_value=None):
        return _core.list_type(dtype, False, reflected)

    @classmethod
    def _matches(cls, t):
        return t.kind == "LIST" and not str(t).startswith("ListType")


class ListType(_Kinds):
    """The type of a typed List of `item`: ListType[int64]."""

    def __new__(cls, item):
        return _core.list_type(item)

    @classmethod
    def _matches(cls, t):
        return t.kind == "LIST" and str(t).startswith("ListType")


class Array(_Kinds):
    """A NumPy array type: Array(float64, 2, 'C') is array(float64, 2d, C).
    In signatures, float64[:] and float64[:, ::1] say the same."""
    _kinds = ("ARRAY",)

    def __new__(cls, dtype, ndim, layout="A", readonly=False):
        return _core.array_type(dtype, ndim, layout, readonly)


class DictType(_Kinds):
    """The type of a pyjit.typed.Dict: DictType[int64,float64]<iv=None>."""
    _kinds = ("DICT",)

    def __new__(cls, key_type, value_type):
        return _core.dict_type(key_type, value_type)


class WrapperAddressProtocol(_abc.ABC):
    """Numba's protocol of a C function given by its address: an object of
    a subclass with `__wrapper_address__()` (the address, an int) and
    `signature()` (a signature of numbers, float64(float64)) is called
    by compiled code as a FunctionType of that signature."""

    @_abc.abstractmethod
    def __wrapper_address__(self):
        """The function's address."""

    @_abc.abstractmethod
    def signature(self):
        """The function's signature."""


optional = Optional         # Numba's lower-case spelling of it


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
                      "Literal", "IntegerLiteral", "BooleanLiteral",
                      "StringLiteral", "literal", "maybe_literal",
                      "unliteral",
                      "DictType", "FunctionType", "WrapperAddressProtocol",
                      "NPDatetime", "NPTimedelta",
                      "optional")}
    return names


__all__ = sorted(k for k in _namespace())
