"""Sets in nopython mode iterate in CPython's order: every way of building
and changing a set (adds, discards that leave dummies, pop, clear, copy,
update, the operators and methods, reflected arguments) leaves the items
in the slots CPython's set would, so list(s), printing and pop() give the
interpreter's result.  Each test compares the order, not only the items,
with the plain Python function."""
import hypothesis.strategies as st
from hypothesis import given

import pyjit
from pyjit import njit

from difftest import FEW, SETTINGS, assert_compiled

ADD, DISCARD, POP, CLEAR, UPDATE = range(5)


def program(ops, items):
    s = set()
    popped = []
    for i in range(len(ops)):
        op, x = ops[i], items[i]
        if op == 0:
            s.add(x)
        elif op == 1:
            s.discard(x)
        elif op == 2:
            if len(s) > 0:
                popped.append(s.pop())
        elif op == 3:
            if i % 5 == 0:
                s.clear()
        else:
            s.update(items[:i])
    return list(s), popped, s


run_program = njit(program)

# Items of every hashable kind: ints close together (collisions, linear
# probes) and far apart, floats with both zeros, str beyond ASCII, tuples.
ints = st.one_of(st.integers(-40, 40), st.integers(-2 ** 63, 2 ** 63 - 1),
                 st.integers(0, 1 << 20).map(lambda x: x * 1024))
floats = st.one_of(st.floats(allow_nan=False, allow_infinity=True),
                   st.sampled_from([0.0, -0.0, 1.0, -1.0, 0.5, 2.0 ** 60]))
strs = st.text(alphabet="abcé€ß日本\U0001f600", max_size=4)
tuples = st.tuples(st.integers(-20, 20), st.integers(-3, 3))


def ops_and_items(items):
    return st.lists(st.tuples(st.sampled_from([ADD] * 6 + [DISCARD] * 3
                                              + [POP, CLEAR, UPDATE]),
                              items), min_size=1, max_size=120)


def check_program(pairs):
    ops = [op for op, _ in pairs]
    items = [x for _, x in pairs]
    order, popped, s = run_program(ops, items)
    want_order, want_popped, want = program(ops, items)
    assert order == want_order
    assert list(s) == want_order          # the set returned to Python too
    assert repr(s) == repr(want)
    assert popped == want_popped
    s.add(items[0])                       # and it goes on as CPython's does
    want.add(items[0])
    assert list(s) == list(want)
    assert_compiled(run_program)


@SETTINGS
@given(ops_and_items(ints))
def test_int_sets_iterate_in_cpython_order(pairs):
    check_program(pairs)


@FEW
@given(ops_and_items(floats))
def test_float_sets_iterate_in_cpython_order(pairs):
    check_program(pairs)


@FEW
@given(ops_and_items(strs))
def test_str_sets_iterate_in_cpython_order(pairs):
    check_program(pairs)


@FEW
@given(ops_and_items(tuples))
def test_tuple_sets_iterate_in_cpython_order(pairs):
    check_program(pairs)


def grow_and_shrink(n, step, drop):
    s = set()
    for i in range(n):
        s.add(i * step)
    for i in range(0, n, drop):
        s.discard(i * step)
    t = set()
    for x in s:
        t.add(x)
    first = s.pop() if len(s) > 0 else -1
    return list(s), list(t), first, list(s)


run_grow = njit(grow_and_shrink)


@FEW
@given(st.integers(1, 3000), st.sampled_from([1, 7, 8, 1024, 2 ** 32 + 1]),
       st.integers(1, 5))
def test_many_sizes_across_resizes(n, step, drop):
    assert run_grow(n, step, drop) == grow_and_shrink(n, step, drop)
    assert_compiled(run_grow)


