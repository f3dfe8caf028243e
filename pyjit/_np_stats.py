"""NumPy's statistics for nopython code, over all the elements of an
array or along an axis: np.median, np.percentile, np.quantile (of a
number or a 1-d array, list or tuple of them, NumPy's default 'linear'
method),
np.average (with weights= of a's shape), np.nanmedian, np.nanpercentile, np.nanquantile; and the
counting and lookup functions np.histogram (bins as a count or as the
edges, range=), np.bincount (weights=, minlength=), np.unique (sorted,
one NaN), np.digitize (right=), np.interp (of a number or an array; real or
complex values),
np.cross (of 3-vectors, or of rows of them) and np.trapezoid (np.trapz
of the NumPy versions that have it; x= or dx=, along axis=).

A NaN among the elements makes a median or a percentile NaN; the
nan-forms leave NaNs out, and are NaN when nothing is left.  An empty array
has a nan median, and a percentile of it is NumPy's IndexError.
"""
import math

import numpy as np

from . import _np_partition, _np_reduce
from . import types as _types
from ._core import (_axis_index, _bin_index, _drop_axis, _holds_complex,
                    _holds_integers, _mean_zero)
from .extending import overload

# elements np.histogram finds the slots of at a time, and the rows it
# counts them in
_HIST_BLOCK = 2048
_TALLIES = 4


def _sorted_values(a, skip_nan):
    """a's elements sorted (NaNs at the end, or left out with skip_nan)."""
    v = np.sort(a.ravel())
    if skip_nan:
        n = len(v)
        while n > 0 and v[n - 1] != v[n - 1]:
            n -= 1
        return v[:n]
    return v


def _lerp(a, b, t):
    """NumPy's interpolation between a and b (of one type), exact at both
    ends.  The weight is taken in a's type, as NumPy multiplies by the
    Python float it makes of it: a float32 lane interpolates in float32."""
    d = b - a
    if t >= 0.5:
        return b - d * _np_reduce._like(1 - t, a)
    return a + d * _np_reduce._like(t, a)


def _quantile_sorted(v, q, zero):
    """The q-th quantile (0 <= q <= 1) of the sorted v, NaN if v ends with
    NaN, of zero's type."""
    n = len(v)
    if n == 0:
        raise IndexError("index -1 is out of bounds for axis 0 with size 0")
    if v[n - 1] != v[n - 1]:
        return _np_reduce._like(np.nan, zero)
    at = q * (n - 1)
    lo = int(math.floor(at))
    hi = min(lo + 1, n - 1)
    return _np_reduce._like(_lerp(v[lo] + zero, v[hi] + zero, at - lo), zero)


def _quantile_zero(a, q):
    """0 in NumPy's type of the quantiles q of a.  Integer quantiles (0 and
    1, which pick elements) keep a's dtype; float ones give a's mean type,
    promoted with q's dtype for an array (a percentile is a float once
    divided by 100)."""
    if _holds_integers(q):
        return np.zeros(1, a.dtype)[0]
    zero = _mean_zero(a)
    if q.ndim == 0:
        return zero
    return zero + np.zeros(1, q.dtype)[0]


def _quantiles(a, q, skip_nan, zero):
    """The quantiles q (an array of them in [0, 1]) of a, of zero's type:
    a sort serves them all."""
    v = _sorted_values(a, skip_nan)
    out = np.full(q.shape, zero)
    flat = out.ravel()
    i = 0
    for x in q.flat:
        flat[i] = (_np_reduce._like(np.nan, zero) if skip_nan and len(v) == 0
                   else _quantile_sorted(v, x, zero))
        i += 1
    return out


def _values(a, skip_nan):
    """a's elements in a new 1-d array, NaNs left out with skip_nan, and
    whether one was NaN."""
    v = np.empty(a.size, a.dtype)
    n = 0
    seen_nan = False
    for x in a.flat:
        if x != x:
            seen_nan = True
            if skip_nan:
                continue
        v[n] = x
        n += 1
    return v[:n], seen_nan


def _two_at(v, k):
    """The elements a sort of v would put at k and at k + 1 (at k again
    past the end), by a quickselect of v in place (_np_partition) and the
    least of what it leaves after k, in np.sort's order (complex numbers
    too): linear time, where a sort is not."""
    n = len(v)
    _np_partition._select(v, np.empty(1, np.int64), False, 0, n, k)
    if k + 1 >= n:
        return v[k], v[k]
    nxt = v[k + 1]
    for i in range(k + 2, n):
        if _np_partition._lt(v[i], nxt):
            nxt = v[i]
    return v[k], nxt


