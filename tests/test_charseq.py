"""Arrays of NumPy fixed-width strings ('U<n>' and 'S<n>', Numba's
UnicodeCharSeq and CharSeq) as arguments: typing them in every layout,
reading elements as str or bytes without NumPy's trailing NULs, iterating,
comparing and hashing elements as the str they are, storing str and bytes
cut to the width, against the plain Python function."""
import gc
import textwrap

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given

import pyjit
from pyjit import njit

from difftest import (FEW, assert_compiled, check, rss_bytes, rss_limit,
                      run_cached_script)

# Characters of 1, 2 and 4 bytes in CPython's representation, and NUL.
texts = st.text(alphabet="ab\x00é€😀", max_size=8)
widths = st.integers(1, 8)
unicode_lists = st.lists(texts, max_size=6)
bytes_lists = st.lists(st.binary(max_size=8), max_size=6)


def unicode_array(items, width):
    return np.array(items, dtype=f"U{width}")


def bytes_array(items, width):
    return np.array(items, dtype=f"S{width}")


def layouts(a):
    """a, a strided view of it, and 2-d C and F arrays of its items."""
    out = [a, a[::2], a[::-1]]
    if len(a) % 2 == 0 and len(a):
        m = a.reshape(2, -1)
        out += [m, m.T]
    return out


def same(f, *args):
    return check(f, *args, strict_type=False)


@njit
def reads(a):
    items = [x for x in a.ravel()]
    n = 0
    for row in a:
        n += 1
    return len(a), a.shape, n, items, [len(x) for x in a.ravel()]


@njit
def item(a, i):
    return a[i % len(a)]


@njit
def item2(a, i, j):
    return a[i % a.shape[0], j % a.shape[1]]


@njit
def same_array(a):
    return a


def check_reads(a, i):
    for v in layouts(a):
        same(reads, v)
        if v.ndim == 1 and len(v):
            same(item, v, i)
        if v.ndim == 2:
            same(item2, v, i, i + 1)
        assert same_array(v) is v


@FEW
@given(unicode_lists, widths, st.integers(-20, 20))
def test_unicode_reads(items, width, i):
    check_reads(unicode_array(items, width), i)


@FEW
@given(bytes_lists, widths, st.integers(-20, 20))
def test_bytes_reads(items, width, i):
    check_reads(bytes_array(items, width), i)


def test_type_names_follow_numba():
    same_array(np.array(["ab", "c"]))
    same_array(np.array([b"abc"]))
    names = {str(sig[0]) for sig in same_array.signatures}
    assert "array([unichr x 2], 1d, C)" in names
    assert "array([char x 3], 1d, C)" in names


@njit
def compare_all(a, s):
    r = []
    for x in a:
        r.append((x == s, x != s, x < s, x <= s, x > s, x >= s))
        for y in a:
            r.append((x == y, x != y, x < y, x <= y, x > y, x >= y))
    return r


@njit
def as_strings(a, words):
    keys = {}
    for x in a:
        keys[x] = keys.get(x, 0) + 1
    seen = set()
    for i in range(len(a)):
        seen.add(str(a[i]))
    return ([str(x) for x in a], [hash(x) for x in a], keys, len(seen),
            [x in words for x in a])


@FEW
@given(unicode_lists, widths, texts)
def test_unicode_elements_are_strings(items, width, s):
    a = unicode_array(items, width)
    same(compare_all, a, s)
    same(as_strings, a, ["ab", "", "é€", s])


@FEW
@given(bytes_lists, widths, st.binary(max_size=8))
def test_bytes_elements_compare_as_bytes(items, width, s):
    same(compare_all, bytes_array(items, width), s)


@njit
def store(a, i, s):
    a[i % len(a)] = s
    return a


@njit
def copy_reversed(a, b):
    for i in range(len(a)):
        a[i] = b[len(b) - 1 - i]
    return a


def check_store(f, a, *args):
    got, want = a.copy(), a.copy()
    f(got, *args)
    f.py_func(want, *args)
    assert_compiled(f)
    assert got.dtype == want.dtype
    assert got.tolist() == want.tolist()


@FEW
@given(unicode_lists.filter(len), widths, widths, texts, st.integers(-9, 9))
def test_unicode_stores_cut_to_width(items, w1, w2, s, i):
    a = unicode_array(items, w1)
    check_store(store, a, i, s)
    check_store(store, a[::-1], i, s)
    check_store(copy_reversed, a, unicode_array(items, w2))


@FEW
@given(bytes_lists.filter(len), widths, widths, st.binary(max_size=10),
       st.integers(-9, 9))
def test_bytes_stores_cut_to_width(items, w1, w2, s, i):
    a = bytes_array(items, w1)
    check_store(store, a, i, s)
    check_store(copy_reversed, a, bytes_array(items, w2))


def test_empty_arrays():
    for a in (np.array([], dtype="U3"), np.array([], dtype="S2"),
              np.zeros((0, 2), dtype="U1")):
        same(reads, a)


def test_wrong_values_are_typing_errors():
    with pytest.raises(pyjit.TypingError, match="holds str of up to 2"):
        store(np.array(["ab"]), 0, 5)
    with pytest.raises(pyjit.TypingError, match="holds bytes of up to 1"):
        store(np.array([b"a"]), 0, "a")


def test_byte_swapped_unicode_is_refused():
    a = np.array(["ab"], dtype=">U2")
    with pytest.raises(pyjit.TypingError, match="byte order"):
        same_array(a)


