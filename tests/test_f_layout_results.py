"""The layout of arrays computed element by element: operators, ufuncs of
one and two inputs and fused array expressions whose array operands are
all F give F arrays, as NumPy's order='K' does and Numba types them;
an F array with a number stays F, with a C array (or a 1-d one) gives C,
as Numba's rule has it.  Differential against NumPy over seeded arrays
of generated shapes (2-d, 3-d, empty, dimensions of 1), each checking
nopython compilation, and the result type's layout against Numba's.
Reductions over fused expressions of F arrays give NumPy's values."""
import warnings

import numba
import numpy as np
import pytest

from pyjit import njit

from difftest import assert_compiled
from np_arrays import assert_same_array

RNG = np.random.default_rng(14)
SHAPES_2D = [(0, 0), (0, 3), (3, 0), (1, 1), (1, 4), (4, 1), (2, 3), (5, 7)]
SHAPES_3D = [(0, 2, 3), (1, 1, 1), (2, 1, 3), (3, 4, 1), (2, 3, 4)]


def gen_shapes(n=6):
    """The listed shapes and n more drawn at random, 2-d and 3-d, sides
    from 0 to 6."""
    drawn = [tuple(int(s) for s in RNG.integers(0, 7, nd))
             for nd in RNG.integers(2, 4, n)]
    return SHAPES_2D + SHAPES_3D + drawn


SHAPES = gen_shapes()


def values(shape, dtype):
    """Seeded values of dtype: integers of both signs, or floats with a
    NaN and an infinity among them when there is room."""
    kind = np.dtype(dtype).kind
    if kind in "iu":
        a = RNG.integers(-20 if kind == "i" else 1, 20, shape)
        return a.astype(dtype)
    if kind == "b":
        return RNG.integers(0, 2, shape).astype(bool)
    a = RNG.normal(0, 3, shape).astype(dtype)
    if a.size > 3:
        a.flat[1], a.flat[2] = np.nan, np.inf
    return a


def fortran(shape, dtype=np.float64):
    return np.asfortranarray(values(shape, dtype))


def call_numpy(f, args):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return f.py_func(*args)


# The functions whose float results come of the C library's sin, exp,
# pow, atan2 and hypot, which may differ from NumPy's in the last bit.
INEXACT = set()


def inexact(f):
    INEXACT.add(f)
    return f


def check(f, *args, exact=None):
    """f compiled gives NumPy's values and its result's contiguity: F when
    NumPy's is (all its array operands F), compiled in nopython mode."""
    if exact is None:
        exact = f not in INEXACT
    want = call_numpy(f, args)
    got = f(*args)
    assert_compiled(f)
    where = f"{f.__name__}{tuple(getattr(a, 'shape', a) for a in args)}"
    assert_same_array(got, want, exact=exact, where=where)
    assert got.flags.f_contiguous == want.flags.f_contiguous, where
    assert got.flags.c_contiguous == want.flags.c_contiguous, where
    return got


def check_c(f, *args):
    """Operands of mixed layouts: NumPy's values in a C array."""
    want = call_numpy(f, args)
    got = f(*args)
    assert_compiled(f)
    assert_same_array(got, want, exact=f not in INEXACT)
    assert got.flags.c_contiguous
    return got


_numba_types = {}


def assert_numbas_type(f, *args):
    """The type pyjit gives f's result is the one Numba gives it."""
    sig = tuple(str(numba.typeof(a)) for a in args)
    key = (f.py_func, sig)
    if key not in _numba_types:
        nf = numba.njit(f.py_func)
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            nf(*args)
        _numba_types[key] = str(nf.nopython_signatures[-1].return_type)
    f(*args)
    mine = [s.return_type for s in f.nopython_signatures
            if tuple(str(t) for t in s.args) == sig]
    assert mine, (f.__name__, sig)
    assert str(mine[0]) == _numba_types[key], (f.__name__, sig)


# --- operators ---

