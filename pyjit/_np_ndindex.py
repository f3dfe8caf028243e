"""np.ndindex and np.ndenumerate in nopython code.

Each is a generator of one loop per dimension, written for the number of
dimensions of the call's shape (or array) and compiled like any jitted
generator: np.ndindex(shape) or np.ndindex(d0, d1, ...) yields the index
tuples of that shape in C order, np.ndenumerate(a) yields (index, a[index])
pairs.  A shape of no dimensions yields () once, as NumPy's does."""

import numpy as np

from . import types as _types
from ._jitclass import _generated
from .extending import overload

_made = {}


def _nested_loops(name, n, head, shape, yielded):
    """The source of a generator `name(head)` looping over the n
    dimensions of `shape` and yielding `yielded` (of the index tuple
    `idx`)."""
    lines = [f"def {name}({head}):", f"    sizes = {shape}"]
    for d in range(n):
        lines.append("    " * (d + 1) + f"for i{d} in range(sizes[{d}]):")
    idx = "(" + "".join(f"i{d}, " for d in range(n)) + ")"
    lines.append("    " * (n + 1) + f"idx = {idx}")
    lines.append("    " * (n + 1) + f"yield {yielded}")
    return "\n".join(lines) + "\n"


def _generator(name, n, head, shape, yielded):
    key = (name, n, head)
    if key not in _made:
        source = _nested_loops(name, n, head, shape, yielded)
        _made[key] = _generated(name, source, {}, "numpy")
    return _made[key]


def _is_int(t):
    return isinstance(t, (_types.Integer, _types.Boolean))


@overload(np.ndindex)
def _ndindex_typer(*shape):
    if len(shape) == 1 and isinstance(shape[0], _types.BaseTuple):
        if not all(_is_int(t) for t in shape[0].types):
            return None
        return _generator("ndindex", shape[0].count, "*shape", "shape[0]",
                          "idx")
    if all(_is_int(t) for t in shape):
        return _generator("ndindex", len(shape), "*dims", "dims", "idx")
    return None


@overload(np.ndenumerate)
def _ndenumerate_typer(a):
    if not isinstance(a, _types.Array):
        return None
    return _generator("ndenumerate", a.ndim, "a", "a.shape", "idx, a[idx]")
