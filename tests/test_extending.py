"""pyjit.extending: overload, overload_method, overload_attribute,
register_jitable.  Each overloaded function is a plain Python function
too, so the jitted callers are compared with their Python originals (which
call the Python function), and each caller must have compiled in nopython
mode."""
import math

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given
from hypothesis.extra import numpy as hnp

import pyjit
from difftest import FEW, assert_compiled, assert_same, mod_floats, small_ints
from pyjit import njit, types
from pyjit.errors import TypingError
from pyjit.extending import (overload, overload_attribute, overload_method,
                             register_jitable)


# --- overload: the implementation chosen by the argument types ---------------------------

def clip_low(x, lo=0.0):
    """max(x, lo) of a number, or of each element of a 1-d array."""
    if isinstance(x, np.ndarray):
        return np.array([max(v, lo) for v in x])
    return max(x, lo)


@overload(clip_low)
def clip_low_typer(x, lo=0.0):
    if isinstance(x, types.Array) and x.ndim == 1:
        def array_impl(x, lo=0.0):
            out = np.empty(len(x))
            for i in range(len(x)):
                out[i] = max(x[i], lo)
            return out
        return array_impl
    if isinstance(x, types.Number) and isinstance(lo, types.Number):
        def number_impl(x, lo=0.0):
            return max(x, lo)
        return number_impl
    return None


@njit
def clip_numbers(x, lo):
    return clip_low(x) + clip_low(x, lo) + clip_low(x, lo=lo)


@njit
def clip_array(a, lo):
    return clip_low(a, lo).sum() + clip_low(a)[0]


@given(mod_floats, mod_floats)
@FEW
def test_overload_of_numbers_matches_python(x, lo):
    assert_same(clip_numbers(x, lo), clip_numbers.py_func(x, lo))
    assert_compiled(clip_numbers)


@given(small_ints, small_ints)
@FEW
def test_overload_of_integers_matches_python(x, lo):
    # max(int64, float64) is a float64, as in Numba
    assert_same(clip_numbers(x, lo), clip_numbers.py_func(x, lo),
                strict_type=False)


floats_1d = hnp.arrays(np.float64, st.integers(1, 20),
                       elements=st.floats(-1e6, 1e6))


@given(floats_1d, mod_floats)
@FEW
def test_overload_of_arrays_matches_python(a, lo):
    assert clip_array(a, lo) == pytest.approx(clip_array.py_func(a, lo))
    assert_compiled(clip_array)


def test_overloaded_function_is_unchanged_in_python():
    assert clip_low(-3) == 0.0
    assert clip_low.__name__ == "clip_low"


@njit
def clip_text(s):
    return clip_low(s)


def test_overload_returning_none_is_a_typing_error_naming_function_and_types():
    with pytest.raises(TypingError) as e:
        clip_text("abc")
    msg = str(e.value)
    assert "No implementation of function" in msg
    assert "clip_low" in msg and "(unicode_type, float64)" in msg


# --- the type classes answer as Numba's ----------------------------------------------------

seen = []


def describe(x):
    return 0


@overload(describe)
def describe_typer(x):
    seen.append(x)

    def impl(x):
        return 0
    return impl


@njit
def describe_all(a, m, i, f, b, s, t, u, lst):
    return (describe(a) + describe(m) + describe(i) + describe(f)
            + describe(b) + describe(s) + describe(t) + describe(u)
            + describe(lst) + describe(None))


def test_type_classes_seen_by_typing_functions():
    seen.clear()
    describe_all(np.zeros(3), np.zeros((2, 2), np.int32), 1, 2.0, True, "s",
                 (1, 2.0), (1, 2), [1.0])
    a, m, i, f, b, s, t, u, lst, none = seen[-10:]
    assert isinstance(a, types.Array) and a.ndim == 1 and a.dtype == types.float64
    assert isinstance(m, types.Array) and m.ndim == 2
    assert isinstance(m.dtype, types.Integer) and m.dtype.bitwidth == 32
    assert isinstance(i, types.Integer) and isinstance(i, types.Number)
    assert not isinstance(i, types.Float)
    assert isinstance(f, types.Float) and isinstance(f, types.Number)
    assert isinstance(b, types.Boolean) and not isinstance(b, types.Number)
    assert isinstance(s, types.UnicodeType)
    assert isinstance(t, types.Tuple) and isinstance(t, types.BaseTuple)
    assert isinstance(u, types.UniTuple) and not isinstance(u, types.Tuple)
    assert isinstance(lst, types.List) and isinstance(lst.dtype, types.Float)
    assert isinstance(none, types.NoneType)
    assert not isinstance(a, types.Number) and not isinstance(1, types.Integer)
    assert_compiled(describe_all)


