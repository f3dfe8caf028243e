"""Linear algebra for nopython code: np.dot, np.vdot, np.outer, np.matmul
(and `a @ b`), np.kron, np.trace and np.linalg, through the BLAS and
LAPACK SciPy was built with.

Each function checks shapes, copies its operands to the column-major
order the routines read (or passes a view's leading dimension when its
memory already has that order), asks a routine for its workspace size
and calls it through `_linalg` (csrc/linalg.c), which finds SciPy's
routines at the first call.  Matrices are float32, float64, complex64 or
complex128 arrays; the results follow Numba's: np.linalg.eig of a real
matrix returns real arrays (ValueError when its eigenvalues are complex),
singular and non-positive-definite matrices raise LinAlgError, and
arrays of integers are refused when the function compiles.  np.dot of two
vectors of integers, which pyjit computed before it used BLAS, still
does.
"""
import math

import numpy as np

from ._core import (_expect, _holds_complex, _holds_integers, _linalg,
                    _promoted_zero, _real_zero, _refuse_integers, _sum_one,
                    _sum_zero)
from ._objmode_block import objmode


def _check_aligned(a, b, ka, kb):
    if a.shape[ka] != b.shape[kb]:
        # NumPy's message, formatted by Python when it is raised: building
        # the string in compiled code would make every product's code
        # twice as long to compile
        with objmode(msg="unicode_type"):
            msg = _not_aligned(a.shape, b.shape, ka, kb)
        raise ValueError(msg)


def _not_aligned(sa, sb, ka, kb):
    """NumPy's message for np.dot of shapes sa and sb (plain Python)."""
    def shape(s):
        return "(" + ",".join(map(str, s)) + ("," if len(s) == 1 else "") \
            + ")"
    return (f"shapes {shape(sa)} and {shape(sb)} not aligned: {sa[ka]} "
            f"(dim {ka}) != {sb[kb]} (dim {kb})")


def _lin_alg_check(ok, msg):
    if not ok:
        raise np.linalg.LinAlgError(msg)


def _square(a):
    _lin_alg_check(a.shape[0] == a.shape[1],
                   "Last 2 dimensions of the array must be square.")


def _finite(a):
    for x in a.flat:
        if not (x == x and x - x == x - x):     # NaN and inf alike
            raise np.linalg.LinAlgError("Array must not contain infs or "
                                        "NaNs.")


def _columns(a):
    """A copy of the matrix a whose memory holds a in column-major order
    (a C array of a's transpose), integers converted to float64."""
    return _transposed(a, _blas_zero(a))


def _transposed(a, zero):
    """A C array of the matrix a's transpose, in the dtype of zero: a loop
    that reads a's rows as they lie, which compiles in half the time of
    the assignment of a transposed view (`out[...] = a.T`)."""
    n, m = a.shape
    out = np.full((m, n), zero)
    for i in range(n):
        for j in range(m):
            out[j, i] = a[i, j]
    return out


def _blas_zero(a):
    """0 in the dtype BLAS and LAPACK compute a's elements in."""
    return _sum_zero(a) + _real_zero(a)


def _same(a, zero):
    """a in the dtype of zero (a copy when it differs)."""
    out = np.full(a.shape, zero)
    out[...] = a
    return out


# --- products ---------------------------------------------------------

def _ld(s, itemsize):
    """The leading dimension a stride gives, or 0 when it gives none."""
    if s > 0 and s % itemsize == 0:
        return s // itemsize
    return 0


def _leading(a):
    """(a, ld_c, ld_f) for a matrix: ld_c > 0 when a's rows are contiguous
    (its memory is a.T in column-major order, of that leading dimension),
    else ld_f > 0, the leading dimension of a itself in column-major order;
    a C copy of a when its strides are neither."""
    n0, n1 = a.shape
    isz = a.itemsize
    ld_c = _ld(a.strides[0], isz) if a.strides[1] == isz else 0
    ld_f = _ld(a.strides[1], isz) if a.strides[0] == isz else 0
    if ld_c >= max(1, n1):
        return a, ld_c, 0
    if ld_f >= max(1, n0):
        return a, 0, ld_f
    return a.copy(), max(1, n1), 0


