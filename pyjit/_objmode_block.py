"""`with objmode(y='float64'):` inside nopython code, as Numba's
numba.objmode: the block runs on the Python interpreter.

The frontend (csrc/frontend.c) hands each `with` statement to `extract`,
which decides whether it is an objmode block and, if it is, makes a Block:
a Python function of the block's body whose parameters are the function's
variables the body reads and whose result is the tuple of the declared
output variables, converted to their declared types.  Compiled code calls
it with the GIL held (csrc/objmode_block.c), boxing the inputs and
unboxing the outputs; a variable the block assigns and the code after it
reads must be declared, as in Numba.
"""
import ast
import importlib

import numpy as np

from . import _core
from . import types as _types
from ._resolve import resolve
from .errors import TypingError


class _ObjModeContext:
    """objmode(name=type, ...): in Python (and with PYJIT_DISABLE_JIT) a
    context manager that does nothing, so the block simply runs."""

    def __init__(self, **outputs):
        self.outputs = outputs

    def __call__(self, **outputs):
        return _ObjModeContext(**outputs)

    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


objmode = _ObjModeContext()


class ObjModeError(TypingError):
    """What is wrong with an objmode block."""


def _parse_type(name, spec):
    if isinstance(spec, str):
        try:
            spec = eval(spec, {"__builtins__": {}}, _types._namespace())
        except Exception as e:
            raise ObjModeError(f"objmode: invalid type {spec!r} for "
                               f"output '{name}': {e}") from None
    if not isinstance(spec, _types.Type):
        raise ObjModeError(f"objmode: the type of output '{name}' must be a "
                           f"pyjit type or a string such as 'float64', not "
                           f"{spec!r}")
    return spec


def _names(nodes, ctx):
    """The names the statements use in context ctx, in order (`x += 1`
    reads x too)."""
    out = []
    for stmt in nodes:
        for n in ast.walk(stmt):
            if isinstance(n, ast.AugAssign) and ctx is ast.Load \
                    and isinstance(n.target, ast.Name):
                n = ast.Name(n.target.id, ast.Load())
            if isinstance(n, ast.Name) and isinstance(n.ctx, ctx) \
                    and n.id not in out:
                out.append(n.id)
    return out


def _context_outputs(func, item):
    """The declared outputs of `with objmode(...)`, or None when the with
    statement is not an objmode block."""
    call = item.context_expr
    target = call.func if isinstance(call, ast.Call) else call
    if not isinstance(resolve(func, target), _ObjModeContext):
        return None
    if not isinstance(call, ast.Call):
        return {}
    if call.args or item.optional_vars is not None:
        raise ObjModeError("objmode takes the output variables as keyword "
                           "arguments: with objmode(y='float64'):")
    outputs = {}
    for kw in call.keywords:
        try:
            spec = ast.literal_eval(kw.value)
        except ValueError:
            spec = resolve(func, kw.value)
        outputs[kw.arg] = _parse_type(kw.arg, spec)
    return outputs


def _bound_before(fn_node, with_node):
    """The parameters and the variables assigned above the block: those
    the block can read (one it assigns before reading is its own)."""
    a = fn_node.args
    names = {p.arg for p in a.posonlyargs + a.args + a.kwonlyargs}
    names.update(p.arg for p in (a.vararg, a.kwarg) if p is not None)
    for n in ast.walk(fn_node):
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store) \
                and n.lineno < with_node.lineno:
            names.add(n.id)
    return names


def extract(func, fn_node, with_node):
    """(block, input names, output names) for an objmode block, None for
    any other with statement; ObjModeError for a block that is wrong."""
    if len(with_node.items) != 1:
        return None
    outputs = _context_outputs(func, with_node.items[0])
    if outputs is None:
        return None
    code = func.__code__
    local = set(code.co_varnames) | set(code.co_cellvars)
    body = with_node.body
    for n in (n for s in body for n in ast.walk(s)):
        if isinstance(n, (ast.Return, ast.Yield, ast.YieldFrom)):
            raise ObjModeError("objmode: a block cannot return or yield")
    before = _bound_before(fn_node, with_node)
    inputs = [n for n in _names(body, ast.Load) if n in local and n in before]
    stored = [n for n in _names(body, (ast.Store, ast.Del)) if n in local]
    inside = {id(n) for s in body for n in ast.walk(s)}
    after = {n.id for n in ast.walk(fn_node)
             if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
             and id(n) not in inside}
    missing = [n for n in stored if n in after and n not in outputs]
    if missing:
        raise ObjModeError(
            f"objmode: variable '{missing[0]}' is assigned in the block and "
            f"used outside it: declare its type, with objmode("
            f"{missing[0]}='float64') for instance")
    for name in outputs:
        if name not in stored:
            raise ObjModeError(f"objmode: output '{name}' is not assigned "
                               f"in the block")
    block = Block(func, with_node, inputs, list(outputs),
                  list(outputs.values()))
    _BLOCKS[block.key] = block
    return block, tuple(inputs), tuple(outputs)


# The Blocks of this process by key (csrc/objmode_block.c): compiled code
# names its block by key rather than by address, so that it can be cached;
# code loaded from the cache finds its block here, made again from the
# function's source on first use.
_BLOCKS = {}


def block_key(func, with_node):
    """module:qualname:line:column:digest of the block (the digest of its
    statements tells apart two definitions of one name, a notebook cell run
    again), or None when the function cannot be found again by name (a
    function defined in another's body)."""
    if "<locals>" in func.__qualname__:
        return None
    return (f"{func.__module__}:{func.__qualname__}:{with_node.lineno}:"
            f"{with_node.col_offset}:{_digest(with_node)}")


