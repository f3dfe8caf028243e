"""Functions defined inside jitted functions: inner defs and lambdas called in
the body (inlined, reading the outer variables when they run, as Python and
Numba do), lambdas and inner functions passed to other jitted functions or
returned, and closures over jitted functions.  Differential tests against the
plain Python functions."""
import math

import hypothesis.strategies as st
import pytest
from hypothesis import given

import pyjit
from difftest import FEW, SETTINGS, assert_compiled, assert_same, mod_floats, small_ints
from pyjit import njit
from pyjit.errors import TypingError, UnsupportedError


@njit
def lambda_called(x):
    f = lambda y: y * 2.0 + 1.0   # noqa: E731
    return f(x) - f(1.0)


@njit
def late_binding(x):
    k = 10.0

    def g(y):
        z = y * k
        return z + 1.0
    first = g(x)
    k = 20.0
    return first + g(x)


@njit
def with_control_flow(x, n):
    def clamp(y):
        if y > 1.0:
            return 1.0
        if y < -1.0:
            return -1.0
        return y
    s = 0.0
    for i in range(n):
        s += clamp(x - i)
    return s


@njit
def nested(x):
    def sq(y):
        return y * y

    def poly(y):
        return sq(y) + 3.0 * y + sq(1.0)
    return poly(x) + sq(x)


@njit
def same_names(x):
    def shift(x):
        x = x + 1
        return x
    return shift(x) * 10 + x


@njit
def immediately_called(x):
    return (lambda a, b: a * b - 1)(x, x + 1)


@njit
def falls_off_the_end(x):
    def nothing(y):
        y = y + 1
    return nothing(x) is None


@njit
def inner_loop_accumulates(n):
    total = 0

    def step(i):
        acc = 0
        for j in range(i):
            acc += j
        return acc
    for i in range(n):
        total += step(i)
    return total


@given(mod_floats)
@SETTINGS
def test_lambda_assigned_and_called(x):
    assert_same(lambda_called(x), lambda_called.py_func(x))
    assert_compiled(lambda_called)


@given(mod_floats)
@FEW
def test_outer_variables_are_read_when_the_inner_function_runs(x):
    assert_same(late_binding(x), late_binding.py_func(x))
    assert_compiled(late_binding)


@given(mod_floats, st.integers(0, 20))
@FEW
def test_inner_function_with_control_flow(x, n):
    assert_same(with_control_flow(x, n), with_control_flow.py_func(x, n))
    assert_compiled(with_control_flow)


@given(mod_floats)
@FEW
def test_inner_functions_calling_inner_functions(x):
    assert_same(nested(x), nested.py_func(x))


@given(small_ints)
@FEW
def test_parameters_shadow_outer_names(x):
    assert_same(same_names(x), same_names.py_func(x))


@given(small_ints)
@FEW
def test_lambda_called_where_written(x):
    assert_same(immediately_called(x), immediately_called.py_func(x))


def test_an_inner_function_without_return_gives_none():
    assert falls_off_the_end(1.0) is True


@given(st.integers(0, 60))
@FEW
def test_loops_in_inner_functions(n):
    assert_same(inner_loop_accumulates(n), inner_loop_accumulates.py_func(n))


# --- as values ------------------------------------------------------------------------------

@njit
def apply(f, x):
    return f(x)


@njit
def passes_lambdas(x):
    return apply(lambda y: y * 3.0, x) + apply(lambda y: y + 1.0, x)


@njit
def passes_inner_def(x):
    def cube(y):
        return y * y * y
    return apply(cube, x)


@njit
def returns_lambda():
    return lambda y: y - 1.0


@given(mod_floats)
@FEW
def test_lambdas_passed_to_jitted_functions(x):
    assert_same(passes_lambdas(x), x * 3.0 + (x + 1.0))
    assert_same(passes_inner_def(x), x * x * x)
    assert_compiled(passes_lambdas)


def test_each_lambda_specializes_the_function_it_is_passed_to():
    passes_lambdas(2.0)
    names = sorted(str(s[0]) for s in apply.signatures)
    assert names.count("Dispatcher(passes_lambdas.<locals>.<lambda>)") == 2


def test_a_returned_lambda_is_a_jitted_function():
    f = returns_lambda()
    assert isinstance(f, pyjit.Dispatcher)
    assert f(3.0) == 2.0 and f(5) == 4


# --- closures over jitted functions ----------------------------------------------------------

@njit
def square(x):
    return x * x


def make(f):
    @njit
    def g(x):
        return f(x) + 1
    return g


@given(mod_floats)
@FEW
def test_closures_over_jitted_functions(x):
    g = make(square)
    assert_same(g(x), x * x + 1)
    h = make(g)
    assert_same(h(x), (x * x + 1) + 1)     # h adds 1 twice, rounding each time
    assert_compiled(g)


# --- what is not compiled ---------------------------------------------------------------------

def test_a_capturing_lambda_as_a_value_is_unsupported():
    @njit
    def captures(x):
        k = 2.0
        return apply(lambda y: y * k, x)

    with pytest.raises(UnsupportedError, match="a lambda that uses variables of the "
                                               "function around it, as a value"):
        captures(1.0)


def test_a_recursive_inner_function_is_unsupported():
    @njit
    def recursive(n):
        def fact(m):
            return 1 if m <= 1 else m * fact(m - 1)
        return fact(n)

    with pytest.raises(UnsupportedError, match="an inner function that calls itself"):
        recursive(5)


def test_a_kwargs_parameter_and_a_kwargs_spread_are_unsupported():
    @njit
    def kwargs_param(x):
        def f(a, **kw):
            return a
        return f(a=x)

    @njit
    def kwargs_spread(x):
        def f(a):
            return a
        d = {'a': x}
        return f(**d)

    with pytest.raises(UnsupportedError, match="an inner function with a "
                                               r"\*\*kwargs parameter"):
        kwargs_param(1)
    with pytest.raises(UnsupportedError, match=r"\*\*kwargs in a call"):
        kwargs_spread(1)


def test_an_inner_function_defined_twice_is_unsupported():
    @njit
    def twice(x):
        if x > 0:
            def f(y):
                return y
        else:
            def f(y):
                return -y
        return f(x)

    with pytest.raises(UnsupportedError, match="an inner function defined twice"):
        twice(1)


def test_wrong_number_of_arguments_says_so_as_python():
    @njit
    def wrong(x):
        def f(a, b):
            return a + b
        return f(x)

    with pytest.raises(TypingError, match=r"f\(\) missing 1 required positional "
                                          "argument: 'b'"):
        wrong(1)


def test_a_rebound_name_is_no_longer_the_inner_function():
    @njit
    def rebound(x):
        f = lambda y: y + 1   # noqa: E731
        a = f(x)
        f = square
        return a + f(x)

    assert rebound(3) == rebound.py_func(3) == 13


@njit
def counted_by_a_nonlocal(n, step):
    count = 0
    total = 0.0

    def add(k):
        nonlocal count, total
        count += 1
        total += k * step
    for i in range(n):
        if i % 3:
            add(i)
    return count, total


@FEW
@given(n=st.integers(0, 20), step=mod_floats)
def test_nonlocal_assigns_the_variable_around(n, step):
    assert_same(counted_by_a_nonlocal(n, step),
                counted_by_a_nonlocal.py_func(n, step))
    assert_compiled(counted_by_a_nonlocal)


def test_global_statement_is_refused():
    @njit
    def g():
        global GLOBAL_COUNTER
        GLOBAL_COUNTER = 1
        return 0

    with pytest.raises(UnsupportedError, match="'global' statement"):
        g()