def _gemm(a, b, out):
    """out (n, m) = a (n, k) @ b (k, m), out C-contiguous.  In column-major
    terms out is out.T = b.T @ a.T."""
    n, k = a.shape
    m = b.shape[1]
    one = _sum_one(a)
    zero = _sum_zero(a)
    a, lda_c, lda_f = _leading(a)
    b, ldb_c, ldb_f = _leading(b)
    ldc = max(1, m)
    if ldb_c > 0:
        if lda_c > 0:
            _linalg("gemm", "N", "N", m, n, k, one, b, ldb_c, a, lda_c,
                    zero, out, ldc)
        else:
            _linalg("gemm", "N", "T", m, n, k, one, b, ldb_c, a, lda_f,
                    zero, out, ldc)
    elif lda_c > 0:
        _linalg("gemm", "T", "N", m, n, k, one, b, ldb_f, a, lda_c,
                zero, out, ldc)
    else:
        _linalg("gemm", "T", "T", m, n, k, one, b, ldb_f, a, lda_f,
                zero, out, ldc)


def _inc(v):
    """v and its increment: v itself when its stride is a positive
    multiple of its itemsize, else a contiguous copy."""
    inc = _ld(v.strides[0], v.itemsize)
    if inc == 0:
        return v.copy(), 1
    return v, inc


def _gemv(a, x, y, left):
    """y = a @ x (left False) or y = x @ a (left True) for a matrix a."""
    n0, n1 = a.shape
    x, incx = _inc(x)
    one = _sum_one(a)
    zero = _sum_zero(a)
    a, ld_c, ld_f = _leading(a)
    if ld_c > 0:
        # the memory is a.T (n1, n0) in column-major order
        if left:
            _linalg("gemv", "N", n1, n0, one, a, ld_c, x, incx, zero, y, 1)
        else:
            _linalg("gemv", "T", n1, n0, one, a, ld_c, x, incx, zero, y, 1)
    elif left:
        _linalg("gemv", "T", n0, n1, one, a, ld_f, x, incx, zero, y, 1)
    else:
        _linalg("gemv", "N", n0, n1, one, a, ld_f, x, incx, zero, y, 1)


# NumPy's NPY_CBLAS_CHUNK: a dot product of more elements is summed from
# BLAS calls of this many, whose counts are 32-bit ints
_CBLAS_CHUNK = 1 << 30


def _vector_dot_blas(x, y, conj):
    """sum x[i] * y[i] (conj(x[i]) * y[i] when conj) as NumPy computes
    it: BLAS's dot product when both strides are positive multiples of
    the itemsize, else a loop in the dtype."""
    incx = _ld(x.strides[0], x.itemsize)
    incy = _ld(y.strides[0], y.itemsize)
    if incx == 0 or incy == 0:
        return _vector_dot_strided(x, y, conj)
    n = len(x)
    first = _blas_dot(min(n, _CBLAS_CHUNK), x, incx, y, incy, conj)
    if n <= _CBLAS_CHUNK:
        return first
    # the chunks' sums are added in double precision, as NumPy adds them
    s = first + 0.0
    for i in range(_CBLAS_CHUNK, n, _CBLAS_CHUNK):
        m = min(n - i, _CBLAS_CHUNK)
        s += _blas_dot(m, x[i:], incx, y[i:], incy, conj)
    return _in_type_of(s, first)


def _blas_dot(n, x, incx, y, incy, conj):
    if conj:
        return _linalg("dotc", n, x, incx, y, incy)
    return _linalg("dot", n, x, incx, y, incy)


def _vector_dot_strided(x, y, conj):
    s = _sum_zero(x)
    if conj:
        for i in range(len(x)):
            s += x[i].conjugate() * y[i]
    else:
        for i in range(len(x)):
            s += x[i] * y[i]
    return s


def _numpy_dot(x, y):
    """np.dot of two vectors of one dtype: vectors of one element multiply
    as scalars (-0.0 for -1.0 * 0.0, where a sum gives 0.0), and a vector
    of a stride BLAS cannot take is copied, as NumPy does."""
    if len(x) == 1:
        return x[0] * y[0]
    return _vector_dot_blas(_inc(x)[0], _inc(y)[0], False)


def _vector_dot_loop(a, b):
    s = _sum_zero(a) + _sum_zero(b)
    for i in range(len(a)):
        s += a[i] * b[i]
    return _in_promoted_dtype(s, a, b)


def _in_promoted_dtype(s, a, b):
    """The number s in the dtype NumPy's product of a and b has: int8 for
    int8 vectors (wrapped as NumPy wraps it), and for bool vectors whether
    any pair was both true."""
    return _in_type_of(s, _promoted_zero(a, b))


def _in_type_of(s, like):
    """The number s converted to the type of the number like."""
    out = np.full(1, like)
    out[0] = s
    return out[0]


