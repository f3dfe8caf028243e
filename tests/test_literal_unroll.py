"""`for x in literal_unroll(t):` over tuples whose items have different
types: the body is compiled once per item, each copy typed for its item,
as Numba's numba.literal_unroll does."""
import numpy as np
import pytest
from hypothesis import given
import hypothesis.strategies as st

import pyjit
from pyjit import literal_unroll, njit, types
from pyjit.typed import List

from difftest import FEW, assert_compiled

GLOBAL = (1, 2.5, np.float32(0.25), True)


def test_python_semantics_without_the_jit():
    assert literal_unroll((1, "a")) == (1, "a")


@given(st.integers(-1000, 1000), st.floats(-1e6, 1e6), st.booleans())
@FEW
def test_heterogeneous_argument_differential(a, b, c):
    @njit
    def f(t):
        s = 0.0
        for x in literal_unroll(t):
            y = x * 2
            s += y
        return s

    assert f((a, b, c)) == f.py_func((a, b, c))
    assert_compiled(f)
    assert f.nopython_signatures[0].args == (
        types.Tuple((types.int64, types.float64, types.boolean)),)


def test_items_of_different_kinds_from_a_global():
    @njit
    def f():
        s = 0.0
        n = 0
        for x in literal_unroll(GLOBAL):
            n += 1
            s += x * 2
        return s, n

    assert f() == f.py_func() == (9.5, 4)


def test_tuple_display_with_continue_and_else():
    @njit
    def f(a, b):
        out = 0.0
        for v in literal_unroll((a, b, 7)):
            if v > 5:
                continue
            out += v
        else:
            out += 100
        return out

    assert f(1, 2.5) == f.py_func(1, 2.5) == 103.5


@pytest.mark.parametrize("t", [(1, 2.0, 3j), (1,), ()])
def test_break_skips_else(t):
    @njit
    def f(t):
        n = 0
        for v in literal_unroll(t):
            n += 1
            if n == 2:
                break
        else:
            n = -1
        return n

    assert f(t) == f.py_func(t)


def test_arrays_of_different_dimensions():
    @njit
    def total(t):
        s = 0.0
        for a in literal_unroll(t):
            s += a.sum()
        return s

    t = (np.arange(4.0), np.ones((2, 3)), np.arange(8.0).reshape(2, 2, 2))
    assert total(t) == 6.0 + 6.0 + 28.0
    assert_compiled(total)


@given(st.lists(st.integers(-100, 100), max_size=8))
@FEW
def test_a_list_parameter_is_an_ordinary_loop(items):
    # Numba iterates a container whose items have one type as usual
    @njit
    def total(xs):
        s = 0
        for x in literal_unroll(xs):
            s += x
        return s

    assert total(np.array(items, dtype=np.int64)) == sum(items)
    if items:
        assert total(List(items)) == sum(items)
    assert_compiled(total)


def test_the_loop_variable_stays_visible_after_the_loop_when_used():
    @njit
    def last(t):
        for x in literal_unroll(t):
            pass
        return x

    assert last((1, 2, 3)) == 3


@pytest.mark.parametrize("body, message", [
    ("""
     def f(t):
         u = t
         for x in literal_unroll(u):
             pass
         return 0
     """, "the tuple's length must be known when the function compiles"),
    ("""
     def f(t):
         for x in literal_unroll(t):
             pass
         return 0
     """, "int64 is not iterable"),
    ("""
     def f(t):
         for x in literal_unroll(t):
             for y in literal_unroll(t):
                 pass
         return 0
     """, "literal_unroll inside a loop that literal_unroll unrolls"),
])
def test_loops_that_cannot_be_unrolled(tmp_path, body, message):
    import textwrap
    path = tmp_path / "unroll_case.py"
    path.write_text("from pyjit import njit, literal_unroll\n"
                    + textwrap.dedent(body))
    namespace = {}
    exec(compile(path.read_text(), str(path), "exec"), namespace)
    f = njit(namespace["f"])
    with pytest.raises(pyjit.PyjitError, match=message):
        f((1, 2.5) if "int64" not in message else 1)


@given(st.integers(-10 ** 9, 10 ** 9))
@FEW
def test_literally_passes_its_value_through(x):
    from pyjit import literally

    @njit
    def f(x):
        return literally(x) * 2 + literally(3)

    assert f(x) == f.py_func(x) == 2 * x + 3
    assert literally(x) == x
    assert_compiled(f)


@njit
def unrolled_local(x):
    # the tuple is a variable assigned a display once, as Numba allows
    t = (1, 2.5, "abc", x)
    total = 0.0
    for v in literal_unroll(t):
        total += len(str(v))
    return total


@njit
def unrolled_reassigned():
    t = (1, 2.5)
    t = (1, 2.5, 3)
    total = 0.0
    for v in literal_unroll(t):
        total += v
    return total


@pytest.mark.parametrize("x", [3, 0.25, True])
def test_local_tuple_variable_is_unrolled(x):
    assert unrolled_local(x) == unrolled_local.py_func(x)
    assert_compiled(unrolled_local)


def test_tuple_variable_assigned_twice_is_refused():
    with pytest.raises(pyjit.errors.TypingError, match="assigned one once"):
        unrolled_reassigned()


def test_refusal_survives_a_cold_type_cache(monkeypatch):
    """The refusal is reported whatever CPython's method cache holds when
    the loop's location is read (a lookup that misses it clears an error
    already set: the compile failed without a diagnostic)."""
    import sys

    import pyjit._literal_unroll as unroll
    plan = unroll.plan

    def plan_then_cold_cache(*args):
        try:
            return plan(*args)
        finally:
            sys._clear_type_cache()

    monkeypatch.setattr(unroll, "plan", plan_then_cold_cache)
    with pytest.raises(pyjit.errors.TypingError, match="assigned one once"):
        njit(unrolled_reassigned.py_func)()
