"""Differential tests: np.random in nopython code (pyjit/_np_random.py),
seeded inside the compiled function, gives exactly the numbers NumPy's
legacy functions give after np.random.seed with the same seed; the random
module's functions give NumPy's doubles and normals and CPython's way of
drawing integers from the top bits of each word; the random module's
getrandbits, shuffle and distributions are CPython's algorithms on the
stream Numba's draw from (NumPy's for the seed), as Numba's are."""
import math
import random

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

from difftest import assert_compiled
from pyjit import njit

SEEDS = st.integers(0, 2**32 - 1)
SOME = settings(max_examples=30, deadline=None)


def assert_identical(got, want):
    if isinstance(want, tuple):
        assert len(got) == len(want)
        for g, w in zip(got, want):
            assert_identical(g, w)
    elif isinstance(want, np.ndarray):
        assert isinstance(got, np.ndarray) and got.dtype == want.dtype, \
            (got, want)
        assert got.shape == want.shape and np.array_equal(got, want), \
            (got, want)
    else:
        # NumPy's scalars are compiled code's Python numbers.
        kind = np.asarray(want).dtype.kind
        assert np.asarray(got).dtype.kind == kind and got == want, \
            (got, want)


def check_seeded(f, seed, *args):
    """f compiled, run after nothing else, against f in Python with
    NumPy's global generator: f seeds itself with seed."""
    got = f(seed, *args)
    want = f.py_func(seed, *args)
    assert_identical(got, want)
    assert_compiled(f)


@njit
def uniforms(s, n):
    np.random.seed(s)
    return (np.random.random(), np.random.random(n), np.random.random((2, n)),
            np.random.random_sample(n), np.random.rand(), np.random.rand(n),
            np.random.rand(n, 2), np.random.uniform(),
            np.random.uniform(-3.0, 5.5), np.random.uniform(1.0, 2.0, n),
            np.random.uniform(0.0, 1.0, (n, 3)))


@SOME
@given(s=SEEDS, n=st.integers(0, 7))
def test_uniforms(s, n):
    check_seeded(uniforms, s, n)


@njit
def normals(s, n):
    np.random.seed(s)
    return (np.random.normal(), np.random.normal(2.0, 3.0),
            np.random.normal(0.0, 1.0, n), np.random.standard_normal(),
            np.random.standard_normal((n, 2)), np.random.randn(),
            np.random.randn(n), np.random.randn(2, n),
            np.random.normal(-1.0, 0.5, (3, n)))


@SOME
@given(s=SEEDS, n=st.integers(0, 7))
def test_normals(s, n):
    check_seeded(normals, s, n)


@njit
def normals_after_seed(s):
    """The value kept by the polar method is dropped by a new seed."""
    np.random.seed(s)
    first = np.random.normal()
    np.random.seed(s)
    return first, np.random.normal(), np.random.normal()


@SOME
@given(s=SEEDS)
def test_seed_drops_the_kept_normal(s):
    check_seeded(normals_after_seed, s)


@njit
def integers(s, lo, hi, n):
    np.random.seed(s)
    return (np.random.randint(lo, hi), np.random.randint(hi - lo),
            np.random.randint(lo, hi, n), np.random.randint(lo, hi, (n, 2)),
            np.random.randint(-2**62, 2**62), np.random.randint(0, 2**40, n))


@SOME
@given(s=SEEDS, lo=st.integers(-10**12, 10**12), width=st.one_of(
    st.integers(1, 70), st.integers(1, 2**45)), n=st.integers(0, 6))
def test_integers(s, lo, width, n):
    check_seeded(integers, s, lo, lo + width, n)


@njit
def rearranged(s, a, k):
    np.random.seed(s)
    np.random.shuffle(a)
    return (a, np.random.permutation(len(a) + 3), np.random.permutation(a),
            np.random.choice(len(a) + 1), np.random.choice(a),
            np.random.choice(a, k), np.random.choice(a, (2, k)),
            np.random.choice(len(a), k, replace=False),
            np.random.choice(a, (1, k), False),
            np.random.choice(9, None, False))


@SOME
@given(s=SEEDS, a=st.lists(st.floats(-1e6, 1e6), min_size=3, max_size=40),
       k=st.integers(0, 3))
def test_rearranged(s, a, k):
    got = rearranged(s, np.array(a), k)
    want = rearranged.py_func(s, np.array(a), k)
    assert_identical(got, want)
    assert_compiled(rearranged)


@njit
def others(s, scale, lam, n):
    np.random.seed(s)
    return (np.random.exponential(), np.random.exponential(scale),
            np.random.exponential(scale, n), np.random.poisson(),
            np.random.poisson(lam), np.random.poisson(lam, n),
            np.random.poisson(lam * 20.0, n))


@SOME
@given(s=SEEDS, scale=st.floats(0.0, 1e3), lam=st.floats(0.0, 9.9),
       n=st.integers(0, 6))
def test_exponential_poisson(s, scale, lam, n):
    check_seeded(others, s, scale, lam, n)


