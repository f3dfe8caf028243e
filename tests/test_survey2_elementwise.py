"""a.fill(v), np.signbit and np.random.ranf / np.random.sample (the older
names of np.random.random_sample), compiled and compared with NumPy."""
import numpy as np
from hypothesis import given, strategies as st
from hypothesis.extra import numpy as hnp

import pyjit
from difftest import FEW, assert_compiled

floats = st.floats(allow_nan=True, allow_infinity=True)
shapes = hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=4)


@pyjit.njit
def fill_and_return(a, v):
    a.fill(v)
    return a


@pyjit.njit
def fill_every_other(a, v):
    a[::2].fill(v)


@FEW
@given(shapes, st.sampled_from([np.float64, np.float32, np.int64, np.int32]),
       st.integers(-1000, 1000))
def test_fill_sets_every_element(shape, dtype, v):
    a = np.zeros(shape, dtype)
    expected = np.zeros(shape, dtype)
    expected.fill(v)
    got = fill_and_return(a, v)
    assert got.dtype == expected.dtype
    np.testing.assert_array_equal(got, expected)
    assert_compiled(fill_and_return)


@FEW
@given(st.integers(0, 9), st.floats(-1e6, 1e6))
def test_fill_of_a_strided_view_converts_to_the_dtype(n, v):
    a = np.arange(n, dtype=np.int64)
    expected = a.copy()
    expected[::2].fill(v)
    fill_every_other(a, v)
    np.testing.assert_array_equal(a, expected)
    assert_compiled(fill_every_other)


@pyjit.njit
def signbit_of(x):
    return np.signbit(x)


@FEW
@given(floats)
def test_signbit_of_a_float(x):
    got = signbit_of(x)
    assert isinstance(got, (bool, np.bool_)) and got == np.signbit(x)
    assert_compiled(signbit_of)


def test_signbit_of_negative_zero_and_nan():
    assert signbit_of(-0.0) and not signbit_of(0.0)
    assert signbit_of(-np.nan) and not signbit_of(np.nan)


@FEW
@given(st.integers(-2 ** 63, 2 ** 63 - 1))
def test_signbit_of_an_integer(x):
    assert signbit_of(x) == np.signbit(x)


@FEW
@given(hnp.arrays(np.float64, shapes, elements=floats))
def test_signbit_of_an_array(a):
    got = signbit_of(a)
    expected = np.signbit(a)
    assert got.dtype == expected.dtype
    np.testing.assert_array_equal(got, expected)
    assert_compiled(signbit_of)


@pyjit.njit
def ranf_draws(seed, n):
    np.random.seed(seed)
    return np.random.ranf(), np.random.sample(n), np.random.ranf((n, 2))


@FEW
@given(st.integers(0, 2 ** 32 - 1), st.integers(0, 5))
def test_ranf_and_sample_draw_as_numpy(seed, n):
    got = ranf_draws(seed, n)
    np.random.seed(seed)
    expected = (np.random.ranf(), np.random.sample(n), np.random.ranf((n, 2)))
    assert got[0] == expected[0]
    np.testing.assert_array_equal(got[1], expected[1])
    np.testing.assert_array_equal(got[2], expected[2])
    assert_compiled(ranf_draws)
