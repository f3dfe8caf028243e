"""Where Numba's semantics differ from Python's and Numba programs rely on
it, pyjit follows Numba: `~` of a bool is `not`, a bool (librosa's RQA
scoring subtracts `(~link) * gap_extend`); range() takes floats, cut toward
zero (librosa's beat tracker walks `range(i - np.round(x / 2), ...)`).
Each result is compared with Numba's own."""
import math

import numba
import numpy as np
import pytest
from hypothesis import given, strategies as st

from pyjit import njit

from difftest import FEW, assert_compiled


def invert_bool(a, b, gap_onset, gap_extend):
    link = a > b
    return (max(0.0, 5.0 - link * gap_onset - (~link) * gap_extend),
            ~link, ~(~link))


pj_invert_bool = njit(invert_bool)
nb_invert_bool = numba.njit(invert_bool)


@given(st.floats(-10, 10), st.floats(-10, 10), st.floats(0, 3),
       st.floats(0, 3))
@FEW
def test_invert_of_a_bool_is_not(a, b, go, ge):
    got = pj_invert_bool(a, b, go, ge)
    assert got == nb_invert_bool(a, b, go, ge)
    assert type(got[1]) is bool
    assert_compiled(pj_invert_bool)


def invert_items(mask):
    n = 0
    for i in range(mask.size):
        if ~mask[i]:
            n += 1
    return n, ~mask[0]


def test_invert_of_a_bool_array_item_is_not():
    f, g = njit(invert_items), numba.njit(invert_items)
    mask = np.array([True, False, False, True, False])
    assert f(mask) == g(mask) == (3, False)
    assert_compiled(f)


def test_a_folded_constant_keeps_pythons_value():
    @njit
    def folded():
        return ~True, ~False

    assert folded() == (-2, -1) == numba.njit(folded.py_func)()


def float_range(a, b, c):
    out = []
    for i in range(a, b, c):
        out.append(i)
    return out


def float_stop(n):
    t = 0
    for i in range(n):
        t += i
    return t, len(range(n))


pj_float_range, nb_float_range = njit(float_range), numba.njit(float_range)
pj_float_stop, nb_float_stop = njit(float_stop), numba.njit(float_stop)


@given(st.floats(-50, 50), st.floats(-50, 50),
       st.sampled_from([1, 2, 3, -1, -2, -5]))
@FEW
def test_range_of_floats_cuts_toward_zero(a, b, step):
    assert pj_float_range(a, b, step) == list(nb_float_range(a, b, step))
    assert_compiled(pj_float_range)


@given(st.floats(-100, 1000))
@FEW
def test_range_of_a_float_stop(n):
    assert pj_float_stop(n) == nb_float_stop(n)
    assert pj_float_stop(n)[1] == len(range(math.trunc(n)))
    assert_compiled(pj_float_stop)


@pytest.mark.parametrize("bad, error", [(math.nan, ValueError),
                                        (math.inf, OverflowError)])
def test_range_of_nan_or_inf_raises(bad, error):
    with pytest.raises(error):
        pj_float_stop(bad)


# librosa/librosa: librosa/beat.py, __beat_track_dp (ISC licence)
def beat_track_dp(localscore, frames_per_beat, tightness, backlink,
                  cumscore):
    score_thresh = 0.01 * localscore.max()
    first_beat = True
    backlink[0] = -1
    cumscore[0] = localscore[0]
    tv = int(frames_per_beat.shape[0] > 1)
    for i, score_i in enumerate(localscore):
        best_score = -np.inf
        beat_location = -1
        for loc in range(i - np.round(frames_per_beat[tv * i] / 2),
                         i - 2 * frames_per_beat[tv * i] - 1, - 1):
            if loc < 0:
                break
            score = cumscore[loc] - tightness * (
                np.log(i - loc) - np.log(frames_per_beat[tv * i])) ** 2
            if score > best_score:
                best_score = score
                beat_location = loc
        if beat_location >= 0:
            cumscore[i] = score_i + best_score
        else:
            cumscore[i] = score_i
        if first_beat and score_i < score_thresh:
            backlink[i] = -1
        else:
            backlink[i] = beat_location
            first_beat = False


@pytest.mark.parametrize("seed", range(4))
def test_librosa_beat_tracker_dynamic_programme(seed):
    rng = np.random.default_rng(seed)
    localscore = rng.random(300)
    fpb = np.array([rng.uniform(8, 30)])
    results = []
    for f in (njit(beat_track_dp), numba.njit(beat_track_dp)):
        backlink = np.zeros(300, dtype=np.intp)
        cumscore = np.zeros(300)
        f(localscore, fpb, 100.0, backlink, cumscore)
        results.append((backlink, cumscore))
    np.testing.assert_array_equal(results[0][0], results[1][0])
    np.testing.assert_allclose(results[0][1], results[1][1], rtol=1e-12)
