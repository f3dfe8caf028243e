"""String methods, conversions, f-strings, print and raise with strings made at run
time, against Python."""
import math

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given

from pyjit import TypingError, njit
from difftest import FEW, SETTINGS, assert_compiled
from test_strings import check, short_texts, texts

search_bounds = st.one_of(st.none(), st.integers(-8, 8))
numeric_texts = st.one_of(
    texts,
    st.integers().map(str),
    st.integers(-2 ** 63, 2 ** 63 - 1).map(lambda i: f" {i}\n"),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["1_000", "0x10", "١٢٣", "+5", "-0", "1e400", "nan", "-inf",
                     "1.5e", "", " ", "12.5", "99999999999999999999"]),
)


@njit
def searches(s, sub, a, b):
    return (s.find(sub), s.rfind(sub), s.find(sub, a), s.find(sub, a, b),
            s.rfind(sub, a, b), s.count(sub), s.count(sub, a, b),
            s.startswith(sub), s.endswith(sub), s.startswith(sub, a),
            s.endswith(sub, a, b), sub in s)


@njit
def index_of(s, sub):
    return s.index(sub), s.rindex(sub)


@njit
def case_and_classes(s):
    return (s.upper(), s.lower(), s.casefold(), s.swapcase(), s.title(),
            s.capitalize(), s.isdigit(), s.isdecimal(), s.isnumeric(),
            s.isalpha(), s.isalnum(), s.isspace(), s.isupper(), s.islower(),
            s.istitle(), s.isidentifier(), s.isprintable(), s.isascii())


@njit
def stripping(s, chars):
    return (s.strip(), s.lstrip(), s.rstrip(), s.strip(chars),
            s.lstrip(chars), s.rstrip(chars))


@njit
def padding(s, width, fill):
    return (s.zfill(width), s.center(width), s.center(width, fill),
            s.ljust(width, fill), s.rjust(width), s.expandtabs(4))


@njit
def joining(sep, a, b):
    return sep.join((a, b, a)), "-".join((a,)), sep.join(("x", "é", b))


@njit
def on_constants(n):
    return " ab ".strip(), "ab".center(n, "*"), "é".zfill(n), ", ".join(("a", "b"))


@njit
def replacing(s, old, new, n):
    return s.replace(old, new), s.replace(old, new, n)


@njit
def to_int(s):
    return int(s)


@njit
def to_float(s):
    return float(s)


@njit
def from_numbers(i, x, b):
    return str(i), str(x), str(b), str(), str("é"), repr(x), repr("é'"), \
        ascii("é")


@njit
def fstrings(x, n, s):
    return (f"x={x:.3f} n={n:5d} s={s!r}|{s:>6}|{s:*^7}", f"{x}", f"{n}{s}",
            f"{x:e} {x:10.2%} {n:x} {n:+,}", f"", f"{{}}", f"{s!s}{s!a}")


@given(texts, short_texts, search_bounds, search_bounds)
@SETTINGS
def test_searching(s, sub, a, b):
    check(searches, s, sub, a, b)


@given(texts, short_texts)
@FEW
def test_index_raises_as_python(s, sub):
    check(index_of, s, sub)


@given(texts)
@FEW
def test_case_mappings_and_character_classes(s):
    check(case_and_classes, s)


@given(texts, short_texts)
@FEW
def test_stripping(s, chars):
    check(stripping, s, chars)


@given(texts, st.integers(-2, 30), st.sampled_from(["*", "é", "😀", "ab", ""]))
@FEW
def test_padding(s, width, fill):
    check(padding, s, width, fill)


@given(short_texts, texts, texts)
@FEW
def test_join_of_a_tuple(sep, a, b):
    check(joining, sep, a, b)


def test_library_methods_on_constants():
    check(on_constants, 7)
    check(on_constants, 0)


@given(st.text(st.sampled_from(" \t\n\x0b\x0c\r\x1c\x1f\x85\xa0\u1680\u2000"
                               "\u200a\u200b\u2028\u202f\u3000a\x00"), max_size=8))
