"""Finding a function's source and its AST (used on the first compile).

The frontend compiles from the AST, which carries a line and column for
every node.  A module-level function is parsed from its own lines first
(its decorators through the last line its code spans, with the imports
written at the module's first column): parsing a large module whole costs
more than compiling one of its functions.  Otherwise, or when those lines
do not compile to the function's code, the whole file (or notebook cell)
is parsed and the definition found by name and first line, so nested
functions, methods and decorated functions are all found exactly.  Parsed
files are kept, keyed by their text, so functions from one file share a
parse.

The text found is the function's only if it compiles to the code object
Python runs: a file edited after the import still holds a definition at
that line, of other code.  So the definition is compiled again, alone but
in the same nest of classes and functions (which decide how its names are
looked up and mangled), and its code object compared with `__code__`
(bytecode, constants, names, line and column table).  When neither the
text linecache holds nor the file on disk (pyjit/_text.py) passes,
compiling would run other code than `py_func`: that is a
SourceChangedError.
"""
import __future__
import _ast
import sys

from ._text import candidates, compiled_trees, verified
from .errors import SourceChangedError, UnsupportedError

_parsed = {}    # filename -> (text, tree, the module's imports)

# The compiler flags a `from __future__ import` leaves in co_flags, which
# compiling the definition again must repeat (nested_scopes is CO_NESTED,
# which the nest of definitions gives).
_FUTURE_FLAGS = 0
for _name in __future__.all_feature_names:
    if _name != "nested_scopes":
        _FUTURE_FLAGS |= getattr(__future__, _name).compiler_flag


def _module_imports(tree):
    """The import statements of the module's own scope: a method call on
    a name the module imports compiles differently (LOAD_ATTR, not
    LOAD_METHOD), so compiling a definition again needs them.  Future
    statements are left out: their effect is in the code's flags, which
    the compile is given, and anywhere but first they do not compile."""
    found = []
    stack = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, _ast.ImportFrom) and node.module == "__future__":
            continue
        if isinstance(node, (_ast.Import, _ast.ImportFrom)):
            found.append(node)
        elif not isinstance(node, _SCOPES):
            for name in ("body", "orelse", "finalbody", "handlers", "cases"):
                stack.extend(getattr(node, name, ()))
    return found


def _parse(filename, lines):
    """(tree, the module's imports) of the file's text."""
    text = "".join(lines)
    cached = _parsed.get(filename)
    if cached is not None and cached[0] == text:
        return cached[1:]
    tree = compile(text, filename, "exec", _ast.PyCF_ONLY_AST, True)
    _parsed[filename] = (text, tree, _module_imports(tree))
    return tree, _parsed[filename][2]


def _children(node):
    for name in node._fields:
        value = getattr(node, name, None)
        if isinstance(value, list):
            for item in value:
                if isinstance(item, _ast.AST):
                    yield item
        elif isinstance(value, _ast.AST):
            yield value


def _walk(node):
    """node and every node under it."""
    todo = [node]
    while todo:
        node = todo.pop()
        yield node
        todo.extend(_children(node))


_SCOPES = (_ast.FunctionDef, _ast.AsyncFunctionDef, _ast.ClassDef)


def _find(tree, name, first_line):
    """(FunctionDef whose first line, decorators included, is first_line,
    that line), or (None, 0)."""
    return _find_nested(tree, name, first_line)[:2]


def _find_nested(tree, name, first_line):
    """_find's answer and the classes and functions the definition is
    nested in (None when there is none)."""
    for node, start, nest in _definitions(tree).get(name, ()):
        if start == first_line or node.lineno == first_line:
            return node, start, nest
    return None, 0, None


_BLOCKS = (_ast.stmt, _ast.excepthandler, _ast.match_case)


def _definitions(tree):
    """The function definitions in tree by name, each with its first line
    (decorators included) and the scopes around it; made in one walk of
    the statements (a def is one) and kept on the tree, so that finding
    each function of a large module is not a walk of the whole module."""
    index = getattr(tree, "pyjit_definitions", None)
    if index is not None:
        return index
    index = {}
    stack = [(tree, ())]
    while stack:
        node, nest = stack.pop()
        if isinstance(node, (_ast.FunctionDef, _ast.AsyncFunctionDef)):
            start = min([d.lineno for d in node.decorator_list]
                        + [node.lineno])
            index.setdefault(node.name, []).append((node, start, nest))
        inner = nest + (node,) if isinstance(node, _SCOPES) else nest
        stack.extend((child, inner) for child in _children(node)
                     if isinstance(child, _BLOCKS))
    tree.pyjit_definitions = index
    return index


