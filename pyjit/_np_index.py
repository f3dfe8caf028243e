"""NumPy's functions that find elements, for nopython code:
np.flatnonzero, np.nonzero (a tuple of one int64 array per dimension),
np.argwhere, and the one-argument np.where, which is np.nonzero; and
indexing by arrays, which csrc/array_index.c hands to the functions of
METHOD_IMPLS: a[mask] and a[mask] = v with a boolean mask of a's shape
(elements in C order)."""
import numpy as np


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
    if a.ndim == 1:
        return (flatnonzero(a),)
    w = argwhere(a)
    if a.ndim == 2:
        return (np.copy(w[:, 0]), np.copy(w[:, 1]))
    return (np.copy(w[:, 0]), np.copy(w[:, 1]), np.copy(w[:, 2]))


def where(condition):
    return nonzero(condition)


def _check_mask(a, mask):
    for d in range(a.ndim):
        if mask.shape[d] != a.shape[d]:
            raise IndexError(
                f"boolean index did not match indexed array along axis {d}; "
                f"size of axis is {a.shape[d]} but size of corresponding "
                f"boolean axis is {mask.shape[d]}")


def _gather(a, mask, out, j):
    """Puts a's elements where mask is true into out from j on, in C
    order; the next j.  An n-d array goes row by row."""
    if a.ndim == 1:
        for i in range(a.shape[0]):
            if mask[i]:
                out[j] = a[i]
                j += 1
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


FUNCTIONS = {"flatnonzero": flatnonzero, "argwhere": argwhere,
             "nonzero": nonzero, "where": where}

METHODS = ("nonzero",)

METHOD_IMPLS = {"__getitem_mask__": getitem_mask,
                "__setitem_mask__": setitem_mask,
                "__setitem_mask_array__": setitem_mask_array}

HELPERS = (_check_mask, _gather, _scatter, _fill)
