"""NumPy's sum for parallel=True functions (np.sum and a.sum()): the
result of pyjit/_numpy.py's, summed over prange so that the elements are added on
every thread (each thread's slice in order, the slices then in order, as
Numba's parallel reductions add them: float sums may differ from the
serial ones in the last bits).  A reduction along an axis is the serial
library's."""
import numpy as np

from ._core import _sum_zero
from ._parallel import prange


def array_sum(a, axis=None):
    if axis is not None:
        return _serial_sum(a, axis)
    if a.ndim == 1:
        return _sum_1d(a)
    return _sum_1d(a.ravel())


def _sum_1d(a):
    s = _sum_zero(a)
    for i in prange(len(a)):
        s += a[i]
    return s


def _serial_sum(a, axis):
    """Replaced by the serial library's np.sum in library()."""


_FUNCTIONS = {"sum": array_sum}


def library(serial):
    """({NumPy callable: dispatcher}, {array method name: dispatcher}) of
    the reductions parallel=True functions run on threads; `serial` is the
    serial library's {NumPy callable: dispatcher}."""
    from . import _core
    global _serial_sum
    _serial_sum = serial[np.sum]
    made = {}
    for impl in (array_sum, _sum_1d):
        made[impl] = _core.Dispatcher(impl, nopython=True, parallel=True,
                                      error_model="numpy")
        globals()[impl.__name__] = made[impl]
    functions = {getattr(np, name): made[impl]
                 for name, impl in _FUNCTIONS.items()}
    methods = {name: made[impl] for name, impl in _FUNCTIONS.items()}
    return functions, methods
