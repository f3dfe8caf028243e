"""isinstance(x, classes) in nopython code, decided when the function
compiles from x's type, with Numba's meaning: a Python class stands for
the one type Numba gives its values (int is int64, float float64, complex
complex128, str a string, type(None) None), a NumPy scalar class for its
own (np.float32 is float32, so isinstance of a float32 with float is
False, as in Numba), and the container classes for their kinds: list a
list of compiled code or a reflected one (not a typed List), dict any
dict, tuple any tuple, set, range and bytes theirs; pyjit.typed.List and
Dict the typed containers, a jitclass its instances, a namedtuple class
its tuples, np.ndarray any array.

The frontend (csrc/frontend.c) turns `isinstance(x, C)`, C a class or a
tuple of classes named by globals, into `isinstance_of(x, key)`: key is a
string constant naming the classes, registered here.  The overload below
types it as a constant; when x is an argument, typeinfer.c asks `decide`
before typing, so that the branch it rules out is not typed at all."""
import builtins

import numpy as np

from . import types as _types
from .errors import TypingError
from .extending import overload

_CLASSES = {}       # key -> the tuple of classes it names


def _name(cls):
    return f"{getattr(cls, '__module__', '?')}.{getattr(cls, '__qualname__', repr(cls))}"


def key_of(classes):
    """The key naming a tuple of classes, registered for decide(): their
    names, numbered when other classes of the same names have one (a
    class a factory function makes each time it runs)."""
    names = "|".join(_name(c) for c in classes)
    key, n = names, 1
    while _CLASSES.setdefault(key, classes) != classes:
        n += 1
        key = f"{names}#{n}"
    return key


def isinstance_of(x, key):
    """What the call means in Python."""
    return builtins.isinstance(x, _CLASSES[key])


def _is_bytes(t):
    return t.kind == "ARRAY" and "bytes(" in str(t)


def _typed_containers():
    from .typed import Dict, List
    return {List: lambda t: isinstance(t, _types.ListType),
            Dict: lambda t: t.kind == "DICT"}


_BY_KIND = {
    bytes: _is_bytes,
    range: lambda t: t.kind == "RANGE",
    dict: lambda t: t.kind == "DICT",
    list: lambda t: isinstance(t, _types.List),
    tuple: lambda t: isinstance(t, _types.BaseTuple),
    set: lambda t: t.kind == "SET",
    np.ndarray: lambda t: t.kind == "ARRAY" and not _is_bytes(t),
}

_PYTHON_CLASSES = {
    bool: _types.boolean, int: _types.int64, float: _types.float64,
    complex: _types.complex128, type(None): _types.none,
}

# the kinds of values Numba's isinstance answers for; others are an error,
# not a False that might be wrong
_SUPPORTED = ("BOOL", "INT", "UINT", "FLOAT", "COMPLEX", "NONE", "UNICODE",
              "ARRAY", "UNITUPLE", "TUPLE", "LIST", "DICT", "SET", "RANGE",
              "DISPATCHER", "FUNCTION", "JITCLASS")


def _is_jitclass(cls):
    return hasattr(cls, "_pj_ctor")


def _matches(t, cls):
    """Whether values of type t are instances of cls."""
    test = _BY_KIND.get(cls) or _typed_containers().get(cls)
    if test is not None:
        return test(t)
    if cls is str:
        return t.kind == "UNICODE"
    if cls in _PYTHON_CLASSES:
        return t == _PYTHON_CLASSES[cls]
    if isinstance(cls, type) and issubclass(cls, np.generic):
        try:
            return t == _types_of_scalar_class(cls)
        except (TypeError, ValueError):
            return False
    if _is_jitclass(cls):
        return t.kind == "JITCLASS" and t.key[-1] is cls
    if isinstance(cls, type) and issubclass(cls, tuple):
        return t.instance_class is cls          # a namedtuple class
    raise TypingError(f"isinstance() in compiled code cannot test for "
                      f"{_name(cls)}: name a Python or NumPy number class, "
                      f"str, a container class (list, dict, tuple, set, "
                      f"range, bytes, pyjit.typed.List or Dict), "
                      f"np.ndarray, a jitclass or a namedtuple class")


def _types_of_scalar_class(cls):
    from . import typeof
    return typeof(cls(0))


def decide(t, key):
    """Whether values of type t are instances of the classes key names."""
    t = _types.unliteral(t)
    if t.kind == "STRLIT":
        t = _types.unicode_type
    if t.kind == "OPTIONAL":
        raise TypingError(f'isinstance cannot handle optional types. '
                          f'Found: "{t}"')
    if t.kind not in _SUPPORTED:
        raise TypingError(f'isinstance() does not support variables of '
                          f'type "{t}"')
    return any(_matches(t, cls) for cls in _CLASSES[key])


def _true(x, key):
    return True


def _false(x, key):
    return False


@overload(isinstance_of)
def _isinstance_of(x, key):
    return _true if decide(x, key.literal_value) else _false
