"""Differential tests: boolean-mask indexing, a[mask] (a new 1-d array in
C order) and a[mask] = v (a number, one value, or one value per true
element), against NumPy on arrays of 1 to 3 dimensions of many dtypes,
0-sized ones and views that are not contiguous among them; and NumPy's
errors for masks and values that do not fit."""
import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given

from difftest import assert_compiled
from np_arrays import SOME, arrays, assert_same_array, run_both
from pyjit import njit
from pyjit.errors import TypingError


@njit
def select(a, mask):
    return a[mask]


@njit
def select_positive(a):
    return a[a > 0]


@njit
def assign(a, mask, v):
    a[mask] = v
    return a


def masks(a):
    """A mask of a's shape, sometimes a view that is not contiguous."""
    return st.sampled_from([False, True]).flatmap(
        lambda strided: hnp.arrays(np.bool_, a.shape).map(
            lambda m: m if not strided else np.repeat(m, 2, axis=-1)[..., ::2]))


def same_result(f, *args):
    kind, got, want = run_both(f, *args)
    if kind == "exc":
        assert type(got) is type(want) and str(got) == str(want), (got, want)
    else:
        assert_same_array(got, want)


@SOME
@given(st.data(), arrays())
def test_select(data, a):
    mask = data.draw(masks(a))
    same_result(select, a, mask)
    if a.dtype.kind != "b":
        same_result(select_positive, a)


@pytest.mark.parametrize("shape", [(7,), (3, 4), (2, 3, 2)])
def test_select_stops_where_the_last_true_element_is(shape):
    # the gather stores every element and stops once the result is full:
    # falses after the last true one, at the end of a row or in the
    # middle of one, are not stored past its end
    a = np.arange(np.prod(shape), dtype=np.float64).reshape(shape) + 1.0
    for k in range(a.size + 1):
        for mask in (np.arange(a.size) < k, np.arange(a.size) >= k,
                     np.arange(a.size) % (k + 1) == 0):
            mask = mask.reshape(shape)
            np.testing.assert_array_equal(select(a, mask), a[mask])
    assert_compiled(select)


@SOME
@given(st.data(), arrays(dtype=np.dtype("float64")))
def test_assign_number(data, a):
    mask = data.draw(masks(a))
    v = data.draw(st.floats(-100, 100))
    got = assign(a.copy(), mask, v)
    assert_compiled(assign)
    assert_same_array(got, assign.py_func(a.copy(), mask, v))


@SOME
@given(st.data(), arrays(dtype=np.dtype("int64")))
def test_assign_array(data, a):
    mask = data.draw(masks(a))
    n = int(np.count_nonzero(mask))
    size = data.draw(st.sampled_from([n, 1, n + 1, max(n - 1, 0)]))
    v = np.arange(size, dtype=np.int32) * 3 - 7
    same_result(assign, a.copy(), mask, v)


@pytest.mark.parametrize("shape,mask_shape", [
    ((3,), (4,)), ((2, 3), (2, 4)), ((2, 3), (3, 3)),
    ((2, 3, 1), (2, 3, 2))])
def test_mask_of_another_shape(shape, mask_shape):
    a, mask = np.zeros(shape), np.ones(mask_shape, bool)
    same_result(select, a, mask)
    same_result(assign, a, mask, 1.0)


def test_masks_that_do_not_type():
    with pytest.raises(TypingError, match="the indexed array's dimensions"):
        select(np.zeros((2, 3, 2)), np.ones((2, 3), bool))
    with pytest.raises(TypingError, match="0 or 1-dimensional input"):
        assign(np.zeros(3), np.ones(3, bool), np.ones((3, 1)))
    with pytest.raises(TypingError, match="read-only"):
        a = np.zeros(3)
        a.flags.writeable = False
        assign(a, np.ones(3, bool), 1.0)
