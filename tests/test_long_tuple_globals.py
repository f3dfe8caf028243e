"""A global or closure tuple of more numbers than a tuple type holds (255),
all of one class, is read as Numba reads its long tuple: pandas' ewm with
engine="numba" captures a column's time gaps as one."""
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given

from difftest import FEW, assert_compiled
from pyjit import njit
from pyjit.errors import TypingError

FLOATS = tuple(np.linspace(0.0, 1.0, 1000))
INTS = tuple(range(-150, 350))
BOOLS = tuple(i % 3 == 0 for i in range(400))


def read(i):
    return FLOATS[i] * 2.0 + len(FLOATS) + INTS[i % len(INTS)] + BOOLS[i % 400]


def total():
    s = 0.0
    for x in FLOATS:
        s += x
    return s + sum(INTS)


def ewm_like(deltas):
    """pandas.core.window.numba_.generate_numba_ewm_func's closure."""
    def ewm(values, alpha):
        out = np.empty(len(values))
        weighted = values[0]
        old_wt = 1.0
        out[0] = weighted
        for j in range(1, len(values)):
            old_wt *= (1.0 - alpha) ** deltas[j - 1]
            weighted = (old_wt * weighted + values[j]) / (old_wt + 1.0)
            old_wt += 1.0
            out[j] = weighted
        return out
    return ewm


@FEW
@given(st.integers(-1000, 999))
def test_items_are_the_tuples(i):
    f = njit(read)
    assert f(i) == read(i)
    assert_compiled(f)


def test_iteration_and_len():
    f = njit(total)
    assert f() == total()
    assert_compiled(f)


@pytest.mark.parametrize("n", [2, 300, 1001])
def test_closure_like_pandas_ewm(n):
    rng = np.random.default_rng(n)
    values = rng.random(n)
    deltas = tuple(rng.random(n - 1))
    py = ewm_like(deltas)
    f = njit(py)
    np.testing.assert_allclose(f(values, 0.3), py(values, 0.3), rtol=1e-13)
    assert_compiled(f)


MIXED = tuple([1.0] * 200 + [1] * 200)


def mixed(i):
    return MIXED[i]


def test_numbers_of_several_classes_are_still_refused_with_the_reason():
    with pytest.raises(TypingError, match="too many items"):
        njit(mixed)(0)
