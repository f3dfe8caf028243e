"""@vectorize and @guvectorize: NumPy ufuncs whose loops call a compiled
kernel, as Numba's are.

With a list of signatures, each is compiled at once and the result is a
real ``numpy.ufunc`` (a generalized one for guvectorize): NumPy provides
broadcasting, ``out=``, casting, ``reduce``, ``accumulate``, ``outer`` and
``at``.  Without signatures the result is a dynamic ufunc (``DUFunc``,
``GUFunc``) that compiles a loop for the input dtypes of a call that no
existing loop takes, and then calls the ufunc rebuilt with every loop so
far.  csrc/ufunc_build.c generates the loops and makes the ufuncs.
"""
import ast
import re

import numpy as np

from . import _core
from . import types as _types
from .decorators import _parse_signature
from .extending import overload

# NumPy's PyUFunc_* identities, by Numba's spelling of the option.
_IDENTITIES = {0: 0, 1: 1, None: -1, "reorderable": -2}

_OPTIONS = ("identity", "target", "nopython", "cache", "fastmath",
            "boundscheck", "nogil", "error_model", "forceobj")

# NumPy dtypes the loops handle, and their pyjit types.
_DTYPE_TYPES = {np.dtype(name): getattr(_types, name) for name in (
    "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
    "uint64", "float32", "float64", "complex64", "complex128")}
_DTYPE_TYPES[np.dtype(bool)] = _types.boolean
_TYPE_DTYPES = {t: d for d, t in _DTYPE_TYPES.items()}


def kernel_of(ufunc):
    """The dispatcher of the kernel a ufunc made by vectorize or
    guvectorize calls (of the current ufunc of a DUFunc or GUFunc), or
    None for any other object."""
    if isinstance(ufunc, _DynamicUfunc):
        return ufunc._disp
    return _core._ufunc_kernel(ufunc)


def _parse_identity(identity):
    try:
        return _IDENTITIES[identity]
    except (KeyError, TypeError):
        raise ValueError(f"Invalid identity value {identity!r}: the "
                         "identities are 0, 1, None and 'reorderable'") \
            from None


def _kernel(func, kind, options):
    """The dispatcher that compiles the kernel, and the ufunc identity.

    Kernels compile in nopython mode with error_model='numpy' (a division
    by zero gives inf, nan or 0, as NumPy's own loops do), as Numba's.
    ``target='parallel'`` splits each call of a vectorize ufunc's loop
    into one chunk per thread (csrc/ufunc_build.c, on the prange thread
    pool); a guvectorize ufunc accepts it and runs on one thread.
    Returns the dispatcher, the identity and whether the target is
    parallel.
    """
    unknown = sorted(set(options) - set(_OPTIONS))
    if unknown:
        raise TypeError(f"unknown option{'s' if len(unknown) > 1 else ''} "
                        f"{', '.join(map(repr, unknown))} for {kind}; the "
                        f"options are {', '.join(_OPTIONS)}")
    if not callable(func):
        raise TypeError(f"{kind} expects a function, got {func!r}")
    target = options.pop("target", "cpu")
    if target not in ("cpu", "parallel"):
        raise ValueError(f"Unsupported target: {target!r} (pyjit compiles "
                         "for 'cpu' and 'parallel')")
    if options.pop("forceobj", False):
        raise TypeError(f"{kind}: pyjit compiles ufunc kernels in nopython "
                        "mode only (forceobj=True is not supported)")
    identity = _parse_identity(options.pop("identity", None))
    options.pop("nopython", None)
    options.setdefault("error_model", "numpy")
    if options.get("boundscheck") is None:
        options.pop("boundscheck", None)
    disp = _core.Dispatcher(func, nopython=True, **options)
    disp._linked()      # its code is the loops', its own object on demand
    return disp, identity, target == "parallel"


# Helpers of the element-wise call in jitted code; each is compiled for
# its argument types, where `x.ndim == 0` (a number) is decided.

def _fits(ref, x):
    """Whether x is a number or an array of ref's shape."""
    if x.ndim == 0:
        return True
    if x.ndim != ref.ndim:
        return False
    return x.shape == ref.shape


