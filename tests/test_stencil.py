"""@stencil against a plain Python reference that runs the same kernel at
every interior point (its relative indices read through a view of the
point), called from Python, from a jitted function and from a
parallel=True one, with and without out=, in 1, 2 and 3 dimensions."""
import itertools
import math

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given

from difftest import FEW, assert_compiled
from pyjit import (TypingError, get_thread_id, njit, prange,
                   set_num_threads, stencil)
from pyjit._parallel import NUM_THREADS

SCALE = 0.5                     # a global the kernels read
RADIUS = 1                      # a global int used as a constant index


class _At:
    """An array seen from one point: a[-1, 0] reads the element above."""

    def __init__(self, array, point):
        self.array, self.point = array, point

    def __getitem__(self, index):
        index = index if isinstance(index, tuple) else (index,)
        moved = tuple(slice(p + i.start, p + i.stop) if isinstance(i, slice)
                      else p + i for p, i in zip(self.point, index))
        return self.array[moved]


def reference(kernel, args, hood, cval=0, standard=(), out=None):
    """The stencil computed in Python: the kernel at each point whose
    neighborhood is inside the first array; the border is cval, or out's
    own elements when out is given without a cval."""
    first = args[0]
    values = {}
    ranges = [range(-lo, n - hi) for (lo, hi), n in zip(hood, first.shape)]
    for point in itertools.product(*ranges):
        seen = [a if name in standard or not isinstance(a, np.ndarray)
                else _At(a, point)
                for a, name in zip(args, kernel.__code__.co_varnames)]
        values[point] = kernel(*seen)
    if out is None:
        out = np.full(first.shape, np.nan if cval is None else cval,
                      dtype=np.result_type(*values.values())
                      if values else np.float64)
    elif cval is not None:
        out[...] = cval
    for point, v in values.items():
        out[point] = v
    return out


def assert_same_array(got, want):
    assert got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


def weights_closure():
    w = np.array([0.25, 0.5, 0.25])
    offset = 1.5

    @stencil(neighborhood=((-1, 1),))
    def smooth(a):
        s = 0.0
        for i in range(-1, 2):
            s += w[i + 1] * a[i]
        return s + offset + helper(a[0])
    return smooth


@stencil
def cross(a, b):
    return SCALE * (a[0, 1] + a[1, 0] + a[0, -1] + a[-1, 0]) - b[0, 0]


@stencil
def six_point(a):
    return (a[1, 0, 0] + a[-1, 0, 0] + a[0, 1, 0] + a[0, -1, 0]
            + a[0, 0, 1] - a[0, 0, -RADIUS])


smooth = weights_closure()


@njit
def helper(x):
    # defined after the stencil that calls it, as Numba allows
    return x * 0.125


KERNELS = {1: (smooth, ((-1, 1),), 1),
           2: (cross, ((-1, 1), (-1, 1)), 2),
           3: (six_point, ((-1, 1), (-1, 1), (-1, 1)), 1)}


def make_callers(k):
    """The stencil called from a jitted and from a parallel=True
    function, with and without out=."""
    nargs = len(k._params)
    if nargs == 1:
        def plain(a):
            return k(a)

        def into(a, out):
            return k(a, out=out)
    else:
        def plain(a, b):
            return k(a, b)

        def into(a, b, out):
            return k(a, b, out=out)
    return [njit(plain), njit(parallel=True)(plain)], \
        [njit(into), njit(parallel=True)(into)]


CALLERS = {nd: make_callers(KERNELS[nd][0]) for nd in KERNELS}


@st.composite
def grids(draw):
    nd = draw(st.integers(1, 3))
    side = 9 if nd < 3 else 5
    shape = draw(hnp.array_shapes(min_dims=nd, max_dims=nd, min_side=0,
                                  max_side=side))
    a = draw(hnp.arrays(np.float64, shape, elements=st.floats(-100, 100)))
    return nd, a


@FEW
@given(grids())
def test_kernels_match_python_reference(case):
    nd, a = case
    k, hood, nargs = KERNELS[nd]
    args = (a,) if nargs == 1 else (a, a[::-1].copy())
    want = reference(k.__wrapped__, args, hood)
    assert_same_array(k(*args), want)
    plain, into = CALLERS[nd]
    for f in plain:
        assert_same_array(f(*args), want)
        assert_compiled(f)
    sentinel = np.full(a.shape, -7.0)
    want_into = reference(k.__wrapped__, args, hood, cval=None,
                          out=sentinel.copy())
    out = sentinel.copy()
    assert k(*args, out=out) is out
    assert_same_array(out, want_into)
    for f in into:
        out = sentinel.copy()
        assert_same_array(f(*args, out), want_into)
        assert_same_array(out, want_into)
        assert_compiled(f)
    assert_compiled(k.__pyjit_jitted__)


@stencil(cval=1.5)
def int_pair(a):
    return a[0, 1] + a[-1, 0]


@stencil(cval=3)
def float_pair(a):
    return 0.5 * (a[0, 1] + a[-1, 0])


@stencil(cval=np.nan)
def nan_border(a):
    return a[1] - a[-1]


