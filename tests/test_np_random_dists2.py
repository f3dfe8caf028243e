"""np.random's negative_binomial, noncentral_chisquare, noncentral_f,
vonmises, triangular, zipf, logseries, hypergeometric, multinomial and
dirichlet in compiled code: after np.random.seed(s) in compiled code, NumPy's
RandomState numbers bit for bit after np.random.seed(s), one number
(size=None) and arrays, and the stream left where NumPy leaves it; NumPy's
errors for bad parameters.  And the Generator methods negative_binomial,
noncentral_chisquare, noncentral_f, zipf, logseries and vonmises: NumPy's
numbers for the same bit generator state."""
import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pyjit import njit

from difftest import assert_compiled

SEEDS = (0, 1, 7, 12345, 2**32 - 1)
seeds = st.integers(0, 2**32 - 1)
SOME = settings(max_examples=25, deadline=None)


@njit
def negative_binomial(seed, a, b, c, size):
    np.random.seed(seed)
    return (np.random.negative_binomial(a, b),
            np.random.negative_binomial(a, b, size), np.random.random())


@njit
def noncentral_chisquare(seed, a, b, c, size):
    np.random.seed(seed)
    return (np.random.noncentral_chisquare(a, b),
            np.random.noncentral_chisquare(a, b, size), np.random.random())


@njit
def noncentral_f(seed, a, b, c, size):
    np.random.seed(seed)
    return (np.random.noncentral_f(a, b, c),
            np.random.noncentral_f(a, b, c, size), np.random.random())


@njit
def vonmises(seed, a, b, c, size):
    np.random.seed(seed)
    return (np.random.vonmises(a, b), np.random.vonmises(a, b, size),
            np.random.random())


@njit
def triangular(seed, a, b, c, size):
    np.random.seed(seed)
    return (np.random.triangular(a, b, c),
            np.random.triangular(a, b, c, size), np.random.random())


@njit
def zipf(seed, a, b, c, size):
    np.random.seed(seed)
    return np.random.zipf(a), np.random.zipf(a, size), np.random.random()


@njit
def logseries(seed, a, b, c, size):
    np.random.seed(seed)
    return (np.random.logseries(a), np.random.logseries(a, size),
            np.random.random())


@njit
def hypergeometric(seed, a, b, c, size):
    np.random.seed(seed)
    return (np.random.hypergeometric(a, b, c),
            np.random.hypergeometric(a, b, c, size), np.random.random())


LEGACY = {f.__name__: f for f in (
    negative_binomial, noncentral_chisquare, noncentral_f, vonmises,
    triangular, zipf, logseries, hypergeometric)}
ARITY = {"negative_binomial": 2, "noncentral_chisquare": 2,
         "noncentral_f": 3, "vonmises": 2, "triangular": 3, "zipf": 1,
         "logseries": 1, "hypergeometric": 3}

# Parameters, with the ones NumPy takes another path for: gamma shapes
# below and above 1, p = 0 (a Poisson of infinite lam: int64's least),
# nonc 0 and df at most 1 (a Poisson mixture), kappa below 1e-8 and 1e-5
# and above 1e6, logseries' p 0 and near 1, samples of at most 10 (HYP)
# and more (HRUA), more good than bad and the other way, a sample past
# half the population.
PARAMS = {
    "negative_binomial": [(1, 0.5), (3.5, 0.1), (0.3, 0.9), (100, 0.01),
                          (5, 1.0), (1e-3, 0.5), (20, 0.999), (1, 0.0),
                          (0.5, 0.0)],
    "noncentral_chisquare": [(3.0, 2.0), (0.5, 2.0), (1.0, 0.0),
                             (0.2, 30.0), (4.0, 1e-3), (1.0, 5.0),
                             (50.0, 100.0), (0.5, math.nan),
                             (3.0, math.nan)],
    "noncentral_f": [(3.0, 4.0, 2.0), (0.5, 2.0, 3.0), (2.0, 3.0, 0.0),
                     (10.0, 0.7, 25.0)],
    "vonmises": [(0.0, 1.0), (1.0, 1e-9), (2.0, 1e-6), (-3.0, 100.0),
                 (0.5, 1e7), (4.0, 0.0), (10.0, 3.0), (-10.0, 0.5),
                 (0.0, math.nan)],
    "triangular": [(0.0, 0.5, 1.0), (-1.0, -1.0, 3.0), (1.0, 3.0, 3.0),
                   (-1e3, 2.0, 1e5)],
    "zipf": [(1.5,), (2.0,), (5.0,), (1.01,), (30.0,), (1.0001,)],
    "logseries": [(0.5,), (0.0,), (0.99,), (0.9999,), (1e-5,),
                  (0.999999999,)],
    "hypergeometric": [(10, 20, 5), (100, 100, 50), (5, 1000, 200),
                       (1000, 5, 900), (7, 3, 10), (1, 1, 1), (50, 0, 20),
                       (0, 50, 20), (3, 4, 7), (10**6, 10**7, 10**5),
                       (20, 30, 11), (30, 20, 11), (2, 1, 1)],
}


