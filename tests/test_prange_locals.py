"""locals= declarations inside a prange body (csrc/parallel.c): the
variables keep their declared types on every thread, so parallel=True
computes what the serial function computes (UMAP's smooth_knn_dist, whose
float32 bisection state is declared in locals=)."""
import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from pyjit import njit, prange, types

from difftest import FEW, assert_compiled

LOCALS = {"psum": types.float32, "mid": types.float32}


def bisect_rows(d, target):
    out = np.zeros(d.shape[0], np.float32)
    for i in prange(d.shape[0]):
        mid = 1.0
        lo = 0.0
        hi = 1e30
        for _ in range(40):
            psum = 0.0
            for j in range(d.shape[1]):
                psum += np.exp(-(d[i, j] / mid))
            if psum > target:
                hi = mid
                mid = (lo + hi) / 2.0
            else:
                lo = mid
                mid = mid * 2 if hi >= 1e30 else (lo + hi) / 2.0
        out[i] = mid
    return out


@FEW
@given(st.integers(1, 40), st.integers(1, 12), st.integers(0, 2**31))
def test_parallel_rows_equal_the_serial_ones(rows, cols, seed):
    d = np.random.default_rng(seed).random((rows, cols)).astype(np.float32)
    serial = njit(locals=LOCALS)(bisect_rows)
    parallel = njit(locals=LOCALS, parallel=True)(bisect_rows)
    want = serial(d, 2.5)
    assert np.array_equal(parallel(d, 2.5), want)
    assert_compiled(parallel)