# --- is the text the function's? ---

def _nested(node, nest, freevars, imports):
    """A module holding node inside a copy of its nest: the classes keep
    their names (private names are mangled by them, super() needs their
    cell), the innermost function binds the free variables, and the
    module imports what it imports."""
    at = dict(lineno=node.lineno, col_offset=0, end_lineno=node.lineno,
              end_col_offset=0)
    body = [node]
    bound = False
    for scope in reversed(nest):
        if isinstance(scope, _ast.ClassDef):
            body = [_ast.ClassDef(scope.name, [], [], body, [], **at)]
            continue
        if not bound:
            body = [_ast.Assign([_ast.Name(v, _ast.Store(), **at)],
                                _ast.Constant(None, **at), **at)
                    for v in freevars if v != "__class__"] + body
            bound = True
        args = _ast.arguments([], [], None, [], [], None, [])
        body = [_ast.FunctionDef(scope.name, args, body, [], None, None,
                                 **at)]
    return _ast.Module(imports + body, [])


def _compiled(code, name, first_line):
    """The code object of the function name at first_line within code."""
    for const in code.co_consts:
        if hasattr(const, "co_code"):
            if const.co_name == name and const.co_firstlineno == first_line:
                return const
            found = _compiled(const, name, first_line)
            if found is not None:
                return found
    return None


def _assert_rewriter(module_globals):
    """pytest's assertion rewriter when pytest rewrote the function's
    module (its asserts then run as pytest's code, which compiling the
    definition again must repeat), else None."""
    if "@pytest_ar" not in module_globals:
        return None
    return sys.modules.get("_pytest.assertion.rewrite")


def _compiles_to(func, lines, node, nest, imports):
    """Whether the definition compiles to func's code object (comparing
    code objects covers bytecode, constants, names, flags, first line and
    the line and column table)."""
    code = func.__code__
    rewriter = _assert_rewriter(func.__globals__)
    if rewriter is not None:
        import copy
        node = copy.deepcopy(node)      # the parse is shared: keep it
    module = _nested(node, nest, code.co_freevars, imports)
    try:
        if rewriter is not None:
            rewriter.rewrite_asserts(module, "".join(lines).encode(),
                                     code.co_filename)
        whole = compile(module, code.co_filename, "exec",
                        code.co_flags & _FUTURE_FLAGS, True)
    except (SyntaxError, ValueError, TypeError):
        return False
    return _compiled(whole, code.co_name, code.co_firstlineno) == code


def _last_line(code):
    """The last line any instruction of code (or of a function or class
    defined in it) spans."""
    last = code.co_firstlineno
    for _, end, _, _ in code.co_positions():
        if end is not None and end > last:
            last = end
    for const in code.co_consts:
        if hasattr(const, "co_code"):
            last = max(last, _last_line(const))
    return last


_imports_alone = {}     # filename -> (text, the module-level imports)


def _top_imports(filename, lines):
    """The import statements written at the module's first column, parsed
    from their own lines (a parenthesized name list runs on until its
    parentheses close), or None when they do not parse alone."""
    text = "".join(lines)
    cached = _imports_alone.get(filename)
    if cached is not None and cached[0] == text:
        return cached[1]
    picked = []
    depth = 0
    for line in lines:
        if depth > 0 or line.startswith(("import ", "from ")):
            picked.append(line)
            depth = max(0, depth + line.count("(") - line.count(")"))
    try:
        tree = compile("".join(picked), filename, "exec",
                       _ast.PyCF_ONLY_AST, True)
        imports = _module_imports(tree)
    except (SyntaxError, ValueError):
        imports = None
    _imports_alone[filename] = (text, imports)
    return imports


