"""pyjit: a just-in-time compiler for numerical Python, written in C.

    from pyjit import jit, njit

    @njit
    def add(a, b):
        return a + b

    add(1, 2)        # compiles add(int64, int64) and runs native code
"""
from . import errors
from .errors import (LoweringError, PyjitError, PyjitWarning,
                     SourceChangedError, TypingError, UnsupportedError,
                     UntypedAttributeError)
from . import _core
from . import _text  # noqa: F401 -- keeps exec'd sources from here on
from . import config
from . import types
from .types import (boolean, complex64, complex128, float32, float64, int8,
                    int16, int32, int64, none, uint8, uint16, uint32, uint64)
# Numba's short and C names of the types, importable from the top level as
# `from numba import bool_, f8, intp` is
from .types import (b1, bool_, byte, c8, c16, char, double, f4, f8, i1, i2,
                    i4, i8, int_, intc, intp, long_, longlong, short, size_t,
                    ssize_t, u1, u2, u4, u8, uchar, uint, uintc, uintp, ulong,
                    ulonglong, ushort, void)
from .decorators import jit, njit
from ._parallel import (get_num_threads, get_parallel_chunksize,
                        get_thread_id, parallel_chunksize, pndindex, prange,
                        set_num_threads, set_parallel_chunksize,
                        threading_layer)
from ._objmode_block import objmode
from ._literal_unroll import literal_unroll, literally

__version__ = "0.1.0"

# Imported on first use, so that `import pyjit` stays light.
_LAZY = {"vectorize": "_vectorize", "guvectorize": "_vectorize",
         "DUFunc": "_vectorize", "GUFunc": "_vectorize",
         "stencil": "_stencil", "cfunc": "_cfunc",
         "install_numba_alias": "_numba_alias", "jitclass": "_jitclass",
         "deferred_type": "_jitclass", "optional": "_jitclass"}


# Submodules reachable as attributes once pyjit is imported, as Numba's
# numba.typed and numba.experimental are.
_SUBMODULES = ("typed", "experimental", "extending", "runtime")


def __getattr__(name):
    if name in _SUBMODULES:
        import importlib
        return importlib.import_module(f".{name}", __name__)
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'pyjit' has no attribute {name!r}")
    import importlib
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


Dispatcher = _core.Dispatcher
typeof = _core.typeof

__all__ = [
    "jit", "njit", "cfunc", "vectorize", "guvectorize", "DUFunc", "GUFunc",
    "stencil", "objmode", "literal_unroll", "literally", "typeof", "types",
    "errors", "config", "Dispatcher", "PyjitError", "TypingError",
    "UnsupportedError", "LoweringError", "SourceChangedError", "PyjitWarning",
    "UntypedAttributeError", "pndindex", "prange", "set_num_threads", "get_num_threads",
    "get_thread_id", "threading_layer", "set_parallel_chunksize",
    "get_parallel_chunksize", "parallel_chunksize", "install_numba_alias",
    "jitclass",
    "deferred_type", "optional",
    "boolean", "int8",
    "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
    "float32", "float64", "complex64", "complex128", "none",
    "b1", "bool_", "byte", "c8", "c16", "char", "double", "f4", "f8", "i1",
    "i2", "i4", "i8", "int_", "intc", "intp", "long_", "longlong", "short",
    "size_t", "ssize_t", "u1", "u2", "u4", "u8", "uchar", "uint", "uintc",
    "uintp", "ulong", "ulonglong", "ushort", "void",
]