OPS = {
    "add": njit(lambda a, b: a + b),
    "sub": njit(lambda a, b: a - b),
    "mul": njit(lambda a, b: a * b),
    "truediv": njit(lambda a, b: a / b),
    "floordiv": njit(lambda a, b: a // b),
    "mod": njit(lambda a, b: a % b),
    "power": inexact(njit(lambda a, b: a ** b)),
    "less": njit(lambda a, b: a < b),
    "equal": njit(lambda a, b: a == b),
    "bit_and": njit(lambda a, b: a & b),
    "bit_xor": njit(lambda a, b: a ^ b),
    "neg": njit(lambda a: -a),
    "invert": njit(lambda a: ~a),
    "absolute": inexact(njit(lambda a: abs(a))),
}
add, power, less, neg = OPS["add"], OPS["power"], OPS["less"], OPS["neg"]

FLOAT_BINARY = ["add", "sub", "mul", "truediv", "floordiv", "mod", "less",
                "equal"]
INT_BINARY = ["add", "sub", "mul", "floordiv", "mod", "bit_and", "bit_xor",
              "less", "gcd"]


@pytest.mark.parametrize("name", INT_BINARY)
def test_int_operators_of_f_arrays(name):
    op = OPS.get(name) or UFUNCS[name]
    for shape in SHAPES:
        a = fortran(shape, np.int64)
        b = np.asfortranarray(np.where(values(shape, np.int64) == 0, 3,
                                       values(shape, np.int64)))
        check(op, a, b)
        check(op, a, 7)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int32,
                                   np.int64, np.bool_, np.complex128])
def test_unary_operators_of_f_arrays(dtype):
    for shape in SHAPES:
        a = fortran(shape, dtype)
        if dtype is np.complex128:
            with np.errstate(all="ignore"):
                a = np.asfortranarray(a + 1j * fortran(shape))
        if dtype is not np.bool_:
            check(neg, a)
            check(OPS["absolute"], a)
        if np.dtype(dtype).kind in "ib":
            check(OPS["invert"], a)


def test_power_of_f_arrays():
    for shape in SHAPES:
        a = np.asfortranarray(np.abs(fortran(shape)))
        check(power, a, fortran(shape))
        check(power, a, 3)


# --- ufuncs ---

UFUNCS = {
    "sin": inexact(njit(lambda a: np.sin(a))),
    "sqrt": njit(lambda a: np.sqrt(a)),
    "exp": inexact(njit(lambda a: np.exp(a))),
    "abs": njit(lambda a: np.abs(a)),
    "floor": njit(lambda a: np.floor(a)),
    "isnan": njit(lambda a: np.isnan(a)),
    "negative": njit(lambda a: np.negative(a)),
    "astype": njit(lambda a: a.astype(np.float32)),
    "hypot": inexact(njit(lambda a, b: np.hypot(a, b))),
    "arctan2": inexact(njit(lambda a, b: np.arctan2(a, b))),
    "maximum": njit(lambda a, b: np.maximum(a, b)),
    "np_add": njit(lambda a, b: np.add(a, b)),
    "np_power": inexact(njit(lambda a, b: np.power(a, b))),
    # ufuncs of a scalar rule of their own (pyjit/_np_ufunc_loops.py)
    "reciprocal": njit(lambda a: np.reciprocal(a)),
    "logaddexp": inexact(njit(lambda a, b: np.logaddexp(a, b))),
    "gcd": njit(lambda a, b: np.gcd(a, b)),
    # element-wise functions that are no ufuncs (pyjit/_np_ufunc.py)
    "round": njit(lambda a: np.round(a)),
    "round_method": njit(lambda a: a.round(1)),
    "clip": njit(lambda a: np.clip(a, -1, 1)),
    "clip_method": njit(lambda a: a.clip(-2, 2)),
}
UNARY = ["sin", "sqrt", "exp", "abs", "floor", "isnan", "negative",
         "reciprocal", "astype", "round", "round_method", "clip",
         "clip_method"]
BINARY = ["hypot", "arctan2", "maximum", "np_add", "np_power", "logaddexp"]
u_sin, u_isnan, u_abs, u_astype = (UFUNCS[k] for k in ("sin", "isnan", "abs",
                                                        "astype"))
u_hypot, u_arctan2, u_maximum, u_add = (
    UFUNCS[k] for k in ("hypot", "arctan2", "maximum", "np_add"))


