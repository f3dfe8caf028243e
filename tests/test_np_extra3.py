"""np.modf, np.frexp and np.nan_to_num (complex values too) against
NumPy itself, over seeded inputs (empty, non-contiguous, several dtypes,
nans and infinities), each checking nopython compilation."""
import warnings

import numpy as np
import pytest

from pyjit import TypingError, njit

from difftest import assert_compiled
from np_arrays import same

RNG = np.random.default_rng(13)
SPECIAL = np.array([np.nan, np.inf, -np.inf, -0.0, 0.0, 1e300, -5e-324,
                    0.5, -2.5, 4503599627370497.0])


def versions(a):
    """a, a non-contiguous view of the same values, and an F-ordered
    copy."""
    out = [a]
    if a.ndim >= 1:
        out.append(np.repeat(a, 2, axis=a.ndim - 1)[..., ::2])
    if a.ndim >= 2:
        out.append(np.asfortranarray(a))
    return out


def arrays(dtype):
    """Seeded arrays of dtype: empty, 1-d with NaNs and infinities when
    the dtype has them, 2-d."""
    kind = np.dtype(dtype).kind
    if kind in "iu":
        flat = RNG.integers(-50 if kind == "i" else 0, 50, 12)
    else:
        flat = np.concatenate([SPECIAL, RNG.normal(0, 1e3, 6)])
        if kind == "c":
            flat = flat + 0j
            flat.imag = RNG.permutation(flat.real)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        flat = flat.astype(dtype)
    out = [flat[:0], flat.reshape(2, -1)]
    out += versions(flat) + versions(flat.reshape(2, -1))
    return out


def check(f, np_f, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = np_f(*args)
    got = f(*args)
    if isinstance(want, tuple):
        assert len(got) == len(want)
        for g, w in zip(got, want):
            same(g, w, True)
    else:
        same(got, want, True)
    assert_compiled(f)


# --- np.modf and np.frexp ---

@njit
def modf(x):
    return np.modf(x)


@njit
def frexp(x):
    return np.frexp(x)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64,
                                   np.int32, np.uint32, np.int16])
def test_modf_frexp_arrays(dtype):
    for a in arrays(dtype):
        check(modf, np.modf, a)
        check(frexp, np.frexp, a)


def test_modf_frexp_numbers():
    for v in list(SPECIAL) + [3, -7, 0, 2.0 ** 60]:
        for f, np_f in ((modf, np.modf), (frexp, np.frexp)):
            got, want = f(v), np_f(v)
            for g, w in zip(got, want):
                assert np.array_equal(g, w, equal_nan=True)
                assert np.signbit(g) == np.signbit(w)
    assert_compiled(modf)
    assert_compiled(frexp)


def test_modf_frexp_typing_errors():
    for v in (np.zeros(3, np.int8), np.zeros(3, np.bool_), np.zeros(2, complex),
              1j):
        with pytest.raises(TypingError):
            modf(v)
        with pytest.raises(TypingError):
            frexp(v)


# --- np.nan_to_num ---

@njit
def nan_to_num(x):
    return np.nan_to_num(x)


@njit
def nan_to_num_values(x, nan, posinf, neginf):
    return np.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)


@njit
def nan_to_num_in_place(x):
    return np.nan_to_num(x, copy=False)


@pytest.mark.parametrize("dtype", [np.complex128, np.complex64, np.float64,
                                   np.float32, np.int32])
def test_nan_to_num(dtype):
    for a in arrays(dtype):
        check(nan_to_num, np.nan_to_num, a)
        check(nan_to_num_values, lambda x, n, p, m: np.nan_to_num(
            x, nan=n, posinf=p, neginf=m), a, 1.5, 7.0, -2.0)
        mine, theirs = a.copy(), a.copy()
        got = nan_to_num_in_place(mine)
        np.nan_to_num(theirs, copy=False)
        same(mine, theirs, True)
        same(got, theirs, True)


def test_nan_to_num_numbers():
    for v in (complex(np.nan, -np.inf), complex(np.inf, 2.0), 2 + 3j,
              np.nan, -np.inf, 2.5):
        got, want = nan_to_num(v), np.nan_to_num(v)
        assert got == want and type(got) is type(want.item())
    assert nan_to_num_values(complex(np.nan, np.inf), 1.0, 2.0, 3.0) == 1 + 2j
    assert_compiled(nan_to_num)


# --- a.item() ---

@njit
def item(a):
    return a.item()


def test_item():
    for dtype in (np.bool_, np.int32, np.float32, np.complex128):
        for shape in ((1,), (1, 1), (1, 1, 1)):
            a = np.ones(shape, dtype)
            for v in versions(a) + [np.repeat(a, 2, axis=0)[::2]]:
                got, want = item(v), v.item()
                assert got == want and type(got) is type(want)
        for shape in ((0,), (2,), (2, 1)):
            with pytest.raises(ValueError):
                item(np.ones(shape, dtype))
    assert_compiled(item)


# --- a.real and a.imag of real arrays ---

@njit
def parts(a):
    return a.real, a.imag


def test_real_imag_of_real_arrays():
    for dtype in (np.bool_, np.int32, np.uint8, np.float32, np.float64):
        for a in arrays(np.float64)[:3]:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                a = a.astype(dtype)
            for v in versions(a):
                re, im = parts(v)
                same(re, v.real, True)
                same(im, v.imag, True)
                assert re is v
    assert_compiled(parts)
    c = np.arange(4) * (1 + 2j)         # a complex array's are views
    re, im = parts(c)
    same(re, c.real, True)
    same(im, c.imag, True)
    assert np.shares_memory(re, c) and np.shares_memory(im, c)
