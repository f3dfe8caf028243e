"""NumPy's functions that find elements, for nopython code:
np.flatnonzero, np.nonzero (a tuple of one int64 array per dimension),
np.argwhere, and np.where: of one argument np.nonzero, of three the
elements of x where the condition holds and of y elsewhere
(pyjit/_np_shape2.py); and
indexing by arrays, which csrc/array_index.c hands to the functions of
METHOD_IMPLS: a[mask] and a[mask] = v with a boolean mask of a's shape
(elements in C order); a[idx] with a 1-d integer array (a new array of
a's rows idx, negative ones from the end), a[idx, :] and a[:, idx] of a
2-d array, and a[idx] = v of a 1-d one; and any other index of one
such array among integers and slices (a[:, :, mask], a[i, idx, j:k]),
with NumPy's placement of the selected axis; and every other index of
integer arrays (of any dimensions, broadcast together) and 1-d masks
among integers, slices and an ellipsis, read and assigned to
(a[i, j], a[idx2d], x[:, idx, :, idx2], a[:, idx] = v) by a function
generated for the kinds of its items."""
import numpy as np

from . import _np_shape2
from . import types as _types
from .extending import overload


def flatnonzero(a):
    """The flat (C order) indices of a's elements that are not zero."""
    out = np.empty(np.count_nonzero(a), np.int64)
    j = 0
    i = 0
    for x in a.flat:
        if x:
            out[j] = i
            j += 1
        i += 1
    return out


def argwhere(a):
    """The index of each element that is not zero, one row each."""
    if a.ndim == 0:             # a row of no indices when a is not zero
        return np.empty((np.count_nonzero(a), 0), np.int64)
    flat = flatnonzero(a)
    nd = a.ndim
    out = np.empty((len(flat), nd), np.int64)
    for r in range(len(flat)):
        rest = flat[r]
        for d in range(nd - 1, -1, -1):
            out[r, d] = rest % a.shape[d]
            rest //= a.shape[d]
    return out


def nonzero(a):
    """A tuple of the indices of the elements that are not zero, one
    array per dimension."""
    if a.ndim == 0:
        raise ValueError("Calling nonzero on 0d arrays is not allowed. Use "
                         "np.atleast_1d(scalar).nonzero() instead.")
    if a.ndim == 1:
        return (flatnonzero(a),)
    w = argwhere(a)
    if a.ndim == 2:
        return (np.copy(w[:, 0]), np.copy(w[:, 1]))
    return (np.copy(w[:, 0]), np.copy(w[:, 1]), np.copy(w[:, 2]))


def where(condition, x=None, y=None):
    if x is None:
        if y is None:
            return nonzero(condition)
        _both_or_neither()
        return nonzero(condition)
    if y is None:
        _both_or_neither()
        return nonzero(condition)
    return _np_shape2.where3(condition, x, y)


def _both_or_neither():
    raise ValueError("either both or neither of x and y should be given")


def _check_mask(a, mask):
    for d in range(a.ndim):
        if mask.shape[d] != a.shape[d]:
            raise IndexError(
                f"boolean index did not match indexed array along axis {d}; "
                f"size of axis is {a.shape[d]} but size of corresponding "
                f"boolean axis is {mask.shape[d]}")


def _gather(a, mask, out, j):
    """Puts a's elements where mask is true into out from j on, in C
    order; the next j.  An n-d array goes row by row.  Without a branch
    on the mask, which a random mask would mispredict half the time: each
    element is stored at out[j], and j counts the true ones, so the next
    element overwrites one where the mask is false.  The loop ends once
    out is full, before a store past its end.  Nothing is read back from
    out: a load of the slot just stored would wait for the store on every
    element."""
    if a.ndim == 1:
        n = len(out)
        for i in range(a.shape[0]):
            if j == n:
                break
            out[j] = a[i]
            j += 1 if mask[i] else 0
        return j
    for i in range(a.shape[0]):
        j = _gather(a[i], mask[i], out, j)
    return j


def _scatter(a, mask, v, j, step):
    """Stores v[j], v[j + step]... where mask is true, in C order."""
    if a.ndim == 1:
        for i in range(a.shape[0]):
            if mask[i]:
                a[i] = v[j]
                j += step
        return j
    for i in range(a.shape[0]):
        j = _scatter(a[i], mask[i], v, j, step)
    return j


