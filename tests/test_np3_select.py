"""Differential tests against NumPy: np.partition and np.argpartition
(pyjit/_np_partition.py: introselect along the last axis, kth an integer
or an array of them), np.tile with reps a tuple and np.meshgrid of any
number of arrays with either indexing (pyjit/_np_grid.py), each compiled
in nopython mode."""
import itertools

import numpy as np
import pytest

from difftest import assert_compiled
from np_arrays import assert_same_array, run_both
from pyjit import njit


def same_or_same_error(f, *args):
    kind, got, want = run_both(f, *args)
    if kind == "exc":
        assert type(got) is type(want) and str(got) == str(want), (got, want)
        return None
    return got, want


@njit
def partitions(a, kth):
    return np.partition(a, kth), np.argpartition(a, kth)


def check_partitioned(a, kth, part, order):
    """part and a.take(order) hold a's elements, each k of kth where a
    sort puts it, none larger before it and none smaller after it."""
    n = a.shape[-1]
    want = np.sort(a, axis=-1)
    for p in (part, np.take_along_axis(a, order, -1)):
        assert p.shape == a.shape and p.dtype == a.dtype
        assert_same_array(np.sort(p, axis=-1), want)
        for k in np.atleast_1d(kth):
            k = k % n
            assert_same_array(p[..., k], want[..., k])
            pivot = want[..., k:k + 1]
            before, after = p[..., :k], p[..., k + 1:]
            if a.dtype.kind == "f":
                # NaN sorts last: nothing NaN before a number, nothing
                # smaller after it
                assert not np.any(np.isnan(before) & ~np.isnan(pivot))
                assert not np.any(after < pivot)
                assert not np.any((before > pivot) & ~np.isnan(pivot))
            else:
                assert not np.any(before > pivot)
                assert not np.any(after < pivot)
    assert sorted(order.reshape(-1, n)[0].tolist()) == list(range(n)) \
        if a.size else True


@pytest.mark.parametrize("dtype", [np.float64, np.int64, np.float32,
                                   np.uint8])
