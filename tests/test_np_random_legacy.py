"""np.random's legacy distributions in compiled code: after
np.random.seed(s) in compiled code, the same numbers as NumPy's
RandomState after np.random.seed(s), for generated seeds and parameters.
Power and Weibull with an exponent of 1/2 may differ in the last bit: LLVM
computes x ** 0.5 as a square root, where NumPy calls pow."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pyjit import njit

from difftest import assert_compiled

seeds = st.integers(0, 2**32 - 1)
positive = st.floats(0.05, 50.0)
small = st.floats(0.05, 1.0)


@njit
def std_exponential(seed, n):
    np.random.seed(seed)
    return np.random.standard_exponential(), np.random.standard_exponential(n)


@njit
def std_gamma(seed, n, k):
    np.random.seed(seed)
    return np.random.standard_gamma(k), np.random.standard_gamma(k, n)


@njit
def gamma(seed, n, k, s):
    np.random.seed(seed)
    return np.random.gamma(k, s), np.random.gamma(k, s, n)


@njit
def beta(seed, n, a, b):
    np.random.seed(seed)
    return np.random.beta(a, b), np.random.beta(a, b, n)


@njit
def chisquare(seed, n, df):
    np.random.seed(seed)
    return np.random.chisquare(df), np.random.chisquare(df, n)


@njit
def f(seed, n, a, b):
    np.random.seed(seed)
    return np.random.f(a, b), np.random.f(a, b, n)


@njit
def standard_t(seed, n, df):
    np.random.seed(seed)
    return np.random.standard_t(df), np.random.standard_t(df, n)


@njit
def cauchy(seed, n):
    np.random.seed(seed)
    return np.random.standard_cauchy(), np.random.standard_cauchy(n)


@njit
def two_param(seed, n, which, a, b):
    np.random.seed(seed)
    if which == 0:
        return np.random.lognormal(a, b), np.random.lognormal(a, b, n)
    if which == 1:
        return np.random.laplace(a, b), np.random.laplace(a, b, n)
    if which == 2:
        return np.random.gumbel(a, b), np.random.gumbel(a, b, n)
    if which == 3:
        return np.random.logistic(a, b), np.random.logistic(a, b, n)
    return np.random.wald(a, b), np.random.wald(a, b, n)


@njit
def one_param(seed, n, which, a):
    np.random.seed(seed)
    if which == 0:
        return np.random.pareto(a), np.random.pareto(a, n)
    if which == 1:
        return np.random.weibull(a), np.random.weibull(a, n)
    if which == 2:
        return np.random.power(a), np.random.power(a, n)
    return np.random.rayleigh(a), np.random.rayleigh(a, n)


@njit
def geometric(seed, n, p):
    np.random.seed(seed)
    return np.random.geometric(p), np.random.geometric(p, n)


@njit
def binomial(seed, n, trials, p):
    np.random.seed(seed)
    return np.random.binomial(trials, p), np.random.binomial(trials, p, n)


def numpy_draws(seed, n, name, *args):
    np.random.seed(seed)
    fn = getattr(np.random, name)
    return fn(*args), fn(*args, size=n)


def same(got, want, ulps=0):
    assert got[1].dtype == want[1].dtype
    if ulps:
        np.testing.assert_array_max_ulp(np.float64(got[0]), want[0], ulps)
        np.testing.assert_array_max_ulp(got[1], want[1], ulps)
    else:
        assert got[0] == want[0] or (np.isnan(got[0]) and np.isnan(want[0]))
        np.testing.assert_array_equal(got[1], want[1])


SOME = settings(max_examples=40, deadline=None)
N = st.integers(0, 60)


@SOME
@given(seed=seeds, n=N)
def test_standard_exponential_and_cauchy(seed, n):
    same(std_exponential(seed, n), numpy_draws(seed, n, "standard_exponential"))
    same(cauchy(seed, n), numpy_draws(seed, n, "standard_cauchy"))
    assert_compiled(std_exponential)


@SOME
@given(seed=seeds, n=N, k=st.one_of(small, positive, st.just(1.0)),
       s=positive)
def test_gamma_family(seed, n, k, s):
    same(std_gamma(seed, n, k), numpy_draws(seed, n, "standard_gamma", k))
    same(gamma(seed, n, k, s), numpy_draws(seed, n, "gamma", k, s))
    same(chisquare(seed, n, k), numpy_draws(seed, n, "chisquare", k))
    same(standard_t(seed, n, k), numpy_draws(seed, n, "standard_t", k))
    assert_compiled(std_gamma)


@SOME
@given(seed=seeds, n=N, a=st.one_of(small, positive),
       b=st.one_of(small, positive))
def test_beta_and_f(seed, n, a, b):
    same(beta(seed, n, a, b), numpy_draws(seed, n, "beta", a, b))
    same(f(seed, n, a, b), numpy_draws(seed, n, "f", a, b))
    assert_compiled(beta)


@SOME
@given(seed=seeds, n=N, which=st.integers(0, 4),
       a=st.floats(0.1, 5.0), b=st.floats(0.1, 5.0))
def test_location_scale_distributions(seed, n, which, a, b):
    name = ["lognormal", "laplace", "gumbel", "logistic", "wald"][which]
    same(two_param(seed, n, which, a, b), numpy_draws(seed, n, name, a, b))


@SOME
@given(seed=seeds, n=N, which=st.integers(0, 3), a=st.floats(0.1, 8.0))
def test_shape_distributions(seed, n, which, a):
    name = ["pareto", "weibull", "power", "rayleigh"][which]
    same(one_param(seed, n, which, a), numpy_draws(seed, n, name, a),
         ulps=1 if which in (1, 2) else 0)


@SOME
@given(seed=seeds, n=N, p=st.floats(0.01, 1.0))
def test_geometric(seed, n, p):
    same(geometric(seed, n, p), numpy_draws(seed, n, "geometric", p))


@SOME
@given(seed=seeds, n=N, trials=st.integers(0, 2000), p=st.floats(0.0, 1.0))
def test_binomial(seed, n, trials, p):
    same(binomial(seed, n, trials, p),
         numpy_draws(seed, n, "binomial", trials, p))
    assert_compiled(binomial)


def test_bad_parameters_raise_numpys_errors():
    with pytest.raises(ValueError, match="df <= 0"):
        standard_t(1, 3, 0.0)
    with pytest.raises(ValueError, match="a <= 0"):
        beta(1, 3, -1.0, 2.0)
    with pytest.raises(ValueError, match=r"p < 0, p > 1 or p is NaN"):
        binomial(1, 3, 10, 1.5)
    with pytest.raises(ValueError, match="n < 0"):
        binomial(1, 3, -2, 0.5)
