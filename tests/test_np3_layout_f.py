"""Fortran-contiguous arrays typed as layout F, as Numba types them
(csrc/arrays.c): pyjit.typeof against numba.typeof over many shapes
(extents 0 and 1 among them), the signature spelling float64[::1, :], the
layouts views keep (a.T, a[:, j], a[:, lo:hi], a[i]), and differential
tests against NumPy of reading, writing, iterating, ravel/flatten, a.flat,
np.asfortranarray and np.ascontiguousarray on F arrays, each compiled in
nopython mode.
"""
import itertools

import numba
import numpy as np
import pytest

import pyjit
from difftest import assert_compiled
from np_arrays import assert_same_array
from pyjit import njit

SHAPES_2D = [(0, 0), (0, 3), (3, 0), (1, 1), (1, 4), (4, 1), (2, 3), (5, 7)]
SHAPES_3D = [(0, 2, 3), (1, 1, 1), (2, 1, 3), (3, 4, 1), (2, 3, 4)]
SHAPES = [(0,), (1,), (5,)] + SHAPES_2D + SHAPES_3D


def some_arrays(dtype=np.float64):
    """Arrays of every shape in C and F order, transposed, strided and
    reversed: the views whose layout typeof must tell."""
    rng = np.random.default_rng(0)
    for shape in SHAPES:
        c = (rng.standard_normal(shape) * 10).astype(dtype)
        f = np.asfortranarray(c)
        yield from (c, f, c.T, f.T, c[..., ::2], f[::2], c[::-1])
        if c.ndim > 1:
            yield f[:, 1:]


def test_typeof_is_numbas():
    for dtype in (np.float64, np.int32, np.complex128, np.bool_):
        for a in some_arrays(dtype):
            assert str(pyjit.typeof(a)) == str(numba.typeof(a)), (a.shape,
                                                                  a.strides)
    ro = np.asfortranarray(np.ones((2, 3)))
    ro.flags.writeable = False
    assert str(pyjit.typeof(ro)) == str(numba.typeof(ro))


def test_signature_spelling():
    assert str(pyjit.float64[::1, :]) == "array(float64, 2d, F)"
    assert str(pyjit.int32[::1, :, :]) == "array(int32, 3d, F)"
    assert str(pyjit.float64[:, ::1]) == "array(float64, 2d, C)"
    assert str(pyjit.float64[::1]) == "array(float64, 1d, C)"
    assert pyjit.float64[::1, :].layout == "F"
    assert str(pyjit.types.Array(pyjit.float64, 2, "F")) == \
        "array(float64, 2d, F)"
    assert str(pyjit.types.Array(pyjit.float64, 1, "F")) == \
        "array(float64, 1d, C)"
    for bad in ((slice(None), slice(None, None, 1), slice(None)),
                (slice(None, None, 1), slice(None, None, 1))):
        with pytest.raises(TypeError, match="Fortran contiguous"):
            pyjit.float64[bad]


def column_sums(a):
    n, m = a.shape
    out = np.zeros(m)
    for j in range(m):
        for i in range(n):
            out[j] += a[i, j] * (i + 1)
    return out


def test_explicit_f_signature():
    f = njit("float64[:](float64[::1, :])")(column_sums)
    for shape in SHAPES_2D:
        a = np.asfortranarray(np.arange(np.prod(shape), dtype=np.float64)
                              .reshape(shape))
        if min(shape) > 1:
            assert_same_array(f(a), column_sums(a), where=str(shape))
        else:
            # both C and F contiguous: typed C, as Numba does, which an F
            # signature does not take (nor does Numba's)
            with pytest.raises(TypeError, match="No matching definition"):
                f(a)
    with pytest.raises(TypeError, match="No matching definition"):
        f(np.ones((3, 4)))
    g = njit("float64[:](float64[:, :])")(column_sums)     # F passes as A
    a = np.asfortranarray(np.ones((3, 4)))
    assert_same_array(g(a), column_sums(a))


@njit
def fill_and_read(a, out):
    # writes and reads an F array element by element, first index fastest
    n, m = a.shape
    for j in range(m):
        for i in range(n):
            out[i, j] = a[i, j] * 2.0 + j
    s = 0.0
    for i in range(n):
        for j in range(m):
            s += out[i, j] * (i - j)
    return s


@njit
def read_3d(a):
    n, m, k = a.shape
    s = 0.0
    for i in range(n):
        for j in range(m):
            for l in range(k):
                s += a[i, j, l] * (1 + i + 10 * j + 100 * l)
    return s


def test_element_access():
    for shape in SHAPES_2D:
        a = np.asfortranarray(np.random.default_rng(1).random(shape))
        out, want = np.zeros(shape, order="F"), np.zeros(shape, order="F")
        assert fill_and_read(a, out) == fill_and_read.py_func(a, want)
        assert_same_array(out, want, where=str(shape))
    for shape in SHAPES_3D:
        a = np.random.default_rng(2).random(shape)
        for view in (np.asfortranarray(a), a, a.T, np.asfortranarray(a).T):
            assert read_3d(view) == read_3d.py_func(view)
    assert_compiled(fill_and_read)
    assert_compiled(read_3d)


