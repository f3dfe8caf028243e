"""Element-wise operations, fused expressions and reductions over arrays of
any strides against NumPy: seeded shapes of 1 to 4 dimensions (with
dimensions of 0 and 1), C and F arrays, views with steps (negative ones
among them), transposes, operands broadcast by a dimension of 1, by fewer
dimensions or by a stride of 0 (np.broadcast_to), in several dtypes; each
function checked to compile in nopython mode.

Element-wise results are exact, but for complex products, whose rounding
differs from NumPy's in the last bit however the arrays are laid out
(compared to 1e-13).  A sum adds one element after another
where NumPy adds pairwise, and an F expression is summed in the order of
its memory: float sums are compared to a tolerance scaled by the sum of
the magnitudes."""
import numpy as np
import pytest

from pyjit import njit, set_parallel_chunksize

pytestmark = pytest.mark.filterwarnings("ignore:Mean of empty slice",
                                        "ignore:invalid value encountered")

from difftest import assert_compiled
from np_arrays import assert_same_array

DTYPES = [np.float64, np.float32, np.int64, np.int32, np.bool_,
          np.complex128]
LAYOUTS = ["C", "F", "strided", "reversed", "T"]
# how the second operand is broadcast against the first
BROADCASTS = ["none", "ones", "fewer", "stride0"]
SEEDS = range(48)


def shape_for(rng, nd):
    """Dimensions of 0 to 5, mostly 2 to 5, sometimes 1 or 0."""
    sides = rng.choice([0, 1, 2, 3, 4, 5], size=nd,
                       p=[0.06, 0.14, 0.2, 0.2, 0.2, 0.2])
    return tuple(int(s) for s in sides)


def values(rng, shape, dtype):
    if dtype == np.bool_:
        return rng.random(shape) < 0.6
    if np.issubdtype(dtype, np.integer):
        return rng.integers(-3, 4, size=shape).astype(dtype)
    x = rng.uniform(-1.5, 1.5, size=shape)
    if dtype == np.complex128:
        x = x + 1j * rng.uniform(-1.5, 1.5, size=shape)
    return x.astype(dtype)


def view(rng, shape, dtype, layout):
    """A writable array of `shape` in `layout` over fresh memory."""
    if layout == "C":
        return values(rng, shape, dtype)
    if layout == "F":
        return np.asfortranarray(values(rng, shape, dtype))
    if layout == "T":
        return values(rng, shape[::-1], dtype).T
    steps = [int(rng.choice([2, 3, -1, -2])) for _ in shape]
    if layout == "reversed":
        steps = [-1] * len(shape)
    base = values(rng, tuple(abs(s) * n + 1 for s, n in zip(steps, shape)),
                  dtype)
    index = tuple(slice(0, abs(s) * n, s) if s > 0 or n == 0
                  else slice(abs(s) * n - 1, None, s)
                  for s, n in zip(steps, shape))
    v = base[index]
    assert v.shape == shape, (v.shape, shape)
    return v


def operand_b(rng, shape, dtype, layout, how):
    """The second operand: of `shape`, or broadcast to it."""
    if how == "ones" and shape:
        small = tuple(1 if rng.random() < 0.5 else n for n in shape)
        return view(rng, small, dtype, layout)
    if how == "fewer" and len(shape) > 1:
        return view(rng, shape[1:], dtype, layout)
    if how == "stride0" and shape:
        small = (1,) + shape[1:]
        return np.broadcast_to(view(rng, small, dtype, layout), shape)
    return view(rng, shape, dtype, layout)


