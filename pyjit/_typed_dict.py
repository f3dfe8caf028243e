"""Typed containers shared by the interpreter and compiled code, as Numba's
``numba.typed``.

    from pyjit.typed import Dict
    from pyjit import types

    d = Dict.empty(key_type=types.int64, value_type=types.float64)
    d[1] = 2.5
    f(d)            # compiled code reads and changes the same table

A ``Dict`` is the table compiled code uses (csrc/dict.c), held by a block
of compiled memory; passing it to a jitted function and returning it from
one copies nothing.  From the interpreter each operation runs a small
jitted function specialized for the dict's key and value types.
"""
from types import GenericAlias as _GenericAlias
from collections.abc import MutableMapping

import numpy as np

from . import _core
from .decorators import njit


@njit
def _empty(k, v):
    d = {k: v}
    d.clear()
    return d


@njit
def _getitem(d, k):
    return d[k]


@njit
def _setitem(d, k, v):
    d[k] = v


@njit
def _delitem(d, k):
    del d[k]


@njit
def _contains(d, k):
    return k in d


@njit
def _len(d):
    return len(d)


@njit
def _popitem(d):
    return d.popitem()


@njit
def _clear(d):
    d.clear()


@njit
def _copy(d):
    return d.copy()


@njit
def _items(d):
    return list(d.items())


def _plain(d):
    """A Python dict of d's entries, in order."""
    return dict(_items(d))


def _sample(t):
    """A value of the pyjit type t, to compile the constructor with."""
    name = str(t)
    if name.startswith(("UniTuple(", "Tuple(")):
        return tuple(_sample(e) for e in t.types)
    if "array(" in name:
        a = np.empty((3,) * t.ndim, dtype=str(t.dtype))
        if t.layout != "C" and t.ndim > 0:
            a = a[..., ::2]
        a.flags.writeable = t.mutable
        return a
    if name.startswith("DictType["):
        return Dict.empty(*_dict_parts(t))
    if name == "bool":
        return np.bool_(False)
    if name == "unicode_type":
        return ""
    try:
        return np.dtype(name).type(0)
    except TypeError:
        raise TypeError(f"pyjit.typed.Dict cannot hold values of type "
                        f"{name}") from None


def _dict_parts(t):
    return t.types


def _type_of(x):
    t = _core.typeof(x)
    if "pyobject" in str(t):
        raise TypeError(f"pyjit.typed.Dict cannot hold {type(x).__name__} "
                        f"values")
    return t


class Dict(MutableMapping):
    """A dict of one key type and one value type, shared with compiled
    code: Dict.empty(key_type, value_type), or Dict(), typed by what is
    first stored in it."""

    __slots__ = ("_owner", "_type", "__weakref__")

    # Dict[str, int] in annotations, as Numba's typed containers allow
    __class_getitem__ = classmethod(_GenericAlias)

    def __init__(self, *args, **kwargs):
        self._owner = None
        self._type = None
        if args or kwargs:
            self.update(*args, **kwargs)

    @classmethod
    def _wrap(cls, owner, type):
        """The Dict over a table compiled code returned."""
        d = cls.__new__(cls)
        d._owner = owner
        d._type = type
        return d

    def _typed_for(self, key, value):
        if self._type is None:
            made = _empty(key, value)
            self._owner, self._type = made._owner, made._type
        return self

    def __getitem__(self, key):
        if self._type is None:
            raise KeyError(key)
        return _getitem(self, key)

    def __setitem__(self, key, value):
        _setitem(self._typed_for(key, value), key, value)

    def __delitem__(self, key):
        if self._type is None:
            raise KeyError(key)
        _delitem(self, key)

    def __contains__(self, key):
        return self._type is not None and _contains(self, key)

    def __len__(self):
        return 0 if self._type is None else _len(self)

    def __iter__(self):
        return iter(self._snapshot())

    def _snapshot(self):
        return {} if self._type is None else _plain(self)

    def popitem(self):
        if len(self) == 0:
            raise KeyError("popitem(): dictionary is empty")
        return _popitem(self)

    def clear(self):
        if self._type is not None:
            _clear(self)

    def copy(self):
        return Dict() if self._type is None else _copy(self)

    def __eq__(self, other):
        if isinstance(other, (Dict, dict)):
            return self._snapshot() == dict(other.items())
        return NotImplemented

    __hash__ = None

    def __str__(self):
        # Numba's: keys and values as str() shows them ({1: apple})
        return "{" + ", ".join(f"{k}: {v}"
                               for k, v in self._snapshot().items()) + "}"

    def __repr__(self):
        if self._type is None:
            return "Dict()"
        return f"{self._type}({self})"

    @property
    def key_type(self):
        return None if self._type is None else _dict_parts(self._type)[0]

    @property
    def value_type(self):
        return None if self._type is None else _dict_parts(self._type)[1]


_makers = {}    # (key type, value type) -> compiled Dict.empty of them


def _maker(key_type, value_type):
    """A compiled function making an empty Dict of these types, for types
    that have no sample value to compile _empty with (a jitclass)."""
    made = _makers.get((key_type, value_type))
    if made is None:
        def make():
            return Dict.empty(key_type, value_type)
        made = _makers[(key_type, value_type)] = njit(make)
    return made


def empty_dict(key_type, value_type):
    """An empty Dict of these pyjit types (pyjit.types.int64, ...); compiled
    code makes one itself (csrc/dict.c)."""
    _core.dict_type(key_type, value_type)      # TypeError for bad types
    try:
        k, v = _sample(key_type), _sample(value_type)
    except TypeError:
        return _maker(key_type, value_type)()
    return _empty(k, v)


Dict.empty = staticmethod(empty_dict)

