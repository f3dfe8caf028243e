"""@stencil: a kernel written with relative indices (``a[-1, 0]`` is the
element above the current one) applied at every point of its input where
the whole neighborhood is inside the array, as Numba's stencil does.

The kernel's source is rewritten into functions compiled by pyjit:

- the kernel at a point (each relative index gains the point's index);
- the loop over the points, writing the kernel's value into the output,
  and the same loop with a ``prange`` over the outer dimension, compiled
  with ``parallel=True``, which a ``parallel=True`` caller gets;
- the output's allocation (the kernel's result type, the border ``cval``);
- the entry, ``kernel(a, b, out=None)``, which checks the arrays and
  allocates the output or fills the given one.

The generated functions see the kernel's module globals (looked up when
they compile, as any jitted function's) and its closure variables (the
kernel's own cells), so kernels may read weights arrays, constants and
call other jitted functions.  Only ``func_or_mode='constant'`` exists, as
in Numba.
"""
import ast
import textwrap
import types

import numpy as np

from . import _core
from ._parallel import prange


_FOLD = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b,
         ast.Mult: lambda a, b: a * b}


def _const_int(node, env):
    """The int a constant index is (``1``, ``-1``, ``-c + 1`` with c a
    constant of env), or None."""
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, ast.Name):
        return env.get(node.id)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op,
                                                    (ast.USub, ast.UAdd)):
        v = _const_int(node.operand, env)
        return None if v is None else (-v if isinstance(node.op, ast.USub)
                                       else v)
    if isinstance(node, ast.BinOp) and type(node.op) in _FOLD:
        a, b = _const_int(node.left, env), _const_int(node.right, env)
        return None if a is None or b is None else _FOLD[type(node.op)](a, b)
    return None


def _constants(tree, kernel, params):
    """name -> int of the names a kernel's index may use as constants, as
    Numba infers them: a local assigned once (to a constant), else a
    closure or global int (frozen now, as a jitted function's globals
    are frozen when it compiles)."""
    stores = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            stores[node.id] = stores.get(node.id, 0) + 1
    env = {}
    outer = dict(kernel.__globals__)
    for name, cell in zip(kernel.__code__.co_freevars,
                          kernel.__closure__ or ()):
        try:
            outer[name] = cell.cell_contents
        except ValueError:          # an empty cell: not a constant
            outer.pop(name, None)
    for name, value in outer.items():
        if type(value) is int and name not in stores and name not in params:
            env[name] = value
    for node in ast.walk(tree):
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
                and stores.get(node.targets[0].id) == 1):
            v = _const_int(node.value, env)
            if v is not None:
                env[node.targets[0].id] = v
    return env


def _shifted(part, k, where):
    """The index `part` of dimension k moved to the point (a slice moves
    both bounds)."""
    at = ast.Name(f"__i{k}", ast.Load())
    if not isinstance(part, ast.Slice):
        return ast.BinOp(at, ast.Add(), part)
    if part.lower is None or part.upper is None:
        raise ValueError(f"{where}: a slice of a relatively indexed array "
                         "needs both bounds (a[-1:2]), which are relative "
                         "to the point")
    return ast.Slice(ast.BinOp(at, ast.Add(), part.lower),
                     ast.BinOp(at, ast.Add(), part.upper), part.step)


class _Relative(ast.NodeTransformer):
    """Adds the point's index to each index of the relatively indexed
    arrays and records the constant extents and the arrays indexed."""

    def __init__(self, arrays, env, where):
        self.arrays, self.env, self.where = arrays, env, where
        self.ndim = None
        self.extents = []           # per access, (lo, hi) per dimension
        self.variable = False       # some index is not a constant
        self.indexed = set()        # the arguments indexed relatively

    def _extent(self, part):
        """(lo, hi) of the offsets an index covers, or None."""
        if not isinstance(part, ast.Slice):
            v = _const_int(part, self.env)
            return None if v is None else (v, v)
        lo, hi = (_const_int(b, self.env) if b is not None else None
                  for b in (part.lower, part.upper))
        if lo is None or hi is None or part.step is not None:
            return None
        return (lo, hi - 1) if hi > lo else (0, 0)

    def visit_Subscript(self, node):
        self.generic_visit(node)
        if not (isinstance(node.value, ast.Name)
                and node.value.id in self.arrays):
            return node
        if not isinstance(node.ctx, ast.Load):
            raise ValueError(f"{self.where}: the kernel assigns to its "
                             f"input array {node.value.id!r}; a stencil "
                             "kernel only reads its inputs and returns the "
                             "value of the point, as in Numba")
        self.indexed.add(node.value.id)
        parts = (list(node.slice.elts) if isinstance(node.slice, ast.Tuple)
                 else [node.slice])
        if self.ndim is None:
            self.ndim = len(parts)
        elif self.ndim != len(parts):
            raise ValueError(f"{self.where}: the relative indices of the "
                             "kernel's arrays have different numbers of "
                             f"dimensions ({self.ndim} and {len(parts)})")
        extent = [self._extent(p) for p in parts]
        if None in extent:
            self.variable = True
        else:
            self.extents.append(extent)
        moved = [_shifted(p, k, self.where) for k, p in enumerate(parts)]
        index = moved[0] if len(moved) == 1 else ast.Tuple(moved,
                                                           ast.Load())
        return ast.copy_location(
            ast.Subscript(node.value, index, node.ctx), node)


