"""@vectorize: real NumPy ufuncs over compiled kernels, compared with the
NumPy expression the kernel computes, over many generated arrays."""
import gc
import math
import weakref

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given

from difftest import FEW, SETTINGS, assert_compiled
from pyjit import DUFunc, float32, float64, int32, int64, njit, vectorize
from pyjit._vectorize import kernel_of


@vectorize(["float64(float64, float64)", "int64(int64, int64)"])
def axpy(x, y):
    return x + 2 * y


@vectorize(["float64(float64, float64)"], identity=0)
def hypot_v(x, y):
    return math.sqrt(x * x + y * y)


@vectorize(["float64(float64)", "float32(float32)"])
def clip_v(x):
    if x > 1.0:
        return 1.0
    elif x < -1.0:
        return -1.0
    return x


def compiled(uf):
    disp = kernel_of(uf)
    assert disp is not None, f"{uf} is not a pyjit ufunc"
    assert_compiled(disp)
    return uf


floats = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False,
                   width=64)
wide = st.floats(allow_nan=True, allow_infinity=True, width=64)
int64s = st.integers(-(2 ** 63), 2 ** 63 - 1)


def arrays(dtype, shape, elements):
    return hnp.arrays(dtype, shape, elements=elements)


# --- what the decorator builds ---

def test_builds_a_real_ufunc():
    assert isinstance(axpy, np.ufunc)
    assert axpy.__name__ == "axpy"
    assert axpy.types == ["dd->d", "ll->l"]
    assert (axpy.nin, axpy.nout, axpy.ntypes) == (2, 1, 2)
    assert axpy.identity is None and hypot_v.identity == 0
    compiled(axpy)


def test_identities():
    @vectorize(["int64(int64, int64)"], identity=1)
    def mul(x, y):
        return x * y

    @vectorize(["int64(int64, int64)"], identity="reorderable")
    def mx(x, y):
        return max(x, y)

    assert mul.reduce(np.zeros(0, np.int64)) == 1
    assert mx.identity is None
    m = np.arange(12).reshape(3, 4) % 5
    assert mx.reduce(m, axis=(0, 1)) == m.max()
    with pytest.raises(ValueError, match="Invalid identity"):
        vectorize(["int64(int64, int64)"], identity=7)(first)


# --- differential tests against NumPy ---

@SETTINGS
@given(hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0,
                                         max_dims=3, min_side=0,
                                         max_side=5).flatmap(
    lambda s: st.tuples(arrays(np.float64, s.input_shapes[0], wide),
                        arrays(np.float64, s.input_shapes[1], wide))))
def test_float_loop_broadcasts_as_numpy(xy):
    x, y = xy
    with np.errstate(all="ignore"):
        np.testing.assert_array_equal(axpy(x, y), x + 2 * y)
        assert axpy(x, y).dtype == np.float64


@SETTINGS
@given(arrays(np.int64, hnp.array_shapes(min_dims=1, max_dims=2,
                                         min_side=0, max_side=8), int64s),
       int64s)
def test_int_loop_wraps_as_numpy(x, y):
    r = axpy(x, np.int64(y))
    assert r.dtype == np.int64
    with np.errstate(all="ignore"):
        np.testing.assert_array_equal(r, x + 2 * np.int64(y))


@SETTINGS
@given(arrays(np.float64, st.integers(0, 40), floats),
       st.integers(1, 4), st.integers(0, 3))
def test_non_contiguous_operands(x, step, start):
    a, b = x[start::step], x[::-1][start::step]
    np.testing.assert_array_equal(hypot_v(a, b), np.sqrt(a * a + b * b))
    m = np.stack([x, x[::-1]])
    np.testing.assert_array_equal(hypot_v(m.T, 1.5),
                                  np.sqrt(m.T * m.T + 2.25))


