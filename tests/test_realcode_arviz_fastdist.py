"""Numba code of libraries as their authors wrote it, against its plain
Python functions (or NumPy's ufuncs, for the vectorized ones).

arviz (arviz-devs/arviz, Apache-2.0): the covariance of one variable,
the variance and histogram helpers, and the ECDF confidence band's
interior probability, where a vectorized binomial pmf is called in jitted
code on operands of different shapes, broadcast together.

fastdist (talboger/fastdist, MIT): distances and scores that take max()
of an array.

fastjmd95 (xgcm/fastjmd95, MIT): the Jackett & McDougall (1995) sea water
density, ufuncs made by vectorize that call each other, called from
jitted code as attributes of their module with a pressure profile
broadcast against 2-d salinity and temperature.

pyod (yzhao062/pyod, BSD-2): SOD's shared nearest neighbours, sets of
array rows intersected in nested prange loops.

hmmkay (nicolashug/hmmkay, BSD-3): sampling an HMM after seeding with a
64-bit seed, and the forward pass.

The functions are copied unchanged but for their docstrings and the import
of numba, which is pyjit's here."""
import math
import sys
from types import FunctionType

import numpy as np
import pytest

import pyjit as nb
from pyjit import jit, njit, prange, vectorize
from pyjit import float32, float64

from difftest import assert_compiled
from difftest import assert_near as same


def agree(f, *args, rtol=1e-12):
    want = f.py_func(*args)
    got = f(*args)
    same(got, want, rtol)
    assert_compiled(f)


# --- arviz-devs/arviz arviz/utils.py


@njit(cache=False)
def _cov_1d(x):
    x = x - x.mean()
    ddof = x.shape[0] - 1
    return np.dot(x.T, x.conj()) / ddof


# --- arviz-devs/arviz arviz/stats/stats_utils.py


@jit(nopython=True)
def stats_variance_1d(data, ddof=0):
    a_a, b_b = 0, 0
    for i in data:
        a_a = a_a + i
        b_b = b_b + i * i
    var = b_b / (len(data)) - ((a_a / (len(data))) ** 2)
    var = var * (len(data) / (len(data) - ddof))
    return var


# --- arviz-devs/arviz arviz/stats/density_utils.py


@jit(nopython=True)
def histogram(data, bins, range_hist=None):
    hist, bin_edges = np.histogram(data, bins=bins, range=range_hist)
    hist_dens = hist / (hist.sum() * np.diff(bin_edges))
    return hist, hist_dens, bin_edges


# --- arviz-devs/arviz arviz/stats/ecdf_utils.py


@vectorize(["float64(int64, int64, float64, int64)"])
def _binom_pmf(k, n, p, loc):
    k -= loc
    if k < 0 or k > n:
        return 0.0
    if p == 0:
        return 1.0 if k == 0 else 0.0
    if p == 1:
        return 1.0 if k == n else 0.0
    if k == 0:
        return (1 - p) ** n
    if k == n:
        return p**n
    lbinom = math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)
    return np.exp(lbinom + k * np.log(p) + (n - k) * np.log1p(-p))


@jit(nopython=True)
def _update_ecdf_band_interior_probabilities_numba(
    prob_left: np.ndarray,
    interval_left: np.ndarray,
    interval_right: np.ndarray,
    p: float,
    ndraws: int,
) -> np.ndarray:
    interval_left = interval_left[:, np.newaxis]
    prob_conditional = _binom_pmf(interval_right, ndraws - interval_left, p, interval_left)
    prob_right = prob_left.dot(prob_conditional)
    return prob_right


@jit(nopython=True)
def _ecdf_band_interior_probability_numba(prob_between_points, ndraws, lower_count, upper_count):
    interval_left = np.arange(1)
    prob_interior = np.ones(1)
    for i in range(prob_between_points.shape[0]):
        interval_right = np.arange(lower_count[i], upper_count[i])
        prob_interior = _update_ecdf_band_interior_probabilities_numba(
            prob_interior, interval_left, interval_right, prob_between_points[i], ndraws
        )
        interval_left = interval_right
    return prob_interior.sum()