def _quantile_selected(a, q, skip_nan, zero):
    """The quantile q of a's elements (NaNs left out if skip_nan; NaN if
    one is not), as _quantile_sorted of them sorted gives it."""
    v, seen_nan = _values(a, skip_nan)
    n = len(v)
    if n == 0 and not skip_nan:
        raise IndexError("index -1 is out of bounds for axis 0 with size 0")
    if n == 0 or seen_nan and not skip_nan:
        return _np_reduce._like(np.nan, zero)
    at = q * (n - 1)
    lo = int(math.floor(at))
    x, y = _two_at(v, lo)
    return _np_reduce._like(_lerp(x + zero, y + zero, at - lo), zero)


def _quantile_of(lane, arg):
    """The quantile q of a lane, NaNs left out if skip_nan, of zero's type
    (arg: q, skip_nan, zero)."""
    q, skip_nan, zero = arg
    return _quantile_selected(lane, q, skip_nan, zero)


def _quantiles_along(a, q, skip_nan, axis):
    """The quantiles q of each lane of a along axis: NumPy's array of q's
    dimensions then a's others (a number q: a's others alone)."""
    zero = _quantile_zero(a, q)
    if axis is None and q.ndim == 0:
        return _quantile_of(a, (q[()], skip_nan, zero))
    if axis is None:
        return _quantiles(a, q, skip_nan, zero)
    if q.ndim == 0:
        return _np_reduce._reduce(a, axis, _quantile_of,
                                  (q, skip_nan, zero), zero)
    rest = _drop_axis(a.shape, _axis_index(axis, a.ndim))
    out = np.full((q.size,) + rest, zero)
    i = 0
    for x in q.flat:
        out[i] = _np_reduce._reduce(a, axis, _quantile_of,
                                    (x, skip_nan, zero), zero)
        i += 1
    return out.reshape(q.shape + rest)


def _check_quantile(x, top):
    if not (0 <= x <= top):
        if top == 1:
            raise ValueError("Quantiles must be in the range [0, 1]")
        raise ValueError("Percentiles must be in the range [0, 100]")


def _check_quantiles(q, top):
    if q.ndim == 0:
        _check_quantile(q, top)
    else:
        for x in q.flat:
            _check_quantile(x, top)


def quantile(a, q, axis=None):
    q = np.asarray(q)
    _check_quantiles(q, 1)
    return _quantiles_along(a, q, False, axis)


def percentile(a, q, axis=None):
    q = np.asarray(q)
    _check_quantiles(q, 100)
    return _quantiles_along(a, np.asarray(q / 100), False, axis)


def nanquantile(a, q, axis=None):
    q = np.asarray(q)
    _check_quantiles(q, 1)
    return _quantiles_along(a, q, True, axis)


def nanpercentile(a, q, axis=None):
    q = np.asarray(q)
    _check_quantiles(q, 100)
    return _quantiles_along(a, np.asarray(q / 100), True, axis)


