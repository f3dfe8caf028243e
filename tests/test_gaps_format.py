"""str.format with '{}' replacement fields in compiled code: each field is str() of
the next positional argument, {{ and }} are braces, as CPython formats them."""
import hypothesis.strategies as st
import pytest
from hypothesis import given

import pyjit
from difftest import FEW, assert_compiled, mod_floats, small_ints

pieces = st.sampled_from(["a", "b c", "{{", "}}", "{}", "{}", "é", ""])
templates = st.lists(pieces, max_size=8).map("".join)


@pyjit.njit
def three(template, i, x, s):
    return template.format(i, x, s)


@pyjit.njit
def literal(i, flag):
    return "{} is {}".format(i, flag)


def outcome(f, *args):
    try:
        return f(*args)
    except (IndexError, ValueError) as e:
        return type(e)


@given(templates, small_ints, mod_floats, st.text(alphabet="xy{}", max_size=4))
@FEW
def test_format_fields(template, i, x, s):
    assert outcome(three, template, i, x, s) == outcome(three.py_func, template, i, x, s)
    assert_compiled(three)


@given(small_ints, st.booleans())
@FEW
def test_format_of_a_constant_template(i, flag):
    assert literal(i, flag) == literal.py_func(i, flag)
    assert_compiled(literal)


def test_numbered_and_spec_fields_are_refused_at_run_time():
    with pytest.raises(ValueError, match="takes only '{}' replacement fields"):
        three("{0}", 1, 2.0, "s")
    with pytest.raises(ValueError, match="takes only '{}' replacement fields"):
        three("{:.2f}", 1, 2.0, "s")


def test_single_closing_brace_is_an_error_as_in_python():
    with pytest.raises(ValueError, match="Single '}'"):
        three("a}b", 1, 2.0, "s")