def _spread(x, shape):
    """x seen as of the broadcast shape (a view repeating its elements), or
    the number or 0-d array x itself, which goes with every element."""
    if x.ndim == 0:
        return x
    return np.broadcast_to(x, shape)


def _flat(x):
    if x.ndim == 0:
        return x
    return x.ravel()


def _item(x, i):
    if x.ndim == 0:
        return _number(x)
    return x[i]


def _number(x):
    pass


@overload(_number)
def _number_typer(x):
    """The element of a 0-d array (which goes with every element, as a
    number does), or the number x."""
    if isinstance(x, _types.Array):
        return lambda x: x[()]
    return lambda x: x


_HELPERS = {}


def _helpers():
    if not _HELPERS:
        for f in (_fits, _spread, _flat, _item):
            _HELPERS[f.__name__] = _core.Dispatcher(f, nopython=True)
        for f in (_in_memory_order, _number, _widest, _shape):
            _HELPERS[f.__name__] = f
    return _HELPERS


def _widest(*operands):
    pass


@overload(_widest)
def _widest_typer(*operands):
    """The first operand of the most dimensions: its shape is the result's
    when the others fit it."""
    ndims = [t.ndim if isinstance(t, _types.Array) else 0 for t in operands]
    k = ndims.index(max(ndims))
    return lambda *operands: operands[k]


def _shape(x):
    pass


@overload(_shape)
def _shape_typer(x):
    """An operand's shape for broadcasting: a number's is ()."""
    if isinstance(x, _types.Array):
        return lambda x: x.shape
    return lambda x: ()


def _in_memory_order(x, *operands):
    pass


@overload(_in_memory_order)
def _in_memory_order_typer(x, *operands):
    """x.T when x is an array and every array of the operands (numbers and
    0-d arrays aside) is F, else x: the transpose of an F array is C, so
    walking it in C order walks the memory, and the transpose of the C
    result of that walk is F, the layout NumPy's ufuncs give all-F
    operands."""
    arrays = [t for t in operands if isinstance(t, _types.Array) and t.ndim]
    if isinstance(x, _types.Array) and x.ndim and arrays \
            and all(t.layout == "F" for t in arrays):
        return lambda x, *operands: x.T
    return lambda x, *operands: x


def _elementwise_lines(name, params):
    """The array path of a vectorized function's jitted entry: operands of
    the shape of the widest one are taken as they are, others are
    broadcast together first (as NumPy's ufuncs do; shapes that do not
    broadcast are NumPy's ValueError); numbers go with every element. The
    result has the kernel's type, taken from a call that is compiled,
    never run.  The elements are taken in memory order
    (_in_memory_order), so that the result is F when the arrays are."""
    args = ", ".join(params)
    order = lambda x: f"_in_memory_order({x}, {args})"
    items = lambda i: ", ".join(f"_item(f{k}, {i})"
                                for k in range(len(params)))
    fits = " or ".join(f"not _fits(ref, {p})" for p in params)
    shapes = ", ".join(f"_shape({p})" for p in params)
    return [
        f"    ref = _widest({args})\n",
        f"    if {fits}:\n",
        f"        full = np.broadcast_shapes({shapes})\n",
        f"        shape = {order('np.broadcast_to(ref, full)')}.shape\n",
        *[f"        f{k} = _flat({order(f'_spread({p}, full)')})\n"
          for k, p in enumerate(params)],
        "    else:\n",
        f"        shape = {order('ref')}.shape\n",
        *[f"        f{k} = _flat({order(p)})\n"
          for k, p in enumerate(params)],
        "    n = 1\n",
        "    for d in shape:\n",
        "        n *= d\n",
        "    if n < 0:\n",
        f"        proto = __kernel({items(0)})\n",
        "    out = np.full(n, proto)\n",
        "    for i in range(n):\n",
        f"        out[i] = __kernel({items('i')})\n",
        f"    return {order('out.reshape(shape)')}\n",
    ] if args else []


class _JittedEntry:
    """The dispatcher jitted code calls for a vectorized function, made
    when a jitted function first calls it (values.c): most ufuncs are
    only called from Python, and making it costs a parse and an exec."""

    __slots__ = ("_args", "_dispatcher")

    def __init__(self, *args):
        self._args = args
        self._dispatcher = None

    def dispatcher(self):
        if self._dispatcher is None:
            self._dispatcher = _make_jitted_entry(*self._args)
        return self._dispatcher

    def __call__(self, *args, **kws):
        return self.dispatcher()(*args, **kws)


