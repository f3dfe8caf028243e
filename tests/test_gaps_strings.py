"""str.split / str.rsplit into a list of str, sep.join of that list, min/max and
sorted of strings in compiled code, against CPython's own results."""
import hypothesis.strategies as st
import pytest
from hypothesis import given

import pyjit
from difftest import FEW, assert_compiled

# text made of the characters the splitting cares about, and some others
texts = st.text(alphabet=st.sampled_from(list("ab,; \t\n\u3000\xa0é")), max_size=20)
seps = st.sampled_from([",", ";", "ab", ", ", "a", "\u3000", "é,"])
maxsplits = st.integers(-2, 4)


@pyjit.njit
def split_ws(s):
    return s.split()


@pyjit.njit
def split_sep(s, sep):
    return s.split(sep)


@pyjit.njit
def split_max(s, sep, n):
    return s.split(sep, n)


@pyjit.njit
def split_ws_max(s, n):
    return s.split(maxsplit=n)


@pyjit.njit
def rsplit_ws(s, n):
    return s.rsplit(None, n)


@pyjit.njit
def rsplit_sep(s, sep, n):
    return s.rsplit(sep, maxsplit=n)


@pyjit.njit
def rejoin(s, sep):
    return "|".join(s.split(sep))


@pyjit.njit
def extremes(a, b):
    return min(a, b), max(a, b), min((a, b, "b")), max((a, "b", b))


@pyjit.njit
def word_stats(s):
    words = s.split()
    if len(words) == 0:
        return "", "", words
    return min(words), max(words), sorted(words)


@given(texts)
@FEW
def test_split_on_whitespace(s):
    assert split_ws(s) == s.split()
    assert_compiled(split_ws)


@given(texts, seps)
@FEW
def test_split_on_a_separator(s, sep):
    assert split_sep(s, sep) == s.split(sep)
    assert_compiled(split_sep)


@given(texts, seps, maxsplits)
@FEW
def test_split_with_maxsplit(s, sep, n):
    assert split_max(s, sep, n) == s.split(sep, n)
    assert split_ws_max(s, n) == s.split(maxsplit=n)
    assert_compiled(split_max)
    assert_compiled(split_ws_max)


@given(texts, seps, maxsplits)
@FEW
def test_rsplit(s, sep, n):
    assert rsplit_ws(s, n) == s.rsplit(None, n)
    assert rsplit_sep(s, sep, n) == s.rsplit(sep, maxsplit=n)
    assert_compiled(rsplit_ws)
    assert_compiled(rsplit_sep)


@given(texts, seps)
@FEW
def test_join_of_a_list(s, sep):
    assert rejoin(s, sep) == rejoin.py_func(s, sep)
    assert_compiled(rejoin)


@given(texts, texts)
@FEW
def test_min_max_of_strings(a, b):
    assert extremes(a, b) == extremes.py_func(a, b)
    assert_compiled(extremes)


@given(texts)
@FEW
def test_min_max_sorted_of_words(s):
    assert word_stats(s) == word_stats.py_func(s)
    assert_compiled(word_stats)


def test_empty_separator_raises_value_error():
    with pytest.raises(ValueError, match="empty separator"):
        split_sep("a,b", "")
    with pytest.raises(ValueError, match="empty separator"):
        rsplit_sep("a,b", "", -1)


def test_min_of_a_string_and_a_number_is_a_typing_error():
    @pyjit.njit
    def mixed(s):
        return min(s, 1)

    with pytest.raises(pyjit.TypingError, match="min"):
        mixed("a")


@pyjit.njit
def partitions(s, sep):
    return s.partition(sep), s.rpartition(sep)


@pyjit.njit
def lines(s, keep):
    return s.splitlines(), s.splitlines(keep)


line_texts = st.text(alphabet=st.sampled_from(
    list("ab \r\n\x0b\x0c\x1c\x85\u2028\u2029é")), max_size=16)


@FEW
@given(texts, seps)
def test_partition_and_rpartition(s, sep):
    assert partitions(s, sep) == partitions.py_func(s, sep)
    assert_compiled(partitions)


@FEW
@given(line_texts, st.booleans())
def test_splitlines_at_every_line_break(s, keep):
    assert lines(s, keep) == lines.py_func(s, keep)
    assert_compiled(lines)


def test_partition_on_an_empty_separator_raises():
    with pytest.raises(ValueError, match="empty separator"):
        partitions("abc", "")
