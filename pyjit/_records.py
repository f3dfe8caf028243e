"""Structured dtypes as plain data, for cache=True records (pyjit/_cache.py).

A record type (csrc/record.c) stands for its dtype; a cached specialization
keeps the dtype of a record it returns as names, formats, offsets, itemsize and
alignment (marshal's types only), and the type is made again from the dtype.
"""
import numpy as np

from . import _core


def _field_spec(fd):
    if fd.subdtype is not None:
        base, shape = fd.subdtype
        return ("a", _field_spec(base), tuple(shape))
    if fd.names is not None:
        return ("r", dtype_spec(fd))
    return ("s", fd.str)


def _field_dtype(spec):
    if spec[0] == "a":
        return np.dtype((_field_dtype(spec[1]), spec[2]))
    return spec_dtype(spec[1]) if spec[0] == "r" else np.dtype(spec[1])


def dtype_spec(dtype):
    """The layout of a structured dtype as nested tuples of str and int:
    each field a number or string ("s", its dtype's str), a record ("r",
    its layout) or a sub-array ("a", its element's, its shape)."""
    fields = []
    for name in dtype.names:
        fd, offset = dtype.fields[name][:2]
        fields.append((name, _field_spec(fd), offset))
    return (tuple(fields), dtype.itemsize, dtype.isalignedstruct)


def spec_dtype(spec):
    """The dtype dtype_spec described."""
    fields, itemsize, aligned = spec
    return np.dtype({
        "names": [f[0] for f in fields],
        "formats": [_field_dtype(f[1]) for f in fields],
        "offsets": [f[2] for f in fields],
        "itemsize": itemsize,
    }, align=aligned)


def record_type(spec):
    """The record type of the dtype dtype_spec described."""
    return _core.typeof(np.zeros(1, spec_dtype(spec))[0])
