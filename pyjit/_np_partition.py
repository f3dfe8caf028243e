"""NumPy's partitioning for nopython code: np.partition(a, kth) and
np.argpartition(a, kth), along the last axis, kth an integer (negative
from the end) or an array, list or tuple of them.

Each kth is selected in linear time on average by an introspective
quickselect, as NumPy's introselect: median-of-three pivots and Hoare's
partition, and once the parts stop shrinking (after 2 log2(n) rounds) a
sort of what is left, so that no input is quadratic.  The k-th element is the one a sort puts there, none larger
before it and none smaller after it; NaNs are larger than every number,
as in np.sort.  Where the other elements go is not specified, as in
NumPy.
"""
import numpy as np

from ._core import _holds_complex
from ._np_sort import _lt


def _swap(v, ix, track, i, j):
    t = v[i]
    v[i] = v[j]
    v[j] = t
    if track:
        u = ix[i]
        ix[i] = ix[j]
        ix[j] = u


def _order3(v, ix, track, lo, mid, last):
    """Sorts v[lo], v[mid], v[last]: the median of three in v[mid]."""
    if _lt(v[mid], v[lo]):
        _swap(v, ix, track, mid, lo)
    if _lt(v[last], v[mid]):
        _swap(v, ix, track, mid, last)
        if _lt(v[mid], v[lo]):
            _swap(v, ix, track, mid, lo)


def _split(v, ix, track, lo, hi):
    """Hoare's partition of v[lo:hi] (3 or more elements) around the
    median of three: v[lo:p] <= pivot <= v[p:hi], both parts non-empty.
    Below a real pivot that is a number, x sorts before it when x < pivot,
    and after it when not x <= pivot (NaN among them): plain comparisons.
    Complex numbers compare in NumPy's order (_lt)."""
    mid = lo + (hi - lo) // 2
    _order3(v, ix, track, lo, mid, hi - 1)
    pivot = v[mid]
    number = pivot == pivot
    i = lo - 1
    j = hi
    while True:
        i += 1
        if _holds_complex(v):
            while _lt(v[i], pivot):
                i += 1
        elif number:
            while v[i] < pivot:
                i += 1
        else:
            while _lt(v[i], pivot):
                i += 1
        j -= 1
        if _holds_complex(v):
            while _lt(pivot, v[j]):
                j -= 1
        elif number:
            while not v[j] <= pivot:
                j -= 1
        else:
            while _lt(pivot, v[j]):
                j -= 1
        if i >= j:
            return j + 1
        # the swap written out: a call of _swap here costs as much as
        # the scans (twice the time of the whole selection)
        t = v[i]
        v[i] = v[j]
        v[j] = t
        if track:
            u = ix[i]
            ix[i] = ix[j]
            ix[j] = u


def _sort_range(v, ix, track, lo, hi):
    """Sorts v[lo:hi] (ix's elements with v's) by a stable argsort: the
    fallback of partitions that stop shrinking, O(n log n)."""
    order = np.argsort(v[lo:hi], kind="mergesort")
    v[lo:hi] = v[lo:hi][order]
    if track:
        ix[lo:hi] = ix[lo:hi][order]


def _insertion(v, ix, track, lo, hi):
    for i in range(lo + 1, hi):
        j = i
        while j > lo and _lt(v[j], v[j - 1]):
            _swap(v, ix, track, j, j - 1)
            j -= 1


def _select(v, ix, track, lo, hi, k):
    """Puts into v[k] (lo <= k < hi) the element a sort of v[lo:hi] puts
    there, none larger before it in v[lo:hi] and none smaller after it;
    ix's elements (track) move with v's."""
    depth = 0
    n = hi - lo
    while n > 1:
        depth += 2
        n //= 2
    while hi - lo > 8:
        if depth == 0:
            _sort_range(v, ix, track, lo, hi)
            return
        depth -= 1
        p = _split(v, ix, track, lo, hi)
        if k < p:
            hi = p
        else:
            lo = p
    _insertion(v, ix, track, lo, hi)


def _kths(kth, n):
    """The kth (an integer, or an array, list or tuple of them) as sorted
    positions in [0, n), NumPy's ValueError for one out of bounds
    (negative ones counted from the end first)."""
    kths = np.asarray(kth)
    if kths.ndim > 1:
        raise ValueError("object too deep for desired array")
    ks = kths.ravel().copy()
    for i in range(len(ks)):
        k = ks[i] + n if ks[i] < 0 else ks[i]
        if k < 0 or k >= n:
            raise ValueError(f"kth(={k}) out of bounds ({n})")
        ks[i] = k
    return np.sort(ks)


def _partition_rows(v, ix, track, ks):
    """Selects every k of ks (sorted) in each row of the 2-d v: each after
    the one before it, in the part of the row that follows it."""
    n = v.shape[1]
    for r in range(v.shape[0]):
        row = v[r]
        irow = ix[r] if track else ix[0]
        lo = 0
        for k in ks:
            _select(row, irow, track, lo, n, k)
            lo = k + 1


def _rows(a):
    """A C copy of a (not empty) as (rows, length of the last axis)."""
    n = a.shape[a.ndim - 1]
    return a.copy().reshape(a.size // n, n)


def partition(a, kth):
    if a.ndim == 0:
        raise np.exceptions.AxisError(
            "axis -1 is out of bounds for array of dimension 0")
    if a.size == 0:             # NumPy checks no kth then
        return a.copy()
    n = a.shape[a.ndim - 1]
    ks = _kths(kth, n)
    v = _rows(a)
    ix = np.empty((1, 1), np.int64)
    _partition_rows(v, ix, False, ks)
    return v.reshape(a.shape)


def argpartition(a, kth):
    if a.ndim == 0:             # NumPy's: as the array of its one element
        return argpartition(a.reshape(1), kth)
    if a.size == 0:
        return np.zeros(a.shape, np.int64)
    n = a.shape[a.ndim - 1]
    ks = _kths(kth, n)
    v = _rows(a)
    ix = np.empty(v.shape, np.int64)
    for r in range(v.shape[0]):
        for j in range(n):
            ix[r, j] = j
    _partition_rows(v, ix, True, ks)
    return ix.reshape(a.shape)


FUNCTIONS = {"partition": partition, "argpartition": argpartition}

METHODS = ()

HELPERS = (_lt, _swap, _order3, _split, _sort_range, _insertion, _select,
           _kths, _partition_rows, _rows)
