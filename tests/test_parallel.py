"""prange loops of parallel=True functions: each kernel is compared with its
own Python function (where prange is range) over many sizes, including 0, 1
and sizes the thread count does not divide, with every thread count the
process allows; reductions, private variables, allocation, calls, nested
prange, and the loops pyjit refuses or warns about."""
import math
import warnings

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import example, given, settings

import pyjit
from pyjit import (get_num_threads, njit, prange, set_num_threads,
                   threading_layer)
from pyjit.errors import ParallelSafetyWarning, UnsupportedError

from difftest import assert_compiled

SETTINGS = settings(max_examples=40, deadline=None)
sizes = st.one_of(st.sampled_from([0, 1, 2, 3, 5, 7, 64, 101]),
                  st.integers(0, 300))
THREADS = range(1, pyjit._parallel.NUM_THREADS + 1)


def parallel_runs(f, *args):
    """f(*args) with each thread count, checked against f.py_func."""
    expected = f.py_func(*[a.copy() if isinstance(a, np.ndarray) else a
                           for a in args])
    results = []
    for n in THREADS:
        set_num_threads(n)
        try:
            results.append(f(*[a.copy() if isinstance(a, np.ndarray) else a
                               for a in args]))
        finally:
            set_num_threads(pyjit._parallel.NUM_THREADS)
    assert_compiled(f)
    assert "pj_parallel_run" in "".join(f.inspect_llvm().values())
    return expected, results


def parts(r):
    return r if isinstance(r, tuple) else (r,)


def assert_equal_runs(f, *args):
    expected, results = parallel_runs(f, *args)
    for r in results:
        for got, want in zip(parts(r), parts(expected), strict=True):
            np.testing.assert_equal(got, want)


def assert_close_runs(f, *args):
    expected, results = parallel_runs(f, *args)
    for r in results:
        for got, want in zip(parts(r), parts(expected), strict=True):
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-9)


@njit(parallel=True)
def sum_sqrt(a):
    s = 0.0
    for i in prange(len(a)):
        s += math.sqrt(a[i])
    return s


@njit(parallel=True)
def int_reductions(a):
    total = 0
    prod = 1
    ones = 0
    every = -1
    lo = 1 << 62
    hi = -(1 << 62)
    net = 100
    for i in prange(len(a)):
        x = a[i]
        total += x
        prod *= x % 3 + 1
        ones |= x
        every &= x | 1
        lo = min(lo, x)
        hi = max(x, hi)
        net -= x
        net += 2 * x
    return total, prod, ones, every, lo, hi, net


@njit(parallel=True)
def float_minmax(a):
    lo = np.inf
    hi = -np.inf
    for i in prange(a.shape[0]):
        lo = min(lo, a[i])
        hi = max(hi, a[i])
    return lo, hi


@njit(parallel=True)
def stepped(n, start, step):
    out = np.zeros(n + 20)
    for i in prange(start, n, step):
        out[i] = i * 2.0
    return out


@njit(parallel=True)
def stepped_down(n):
    out = np.zeros(n + 1)
    for i in prange(n, -1, -3):
        out[i] = i + 0.5
    return out


@njit(parallel=True)
def allocating(n):
    s = 0.0
    for i in prange(n):
        t = np.arange(i + 1) * 1.0
        u = t * 2.0
        s += u.sum()
    return s


@njit
def helper(x):
    return x * x + 1.0


@njit(parallel=True)
def calling(a):
    out = np.empty_like(a)
    for i in prange(len(a)):
        out[i] = helper(a[i])
    return out


@njit(parallel=True)
def inner_parallel(a):
    s = 0.0
    for i in prange(len(a)):
        s += a[i]
    return s


@njit(parallel=True)
def calls_parallel(a):
    out = np.zeros(len(a))
    for i in prange(len(a)):
        out[i] = inner_parallel(a[: i + 1])
    return out