def _blas_operands(a, b):
    """a and b in their common dtype (copies when they differ)."""
    z = _blas_zero(a) + _blas_zero(b)
    # two tests the argument types decide (typeinfer.c prunes the other
    # branch): the result's dtypes are one in every branch compiled
    if a.itemsize != b.itemsize:
        return _same(a, z), _same(b, z)
    if _holds_complex(a) != _holds_complex(b):
        return _same(a, z), _same(b, z)
    return a, b


def _product(a, b, name, numpy_dot=False):
    """The matrix product of 1-d and 2-d arrays (np.dot, np.matmul, named
    name in errors; numpy_dot: np.dot's own vector product, a constant, not
    a comparison of names on every call); of integer matrices it is
    refused (np.dot and np.matmul refuse them when they compile), as
    Numba's BLAS refuses them."""
    if a.ndim == 1:
        if b.ndim == 1:
            _check_aligned(a, b, 0, 0)
            if _holds_integers(a):
                return _vector_dot_loop(a, b)
            if _holds_integers(b):
                return _vector_dot_loop(a, b)
            if len(a) == 0:
                return _sum_zero(a) + _sum_zero(b)
            x, y = _blas_operands(a, b)
            if numpy_dot:
                return _numpy_dot(x, y)
            return _vector_dot_blas(x, y, False)
    if a.ndim > 2:
        raise ValueError(name + " takes 1-d and 2-d arrays")
    if b.ndim > 2:
        raise ValueError(name + " takes 1-d and 2-d arrays")
    _check_aligned(a, b, a.ndim - 1, 0)
    # tests of the dtypes inference decides: integers never reach BLAS
    if _holds_integers(a):
        raise TypeError(name + " of matrices takes float and complex arrays")
    if _holds_integers(b):
        raise TypeError(name + " of matrices takes float and complex arrays")
    x, y = _blas_operands(a, b)
    return _matrix_product(x, y)


def _matrix_product(a, b):
    """a @ b of arrays of one dtype, one of them a matrix."""
    if a.ndim == 1:
        out = np.full(b.shape[1], _sum_zero(a))
        if len(a) > 0 and len(out) > 0:
            _gemv(b, a, out, True)
        return out
    if b.ndim == 1:
        out = np.full(a.shape[0], _sum_zero(a))
        if len(b) > 0 and len(out) > 0:
            _gemv(a, b, out, False)
        return out
    out = np.full((a.shape[0], b.shape[1]), _sum_zero(a))
    if out.size > 0 and a.shape[1] > 0:
        _gemm(a, b, out)
    return out


def dot(a, b):
    """The dot product of two 1-d arrays, a matrix times a vector, a vector
    times a matrix or a matrix product (1-d and 2-d arrays, as Numba); with
    a 0-d array, NumPy's product of the elements."""
    if a.ndim == 0 or b.ndim == 0:
        return np.multiply(a, b)
    if a.ndim == 1:
        if b.ndim == 1:
            return _product(a, b, "np.dot", True)
    if _holds_integers(a):
        _refuse_integers("np.dot", a, b)
    if _holds_integers(b):
        _refuse_integers("np.dot", a, b)
    return _product(a, b, "np.dot", True)


def matmul(a, b):
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError("matmul: Input operand does not have enough "
                         "dimensions (a 0-d array has none to multiply "
                         "along)")
    if a.ndim == 1:
        if b.ndim == 1:
            return _product(a, b, "np.matmul")
    if _holds_integers(a):
        _refuse_integers("np.matmul", a, b)
    if _holds_integers(b):
        _refuse_integers("np.matmul", a, b)
    return _product(a, b, "np.matmul")


def vdot(a, b):
    if a.ndim == 1:
        if b.ndim == 1:
            return _vdot(a, b)
    return _vdot(a.ravel(), b.ravel())


def _vdot(x, y):
    """np.vdot of two vectors: NumPy's vdot steps along 1-d operands as
    matmul does, through BLAS or a loop, and ravels others (copies)."""
    if len(x) != len(y):
        raise ValueError("vdot: vectors have different lengths")
    # tests of the dtypes inference decides: integers take _product's loop
    if _holds_complex(x):
        if _holds_integers(y):
            return _product(_conj(x), y, "np.vdot")
    if _holds_integers(x):
        return _product(x, y, "np.vdot")
    if _holds_integers(y):
        return _product(x, y, "np.vdot")
    if len(x) == 0:
        return _sum_zero(x) + _sum_zero(y)
    x, y = _blas_operands(x, y)
    return _vector_dot_blas(x, y, True)


def _conj(x):
    out = np.empty_like(x)
    for i in range(len(x)):
        out[i] = x[i].conjugate()
    return out


