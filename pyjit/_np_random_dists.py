"""np.random's other distributions in compiled code, as Numba has them:
the legacy RandomState algorithms NumPy keeps frozen (the ones of NumPy
1.16's randomkit), on the stream np.random.seed(n) seeds in compiled code
(pyjit/_np_random.py), so that the same seed gives NumPy's numbers.

Binomial draws are NumPy's inversion and BTPE, the functions the
Generator uses (pyjit/_np_generator.py), bound here to this module's
names so that they draw from the legacy stream: NumPy shares BTPE between
RandomState and Generator too, and keeps RandomState's inversion.
Poisson draws are the Generator's too (multiplication for lam < 10, PTRS
above), as RandomState's are.

Gamma draws are Marsaglia and Tsang's with the legacy polar normals
(shape > 1) or Johnk-style rejection on exponentials (shape < 1); beta is
Johnk's (both parameters at most 1) or a ratio of gammas; chisquare, f and
standard_t are made of gammas and normals; the rest are transforms of one
uniform, exponential or normal draw.  Each takes size=None (one number) or
a shape, and checks its parameters with NumPy's messages.
"""
import math
import types

import numpy as np

from . import _np_generator
from ._core import _random_double, _random_gauss

_NP = 0     # np.random's generator (pyjit/_np_random.py)


def _rebound(fn, namespace):
    """fn of the Generator's module, its global names read in namespace;
    its Python function when that module's library was made first and fn
    is already its dispatcher."""
    fn = getattr(fn, "py_func", fn)
    return types.FunctionType(fn.__code__, namespace, fn.__name__,
                              fn.__defaults__, fn.__closure__)


def _bound_here(fn):
    return _rebound(fn, globals())


# The Generator's binomial, its draws from the legacy stream: the
# functions call _npgen_next_double(g), and g is _NP here; with the
# inversion of legacy-distributions.c (q ** n by log(q), and a draw for n
# == 0 or p == 0 too).
_npgen_next_double = _random_double
_LEGACY_BINOMIAL = True
_binomial = _bound_here(_np_generator._binomial)
_binomial_inversion = _bound_here(_np_generator._binomial_inversion)
_binomial_btpe = _bound_here(_np_generator._binomial_btpe)
_btpe_squeeze_rejects = _bound_here(_np_generator._btpe_squeeze_rejects)
_stirling = _bound_here(_np_generator._stirling)
# and its Poisson (RandomState's is the Generator's)
_LOGGAM_A = _np_generator._LOGGAM_A
_poisson = _bound_here(_np_generator._poisson)
_poisson_mult = _bound_here(_np_generator._poisson_mult)
_poisson_ptrs = _bound_here(_np_generator._poisson_ptrs)
_c_int64 = _bound_here(_np_generator._c_int64)
_loggam = _bound_here(_np_generator._loggam)


# --- one draw each (NumPy's legacy-distributions.c and randomkit) ---

def _std_exponential():
    return -math.log(1.0 - _random_double(_NP))


def _std_gamma(shape, unused):
    if shape == 1.0:
        return _std_exponential()
    if shape == 0.0:
        return 0.0
    if shape < 1.0:
        while True:
            u = _random_double(_NP)
            v = _std_exponential()
            if u <= 1.0 - shape:
                x = u ** (1.0 / shape)
                if x <= v:
                    return x
            else:
                y = -math.log((1.0 - u) / shape)
                x = (1.0 - shape + shape * y) ** (1.0 / shape)
                if x <= v + y:
                    return x
    b = shape - 1.0 / 3.0
    c = 1.0 / math.sqrt(9.0 * b)
    while True:
        while True:
            x = _random_gauss(_NP)
            v = 1.0 + c * x
            if v > 0.0:
                break
        v = v * v * v
        u = _random_double(_NP)
        if u < 1.0 - 0.0331 * (x * x) * (x * x):
            return b * v
        if math.log(u) < 0.5 * x * x + b * (1.0 - v + math.log(v)):
            return b * v


def _gamma(shape, scale):
    return scale * _std_gamma(shape, 0.0)


