"""Views indexed right away, and reference counts that cancel.

`w[i][j]` makes the view `w[i]` and indexes it at once.  The view borrows
w's memory, so it takes no reference of its own (csrc/lower.c,
is_borrowed_view); an item of a list is borrowed so only when nothing
between could replace it.  `for row in w:` takes each row into `row`
without the references the iterator's pair and item took on the way.
And an increment of a block that a decrement
of the same block follows with nothing between that could drop a
reference (a tuple of arrays built in a loop) is removed after O3
(csrc/refprune.c).  A loop over the cells of an array made in compiled
code then updates no reference count.  These tests compare with Python
over generated shapes, check that no atomic count update is left in a
loop, and that nothing is freed early or leaks.
"""
import re
from collections import namedtuple

import hypothesis.strategies as st
import numpy as np
from hypothesis import given

from difftest import FEW, assert_compiled, rss_bytes, rss_limit
from pyjit import njit


@njit
def cells(n, m):
    w = np.arange(n * m, dtype=np.float64).reshape(n, m)
    s = 0.0
    for i in range(n):
        for j in range(m):
            s += w[i][j] * (j + 1)
    return s


@njit
def cells_int(n, m):
    w = np.arange(n * m).reshape(n, m)
    s = 0
    for i in range(n):
        for j in range(m):
            s += w[i][j]
    return s


@njit
def fill(n, m):
    w = np.empty((n, m))
    for i in range(n):
        for j in range(m):
            w[i][j] = i * 0.5 + j
    return w


@njit
def deep(n):
    w = np.arange(n * n * 3, dtype=np.float64).reshape(n, n, 3)
    s = 0.0
    for i in range(n):
        for j in range(n):
            s += w[i][j][2] - w[i][j - 1][0]
            w[i][j][1] = s
    return s, w


@njit
def rows_of_list(arrays, n):
    s = 0.0
    for i in range(len(arrays)):
        for j in range(n):
            s += arrays[i][j] + arrays[i][j - 1]
    return s


@njit
def made_list(n):
    arrays = [np.full(n, float(k)) for k in range(n)]
    s = 0.0
    for i in range(n):
        for j in range(n):
            s += arrays[i][j]
    return s


@njit
def shrink(arrays):
    arrays.pop()
    # the freed block is likely the one the new array gets: a view that
    # kept pointing into it would read -5.0
    arrays.append(np.full(3, -5.0))
    return 0


@njit
def two_arrays(k):
    return [np.arange(3.0), np.arange(3.0) + k]


@njit
def replaced_between(k):
    # the call between the two indexings frees the array `arrays[-1]` was
    # (the list holds the only reference to it): that view may not borrow
    arrays = two_arrays(k)
    return arrays[-1][shrink(arrays)], len(arrays)


@njit
def tuples_in_loop(n):
    a = np.arange(float(n))
    b = a * 2.0
    s = 0.0
    for i in range(n):
        t = (a, b, a)
        s += t[0][i] + t[1][i] - t[2][i]
    return s


@njit
def same_block_twice(n):
    a = np.arange(float(n))
    s = 0.0
    for i in range(n):
        t = (a, a)
        u = t
        s += u[1][i]
    return s, t


@njit
def rows_made_here(n):
    w = np.arange(n * 3.0).reshape(n, 3)
    s = 0.0
    for row in w:
        s += row[0] * row[-1]
    return s


@njit
def last_row_of_a_temporary(n):
    row = np.zeros(3)
    for row in np.arange(n * 3.0).reshape(n, 3) + 1.0:
        if row[0] > 100.0:
            break
    return row


@njit
def make_rows(n):
    return [np.full(2, float(k)) for k in range(n)]


@njit
def items_of_a_list(n):
    s = 0.0
    arrays = make_rows(n)
    for k, a in enumerate(arrays):
        s += a[1] * k
        arrays.append(a) if k == 0 else None
    for a, b in zip(arrays, arrays[1:]):
        s += a[0] - b[0]
    return s, a


@njit
def yielded(n):
    for k in range(n):
        yield np.full(2, float(k))


@njit
def items_of_a_generator(n):
    s = 0.0
    for a in yielded(n):
        s += a[1]
    return s


@given(st.integers(0, 9), st.integers(0, 9))
@FEW
def test_cells_read_and_written(n, m):
    assert cells(n, m) == cells.py_func(n, m)
    assert cells_int(n, m) == cells_int.py_func(n, m)
    np.testing.assert_array_equal(fill(n, m), fill.py_func(n, m))


