"""Constructs QuantEcon's Numba code relies on, checked against the plain
Python / NumPy functions: a gufunc whose layout has no outputs (the kernel
writes into an operand, '(n), (k)'), and the import of Numba's internal
`numba.np.linalg._LAPACK` under the numba alias."""
import os
import subprocess
import sys
import textwrap

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given

from difftest import SETTINGS, assert_compiled
from pyjit import guvectorize
from pyjit._vectorize import kernel_of

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def probvec(r, out):
    """QuantEcon's random.utilities._probvec: sorted uniforms to the gaps
    between them, a point of the simplex written into `out`."""
    n = r.shape[0]
    r.sort()
    out[0] = r[0]
    for i in range(1, n):
        out[i] = r[i] - r[i - 1]
    out[n] = 1 - r[n - 1]


probvec_sig = guvectorize(["(f8[:], f8[:])"], "(n), (k)",
                          nopython=True)(probvec)
probvec_lazy = guvectorize("(n),(k)")(probvec)

uniforms = hnp.arrays(
    np.float64, st.tuples(st.integers(0, 4), st.integers(1, 6)),
    elements=st.floats(0, 1, allow_nan=False, allow_infinity=False))


def expected_probvec(r):
    out = np.empty((r.shape[0], r.shape[1] + 1))
    for row, dst in zip(r.copy(), out):
        probvec(row, dst)
    return out


def test_layout_without_outputs_makes_a_gufunc_with_none():
    assert isinstance(probvec_sig, np.ufunc)
    assert (probvec_sig.nin, probvec_sig.nout) == (2, 0)
    assert_compiled(kernel_of(probvec_sig))


@SETTINGS
@given(uniforms)
def test_kernel_writes_into_an_operand(r):
    want = expected_probvec(r)
    for f in (probvec_sig, probvec_lazy):
        out = np.full(want.shape, np.nan)
        assert f(r.copy(), out) == ()
        np.testing.assert_array_equal(out, want)
    assert_compiled(kernel_of(probvec_sig))


@pytest.mark.parametrize("layout", ["(n)->(n)->(n)", "(n)(k)", "", "->(n)"])
def test_malformed_layouts_are_refused(layout):
    with pytest.raises(ValueError, match="signature|expect"):
        guvectorize(["(f8[:], f8[:])"], layout)(probvec)


LAPACK = """
import numpy as np
from numba import njit
from numba.extending import overload
from numba.np.linalg import _LAPACK

def solve(a, b):
    pass

@overload(solve)
def solve_ol(a, b):
    xgesv = _LAPACK().numba_xgesv(a.dtype)
    def impl(a, b):
        return xgesv(ord("d"), a.shape[0], 1, a.ctypes, a.shape[0],
                     np.empty(a.shape[0], np.int32).ctypes, b.ctypes,
                     a.shape[0])
    return impl

@njit
def use(a, b):
    return solve(a, b)

try:
    use(np.eye(2), np.ones(2))
except Exception as e:
    print(type(e).__name__, "numba_xgesv" in str(e), "np.linalg" in str(e))
"""


def test_numba_internal_lapack_imports_and_says_it_is_missing(tmp_path):
    script = tmp_path / "prog.py"
    script.write_text(textwrap.dedent(LAPACK))
    proc = subprocess.run(
        [sys.executable, "-m", "pyjit", "run", str(script)],
        capture_output=True, text=True, timeout=120,
        env=dict(os.environ, PYTHONPATH=ROOT), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["TypingError", "True", "True"]