def _beta(a, b):
    if a <= 1.0 and b <= 1.0:
        while True:
            u = _random_double(_NP)
            v = _random_double(_NP)
            x = u ** (1.0 / a)
            y = v ** (1.0 / b)
            if x + y <= 1.0:
                if x + y > 0.0:
                    return x / (x + y)
                log_x = math.log(u) / a
                log_y = math.log(v) / b
                log_m = max(log_x, log_y)
                log_x -= log_m
                log_y -= log_m
                return math.exp(log_x - math.log(math.exp(log_x)
                                                 + math.exp(log_y)))
    ga = _std_gamma(a, 0.0)
    gb = _std_gamma(b, 0.0)
    return ga / (ga + gb)


def _chisquare(df, unused):
    return 2.0 * _std_gamma(df / 2.0, 0.0)


def _f(dfnum, dfden):
    return (_chisquare(dfnum, 0.0) * dfden) / (_chisquare(dfden, 0.0) * dfnum)


def _std_t(df, unused):
    num = _random_gauss(_NP)
    denom = _std_gamma(df / 2.0, 0.0)
    return math.sqrt(df / 2.0) * num / math.sqrt(denom)


def _std_cauchy(unused, unused2):
    return _random_gauss(_NP) / _random_gauss(_NP)


def _lognormal(mean, sigma):
    return math.exp(mean + sigma * _random_gauss(_NP))


def _laplace(loc, scale):
    u = _random_double(_NP)
    if u >= 0.5:
        return loc - scale * math.log(2.0 - u - u)
    while u == 0.0:
        u = _random_double(_NP)
    return loc + scale * math.log(u + u)


def _gumbel(loc, scale):
    u = 1.0 - _random_double(_NP)
    while u == 1.0:
        u = 1.0 - _random_double(_NP)
    return loc - scale * math.log(-math.log(u))


def _logistic(loc, scale):
    u = _random_double(_NP)
    while u == 0.0:
        u = _random_double(_NP)
    return loc + scale * math.log(u / (1.0 - u))


def _pareto(a, unused):
    return math.exp(_std_exponential() / a) - 1.0


def _weibull(a, unused):
    if a == 0.0:
        return 0.0
    return _std_exponential() ** (1.0 / a)


def _power(a, unused):
    return (1.0 - math.exp(-_std_exponential())) ** (1.0 / a)


def _rayleigh(scale, unused):
    return scale * math.sqrt(-2.0 * math.log1p(-_random_double(_NP)))


def _wald(mean, scale):
    mu_2l = mean / (2.0 * scale)
    y = _random_gauss(_NP)
    y = mean * y * y
    x = mean + mu_2l * (y - math.sqrt(4.0 * scale * y + y * y))
    u = _random_double(_NP)
    if u <= mean / (mean + x):
        return x
    return mean * mean / x


def _geometric(p, unused):
    if p >= 0.333333333333333333333333:
        x = 1
        total = prod = p
        q = 1.0 - p
        u = _random_double(_NP)
        while u > total:
            prod *= q
            total += prod
            x += 1
        return x
    return np.int64(math.ceil(math.log(1.0 - _random_double(_NP))
                              / math.log(1.0 - p)))


# --- size= ---

def _draws(size, draw, a, b, zero):
    """One draw(a, b) for size None, else an array of shape size of them,
    of zero's type."""
    if size is None:
        return draw(a, b)
    out = np.full(size, zero)
    flat = out.ravel()
    for i in range(flat.size):
        flat[i] = draw(a, b)
    return out


def _check(ok, message):
    if not ok:
        raise ValueError(message)


# --- the functions ---

def standard_exponential(size=None):
    return _draws(size, _scaled_exponential, 1.0, 0.0, 0.0)


def _scaled_exponential(scale, unused):
    return scale * _std_exponential()


def standard_gamma(shape, size=None):
    _check(shape >= 0, "shape < 0")
    return _draws(size, _std_gamma, shape, 0.0, 0.0)


def gamma(shape, scale=1.0, size=None):
    _check(shape >= 0, "shape < 0")
    _check(scale >= 0, "scale < 0")
    return _draws(size, _gamma, shape, scale, 0.0)


def beta(a, b, size=None):
    _check(a > 0, "a <= 0")
    _check(b > 0, "b <= 0")
    return _draws(size, _beta, a, b, 0.0)


def chisquare(df, size=None):
    _check(df > 0, "df <= 0")
    return _draws(size, _chisquare, df, 0.0, 0.0)