def outer(a, b):
    x = a.ravel()
    y = b.ravel()
    out = np.full((len(x), len(y)), _promoted_zero(x, y))
    for i in range(len(x)):
        for j in range(len(y)):
            out[i, j] = x[i] * y[j]
    return out


def kron(a, b):
    if a.ndim == 0 or b.ndim == 0:      # NumPy's: the product
        return np.multiply(a, b)
    if a.ndim == 1:
        if b.ndim == 1:
            return outer(a, b).ravel()
        return kron(a.reshape((1, a.shape[0])), b)
    if b.ndim == 1:
        return kron(a, b.reshape((1, b.shape[0])))
    n0, n1 = a.shape
    m0, m1 = b.shape
    out = np.full((n0 * m0, n1 * m1), _promoted_zero(a, b))
    for i in range(n0):
        for j in range(n1):
            x = a[i, j]
            for k in range(m0):
                for l in range(m1):
                    out[i * m0 + k, j * m1 + l] = x * b[k, l]
    return out


def trace(a, offset=0):
    if a.ndim != 2:
        raise ValueError("np.trace takes a 2-d array")
    s = _sum_zero(a)
    n0, n1 = a.shape
    for i in range(n0):
        j = i + offset
        if 0 <= j < n1:
            s += a[i, j]
    return s


# --- np.linalg --------------------------------------------------------

def _lapack_matrix(a, name):
    """A column-major copy of the square matrix a, its order checked."""
    if a.ndim != 2:
        raise np.linalg.LinAlgError("Array must be two-dimensional")
    _square(a)
    _finite(a)
    return _columns(a)


def _work(a, lwork):
    """A workspace of lwork elements of a's dtype."""
    return np.empty(max(1, lwork), a.dtype)


def _size(work):
    return int(work[0].real)


def _lu(af, n):
    ipiv = np.empty(max(1, n), np.int32)
    info = _linalg("getrf", n, n, af, max(1, n), ipiv)
    return ipiv, info


def _solve_rhs(b, n, z):
    """b as the column-major right-hand sides of n equations, in the
    dtype of z."""
    if b.shape[0] != n:
        raise ValueError("solve: Input operand 1 has a mismatch in its "
                         "core dimension 0")
    _finite(b)
    if b.ndim == 1:
        return _same(b, z)
    return _transposed(b, z)


def solve(a, b):
    """LAPACK's gesv on column-major copies of a and b, as NumPy and Numba
    solve, so that the solution is theirs to the last bit."""
    _expect(a, "matrix")
    _square(a)
    _finite(a)
    n = a.shape[0]
    z = _blas_zero(a) + _blas_zero(b)
    bf = _solve_rhs(b, n, z)
    nrhs = 1 if b.ndim == 1 else b.shape[1]
    af = _transposed(a, z)
    ipiv = np.empty(max(1, n), np.int32)
    if n > 0 and nrhs > 0:
        info = _linalg("gesv", n, nrhs, af, n, ipiv, bf, n)
        _lin_alg_check(info <= 0,
                       "Matrix is singular to machine precision.")
    if b.ndim == 1:
        return bf
    return bf.T


def inv(a):
    _expect(a, "matrix")
    af = _lapack_matrix(a, "inv")
    n = a.shape[0]
    if n == 0:
        return af
    ipiv, info = _lu(af, n)
    _lin_alg_check(info <= 0,
                       "Matrix is singular to machine precision.")
    work = _work(af, 1)
    _linalg("getri", n, af, n, ipiv, work, -1)
    work = _work(af, _size(work))
    _linalg("getri", n, af, n, ipiv, work, len(work))
    return af.T


def _lu_parts(a):
    """(sign, the diagonal of U) of a's LU factorization."""
    af = _lapack_matrix(a, "det")
    n = a.shape[0]
    ipiv, info = _lu(af, n)
    sign = _sum_one(af)
    for i in range(n):
        if ipiv[i] != i + 1:
            sign = -sign
    d = np.empty(n, af.dtype)
    for i in range(n):
        d[i] = af[i, i]
    return sign, d


def det(a):
    # sign * exp(log|det|), as NumPy computes it (umath_linalg), so that
    # the last bit is NumPy's
    _expect(a, "matrix")
    sign, logdet = slogdet(a)
    return sign * np.exp(logdet)


def slogdet(a):
    _expect(a, "matrix")
    sign, d = _lu_parts(a)
    logdet = _real_zero(a)
    for x in d:
        ax = abs(x)
        if ax == 0:
            return _sum_zero(d), -np.inf + _real_zero(a)
        sign = sign * (x / ax)
        logdet += np.log(ax)
    return sign, logdet


