"""Differential tests: dtypes in nopython code.  a.dtype as a dtype
argument (np.empty(n, a.dtype), np.zeros_like(a, a.dtype)), a.astype(...)
with each way of naming a dtype, and dtype= on np.arange, against NumPy on
arrays of many dtypes and layouts."""
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given

from np_arrays import (DTYPES, SOME, arrays, assert_same_array, check_arrays,
                       run_both)
from pyjit import TypingError, njit


@njit
def like_dtype(a):
    return (np.empty(0, a.dtype), np.zeros_like(a, a.dtype),
            np.ones(3, dtype=a.dtype), np.full(2, 1, a.dtype),
            a.astype(a.dtype))


@SOME
@given(a=arrays())
def test_dtype_names_the_arrays_dtype(a):
    check_arrays(like_dtype, a)


def _astype(target):
    def use(a):
        return a.astype(target)
    return njit(use)


ASTYPE = {d: _astype(d.type) for d in DTYPES}
ASTYPE_BY_NAME = {d: _astype(d.name) for d in DTYPES}


def convertible(a, dtype):
    """NumPy leaves a float that an integer dtype cannot hold undefined."""
    if a.dtype.kind != "f" or dtype.kind not in "iu":
        return a
    info = np.iinfo(dtype)
    a = np.nan_to_num(a, nan=0.0, posinf=0.0, neginf=0.0)
    return np.clip(a, max(info.min, -2.0 ** 31), min(info.max, 2.0 ** 31))


@SOME
@given(a=arrays(), target=st.sampled_from(DTYPES), by_name=st.booleans())
def test_astype(a, target, by_name):
    f = (ASTYPE_BY_NAME if by_name else ASTYPE)[target]
    a = convertible(a, target)
    kind, actual, expected = run_both(f, a)
    assert kind == "ok"
    assert_same_array(actual, expected)
    # an F array's copy is F (NumPy's order='K', Numba's layout), others C
    if np.isfortran(a):
        assert actual.flags.f_contiguous
    else:
        assert actual.flags.c_contiguous


def test_astype_python_classes():
    @njit
    def f(a):
        return a.astype(float), a.astype(int), a.astype(bool)

    a = np.array([[0.5, -2.0], [0.0, 3.75]])
    for got, want in zip(f(a), f.py_func(a)):
        assert_same_array(got, want)


def test_astype_of_no_dtype_is_a_typing_error():
    @njit
    def f(a):
        return a.astype(3)

    with pytest.raises(TypingError, match="astype takes a dtype"):
        f(np.zeros(2))


def _arange(dt):
    def use(start, stop, step):
        return (np.arange(stop, dtype=dt), np.arange(start, stop, dtype=dt),
                np.arange(start, stop, step, dt))
    return njit(use)


ARANGE = {name: _arange(np.dtype(name).type)
          for name in ("int8", "int32", "int64", "float32", "float64")}


@SOME
@given(start=st.integers(-20, 20), stop=st.integers(0, 40),
       step=st.integers(1, 5), dtype=st.sampled_from(sorted(ARANGE)))
def test_arange_dtype(start, stop, step, dtype):
    check_arrays(ARANGE[dtype], start, stop, step)


@njit
def arange_float32(start, step):
    return np.arange(start, start + 10 * step, step, np.float32)


@SOME
@given(start=st.floats(-10, 10), step=st.floats(0.1, 3))
def test_arange_float32_fills_in_float32(start, step):
    kind, actual, expected = run_both(arange_float32, start, step)
    assert kind == "ok"
    assert_same_array(actual, expected)


INT16 = np.dtype("i2")


def test_a_dtype_passed_to_a_jitted_function():
    """A dtype or a class passes as a value (Numba's DType and NumberClass),
    and the callee makes arrays of it; a string passed is a run-time str,
    which np.empty does not take as a dtype."""
    @njit
    def make(n, dt):
        return np.empty(n, dt)

    @njit
    def f(a):
        return make(3, a.dtype), make(2, np.float32), make(1, INT16)

    @njit
    def g(a):
        return make(3, "int8")

    got = f(np.zeros(2, np.uint8))
    assert [x.dtype for x in got] == [np.uint8, np.float32, np.int16]
    assert [x.shape for x in got] == [(3,), (2,), (1,)]
    with pytest.raises(TypingError, match="unicode_type"):
        g(np.zeros(2))


@njit
def limits(a):
    return (np.iinfo(np.int8).min, np.iinfo(np.int32).max,
            np.iinfo("uint16").max, np.iinfo(np.int64).bits,
            np.finfo(np.float64).eps, np.finfo(np.float32).eps,
            np.finfo(float).tiny, np.finfo(a.dtype).max,
            np.finfo(a.dtype).resolution, np.finfo(np.float32).bits,
            np.finfo(a.dtype).min)


@pytest.mark.parametrize("dtype", ["float32", "float64", "complex64",
                                   "complex128"])
def test_iinfo_finfo(dtype):
    # a complex dtype's finfo is its parts' (quimb's truncated QR)
    a = np.zeros(2, dtype)
    got, want = limits(a), limits.py_func(a)
    assert got == want
    for g, w in zip(got, want):
        assert type(g) is type(w.item() if hasattr(w, "item") else w)


def test_iinfo_of_a_float_is_a_typing_error():
    @njit
    def f(a):
        return np.iinfo(a.dtype).max

    with pytest.raises(TypingError, match="np.iinfo takes an integer dtype"):
        f(np.zeros(2))


def test_finfo_of_an_integer_is_a_typing_error():
    @njit
    def f(a):
        return np.finfo(a.dtype).eps

    with pytest.raises(TypingError,
                       match="np.finfo takes a float or complex dtype"):
        f(np.zeros(2, np.int64))
