"""x in a and x not in a of an array of numbers (any dimensions, any
layout), compared with NumPy's `in` over generated arrays and values."""
import numpy as np
import pytest
from hypothesis import given, strategies as st
from hypothesis.extra import numpy as hnp

import pyjit
from difftest import FEW, assert_compiled


@pyjit.njit
def membership(x, a):
    return x in a, x not in a


@FEW
@given(hnp.arrays(np.int64, hnp.array_shapes(min_dims=1, max_dims=3,
                                             min_side=0, max_side=4),
                  elements=st.integers(-5, 5)),
       st.integers(-6, 6))
def test_an_integer_in_an_integer_array(a, x):
    assert membership(x, a) == (x in a, x not in a)
    assert membership(x, a[..., ::2]) == (x in a[..., ::2],
                                          x not in a[..., ::2])
    assert_compiled(membership)


@FEW
@given(hnp.arrays(np.float64, st.integers(0, 6),
                  elements=st.sampled_from([0.0, -0.0, 1.5, np.nan, np.inf])),
       st.sampled_from([0.0, -0.0, 1.5, 2.0, np.nan, -np.inf]))
def test_a_float_in_a_float_array(a, x):
    assert membership(x, a) == (x in a, x not in a)
    assert_compiled(membership)


def test_a_string_in_an_array_is_a_typing_error():
    with pytest.raises(pyjit.errors.TypingError, match="x in a"):
        membership("a", np.zeros(3))
