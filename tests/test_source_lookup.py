"""pyjit compiles from source: a jitted function is found in its module's
text wherever a def may stand, nested in any statement or scope, and two
functions of one name are told apart by their lines."""
import contextlib

import pytest

from pyjit import njit

from difftest import assert_compiled


def made_in_statements(flag):
    made = []
    if flag:
        @njit
        def in_if(x):
            return x + 1
        made.append(in_if)
    else:
        @njit
        def in_else(x):
            return x + 2
        made.append(in_else)
    for k in range(1):
        @njit
        def in_for(x):
            return x + 3
        made.append(in_for)
    while not made[-1:] or len(made) < 3:
        @njit
        def in_while(x):
            return x + 4
        made.append(in_while)
    try:
        @njit
        def in_try(x):
            return x + 5
        made.append(in_try)
        raise ValueError
    except ValueError:
        @njit
        def in_except(x):
            return x + 6
        made.append(in_except)
    finally:
        @njit
        def in_finally(x):
            return x + 7
        made.append(in_finally)
    with contextlib.nullcontext():
        @njit
        def in_with(x):
            return x + 8
        made.append(in_with)
    match flag:
        case True:
            @njit
            def in_case(x):
                return x + 9
            made.append(in_case)
        case _:
            pass

    class Holder:
        @staticmethod
        @njit
        def in_class(x):
            return x + 10
    made.append(Holder.in_class)
    return made


@pytest.mark.parametrize("flag", [True, False])
def test_defs_nested_in_statements_compile(flag):
    for f in made_in_statements(flag):
        assert f(1) == f.py_func(1)
        assert_compiled(f)


def twin(k):
    if k == 0:
        @njit
        def same(x):
            return x * 2
    else:
        @njit
        def same(x):
            return x * 3
    return same


def test_functions_of_one_name_are_told_apart_by_line():
    assert twin(0)(5) == 10 and twin(1)(5) == 15
