"""Window functions, np.i0, np.sinc, np.vander, np.nan_to_num, np.select,
np.fill_diagonal, np.asarray_chkfinite, np.trim_zeros, np.rot90,
np.resize, np.logspace, np.tril_indices/np.triu_indices, np.convolve and
np.correlate against NumPy itself, each checking nopython compilation."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pyjit import njit

from difftest import assert_compiled
from np_arrays import same

SOME = settings(max_examples=40, deadline=None)
floats = st.floats(-50, 50, allow_nan=False, allow_infinity=False)
arrays = st.lists(floats, min_size=0, max_size=12).map(np.array)


@njit
def windows(M, beta):
    return (np.bartlett(M), np.blackman(M), np.hamming(M), np.hanning(M),
            np.kaiser(M, beta))


@SOME
@given(M=st.integers(-2, 40), beta=st.floats(0.0, 20.0))
def test_windows(M, beta):
    got = windows(M, beta)
    want = (np.bartlett(M), np.blackman(M), np.hamming(M), np.hanning(M))
    same(got[:4], want, exact=False)
    if M > 0:
        same(got[4], np.kaiser(M, beta), exact=False)
    assert_compiled(windows)


@njit
def special(x):
    return np.i0(x), np.sinc(x), np.sinc(1.5)


@SOME
@given(x=arrays)
def test_i0_and_sinc(x):
    got = special(x)
    same(got[0], np.i0(x), exact=False)
    same(got[1], np.sinc(x), exact=False)
    assert got[2] == np.sinc(1.5)
    assert_compiled(special)


@njit
def vanders(x, n):
    return np.vander(x), np.vander(x, n), np.vander(x, n, True)


@SOME
@given(x=st.lists(st.integers(-9, 9), max_size=6),
       n=st.integers(0, 6), as_float=st.booleans())
def test_vander(x, n, as_float):
    x = np.array(x, dtype=np.float64 if as_float else np.int64)
    same(vanders(x, n), (np.vander(x), np.vander(x, n),
                         np.vander(x, n, True)))
    assert_compiled(vanders)


@njit
def cleaned(x, v):
    return (np.nan_to_num(x), np.nan_to_num(x, nan=v, posinf=v, neginf=-v),
            np.nan_to_num(np.inf))


@SOME
@given(x=st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=8),
       v=floats)
def test_nan_to_num(x, v):
    x = np.array(x, dtype=np.float64)
    same(cleaned(x, v), (np.nan_to_num(x), np.nan_to_num(x, nan=v, posinf=v,
                                                           neginf=-v),
                         np.nan_to_num(np.inf)))
    assert_compiled(cleaned)


@njit
def selected(a, b):
    return np.select([a > 1, b < 0], [a, b], -1.0)


@SOME
@given(x=st.lists(st.tuples(floats, floats), max_size=10))
def test_select(x):
    a = np.array([p[0] for p in x])
    b = np.array([p[1] for p in x])
    same(selected(a, b), np.select([a > 1, b < 0], [a, b], -1.0))
    assert_compiled(selected)


@njit
def reshaped(m, k, shape):
    d = m.copy()
    np.fill_diagonal(d, 7.0)
    return np.rot90(m, k).copy(), np.resize(m, shape), d


@SOME
@given(r=st.integers(1, 5), c=st.integers(1, 5), k=st.integers(-5, 5),
       s=st.tuples(st.integers(0, 4), st.integers(0, 4)))
def test_rot90_resize_fill_diagonal(r, c, k, s):
    m = np.arange(r * c, dtype=np.float64).reshape(r, c)
    d = m.copy()
    np.fill_diagonal(d, 7.0)
    same(reshaped(m, k, s), (np.rot90(m, k), np.resize(m, s), d))
    assert_compiled(reshaped)


@njit
def spaced(a, b, num, base):
    return np.logspace(a, b, num), np.logspace(a, b, num, False, base)


@SOME
@given(a=st.floats(-3, 3), b=st.floats(-3, 3), num=st.integers(0, 20),
       base=st.floats(1.5, 10))
def test_logspace(a, b, num, base):
    same(spaced(a, b, num, base), (np.logspace(a, b, num),
                                   np.logspace(a, b, num, False, base)),
         exact=False)


@njit
def tri(n, k, m):
    return np.tril_indices(n, k), np.triu_indices(n, k, m)


@SOME
@given(n=st.integers(0, 6), k=st.integers(-3, 3), m=st.integers(0, 6))
def test_tri_indices(n, k, m):
    same(tri(n, k, m), (np.tril_indices(n, k), np.triu_indices(n, k, m)))


@njit
def checked(a, f):
    return np.asarray_chkfinite(a), np.trim_zeros(f), np.trim_zeros(f, "b")


@SOME
@given(f=st.lists(st.sampled_from([0.0, 0.0, 1.5, -2.0]), max_size=10))
def test_trim_zeros_and_chkfinite(f):
    f = np.array(f)
    same(checked(f, f), (f, np.trim_zeros(f), np.trim_zeros(f, "b")))
    with pytest.raises(ValueError, match="must not contain infs or NaNs"):
        checked(np.array([1.0, np.nan]), f)


@njit
def convolutions(a, v):
    return (np.convolve(a, v), np.convolve(a, v, "same"),
            np.convolve(a, v, "valid"), np.correlate(a, v),
            np.correlate(a, v, "full"), np.correlate(a, v, "same"))


@SOME
@given(a=st.lists(floats, min_size=1, max_size=10),
       v=st.lists(floats, min_size=1, max_size=10))
def test_convolve_and_correlate(a, v):
    a, v = np.array(a), np.array(v)
    want = (np.convolve(a, v), np.convolve(a, v, "same"),
            np.convolve(a, v, "valid"), np.correlate(a, v),
            np.correlate(a, v, "full"), np.correlate(a, v, "same"))
    same(convolutions(a, v), want, exact=False)
    assert_compiled(convolutions)


@SOME
@given(a=st.lists(st.complex_numbers(max_magnitude=20), min_size=1, max_size=6),
       v=st.lists(st.complex_numbers(max_magnitude=20), min_size=1, max_size=6))
def test_complex_correlate_conjugates(a, v):
    a, v = np.array(a), np.array(v)
    want = (np.convolve(a, v), np.convolve(a, v, "same"),
            np.convolve(a, v, "valid"), np.correlate(a, v),
            np.correlate(a, v, "full"), np.correlate(a, v, "same"))
    same(convolutions(a, v), want, exact=False)


@njit
def gathered(a, idx, m, midx):
    return (np.take_along_axis(a, idx, 0), np.take_along_axis(m, midx, 1),
            np.take_along_axis(m, np.argsort(m), 1),
            np.diag_indices(4))


@SOME
@given(r=st.integers(1, 4), c=st.integers(1, 4), data=st.data())
def test_take_along_axis(r, c, data):
    m = np.arange(r * c, dtype=np.float64).reshape(r, c)[::-1].copy()
    a = m[0].copy()
    idx = np.array(data.draw(st.lists(st.integers(-c, c - 1), max_size=6)),
                   dtype=np.int64)
    midx = np.array(data.draw(st.lists(st.lists(st.integers(-c, c - 1),
                                                min_size=2, max_size=2),
                                       min_size=r, max_size=r)),
                    dtype=np.int64)
    want = (np.take_along_axis(a, idx, 0), np.take_along_axis(m, midx, 1),
            np.take_along_axis(m, np.argsort(m), 1),
            np.diag_indices(4))
    same(gathered(a, idx, m, midx), want)
    assert_compiled(gathered)


@njit
def splits(m, n):
    return np.hsplit(m, n), np.vsplit(m.T.copy(), n), np.hsplit(m[0].copy(), n)


@SOME
@given(r=st.integers(1, 3), n=st.sampled_from([1, 2, 3, 6]))
def test_hsplit_vsplit(r, n):
    m = np.arange(r * 6, dtype=np.float64).reshape(r, 6)
    got = splits(m, n)
    want = (np.hsplit(m, n), np.vsplit(m.T.copy(), n), np.hsplit(m[0].copy(), n))
    for g, w in zip(got, want):
        assert len(g) == len(w)
        for x, y in zip(g, w):
            np.testing.assert_array_equal(x, y)


@njit
def steps(x, h):
    return np.fix(x), np.heaviside(x, h), np.fix(-2.5), np.heaviside(0.0, h)


@SOME
@given(x=st.lists(st.floats(-1e6, 1e6) | st.just(0.0) | st.just(np.nan),
                  max_size=8), h=floats)
def test_fix_and_heaviside(x, h):
    x = np.array(x, dtype=np.float64)
    same(steps(x, h), (np.fix(x), np.heaviside(x, h), np.fix(-2.5),
                       np.heaviside(0.0, h)))
    assert_compiled(steps)


@njit
def broadcasts(a, shape2, shape3):
    return (np.broadcast_to(a, shape2), np.broadcast_to(a, shape3),
            np.broadcast_to(1.5, shape2))


@SOME
@given(n=st.integers(1, 4), lead=st.integers(0, 3), rows=st.integers(0, 3),
       one=st.booleans())
def test_broadcast_to(n, lead, rows, one):
    a = np.arange(1 if one else n, dtype=np.float64)
    shape2, shape3 = (rows, n), (lead, rows, n)
    got = broadcasts(a, shape2, shape3)
    want = (np.broadcast_to(a, shape2), np.broadcast_to(a, shape3),
            np.broadcast_to(1.5, shape2))
    same(got, want)
    assert not got[0].flags.writeable and not got[1].flags.writeable
    with pytest.raises(ValueError, match="could not be broadcast"):
        broadcasts(np.arange(n + 1.0), shape2, shape3)
    assert_compiled(broadcasts)


@njit
def covariances(m, a, b, ddof):
    return (np.cov(m), np.cov(a, b), np.cov(m, rowvar=False),
            np.cov(m, bias=True), np.cov(m, ddof=ddof), np.corrcoef(m),
            np.corrcoef(a, b))


@SOME
@given(r=st.integers(2, 4), c=st.integers(3, 6), ddof=st.integers(0, 2),
       seed=st.integers(0, 1000))
def test_cov_and_corrcoef(r, c, ddof, seed):
    rng = np.random.default_rng(seed)
    m = rng.random((r, c))
    a, b = rng.random(c), rng.random(c)
    want = (np.cov(m), np.cov(a, b), np.cov(m, rowvar=False),
            np.cov(m, bias=True), np.cov(m, ddof=ddof), np.corrcoef(m),
            np.corrcoef(a, b))
    same(covariances(m, a, b, ddof), want, exact=False)
    assert_compiled(covariances)


def test_cov_of_one_variable():
    @njit
    def one(a):
        return np.cov(a)

    for a in (np.arange(4.0), np.array([2.5, -1.0, 7.0]), np.array(3.0)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            want = np.cov(a)
        got = one(a)
        assert got.ndim == 0 and got.dtype == want.dtype
        np.testing.assert_allclose(got, want, rtol=1e-14)
    # a 2-d m of one row: NumPy's 0-d array, which the 2-d type does not
    # give, says what to pass
    with pytest.raises(ValueError, match="pass the variable"):
        one(np.arange(4.0).reshape(1, 4))
