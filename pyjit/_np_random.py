"""Random numbers for nopython code: np.random's functions and the random
module's, as Numba has them.

Compiled code draws from its own generators (csrc/random.c), not from
NumPy's global one or the random module's: calling np.random.seed(n) from
the interpreter does not seed them.  Seeded inside compiled code with
np.random.seed(n), np.random gives the numbers NumPy's legacy functions
give after np.random.seed(n): a seed is taken modulo 2**32, as Numba
converts it to uint32 (np.random.seed(2**40 + 5) is np.random.seed(5),
and -1 is 2**32 - 1); the same 53-bit doubles, the same polar
Box-Muller normals, randint's masked rejection, shuffle's and
permutation's Fisher-Yates from the end, choice by randint (with
replacement) or by a permutation (without), exponential by -log(1 - u)
(poisson and the other distributions: pyjit/_np_random_dists.py).

The random module's functions draw from a second generator, which
random.seed(n) seeds as np.random.seed(n) seeds the first (Numba's
choice; CPython seeds from all of n's 32-bit words, so its numbers
differ): random.random and random.gauss give NumPy's numbers,
random.getrandbits, random.randint, random.randrange and random.shuffle
draw integers as CPython's getrandbits does (the random module's other
distributions: pyjit/_random_variates.py).
"""
import math
import random as _pyrandom

import numpy as np

from ._core import (_npgen_new, _random_double, _random_gauss, _random_seed,
                    _random_u32)

_NP = 0     # np.random's generator
_PY = 1     # the random module's


def np_seed(seed):
    _random_seed(_NP, seed)


def _filled(size, loc, scale, normal):
    """An array of shape size of loc + scale * x, x standard normal or
    uniform in [0, 1)."""
    out = np.empty(size)
    flat = out.ravel()
    for i in range(flat.size):
        x = _random_gauss(_NP) if normal else _random_double(_NP)
        flat[i] = loc + scale * x
    return out


def random_sample(size=None):
    if size is None:
        return _random_double(_NP)
    return _filled(size, 0.0, 1.0, False)


def _dims(d0, d1, d2):
    """rand's and randn's dimensions as a shape."""
    if d1 is None:
        return (d0,)
    if d2 is None:
        return (d0, d1)
    return (d0, d1, d2)


def rand(d0=None, d1=None, d2=None):
    if d0 is None:
        return _random_double(_NP)
    return _filled(_dims(d0, d1, d2), 0.0, 1.0, False)


def uniform(low=0.0, high=1.0, size=None):
    if size is None:
        return low + (high - low) * _random_double(_NP)
    return _filled(size, low, high - low, False)


def normal(loc=0.0, scale=1.0, size=None):
    if scale < 0:
        raise ValueError("scale < 0")
    if size is None:
        return loc + scale * _random_gauss(_NP)
    return _filled(size, loc, scale, True)


def standard_normal(size=None):
    if size is None:
        return _random_gauss(_NP)
    return _filled(size, 0.0, 1.0, True)


def randn(d0=None, d1=None, d2=None):
    if d0 is None:
        return _random_gauss(_NP)
    return _filled(_dims(d0, d1, d2), 0.0, 1.0, True)


def _bounded(rng):
    """A draw in [0, rng], as NumPy's legacy generator draws it: the low
    bits of a word (two words past 32 bits) under the smallest mask
    covering rng, again while above rng."""
    if rng == 0:
        return 0
    mask = rng
    for shift in (1, 2, 4, 8, 16, 32):
        mask |= mask >> shift
    if rng <= 0xFFFFFFFF:
        v = _random_u32(_NP) & mask
        while v > rng:
            v = _random_u32(_NP) & mask
        return v
    v = ((_random_u32(_NP) << 32) | _random_u32(_NP)) & mask
    while v > rng:
        v = ((_random_u32(_NP) << 32) | _random_u32(_NP)) & mask
    return v


def _randint_between(low, high, size):
    if low >= high:
        raise ValueError("low >= high")
    if size is None:
        return low + _bounded(high - 1 - low)
    out = np.empty(size, np.int64)
    flat = out.ravel()
    for i in range(flat.size):
        flat[i] = low + _bounded(high - 1 - low)
    return out


def randint(low, high=None, size=None):
    if high is None:
        return _randint_between(0, low, size)
    return _randint_between(low, high, size)


def _swap(x, i, j):
    """Swaps x[i] and x[j]: items of a 1-d array, rows of others (one
    copied first, as a row is a view of x)."""
    if x.ndim == 1:
        x[i], x[j] = x[j], x[i]
    else:
        row = x[i].copy()
        x[i] = x[j]
        x[j] = row


def shuffle(x):
    """Shuffles x along its first axis (rows when 2-d, as NumPy does)."""
    for i in range(len(x) - 1, 0, -1):
        _swap(x, i, _bounded(i))


