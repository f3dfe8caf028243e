"""Operations on bytes and bytearray (csrc/bytes.c) written as plain
Python: `x in b` for an integer x, with Python's check that it is a
byte."""
from . import _core


def contains(x, b):
    if x < 0 or x > 255:
        raise ValueError("byte must be in range(0, 256)")
    for c in b:
        if c == x:
            return True
    return False


def not_contains(x, b):
    return not contains(x, b)


def library():
    """{name: dispatcher}, contains rebound to its dispatcher so that
    not_contains calls compiled code."""
    g = globals()
    made = {}
    for name in ("contains", "not_contains"):
        made[name] = g[name] = _core.Dispatcher(g[name], nopython=True)
    return made
