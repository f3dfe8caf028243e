"""Pickling dispatchers, so that multiprocessing, concurrent.futures and
Dask can send jitted functions to other processes, as Numba's are sent.

A dispatcher that its module and qualified name lead back to (a function
defined at module level in an importable module) is pickled by reference:
the other process imports it.  Any other one (a closure, a function defined
in __main__ or in a notebook) is pickled by value: its code, the source
text the compiler reads, the globals it reads (frozen when it compiles),
its closure values and defaults, its options and its explicit signatures.
The other process makes the function again and a dispatcher for it, which
compiles there; machine code is never sent.

By-value pickles carry a key, made when a dispatcher is first pickled: in
one process, every unpickling of one key gives one dispatcher (the tasks
of a pool share its specializations), and a dispatcher sent back to the
process it came from is the original.  A function's globals and closure
values are pickled one at a time, by a pickler of this module, so that one
that cannot be pickled is named in the error; one that refers back to a
dispatcher being pickled (recursion) refers to it by its key.
"""
import _ast
import builtins
import collections
import importlib
import io
import marshal
import pickle
import sys
import threading
import types as _pytypes
import uuid
import weakref

from . import _cache
from . import _source
from . import decorators
from .errors import PyjitError

_PYTHON = tuple(sys.version_info[:2])
_MAIN = ("__main__", "__mp_main__")

_by_key = weakref.WeakValueDictionary()     # key -> dispatcher
_recent = collections.deque(maxlen=128)     # rebuilt ones, kept alive
_local = threading.local()
_key_lock = threading.Lock()


class _Empty:
    """An unbound closure cell."""

    def __reduce__(self):
        return "_EMPTY"


_EMPTY = _Empty()


# --- types ---

def reduce_type(t):
    """copyreg's reducer of pyjit types: rebuilt by kind and parts, and
    interned again in the other process."""
    try:
        return load_type, (_cache._dump_type(t),)
    except _cache._NotCacheable:
        raise pickle.PicklingError(
            f"cannot pickle the pyjit type {t}") from None


def load_type(data):
    return _cache._load_type(data)


# --- pickling ---

def _by_reference(disp):
    module = sys.modules.get(disp.__module__)
    if module is None or disp.__module__ in _MAIN:
        return False
    obj = module
    for part in disp.__qualname__.split("."):
        obj = getattr(obj, part, None)
    return obj is disp


def _key(disp):
    with _key_lock:
        key = getattr(disp, "_pickle_key", None)
        if key is None:
            key = disp._pickle_key = uuid.uuid4().hex
            _by_key[key] = disp
        return key


def _in_progress():
    if not hasattr(_local, "pickling"):
        _local.pickling = set()
    return _local.pickling


def reduce(disp):
    """Dispatcher.__reduce__."""
    if _by_reference(disp):
        return disp.__qualname__
    key = _key(disp)
    pickling = _in_progress()
    if key in pickling:
        return _lookup, (key,)
    pickling.add(key)
    try:
        return _rebuild, (key, _header(disp), _state(disp))
    finally:
        pickling.discard(key)


def _source_text(disp):
    """(file name, first line, the definition's text, its tree or None).
    The tree goes too when it is not the one the text parses to: a loop
    lifted out of an object-mode function, or a lambda, is a definition
    pyjit made."""
    try:
        filename, lines, node, first, last = \
            _source.function_info(disp.py_func)
    except PyjitError as e:
        raise pickle.PicklingError(
            f"cannot pickle the jitted function {disp.__qualname__} by "
            f"value: {e}") from None
    # a lambda's definition is one pyjit made too, from its expression
    made = (hasattr(disp.py_func, "__pyjit_source__")
            or disp.py_func.__code__.co_name == "<lambda>")
    return (filename, first, "".join(lines[first - 1:last]),
            node if made else None)


def _signatures(disp):
    """The explicit signatures to compile again, or None: it compiles on
    demand."""
    if disp._can_compile:
        return None
    return [(cres.signature, None if cres.objectmode else cres.return_type)
            for cres in disp.overloads.values()]


def _header(disp):
    func = disp.py_func
    return {"python": _PYTHON, "code": marshal.dumps(func.__code__),
            "name": func.__name__, "qualname": func.__qualname__,
            "module": disp.__module__, "source": _source_text(disp),
            "options": disp.targetoptions, "signatures": _signatures(disp)}


def _code_names(code):
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, _pytypes.CodeType):
            names |= _code_names(const)
    return names


def _read_globals(func):
    names = sorted(_code_names(func.__code__))
    return {n: func.__globals__[n] for n in names if n in func.__globals__}


def _cell_values(func):
    values = []
    for cell in func.__closure__ or ():
        try:
            values.append(cell.cell_contents)
        except ValueError:
            values.append(_EMPTY)
    return values


class _Pickler(pickle.Pickler):
    """Pickles modules by name (imported again on the other side)."""

    def reducer_override(self, obj):
        if isinstance(obj, _pytypes.ModuleType):
            if sys.modules.get(obj.__name__) is not obj:
                raise pickle.PicklingError(
                    f"the module {obj.__name__!r} cannot be imported by "
                    "its name")
            return importlib.import_module, (obj.__name__,)
        return NotImplemented


