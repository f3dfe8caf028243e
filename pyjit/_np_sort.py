"""NumPy's sorting for nopython code: np.sort, a.sort(), np.argsort,
np.searchsorted (of a number or an array, either side).

NaNs sort to the end, as in NumPy.  np.sort and a.sort() sort along the
last axis.  The unstable kinds (quicksort, and heapsort, which NumPy sorts
with its quicksort too) call NumPy's own vectorized quicksort loop for the
dtype (the intrinsic _numpy_sort, csrc/np_sortloop.c), so equal elements
(0.0 and -0.0) come out in NumPy's order.  kind='stable' or 'mergesort'
sorts runs of at least _RADIX_MIN numbers by an LSD radix sort of integer
keys in the numbers' order (the intrinsic _sort_key; NaNs moved to the
end first), several times faster than NumPy's merge sort with the same
result; shorter runs, and dtypes or views NumPy's loop does not take, by
an introspective quicksort (insertion sort for short runs, heapsort when
the partitions degrade), so that no input is quadratic.  np.argsort calls
NumPy's argsort loop of the kind asked for (_numpy_argsort), else sorts
by a stable merge sort.  A kind NumPy does not know is its ValueError.
"""
import numpy as np

from ._core import (_holds_complex, _holds_integers, _holds_strings,
                    _numpy_argsort,
                    _numpy_sort, _sort_key)

# the radix sort's digit width, and the shortest run it sorts (shorter
# ones are the quicksort's: the radix sort's tables cost more than they
# save there)
_DIGIT = 11
_RADIX_MIN = 1024


def _lt(x, y):
    """x sorts before y: NaN is larger than everything else; complex
    numbers in NumPy's order."""
    if _holds_complex(x):
        return _complex_lt(x, y)
    if _holds_complex(y):
        return _complex_lt(x, y)
    return x < y or (y != y and x == x)


def _complex_lt(x, y):
    """x sorts before y in NumPy's order of complex numbers: by real part,
    then imaginary part, a NaN part larger than any number (NumPy's sort
    and searchsorted compare so)."""
    xr = x.real
    xi = x.imag
    yr = y.real
    yi = y.imag
    if xr < yr:
        return xi == xi or yi != yi
    if xr > yr:
        return yi != yi and xi == xi
    if xr == yr or (xr != xr and yr != yr):
        return xi < yi or (yi != yi and xi == xi)
    return yr != yr


def _insertion(v, lo, hi):
    for i in range(lo + 1, hi):
        x = v[i]
        j = i - 1
        while j >= lo and _lt(x, v[j]):
            v[j + 1] = v[j]
            j -= 1
        v[j + 1] = x


def _sift(v, lo, start, n):
    """Restores the max-heap v[lo:lo + n] below position start."""
    root = start
    while True:
        child = 2 * root + 1
        if child >= n:
            return
        if child + 1 < n and _lt(v[lo + child], v[lo + child + 1]):
            child += 1
        if not _lt(v[lo + root], v[lo + child]):
            return
        t = v[lo + root]
        v[lo + root] = v[lo + child]
        v[lo + child] = t
        root = child