@SETTINGS
@given(arrays(np.float64, st.integers(0, 30), floats))
def test_out_argument_and_in_place(x):
    out = np.empty_like(x)
    r = axpy(x, x, out=out)
    assert r is out
    np.testing.assert_array_equal(out, 3 * x)
    y = x.copy()
    axpy(y, 1.0, out=y)
    np.testing.assert_array_equal(y, x + 2.0)
    strided = np.zeros(2 * len(x))
    axpy(x, x, out=strided[::2])
    np.testing.assert_array_equal(strided[::2], 3 * x)
    assert not strided[1::2].any()


@SETTINGS
@given(arrays(np.int64, hnp.array_shapes(min_dims=1, max_dims=3,
                                         min_side=0, max_side=5),
              st.integers(-1000, 1000)), st.data())
def test_reduce_and_accumulate(a, data):
    axis = data.draw(st.integers(0, a.ndim - 1))
    # axpy(acc, x) = acc + 2 x: a reduction NumPy's add cannot say, folded
    # from the left as NumPy folds any ufunc.
    if a.shape[axis] > 0:
        first = np.take(a, [0], axis=axis)
        rest = np.take(a, range(1, a.shape[axis]), axis=axis)
        want = np.squeeze(first, axis) + 2 * rest.sum(axis=axis)
        np.testing.assert_array_equal(axpy.reduce(a, axis=axis), want)
        acc = axpy.accumulate(a, axis=axis)
        np.testing.assert_array_equal(np.take(acc, -1, axis=axis), want)
    f = a.astype(np.float64)
    np.testing.assert_array_equal(hypot_v.reduce(f, axis=axis),
                                  _hypot_fold(f, axis))


def _hypot_fold(f, axis):
    acc = np.zeros(np.delete(f.shape, axis))
    for k in range(f.shape[axis]):
        x = np.take(f, k, axis=axis)
        acc = np.sqrt(acc * acc + x * x)
    return acc


@FEW
@given(arrays(np.float64, st.integers(0, 6), floats),
       arrays(np.float64, st.integers(0, 6), floats))
def test_outer_and_at(a, b):
    np.testing.assert_array_equal(axpy.outer(a, b),
                                  a[:, None] + 2 * b[None, :])
    if len(a):
        c = a.copy()
        idx = np.array([0, 0, len(a) - 1])
        axpy.at(c, idx, 1.0)
        want = a.copy()
        for i in idx:
            want[i] = want[i] + 2.0
        np.testing.assert_array_equal(c, want)


@FEW
@given(arrays(np.float32, st.integers(0, 20),
              st.floats(-3, 3, width=32)))
def test_branching_kernel_keeps_float32(x):
    r = clip_v(x)
    assert r.dtype == np.float32
    np.testing.assert_array_equal(r, np.clip(x, -1, 1))
    compiled(clip_v)


# --- type resolution: NumPy's, over the loops in their order ---

_DTYPES = [np.bool_, np.int8, np.uint8, np.int16, np.int32, np.uint32,
           np.int64, np.uint64, np.float16, np.float32, np.float64,
           np.complex64]


def _numpy_choice(loops, dtypes):
    """NumPy's rule: a loop for exactly these dtypes, else the first loop
    every input casts to safely."""
    for ins, out in loops:
        if tuple(map(np.dtype, ins)) == tuple(map(np.dtype, dtypes)):
            return out
    for ins, out in loops:
        if all(np.can_cast(d, i, "safe") for d, i in zip(dtypes, ins)):
            return out
    return None


@pytest.mark.parametrize("da", _DTYPES)
@pytest.mark.parametrize("db", _DTYPES)
def test_type_resolution_is_numpys(da, db):
    a, b = np.ones(3, da), np.ones(3, db)
    want = _numpy_choice([((np.float64,) * 2, np.float64),
                          ((np.int64,) * 2, np.int64)], (da, db))
    if want is None:
        with pytest.raises(TypeError, match="not supported for the input "
                                            "types"):
            axpy(a, b)
    else:
        r = axpy(a, b)
        assert r.dtype == want
        np.testing.assert_array_equal(r, np.full(3, 3, want))


def test_unsupported_inputs_are_numpys_type_error():
    for bad in (np.array(["a", "b"]), np.array([object(), None]),
                np.array([1 + 2j]), np.array(["2020-01-01"], "M8[D]")):
        with pytest.raises(TypeError, match="ufunc 'axpy' not supported"):
            axpy(bad, bad)


