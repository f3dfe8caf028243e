"""Finding a function's source and its AST (used on the first compile).

The frontend compiles from the AST, which carries a line and column for
every node.  The whole file (or notebook cell) is parsed and the function's
definition found by name and first line, so nested functions, methods and
decorated functions are all found exactly.  Parsed files are kept, keyed by
their text, so functions from one file share a parse.
"""
import _ast
import os
import sys

from .errors import UnsupportedError

_parsed = {}    # filename -> (text, tree)


def _read_file(filename):
    """Lines of a source file on disk, decoded as Python decodes source."""
    try:
        with open(filename, "rb") as f:
            data = f.read()
    except OSError:
        return None
    encoding = "utf-8"
    for line in data.splitlines()[:2]:
        if line.lstrip().startswith(b"#") and b"coding" in line:
            for marker in (b"coding:", b"coding="):
                i = line.find(marker)
                if i >= 0:
                    rest = line[i + len(marker):].strip().split()
                    if rest:
                        encoding = rest[0].decode("ascii", "replace")
            break
    try:
        text = data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        return None
    return text.splitlines(keepends=True)


def _source_lines(filename, module_globals):
    """The file's lines: from linecache when it knows them (notebook cells,
    zip imports), else from disk."""
    linecache = sys.modules.get("linecache")
    if linecache is not None and filename in linecache.cache:
        lines = linecache.getlines(filename, module_globals)
        if lines:
            return lines
    if os.path.exists(filename):
        lines = _read_file(filename)
        if lines:
            return lines
    import linecache
    return linecache.getlines(filename, module_globals)


def _parse(filename, lines):
    text = "".join(lines)
    cached = _parsed.get(filename)
    if cached is not None and cached[0] == text:
        return cached[1]
    tree = compile(text, filename, "exec", _ast.PyCF_ONLY_AST, True)
    _parsed[filename] = (text, tree)
    return tree


def _children(node):
    for name in node._fields:
        value = getattr(node, name, None)
        if isinstance(value, list):
            for item in value:
                if isinstance(item, _ast.AST):
                    yield item
        elif isinstance(value, _ast.AST):
            yield value


def _find(tree, name, first_line):
    """The FunctionDef whose first line (decorators included) is first_line."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, (_ast.FunctionDef, _ast.AsyncFunctionDef)) \
                and node.name == name:
            start = min([d.lineno for d in node.decorator_list]
                        + [node.lineno])
            if start == first_line or node.lineno == first_line:
                return node, start
        stack.extend(_children(node))
    return None, 0


def function_info(func):
    """(filename, lines, FunctionDef node, first line, last line)."""
    made = getattr(func, "__pyjit_source__", None)
    if made is not None:
        return made         # a loop lifted out of an object-mode function
    code = func.__code__
    filename = code.co_filename
    if code.co_name == "<lambda>":
        raise UnsupportedError(
            f"pyjit cannot compile the lambda {func.__qualname__}: "
            "define it with def")
    lines = _source_lines(filename, func.__globals__)
    if not lines:
        raise UnsupportedError(
            f"pyjit cannot find the source code of {func.__qualname__} "
            f"(file {filename!r}): it compiles from source, so the function "
            "must be defined in a file or a notebook cell")
    try:
        tree = _parse(filename, lines)
    except SyntaxError as e:
        raise UnsupportedError(
            f"pyjit cannot parse the source of {func.__qualname__} in "
            f"{filename!r}: {e}") from None
    node, start = _find(tree, code.co_name, code.co_firstlineno)
    if node is None:
        raise UnsupportedError(
            f"pyjit cannot find the definition of {func.__qualname__} at "
            f"line {code.co_firstlineno} of {filename!r}: the source file "
            "has changed since the function was defined")
    return filename, list(lines), node, start, node.end_lineno
