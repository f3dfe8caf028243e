"""Structured dtypes as plain data, for cache=True records (pyjit/_cache.py).

A record type (csrc/record.c) stands for its dtype; a cached specialization
keeps the dtype of a record it returns as names, formats, offsets, itemsize and
alignment (marshal's types only), and the type is made again from the dtype.
"""
import numpy as np

from . import _core


def dtype_spec(dtype):
    """The layout of a structured dtype as nested tuples of str and int."""
    fields = []
    for name in dtype.names:
        fd, offset = dtype.fields[name][:2]
        fmt = ("r", dtype_spec(fd)) if fd.names is not None else ("s", fd.str)
        fields.append((name, fmt, offset))
    return (tuple(fields), dtype.itemsize, dtype.isalignedstruct)


def spec_dtype(spec):
    """The dtype dtype_spec described."""
    fields, itemsize, aligned = spec
    return np.dtype({
        "names": [f[0] for f in fields],
        "formats": [spec_dtype(f[1][1]) if f[1][0] == "r" else f[1][1]
                    for f in fields],
        "offsets": [f[2] for f in fields],
        "itemsize": itemsize,
    }, align=aligned)


def record_type(spec):
    """The record type of the dtype dtype_spec described."""
    return _core.typeof(np.zeros(1, spec_dtype(spec))[0])
