"""Functions as values: a jitted function (or a builtin, inside compiled code)
passed to another jitted function, kept in a tuple, returned, called in loops.
Each distinct function specializes its callee, as Numba's types.Dispatcher.
Differential tests against the plain Python functions (the `py_func` of every
jitted function involved)."""
import math
import os
import subprocess
import sys
import textwrap

import hypothesis.strategies as st
import pytest
from hypothesis import given

import pyjit
from difftest import FEW, SETTINGS, assert_compiled, assert_same, close, mod_floats
from pyjit import jit, njit
from pyjit.errors import TypingError

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def plain(f):
    """The Python function behind a jitted one (itself otherwise)."""
    return getattr(f, "py_func", f)


def python_call(f, *args):
    """f.py_func(*args) with every jitted argument replaced by its Python
    function: what the program computes with no compiler at all."""
    return plain(f)(*[plain(a) for a in args])


# --- the functions passed around ----------------------------------------------------------

@njit
def square(x):
    return x * x


@njit
def cube(x):
    return x * x * x


@njit
def shifted(x):
    return x - 1.5


@njit
def poly(x):
    return x * x - 2.0


@njit
def dpoly(x):
    return 2.0 * x


@njit
def apply(f, x):
    return f(x)


@njit
def apply_twice(f, x):
    return f(f(x))


@njit
def compose(f, g, x):
    return f(g(x))


@njit
def sum_over(f, n):
    s = 0.0
    for i in range(n):
        s += f(i * 0.25)
    return s


@njit
def integrate(f, a, b, n):
    """The midpoint rule, as scipy-style integrators take a callable."""
    h = (b - a) / n
    s = 0.0
    for i in range(n):
        s += f(a + (i + 0.5) * h)
    return s * h


@njit
def apply_pair(fs, x):
    return fs[0](x) + fs[1](x)


@njit
def pass_along(fs, x):
    return apply_pair(fs, x) * 2.0


@njit
def nested_apply(x):
    return apply(square, x) + apply(cube, x)


@njit
def apply_builtin(x):
    return apply(math.sin, x) + apply(abs, x)


@njit
def returns_square():
    return square


@njit
def identity(f):
    return f


@njit
def returns_pair():
    return (square, math.cos, 2.5)


FUNCS = [square, cube, shifted, poly]


# --- the segfault this started from -------------------------------------------------------

def test_dispatcher_passed_between_jitted_functions_does_not_crash():
    """A jitted function passing a jitted function to another one crashed the
    process while compiling; run it in a child so that a crash fails the test."""
    code = textwrap.dedent("""
        from pyjit import njit
        @njit
        def square(x):
            return x * x
        @njit
        def apply(f, x):
            return f(x)
        @njit
        def outer(x):
            return apply(square, x)
        print(outer(3.0))
    """)
    script = os.path.join(REPO, "tests", "_functions_child.py")
    with open(script, "w") as f:
        f.write(code)
    try:
        proc = subprocess.run([sys.executable, script], capture_output=True,
                              text=True, timeout=120,
                              env={**os.environ, "PYTHONPATH": REPO})
    finally:
        os.remove(script)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "9.0"


@given(mod_floats)
@FEW
def test_nested_calls_with_functions(x):
    assert_same(nested_apply(x), python_call(nested_apply, x), where="nested_apply")
    assert_compiled(nested_apply)


@given(st.floats(-1e3, 1e3))
@FEW
def test_builtins_pass_inside_compiled_code(x):
    assert_same(apply_builtin(x), math.sin(x) + abs(x), where="apply_builtin")
    assert_compiled(apply_builtin)


# --- a dispatcher as an argument ----------------------------------------------------------

@given(st.sampled_from(FUNCS), mod_floats)
@SETTINGS
def test_apply(f, x):
    assert_same(apply(f, x), python_call(apply, f, x), where=f"apply({f.__name__})")
    assert_same(apply_twice(f, x), python_call(apply_twice, f, x))
    assert_compiled(apply)


