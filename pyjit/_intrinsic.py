"""`@intrinsic`: functions whose body is LLVM IR built with llvmlite.

    @intrinsic
    def popcount(typingctx, x):
        if not isinstance(x, types.Integer):
            return None
        sig = x(x)
        def codegen(context, builder, signature, args):
            fnty = ir.FunctionType(args[0].type, [args[0].type])
            fn = cgutils.get_or_insert_function(
                builder.module, fnty, f"llvm.ctpop.i{x.bitwidth}")
            return builder.call(fn, args)
        return sig, codegen

When compiled code calls the Intrinsic, the typing function gets the
pyjit types of the arguments (Numba's spelling: `types.Integer`,
`x.bitwidth`) and returns a signature and a codegen function, or None
(no implementation for these types).  The codegen runs then, once per
signature, on an llvmlite IRBuilder positioned in a fresh function whose
parameters are the LLVM values of the arguments; the IR it builds is
parsed and linked into the compiled code by csrc/intrinsic.c and inlined
at the call.  Numbers (bool, integers, floats, complex) are what crosses:
Numba's data model for them is plain LLVM types, so codegen written for
Numba builds the same IR.

`context` offers what codegen functions commonly use of Numba's target
context (get_value_type, get_constant, cast...); pyjit._cgutils is the
part of numba.core.cgutils that works on llvmlite objects alone.
"""
import functools
import inspect
import itertools

from . import errors
from . import types as _types

_NUMBER_KINDS = ("BOOL", "INT", "UINT", "FLOAT", "COMPLEX")
_names = itertools.count()


def _llvmlite_ir():
    try:
        from llvmlite import ir
    except ImportError:
        raise ImportError(
            "pyjit's @intrinsic needs llvmlite, which is not installed: "
            "the codegen functions of intrinsics build their LLVM IR with "
            "llvmlite.ir (pip install llvmlite)", name="llvmlite") from None
    return ir


def _is_number(t):
    return isinstance(t, _types.Type) and t.kind in _NUMBER_KINDS


def _is_argument(t):
    """A number, or a class or dtype as a value (`np.float64`, Numba's
    NumberClass), which an intrinsic may take for its `.dtype`."""
    return _is_number(t) or (isinstance(t, _types.Type) and t.kind == "DTYPE")


def llvm_type(t):
    """The llvmlite type of a value of the number type t (Numba's data
    model: bool is i1, a complex is a pair of floats)."""
    ir = _llvmlite_ir()
    kind = t.kind
    if kind == "BOOL":
        return ir.IntType(1)
    if kind in ("INT", "UINT"):
        return ir.IntType(t.bitwidth)
    if kind == "FLOAT":
        return ir.FloatType() if t.bitwidth == 32 else ir.DoubleType()
    if kind == "COMPLEX":
        part = ir.FloatType() if t.bitwidth == 64 else ir.DoubleType()
        return ir.LiteralStructType([part, part])
    if kind == "DTYPE":
        return ir.IntType(8)        # a class carries no data (functions.c)
    raise errors.TypingError(f"{t} is not a number: an intrinsic's "
                             f"arguments and result are numbers")


class _TypingContext:
    """What typing functions ask of Numba's typing context."""

    def resolve_value_type(self, value):
        from . import typeof
        return typeof(value)

    def unify_pairs(self, a, b):
        return a if a == b else None


