"""A function compiled as another's callee has its code linked into the
caller; its own machine code is made the first time Python (or a C entry)
needs it.  Each way of reaching it afterwards works."""
import subprocess
import sys
import textwrap

import numpy as np

from pyjit import njit, types
from difftest import assert_compiled


@njit
def scale(x, k):
    return x * k + 1.0


@njit
def total(a, k):
    s = 0.0
    for x in a:
        s += scale(x, k)
    return s


@njit
def apply(f, x):
    return f(x, 2.0)


def test_callee_called_from_python_after_its_caller():
    a = np.arange(5.0)
    assert total(a, 3.0) == sum(x * 3.0 + 1.0 for x in a)
    # scale(float64, float64) was compiled as total's callee
    assert scale(2.0, 3.0) == 7.0
    assert_compiled(scale)
    assert all(ov.entry_point != 0 for ov in scale.overloads.values())


def test_callee_passed_as_a_function_value():
    total(np.ones(2), 1.5)
    assert apply(scale, 4.0) == 9.0


def test_callee_entry_in_the_overloads_is_callable():
    total(np.ones(2), 2.0)
    sig = (types.float64, types.float64)
    entry = scale.overloads[sig].entry_point
    assert entry(2.0, 3.0) == scale(2.0, 3.0)


def test_library_callee_reached_from_python_in_a_fresh_process(tmp_path):
    # np.sort's library function compiles as a callee of the user's
    # function, and the user's function runs; nothing else needs the
    # callee's own code.
    src = tmp_path / "prog.py"
    src.write_text(textwrap.dedent("""
        import numpy as np
        from pyjit import njit

        @njit
        def median_of(a):
            return np.sort(a)[len(a) // 2]

        @njit
        def twice(a):
            return median_of(a) * 2

        a = np.array([5.0, 1.0, 3.0])
        print(twice(a), median_of(a))
    """))
    out = subprocess.run([sys.executable, str(src)], capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["6.0", "3.0"]
