"""Branches that a function's constants decide (csrc/typeinfer.c): a global
or closure flag, `not` of one, a comparison of two numbers.  The other way
is not compiled, as in Numba, and prange's analysis of reads before
assignments (csrc/parallel.c) follows only the way taken, so pandas'
ewm kernel, whose settings are closure constants, compiles without a
warning."""
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from difftest import FEW, assert_compiled
from pyjit import njit, prange
from pyjit.errors import ParallelSafetyWarning

COM = 1.0
LIMIT = 3


def scaled(x):
    if COM == 1:
        return x * 2.0
    return "never typed" + x      # a str + float: never compiled


def limited(x):
    if not LIMIT > 2:
        return "never typed" + x   # a str + float: never compiled
    return x + LIMIT


def test_a_comparison_of_constants_prunes_the_other_way():
    f = njit(scaled)
    assert f(1.5) == 3.0
    assert_compiled(f)


def test_not_of_a_comparison_prunes_the_other_way():
    f = njit(limited)
    assert f(1.5) == 4.5
    assert_compiled(f)


def ewm_maker(adjust, ignore_na, com, normalize):
    """The shape of pandas.core.window.numba_.generate_numba_ewm_func."""
    def ewm(values, starts, ends):
        result = np.empty(len(values))
        alpha = 1.0 / (1.0 + com)
        new_wt = 1.0 if adjust else alpha
        for i in prange(len(starts)):
            window = values[starts[i]:ends[i]]
            sub = np.empty(len(window))
            weighted = window[0]
            sub[0] = weighted
            old_wt = 1.0
            for j in range(1, len(window)):
                cur = window[j]
                is_observation = not np.isnan(cur)
                if not np.isnan(weighted):
                    if is_observation or not ignore_na:
                        if normalize:
                            old_wt *= 1.0 - alpha
                            if not adjust and com == 1:
                                new_wt = 1.0 - old_wt
                        else:
                            weighted = (1.0 - alpha) * weighted
                        if is_observation:
                            if normalize:
                                if weighted != cur:
                                    weighted = old_wt * weighted + new_wt * cur
                                    weighted = weighted / (old_wt + new_wt)
                                if adjust:
                                    old_wt += new_wt
                                else:
                                    old_wt = 1.0
                            else:
                                weighted += cur
                elif is_observation:
                    weighted = cur
                sub[j] = weighted
            result[starts[i]:ends[i]] = sub
        return result
    return ewm


@FEW
@given(st.booleans(), st.booleans(), st.sampled_from([1.0, 0.5, 1]),
       st.booleans(), st.integers(1, 40), st.integers(0, 2**31))
def test_prange_with_settings_as_constants_warns_nothing(
        adjust, ignore_na, com, normalize, n, seed):
    rng = np.random.default_rng(seed)
    values = rng.random(n)
    values[rng.random(n) < 0.2] = np.nan
    starts = np.arange(0, n, 4)        # disjoint windows, as pandas' groups
    ends = np.minimum(starts + 4, n)
    py = ewm_maker(adjust, ignore_na, com, normalize)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ParallelSafetyWarning)
        f = njit(parallel=True)(py)
        got = f(values, starts, ends)
    np.testing.assert_allclose(got, py(values, starts, ends), rtol=1e-12,
                               equal_nan=True)
    assert_compiled(f)


def carried(values):
    last = 0.0
    out = np.empty(len(values))
    for i in prange(len(values)):
        if values[i] > 0.5:
            last = values[i]
        out[i] = last
    return out


def test_a_read_the_data_decide_still_warns():
    with pytest.warns(ParallelSafetyWarning, match="'last'"):
        njit(parallel=True)(carried)(np.array([0.7, 0.1, 0.9]))
