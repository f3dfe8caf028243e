"""`for w in s.split()` and comprehensions over s.split(sep): the words come
one at a time from the string (no list is built), and are exactly
str.split's, errors included."""
import io
import os

import hypothesis.strategies as st
from hypothesis import given

from pyjit import njit
from difftest import SETTINGS
from test_strings import check

spaces = "  \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000"
words_text = st.text(st.sampled_from("ab" + spaces + "é€😀"), max_size=24)
seps = st.sampled_from(["a", "b", "ab", "aa", " ", "é", "😀", "ba b", "€€"])


@njit
def words_of(s):
    out = []
    for w in s.split():
        out.append(w)
    return out


@njit
def fields_of(s, sep):
    out = []
    for w in s.split(sep):
        out.append(w)
    return out


@njit
def fields_none(s):
    return [w for w in s.split(None)]


@njit
def lengths(s, sep):
    return [len(w) for w in s.split(sep) if w != "a"]


@njit
def counted(s):
    d = {"": 0}
    for w in s.split():
        d[w] = d.get(w, 0) + 1
    return d["a"] if "a" in d else -1, len(d)


@njit
def first_long(s):
    for w in s.split():
        if len(w) > 2:
            return w
    return "none"


@njit
def of_made_string(s, k):
    # the string the words are views of is made here, not an argument
    t = (s + " ") * k
    total = 0
    for w in t.split(" "):
        total += len(w)
    return total


@given(words_text)
@SETTINGS
def test_words_are_str_split(s):
    check(words_of, s)
    check(fields_none, s)
    check(counted, s)
    check(first_long, s)


@given(words_text, seps)
@SETTINGS
def test_fields_are_str_split_sep(s, sep):
    check(fields_of, s, sep)
    check(lengths, s, sep)


@given(st.text(st.sampled_from("ab é"), max_size=10), st.integers(0, 5))
@SETTINGS
def test_words_of_a_string_made_in_the_function(s, k):
    check(of_made_string, s, k)


def test_empty_separator_is_value_error():
    check(fields_of, "a b", "")
    check(lengths, "", "")


def test_the_loop_iterates_words_without_a_list():
    words_of("a b")
    out = io.StringIO()
    words_of.inspect_types(file=out)
    assert "iter(unicode_type.split)" in out.getvalue()


def rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def test_memory_is_flat_over_many_calls():
    text = " ".join("w%d" % (i % 50) for i in range(200))
    counted(text)
    of_made_string("x y", 3)
    before = rss_mb()
    for _ in range(30_000):
        counted(text)
        of_made_string("x yé", 3)
        words_of("a b c")
    assert rss_mb() - before < 8
