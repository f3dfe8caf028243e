"""Exceptions and warnings raised by pyjit, spelled as Numba spells them.

Each class has pyjit's name and Numba's (`PyjitError` is `NumbaError`,
`PyjitWarning` is `NumbaWarning`...), so code ported from Numba that
catches or filters them by Numba's names keeps working.
"""


class PyjitError(Exception):
    """Base class of the errors pyjit raises when it cannot compile."""


class TypingError(PyjitError):
    """Type inference failed: a value's type is unknown or an operation has
    no implementation for the types it is given (nopython mode)."""


class UntypedAttributeError(TypingError):
    """A value has no attribute of that name (Numba's class; like Numba's
    typing, pyjit reports a missing attribute as a TypingError)."""


class UnsupportedError(PyjitError):
    """The function uses Python syntax or features pyjit does not compile."""


class LoweringError(PyjitError):
    """Code generation failed after typing succeeded."""


class CompilerError(PyjitError):
    """The compiler failed for a reason of its own."""


class ConstantInferenceError(PyjitError):
    """A value that must be known when the function compiles is not."""


class InternalError(PyjitError):
    """An error inside the compiler (a bug in pyjit)."""


class RequireLiteralValue(TypingError):
    """An argument must be a constant (literally()) and is not."""


class ForceLiteralArg(TypingError):
    """Raised by an overload's typing function: the arguments at the
    indices in requested_args must be known by their values (Literal
    types), as literally() asks from compiled code.  The call is typed
    again with the constants it passes as Literal types, or the caller's
    own parameters are asked for in turn."""

    def __init__(self, arg_indices, fold_arguments=None, loc=None):
        super().__init__(f"the values of arguments {sorted(arg_indices)} "
                         f"are needed when the function compiles")
        self.requested_args = frozenset(arg_indices)
        self.fold_arguments = fold_arguments
        self.loc = loc

    def __or__(self, other):
        return ForceLiteralArg(self.requested_args | other.requested_args)

    combine = __or__


class LiteralTypingError(TypingError):
    """A constant value has no type."""


class PyjitValueError(TypingError):
    """A TypingError that is also about a value (Numba's NumbaValueError)."""


class PyjitTypeError(TypingError):
    """A TypingError about a type (Numba's NumbaTypeError)."""


class PyjitAttributeError(TypingError):
    """Numba's NumbaAttributeError."""


class PyjitAssertionError(TypingError):
    """Numba's NumbaAssertionError."""


class PyjitNotImplementedError(TypingError):
    """Numba's NumbaNotImplementedError."""


class PyjitKeyError(TypingError):
    """Numba's NumbaKeyError."""


class PyjitIndexError(TypingError):
    """Numba's NumbaIndexError."""


class PyjitRuntimeError(PyjitError):
    """Numba's NumbaRuntimeError."""


class SourceChangedError(PyjitError):
    """The function's source file no longer holds the code Python runs (it
    was edited after the function was defined), so pyjit has nothing true
    to compile; @jit does not fall back to object mode for it."""


class PyjitWarning(UserWarning):
    """Something compiled, but not as asked: a @jit function fell back to
    object mode, for instance (Numba's NumbaWarning)."""


class ParallelSafetyWarning(PyjitWarning):
    """A prange loop compiled, but its iterations may not run in parallel
    as written (Numba's NumbaParallelSafetyWarning)."""


class PyjitPerformanceWarning(PyjitWarning):
    """Code that compiled but runs slower than it could."""


class PyjitDeprecationWarning(PyjitWarning, DeprecationWarning):
    """A feature that will go away."""


class PyjitPendingDeprecationWarning(PyjitWarning,
                                     PendingDeprecationWarning):
    """A feature that will be deprecated."""


class PyjitTypeSafetyWarning(PyjitWarning):
    """An operation that may lose information (an unsafe cast)."""


class PyjitExperimentalFeatureWarning(PyjitWarning):
    """A feature whose behaviour may change."""


class PyjitInvalidConfigWarning(PyjitWarning):
    """A setting that does not apply."""


class PyjitDebugInfoWarning(PyjitWarning):
    """Debug information that could not be produced."""


# Numba's other classes, which pyjit never raises: programs name them in
# `except` clauses and warning filters, which then run unchanged.
def _numba_class(name, base, doc):
    return type(name, (base,), {"__doc__": doc, "__module__": __name__})


NumbaPedanticWarning = _numba_class(
    "NumbaPedanticWarning", PyjitWarning, "Numba's pedantic warnings.")
NumbaIRAssumptionWarning = _numba_class(
    "NumbaIRAssumptionWarning", PyjitWarning,
    "Numba's warning of an assumption about its IR.")
NumbaSystemWarning = _numba_class(
    "NumbaSystemWarning", PyjitWarning,
    "Numba's warning about the system it runs on.")
UnsupportedParforsError = _numba_class(
    "UnsupportedParforsError", UnsupportedError,
    "Numba's error for a parallel loop it cannot run.")
UnsupportedRewriteError = _numba_class(
    "UnsupportedRewriteError", UnsupportedError,
    "Numba's error for code its rewrites do not support.")
UnsupportedBytecodeError = _numba_class(
    "UnsupportedBytecodeError", UnsupportedError,
    "Numba's error for bytecode it does not support.")
ByteCodeSupportError = _numba_class(
    "ByteCodeSupportError", PyjitError,
    "Numba's error for bytecode it does not support.")
ForbiddenConstruct = _numba_class(
    "ForbiddenConstruct", LoweringError, "Numba's forbidden construct.")
DeprecationError = _numba_class(
    "DeprecationError", PyjitError, "Numba's error for a removed feature.")
IRError = _numba_class("IRError", PyjitError, "Numba's error in its IR.")
RedefinedError = _numba_class("RedefinedError", IRError,
                              "Numba's error for a name defined twice.")
NotDefinedError = _numba_class("NotDefinedError", IRError,
                               "Numba's error for an undefined name.")
VerificationError = _numba_class("VerificationError", IRError,
                                 "Numba's error from verifying its IR.")
NonexistentTargetError = _numba_class(
    "NonexistentTargetError", InternalError, "Numba's unknown target.")
InternalTargetMismatchError = _numba_class(
    "InternalTargetMismatchError", InternalError,
    "Numba's mismatch of targets.")


# Numba's names for the same classes.
NumbaError = PyjitError
NumbaWarning = PyjitWarning
NumbaPerformanceWarning = PyjitPerformanceWarning
NumbaDeprecationWarning = PyjitDeprecationWarning
NumbaPendingDeprecationWarning = PyjitPendingDeprecationWarning
NumbaTypeSafetyWarning = PyjitTypeSafetyWarning
NumbaParallelSafetyWarning = ParallelSafetyWarning
NumbaExperimentalFeatureWarning = PyjitExperimentalFeatureWarning
NumbaInvalidConfigWarning = PyjitInvalidConfigWarning
NumbaDebugInfoWarning = PyjitDebugInfoWarning
NumbaValueError = PyjitValueError
NumbaTypeError = PyjitTypeError
NumbaAttributeError = PyjitAttributeError
NumbaAssertionError = PyjitAssertionError
NumbaNotImplementedError = PyjitNotImplementedError
NumbaKeyError = PyjitKeyError
NumbaIndexError = PyjitIndexError
NumbaRuntimeError = PyjitRuntimeError

__all__ = [name for name, value in list(globals().items())
           if isinstance(value, type) and issubclass(value, Exception)]
