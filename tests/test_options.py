"""The options Numba's decorators take beyond the basic ones, each with its
observable effect: debug= (a DWARF line table), inline= (how callers link
the function), no_cpython_wrapper=, the options pyjit accepts with no
effect, and targetoptions; PYJIT_BOUNDSCHECK and PYJIT_DEBUGINFO in a
fresh process."""
import re

import numpy as np
import pytest
from hypothesis import given
import hypothesis.strategies as st

from pyjit import float64, jit, njit

from difftest import FEW, assert_compiled
from test_process import ROOT, check, run_python


def loc_lines(asm):
    return [line for line in asm.splitlines()
            if line.lstrip().startswith(".loc")]


# --- debug= -------------------------------------------------------------------

def summed(a):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i] * 2.0
    return s


def test_debug_puts_python_lines_in_the_line_table():
    f = njit(debug=True)(summed)
    assert f(np.arange(4.0)) == 12.0
    asm = f.inspect_asm(f.signatures[0])
    lines = {int(m.group(1)) for m in
             (re.match(r"\s*\.loc\s+\d+\s+(\d+)", x) for x in loc_lines(asm))
             if m}
    first = summed.__code__.co_firstlineno
    # the loop and the accumulation are lines of the function
    assert {first + 2, first + 3} <= lines
    assert ".file" in asm and "test_options.py" in asm
    assert "!DISubprogram" in f.inspect_llvm(f.signatures[0])


def test_without_debug_there_is_no_line_table():
    f = njit(summed)
    f(np.arange(4.0))
    assert loc_lines(f.inspect_asm(f.signatures[0])) == []
    assert f.targetoptions["debug"] is False


def test_debug_turns_boundscheck_on_unless_it_is_given():
    @njit(debug=True)
    def get(a, i):
        return a[i]

    @njit(debug=True, boundscheck=False)
    def get_unchecked(a, i):
        return a[i]

    assert get.targetoptions["boundscheck"] is True
    with pytest.raises(IndexError):
        get(np.arange(3), 5)
    assert get_unchecked.targetoptions["boundscheck"] is False
    assert get_unchecked(np.arange(3), 1) == 1


def test_debug_function_calling_a_debug_function():
    inner = njit(debug=True)(summed)

    @njit(debug=True)
    def outer(a, k):
        return inner(a) + k

    assert outer(np.arange(3.0), 1) == 7.0
    assert loc_lines(outer.inspect_asm(outer.signatures[0]))


@given(st.lists(st.floats(-1e6, 1e6), max_size=20))
@FEW
def test_debug_code_computes_what_python_does(values):
    f = njit(debug=True)(summed)
    a = np.array(values, dtype=np.float64)
    assert f(a) == summed(a)
    assert_compiled(f)


# --- inline= ------------------------------------------------------------------

def calls_in(f):
    ir = f.inspect_llvm(f.signatures[0])
    return re.findall(r"call [^@]*@\"?([\w.$]+)", ir)


def test_inline_never_leaves_the_call():
    @njit(inline="never")
    def triple(x):
        return x * 3

    @njit
    def caller(x):
        return triple(x) + 1

    assert caller(2) == 7
    assert any("triple" in c for c in calls_in(caller))
    assert triple.targetoptions["inline"] == "never"


def test_inline_always_leaves_no_call():
    @njit(inline="always")
    def triple(x):
        return x * 3 if x > 0 else -x

    @njit
    def caller(x):
        return triple(x) + triple(x + 1)

    assert caller(2) == 15 == triple.py_func(2) + triple.py_func(3)
    assert not any("triple" in c for c in calls_in(caller))
    assert triple.targetoptions["inline"] == "always"


def test_forceinline_is_always():
    @njit(forceinline=True)
    def sq(x):
        return x * x

    assert sq.targetoptions["inline"] == "always"
    assert sq(3) == 9


@pytest.mark.parametrize("value, error", [
    ("sometimes", ValueError), (lambda *a: True, TypeError)])
def test_bad_inline_values(value, error):
    with pytest.raises(error, match="inline"):
        njit(inline=value)(summed)


# --- no_cpython_wrapper= ------------------------------------------------------

def test_no_cpython_wrapper_is_for_jitted_callers_only():
    @njit(no_cpython_wrapper=True)
    def hidden(x):
        return x + 1

    @njit
    def caller(x):
        return hidden(x) * 2

    assert caller(1) == 4
    with pytest.raises(TypeError, match="no_cpython_wrapper=True"):
        hidden(1)


# --- accepted options ---------------------------------------------------------

@pytest.mark.parametrize("deco", [jit, njit])
@pytest.mark.parametrize("options", [
    {"no_rewrites": True}, {"no_cfunc_wrapper": True}, {"_nrt": True},
    {"_dbg_extend_lifetimes": True}, {"_dbg_optnone": True},
    {"debug": False}, {"inline": None}, {"locals": {}},
])
def test_numba_options_are_accepted(deco, options):
    @deco(**options)
    def f(a, b):
        return a + b

    assert f(2, 3) == 5
    assert_compiled(f)


def test_targetoptions_lists_the_new_options():
    @njit(debug=True, inline="never", locals={"x": float64})
    def f(a):
        x = a
        return x

    opts = f.targetoptions
    assert opts["debug"] is True and opts["inline"] == "never"
    assert opts["locals"] == {"x": float64}
    assert opts["no_cpython_wrapper"] is False and opts["_nrt"] is True
    assert f(1) == 1.0


def test_unknown_option_names_the_new_ones_too():
    with pytest.raises(TypeError) as e:
        njit(bogus=1)
    for name in ("locals", "debug", "inline", "no_cpython_wrapper"):
        assert name in str(e.value)


# --- the environment ----------------------------------------------------------

BOUNDS = """
    import numpy as np
    from pyjit import njit

    @njit
    def get(a, i):
        return a[i]

    @njit(boundscheck=False)
    def get_unchecked(a, i):
        return a[i]

    for g in (get, get_unchecked):
        try:
            g(np.arange(3), 7)
            print("unchecked", g.targetoptions["boundscheck"])
        except IndexError as e:
            print("IndexError", g.targetoptions["boundscheck"])
"""


@pytest.mark.parametrize("env, expected", [
    ({}, "unchecked False\nunchecked False"),
    ({"PYJIT_BOUNDSCHECK": "1"}, "IndexError True\nIndexError True"),
    ({"NUMBA_BOUNDSCHECK": "1"}, "IndexError True\nIndexError True"),
    ({"PYJIT_BOUNDSCHECK": "0", "NUMBA_BOUNDSCHECK": "1"},
     "unchecked False\nunchecked False"),
    ({"PYJIT_DEBUGINFO": "1"}, "IndexError True\nunchecked False"),
])
def test_boundscheck_from_the_environment(tmp_path, env, expected):
    env = dict(env, PYTHONPATH=ROOT, NUMBA_BOUNDSCHECK=env.get(
        "NUMBA_BOUNDSCHECK", ""))
    proc = check(run_python(BOUNDS, env=env, tmp_path=str(tmp_path)))
    assert proc.stdout.strip() == expected
