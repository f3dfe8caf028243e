"""np.dot, np.vdot, np.outer, np.matmul, `@`, np.kron, np.trace and
np.linalg in nopython code, against NumPy: over shapes, dtypes and
layouts (C, Fortran, strided and reversed views), singular matrices, and
the errors of mismatched shapes."""
import os
import subprocess
import sys

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

import pyjit
from difftest import assert_compiled

FEW = settings(max_examples=10, deadline=None)
DTYPES = [np.float64, np.float32, np.complex128, np.complex64]
# np.linalg's tests: a real and a complex dtype, of both precisions (each
# dtype and layout is a compile of every function a test calls)
LAPACK_DTYPES = [np.float64, np.complex64]


def _tol(dtype):
    return 2e-3 if np.dtype(dtype).itemsize in (4, 8) and \
        np.dtype(dtype) in (np.float32, np.complex64) else 1e-9


def _close(got, want, dtype):
    assert np.shape(got) == np.shape(want), (got, want)
    if isinstance(got, np.ndarray):     # scalars box as Python numbers
        assert got.dtype == np.asarray(want).dtype, (got, want)
    t = _tol(dtype)
    assert np.allclose(got, want, rtol=t, atol=t), (got, want)


def _layout(a, how):
    """The same values as a, in memory of layout `how`."""
    if how == "F":
        return np.asfortranarray(a)
    if how == "strided":
        big = np.zeros((a.shape[0] * 2,) + a.shape[1:] if a.ndim == 1
                       else (a.shape[0] * 2, a.shape[1] * 3), a.dtype)
        view = big[::2] if a.ndim == 1 else big[::2, ::3]
        view[...] = a
        return view
    if how == "reversed":
        r = np.ascontiguousarray(a[::-1])
        return r[::-1]
    return np.ascontiguousarray(a)


def _array(data, shape, dtype):
    n = int(np.prod(shape))
    re = np.array(data.draw(st.lists(st.integers(-9, 9), min_size=n,
                                     max_size=n)), np.float64)
    a = re.reshape(shape).astype(dtype)
    if np.iscomplexobj(a):
        im = np.array(data.draw(st.lists(st.integers(-9, 9), min_size=n,
                                         max_size=n)), np.float64)
        a = a + 1j * im.reshape(shape)
    return a.astype(dtype)


layouts = st.sampled_from(["C", "F", "strided", "reversed"])


@pyjit.njit
def j_matmul_op(a, b):
    return a @ b


@pyjit.njit
def j_dot(a, b):
    return np.dot(a, b)


@pyjit.njit
def j_matmul(a, b):
    return np.matmul(a, b)


@FEW
@given(n=st.integers(0, 5), k=st.integers(0, 5), m=st.integers(0, 5),
       dtype=st.sampled_from(DTYPES), la=layouts, lb=layouts,
       nda=st.sampled_from([1, 2]), ndb=st.sampled_from([1, 2]),
       data=st.data())
def test_products_against_numpy(n, k, m, dtype, la, lb, nda, ndb, data):
    a = _layout(_array(data, (n, k) if nda == 2 else (k,), dtype), la)
    b = _layout(_array(data, (k, m) if ndb == 2 else (k,), dtype), lb)
    for f in (j_matmul_op, j_dot, j_matmul):
        _close(f(a, b), a @ b, dtype)
        assert_compiled(f)


@pytest.mark.parametrize("f", [j_matmul_op, j_dot, j_matmul])
def test_shape_mismatch_is_numpys_value_error(f):
    with pytest.raises(ValueError, match=r"shapes \(2,3\) and \(2,3\) not "
                                         r"aligned: 3 \(dim 1\) != 2 \(dim 0\)"):
        f(np.ones((2, 3)), np.ones((2, 3)))
    with pytest.raises(ValueError, match="not aligned"):
        f(np.ones(3), np.ones(2))


def test_integer_matrices_are_refused_as_numba_does():
    with pytest.raises(pyjit.TypingError,
                       match="float and complex arrays, not int64 and int64"):
        j_matmul_op(np.ones((2, 2), np.int64), np.ones((2, 2), np.int64))


def test_matmul_of_a_number_is_a_typing_error():
    with pytest.raises(pyjit.TypingError):
        j_matmul_op(np.ones(2), 2.0)


