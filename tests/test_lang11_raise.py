"""raise SomeError(e), raise SomeError(str(e)) and repr(e) with e a caught
exception: the new exception is made from the caught object itself, as
Python makes it.  Differential against the plain Python functions, each
checked to have compiled in nopython mode."""
import pytest
from hypothesis import given, settings, strategies as st

from pyjit import njit
from difftest import assert_compiled, check


@njit
def wrap_key(x):
    try:
        if x > 2:
            raise ValueError("big " + str(x))
        return x
    except ValueError as e:
        raise KeyError(e)


@njit
def wrap_message(x):
    try:
        if x > 2:
            raise ValueError("bad", x)
        return x * 2
    except ValueError as e:
        raise RuntimeError(str(e))


@njit
def wrap_mixed(x):
    try:
        if x < 0:
            raise IndexError("negative")
        return 100 // x
    except ZeroDivisionError as e:
        raise ValueError("while dividing: " + str(e), e, x)
    except IndexError as err:
        raise LookupError(err)


@njit
def repr_length(x):
    try:
        return 10 // x
    except ZeroDivisionError as e:
        return len(repr(e))


@njit
def first_char(s, i):
    try:
        return s[i]
    except IndexError as e:
        raise KeyError(e)


def outcome(f, *args):
    try:
        return "ok", f(*args)
    except Exception as e:          # noqa: BLE001
        return type(e), [(type(a), str(a)) for a in e.args]


@settings(max_examples=80, deadline=None)
@given(st.integers(-5, 8))
def test_wrapped_exception_is_the_caught_object(x):
    for f in (wrap_key, wrap_message, wrap_mixed, repr_length):
        check(f, x)
        assert outcome(f, x) == outcome(f.py_func, x)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=4), st.integers(-6, 6))
def test_runtime_error_rewrapped(s, i):
    check(first_char, s, i)
    assert outcome(first_char, s, i) == outcome(first_char.py_func, s, i)


def test_wrapped_cause_keeps_class_and_args():
    with pytest.raises(KeyError) as ei:
        wrap_key(7)
    inner = ei.value.args[0]
    assert type(inner) is ValueError and inner.args == ("big 7",)
    with pytest.raises(LookupError) as ei:
        wrap_mixed(-1)
    assert type(ei.value.args[0]) is IndexError
    assert_compiled(wrap_mixed)


@njit(nogil=True)
def wrapped_in_callee(x):
    try:
        if x >= 0:
            raise ValueError("v", x)
        return x
    except ValueError as e:
        raise KeyError(e)


@njit(nogil=True)
def catch_wrapped(n):
    c = 0
    for i in range(-3, n):
        try:
            c += wrapped_in_callee(i)
        except KeyError as k:
            c += len(str(k))
    return c


def test_wrapped_in_callee_without_the_gil():
    check(catch_wrapped, 2000)
    check(catch_wrapped, 0)
