"""Things real Numba programs do that stopped them under pyjit: a module
that starts with `from __future__ import annotations`, and a typing error
in a function called two calls deep (which must reach the user as the
callee's own TypingError).
"""
import importlib.util
import textwrap

import numpy as np
import pytest
from hypothesis import given, strategies as st

import pyjit
from difftest import FEW, assert_compiled, assert_same, int64s, mod_floats

FUTURE_MODULE = '''
from __future__ import annotations
import numpy as np
from pyjit import njit


@njit
def halvings(x: int) -> int:
    """How many times x divides by 2 (0 for x <= 0)."""
    if x <= 0:
        return 0
    n = 0
    while x % 2 == 0:
        n += 1
        x //= 2
    return n


@njit(cache=False)
def scaled_total(a: np.ndarray, k: float) -> float:
    t = 0.0
    for v in a:
        t += v * k
    return t
'''


@pytest.fixture(scope="module")
def future_module(tmp_path_factory):
    path = tmp_path_factory.mktemp("future") / "future_annotations_mod.py"
    path.write_text(textwrap.dedent(FUTURE_MODULE))
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@FEW
@given(x=int64s)
def test_future_annotations_module_compiles(future_module, x):
    f = future_module.halvings
    assert_same(f(x), f.py_func(x))
    assert_compiled(f)


@FEW
@given(values=st.lists(mod_floats, max_size=20), k=mod_floats)
def test_future_annotations_array_function(future_module, values, k):
    f = future_module.scaled_total
    a = np.array(values, dtype=np.float64)
    assert_same(f(a, k), f.py_func(a, k))
    assert_compiled(f)


# --- errors from a callee of a callee ---

@pyjit.njit
def _bad_attribute(a):
    return a.no_such_attribute


@pyjit.njit
def _middle(a):
    return _bad_attribute(a)


@pyjit.njit
def _outer(a):
    return _middle(a) + 1


@pyjit.njit
def _bad_numpy(a):
    return np.no_such_function(a)


@pyjit.njit
def _middle_branches(a, b):
    if a.shape[0] == 0:
        return b
    return _bad_numpy(a)


@pyjit.njit
def _outer_branches(a, b):
    r = _middle_branches(a, b)
    return r


def test_error_two_calls_deep_is_the_callees_typing_error():
    with pytest.raises(pyjit.TypingError) as info:
        _outer(np.arange(3.0))
    message = str(info.value)
    assert "Unknown attribute 'no_such_attribute'" in message
    assert "return a.no_such_attribute" in message


def test_error_two_calls_deep_in_a_branch():
    with pytest.raises(pyjit.TypingError,
                       match="Unknown attribute 'no_such_function'"):
        _outer_branches(np.arange(3.0), np.arange(2.0))


def test_error_three_calls_deep_then_a_good_call():
    @pyjit.njit
    def top(a):
        return _outer(a)

    with pytest.raises(pyjit.TypingError, match="no_such_attribute"):
        top(np.arange(2))

    @pyjit.njit
    def fine(a):
        return _middle_ok(a) * 2

    assert fine(5) == 12
    assert_compiled(fine)


@pyjit.njit
def _leaf_ok(x):
    return x + 1


@pyjit.njit
def _middle_ok(x):
    return _leaf_ok(x)


# --- np.searchsorted of an array of values, and side= ---

@pyjit.njit
def _search_both_sides(a, v):
    return (np.searchsorted(a, v), np.searchsorted(a, v, side="right"),
            a.searchsorted(v, "right"))


@pyjit.njit
def _search_side(a, v, side):
    return np.searchsorted(a, v, side=side)


values = st.one_of(st.floats(-50, 50, allow_nan=False),
                   st.sampled_from([float("nan"), float("inf"),
                                    float("-inf"), 0.0, 1.0, 2.0]))


@FEW
@given(a=st.lists(st.sampled_from([0.0, 1.0, 1.0, 2.0, -3.5, 7.25,
                                   float("nan")]), max_size=12),
       v=st.lists(values, max_size=8), ndim=st.sampled_from([0, 1, 2]))
