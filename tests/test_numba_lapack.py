"""a.ctypes, and numba.np.linalg._LAPACK's routines (pyjit/_numba_lapack.py)
checked against the same LAPACK routines called through SciPy's wrappers,
which reach the LAPACK compiled code calls; np.linalg.solve, cholesky and
pinv checked to the last bit against the LAPACK calls Numba makes."""
import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
import scipy.linalg.lapack as lapack
from hypothesis import given

from difftest import SETTINGS, assert_compiled
from pyjit import njit
from pyjit._numba_alias import _LAPACK
from pyjit.errors import TypingError

KINDS = {np.float32: "s", np.float64: "d", np.complex64: "c",
         np.complex128: "z"}
DTYPES = list(KINDS)

xgesv = _LAPACK().numba_xgesv(None)
xxgetrf = _LAPACK().numba_xxgetrf(None)
ez_xxgetri = _LAPACK().numba_ez_xxgetri(None)
xxpotrf = _LAPACK().numba_xxpotrf(None)


@njit
def data_address(a):
    return a.ctypes.data


@njit
def gesv(a, b):
    """QuantEcon's solve: a and b in place, in column-major order."""
    n = a.shape[-1]
    nrhs = 1 if b.ndim == 1 else b.shape[-1]
    ipiv = np.empty(n, dtype=np.int32)
    kind = ord("d")
    info = xgesv(kind, n, nrhs, a.ctypes, n, ipiv.ctypes, b.ctypes, n)
    return info, ipiv


@njit
def getrf_getri(a):
    n = a.shape[0]
    ipiv = np.empty(n, np.int32)
    info = xxgetrf(ord("d"), n, n, a.ctypes, n, ipiv.ctypes)
    if info != 0:
        return info, ipiv
    return ez_xxgetri(ord("d"), n, a.ctypes, n, ipiv.ctypes), ipiv


@njit
def potrf(a, upper):
    uplo = ord("U") if upper else ord("L")
    return xxpotrf(ord("d"), uplo, a.shape[0], a.ctypes, a.shape[0])


@njit
def solve(a, b):
    return np.linalg.solve(a, b)


@njit
def cholesky(a):
    return np.linalg.cholesky(a)


@njit
def pinv(a):
    return np.linalg.pinv(a)


def arrays(dtype, shape):
    return hnp.arrays(dtype, shape, elements=st.floats(
        -10, 10, allow_nan=False, allow_infinity=False, width=32))


def square(n_max=12):
    return st.integers(1, n_max).flatmap(
        lambda n: st.tuples(arrays(np.float64, (n, n)),
                            arrays(np.float64, (n, 3))))


def test_ctypes_data_is_the_address_of_the_first_element():
    a = np.arange(24.0).reshape(4, 6)
    for view in (a, a[1:], a[:, 2:], a.T, a[::2, ::3], a[3, 5:]):
        assert data_address(view) == view.ctypes.data
    assert_compiled(data_address)


@SETTINGS
@given(square())
def test_xgesv_is_lapacks_gesv(ab):
    a, b = ab
    a = a + np.eye(a.shape[0]) * 50     # well conditioned
    lu, piv, x, want_info = lapack.dgesv(a, b)
    af, bf = np.asfortranarray(a), np.asfortranarray(b)
    info, ipiv = gesv(af, bf)
    assert info == want_info == 0
    np.testing.assert_array_equal(bf, x)
    np.testing.assert_array_equal(af, lu)
    np.testing.assert_array_equal(ipiv, piv + 1)
    assert_compiled(gesv)


def test_xgesv_reports_a_singular_matrix_as_lapack_does():
    a = np.asfortranarray([[0.0, 1, 2], [3, 4, 5], [3, 5, 7]])
    info, _ = gesv(a, np.ones(3))
    assert info == lapack.dgesv(np.array([[0.0, 1, 2], [3, 4, 5], [3, 5, 7]]),
                                np.ones(3))[3] > 0


