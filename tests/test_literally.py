"""literally() and Literal types (csrc/literal.c): a function compiled for
the value of an argument, and overloads that choose an implementation by
the value of a constant, as Numba's do."""
import inspect
import resource
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import pyjit
from pyjit import errors, literally, njit, types
from pyjit.extending import overload, sentry_literal_args

from difftest import (FEW, assert_compiled, close, rss_limit,
                      run_cached_script)


# --- Numba's documentation example, as a user runs it ---

DOC_EXAMPLE = """
import pyjit as numba
import pyjit.extending

def power(x, n):
    raise NotImplementedError

@numba.extending.overload(power)
def ov_power(x, n):
    if isinstance(n, numba.types.Literal):
        # only if `n` is a literal
        if n.literal_value == 2:
            # special case: square
            print("square")
            return lambda x, n: x * x
        elif n.literal_value == 3:
            # special case: cubic
            print("cubic")
            return lambda x, n: x * x * x
    else:
        # If `n` is not literal, request literal dispatch
        return lambda x, n: numba.literally(n)

    print("generic")
    return lambda x, n: x ** n

@numba.njit
def test_power(x, n):
    return power(x, n)

# should print "square" and "9"
print(test_power(3, 2))

# should print "cubic" and "27"
print(test_power(3, 3))

# should print "generic" and "81"
print(test_power(3, 4))

assert test_power(3, 2) == 3 ** 2
assert test_power(3, 3) == 3 ** 3
assert test_power(3, 4) == 3 ** 4
"""


