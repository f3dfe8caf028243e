"""Operators and ufuncs on whole arrays: a + b, a * 2.0, -a, a < b, a += b,
np.sqrt(a)...; results (values and dtypes) compared with NumPy's."""
import resource

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

import pyjit
from pyjit import njit

FEW = settings(max_examples=40, deadline=None)
DTYPES = [np.int8, np.int32, np.int64, np.uint8, np.uint32, np.float32,
          np.float64, np.complex128, np.bool_]


def assert_compiled(f):
    assert f.signatures
    for sig in f.signatures:
        assert "pyobject" not in str(sig)


def same(got, want, rtol=0):
    assert isinstance(got, np.ndarray), got
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    assert got.shape == want.shape
    if rtol:
        np.testing.assert_allclose(got, want, rtol=rtol, equal_nan=True)
    else:
        np.testing.assert_array_equal(got, want)


@njit
def add(a, b):
    return a + b


@njit
def sub(a, b):
    return a - b


@njit
def mul(a, b):
    return a * b


@njit
def less(a, b):
    return a < b


@njit
def neg(a):
    return -a


def small(dtype):
    if np.dtype(dtype).kind == "b":
        return st.booleans()
    if np.dtype(dtype).kind in "iu":
        info = np.iinfo(dtype)
        return st.integers(max(info.min, -100), min(info.max, 100))
    return st.floats(-100, 100, width=32 if dtype == np.float32 else 64)


@st.composite
def pairs(draw):
    dtype = draw(st.sampled_from([d for d in DTYPES if d is not np.bool_]))
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, max_side=4))
    a = draw(hnp.arrays(dtype, shape, elements=small(dtype)))
    b = draw(hnp.arrays(dtype, shape, elements=small(dtype)))
    return a, b


@FEW
@given(pairs())
def test_same_shape_arithmetic(ab):
    a, b = ab
    with np.errstate(all="ignore"):
        for f in (add, sub, mul):
            same(f(a, b), f.py_func(a, b))
        if a.dtype.kind != "c":
            same(less(a, b), less.py_func(a, b))
    assert_compiled(add)


@pytest.mark.parametrize("dtype", [np.int8, np.int32, np.float32, np.float64,
                                   np.uint16, np.complex64])
def test_python_scalars_keep_the_dtype(dtype):
    a = np.arange(1, 6).astype(dtype)
    for k in (3, 2.5):
        with np.errstate(all="ignore"):
            same(mul(a, k), mul.py_func(a, k), rtol=1e-6)
            same(add(k, a), add.py_func(k, a), rtol=1e-6)


@njit
def truediv(a, b):
    return a / b


@njit
def floordiv(a, b):
    return a // b


def test_division_follows_numpy():
    a = np.array([7, -7, 3, 0])
    b = np.array([2, 2, 0, 0])
    with np.errstate(all="ignore"):
        same(truediv(a, b), truediv.py_func(a, b))
        x = np.array([1.0, -1.0, 0.0])
        same(truediv(x, 0.0), truediv.py_func(x, 0.0))
        same(floordiv(a, np.array([2, 3, 4, 5])),
             floordiv.py_func(a, np.array([2, 3, 4, 5])))


@pytest.mark.parametrize("shapes", [((3, 4), (4,)), ((3, 1), (1, 4)),
                                    ((2, 3, 4), (3, 1)), ((5,), (1,)),
                                    ((1,), (0,))])
def test_broadcasting(shapes):
    a = np.arange(np.prod(shapes[0]), dtype=np.float64).reshape(shapes[0])
    b = np.arange(np.prod(shapes[1]), dtype=np.float64).reshape(shapes[1])
    same(add(a, b), a + b)
    same(mul(b, a), b * a)


def test_shapes_that_do_not_broadcast():
    with pytest.raises(ValueError, match="broadcast"):
        add(np.zeros((3, 4)), np.zeros(3))


def test_strided_operands():
    m = np.arange(24.0).reshape(4, 6)
    same(add(m[:, ::2], m[::-1, 1::2]), m[:, ::2] + m[::-1, 1::2])
    same(neg(m.T), -m.T)


@njit
def inplace(a, b):
    a += b
    a *= 2
    return a


def test_in_place_updates_the_array():
    x = np.arange(5.0)
    r = inplace(x, np.ones(5))
    assert r is x
    same(x, (np.arange(5.0) + 1) * 2)
    m = np.zeros((2, 3), np.int32)
    inplace(m, np.array([1, 2, 3], np.int32))
    same(m, np.array([[2, 4, 6], [2, 4, 6]], np.int32))


def test_in_place_refuses_an_unsafe_cast():
    with pytest.raises(pyjit.TypingError, match="same_kind"):
        inplace(np.zeros(3, np.int64), np.ones(3))


