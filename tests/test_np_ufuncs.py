"""Differential tests: NumPy's element-wise functions in nopython code.

Each function runs compiled and as plain NumPy on the same arrays (1 to 3
dimensions, 0-sized ones, views that are not contiguous, NaNs and
infinities among floats; bool, integers of several widths, float32 and
float64) and on numbers; values, shapes and dtypes must agree.  Where
Numba's dtype differs from NumPy's (a NumPy float16 is float32; a number
counts by its type, as an array of that dtype would) the expected dtype
is Numba's, written out below.  Transcendental functions are compared to
a few ulps (the C library and NumPy's own loops may round differently);
everything else exactly, signs of zero included.
"""
import math

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings

from difftest import assert_compiled, return_type
from np_arrays import DTYPES, SOME, arrays, assert_same_array, run_both
from pyjit import TypingError, njit

FEWER = settings(max_examples=6, deadline=None,
                 suppress_health_check=[HealthCheck.too_slow])

EXACT_UNARY = ["sign", "radians", "deg2rad", "degrees", "rad2deg", "fabs",
               "rint", "negative", "positive", "square", "logical_not",
               "floor", "ceil", "trunc"]
ROUGH_UNARY = ["arcsinh", "arccosh", "arctanh", "cbrt", "exp2"]
EXACT_BINARY = ["maximum", "minimum", "fmax", "fmin", "copysign", "add",
                "subtract", "multiply", "greater", "greater_equal", "less",
                "less_equal", "equal", "not_equal", "logical_and",
                "logical_or", "logical_xor"]
ROUGH_BINARY = ["hypot", "arctan2", "true_divide", "floor_divide",
                "remainder", "power", "fmod"]
ARITHMETIC = {"add", "subtract", "multiply", "true_divide", "floor_divide",
              "remainder", "power", "negative", "positive", "square"}
FLOAT_RESULT = {"radians", "deg2rad", "degrees", "rad2deg", "fabs", "rint",
                "floor", "ceil", "trunc", "arcsinh", "arccosh", "arctanh",
                "cbrt", "exp2", "hypot", "arctan2", "copysign", "fmod",
                "true_divide"}


def _compile(name, nargs):
    """njit of a function calling np.<name> (a closure variable, frozen
    as a constant when it compiles) on its arguments."""
    ufunc = getattr(np, name)
    if nargs == 1:
        def use(a):
            return ufunc(a)
    else:
        def use(a, b):
            return ufunc(a, b)
    return njit(use)


UNARY = {name: _compile(name, 1) for name in EXACT_UNARY + ROUGH_UNARY}
BINARY = {name: _compile(name, 2) for name in EXACT_BINARY + ROUGH_BINARY}


def supported(name, *dtypes):
    """Whether pyjit (as Numba) has a loop for the ufunc on these dtypes."""
    return not (name == "sign" and dtypes[0] == np.bool_)


def numba_operands(x, y, expected):
    """The operands as Numba computes a float result of integers meeting
    floats: the integers converted to the float operand's type (float32
    with int64 is float32, where NumPy gives float64)."""
    dts = [x.dtype, y.dtype]
    floats = [d for d in dts if d.kind == "f"]
    if expected.dtype.kind != "f" or len(floats) == 2:
        return x, y
    if not floats:
        # integers divided: the first float loop both cast to safely
        small = np.promote_types(*dts).itemsize <= 2
        loop = np.dtype(np.float32 if small else np.float64)
        return x.astype(loop), y.astype(loop)
    return x.astype(floats[0]), y.astype(floats[0])


# NumPy's vector loops pick either of two equal zeros for these (the
# same call differs from one element to the next): signs of zero are not
# compared.
ANY_ZERO = {"maximum", "minimum", "fmax", "fmin"}


