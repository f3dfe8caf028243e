"""@stencil: a kernel written with relative indices (``a[-1, 0]`` is the
element above the current one) applied at every point of its input where
the whole neighborhood is inside the array, as Numba's stencil does.

The kernel's source is rewritten into two functions compiled by pyjit:
the kernel at a point (each relative index gains the point's index) and
the loop over the points, which makes the output (the kernel's result
type, the border elements ``cval``).  Only ``func_or_mode='constant'``
exists, as in Numba.
"""
import ast
import textwrap

import numpy as np

from . import _core


def _const_int(node):
    """The int a constant index is (``1``, ``-1``), or None."""
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        v = _const_int(node.operand)
        return None if v is None else -v
    return None


class _Relative(ast.NodeTransformer):
    """Adds the point's index to each index of the relatively indexed
    arrays and records the constant offsets."""

    def __init__(self, arrays, where):
        self.arrays, self.where = arrays, where
        self.ndim = None
        self.offsets = []           # per access, the constant offsets
        self.variable = False       # some index is not a constant

    def visit_Subscript(self, node):
        self.generic_visit(node)
        if not (isinstance(node.value, ast.Name)
                and node.value.id in self.arrays):
            return node
        parts = (list(node.slice.elts) if isinstance(node.slice, ast.Tuple)
                 else [node.slice])
        if self.ndim is None:
            self.ndim = len(parts)
        elif self.ndim != len(parts):
            raise ValueError(f"{self.where}: the relative indices of the "
                             "kernel's arrays have different numbers of "
                             f"dimensions ({self.ndim} and {len(parts)})")
        consts = [_const_int(p) for p in parts]
        if None in consts:
            self.variable = True
        else:
            self.offsets.append(consts)
        moved = [ast.BinOp(ast.Name(f"__i{k}", ast.Load()), ast.Add(), p)
                 for k, p in enumerate(parts)]
        index = moved[0] if len(moved) == 1 else ast.Tuple(moved,
                                                           ast.Load())
        return ast.copy_location(
            ast.Subscript(node.value, index, node.ctx), node)


def _neighborhood(rel, given, where):
    """((lo, hi) per dimension): given, or the extent of the constant
    offsets."""
    if given is not None:
        given = tuple(tuple(int(v) for v in d) for d in given)
        if rel.ndim is not None and len(given) != rel.ndim:
            raise ValueError(f"{where}: neighborhood has {len(given)} "
                             f"dimensions, the kernel indexes {rel.ndim}")
        return given
    if rel.variable:
        raise ValueError(f"{where}: an index that is not a constant needs "
                         "the neighborhood= option, as in Numba")
    if rel.ndim is None:
        raise ValueError(f"{where}: the kernel indexes no array relatively")
    return tuple((min(0, *(o[k] for o in rel.offsets)),
                  max(0, *(o[k] for o in rel.offsets)))
                 for k in range(rel.ndim))


def _compile(tree, name, scope, filename):
    """A pyjit dispatcher of the function `tree` (an ast.FunctionDef)."""
    tree = ast.fix_missing_locations(tree)
    source = ast.unparse(tree) + "\n"
    lines = source.splitlines(keepends=True)
    node = ast.parse(source, filename).body[0]
    exec(compile(ast.Module([node], []), filename, "exec"), scope)
    func = scope[name]
    func.__pyjit_source__ = (filename, lines, node, 1, node.end_lineno)
    return _core.Dispatcher(func, nopython=True)


def _loop_source(name, kernel, params, hood, cval):
    """The loop over the points whose neighborhood is inside the array."""
    nd = len(hood)
    first = params[0]
    idx = [f"__i{k}" for k in range(nd)]
    args = ", ".join(idx + params)
    lines = [f"def {name}({', '.join(params)}):",
             f"    if {first}.size < 0:",
             f"        proto = {kernel}({', '.join(['0'] * nd + params)})",
             f"    out = np.full({first}.shape, proto)",
             f"    out[{', '.join([':'] * nd)}] = {cval!r}"]
    for k, (lo, hi) in enumerate(hood):
        lines.append("    " * (k + 1)
                     + f"for __i{k} in range({-lo}, {first}.shape[{k}] - "
                     f"{hi}):")
    lines.append("    " * (nd + 1)
                 + f"out[{', '.join(idx)}] = {kernel}({args})")
    lines.append("    return out")
    return ast.parse("\n".join(lines)).body[0]


class StencilFunc:
    """What @stencil returns: call it on arrays (from Python or from a
    jitted function) to apply the kernel at every interior point."""

    def __init__(self, kernel, neighborhood=None, cval=0,
                 standard_indexing=(), func_or_mode="constant"):
        if func_or_mode != "constant":
            raise ValueError(f"Unsupported mode style {func_or_mode!r}: "
                             "only 'constant' exists")
        import inspect      # not at import: `import pyjit` stays light
        where = f"stencil {kernel.__qualname__}"
        tree = ast.parse(textwrap.dedent(inspect.getsource(kernel))).body[0]
        if not isinstance(tree, ast.FunctionDef):
            raise TypeError(f"{where}: expected a function")
        tree.decorator_list = []
        tree.returns = None         # annotations name what may not exist
        for a in tree.args.args:
            a.annotation = None
        params = [a.arg for a in tree.args.args]
        relative = [p for p in params if p not in set(standard_indexing)]
        rel = _Relative(set(relative), where)
        tree = rel.visit(tree)
        self.neighborhood = _neighborhood(rel, neighborhood, where)
        nd = len(self.neighborhood)
        kname = f"{kernel.__name__}__at"
        tree.name = kname
        tree.args.args = ([ast.arg(f"__i{k}") for k in range(nd)]
                          + tree.args.args)
        scope = dict(kernel.__globals__)
        filename = f"<pyjit stencil {kernel.__qualname__}>"
        scope[kname] = _compile(tree, kname, dict(scope), filename)
        scope["np"] = np
        loop = _loop_source(kernel.__name__, kname, params,
                            self.neighborhood, cval)
        self.__pyjit_jitted__ = _compile(loop, kernel.__name__, scope,
                                         filename)
        self.__name__ = kernel.__name__
        self.__doc__ = kernel.__doc__
        self.__wrapped__ = kernel

    def __call__(self, *args):
        return self.__pyjit_jitted__(*args)

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