def numpy_legacy(name, seed, args, size):
    np.random.seed(seed)
    fn = getattr(np.random, name)
    return fn(*args), fn(*args, size=size), np.random.random()


def same(got, want):
    """Equal numbers of NumPy's dtype, floats bit for bit (nan equal)."""
    assert len(got) == len(want)
    for g, w in zip(got, want):
        if isinstance(w, np.ndarray):
            assert isinstance(g, np.ndarray)
            assert g.dtype == w.dtype and g.shape == w.shape, (g, w)
            np.testing.assert_array_equal(g, w)
        else:
            assert np.asarray(g).dtype.kind == np.asarray(w).dtype.kind
            assert g == w or (math.isnan(g) and math.isnan(w)), (g, w)


def legacy_args(name, args):
    return tuple(args) + (0,) * (3 - ARITY[name])


@pytest.mark.parametrize("name, args",
                         [(n, a) for n in PARAMS for a in PARAMS[n]])
def test_legacy_parameters(name, args):
    f = LEGACY[name]
    for seed in SEEDS:
        for size in (7, (2, 3)):
            same(f(seed, *legacy_args(name, args), size),
                 numpy_legacy(name, seed, args, size))
    assert_compiled(f)


DRAWN = {
    "negative_binomial": (st.floats(0.01, 50.0), st.floats(0.01, 1.0)),
    "noncentral_chisquare": (st.floats(0.05, 20.0), st.floats(0.0, 50.0)),
    "noncentral_f": (st.floats(0.05, 20.0), st.floats(0.05, 20.0),
                     st.floats(0.0, 50.0)),
    "vonmises": (st.floats(-10.0, 10.0), st.floats(0.0, 1e3)),
    "zipf": (st.floats(1.05, 10.0),),
    "logseries": (st.floats(0.0, 0.999),),
    "hypergeometric": (st.integers(0, 500), st.integers(0, 500),
                       st.integers(1, 1000)),
}


@pytest.mark.parametrize("name", sorted(DRAWN))
def test_legacy_drawn_parameters(name):
    @SOME
    @given(seed=seeds, args=st.tuples(*DRAWN[name]),
           size=st.integers(0, 40))
    def run(seed, args, size):
        if name == "hypergeometric":
            assume(args[2] <= args[0] + args[1])
        same(LEGACY[name](seed, *legacy_args(name, args), size),
             numpy_legacy(name, seed, args, size))
    run()


@njit
def multinomial(seed, n, pvals, size):
    np.random.seed(seed)
    return (np.random.multinomial(n, pvals), np.random.multinomial(n, pvals,
                                                                   size),
            np.random.random())


@njit
def dirichlet(seed, alpha, size):
    np.random.seed(seed)
    return (np.random.dirichlet(alpha), np.random.dirichlet(alpha, size),
            np.random.random())


PVALS = [np.array([0.2, 0.3, 0.5]), np.array([1.0]), np.array([0.0, 1.0]),
         np.array([0.5, 0.5, 0.0]), np.array([0.1] * 5),
         np.array([1e-3, 0.7, 0.2]), np.array([0.25, 0.25]),
         np.array([0.9, 0.05, 0.05, 0.0]), np.array([], np.float64)]


@pytest.mark.parametrize("pvals", PVALS, ids=str)
@pytest.mark.parametrize("n", [0, 1, 10, 1000, 10**6])
def test_multinomial(pvals, n):
    for seed in SEEDS:
        for size in (4, (2, 3)):
            same(multinomial(seed, n, pvals, size),
                 numpy_legacy("multinomial", seed, (n, pvals), size))
    assert_compiled(multinomial)


def test_multinomial_and_dirichlet_take_lists_and_tuples():
    for seed in SEEDS[:2]:
        same(multinomial(seed, 20, [0.3, 0.7], 3),
             numpy_legacy("multinomial", seed, (20, [0.3, 0.7]), 3))
        same(multinomial(seed, 20, (0.3, 0.2, 0.5), (2, 2)),
             numpy_legacy("multinomial", seed, (20, (0.3, 0.2, 0.5)),
                          (2, 2)))
        same(dirichlet(seed, [0.5, 2.0], 3),
             numpy_legacy("dirichlet", seed, ([0.5, 2.0],), 3))
        same(dirichlet(seed, (1.0, 1.0, 3.0), (2, 1)),
             numpy_legacy("dirichlet", seed, ((1.0, 1.0, 3.0),), (2, 1)))


