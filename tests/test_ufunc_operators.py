"""NumPy's ufuncs that are an operator of Python's (np.add is `+`,
np.logical_and is `&` of the operands' truth), called with an array, are
typed as that operator (csrc/array_ops.c), so they fuse into the array
expression around them as the operators do.  Differential tests: each
ufunc against the same operator written out in a jitted function of its
own, and against NumPy, over generated arrays and numbers of many dtypes,
shapes and views, each checking that the code compiled in nopython mode;
IR checks that the calls fuse; the calls that keep the library's
function (numbers alone, out=, keywords)."""
import io
import re

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given

from difftest import assert_compiled
from np_arrays import SOME, arrays, elements
from pyjit import njit

BINARY = {
    "add": lambda a, b: a + b,
    "subtract": lambda a, b: a - b,
    "multiply": lambda a, b: a * b,
    "divide": lambda a, b: a / b,
    "true_divide": lambda a, b: a / b,
    "floor_divide": lambda a, b: a // b,
    "remainder": lambda a, b: a % b,
    "mod": lambda a, b: a % b,
    "power": lambda a, b: a ** b,
    "left_shift": lambda a, b: a << b,
    "right_shift": lambda a, b: a >> b,
    "bitwise_and": lambda a, b: a & b,
    "bitwise_or": lambda a, b: a | b,
    "bitwise_xor": lambda a, b: a ^ b,
    "greater": lambda a, b: a > b,
    "greater_equal": lambda a, b: a >= b,
    "less": lambda a, b: a < b,
    "less_equal": lambda a, b: a <= b,
    "equal": lambda a, b: a == b,
    "not_equal": lambda a, b: a != b,
    "logical_and": lambda a, b: (a != 0) & (b != 0),
    "logical_or": lambda a, b: (a != 0) | (b != 0),
    "logical_xor": lambda a, b: (a != 0) != (b != 0),
}
UNARY = {
    "negative": lambda a: -a,
    "positive": lambda a: +a,
    "logical_not": lambda a: a == 0,
    "square": lambda a: a * a,
}


def ufunc_call(name, nin):
    uf = getattr(np, name)
    if nin == 1:
        return njit(lambda a: uf(a))
    return njit(lambda a, b: uf(a, b))


CALLS = {name: ufunc_call(name, 2) for name in BINARY}
CALLS.update({name: ufunc_call(name, 1) for name in UNARY})
WRITTEN = {name: njit(f) for name, f in {**BINARY, **UNARY}.items()}


def outcome(f, *args):
    try:
        return "value", f(*args)
    except Exception as e:          # the operator's own error, if any
        return "error", type(e).__name__


def same_outcome(name, args):
    got_kind, got = outcome(CALLS[name], *args)
    want_kind, want = outcome(WRITTEN[name], *args)
    assert got_kind == want_kind, (name, args, got, want)
    if got_kind == "error":
        assert got == want, (name, args, got, want)
        return None
    assert_compiled(CALLS[name])
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == want.dtype and got.shape == want.shape, \
        (name, got, want)
    np.testing.assert_array_equal(got, want, strict=True)
    return got


INT_DTYPES = [np.dtype(n) for n in ("bool", "int8", "int32", "int64",
                                    "uint8", "uint64")]
FLOAT_DTYPES = [np.dtype("float32"), np.dtype("float64")]


@st.composite
def operand_pairs(draw, dtypes):
    """Two operands that broadcast together: arrays of one to three
    dimensions (views included), or an array and a number."""
    da, db = draw(st.sampled_from(dtypes)), draw(st.sampled_from(dtypes))
    a = draw(arrays(dtype=da))
    form = draw(st.sampled_from(["same", "row", "number", "number_first"]))
    if form == "same":
        b = draw(arrays(dtype=db, ndim=a.ndim)).ravel()
        b = np.resize(b, a.shape) if b.size else np.zeros(a.shape, db)
        return a, b
    if form == "row":
        b = draw(arrays(dtype=db, ndim=1))
        b = np.resize(b, a.shape[-1:]) if b.size else np.zeros(
            a.shape[-1:], db)
        return a, b
    n = draw(elements(np.dtype("float64") if db.kind == "f" else db))
    n = {"f": float, "b": bool}.get(db.kind, int)(n)
    return (a, n) if form == "number" else (n, a)


