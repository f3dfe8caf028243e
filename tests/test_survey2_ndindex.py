"""np.ndindex and np.ndenumerate in compiled loops, compared with NumPy's
over generated shapes and arrays."""
import numpy as np
import pytest
from hypothesis import given, strategies as st
from hypothesis.extra import numpy as hnp

import pyjit
from difftest import FEW, assert_compiled

shapes = hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=3)


@pyjit.njit
def indices_of_shape(shape):
    return [i for i in np.ndindex(shape)]


@pyjit.njit
def indices_of_sizes(n, m):
    return [i for i in np.ndindex(n, m)]


@pyjit.njit
def enumerate_array(a):
    return [(i, v) for i, v in np.ndenumerate(a)]


@pyjit.njit
def double_in_place(a):
    for i in np.ndindex(a.shape):
        a[i] = 2 * a[i]


@FEW
@given(shapes)
def test_ndindex_of_a_shape_tuple(shape):
    assert indices_of_shape(shape) == list(np.ndindex(shape))
    assert_compiled(indices_of_shape)


@FEW
@given(st.integers(0, 4), st.integers(0, 4))
def test_ndindex_of_sizes(n, m):
    assert indices_of_sizes(n, m) == list(np.ndindex(n, m))
    assert_compiled(indices_of_sizes)


@FEW
@given(hnp.arrays(np.int64, hnp.array_shapes(min_dims=1, max_dims=4,
                                             min_side=0, max_side=3)))
def test_ndenumerate_pairs(a):
    got = enumerate_array(a)
    assert got == [(i, int(v)) for i, v in np.ndenumerate(a)]
    assert_compiled(enumerate_array)


@FEW
@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3,
                                               max_side=4),
                  elements=st.floats(-1e6, 1e6)))
def test_ndindex_indexes_a_strided_view(a):
    view = a[..., ::2]
    expected = a.copy()
    expected[..., ::2] *= 2
    double_in_place(view)
    np.testing.assert_array_equal(a, expected)
    assert_compiled(double_in_place)


def test_ndindex_of_a_float_is_a_typing_error():
    @pyjit.njit
    def bad(x):
        return [i for i in np.ndindex(x)]

    with pytest.raises(pyjit.errors.TypingError, match="ndindex"):
        bad(2.5)