def first(x, y):
    return x


def unary(x):
    return x


def untypable(x):
    return x.foo


def muladd(x, y):
    return x * y + 1.0


def test_signature_errors():
    with pytest.raises(TypeError, match="takes 2"):
        vectorize(["float64(float64)"])(first)
    with pytest.raises(TypeError, match="takes and returns numbers"):
        vectorize(["float64(float64[:])"])(unary)
    with pytest.raises(TypeError, match="unknown option 'bogus'"):
        vectorize(["float64(float64)"], bogus=1)(unary)
    with pytest.raises(ValueError, match="Unsupported target"):
        vectorize(["float64(float64)"], target="cuda")(unary)
    with pytest.raises(TypeError, match="invalid signature"):
        vectorize(["float64(flot64)"])(unary)
    from pyjit import TypingError
    with pytest.raises(TypingError, match="foo"):
        vectorize(["float64(float64)"])(untypable)


def test_options_are_accepted():
    for opts in ({"target": "cpu"}, {"target": "parallel"},
                 {"nopython": True}, {"fastmath": True}, {"cache": False}):
        uf = vectorize([float64(float64, float64)], **opts)(muladd)
        np.testing.assert_array_equal(uf(np.arange(4.), 2.0),
                                      np.arange(4.) * 2 + 1)


def test_kernel_exception_propagates():
    @vectorize(["float64(float64)"])
    def checked(x):
        if x > 5:
            raise ValueError("too big")
        return x

    np.testing.assert_array_equal(checked(np.arange(5.)), np.arange(5.))
    with pytest.raises(ValueError, match="too big"):
        checked(np.arange(10.))
    with pytest.raises(ValueError, match="too big"):
        checked(np.arange(20.).reshape(4, 5).T[::2])
    np.testing.assert_array_equal(checked(np.arange(3.)), np.arange(3.))

    @vectorize(["float64(float64, float64)"])
    def checked_add(x, y):
        if y > 5:
            raise ValueError("too big")
        return x + y

    assert checked_add.reduce(np.arange(5.)) == 10.
    with pytest.raises(ValueError, match="too big"):
        checked_add.reduce(np.arange(10.))
    with pytest.raises(ValueError, match="too big"):
        checked_add.accumulate(np.arange(10.))


def test_integer_division_by_zero_is_numpys():
    @vectorize(["int64(int64, int64)", "float64(float64, float64)"])
    def div(x, y):
        return x // y

    with np.errstate(all="ignore"):
        np.testing.assert_array_equal(div(np.arange(4), np.zeros(4, int)),
                                      np.zeros(4, int))
        r = div(np.arange(1., 3.), np.zeros(2))
    assert np.isinf(r).all()


# --- Numba's documentation ---

def test_numba_docs_vectorize_example():
    @vectorize([int32(int32, int32), int64(int64, int64),
                float32(float32, float32), float64(float64, float64)])
    def f(x, y):
        return x + y

    a = np.arange(6)
    np.testing.assert_array_equal(f(a, a), [0, 2, 4, 6, 8, 10])
    a = np.linspace(0, 1, 6)
    np.testing.assert_array_equal(f(a, a), a + a)   # [0., 0.4, ..., 2.]
    a = np.linspace(0, 1 + 1j, 6)
    with pytest.raises(TypeError, match="not supported for the input types"):
        f(a, a)
    a = np.arange(12).reshape(3, 4)
    np.testing.assert_array_equal(f.reduce(a, axis=0), [12, 15, 18, 21])
    np.testing.assert_array_equal(f.reduce(a, axis=1), [6, 22, 38])
    np.testing.assert_array_equal(f.accumulate(a), np.cumsum(a, axis=0))
    np.testing.assert_array_equal(f.accumulate(a, axis=1),
                                  np.cumsum(a, axis=1))
    # nested lists are arrays (of int64) to a ufunc
    np.testing.assert_array_equal(f([[1, 2, 3], [4, 5, 6]],
                                    [[7, 8, 9], [10, 11, 12]]),
                                  [[8, 10, 12], [14, 16, 18]])


