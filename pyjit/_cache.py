"""cache=True: where compiled specializations are kept, and what they were
compiled from.

One file per specialization, next to the source in `__pycache__` (or
under $PYJIT_CACHE_DIR, or the user's cache directory when `__pycache__`
cannot be written; a notebook cell's under IPython's cache directory),
named after the file and the function, then three digests:

    __pycache__/kernels.mandel.3f0c9a1b.7e4d2c10-9a0b1c2d.py311.pjc
                               signature own      reads

- signature: the argument types, a declared return type and the options
  that change the code (nogil, fastmath, boundscheck, error_model);
- own: the function's source text and the code object Python made of it
  (so text edited after the import never matches), and what compiled it:
  this format, pyjit's version, the build id of pyjit._core, the text of
  pyjit's NumPy library, LLVM's version, Python's, and the CPU's name and
  features;
- reads: the values the function reads from outside, frozen into its code
  when it compiles: closure variables, the globals and module attributes
  it names, its defaults, and for each jitted function it can call, that
  function's own and reads digests (so editing a callee in another file
  invalidates its callers).

A record holds the whole 128-bit key and is used only when it is this
call's; anything else is a miss, and the fresh compile is stored.  Storing
removes the function's records whose own digest differs (compiled from
other text, or by another pyjit, LLVM or CPU) and keeps at most _VARIANTS
records per function and signature (closures of one factory, globals that
changed), dropping the least recently written: stale records are replaced,
not accumulated.  A notebook's functions share one directory across
notebooks, so there only the bound per function name and signature holds.

The record holds the object file, the native name it was compiled under,
the return type, the optimized LLVM IR and bitcode (inspect_llvm, and
callers that inline it) and the inspect_types text; csrc/cache.c turns it
back into a specialization.  Loading is on the path of a first call, so it
imports nothing new and reads a record with marshal.
"""
import marshal
import os
import sys
import types as _pytypes
import warnings

import numpy as np

from . import _core
from . import _text
from .errors import PyjitWarning

_FORMAT = 2
_SUFFIX = f".py{sys.version_info[0]}{sys.version_info[1]}.pjc"
_CODE_OPTIONS = ("nogil", "fastmath", "boundscheck", "error_model")
_VARIANTS = 8
_PLAIN = (int, float, complex, bool, str, bytes, type(None))


class _NotCacheable(Exception):
    pass


# --- types as plain data ---

_basic = {}


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
    if "array(" in name:
        return ("a", _dump_type(t.dtype), t.ndim, t.layout, not t.mutable)
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


# --- what a specialization is compiled from ---

_environment = []


def _compiled_by():
    """What compiled the code besides the function: pyjit (its version,
    the build of its extension, its NumPy library), LLVM, Python, the
    CPU."""
    if not _environment:
        from . import __version__
        triple, cpu, features, llvm = _core.host_info()
        library = os.path.join(os.path.dirname(__file__), "_numpy.py")
        with open(library, "rb") as f:
            library_text = f.read()
        _environment.append(_core.digest(
            str(_FORMAT), __version__, _core.build_id(), library_text, llvm,
            sys.version, triple, cpu, features))
    return _environment[0]


def _constant(c):
    """A constant of a code object, spelled the same in every process."""
    if type(c) is tuple:
        return "(" + ",".join(map(_constant, c)) + ")"
    if type(c) is frozenset:    # its order follows the string hash seed
        return "frozenset(" + ",".join(sorted(map(_constant, c))) + ")"
    return f"{type(c).__name__}:{c!r}"


def _code_parts(code, parts, names):
    """The code object and those nested in it, as digest parts; the names
    it may read from globals go to names."""
    parts += (code.co_name, code.co_code, code.co_linetable,
              code.co_exceptiontable,
              repr((code.co_flags, code.co_argcount, code.co_posonlyargcount,
                    code.co_kwonlyargcount, code.co_firstlineno,
                    code.co_names, code.co_varnames, code.co_freevars,
                    code.co_cellvars)))
    names.update(code.co_names)
    for c in code.co_consts:
        if type(c) is _pytypes.CodeType:
            _code_parts(c, parts, names)
        else:
            parts.append(_constant(c))


def _last_line(code):
    last = code.co_firstlineno
    for _, end, _, _ in code.co_positions():
        if end is not None and end > last:
            last = end
    for c in code.co_consts:
        if type(c) is _pytypes.CodeType:
            last = max(last, _last_line(c))
    return last


