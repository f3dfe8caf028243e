"""A module-level function is compiled from its own lines (its decorators
through the last line its code spans) when they compile to its code: a
large module is not parsed whole for it.  Whatever the layout, the
function compiles to what Python runs; where its lines alone are not
enough (an import the module makes inside an `if`), the module is parsed
as before."""
import importlib.util

import numpy as np
import pytest

import pyjit._source as source
from difftest import assert_compiled

MODULE = '''
import math
from numpy import (
    sqrt,
    float64,
)
import numpy as np
from pyjit import njit

if True:
    import cmath as cm


@njit(
    cache=False,
)
def norm_of(a):
    s = 0.0
    for x in a:
        s += x * x
    return sqrt(s)
    # a comment after the last statement


@njit
def with_inner(a, k):
    def scaled(x):
        return x * k

    return np.sum(a) + scaled(
        math.pi
)


@njit
def imported_in_if(x):
    return cm.sqrt(x).real


@njit
def last_line_of_a_call(a):
    return float64(
        a.sum()
    )
'''


@pytest.fixture
def mod(tmp_path):
    path = tmp_path / "linesmod.py"
    path.write_text(MODULE)
    spec = importlib.util.spec_from_file_location("linesmod", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("n", [0, 1, 7])
def test_functions_compile_from_their_own_lines(mod, n):
    a = np.linspace(-1.0, 2.0, n)
    for f, args in [(mod.norm_of, (a,)), (mod.with_inner, (a, 3.0)),
                    (mod.imported_in_if, (4.0 + n,)),
                    (mod.last_line_of_a_call, (a,))]:
        assert f(*args) == pytest.approx(f.py_func(*args), rel=1e-15)
        assert_compiled(f)


def test_the_module_is_parsed_whole_only_when_a_function_needs_it(mod):
    path = mod.__file__
    mod.norm_of(np.ones(3))
    mod.last_line_of_a_call(np.ones(3))
    assert path not in source._parsed
    mod.imported_in_if(2.0)     # `cm` is imported inside an `if`
    assert path in source._parsed
