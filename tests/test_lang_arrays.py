"""Differential tests: NumPy arrays passed as arguments (typing, indexing, assignment
with dtype conversion, attributes, iteration, returning views, boundscheck, explicit
array signatures, dispatch by layout).

Every differential test runs the jitted function and its Python original
(`f.py_func`) on fresh copies of the same arrays, in the same layout, and compares
both the return value and the arrays' contents afterwards.

pyjit follows Numba's scalar semantics (int64 arithmetic wraps, narrow integers widen
to int64), NumPy 2 follows NEP 50 (np.int8 + 1 stays int8): the kernels convert
elements explicitly (int(x), float(x), complex(x)) where the two would differ.
"""
import gc
import subprocess
import sys
import textwrap
import tracemalloc
import warnings

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

from difftest import SCALE, assert_same, is_pyobject, wrap64
from pyjit import TypingError, njit, typeof
from pyjit import types as T

# ---------------------------------------------------------------------------------
# settings, dtypes, layouts

FEW = settings(max_examples=60 * SCALE, deadline=None)
# tests parametrized over dtypes or index types run fewer examples each
PER_DTYPE = settings(max_examples=8 * SCALE, deadline=None)

DTYPES = [np.dtype(n) for n in ("bool", "int8", "int16", "int32", "int64", "uint8",
                                "uint16", "uint32", "uint64", "float32", "float64",
                                "complex64", "complex128")]
INTLIKE = [d for d in DTYPES if d.kind in "biu"]
REAL = [d for d in DTYPES if d.kind != "c"]
FLOATS = [d for d in DTYPES if d.kind == "f"]
COMPLEX = [d for d in DTYPES if d.kind == "c"]
INDEX_TYPES = [int, np.int8, np.int16, np.int32, np.int64,
               np.uint8, np.uint16, np.uint32, np.uint64]

# Layouts: each makes a fresh array holding `base`'s values.  Only "C" (and 1-d "F")
# is C-contiguous; the others are typed layout A.
LAYOUTS = ["C", "step", "rev", "F", "inner"]


def make(base, layout, readonly=False):
    x = base.copy()
    if layout == "step":        # every other item of the first axis
        big = np.zeros((2 * x.shape[0],) + x.shape[1:], x.dtype)
        big[::2] = x
        x = big[::2]
    elif layout == "rev":       # negative stride on the first axis
        x = x[::-1].copy()[::-1]
    elif layout == "F":
        x = np.asfortranarray(x)
    elif layout == "inner":     # every other item of the last axis
        big = np.zeros(x.shape[:-1] + (2 * x.shape[-1],), x.dtype)
        big[..., ::2] = x
        x = big[..., ::2]
    else:
        assert layout == "C"
    assert np.array_equal(x, base, equal_nan=base.dtype.kind in "fc")
    if readonly:
        x.flags.writeable = False
    return x


def root(a):
    """The array that owns a's memory (to compare whole buffers, gaps included)."""
    while isinstance(a.base, np.ndarray):
        a = a.base
    return a


def shapes(ndim, max_side=5):
    return hnp.array_shapes(min_dims=ndim, max_dims=ndim, min_side=0, max_side=max_side)


def nonempty_shapes(ndim, max_side=5):
    return hnp.array_shapes(min_dims=ndim, max_dims=ndim, min_side=1, max_side=max_side)


def arrays(dtype, shape, finite=False):
    """Arrays of dtype with hypothesis' default elements (every bit pattern of an int
    type; nan, inf, -0.0 and subnormals for floats), or finite floats/complexes."""
    elements = None
    if finite and dtype.kind == "f":
        elements = st.floats(-1e6, 1e6, width=dtype.itemsize * 8)
    elif finite and dtype.kind == "c":
        elements = st.complex_numbers(max_magnitude=1e6, allow_nan=False,
                                      allow_infinity=False, width=dtype.itemsize * 8)
    return hnp.arrays(dtype, shape, elements=elements)


# ---------------------------------------------------------------------------------
# comparison


def assert_array_same(actual, expected, where=""):
    """Same dtype, shape and values; floats bit-for-bit up to nan (signed zeros
    agree)."""
    assert isinstance(actual, np.ndarray), f"{where}: {actual!r} is not an array"
    assert actual.dtype == expected.dtype, f"{where}: dtype {actual.dtype} != {expected.dtype}"
    assert actual.shape == expected.shape, f"{where}: shape {actual.shape} != {expected.shape}"
    if expected.dtype.kind in "fc":
        parts = [np.real, np.imag] if expected.dtype.kind == "c" else [np.asarray]
        for part in parts:
            a, e = part(actual), part(expected)
            nan = np.isnan(e)
            ok = (np.array_equal(np.isnan(a), nan)
                  and np.array_equal(a[~nan], e[~nan])
                  and np.array_equal(np.signbit(a[~nan]), np.signbit(e[~nan])))
            assert ok, f"{where}: compiled\n{actual!r}\n!= python\n{expected!r}"
    else:
        assert np.array_equal(actual, expected), \
            f"{where}: compiled\n{actual!r}\n!= python\n{expected!r}"


def assert_result_same(actual, expected, where=""):
    """A jitted result against the Python one.  NumPy scalars compare by value
    (pyjit returns Python scalars); integers compare modulo 2**64 (pyjit's
    integers are 64-bit)."""
    msg = f"{where}: compiled {actual!r} != python {expected!r}"
    if isinstance(expected, np.ndarray):
        assert_array_same(actual, expected, where)
        assert actual.strides == expected.strides, msg
        return
    if isinstance(expected, tuple):
        assert isinstance(actual, tuple) and len(actual) == len(expected), msg
        for a, e in zip(actual, expected):
            assert_result_same(a, e, where)
        return
    if isinstance(expected, np.generic):
        expected = expected.item()
    if isinstance(expected, int) and not isinstance(expected, bool):
        assert type(actual) is int, msg + f" (type {type(actual).__name__})"
        assert wrap64(actual) == wrap64(expected), msg
        return
    assert_same(actual, expected, where=where)


def diff(f, make_args, compare_args=True):
    """Runs f and f.py_func on two fresh sets of arguments from make_args(); compares
    the results and (whole buffers of) the array arguments afterwards.  Returns the
    compiled result and the compiled call's arguments."""
    py_args = make_args()
    jit_args = make_args()
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = f.py_func(*py_args)
    actual = f(*jit_args)
    assert_compiled(f)
    where = f"{f.__name__}{tuple(jit_args)!r}"
    assert_result_same(actual, expected, where)
    if compare_args:
        for ja, pa in zip(jit_args, py_args):
            if isinstance(pa, np.ndarray):
                assert_array_same(root(ja), root(pa), where + " (argument after the call)")
    return actual, jit_args


def assert_compiled(f):
    """difftest.assert_compiled, reading f.overloads once (it is rebuilt on every
    access, and these dispatchers collect hundreds of specializations)."""
    sigs = f.signatures
    assert len(sigs) >= 1, f"{f.__name__} has no compiled signature"
    overloads = f.overloads
    for sig in sigs:
        assert not any(is_pyobject(t) for t in sig), f"pyobject in signature {sig}"
        assert not is_pyobject(overloads[sig].return_type), \
            f"pyobject return type for {f.__name__}{sig}"


def kind_of(dtype):
    return "i" if dtype.kind in "biu" else dtype.kind


# ---------------------------------------------------------------------------------
# kernels: reductions written as loops.  The integer ones are order-sensitive
# (s * 3 + x) so that a wrong index order shows; float sums are plain sums, exact
# because the order is Python's.


@njit
def isum1(a):
    s = 0
    for i in range(len(a)):
        s = s * 3 + int(a[i])
    return s


@njit
def fsum1(a):
    s = 0.0
    for i in range(a.shape[0]):
        s += float(a[i])
    return s


@njit
def csum1(a):
    s = 0j
    for i in range(a.size):
        s += complex(a[i]) * (i + 1)
    return s


@njit
def isum2(m):
    s = 0
    for i in range(m.shape[0]):
        for j in range(m.shape[1]):
            s = s * 3 + int(m[i, j])
    return s


@njit
def fsum2(m):
    s = 0.0
    for i in range(m.shape[0]):
        for j in range(m.shape[1]):
            s += float(m[i, j])
    return s


@njit
def csum2(m):
    s = 0j
    for i in range(m.shape[0]):
        for j in range(m.shape[1]):
            s = s * 0.5 + complex(m[i, j])
    return s


@njit
def isum3(t):
    s = 0
    n0, n1, n2 = t.shape
    for i in range(n0):
        for j in range(n1):
            for k in range(n2):
                s = s * 3 + int(t[i, j, k])
    return s


@njit
def fsum3(t):
    s = 0.0
    n0, n1, n2 = t.shape
    for i in range(n0):
        for j in range(n1):
            for k in range(n2):
                s += float(t[i, j, k])
    return s


