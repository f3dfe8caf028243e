"""The methods of tuples in nopython code: t.index(x) and t.count(x), as
Python has them, for tuples of one item type and for heterogeneous ones
(their items compared one by one, unrolled).  csrc/tuples.c finds them
here as "tuple.<name>"."""
from . import _core
from ._literal_unroll import literal_unroll


def index(t, value):
    i = 0
    for x in literal_unroll(t):
        if x == value:
            return i
        i += 1
    raise ValueError("tuple.index(x): x not in tuple")


def count(t, value):
    n = 0
    for x in literal_unroll(t):
        if x == value:
            n += 1
    return n


_METHODS = (index, count)


def library():
    """{"tuple.<name>": dispatcher} of the methods."""
    return {"tuple." + f.__name__: _core.Dispatcher(f, nopython=True)
            for f in _METHODS}
