"""Errors are part of the product: each compile error's class and the key
parts of its message (what failed, where, while doing what, and why)."""
import math
import os
import re

import numpy as np
import pytest

import pyjit
from pyjit import jit, njit
from pyjit.errors import (LoweringError, PyjitError, TypingError,
                          UnsupportedError)

THIS_FILE = os.path.abspath(__file__)
with open(THIS_FILE) as _f:
    SOURCE_LINES = _f.read().splitlines()


def line_of(fragment):
    """1-based number of the one line of this file whose code contains
    fragment (not counting the string literals that name it)."""
    quoted = (f'"{fragment}', f"'{fragment}")
    hits = [i + 1 for i, line in enumerate(SOURCE_LINES)
            if fragment in line and not any(q in line for q in quoted)]
    assert len(hits) == 1, (fragment, hits)
    return hits[0]


def check_location(msg, fragment, column_of=None):
    """The message names this file and the line holding `fragment`, shows
    that source line, and puts a caret under the column of `column_of`
    (default: the first non-blank character of the line)."""
    lineno = line_of(fragment)
    src = SOURCE_LINES[lineno - 1]
    assert f'File "{THIS_FILE}", line {lineno}' in msg, msg
    lines = msg.splitlines()
    idx = [i for i, ln in enumerate(lines) if ln.rstrip() == src.rstrip()]
    assert idx, f"source line {src!r} not in message:\n{msg}"
    caret = lines[idx[-1] + 1]
    assert caret.strip() == "^", msg
    col = src.index(column_of) if column_of else len(src) - len(src.lstrip())
    assert caret.index("^") == col, msg
    return lineno


def check_during(msg, what, lineno):
    name = re.escape(os.path.basename(THIS_FILE))
    pat = rf"During: {re.escape(what)} at (\S*/)?{name} \({lineno}\)"
    assert re.search(pat, msg), msg


def first_line(msg):
    return msg.splitlines()[0]


# --- the exception classes --------------------------------------------------

def test_error_hierarchy():
    assert issubclass(PyjitError, Exception)
    for cls in (TypingError, UnsupportedError, LoweringError):
        assert issubclass(cls, PyjitError)
    assert not issubclass(TypingError, UnsupportedError)
    assert not issubclass(UnsupportedError, TypingError)


def test_errors_are_reexported():
    assert pyjit.errors.PyjitError is pyjit.PyjitError is PyjitError
    assert pyjit.errors.TypingError is pyjit.TypingError is TypingError
    assert pyjit.errors.UnsupportedError is pyjit.UnsupportedError
    assert pyjit.errors.LoweringError is pyjit.LoweringError
    for name in ("PyjitError", "TypingError", "UnsupportedError",
                 "LoweringError"):
        assert name in pyjit.errors.__all__
        assert name in pyjit.__all__


# --- the seed's example ------------------------------------------------------

class MyInt(object):
    def __init__(self, x):
        self.x = x


def add_object_n2_times(a, b, n):
    cumsum = 0
    for i in range(n):
        for j in range(n):
            cumsum += a.x + b.x
    return cumsum


@pytest.mark.parametrize("decorate", [
    lambda f: jit(nopython=True)(f),
    lambda f: njit(f),
    lambda f: njit()(f),
], ids=["jit(nopython=True)", "njit", "njit()"])
def test_seed_unknown_attribute(decorate):
    f = decorate(add_object_n2_times)
    a, b = MyInt(5), MyInt(6)
    with pytest.raises(TypingError) as info:
        f(a, b, 5)
    msg = str(info.value)
    head = first_line(msg)
    assert head.startswith("Failed in nopython mode"), msg
    assert "nopython frontend" in head, msg      # the stage
    assert "Unknown attribute 'x' of type pyobject" in msg
    lineno = check_location(msg, "cumsum += a.x + b.x", column_of="a.x")
    check_during(msg, "typing of get attribute", lineno)
    assert "This error may have been caused by the following argument(s):" \
        in msg
    assert f"- argument 0: cannot determine pyjit type of {MyInt!r}" in msg
    assert f"- argument 1: cannot determine pyjit type of {MyInt!r}" in msg
    assert "argument 2" not in msg
    # the order of the parts
    assert msg.index("Unknown attribute") < msg.index("File ") \
        < msg.index("During:") < msg.index("This error may have been")


