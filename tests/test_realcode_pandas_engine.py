"""What pandas' engine="numba" paths need (pandas/core/_numba/kernels/ and
pandas/core/_numba/executor.py, pandas 3.0): `not` of a list, set, dict,
tuple or typed List (the truth of a container, which pandas' sliding
min/max tests with `not dominators`), `.item()` of a number read from an
array, and the rolling min/max kernel and column looper in pandas' shape,
each compared with its plain Python function."""
import warnings

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

from pyjit import njit, prange
from pyjit.typed import List

from difftest import assert_compiled


@njit
def not_of_list(n):
    a = [1]
    a.pop()
    for i in range(n):
        a.append(i)
    return not a, 1 if not a else 0


@njit
def not_of_set(n):
    s = {1}
    s.discard(1)
    for i in range(n):
        s.add(i)
    return not s, 1 if not s else 0


@njit
def not_of_dict(n):
    d = {1: 2.0}
    del d[1]
    for i in range(n):
        d[i] = 1.0
    return not d, 1 if not d else 0


@njit
def not_of_tuples(n):
    return not (), not (n,), 1 if not (n, n) else 0


@njit
def not_of_optional_list(n):
    x = None if n == 0 else [n]
    return not x


@njit
def not_of_range(n):
    return not range(n)


@pytest.mark.parametrize("f", [not_of_list, not_of_set, not_of_dict,
                               not_of_tuples, not_of_optional_list,
                               not_of_range])
@pytest.mark.parametrize("n", [0, 1, 3])
def test_not_of_a_container_is_its_emptiness(f, n):
    assert f(n) == f.py_func(n)
    assert_compiled(f)


def test_not_of_a_typed_list():
    @njit
    def not_of_typed(n):
        t = List.empty_list(np.int64)
        for i in range(n):
            t.append(i)
        return not t

    for n in (0, 2):
        assert not_of_typed(n) == (n == 0)
    assert_compiled(not_of_typed)


@njit
def item_of(a, i):
    return a[i].item() * 2


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint8, np.float32,
                                   np.float64, np.complex128, np.bool_])
def test_item_of_a_number_is_the_number(dtype):
    a = np.arange(5).astype(dtype)
    got = item_of(a, 3)
    assert got == item_of.py_func(a, 3)
    assert_compiled(item_of)


def test_item_keeps_the_type_of_the_number():
    @njit
    def item_type(x):
        return x.item()

    item_type(np.float32(1.5))
    assert str(item_type.nopython_signatures[-1].return_type) == "float32"


# pandas/core/_numba/kernels/min_max_.py (sliding_min_max), its monotonic
# deque of candidates and its stack of dominating windows, shortened.
@njit
def bisect_left(a, x, lo=0, hi=-1):
    if hi == -1:
        hi = len(a)
    while lo < hi:
        mid = (lo + hi) // 2
        if a[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


@njit
def sliding_min_max(values, result_dtype, start, end, min_periods, is_max):
    N = len(start)
    na_pos = []
    output = np.empty(N, dtype=result_dtype)
    candidates = []
    dominators = []
    if min_periods < 1:
        min_periods = 1
    if N > 2:
        i_next = N - 1
        for i in range(N - 2, -1, -1):
            next_dominates = start[i_next] < start[i]
            if next_dominates and (
                not dominators or start[dominators[-1]] > start[i_next]
            ):
                dominators.append(i_next)
            i_next = i
    valid_start = -min_periods
    last_end = 0
    for i in range(N):
        this_start = start[i].item()
        this_end = end[i].item()
        if dominators and dominators[-1] == i:
            dominators.pop()
        stash_start = (
            this_start if not dominators
            else min(this_start, start[dominators[-1]]))
        while candidates and candidates[0] < stash_start:
            candidates.pop(0)
        for k in range(last_end, this_end):
            if not np.isnan(values[k]):
                valid_start += 1
                while valid_start >= 0 and np.isnan(values[valid_start]):
                    valid_start += 1
                while candidates and (
                        values[k] >= values[candidates[-1]] if is_max
                        else values[k] <= values[candidates[-1]]):
                    candidates.pop()
                candidates.append(k)
        if not candidates or (this_start > valid_start):
            if values.dtype.kind != "i":
                output[i] = np.nan
            else:
                na_pos.append(i)
        elif candidates[0] >= this_start:
            output[i] = values[candidates[0]]
        else:
            q_idx = bisect_left(candidates, this_start, lo=1)
            output[i] = values[candidates[q_idx]]
        last_end = this_end
    return output, na_pos


# pandas/core/_numba/executor.py (column_looper): one kernel call per
# column across threads, the positions of missing results in a dict.
@njit(parallel=True)
def column_looper(values, start, end, min_periods, is_max):
    result = np.empty((values.shape[0], len(start)), dtype=np.float64)
    na_positions = {}
    for i in prange(values.shape[0]):
        output, na_pos = sliding_min_max(values[i], np.float64, start, end,
                                         min_periods, is_max)
        result[i] = output
        if len(na_pos) > 0:
            na_positions[i] = np.array(na_pos)
    return result, na_positions


def windows(n, w):
    end = np.arange(1, n + 1, dtype=np.int64)
    start = np.maximum(end - w, 0)
    return start, end


def expected_min_max(values, start, end, min_periods, is_max):
    out = np.full(len(start), np.nan)
    for i, (s, e) in enumerate(zip(start, end)):
        window = values[s:e]
        window = window[~np.isnan(window)]
        if len(window) >= max(min_periods, 1):
            out[i] = window.max() if is_max else window.min()
    return out


@given(st.integers(0, 60), st.integers(1, 9), st.integers(0, 4),
       st.booleans(), st.integers(0, 2 ** 32 - 1))
@settings(max_examples=40, deadline=None)
def test_rolling_min_max_in_pandas_shape(n, w, min_periods, is_max, seed):
    rng = np.random.default_rng(seed)
    values = rng.random((3, n))
    values[rng.random((3, n)) < 0.2] = np.nan
    start, end = windows(n, w)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result, na_positions = column_looper(values, start, end,
                                             min_periods, is_max)
    for row in range(3):
        want = expected_min_max(values[row], start, end, min_periods, is_max)
        np.testing.assert_array_equal(result[row], want)
    assert len(na_positions) == 0
    assert_compiled(column_looper)
    assert_compiled(sliding_min_max)


def test_rolling_min_of_integers_lists_missing_positions():
    values = np.array([5, 3, 8, 1, 7, 2], dtype=np.int64)
    start, end = windows(6, 3)
    output, na_pos = sliding_min_max(values, np.float64, start, end, 3, False)
    want, want_na = sliding_min_max.py_func(values, np.float64, start, end,
                                            3, False)
    assert list(na_pos) == list(want_na) == [0, 1]
    np.testing.assert_array_equal(output[2:], want[2:])
