"""try/except/else/finally in nopython code, differential against Python.

Each function runs compiled and as plain Python on the same inputs, some of
which raise and some of which do not; `check` compares the results (or the
exceptions that leave the function) and that the function compiled in
nopython mode.
"""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import pyjit
from pyjit import njit
from difftest import FEW, SETTINGS, check, small_ints


class MyError(ValueError):
    pass


class OtherError(MyError):
    pass


# --- what is caught ---------------------------------------------------------

@njit
def list_index(n, i):
    l = [k * k for k in range(n)]
    try:
        return l[i]
    except IndexError:
        return -1


@njit(boundscheck=True)
def array_index(n, i):
    a = np.arange(n)
    try:
        x = a[i]
    except IndexError:
        return -1
    return x * 1000


@njit
def divide(x, y):
    try:
        r = x // y
    except ArithmeticError:
        r = 99
    return r


@njit
def dict_lookup(n, key):
    d = {}
    for i in range(n):
        d[i] = 2 * i
    try:
        return d[key]
    except LookupError as e:
        return -len(str(e))


@njit
def reshape(n):
    a = np.arange(n)
    try:
        b = a.reshape(3, 4)
        return b[2, 3]
    except ValueError:
        return -7


@njit
def callee(x):
    if x < 0:
        raise MyError(f"value {x} out of range")
    return x + 1


@njit
def calls(x):
    try:
        return callee(x)
    except ValueError as e:
        return len(str(e))


@njit
def classes(x, y):
    try:
        if x > 10:
            raise KeyError(x)
        return 100 // y + [1, 2, 3][x]
    except (ZeroDivisionError, IndexError):
        return -1
    except KeyError:
        return -2


@njit
def bare(x, y):
    try:
        r = x % y
    except:  # noqa: E722
        r = -3
    return r


@njit
def catch_exception(x):
    try:
        if x % 2:
            raise OtherError("odd", x)
        return x
    except Exception as e:
        return len(str(e))


@njit
def user_classes(x):
    s = 0
    try:
        if x > 5:
            raise OtherError(f"other {x}")
        if x > 0:
            raise MyError(f"mine {x}")
    except OtherError as e:
        s = len(str(e))
    except MyError as e:
        s = -len(str(e))
    return s


@given(st.integers(0, 20), small_ints)
@SETTINGS
def test_runtime_errors_are_caught(n, i):
    check(list_index, n, i)
    check(array_index, n, i)
    check(dict_lookup, n, i)
    check(callee, i)
    check(calls, i)


@given(small_ints, st.integers(-3, 3))
@SETTINGS
def test_arithmetic_and_class_tuples(x, y):
    check(divide, x, y)
    check(bare, x, y)
    check(classes, x, y)
    check(catch_exception, x)
    check(user_classes, x)


@pytest.mark.parametrize("n", [12, 11, 0])
def test_library_value_error_is_caught(n):
    check(reshape, n)


# --- else, finally, nesting, raising again ----------------------------------

@njit
def with_else(x, y):
    s = 0
    try:
        s = 10 // y
    except ZeroDivisionError:
        s = -1
    else:
        s += 1000
        if x > 5:
            raise MyError("from else")  # not caught by this try
    finally:
        s += 1
    return s


@njit
def finally_loop(n, stop, skip):
    s = 0
    for i in range(n):
        try:
            if i == stop:
                break
            if i % skip == 0:
                continue
            s += i
        finally:
            s += 100
    return s


@njit
def finally_return(x):
    try:
        if x > 0:
            return x
        x = 10 // x
    finally:
        x = -5
    return x


@njit
def finally_overrides(x):
    try:
        if x > 0:
            raise ValueError("dropped")
        return 1
    finally:
        if x > 2:
            return 2  # noqa: B012


@njit
def nested(x, y):
    s = 0
    try:
        try:
            s = 100 // x
            s += [1, 2, 3][y]
        except ZeroDivisionError:
            s = -1
            raise MyError(f"in handler {y}")
        finally:
            s += 1000
    except MyError as e:
        s -= len(str(e))
    except IndexError:
        s = 5
    return s