@njit
def views(a):
    # each view of an F array, and what it holds
    t = a.T
    col = a[:, 0]
    cols = a[:, 1:]
    row = a[0]
    return t, col, cols, row, t[0], a[:, :]


@njit
def view_types(a):
    return views(a)


def test_views_keep_numbas_layouts():
    a = np.asfortranarray(np.arange(12.0).reshape(3, 4))
    got = views(a)
    want = views.py_func(a)
    for g, w in zip(got, want):
        assert_same_array(g, w)
    names = [str(pyjit.typeof(g)) for g in got]
    # the layouts Numba gives these views
    assert names == [str(numba.typeof(v)) for v in
                     numba.njit(views.py_func)(a)]
    assert names[:4] == ["array(float64, 2d, C)", "array(float64, 1d, C)",
                         "array(float64, 2d, F)", "array(float64, 1d, A)"]


@njit
def orders(a):
    flat = [x for x in a.flat]
    rows = [r.sum() for r in a]
    return np.array(flat), np.array(rows), a.ravel(), a.flatten(), a.copy()


def test_iteration_and_copies_are_in_c_order():
    for shape in SHAPES_2D + SHAPES_3D:
        base = np.arange(np.prod(shape), dtype=np.float64).reshape(shape)
        for a in (np.asfortranarray(base), base.T, np.asfortranarray(base).T):
            got, want = orders(a), orders.py_func(a)
            for g, w in zip(got, want):
                assert_same_array(g, w, where=str(a.shape))
            assert got[-1].flags.c_contiguous
    assert_compiled(orders)


@njit
def to_fortran(a):
    return np.asfortranarray(a)


@njit
def to_c(a):
    return np.ascontiguousarray(a)


@pytest.mark.parametrize("f, layout", [(to_fortran, "F"), (to_c, "C")])
def test_layout_conversions(f, layout):
    for a in itertools.chain(some_arrays(), some_arrays(np.int16)):
        got, want = f(a), f.py_func(a)
        assert_same_array(got, want, where=str(a.shape))
        assert got.flags.c_contiguous == want.flags.c_contiguous
        assert got.flags.f_contiguous == want.flags.f_contiguous
        # a itself when it is typed with the layout asked, as NumPy gives
        # (which also does so when a is both C and F contiguous)
        if pyjit.typeof(a).layout == layout and a.size:
            assert np.shares_memory(got, a)
        assert str(pyjit.typeof(got)) == str(numba.typeof(want))
    assert_compiled(f)


@njit
def either(a, flag):
    b = a if flag else a.T      # F and C join as A
    return b[0, 1] + b.sum()


def test_f_and_c_join_as_a():
    a = np.asfortranarray(np.arange(6.0).reshape(2, 3))
    c = np.arange(9.0).reshape(3, 3)
    for x in (a, c):
        for flag in (True, False):
            if not flag and x is a:
                continue
            assert either(x, flag) == either.py_func(x, flag)
    assert either(np.asfortranarray(c), False) == \
        either.py_func(np.asfortranarray(c), False)
    assert_compiled(either)


@pyjit.guvectorize(["void(float64[::1, :], float64[:])"], "(n,m)->(m)")
def gu_column_sums(a, out):
    n, m = a.shape
    for j in range(m):
        s = 0.0
        for i in range(n):
            s += a[i, j] * (i + 1)
        out[j] = s


def test_gufunc_core_typed_f():
    for shape in [(2, 3, 4), (1, 5, 2), (3, 2, 2)]:
        # each core a[k] Fortran contiguous
        a = np.random.default_rng(4).random(shape)
        cores = np.asfortranarray(a.transpose(1, 2, 0)).transpose(2, 0, 1)
        want = (a * np.arange(1, shape[1] + 1)[:, None]).sum(axis=1)
        np.testing.assert_allclose(gu_column_sums(cores), want, rtol=1e-15)
    with pytest.raises(ValueError, match="not contiguous in that order"):
        gu_column_sums(np.ones((2, 3, 4)))


@njit
def made_like(a):
    return (np.copy(a), np.empty_like(a), np.zeros_like(a), np.ones_like(a),
            np.full_like(a, 2.5), a.copy())


def test_like_and_copy_keep_numbas_layouts():
    for shape in SHAPES_2D + SHAPES_3D:
        base = np.arange(np.prod(shape), dtype=np.float64).reshape(shape)
        for a in (base, np.asfortranarray(base), base.T):
            got, want = made_like(a), made_like.py_func(a)
            for k, (g, w) in enumerate(zip(got, want)):
                if k != 1:              # empty_like's values are not set
                    assert_same_array(g, w, where=f"{k} {a.shape}")
                assert g.shape == w.shape and g.dtype == w.dtype
                assert g.flags.c_contiguous == w.flags.c_contiguous, k
                assert g.flags.f_contiguous == w.flags.f_contiguous, k
            a_type = pyjit.typeof(a)
            names = [str(pyjit.typeof(g)) for g in got]
            # Numba's: the *_like forms and np.copy keep F, a.copy() is C
            want_names = [str(a_type).replace(", A)", ", C)")] * 5 \
                + [str(a_type).replace(", F)", ", C)").replace(", A)", ", C)")]
            assert names == want_names, (a.shape, names)
    assert_compiled(made_like)