def test_type_classes_still_build_types():
    assert types.Array(types.float64, 2, "C") == types.float64[:, ::1]
    assert types.UniTuple(types.int64, 2) == types.Tuple([types.int64] * 2)
    assert str(types.Optional(types.int64)) == "OptionalType(int64)"


# --- overload_method, overload_attribute --------------------------------------------------

@overload_method(types.Array, "sumsq")
def sumsq_typer(a, scale=1.0):
    if isinstance(a.dtype, (types.Float, types.Integer)):
        def impl(a, scale=1.0):
            s = 0.0
            for v in a.flat:
                s += v * v
            return s * scale
        return impl


@overload_attribute(types.Array, "half")
def half_typer(a):
    def impl(a):
        return a.size // 2
    return impl


@overload_method(types.UnicodeType, "shout")
def shout_typer(s):
    def impl(s):
        return s.upper() + "!"
    return impl


@njit
def use_members(a, s):
    return a.sumsq(), a.sumsq(2.0), a.half, s.shout()


def members_in_python(a, s):
    sq = float((a.astype(np.float64) ** 2).sum())
    return sq, sq * 2.0, a.size // 2, s.upper() + "!"


@given(hnp.arrays(np.int32, hnp.array_shapes(max_dims=2, max_side=5),
                  elements=st.integers(-1000, 1000)), st.text(max_size=5))
@FEW
def test_methods_and_attributes_match_python(a, s):
    got = use_members(a, s)
    want = members_in_python(a, s)
    assert got[0] == pytest.approx(want[0]) and got[1] == pytest.approx(want[1])
    assert got[2:] == want[2:]
    assert_compiled(use_members)


@njit
def sumsq_of_bools(a):
    return a.sumsq()


def test_method_refused_for_a_dtype_is_a_typing_error():
    with pytest.raises(TypingError, match=r"Array\.sumsq.*array\(bool"):
        sumsq_of_bools(np.zeros(2, np.bool_))


# --- register_jitable ---------------------------------------------------------------------

@register_jitable
def hypot3(x, y, z):
    return math.sqrt(x * x + y * y + z * z)


@register_jitable(fastmath=False)
def poly(x, c0=1.0):
    return c0 + x * (2.0 + x * 3.0)


@njit
def use_jitables(x, y):
    return hypot3(x, y, 1.0) + poly(x) + poly(y, c0=2.0)


@given(mod_floats, mod_floats)
@FEW
def test_register_jitable_from_jitted_code_and_python(x, y):
    assert use_jitables(x, y) == pytest.approx(use_jitables.py_func(x, y))
    assert_compiled(use_jitables)
    assert hypot3(3.0, 4.0, 12.0) == 13.0        # still a Python function


# --- options and what is not offered ------------------------------------------------------

def twice(x):
    return 2 * x


@overload(twice, jit_options={"fastmath": True}, inline="always",
          prefer_literal=True)
def twice_typer(x):
    def impl(x):
        return 2 * x
    return impl


@njit
def use_twice(x):
    return twice(x)


@given(small_ints)
@FEW
def test_overload_options_are_accepted(x):
    assert use_twice(x) == use_twice.py_func(x)
    assert_compiled(use_twice)


def test_bad_options_are_errors():
    with pytest.raises(ValueError, match="inline"):
        overload(twice, inline="sometimes")
    with pytest.raises(ValueError, match="cpu"):
        overload(twice, target="cuda")
    with pytest.raises(TypeError, match="type classes"):
        overload_method(int, "x")


def test_lower_builtin_is_an_import_error_that_says_why():
    with pytest.raises(ImportError, match="LLVM.*use overload"):
        from pyjit.extending import lower_builtin   # noqa: F401


def mismatched(x):
    return x


@overload(mismatched)
def mismatched_typer(x):
    def impl(x, y):
        return x
    return impl


@njit
def use_mismatched(x):
    return mismatched(x)


def test_implementation_with_other_parameters_is_a_typing_error():
    with pytest.raises(TypingError, match="does not take the typing"):
        use_mismatched(1)


def faulty(x):
    return x


@overload(faulty)
def faulty_typer(x):
    raise KeyError("oops")


@njit
def use_faulty(x):
    return faulty(x)


def test_exception_in_typing_function_is_reported():
    with pytest.raises(TypingError, match="KeyError raised in an overload"):
        use_faulty(1)


# --- pyjit's own library on overload ------------------------------------------------------

@njit
def spaced(a, b, n):
    return np.linspace(a, b, n)