@given(st.sampled_from(FUNCS), st.sampled_from(FUNCS), mod_floats)
@FEW
def test_compose(f, g, x):
    assert_same(compose(f, g, x), python_call(compose, f, g, x))
    assert_compiled(compose)


def test_each_function_has_its_own_specialization():
    @njit
    def twice_applied(f, x):
        return f(x) + f(x)

    assert twice_applied(square, 3.0) == 18.0
    assert twice_applied(cube, 3.0) == 54.0
    assert twice_applied(square, 2.0) == 8.0
    sigs = [tuple(str(t) for t in s) for s in twice_applied.signatures]
    assert sigs == [("Dispatcher(square)", "float64"), ("Dispatcher(cube)", "float64")]
    # the same function with another argument type is another specialization
    assert twice_applied(square, 3) == 18
    assert len(twice_applied.signatures) == 3


def test_the_type_of_a_function_argument_is_its_dispatcher():
    assert str(pyjit.typeof(square)) == "Dispatcher(square)"
    assert pyjit.typeof(square) is pyjit.typeof(square)
    assert pyjit.typeof(square) != pyjit.typeof(cube)


def test_functions_made_by_a_factory_are_distinct_types():
    def make(k):
        @njit
        def times(x):
            return x * k
        return times

    fs = [make(k) for k in range(5)]
    assert [apply(f, 2.0) for f in fs] == [0.0, 2.0, 4.0, 6.0, 8.0]
    assert [apply(f, 3.0) for f in fs] == [0.0, 3.0, 6.0, 9.0, 12.0]


@given(st.sampled_from(FUNCS), st.integers(0, 200))
@FEW
def test_called_in_a_loop(f, n):
    assert close(sum_over(f, n), python_call(sum_over, f, n), rel_tol=1e-12)
    assert_compiled(sum_over)


@given(st.sampled_from(FUNCS), st.floats(-10, 10), st.floats(-10, 10),
       st.integers(1, 500))
@FEW
def test_integrate(f, a, b, n):
    assert_same(integrate(f, a, b, n), python_call(integrate, f, a, b, n))
    assert_compiled(integrate)


# --- in tuples, passed along, returned ----------------------------------------------------

@given(st.sampled_from(FUNCS), st.sampled_from(FUNCS), mod_floats)
@FEW
def test_tuples_of_functions(f, g, x):
    assert_same(apply_pair((f, g), x), python_call(apply_pair, (plain(f), plain(g)), x))
    assert_same(pass_along((f, g), x),
                python_call(apply_pair, (plain(f), plain(g)), x) * 2.0)
    assert_compiled(apply_pair)
    assert_compiled(pass_along)


def test_returned_functions_are_the_dispatchers():
    assert returns_square() is square
    assert identity(cube) is cube
    f, c, v = returns_pair()
    assert f is square and c is math.cos and v == 2.5
    assert identity(cube)(2.0) == 8.0


def test_a_returned_function_can_be_called_again():
    @njit
    def pick(k):
        return (square, cube)[0] if k == 0 else (square, cube)[0]

    g = pick(0)
    assert g is square and apply(g, 4.0) == 16.0


# --- errors -------------------------------------------------------------------------------

def not_jitted(x):
    return x + 1


def test_a_python_function_argument_says_to_jit_it():
    with pytest.raises(TypingError) as info:
        apply(not_jitted, 1.0)
    msg = str(info.value)
    assert "argument 0: cannot determine pyjit type of <class 'function'>" in msg
    assert "decorate it with @pyjit.njit" in msg


def test_a_lambda_argument_says_to_jit_it():
    with pytest.raises(TypingError, match="decorate it with @pyjit.njit"):
        apply(lambda x: x, 1.0)


def test_a_python_function_in_a_tuple_says_to_jit_it():
    with pytest.raises(TypingError, match="a Python function in it is not jitted"):
        apply_pair((square, not_jitted), 1.0)


def test_a_builtin_argument_from_python_says_what_to_do():
    for fn in (math.sin, abs):
        with pytest.raises(TypingError, match="call it in the compiled code"):
            apply(fn, 1.0)