@njit
def int_pair_into(a, out):
    return int_pair(a, out=out)


@njit
def nan_border_jit(x):
    return nan_border(x)


@FEW
@given(hnp.arrays(np.int64, hnp.array_shapes(min_dims=2, max_dims=2,
                                             min_side=0, max_side=8),
                  elements=st.integers(-1000, 1000)))
def test_cval_of_another_type_converts_as_in_numba(a):
    r = int_pair(a)
    assert r.dtype == np.int64
    np.testing.assert_array_equal(
        r, reference(int_pair.__wrapped__, (a,), ((-1, 0), (0, 1)), cval=1))
    f = float_pair(a)
    assert f.dtype == np.float64
    assert_same_array(f, reference(float_pair.__wrapped__, (a,),
                                   ((-1, 0), (0, 1)), cval=3.0))
    out = np.zeros(a.shape, np.float32)
    int_pair_into(a, out)
    # into a given out, the border is cval itself, unconverted (Numba's
    # out[:] = cval)
    np.testing.assert_array_equal(out, reference(
        int_pair.__wrapped__, (a,), ((-1, 0), (0, 1)), cval=1.5,
        out=np.zeros(a.shape, np.float32)))
    x = a[0].astype(np.float64) if a.shape[0] else np.zeros(0)
    got = nan_border_jit(x)
    want = np.full(len(x), np.nan)
    want[1:-1] = x[2:] - x[:-2]
    np.testing.assert_array_equal(got, want)


@njit
def cross_into(a, b, out):
    return cross(a, b, out=out)


@pytest.mark.parametrize("dtype", [np.int32, np.float32, np.complex128,
                                   np.bool_])
def test_out_of_another_dtype_takes_the_values_converted(dtype):
    a = np.arange(30.0).reshape(5, 6) - 11
    b = np.ones((5, 6))
    want = reference(cross.__wrapped__, (a, b), ((-1, 1), (-1, 1)),
                     cval=None, out=np.full((5, 6), 9.0))
    out = np.full((5, 6), 9, dtype)
    cross(a, b, out=out)
    np.testing.assert_array_equal(out, want.astype(dtype))
    out = np.full((5, 6), 9, dtype)
    cross_into(a, b, out)
    np.testing.assert_array_equal(out, want.astype(dtype))


@stencil
def rows_of_threads(a):
    return a[0, 0] * 0 + get_thread_id()


@njit(parallel=True)
def parallel_threads(a):
    return rows_of_threads(a)


@njit
def serial_threads(a):
    return rows_of_threads(a)


@pytest.mark.parametrize("rows", [0, 1, 2, 3, 7, 40])
def test_parallel_caller_runs_the_points_on_every_thread(rows):
    a = np.zeros((rows, 3))
    threads = min(2, NUM_THREADS)
    set_num_threads(threads)
    try:
        ids = parallel_threads(a)[:, 0]
    finally:
        set_num_threads(NUM_THREADS)
    # static scheduling: each thread gets one slice of the outer rows
    assert sorted(set(ids)) == list(range(min(threads, rows)))
    assert list(ids) == sorted(ids)
    assert not serial_threads(a).any()
    assert not rows_of_threads(a).any()


@stencil(standard_indexing=("w",))
def weighted(a, b, w):
    return w[0] * a[-1] + w[1] * b[0] + w[2] * a[1]


@njit
def weighted_jit(a, b, w):
    return weighted(a, b, w)


@FEW
@given(st.integers(0, 12), st.integers(0, 3))
def test_several_inputs_and_standard_indexing(n, extra):
    rng = np.random.default_rng(n * 7 + extra)
    a, b = rng.random(n), rng.random(n + extra)
    w = np.array([0.25, 0.5, 0.25])
    want = np.zeros(n)
    want[1:-1] = 0.25 * a[:-2] + 0.5 * b[1:n - 1] + 0.25 * a[2:]
    assert_same_array(weighted(a, b, w), want)
    f = weighted_jit
    assert_same_array(f(a, b, w), want)
    assert_compiled(f)
    if n:
        with pytest.raises(ValueError, match="'b' is smaller than 'a'"):
            weighted(a, b[:n - 1], w)
        with pytest.raises(ValueError, match="'b' is smaller than 'a'"):
            f(a, b[:n - 1], w)


R_CLOSURE = 2


def constant_kernels():
    c = 2

    @stencil
    def closure_const(a):
        return a[-c] + a[c]

    @stencil
    def local_const(a):
        d = 2
        return a[-d + 1] * 10

    return closure_const, local_const


@pytest.mark.parametrize("n", [0, 1, 2, 3, 4, 5, 11])
def test_lambda_kernels_and_constant_indices(n):
    x = np.arange(n, dtype=np.float64) ** 2
    closure_const, local_const = constant_kernels()
    want = np.zeros(n)
    want[2:-2] = x[:-4] + x[4:]
    assert_same_array(closure_const(x), want)
    want = np.zeros(n)
    want[1:] = x[:-1] * 10
    assert_same_array(local_const(x), want)
    glob = stencil(lambda a: a[-R_CLOSURE] - a[R_CLOSURE])
    want = np.zeros(n)
    want[2:-2] = x[:-4] - x[4:]
    assert_same_array(glob(x), want)
    out = np.full(n, 5.0)
    stencil(lambda a: 0.3 * (a[-1] + a[0] + a[1]))(x, out=out)
    want = np.full(n, 5.0)
    want[1:-1] = 0.3 * (x[:-2] + x[1:-1] + x[2:])
    assert_same_array(out, want)


