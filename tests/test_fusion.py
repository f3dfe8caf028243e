"""Array expressions fused into one loop (csrc/fusion.c): each expression is
compared with the same operations evaluated one at a time, each in a jitted
function of its own (where nothing can fuse), over generated arrays of many
dtypes and shapes (0-sized, one element, broadcasting, views that are not
contiguous), and with NumPy's own values; the fused code allocates nothing
between the operations."""
import io
import re

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given

from pyjit import njit

from np_arrays import SOME, elements
from difftest import assert_compiled

# --- the operations one at a time ---

@njit
def one_mul(a, b):
    return a * b


@njit
def one_add(a, b):
    return a + b


@njit
def one_sub(a, b):
    return a - b


@njit
def one_div(a, b):
    return a / b


@njit
def one_lt(a, b):
    return a < b


@njit
def one_and(a, b):
    return a & b


@njit
def one_neg(a):
    return -a


@njit
def one_sqrt(a):
    return np.sqrt(a)


@njit
def one_sin(a):
    return np.sin(a)


@njit
def one_abs(a):
    return np.abs(a)


@njit
def one_maximum(a, b):
    return np.maximum(a, b)


@njit
def one_sum(a):
    return a.sum()


@njit
def one_prod(a):
    return np.prod(a)


@njit
def one_min(a):
    return a.min()


@njit
def one_max(a):
    return np.max(a)


@njit
def one_mean(a):
    return a.mean()


# --- the fused expressions, each with its unfused evaluation ---

@njit
def hypot_chain(a, b):
    return np.sqrt(a * a + b * b)


def hypot_steps(a, b):
    return one_sqrt(one_add(one_mul(a, a), one_mul(b, b)))


@njit
def mixed_chain(a, b, c):
    return a * b + np.sin(c)


def mixed_steps(a, b, c):
    return one_add(one_mul(a, b), one_sin(c))


@njit
def scalar_chain(a, b, s):
    return (a - s) * 3 + -b / s


def scalar_steps(a, b, s):
    return one_add(one_mul(one_sub(a, s), 3), one_div(one_neg(b), s))


@njit
def compare_chain(a, b):
    return (a + b < b * 2) & (a < 3)


def compare_steps(a, b):
    return one_and(one_lt(one_add(a, b), one_mul(b, 2)), one_lt(a, 3))


@njit
def ufunc2_chain(a, b):
    return np.abs(np.maximum(a, b) - a * 2)


def ufunc2_steps(a, b):
    return one_abs(one_sub(one_maximum(a, b), one_mul(a, 2)))


@njit
def statements_chain(a, b):
    t = a * b
    u = t + a
    return u - b


def statements_steps(a, b):
    return one_sub(one_add(one_mul(a, b), a), b)


@njit
def statements_max(a, b):
    t = a * b
    u = t - a
    return np.max(u)


def statements_max_steps(a, b):
    return one_max(one_sub(one_mul(a, b), a))


@njit
def sum_chain(a, b):
    return (a * b + a).sum()


@njit
def np_sum_chain(a, b):
    return np.sum(a * b + a)


@njit
def prod_chain(a, b):
    return np.prod(a - b)


@njit
def min_chain(a, b):
    return (a * b + a).min()


@njit
def max_chain(a, b):
    return np.max(a - b)


@njit
def mean_chain(a, b):
    return (a * b + a).mean()


def product_plus_a(a, b):
    return one_add(one_mul(a, b), a)


# name: (the fused reduction, the reduction alone, the operations alone)
REDUCERS = {
    "sum": (sum_chain, one_sum, product_plus_a),
    "np.sum": (np_sum_chain, one_sum, product_plus_a),
    "prod": (prod_chain, one_prod, one_sub),
    "min": (min_chain, one_min, product_plus_a),
    "max": (max_chain, one_max, one_sub),
    "mean": (mean_chain, one_mean, product_plus_a),
}

