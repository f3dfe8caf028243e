"""Differential tests: NumPy reductions in nopython code (pyjit/_numpy.py).

np.sum prod max/amax min/amin argmax argmin mean var std any all count_nonzero dot
and the array methods a.sum() ... a.dot(b), plus `for x in a.flat`, are compiled by
pyjit on first use.  Every test compares the compiled result with NumPy's on the
same array object (1-d, 2-d, 3-d; C-contiguous, Fortran-ordered and strided views)
and checks that the function really compiled in nopython mode.

pyjit sums in order where NumPy sums pairwise: float sums are compared exactly
with an in-order reference computed in the accumulator's dtype, and with NumPy up
to a tolerance scaled by the sum of magnitudes.

Known divergences from NumPy (pyjit/_numpy.py's docstring lists them: np.dot of
bool or narrow integers, the mean of float32) are not asserted here.
"""
import importlib.util
import math
import subprocess
import sys
import textwrap
import warnings

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from pyjit import TypingError, njit

FEW = settings(max_examples=30, deadline=None,
               suppress_health_check=[HealthCheck.too_slow])
MANY = settings(max_examples=45, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])
SOME = settings(max_examples=15, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])

DTYPES = [np.dtype(n) for n in ("bool", "int8", "int16", "int32", "int64", "uint8",
                                "uint16", "uint32", "uint64", "float32", "float64",
                                "complex64", "complex128")]
REAL = [d for d in DTYPES if d.kind != "c"]
NAN, INF = float("nan"), float("inf")


# ---------------------------------------------------------------------------------
# helpers

def is_pyobject(t):
    return "pyobject" in str(t)


def check_compiled(f):
    """f compiled at least one nopython specialization, none involving pyobject."""
    sigs = f.signatures
    assert len(sigs) >= 1, f"{f.__name__} has no compiled signature"
    for sig in sigs:
        assert "pyobject" not in str(sig), f"pyobject in signature {sig}"
        assert not is_pyobject(f.overloads[sig].return_type), \
            f"pyobject return type for {f.__name__}{sig}"


def return_type(f, *args):
    """The return type (as a string) of the specialization f chose for args."""
    from pyjit import typeof
    want = tuple(str(typeof(a)) for a in args)
    for sig in f.signatures:
        if tuple(str(t) for t in sig) == want:
            return str(f.overloads[sig].return_type)
    raise AssertionError(f"no specialization of {f.__name__} for {want}: "
                         f"{f.signatures}")


def same_value(actual, expected):
    """Exact equality, NaN equal to NaN (signs of zero not compared)."""
    if isinstance(expected, (complex, np.complexfloating)):
        a, e = complex(actual), complex(expected)
        return same_value(a.real, e.real) and same_value(a.imag, e.imag)
    if isinstance(expected, (float, np.floating)) and math.isnan(expected):
        return isinstance(actual, (float, np.floating)) and math.isnan(actual)
    return actual == expected


def close(actual, expected, tol):
    a, e = complex(actual), complex(expected)
    if math.isnan(e.real) or math.isnan(e.imag):
        return math.isnan(a.real) or math.isnan(a.imag)
    return abs(a - e) <= tol


def rtol_for(dtype):
    return 2e-5 if dtype in (np.float32, np.complex64) else 1e-12


def sum_kind(dtype):
    """The type NumPy sums `dtype` in (and pyjit's result type)."""
    if dtype.kind in "bi":
        return "int64"
    if dtype.kind == "u":
        return "uint64"
    return str(dtype)


def in_walk_order(v):
    """The elements in the order pyjit reduces them: the order of the
    memory of an F array (F contiguous, not C), else C order."""
    f = v.ndim > 1 and v.flags.f_contiguous and not v.flags.c_contiguous
    return v.ravel(order="F" if f else "C")


def seq_sum(v):
    """In-order sum in NumPy's accumulator dtype (what pyjit promises)."""
    acc = np.dtype(sum_kind(v.dtype)).type
    s = acc(0)
    with np.errstate(over="ignore"):
        for x in in_walk_order(v):
            s = acc(s + acc(x))
    return s


def seq_prod(v):
    acc = np.dtype(sum_kind(v.dtype)).type
    p = acc(1)
    with np.errstate(over="ignore"):
        for x in in_walk_order(v):
            p = acc(p * acc(x))
    return p


def abs_sum(v):
    return float(np.sum(np.abs(v.astype(np.complex128))))


# ---------------------------------------------------------------------------------
# strategies

SPECIAL = [0.0, -0.0, 1.0, -1.0, 0.5, 2.0, -2.0]


