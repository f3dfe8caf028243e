"""@guvectorize: generalized NumPy ufuncs over compiled kernels, compared
with NumPy over many generated arrays."""
import gc
import os
import pathlib
import subprocess
import sys

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given

from difftest import FEW, SETTINGS, assert_compiled
from pyjit import GUFunc, guvectorize, int64, njit
from pyjit._vectorize import kernel_of


@guvectorize(["void(float64[:], float64, float64[:])",
              "void(int64[:], int64, int64[:])"], "(n),()->(n)")
def add_scalar(x, y, res):
    for i in range(x.shape[0]):
        res[i] = x[i] + y


@guvectorize(["void(float64[:, :], float64[:], float64[:])"],
             "(m,n),(n)->(m)")
def matvec(a, v, out):
    for i in range(a.shape[0]):
        s = 0.0
        for j in range(a.shape[1]):
            s += a[i, j] * v[j]
        out[i] = s


@guvectorize(["void(float64[:], float64[:])"], "(n)->()")
def total(x, out):
    s = 0.0
    for i in range(x.shape[0]):
        s += x[i]
    out[0] = s


floats = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)


def test_builds_a_real_gufunc():
    assert isinstance(add_scalar, np.ufunc)
    assert add_scalar.signature == "(n),()->(n)"
    assert add_scalar.types == ["dd->d", "ll->l"]
    assert (add_scalar.nin, add_scalar.nout) == (2, 1)
    assert_compiled(kernel_of(add_scalar))


@SETTINGS
@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3,
                                               min_side=0, max_side=5),
                  elements=floats), floats)
def test_scalar_core_operand(x, y):
    np.testing.assert_array_equal(add_scalar(x, y), x + y)
    xi = x.astype(np.int64)
    r = add_scalar(xi, np.int64(3))
    assert r.dtype == np.int64
    np.testing.assert_array_equal(r, xi + 3)


@SETTINGS
@given(st.integers(0, 4), st.integers(0, 4), st.integers(1, 3),
       st.integers(0, 3), st.data())
def test_matvec_loops_over_broadcast_dimensions(m, n, step, outer, data):
    a = data.draw(hnp.arrays(np.float64, (outer, m, n * step),
                             elements=floats))[..., ::step]
    v = data.draw(hnp.arrays(np.float64, (n,), elements=floats))
    want = np.array([[sum(r[j] * v[j] for j in range(n)) for r in mat]
                     for mat in a]).reshape(outer, m)
    np.testing.assert_allclose(matvec(a, v), want, rtol=1e-12, atol=1e-9)
    out = np.empty((outer, m))
    assert matvec(a, v, out=out) is out
    np.testing.assert_allclose(out, want, rtol=1e-12, atol=1e-9)


@FEW
@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3,
                                               min_side=0, max_side=6),
                  elements=floats))
def test_scalar_output_is_a_one_element_array(x):
    np.testing.assert_allclose(total(x), x.sum(axis=-1), atol=1e-9)
    assert total(x).shape == x.shape[:-1]


def test_scalar_operand_as_a_one_element_array():
    @guvectorize(["void(float64[:], float64[:], float64[:])"], "(n),()->(n)")
    def shift(x, y, res):
        for i in range(x.shape[0]):
            res[i] = x[i] + y[0]

    np.testing.assert_array_equal(shift(np.arange(5.), 2.), np.arange(5.) + 2)
    np.testing.assert_array_equal(
        shift(np.arange(6.).reshape(2, 3), np.array([10., 20.])),
        [[10, 11, 12], [23, 24, 25]])


def test_c_contiguous_operands_are_checked():
    @guvectorize(["void(float64[::1], float64[::1])"], "(n)->(n)")
    def double(x, out):
        for i in range(x.shape[0]):
            out[i] = 2 * x[i]

    x = np.arange(10.)
    np.testing.assert_array_equal(double(x), 2 * x)
    np.testing.assert_array_equal(double(x.reshape(2, 5)), 2 * x.reshape(2, 5))
    with pytest.raises(ValueError, match="not contiguous"):
        double(x[::2])