def _digest(with_node):
    import hashlib      # not at import: `import pyjit` adds only pyjit
    return hashlib.sha1(ast.dump(with_node).encode()).hexdigest()[:16]


def block(key):
    """The Block of key: made by a compile in this process, or made again
    from the function's source for code loaded from the cache."""
    found = _BLOCKS.get(key)
    if found is None:
        found = _BLOCKS[key] = _make_again(key)
    return found


def _make_again(key):
    module, qualname, line, col, digest = key.rsplit(":", 4)
    from ._source import function_info
    obj = importlib.import_module(module)
    for part in qualname.split("."):
        obj = getattr(obj, part, None)
    func = getattr(obj, "py_func", obj)
    func = getattr(func, "__func__", func)        # a method
    if getattr(func, "__code__", None) is None:
        raise RuntimeError(f"objmode block {key}: the function "
                           f"{module}.{qualname} is no longer there")
    fn_node = function_info(func)[2]
    for node in ast.walk(fn_node):
        if (isinstance(node, ast.With) and node.lineno == int(line)
                and node.col_offset == int(col)
                and _digest(node) == digest):
            return extract(func, fn_node, node)[0]
    raise RuntimeError(f"objmode block {key}: no with statement there in "
                       f"the source of {module}.{qualname}")


class Block:
    """A compiled objmode block: called with the inputs, returns the
    outputs converted to their declared types (None without outputs)."""

    def __init__(self, func, with_node, inputs, outputs, out_types):
        self.inputs = tuple(inputs)
        self.outputs = tuple(outputs)
        self.out_types = tuple(out_types)
        self.lineno = with_node.lineno
        self.key = block_key(func, with_node)
        ret = ast.Return(ast.Tuple(
            [ast.Name(n, ast.Load()) for n in outputs], ast.Load()))
        fdef = ast.FunctionDef(
            name=f"<objmode block at line {with_node.lineno}>",
            args=ast.arguments(posonlyargs=[],
                               args=[ast.arg(n) for n in inputs],
                               kwonlyargs=[], kw_defaults=[], defaults=[]),
            body=list(with_node.body) + [ret], decorator_list=[])
        ast.copy_location(fdef, with_node)
        ast.copy_location(ret, with_node.body[-1])
        ast.fix_missing_locations(fdef)
        module = ast.Module([fdef], type_ignores=[])
        scope = {}
        closure = self._closure_values(func)
        glb = func.__globals__
        if closure:
            glb = dict(glb)
            glb.update(closure)
        exec(compile(module, func.__code__.co_filename, "exec"), glb, scope)
        self.func = scope[fdef.name]

    @staticmethod
    def _closure_values(func):
        out = {}
        for name, cell in zip(func.__code__.co_freevars,
                              func.__closure__ or ()):
            try:
                out[name] = cell.cell_contents
            except ValueError:
                pass
        return out

    def __call__(self, *args):
        values = self.func(*args)
        if not self.outputs:
            return None
        return tuple(_convert(n, v, t) for n, v, t in
                     zip(self.outputs, values, self.out_types))

    def __repr__(self):
        return f"<objmode block at line {self.lineno}>"


def _convert(name, value, t):
    """value as the declared type t, or TypeError."""
    if isinstance(t, _types.Optional):
        return None if value is None else _convert(name, value, t.dtype)
    kind = _kind_of(t)
    if kind is not None:
        try:
            return _convert_number(value, t, kind)
        except (TypeError, ValueError, OverflowError) as e:
            raise TypeError(f"objmode: output '{name}' is declared {t} but "
                            f"the block gave {value!r}: {e}") from None
    if isinstance(t, (_types.UniTuple, _types.Tuple)) \
            and isinstance(value, tuple) and len(value) == len(t.types):
        # item by item: an array item is taken in any layout it has
        return tuple(_convert(f"{name}[{k}]", v, u)
                     for k, (v, u) in enumerate(zip(value, t.types)))
    if isinstance(value, np.ndarray):
        accepted = _array_types(value)
    else:
        try:
            accepted = {_core.typeof(value)}
        except Exception:
            accepted = set()
    if t in accepted:
        return value
    got = next(iter(accepted), type(value).__name__)
    raise TypeError(f"objmode: output '{name}' is declared {t} but the block "
                    f"gave a value of type {got}")


def _convert_number(value, t, kind):
    if kind == "bool":
        return bool(value)
    if kind == "int":
        # Numba unboxes through a 64-bit C integer and keeps the low bits
        # of the declared width (np.uint64 seeds into a uint8 output)
        out = int(value)
        if not -(1 << 63) <= out < (1 << 64):
            raise OverflowError(f"{out} does not fit in 64 bits")
        info = np.iinfo(np.dtype(str(t)))
        out &= (1 << info.bits) - 1
        return out - (1 << info.bits) if out > info.max else out
    return float(value) if kind == "float" else complex(value)


def _array_types(value):
    """The array types a NumPy array may be unboxed as: its own, any
    layout where it is C-contiguous, readonly where it is writable."""
    try:
        dtype = _core.typeof(value.dtype.type(0))
    except Exception:
        return set()
    layouts = ("C", "A") if value.flags.c_contiguous else ("A",)
    readonly = (True,) if not value.flags.writeable else (False, True)
    return {_types.Array(dtype, value.ndim, lay, ro)
            for lay in layouts for ro in readonly}


def _kind_of(t):
    """'bool', 'int', 'float', 'complex' for a number type, else None."""
    s = str(t)
    if s == "bool":
        return "bool"
    for prefix, kind in (("int", "int"), ("uint", "int"),
                         ("float", "float"), ("complex", "complex")):
        if s.startswith(prefix):
            return kind
    return None