@given(st.integers(1, 7))
@FEW
def test_three_levels(n):
    s, w = deep(n)
    ws, ww = deep.py_func(n)
    assert s == ws
    np.testing.assert_array_equal(w, ww)


@given(st.lists(st.lists(st.floats(-1e3, 1e3), min_size=4, max_size=4),
                min_size=1, max_size=5))
@FEW
def test_list_items(rows):
    arrays = [np.array(r) for r in rows]
    assert rows_of_list(arrays, 4) == rows_of_list.py_func(arrays, 4)
    assert made_list(len(rows)) == made_list.py_func(len(rows))


def test_item_replaced_between_keeps_its_reference():
    assert replaced_between(7.0) == (7.0, 2)


@given(st.integers(0, 12))
@FEW
def test_tuples_of_arrays_in_a_loop(n):
    assert tuples_in_loop(n) == tuples_in_loop.py_func(n)
    s, t = same_block_twice(n)
    ws, wt = same_block_twice.py_func(n) if n else (0.0, None)
    assert s == ws
    if n:
        np.testing.assert_array_equal(t[0], wt[0])
        np.testing.assert_array_equal(t[1], wt[1])


@given(st.integers(1, 9))
@FEW
def test_loop_variables_over_rows_and_items(n):
    assert rows_made_here(n) == rows_made_here.py_func(n)
    np.testing.assert_array_equal(last_row_of_a_temporary(n),
                                  last_row_of_a_temporary.py_func(n))
    s, a = items_of_a_list(n)
    ws, wa = items_of_a_list.py_func(n)
    assert s == ws
    np.testing.assert_array_equal(a, wa)
    assert items_of_a_generator(n) == items_of_a_generator.py_func(n)


def test_compiled():
    # each called here, whichever worker ran the tests above
    calls = [(cells, (2, 3)), (cells_int, (2, 3)), (fill, (2, 3)),
             (deep, (2,)), (rows_of_list, ([np.ones(3)], 3)),
             (made_list, (3,)), (replaced_between, (1.0,)),
             (tuples_in_loop, (3,)), (same_block_twice, (3,)),
             (rows_made_here, (3,)), (last_row_of_a_temporary, (2,)),
             (items_of_a_list, (3,)), (items_of_a_generator, (3,))]
    for f, args in calls:
        f(*args)
        assert_compiled(f)


def blocks_on_cycles(ir, name):
    """The labels of the blocks of the compiled code of the function
    `name` in ir (not of the wrapper Python calls, which unboxes and
    reflects lists, nor of the runtime's helpers) that lie on a cycle of
    its control-flow graph, with their instructions."""
    out = {}
    for head, body in re.findall(r"^define ([^\n]*)\{\n(.*?)^\}", ir,
                                 re.S | re.M):
        if '@"cpython.' in head or f".{name}$" not in head:
            continue
        blocks, order, name = {}, [], "entry"
        for line in body.splitlines():
            m = re.match(r'^("?[\w.$-]+"?):', line)
            if m:
                name = m.group(1).strip('"')
                continue
            blocks.setdefault(name, []).append(line)
            if name not in order:
                order.append(name)
        succ = {b: set(t.strip('"') for line in lines
                       for t in re.findall(r'label %("?[\w.$-]+"?)', line))
                for b, lines in blocks.items()}

        def reaches(src, dst):
            seen, todo = set(), list(succ.get(src, ()))
            while todo:
                b = todo.pop()
                if b == dst:
                    return True
                if b not in seen:
                    seen.add(b)
                    todo.extend(succ.get(b, ()))
            return False
        for b in order:
            if reaches(b, b):
                out[b] = blocks[b]
    return out


def atomics_in_loops(f):
    ir = "\n".join(f.inspect_llvm().values())
    loops = blocks_on_cycles(ir, f.__name__)
    assert loops, "no loop found in the IR"
    return [line.strip() for lines in loops.values() for line in lines
            if "atomicrmw" in line]


def test_no_count_updates_in_the_loops():
    cells(3, 3)
    fill(3, 3)
    deep(3)
    rows_of_list([np.ones(3)], 3)
    tuples_in_loop(3)
    rows_made_here(3)
    for f in (cells, fill, deep, rows_of_list, tuples_in_loop,
              rows_made_here):
        assert atomics_in_loops(f) == [], f.__name__


