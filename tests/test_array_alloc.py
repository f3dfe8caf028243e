"""Arrays made in compiled code: np.empty/zeros/ones/full, their *_like
forms, np.arange, np.copy; returned to Python without a copy, and their
memory released (reference counts in compiled code)."""
import resource
import threading

import numpy as np
import pytest

import pyjit
from pyjit import njit


def assert_compiled(f):
    assert f.signatures
    for sig in f.signatures:
        assert "pyobject" not in str(sig)


def same_array(got, want):
    assert isinstance(got, np.ndarray)
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    assert got.shape == want.shape
    np.testing.assert_array_equal(got, want)


# --- making arrays -------------------------------------------------------------

@njit
def make_shapes(n, m):
    return (np.zeros(n), np.ones((n, m)), np.zeros((n, m, 2)),
            np.full(n, 2.5), np.full((m, n), 7))


@pytest.mark.parametrize("n, m", [(0, 0), (1, 3), (4, 2), (7, 1)])
def test_shapes(n, m):
    got = make_shapes(n, m)
    want = make_shapes.py_func(n, m)
    for g, w in zip(got, want):
        same_array(g, w)
        assert g.flags.c_contiguous and g.flags.writeable and g.flags.owndata \
            is False
    assert_compiled(make_shapes)


@njit
def make_dtypes(n):
    return (np.zeros(n, np.int32), np.ones(n, dtype=np.float32),
            np.zeros(n, np.uint8), np.ones(n, np.complex128),
            np.zeros(n, np.bool_), np.ones(n, float), np.ones(n, int),
            np.zeros(n, "int16"), np.full(n, 3, np.int8))


def test_dtypes():
    for g, w in zip(make_dtypes(5), make_dtypes.py_func(5)):
        same_array(g, w)


@njit
def empties(n):
    a = np.empty(n)
    for i in range(n):
        a[i] = i
    b = np.empty((2, n), np.int64)
    for i in range(2):
        for j in range(n):
            b[i, j] = i * 10 + j
    return a, b


def test_empty_then_filled():
    for g, w in zip(empties(4), empties.py_func(4)):
        same_array(g, w)


@njit
def likes(a):
    return (np.zeros_like(a), np.ones_like(a), np.empty_like(a).shape,
            np.full_like(a, 4), np.zeros_like(a, dtype=np.float32),
            np.ones_like(a, np.int8))


@pytest.mark.parametrize("a", [np.arange(6.0), np.arange(12).reshape(3, 4),
                               np.arange(24.0).reshape(2, 3, 4)[:, ::2],
                               np.arange(5, dtype=np.complex64)])
def test_likes(a):
    got, want = likes(a), likes.py_func(a)
    for g, w in zip(got, want):
        if isinstance(w, tuple):
            assert g == w
        else:
            same_array(g, w)


@njit
def aranges(n, start, stop, step):
    return (np.arange(n), np.arange(start, stop), np.arange(start, stop, step))


@pytest.mark.parametrize("args", [
    (5, 0, 5, 1), (0, 3, 1, -1), (7, -5, 5, 3), (3, 10, 0, -3), (1, 0, 0, 2),
    (4, 2, 11, 4)])
def test_arange_ints(args):
    for g, w in zip(aranges(*args), aranges.py_func(*args)):
        same_array(g, w)


@pytest.mark.parametrize("args", [(5, 0.0, 1.0, 0.25), (3, 1.5, -1.5, -0.5),
                                  (2, 0.0, 0.95, 0.1)])
def test_arange_floats(args):
    for g, w in zip(aranges(*args), aranges.py_func(*args)):
        assert g.dtype == w.dtype
        np.testing.assert_allclose(g, w, rtol=1e-15)


def test_arange_step_zero():
    with pytest.raises(ZeroDivisionError):
        aranges(3, 0, 5, 0)


@njit
def copies(a):
    return np.copy(a), a[::-1].copy()


@pytest.mark.parametrize("a", [np.arange(5.0), np.arange(12).reshape(3, 4).T,
                               np.arange(10, dtype=np.int16)[::3]])
def test_copy(a):
    c, r = copies(a)
    same_array(c, np.copy(a))
    same_array(r, np.copy(a[::-1]))
    assert not np.shares_memory(c, a)
    # NumPy's order: C, F for an F array (a transposed C one)
    assert c.flags.c_contiguous == np.copy(a).flags.c_contiguous
    assert c.flags.f_contiguous == np.copy(a).flags.f_contiguous


@njit
def negative(n):
    return np.zeros((2, n))


