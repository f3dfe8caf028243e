"""Loops over np.ndindex, np.ndenumerate and pndindex: the items, in
order, of every kind of shape and array, iterators taken part way and
resumed, the errors NumPy raises, and the loop compiled without a
generator (no frame is allocated, nothing is called per item)."""
import numpy as np
import pytest
from hypothesis import given, strategies as st
from hypothesis.extra import numpy as hnp

import pyjit
from difftest import FEW, assert_compiled, rss_bytes

# () is a tuple type of its own, which a variable cannot index: the
# functions indexing idx[d] take one dimension or more, and the empty
# shape has its own test
shapes = hnp.array_shapes(min_dims=1, max_dims=5, min_side=0, max_side=4)


def weighted_index_sum(shape):
    s = 0
    k = 1
    for idx in np.ndindex(shape):
        for d in range(len(idx)):
            s += k * (d + 1) * idx[d]
        k += 1
    return s, k


def index_pairs(n, m):
    out = []
    for i, j in np.ndindex(n, m):
        out.append((i, j))
    return out


def enumerate_weighted(a):
    s = 0.0
    count = 0
    for idx, v in np.ndenumerate(a):
        w = 1
        for d in range(len(idx)):
            w += (d + 2) * idx[d]
        s += w * v
        count += 1
    return s, count


def first_items_then_rest(shape, first):
    it = np.ndindex(shape)
    head = []
    for idx in it:
        head.append(idx)
        if len(head) == first:
            break
    rest = []
    for idx in it:
        rest.append(idx)
    return head, rest


def skip_and_stop(shape, stop_at):
    seen = []
    for idx in np.ndindex(shape):
        if idx[-1] % 2 == 1:
            continue
        if len(seen) == stop_at:
            break
        seen.append(idx)
    return seen


def nested_ndindex(n):
    s = 0
    for i in range(n):
        for idx in np.ndindex((i, 3)):
            s += idx[0] * 3 + idx[1] + i
    return s


def array_of_indices(a):
    out = np.empty(a.shape + (a.ndim,), np.int64)
    for idx in np.ndindex(a.shape):
        for d in range(a.ndim):
            out[idx + (d,)] = idx[d]
    return out


compiled = {f: pyjit.njit(f) for f in (
    weighted_index_sum, index_pairs, enumerate_weighted,
    first_items_then_rest, skip_and_stop, nested_ndindex, array_of_indices)}


@FEW
@given(shapes)
def test_index_tuples_in_order(shape):
    f = compiled[weighted_index_sum]
    assert f(shape) == weighted_index_sum(shape)
    assert_compiled(f)


@FEW
@given(st.integers(0, 5), st.integers(0, 5))
def test_sizes_given_one_by_one(n, m):
    f = compiled[index_pairs]
    assert f(n, m) == index_pairs(n, m)
    assert f(np.int32(n), np.uint8(m)) == index_pairs(n, m)
    assert_compiled(f)


def _layouts(a):
    yield a
    yield np.asfortranarray(a)
    yield a[..., ::-1]
    yield a[::2]


@FEW
@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=4,
                                               min_side=0, max_side=4),
                  elements=st.floats(-1e3, 1e3)))
def test_ndenumerate_of_every_layout(a):
    f = compiled[enumerate_weighted]
    for view in _layouts(a):
        got, want = f(view), enumerate_weighted(view)
        assert got[1] == want[1]
        assert got[0] == pytest.approx(want[0], rel=1e-12, abs=1e-9)
    assert_compiled(f)


@pytest.mark.parametrize("dtype", [np.bool_, np.int8, np.uint32, np.int64,
                                   np.float32, np.complex128])
def test_ndenumerate_of_every_dtype(dtype):
    a = (np.arange(24).reshape(2, 3, 4) % 5).astype(dtype)

    @pyjit.njit
    def items(a):
        return [(idx, v) for idx, v in np.ndenumerate(a)]

    assert items(a) == list(np.ndenumerate(a))
    assert items(a[:, ::-2, 1:]) == list(np.ndenumerate(a[:, ::-2, 1:]))


def test_ndenumerate_of_strings():
    a = np.array([["a", "bc"], ["", "def"]])

    @pyjit.njit
    def lengths(a):
        out = []
        for idx, s in np.ndenumerate(a):
            out.append((idx, s + "!"))
        return out

    assert lengths(a) == [(i, s + "!") for i, s in np.ndenumerate(a)]


@FEW
@given(shapes, st.integers(0, 30))
def test_iterator_taken_part_way_goes_on(shape, first):
    f = compiled[first_items_then_rest]
    assert f(shape, first) == first_items_then_rest(shape, first)