def f(dfnum, dfden, size=None):
    _check(dfnum > 0, "dfnum <= 0")
    _check(dfden > 0, "dfden <= 0")
    return _draws(size, _f, dfnum, dfden, 0.0)


def standard_t(df, size=None):
    _check(df > 0, "df <= 0")
    return _draws(size, _std_t, df, 0.0, 0.0)


def standard_cauchy(size=None):
    return _draws(size, _std_cauchy, 0.0, 0.0, 0.0)


def lognormal(mean=0.0, sigma=1.0, size=None):
    _check(sigma >= 0, "sigma < 0")
    return _draws(size, _lognormal, mean, sigma, 0.0)


def laplace(loc=0.0, scale=1.0, size=None):
    _check(scale >= 0, "scale < 0")
    return _draws(size, _laplace, loc, scale, 0.0)


def gumbel(loc=0.0, scale=1.0, size=None):
    _check(scale >= 0, "scale < 0")
    return _draws(size, _gumbel, loc, scale, 0.0)


def logistic(loc=0.0, scale=1.0, size=None):
    _check(scale >= 0, "scale < 0")
    return _draws(size, _logistic, loc, scale, 0.0)


def pareto(a, size=None):
    _check(a > 0, "a <= 0")
    return _draws(size, _pareto, a, 0.0, 0.0)


def weibull(a, size=None):
    _check(a >= 0, "a < 0")
    return _draws(size, _weibull, a, 0.0, 0.0)


def power(a, size=None):
    _check(a > 0, "a <= 0")
    return _draws(size, _power, a, 0.0, 0.0)


def rayleigh(scale=1.0, size=None):
    _check(scale >= 0, "scale < 0")
    return _draws(size, _rayleigh, scale, 0.0, 0.0)


def wald(mean, scale, size=None):
    _check(mean > 0, "mean <= 0")
    _check(scale > 0, "scale <= 0")
    return _draws(size, _wald, mean, scale, 0.0)


def _legacy_binomial(n, p):
    return _binomial(_NP, n, p)


def binomial(n, p, size=None):
    _check(n >= 0, "n < 0")
    _check(p >= 0 and p <= 1, "p < 0, p > 1 or p is NaN")
    return _draws(size, _legacy_binomial, np.int64(n), p, np.int64(0))


def _legacy_poisson(lam, unused):
    return _poisson(_NP, lam)


def poisson(lam=1.0, size=None):
    _check(lam >= 0, "lam < 0 or lam is NaN")
    _check(lam <= _np_generator._POISSON_LAM_MAX, "lam value too large")
    return _draws(size, _legacy_poisson, np.float64(lam), 0.0, np.int64(0))


def geometric(p, size=None):
    _check(0.0 < p <= 1.0, "p <= 0, p > 1 or p contains NaNs")
    return _draws(size, _geometric, p, 0.0, np.int64(0))


FUNCTIONS = {
    np.random.standard_exponential: standard_exponential,
    np.random.standard_gamma: standard_gamma, np.random.gamma: gamma,
    np.random.beta: beta, np.random.chisquare: chisquare, np.random.f: f,
    np.random.standard_t: standard_t,
    np.random.standard_cauchy: standard_cauchy,
    np.random.lognormal: lognormal, np.random.laplace: laplace,
    np.random.gumbel: gumbel, np.random.logistic: logistic,
    np.random.pareto: pareto, np.random.weibull: weibull,
    np.random.power: power, np.random.rayleigh: rayleigh,
    np.random.wald: wald, np.random.geometric: geometric,
    np.random.binomial: binomial, np.random.poisson: poisson,
}

METHODS = ()

HELPERS = (_std_exponential, _std_gamma, _gamma, _beta, _chisquare, _f,
           _std_t, _std_cauchy, _lognormal, _laplace, _gumbel, _logistic,
           _pareto, _weibull, _power, _rayleigh, _wald, _geometric, _draws,
           _check, _scaled_exponential, _legacy_binomial, _binomial,
           _binomial_inversion, _binomial_btpe, _btpe_squeeze_rejects,
           _stirling, _legacy_poisson, _poisson, _poisson_mult, _poisson_ptrs,
           _loggam, _c_int64)