class _Context:
    """What codegen functions ask of Numba's target context, for
    numbers."""

    def get_value_type(self, ty):
        return llvm_type(ty)

    get_data_type = get_argument_type = get_return_type = get_value_type

    def get_constant(self, ty, value):
        ir = _llvmlite_ir()
        if ty.kind == "COMPLEX":
            part = llvm_type(ty).elements[0]
            value = complex(value)
            return ir.Constant(llvm_type(ty), [ir.Constant(part, value.real),
                                               ir.Constant(part, value.imag)])
        if ty.kind == "FLOAT":
            return ir.Constant(llvm_type(ty), float(value))
        return ir.Constant(llvm_type(ty), int(value))

    def get_constant_generic(self, builder, ty, value):
        return self.get_constant(ty, value)

    def cast(self, builder, val, fromty, toty):
        """val of type fromty as toty, with Python's and NumPy's
        conversions between numbers."""
        if fromty == toty:
            return val
        to = llvm_type(toty)
        fk, tk = fromty.kind, toty.kind
        if fk == "COMPLEX" or tk == "COMPLEX":
            return _cast_complex(self, builder, val, fromty, toty)
        if tk == "BOOL":
            if fk == "FLOAT":
                return builder.fcmp_unordered("!=", val, val.type(0))
            return builder.icmp_unsigned("!=", val, val.type(0))
        if fk == "FLOAT" and tk == "FLOAT":
            return (builder.fpext if toty.bitwidth > fromty.bitwidth
                    else builder.fptrunc)(val, to)
        if fk == "FLOAT":
            return (builder.fptosi if tk == "INT" else builder.fptoui)(val, to)
        if tk == "FLOAT":
            return (builder.sitofp if fk == "INT" else builder.uitofp)(val, to)
        width = 1 if fk == "BOOL" else fromty.bitwidth
        if toty.bitwidth < width:
            return builder.trunc(val, to)
        if toty.bitwidth == width:
            return val
        return (builder.sext if fk == "INT" else builder.zext)(val, to)


def _cast_complex(context, builder, val, fromty, toty):
    if fromty.kind != "COMPLEX":
        part = _types.float32 if toty.bitwidth == 64 else _types.float64
        real = context.cast(builder, val, fromty, part)
        out = context.get_constant(toty, 0)
        return builder.insert_value(out, real, 0)
    if toty.kind != "COMPLEX":
        raise errors.TypingError(f"cannot cast {fromty} to {toty}")
    src = _types.float32 if fromty.bitwidth == 64 else _types.float64
    dst = _types.float32 if toty.bitwidth == 64 else _types.float64
    out = context.get_constant(toty, 0)
    for i in range(2):
        part = context.cast(builder, builder.extract_value(val, i), src, dst)
        out = builder.insert_value(out, part, i)
    return out