@pyjit.njit
def j_vdot(a, b):
    return np.vdot(a, b)


@pyjit.njit
def j_outer(a, b):
    return np.outer(a, b)


@pyjit.njit
def j_kron(a, b):
    return np.kron(a, b)


@pyjit.njit
def j_trace(a):
    return np.trace(a)


@FEW
@given(n=st.integers(1, 4), m=st.integers(1, 4),
       dtype=st.sampled_from(DTYPES), la=layouts, data=st.data())
def test_vdot_outer_kron_trace(n, m, dtype, la, data):
    a = _layout(_array(data, (n, m), dtype), la)
    b = _array(data, (m, n), dtype)
    x = _layout(_array(data, (n,), dtype), la)
    y = _array(data, (n,), dtype)
    _close(j_vdot(x, y), np.vdot(x, y), dtype)
    _close(j_outer(x, b[0]), np.outer(x, b[0]), dtype)
    _close(j_kron(a, b), np.kron(a, b), dtype)
    _close(j_trace(a), np.trace(a), dtype)
    for f in (j_vdot, j_outer, j_kron, j_trace):
        assert_compiled(f)


# --- np.linalg -----------------------------------------------------------

def _square(data, n, dtype, la):
    a = _array(data, (n, n), dtype) + 20 * np.eye(n, dtype=dtype)
    return _layout(a.astype(dtype), la)


@pyjit.njit
def j_solve(a, b):
    return np.linalg.solve(a, b)


@pyjit.njit
def j_inv(a):
    return np.linalg.inv(a)


@pyjit.njit
def j_det(a):
    return np.linalg.det(a)


@pyjit.njit
def j_slogdet(a):
    return np.linalg.slogdet(a)


@FEW
@given(n=st.integers(1, 5), dtype=st.sampled_from(LAPACK_DTYPES),
       la=layouts, data=st.data())
def test_solve_inv_det(n, dtype, la, data):
    a = _square(data, n, dtype, la)
    b = _array(data, (n,), dtype)
    b2 = _array(data, (n, 2), dtype)
    _close(j_solve(a, b), np.linalg.solve(a, b), dtype)
    _close(j_solve(a, b2), np.linalg.solve(a, b2), dtype)
    _close(j_inv(a), np.linalg.inv(a), dtype)
    _close(j_det(a), np.linalg.det(a), dtype)
    sign, logdet = j_slogdet(a)
    want_sign, want_logdet = np.linalg.slogdet(a)
    _close(sign, want_sign, dtype)
    _close(logdet, want_logdet, dtype)
    for f in (j_solve, j_inv, j_det, j_slogdet):
        assert_compiled(f)


@pytest.mark.parametrize("dtype", LAPACK_DTYPES)
def test_det_is_numpys_to_the_last_bit(dtype):
    # NumPy's det is sign * exp(log|det|), not the product of the pivots
    rng = np.random.default_rng(7)
    for n in (0, 1, 2, 3, 6):
        a = (rng.random((n, n)) + np.eye(n)).astype(dtype)
        if np.iscomplexobj(a):
            a = a + 1j * rng.random((n, n)).astype(a.real.dtype)
        _same_det(j_det(a), np.linalg.det(a), dtype)
    a = np.array([[2.0, 1.0], [1.0, 3.0]], dtype)
    _same_det(j_det(a), np.linalg.det(a), dtype)
    assert_compiled(j_det)


def _same_det(got, want, dtype):
    if np.dtype(dtype) == np.complex64:
        # the product of a complex64 and its float32 magnitude is computed
        # in complex128, as Numba types it
        assert np.isclose(got, want, rtol=1e-6)
    else:
        assert got == want


@pytest.mark.parametrize("dtype", LAPACK_DTYPES)
def test_singular_matrices_raise_linalgerror(dtype):
    a = np.array([[1, 2], [2, 4]], dtype)
    with pytest.raises(np.linalg.LinAlgError, match="singular"):
        j_inv(a)
    with pytest.raises(np.linalg.LinAlgError, match="singular"):
        j_solve(a, np.ones(2, dtype))
    assert j_det(a) == 0
    assert j_slogdet(a)[0] == 0 and j_slogdet(a)[1] == -np.inf