ALL_BINARY = sorted(BINARY)
INTEGER_ONLY = {"left_shift", "right_shift", "bitwise_and", "bitwise_or",
                "bitwise_xor"}


@pytest.mark.parametrize("name", ALL_BINARY)
@SOME
@given(data=st.data())
def test_binary_ufunc_is_its_operator(name, data):
    dtypes = INT_DTYPES if name in INTEGER_ONLY else \
        INT_DTYPES + FLOAT_DTYPES
    a, b = data.draw(operand_pairs(dtypes))
    if name in ("left_shift", "right_shift", "power"):
        # shifts past the width and negative powers of integers are
        # undefined or raise in both forms alike; keep to defined ones
        if any(np.asarray(x).dtype.kind in "iu" for x in (a, b)):
            b = np.abs(np.asarray(b)) % 7
            if np.ndim(b) == 0:
                b = int(b)
    with np.errstate(all="ignore"):
        got = same_outcome(name, (a, b))
        if got is not None and isinstance(a, np.ndarray) \
                and isinstance(b, np.ndarray):
            try:
                want = getattr(np, name)(a, b)
            except TypeError:       # NumPy has no loop (bool - bool)
                return
            np.testing.assert_array_equal(got, want.astype(got.dtype))


@pytest.mark.parametrize("name", sorted(UNARY))
@SOME
@given(a=arrays())
def test_unary_ufunc_is_its_operator(name, a):
    with np.errstate(all="ignore"):
        got = same_outcome(name, (a,))
    if got is not None and a.dtype != np.bool_:
        np.testing.assert_array_equal(got, getattr(np, name)(a))


@pytest.mark.parametrize("name", ["logical_and", "logical_or",
                                  "logical_xor"])
def test_logical_ufuncs_on_complex_and_nan(name):
    a = np.array([0j, 1j, 2 + 0j, complex("nan"), 0j])
    b = np.array([0.0, 0.0, 3.0, 0.0, float("nan")])
    got = CALLS[name](a, b)
    np.testing.assert_array_equal(got, getattr(np, name)(a, b), strict=True)
    assert_compiled(CALLS[name])


def test_logical_not_of_complex_and_zero_d():
    f = CALLS["logical_not"]
    a = np.array([0j, 1j, complex("nan")])
    np.testing.assert_array_equal(f(a), np.logical_not(a), strict=True)
    assert f(np.array(0.0)) == np.logical_not(np.array(0.0))


def typed_ir(f):
    out = io.StringIO()
    f.inspect_types(file=out)
    return out.getvalue()


def test_ufunc_calls_fuse_into_one_expression():
    @njit
    def f(x, y):
        return np.sqrt(np.add(np.multiply(x, x), np.multiply(y, y)))

    x, y = np.arange(5.0), np.arange(5.0, 10.0)
    np.testing.assert_array_equal(f(x, y), np.sqrt(x * x + y * y))
    assert "arrayexpr(expr=sqrt(add(multiply(x, x), multiply(y, y))), " \
        "ops=4)" \
        in typed_ir(f), typed_ir(f)
    assert_compiled(f)


def test_square_fuses_as_a_product_of_its_operand():
    @njit
    def f(a, b):
        return np.exp(-np.square(a - b)).sum()

    rng = np.random.default_rng(5)
    a, b = rng.random(300), rng.random(300)
    np.testing.assert_allclose(f(a, b), np.exp(-np.square(a - b)).sum())
    assert "arrayexpr(expr=sum(exp((-square((a - b))))), ops=4)" \
        in typed_ir(f), typed_ir(f)
    assert_compiled(f)


def test_logical_ufuncs_fuse_with_their_comparisons():
    @njit
    def f(a, b):
        return np.logical_and(a > 0.2, np.logical_not(b < 0.7)).sum()

    rng = np.random.default_rng(3)
    a, b = rng.random(1000), rng.random(1000)
    assert f(a, b) == np.logical_and(a > 0.2, ~(b < 0.7)).sum()
    text = typed_ir(f)
    assert re.search(r"arrayexpr\(expr=sum\(", text), text
    assert_compiled(f)


