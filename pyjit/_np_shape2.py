"""NumPy's functions that reshape, repeat, split and compare arrays, for
nopython code: np.where of three arguments, np.expand_dims, np.squeeze
(of an axis), np.atleast_1d/2d/3d, np.transpose (axes=), np.swapaxes,
np.moveaxis (of an axis or a tuple of them; views of arrays of up to
4 dimensions), np.repeat, np.tile's
int number of times (registered by pyjit/_np_grid.py, with the tuples),
np.linspace (endpoint=; registered by pyjit/_numpy.py on overload),
np.append, np.delete, np.split and np.array_split (into a number of
sections or at the indices of an array, along the first axis),
np.isin and np.in1d (of the NumPy versions that have it), np.isclose,
np.allclose and np.array_equal.

np.where(condition, x, y) broadcasts its three operands (arrays or
numbers) and gives a new array of NumPy's promotion of the dtypes of x
and y (a number's dtype is its type: an int32 array and 5 give int64,
where NumPy 2 keeps int32 for a Python int).  np.expand_dims, np.squeeze and
np.atleast_*d give views of arrays of up to three dimensions.
"""
import numpy as np

from . import types as _types
from ._core import _axis_index, _permute_dims, _promoted_zero
from .extending import overload


def _everywhere(x):
    """True in x's shape (x a number: True)."""
    return (x == x) | (x != x)


def _element(v):
    """The number v, or the one element of the 0-d array v."""
    return np.full(1, v)[0]


def _where_of_one(value, condition, x, y):
    pass


@overload(_where_of_one)
def _where_of_one_typer(value, condition, x, y):
    """np.where of operands without dimensions: a 0-d array when one of
    them is an array, as NumPy gives, else the number value."""
    if any(isinstance(t, _types.Array) for t in (condition, x, y)):
        return lambda value, condition, x, y: np.full((), value)
    return lambda value, condition, x, y: value


def where3(condition, x, y):
    """x where condition holds, y elsewhere, broadcast together, in
    NumPy's promotion of their dtypes."""
    zero = _promoted_zero(x, y)
    if condition.ndim == 0:
        if x.ndim == 0:
            if y.ndim == 0:
                one = np.full(1, zero)
                one[0] = _element(x) if _element(condition) else _element(y)
                return _where_of_one(one[0], condition, x, y)
    mask = (condition != 0) & _everywhere(x) & _everywhere(y)
    out = np.full(mask.shape, zero)
    out[:] = x
    other = np.full(mask.shape, zero)
    other[:] = y
    fo = out.ravel()
    fy = other.ravel()
    fm = mask.ravel()
    for i in range(len(fo)):
        if not fm[i]:
            fo[i] = fy[i]
    return out


def expand_dims(a, axis):
    """A view of a with a new dimension of length 1 at axis."""
    k = _axis_index(axis, a.ndim + 1)
    if a.ndim == 0:
        return a.reshape(1)
    if a.ndim == 1:
        return a[None, :] if k == 0 else a[:, None]
    if a.ndim == 2:
        if k == 0:
            return a[None, :, :]
        return a[:, None, :] if k == 1 else a[:, :, None]
    if k == 0:
        return a[None, :, :, :]
    if k == 1:
        return a[:, None, :, :]
    return a[:, :, None, :] if k == 2 else a[:, :, :, None]


def squeeze(a, axis):
    """A view of a without its dimension axis, which has length 1 (the
    axis is required: without one, the number of dimensions of the result
    would depend on the shape)."""
    k = _axis_index(axis, a.ndim)
    if a.shape[k] != 1:
        raise ValueError("cannot select an axis to squeeze out which has "
                         "size not equal to one")
    if a.ndim == 2:
        return a[0, :] if k == 0 else a[:, 0]
    if a.ndim == 3:
        if k == 0:
            return a[0, :, :]
        return a[:, 0, :] if k == 1 else a[:, :, 0]
    raise ValueError("np.squeeze takes arrays of 2 or 3 dimensions")


def atleast_1d(a):
    if a.ndim == 0:
        return np.full(1, a)
    return a


