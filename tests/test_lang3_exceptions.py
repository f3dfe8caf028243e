"""`except E as e` with e.args (its length, the tuple returned to Python),
str(e) and `raise e`; the `_nrt=False` option; what generators do not
support, said as Numba says it.  Differential tests against the plain
Python functions, each also checking that the code compiled in nopython
mode."""
import numpy as np
import hypothesis.strategies as st
import pytest
from hypothesis import given

from difftest import FEW, assert_compiled
from pyjit import njit
from pyjit.errors import LoweringError, TypingError, UnsupportedError


def check(f, *args):
    got, expected = f(*args), f.py_func(*args)
    assert got == expected and type(got) is type(expected), (got, expected)
    assert_compiled(f)


@njit
def args_of_raised(n, x):
    try:
        if n == 0:
            raise ValueError()
        if n == 1:
            raise ValueError("one")
        if n == 2:
            raise ValueError("two", x)
        raise KeyError(x, x + 1, "three")
    except (ValueError, KeyError) as e:
        return e.args


@njit
def count_args(n, x):
    try:
        if n == 0:
            return x // 0
        if n == 1:
            d = {-1: 5}
            return d[x]
        raise ValueError("a", "b", x)
    except Exception as e:
        return len(e.args)


@njit
def message(x):
    try:
        if x > 0:
            raise ValueError("positive", x)
        return "none"
    except ValueError as e:
        return str(e) + "/" + str(len(e.args))


@njit
def raise_again(x):
    try:
        if x > 0:
            raise ValueError("positive")
    except ValueError as e:
        if len(e.args) == 1:
            raise e
    return x


@given(st.integers(0, 3), st.integers(-1000, 1000))
@FEW
def test_args_returned_to_python(n, x):
    check(args_of_raised, n, x)


@given(st.integers(0, 2), st.integers(0, 1000))
@FEW
def test_len_of_args(n, x):
    check(count_args, n, x)


@given(st.integers(-5, 5))
@FEW
def test_str_and_len(x):
    check(message, x)


@pytest.mark.parametrize("x", [-1, 0, 3])
def test_raise_the_caught_exception(x):
    if x > 0:
        with pytest.raises(ValueError, match="positive"):
            raise_again(x)
    else:
        check(raise_again, x)


def test_items_of_args_are_refused_with_a_reason():
    @njit
    def f(x):
        try:
            raise ValueError(x)
        except ValueError as e:
            return e.args[0]

    with pytest.raises(TypingError, match="types known only when the code runs"):
        f(1)


def test_args_memory_stays_flat():
    import tracemalloc

    @njit
    def f(n):
        k = 0
        for i in range(n):
            try:
                raise ValueError("v", i)
            except ValueError as e:
                k += len(e.args)
        return k

    assert f(10) == f.py_func(10)
    tracemalloc.start()
    f(20000)
    before = tracemalloc.get_traced_memory()[0]
    f(200000)
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    assert after - before < 100_000


# --- _nrt=False -----------------------------------------------------------------------

def test_nrt_false_compiles_code_that_allocates_nothing():
    @njit(_nrt=False)
    def f(a, x):
        s = 0.0
        for i in range(a.shape[0]):
            s += a[i] * x
        return s

    for n in (0, 1, 5):
        a = np.arange(n, dtype=np.float64)
        assert f(a, 1.5) == f.py_func(a, 1.5)
    assert_compiled(f)


def nrt_zeros(n):
    return np.zeros(n)


def nrt_list(n):
    return len([n, n])


def nrt_dict(n):
    return len({n: 1})


@pytest.mark.parametrize("fn", [nrt_zeros, nrt_list, nrt_dict])
def test_nrt_false_refuses_allocation(fn):
    with pytest.raises(LoweringError, match="NRT required but not enabled"):
        njit(_nrt=False)(fn)(3)
    np.testing.assert_array_equal(njit(fn)(3), fn(3))


# --- generators ------------------------------------------------------------------------

@njit
def count_up(n):
    for i in range(n):
        yield i


def test_yield_from_is_refused_saying_what_to_write():
    def outer(n):
        yield from count_up(n)

    with pytest.raises(UnsupportedError, match="for v in gen"):
        list(njit(outer)(3))


def test_send_is_not_a_generator_method_as_in_numba():
    g = count_up(3)
    assert next(g) == 0
    with pytest.raises(AttributeError):
        g.send(1)
    assert list(g) == [1, 2]

    def receiver(n):
        x = 0
        while x < n:
            x = yield x

    with pytest.raises(UnsupportedError, match="send"):
        next(njit(receiver)(3))
