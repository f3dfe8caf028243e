"""Operators and ufuncs on whole arrays: a + b, a * 2.0, -a, a < b, a += b,
np.sqrt(a)...; results (values and dtypes) compared with NumPy's."""
import operator
import re
import resource

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

import pyjit
from pyjit import njit

FEW = settings(max_examples=40, deadline=None)
DTYPES = [np.int8, np.int32, np.int64, np.uint8, np.uint32, np.float32,
          np.float64, np.complex128, np.bool_]


def assert_compiled(f):
    assert f.signatures
    for sig in f.signatures:
        assert "pyobject" not in str(sig)


def same(got, want, rtol=0):
    assert isinstance(got, np.ndarray), got
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    assert got.shape == want.shape
    if rtol:
        np.testing.assert_allclose(got, want, rtol=rtol, equal_nan=True)
    else:
        np.testing.assert_array_equal(got, want)


@njit
def add(a, b):
    return a + b


@njit
def sub(a, b):
    return a - b


@njit
def mul(a, b):
    return a * b


@njit
def less(a, b):
    return a < b


@njit
def neg(a):
    return -a


def small(dtype):
    if np.dtype(dtype).kind == "b":
        return st.booleans()
    if np.dtype(dtype).kind in "iu":
        info = np.iinfo(dtype)
        return st.integers(max(info.min, -100), min(info.max, 100))
    return st.floats(-100, 100, width=32 if dtype == np.float32 else 64)


@st.composite
def pairs(draw):
    dtype = draw(st.sampled_from([d for d in DTYPES if d is not np.bool_]))
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, max_side=4))
    a = draw(hnp.arrays(dtype, shape, elements=small(dtype)))
    b = draw(hnp.arrays(dtype, shape, elements=small(dtype)))
    return a, b


@FEW
@given(pairs())
def test_same_shape_arithmetic(ab):
    a, b = ab
    with np.errstate(all="ignore"):
        for f in (add, sub, mul):
            same(f(a, b), f.py_func(a, b))
        if a.dtype.kind != "c":
            same(less(a, b), less.py_func(a, b))
    assert_compiled(add)


# The dtype of `a op s` (and of `s op a`, and of `a op b` for arrays) by
# the dtype of a (rows) and of s (columns), in NumPy's one-letter codes; '-'
# is a TypingError.  These are Numba's results: the first loop of the
# operator's ufunc that both dtypes cast to safely, a scalar counting by its
# type (int is int64, float is float64), and integers going into any float
# loop when the operands mix integers with floats.
DTYPE_TABLE = """
    + *
      ?bhiqBHIQfdFD
    ? ?bhiqBHIQfdFD
    b bbhiqhiqdfdFD
    h hhhiqhiqdfdFD
    i iiiiqiiqdfdFD
    q qqqqqqqqdfdFD
    B BhhiqBHIQfdFD
    H HiiiqHHIQfdFD
    I IqqqqIIIQfdFD
    Q QddddQQQQfdFD
    f ffffffffffdFD
    d dddddddddddDD
    F FFFFFFFFFFDFD
    D DDDDDDDDDDDDD
    - **
      ?bhiqBHIQfdFD
    ? bbhiqBHIQfdFD
    b bbhiqhiqdfdFD
    h hhhiqhiqdfdFD
    i iiiiqiiqdfdFD
    q qqqqqqqqdfdFD
    B BhhiqBHIQfdFD
    H HiiiqHHIQfdFD
    I IqqqqIIIQfdFD
    Q QddddQQQQfdFD
    f ffffffffffdFD
    d dddddddddddDD
    F FFFFFFFFFFDFD
    D DDDDDDDDDDDDD
    /
      ?bhiqBHIQfdFD
    ? fffddffddfdFD
    b fffddffddfdFD
    h fffddffddfdFD
    i dddddddddfdFD
    q dddddddddfdFD
    B fffddffddfdFD
    H fffddffddfdFD
    I dddddddddfdFD
    Q dddddddddfdFD
    f ffffffffffdFD
    d dddddddddddDD
    F FFFFFFFFFFDFD
    D DDDDDDDDDDDDD
    // %
      ?bhiqBHIQfdFD
    ? bbhiqBHIQfd--
    b bbhiqhiqdfd--
    h hhhiqhiqdfd--
    i iiiiqiiqdfd--
    q qqqqqqqqdfd--
    B BhhiqBHIQfd--
    H HiiiqHHIQfd--
    I IqqqqIIIQfd--
    Q QddddQQQQfd--
    f ffffffffffd--
    d ddddddddddd--
    F -------------
    D -------------
    & | ^
      ?bhiqBHIQfdFD
    ? ?bhiqBHIQ----
    b bbhiqhiq-----
    h hhhiqhiq-----
    i iiiiqiiq-----
    q qqqqqqqq-----
    B BhhiqBHIQ----
    H HiiiqHHIQ----
    I IqqqqIIIQ----
    Q Q----QQQQ----
    f -------------
    d -------------
    F -------------
    D -------------
    << >>
      ?bhiqBHIQfdFD
    ? bbhiqBHIQ----
    b bbhiqhiq-----
    h hhhiqhiq-----
    i iiiiqiiq-----
    q qqqqqqqq-----
    B BhhiqBHIQ----
    H HiiiqHHIQ----
    I IqqqqIIIQ----
    Q Q----QQQQ----
    f -------------
    d -------------
    F -------------
    D -------------
"""