@pytest.mark.parametrize("alpha", [
    np.array([1.0, 2.0, 3.0]), np.array([0.1, 0.2]), np.array([1.0]),
    np.array([1e-3, 50.0, 0.5, 1.0]), np.array([], np.float64)], ids=str)
def test_dirichlet(alpha):
    for seed in SEEDS:
        for size in (5, (2, 3)):
            same(dirichlet(seed, alpha, size),
                 numpy_legacy("dirichlet", seed, (alpha,), size))
    assert_compiled(dirichlet)


# --- errors ---

BAD = [
    ("negative_binomial", (0.0, 0.5)), ("negative_binomial", (-1.0, 0.5)),
    ("negative_binomial", (1.0, 1.5)), ("negative_binomial", (1.0, -0.1)),
    ("negative_binomial", (1.0, math.nan)),
    ("noncentral_chisquare", (0.0, 1.0)),
    ("noncentral_chisquare", (1.0, -1.0)),
    ("noncentral_chisquare", (1.0, -0.0)),
    ("noncentral_f", (0.0, 1.0, 1.0)), ("noncentral_f", (1.0, -1.0, 1.0)),
    ("noncentral_f", (1.0, 1.0, -1.0)),
    ("vonmises", (0.0, -1.0)), ("vonmises", (0.0, -0.0)),
    ("triangular", (2.0, 1.0, 3.0)), ("triangular", (0.0, 4.0, 3.0)),
    ("triangular", (1.0, 1.0, 1.0)),
    ("zipf", (1.0,)), ("zipf", (0.5,)), ("zipf", (math.nan,)),
    ("logseries", (1.0,)), ("logseries", (-0.1,)), ("logseries", (math.nan,)),
    ("hypergeometric", (2, 2, 5)), ("hypergeometric", (-1, 5, 1)),
    ("hypergeometric", (5, -1, 1)), ("hypergeometric", (2, 2, 0)),
    ("hypergeometric", (2, 2, -1)),
]


def numpy_error(fn, *args):
    with pytest.raises(Exception) as want:
        fn(*args)
    return want.type, str(want.value)


@pytest.mark.parametrize("name, args", BAD, ids=str)
def test_legacy_errors_are_numpys(name, args):
    want = numpy_error(getattr(np.random, name), *args, 3)
    assert numpy_error(LEGACY[name], 1, *legacy_args(name, args), 3) == want


@pytest.mark.parametrize("n, pvals", [
    (5, np.array([0.5, 0.6, 0.1])), (5, np.array([-0.1, 1.1])),
    (5, np.array([0.5, math.nan])), (5, np.array([1.5, 0.0])),
    (-1, np.array([0.5, 0.5]))], ids=str)
def test_multinomial_errors_are_numpys(n, pvals):
    want = numpy_error(np.random.multinomial, n, pvals, 2)
    assert numpy_error(multinomial, 1, n, pvals, 2) == want


def test_dirichlet_errors_are_numpys():
    for alpha in (np.array([1.0, 0.0]), np.array([-1.0, 2.0])):
        want = numpy_error(np.random.dirichlet, alpha, 2)
        assert numpy_error(dirichlet, 1, alpha, 2) == want


# --- the Generator's methods ---

@njit
def gen_draws(g, which, a, b, c, size):
    """The method `which` of g, one number then size of them, as floats."""
    if which == 0:
        return (np.float64(g.negative_binomial(a, b)),
                g.negative_binomial(a, b, size).astype(np.float64))
    if which == 1:
        return (g.noncentral_chisquare(a, b),
                g.noncentral_chisquare(a, b, size))
    if which == 2:
        return g.noncentral_f(a, b, c), g.noncentral_f(a, b, c, size)
    if which == 3:
        return (np.float64(g.zipf(a)),
                g.zipf(a, size).astype(np.float64))
    if which == 4:
        return (np.float64(g.logseries(a)),
                g.logseries(a, size).astype(np.float64))
    return g.vonmises(a, b), g.vonmises(a, b, size)


GENERATOR = ["negative_binomial", "noncentral_chisquare", "noncentral_f",
             "zipf", "logseries", "vonmises"]
GEN_PARAMS = dict(PARAMS, zipf=PARAMS["zipf"] + [(1025.0,), (2000.0,)],
                  negative_binomial=[a for a in PARAMS["negative_binomial"]
                                     if a[1] > 0])