def check_values(name, actual, expected, exact):
    if isinstance(expected, np.ndarray):
        assert_same_array(actual, expected, exact=exact, where=name,
                          zero_signs=name not in ANY_ZERO)
    elif exact:
        assert actual == expected or (actual != actual and
                                      expected != expected), name
    else:
        assert math.isclose(actual, expected, rel_tol=1e-13) or (
            math.isnan(actual) and math.isnan(expected)), name


@pytest.mark.parametrize("name", EXACT_UNARY + ROUGH_UNARY)
@FEWER
@given(a=arrays())
def test_unary_on_arrays(name, a):
    f = UNARY[name]
    if not supported(name, a.dtype):
        with pytest.raises(TypingError):
            f(a)
        return
    if name in ("negative", "positive") and a.dtype == np.bool_:
        a = a.astype(np.int8)       # NumPy has no loop; Numba goes by int8
    kind, actual, expected = run_both(f, a)
    assert kind == "ok", (actual, expected)
    if expected.dtype == np.float16:
        expected = f.py_func(a.astype(np.float32))
    if name == "square" and a.dtype == np.bool_:
        expected = a & a            # Numba's square of booleans is bool
    check_values(name, actual, expected, name in EXACT_UNARY)


@pytest.mark.parametrize("name", EXACT_BINARY + ROUGH_BINARY)
@FEWER
@given(data=st.data())
def test_binary_broadcasting(name, data):
    """Two arrays of the same or broadcasting shapes, any two dtypes."""
    a = data.draw(arrays())
    b = data.draw(arrays(ndim=1, min_side=1))
    shape = a.shape[-1:] if a.size else (1,)
    b = np.resize(b, shape).astype(b.dtype)
    f = BINARY[name]
    if not supported(name, a.dtype, b.dtype):
        with pytest.raises(TypingError):
            f(a, b)
        return
    for x, y in ((a, b), (b, a)):
        if x.dtype == y.dtype == np.bool_ and name in (
                "subtract", "floor_divide", "remainder", "power"):
            # NumPy has no loop; Numba computes in int8
            x, y = x.astype(np.int8), y.astype(np.int8)
        if name == "power" and y.dtype.kind == "i":
            # integers to negative powers: NumPy raises, Numba (and pyjit)
            # compute them as integers; only the common case is compared
            y = np.abs(y) & 7
        kind, actual, expected = run_both(f, x, y)
        assert kind == "ok", (actual, expected)
        if expected.dtype == np.float16:
            x, y = x.astype(np.float32), y.astype(np.float32)
        x, y = numba_operands(x, y, expected)
        with np.errstate(all="ignore"):
            expected = f.py_func(x, y)
        want = expected.dtype
        if name in ("floor_divide", "remainder") and want.kind in "iu":
            # NumPy gives 0 for x // 0 and x % 0 of integers; so does pyjit
            expected = np.where(y == 0, 0, expected).astype(want)
        check_values(name, actual, expected, name in EXACT_BINARY)


@pytest.mark.parametrize("name", ["maximum", "minimum", "fmax", "fmin",
                                  "hypot", "copysign", "arctan2", "add",
                                  "greater", "logical_and"])
@SOME
@given(a=arrays(dtype=np.dtype("float64")),
       x=st.one_of(st.floats(-10, 10), st.sampled_from([float("nan"), -0.0])))
def test_binary_with_a_number(name, a, x):
    f = BINARY[name]
    for args in ((a, x), (x, a)):
        kind, actual, expected = run_both(f, *args)
        assert kind == "ok", (actual, expected)
        check_values(name, actual, expected, name in EXACT_BINARY)


@pytest.mark.parametrize("name", EXACT_BINARY + ROUGH_BINARY)
@SOME
@given(x=st.one_of(st.floats(-100, 100), st.sampled_from(
           [float("nan"), float("inf"), -0.0, 0.0, 2.0])),
       y=st.one_of(st.floats(-100, 100), st.sampled_from(
           [float("nan"), float("-inf"), -0.0, 0.0, 3.0])))