CODES = "?bhiqBHIQfdFD"
PY_OPERATORS = {"+": operator.add, "-": operator.sub, "*": operator.mul,
                "/": operator.truediv, "//": operator.floordiv,
                "%": operator.mod, "**": operator.pow, "&": operator.and_,
                "|": operator.or_, "^": operator.xor, "<<": operator.lshift,
                ">>": operator.rshift}


def dtype_table():
    table, ops = {}, None
    for line in DTYPE_TABLE.strip().splitlines():
        words = line.split()
        if words == [CODES]:
            continue                        # the column header
        if all(w in PY_OPERATORS for w in words):
            ops = words
            continue
        row, cells = words
        for op in ops:
            for col, cell in zip("?bhiqBHIQfdFD", cells):
                table[op, row, col] = None if cell == "-" else cell
    return table


TABLE = dtype_table()
@njit
def plus(a, s):
    return a + s


@njit
def plus_in_place(a, s):
    a += s
    return a


@njit
def minus(a, s):
    return a - s


@njit
def minus_in_place(a, s):
    a -= s
    return a


@njit
def times(a, s):
    return a * s


@njit
def times_in_place(a, s):
    a *= s
    return a


@njit
def over(a, s):
    return a / s


@njit
def over_in_place(a, s):
    a /= s
    return a


@njit
def floor_over(a, s):
    return a // s


@njit
def floor_over_in_place(a, s):
    a //= s
    return a


@njit
def modulo(a, s):
    return a % s


@njit
def modulo_in_place(a, s):
    a %= s
    return a


@njit
def power(a, s):
    return a ** s


@njit
def power_in_place(a, s):
    a **= s
    return a


@njit
def bit_and(a, s):
    return a & s


@njit
def bit_and_in_place(a, s):
    a &= s
    return a


@njit
def bit_or(a, s):
    return a | s


@njit
def bit_or_in_place(a, s):
    a |= s
    return a


@njit
def bit_xor(a, s):
    return a ^ s


@njit
def bit_xor_in_place(a, s):
    a ^= s
    return a


@njit
def shift_left(a, s):
    return a << s


@njit
def shift_left_in_place(a, s):
    a <<= s
    return a


@njit
def shift_right(a, s):
    return a >> s


@njit
def shift_right_in_place(a, s):
    a >>= s
    return a


