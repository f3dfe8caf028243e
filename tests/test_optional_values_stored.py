"""A value that may be None (a function whose last branch falls off its
end returns an Optional) stored into an array, as Numba stores it: the
value when there is one, TypeError "expected <type>, got None" when there
is not (pacmap's calculate_dist feeds dist_list[t] this way)."""
import numpy as np
import pytest
from hypothesis import given, strategies as st

from pyjit import njit

from difftest import FEW, assert_compiled, rss_bytes, rss_limit


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


@njit(["i4(f4[:], f4)", "i4(f8[:], f8)"])
def count_above(s, cutoff):
    n = 0
    for v in s:
        if v > cutoff:
            n += 1
    return n


@njit
def singular_values(x, absorb):
    # quimb's SVD returns (U, s, VH) with each part an array or None
    s = np.sqrt(np.abs(x))
    if absorb == 1:
        return None, s
    if absorb == 2:
        return None, None
    return x, s


@njit
def kept(x, cutoff, absorb):
    _, s = singular_values(x, absorb)
    return count_above(s, cutoff)


@FEW
@given(st.integers(0, 6), st.floats(0, 3), st.sampled_from([0, 1, 2]),
       st.sampled_from([np.float32, np.float64]))
def test_an_optional_passed_to_explicit_signatures(n, cutoff, absorb, dtype):
    # the value converts to the signature its type matches; None is
    # Numba's TypeError at the call
    x = np.arange(n, dtype=dtype) - 2
    cutoff = dtype(cutoff)
    if absorb == 2:
        with pytest.raises(TypeError, match=r"expected array\(float"
                           r"(32|64), 1d, C\), got None"):
            kept(x, cutoff, absorb)
        return
    assert kept(x, cutoff, absorb) == kept.py_func(x, cutoff, absorb)
    assert_compiled(kept)


@njit
def kept_or_none(x, absorb):
    try:
        return kept(x, 0.5, absorb)
    except TypeError:
        return -1


def test_memory_stays_flat_over_calls_that_convert_or_raise():
    x = np.arange(50.0)
    kept_or_none(x, 1), kept_or_none(x, 2)
    before = rss_bytes()
    for _ in range(100_000):
        assert kept_or_none(x, 1) == 49
        assert kept_or_none(x, 2) == -1
    assert rss_bytes() - before < rss_limit(8 << 20)