def _median_of(a, skip_nan):
    """The middle element, or the mean of the middle two, of a's sorted
    elements; nan when there are none."""
    zero = _mean_zero(a)
    v, seen_nan = _values(a, skip_nan)
    n = len(v)
    if n == 0 or seen_nan and not skip_nan:
        return _np_reduce._like(np.nan, zero)
    lo, hi = _two_at(v, (n - 1) // 2)
    if n % 2 == 1:
        return _np_reduce._like(lo + zero, zero)
    return _np_reduce._like((lo + zero + hi) / 2, zero)


def median(a, axis=None):
    return _np_reduce._reduce(a, axis, _median_of, False, _mean_zero(a))


def nanmedian(a, axis=None):
    return _np_reduce._reduce(a, axis, _median_of, True, _mean_zero(a))


def average(a, weights=None):
    if weights is None:
        return np.mean(a)
    if a.shape != weights.shape:
        raise TypeError("Axis must be specified when shapes of a and "
                        "weights differ.")
    zero = _mean_zero(a) + _mean_zero(weights)
    total = zero
    scale = zero
    for x, w in zip(a.flat, weights.flat):
        total += x * w
        scale += w
    if scale == 0:
        raise ZeroDivisionError("Weights sum to zero, can't be normalized")
    return _np_reduce._like(total / scale, zero)


# ---------------------------------------------------------------------------
# Counting

def _bin_of(edges, x):
    """The bin of x among the increasing edges (the last one closed), or
    -1 outside them."""
    n = len(edges)
    if not (edges[0] <= x <= edges[n - 1]):
        return -1
    if x == edges[n - 1]:
        return n - 2
    return _bin_of_left(edges, x)


def _count_exact(counts, a, edges):
    """Adds to counts NumPy's bin of each element of a among the equal bins
    of edges, as NumPy computes it: (x - first) / width * bins, then moved
    by one against the edges; elements outside them are not counted."""
    bins = len(counts)
    first = edges[0]
    last = edges[bins]
    width = float(last) - float(first)
    for x in a.flat:
        if first <= x <= last:
            i = int((x - first) / width * bins)
            if i == bins:
                i -= 1
            if x < edges[i]:
                i -= 1
            elif x >= edges[i + 1] and i != bins - 1:
                i += 1
            counts[i] += 1


def _count_near(counts, v, edges, margin):
    """_count_exact's counts of the elements of the 1-d v, without a
    comparison an element.  Slot 0 takes what is below the first edge (and
    NaN), slots 1 to bins the bins, the last closed by a bound one float
    above it, and slots bins + 1 and bins + 2 what is above.  A block of
    elements gets its slots in a loop LLVM vectorizes (_slots_of), found
    again against the bounds only when one may be off by one (by a second
    vectorized loop when the bounds can be computed, else one element at a
    time); counting them is then increments."""
    bins = len(counts)
    bounds = np.empty(bins + 3)
    bounds[0] = -np.inf
    bounds[1:bins + 2] = edges
    bounds[bins + 1] = math.nextafter(bounds[bins + 1], np.inf)
    bounds[bins + 2] = np.inf
    first = bounds[1]
    norm = bins / (float(edges[bins]) - first)
    shift = 1.0 - first * norm
    tally = np.zeros(_TALLIES * (bins + 3), np.int64)
    block = np.empty(_HIST_BLOCK, np.uintp)
    edge = np.empty(_HIST_BLOCK, np.bool_)
    step = (float(edges[bins]) - first) / bins
    computed = _edges_computed(edges, first, step)
    on_bounds = False
    for start in range(0, len(v), _HIST_BLOCK):
        chunk = v[start:start + _HIST_BLOCK]
        if computed and on_bounds:
            _slots_computed(block, chunk, norm, shift, bins, first, step,
                            bounds[bins + 1])
        else:
            near = _slots_of(block, edge, chunk, norm, shift, margin, bins)
            if near > 0 and computed:
                # more elements on the bounds than the first and the last
                # (integers, a constant): more will be, and computing the
                # bounds is then the faster loop
                on_bounds = near > 2
                _slots_computed(block, chunk, norm, shift, bins, first,
                                step, bounds[bins + 1])
            elif near > 0:
                _move_to_bounds(block, edge, chunk, bounds)
        _tally(tally, block, len(chunk), bins + 3)
    for k in range(_TALLIES):
        counts += tally[k * (bins + 3) + 1:k * (bins + 3) + bins + 1]


def _edges_computed(edges, first, step):
    """Whether each inner edge is k * step + first, computed in float64,
    as _linspace_into computes float64 edges: then _slots_computed can
    compute an element's bound rather than load it."""
    for k in range(1, len(edges) - 1):
        if float(k) * step + first != float(edges[k]):
            return False
    return True


def _slots_computed(block, chunk, norm, shift, bins, first, step, closing):
    """Puts in block the slot of each element v of chunk: the bound r
    nearest v * norm + shift is the bound nearest v too (the rounding stays
    below half a slot), so v is in slot r unless below bound r.  The bounds
    are computed, so the loop vectorizes with no load of them and no
    element treated apart."""
    for j in range(len(chunk)):
        v = float(chunk[j])
        r = _bin_index(v * norm + shift + 0.5, bins + 2)    # NaN: 0
        bound = float(r - 1) * step + first
        bound = bound if r > 0 else -np.inf
        bound = bound if r <= bins else closing
        bound = bound if r <= bins + 1 else np.inf
        block[j] = np.uintp(r) - np.uintp(v < bound)


def _slots_of(block, edge, chunk, norm, shift, margin, bins):
    """Puts in block the slot where v * norm + shift falls for each element
    v of chunk, sets edge where that fell within margin (the rounding of
    the edges and of the computation, in slots) of a whole number, or was
    NaN: the others are in their bound's slot.  Returns how many it set.
    No element costs a branch, or a float moved to an integer register but
    its slot."""
    # clamped half a slot past the outer slots, far from their bounds
    low = 0.5
    high = bins + 1.5
    far = 1.0 - margin
    near = 0
    for j in range(len(chunk)):
        f = float(chunk[j]) * norm + shift
        f = f if f > low else low             # NaN: slot 0
        f = f if f < high else high
        i = _bin_index(f, bins + 2)
        part = f - i
        on_edge = not (margin < part < far)
        near += on_edge
        edge[j] = on_edge
        block[j] = i
    return near


def _move_to_bounds(block, edge, chunk, bounds):
    """Moves the slot in block of each element of chunk set in edge by one
    to where bounds hold the element."""
    one = np.uintp(1)
    for j in range(len(chunk)):
        if edge[j]:
            v = float(chunk[j])
            i = block[j]
            # at most one holds: the bounds increase (NaN: neither)
            block[j] = (i - np.uintp(v < bounds[i])
                        + np.uintp(v >= bounds[i + one]))


def _tally(tally, block, m, width):
    """Counts the first m slots of block, in turn in each of the _TALLIES
    rows of tally: consecutive elements of one slot (a constant) then add
    to different memory, not each to the sum the one before just stored."""
    j = 0
    second = np.uintp(width)
    third = np.uintp(2 * width)
    fourth = np.uintp(3 * width)
    while j + 3 < m:
        tally[block[j]] += 1
        tally[block[j + 1] + second] += 1
        tally[block[j + 2] + third] += 1
        tally[block[j + 3] + fourth] += 1
        j += 4
    while j < m:
        tally[block[j]] += 1
        j += 1


def _count_uniform(counts, a, edges):
    """Adds to counts NumPy's bin of each element of a among the equal
    bins of edges.  NumPy's computed bin is within one of the bin the edges
    hold x in, and so ends there after its move, while the rounding of the
    edges (in their own type) and of the bin computation stays far below a
    bin's width: then _count_near finds the same bins faster."""
    bins = len(counts)
    first = float(edges[0])
    last = float(edges[bins])
    width = last - first
    eps = float(np.finfo(edges.dtype).eps)
    error = 8.0 * eps * ((max(abs(first), abs(last)) + width) / width + 1.0)
    # False for NaN (an infinite width) and for bins too narrow to scale by
    if error * bins < 0.5 and math.isfinite(bins / width):
        _count_near(counts, a, edges, error * bins)
    else:
        _count_exact(counts, a, edges)


def _linspace_into(edges, first, last):
    """NumPy's linspace(first, last, len(edges)) in edges's type, as
    histogram makes its edges: i * step + start, then the end point."""
    bins = len(edges) - 1
    edges[0] = first
    edges[bins] = last
    start = edges[0]
    y = np.arange(bins + 1).astype(edges.dtype)
    step = (edges[bins] - start) / y[bins]      # all in that type
    edges[:] = y * step + start
    edges[bins] = last


def _histogram_edges(a, bins, range):
    if bins < 1:
        raise ValueError("`bins` must be positive, when an integer")
    if range is None:
        if a.size == 0:
            first, last = 0.0, 1.0
        else:
            first = float(np.min(a))
            last = float(np.max(a))
        if not (math.isfinite(first) and math.isfinite(last)):
            raise ValueError("autodetected range of [" + str(first) + ", "
                             + str(last) + "] is not finite")
    else:
        first = float(range[0])
        last = float(range[1])
        if first > last:
            raise ValueError("max must be larger than min in range "
                             "parameter.")
        if not (math.isfinite(first) and math.isfinite(last)):
            raise ValueError("supplied range of [" + str(first) + ", "
                             + str(last) + "] is not finite")
    if first == last:
        first -= 0.5
        last += 0.5
    # the edges are of a's float type; NumPy's linspace computes them in
    # the type of first and last: a's from a's own bounds, float64 from
    # range= (Python numbers) and for an empty a
    edges = np.full(bins + 1, _mean_zero(a))
    if range is None and a.size > 0:
        _linspace_into(edges, first, last)
    else:
        wide = np.empty(bins + 1)
        _linspace_into(wide, first, last)
        edges[:] = wide
    for i in np.arange(bins):
        if edges[i] >= edges[i + 1]:        # a range too wide for its floats
            raise ValueError(f"Too many bins for data range. Cannot create "
                             f"{bins} finite-sized bins.")
    return edges


def _elements(a):
    """a's elements in a 1-d array: a itself, or a.ravel() (a copy of an
    array that is not C-contiguous, made once for all the passes)."""
    if a.ndim == 1:
        return a
    return a.ravel()


def histogram(a, bins=10, range=None):
    if bins.ndim == 0:
        v = _elements(a)
        edges = _histogram_edges(v, bins, range)
        counts = np.zeros(bins, np.int64)
        _count_uniform(counts, v, edges)
        return counts, edges
    edges = bins.astype(np.float64)
    for i in np.arange(1, len(edges)):
        if edges[i] < edges[i - 1]:
            raise ValueError("`bins` must increase monotonically, when an "
                             "array")
    counts = np.zeros(max(len(edges) - 1, 0), np.int64)
    if len(edges) > 1:
        for x in a.flat:
            i = _bin_of(edges, x)
            if i >= 0:
                counts[i] += 1
    return counts, edges


def bincount(x, weights=None, minlength=0):
    if minlength < 0:
        raise ValueError("'minlength' must not be negative")
    if x.ndim == 0:
        raise ValueError("object of too small depth for desired array")
    n = minlength
    for v in x.flat:
        if v < 0:
            raise ValueError("'list' argument must have no negative "
                             "elements")
        n = max(n, v + 1)
    if weights is None:
        counts = np.zeros(n, np.int64)
        for v in x.flat:
            counts[v] += 1
        return counts
    if len(weights) != len(x):
        raise ValueError("The weights and list don't have the same length.")
    sums = np.zeros(n)
    for v, w in zip(x.flat, weights.flat):
        sums[v] += w
    return sums


def unique(ar):
    """The sorted distinct elements of ar.  Of elements that are equal but
    differ (0.0 and -0.0, 1+0j and 1-0j, NaNs, which NumPy counts as one
    value) the first in ar, which NumPy's hash table keeps: a stable sort
    puts it first, except among complex NaNs, which sort by their parts."""
    if _holds_integers(ar):
        v = np.sort(ar.ravel())
    else:
        v = np.sort(ar.ravel(), kind="stable")
    out = np.empty(len(v), v.dtype)
    n = 0
    for i in np.arange(len(v)):
        x = v[i]
        if n == 0 or not (x == out[n - 1] or (x != x and
                                               out[n - 1] != out[n - 1])):
            out[n] = x
            n += 1
    if n > 0 and out[n - 1] != out[n - 1]:
        out[n - 1] = _first_nan(ar)
    return out[:n].copy()


def _first_nan(a):
    """The first NaN of a, which holds one."""
    flat = a.ravel()
    for i in range(len(flat)):
        if flat[i] != flat[i]:
            return flat[i]
    return flat[0]


def _increasing(bins):
    for i in np.arange(1, len(bins)):
        if not bins[i] >= bins[i - 1]:
            return False
    return True


def _decreasing(bins):
    for i in np.arange(1, len(bins)):
        if not bins[i] <= bins[i - 1]:
            return False
    return True


def digitize(x, bins, right=False):
    if _increasing(bins):
        if right:
            return np.searchsorted(bins, x, "left")
        return np.searchsorted(bins, x, "right")
    if not _decreasing(bins):
        raise ValueError("bins must be monotonically increasing or "
                         "decreasing")
    if right:
        return len(bins) - np.searchsorted(bins[::-1], x, "left")
    return len(bins) - np.searchsorted(bins[::-1], x, "right")


# ---------------------------------------------------------------------------
# Interpolation, products, integrals

def _interp_one(x, xp, fp):
    """NumPy's linear interpolation of x in the table xp -> fp."""
    n = len(xp)
    if n == 1:                  # NumPy's one-point table, for NaN too
        return fp[0] + 0.0
    if x != x:
        return x + 0.0
    j = _bin_of_left(xp, x)
    if j == -1:
        return fp[0] + 0.0
    if j == n:
        return fp[n - 1] + 0.0
    if j == n - 1 or xp[j] == x:
        return fp[j] + 0.0
    slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j])
    y = slope * (x - xp[j]) + fp[j]
    if y != y:
        y = slope * (x - xp[j + 1]) + fp[j + 1]
        if y != y and fp[j] == fp[j + 1]:
            y = fp[j] + 0.0
    return y


