"""Lists in nopython mode: displays, list(), indexing, methods, operators,
iteration, slicing and del, against the plain Python function over
generated inputs; lists returned to Python and Python lists passed in
(reflected: what the call changes is written back)."""
import hypothesis.strategies as st
import pytest
from hypothesis import given

import pyjit
from difftest import FEW, assert_compiled

small = st.integers(-50, 50)
int_lists = st.lists(small, min_size=1, max_size=12)


def check(f, *args):
    expected = f.py_func(*args)
    actual = f(*args)
    assert actual == expected and type(actual) is type(expected)
    assert_compiled(f)
    return actual


@pyjit.njit
def build(a, b, n):
    l = [a, b]
    l.append(n)
    e = []
    for i in range(n % 7):
        e.append(i * a)
    m = list(range(n % 5)) + list((a, b)) + list(l)
    z = list()
    z.append(a)
    return l, e, m, [1, 2.5], z


@given(small, small, small)
@FEW
def test_displays_and_list(a, b, n):
    l, e, m, mixed, empty = check(build, a, b, n)
    assert type(mixed[0]) is float and empty == [a]


@pyjit.njit
def index_ops(xs, i, v):
    l = list(xs)
    out = []
    if -len(l) <= i < len(l):
        out.append(l[i])
        l[i] = v
    out.append(len(l))
    out.append(1 if v in l else 0)
    out.append(1 if v not in l else 0)
    for k, x in enumerate(l):
        out.append(k * x)
    for x, y in zip(l, l[::-1]):
        out.append(x - y)
    return l, out, bool(l), sum(l)


@given(int_lists, small, small)
@FEW
def test_indexing_iteration(xs, i, v):
    check(index_ops, xs, i, v)


@pyjit.njit
def methods(xs, v, i):
    l = list(xs)
    l.append(v)
    l.insert(i, v)
    l.extend([v, v + 1])
    l.extend(range(3))
    c = l.count(v)
    k = l.index(v)
    l.remove(v)
    p = l.pop()
    q = l.pop(0) if len(l) > 0 else -1
    l.reverse()
    m = l.copy()
    m.sort()
    r = sorted(l)
    s = list(l)
    s.sort(reverse=True)
    l2 = l.copy()
    l2.clear()
    return l, c, k, p, q, m, r, s, l2, max(l), min(l)


@given(int_lists, small, small)
@FEW
def test_methods(xs, v, i):
    check(methods, xs, v, i)


@pyjit.njit
def operators(xs, ys, n):
    a = list(xs)
    b = list(ys)
    c = a + b
    d = a * n
    e = n * b
    f = list(a)
    f += b
    g = list(b)
    g *= n
    return (c, d, e, f, g, a == b, a != b, a < b, a <= b, a > b, a >= b)


@given(int_lists, int_lists, st.integers(-2, 4))
@FEW
def test_operators(xs, ys, n):
    check(operators, xs, ys, n)


@pyjit.njit
def slicing(xs, a, b, c, v):
    l = list(xs)
    s1 = l[a:b]
    s2 = l[::c]
    s3 = l[1:-1]
    m = list(l)
    m[a:b] = [v, v, v]
    d = list(l)
    del d[a:b]
    e = list(l)
    del e[::c]
    return s1, s2, s3, m, d, e


@given(int_lists, st.integers(-15, 15), st.integers(-15, 15),
       st.integers(-3, 3).filter(lambda c: c != 0), small)
@FEW
def test_slicing(xs, a, b, c, v):
    check(slicing, xs, a, b, c, v)


@pyjit.njit
def del_item(xs, i):
    l = list(xs)
    del l[i]
    return l


@given(st.lists(small, min_size=1, max_size=10), st.integers(-10, 9))
@FEW
def test_del_item(xs, i):
    if -len(xs) <= i < len(xs):
        check(del_item, xs, i)


@pyjit.njit
def nested(n):
    rows = []
    for i in range(n):
        row = [i, i + 1]
        rows.append(row)
    pairs = [(1, 2.0), (3, 4.5)]
    total = 0
    for r in rows:
        total += r[0] * r[1]
    rows[0].append(7)
    return rows, pairs, total


def test_nested_lists_and_tuples():
    check(nested, 4)


@pyjit.njit
def of_arrays(a):
    l = [a, a * 2]
    l.append(a + 1)
    s = 0.0
    for x in l:
        s += x.sum()
    return l, s


