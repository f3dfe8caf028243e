"""pyjit.errors under Numba's names too, so that code ported from Numba
catches and filters them."""
import warnings

import numpy as np
import pytest

import pyjit
from pyjit import errors, jit, njit


@pytest.mark.parametrize("numba_name, pyjit_name", [
    ("NumbaError", "PyjitError"), ("NumbaWarning", "PyjitWarning"),
    ("NumbaPerformanceWarning", "PyjitPerformanceWarning"),
    ("NumbaDeprecationWarning", "PyjitDeprecationWarning"),
    ("NumbaPendingDeprecationWarning", "PyjitPendingDeprecationWarning"),
    ("NumbaTypeSafetyWarning", "PyjitTypeSafetyWarning"),
    ("NumbaExperimentalFeatureWarning", "PyjitExperimentalFeatureWarning"),
    ("NumbaValueError", "PyjitValueError"),
    ("NumbaTypeError", "PyjitTypeError"),
    ("NumbaIndexError", "PyjitIndexError"),
])
def test_numba_names_are_pyjits_classes(numba_name, pyjit_name):
    assert getattr(errors, numba_name) is getattr(errors, pyjit_name)
    assert numba_name in errors.__all__ and pyjit_name in errors.__all__


def test_the_hierarchy_is_numbas():
    assert issubclass(errors.UntypedAttributeError, errors.TypingError)
    assert issubclass(errors.TypingError, errors.NumbaError)
    assert issubclass(errors.LoweringError, errors.NumbaError)
    assert issubclass(errors.NumbaPerformanceWarning, errors.NumbaWarning)
    assert issubclass(errors.NumbaDeprecationWarning, DeprecationWarning)
    assert issubclass(errors.NumbaValueError, errors.TypingError)
    assert issubclass(errors.NumbaRuntimeError, errors.NumbaError)
    assert pyjit.UntypedAttributeError is errors.UntypedAttributeError


def test_a_missing_attribute_is_a_typing_error_as_in_numba():
    @njit
    def f(a):
        return a.nope

    with pytest.raises(errors.TypingError) as e:
        f(np.arange(3))
    assert "Unknown attribute 'nope' of type array(int64, 1d, C)" \
        in str(e.value)
    assert type(e.value) is errors.TypingError


def test_the_object_mode_fallback_warning_filters_by_numbas_name():
    class Opaque:
        x = 1

    @jit
    def f(o):
        return o.x

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("error")
        warnings.simplefilter("ignore", errors.NumbaWarning)
        assert f(Opaque()) == 1
    assert caught == []