def _bin_of_left(xp, x):
    """-1 below xp[0], len(xp) above xp[-1], else the last j with
    xp[j] <= x."""
    n = len(xp)
    if x < xp[0]:
        return -1
    if x > xp[n - 1]:
        return n
    lo = 0
    hi = n
    while lo < hi:
        mid = (lo + hi) // 2
        if x >= xp[mid]:
            lo = mid + 1
        else:
            hi = mid
    return lo - 1


def interp(x, xp, fp):
    # x, xp and fp may be lists or tuples too, as in NumPy and Numba
    return _interp_arrays(x, np.asarray(x), np.asarray(xp), np.asarray(fp))


def _interp_arrays(x, xs, xp, fp):
    if len(xp) == 0:
        raise ValueError("array of sample points is empty")
    if len(fp) != len(xp):
        raise ValueError("fp and xp are not of the same length.")
    if _holds_complex(fp):
        return _interp_complex(x, xs, xp, fp.astype(np.complex128))
    if xs.ndim == 0:
        return _interp_one(x, xp, fp)
    out = np.empty(xs.shape)
    flat = out.ravel()
    i = 0
    for v in xs.flat:
        flat[i] = _interp_one(v, xp, fp)
        i += 1
    return out


def _interp_complex_one(x, xp, re, im):
    """NumPy's interpolation of x in the table xp -> re + im*j: of each
    part on its own, but a NaN x gives NaN + 0j."""
    if len(xp) > 1 and x != x:
        return complex(x, 0.0)
    return complex(_interp_one(x, xp, re), _interp_one(x, xp, im))


