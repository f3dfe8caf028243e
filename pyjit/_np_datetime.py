"""np.datetime64 and np.timedelta64 called in nopython code with constant
arguments, as Numba takes them: the value is made when the function
compiles (np.datetime64('2020-01-01'), np.timedelta64(3, 'D'),
np.datetime64('NaT')).
"""
import numpy as np

from . import types as _types
from .extending import overload


def _constant_of(*args):
    """The Python values of Literal types args, or None when one is not
    a constant."""
    values = []
    for a in args:
        if a is None or isinstance(a, (_types.NoneType, _types.Omitted)):
            continue
        if not isinstance(a, _types.Literal):
            return None
        values.append(a.literal_value)
    return values


def _made_constant(cls, value, unit):
    """An implementation returning cls(value, unit), made now, when both
    are constants; None otherwise."""
    values = _constant_of(value, unit)
    if values is None:
        return None
    made = cls(*values)

    def impl(value, unit=None):
        return made
    return impl


@overload(np.datetime64, prefer_literal=True)
def _datetime64_typer(value, unit=None):
    """A constant datetime64 (a date string or NaT, with an optional
    unit)."""
    return _made_constant(np.datetime64, value, unit)


@overload(np.timedelta64, prefer_literal=True)
def _timedelta64_typer(value, unit=None):
    """A constant timedelta64 (a count or NaT, with an optional unit)."""
    return _made_constant(np.timedelta64, value, unit)