INTS = [np.dtype(n) for n in ("int8", "int32", "int64", "uint8", "uint64")]
FLOATS = [np.dtype("float32"), np.dtype("float64")]
NUMBERS = INTS + FLOATS + [np.dtype("bool"), np.dtype("complex128")]


def complex_elements():
    return st.complex_numbers(max_magnitude=1e3, allow_nan=False)


@st.composite
def operands(draw, dtypes, count=2):
    """count arrays of one dtype whose shapes broadcast together: one of
    1 to 3 dimensions (0-sized ones among them) and the others the same,
    with dimensions dropped from the front or set to 1; sometimes views
    that are not contiguous."""
    dtype = draw(st.sampled_from(dtypes))
    nd = draw(st.integers(1, 3))
    shape = draw(hnp.array_shapes(min_dims=nd, max_dims=nd, min_side=0,
                                  max_side=5))
    el = complex_elements() if dtype.kind == "c" else elements(dtype)
    out = []
    for k in range(count):
        s = list(shape)
        if k and draw(st.booleans()):
            s = s[draw(st.integers(0, nd - 1)):]
        s = [1 if k and draw(st.integers(0, 3)) == 0 else d for d in s]
        view = draw(st.sampled_from(["c", "strided", "transposed"]))
        if view == "strided":
            a = draw(hnp.arrays(dtype, [s[0] * 2] + s[1:], elements=el))[::2]
        else:
            a = draw(hnp.arrays(dtype, s, elements=el))
            a = a.T.copy().T if view == "transposed" else a
        out.append(a)
    return out


def identical(got, want, where=""):
    """The same values (NaN where NaN, signs of zero; a NaN's sign is
    whichever operand's NaN the processor kept), dtype and shape."""
    if isinstance(want, np.ndarray):
        assert isinstance(got, np.ndarray), where
        assert got.dtype == want.dtype, (where, got.dtype, want.dtype)
        np.testing.assert_array_equal(got, want, err_msg=where, strict=True)
        if want.dtype.kind == "f":
            numbers = ~np.isnan(want)
            np.testing.assert_array_equal(np.signbit(got[numbers]),
                                          np.signbit(want[numbers]))
        return
    assert type(got) is type(want), (where, got, want)
    if want != want:
        np.testing.assert_array_equal(got, want, err_msg=where)   # NaN
    else:
        assert got == want, (where, got, want)


def same_outcome(fused, steps, *args):
    """fused(*args) gives what the steps give, or raises the same
    exception with the same message."""
    with np.errstate(all="ignore"):
        try:
            want = steps(*args)
        except Exception as e:  # noqa: BLE001 - compared below
            with pytest.raises(type(e), match=re.escape(str(e))):
                fused(*args)
            return None
        got = fused(*args)
    assert_compiled(fused)
    identical(got, want, f"{fused.__name__}{[np.shape(a) for a in args]}")
    return got


def close_to_numpy(got, want):
    """NumPy's own result, up to the rounding of its other algorithms
    (pairwise sums) and its dtype rules for scalars."""
    with np.errstate(all="ignore"):
        np.testing.assert_allclose(np.asarray(got, dtype=np.complex128),
                                   np.asarray(want, dtype=np.complex128),
                                   rtol=1e-5, atol=1e-6, equal_nan=True)


@SOME
@given(operands(FLOATS))
def test_hypot(ab):
    got = same_outcome(hypot_chain, hypot_steps, *ab)
    if got is not None:
        close_to_numpy(got, np.sqrt(ab[0] * ab[0] + ab[1] * ab[1]))


@SOME
@given(operands(FLOATS + [np.dtype("int64"), np.dtype("uint8")], 3))
def test_product_plus_ufunc(abc):
    same_outcome(mixed_chain, mixed_steps, *abc)


@SOME
@given(operands(INTS + FLOATS), st.sampled_from([0.0, 2.0, -3, 0, 7]))
def test_scalars_mixed_in_and_division_by_zero(ab, s):
    same_outcome(scalar_chain, scalar_steps, ab[0], ab[1], s)


