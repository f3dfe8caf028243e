"""NumPy functions Numba supports that the other library modules do not
have: window functions (np.bartlett, np.blackman, np.hamming, np.hanning,
np.kaiser with np.i0), np.sinc, np.vander, np.nan_to_num, np.select,
np.fill_diagonal, np.asarray_chkfinite, np.trim_zeros, np.rot90,
np.resize, np.logspace, np.tril_indices, np.triu_indices, np.convolve and
np.correlate.

Each computes what NumPy computes, in NumPy's order of operations, so
the results are NumPy's to the bit where NumPy's own loop is a plain one
(convolve and correlate sum their products in order, where NumPy's dot
may use BLAS: equal to rounding).
"""
import math

import numpy as np

from . import types as _types
from ._core import (_broadcast_view, _holds_complex, _promoted_zero,
                    _strided_view)
from .extending import overload

try:                                    # NumPy's Chebyshev coefficients of i0
    from numpy.lib._function_base_impl import _i0A, _i0B
except ImportError:                     # NumPy 1.x
    from numpy.lib.function_base import _i0A, _i0B

_I0A = np.asarray(_i0A, dtype=np.float64)
_I0B = np.asarray(_i0B, dtype=np.float64)


# --- window functions ---

def _window(M, triangle, a0, a1, a2):
    """NumPy's window of M points at n = arange(1 - M, M, 2): the triangle
    1 -+ n / (M - 1), or a0 + a1 cos(pi n / (M - 1)) + a2 cos(2 pi n /
    (M - 1))."""
    if M < 1:
        return np.empty(0)
    if M == 1:
        return np.ones(1)
    n = np.arange(1 - M, M, 2) * 1.0
    d = M - 1
    out = np.empty(n.size)
    for i in range(n.size):
        if triangle:
            out[i] = 1 + n[i] / d if n[i] <= 0 else 1 - n[i] / d
        else:
            out[i] = a0 + a1 * math.cos(math.pi * n[i] / d)
            if a2 != 0.0:
                out[i] += a2 * math.cos(2.0 * math.pi * n[i] / d)
    return out


def bartlett(M):
    return _window(M, True, 0.0, 0.0, 0.0)


def blackman(M):
    return _window(M, False, 0.42, 0.5, 0.08)


def hamming(M):
    return _window(M, False, 0.54, 0.46, 0.0)


def hanning(M):
    return _window(M, False, 0.5, 0.5, 0.0)


def _chbevl(x, vals):
    b0 = vals[0]
    b1 = 0.0
    b2 = 0.0
    for i in range(1, len(vals)):
        b2 = b1
        b1 = b0
        b0 = x * b1 - b2 + vals[i]
    return 0.5 * (b0 - b2)


def _i0_one(x):
    x = abs(x)
    if x <= 8.0:
        return math.exp(x) * _chbevl(x / 2.0 - 2, _I0A)
    return math.exp(x) * _chbevl(32.0 / x - 2.0, _I0B) / math.sqrt(x)


def i0(x):
    out = np.empty(x.shape)
    flat = out.ravel()
    src = x.ravel()
    for i in range(flat.size):
        flat[i] = _i0_one(float(src[i]))
    return out


def kaiser(M, beta):
    if M == 1:
        return np.ones(1)
    n = np.arange(0, M)
    alpha = (M - 1) / 2.0
    out = np.empty(n.size)
    for i in range(n.size):
        out[i] = (_i0_one(beta * math.sqrt(1 - ((n[i] - alpha) / alpha) ** 2.0))
                  / _i0_one(float(beta)))
    return out


# --- elementwise and shape functions ---

def _is_0d(t, kinds):
    """Whether t is the type of a 0-d array of an element type of kinds."""
    return isinstance(t, _types.Array) and t.ndim == 0 \
        and isinstance(t.dtype, kinds)


