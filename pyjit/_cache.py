"""cache=True: where compiled specializations are kept, and what they were
compiled from.

One file per specialization, next to the source in `__pycache__` (or
under $PYJIT_CACHE_DIR, pyjit.config.CACHE_DIR, or the user's cache
directory when `__pycache__` cannot be written; a notebook cell's under
IPython's cache directory),
named after the file and the function, then three digests:

    __pycache__/kernels.mandel.3f0c9a1b.7e4d2c10-9a0b1c2d.py311.pjc
                               signature own      reads

- signature: the argument types, a declared return type and the options
  that change the code (nogil, fastmath, boundscheck, error_model,
  parallel);
- own: the function's source text and the code object Python made of it
  (text edited after the import never matches), and what compiled it
  (_compiled_by: pyjit's version and build, its NumPy library, LLVM,
  Python, the CPU);
- reads: the values the function reads from outside (closure variables,
  globals, module attributes, defaults) and the digests of the jitted
  functions among them.

csrc/cachekey.c computes own and reads (in C: this is on the path of a
first call).  A record holds the whole 128-bit key and is used only when
it is this call's; anything else is a miss, and the fresh compile is
stored (pyjit/_cache_write.py, which also drops the records it makes
stale).

The record holds the object file, the native name it was compiled under,
the return type, the optimized LLVM IR and bitcode (inspect_llvm, and
callers that inline it) and the inspect_types text; csrc/cache.c turns it
back into a specialization.  Loading is on the path of a first call, so it
imports nothing new (the digest is pyjit._core's, the record marshal's)
and nothing of what storing needs.
"""
import marshal
import os
import sys

from . import _core
from . import config
from . import _text

_FORMAT = 2
_SUFFIX = f".py{sys.version_info[0]}{sys.version_info[1]}.pjc"
_CODE_OPTIONS = ("nogil", "fastmath", "boundscheck", "error_model",
                 "parallel", "locals", "debug", "inline", "_nrt")


class _NotCacheable(Exception):
    pass


# --- types as plain data ---

_basic = {}


def _charseq_dtype(t):
    """The dtype of the strings an element type [unichr x n] or [char x n]
    (csrc/charseq.c: its size in bits, whether 'U') names."""
    import numpy as np
    bits, unicode = t.key[1], t.key[2]
    return np.dtype(f"U{bits // 32}" if unicode else f"S{bits // 8}")


def _dump_type(t):
    if not _basic:
        _basic.update((t, name) for name, t in _core.basic_types.items())
    if t in _basic:
        return ("b", _basic[t])
    name = str(t)
    if name.startswith("UniTuple("):
        return ("u", _dump_type(t.dtype), t.count)
    if name.startswith("Tuple("):
        return ("t", tuple(_dump_type(x) for x in t.types))
    if name.startswith("OptionalType("):
        return ("o", _dump_type(t.dtype))
    if t.kind in ("TUPLE", "UNITUPLE") and isinstance(t.key[1], type):
        # a namedtuple: its class, found again by name, and its items
        cls = t.key[1]
        return _same_again(t, ("n", cls.__module__, cls.__qualname__,
                               tuple(_dump_type(x) for x in t.types)))
    if t.kind == "DICT":
        return _same_again(t, ("D", _dump_type(t.types[0]),
                               _dump_type(t.types[1])))
    if t.kind == "RECORD":
        from . import _records
        return ("r", _records.dtype_spec(t.key[2]))
    if t.kind == "ARRAY":
        return ("a", _dump_type(t.dtype), t.ndim, t.layout, not t.mutable)
    if t.kind == "CHARSEQ":
        return ("s", _charseq_dtype(t).str)
    if t.kind == "ENUM_MEMBER":
        cls = t.key[1]
        return ("e", cls.__module__, cls.__qualname__,
                _dump_type(t.types[0]))
    if t.kind == "DISPATCHER":
        return ("d",) + _dispatcher_key(t.dispatcher)
    if t.kind in ("DATETIME", "TIMEDELTA"):
        return ("m", name)      # datetime64[s]: the dtype's own spelling
    if t.kind == "NPGEN":
        return ("g",)
    if t.kind == "LITERAL":
        return ("l", t.literal_value)
    if t.kind == "DTYPE":
        # dtype(float32) or class(float32): the element, and which;
        # dtype(pyobject), a dtype pyjit has no type for, is not stored
        try:
            elem = t.dtype
        except AttributeError:
            raise _NotCacheable(name) from None
        return ("c", _dump_type(elem), t.key[2])
    raise _NotCacheable(name)


