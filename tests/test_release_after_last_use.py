"""A variable holding an array lets it go right after its last use
(csrc/lower.c, release_dead), as Numba deletes a variable after its last
use: a function making one big temporary after another holds one at a
time, not all of them until it returns.  The peak is measured in a fresh
process; the differential tests cover arrays read again after branches,
in loops, in an except clause, through views and in what is returned.  A
tuple of arrays lets its arrays go after its last use too (`stack, size =
push(stack, x, size)`), and so do the tuples read by iteration,
unpacking, literal_unroll, zip and enumerate."""
import subprocess
import sys
import textwrap

import hypothesis.strategies as st
import numpy as np
from hypothesis import given

from difftest import FEW, assert_compiled
from pyjit import literal_unroll, njit

PEAK_SCRIPT = textwrap.dedent("""
    import resource
    import numpy as np
    from pyjit import njit

    @njit
    def chain(a):
        s = 0.0
        b = a + 1.0
        s += b[0]
        c = (a - 2.0) * 3.0
        s += c[-1]
        d = np.sqrt(a + 3.0)
        s += d[1]
        e = a * a + 4.0
        s += e[2]
        return s

    chain(np.ones(3))
    a = np.ones(5_000_000)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    value = chain(a)
    grew = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    print(value, grew * 1024 / a.nbytes)
""")


def test_temporaries_are_held_one_at_a_time():
    out = subprocess.run([sys.executable, "-c", PEAK_SCRIPT],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    value, arrays_at_peak = out.stdout.split()
    assert float(value) == 2.0 + -3.0 + 2.0 + 5.0
    # four temporaries of a's size, held one at a time (they took 4)
    assert float(arrays_at_peak) < 2.0, out.stdout


@njit
def after_a_branch(a, flag):
    t = a * 2.0
    u = a + 1.0
    if flag:
        return t.sum()
    return (t + u).sum()


@njit
def in_a_loop(a, n):
    acc = np.zeros_like(a)
    t = a + 0.5
    for i in range(n):
        acc += t
        t = t * 0.5
    return acc


@njit
def read_in_except(a, i):
    t = a * 3.0
    try:
        if i >= len(a):
            raise IndexError("past the end")
        return a[i]
    except IndexError:
        return t.sum()


@njit
def views_of_a_temporary(a):
    t = a + 1.0
    v = t[1:]
    w = t.reshape(-1)[0]
    return v.sum() + w


@njit
def returned_after_use(a):
    t = a - 1.0
    s = t.sum()
    u = t * s
    return u, t


@FEW
@given(st.lists(st.floats(-100, 100), min_size=1, max_size=8),
       st.booleans(), st.integers(0, 5))
def test_arrays_used_again_stay(values, flag, n):
    """Against the plain functions (sums to rounding: NumPy's are
    pairwise)."""
    a = np.array(values)
    close = np.testing.assert_allclose
    close(after_a_branch(a, flag), after_a_branch.py_func(a, flag),
          rtol=1e-12, atol=1e-9)
    np.testing.assert_array_equal(in_a_loop(a, n), in_a_loop.py_func(a, n))
    close(read_in_except(a, n), read_in_except.py_func(a, n), rtol=1e-12,
          atol=1e-9)
    close(views_of_a_temporary(a), views_of_a_temporary.py_func(a),
          rtol=1e-12, atol=1e-9)
    for g, w in zip(returned_after_use(a), returned_after_use.py_func(a)):
        close(g, w, rtol=1e-12, atol=1e-9)
    for f in (after_a_branch, in_a_loop, read_in_except,
              views_of_a_temporary, returned_after_use):
        assert_compiled(f)


PAIR_PEAK_SCRIPT = textwrap.dedent("""
    import resource
    import numpy as np
    from pyjit import njit

    @njit
    def make(n, i):
        return np.full(n, float(i)), i

    @njit
    def pairs(n, m):
        s = 0.0
        for i in range(m):
            a, k = make(n, i)
            s += a[-1] + k
        return s

    pairs(3, 2)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    value = pairs(5_000_000, 4)
    grew = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    print(value, grew * 1024 / 40_000_000)
""")


def test_a_returned_pair_lets_its_array_go_after_unpacking():
    # before, the pair held the array of the last round while the next
    # one was made: two at the peak
    out = subprocess.run([sys.executable, "-c", PAIR_PEAK_SCRIPT],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    value, arrays_at_peak = out.stdout.split()
    assert float(value) == 2 * (0 + 1 + 2 + 3)
    assert float(arrays_at_peak) < 1.5, out.stdout


@njit(inline="always")
def push(stack, value, size):
    if size >= len(stack):
        bigger = np.empty(2 * len(stack), dtype=stack.dtype)
        bigger[:size] = stack[:size]
        stack = bigger
    stack[size] = value
    return stack, size + 1


@njit
def walk(depth, fanout):
    # a depth-first walk over an implicit tree, celltree's stack pattern
    stack = np.empty(2, dtype=np.int64)
    stack[0] = 0
    size = 1
    total = 0
    while size > 0:
        node = stack[size - 1]
        size -= 1
        total += node
        if node < depth:
            for k in range(fanout):
                stack, size = push(stack, node + 1 + k, size)
    return total


@njit
def tuples_read_later(n):
    t = (np.ones(n), np.full(n, 2.0))
    s = 0.0
    for a in t:
        b = np.zeros(n)
        s += a.sum() + b.sum()
    x, y = t
    z = np.zeros(n)
    s += x.sum() * y.sum() + z.sum()
    for k, a in enumerate((np.ones(n), np.full(n, 3.0))):
        s += a.sum() * k
    for a, b in zip((np.ones(n), np.full(n, 2.0)), (np.ones(n), np.ones(n))):
        s += a.sum() - b.sum()
    u = (np.ones(n), 3, np.full(n, 2.0))
    for a in literal_unroll(u):
        s += np.asarray(a).sum()
    return s


@FEW
@given(st.integers(0, 6), st.integers(1, 3), st.integers(0, 5))
def test_tuples_of_arrays_let_go_after_their_last_use(depth, fanout, n):
    assert walk(depth, fanout) == walk.py_func(depth, fanout)
    assert tuples_read_later(n) == tuples_read_later.py_func(n)
    assert_compiled(walk)
    assert_compiled(tuples_read_later)
