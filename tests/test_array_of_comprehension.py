"""np.array of a list that a loop fills with one append per item of a
range or an array (a comprehension, or the loop written out) makes the
list at its final size and hands its items to the array, as Numba fills an
array directly.  Differential tests against the plain Python functions
over generated inputs, each checking that the code compiled in nopython
mode; IR checks of when the rewrite applies; RSS over many calls."""
import io
import math

import hypothesis.strategies as st
import numpy as np
from hypothesis import given

from difftest import FEW, assert_compiled, rss_bytes, rss_limit
from pyjit import njit


def check(f, *args):
    got, want = f(*args), f.py_func(*args)
    assert isinstance(got, np.ndarray), type(got)
    assert got.shape == want.shape, (got, want)
    # an empty list has the items' type, as in Numba; NumPy's is float64
    assert want.size == 0 or got.dtype == want.dtype, (got, want)
    np.testing.assert_array_equal(got, want)
    assert got.flags.c_contiguous and got.flags.writeable
    assert_compiled(f)
    return got


def sized(f):
    """Whether f's typed IR makes a list with room for its items."""
    text = io.StringIO()
    f.inspect_types(file=text)
    return "room_for=len(" in text.getvalue()


@njit
def squares(start, stop, step):
    return np.array([i * i for i in range(start, stop, step)])


@njit
def roots(n):
    return np.asarray([math.sqrt(i * 0.5) for i in range(n)])


@njit
def over_array(a, r):
    return np.array([x * x + r for x in a])


@njit
def row_sums(m):
    return np.array([row.sum() for row in m])


@njit
def signs(a):
    return np.array([x > 0 for x in a])


@njit
def phases(a):
    return np.array([complex(x, -x) for x in a])


@njit
def named_first(n):
    values = [i / 3 for i in range(n)]
    return np.array(values)


@njit
def written_out(n):
    out = []
    for i in range(n):
        out.append(i * 2.5)
    return np.array(out)


ranges = st.tuples(st.integers(-40, 40), st.integers(-40, 40),
                   st.integers(-7, 7).filter(lambda s: s != 0))


@given(ranges)
@FEW
def test_comprehension_over_a_range(r):
    check(squares, *r)


@given(st.integers(0, 20000))
@FEW
def test_sizes_across_the_inline_limit(n):
    check(roots, n)
    check(named_first, n)
    check(written_out, n)


@given(st.lists(st.floats(-1e6, 1e6), max_size=300),
       st.floats(-10, 10))
@FEW
def test_comprehension_over_an_array(xs, r):
    a = np.array(xs, dtype=np.float64)
    check(over_array, a, r)
    check(over_array, a[::-2], r)       # not contiguous
    check(signs, a)
    check(phases, a)


@given(st.integers(0, 12), st.integers(1, 9))
@FEW
def test_rows_of_a_2d_array(n, m):
    a = np.arange(n * m, dtype=np.float64).reshape(n, m)
    check(row_sums, a)


def test_the_rewrite_applies():
    for f, args in ((squares, (0, 10, 1)), (roots, (5,)),
                    (over_array, (np.ones(3), 1.0)), (named_first, (4,)),
                    (written_out, (4,)), (signs, (np.ones(2),))):
        f(*args)
        assert sized(f), f.__name__
        ir = "\n".join(f.inspect_llvm().values())
        assert "pj_rt_list_reserve" not in ir, f.__name__


@njit
def filtered(n):
    return np.array([i for i in range(n) if i % 3])


@njit
def with_break(n):
    out = []
    for i in range(n):
        if i == 7:
            break
        out.append(i)
    return np.array(out)


@njit
def list_used_again(n):
    out = [i * 1.0 for i in range(n)]
    a = np.array(out)
    out.append(-1.0)
    return a, len(out)


@njit
def twice_per_item(n):
    out = []
    for i in range(n):
        out.append(i)
        out.append(-i)
    return np.array(out)


@given(st.integers(0, 30))
@FEW
def test_loops_that_do_not_fill_one_per_item_are_left_alone(n):
    check(filtered, n)
    check(with_break, n)
    check(twice_per_item, n)
    a, k = list_used_again(n)
    np.testing.assert_array_equal(a, np.arange(n, dtype=np.float64))
    assert k == n + 1
    for f in (filtered, with_break, list_used_again, twice_per_item):
        assert not sized(f), f.__name__


class Stop(Exception):
    pass


@njit
def raising(n, bad):
    return np.array([10 // (i - bad) for i in range(n)])


@njit
def caught(n, bad):
    try:
        return np.array([10 // (i - bad) for i in range(n)])
    except ZeroDivisionError:
        return np.zeros(1, dtype=np.int64)


@given(st.integers(0, 40), st.integers(-5, 45))
@FEW
def test_a_body_that_raises(n, bad):
    try:
        want = raising.py_func(n, bad)
    except ZeroDivisionError:
        want = ZeroDivisionError
    try:
        got = raising(n, bad)
    except ZeroDivisionError:
        got = ZeroDivisionError
    if want is ZeroDivisionError:
        assert got is ZeroDivisionError
    else:
        np.testing.assert_array_equal(got, want)
    check(caught, n, bad)


def test_arrays_outlive_the_call_and_memory_stays_flat():
    kept = [roots(n) for n in (0, 3, 9000, 20000)]
    for a, n in zip(kept, (0, 3, 9000, 20000)):
        np.testing.assert_array_equal(a, np.sqrt(np.arange(n) * 0.5))
    written_out(1000)
    before = rss_bytes()
    for _ in range(3000):
        roots(5000)
        written_out(30)
        over_array(kept[2], 1.0)
    assert rss_bytes() - before < rss_limit(8 << 20)