@njit
def csum3(t):
    s = 0j
    n0, n1, n2 = t.shape
    for i in range(n0):
        for j in range(n1):
            for k in range(n2):
                s = s * 0.5 + complex(t[i, j, k])
    return s


SUMS = {1: {"i": isum1, "f": fsum1, "c": csum1},
        2: {"i": isum2, "f": fsum2, "c": csum2},
        3: {"i": isum3, "f": fsum3, "c": csum3}}


# the same through iteration, row views and negative indices


@njit
def isum1_iter(a):
    s = 0
    for x in a:
        s = s * 3 + int(x)
    return s


@njit
def isum1_reversed(a):
    s = 0
    for i in range(1, len(a) + 1):
        s = s * 3 + int(a[-i])
    return s


@njit
def isum2_rows(m):
    s = 0
    for row in m:
        for x in row:
            s = s * 3 + int(x)
    return s


@njit
def isum2_row_index(m):
    s = 0
    for i in range(len(m)):
        r = m[i]
        for j in range(len(r)):
            s = s * 3 + int(m[i][j]) - int(r[j]) + int(r[-len(r) + j])
    return s


@njit
def isum2_negative(m):
    s = 0
    for i in range(1, m.shape[0] + 1):
        for j in range(1, m.shape[1] + 1):
            s = s * 3 + int(m[-i, -j])
    return s


@njit
def isum3_iter(t):
    s = 0
    for plane in t:
        for row in plane:
            for x in row:
                s = s * 3 + int(x)
    return s


@njit
def isum3_mixed(t):
    s = 0
    for i in range(t.shape[0]):
        p = t[i]
        for j in range(t.shape[1]):
            for k in range(t.shape[2]):
                s = s * 3 + int(p[j, k]) + int(t[i, j][k]) - int(t[i][j, k])
    return s


@njit
def fsum2_rows(m):
    s = 0.0
    for row in m:
        for x in row:
            s += float(x)
    return s


@njit
def fsum3_iter(t):
    s = 0.0
    for plane in t:
        for row in plane:
            for x in row:
                s += float(x)
    return s


# dtype-generic kernels: copy elements out in iteration order into a 1-d array of the
# same dtype (no arithmetic on the elements at all)


@njit
def flat1_iter(a, out):
    k = 0
    for x in a:
        out[k] = x
        k += 1
    return k


@njit
def flat2_iter(m, out):
    k = 0
    for row in m:
        for x in row:
            out[k] = x
            k += 1
    return k


@njit
def flat3_iter(t, out):
    k = 0
    for plane in t:
        for row in plane:
            for x in row:
                out[k] = x
                k += 1
    return k


@njit
def flat2_index(m, out):
    n0, n1 = m.shape
    for i in range(n0):
        for j in range(n1):
            out[i * n1 + j] = m[i, j]
    return n0 * n1


@njit
def flat3_index(t, out):
    n0, n1, n2 = t.shape
    for i in range(n0):
        for j in range(n1):
            for k in range(n2):
                out[(i * n1 + j) * n2 + k] = t[i, j, k]
    return t.size


@njit
def flat2_enumerate(m, out):
    n1 = m.shape[1]
    last = -1
    for i, row in enumerate(m):
        for j, x in enumerate(row):
            out[i * n1 + j] = x
            last = i * n1 + j
    return last


@njit
def zip_pairs(a, b, out):
    k = 0
    for x, y in zip(a, b):
        out[2 * k] = x
        out[2 * k + 1] = y
        k += 1
    return k


@njit
def zip_rows(m, n, out):
    k = 0
    for r, q in zip(m, n):
        for x, y in zip(r, q):
            out[k] = x
            out[k + 1] = y
            k += 2
    return k


FLATS = {1: flat1_iter, 2: flat2_iter, 3: flat3_iter}


# other reductions


@njit
def argmax1(a):
    best = 0
    for i in range(1, len(a)):
        if a[i] > a[best]:
            best = i
    return best, a[best]


@njit
def argmin2(m):
    bi = 0
    bj = 0
    for i in range(m.shape[0]):
        for j in range(m.shape[1]):
            if m[i, j] < m[bi, bj]:
                bi = i
                bj = j
    return bi, bj, m[bi, bj]


@njit
def count_nonzero(a):
    n = 0
    for x in a:
        if x != 0:
            n += 1
    return n


@njit
def count_true(a):
    n = 0
    for x in a:
        if x:
            n += 1
    return n


@njit
def dot(a, b):
    s = 0.0
    for i in range(len(a)):
        s += a[i] * b[i]
    return s


@njit
def first_last(a):
    return a[0], a[-1], a[len(a) - 1]


@njit
def corners(m):
    return m[0, 0], m[0, -1], m[-1, 0], m[-1, -1]


# in-place updates


@njit
def scale1(a, k):
    for i in range(len(a)):
        a[i] = a[i] * k


@njit
def scale2(m, k):
    for i in range(m.shape[0]):
        for j in range(m.shape[1]):
            m[i, j] = m[i, j] * k


@njit
def scale3(t, k):
    for i in range(t.shape[0]):
        for j in range(t.shape[1]):
            for l in range(t.shape[2]):
                t[i, j, l] *= k


@njit
def clip1(a, lo, hi):
    n = 0
    for i in range(len(a)):
        if a[i] < lo:
            a[i] = lo
            n += 1
        elif a[i] > hi:
            a[i] = hi
            n += 1
    return n


@njit
def clip2(m, lo, hi):
    n = 0
    for i in range(m.shape[0]):
        for j in range(m.shape[1]):
            if m[i, j] < lo:
                m[i, j] = lo
                n += 1
            elif m[i, j] > hi:
                m[i, j] = hi
                n += 1
    return n


@njit
def cumsum1(a):
    for i in range(1, len(a)):
        a[i] = a[i] + a[i - 1]


@njit
def cumsum_rows(m):
    for i in range(1, m.shape[0]):
        for j in range(m.shape[1]):
            m[i, j] += m[i - 1, j]


@njit
def cumsum_cols_views(m):
    for row in m:
        for j in range(1, len(row)):
            row[j] = row[j] + row[j - 1]