@SETTINGS
@given(square())
def test_getrf_then_getri_is_lapacks_inverse(ab):
    a = ab[0] + np.eye(ab[0].shape[0]) * 50
    lu, piv, info = lapack.dgetrf(a)
    want, info2 = lapack.dgetri(lu, piv)
    af = np.asfortranarray(a)
    got_info, ipiv = getrf_getri(af)
    assert got_info == info == info2 == 0
    np.testing.assert_array_equal(af, want)
    assert_compiled(getrf_getri)


@SETTINGS
@given(square(), st.booleans())
def test_xxpotrf_is_lapacks_potrf(ab, upper):
    a = ab[0]
    spd = np.asfortranarray(a @ a.T + np.eye(a.shape[0]))
    want, want_info = lapack.dpotrf(spd, lower=not upper, clean=False)
    got = spd.copy(order="F")
    assert potrf(got, upper) == want_info == 0
    np.testing.assert_array_equal(got, want)


def test_xxpotrf_reports_a_matrix_that_is_not_positive_definite():
    a = np.asfortranarray([[1.0, 2.0], [2.0, 1.0]])
    assert potrf(a.copy(order="F"), False) == \
        lapack.dpotrf(a, lower=True)[1] == 2


def test_a_routine_pyjit_lacks_is_a_typing_error_naming_those_it_has():
    with pytest.raises(TypingError, match="numba_xgesv.*np.linalg"):
        _LAPACK().numba_ez_gelsd(np.float64)
    with pytest.raises(AttributeError):
        _LAPACK().dgesv        # noqa: B018 -- not one of Numba's names


@pytest.mark.parametrize("dtype", DTYPES)
def test_solve_is_gesv_of_column_major_copies(dtype):
    rng = np.random.default_rng(7)
    gesv_ = getattr(lapack, KINDS[dtype] + "gesv")
    for n in (1, 3, 17, 64):
        a = (rng.random((n, n)) + np.eye(n)).astype(dtype)
        b1 = rng.random(n).astype(dtype)
        b2 = rng.random((n, 5)).astype(dtype)
        for b in (b1, b2):
            want = gesv_(a, b)[2]
            np.testing.assert_array_equal(solve(a, b), want)
            np.testing.assert_array_equal(solve(a.T, b), gesv_(a.T, b)[2])
    assert_compiled(solve)


@pytest.mark.parametrize("dtype", DTYPES)
def test_cholesky_is_potrf_upper_of_the_c_order_memory(dtype):
    """Numba's cholesky: potrf('U') of a C-order copy, whose memory is a.T
    in column-major order."""
    rng = np.random.default_rng(8)
    potrf_ = getattr(lapack, KINDS[dtype] + "potrf")
    for n in (1, 4, 33):
        m = rng.random((n, n)).astype(dtype)
        if np.iscomplexobj(m):
            m = m + 1j * rng.random((n, n)).astype(dtype)
        a = (m @ m.conj().T + n * np.eye(n)).astype(dtype)
        u, info = potrf_(a.T, lower=False, clean=True)
        assert info == 0
        np.testing.assert_array_equal(cholesky(a), u.T)
        np.testing.assert_allclose(cholesky(a), np.linalg.cholesky(a),
                                   rtol=1e-3, atol=1e-4)
    assert_compiled(cholesky)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(1, 1), (4, 4), (7, 3), (3, 7), (0, 3),
                                   (3, 0)])
def test_pinv_matches_numpy(dtype, shape):
    rng = np.random.default_rng(9)
    a = rng.random(shape).astype(dtype)
    if np.iscomplexobj(a):
        a = a + 1j * rng.random(shape).astype(dtype)
    got = pinv(a)
    assert got.shape == (shape[1], shape[0]) and got.dtype == a.dtype
    tol = 1e-3 if dtype in (np.float32, np.complex64) else 1e-10
    np.testing.assert_allclose(got, np.linalg.pinv(a), rtol=tol, atol=tol)
    assert_compiled(pinv)


def test_pinv_drops_singular_values_below_rcond():
    rng = np.random.default_rng(10)
    a = rng.random((6, 4))
    a[:, 3] = a[:, 0]                 # rank 3
    np.testing.assert_allclose(pinv(a), np.linalg.pinv(a), atol=1e-10)