def _fill(a, mask, v):
    if a.ndim == 1:
        for i in range(a.shape[0]):
            if mask[i]:
                a[i] = v
    else:
        for i in range(a.shape[0]):
            _fill(a[i], mask[i], v)


def getitem_mask(a, mask):
    """a[mask]: a new 1-d array of the elements where mask is true."""
    _check_mask(a, mask)
    out = np.empty(np.count_nonzero(mask), a.dtype)
    _gather(a, mask, out, 0)
    return out


def setitem_mask(a, mask, v):
    """a[mask] = v, v a number."""
    _check_mask(a, mask)
    _fill(a, mask, v)


def setitem_mask_array(a, mask, v):
    """a[mask] = v, v a 1-d array of one value or one per true element."""
    _check_mask(a, mask)
    n = np.count_nonzero(mask)
    if len(v) != 1 and len(v) != n:
        raise ValueError(
            f"NumPy boolean array indexing assignment cannot assign {len(v)} "
            f"input values to the {n} output values where the mask is true")
    _scatter(a, mask, v, 0, 1 if len(v) == n else 0)


def _out_of_bounds(i, n, axis):
    raise IndexError(
        f"index {i} is out of bounds for axis {axis} with size {n}")


def _wrap_index(i, n, axis):
    """Index i of an axis of length n as NumPy checks it, counted from
    the end when negative: a uint64, so that indexing with it wraps no
    second time (LLVM cannot tell that the position is not negative).
    The error is made out of line, so that this stays small enough to
    inline into the loops that index with it."""
    if i >= n or i < -n:
        _out_of_bounds(i, n, axis)
    j = np.int64(i)
    return np.uint64(j + n) if j < 0 else np.uint64(j)


def getitem_take(a, idx):
    """a[idx]: a new array of a's rows idx[0], idx[1]...  Of a 1-d array,
    the indices are checked first in one pass that LLVM vectorizes (the
    smallest and the largest), as NumPy checks them before it takes; when
    none is negative the elements are then taken with no test at all."""
    n = a.shape[0]
    out = np.empty((len(idx),) + a.shape[1:], a.dtype)
    if a.ndim == 1 and len(idx) > 0:
        lo, hi = _index_bounds(idx)
        if lo >= 0 and hi < n:
            for k in range(len(idx)):
                out[k] = a[np.uint64(idx[k])]
            return out
    for k in range(len(idx)):
        out[k] = a[_wrap_index(idx[k], n, 0)]
    return out


def _index_bounds(idx):
    """The smallest and the largest of a non-empty 1-d integer array."""
    lo = hi = idx[0]
    for x in idx:
        lo = min(lo, x)
        hi = max(hi, x)
    return lo, hi


def getitem_take_columns(a, idx):
    """a[:, idx] of a 2-d array: a new array of its columns idx."""
    out = np.empty((a.shape[0], len(idx)), a.dtype)
    for k in range(len(idx)):
        j = _wrap_index(idx[k], a.shape[1], 1)
        for r in range(a.shape[0]):
            out[r, k] = a[r, j]
    return out


def _mask_positions(mask, n, dim):
    """The positions where a 1-d mask selecting along dimension dim, of
    length n, is true."""
    if len(mask) != n:
        raise IndexError(
            f"boolean index did not match indexed array along axis {dim}; "
            f"size of axis is {n} but size of corresponding boolean axis "
            f"is {len(mask)}")
    return flatnonzero(mask)


def getitem_take_mask(a, mask):
    """a[mask] (a[mask, :]) of a 1-d mask over a's first axis."""
    return getitem_take(a, _mask_positions(mask, a.shape[0], 0))


def getitem_columns_mask(a, mask):
    """a[:, mask] of a 2-d array."""
    return getitem_take_columns(a, _mask_positions(mask, a.shape[1], 1))


