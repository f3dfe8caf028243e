"""pyjit.extending: new functions for nopython code, written in Python.

    from pyjit.extending import overload
    from pyjit import types

    @overload(scipy.special.xlogy)
    def xlogy_typer(x, y):
        if isinstance(x, types.Float) and isinstance(y, types.Float):
            def impl(x, y):
                return 0.0 if x == 0.0 else x * math.log(y)
            return impl
        # None: no implementation for these types (a TypingError)

`overload(func)` registers a *typing function* for `func`: when compiled
code calls `func`, the typing function is called with the pyjit types of
the arguments (bound to its own parameters, defaults and keywords as
Python binds them) and returns the implementation, a Python function of
the same parameters that pyjit compiles for those types, or None.  The
types answer as Numba's do: `isinstance(x, types.Array) and x.ndim == 2`,
`x.dtype`, `types.Integer`, `types.Float`...  `overload_method(types.Array,
'name')` does the same for `a.name(...)` on arrays, strings and lists (the
typing function's first parameter is the object), `overload_attribute`
for `a.name`, and `register_jitable(fn)` makes a plain Python function
callable from compiled code as it is.  Outside compiled code, `func` is
unchanged.

`intrinsic` takes a typing function returning (signature, codegen): the
codegen builds the body with llvmlite (pyjit/_intrinsic.py), for
signatures of numbers.

Not offered: `lower_builtin`, `type_callable`, data models, `box`/`unbox`
and `NativeValue`.  They hand Numba's LLVM builder objects and data models
of pyjit's own values to Python; pyjit's code generation is C and exposes
no LLVM objects, so these names raise ImportError saying what to write
instead.
"""
import inspect

from . import _core, errors
from . import types as _types

from ._intrinsic import intrinsic

__all__ = ["overload", "overload_method", "overload_attribute",
           "register_jitable", "is_jitted", "intrinsic",
           "sentry_literal_args", "SentryLiteralArgs", "BoundLiteralArgs"]

_functions = {}     # overloaded function -> template dispatcher
_templates = {}     # template dispatcher -> _Overload
_methods = {}       # method name -> [(type class, template)]
_attributes = {}    # attribute name -> [(type class, template)]

_INLINE = ("never", "always")


class _Overload:
    """One typing function and the implementations it chose, by argument
    types."""

    def __init__(self, typer, name, jit_options, prefer_literal=False,
                 strict=True):
        self.typer = typer
        self.strict = bool(strict)
        self.name = name
        self.jit_options = jit_options
        self.prefer_literal = bool(prefer_literal)
        self.impls = {}
        self.template = _core.Dispatcher(typer, nopython=True)
        _templates[self.template] = self

    def implementation(self, argtypes):
        """The implementation for argtypes; the typing function is asked
        once for them, its refusal kept as its answer is."""
        disp = self.impls.get(argtypes)
        if disp is None:
            try:
                disp = self._compile(argtypes)
            except errors.TypingError as e:
                disp = e
            self.impls[argtypes] = disp
        if isinstance(disp, errors.TypingError):
            raise disp.with_traceback(None)
        return disp

    def _compile(self, argtypes):
        given = self._spread(argtypes)
        impl = self.typer(*given)
        if impl is None:
            raise errors.TypingError(
                f"No implementation of function {self.name} found for "
                f"signature: {self.name}({', '.join(map(str, given))}): "
                f"its overload ({_where(self.typer)}) returned None for "
                f"these types")
        if not callable(impl) or not hasattr(impl, "__code__"):
            raise errors.TypingError(
                f"the overload of {self.name} ({_where(self.typer)}) "
                f"returned {impl!r}: it returns a Python function, the "
                f"implementation, or None")
        if self.strict:
            _check_parameters(self, impl)
        from .decorators import njit
        disp = njit(impl, **self.jit_options)
        if _has_varargs(self.typer) and not _has_varargs(impl):
            # strict=False: the call's arguments, which the typing
            # function took as *args, spread over impl's parameters
            disp = njit(_calling(disp), inline="always")
        return disp

    def bind_positional(self, given):
        """The argument types as this typing function's parameters take
        them, for positional arguments of types `given` (defaults as their
        values' types); None when its parameters do not take them."""
        try:
            bound = inspect.signature(self.typer).bind(*given)
        except TypeError:
            return None
        if _has_varargs(self.typer):
            return None         # the spread of a tuple type is the C side's
        bound.apply_defaults()
        return tuple(v if isinstance(v, _types.Type) else _core.typeof(v)
                     for v in bound.args)

    def _spread(self, argtypes):
        """The types as the typing function's parameters take them: the
        items of a *args tuple one by one."""
        if _has_varargs(self.typer):
            return argtypes[:-1] + tuple(argtypes[-1].types)
        return argtypes


