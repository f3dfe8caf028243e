"""@guvectorize(..., writable_args=(...)): the inputs a kernel writes are
written back even when NumPy casts them for the loop, as in Numba's
documented example; without it a cast input's writes are lost.  An output
NumPy casts for the loop holds what the caller's array held, for a kernel
that adds to it."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pyjit import float64, guvectorize

from difftest import FEW


def init_values_py(invals, outvals):
    invals[0] = 6.5
    outvals[0] = 4.2


plain = guvectorize([(float64[:], float64[:])], "()->()")(init_values_py)
by_name = guvectorize([(float64[:], float64[:])], "()->()",
                      writable_args=("invals",))(init_values_py)
by_position = guvectorize([(float64[:], float64[:])], "()->()",
                          writable_args=(0,))(init_values_py)


@FEW
@given(rows=st.integers(1, 4), cols=st.integers(1, 4),
       dtype=st.sampled_from([np.float32, np.float64]))
def test_writable_input_is_written_back(rows, cols, dtype):
    for uf in (by_name, by_position):
        invals = np.zeros((rows, cols), dtype=dtype)
        out = uf(invals)
        np.testing.assert_array_equal(invals, np.full((rows, cols), 6.5))
        np.testing.assert_array_equal(out, np.full((rows, cols), 4.2))


def test_without_it_a_cast_input_keeps_its_values():
    invals = np.zeros((2, 2), dtype=np.float32)
    plain(invals)
    np.testing.assert_array_equal(invals, np.zeros((2, 2)))
    same = np.zeros((2, 2))
    plain(same)                                  # no cast: written in place
    np.testing.assert_array_equal(same, np.full((2, 2), 6.5))


def test_an_unknown_name_is_refused():
    with pytest.raises(RuntimeError, match="writable arg nope not found"):
        guvectorize([(float64[:], float64[:])], "()->()",
                    writable_args=("nope",))(init_values_py)
    with pytest.raises(ValueError, match="not the position of an input"):
        guvectorize([(float64[:], float64[:])], "()->()",
                    writable_args=(1,))(init_values_py)


def accumulate_py(x, out):
    for i in range(x.shape[0]):
        out[i] += x[i]


accumulate = guvectorize([(float64[:], float64[:])], "(n)->(n)")(
    accumulate_py)


@FEW
@given(n=st.integers(1, 6), dtype=st.sampled_from([np.float32, np.float64]),
       strided=st.booleans())
def test_a_cast_output_is_read_before_the_kernel_adds_to_it(n, dtype,
                                                             strided):
    x = np.arange(n, dtype=np.float32)
    base = np.arange(2 * n, dtype=dtype).reshape(n, 2) + 0.5
    out = base[:, 0] if strided else np.ascontiguousarray(base[:, 0])
    want = out + x
    accumulate(x, out)
    np.testing.assert_array_equal(out, want)


def test_an_output_not_passed_is_still_allocated():
    def double_py(x, out):
        for i in range(x.shape[0]):
            out[i] = 2 * x[i]
    double = guvectorize([(float64[:], float64[:])], "(n)->(n)")(double_py)
    x = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(double(x), 2 * x)
    np.testing.assert_array_equal(double(x.astype(np.float32)), 2 * x)