def test_partition_over_sizes(dtype):
    rng = np.random.default_rng(1)
    for n in (1, 2, 3, 5, 8, 9, 17, 100, 1000):
        for data in ("random", "few", "sorted", "reversed", "equal"):
            if data == "random":
                a = rng.standard_normal(n) * 50
            elif data == "few":
                a = rng.integers(0, 3, n)
            elif data == "sorted":
                a = np.arange(n)
            elif data == "reversed":
                a = np.arange(n)[::-1]
            else:
                a = np.full(n, 7)
            a = a.astype(dtype)
            if dtype in (np.float64, np.float32) and n > 3:
                a[rng.integers(0, n, 2)] = np.nan
            for kth in {0, n - 1, n // 2, -1, -n, (n - 1) // 3}:
                r = same_or_same_error(partitions, a, kth)
                if r:
                    check_partitioned(a, kth, *r[0])
    assert_compiled(partitions)


def test_partition_kth_arrays_and_rows():
    rng = np.random.default_rng(2)
    for shape in [(3, 7), (2, 3, 5), (0, 4), (4, 1), (1, 30)]:
        a = rng.standard_normal(shape)
        n = shape[-1]
        for kth in (np.array([0]), np.array([n - 1, 0]),
                    np.array([n // 2, -1, n // 3]), 0, -1):
            r = same_or_same_error(partitions, a, kth)
            if r:
                check_partitioned(a, kth, *r[0])
        for view in (np.asfortranarray(a), a[..., ::-1]):
            r = same_or_same_error(partitions, view, n // 2)
            check_partitioned(view, n // 2, *r[0])
    kth = np.array([3, -1])
    partitions(np.arange(5.0), kth)
    assert kth.tolist() == [3, -1]          # the caller's kth stays


def test_partition_errors():
    for a, kth in [(np.arange(3.0), 3), (np.arange(3.0), -4),
                   (np.arange(3.0), np.array([1, 5]))]:
        r = same_or_same_error(partitions, a, kth)
        assert r is None
    # an empty array has its kth checked by nothing
    for a, kth in [(np.ones(0), 5), (np.ones((2, 0)), -1), (np.ones((0, 3)),
                                                         9)]:
        got, want = same_or_same_error(partitions, a, kth)
        for g, w in zip(got, want):
            assert_same_array(g, w)


def test_partition_is_linear_on_adversarial_input():
    # sorted, reversed, equal and organ-pipe inputs of 200k elements
    # finish (a quadratic quickselect would take minutes)
    n = 200_000
    half = np.arange(n // 2)
    for a in (np.arange(n), np.arange(n)[::-1].copy(), np.zeros(n),
              np.concatenate([half, half[::-1]])):
        part, order = partitions(a.astype(np.float64), n // 2)
        assert part[n // 2] == np.sort(a)[n // 2]


@njit
def tile(a, reps):
    return np.tile(a, reps)


def test_tile_tuple_reps():
    rng = np.random.default_rng(3)
    shapes = [(0,), (1,), (3,), (2, 3), (0, 2), (2, 1, 3)]
    reps_list = [(2,), (0,), (1, 1), (2, 3), (3, 0), (1, 2, 2), (2, 1, 1, 2),
                 (-1, 2), (0, -1)]
    for shape, reps in itertools.product(shapes, reps_list):
        a = rng.integers(-9, 9, shape)
        if min(reps) >= 0:
            assert_same_array(*same_or_same_error(tile, a, reps))
        elif a.size:
            # a ValueError (NumPy's message depends on where its reshapes
            # meet the negative count)
            with pytest.raises(ValueError):
                tile(a, reps)
    for x in (2.5, 7):
        for reps in ((3,), (2, 2), (0, 1)):
            r = same_or_same_error(tile, x, reps)
            assert_same_array(*r)
    r = same_or_same_error(tile, np.arange(4.0), 3)     # a count still
    assert_same_array(*r)
    assert_compiled(tile)


@njit
def mesh1(x):
    return np.meshgrid(x)


@njit
def mesh2(x, y, ij):
    return np.meshgrid(x, y, indexing="ij") if ij else np.meshgrid(x, y)


@njit
def mesh3(x, y, z, ij):
    if ij:
        return np.meshgrid(x, y, z, indexing="ij")
    return np.meshgrid(x, y, z)


@njit
def mesh4(x, y, z, w):
    return np.meshgrid(x, y, z, w, indexing="xy")


@njit
def mesh_bad(x, y):
    return np.meshgrid(x, y, indexing="ji")


def test_meshgrid_of_many_arrays():
    rng = np.random.default_rng(4)
    for sizes in itertools.product((0, 1, 3), repeat=3):
        x, y, z = (rng.standard_normal(n) for n in sizes)
        z = (z * 10).astype(np.int32)
        for ij in (False, True):
            got, want = mesh3(x, y, z, ij), mesh3.py_func(x, y, z, ij)
            assert len(got) == 3
            for g, w in zip(got, want):
                assert_same_array(g, w)
            got, want = mesh2(x, z, ij), mesh2.py_func(x, z, ij)
            for g, w in zip(got, want):
                assert_same_array(g, w)
        got = mesh4(x, y, z, np.arange(2))
        for g, w in zip(got, mesh4.py_func(x, y, z, np.arange(2))):
            assert_same_array(g, w)
    two_d = np.arange(6.0).reshape(2, 3)        # raveled, as NumPy does
    for g, w in zip(mesh3(two_d, x, y, True), mesh3.py_func(two_d, x, y,
                                                            True)):
        assert_same_array(g, w)
    (g,), (w,) = mesh1(two_d), mesh1.py_func(two_d)
    assert_same_array(g, w)
    r = same_or_same_error(mesh_bad, x, y)
    assert r is None
    for f in (mesh1, mesh2, mesh3, mesh4):
        assert_compiled(f)


@njit
def insert(a, obj, values):
    return np.insert(a, obj, values)


def test_insert():
    rng = np.random.default_rng(5)
    for shape in [(0,), (1,), (4,), (2, 3)]:
        a = rng.integers(-9, 9, shape)
        n = a.size
        objs = [0, n, -1, n + 1, -n - 1, np.array([1]), np.array([0, 0]),
                np.array([n, 0, -1]), np.array([2, 1, 2]),
                np.array([], np.int64), np.array([0, n + 2])]
        for obj in objs:
            for values in (7, 2.5, np.array([5, 6]), np.array([1, 2, 3]),
                           np.array([], np.int64)):
                r = same_or_same_error(insert, a, obj, values)
                if r:
                    assert_same_array(*r, where=f"{shape} {obj} {values}")
        f = a.astype(np.float64)
        r = same_or_same_error(insert, f, np.array([0, 1]), np.nan)
        if r:
            assert_same_array(*r)
    assert_compiled(insert)