def test_negative_dimensions():
    with pytest.raises(ValueError, match="negative dimensions"):
        negative(-1)
    assert negative(0).shape == (2, 0)


# --- what Python gets back ----------------------------------------------------

@njit
def new_and_view(n):
    a = np.arange(n)
    return a, a[1:-1], a[::2]


def test_returned_arrays_share_memory_and_outlive_the_call():
    a, mid, even = new_and_view(8)
    assert np.shares_memory(a, mid) and np.shares_memory(a, even)
    assert type(a.base).__name__ == "MemInfo"
    a[3] = 100
    assert mid[2] == 100
    del a
    assert mid.tolist() == [1, 2, 100, 4, 5, 6]
    assert even.tolist() == [0, 2, 4, 6]


@njit
def reassign(n):
    a = np.zeros(n)
    for i in range(n):
        a = np.full(n, i * 1.0)      # the old array is released each time
    return a


def test_reassignment_in_a_loop():
    same_array(reassign(5), np.full(5, 4.0))


@njit
def helper_alloc(n):
    return np.ones(n)


@njit
def caller_alloc(n):
    s = 0.0
    for i in range(n):
        s += helper_alloc(i + 1).sum()
    return s


def test_arrays_returned_by_jitted_callees():
    assert caller_alloc(10) == sum(range(1, 11))


@njit
def raises_after_alloc(n):
    a = np.zeros(1000)
    b = np.ones(1000)
    if n > 0:
        raise ValueError("n must not be positive")
    return a[0] + b[0]


def rss_kb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def assert_memory_flat(call, warm=2000, calls=20000):
    """call() many times after a warm-up: the peak RSS grows by less than
    20 MB.  Each call allocates 10-200 KB, so a leak adds hundreds."""
    for _ in range(warm):
        call()
    before = rss_kb()
    for _ in range(calls):
        call()
    assert rss_kb() - before < 20_000


@pytest.mark.parametrize("func, args", [
    (make_shapes, (100, 100)), (reassign, (50,)), (caller_alloc, (20,)),
    (new_and_view, (1000,)), (likes, (np.arange(1000.0),))])
def test_memory_stays_flat(func, args):
    assert_memory_flat(lambda: func(*args))


def test_memory_released_on_the_error_path():
    def call():
        with pytest.raises(ValueError):
            raises_after_alloc(1)

    assert_memory_flat(call, calls=50000)
    assert raises_after_alloc(0) == 1.0


@njit(nogil=True)
def nogil_alloc(n, reps):
    s = 0.0
    for r in range(reps):
        a = np.full(n, 1.0)
        s += a.sum()
    return s


def test_threads_allocate_without_the_gil():
    results = []

    def work():
        results.append(nogil_alloc(100, 2000))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [200000.0] * 4


def test_unsupported_dtype_argument_is_a_typing_error():
    @njit
    def bad(n):
        return np.zeros(n, "V8")

    with pytest.raises(pyjit.TypingError):
        bad(3)


# --- arrays through optional values, tuples, recursion and lifted loops -------

@njit
def maybe_array(a, flag):
    if flag:
        return a + 1.0
    return None


@njit
def two_arrays(n):
    return np.zeros(n), np.ones(n)


@njit
def unpack_two(n):
    a, b = two_arrays(n)
    return (a + b).sum()


@njit
def recursive_array(n):
    if n == 0:
        return np.zeros(3)
    return recursive_array(n - 1) + 1.0


class Holder:
    x = 3


def lifted_allocation(o, n):
    k = o.x
    acc = np.zeros(n)
    for i in range(n):
        acc = acc + np.full(n, k * 1.0)
    return acc


@pytest.mark.parametrize("func, args, want", [
    (maybe_array, (np.ones(2), True), np.full(2, 2.0)),
    (maybe_array, (np.ones(2), False), None),
    (unpack_two, (5,), 5.0),
    (recursive_array, (4,), np.full(3, 4.0)),
])
def test_arrays_through_optionals_tuples_and_recursion(func, args, want):
    got = func(*args)
    if isinstance(want, np.ndarray):
        same_array(got, want)
    else:
        assert got == want
    assert_memory_flat(lambda: func(*args))


def test_lifted_loop_allocates_and_returns_arrays():
    f = pyjit.jit(lifted_allocation)
    with pytest.warns(pyjit.PyjitWarning):
        got = f(Holder(), 4)
    same_array(got, np.full(4, 12.0))
    lifted = f.overloads[f.signatures[0]].lifted
    assert any(d.signatures for d in lifted)
