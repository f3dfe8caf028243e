"""More of np.random's legacy distributions in compiled code, as Numba has
them: negative_binomial, noncentral_chisquare, noncentral_f, vonmises,
triangular, zipf, logseries, hypergeometric, multinomial and dirichlet,
on the stream np.random.seed(n) seeds in compiled code, so that the same
seed gives NumPy's RandomState numbers (those of NumPy 1.16's randomkit,
which NumPy keeps).

Most are the Generator's algorithms (pyjit/_np_generator.py), bound here
to this module's names as pyjit/_np_random_dists.py binds the binomial:
here the uniform, normal and exponential draws they make are the legacy
ones (53-bit doubles, polar Box-Muller normals, -log(1 - u)), and _LEGACY
is True, which selects RandomState's variant where NumPy's two differ
(zipf's uniform on (0, 1], logseries' log(1 - p), vonmises without the
wrapped normal of large kappa, noncentral_chisquare's late nan).
Hypergeometric is RandomState's own HYP and HRUA; multinomial is a
binomial per category, as NumPy's RandomState draws it (with the
Generator's binomial); dirichlet normalizes a gamma per category.
"""
import math

import numpy as np

from . import _np_generator
from ._core import _random_double, _random_gauss
from ._np_random_dists import _rebound

_NP = 0     # np.random's generator (pyjit/_np_random.py)
_LEGACY = True
_LEGACY_BINOMIAL = False    # multinomial's are the Generator's binomials
_LOGGAM_A = _np_generator._LOGGAM_A

# The legacy draws, under the names the Generator's algorithms call.
_npgen_next_double = _random_double
_standard_normal = _random_gauss


def _standard_exponential(g):
    return -math.log(1.0 - _random_double(g))


def _bound_here(fn):
    return _rebound(fn, globals())


# The Generator's functions these are made of, reading their global names
# (the draws above, _LEGACY) here: _draws, _poisson, _zipf_draws, ...
_BOUND = tuple(_bound_here(getattr(_np_generator, name)) for name in (
    "_draws", "_draws3", "_check_positive", "_check_non_negative",
    "_check_triangular", "_standard_gamma", "_chisquare", "_scaled_gamma",
    "_loggam", "_poisson", "_poisson_mult", "_poisson_ptrs", "_c_int64",
    "_negative_binomial", "_noncentral_chisquare", "_noncentral_f", "_zipf",
    "_logseries", "_vonmises", "_triangular", "_triangular_draws",
    "_noncentral_chisquare_draws", "_noncentral_f_draws", "_zipf_draws",
    "_logseries_draws", "_vonmises_draws", "_binomial",
    "_binomial_inversion", "_binomial_btpe", "_btpe_squeeze_rejects",
    "_stirling"))
globals().update((fn.__name__, fn) for fn in _BOUND)


# --- hypergeometric (legacy-distributions.c's HYP and HRUA) ---

def _hypergeometric(g, good, bad, sample):
    if sample > 10:
        return _hypergeometric_hrua(g, good, bad, sample)
    if sample > 0:
        return _hypergeometric_hyp(g, good, bad, sample)
    return np.int64(0)


def _hypergeometric_hyp(g, good, bad, sample):
    d1 = bad + good - sample
    d2 = np.float64(min(bad, good))
    y = d2
    k = sample
    while y > 0.0:
        u = _npgen_next_double(g)
        y -= np.int64(np.floor(u + y / (d1 + k)))
        k -= 1
        if k == 0:
            break
    z = np.int64(d2 - y)
    if good > bad:
        z = sample - z
    return z


def _hrua_logs(z, mingoodbad, m, maxgoodbad):
    return (_loggam(np.float64(z + 1))
            + _loggam(np.float64(mingoodbad - z + 1))
            + _loggam(np.float64(m - z + 1))
            + _loggam(np.float64(maxgoodbad - m + z + 1)))


def _hypergeometric_hrua(g, good, bad, sample):
    """Stadlober's ratio of uniforms (HRUA*), with Ivan Frohne's fixes."""
    mingoodbad = min(good, bad)
    popsize = good + bad
    maxgoodbad = max(good, bad)
    m = min(sample, popsize - sample)
    d4 = np.float64(mingoodbad) / popsize
    d5 = 1.0 - d4
    d6 = m * d4 + 0.5
    d7 = math.sqrt(np.float64(popsize - m) * sample * d4 * d5
                   / (popsize - 1) + 0.5)
    d8 = 1.7155277699214135 * d7 + 0.8989161620588988   # D1 * d7 + D2
    d9 = np.int64(np.floor(np.float64(m + 1) * (mingoodbad + 1)
                           / (popsize + 2)))
    d10 = _hrua_logs(d9, mingoodbad, m, maxgoodbad)
    d11 = min(min(m, mingoodbad) + 1.0, np.floor(d6 + 16 * d7))
    while True:
        x = _npgen_next_double(g)
        y = _npgen_next_double(g)
        w = d6 + d8 * (y - 0.5) / x
        if w < 0.0 or w >= d11:
            continue
        z = np.int64(np.floor(w))
        t = d10 - _hrua_logs(z, mingoodbad, m, maxgoodbad)
        if x * (4.0 - x) - 3.0 <= t:
            break
        if x * (x - t) >= 1:
            continue
        if 2.0 * math.log(x) <= t:
            break
    if good > bad:
        z = m - z
    if m < sample:
        z = good - z
    return z