RNG = np.random.default_rng(25)


@pytest.mark.parametrize("x", [RNG.standard_normal(40),
                               RNG.standard_normal(30) + 1j * RNG.random(30)])
def test_arviz_cov_1d(x):
    agree(_cov_1d, x)


def test_arviz_variance_and_histogram():
    x = RNG.standard_normal(500)
    agree(stats_variance_1d, x, 1)
    agree(histogram, x, 12)
    agree(histogram, x, 8, (-1.5, 2.0))
    agree(histogram, x, np.linspace(-3.0, 3.0, 7))


def test_arviz_ecdf_band_interior_probability():
    ndraws = 40
    cdf = np.linspace(0.05, 0.95, 12)
    lower = (np.clip(cdf - 0.2, 0, 1) * ndraws).astype(np.int64)
    upper = (np.clip(cdf + 0.2, 0, 1) * ndraws).astype(np.int64) + 1
    with_zero = np.insert(cdf[:-1], 0, 0)
    between = (cdf - with_zero) / (1 - with_zero)
    left = np.arange(3, 7)
    agree(_update_ecdf_band_interior_probabilities_numba,
          RNG.random(4), left, np.arange(2, 11), 0.3, ndraws)
    agree(_ecdf_band_interior_probability_numba, between, ndraws, lower, upper)


# --- talboger/fastdist fastdist/fastdist.py


@jit(nopython=True, fastmath=True)
def init_w(w, n):
    if w is None:
        return np.ones(n)
    else:
        return w


@jit(nopython=True, fastmath=True)
def chebyshev(u, v, w=None):
    return max(np.abs(u - v))


@jit(nopython=True, fastmath=True)
def cityblock(u, v, w=None):
    n = len(u)
    w = init_w(w, n)
    dist = 0
    for i in range(n):
        dist += abs(u[i] - v[i]) * w[i]
    return dist


@jit(nopython=True, fastmath=True)
def max_error(true, pred, w=None):
    return max(np.abs(true - pred))


def test_fastdist_max_of_an_array():
    u, v, w = RNG.random((3, 50))
    agree(chebyshev, u, v)
    agree(chebyshev, u, v, w)
    agree(cityblock, u, v, w)
    agree(max_error, u, v)
    agree(max_error, np.arange(7), np.arange(7)[::-1].copy())


@njit
def extremes(a):
    return max(a), min(a), max(a[::3])


def test_max_and_min_of_a_1d_array_as_python_takes_them():
    agree(extremes, np.array([2.0, np.nan, 5.0, -1.0, 3.0]))
    agree(extremes, np.array([np.nan, 2.0, 5.0, -1.0]))
    agree(extremes, RNG.integers(-50, 50, 20).astype(np.int32))
    with pytest.raises(ValueError, match="empty sequence"):
        extremes(np.zeros(0))


# --- xgcm/fastjmd95 fastjmd95/jmd95numba.py

eosJMDCFw = np.array(
    [999.842594, 6.793952e-02, -9.095290e-03, 1.001685e-04, -1.120083e-06, 6.536332e-09]
)
eosJMDCSw = np.array(
    [
        8.244930e-01,
        -4.089900e-03,
        7.643800e-05,
        -8.246700e-07,
        5.387500e-09,
        -5.724660e-03,
        1.022700e-04,
        -1.654600e-06,
        4.831400e-04,
    ]
)
eosJMDCKFw = np.array(
    [1.965933e04, 1.444304e02, -1.706103e00, 9.648704e-03, -4.190253e-05]
)
eosJMDCKSw = np.array(
    [
        5.284855e01,
        -3.101089e-01,
        6.283263e-03,
        -5.084188e-05,
        3.886640e-01,
        9.085835e-03,
        -4.619924e-04,
    ]
)
eosJMDCKP = np.array(
    [
        3.186519e00,
        2.212276e-02,
        -2.984642e-04,
        1.956415e-06,
        6.704388e-03,
        -1.847318e-04,
        2.059331e-07,
        1.480266e-04,
        2.102898e-04,
        -1.202016e-05,
        1.394680e-07,
        -2.040237e-06,
        6.128773e-08,
        6.207323e-10,
    ]
)