def _interp_complex(x, xs, xp, fp):
    """np.interp of complex128 values fp."""
    re = fp.real
    im = fp.imag
    if xs.ndim == 0:
        return _interp_complex_one(x, xp, re, im)
    out = np.empty(xs.shape, np.complex128)
    flat = out.ravel()
    i = 0
    for v in xs.flat:
        flat[i] = _interp_complex_one(v, xp, re, im)
        i += 1
    return out


def _cross3(out, a, b):
    out[0] = a[1] * b[2] - a[2] * b[1]
    out[1] = a[2] * b[0] - a[0] * b[2]
    out[2] = a[0] * b[1] - a[1] * b[0]


def cross(a, b):
    return _cross_arrays(np.asarray(a), np.asarray(b))


def _cross_arrays(a, b):
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError("At least one array has zero dimension")
    if a.shape != b.shape or a.shape[a.ndim - 1] != 3:
        raise ValueError("incompatible dimensions for cross product "
                         "(np.cross takes arrays of 3-vectors of one shape)")
    out = np.empty(a.shape, (a[:1] * b[:1]).dtype)
    if a.ndim == 1:
        _cross3(out, a, b)
    else:
        for i in np.arange(len(a)):
            _cross3(out[i], a[i], b[i])
    return out


def trapezoid(y, x=None, dx=1.0, axis=-1):
    """The integral of y along axis by the trapezoidal rule, at the points
    x (1-d, or of y's shape) or dx apart: a number of a 1-d y, else an
    array of y's other dimensions."""
    if y.ndim == 0:             # NumPy's class: y has no last axis
        raise IndexError("np.trapezoid: a 0-d array has no axis to "
                         "integrate along")
    if axis < -y.ndim or axis >= y.ndim:
        # NumPy's error: it indexes a list of y.ndim slices by axis
        raise IndexError("list assignment index out of range")
    _check_widths(y, x, axis)
    if y.ndim == 1:
        return _trapezoid_1d(y, x, dx)
    # the axis last, so that each row of the leading indices is integrated
    return _trapezoid_rows(np.moveaxis(y, axis, -1),
                           _axis_last(x, axis, y.shape), dx,
                           _trapezoid_zero(y, x))


