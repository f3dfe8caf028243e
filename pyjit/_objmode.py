"""Object mode: what @jit does with a function that does not type in
nopython mode.

The function runs on the CPython interpreter, so every Python construct
keeps its exact meaning, but first its outermost loops are *lifted*: each
loop whose rewriting cannot change what the function does becomes

    for (live-out variables) in <lifted loop>.run(live-in variables):
        break                        # it ran: one tuple of results
    else:                            # it did not type for these values
        <the original loop, its own inner loops lifted the same way>

The lifted loop is a nopython function of the variables live into the
loop that returns the ones the rest of the function reads; it is compiled
per argument types like any other specialization, when the loop is first
reached, so it sees the values the interpreter computed before it.  A loop
that does not type for those values (the loop reads an attribute of an
arbitrary object, say, or an int beyond 64 bits) runs in the interpreter,
and its inner loops get their own chance.  The rewriting binds no name of
its own (the lifted loop is a constant of the code), so locals() and
vars() show the function's variables only; a function that reads its
variables by name at run time (eval, exec, locals(), vars(), dir(), frame
introspection) is not lifted at all, as it could see a variable the loop
left in compiled code.

The rewritten function takes the dispatcher's parameter row (positional,
keyword-only, the *args tuple, then the **kwargs dict) positionally: the
dispatcher has bound the call already.
"""
import ast
import types as _pytypes
import warnings

from . import _core
from . import _source
from .errors import PyjitWarning, TypingError, UnsupportedError

_PREFIX = "__pyjit_"


_INT64 = range(-2 ** 63, 2 ** 63)
_UINT64 = range(2 ** 64)


def _type_key(value, depth=0):
    """What decides whether a loop types for a value: its class, for an int
    whether it is an int64, a uint64 or neither, for a tuple its items'
    (to the depth a tuple type may have), and for an array its dtype,
    dimensions and layout too."""
    cls = type(value)
    if cls is int:
        return cls, value in _INT64, value in _UINT64
    if cls is tuple and depth < 32:
        return cls, tuple(_type_key(v, depth + 1) for v in value)
    if cls.__name__ == "ndarray":
        flags = value.flags
        return cls, value.dtype, value.ndim, flags.c_contiguous, \
            flags.writeable, flags.aligned
    return cls


class LiftedLoop:
    """A loop of an object-mode function compiled as a nopython function.

    run() runs the compiled loop and returns a 1-tuple of the tuple of
    live-out values, or () when the loop does not type for these arguments
    (the interpreter then runs the loop).  Failures are remembered by the
    arguments' types so a loop is not retyped on every entry.
    """

    def __init__(self, dispatcher, lineno):
        self.dispatcher = dispatcher
        self.lineno = lineno
        self.failures = {}          # tuple of argument types -> error text

    def run(self, *args):
        key = tuple(map(_type_key, args))
        if key in self.failures:
            return ()
        try:
            live_out = self.dispatcher(*args)
        except (TypingError, UnsupportedError) as e:
            self.failures[key] = str(e)
            return ()
        return (() if live_out is None else live_out),

    def __repr__(self):
        return f"<lifted loop at line {self.lineno} of " \
               f"{self.dispatcher.py_func.__qualname__.split('__pyjit')[0]}>"


