"""Typed lists, as Numba's numba.typed.List.

    from pyjit.typed import List

    l = List()                      # the item type comes from the first append
    l.append(1)
    m = List.empty_list(types.float64)

A List holds its items in the same reference-counted block compiled code
uses (csrc/list.c): passing one to a jitted function, or returning one,
copies nothing, and what compiled code does to it the interpreter sees.
From the interpreter its operations run as small jitted functions,
compiled for each item type on first use; a List made from a Python list,
and a List iterated or converted back, cross in bulk (the Python list is
unboxed and boxed by compiled code, not an item at a time).
"""
from types import GenericAlias as _GenericAlias
from . import _core
from .decorators import njit
from .errors import PyjitError
from .types import ListType

__all__ = ["List", "ListType"]


class List:
    """A list whose items all have one type, ListType[item]."""

    __slots__ = ("_owner", "_type")

    # List[int] in annotations, as Numba's typed containers allow
    __class_getitem__ = classmethod(_GenericAlias)

    def __init__(self, iterable=None):
        self._owner = None
        self._type = None
        if iterable is not None:
            self.extend(iterable)

    # --- what the interpreter does with one ---

    def append(self, item):
        if self._type is None:
            made = _first(item)
            self._owner, self._type = made._owner, made._type
            return
        _append(self, item)

    def extend(self, iterable):
        items = iterable if type(iterable) is list else list(iterable)
        if not items or _bulk_extend(self, items, 0):
            return
        start = 0
        if self._type is None:
            self.append(items[0])
            start = 1
        if not _bulk_extend(self, items, start):
            for x in items[start:]:
                self.append(x)

    def __len__(self):
        return 0 if self._type is None else _len(self)

    def _index(self, i):
        if not isinstance(i, int):
            raise TypeError("list indices must be integers, not "
                            + type(i).__name__)
        return i

    def __getitem__(self, i):
        if isinstance(i, slice):
            return List(self[k] for k in range(*i.indices(len(self))))
        self._index(i)
        if self._type is None:
            raise IndexError("list index out of range")
        return _getitem(self, i)

    def __setitem__(self, i, value):
        self._index(i)
        if self._type is None:
            raise IndexError("list assignment index out of range")
        _setitem(self, i, value)

    def pop(self, i=-1):
        if self._type is None:
            raise IndexError("pop from empty list")
        return _pop(self, i)

    def __iter__(self):
        start = 0
        while start < len(self):
            chunk = _items(self, start, min(start + _CHUNK, len(self)))
            yield from chunk
            start += len(chunk)

    def __contains__(self, item):
        return any(x == item for x in self)

    def __eq__(self, other):
        if not isinstance(other, (List, list)):
            return NotImplemented
        return len(self) == len(other) and all(
            a == b for a, b in zip(self, other))

    def __str__(self):
        # Numba's: the items as str() shows them ([apple, 1.5])
        return "[" + ", ".join(f"{x}" for x in self) + "]"

    def __repr__(self):
        name = str(self._type) if self._type is not None \
            else "ListType[undefined]"
        return f"{name}({self})"

    def __reduce__(self):
        raise TypeError("a typed List cannot be pickled")


_CHUNK = 4096       # items boxed at a time when a List is iterated


def _bulk_extend(l, items, start):
    """Appends items[start:] to l by one compiled call over the Python
    list; when l has no item type yet (start 0), that of items[0].  False
    when the Python list cannot be typed for it, or its item type is not
    that of items[0] (a typed List takes the first item's type), and
    nothing was appended: the caller appends one item at a time."""
    try:
        if l._type is None:
            made = _from_items(items)
            if made._type != ListType(_core.typeof(items[0])):
                return False
            l._owner, l._type = made._owner, made._type
        elif len(items) > start:
            _extend_items(l, items, start)
    except (PyjitError, TypeError):
        return False
    return True


def _wrap(owner, list_type):
    """The List over the block `owner` holds (compiled code returning)."""
    out = List.__new__(List)
    out._owner = owner
    out._type = list_type
    return out


def empty_list(item_type, allocated=0):
    """A new empty List of items of type item_type."""
    return _maker(item_type)()


List.empty_list = staticmethod(empty_list)


_makers = {}


def _maker(item_type):
    """A jitted function making an empty List of item_type."""
    if item_type not in _makers:
        def make():
            return empty_list(item_type)
        _makers[item_type] = njit(make)
    return _makers[item_type]


@njit
def _first(item):
    out = List()
    out.append(item)
    return out


@njit
def _from_items(items):
    out = List()
    for x in items:
        out.append(x)
    return out


@njit
def _extend_items(l, items, start):
    for i in range(start, len(items)):
        l.append(items[i])


@njit
def _items(l, start, stop):
    out = []
    for i in range(start, stop):
        out.append(l[i])
    return out


@njit
def _append(l, item):
    l.append(item)


@njit
def _len(l):
    return len(l)


@njit
def _getitem(l, i):
    return l[i]


@njit
def _setitem(l, i, value):
    l[i] = value


@njit
def _pop(l, i):
    return l.pop(i)


_core._register_typed_list(List)