def getitem_take_at(a, index):
    """a[idx, j] of a 2-d array: a new 1-d array of a[idx[k], j]."""
    idx, j = index
    col = _wrap_index(j, a.shape[1], 1)
    out = np.empty(len(idx), a.dtype)
    for k in range(len(idx)):
        out[k] = a[_wrap_index(idx[k], a.shape[0], 0), col]
    return out


def getitem_at_take(a, index):
    """a[i, idx] of a 2-d array: a new 1-d array of a[i, idx[k]]."""
    i, idx = index
    row = a[_wrap_index(i, a.shape[0], 0)]
    out = np.empty(len(idx), a.dtype)
    for k in range(len(idx)):
        out[k] = row[_wrap_index(idx[k], a.shape[1], 1)]
    return out


def getitem_mask_at(a, index):
    """a[mask, j] of a 2-d array: a[:, j] where the 1-d mask is true."""
    mask, j = index
    return getitem_take_at(a, (_mask_positions(mask, a.shape[0], 0), j))


def getitem_at_mask(a, index):
    """a[i, mask] of a 2-d array: a[i, :] where the 1-d mask is true."""
    i, mask = index
    return getitem_at_take(a, (i, _mask_positions(mask, a.shape[1], 1)))


def _wrapped_positions(idx, n, dim):
    """The integer index idx along dimension dim, of length n, each item
    checked and counted from the end when negative."""
    pos = np.empty(len(idx), np.int64)
    for k in range(len(idx)):
        pos[k] = _wrap_index(idx[k], n, dim)
    return pos


def getitem_advanced(a, index):
    """a[index], index a tuple of integers and slices and one 1-d integer
    array or boolean mask."""
    return _take_advanced(a, index)


def _take_advanced(a, index):
    pass


_advanced_takes = {}


def _advanced_source(ndim, kinds):
    """The source of a[index] for an array of ndim dimensions and an index
    whose items are of these kinds ('i' integer, 's' slice, 'a' integer
    array, 'm' mask): the view the integers and slices make, with ':' for
    the array, then the selected positions taken along its axis.  As in
    NumPy, integers are advanced indices too: when one stands apart from
    the array, the selected axis comes first in the result."""
    adv = [k for k, c in enumerate(kinds) if c in "iam"]
    at = next(k for k, c in enumerate(kinds) if c in "am")
    first = adv != list(range(adv[0], adv[-1] + 1))
    names = [f"x{k}" for k in range(len(kinds))]
    basic = ", ".join(":" if k == at else n for k, n in enumerate(names))
    axis = sum(1 for c in kinds[:at] if c == "s")    # of the view
    vdim = ndim - sum(1 for c in kinds if c == "i")
    find = "_mask_positions" if kinds[at] == "m" else "_wrapped_positions"
    dims = [f"v.shape[{d}]" for d in range(vdim) if d != axis]
    shape = (["len(pos)"] + dims if first
             else dims[:axis] + ["len(pos)"] + dims[axis:])
    lead = "k" if first else ":, " * axis + "k"
    checks = "".join(line + "\n" for line in _checked_integers(ndim, kinds))
    return (f"def take(a, index):\n"
            f"    {', '.join(names)}, = index\n"
            f"{checks}"
            f"    v = a[{basic}]\n"
            f"    pos = {find}({names[at]}, v.shape[{axis}], {at})\n"
            f"    out = np.empty(({', '.join(shape)},), a.dtype)\n"
            f"    for k in range(len(pos)):\n"
            f"        out[{lead}] = v[{':, ' * axis}pos[k]]\n"
            f"    return out\n")


def _index_kind(t):
    if isinstance(t, (_types.Integer, _types.Boolean)):
        return "i"
    if isinstance(t, _types.SliceType):
        return "s"
    if isinstance(t, _types.Array) and t.ndim == 1:
        return "m" if isinstance(t.dtype, _types.Boolean) else "a"
    return None


@overload(_take_advanced)
def _take_advanced_typer(a, index):
    from ._jitclass import _generated
    kinds = "".join(_index_kind(t) or "?" for t in index.types)
    if "?" in kinds or len(kinds) > a.ndim:
        return None
    key = (a.ndim, kinds)
    if key not in _advanced_takes:
        namespace = {"np": np,
                     "_mask_positions": globals()["_mask_positions"],
                     "_wrapped_positions": globals()["_wrapped_positions"],
                     "_wrap_index": globals()["_wrap_index"]}
        _advanced_takes[key] = _generated(
            "take", _advanced_source(a.ndim, kinds), namespace, "numpy")
    return _advanced_takes[key]