def atleast_2d(a):
    if a.ndim == 0:
        return np.full((1, 1), a)
    if a.ndim == 1:
        return a[None, :]
    return a


def atleast_3d(a):
    """(n,) as (1, n, 1), (m, n) as (m, n, 1), as NumPy places them."""
    if a.ndim == 0:
        return np.full((1, 1, 1), a)
    if a.ndim == 1:
        return a[None, :, None]
    if a.ndim == 2:
        return a[:, :, None]
    return a


def repeat(a, repeats):
    """The elements of a (flattened, in C order; a number is an array of
    one), each repeated: an int number of times, or the number of times
    of its place in the array repeats."""
    arr = np.asarray(a)
    if repeats.ndim == 0:
        if repeats < 0 and arr.size > 0:      # nothing to repeat: NumPy's []
            raise ValueError("negative dimensions are not allowed")
        out = np.empty(arr.size * repeats, arr.dtype)
        i = 0
        for x in arr.flat:
            for _ in range(repeats):
                out[i] = x
                i += 1
        return out
    r = repeats.ravel()
    if len(r) != arr.size and len(r) != 1:
        raise ValueError(
            f"operands could not be broadcast together with shape "
            f"({arr.size},) ({len(r)},)")
    total = 0
    for j in range(arr.size):
        n = r[j if len(r) > 1 else 0]
        if n < 0 and len(r) == 1:
            # one count is broadcast as a scalar count is
            raise ValueError("negative dimensions are not allowed")
        if n < 0:
            raise ValueError("repeats may not contain negative values.")
        total += n
    out = np.empty(total, arr.dtype)
    i = 0
    j = 0
    for x in arr.flat:
        for _ in range(r[j if len(r) > 1 else 0]):
            out[i] = x
            i += 1
        j += 1
    return out


def _check_empty_tile(shape):
    """NumPy's error for tiling an empty array a negative number of times
    when its last dimension is not 0: the result's last dimension is then
    negative, and NumPy's reshape to it cannot find it from the others,
    which multiply to 0."""
    if len(shape) >= 2 and shape[len(shape) - 1] > 0:
        dims = ""
        for k in range(len(shape) - 1):
            dims += str(shape[k]) + ","
        raise ValueError("cannot reshape array of size 0 into shape ("
                         + dims + "newaxis)")


def tile(a, reps):
    """a repeated reps times along its last axis (a number: a 1-d array
    of reps copies, as of a 0-d array's element)."""
    if a.ndim == 0:
        if reps < 0:
            raise ValueError("negative dimensions are not allowed")
        return np.full(reps, a)
    if reps < 0:
        if a.size > 0:
            raise ValueError("negative dimensions are not allowed")
        _check_empty_tile(a.shape)
        reps = 0                    # nothing to repeat: NumPy's empty result
    n = a.shape[a.ndim - 1]
    if a.ndim == 1:
        out = np.empty(n * reps, a.dtype)
        for r in range(reps):
            out[r * n:(r + 1) * n] = a
        return out
    if a.ndim == 2:
        out = np.empty((a.shape[0], n * reps), a.dtype)
        for r in range(reps):
            out[:, r * n:(r + 1) * n] = a
        return out
    out = np.empty((a.shape[0], a.shape[1], n * reps), a.dtype)
    for r in range(reps):
        out[:, :, r * n:(r + 1) * n] = a
    return out


def linspace(start, stop, num=50, endpoint=True):
    """num evenly spaced float64 numbers from start, to stop (endpoint)
    or short of it, computed as NumPy computes them: start + i * step,
    and stop itself as the last one."""
    if num < 0:
        raise ValueError(f"Number of samples, {num}, must be non-negative.")
    div = num - 1 if endpoint else num
    out = np.empty(num)
    delta = stop - start
    step = delta / div if div > 0 else 0.0
    for i in range(num):
        if div > 0 and step == 0:
            out[i] = i / div * delta + start
        else:
            out[i] = i * step + start
    if endpoint and num > 1:
        out[num - 1] = stop
    return out