@njit(parallel=True)
def nested(m):
    out = np.zeros(m.shape[0])
    for i in prange(m.shape[0]):
        row = 0
        for j in prange(m.shape[1]):
            row += m[i, j] * (j + 1)
        out[i] = row
    return out


@njit(parallel=True)
def private_branches(a):
    out = np.zeros_like(a)
    for i in prange(len(a)):
        if a[i] % 2 == 0:
            t = a[i] // 2
        else:
            t = 3 * a[i] + 1
        out[i] = t
    return out


@njit(parallel=True)
def column_sums(m, acc):
    total = np.zeros(m.shape[1])
    for i in prange(m.shape[0]):
        row = m[i] * 2.0
        total += row
        acc += m[i]
    return total, acc


@given(st.integers(0, 40), st.integers(0, 6))
@SETTINGS
def test_reductions_into_whole_arrays(rows, cols):
    m = np.arange(rows * cols, dtype=np.float64).reshape(rows, cols) % 7
    assert_equal_runs(column_sums, m, np.ones(cols))


@given(sizes)
@SETTINGS
def test_sum_of_sqrt(n):
    assert_close_runs(sum_sqrt, np.arange(n) * 0.37)


@given(st.lists(st.integers(-10 ** 6, 10 ** 6), max_size=200))
@SETTINGS
def test_integer_reductions(xs):
    assert_equal_runs(int_reductions, np.array(xs, dtype=np.int64))


@given(st.lists(st.floats(-1e9, 1e9), max_size=200))
@example(xs=[0.0, -0.0])
@example(xs=[-0.0, 0.0])
@SETTINGS
def test_float_min_max(xs):
    assert_equal_runs(float_minmax, np.array(xs, dtype=np.float64))


@given(sizes, st.integers(-5, 5), st.integers(1, 7))
@SETTINGS
def test_start_stop_step(n, start, step):
    assert_equal_runs(stepped, n, start, step)
    assert_equal_runs(stepped_down, n)


@given(st.integers(0, 60))
@settings(max_examples=15, deadline=None)
def test_body_allocates_arrays(n):
    assert_close_runs(allocating, n)


@given(sizes)
@SETTINGS
def test_body_calls_jitted_functions(n):
    assert_equal_runs(calling, np.linspace(-3, 3, n))


@given(st.integers(0, 40))
@settings(max_examples=15, deadline=None)
def test_parallel_function_called_in_a_prange_loop_runs_serially(n):
    assert_close_runs(calls_parallel, np.arange(n) * 1.5)


@given(st.integers(0, 9), st.integers(0, 9))
@SETTINGS
def test_nested_prange(rows, cols):
    assert_equal_runs(nested, np.arange(rows * cols, dtype=np.int64)
                      .reshape(rows, cols))


@given(st.lists(st.integers(0, 1000), max_size=100))
@SETTINGS
def test_loop_local_variables_are_private(xs):
    assert_equal_runs(private_branches, np.array(xs, dtype=np.int64))


def test_variable_read_after_the_loop_warns_and_holds_the_last_value():
    with pytest.warns(ParallelSafetyWarning, match="'x' is assigned"):
        @njit(parallel=True)
        def last(a):
            x = -1.0
            for i in prange(len(a)):
                x = a[i] * 2
            return x
        for n in (0, 1, 5, 64):
            a = np.arange(n) + 1.0
            assert last(a) == last.py_func(a)


def test_loop_carried_scalar_is_an_error():
    @njit(parallel=True)
    def carried(a):
        x = 0.0
        for i in prange(len(a)):
            x = x * 2 + a[i]
        return x

    with pytest.raises(UnsupportedError, match="'x' is read in an iteration"):
        carried(np.ones(4))


def test_scalar_read_before_written_is_an_error():
    @njit(parallel=True)
    def read_before(a):
        t = 0.0
        s = 0.0
        for i in prange(len(a)):
            s += t
            t = a[i]
        return s

    with pytest.raises(UnsupportedError, match="'t' is read in an iteration"):
        read_before(np.ones(4))


