"""np.insert(arr, obj, values) for nopython code, NumPy's axis=None form:
a new 1-d array of arr's elements (raveled) with values inserted before
position obj.  obj an integer (negative from the end) inserts all of
values there, as does an array of one index; an array of several indices
inserts one value before each (values one element, repeated, or one per
index), equal indices in their order, as NumPy does.  The values take
arr's dtype.
"""
import numpy as np


def _insert_block(flat, at, vals, shown):
    """vals inserted before flat[at]; shown: obj as NumPy's IndexError
    names it."""
    n = len(flat)
    k = at + n if at < 0 else at
    if k < 0 or k > n:
        raise IndexError(f"index {shown} is out of bounds for axis 0 with "
                         f"size {n}")
    m = len(vals)
    out = np.empty(n + m, flat.dtype)
    out[:k] = flat[:k]
    for j in range(m):
        out[k + j] = vals[j]
    out[k + m:] = flat[k:]
    return out


def _insert_each(flat, idx, vals):
    """One of vals (or its one value) inserted before each flat[idx[j]]:
    NumPy's positions, idx sorted stably, each moved on by the ones before
    it; NumPy's errors in its order."""
    n = len(flat)
    m = len(idx)
    total = n + m
    at = np.empty(m, np.int64)
    for j in range(m):
        at[j] = idx[j] + n if idx[j] < 0 else idx[j]
    order = np.argsort(at, kind="mergesort")
    where = np.empty(m, np.int64)
    for j in range(m):
        shown = at[order[j]] + j
        p = shown + total if shown < 0 else shown     # NumPy's wrap
        if p < 0 or p >= total:
            raise IndexError(f"index {shown} is out of bounds for axis 0 "
                             f"with size {total}")
        where[j] = p
    if len(vals) != 1 and len(vals) != m:
        raise ValueError(f"shape mismatch: value array of shape "
                         f"({len(vals)},) could not be broadcast to "
                         f"indexing result of shape ({m},)")
    taken = np.zeros(total, np.bool_)
    out = np.empty(total, flat.dtype)
    distinct = 0
    for j in range(m):
        p = where[j]
        distinct += not taken[p]
        taken[p] = True
        out[p] = vals[order[j] if len(vals) > 1 else 0]
    if distinct < m:            # wrapped onto one another: NumPy's error
        raise ValueError(f"NumPy boolean array indexing assignment cannot "
                         f"assign {n} input values to the "
                         f"{total - distinct} output values where the mask "
                         f"is true")
    i = 0
    for p in range(total):
        if not taken[p]:
            out[p] = flat[i]
            i += 1
    return out


def insert(arr, obj, values):
    flat = arr.ravel()
    vals = np.full(1, values) if values.ndim == 0 else values.ravel()
    if obj.ndim == 0:
        return _insert_block(flat, obj, vals, obj)
    idx = obj.ravel()
    if len(idx) == 1:
        return _insert_block(flat, idx[0], vals, f"[{idx[0]}]")
    return _insert_each(flat, idx, vals)


FUNCTIONS = {"insert": insert}

METHODS = ()

HELPERS = (_insert_block, _insert_each)
