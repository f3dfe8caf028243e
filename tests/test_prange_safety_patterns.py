"""Which prange loops get a ParallelSafetyWarning about array elements.

pyjit warns where the indices tell for certain that an iteration reads an
element another iteration writes (a[i - 1] read and a[i] written, a[0]
read and written by every iteration); Numba warns of nothing.  Where the
indices depend on the data, each iteration may own a part of the array,
as in pynndescent's loops below (standalone copies of their patterns), and
there is no warning.  Differential tests against the plain Python
functions, whose results do not depend on the order of the iterations."""
import warnings

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given

from difftest import FEW, assert_compiled
from pyjit import njit, prange
from pyjit.errors import ParallelSafetyWarning


def no_safety_warning(f, *args):
    """f(*args) compiled, with a ParallelSafetyWarning an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", ParallelSafetyWarning)
        return f(*args)


def segments(rng, n, pieces):
    """Cut points of range(n) into at most `pieces` runs: (starts, ends)."""
    cuts = np.unique(np.concatenate(([0, n], rng.integers(0, n + 1, pieces - 1))))
    return cuts[:-1].astype(np.int64), cuts[1:].astype(np.int64)


seeds = st.integers(0, 2 ** 32 - 1)


# pynndescent hybrid_forest.py (_dense_local_subtrees): each iteration
# partitions its own run [d_start[s], d_end[s]) of row t = d_tree[s] of
# perm in place, reading and swapping perm[t, lo] and perm[t, hi].
def partition_runs(data, perm, d_tree, d_start, d_end, threshold):
    for s in prange(d_tree.shape[0]):
        t = d_tree[s]
        lo = d_start[s]
        hi = d_end[s]
        while lo < hi:
            point = perm[t, lo]
            if data[point] < threshold[t]:
                lo += 1
            else:
                hi -= 1
                perm[t, lo] = perm[t, hi]
                perm[t, hi] = point
    return perm


@given(seeds, st.integers(1, 4), st.integers(0, 40), st.integers(1, 6))
@FEW
def test_partition_of_runs_of_rows_does_not_warn(seed, n_trees, n, pieces):
    rng = np.random.default_rng(seed)
    data = rng.standard_normal(max(n, 1))
    perm = np.array([rng.permutation(n) for _ in range(n_trees)],
                    dtype=np.int64).reshape(n_trees, n)
    tree, start, end = [], [], []
    for t in range(n_trees):
        s, e = segments(rng, n, pieces)
        tree += [t] * len(s)
        start += list(s)
        end += list(e)
    args = (np.array(tree, np.int64), np.array(start, np.int64),
            np.array(end, np.int64), rng.standard_normal(n_trees))
    f = njit(parallel=True)(partition_runs)
    got = no_safety_warning(f, data, perm.copy(), *args)
    np.testing.assert_array_equal(got, partition_runs(data, perm.copy(), *args))
    assert_compiled(f)


# pynndescent hub_tree.py (_local_subtrees): each iteration copies its own
# run perm[start:end] and writes it back stably partitioned, with each
# point's new position in pos_of.
def stable_partition_runs(perm, pos_of, starts, ends, side):
    for s in prange(starts.shape[0]):
        start = starts[s]
        end = ends[s]
        tmp = perm[start:end].copy()
        nl = 0
        for i in range(end - start):
            if side[tmp[i]] == 0:
                nl += 1
        lpos = start
        rpos = start + nl
        for i in range(end - start):
            point = tmp[i]
            if side[point] == 0:
                perm[lpos] = point
                pos_of[point] = lpos
                lpos += 1
            else:
                perm[rpos] = point
                pos_of[point] = rpos
                rpos += 1
    return perm, pos_of


@given(seeds, st.integers(0, 60), st.integers(1, 8))
@FEW
def test_stable_partition_of_copied_runs_does_not_warn(seed, n, pieces):
    rng = np.random.default_rng(seed)
    perm = rng.permutation(n).astype(np.int64)
    starts, ends = segments(rng, n, pieces)
    side = rng.integers(0, 2, n)
    f = njit(parallel=True)(stable_partition_runs)
    got = no_safety_warning(f, perm.copy(), np.zeros(n, np.int64), starts,
                            ends, side)
    want = stable_partition_runs(perm.copy(), np.zeros(n, np.int64), starts,
                                 ends, side)
    np.testing.assert_array_equal(got[0], want[0])
    np.testing.assert_array_equal(got[1], want[1])
    assert_compiled(f)


# pynndescent search_graph.py (_permute_csr): each iteration fills the row
# of a CSR matrix that new_indptr gives it, then insertion-sorts it.
def permute_csr(indptr, indices, order):
    n = indptr.shape[0] - 1
    inverse = np.empty(n, dtype=np.int64)
    for a in prange(n):
        inverse[order[a]] = a
    counts = np.zeros(n + 1, dtype=np.int64)
    for a in prange(n):
        counts[a + 1] = indptr[order[a] + 1] - indptr[order[a]]
    new_indptr = np.cumsum(counts)
    new_indices = np.empty(indices.shape[0], dtype=np.int64)
    for a in prange(n):
        old = order[a]
        start = new_indptr[a]
        length = indptr[old + 1] - indptr[old]
        for j in range(length):
            new_indices[start + j] = inverse[indices[indptr[old] + j]]
        for i in range(start + 1, start + length):
            key = new_indices[i]
            j = i - 1
            while j >= start and new_indices[j] > key:
                new_indices[j + 1] = new_indices[j]
                j -= 1
            new_indices[j + 1] = key
    return new_indptr, new_indices


@given(seeds, st.integers(1, 30), st.integers(0, 6))
@FEW
def test_rows_of_a_csr_matrix_sorted_in_place_do_not_warn(seed, n, degree):
    rng = np.random.default_rng(seed)
    lengths = rng.integers(0, degree + 1, n)
    indptr = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    indices = rng.integers(0, n, indptr[-1]).astype(np.int64)
    order = rng.permutation(n).astype(np.int64)
    f = njit(parallel=True)(permute_csr)
    got = no_safety_warning(f, indptr, indices, order)
    want = permute_csr(indptr, indices, order)
    np.testing.assert_array_equal(got[0], want[0])
    np.testing.assert_array_equal(got[1], want[1])
    assert_compiled(f)


def own_row_through_a_view(a, out):
    for i in prange(1, len(a)):
        row = out[i - 1]        # row i - 1 is this iteration's alone
        for j in range(1, row.shape[0]):
            row[j] = row[j - 1] + a[i]
    return out


def test_a_row_of_the_iteration_written_through_a_view_does_not_warn():
    f = njit(parallel=True)(own_row_through_a_view)
    a = np.arange(6.0)
    got = no_safety_warning(f, a, np.ones((6, 4)))
    np.testing.assert_array_equal(got, own_row_through_a_view(a, np.ones((6, 4))))


def odd_from_even(a):
    for i in prange(2, len(a), 2):
        a[i] = a[i - 1] * 2     # no iteration writes an odd element
    return a


@given(st.integers(0, 20))
@FEW
def test_an_element_no_iteration_of_the_step_writes_does_not_warn(n):
    f = njit(parallel=True)(odd_from_even)
    a = np.arange(float(n))
    np.testing.assert_array_equal(no_safety_warning(f, a.copy()),
                                  odd_from_even(a.copy()))


# The loops below do read what another iteration writes.

def previous_even(a):
    for i in prange(2, len(a), 2):
        a[i] = a[i - 2] + 1
    return a


def previous_element(a):
    for i in prange(1, len(a)):
        a[i] = a[i - 1] + 1
    return a


def next_element(a):
    for i in prange(len(a) - 1):
        a[i] = a[i + 1] * 2
    return a


def previous_row(a, out):
    for i in prange(1, len(a)):
        for j in range(out.shape[1]):
            out[i, j] = out[i - 1, j] + a[i]
    return out


def previous_row_through_views(a, out):
    for i in prange(1, len(a)):
        prev = out[i - 1]
        cur = out[i]
        for j in range(cur.shape[0]):
            cur[j] = prev[j] + a[i]
    return out


def one_element_for_all(a, acc):
    for i in prange(len(a)):
        acc[0] += a[i]
    return acc


def one_shared_scratch(a, buf, k):
    out = np.empty_like(a)
    for i in prange(len(a)):
        buf[k] = a[i]
        out[i] = buf[k] * 2
    return out


@pytest.mark.parametrize("func, args, name", [
    (previous_element, (np.zeros(5),), "a"),
    (previous_even, (np.zeros(5),), "a"),
    (next_element, (np.ones(5),), "a"),
    (previous_row, (np.ones(4), np.zeros((4, 3))), "out"),
    (previous_row_through_views, (np.ones(4), np.zeros((4, 3))), "out"),
    (one_element_for_all, (np.ones(4), np.zeros(1)), "acc"),
    (one_shared_scratch, (np.ones(4), np.zeros(2), 1), "buf"),
], ids=["previous", "previous-of-step", "next", "previous-row", "views", "one-element",
        "shared-scratch"])
def test_an_element_another_iteration_writes_warns(func, args, name):
    f = njit(parallel=True)(func)
    with pytest.warns(ParallelSafetyWarning,
                      match=f"writes {name}\\[...\\] and reads an element of "
                            "it another iteration writes"):
        f(*args)
