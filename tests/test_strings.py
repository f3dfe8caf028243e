"""Strings in nopython mode: unicode_type against Python's str.

Each differential test runs the jitted function and its Python original on the same
generated strings (ASCII, latin-1, 2-byte and astral characters, so that every width
CPython stores code points in is met) and compares results, or the type and message
of the exception raised.
"""
import hypothesis.strategies as st
import pytest
from hypothesis import given

import pyjit
from pyjit import njit, types
from difftest import FEW, SETTINGS, assert_compiled

# Characters of each PEP 393 width, and strings mixing them.
ascii_chars = st.characters(min_codepoint=32, max_codepoint=126)
wide_chars = st.sampled_from("aébc é€ß😀\U0010ffff\x00ÿĀ")
texts = st.one_of(
    st.text(max_size=16),
    st.text(ascii_chars, max_size=16),
    st.text(wide_chars, max_size=12),
    st.text(st.sampled_from("ab "), max_size=12),
)
short_texts = st.one_of(st.text(st.sampled_from("ab"), max_size=3),
                        st.text(wide_chars, max_size=3))
indices = st.integers(-20, 20)
slice_parts = st.one_of(st.none(), st.integers(-20, 20))


def outcome(f, *args):
    try:
        return ("ok", f(*args))
    except Exception as e:                  # noqa: BLE001 - compared below
        return ("raised", type(e), str(e))


def check(f, *args):
    """f compiled gives what Python gives, value or exception, and compiled in
    nopython mode."""
    expected = outcome(f.py_func, *args)
    actual = outcome(f, *args)
    assert actual == expected, (args, actual, expected)
    if expected[0] == "ok":
        assert type(actual[1]) is type(expected[1])
    assert_compiled(f)


@njit
def identity(s):
    return s


@njit
def length(s):
    return len(s)


@njit
def item(s, i):
    return s[i]


@njit
def sliced(s, a, b, c):
    return s[a:b:c]


@njit
def sliced_parts(s, a, b):
    return s[a:], s[:b], s[a:b], s[::-1], s[1:-1:2], s[::3]


@njit
def code_points(s):
    total = 0
    n = 0
    for c in s:
        total = (total * 31 + ord(c)) % 1000000007
        n += 1
    return total % 1000000007, n


@njit
def combine(s, t):
    return s + t, t + s, s * 2, 3 * t, s * -1, s + "!", "<" + s


@njit
def compare(s, t):
    return (s == t, s != t, s < t, s <= t, s > t, s >= t, s in t, s not in t,
            "a" in s, s == "a")


@njit
def truth(s):
    if s:
        return 1
    return 0


@njit
def from_chr(i):
    return chr(i)


@njit
def ord_of(s):
    return ord(s)


@njit
def hash_of(s):
    return hash(s)


@njit
def constants():
    s = "héllo"
    t = "wörld😀"
    return s + " " + t, len(t), t[-1], s[1:3]


@njit
def unify_constant(flag, s):
    x = "constant"
    if flag:
        x = s
    return x


@njit
def build(n):
    s = ""
    for i in range(n):
        s += chr(97 + i % 26)
    return s


@given(texts)
@SETTINGS
def test_identity_and_length(s):
    check(identity, s)
    check(length, s)
    check(truth, s)


def test_identity_returns_the_argument():
    s = "a string that is not interned é"
    assert identity(s) is s


@given(texts, indices)
@SETTINGS
def test_indexing(s, i):
    check(item, s, i)


@given(texts, slice_parts, slice_parts, slice_parts)
@SETTINGS
def test_slicing(s, a, b, c):
    if a is None or b is None or c is None:
        a, b, c = (a or 0), (b or 0), (c or 1)
    check(sliced, s, a, b, c)


@given(texts, indices, indices)
@FEW
def test_slicing_parts(s, a, b):
    check(sliced_parts, s, a, b)


@given(texts)
@SETTINGS
def test_iteration(s):
    check(code_points, s)


@given(texts, texts)
@SETTINGS
def test_concat_and_repeat(s, t):
    check(combine, s, t)


@given(short_texts, short_texts)
@SETTINGS
def test_comparisons(s, t):
    check(compare, s, t)


@given(texts, texts)
@FEW
def test_comparisons_of_any(s, t):
    check(compare, s, t)


