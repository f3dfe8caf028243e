"""NumPy's reductions for nopython code, of all the elements or along one
axis (an int, negative from the end): np.prod, np.min/amin, np.max/amax,
np.argmin, np.argmax, np.var and np.std (with ddof=), np.any, np.all,
np.ptp, np.count_nonzero, the running np.cumsum and np.cumprod, the
array methods of these names, np.diff (with n=, along the last axis), and
the nan-functions that skip NaNs: np.nansum, np.nanprod, np.nanmin,
np.nanmax, np.nanargmin, np.nanargmax, np.nanmean, np.nanvar, np.nanstd,
np.nancumsum, np.nancumprod.

A reduction along an axis applies the reduction of all the elements to
each lane of the array along that axis (the elements that differ only in
that index), so both give NumPy's results and errors alike: an empty lane
has no maximum (ValueError), its variance is nan.  The variance is the
mean of the squared distances to the mean, divided by n - ddof (inf or nan
when that is not positive, as NumPy gives); of a float32 array it is a
float64.
"""
import numpy as np

from . import types as _types
from ._core import (_axis_index, _drop_axis, _holds_complex, _holds_integers,
                    _mean_zero, _sum_one, _sum_zero)
from .extending import overload


def _flat_c(a):
    """a's elements in C order as a 1-d array: a itself when it has one
    dimension (a lane along an axis, strided, is not copied), else
    a.ravel(), a view of a C-contiguous array."""


@overload(_flat_c)
def _flat_c_typer(a):
    if isinstance(a, _types.Array) and a.ndim == 1:
        return lambda a: a
    return lambda a: a.ravel()


def _flat_any(a):
    """a's elements in some order as a 1-d array, for a reduction whose
    result the order does not change: _flat_c's, but an F array's in the
    order of its memory (its transpose is C, so no copy)."""


@overload(_flat_any)
def _flat_any_typer(a):
    if isinstance(a, _types.Array) and a.ndim > 1 and a.layout == "F":
        return lambda a: a.T.ravel()
    return lambda a: _flat_c(a)


def _as_lanes(a, k):
    """a as a C array of three dimensions: the product of the dimensions
    before k, dimension k, the product of those after it; b[i, :, j] is a
    lane along k (a view of a C-contiguous a, else of a copy).  Every lane
    of every array has one type, so each function of lanes compiles once
    for a dtype."""
    outer = 1
    inner = 1
    for d in range(a.ndim):
        if d < k:
            outer *= a.shape[d]
        elif d > k:
            inner *= a.shape[d]
    return a.ravel().reshape((outer, a.shape[k], inner))


def _reduce(a, axis, fn, arg, first):
    """fn(lane, arg) of each lane along axis, in an array of a's other
    dimensions and of first's type; without an axis or of a 1-d array,
    fn(a, arg) itself."""
    if axis is None:
        return fn(a, arg)
    k = _axis_index(axis, a.ndim)
    if a.ndim == 1:
        return fn(a, arg)
    b = _as_lanes(a, k)
    out = np.full((b.shape[0], b.shape[2]), first)
    if out.size == 0 and b.shape[1] == 0:
        # NumPy's error for an empty lane
        fn(np.empty((1, 0, 1), a.dtype)[0, :, 0], arg)
    for i in range(b.shape[0]):
        for j in range(b.shape[2]):
            out[i, j] = fn(b[i, :, j], arg)
    return out.reshape(_drop_axis(a.shape, k))


def _map_lanes(a, k, fn, arg, first):
    """An array of a's shape and first's type whose lanes along k fn(out
    lane, lane, arg) fills."""
    b = _as_lanes(a, k)
    out = np.full(b.shape, first)
    for i in range(b.shape[0]):
        for j in range(b.shape[2]):
            fn(out[i, :, j], b[i, :, j], arg)
    return out.reshape(a.shape)


def _zero(a):
    """A zero of a's dtype."""
    return np.zeros(1, a.dtype)[0]


