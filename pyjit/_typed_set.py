"""pyjit.typed.Set: a set of one item type shared by the interpreter and
compiled code, as Numba's ``numba.typed.Set``.

    from pyjit.typed import Set
    from pyjit import types

    s = Set.empty(types.unicode_type)
    s.add("One")
    f(s)            # compiled code reads and changes the same table

A ``Set`` is the table compiled code uses for sets (csrc/set.c), held by
a block of compiled memory; passing it to a jitted function and returning
it from one copies nothing, where a Python set argument is reflected
(copied in, and written back after the call).  From the interpreter each
operation runs a small jitted function specialized for the item type.
"""
from collections.abc import MutableSet

from . import _core
from ._typed_dict import _sample
from .decorators import njit


def _as_typed_set(s):
    """In compiled code: the set s, returned to Python as a Set."""
    raise TypeError("pyjit.typed._as_typed_set is only for compiled code")


@njit
def _empty(item):
    s = {item}
    s.clear()
    return _as_typed_set(s)


@njit
def _add(s, item):
    s.add(item)


@njit
def _discard(s, item):
    s.discard(item)


@njit
def _remove(s, item):
    s.remove(item)


@njit
def _contains(s, item):
    return item in s


@njit
def _len(s):
    return len(s)


@njit
def _pop(s):
    return s.pop()


@njit
def _clear(s):
    s.clear()


@njit
def _copy(s):
    c = {item for item in s}
    return _as_typed_set(c)


@njit
def _items(s):
    return [item for item in s]


class Set(MutableSet):
    """A set of one item type, shared with compiled code:
    Set.empty(item_type), or Set(iterable), typed by its first item."""

    __slots__ = ("_owner", "_type", "__weakref__")

    def __init__(self, iterable=()):
        self._owner = None
        self._type = None
        for item in iterable:
            self.add(item)

    @classmethod
    def _wrap(cls, owner, type):
        """The Set over a table compiled code returned."""
        s = cls.__new__(cls)
        s._owner = owner
        s._type = type
        return s

    def _typed_for(self, item):
        if self._type is None:
            made = _empty(item)
            self._owner, self._type = made._owner, made._type
        return self

    def add(self, item):
        _add(self._typed_for(item), item)

    def discard(self, item):
        if self._type is not None:
            _discard(self, item)

    def remove(self, item):
        if self._type is None:
            raise KeyError(item)
        _remove(self, item)

    def __contains__(self, item):
        return self._type is not None and _contains(self, item)

    def __len__(self):
        return 0 if self._type is None else _len(self)

    def __iter__(self):
        return iter(self._snapshot())

    def _snapshot(self):
        return [] if self._type is None else _items(self)

    def pop(self):
        if len(self) == 0:
            raise KeyError("pop from an empty set")
        return _pop(self)

    def clear(self):
        if self._type is not None:
            _clear(self)

    def copy(self):
        return Set() if self._type is None else _copy(self)

    def update(self, *iterables):
        for it in iterables:
            for item in it:
                self.add(item)

    @classmethod
    def _from_iterable(cls, it):
        return cls(it)

    def __eq__(self, other):
        if isinstance(other, (Set, set, frozenset)):
            return set(self._snapshot()) == set(other)
        return NotImplemented

    __hash__ = None

    def __str__(self):
        # Numba's: the items as str() shows them ({apple, 1.5})
        return "{" + ", ".join(f"{x}" for x in self._snapshot()) + "}"

    def __repr__(self):
        if self._type is None:
            return "Set()"
        return f"{self._type}({self})"

    @property
    def dtype(self):
        """The item type (Numba's name for it)."""
        return None if self._type is None else self._type.dtype


def empty_set(item_type):
    """An empty Set of this pyjit type (pyjit.types.int64, ...); compiled
    code makes one itself (csrc/set.c)."""
    return _empty(_sample(item_type))


Set.empty = staticmethod(empty_set)
