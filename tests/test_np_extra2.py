"""np.broadcast_shapes/arrays, np.diagflat, np.dstack, np.row_stack,
np.dsplit, np.geomspace, np.indices, np.roots, np.tril/triu_indices_from,
np.unwrap, np.frombuffer, np.dtype, np.polynomial's functions and the
typing errors of np.linalg and np.concatenate against NumPy itself, over
seeded inputs (empty, non-contiguous, several dtypes), each checking
nopython compilation."""
import warnings

import numpy as np
import pytest
from numpy.polynomial import polynomial as P
from numpy.polynomial import polyutils as pu

from pyjit import TypingError, njit

from difftest import assert_compiled
from np_arrays import same

RNG = np.random.default_rng(12)
DTYPES = (np.bool_, np.int32, np.int64, np.float32, np.float64,
          np.complex128)


def versions(a):
    """a, a non-contiguous view of the same values, and a transposed
    copy's transpose (F order)."""
    out = [a]
    if a.ndim >= 1:
        wide = np.repeat(a, 2, axis=a.ndim - 1)
        out.append(wide[..., ::2])
    if a.ndim >= 2:
        out.append(np.asfortranarray(a))
    return out


def array(shape, dtype):
    if np.dtype(dtype).kind == "b":
        return RNG.integers(0, 2, shape).astype(np.bool_)
    if np.dtype(dtype).kind in "iu":
        return RNG.integers(-9, 10, shape).astype(dtype)
    a = RNG.normal(0, 4, shape)
    if np.dtype(dtype).kind == "c":
        a = a + 1j * RNG.normal(0, 4, shape)
    return a.astype(dtype)