def _jitted_entry(kernel, name, ndims, gufunc=False):
    return _JittedEntry(kernel, name, ndims, gufunc)


def _make_jitted_entry(kernel, name, ndims, gufunc):
    """The dispatcher jitted code calls for a vectorized function.

    A vectorize kernel is called on numbers and 0-d arrays (ndims all 0:
    their elements) and its result returned, as NumPy's ufuncs return a
    number of them, or on each element of arrays broadcast together,
    making an array;
    a guvectorize kernel on operands of exactly their core dimensions
    (``ndims``), outputs included, returning None.  Anything else raises an
    error that says what to do.  An argument's ndim is known when the
    function compiles, so only the path its types take is compiled."""
    params = [f"a{k}" for k in range(len(ndims))]
    lines = [f"def {name}({', '.join(params)}):\n"]
    for depth, (p, nd) in enumerate(zip(params, ndims)):
        lines.append("    " * (depth + 1) + f"if {p}.ndim == {nd}:\n")
    call = (f"__kernel({', '.join(params)})" if gufunc else
            f"__kernel({', '.join(f'_number({p})' for p in params)})")
    lines.append("    " * (len(ndims) + 1)
                 + (f"{call}\n" + "    " * (len(ndims) + 1) + "return None\n"
                    if gufunc else f"return {call}\n"))
    if gufunc:
        lines.append(f"    raise TypeError({name!r} ' in a jitted function "
                     "takes arrays of exactly its core dimensions, outputs "
                     "included: calling a gufunc over loop dimensions there "
                     "is not supported; call it from Python, or loop over "
                     "them')\n")
    else:
        lines += _elementwise_lines(name, params)
    filename = f"<pyjit vectorize {name}>"
    node = ast.parse("".join(lines), filename).body[0]
    scope = dict(_helpers(), __kernel=kernel, np=np)
    exec(compile(ast.Module([node], []), filename, "exec"), scope)
    func = scope[name]
    func.__pyjit_source__ = (filename, lines, node, 1, node.end_lineno)
    return _core.Dispatcher(func, nopython=True)


def _gufunc_ndims(ins, outs):
    """The ndim of each operand a jitted caller passes: its core
    dimensions; a `()` output is a one-element array."""
    return [len(d) for d in ins] + [max(len(d), 1) for d in outs]


def _name_doc(func):
    return func.__name__, func.__doc__ or ""


def _loop(disp, argtypes, ret, core):
    disp._compile_signature(tuple(argtypes), ret)
    return _core._ufunc_loop(disp, tuple(argtypes), core)


# --- vectorize ---

def _scalar_signature(sig, nparams):
    argtypes, ret = _parse_signature(sig)
    if len(argtypes) != nparams:
        raise TypeError(f"signature {sig!r} has {len(argtypes)} argument "
                        f"type{'s' if len(argtypes) != 1 else ''} but the "
                        f"function takes {nparams}")
    for t in argtypes + ((ret,) if ret is not None else ()):
        if t not in _DTYPE_TYPES.values():
            raise TypeError(f"signature {sig!r}: a vectorize kernel takes "
                            f"and returns numbers, not {t}")
    return argtypes, ret


def _nparams(func):
    code = getattr(func, "__code__", None)
    if code is None:
        raise TypeError(f"vectorize expects a Python function, got {func!r}")
    return code.co_argcount


def _build_ufunc(disp, func, loops, identity, jitted, parallel):
    name, doc = _name_doc(func)
    return _core._make_ufunc(name, doc, _nparams(func), 1, list(loops),
                             identity, None, (disp, jitted), parallel)


