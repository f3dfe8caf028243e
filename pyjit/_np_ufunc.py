"""NumPy's element-wise functions that are an operator of Python's, for
nopython code: np.add is `+`, np.greater is `>`, np.logical_and is `&` of
the operands' truth.

On arrays they broadcast and give the dtype the operator gives (Numba's:
a number counts by its type, as an array of that dtype would); on numbers
they compute as the operator does under NumPy's error model (x / 0 is inf
or nan, x // 0 and x % 0 of integers are 0).  The ufuncs with rules of
their own (np.sqrt, np.maximum, np.sign...) are rows of csrc/callables.h.
A ufunc given an output array (np.add(a, b, out), np.sqrt(a, out=out))
stores its result there and returns it.
np.clip (of number bounds) and np.round of an F array give an F array,
as Numba types them: they compute on its transpose, a C array, and
transpose the result.
"""
import numpy as np

from . import errors
from . import types as _types
from ._core import _holds_complex, _holds_integers
from ._np_more import _dtype
from .extending import overload


def _c_view(a):
    pass


@overload(_c_view)
def _c_view_typer(a):
    """An F array's transpose, a C view of it (an element-wise result
    computed on it, transposed back by _like, is F); any other array."""
    if isinstance(a, _types.Array) and a.layout == "F":
        return lambda a: a.T
    return lambda a: a


def _like(out, a):
    pass


@overload(_like)
def _like_typer(out, a):
    """out computed from _c_view(a), turned back to a's shape."""
    if isinstance(a, _types.Array) and a.layout == "F":
        return lambda out, a: out.T
    return lambda out, a: out


def add(x1, x2):
    return x1 + x2


def subtract(x1, x2):
    return x1 - x2


def multiply(x1, x2):
    return x1 * x2


def true_divide(x1, x2):
    return x1 / x2


def floor_divide(x1, x2):
    return x1 // x2


def remainder(x1, x2):
    return x1 % x2


def power(x1, x2):
    return x1 ** x2


def negative(x):
    return -x


def positive(x):
    return +x


def square(x):
    return x * x


def greater(x1, x2):
    return x1 > x2


def greater_equal(x1, x2):
    return x1 >= x2


def less(x1, x2):
    return x1 < x2


def less_equal(x1, x2):
    return x1 <= x2


def equal(x1, x2):
    return x1 == x2


def not_equal(x1, x2):
    return x1 != x2


def logical_and(x1, x2):
    return (x1 != 0) & (x2 != 0)


def logical_or(x1, x2):
    return (x1 != 0) | (x2 != 0)


def logical_xor(x1, x2):
    return (x1 != 0) != (x2 != 0)


def logical_not(x):
    return x == 0


def bitwise_and(x1, x2):
    return x1 & x2


def bitwise_or(x1, x2):
    return x1 | x2


def bitwise_xor(x1, x2):
    return x1 ^ x2


def left_shift(x1, x2):
    return x1 << x2


def right_shift(x1, x2):
    return x1 >> x2


def floor_divide_remainder(x1, x2):
    """np.divmod: (x1 // x2, x1 % x2), each as its ufunc gives it."""
    return x1 // x2, x1 % x2


def clip(a, a_min, a_max):
    """a's elements limited to [a_min, a_max], either bound None for
    none; a NaN stays NaN.  Of number bounds, in a's dtype (as Numba
    keeps it), a number, or a 0-d array, giving a number, as NumPy's
    does; of array bounds, broadcast with a, in NumPy's promotion of the
    arrays' dtypes."""
    return _clipped(a, a_min, a_max)


def _clipped(a, a_min, a_max):
    pass


@overload(_clipped)
def _clipped_typer(a, a_min, a_max):
    if isinstance(a_min, _types.Array) and a_min.ndim == 0:
        return lambda a, a_min, a_max: _clipped(a, a_min[()], a_max)
    if isinstance(a_max, _types.Array) and a_max.ndim == 0:
        return lambda a, a_min, a_max: _clipped(a, a_min, a_max[()])
    if isinstance(a_min, _types.Array) or isinstance(a_max, _types.Array):
        # NumPy makes a number a an array (strong), but promotes number
        # bounds weakly
        dt = np.result_type(_dtype(a), *[
            _promoted_as(t) for t in (a_min, a_max)
            if not isinstance(t, _types.NoneType)]).type
        return lambda a, a_min, a_max: _clip_broadcast(
            a, a_min, a_max, dt(0))
    return lambda a, a_min, a_max: _clip_numbers(a, a_min, a_max)


def _promoted_as(t):
    """What np.result_type takes for a bound of type t: an array's dtype;
    a number of Python's types (int64, float64, complex128, bool) as a
    Python number, which NumPy 2 promotes weakly (a float32 array and 1.0
    give float32)."""
    if isinstance(t, _types.Array):
        return _dtype(t)
    weak = {"int64": 0, "float64": 0.0, "complex128": 0j, "bool": False}
    return weak.get(str(t), _dtype(t))