def elements(dtype, *, nan=False, bounded=False, small=False):
    """Elements for arrays of dtype.  nan: include nan/inf; bounded: 64-bit
    integers below 2**40 (sums don't overflow); small: tiny values (products,
    dot products of narrow integers don't overflow)."""
    k = dtype.kind
    if k == "b":
        return st.booleans()
    if k in "iu":
        info = np.iinfo(dtype)
        if small:
            return st.integers(0 if k == "u" else -3, 3)
        if bounded:
            return st.integers(max(info.min, -2 ** 40), min(info.max, 2 ** 40))
        return st.one_of(st.integers(int(info.min), int(info.max)),
                         st.sampled_from([int(info.min), int(info.max), 0, 1]))
    width = dtype.itemsize * 8 if k == "f" else dtype.itemsize * 4
    bound = 1.5 if small else 1e3
    fl = st.one_of(st.floats(-bound, bound, width=width),
                   st.sampled_from([x for x in SPECIAL if abs(x) <= bound]))
    if nan:
        fl = st.one_of(fl, st.sampled_from([NAN, INF, -INF]))
    if k == "f":
        return fl
    return st.builds(complex, fl, fl)


LAYOUTS = ["C", "F", "T", "step", "rev", "inner"]


def make(base, layout):
    """An array (often a view) holding base's values in the given layout; "T"
    transposes (the values move, NumPy is called on the same object)."""
    if layout == "C":
        return base.copy()
    if layout == "F":
        return np.asfortranarray(base)
    if layout == "T":
        return base.copy().T
    if layout == "rev":
        return base.copy()[::-1]
    if layout == "step":
        big = np.zeros((2 * base.shape[0],) + base.shape[1:], base.dtype)
        big[::2] = base
        return big[::2]
    if layout == "inner":
        big = np.zeros(base.shape[:-1] + (2 * base.shape[-1],), base.dtype)
        big[..., ::2] = base
        return big[..., ::2]
    raise ValueError(layout)


@st.composite
def arrays(draw, dtypes=DTYPES, min_side=0, max_side=5, max_dims=3, **elem_kw):
    dtype = draw(st.sampled_from(dtypes))
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=max_dims,
                                  min_side=min_side, max_side=max_side))
    base = draw(hnp.arrays(dtype, shape, elements=elements(dtype, **elem_kw)))
    return make(base, draw(st.sampled_from(LAYOUTS)))


# ---------------------------------------------------------------------------------
# the jitted callers

@njit
def j_sum(a):
    return np.sum(a)


@njit
def j_prod(a):
    return np.prod(a)


@njit
def j_max(a):
    return np.max(a)


@njit
def j_amax(a):
    return np.amax(a)


@njit
def j_min(a):
    return np.min(a)


@njit
def j_amin(a):
    return np.amin(a)


@njit
def j_argmax(a):
    return np.argmax(a)


@njit
def j_argmin(a):
    return np.argmin(a)


@njit
def j_mean(a):
    return np.mean(a)


@njit
def j_var(a):
    return np.var(a)


@njit
def j_std(a):
    return np.std(a)


@njit
def j_any(a):
    return np.any(a)


@njit
def j_all(a):
    return np.all(a)


@njit
def j_count_nonzero(a):
    return np.count_nonzero(a)


@njit
def j_dot(a, b):
    return np.dot(a, b)


@njit
def m_sum(a):
    return a.sum()


@njit
def m_prod(a):
    return a.prod()


@njit
def m_max(a):
    return a.max()


@njit
def m_min(a):
    return a.min()


@njit
def m_argmax(a):
    return a.argmax()


@njit
def m_argmin(a):
    return a.argmin()


@njit
def m_mean(a):
    return a.mean()


@njit
def m_var(a):
    return a.var()


@njit
def m_std(a):
    return a.std()


@njit
def m_any(a):
    return a.any()


@njit
def m_all(a):
    return a.all()


@njit
def m_dot(a, b):
    return a.dot(b)


EXTREMES = [(j_max, np.max), (j_amax, np.amax), (j_min, np.min), (j_amin, np.amin)]
ARGS = [(j_argmax, np.argmax), (j_argmin, np.argmin)]
ids = lambda p: getattr(p, "__name__", str(p))  # noqa: E731


# ---------------------------------------------------------------------------------
# sum, prod

@MANY
@given(arrays())
def test_sum(a):
    got = j_sum(a)
    check_compiled(j_sum)
    assert return_type(j_sum, a) == sum_kind(a.dtype)
    exp = np.sum(a)
    if a.dtype.kind in "biu":
        # both wrap around in 64 bits: exact, and an int (not bool)
        assert type(got) is int and got == int(exp), (a, got, exp)
        return
    # in order, in the dtype: float32 stays float32-valued
    assert same_value(got, seq_sum(a)), (a, got, seq_sum(a))
    if a.dtype.kind == "f":
        assert type(got) is float
    else:
        assert type(got) is complex
    assert close(got, exp, rtol_for(a.dtype) * abs_sum(a) + 1e-30), (a, got, exp)


