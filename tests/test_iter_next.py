"""iter() and next() in nopython code: next(it) advances the iterator the
variable holds, and a for loop over a variable holding an iterator
advances that same iterator (next() after a break goes on from there), as
in Python and Numba.  Differential against the plain Python function."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from difftest import FEW, assert_compiled, mod_floats
from pyjit import njit


@njit
def first_two(a):
    it = iter(a)
    x = next(it)
    y = next(it)
    return x + y


@njit
def after_break(a, limit):
    it = iter(a)
    for v in it:
        if v > limit:
            break
    return next(it)


@njit
def products_of_pairs(a):
    it = iter(a)
    s = 0.0
    for x in it:
        s += x * next(it)
    return s


@njit
def two_loops_one_range(n, stop):
    it = iter(range(n))
    s = 0
    for k in it:
        s += k
        if k >= stop:
            break
    t = 0
    for k in it:
        t += k
    return s, t


@njit
def zipped_and_enumerated(a, b):
    z = zip(a, b)
    p = next(z)
    e = enumerate(b)
    i, v = next(e)
    j, w = next(e)
    return p[0] + p[1] + i + j + v + w


@njit
def of_a_list(n):
    xs = [i * i for i in range(n)]
    it = iter(xs)
    next(it)
    return next(it)


@njit
def evens(n):
    for i in range(n):
        yield 2 * i


@njit
def of_a_generator(n):
    g = evens(n)
    first = next(g)
    rest = 0
    for v in g:
        rest += v
    return first, rest


def same(f, *args):
    try:
        expected = f.py_func(*args)
    except StopIteration:
        with pytest.raises(StopIteration):
            f(*args)
    else:
        got = f(*args)
        assert got == expected or np.allclose(got, expected)
    assert_compiled(f)


floats = st.lists(mod_floats, min_size=0, max_size=9)


@FEW
@given(a=floats)
def test_next_takes_items_in_turn(a):
    same(first_two, np.array(a))


@FEW
@given(a=floats, limit=mod_floats)
def test_next_after_a_break_goes_on(a, limit):
    same(after_break, np.array(a), limit)


@FEW
@given(a=floats)
def test_next_inside_a_loop_over_the_same_iterator(a):
    same(products_of_pairs, np.array(a))


@FEW
@given(n=st.integers(0, 12), stop=st.integers(-1, 12))
def test_second_loop_goes_on_from_the_first(n, stop):
    same(two_loops_one_range, n, stop)


@FEW
@given(a=floats)
def test_zip_and_enumerate(a):
    x = np.array(a)
    same(zipped_and_enumerated, x, x * 2.0)


@pytest.mark.parametrize("n", [0, 1, 2, 5])
def test_lists_and_generators(n):
    same(of_a_list, n)
    same(of_a_generator, n)


@njit
def square(x):
    return x * x


@njit
def mapped(a, b):
    total = 0.0
    for v in map(square, a):
        total += v
    return (total, list(map(max, a, b)), list(map(lambda x: x * 2, a)),
            list(filter(None, [int(v) % 3 for v in a])),
            list(filter(lambda v: v > 1.0, a)),
            len(set(map(len, (a, b)))))


@FEW
@given(a=floats, b=floats)
def test_map_and_filter(a, b):
    # sgkit's hardy_weinberg_p_value_vec: `len(set(map(len, arrs)))`
    x, y = np.array(a), np.array(b)
    got, expected = mapped(x, y), mapped.py_func(x, y)
    assert got[0] == pytest.approx(expected[0])
    assert got[1:] == expected[1:]
    assert_compiled(mapped)