def permutation(x):
    if x.ndim == 0:
        out = np.arange(x)
    else:
        out = np.copy(x)
    shuffle(out)
    return out


def choice(a, size=None, replace=True):
    n = a if a.ndim == 0 else len(a)
    if n <= 0:
        raise ValueError("a must be a positive integer or a non-empty "
                         "array")
    if replace:
        idx = randint(0, n, size)
    elif size is None:
        idx = permutation(n)[0]
    else:
        idx = _first(permutation(n), size)
    if a.ndim == 0:
        return idx
    if size is None:
        return a[idx]
    return _gather(a, idx)


def _first(p, size):
    """An array of shape size of the first items of the permutation p;
    ValueError when p has fewer."""
    out = np.empty(size, np.int64)
    flat = out.ravel()
    if flat.size > len(p):
        raise ValueError("Cannot take a larger sample than population "
                         "when 'replace=False'")
    for i in range(flat.size):
        flat[i] = p[i]
    return out


def _gather(a, idx):
    """a[idx] of the 1-d a and an array of indices into it."""
    out = np.empty(idx.shape, a.dtype)
    flat = out.ravel()
    where = idx.ravel()
    for i in range(flat.size):
        flat[i] = a[where[i]]
    return out


def exponential(scale=1.0, size=None):
    if scale < 0:
        raise ValueError("scale < 0")
    if size is None:
        return -math.log(1.0 - _random_double(_NP)) * scale
    out = np.empty(size)
    flat = out.ravel()
    for i in range(flat.size):
        flat[i] = -math.log(1.0 - _random_double(_NP)) * scale
    return out


def default_rng(seed=None):
    """A numpy.random.Generator made by NumPy itself (so that its stream
    is NumPy's for the seed); its methods are pyjit/_np_generator.py's."""
    return _npgen_new(seed)


# --- the random module ---

def py_seed(a):
    _random_seed(_PY, a)


def py_random():
    return _random_double(_PY)


def py_uniform(a, b):
    return a + (b - a) * _random_double(_PY)


def py_gauss(mu=0.0, sigma=1.0):
    return mu + sigma * _random_gauss(_PY)


def _bits(k):
    """k random bits, 1 <= k <= 64, as CPython's getrandbits fills them:
    the top k bits of a word; past 32, a whole word for the low half and
    the top k - 32 bits of the next for the high half (wrapped to int64
    when k is 64)."""
    if k <= 32:
        return _random_u32(_PY) >> (32 - k)
    low = _random_u32(_PY)
    return ((_random_u32(_PY) >> (64 - k)) << 32) | low


def _below(n):
    """A draw in [0, n): as many bits as n has, again while n or more."""
    k = 0
    while (n >> k) != 0:
        k += 1
    while True:
        r = _bits(k)
        if r < n:
            return r


def py_getrandbits(k):
    """A uint64, as Numba types it; more than 64 bits would not fit.  k = 0
    gives 0 without drawing, as CPython does (Numba raises)."""
    if k < 0:
        raise ValueError("number of bits must be non-negative")
    if k > 64:
        raise OverflowError("getrandbits() limited to 64 bits")
    if k == 0:
        return np.uint64(0)
    return np.uint64(_bits(k))


def py_randrange(start, stop=None, step=1):
    if stop is None:
        return py_randrange(0, start, 1)
    if step == 0:
        raise ValueError("zero step for randrange()")
    if step > 0:
        n = (stop - start + step - 1) // step
    else:
        n = (stop - start + step + 1) // step
    if n <= 0:
        raise ValueError("empty range for randrange()")
    return start + step * _below(n)


def py_randint(a, b):
    return py_randrange(a, b + 1, 1)


def py_shuffle(x):
    """Shuffles the array x along its first axis, as np.random.shuffle
    does, with indices drawn as random.randrange draws them."""
    for i in range(len(x) - 1, 0, -1):
        _swap(x, i, _below(i + 1))


FUNCTIONS = {
    np.random.seed: np_seed, np.random.random: random_sample,
    np.random.random_sample: random_sample, np.random.rand: rand,
    np.random.uniform: uniform, np.random.normal: normal,
    np.random.standard_normal: standard_normal, np.random.randn: randn,
    np.random.randint: randint, np.random.shuffle: shuffle,
    np.random.permutation: permutation, np.random.choice: choice,
    np.random.exponential: exponential,
    np.random.default_rng: default_rng,
    _pyrandom.seed: py_seed, _pyrandom.random: py_random,
    _pyrandom.uniform: py_uniform, _pyrandom.gauss: py_gauss,
    _pyrandom.randrange: py_randrange, _pyrandom.randint: py_randint,
    _pyrandom.getrandbits: py_getrandbits, _pyrandom.shuffle: py_shuffle,
}

METHODS = ()

HELPERS = (_filled, _dims, _bounded, _swap,
           _randint_between, _first, _gather, _bits, _below)
