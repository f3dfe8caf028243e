"""NumPy ufuncs of a scalar rule of their own, for nopython code:
np.logaddexp, np.logaddexp2, np.ldexp, np.gcd, np.lcm, np.reciprocal,
np.float_power, np.spacing, np.nextafter, np.invert, and the array methods
a.conjugate() and a.conj() (as in Numba: a number has only conjugate()).

Each is a kernel, a function of numbers in the types of the ufunc's loop,
and the ufunc applies it to each element of its operands broadcast
together (arrays of any dimensions and numbers), into a new array of the
loop's output dtype; on numbers alone it is the kernel's number.  The
array is F when the array operands are all F (the loops then run with the
first index innermost, along the memory), else C, as Numba types it.  The
loop is chosen as Numba chooses it (numba/np/numpy_support.py): the first of
the ufunc's `types` every input casts to safely, where an integer meeting
a float casts to any float (np.logaddexp(float32, int64) is float32), and
float16 loops are skipped (bytes compute in float32).  Operands no loop
takes are a TypingError naming the ufunc and their dtypes.
"""
import math

import numpy as np

from . import errors
from . import types as _types
from ._jitclass import _generated
from .extending import overload, overload_method

_LN2 = math.log(2.0)
_LOG2E = 1.0 / _LN2


def _logaddexp(x, y):
    if x == y:                      # both infinite of one sign included
        return x + _LN2
    d = x - y
    if d > 0:
        return x + np.log1p(np.exp(-d))
    if d <= 0:
        return y + np.log1p(np.exp(d))
    return d                        # a NaN


def _logaddexp2(x, y):
    if x == y:
        return x + 1.0
    d = x - y
    if d > 0:
        return x + _LOG2E * np.log1p(np.exp2(-d))
    if d <= 0:
        return y + _LOG2E * np.log1p(np.exp2(d))
    return d


def _frexp_exponent(x):
    """e with x == m * 2**e, 0.5 <= |m| < 1, for a finite x != 0."""
    e = 0
    m = abs(x)
    while m >= 1.0:
        m *= 0.5
        e += 1
    while m < 0.5:
        m *= 2.0
        e -= 1
    return e


def _ldexp(x, i):
    """x * 2**i rounded once, as C's ldexp: inf past the largest float, a
    signed zero below the smallest."""
    if x == 0.0 or not np.isfinite(x):
        return x
    if -1074 <= i <= 1023:
        return x * 2.0 ** i          # one rounding: 2**i is exact
    if i > 1023:
        # exact steps of 2**1023; past 2200 even 2**-1074 overflows
        i = min(i, 2200)
        while i > 1023:
            x *= 2.0 ** 1023
            i -= 1023
        return x * 2.0 ** i
    e = _frexp_exponent(x)
    k = e + i
    if k >= -1074:
        return x * 2.0 ** -e * 2.0 ** k    # |x| * 2**-e is exact
    # below half the smallest subnormal: |x| * 2**i < 2**-1075
    return np.copysign(0.0, x)


def _gcd(a, b):
    a = abs(a)
    b = abs(b)
    # the abs of a type's smallest integer stays negative: the other
    # operand reduces it first, as NumPy's loop over unsigned values would
    if a < 0 and b != 0:
        a = a % b
    if b < 0 and a != 0:
        b = b % a
    while b != 0:
        a, b = b, a % b
    return a


