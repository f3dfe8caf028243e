"""The fast paths of random draws in loops: a Generator's methods drawing
through its bitgen_t (csrc/np_generator.c's _npgen_bitgen) and np.random's
legacy draws (csrc/random.c) give NumPy's numbers bit for bit over long
runs (across the Mersenne Twister's regeneration of its 624 words and
the ziggurat's rare paths), and a function taking a Generator is cached by
cache=True and loaded by the next process."""
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
