"""The source text of functions, as pyjit compiles and keys them: files
decoded as Python decodes source, and the text linecache holds (notebook
cells, zip imports, a file read before it was edited).

Kept apart from the parsing and checking of pyjit/_source.py because
loading a cached specialization needs the text and nothing else: that is
on the path of a first call.
"""
import os
import sys

_read = {}      # filename -> ((mtime, size), lines) of the last read
verified = {}   # filename -> the lines a function was last compiled from


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
