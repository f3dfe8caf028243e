"""np.array([x, y, z]) and np.asarray([...]) of numbers: the values and
dtype NumPy gives, with or without dtype=, and no list made on the way
(the display is read as a tuple); a list that is kept, or used again,
stays a list."""
import numpy as np
import pytest
from hypothesis import given, strategies as st

import pyjit
from difftest import FEW, assert_compiled, rss_bytes


def floats3(x, y):
    return np.array([x, y, x * y])


def mixed(x, k):
    return np.array([x, k, True])


def ints(k):
    return np.array([k, k + 1, 2 * k])


def bools(p, q):
    return np.asarray([p, q, p and q])


def complexes(x):
    return np.array([x, 1j * x])


def as_float32(x, k):
    return np.array([x, k, 1], dtype=np.float32)


def asarray_int8(k):
    return np.asarray([k, 2, 3], np.int8)


def in_a_loop(n):
    s = 0.0
    for i in range(n):
        x = i * 0.5
        a = np.array([x, 2.0, 3.0])
        s += a[1] * a[0] - a[2]
    return s


cases = {f: pyjit.njit(f) for f in (floats3, mixed, ints, bools, complexes,
                                    as_float32, asarray_int8, in_a_loop)}
finite = st.floats(-1e12, 1e12)
small_int = st.integers(-2**31, 2**31)


def check(f, *args):
    got, want = cases[f](*args), f(*args)
    assert got.dtype == want.dtype, (f.__name__, args)
    np.testing.assert_array_equal(got, want)
    assert_compiled(cases[f])


@FEW
@given(finite, finite, small_int)
def test_numbers(x, y, k):
    check(floats3, x, y)
    check(mixed, x, k)
    check(ints, k)
    check(complexes, x)
    check(as_float32, x, k)
    check(asarray_int8, k % 100)


@pytest.mark.parametrize("p", [False, True])
@pytest.mark.parametrize("q", [False, True])
def test_bools(p, q):
    check(bools, p, q)


def test_numpy_scalars_keep_their_type():
    @pyjit.njit
    def f(a, b):
        return np.array([a, b])

    for a, b in [(np.int32(3), np.int32(-4)), (np.float32(1.5), np.float32(2)),
                 (np.uint8(7), np.uint8(250))]:
        got, want = f(a, b), np.array([a, b])
        assert got.dtype == want.dtype
        np.testing.assert_array_equal(got, want)


def test_in_a_loop():
    for n in (0, 1, 7, 1000):
        assert cases[in_a_loop](n) == in_a_loop(n)


def test_no_list_is_made():
    f = cases[in_a_loop]
    f(3)
    body = f.inspect_llvm(f.signatures[0]).split("define", 2)[1]
    assert "pj_rt_list" not in body
    assert body.count("pj_rt_array_alloc") == 1


def test_a_list_kept_or_used_again_stays_a_list():
    @pyjit.njit
    def kept(x):
        l = [x, 2.0]
        a = np.array(l)
        l.append(3.0)
        return a, len(l)

    @pyjit.njit
    def twice(x):
        a = np.array([x, 1.0])
        b = np.array([[x, 1.0], [2.0, x]])
        return a, b

    a, n = kept(1.5)
    np.testing.assert_array_equal(a, [1.5, 2.0])
    assert n == 3
    a, b = twice(4.0)
    np.testing.assert_array_equal(a, [4.0, 1.0])
    np.testing.assert_array_equal(b, [[4.0, 1.0], [2.0, 4.0]])


def test_memory_stays_flat():
    f = cases[in_a_loop]
    f(20000)
    before = rss_bytes()
    for _ in range(50):
        f(20000)
    assert rss_bytes() - before < 4 * 2**20