def test_seed_error_then_good_call_works():
    f = njit(add_object_n2_times)
    with pytest.raises(TypingError):
        f(MyInt(5), MyInt(6), 5)
    with pytest.raises(TypingError):
        f(MyInt(5), MyInt(6), 5)     # still an error, not a crash
    assert f.signatures == []


# --- no implementation of an operator --------------------------------------

def int_plus_tuple(a):
    t = (a, a)
    return a + t


def test_no_implementation_of_binary_operator():
    f = njit(int_plus_tuple)
    with pytest.raises(TypingError) as info:
        f(1)
    msg = str(info.value)
    assert first_line(msg).startswith("Failed in nopython mode")
    assert "No implementation of + for (int64, UniTuple(int64 x 2))" in msg
    lineno = check_location(msg, "return a + t", column_of="a + t")
    check_during(msg, "typing of binary operator", lineno)
    # all arguments could be typed: no argument notes
    assert "This error may have been caused" not in msg


def inplace_bad(a):
    s = 1
    s += (a, 2.0)
    return s


def test_no_implementation_of_inplace_operator():
    with pytest.raises(TypingError) as info:
        njit(inplace_bad)(1)
    msg = str(info.value)
    assert "No implementation of +" in msg
    assert "Tuple(int64, float64)" in msg
    lineno = check_location(msg, "s += (a, 2.0)", column_of="s +=")
    check_during(msg, "typing of inplace operator", lineno)


# --- other typing failures carry the same location block ---------------------

def not_jitted(x):
    return x


def calls_python_function(a):
    return not_jitted(a)


def uses_undefined_name(a):
    return undefined_name_xyz + a   # noqa: F821


def unknown_module_attribute(a):
    return math.no_such_function(a)


def unknown_number_attribute(a):
    return a.no_such_attr


def wrong_arity_math(a):
    return math.sqrt(a, a)


def index_a_scalar(a):
    return a[0]


def unify_variable(a):
    x = 1
    if a > 0:
        x = (a, 2)
    return x


def test_untyped_global_function():
    with pytest.raises(TypingError) as info:
        njit(calls_python_function)(1)
    msg = str(info.value)
    assert "not_jitted" in msg
    assert "<class 'function'>" in msg
    lineno = check_location(msg, "return not_jitted(a)",
                            column_of="not_jitted")
    assert re.search(rf"During: .* \({lineno}\)", msg), msg


def test_undefined_global_name():
    with pytest.raises(TypingError) as info:
        njit(uses_undefined_name)(1)
    msg = str(info.value)
    assert "undefined_name_xyz" in msg
    check_location(msg, "return undefined_name_xyz + a",
                   column_of="undefined_name_xyz")


def test_unknown_attribute_of_module():
    with pytest.raises(TypingError) as info:
        njit(unknown_module_attribute)(1.0)
    msg = str(info.value)
    assert "Unknown attribute 'no_such_function'" in msg
    assert "math" in msg
    lineno = check_location(msg, "return math.no_such_function(a)",
                            column_of="math.")
    check_during(msg, "typing of get attribute", lineno)


def test_unknown_attribute_of_number():
    with pytest.raises(TypingError) as info:
        njit(unknown_number_attribute)(1)
    msg = str(info.value)
    assert "Unknown attribute 'no_such_attr' of type int64" in msg
    lineno = check_location(msg, "return a.no_such_attr",
                            column_of="a.no")
    check_during(msg, "typing of get attribute", lineno)


def test_no_implementation_of_function_call():
    with pytest.raises(TypingError) as info:
        njit(wrong_arity_math)(2.0)
    msg = str(info.value)
    assert "(float64, float64)" in msg
    assert "sqrt" in msg
    lineno = check_location(msg, "return math.sqrt(a, a)",
                            column_of="math.sqrt")
    check_during(msg, "typing of call", lineno)