def _geev(a, vectors):
    """(w, v) of a's eigendecomposition: complex arrays for a complex
    matrix, real ones for a real matrix whose eigenvalues are real."""
    af = _lapack_matrix(a, "eig")
    n = a.shape[0]
    jobv = 1 if vectors else 0
    ldv = max(1, n) if vectors else 1
    vr = np.empty((max(1, n) if vectors else 1, ldv), af.dtype)
    vl = np.empty(1, af.dtype)
    work = _work(af, 1)
    if _holds_complex(a):
        w = np.empty(n, af.dtype)
        rwork = np.full(max(1, 2 * n), _real_zero(a))
        if vectors:
            _linalg("geev", "N", "V", n, af, max(1, n), w, vl, 1, vr, ldv,
                    work, -1, rwork)
            work = _work(af, _size(work))
            info = _linalg("geev", "N", "V", n, af, max(1, n), w, vl, 1, vr,
                           ldv, work, len(work), rwork)
        else:
            _linalg("geev", "N", "N", n, af, max(1, n), w, vl, 1, vr, ldv,
                    work, -1, rwork)
            work = _work(af, _size(work))
            info = _linalg("geev", "N", "N", n, af, max(1, n), w, vl, 1, vr,
                           ldv, work, len(work), rwork)
        _check_converged(info)
        return w, vr.T
    wr = np.empty(n, af.dtype)
    wi = np.empty(n, af.dtype)
    if vectors:
        _linalg("geev", "N", "V", n, af, max(1, n), wr, wi, vl, 1, vr, ldv,
                work, -1)
        work = _work(af, _size(work))
        info = _linalg("geev", "N", "V", n, af, max(1, n), wr, wi, vl, 1, vr,
                       ldv, work, len(work))
    else:
        _linalg("geev", "N", "N", n, af, max(1, n), wr, wi, vl, 1, vr, ldv,
                work, -1)
        work = _work(af, _size(work))
        info = _linalg("geev", "N", "N", n, af, max(1, n), wr, wi, vl, 1, vr,
                       ldv, work, len(work))
    _check_converged(info)
    for x in wi:
        if x != 0:
            raise ValueError("eig() argument must not cause a domain change.")
    return wr, vr.T


def _check_converged(info):
    _lin_alg_check(info <= 0,
                       "Eigenvalues did not converge")


def eig(a):
    _expect(a, "matrix")
    w, v = _geev(a, True)
    return w, v[:a.shape[0], :a.shape[0]]


def eigvals(a):
    _expect(a, "matrix")
    return _geev(a, False)[0]


def _heevd(a, vectors):
    af = _lapack_matrix(a, "eigh")
    n = a.shape[0]
    w = np.full(n, _real_zero(a))
    work = _work(af, 1)
    iwork = np.empty(1, np.int32)
    rwork = np.full(1, _real_zero(a))
    if n == 0:
        return w, af
    if _holds_complex(a):
        if vectors:
            _linalg("heevd", "V", "L", n, af, n, w, work, -1, rwork, -1,
                    iwork, -1)
        else:
            _linalg("heevd", "N", "L", n, af, n, w, work, -1, rwork, -1,
                    iwork, -1)
        work = _work(af, _size(work))
        rwork = np.full(max(1, int(rwork[0])), _real_zero(a))
        iwork = np.empty(max(1, iwork[0]), np.int32)
        if vectors:
            info = _linalg("heevd", "V", "L", n, af, n, w, work, len(work),
                           rwork, len(rwork), iwork, len(iwork))
        else:
            info = _linalg("heevd", "N", "L", n, af, n, w, work, len(work),
                           rwork, len(rwork), iwork, len(iwork))
    else:
        if vectors:
            _linalg("heevd", "V", "L", n, af, n, w, work, -1, iwork, -1)
        else:
            _linalg("heevd", "N", "L", n, af, n, w, work, -1, iwork, -1)
        work = _work(af, _size(work))
        iwork = np.empty(max(1, iwork[0]), np.int32)
        if vectors:
            info = _linalg("heevd", "V", "L", n, af, n, w, work, len(work),
                           iwork, len(iwork))
        else:
            info = _linalg("heevd", "N", "L", n, af, n, w, work, len(work),
                           iwork, len(iwork))
    _check_converged(info)
    return w, af.T


def eigh(a):
    _expect(a, "matrix")
    return _heevd(a, True)


def eigvalsh(a):
    _expect(a, "matrix")
    return _heevd(a, False)[0]


