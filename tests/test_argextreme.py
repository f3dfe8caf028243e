"""argmax/argmin and max/min against NumPy over arrays built to tie: many
equal values, -0.0 beside 0.0, NaNs and infinities at any position
(including past and inside the blocks of 16 the search tests whole), of
ints, bools and floats, C, F and strided, whole and along an axis."""
import numpy as np
from hypothesis import given, settings, strategies as st

from pyjit import njit

from difftest import assert_compiled

FLOATS = [0.0, -0.0, 1.0, -1.0, 2.5, np.inf, -np.inf, np.nan]


@njit
def arg_both(a):
    return a.argmax(), a.argmin(), np.argmax(a), np.argmin(a)


@njit
def extremes(a):
    return a.max(), a.min()


@njit
def arg_axis(a, k):
    return np.argmax(a, axis=k), np.argmin(a, axis=k)


def layouts(a):
    yield a
    if a.ndim == 2:
        yield np.asfortranarray(a)
    if a.shape[-1] > 1:
        yield a[..., ::2]


def same_floats(got, want):
    # which of -0.0 and 0.0 a maximum gives depends on NumPy's SIMD loop;
    # the value is the same
    assert np.array_equal(got, want, equal_nan=True)


values = st.one_of(
    st.lists(st.sampled_from(FLOATS), min_size=1, max_size=70).map(
        lambda v: np.array(v)),
    st.lists(st.integers(-3, 3), min_size=1, max_size=70).map(
        lambda v: np.array(v, np.int64)),
    st.lists(st.booleans(), min_size=1, max_size=70).map(
        lambda v: np.array(v)))


@settings(max_examples=150, deadline=None)
@given(values, st.booleans())
def test_whole_array_matches_numpy(v, square):
    a = v
    if square and v.size >= 4:
        a = v[: v.size - v.size % 4].reshape(4, -1)
    for x in layouts(a):
        got = arg_both(x)
        want = (np.argmax(x), np.argmin(x)) * 2
        assert got == want, (x, got, want)
        if x.dtype.kind == "f":
            for g, w in zip(extremes(x), (np.max(x), np.min(x))):
                same_floats(g, w)
    assert_compiled(arg_both)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(FLOATS), min_size=6, max_size=60),
       st.integers(0, 1))
def test_along_an_axis_matches_numpy(v, k):
    a = np.array(v[: len(v) - len(v) % 3]).reshape(3, -1)
    for x in layouts(a):
        got = arg_axis(x, k)
        np.testing.assert_array_equal(got[0], np.argmax(x, axis=k))
        np.testing.assert_array_equal(got[1], np.argmin(x, axis=k))
    assert_compiled(arg_axis)


def test_long_arrays_find_the_first_of_equal_extremes():
    rng = np.random.default_rng(3)
    for n in (15, 16, 17, 31, 32, 33, 1000, 4099):
        a = rng.integers(0, 5, n).astype(np.float64)
        a[rng.integers(0, n, 3)] = 9.0
        assert arg_both(a)[:2] == (np.argmax(a), np.argmin(a))
        a[n // 2] = np.nan
        a[n - 1] = np.nan
        assert arg_both(a)[:2] == (n // 2, n // 2)
