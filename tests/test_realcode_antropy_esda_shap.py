"""Numba code in the shape of antropy, esda (PySAL) and shap, checked against
the plain Python functions: integer counters summed with booleans, a tuple
returned from a jitted helper, a while-loop parser over an int array, a
prange loop over permuted neighbour values, and self-recursion driven by
np.random inside the jitted code."""
from math import floor, log

import numpy as np
import pytest

from difftest import assert_compiled
from pyjit import njit, prange


# raphaelvallat/antropy, antropy/entropy.py: _numba_sampen (counters of bools, nan/inf results)
@njit
def sampen(sequence, order, r):
    size = sequence.size
    numerator = 0
    denominator = 0
    for offset in range(1, size - order):
        n_numerator = int(abs(sequence[order] - sequence[order + offset]) >= r)
        n_denominator = 0
        for idx in range(order):
            n_numerator += abs(sequence[idx] - sequence[idx + offset]) >= r
            n_denominator += abs(sequence[idx] - sequence[idx + offset]) >= r
        if n_numerator == 0:
            numerator += 1
        if n_denominator == 0:
            denominator += 1
        prev_in_diff = int(abs(sequence[order] - sequence[offset + order]) >= r)
        for idx in range(1, size - offset - order):
            out_diff = int(abs(sequence[idx - 1] - sequence[idx + offset - 1]) >= r)
            in_diff = int(abs(sequence[idx + order] - sequence[idx + offset + order]) >= r)
            n_numerator += in_diff - out_diff
            n_denominator += prev_in_diff - out_diff
            prev_in_diff = in_diff
            if n_numerator == 0:
                numerator += 1
            if n_denominator == 0:
                denominator += 1
    if denominator == 0:
        return np.nan
    elif numerator == 0:
        return np.inf
    else:
        return -log(numerator / denominator)


@pytest.mark.parametrize("order, r", [(2, 0.2), (3, 0.5), (2, 0.0), (1, 10.0)])
def test_sample_entropy(order, r):
    x = np.random.default_rng(order).standard_normal(200)
    np.testing.assert_equal(sampen(x, order, r), sampen.py_func(x, order, r))
    assert_compiled(sampen)


# raphaelvallat/antropy, antropy/utils.py: _linear_regression; antropy/fractal.py: _higuchi_fd
@njit
def linear_regression(x, y):
    n_times = x.size
    sx2 = 0
    sx = 0
    sy = 0
    sxy = 0
    for j in range(n_times):
        sx2 += x[j] ** 2
        sx += x[j]
        sxy += x[j] * y[j]
        sy += y[j]
    den = n_times * sx2 - (sx ** 2)
    num = n_times * sxy - sx * sy
    slope = num / den
    intercept = np.mean(y) - slope * np.mean(x)
    return slope, intercept


@njit
def higuchi_fd(x, kmax):
    n_times = x.size
    lk = np.empty(kmax)
    x_reg = np.empty(kmax)
    y_reg = np.empty(kmax)
    for k in range(1, kmax + 1):
        lm = np.empty((k,))
        for m in range(k):
            ll = 0
            n_max = floor((n_times - m - 1) / k)
            n_max = int(n_max)
            for j in range(1, n_max + 1):
                ll += abs(x[m + j * k] - x[m + (j - 1) * k])
            ll /= k
            ll *= (n_times - 1) / (k * n_max)
            lm[m] = ll
        m_lm = 0
        for m in range(k):
            m_lm += lm[m]
        m_lm /= k
        lk[k - 1] = m_lm
        x_reg[k - 1] = log(1.0 / k)
        y_reg[k - 1] = log(m_lm) if m_lm > 0 else -np.inf
    higuchi, _ = linear_regression(x_reg, y_reg)
    return higuchi


@pytest.mark.parametrize("kmax", [2, 5, 10])
def test_higuchi_fd(kmax):
    x = np.random.default_rng(kmax).standard_normal(300).cumsum()
    assert np.isclose(higuchi_fd(x, kmax), higuchi_fd.py_func(x, kmax))
    assert_compiled(higuchi_fd)
    assert_compiled(linear_regression)