def getitem_fancy(a, index):
    """a[index] for NumPy's other advanced indices: integer arrays of any
    dimensions and 1-d masks among integers, slices and an ellipsis."""
    return _fancy_get(a, index)


def setitem_fancy(a, index, v):
    """a[index] = v for the indices getitem_fancy reads, v a number or an
    array broadcast to the shape a[index] has."""
    _fancy_set(a, index, v)


def _fancy_get(a, index):
    pass


def _fancy_set(a, index, v):
    pass


def _joined_dim(b, n):
    """Dimension b of the broadcast shape of the index arrays so far,
    joined with an index array's n."""
    if b == 1 or b == n:
        return n
    if n == 1:
        return b
    raise IndexError("shape mismatch: indexing arrays could not be "
                     "broadcast together")


def _positions_nd(idx, n, dim, check):
    """The integer index array idx (any dimensions) along dimension dim,
    of length n, counted from the end when negative; each item checked
    when `check` (NumPy checks them only when the selection has
    elements)."""
    flat = np.ravel(idx)
    pos = np.empty(flat.size, np.int64)
    for k in range(flat.size):
        i = np.int64(flat[k])
        pos[k] = np.int64(_wrap_index(i, n, dim)) if check else i
    return pos.reshape(idx.shape)


def _checked_integers(ndim, kinds):
    """Lines checking the integer items of an index (x0, x1...) of an
    array `a` of ndim dimensions against the dimensions they index, as
    NumPy checks them whatever else the index selects."""
    lines, axis = [], 0
    spanned = ndim - sum(1 for c in kinds if c != "e")
    for k, c in enumerate(kinds):
        if c == "i":
            lines.append(f"    x{k} = _wrap_index(x{k}, a.shape[{axis}], "
                         f"{axis})")
        axis += spanned if c == "e" else 1
    return lines


def _fancy_layout(ndim, kinds):
    """How an index of these items ((kind, ndim): 'i' integer, 's' slice,
    'e' ellipsis, 'a' integer array, 'm' 1-d mask) reads an array of ndim
    dimensions: the basic index of the view v the integers and slices
    make (':' for each array), the arrays as (item, axis of a, axis of
    v), v's dimensions, and whether the advanced indices (integers
    included, as NumPy counts them) stand together."""
    spanned = ndim - sum(1 for c, _ in kinds if c != "e")
    basic, arrays, together = [], [], []
    a_axis = v_axis = 0
    for k, (c, _) in enumerate(kinds):
        if c == "e":
            basic.append("...")
            a_axis += spanned
            v_axis += spanned
            continue
        basic.append(":" if c in "am" else f"x{k}")
        if c in "am":
            arrays.append((k, a_axis, v_axis))
        if c in "iam":
            together.append(k)
        a_axis += 1
        v_axis += c != "i"
    vdim = v_axis + ndim - a_axis
    adjacent = together == list(range(together[0], together[-1] + 1))
    return basic, arrays, vdim, adjacent


