"""hash() of 64-bit integers in compiled code is Python's int hash (|x|
mod 2**61 - 1 with x's sign, -1 made -2), computed without a division;
and dicts and sets keyed by such integers grow and find them.
Differential tests against CPython over generated values, each checking
that the code compiled in nopython mode."""
import hypothesis.strategies as st
import numpy as np
from hypothesis import given

from difftest import SETTINGS, FEW, assert_compiled
from pyjit import njit

M = 2 ** 61 - 1
EDGES = [0, 1, -1, -2, 2, M - 1, M, M + 1, 2 * M, 2 * M + 1, -M, -M - 1,
         2 ** 61, 2 ** 62, 2 ** 63 - 1, -2 ** 63, -2 ** 63 + 1, 3 * M + 2]


@njit
def hash_of(x):
    return hash(x)


@given(st.one_of(st.integers(-2 ** 63, 2 ** 63 - 1), st.sampled_from(EDGES)))
@SETTINGS
def test_int64_hash_is_pythons(x):
    assert hash_of(x) == hash(x), x
    assert_compiled(hash_of)


@given(st.one_of(st.integers(0, 2 ** 64 - 1),
                 st.sampled_from([2 ** 63, 2 ** 64 - 1, 2 ** 64 - 2,
                                  3 * M, 8 * M + 7])))
@SETTINGS
def test_uint64_hash_is_pythons(x):
    assert hash_of(np.uint64(x)) == hash(x), x


@njit
def dict_and_set(keys):
    d = {}
    s = set()
    for k in keys:
        d[k] = d.get(k, 0) + 1
        s.add(k)
    n = 0
    for k in keys:
        n += d[k] + (k in s)
    return len(d), len(s), n


@given(st.lists(st.one_of(st.integers(-2 ** 63, 2 ** 63 - 1),
                          st.sampled_from(EDGES)), max_size=3000))
@FEW
def test_dicts_and_sets_of_ints_grow_and_find(keys):
    a = np.array(keys, dtype=np.int64)
    assert dict_and_set(a) == dict_and_set.py_func(list(keys))
    assert_compiled(dict_and_set)
