"""numpy.random.Generator in compiled code (csrc/np_generator.c,
pyjit/_np_generator.py): a Generator passed in, or made by
np.random.default_rng(seed), gives NumPy's numbers bit for bit for the same
seed and the same calls, and one passed in continues, back in Python,
exactly where compiled code stopped."""
import re
import textwrap

import numpy as np
import pytest

from difftest import assert_compiled, run_cached_script
from pyjit import njit

SEEDS = (0, 1, 12345, 2 ** 40 + 7)
SIZES = (None, 0, 1, 7, (2, 3), (0, 4), (3, 1, 2))


def same(got, want):
    """Equal values of the same type; arrays of the same dtype and shape,
    floats bit for bit (nan equal to nan)."""
    if isinstance(want, np.ndarray):
        assert isinstance(got, np.ndarray), (got, want)
        assert got.dtype == want.dtype and got.shape == want.shape
        assert np.array_equal(got, want, equal_nan=want.dtype.kind == "f")
        return
    assert not isinstance(got, np.ndarray), (got, want)
    kind = np.asarray(want).dtype.kind
    if kind in "iub":
        # integers and bools come back as Python's, as from Numba
        assert np.asarray(got).dtype.kind in "iub", (got, want)
    else:
        assert np.asarray(got).dtype == np.asarray(want).dtype, (got, want)
    assert got == want or (got != got and want != want), (got, want)


def same_state(a, b):
    if isinstance(a, dict):
        assert a.keys() == b.keys()
        for k in a:
            same_state(a[k], b[k])
    elif isinstance(a, np.ndarray):
        assert np.array_equal(a, b)
    else:
        assert a == b


def check(f, seed, *args, bitgen=np.random.PCG64):
    """f(g, *args) compiled and in Python, on two generators seeded alike:
    the same results, then the same state and the same next draws."""
    g1 = np.random.Generator(bitgen(seed))
    g2 = np.random.Generator(bitgen(seed))
    got = f(g1, *args)
    want = f.py_func(g2, *args)
    if isinstance(want, tuple):
        assert len(got) == len(want)
        for a, b in zip(got, want):
            same(a, b)
    else:
        same(got, want)
    same_state(g1.bit_generator.state, g2.bit_generator.state)
    assert g1.integers(0, 1000, 5).tolist() == g2.integers(0, 1000, 5).tolist()
    assert g1.random() == g2.random()
    assert_compiled(f)


@njit
def random(g, size):
    return g.random(size)


@njit
def random32(g, size):
    return g.random(size, dtype=np.float32)


@njit
def random_scalars(g):
    return g.random(), g.random(dtype=np.float32), g.random(dtype=np.float64)


@pytest.mark.parametrize("seed", SEEDS)
def test_random(seed):
    for size in SIZES:
        check(random, seed, size)
        check(random32, seed, size)
    check(random_scalars, seed)


@njit
def normals(g, size):
    return g.standard_normal(size)


@njit
def normals32(g, size):
    return g.standard_normal(size=size, dtype=np.float32)


@njit
def normal(g, loc, scale, size):
    return g.normal(loc, scale, size)


@njit
def normal_loop(g, n):
    out = np.empty(n)
    for i in range(n):
        out[i] = g.normal()
    return out, g.standard_normal(), g.normal(2.0), g.normal(scale=3.0)


@pytest.mark.parametrize("seed", SEEDS)
def test_normal(seed):
    for size in SIZES:
        check(normals, seed, size)
        check(normals32, seed, size)
    # enough draws for the ziggurat's rare paths (the tail, the wedges)
    check(normals, seed, 30000)
    check(normals32, seed, 30000)
    check(normal_loop, seed, 2000)
    for loc, scale in ((0.0, 1.0), (-3.5, 0.25), (1e6, 0.0), (2, 5)):
        check(normal, seed, loc, scale, None)
        check(normal, seed, loc, scale, 9)


@njit
def uniform(g, low, high, size):
    return g.uniform(low, high, size)


@njit
def uniform_defaults(g):
    return g.uniform(), g.uniform(-2.0), g.uniform(high=5.0, size=3)


@pytest.mark.parametrize("seed", SEEDS)
def test_uniform(seed):
    for low, high in ((0.0, 1.0), (-2.0, 3.5), (5.0, 5.0), (1, 10)):
        for size in (None, 0, 5, (2, 2)):
            check(uniform, seed, low, high, size)
    check(uniform_defaults, seed)


