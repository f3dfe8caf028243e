"""np.ndindex, np.ndenumerate and np.nditer in nopython code.

np.ndindex(shape) or np.ndindex(d0, d1, ...) is the intrinsic
_ndindex(shape), an iterator over the index tuples of that shape in C
order, and np.ndenumerate(a) is _ndenumerate(a), over (index, a[index])
pairs (csrc/ndindex.c): a loop over either compiles to one counted loop
stepping the index in registers.  A shape of no dimensions yields () once,
as NumPy's does.

np.nditer(a) and np.nditer((a, b, ...)) take Numba's forms: one array or
number, or a tuple of them, broadcast together as NumPy broadcasts; each
step yields a 0-d view of each operand's element (a[i, j, ...]), one
view or a tuple of them, which x[...] = v writes through.  The order is
Numba's: F (the first index fastest) when more of the arrays are typed F
than C (a 1-d array counting as both), C otherwise.  It is a generator of
one loop per dimension, written for the number of dimensions of the
operands and compiled like any jitted generator."""

import numpy as np

from . import types as _types
from ._jitclass import _generated
from ._core import _ndenumerate, _ndindex
from ._parallel import pndindex
from .extending import overload

_made = {}


def _loops(n, dims, body, fortran=False):
    """Lines of one loop per dimension d (over range(dims[d]), index i{d}),
    the first dimension outermost (the last with fortran), around the
    lines of body."""
    order = range(n - 1, -1, -1) if fortran else range(n)
    lines = ["    " * (k + 1) + f"for i{d} in range({dims}[{d}]):"
             for k, d in enumerate(order)]
    return lines + ["    " * (n + 1) + line for line in body]


def _is_int(t):
    return isinstance(t, (_types.Integer, _types.Boolean))


def _ndindex_of_tuple(*shape):
    return _ndindex(shape[0])


def _ndindex_of_ints(*shape):
    return _ndindex(shape)


@overload(np.ndindex)
def _ndindex_typer(*shape):
    if len(shape) == 1 and isinstance(shape[0], _types.BaseTuple):
        if not all(_is_int(t) for t in shape[0].types):
            return None
        return _ndindex_of_tuple
    if all(_is_int(t) for t in shape):
        return _ndindex_of_ints
    return None


@overload(np.ndenumerate)
def _ndenumerate_typer(a):
    if not isinstance(a, _types.Array):
        return None
    return lambda a: _ndenumerate(a)


# --- np.nditer ---

def _dim(have, d):
    """The broadcast of a dimension so far (have) with an operand's (d)."""
    if have == 1:
        return d
    if d == 1 or d == have:
        return have
    raise ValueError("nditer(): operands could not be broadcast together")


def _nditer_order(ops):
    """Numba's iteration order for operands of types ops: 'F' when more of
    the arrays of one or more dimensions are F than C."""
    c = f = 0
    for t in ops:
        if isinstance(t, _types.Array) and t.ndim == 1 and t.layout in "CF":
            c += 1
            f += 1
        elif isinstance(t, _types.Array) and t.ndim >= 1:
            c += t.layout == "C"
            f += t.layout == "F"
    return "F" if f > c else "C"


def _nditer_source(ndims, fortran, tupled):
    """The generator over operands ops[k] of ndims[k] dimensions (None: a
    number), broadcast to m dimensions r0..r(m-1) (numbers and 0-d arrays
    yield the same view each step); `tupled`: the operands come as a
    tuple."""
    m = max((n for n in ndims if n is not None), default=0)
    lines = ["def nditer(ops):" if tupled else "def nditer(op):"]
    lines += [] if tupled else ["    ops = (op,)"]
    lines += [f"    r{d} = 1" for d in range(m)]
    views = []
    for k, n in enumerate(ndims):
        if n is None:
            lines.append(f"    v{k} = np.full(1, ops[{k}])[0, ...]")
            views.append(f"v{k}")
            continue
        if n == 0:
            views.append(f"ops[{k}]")
            continue
        for j in range(n):
            d = m - n + j
            lines.append(f"    r{d} = _dim(r{d}, ops[{k}].shape[{j}])")
        # a dimension of length 1 stays at index 0 (it is broadcast)
        lines += [f"    s{k}_{j} = 0 if ops[{k}].shape[{j}] == 1 else 1"
                  for j in range(n)]
        index = "".join(f"i{m - n + j} * s{k}_{j}, " for j in range(n))
        views.append(f"ops[{k}][{index}...]")
    lines.append("    sizes = (" + "".join(f"r{d}, " for d in range(m)) + ")")
    item = views[0] if len(views) == 1 else "(" + ", ".join(views) + ")"
    lines += _loops(m, "sizes", [f"yield {item}"], fortran)
    return "\n".join(lines) + "\n"


def _nditer_generator(ndims, order, tupled):
    key = ("nditer", ndims, order, tupled)
    if key not in _made:
        source = _nditer_source(ndims, order == "F", tupled)
        _made[key] = _generated("nditer", source, {"np": np, "_dim": _dim},
                                "numpy")
    return _made[key]


def _nditer_operand(t):
    return isinstance(t, _types.Array) or (
        isinstance(t, (_types.Number, _types.Boolean)))


@overload(np.nditer)
def _nditer_typer(op):
    ops = tuple(op.types) if isinstance(op, _types.BaseTuple) else (op,)
    if not ops or not all(_nditer_operand(t) for t in ops):
        return None
    ndims = tuple(t.ndim if isinstance(t, _types.Array) else None
                  for t in ops)
    return _nditer_generator(ndims, _nditer_order(ops),
                             isinstance(op, _types.BaseTuple))


FUNCTIONS = {}

METHODS = ()

HELPERS = (_dim,)


# numba.pndindex (pyjit/_parallel.py), typed as np.ndindex.
overload(pndindex)(_ndindex_typer)
