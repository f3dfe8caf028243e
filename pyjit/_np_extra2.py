"""More of the NumPy functions Numba supports: np.broadcast_shapes,
np.broadcast_arrays, np.diagflat, np.dstack, np.row_stack, np.dsplit,
np.geomspace, np.indices, np.roots, np.tril_indices_from,
np.triu_indices_from, np.unwrap, and np.polynomial's polyadd, polysub,
polymul, polydiv, polyint, polyval with polyutils' trimseq and as_series.

Each computes what NumPy computes, in NumPy's order of operations, with
Numba's forms where NumPy's result depends on values rather than types:
np.roots of a real polynomial is real (a ValueError when a root is
complex), np.broadcast_arrays returns a list (of arrays of one dtype),
np.unwrap works along the last axis only.  Where NumPy takes a Python
scalar as weak (np.unwrap's period), the compiled function does too.
"""
import cmath

import numpy as np
from numpy.polynomial import polynomial as _poly
from numpy.polynomial import polyutils as _pu

from . import _np_shape
from . import errors
from . import types as _types
from ._core import _broadcast_view, _expect, _promoted_zero
from ._jitclass import _generated
from ._literal_unroll import literal_unroll
from .extending import overload

_made = {}


def _made_once(key, name, make):
    if key not in _made:
        _made[key] = _generated(name, make(), {"np": np, "_dim": _dim,
                                               "_bview": _broadcast_view},
                                "numpy")
    return _made[key]


def _float_zero(x):
    pass


@overload(_float_zero)
def _float_zero_typer(x):
    """0 in the inexact dtype NumPy computes x's elements in (x an array
    or a number): float64 for integers and booleans, x's own dtype for
    floats and complex numbers (np.common_type's)."""
    et = x.dtype if isinstance(x, _types.Array) else x
    if isinstance(et, (_types.Float, _types.Complex)):
        return lambda x: _promoted_zero(x, x)
    if isinstance(et, (_types.Integer, _types.Boolean)):
        return lambda x: 0.0
    return None


def _log10(z):
    pass


@overload(_log10)
def _log10_typer(z):
    if isinstance(z, _types.Complex):
        return lambda z: cmath.log10(z)
    return lambda z: np.log10(z)


# --- broadcasting ---

def _dim(have, d):
    """The broadcast of a dimension so far (have) with another one (d)."""
    if d < 0:
        raise ValueError("negative dimensions are not allowed")
    if have == 1:
        return d
    if d == 1 or d == have:
        return have
    raise ValueError("shape mismatch: objects cannot be broadcast to a "
                     "single shape")


def _shape_len(t):
    """How many dimensions an argument of broadcast_shapes (an int or a
    tuple of ints) or of broadcast_arrays (an array or a number) has, or
    None when it is neither."""
    if isinstance(t, _types.Array):
        return t.ndim
    if isinstance(t, (_types.Integer, _types.Number, _types.Boolean)):
        return 0
    if isinstance(t, _types.BaseTuple) and all(
            isinstance(e, _types.Integer) for e in t.types):
        return len(t.types)
    return None


def _broadcast_lines(kinds, shape_of):
    """Lines computing r0..r(m-1), the broadcast of the shapes of the
    arguments args[k] (shape_of(k, j): the source of dimension j of
    argument k, kinds[k] its number of dimensions)."""
    m = max(kinds, default=0)
    lines = [f"    r{i} = 1" for i in range(m)]
    for k, n in enumerate(kinds):
        for j in range(n):
            lines.append(f"    r{m - n + j} = _dim(r{m - n + j}, "
                         f"{shape_of(k, j)})")
    return m, lines


def _shape_source(m):
    return "(" + "".join(f"r{i}, " for i in range(m)) + ")"


def _broadcast_shapes_source(kinds):
    def shape_of(k, j):
        return f"args[{k}]" if kinds[k] == -1 else f"args[{k}][{j}]"
    lens = [1 if n == -1 else n for n in kinds]
    m, lines = _broadcast_lines(
        lens, lambda k, j: shape_of(k, j))
    return "\n".join(["def broadcast_shapes(*args):"] + lines
                     + [f"    return {_shape_source(m)}"]) + "\n"


@overload(np.broadcast_shapes)
def _broadcast_shapes(*args):
    kinds = []
    for t in args:
        if isinstance(t, _types.Integer):
            kinds.append(-1)            # one dimension, the int itself
            continue
        n = _shape_len(t)
        if n is None or isinstance(t, (_types.Array, _types.Number)):
            raise errors.TypingError(
                f"np.broadcast_shapes takes shapes (ints or tuples of ints), "
                f"not {t}")
        kinds.append(n)
    key = ("broadcast_shapes", tuple(kinds))
    return _made_once(key, "broadcast_shapes",
                      lambda: _broadcast_shapes_source(kinds))


