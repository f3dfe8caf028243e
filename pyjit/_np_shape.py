"""NumPy's functions that join arrays, for nopython code: np.concatenate,
np.hstack, np.vstack, np.stack, np.column_stack.

They take a tuple or a list of arrays of one dimension (1 to 3 for
np.concatenate, 0 to 2 for the others: a 0-d array joins as NumPy's
np.atleast_1d or np.atleast_2d makes it) and make a new C array of the
dtype NumPy promotes theirs to (np.vstack((int32s, float32s)) is
float64): a tuple of arrays of different types is walked by
literal_unroll, one copy of the loop per array.  Arrays whose shapes do
not fit are NumPy's ValueError.
"""
import numpy as np

from . import errors
from . import types as _types
from ._core import _axis_index, _expect, _promoted_zero
from .extending import overload
from ._literal_unroll import literal_unroll


def _mismatch():
    raise ValueError("all the input array dimensions except for the "
                     "concatenation axis must match exactly")


def _check_dims(arrays, k):
    """The arrays' total length along dimension k; ValueError if their
    other dimensions differ."""
    first = arrays[0]
    total = 0
    for a in literal_unroll(arrays):
        if a.ndim != first.ndim:
            raise ValueError("all the input arrays must have same number "
                             "of dimensions")
        for d in range(first.ndim):
            if d != k and a.shape[d] != first.shape[d]:
                _mismatch()
        total += a.shape[k]
    return total


def _zero(arrays):
    """0 of the dtype NumPy promotes the arrays' dtypes to."""
    zero = _promoted_zero(arrays[0], arrays[0])
    for a in literal_unroll(arrays):
        zero = _promoted_zero(zero, a)
    return zero


def _elements(arrays):
    """The one elements of 0-d arrays as a 1-d array, in the dtype NumPy
    promotes theirs to: what np.hstack, np.vstack, np.stack and
    np.column_stack join, each 0-d array made 1-d or 2-d first."""
    out = np.full(len(arrays), _zero(arrays))
    i = 0
    for a in literal_unroll(arrays):
        if a.ndim != 0:
            raise ValueError("all the input arrays must have same number "
                             "of dimensions")
        out[i] = a[()]
        i += 1
    return out


def concatenate(arrays, axis=0):
    _expect(arrays, "arrays")
    _same_ndim(arrays)
    return _concatenate(arrays, arrays[0], axis)


def _same_ndim(arrays):
    pass


@overload(_same_ndim)
def _same_ndim_typer(arrays):
    """Arrays of different dimensions are NumPy's ValueError when it runs;
    here they are known as the call compiles: a TypingError saying so."""
    types = getattr(arrays, "types", None) or ()
    ndims = {t.ndim for t in types if isinstance(t, _types.Array)}
    if len(ndims) > 1:
        raise errors.TypingError(
            "all the input arrays must have the same number of dimensions, "
            f"not {', '.join(str(t.ndim) for t in types)}")
    return lambda arrays: None


def _concatenate(arrays, first, axis):
    """np.concatenate of arrays, whose first is first (a parameter, so
    that its ndim decides the branches when this compiles)."""
    if first.ndim == 0:
        raise ValueError("zero-dimensional arrays cannot be concatenated")
    k = _axis_index(axis, first.ndim)
    total = _check_dims(arrays, k)
    pos = 0
    zero = _zero(arrays)
    if first.ndim == 1:
        out = np.full(total, zero)
        for a in literal_unroll(arrays):
            out[pos:pos + len(a)] = a
            pos += len(a)
    elif first.ndim == 2:
        n0, n1 = first.shape
        out = np.full((total, n1) if k == 0 else (n0, total), zero)
        for a in literal_unroll(arrays):
            n = a.shape[k]
            if k == 0:
                out[pos:pos + n, :] = a
            else:
                out[:, pos:pos + n] = a
            pos += n
    else:
        n0, n1, n2 = first.shape
        shape = ((total, n1, n2) if k == 0 else (n0, total, n2) if k == 1
                 else (n0, n1, total))
        out = np.full(shape, zero)
        for a in literal_unroll(arrays):
            n = a.shape[k]
            if k == 0:
                out[pos:pos + n, :, :] = a
            elif k == 1:
                out[:, pos:pos + n, :] = a
            else:
                out[:, :, pos:pos + n] = a
            pos += n
    return out