@njit(parallel=True)
def guarded_temporary(a, scale):
    out = np.empty_like(a)
    for i in prange(len(a)):
        if scale:
            c = a[i] * 2.0
        x = a[i]
        if scale:
            x += c
        out[i] = x
    return out


@pytest.mark.parametrize("scale", [True, False])
def test_temporary_assigned_and_read_under_one_invariant_condition(scale):
    a = np.arange(40.0)
    np.testing.assert_array_equal(guarded_temporary(a, scale),
                                  guarded_temporary.py_func(a, scale))
    assert_compiled(guarded_temporary)


@njit(parallel=True)
def two_flags(a, assign, use):
    s = 0.0
    for i in prange(len(a)):
        if assign:
            c = a[i]
        if use:
            s += c
    return s


@pytest.mark.parametrize("assign,use", [(True, True), (True, False),
                                        (False, False)])
def test_temporary_under_two_invariant_conditions(assign, use):
    # each way of the two flags either assigns c before reading it or
    # never assigns it: nothing is carried from one iteration to the next
    a = np.arange(1.0, 30.0)
    assert two_flags(a, assign, use) == two_flags.py_func(a, assign, use)
    assert_compiled(two_flags)


@njit(parallel=True)
def made_before_or_in_loop(X, unequal):
    # aeon's pairwise distances: a matrix made before the loop, or in each
    # iteration when the flag says so
    n = X.shape[0]
    d = np.zeros((n, n))
    if not unequal:
        bm = np.full((X.shape[1], X.shape[1]), 0.5)
    for i in prange(n):
        for j in range(i + 1, n):
            if unequal:
                bm = np.full((X.shape[1], X.shape[1]), float(j))
            d[i, j] = np.sum(np.abs(X[i] - X[j])) + bm[0, 0]
    return d


@pytest.mark.parametrize("unequal", [False, True])
def test_value_made_before_the_loop_under_an_invariant_condition(unequal):
    X = np.random.default_rng(5).random((9, 4))
    np.testing.assert_array_equal(made_before_or_in_loop(X, unequal),
                                  made_before_or_in_loop.py_func(X, unequal))
    assert_compiled(made_before_or_in_loop)


def last_of_inner_loop(a, m):
    out = np.zeros(len(a))
    t = -5.0
    for i in prange(len(a)):
        for j in range(m):
            t = a[i] * j
        out[i] = t
    return out


def test_variable_assigned_only_in_an_inner_loop_warns_when_compiled():
    f = njit(parallel=True)(last_of_inner_loop)
    with pytest.warns(ParallelSafetyWarning, match="'t' is assigned in an "
                      "inner loop of the prange loop"):
        f(np.ones(3), 2)


inner_last = njit(parallel=True)(last_of_inner_loop)


@given(sizes, st.integers(1, 6))
@SETTINGS
def test_variable_assigned_only_in_an_inner_loop_is_private(n, m):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ParallelSafetyWarning)
        parallel_runs(inner_last, np.arange(n) + 0.5, m)


def test_inner_loop_that_runs_no_times_leaves_the_value_from_before():
    # What Numba gives: each thread starts from t's value before the loop.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ParallelSafetyWarning)
        np.testing.assert_array_equal(inner_last(np.arange(9.0), 0),
                                      np.full(9, -5.0))


def running_sums_of_rows(a, r):
    # pymatting's box filter: `for j in range(1)` scopes the first window,
    # whose sum the next loop carries on; range(1) always runs once.
    m, n = a.shape
    out = np.zeros((m, n - r))
    for i in prange(m):
        for j in range(1):
            s = 0.0
            for k in range(r + 1):
                s += a[i, k]
            out[i, j] = s
        for j in range(1, n - r):
            s += a[i, j + r] - a[i, j - 1]
            out[i, j] = s
    return out


