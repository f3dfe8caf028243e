"""Copies of arrays of any strides into C order (a.ravel(), a.flatten(),
a.tobytes(), and the copy a[1:] = a[:-1] reads from when the memory
overlaps) against NumPy, over seeded views: every other element, reversed
in every dimension, F-ordered, transposed, with empty dimensions, several
dtypes; each checking nopython compilation."""
import numpy as np
import pytest

from pyjit import njit

from difftest import assert_compiled

RNG = np.random.default_rng(29)
SHAPES = [(3, 4), (0, 5), (5, 0), (2, 3, 4), (1, 1), (4, 1, 3), (2, 0, 3),
          (3, 2, 2, 2), (1, 7), (7, 1)]
DTYPES = [np.float64, np.int32, np.bool_, np.complex128, np.uint8]


@njit
def ravel(a):
    return a.ravel()


@njit
def flatten(a):
    return a.flatten()


@njit
def tobytes(a):
    return a.tobytes()


@njit
def shift_rows(a):
    a[1:] = a[:-1]


def views(shape, dtype):
    """Views of shape over a seeded array: strided, reversed, F, transposed."""
    base = (RNG.standard_normal(tuple(2 * s + 1 for s in shape)) * 10)
    base = base.astype(dtype)
    every_other = tuple(slice(None, 2 * s, 2) for s in shape)
    backwards = tuple(slice(2 * s - 1, None, -2) if s else slice(0, 0)
                      for s in shape)
    front = base[tuple(slice(0, s) for s in shape)]
    return [base[every_other], base[backwards], np.asfortranarray(front),
            front.T]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("dtype", DTYPES)
def test_copies_match_numpy(shape, dtype):
    for v in views(shape, dtype):
        r = ravel(v)
        assert r.dtype == v.dtype and np.array_equal(r, v.ravel())
        assert r.flags.c_contiguous
        f = flatten(v)
        assert np.array_equal(f, v.flatten())
        assert not np.shares_memory(f, v)
        assert tobytes(v) == v.tobytes()
    for fn in (ravel, flatten, tobytes):
        assert_compiled(fn)


def test_record_views():
    rec = np.zeros((4, 6), dtype=[("x", "f8"), ("y", "i4")])
    rec["x"] = np.arange(24).reshape(4, 6)
    rec["y"] = np.arange(24).reshape(4, 6) * 3
    for v in (rec[:, ::2], rec[::-1, ::-3], rec.T):
        assert tobytes(v) == v.tobytes()
        assert ravel(v).tobytes() == v.ravel().tobytes()
    assert_compiled(tobytes)


@pytest.mark.parametrize("step", [2, 3, -1, -2])
def test_overlapping_assignment_of_a_strided_view(step):
    for rows in (0, 1, 2, 5):
        base = np.arange(rows * 9.0).reshape(rows, 9)
        a, want = base[:, ::step], base.copy()[:, ::step]
        want[1:] = want[:-1].copy()
        shift_rows(a)
        assert np.array_equal(a, want)
    assert_compiled(shift_rows)
