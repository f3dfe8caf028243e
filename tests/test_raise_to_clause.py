"""A `raise` that its own `try` catches by class alone (`except E:` with no
`as` name and no bare `raise` in the clause) jumps straight to the clause
without making the exception object.  Differential tests against the plain
Python functions over generated inputs, each also checking that the code
compiled in nopython mode; IR checks that the fast path is taken where it
may be and not where the object can be seen; RSS over many caught raises."""
import hypothesis.strategies as st
from hypothesis import given

from difftest import FEW, assert_compiled, rss_bytes, rss_limit
from pyjit import njit


def check(f, *args):
    got, expected = f(*args), f.py_func(*args)
    assert got == expected and type(got) is type(expected), (args, got, expected)
    assert_compiled(f)


def makes_exceptions(f):
    """Whether f's code calls the runtime to make an exception of a class
    it raises (with constant or computed arguments)."""
    ir = "\n".join(f.inspect_llvm().values())
    return "@pj_rt_raise(" in ir or "@pj_rt_str_raise(" in ir


class Shape(Exception):
    """A user class with BaseException's construction."""


class Narrow(Shape):
    pass


CONSTRUCTED = []


class Counted(Exception):
    """A user class whose __init__ runs code: it must be made."""

    def __init__(self, *args):
        CONSTRUCTED.append(args)
        super().__init__(*args)


@njit
def every_kth(n, k):
    c = 0
    for i in range(n):
        try:
            if i % k == 0:
                raise ValueError("bad")
            c += 1
        except Exception:
            c -= 1
    return c


@njit
def by_clause(n, x):
    total = 0
    for i in range(n):
        try:
            m = (i + x) % 5
            if m == 0:
                raise KeyError(i)
            if m == 1:
                raise IndexError
            if m == 2:
                raise Narrow("narrow", i)
            if m == 3:
                raise ZeroDivisionError("computed", i * 2.5)
            total += 1
        except (KeyError, ZeroDivisionError):
            total += 10
        except LookupError:
            total += 100
        except Shape:
            total += 1000
    return total


@njit
def bare_except(n):
    total = 0
    for i in range(n):
        try:
            if i % 4 == 0:
                raise OverflowError
            if i % 4 == 1:
                raise TypeError("t")
            total += i
        except OverflowError:
            total -= 1
        except:  # noqa: E722 - what is tested
            total -= 2
    return total


@njit
def unmatched_goes_out(n):
    outer = 0
    for i in range(n):
        try:
            try:
                if i % 3 == 0:
                    raise ValueError("inner")
                if i % 3 == 1:
                    raise KeyError("outer")
                outer += 1
            except ValueError:
                outer += 10
        except KeyError:
            outer += 100
    return outer


@njit
def in_a_clause(n):
    c = 0
    for i in range(n):
        try:
            try:
                raise ValueError("first")
            except ValueError:
                if i % 2 == 0:
                    raise ArithmeticError("second")
                c += 1
        except ArithmeticError:
            c += 5
    return c


@njit
def control_flow_in_clause(n):
    c = 0
    for i in range(n):
        try:
            if i % 3 == 0:
                raise ValueError
            c += 1
        except ValueError:
            if i > 20:
                break
            if i % 2 == 0:
                continue
            c += 7
    return c


@given(st.integers(0, 300), st.integers(1, 9))
@FEW
def test_every_kth_raise_is_caught_as_python_catches_it(n, k):
    check(every_kth, n, k)


@given(st.integers(0, 120), st.integers(-50, 50))
@FEW
def test_each_raise_reaches_the_clause_python_picks(n, x):
    check(by_clause, n, x)


@given(st.integers(0, 80))
@FEW
def test_bare_except_and_control_flow(n):
    check(bare_except, n)
    check(unmatched_goes_out, n)
    check(in_a_clause, n)
    check(control_flow_in_clause, n)


def test_the_caught_raise_makes_no_exception():
    every_kth(10, 3)
    by_clause(10, 0)
    assert not makes_exceptions(every_kth)
    assert not makes_exceptions(by_clause)


@njit
def named(n):
    s = 0
    for i in range(n):
        try:
            if i % 2 == 0:
                raise ValueError("v", i)
            s += 1
        except ValueError as e:
            s += len(e.args)
    return s


@njit
def raised_again(i):
    try:
        if i % 2 == 0:
            raise ValueError("again", i)
        return 1
    except ValueError:
        raise


@njit
def in_finally(i):
    c = 0
    try:
        if i % 2 == 0:
            raise ValueError("through finally", i)
        c = 1
    finally:
        c += 1
    return c


def test_a_raise_whose_object_can_be_seen_still_makes_it():
    check(named, 9)
    assert makes_exceptions(named)
    assert raised_again(1) == 1
    for f in (raised_again, in_finally):
        try:
            f(4)
        except ValueError as e:
            assert e.args == (f.__name__.replace("raised_again", "again")
                              .replace("in_finally", "through finally"), 4)
        else:
            raise AssertionError(f"{f.__name__}(4) did not raise")
    assert in_finally(3) == 2


@njit
def counted(n):
    c = 0
    for i in range(n):
        try:
            if i % 2 == 0:
                raise Counted("made", i)
        except Counted:
            c += 1
    return c


def test_a_class_whose_init_runs_code_is_still_made():
    CONSTRUCTED.clear()
    assert counted(6) == 3
    assert CONSTRUCTED == [("made", 0), ("made", 2), ("made", 4)]


def test_memory_stays_flat_over_caught_raises():
    by_clause(100, 0)
    named(100)
    before = rss_bytes()
    for _ in range(200):
        by_clause(5000, 1)
        named(5000)
    assert rss_bytes() - before < rss_limit(8 << 20)
