"""The tests of `if` and `while` with `and`/`or` (csrc/frontend.c,
emit_test): each operand jumps in turn, as CPython compiles them, so an
operand fixed when the function compiles (a closure or global flag) leaves
the code it skips out of the function, as Numba's dead-branch pruning
does."""
import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from pyjit import njit

from difftest import FEW, assert_compiled, check

USE_FLOAT = False


def conditions(a, b, c):
    n = 0
    if a and b:
        n += 1
    if a or b and c:
        n += 10
    if (a or b) and not c:
        n += 100
    if a and (b or c) and a > b:
        n += 1000
    if not (a or c):
        n += 10000
    k = 0
    while (a or b) and k < 7 and not (c and k > 3):
        k += 1
    return n + k * 100000


@FEW
@given(st.integers(-2, 2), st.integers(-2, 2), st.integers(-2, 2))
def test_and_or_in_tests_are_pythons(a, b, c):
    check(njit(conditions), a, b, c)


@FEW
@given(st.floats(-2, 2), st.booleans(), st.integers(-1, 1))
def test_mixed_operand_types(a, b, c):
    check(njit(conditions), a, b, c)


def by_closure_flag(normalize):
    @njit
    def first(q, normalized):
        # with normalize False the division of a uint8 row, of another
        # type than q, is never compiled
        if normalize and not normalized:
            current = q / np.sqrt((q ** 2).sum())
        else:
            current = q
        return current[0]
    return first


def test_a_closure_flag_prunes_what_it_skips():
    q = np.arange(1, 4, dtype=np.uint8)
    f = by_closure_flag(False)
    assert f(q, False) == 1
    assert_compiled(f)


@njit
def by_global_flag(x):
    if USE_FLOAT or x > 100:
        return x
    if x > 0 and USE_FLOAT:
        y = "never typed" + x       # would not type: pruned
        return len(y)
    return -x


def test_a_global_flag_prunes_what_it_skips():
    assert by_global_flag(5) == -5
    assert by_global_flag(500) == 500
    assert_compiled(by_global_flag)
