"""`import numba` answered by pyjit: pyjit.install_numba_alias().

A finder on sys.meta_path serves `numba` and its submodules
(`numba.typed`, `numba.types`, `numba.core.types`, `numba.extending`,
`numba.core.errors`, `numba.experimental`, `numba.np.numpy_support`...)
from pyjit's own objects, so a program written for Numba runs unchanged:
`from numba import njit, prange` gets pyjit's.  `numba.jit` keeps
Numba's meaning (nopython unless `forceobj=True` or `nopython=False`).
A name Numba has and pyjit does not is an ImportError (`from numba import
x`) or an AttributeError (`numba.x`) that says so and names the closest
thing pyjit has; nothing is a silent stand-in.
"""
import dis
import importlib
import importlib.abc
import importlib.machinery
import os
import sys
import types as _pytypes

import numpy as np

VERSION = "0.68.0"

# Names Numba has that pyjit does not, with what to use instead.
_HINTS = {
    "generated_jit": "@njit with `if isinstance(x, types...)` decided when "
                     "the function compiles, or pyjit.extending.overload",
    "carray": "np.frombuffer outside compiled code",
    "farray": "np.frombuffer outside compiled code",
    "cuda": "the CPU: pyjit has no GPU target",
    "pycc": "cache=True (ahead-of-time compilation is not offered)",
    "gdb": "debug=True and a debugger on the process",
    "gdb_init": "debug=True and a debugger on the process",
    "gdb_breakpoint": "debug=True and a debugger on the process",
    "NPDatetime": "int64 values",
    "NPTimedelta": "int64 values",
    "Record": "arrays of numbers",
    "unsafe": "pyjit's public API",
    "imputils": "pyjit.extending.overload (pyjit exposes no LLVM objects)",
}


def _importing_from():
    """Whether the attribute is being looked up by `from m import name`
    (the caller's current instruction), which deserves an ImportError."""
    frame = sys._getframe(3)
    code = frame.f_code.co_code
    return 0 <= frame.f_lasti < len(code) and \
        code[frame.f_lasti] == dis.opmap["IMPORT_FROM"]


def _missing(module, name):
    hint = _HINTS.get(name)
    what = f"{module}.{name}"
    msg = (f"{what} is not available: numba here is pyjit "
           f"(pyjit.install_numba_alias), which has no {name}"
           + (f"; use {hint}" if hint else ""))
    if _importing_from():
        return ImportError(msg, name=name)
    return AttributeError(msg)


class AliasModule(_pytypes.ModuleType):
    """A numba module: its own names, then those of the pyjit modules it
    stands for, then an error naming what pyjit has instead."""

    def __init__(self, name, own=None, sources=()):
        super().__init__(name)
        self.__dict__.update(own or {})
        self.__path__ = []
        object.__setattr__(self, "_sources", tuple(sources))

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        for source in self._sources:
            mod = importlib.import_module(source)
            if hasattr(mod, name):
                return getattr(mod, name)
        raise _missing(self.__name__, name)


def _jit(*args, **options):
    """numba.jit: nopython unless object mode is asked for (Numba 0.59
    and later)."""
    import pyjit
    if not options.get("forceobj") and options.get("nopython") is not False:
        options["nopython"] = True
    return pyjit.jit(*args, **options)


def _jit_module(**options):
    """numba.jit_module: replace each function the calling module defines
    (not those it imports) and has defined so far by numba.jit(**options)
    of it."""
    module_globals = sys._getframe(1).f_globals
    name = module_globals.get("__name__")
    for key, obj in list(module_globals.items()):
        if isinstance(obj, _pytypes.FunctionType) and \
                obj.__module__ == name:
            module_globals[key] = _jit(obj, **options)


def _from_dtype(dtype):
    """numba.np.numpy_support.from_dtype: the pyjit type of dtype's
    scalars."""
    import pyjit
    return pyjit.typeof(np.empty(0, dtype)).dtype