def numpy_generator(seed, name, args, size):
    g = np.random.Generator(np.random.PCG64(seed))
    fn = getattr(g, name)
    one = fn(*args)
    many = fn(*args, size=size)
    return np.float64(one), many.astype(np.float64), g.random()


@pytest.mark.parametrize("name, args",
                         [(n, a) for n in GENERATOR for a in GEN_PARAMS[n]])
def test_generator_methods(name, args):
    which = GENERATOR.index(name)
    full = tuple(args) + (0.0,) * (3 - len(args))
    for seed in SEEDS[:3]:
        g = np.random.Generator(np.random.PCG64(seed))
        one, many = gen_draws(g, which, *map(float, full), 9)
        same((one, many, g.random()), numpy_generator(seed, name, args, 9))
    assert_compiled(gen_draws)


@njit
def gen_typed(g, size):
    return (g.negative_binomial(3, 0.5, size), g.zipf(2.5, size),
            g.logseries(0.5, size), g.noncentral_chisquare(2, 1, size))


def test_generator_types_and_shapes():
    got = gen_typed(np.random.default_rng(3), (2, 3))
    g = np.random.default_rng(3)
    want = (g.negative_binomial(3, 0.5, (2, 3)), g.zipf(2.5, (2, 3)),
            g.logseries(0.5, (2, 3)), g.noncentral_chisquare(2, 1, (2, 3)))
    same(got, want)


GEN_BAD = [
    ("negative_binomial", (math.nan, 0.5)), ("negative_binomial", (0.0, 0.5)),
    ("negative_binomial", (1.0, 0.0)), ("negative_binomial", (1.0, 1.5)),
    ("negative_binomial", (1e18, 1e-3)),
    ("noncentral_chisquare", (0.0, 1.0)),
    ("noncentral_chisquare", (1.0, -0.0)),
    ("noncentral_f", (1.0, 0.0, 1.0)), ("noncentral_f", (1.0, 1.0, -1.0)),
    ("zipf", (1.0,)), ("zipf", (math.nan,)), ("logseries", (1.0,)),
    ("logseries", (math.nan,)), ("vonmises", (0.0, -1.0)),
]


@pytest.mark.parametrize("name, args", GEN_BAD, ids=str)
def test_generator_errors_are_numpys(name, args):
    full = tuple(args) + (0.0,) * (3 - len(args))
    want = numpy_error(getattr(np.random.default_rng(1), name), *args, 3)
    got = numpy_error(gen_draws, np.random.default_rng(1),
                      GENERATOR.index(name), *full, 3)
    assert got == want


# --- the binomial's edges, which the distributions above draw ---

@njit
def binomial_then_random(seed, n, p, size):
    np.random.seed(seed)
    return (np.random.binomial(n, p), np.random.binomial(n, p, size),
            np.random.random())


@pytest.mark.parametrize("n, p", [(0, 0.5), (5, 0.0), (5, 1.0), (0, 1.0),
                                  (10, 0.3), (100, 0.9), (1000, 0.5)])
def test_legacy_binomial_draws_as_numpy(n, p):
    """RandomState's inversion draws a number even for n == 0 or p == 0."""
    for seed in SEEDS:
        same(binomial_then_random(seed, n, p, 5),
             numpy_legacy("binomial", seed, (n, p), 5))


@njit
def gen_binomial(g, n, p, size):
    return g.binomial(n, p), g.binomial(n, p, size)


@pytest.mark.parametrize("n, p", [(0, 0.5), (5, 0.0), (5, 1.0), (10, 0.3),
                                  (100, 0.9), (1000, 0.5)])
def test_generator_binomial_draws_as_numpy(n, p):
    for seed in SEEDS[:3]:
        g = np.random.Generator(np.random.PCG64(seed))
        one, many = gen_binomial(g, n, p, 5)
        h = np.random.Generator(np.random.PCG64(seed))
        same((one, many, g.random()),
             (h.binomial(n, p), h.binomial(n, p, 5), h.random()))


@njit
def poisson(seed, lam, size):
    np.random.seed(seed)
    return (np.random.poisson(lam), np.random.poisson(lam, size),
            np.random.random())


@pytest.mark.parametrize("lam", [0.0, 1e-3, 1.0, 9.99, 10.0, 37.5, 1e4,
                                 1e12])
def test_legacy_poisson(lam):
    for seed in SEEDS:
        same(poisson(seed, lam, 9), numpy_legacy("poisson", seed, (lam,), 9))


@pytest.mark.parametrize("lam", [-1.0, math.nan, 1e19])
def test_legacy_poisson_errors_are_numpys(lam):
    assert (numpy_error(poisson, 1, lam, 3)
            == numpy_error(np.random.poisson, lam, 3))