@stencil(neighborhood=((-2, 0),))
def slice_sum(a):
    return np.sum(a[-2:1])


@njit
def slice_sum_jit(x):
    return slice_sum(x)


@pytest.mark.parametrize("n", [0, 1, 2, 3, 8])
def test_relative_slices(n):
    x = np.arange(n, dtype=np.float64) + 1
    want = np.zeros(n)
    want[2:] = x[:-2] + x[1:-1] + x[2:]
    assert_same_array(slice_sum(x), want)
    assert_same_array(slice_sum_jit(x), want)


@stencil
def complex_kernel(a):
    return a[0, 1] * 1j


@stencil(cval=1j)
def complex_cval(a):
    return a[0, 1] + a[0, -1]


@njit
def cross_self(a):
    return cross(a, a)


def test_errors_name_the_problem():
    a = np.ones((4, 5))
    b = np.ones((4, 5))
    jit_into = cross_into
    with pytest.raises(ValueError, match=r"out= has shape \(3, 5\), the "
                       r"input array has shape \(4, 5\)"):
        cross(a, b, out=np.zeros((3, 5)))
    with pytest.raises(ValueError, match="out= has another shape"):
        jit_into(a, b, np.zeros((4, 4)))
    with pytest.raises(ValueError, match="out= has another number of "
                       "dimensions"):
        jit_into(a, b, np.zeros(20))
    with pytest.raises(ValueError, match="read-only"):
        ro = np.zeros((4, 5))
        ro.flags.writeable = False
        cross(a, b, out=ro)
    with pytest.raises(TypeError, match="out= takes a NumPy array"):
        cross(a, b, out=[1, 2])
    with pytest.raises(TypeError, match="the only one is out="):
        cross(a, b, output=a)
    with pytest.raises(TypeError, match=r"takes 2 argument\(s\)"):
        cross(a)
    with pytest.raises(TypeError, match="first argument is the input array"):
        cross([[1.0]], b)
    with pytest.raises(ValueError, match="kernel is 2-dimensional"):
        cross(np.ones(5), np.ones(5))
    with pytest.raises(ValueError, match="kernel is 2-dimensional"):
        cross_self(np.ones(5))
    with pytest.raises(ValueError, match="another number of dimensions "
                       "than 'a'"):
        cross(a, np.ones(20))
    with pytest.raises(TypingError, match="cannot be stored"):
        complex_kernel(a, out=np.zeros((4, 5)))
    with pytest.raises(TypingError, match="cannot be stored"):
        complex_cval(np.ones((3, 3), np.int64))


def assigns(a):
    a[0] = 1
    return a[0]


def reserved(a, out):
    return a[0]


def open_slice(a):
    return np.sum(a[:1])


def test_bad_kernels_are_refused_with_a_reason():
    with pytest.raises(ValueError, match="assigns to its input array"):
        stencil(assigns)
    with pytest.raises(ValueError, match="'out' is reserved"):
        stencil(reserved)
    with pytest.raises(ValueError, match="needs both bounds"):
        stencil(neighborhood=((-1, 0),))(open_slice)
    with pytest.raises(ValueError, match="neighborhood has 2 dimensions"):
        stencil(neighborhood=((-1, 1), (0, 0)))(lambda a: a[0])
    with pytest.raises(ValueError, match="standard_indexing names"):
        stencil(standard_indexing=("q",))(lambda a: a[0])
    with pytest.raises(TypeError, match="takes a Python function"):
        stencil(math.sqrt)


@stencil
def greater(a):
    return a[1] > a[-1]


@stencil
def pair_sum(a):
    return a[1] + a[-1]


@stencil
def ahead(a):
    return a[3] - a[1]


@stencil
def branches(a):
    if a[0] > 10:
        return a[-1]
    return 0.5


# the result dtypes Numba gives these kernels (its integer sums are 64-bit)
@pytest.mark.parametrize("kernel, dtype, want", [
    (greater, np.float64, np.bool_), (pair_sum, np.float32, np.float32),
    (pair_sum, np.int32, np.int64), (pair_sum, np.uint8, np.uint64),
    (branches, np.int64, np.float64), (ahead, np.float64, np.float64),
    (ahead, np.int8, np.int64)])
@pytest.mark.parametrize("n", [0, 1, 2, 3, 4, 9])
def test_result_dtype_is_the_kernels(kernel, dtype, want, n):
    x = (np.arange(n) * 7 % 13).astype(dtype)
    got = kernel(x)
    assert got.dtype == want
    ref = reference(kernel.__wrapped__, (x,), kernel.neighborhood)
    np.testing.assert_array_equal(got, ref.astype(want))
