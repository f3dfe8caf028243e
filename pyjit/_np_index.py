"""NumPy's functions that find elements, for nopython code:
np.flatnonzero, np.nonzero (a tuple of one int64 array per dimension),
np.argwhere, and the one-argument np.where, which is np.nonzero."""
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


FUNCTIONS = {"flatnonzero": flatnonzero, "argwhere": argwhere,
             "nonzero": nonzero, "where": where}

METHODS = ("nonzero",)

HELPERS = ()