@njit
def best_of_three(sim):
    # librosa's recurrence alignment: each cell's three candidate scores go
    # into a small array whose argmax picks the move.  The array passed to
    # the inlined argmax takes a reference, and argmax's tests branch
    # between it and its release.
    score = np.zeros(sim.shape)
    moves = np.zeros(sim.shape, np.int8)
    cand = np.zeros(3)
    for i in range(2, sim.shape[0]):
        for j in range(2, sim.shape[1]):
            cand[0] = score[i - 1, j - 1]
            cand[1] = score[i - 1, j - 2]
            cand[2] = score[i - 2, j - 1]
            moves[i, j] = np.argmax(cand)
            score[i, j] = cand[moves[i, j]] + sim[i, j]
    return score, moves


@FEW
@given(st.integers(0, 9), st.integers(0, 9), st.integers(0, 2**32 - 1))
def test_argmax_of_candidates_in_a_loop(m, n, seed):
    sim = np.random.default_rng(seed).random((m, n)) - 0.3
    if m * n:
        sim.flat[seed % (m * n)] = np.nan
    for g, w in zip(best_of_three(sim), best_of_three.py_func(sim)):
        np.testing.assert_array_equal(g, w)
    assert_compiled(best_of_three)


def test_argmax_in_a_loop_updates_no_count():
    best_of_three(np.ones((3, 3)))
    assert atomics_in_loops(best_of_three) == []


def test_argmax_in_a_loop_keeps_memory_flat():
    sim = np.random.default_rng(0).random((6, 6))
    for _ in range(2000):
        best_of_three(sim)
    before = rss_bytes()
    for _ in range(20000):
        best_of_three(sim)
    assert rss_bytes() - before < rss_limit(4 * 2**20)


@njit
def keeps_a_view(n):
    w = np.ones((n, n))
    last = w[0]
    for i in range(n):
        last = w[i]
        last[0] = w[i][1] + i
    return last


def test_views_kept_outlive_their_array():
    v = keeps_a_view(4)
    np.testing.assert_array_equal(v, keeps_a_view.py_func(4))


DisjointSet = namedtuple("DisjointSet", ["parent", "rank"])


@njit
def ds_find(ds, x):
    while ds.parent[x] != x:
        x, ds.parent[x] = ds.parent[x], ds.parent[ds.parent[x]]
    return x


@njit
def ds_union_all(pairs, m):
    ds = DisjointSet(np.arange(m), np.zeros(m, np.int64))
    for k in range(len(pairs)):
        a, b = ds_find(ds, pairs[k, 0]), ds_find(ds, pairs[k, 1])
        if a != b:
            ds.parent[a] = b
            ds.rank[b] += 1
    return ds.parent, ds.rank


def py_union_all(pairs, m):
    ds = DisjointSet(np.arange(m), np.zeros(m, np.int64))
    for a, b in pairs:
        a, b = ds_find.py_func(ds, a), ds_find.py_func(ds, b)
        if a != b:
            ds.parent[a] = b
            ds.rank[b] += 1
    return ds.parent, ds.rank


@FEW
@given(st.integers(1, 40).flatmap(lambda m: st.tuples(
    st.just(m), st.lists(st.tuples(st.integers(0, m - 1),
                                   st.integers(0, m - 1)), max_size=60))))
def test_fields_of_a_namedtuple_read_and_written(case):
    m, pairs = case
    pairs = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    got, want = ds_union_all(pairs, m), py_union_all(pairs, m)
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g, w)
    assert_compiled(ds_union_all)


def test_fields_of_a_namedtuple_take_no_references():
    """Each `ds.parent` of a namedtuple argument borrows the tuple's
    array: the find updates no count at all (it took two per call, which
    cost 20 times Numba's time in fast_hdbscan's union-find)."""
    ds_union_all(np.zeros((1, 2), np.int64), 2)
    ir = "\n".join(ds_find.inspect_llvm().values())
    assert "atomicrmw" not in ir, ir


def test_memory_stays_flat():
    arrays = [np.arange(4.0) for _ in range(3)]

    def round_(calls):
        for _ in range(calls):
            cells(3, 4)
            fill(2, 2)
            deep(2)
            rows_of_list(arrays, 4)
            made_list(3)
            tuples_in_loop(5)
            same_block_twice(3)
            keeps_a_view(3)
            replaced_between(2.0)
            rows_made_here(3)
            last_row_of_a_temporary(2)
            items_of_a_list(3)
            items_of_a_generator(3)
            ds_union_all(pairs, 6)
    pairs = np.array([[0, 1], [2, 3], [1, 3], [4, 5]], dtype=np.int64)
    round_(3_000)
    before = rss_bytes()
    round_(30_000)
    grown = rss_bytes() - before
    assert grown < rss_limit(4 * 2 ** 20), f"RSS grew by {grown} bytes"