def _trapezoid_1d(y, x, dx):
    total = 0.0
    if x is None:
        for i in np.arange(1, len(y)):
            total += dx * (y[i] + y[i - 1]) / 2.0
        return total
    # NumPy broadcasts x's differences with y's pairs: either may be one
    # long (one width for every pair, or one pair for every width)
    widths = max(len(x) - 1, 0)
    pairs = max(len(y) - 1, 0)
    n = pairs if widths == 1 else widths
    for i in range(n):
        w = i if widths > 1 else 0
        p = i if pairs > 1 else 0
        total += (x[w + 1] - x[w]) * (y[p + 1] + y[p]) / 2.0
    return total


def _check_widths(y, x, axis):
    """NumPy's error for points x (1-d) whose differences do not
    broadcast with y's pairs along axis."""
    if x is None or x.ndim > 1:
        return
    ax = _axis_index(axis, y.ndim)
    widths = max(len(x) - 1, 0)
    pairs = max(y.shape[ax] - 1, 0)
    if widths == pairs or widths == 1 or pairs == 1:
        return
    left = ""
    right = ""
    for k in range(y.ndim):
        sep = "," if k < y.ndim - 1 or y.ndim == 1 else ""
        left += f"{widths if k == ax else 1}{sep}"
        right += f"{pairs if k == ax else y.shape[k]}{sep}"
    raise ValueError(f"operands could not be broadcast together with "
                     f"shapes ({left}) ({right}) ")