def vectorize(ftylist_or_function=(), **kws):
    """Make a NumPy ufunc of a scalar function, as numba.vectorize does.

    ``@vectorize(["float64(float64, float64)", ...])`` compiles each
    signature now and returns a ``numpy.ufunc``; ``@vectorize`` (or an empty
    list) returns a ``DUFunc`` that compiles a loop for each new combination
    of input dtypes.  Options: ``identity`` (0, 1, None, 'reorderable'),
    ``target`` ('cpu', 'parallel'), ``nopython``, ``cache``, ``fastmath``,
    ``boundscheck``, ``nogil``, ``error_model``.
    """
    if isinstance(ftylist_or_function, str):
        ftylist_or_function = [ftylist_or_function]
    if callable(ftylist_or_function) and \
            not isinstance(ftylist_or_function, (_types.Type,
                                                 _types.Signature)):
        return DUFunc(ftylist_or_function, **kws)
    sigs = list(ftylist_or_function or ())

    def decorator(func):
        if not sigs:
            return DUFunc(func, **kws)
        disp, identity, parallel = _kernel(func, "vectorize", dict(kws))
        n = _nparams(func)
        loops = [_loop(disp, *_scalar_signature(s, n), None) for s in sigs]
        disp.disable_compile()
        jitted = _jitted_entry(disp, func.__name__, [0] * n)
        return _build_ufunc(disp, func, loops, identity, jitted, parallel)
    return decorator


def _dtype_type(value):
    """The pyjit type of an operand's dtype, or None."""
    dtype = getattr(value, "dtype", None)
    if not isinstance(dtype, np.dtype):
        try:
            dtype = np.asarray(value).dtype
        except Exception:
            return None
    return _DTYPE_TYPES.get(dtype)


class _DynamicUfunc:
    """What DUFunc and GUFunc share: a ufunc rebuilt with a new loop for
    each new combination of input dtypes."""

    def __init__(self, func, kind, kws):
        self._disp, self._identity, self._parallel = _kernel(
            func, kind, dict(kws))
        self._func = func
        self._loops = []
        self._compiled = set()
        self._frozen = False
        self.__name__, self.__doc__ = _name_doc(func)
        self.__wrapped__ = func
        self._ufunc = self._rebuild()

    @property
    def ufunc(self):
        """The NumPy ufunc of the loops compiled so far."""
        return self._ufunc

    def disable_compile(self):
        """Compile no more loops: a call no loop takes is NumPy's
        TypeError."""
        self._frozen = True

    nin = property(lambda self: self._ufunc.nin)
    nout = property(lambda self: self._ufunc.nout)
    nargs = property(lambda self: self._ufunc.nargs)
    ntypes = property(lambda self: self._ufunc.ntypes)
    types = property(lambda self: self._ufunc.types)
    identity = property(lambda self: self._ufunc.identity)
    signature = property(lambda self: self._ufunc.signature)

    def _add_loop(self, key, operands):
        """Compiles the loop for key (a tuple of pyjit types) unless it
        was; False when it was or cannot be."""
        if self._frozen or key in self._compiled or None in key \
                or len(key) != self._nkey:
            return False
        self._loops.append(self._compile(key, operands))
        self._compiled.add(key)
        self._ufunc = self._rebuild()
        return True

    def _call(self, method, args, kws):
        call = getattr(self._ufunc, method) if method else self._ufunc
        return call(*args, **kws)

    def _dispatch(self, method, operands, args, kws):
        try:
            return self._call(method, args, kws)
        except TypeError:
            key = tuple(_dtype_type(v) for v in operands)
            if key not in self._compiled and not self._add_loop(key,
                                                                operands):
                raise
            if method or "signature" in kws or "dtype" in kws:
                return self._call(method, args, kws)
        # There is a loop for exactly these dtypes, but NumPy's search
        # stopped at an earlier one (an output that one cannot write).
        nout = self._ufunc.nout if len(key) == self._ufunc.nin else 0
        sig = tuple(_TYPE_DTYPES[t] for t in key) + (None,) * nout
        return self._call(None, args, dict(kws, signature=sig))

    def __repr__(self):
        return f"<{type(self).__name__} {self.__name__!r}>"