@njit
def python_module(s):
    random.seed(s)
    return (random.random(), random.random(), random.gauss(0.0, 1.0),
            random.uniform(2.0, 3.0), random.gauss(1.0, 2.0),
            random.gauss(0.0, 1.0))


def with_numpy(s):
    """What python_module gives: NumPy's stream for the same seed."""
    rs = np.random.RandomState(s)
    return (rs.random_sample(), rs.random_sample(), rs.standard_normal(),
            2.0 + rs.random_sample(), 1.0 + 2.0 * rs.standard_normal(),
            rs.standard_normal())


@SOME
@given(s=SEEDS)
def test_python_module_is_numpys_stream(s):
    assert python_module(s) == with_numpy(s)
    assert_compiled(python_module)


@njit
def python_integers(s, a, b, n):
    random.seed(s)
    out = np.empty(n, np.int64)
    for i in range(n):
        out[i] = random.randint(a, b)
    return out, random.randrange(b - a + 1), random.randrange(a, b + 1, 3)


def below(words, n):
    """CPython's _randbelow(n) over the generator's words: n's bit length
    of top bits (past 32, a whole word for the low half, then the top bits
    of the next above it)."""
    k = n.bit_length()
    while True:
        if k <= 32:
            r = next(words) >> (32 - k)
        else:
            low = next(words)
            r = (next(words) >> (64 - k)) << 32 | low
        if r < n:
            return r