def _trapezoid_rows(y, x, dx, zero):
    """np.trapezoid along the last axis of y (2-d or more) into an array
    of zero's dtype."""
    out = np.full(y.shape[:-1], zero)
    for idx in np.ndindex(out.shape):
        out[idx] = _trapezoid_1d(y[idx], _row_of(x, idx), dx)
    return out


def _axis_last(x, axis, shape):
    pass


@overload(_axis_last)
def _axis_last_typer(x, axis, shape):
    """x of more than one dimension broadcast to y's shape, axis moved
    last; a 1-d x (the points along the axis) or None as it is."""
    if isinstance(x, _types.Array) and x.ndim > 1:
        return lambda x, axis, shape: np.moveaxis(
            np.broadcast_to(x, shape), axis, -1)
    if isinstance(x, (_types.Array, _types.NoneType)):
        return lambda x, axis, shape: x
    return None


def _row_of(x, idx):
    pass


@overload(_row_of)
def _row_of_typer(x, idx):
    if isinstance(x, _types.Array) and x.ndim > 1:
        return lambda x, idx: x[idx]
    return lambda x, idx: x


def _trapezoid_zero(y, x):
    pass


@overload(_trapezoid_zero)
def _trapezoid_zero_typer(y, x):
    """A zero of the dtype of NumPy's np.trapezoid(y, x): (y + y) / 2.0
    times x's differences (or dx, a float, which promotes weakly)."""
    dt = np.result_type(np.dtype(str(y.dtype)), 0.0)
    if isinstance(x, _types.Array):
        dt = np.result_type(dt, np.dtype(str(x.dtype)))
    zero = dt.type(0)
    return lambda y, x: zero


FUNCTIONS = {
    "median": median, "nanmedian": nanmedian, "quantile": quantile,
    "percentile": percentile, "nanquantile": nanquantile,
    "nanpercentile": nanpercentile, "average": average,
    "histogram": histogram, "bincount": bincount, "unique": unique,
    "digitize": digitize, "interp": interp, "cross": cross,
    "trapezoid": trapezoid, "trapz": trapezoid,     # trapz: before NumPy 2
}

METHODS = ()

HELPERS = (_first_nan, _sorted_values, _values, _two_at, _quantile_selected,
           _lerp, _quantile_sorted,
           _quantile_zero, _quantiles, _quantile_of, _quantiles_along,
           _check_quantile, _check_quantiles, _median_of, _bin_of,
           _count_uniform, _count_exact, _count_near, _edges_computed,
           _slots_computed, _slots_of,
           _move_to_bounds, _tally, _linspace_into,
           _histogram_edges, _elements, _increasing, _decreasing, _interp_one,
           _interp_arrays, _interp_complex_one, _interp_complex,
           _bin_of_left, _cross3, _cross_arrays, _trapezoid_1d,
           _check_widths, _trapezoid_rows)