def test_sum_float32_rounds_in_float32():
    # 2**24 + 1 is not a float32: an in-order float32 sum loses each 1.0
    a = np.array([2.0 ** 24] + [1.0] * 4, np.float32)
    got = j_sum(a)
    check_compiled(j_sum)
    assert got == float(np.float32(got)) == 2.0 ** 24
    assert return_type(j_sum, a) == "float32"
    b = np.array([0.1, 0.2, 0.3], np.float32)
    assert j_sum(b) == float(np.float32(np.float32(0.1) + np.float32(0.2))
                             + np.float32(0.3))


def test_sum_wraps_like_numpy():
    a = np.array([2 ** 62] * 3, np.int64)
    u = np.array([2 ** 63, 2 ** 63 + 5], np.uint64)
    with np.errstate(over="ignore"):
        assert j_sum(a) == int(np.sum(a)) == -(2 ** 62)
        assert j_sum(u) == int(np.sum(u)) == 5
    assert j_sum(np.array([2 ** 64 - 2, 1], np.uint64)) == 2 ** 64 - 1
    # small ints widen: no wrap at 8 bits
    assert j_sum(np.full(10, 100, np.int8)) == 1000
    assert j_sum(np.full(10, 200, np.uint8)) == 2000
    assert j_sum(np.ones(300, bool)) == 300
    check_compiled(j_sum)


UNSIGNED = [d for d in DTYPES if d.kind == "u"]
NARROW_INEXACT = [np.dtype("float32"), np.dtype("complex64")]
# prod keeps NumPy's result type for these; test_prod_unsigned_like_numpy and
# test_prod_float32_stays_float32 check the others
PROD_OK = [d for d in DTYPES if d not in UNSIGNED + NARROW_INEXACT]


@MANY
@given(arrays(dtypes=[d for d in DTYPES if d not in UNSIGNED], max_side=4,
              small=True))
def test_prod(a):
    got = j_prod(a)
    check_compiled(j_prod)
    if a.dtype in PROD_OK:       # float32/complex64: tested on their own below
        assert return_type(j_prod, a) == sum_kind(a.dtype)
    with np.errstate(over="ignore"):
        exp = np.prod(a)
    if a.dtype.kind in "biu":
        assert type(got) is int and got == int(exp), (a, got, exp)
    elif a.dtype.kind == "f":
        if a.dtype in PROD_OK:
            assert same_value(got, seq_prod(a)), (a, got, seq_prod(a))
        assert close(got, exp, rtol_for(a.dtype) * max(1.0, abs(float(exp)))), \
            (a, got, exp)
    else:
        assert type(got) is complex
        scale = float(np.prod(np.maximum(np.abs(a.astype(np.complex128)), 1.0)))
        assert close(got, exp, 1e-4 * scale if a.dtype == np.complex64
                     else 1e-10 * scale), (a, got, exp)


def test_prod_wraps_like_numpy():
    a = np.full(10, 100, np.int8)
    assert j_prod(a) == int(np.prod(a))          # int64 wraparound, both
    u = np.full(3, 2 ** 20, np.uint32)           # below 2**63: same value
    assert j_prod(u) == int(np.prod(u)) == 2 ** 60
    check_compiled(j_prod)


@SOME
@given(arrays(dtypes=UNSIGNED, max_side=4))
def test_prod_unsigned_like_numpy(a):
    got = j_prod(a)
    check_compiled(j_prod)
    with np.errstate(over="ignore"):
        exp = np.prod(a)
    assert return_type(j_prod, a) == "uint64"
    assert type(got) is int and got == int(exp), (a, got, exp)


@pytest.mark.parametrize("dtype", NARROW_INEXACT, ids=str)
def test_prod_float32_stays_float32(dtype):
    a = np.array([1.1, 1.3, 0.7], dtype)
    got = j_prod(a)
    check_compiled(j_prod)
    assert return_type(j_prod, a) == str(dtype)
    assert got == complex(np.prod(a)) == complex(seq_prod(a))


def test_prod_uint64_above_2_63():
    a = np.array([2 ** 32, 2 ** 31 + 1], np.uint64)
    assert j_prod(a) == int(np.prod(a)) == 9223372041149743104


# ---------------------------------------------------------------------------------
# max, min, argmax, argmin

@pytest.mark.parametrize("f, ref", EXTREMES, ids=ids)
@FEW
@given(a=arrays(dtypes=REAL, min_side=1, nan=True))
def test_max_min(f, ref, a):
    got = f(a)
    check_compiled(f)
    exp = ref(a)
    assert same_value(got, exp), (a, got, exp)
    # the result has the array's dtype
    assert return_type(f, a) == str(a.dtype)
    if a.dtype.kind == "b":
        assert type(got) is bool