# --- multinomial and dirichlet ---

def _shape_and(size, d):
    """size's shape (None: none) and then d."""
    if size is None:
        return (d,)
    return np.empty(size, np.bool_).shape + (d,)


def _as_doubles(seq):
    out = np.empty(len(seq))
    for j in range(len(seq)):
        out[j] = seq[j]
    return out


def _kahan_sum(x, n):
    """NumPy's compensated sum of x[:n]."""
    if n <= 0:
        return 0.0
    total = x[0]
    c = 0.0
    for i in range(1, n):
        y = x[i] - c
        t = total + y
        c = (t - total) - y
        total = t
    return total


def _multinomial_into(flat, i, n, p):
    """flat[i:i + len(p)] = a draw of n trials over the categories of
    probabilities p: a binomial of each category's share of what is left."""
    d = len(p)
    remaining_p = 1.0
    dn = n
    for j in range(d - 1):
        flat[i + j] = _binomial(_NP, dn, p[j] / remaining_p)
        dn -= flat[i + j]
        if dn <= 0:
            break
        remaining_p -= p[j]
    if dn > 0:
        flat[i + d - 1] = dn


# --- the functions ---

def negative_binomial(n, p, size=None):
    _check_positive(n, "n")
    if not (p >= 0 and p <= 1):
        raise ValueError("p < 0, p > 1 or p is NaN")
    return _draws(_NP, size, _negative_binomial, np.float64(n),
                  np.float64(p), np.int64(0))


def noncentral_chisquare(df, nonc, size=None):
    return _noncentral_chisquare_draws(_NP, df, nonc, size)


def noncentral_f(dfnum, dfden, nonc, size=None):
    return _noncentral_f_draws(_NP, dfnum, dfden, nonc, size)


def vonmises(mu, kappa, size=None):
    return _vonmises_draws(_NP, mu, kappa, size)


def triangular(left, mode, right, size=None):
    return _triangular_draws(_NP, left, mode, right, size)


def zipf(a, size=None):
    return _zipf_draws(_NP, a, size)


def logseries(p, size=None):
    return _logseries_draws(_NP, p, size)


def hypergeometric(ngood, nbad, nsample, size=None):
    good = np.int64(ngood)
    bad = np.int64(nbad)
    sample = np.int64(nsample)
    if good + bad < sample:
        raise ValueError("ngood + nbad < nsample")
    if good < 0:
        raise ValueError("ngood < 0")
    if bad < 0:
        raise ValueError("nbad < 0")
    if sample < 1:
        raise ValueError("nsample < 1 or nsample is NaN")
    return _draws3(_NP, size, _hypergeometric, good, bad, sample,
                   np.int64(0))


def multinomial(n, pvals, size=None):
    p = _as_doubles(pvals)
    d = len(p)
    for j in range(d):
        if not (p[j] >= 0 and p[j] <= 1):
            raise ValueError("pvals < 0, pvals > 1 or pvals contains NaNs")
    if d > 0 and _kahan_sum(p, d - 1) > 1.0 + 1e-12:
        raise ValueError("sum(pvals[:-1]) > 1.0")
    out = np.zeros(_shape_and(size, d), np.int64)
    trials = np.int64(n)
    if trials < 0:
        raise ValueError("n < 0")
    flat = out.ravel()
    for i in range(0, flat.size, max(d, 1)):
        _multinomial_into(flat, i, trials, p)
    return out


def dirichlet(alpha, size=None):
    a = _as_doubles(alpha)
    k = len(a)
    for j in range(k):
        if a[j] <= 0:
            raise ValueError("alpha <= 0")
    out = np.zeros(_shape_and(size, k))
    flat = out.ravel()
    for i in range(0, flat.size, max(k, 1)):
        acc = 0.0
        for j in range(k):
            flat[i + j] = _standard_gamma(_NP, a[j])
            acc = acc + flat[i + j]
        invacc = 1 / acc
        for j in range(k):
            flat[i + j] = flat[i + j] * invacc
    return out


FUNCTIONS = {
    np.random.negative_binomial: negative_binomial,
    np.random.noncentral_chisquare: noncentral_chisquare,
    np.random.noncentral_f: noncentral_f, np.random.vonmises: vonmises,
    np.random.triangular: triangular, np.random.zipf: zipf,
    np.random.logseries: logseries, np.random.hypergeometric: hypergeometric,
    np.random.multinomial: multinomial, np.random.dirichlet: dirichlet,
}

METHODS = ()

HELPERS = _BOUND + (_standard_exponential, _hypergeometric,
                    _hypergeometric_hyp, _hrua_logs, _hypergeometric_hrua,
                    _shape_and, _as_doubles, _kahan_sum, _multinomial_into)