def test_numbas_literally_example_prints_what_numba_prints(tmp_path):
    root = __file__.rsplit("/tests/", 1)[0]
    (tmp_path / "example.py").write_text(DOC_EXAMPLE)
    proc = subprocess.run([sys.executable, "example.py"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": root, "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "square\n9\ncubic\n27\ngeneric\n81\n"


# --- literally() of a parameter: one specialization per value ---

@njit
def scaled_by_value(x, n):
    k = literally(n)
    total = 0
    for i in range(k):          # the trip count is a constant
        total += x * i
    return total


def scaled_by_value_py(x, n):
    return sum(x * i for i in range(n))


@FEW
@given(st.integers(-1000, 1000), st.integers(0, 12))
def test_literally_specializes_on_each_value(x, n):
    assert scaled_by_value(x, n) == scaled_by_value_py(x, n)
    assert_compiled(scaled_by_value)
    assert (types.int64, types.literal(n)) in scaled_by_value.signatures


def test_a_specialization_is_made_once_per_value():
    @njit
    def twice(n):
        return literally(n) * 2
    assert [twice(3), twice(4), twice(3), twice(4)] == [6, 8, 6, 8]
    assert twice.signatures == [(types.literal(3),), (types.literal(4),)]
    assert str(twice.signatures[0][0]) == "Literal[int](3)"


def test_string_and_bool_values():
    @njit
    def mode(x, how, flip):
        how = literally(how)
        flip = literally(flip)
        r = x * 2 if how == "double" else x + 1
        return -r if flip else r
    for how in ("double", "inc"):
        for flip in (False, True):
            expected = (3 * 2 if how == "double" else 4) * (-1 if flip else 1)
            assert mode(3, how, flip) == expected
    assert (types.int64, types.literal("double"), types.literal(True)) \
        in mode.signatures
    assert_compiled(mode)


def test_a_callees_request_is_answered_by_its_caller():
    @njit
    def inner(n):
        return literally(n) * 10

    @njit
    def by_constant(x):
        return inner(5) + x           # the constant answers

    @njit
    def by_parameter(n):
        return inner(n) + 1           # asks its own caller in turn

    assert by_constant(1) == 51
    assert (types.literal(5),) in inner.signatures
    assert by_constant.signatures == [(types.int64,)]
    assert [by_parameter(2), by_parameter(7)] == [21, 71]
    assert by_parameter.signatures == [(types.literal(2),),
                                       (types.literal(7),)]


def spline_order(x, k, diff):
    raise NotImplementedError


@overload(spline_order, prefer_literal=True)
def ov_spline_order(x, k, diff):
    # interpolation.py's eval_spline reads both values when it types
    order, which = k.literal_value, diff.literal_value
    return lambda x, k, diff: x * order + len(which)


def test_literally_of_a_constant_passes_the_constant_on():
    """`f(k=literally(3))`, `dd = literally(diff)`: what literally() is
    given answers a request, or an overload's Literal try, as the constant
    itself would."""
    @njit
    def evaluate(x, k=1, diff="None"):
        dd = literally(diff)
        kk = literally(k)
        return spline_order(x, kk, dd)

    @njit
    def cubic(x):
        return evaluate(x, k=literally(3), diff=pyjit.literally("abc"))

    assert cubic(2) == 2 * 3 + 3
    assert (types.int64, types.literal(3), types.literal("abc")) in \
        evaluate.signatures
    assert_compiled(cubic)


def exec_made(x):
    raise NotImplementedError


@overload(exec_made, prefer_literal=True)
def ov_exec_made(x):
    if not isinstance(x, types.Literal):
        raise TypeError("asked without the literal")
    namespace = {}
    exec("def impl(x):\n    return x + 1\n", namespace)
    impl = namespace["impl"]
    # a file name no compile() call was given: no text of impl exists
    impl.__code__ = impl.__code__.replace(co_filename="<no source>")
    return impl


def test_the_preferred_literal_tries_failure_is_the_one_reported():
    @njit
    def f():
        return exec_made(3)
    with pytest.raises(errors.UnsupportedError, match="source code of impl"):
        f()


def test_a_computed_value_cannot_be_asked_for():
    @njit
    def computed(n):
        m = n + 1
        return literally(m)
    with pytest.raises(errors.TypingError,
                       match="Cannot request literal type.*'m'"):
        computed(3)


def test_a_value_without_a_literal_type_is_a_typing_error():
    @njit
    def of_float(x):
        return literally(x)
    with pytest.raises(errors.TypingError,
                       match=r"argument 0.*1\.5 \(float\) has no Literal"):
        of_float(1.5)
    assert of_float(2) == 2


def test_literally_in_python_is_the_value():
    assert literally(3) == 3
    assert literally("a") == "a"


def test_jit_with_object_mode_fallback_still_specializes():
    @pyjit.jit
    def plus_one(n):
        return literally(n) + 1
    assert plus_one(4) == 5
    assert plus_one.signatures == [(types.literal(4),)]


# --- overloads see constants as Literal types ---

def clip_to(x, bound):
    raise NotImplementedError


seen = []


@overload(clip_to)
def ov_clip_to(x, bound):
    seen.append(bound)
    if isinstance(bound, types.IntegerLiteral):
        limit = bound.literal_value
        return lambda x, bound: min(x, limit)
    return None                 # only for a constant bound


def test_an_overload_sees_a_constant_after_its_plain_type_fails():
    @njit
    def f(x):
        return clip_to(x, 10)
    seen.clear()
    assert [f(3), f(30)] == [3, 10]
    assert seen == [types.int64, types.literal(10)]


def test_a_parameter_is_not_a_literal_for_an_overload():
    @njit
    def g(x, b):
        return clip_to(x, b)
    with pytest.raises(errors.TypingError, match="returned None"):
        g(3, 10)


def pick(x, which):
    raise NotImplementedError


@overload(pick, prefer_literal=True)
def ov_pick(x, which):
    if isinstance(which, types.StringLiteral):
        if which.literal_value == "neg":
            return lambda x, which: -x
    return lambda x, which: x


def test_prefer_literal_asks_with_the_literal_first():
    @njit
    def f(x):
        return pick(x, "neg"), pick(x, "other")
    assert f(4) == (-4, 4)


def reduce_by(a, how):
    raise NotImplementedError


@overload(reduce_by)
def ov_reduce_by(a, how):
    sentry_literal_args(inspect.signature(reduce_by), ["how"], (a, how), {})
    if how.literal_value == "sum":
        return lambda a, how: a.sum()
    return lambda a, how: a.max()


@FEW
@given(st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=20),
       st.sampled_from(["sum", "max"]))
def test_sentry_literal_args_asks_the_caller(values, how):
    @njit
    def use(a, how):
        return reduce_by(a, how)
    a = np.array(values)
    expected = a.sum() if how == "sum" else a.max()
    assert close(use(a, how), expected)
    assert_compiled(use)


# --- the types, from Python ---

def test_literal_types_answer_as_numbas():
    three = types.literal(3)
    assert three is types.literal(3)
    assert three.literal_value == 3 and three.literal_type == types.int64
    assert types.unliteral(three) == types.int64
    assert types.unliteral(types.float64) == types.float64
    assert isinstance(three, types.Literal)
    assert isinstance(three, types.IntegerLiteral)
    assert isinstance(three, types.Integer)
    assert not isinstance(three, types.StringLiteral)
    assert isinstance(types.literal(True), types.BooleanLiteral)
    assert isinstance(types.literal(True), types.Boolean)
    assert types.literal(True) != types.literal(1)
    assert isinstance(types.literal("x"), types.StringLiteral)
    assert not isinstance(types.int64, types.Literal)
    assert types.maybe_literal(1.5) is None
    with pytest.raises(errors.LiteralTypingError):
        types.literal(1.5)


def test_literal_specializations_are_cached(tmp_path):
    script = textwrap.dedent("""
        import json
        from pyjit import njit, literally

        @njit(cache=True)
        def times(x, n):
            return x * literally(n)

        out = [times(2, 3), times(2, 4)]
        print(json.dumps([out, sum(times.stats.cache_hits.values())]))
    """)
    first = run_cached_script(tmp_path, script)
    second = run_cached_script(tmp_path, script)
    assert first == [[6, 8], 0]
    assert second == [[6, 8], 2]


def test_calls_of_a_literal_specialization_keep_memory_flat():
    @njit
    def grow(n):
        return np.zeros(literally(n)).sum()
    for _ in range(1000):
        grow(3)
        grow(5)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for _ in range(500_000):
        grow(3)
        grow(5)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert (after - before) * 1024 < rss_limit(16 << 20)