@pytest.mark.parametrize("f, ref", ARGS, ids=ids)
@FEW
@given(a=arrays(dtypes=REAL, min_side=1, nan=True))
def test_argmax_argmin(f, ref, a):
    got = f(a)
    check_compiled(f)
    exp = ref(a)
    assert type(got) is int and got == int(exp), (a, got, exp)
    assert return_type(f, a) == "int64"


@pytest.mark.parametrize("f, ref", EXTREMES + ARGS, ids=ids)
def test_nan_propagation(f, ref):
    for vals in ([1.0, NAN, 3.0, NAN], [NAN, 1.0], [2.0, 1.0, NAN],
                 [-INF, NAN, INF], [INF, -INF, 0.0], [NAN, NAN], [0.0, -0.0, 0.0]):
        for dtype in (np.float64, np.float32):
            a = np.array(vals, dtype)
            got, exp = f(a), ref(a)
            assert same_value(got, exp), (a, got, exp)
    m = np.array([[1.0, 5.0], [NAN, 2.0], [7.0, NAN]])
    for v in (m, m.T, np.asfortranarray(m), m[::-1]):
        assert same_value(f(v), ref(v)), v
    check_compiled(f)


def test_argmax_first_of_ties():
    a = np.array([3, 1, 3, 0, 0, 3], np.int16)
    assert j_argmax(a) == 0 and j_argmin(a) == 3
    assert j_argmax(a[::-1]) == 0 and j_argmin(a[::-1]) == 1
    assert j_argmax(np.zeros(4, bool)) == 0
    assert j_argmin(np.ones(4, bool)) == 0
    assert j_argmax(np.array([False, False, True, True])) == 2
    big = np.array([5, 2 ** 64 - 1, 2 ** 64 - 1], np.uint64)
    assert j_argmax(big) == 1 and j_max(big) == 2 ** 64 - 1 and j_argmin(big) == 0
    check_compiled(j_argmax)
    check_compiled(j_argmin)


# ---------------------------------------------------------------------------------
# mean, var, std

@MANY
@given(arrays(min_side=1, bounded=True))
def test_mean(a):
    got = j_mean(a)
    check_compiled(j_mean)
    exp = np.mean(a)
    if a.dtype.kind == "c":
        assert type(got) is complex
    else:
        assert type(got) is float
    mag = abs_sum(a) / a.size
    assert close(got, exp, rtol_for(a.dtype) * mag + 1e-300), (a, got, exp)


def var_tol(a):
    msq = float(np.mean(np.abs(a.astype(np.complex128)) ** 2))
    rtol = 1e-4 if a.dtype in (np.float32, np.complex64) else 1e-10
    return rtol * msq + 1e-300


@MANY
@given(arrays(min_side=1, bounded=True))
def test_var(a):
    got = j_var(a)
    check_compiled(j_var)
    exp = np.var(a)
    assert type(got) is float            # real, also for complex arrays
    assert got >= 0
    assert close(got, exp, var_tol(a)), (a, got, exp)


@MANY
@given(arrays(min_side=1, bounded=True))
def test_std(a):
    got = j_std(a)
    check_compiled(j_std)
    exp = np.std(a)
    assert type(got) is float
    assert got >= 0
    assert close(got * got, float(exp) ** 2, var_tol(a)), (a, got, exp)


def test_var_std_complex_are_real():
    a = np.array([1 + 1j, 1 - 1j, -1 + 1j, -1 - 1j])
    for v in (a, a.astype(np.complex64), a[::-1], a.reshape(2, 2).T):
        assert j_var(v) == pytest.approx(float(np.var(v))) == pytest.approx(2.0)
        assert j_std(v) == pytest.approx(float(np.std(v)))
        assert isinstance(j_var(v), float) and isinstance(j_std(v), float)
        assert m_var(v) == pytest.approx(2.0)
    assert j_mean(a) == 0j
    check_compiled(j_var)
    check_compiled(j_std)


# ---------------------------------------------------------------------------------
# any, all, count_nonzero

@pytest.mark.parametrize("f, ref", [(j_any, np.any), (j_all, np.all),
                                    (j_count_nonzero, np.count_nonzero)], ids=ids)
@FEW
@given(a=arrays(nan=True, small=True))
def test_any_all_count_nonzero(f, ref, a):
    got = f(a)
    check_compiled(f)
    exp = ref(a)
    if f is j_count_nonzero:
        assert type(got) is int and got == int(exp), (a, got, exp)
        assert return_type(f, a) == "int64"
    else:
        assert type(got) is bool and got == bool(exp), (a, got, exp)