@njit
def exponential(g, scale, size):
    return g.exponential(scale, size)


@njit
def standard_exponential(g, size):
    return (g.standard_exponential(size),
            g.standard_exponential(size, method="inv"),
            g.standard_exponential(size, dtype=np.float32),
            g.standard_exponential(size, dtype=np.float32, method="inv"))


@pytest.mark.parametrize("seed", SEEDS)
def test_exponential(seed):
    for size in SIZES:
        check(standard_exponential, seed, size)
    check(standard_exponential, seed, 20000)
    for scale in (1.0, 0.0, 2.5):
        check(exponential, seed, scale, None)
        check(exponential, seed, scale, 11)


def integers_of(dtype):
    @njit
    def f(g, low, high, size, endpoint):
        return g.integers(low, high, size, dtype=dtype, endpoint=endpoint)
    return f


INTEGERS = {t: integers_of(t) for t in (np.int8, np.uint8, np.int16,
                                        np.uint16, np.int32, np.uint32,
                                        np.int64, np.uint64, np.bool_)}

INT64_MIN, INT64_MAX = -2 ** 63, 2 ** 63 - 1

# (low, high) with endpoint=False that fit each type
BOUNDS = {
    np.int8: ((0, 1), (-128, 127), (-5, 5), (0, 2), (-128, -127)),
    np.uint8: ((0, 1), (0, 255), (3, 200), (0, 256)),
    np.int16: ((0, 1), (-32768, 32767), (-300, 1000), (0, 3)),
    np.uint16: ((0, 1), (0, 65535), (0, 65536), (17, 40000)),
    np.int32: ((0, 1), (-2 ** 31, 2 ** 31 - 1), (-7, 7), (0, 100)),
    np.uint32: ((0, 1), (0, 2 ** 32 - 1), (0, 2 ** 32), (5, 2 ** 31)),
    np.int64: ((0, 1), (0, 10), (-5, 2 ** 32), (0, 2 ** 32 - 1),
               (0, 2 ** 32), (0, 2 ** 32 + 1), (0, 2 ** 40 + 3),
               (INT64_MIN, INT64_MAX), (INT64_MAX - 3, INT64_MAX),
               (INT64_MIN, 0), (-2 ** 62, 2 ** 62)),
    np.uint64: ((0, 1), (0, 2 ** 32 + 5), (0, INT64_MAX), (7, 2 ** 40)),
    np.bool_: ((0, 1), (0, 2), (1, 2)),
}


@pytest.mark.parametrize("dtype", list(INTEGERS), ids=lambda t: t.__name__)
def test_integers(dtype):
    f = INTEGERS[dtype]
    for seed in SEEDS[:3]:
        for low, high in BOUNDS[dtype]:
            for size in (None, 0, 1, 9, (3, 4)):
                check(f, seed, low, high, size, False)
                check(f, seed, low, high - 1, size, True)
        check(f, seed, 0, 1 if dtype is np.bool_ else 100, 5000,
              dtype is np.bool_)


@njit
def integers_defaults(g, n):
    return (g.integers(n), g.integers(n, size=3), g.integers(-n, n),
            g.integers(0, n, endpoint=True), g.integers(-1, 2, (2, 2)))


@pytest.mark.parametrize("seed", SEEDS)
def test_integers_defaults(seed):
    for n in (1, 2, 10, 1000, 2 ** 33):
        check(integers_defaults, seed, n)


@njit
def integers_loop(g, n, high):
    total = 0
    for i in range(n):
        total += g.integers(0, high)
    return total


def test_integers_in_a_loop():
    for high in (1, 2, 7, 2 ** 32 - 1, 2 ** 32, 2 ** 50):
        check(integers_loop, 3, 500, high)


@njit
def gammas(g, shape, scale, size):
    return (g.standard_gamma(shape, size), g.gamma(shape, scale, size),
            g.standard_gamma(shape, size, dtype=np.float32))


@njit
def betas(g, a, b, size):
    return g.beta(a, b, size)


@njit
def poissons(g, lam, size):
    return g.poisson(lam, size)


@pytest.mark.parametrize("seed", SEEDS[:3])
def test_gamma_beta_poisson(seed):
    for shape in (0.0, 0.3, 1.0, 2.5, 40.0):
        check(gammas, seed, shape, 2.0, None)
        check(gammas, seed, shape, 0.5, 500)
    for a, b in ((0.5, 0.5), (0.2, 0.9), (1.0, 1.0), (2.0, 5.0), (0.5, 3.0)):
        check(betas, seed, a, b, None)
        check(betas, seed, a, b, 500)
    for lam in (0.0, 0.5, 5.0, 9.99, 10.0, 55.5, 1e4):
        check(poissons, seed, lam, None)
        check(poissons, seed, lam, (20, 10))