def hstack(arrays):
    """Joined along the columns (along the only axis of 1-d arrays)."""
    _expect(arrays, "arrays")
    if arrays[0].ndim == 0:
        return _elements(arrays)
    if arrays[0].ndim == 1:
        return concatenate(arrays, 0)
    return concatenate(arrays, 1)


def stack(arrays, axis=0):
    """Arrays of one shape joined along a new axis: 1-d ones as the rows
    (axis=0) or the columns (axis=1 or -1) of a 2-d array, 2-d ones as
    the planes of a 3-d array."""
    _expect(arrays, "arrays")
    return _stack(arrays, arrays[0], axis)


def _stack(arrays, first, axis):
    """np.stack of arrays, whose first is first (its ndim decides the
    branches when this compiles)."""
    k = _axis_index(axis, first.ndim + 1)
    if first.ndim == 0:
        return _elements(arrays)
    if first.ndim == 1:
        return _stack_1d(arrays, first, k)
    if first.ndim == 2:
        return _stack_2d(arrays, first, k)
    raise ValueError("np.stack takes arrays of 0 to 2 dimensions")


def _same_shape(a, first):
    if a.ndim != first.ndim or a.shape != first.shape:
        raise ValueError("all input arrays must have the same shape")


def _stack_1d(arrays, first, k):
    n = len(first)
    m = len(arrays)
    out = np.full((m, n) if k == 0 else (n, m), _zero(arrays))
    i = 0
    for a in literal_unroll(arrays):
        _same_shape(a, first)
        if k == 0:
            out[i, :] = a
        else:
            out[:, i] = a
        i += 1
    return out


def _stack_2d(arrays, first, k):
    n0, n1 = first.shape
    m = len(arrays)
    shape = ((m, n0, n1) if k == 0 else (n0, m, n1) if k == 1
             else (n0, n1, m))
    out = np.full(shape, _zero(arrays))
    i = 0
    for a in literal_unroll(arrays):
        _same_shape(a, first)
        if k == 0:
            out[i, :, :] = a
        elif k == 1:
            out[:, i, :] = a
        else:
            out[:, :, i] = a
        i += 1
    return out


def _join_1d_or_2d(arrays, axis):
    """1-d arrays of one length stacked along axis (rows: 0, columns: 1);
    2-d ones concatenated along it; 0-d ones as 1-d ones of an element."""
    if arrays[0].ndim == 0:
        row = _elements(arrays)
        n = len(row)
        return row.reshape(n, 1) if axis == 0 else row.reshape(1, n)
    if arrays[0].ndim == 1:
        first = arrays[0]
        for a in literal_unroll(arrays):
            if a.ndim != 1 or len(a) != len(first):
                _mismatch()
        return stack(arrays, axis)
    return concatenate(arrays, axis)


def vstack(arrays):
    """1-d arrays as rows; 2-d arrays joined along their rows."""
    _expect(arrays, "arrays")
    return _join_1d_or_2d(arrays, 0)


def column_stack(arrays):
    """1-d arrays as the columns of a 2-d array; 2-d ones joined along
    their columns."""
    _expect(arrays, "arrays")
    return _join_1d_or_2d(arrays, 1)


FUNCTIONS = {"concatenate": concatenate, "hstack": hstack, "vstack": vstack,
             "stack": stack, "column_stack": column_stack}

METHODS = ()

HELPERS = (_check_dims, _mismatch, _join_1d_or_2d, _zero, _elements,
           _concatenate, _stack, _stack_1d, _stack_2d, _same_shape)