class Intrinsic:
    """A function compiled code calls whose body the codegen function the
    typing function returns builds, per signature."""

    def __init__(self, defn, prefer_literal=False):
        if not inspect.isfunction(defn):
            raise TypeError(f"@intrinsic decorates a Python function (the "
                            f"typing function), not {defn!r}")
        params = list(inspect.signature(defn).parameters.values())
        if not params or params[0].kind not in (
                inspect.Parameter.POSITIONAL_ONLY,
                inspect.Parameter.POSITIONAL_OR_KEYWORD):
            raise TypeError(f"the typing function of an intrinsic takes the "
                            f"typing context first: "
                            f"{defn.__qualname__}{inspect.signature(defn)}")
        _llvmlite_ir()
        self._defn = defn
        self.prefer_literal = prefer_literal
        self._signatures = {}       # argument types -> (result, args, ir)
        functools.update_wrapper(self, defn)

    def __repr__(self):
        return f"<intrinsic {self.__qualname__}>"

    def __call__(self, *args, **kwargs):
        raise TypeError(f"intrinsic {self.__qualname__} is called from "
                        f"compiled code only: its body is LLVM IR")

    # --- for the compiler (csrc/intrinsic.c) ---

    def _type(self, argtypes):
        """(result type, argument types) of a call with argtypes, its
        codegen run; a TypingError saying why not."""
        entry = self._signatures.get(argtypes)
        if entry is None:
            entry = self._signatures[argtypes] = self._specialize(argtypes)
        return entry[0], entry[1]

    def _ir(self, argtypes):
        """(llvmlite module text, function name) of the signature the
        call with argtypes was typed to."""
        return self._signatures[argtypes][2]

    def _fail(self, why):
        return errors.TypingError(f"intrinsic {self.__qualname__}: {why}")

    def _specialize(self, argtypes):
        for t in argtypes:
            if not _is_argument(t):
                raise self._fail(f"argument of type {t}: pyjit's intrinsics "
                                 f"take numbers (bool, integers, floats, "
                                 f"complex) and classes, and return numbers")
        try:
            answer = self._defn(_TypingContext(), *argtypes)
        except errors.TypingError:
            raise
        except Exception as e:
            raise self._fail(f"its typing function raised "
                             f"{type(e).__name__}: {e}") from e
        if answer is None:
            raise self._fail(f"no implementation for arguments "
                             f"({', '.join(map(str, argtypes))}): the "
                             f"typing function returned None")
        sig, codegen = self._check_answer(answer, argtypes)
        return (sig.return_type, tuple(sig.args),
                self._build(sig, codegen))

    def _check_answer(self, answer, argtypes):
        if not (isinstance(answer, tuple) and len(answer) == 2
                and isinstance(answer[0], _types.Signature)
                and callable(answer[1])):
            raise self._fail(f"the typing function returned {answer!r}: it "
                             f"returns (signature, codegen) or None")
        sig = answer[0]
        if len(sig.args) != len(argtypes):
            raise self._fail(f"the signature {sig} takes {len(sig.args)} "
                             f"arguments, the call passes {len(argtypes)}")
        for t in (sig.return_type, *sig.args):
            if not (_is_number(t) or (t in sig.args and _is_argument(t))):
                raise self._fail(f"the signature {sig} has type {t}: "
                                 f"pyjit's intrinsics take and return "
                                 f"numbers only (bool, integers, floats, "
                                 f"complex)")
        return answer

    def _build(self, sig, codegen):
        """Runs codegen in a function of sig; (module text, name)."""
        ir = _llvmlite_ir()
        module = ir.Module(name=self.__qualname__)
        fnty = ir.FunctionType(llvm_type(sig.return_type),
                               [llvm_type(t) for t in sig.args])
        name = f"pyjit.intrinsic.{self.__qualname__}.{next(_names)}"
        fn = ir.Function(module, fnty, name)
        builder = ir.IRBuilder(fn.append_basic_block("entry"))
        try:
            result = codegen(_Context(), builder, sig, list(fn.args))
        except errors.TypingError:
            raise
        except Exception as e:
            raise self._fail(f"its codegen raised {type(e).__name__}: "
                             f"{e}") from e
        if not builder.block.is_terminated:
            if getattr(result, "type", None) != fnty.return_type:
                raise self._fail(
                    f"its codegen returned {result!r}, not a value of the "
                    f"LLVM type {fnty.return_type} of {sig.return_type}")
            builder.ret(result)
        return str(module), name


def intrinsic(*args, **kwargs):
    """numba.extending.intrinsic: @intrinsic or
    @intrinsic(prefer_literal=True) on a typing function
    `f(typingctx, *argtypes)` that returns (signature, codegen)."""
    if len(args) == 1 and not kwargs and inspect.isfunction(args[0]):
        return Intrinsic(args[0])
    if args:
        raise TypeError("intrinsic takes the typing function, or keyword "
                        "options (prefer_literal=...)")
    unknown = set(kwargs) - {"prefer_literal", "target"}
    if unknown:
        raise TypeError(f"unknown option(s) {', '.join(sorted(unknown))} "
                        f"of intrinsic: it takes prefer_literal and target")
    if kwargs.get("target", "cpu") not in ("cpu", "generic"):
        raise ValueError(f"target={kwargs['target']!r}: pyjit compiles "
                         f"for the CPU only")

    def decorate(defn):
        return Intrinsic(defn, kwargs.get("prefer_literal", False))
    return decorate
