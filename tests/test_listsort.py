"""csrc/listsort.c, CPython's listsort over an index array, against
CPython's own: sorting the indices 0..n-1 by keys[i] with `sorted(range(n),
key=keys.__getitem__)` compares the keys as listsort compares items, so
the two give the same order of indices, NaNs (which `<` does not order)
included.  Inputs: random keys, long ascending and descending runs (which
make the merges gallop), few distinct keys, NaNs and signed zeros, numbers
of every width, strings of each code point width."""
import math
import random

import numpy as np
import pytest

import pyjit
from difftest import assert_compiled
from pyjit._core import _listsort


@pyjit.njit
def listsort_order(keys):
    v = np.arange(len(keys))
    _listsort(keys, v, np.empty((len(keys) + 1) // 2, np.int64))
    return v


@pyjit.njit
def listsort_order_of_array(a):
    return listsort_order([x for x in a])


def cpython_order(keys):
    return sorted(range(len(keys)), key=keys.__getitem__)


def runs(rng, items):
    """items rearranged into runs of random lengths, each ascending or
    descending, some of them long."""
    out = []
    items = list(items)
    while items:
        n = min(len(items), rng.choice([1, 3, 20, 100, 600]))
        run, items = items[:n], items[n:]
        run.sort(reverse=rng.random() < 0.5)   # NaNs keep runs short
        out += run
    return out


def float_keys(rng, n, nan):
    pool = [0.0, -0.0, 1.0, -1.0, math.inf, -math.inf, 2.5]
    return [math.nan if rng.random() < nan else
            rng.choice(pool) if rng.random() < 0.3 else rng.uniform(-5, 5)
            for _ in range(n)]


LENGTHS = [0, 1, 2, 3, 10, 63, 64, 65, 200, 1000, 5000]


@pytest.mark.parametrize("nan", [0.0, 0.01, 0.2, 0.9])
def test_floats_as_cpython(nan):
    rng = random.Random(int(nan * 100))
    for n in LENGTHS:
        for keys in (float_keys(rng, n, nan),
                     runs(rng, float_keys(rng, n, nan)),
                     [rng.choice([math.nan, 1.0, 0.0, -0.0]) for _ in
                      range(n)]):
            if keys:
                got = listsort_order(keys)
                assert got.tolist() == cpython_order(keys), keys
    assert_compiled(listsort_order)


@pytest.mark.parametrize("dtype", [np.float32, np.int8, np.uint8, np.int16,
                                   np.uint16, np.int32, np.uint32, np.int64,
                                   np.uint64, np.bool_])
def test_numbers_of_every_width_as_cpython(dtype):
    rng = np.random.default_rng(2)
    for n in (1, 2, 50, 700, 3000):
        a = (rng.standard_normal(n) * 60).astype(dtype)
        if dtype == np.float32:
            a[rng.random(n) < 0.1] = np.nan
        for keys in (a, np.sort(a), np.sort(a)[::-1].copy(),
                     np.repeat(a[:3], n // 3 + 1)):
            got = listsort_order_of_array(keys)
            assert got.tolist() == cpython_order(keys.tolist())
    assert_compiled(listsort_order_of_array)


def str_keys(rng, n):
    alphabet = ["a", "b", "ab", "é", "\u20ac", "\U0001f600", ""]
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 3)))
            for _ in range(n)]


def test_strings_as_cpython():
    rng = random.Random(7)
    for n in LENGTHS[1:]:
        for keys in (str_keys(rng, n), runs(rng, str_keys(rng, n))):
            got = listsort_order(keys)
            assert got.tolist() == cpython_order(keys)