def _heapsort(v, lo, hi):
    n = hi - lo
    for start in range(n // 2 - 1, -1, -1):
        _sift(v, lo, start, n)
    for end in range(n - 1, 0, -1):
        t = v[lo]
        v[lo] = v[lo + end]
        v[lo + end] = t
        _sift(v, lo, 0, end)


def _partition(v, lo, hi):
    """Hoare's partition of v[lo:hi] around the median of three; returns
    the split: v[lo:p] <= pivot <= v[p:hi], both parts non-empty."""
    mid = lo + (hi - lo) // 2
    if _lt(v[mid], v[lo]):
        t = v[mid]; v[mid] = v[lo]; v[lo] = t          # noqa: E702
    if _lt(v[hi - 1], v[mid]):
        t = v[mid]; v[mid] = v[hi - 1]; v[hi - 1] = t  # noqa: E702
        if _lt(v[mid], v[lo]):
            t = v[mid]; v[mid] = v[lo]; v[lo] = t      # noqa: E702
    pivot = v[mid]
    i = lo - 1
    j = hi
    while True:
        i += 1
        while _lt(v[i], pivot):
            i += 1
        j -= 1
        while _lt(pivot, v[j]):
            j -= 1
        if i >= j:
            return j + 1
        t = v[i]
        v[i] = v[j]
        v[j] = t


def _quicksort(v, lo, hi):
    """Sorts v[lo:hi] in place, the larger part of each partition kept on
    a stack of ranges (at most 64 deep, the smaller part first)."""
    stack = np.empty(256, np.int64)
    top = 0
    budget = 0
    n = hi - lo
    while n > 1:
        budget += 2
        n //= 2
    stack[0] = lo
    stack[1] = hi
    stack[2] = budget
    top = 3
    while top > 0:
        top -= 3
        lo = stack[top]
        hi = stack[top + 1]
        depth = stack[top + 2]
        while hi - lo > 16:
            if depth == 0:
                _heapsort(v, lo, hi)
                lo = hi
                break
            depth -= 1
            p = _partition(v, lo, hi)
            if p - lo < hi - p:
                stack[top] = p
                stack[top + 1] = hi
                stack[top + 2] = depth
                hi = p
            else:
                stack[top] = lo
                stack[top + 1] = p
                stack[top + 2] = depth
                lo = p
            top += 3
        _insertion(v, lo, hi)


def _radix_counts(v, n, npass):
    """The count of each digit value in each pass over the keys of
    v[:n]."""
    mask = (1 << _DIGIT) - 1
    counts = np.zeros((npass, 1 << _DIGIT), np.int64)
    for i in range(n):
        k = _sort_key(v[i])
        for p in range(npass):
            counts[p, (k >> (p * _DIGIT)) & mask] += 1
    return counts


def _radix_pass(src, dst, n, start, shift):
    """Moves src[:n] into dst by the digit of their keys at shift, keeping
    the order of equal digits; start holds where each digit's run begins
    and is advanced."""
    mask = (1 << _DIGIT) - 1
    for i in range(n):
        x = src[i]
        d = (_sort_key(x) >> shift) & mask
        dst[start[d]] = x
        start[d] += 1


def _radix(v, buf, n):
    """Sorts v[:n] (no NaNs) by an LSD radix sort of the keys _sort_key
    gives, _DIGIT bits a pass, buf[:n] the other buffer; stable.  A pass
    whose digit is the same for every key is skipped."""
    npass = (v.itemsize * 8 + _DIGIT - 1) // _DIGIT
    counts = _radix_counts(v, n, npass)
    src = v
    dst = buf
    moved = False
    first = _sort_key(v[0])
    for p in range(npass):
        c = counts[p]
        shift = p * _DIGIT
        if c[(first >> shift) & ((1 << _DIGIT) - 1)] == n:
            continue
        total = 0
        for d in range(1 << _DIGIT):
            t = c[d]
            c[d] = total
            total += t
        _radix_pass(src, dst, n, c, shift)
        spent = src
        src = dst
        dst = spent
        moved = not moved
    if moved:
        v[:n] = buf[:n]


def _radix_run(v, lo, hi):
    """Sorts v[lo:hi] by the radix sort, NaNs last in their order."""
    run = v[lo:hi]
    n = hi - lo
    buf = np.empty_like(run)
    m = n
    if not _holds_integers(v):
        for i in range(n):
            if run[i] != run[i]:
                m -= 1
    if m < n:
        _nans_last(run, buf, n)
    if m > 0:
        _radix(run, buf, m)


def _nans_last(run, buf, n):
    """Moves the NaNs of run[:n] to its end, everything keeping its order
    (buf: scratch)."""
    m = 0
    nan = 0
    for i in range(n):
        x = run[i]
        if x == x:
            buf[m] = x
            m += 1
        else:
            run[nan] = x
            nan += 1
    for j in range(nan - 1, -1, -1):
        run[m + j] = run[j]
    run[:m] = buf[:m]


def _sort_kind(kind):
    """0 for quicksort, 1 for heapsort, 2 for a stable sort (mergesort,
    stable), by the first letter of kind as NumPy reads it."""
    if kind is None:
        return 0
    c = kind[:1]
    if c == "q" or c == "Q":
        return 0
    if c == "h" or c == "H":
        return 1
    if c == "m" or c == "M" or c == "s" or c == "S":
        return 2
    raise ValueError(f"sort kind must be one of 'quick', 'heap', or "
                     f"'stable' (got '{kind}')")


def _sort_run(v, lo, hi, how):
    """Sorts v[lo:hi] the way _sort_kind chose.  The unstable kinds are
    NumPy's own vectorized quicksort where the dtype has it (NumPy sorts
    every unstable kind with it, heapsort included); long runs of numbers
    sort stably by the radix sort."""
    if how != 2 and _numpy_sort(v[lo:hi]):
        return
    if how == 1:
        _heapsort(v, lo, hi)
    elif _holds_complex(v) or _holds_strings(v):   # no radix keys for them
        _compare_sort(v, lo, hi, how)
    elif hi - lo >= _RADIX_MIN and v.itemsize <= 8:
        _radix_run(v, lo, hi)
    else:
        _compare_sort(v, lo, hi, how)


def _compare_sort(v, lo, hi, how):
    """Sorts v[lo:hi] by comparisons: stably by argsort's merge sort, or
    by the introspective quicksort."""
    if how == 2:
        run = v[lo:hi]
        run[:] = run[argsort(run, "stable")]
    else:
        _quicksort(v, lo, hi)


def _sort_rows(flat, n, how):
    """Sorts each run of n elements of the 1-d array flat."""
    if n > 0:
        for r in range(len(flat) // n):
            _sort_run(flat, r * n, (r + 1) * n, how)


def sort(a, kind=None):
    """A sorted copy of a, along its last axis."""
    how = _sort_kind(kind)
    if a.ndim == 0:
        raise np.exceptions.AxisError(
            "axis -1 is out of bounds for array of dimension 0")
    out = a.copy()              # C (np.copy keeps F): its ravel is a view
    if a.ndim == 1:
        _sort_run(out, 0, len(out), how)
    else:
        _sort_rows(out.ravel(), a.shape[a.ndim - 1], how)
    return out


def array_sort(a, kind=None):
    """a.sort(): a sorted in place along its last axis."""
    how = _sort_kind(kind)
    if a.ndim == 0:
        raise np.exceptions.AxisError(
            "axis -1 is out of bounds for array of dimension 0")
    if a.ndim == 1:
        _sort_run(a, 0, len(a), how)
    else:
        a[:] = sort(a, kind)


def _merge_indices(values, idx, tmp, lo, mid, hi):
    """Merges the sorted runs idx[lo:mid] and idx[mid:hi] (indices into
    values) into tmp[lo:hi], the left run first among equals."""
    i = lo
    j = mid
    for k in range(lo, hi):
        if i < mid and (j >= hi or not _lt(values[idx[j]], values[idx[i]])):
            tmp[k] = idx[i]
            i += 1
        else:
            tmp[k] = idx[j]
            j += 1


def _argsort_run(values, idx, tmp, lo, hi):
    """Stable merge sort of idx[lo:hi] by values: runs of 16 by insertion,
    then merges of doubling width."""
    for s in range(lo, hi, 16):
        e = min(s + 16, hi)
        for i in range(s + 1, e):
            x = idx[i]
            j = i - 1
            while j >= s and _lt(values[x], values[idx[j]]):
                idx[j + 1] = idx[j]
                j -= 1
            idx[j + 1] = x
    width = 16
    while width < hi - lo:
        for s in range(lo, hi, 2 * width):
            mid = min(s + width, hi)
            e = min(s + 2 * width, hi)
            _merge_indices(values, idx, tmp, s, mid, e)
        for k in range(lo, hi):
            idx[k] = tmp[k]
        width *= 2


def argsort(a, kind=None):
    """The indices that sort a along its last axis: NumPy's own argsort
    loops where the dtype has them (so ties come out in NumPy's order for
    each kind), else a stable merge sort."""
    stable = _sort_kind(kind) == 2
    if a.ndim == 0:
        return np.zeros(1, np.int64)        # NumPy's, for the one element
    values = a.ravel()
    n = a.shape[a.ndim - 1]
    out = np.empty(a.shape, np.int64)
    flat = out.ravel()
    tmp = np.empty(0, np.int64)
    for r in range(len(flat) // n if n > 0 else 0):
        base = r * n
        for k in range(n):
            flat[base + k] = k
        if not _numpy_argsort(values[base:base + n], flat[base:base + n],
                              stable):
            if len(tmp) == 0:
                tmp = np.empty(len(flat), np.int64)
            _argsort_run(values[base:base + n], flat, tmp, base, base + n)
    return out


def _search(a, v, right):
    """The index where v would go in the sorted 1-d array a: before the
    first element not less than v (left), or after the last not greater
    (right); NaN sorts last."""
    lo = 0
    hi = len(a)
    while lo < hi:
        mid = (lo + hi) >> 1
        if _lt(v, a[mid]) if right else not _lt(a[mid], v):
            hi = mid
        else:
            lo = mid + 1
    return lo


def searchsorted(a, v, side="left"):
    """Where v (a number, or each element of an array) would go in the
    sorted 1-d array a: before the first element not less than it
    (side='left') or after the last not greater (side='right')."""
    if side != "left" and side != "right":
        raise ValueError("search side must be 'left' or 'right'")
    right = side == "right"
    if a.ndim == 0:
        raise ValueError("object of too small depth for desired array")
    if v.ndim == 0:
        return _search(a, v, right)
    out = np.empty(v.shape, np.int64)
    flat = out.ravel()
    i = 0
    for x in v.flat:
        flat[i] = _search(a, x, right)
        i += 1
    return out


FUNCTIONS = {"sort": sort, "argsort": argsort, "searchsorted": searchsorted}

METHODS = ("argsort", "searchsorted")

# array methods that are not the NumPy function of their name
METHOD_IMPLS = {"sort": array_sort}

HELPERS = (_radix_counts, _radix_pass, _radix, _radix_run, _nans_last,
           _sort_kind, _sort_run, _compare_sort, _lt, _complex_lt, _insertion, _sift, _heapsort, _partition, _quicksort,
           _sort_rows, array_sort, _merge_indices, _argsort_run, _search)
