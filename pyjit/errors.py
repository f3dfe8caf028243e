"""Exceptions raised by pyjit, spelled as Numba spells them."""


class PyjitError(Exception):
    """Base class of the errors pyjit raises when it cannot compile."""


class TypingError(PyjitError):
    """Type inference failed: a value's type is unknown or an operation has
    no implementation for the types it is given (nopython mode)."""


class UnsupportedError(PyjitError):
    """The function uses Python syntax or features pyjit does not compile."""


class LoweringError(PyjitError):
    """Code generation failed after typing succeeded."""


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


__all__ = ["PyjitError", "TypingError", "UnsupportedError", "LoweringError",
           "SourceChangedError", "PyjitWarning", "ParallelSafetyWarning"]
