"""A whole array reduced by `acc *= e` in a prange loop (Numba's documented
array reduction): each chunk multiplies into ones of acc's shape and the
partials multiply into acc after the loop, so the result is the serial
loop's, compared over generated arrays and iteration counts."""
import numpy as np
from hypothesis import given, strategies as st
from hypothesis.extra import numpy as hnp

import pyjit
from pyjit import prange
from difftest import FEW, assert_compiled


@pyjit.njit(parallel=True)
def product_of_rows(a):
    acc = np.ones(a.shape[1], a.dtype)
    for i in prange(a.shape[0]):
        acc *= a[i]
    return acc


@pyjit.njit(parallel=True)
def powers_of_two(n):
    result = 2 * np.ones((3, 5), np.int64)
    tmp = 2 * np.ones_like(result)
    for i in prange(n):
        result *= tmp
    return result


@FEW
@given(hnp.arrays(np.int64, st.tuples(st.integers(0, 40), st.integers(1, 4)),
                  elements=st.integers(-3, 3)))
def test_integer_rows_multiply_as_the_serial_loop(a):
    np.testing.assert_array_equal(product_of_rows(a),
                                  product_of_rows.py_func(a))
    assert_compiled(product_of_rows)


@FEW
@given(hnp.arrays(np.float64, st.tuples(st.integers(0, 40), st.integers(1, 4)),
                  elements=st.sampled_from([0.5, 1.0, 2.0, -1.0, 4.0])))
def test_float_rows_multiply_as_the_serial_loop(a):
    # powers of two multiply exactly in any order
    np.testing.assert_array_equal(product_of_rows(a),
                                  product_of_rows.py_func(a))


@FEW
@given(st.integers(0, 60))
def test_the_documented_pattern(n):
    np.testing.assert_array_equal(powers_of_two(n), powers_of_two.py_func(n))
    assert_compiled(powers_of_two)