def _any_arguments(*args):
    """The parameters of a function overloaded several times: the call's
    arguments are bound to each typing function's own in turn."""


class _Alternatives:
    """Several typing functions registered for one function, with
    different parameters (`f(a, b)`, `f(a, b, out)`): a call tries them in
    the order they were registered, as Numba tries its templates, and the
    first whose parameters take the arguments and that gives an
    implementation is the call's."""

    def __init__(self, first):
        self.name = first.name
        self.alternatives = [first]
        self.spreads = {}
        self.template = _core.Dispatcher(_any_arguments, nopython=True)
        _templates[self.template] = self

    def add(self, ov):
        self.alternatives.append(ov)

    def implementation(self, argtypes):
        given = tuple(argtypes[-1].types)       # the *args of the template
        refusals = []
        for ov in self.alternatives:
            bound = ov.bind_positional(given)
            if bound is None:
                refusals.append(f"{_where(ov.typer)}: does not take "
                                f"{len(given)} arguments")
                continue
            try:
                impl = ov.implementation(bound)
            except errors.TypingError as e:
                refusals.append(str(e).splitlines()[0])
                continue
            return self._spread_to(impl, argtypes)
        raise errors.TypingError(
            f"No implementation of function {self.name} found for "
            f"signature: {self.name}({', '.join(map(str, given))}); its "
            f"overloads answered:\n  " + "\n  ".join(refusals))


    def _spread_to(self, impl, argtypes):
        """A function of the template's *args calling impl with them."""
        spread = self.spreads.get((impl, argtypes))
        if spread is None:
            from .decorators import njit
            spread = self.spreads[impl, argtypes] = njit(
                _calling(impl), inline="always")
        return spread


def _calling(impl):
    def call(*args):
        return impl(*args)
    return call


def _has_varargs(fn):
    return bool(fn.__code__.co_flags & inspect.CO_VARARGS)


def _where(fn):
    code = fn.__code__
    return f"{fn.__qualname__} in {code.co_filename}:{code.co_firstlineno}"


def _check_parameters(ov, impl):
    """The implementation takes the arguments the typing function took:
    the same number of positional parameters, *args if it had *args."""
    want, got = ov.typer.__code__, impl.__code__
    if (want.co_argcount != got.co_argcount
            or _has_varargs(ov.typer) != _has_varargs(impl)):
        raise errors.TypingError(
            f"the implementation {impl.__qualname__}"
            f"{inspect.signature(impl)} that the overload of {ov.name} "
            f"returned does not take the typing function's arguments "
            f"{inspect.signature(ov.typer)}")


def _jit_options(jit_options, inline):
    options = dict(jit_options or {})
    if inline not in _INLINE:
        raise ValueError(f"inline= takes 'never' or 'always', not "
                         f"{inline!r}: pyjit has no cost-model callbacks")
    if inline == "always":
        options["inline"] = "always"
    options.pop("nopython", None)
    return options


def _check_target(target):
    if target not in ("cpu", "generic"):
        raise ValueError(f"target={target!r}: pyjit compiles for the CPU "
                         f"only ('cpu')")


def _name_of(func):
    module = getattr(func, "__module__", None)
    name = getattr(func, "__qualname__", None) or getattr(func, "__name__",
                                                          repr(func))
    return f"{module}.{name}" if module else name


