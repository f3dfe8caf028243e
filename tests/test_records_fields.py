"""Record fields beyond numbers: sub-arrays, 'U' and 'S' strings, records
with them nested, and dtypes passed to compiled code, against the same
functions run by the interpreter on NumPy's arrays."""
import numpy as np
import pytest
import hypothesis.strategies as st
from hypothesis import given

import pyjit
from difftest import FEW, assert_compiled
from test_records import check

FIELDS = [('pos', 'f8', (3,)), ('id', 'i4'), ('m', 'i2', (2, 3)),
          ('name', 'U6'), ('tag', 'S4'), ('w', 'f4')]
PACKED = np.dtype(FIELDS)
ALIGNED = np.dtype(FIELDS, align=True)
INNER = np.dtype([('x', 'f8'), ('v', 'i4', (2,))])
NESTED = np.dtype([('k', 'i2'), ('inner', INNER), ('pts', INNER, (2,))])
dtypes = st.sampled_from([PACKED, ALIGNED])
WORDS = ['', 'a', 'ab', 'abc', 'héllo', 'wörld!', 'x' * 6, 'ñ€𝄞']


def make(dtype, n, seed, step=1):
    rng = np.random.default_rng(seed)
    a = np.zeros(n * step, dtype)
    a['pos'] = rng.integers(-40, 40, a['pos'].shape) / 4    # sums exact
    a['id'] = rng.integers(-100, 100, a.shape)
    a['m'] = rng.integers(-300, 300, a['m'].shape)
    a['name'] = rng.choice(WORDS, a.shape)
    a['tag'] = rng.choice([b'', b'a', b'xy', b'abcd', b'\x00q'], a.shape)
    a['w'] = rng.uniform(-1, 1, a.shape)
    return a.view(np.recarray)[::step]      # r.pos works in Python too


# --- sub-arrays ---

@pyjit.njit
def subarray_reads(a):
    t = 0.0
    for i in range(len(a)):
        r = a[i]
        for j in range(3):
            t += r.pos[j] * (j + 1)
        t += r['pos'].sum() + a[i].m[1, 2] - r.m[0].sum()
        t += r.m.shape[0] * 10 + len(r.pos)
    return t


@pyjit.njit
def subarray_writes(a, k):
    for i in range(len(a)):
        r = a[i]
        r.pos[1] = k
        r['pos'][2] += r.pos[0]
        a[i].m[:] = i
        a[i].m[1, :] = r.id
        r.m[0, 1] = -k
    return a.pos.sum(), a['m'][:, 1, 2].copy()


@pyjit.njit
def norm(v):
    return np.sqrt((v * v).sum())


@pyjit.njit
def subarray_passed(a):
    out = np.empty(len(a))
    for i in range(len(a)):
        out[i] = norm(a[i].pos)
    return out, a.pos, a['m'].T.copy()


@given(dtypes, st.integers(0, 8), st.integers(0, 2 ** 32 - 1),
       st.sampled_from([1, 2]))
@FEW
def test_subarray_fields(dtype, n, seed, step):
    a = make(dtype, n, seed, step)
    check(subarray_reads, a)
    check(subarray_writes, a, 2.5)
    check(subarray_passed, a)


def test_subarray_of_a_record_argument_aliases_it():
    @pyjit.njit
    def bump(r):
        r.pos[:] = r.pos * 2
        return r.pos

    a = make(ALIGNED, 3, 1)
    want = np.asarray(a).copy()
    got = bump(a[1])
    assert_compiled(bump)
    want[1]['pos'] *= 2
    np.testing.assert_equal(np.asarray(a), want)
    np.testing.assert_equal(got, want[1]['pos'])
    a[1]['pos'] = 0        # the result is a copy, the array's own memory
    np.testing.assert_equal(got, want[1]['pos'])


def test_subarray_types_as_numba_spells_them():
    assert str(pyjit.typeof(np.zeros(1, PACKED)[0])).startswith(
        "Record(pos[type=nestedarray(float64, (3,));offset=0],"
        "id[type=int32;offset=24],m[type=nestedarray(int16, (2, 3));"
        "offset=28],name[type=[unichr x 6];offset=40],"
        "tag[type=[char x 4];offset=64],")


# --- strings ---

@pyjit.njit
def string_reads(a):
    d = {}
    n = 0
    for i in range(len(a)):
        r = a[i]
        s = r.name
        d[s] = d.get(s, 0) + 1
        if s == 'abc' or r['name'] < 'b':
            n += 1
        n += len(s) * 100 + len(r.tag) * 1000
        if 97 in r.tag or (len(r.tag) and r.tag[-1] == 121):
            n += 7
    return n, d, a[0].name + '|' if len(a) else ''


@pyjit.njit
def string_writes(a, s, b):
    for i in range(len(a)):
        a[i].name = s
        a[i]['tag'] = b
        if i % 2:
            a[i].name = a[i - 1].name.upper()
            a[i].tag = a[0].tag


@given(dtypes, st.integers(0, 8), st.integers(0, 2 ** 32 - 1),
       st.sampled_from([1, 3]), st.sampled_from(WORDS + ['long string!']),
       st.sampled_from([b'', b'x', b'abcdef', b'\x00\x00z']))
@FEW
def test_string_fields(dtype, n, seed, step, s, b):
    a = make(dtype, n, seed, step)
    check(string_reads, a)
    check(string_writes, a, s, b)


