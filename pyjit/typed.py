"""Typed containers shared by the interpreter and compiled code, as Numba's
``numba.typed``: ``List`` (pyjit/_typed_list.py), ``Dict``
(pyjit/_typed_dict.py) and ``Set`` (pyjit/_typed_set.py).  Each holds its items in the same reference-counted
block compiled code uses, so passing one to a jitted function, or
returning one, copies nothing.
"""
# empty_list, empty_dict, empty_set and _as_typed_set are
# callables compiled code knows (csrc/callables.h)
from ._typed_dict import Dict, empty_dict  # noqa: F401
from ._typed_list import List, empty_list  # noqa: F401
from ._typed_set import Set, _as_typed_set, empty_set  # noqa: F401
from .types import DictType, ListType

__all__ = ["Dict", "DictType", "List", "ListType", "Set"]
