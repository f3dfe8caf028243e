"""f.overloads[sig].entry_point: one specialization called from Python
without the dispatcher's resolution (csrc/entry_point.c), as libraries
written for Numba call it (a search index keeps the entry point of the
one signature its queries use)."""
import functools
import gc

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pyjit import njit, types

from difftest import FEW, assert_compiled


@njit
def weighted(a, k, x):
    return a.sum() * k + x


SIG = (types.Array(types.float64, 1, "C"), types.int64, types.float64)


def entry():
    weighted(np.ones(1), 1, 0.0)
    return weighted.overloads[SIG].entry_point


@FEW
@given(st.lists(st.floats(-1e3, 1e3), max_size=20), st.integers(-50, 50),
       st.floats(-1e3, 1e3))
def test_the_entry_point_computes_what_the_function_does(values, k, x):
    a = np.array(values, np.float64)
    assert entry()(a, k, x) == weighted(a, k, x)
    assert entry()(a, k, x) == pytest.approx(weighted.py_func(a, k, x),
                                             rel=1e-12, abs=1e-9)
    assert_compiled(weighted)


def test_numbers_convert_as_at_a_call_with_signatures():
    e = entry()
    assert e(np.ones(4), True, 1) == 5.0            # bool -> int64, int -> float
    assert e(np.ones(4), np.int32(2), np.float32(0.5)) == 8.5


def test_a_partial_of_the_entry_point_is_a_callable():
    query = functools.partial(entry(), np.arange(3.0))
    assert query(2, 1.0) == 7.0


def test_an_argument_it_does_not_take_is_a_type_error():
    e = entry()
    with pytest.raises(TypeError, match=r"argument 0 is array\(float32"):
        e(np.ones(4, np.float32), 3, 0.5)
    with pytest.raises(TypeError, match="takes 3 positional arguments"):
        e(np.ones(4), 3)
    with pytest.raises(TypeError, match="takes 3 positional arguments"):
        e(np.ones(4), 3, x=1.0)
    with pytest.raises(TypeError, match="argument 1.*does not fit in 64 bits"):
        e(np.ones(4), 2**70, 1.0)
    with pytest.raises(TypeError, match="argument 0 is float64"):
        e(1.0, 3, 0.5)


def test_the_entry_point_keeps_its_function_alive():
    f = njit(lambda a, b: a * b)
    f(2, 3)
    e = next(iter(f.overloads.values())).entry_point
    del f
    gc.collect()
    assert e(4, 5) == 20


def test_an_exception_in_the_code_reaches_the_caller():
    @njit
    def checked(x):
        if x < 0:
            raise ValueError("x must not be negative")
        return x * 2
    checked(1)
    e = next(iter(checked.overloads.values())).entry_point
    assert e(3) == 6
    with pytest.raises(ValueError, match="must not be negative"):
        e(-1)
