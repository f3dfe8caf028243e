"""str methods for nopython code, written as plain Python.

pyjit compiles these like any jitted function, for the argument types of
each call, and links them into their callers.  `library()` maps each
method name to the dispatcher of its implementation; the string kind
(csrc/unicode.c) has the methods that search natively and those that call
CPython for its Unicode tables (case mappings, character classes).  They
follow CPython's results and error messages: padding as str's `pad()`,
whitespace as `str.isspace()`.
"""
from . import _core
from ._literal_unroll import literal_unroll


def _isspace(c):
    """c.isspace() for one character: CPython's whitespace table."""
    k = ord(c)
    if k < 128:
        return (9 <= k <= 13) or (28 <= k <= 32)
    return (k == 0x85 or k == 0xa0 or k == 0x1680 or 0x2000 <= k <= 0x200a
            or k == 0x2028 or k == 0x2029 or k == 0x202f or k == 0x205f
            or k == 0x3000)


def _strip_at(s, chars, left, right):
    i = 0
    j = len(s)
    if chars is None:
        while left and i < j and _isspace(s[i]):
            i += 1
        while right and j > i and _isspace(s[j - 1]):
            j -= 1
    else:
        while left and i < j and s[i] in chars:
            i += 1
        while right and j > i and s[j - 1] in chars:
            j -= 1
    return s[i:j]


def str_strip(s, chars=None):
    return _strip_at(s, chars, True, True)


def str_lstrip(s, chars=None):
    return _strip_at(s, chars, True, False)


def str_rstrip(s, chars=None):
    return _strip_at(s, chars, False, True)


def _check_fill(fillchar):
    if len(fillchar) != 1:
        raise TypeError("The fill character must be exactly one character "
                        "long")


def str_ljust(s, width, fillchar=" "):
    _check_fill(fillchar)
    if len(s) >= width:
        return s
    return s + fillchar * (width - len(s))


def str_rjust(s, width, fillchar=" "):
    _check_fill(fillchar)
    if len(s) >= width:
        return s
    return fillchar * (width - len(s)) + s


def str_center(s, width, fillchar=" "):
    _check_fill(fillchar)
    if len(s) >= width:
        return s
    marg = width - len(s)
    left = marg // 2 + (marg & width & 1)
    return fillchar * left + s + fillchar * (marg - left)


def str_zfill(s, width):
    fill = width - len(s)
    if fill <= 0:
        return s
    if len(s) > 0 and (s[0] == "+" or s[0] == "-"):
        return s[0] + "0" * fill + s[1:]
    return "0" * fill + s


def str_join(sep, parts):
    """sep.join(parts) for a tuple or a list of strings.  Runs of up to 16
    parts are concatenated one after another, and the runs pairwise,
    level by level, so that each character is copied a few times plus once
    per level (log2 of the runs) rather than once for every part after
    it."""
    runs = []
    out = ""
    k = 0
    for p in parts:
        if k == 16:
            runs.append(out)
            out = sep
            k = 0
        elif k > 0:
            out += sep
        out += p
        k += 1
    if len(runs) == 0:
        return out
    runs.append(out)
    while len(runs) > 1:
        merged = []
        for i in range(0, len(runs) - 1, 2):
            merged.append(runs[i] + runs[i + 1])
        if len(runs) % 2 == 1:
            merged.append(runs[-1])
        runs = merged
    return runs[0]


def _check_sep(sep):
    if len(sep) == 0:
        raise ValueError("empty separator")


def _split_whitespace(s, maxsplit):
    """s.split(None, maxsplit): runs of whitespace separate, none is kept;
    past maxsplit items the rest is the last item as it stands."""
    out = []
    i = 0
    n = len(s)
    while True:
        while i < n and _isspace(s[i]):
            i += 1
        if i == n:
            break
        if maxsplit >= 0 and len(out) == maxsplit:
            out.append(s[i:])
            break
        j = i
        while j < n and not _isspace(s[j]):
            j += 1
        out.append(s[i:j])
        i = j
    return out