def case(seed):
    rng = np.random.default_rng(1000 + seed)
    dtype = DTYPES[seed % len(DTYPES)]
    nd = 1 + (seed // len(DTYPES)) % 4
    shape = shape_for(rng, nd)
    la, lb = (LAYOUTS[int(i)] for i in rng.integers(0, len(LAYOUTS), 2))
    if seed % 3 == 0:
        lb = la             # F with F, C with C: the fastest loops
    how = BROADCASTS[int(rng.integers(0, len(BROADCASTS)))]
    a = view(rng, shape, dtype, la)
    b = operand_b(rng, shape, dtype, lb, how)
    return a, b, f"seed {seed}: {dtype.__name__} {shape} {la}/{lb} {how}"


# --- the functions ---

@njit
def add(a, b):
    return a + b


@njit
def fused(a, b):
    return (a + b) * a + b


@njit
def fused_sum(a, b):
    return ((a + b) * a).sum()


@njit
def fused_np_sum(a, b):
    return np.sum(a * b + a)


@njit
def fused_prod(a, b):
    return ((a + b) * b).prod()


@njit
def fused_min(a, b):
    return (a * b + a).min()


@njit
def fused_max(a, b):
    return np.max(a + b * b)


@njit
def fused_mean(a, b):
    return ((a + b) * a).mean()


@njit
def add_into(a, b):
    a += b
    return a


@njit
def argmin_of_sum(a, b):
    return np.argmin(a + b)


@njit
def argmax_of_sum(a, b):
    return np.argmax(a * b + a)


@njit
def hypot_sum(x, y):
    return np.sqrt(x * x + y * y).sum()


@njit
def hypot(x, y):
    return np.sqrt(x * x + y * y)


@njit
def r_sum(a):
    return np.sum(a)


@njit
def r_prod(a):
    return np.prod(a)


@njit
def r_min(a):
    return np.min(a)


@njit
def r_max(a):
    return np.max(a)


@njit
def r_mean(a):
    return np.mean(a)


@njit
def r_argmin(a):
    return np.argmin(a)


@njit
def r_argmax(a):
    return np.argmax(a)


@njit
def r_any(a):
    return np.any(a)


@njit
def r_all(a):
    return np.all(a)


REDUCTIONS = [r_sum, r_prod, r_min, r_max, r_mean, r_argmin, r_argmax,
              r_any, r_all]
# pyjit orders no complex numbers (NumPy orders them lexicographically)
ORDERING = {r_min, r_max, r_argmin, r_argmax, fused_min, fused_max,
            argmin_of_sum, argmax_of_sum}


@njit
def method_sum(a):
    return a.sum()


@njit
def method_mean(a):
    return a.mean()


# --- comparing ---

def tolerance(dtype):
    return 2e-5 if dtype in (np.float32, np.complex64) else 1e-12


def check_value(got, want, terms, where):
    """A reduction's result: exact for integers and booleans, to a
    tolerance scaled by the magnitudes summed for floats."""
    got_a, want_a = np.asarray(got), np.asarray(want)
    # a number comes back as Python's, of the dtype's kind
    assert got_a.dtype.kind == want_a.dtype.kind, \
        f"{where}: {got_a.dtype} != {want_a.dtype}"
    if want_a.dtype.kind in "fc":
        scale = float(np.abs(np.asarray(terms)).sum()) + 1.0
        if np.isnan(want_a).any():
            assert np.isnan(got_a).any(), f"{where}: {got} != {want}"
            return
        assert abs(complex(got) - complex(want)) <= \
            tolerance(want_a.dtype.type) * scale, f"{where}: {got} != {want}"
    else:
        assert got == want, f"{where}: {got} != {want}"


def expected_or_error(fn, *args):
    with np.errstate(all="ignore"):
        try:
            return fn.py_func(*args), None
        except (ValueError, TypeError) as e:
            return None, e


def check_reduction(fn, args, terms, where):
    want, err = expected_or_error(fn, *args)
    if err is not None:
        with pytest.raises(type(err)):
            fn(*args)
        return
    with np.errstate(all="ignore"):
        check_value(fn(*args), want, terms, f"{where} {fn.__name__}")


def check_array(fn, args, where):
    want, err = expected_or_error(fn, *args)
    if err is not None:
        with pytest.raises(type(err)):
            fn(*args)
        return
    got = fn(*args)
    assert_same_array(got, want, exact=want.dtype.kind != "c",
                      where=f"{where} {fn.__name__}", zero_signs=False)


# --- the tests ---

@pytest.mark.parametrize("seed", SEEDS)
def test_elementwise_and_fused(seed):
    a, b, where = case(seed)
    for fn in (add, fused):
        check_array(fn, (a, b), where)
        assert_compiled(fn)
    if a.dtype.kind == "f":
        check_array(hypot, (a, b), where)
        assert_compiled(hypot)


@pytest.mark.parametrize("seed", SEEDS)
def test_fused_reductions(seed):
    a, b, where = case(seed)
    with np.errstate(all="ignore"):
        terms = {fused_sum: (a + b) * a, fused_np_sum: a * b + a,
                 fused_prod: np.zeros(1), fused_min: np.zeros(1),
                 fused_max: np.zeros(1), fused_mean: np.zeros(1),
                 argmin_of_sum: np.zeros(1), argmax_of_sum: np.zeros(1)}
    for fn, t in terms.items():
        if fn in ORDERING and a.dtype.kind == "c":
            continue
        if fn is fused_mean and a.size:
            with np.errstate(all="ignore"):
                t = ((a + b) * a) / a.size
        if fn is fused_prod:
            # a product's rounding is relative to its size
            with np.errstate(all="ignore"):
                p = np.prod((a + b) * b)
            t = np.array([abs(p)]) if a.dtype.kind in "fc" else t
        check_reduction(fn, (a, b), t, where)
        assert_compiled(fn)
    if a.dtype.kind == "f":
        check_reduction(hypot_sum, (a, b), np.sqrt(a * a + b * b), where)
        assert_compiled(hypot_sum)


@pytest.mark.parametrize("seed", SEEDS)
def test_reductions_of_views(seed):
    a, _, where = case(seed)
    for fn in REDUCTIONS:
        if fn in ORDERING and a.dtype.kind == "c":
            continue
        terms = a if fn is r_sum else np.zeros(1)
        if fn is r_mean and a.size:
            terms = a / a.size
        if fn is r_prod:
            with np.errstate(all="ignore"):
                terms = np.array([abs(np.prod(a))])
        check_reduction(fn, (a,), terms, where)
        assert_compiled(fn)
    check_reduction(method_sum, (a,), a, where)
    check_reduction(method_mean, (a,), a / max(a.size, 1), where)


@pytest.mark.parametrize("seed", SEEDS)
def test_in_place_into_views(seed):
    a, b, where = case(seed)
    if a.dtype == np.bool_:
        return      # a += b of booleans is logical or: covered by add
    want = a.copy()
    want += b
    got = add_into(a, b)
    assert got is a or np.shares_memory(got, a)
    assert_same_array(a, want, exact=True, where=where, zero_signs=False)
    assert_compiled(add_into)



def test_f_sum_is_in_memory_order():
    """An F expression is summed along its memory: the same result as
    the C expression of the transposed arrays, bit for bit."""
    rng = np.random.default_rng(5)
    x = rng.standard_normal((37, 53))
    y = rng.standard_normal((37, 53))
    xf, yf = np.asfortranarray(x), np.asfortranarray(y)
    assert hypot_sum(xf, yf) == hypot_sum(np.ascontiguousarray(x.T),
                                          np.ascontiguousarray(y.T))
    assert np.isclose(hypot_sum(xf, yf), np.sqrt(x * x + y * y).sum(),
                      rtol=1e-12)
    # and so is an F array itself
    assert method_sum(xf) == method_sum(np.ascontiguousarray(x.T))
    assert r_mean(xf) == r_mean(np.ascontiguousarray(x.T))


def test_argmin_keeps_c_order_of_f_arrays():
    """Which of equal elements an index names does not depend on the
    layout: the first in C order, as NumPy."""
    a = np.asfortranarray(np.array([[3, 1, 1], [1, 2, 1]], dtype=np.int64))
    b = np.zeros_like(a)
    assert argmin_of_sum(a, b) == np.argmin(a + b) == 1
    assert r_argmin(a) == np.argmin(a) == 1


def test_strided_operands_that_do_not_broadcast():
    a = np.zeros((6, 8))[::2, ::2]
    b = np.zeros((5, 3))[::-1, ::-1][::2]
    with pytest.raises(ValueError, match="broadcast"):
        add(a, b)
    with pytest.raises(ValueError, match="broadcast"):
        fused_sum(a, b)


def test_rows_of_unit_stride_and_broadcast_rows():
    """Views whose rows are contiguous (the row loop that steps by
    elements) beside rows broadcast along their length (a stride of 0)."""
    base = np.arange(7 * 9, dtype=np.float64).reshape(7, 9)
    a = base[1:-1, 1:-1]
    col = np.arange(5.0)[:, None]
    assert_same_array(fused(a, col), (a + col) * a + col)
    assert_same_array(fused(a, base[:-2, 2:]),
                      (a + base[:-2, 2:]) * a + base[:-2, 2:])
    assert fused_sum(a, col) == ((a + col) * a).sum()


@njit(parallel=True)
def fused_on_threads(a, b):
    return (a + b) * a + b


@njit(parallel=True)
def fused_sum_on_threads(a, b):
    return ((a + b) * a).sum()


@njit(parallel=True)
def fused_max_on_threads(a, b):
    return (a * b + a).max()


@pytest.mark.parametrize("chunk", [0, 1, 7, 50])
def test_chunks_that_start_inside_rows(chunk):
    """On threads each chunk is a range of positions that may start and
    end inside a row: every element once, in order for each chunk."""
    rng = np.random.default_rng(chunk)
    base = rng.integers(-5, 6, size=(31, 25, 3)).astype(np.float64)
    pairs = [(base[:30:2, ::-3, 1], base[1::2, ::3, 2]),
             (np.asfortranarray(base[:, :, 0]),
              np.asfortranarray(base[:, :, 1])),
             (base[:, :, 0].T, base[:, :, 2].T[:, ::-1]),
             (base[3:9, 1:-1, 0], base[0, 1:-1, 1])]
    old = set_parallel_chunksize(chunk)
    try:
        for a, b in pairs:
            assert_same_array(fused_on_threads(a, b), (a + b) * a + b)
            assert fused_sum_on_threads(a, b) == ((a + b) * a).sum()
            assert fused_max_on_threads(a, b) == (a * b + a).max()
    finally:
        set_parallel_chunksize(old)
    for fn in (fused_on_threads, fused_sum_on_threads, fused_max_on_threads):
        assert_compiled(fn)