def check(f, np_f, *args, exact=True):
    """f compiled against np_f on args: the same result, or the same
    exception class."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            want = np_f(*args)
    except Exception as e:          # noqa: BLE001
        with pytest.raises(type(e)):
            f(*args)
        return
    same(f(*args), want, exact, rtol=1e-10)
    assert_compiled(f)


# --- broadcasting ---

@njit
def bshapes(a, b, n):
    return np.broadcast_shapes(a, b, n), np.broadcast_shapes(a), \
        np.broadcast_shapes()


SHAPES = [(), (1,), (3,), (0,), (2, 1), (1, 3), (2, 3), (4, 1, 1),
          (1, 0), (3, 2)]


def test_broadcast_shapes():
    for a in SHAPES[1:]:
        for b in SHAPES[1:]:
            for n in (1, 3, 0):
                check(bshapes, lambda a, b, n: (np.broadcast_shapes(a, b, n),
                                                np.broadcast_shapes(a), ()),
                      a, b, n)


@njit
def barrays2(a, b):
    return np.broadcast_arrays(a, b)


@njit
def barrays_num(a):
    return np.broadcast_arrays(a, 2.5)


def test_broadcast_arrays():
    for sa in SHAPES[1:]:
        for sb in SHAPES[1:]:
            for dtype in (np.int64, np.float64, np.complex128):
                for a in versions(array(sa, dtype)):
                    b = array(sb, dtype)
                    check(barrays2, lambda a, b: list(np.broadcast_arrays(
                        a, b)), a, b)
        a = array(sa, np.float64)
        check(barrays_num, lambda a: list(np.broadcast_arrays(a, 2.5)), a)
    got = barrays2(np.ones(3), np.ones((2, 3)))
    assert not got[0].flags.writeable


def test_broadcast_arrays_of_two_dtypes_is_a_typing_error():
    with pytest.raises(TypingError, match="one dtype"):
        barrays2(np.ones(3), np.ones(3, np.int64))


# --- making and joining arrays ---

@njit
def diagflats(v, k):
    return np.diagflat(v), np.diagflat(v, k)


def test_diagflat():
    for shape in [(0,), (1,), (4,), (2, 3), (0, 2)]:
        for dtype in DTYPES:
            for v in versions(array(shape, dtype)):
                for k in (-3, -1, 0, 2):
                    check(diagflats, lambda v, k: (np.diagflat(v),
                                                   np.diagflat(v, k)), v, k)
    check(njit(lambda: np.diagflat(3.0)), lambda: np.diagflat(3.0))


@njit
def dstack2(a, b):
    return np.dstack((a, b))


@njit
def dstack_list(a):
    return np.dstack([a, a, a])


def test_dstack():
    cases = [((3,), (3,)), ((0,), (0,)), ((2, 3), (2, 3)), ((3,), (1, 3)),
             ((2, 2, 1), (2, 2, 3)), ((2, 3), (3, 3)), ((2, 2, 2), (2, 3, 1))]
    for sa, sb in cases:
        for da, db in [(np.float64, np.float64), (np.int32, np.float32),
                       (np.bool_, np.int64), (np.complex128, np.float64)]:
            made = array(sa, da)
            for a in versions(made) if da == np.float64 else [made]:
                b = array(sb, db)
                check(dstack2, lambda a, b: np.dstack((a, b)), a, b)
                check(dstack_list, lambda a: np.dstack([a, a, a]), a)


@njit
def row_stacks(a, b):
    return np.row_stack((a, b))


def test_row_stack():
    for sa, sb in [((3,), (3,)), ((2, 3), (1, 3)), ((0,), (0,)),
                   ((3,), (4,))]:
        for a in versions(array(sa, np.float64)):
            check(row_stacks, lambda a, b: np.vstack((a, b)), a,
                  array(sb, np.int64))


@njit
def dsplits(a, n, idx):
    return np.dsplit(a, n), np.dsplit(a, idx)


def test_dsplit():
    for shape in [(2, 2, 4), (1, 3, 6, 2), (2, 1, 0), (3, 2, 3)]:
        for a in versions(array(shape, np.float64)):
            for n in (1, 2, 3):
                idx = np.array([1, 3, 9])
                check(dsplits, lambda a, n, idx: (np.dsplit(a, n),
                                                  np.dsplit(a, idx)),
                      a, n, idx)
    with pytest.raises(ValueError, match="3 or more dimensions"):
        dsplits(np.ones((2, 2)), 1, np.array([1]))


@njit
def geomspaces(a, b, n, endpoint):
    return np.geomspace(a, b), np.geomspace(a, b, n, endpoint)


def test_geomspace():
    values = [1, 1000, -1, -3.5, 0.25, 1e-3, 7.0, 0, 2 + 1j, -1 + 0j, 1j]
    for a in values:
        for b in values:
            if isinstance(a, complex) != isinstance(b, complex):
                continue
            for n in (0, 1, 2, 5):
                for endpoint in (True, False):
                    check(geomspaces, lambda a, b, n, e: (
                        np.geomspace(a, b), np.geomspace(a, b, n, e)),
                        a, b, n, endpoint, exact=False)


@njit
def indices_of(shape):
    return np.indices(shape)


def test_indices():
    for shape in [(3,), (0,), (2, 3), (2, 0, 4), (1, 2, 3, 2)]:
        check(indices_of, np.indices, shape)


@njit
def tri_from(a, k):
    return (np.tril_indices_from(a), np.tril_indices_from(a, k),
            np.triu_indices_from(a), np.triu_indices_from(a, k))


def test_tri_indices_from():
    for shape in [(3, 3), (2, 5), (5, 2), (0, 3), (1, 1)]:
        for a in versions(array(shape, np.float64)):
            for k in (-4, -1, 0, 1, 3):
                check(tri_from, lambda a, k: (
                    np.tril_indices_from(a), np.tril_indices_from(a, k),
                    np.triu_indices_from(a), np.triu_indices_from(a, k)),
                    a, k)
    with pytest.raises(TypingError, match="2-D arrays"):
        tri_from(np.ones(3), 0)


# --- roots and phases ---

@njit
def roots_of(p):
    return np.roots(p)


def sorted_roots(r):
    return r[np.lexsort((r.imag, r.real))] if r.size else r


def test_roots():
    for n in range(0, 7):
        for dtype in (np.int64, np.float64, np.float32, np.complex128):
            for lead, trail in [(0, 0), (1, 0), (0, 2), (2, 1)]:
                p = np.concatenate([np.zeros(lead, dtype),
                                    array(n, dtype), np.zeros(trail, dtype)])
                want = np.roots(p)
                if want.dtype.kind == "c" and p.dtype.kind != "c":
                    # Numba's: real polynomials have real roots or fail
                    with pytest.raises(ValueError, match="domain change"):
                        roots_of(p)
                    continue
                if np.count_nonzero(p) < 2 or n < 2:
                    # NumPy's float64 when there is no eigenvalue problem;
                    # compiled code keeps the dtype it has otherwise
                    want = want.astype(np.result_type(p.dtype, np.float16))
                for q in versions(p):
                    got = roots_of(q)
                    assert got.dtype == want.dtype
                    np.testing.assert_allclose(
                        sorted_roots(got), sorted_roots(want),
                        rtol=1e-4 if dtype == np.float32 else 1e-8,
                        atol=1e-4 if dtype == np.float32 else 1e-8)
    # a real polynomial with real roots
    same(roots_of(np.array([1.0, -6.0, 11.0, -6.0])),
         np.roots(np.array([1.0, -6.0, 11.0, -6.0])), exact=False)
    assert_compiled(roots_of)
    with pytest.raises(ValueError):
        roots_of(np.ones((2, 2)))


@njit
def unwraps(p):
    return np.unwrap(p), np.unwrap(p, 1.0), np.unwrap(p, period=6)


@njit
def unwrap_period(p, discont, period):
    return np.unwrap(p, discont, period=period)


def test_unwrap():
    for shape in [(0,), (7,), (3, 5), (2, 2, 4)]:
        for dtype in (np.float64, np.float32, np.int64):
            p = (array(shape, dtype) * 3).astype(dtype)
            for q in versions(p) if dtype == np.float64 else [p]:
                check(unwraps, lambda p: (np.unwrap(p), np.unwrap(p, 1.0),
                                          np.unwrap(p, period=6)), q)
                check(unwrap_period, lambda p, d, t: np.unwrap(
                    p, d, period=t), q, 2.0, 5.5)
    # exactly half a period: NumPy's choice of sign
    p = np.array([0.0, np.pi, 0.0, -np.pi, 2 * np.pi, 0.0])
    check(unwraps, lambda p: (np.unwrap(p), np.unwrap(p, 1.0),
                              np.unwrap(p, period=6)), p)
    q = np.array([0, 3, 0, -3, 9, 1])
    check(unwraps, lambda p: (np.unwrap(p), np.unwrap(p, 1.0),
                              np.unwrap(p, period=6)), q)


# --- buffers and dtypes ---

@njit
def from_buffer(b):
    return np.frombuffer(b, np.int16), np.frombuffer(b, np.uint8)


@njit
def from_buffer_float(b):
    return np.frombuffer(b)


def test_frombuffer():
    for n in (0, 2, 4, 8, 16):
        raw = bytes(RNG.integers(0, 256, n).astype(np.uint8))
        for b in (raw, bytearray(raw)):
            check(from_buffer, lambda b: (np.frombuffer(b, np.int16),
                                          np.frombuffer(b, np.uint8)), b)
            got = from_buffer(b)[0]
            assert got.flags.writeable == isinstance(b, bytearray)
        if n % 8 == 0:
            check(from_buffer_float, np.frombuffer, raw)
    for a in (np.arange(5.0), np.arange(6, dtype=np.int32).reshape(2, 3)):
        check(from_buffer, lambda b: (np.frombuffer(b, np.int16),
                                      np.frombuffer(b, np.uint8)), a)
    with pytest.raises(ValueError, match="multiple of element size"):
        from_buffer(b"abc")
    with pytest.raises(TypingError, match="C-contiguous"):
        from_buffer(np.arange(6.0)[::2])


@njit
def dtypes_of(a):
    return (np.empty(2, np.dtype("int8")), np.zeros(2, np.dtype(a.dtype)),
            np.ones(1, np.dtype(float)), a.astype(np.dtype(np.int64)))


def test_dtype():
    for dtype in DTYPES[:-1]:
        a = array((3,), dtype)
        got = dtypes_of(a)
        assert got[0].dtype == np.int8
        same(got[1:], (np.zeros(2, a.dtype), np.ones(1),
                       a.astype(np.int64)))
    assert_compiled(dtypes_of)


# --- np.polynomial ---

@njit
def poly_arith(a, b):
    return (P.polyadd(a, b), P.polysub(a, b), P.polymul(a, b),
            pu.trimseq(a), pu.as_series((a, b)))


def poly_arith_np(a, b):
    return (P.polyadd(a, b), P.polysub(a, b), P.polymul(a, b),
            pu.trimseq(a), pu.as_series((a, b)))


@njit
def poly_div(a, b):
    return P.polydiv(a, b)


@njit
def poly_int(a, m):
    return P.polyint(a), P.polyint(a, m)


@njit
def poly_val(x, c):
    return P.polyval(x, c)


def test_polynomials():
    for na in (1, 2, 4):
        for nb in (1, 3):
            for da, db in [(np.float64, np.float64), (np.int64, np.float64),
                           (np.complex128, np.float64), (np.int64,
                                                         np.int64)]:
                a = array(na, da)
                b = array(nb, db)
                b[-1] = b[-1] if b[-1] != 0 else 1
                for x in versions(a) if da == db == np.float64 else [a]:
                    check(poly_arith, poly_arith_np, x, b, exact=False)
                    check(poly_div, P.polydiv, x, b, exact=False)
                    for m in (0, 2):
                        check(poly_int, lambda a, m: (P.polyint(a),
                                                      P.polyint(a, m)),
                              x, m, exact=False)
                    for v in (2.5, array((2, 2), np.int64)):
                        check(poly_val, P.polyval, v, x, exact=False)
    check(poly_arith, poly_arith_np, np.array([1.0, 0, 0]),
          np.array([0.0, 0.0]))
    with pytest.raises(ZeroDivisionError):
        poly_div(np.ones(3), np.zeros(2))
    with pytest.raises(ValueError, match="empty"):
        poly_arith(np.ones(0), np.ones(2))


# --- typing errors of the wrong form of argument ---

@pytest.mark.parametrize("name", ["cholesky", "eig", "eigh", "eigvals",
                                  "eigvalsh", "inv", "det", "svd", "qr",
                                  "pinv", "slogdet", "cond"])
def test_linalg_of_a_vector_is_a_typing_error(name):
    f = njit(getattr(LINALG_CALLS, name))
    with pytest.raises(TypingError,
                       match=rf"np\.linalg\.{name}\(\): only supported on "
                             r"2-D arrays \(matrices\), not "
                             r"array\(float64, 1d, C\)"):
        f(np.ones(3))


class LINALG_CALLS:
    def cholesky(a):
        return np.linalg.cholesky(a)

    def eig(a):
        return np.linalg.eig(a)

    def eigh(a):
        return np.linalg.eigh(a)

    def eigvals(a):
        return np.linalg.eigvals(a)

    def eigvalsh(a):
        return np.linalg.eigvalsh(a)

    def inv(a):
        return np.linalg.inv(a)

    def det(a):
        return np.linalg.det(a)

    def svd(a):
        return np.linalg.svd(a)

    def qr(a):
        return np.linalg.qr(a)

    def pinv(a):
        return np.linalg.pinv(a)

    def slogdet(a):
        return np.linalg.slogdet(a)

    def cond(a):
        return np.linalg.cond(a)


@njit
def concat_one(a):
    return np.concatenate(a)


@njit
def vstack_one(a):
    return np.vstack(a)


@njit
def hstack_one(a):
    return np.hstack(a)


@pytest.mark.parametrize("f,name", [(concat_one, "concatenate"),
                                    (vstack_one, "vstack"),
                                    (hstack_one, "hstack")])
def test_join_of_one_array_is_a_typing_error(f, name):
    with pytest.raises(TypingError,
                       match=rf"np\.{name}\(\): expects a tuple or list of "
                             r"arrays as its first argument, not "
                             r"array\(float64, 1d, C\)"):
        f(np.ones(3))
