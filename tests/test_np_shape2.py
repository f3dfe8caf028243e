"""Differential tests: np.where of three arguments (arrays and numbers that
broadcast), unpacking an array into variables, np.array and np.asarray
with a dtype, and dtype= of the array constructors, against NumPy and
Python on many dtypes and shapes (0-sized ones among them)."""
import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

from difftest import assert_compiled
from np_arrays import (DTYPES, SOME, arrays, assert_same_array, elements,
                       run_both)
from pyjit import TypingError, njit

FEW = settings(SOME, max_examples=8)
# few dtypes: each pair of them compiles np.where once more
WHERE_DTYPES = [np.dtype(n) for n in ("bool", "int32", "float32", "float64")]


@njit
def where3(c, x, y):
    return np.where(c, x, y)


@njit
def where_gt(a, b):
    return np.where(a > 0, a, b)


@st.composite
def broadcastable(draw):
    """A condition and two arrays whose shapes broadcast together."""
    shapes = draw(hnp.mutually_broadcastable_shapes(num_shapes=3, min_dims=1,
                                                    max_dims=2, max_side=4))
    dx = draw(st.sampled_from(WHERE_DTYPES))
    dy = draw(st.sampled_from(WHERE_DTYPES))
    c, sx, sy = shapes.input_shapes
    cond = draw(hnp.arrays(np.bool_, c))
    x = draw(hnp.arrays(dx, sx, elements=elements(dx)))
    y = draw(hnp.arrays(dy, sy, elements=elements(dy)))
    return cond, x, y


@FEW
@given(broadcastable())
def test_where_broadcasts_arrays(args):
    kind, got, want = run_both(where3, *args)
    if kind == "exc":
        assert type(got) is type(want)
    else:
        assert_same_array(got, want)


@SOME
@given(arrays(dtype=np.dtype("float64")), st.floats(-5, 5))
def test_where_of_an_array_and_a_number(a, v):
    kind, got, want = run_both(where_gt, a, v)
    assert kind == "ok"
    assert_same_array(got, want)


@FEW
@given(arrays(ndim=2), arrays(dtype=np.dtype("int64"), ndim=2))
def test_where_condition_of_any_dtype(c, x):
    """A condition of numbers is true where they are not zero (NaN is
    true); a condition and an array of other shapes raise ValueError."""
    kind, got, want = run_both(where3, c, x, x[..., :1] if x.size else x)
    if kind == "exc":
        assert type(got) is ValueError and isinstance(want, ValueError)
    else:
        assert_same_array(got, want)


def test_where_of_numbers_and_one_argument():
    @njit
    def scalars(c, x, y):
        return np.where(c, x, y)

    @njit
    def one(a):
        return np.where(a)

    assert scalars(True, 1.5, 2.5) == 1.5
    assert scalars(0, 1, 2) == 2
    assert_compiled(scalars)
    a = np.array([[0, 3], [4, 0]])
    for got, want in zip(one(a), np.where(a)):
        assert_same_array(got, want)


def test_where_of_x_without_y_is_numpys_error():
    @njit
    def half(c, x):
        return np.where(c, x, None)

    with pytest.raises(ValueError, match="either both or neither"):
        half(np.ones(2, np.bool_), np.ones(2))


@njit
def unpack2(a):
    first, second = a
    return first, second


@njit
def unpack3_sum(a):
    p, q, r = a
    return p + q + r


@SOME
@given(arrays(ndim=1))
def test_unpack_a_1d_array(a):
    want_kind, want = "ok", None
    try:
        want = unpack2.py_func(a)
    except ValueError as e:
        want_kind, want = "exc", e
    if want_kind == "exc":
        with pytest.raises(ValueError) as ei:
            unpack2(a)
        assert str(ei.value) == str(want)
    else:
        got = unpack2(a)
        # NaN items are equal to NaN (np.array_equal with equal_nan)
        assert np.array_equal(np.array(got), np.array(want),
                              equal_nan=a.dtype.kind in "fc")
        assert type(got[0]) is type(want[0].item())
    assert_compiled(unpack2)


@SOME
@given(arrays(ndim=2), arrays(ndim=3))
def test_unpack_rows_of_2d_and_3d_arrays(a, b):
    for arr in (a, b):
        try:
            want = unpack3_sum.py_func(arr)
        except ValueError as e:
            with pytest.raises(ValueError) as ei:
                unpack3_sum(arr)
            assert str(ei.value) == str(e)
            continue
        with np.errstate(all="ignore"):
            assert_same_array(unpack3_sum(arr), want)
    assert_compiled(unpack3_sum)