@overload(np.sinc)
def _sinc(x):
    if _is_0d(x, (_types.Integer, _types.Float, _types.Boolean,
                  _types.Complex)):
        # NumPy's: a number
        return lambda x: _sinc_one(x[()])
    if isinstance(x, _types.Array):
        # float32 and complex numbers keep their dtype, others are float64
        keep = isinstance(x.dtype, (_types.Float, _types.Complex)) \
            and str(x.dtype) != "float64"
        dt = np.dtype(str(x.dtype)).type if keep else np.float64

        def impl(x):
            out = np.empty(x.shape, dt)
            flat = out.ravel()
            src = x.ravel()
            for i in range(flat.size):
                flat[i] = _sinc_one(src[i])
            return out
        return impl
    if isinstance(x, (_types.Integer, _types.Float, _types.Complex)):
        return lambda x: _sinc_one(x)
    return None


def _sinc_one(x):
    pass


@overload(_sinc_one)
def _sinc_one_typer(x):
    """sin(pi x) / (pi x) of one number, as NumPy computes it: pi x of a
    float32 (complex64) in float32 (sinc(4) is not 0 there)."""
    if str(x) in ("float32", "complex64"):
        return lambda x: _sinc_at(x, np.float32(math.pi),
                                  np.float32(1.0e-20))
    if isinstance(x, (_types.Number, _types.Boolean)):
        return lambda x: _sinc_at(x, math.pi, 1.0e-20)
    return None


def _sinc_at(x, pi, tiny):
    y = pi * (tiny if x == 0 else x)
    return np.sin(y) / y


def vander(x, N=None, increasing=False):
    if x.ndim != 1:
        raise ValueError("x must be a one-dimensional array or sequence.")
    n = x.shape[0]
    cols = n if N is None else N
    zero = _promoted_zero(x, np.int64(0))
    out = np.full((n, cols), zero)
    for i in range(n):
        p = zero + 1
        for j in range(cols):
            out[i, j if increasing else cols - 1 - j] = p
            p = p * x[i]
    return out


def rot90(m, k=1):
    if m.ndim < 2:
        raise ValueError("Axes must be different.")
    k %= 4
    if k == 0:
        return m[:, :]
    if k == 2:
        return m[::-1, ::-1]
    if k == 1:
        return m.T[::-1, :]
    return m[::-1, :].T


def resize(a, new_shape):
    src = a.ravel()
    out = np.empty(new_shape, a.dtype)
    flat = out.ravel()
    if src.size == 0:
        flat[:] = 0
        return out
    for i in range(flat.size):
        flat[i] = src[i % src.size]
    return out


def logspace(start, stop, num=50, endpoint=True, base=10.0):
    y = np.linspace(start, stop, num, endpoint)
    out = np.empty(y.size)
    for i in range(y.size):
        out[i] = base ** y[i]
    return out


def tril_indices(n, k=0, m=None):
    return _tri_indices(n, k, m, True)


def triu_indices(n, k=0, m=None):
    return _tri_indices(n, k, m, False)


def _tri_indices(n, k, m, lower):
    cols = n if m is None else m
    count = 0
    for i in range(n):
        for j in range(cols):
            if (j - i <= k) if lower else (j - i >= k):
                count += 1
    rows = np.empty(count, np.int64)
    where = np.empty(count, np.int64)
    c = 0
    for i in range(n):
        for j in range(cols):
            if (j - i <= k) if lower else (j - i >= k):
                rows[c] = i
                where[c] = j
                c += 1
    return rows, where


def diag_indices(n, ndim=2):
    idx = np.arange(n)
    if ndim != 2:
        raise ValueError("diag_indices: ndim 2 only")
    return idx, idx.copy()


def take_along_axis(arr, indices, axis):
    """1-d and 2-d arrays, along axis 0 or 1 (-1, -2 too)."""
    if arr.ndim != indices.ndim:
        raise ValueError("`indices` and `arr` must have the same number of "
                         "dimensions")
    k = axis + arr.ndim if axis < 0 else axis
    if k < 0 or k >= arr.ndim:
        raise ValueError("axis is out of bounds")
    if arr.ndim == 1:
        return arr[indices]
    return _take_2d(arr, indices, k)


def _take_2d(arr, indices, k):
    r, c = indices.shape
    if (k == 1 and r != arr.shape[0]) or (k == 0 and c != arr.shape[1]):
        raise ValueError("shape mismatch: the index array does not fit the "
                         "other axis")
    out = np.empty((r, c), arr.dtype)
    n = arr.shape[k]
    for i in range(r):
        for j in range(c):
            x = indices[i, j]
            if x < -n or x >= n:
                raise IndexError("index out of bounds for the axis")
            x = x + n if x < 0 else x
            out[i, j] = arr[i, x] if k == 1 else arr[x, j]
    return out


