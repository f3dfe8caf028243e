"""A function first compiled as the callee of another is optimized in its
callers, and on its own only when it is needed on its own: called from
Python, or inspected.  Either way it runs the same and shows optimized,
vectorized code."""
import re

import numpy as np

from pyjit import njit

from difftest import assert_compiled


@njit
def scale_into(out, a, s):
    for i in range(a.size):
        out[i] = a[i] * s


@njit
def scaled_sum(a):
    out = np.empty_like(a)
    scale_into(out, a, 3.0)
    return out.sum()


def vectorized(ir):
    return re.search(r"<\d+ x double>", ir) is not None


def test_callee_inspected_after_its_caller_compiled_is_optimized():
    a = np.arange(100.0)
    assert scaled_sum(a) == scaled_sum.py_func(a)
    sig = scale_into.signatures[0]
    ir = scale_into.inspect_llvm(sig)
    assert vectorized(ir)
    assert "vmulpd" in scale_into.inspect_asm(sig) or "mulpd" in \
        scale_into.inspect_asm(sig)
    assert vectorized(scaled_sum.inspect_llvm(scaled_sum.signatures[0]))


def test_callee_called_from_python_afterwards():
    a = np.linspace(-1, 1, 37)
    assert scaled_sum(a) == scaled_sum.py_func(a)
    out, want = np.empty_like(a), np.empty_like(a)
    scale_into(out, a, -2.5)            # its own entry, made now
    scale_into.py_func(want, a, -2.5)
    np.testing.assert_array_equal(out, want)
    assert_compiled(scale_into)
    assert_compiled(scaled_sum)