def _like(v, like):
    """v converted to the type of like."""
    return type(like)(v)


# ---------------------------------------------------------------------------
# Sums, products, extremes

def _prod_of(a, skip_nan):
    p = _sum_one(a)
    for x in a.flat:
        if not (skip_nan and x != x):
            p *= x
    return p


def _sum_of(a, skip_nan):
    s = _sum_zero(a)
    for x in a.flat:
        if not (skip_nan and x != x):
            s += x
    return s


def _check_not_empty(a, largest, skip_nan):
    """NumPy's error for the extreme of no elements (its nan-functions
    reduce with np.fmax and np.fmin)."""
    if a.size != 0:
        return
    if skip_nan:
        if largest:
            raise ValueError("zero-size array to reduction operation fmax "
                             "which has no identity")
        raise ValueError("zero-size array to reduction operation fmin "
                         "which has no identity")
    if largest:
        raise ValueError("zero-size array to reduction operation maximum "
                         "which has no identity")
    raise ValueError("zero-size array to reduction operation minimum "
                     "which has no identity")


def _pick(x, m, largest):
    """x if it beats m (a comparison and a select, no branch)."""
    if largest:
        return x if x > m else m
    return x if x < m else m


def _pick4(x0, x1, x2, x3, largest):
    """The first largest (or smallest) of x0 x1 x2 x3, in a tree: picking
    the first is associative (NaN aside), so a lane's running extreme
    waits on one pick for four of its elements."""
    return _pick(_pick(x3, x2, largest), _pick(x1, x0, largest), largest)


def _beats(x, m, largest):
    """x is larger (smaller) than m; complex numbers in NumPy's order, by
    real part, then by imaginary part."""


def _real_beats(x, m, largest):
    return x > m if largest else x < m


def _complex_beats(x, m, largest):
    if largest:
        return x.real > m.real or (x.real == m.real and x.imag > m.imag)
    return x.real < m.real or (x.real == m.real and x.imag < m.imag)


@overload(_beats)
def _beats_typer(x, m, largest):
    if isinstance(x, _types.Complex):
        return _complex_beats
    return _real_beats


def _complex_extreme_of(a, largest):
    """The largest (or smallest) complex element; the first NaN (a NaN
    part) if there is one, as NumPy's."""
    _check_not_empty(a, largest, False)
    m = a.flat[0]
    for x in a.flat:
        if x != x:
            return x
        if _beats(x, m, largest):
            m = x
    return m


def _nan4(x0, x1, x2, x3):
    return (x0 != x0) | (x1 != x1) | (x2 != x2) | (x3 != x3)


def _extreme_of(a, largest):
    """The largest (or smallest) element, NaN if there is one, as NumPy.
    Four lanes, element i in lane i % 4, each with a running extreme (the
    first of its elements that wins) and a NaN flag, each a comparison and
    a select: a loop over a contiguous array vectorizes (an extreme of
    floats is no reduction LLVM may reorder, four independent ones are).
    A lane takes its elements four at a time, so which zero of -0.0 and
    0.0 wins does not depend on how many it takes at once."""
    if _holds_complex(a):
        return _complex_extreme_of(a, largest)
    _check_not_empty(a, largest, False)
    n = a.size
    v = _flat_any(a)
    if _holds_integers(a):
        # no NaN, and an extreme of integers is a reduction LLVM
        # vectorizes as it stands (the lanes below become gathers)
        m = v[0]
        for i in range(1, n):
            m = _pick(v[i], m, largest)
        return m
    m0 = m1 = m2 = m3 = v[0]
    n0 = n1 = n2 = n3 = False
    for i in range(0, n - 15, 16):
        n0 |= _nan4(v[i], v[i + 4], v[i + 8], v[i + 12])
        n1 |= _nan4(v[i + 1], v[i + 5], v[i + 9], v[i + 13])
        n2 |= _nan4(v[i + 2], v[i + 6], v[i + 10], v[i + 14])
        n3 |= _nan4(v[i + 3], v[i + 7], v[i + 11], v[i + 15])
        m0 = _pick(_pick4(v[i], v[i + 4], v[i + 8], v[i + 12], largest),
                   m0, largest)
        m1 = _pick(_pick4(v[i + 1], v[i + 5], v[i + 9], v[i + 13],
                          largest), m1, largest)
        m2 = _pick(_pick4(v[i + 2], v[i + 6], v[i + 10], v[i + 14],
                          largest), m2, largest)
        m3 = _pick(_pick4(v[i + 3], v[i + 7], v[i + 11], v[i + 15],
                          largest), m3, largest)
    for i in range(n - n % 16, n - 3, 4):
        n0 |= v[i] != v[i]
        n1 |= v[i + 1] != v[i + 1]
        n2 |= v[i + 2] != v[i + 2]
        n3 |= v[i + 3] != v[i + 3]
        m0 = _pick(v[i], m0, largest)
        m1 = _pick(v[i + 1], m1, largest)
        m2 = _pick(v[i + 2], m2, largest)
        m3 = _pick(v[i + 3], m3, largest)
    m = _pick(_pick(m1, m0, largest), _pick(m3, m2, largest), largest)
    seen_nan = n0 | n1 | n2 | n3
    for i in range(n - n % 4, n):
        seen_nan |= v[i] != v[i]
        m = _pick(v[i], m, largest)
    if seen_nan:
        for x in v:
            if x != x:
                return x
    return m