def _same_again(t, data):
    """data, when it describes t exactly (a dict type with an initial value,
    a namedtuple class defined in a function, are not described)."""
    try:
        again = _load_type(data)
    except Exception:   # noqa: BLE001 -- a class no longer importable
        raise _NotCacheable(str(t)) from None
    if again is not t:
        raise _NotCacheable(str(t))
    return data


def _dispatcher_key(disp):
    """A jitted function passed as an argument, by its name and the
    digests of its source and of what it reads: the code specialized on
    it holds its code."""
    func = getattr(disp, "py_func", None)
    digests = func and _core.function_digests(func, _compiled_by(),
                                              _text.function_text)
    if not digests:
        raise _NotCacheable(repr(disp))
    return func.__module__, func.__qualname__, tuple(digests)


def _load_enum_member_type(module, qualname, value):
    """The type EnumMember(cls, value) of the class named, from one of its
    members whose value has that type."""
    cls = sys.modules.get(module)
    for part in qualname.split("."):
        cls = getattr(cls, part, None)
    for member in cls or ():
        t = _core.typeof(member)
        if _dump_type(t.types[0]) == value:
            return t
    raise _NotCacheable(qualname)


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
    if kind == "r":
        from . import _records
        return _records.record_type(data[1])
    if kind == "s":
        import numpy as np
        return _core.typeof(np.empty(0, data[1])).dtype
    if kind == "e":
        return _load_enum_member_type(data[1], data[2], data[3])
    if kind == "c":
        elem = _load_type(data[1])
        import numpy as np
        dt = (elem.key[2] if elem.kind == "RECORD"
              else _charseq_dtype(elem) if elem.kind == "CHARSEQ"
              else np.dtype(str(elem)))
        return _core.typeof(dt if data[2] else dt.type)
    if kind == "m":
        import numpy as np
        return _core.typeof(np.array("NaT", np.dtype(data[1]))[()])
    if kind == "l":
        return _core.literal(data[1])
    if kind == "n":
        from . import types
        cls = sys.modules.get(data[1])
        for part in data[2].split("."):
            cls = getattr(cls, part, None)
        if not isinstance(cls, type):
            raise _NotCacheable(data[2])
        return types.NamedTuple([_load_type(x) for x in data[3]], cls)
    if kind == "D":
        return _core.dict_type(_load_type(data[1]), _load_type(data[2]))
    if kind == "g":
        # the one Generator type, as typeof gives it (numpy.random was
        # imported: a Generator argument compiled the record)
        import numpy.random
        return _core.typeof(numpy.random.default_rng(0))
    raise _NotCacheable(repr(data))



# --- typecodes in generated code (csrc/typecodes.c) ---

_TC_PREFIX = "pj_tc:"
_symbols = {}


def typecode_symbol(t):
    """The name generated code reads t's typecode from: its description
    here, which a process loading the code turns back into t; None when
    there is none (the code is then not cached)."""
    if t not in _symbols:
        try:
            _symbols[t] = _TC_PREFIX + repr(_same_again(t, _dump_type(t)))
        except _NotCacheable:
            _symbols[t] = None
    return _symbols[t]


def type_of_symbol(name):
    """The type a typecode symbol names, in this process."""
    import ast
    return _load_type(ast.literal_eval(name[len(_TC_PREFIX):]))


# --- what a specialization is compiled from ---

_environment = []


def _compiled_by():
    """What compiled the code besides the function: pyjit (its version,
    the build of its extension, its Python modules, which hold the
    libraries compiled code calls: each module's name, size and time of
    change, read from the directory in one pass), LLVM and the
    optimization level, Python, the CPU."""
    if not _environment:
        from . import __version__
        triple, cpu, features, llvm = _core.host_info()
        modules = sorted(f"{e.name}:{e.stat().st_size}:{e.stat().st_mtime_ns}"
                         for e in os.scandir(os.path.dirname(__file__))
                         if e.name.endswith(".py"))
        _environment.append(_core.digest(
            str(_FORMAT), __version__, _core.build_id(), ",".join(modules),
            llvm, f"O{config.OPT}", sys.version, triple, cpu, features))
    return _environment[0]


