"""@stencil: relative indexing over the interior of an array, compared with
the same computation written with NumPy slices, from Python and from
jitted code."""
import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given

from difftest import FEW, SETTINGS, assert_compiled
from pyjit import njit, stencil


@stencil
def cross(a):
    return a[0, 1] + a[1, 0] + a[0, -1] + a[-1, 0]


@stencil
def jacobi(a):
    return 0.25 * (a[0, 1] + a[1, 0] + a[0, -1] + a[-1, 0])


@stencil(cval=7.5)
def pair_sum(a):
    return a[0, 1] + a[0, -1]


@stencil(neighborhood=((-2, 2),))
def window(a):
    s = 0
    for i in range(-2, 3):
        s += a[i]
    return s


@stencil(standard_indexing=("w",))
def weighted(a, w):
    return w[0] * a[-1] + w[1] * a[0] + w[2] * a[1]


@njit
def jitted_jacobi(a):
    return jacobi(a)


def slices_cross(a):
    out = np.zeros(a.shape, dtype=(a[:1, :1] + a[:1, :1]).dtype)
    if a.shape[0] > 2 and a.shape[1] > 2:
        out[1:-1, 1:-1] = (a[1:-1, 2:] + a[2:, 1:-1] + a[1:-1, :-2]
                           + a[:-2, 1:-1])
    return out


grids = hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=2,
                                                min_side=0, max_side=9),
                   elements=st.floats(-1e3, 1e3))


@SETTINGS
@given(grids)
def test_relative_indexing_matches_slices(a):
    np.testing.assert_array_equal(cross(a), slices_cross(a))
    np.testing.assert_array_equal(jacobi(a), 0.25 * slices_cross(a))
    np.testing.assert_array_equal(jitted_jacobi(a), jacobi(a))
    assert_compiled(jitted_jacobi)
    assert_compiled(jacobi.__pyjit_jitted__)


@FEW
@given(hnp.arrays(np.int64, hnp.array_shapes(min_dims=2, max_dims=2,
                                             min_side=0, max_side=7),
                  elements=st.integers(-1000, 1000)))
def test_integer_kernel_keeps_integers_and_cval_converts(a):
    r = cross(a)
    assert r.dtype == np.int64
    np.testing.assert_array_equal(r, slices_cross(a))
    p = pair_sum(a)
    assert p.dtype == np.int64
    want = np.full(a.shape, 7, np.int64)
    if a.shape[1] > 2:
        want[:, 1:-1] = a[:, 2:] + a[:, :-2]
    np.testing.assert_array_equal(p, want)


@FEW
@given(hnp.arrays(np.float64, st.integers(0, 12),
                  elements=st.floats(-1e3, 1e3)))
def test_neighborhood_and_standard_indexing(x):
    want = np.zeros(len(x))
    for i in range(2, len(x) - 2):
        want[i] = sum(x[i - 2:i + 3])
    np.testing.assert_allclose(window(x), want, rtol=1e-12, atol=1e-9)
    w = np.array([0.25, 0.5, 0.25])
    want = np.zeros(len(x))
    want[1:-1] = 0.25 * x[:-2] + 0.5 * x[1:-1] + 0.25 * x[2:]
    np.testing.assert_allclose(weighted(x, w), want, rtol=1e-12, atol=1e-9)


def test_numba_docs_stencil_example():
    @stencil
    def kernel1(a):
        return 0.25 * (a[0, 1] + a[1, 0] + a[0, -1] + a[-1, 0])

    input_arr = np.arange(100).reshape((10, 10))
    output_arr = kernel1(input_arr)
    assert output_arr.dtype == np.float64
    assert output_arr[1, 1] == 11.0 and output_arr[0].sum() == 0
    np.testing.assert_array_equal(output_arr[1:-1, 1:-1],
                                  input_arr[1:-1, 1:-1].astype(float))


def not_constant(a, k):
    return a[k]


def two_ways(a):
    return a[0] + a[0, 1]


def test_errors_say_what_to_do():
    with pytest.raises(ValueError, match="needs the neighborhood= option"):
        stencil(not_constant)
    with pytest.raises(ValueError, match="different numbers of dimensions"):
        stencil(two_ways)
    with pytest.raises(ValueError, match="only 'constant'"):
        stencil("nearest")(not_constant)
    with pytest.raises(TypeError, match="unknown option"):
        stencil(bogus=1)