def _neighborhood(rel, given, where):
    """((lo, hi) per dimension): given, or the extent of the constant
    offsets; lo is at most 0 and hi at least 0 (the point itself is
    always inside)."""
    if given is not None:
        try:
            given = tuple((min(0, int(lo)), max(0, int(hi)))
                          for lo, hi in given)
        except (TypeError, ValueError):
            raise TypeError(f"{where}: neighborhood= is a tuple of (low, "
                            f"high) int pairs, one per dimension, not "
                            f"{given!r}") from None
        if rel.ndim is not None and len(given) != rel.ndim:
            raise ValueError(f"{where}: neighborhood has {len(given)} "
                             f"dimensions, the kernel indexes {rel.ndim}")
        return given
    if rel.variable:
        raise ValueError(f"{where}: an index that is not a constant needs "
                         "the neighborhood= option, as in Numba")
    if rel.ndim is None:
        raise ValueError(f"{where}: the kernel indexes no array relatively")
    return tuple((min(0, *(e[k][0] for e in rel.extents)),
                  max(0, *(e[k][1] for e in rel.extents)))
                 for k in range(rel.ndim))


def _function(source, name, cells, globals_, filename, defaults=None,
              **options):
    """A pyjit dispatcher of the def `name` in `source`, whose free names
    are the keys of `cells` (closure cells) and whose globals are
    `globals_`.  The def is compiled nested in a factory taking the free
    names, so that they are the function's closure variables."""
    free = sorted(cells)
    text = (f"def __factory({', '.join(free)}):\n"
            + textwrap.indent(source, "    ") + f"    return {name}\n")
    module = ast.parse(text, filename)
    node = module.body[0].body[0]
    code = compile(module, filename, "exec")
    factory = next(c for c in code.co_consts
                   if isinstance(c, types.CodeType))
    inner = next(c for c in factory.co_consts
                 if isinstance(c, types.CodeType) and c.co_name == name)
    func = types.FunctionType(inner, globals_, name, defaults,
                              tuple(cells[n] for n in inner.co_freevars))
    func.__pyjit_source__ = (filename, text.splitlines(keepends=True), node,
                             node.lineno, node.end_lineno)
    return _core.Dispatcher(func, nopython=True, **options)


def _cells(**values):
    return {k: types.CellType(v) for k, v in values.items()}


def _fill_source(name, params, hood, parallel):
    """The loop over the points whose neighborhood is inside the arrays,
    writing the kernel's value into out (prange over the outer
    dimension when parallel)."""
    nd = len(hood)
    first = params[0]
    idx = ", ".join(f"__i{k}" for k in range(nd))
    lines = [f"def {name}(__out, {', '.join(params)}):"]
    for k, (lo, hi) in enumerate(hood):
        loop = "__prange" if parallel and k == 0 else "range"
        lines.append("    " * (k + 1) + f"for __i{k} in {loop}({-lo}, "
                     f"{first}.shape[{k}] - {hi}):")
    lines.append("    " * (nd + 1) + f"__out[{idx}] = "
                 f"__at({idx}, {', '.join(params)})")
    lines.append("    return __out")
    return "\n".join(lines) + "\n"


def _border_lines(hood, indent):
    """Statements setting the border (the points the loop leaves) of
    __out to __cval, as Numba's stencil does."""
    lines = []
    nd = len(hood)
    for k, (lo, hi) in enumerate(hood):
        # a slice's bounds clamp: `:2` and `-2:` cover a shorter axis whole
        for part, size in ((f":{-lo}", -lo), (f"-{hi}:", hi)):
            if size:
                where = [":"] * nd
                where[k] = part
                lines.append(f"{indent}__out[{', '.join(where)}] = __cval")
    return lines