def test_string_reads_are_copies():
    @pyjit.njit
    def swap(r):
        old, tag = r.name, r.tag
        r.name = 'new'
        r.tag = b'q'
        return old, tag, r.name, r.tag

    a = make(PACKED, 2, 3)
    a[0]['name'], a[0]['tag'] = 'wörld!', b'ab\x00c'
    assert swap(a[0]) == ('wörld!', b'ab\x00c', 'new', b'q')
    assert_compiled(swap)


# --- nested records ---

@pyjit.njit
def nested(a):
    t = 0.0
    for i in range(len(a)):
        r = a[i]
        r.inner.x = i * 1.5
        r.inner.v[1] = r.k
        r.pts[1].v[:] = i
        r['pts'][0]['x'] = -r.inner.x
        t += r.inner.v.sum() + r.pts[1].x + a[i].inner.x
    return t, a.inner.v.copy(), a['pts']['x'].copy()


@given(st.integers(0, 6), st.integers(0, 2 ** 32 - 1))
@FEW
def test_nested_records_with_subarrays(n, seed):
    rng = np.random.default_rng(seed)
    for dt in (NESTED, np.dtype(NESTED.descr, align=True)):
        a = np.zeros(n, dt)
        a['k'] = rng.integers(-50, 50, n)
        a['pts']['x'] = rng.uniform(-1, 1, (n, 2))
        check(nested, a.view(np.recarray))


# --- dtypes as values ---

@pyjit.njit
def made_of(n, d):
    a = np.zeros(n, d)
    b = np.ones((2, n), dtype=d)
    c = np.full(n, 3, d)
    e = np.arange(n, dtype=d)
    f = np.empty(n, d)
    f[:] = 1
    return a, b, c, e, f, np.arange(n * 1.5).astype(d), d


@pytest.mark.parametrize("d", [np.float32, np.int16, np.uint8, np.float64,
                               np.int64, np.dtype('int16'),
                               np.dtype('float32'), np.dtype('u4')])
@given(n=st.integers(0, 7))
@FEW
def test_dtype_arguments(d, n):
    got = made_of(n, d)
    want = made_of.py_func(n, d)
    assert_compiled(made_of)
    for g, w in zip(got[:-1], want[:-1]):
        assert g.dtype == w.dtype
        np.testing.assert_equal(g, w)
    assert got[-1] == np.dtype(d)


def test_dtype_types_as_numba_spells_them():
    assert str(pyjit.typeof(np.float32)) == "class(float32)"
    assert str(pyjit.typeof(np.dtype('int16'))) == "dtype(int16)"
    assert str(pyjit.typeof(INNER)).startswith("dtype(Record(x[type=float64")


@pyjit.njit
def records_of(n, d, src):
    a = np.zeros(n, d)
    for i in range(min(n, len(src))):
        a[i] = src[i]
    return a, np.empty(0, d), src.dtype


@given(dtypes, st.integers(0, 6), st.integers(0, 2 ** 32 - 1))
@FEW
def test_record_dtype_arguments(dtype, n, seed):
    src = np.asarray(make(dtype, 4, seed))
    a, e, d = records_of(n, dtype, src)
    want = records_of.py_func(n, dtype, src)
    assert_compiled(records_of)
    assert a.dtype == e.dtype == d == dtype
    np.testing.assert_equal(a, want[0])


# --- errors ---

def test_unsupported_field_is_named():
    @pyjit.njit
    def f(a):
        return len(a)

    cases = [([('x', 'f8'), ('when', 'M8[5s]')], "'when'"),
             ([('x', [('o', 'O')])], "'x.o'"),
             ([('b', '>i4')], "'b'")]
    for fields, where in cases:
        a = np.zeros(2, fields)
        with pytest.raises(pyjit.TypingError,
                           match=f"the record's field {where} \\(dtype "):
            f(a)


def test_subarray_field_is_assigned_through_its_items():
    @pyjit.njit
    def f(a):
        a[0].pos = np.zeros(3)

    with pytest.raises(pyjit.TypingError,
                       match=r"assign to its items instead \(r.field\[:\] = v\)"):
        f(make(PACKED, 1, 0))


def test_string_field_takes_strings():
    @pyjit.njit
    def f(a):
        a[0].name = 5

    @pyjit.njit
    def g(a):
        a[0].tag = 'str'

    with pytest.raises(pyjit.TypingError,
                       match="holds strings of up to 6 characters, not int64"):
        f(make(PACKED, 1, 0))
    with pytest.raises(pyjit.TypingError,
                       match="holds bytes of up to 4 characters"):
        g(make(PACKED, 1, 0))


@pyjit.njit
def string_field_views(a):
    names, tags = a['name'], a.tag
    if len(a):
        names[-1] = 'last'
        tags[0] = tags[-1]
    return [x for x in names], [t for t in tags], len(names)


@FEW
@given(dtypes, st.integers(0, 5), st.integers(0, 99), st.integers(1, 2))
def test_string_fields_of_an_array_are_arrays_of_strings(dtype, n, seed,
                                                        step):
    got, want = make(dtype, n, seed, step), make(dtype, n, seed, step)
    assert string_field_views(got) == string_field_views.py_func(want)
    assert_compiled(string_field_views)
    for field in ('name', 'tag'):
        assert got[field].tolist() == want[field].tolist()


def test_unsupported_dtype_argument_says_why():
    @pyjit.njit
    def f(n, d):
        return np.zeros(n, d)

    with pytest.raises(pyjit.TypingError,
                       match="a dtype passed to compiled code names a number"):
        f(2, np.dtype('U3'))
