"""Plans for `"...".format(...)` and `"..." % args` with a constant
format string: the frontend (csrc/frontend.c) compiles them as it
compiles an f-string, each argument evaluated once, in order, and each
field a call of format() with the spec CPython's formatting would use.

A plan is a tuple of pieces: a str is literal text; a tuple
(index, conversion, spec) formats argument `index` (positional arguments
first, then the keyword arguments in the order written) after a
conversion ('' none, 's' str, 'r' repr, 'a' ascii, 'i' int)
with the spec, itself a plan, or None.  A format string the plan cannot
express (attribute or index fields, `*` widths, mapping keys) has no
plan: the call is compiled as written and fails as unsupported.
"""
import _string


class _NoPlan(Exception):
    pass


def format_plan(fmt, npos, kwnames):
    """The plan of fmt.format(<npos arguments>, **{kwnames}), or None."""
    try:
        auto = [0, False, False]    # next automatic index, used auto, manual
        return _fields(fmt, npos, tuple(kwnames), auto, 2)
    except (_NoPlan, ValueError):
        return None


def _field_index(name, npos, kwnames, auto):
    first, rest = _string.formatter_field_name_split(name)
    chain = []
    for is_attr, key in rest:
        if not is_attr and not isinstance(key, int):
            raise _NoPlan           # a string key: a mapping's item
        chain.append(key)
    return _argument_index(str(first), npos, kwnames, auto), tuple(chain)


def _argument_index(name, npos, kwnames, auto):
    if name == "":
        if auto[2]:
            raise _NoPlan
        auto[1] = True
        i = auto[0]
        auto[0] += 1
    elif name.isdigit():
        if auto[1]:
            raise _NoPlan
        auto[2] = True
        i = int(name)
    elif name.isidentifier() and name in kwnames:
        return npos + kwnames.index(name)
    else:
        raise _NoPlan               # attributes, indexes, missing names
    if i >= npos:
        raise _NoPlan
    return i


def _fields(fmt, npos, kwnames, auto, depth):
    if depth == 0:
        raise _NoPlan
    pieces = []
    for text, name, spec, conv in _string.formatter_parser(fmt):
        if text:
            pieces.append(text)
        if name is None:
            continue
        i, chain = _field_index(name, npos, kwnames, auto)
        sub = _fields(spec, npos, kwnames, auto, depth - 1) if spec else None
        pieces.append((i, conv or "", sub, chain))
    return tuple(pieces)


_PCT_TYPES = "diouxXeEfFgGrsa"


def _pct_spec(flags, width, precision, kind):
    """The format() spec of one %-field, and the conversion before it."""
    text = kind in "sra"
    conv = {"d": "i", "i": "i", "u": "i", "s": "s", "r": "r",
            "a": "a"}.get(kind, "")
    spec = ""
    if "-" in flags and width:
        spec += "<"
    elif text and width:
        spec += ">"             # % right-aligns strings; format() does not
    if "+" in flags:
        spec += "+"
    elif " " in flags:
        spec += " "
    if "#" in flags and kind in "oxXeEfFgG":
        spec += "#"
    if "0" in flags and "-" not in flags and not text:
        spec += "0"
    spec += width
    if precision is not None:
        spec += "." + precision
    if kind in "diu":
        spec += "d"
    elif kind in "oxXeEfFgG":
        spec += kind
    return conv, spec


def percent_plan(fmt, nargs):
    """The plan of fmt % (<nargs arguments>), or None."""
    pieces, i, n, argi = [], 0, len(fmt), 0
    text = []
    while i < n:
        c = fmt[i]
        i += 1
        if c != "%":
            text.append(c)
            continue
        j = i
        while j < n and fmt[j] in "-+ #0":
            j += 1
        flags = fmt[i:j]
        k = j
        while k < n and fmt[k].isdigit():
            k += 1
        width = fmt[j:k]
        precision = None
        if k < n and fmt[k] == ".":
            m = k + 1
            while m < n and fmt[m].isdigit():
                m += 1
            precision = fmt[k + 1:m] or "0"
            k = m
        while k < n and fmt[k] in "hlL":
            k += 1
        if k >= n:
            return None             # incomplete format: CPython's error
        kind = fmt[k]
        i = k + 1
        if kind == "%" and not flags and not width and precision is None:
            text.append("%")
            continue
        if kind not in _PCT_TYPES or argi >= nargs:
            return None
        if text:
            pieces.append("".join(text))
            text = []
        conv, spec = _pct_spec(flags, width, precision, kind)
        pieces.append((argi, conv, (spec,) if spec else None, ()))
        argi += 1
    if text:
        pieces.append("".join(text))
    if argi != nargs:
        return None                 # not all arguments converted
    return tuple(pieces)