@pytest.mark.parametrize("name", UNARY)
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int32])
def test_ufuncs_of_one_f_array(name, dtype):
    uf = UFUNCS[name]
    for shape in SHAPES:
        a = fortran(shape, dtype)
        check(uf, a, exact=False if dtype is np.float32 else None)


@pytest.mark.parametrize("name", BINARY + FLOAT_BINARY)
def test_operators_and_ufuncs_of_two_f_arrays(name):
    uf = UFUNCS.get(name) or OPS[name]
    for shape in SHAPES:
        a, b = fortran(shape), fortran(shape)
        check(uf, a, b)
        check(uf, a, 0.5)
        check(uf, 2.0, b)
        check(uf, fortran(shape, np.int32), b)


# --- mixed layouts ---

def test_f_with_c_of_one_shape_gives_c():
    for shape in SHAPES:
        f, c = fortran(shape), values(shape, np.float64)
        for fn in (add, less, u_hypot, u_maximum):
            check_c(fn, f, c)
            check_c(fn, c, f)


def test_f_with_strided_gives_c():
    for shape in SHAPES:
        f = fortran(shape)
        strided = np.repeat(values(shape, np.float64), 2, axis=-1)[..., ::2]
        check_c(add, f, strided)
        check_c(u_hypot, strided, f)


def test_f_with_one_dimension_gives_c():
    """A 1-d array is C (Numba's rule); NumPy's order='K' gives F there."""
    for shape in SHAPES:
        f, v = fortran(shape), values(shape[-1:], np.float64)
        check_c(add, f, v)
        check_c(u_arctan2, v, f)


def test_f_arrays_broadcast_together_stay_f():
    for shape in [(2, 3, 4), (3, 1, 5), (0, 3, 4), (4, 2, 6)]:
        a, b = fortran(shape), fortran(shape[1:])
        if not b.flags.c_contiguous:
            check(add, a, b)
            check(u_hypot, b, a)


# --- fused expressions ---

@njit
def fused_norm(x, y):
    return np.sqrt(x * x + y * y)


@inexact
@njit
def fused_chain(a, b, c):
    return (a + b) * c - np.exp(-a) / 2.0


@njit
def fused_compare(a, b):
    return a * 2.0 + b < b - 1.0


@njit
def fused_ints(a, b):
    return (a * 3 + b) // 2 - (a & b)


@inexact
@njit
def fused_with_number(a, k):
    return np.sin(a) * k + k


FUSED = [fused_norm, fused_compare]


@pytest.mark.parametrize("fn", FUSED, ids=lambda f: f.__name__)
def test_fused_expressions_of_f_arrays(fn):
    for shape in SHAPES:
        check(fn, fortran(shape), fortran(shape))


def test_fused_chains_of_f_arrays():
    for shape in SHAPES:
        a, b, c = fortran(shape), fortran(shape), fortran(shape)
        check(fused_chain, a, b, c)
        check(fused_with_number, a, 1.5)
        check(fused_ints, fortran(shape, np.int64), fortran(shape, np.int64))


def test_fused_expressions_broadcasting_f_arrays():
    for shape in [(2, 3, 4), (5, 1, 3), (0, 2, 2), (3, 4, 5)]:
        a, b = fortran(shape), fortran(shape[1:])
        if not b.flags.c_contiguous:
            check(fused_norm, a, b)
            check(fused_chain, b, a, a)


def test_fused_expressions_of_mixed_layouts_give_c():
    for shape in SHAPES:
        f, c = fortran(shape), values(shape, np.float64)
        check_c(fused_norm, f, c)
        check_c(fused_chain, f, f, c)
        check_c(fused_norm, f, values(shape[-1:], np.float64))


def test_fused_parallel_expression_of_f_arrays():
    par = njit(parallel=True)(fused_norm.py_func)
    for shape in SHAPES + [(300, 200), (7, 300, 11)]:
        check(par, fortran(shape), fortran(shape))
    check_c(par, fortran((300, 200)), values((300, 200), np.float64))


# --- reductions over fused expressions ---

@njit
def sum_of_product(a, b):
    return (a * b + 1.0).sum()


@njit
def np_sum_of_norm(a, b):
    return np.sum(np.sqrt(a * a + b * b))


@njit
def max_of_difference(a, b):
    return (a - b).max()


