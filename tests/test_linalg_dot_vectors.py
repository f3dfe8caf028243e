"""The dot product of two vectors (np.dot, np.matmul, `@`, np.vdot) against
NumPy's: float64 and float32 to the last bit for contiguous and reversed
vectors (BLAS's dot, NumPy's loop or NumPy's copy), to rounding for
complex ones and for other strides, where SciPy's BLAS (pyjit's) and
NumPy's may be different builds whose strided kernels add in different
orders; and the matrix-vector products next to them."""
import math

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

from pyjit import njit
from difftest import assert_compiled

FEW = settings(max_examples=60, deadline=None)
DTYPES = [np.float32, np.float64, np.complex64, np.complex128]


@njit
def j_dot(a, b):
    return np.dot(a, b)


@njit
def j_matmul_op(a, b):
    return a @ b


@njit
def j_matmul(a, b):
    return np.matmul(a, b)


@njit
def j_vdot(a, b):
    return np.vdot(a, b)


PAIRS = [(j_dot, np.dot), (j_matmul_op, np.matmul), (j_matmul, np.matmul),
         (j_vdot, np.vdot)]


@njit
def j_all(a, b):
    """The four products in one function: one compile per signature."""
    return np.dot(a, b), a @ b, np.matmul(a, b), np.vdot(a, b)


def np_all(a, b):
    return np.dot(a, b), np.matmul(a, b), np.matmul(a, b), np.vdot(a, b)


def _bits_same(got, want):
    for g, w in ((got.real, want.real), (got.imag, want.imag)):
        g, w = float(g), float(w)
        if g != w or math.copysign(1.0, g) != math.copysign(1.0, w):
            return False
    return True


def _close(got, want, dtype):
    eps = np.finfo(dtype).eps
    return abs(got - want) <= 64 * eps * (1.0 + abs(want))


def _same_as_numpy(got, want, a, b, exact=True):
    """got matches NumPy's want: bit for bit for real vectors when exact,
    else to rounding (relative to the sum of the magnitudes)."""
    if not exact or np.iscomplexobj(a) or np.iscomplexobj(b):
        scale = float(np.sum(np.abs(a) * np.abs(b))) if len(a) else 0.0
        eps = np.finfo(np.result_type(a, b)).eps
        return abs(got - want) <= 8 * eps * (1.0 + scale)
    return _bits_same(got, want)


def _vector(rng, n, dtype):
    x = rng.standard_normal(n)
    if np.issubdtype(dtype, np.complexfloating):
        x = x + 1j * rng.standard_normal(n)
    return x.astype(dtype)


def test_float64_contiguous_every_size_to_the_bit():
    rng = np.random.default_rng(0)
    for n in range(101):
        a, b = _vector(rng, n, np.float64), _vector(rng, n, np.float64)
        for got, want in zip(j_all(a, b), np_all(a, b)):
            assert _bits_same(got, want), (n, got, want)
    assert_compiled(j_all)


@FEW
@given(dtype=st.sampled_from(DTYPES), n=st.integers(0, 40),
       step_a=st.sampled_from([1, 2, 3, -1, -2]),
       step_b=st.sampled_from([1, 2, -1, -3]),
       seed=st.integers(0, 2**32 - 1))
def test_strided_views_against_numpy(dtype, n, step_a, step_b, seed):
    rng = np.random.default_rng(seed)
    a = _vector(rng, n * abs(step_a) + 1, dtype)[1:][::step_a][:n]
    b = _vector(rng, n * abs(step_b) + 2, dtype)[2:][::step_b][:n]
    assert len(a) == len(b) == n
    exact = all(step == 1 or step < 0 for step in (step_a, step_b))
    kind = complex if np.issubdtype(dtype, np.complexfloating) else float
    for got, want in zip(j_all(a, b), np_all(a, b)):
        assert _same_as_numpy(got, want, a, b, exact), (dtype, n, step_a,
                                                        step_b, got, want)
        assert isinstance(got, kind)
    assert_compiled(j_all)


@pytest.mark.parametrize("dtype", DTYPES)
def test_empty_and_single_element(dtype):
    a = np.zeros(0, dtype)
    for got, want in zip(j_all(a, a), np_all(a, a)):
        assert _bits_same(got, want)
    # one element: np.dot multiplies as scalars (-0.0), the others sum from
    # zero (0.0)
    x = np.array([-1.0], dtype)
    y = np.array([0.0], dtype)
    for got, want in zip(j_all(x, y), np_all(x, y)):
        assert _bits_same(got, want), (got, want)
    assert_compiled(j_all)


@pytest.mark.parametrize("da,db", [(np.float32, np.float64),
                                   (np.float64, np.complex64),
                                   (np.complex64, np.complex128),
                                   (np.int64, np.float64),
                                   (np.complex128, np.int32)])
def test_mixed_dtypes(da, db):
    rng = np.random.default_rng(1)
    a = (rng.standard_normal(17) * 10).astype(da)
    b = (rng.standard_normal(17) * 10).astype(db)
    for got, want in zip(j_all(a, b), np_all(a, b)):
        assert _close(got, want, np.result_type(a, b, np.float32)), \
            (got, want)
    assert_compiled(j_all)


def test_vdot_conjugates_the_first():
    a = np.array([1 + 2j, 3 - 1j, -2 + 0.5j])
    b = np.array([0.5 - 1j, 2 + 2j, 1 + 0j])
    assert _same_as_numpy(j_vdot(a, b), np.vdot(a, b), a, b)
    assert _same_as_numpy(j_vdot(a[::-1], b), np.vdot(a[::-1], b), a, b)
    m = a.reshape(1, 3)
    assert _same_as_numpy(j_vdot(m, b), np.vdot(m, b), a, b)
    assert_compiled(j_vdot)


def test_lengths_that_differ_raise():
    a, b = np.ones(3), np.ones(4)
    for jf, nf in PAIRS:
        with pytest.raises(ValueError):
            nf(a, b)
        with pytest.raises(ValueError):
            jf(a, b)


@njit
def j_matrix_vector(m, v, u):
    return m @ v, np.dot(u, m)


@pytest.mark.parametrize("dtype", [np.float64, np.complex64])
@pytest.mark.parametrize("order", ["C", "F", "strided"])
def test_matrix_vector_products(dtype, order):
    rng = np.random.default_rng(2)
    m = _vector(rng, 5 * 8, dtype).reshape(5, 8)
    if order == "F":
        m = np.asfortranarray(m)
    elif order == "strided":
        m = _vector(rng, 10 * 16, dtype).reshape(10, 16)[::2, ::2]
    v = _vector(rng, 16, dtype)[::2]
    u = _vector(rng, 5, dtype)
    got = j_matrix_vector(m, v, u)
    for g, want in zip(got, (m @ v, np.dot(u, m))):
        assert g.shape == want.shape
        assert g.dtype == want.dtype
        assert all(_close(x, w, dtype) for x, w in zip(g, want))
    assert_compiled(j_matrix_vector)