def test_numbers_alone_keep_numpys_error_model():
    @njit
    def f(x, y):
        return (np.true_divide(x, y), np.floor_divide(x, y),
                np.logical_and(x, y))

    with np.errstate(all="ignore"):
        for x, y in [(1.0, 0.0), (3, 0), (-2.5, 0.0), (7, 2)]:
            got = f(x, y)
            want = (np.true_divide(x, y), np.floor_divide(x, y),
                    np.logical_and(x, y))
            np.testing.assert_array_equal(np.array(got, dtype=float),
                                          np.array(want, dtype=float))
    assert_compiled(f)


def test_out_and_keywords_still_take_the_library_path():
    @njit
    def f(a, b, o, m):
        np.add(a, b, o)
        np.logical_and(a > 1, b > 1, out=m)
        return o, m

    a, b = np.arange(4.0), np.full(4, 2.0)
    o, m = f(a, b, np.zeros(4), np.zeros(4, np.bool_))
    np.testing.assert_array_equal(o, a + b)
    np.testing.assert_array_equal(m, (a > 1) & (b > 1))
    assert_compiled(f)


def test_result_unused():
    @njit
    def f(a):
        np.add(a, 1)
        np.logical_not(a)
        return a.sum()

    assert f(np.arange(4.0)) == 6.0
    assert_compiled(f)


def test_in_a_parallel_function():
    @njit(parallel=True)
    def f(a, b):
        return np.multiply(np.subtract(a, b), 2.0).sum()

    a, b = np.arange(100000.0), np.ones(100000)
    assert f(a, b) == ((a - b) * 2.0).sum()
    assert_compiled(f)


def test_arrays_that_do_not_broadcast():
    f = CALLS["add"]
    with pytest.raises(ValueError, match="broadcast"):
        f(np.ones(3), np.ones(4))


conjugate = njit(lambda x: np.conjugate(x))
conj_method = njit(lambda x: x.conj())


@SOME
@given(a=arrays(), imag=st.booleans())
def test_conjugate_against_numpy(a, imag):
    if imag and a.dtype.kind == "f":
        a = a + 1j * a[::-1] if a.ndim == 1 else a.astype(np.complex128)
    got = conjugate(a)
    want = np.conjugate(a)
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    np.testing.assert_array_equal(got, want, strict=True)
    np.testing.assert_array_equal(np.signbit(got.imag), np.signbit(want.imag))
    np.testing.assert_array_equal(conj_method(a), want, strict=True)
    assert_compiled(conjugate)


def test_conjugate_of_numbers():
    for x in [1.5 - 2j, complex("nan"), 3, True, 2.5]:
        got, want = conjugate(x), np.conjugate(x)
        assert got == want or (got != got and want != want), (x, got, want)
    assert conjugate(-0.0j).imag == 0.0 and not np.signbit(
        conjugate(-0.0j).imag)


def test_conjugate_fuses():
    @njit
    def f(z, w):
        return (np.conj(z) * w).sum()

    z = np.arange(6.0) + 1j * np.arange(6.0, 12.0)
    w = z[::-1].copy()
    np.testing.assert_allclose(f(z, w), (np.conj(z) * w).sum())
    assert "arrayexpr(expr=sum((conj(z) * w)), ops=2)" in typed_ir(f), \
        typed_ir(f)
    assert_compiled(f)


# --- a.real and a.imag of an element-wise temporary (csrc/array_view.c) ---

part_exprs = {
    "real": njit(lambda z, w: (z * w).real),
    "imag": njit(lambda z, w: (z * w).imag),
    "power": njit(lambda z, w: (z * np.conj(z)).real),
    "both": njit(lambda z, w: np.hypot((z - w).real, (z + w).imag)),
    "summed": njit(lambda z, w: (z * w).imag.sum()),
    "scaled": njit(lambda z, w: 2.0 * (z / w).real - 1.0),
}