# --- where ---

_directories = {}


def _writable_dir(path):
    try:
        os.makedirs(path, exist_ok=True)
    except OSError:
        return False
    return os.access(path, os.W_OK)


def _file_directory(src_dir):
    tag = _core.digest(src_dir)[:12]
    root = config.CACHE_DIR
    if root:
        return os.path.join(root, tag)
    local = os.path.join(src_dir, "__pycache__")
    if _writable_dir(local):
        return local
    home = os.environ.get("XDG_CACHE_HOME") or \
        os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(home, "pyjit", tag)


def _cell_directory():
    """Where a notebook's functions are kept: IPython's cache directory,
    as Numba keeps them."""
    root = config.CACHE_DIR
    if root:
        return os.path.join(root, "ipython")
    try:
        from IPython.paths import get_ipython_cache_dir
    except ImportError:
        return None
    return os.path.join(get_ipython_cache_dir(), "pyjit")


def _is_cell(filename):
    """Whether the file is an IPython cell (the terminal's or a kernel's),
    whose text only linecache holds."""
    return filename.startswith("<ipython-") or os.path.basename(
        os.path.dirname(filename)).startswith("ipykernel_")


def _location(dispatcher):
    """(directory, file name prefix, whether it is a notebook's), or None
    when the function has no source to key the cache on."""
    func = dispatcher.py_func
    made = getattr(func, "__pyjit_source__", None)
    source = made[0] if made is not None else func.__code__.co_filename
    cell = False
    if os.path.isfile(source):
        src_dir = os.path.dirname(os.path.abspath(source))
        directory = _directories.get(src_dir)
        if directory is None:
            directory = _directories[src_dir] = _file_directory(src_dir)
        stem = os.path.splitext(os.path.basename(source))[0]
    elif _is_cell(source):
        directory, stem, cell = _cell_directory(), "ipython", True
        if directory is None:
            return None
    else:
        return None
    dispatcher._cache_dir = directory
    name = func.__qualname__
    if name.rpartition(".")[2] != func.__name__:
        name += "." + func.__name__     # a lifted loop: parent.loop
    name = "".join(c if c.isalnum() or c in "._" else "_" for c in name)
    return directory, f"{stem}.{name}", cell


def _record(dispatcher, sig, declared):
    """(path, full key, whether it is a notebook's) of this
    specialization's record, or None when it is not cached."""
    where = _location(dispatcher)
    if where is None:
        return None
    directory, prefix, cell = where
    opts = dispatcher.targetoptions
    signature = _core.digest(repr((
        tuple(_dump_type(t) for t in sig),
        None if declared is None else _dump_type(declared),
        tuple(_option_key(opts[k]) for k in _CODE_OPTIONS))))
    digests = _core.function_digests(dispatcher.py_func, _compiled_by(),
                                     _text.function_text)
    if digests is None:
        raise _NotCacheable(dispatcher.py_func.__qualname__)
    own, reads = digests
    name = f"{prefix}.{signature[:8]}.{own[:8]}-{reads[:8]}{_SUFFIX}"
    return (os.path.join(directory, name),
            _core.digest(signature, own, reads), cell)


def _option_key(value):
    """An option as the same text in every process (a set of fastmath flags
    prints in an order that varies from process to process)."""
    if isinstance(value, dict):         # locals: name -> type
        return tuple(sorted((k, str(t)) for k, t in value.items()))
    return tuple(sorted(value)) if isinstance(value, frozenset) else value


# --- loading ---

def load(dispatcher, sig, declared):
    """The record of this specialization, as csrc/cache.c reads it, or
    None on a miss."""
    try:
        where = _record(dispatcher, sig, declared)
    except _NotCacheable:
        return None
    if where is None:
        return None
    try:
        with open(where[0], "rb") as f:
            rec = marshal.loads(f.read())
        if rec["key"] != where[1]:
            return None             # another content: the save replaces it
        return (rec["native_name"], _load_type(rec["restype"]),
                rec["can_raise"], rec["object"], rec["llvm_ir"],
                rec["bitcode"], rec["annotation"])
    except (OSError, EOFError, KeyError, IndexError, TypeError, ValueError,
            _NotCacheable):
        return None                 # missing or unreadable: compile again