def test_numba_docs_dynamic_ufunc():
    @vectorize
    def f(x, y):
        return x * y

    assert isinstance(f, DUFunc)
    assert f.ufunc.types == []
    assert f(3, 4) == 12
    assert f.types == ["ll->l"]
    assert f(1., 2.) == 2.
    assert f.types == ["ll->l", "dd->d"]
    assert isinstance(f.ufunc, np.ufunc)
    assert_compiled(kernel_of(f))


# --- the dynamic ufunc ---

def test_dufunc_grows_only_for_types_no_loop_takes():
    @vectorize
    def g(x, y):
        return x + y

    g(np.arange(3), np.arange(3))
    assert g.types == ["ll->l"]
    g(np.arange(3, dtype=np.int32), np.arange(3, dtype=np.int8))
    assert g.types == ["ll->l"]            # cast safely to int64
    r = g(np.arange(3.), 1)
    assert g.types == ["ll->l", "dl->d"] and r.dtype == np.float64
    g(np.float32(1), np.float32(2))
    assert g.types == ["ll->l", "dl->d", "ff->f"]
    assert (g.nin, g.nout, g.nargs, g.ntypes) == (2, 1, 3, 3)
    np.testing.assert_array_equal(g.reduce(np.arange(5.)), 10.)
    np.testing.assert_array_equal(g.accumulate(np.arange(4)), [0, 1, 3, 6])
    np.testing.assert_array_equal(g.outer(np.arange(2.), np.arange(3.)),
                                  np.add.outer(np.arange(2.), np.arange(3.)))
    c = np.zeros(3, np.uint8)
    g.at(c, [0, 0, 2], np.uint8(1))
    np.testing.assert_array_equal(c, [2, 0, 1])
    assert g.types[-1] == "dd->d"           # from reduce's float64 pair
    with pytest.raises(TypeError, match="not supported"):
        g(np.array(["a"]), np.array(["b"]))
    g.disable_compile()
    with pytest.raises(TypeError, match="not supported"):
        g(np.ones(2, np.complex128), 1j)


@FEW
@given(st.sampled_from([np.int8, np.int16, np.int32, np.int64, np.uint8,
                        np.uint32, np.uint64, np.float32, np.float64,
                        np.complex64, np.complex128, np.bool_]),
       st.integers(0, 12))
def test_dufunc_compiles_a_loop_for_each_dtype(dtype, n):
    @vectorize
    def mul(x, y):
        return x * y

    x = (np.arange(n) % 3).astype(dtype)
    r = mul(x, x)
    assert mul.types == [f"{x.dtype.char * 2}->{r.dtype.char}"]
    # Numba's arithmetic: integers in at least 64 bits, floats keep theirs
    if dtype in (np.float32, np.float64, np.complex64, np.complex128):
        assert r.dtype == dtype
    else:
        assert r.dtype.kind in "iu" and r.dtype.itemsize == 8
    np.testing.assert_array_equal(r, x.astype(r.dtype) * x.astype(r.dtype))


# --- memory ---

def _rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096


@vectorize
def dyn_mul(x, y):
    return x * y


def test_memory_is_flat_over_many_calls():
    x = np.arange(1000.)
    out = np.empty_like(x)
    for _ in range(2000):
        axpy(x, x, out=out)
        dyn_mul(x, 2.0)
    gc.collect()
    before = _rss()
    for _ in range(20000):
        axpy(x, x, out=out)
        axpy(x, 1.0)
        dyn_mul(x, 2.0)
    gc.collect()
    assert _rss() - before < 4 << 20


def test_ufunc_releases_its_kernel():
    def kernel(x):
        return x + 1

    uf = vectorize(["int64(int64)"])(kernel)
    ref = weakref.ref(kernel_of(uf))
    assert uf(np.int64(1)) == 2
    del uf
    gc.collect()
    assert ref() is None


# --- calls from jitted code ---