def _new_source(name, params, hood):
    """The output array: the kernel's result type (typed from a call that
    never runs), the input's shape, the border __cval."""
    nd = len(hood)
    first = params[0]
    lines = [f"def {name}({', '.join(params)}):",
             f"    if {first}.size < 0:",
             f"        __proto = __at({', '.join(['0'] * nd + params)})",
             f"    __out = __np.empty({first}.shape, "
             "__np.full(0, __proto).dtype)"]
    lines += _border_lines(hood, "    ")
    lines.append("    return __out")
    return "\n".join(lines) + "\n"


def _check(test, message):
    """Source lines raising ValueError(message) when test holds."""
    return [f"    if {test}:", f"        raise ValueError({message!r})"]


def _like(p, first, nd, differs, what, size_message):
    """Checks that array p has first's number of dimensions and no size
    that `differs` from first's ('<': smaller, '!=': other)."""
    return (_check(f"{p}.ndim != {nd}", f"{what} has another number of "
                   f"dimensions than {first!r}")
            + _check(" or ".join(f"{p}.shape[{k}] {differs} {first}.shape[{k}]"
                                 for k in range(nd)),
                     f"{what} {size_message}"))


def _entry_source(name, where, params, relative, nd, cval_given):
    """kernel(params, out=None): checks the arrays, then fills a new
    output or the given one (whose border is left alone unless cval= was
    given, as in Numba).  The ndim tests are decided by the types, so the
    code for other dimensions is not compiled."""
    first = params[0]
    args = ", ".join(params)
    lines = [f"def {name}({args}, out=None):"]
    lines += _check(f"{first}.ndim != {nd}",
                    f"{where}: the kernel is {nd}-dimensional, the input "
                    f"array {first!r} is not")
    for p in relative:
        if p != first:
            lines += _like(p, first, nd, "<", f"{where}: the relatively "
                           f"indexed array {p!r}", f"is smaller than "
                           f"{first!r} in some dimension")
    lines += ["    if out is None:",
              f"        return __fill(__new({args}), {args})"]
    lines += _like("out", first, nd, "!=", f"{where}: out=",
                   f"has another shape than the input array {first!r}")
    if cval_given:
        lines.append(f"    out[{', '.join([':'] * nd)}] = __cval")
    lines.append(f"    return __fill(out, {args})")
    return "\n".join(lines) + "\n"


def _lambda_tree(kernel, where):
    """A lambda kernel as the def of one return statement, found in the
    parse of its whole file (its own lines may not parse alone)."""
    import linecache
    code = kernel.__code__
    lines = linecache.getlines(code.co_filename, kernel.__globals__)
    args = list(code.co_varnames[:code.co_argcount])
    found = [n for n in ast.walk(ast.parse("".join(lines)))
             if isinstance(n, ast.Lambda) and n.lineno == code.co_firstlineno
             and [a.arg for a in n.args.args] == args] if lines else []
    if len(found) != 1:
        raise ValueError(f"{where}: the source of the lambda kernel cannot "
                         "be told apart (none, or several lambdas of the "
                         "same parameters on its line); define the kernel "
                         "with def")
    tree = ast.parse("def stencil_kernel():\n    pass\n").body[0]
    tree.args = found[0].args
    tree.body = [ast.Return(found[0].body)]
    return ast.fix_missing_locations(tree)


def _kernel_tree(kernel, where):
    """The kernel's FunctionDef, without decorators or annotations."""
    import inspect      # not at import: `import pyjit` stays light
    if not inspect.isfunction(kernel):
        raise TypeError(f"stencil takes a Python function (the kernel), "
                        f"not {kernel!r}")
    if kernel.__code__.co_name == "<lambda>":
        tree = _lambda_tree(kernel, where)
    else:
        tree = ast.parse(textwrap.dedent(inspect.getsource(kernel))).body[0]
    if not isinstance(tree, ast.FunctionDef):
        raise TypeError(f"{where}: expected a function")
    tree.decorator_list = []
    tree.returns = None         # annotations name what may not exist
    for a in tree.args.args:
        a.annotation = None
    return tree


