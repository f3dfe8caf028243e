"""A name that holds values of unrelated types one after the other: each
group of assignments that can reach a common use (a web) is typed on its
own, as Numba types its SSA versions.  Differential against the plain
Python function, each checking it compiled in nopython mode."""
import io
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import pyjit
from pyjit import njit, prange, literal_unroll
from pyjit.errors import TypingError

from difftest import (FEW, assert_compiled, assert_same, mod_floats,
                      rss_limit, small_ints)


@njit
def reversed_view(n):
    # STUMPY's stump: a 3-d array, then a 2-d view of it under the same name
    I = np.full((n, 2, 3), -1, np.int64)
    for i in range(n):
        I[i, 1, :] = i
    I = I[0, :, ::-1]
    return I.sum(), I.shape[0], I.ndim


@njit
def changing_types(n):
    x = n
    a = x * 2
    x = n / 3
    b = x * 2
    x = (n, 1.5)
    c = x[0] + x[1]
    x = "s" * (n % 4)
    return a, b, c, x


@njit
def loop_carried(n):
    x = 0
    for i in range(n):
        x = x + 0.5
    return x


@njit
def loop_private(a):
    t = a.sum()
    out = np.empty(a.shape[0])
    for i in range(a.shape[0]):
        t = a[i] * 2          # assigned before any use: its own web
        out[i] = t
    t = len(out) > 3         # a bool now
    return out, t


@njit
def merge_after_branch(c, n):
    if c:
        x = n
    else:
        x = n * 0.25
    return x


@njit
def caught_value(a):
    x = 0.5
    try:
        x = 10 // a           # joined with x = 0.5 at the handler: float64
        y = x + 1
    except ZeroDivisionError:
        return -1.0, x
    x = "after"               # a web of its own
    return y, len(x)


@njit
def inner_function_sees_latest(n):
    x = n

    def twice():
        return x * 2

    a = twice()
    x = n * 1.5
    b = twice()
    return a, b


@njit
def unrolled(n):
    s = 0.0
    for v in literal_unroll((1, 2.5, 3)):
        w = v * n
        s += w
    w = "done"
    return s, w


@njit(parallel=True)
def prange_private(a):
    t = 0.0
    out = np.empty_like(a)
    for i in prange(a.shape[0]):
        t = a[i] + 1.0
        out[i] = t * t
    t = out.sum()
    return out, t


@njit(parallel=True)
def prange_reduction(a):
    s = 0.0
    for i in prange(a.shape[0]):
        s += a[i]
    s = s * 2.0
    return s


@FEW
@given(n=st.integers(1, 40))
def test_array_then_view_of_other_ndim(n):
    assert reversed_view(n) == reversed_view.py_func(n)
    assert_compiled(reversed_view)


@FEW
@given(n=small_ints)
def test_each_assignment_keeps_its_type(n):
    got = changing_types(n)
    assert_same(got, changing_types.py_func(n))
    assert type(got[0]) is int          # not widened to the later float
    assert_compiled(changing_types)


@FEW
@given(n=st.integers(0, 50))
def test_loop_carried_variable_is_one_web(n):
    # Both assignments reach the return: float64 even for n == 0, as in Numba.
    got = loop_carried(n)
    assert type(got) is float and got == loop_carried.py_func(n)
    assert_compiled(loop_carried)


@FEW
@given(a=st.lists(mod_floats, min_size=0, max_size=20))
def test_variable_assigned_before_use_in_a_loop(a):
    arr = np.array(a, dtype=np.float64)
    got, t = loop_private(arr)
    exp, te = loop_private.py_func(arr)
    np.testing.assert_array_equal(got, exp)
    assert t is te
    assert_compiled(loop_private)


@FEW
@given(c=st.booleans(), n=small_ints)
def test_branches_meeting_are_unified_as_in_numba(c, n):
    # Both assignments reach the return: one web, float64 (Numba's type).
    got = merge_after_branch(c, n)
    assert type(got) is float and got == merge_after_branch.py_func(c, n)
    assert_compiled(merge_after_branch)


@FEW
@given(a=st.integers(-5, 5))
def test_assignment_in_try_reaches_the_handler(a):
    assert_same(caught_value(a), caught_value.py_func(a), strict_type=False)
    assert_compiled(caught_value)


@FEW
@given(n=small_ints)
def test_inner_function_reads_the_value_at_call_time(n):
    assert_same(inner_function_sees_latest(n),
                inner_function_sees_latest.py_func(n), strict_type=False)
    assert_compiled(inner_function_sees_latest)


@FEW
@given(n=mod_floats)
def test_literal_unroll_body_and_later_assignment(n):
    assert_same(unrolled(n), unrolled.py_func(n))
    assert_compiled(unrolled)