@vectorize
def dyn_hypot(x, y):
    return math.sqrt(x * x + y * y)


@njit
def both(a, b):
    return axpy(a, b) + dyn_hypot(a, b)


@njit
def on_elements(a):
    s = 0.0
    for i in range(a.shape[0]):
        s += clip_v(a[i]) + axpy(a[i], 1.0)
    return s


@njit
def on_array(a):
    return axpy(a, 1.0)


@SETTINGS
@given(floats, floats)
def test_jitted_call_on_numbers_is_the_kernel(a, b):
    assert both(a, b) == axpy(a, b) + dyn_hypot(a, b)
    assert_compiled(both)


@FEW
@given(st.integers(-10 ** 6, 10 ** 6), st.integers(-10 ** 6, 10 ** 6))
def test_jitted_call_casts_to_a_loop_as_numpy(a, b):
    r = both(a, b)                       # axpy's int64 loop, an exact match
    assert r == (a + 2 * b) + math.sqrt(float(a * a + b * b))


@FEW
@given(arrays(np.float64, st.integers(0, 20), floats))
def test_jitted_call_on_elements(a):
    want = float(np.sum(np.clip(a, -1, 1)) + np.sum(a + 2.0)) if len(a) \
        else 0.0
    assert on_elements(a) == pytest.approx(want, rel=1e-12, abs=1e-9)
    assert_compiled(on_elements)


@njit
def on_arrays(a, b):
    return axpy(a, 1.0) + dyn_hypot(a, b)


@SETTINGS
@given(hnp.array_shapes(min_dims=1, max_dims=3, min_side=0,
                        max_side=5).flatmap(
    lambda s: st.tuples(arrays(np.float64, s, floats),
                        arrays(np.float64, s, floats))),
       st.integers(1, 2))
def test_jitted_call_on_arrays_of_one_shape(ab, step):
    a, b = ab
    a = a[..., ::step]
    b = np.ascontiguousarray(b[..., ::step])
    want = (a + 2.0) + np.sqrt(a * a + b * b)
    r = on_arrays(a, b)
    assert r.shape == want.shape and r.dtype == np.float64
    np.testing.assert_array_equal(r, want)
    np.testing.assert_array_equal(on_array(a), a + 2.0)
    assert_compiled(on_arrays)


@pytest.mark.parametrize("sa, sb", [((2, 3), (3,)), ((3,), (2, 3)),
                                     ((2, 1, 3), (4, 1)), ((2, 3), ()),
                                     ((1,), (5,))])
def test_jitted_call_broadcasts_operands_of_other_shapes(sa, sb):
    rng = np.random.default_rng(len(sa) * 10 + len(sb))
    a, b = rng.standard_normal(sa), rng.standard_normal(sb)
    want = (a + 2.0) + np.sqrt(a * a + b * b)
    r = on_arrays(a, b)
    assert r.shape == want.shape and r.dtype == np.float64
    np.testing.assert_allclose(r, want, rtol=1e-15)
    assert_compiled(on_arrays)


def test_jitted_call_broadcasts_fortran_operands_to_fortran():
    a = np.asfortranarray(np.arange(24.0).reshape(2, 3, 4))
    b = np.asfortranarray(np.arange(12.0).reshape(3, 4) % 5)
    r = on_arrays(a, b)
    np.testing.assert_allclose(r, (a + 2.0) + np.sqrt(a * a + b * b))
    assert r.flags.f_contiguous


def test_jitted_call_on_shapes_that_do_not_broadcast_is_valueerror():
    with pytest.raises(ValueError, match="broadcast"):
        on_arrays(np.zeros((2, 3)), np.zeros(2))


@njit
def ndim_of(x):
    if x.ndim == 0:
        return -1
    return x.ndim


def test_ndim_of_a_number_is_numpys():
    # what the jitted entry of a vectorized function tests, decided by type
    assert ndim_of(1.5) == ndim_of(np.int8(3)) == -1
    assert np.float64(1.5).ndim == 0
    assert ndim_of(np.zeros((2, 3))) == 2
