"""@jit and @njit: option checking, signatures, and the C Dispatcher."""
import itertools
import warnings
import weakref

from . import _core
from . import config
from . import types as _types

_OPTIONS = ("nopython", "nogil", "cache", "fastmath", "boundscheck",
            "error_model", "forceobj", "looplift", "parallel", "locals",
            "debug", "inline", "forceinline", "no_cpython_wrapper", "_nrt",
            "no_rewrites", "no_cfunc_wrapper", "_dbg_extend_lifetimes",
            "_dbg_optnone")

# Numba's options that change nothing in pyjit's code: pyjit rewrites no
# array expressions (no_rewrites), makes no C callback wrapper
# (no_cfunc_wrapper) and keeps no variable beyond its last use that a
# debugger would need (the _dbg_ ones).  They are checked and dropped.
_NO_EFFECT = ("no_rewrites", "no_cfunc_wrapper", "_dbg_extend_lifetimes",
              "_dbg_optnone")

_DISABLE_JIT = config.DISABLE_JIT

# Every dispatcher the decorators made that is still alive, in order (for
# the annotation report): keyed by a count, an entry leaves with its
# dispatcher, so a program that makes and drops many closures keeps none.
_made = weakref.WeakValueDictionary()
_made_count = itertools.count()


def dispatchers():
    """The dispatchers @jit and @njit made that are still alive."""
    return list(_made.values())


def _check_options(options):
    unknown = sorted(set(options) - set(_OPTIONS))
    if unknown:
        raise TypeError(
            f"unknown option{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(map(repr, unknown))} for jit; the options are "
            f"{', '.join(_OPTIONS)}")
    if options.get("nopython") and options.get("forceobj"):
        raise ValueError("Only one of 'nopython' or 'forceobj' can be True.")
    for name in _NO_EFFECT:
        options.pop(name, None)
    if "locals" in options:
        options["locals"] = _parse_locals(options["locals"])
    if options.get("inline") is not None and callable(options["inline"]):
        raise TypeError("inline= takes 'always' or 'never'; pyjit has no "
                        "cost model callbacks (LLVM decides when inline= is "
                        "not given)")
    options.setdefault("debug", config.DEBUGINFO_DEFAULT)
    if config.BOUNDSCHECK is not None:
        options["boundscheck"] = bool(config.BOUNDSCHECK)
    elif options.get("boundscheck") is None:
        options["boundscheck"] = bool(options["debug"])
    return options


def _parse_locals(value):
    """locals={'x': float64, 'y': 'int32'}: names to pyjit types (a string
    is read as a signature's type is)."""
    if not isinstance(value, dict):
        raise TypeError(f"locals must be a dict of variable names to types, "
                        f"not {type(value).__name__}")
    out = {}
    for name, t in value.items():
        if isinstance(t, str):
            t = _parse_type(t, f"locals[{name!r}]")
        out[name] = t
    return out


def _parse_type(text, where):
    try:
        t = eval(text, {"__builtins__": {}}, _types._namespace())
    except Exception as e:
        raise TypeError(f"{where}: invalid type {text!r}: {e}") from None
    if not isinstance(t, _types.Type):
        raise TypeError(f"{where}: {text!r} is not a type")
    return t


def _parse_signature(sig):
    """(argument types, return type or None) from any signature spelling."""
    if isinstance(sig, str):
        names = _types._namespace()
        names["bool"] = _types.boolean      # Numba's strings say bool too
        try:
            sig = eval(sig, {"__builtins__": {}}, names)
        except Exception as e:
            raise TypeError(f"invalid signature {sig!r}: {e}") from None
    if isinstance(sig, _types.Signature):
        ret = sig.return_type
        return tuple(sig.args), (None if ret is None else ret)
    if isinstance(sig, _types.Type):
        return (sig,), None
    if isinstance(sig, tuple) and all(isinstance(t, _types.Type) for t in sig):
        return sig, None
    raise TypeError(f"invalid signature {sig!r}: expected a string such as "
                    "'int64(int64, int64)', a pyjit signature or a tuple of "
                    "types")


def compile_for(disp, sig):
    """Dispatcher.compile(sig): compiles that signature now, as Numba's
    does, and returns what runs it: the dispatcher, which calls the
    specialization for arguments of those types."""
    argtypes, ret = _parse_signature(sig)
    disp._compile_signature(tuple(argtypes), ret)
    return disp


def _is_signature_spec(obj):
    return isinstance(obj, (str, list, _types.Signature, tuple, _types.Type))


def _make_dispatcher(func, signatures, options):
    if not callable(func):
        raise TypeError(f"jit expects a function, got {func!r}")
    disp = _core.Dispatcher(func, disable=_DISABLE_JIT, **options)
    _made[next(_made_count)] = disp
    if signatures and not _DISABLE_JIT:
        for sig in signatures:
            argtypes, ret = _parse_signature(sig)
            disp._compile_signature(tuple(argtypes), ret)
        disp.disable_compile()
    return disp


def jit(signature_or_function=None, **options):
    """Compile a function to native code on its first call for each set of
    argument types, as numba.jit does.

    Usable bare (``@jit``) or with options (``@jit(nopython=True)``) and
    explicit signatures (``@jit("float64(float64)")``), which compile at once.
    """
    options = _check_options(dict(options))
    if callable(signature_or_function) and \
            not isinstance(signature_or_function, (_types.Type, _types.Signature)):
        return _make_dispatcher(signature_or_function, None, options)
    sigs = signature_or_function
    if sigs is not None and not _is_signature_spec(sigs):
        raise TypeError(f"jit expects a function or signatures, got {sigs!r}")
    if sigs is not None and not isinstance(sigs, list):
        sigs = [sigs]

    def decorator(func):
        return _make_dispatcher(func, sigs, options)
    return decorator


def njit(signature_or_function=None, **options):
    """jit(nopython=True): never falls back to object mode.  As Numba's njit
    does, it warns that a nopython or forceobj option given to it is
    ignored."""
    for name in ("nopython", "forceobj"):
        if name in options:
            warnings.warn(f"{name} is set for njit and is ignored",
                          RuntimeWarning, stacklevel=2)
            del options[name]
    options["nopython"] = True
    return jit(signature_or_function, **options)
