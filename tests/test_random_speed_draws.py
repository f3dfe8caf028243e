"""The fast paths of random draws in loops: a Generator's methods drawing
through its bitgen_t (csrc/np_generator.c's _npgen_bitgen) and np.random's
legacy draws (csrc/random.c) give NumPy's numbers bit for bit over long
runs (across the Mersenne Twister's regeneration of its 624 words and
the ziggurat's rare paths), and a function taking a Generator is cached by
cache=True and loaded by the next process."""
import random
import textwrap

import hypothesis.strategies as st
import numpy as np
from hypothesis import given, settings

from difftest import assert_compiled, run_cached_script
from pyjit import njit

seeds = st.integers(0, 2 ** 32 - 1)
lengths = st.integers(0, 3000)


@njit
def normals(rng, out):
    for i in range(out.size):
        out[i] = rng.normal()
    return out


@njit
def mixed(rng, out):
    # methods sharing one state, one draw each per element
    for i in range(out.shape[0]):
        out[i, 0] = rng.random()
        out[i, 1] = rng.standard_normal()
        out[i, 2] = rng.exponential(2.0)
        out[i, 3] = rng.integers(0, 1000)
    return out


@njit
def legacy(seed, out):
    np.random.seed(seed)
    for i in range(out.size):
        out[i] = np.random.random() if i % 3 else np.random.standard_normal()
    return out


@njit
def legacy_sum(seed, n):
    np.random.seed(seed)
    s = 0.0
    for _ in range(n):
        s += np.random.random()
    return s


@njit
def legacy_ints(seed, n, high):
    np.random.seed(seed)
    out = np.empty(n, np.int64)
    for i in range(n):
        out[i] = np.random.randint(0, high)
    return out


@njit
def stdlib_draws(seed, n):
    random.seed(seed)
    out = np.empty((n, 2))
    for i in range(n):
        out[i, 0] = random.random()
        out[i, 1] = random.randint(0, 1000)
    return out


def generators(seed):
    return np.random.default_rng(seed), np.random.default_rng(seed)


def same_state(g1, g2):
    assert g1.bit_generator.state == g2.bit_generator.state


@settings(max_examples=25, deadline=None)
@given(seeds, lengths)
def test_normal_loop_matches_numpy(seed, n):
    g1, g2 = generators(seed)
    got = normals(g1, np.empty(n))
    want = normals.py_func(g2, np.empty(n))
    assert np.array_equal(got, want)
    same_state(g1, g2)
    assert g1.normal() == g2.normal()       # continues where it stopped
    assert_compiled(normals)


@settings(max_examples=25, deadline=None)
@given(seeds, st.integers(0, 800))
def test_methods_sharing_a_state_match_numpy(seed, n):
    g1, g2 = generators(seed)
    got = mixed(g1, np.empty((n, 4)))
    want = mixed.py_func(g2, np.empty((n, 4)))
    assert np.array_equal(got, want)
    same_state(g1, g2)
    assert_compiled(mixed)


@settings(max_examples=25, deadline=None)
@given(seeds, lengths)
def test_legacy_draws_match_numpy(seed, n):
    # 3000 draws of two words each cross the 624-word regeneration often
    got = legacy(seed, np.empty(n))
    want = legacy.py_func(seed, np.empty(n))
    assert np.array_equal(got, want)
    assert_compiled(legacy)


@settings(max_examples=25, deadline=None)
@given(seeds, lengths)
def test_legacy_sum_matches_numpy(seed, n):
    assert legacy_sum(seed, n) == legacy_sum.py_func(seed, n)
    assert_compiled(legacy_sum)


@settings(max_examples=25, deadline=None)
@given(seeds, lengths, st.sampled_from([1, 2, 7, 100, 128, 2**31, 2**40]))
def test_legacy_integers_match_numpy(seed, n, high):
    assert np.array_equal(legacy_ints(seed, n, high),
                          legacy_ints.py_func(seed, n, high))
    assert_compiled(legacy_ints)


def stdlib_model(seed, n):
    """The random module's draws as compiled code (and Numba) makes them:
    seeded as np.random.seed seeds, random() NumPy's double of two words,
    randint(a, b) CPython's randrange by getrandbits."""
    words = np.random.RandomState(seed)
    out = np.empty((n, 2))
    for i in range(n):
        out[i, 0] = words.random_sample()
        r = 1024
        while r > 1000:
            r = int(words.randint(0, 2**32, dtype=np.uint32)) >> 22
        out[i, 1] = r
    return out


@settings(max_examples=25, deadline=None)
@given(seeds, lengths)
def test_stdlib_draws_match_their_model(seed, n):
    assert np.array_equal(stdlib_draws(seed, n), stdlib_model(seed, n))


def test_legacy_words_are_drawn_inline():
    """A loop of draws calls nothing per word: the generator's address is
    taken once and its words read in the loop, the state made anew out of
    line every 624 words."""
    legacy_sum(1, 10)
    ir = legacy_sum.inspect_llvm(legacy_sum.signatures[0])
    body = ir.split("define", 2)[1]
    assert "pj_rt_random_double" not in body
    assert body.count("call ptr @pj_rt_random_state") == 1
    assert "pj_rt_random_refill" in body


SCRIPT = textwrap.dedent("""
    import json
    import numpy as np
    import pyjit

    @pyjit.njit(cache=True)
    def draws(rng, n):
        out = np.empty(n)
        for i in range(n):
            out[i] = rng.normal() + rng.random()
        return out, rng.integers(0, 100, size=3)

    a, b = draws(np.random.default_rng(5), 4)
    print(json.dumps({"out": a.tolist() + b.tolist(),
                      "hits": len(draws.stats.cache_hits),
                      "misses": len(draws.stats.cache_misses)}))
""")


def run(tmp_path):
    return run_cached_script(tmp_path, SCRIPT)


def expected():
    rng = np.random.default_rng(5)
    out = [rng.normal() + rng.random() for _ in range(4)]
    return out + rng.integers(0, 100, size=3).tolist()


def test_generator_argument_cached_and_loaded(tmp_path):
    first = run(tmp_path)
    assert first["out"] == expected()
    assert (first["hits"], first["misses"]) == (0, 1)
    second = run(tmp_path)
    assert second["out"] == expected()
    assert (second["hits"], second["misses"]) == (1, 0)
