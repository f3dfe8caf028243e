"""np.meshgrid of up to 8 arrays (indexing='xy' or 'ij') and np.tile
with reps a number or a tuple, in nopython code.

Each result has as many dimensions as the call's types say (the number of
arrays; the larger of a.ndim and len(reps)), so each is a function of
nested loops written for that number, compiled like any jitted function,
with NumPy's results: meshgrid's arrays are new C arrays of their input's
dtype (its elements raveled), the first two axes swapped for 'xy'; tile
repeats a (a number is a 0-d array) reps[k] times along axis k, reps and
a's shape padded with ones in front to the same length; a negative count
is a ValueError (NumPy's, whose message for an empty array depends on
where its reshapes meet the count).
"""
import numpy as np

from . import types as _types
from ._jitclass import _generated
from ._np_shape2 import tile as _tile_count
from .extending import overload

_made = {}


def _made_once(key, name, make):
    if key not in _made:
        _made[key] = _generated(name, make(), {"np": np}, "numpy")
    return _made[key]


def _loops(dims, body, depth=1):
    """Lines of nested loops over range(dims[d]) with indices i0, i1...
    around the lines of body."""
    lines = []
    for d, n in enumerate(dims):
        lines.append("    " * (depth + d) + f"for i{d} in range({n}):")
    inner = "    " * (depth + len(dims))
    return lines + [inner + b for b in body]


# the most arrays np.meshgrid takes here: its implementations take them
# as parameters with defaults (a *xi and a keyword after it do not bind in
# an overload), the ones not passed none
_MESH_MAX = 8
_MESH_PARAMS = "".join(f"x{k}=None, " for k in range(_MESH_MAX))


def _meshgrid_source(n):
    lines = [f"def meshgrid{n}({_MESH_PARAMS}indexing='xy'):",
             "    if indexing != 'xy' and indexing != 'ij':",
             "        raise ValueError(\"Valid values for `indexing` are "
             "'xy' and 'ij'.\")"]
    if n == 0:
        return "\n".join(lines + ["    return ()"]) + "\n"
    lines += [f"    v{k} = x{k}.ravel()" for k in range(n)]
    if n == 1:
        return "\n".join(lines + ["    return (v0.copy(),)"]) + "\n"
    rest = "".join(f", len(v{k})" for k in range(2, n))
    lines += ["    swap = indexing == 'xy'",
              f"    shape = ((len(v1), len(v0){rest}) if swap else "
              f"(len(v0), len(v1){rest}))"]
    lines += [f"    g{k} = np.empty(shape, v{k}.dtype)" for k in range(n)]
    idx = ", ".join(f"i{d}" for d in range(n))
    body = ["a = i1 if swap else i0", "b = i0 if swap else i1",
            f"g0[{idx}] = v0[a]", f"g1[{idx}] = v1[b]"]
    body += [f"g{k}[{idx}] = v{k}[i{k}]" for k in range(2, n)]
    lines += _loops([f"shape[{d}]" for d in range(n)], body)
    gs = "".join(f"g{k}, " for k in range(n))
    return "\n".join(lines + [f"    return ({gs})"]) + "\n"


def _is_array(t):
    return isinstance(t, _types.Array)


@overload(np.meshgrid)
def _meshgrid_typer(x0=None, x1=None, x2=None, x3=None, x4=None, x5=None,
                    x6=None, x7=None, indexing="xy"):
    xi = (x0, x1, x2, x3, x4, x5, x6, x7)
    n = sum(_is_array(t) for t in xi)
    if not (all(_is_array(t) for t in xi[:n])
            and all(isinstance(t, _types.NoneType) for t in xi[n:])):
        return None
    return _made_once(("meshgrid", n), f"meshgrid{n}",
                      lambda: _meshgrid_source(n))


def _tile_source(nd, nr):
    """tile of a of nd dimensions by a tuple of nr reps."""
    d = max(nd, nr)
    lines = [f"def tile{nd}_{nr}(a, reps):"]
    shape = ["1"] * (d - nd) + [f"a.shape[{k}]" for k in range(nd)]
    reps = ["1"] * (d - nr) + [f"reps[{k}]" for k in range(nr)]
    for k in range(d):
        lines.append(f"    r{k} = {reps[k]}")
        lines.append(f"    if r{k} < 0:")
        lines.append("        raise ValueError(\"negative dimensions are "
                     "not allowed\")")
    out = ", ".join(f"{shape[k]} * r{k}" for k in range(d))
    out = f"({out}{',' if d == 1 else ''})"
    if nd == 0:                 # a number
        return "\n".join(lines + [f"    return np.full({out}, a)"]) + "\n"
    lines.append(f"    out = np.empty({out}, a.dtype)")
    src = ", ".join(f"i{k} % a.shape[{k - (d - nd)}]"
                    for k in range(d - nd, d))
    dst = ", ".join(f"i{k}" for k in range(d))
    lines += _loops([f"out.shape[{k}]" for k in range(d)],
                    [f"out[{dst}] = a[{src}]"])
    return "\n".join(lines + ["    return out"]) + "\n"


@overload(np.tile)
def _tile_typer(a, reps):
    if isinstance(reps, (_types.Integer, _types.Boolean)):
        return _tile_count
    if not (isinstance(reps, _types.BaseTuple)
            and all(isinstance(t, _types.Integer) for t in reps.types)):
        return None
    nd = a.ndim if _is_array(a) else 0
    nr = reps.count
    if max(nd, nr) == 0:
        return None             # a 0-d result
    return _made_once(("tile", nd, nr), f"tile{nd}_{nr}",
                      lambda: _tile_source(nd, nr))