@vectorize(
    [float64(float64, float64, float64), float32(float32, float32, float32)],
    nopython=True,
)
def _bulkmodjmd95(s, t, p):
    t2 = t * t
    t3 = t2 * t
    t4 = t3 * t

    s3o2 = s * np.sqrt(s)

    p2 = p * p
    bulkmod = (
        eosJMDCKFw[0]
        + eosJMDCKFw[1] * t
        + eosJMDCKFw[2] * t2
        + eosJMDCKFw[3] * t3
        + eosJMDCKFw[4] * t4
    )
    bulkmod = (
        bulkmod
        + s
        * (eosJMDCKSw[0] + eosJMDCKSw[1] * t + eosJMDCKSw[2] * t2 + eosJMDCKSw[3] * t3)
        + s3o2 * (eosJMDCKSw[4] + eosJMDCKSw[5] * t + eosJMDCKSw[6] * t2)
    )
    bulkmod = (
        bulkmod
        + p * (eosJMDCKP[0] + eosJMDCKP[1] * t + eosJMDCKP[2] * t2 + eosJMDCKP[3] * t3)
        + p * s * (eosJMDCKP[4] + eosJMDCKP[5] * t + eosJMDCKP[6] * t2)
        + p * s3o2 * eosJMDCKP[7]
        + p2 * (eosJMDCKP[8] + eosJMDCKP[9] * t + eosJMDCKP[10] * t2)
        + p2 * s * (eosJMDCKP[11] + eosJMDCKP[12] * t + eosJMDCKP[13] * t2)
    )

    return bulkmod


@vectorize([float64(float64, float64), float32(float32, float32)], nopython=True)
def _rho_s(s, t):

    t2 = t * t
    t3 = t2 * t
    t4 = t3 * t
    s3o2 = s * np.sqrt(s)

    rho_fw = (
        eosJMDCFw[0]
        + eosJMDCFw[1] * t
        + eosJMDCFw[2] * t2
        + eosJMDCFw[3] * t3
        + eosJMDCFw[4] * t4
        + eosJMDCFw[5] * t4 * t
    )
    rho_s = (
        rho_fw
        + s
        * (
            eosJMDCSw[0]
            + eosJMDCSw[1] * t
            + eosJMDCSw[2] * t2
            + eosJMDCSw[3] * t3
            + eosJMDCSw[4] * t4
        )
        + s3o2 * (eosJMDCSw[5] + eosJMDCSw[6] * t + eosJMDCSw[7] * t2)
        + eosJMDCSw[8] * s * s
    )
    return rho_s


@vectorize(
    [float64(float64, float64, float64), float32(float32, float32, float32)],
    nopython=True,
)
def rho(s, t, p):
    p = 0.1 * p

    rho_s = _rho_s(s, t)

    bulk_mod = _bulkmodjmd95(s, t, p)
    rho = rho_s / (1.0 - p / bulk_mod)
    return rho


# a caller of our own: the ufuncs as attributes of their module, on a
# pressure profile broadcast against salinity and temperature
jmd95numba = sys.modules[__name__]


@njit
def density_and_surface(s, t, p):
    return jmd95numba.rho(s, t, p), jmd95numba._rho_s(s[0], t)


@pytest.mark.parametrize("layout", [np.ascontiguousarray,
                                    np.asfortranarray])
def test_fastjmd95_density_broadcast_in_jitted_code(layout):
    s = layout(30 + 6 * RNG.random((6, 9)))
    t = layout(30 * RNG.random((6, 9)))
    p = 1000 * RNG.random(9)
    got_rho, got_surface = density_and_surface(s, t, p)
    np.testing.assert_allclose(got_rho, rho(s, t, p), rtol=1e-14)
    np.testing.assert_allclose(got_surface, _rho_s(s[0], t), rtol=1e-14)
    assert_compiled(density_and_surface)
    # the example of rho's docstring
    assert density_and_surface(np.full((1, 1), 35.5), np.full((1, 1), 3.0),
                               np.full(1, 3000.0))[0][0, 0] \
        == pytest.approx(1041.83267, abs=1e-5)