def operators(xs, ys, drop):
    a = set()
    for x in xs:
        a.add(x)
    b = set()
    for y in ys:
        b.add(y)
    for i in range(len(drop)):
        a.discard(drop[i])
        if i % 2 == 1:
            b.discard(drop[i - 1])
    out = [list(a | b), list(a & b), list(b & a), list(a - b), list(b - a),
           list(a ^ b), list(a.copy()), list(set(a)),
           list(a.union(b)), list(a.intersection(b)), list(a.difference(b)),
           list(a.symmetric_difference(b)),
           list(a.union(ys)), list(a.intersection(ys)),
           list(a.difference(ys)), list(a.symmetric_difference(ys))]
    for k in range(10):
        c = a.copy()
        if k == 0:
            c |= b
        elif k == 1:
            c &= b
        elif k == 2:
            c -= b
        elif k == 3:
            c ^= b
        elif k == 4:
            c.update(b)
        elif k == 5:
            c.intersection_update(ys)
        elif k == 6:
            c.difference_update(ys)
        elif k == 7:
            c.symmetric_difference_update(ys)
        elif k == 8:
            c.intersection_update(b)
        else:
            c.difference_update(b)
        c.add(xs[0])
        out.append(list(c))
    return out


run_operators = njit(operators)
small_lists = st.lists(st.integers(-300, 300), min_size=1, max_size=150)


@SETTINGS
@given(small_lists, small_lists, st.lists(st.integers(-300, 300), max_size=60))
def test_operators_and_methods_keep_cpython_order(xs, ys, drop):
    drop = drop or [0]
    assert run_operators(xs, ys, drop) == operators(xs, ys, drop)
    assert_compiled(run_operators)


@FEW
@given(st.lists(strs, min_size=1, max_size=60),
       st.lists(strs, min_size=1, max_size=60), st.lists(strs, max_size=20))
def test_str_operators_keep_cpython_order(xs, ys, drop):
    drop = drop or [""]
    assert run_operators(xs, ys, drop) == operators(xs, ys, drop)
    assert_compiled(run_operators)


def touch(s, xs):
    first = list(s)
    for x in xs:
        if x % 3 == 0:
            s.discard(x)
        else:
            s.add(x)
    return first


run_touch = njit(touch)


@SETTINGS
@given(st.lists(st.integers(-500, 500), min_size=1, max_size=200),
       st.lists(st.integers(-500, 500), max_size=20),
       st.lists(st.integers(-500, 500), min_size=1, max_size=100))
def test_reflected_sets_keep_their_layout(items, removed, xs):
    mine = set(items)
    for r in removed:                 # dummies in the Python set's table
        mine.discard(r)
    if not mine:
        return
    theirs = set(items)
    for r in removed:
        theirs.discard(r)
    assert run_touch(mine, xs) == touch(theirs, xs)
    assert list(mine) == list(theirs)
    mine.add(xs[0] + 1)
    theirs.add(xs[0] + 1)
    assert list(mine) == list(theirs)
    assert mine.pop() == theirs.pop()
    assert_compiled(run_touch)


@njit
def printed():
    s = {33, 100, -5, 7, 8, 16}
    print(s)
    s.discard(8)
    s.add(24)
    print(s)
    t = set()
    for i in range(12):
        t.add(i * 8)
    print(t, len(t))
    print({-0.0, 1.5, 0.0, 2.0 ** 70})
    print({1, 9, 17}, {1, 9})
    u = set()
    u.add((1, 2))
    u.add((-1, 5))
    u.add((9, 0))
    print(u)


def test_print_shows_cpython_order(capsys):
    printed()
    assert capsys.readouterr().out == (
        "{16, 33, 100, 7, 8, -5}\n"
        "{16, 33, 100, 7, 24, -5}\n"
        "{0, 32, 64, 8, 40, 72, 16, 48, 80, 24, 56, 88} 12\n"
        "{-0.0, 1.5, 1.1805916207174113e+21}\n"
        "{1, 9, 17} {1, 9}\n"
        "{(9, 0), (1, 2), (-1, 5)}\n")
    assert_compiled(printed)