def _clip_numbers(a, a_min, a_max):
    if a.ndim == 0:
        return _clip_c(np.full(1, a), a_min, a_max)[0]
    return _like(_clip_c(_c_view(a), a_min, a_max), a)


def _clip_one(v, a_min, a_max, keep_ties):
    """v limited to [a_min, a_max] as NumPy's clip limits it.  NumPy's
    loop for bounds that stay in place (numbers, or one element spread
    over many) keeps v where it ties with a bound (-0.0 clipped at 0.0
    stays -0.0), its loop for bounds that move gives the bound."""
    # comparisons, not max/min: a zero keeps its sign, as in NumPy; a NaN
    # bound gives NaN
    if a_max is None:
        # np.maximum(x, a_min), as NumPy clips with one bound: a tie
        # (-0.0 and 0.0) gives the bound, a NaN either side NaN
        if a_min is not None and not (v > a_min) and v == v:
            v = a_min
    elif a_min is None:
        if not (v < a_max) and v == v:
            v = a_max
    elif keep_ties:
        if v < a_min or a_min != a_min:
            v = a_min
        if v > a_max or a_max != a_max:
            v = a_max
    else:
        # NumPy's min(max(v, a_min), a_max), NaN-propagating
        if v == v and not (v > a_min):
            v = a_min
        if v == v and not (v < a_max):
            v = a_max
    return v


def _clip_c(a, a_min, a_max):
    """np.clip into a new C array."""
    out = np.empty(a.shape, a.dtype)       # C: its ravel is a view
    flat = out.ravel()
    i = 0
    for x in a.flat:
        flat[i] = _clip_one(x, a_min, a_max, True)
        i += 1
    return out


def _spread(x, shape, zero):
    pass


@overload(_spread)
def _spread_typer(x, shape, zero):
    """The flat C array of shape holding x broadcast, in zero's dtype (so
    that the comparisons are NumPy's, in the common dtype); None stays."""
    if isinstance(x, _types.NoneType):
        return lambda x, shape, zero: None

    def impl(x, shape, zero):
        out = np.full(shape, zero)
        out[...] = x
        return out.ravel()
    return impl


def _item(x, i):
    pass


@overload(_item)
def _item_typer(x, i):
    if isinstance(x, _types.NoneType):
        return lambda x, i: None
    return lambda x, i: x[i]


def _clip_broadcast(a, a_min, a_max, zero):
    """np.clip of array bounds: a, a_min and a_max broadcast together,
    in a new array of zero's dtype (C, or F when all three are F)."""
    shape = np.broadcast_shapes(np.shape(a), np.shape(a_min),
                                np.shape(a_max))
    n = 1
    for s in shape:
        n *= s
    if not (_stays(a_min, n) and _stays(a_max, n)):
        # NumPy's loop for bounds that move is min(max(v, a_min), a_max)
        # in the common dtype: one fused pass over the three
        return _bounded(a, a_min, a_max, zero)
    # a bound of one element spread over many stays in place: NumPy's
    # loop for it keeps v where it ties with the bound
    out = np.full(shape, zero)
    flat = out.ravel()                      # C: a view
    out[...] = a
    lo = _spread(a_min, shape, zero)
    hi = _spread(a_max, shape, zero)
    for i in range(flat.size):
        flat[i] = _clip_one(flat[i], _item(lo, i), _item(hi, i), True)
    return out


def _bounded(a, a_min, a_max, zero):
    pass


@overload(_bounded)
def _bounded_typer(a, a_min, a_max, zero):
    """np.minimum(np.maximum(a, a_min), a_max), each operand converted to
    zero's dtype first, without the maximum or minimum of a bound that is
    None: an array expression that fuses."""
    if isinstance(a_min, _types.NoneType):
        return lambda a, a_min, a_max, zero: np.minimum(
            _as_dtype_of(a, zero), _as_dtype_of(a_max, zero))
    if isinstance(a_max, _types.NoneType):
        return lambda a, a_min, a_max, zero: np.maximum(
            _as_dtype_of(a, zero), _as_dtype_of(a_min, zero))
    return lambda a, a_min, a_max, zero: np.minimum(
        np.maximum(_as_dtype_of(a, zero), _as_dtype_of(a_min, zero)),
        _as_dtype_of(a_max, zero))


def _as_dtype_of(x, zero):
    pass


@overload(_as_dtype_of)
def _as_dtype_of_typer(x, zero):
    """x in zero's dtype: an array converted (a.astype, which fuses) unless
    it has that dtype, a number as that dtype's number."""
    if isinstance(x, _types.Array):
        if x.dtype == zero:
            return lambda x, zero: x
        return lambda x, zero: x.astype(type(zero))
    return lambda x, zero: type(zero)(x)


def _stays(bound, n):
    pass