@pytest.mark.parametrize("shape", [(0, 5), (1, 5), (3, 4), (7, 9)])
def test_inner_range_of_constants_runs_without_a_warning(shape):
    f = njit(parallel=True)(running_sums_of_rows)
    a = np.arange(np.prod(shape), dtype=np.float64).reshape(shape) % 7
    with warnings.catch_warnings():
        warnings.simplefilter("error", ParallelSafetyWarning)
        np.testing.assert_array_equal(f(a, 2), running_sums_of_rows(a, 2))
    assert_compiled(f)


def read_in_inner_loop_first(a, m):
    out = np.zeros(len(a))
    t = 0.0
    for i in prange(len(a)):
        for j in range(m):
            out[i] = t
            t = a[i] * j
    return out


def assigned_under_varying_condition(a, m):
    out = np.zeros(len(a))
    t = 0.0
    for i in prange(len(a)):
        for j in range(m):
            if a[i] > j:
                t = a[i] * j
        out[i] = t
    return out


def test_inner_loop_value_read_first_on_every_path_is_an_error():
    with pytest.raises(UnsupportedError, match="'t' is read in an iteration"):
        njit(parallel=True)(read_in_inner_loop_first)(np.ones(4), 2)


def test_value_read_first_when_the_data_go_one_way_warns():
    # Numba's answer: the thread's previous value; Python's whenever the
    # data make every iteration assign first (here a[i] > 0 does at j = 0)
    f = njit(parallel=True)(assigned_under_varying_condition)
    a = np.arange(1.0, 30.0)
    with pytest.warns(ParallelSafetyWarning,
                      match="'t' is read in the prange loop before it is "
                            "assigned when the iteration's data go one way"):
        np.testing.assert_array_equal(f(a, 3), f.py_func(a, 3))
    assert_compiled(f)


def test_row_of_the_loop_index_read_at_another_column_does_not_warn():
    @njit(parallel=True)
    def swap_ends(a):
        for i in prange(a.shape[0]):
            a[i, 0], a[i, -1] = a[i, -1], a[i, 0]
        return a

    a = np.arange(12.0).reshape(4, 3)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ParallelSafetyWarning)
        np.testing.assert_array_equal(swap_ends(a.copy()),
                                      swap_ends.py_func(a.copy()))


def test_array_read_at_another_index_warns():
    @njit(parallel=True)
    def shift(a):
        for i in prange(1, len(a)):
            a[i] = a[i - 1] + 1
        return a

    with pytest.warns(ParallelSafetyWarning, match="writes a"):
        shift(np.zeros(3))
    with warnings.catch_warnings():
        warnings.simplefilter("error", ParallelSafetyWarning)
        with pytest.raises(ParallelSafetyWarning, match="writes a"):
            shift(np.zeros(3, dtype=np.int64))


def scratch_stack_sums(n, out):
    # pymatting's k-d tree: a scratch stack made in each iteration
    for i in prange(n):
        stack = np.empty(10, np.int64)
        stack[0] = i
        size = 1
        tot = 0
        while size > 0:
            size -= 1
            v = stack[size]
            tot += v
            if v > 0 and size < 9:
                stack[size] = v - 1
                size += 1
        out[i] = tot
    return out


def view_shifted(a, out):
    for i in prange(1, len(a)):
        row = out[i - 1]        # views, not made afresh: still a warning
        cur = out[i]
        for j in range(row.shape[0]):
            cur[j] = row[j] + a[i]
    return out


def test_array_made_in_each_iteration_read_at_another_index_does_not_warn():
    f = njit(parallel=True)(scratch_stack_sums)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ParallelSafetyWarning)
        for n in (0, 1, 7, 33):
            np.testing.assert_array_equal(
                f(n, np.zeros(n, np.int64)),
                f.py_func(n, np.zeros(n, np.int64)))
    assert_compiled(f)
    g = njit(parallel=True)(view_shifted)
    with pytest.warns(ParallelSafetyWarning, match="writes out"):
        g(np.arange(4.0), np.zeros((4, 2)))