def test_a_python_function_global_says_to_jit_it():
    @njit
    def calls_global(x):
        return not_jitted(x)

    with pytest.raises(TypingError) as info:
        calls_global(1.0)
    assert "Untyped global name 'not_jitted'" in str(info.value)
    assert "decorate it with @pyjit.njit" in str(info.value)


def test_a_module_is_not_a_value_to_pass():
    @njit
    def takes(m, x):
        return x

    @njit
    def passes_module(x):
        return takes(math, x)

    with pytest.raises(TypingError, match=r"cannot pass Module\(<module 'math'"):
        passes_module(1.0)


def test_two_functions_unify_as_numba_first_class_functions():
    @njit
    def either(x):
        f = square if x > 0 else cube
        return f(x)

    for x in (-2.0, 0.0, 1.5):
        assert either(x) == either.py_func(x)


def test_object_mode_still_takes_any_callable():
    @jit
    def lenient(f, x):
        return f(x)

    with pytest.warns(pyjit.errors.PyjitWarning):
        assert lenient(not_jitted, 1.0) == 2.0


# --- a root finder from real code ---------------------------------------------------------
# QuantEcon's quantecon/optimize/root_finding.py `newton`, as it is but for the
# extra `*args` of the functions, the namedtuple of the result and the message
# raised without going through a variable.

_ECONVERGED = 0
_ECONVERR = -1


@njit
def newton(func, x0, fprime, tol=1.48e-8, maxiter=50, disp=True):
    if tol <= 0:
        raise ValueError("tol is too small <= 0")
    if maxiter < 1:
        raise ValueError("maxiter must be greater than 0")
    p0 = 1.0 * x0
    funcalls = 0
    status = _ECONVERR
    for itr in range(maxiter):
        fval = func(p0)
        funcalls += 1
        if fval == 0:
            status = _ECONVERGED
            p = p0
            itr -= 1
            break
        fder = fprime(p0)
        funcalls += 1
        if fder == 0:
            p = p0
            break
        newton_step = fval / fder
        p = p0 - newton_step
        if abs(p - p0) < tol:
            status = _ECONVERGED
            break
        p0 = p
    if disp and status == _ECONVERR:
        raise RuntimeError("Failed to converge")
    return p, funcalls, itr + 1, status == 0


@njit
def cubic(x):
    return x ** 3 - 2.0 * x - 5.0


@njit
def dcubic(x):
    return 3.0 * x ** 2 - 2.0


@given(st.floats(0.5, 10.0), st.integers(1, 60))
@SETTINGS
def test_newton_root_finder(x0, maxiter):
    py = plain(newton)
    try:
        expected = py(plain(cubic), x0, plain(dcubic), maxiter=maxiter)
    except RuntimeError:
        with pytest.raises(RuntimeError, match="Failed to converge"):
            newton(cubic, x0, dcubic, maxiter=maxiter)
        return
    assert_same(newton(cubic, x0, dcubic, maxiter=maxiter), expected)
    assert_compiled(newton)


def test_newton_finds_sqrt2():
    root, calls, iters, ok = newton(poly, 1.0, dpoly)
    assert ok and abs(root - math.sqrt(2.0)) < 1e-12
    assert newton(poly, 1.0, dpoly, disp=False) == plain(newton)(
        plain(poly), 1.0, plain(dpoly), disp=False)


# --- memory -------------------------------------------------------------------------------

def current_rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def test_memory_flat_over_many_calls():
    for f in FUNCS:
        apply(f, 1.0)
        identity(f)
        apply_pair((f, square), 1.0)
    before = current_rss()
    for i in range(200_000):
        f = FUNCS[i & 3]
        apply(f, 1.0)
        identity(f)
        apply_pair((f, square), 1.0)
    grown = current_rss() - before
    if "libasan" not in os.environ.get("LD_PRELOAD", ""):
        assert grown < 4 * 2**20
    assert sys.getrefcount(square) < 100