def test_any_all_count_special_values():
    cases = [np.array([NAN]), np.array([-0.0, 0.0]), np.array([0j, 1j]),
             np.array([1 + 0j, 1j, 0j]), np.array([complex(0, -0.0), 0j]),
             np.array([0, 0, 7], np.uint64), np.array([[0, 1], [0, 0]], np.int8)]
    for a in cases:
        for v in (a, a[::-1], a.T):
            assert j_any(v) == np.any(v), v
            assert j_all(v) == np.all(v), v
            assert j_count_nonzero(v) == np.count_nonzero(v), v
            assert m_any(v) == np.any(v) and m_all(v) == np.all(v), v


# ---------------------------------------------------------------------------------
# empty arrays

@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_empty_identities(dtype):
    for a in (np.zeros(0, dtype), np.zeros((0, 2, 4), dtype)[:, :, ::2]):
        assert j_any(a) is False and np.any(a) == False  # noqa: E712
        assert j_all(a) is True and np.all(a) == True  # noqa: E712
        assert j_count_nonzero(a) == 0
        assert j_sum(a) == np.sum(a) == 0
        assert j_prod(a) == np.prod(a) == 1
    for f in (j_any, j_all, j_count_nonzero, j_sum, j_prod):
        check_compiled(f)


def numpy_message(ref, a):
    with pytest.raises(ValueError) as info:
        ref(a)
    return str(info.value)


@pytest.mark.parametrize("f, ref", EXTREMES + ARGS, ids=ids)
@pytest.mark.parametrize("dtype", [np.bool_, np.int8, np.uint64, np.float32,
                                   np.float64], ids=lambda d: np.dtype(d).name)
def test_empty_extremes_raise_numpy_message(f, ref, dtype):
    for a in (np.zeros(0, dtype), np.zeros((2, 0), dtype), np.zeros((0, 3), dtype).T):
        msg = numpy_message(ref, a)
        with pytest.raises(ValueError) as info:
            f(a)
        assert str(info.value) == msg
    check_compiled(f)


@pytest.mark.parametrize("f, ref", [(j_mean, np.mean), (j_var, np.var),
                                    (j_std, np.std)], ids=ids)