@inexact
@njit
def min_of_sine(a):
    return np.sin(a * 2.0).min()


@njit
def mean_of_sum(a, b):
    return (a + b).mean()


@njit
def int_sum(a, b):
    return (a * b - a).sum()


def test_reductions_over_fused_f_expressions():
    for shape in SHAPES:
        a, b = np.abs(fortran(shape)), np.abs(fortran(shape))
        a[np.isinf(a)] = 1.0
        b[np.isinf(b)] = 2.0
        a[np.isnan(a)] = 3.0
        b[np.isnan(b)] = 4.0
        for fn in (sum_of_product, np_sum_of_norm, mean_of_sum):
            got, want = fn(a, b), call_numpy(fn, (a, b))
            np.testing.assert_allclose(got, want, rtol=1e-12)
            assert_compiled(fn)
        ia, ib = fortran(shape, np.int64), fortran(shape, np.int64)
        assert int_sum(ia, ib) == int_sum.py_func(ia, ib)
        assert_compiled(int_sum)
        if a.size:
            assert max_of_difference(a, b) == max_of_difference.py_func(a, b)
            np.testing.assert_allclose(min_of_sine(a),
                                       min_of_sine.py_func(a), rtol=1e-15)
            assert_compiled(max_of_difference)
            assert_compiled(min_of_sine)


def test_reduction_of_nan_over_f_expression():
    a = fortran((3, 4))
    a[1, 2] = np.nan
    assert np.isnan(max_of_difference(a, a))
    assert np.isnan(sum_of_product(a, a))


# --- in place ---

@njit
def add_in_place(a, b):
    a += b
    return a


def test_in_place_on_f_array():
    for shape in SHAPES:
        for other in (fortran(shape), values(shape, np.float64), 2.0):
            a = fortran(shape)
            want = a + other
            got = add_in_place(a, other)
            assert got is a
            assert a.flags.f_contiguous
            assert_same_array(got, want)
        assert_compiled(add_in_place)


# --- types against Numba's ---

def test_result_types_are_numbas():
    f2, f3 = fortran((2, 3)), fortran((2, 3, 4))
    c2 = values((2, 3), np.float64)
    v = values((3,), np.float64)
    i2 = fortran((2, 3), np.int32)
    cases = [
        (add, (f2, f2)), (add, (f2, 1.0)), (add, (f2, c2)), (add, (c2, f2)),
        (add, (f2, v)), (add, (f2, f2[:, ::2][:, :1])),
        (less, (f2, f2)), (neg, (f3,)), (u_abs, (i2,)),
        (u_sin, (f2,)), (u_sin, (i2,)), (u_isnan, (f3,)),
        (u_astype, (f2,)), (u_hypot, (f2, f2)), (u_hypot, (f2, c2)),
        (u_maximum, (i2, f2)), (u_add, (f2, 2)),
        (UFUNCS["logaddexp"], (f2, f2)), (UFUNCS["logaddexp"], (f2, c2)),
        (UFUNCS["gcd"], (i2, i2)), (UFUNCS["reciprocal"], (f3,)),
        (UFUNCS["round"], (f2,)), (UFUNCS["clip"], (f3,)),
        (UFUNCS["clip_method"], (i2,)), (UFUNCS["clip"], (c2,)),
        (fused_norm, (f2, f2)), (fused_norm, (f2, c2)),
        (fused_chain, (f3, f3, f3)), (fused_compare, (f2, f2)),
        (sum_of_product, (f2, f2)), (add_in_place, (fortran((2, 3)), c2)),
    ]
    for fn, args in cases:
        assert_numbas_type(fn, *args)


def test_fused_f_loop_keeps_the_values_of_the_unfused_one():
    """The F loop walks memory in order and computes what operation by
    operation computes: a fused expression equals its steps."""
    @njit
    def steps(x, y):
        s = x * x
        t = y * y
        u = s + t
        s[0, 0] = s[0, 0]       # a write between ends fusion here
        return np.sqrt(u)
    for shape in [(2, 3), (5, 7), (3, 4, 2)]:
        x, y = fortran(shape), fortran(shape)
        got = fused_norm(x, y)
        assert_same_array(got, steps(x, y))
        assert got.flags.f_contiguous
