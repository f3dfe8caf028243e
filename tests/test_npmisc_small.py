"""Differential tests: math.nextafter and math.dist against CPython's (to
the last bit), the typing error of an integer matrix product, and the
ValueError of a BLAS call with a size over Fortran's 32-bit INTEGER."""
import math

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings
from numpy.lib.stride_tricks import as_strided

import pyjit
from difftest import assert_compiled
from pyjit import njit

FLOATS = st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                   st.sampled_from([0.0, -0.0, 5e-324, -5e-324, 1e-310,
                                    1.7976931348623157e308]))


@njit
def nextafter(x, y):
    return math.nextafter(x, y)


@njit
def dist(p, q):
    return math.dist(p, q)


def _same(a, b):
    assert a == b or (a != a and b != b)
    assert math.copysign(1.0, a) == math.copysign(1.0, b) or a != a


@settings(max_examples=200, deadline=None)
@given(x=FLOATS, y=FLOATS)
def test_nextafter(x, y):
    _same(nextafter(x, y), math.nextafter(x, y))
    assert_compiled(nextafter)


@settings(max_examples=200, deadline=None)
@given(n=st.integers(1, 4), data=st.data())
def test_dist(n, data):
    p = tuple(data.draw(FLOATS) for _ in range(n))
    q = tuple(data.draw(FLOATS) for _ in range(n))
    _same(dist(p, q), math.dist(p, q))
    assert_compiled(dist)


@pytest.mark.parametrize("p, q", [
    ((0.0, 0.0), (2.225073858507203e-309, 1e-310)),
    ((-4.410352679777793e-309, 0.0), (0.0, 5.23850855188772e-309)),
    ((5e-324, 1e-323, -2e-323), (0.0, 0.0, 0.0)),
    ((1e-310, 2e-310), (3e-310, -4e-310)),
])
def test_dist_of_subnormal_differences(p, q):
    # the interpreter's own algorithm for a subnormal largest difference
    # (CPython 3.11 divides by it; 3.12 scales by DBL_MIN)
    _same(dist(p, q), math.dist(p, q))


def test_dist_of_arrays_and_mismatched_points():
    p, q = np.array([1e-320, 3e-320]), np.array([0.0, -1e-321])
    _same(dist(p, q), math.dist(list(p), list(q)))
    with pytest.raises(ValueError, match="same number of dimensions"):
        dist(np.ones(2), np.ones(3))


@njit
def matmul(a, b):
    return a @ b


@njit
def dot(a, b):
    return np.dot(a, b)


@pytest.mark.parametrize("f, name", [(matmul, "np.matmul"), (dot, "np.dot")])
def test_integer_matrix_product_is_a_typing_error(f, name):
    with pytest.raises(pyjit.TypingError,
                       match=name + r" of matrices takes float and complex "
                                    r"arrays, not int32 and float64"):
        f(np.ones((2, 2), np.int32), np.ones((2, 2)))


def test_blas_size_over_int32_is_a_value_error():
    base = np.zeros(4)
    wide = as_strided(base, shape=(2, 2), strides=(2**31 * 8, 8))
    with pytest.raises(ValueError, match=r"dgemm takes dimensions and sizes "
                                         r"up to 2\*\*31-1"):
        matmul(wide, np.ones((2, 2)))
    # (a dot product of two vectors has no such limit: it goes to BLAS in
    # chunks, as NumPy's does)
    long = as_strided(base, shape=(2**31,), strides=(8,))
    tall = as_strided(base, shape=(2**31, 2), strides=(16, 8))
    with pytest.raises(ValueError, match=r"dgemv takes .* up to 2\*\*31-1"):
        dot(long, tall)
    np.testing.assert_array_equal(matmul(np.ones((2, 2)), np.ones((2, 2))),
                                  np.full((2, 2), 2.0))
