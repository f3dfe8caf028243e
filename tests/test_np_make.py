"""Differential tests: np.eye identity tri tril triu diag flip flipud
fliplr roll in nopython code (pyjit/_np_make.py), against NumPy on many
sizes, offsets, dtypes and layouts."""
import hypothesis.strategies as st
import numpy as np
from hypothesis import given

from np_arrays import SOME, arrays, check_arrays
from pyjit import njit


@njit
def made(n, m, k):
    return (np.eye(n), np.eye(n, m), np.eye(n, m, k), np.identity(n),
            np.tri(n), np.tri(n, m, k))


@SOME
@given(n=st.integers(0, 6), m=st.integers(0, 6), k=st.integers(-7, 7))
def test_made(n, m, k):
    check_arrays(made, n, m, k)


@njit
def made_of_dtype(n, m, k):
    return (np.eye(n, m, dtype=np.float32), np.eye(n, m, k, np.int32),
            np.eye(n, dtype=np.bool_), np.eye(n, k=k, dtype=np.complex128),
            np.identity(n, np.int64), np.identity(n, dtype=np.dtype("f4")))


@SOME
@given(n=st.integers(0, 6), m=st.integers(0, 6), k=st.integers(-7, 7))
def test_made_of_dtype(n, m, k):
    check_arrays(made_of_dtype, n, m, k)


@njit
def from_2d(a, k):
    return np.tril(a), np.triu(a), np.tril(a, k), np.triu(a, k), np.diag(a, k)


@SOME
@given(a=arrays(ndim=2), k=st.integers(-5, 5))
def test_from_2d(a, k):
    check_arrays(from_2d, a, k)


@njit
def triangles(a, k):
    return np.tril(a), np.triu(a), np.tril(a, k), np.triu(a, k)


@SOME
@given(a=st.one_of(arrays(ndim=3), arrays(ndim=4)), k=st.integers(-5, 5))
def test_triangles_of_stacked_matrices(a, k):
    # NumPy masks each matrix of the last two axes
    check_arrays(triangles, a, k)


@njit
def from_1d(v, k):
    return np.diag(v), np.diag(v, k)


@SOME
@given(v=arrays(ndim=1), k=st.integers(-4, 4))
def test_diag_of_1d(v, k):
    check_arrays(from_1d, v, k)


@njit
def rearranged(a, shift):
    return np.flip(a), np.flipud(a), np.roll(a, shift)


@njit
def flipped_lr(a):
    return (np.fliplr(a),)


@SOME
@given(a=arrays(), shift=st.integers(-20, 20))
def test_flip_and_roll(a, shift):
    check_arrays(rearranged, a, shift)
    if a.ndim >= 2:
        check_arrays(flipped_lr, a)


def test_flip_is_a_view():
    a = np.arange(5.0)
    assert np.shares_memory(rearranged(a, 1)[0], a)