def overload(func, jit_options=None, strict=True, inline="never",
             prefer_literal=False, target="cpu", **kwargs):
    """Register the decorated typing function as func's implementation
    in compiled code.  jit_options are the implementation's @njit options;
    inline='always' inlines it into every caller.  The typing function is
    asked with the arguments' plain types first, then, if that gives no
    implementation, with the constants among them as Literal types
    (types.Literal); prefer_literal=True asks in the other order.
    strict=False lets the implementation's parameters differ from the
    typing function's (a typing function of *args returning one of
    (f, t1, t2)), as Numba does: it is called with the call's
    arguments."""
    _check_target(target)
    options = _jit_options(jit_options, inline)
    _check_unknown(kwargs)

    def register(typer):
        _check_typer(typer, "overload")
        ov = _Overload(typer, _name_of(func), options, prefer_literal,
                       strict)
        earlier = _templates.get(_functions.get(func))
        if isinstance(earlier, _Overload):
            earlier = _Alternatives(earlier)
            _functions[func] = earlier.template
        if isinstance(earlier, _Alternatives):
            earlier.add(ov)
        else:
            _functions[func] = ov.template
        _install()
        return typer
    return register


def _check_typer(typer, what):
    if not inspect.isfunction(typer):
        raise TypeError(f"@{what}(...) decorates a Python function (the "
                        f"typing function), not {typer!r}")


def _check_unknown(kwargs):
    if kwargs:
        raise TypeError(f"unknown option(s) {', '.join(sorted(kwargs))}: "
                        f"overload takes jit_options, strict, inline, "
                        f"prefer_literal and target")


def _check_type_class(typ, what):
    from ._structref import StructRef
    if not (isinstance(typ, type)
            and issubclass(typ, (_types._Kinds, StructRef))):
        raise TypeError(f"{what} takes one of pyjit.types' type classes "
                        f"(types.Array, types.UnicodeType, types.List...), "
                        f"not {typ!r}")


def overload_method(typ, attr, jit_options=None, inline="never",
                    prefer_literal=False, target="cpu", **kwargs):
    """Register the decorated typing function as the method `attr` of
    values whose type is an instance of the type class `typ`
    (types.Array, types.UnicodeType, types.List); its first parameter is
    the object."""
    _check_target(target)
    _check_type_class(typ, "overload_method")
    options = _jit_options(jit_options, inline)
    _check_unknown(kwargs)

    def register(typer):
        _check_typer(typer, "overload_method")
        ov = _Overload(typer, f"{typ.__name__}.{attr}", options,
                       prefer_literal)
        _methods.setdefault(attr, []).append((typ, ov.template))
        _install()
        return typer
    return register


def overload_attribute(typ, attr, jit_options=None, inline="never",
                       prefer_literal=False, target="cpu", **kwargs):
    """Register the decorated typing function, of one parameter (the
    object), as the attribute `attr` of values of the type class `typ`:
    `a.attr` calls the implementation it returns."""
    _check_target(target)
    _check_type_class(typ, "overload_attribute")
    options = _jit_options(jit_options, inline)
    _check_unknown(kwargs)

    def register(typer):
        _check_typer(typer, "overload_attribute")
        if typer.__code__.co_argcount != 1 or _has_varargs(typer):
            raise TypeError(f"the typing function of an attribute takes "
                            f"one parameter, the object; "
                            f"{typer.__qualname__}"
                            f"{inspect.signature(typer)} does not")
        ov = _Overload(typer, f"{typ.__name__}.{attr}", options)
        _attributes.setdefault(attr, []).append((typ, ov.template))
        _install()
        return typer
    return register


def register_jitable(*args, **jit_options):
    """Make a Python function callable from compiled code, compiled with
    jit_options; it stays a plain Python function for Python callers.
    Used bare (@register_jitable) or with options
    (@register_jitable(fastmath=True))."""
    def register(fn):
        if not inspect.isfunction(fn):
            raise TypeError(f"register_jitable takes a Python function, "
                            f"not {fn!r}")
        from .decorators import njit
        _functions[fn] = njit(fn, **jit_options)
        _install()
        return fn
    if len(args) == 1 and not jit_options and callable(args[0]):
        return register(args[0])
    if args:
        raise TypeError("register_jitable takes a function or keyword "
                        "options")
    return register