@SOME
@given(operands(INTS + FLOATS + [np.dtype("bool")]))
def test_comparisons(ab):
    got = same_outcome(compare_chain, compare_steps, *ab)
    if got is not None and ab[0].dtype.kind == "f":
        a, b = ab
        with np.errstate(all="ignore"):
            np.testing.assert_array_equal(got, (a + b < b * 2) & (a < 3))


@SOME
@given(operands(INTS + FLOATS))
def test_binary_ufuncs_and_integer_wraparound(ab):
    same_outcome(ufunc2_chain, ufunc2_steps, *ab)


@SOME
@given(operands(NUMBERS))
def test_across_statements(ab):
    if ab[0].dtype.kind == "b":
        return      # NumPy has no boolean subtraction: a TypingError
    same_outcome(statements_chain, statements_steps, *ab)
    if ab[0].dtype.kind != "c":
        same_outcome(statements_max, statements_max_steps, *ab)


@SOME
@given(st.sampled_from(sorted(REDUCERS)),
       operands(INTS + FLOATS + [np.dtype("bool"), np.dtype("complex128")]))
def test_reductions(name, ab):
    fused, reduce, steps = REDUCERS[name]
    a, b = ab
    if a.dtype.kind == "b" and name in ("prod", "max"):
        return      # NumPy has no boolean subtraction
    if a.dtype.kind == "c" and name in ("min", "max"):
        return      # complex numbers are not ordered
    same_outcome(fused, lambda a, b: reduce(steps(a, b)), a, b)


@pytest.mark.parametrize("name", ["min", "max"])
def test_nan_wins_a_maximum_or_minimum(name):
    fused = REDUCERS[name][0]
    a = np.array([1.0, np.nan, 3.0, -np.inf])
    assert np.isnan(fused(a, np.ones(4)))
    assert fused(np.array([1.0, 5.0]), np.zeros(2)) in (1.0, 5.0, 6.0)


@pytest.mark.parametrize("name", ["min", "max"])
def test_empty_maximum_is_numpys_error(name):
    fused = REDUCERS[name][0]
    e = np.zeros(0)
    with pytest.raises(ValueError) as want:
        getattr(np, name)(e - e)
    with pytest.raises(ValueError, match=re.escape(str(want.value))):
        fused(e, e)


def test_empty_sum_and_mean():
    e = np.zeros((0, 3))
    assert REDUCERS["sum"][0](e, e) == 0.0
    assert REDUCERS["prod"][0](e, e) == 1.0
    with np.errstate(all="ignore"):
        assert np.isnan(REDUCERS["mean"][0](e, e))


def test_shape_mismatch_is_numpys_error():
    a, b = np.ones(5), np.ones(3)
    with pytest.raises(ValueError, match="operands could not be broadcast "
                                         "together"):
        a * a + b
    with pytest.raises(ValueError, match="operands could not be broadcast "
                                         "together"):
        hypot_chain(a, b)
    with pytest.raises(ValueError, match="operands could not be broadcast "
                                         "together"):
        REDUCERS["sum"][0](a, b)


# --- what is fused, and that nothing is allocated in between ---

ALLOC = "@pj_rt_array_alloc("


def llvm_text(f):
    return "\n".join(f.inspect_llvm().values())


def test_fused_reduction_allocates_nothing():
    @njit
    def f(x, y):
        return np.sqrt(x * x + y * y).sum()

    x = np.arange(4.0)
    f(x, x)
    assert ALLOC not in llvm_text(f)

    @njit
    def unfused(x, y):
        t = x * x + y * y
        return np.sqrt(t).sum() + t[0]     # t is used twice: it is made

    unfused(x, x)
    assert ALLOC in llvm_text(unfused)


def test_fused_expression_allocates_its_result_only():
    @njit
    def f(x, y):
        return np.sqrt(x * x + y * y) * 2.0

    x = np.arange(4.0)
    f(x, x)
    text = llvm_text(f)
    calls = re.findall(r"call .*" + re.escape(ALLOC), text)
    assert len(calls) == 1, calls