def _permuted(a, order):
    """The view of a whose dimension k is a's dimension order[k] (order a
    1-d array holding a permutation of a's dimensions)."""
    if a.ndim == 1:
        return _permute_dims(a, (order[0],))
    if a.ndim == 2:
        return _permute_dims(a, (order[0], order[1]))
    if a.ndim == 3:
        return _permute_dims(a, (order[0], order[1], order[2]))
    return _permute_dims(a, (order[0], order[1], order[2], order[3]))


def transpose(a, axes=None):
    """A view of a with its dimensions reversed, or in the order of the
    tuple axes."""
    if a.ndim == 0:
        if axes is not None and len(axes) != 0:
            raise ValueError("axes don't match array")
        return a[...]
    if axes is None:
        return _permuted(a, np.arange(a.ndim - 1, -1, -1))
    if len(axes) != a.ndim:
        raise ValueError("axes don't match array")
    order = np.empty(a.ndim, np.int64)
    seen = np.zeros(a.ndim, np.bool_)
    for k in range(a.ndim):
        d = _axis_index(axes[k], a.ndim)
        if seen[d]:
            raise ValueError("repeated axis in transpose")
        seen[d] = True
        order[k] = d
    return _permuted(a, order)


def array_transpose(a, *axes):
    """a.transpose(): a.T; a.transpose((1, 0, 2)) and a.transpose(1, 0, 2):
    a view with its dimensions in that order."""
    return _transposed(a, axes)


def _transposed(a, axes):
    pass


@overload(_transposed)
def _transposed_typer(a, axes):
    """a.transpose(*axes): a.T without axes, else the one tuple (or None)
    given, or the integers given, as np.transpose's axes."""
    if len(axes.types) == 0:
        return lambda a, axes: a.T
    if len(axes.types) == 1 and isinstance(
            axes.types[0], (_types.BaseTuple, _types.NoneType)):
        return lambda a, axes: transpose(a, axes[0])
    return lambda a, axes: transpose(a, axes)


def swapaxes(a, axis1, axis2):
    """A view of a with dimensions axis1 and axis2 exchanged."""
    if a.ndim == 0:
        raise np.exceptions.AxisError(
            f"axis1: axis {axis1} is out of bounds for array of dimension 0")
    i = _axis_index(axis1, a.ndim)
    j = _axis_index(axis2, a.ndim)
    order = np.arange(a.ndim)
    order[i] = j
    order[j] = i
    return _permuted(a, order)


def moveaxis(a, source, destination):
    """A view of a with dimension source moved to the place destination,
    the others in their order; of tuples of dimensions, each source to
    its destination."""
    if a.ndim == 0:
        raise np.exceptions.AxisError(
            f"source: axis {source} is out of bounds for array of "
            "dimension 0")
    src = _axes_of(source, a.ndim, "source")
    dst = _axes_of(destination, a.ndim, "destination")
    if len(src) != len(dst):
        raise ValueError("`source` and `destination` arguments must have "
                         "the same number of elements")
    order = np.full(a.ndim, -1, np.int64)
    moved = np.zeros(a.ndim, np.bool_)
    for i in range(len(src)):
        order[dst[i]] = src[i]
        moved[src[i]] = True
    # the dimensions not moved fill the other places in their order
    rest = 0
    for k in range(a.ndim):
        if order[k] < 0:
            while moved[rest]:
                rest += 1
            order[k] = rest
            rest += 1
    return _permuted(a, order)


def _axes_of(axes, ndim, name):
    """The dimensions axes (an int or a tuple of them) names, as an int64
    array, NumPy's errors for one out of range or named twice."""


def _named_axis(axis, ndim, name):
    """The dimension axis (negative from the end) names; NumPy's error,
    which names the argument, for one out of range."""
    if axis < -ndim or axis >= ndim:
        raise np.exceptions.AxisError(
            f"{name}: axis {axis} is out of bounds for array of "
            f"dimension {ndim}")
    return _axis_index(axis, ndim)


@overload(_axes_of)
def _axes_of_typer(axes, ndim, name):
    if isinstance(axes, (_types.Integer, _types.Boolean)):
        return lambda axes, ndim, name: np.full(
            1, _named_axis(axes, ndim, name))
    if not isinstance(axes, _types.BaseTuple):
        return None

    def impl(axes, ndim, name):
        out = np.empty(len(axes), np.int64)
        seen = np.zeros(ndim, np.bool_)
        for i in range(len(axes)):
            d = _named_axis(axes[i], ndim, name)
            if seen[d]:
                raise ValueError(f"repeated axis in `{name}` argument")
            seen[d] = True
            out[i] = d
        return out
    return impl