def _function_text(func):
    """The source text the function compiles from."""
    made = getattr(func, "__pyjit_source__", None)
    if made is not None:        # a loop lifted out of an object-mode function
        _, lines, _, first, last = made
        return "".join(lines[first - 1:last])
    code = func.__code__
    lines = _text.source_lines(code.co_filename, func.__globals__)
    if not lines:
        raise _NotCacheable(code.co_filename)
    return "".join(lines[code.co_firstlineno - 1:_last_line(code)])


class _Reads:
    """Spells the values one function reads as digest parts, the jitted
    functions among them by their own digests (memoized in keys)."""

    def __init__(self, keys, names):
        self.keys = keys        # id(py_func) -> (own, reads), or None
        self.names = names      # names the code may read as attributes
        self.modules = set()    # modules already spelled

    def value(self, v):
        t = type(v)
        if t in _PLAIN:
            return f"{t.__name__}:{v!r}"
        if isinstance(v, tuple):
            return f"{t.__qualname__}(" + ",".join(map(self.value, v)) + ")"
        for base in _PLAIN[:-1]:
            if isinstance(v, base):     # a subclass: IntEnum, say
                return f"{t.__module__}.{t.__qualname__}:" \
                    f"{base.__repr__(v)}"
        if isinstance(v, _core.Dispatcher):
            opts = v.targetoptions
            own, reads = _function_digests(v.py_func, self.keys)
            return f"jit:{own}:{reads}:" + repr(
                tuple(opts[k] for k in _CODE_OPTIONS))
        if isinstance(v, _pytypes.ModuleType):
            return self.module(v)
        if isinstance(v, np.generic):
            return f"{t.__name__}:{v!r}"
        # Functions, classes, ufuncs: compiled code knows them by name.  No
        # value of another kind compiles as a constant.
        name = getattr(v, "__qualname__", None) or getattr(v, "__name__", "")
        return f"{t.__module__}.{t.__qualname__}:" \
            f"{getattr(v, '__module__', None)}.{name}"

    def module(self, m):
        """The module and its attributes the function may read."""
        if m.__name__ in self.modules:
            return f"module:{m.__name__}"
        self.modules.add(m.__name__)
        attrs = m.__dict__
        return f"module:{m.__name__}{{" + ",".join(
            f"{n}={self.value(attrs[n])}" for n in sorted(self.names)
            if n in attrs) + "}"


def _function_digests(func, keys):
    """(own, reads) digests of a jitted function; keys memoizes them for
    the functions reached, and breaks cycles of mutual recursion."""
    known = keys.get(id(func), False)
    if known is not False:
        return known if known is not None else ("cycle", func.__qualname__)
    keys[id(func)] = None
    code = func.__code__
    parts, names = [_compiled_by(), _function_text(func)], set()
    _code_parts(code, parts, names)
    own = _core.digest(*parts)
    reads = _Reads(keys, names)
    cells = func.__closure__ or ()
    values = [f"{n}={reads.value(c.cell_contents)}"
              if _filled(c) else f"{n} unbound"
              for n, c in zip(code.co_freevars, cells)]
    glob = func.__globals__
    values += [f"{n}={reads.value(glob[n])}" for n in sorted(names)
               if n in glob]
    values.append(reads.value(func.__defaults__ or ()))
    kw = func.__kwdefaults__ or {}
    values += [f"{n}:={reads.value(kw[n])}" for n in sorted(kw)]
    keys[id(func)] = own, _core.digest(*values)
    return keys[id(func)]


def _filled(cell):
    try:
        cell.cell_contents
    except ValueError:
        return False
    return True


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
    root = os.environ.get("PYJIT_CACHE_DIR")
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
    root = os.environ.get("PYJIT_CACHE_DIR")
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
        tuple(opts[k] for k in _CODE_OPTIONS))))
    own, reads = _function_digests(dispatcher.py_func, {})
    name = f"{prefix}.{signature[:8]}.{own[:8]}-{reads[:8]}{_SUFFIX}"
    return (os.path.join(directory, name),
            _core.digest(signature, own, reads), cell)


# --- load and save ---

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
    """Writes the file whole or not at all: readers see the old record or
    the new one."""
    import _thread
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
    """Removes the records the one just written makes stale (see the top
    of this file)."""
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