class DUFunc(_DynamicUfunc):
    """A dynamic ufunc (numba's DUFunc): ``@vectorize`` without signatures.
    Calls, ``reduce``, ``accumulate``, ``reduceat``, ``outer`` and ``at``
    compile a loop for input dtypes no loop takes (by NumPy's safe
    casting), then run NumPy's."""

    def __init__(self, func, **kws):
        self._nin = self._nkey = _nparams(func)
        super().__init__(func, "vectorize", kws)
        self.__pyjit_jitted__ = _jitted_entry(self._disp, func.__name__,
                                              [0] * self._nin)

    def _rebuild(self):
        return _build_ufunc(self._disp, self._func, self._loops,
                            self._identity, None, self._parallel)

    def _compile(self, key, operands):
        return _loop(self._disp, key, None, None)

    def __call__(self, *args, **kws):
        return self._dispatch(None, args[:self._nin], args, kws)

    def reduce(self, array, *args, **kws):
        return self._dispatch("reduce", (array, array), (array,) + args, kws)

    def accumulate(self, array, *args, **kws):
        return self._dispatch("accumulate", (array, array), (array,) + args,
                              kws)

    def reduceat(self, array, *args, **kws):
        return self._dispatch("reduceat", (array, array), (array,) + args,
                              kws)

    def outer(self, a, b, **kws):
        return self._dispatch("outer", (a, b), (a, b), kws)

    def at(self, a, indices, b=None):
        operands = (a,) if b is None else (a, b)
        args = (a, indices) if b is None else (a, indices, b)
        return self._dispatch("at", operands, args, {})


# --- guvectorize ---

_CORE = re.compile(r"\(([^()]*)\)")


def _parse_layout(layout):
    """(per input, per output) tuples of dimension names of a gufunc
    signature such as '(n),()->(n)'.  As in Numba, a layout without '->'
    such as '(n),(k)' has no outputs: the kernel writes into an input."""
    if not isinstance(layout, str) or layout.count("->") > 1:
        raise ValueError(f"invalid gufunc signature {layout!r}: expected "
                         "a layout such as '(n),()->(n)'")
    sides = []
    ins, arrow, outs = layout.replace(" ", "").partition("->")
    for side in (ins, outs) if arrow else (ins, ""):
        groups = _CORE.findall(side)
        if _CORE.sub("", side).replace(",", "") or not groups and (
                side is ins or arrow):
            raise ValueError(f"invalid gufunc signature {layout!r}")
        sides.append([tuple(d.strip("?") for d in g.split(",") if d)
                      for g in groups])
    return sides


def _core_indices(ins, outs):
    """Per operand, the index of each of its dimensions among the
    signature's names in order of first appearance, as NumPy numbers
    them."""
    names = {}
    for dims in ins + outs:
        for d in dims:
            names.setdefault(d, len(names))
    return tuple(tuple(names[d] for d in dims) for dims in ins + outs)


def _check_gufunc_types(sig, argtypes, ins, outs):
    if len(argtypes) != len(ins) + len(outs):
        raise TypeError(f"signature {sig!r} has {len(argtypes)} argument "
                        f"types but the layout has {len(ins) + len(outs)} "
                        "operands")
    for k, (t, dims) in enumerate(zip(argtypes, ins + outs)):
        out = k >= len(ins)
        if isinstance(t, _types.Type) and t in _DTYPE_TYPES.values():
            if dims or out:
                raise TypeError(
                    f"signature {sig!r}: operand {k} is {t}, but "
                    f"{'an output' if out else 'a core dimension'} needs "
                    "an array type")
            continue
        ndim = getattr(t, "ndim", None)
        if ndim is None or ndim != max(len(dims), 1) \
                or t.dtype not in _DTYPE_TYPES.values():
            raise TypeError(f"signature {sig!r}: operand {k} is {t}, which "
                            f"does not fit its core dimensions "
                            f"({','.join(dims)})")
        if out and not t.mutable:
            raise TypeError(f"signature {sig!r}: output {k} is read-only")


def _writable_positions(func, writable_args, nin):
    """writable_args (input names or positions) as positions, as Numba
    takes them."""
    import inspect
    params = list(inspect.signature(func).parameters)
    out = []
    for arg in writable_args:
        if isinstance(arg, str):
            if arg not in params[:nin]:
                raise RuntimeError(f"Specified writable arg {arg} not found "
                                   f"in arg list {params} for function "
                                   f"{func.__qualname__}")
            arg = params.index(arg)
        out.append(int(arg))
    return tuple(out)