def hsplit(ary, indices_or_sections):
    if ary.ndim == 0:
        raise ValueError("hsplit only works on arrays of 1 or more "
                         "dimensions")
    if ary.ndim == 1:
        return np.split(ary, indices_or_sections)
    return [p.T for p in np.split(ary.T, indices_or_sections)]


def vsplit(ary, indices_or_sections):
    if ary.ndim < 2:
        raise ValueError("vsplit only works on arrays of 2 or more "
                         "dimensions")
    return np.split(ary, indices_or_sections)


_EXACT = (_types.Integer, _types.Boolean)
_REAL = (_types.Integer, _types.Boolean, _types.Float)


@overload(np.fix)
def _fix(x):
    """x rounded toward zero; integers and booleans are their own values
    (a copy of an array, in its dtype, as NumPy's)."""
    if _is_0d(x, _types.Float):                 # NumPy's: a number
        return lambda x: np.trunc(x[()])
    if _is_0d(x, _EXACT):
        return lambda x: x[()]
    if isinstance(x, _types.Array) and isinstance(x.dtype, _types.Float):
        def impl(x):
            out = np.empty(x.shape, x.dtype)
            flat = out.ravel()
            src = x.ravel()
            for i in range(flat.size):
                flat[i] = np.trunc(src[i])
            return out
        return impl
    if isinstance(x, _types.Array) and isinstance(x.dtype, _EXACT):
        return lambda x: x.copy()
    if isinstance(x, _types.Float):
        return lambda x: np.trunc(x)
    if isinstance(x, _EXACT):
        return lambda x: x
    return None


def _step_dtype(x1, x2):
    """The dtype of np.heaviside(x1, x2) for an array x1 of reals: x1's
    float dtype (float64 for integers), promoted with x2's when x2 is an
    array; a number x2 does not widen it, as under NumPy's rules."""
    dt = np.dtype(str(x1.dtype)) if isinstance(x1.dtype, _types.Float) \
        else np.dtype(np.float64)
    if isinstance(x2, _types.Array):
        dt = np.result_type(dt, np.dtype(str(x2.dtype)))
    return dt if dt.kind == "f" else np.dtype(np.float64)


@overload(np.heaviside)
def _heaviside(x1, x2):
    if _is_0d(x1, _REAL):                       # NumPy's: a number
        return lambda x1, x2: _step(x1[()], np.full(1, x2)[0])
    if isinstance(x1, _types.Array) and isinstance(x1.dtype, _REAL):
        dt = _step_dtype(x1, x2).type
        if isinstance(x2, _types.Array):
            def impl(x1, x2):
                shape = np.broadcast_shapes(x1.shape, x2.shape)
                src = np.broadcast_to(x1, shape).ravel()
                at_zero = np.broadcast_to(x2, shape).ravel()
                out = np.empty(shape, dt)
                flat = out.ravel()
                for i in range(flat.size):
                    flat[i] = _step(src[i], at_zero[i])
                return out
            return impl

        def impl(x1, x2):
            out = np.empty(x1.shape, dt)
            flat = out.ravel()
            src = x1.ravel()
            for i in range(flat.size):
                flat[i] = _step(src[i], x2)
            return out
        return impl
    if isinstance(x1, _REAL):
        return lambda x1, x2: _step(x1, x2)
    return None


def _step(x, at_zero):
    if np.isnan(x):
        return np.nan
    if x == 0:
        return float(at_zero)
    return 1.0 if x > 0 else 0.0


@overload(np.broadcast_to)
def _broadcast_to(array, shape):
    """A read-only view with 0 strides where a dimension repeats (a
    number: a view of a one-element array of it)."""
    if isinstance(shape, _types.Integer):
        if isinstance(array, _types.Array):
            return lambda array, shape: _broadcast_view(array, (shape,))
        if isinstance(array, (_types.Number, _types.Boolean)):
            return lambda array, shape: _broadcast_view(np.full(1, array),
                                                        (shape,))
        return None
    if isinstance(array, _types.Array):
        return lambda array, shape: _broadcast_view(array, shape)
    if isinstance(array, (_types.Number, _types.Boolean)):
        return lambda array, shape: _broadcast_view(np.full(1, array), shape)
    return None


