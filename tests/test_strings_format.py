"""str.format with numbered, named and spec'd fields, and %-formatting,
with a constant format string, against the plain Python function."""
import hypothesis.strategies as st
import pytest
from hypothesis import given

from pyjit import njit

from difftest import SETTINGS, assert_compiled, check

ints = st.integers(-10**6, 10**6)
floats = st.floats(-1e6, 1e6, allow_nan=False) | st.sampled_from(
    [float("nan"), float("inf"), -0.0])
texts = st.text(max_size=6)


@njit
def fields(n, x, s):
    return ("{0} {1:.2f} {0:>5} {2!r:^9}".format(n, x, s),
            "{} | {:+,} | {:08.3f} | {:<4}|".format(s, n, x, s),
            "{a}-{b:e}-{a:x}-{c!s}".format(a=abs(n), b=x, c=s),
            "{0:{1}}|{2:.{3}f}".format(n, 7, x, 2),
            "{{literal}} {}".format(n),
            "{:b} {:o} {:#X} {:%}".format(abs(n), abs(n), abs(n), x))


@SETTINGS
@given(ints, floats, texts)
def test_format_fields_match_python(n, x, s):
    check(fields, n, x, s)


@njit
def percent(n, x, s):
    return ("%d items, %.3f, %s %%" % (n, x, s),
            "%5d|%-5d|%05d|%+d|% d" % (n, n, n, n, n),
            "%x %X %#o %o" % (abs(n), abs(n), abs(n), abs(n)),
            "%10.4f|%-10.2e|%g|%G" % (x, x, x, x),
            "%r %a %8s|%-8s|%.2s" % (s, s, s, s, s),
            "%d" % n, "%s!" % s, "%i %u" % (x, x) if x == x and abs(x) < 1e300
            else "")


@SETTINGS
@given(ints, floats, texts)
def test_percent_formatting_matches_python(n, x, s):
    check(percent, n, x, s)


def test_arguments_are_evaluated_once_in_order():
    @njit
    def f(n):
        out = [0]
        def bump(v):
            out.append(v)
            return v
        r = "{1}{0}{1}".format(bump(n), bump(n + 1))
        q = "%d-%d" % (bump(n + 2), bump(n + 3))
        return r, q, out
    check(f, 4)


def test_fields_with_attributes_and_items():
    @njit
    def f(t, z, a):
        return "{0[1]}/{1.imag:.1f}/{2[0]:>4}/{t[0]}".format(t, z, a, t=t)
    check(f, (1, 2.5), 3 + 4j, [7, 8])


def test_errors_as_python_says():
    @njit
    def bad(n):
        return "{:d}".format(n)
    check(bad, 2.5)
    assert_compiled(bad)