def test_loop_with_break_runs_serially_with_a_warning():
    @njit(parallel=True)
    def until(a):
        s = 0.0
        for i in prange(len(a)):
            if a[i] > 3:
                break
            s += a[i]
        return s

    with pytest.warns(ParallelSafetyWarning, match="runs serially"):
        assert until(np.arange(10.0)) == until.py_func(np.arange(10.0))


def test_without_parallel_prange_is_range():
    @njit
    def serial(a):
        s = 0.0
        for i in prange(len(a)):
            s += a[i]
        return s

    assert serial(np.arange(10.0)) == 45.0
    assert_compiled(serial)
    assert "pj_parallel_run" not in "".join(serial.inspect_llvm().values())
    assert list(prange(2, 9, 3)) == [2, 5, 8]


@njit(parallel=True)
def library_sums(a, m):
    return a.sum(), np.sum(m), m.T.sum(), m.sum(axis=0)


@given(st.integers(0, 300), st.integers(0, 5))
@SETTINGS
def test_sum_of_arrays_runs_on_threads(n, cols):
    a = np.arange(n, dtype=np.int64) * 3 - 7
    m = np.arange(n * cols, dtype=np.int64).reshape(n, cols)
    assert_equal_runs(library_sums, a, m)
    assert_close_runs(library_sums, a * 0.1, m * 0.1)
    assert_equal_runs(library_sums, a % 2 == 0, m % 3 == 0)


@njit(parallel=True)
def thread_ids(n):
    ids = np.full(n, -1)
    counts = np.zeros(n, dtype=np.int64)
    for i in prange(n):
        ids[i] = pyjit.get_thread_id()
        counts[i] = get_num_threads()
    return ids, counts, get_num_threads()


def test_thread_id_and_count_in_compiled_code():
    for threads in THREADS:
        set_num_threads(threads)
        try:
            for n in (0, 1, 5, 64):
                ids, counts, outside = thread_ids(n)
                # static scheduling: slice k of the iterations is thread k's
                assert list(ids) == sorted(ids)
                assert set(ids) == set(range(min(threads, n)))
                assert (counts == threads).all()
                assert outside == threads
        finally:
            set_num_threads(pyjit._parallel.NUM_THREADS)
    assert_compiled(thread_ids)


def test_the_api():
    assert njit(parallel=True)(sum_sqrt.py_func).targetoptions["parallel"]
    sum_sqrt(np.arange(10.0))
    assert threading_layer() == "omp"
    assert get_num_threads() == pyjit._parallel.NUM_THREADS
    set_num_threads(1)
    try:
        assert get_num_threads() == 1
    finally:
        set_num_threads(pyjit._parallel.NUM_THREADS)
    assert pyjit.get_thread_id() == 0
    for bad in (0, pyjit._parallel.NUM_THREADS + 1):
        with pytest.raises(ValueError, match="between 1 and"):
            set_num_threads(bad)


@njit(parallel=True)
def same_way_twice(a, flags):
    # aeon's dilated shapelets: a value made under `if norm:` and read
    # under the next `if norm:` of the same inner iteration
    out = np.zeros(len(flags))
    for i in prange(len(flags)):
        for k in range(3):
            norm = (flags[i] + k) % 2
            if norm:
                m = a[i] * 2.0
            x = a[i]
            if norm:
                x = x + m
            out[i] += x
    return out


def test_value_made_and_read_under_the_same_condition():
    a = np.arange(20.0)
    flags = np.arange(20) * 7 % 5
    np.testing.assert_array_equal(same_way_twice(a, flags),
                                  same_way_twice.py_func(a, flags))
    assert_compiled(same_way_twice)


def test_condition_assigned_between_the_two_ways_warns():
    @njit(parallel=True)
    def flips(a):
        out = np.zeros(len(a))
        for i in prange(len(a)):
            norm = i % 2
            if norm:
                m = a[i]
            norm = 1 - norm
            if norm:
                out[i] = m
        return out

    with pytest.warns(ParallelSafetyWarning, match="'m' is read in the "
                                                   "prange loop before"):
        flips(np.ones(6))