@njit
def ufuncs(a):
    return (np.sqrt(a), np.exp(a), np.log(a), np.sin(a), np.cos(a),
            np.tanh(a), np.abs(a), np.floor(a), np.ceil(a), np.isnan(a),
            np.arctan(a), np.absolute(a), abs(a))


@pytest.mark.parametrize("a", [np.array([0.5, 1.0, 2.5, np.nan, -1.0]),
                               np.arange(1, 5, dtype=np.int64),
                               np.arange(1, 5, dtype=np.float32)])
def test_ufuncs(a):
    with np.errstate(all="ignore"):
        want = ufuncs.py_func(a)
        got = ufuncs(a)
    for g, w in zip(got, want):
        same(g, w, rtol=1e-6)


@njit
def expression(x, y):
    return np.sqrt(x * x + y * y) / 2.0 + 1


def test_expressions_and_memory():
    x, y = np.random.rand(1000), np.random.rand(1000)
    same(expression(x, y), expression.py_func(x, y), rtol=1e-15)
    for _ in range(2000):
        expression(x, y)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for _ in range(20000):
        expression(x, y)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before \
        < 20_000


# --- assigning to parts of an array ----------------------------------------

@njit
def set_slices(a, v):
    a[1:3] = v
    return a


@njit
def set_rows(m, row):
    m[1] = row
    m[:, 0] = -1
    m[2, 1:] = 7.5
    return m


@njit
def shift_right(a):
    a[1:] = a[:-1]      # overlapping: read from a copy, as NumPy does
    return a


@njit
def reverse_in_place(a):
    a[:] = a[::-1]
    return a


@pytest.mark.parametrize("v", [9.0, np.array([8.0, 9.0]), np.array([5.0])])
def test_slice_assignment(v):
    want = np.arange(6.0)
    want[1:3] = v
    got = set_slices(np.arange(6.0), v)
    same(got, want)
    assert_compiled(set_slices)


def test_row_and_column_assignment():
    want = set_rows.py_func(np.zeros((3, 4)), np.arange(4.0))
    same(set_rows(np.zeros((3, 4)), np.arange(4.0)), want)


@pytest.mark.parametrize("f", [shift_right, reverse_in_place])
def test_overlapping_assignment_reads_the_old_values(f):
    for a in (np.arange(7), np.arange(12.0)[::2]):
        want = f.py_func(a.copy())
        got = a.copy()
        f(got)
        same(got, want)


def test_assignment_that_does_not_broadcast():
    with pytest.raises(ValueError, match="broadcast"):
        set_slices(np.arange(6.0), np.ones(3))
    ro = np.arange(4.0)
    ro.flags.writeable = False
    with pytest.raises(pyjit.TypingError, match="read-only"):
        set_slices(ro, 1.0)


# --- reshaping and transposing -------------------------------------------------

@njit
def reshaped(a):
    m = a.reshape(3, 4)
    return (m, m.T, m.reshape((2, -1)), m.T.ravel(), m.ravel(), m.flatten(),
            m.transpose(), a.reshape(-1, 2))


def test_reshape_transpose_ravel():
    a = np.arange(12.0)
    got, want = reshaped(a), reshaped.py_func(a)
    for g, w in zip(got, want):
        same(g, w)
    m, t, r, tr, rv, fl = got[:6]
    assert np.shares_memory(m, a) and np.shares_memory(t, a)
    assert np.shares_memory(rv, a)          # ravel of a C array: a view
    assert not np.shares_memory(tr, a)      # ravel of a transpose: a copy
    assert not np.shares_memory(fl, a)      # flatten: always a copy
    assert_compiled(reshaped)


@njit
def reshape_to(a, n, m):
    return a.reshape(n, m)


def test_reshape_errors():
    # NumPy's messages
    with pytest.raises(ValueError, match=r"^cannot reshape array of size 12 "
                                         r"into shape \(5,5\)$"):
        reshape_to(np.arange(12.0), 5, 5)
    with pytest.raises(ValueError, match=r"^cannot reshape array of size 12 "
                                         r"into shape \(5,newaxis\)$"):
        reshape_to(np.arange(12.0), 5, -1)
    with pytest.raises(ValueError,
                       match="^can only specify one unknown dimension$"):
        reshape_to(np.arange(12.0), -1, -1)
    assert reshape_to(np.arange(12.0), -2, 3).shape == (4, 3)  # as NumPy
    with pytest.raises(pyjit.TypingError):
        reshape_to(np.arange(12.0)[::2], 2, 3)    # not contiguous


@njit
def made_and_reshaped(n):
    x = np.arange(n * 2).reshape(2, n)
    return x.T, x.ravel()


def test_views_of_arrays_made_in_compiled_code():
    t, r = made_and_reshaped(3)
    same(t, np.arange(6).reshape(2, 3).T)
    same(r, np.arange(6))
    assert np.shares_memory(t, r)
    for _ in range(20000):
        made_and_reshaped(100)