def test_searchsorted_arrays_of_values(a, v, ndim):
    a = np.sort(np.array(a, dtype=np.float64))
    if ndim == 0:
        v = v[0] if v else 1.0
    elif ndim == 2:
        v = np.array(v[:len(v) // 2 * 2], dtype=np.float64).reshape(2, -1)
    else:
        v = np.array(v, dtype=np.float64)
    got = _search_both_sides(a, v)
    want = (np.searchsorted(a, v), np.searchsorted(a, v, side="right"),
            np.searchsorted(a, v, side="right"))
    for g, w in zip(got, want):
        assert np.shape(g) == np.shape(w)
        assert np.array_equal(g, w)
    assert_compiled(_search_both_sides)


@FEW
@given(a=st.lists(st.integers(-20, 20), max_size=15),
       v=st.lists(st.integers(-25, 25), max_size=10),
       side=st.sampled_from(["left", "right"]))
def test_searchsorted_integer_arrays_either_side(a, v, side):
    a = np.sort(np.array(a, dtype=np.int64))
    v = np.array(v, dtype=np.int64)
    got = _search_side(a, v, side)
    assert got.dtype == np.int64
    assert np.array_equal(got, np.searchsorted(a, v, side=side))
    assert_compiled(_search_side)


def test_searchsorted_unknown_side():
    a = np.arange(3.0)
    with pytest.raises(ValueError, match="search side must be 'left' or "
                                         "'right'"):
        _search_side(a, 1.0, "middle")


# --- np.dot of matrices and vectors ---

@pyjit.njit
def _dot(a, b):
    return np.dot(a, b)


@pyjit.njit
def _dot_method(a, b):
    return a.dot(b)


def _close(got, want):
    assert np.shape(got) == np.shape(want)
    assert np.asarray(got).dtype == np.asarray(want).dtype
    assert np.allclose(got, want, rtol=1e-5, atol=1e-6)


float_elems = st.floats(-100, 100, allow_nan=False, width=32)


@FEW
@given(n=st.integers(0, 4), k=st.integers(0, 4), m=st.integers(0, 4),
       data=st.data(), dtype=st.sampled_from([np.float64, np.float32]),
       transpose_b=st.booleans())
def test_dot_matrix_products(n, k, m, data, dtype, transpose_b):
    a = np.array(data.draw(st.lists(float_elems, min_size=n * k,
                                    max_size=n * k)), dtype).reshape(n, k)
    b = np.array(data.draw(st.lists(float_elems, min_size=k * m,
                                    max_size=k * m)), dtype).reshape(k, m)
    if transpose_b:
        b = np.ascontiguousarray(b.T).T       # the same values, F order
    v = np.array(data.draw(st.lists(float_elems, min_size=k, max_size=k)),
                 np.float64)
    w = np.array(data.draw(st.lists(float_elems, min_size=n, max_size=n)),
                 dtype)
    _close(_dot(a, b), np.dot(a, b))
    _close(_dot_method(a, b), a.dot(b))
    _close(_dot(a, v), np.dot(a, v))
    _close(_dot(w, a), np.dot(w, a))
    assert_compiled(_dot)


@FEW
@given(a=st.lists(float_elems, max_size=10))
def test_dot_of_vectors_unchanged(a):
    x = np.array(a)
    y = x[::-1].copy()
    _close(_dot(x, y), np.dot(x, y))


def test_dot_shapes_not_aligned():
    # NumPy's messages
    with pytest.raises(ValueError, match=r"shapes \(2,3\) and \(2,3\) not "
                                         r"aligned: 3 \(dim 1\) != 2 \(dim 0\)"):
        _dot(np.ones((2, 3)), np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"shapes \(2,3\) and \(2,\) not "
                                         r"aligned"):
        _dot(np.ones((2, 3)), np.ones(2))
    with pytest.raises(ValueError, match=r"shapes \(3,\) and \(2,\) not "
                                         r"aligned"):
        _dot(np.ones(3), np.ones(2))


def test_dot_of_integer_matrices_is_refused_as_numba_does():
    with pytest.raises(pyjit.TypingError,
                       match="float and complex arrays, not int64 and int64"):
        _dot(np.ones((2, 2), np.int64), np.ones((2, 2), np.int64))


def test_dot_of_3d_arrays():
    with pytest.raises(ValueError, match="np.dot takes 1-d and 2-d arrays"):
        _dot(np.ones((2, 2, 2)), np.ones((2, 2, 2)))


# --- np.round of a number ---

@pyjit.njit
def _round_number(x, decimals):
    return np.round(x), np.round(x, decimals), np.around(x, decimals)


@FEW
@given(x=st.one_of(st.floats(-1e6, 1e6, allow_nan=False),
                   st.sampled_from([0.5, 1.5, 2.5, -0.5, -2.5, 0.125,
                                    float("nan"), float("inf")])),
       decimals=st.integers(-3, 4))
def test_round_of_a_float(x, decimals):
    got = _round_number(x, decimals)
    want = (np.round(x), np.round(x, decimals), np.around(x, decimals))
    for g, w in zip(got, want):
        assert_same(g, float(w))
    assert_compiled(_round_number)


@FEW
@given(x=st.integers(-10 ** 6, 10 ** 6), decimals=st.integers(-3, 2))
def test_round_of_an_int_stays_an_int(x, decimals):
    got = _round_number(x, decimals)
    want = (np.round(x), np.round(x, decimals), np.around(x, decimals))
    for g, w in zip(got, want):
        assert type(g) is int
        assert g == int(w)
    assert_compiled(_round_number)


@pyjit.njit
def _round_array(a, decimals):
    return np.round(a, decimals)


@FEW
@given(values=st.lists(st.floats(-1e4, 1e4, width=32), min_size=1,
                       max_size=8).map(lambda v: v + [262.9615]),
       decimals=st.integers(-2, 4))
def test_round_of_float32_scales_in_float32(values, decimals):
    # NumPy multiplies a float32 array by the power of ten in float32
    a = np.array(values, dtype=np.float32)
    got = _round_array(a, decimals)
    want = np.round(a, decimals)
    assert got.dtype == np.float32
    assert np.array_equal(got, want)
    assert_compiled(_round_array)


# --- np.ravel and np.reshape as functions ---

@pyjit.njit
def _ravel_reshape(a, rows):
    return np.ravel(a), np.reshape(a, (rows, -1)), np.reshape(a, a.size)


@pyjit.njit
def _ravel(a):
    return np.ravel(a)


@FEW
@given(shape=st.lists(st.integers(1, 4), min_size=1, max_size=3),
       dtype=st.sampled_from([np.float64, np.int32, np.bool_]))
def test_ravel_and_reshape_functions(shape, dtype):
    a = (np.arange(int(np.prod(shape))) % 7).astype(dtype).reshape(shape)
    rows = shape[0]
    got = _ravel_reshape(a, rows)
    want = (np.ravel(a), np.reshape(a, (rows, -1)), np.reshape(a, a.size))
    for g, w in zip(got, want):
        assert g.dtype == w.dtype and g.shape == w.shape
        assert np.array_equal(g, w)
    got[0][0] = not got[0][0]            # views of a, as NumPy's
    assert a.ravel()[0] == got[0][0]
    assert_compiled(_ravel_reshape)


@FEW
@given(values=st.lists(st.integers(-50, 50), max_size=12))
def test_ravel_function_of_a_reversed_view(values):
    a = np.array(values, dtype=np.int64)[::-1]
    assert np.array_equal(_ravel(a), np.ravel(a))
    assert_compiled(_ravel)


# --- np.clip keeps the sign of a zero ---

@pyjit.njit
def _clip(a, lo, hi):
    return np.clip(a, lo, hi)


@FEW
@given(values=st.lists(st.sampled_from([-0.0, 0.0, 1.5, -2.0, 3.0]),
                       min_size=1, max_size=6),
       lo=st.sampled_from([-0.0, 0.0, -1.0, 1.0]),
       hi=st.sampled_from([-0.0, 0.0, 2.0]))
def test_clip_of_signed_zeros(values, lo, hi):
    a = np.array(values, dtype=np.float64)
    got, want = _clip(a, lo, hi), np.clip(a, lo, hi)
    assert np.array_equal(got, want)
    assert np.array_equal(np.signbit(got), np.signbit(want))
    assert_compiled(_clip)