@njit
def choice(g, a, size, replace):
    return g.choice(a, size, replace)


@njit
def choice_scalars(g, n, a):
    return (g.choice(n), g.choice(a), g.choice(n, replace=False),
            g.choice(a, replace=False), g.choice(n, 3, shuffle=False,
                                                 replace=False))


@pytest.mark.parametrize("seed", SEEDS[:3])
def test_choice(seed):
    arrays = (np.arange(10.0) * 1.5, np.arange(1, dtype=np.int32),
              np.array([3, 1, 4, 1, 5, 9, 2, 6], dtype=np.int16))
    for a in arrays:
        for size in (None, 0, 1, 3, (2, 2)):
            for replace in (True, False):
                if not replace and size is not None and np.prod(size) > len(a):
                    continue
                check(choice, seed, a, size, replace)
                check(choice, seed, len(a), size, replace)
    # Floyd's sampling, and the tail shuffle of a large population
    check(choice, seed, 1000, 600, False)
    check(choice, seed, 20000, 1000, False)
    check(choice, seed, 20000, 100, False)
    check(choice, seed, 2 ** 40, 5, True)
    check(choice_scalars, seed, 17, np.arange(5))


@njit
def shuffle(g, x):
    g.shuffle(x)
    return x


@njit
def shuffle_axis(g, x, axis):
    g.shuffle(x, axis)
    return x


@njit
def permutation(g, x):
    return g.permutation(x)


@njit
def permutation_axis(g, x, axis):
    return g.permutation(x, axis=axis)


@pytest.mark.parametrize("seed", SEEDS[:3])
def test_shuffle_permutation(seed):
    for n in (0, 1, 2, 5, 100):
        check(shuffle, seed, np.arange(n))
        check(shuffle, seed, np.arange(n) * 0.5)
        check(permutation, seed, n)
        check(permutation, seed, np.arange(n, dtype=np.int8))
    x = np.arange(24.0).reshape(4, 6)
    for axis in (0, 1, -1):
        check(shuffle_axis, seed, x.copy(), axis)
        check(permutation_axis, seed, x, axis)
    check(shuffle, seed, np.arange(24).reshape(2, 3, 4))


def test_shuffle_in_place_of_the_argument():
    x = np.arange(10)
    y = x.copy()
    shuffle(np.random.default_rng(5), x)
    np.random.default_rng(5).shuffle(y)
    assert np.array_equal(x, y)


@njit
def made_inside(seed, n):
    g = np.random.default_rng(seed)
    return g.random(n), g.integers(0, 10, n), g.normal(size=n), g


@njit
def unseeded(n):
    return np.random.default_rng().random(n)


def test_default_rng_in_compiled_code():
    for seed in SEEDS:
        a, b, c, g = made_inside(seed, 6)
        want = np.random.default_rng(seed)
        same(a, want.random(6))
        same(b, want.integers(0, 10, 6))
        same(c, want.normal(size=6))
        assert isinstance(g, np.random.Generator)
        assert g.bit_generator.state == want.bit_generator.state
        assert g.random() == want.random()
    assert not np.array_equal(unseeded(4), unseeded(4))
    assert_compiled(made_inside)


@njit
def returned(g):
    g.random()
    return g


def test_generator_returned_is_the_argument():
    g = np.random.default_rng(3)
    assert returned(g) is g


@njit
def five(g):
    return g.random(5)


@pytest.mark.parametrize("bitgen", [np.random.MT19937, np.random.Philox,
                                    np.random.SFC64, np.random.PCG64DXSM])
def test_other_bit_generators(bitgen):
    check(five, 9, bitgen=bitgen)
    check(normals, 9, 100, bitgen=bitgen)
    check(INTEGERS[np.int16], 9, -3, 1000, 50, False, bitgen=bitgen)


@njit
def bad_normal(g, scale):
    return g.normal(0.0, scale)


@njit
def bad_integers(g, low, high, endpoint):
    return g.integers(low, high, endpoint=endpoint)


@njit
def bad_uint8(g, low, high):
    return g.integers(low, high, dtype=np.uint8)


@njit
def bad_random_dtype(g):
    return g.random(3, dtype=np.int32)


