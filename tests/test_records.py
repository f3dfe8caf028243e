"""Arrays of records (structured dtypes) in nopython mode, against the same
functions run by the interpreter on NumPy's arrays."""
import numpy as np
import pytest
import hypothesis.strategies as st
from hypothesis import given

import pyjit
from pyjit.typed import Dict
from difftest import FEW, assert_compiled

FIELDS = [('x', 'f8'), ('y', 'i4'), ('b', '?'), ('c', 'c16'), ('s', 'i1'),
          ('u', 'u2'), ('f', 'f4')]
PACKED = np.dtype(FIELDS)
ALIGNED = np.dtype(FIELDS, align=True)
NESTED = np.dtype([('k', 'i2'), ('p', PACKED), ('z', 'f8')], align=True)
dtypes = st.sampled_from([PACKED, ALIGNED])


def make(dtype, n, seed, shape=None):
    rng = np.random.default_rng(seed)
    a = np.zeros(shape or n, dtype)
    a['x'] = rng.uniform(-100, 100, a.shape)
    a['y'] = rng.integers(-1000, 1000, a.shape)
    a['b'] = rng.integers(0, 2, a.shape).astype(bool)
    a['c'] = rng.uniform(-5, 5, a.shape) + 1j * rng.uniform(-5, 5, a.shape)
    a['s'] = rng.integers(-128, 128, a.shape)
    a['u'] = rng.integers(0, 65536, a.shape)
    a['f'] = rng.uniform(-1, 1, a.shape)
    return a.view(np.recarray)      # r.x works in Python too


def as_python(x):
    """x with each typed Dict in it (a dict made in compiled code, as in
    Numba) as a Python dict, which np.testing compares."""
    if isinstance(x, Dict):
        return dict(x)
    return tuple(map(as_python, x)) if isinstance(x, tuple) else x


def check(f, *args):
    """f compiled and f in Python, each on its own copies of args: the same
    results and the same arrays afterwards."""
    mine = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    theirs = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    got = as_python(f(*mine))
    want = f.py_func(*theirs)
    assert_compiled(f)
    np.testing.assert_equal(got, want)
    for m, t in zip(mine, theirs):
        if isinstance(m, np.ndarray):
            assert m.dtype == t.dtype
            np.testing.assert_equal(m, t)
    return got


@pyjit.njit
def weighted(a):
    t = 0.0
    for i in range(len(a)):
        r = a[i]
        if r.b:
            t += r.x * r['y'] + r.s - r.u * r.f
        t += a[i]['c'].real
    return t


@pyjit.njit
def update(a, k):
    for i in range(len(a)):
        a[i].x = a[i].x * 2 + k
        a[i]['y'] += 1
        a[i].b = not a[i].b
        a[i].c = a[i].c * 1j
        a[i]['s'] = k
        a[i].u += 3
        a[i].f = a[i].y


@pyjit.njit
def iterate(a):
    t = 0
    for r in a:
        t += r.y + r.s
    return t


@pyjit.njit
def field_views(a):
    xs = a['x']
    ys = a['y']
    xs[:] = ys * 2.0
    return xs.sum() + ys.sum(), a['c']


@pyjit.njit
def sliced(a):
    t = 0.0
    for r in a[1::2]:
        t += r.x
    b = a[::-1]
    b[0].y = 7
    return t, len(b)


@given(dtypes, st.integers(0, 12), st.integers(0, 2 ** 32 - 1))
@FEW
def test_reads(dtype, n, seed):
    check(weighted, make(dtype, n, seed))


@given(dtypes, st.integers(0, 12), st.integers(0, 2 ** 32 - 1),
       st.integers(-100, 100))
@FEW
def test_writes_through_records(dtype, n, seed, k):
    check(update, make(dtype, n, seed), k)


@given(dtypes, st.integers(0, 12), st.integers(0, 2 ** 32 - 1))
@FEW
def test_iteration_and_slices(dtype, n, seed):
    a = make(dtype, n, seed)
    check(iterate, a)
    if n > 0:
        check(sliced, a)


@given(dtypes, st.integers(0, 12), st.integers(0, 2 ** 32 - 1))
@FEW
def test_field_views(dtype, n, seed):
    total, cs = check(field_views, make(dtype, n, seed))
    assert cs.dtype == np.complex128


@given(st.integers(1, 5), st.integers(1, 5), st.integers(0, 2 ** 32 - 1))
@FEW
def test_two_dimensional(m, n, seed):
    @pyjit.njit
    def grid(a):
        for i in range(a.shape[0]):
            for j in range(a.shape[1]):
                a[i, j].y = i * 10 + j
        return a[m - 1].x.sum(), a[:, 0]['y']

    check(grid, make(ALIGNED, 0, seed, (m, n)))


def test_recarray_attributes():
    @pyjit.njit
    def f(r):
        r.x[0] = 5.0
        return r.x.sum() + r.y.sum()

    check(f, make(PACKED, 4, 1))