def _gesdd(a, jobz_all, vectors):
    """(u, s, vh) of a's singular value decomposition; u and vh are
    (1, 1) placeholders when not vectors."""
    if a.ndim != 2:
        raise np.linalg.LinAlgError("Array must be two-dimensional")
    _finite(a)
    m, n = a.shape
    af = _columns(a)
    k = min(m, n)
    s = np.full(k, _real_zero(a))
    ucols = m if jobz_all else k
    vrows = n if jobz_all else k
    if not vectors:
        ucols = 1
        vrows = 1
    u = np.empty((ucols, max(1, m)), af.dtype)
    vt = np.empty((max(1, n), vrows), af.dtype)
    if k == 0:
        return u.T, s, vt.T
    iwork = np.empty(8 * k, np.int32)
    work = _work(af, 1)
    ldvt = max(1, vrows)
    if _holds_complex(a):
        big = max(m, n)
        rwork = np.full(max(1, k * max(5 * k + 7, 2 * big + 2 * k + 1)),
                        _real_zero(a))
        if not vectors:
            _linalg("gesdd", "N", m, n, af, m, s, u, m, vt, ldvt, work, -1,
                    rwork, iwork)
            work = _work(af, _size(work))
            info = _linalg("gesdd", "N", m, n, af, m, s, u, m, vt, ldvt,
                           work, len(work), rwork, iwork)
        elif jobz_all:
            _linalg("gesdd", "A", m, n, af, m, s, u, m, vt, ldvt, work, -1,
                    rwork, iwork)
            work = _work(af, _size(work))
            info = _linalg("gesdd", "A", m, n, af, m, s, u, m, vt, ldvt,
                           work, len(work), rwork, iwork)
        else:
            _linalg("gesdd", "S", m, n, af, m, s, u, m, vt, ldvt, work, -1,
                    rwork, iwork)
            work = _work(af, _size(work))
            info = _linalg("gesdd", "S", m, n, af, m, s, u, m, vt, ldvt,
                           work, len(work), rwork, iwork)
    else:
        if not vectors:
            _linalg("gesdd", "N", m, n, af, m, s, u, m, vt, ldvt, work, -1,
                    iwork)
            work = _work(af, _size(work))
            info = _linalg("gesdd", "N", m, n, af, m, s, u, m, vt, ldvt,
                           work, len(work), iwork)
        elif jobz_all:
            _linalg("gesdd", "A", m, n, af, m, s, u, m, vt, ldvt, work, -1,
                    iwork)
            work = _work(af, _size(work))
            info = _linalg("gesdd", "A", m, n, af, m, s, u, m, vt, ldvt,
                           work, len(work), iwork)
        else:
            _linalg("gesdd", "S", m, n, af, m, s, u, m, vt, ldvt, work, -1,
                    iwork)
            work = _work(af, _size(work))
            info = _linalg("gesdd", "S", m, n, af, m, s, u, m, vt, ldvt,
                           work, len(work), iwork)
    _lin_alg_check(info <= 0,
                       "SVD did not converge")
    return u.T, s, vt.T


def svd(a, full_matrices=True):
    _expect(a, "matrix")
    return _gesdd(a, full_matrices, True)


def _singular_values(a):
    return _gesdd(a, False, False)[1]


def qr(a):
    _expect(a, "matrix")
    _finite(a)
    m, n = a.shape
    k = min(m, n)
    af = _columns(a)
    r = np.zeros((k, n), af.dtype)
    q = np.zeros((k, m), af.dtype)
    if k == 0:
        return q.T, r
    tau = np.empty(k, af.dtype)
    work = _work(af, 1)
    _linalg("geqrf", m, n, af, m, tau, work, -1)
    work = _work(af, _size(work))
    _linalg("geqrf", m, n, af, m, tau, work, len(work))
    for i in range(k):
        for j in range(i, n):
            r[i, j] = af[j, i]
    for j in range(k):
        for i in range(m):
            q[j, i] = af[j, i]
    work = _work(af, 1)
    _linalg("ungqr", m, k, k, q, m, tau, work, -1)
    work = _work(af, _size(work))
    _linalg("ungqr", m, k, k, q, m, tau, work, len(work))
    return q.T, r