def sentry_literal_args(pysig, literal_args, args, kwargs):
    """Numba's check, in a typing function, that the arguments named in
    literal_args (parameter names of pysig, an inspect.Signature) are
    Literal types: when one is not, ForceLiteralArg asks the caller for
    their values, and the typing function is asked again with them."""
    bound = pysig.bind(*args, **kwargs)
    names = list(pysig.parameters)
    request = {names.index(name) for name in literal_args
               if not isinstance(bound.arguments.get(name), _types.Literal)}
    if request:
        raise errors.ForceLiteralArg(request)


class BoundLiteralArgs:
    """SentryLiteralArgs bound to a signature: `.bind(*args, **kwargs)`
    checks the arguments of one call."""

    def __init__(self, pysig, literal_args):
        self.pysig = pysig
        self.literal_args = literal_args

    def bind(self, *args, **kwargs):
        sentry_literal_args(self.pysig, self.literal_args, args, kwargs)


class SentryLiteralArgs:
    """Numba's SentryLiteralArgs(literal_args).for_function(fn).bind(...):
    the parameters of fn in literal_args must be Literal types."""

    def __init__(self, literal_args):
        self.literal_args = tuple(literal_args)

    def for_function(self, fn):
        return self.for_pysig(inspect.signature(fn))

    def for_pysig(self, pysig):
        return BoundLiteralArgs(pysig, self.literal_args)


def is_jitted(function):
    """Whether function is a pyjit dispatcher (Numba's is_jitted)."""
    return isinstance(function, _core.Dispatcher)


def get_cython_function_address(module_name, function_name):
    """The address of a function a Cython module exports in its
    `__pyx_capi__` (scipy.special.cython_special's `erf`...), as Numba's
    function of that name gives it: wrapped in a ctypes prototype, the
    function is called from compiled code as any ctypes function is."""
    import ctypes
    import importlib
    capi = getattr(importlib.import_module(module_name), "__pyx_capi__", {})
    if function_name not in capi:
        raise ValueError(f"{module_name} exports no function "
                         f"{function_name!r} (not in its __pyx_capi__)")
    capsule = ctypes.py_object(capi[function_name])
    get_name = ctypes.pythonapi.PyCapsule_GetName
    get_name.restype = ctypes.c_char_p
    get_name.argtypes = [ctypes.py_object]
    get_pointer = ctypes.pythonapi.PyCapsule_GetPointer
    get_pointer.restype = ctypes.c_void_p
    get_pointer.argtypes = [ctypes.py_object, ctypes.c_char_p]
    return get_pointer(capsule, get_name(capsule))


def _member(table, self_type, name):
    for typ, template in table.get(name, ()):
        if isinstance(self_type, typ):
            return template
    return None


def _method(self_type, name):
    return _member(_methods, self_type, name)


def _attribute(self_type, name):
    return _member(_attributes, self_type, name)


def _select(template, argtypes):
    return _templates[template].implementation(argtypes)


_installed = False


def _install():
    """Hands the tables to the compiler (csrc/extending.c), once."""
    global _installed
    if not _installed:
        _core._set_overload_hooks(_functions, _templates, _select, _method,
                                  _attribute)
        _installed = True


# Numba's lower-level extension API works on LLVM objects from Python.
_NOT_OFFERED = {
    "lower_builtin": "overload",
    "lower_getattr": "overload_attribute",
    "lower_cast": "overload",
    "type_callable": "overload",
    "typeof_impl": "overload on the types pyjit already has",
    "models": "overload on the types pyjit already has",
    "register_model": "overload on the types pyjit already has",
    "make_attribute_wrapper": "overload_attribute",
    "box": "the boxing of pyjit's own types",
    "unbox": "the boxing of pyjit's own types",
    "NativeValue": "the boxing of pyjit's own types",
    "infer_getattr": "overload_attribute",
    "infer": "overload",
    "infer_global": "overload",
}


def __getattr__(name):
    instead = _NOT_OFFERED.get(name)
    if instead is None:
        raise AttributeError(f"module 'pyjit.extending' has no attribute "
                             f"{name!r}")
    raise ImportError(
        f"pyjit.extending.{name} is not offered: it works on LLVM IR "
        f"builders and data models from Python, and pyjit's code "
        f"generation is C that exposes no LLVM objects; use {instead}",
        name=name)