def _as_dtype(t):
    """numba.np.numpy_support.as_dtype: the NumPy dtype of the type of an
    array's elements (a number, bool, datetime64/timedelta64, fixed-width
    string, record or enum member); NumbaNotImplementedError for any other
    type, as in Numba."""
    from ._cache import _charseq_dtype
    from .errors import NumbaNotImplementedError
    kind = getattr(t, "kind", None)
    if kind == "CHARSEQ":
        return _charseq_dtype(t)
    if kind == "RECORD":
        return t.key[2]
    if kind == "ENUM_MEMBER":
        return _as_dtype(t.types[0])
    if kind in ("INT", "UINT", "FLOAT", "COMPLEX", "BOOL", "DATETIME",
                "TIMEDELTA"):
        return np.dtype(str(t).replace("boolean", "bool"))
    raise NumbaNotImplementedError(
        f"{t!r} cannot be represented as a NumPy dtype")


class _Config(AliasModule):
    """numba.config: NUMBA_X and X read pyjit.config.X."""

    def __getattr__(self, name):
        from . import config
        key = name[len("NUMBA_"):] if name.startswith("NUMBA_") else name
        if hasattr(config, key):
            return getattr(config, key)
        raise _missing(self.__name__, name)


def _types_own():
    own = {"bool": "boolean", "double": "float64", "int_": "int64",
           "uint": "uint64", "float": "float64"}
    from . import _structref, types
    names = {k: getattr(types, v) for k, v in own.items()}
    names.update(StructRef=_structref.StructRef)
    return names


class JitClassModule(AliasModule):
    """numba.experimental.jitclass, a package in Numba (its .base holds
    JitClassType) whose name the package's jitclass decorator also has:
    importing numba.experimental.jitclass.base makes the package the
    attribute of numba.experimental, so the package decorates as the
    function does."""

    def __call__(self, *args, **kwargs):
        return self.jitclass(*args, **kwargs)


class _JitClassTypeMeta(type):
    def __instancecheck__(cls, obj):
        return isinstance(obj, type) and hasattr(obj, "_pj_ctor")


class JitClassType(type, metaclass=_JitClassTypeMeta):
    """Numba's metaclass of jitclass classes (numba.experimental.jitclass.
    base.JitClassType): a jitclass of pyjit is an instance of it."""


def _jitclass_own():
    from .experimental import jitclass
    return {"jitclass": jitclass}


def _typed():
    """pyjit.typed, which Numba's numba.typed.typeddict and typedlist
    modules stand for (their Dict and List)."""
    import pyjit.typed
    return pyjit.typed


def _structref_own():
    from . import _structref
    return {k: v for k, v in vars(_structref).items()
            if not k.startswith("_")}


def _top_level():
    # Numba's import loads importlib.metadata, and programs use it after
    # `import numba` without importing it (pymatting's `importlib.metadata
    # .version(...)` after `import importlib`).
    import importlib.metadata  # noqa: F401

    import pyjit
    from . import types
    own = {name: getattr(types, name) for name in types.__all__}
    own.update({
        "jit": _jit, "jit_module": _jit_module, "__version__": VERSION,
        "version_info": _pytypes.SimpleNamespace(
            major=0, minor=68, patch=0, short=(0, 68), full=(0, 68, 0)),
        "from_dtype": _from_dtype, "optional": types.Optional,
        "bool": types.boolean,
        "NumbaWarning": pyjit.errors.NumbaWarning,
        "__pyjit__": True,
    })
    return own


def _cgutils_own():
    """numba.core.cgutils: the helpers of intrinsics' codegen (an
    ImportError saying so when llvmlite is not installed)."""
    from . import _cgutils
    return {k: v for k, v in vars(_cgutils).items() if not k.startswith("_")}


def _signature(return_type, *args):
    """numba.core.typing.signature: return_type(*args)."""
    return return_type(*args)


def _typing_own():
    from . import types
    return {"signature": _signature, "Signature": types.Signature}