@njit
def made(n, a):
    u = np.zeros(n, dtype="U3")
    s = np.empty((n, 2), dtype="S2")
    like = np.empty(n, a.dtype)
    for i in range(n):
        u[i] = a[i % len(a)]
        s[i, 0] = b"xyz"
        s[i, 1] = b""
        like[i] = a[len(a) - 1 - i % len(a)]
    return u, s, like, np.zeros_like(a), np.copy(a[::-1]), a.dtype


@FEW
@given(unicode_lists.filter(len), widths, st.integers(0, 5))
def test_arrays_of_strings_made_in_compiled_code(items, width, n):
    a = unicode_array(items, width)
    got, want = made(n, a), made.py_func(n, a)
    assert_compiled(made)
    assert got[-1] == want[-1]
    for g, w in zip(got[:-1], want[:-1]):
        assert g.dtype == w.dtype
        assert g.tolist() == w.tolist()


@njit
def shift(a, b):
    a[1:] = b[:-1]
    return a


def test_whole_arrays_copy_into_arrays_of_their_dtype():
    a = np.array(["ab", "c", "", "é€"])
    check_store(shift, a, a[::-1].copy())


@njit
def to_floats(a):
    return a.astype(np.float64)


@njit
def ones(n):
    return np.ones(n, "U2")


def test_what_strings_cannot_be_is_a_typing_error():
    with pytest.raises(pyjit.TypingError, match="no array of strings"):
        to_floats(np.array(["1.5"]))
    with pytest.raises(pyjit.TypingError, match="made by np.empty, np.zeros"):
        ones(2)


CACHED = textwrap.dedent("""
    import json
    import numpy as np
    import pyjit

    @pyjit.njit(cache=True)
    def firsts(a):
        out = np.zeros(len(a), a.dtype)
        for i in range(len(a)):
            out[i] = a[i][:1]
        return out, a[-1], len(a[0])

    out = []
    for a in (np.array(["ab", "é€"]), np.array(["abc", ""]),
              np.array([b"xy", b"z"], dtype="S3")):
        got, last, n = firsts(a)
        out.append([[str(x) for x in got.tolist()], str(got.dtype),
                    str(last), n])
    print(json.dumps({"out": out,
                      "hits": len(firsts.stats.cache_hits),
                      "misses": len(firsts.stats.cache_misses)}))
""")


def test_cached_and_loaded(tmp_path):
    want = [[["a", "é"], "<U2", "é€", 2], [["a", ""], "<U3", "", 3],
            [["b'x'", "b'z'"], "|S3", "b'z'", 2]]
    first = run_cached_script(tmp_path, CACHED)
    assert (first["out"], first["hits"], first["misses"]) == (want, 0, 3)
    second = run_cached_script(tmp_path, CACHED)
    assert (second["out"], second["hits"], second["misses"]) == (want, 3, 0)


@njit
def keep_elements(a, n):
    b = np.zeros(n, a.dtype)
    for i in range(n):
        b[i] = a[i % len(a)]
    kept = {}
    for x in b:
        kept[x] = len(x)
    return len(kept), [x for x in b], b[0]


def test_elements_kept_in_containers_do_not_leak():
    a = np.array(["ab", "é€", "xyz" * 10])
    keep_elements(a, 100)
    gc.collect()
    before = rss_bytes()
    for _ in range(3000):
        keep_elements(a, 100)
    gc.collect()
    assert rss_bytes() - before < rss_limit(4 << 20)
    assert_compiled(keep_elements)


@njit
def index_of(a):
    d = {}
    for i, x in enumerate(a):       # x views the argument's memory
        d[x] = i
    return d


def test_elements_outlive_their_argument():
    # the typed dict keeps the argument alive under its keys
    got = index_of(np.array(["ab", "é€", "ab" * 4]))
    gc.collect()
    np.array(["zz" * 4] * 100)      # memory the freed array could reuse
    assert dict(got) == {"ab": 0, "é€": 1, "abababab": 2}
    assert_compiled(index_of)


@njit
def swap_ends(a):
    first = a[0]
    a[0] = a[-1]
    a[-1] = first
    return first, a


@njit
def sorted_strings(a):
    return np.sort(a), np.argsort(a, kind="stable"), np.unique(a)


@FEW
@given(unicode_lists.filter(len), widths)
def test_read_elements_are_copies(items, width):
    a = unicode_array(items, width)
    check_store(swap_ends, a)
    assert swap_ends(a.copy())[0] == swap_ends.py_func(a.copy())[0]


@FEW
@given(st.one_of(unicode_lists.map(lambda x: unicode_array(x, 3)),
                 bytes_lists.map(lambda x: bytes_array(x, 3))))
def test_sort_argsort_unique(a):
    got, want = sorted_strings(a), sorted_strings.py_func(a)
    assert_compiled(sorted_strings)
    for g, w in zip(got, want):
        assert g.dtype == w.dtype and g.tolist() == w.tolist()


NAMES = np.array(["ab", "cd", "é€😀"])
TAGS = np.array([b"x", b"yz\x00", b""])


@njit
def from_globals(i):
    return NAMES[i], len(NAMES[i]), [x for x in NAMES], TAGS[i], NAMES.flat[i]


@pytest.mark.parametrize("i", [0, 1, 2, -1])
def test_global_arrays_of_strings(i):
    same(from_globals, i)
