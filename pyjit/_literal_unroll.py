"""`for x in literal_unroll(t):` over a tuple whose items have different
types, as Numba's numba.literal_unroll: the loop is unrolled when the
function compiles, one copy of the body per item, each typed for its item.

The frontend (csrc/frontend.c) asks `plan` about each for loop.  The
number of items must be known then: `t` is a tuple display, a variable
the function assigns a tuple display once, a parameter (`*args` too; its
type says), or a global or closure variable holding a tuple.
A parameter that is not a tuple (a list of arrays) is iterated by an
ordinary loop.  The
variables the body assigns that nothing outside the loop uses (the loop
variable, temporaries) get a name of their own in each copy, so that
each copy may give them another type.
"""
import ast

from . import _core, config
from ._resolve import resolve
from .errors import TypingError


def literal_unroll(container):
    """In Python, the container itself: iterating over it is the loop.
    In compiled code too, for a parameter that is not a tuple (a list, an
    array): its items have one type, and the loop is an ordinary one, as
    in Numba."""
    return container


literal_unroll = _core.Dispatcher(literal_unroll, nopython=True,
                                  disable=config.DISABLE_JIT)


def literally(obj):
    """Numba's literally(x): in compiled code, x's value is known when the
    function compiles, typed as a Literal (csrc/literal.c).  x is a
    parameter (the function is compiled again for each value a call
    passes) or a constant.  In Python, x itself."""
    return obj


def _assigned(fn_node, name, outside):
    """Whether a statement other than those in `outside` assigns name."""
    return any(isinstance(n, ast.Name) and n.id == name
               and isinstance(n.ctx, ast.Store) and id(n) not in outside
               for n in ast.walk(fn_node))


_CO_VARARGS = 0x04     # the code flag of a function with *args


def _params(code):
    """The names of the parameters, *args the last of them."""
    has_varargs = bool(code.co_flags & _CO_VARARGS)
    return code.co_varnames[:code.co_argcount + code.co_kwonlyargcount
                            + has_varargs]


def _arity(func, fn_node, arg, argtypes, loop_ids):
    if isinstance(arg, ast.Tuple):
        if any(isinstance(e, ast.Starred) for e in arg.elts):
            raise TypingError("literal_unroll: a tuple display with *items")
        return len(arg.elts)
    if isinstance(arg, ast.Name):
        params = _params(func.__code__)
        if arg.id in params and not _assigned(fn_node, arg.id, loop_ids):
            t = argtypes[params.index(arg.id)]
            if str(t).startswith(("Tuple(", "UniTuple(")):
                return t.count
            return None             # items of one type: an ordinary loop
        if arg.id not in func.__code__.co_varnames:
            value = resolve(func, arg)
            if isinstance(value, tuple):
                return len(value)
        value = _only_assignment(fn_node, arg.id)
        if isinstance(value, ast.Tuple):
            return _arity(func, fn_node, value, argtypes, loop_ids)
    raise TypingError("literal_unroll: the tuple's length must be known "
                      "when the function compiles: give a tuple display, "
                      "a variable assigned one once, a parameter or a "
                      "global tuple")


def _only_assignment(fn_node, name):
    """The value of `name = value` when that statement is the only one
    that binds name in the function, else None."""
    binds = [n for n in ast.walk(fn_node)
             if isinstance(n, ast.Name) and n.id == name
             and not isinstance(n.ctx, ast.Load)]
    assigns = [n for n in ast.walk(fn_node) if isinstance(n, ast.Assign)
               and len(n.targets) == 1 and isinstance(n.targets[0], ast.Name)
               and n.targets[0].id == name]
    return assigns[0].value if len(binds) == 1 and len(assigns) == 1 else None


def plan(func, fn_node, for_node, argtypes):
    """None when the loop is not over literal_unroll(...); else (the
    number of items, the expression of the tuple, the names each copy
    gets its own variable for)."""
    it = for_node.iter
    if not (isinstance(it, ast.Call) and len(it.args) == 1
            and not it.keywords
            and resolve(func, it.func) is literal_unroll):
        return None
    loop = [for_node.target] + for_node.body
    loop_ids = {id(n) for s in loop for n in ast.walk(s)}
    n = _arity(func, fn_node, it.args[0], argtypes, loop_ids)
    if n is None:
        return None
    code = func.__code__
    stored = []
    for s in loop:
        for node in ast.walk(s):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) \
                    and node.id in code.co_varnames and node.id not in stored:
                stored.append(node.id)
    used_outside = {node.id for node in ast.walk(fn_node)
                    if isinstance(node, ast.Name) and id(node) not in loop_ids}
    used_outside.update(_params(code))
    renamed = tuple(name for name in stored if name not in used_outside)
    return n, it.args[0], renamed