def cholesky(a):
    """potrf's upper factor of a C-order copy, which is in memory the lower
    factor of a (a is symmetric), as Numba computes it: the same bits as
    its result, where the lower factor of a column-major copy rounds
    differently."""
    _expect(a, "matrix")
    if a.ndim != 2:
        raise np.linalg.LinAlgError("Array must be two-dimensional")
    _square(a)
    _finite(a)
    n = a.shape[0]
    af = _same(a, _blas_zero(a))
    out = np.zeros((n, n), af.dtype)
    if n == 0:
        return out
    info = _linalg("potrf", "U", n, af, n)
    _lin_alg_check(info <= 0,
                       "Matrix is not positive definite.")
    for i in range(n):
        for j in range(i + 1):
            out[i, j] = af[i, j]
    return out


def lstsq(a, b, rcond=-1.0):
    _expect(a, "matrix")
    m, n = a.shape
    _lin_alg_check(b.shape[0] == m, "Incompatible dimensions")
    _finite(a)
    _finite(b)
    z = _blas_zero(a) + _blas_zero(b)
    af = _transposed(a, z)
    big = max(1, m, n)
    if b.ndim == 1:
        nrhs = 1
    else:
        nrhs = b.shape[1]
    bf = np.full((max(1, nrhs), big), z)
    for j in range(nrhs):
        for i in range(m):
            bf[j, i] = b[i] if b.ndim == 1 else b[i, j]
    k = min(m, n)
    s = np.full(k, _real_zero(af))
    rank = np.zeros(1, np.int32)
    if k > 0 and nrhs > 0:
        work = _work(af, 1)
        iwork = np.ones(1, np.int32)
        rwork = np.full(1, _real_zero(af))
        if _holds_complex(af):
            _linalg("gelsd", m, n, nrhs, af, m, bf, big, s, rcond, rank,
                    work, -1, rwork, iwork)
            work = _work(af, _size(work))
            rwork = np.full(max(1, int(rwork[0])), _real_zero(af))
            iwork = np.empty(max(1, iwork[0]), np.int32)
            info = _linalg("gelsd", m, n, nrhs, af, m, bf, big, s, rcond,
                           rank, work, len(work), rwork, iwork)
        else:
            _linalg("gelsd", m, n, nrhs, af, m, bf, big, s, rcond, rank,
                    work, -1, iwork)
            work = _work(af, _size(work))
            iwork = np.empty(max(1, iwork[0]), np.int32)
            info = _linalg("gelsd", m, n, nrhs, af, m, bf, big, s, rcond,
                           rank, work, len(work), iwork)
        _lin_alg_check(info <= 0,
                       "SVD did not converge in Linear Least Squares")
    r = rank[0]
    if r == n and m > n:
        res = np.full(nrhs, _real_zero(af))
        for j in range(nrhs):
            t = _real_zero(af)
            for i in range(n, m):
                t += abs(bf[j, i]) ** 2
            res[j] = t
    else:
        res = np.full(0, _real_zero(af))
    if b.ndim == 1:
        return bf[0, :n].copy(), res, r, s
    return bf[:nrhs, :n].T.copy(), res, r, s


def _vector_norm(x, ord):
    if ord is None:
        if _holds_integers(x):
            return _vector_norm(x.astype(np.float64), None)
        # the sum of squares as NumPy computes it, by BLAS's dot
        if _holds_complex(x):
            re, im = x.real, x.imag
            s = np.dot(re, re) + np.dot(im, im)
        else:
            s = np.dot(x, x)
        # float32's norm is a float32, as NumPy's (float64's square root
        # rounded once more is float32's, correctly rounded)
        return _in_type_of(math.sqrt(s), s)
    if len(x) == 0:
        return 0.0 + (_real_zero(x) if not _holds_integers(x) else 0.0)
    if ord == np.inf:
        return np.abs(x).max() + 0.0
    if ord == -np.inf:
        return np.abs(x).min() + 0.0
    if ord == 0:
        return float(np.count_nonzero(x)) + 0.0
    if ord == 1:
        return np.abs(x).sum() + 0.0
    if ord == 2:
        return _vector_norm(x, None)
    s = 0.0
    for v in x:
        s += abs(v) ** ord
    return s ** (1.0 / ord)


def _matrix_norm(a, ord):
    if ord is None:
        return _vector_norm(a.ravel(), None)
    if ord == np.inf:
        return np.abs(a).sum(axis=1).max() + 0.0
    if ord == -np.inf:
        return np.abs(a).sum(axis=1).min() + 0.0
    if ord == 1:
        return np.abs(a).sum(axis=0).max() + 0.0
    if ord == -1:
        return np.abs(a).sum(axis=0).min() + 0.0
    if ord == 2:
        return _singular_values(a).max() + 0.0
    if ord == -2:
        return _singular_values(a).min() + 0.0
    raise ValueError("Invalid norm order for matrices.")