class StencilFunc:
    """What @stencil returns: call it on arrays (from Python or from a
    jitted function) to apply the kernel at every interior point;
    ``out=`` gives the array to fill."""

    def __init__(self, kernel, neighborhood=None, cval=None,
                 standard_indexing=(), func_or_mode="constant"):
        if func_or_mode != "constant":
            raise ValueError(f"Unsupported mode style {func_or_mode!r}: "
                             "only 'constant' exists")
        where = f"stencil {getattr(kernel, '__qualname__', kernel)}"
        tree = _kernel_tree(kernel, where)
        params = [a.arg for a in tree.args.args]
        if not params:
            raise TypeError(f"{where}: the kernel takes no array")
        if "out" in params:
            raise ValueError(f"{where}: 'out' is reserved for the output "
                             "array (kernel(a, out=b)); rename the "
                             "kernel's parameter")
        unknown = set(standard_indexing) - set(params)
        if unknown:
            raise ValueError(f"{where}: standard_indexing names "
                             f"{sorted(unknown)}, which are not parameters "
                             "of the kernel")
        if params[0] in standard_indexing:
            raise ValueError(f"{where}: the first parameter {params[0]!r} "
                             "is the input array and is indexed relatively; "
                             "it cannot be in standard_indexing")
        rel = _Relative(set(params) - set(standard_indexing),
                        _constants(tree, kernel, params), where)
        tree = rel.visit(tree)
        self.neighborhood = hood = _neighborhood(rel, neighborhood, where)
        nd = len(hood)
        self._params, self._where = params, where
        tree.name = "__at"
        tree.args.args = ([ast.arg(f"__i{k}") for k in range(nd)]
                          + tree.args.args)
        filename = f"<pyjit stencil {kernel.__qualname__}>"
        glob = kernel.__globals__
        kcells = dict(zip(kernel.__code__.co_freevars,
                          kernel.__closure__ or ()))
        at = _function(ast.unparse(ast.fix_missing_locations(tree)) + "\n",
                       "__at", kcells, glob, filename, inline="always")
        base = _cells(__at=at, __np=np, __prange=prange,
                      __cval=0 if cval is None else cval)
        new = _function(_new_source("__new", params, hood), "__new", base,
                        glob, filename)
        relative = [p for p in params if p in rel.indexed]
        name = (kernel.__name__ if kernel.__name__.isidentifier()
                else "stencil_kernel")
        entry = _entry_source(name, where, params, relative, nd,
                              cval is not None)
        for attr, parallel in (("__pyjit_jitted__", False),
                               ("__pyjit_jitted_parallel__", True)):
            fill = _function(_fill_source("__fill", params, hood, parallel),
                             "__fill", base, glob, filename,
                             parallel=parallel)
            cells = dict(base, **_cells(__fill=fill, __new=new))
            setattr(self, attr, _function(entry, name, cells, glob,
                                          filename, (None,)))
        self.__name__ = kernel.__name__
        self.__doc__ = kernel.__doc__
        self.__wrapped__ = kernel

    def __call__(self, *args, **kwargs):
        out = kwargs.pop("out", None)
        if kwargs:
            raise TypeError(f"{self._where}: unknown keyword argument(s) "
                            f"{sorted(kwargs)}; the only one is out=")
        if len(args) != len(self._params):
            raise TypeError(f"{self._where}: takes {len(self._params)} "
                            f"argument(s) ({', '.join(self._params)}), "
                            f"{len(args)} given")
        if not isinstance(args[0], np.ndarray):
            raise TypeError(f"{self._where}: the first argument is the "
                            "input array, not "
                            f"{type(args[0]).__name__}")
        if out is None:
            return self.__pyjit_jitted__(*args)
        self._check_out(out, args[0])
        return self.__pyjit_jitted__(*args, out=out)

    def _check_out(self, out, a):
        """Errors that say what is wrong with out= before compiling."""
        if not isinstance(out, np.ndarray):
            raise TypeError(f"{self._where}: out= takes a NumPy array, not "
                            f"{type(out).__name__}")
        if out.shape != a.shape:
            raise ValueError(f"{self._where}: out= has shape {out.shape}, "
                             f"the input array has shape {a.shape}; they "
                             "must be the same")
        if not out.flags.writeable:
            raise ValueError(f"{self._where}: out= is a read-only array")

    def __repr__(self):
        return f"<StencilFunc {self.__name__!r}>"


def stencil(func_or_mode="constant", **options):
    """Numba's @stencil: ``@stencil`` or ``@stencil(neighborhood=((-1, 1),
    (-1, 1)), cval=0.0, standard_indexing=('b',))``."""
    unknown = set(options) - {"neighborhood", "cval", "standard_indexing"}
    if unknown:
        raise TypeError(f"unknown option(s) {sorted(unknown)} for stencil; "
                        "the options are neighborhood, cval, "
                        "standard_indexing and func_or_mode")
    if callable(func_or_mode):
        return StencilFunc(func_or_mode, **options)
    return lambda kernel: StencilFunc(kernel, func_or_mode=func_or_mode,
                                      **options)