def test_non_square_and_non_finite_raise_linalgerror():
    with pytest.raises(np.linalg.LinAlgError, match="must be square"):
        j_inv(np.ones((2, 3)))
    with pytest.raises(np.linalg.LinAlgError, match="infs or NaNs"):
        j_inv(np.array([[1.0, np.nan], [0.0, 1.0]]))


def test_integer_matrices_are_computed_in_float64_as_numpy_does():
    a = np.array([[2, 1], [1, 3]], np.int64)
    got = j_inv(a)
    assert got.dtype == np.float64 and np.allclose(got, np.linalg.inv(a))
    assert np.isclose(j_det(a), np.linalg.det(a))


@pyjit.njit
def j_eigh(a):
    return np.linalg.eigh(a)


@pyjit.njit
def j_eigvalsh(a):
    return np.linalg.eigvalsh(a)


@pyjit.njit
def j_eig(a):
    return np.linalg.eig(a)


@pyjit.njit
def j_eigvals(a):
    return np.linalg.eigvals(a)


@FEW
@given(n=st.integers(1, 5), dtype=st.sampled_from(LAPACK_DTYPES), la=layouts,
       data=st.data())
def test_eigh_and_eig(n, dtype, la, data):
    a = _square(data, n, dtype, la)
    h = _layout((a + a.conj().T).astype(dtype), la)
    w, v = j_eigh(h)
    _close(w, np.linalg.eigvalsh(h), dtype)
    _close(j_eigvalsh(h), np.linalg.eigvalsh(h), dtype)
    _close(h @ v, v * w, dtype)                 # the vectors, up to phase
    # eig of a hermitian matrix: real eigenvalues for real input
    w2, v2 = j_eig(h)
    assert w2.dtype == np.linalg.eig(h)[0].dtype
    _close(np.sort(w2.real), np.sort(np.linalg.eigvals(h).real), dtype)
    _close(h @ v2, v2 * w2, dtype)
    _close(np.sort(j_eigvals(h).real), np.sort(np.linalg.eigvals(h).real),
           dtype)
    for f in (j_eigh, j_eigvalsh, j_eig, j_eigvals):
        assert_compiled(f)


def test_eig_of_real_matrix_with_complex_eigenvalues_is_numbas_error():
    with pytest.raises(ValueError, match="must not cause a domain change"):
        j_eig(np.array([[0.0, -1.0], [1.0, 0.0]]))
    w, v = j_eig(np.array([[0.0, -1.0], [1.0, 0.0]], np.complex128))
    assert np.allclose(sorted(w, key=lambda z: z.imag), [-1j, 1j])


@pyjit.njit
def j_svd(a):
    return np.linalg.svd(a)


@pyjit.njit
def j_svd_reduced(a):
    return np.linalg.svd(a, full_matrices=False)


@pyjit.njit
def j_qr(a):
    return np.linalg.qr(a)


@pyjit.njit
def j_cholesky(a):
    return np.linalg.cholesky(a)


@pyjit.njit
def j_lstsq(a, b):
    return np.linalg.lstsq(a, b)


@FEW
@given(n=st.integers(1, 5), m=st.integers(1, 5),
       dtype=st.sampled_from(LAPACK_DTYPES), la=layouts, data=st.data())
def test_svd_qr_cholesky_lstsq(n, m, dtype, la, data):
    a = _layout(_array(data, (n, m), dtype), la)
    u, s, vh = j_svd(a)
    _close(s, np.linalg.svd(a)[1], dtype)
    assert u.shape == (n, n) and vh.shape == (m, m)
    k = min(n, m)
    _close((u[:, :k] * s) @ vh[:k], a, dtype)
    u, s, vh = j_svd_reduced(a)
    assert u.shape == (n, k) and vh.shape == (k, m)
    _close((u * s) @ vh, a, dtype)
    q, r = j_qr(a)
    _close(q @ r, a, dtype)
    _close(np.abs(r), np.abs(np.linalg.qr(a)[1]), dtype)
    spd = (a @ a.conj().T + np.eye(n)).astype(dtype)
    _close(j_cholesky(spd), np.linalg.cholesky(spd), dtype)
    b = _array(data, (n,), dtype)
    x, res, rank, sv = j_lstsq(a, b)
    wx, wres, wrank, wsv = np.linalg.lstsq(a, b, rcond=-1)
    _close(sv, wsv, dtype)
    assert rank == wrank
    _close(a @ x, a @ wx, dtype)
    for f in (j_svd, j_svd_reduced, j_qr, j_cholesky, j_lstsq):
        assert_compiled(f)