def test_unpacked_rows_are_views():
    @njit
    def set_middle(a):
        top, middle, bottom = a
        middle[:] = 7
        return top.sum() + bottom.sum()

    a = np.arange(9.0).reshape(3, 3)
    assert set_middle(a) == 3.0 + 21.0
    assert (a[1] == 7).all()


def test_unpack_messages_are_pythons():
    with pytest.raises(ValueError, match=r"^too many values to unpack "
                       r"\(expected 2\)$"):
        unpack2(np.arange(3))
    with pytest.raises(ValueError, match=r"^not enough values to unpack "
                       r"\(expected 2, got 0\)$"):
        unpack2(np.zeros(0))


DTYPE_NAMES = ["bool", "int8", "uint16", "int64", "float32", "complex128"]


def _constructors(dtype):
    """Jitted functions making arrays with dtype=dtype, a constant."""
    ns = {"np": np, "dt": dtype}
    src = '''
def from_list(a, b, c):
    return np.array([a, b, c], dtype=dt)
def from_tuple(a, b, c):
    return np.array((a, b, c), dt)
def from_nested(a, b):
    return np.array([[a, b], [b, a]], dtype=dt)
def as_array(x):
    return np.asarray(x, dtype=dt)
def copy_array(x):
    return np.array(x, dtype=dt)
def made(n):
    return (np.zeros(n, dtype=dt), np.ones((n, 2), dtype=dt),
            np.empty(n, dtype=dt).shape, np.full(n, 3, dtype=dt),
            np.zeros_like(np.ones(n), dtype=dt),
            np.ones_like(np.ones(n), dtype=dt),
            np.full_like(np.ones(n), 2, dtype=dt))
def counted(n):
    return np.arange(n, dtype=dt), np.arange(1, n, 2, dtype=dt)
'''
    import linecache
    name = f"<test_np_shape2 {dtype}>"
    linecache.cache[name] = (len(src), None, src.splitlines(True), name)
    exec(compile(src, name, "exec"), ns)
    return {k: njit(ns[k]) for k in ("from_list", "from_tuple",
                                      "from_nested", "as_array",
                                      "copy_array", "made", "counted")}


@pytest.mark.parametrize("dtype", DTYPE_NAMES)
def test_array_constructors_with_a_dtype(dtype):
    fs = _constructors(np.dtype(dtype).type)
    for args in ((1, 0, 3), (2, 5, 0)):
        check_same(fs["from_list"], *args)
        check_same(fs["from_tuple"], *args)
        check_same(fs["from_nested"], *args[:2])
    for x in (np.arange(4), np.linspace(0, 2.5, 6), np.arange(6).reshape(2, 3),
              np.array([True, False])):
        check_same(fs["as_array"], x)
        check_same(fs["copy_array"], x)
    check_same(fs["as_array"], [1.5, 2.0])
    for n in (0, 3):
        check_same(fs["made"], n)
    if dtype != "bool" and not dtype.startswith("complex"):
        check_same(fs["counted"], 5)


@pytest.mark.parametrize("dtype", [np.bool_, np.complex128])
def test_arange_of_bools_or_complex_numbers_is_a_typing_error(dtype):
    @njit
    def counted(n):
        return np.arange(n, dtype=dtype)

    with pytest.raises(TypingError, match="counts in integers and floats"):
        counted(2)


def check_same(f, *args):
    with np.errstate(all="ignore"):
        want = f.py_func(*args)
        got = f(*args)
    assert_compiled(f)
    if isinstance(want, tuple):
        for g, w in zip(got, want):
            if isinstance(w, tuple):
                assert g == w
            else:
                assert_same_array(g, w)
    else:
        assert_same_array(got, want)


@njit
def rows_of_tuples(a, b):
    return np.array(((a, b), (b, a), (a, a))), np.array(((1, 2), (3, 4)))


@given(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6))
@settings(max_examples=20, deadline=None)
def test_array_of_a_tuple_of_tuples_is_2d(a, b):
    for got, want in zip(rows_of_tuples(a, b), rows_of_tuples.py_func(a, b)):
        assert_same_array(got, want)
    assert_compiled(rows_of_tuples)