class _IndexDataCacheFile:
    """numba.core.caching.IndexDataCacheFile, Numba's pair of index and
    data files, which programs subclass to change how Numba's cache writes.
    pyjit's cache (pyjit/_cache.py) writes its records its own way and
    never uses such an object: a subclass imports and is left unused."""

    def __init__(self, cache_path, filename_base, source_stamp):
        self._cache_path = cache_path
        self._index_name = f"{filename_base}.nbi"
        self._source_stamp = source_stamp


class _NullCache:
    """numba.core.caching.NullCache: Numba's cache that keeps nothing."""

    def load_overload(self, *args, **kwargs):
        return None

    def save_overload(self, *args, **kwargs):
        pass

    def enable(self):
        pass

    def disable(self):
        pass

    def flush(self):
        pass


def _caching_own():
    return {"IndexDataCacheFile": _IndexDataCacheFile,
            "NullCache": _NullCache}


def _cuda_own(part="own"):
    from . import _numba_cuda
    return getattr(_numba_cuda, part)()


class _LAPACK:
    """numba.np.linalg._LAPACK: Numba's internal LAPACK wrappers, which
    take arrays as `a.ctypes`.  `_LAPACK().numba_xgesv(dtype)` is a
    compiled function (pyjit/_numba_lapack.py has the ones pyjit
    provides); asking for another says pyjit does not have it."""

    def __getattr__(self, name):
        if not name.startswith("numba_"):
            raise AttributeError(name)
        from . import _numba_lapack

        def routine(dtype):
            if name in _numba_lapack.ROUTINES:
                return _numba_lapack.ROUTINES[name]
            from .errors import TypingError
            raise TypingError(
                f"numba.np.linalg._LAPACK().{name} is one of Numba's "
                "internal LAPACK wrappers that pyjit does not have "
                f"(it has {', '.join(_numba_lapack.ROUTINES)}): use "
                "np.linalg (solve, inv, lstsq...) in compiled code")
        return routine


def _dispatcher_classes():
    from . import Dispatcher
    return {"Dispatcher": Dispatcher, "CPUDispatcher": Dispatcher}


# The files Numba's types package is made of.
_TYPES_PARTS = ("abstract", "common", "containers", "function_type",
                "functions", "iterators", "misc", "npytypes", "scalars")