def _fancy_source(ndim, kinds, tupled, store):
    """The source of a[index] (store: a[index] = value, "array" when the
    value is an array, "number" when not) for an index of these kinds
    (see _fancy_layout): the positions each array selects, broadcast
    together to a shape B; the result has B in place of the arrays'
    dimensions when the advanced indices stand together, else B first,
    then v's other dimensions (NumPy's rule).  The errors come in NumPy's
    order: integers out of bounds, arrays that do not broadcast, a value
    that does not fit, then array items out of bounds (checked only when
    B has elements)."""
    basic, arrays, vdim, adjacent = _fancy_layout(ndim, kinds)
    names = [f"x{k}" for k in range(len(kinds))]
    bdim = max(kinds[k][1] for k, _, _ in arrays)
    head = "def put(a, index, value):\n" if store else \
        "def take(a, index):\n"
    lines = [head + (f"    {', '.join(names)}, = index" if tupled
                     else "    x0 = index")]
    lines += _checked_integers(ndim, [c for c, _ in kinds])
    lines.append(f"    v = a[{', '.join(basic)}]")
    for k, a_axis, v_axis in arrays:
        if kinds[k][0] == "m":
            lines.append(f"    x{k} = _mask_positions(x{k}, v.shape[{v_axis}],"
                         f" {a_axis})")
    for d in range(bdim):
        lines.append(f"    B{d} = 1")
        for k, _, _ in arrays:
            off = bdim - kinds[k][1]
            if d >= off:
                lines.append(f"    B{d} = _joined_dim(B{d}, "
                             f"x{k}.shape[{d - off}])")
    shape_b = [f"B{d}" for d in range(bdim)]
    lines.append(f"    B = ({', '.join(shape_b)},)")
    axes = {v_axis: k for k, _, v_axis in arrays}
    first, last = arrays[0][2], arrays[-1][2]
    rest = [f"v.shape[{d}]" for d in range(vdim) if d not in axes]
    # one broadcast dimension (the common a[i, j]) is walked by an integer
    q = ["q"] if bdim == 1 else [f"q[{d}]" for d in range(bdim)]
    walk = "range(B0)" if bdim == 1 else "np.ndindex(B)"
    if adjacent:
        shape = ([f"v.shape[{d}]" for d in range(first)] + shape_b
                 + [f"v.shape[{d}]" for d in range(last + 1, vdim)])
        at = [":"] * first + q
    else:
        shape = shape_b + rest
        at = q
    lines.append(f"    shape = ({', '.join(shape)},)")
    if store == "array":
        lines.append("    values = np.broadcast_to(value, shape)")
    lines.append(f"    check = {' * '.join(shape_b)} > 0")
    for k, a_axis, v_axis in arrays:
        find = (f"x{k}" if kinds[k][0] == "m" else
                f"_positions_nd(x{k}, v.shape[{v_axis}], {a_axis}, check)")
        lines.append(f"    b{k} = np.broadcast_to({find}, B)")
    vidx = ", ".join(f"b{axes[d]}[q]" if d in axes else ":"
                     for d in range(vdim))
    if store:
        value = f"values[{', '.join(at)}]" if store == "array" else "value"
        lines += [f"    for q in {walk}:",
                  f"        v[{vidx}] = {value}"]
        return "\n".join(lines) + "\n"
    lines += ["    out = np.empty(shape, a.dtype)",
              f"    for q in {walk}:",
              f"        out[{', '.join(at)}] = v[{vidx}]",
              "    return out"]
    return "\n".join(lines) + "\n"


def _fancy_kind(t):
    if isinstance(t, _types.Array):
        if isinstance(t.dtype, _types.Boolean):
            return ("m", 1) if t.ndim == 1 else None
        return ("a", t.ndim) if t.ndim > 0 else None
    if isinstance(t, _types.EllipsisType):
        return ("e", 0)
    kind = _index_kind(t)
    return (kind, 0) if kind in ("i", "s") else None


_fancy_made = {}


def _fancy_impl(a, index, store):
    """The generated implementation of a[index] (store: of a[index] = v,
    "array" or "number")."""
    from ._jitclass import _generated
    tupled = isinstance(index, _types.BaseTuple)
    kinds = tuple(_fancy_kind(t) for t in (index.types if tupled
                                             else (index,)))
    if None in kinds or not any(c in "am" for c, _ in kinds):
        return None
    key = (a.ndim, kinds, tupled, store)
    if key not in _fancy_made:
        g = globals()
        namespace = {"np": np, **{name: g[name] for name in (
            "_mask_positions", "_positions_nd", "_joined_dim",
            "_wrap_index")}}
        _fancy_made[key] = _generated(
            "put" if store else "take",
            _fancy_source(a.ndim, kinds, tupled, store), namespace, "numpy")
    return _fancy_made[key]


@overload(_fancy_get)
def _fancy_get_typer(a, index):
    return _fancy_impl(a, index, None)


@overload(_fancy_set)
def _fancy_set_typer(a, index, v):
    return _fancy_impl(a, index, "array" if isinstance(v, _types.Array)
                       else "number")