def test_cholesky_of_indefinite_matrix():
    with pytest.raises(np.linalg.LinAlgError, match="not positive definite"):
        j_cholesky(-np.eye(2))


@pyjit.njit
def j_norm(x):
    return np.linalg.norm(x)


@pyjit.njit
def j_norm_ord(x, o):
    return np.linalg.norm(x, o)


@pyjit.njit
def j_pinv(a):
    return np.linalg.pinv(a)


@pyjit.njit
def j_power(a, n):
    return np.linalg.matrix_power(a, n)


@pyjit.njit
def j_rank(a):
    return np.linalg.matrix_rank(a)


@pyjit.njit
def j_cond(a):
    return np.linalg.cond(a)


@FEW
@given(n=st.integers(1, 4), m=st.integers(1, 4),
       dtype=st.sampled_from(LAPACK_DTYPES), la=layouts, data=st.data())
def test_norms_pinv_power_rank_cond(n, m, dtype, la, data):
    a = _layout(_array(data, (n, m), dtype), la)
    x = a[0]
    rdt = np.float32 if dtype in (np.float32, np.complex64) else np.float64
    assert np.isclose(j_norm(x), np.linalg.norm(x), rtol=_tol(dtype))
    assert np.isclose(j_norm(a), np.linalg.norm(a), rtol=_tol(dtype))
    for o in (1, 2, np.inf, -np.inf, 3.0, 0):
        assert np.isclose(j_norm_ord(x, o), np.linalg.norm(x, o),
                          rtol=_tol(dtype)), o
    for o in (1, -1, 2, -2, np.inf, -np.inf):
        assert np.isclose(j_norm_ord(a, o), np.linalg.norm(a, o),
                          rtol=_tol(dtype), atol=_tol(dtype)), o
    assert np.asarray(j_norm(x)).dtype in (rdt, np.float64)
    # the layouts of the functions below are those of svd, inv and @
    c = np.ascontiguousarray(a)
    _close(j_pinv(c), np.linalg.pinv(c), dtype)
    assert j_rank(c) == np.linalg.matrix_rank(c)
    sq = _square(data, n, dtype, "C")
    for p in (0, 1, 3, -2):
        _close(j_power(sq, p), np.linalg.matrix_power(sq, p), dtype)
    assert np.isclose(j_cond(sq), np.linalg.cond(sq), rtol=_tol(dtype))
    for f in (j_norm, j_norm_ord, j_pinv, j_power, j_rank, j_cond):
        assert_compiled(f)


# --- SciPy's routines, and scipy.linalg imported afterwards ----------------