# --- yzhao062/pyod pyod/models/sod.py


@nb.njit(parallel=True)
def _snn_imp(ind, ref_set_):
    n = ind.shape[0]
    _count = np.zeros(shape=(n, ref_set_), dtype=np.uint32)
    for i in nb.prange(n):
        temp = np.empty(n, dtype=np.uint32)
        test_element_set = set(ind[i])
        for j in nb.prange(n):
            temp[j] = len(set(ind[j]).intersection(test_element_set))
        temp[i] = np.iinfo(np.uint32).max
        _count[i] = np.argsort(temp)[::-1][1:ref_set_ + 1]

    return _count


def test_pyod_sod_shared_nearest_neighbours():
    x = RNG.standard_normal((40, 2))
    d = ((x[:, None, :] - x[None, :, :]) ** 2).sum(axis=2)
    ind = np.argsort(d, axis=1, kind="stable")[:, 1:9]
    agree(_snn_imp, ind, 5)


# --- nicolashug/hmmkay hmmkay/_utils.py


@njit(cache=False)
def _choice(p):
    return np.searchsorted(np.cumsum(p), np.random.random(), side="right")


@njit(cache=False)
def _logsumexp(a):

    a_max = np.amax(a)
    if not np.isfinite(a_max):
        a_max = 0

    s = np.sum(np.exp(a - a_max))
    return np.log(s) + a_max


# --- nicolashug/hmmkay hmmkay/hmm.py


@njit(cache=False)
def _sample_one(n_obs, pi, A, B, seed):
    """Return (observations, hidden_states) sample"""
    np.random.seed(seed)  # local to this numba function, not global numpy

    observations = []
    hidden_states = []
    s = _choice(pi)
    for _ in range(n_obs):
        hidden_states.append(s)
        obs = _choice(B[s])
        observations.append(obs)
        s = _choice(A[s])

    return hidden_states, observations


@njit(cache=False)
def _forward(seq, log_pi, log_A, log_B, log_alpha):
    n_obs = len(seq)
    n_hidden_states = log_pi.shape[0]
    log_alpha[:, 0] = log_pi + log_B[:, seq[0]]
    buffer = np.empty(shape=n_hidden_states)
    for t in range(1, n_obs):
        for s in range(n_hidden_states):
            for ss in range(n_hidden_states):
                buffer[ss] = log_alpha[ss, t - 1] + log_A[ss, s]
            log_alpha[s, t] = _logsumexp(buffer) + log_B[s, seq[t]]
    return _logsumexp(log_alpha[:, n_obs - 1])


def test_hmmkay_sample_with_a_seed_of_64_bits_and_forward():
    """HMM.sample seeds each sequence with RandomState.tomaxint(), up to
    2**63 - 1, which Numba takes modulo 2**32 (NumPy's own seed() would
    refuse it): the plain function, calling plain _choice (NumPy's global
    generator), is given that seed."""
    pi = np.array([0.2, 0.5, 0.3])
    A = RNG.random((3, 3))
    A /= A.sum(axis=1)[:, None]
    B = RNG.random((3, 4))
    B /= B.sum(axis=1)[:, None]
    seed = np.random.RandomState(3).tomaxint()
    assert seed >= 2**32
    got = _sample_one(20, pi, A, B, seed)
    plain = FunctionType(_sample_one.py_func.__code__,
                         dict(globals(), _choice=_choice.py_func))
    want = plain(20, pi, A, B, seed % 2**32)
    assert got == want
    assert_compiled(_sample_one)
    seq = np.array(got[1])
    agree(_forward, seq, np.log(pi), np.log(A), np.log(B),
          np.empty((3, len(seq))))