@FEW
@given(a=st.lists(mod_floats, min_size=0, max_size=40))
def test_prange_private_and_reduction_names_reused(a):
    arr = np.array(a, dtype=np.float64)
    out, t = prange_private(arr)
    exp, te = prange_private.py_func(arr)
    np.testing.assert_array_equal(out, exp)
    assert t == pytest.approx(te)
    assert prange_reduction(arr) == pytest.approx(prange_reduction.py_func(arr))
    assert_compiled(prange_private)
    assert_compiled(prange_reduction)


def test_declared_local_applies_to_every_web():
    @njit(locals={"x": pyjit.float64})
    def f(a):
        x = a
        y = x / 2
        x = a + 1
        return x, y

    assert f(3) == (4.0, 1.5)
    assert type(f(3)[0]) is float
    assert_compiled(f)


def test_generator_reassigning_a_name():
    @njit
    def gen(n):
        x = n
        yield x
        x = n * 0.5
        yield x

    assert list(gen(4)) == list(gen.py_func(4))


def test_webs_that_meet_must_still_unify():
    @njit
    def f(c, n):
        x = np.zeros(n)
        if c:
            x = np.zeros((n, n))
        return x.sum()

    with pytest.raises(TypingError, match="Cannot unify"):
        f(True, 3)


@njit
def scalar_or_row_stat(test_stat, reference):
    # esda's significance._permutation_significance (pysal/esda,
    # esda/significance.py): a scalar argument becomes an array under the
    # same name, in a branch its type decides
    n = reference.shape[0]
    if isinstance(test_stat, (int, float)):
        test_stat = np.ones((n,)) * test_stat
    return (reference.T >= test_stat).sum(axis=0)


@njit
def out_or_new(a, out=None):
    # the default-None output: an array after the branch either way
    if out is None:
        out = np.empty_like(a)
    for i in range(a.shape[0]):
        out[i] = a[i] * 2.0
    return out


@njit
def ints_unless_float(x):
    # a branch ruled out by the argument's type assigns a type the rest of
    # the function could not unify with; it is never typed
    if not isinstance(x, float):
        x = str(x)
    return x


@FEW
@given(n=st.integers(1, 6), p=st.integers(1, 5), t=mod_floats)
def test_branch_decided_by_a_reassigned_arguments_type(n, p, t):
    ref = np.arange(n * p, dtype=np.float64).reshape(n, p) / 3.0
    for stat in (t, np.full(n, t)):
        got = scalar_or_row_stat(stat, ref)
        np.testing.assert_array_equal(got,
                                      scalar_or_row_stat.py_func(stat, ref))
    assert_compiled(scalar_or_row_stat)


@FEW
@given(a=st.lists(mod_floats, min_size=0, max_size=12))
def test_default_none_output_becomes_an_array(a):
    arr = np.array(a, dtype=np.float64)
    np.testing.assert_array_equal(out_or_new(arr), out_or_new.py_func(arr))
    mine = np.zeros_like(arr)
    assert out_or_new(arr, mine) is mine
    np.testing.assert_array_equal(mine, arr * 2.0)
    assert_compiled(out_or_new)
    # with out=None the output is the array of the branch, not Optional
    sigs = [str(s) for s in out_or_new.nopython_signatures]
    assert any("none" in s and "-> array(float64, 1d, C)" in s for s in sigs)


def test_branch_ruled_out_is_not_typed():
    assert ints_unless_float(2.5) == 2.5
    assert_compiled(ints_unless_float)


def test_inspect_types_names_the_webs():
    reversed_view(2)
    buf = io.StringIO()
    reversed_view.inspect_types(file=buf)
    out = buf.getvalue()
    assert "I.1" in out
    assert "array(int64, 3d, C)" in out and "array(int64, 2d, A)" in out


_FLAT = textwrap.dedent("""
    import resource, numpy as np
    from pyjit import njit

    def rss():
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * resource.getpagesize()

    @njit
    def f(n):
        x = np.arange(n)
        x = x[1:]
        y = x.sum()
        x = [y, y]
        x = (x, np.ones(n))
        return x[1].sum()

    for _ in range(20_000):
        f(8)
    before = rss()
    for _ in range(300_000):
        f(8)
    print(rss() - before)
""")


def test_memory_stays_flat_over_many_calls(tmp_path):
    script = tmp_path / "flat.py"
    script.write_text(_FLAT)
    grown = int(subprocess.run([sys.executable, str(script)], capture_output=True,
                               text=True, check=True).stdout)
    assert grown < rss_limit(4 << 20), grown