def _broadcast_arrays_source(kinds):
    m, lines = _broadcast_lines(kinds, lambda k, j: f"args[{k}].shape[{j}]")
    shape = _shape_source(m)
    views = []
    for k, n in enumerate(kinds):
        a = f"args[{k}]" if n else f"np.full(1, args[{k}])"
        views.append(f"_bview({a}, {shape})" if m else f"{a}")
    return "\n".join(["def broadcast_arrays(*args):"] + lines
                     + [f"    return [{', '.join(views)}]"]) + "\n"


@overload(np.broadcast_arrays)
def _broadcast_arrays(*args):
    kinds = [_shape_len(t) for t in args]
    if not args or any(n is None or isinstance(t, _types.BaseTuple)
                       for n, t in zip(kinds, args)):
        raise errors.TypingError(
            f"np.broadcast_arrays takes one or more arrays or numbers, not "
            f"({', '.join(map(str, args))})")
    dtypes = {str(t.dtype if isinstance(t, _types.Array) else t)
              for t in args}
    if len(dtypes) > 1:
        raise errors.TypingError(
            f"np.broadcast_arrays returns a list, whose arrays have one "
            f"dtype: the arguments have {', '.join(sorted(dtypes))} "
            f"(convert them to one dtype first)")
    if max(kinds) == 0:
        raise errors.TypingError("np.broadcast_arrays of numbers only "
                                 "would make 0-d arrays")
    return _made_once(("broadcast_arrays", tuple(kinds)), "broadcast_arrays",
                      lambda: _broadcast_arrays_source(kinds))


# --- making and joining arrays ---

def diagflat(v, k=0):
    flat = np.atleast_1d(v).ravel()
    n = len(flat) + abs(k)
    out = np.zeros((n, n), flat.dtype)
    r = -k if k < 0 else 0
    c = k if k > 0 else 0
    for i in range(len(flat)):
        out[i + r, i + c] = flat[i]
    return out


def dstack(tup):
    """The arrays as np.atleast_3d makes them, joined along axis 2."""
    _expect(tup, "arrays")
    first = np.atleast_3d(tup[0])
    n0, n1 = first.shape[0], first.shape[1]
    total = 0
    for a in literal_unroll(tup):
        b = np.atleast_3d(a)
        if b.ndim != first.ndim:
            raise ValueError("all the input arrays must have same number "
                             "of dimensions")
        if b.shape[0] != n0 or b.shape[1] != n1:
            _np_shape._mismatch()
        total += b.shape[2]
    if first.ndim > 3:
        raise ValueError("np.dstack joins arrays of at most 3 dimensions")
    out = np.full((n0, n1, total), _np_shape._zero(tup))
    pos = 0
    for a in literal_unroll(tup):
        b = np.atleast_3d(a)
        k = b.shape[2]
        out[:, :, pos:pos + k] = b
        pos += k
    return out


def row_stack(tup):
    _expect(tup, "arrays")
    return np.vstack(tup)


def dsplit(ary, indices_or_sections):
    if ary.ndim < 3:
        raise ValueError("dsplit only works on arrays of 3 or more "
                         "dimensions")
    return [np.moveaxis(p, 0, 2) for p in
            np.split(np.moveaxis(ary, 2, 0), indices_or_sections)]


def _linspace(start, stop, num, endpoint):
    """NumPy's np.linspace of two numbers, complex ones too."""
    if num < 0:
        raise ValueError("Number of samples, " + str(num)
                         + ", must be non-negative.")
    div = num - 1 if endpoint else num
    delta = stop - start
    out = np.full(num, start * 0.0)
    step = delta / div if div > 0 else delta
    for i in range(num):
        if div > 0:
            out[i] = (i / div) * delta if step == 0 else i * step
        else:
            out[i] = i * delta
        out[i] += start
    if endpoint and num > 1:
        out[num - 1] = stop
    return out