def _modules():
    """name -> (own names, pyjit modules to look names up in)."""
    numpy_support = {"from_dtype": _from_dtype, "as_dtype": _as_dtype,
                     "numpy_version": tuple(
                         int(p) for p in np.__version__.split(".")[:2])}
    return {
        "numba": (_top_level, ("pyjit", "pyjit.extending", "pyjit.errors")),
        "numba.types": (_types_own, ("pyjit.types",)),
        "numba.core": (dict, ()),
        "numba.core.types": (_types_own, ("pyjit.types",)),
        # the files numba.core.types is made of, which programs import
        # names from (`from numba.core.types.misc import NoneType`) or
        # reach as attributes (numba.core.types.npytypes.Array)
        **{f"{package}.{part}": (_types_own, ("pyjit.types",))
           for package in ("numba.types", "numba.core.types")
           for part in _TYPES_PARTS},
        "numba.typed": (dict, ("pyjit.typed",)),
        "numba.extending": (dict, ("pyjit.extending",)),
        "numba.core.extending": (dict, ("pyjit.extending",)),
        "numba.errors": (dict, ("pyjit.errors",)),
        "numba.core.errors": (dict, ("pyjit.errors",)),
        "numba.core.cgutils": (_cgutils_own, ()),
        "numba.core.caching": (_caching_own, ()),
        "numba.cgutils": (_cgutils_own, ()),
        "numba.core.typing": (_typing_own, ()),
        "numba.core.runtime": (dict, ("pyjit.runtime",)),
        "numba.experimental": (dict, ("pyjit.experimental",)),
        "numba.experimental.structref": (_structref_own, ()),
        "numba.experimental.jitclass": (_jitclass_own, ()),
        "numba.experimental.jitclass.base": (
            lambda: {"JitClassType": JitClassType}, ()),
        "numba.typed.typeddict": (lambda: {"Dict": _typed().Dict}, ()),
        "numba.typed.typedlist": (lambda: {"List": _typed().List}, ()),
        "numba.np": (dict, ()),
        "numba.cuda": (_cuda_own, ()),
        "numba.cuda.cudadrv": (dict, ()),
        "numba.cuda.cudadrv.error": (
            lambda: _cuda_own("own_cudadrv_error"), ()),
        "numba.cuda.cudadrv.devices": (
            lambda: _cuda_own("own_cudadrv_devices"), ()),
        "numba.np.numpy_support": (lambda: numpy_support, ()),
        "numba.np.linalg": (lambda: {"_LAPACK": _LAPACK}, ()),
        # the dispatcher class, which programs test jitted functions
        # against (`isinstance(f, CPUDispatcher)`)
        "numba.core.dispatcher": (_dispatcher_classes, ()),
        "numba.core.registry": (_dispatcher_classes, ()),
        "numba.core.target_extension": (_dispatcher_classes, ()),
        "numba.np.ufunc": (dict, ("pyjit._vectorize",)),
        "numba.np.ufunc.gufunc": (dict, ("pyjit._vectorize",)),
        "numba.np.ufunc.dufunc": (dict, ("pyjit._vectorize",)),
        # the threading layers, importable as Numba's pool modules are
        # when that layer is there: pyjit's is LLVM's OpenMP
        "numba.np.ufunc.omppool": (dict, ()),
    }


_CONFIG = ("numba.config", "numba.core.config")

# Numba's numba.__all__: what `from numba import *` brings (not its
# submodules: a script's own `np` stays NumPy).
_NUMBA_ALL = (
    "ByteCodeSupportError CompilerError ConstantInferenceError "
    "DeprecationError ForbiddenConstruct ForceLiteralArg IRError "
    "InternalError InternalTargetMismatchError LiteralTypingError "
    "LoweringError NonexistentTargetError NotDefinedError "
    "NumbaAssertionError NumbaAttributeError NumbaDebugInfoWarning "
    "NumbaDeprecationWarning NumbaError NumbaExperimentalFeatureWarning "
    "NumbaIRAssumptionWarning NumbaIndexError NumbaInvalidConfigWarning "
    "NumbaKeyError NumbaNotImplementedError NumbaParallelSafetyWarning "
    "NumbaPedanticWarning NumbaPendingDeprecationWarning "
    "NumbaPerformanceWarning NumbaRuntimeError NumbaSystemWarning "
    "NumbaTypeError NumbaTypeSafetyWarning NumbaValueError NumbaWarning "
    "RedefinedError RequireLiteralValue TypingError UnsupportedBytecodeError "
    "UnsupportedError UnsupportedParforsError UnsupportedRewriteError "
    "UntypedAttributeError VerificationError b1 bool bool_ boolean byte c16 "
    "c8 cfunc char complex128 complex64 deferred_type double experimental f4 "
    "f8 ffi ffi_forced_object float32 float64 from_dtype gdb gdb_breakpoint "
    "gdb_init get_num_threads get_parallel_chunksize guvectorize i1 i2 i4 i8 "
    "int16 int32 int64 int8 int_ intc intp jit jit_module literal_unroll "
    "long_ longlong njit none objmode optional parallel_chunksize prange "
    "set_num_threads set_parallel_chunksize short size_t ssize_t stencil "
    "typeof u1 u2 u4 u8 uchar uint uint16 uint32 uint64 uint8 uintc uintp "
    "ulong ulonglong ushort vectorize void").split()


def _star_names(module):
    """The names of Numba's __all__ that pyjit has."""
    names = []
    for name in _NUMBA_ALL:
        try:
            getattr(module, name)
        except Exception:
            continue
        names.append(name)
    return names


class Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Serves numba.* from pyjit; an unknown submodule is an ImportError
    that names it."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname != "numba" and not fullname.startswith("numba."):
            return None
        if fullname not in _modules() and fullname not in _CONFIG:
            parent, _, child = fullname.rpartition(".")
            raise ImportError(
                f"No module named {fullname!r} under pyjit's numba alias "
                f"(pyjit.install_numba_alias): pyjit has no {fullname}"
                + (f"; use {_HINTS[child]}" if child in _HINTS else ""),
                name=fullname)
        return importlib.machinery.ModuleSpec(fullname, self,
                                              is_package=True)

    def create_module(self, spec):
        if spec.name in _CONFIG:
            # Numba's choice of threading layer, which programs read and
            # set; pyjit's parallel code runs on its own threads
            return _Config(spec.name, {
                "THREADING_LAYER": "default",
                "THREADING_LAYER_PRIORITY": ["tbb", "omp", "workqueue"]})
        own, sources = _modules()[spec.name]
        sources = tuple(s for s in sources if _importable(s))
        kind = (JitClassModule if spec.name == "numba.experimental.jitclass"
                else AliasModule)
        module = kind(spec.name, own(), sources)
        # where the module comes from, for programs that read it
        # (os.path.dirname(numba.__file__)): pyjit's own package
        module.__file__ = _PACKAGE_INIT
        if spec.name == "numba":
            module.__all__ = _star_names(module)
        return module

    def exec_module(self, module):
        parent, _, child = module.__name__.rpartition(".")
        if parent in sys.modules:
            setattr(sys.modules[parent], child, module)
        # the submodules Numba's own __init__ files import, which
        # programs reach as attributes (numba.types.float64,
        # cuda.cudadrv.error) without importing them
        for sub in _EAGER.get(module.__name__, ()):
            importlib.import_module(module.__name__ + "." + sub)


_PACKAGE_INIT = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                             "__init__.py")

_EAGER = {
    "numba": ("types", "core", "core.types", "typed", "extending",
              "core.errors", "errors", "config", "core.config", "np",
              "np.numpy_support"),
    "numba.types": _TYPES_PARTS,
    "numba.core.types": _TYPES_PARTS,
    "numba.cuda": ("cudadrv", "cudadrv.error", "cudadrv.devices"),
}


def _importable(name):
    try:
        importlib.import_module(name)
        return True
    except ImportError:
        return False


_finder = None

# A directory whose sitecustomize installs the alias at a process's first
# `import numba`: first on the PYTHONPATH of the processes this one starts,
# so that they run on pyjit too (pyjit/_alias_path/sitecustomize.py).
_CHILD_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                           "_alias_path")


def _alias_in_children():
    """Put _CHILD_PATH first on PYTHONPATH, once."""
    paths = os.environ.get("PYTHONPATH", "")
    if _CHILD_PATH not in paths.split(os.pathsep):
        os.environ["PYTHONPATH"] = (_CHILD_PATH + os.pathsep + paths
                                    if paths else _CHILD_PATH)


def install_numba_alias():
    """Make `import numba` (and numba.*) give pyjit, for this process and
    the Python processes it starts (multiprocessing and joblib workers,
    subprocesses of the same interpreter): a program or notebook written
    for Numba then runs on pyjit unchanged.  A numba already imported is
    replaced.  Returns the numba module."""
    install_finder()
    return importlib.import_module("numba")


def install_finder():
    """The finder of numba.* first on sys.meta_path (a numba already
    imported forgotten), and the processes this one starts told to do the
    same; returns it.  Imports nothing."""
    global _finder
    _alias_in_children()
    if _finder is None:
        for name in [m for m in sys.modules
                     if m == "numba" or m.startswith("numba.")]:
            del sys.modules[name]
        _finder = Finder()
        sys.meta_path.insert(0, _finder)
    return _finder