def test_kernel_exception_propagates():
    @guvectorize(["void(float64[:], float64[:])"], "(n)->(n)")
    def checked(x, out):
        for i in range(x.shape[0]):
            if x[i] < 0:
                raise ValueError("negative")
            out[i] = x[i]

    np.testing.assert_array_equal(checked(np.arange(3.)), np.arange(3.))
    with pytest.raises(ValueError, match="negative"):
        checked(np.array([[1., 2.], [3., -1.]]))


def test_numba_docs_guvectorize_example():
    @guvectorize([(int64[:], int64, int64[:])], "(n),()->(n)")
    def g(x, y, res):
        for i in range(x.shape[0]):
            res[i] = x[i] + y

    a = np.arange(5)
    np.testing.assert_array_equal(g(a, 2), [2, 3, 4, 5, 6])
    a = np.arange(6).reshape(2, 3)
    np.testing.assert_array_equal(g(a, 10), [[10, 11, 12], [13, 14, 15]])
    np.testing.assert_array_equal(g(a, np.array([10, 20])),
                                  [[10, 11, 12], [23, 24, 25]])
    # a signature of argument types only
    g2 = guvectorize([("float64[:], float64, float64[:]")], "(n),()->(n)")(
        add_scalar_kernel)
    np.testing.assert_array_equal(g2(np.arange(3.), 1.), [1., 2., 3.])


def add_scalar_kernel(x, y, res):
    for i in range(x.shape[0]):
        res[i] = x[i] + y


def test_signature_errors():
    with pytest.raises(TypeError, match="operand 2 .* an array type"):
        guvectorize(["void(float64[:], float64, float64)"],
                    "(n),()->(n)")(add_scalar_kernel)
    with pytest.raises(TypeError, match="does not fit"):
        guvectorize(["void(float64[:, :], float64, float64[:])"],
                    "(n),()->(n)")(add_scalar_kernel)
    with pytest.raises(TypeError, match="3 operands"):
        guvectorize(["void(float64[:], float64[:])"],
                    "(n),()->(n)")(add_scalar_kernel)
    with pytest.raises(TypeError, match="2 operands"):   # no outputs
        guvectorize(["void(float64[:], float64, float64[:])"],
                    "(n),()")(add_scalar_kernel)
    with pytest.raises(ValueError, match="invalid gufunc signature"):
        guvectorize(["void(float64[:], float64, float64[:])"],
                    "(n),()->(n)->(n)")(add_scalar_kernel)


def test_dynamic_gufunc_compiles_per_dtypes():
    @guvectorize("(n),()->(n)")
    def g(x, y, res):
        for i in range(x.shape[0]):
            res[i] = x[i] * y

    assert isinstance(g, GUFunc)
    with pytest.raises(TypeError, match="pass the output arrays"):
        g(np.arange(3.), 2.)
    out = np.empty(3)
    g(np.arange(3.), 2., out)
    np.testing.assert_array_equal(out, [0., 2., 4.])
    assert g.types == ["dd->d"]
    np.testing.assert_array_equal(g(np.arange(3.), 3.), [0., 3., 6.])
    outi = np.empty(4, np.int64)
    g(np.arange(4), 5, out=outi)
    np.testing.assert_array_equal(outi, np.arange(4) * 5)
    assert g.types == ["dd->d", "ll->l"]
    assert g.signature == "(n),()->(n)"
    assert_compiled(kernel_of(g))


def _rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096


def test_memory_is_flat_over_many_calls():
    a = np.arange(600.).reshape(20, 30)
    for _ in range(1000):
        add_scalar(a, 1.0)
        matvec(a, a[0])
    gc.collect()
    before = _rss()
    for _ in range(10000):
        add_scalar(a, 1.0)
        matvec(a, a[0])
    gc.collect()
    assert _rss() - before < 4 << 20


# --- calls from jitted code ---

@guvectorize("(n)->(n)")
def copy_dyn(x, res):
    for i in range(x.shape[0]):
        res[i] = x[i]


@njit
def jit_copy(x, res):
    copy_dyn(x, res)


