"""An argument pyjit has no type for, whose kind it has advice about (a
Python dict: pass a typed Dict), is the error, said first at the argument;
an argument it knows nothing about keeps Numba's form, the operation that
failed first and the argument noted last (tests/test_errors.py)."""
import pytest

from pyjit import njit
from pyjit.errors import TypingError


@njit
def size_of(d):
    return len(d)


@njit
def unused(d, x):
    return x + 1


def test_a_python_dict_argument_names_the_cause_first():
    for f, args in ((size_of, ({1: 2},)), (unused, ({}, 1))):
        with pytest.raises(TypingError) as info:
            f(*args)
        lines = str(info.value).splitlines()
        assert lines[0].startswith("Failed in nopython mode pipeline")
        assert lines[1].startswith("argument 0: cannot determine pyjit type "
                                   "of dict: a Python dict")
        assert "pyjit.typed.Dict" in lines[1]
        assert "During: typing of argument" in str(info.value)
