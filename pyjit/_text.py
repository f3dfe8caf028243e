"""The source text of functions, as pyjit compiles and keys them: files
decoded as Python decodes source, and the text linecache holds (notebook
cells, zip imports, a file read before it was edited).

Kept apart from the parsing and checking of pyjit/_source.py because
loading a cached specialization needs the text and nothing else: that is
on the path of a first call.
"""
import collections
import os
import sys

_read = {}      # filename -> ((mtime, size), lines) of the last read
verified = {}   # filename -> the lines a function was last compiled from

# Source that exists nowhere but in the compile() call that made it: a
# string passed to exec() or compile() under a name that is not a file
# ("<string>", "README.md:block3"), or a syntax tree a library built and
# compiled (numbagg rewrites its reductions' trees; Numba compiles them
# from bytecode, pyjit from their source).  An audit hook keeps the
# latest of each, so that such a function can be found and checked (its
# text or tree must compile to its own code object) when it is jitted.
# Bounded: the latest _KEPT texts per name, and the latest _KEPT_TREES
# trees in all (a test runner rewrites and compiles the tree of every
# test module; those have files and must not pile up).
_KEPT = 8
_KEPT_TREES = 64
_texts = {}     # filename -> recent texts compiled under it, newest last
_trees = collections.deque(maxlen=_KEPT_TREES)  # recent trees, newest last


def _caller_module():
    try:
        return sys._getframe(2).f_globals.get("__name__") or ""
    except (ValueError, AttributeError):
        return ""


def _keep_text(filename, text):
    kept = _texts.setdefault(filename, [])
    if text in kept:
        kept.remove(text)
    kept.append(text)
    del kept[:-_KEPT]


def _on_compile(event, args):
    if event != "compile" or len(args) < 2:
        return
    source, filename = args[0], args[1]
    if isinstance(source, (str, bytes)):
        if (not isinstance(filename, str) or os.path.isfile(filename)
                or _caller_module().startswith(("pyjit", "importlib"))):
            return
        if isinstance(source, bytes):
            source = source.decode("utf-8", "replace")
        _keep_text(filename, source)
    elif type(source).__name__ in ("Module", "Interactive"):
        if not _caller_module().startswith("pyjit"):
            _trees.append(source)


def compiled_trees():
    """The syntax trees compile() was given, newest first."""
    return list(reversed(_trees))


def _decode(data):
    """Text of a source file's bytes, decoded as Python decodes source."""
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
        return data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        return None


def _read_file(filename):
    """Lines of a source file on disk (kept until the file changes)."""
    try:
        with open(filename, "rb") as f:
            st = os.fstat(f.fileno())
            stamp = (st.st_mtime_ns, st.st_size)
            kept = _read.get(filename)
            if kept is not None and kept[0] == stamp:
                return kept[1]
            data = f.read()
    except OSError:
        return None
    text = _decode(data)
    lines = text.splitlines(keepends=True) if text is not None else None
    _read[filename] = (stamp, lines)
    return lines


def _cached_lines(filename, module_globals):
    """The lines linecache holds for the file (notebook cells, zip imports,
    a file read before it was edited), or None."""
    linecache = sys.modules.get("linecache")
    if linecache is not None and filename in linecache.cache:
        return linecache.getlines(filename, module_globals) or None
    return None


def candidates(filename, module_globals):
    """Texts that may be the file's as Python compiled it, best first."""
    cached = _cached_lines(filename, module_globals)
    if cached:
        yield cached
    disk = _read_file(filename) if os.path.exists(filename) else None
    if disk and disk != cached:
        yield disk
    if not cached and not disk:
        import linecache
        lines = linecache.getlines(filename, module_globals)
        if lines:
            yield lines
    for text in reversed(_texts.get(filename, ())):
        lines = text.splitlines(keepends=True)
        if lines != cached and lines != disk:
            yield lines
    command = _command_text() if filename == "<string>" else None
    if command is not None:
        yield command.splitlines(keepends=True)


def _command_text():
    """The code `python -c` was given: compiled before pyjit was imported,
    so no audit event brought it here, but the interpreter keeps its
    command line."""
    argv = getattr(sys, "orig_argv", ())
    for i in range(1, len(argv) - 1):
        if argv[i] == "-c":
            return argv[i + 1]
        if not argv[i].startswith("-"):
            break
    return None


def source_lines(filename, module_globals):
    """The file's lines as pyjit compiles from them (the text a function
    of the file was compiled from, else linecache's, else the disk's), or
    an empty list."""
    lines = verified.get(filename)
    if lines is not None:
        return lines
    return next(candidates(filename, module_globals), [])


def _last_line(code):
    """The last line of the code object's source (its own and those nested
    in it)."""
    last = code.co_firstlineno
    for _, end, _, _ in code.co_positions():
        if end is not None and end > last:
            last = end
    for c in code.co_consts:
        if hasattr(c, "co_positions"):
            last = max(last, _last_line(c))
    return last


def function_text(func):
    """The source text a function compiles from, or None when there is
    none."""
    made = getattr(func, "__pyjit_source__", None)
    if made is not None:        # a loop lifted out of an object-mode function
        _, lines, _, first, last = made
        return "".join(lines[first - 1:last])
    code = func.__code__
    lines = source_lines(code.co_filename, func.__globals__)
    if not lines:
        return None
    return "".join(lines[code.co_firstlineno - 1:_last_line(code)])


# installed once, when pyjit is imported (an audit hook stays for the
# process's life)
sys.addaudithook(_on_compile)