OPERATORS = {"+": (plus, plus_in_place), "-": (minus, minus_in_place), "*": (times, times_in_place), "/": (over, over_in_place), "//": (floor_over, floor_over_in_place), "%": (modulo, modulo_in_place), "**": (power, power_in_place), "&": (bit_and, bit_and_in_place), "|": (bit_or, bit_or_in_place), "^": (bit_xor, bit_xor_in_place), "<<": (shift_left, shift_left_in_place), ">>": (shift_right, shift_right_in_place)}
def sample_array(code, op):
    dtype = np.dtype(code)
    if dtype.kind in "bui":
        # no negative shift counts or integer exponents
        values = [1, 7, 3] if op in ("<<", ">>", "**") else [1, 7, -3]
        return np.array(values).astype(dtype)
    if dtype.kind == "f":
        return np.array([0.1, 1.5, -2.7], dtype)
    return np.array([0.1 + 1j, 1.5, -2.7 - 0.3j]).astype(dtype)


def sample_scalar(code):
    """Python's bool, int, float and complex for their dtypes, as a program
    writes them; NumPy scalars for the others."""
    python = {"?": True, "q": 3, "d": 0.3, "D": 0.3 + 0.2j}
    if code in python:
        return python[code]
    kind = np.dtype(code).kind
    return np.dtype(code).type(3 if kind in "iu" else 0.3 if kind == "f"
                               else 0.3 + 0.2j)


def in_loop(op, x, y, code):
    """x op y computed by NumPy in the dtype `code`."""
    with np.errstate(all="ignore"):
        return PY_OPERATORS[op](np.asarray(x).astype(code),
                                np.asarray(y).astype(code))


def same_result(got, want, op):
    if op == "**" or want.dtype.kind == "c":    # libm's rounding, not ours
        same(got, want, rtol=1e-6)
    else:
        same(got, want)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(PY_OPERATORS)), st.sampled_from(CODES),
       st.sampled_from(CODES), st.sampled_from(["a op s", "s op a",
                                                "a op b", "a op= s"]))
def test_operator_dtypes_follow_numba(op, acode, scode, form):
    a, s = sample_array(acode, op), sample_scalar(scode)
    loop = TABLE[op, acode, scode]
    f, f_in_place = OPERATORS[op]
    if form == "a op= s":
        if loop is None or not np.can_cast(loop, a.dtype, "same_kind"):
            with pytest.raises(pyjit.TypingError,
                               match=re.escape(f"No implementation of {op}= for")):
                f_in_place(a, s)
            return
        want = in_loop(op, a, s, loop).astype(a.dtype)
        got = f_in_place(a, s)
        assert got is a
        same_result(got, want, op)
        return
    x, y = {"a op s": (a, s), "s op a": (s, a),
            "a op b": (a, np.full(3, s, dtype=scode))}[form]
    if loop is None:
        with pytest.raises(pyjit.TypingError, match="NumPy has no loop for "
                           "the operator on these dtypes"):
            f(x, y)
        return
    same_result(f(x, y), in_loop(op, x, y, loop), op)
    assert_compiled(f)


@njit
def scalar_mix(a, s):
    return a + s, a * 2.0


def test_a_scalar_counts_by_its_type():
    a = np.array([0.1, 1.5, -2.7], np.float32)
    s = 0.3
    total, doubled = scalar_mix(a, s)
    same(total, a.astype(np.float64) + s)
    same(doubled, a.astype(np.float64) * 2.0)
    i = np.array([1, 2 ** 31 - 1], np.int32)
    total, doubled = scalar_mix(i, 1)
    same(total, np.array([2, 2 ** 31], np.int64))       # no int32 wrap
    same(doubled, np.array([2.0, 2.0 ** 32 - 2]))
    same(times(a, 3), np.array([0.1, 1.5, -2.7], np.float32)
         * np.float32(3))                                # an int: float32
    same(over(np.array([1, 2], np.int8), np.int8(3)),
         np.array([1, 2], np.float32) / np.float32(3))
    same(plus(np.array([2 ** 64 - 1], np.uint64), 1), np.array([2.0 ** 64]))
    same(minus(np.array([True, False]), True), np.array([0, -1], np.int8))
    same(plus(np.array([True, False]), True), np.array([True, True]))
    same(times(np.array([1 + 1j], np.complex64), 0.1),
         np.array([0.1 + 0.1j], np.complex128))
    assert_compiled(scalar_mix)


