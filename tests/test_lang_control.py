"""Differential tests: control flow (if/elif/else, while, for over range / enumerate /
zip, break, continue, loop else clauses, early and bare returns, type unification,
Optional returns)."""
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given

from difftest import (FEW, SETTINGS, any_floats, assert_compiled, bools, check, int64s,
                      mod_floats, return_type, small_ints)
from pyjit import njit

steps = st.integers(-7, 7).filter(lambda s: s != 0)
bounds = st.integers(-60, 60)


@njit
def classify(x):
    if x < 0:
        return -1
    elif x == 0:
        return 0
    elif x < 10:
        return 1
    else:
        return 2


@njit
def nested_if(a, b):
    r = 0
    if a > 0:
        if b > 0:
            r = 1
        else:
            r = 2
    else:
        if b > 0:
            r = 3
        elif b == 0:
            r = 4
        else:
            pass
    return r


@njit
def if_no_else(a):
    r = 5
    if a % 3 == 0:
        r = r * a
    if a:
        r += 1
    return r


@njit
def collatz_steps(n):
    steps = 0
    while n != 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


@njit
def while_break_continue(n):
    i = 0
    total = 0
    while True:
        i += 1
        if i > n:
            break
        if i % 3 == 0:
            continue
        total += i * i
    return total


@njit
def while_else(n, stop):
    i = 0
    found = -1
    while i < n:
        if i == stop:
            found = i
            break
        i += 1
    else:
        found = -2
    return found * 1000 + i


@njit
def range_stop(n):
    s = 0
    for i in range(n):
        s += i * 3 - 1
    return s


@njit
def range_start_stop(a, b):
    s = 0
    for i in range(a, b):
        s = s * 7 + i
    return s


@njit
def range_step(a, b, c):
    s = 0
    k = 0
    for i in range(a, b, c):
        s += i * (k + 1)
        k += 1
    return s * 1000 + k


@njit
def range_last(a, b, c):
    last = -999
    for i in range(a, b, c):
        last = i
    return last


@njit
def for_break_continue(n, stop):
    s = 0
    for i in range(n):
        if i % 2 == 1:
            continue
        if i >= stop:
            break
        s += i
    return s


@njit
def for_else(n, target):
    for i in range(n):
        if i * i == target:
            r = i
            break
    else:
        r = -1
    return r


@njit
def for_else_no_break(n):
    s = 0
    for i in range(n):
        s += i
    else:
        s = -s
    return s


@njit
def nested_loops(n, m):
    s = 0
    for i in range(n):
        for j in range(i, m):
            if j == 7:
                break
            if (i + j) % 3 == 0:
                continue
            s += i * j
        else:
            s += 1000
    return s


@njit
def enumerate_range(a, b):
    s = 0
    for i, v in enumerate(range(a, b)):
        s += i * v
    return s


@njit
def enumerate_start(n, start):
    s = 0
    for i, v in enumerate(range(n), start):
        s += i - 2 * v
    return s


@njit
def zip_ranges(n, m):
    s = 0
    for a, b in zip(range(n), range(10, 10 + m)):
        s += a * b
    return s


@njit
def zip_range_tuple(n, x):
    t = (x, x + 1.5, x * 2.0, x - 3.0)
    s = 0.0
    for i, v in zip(range(n), t):
        s += i * v
    return s


@njit
def enumerate_tuple(a, b, c):
    s = 0
    for i, v in enumerate((a, b, c)):
        s += (i + 1) * v
    return s


@njit
def early_return(n):
    for i in range(n):
        if i * i > n:
            return i
    return -1


@njit
def bare_return(a):
    if a > 0:
        return
    return


@njit
def maybe_value(a):
    if a > 0:
        return a * 2
    return None


@njit
def maybe_value_implicit(a):
    if a > 0:
        return a + 0.5


@njit
def unify_int_float(n):
    x = 0
    for i in range(n):
        x += 0.5
    return x


@njit
def unify_branches(a):
    if a > 0:
        x = 1
    else:
        x = 2.5
    return x


@njit
def unify_then_int(n):
    x = 0
    x += 0.5
    x = n
    return x


@njit
def float_loop(x, n):
    acc = 0.0
    i = 0
    while i < n:
        acc = acc * 0.5 + x
        if acc > 1e6:
            acc -= 1e6
        i += 1
    return acc