@overload(np.lib.stride_tricks.as_strided)
def _as_strided(x, shape=None, strides=None):
    """A view of x's memory with the shape and strides (in bytes) given,
    x's own when one is None; as in NumPy, nothing checks that the view
    stays inside x."""
    if not isinstance(x, _types.Array):
        return None
    no_shape = shape is None or isinstance(shape, _types.NoneType)
    no_strides = strides is None or isinstance(strides, _types.NoneType)

    def as_strided(x, shape=None, strides=None):
        dims = x.shape if no_shape else shape
        steps = x.strides if no_strides else strides
        for d in dims:
            if d < 0:
                raise ValueError("negative dimensions are not allowed")
        return _strided_view(x, dims, steps)
    return as_strided


def _window_axis(a, ndim):
    """Axis a of an array of ndim dimensions, counted from the end when
    negative, as numpy.lib.stride_tricks.sliding_window_view takes it."""
    if a < -ndim or a >= ndim:
        raise np.exceptions.AxisError(a, ndim)
    return a + ndim if a < 0 else a


def _trimmed(size, d, windows, axes, ndim):
    """The number of window positions along dimension d: its size less
    each window on it but one (NumPy applies a repeated axis again)."""
    for k in range(len(windows)):
        if windows[k] < 0:
            raise ValueError("`window_shape` cannot contain negative values")
        if _window_axis(axes[k], ndim) == d:
            if size < windows[k]:
                raise ValueError(
                    "window shape cannot be larger than input array shape")
            size -= windows[k] - 1
    return size


_window_views = {}


def _window_view_source(ndim, nwin, axes):
    """The source of sliding_window_view for an array of ndim dimensions
    and nwin windows; `axes` the expression of the axes' tuple."""
    trimmed = "".join(f"_trimmed(x.shape[{d}], {d}, ws, ax, {ndim}), "
                      for d in range(ndim))
    windows = "".join(f"ws[{k}], " for k in range(nwin))
    steps = "".join(f"x.strides[{d}], " for d in range(ndim))
    steps += "".join(f"x.strides[_window_axis(ax[{k}], {ndim})], "
                     for k in range(nwin))
    return (f"def sliding_window_view(x, window_shape, axis=None):\n"
            f"    ws = _as_tuple(window_shape)\n"
            f"    ax = {axes}\n"
            f"    return _strided_view(x, ({trimmed}{windows}), "
            f"({steps}))\n")


def _as_tuple(v):
    return v


@overload(_as_tuple)
def _as_tuple_typer(v):
    if isinstance(v, (_types.Integer, _types.Boolean)):
        return lambda v: (v,)
    return lambda v: v


def _window_view(ndim, nwin, axes):
    from ._jitclass import _generated
    key = (ndim, nwin, axes)
    if key not in _window_views:
        # the helpers as the library rebound them (HELPERS): compiled
        namespace = {"_trimmed": globals()["_trimmed"],
                     "_window_axis": globals()["_window_axis"],
                     "_as_tuple": _as_tuple, "_strided_view": _strided_view}
        _window_views[key] = _generated(
            "sliding_window_view", _window_view_source(ndim, nwin, axes),
            namespace, "numpy")
    return _window_views[key]


def _mismatch(message):
    def sliding_window_view(x, window_shape, axis=None):
        raise ValueError(message)
    return sliding_window_view


def _count(t):
    """How many ints the int or tuple of ints t holds; None for others."""
    if isinstance(t, (_types.Integer, _types.Boolean)):
        return 1
    if isinstance(t, _types.BaseTuple) and all(
            isinstance(i, _types.Integer) for i in t.types):
        return len(t.types)
    return None