def append(arr, values, axis=None):
    """arr and values, flattened, one after the other; with an axis,
    np.concatenate((arr, values), axis)."""
    if axis is not None:
        return np.concatenate((np.asarray(arr), np.asarray(values)), axis)
    a = np.asarray(arr).ravel() if arr.ndim > 0 else np.full(1, arr)
    v = values.ravel() if values.ndim > 0 else np.full(1, values)
    out = np.full(len(a) + len(v), _promoted_zero(arr, values))
    out[:len(a)] = a
    out[len(a):] = v
    return out


def _clear_positions(keep, obj):
    pass


@overload(_clear_positions)
def _clear_positions_typer(keep, obj):
    """Clears keep where np.delete removes: obj a slice, an int, or an
    array, list or tuple of ints (negative from the end, each checked to
    be in bounds, as NumPy checks them)."""
    if str(obj).startswith("slice("):
        def clear_slice(keep, obj):
            keep[obj] = False
        return clear_slice

    def clear_each(keep, obj):
        n = len(keep)
        for i in np.asarray(obj).flat:      # an int: a 0-d array of it
            if i < -n or i >= n:
                raise IndexError(f"index {i} is out of bounds for axis 0 "
                                 f"with size {n}")
            keep[i % n] = False
    return clear_each


def delete(arr, obj):
    """arr flattened, without its elements at obj: an int (negative from
    the end), an array, list or tuple of them, or a slice."""
    a = arr.ravel()
    keep = np.ones(len(a), np.bool_)
    _clear_positions(keep, obj)
    out = np.empty(np.count_nonzero(keep), a.dtype)
    j = 0
    for i in range(len(a)):
        if keep[i]:
            out[j] = a[i]
            j += 1
    return out


def _split_at(ary, bounds):
    """Views of ary's rows between each pair of the (n + 1) bounds."""
    out = [ary[bounds[0]:bounds[1]]]
    for i in range(1, len(bounds) - 1):
        out.append(ary[bounds[i]:bounds[i + 1]])
    return out


def _section_bounds(n, sections, equal):
    if equal:
        if sections == 0:
            raise ZeroDivisionError("integer modulo by zero")
        if n % sections != 0:
            raise ValueError("array split does not result in an equal "
                             "division")
    if sections <= 0:
        raise ValueError("number sections must be larger than 0.")
    each, extras = divmod(n, sections)
    bounds = np.empty(sections + 1, np.int64)
    bounds[0] = 0
    for i in range(sections):
        bounds[i + 1] = bounds[i] + each + (1 if i < extras else 0)
    return bounds


def _index_bounds(n, indices):
    """0, the indices (each clipped to [0, n] as slicing clips it), n."""
    bounds = np.empty(len(indices) + 2, np.int64)
    bounds[0] = 0
    for i in range(len(indices)):
        k = indices[i]
        if k < 0:
            k = max(k + n, 0)
        bounds[i + 1] = min(k, n)
    bounds[len(indices) + 1] = n
    return bounds


def _split(ary, indices_or_sections, equal):
    if ary.ndim == 0:           # NumPy's: the shape has no axis 0
        raise IndexError("np.split: a 0-d array has no axis to split "
                         "along")
    bounds = _split_bounds(len(ary), indices_or_sections, equal)
    return _split_at(ary, bounds)


def _split_bounds(n, indices_or_sections, equal):
    pass


@overload(_split_bounds)
def _split_bounds_typer(n, indices_or_sections, equal):
    """The bounds of the parts: of a number of sections, or of the
    indices in an array, a list or a tuple."""
    if isinstance(indices_or_sections, (_types.Integer, _types.Boolean)):
        return lambda n, indices_or_sections, equal: _section_bounds(
            n, indices_or_sections, equal)
    if (isinstance(indices_or_sections, _types.Array)
            and indices_or_sections.ndim == 0):
        return lambda n, indices_or_sections, equal: _section_bounds(
            n, indices_or_sections[()], equal)
    return lambda n, indices_or_sections, equal: _index_bounds(
        n, indices_or_sections)