def setitem_sequence(a, idx, v):
    """a[idx] = (x, y, ...), a[idx] a 1-d view: one item per element."""
    view = a[idx]
    if view.ndim != 1:
        raise ValueError(
            "a tuple is assigned to a slice that leaves one dimension")
    if len(v) != len(view):
        _sequence_mismatch(len(v), len(view))
    for k in range(len(v)):
        view[k] = v[k]


def _sequence_mismatch(n, m):
    # Only raises, so it is never inlined (and cold): the code of
    # setitem_sequence inlined into a loop stays a few stores.
    raise ValueError(f"could not broadcast input array from shape ({n},) "
                     f"into shape ({m},)")


def contains_in(x, a):
    """x in a: some element of a equals x."""
    for v in a.flat:
        if v == x:
            return True
    return False


def not_in(x, a):
    return not contains_in(x, a)


def _check_take(a, idx):
    """idx checked before a is written, as NumPy does."""
    for k in range(len(idx)):
        _wrap_index(idx[k], len(a), 0)


def setitem_take(a, idx, v):
    """a[idx] = v of a 1-d array, v a number."""
    _check_take(a, idx)
    for k in range(len(idx)):
        a[_wrap_index(idx[k], len(a), 0)] = v


def setitem_take_array(a, idx, v):
    """a[idx] = v of a 1-d array, v a 1-d array of one value or one per
    index."""
    if len(v) != len(idx) and len(v) != 1:
        raise ValueError(
            f"shape mismatch: value array of shape ({len(v)},) could not be "
            f"broadcast to indexing result of shape ({len(idx)},)")
    _check_take(a, idx)
    step = 1 if len(v) == len(idx) else 0
    for k in range(len(idx)):
        a[_wrap_index(idx[k], len(a), 0)] = v[k * step]


def setitem_take_rows(a, idx, v):
    """a[idx] = v of an array of more than one dimension: its rows idx
    take v (a number or an array) broadcast to (len(idx),) + a.shape[1:],
    a row of v per index or one row for all."""
    _check_take(a, idx)
    rows = np.broadcast_to(v, (len(idx),) + a.shape[1:])
    for k in range(len(idx)):
        a[_wrap_index(idx[k], len(a), 0)] = rows[k]


def setitem_mask_rows(a, mask, v):
    """a[mask] = v with a 1-d mask over the rows of an array of more
    dimensions: the rows where mask is true take v."""
    setitem_take_rows(a, _mask_positions(mask, a.shape[0], 0), v)


FUNCTIONS = {"flatnonzero": flatnonzero, "argwhere": argwhere,
             "nonzero": nonzero, "where": where}

METHODS = ("nonzero",)

METHOD_IMPLS = {"__getitem_mask__": getitem_mask,
                "__setitem_mask": setitem_mask,
                "__setitem_mask_array": setitem_mask_array,
                "__getitem_take__": getitem_take,
                "__getitem_take_columns__": getitem_take_columns,
                "__getitem_take_mask__": getitem_take_mask,
                "__getitem_columns_mask__": getitem_columns_mask,
                "__getitem_take_at__": getitem_take_at,
                "__getitem_at_take__": getitem_at_take,
                "__getitem_mask_at__": getitem_mask_at,
                "__getitem_at_mask__": getitem_at_mask,
                "__getitem_advanced__": getitem_advanced,
                "__getitem_fancy__": getitem_fancy,
                "__setitem_fancy": setitem_fancy,
                "__setitem_take": setitem_take,
                "__setitem_sequence": setitem_sequence,
                "__contains_in": contains_in, "__not_in": not_in,
                "__setitem_take_array": setitem_take_array,
                "__setitem_take_rows": setitem_take_rows,
                "__setitem_mask_rows": setitem_mask_rows}

# a[idx] = (x, y, z) is a few stores; its view's reference counts, which
# go once it is inlined, would put it just past LLVM's inlining threshold.
INLINE = (setitem_sequence,)

HELPERS = (_both_or_neither, _check_mask, _gather, _scatter, _fill, _out_of_bounds,
           _sequence_mismatch, _wrap_index, _index_bounds, _check_take,
           _mask_positions, _wrapped_positions, _joined_dim, _positions_nd)
