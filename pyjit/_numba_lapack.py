"""numba.np.linalg._LAPACK: the LAPACK entry points Numba's np.linalg is
built on, which some programs call themselves from an @overload
(QuantEcon's solve: `_LAPACK().numba_xgesv(a.dtype)`, then
`numba_xgesv(kind, n, nrhs, a.ctypes, n, ipiv.ctypes, b.ctypes, n)`).

Each routine takes what Numba's does: the kind (ord of 's', 'd', 'c' or
'z'), the sizes, and arrays as their `a.ctypes` (pyjit/_np_extra3.py),
whose memory LAPACK reads and writes in column-major order as it lies;
and returns LAPACK's info, as Numba's do: 0, or the positive status of a
singular or not positive-definite matrix.  An invalid argument (a
negative info) is Numba's RuntimeError.  The routine runs in the
precision of the first array's dtype, which the kind names in a correct
call; the calls go through _linalg (csrc/linalg.c) to the LAPACK SciPy
was built with, as np.linalg's do.
"""
import numpy as np

from ._core import _linalg
from .decorators import njit


@njit
def _checked(info, routine):
    if info < 0:
        raise RuntimeError("LAPACK Error: Routine " + routine
                           + ". On input " + str(-info) + "\n")
    return np.int32(info)


@njit
def numba_xgesv(kind, n, nrhs, a, lda, ipiv, b, ldb):
    """Solves a x = b for the nrhs columns of b, in place: b becomes x, a
    its LU factors, ipiv their pivots."""
    info = _linalg("gesv", n, nrhs, a.array, lda, ipiv.array, b.array, ldb)
    return _checked(info, "xgesv")


@njit
def numba_xxgetrf(kind, m, n, a, lda, ipiv):
    """a's LU factorization, in place."""
    return _checked(_linalg("getrf", m, n, a.array, lda, ipiv.array),
                    "xxgetrf")


@njit
def numba_ez_xxgetri(kind, n, a, lda, ipiv):
    """The inverse from getrf's factors, in place; the workspace is the
    size LAPACK asks for."""
    query = np.empty(1, a.array.dtype)
    info = _linalg("getri", n, a.array, lda, ipiv.array, query, -1)
    _checked(info, "xxgetri")
    work = np.empty(max(1, int(query[0].real)), a.array.dtype)
    info = _linalg("getri", n, a.array, lda, ipiv.array, work, len(work))
    return _checked(info, "xxgetri")


@njit
def numba_xxpotrf(kind, uplo, n, a, lda):
    """a's Cholesky factor, in place, in the triangle uplo names (ord of
    'U' or 'L')."""
    if uplo == ord("U"):
        info = _linalg("potrf", "U", n, a.array, lda)
    else:
        info = _linalg("potrf", "L", n, a.array, lda)
    return _checked(info, "xxpotrf")


ROUTINES = {"numba_xgesv": numba_xgesv, "numba_xxgetrf": numba_xxgetrf,
            "numba_ez_xxgetri": numba_ez_xxgetri,
            "numba_xxpotrf": numba_xxpotrf}
