"""np.sort, a.sort() and np.argsort against NumPy bit for bit, where they
call NumPy's own sort loops (csrc/np_sortloop.c): every numeric dtype,
signed zeros, NaNs and many ties, so that the order of equal elements is
NumPy's for each kind; rows of 2-d arrays; views whose elements are not
next to each other, which the library sorts itself."""
import numpy as np
import pytest

from pyjit import njit

from difftest import assert_compiled

DTYPES = [np.bool_, np.int8, np.uint8, np.int16, np.uint16, np.int32,
          np.uint32, np.int64, np.uint64, np.float32, np.float64]
KINDS = ["quicksort", "heapsort", "mergesort", "stable"]
SIZES = [0, 1, 2, 3, 16, 17, 100, 1000, 5000]


@njit
def sort_kind(a, kind):
    return np.sort(a, kind=kind)


@njit
def argsort_kind(a, kind):
    return np.argsort(a, kind=kind)


@njit
def sort_in_place(a):
    a.sort()
    return a


@njit
def argsort_default(a):
    return np.argsort(a), a.argsort()


def values(dtype, n, seed):
    rng = np.random.default_rng(seed)
    if dtype is np.bool_:
        return rng.random(n) < 0.5
    if np.dtype(dtype).kind == "f":
        a = (rng.integers(-4, 5, n) * 0.5).astype(dtype)   # many ties
        if n > 4:
            a[rng.integers(0, n, n // 5)] = np.nan
            a[rng.integers(0, n, n // 5)] = -0.0
            a[rng.integers(0, n, n // 7)] = 0.0
            a[0] = np.inf
            a[1] = -np.inf
        return a
    info = np.iinfo(dtype)
    a = rng.integers(info.min, info.max, n, dtype=dtype, endpoint=True)
    return np.where(rng.random(n) < 0.3, a[:1], a).astype(dtype) if n else a


def same_bits(got, want):
    assert got.dtype == want.dtype and got.shape == want.shape
    assert got.tobytes() == want.tobytes(), (got, want)


@pytest.mark.parametrize("dtype", DTYPES)
def test_sort_and_argsort_are_numpys_bit_for_bit(dtype):
    for n in SIZES:
        for seed in range(3):
            a = values(dtype, n, seed)
            for kind in KINDS:
                same_bits(sort_kind(a, kind), np.sort(a, kind=kind))
                same_bits(argsort_kind(a, kind), np.argsort(a, kind=kind))
            got, got_method = argsort_default(a)
            same_bits(got, np.argsort(a))
            same_bits(got_method, np.argsort(a))
            b = a.copy()
            same_bits(sort_in_place(b), np.sort(a))
    for f in (sort_kind, argsort_kind, sort_in_place, argsort_default):
        assert_compiled(f)


@pytest.mark.parametrize("dtype", [np.float64, np.int32, np.uint8])
def test_rows_of_2d_arrays(dtype):
    for shape in [(0, 5), (3, 0), (1, 1), (4, 7), (5, 300)]:
        a = values(dtype, shape[0] * shape[1], 11).reshape(shape)
        for kind in KINDS:
            same_bits(sort_kind(a, kind), np.sort(a, kind=kind))
            same_bits(argsort_kind(a, kind), np.argsort(a, kind=kind))
        same_bits(sort_kind(a.T, "quicksort"), np.sort(a.T))
        same_bits(argsort_kind(a.T, "quicksort"), np.argsort(a.T))


def test_views_that_are_not_contiguous():
    for n in (0, 1, 2, 33, 2000):
        base = values(np.float64, 2 * n, 5)
        view = base[::2]
        want = np.sort(view)
        got = sort_in_place(view)       # sorted where it lies, by the library
        assert np.array_equal(got, want, equal_nan=True)
        assert np.array_equal(base[::2], want, equal_nan=True)
        same_bits(argsort_kind(base[1::2], "stable"),
                  np.argsort(base[1::2], kind="stable"))
        same_bits(sort_kind(base[::-1], "quicksort"), np.sort(base[::-1]))


def test_sorting_inside_a_loop_of_calls_keeps_memory_flat():
    @njit
    def many(a, k):
        t = 0
        for i in range(k):
            t += np.argsort(a)[0] + np.sort(a)[0]
        return t

    a = values(np.int64, 500, 3)
    many(a, 1)

    def rss():
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * 4096

    before = rss()
    many(a, 200_000)
    assert rss() - before < 8 << 20