def norm(x, ord=None):
    if x.ndim == 0:
        if ord is None:         # NumPy's: the flattened array's norm
            return _vector_norm(x.reshape(1), ord)
    if x.ndim == 1:
        return _vector_norm(x, ord)
    if x.ndim == 2:
        if x.size == 0:
            return 0.0
        return _matrix_norm(x, ord)
    raise ValueError("Improper number of dimensions to norm.")


def pinv(a, rcond=1e-15):
    """V S+ U^H from gesdd's factors, with one gemm over the singular
    values above rcond times the largest, as Numba computes it (the same
    bits as its result); S+ scales the smaller of the two factors."""
    _expect(a, "matrix")
    u, s, vh = _gesdd(a, False, True)
    m, n = a.shape
    k = min(m, n)
    # gesdd's own column-major buffers: u's is (k, m), vh's (n, k)
    ub = u.T
    vb = vh.T
    out = np.empty((m, n), ub.dtype)
    if k == 0:
        out[...] = 0
        return out.T
    cut_at = s[0] * rcond
    cut = 0
    for p in range(k):
        if s[p] > cut_at:
            s[p] = 1.0 / s[p]
            cut = p
    cut += 1
    if m >= n:
        for i in range(n):
            for j in range(cut):
                vb[i, j] = vb[i, j] * s[j]
    else:
        for i in range(cut):
            for j in range(m):
                ub[i, j] = ub[i, j] * s[i]
    one = _blas_zero(a) + 1
    zero = _blas_zero(a)
    if _holds_complex(a):
        _linalg("gemm", "C", "C", n, m, cut, one, vb, k, ub, m, zero, out,
                n)
    else:
        _linalg("gemm", "T", "T", n, m, cut, one, vb, k, ub, m, zero, out,
                n)
    return out.T


def matrix_power(a, n):
    _expect(a, "matrix")
    _square(a)
    if n < 0:
        base = inv(a)
        k = -n
    else:
        base = _same(a, _blas_zero(a))
        k = n
    out = np.zeros(base.shape, base.dtype)
    for i in range(a.shape[0]):
        out[i, i] = 1
    while k > 0:
        if k & 1:
            out = _matrix_product(out, base)
        k >>= 1
        if k > 0:
            base = _matrix_product(base, base)
    return out


def _eps(a):
    single = a.itemsize == (8 if _holds_complex(a) else 4)
    return 1.1920928955078125e-07 if single else 2.220446049250313e-16


def matrix_rank(a, tol=None):
    if a.ndim == 1:
        for x in a:
            if x != 0:
                return 1
        return 0
    s = _singular_values(a)
    if s.size == 0:
        return 0
    if tol is None:
        t = s.max() * max(a.shape[0], a.shape[1]) * _eps(a)
    else:
        t = tol
    r = 0
    for x in s:
        if x > t:
            r += 1
    return r


def cond(a, p=None):
    _expect(a, "matrix")
    if p is None:
        s = _singular_values(a)
        return s[0] / s[len(s) - 1]
    return _matrix_norm(a, p) * _matrix_norm(inv(a), p)


FUNCTIONS = {
    "dot": dot, "matmul": matmul, "vdot": vdot, "outer": outer,
    "kron": kron, "trace": trace,
    np.linalg.solve: solve, np.linalg.inv: inv, np.linalg.det: det,
    np.linalg.slogdet: slogdet, np.linalg.eig: eig,
    np.linalg.eigvals: eigvals, np.linalg.eigh: eigh,
    np.linalg.eigvalsh: eigvalsh, np.linalg.svd: svd, np.linalg.qr: qr,
    np.linalg.cholesky: cholesky, np.linalg.lstsq: lstsq,
    np.linalg.norm: norm, np.linalg.pinv: pinv,
    np.linalg.matrix_power: matrix_power,
    np.linalg.matrix_rank: matrix_rank, np.linalg.cond: cond,
}

METHODS = ("dot",)

HELPERS = (_check_aligned, _leading, _matrix_product, _solve_rhs, _blas_zero, _lin_alg_check,
           _square, _finite, _columns, _transposed, _same, _ld, _gemm, _inc, _gemv,
           _vector_dot_blas, _blas_dot, _vector_dot_strided, _numpy_dot,
           _vdot, _vector_dot_loop, _in_promoted_dtype,
           _in_type_of,
           _blas_operands, _product,
           _conj, _lapack_matrix, _work, _size, _lu, _lu_parts, _geev,
           _check_converged, _heevd, _gesdd, _singular_values,
           _vector_norm, _matrix_norm, _eps)