def test_getitem_on_scalar_has_during_line():
    with pytest.raises(TypingError) as info:
        njit(index_a_scalar)(3)
    msg = str(info.value)
    assert "getitem" in msg and "int64" in msg
    lineno = check_location(msg, "return a[0]", column_of="a[0]")
    assert re.search(rf"During: typing of \w*\s*getitem at \S+ \({lineno}\)",
                     msg), msg


def test_cannot_unify_variable_has_during_line():
    with pytest.raises(TypingError) as info:
        njit(unify_variable)(3)
    msg = str(info.value)
    assert "unify" in msg
    assert "int64" in msg and "UniTuple(int64 x 2)" in msg
    assert "'x'" in msg
    lineno = check_location(msg, "x = (a, 2)")
    check_during(msg, "typing of assignment", lineno)


# --- unsupported syntax ------------------------------------------------------

class Ctx:
    def __enter__(self):
        return self

    def __exit__(self, *a):
        return False


def uses_with(a):
    with a:
        pass
    return 1


def uses_try(a):
    try:
        a = a + 1
    except* ValueError:
        a = 0
    return a


def uses_lambda(a):
    f = lambda x, **kw: x   # noqa: E731
    return f(a)


def uses_dict_unpacking(a):
    return {**a}


def uses_genexpr(a):
    g = (i for i in range(a))
    return sum(g)


@pytest.mark.parametrize("func, arg, fragment, words", [
    (uses_with, Ctx(), "    with a:", "with"),
    (uses_try, 1, "    try:", "try"),
    (uses_lambda, 1, "f = lambda x, **kw: x", "lambda"),
    (uses_dict_unpacking, 3, "return {**a}", "dict display"),
    (uses_genexpr, 3, "g = (i for i in range(a))", "generator"),
], ids=["with", "try", "lambda", "dict-unpacking", "genexpr"])
def test_unsupported_syntax(func, arg, fragment, words):
    f = njit(func)
    with pytest.raises(UnsupportedError) as info:
        f(arg)
    msg = str(info.value)
    assert first_line(msg).startswith("Failed in nopython mode"), msg
    assert "unsupported" in msg.lower()
    assert words in msg
    column = {"lambda": "lambda", "dict display": "{",
              "generator": "(i for"}.get(words)
    check_location(msg, fragment, column_of=column)
    # the dispatcher stays usable: the same error again, not a crash
    with pytest.raises(UnsupportedError):
        f(arg)


def generator_function(n):
    for i in range(n):
        got = yield i
        n += got


def test_generator_send_is_unsupported_with_location():
    with pytest.raises(UnsupportedError) as info:
        f = njit(generator_function)
        f(3)
    msg = str(info.value)
    assert "generator's send" in msg
    yield_line = line_of("        got = yield i")
    assert f'File "{THIS_FILE}", line {yield_line}' in msg, msg
    assert "^" in msg, msg


def test_unsupported_with_in_jit_nopython():
    with pytest.raises(UnsupportedError):
        jit(nopython=True)(uses_with)(Ctx())


# --- a function without source -----------------------------------------------

def exec_function():
    ns = {}
    exec("def made_by_exec(a):\n    return a + 1\n", ns)
    f = ns["made_by_exec"]
    # a file name no compile() call was given: no text of it exists
    f.__code__ = f.__code__.replace(co_filename="<no source>")
    return f


@pytest.mark.parametrize("deco", [njit, jit(nopython=True)])
def test_function_without_source(deco):
    f = deco(exec_function())
    with pytest.raises(PyjitError) as info:
        f(1)
    msg = str(info.value)
    assert "made_by_exec" in msg
    assert "source" in msg
    assert "<no source>" in msg
    # a clear statement, not a parser or OS error
    assert not isinstance(info.value, (SyntaxError, OSError))


# --- an error two calls deep -------------------------------------------------

@njit
def fails_deep(x):
    return x.no_such_attribute


@njit
def calls_failing(x):
    y = fails_deep(x)
    return y


@njit
def calls_calls_failing(x):
    return calls_failing(x)


def test_a_typing_error_two_calls_deep_reaches_the_caller():
    with pytest.raises(TypingError) as info:
        calls_calls_failing(np.ones(2))
    msg = str(info.value)
    assert "Unknown attribute 'no_such_attribute'" in msg, msg
    assert "return x.no_such_attribute" in msg, msg
