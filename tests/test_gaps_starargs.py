"""f(*t) inside compiled code: a tuple spread into the arguments of a call, of a
jitted function, of a builtin and of a NumPy function, as Numba spreads it;
(x, *t): a tuple spread into a tuple display."""
import math

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given

import pyjit
from difftest import FEW, assert_compiled, assert_same, mod_floats, small_ints


@pyjit.njit
def affine(x, a, b):
    return x * a + b


@pyjit.njit
def pass_on(x, *args):
    return affine(x, *args)


@pyjit.njit
def spread_middle(x, t, b):
    return affine(x, *t, b)


@pyjit.njit
def spread_twice(t, u):
    return affine(*t, *u)


@pyjit.njit
def spread_slice(t):
    return affine(t[0], *t[1:])


@pyjit.njit
def spread_builtins(t):
    return max(*t), min(*t), math.copysign(*t[:2])


@pyjit.njit
def spread_numpy(shape):
    return np.zeros(*shape).size


@pyjit.njit
def bisect(f, lo, hi, *args):
    # the shape of QuantEcon's root finders: func(p, *args)
    flo = f(lo, *args)
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        fmid = f(mid, *args)
        if (fmid < 0.0) == (flo < 0.0):
            lo, flo = mid, fmid
        else:
            hi = mid
    return 0.5 * (lo + hi)


@pyjit.njit
def cubic(x, a, b):
    return x ** 3 + a * x - b


@pyjit.njit
def spread_keyword(t, b):
    return affine(*t, b=b)


@given(mod_floats, mod_floats, mod_floats)
@FEW
def test_varargs_passed_on(x, a, b):
    assert_same(pass_on(x, a, b), pass_on.py_func(x, a, b))
    assert_compiled(pass_on)


@given(mod_floats, mod_floats, small_ints)
@FEW
def test_spread_between_arguments(x, a, b):
    assert_same(spread_middle(x, (a,), b), spread_middle.py_func(x, (a,), b))
    assert_compiled(spread_middle)


@given(small_ints, small_ints, small_ints)
@FEW
def test_two_tuples_of_mixed_types(x, a, b):
    t, u = (float(x),), (a, b)
    assert_same(spread_twice(t, u), spread_twice.py_func(t, u))
    assert_compiled(spread_twice)


@given(mod_floats, mod_floats, mod_floats)
@FEW
def test_spread_of_a_slice(x, a, b):
    t = (x, a, b)
    assert_same(spread_slice(t), spread_slice.py_func(t))
    assert_compiled(spread_slice)


@given(st.tuples(small_ints, small_ints, small_ints))
@FEW
def test_spread_into_builtins(t):
    assert spread_builtins(t) == spread_builtins.py_func(t)
    assert_compiled(spread_builtins)


@given(st.tuples(st.integers(0, 5), st.integers(0, 5)))
@FEW
def test_spread_into_numpy(shape):
    assert spread_numpy((shape,)) == spread_numpy.py_func((shape,))
    assert_compiled(spread_numpy)


@given(st.floats(-5, 5), st.floats(-5, 5))
@FEW
def test_root_finder_passes_extra_arguments(a, b):
    got = bisect(cubic, -10.0, 10.0, a, b)
    assert math.isclose(got, bisect.py_func(cubic.py_func, -10.0, 10.0, a, b),
                        rel_tol=1e-12, abs_tol=1e-12)
    assert_compiled(bisect)


@given(mod_floats, mod_floats, mod_floats)
@FEW
def test_spread_with_keyword(x, a, b):
    assert_same(spread_keyword((x, a), b), spread_keyword.py_func((x, a), b))
    assert_compiled(spread_keyword)


def test_empty_tuple_spreads_to_nothing():
    @pyjit.njit
    def one():
        return 1.5

    @pyjit.njit
    def call(t):
        return one(*t)

    assert call(()) == 1.5
    assert_compiled(call)


def test_spreading_a_list_is_a_typing_error():
    @pyjit.njit
    def spread_list(l):
        return affine(*l)

    with pytest.raises(pyjit.TypingError, match=r"after \* must be a tuple, not"):
        spread_list([1.0, 2.0, 3.0])


def test_spread_too_short_is_a_typing_error():
    @pyjit.njit
    def short(t):
        return affine(*t)

    with pytest.raises(pyjit.TypingError, match="missing"):
        short((1.0, 2.0))


@pyjit.njit
def total_of_varargs(*args):
    s = 0.0
    for a in pyjit.literal_unroll(args):
        s += a
    return s


@given(small_ints, mod_floats, st.booleans())
@FEW
def test_literal_unroll_over_varargs(i, x, b):
    assert_same(total_of_varargs(i, x, b), total_of_varargs.py_func(i, x, b))
    assert_compiled(total_of_varargs)


# --- (x, *t): tuples spread into a tuple display ---

@pyjit.njit
def pair_then(t, x):
    return (*t, x)


@pyjit.njit
def around(t, u, x):
    return (x, *t, 1.5, *u, x)


@pyjit.njit
def first_last_len(t):
    s = (*t, 3)
    return s[0] + s[-1], len(s)


@pyjit.njit
def pair_of(x):
    return 3, x * 2


@pyjit.njit
def spread_a_call(x, g):
    # fast_hdbscan's `return (*boruvka_mst(graph), graph)`
    return (*pair_of(x), g)


@given(st.tuples(small_ints, mod_floats), st.tuples(st.booleans()),
       mod_floats)
@FEW
def test_tuples_spread_into_a_display(t, u, x):
    assert_same(pair_then(t, x), pair_then.py_func(t, x))
    assert_same(around(t, u, x), around.py_func(t, u, x))
    assert_same(around((), (), x), around.py_func((), (), x))
    assert_same(first_last_len((x, x)), first_last_len.py_func((x, x)))
    for f in (pair_then, around, first_last_len):
        assert_compiled(f)


def test_a_call_spread_into_a_display():
    got = spread_a_call(np.array([0.5, 1.0]), 7)
    assert got[0] == 3 and got[2] == 7
    np.testing.assert_array_equal(got[1], [1.0, 2.0])
    assert_compiled(spread_a_call)


def test_spreading_an_array_into_a_display_is_a_typing_error():
    @pyjit.njit
    def spread_array(a):
        return (*a, 1)

    with pytest.raises(pyjit.TypingError,
                       match=r"the item after \* must be a tuple, not array"):
        spread_array(np.ones(2))