def _nan_extreme_of(a, largest):
    """The largest (or smallest) element that is not NaN; NaN when all
    are."""
    _check_not_empty(a, largest, True)
    m = a.flat[0]
    for x in a.flat:
        if m != m or _beats(x, m, largest):
            m = x
    return m


def _first_index_of(v, m):
    """The index of the first element of the 1-d v equal to m (the first
    NaN when m is NaN).  Blocks of 16 are tested whole, with no branch
    inside, so that the test vectorizes; the block that has it is then
    searched."""
    n = v.size
    nan = m != m
    i = 0
    while i + 16 <= n:
        hit = False
        for k in range(16):
            x = v[i + k]
            hit |= (x != x) if nan else (x == m)
        if hit:
            break
        i += 16
    for j in range(i, n):
        x = v[j]
        if (x != x) if nan else (x == m):
            return j
    return n


def _scanned_index_of_extreme(v, largest):
    """_index_of_extreme of a short 1-d v that is not empty, in one pass:
    the two passes that vectorize cost more than a few elements (an
    argmax of three scores for each cell of a table, as in librosa's
    recurrence alignment, took 9x Numba's time)."""
    best = 0
    m = v[0]
    for i in range(1, v.size):
        if m != m:
            return best
        x = v[i]
        if x != x or _beats(x, m, largest):
            m = x
            best = i
    return best


def _index_of_extreme(a, largest, skip_nan):
    """The flat index of the first largest (or smallest) element: of the
    first NaN unless skip_nan, of the first non-NaN if skip_nan.  Without
    skip_nan, the extreme (_extreme_of, which vectorizes) and then the
    first element equal to it: the first of equal elements is the one a
    strict comparison keeps, -0.0 and 0.0 included."""
    if a.size == 0:
        if largest:
            raise ValueError("attempt to get argmax of an empty sequence")
        raise ValueError("attempt to get argmin of an empty sequence")
    if not skip_nan:
        v = _flat_c(a)
        if v.size < 16:
            return _scanned_index_of_extreme(v, largest)
        return _first_index_of(v, _extreme_of(v, largest))
    best = -1
    m = a.flat[0]
    i = 0
    for x in a.flat:
        if x != x:
            if not skip_nan:
                return i
        elif best < 0 or _beats(x, m, largest):
            m = x
            best = i
        i += 1
    if best < 0:
        raise ValueError("All-NaN slice encountered")
    return best


def array_prod(a, axis=None):
    return _reduce(a, axis, _prod_of, False, _sum_one(a))