@overload(np.lib.stride_tricks.sliding_window_view)
def _sliding_window_view(x, window_shape, axis=None):
    """A view of every window of x: its shape is x's with each windowed
    axis cut to its number of window positions, then the windows' own
    sizes; its strides x's, then those of the windowed axes.  Numba's
    arguments (writeable= and subok= are not taken)."""
    nwin = _count(window_shape)
    if not isinstance(x, _types.Array) or nwin is None:
        return None
    ndim = x.ndim
    if axis is None or isinstance(axis, _types.NoneType):
        if nwin != ndim:
            return _mismatch(
                f"Since axis is `None`, must provide window_shape for all "
                f"dimensions of `x`; got {nwin} window_shape elements and "
                f"`x.ndim` is {ndim}.")
        return _window_view(ndim, nwin, repr(tuple(range(ndim))))
    naxes = _count(axis)
    if naxes is None:
        return None
    if naxes != nwin:
        return _mismatch(
            f"Must provide matching length window_shape and axis; got "
            f"{nwin} window_shape elements and {naxes} axes elements.")
    return _window_view(ndim, nwin, "_as_tuple(axis)")


# --- values ---

def _finite(v, nan, hi, lo):
    """v, or what np.nan_to_num puts for it when it is nan or infinite."""
    if np.isnan(v):
        return nan
    if v == np.inf:
        return hi
    if v == -np.inf:
        return lo
    return v


def _finite_value(v, nan, hi, lo):
    pass


@overload(_finite_value)
def _finite_value_typer(v, nan, hi, lo):
    """_finite of a float; of a complex number, of each part."""
    if isinstance(v, _types.Complex):
        def parts(v, nan, hi, lo):
            return complex(_finite(v.real, nan, hi, lo),
                           _finite(v.imag, nan, hi, lo))
        return parts
    return lambda v, nan, hi, lo: type(v)(_finite(v, nan, hi, lo))


def _limits(t):
    """The largest and smallest finite values of a float or complex type
    (of its parts), which infinities become by default."""
    info = np.finfo(np.dtype(str(t)))
    return float(info.max), float(info.min)


@overload(np.nan_to_num)
def _nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None):
    if _is_0d(x, (_types.Number, _types.Boolean)):
        # NumPy's: the number, as of the 0-d array's element
        return lambda x, copy=True, nan=0.0, posinf=None, neginf=None: \
            np.nan_to_num(x[()], copy, nan, posinf, neginf)
    if isinstance(x, _types.Array) and isinstance(
            x.dtype, (_types.Float, _types.Complex)):
        big, small = _limits(x.dtype)

        def impl(x, copy=True, nan=0.0, posinf=None, neginf=None):
            out = x.copy() if copy else x
            hi = big if posinf is None else posinf
            lo = small if neginf is None else neginf
            # by index: out is x itself with copy=False, of any layout
            for idx in np.ndindex(out.shape):
                out[idx] = _finite_value(out[idx], nan, hi, lo)
            return out
        return impl
    if isinstance(x, _types.Array) and isinstance(
            x.dtype, (_types.Integer, _types.Boolean)):
        return lambda x, copy=True, nan=0.0, posinf=None, neginf=None: \
            x.copy() if copy else x
    if isinstance(x, (_types.Float, _types.Complex)):
        big, small = _limits(x)

        def scalar(x, copy=True, nan=0.0, posinf=None, neginf=None):
            hi = big if posinf is None else posinf
            lo = small if neginf is None else neginf
            return _finite_value(x, nan, hi, lo)
        return scalar
    if isinstance(x, (_types.Integer, _types.Boolean)):
        return lambda x, copy=True, nan=0.0, posinf=None, neginf=None: x
    return None


def _weak_promoted_zero(a, x):
    """0 in the dtype NumPy gives an array a and x together: a number x
    is weak, as a Python number is to NumPy 2 (float32 and 0 give
    float32, int8 and 0.5 float64)."""


@overload(_weak_promoted_zero)
def _weak_promoted_zero_typer(a, x):
    if not isinstance(a, _types.Array):
        return None
    if isinstance(x, _types.Array):
        other = np.dtype(str(x.dtype))
    elif isinstance(x, _types.Boolean):
        other = False
    elif isinstance(x, _types.Integer):
        other = 0
    elif isinstance(x, _types.Float):
        other = 0.0
    elif isinstance(x, _types.Complex):
        other = 0j
    else:
        return None
    dt = np.result_type(np.dtype(str(a.dtype)), other).type
    return lambda a, x: np.zeros(1, dt)[0]