def _definition_alone(func, lines):
    """(FunctionDef, first line) of a module-level function parsed from
    its own lines (its decorators through the last line its code spans),
    when they compile to func's code; else None.  A large module is then
    not parsed whole for one function: its parse costs more than the
    function's compile, and its many nodes start a collection of the whole
    heap."""
    code = func.__code__
    first = code.co_firstlineno
    if (code.co_qualname != code.co_name or code.co_freevars
            or not 0 < first <= len(lines)
            or lines[first - 1][:1] in (" ", "\t")
            or _assert_rewriter(func.__globals__) is not None):
        return None
    text = "\n" * (first - 1) + "".join(lines[first - 1:_last_line(code)])
    try:
        tree = compile(text, code.co_filename, "exec", _ast.PyCF_ONLY_AST,
                       True)
    except (SyntaxError, ValueError):
        return None
    if len(tree.body) != 1:
        return None
    node = tree.body[0]
    imports = _top_imports(code.co_filename, lines)
    if (not isinstance(node, (_ast.FunctionDef, _ast.AsyncFunctionDef))
            or node.name != code.co_name
            or imports is None
            or not _compiles_to(func, lines, node, (), imports)):
        return None
    return node, first


def _definition(func, lines):
    """(FunctionDef, first line) of func in lines, or None when the text
    holds no definition at func's line that compiles to func's code."""
    found = _definition_alone(func, lines)
    if found is not None:
        return found
    code = func.__code__
    try:
        tree, imports = _parse(code.co_filename, lines)
    except SyntaxError:
        return None
    node, start, nest = _find_nested(tree, code.co_name,
                                     code.co_firstlineno)
    if node is None or not _compiles_to(func, lines, node, nest, imports):
        return None
    return _mangled(node, nest), start


# --- private names ---

def _mangle(name, prefix):
    """name as Python spells it inside a class whose name, leading
    underscores stripped, is prefix: `__x` becomes `_Cls__x`, dunder
    names are left alone."""
    if (not prefix or not name.startswith("__") or name.endswith("__")
            or "." in name):
        return name
    return f"_{prefix}{name}"


def _mangled(node, nest):
    """node with its private names mangled by the innermost class around
    it, as Python compiles them: attributes (`self.__fill` is the method
    the class holds as `_Cls__fill`), names and parameters; not the
    keyword names of calls, nor anything inside a nested class.  The
    parse is shared, so a definition with private names is a copy."""
    classes = [s for s in nest or () if isinstance(s, _ast.ClassDef)]
    prefix = classes[-1].name.lstrip("_") if classes else ""
    if not prefix or not any(_private_name(n, prefix) for n in _walk(node)):
        return node
    import copy
    node = copy.deepcopy(node)
    todo = [node]
    while todo:
        n = todo.pop()
        if _private_name(n, prefix):
            slot = _private_slot(n)
            setattr(n, slot, _mangle(getattr(n, slot), prefix))
        todo.extend(c for c in _children(n)
                    if not isinstance(c, _ast.ClassDef))
    return node


def _private_name(node, prefix):
    """Whether node holds a name that Python mangles in the class."""
    slot = _private_slot(node)
    return slot is not None and _mangle(getattr(node, slot), prefix) \
        != getattr(node, slot)


def _private_slot(node):
    """The field of node that holds a name Python mangles, or None."""
    if isinstance(node, _ast.Attribute):
        return "attr"
    if isinstance(node, _ast.Name):
        return "id"
    if isinstance(node, _ast.arg):
        return "arg"
    return None


def inner_code(code, node):
    """The code object, among code's constants, of the def or lambda
    `node` written in code's function; None if it cannot be told apart
    (two lambdas on a line are told apart by where their bodies start)."""
    lambda_ = isinstance(node, _ast.Lambda)
    name = "<lambda>" if lambda_ else node.name
    found = [c for c in code.co_consts if hasattr(c, "co_code")
             and c.co_name == name and c.co_firstlineno == node.lineno]
    if len(found) > 1:
        body = node.body if lambda_ else node.body[0]
        at = (body.lineno, body.col_offset)
        found = [c for c in found
                 if any((p[0], p[2]) == at for p in c.co_positions())]
    return found[0] if len(found) == 1 else None


def _lambdas_at(tree, line):
    """The Lambda nodes of tree that start on line.  Only the top-level
    statements around the line are walked: a library module overloads
    with lambdas, and walking its whole tree took milliseconds each."""
    for stmt in tree.body:
        first = min([stmt.lineno] + [d.lineno for d in
                                     getattr(stmt, "decorator_list", ())])
        if first <= line <= stmt.end_lineno:
            yield from (n for n in _walk(stmt)
                        if isinstance(n, _ast.Lambda) and n.lineno == line)