def _split_along(ary, indices_or_sections, axis, equal):
    """The parts along axis: split along the first axis of a view with
    axis first, each part turned back."""
    if axis is None:
        return _split(ary, indices_or_sections, equal)
    if ary.ndim == 0:
        raise np.exceptions.AxisError(
            f"axis {axis} is out of bounds for array of dimension 0")
    k = _axis_index(axis, ary.ndim)
    parts = _split(np.swapaxes(ary, 0, k), indices_or_sections, equal)
    return [np.swapaxes(p, 0, k) for p in parts]


def split(ary, indices_or_sections, axis=None):
    """A list of views of ary: equal sections along the axis (the first
    by default), or the parts between the indices (an array, a list or a
    tuple)."""
    return _split_along(ary, indices_or_sections, axis, True)


def array_split(ary, indices_or_sections, axis=None):
    """As np.split, the first n % sections sections one longer."""
    return _split_along(ary, indices_or_sections, axis, False)


def _sorted_flat(t):
    if t.ndim == 0:
        return np.full(1, t)
    return np.sort(t.ravel())


def _member(x, s):
    i = np.searchsorted(s, x)
    return i < len(s) and s[i] == x


def isin(element, test_elements, invert=False):
    """Whether each element of element is in test_elements, in
    element's shape."""
    s = _sorted_flat(test_elements)
    out = np.empty(element.shape, np.bool_)
    flat = out.ravel()
    i = 0
    for x in element.flat:
        flat[i] = _member(x, s) != invert
        i += 1
    return out


def in1d(ar1, ar2, invert=False):
    """np.isin of ar1 flattened."""
    return isin(ar1.ravel(), ar2, invert)


def isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Whether a and b are equal within atol + rtol * |b|, element by
    element (broadcast), by NumPy's formula; infinities are close only to
    themselves."""
    x = a * 1.0
    y = b * 1.0
    close = ((np.abs(x - y) <= atol + rtol * np.abs(y)) & np.isfinite(y)
             | (x == y))
    if equal_nan:
        return close | (np.isnan(x) & np.isnan(y))
    return close


def allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    if a.ndim == 0:
        if b.ndim == 0:
            return bool(isclose(a, b, rtol, atol, equal_nan))
    return isclose(a, b, rtol, atol, equal_nan).all()


def array_equal(a1, a2, equal_nan=False):
    """Whether a1 and a2 have one shape and equal elements (NaNs equal
    with equal_nan)."""
    if a1.ndim != a2.ndim:
        return False
    if a1.ndim == 0:
        return array_equal(a1.reshape(1), a2.reshape(1), equal_nan)
    for d in range(a1.ndim):
        if a1.shape[d] != a2.shape[d]:
            return False
    f1 = a1.ravel()
    f2 = a2.ravel()
    for i in range(len(f1)):
        x = f1[i]
        y = f2[i]
        if x != y and not (equal_nan and x != x and y != y):
            return False
    return True


FUNCTIONS = {"expand_dims": expand_dims, "squeeze": squeeze,
             "atleast_1d": atleast_1d, "atleast_2d": atleast_2d,
             "atleast_3d": atleast_3d, "repeat": repeat,
             "transpose": transpose,
             "swapaxes": swapaxes, "moveaxis": moveaxis, "append": append,
             "delete": delete, "split": split, "array_split": array_split,
             "isin": isin, "isclose": isclose, "allclose": allclose,
             "array_equal": array_equal}
if hasattr(np, "in1d"):             # removed in NumPy 2.4
    FUNCTIONS["in1d"] = in1d

METHODS = ("repeat", "squeeze", "swapaxes")

METHOD_IMPLS = {"transpose": array_transpose}

HELPERS = (where3, _element, _named_axis, in1d, _everywhere, _check_empty_tile, _permuted, _split_at, _section_bounds, _split_along,
           _index_bounds, _split, _sorted_flat, _member)
