"""NumPy functions for nopython code, written as plain Python loops.

pyjit compiles these like any jitted function, on first use and for the
argument types of each call, and links them into their callers, where
they inline.  `library()` maps each NumPy callable (and each array
method name) to the dispatcher of its implementation.

They follow NumPy's results where the loop can: a sum or a product
accumulates in the type NumPy does (int64 or uint64 for small integers and
bool, the dtype for floats and complex numbers), a mean of integers in
float64, maximum and minimum propagate NaN, an empty array has no maximum
and its mean is nan (they compile with error_model='numpy').  Sums add the
elements in order, as Numba does, where NumPy adds pairwise: float results
may differ in the last bits.  The order is C order, or for an F array the
order of its memory (fusion.c reduces arrays not C in one walk of them).  np.sum and np.mean take an axis of an array of
any dimensions (negative from the end); an axis the array does not have is
NumPy's AxisError, or when it is a constant a TypingError at the call.  A
typing error in one of these functions is reported at the user's call,
naming the function.  Known differences: the mean of float32 values is a
float64; np.dot of bool or narrow integers accumulates in int64.
"""

import numpy as np

from . import types as _types
from .extending import overload
from . import (_core, _math_rest, _np_elementwise, _np_index, _np_ndindex, _np_linalg, _np_make, _np_random,
               _np_reduce, _np_reshape, _np_shape, _np_shape2, _np_sort,
               _np_stats, _np_ufunc, _np_ufunc_loops, _np_more)
from . import _np_grid, _np_insert, _np_partition   # noqa: F401 - overloads
from . import _np_datetime   # noqa: F401 - overloads
from . import _heapq, _np_extra, _np_extra2, _np_extra3, _np_random_dists
from . import _operator
from . import _np_random_dists2, _random_variates
from ._core import _axis_index, _drop_axis, _mean_zero, _sum_zero


def array_sum(a, axis=None, dtype=None):
    if dtype is not None:
        return _sum_as(a, axis, dtype)
    if axis is not None:
        k = _axis_index(axis, a.ndim)       # AxisError for an axis a lacks
        if a.ndim > 1:
            out = np.full(_drop_axis(a.shape, k), _sum_zero(a))
            _add_along(out, a, k)
            return out
    s = _sum_zero(a)
    for x in a.flat:
        s += x
    return s


def _sum_as(a, axis, dtype):
    """a.sum(axis, dtype): the elements converted to dtype first and
    added in it, as NumPy adds them (a float array summed as int32 sums
    its truncated values).  dtype arrives as a zero of its type, as
    number classes reach the library."""
    cast = type(dtype)
    if axis is not None:
        k = _axis_index(axis, a.ndim)
        if a.ndim > 1:
            out = np.full(_drop_axis(a.shape, k), dtype)
            _add_along(out, a.astype(cast), k)
            return out
    s = dtype
    for x in a.flat:
        s += cast(x)
    return cast(s)


def _add_along(out, a, k):
    """Adds the sums of a along dimension k to out, of a's other
    dimensions.  Along the first dimension the rows are added in order, as
    NumPy adds them; along another each row of the first is reduced on its
    own, so that the innermost loop runs along the last dimension, where
    the memory is."""
    if a.ndim == 2:
        n0, n1 = a.shape
        if k == 0:
            for i in range(n0):
                for j in range(n1):
                    out[j] += a[i, j]
        else:
            for i in range(n0):
                out[i] += array_sum(a[i])
    elif k == 0:
        for i in range(len(a)):
            out += a[i]
    else:
        for i in range(len(a)):
            _add_along(out[i], a[i], k - 1)


def array_mean(a, axis=None):
    if axis is not None:
        k = _axis_index(axis, a.ndim)
        return array_sum(a, k) / a.shape[k]
    s = _mean_zero(a)
    for x in a.flat:
        s += x
    # divided in the sum's type: a float32 mean is a float32, as NumPy's
    return s / _np_reduce._like(a.size, s)


def array_copy(a):
    # a.copy() is C whatever a's layout (np.copy keeps an F array's)
    return a.flatten().reshape(a.shape)


@overload(np.linspace, jit_options={"error_model": "numpy"})
def _linspace_typer(start, stop, num=50, endpoint=True):
    """np.linspace of numbers, written on pyjit.extending.overload as a
    user's function would be: the implementation (pyjit/_np_shape2.py's)
    for numbers, and for other types None, a TypingError naming
    np.linspace and the types."""
    real = (_types.Integer, _types.Float, _types.Boolean)
    if (isinstance(start, real) and isinstance(stop, real)
            and isinstance(num, (_types.Integer, _types.Boolean))):
        return _np_shape2.linspace
    return None


_FUNCTIONS = {
    "sum": array_sum, "mean": array_mean, "copy": array_copy,
}

_METHODS = ("sum", "mean", "copy")


# The library's other modules, by domain: each has FUNCTIONS (NumPy name,
# or the callable itself, np.random.seed: implementation), METHODS (the names that are also array methods),
# HELPERS (the functions they call) and may have METHOD_IMPLS (array
# methods that are not the function of their name: a.sort() sorts in
# place), ERROR_MODEL ("python": division by zero raises) and INLINE
# (implementations of an operation the compiler would otherwise write in
# line, such as a tuple's store into a slice: every caller inlines them,
# whatever LLVM's inliner makes of the reference counts of their views).
_DOMAINS = (_np_ufunc, _np_sort, _np_shape, _np_make, _np_index, _np_random,
            _np_reshape, _np_linalg, _np_shape2, _math_rest, _np_reduce,
            _np_stats, _np_elementwise, _np_partition, _np_insert,
            _np_ufunc_loops, _np_more, _heapq, _np_random_dists,
            _np_random_dists2, _random_variates, _np_extra, _np_extra2,
            _np_extra3, _np_ndindex, _operator)


def _numpy_callable(name):
    """The callable a table names: NumPy's function of that name (a name
    this NumPy lacks, np.trapezoid before NumPy 2, is left out), or the
    callable itself."""
    return getattr(np, name) if isinstance(name, str) else name


def library():
    """({NumPy callable: dispatcher}, {array method name: dispatcher}).

    The implementations are rebound to their dispatchers here, so that
    one calling another (std calls var) calls compiled code."""
    tables = [(globals(), _FUNCTIONS, _METHODS,
               (_add_along, _sum_as), {}, "numpy", ())]
    # NumPy's division unless a domain says otherwise: the mean of no
    # elements is nan, not an error.
    tables += [(vars(m), m.FUNCTIONS, m.METHODS, m.HELPERS,
                getattr(m, "METHOD_IMPLS", {}),
                getattr(m, "ERROR_MODEL", "numpy"),
                getattr(m, "INLINE", ())) for m in _DOMAINS]
    functions, methods = {}, {}
    for namespace, table, method_names, helpers, own, errors, inline in tables:
        made = {}
        for impl in set(table.values()) | set(helpers) | set(own.values()):
            options = {"inline": "always"} if impl in inline else {}
            made[impl] = _core.Dispatcher(impl, nopython=True,
                                          error_model=errors, **options)
            namespace[impl.__name__] = made[impl]
        functions.update({_numpy_callable(name): made[impl]
                          for name, impl in table.items()
                          if not isinstance(name, str) or hasattr(np, name)})
        methods.update({name: made[table[name]] for name in method_names})
        methods.update({name: made[impl] for name, impl in own.items()})
    return functions, methods