def _lambda_definition(func, lines):
    """The Lambda node of the lambda func in lines, or None: the one that
    starts at func's line with func's parameters (two on a line are told
    apart by where their bodies start, as inner_code does)."""
    code = func.__code__
    try:
        tree, _ = _parse(code.co_filename, lines)
    except SyntaxError:
        return None
    params = code.co_varnames[:code.co_argcount + code.co_kwonlyargcount]
    found = [n for n in _lambdas_at(tree, code.co_firstlineno)
             if tuple(a.arg for a in n.args.args + n.args.kwonlyargs)
             == params]
    if len(found) > 1:
        starts = {(p[0], p[2]) for p in code.co_positions()}
        found = [n for n in found
                 if (n.body.lineno, n.body.col_offset) in starts]
    return found[0] if len(found) == 1 else None


def inner_info(node, filename, lines):
    """function_info of a function defined inside a jitted one (its def,
    or its lambda as the def of one return statement), from the text of
    the function around it."""
    if isinstance(node, _ast.Lambda):
        at = dict(lineno=node.lineno, col_offset=node.col_offset,
                  end_lineno=node.end_lineno,
                  end_col_offset=node.end_col_offset)
        node = _ast.FunctionDef("<lambda>", node.args,
                                [_ast.Return(node.body, **at)], [], None,
                                None, **at)
    return filename, list(lines), node, node.lineno, node.end_lineno


def _definition_in_trees(func):
    """function_info of a function compiled from a syntax tree (no text of
    it exists): the definition in a tree compile() was given whose
    compilation is func's code object, with blank lines for its text; or
    None."""
    code = func.__code__
    for tree in compiled_trees():
        node, start, nest = _find_nested(tree, code.co_name,
                                         code.co_firstlineno)
        if node is None:
            continue
        lines = ["\n"] * max(node.end_lineno or start, start)
        if _compiles_to(func, lines, node, nest, _module_imports(tree)):
            return (code.co_filename, lines, _mangled(node, nest), start,
                    node.end_lineno)
    return None


def _is_pseudo_file(filename):
    """Whether filename names no file: '<string>', '<stdin>' (a notebook
    cell's name is a file of its own, or found as one)."""
    return filename.startswith("<") and filename.endswith(">")


def function_info(func):
    """(filename, lines, FunctionDef node, first line, last line)."""
    made = getattr(func, "__pyjit_source__", None)
    if made is not None:
        return made         # a loop lifted out of an object-mode function
    code = func.__code__
    filename = code.co_filename
    if code.co_name == "<lambda>":
        # a lambda compiled by itself (njit(lambda x: ...), or what an
        # overload returns): its expression is the def of one return
        tried = False
        for lines in candidates(filename, func.__globals__):
            tried = True
            node = _lambda_definition(func, lines)
            if node is not None:
                verified[filename] = lines
                return inner_info(node, filename, lines)
        raise UnsupportedError(
            f"pyjit cannot compile the lambda {func.__qualname__}: "
            + ("its source cannot be told apart from others on its line; "
               "define it with def" if tried else
               f"its source code cannot be found (file {filename!r}); "
               "define it in a file or a notebook cell"))
    tried = False
    for lines in candidates(filename, func.__globals__):
        tried = True
        found = _definition(func, lines)
        if found is not None:
            node, start = found
            verified[filename] = lines
            return filename, list(lines), node, start, node.end_lineno
    found = _definition_in_trees(func)
    if found is not None:
        return found
    if not tried or _is_pseudo_file(filename):
        # a '<string>' source is whatever text was last compiled under that
        # name, so another function's text there is no sign of a change
        raise UnsupportedError(
            f"pyjit cannot find the source code of {func.__qualname__} "
            f"(file {filename!r}): it compiles from source, so the function "
            "must be defined in a file or a notebook cell")
    raise SourceChangedError(
        f"pyjit cannot compile {func.__qualname__}: the source file "
        f"{filename!r} has changed since the function was defined (its "
        f"text at line {code.co_firstlineno} is not the code Python runs); "
        "import or run the file again to compile its new text")