@njit
def bad_choice(g, n, size):
    return g.choice(n, size, replace=False)


def test_errors_are_numpys():
    g = np.random.default_rng(0)
    cases = [
        (bad_normal, (-1.0,)), (bad_normal, (-0.0,)),
        (bad_integers, (5, 5, False)), (bad_integers, (5, 4, True)),
        (bad_uint8, (-1, 5)), (bad_uint8, (0, 300)),
        (bad_choice, (3, 4)), (bad_choice, (0, 1)),
        (poissons, (-1.0, None)), (poissons, (float("nan"), None)),
        (poissons, (1e30, None)), (betas, (0.0, 1.0, None)),
        (gammas, (-1.0, 1.0, None)), (uniform, (0.0, float("inf"), None)),
        (uniform, (1.0, 0.0, None)),
    ]
    for f, args in cases:
        with pytest.raises((ValueError, OverflowError)) as want:
            f.py_func(np.random.default_rng(0), *args)
        with pytest.raises(type(want.value),
                           match=re.escape(str(want.value))):
            f(g, *args)
    with pytest.raises(TypeError, match="float32 and float64"):
        bad_random_dtype(g)


@njit
def unsupported(g):
    return g.hypergeometric(5, 5, 3)


def test_unsupported_method_names_itself():
    with pytest.raises(Exception, match="hypergeometric"):
        unsupported(np.random.default_rng(0))


@njit
def make_many(n):
    s = 0.0
    for i in range(n):
        s += np.random.default_rng(i).random()
    return s


def test_generators_are_released():
    import gc
    import sys

    def count():
        gc.collect()
        # type(), not isinstance: a dead weak proxy other tests left
        # raises ReferenceError when isinstance looks at its class
        return sum(type(o) is np.random.Generator
                   for o in gc.get_objects())

    make_many(10)
    before = count()
    make_many(500)
    assert count() == before
    g = np.random.default_rng(1)
    refs = sys.getrefcount(g)
    for _ in range(100):
        five(g)
        returned(g)
    assert sys.getrefcount(g) == refs


@njit
def binomials(g, n, p, size):
    return g.binomial(n, p, size)


@pytest.mark.parametrize("seed", SEEDS[:3])
def test_binomial(seed):
    # the inversion (n p <= 30) and BTPE, each side of p = 0.5
    for n in (0, 1, 7, 60, 1000, 10 ** 9):
        for p in (0.0, 0.02, 0.3, 0.5, 0.8, 0.999, 1.0):
            check(binomials, seed, n, p, None)
            check(binomials, seed, n, p, 300)


@njit
def chisquare(g, df, size):
    return g.chisquare(df, size), g.chisquare(df)


@njit
def f_dist(g, dfnum, dfden, size):
    return g.f(dfnum, dfden, size), g.f(dfnum, dfden)


@njit
def standard_cauchy(g, size):
    return g.standard_cauchy(size), g.standard_cauchy()


@njit
def standard_t(g, df, size):
    return g.standard_t(df, size), g.standard_t(df)


@njit
def pareto(g, a, size):
    return g.pareto(a, size), g.pareto(a)


@njit
def weibull(g, a, size):
    return g.weibull(a, size), g.weibull(a)


@njit
def power(g, a, size):
    return g.power(a, size), g.power(a)


@njit
def laplace(g, loc, scale, size):
    return g.laplace(loc, scale, size), g.laplace(loc, scale), g.laplace()


@njit
def logistic(g, loc, scale, size):
    return g.logistic(loc, scale, size), g.logistic(loc, scale), g.logistic()


@njit
def lognormal(g, mean, sigma, size):
    return g.lognormal(mean, sigma, size), g.lognormal(mean, sigma)


@njit
def rayleigh(g, scale, size):
    return g.rayleigh(scale, size), g.rayleigh(scale), g.rayleigh()


@njit
def wald(g, mean, scale, size):
    return g.wald(mean, scale, size), g.wald(mean, scale)


@njit
def geometric(g, p, size):
    return g.geometric(p, size), g.geometric(p)


@njit
def triangular(g, left, mode, right, size):
    return (g.triangular(left, mode, right, size),
            g.triangular(left, mode, right))