# The same expressions with each temporary named first: its part is then
# a view of it, as in NumPy, and nothing fuses past it.
@njit
def real_named(z, w):
    p = z * w
    return p.real


@njit
def imag_named(z, w):
    p = z * w
    return p.imag


@njit
def power_named(z, w):
    p = z * np.conj(z)
    return p.real


@njit
def both_named(z, w):
    d = z - w
    s = z + w
    return np.hypot(d.real, s.imag)


@njit
def summed_named(z, w):
    p = z * w
    return p.imag.sum()


@njit
def scaled_named(z, w):
    q = z / w
    return 2.0 * q.real - 1.0


part_named = {"real": real_named, "imag": imag_named, "power": power_named,
              "both": both_named, "summed": summed_named,
              "scaled": scaled_named}
part_numpy = {
    "real": lambda z, w: (z * w).real,
    "imag": lambda z, w: (z * w).imag,
    "power": lambda z, w: (z * np.conj(z)).real,
    "both": lambda z, w: np.hypot((z - w).real, (z + w).imag),
    "summed": lambda z, w: (z * w).imag.sum(),
    "scaled": lambda z, w: 2.0 * (z / w).real - 1.0,
}


def complex_pair(a, dtype):
    # Two complex arrays of a's shape and view from generated floats.
    z = a.astype(dtype) + 1j * np.flip(a).astype(dtype)
    w = np.ones_like(z) * (0.5 - 2j) + z[..., ::-1]
    return z, w


@SOME
@given(a=arrays(dtype=np.dtype("float64")),
       dtype=st.sampled_from([np.complex64, np.complex128]),
       name=st.sampled_from(sorted(part_exprs)))
def test_parts_of_temporaries_against_views_and_numpy(a, dtype, name):
    z, w = complex_pair(a, dtype)
    with np.errstate(all="ignore"):
        got = part_exprs[name](z, w)
        named = part_named[name](z, w)
        want = part_numpy[name](z.astype(np.complex128),
                                w.astype(np.complex128))
    # the same arithmetic as through a view: the same bits and dtype
    np.testing.assert_array_equal(got, named, strict=True)
    # and NumPy's values, to the precision of the dtype (NumPy may
    # contract a complex product of floats into a fused multiply-add)
    tol = 1e-5 if dtype == np.complex64 else 1e-12
    scale = np.max(np.abs(z[np.isfinite(z)]), initial=1.0) ** 2
    finite = np.isfinite(want) & np.isfinite(got)
    np.testing.assert_allclose(np.where(finite, got, 0.0),
                               np.where(finite, want, 0.0),
                               rtol=tol, atol=tol * scale)
    assert_compiled(part_exprs[name])


def test_parts_of_temporaries_fuse():
    z = np.arange(6.0) + 1j * np.arange(6.0, 12.0)
    w = z[::-1].copy()
    for name in ("power", "summed", "both"):
        part_exprs[name](z, w)
    assert "arrayexpr(expr=(z * conj(z)).real, ops=3)" \
        in typed_ir(part_exprs["power"]), typed_ir(part_exprs["power"])
    assert "arrayexpr(expr=sum((z * w).imag), ops=2)" \
        in typed_ir(part_exprs["summed"]), typed_ir(part_exprs["summed"])
    assert "arrayexpr(expr=hypot((z - w).real, (z + w).imag), ops=5)" \
        in typed_ir(part_exprs["both"]), typed_ir(part_exprs["both"])


def test_parts_of_named_arrays_stay_views():
    # z.real of a variable is a view of z's memory, as in NumPy: writing
    # it writes z; a temporary bound to a name first is a variable too.
    @njit
    def zero_real(z):
        r = z.real
        r[:] = 0.0
        z.imag[0] = 7.0
        return z

    @njit
    def named_temporary(z, w):
        p = z * w
        r = p.imag
        r[0] = -1.0
        return p

    z = np.arange(4.0) + 1j
    np.testing.assert_array_equal(zero_real(z.copy()),
                                  np.array([7j, 1j, 1j, 1j]))
    w = np.full(4, 2 + 0j)
    want = z * w
    want.imag[0] = -1.0
    np.testing.assert_array_equal(named_temporary(z, w), want)