def test_list_of_arrays():
    import numpy as np
    a = np.arange(5.0)
    l, s = of_arrays(a)
    assert s == of_arrays.py_func(a)[1]
    assert all((x == y).all() for x, y in zip(l, of_arrays.py_func(a)[0]))


@pyjit.njit
def mutate(a, v):
    a.append(v)
    a[0] = v
    return len(a)


def test_reflected_list_argument():
    xs = [1, 2, 3]
    assert mutate(xs, 9) == 4
    assert xs == [9, 2, 3, 9]
    assert any("reflected list(int64)" in str(s) for s in mutate.signatures)
    fs = [1.5]
    mutate(fs, 2.0)
    assert fs == [2.0, 2.0]


@pyjit.njit
def read_only(a):
    return a[0]


def test_unchanged_argument_keeps_its_items():
    item = 10 ** 6
    xs = [item, 2]
    assert read_only(xs) == item
    assert xs[0] is item


def test_empty_list_argument_refused():
    with pytest.raises(pyjit.TypingError, match="cannot type empty list"):
        read_only([])


def test_mixed_list_argument_refused():
    with pytest.raises(pyjit.TypingError, match="same type"):
        read_only([1, 2.5])


@pyjit.njit
def get(xs, i):
    l = list(xs)
    return l[i]


@pyjit.njit
def put(xs, i):
    l = list(xs)
    l[i] = 0
    return l


@pyjit.njit
def pop_empty():
    l = [1]
    l.pop()
    return l.pop()


@pyjit.njit
def remove_missing(v):
    l = [1, 2]
    l.remove(v)
    return l


@pyjit.njit
def index_missing(v):
    l = [1, 2]
    return l.index(v)


@pytest.mark.parametrize("call", [
    lambda: get([1, 2], 5), lambda: get([1, 2], -3), lambda: put([1], 1),
    lambda: pop_empty(), lambda: remove_missing(3),
    lambda: del_item([1], 4),
])
def test_errors_as_cpython(call):
    import types
    fn = call.__code__.co_names[0]
    disp = globals()[fn]
    with pytest.raises(Exception) as compiled:
        call()
    py = types.FunctionType(call.__code__, {fn: disp.py_func})
    with pytest.raises(Exception) as plain:
        py()
    assert type(compiled.value) is type(plain.value)
    assert str(compiled.value) == str(plain.value)


def test_index_of_missing_item():
    with pytest.raises(ValueError, match="not in list"):
        index_missing(3)


def test_unsupported_forms_still_report():
    @pyjit.njit
    def f(n):
        return {**n}
    with pytest.raises(pyjit.errors.UnsupportedError, match="dict display"):
        f(1)


@pytest.mark.parametrize("arg", [[[1, 2], [3]], ([1],)])
def test_nested_reflected_lists_refused(arg):
    with pytest.raises(pyjit.TypingError, match="cannot reflect element of "
                                                "reflected container"):
        read_only(arg)


@pyjit.njit
def words(n):
    l = ['another', 'list']
    l.append('x' * n)
    return l, [['a'], ['b', 'c']]


def test_displays_of_string_constants_are_str_lists():
    # Numba's ['another', 'list'] is a list(unicode_type)
    for n in (0, 3):
        assert words(n) == words.py_func(n)
    assert_compiled(words)


# --- unpacking a list: a, b = lst ---------------------------------------------

@pyjit.njit
def _two_arrays(x):
    # aeon's _sliding_mean_std returns [movmean, movstd]
    return [x * 2.0, x + 1.0]


@pyjit.njit
def unpack_returned(x):
    a, b = _two_arrays(x)
    c, d, e = [1.5, 2.5, 3.5]
    return a.sum() + b.sum() + c + d + e


@pyjit.njit
def unpack_two(lst):
    a, b = lst
    return a - b


def test_unpack_a_list_of_arrays_made_in_a_callee():
    import numpy as np
    x = np.arange(5.0)
    assert unpack_returned(x) == unpack_returned.py_func(x)
    assert_compiled(unpack_returned)


@FEW
@given(st.lists(st.integers(-100, 100), min_size=1, max_size=4))
def test_unpack_a_list_argument(xs):
    # (an empty list argument has no type, as in Numba)
    try:
        want = unpack_two.py_func(list(xs))
    except ValueError as e:
        with pytest.raises(ValueError, match=str(e).replace("(", r"\(")
                           .replace(")", r"\)")):
            unpack_two(list(xs))
        return
    assert unpack_two(list(xs)) == want
    assert unpack_two(pyjit.typed.List(xs)) == want
    assert_compiled(unpack_two)