def test_inspect_types_shows_the_expression():
    @njit
    def f(x, y):
        return np.sqrt(x * x + y * y).sum()

    x = np.arange(3.0)
    f(x, x)
    out = io.StringIO()
    f.inspect_types(file=out)
    assert ("arrayexpr(expr=sum(sqrt(((x * x) + (y * y)))), ops=4)"
            in out.getvalue()), out.getvalue()


def test_a_write_in_between_is_not_moved():
    @njit
    def f(a):
        t = a * 2
        a[0] = 100.0
        return t + 1

    a = np.arange(3.0)
    assert list(f(a)) == [1.0, 3.0, 5.0]


def test_reassigned_operand_is_not_moved():
    @njit
    def f(a, b):
        t = a * 2
        a = b
        return t + a

    assert list(f(np.ones(2), np.zeros(2))) == [2.0, 2.0]


def test_in_a_loop():
    @njit
    def f(a, n):
        s = 0.0
        for i in range(n):
            s += (a * i + 1).sum()
        return s

    a = np.arange(5.0)
    assert f(a, 4) == sum((a * i + 1).sum() for i in range(4))


# --- groups computed past the library's reductions ---

@njit
def keep(x):
    """x as it is: an array passed to a jitted function is computed."""
    return x


@njit
def standardized(a):
    return (a - a.mean()) / a.std()


@njit
def standardized_steps(a):
    return keep(keep(a - a.mean()) / a.std())


@njit
def scaled_to_unit(a):
    return (a - a.min()) / (a.max() - a.min())


@njit
def scaled_to_unit_steps(a):
    return keep(keep(a - a.min()) / (a.max() - a.min()))


@njit
def two_arrays_over_max(a, b):
    return (a - b) / a.max()


@njit
def two_arrays_over_max_steps(a, b):
    return keep(keep(a - b) / a.max())


def fused_expressions(f):
    out = io.StringIO()
    f.inspect_types(file=out)
    # ops=0: the reduction of a strided array, walked by itself
    return [(e, ops) for e, ops in re.findall(
        r"arrayexpr\(expr=([^:]*), ops=(\d+)\)", out.getvalue())
        if ops != "0"]


def fused_once_per_signature(f):
    found = fused_expressions(f)
    assert len(found) == len(f.signatures) and all(
        ops == "2" for _, ops in found), found


@SOME
@given(operands(FLOATS, 1))
def test_standardized_fuses_past_mean_and_std(a):
    same_outcome(standardized, standardized_steps, *a)
    fused_once_per_signature(standardized)


@SOME
@given(operands(FLOATS + INTS, 1))
def test_min_max_scaling_fuses_and_raises_as_written(a):
    # an empty array raises in a.min(), before anything is computed
    same_outcome(scaled_to_unit, scaled_to_unit_steps, *a)
    fused_once_per_signature(scaled_to_unit)


def typed_text(f):
    out = io.StringIO()
    f.inspect_types(file=out)
    return out.getvalue()


@SOME
@given(operands(FLOATS))
def test_a_group_that_may_raise_checks_its_shapes_before_a_raising_call(ab):
    # (a - b) is computed after a.max(), in the one loop, but whether a
    # and b broadcast is checked before a.max() runs, as written
    same_outcome(two_arrays_over_max, two_arrays_over_max_steps, *ab)
    fused_once_per_signature(two_arrays_over_max)
    lines = typed_text(two_arrays_over_max).splitlines()
    check = [k for k, ln in enumerate(lines)
             if "shapecheck(expr=(a - b), ops=1)" in ln]
    call = [k for k, ln in enumerate(lines) if " = call " in ln]
    assert check and call and check[0] < call[0], lines


@njit
def interp_weights(x, t, i):
    # HARK's linear interpolation: gathers of a table at an index array
    return (x - t[i - 1]) / (t[i] - t[i - 1])