def test_nested_records():
    @pyjit.njit
    def f(a):
        a[1].p.x = 3.5
        a[0]['p']['y'] = 4
        a[0].z = a[1].p.x + a[0].p.y
        return a[0].z + a[0].k, a['p']['x']

    check(f, np.zeros(3, NESTED).view(np.recarray))


def test_types_as_numba_spells_them():
    assert str(pyjit.typeof(np.zeros(2, np.dtype([('x', 'f8'), ('y', 'i4')])))) == (
        "unaligned array(Record(x[type=float64;offset=0],y[type=int32;offset=8]"
        ";12;False), 1d, C)")
    aligned = np.dtype([('x', 'f8'), ('y', 'i4')], align=True)
    assert str(pyjit.typeof(np.zeros((2, 2), aligned)[:, ::2])) == (
        "array(Record(x[type=float64;offset=0],y[type=int32;offset=8];16;True)"
        ", 2d, A)")
    assert str(pyjit.typeof(np.zeros(1, aligned)[0])) == (
        "Record(x[type=float64;offset=0],y[type=int32;offset=8];16;True)")
    inner = str(pyjit.typeof(np.zeros(1, NESTED)[0]))
    assert "p[type=Record(x[type=float64;offset=0]," in inner


def test_record_arguments_view_the_array():
    @pyjit.njit
    def bump(r, k):
        r.x = r.x + k
        r['y'] -= 1
        return r

    a = make(PACKED, 3, 7)
    want = a.copy()
    out = bump(a[1], 2.5)
    assert_compiled(bump)
    want[1]['x'] += 2.5
    want[1]['y'] -= 1
    np.testing.assert_equal(a, want)
    assert isinstance(out, np.void) and out.dtype == PACKED
    assert out.tolist() == tuple(want[1].tolist())
    a[1]['x'] = 0.0               # the result is a copy
    assert out['x'] == want[1]['x']


def test_records_in_tuples():
    @pyjit.njit
    def pair(a, t):
        return (a[0], t[0].y + t[1]), a[-1]

    a = make(ALIGNED, 4, 3)
    (r0, s), last = pair(a, (a[2], 5))
    assert_compiled(pair)
    assert r0.tolist() == a[0].tolist() and last.tolist() == a[-1].tolist()
    assert s == a[2]['y'] + 5


def test_record_by_position():
    @pyjit.njit
    def ends(r):
        return r[0], r[-1]

    a = make(PACKED, 2, 4)
    assert ends(a[1]) == ends.py_func(a[1])
    assert_compiled(ends)


def test_missing_field_is_a_typing_error():
    @pyjit.njit
    def f(a):
        return a[0].w

    with pytest.raises(pyjit.TypingError,
                       match=r"no field 'w' \(its fields: x, y, b, c, s, u, f\)"):
        f(make(PACKED, 1, 0))


def test_missing_field_view_is_a_typing_error():
    @pyjit.njit
    def f(a):
        return a['nope']

    with pytest.raises(pyjit.TypingError, match=r"no field 'nope'"):
        f(make(PACKED, 1, 0))


def test_field_name_must_be_constant():
    @pyjit.njit
    def f(a, name):
        return a[0][name]

    with pytest.raises(pyjit.TypingError,
                       match="named by a constant string, not a value of type "
                             "unicode_type"):
        f(make(PACKED, 1, 0), "x")


def test_store_of_wrong_type_is_a_typing_error():
    @pyjit.njit
    def f(a):
        a[0].x = 1j

    with pytest.raises(pyjit.TypingError, match="the field holds float64"):
        f(make(PACKED, 1, 0))


def test_unsupported_fields_say_why():
    @pyjit.njit
    def f(a):
        return len(a)

    a = np.zeros(2, [('v', 'f8', (3,)), ('o', 'O')])
    for arg in (a, a[0]):
        with pytest.raises(pyjit.TypingError,
                           match=r"the record's field 'o' \(dtype object\) is "
                                 "not supported: a record's fields are numbers"):
            f(arg)


GLOBAL_DT = np.dtype([('x', 'f8'), ('y', 'i4'), ('p', PACKED)], align=True)


@given(st.integers(0, 10), st.integers(-50, 50))
@FEW
def test_arrays_of_records_made_in_compiled_code(n, k):
    @pyjit.njit
    def build(n, k):
        a = np.zeros(n, dtype=GLOBAL_DT)
        for i in range(n):
            a[i]['x'] = i * 0.5 + k
            a[i]['y'] = i - k
            a[i]['p']['s'] = k
        b = np.empty((2, n), GLOBAL_DT)
        for i in range(n):
            b[1, i] = a[n - 1 - i]
            b[0, i] = a[i]
        return a, b[1], a.itemsize

    got = build(n, k)
    assert_compiled(build)
    want = build.py_func(n, k)
    for g, w in zip(got[:2], want[:2]):
        assert g.dtype == GLOBAL_DT
        np.testing.assert_equal(g, w)
    assert got[2] == want[2] == GLOBAL_DT.itemsize