def _lcm(a, b):
    g = _gcd(a, b)
    if g == 0:
        return g
    return abs(a // g * b)


def _reciprocal(x, one):
    """1 / x in x's type (`one` is 1 of it: float32 divides as float32)."""
    return one / x


def _in_type(z, one):
    """The complex number z in the type of `one`."""


@overload(_in_type)
def _in_type_typer(z, one):
    if str(one) == "complex64":
        return lambda z, one: np.complex64(z)
    return lambda z, one: z


def _reciprocal_complex(x, one):
    """1 / x as NumPy's complex loop divides (Smith's way): 1 / 0j is
    nan+nanj, 1 / (3+0j) has the imaginary part -0.0; in the precision
    of x's parts (`one` is 1 of x's type)."""
    a = x.real
    b = x.imag
    if abs(b) <= abs(a):
        r = b / a
        d = a + b * r
        return _in_type(complex(one.real / d, -r / d), one)
    r = a / b
    d = a * r + b
    return _in_type(complex(r / d, -one.real / d), one)


def _reciprocal_int(x, of_zero):
    """1 / x truncated, as NumPy's integer loops: 1 / 0 is `of_zero`."""
    if x == 0:
        return of_zero
    if x == 1 or x == -1:
        return x
    return x - x


def _float_power(x, y):
    return np.power(x, y)


def _nextafter(x, y):
    return math.nextafter(x, y)


def _spacing(x, inf):
    """The distance from x to the next float away from zero (from either
    zero, up); NaN of an infinity, as NumPy's npy_spacing.  `inf` is
    infinity in x's type, so that float32 steps as float32."""
    if np.isinf(x):
        return x - x
    toward = -inf if x < 0 else inf
    return math.nextafter(x, toward) - x


def _invert(x):
    return ~x


def _invert_bool(x):
    return not x


_SKIPPED = "eOgGmM"      # float16, objects, long doubles, dates


def _dtype(t):
    """The NumPy dtype of a number type or of an array type's elements."""
    if isinstance(t, _types.Array):
        t = t.dtype
    if not isinstance(t, (_types.Number, _types.Boolean)):
        return None
    return np.dtype(str(t))


def _can_cast(src, dst, mixed):
    if mixed and src.kind in "iu" and dst.kind in "fc":
        return True
    return np.can_cast(src, dst, "safe")


def _find_loop(ufunc, dtypes):
    """(input dtypes, output dtypes) of the loop Numba chooses, or None."""
    mixed = (any(d.kind in "iu" for d in dtypes)
             and any(d.kind in "fc" for d in dtypes))
    for sig in ufunc.types:
        ins, outs = sig[:ufunc.nin], sig[ufunc.nin:].lstrip("->")
        if any(c in _SKIPPED for c in sig.replace("->", "")):
            continue
        loop = [np.dtype(c) for c in ins]
        if all(_can_cast(d, c, mixed) for d, c in zip(dtypes, loop)):
            return loop, [np.dtype(c) for c in outs]
    return None


def _loop_of(ufunc, args):
    """The loop for the argument types, or a TypingError naming the
    ufunc."""
    dtypes = [_dtype(t) for t in args]
    # not `None in dtypes`: float64 == None is True for NumPy
    found = (None if any(d is None for d in dtypes)
             else _find_loop(ufunc, dtypes))
    if found is None:
        raise errors.TypingError(
            f"np.{ufunc.__name__} has no loop for operands of types "
            f"({', '.join(map(str, args))}): it takes "
            f"{', '.join(sorted(t for t in ufunc.types if 'O' not in t))}")
    return found


def _ndim(t):
    return t.ndim if isinstance(t, _types.Array) else 0


def _broadcast_dim(a, b):
    """The size two dimensions broadcast to, NumPy's ValueError if they
    do not."""
    if a == b or b == 1:
        return a
    if a == 1:
        return b
    raise ValueError("operands could not be broadcast together: a "
                     "dimension of size " + str(a) + " meets one of size "
                     + str(b))


_made = {}


def _is_f(t):
    return isinstance(t, _types.Array) and t.layout == "F"


def _loop_source(ndims, extra, f_order=False, zero_d=()):
    """The source of `apply(x0, x1...)`: the kernel `_k` on the elements
    of arrays of ndims dimensions (0: a number, or the element of a 0-d
    array, those whose positions zero_d holds), broadcast together,
    converted by `_c0, _c1...` to the loop's types, and on the constants
    named `extra`, into an array of dtype `_out`: C, or with f_order F,
    the first dimension's loop then innermost.  Of numbers and 0-d
    arrays only, the result is a number, as NumPy's ufuncs give."""
    names = [f"x{k}" for k in range(len(ndims))]
    n = max(ndims)
    head = ", ".join(names)
    lines = [f"def apply({head}):"]
    scalar = [f"_c{k}(x{k}[()])" if k in zero_d else f"_c{k}(x{k})"
              for k in range(len(ndims))]
    elems = []
    for k, nd in enumerate(ndims):
        if nd == 0:
            elems.append(scalar[k])
    if n == 0:
        lines.append(f"    return _k({', '.join(elems + extra)})")
        return "\n".join(lines) + "\n"
    for d in range(n):
        sizes = [f"x{k}.shape[{d - (n - nd)}]" for k, nd in enumerate(ndims)
                 if d >= n - nd]
        expr = sizes[0]
        for s in sizes[1:]:
            expr = f"_broadcast_dim({expr}, {s})"
        lines.append(f"    s{d} = {expr}")
        for k, nd in enumerate(ndims):
            if d >= n - nd:
                # 0 along a dimension of 1 that broadcasts, else 1
                lines.append(f"    m{k}_{d} = int(x{k}.shape[{d - (n - nd)}]"
                             f" != 1)")
    order = list(range(n))[::-1] if f_order else list(range(n))
    shape = "(" + "".join(f"s{d}, " for d in order) + ")"
    # the transpose of a C array of the reversed shape is F
    lines.append(f"    out = np.empty({shape}, _out)"
                 + (".T" if f_order else ""))
    for depth, d in enumerate(order):
        lines.append("    " * (depth + 1) + f"for i{d} in range(s{d}):")
    body = "    " * (n + 1)
    elems = []
    for k, nd in enumerate(ndims):
        if nd == 0:
            elems.append(scalar[k])
        else:
            idx = ", ".join(f"i{d} * m{k}_{d}" for d in range(n - nd, n))
            elems.append(f"_c{k}(x{k}[{idx}])")
    out_idx = ", ".join(f"i{d}" for d in range(n))
    lines.append(f"{body}out[{out_idx}] = _k({', '.join(elems + extra)})")
    lines.append("    return out")
    return "\n".join(lines) + "\n"


def _apply(kernel, args, loop, out, consts=()):
    """The implementation applying `kernel` (jitted) over operands of the
    types `args`, converted to the dtypes `loop`, and the constants
    `consts`, into dtype `out`."""
    ndims = tuple(_ndim(t) for t in args)
    f_order = all(_is_f(t) for t in args if _ndim(t))
    zero_d = tuple(k for k, t in enumerate(args)
                   if isinstance(t, _types.Array) and t.ndim == 0)
    key = (kernel, ndims, tuple(loop), out, consts, f_order, zero_d)
    if key not in _made:
        extra = [f"_e{k}" for k in range(len(consts))]
        source = _loop_source(ndims, extra, f_order, zero_d)
        namespace = {"np": np, "_k": kernel, "_out": out.type,
                     "_broadcast_dim": _JIT_BROADCAST_DIM}
        namespace.update(zip(extra, consts))
        for k, dt in enumerate(loop):
            namespace[f"_c{k}"] = dt.type
        _made[key] = _generated("apply", source, namespace, "numpy")
    return _made[key]


def _jit(fn):
    from ._core import Dispatcher
    return Dispatcher(fn, nopython=True, error_model="numpy")


_JIT_BROADCAST_DIM = _jit(_broadcast_dim)


def _kernels():
    """The kernels, jitted; the helpers they call rebound to their
    jitted selves first."""
    g = globals()
    for name in ("_frexp_exponent", "_gcd"):
        g[name] = _jit(g[name])
    return {name: _jit(g[name]) for name in (
        "_logaddexp", "_logaddexp2", "_ldexp", "_lcm", "_reciprocal",
        "_reciprocal_complex",
        "_reciprocal_int", "_float_power", "_nextafter", "_spacing",
        "_invert", "_invert_bool")} | {"_gcd": g["_gcd"]}


_K = _kernels()


def _register(ufunc, kernel_name, nargs):
    """np.<ufunc> of nargs operands: the kernel over the loop's types."""
    kernel = _K[kernel_name]

    def typer_one(x):
        loop, outs = _loop_of(ufunc, (x,))
        return _apply(kernel, (x,), loop, outs[0])

    def typer_two(x1, x2):
        loop, outs = _loop_of(ufunc, (x1, x2))
        return _apply(kernel, (x1, x2), loop, outs[0])

    overload(ufunc, jit_options={"error_model": "numpy"})(
        typer_one if nargs == 1 else typer_two)


for _uf, _kn, _n in ((np.logaddexp, "_logaddexp", 2),
                     (np.logaddexp2, "_logaddexp2", 2),
                     (np.ldexp, "_ldexp", 2), (np.gcd, "_gcd", 2),
                     (np.lcm, "_lcm", 2), (np.float_power, "_float_power", 2),
                     (np.nextafter, "_nextafter", 2)):
    _register(_uf, _kn, _n)


@overload(np.spacing, jit_options={"error_model": "numpy"})
def _spacing_typer(x):
    loop, outs = _loop_of(np.spacing, (x,))
    return _apply(_K["_spacing"], (x,), loop, outs[0], (outs[0].type(np.inf),))


@overload(np.reciprocal, jit_options={"error_model": "numpy"})
def _reciprocal_typer(x):
    loop, outs = _loop_of(np.reciprocal, (x,))
    if outs[0].kind in "iu":
        # NumPy's 1 / 0: the smallest int32 or int64, 0 in the other types
        wide = outs[0].kind == "i" and outs[0].itemsize >= 4
        of_zero = np.iinfo(outs[0]).min if wide else 0
        return _apply(_K["_reciprocal_int"], (x,), loop, outs[0],
                      (outs[0].type(of_zero),))
    kernel = "_reciprocal_complex" if outs[0].kind == "c" else "_reciprocal"
    return _apply(_K[kernel], (x,), loop, outs[0], (outs[0].type(1),))


@overload(np.invert, jit_options={"error_model": "numpy"})
def _invert_typer(x):
    loop, outs = _loop_of(np.invert, (x,))
    if outs[0].kind == "b":
        return _apply(_K["_invert_bool"], (x,), loop, outs[0])
    return _apply(_K["_invert"], (x,), loop, outs[0])


FUNCTIONS = {}

METHODS = ()

HELPERS = ()


def _array_conjugate(a):
    """a.conjugate() and a.conj(): np.conjugate(a), a new array (np.conjugate
    itself is csrc/ufuncs.c's, an element-wise operation that fuses)."""
    return lambda a: np.conjugate(a)


overload_method(_types.Array, "conjugate")(_array_conjugate)
overload_method(_types.Array, "conj")(_array_conjugate)
