"""Differential tests: the NumPy functions of pyjit/_np_more.py in
nopython code against NumPy, on arrays of many dtypes and shapes (empty
ones and views that are not contiguous among them) and on numbers."""
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given

from np_arrays import SOME, arrays, assert_same_array, run_both
from pyjit import errors, njit

COMPLEX = np.dtype("complex128")


def same(f, *args, zero_signs=True, exact=True):
    kind, got, want = run_both(f, *args)
    if kind == "exc":
        assert type(got) is type(want), (got, want)
        return
    for g, w in zip(got, want):
        if isinstance(w, np.ndarray):
            assert_same_array(g, w, exact=exact, zero_signs=zero_signs)
        else:
            # numbers come back as Python's (as from Numba)
            assert g == w or (w != w and g != g) or (
                not exact and abs(g - w) <= 1e-13 * abs(w)), (g, w)


@st.composite
def complex_arrays(draw):
    re = draw(arrays(dtype=np.dtype("float64")))
    im = draw(st.sampled_from([0.0, 1.5, -2.0, np.nan]))
    return re + 1j * im * (re != 0)


any_arrays = st.one_of(arrays(), complex_arrays())


@njit
def layouts(a):
    c = np.ascontiguousarray(a)
    f = np.asfortranarray(a)
    return c, f, np.ndim(a), np.shape(a), np.size(a)


@njit
def dims(a):
    return np.ndim(a), np.shape(a), np.size(a)


@njit
def parts(a):
    return (np.real(a), np.imag(a),
            np.iscomplex(a), np.isreal(a), np.iscomplexobj(a),
            np.isrealobj(a), np.isscalar(a))


@njit
def angles(a):
    return np.angle(a), np.angle(a, True)


@njit
def infs(a):
    return np.isneginf(a), np.isposinf(a)


@njit
def gathers(a, idx):
    return np.take(a, idx), a.take(idx), np.extract(a > 0, a), np.ediff1d(a)


@njit
def sets(a, b):
    return (np.union1d(a, b), np.intersect1d(a, b), np.setdiff1d(a, b),
            np.setxor1d(a, b))


@SOME
@given(any_arrays)
def test_layouts(a):
    same(layouts, a)
    c, f = layouts(a)[:2]
    assert c.flags.c_contiguous and f.flags.f_contiguous


@SOME
@given(any_arrays)
def test_parts(a):
    same(parts, a)
    if a.dtype.kind in "fc":
        # NumPy's arctan2 may differ in the last bit
        same(angles, a, exact=False)


@pytest.mark.parametrize("x", [0, -3, 2.5, -0.0, np.nan, 1 + 2j, -1j,
                               np.float32(-1.5)])
def test_parts_of_numbers(x):
    same(parts, x)
    if not isinstance(x, int):
        same(angles, x, exact=False)
    assert dims(x) == (np.ndim(x), (), 1)


@SOME
@given(arrays())
def test_infs(a):
    if a.dtype != np.bool_:
        same(infs, a)


@SOME
@given(arrays(min_side=1), st.lists(st.integers(-30, 30), max_size=6))
def test_gathers(a, idx):
    if a.dtype == np.bool_:
        return
    idx = np.array(idx, dtype=np.int64)
    kind, got, want = run_both(gathers, a, idx)
    if kind == "exc":
        assert type(got) is type(want) is IndexError
        return
    for g, w in zip(got, want):
        assert_same_array(g, w)


@njit
def taken_along(a, idx, i, axis):
    return np.take(a, idx, axis=axis), a.take(idx, axis), np.take(a, i, axis)


@SOME
@given(st.sampled_from(["float64", "int32"]), st.data())
def test_take_along_an_axis(dtype, data):
    a = data.draw(arrays(dtype=np.dtype(dtype)))
    axis = data.draw(st.integers(-a.ndim, a.ndim - 1))
    n = a.shape[axis]
    within = st.integers(-n - 1, n)         # one past either end too
    idx = np.array(data.draw(st.lists(within, max_size=4)), dtype=np.int32)
    i = data.draw(within)
    kind, got, want = run_both(taken_along, a, idx, i, axis)
    if kind == "exc":
        assert type(got) is type(want) and str(got) == str(want)
        return
    assert_same_array(got[0], want[0])
    assert_same_array(got[1], want[1])
    assert_same_array(np.asarray(got[2], want[2].dtype), np.asarray(want[2]))


def test_take_along_an_axis_of_sequences_and_flags():
    a = np.arange(24.0).reshape(2, 3, 4)[:, ::-1, ::2]

    @njit
    def of_sequences(a):
        return (np.take(a, [2, 0, -1], 1), np.take(a, (1, 1), axis=-1),
                np.take(a, np.array([True, False]), 2),
                np.take(a, np.array(1), 0), np.take(a, np.array([0]), None))

    same(of_sequences, a)
    with pytest.raises(np.exceptions.AxisError,
                       match="axis 3 is out of bounds for array of "
                             "dimension 3"):
        taken_along(a, np.array([0]), 0, 3)


@SOME
@given(st.sampled_from(["int64", "float64", "int8", "uint8"]),
       st.sampled_from(["int64", "float64", "int32"]), st.data())
def test_sets(dt1, dt2, data):
    a = data.draw(arrays(dtype=np.dtype(dt1)))
    b = data.draw(arrays(dtype=np.dtype(dt2)))
    a, b = a % 7 if dt1 != "float64" else a, b
    # which of -0.0 and 0.0 np.unique keeps is the sort's choice
    same(sets, a, b, zero_signs=False)


def test_sets_with_nans_and_empty():
    a = np.array([1.0, np.nan, 2.0, 2.0, -0.0])
    b = np.array([0.0, 2.0, 5.0])
    same(sets, a, b, zero_signs=False)
    same(sets, a[:0], b)
    same(sets, a, b[:0], zero_signs=False)


def test_type_errors_name_the_function():
    @njit
    def f(x):
        return np.real(x)

    with pytest.raises(errors.TypingError, match="real"):
        f("text")
    with pytest.raises(errors.TypingError, match="angle"):
        angles("text")
