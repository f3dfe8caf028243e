"""List slicing (a new list made with room for its items and filled in
place) and list.sort / sorted (NumPy's sort of the numbers when that gives
CPython's order, else a port of CPython's listsort) against the plain
Python function over generated inputs: lengths from 0, steps and bounds
of every sign up to the ends of int64, floats with NaNs and signed zeros,
ints, bools, strings, tuples, keys and reverse."""
import math
import random

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given

import pyjit
from difftest import FEW, assert_compiled
from pyjit.runtime import rtsys
from pyjit.typed import List
from test_runtime_stats import stats_on  # noqa: F401  (the fixture)

INT64_MIN = -(2 ** 63)
INT64_MAX = 2 ** 63 - 1


def same(a, b):
    """a and b are equal item for item, floats bit for bit (NaN equal to
    NaN, 0.0 not -0.0), with the same types."""
    if isinstance(b, float):
        return type(a) is float and (
            (math.isnan(a) and math.isnan(b))
            or (a == b and math.copysign(1, a) == math.copysign(1, b)))
    if isinstance(b, (list, tuple)):
        return (type(a) is type(b) and len(a) == len(b)
                and all(same(x, y) for x, y in zip(a, b)))
    return type(a) is type(b) and a == b


def check(f, *args):
    """f compiled gives what Python gives, and leaves its arguments as
    Python leaves them."""
    py_args = [list(a) if isinstance(a, list) else a for a in args]
    expected = f.py_func(*py_args)
    actual = f(*args)
    assert same(actual, expected), (args, actual, expected)
    assert same(list(args), py_args), (args, py_args)
    assert_compiled(f)
    return actual


# --- items ---

FLOATS = [0.0, -0.0, 1.0, -1.0, 0.5, 2.5, math.inf, -math.inf, 1e300,
          -1e-300, 3.0]


def floats(rng, n, nan=0.0):
    return [math.nan if rng.random() < nan else
            rng.choice(FLOATS) if rng.random() < 0.3 else rng.uniform(-9, 9)
            for _ in range(n)]


def ints(rng, n):
    return [rng.choice([INT64_MIN, INT64_MAX, 0, -1, 1])
            if rng.random() < 0.1 else rng.randint(-20, 20)
            for _ in range(n)]


def strs(rng, n):
    return [rng.choice(["", "a", "b", "ab", "ba", "é", "\U0001f600", "zz"])
            + str(rng.randint(0, 9)) * rng.randint(0, 2) for _ in range(n)]


def pairs(rng, n):
    return [(rng.randint(-3, 3), rng.choice(["x", "y", "xy"]))
            for _ in range(n)]


def structured(rng, n, make):
    """Runs ascending and descending, some long, with equal items: what
    makes listsort gallop and merge runs of unequal lengths."""
    out = []
    while len(out) < n:
        m = rng.choice([1, 2, 7, 40, 200, rng.randint(1, 600)])
        run = sorted(make(rng, m))
        if rng.random() < 0.4:
            run.reverse()
        out += run
    return out[:n]


LENGTHS = [0, 1, 2, 3, 5, 31, 32, 33, 63, 64, 65, 100, 200]


# --- slicing ---

@pyjit.njit
def slice3(l, a, b, c):
    return l[a:b:c]


@pyjit.njit
def slice2(l, a, b):
    return l[a:b]


@pyjit.njit
def const_slices(l):
    return (l[::-1], l[:], l[1:], l[:-1], l[2:5], l[10:150], l[::2],
            l[-2::-3], l[5:1:-1], l[-100:100], l[100:], l[3:3])