def python_integers_reference(s, a, b, n):
    words = iter(int(w) for w in np.random.RandomState(s).randint(
        0, 2**32, size=10000, dtype=np.uint32))
    out = [a + below(words, b - a + 1) for _ in range(n)]
    r1 = below(words, b - a + 1)
    r2 = a + 3 * below(words, (b - a + 1 + 2) // 3)
    return out, r1, r2


@SOME
@given(s=SEEDS, a=st.integers(-10**6, 10**6),
       width=st.one_of(st.integers(0, 100), st.integers(0, 2**50)),
       n=st.integers(0, 8))
def test_python_randint_takes_top_bits(s, a, width, n):
    out, r1, r2 = python_integers(s, a, a + width, n)
    want_out, want_r1, want_r2 = python_integers_reference(s, a, a + width, n)
    assert out.tolist() == want_out and (r1, r2) == (want_r1, want_r2)
    assert_compiled(python_integers)


@njit
def interpreter_seed_is_not_compiled():
    return np.random.random(4)


def test_the_interpreters_seed_does_not_seed_compiled_code():
    np.random.seed(3)
    want = np.random.random(4)
    np.random.seed(3)
    assert not np.array_equal(interpreter_seed_is_not_compiled(), want)


@njit
def bad_randint(lo, hi):
    return np.random.randint(lo, hi)


@njit
def bad_sample(n, k):
    return np.random.choice(n, k, replace=False)


@njit
def bad_scale(scale):
    return np.random.normal(0.0, scale)


@njit
def seeded_draws(s):
    np.random.seed(s)
    a = np.random.random()
    random.seed(s)
    return a, random.random()


@pytest.mark.parametrize("seed", [-1, 2**32, 2**40 + 5, 2**63 - 1, -2**63])
def test_seed_is_taken_modulo_2_to_the_32_as_numba_does(seed):
    """Numba converts a seed to uint32 (hmmkay seeds with
    RandomState.tomaxint()); its numbers are NumPy's for that seed."""
    np.random.seed(seed % 2**32)
    want = np.random.random()
    assert seeded_draws(seed) == (want, want)
    assert_compiled(seeded_draws)


@pytest.mark.parametrize("call, exc, match", [
    (lambda: bad_randint(5, 5), ValueError, "low >= high"),
    (lambda: bad_sample(3, 4), ValueError, "larger sample than population"),
    (lambda: bad_sample(0, 0), ValueError, "non-empty"),
    (lambda: bad_scale(-1.0), ValueError, "scale < 0"),
])
def test_bad_arguments(call, exc, match):
    with pytest.raises(exc, match=match):
        call()



class NumbasRandom(random.Random):
    """CPython's random module on the stream Numba's random module draws
    from: NumPy's legacy generator for the seed, its doubles for random(),
    its polar normals for gauss (and normalvariate, as in Numba), its words
    for getrandbits, filled as CPython fills them; CPython's own methods
    build the rest (randint, shuffle, the distributions) on these, but for
    two where Numba's differ."""

    def seed(self, a=None, version=2):
        self._rs = np.random.RandomState(a)

    def _word(self):
        return int(self._rs.randint(0, 2**32, dtype=np.uint32))

    def random(self):
        return self._rs.random_sample()

    def getrandbits(self, k):
        if k <= 32:
            return self._word() >> (32 - k)
        low = self._word()
        return (self._word() >> (64 - k)) << 32 | low

    def gauss(self, mu=0.0, sigma=1.0):
        return mu + sigma * self._rs.standard_normal()

    normalvariate = gauss

    def lognormvariate(self, mu, sigma):
        return math.exp(self.gauss(mu, sigma))

    def paretovariate(self, alpha):
        """Numba's (CPython's before 3.11), one ulp apart at times."""
        return 1.0 / (1.0 - self.random()) ** (1.0 / alpha)

    def triangular(self, low=0.0, high=1.0, mode=None):
        """An empty range draws nothing in Numba (CPython draws first)."""
        if mode is not None and high == low:
            return low
        return super().triangular(low, high, mode)


@njit
def random_bits(s, n):
    random.seed(s)
    out = np.empty((n, 6), np.uint64)
    for i in range(n):
        out[i] = (random.getrandbits(1), random.getrandbits(32),
                  random.getrandbits(33), random.getrandbits(63),
                  random.getrandbits(64), random.getrandbits(0))
    return out, random.randint(-10**12, 10**12)


def random_bits_reference(s, n):
    r = NumbasRandom(s)
    out = np.array([[r.getrandbits(k) for k in (1, 32, 33, 63, 64)] + [0]
                    for _ in range(n)], np.uint64).reshape(n, 6)
    return out, r.randint(-10**12, 10**12)


@SOME
@given(s=SEEDS, n=st.integers(0, 40))
def test_getrandbits_and_wide_randint_fill_words_as_cpython(s, n):
    """Past 32 bits, the first word is the low half, as in CPython and
    Numba."""
    assert_identical(random_bits(s, n), random_bits_reference(s, n))
    assert_compiled(random_bits)


@njit
def getrandbits(k):
    return random.getrandbits(k)


def test_getrandbits_edges():
    """0 bits are 0, as in CPython (Numba raises); a negative count is
    CPython's ValueError, more than 64 bits Numba's OverflowError."""
    assert getrandbits(0) == 0
    with pytest.raises(ValueError, match="non-negative"):
        getrandbits(-1)
    with pytest.raises(OverflowError, match="limited to 64 bits"):
        getrandbits(65)


@njit
def variates(s, n, p, q):
    random.seed(s)
    out = np.empty((n, 13))
    for i in range(n):
        out[i] = (random.normalvariate(p, q),
                  random.lognormvariate(0.1 * p, q), random.expovariate(q),
                  random.paretovariate(q), random.weibullvariate(q, p + 0.1),
                  random.triangular(p, p + q),
                  random.triangular(p, p + q, p + q / 3),
                  random.gammavariate(q, p + 0.1),
                  random.gammavariate(1.0, q),
                  random.gammavariate(0.1 * q, 2.0),
                  random.betavariate(q, p + 0.1),
                  random.vonmisesvariate(p, q),
                  random.vonmisesvariate(p, 1e-7))
    return out, random.triangular(p, p, p), random.gauss(0.0, 1.0)


def variates_reference(s, n, p, q):
    r = NumbasRandom(s)
    rows = [(r.normalvariate(p, q), r.lognormvariate(0.1 * p, q),
             r.expovariate(q), r.paretovariate(q),
             r.weibullvariate(q, p + 0.1), r.triangular(p, p + q),
             r.triangular(p, p + q, p + q / 3), r.gammavariate(q, p + 0.1),
             r.gammavariate(1.0, q), r.gammavariate(0.1 * q, 2.0),
             r.betavariate(q, p + 0.1), r.vonmisesvariate(p, q),
             r.vonmisesvariate(p, 1e-7)) for _ in range(n)]
    return (np.array(rows, float).reshape(n, 13), r.triangular(p, p, p),
            r.gauss(0.0, 1.0))


@SOME
@given(s=SEEDS, n=st.integers(0, 30), p=st.floats(0.0, 5.0),
       q=st.floats(0.05, 8.0))
def test_variates_are_cpythons_on_numbas_stream(s, n, p, q):
    """Every shape branch of gammavariate: q below and above 1, and 1."""
    assert_identical(variates(s, n, p, q), variates_reference(s, n, p, q))
    assert_compiled(variates)


@njit
def bad_gamma(alpha, beta):
    return random.gammavariate(alpha, beta)


@pytest.mark.parametrize("alpha, beta", [(0.0, 1.0), (1.0, -1.0)])
def test_gammavariate_checks_its_parameters(alpha, beta):
    with pytest.raises(ValueError, match="alpha and beta must be > 0.0"):
        bad_gamma(alpha, beta)


@njit
def shuffled(s, a):
    random.seed(s)
    b = a.copy()
    random.shuffle(b)
    np.random.seed(s)
    np.random.shuffle(a)
    return b, a


@pytest.mark.parametrize("shape", [(0,), (1,), (2,), (41,), (0, 3), (1, 3),
                                   (5, 3), (30, 2)])
@pytest.mark.parametrize("s", [0, 1, 2**32 - 1])
def test_shuffles_move_items_or_rows(s, shape):
    """random.shuffle as CPython's on Numba's stream; np.random.shuffle as
    NumPy's, which moves the rows of a 2-d array."""
    a = np.arange(float(np.prod(shape))).reshape(shape)
    order = list(range(len(a)))
    NumbasRandom(s).shuffle(order)
    want = a.copy()
    np.random.seed(s)
    np.random.shuffle(want)
    assert_identical(shuffled(s, a.copy()), (a[order], want))
    assert_compiled(shuffled)