def _state(disp):
    """The function's defaults, closure values and globals, pickled one by
    one, with a memo shared among them: (defaults, kwdefaults) first, which
    the dispatcher needs when it is made, then the number of items and for
    each, (kind, name) and the value."""
    func = disp.py_func
    items = [("cell", name, value) for name, value in
             zip(func.__code__.co_freevars, _cell_values(func))]
    items += [("global", name, value)
              for name, value in _read_globals(func).items()]
    buf = io.BytesIO()
    pickler = _Pickler(buf, pickle.HIGHEST_PROTOCOL)
    _dump(pickler, disp, "default values",
          (func.__defaults__, func.__kwdefaults__))
    pickler.dump(len(items))
    for kind, name, value in items:
        pickler.dump((kind, name))
        _dump(pickler, disp, _item(kind, name), value)
    return buf.getvalue()


def _dump(pickler, disp, what, value):
    try:
        pickler.dump(value)
    except Exception as e:
        raise pickle.PicklingError(
            f"cannot pickle the jitted function {disp.__qualname__} "
            f"(module {disp.__module__}) by value: its {what} (a "
            f"{type(value).__qualname__}) cannot be pickled: "
            f"{type(e).__name__}: {e}") from e


def _item(kind, name):
    return (f"global {name!r}" if kind == "global"
            else f"closure variable {name!r}")


# --- unpickling ---

def _lookup(key):
    """A dispatcher being unpickled further up the same pickle."""
    try:
        return _by_key[key]
    except KeyError:
        raise pickle.UnpicklingError(
            "a pickled jitted function refers to another that is not "
            "in the pickle") from None


def _rebuild(key, header, state):
    """The dispatcher of a by-value pickle: the one this process has under
    the key, or a new one.  Explicit signatures compile when the outermost
    of the dispatchers this pickle holds is complete (they may call each
    other); if anything fails, none of them is kept."""
    disp = _by_key.get(key)
    if disp is not None:
        return disp
    if tuple(header["python"]) != _PYTHON:
        raise pickle.UnpicklingError(
            f"the jitted function {header['qualname']} was pickled by "
            f"Python {'.'.join(map(str, header['python']))}; this is Python "
            f"{'.'.join(map(str, _PYTHON))}, whose bytecode differs")
    outermost = not hasattr(_local, "made")
    if outermost:
        _local.made = []
    try:
        disp = _make(key, header, state)
        for made, signatures in (_local.made if outermost else ()):
            _compile_signatures(made, signatures)
        return disp
    except BaseException:
        for made, _ in (_local.made if outermost else ()):
            _forget(made)
        raise
    finally:
        if outermost:
            del _local.made


def _forget(disp):
    _by_key.pop(disp._pickle_key, None)
    if disp in _recent:
        _recent.remove(disp)


def _make(key, header, state):
    """The dispatcher, registered under its key before its globals and
    closure values are loaded: they may refer back to it."""
    code = marshal.loads(header["code"])
    globs = {"__builtins__": builtins, "__name__": header["module"]}
    cells = tuple(_pytypes.CellType() for _ in code.co_freevars)
    unpickler = pickle.Unpickler(io.BytesIO(state))
    defaults, kwdefaults = unpickler.load()
    func = _pytypes.FunctionType(code, globs, header["name"], defaults,
                                 cells or None)
    func.__kwdefaults__ = kwdefaults
    func.__qualname__ = header["qualname"]
    func.__pyjit_source__ = _source_info(code, *header["source"])
    disp = decorators._make_dispatcher(func, None, dict(header["options"]))
    disp._pickle_key = key
    _by_key[key] = disp
    _recent.append(disp)
    _local.made.append((disp, header["signatures"]))
    cell_of = dict(zip(code.co_freevars, cells))
    for _ in range(unpickler.load()):
        kind, name = unpickler.load()
        try:
            value = unpickler.load()
        except Exception as e:
            raise pickle.UnpicklingError(
                f"cannot unpickle the jitted function {header['qualname']} "
                f"(module {header['module']}): its {_item(kind, name)}: "
                f"{type(e).__name__}: {e}") from e
        if kind == "global":
            globs[name] = value
        elif value is not _EMPTY:
            cell_of[name].cell_contents = value
    return disp


def _source_info(code, filename, first, text, node):
    """What pyjit/_source.py finds for a function, from the text sent: the
    lines keep their numbers (blank lines above; an indented definition
    sits under an `if 1:`), so messages point where the source is."""
    body = text.splitlines(keepends=True)
    above = ["\n"] * (first - 1)
    if body and body[0][:1] in (" ", "\t"):
        above[-1] = "if 1:\n"
    lines = above + body
    if node is not None:
        return filename, lines, node, first, first + len(body) - 1
    tree = compile("".join(lines), filename, "exec", _ast.PyCF_ONLY_AST,
                   True)
    node, start = _source._find(tree, code.co_name, code.co_firstlineno)
    if node is None:
        raise pickle.UnpicklingError(
            f"the source sent with {code.co_name!r} does not define it")
    return filename, lines, node, start, node.end_lineno


def _compile_signatures(disp, signatures):
    if signatures is None:
        return
    for argtypes, restype in signatures:
        disp._compile_signature(tuple(argtypes), restype)
    disp.disable_compile()