@pyjit.njit
def slices_made_in(n):
    l = [str(i) for i in range(n)]
    t = [(i, 1.5 * i) for i in range(n)]
    m = [[i, i] for i in range(n)]
    return l[::-1], l[1::2], t[::-2], t[:n // 2], m[1:], m[::-1]


@pyjit.njit
def slice_ops(l, k):
    m = l.copy()
    r = list(reversed(l))
    m[1:3] = l[:k]
    del m[::2]
    return m, r, l[:k] + l[k:], sorted(l[::-1]) == sorted(l)


bounds = st.one_of(st.none(), st.integers(-12, 12),
                   st.sampled_from([INT64_MIN, INT64_MIN + 1, INT64_MAX,
                                    INT64_MAX - 1, -2 ** 40, 2 ** 40]))
steps = st.one_of(st.none(), st.integers(-5, 5).filter(bool),
                  st.sampled_from([INT64_MIN, INT64_MIN + 1, INT64_MAX,
                                   -2 ** 40, 2 ** 40]))
items = st.sampled_from([floats, ints, strs, pairs])


@pyjit.njit
def slice_made(n, a, b, c):
    l = [1.5 * i for i in range(n)]
    return l[a:b:c]


@given(items, st.sampled_from(LENGTHS[1:-1] + [7, 12]), bounds, bounds,
       steps, st.integers(0, 2 ** 32))
@FEW
def test_slice_matches_python(make, n, a, b, c, seed):
    l = make(random.Random(seed), n)
    check(slice3, l, a, b, c)
    check(slice_made, n - 1, a, b, c)      # an empty list too
    if a is not None and b is not None:
        check(slice2, l, a, b)


@pytest.mark.parametrize("make", [floats, ints, strs, pairs])
@pytest.mark.parametrize("n", [1, 2, 7, 40, 200])
def test_constant_slices(make, n):
    check(const_slices, make(random.Random(n), n))


@pytest.mark.parametrize("n", [0, 1, 2, 9, 50])
def test_slices_of_lists_made_in_compiled_code(n):
    check(slices_made_in, n)


@pytest.mark.parametrize("make", [floats, strs])
def test_operations_written_with_slices(make):
    for n in (1, 3, 8, 30):
        l = make(random.Random(n), n)
        for k in (0, 1, n // 2, n):
            check(slice_ops, l, k)


def test_zero_step_is_a_value_error():
    for f in (lambda: slice3([1, 2], 0, 1, 0),
              lambda: slice3.py_func([1, 2], 0, 1, 0)):
        with pytest.raises(ValueError, match="slice step cannot be zero"):
            f()


@pyjit.njit
def typed_slice(l, a, b, c):
    return l[a:b:c]


def test_typed_list_slice_is_a_typed_list():
    l = List([1.5, -0.0, 2.5, 3.5, 4.5])
    out = typed_slice(l, None, None, -2)
    assert isinstance(out, List) and list(out) == [4.5, 2.5, 1.5]
    assert list(typed_slice(l, 1, 3, None)) == [-0.0, 2.5]
    assert_compiled(typed_slice)


# --- sorting ---

@pyjit.njit
def sort_in_place(l, reverse):
    l.sort(reverse=reverse)
    return l


@pyjit.njit
def sort_copy(l, reverse):
    m = l[:]
    m.sort(reverse=reverse)
    return m


@pyjit.njit
def sorted_both(l, reverse):
    return sorted(l), sorted(l, reverse=reverse)


@pyjit.njit
def sort_by_neg(l, reverse):
    m = l[:]
    m.sort(key=lambda x: -x, reverse=reverse)
    return m, sorted(l, key=lambda x: -x, reverse=reverse)


@pyjit.njit
def sort_by_bucket(l, reverse):
    m = l[:]
    m.sort(key=lambda x: 7 if x != x else 5 if x < -1e9 else 6 if x > 1e9
           else int(x) % 3, reverse=reverse)
    return m


@pyjit.njit
def sort_by_len(l, reverse):
    m = l[:]
    m.sort(key=len, reverse=reverse)
    return m, sorted(l, key=lambda s: s[:1], reverse=reverse)


@pyjit.njit
def sort_by_first(l, reverse):
    m = l[:]
    m.sort(key=lambda t: t[0], reverse=reverse)
    return m


@pyjit.njit
def sort_by_str(l, reverse):
    return sorted(l, key=lambda x: str(x), reverse=reverse)


def sort_inputs(make, nan=False):
    rng = random.Random(len(make.__name__))
    for n in LENGTHS + [1000, 2500]:
        for _ in range(2 if n < 100 else 1):
            if make is floats:
                yield make(rng, n, 0.1 if nan else 0.0)
                yield structured(rng, n, lambda r, m: floats(r, m))
            else:
                yield make(rng, n)
                yield structured(rng, n, make)
    if make is floats:
        yield [math.nan] * 5 + [0.0, -0.0] * 3
        yield [0.0, -0.0, 0.0, -0.0, -1.0, 1.0, -0.0]
        yield [-0.0] * 70 + [0.0] * 70


def run_sorts(data, *fs):
    for l in data:
        if not l:
            continue        # an empty Python list has no item type
        for rev in (False, True):
            for f in fs:
                check(f, list(l), rev)     # (sort_in_place sorts its own)


@pytest.mark.parametrize("nan", [False, True])
def test_sort_floats(nan):
    run_sorts(sort_inputs(floats, nan), sort_in_place, sort_copy,
              sorted_both, sort_by_neg, sort_by_bucket)


def test_sort_float_nans_placed_as_cpython():
    # `<` does not order NaNs: where they end depends on listsort's steps
    rng = random.Random(5)
    for n in (2, 5, 40, 64, 65, 300, 3000):
        for frac in (0.02, 0.3, 0.9):
            for l in (floats(rng, n, frac),
                      structured(rng, n, lambda r, m: floats(r, m, frac))):
                run_sorts([l], sort_in_place, sort_by_neg)


def test_sort_ints_and_bools():
    run_sorts(sort_inputs(ints), sort_in_place, sort_copy, sorted_both,
              sort_by_bucket, sort_by_str)
    rng = random.Random(3)
    run_sorts([[rng.random() < 0.5 for _ in range(n)] for n in LENGTHS[1:]],
              sort_in_place, sorted_both)


def test_sort_strings():
    run_sorts(sort_inputs(strs), sort_in_place, sorted_both, sort_by_len)


def test_sort_tuples():
    run_sorts(sort_inputs(pairs), sort_in_place, sorted_both, sort_by_first)
    rng = random.Random(4)
    run_sorts([[(rng.randint(0, 3), rng.uniform(-1, 1)) for _ in range(n)]
               for n in LENGTHS[1:] + [700]], sort_in_place)


@pyjit.njit
def sort_typed(l, reverse):
    t = List(l)
    t.sort(reverse=reverse)
    return list(t)


def test_sort_typed_list():
    # (the interpreter's List has no sort: Python's list.sort is the check)
    data = list(sort_inputs(floats, True))[:12] + [strs(random.Random(1), 30)]
    for l in data:
        for rev in (False, True):
            if l:
                assert same(sort_typed(l, rev), sorted(l, reverse=rev))
    assert_compiled(sort_typed)


@pyjit.njit
def sort_small_types(a, reverse):
    l = [x for x in a]
    l.sort(reverse=reverse)
    return np.array(l)


@pytest.mark.parametrize("dtype", [np.float32, np.int32, np.uint64,
                                   np.int8])
def test_sort_numbers_of_other_widths(dtype):
    rng = np.random.default_rng(1)
    for n in (1, 2, 30, 300):
        a = (rng.standard_normal(n) * 50).astype(dtype)
        for rev in (False, True):
            got = sort_small_types(a, rev)
            want = np.array(sorted(a.tolist(), reverse=rev), dtype)
            assert got.dtype == dtype and np.array_equal(got, want)
    assert_compiled(sort_small_types)


@pyjit.njit
def slice_and_sort_strings(n):
    l = [str((i * 7919) % 101) for i in range(n)]
    m = l[::-1]
    m.sort()
    k = sorted(l[1:], key=len, reverse=True)
    t = [(s, i) for i, s in enumerate(l)]
    t.sort()
    return len(m) + len(k) + len(t[::2]) + len(l[::3])


def test_slicing_and_sorting_free_what_they_make(stats_on):
    slice_and_sort_strings(5)
    before = rtsys.get_allocation_stats()
    for n in (0, 1, 2, 40, 300):
        assert slice_and_sort_strings(n) == slice_and_sort_strings.py_func(n)
    after = rtsys.get_allocation_stats()
    made, freed = after.alloc - before.alloc, after.free - before.free
    assert made > 300 and made == freed
