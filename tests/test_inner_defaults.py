"""Inner functions and lambdas with default values, keyword-only and
positional-only parameters and *args, called with keyword arguments: each
call binds its arguments as Python binds them, and a default is the value
its expression had where the function was defined (Numba's semantics; Numba
itself compiles the defaults, pyjit the rest too).  Differential tests
against the plain Python functions."""
import warnings

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given

from difftest import FEW, assert_compiled, check, mod_floats, small_ints
from pyjit import njit, prange
from pyjit.errors import ParallelSafetyWarning, TypingError, UnsupportedError

# whole numbers, so that a sum is exact in any order NumPy adds them in
floats_arrays = st.lists(small_ints, min_size=0, max_size=12).map(
    lambda xs: np.array(xs, dtype=np.float64))


@njit
def nested_default(a):
    # /tmp/idioms/repro_nested_default.py
    def scale(x, f=2.0):
        return x * f
    s = 0.0
    for i in range(a.shape[0]):
        s += scale(a[i]) + scale(a[i], 3.0)
    return s


@njit
def keywords_in_any_order(x):
    def g(a, b, c=10.0):
        return a - 2.0 * b + 3.0 * c
    return (g(c=x, b=2.0, a=1.0) + g(x, c=1.0, b=0.5) + g(x, 1.5)
            + g(a=x, b=x))


@njit
def default_of_an_argument(x, n):
    def g(y, f=n):
        return y * f
    return g(x) + g(x, 3)


@njit
def default_read_where_defined(x, n):
    m = n * 2
    def g(y, f=m + 1):      # noqa: E306
        return y * f
    m = 100                 # the default keeps the value it had
    return g(x) + m


@njit
def none_default(a, w):
    def weighted(x, weights=None):
        if weights is None:
            return x.sum()
        return (x * weights).sum()
    return weighted(a) + weighted(a, w) + weighted(a, weights=None)


@njit
def none_assigned(x):
    k = None
    if k is None:
        return x
    return x * k


@njit
def tuple_and_string_defaults(x):
    def g(y, shape=(2, 3), sep="-"):
        return sep.join([str(y), str(shape[0] * shape[1])])
    return g(x) + g(x, sep="+") + g(x, (4, 5))


@njit
def keyword_only(x):
    def g(y, *, f=2.0, h):
        return y * f + h
    return g(x, h=1.0) + g(x, h=0.5, f=3.0)


@njit
def positional_only(x):
    def g(y, /, f=2.0):
        return y * f
    return g(x) + g(x, 4.0) + g(x, f=0.5)


@njit
def star_args(x):
    def g(y, *rest, scale=1.0):
        s = y
        for r in rest:
            s += r
        return s * scale + len(rest)
    return g(x) + g(x, 1.0, 2.0, scale=3.0) + g(x, x)


@njit
def lambda_defaults(x):
    g = lambda y, k=2.0: y * k   # noqa: E731
    return g(x) + g(x, 3.0) + g(x, k=-1.0) + (lambda y, k=3: y * k)(x)


@njit
def default_from_the_loop(a):
    s = 0.0
    for i in range(a.shape[0]):
        def g(x, j=i):
            return x * j
        s += g(a[i]) + g(1.0, j=2 * i)
    return s


@njit
def nested_defaults(x):
    def outer(y, k=3.0):
        def inner(z, m=k + y):
            return z * m
        return inner(y) + inner(y, m=1.0)
    return outer(x) + outer(x, k=0.5)


@njit
def closure_with_default(x, n):
    def g(y, f=2.0):
        return y * f + n
    n = n + 1               # read when g runs, unlike the default
    return g(x) + g(x, f=n)


@njit
def default_evaluated_once(n):
    def bump(i, acc=np.zeros(3)):
        acc[i % 3] += 1.0
        return acc.sum()
    s = 0.0
    for i in range(n):
        s += bump(i)
    return s


@njit
def default_calls_an_inner_function(x):
    def h(y):
        return y + 1.0
    def g(y, f=h(x)):       # noqa: E306
        return y * f
    return g(x) + g(2.0)