@njit
def countdown(n):
    out = 0
    for i in range(n, 0, -1):
        out = out * 10 + i % 10
    return out


@njit
def loop_var_after(n):
    i = -5
    for i in range(n):
        pass
    return i


@SETTINGS
@given(x=int64s, y=int64s)
def test_if_elif_else(x, y):
    check(classify, x)
    check(nested_if, x, y)
    check(if_no_else, x)


@SETTINGS
@given(x=any_floats)
def test_if_float(x):
    check(classify, x)


@FEW
@given(n=st.integers(1, 10 ** 6))
def test_while(n):
    check(collatz_steps, n)


@SETTINGS
@given(n=bounds, stop=bounds)
def test_while_break_continue_else(n, stop):
    check(while_break_continue, n)
    check(while_else, n, stop)


@SETTINGS
@given(n=bounds)
def test_range_stop(n):
    check(range_stop, n)
    check(loop_var_after, n)
    check(countdown, n)


@SETTINGS
@given(a=bounds, b=bounds)
def test_range_start_stop(a, b):
    check(range_start_stop, a, b)


@SETTINGS
@given(a=bounds, b=bounds, c=steps)
def test_range_step(a, b, c):
    check(range_step, a, b, c)
    check(range_last, a, b, c)


def test_range_step_examples():
    assert range_step(10, 0, -1) == range_step.py_func(10, 0, -1)
    assert range_last(10, -1, -3) == 1
    assert range_last(0, 10, -1) == -999
    assert range_last(10, 0, 3) == -999
    assert range_last(-3, -30, -4) == -27
    assert_compiled(range_last)


@njit
def range_last_count(a, b, c):
    last = -999
    k = 0
    for i in range(a, b, c):
        last = i
        k += 1
    return last, k


@SETTINGS
@given(a=int64s, b=int64s, c=st.one_of(st.integers(2 ** 58, 2 ** 63 - 1),
                                       st.integers(-(2 ** 63), -(2 ** 58))))
def test_range_extreme_bounds(a, b, c):
    # bounds anywhere in int64 and huge steps: no overflow in the trip count or the
    # induction variable
    check(range_last_count, a, b, c)


def test_range_extreme_examples():
    M, m = 2 ** 63 - 1, -(2 ** 63)
    for args in [(M - 3, M, 1), (m, M, 2 ** 62), (M, m, -(2 ** 62)), (m + 2, m, -1),
                 (M, M - 5, -2), (m, m + 3, 1), (0, M, 2 ** 62), (m, M, M), (M, m, m)]:
        check(range_last_count, *args)


def test_range_zero_step_raises():
    with pytest.raises(ValueError):
        range_step(0, 10, 0)


@SETTINGS
@given(n=bounds, stop=bounds)
def test_for_break_continue_else(n, stop):
    check(for_break_continue, n, stop)
    check(for_else, n, stop)
    check(for_else_no_break, n)


@SETTINGS
@given(n=st.integers(-3, 15), m=st.integers(-3, 15))
def test_nested_loops(n, m):
    check(nested_loops, n, m)


@SETTINGS
@given(a=bounds, b=bounds)
def test_enumerate_zip(a, b):
    check(enumerate_range, a, b)
    check(enumerate_start, a, b)
    check(zip_ranges, a, b)


@SETTINGS
@given(n=st.integers(-2, 8), x=mod_floats, a=small_ints, b=small_ints, c=small_ints)
def test_enumerate_zip_tuples(n, x, a, b, c):
    check(zip_range_tuple, n, x)
    check(enumerate_tuple, a, b, c)


@SETTINGS
@given(n=st.integers(-5, 1000))
def test_early_return(n):
    check(early_return, n)


@FEW
@given(a=small_ints)
def test_bare_return_none(a):
    check(bare_return, a)
    assert bare_return(a) is None


@SETTINGS
@given(a=small_ints)
def test_optional_return(a):
    check(maybe_value, a)
    check(maybe_value_implicit, a)


def test_optional_return_types():
    maybe_value(1)
    maybe_value_implicit(1)
    assert return_type(maybe_value, "int64") == "OptionalType(int64)"
    assert return_type(maybe_value_implicit, "int64") == "OptionalType(float64)"
    assert maybe_value(3) == 6 and type(maybe_value(3)) is int
    assert maybe_value(-3) is None
    assert maybe_value_implicit(-3) is None
    assert_compiled(maybe_value)


