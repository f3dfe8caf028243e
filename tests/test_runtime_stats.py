"""pyjit.runtime.rtsys: counts of the blocks compiled code makes and frees,
as Numba's numba.core.runtime.rtsys gives them."""
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from pyjit import njit
from pyjit.runtime import rtsys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@njit
def builds(n):
    a = np.zeros(n)
    xs = [i for i in range(n)]
    d = {i: a for i in range(3)}
    return a.sum() + len(xs) + len(d)


@njit
def keeps(n):
    return np.ones(n)


@pytest.fixture
def stats_on():
    was = rtsys.memsys_stats_enabled()
    rtsys.memsys_enable_stats()
    yield
    if not was:
        rtsys.memsys_disable_stats()


def test_disabled_by_default_and_says_so():
    code = textwrap.dedent("""
        from pyjit.runtime import rtsys
        try:
            rtsys.get_allocation_stats()
        except RuntimeError as e:
            print("raised", e)
    """)
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYJIT_NRT_STATS", "NUMBA_NRT_STATS")}
    env["PYTHONPATH"] = ROOT
    out = subprocess.run([sys.executable, "-c", code], capture_output=True,
                         text=True, env=env, timeout=60)
    assert out.stdout.strip() == "raised NRT stats are disabled."


def test_a_function_that_frees_what_it_makes(stats_on):
    builds(4)
    before = rtsys.get_allocation_stats()
    for n in range(1, 20):
        builds(n)
    after = rtsys.get_allocation_stats()
    made, freed = after.alloc - before.alloc, after.free - before.free
    assert made >= 19 * 3 and made == freed
    assert after.mi_alloc == after.alloc and after.mi_free == after.free


def test_a_returned_array_is_freed_when_python_drops_it(stats_on):
    keeps(3)
    before = rtsys.get_allocation_stats()
    a = keeps(5)
    mid = rtsys.get_allocation_stats()
    assert mid.alloc - before.alloc == 1 and mid.free == before.free
    del a
    after = rtsys.get_allocation_stats()
    assert after.free - before.free == 1


def test_numba_alias_serves_rtsys():
    code = textwrap.dedent("""
        import pyjit
        pyjit.install_numba_alias()
        from numba.core.runtime import rtsys
        import pyjit.runtime
        print(rtsys is pyjit.runtime.rtsys)
    """)
    env = dict(os.environ, PYTHONPATH=ROOT)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True,
                         text=True, env=env, timeout=60)
    assert out.stdout.strip() == "True", out.stderr


# A view passed straight to a call borrows its array's reference (no count
# of its own): what the callee returns, stores or drops stays counted right.

@njit
def _ident(a):
    return a


@njit
def _keep(lst, a):
    lst.append(a)
    return len(lst)


@njit
def views_to_calls(n):
    x = np.arange(n * 3.0).reshape(3, n)
    v = _ident(x[:, 1])
    kept = [x[:, 2]]
    _keep(kept, x[:, 0][:2])
    x = np.zeros((2, 2))            # the views outlive the name x
    s = v.sum()
    for a in kept:
        s += a.sum()
    return s, _ident(np.ones((2, 3))[1:, 1:])


def test_views_passed_to_calls_are_counted(stats_on):
    got, corner = views_to_calls(4)
    want, want_corner = views_to_calls.py_func(4)
    assert got == want
    np.testing.assert_array_equal(corner, want_corner)
    before = rtsys.get_allocation_stats()
    for _ in range(200):
        views_to_calls(4)
    after = rtsys.get_allocation_stats()
    assert after.alloc - before.alloc == after.free - before.free > 0