@given(floats_arrays)
@FEW
def test_default_of_a_constant(a):
    check(nested_default, a)


@given(mod_floats)
@FEW
def test_keyword_arguments_bind_as_python_binds_them(x):
    check(keywords_in_any_order, x)


@given(mod_floats, small_ints)
@FEW
def test_defaults_computed_where_the_function_is_defined(x, n):
    check(default_of_an_argument, x, n)
    check(default_read_where_defined, x, n)
    check(closure_with_default, x, n)


@given(floats_arrays)
@FEW
def test_default_of_none_prunes_the_branch_it_rules_out(a):
    check(none_default, a, a + 1.0)


@given(mod_floats)
@FEW
def test_a_variable_holding_none_prunes_the_branch_it_rules_out(x):
    check(none_assigned, x)


@given(small_ints)
@FEW
def test_tuple_and_string_defaults(x):
    check(tuple_and_string_defaults, x)


@given(mod_floats)
@FEW
def test_keyword_only_positional_only_and_star_args(x):
    check(keyword_only, x)
    check(positional_only, x)
    check(star_args, x)


@given(mod_floats)
@FEW
def test_lambdas_with_defaults(x):
    check(lambda_defaults, x)


@given(floats_arrays)
@FEW
def test_default_of_a_loop_variable(a):
    check(default_from_the_loop, a)


@given(mod_floats)
@FEW
def test_defaults_of_inner_functions_of_inner_functions(x):
    check(nested_defaults, x)
    check(default_calls_an_inner_function, x)


@given(st.integers(0, 30))
@FEW
def test_a_default_is_evaluated_once_where_defined(n):
    check(default_evaluated_once, n)


@njit
def apply(fn, x):
    return fn(x)


@njit
def passes_inner_with_defaults(x):
    def g(y, k=2.0, *, m=1.0):
        return y * k + m
    return apply(g, x) + apply(lambda y, k=3.0: y - k, x)


@given(mod_floats)
@FEW
def test_inner_function_with_constant_defaults_as_a_value(x):
    assert passes_inner_with_defaults(x) == (x * 2.0 + 1.0) + (x - 3.0)
    assert_compiled(passes_inner_with_defaults)


def test_returned_inner_function_keeps_its_defaults():
    @njit
    def make():
        def g(y, k=2, *, m=1):
            return y * k + m
        return g

    g = make()
    assert (g(3), g(3, 5), g(3, m=0), g(y=1, k=1)) == (7, 16, 6, 2)


def test_binding_errors_are_python_messages():
    @njit
    def unexpected(x):
        def g(a, b=1):
            return a + b
        return g(x, c=2)

    @njit
    def twice(x):
        def g(a, b=1):
            return a + b
        return g(x, a=2)

    @njit
    def missing(x):
        def g(a, *, b):
            return a + b
        return g(x)

    with pytest.raises(TypingError, match="g\\(\\) got an unexpected keyword "
                                          "argument 'c'"):
        unexpected(1)
    with pytest.raises(TypingError, match="g\\(\\) got multiple values for "
                                          "argument 'a'"):
        twice(1)
    with pytest.raises(TypingError, match="g\\(\\) missing 1 required "
                                          "keyword-only argument: 'b'"):
        missing(1)


def test_computed_default_of_an_inner_function_used_as_a_value_is_unsupported():
    @njit
    def as_value(x, n):
        def g(y, k=n):
            return y * k
        return apply(g, x)

    with pytest.raises(UnsupportedError, match="an inner function with a "
                                               "default that is not a "
                                               "constant, as a value"):
        as_value(1.0, 2)


def scaled_in_prange(a):
    out = np.empty_like(a)

    def scale(x, f=2.0, *, shift=0.0):
        return x * f + shift
    for i in prange(a.shape[0]):
        out[i] = scale(a[i]) + scale(a[i], shift=1.0)
    return out


def test_inner_function_with_defaults_in_a_prange_loop():
    f = njit(parallel=True)(scaled_in_prange)
    a = np.arange(17.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ParallelSafetyWarning)
        np.testing.assert_array_equal(f(a), scaled_in_prange(a))
    assert_compiled(f)