@njit
def reverse1(a):
    n = len(a)
    for i in range(n // 2):
        a[i], a[n - 1 - i] = a[n - 1 - i], a[i]


@njit
def transpose_square(m):
    for i in range(m.shape[0]):
        for j in range(i + 1, m.shape[1]):
            m[i, j], m[j, i] = m[j, i], m[i, j]


@njit
def fill_index(t):
    n0, n1, n2 = t.shape
    for i in range(n0):
        for j in range(n1):
            for k in range(n2):
                t[i, j, k] = (i * n1 + j) * n2 + k


@njit
def add_into(dst, src):
    for i in range(len(dst)):
        dst[i] = dst[i] + src[i]


# indexing with index values of any integer type


@njit
def get1(a, i):
    return a[i]


@njit
def get2(m, i, j):
    return m[i, j]


@njit
def get2_tuple(m, i, j):
    t = (i, j)
    return m[t]


@njit
def get2_chained(m, i, j):
    return m[i][j]


@njit
def set1(a, i, v):
    a[i] = v


@njit
def set2(m, i, j, v):
    m[i, j] = v


@njit
def set3(t, i, j, k, v):
    t[i, j, k] = v


@njit
def set_row_view(m, i, j, v):
    r = m[i]
    r[j] = v
    return r[j]


@njit
def set_const(m, v):
    m[0, -1] = v
    m[-1, 0] = v + 1


# attributes


@njit
def attrs(a):
    return a.shape, a.strides, a.ndim, a.size, a.itemsize, len(a)


@njit
def shape_math(m):
    n, k = m.shape
    s0, s1 = m.strides
    return n * k == m.size, s0 * 2 + s1, m.ndim * 10 + m.itemsize


# returning arrays


@njit
def ident(a):
    return a


@njit
def row(m, i):
    return m[i]


@njit
def last_row(m):
    return m[-1]


@njit
def line3(t, i, j):
    return t[i, j]


@njit
def plane3(t, i):
    return t[i]


@njit
def view_and_elem(m, i, j):
    return m[i], m[i, j], m


@njit
def row_via_call(m, i):
    return row(m, i)


@njit
def first_of_tuple(t):
    return t[0]


@njit
def pick(a, b, first):
    return a if first else b


# calls between jitted functions


@njit
def row_sum(r):
    s = 0.0
    for x in r:
        s += float(x)
    return s


@njit
def weighted_row_sums(m):
    s = 0.0
    for i in range(len(m)):
        s = s * 0.5 + row_sum(m[i])
    return s


@njit
def bump(a, i):
    a[i] = a[i] + 1


@njit
def bump_all_rows(m):
    for r in m:
        for j in range(len(r)):
            bump(r, j)
    return m


# ---------------------------------------------------------------------------------
# typing


def test_typeof_arrays():
    assert str(typeof(np.zeros(3))) == "array(float64, 1d, C)"
    assert str(typeof(np.zeros((2, 3), np.int8))) == "array(int8, 2d, C)"
    assert str(typeof(np.zeros((2, 3, 4), np.complex64))) == "array(complex64, 3d, C)"
    assert str(typeof(np.zeros(6)[::2])) == "array(float64, 1d, A)"
    assert str(typeof(np.zeros(6)[::-1])) == "array(float64, 1d, A)"
    # Fortran-contiguous arrays are F, as Numba types them
    assert str(typeof(np.zeros((2, 3)).T)) == "array(float64, 2d, F)"
    assert str(typeof(np.asfortranarray(np.zeros((2, 3))))) == "array(float64, 2d, F)"
    assert str(typeof(np.zeros((4, 3))[:, 1])) == "array(float64, 1d, A)"
    # a 1-d slice of a row is still C-contiguous
    assert str(typeof(np.zeros((4, 3))[1])) == "array(float64, 1d, C)"
    ro = np.zeros(3)
    ro.flags.writeable = False
    assert str(typeof(ro)) == "readonly array(float64, 1d, C)"
    names = {"bool": "bool", "int8": "int8", "int16": "int16", "int32": "int32",
             "int64": "int64", "uint8": "uint8", "uint16": "uint16",
             "uint32": "uint32", "uint64": "uint64", "float32": "float32",
             "float64": "float64", "complex64": "complex64",
             "complex128": "complex128"}
    for dt in DTYPES:
        assert str(typeof(np.zeros(2, dt))) == f"array({names[dt.name]}, 1d, C)"
    # C long long is int64 on this platform
    assert str(typeof(np.zeros(2, np.longlong))) == "array(int64, 1d, C)"
    assert str(typeof(np.zeros(2, np.ulonglong))) == "array(uint64, 1d, C)"


def test_array_type_spellings():
    f8 = T.float64
    assert T.Array(f8, 2, "C") is f8[:, ::1]
    assert T.Array(f8, 1) == f8[:] == T.Array(f8, 1, "A")
    assert T.Array(f8, 1, "C") == f8[::1]
    assert str(T.Array(f8, 2, "C")) == "array(float64, 2d, C)"
    assert str(T.int8[:, :, :]) == "array(int8, 3d, A)"
    assert str(T.Array(f8, 1, "C", readonly=True)) == "readonly array(float64, 1d, C)"
    assert typeof(np.zeros((2, 2))) == T.Array(f8, 2, "C")
    assert typeof(np.zeros((2, 2)).T) == f8[::1, :]      # F, as in Numba
    assert typeof(np.zeros((2, 4))[:, ::2]) == f8[:, :]
    assert typeof(np.zeros(3, np.complex64)) == T.complex64[::1]
    assert T.Array(f8, 1, "C") != T.Array(f8, 1, "A")
    assert typeof(np.zeros(())) == T.Array(f8, 0, "C")
    assert T.Array(f8, 1, "C") != T.Array(T.float32, 1, "C")


UNTYPABLE = {
    "float16": lambda: np.zeros(3, np.float16),
    "longdouble": lambda: np.zeros(3, np.longdouble),
    "object": lambda: np.array([1, "a", None], dtype=object),
    "byte-swapped unicode": lambda: np.array(["ab", "c"], dtype=">U2"),
    "datetime of a unit multiple": lambda: np.zeros(3, dtype="M8[5s]"),
    "structured, object field": lambda: np.zeros(3, dtype=[("x", "f8"), ("o", "O")]),
    "byte-swapped": lambda: np.zeros(3, dtype=np.dtype(np.float64).newbyteorder()),
    "unaligned": lambda: np.zeros(8 * 3 + 1, np.uint8)[1:].view(np.float64),
}


@pytest.mark.parametrize("kind", list(UNTYPABLE))
def test_untypable_arrays(kind):
    a = UNTYPABLE[kind]()
    if kind == "unaligned":
        assert not a.flags.aligned
    with pytest.raises(ValueError, match="cannot determine pyjit type"):
        typeof(a)

    @njit
    def first(a):
        return a[0]

    with pytest.raises(TypingError) as info:
        first(a)
    assert "argument 0" in str(info.value)
    assert first.signatures == []


# ---------------------------------------------------------------------------------
# reductions over every dtype, dimension and layout


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@PER_DTYPE
@given(data=st.data())
def test_sums_every_dtype(dtype, data):
    ndim = data.draw(st.integers(1, 3), label="ndim")
    base = data.draw(arrays(dtype, shapes(ndim)), label="base")
    layout = data.draw(st.sampled_from(LAYOUTS), label="layout")
    ro = data.draw(st.booleans(), label="readonly")
    f = SUMS[ndim][kind_of(dtype)]
    diff(f, lambda: (make(base, layout, ro),))
    if dtype.kind in "biu":
        diff(SUMS[ndim]["f"], lambda: (make(base, layout, ro),))
    out_len = base.size
    diff(FLATS[ndim], lambda: (make(base, layout, ro), np.zeros(out_len, dtype)))


@pytest.mark.parametrize("dtype", INTLIKE, ids=str)
@PER_DTYPE
@given(data=st.data())
def test_int_sums_iteration_and_views(dtype, data):
    layout = data.draw(st.sampled_from(LAYOUTS), label="layout")
    a = data.draw(arrays(dtype, shapes(1, 8)), label="a")
    m = data.draw(arrays(dtype, shapes(2)), label="m")
    t = data.draw(arrays(dtype, shapes(3, 4)), label="t")
    for f in (isum1, isum1_iter, isum1_reversed):
        diff(f, lambda: (make(a, layout),))
    for f in (isum2, isum2_rows, isum2_row_index, isum2_negative):
        diff(f, lambda: (make(m, layout),))
    for f in (isum3, isum3_iter, isum3_mixed):
        diff(f, lambda: (make(t, layout),))


@pytest.mark.parametrize("dtype", FLOATS + COMPLEX, ids=str)
@PER_DTYPE
@given(data=st.data())
def test_float_sums_exact(dtype, data):
    layout = data.draw(st.sampled_from(LAYOUTS), label="layout")
    m = data.draw(arrays(dtype, shapes(2, 6)), label="m")
    t = data.draw(arrays(dtype, shapes(3, 4)), label="t")
    if dtype.kind == "f":
        for f in (fsum2, fsum2_rows):
            diff(f, lambda: (make(m, layout),))
        for f in (fsum3, fsum3_iter):
            diff(f, lambda: (make(t, layout),))
    diff(csum2, lambda: (make(m, layout),))
    diff(csum3, lambda: (make(t, layout),))


def test_float_sum_order_matters():
    # 1e16 + 1.0 + ... loses the ones; the compiled loop adds in Python's order
    a = np.array([1e16] + [1.0] * 10 + [-1e16])
    assert fsum1(a) == fsum1.py_func(a) == 0.0
    b = np.array([1.0] * 10 + [1e16, -1e16])
    assert fsum1(b) == fsum1.py_func(b) == 10.0
    c = np.array([1.0] * 10 + [-1.0] * 10 + [0.1, 0.2])
    assert fsum1(c) == sum(c.tolist())


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@PER_DTYPE
@given(data=st.data())
def test_flatten_index_order(dtype, data):
    layout = data.draw(st.sampled_from(LAYOUTS), label="layout")
    m = data.draw(arrays(dtype, shapes(2)), label="m")
    t = data.draw(arrays(dtype, shapes(3, 4)), label="t")
    diff(flat2_index, lambda: (make(m, layout), np.zeros(m.size, dtype)))
    diff(flat2_enumerate, lambda: (make(m, layout), np.zeros(m.size, dtype)))
    diff(flat3_index, lambda: (make(t, layout), np.zeros(t.size, dtype)))
    # transposed views passed in directly (the function sees the transposed shape)
    diff(flat2_iter, lambda: (make(m, layout).T, np.zeros(m.size, dtype)))
    diff(flat3_iter, lambda: (make(t, layout).transpose(1, 2, 0), np.zeros(t.size, dtype)))


@pytest.mark.parametrize("dtype", REAL, ids=str)
@PER_DTYPE
@given(data=st.data())
def test_argmax_argmin(dtype, data):
    layout = data.draw(st.sampled_from(LAYOUTS), label="layout")
    a = data.draw(arrays(dtype, nonempty_shapes(1, 10)), label="a")
    m = data.draw(arrays(dtype, nonempty_shapes(2)), label="m")
    diff(argmax1, lambda: (make(a, layout),))
    diff(argmin2, lambda: (make(m, layout),))
    diff(first_last, lambda: (make(a, layout),))
    diff(corners, lambda: (make(m, layout),))


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@PER_DTYPE
@given(data=st.data())
def test_count_nonzero(dtype, data):
    layout = data.draw(st.sampled_from(LAYOUTS), label="layout")
    a = data.draw(arrays(dtype, shapes(1, 10)), label="a")
    diff(count_nonzero, lambda: (make(a, layout),))
    diff(count_true, lambda: (make(a, layout),))


@FEW
@given(data=st.data())
def test_dot_float64(data):
    n = data.draw(st.integers(0, 12), label="n")
    a = data.draw(arrays(np.dtype("float64"), n), label="a")
    b = data.draw(arrays(np.dtype("float64"), n), label="b")
    la = data.draw(st.sampled_from(LAYOUTS), label="la")
    lb = data.draw(st.sampled_from(LAYOUTS), label="lb")
    diff(dot, lambda: (make(a, la), make(b, lb)))


# ---------------------------------------------------------------------------------
# in-place updates

SCALE_BY = {"b": 3, "i": 3, "u": 3, "f": 1.5, "c": 1.5}
CLIP = {"b": (False, True), "i": (-50, 50), "u": (3, 100), "f": (-1.5, 2.5)}


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@PER_DTYPE
@given(data=st.data())
def test_scale_in_place(dtype, data):
    layout = data.draw(st.sampled_from(LAYOUTS), label="layout")
    finite = dtype.kind == "c"  # complex * real with inf parts: not this test's concern
    a = data.draw(arrays(dtype, shapes(1, 8), finite), label="a")
    m = data.draw(arrays(dtype, shapes(2), finite), label="m")
    t = data.draw(arrays(dtype, shapes(3, 3), finite), label="t")
    k = SCALE_BY[dtype.kind]
    diff(scale1, lambda: (make(a, layout), k))
    diff(scale2, lambda: (make(m, layout), k))
    diff(scale3, lambda: (make(t, layout), k))
    if dtype.kind in "iu":
        # float factor into an integer array: the product truncates back
        diff(scale1, lambda: (make(a, layout), 0.5))
        diff(scale2, lambda: (make(m, layout), 0.5))


@pytest.mark.parametrize("dtype", REAL, ids=str)
@PER_DTYPE
@given(data=st.data())
def test_clip_in_place(dtype, data):
    layout = data.draw(st.sampled_from(LAYOUTS), label="layout")
    a = data.draw(arrays(dtype, shapes(1, 10)), label="a")
    m = data.draw(arrays(dtype, shapes(2)), label="m")
    lo, hi = CLIP[dtype.kind]
    diff(clip1, lambda: (make(a, layout), lo, hi))
    diff(clip2, lambda: (make(m, layout), lo, hi))
    if dtype.kind in "iu":
        # float bounds into an integer array truncate toward zero
        diff(clip1, lambda: (make(a, layout), lo + 0.75, hi + 0.75))


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@PER_DTYPE
@given(data=st.data())
def test_cumsum_in_place(dtype, data):
    layout = data.draw(st.sampled_from(LAYOUTS), label="layout")
    finite = dtype.kind == "c"
    a = data.draw(arrays(dtype, shapes(1, 10), finite), label="a")
    m = data.draw(arrays(dtype, shapes(2), finite), label="m")
    diff(cumsum1, lambda: (make(a, layout),))
    diff(cumsum_rows, lambda: (make(m, layout),))
    diff(cumsum_cols_views, lambda: (make(m, layout),))
    diff(reverse1, lambda: (make(a, layout),))


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@PER_DTYPE
@given(data=st.data())
def test_permute_in_place(dtype, data):
    layout = data.draw(st.sampled_from(LAYOUTS), label="layout")
    n = data.draw(st.integers(0, 5), label="n")
    m = data.draw(arrays(dtype, (n, n)), label="m")
    diff(transpose_square, lambda: (make(m, layout),))
    diff(transpose_square, lambda: (make(m, layout).T,))
    shape = data.draw(shapes(3, 4), label="shape")
    if dtype.kind in "iufc" and (dtype.kind != "i" or dtype.itemsize > 1
                                 or np.prod(shape) <= 128):
        t = np.zeros(shape, dtype)
        diff(fill_index, lambda: (make(t, layout),))


@FEW
@given(data=st.data())
def test_aliasing_arguments(data):
    a = data.draw(arrays(np.dtype("int64"), shapes(1, 8)), label="a")
    layout = data.draw(st.sampled_from(LAYOUTS), label="layout")

    def same_twice():
        x = make(a, layout)
        return (x, x)

    diff(add_into, same_twice)
    diff(add_into, lambda: (make(a, layout), make(a, layout)[::-1]))


# ---------------------------------------------------------------------------------
# index types, negative and constant indices


def index_value(tp, lo, hi, data, label):
    if tp is not int and np.dtype(tp).kind == "u":
        lo = max(lo, 0)
    if tp is not int:
        info = np.iinfo(tp)
        lo, hi = max(lo, info.min), min(hi, info.max)
    return tp(data.draw(st.integers(lo, hi), label=label))


@pytest.mark.parametrize("itype", INDEX_TYPES, ids=lambda t: t.__name__)
@settings(max_examples=6 * SCALE, deadline=None)
@given(data=st.data())
def test_index_types(itype, data):
    dtype = data.draw(st.sampled_from(DTYPES), label="dtype")
    layout = data.draw(st.sampled_from(LAYOUTS), label="layout")
    a = data.draw(arrays(dtype, nonempty_shapes(1, 8)), label="a")
    m = data.draw(arrays(dtype, nonempty_shapes(2)), label="m")
    n = len(a)
    i = index_value(itype, -n, n - 1, data, "i")
    diff(get1, lambda: (make(a, layout), i))
    r = index_value(itype, -m.shape[0], m.shape[0] - 1, data, "r")
    c = index_value(itype, -m.shape[1], m.shape[1] - 1, data, "c")
    diff(get2, lambda: (make(m, layout), r, c))
    diff(get2_tuple, lambda: (make(m, layout), r, c))
    diff(get2_chained, lambda: (make(m, layout), r, c))
    diff(row, lambda: (make(m, layout), r))
    v = data.draw(arrays(dtype, 1), label="v")[0]
    diff(set1, lambda: (make(a, layout), i, v))
    diff(set2, lambda: (make(m, layout), r, c, v))
    diff(set_row_view, lambda: (make(m, layout), r, c, v))
    t = data.draw(arrays(dtype, nonempty_shapes(3, 3)), label="t")
    idx = [index_value(itype, -s, s - 1, data, f"t{d}") for d, s in enumerate(t.shape)]
    diff(set3, lambda: (make(t, layout), *idx, v))
    diff(plane3, lambda: (make(t, layout), idx[0]))
    diff(line3, lambda: (make(t, layout), idx[0], idx[1]))


def test_index_types_mixed_in_one_access():
    m = np.arange(20.0).reshape(4, 5)
    for i, j in [(np.int8(-1), np.uint64(4)), (np.uint8(3), -5), (2, np.int32(-2)),
                 (np.uint16(0), np.int16(1)), (True + 0, np.uint32(2))]:
        assert get2(m, i, j) == m[i, j]
        set2(m, i, j, -1.0)
        assert m[i, j] == -1.0
    assert_compiled(get2)


def test_large_unsigned_and_negative_narrow_indices():
    a = np.arange(300.0)
    assert get1(a, np.uint8(200)) == 200.0      # not -56
    assert get1(a, np.uint8(255)) == 255.0
    assert get1(a, np.int8(-1)) == 299.0
    assert get1(a, np.int8(-128)) == 172.0
    b = np.arange(50000.0)
    assert get1(b, np.uint16(40000)) == 40000.0  # not -25536
    assert get1(b, np.uint16(65535 - 16000)) == 49535.0
    assert get1(b, np.int16(-30000)) == 20000.0
    c = np.arange(70000, dtype=np.int32)
    assert get1(c, np.uint32(69999)) == 69999
    assert get1(c, np.uint64(65536)) == 65536
    assert get1(c, np.int32(-70000)) == 0
    set1(a, np.uint8(250), 7.5)
    assert a[250] == 7.5 and a[-50] == 7.5 and a[249] == 249.0 and a[251] == 251.0
    assert_compiled(get1)


@njit
def const_indices(m):
    return m[0, 0] + m[-1, -1] * 10, m[1], m[-1]


def test_constant_indices():
    m = np.arange(12.0).reshape(3, 4)
    s, r1, rl = const_indices(m)
    assert s == 0.0 + 110.0
    assert_array_same(r1, m[1])
    assert_array_same(rl, m[-1])
    assert np.shares_memory(r1, m) and np.shares_memory(rl, m)
    for layout in LAYOUTS:
        diff(const_indices, lambda: (make(m, layout),))
        diff(set_const, lambda: (make(m, layout), 5.0))
    assert_compiled(const_indices)


# ---------------------------------------------------------------------------------
# attributes


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@PER_DTYPE
@given(data=st.data())
def test_attributes(dtype, data):
    ndim = data.draw(st.integers(1, 4), label="ndim")
    shape = data.draw(shapes(ndim, 4), label="shape")
    layout = data.draw(st.sampled_from(LAYOUTS + ["T"]), label="layout")
    base = np.zeros(shape, dtype)

    def args():
        x = make(base, "C" if layout == "T" else layout)
        return (x.T if layout == "T" else x,)

    diff(attrs, args)
    if ndim == 2:
        diff(shape_math, args)


def test_attributes_odd_strides():
    x = np.zeros((5, 6), np.int32)
    for a in (x[1:2, :], x[:, 2:3], x[::2, ::3], x[::-2, 1:], x[2:3, ::-1],
              np.lib.stride_tricks.as_strided(np.zeros(3), (3, 1), (8, 1000)),
              np.lib.stride_tricks.as_strided(np.zeros(3), (3, 4), (8, 0))):
        got = attrs(a)
        assert got == (a.shape, a.strides, a.ndim, a.size, a.itemsize, len(a)), a
    assert_compiled(attrs)


@njit
def broadcast_sum(m):
    s = 0.0
    for i in range(m.shape[0]):
        for j in range(m.shape[1]):
            s = s * 2.0 + m[i, j]
    return s


def test_zero_and_odd_strides_read():
    # a zero stride (broadcast) and a huge stride on a length-1 axis, which NumPy
    # still calls C-contiguous
    base = np.arange(3.0)
    b = np.lib.stride_tricks.as_strided(base, (3, 4), (8, 0))
    assert str(typeof(b)) == "array(float64, 2d, A)"
    assert broadcast_sum(b) == broadcast_sum.py_func(b)
    rb = np.broadcast_to(base, (4, 3))           # read-only, zero stride first
    assert str(typeof(rb)) == "readonly array(float64, 2d, A)"
    assert broadcast_sum(rb) == broadcast_sum.py_func(rb)
    c = np.lib.stride_tricks.as_strided(base, (3, 1), (8, 1000))
    assert c.flags.c_contiguous and str(typeof(c)) == "array(float64, 2d, C)"
    assert broadcast_sum(c) == broadcast_sum.py_func(c)
    r = row(c, -1)
    assert r.strides == c[-1].strides and r.tolist() == [2.0]
    assert_compiled(broadcast_sum)


# ---------------------------------------------------------------------------------
# returning arrays and views


def check_view(result, arg, expected):
    """result (compiled) is a view of arg like expected (python) is."""
    assert isinstance(result, np.ndarray)
    assert_result_same(result, expected)
    assert np.shares_memory(result, arg)
    assert result.flags.writeable == expected.flags.writeable
    assert result.flags.c_contiguous == expected.flags.c_contiguous
    assert result.flags.f_contiguous == expected.flags.f_contiguous
    assert result.flags.aligned
    assert not result.flags.owndata
    assert typeof(result) == typeof(expected)


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@PER_DTYPE
@given(data=st.data())
def test_return_views(dtype, data):
    layout = data.draw(st.sampled_from(LAYOUTS), label="layout")
    ro = data.draw(st.booleans(), label="readonly")
    m = data.draw(arrays(dtype, nonempty_shapes(2)), label="m")
    t = data.draw(arrays(dtype, nonempty_shapes(3, 3)), label="t")
    i = data.draw(st.integers(-m.shape[0], m.shape[0] - 1), label="i")
    j = data.draw(st.integers(-m.shape[1], m.shape[1] - 1), label="j")
    x = make(m, layout, ro)
    check_view(row(x, i), x, row.py_func(x, i))
    check_view(last_row(x), x, last_row.py_func(x))
    check_view(row_via_call(x, i), x, row_via_call.py_func(x, i))
    r, e, same = view_and_elem(x, i, j)
    pr, pe, _ = view_and_elem.py_func(x, i, j)
    check_view(r, x, pr)
    assert_result_same(e, pe)
    assert same is x
    assert ident(x) is x
    assert first_of_tuple((x, 1.0)) is x
    y = make(t, layout, ro)
    k = data.draw(st.integers(-t.shape[0], t.shape[0] - 1), label="k")
    l = data.draw(st.integers(-t.shape[1], t.shape[1] - 1), label="l")
    check_view(plane3(y, k), y, plane3.py_func(y, k))
    check_view(line3(y, k, l), y, line3.py_func(y, k, l))
    for f in (row, last_row, row_via_call, view_and_elem, ident, first_of_tuple,
              plane3, line3):
        assert_compiled(f)


def test_returned_view_writes_through_and_keeps_parent_alive():
    m = np.arange(12.0).reshape(3, 4)
    r = row(m, 1)
    r[2] = -7.0
    assert m[1, 2] == -7.0
    # the view keeps the memory of a temporary argument alive
    v = row(np.arange(6, dtype=np.int16).reshape(2, 3).copy(), -1)
    w = line3(np.arange(24.0).reshape(2, 3, 4).copy(), 1, 2)
    gc.collect()
    junk = [np.full((2, 3), 99, np.int16) for _ in range(50)]
    assert v.tolist() == [3, 4, 5] and v.dtype == np.int16
    assert w.tolist() == [20.0, 21.0, 22.0, 23.0]
    del junk
    assert v.base is not None and w.base is not None


def test_return_identity_is_same_object():
    for a in (np.zeros(3), np.zeros((2, 3)).T, np.zeros(5, np.int8)[::2],
              np.zeros((2, 2, 2), np.complex64), np.zeros(4, bool)):
        assert ident(a) is a
        assert pick(a, a, True) is a
    ro = np.arange(3.0)
    ro.flags.writeable = False
    assert ident(ro) is ro
    a, b = np.zeros(2), np.ones(2)
    assert pick(a, b, True) is a and pick(a, b, False) is b
    assert_compiled(ident)
    assert_compiled(pick)


def test_returned_view_of_readonly_is_readonly():
    m = np.arange(6.0).reshape(2, 3)
    m.flags.writeable = False
    r = row(m, 0)
    assert not r.flags.writeable
    with pytest.raises(ValueError):
        r[0] = 1.0
    assert str(typeof(r)) == "readonly array(float64, 1d, C)"


# ---------------------------------------------------------------------------------
# bool and complex arrays


@PER_DTYPE
@given(a=arrays(np.dtype("bool"), shapes(1, 12)), data=st.data())
def test_bool_arrays_one_byte_per_element(a, data):
    layout = data.draw(st.sampled_from(LAYOUTS), label="layout")
    if len(a):
        i = data.draw(st.integers(-len(a), len(a) - 1), label="i")
        v = data.draw(st.sampled_from([True, False, 0, 1, 2, 256, -1, 0.0, 0.5, -0.0]),
                      label="v")
        _, (x, *_) = diff(set1, lambda: (make(a, layout), i, v))
        buf = root(x).view(np.uint8)
        assert set(np.unique(buf).tolist()) <= {0, 1}
    diff(count_true, lambda: (make(a, layout),))
    diff(flat1_iter, lambda: (make(a, layout), np.zeros(len(a), bool)))


def test_bool_arrays_nonzero_bytes_are_true():
    raw = np.array([0, 1, 2, 255, 0, 128], np.uint8)
    b = raw.view(bool)
    assert count_true(b) == count_true.py_func(b) == 4
    assert [get1(b, i) for i in range(6)] == [False, True, True, True, False, True]
    assert all(type(get1(b, i)) is bool for i in range(6))
    ints = np.zeros(6, np.int64)
    copy_into(b, ints)
    assert ints.tolist() == [0, 1, 1, 1, 0, 1]


def test_bool_store_touches_one_byte():
    raw = np.zeros(16, np.uint8)
    b = raw[4:12].view(bool)
    set1(b, 3, True)
    assert raw.tolist() == [0] * 7 + [1] + [0] * 8
    raw[:] = 0xAA
    set1(b, 0, False)
    assert raw.tolist() == [0xAA] * 4 + [0] + [0xAA] * 11
    set1(b, -1, 7)
    assert raw[11] == 1 and raw[10] == 0xAA and raw[12] == 0xAA


@njit
def conj_swap(a):
    for i in range(len(a)):
        x = a[i]
        a[i] = complex(x.imag, x.real) + x.conjugate()


@njit
def complex_parts(a):
    re = 0.0
    im = 0.0
    for x in a:
        re += float(x.real)
        im += float(x.imag)
    return re, im


@pytest.mark.parametrize("dtype", COMPLEX, ids=str)
@FEW
@given(data=st.data())
def test_complex_arrays(dtype, data):
    layout = data.draw(st.sampled_from(LAYOUTS), label="layout")
    a = data.draw(arrays(dtype, shapes(1, 8), finite=True), label="a")
    diff(conj_swap, lambda: (make(a, layout),))
    diff(complex_parts, lambda: (make(a, layout),))
    m = data.draw(arrays(dtype, nonempty_shapes(2)), label="m")
    v = data.draw(st.complex_numbers(allow_nan=True, allow_infinity=True), label="v")
    if dtype == np.complex64:
        v = complex(np.complex64(v))   # avoid overflow to inf in the narrowing
    i = data.draw(st.integers(-m.shape[0], m.shape[0] - 1), label="i")
    j = data.draw(st.integers(-m.shape[1], m.shape[1] - 1), label="j")
    diff(set2, lambda: (make(m, layout), i, j, v))
    diff(get2, lambda: (make(m, layout), i, j))


# ---------------------------------------------------------------------------------
# conversions on assignment


@njit
def copy_into(src, dst):
    for i in range(len(src)):
        dst[i] = src[i]


@njit
def copy_into2(src, dst):
    for i in range(src.shape[0]):
        for j in range(src.shape[1]):
            dst[j, i] = src[i, j]


@pytest.mark.parametrize("src", DTYPES, ids=str)
@PER_DTYPE
@given(data=st.data())
def test_array_to_array_conversions(src, data):
    dsts = [d for d in DTYPES if src.kind != "c" or d.kind == "c"]
    dst = data.draw(st.sampled_from(dsts), label="dst")
    signed = src.kind in "bifc" and dst.kind in "bifc"
    # values every dtype holds (halves, truncated when src is an integer type)
    lo = -200 if signed else 0
    halves = data.draw(st.lists(st.integers(lo, 200), max_size=8), label="halves")
    vals = np.array(halves, np.float64) / 2
    if src.kind == "c":
        vals = vals + 1j * vals[::-1]
    a = vals.astype(src)
    layout = data.draw(st.sampled_from(LAYOUTS), label="layout")
    diff(copy_into, lambda: (make(a, layout), np.zeros(len(a), dst)))
    m = a.reshape(1, -1) if len(a) else a.reshape(0, 0)
    diff(copy_into2, lambda: (make(m, layout), np.zeros(m.shape[::-1], dst)))


@njit
def copy_into_rev(src, dst):
    n = len(src)
    for i in range(n):
        dst[n - 1 - i] = src[i]


@pytest.mark.parametrize("src", INTLIKE + FLOATS + COMPLEX, ids=str)
@PER_DTYPE
@given(data=st.data())
def test_array_copy_full_range_as_astype(src, data):
    """Every value of the source dtype (nan, inf, extremes) into every destination
    it is defined for: the stored values are NumPy's astype (unsafe casting) -
    integers wrap, floats round, nan and nonzero are True.  Floats into integer
    arrays are left out (undefined out of range)."""
    dsts = [d for d in DTYPES
            if not (src.kind in "fc" and d.kind in "iu")
            and not (src.kind == "c" and d.kind in "bf")]
    dst = data.draw(st.sampled_from(dsts), label="dst")
    a = data.draw(arrays(src, shapes(1, 8)), label="a")
    layout = data.draw(st.sampled_from(LAYOUTS), label="layout")
    out = np.full(len(a), 1, dst)
    copy_into_rev(make(a, layout), out)
    assert_compiled(copy_into_rev)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = a[::-1].astype(dst)
    assert_array_same(out, expected, f"copy {a!r} into {dst}")


def int_values(dtype):
    if dtype.kind == "b":
        return st.booleans()
    info = np.iinfo(dtype)
    return st.integers(info.min, info.max)


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@PER_DTYPE
@given(data=st.data())
def test_store_python_scalars(dtype, data):
    """Python scalars NumPy itself accepts for the dtype."""
    a = np.zeros(4, dtype)
    choices = [st.booleans()]
    if dtype.kind in "iu":
        choices.append(int_values(dtype))
        lo = -100.0 if dtype.kind == "i" else 0.0
        choices.append(st.floats(lo, 100.0))         # truncates toward zero
    elif dtype.kind == "b":
        choices += [st.integers(-1000, 1000), st.floats(allow_nan=True)]
    else:
        choices.append(st.integers(-(2 ** 63), 2 ** 63 - 1))
        choices.append(st.floats(-1e30, 1e30) if dtype == np.float32 else
                       st.floats(allow_nan=True, allow_infinity=True))
        if dtype.kind == "c":
            choices.append(st.complex_numbers(max_magnitude=1e30))
    v = data.draw(st.one_of(choices), label="v")
    i = data.draw(st.integers(-4, 3), label="i")
    diff(set1, lambda: (a.copy(), i, v))
    diff(set2, lambda: (a.copy().reshape(2, 2), i % 2, -(i % 2), v))


@FEW
@given(v=st.integers(-(2 ** 63), 2 ** 63 - 1), dtype=st.sampled_from(INTLIKE[1:]))
def test_store_int64_wraps_as_numpy_cast(v, dtype):
    """An int64 value too wide for the array's dtype wraps as NumPy's astype does
    (NumPy's own setitem raises OverflowError there, so compare with astype)."""
    a = np.zeros(3, dtype)
    set1(a, 1, v)
    expected = np.array([v], np.int64).astype(dtype)[0]
    assert a[1] == expected and a[0] == 0 and a[2] == 0
    assert_compiled(set1)


@FEW
@given(v=st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                   st.integers(-(2 ** 63), 2 ** 63 - 1)),
       dtype=st.sampled_from(["float32", "bool", "complex64"]))
