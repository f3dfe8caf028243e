"""Nested comprehensions whose items are known only on a later sweep of
type inference: in a loop, a list of lists built from a value the loop
itself makes (the k-means example of numba-examples), against Python."""
import numpy as np
import pytest

from pyjit import njit
from pyjit.errors import TypingError

from difftest import assert_compiled


def refresh(a, c, n, k, d):
    for _ in range(n):
        dist = np.array([[a[i, 0] - c[j, 0] for j in range(k)]
                         for i in range(a.shape[0])])
        c = np.array([[dist[i, j] for j in range(d)] for i in range(k)])
    return c


def kmeans(a, k, iters, init):
    centroids = init
    for _ in range(iters):
        dist = np.array([[np.sqrt(np.sum((a[i, :] - centroids[j, :]) ** 2))
                          for j in range(k)] for i in range(a.shape[0])])
        labels = np.array([dist[i, :].argmin() for i in range(a.shape[0])])
        centroids = np.array([[np.sum(a[labels == i, j])
                               / max(np.sum(labels == i), 1)
                               for j in range(a.shape[1])] for i in range(k)])
    return centroids


def lists_of_lists(n):
    out = []
    for r in range(n):
        rows = [[x * r for x in range(c)] for c in range(r)]
        out.append(rows)
    total = 0
    for rows in out:
        for row in rows:
            total += sum(row)
    return total


def test_nested_comprehensions_typed_in_a_loop():
    rng = np.random.default_rng(3)
    f = njit(refresh)
    for n in (0, 1, 3):
        for rows in (3, 5, 9):
            a = rng.random((rows, 2))
            c = a[:3].copy()
            assert np.array_equal(f(a, c, n, 3, 2), refresh(a, c, n, 3, 2))
    assert_compiled(f)


def test_kmeans_example():
    rng = np.random.default_rng(5)
    f = njit(kmeans)
    for n in (10, 57, 200):
        a = rng.random((n, 3))
        init = a[:4].copy()
        assert np.allclose(f(a, 4, 3, init), kmeans(a, 4, 3, init))
    assert_compiled(f)


def test_list_of_lists_of_lists():
    f = njit(lists_of_lists)
    for n in range(6):
        assert f(n) == lists_of_lists(n)
    assert_compiled(f)


def test_lists_of_two_item_types_still_do_not_mix():
    @njit
    def mixed(c):
        x = [1]
        if c:
            x = [1.5]
        return x

    with pytest.raises(TypingError):
        mixed(True)
