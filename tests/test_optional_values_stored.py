"""A value that may be None (a function whose last branch falls off its
end returns an Optional) stored into an array, as Numba stores it: the
value when there is one, TypeError "expected <type>, got None" when there
is not (pacmap's calculate_dist feeds dist_list[t] this way)."""
import numpy as np
import pytest
from hypothesis import given, strategies as st

from pyjit import njit

from difftest import FEW, assert_compiled


@njit
def distance(a, b, kind):
    if kind == 0:
        return np.sqrt(((a - b) ** 2).sum())
    elif kind == 1:
        return np.abs(a - b).sum()


@njit
def distances(X, kind):
    out = np.empty(X.shape[0], dtype=np.float32)
    for i in range(X.shape[0]):
        out[i] = distance(X[i], X[0], kind)
    return out


@njit
def store_at(a, i, v):
    a[i] = v if v > 0 else None
    return a


@given(st.integers(0, 12), st.sampled_from([0, 1]))
@FEW
def test_an_optional_result_is_stored_when_it_has_a_value(n, kind):
    X = np.random.default_rng(n).random((n, 3)).astype(np.float32)
    np.testing.assert_allclose(distances(X, kind),
                               distances.py_func(X, kind), rtol=1e-6)
    assert_compiled(distances)


def test_none_stored_into_an_array_raises_type_error():
    X = np.ones((3, 2), np.float32)
    with pytest.raises(TypeError, match="^expected float32, got None$"):
        distances(X, 2)
    a = np.zeros(3)
    assert list(store_at(a, 1, 2.5)) == [0.0, 2.5, 0.0]
    with pytest.raises(TypeError, match="^expected float64, got None$"):
        store_at(a, 1, -1.0)
    assert_compiled(store_at)