@njit
def reraise(x):
    try:
        if x > 0:
            raise MyError(f"positive {x}")
        return 0
    except MyError:
        if x > 5:
            raise
        return 1


@njit
def raise_caught(x):
    try:
        return 10 // x
    except ZeroDivisionError as e:
        raise e


@njit
def while_loop(n):
    i = 0
    s = 0
    while i < n:
        i += 1
        try:
            if i % 3 == 0:
                raise MyError(f"{i}")
            if i % 5 == 0:
                continue
            s += i
        except MyError as e:
            s += 10 * len(str(e))
            if i > 20:
                break
        finally:
            s += 1
    return s


@given(small_ints, st.integers(-3, 3))
@SETTINGS
def test_else_finally_nesting(x, y):
    check(with_else, x, y)
    check(nested, x, y)
    check(finally_return, x)
    check(finally_overrides, x)
    check(reraise, x)
    check(raise_caught, x)


@given(st.integers(0, 40), st.integers(-1, 40), st.integers(1, 5))
@FEW
def test_finally_with_break_and_continue(n, stop, skip):
    check(finally_loop, n, stop, skip)
    check(while_loop, n)


@njit
def finally_on_the_way_out(log, x):
    try:
        log.append(1)
        if x > 0:
            raise MyError("leaving")
        log.append(2)
    finally:
        log.append(3)
    return len(log)


def test_finally_runs_when_the_exception_leaves():
    for x in (0, 1):
        logs = []
        for f in (finally_on_the_way_out.py_func, finally_on_the_way_out):
            log = [0]
            try:
                log.append(f(log, x))
            except MyError as e:
                log.append(str(e))
            logs.append(log)
        assert logs[0] == logs[1] == ([0, 1, 3, "leaving"] if x
                                      else [0, 1, 2, 3, 4])


@njit
def returns_exception(x):
    try:
        x = 10 // x
    except ZeroDivisionError as e:
        return e
    return None


def test_caught_exception_returned_to_python():
    e = returns_exception(0)
    assert type(e) is ZeroDivisionError and str(e) == "integer division or modulo by zero"
    assert returns_exception(5) is None


@njit(nogil=True)
def without_gil(x):
    try:
        return [1, 2][x]
    except IndexError as e:
        return len(str(e))


@njit
def string_of_nested_call(x):
    try:
        return str(x) + str(calls(x) + callee(x))
    except MyError as e:
        return "caught " + str(e)


@given(small_ints)
@FEW
def test_nogil_and_strings(x):
    check(without_gil, x)
    check(string_of_nested_call, x)


def test_raise_message_computed_at_run_time():
    with pytest.raises(MyError, match="value -4 out of range"):
        callee(-4)
    with pytest.raises(MyError, match="positive 9"):
        reraise(9)


# --- what cannot be compiled ------------------------------------------------

def test_except_of_a_local_class_is_refused():
    class Local(Exception):
        pass

    @njit
    def f(x):
        try:
            return x
        except Local:
            return 0

    with pytest.raises(pyjit.UnsupportedError, match="except of something"):
        f(1)


def test_bare_raise_outside_except_is_refused():
    @njit
    def f(x):
        raise

    with pytest.raises(pyjit.UnsupportedError, match="outside an except"):
        f(1)


def test_raise_of_a_number_is_refused():
    @njit
    def f(x):
        raise x

    with pytest.raises(pyjit.TypingError, match="cannot raise a value"):
        f(1)


# --- memory -----------------------------------------------------------------

def rss():
    import os
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@njit
def raise_and_catch(n):
    c = 0
    for i in range(n):
        try:
            a = np.zeros(16)
            l = [i, i + 1, i + 2]
            s = str(i)
            if i % 2 == 0:
                raise MyError(f"bad {i}")
            c += len(l) + a.size + len(s)
        except MyError as e:
            c += len(str(e))
        finally:
            c += 1
    return c


def test_raise_and_catch_loop_leaves_memory_flat():
    assert raise_and_catch(10) == raise_and_catch.py_func(10)
    raise_and_catch(200_000)
    before = rss()
    raise_and_catch(1_000_000)
    assert rss() - before < (2 << 20)