def test_empty_mean_var_std_like_numpy(f, ref):
    a = np.zeros(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert math.isnan(ref(a))
        got = f(a)
    assert math.isnan(got)


# ---------------------------------------------------------------------------------
# dot

@st.composite
def dot_pairs(draw):
    dtype = draw(st.sampled_from([d for d in DTYPES if d.kind != "b"]))
    n = draw(st.integers(0, 8))
    el = elements(dtype, small=True)
    a = draw(hnp.arrays(dtype, n, elements=el))
    b = draw(hnp.arrays(dtype, n, elements=el))
    views = {"C": lambda x: x, "rev": lambda x: x[::-1],
             "step": lambda x: np.repeat(x, 2)[::2],
             "col": lambda x: np.stack([x, x], axis=1)[:, 0]}
    return (views[draw(st.sampled_from(sorted(views)))](a),
            views[draw(st.sampled_from(sorted(views)))](b))


@MANY
@given(dot_pairs())
def test_dot(ab):
    a, b = ab
    for f in (j_dot, m_dot):
        got = f(a, b)
        check_compiled(f)
        exp = np.dot(a, b)
        if a.dtype.kind in "iu":
            assert type(got) is int and got == int(exp), (a, b, got, exp)
        else:
            tol = rtol_for(a.dtype) * float(np.sum(np.abs(a.astype(complex))
                                                   * np.abs(b.astype(complex))))
            assert close(got, exp, tol + 1e-300), (a, b, got, exp)


def test_dot_mixed_dtypes():
    a = np.arange(5.0)
    b = np.arange(5, dtype=np.int32)
    assert j_dot(a, b) == np.dot(a, b) == 30.0
    assert j_dot(b, a) == 30.0
    assert j_dot(a.astype(np.complex128), b) == 30.0
    check_compiled(j_dot)


def test_dot_length_mismatch():
    with pytest.raises(ValueError):
        np.dot(np.ones(3), np.ones(4))
    with pytest.raises(ValueError):
        j_dot(np.ones(3), np.ones(4))
    with pytest.raises(ValueError):
        m_dot(np.ones(3)[::-1], np.ones(8)[::2])
    with pytest.raises(ValueError):
        j_dot(np.ones(0), np.ones(1))
    check_compiled(j_dot)


def test_dot_2d_is_a_matrix_product():
    m = np.arange(6.0).reshape(2, 3)
    assert np.array_equal(j_dot(m, np.ones(3)), np.dot(m, np.ones(3)))
    assert np.array_equal(j_dot(np.ones(2), m), np.dot(np.ones(2), m))
    assert np.array_equal(j_dot(m, m.T), np.dot(m, m.T))
    with pytest.raises(ValueError):
        j_dot(np.ones((2, 2, 2)), np.ones(2))


# ---------------------------------------------------------------------------------
# methods

METHODS = [(m_sum, np.sum), (m_prod, np.prod), (m_max, np.max), (m_min, np.min),
           (m_argmax, np.argmax), (m_argmin, np.argmin), (m_mean, np.mean),
           (m_var, np.var), (m_std, np.std), (m_any, np.any), (m_all, np.all)]


@pytest.mark.parametrize("f, ref", METHODS, ids=ids)
@SOME
@given(a=arrays(dtypes=[np.dtype("float64"), np.dtype("int32"), np.dtype("uint8"),
                        np.dtype("bool")], min_side=1, max_side=4, small=True))
def test_methods(f, ref, a):
    got = f(a)
    check_compiled(f)
    exp = ref(a)
    if isinstance(got, float) and a.dtype.kind == "f":
        assert close(got, exp, 1e-9 * max(1.0, abs(float(exp)))), (a, got, exp)
    elif f in (m_var, m_std, m_mean):
        assert got == pytest.approx(float(exp), rel=1e-9, abs=1e-12), (a, got, exp)
    else:
        assert same_value(got, exp), (a, got, exp)


def test_methods_on_complex():
    a = np.array([1 + 2j, 3 - 1j, -2j], np.complex64)
    assert m_sum(a) == complex(np.sum(a))
    assert m_prod(a) == pytest.approx(complex(np.prod(a)))
    assert m_mean(a) == pytest.approx(complex(np.mean(a)))
    assert m_var(a) == pytest.approx(float(np.var(a)), rel=1e-6)
    assert m_any(a) and m_all(a)
    for f in (m_sum, m_prod, m_mean, m_var):
        check_compiled(f)


# ---------------------------------------------------------------------------------
# complex max/min: NumPy's order, by real part and then imaginary part

@pytest.mark.parametrize("f", [j_max, j_min, j_amax, j_amin, j_argmax, j_argmin,
                               m_max, m_min, m_argmax, m_argmin], ids=ids)
@pytest.mark.parametrize("dtype", [np.complex64, np.complex128],
                         ids=lambda d: np.dtype(d).name)
def test_complex_extremes_follow_numpy(f, dtype):
    for values in ([1 + 1j, 2j], [2j, 1 + 1j, 1 - 3j, 1 + 2j], [3j, -1j, 0j]):
        a = np.array(values, dtype)
        assert f(a) == f.py_func(a)
    check_compiled(f)


# ---------------------------------------------------------------------------------
# a.flat, layouts, slices in compiled code, loops

@njit
def flat_weighted(a):
    s = 0.0
    i = 0
    for x in a.flat:
        i += 1
        s += i * x
    return s


@njit
def flat_count(a):
    n = 0
    for _ in a.flat:
        n += 1
    return n


@FEW
@given(arrays(dtypes=[np.dtype("float64"), np.dtype("int16")], small=True))
def test_flat_iterates_in_c_order(a):
    exp = sum((i + 1) * float(x) for i, x in enumerate(a.flat))
    assert flat_weighted(a) == pytest.approx(exp, rel=1e-12, abs=1e-12)
    assert flat_count(a) == a.size
    check_compiled(flat_weighted)
    check_compiled(flat_count)


def test_fortran_3d_views():
    rng = np.random.default_rng(7)
    x = rng.random((2, 3, 4))
    views = [np.asfortranarray(x), x.T, np.asfortranarray(x)[:, ::-1, 1:],
             x.transpose(1, 0, 2), np.asfortranarray(x)[::-1, :, ::2]]
    for v in views:
        assert j_argmax(v) == np.argmax(v)         # flat index in C order
        assert j_argmin(v) == np.argmin(v)
        assert m_argmax(v) == v.argmax()
        assert j_max(v) == np.max(v) and j_min(v) == np.min(v)
        assert j_sum(v) == pytest.approx(np.sum(v), rel=1e-12)
        assert j_prod(v) == pytest.approx(np.prod(v), rel=1e-12)
        assert j_mean(v) == pytest.approx(np.mean(v), rel=1e-12)
        assert j_var(v) == pytest.approx(np.var(v), rel=1e-10)
        assert j_std(v) == pytest.approx(np.std(v), rel=1e-10)
        assert flat_weighted(v) == pytest.approx(
            sum((i + 1) * t for i, t in enumerate(v.flat)), rel=1e-12)
    # a unique maximum whose flat index differs between C and Fortran order
    f = np.asfortranarray(np.zeros((2, 3, 4)))
    f[1, 0, 0] = 1.0
    assert j_argmax(f) == np.argmax(f) == 12
    ints = np.asfortranarray(np.arange(24, dtype=np.int32).reshape(2, 3, 4) % 7)
    assert j_argmax(ints) == np.argmax(ints)
    assert j_argmin(ints[::-1]) == np.argmin(ints[::-1])
    for f_ in (j_argmax, j_argmin, j_sum, j_max, flat_weighted):
        check_compiled(f_)
        assert any("3d" in str(s) for s in f_.signatures)


@njit
def slices_inside(a, m):
    return (np.sum(a[1:-1]), m[:, 1].max(), np.argmax(m[::-1, ::2]),
            a[::-1].argmin(), np.mean(m[1:, :]), m[::-1, ::2].sum(),
            np.dot(a[::2], a[1::2]), np.count_nonzero(m[:, 0]))


def slices_reference(a, m):
    return (np.sum(a[1:-1]), m[:, 1].max(), np.argmax(m[::-1, ::2]),
            a[::-1].argmin(), np.mean(m[1:, :]), m[::-1, ::2].sum(),
            np.dot(a[::2], a[1::2]), np.count_nonzero(m[:, 0]))


@SOME
@given(hnp.arrays(np.float64, 6, elements=elements(np.dtype("float64"), small=True)),
       hnp.arrays(np.float64, (4, 5), elements=elements(np.dtype("float64"),
                                                         small=True)))
def test_slices_taken_inside_the_function(a, m):
    got = slices_inside(a, m)
    check_compiled(slices_inside)
    exp = slices_reference(a, m)
    for g, e in zip(got, exp):
        assert g == pytest.approx(e, rel=1e-12, abs=1e-12), (got, exp)
    got_f = slices_inside(a[::-1], np.asfortranarray(m))
    exp_f = slices_reference(a[::-1], np.asfortranarray(m))
    for g, e in zip(got_f, exp_f):
        assert g == pytest.approx(e, rel=1e-12, abs=1e-12), (got_f, exp_f)


@njit
def row_stats(m):
    total = 0.0
    best = 0
    for i in range(m.shape[0]):
        total += np.max(m[i]) + m[i].sum() - np.min(m[i])
        if np.argmax(m[i]) > best:
            best = np.argmax(m[i])
    for _ in range(3):
        total += np.mean(m)
    return total, best


@SOME
@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=2, min_side=1,
                                               max_side=6),
                  elements=elements(np.dtype("float64"))))
