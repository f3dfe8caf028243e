"""Every allocation of a compile may fail: the caller gets MemoryError, the
process survives, nothing leaks, and the dispatcher works afterwards.

pyjit._core._fail_alloc_after(n) makes the n-th compile allocation from now
fail; this walks n over every allocation a compile of a representative
function makes.
"""
import math

import pytest

from pyjit import _core, njit


def make():
    @njit
    def callee(a, b=2):
        return a * b

    @njit
    def f(n, t):
        s = 0.0
        for i, v in enumerate(range(n)):
            if i % 3 == 0 and v > 1:
                s += callee(v) + math.sqrt(i)
            else:
                s -= t[0] / (i + 1)
        x, y = t
        return s, (x, y), max(x, y)
    return f


ARGS = (10, (1.5, 2.5))


@pytest.fixture(autouse=True)
def no_fault_left_behind():
    yield
    _core._fail_alloc_after(-1)


def attempt(n):
    """Compiles with allocation n failing; True when the compile made fewer
    than n + 1 allocations (the failure never came)."""
    f = make()
    _core._fail_alloc_after(n)
    try:
        result = f(*ARGS)
    except MemoryError:
        result = None
    never_failed = _core._fail_alloc_after(-1) >= 0
    # Either the call raised MemoryError or it recovered (a callee typed
    # again after a failed attempt) and returned the right value.
    expected = f.py_func(*ARGS)
    assert result is None or result == expected
    assert f(*ARGS) == expected
    assert len(f.signatures) == 1
    return never_failed


def test_every_allocation_failure_raises_memory_error():
    n = 0
    while not attempt(n):
        n += 1
        assert n < 5000, "a compile that never finishes allocating"
    assert n > 50, "the walk should cover the whole compile"
    assert _core._arena_stats() == (0, 0)


def make_mutual():
    @njit
    def is_even(n):
        if n == 0:
            return True
        return is_odd(n - 1)

    @njit
    def is_odd(n):
        if n == 0:
            return False
        return is_even(n - 1)
    return is_even, is_odd


def attempt_mutual(n):
    """Mutual recursion with allocation n failing: whichever specializations
    survive a failed compile must work, and both functions must compile
    and run afterwards."""
    is_even, is_odd = make_mutual()
    _core._fail_alloc_after(n)
    try:
        assert is_even(10) is True
    except MemoryError:
        pass
    never_failed = _core._fail_alloc_after(-1) >= 0
    assert is_odd(7) is True
    assert is_even(7) is False
    assert is_even(10) is True
    return never_failed


def test_allocation_failures_in_mutual_recursion():
    n = 0
    while not attempt_mutual(n):
        n += 1
        assert n < 5000
    assert n > 50
    assert _core._arena_stats() == (0, 0)