@njit
def jit_matvec(a, v, out):
    matvec(a, v, out)
    return out.sum()


@njit
def jit_add_scalar(x, y, out):
    add_scalar(x, y, out)


def test_numba_docs_gufunc_from_jit():
    res = np.zeros(5)
    assert jit_copy(np.arange(5.0), res) is None
    np.testing.assert_array_equal(res, np.arange(5.0))
    assert_compiled(jit_copy)


@FEW
@given(st.integers(0, 5), st.integers(0, 5), st.data())
def test_jitted_call_with_core_dimensions(m, n, data):
    a = data.draw(hnp.arrays(np.float64, (m, n), elements=floats))
    v = data.draw(hnp.arrays(np.float64, (n,), elements=floats))
    out = np.empty(m)
    s = jit_matvec(a, v, out)
    np.testing.assert_allclose(out, matvec(a, v), rtol=1e-12, atol=1e-9)
    assert s == pytest.approx(out.sum(), rel=1e-12, abs=1e-9)
    x = a.ravel()
    r = np.empty_like(x)
    jit_add_scalar(x, 2.5, r)
    np.testing.assert_array_equal(r, x + 2.5)


def test_jitted_call_with_loop_dimensions_says_what_to_do():
    with pytest.raises(TypeError, match="takes arrays of exactly its core "
                                        "dimensions"):
        jit_copy(np.zeros((2, 3)), np.zeros((2, 3)))


@guvectorize(["void(float64[:], float64[:], float64[:], float64[:])"],
             "(n),(n),(p)->(p)")
def squared_distance_map(x, y, _, out):
    # sgkit's euclidean map: a sum over the pairs with no missing value
    s = 0.0
    for i in range(x.shape[0]):
        if x[i] >= 0 and y[i] >= 0:
            s += (x[i] - y[i]) ** 2
    out[:] = s


def squared_distance_map_py(x):
    out = np.zeros((len(x), len(x), 2))
    for a in range(len(x)):
        for b in range(len(x)):
            s = 0.0
            for i in range(x.shape[1]):
                if x[a, i] >= 0 and x[b, i] >= 0:
                    s += (x[a, i] - x[b, i]) ** 2
            out[a, b] = s
    return out


@FEW
@given(st.integers(0, 4), st.integers(0, 11), st.integers(0, 2**32 - 1))
def test_pairs_of_rows_with_missing_values(rows, n, seed):
    # every core length around the unrolled loop's multiples
    x = np.random.default_rng(seed).standard_normal((rows, n))
    x[x > 1.5] = np.nan
    got = squared_distance_map(x[:, None, :], x[None, :, :], np.empty(2))
    np.testing.assert_array_equal(got, squared_distance_map_py(x))


def test_the_kernels_loop_is_unrolled_in_the_ufuncs_loop():
    # the ufunc's loop, with the kernel inlined, is optimized as a compile
    # is: the small loop over the core gets a count, and LLVM marks the
    # loops it unrolled (PYJIT_DUMP=opt prints the loop's module)
    code = (
        "import numpy as np\n"
        "from pyjit import guvectorize\n"
        "@guvectorize(['void(float64[:], float64[:], float64[:])'],\n"
        "             '(n),(n)->()')\n"
        "def dist(x, y, out):\n"
        "    s = 0.0\n"
        "    for i in range(x.shape[0]):\n"
        "        if x[i] >= 0 and y[i] >= 0:\n"
        "            s += (x[i] - y[i]) ** 2\n"
        "    out[0] = s\n"
        "print(dist(np.arange(5.0), np.ones(5)))\n")
    env = dict(os.environ, PYJIT_DUMP="opt",
               PYTHONPATH=str(pathlib.Path(__file__).parent.parent))
    proc = subprocess.run([sys.executable, "-c", code], env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "15.0"
    loops = proc.stderr.split("---- optimized LLVM IR: pj_ufunc_loop_")
    assert len(loops) == 2, proc.stderr[-2000:]
    assert "llvm.loop.unroll.disable" in loops[1]