@given(mod_floats, mod_floats, st.integers(0, 30))
@FEW
def test_library_linspace_on_overload_matches_numpy(a, b, n):
    np.testing.assert_allclose(spaced(a, b, n), np.linspace(a, b, n),
                               rtol=1e-12, atol=1e-9)
    assert_compiled(spaced)


def test_library_linspace_refuses_other_types_naming_them():
    with pytest.raises(TypingError, match=r"numpy\.linspace\(float64, "
                                          r"float64, float64, bool\)"):
        spaced(0.0, 1.0, 2.5)


# Several overloads of one function with different parameters, tried in
# the order they were registered (EconForge interpolation's
# splines/eval_splines.py registers _eval_linear(grid, C, points),
# (grid, C, points, extrap_mode), (grid, C, points, out)...).
def several(*args):
    return None


@overload(several)
def several_three(a, b, c):
    return lambda a, b, c: a + b + c


@overload(several)
def several_two_numbers(a, b):
    if isinstance(a, types.Array):
        return None
    return lambda a, b: a * b


@overload(several)
def several_two_arrays(a, b):
    return lambda a, b: a.sum() - b


@overload(several)
def several_with_default(a, b, c, d=10):
    return lambda a, b, c, d=10: a - b - c - d


@njit
def several_spread(*args):
    return several(*args)


@njit
def several_direct(x):
    return several(x, 1, 2), several(x, 1), several(x, 1, 2, 3)


def test_overloads_of_one_function_are_tried_in_order():
    assert several_spread(1, 2, 3) == 6
    assert several_spread(2.0, 5) == 10.0
    assert several_spread(np.arange(3.0), 1.0) == 2.0
    assert several_direct(5) == (8, 5, -1)
    assert_compiled(several_spread)
    assert_compiled(several_direct)


@njit
def several_five(x):
    return several(x, x, x, x, x)


def test_no_overload_taking_the_arguments_says_so():
    with pytest.raises(TypingError, match="does not take 5 arguments"):
        several_five(1)


# strict=False: a typing function of *args returns an implementation of
# fixed parameters chosen by the number of arguments (EconForge
# interpolation's multilinear/fungen.py builds fmap this way).
def fold_pairs(*args):
    if len(args) == 2:
        return tuple(args[0](x) for x in args[1])
    return tuple(args[0](x, y) for x, y in zip(args[1], args[2]))


@overload(fold_pairs, strict=False)
def fold_pairs_typer(*args):
    if len(args) == 2:
        return lambda f, t: (f(t[0]), f(t[1]))
    if len(args) == 3:
        def pairs(f, t1, t2):
            return (f(t1[0], t2[0]), f(t1[1], t2[1]))
        return pairs
    return None


@njit
def halve(x):
    return x / 2


@njit
def weighted(x, w):
    return x * w


@njit
def fold_both(a, b, c, d):
    return fold_pairs(halve, (a, b)), fold_pairs(weighted, (a, b), (c, d))


@given(small_ints, small_ints, small_ints, small_ints)
@FEW
def test_a_non_strict_overload_spreads_args_over_fixed_parameters(a, b, c,
                                                                  d):
    assert fold_both(a, b, c, d) == fold_both.py_func(a, b, c, d)
    assert_compiled(fold_both)


def strict_pairs(*args):
    return None


@overload(strict_pairs)
def strict_pairs_typer(*args):
    return lambda f, t: (f(t[0]), f(t[1]))


@njit
def strict_both(a, b):
    return strict_pairs(halve, (a, b))


def test_a_strict_overload_wants_the_typing_functions_parameters():
    with pytest.raises(TypingError, match="does not take the typing "
                                          "function's arguments"):
        strict_both(1, 2)


def count_items(t):
    return None


@overload(count_items)
def count_items_typer(t):
    # a typing function reads a tuple type as a sequence of item types,
    # as Numba's BaseTuple is read (len(grid), grid[0], `for tt in grid`)
    if not isinstance(t, types.BaseTuple):
        return None
    n = len(t)
    floats = sum(1 for tt in t if isinstance(tt, types.Float))
    first_is_int = n > 0 and isinstance(t[0], types.Integer)
    return lambda t: (n, floats, first_is_int)


@njit
def counted(a, b, c):
    return count_items((a, b, c)), count_items(())


def test_tuple_types_are_sequences_for_typing_functions():
    assert counted(1, 2.0, 3.5) == ((3, 2, True), (0, 0, False))
    assert counted(1.0, 2, 3) == ((3, 1, False), (0, 0, False))
    assert_compiled(counted)
    with pytest.raises(TypeError, match="no len"):
        len(types.float64)
    assert bool(types.float64) and not bool(pyjit.typeof(()))