class ObjectModeFunction:
    """The object-mode version of a dispatcher's function."""

    def __init__(self, func, lifted, reason):
        self.func = func            # takes the parameter row positionally
        self.lifted = lifted        # [LiftedLoop]
        self.reason = reason        # why there is no lifting, or None

    def lifted_dispatchers(self):
        return tuple(loop.dispatcher for loop in self.lifted)

    def lifted_annotation(self):
        """inspect_types text of the loops that compiled."""
        import io
        out = io.StringIO()
        for loop in self.lifted:
            if loop.dispatcher.signatures:
                out.write(f"# The loop at line {loop.lineno} was lifted and "
                          "compiled in nopython mode:\n")
                loop.dispatcher.inspect_types(file=out)
            elif loop.failures:
                first = next(iter(loop.failures.values())).splitlines()
                out.write(f"# The loop at line {loop.lineno} runs in object "
                          f"mode: {first[1] if len(first) > 1 else first[0]}"
                          "\n")
        if self.reason:
            out.write(f"# No loop lifting: {self.reason}\n")
        return out.getvalue()

    def inspect(self, which):
        """inspect_llvm / inspect_asm text: the lifted loops' code."""
        comment = ";" if which == "llvm" else "#"
        parts = [f"{comment} object mode: this specialization runs on the "
                 "CPython interpreter; its lifted loops are native code\n"]
        for loop in self.lifted:
            code = getattr(loop.dispatcher, "inspect_" + which)()
            for sig, text in code.items():
                parts.append(f"{comment} lifted loop at line {loop.lineno}, "
                             f"{sig}\n{text}")
        return "".join(parts)


def compile_object_mode(dispatcher, error):
    """The ObjectModeFunction of a dispatcher, made once.  `error` is why
    nopython compilation failed (None with forceobj=True)."""
    func = dispatcher.py_func
    opts = dispatcher.targetoptions
    if error is not None:
        what = str(error).split("\n", 2)
        detail = what[1] if len(what) > 1 else what[0]
        why = "failed type inference" if isinstance(error, TypingError) \
            else "cannot be compiled in nopython mode"
        warnings.warn(
            f"Compilation is falling back to object mode WITH looplifting "
            f"{'enabled' if opts['looplift'] else 'disabled'} because "
            f"function {func.__qualname__!r} {why} due to: {detail}",
            PyjitWarning, stacklevel=2)
    om = getattr(dispatcher, "_objmode", None)
    if om is not None:
        return om
    try:
        info = _source.function_info(func)
    except UnsupportedError as e:
        info, reason = None, str(e)
    else:
        reason = _reads_variables_by_name(info[2]) if opts["looplift"] \
            else "looplift=False"
    if info is None or reason is not None:
        om = ObjectModeFunction(_row_adapter(func), [], reason)
    else:
        om = _Rewriter(func, info, opts).build()
    dispatcher._objmode = om
    return om


_VARARGS, _VARKEYWORDS = 0x04, 0x08


def _row_names(code):
    """The names of the parameter row: positional, keyword-only, *args,
    **kwargs (the order of co_varnames)."""
    n = code.co_argcount + code.co_kwonlyargcount
    n += bool(code.co_flags & _VARARGS) + bool(code.co_flags & _VARKEYWORDS)
    return list(code.co_varnames[:n])


def _row_adapter(func):
    """Calls func from the parameter row, when its source is not at hand."""
    code = func.__code__
    names = _row_names(code)
    n = code.co_argcount + code.co_kwonlyargcount
    pos = names[:code.co_argcount]
    kwonly = names[code.co_argcount:n]
    call = [*pos]
    if code.co_flags & _VARARGS:
        call.append("*" + names[n])
    call += [f"{k}={k}" for k in kwonly]
    if code.co_flags & _VARKEYWORDS:
        call.append("**" + names[-1])
    src = f"def row({', '.join(names)}):\n    return f({', '.join(call)})\n"
    namespace = {"f": func}
    exec(src, namespace)
    return namespace["row"]


# --- the analysis: which names a piece of code reads and binds ---

# Builtins that read the calling function's variables by name (vars and
# dir only without an argument), and the ways to its frame's variables;
# as names or attributes (builtins.eval, sys._getframe).
_READ_LOCALS = {"eval", "exec", "locals", "f_locals", "_getframe",
                "currentframe"}
_READ_LOCALS_BARE = {"vars", "dir"}


def _reads_variables_by_name(node):
    """Why the function may read its variables by name at run time (and so
    is not lifted), or None."""
    with_args = {id(n.func) for n in ast.walk(node)
                 if isinstance(n, ast.Call) and (n.args or n.keywords)}
    for n in ast.walk(node):
        name = n.id if isinstance(n, ast.Name) \
            else n.attr if isinstance(n, ast.Attribute) else None
        if name in _READ_LOCALS \
                or name in _READ_LOCALS_BARE and id(n) not in with_args:
            return f"the function reads its variables by name ({name})"
    return None


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda,
           ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
