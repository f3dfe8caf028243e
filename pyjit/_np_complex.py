"""NumPy's element-wise functions on one complex number, for the ufuncs
whose twin is a math function of reals (np.sqrt, np.exp, np.sin,
np.isnan...): csrc/ufuncs.c computes an element of a complex array, or a
complex number, with the function of the ufunc's name here.

They follow NumPy's loops (npymath's): infinities and NaNs give infinite
or NaN parts, never an exception as cmath's would; the parts are computed
with NumPy's float functions.
"""
import cmath
import math

import numpy as np

from . import _core
from ._core import _cacos, _cacosh, _casin, _casinh, _catan, _catanh

_LN2 = math.log(2.0)
_LN10 = math.log(10.0)


def sqrt(z):
    return cmath.sqrt(z)


def exp(z):
    return cmath.exp(z)


def log(z):
    return cmath.log(z)


def log10(z):
    w = cmath.log(z)
    return complex(w.real / _LN10, w.imag / _LN10)


def log2(z):
    w = cmath.log(z)
    return complex(w.real / _LN2, w.imag / _LN2)


def exp2(z):
    return cmath.exp(complex(z.real * _LN2, z.imag * _LN2))


def expm1(z):
    """exp(z) - 1 without the cancellation near 0 (npymath's nc_expm1)."""
    x = z.real
    y = z.imag
    a = np.sin(y / 2.0)
    return complex(np.expm1(x) * np.cos(y) - 2.0 * a * a,
                   np.exp(x) * np.sin(y))


def log1p(z):
    """log(1 + z), as npymath's nc_log1p."""
    x = z.real + 1.0
    return complex(np.log(np.hypot(x, z.imag)), np.arctan2(z.imag, x))


def sinh(z):
    x = z.real
    y = z.imag
    if y == 0:                  # the real axis: a zero imaginary part
        return complex(np.sinh(x), y)
    if x == 0:                  # the imaginary axis: a zero real part
        return complex(x, np.sin(y))
    return complex(np.sinh(x) * np.cos(y), np.cosh(x) * np.sin(y))


def cosh(z):
    x = z.real
    y = z.imag
    if y == 0:
        return complex(np.cosh(x), y * np.copysign(1.0, x))
    if x == 0:
        return complex(np.cos(y), x * np.copysign(1.0, y))
    return complex(np.cosh(x) * np.cos(y), np.sinh(x) * np.sin(y))


def sin(z):
    w = sinh(complex(-z.imag, z.real))      # sin(z) = -i sinh(iz)
    return complex(w.imag, -w.real)


def cos(z):
    return cosh(complex(-z.imag, z.real))   # cos(z) = cosh(iz)


def tanh(z):
    """Kahan's formula (npymath's ctanh): no overflow of sinh and cosh
    for a large real part, where tanh is +-1."""
    x = z.real
    y = z.imag
    if y == 0:
        return complex(np.tanh(x), y)
    if x == 0:
        return complex(x, np.tan(y))
    if abs(x) > 22.0:
        e = np.exp(-2.0 * abs(x))
        return complex(np.copysign(1.0, x), 4.0 * np.sin(y) * np.cos(y) * e)
    t = np.tan(y)
    beta = 1.0 + t * t
    s = np.sinh(x)
    rho = np.sqrt(1.0 + s * s)
    denom = 1.0 + beta * s * s
    return complex(beta * rho * s / denom, t / denom)


def tan(z):
    w = tanh(complex(-z.imag, z.real))      # tan(z) = -i tanh(iz)
    return complex(w.imag, -w.real)


# NumPy's inverse trigonometric and hyperbolic loops of complex numbers
# are the C library's functions; so are these (_core's intrinsics).
def arcsin(z):
    return _casin(z)


def arccos(z):
    return _cacos(z)


def arctan(z):
    return _catan(z)


def arcsinh(z):
    return _casinh(z)


def arccosh(z):
    return _cacosh(z)


def arctanh(z):
    return _catanh(z)


def isnan(z):
    return np.isnan(z.real) or np.isnan(z.imag)


def isinf(z):
    return np.isinf(z.real) or np.isinf(z.imag)


def isfinite(z):
    return np.isfinite(z.real) and np.isfinite(z.imag)


def _ordered(x, y, larger):
    """x >= y (x <= y) in NumPy's order of complex numbers: by real part,
    then imaginary part; false when a part is NaN."""
    if x.real == y.real:
        return x.imag >= y.imag if larger else x.imag <= y.imag
    if np.isnan(x.imag) or np.isnan(y.imag):
        return False
    return x.real > y.real if larger else x.real < y.real


def maximum(x1, x2):
    """The larger; a NaN wins, x1's first."""
    return x1 if _ordered(x1, x2, True) or isnan(x1) else x2


def minimum(x1, x2):
    return x1 if _ordered(x1, x2, False) or isnan(x1) else x2


def fmax(x1, x2):
    """The larger; a NaN loses."""
    return x1 if _ordered(x1, x2, True) or isnan(x2) else x2


def fmin(x1, x2):
    return x1 if _ordered(x1, x2, False) or isnan(x2) else x2


def sign(z):
    """NumPy 2's z / |z|, 0 for 0: an infinite part gives its direction,
    both parts infinite or a NaN give NaN."""
    r = np.hypot(z.real, z.imag)
    if np.isnan(r):
        return complex(np.nan, np.nan)
    if np.isinf(r):
        if np.isinf(z.real) and np.isinf(z.imag):
            return complex(np.nan, np.nan)
        if np.isinf(z.real):
            return complex(1.0 if z.real > 0 else -1.0, 0.0)
        return complex(0.0, 1.0 if z.imag > 0 else -1.0)
    if r == 0:
        return complex(0.0, 0.0)
    return complex(z.real / r, z.imag / r)


_FUNCTIONS = (sqrt, exp, log, log10, log2, exp2, expm1, log1p, sin, cos,
              sinh, cosh, tanh, tan, arcsin, arccos, arctan, arcsinh,
              arccosh, arctanh, isnan, isinf, isfinite, _ordered,
              maximum, minimum, fmax, fmin, sign)


def library():
    """{NumPy ufunc name: dispatcher}, the functions rebound to their
    dispatchers (tan calls compiled tanh)."""
    made = {f.__name__: _core.Dispatcher(f, nopython=True)
            for f in _FUNCTIONS}
    globals().update(made)
    return made