@SETTINGS
@given(n=st.integers(-3, 100))
def test_unification_int_float(n):
    # for n <= 0 Python returns the int 0; compiled code gives 0.0 (float64)
    check(unify_int_float, n, strict_type=False)
    assert type(unify_int_float(n)) is float
    assert return_type(unify_int_float, "int64") == "float64"


@SETTINGS
@given(a=small_ints)
def test_unification_branches(a):
    # the int branch comes back as float64 (unified type)
    check(unify_branches, a, strict_type=False)
    assert type(unify_branches(a)) is float
    check(unify_then_int, a, strict_type=False)


@SETTINGS
@given(x=mod_floats, n=st.integers(-2, 50))
def test_float_while(x, n):
    check(float_loop, x, n)


@njit
def modify_loop_var(n):
    s = 0
    for i in range(n):
        i += 10  # does not change the iteration
        s += i
    return s


@njit
def modify_bound(n):
    s = 0
    for i in range(n):
        n -= 1  # range(n) was evaluated once
        s += i * n
    return s, n


@njit
def while_true_return(n):
    while True:
        n += 3
        if n > 100:
            return n


@njit
def while_compound_condition(a, b):
    k = 0
    while a > 0 and (b > 0 or k < 3) and not (a == 7):
        a -= 1
        b -= 2
        k += 1
    return k, a, b


@njit
def while_else_continue(n):
    i = 0
    s = 0
    while i < n:
        i += 1
        if i % 2:
            continue
        s += i
    else:
        s += 1000
    return s


@njit
def nested_early_return(n, m):
    for i in range(n):
        j = 0
        while j < m:
            if i * j == 12:
                return i, j
            j += 1
    return -1, -1


@njit
def optional_consumer(x):
    r = maybe_value(x)
    if r is None:
        return -1
    return r + 1


@njit
def optional_is_none(x):
    r = maybe_value(x)
    return r is None


@njit
def optional_ifexp(x, c):
    return x if c else None


@SETTINGS
@given(n=bounds, m=st.integers(-3, 20))
def test_loop_variable_and_bound_rebinding(n, m):
    check(modify_loop_var, n)
    check(modify_bound, n)
    check(while_true_return, n)
    check(while_compound_condition, n, m)
    check(while_else_continue, n)
    check(nested_early_return, n % 20, m)


@FEW
@given(x=small_ints, c=bools)
def test_optional_in_jitted_caller(x, c):
    check(optional_is_none, x)
    check(optional_ifexp, x, c)
    check(optional_consumer, x)  # arithmetic on the Optional once it is known not None


@njit
def default_when_falsy(x, w_max=None):
    # pythermalcomfort's two-node model: `not w_max` of a None default the
    # function rebinds to a float
    if not w_max:
        w_max = 0.38 * x
    return w_max


@njit
def truth_of_optionals(n, c):
    s = None
    a = None
    if c:
        s = "ab" * n
        a = np.arange(n)
    return not s, bool(s), (1 if a else 2) if n < 2 else 3


@FEW
@given(x=any_floats, w=st.one_of(st.none(), any_floats))
def test_truth_of_an_optional_is_false_for_none(x, w):
    check(default_when_falsy, x)
    check(default_when_falsy, x, w)


@pytest.mark.parametrize("n", [0, 1, 2, 3])
@pytest.mark.parametrize("c", [False, True])
def test_truth_of_optionals_of_strings_and_arrays(n, c):
    check(truth_of_optionals, n, c)


def test_a_test_of_an_argument_against_none_is_decided_by_its_type():
    # As in Numba: with an argument left at None, the other branch is not
    # typed (so it may use the argument as something else).
    @njit
    def scaled(x, scale=None):
        if scale is None:
            return x
        return x * scale

    @njit
    def guarded(x, extra=None):
        if extra is not None:
            return x + extra.missing_attribute
        return x

    assert scaled(2) == 2 and scaled(2, 3) == 6 and scaled(2.5, 2) == 5.0
    assert guarded(3) == 3
    assert len(scaled.signatures) == 3