# Inside a lifted loop these would change meaning or cannot be expressed
# as a call that returns values.
_TRY = (ast.Try, getattr(ast, "TryStar", ast.Try), ast.With, ast.AsyncWith)
_NOT_LIFTABLE = _SCOPES + _TRY + (ast.Return, ast.Yield, ast.YieldFrom, ast.Await,
                           ast.Global, ast.Nonlocal, ast.Delete, ast.Import,
                           ast.ImportFrom)


def _walk_scope(node):
    """Nodes of node's own scope (not inside nested functions, classes,
    lambdas or comprehensions), node included."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        for child in ast.iter_child_nodes(n):
            if not isinstance(child, _SCOPES):
                stack.append(child)
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef,
                                    ast.ClassDef)):
                # The name it binds and what its header evaluates here.
                yield child
                stack.extend(child.decorator_list)
                if not isinstance(child, ast.ClassDef):
                    stack.extend(d for d in child.args.defaults)
                    stack.extend(d for d in child.args.kw_defaults if d)


def _bound_names(node):
    """Names a statement or expression binds in its own scope."""
    out = set()
    for n in _walk_scope(node):
        if isinstance(n, ast.Name) and isinstance(n.ctx, (ast.Store,
                                                          ast.Del)):
            out.add(n.id)
        elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef,
                            ast.ClassDef)) and n is not node:
            out.add(n.name)
        elif isinstance(n, (ast.Import, ast.ImportFrom)):
            for a in n.names:
                out.add((a.asname or a.name).split(".")[0])
        elif isinstance(n, ast.ExceptHandler) and n.name:
            out.add(n.name)
        elif isinstance(n, (ast.MatchAs, ast.MatchStar)) and n.name:
            out.add(n.name)
        elif isinstance(n, ast.MatchMapping) and n.rest:
            out.add(n.rest)
    return out


def _all_name_uses(node):
    """Every name node.id mentioned anywhere under node, nested scopes
    included (a nested function reading a local reads it too)."""
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


class _Assigned(ast.NodeVisitor):
    """Which locals are certainly, and which possibly, bound where each
    loop starts, for the loops of one function body."""

    def __init__(self, locals_):
        self.locals = locals_
        self.at_loop = {}           # id(loop) -> (certain, possible)

    def run(self, stmts, certain):
        return self.block(stmts, set(certain), set(certain))

    def block(self, stmts, certain, possible):
        for s in stmts:
            certain, possible = self.stmt(s, certain, possible)
        return certain, possible

    def stmt(self, s, certain, possible):
        if isinstance(s, (ast.For, ast.AsyncFor, ast.While)):
            inside = _bound_names(s) & self.locals
            self.at_loop[id(s)] = (set(certain), set(possible))
            head = set(certain)
            if isinstance(s, (ast.For, ast.AsyncFor)):
                head |= _bound_names(s.target)
            self.block(s.body, head, possible | inside)
            self.block(s.orelse, set(certain), possible | inside)
            return certain, possible | inside
        if isinstance(s, ast.If):
            c1, p1 = self.block(s.body, set(certain), set(possible))
            c2, p2 = self.block(s.orelse, set(certain), set(possible))
            return c1 & c2, p1 | p2
        if isinstance(s, (ast.With, ast.AsyncWith)):
            for item in s.items:
                if item.optional_vars is not None:
                    certain = certain | _bound_names(item.optional_vars)
            return self.block(s.body, certain, possible | certain)
        if isinstance(s, (ast.Try, getattr(ast, "TryStar", ast.Try))):
            maybe = set(possible)
            for part in (s.body, s.orelse):
                _, p = self.block(part, set(certain), maybe)
                maybe |= p
            for h in s.handlers:
                _, p = self.block(h.body, set(certain), maybe)
                maybe |= p
            c, p = self.block(s.finalbody, set(certain), maybe)
            return c, p
        if isinstance(s, ast.Match):
            maybe = set(possible)
            for case in s.cases:
                _, p = self.block(case.body, set(certain), maybe)
                maybe |= p | _bound_names(case.pattern)
            return certain, maybe
        bound = _bound_names(s) & self.locals
        if isinstance(s, ast.Delete):
            return certain - bound, possible | bound
        # A walrus may sit in a short-circuited operand: only possible.
        walrus = {n.target.id for n in _walk_scope(s)
                  if isinstance(n, ast.NamedExpr)}
        return certain | (bound - walrus), possible | bound


class _Rewriter:
    def __init__(self, func, info, opts):
        self.func = func
        self.filename, self.lines, node, self.first, self.last = info
        self.node = _copy(node)
        self.opts = opts
        self.lifted = []
        self.helpers = {}           # placeholder constant -> LiftedLoop
        code = func.__code__
        declared = set()
        for n in _walk_scope(self.node):
            if isinstance(n, (ast.Global, ast.Nonlocal)):
                declared.update(n.names)
        params = set(_row_names(code))
        bound = set()
        for s in self.node.body:
            bound |= _bound_names(s)
        self.locals = (params | bound) - declared
        self.declared = declared
        self.captured = set(code.co_cellvars)   # read by nested functions
        self.params = params
        self.assigned = _Assigned(self.locals)
        self.assigned.run(self.node.body, params)

    def build(self):
        body = self.lift_block(self.node.body, [], self.node)
        fn = self.node
        fn.body = body
        fn.decorator_list = []
        fn.returns = None
        fn.args = _row_arguments(fn.args)
        return ObjectModeFunction(self.make_function(fn), self.lifted, None)

    # --- finding loops ---
    #
    # `frames` is the path from the function body to a statement: a list of
    # (block, index, owner), the statement being block[index] and block a
    # statement list of owner (the FunctionDef or a compound statement).

    def lift_block(self, stmts, frames, owner):
        out = []
        for i, s in enumerate(stmts):
            out.extend(self.lift_stmt(s, frames + [(stmts, i, owner)]))
        return out

    def lift_stmt(self, s, frames):
        if isinstance(s, (ast.For, ast.While)):
            plan = self.plan(s, frames)
            if plan is not None:
                return self.call_lifted(s, frames, *plan)
        if isinstance(s, _SCOPES + _TRY):
            # An exception leaving a lifted loop would lose what it bound
            # so far, which a handler here could see: nothing inside is
            # lifted.
            return [s]
        self.lift_children(s, frames)
        return [s]

    def lift_children(self, s, frames):
        for field in ("body", "orelse"):
            block = getattr(s, field, None)
            if isinstance(block, list) and block \
                    and isinstance(block[0], ast.stmt):
                setattr(s, field, self.lift_block(block, frames, s))

    def plan(self, loop, frames):
        """(live-in names, live-out names) if the loop can be lifted."""
        if any(isinstance(n, _NOT_LIFTABLE) for n in ast.walk(loop)):
            return None
        state = self.assigned.at_loop.get(id(loop))
        if state is None:
            return None
        certain = state[0]
        used = _all_name_uses(loop)
        if used & self.declared:
            return None         # globals it binds are not constants
        used &= self.locals
        if (_exposed_stmt(loop, set())[0] & self.locals) - certain:
            return None         # may read a name unbound where it starts
        written = _bound_names(loop) & self.locals
        live_out = sorted(written & (_live_after(frames) | self.captured))
        if any(name not in certain for name in live_out):
            return None         # bound by the loop only, read after it
        return sorted(used & certain), live_out

    # --- the rewriting ---

    def call_lifted(self, loop, frames, live_in, live_out):
        index = len(self.lifted)
        lifted = LiftedLoop(self.make_lifted(loop, index, live_in, live_out),
                            loop.lineno)
        self.lifted.append(lifted)
        # A string constant that compile_def replaces by the LiftedLoop (a
        # name would show in locals()); its method is called, as calling a
        # constant draws a SyntaxWarning.
        placeholder = f"{_PREFIX}loop{index}_{id(self):x}"
        self.helpers[placeholder] = lifted
        # The interpreted loop gets its own inner loops lifted.
        fallback = loop
        self.lift_children(fallback, frames)
        at = dict(lineno=loop.lineno, col_offset=loop.col_offset,
                  end_lineno=loop.lineno, end_col_offset=loop.col_offset)
        run = ast.Attribute(ast.Constant(placeholder, **at), "run",
                            ast.Load(), **at)
        call = ast.Call(run, [ast.Name(v, ast.Load(), **at)
                              for v in live_in], [], **at)
        target = ast.Tuple([ast.Name(v, ast.Store(), **at) for v in live_out],
                           ast.Store(), **at)
        return [ast.For(target, call, [ast.Break(**at)], [fallback], **at)]

    def make_lifted(self, loop, index, live_in, live_out):
        at = dict(lineno=loop.lineno, col_offset=loop.col_offset,
                  end_lineno=loop.end_lineno,
                  end_col_offset=loop.end_col_offset)
        ret_at = dict(at, lineno=loop.end_lineno)
        value = None
        if live_out:
            value = ast.Tuple([ast.Name(v, ast.Load(), **ret_at)
                               for v in live_out], ast.Load(), **ret_at)
        name = f"{self.node.name}__lifted_loop_{index}"
        fn = ast.FunctionDef(
            name=name,
            args=ast.arguments(posonlyargs=[],
                               args=[ast.arg(v, None, **at) for v in live_in],
                               vararg=None, kwonlyargs=[], kw_defaults=[],
                               kwarg=None, defaults=[]),
            body=[_copy(loop), ast.Return(value, **ret_at)],
            decorator_list=[], returns=None, type_comment=None, **at)
        pyfunc = self.compile_def(_copy(fn), {})
        pyfunc.__pyjit_source__ = (self.filename, self.lines, fn,
                                   loop.lineno, loop.end_lineno)
        opts = {k: self.opts[k] for k in ("nogil", "fastmath", "cache",
                                          "boundscheck", "error_model")}
        return _core.Dispatcher(pyfunc, nopython=True, **opts)

    def make_function(self, fn):
        func = self.compile_def(fn, self.helpers)
        func.__name__ = self.func.__name__
        func.__qualname__ = self.func.__qualname__
        func.__doc__ = self.func.__doc__
        return func

    def compile_def(self, fn, helpers):
        """A function from a FunctionDef, with the original's globals and
        closure cells, its string constants that are keys of `helpers`
        replaced by their values."""
        freevars = list(self.func.__code__.co_freevars)
        at = dict(lineno=fn.lineno, col_offset=0, end_lineno=fn.lineno,
                  end_col_offset=0)
        outer = ast.FunctionDef(
            name=f"{_PREFIX}cells",
            args=ast.arguments(posonlyargs=[], args=[], vararg=None,
                               kwonlyargs=[], kw_defaults=[], kwarg=None,
                               defaults=[]),
            body=[ast.Assign([ast.Name(v, ast.Store(), **at)],
                             ast.Constant(None, **at), **at)
                  for v in freevars]
            + [fn, ast.Return(ast.Name(fn.name, ast.Load(), **at), **at)],
            decorator_list=[], returns=None, type_comment=None, **at)
        module = ast.Module([outer], [])
        ast.fix_missing_locations(module)
        code = compile(module, self.filename, "exec", dont_inherit=True)
        outer_code = next(c for c in code.co_consts
                          if isinstance(c, _pytypes.CodeType))
        inner = next(c for c in outer_code.co_consts
                     if isinstance(c, _pytypes.CodeType)
                     and c.co_name == fn.name)
        consts = tuple(helpers.get(c, c) if type(c) is str else c
                       for c in inner.co_consts)
        inner = inner.replace(co_qualname=self.func.__qualname__,
                              co_consts=consts)
        cells = dict(zip(self.func.__code__.co_freevars,
                         self.func.__closure__ or ()))
        closure = tuple(cells[v] for v in inner.co_freevars)
        return _pytypes.FunctionType(inner, self.func.__globals__, fn.name,
                                     None, closure or None)


def _row_arguments(args):
    """The parameters as one positional row: the dispatcher binds calls."""
    row = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    row += [a for a in (args.vararg, args.kwarg) if a is not None]
    for a in row:
        a.annotation = None
    return ast.arguments(posonlyargs=[], args=row, vararg=None, kwonlyargs=[],
                         kw_defaults=[], kwarg=None, defaults=[])


def _loads(node):
    """Names node reads; `del x` counts, as it fails when x is unbound."""
    return {n.id for n in ast.walk(node)
            if isinstance(n, ast.Name) and isinstance(n.ctx, (ast.Load,
                                                               ast.Del))}


def _jumps(stmts):
    return any(isinstance(n, (ast.Break, ast.Continue))
               for s in stmts for n in ast.walk(s))


def _simple_targets(s):
    """Names an assignment certainly binds (plain names, unpacked)."""
    targets = s.targets if isinstance(s, ast.Assign) else [s.target]
    out = set()
    for t in targets:
        if isinstance(t, ast.Name):
            out.add(t.id)
        elif isinstance(t, (ast.Tuple, ast.List)) and \
                all(isinstance(e, ast.Name) for e in t.elts):
            out.update(e.id for e in t.elts)
    return out


def _exposed_block(stmts, bound):
    """(names the statements may read before binding them, names they
    certainly bind), given the names bound before them.  Conservative:
    what it is unsure of, it counts as read and not bound."""
    exposed, bound = set(), set(bound)
    for s in stmts:
        e, bound = _exposed_stmt(s, bound)
        exposed |= e
    return exposed, bound


def _exposed_stmt(s, bound):
    if isinstance(s, ast.For):
        body, _ = _exposed_block(s.body, bound | _bound_names(s.target))
        other, _ = _exposed_block(s.orelse, bound)
        return (_loads(s.iter) - bound) | body | other, bound
    if isinstance(s, ast.While):
        body, _ = _exposed_block(s.body, bound)
        other, _ = _exposed_block(s.orelse, bound)
        return (_loads(s.test) - bound) | body | other, bound
    if isinstance(s, ast.If):
        e1, b1 = _exposed_block(s.body, bound)
        e2, b2 = _exposed_block(s.orelse, bound)
        after = bound if _jumps(s.body + s.orelse) else b1 & b2
        return (_loads(s.test) - bound) | e1 | e2, after
    if isinstance(s, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
        reads = _loads(s)
        if isinstance(s, ast.AugAssign) and isinstance(s.target, ast.Name):
            reads.add(s.target.id)
        return reads - bound, bound | _simple_targets(s)
    return _loads(s) - bound, bound


def _live_after(frames, bound=frozenset()):
    """Names that may be read, before being bound again, once the
    statement at the end of `frames` has run."""
    if not frames:
        return set()
    block, index, owner = frames[-1]
    rest = block[index + 1:]
    live, after = _exposed_block(rest, bound)
    if _jumps(rest):
        after = set(bound)      # a break or continue skips what follows
    if isinstance(owner, (ast.For, ast.While)) and block is owner.body:
        again = after
        if isinstance(owner, ast.For):
            again = after | _bound_names(owner.target)
        else:
            live |= _loads(owner.test) - after
        live |= _exposed_block(owner.body, again)[0]
        exposed, done = _exposed_block(owner.orelse, after)
        return live | exposed | _live_after(frames[:-1], done)
    return live | _live_after(frames[:-1], after)


def _copy(node):
    """A deep copy of an AST: the source finder's parse is shared."""
    import copy
    return copy.deepcopy(node)
