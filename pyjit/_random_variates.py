"""The random module's distributions in compiled code, as Numba has them:
CPython's algorithms (those of Python 3.11) drawing from the random
module's generator of compiled code (pyjit/_np_random.py), so that after
random.seed(n) in compiled code they give Numba's numbers for n.

As in Numba, normalvariate is gauss (NumPy's polar method, keeping the
second value for the next call) rather than CPython's Kinderman-Monahan
method, and lognormvariate is the exponential of gauss; paretovariate is
1 / u ** (1 / alpha), CPython's form before 3.11 (u ** (-1 / alpha) is at
times an ulp apart); triangular with high == low returns low without
drawing (CPython draws first).
"""
import math
import random as _pyrandom

from ._core import _random_double, _random_gauss
from ._np_random import _PY, py_gauss

# Cheng's rejection test for gamma shapes above 1.
_LOG4 = math.log(4.0)
_SG_MAGICCONST = 1.0 + math.log(4.5)


def lognormvariate(mu, sigma):
    return math.exp(mu + sigma * _random_gauss(_PY))


def expovariate(lambd=1.0):
    # 1 - u, not u: u may be 0, never 1.
    return -math.log(1.0 - _random_double(_PY)) / lambd


def paretovariate(alpha):
    u = 1.0 - _random_double(_PY)
    return 1.0 / u ** (1.0 / alpha)


def weibullvariate(alpha, beta):
    u = 1.0 - _random_double(_PY)
    return alpha * (-math.log(u)) ** (1.0 / beta)


def triangular(low=0.0, high=1.0, mode=None):
    if mode is None:
        c = 0.5
    else:
        if high == low:
            return low
        c = (mode - low) / (high - low)
    u = _random_double(_PY)
    if u > c:
        u = 1.0 - u
        c = 1.0 - c
        low, high = high, low
    return low + (high - low) * math.sqrt(u * c)


def _gamma_cheng(alpha):
    """A standard gamma draw of shape alpha > 1: Cheng's rejection method
    (Applied Statistics 26, 1977)."""
    ainv = math.sqrt(2.0 * alpha - 1.0)
    bbb = alpha - _LOG4
    ccc = alpha + ainv
    while True:
        u1 = _random_double(_PY)
        if not 1e-7 < u1 < 0.9999999:
            continue
        u2 = 1.0 - _random_double(_PY)
        v = math.log(u1 / (1.0 - u1)) / ainv
        x = alpha * math.exp(v)
        z = u1 * u1 * u2
        r = bbb + ccc * v - x
        if r + _SG_MAGICCONST - 4.5 * z >= 0.0 or r >= math.log(z):
            return x


def _gamma_gs(alpha):
    """A standard gamma draw of shape 0 < alpha < 1: algorithm GS of
    Kennedy and Gentle's Statistical Computing."""
    while True:
        u = _random_double(_PY)
        b = (math.e + alpha) / math.e
        p = b * u
        if p <= 1.0:
            x = p ** (1.0 / alpha)
        else:
            x = -math.log((b - p) / alpha)
        u1 = _random_double(_PY)
        if p > 1.0:
            if u1 <= x ** (alpha - 1.0):
                return x
        elif u1 <= math.exp(-x):
            return x


def gammavariate(alpha, beta):
    if alpha <= 0.0 or beta <= 0.0:
        raise ValueError("gammavariate: alpha and beta must be > 0.0")
    if alpha > 1.0:
        return _gamma_cheng(alpha) * beta
    if alpha == 1.0:
        return expovariate() * beta
    return _gamma_gs(alpha) * beta


def betavariate(alpha, beta):
    y = gammavariate(alpha, 1.0)
    if y == 0.0:
        return 0.0
    return y / (y + gammavariate(beta, 1.0))


def vonmisesvariate(mu, kappa):
    """Fisher's method (Statistical Analysis of Circular Data, 1993), as
    CPython has it; uniform on the circle for kappa <= 1e-6."""
    if kappa <= 1e-6:
        return 2.0 * math.pi * _random_double(_PY)
    s = 0.5 / kappa
    r = s + math.sqrt(1.0 + s * s)
    while True:
        z = math.cos(math.pi * _random_double(_PY))
        d = z / (r + z)
        u2 = _random_double(_PY)
        if u2 < 1.0 - d * d or u2 <= (1.0 - d) * math.exp(d):
            break
    q = 1.0 / r
    f = (q + z) / (1.0 + q * z)
    if _random_double(_PY) > 0.5:
        return (mu + math.acos(f)) % (2.0 * math.pi)
    return (mu - math.acos(f)) % (2.0 * math.pi)


FUNCTIONS = {
    _pyrandom.normalvariate: py_gauss,         # as gauss, as in Numba
    _pyrandom.lognormvariate: lognormvariate,
    _pyrandom.expovariate: expovariate,
    _pyrandom.paretovariate: paretovariate,
    _pyrandom.weibullvariate: weibullvariate,
    _pyrandom.triangular: triangular,
    _pyrandom.gammavariate: gammavariate,
    _pyrandom.betavariate: betavariate,
    _pyrandom.vonmisesvariate: vonmisesvariate,
}

METHODS = ()

HELPERS = (_gamma_cheng, _gamma_gs)