@FEW
def test_strip_knows_cpythons_whitespace(s):
    check(stripping, s, "a")


@given(texts, short_texts, short_texts, st.integers(-2, 4))
@FEW
def test_replace(s, old, new, n):
    check(replacing, s, old, new, n)


@given(numeric_texts)
@SETTINGS
def test_int_and_float_of_strings(s):
    try:
        big = not -2 ** 63 <= int(s) < 2 ** 63
    except ValueError:
        big = False
    if big:
        with pytest.raises(OverflowError, match="does not fit in int64"):
            to_int(s)
    else:
        check(to_int, s)
    expected = None
    try:
        expected = float(s)
    except ValueError:
        pass
    if expected is not None and math.isnan(expected):
        assert math.isnan(to_float(s))
    else:
        check(to_float, s)


@given(st.integers(-2 ** 63, 2 ** 63 - 1),
       st.floats(allow_nan=True, allow_infinity=True), st.booleans())
@SETTINGS
def test_str_of_numbers_is_cpythons_repr(i, x, b):
    check(from_numbers, i, x, b)


@given(st.floats(allow_nan=True, allow_infinity=True),
       st.integers(-2 ** 63, 2 ** 63 - 1), texts)
@SETTINGS
def test_fstrings(x, n, s):
    check(fstrings, x, n, s)


def test_bad_format_spec_raises_as_python():
    @njit
    def bad(n):
        return f"{n:q}"
    check(bad, 5)


def test_print_of_strings_and_mixed_arguments(capsys):
    @njit
    def show(s, x, n):
        print(s, x, n, "lit", s[1:])
        print(f"{s}={x:.2f}")
        print()
        print(s)
    show("héllo😀", 1.5, 3)
    show.py_func("héllo😀", 1.5, 3)
    out = capsys.readouterr().out
    half = "héllo😀 1.5 3 lit éllo😀\nhéllo😀=1.50\n\nhéllo😀\n"
    assert out == half + half
    assert_compiled(show)


class StringError(Exception):
    pass


@njit
def raising(x, s):
    if x > 1:
        raise ValueError(f"bad value {x}")
    if x < 0:
        raise StringError("negative: " + s, x, len(s))
    if s == "stop":
        raise KeyError(s)
    return x


@given(st.integers(-3, 3), texts)
@FEW
def test_raise_with_a_message_made_at_run_time(x, s):
    check(raising, x, s)
    if x < 0:
        with pytest.raises(StringError) as info:
            raising(x, s)
        assert info.value.args == ("negative: " + s, x, len(s))


def test_raise_of_an_unsupported_argument_is_a_typing_error():
    @njit
    def bad(t):
        raise ValueError(t)
    with pytest.raises(TypingError, match=r"cannot raise an exception with "
                                          r"arguments of types \(UniTuple"):
        bad((1, 2))


def test_unknown_method_is_a_typing_error():
    @njit
    def bad(s):
        return s.frobnicate()
    with pytest.raises(TypingError, match="frobnicate"):
        bad("x")


@njit
def str_of(n):
    return str(n)


@pytest.mark.parametrize("n", [0, 7, 10, 99, 2 ** 63, 2 ** 64 - 1])
def test_str_of_unsigned_integers(n):
    assert str_of(np.uint64(n)) == str(n)
    assert_compiled(str_of)


@njit
def join_list(sep, parts):
    return sep.join(parts)


@given(texts, st.lists(texts, max_size=80))
@FEW
def test_join_of_a_list_of_any_length(sep, parts):
    # runs of 16 parts and the runs pairwise: every boundary, as Python
    if parts:
        assert join_list(sep, parts) == sep.join(parts)
    long = [str(i) + ("é" if i % 7 == 0 else "") for i in range(1000)]
    assert join_list(sep, long) == sep.join(long)
    assert_compiled(join_list)