def test_in_place_keeps_the_dtype_numba_allows():
    a = np.array([0.1, 1.5], np.float32)
    want = (a.astype(np.float64) + 0.3).astype(np.float32)
    assert plus_in_place(a, 0.3) is a
    same(a, want)
    b = np.array([100, -100], np.int8)
    same(plus_in_place(b, 100), np.array([-56, 0], np.int8))
    with pytest.raises(pyjit.TypingError,
                       match=re.escape("No implementation of += for "
                                       "(array(uint8, 1d, C), int64): the "
                                       "result cannot be stored in the "
                                       "array in place (NumPy's "
                                       "'same_kind' casting)")):
        plus_in_place(np.zeros(2, np.uint8), 1)
    with pytest.raises(pyjit.TypingError, match="same_kind"):
        plus_in_place(np.zeros(2, np.int32), 2.5)


@njit
def signs(a):
    return -a, +a, ~a


def test_unary_operators_on_booleans_follow_numba():
    negated, plus_, inverted = signs(np.array([True, False]))
    same(negated, np.array([-1, 0], np.int8))
    same(plus_, np.array([1, 0], np.int8))
    same(inverted, np.array([False, True]))


@njit
def truediv(a, b):
    return a / b


@njit
def floordiv(a, b):
    return a // b


def test_division_follows_numpy():
    a = np.array([7, -7, 3, 0])
    b = np.array([2, 2, 0, 0])
    with np.errstate(all="ignore"):
        same(truediv(a, b), truediv.py_func(a, b))
        x = np.array([1.0, -1.0, 0.0])
        same(truediv(x, 0.0), truediv.py_func(x, 0.0))
        same(floordiv(a, np.array([2, 3, 4, 5])),
             floordiv.py_func(a, np.array([2, 3, 4, 5])))


@pytest.mark.parametrize("shapes", [((3, 4), (4,)), ((3, 1), (1, 4)),
                                    ((2, 3, 4), (3, 1)), ((5,), (1,)),
                                    ((1,), (0,))])
def test_broadcasting(shapes):
    a = np.arange(np.prod(shapes[0]), dtype=np.float64).reshape(shapes[0])
    b = np.arange(np.prod(shapes[1]), dtype=np.float64).reshape(shapes[1])
    same(add(a, b), a + b)
    same(mul(b, a), b * a)


def test_shapes_that_do_not_broadcast():
    with pytest.raises(ValueError, match="broadcast"):
        add(np.zeros((3, 4)), np.zeros(3))


def test_strided_operands():
    m = np.arange(24.0).reshape(4, 6)
    same(add(m[:, ::2], m[::-1, 1::2]), m[:, ::2] + m[::-1, 1::2])
    same(neg(m.T), -m.T)


@njit
def inplace(a, b):
    a += b
    a *= 2
    return a


def test_in_place_updates_the_array():
    x = np.arange(5.0)
    r = inplace(x, np.ones(5))
    assert r is x
    same(x, (np.arange(5.0) + 1) * 2)
    m = np.zeros((2, 3), np.int32)
    inplace(m, np.array([1, 2, 3], np.int32))
    same(m, np.array([[2, 4, 6], [2, 4, 6]], np.int32))


def test_in_place_refuses_an_unsafe_cast():
    with pytest.raises(pyjit.TypingError, match="same_kind"):
        inplace(np.zeros(3, np.int64), np.ones(3))


