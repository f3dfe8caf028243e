"""Set methods and dict equality for nopython code, written as plain Python.

csrc/set.c and csrc/dict.c own what these are written with (making a set,
`add`, `discard`, `in`, `len`, iteration, `copy`, `clear`, `update`, the
operators and the methods that place items as they do, dict lookup); the
methods here are the ones that are only a loop over those.  pyjit compiles each function for the types of each use
and links it into the caller, where it inlines.  `other` is any iterable,
as CPython's methods take it.
"""
from . import _core


def _empty_like(s):
    out = s.copy()
    out.clear()
    return out


def _set_of(s, other):
    """The items of other as a set of s's item type, made as CPython's
    set(other) makes it."""
    out = _empty_like(s)
    out.update(other)
    return out


def issubset(s, other):
    o = _set_of(s, other)
    for x in s:
        if x not in o:
            return False
    return True


def issuperset(s, other):
    for x in other:
        if x not in s:
            return False
    return True


def isdisjoint(s, other):
    for x in other:
        if x in s:
            return False
    return True


def dict_eq(a, b):
    """a == b for dicts: the same keys, each with an equal value."""
    if len(a) != len(b):
        return False
    for k, v in a.items():
        if k not in b or b[k] != v:
            return False
    return True


def dict_ne(a, b):
    return not dict_eq(a, b)


_METHODS = (issubset, issuperset, isdisjoint)
_OPERATIONS = (dict_eq, dict_ne)
_HELPERS = (_empty_like, _set_of)


def library():
    """{name: dispatcher}: the set methods as "set.<name>", the dict
    operations by their names.  The functions are rebound to their
    dispatchers, so that one calling another calls compiled code."""
    made = {}
    g = globals()
    for f in _METHODS + _OPERATIONS + _HELPERS:
        made[f.__name__] = g[f.__name__] = _core.Dispatcher(f, nopython=True)
    table = {"set." + f.__name__: made[f.__name__] for f in _METHODS}
    table.update({f.__name__: made[f.__name__] for f in _OPERATIONS})
    return table