@njit
def interp_weights_steps(x, t, i):
    return keep(keep(x - keep(t[keep(i - 1)]))
                / keep(keep(t[i]) - keep(t[keep(i - 1)])))


@st.composite
def table_lookups(draw):
    """x, a table t and indices i into it: some out of bounds or negative,
    and x of i's shape or of one that does not broadcast with it."""
    n = draw(st.integers(0, 6))
    t = draw(hnp.arrays(np.float64, n, elements=st.floats(-50, 50)))
    m = draw(st.integers(0, 7))
    i = draw(hnp.arrays(np.int64, m, elements=st.integers(-n - 2, n + 2)))
    xm = draw(st.sampled_from([m, m, 1, m + 1, 0]))
    x = draw(hnp.arrays(np.float64, xm, elements=st.floats(-50, 50)))
    return x, t, i


@SOME
@given(table_lookups())
def test_gathers_fuse_and_raise_as_written(args):
    # an index out of bounds in t[i] raises only after x - t[i - 1] was
    # found to broadcast, as written
    same_outcome(interp_weights, interp_weights_steps, *args)
    assert [ops for _, ops in fused_expressions(interp_weights)] == ["3"]


def test_broadcast_error_before_a_later_index_error():
    x, t = np.zeros(3), np.arange(4.0)
    with pytest.raises(ValueError, match="broadcast"):
        interp_weights(x, t, np.array([1, 4]))
    with pytest.raises(IndexError):
        interp_weights(np.zeros(2), t, np.array([1, 4]))
    good = np.array([1, 3, -1])
    np.testing.assert_array_equal(
        interp_weights(np.full(3, 0.5), t, good),
        (0.5 - t[good - 1]) / (t[good] - t[good - 1]))


def test_broadcast_error_comes_before_the_reductions_error():
    with pytest.raises(ValueError, match="broadcast"):
        two_arrays_over_max(np.zeros(0), np.ones(3))


def test_standardizing_allocates_only_the_result():
    @njit
    def f(a):
        return (a - a.mean()) / a.std()

    a = np.arange(10.0)
    np.testing.assert_allclose(f(a), (a - a.mean()) / a.std())
    calls = re.findall(r"call .*" + re.escape(ALLOC), llvm_text(f))
    assert len(calls) == 1, calls


def test_a_jitted_call_in_between_still_ends_the_group():
    @njit
    def bump(a):
        a[0] += 100.0
        return 0.0

    @njit
    def f(a):
        t = a * 2
        s = bump(a)
        return t + s

    assert list(f(np.arange(3.0))) == [0.0, 2.0, 4.0]


@njit
def gap_penalties(values, links, limit, onset, extend):
    # librosa's recurrence alignment: each operand a slice up to limit
    return (values[:limit] - links[:limit] * onset
            - (~links[:limit]) * extend)


@njit
def gap_penalties_steps(values, links, limit, onset, extend):
    v = keep(values[:limit])
    t = keep(links[:limit])
    return keep(keep(v - keep(t * onset))
                - keep(keep(~keep(links[:limit])) * extend))


@SOME
@given(st.integers(0, 4), st.integers(0, 4), st.integers(-5, 5),
       st.floats(-3, 3), st.floats(-3, 3), st.integers(0, 2**32 - 1))
def test_slices_made_in_between_do_not_end_the_expression(n, m, limit, onset,
                                                          extend, seed):
    # slice(None, limit) before each operand reads no array: the whole
    # expression is one loop, and a length that does not broadcast raises
    # as the steps do
    rng = np.random.default_rng(seed)
    values, links = rng.standard_normal(n), rng.random(m) < 0.5
    same_outcome(gap_penalties, gap_penalties_steps, values, links, limit,
                 onset, extend)
    assert [ops for _, ops in fused_expressions(gap_penalties)] == ["5"]
    assert_compiled(gap_penalties)