def test_store_narrowing_float_as_numpy_cast(v, dtype):
    """float64/int64 into float32, bool, complex64: rounding, overflow to inf,
    nan is True, as NumPy's astype casts."""
    a = np.zeros(3, dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        src = np.array([v], np.float64 if isinstance(v, float) else np.int64)
        expected = src.astype(dtype)
    set1(a, -2, v)
    assert_array_same(a[1:2], expected)
    assert a[0] == 0 and a[2] == 0
    assert_compiled(set1)


def test_store_float_truncates_toward_zero():
    a = np.zeros(6, np.int32)
    for i, v in enumerate([2.7, -2.7, 0.999, -0.999, 1e9 + 0.5, -(2.0 ** 31)]):
        set1(a, i, v)
    assert a.tolist() == [2, -2, 0, 0, 1000000000, -(2 ** 31)]
    assert a.tolist() == [int(v) for v in [2.7, -2.7, 0.999, -0.999, 1e9 + 0.5, -(2.0 ** 31)]]
    u = np.zeros(2, np.uint8)
    set1(u, 0, 255.9)
    set1(u, 1, np.float32(3.99))
    assert u.tolist() == [255, 3]


def test_store_complex_into_real_is_typing_error():
    for dtype in REAL:
        @njit
        def store_c(a, v):
            a[0] = v

        with pytest.raises(TypingError, match="cannot be stored"):
            store_c(np.zeros(2, dtype), 1 + 2j)
        with pytest.raises(TypingError):
            store_c(np.zeros(2, dtype), np.complex64(1))
    a = np.zeros(2, np.float64)
    with pytest.raises(TypingError):
        copy_into(np.ones(2, np.complex128), a)
    assert a.tolist() == [0.0, 0.0]


# ---------------------------------------------------------------------------------
# iteration with enumerate and zip


@FEW
@given(data=st.data())
def test_enumerate_zip(data):
    dtype = data.draw(st.sampled_from(DTYPES), label="dtype")
    la = data.draw(st.sampled_from(LAYOUTS), label="la")
    lb = data.draw(st.sampled_from(LAYOUTS), label="lb")
    a = data.draw(arrays(dtype, shapes(1, 8)), label="a")
    b = data.draw(arrays(dtype, shapes(1, 8)), label="b")
    out = 2 * min(len(a), len(b))
    diff(zip_pairs, lambda: (make(a, la), make(b, lb), np.zeros(out, dtype)))
    m = data.draw(arrays(dtype, shapes(2)), label="m")
    n = data.draw(arrays(dtype, shapes(2)), label="n")
    out2 = 2 * min(m.shape[0], n.shape[0]) * max(m.shape[1], n.shape[1])
    diff(zip_rows, lambda: (make(m, la), make(n, lb), np.zeros(out2, dtype)))
    diff(flat2_enumerate, lambda: (make(m, la), np.zeros(m.size, dtype)))


@njit
def enumerate_sum(a):
    s = 0.0
    for i, x in enumerate(a):
        s += i * x
    return s


@njit
def zip_dot(a, b):
    s = 0.0
    for x, y in zip(a, b):
        s += x * y
    return s


def test_enumerate_zip_simple():
    a = np.arange(5.0)
    assert enumerate_sum(a) == 30.0
    assert zip_dot(a, a[::-1]) == zip_dot.py_func(a, a[::-1]) == 10.0
    assert zip_dot(a, np.ones(2)) == 1.0
    assert_compiled(enumerate_sum)
    assert_compiled(zip_dot)


@njit
def enumerate_start(a):
    s = 0.0
    for i, x in enumerate(a, 1):
        s += i * float(x)
    return s


@njit
def zip3_range(a, b, n):
    s = 0.0
    for x, y, i in zip(a, b, range(n)):
        s += float(x) * i - float(y)
    return s


@njit
def iterate_live(a):
    """Iteration reads the array as it is now: writes ahead are seen."""
    k = 0
    for x in a:
        if k + 1 < len(a):
            a[k + 1] = a[k + 1] + x
        k += 1
    return k


@njit
def last_row_iter(m):
    last = m[0]
    for r in m:
        last = r
    return last


@njit
def set_get_tuple_index(m, i, j, v):
    t = (i, j)
    m[t] = v
    return m[t]


@FEW
@given(data=st.data())
def test_iteration_more(data):
    layout = data.draw(st.sampled_from(LAYOUTS), label="layout")
    a = data.draw(arrays(np.dtype("float64"), shapes(1, 8)), label="a")
    b = data.draw(arrays(np.dtype("int32"), shapes(1, 8)), label="b")
    n = data.draw(st.integers(0, 10), label="n")
    diff(enumerate_start, lambda: (make(a, layout),))
    diff(zip3_range, lambda: (make(a, layout), make(b, layout), n))
    diff(iterate_live, lambda: (make(a, layout),))
    diff(iterate_live, lambda: (make(b, layout),))
    m = data.draw(arrays(np.dtype("int16"), nonempty_shapes(2)), label="m")
    res, (x,) = diff(last_row_iter, lambda: (make(m, layout),))
    assert np.shares_memory(res, x)
    i = data.draw(st.integers(-m.shape[0], m.shape[0] - 1), label="i")
    j = data.draw(st.integers(-m.shape[1], m.shape[1] - 1), label="j")
    diff(set_get_tuple_index, lambda: (make(m, layout), i, j, -3))


# ---------------------------------------------------------------------------------
# calls between jitted functions


@FEW
@given(data=st.data())
def test_calls_between_jitted_functions(data):
    dtype = data.draw(st.sampled_from(REAL), label="dtype")
    layout = data.draw(st.sampled_from(LAYOUTS), label="layout")
    m = data.draw(arrays(dtype, shapes(2)), label="m")
    diff(weighted_row_sums, lambda: (make(m, layout),))
    if dtype.kind != "b":
        res, (x,) = diff(bump_all_rows, lambda: (make(m, layout),))
        assert res is x
    assert_compiled(row_sum)
    if m.size and dtype.kind != "b":
        assert_compiled(bump)


def test_callee_specializations_follow_layout():
    @njit
    def inner(r):
        return r[0] + r[-1]

    @njit
    def outer(m):
        s = 0.0
        for i in range(len(m)):
            s += inner(m[i])
        return s

    m = np.arange(12.0).reshape(3, 4)
    assert outer(m) == outer.py_func(m) == 33.0
    assert outer(m.T) == outer.py_func(m.T)
    assert outer(m[:, ::2]) == outer.py_func(m[:, ::2])
    assert {str(s[0]) for s in inner.signatures} == {"array(float64, 1d, C)",
                                                     "array(float64, 1d, A)"}
    assert len(outer.signatures) == 3       # C, F (m.T) and A, as in Numba
    assert_compiled(outer)
    assert_compiled(inner)


# ---------------------------------------------------------------------------------
# dispatch and explicit signatures


def test_layouts_dtypes_get_separate_specializations():
    @njit
    def total(a):
        s = 0.0
        for x in a:
            s += x
        return s

    c = np.arange(6.0)
    assert total(c) == 15.0
    assert total(c[::2]) == 6.0
    assert total(c[::-1]) == 15.0
    ro = c.copy()
    ro.flags.writeable = False
    assert total(ro) == 15.0
    assert total(np.arange(6, dtype=np.int32)) == 15.0
    assert total(np.asfortranarray(c)) == 15.0   # 1-d Fortran is C too
    sigs = [tuple(str(t) for t in s) for s in total.signatures]
    assert sigs == [("array(float64, 1d, C)",), ("array(float64, 1d, A)",),
                    ("readonly array(float64, 1d, C)",), ("array(int32, 1d, C)",)]
    # no new specialization for repeated types
    total(np.zeros(100))
    total(np.zeros(100)[1::3])
    assert len(total.signatures) == 4
    assert_compiled(total)
    for sig in total.signatures:
        assert str(total.overloads[sig].return_type) == "float64"


@njit("float64(float64[:])")
def sig_sum_a(a):
    s = 0.0
    for x in a:
        s += x
    return s


@njit("float64(float64[::1])")
def sig_sum_c(a):
    s = 0.0
    for x in a:
        s += x
    return s


@njit(T.float64(T.Array(T.float64, 2, "C"), T.int64))
def sig_row0(m, i):
    return m[i, 0]


@njit(["float64(float64[:, :])", "int64(int64[:, ::1])"])
def sig_corner(m):
    return m[-1, -1]


@njit("void(int32[:], int64, int32)")
def sig_store(a, i, v):
    a[i] = v


def test_explicit_signatures():
    assert [tuple(str(t) for t in s) for s in sig_sum_a.signatures] == \
        [("array(float64, 1d, A)",)]
    x = np.arange(8.0)
    assert sig_sum_a(x) == 28.0                     # C accepted by an A signature
    assert sig_sum_a(x[::2]) == 12.0
    assert sig_sum_a(x[::-1]) == 28.0
    assert sig_sum_a(np.asfortranarray(x)) == 28.0
    assert len(sig_sum_a.signatures) == 1          # nothing compiled on the fly
    assert sig_sum_c(x) == 28.0
    with pytest.raises(TypeError, match="No matching definition"):
        sig_sum_c(x[::2])
    with pytest.raises(TypeError, match="No matching definition"):
        sig_sum_a(np.arange(8))                    # int64 array
    with pytest.raises(TypeError, match="No matching definition"):
        sig_sum_a(np.zeros((2, 2)))                # 2-d
    with pytest.raises(TypeError, match="No matching definition"):
        sig_sum_a(np.zeros(3, np.float32))
    with pytest.raises(TypeError, match="No matching definition"):
        sig_sum_a([1.0, 2.0])
    m = np.arange(6.0).reshape(3, 2)
    assert sig_row0(m, 2) == 4.0
    assert sig_row0(m, np.int32(-1)) == 4.0
    with pytest.raises(TypeError, match="No matching definition"):
        sig_row0(np.asfortranarray(m), 0)
    assert sig_corner(m) == 5.0
    assert sig_corner(np.asfortranarray(m)) == 5.0
    assert sig_corner(m.T) == 5.0
    assert sig_corner(np.arange(6).reshape(2, 3)) == 5
    with pytest.raises(TypeError, match="No matching definition"):
        sig_corner(np.arange(6).reshape(2, 3).T)   # int64 only as C
    a = np.zeros(3, np.int32)
    sig_store(a, -1, 7)
    assert a.tolist() == [0, 0, 7]
    for f in (sig_sum_a, sig_sum_c, sig_row0, sig_corner, sig_store):
        assert_compiled(f)


def test_explicit_signature_readonly():
    @njit("float64(float64[:])")
    def s_a(a):
        return a[0]

    ro = np.ones(3)
    ro.flags.writeable = False
    with pytest.raises(TypeError, match="No matching definition"):
        s_a(ro)

    @njit([T.float64(T.Array(T.float64, 1, "A", readonly=True))])
    def s_ro(a):
        return a[0] + a[-1]

    assert s_ro(ro) == 2.0
    assert s_ro(ro[::2]) == 2.0

    with pytest.raises(TypingError, match="read-only"):
        @njit([T.void(T.Array(T.float64, 1, "C", readonly=True))])
        def s_ro_store(a):
            a[0] = 1.0


# ---------------------------------------------------------------------------------
# errors


def test_readonly_assignment_is_typing_error():
    @njit
    def store(a, v):
        a[0] = v

    ro = np.zeros(3)
    ro.flags.writeable = False
    with pytest.raises(TypingError, match="read-only") as info:
        store(ro, 1.0)
    assert "readonly array(float64, 1d, C)" in str(info.value)
    assert ro.tolist() == [0.0, 0.0, 0.0]
    # the writable array still compiles
    w = np.zeros(3)
    store(w, 2.0)
    assert w[0] == 2.0

    @njit
    def store2(m):
        m[0, 1] = 1

    ro2 = np.zeros((2, 2))[::-1]
    ro2.flags.writeable = False
    with pytest.raises(TypingError, match="read-only"):
        store2(ro2)

    @njit
    def store_row(m):
        r = m[0]
        r[0] = 1

    ro3 = np.zeros((2, 2))
    ro3.flags.writeable = False
    with pytest.raises(TypingError, match="read-only"):
        store_row(ro3)

    @njit
    def store_iter(m):
        for r in m:
            r[0] = 1

    with pytest.raises(TypingError, match="read-only"):
        store_iter(ro3)


def test_types_are_taken_at_each_call():
    """Flags and dtype are read on every call: the same object made read-only no
    longer matches the writable specialization."""
    @njit
    def store(a, v):
        a[0] = v

    a = np.zeros(3)
    store(a, 1.0)
    a.flags.writeable = False
    with pytest.raises(TypingError, match="read-only"):
        store(a, 2.0)
    assert a.tolist() == [1.0, 0.0, 0.0]
    d = np.zeros(2)
    store(d.view(np.int64), 3)
    assert d.view(np.int64).tolist() == [3, 0]
    store(d.reshape(1, 2)[0], 4.0)
    assert d.tolist() == [4.0, 0.0]


def test_too_many_indices():
    @njit
    def get_too_many(a):
        return a[0, 0]

    @njit
    def set_too_many(a):
        a[1, 0] = 1.0

    @njit
    def get_too_many3(m, i):
        return m[i, i, i]

    with pytest.raises(TypingError, match="too many indices"):
        get_too_many(np.zeros(3))
    with pytest.raises(TypingError, match="too many indices"):
        set_too_many(np.zeros(3))
    with pytest.raises(TypingError, match="too many indices"):
        get_too_many3(np.zeros((2, 2)), 0)


def test_non_integer_indices():
    @njit
    def getf(a, i):
        return a[i]

    for bad in (1.0, np.float32(1.0), 1j):
        with pytest.raises(TypingError, match="indexed by integers"):
            getf(np.zeros(3), bad)

    @njit
    def setf(a, i):
        a[i] = 1

    with pytest.raises(TypingError, match="indexed by integers"):
        setf(np.zeros(3), 0.5)

    @njit
    def get_mixed(m, i):
        return m[0, i]

    with pytest.raises(TypingError, match="indexed by integers"):
        get_mixed(np.zeros((2, 2)), 1.5)


def test_sub_array_assignment_broadcasts_the_value():
    @njit
    def set_row(m):
        m[0] = 1.0

    m = np.zeros((2, 2))
    set_row(m)
    assert m.tolist() == [[1.0, 1.0], [0.0, 0.0]]


def test_float16_is_typing_error():
    @njit
    def first(a):
        return a[0]

    with pytest.raises(TypingError) as info:
        first(np.zeros(3, np.float16))
    msg = str(info.value)
    assert "argument 0" in msg and "cannot determine pyjit type" in msg
    assert first(np.zeros(3, np.float32)) == 0.0


def test_boundscheck_simple():
    @njit(boundscheck=True)
    def bget(a, i):
        return a[i]

    @njit(boundscheck=True)
    def bset(a, i, v):
        a[i] = v

    a = np.arange(3.0)
    assert bget(a, 2) == 2.0 and bget(a, -3) == 0.0
    for bad in (3, -4, 100, -(2 ** 62), np.uint64(2 ** 63), np.uint64(2 ** 64 - 1),
                np.uint8(3), np.int8(-4)):
        with pytest.raises(IndexError):
            bget(a, bad)
        with pytest.raises(IndexError):
            bset(a, bad, 1.0)
    assert a.tolist() == [0.0, 1.0, 2.0]
    with pytest.raises(IndexError):
        bget(np.zeros(0), 0)
    with pytest.raises(IndexError):
        bget(np.zeros(0), -1)
    assert_compiled(bget)
    assert_compiled(bset)


@njit(boundscheck=True)
def bc_get2(m, i, j):
    return m[i, j]


@njit(boundscheck=True)
def bc_set2(m, i, j, v):
    m[i, j] = v


@njit(boundscheck=True)
def bc_row_elem(m, i, j):
    return m[i][j]


@njit(boundscheck=True)
def bc_const(a):
    return a[5]


@FEW
@given(data=st.data())
def test_boundscheck_2d(data):
    layout = data.draw(st.sampled_from(LAYOUTS), label="layout")
    m = data.draw(arrays(np.dtype("int64"), shapes(2, 4)), label="m")
    n0, n1 = m.shape
    # in range for one axis, out of range for the other, including the case where
    # the flat offset would be in bounds (m[0, n1] is m[1, 0] in memory)
    i = data.draw(st.integers(-n0 - 2, n0 + 1), label="i")
    j = data.draw(st.integers(-n1 - 2, n1 + 1), label="j")

    for f, extra in ((bc_get2, ()), (bc_row_elem, ()), (bc_set2, (-5,))):
        py_args = (make(m, layout), i, j, *extra)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                expected = ("ok", f.py_func(*py_args))
        except IndexError:
            expected = ("exc", None)
        jit_args = (make(m, layout), i, j, *extra)
        if expected[0] == "exc":
            with pytest.raises(IndexError):
                f(*jit_args)
        else:
            assert_result_same(f(*jit_args), expected[1])
        assert_array_same(root(jit_args[0]), root(py_args[0]))


def test_boundscheck_constant_index():
    with pytest.raises(IndexError):
        bc_const(np.zeros(5))
    assert bc_const(np.arange(6)) == 5


# ---------------------------------------------------------------------------------
# memory


def test_returning_views_does_not_leak():
    m = np.arange(12.0).reshape(3, 4)
    t = np.arange(24, dtype=np.int32).reshape(2, 3, 4)[:, ::-1]
    ro = np.arange(6.0).reshape(2, 3)
    ro.flags.writeable = False
    # warm up (compile) first
    row(m, 1)
    line3(t, 1, 2)
    view_and_elem(m, 0, 0)
    ident(m)
    row(ro, 0)
    refs = [sys.getrefcount(x) for x in (m, t, ro)]
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(200_000):
            row(m, 1)
        for _ in range(50_000):
            line3(t, 1, -1)
            view_and_elem(m, 2, 3)
            ident(m)
            row(ro, -1)
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert [sys.getrefcount(x) for x in (m, t, ro)] == refs
    assert after - before < 100_000, f"memory grew by {after - before} bytes"


def test_index_errors_do_not_leak():
    m = np.arange(12.0).reshape(3, 4)
    with pytest.raises(IndexError):
        bc_get2(m, 3, 0)
    with pytest.raises(IndexError):
        bc_row_elem(m, 0, 4)
    ref = sys.getrefcount(m)
    for _ in range(20_000):
        try:
            bc_get2(m, 0, -5)
        except IndexError:
            pass
        try:
            bc_row_elem(m, 1, 4)
        except IndexError:
            pass
    assert sys.getrefcount(m) == ref


def test_view_holds_exactly_one_reference():
    m = np.arange(12.0).reshape(3, 4)
    base = sys.getrefcount(m)
    views = [row(m, i % 3) for i in range(1000)]
    # each view keeps its parent alive: one reference each (directly or via a base
    # chain that ends at m)
    assert sys.getrefcount(m) <= base + 1000
    del views
    gc.collect()
    assert sys.getrefcount(m) == base


# ---------------------------------------------------------------------------------
# arrays that are not arguments: globals, closure variables, default values, frozen
# as read-only constants as Numba freezes them (tests/test_constants.py).  Each runs
# in its own process (a crash must not take the test session down).

NOT_ARGUMENT = {
    "global": """
        G = np.arange(3.0)
        @njit
        def f(i):
            return G[i]
        """,
    "closure": """
        def make():
            arr = np.arange(3.0)
            @njit
            def f(i):
                return arr[i]
            return f
        f = make()
        """,
    "global_tuple": """
        TG = (np.arange(3.0), 1)
        @njit
        def f(i):
            return TG[0][i]
        """,
    "default_from_python": """
        @njit
        def f(i, a=np.arange(3.0)):
            return a[i]
        """,
    "default_from_jitted": """
        @njit
        def g(i, a=np.arange(3.0)):
            return a[i]
        @njit
        def f(i):
            return g(i)
        """,
}


@pytest.mark.parametrize("case", list(NOT_ARGUMENT))
def test_arrays_not_passed_as_arguments_are_constants(case, tmp_path):
    body = textwrap.dedent(NOT_ARGUMENT[case])
    code = ("import numpy as np\n"
            "from pyjit import njit\n"
            "from pyjit.errors import TypingError, UnsupportedError\n"
            + body +
            "try:\n"
            "    print(f(1))\n"
            "except (TypingError, UnsupportedError) as e:\n"
            "    print(type(e).__name__)\n")
    path = tmp_path / f"{case}.py"
    path.write_text(code)
    proc = subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, \
        f"{case}: exit status {proc.returncode}\n{proc.stderr[-2000:]}"
    assert proc.stdout.strip() == "1.0", proc.stdout + proc.stderr[-2000:]