# raphaelvallat/antropy, antropy/entropy.py: _lz_complexity (a while loop over an int array)
@njit
def lz_complexity(binary_string):
    complexity = 1
    prefix_len = 1
    len_substring = 1
    max_len_substring = 1
    pointer = 0
    while prefix_len + len_substring <= len(binary_string):
        if (binary_string[pointer + len_substring - 1]
                == binary_string[prefix_len + len_substring - 1]):
            len_substring += 1
        else:
            max_len_substring = max(len_substring, max_len_substring)
            pointer += 1
            if pointer == prefix_len:
                complexity += 1
                prefix_len += max_len_substring
                pointer = 0
                max_len_substring = 1
            len_substring = 1
    if len_substring != 1:
        complexity += 1
    return complexity


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_lziv_complexity(seed):
    s = (np.random.default_rng(seed).random(150) > 0.5).astype(np.int64)
    assert lz_complexity(s) == lz_complexity.py_func(s)
    b = np.array([ord(c) for c in "1001111011000010"], dtype=np.uint8)
    assert lz_complexity(b) == lz_complexity.py_func(b)
    assert_compiled(lz_complexity)


# pysal/esda, esda/crand.py: _crand_plus / _moran_local_crand, a prange over observations
# whose neighbour values are drawn from a fixed table of permutations.
@njit(parallel=True)
def local_moran_crand(z, cardinalities, weights, permuted_ids, scaling):
    n = len(z)
    nperm = permuted_ids.shape[0]
    out = np.empty((n, nperm))
    ws_start = np.zeros(n + 1, dtype=np.int64)
    ws_start[1:] = np.cumsum(cardinalities)
    for i in prange(n):
        k = cardinalities[i]
        w_i = weights[ws_start[i]:ws_start[i] + k]
        z_no_i = np.concatenate((z[:i], z[i + 1:]))
        for p in range(nperm):
            rz = z_no_i[permuted_ids[p, :k]]
            out[i, p] = z[i] * (rz @ w_i) * scaling
    return out


def test_moran_local_crand():
    rng = np.random.default_rng(5)
    n, nperm, kmax = 12, 30, 4
    z = rng.standard_normal(n)
    z = (z - z.mean()) / z.std()
    card = rng.integers(1, kmax + 1, n)
    weights = np.concatenate([np.full(c, 1.0 / c) for c in card])
    ids = np.array([rng.permutation(n - 1)[:kmax] for _ in range(nperm)])
    got = local_moran_crand(z, card, weights, ids, (n - 1) / (z @ z))
    want = local_moran_crand.py_func(z, card, weights, ids, (n - 1) / (z @ z))
    np.testing.assert_allclose(got, want)
    assert_compiled(local_moran_crand)


# shap/shap, shap/utils/_clustering.py: _pt_shuffle_rec, self-recursion whose branch
# order comes from np.random.randn() in the jitted code.
@njit
def pt_shuffle_rec(i, indexes, index_mask, partition_tree, M, pos):
    if i < 0:
        if index_mask[i + M]:
            indexes[pos] = i + M
            return pos + 1
        else:
            return pos
    left = int(partition_tree[i, 0] - M)
    right = int(partition_tree[i, 1] - M)
    if np.random.randn() < 0:
        pos = pt_shuffle_rec(left, indexes, index_mask, partition_tree, M, pos)
        pos = pt_shuffle_rec(right, indexes, index_mask, partition_tree, M, pos)
    else:
        pos = pt_shuffle_rec(right, indexes, index_mask, partition_tree, M, pos)
        pos = pt_shuffle_rec(left, indexes, index_mask, partition_tree, M, pos)
    return pos


def test_partition_tree_shuffle():
    # a linkage matrix over 5 leaves: ((0, 2), (4, (1, 3)))
    tree = np.array([[0, 2, 0.1, 2], [1, 3, 0.2, 2], [4, 6, 0.3, 3], [5, 7, 0.4, 5]])
    mask = np.array([True, False, True, True, True])
    seen = set()
    for _ in range(40):
        idx = np.full(5, -1)
        pos = pt_shuffle_rec(tree.shape[0] - 1, idx, mask, tree, 5, 0)
        assert pos == 4 and sorted(idx[:4]) == [0, 2, 3, 4] and idx[4] == -1
        # leaves 0 and 2 share a subtree, so they stay next to each other
        where = {v: k for k, v in enumerate(idx[:4])}
        assert abs(where[0] - where[2]) == 1
        seen.add(tuple(idx[:4]))
    assert len(seen) > 1
    assert_compiled(pt_shuffle_rec)