@njit
def ufuncs(a):
    return (np.sqrt(a), np.exp(a), np.log(a), np.sin(a), np.cos(a),
            np.tanh(a), np.abs(a), np.floor(a), np.ceil(a), np.isnan(a),
            np.arctan(a), np.absolute(a), abs(a))


@pytest.mark.parametrize("a", [np.array([0.5, 1.0, 2.5, np.nan, -1.0]),
                               np.arange(1, 5, dtype=np.int64),
                               np.arange(1, 5, dtype=np.float32)])
def test_ufuncs(a):
    with np.errstate(all="ignore"):
        want = ufuncs.py_func(a)
        got = ufuncs(a)
    for g, w in zip(got, want):
        same(g, w, rtol=1e-6)


@njit
def expression(x, y):
    return np.sqrt(x * x + y * y) / 2.0 + 1


def test_expressions_and_memory():
    x, y = np.random.rand(1000), np.random.rand(1000)
    same(expression(x, y), expression.py_func(x, y), rtol=1e-15)
    for _ in range(2000):
        expression(x, y)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for _ in range(20000):
        expression(x, y)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before \
        < 20_000


# --- assigning to parts of an array ----------------------------------------

@njit
def set_slices(a, v):
    a[1:3] = v
    return a


@njit
def set_rows(m, row):
    m[1] = row
    m[:, 0] = -1
    m[2, 1:] = 7.5
    return m


@njit
def shift_right(a):
    a[1:] = a[:-1]      # overlapping: read from a copy, as NumPy does
    return a


@njit
def reverse_in_place(a):
    a[:] = a[::-1]
    return a


@pytest.mark.parametrize("v", [9.0, np.array([8.0, 9.0]), np.array([5.0])])
def test_slice_assignment(v):
    want = np.arange(6.0)
    want[1:3] = v
    got = set_slices(np.arange(6.0), v)
    same(got, want)
    assert_compiled(set_slices)


def test_row_and_column_assignment():
    want = set_rows.py_func(np.zeros((3, 4)), np.arange(4.0))
    same(set_rows(np.zeros((3, 4)), np.arange(4.0)), want)


@njit
def add_transpose(d):
    d += d.T            # tslearn's cdist_normalized_cc: a symmetric matrix
    return d


@njit
def running_sums(a):
    a[1:] += a[:-1]
    a -= a[::-1]
    return a


@pytest.mark.parametrize("f, shape", [(add_transpose, (4, 4)),
                                      (running_sums, (7,))])
def test_in_place_operations_read_the_old_values(f, shape):
    rng = np.random.default_rng(0)
    for a in (rng.random(shape), rng.integers(-9, 9, shape)):
        want = f.py_func(a.copy())
        got = a.copy()
        f(got)
        same(got, want)
    assert_compiled(f)


@pytest.mark.parametrize("f", [shift_right, reverse_in_place])
def test_overlapping_assignment_reads_the_old_values(f):
    for a in (np.arange(7), np.arange(12.0)[::2]):
        want = f.py_func(a.copy())
        got = a.copy()
        f(got)
        same(got, want)


def test_assignment_that_does_not_broadcast():
    with pytest.raises(ValueError, match="broadcast"):
        set_slices(np.arange(6.0), np.ones(3))
    ro = np.arange(4.0)
    ro.flags.writeable = False
    with pytest.raises(pyjit.TypingError, match="read-only"):
        set_slices(ro, 1.0)


# --- reshaping and transposing -------------------------------------------------

@njit
def reshaped(a):
    m = a.reshape(3, 4)
    return (m, m.T, m.reshape((2, -1)), m.T.ravel(), m.ravel(), m.flatten(),
            m.transpose(), a.reshape(-1, 2))


def test_reshape_transpose_ravel():
    a = np.arange(12.0)
    got, want = reshaped(a), reshaped.py_func(a)
    for g, w in zip(got, want):
        same(g, w)
    m, t, r, tr, rv, fl = got[:6]
    assert np.shares_memory(m, a) and np.shares_memory(t, a)
    assert np.shares_memory(rv, a)          # ravel of a C array: a view
    assert not np.shares_memory(tr, a)      # ravel of a transpose: a copy
    assert not np.shares_memory(fl, a)      # flatten: always a copy
    assert_compiled(reshaped)


