"""@cfunc: a jitted function callable from C, as Numba's ``numba.cfunc``.

    @cfunc("float64(float64)")
    def f(x):
        return x * x

    f.address       # the C function's address
    f.ctypes        # a ctypes function of it
    scipy.integrate.quad(scipy.LowLevelCallable(f.ctypes), 0, 1)

The function compiles at once, for its one signature, as ``njit`` with
that signature; csrc/functions.c builds its C entry.  The C entry takes and
returns numbers as C does; an exception the function raises cannot cross
C code, so it is written to stderr as an unraisable exception and the
call returns zero.
"""
import ctypes

from . import _core
from . import types as _types
from .decorators import _parse_signature, njit

_CTYPES = {
    "int32": ctypes.c_int32, "int64": ctypes.c_int64,
    "uint32": ctypes.c_uint32, "uint64": ctypes.c_uint64,
    "float32": ctypes.c_float, "float64": ctypes.c_double,
}


class CFunc:
    """A compiled function with a C entry: ``address``, ``ctypes``,
    ``native_name``; calling it from Python calls the C entry."""

    def __init__(self, py_func, sig, options):
        argtypes, restype = _parse_signature(sig)
        if restype is None:
            raise TypeError(f"cfunc needs a return type in its signature: "
                            f"{sig!r} has none (write 'float64(float64)')")
        self._dispatcher = njit(restype(*argtypes), **options)(py_func)
        self._argtypes = tuple(argtypes)
        self.__wrapped__ = py_func
        self.__name__ = py_func.__name__
        self.__qualname__ = py_func.__qualname__
        self.__doc__ = py_func.__doc__
        address, self.native_name = _core.cfunc_entry(self._dispatcher,
                                                       self._argtypes)
        self.address = address
        self._signature = restype(*argtypes)
        self._function_type = self._signature.as_type()
        self.ctypes = ctypes.CFUNCTYPE(
            _CTYPES[str(restype)], *[_CTYPES[str(t)] for t in argtypes])(
                address)

    @property
    def py_func(self):
        return self.__wrapped__

    @property
    def signature(self):
        return self._signature

    @property
    def overloads(self):
        return self._dispatcher.overloads

    def inspect_llvm(self):
        return self._dispatcher.inspect_llvm(self._argtypes)

    def __call__(self, *args):
        return self.ctypes(*args)

    def __repr__(self):
        return f"<pyjit.CFunc {self.__qualname__} {self._signature}>"


def cfunc(sig, **options):
    """Compiles the decorated function for the signature `sig` (a string
    such as "float64(float64)" or a pyjit signature) and gives it a C
    entry: a CFunc."""
    if callable(sig) and not isinstance(sig, (_types.Type, _types.Signature)):
        raise TypeError("cfunc takes a signature: @cfunc('float64(float64)')")

    def wrap(py_func):
        return CFunc(py_func, sig, options)

    return wrap