def _rsplit_whitespace(s, maxsplit):
    """s.rsplit(None, maxsplit): _split_whitespace from the right."""
    out = []
    j = len(s)
    while True:
        while j > 0 and _isspace(s[j - 1]):
            j -= 1
        if j == 0:
            break
        if maxsplit >= 0 and len(out) == maxsplit:
            out.append(s[:j])
            break
        i = j
        while i > 0 and not _isspace(s[i - 1]):
            i -= 1
        out.append(s[i:j])
        j = i
    out.reverse()
    return out


def str_split(s, sep=None, maxsplit=-1):
    if sep is None:
        return _split_whitespace(s, maxsplit)
    _check_sep(sep)
    out = []
    i = 0
    while maxsplit < 0 or len(out) < maxsplit:
        j = s.find(sep, i)
        if j < 0:
            break
        out.append(s[i:j])
        i = j + len(sep)
    out.append(s[i:])
    return out


def str_rsplit(s, sep=None, maxsplit=-1):
    if sep is None:
        return _rsplit_whitespace(s, maxsplit)
    _check_sep(sep)
    out = []
    j = len(s)
    while maxsplit < 0 or len(out) < maxsplit:
        k = s.rfind(sep, 0, j)
        if k < 0:
            break
        out.append(s[k + len(sep):j])
        j = k
    out.append(s[:j])
    out.reverse()
    return out


def str_partition(s, sep):
    _check_sep(sep)
    i = s.find(sep)
    if i < 0:
        return s, "", ""
    return s[:i], sep, s[i + len(sep):]


def str_rpartition(s, sep):
    _check_sep(sep)
    i = s.rfind(sep)
    if i < 0:
        return "", "", s
    return s[:i], sep, s[i + len(sep):]


# what str.splitlines breaks lines at, as CPython's unicode line breaks
_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def str_splitlines(s, keepends=False):
    out = []
    i = 0
    n = len(s)
    while i < n:
        j = i
        while j < n and s[j] not in _LINE_BREAKS:
            j += 1
        end = j
        if j < n:
            j += 2 if s[j] == "\r" and j + 1 < n and s[j + 1] == "\n" else 1
            if keepends:
                end = j
        out.append(s[i:end])
        i = j
    return out


def _scan_field(s, i):
    """The literal text of s from i to its next replacement field, with
    {{ and }} unescaped, and the index after that field (-1: none)."""
    text = ""
    n = len(s)
    while i < n:
        c = s[i]
        nxt = s[i + 1] if i + 1 < n else ""
        if c == "{" and nxt == "}":
            return text, i + 2
        if c == "{" and nxt != "{":
            raise ValueError("str.format in compiled code takes only '{}' "
                             "replacement fields")
        if c == "}" and nxt != "}":
            raise ValueError("Single '}' encountered in format string")
        text += c
        i += 2 if c == "{" or c == "}" else 1
    return text, -1


def str_format(s, *args):
    """s.format(*args) for '{}' fields: each is str() of the next
    argument, as CPython's formatting of a field without a spec."""
    out = ""
    i = 0
    for a in literal_unroll(args):
        if i >= 0:              # arguments past the last field are unused
            text, i = _scan_field(s, i)
            out += text
            if i >= 0:
                out += str(a)
    if i >= 0:
        text, i = _scan_field(s, i)
        if i >= 0:
            raise IndexError("Replacement index out of range for "
                             "positional args tuple")
        out += text
    return out


_METHODS = {
    "strip": str_strip, "lstrip": str_lstrip, "rstrip": str_rstrip,
    "ljust": str_ljust, "rjust": str_rjust, "center": str_center,
    "zfill": str_zfill, "join": str_join, "split": str_split,
    "rsplit": str_rsplit, "format": str_format, "partition": str_partition,
    "rpartition": str_rpartition, "splitlines": str_splitlines,
}


def library():
    """{str method name: dispatcher}.  The helpers are rebound to their
    dispatchers here, so that the methods call compiled code."""
    made = {}
    helpers = [_isspace, _strip_at, _check_fill, _check_sep,
               _split_whitespace, _rsplit_whitespace, _scan_field]
    for impl in list(_METHODS.values()) + helpers:
        made[impl] = _core.Dispatcher(impl, nopython=True)
        globals()[impl.__name__] = made[impl]
    return {name: made[impl] for name, impl in _METHODS.items()}