def test_reductions_in_a_loop(m):
    total, best = row_stats(m)
    check_compiled(row_stats)
    exp_total = sum(np.max(r) + np.sum(r) - np.min(r) for r in m) + 3 * np.mean(m)
    exp_best = max(int(np.argmax(r)) for r in m)
    assert total == pytest.approx(exp_total, rel=1e-9, abs=1e-9)
    assert best == exp_best
    assert row_stats(m.T)[0] == pytest.approx(
        sum(np.max(r) + np.sum(r) - np.min(r) for r in m.T) + 3 * np.mean(m),
        rel=1e-9, abs=1e-9)


# ---------------------------------------------------------------------------------
# dispatch, names, errors

def test_two_specializations():
    @njit
    def total(a):
        return np.sum(a)

    assert total(np.array([1.5, 2.5])) == 4.0
    assert total(np.array([1, 2, 3], np.int32)) == 6
    assert total(np.array([0.5, 0.25])) == 0.75        # reuses the first
    sigs = [str(s) for s in total.signatures]
    assert len(sigs) == 2, sigs
    assert "float64" in sigs[0] and "int32" in sigs[1]
    check_compiled(total)
    types_ = {str(total.overloads[s].return_type) for s in total.signatures}
    assert types_ == {"float64", "int64"}


USER_MODULE = '''
import types
import numpy
from pyjit import njit

@njit
def sum(a):
    """A user function named sum (not NumPy's)."""
    return len(a) * 1000


np = types.ModuleType("not_numpy")      # a global named np that is not numpy
np.sum = sum


@njit
def via_fake_np(a):
    return np.sum(a)


@njit
def user_and_numpy(a):
    return sum(a) + numpy.sum(a) + a.sum()


@njit
def only_numpy(a):
    return numpy.max(a) + numpy.sum(a)
'''


