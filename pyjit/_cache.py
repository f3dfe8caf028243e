"""cache=True: where compiled specializations are kept, and when they are
stale.

One file per specialization, next to the source in `__pycache__` (or
under $PYJIT_CACHE_DIR, or the user's cache directory when `__pycache__`
cannot be written), named after the file, the function and its first line
and a hash of the signature and the options that change the code:

    __pycache__/kernels.mandel-12.3f0c9a1b2c3d4e5f.py311.pjc

A record is used only if it was compiled from the same source file (same
modification time and size, as Numba checks), by the same pyjit, Python
and LLVM, for the same CPU and its features.  As in Numba, what the
function reads from other files (the source of the functions it calls,
the values of globals, frozen at compile time) is not part of the check.

The record holds the object file, the native name it was compiled under,
the return type, the optimized LLVM IR and bitcode (inspect_llvm, and
callers that inline it) and the inspect_types text; csrc/cache.c turns it
back into a specialization.
"""
import hashlib
import os
import pickle
import sys
import tempfile
import warnings

from . import _core
from .errors import PyjitWarning

_FORMAT = 1
_SUFFIX = f".py{sys.version_info[0]}{sys.version_info[1]}.pjc"
_CODE_OPTIONS = ("nogil", "fastmath", "boundscheck", "error_model")


class _NotCacheable(Exception):
    pass


# --- types as plain data ---

def _basic_names():
    return {t: name for name, t in _core.basic_types.items()}


def _dump_type(t, basic=None):
    basic = basic or _basic_names()
    if t in basic:
        return ("b", basic[t])
    name = str(t)
    if name.startswith("UniTuple("):
        return ("u", _dump_type(t.dtype, basic), t.count)
    if name.startswith("Tuple("):
        return ("t", tuple(_dump_type(x, basic) for x in t.types))
    if name.startswith("OptionalType("):
        return ("o", _dump_type(t.dtype, basic))
    if "array(" in name:
        return ("a", _dump_type(t.dtype, basic), t.ndim, t.layout,
                not t.mutable)
    raise _NotCacheable(name)


def _load_type(data):
    kind = data[0]
    if kind == "b":
        return _core.basic_types[data[1]]
    if kind == "u":
        return _core.unituple(_load_type(data[1]), data[2])
    if kind == "t":
        return _core.tuple_of([_load_type(x) for x in data[1]])
    if kind == "o":
        return _core.optional(_load_type(data[1]))
    if kind == "a":
        return _core.array_type(_load_type(data[1]), data[2], data[3],
                                data[4])
    raise _NotCacheable(repr(data))


# --- where ---

def _writable_dir(path):
    try:
        os.makedirs(path, exist_ok=True)
    except OSError:
        return False
    return os.access(path, os.W_OK)


def _directory(source):
    src_dir = os.path.dirname(os.path.abspath(source))
    tag = hashlib.sha1(src_dir.encode()).hexdigest()[:12]
    root = os.environ.get("PYJIT_CACHE_DIR")
    if root:
        return os.path.join(root, tag)
    local = os.path.join(src_dir, "__pycache__")
    if _writable_dir(local):
        return local
    home = os.environ.get("XDG_CACHE_HOME") or \
        os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(home, "pyjit", tag)


def _stamp(source):
    st = os.stat(source)
    return st.st_mtime_ns, st.st_size


def _location(dispatcher):
    """(directory, file name prefix, source file), or None when the
    function has no source file to key the cache on."""
    func = dispatcher.py_func
    source = func.__code__.co_filename
    if not os.path.isfile(source):
        return None
    directory = _directory(source)
    dispatcher._cache_dir = directory
    stem = os.path.splitext(os.path.basename(source))[0]
    qualname = "".join(c if c.isalnum() or c in "._" else "_"
                       for c in func.__qualname__)
    return directory, f"{stem}.{qualname}-{func.__code__.co_firstlineno}", \
        source


def _record_path(dispatcher, sig, declared):
    where = _location(dispatcher)
    if where is None:
        return None, None
    directory, prefix, source = where
    basic = _basic_names()
    opts = dispatcher.targetoptions
    key = repr((tuple(_dump_type(t, basic) for t in sig),
                None if declared is None else _dump_type(declared, basic),
                tuple(_option_key(opts[k]) for k in _CODE_OPTIONS)))
    digest = hashlib.sha1(key.encode()).hexdigest()[:16]
    return os.path.join(directory, f"{prefix}.{digest}{_SUFFIX}"), source


def _option_key(value):
    """An option as the same text in every process (a set of fastmath flags
    prints in an order that varies from process to process)."""
    return tuple(sorted(value)) if isinstance(value, frozenset) else value


def _environment():
    from . import __version__
    return (_FORMAT, __version__, tuple(sys.version_info[:2]),
            _core.host_info())


# --- load and save ---

def load(dispatcher, sig, declared):
    """The record of this specialization, as csrc/cache.c reads it, or
    None on a miss."""
    try:
        path, source = _record_path(dispatcher, sig, declared)
    except _NotCacheable:
        return None
    if path is None or not os.path.exists(path):
        return None
    try:
        with open(path, "rb") as f:
            rec = pickle.load(f)
        if rec["environment"] != _environment() \
                or rec["stamp"] != _stamp(source):
            return None             # stale: the next save replaces it
        return (rec["native_name"], _load_type(rec["restype"]),
                rec["can_raise"], rec["object"], rec["llvm_ir"],
                rec["bitcode"], rec["annotation"])
    except (OSError, EOFError, KeyError, TypeError, ValueError,
            pickle.UnpicklingError, _NotCacheable):
        return None                 # unreadable: compile again


def save(dispatcher, sig, declared, native_name, restype, can_raise, obj,
         llvm_ir, bitcode, annotation):
    """Stores a fresh specialization; a cache that cannot be written is a
    warning, not an error."""
    try:
        path, source = _record_path(dispatcher, sig, declared)
        if path is None:
            return
        rec = {
            "environment": _environment(), "stamp": _stamp(source),
            "native_name": native_name, "restype": _dump_type(restype),
            "can_raise": can_raise, "object": obj, "llvm_ir": llvm_ir,
            "bitcode": bitcode, "annotation": annotation,
        }
    except _NotCacheable:
        return                      # a type the cache cannot spell
    except OSError:
        return                      # the source file went away
    directory = os.path.dirname(path)
    try:
        os.makedirs(directory, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump(rec, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)   # readers see a whole file or none
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError as e:
        warnings.warn(f"pyjit cannot cache {dispatcher.py_func.__qualname__}"
                      f" in {directory}: {e}", PyjitWarning, stacklevel=3)