# The distributions Numba's Generator has beyond those above, with
# parameters on each side of their algorithms' branches.
MORE = [
    (chisquare, [(0.5,), (3.0,)]),
    (f_dist, [(2.0, 5.0), (0.5, 0.7)]),
    (standard_cauchy, [()]),
    (standard_t, [(1.0,), (7.5,)]),
    (pareto, [(0.5,), (3.0,)]),
    (weibull, [(0.0,), (0.5,), (2.0,)]),
    (power, [(0.3,), (5.0,)]),
    (laplace, [(0.0, 1.0), (2.0, 0.5)]),
    (logistic, [(0.0, 1.0), (-1.0, 3.0)]),
    (lognormal, [(0.0, 1.0), (1.0, 0.2)]),
    (rayleigh, [(1.0,), (3.0,)]),
    (wald, [(1.0, 1.0), (3.0, 0.5), (0.2, 7.0)]),
    (geometric, [(0.1,), (1 / 3,), (0.5,), (1.0,), (1e-9,)]),
    (triangular, [(0.0, 0.5, 1.0), (-1.0, -1.0, 2.0), (0.0, 3.0, 3.0)]),
]


@pytest.mark.parametrize("f, params", MORE,
                         ids=[f.py_func.__name__ for f, _ in MORE])
def test_more_distributions(f, params):
    for args in params:
        for seed in SEEDS[:3]:
            for size in (0, 7, (20, 10)):
                check(f, seed, *args, size)


def test_more_distributions_errors():
    g = np.random.default_rng(0)
    cases = [(chisquare, (0.0, 1)), (f_dist, (1.0, -1.0, 1)),
             (standard_t, (0.0, 1)), (pareto, (0.0, 1)), (weibull, (-1.0, 1)),
             (power, (0.0, 1)), (laplace, (0.0, -1.0, 1)),
             (lognormal, (0.0, -0.0, 1)), (rayleigh, (-1.0, 1)),
             (wald, (0.0, 1.0, 1)), (wald, (1.0, 0.0, 1)),
             (geometric, (0.0, 1)), (geometric, (1.5, 1)),
             (geometric, (float("nan"), 1)), (triangular, (1.0, 0.0, 2.0, 1)),
             (triangular, (0.0, 3.0, 2.0, 1)),
             (triangular, (1.0, 1.0, 1.0, 1)),
             (binomials, (-1, 0.5, 1)), (binomials, (5, 1.5, 1))]
    for f, args in cases:
        with pytest.raises(ValueError) as want:
            f.py_func(np.random.default_rng(0), *args)
        with pytest.raises(ValueError, match=re.escape(str(want.value))):
            f(g, *args)


@njit
def choice_p(g, a, size, p):
    return g.choice(a, size, p=p)


@njit
def choice_p_scalar(g, a, p):
    return g.choice(a, p=p)


@pytest.mark.parametrize("seed", SEEDS[:3])
def test_choice_with_probabilities(seed):
    for p in (np.array([0.1, 0.0, 0.3, 0.6, 0.0]), np.ones(4, np.float32) / 4,
              np.array([1.0]), np.array([0.5, 0.5 + 1e-9])):
        for a in (len(p), np.arange(len(p)) * 2.5):
            check(choice_p_scalar, seed, a, p)
            for size in (0, 5, (2, 3)):
                check(choice_p, seed, a, size, p)
    g = np.random.default_rng(0)
    for p in (np.array([0.5, 0.6]), np.array([np.nan, 1.0]),
              np.array([-0.5, 1.5]), np.array([0.5, 0.5, 0.0])):
        with pytest.raises(ValueError) as want:
            np.random.default_rng(0).choice(2, 3, p=p)
        with pytest.raises(ValueError, match=re.escape(str(want.value))):
            choice_p(g, 2, 3, p)


def test_a_generator_method_compiled_first_in_a_process(tmp_path):
    # the Generator's methods, compiled before anything else, load the rest
    # of the library they call (a.copy() in choice, the legacy draws that
    # share the Generator's algorithms) from the module's own functions
    script = textwrap.dedent("""
        import json
        import numpy as np
        from pyjit import njit

        @njit
        def pick(g, a):
            return g.choice(a, 3, False)

        @njit
        def legacy(n):
            np.random.seed(5)
            return np.random.binomial(n, 0.5)

        got = pick(np.random.default_rng(0), np.arange(5)).tolist()
        print(json.dumps([got, legacy(10)]))
    """)
    want = np.random.default_rng(0).choice(np.arange(5), 3, False).tolist()
    np.random.seed(5)
    assert run_cached_script(tmp_path, script) == [
        want, int(np.random.binomial(10, 0.5))]