def test_like_and_dtype_of_an_array_of_records():
    @pyjit.njit
    def grow(a):
        b = np.empty(len(a) + 1, a.dtype)
        c = np.zeros_like(a)
        for i in range(len(a)):
            b[i] = a[i]
            c[i].p = a[i].p
        b[len(a)].y = -1
        return b[:len(a)], c

    a = np.zeros(4, GLOBAL_DT).view(np.recarray)
    a['x'] = [1, 2, 3, 4]
    a['p']['c'] = [1j, 2j, 3j, 4j]
    b, c = grow(a)
    assert_compiled(grow)
    np.testing.assert_equal(b, a)
    np.testing.assert_equal(c['p'], a['p'])
    assert c['x'].tolist() == [0.0] * 4


def test_records_are_not_made_by_ones():
    @pyjit.njit
    def f(n):
        return np.ones(n, GLOBAL_DT)

    with pytest.raises(pyjit.TypingError,
                       match="an array of records is made by np.empty or np.zeros"):
        f(2)


def test_views_returned_keep_the_arguments_dtype():
    @pyjit.njit
    def tail(a):
        return a[1:]

    dt = np.dtype([('q', 'i8'), ('w', 'f4')])
    plain = np.zeros(3, dt)
    rec = np.zeros(3, dt).view(np.recarray)
    for a in (rec, plain, rec):
        got = tail(a)
        assert got.dtype == dt and got.dtype.type is a.dtype.type
        assert got.base is a or got.base is a.base
        got[0]['q'] = 5
        assert a[1]['q'] == 5
    assert_compiled(tail)


FROZEN = np.array([(1.5, 2), (3.5, 4)], dtype=[('x', 'f8'), ('y', 'i4')]).view(
    np.recarray)


def test_a_global_array_of_records_is_frozen_and_read_only():
    @pyjit.njit
    def read():
        t = 0.0
        for r in FROZEN:
            t += r.x * r.y
        return t + FROZEN[1]['y'] + FROZEN.x.sum()

    assert read() == read.py_func()
    assert_compiled(read)

    @pyjit.njit
    def write():
        FROZEN[0].x = 9.0

    with pytest.raises(pyjit.TypingError,
                       match=r"the record is read-only \(its array is\)"):
        write()
    assert FROZEN[0]['x'] == 1.5


def test_renamed_fields_are_a_new_record():
    @pyjit.njit
    def first(a):
        return a[0]['x']

    dt = np.dtype([('x', 'f8'), ('y', 'f8')])
    a = np.array([(1.0, 2.0)], dt)
    assert first(a) == 1.0
    dt.names = ('y', 'x')
    assert first(a) == 2.0
    assert_compiled(first)


# Numba's record (width) subtyping, docs/source/reference/numpysupported.rst:
# a record whose first fields are another's, same types at the same
# offsets, passes where the other is declared
record1 = np.array([1], dtype=[('a', 'f8')])[0]
record2 = np.array([(2, 3)], dtype=[('a', 'f8'), ('b', 'f8')])[0]


@pyjit.njit(pyjit.types.float64(pyjit.typeof(record1)))
def field_a(rec):
    return rec['a']


@pyjit.njit
def field_a_of(rec):
    return field_a(rec)


def test_a_record_with_more_fields_passes_as_its_first_fields():
    assert field_a(record1) == 1.0 and field_a(record2) == 2.0
    assert field_a_of(record2) == 2.0
    assert len(field_a.signatures) == 1
    assert_compiled(field_a_of)


@pytest.mark.parametrize("dtype", [
    [('b', 'f8'), ('a', 'f8')],             # a is not first
    [('a', 'f4'), ('b', 'f8')],             # a of another type
    [('x', 'i4'), ('a', 'f8')],             # a at another offset
])
def test_other_records_do_not_match_the_signature(dtype):
    rec = np.zeros(1, dtype=dtype)[0]
    with pytest.raises(TypeError, match="No matching definition"):
        field_a(rec)


@pyjit.njit
def assign_records(r, k):
    a = np.empty_like(r)
    a[:] = r                    # a whole array of records
    b = r.copy()
    b[1:] = b[:-1]              # overlapping
    c = r.copy()
    c[::2] = r[k % len(r)]      # one record into a strided view
    m = np.zeros((2,) + r.shape, dtype=r.dtype)
    m[1] = r
    m[0, ::-1] = r
    return a, b, c, m


@FEW
@given(dtypes, st.integers(1, 9), st.integers(0, 2**32 - 1), st.integers(0, 20))
def test_slices_assigned_from_records(dtype, n, seed, k):
    r = np.asarray(make(dtype, n, seed))
    check(assign_records, r, k)