def array_max(a, axis=None):
    if axis is None:     # no zero to make
        return _extreme_of(a, True)
    return _reduce(a, axis, _extreme_of, True, _zero(a))


def array_min(a, axis=None):
    if axis is None:     # no zero to make
        return _extreme_of(a, False)
    return _reduce(a, axis, _extreme_of, False, _zero(a))


def _argmax_of(a, skip_nan):
    return _index_of_extreme(a, True, skip_nan)


def _argmin_of(a, skip_nan):
    return _index_of_extreme(a, False, skip_nan)


def array_argmax(a, axis=None):
    return _reduce(a, axis, _argmax_of, False, 0)


def array_argmin(a, axis=None):
    return _reduce(a, axis, _argmin_of, False, 0)


def _ptp_of(a, arg):
    """The largest element less the smallest, in a's dtype (integers wrap
    around, as NumPy's)."""
    return _like(_extreme_of(a, True) - _extreme_of(a, False), _zero(a))


def ptp(a, axis=None):
    if axis is None:     # no zero to make
        return _ptp_of(a, 0)
    return _reduce(a, axis, _ptp_of, 0, _zero(a))


# ---------------------------------------------------------------------------
# Variance

def _var_of(a, ddof, skip_nan):
    """The variance of a's elements (those that are not NaN, with
    skip_nan) and NumPy's divisor n - ddof: nan when it is not positive
    and NaNs are skipped (of floats: of integers np.nanvar is np.var), inf
    or nan otherwise."""
    s = _mean_zero(a)
    n = 0
    for x in a.flat:
        if not (skip_nan and x != x):
            s += x
            n += 1
    m = s / type(s)(n)      # in the mean's dtype, as NumPy's: float32 stays
    v = 0.0
    for x in a.flat:
        if not (skip_nan and x != x):
            d = x - m
            v += (d * d.conjugate()).real
    if skip_nan and not _holds_integers(a) and n - ddof <= 0:
        return np.nan
    return v / max(n - ddof, 0)


def _var_lane(a, ddof):
    return _var_of(a, ddof, False)


def _nanvar_lane(a, ddof):
    return _var_of(a, ddof, True)


def array_var(a, axis=None, ddof=0):
    return _reduce(a, axis, _var_lane, ddof, 0.0)


def array_std(a, axis=None, ddof=0):
    return np.sqrt(array_var(a, axis, ddof))


def nanvar(a, axis=None, ddof=0):
    return _reduce(a, axis, _nanvar_lane, ddof, 0.0)


def nanstd(a, axis=None, ddof=0):
    return np.sqrt(nanvar(a, axis, ddof))


# ---------------------------------------------------------------------------
# Truth

def _any_of(a, arg):
    for x in a.flat:
        if x:
            return True
    return False


def _all_of(a, arg):
    for x in a.flat:
        if not x:
            return False
    return True


def _count_of(a, arg):
    n = 0
    for x in a.flat:
        if x:
            n += 1
    return n


def array_any(a, axis=None):
    return _reduce(a, axis, _any_of, 0, False)


def array_all(a, axis=None):
    return _reduce(a, axis, _all_of, 0, False)


def count_nonzero(a, axis=None):
    return _reduce(a, axis, _count_of, 0, 0)


# ---------------------------------------------------------------------------
# Running sums and products

def _accumulate(a, axis, how, first):
    if axis is None:
        out = np.full(a.size, first)
        _running_from(out, a.ravel(), how, first)
        return out
    return _map_lanes(a, _axis_index(axis, a.ndim), _running_lane,
                      (how, first), first)


def _running_lane(out, a, how_first):
    _running_from(out, a, how_first[0], how_first[1])


def _running_from(out, a, how, first):
    """out[i] = the sum (how 0), product (1), sum skipping NaNs (2) or
    product skipping NaNs (3) of a[:i + 1], starting from first."""
    acc = first
    for i in range(len(a)):
        x = a[i]
        if not (how >= 2 and x != x):
            acc = acc * x if how % 2 == 1 else acc + x
        out[i] = acc