def _build_gufunc(disp, func, loops, nin, nout, layout, identity, jitted,
                  writable=()):
    name, doc = _name_doc(func)
    return _core._make_ufunc(name, doc, nin, nout, list(loops), identity,
                             layout, (disp, jitted), False, writable)


def guvectorize(*args, **kws):
    """Make a generalized NumPy ufunc, as numba.guvectorize does.

    ``@guvectorize(["void(float64[:], float64, float64[:])"], "(n),()->(n)")``
    compiles each signature now and returns a ``numpy.ufunc`` with that
    layout; the kernel writes its results into its output arrays.  A `()`
    operand is passed as a number when its type is a number, as a
    one-element array when it is a 1-d array.  ``@guvectorize("(n),()->(n)")``
    returns a ``GUFunc`` that compiles a loop for each new combination of
    operand dtypes (outputs must be passed to it).
    """
    if len(args) == 1 and isinstance(args[0], str):
        layout = args[0]
        return lambda func: GUFunc(func, layout, **kws)
    if len(args) != 2:
        raise TypeError("guvectorize expects a list of signatures and a "
                        "layout, as in guvectorize(['void(float64[:], "
                        "float64[:])'], '(n)->(n)')")
    ftylist, layout = args
    if isinstance(ftylist, str):
        ftylist = [ftylist]
    ins, outs = _parse_layout(layout)
    core = _core_indices(ins, outs)

    options = dict(kws)
    writable_args = options.pop("writable_args", ())

    def decorator(func):
        writable = _writable_positions(func, writable_args, len(ins))
        disp, identity, _ = _kernel(func, "guvectorize", dict(options))
        loops = []
        for sig in ftylist:
            argtypes, ret = _parse_signature(sig)
            _check_gufunc_types(sig, argtypes, ins, outs)
            loops.append(_loop(disp, argtypes, ret, core))
        disp.disable_compile()
        jitted = _jitted_entry(disp, func.__name__, _gufunc_ndims(ins, outs),
                               gufunc=True)
        return _build_gufunc(disp, func, loops, len(ins), len(outs), layout,
                             identity, jitted, writable)
    return decorator


class GUFunc(_DynamicUfunc):
    """A dynamic generalized ufunc (numba's GUFunc): ``@guvectorize`` with
    a layout and no signatures.  A call with operand dtypes no loop takes
    compiles one for them; its outputs must be passed, since their dtypes
    are part of the loop."""

    def __init__(self, func, layout, **kws):
        self._layout = layout
        self._ins, self._outs = _parse_layout(layout)
        self._coreix = _core_indices(self._ins, self._outs)
        self._nkey = len(self._ins) + len(self._outs)
        kws = dict(kws)
        self._writable = _writable_positions(
            func, kws.pop("writable_args", ()), len(self._ins))
        super().__init__(func, "guvectorize", kws)
        self.__pyjit_jitted__ = _jitted_entry(
            self._disp, func.__name__, _gufunc_ndims(self._ins, self._outs),
            gufunc=True)

    def _rebuild(self):
        return _build_gufunc(self._disp, self._func, self._loops,
                             len(self._ins), len(self._outs), self._layout,
                             self._identity, None, self._writable)

    def _compile(self, key, operands):
        argtypes = []
        for k, (t, dims) in enumerate(zip(key, self._ins + self._outs)):
            if dims or k >= len(self._ins):
                t = _types.Array(t, max(len(dims), 1), "A")
            argtypes.append(t)
        return _loop(self._disp, tuple(argtypes), None, self._coreix)

    def __call__(self, *args, **kws):
        nin, nops = len(self._ins), len(self._ins) + len(self._outs)
        out = kws.get("out")
        operands = args[:nops]
        if len(operands) == nin and out is not None:
            operands += out if isinstance(out, tuple) else (out,)
        if len(operands) < nops and not self._frozen:
            key = tuple(_dtype_type(v) for v in operands)
            if not any(key == k[:nin] for k in self._compiled):
                raise TypeError(
                    f"{self.__name__}: a dynamic gufunc compiles a loop for "
                    "the dtypes of all its operands: pass the output arrays "
                    "the first time it is called with these input dtypes")
        return self._dispatch(None, operands, args, kws)
