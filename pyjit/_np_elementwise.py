"""Small NumPy pieces written on others: a.fill(v), np.signbit and the
older names of np.random.random_sample (np.random.ranf, np.random.sample).

np.signbit is the sign of np.copysign(1.0, x), which keeps the sign bit of
a negative zero and of a NaN, as np.signbit does; of an integer it is
x < 0.  It maps arrays element-wise as np.copysign does."""

import numpy as np

from . import _np_random


def fill(a, v):
    """a.fill(v): every element of a (any dimensions, any layout) set to
    v, converted to a's dtype."""
    if a.ndim == 0:
        a[()] = v
    elif a.ndim == 1:
        for i in range(a.shape[0]):
            a[i] = v
    else:
        for i in range(a.shape[0]):
            fill(a[i], v)


def signbit(x):
    return np.copysign(1.0, x) < 0


def ranf(size=None):
    return _np_random.random_sample(size)


FUNCTIONS = {"signbit": signbit, np.random.ranf: ranf,
             np.random.sample: ranf}

METHODS = ()

METHOD_IMPLS = {"fill": fill}

HELPERS = ()