def cumsum(a, axis=None):
    return _accumulate(a, axis, 0, _sum_zero(a))


def cumprod(a, axis=None):
    return _accumulate(a, axis, 1, _sum_one(a))


def nancumsum(a, axis=None):
    return _accumulate(a, axis, 2, _sum_zero(a))


def nancumprod(a, axis=None):
    return _accumulate(a, axis, 3, _sum_one(a))


# ---------------------------------------------------------------------------
# Skipping NaNs

def nansum(a, axis=None):
    return _reduce(a, axis, _sum_of, True, _sum_zero(a))


def nanprod(a, axis=None):
    return _reduce(a, axis, _prod_of, True, _sum_one(a))


def nanmax(a, axis=None):
    if axis is None:     # no zero to make
        return _nan_extreme_of(a, True)
    return _reduce(a, axis, _nan_extreme_of, True, _zero(a))


def nanmin(a, axis=None):
    if axis is None:     # no zero to make
        return _nan_extreme_of(a, False)
    return _reduce(a, axis, _nan_extreme_of, False, _zero(a))


def nanargmax(a, axis=None):
    return _reduce(a, axis, _argmax_of, True, 0)


def nanargmin(a, axis=None):
    return _reduce(a, axis, _argmin_of, True, 0)


def _nanmean_of(a, arg):
    s = _mean_zero(a)
    n = 0
    for x in a.flat:
        if x == x:
            s += x
            n += 1
    return s / n


def nanmean(a, axis=None):
    return _reduce(a, axis, _nanmean_of, 0, _mean_zero(a))


# ---------------------------------------------------------------------------
# Differences

def _diff_lane(out, a, n):
    """out = the n-th differences of a (out is n shorter); bools differ
    where they are not equal, as NumPy's."""
    m = len(a)
    buf = a.copy()
    for r in range(n):
        for i in range(m - 1 - r):
            buf[i] = buf[i + 1] - buf[i]
    for i in range(len(out)):
        out[i] = buf[i]


def diff(a, n=1):
    if n < 0:
        raise ValueError("order must be non-negative")
    if a.ndim == 0:
        raise ValueError("diff requires input that is at least one "
                         "dimensional")
    m = a.shape[-1]
    b = _as_lanes(a, a.ndim - 1)
    out = np.empty((b.shape[0], max(m - n, 0), 1), a.dtype)
    if m > n:
        for i in range(b.shape[0]):
            _diff_lane(out[i, :, 0], b[i, :, 0], n)
    return out.reshape(a.shape[:-1] + (max(m - n, 0),))


FUNCTIONS = {
    "prod": array_prod, "max": array_max, "amax": array_max,
    "min": array_min, "amin": array_min, "argmax": array_argmax,
    "argmin": array_argmin, "var": array_var, "std": array_std,
    "any": array_any, "all": array_all, "count_nonzero": count_nonzero,
    "ptp": ptp, "cumsum": cumsum, "cumprod": cumprod, "diff": diff,
    "nansum": nansum, "nanprod": nanprod, "nanmax": nanmax,
    "nanmin": nanmin, "nanargmax": nanargmax, "nanargmin": nanargmin,
    "nanmean": nanmean, "nanvar": nanvar, "nanstd": nanstd,
    "nancumsum": nancumsum, "nancumprod": nancumprod,
}

METHODS = ("prod", "max", "min", "argmax", "argmin", "var", "std", "any",
           "all", "cumsum", "cumprod")

HELPERS = (_as_lanes, _reduce, _map_lanes, _zero, _like, _ptp_of, _prod_of,
           _sum_of, _check_not_empty, _pick, _pick4, _nan4, _extreme_of,
           _complex_extreme_of, _nan_extreme_of, _first_index_of,
           _scanned_index_of_extreme,
           _index_of_extreme, _argmax_of, _argmin_of, _var_of,
           _var_lane, _nanvar_lane, _any_of, _all_of, _count_of, _accumulate,
           _running_lane, _running_from, _nanmean_of, _diff_lane)