def geomspace(start, stop, num=50, endpoint=True):
    """NumPy's: start rotated onto the positive reals, a logspace between
    the logarithms, the ends set to start and stop, rotated back."""
    if start == 0 or stop == 0:
        raise ValueError("Geometric sequence cannot include zero")
    zero = _promoted_zero(start, 0.0) + _promoted_zero(stop, 0.0)
    s = start + zero
    e = stop + zero
    sign = s / abs(s)                   # NumPy's sign, of complex too
    s = s / sign
    e = e / sign
    y = _linspace(_log10(s), _log10(e), num, endpoint)
    out = np.empty(y.size, y.dtype)
    for i in range(y.size):
        out[i] = 10.0 ** y[i]
    if num > 0:
        out[0] = s
        if num > 1 and endpoint:
            out[num - 1] = e
    for i in range(out.size):
        out[i] = sign * out[i]
    return out


def indices(dimensions, dtype=None):
    n = len(dimensions)
    out = np.full((n,) + dimensions, 0 if dtype is None else dtype)
    grids = out.reshape((n, out.size // n if n else 0))
    step = 1
    for i in range(n - 1, -1, -1):
        d = dimensions[i]
        for f in range(grids.shape[1]):
            grids[i, f] = (f // step) % d
        step *= d
    return out


def tril_indices_from(arr, k=0):
    _expect(arr, "matrix")
    return np.tril_indices(arr.shape[0], k, arr.shape[1])


def triu_indices_from(arr, k=0):
    _expect(arr, "matrix")
    return np.triu_indices(arr.shape[0], k, arr.shape[1])


# --- roots and phases ---

def roots(p):
    """The eigenvalues of the companion matrix, as NumPy and Numba make
    it; real for a real polynomial (Numba's: a ValueError when a root is
    complex)."""
    if p.ndim == 0:             # NumPy's class, for what is no sequence
        raise TypeError("np.roots takes a 1-d array of coefficients, not "
                        "a 0-d array")
    if p.ndim != 1:
        raise ValueError("Input must be a rank-1 array.")
    zero = _float_zero(p)
    first = -1
    last = -1
    for i in range(len(p)):
        if p[i] != 0:
            if first < 0:
                first = i
            last = i
    if first < 0:
        return np.full(0, zero)
    c = p[first:last + 1]
    n = len(c)
    trailing = len(p) - last - 1
    out = np.full(n - 1 + trailing, zero)
    if n > 1:
        a = np.full((n - 1, n - 1), zero)
        for j in range(n - 1):
            a[0, j] = -c[j + 1] / (c[0] + zero)
        for i in range(1, n - 1):
            a[i, i - 1] = 1
        out[:n - 1] = np.linalg.eigvals(a)
    return out


def _unwrap_setup(p, period):
    pass


@overload(_unwrap_setup)
def _unwrap_setup_typer(p, period):
    """(zero, period, half a period, whether a step of half a period is
    ambiguous) in NumPy's dtype of np.unwrap(p, period=period), the
    period a Python scalar (weak): p's float dtype; float64 for integers
    and a float period; p's integer dtype with an integer one (int64 for
    booleans)."""
    et = p.dtype
    if isinstance(et, _types.Complex) or not isinstance(
            period, (_types.Integer, _types.Float)):
        raise errors.TypingError(f"np.unwrap takes real arrays and "
                                 f"periods, not {p} and {period}")
    if isinstance(et, _types.Float):
        def floats(p, period):
            zero = _promoted_zero(p, p)
            return zero, type(zero)(period), type(zero)(period / 2), True
        return floats
    if isinstance(period, _types.Float):
        return lambda p, period: (0.0, period, period / 2, True)
    if isinstance(et, _types.Boolean):
        return lambda p, period: (0, period, period // 2, period % 2 == 0)

    def ints(p, period):
        zero = _promoted_zero(p, p)
        return zero, period, period // 2, period % 2 == 0
    return ints


def unwrap(p, discont=None, axis=-1, period=6.283185307179586):
    """Along the last axis (Numba's): each step of more than discont
    (period / 2 by default) shifted by a multiple of the period."""
    if p.ndim == 0:
        raise ValueError("diff requires input that is at least one "
                         "dimensional")
    if axis != -1 and axis != p.ndim - 1:
        raise ValueError('Value for argument "axis" is not supported')
    zero, per, hi, ambiguous = _unwrap_setup(p, period)
    out = np.full(p.shape, zero)
    out[...] = p
    n = p.shape[p.ndim - 1]
    if n == 0:
        return out
    rows = out.reshape((out.size // n, n))
    src = p.copy().reshape((p.size // n, n))
    lo = -hi
    limit = period / 2 if discont is None else discont
    for r in range(rows.shape[0]):
        cum = zero
        for j in range(1, n):
            dd = src[r, j] - src[r, j - 1]
            ddmod = np.mod(dd - lo, per) + lo
            if ambiguous and ddmod == lo and dd > 0:
                ddmod = hi
            correct = ddmod - dd
            if abs(dd) < limit:
                correct = zero
            cum += correct
            rows[r, j] = src[r, j] + cum
    return out


# --- np.polynomial.polynomial ---

def trimseq(seq):
    if len(seq) == 0:
        return seq
    i = len(seq) - 1
    while i > 0 and seq[i] == 0:
        i -= 1
    return seq[:i + 1]


def _series(c, zero):
    """c (an array or a number) as a 1-d array in the dtype of zero,
    at least float64."""
    a = np.atleast_1d(np.asarray(c))
    if a.size == 0:
        raise ValueError("Coefficient array is empty")
    if a.ndim != 1:
        raise ValueError("Coefficient array is not 1-d")
    out = np.full(a.size, zero)
    out[:] = a
    return out


def _pair(c1, c2):
    zero = _float_zero(_promoted_zero(c1, c2))
    return _series(c1, zero), _series(c2, zero)


def as_series(alist, trim=True):
    zero = _float_zero(_np_shape._zero(alist))
    out = [_series(alist[0], zero)]
    out.pop()
    for a in literal_unroll(alist):
        s = _series(a, zero)
        out.append(trimseq(s) if trim else s)
    return out


def _add_sub(c1, c2, sign):
    a, b = _pair(c1, c2)
    n = max(len(a), len(b))
    out = np.full(n, a[0] * 0)
    out[:len(a)] = a
    if sign > 0:
        out[:len(b)] += b
    else:
        out[:len(b)] -= b
    return trimseq(out)


def polyadd(c1, c2):
    return _add_sub(c1, c2, 1)


def polysub(c1, c2):
    return _add_sub(c1, c2, -1)


def polymul(c1, c2):
    a, b = _pair(c1, c2)
    return trimseq(np.convolve(a, b))


def polydiv(c1, c2):
    a, b = _pair(c1, c2)
    a = trimseq(a).copy()
    b = trimseq(b)
    if b[len(b) - 1] == 0:
        raise ZeroDivisionError("division by zero")
    la = len(a)
    lb = len(b)
    if la < lb:
        return a[:1] * 0, a
    if lb == 1:
        return a / b[lb - 1], a[:1] * 0
    scl = b[lb - 1]
    b = b[:lb - 1] / scl
    i = la - lb
    j = la - 1
    while i >= 0:
        a[i:j] -= b * a[j]
        i -= 1
        j -= 1
    return a[j + 1:] / scl, trimseq(a[:j + 1])


def polyint(c, m=1):
    """NumPy's, of the two arguments Numba takes (k=[], lbnd=0, scl=1):
    not trimmed, a zero constant term."""
    if m < 0:
        raise ValueError("The order of integration must be non-negative")
    a = np.atleast_1d(np.asarray(c))
    a = _series(a, _float_zero(a)) if a.size > 0 else a + 0.0
    for _ in range(m):
        n = len(a)
        if n == 1 and a[0] == 0:
            continue
        tmp = np.full(n + 1, a[0] * 0)
        tmp[0] = a[0] * 0
        tmp[1] = a[0]
        for j in range(1, n):
            tmp[j + 1] = a[j] / (j + 1)
        tmp[0] += 0 - polyval(0, tmp)
        a = tmp
    return a


def polyval(x, c, tensor=True):
    """Horner's rule from c[-1], as NumPy computes it (a 1-d c: tensor
    changes nothing)."""
    a = np.atleast_1d(np.asarray(c))
    if a.ndim != 1:
        raise ValueError("np.polynomial.polynomial.polyval takes 1-d "
                         "coefficients")
    a = _series(a, _float_zero(a))
    n = len(a)
    y = a[n - 1] + x * 0
    for i in range(n - 1, 0, -1):
        y = a[i - 1] + y * x
    return y


FUNCTIONS = {
    "diagflat": diagflat, "dstack": dstack, "row_stack": row_stack,
    "dsplit": dsplit, "geomspace": geomspace, "indices": indices,
    "tril_indices_from": tril_indices_from,
    "triu_indices_from": triu_indices_from, "roots": roots,
    "unwrap": unwrap,
    _poly.polyadd: polyadd, _poly.polysub: polysub,
    _poly.polymul: polymul, _poly.polydiv: polydiv,
    _poly.polyint: polyint, _poly.polyval: polyval,
    _pu.trimseq: trimseq, _pu.as_series: as_series,
}

METHODS = ()

HELPERS = (_dim, _series, _pair, _add_sub, _linspace)
