"""bool(a), `if a:`, `not a` and `while a:` of an array in nopython code:
NumPy's truth, the truth of its one item, and ValueError for an array of
no item or of several (sgkit's guvectorize kernels compare a one-item
array in a while loop).  Differential against the plain Python function."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from difftest import FEW, assert_compiled
from pyjit import njit


@njit
def truths(a):
    r = 0
    if a:
        r += 1
    if not a:
        r += 10
    return r, bool(a)


@njit
def count_down(n):
    # sgkit/stats/conversion_numba_fns.py: `while new <= remainder` with
    # remainder a one-item array
    remainder = n
    k = 0
    while 0 < remainder:
        remainder = remainder - 1
        k += 1
    return k


def same(f, *args):
    try:
        expected = f.py_func(*args)
    except ValueError as e:
        with pytest.raises(ValueError, match=str(e)[:20]):
            f(*args)
    else:
        assert f(*args) == expected
    assert_compiled(f)


shapes = hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=2)


@FEW
@given(a=hnp.arrays(st.sampled_from([np.float64, np.int64, np.bool_]),
                    shapes))
def test_truth_of_arrays_of_any_size(a):
    same(truths, a)


@pytest.mark.parametrize("n", [0, 1, 5])
def test_while_on_a_one_item_array(n):
    same(count_down, np.array([n]))