def test_routines_load_without_scipy_linalg_which_imports_later(tmp_path):
    """The routines' modules are loaded from their files (the rest of
    scipy.linalg is not imported for them); scipy.linalg imported
    afterwards is whole, its cython_blas and cython_lapack bound in it."""
    code = (
        "import sys\n"
        "import numpy as np, pyjit\n"
        "@pyjit.njit\n"
        "def f(a, x):\n"
        "    return a @ x, np.linalg.solve(a, x)\n"
        "a = np.array([[2.0, 1.0], [1.0, 3.0]]); x = np.array([1.0, 2.0])\n"
        "p, s = f(a, x)\n"
        "assert np.allclose(p, a @ x) and np.allclose(s, np.linalg.solve(a, x))\n"
        "print('scipy.linalg' in sys.modules)\n"
        "import scipy.linalg.cython_blas\n"
        "import scipy.linalg\n"
        "from scipy.linalg import cython_lapack\n"
        "print(len(scipy.linalg.cython_blas.__pyx_capi__) > 10,\n"
        "      'dgesv' in cython_lapack.__pyx_capi__,\n"
        "      scipy.linalg.cython_lapack is cython_lapack,\n"
        "      np.allclose(scipy.linalg.solve(a, x), s),\n"
        "      np.allclose(f(a, x)[0], p))\n")
    script = tmp_path / "later_scipy.py"
    script.write_text(code)
    out = subprocess.run([sys.executable, str(script)], capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False"] + ["True"] * 5, out.stdout


# --- without SciPy -------------------------------------------------------

def test_without_scipy_the_error_names_scipy(tmp_path):
    code = (
        "import sys\n"
        "for m in ('scipy', 'scipy.linalg', 'scipy.linalg.cython_blas',\n"
        "          'scipy.linalg.cython_lapack'):\n"
        "    sys.modules[m] = None\n"
        "import numpy as np, pyjit\n"
        "@pyjit.njit\n"
        "def f(a):\n"
        "    return np.linalg.inv(a)\n"
        "try:\n"
        "    f(np.eye(2))\n"
        "except pyjit.TypingError as e:\n"
        "    print('TypingError', e)\n")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ, PYTHONPATH=root)
    script = tmp_path / "no_scipy.py"
    script.write_text(code)
    out = subprocess.run([sys.executable, str(script)], capture_output=True,
                         text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("TypingError"), out.stdout
    assert "scipy" in out.stdout and "install scipy" in out.stdout
    assert "no_scipy.py" in out.stdout and "line 8" in out.stdout


# --- cached code -------------------------------------------------------------

CACHED = '''
import json
import numpy as np
import pyjit


@pyjit.njit(cache=True)
def f(a, b):
    return np.linalg.solve(a, b) @ (a @ b)


a = np.array([[4.0, 1.0], [2.0, 3.0]])
b = np.array([1.0, 2.0])
r = f(a, b)
print(json.dumps({"r": r, "hits": sum(f.stats.cache_hits.values())}))
'''


def test_cached_code_links_the_routines_in_a_fresh_process(tmp_path):
    """The routines are found by name when cached code is loaded, in a
    process that has not compiled anything."""
    import json
    script = tmp_path / "cached_linalg.py"
    script.write_text(CACHED)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ, PYTHONPATH=root)
    runs = []
    for _ in range(2):
        out = subprocess.run([sys.executable, str(script)],
                             capture_output=True, text=True, env=env,
                             timeout=300)
        assert out.returncode == 0, out.stderr
        runs.append(json.loads(out.stdout))
    a = np.array([[4.0, 1.0], [2.0, 3.0]])
    b = np.array([1.0, 2.0])
    want = float(np.linalg.solve(a, b) @ (a @ b))
    assert runs[0]["hits"] == 0 and runs[1]["hits"] >= 1
    for r in runs:
        assert np.isclose(r["r"], want)


@pyjit.njit
def _mixed_dot(a, b):
    return np.dot(a, b), a @ b


@pytest.mark.parametrize("da,db", [(np.float32, np.float64),
                                   (np.float64, np.complex64),
                                   (np.complex64, np.float32),
                                   (np.float64, np.float64)])
def test_products_of_two_dtypes_take_their_common_one(da, db):
    rng = np.random.default_rng(7)
    for n, k, m in ((3, 4, 2), (0, 0, 0), (1, 5, 1)):
        a = rng.standard_normal((n, k)).astype(da)
        b = rng.standard_normal((k, m)).astype(db)
        for other in (b, b[:, 0] if m else b.ravel()[:k]):
            got = _mixed_dot(a, other)
            want = np.dot(a, other)
            for g in got:
                assert g.dtype == want.dtype and g.shape == want.shape
                np.testing.assert_allclose(g, want, rtol=1e-5, atol=1e-5)
    assert_compiled(_mixed_dot)


@pytest.mark.parametrize("dtype", ["float32", "float64", "complex64",
                                   "complex128"])
def test_vector_norm_sums_squares_as_numpys_dot(dtype):
    """The 2-norm of a long vector, whose squares summed one after another
    in float32 lose digits: NumPy's sqrt(dot(x, x)) to rounding."""
    @pyjit.njit
    def f(x):
        return np.linalg.norm(x)

    rng = np.random.default_rng(11)
    x = rng.random(1_000_003)
    if dtype.startswith("complex"):
        x = x + 1j * rng.random(x.size)
    x = x.astype(dtype)
    want = np.linalg.norm(x)
    got = f(x)
    tol = 2e-7 if dtype in ("float32", "complex64") else 1e-14
    assert abs(got - want) <= tol * want, (got, want)
    assert abs(f(x[::3]) - np.linalg.norm(x[::3])) <= tol * want
    assert_compiled(f)