@FEW
@given(hnp.array_shapes(min_dims=1, max_dims=4, min_side=0, max_side=4),
       st.integers(0, 20))
def test_continue_and_break(shape, stop_at):
    f = compiled[skip_and_stop]
    assert f(shape, stop_at) == skip_and_stop(shape, stop_at)


def test_fresh_iterator_each_time_round_a_loop():
    f = compiled[nested_ndindex]
    for n in range(6):
        assert f(n) == nested_ndindex(n)


def test_index_tuples_index_and_extend():
    a = np.zeros((3, 1, 4))
    np.testing.assert_array_equal(compiled[array_of_indices](a),
                                  array_of_indices(a))


def test_no_dimensions_yield_one_empty_index():
    @pyjit.njit
    def of_shape(shape):
        return [i for i in np.ndindex(shape)]

    assert of_shape(()) == list(np.ndindex(())) == [()]

    @pyjit.njit
    def of_0d(a):
        return [(i, v) for i, v in np.ndenumerate(a)]

    assert of_0d(np.array(2.5)) == [((), 2.5)]


def test_negative_dimension_raises_as_numpy():
    @pyjit.njit
    def count(n, m):
        k = 0
        for _ in np.ndindex(n, m):
            k += 1
        return k

    with pytest.raises(ValueError) as numpy_error:
        np.ndindex(2, -1)
    with pytest.raises(ValueError, match=str(numpy_error.value)):
        count(2, -1)
    assert count(2, 0) == 0
    assert count(3, 4) == 12


def test_huge_shape_with_a_zero_has_no_items():
    @pyjit.njit
    def count(shape):
        k = 0
        for _ in np.ndindex(shape):
            k += 1
        return k

    assert count((2**40, 0, 2**40)) == 0
    assert count((2**62, 2**62, 0)) == 0


def test_pndindex_visits_every_index():
    @pyjit.njit(parallel=True)
    def fill(a):
        for idx in pyjit.pndindex(a.shape):
            a[idx] = idx[0] * 100 + idx[1] * 10 + idx[2]

    a = np.zeros((4, 5, 3), np.int64)
    fill(a)
    want = np.fromfunction(lambda i, j, k: i * 100 + j * 10 + k, a.shape,
                           dtype=np.int64)
    np.testing.assert_array_equal(a, want)


def test_loops_compile_without_a_generator():
    """The loop is one function of straight code: no generator frame is
    allocated and nothing is called for an item."""
    @pyjit.njit
    def total(a):
        s = 0.0
        for idx in np.ndindex(a.shape):
            s += a[idx]
        for idx, v in np.ndenumerate(a):
            s += v * idx[0]
        return s

    a = np.arange(60.0).reshape(3, 4, 5)
    want = a.sum() + sum(v * i[0] for i, v in np.ndenumerate(a))
    assert total(a) == pytest.approx(want)
    ir = total.inspect_llvm(total.signatures[0])
    body = ir.split("define", 2)[1]
    assert "meminfo_alloc" not in body
    assert ".next" not in ir
    assert_compiled(total)


def test_items_index_without_wraparound():
    """An item's indices are never negative, which LLVM finds from steps
    that cannot wrap, through the loop's one latch even with a `continue`
    (numbagg's group loops): an array indexed with the item is not tested
    for negative indices."""
    @pyjit.njit
    def grouped(values, labels, out):
        for idx in np.ndindex(values.shape):
            label = labels[idx]
            if label < 0:
                continue
            out[label] += values[idx]

    values = np.arange(10.0)
    labels = np.array([0, 1, -1, 1, 2, -3, 0, 2, 2, 1])
    out = np.zeros(3)
    grouped(values, labels, out)
    want = np.zeros(3)
    grouped.py_func(values, labels, want)
    np.testing.assert_array_equal(out, want)
    ir = grouped.inspect_llvm(grouped.signatures[0])
    # the wraparound of a negative index is a select of the length
    assert "select i1" not in ir.split("define", 2)[1], ir
    # the continue's edge back goes through the loop's one latch, so
    # unroll.c finds the loop and unrolls it: four copies of the body and
    # the remainder loop's one (two latches were two copies, unrolled not)
    assert ir.count("fadd double") == 5, ir
    assert_compiled(grouped)


def test_memory_stays_flat():
    @pyjit.njit
    def walk(a):
        s = 0.0
        for idx, v in np.ndenumerate(a[::2]):
            s += v
        for idx in np.ndindex(a.shape):
            if idx[0] > 1:
                break
            s += a[idx]
        return s

    a = np.ones((6, 7))
    walk(a)
    for _ in range(20000):
        walk(a)
    before = rss_bytes()
    for _ in range(200000):
        walk(a)
    assert rss_bytes() - before < 4 * 2**20