def test_user_sum_and_fake_np_global(tmp_path):
    path = tmp_path / "pyjit_user_np_names.py"
    path.write_text(textwrap.dedent(USER_MODULE))
    spec = importlib.util.spec_from_file_location("pyjit_user_np_names", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    a = np.arange(5.0)
    assert mod.via_fake_np(a) == 5000
    assert mod.user_and_numpy(a) == 5000 + 10.0 + 10.0
    assert mod.only_numpy(a) == 14.0
    assert mod.sum(np.arange(3)) == 3000
    # NumPy's own reductions still work in this module and elsewhere
    assert j_sum(a) == 10.0
    for f in (mod.via_fake_np, mod.user_and_numpy, mod.only_numpy, mod.sum):
        check_compiled(f)


def test_user_function_named_sum_in_a_closure():
    @njit
    def sum(x):  # noqa: A001 (shadows the builtin on purpose)
        return x + 1

    @njit
    def g(a):
        return sum(3) + np.sum(a) + a.sum()

    assert g(np.array([1, 2], np.int64)) == 4 + 3 + 3
    check_compiled(g)


@njit
def sums_along(a):
    return (np.sum(a, axis=0), a.sum(axis=1), a.sum(-1), np.mean(a, axis=0),
            a.mean(1))


@pytest.mark.parametrize("a", [np.arange(12.0).reshape(3, 4),
                               np.arange(12).reshape(4, 3).T,
                               np.ones((2, 5), np.int8), np.zeros((0, 3))])
def test_sum_and_mean_along_an_axis(a):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = sums_along.py_func(a)
        got = sums_along(a)
    for g, w in zip(got, want):
        assert g.dtype == w.dtype and g.shape == w.shape
        np.testing.assert_allclose(g, w, rtol=1e-12)
    check_compiled(sums_along)


def test_unknown_keyword_of_a_reduction_is_a_typing_error():
    @njit
    def method_axes(a):
        return a.max(axes=1)

    with pytest.raises(TypingError) as info:
        method_axes(np.ones((2, 3)))
    assert "array.max(): got an unexpected keyword argument 'axes'" \
        in str(info.value)


LIST_FUNCS = [j_sum, j_prod, j_max, j_min, j_argmax, j_argmin, j_mean, j_var,
              j_std, j_any, j_all, j_count_nonzero]


@pytest.mark.parametrize("f", LIST_FUNCS, ids=ids)
def test_python_list_is_a_typing_error(f):
    with pytest.raises(TypingError):
        f([1.0, 2.0, 3.0])
    with pytest.raises(TypingError):
        f((1.0, 2.0))
    assert f.signatures == [] or all("pyobject" not in str(s) for s in f.signatures)


def test_python_list_in_a_subprocess():
    code = textwrap.dedent('''
        import numpy as np
        from pyjit import njit, TypingError

        @njit
        def f(a):
            return np.sum(a) + np.max(a) + np.dot(a, a)

        for arg in ([1, 2, 3], [1.0], (1, 2), 3.0):
            try:
                f(arg)
            except TypingError:
                pass
            else:
                raise SystemExit("no TypingError for %r" % (arg,))
        print("ok")
    ''')
    import tempfile
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as fh:
        fh.write(code)
        path = fh.name
    r = subprocess.run([sys.executable, path], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0 and r.stdout.strip() == "ok", (r.returncode, r.stderr)


# ---------------------------------------------------------------------------------
# values NumPy computes in a wider type

@pytest.mark.parametrize("a", [np.array([2 ** 62] * 4, np.int64),
                               np.array([2 ** 64 - 2] * 2, np.uint64)],
                         ids=["int64", "uint64"])
def test_mean_of_large_ints_like_numpy(a):
    assert j_mean(a) == pytest.approx(float(np.mean(a)), rel=1e-12)


def test_var_of_large_ints_like_numpy():
    a = np.array([2 ** 62, 2 ** 62, 2 ** 62, 2 ** 62 - 2 ** 40], np.int64)
    assert j_var(a) == pytest.approx(float(np.var(a)), rel=1e-9)


# ---------------------------------------------------------------------------------
# linspace, cumsum, cumprod

@njit
def spaced_and_accumulated(a, n):
    return (np.linspace(0.0, 1.0, n), np.linspace(-2, 3, 7), np.cumsum(a),
            a.cumprod(), a.cumsum(), np.linspace(1.0, 2.0))


@pytest.mark.parametrize("a", [np.arange(1, 6), np.arange(1.0, 5.0),
                               np.arange(6).reshape(2, 3),
                               np.ones(3, np.int8), np.zeros(0)])
@pytest.mark.parametrize("n", [0, 1, 2, 11])
def test_linspace_cumsum_cumprod(a, n):
    got = spaced_and_accumulated(a, n)
    want = spaced_and_accumulated.py_func(a, n)
    for g, w in zip(got, want):
        assert g.dtype == w.dtype and g.shape == w.shape
        np.testing.assert_allclose(g, w, rtol=1e-15)
    check_compiled(spaced_and_accumulated)


def test_linspace_negative_count():
    with pytest.raises(ValueError, match="non-negative"):
        spaced_and_accumulated(np.ones(2), -1)