def select(condlist, choicelist, default=0):
    if len(condlist) != len(choicelist):
        raise ValueError("list of cases must be same length as list of "
                         "conditions")
    if len(condlist) == 0:
        raise ValueError("select with an empty condition list is not "
                         "possible")
    out = np.full(choicelist[0].shape, _weak_promoted_zero(choicelist[0],
                                                          default))
    out[...] = default
    flat = out.ravel()
    for k in range(len(condlist) - 1, -1, -1):
        cond = condlist[k].ravel()
        choice = choicelist[k].ravel()
        if cond.size != flat.size or choice.size != flat.size:
            raise ValueError("the conditions and choices must have the "
                             "shape of the first choice")
        for i in range(flat.size):
            if cond[i]:
                flat[i] = choice[i]
    return out


def fill_diagonal(a, val, wrap=False):
    """NumPy's: the main diagonal of a takes the values of val in turn
    (a number, an array or a sequence, repeated as needed). A 2-d a that
    is taller than wide gets a diagonal after each gap of one row when
    wrap is set; an a of more dimensions must have them all equal."""
    if a.ndim < 2:
        raise ValueError("array must be at least 2-d")
    if a.ndim == 2:
        step = a.shape[1] + 1
        end = a.size if wrap else min(a.size, a.shape[1] * a.shape[1])
    else:
        step = 1
        stride = 1
        for d in range(a.ndim - 1):
            if a.shape[d] != a.shape[d + 1]:
                raise ValueError(
                    "All dimensions of input must be of equal length")
            stride *= a.shape[d]
            step += stride
        end = a.size
    vals = np.asarray(val).ravel()
    if vals.size == 0:
        return
    k = 0
    for i in range(0, end, step):
        a.flat[i] = vals[k]
        k = k + 1 if k + 1 < vals.size else 0


def asarray_chkfinite(a, dtype=None):
    out = np.asarray(a) if dtype is None else np.asarray(a, dtype)
    for v in out.ravel():
        if not np.isfinite(v):
            raise ValueError("array must not contain infs or NaNs")
    return out


def trim_zeros(filt, trim="fb"):
    if filt.ndim == 0:          # NumPy's: nothing to trim
        return filt
    first = 0
    last = len(filt)
    if "f" in trim or "F" in trim:
        while first < last and filt[first] == 0:
            first += 1
    if "b" in trim or "B" in trim:
        while last > first and filt[last - 1] == 0:
            last -= 1
    return filt[first:last]


# --- covariance ---

def _variables(a, rowvar):
    """The variables of a as the rows of a 2-d array in NumPy's type of
    the covariance: complex128 for complex numbers, else float64."""
    if _holds_complex(a):
        x = np.atleast_2d(a).astype(np.complex128)
    else:
        x = np.atleast_2d(a).astype(np.float64)
    if not rowvar and a.ndim == 2:
        return x.T.copy()
    return x


def _observations(m, y, rowvar):
    """The variables of m, then of y, as the rows of one 2-d array (NumPy's
    X)."""
    x = _variables(m, rowvar)
    if y is None:
        return x
    return np.concatenate((x, _variables(y, rowvar)))


def cov(m, y=None, rowvar=True, bias=False, ddof=None):
    """A 2-d result, or of a single variable (a 0-d or 1-d m without y)
    NumPy's 0-d array.  A 2-d m of one row is a single variable too, which
    NumPy tells by the shape, when the function runs: that is a
    ValueError saying what to pass instead (Numba refuses it too)."""
    if m.ndim > 2:
        raise ValueError("m has more than 2 dimensions")
    x = _observations(m, y, rowvar)
    if m.ndim < 2:
        if y is None:
            return np.full((), _covariance(x, bias, ddof)[0, 0])
    if x.shape[0] == 1:
        raise ValueError("np.cov of a single variable is a 0-d array in "
                         "NumPy, which a 2-d m does not give here: pass "
                         "the variable as a 1-d array")
    return _covariance(x, bias, ddof)