@given(st.one_of(st.integers(-5, 0x10ffff + 5), st.sampled_from([-1, 0x110000])))
@SETTINGS
def test_chr(i):
    check(from_chr, i)


@given(texts)
@SETTINGS
def test_ord(s):
    check(ord_of, s)


@given(texts)
@SETTINGS
def test_hash_is_cpython_hash(s):
    check(hash_of, s)
    # the hash of a character taken from a wider string is the hash of the str
    check(hash_of, s + "😀")


def test_hash_of_a_view_of_a_wider_string():
    @njit
    def first_char_hash(s):
        return hash(s[0]), hash(s[1:3])
    assert first_char_hash("aé😀") == (hash("a"), hash("é😀"))
    assert first_char_hash("ÿ€x") == (hash("ÿ"), hash("€x"))


def test_constants_and_unification():
    check(constants)
    check(unify_constant, True, "é")
    check(unify_constant, False, "é")
    check(build, 0)
    check(build, 60)


def test_errors_are_pythons():
    check(item, "abc", 3)
    check(item, "", 0)
    check(ord_of, "ab")
    check(ord_of, "")
    check(from_chr, 0x110000)
    check(sliced, "abc", 0, 3, 0)


def test_unicode_type_is_the_argument_type():
    assert identity("héllo") == "héllo"
    assert length("héllo") == 5
    assert identity.signatures[-1] == (types.unicode_type,)
    assert str(types.unicode_type) == "unicode_type"
    assert length.nopython_signatures[-1].return_type == types.int64


def test_explicit_signature():
    @njit(types.int64(types.unicode_type))
    def n_chars(s):
        return len(s)
    assert n_chars("héllo") == 5
    with pytest.raises(TypeError):
        n_chars(5)


@njit
def count_chars(s, extra="dflt"):
    return len(s) + len(extra)


@njit
def gather(*args):
    return args


@njit
def calls_with_constants(s):
    return (count_chars("abc"), count_chars("é" * 2, s), count_chars(s),
            gather("a", 1, s), gather("b" + "c"))


def test_string_constants_passed_to_jitted_functions():
    check(calls_with_constants, "xyz😀")
    check(count_chars, "ab")
    check(count_chars, "ab", "é")


@njit
def maybe_constant(flag):
    x = None
    if flag:
        x = "abc"
    return x


@njit
def maybe_argument(s):
    if len(s) > 2:
        return s
    return None


@njit
def with_other_types(s, flag):
    x = "a" if flag else "b"
    return (x + s, s == 1, 1.5 != s, s == None, s != 2,   # noqa: E711
            s is None, not s, bool(s), (s, 1.5, "x"))


@njit
def constant_operations():
    n = 0
    for c in "héllo":
        n += ord(c)
    return (len("abc"), "abc"[1], "abc" == "abc", "é" in "café", "ab" < "b",
            "abc".upper(), n, "x" * 3, not "")


@njit
def reverse_by_index(s):
    out = ""
    i = len(s) - 1
    while i >= 0:
        out += s[i]
        i -= 1
    return out


@njit
def unpack_pair(t):
    a, b = t
    return a + b


@given(texts, st.booleans())
@FEW
def test_strings_with_none_numbers_and_tuples(s, flag):
    check(maybe_constant, flag)
    check(maybe_argument, s)
    check(with_other_types, s, flag)
    check(reverse_by_index, s)
    check(unpack_pair, (s, "é"))


def test_operations_on_constants():
    check(constant_operations)


def test_nogil_functions_use_strings():
    @njit(nogil=True)
    def shout(s):
        return s.upper() + str(len(s)) + s[::-1]
    check(shout, "héllo😀")


@njit
def in_tuples(s, t):
    pair = (s, 1)
    other = (t, 2)
    return (s in ("a", "b", t), s not in ("é",), pair == other, pair < other,
            (s, t) <= (t, s), (s, 1.5) > (t, 1))


@njit
def with_enumerate_and_zip(s, t):
    n = 0
    for i, c in enumerate(s):
        if c == "a":
            n += i
    for a, b in zip(s, t):
        n += a == b
    return n


@given(short_texts, short_texts)
@SETTINGS
def test_strings_in_tuples_compare(s, t):
    check(in_tuples, s, t)
    check(with_enumerate_and_zip, s, t)