def test_binary_on_numbers(name, x, y):
    """Two floats give a float, as NumPy's float64 loop computes it."""
    kind, actual, expected = run_both(BINARY[name], x, y)
    assert kind == "ok", (actual, expected)
    if name in ("floor_divide", "remainder") and y == 0:
        return      # Python's float // 0.0 under NumPy's error model
    check_values(name, actual, expected, name in EXACT_BINARY)


@pytest.mark.parametrize("name", ["maximum", "minimum", "fmax", "fmin"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_extremes_on_numbers_keep_the_type(name, dtype):
    f = BINARY[name]
    x, y = np.array([3, 1], dtype=dtype)
    assert f(x, y) == getattr(np, name)(x, y)
    assert_compiled(f)
    assert return_type(f, dtype.name, dtype.name) == dtype.name


@pytest.mark.parametrize("name", ["sign", "rint", "floor", "arcsinh",
                                  "radians", "cbrt", "exp2"])
@SOME
@given(x=st.one_of(st.floats(-1e6, 1e6), st.sampled_from(
    [float("nan"), float("inf"), -0.0, 0.5, -2.5])))
def test_unary_on_numbers(name, x):
    kind, actual, expected = run_both(UNARY[name], x)
    assert kind == "ok"
    assert type(actual) is float
    check_values(name, actual, float(expected), name not in ROUGH_UNARY)


@pytest.mark.parametrize("dtype", [np.dtype(n) for n in
                                   ("int8", "int64", "uint8", "float32")])
def test_sign_of_numbers_keeps_the_type(dtype):
    f = UNARY["sign"]
    for x in np.array([-3, 0, 5]).astype(dtype):
        assert f(x) == np.sign(x)
    assert return_type(f, dtype.name) == dtype.name


COMPLEX_PARTS = [0.0, -0.0, 1e-310, -3.0, 2.5, 1e308, np.inf, -np.inf, np.nan]


@pytest.mark.parametrize("dtype", [np.complex128, np.complex64])
def test_sign_of_complex_values_is_numpy_2s(dtype):
    # z / |z|, 0 for 0, an infinite part's direction, NaN for two infinite
    # parts or a NaN: NumPy 2's np.sign, on arrays and on numbers
    f = UNARY["sign"]
    z = np.array([complex(a, b) for a in COMPLEX_PARTS for b in COMPLEX_PARTS],
                 dtype=dtype)
    got, want = f(z), np.sign(z)
    assert got.dtype == want.dtype
    np.testing.assert_allclose(got, want, rtol=1e-6, equal_nan=True)
    np.testing.assert_allclose(f(z[::-3].reshape(3, -1)),
                               np.sign(z[::-3].reshape(3, -1)), rtol=1e-6,
                               equal_nan=True)
    for x in z[::7]:
        np.testing.assert_allclose(f(x), np.sign(x), rtol=1e-6,
                                   equal_nan=True)
    assert_compiled(f)


def test_math_cbrt_exp2():
    @njit
    def f(x):
        return math.cbrt(x), math.exp2(x)

    for x in (-8.0, 0.0, 27.0, 3.5, float("inf")):
        got = f(x)
        assert got == (math.cbrt(x), math.exp2(x))
    assert_compiled(f)


@njit
def clip(a, lo, hi):
    return np.clip(a, lo, hi)


@SOME
@given(a=arrays(),
       lo=st.integers(-5, 5), width=st.integers(0, 10))
def test_clip(a, lo, width):
    f = clip
    if a.dtype == np.bool_:
        return
    if a.dtype.kind == "u":
        lo = abs(lo)        # NumPy 2 refuses bounds its dtype cannot hold
    kind, actual, expected = run_both(f, a, lo, lo + width)
    assert kind == "ok"
    assert_same_array(actual, expected.astype(a.dtype))


@njit
def clip_one_side(a, lo, hi):
    return np.clip(a, lo, None), np.clip(a, None, hi), a.clip(None, None)


@SOME
@given(a=arrays(), lo=st.integers(0, 5), width=st.integers(0, 10))
@example(a=np.array([-0.0], np.float32), lo=0, width=0)
@example(a=np.array([0.0, -0.0, np.nan]), lo=0, width=0)
def test_clip_with_a_bound_of_none(a, lo, width):
    # NumPy clips with one bound by np.maximum / np.minimum: a tie of
    # zeros gives the bound (+0.0 for -0.0 clipped at 0)
    if a.dtype == np.bool_:
        return
    kind, actual, expected = run_both(clip_one_side, a, lo, lo + width)
    assert kind == "ok"
    for got, want in zip(actual, expected):
        assert_same_array(got, want.astype(a.dtype))
    assert_compiled(clip_one_side)


@njit
def clip_by_arrays(a, lo, hi):
    return np.clip(a, lo, hi), np.clip(a, lo, None), a.clip(None, hi)


@st.composite
def bound_of(draw, shape, dtype):
    """An array that broadcasts against shape: some sides 1."""
    side = [draw(st.sampled_from([n, 1])) for n in shape]
    b = draw(arrays(dtype=np.dtype(dtype), ndim=1, min_side=1))
    return np.resize(b, side)


@SOME
@given(a=arrays(dtype=np.dtype("float64"), ndim=3),
       dtypes=st.sampled_from([("float64", "float64"), ("int32", "int32"),
                               ("float32", "int64")]), data=st.data())
def test_clip_with_array_bounds(a, dtypes, data):
    # the bounds broadcast with a; the dtype is NumPy's promotion of all.
    # The sign of a zero tied with a zero bound depends on which loop
    # NumPy's iterator picks, which follows the strides.
    lo = data.draw(bound_of(a.shape, dtypes[0]))
    hi = data.draw(bound_of(a.shape, dtypes[1]))
    for x in (a.astype(lo.dtype, order="C"), a[..., :1]):
        kind, actual, expected = run_both(clip_by_arrays, x, lo, hi)
        assert kind == "ok"
        for got, want in zip(actual, expected):
            assert_same_array(got, want, zero_signs=False)


def test_clip_with_array_bounds_ties_and_nans():
    a = np.array([-0.0, 0.0, np.nan, 1.0, -3.0, 2.0])
    lo = np.array([0.0, -0.0, 0.0, np.nan, 1.0, 3.0])
    hi = np.array([0.0, -0.0, 1.0, 2.0, 2.0, 1.0])
    kind, actual, expected = run_both(clip_by_arrays, a, lo, hi)
    for got, want in zip(actual, expected):
        assert_same_array(got, want)
    # bounds of fewer dimensions, a number among them
    for x, low, high in ((a.reshape(2, 3), lo[:1], np.float64(0.0)),
                         (a.reshape(2, 3)[:, ::2], lo[:2], hi[:1]),
                         (a[:0], lo[:1], hi[:1])):
        kind, actual, expected = run_both(clip_by_arrays, x, low, high)
        for got, want in zip(actual, expected):
            assert_same_array(got, want)


@njit
def rounded(a, d):
    return np.round(a, d), np.around(a, d), a.round(d)


@SOME
@given(a=arrays(), decimals=st.integers(-3, 4))
def test_round(a, decimals):
    f = rounded
    if a.dtype == np.bool_ or (a.dtype.kind in "iu" and decimals < 0):
        return
    kind, actual, expected = run_both(f, a, decimals)
    assert kind == "ok", actual
    for got, want in zip(actual, expected):
        assert_same_array(got, want)


def test_mismatched_shapes_raise_numpys_error():
    f = BINARY["maximum"]
    with pytest.raises(ValueError, match="could not be broadcast"):
        f(np.zeros(3), np.zeros(4))