@njit
def reshape_to(a, n, m):
    return a.reshape(n, m)


def test_reshape_errors():
    # NumPy's messages
    with pytest.raises(ValueError, match=r"^cannot reshape array of size 12 "
                                         r"into shape \(5,5\)$"):
        reshape_to(np.arange(12.0), 5, 5)
    with pytest.raises(ValueError, match=r"^cannot reshape array of size 12 "
                                         r"into shape \(5,newaxis\)$"):
        reshape_to(np.arange(12.0), 5, -1)
    with pytest.raises(ValueError,
                       match="^can only specify one unknown dimension$"):
        reshape_to(np.arange(12.0), -1, -1)
    assert reshape_to(np.arange(12.0), -2, 3).shape == (4, 3)  # as NumPy
    with pytest.raises(NotImplementedError, match="incompatible shape"):
        reshape_to(np.asfortranarray(np.arange(12.0).reshape(3, 4)), 4, 3)


@njit
def reshape_shape(a, shape):
    return a.reshape(shape)


def factorizations(n, parts):
    """Shapes of `parts` dimensions whose product is n."""
    if parts == 1:
        return [(n,)]
    return [(d,) + rest for d in range(1, n + 1) if n % d == 0
            for rest in factorizations(n // d, parts - 1)]


@st.composite
def non_c_arrays_and_shapes(draw):
    shape = tuple(draw(st.lists(st.integers(1, 4), min_size=1, max_size=3)))
    base = np.arange(float(np.prod(shape) * 2)).reshape(shape + (2,))
    how = draw(st.sampled_from(["F", "T", "step", "last"]))
    a = {"F": lambda: np.asfortranarray(base[..., 0]),
         "T": lambda: base[..., 0].T,
         "step": lambda: base.reshape(-1)[::2].reshape(shape),
         "last": lambda: base[..., 1]}[how]()
    parts = draw(st.integers(1, 4))
    return a, draw(st.sampled_from(factorizations(a.size, parts)))


@settings(max_examples=150, deadline=None)
@given(non_c_arrays_and_shapes())
def test_reshape_of_arrays_that_are_not_c_contiguous(case):
    # a view where NumPy's reshape is one (Numba reshapes F arrays so), and
    # Numba's NotImplementedError where NumPy would copy
    a, shape = case
    want = a.reshape(shape)
    if np.shares_memory(want, a):
        got = reshape_shape(a, shape)
        same(got, want)
        assert np.shares_memory(got, a)
    else:
        with pytest.raises(NotImplementedError, match="incompatible shape"):
            reshape_shape(a, shape)
    assert_compiled(reshape_shape)


@njit
def reshape_if_c(a):
    # a branch that never runs for an F array still compiles (as in Numba)
    return a.reshape(12) if a.flags.c_contiguous else a.copy().reshape(12)


def test_reshape_of_an_f_array_in_a_branch_not_taken():
    a = np.asfortranarray(np.arange(12.0).reshape(3, 4))
    same(reshape_if_c(a), reshape_if_c.py_func(a))
    same(reshape_shape(a, (3, 4, 1)), a.reshape(3, 4, 1))
    same(reshape_shape(a[:0], (0, 5)), a[:0].reshape(0, 5))


@njit
def made_and_reshaped(n):
    x = np.arange(n * 2).reshape(2, n)
    return x.T, x.ravel()


def test_views_of_arrays_made_in_compiled_code():
    t, r = made_and_reshaped(3)
    same(t, np.arange(6).reshape(2, 3).T)
    same(r, np.arange(6))
    assert np.shares_memory(t, r)
    for _ in range(20000):
        made_and_reshaped(100)
