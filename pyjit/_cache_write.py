"""cache=True: storing a fresh specialization's record (pyjit/_cache.py
says where it goes and what its key holds), and dropping the records it
makes stale.

Storing removes the function's records whose own digest differs (compiled
from other text of the function, or by another pyjit, LLVM or CPU) and
keeps at most _VARIANTS records per function and signature (the closures
of one factory, globals that changed, callees that changed), dropping the
least recently written: stale records are replaced, not accumulated.  A
notebook's functions share one directory across notebooks, where another
notebook's `f` is not stale, so there only the bound holds.

A file is written whole under a temporary name and renamed into place, so
a process that reads it sees the old record or the new one.
"""
import _thread
import marshal
import os
import warnings

from ._cache import _SUFFIX, _NotCacheable, _dump_type, _record
from .errors import PyjitWarning

_VARIANTS = 8


def save(dispatcher, sig, declared, native_name, restype, can_raise, obj,
         llvm_ir, bitcode, annotation):
    """Stores a fresh specialization and drops the records it makes stale;
    a cache that cannot be written is a warning, not an error."""
    try:
        where = _record(dispatcher, sig, declared)
        if where is None:
            return
        data = marshal.dumps({
            "key": where[1], "native_name": native_name,
            "restype": _dump_type(restype), "can_raise": bool(can_raise),
            "object": obj, "llvm_ir": llvm_ir, "bitcode": bitcode,
            "annotation": annotation,
        })
    except _NotCacheable:
        return                      # a type or a source the cache cannot key
    path, _, cell = where
    directory = os.path.dirname(path)
    try:
        os.makedirs(directory, exist_ok=True)
        _write(path, data)
        _drop_stale(directory, os.path.basename(path), cell)
    except OSError as e:
        warnings.warn(f"pyjit cannot cache {dispatcher.py_func.__qualname__}"
                      f" in {directory}: {e}", PyjitWarning, stacklevel=3)


def _write(path, data):
    tmp = f"{path}.{os.getpid()}-{_thread.get_ident()}.tmp"
    try:
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _parts(name):
    """(function prefix, signature, own digest) of a record's file name,
    or None for another file."""
    if not name.endswith(_SUFFIX):
        return None
    head, _, digests = name[:-len(_SUFFIX)].rpartition(".")
    prefix, _, signature = head.rpartition(".")
    own, dash, reads = digests.partition("-")
    if len(signature) != 8 or len(own) != 8 or len(reads) != 8 or not dash:
        return None
    return prefix, signature, own


def _drop_stale(directory, name, cell):
    """Removes the records the one just written makes stale."""
    prefix, signature, own = _parts(name)
    variants = []
    for other in os.listdir(directory):
        parts = _parts(other)
        if other == name or parts is None or parts[0] != prefix:
            continue
        path = os.path.join(directory, other)
        try:
            if parts[2] != own and not cell:
                os.unlink(path)
            elif parts[1] == signature:
                variants.append((os.stat(path).st_mtime_ns, path))
        except FileNotFoundError:
            pass                    # another process dropped it first
    variants.sort(reverse=True)
    for _, path in variants[_VARIANTS - 1:]:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
