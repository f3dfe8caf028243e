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

_blas_kinds = {np.float32: "s", np.float64: "d"}

def solve(a, b):
    pass

@overload(solve)
def solve_ol(a, b):
    # QuantEcon's util.numba._numba_linalg_solve
    xgesv = _LAPACK().numba_xgesv(a.dtype)
    def impl(a, b):
        n = a.shape[-1]
        nrhs = 1 if b.ndim == 1 else b.shape[-1]
        ipiv = np.empty(n, dtype=np.int32)
        return xgesv(ord("d"), n, nrhs, a.ctypes, n, ipiv.ctypes, b.ctypes, n)
    return impl

@njit
def use(a, b):
    return solve(a, b)

@njit
def orig(a, b):
    return np.linalg.solve(a, b)

a = np.asfortranarray([[3.0, 2, 0], [1, -1, 0], [0, 5, 1]])
for b in (np.array([2.0, 4, -1]), np.asfortranarray([[2.0, 3], [4, 1], [-1, 0]])):
    want = orig(a, b)
    b = b.copy(order="F")
    print(use(a.copy(order="F"), b), np.array_equal(b, want))
singular = np.asfortranarray([[0.0, 1, 2], [3, 4, 5], [3, 5, 7]])
print(use(singular, np.ones(3)) != 0)
try:
    _LAPACK().numba_ez_gelsd(np.float64)
except Exception as e:
    print(type(e).__name__, "numba_xgesv" in str(e), "np.linalg" in str(e))
"""


def test_numba_internal_lapack_solves_as_quantecon_calls_it(tmp_path):
    script = tmp_path / "prog.py"
    script.write_text(textwrap.dedent(LAPACK))
    proc = subprocess.run(
        [sys.executable, "-m", "pyjit", "run", str(script)],
        capture_output=True, text=True, timeout=120,
        env=dict(os.environ, PYTHONPATH=ROOT), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["0", "True", "0", "True", "True",
                                   "TypingError", "True", "True"]