@overload(_stays)
def _stays_typer(bound, n):
    """Whether NumPy's loop over n elements reads the bound in place: a
    number, or an array of one element spread over more.  (NumPy's
    iterator decides by the strides it finds, which may also hold a
    bound in place in other broadcasts; only a tie of zeros, -0.0 or
    0.0, tells the loops apart.)"""
    if isinstance(bound, _types.Array):
        return lambda bound, n: bound.size == 1 and n > 1
    return lambda bound, n: True


def _round_float(x, decimals, f):
    """x rounded as NumPy rounds: scaled by f, the power of ten, to the
    nearest even integer, scaled back."""
    if decimals >= 0:
        return np.rint(x * f) / f
    return np.rint(x / f) * f


def around(a, decimals=0, out=None):
    """a's elements rounded to `decimals` decimals (halves to even), in
    a's dtype; integers are rounded only to a negative number of
    decimals.  A number (or a 0-d array's element) is rounded as an
    array of one element.  With `out`, an array of a's shape, the result
    is stored there (cast to its dtype, float to int included, as Numba
    does) and out returned."""
    if out is not None:
        r = around(a, decimals)
        if np.shape(r) != out.shape:
            raise ValueError("invalid output shape")
        out[...] = r
        return out
    if a.ndim == 0:
        return around(np.full(1, a), decimals)[0]
    return _like(_around_c(_c_view(a), decimals), a)


def _around_c(a, decimals):
    """np.round of an array of 1 or more dimensions into a new C array."""
    if _holds_complex(a):
        return _around_complex(a, decimals)
    out = np.empty(a.shape, a.dtype)       # C: its ravel is a view
    flat = out.ravel()
    ints = _holds_integers(a)
    power = 10.0 ** abs(decimals)
    # NumPy scales floats in their own precision (float32 stays float32)
    own = np.full(1, 0 if ints else power, out.dtype)[0]
    i = 0
    for x in a.flat:
        if ints and decimals >= 0:
            flat[i] = x
        elif ints:
            flat[i] = _round_float(x, decimals, power)
        else:
            flat[i] = _round_float(x, decimals, own)
        i += 1
    return out


def _around_complex(a, decimals):
    """np.round of complex numbers: each part rounded, in the parts' own
    precision."""
    out = np.empty(a.shape, a.dtype)
    flat = out.ravel()
    power = np.full(1, 10.0 ** abs(decimals), out.real.dtype)[0]
    i = 0
    for x in a.flat:
        flat[i] = complex(_round_float(x.real, decimals, power),
                          _round_float(x.imag, decimals, power))
        i += 1
    return out


def ufunc_out1(f, x, out):
    """f(x, out), f a ufunc of one operand: f(x) stored into the array
    out (broadcast to its shape); out returned."""
    _store_result(out, f(x))
    return out


def ufunc_out2(f, x1, x2, out):
    """f(x1, x2, out), f a ufunc of two operands."""
    _store_result(out, f(x1, x2))
    return out


def _store_result(out, r):
    pass


@overload(_store_result)
def _store_result_typer(out, r):
    """out[...] = r, when NumPy's 'same_kind' rule casts r's type to out's
    dtype (float results do not go into an integer array); else a
    TypingError, as Numba gives."""
    if not isinstance(out, _types.Array):
        raise errors.TypingError(f"a ufunc's output is an array, not {out}")
    kind = r.dtype if isinstance(r, _types.Array) else r
    if not np.can_cast(np.dtype(str(kind)), np.dtype(str(out.dtype)),
                       "same_kind"):
        raise errors.TypingError(
            f"a ufunc's result of type {kind} cannot be stored into an "
            f"array of {out.dtype} (NumPy's casting rule 'same_kind')")

    def store(out, r):
        out[...] = r
    return store


FUNCTIONS = {
    "add": add, "subtract": subtract, "multiply": multiply,
    "true_divide": true_divide, "divide": true_divide,
    "floor_divide": floor_divide, "remainder": remainder, "mod": remainder,
    "power": power, "negative": negative, "positive": positive,
    "square": square, "greater": greater, "greater_equal": greater_equal,
    "less": less, "less_equal": less_equal, "equal": equal,
    "not_equal": not_equal, "logical_and": logical_and,
    "logical_or": logical_or, "logical_xor": logical_xor,
    "logical_not": logical_not, "clip": clip, "around": around,
    "round": around,
    "bitwise_and": bitwise_and, "bitwise_or": bitwise_or,
    "bitwise_xor": bitwise_xor, "left_shift": left_shift,
    "right_shift": right_shift, "divmod": floor_divide_remainder,
}

METHODS = ("clip", "round")

# csrc/typeinfer.c calls these for a ufunc given its output array
METHOD_IMPLS = {"__ufunc_out1": ufunc_out1, "__ufunc_out2": ufunc_out2}

HELPERS = (_round_float, _clip_numbers, _clip_one, _clip_broadcast, _clip_c,
           _around_c, _around_complex)