def _covariance(x, bias, ddof):
    """The covariance matrix of the variables, the rows of the float64 or
    complex128 array x (which it changes): x times its conjugate
    transpose, as NumPy's."""
    d = (0 if bias else 1) if ddof is None else ddof
    n = x.shape[1]
    fact = n - d
    for i in range(x.shape[0]):
        x[i] -= x[i].mean()
    c = np.dot(x, np.conj(x.T))
    c *= 1.0 / fact
    return c


def corrcoef(x, y=None, rowvar=True):
    if x.ndim < 2:
        if y is None:           # NumPy's c / c of the 0-d covariance
            c1 = cov(x)[()]
            return c1 / c1
    c = cov(x, y, rowvar)
    d = np.sqrt(np.diag(c).real)
    for i in range(c.shape[0]):
        for j in range(c.shape[1]):
            c[i, j] = _clip_unit(c[i, j] / d[i] / d[j])
    return c


def _clip_unit(r):
    """A correlation r clipped to [-1, 1], a complex one part by part, as
    NumPy clips the rounding of r beyond them."""
    if _holds_complex(r):
        return complex(_clip_unit(r.real), _clip_unit(r.imag))
    return min(max(r, -1.0), 1.0)


# --- convolution ---

def _correlate_valid(a, v, lo, hi, reverse):
    """sum(a[k + j] * w[j]) for k in [lo, hi), w = v or v reversed, the
    products of indices outside a left out, in j's order."""
    n, m = len(a), len(v)
    zero = _promoted_zero(a, v)
    out = np.full(hi - lo, zero)
    for k in range(lo, hi):
        s = zero
        for j in range(m):
            i = k + j
            if 0 <= i < n:
                s += a[i] * (v[m - 1 - j] if reverse else v[j])
        out[k - lo] = s
    return out


def _mode_range(n, m, mode):
    if mode == "full":
        return 1 - m, n
    if mode == "same":
        return -(m // 2), n - m // 2
    if mode == "valid":
        return 0, n - m + 1
    raise ValueError("mode must be one of 'full', 'same' or 'valid'")


def convolve(a, v, mode="full"):
    if a.ndim == 0 or v.ndim == 0:      # NumPy's: as 1-d arrays
        return convolve(np.atleast_1d(a), np.atleast_1d(v), mode)
    if len(a) == 0 or len(v) == 0:
        raise ValueError("v cannot be empty")
    if len(v) > len(a):
        return convolve(v, a, mode)
    lo, hi = _mode_range(len(a), len(v), mode)
    return _correlate_valid(a, v, lo, hi, True)


def correlate(a, v, mode="valid"):
    if a.ndim == 0 or v.ndim == 0:
        raise ValueError("object of too small depth for desired array")
    if len(a) == 0 or len(v) == 0:
        raise ValueError("v cannot be empty")
    v = np.conjugate(v)                 # NumPy's, for complex v
    if len(v) > len(a):
        lo, hi = _mode_range(len(v), len(a), mode)
        return _correlate_valid(v, a, lo, hi, False)[::-1].copy()
    lo, hi = _mode_range(len(a), len(v), mode)
    return _correlate_valid(a, v, lo, hi, False)


FUNCTIONS = {
    "bartlett": bartlett, "blackman": blackman, "hamming": hamming,
    "hanning": hanning, "kaiser": kaiser, "i0": i0, "vander": vander,
    "rot90": rot90, "resize": resize, "logspace": logspace,
    "tril_indices": tril_indices, "triu_indices": triu_indices,
    "select": select, "fill_diagonal": fill_diagonal,
    "asarray_chkfinite": asarray_chkfinite, "trim_zeros": trim_zeros,
    "convolve": convolve, "correlate": correlate,
    "diag_indices": diag_indices, "take_along_axis": take_along_axis,
    "hsplit": hsplit, "vsplit": vsplit, "cov": cov, "corrcoef": corrcoef,
}

METHODS = ()

HELPERS = (_finite, _variables, _observations, _covariance, _clip_unit, _take_2d, _step, _window, _chbevl, _i0_one, _sinc_at,
           _tri_indices, _correlate_valid, _mode_range, _window_axis, _trimmed)
