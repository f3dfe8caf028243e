"""Object mode with loop lifting: a @jit function that does not type in
nopython mode (or uses syntax nopython mode lacks) falls back, with a
PyjitWarning, to a specialization that runs on the interpreter, its loops
lifted into nopython functions compiled for the values they get at run
time.  @njit and nopython=True never fall back.

Each behaviour is checked against the plain Python function; the checks of
`.objectmode`, `.lifted` and the lifted loops' signatures make sure the
answers come from the object-mode machinery and not from a plain call of
py_func.
"""
import contextlib
import io
import math
import os
import re
import subprocess
import sys
import textwrap
import traceback
import warnings

import hypothesis.strategies as st
import pytest
from hypothesis import given, settings

import pyjit
from pyjit import PyjitWarning, TypingError, jit, njit, types

THIS_FILE = os.path.abspath(__file__)
with open(THIS_FILE) as _f:
    SOURCE_LINES = _f.read().splitlines()

FEW = settings(max_examples=40, deadline=None)

# Falling back is what these tests do: the warnings are checked where they
# matter (recorded() sees them all the same).
pytestmark = pytest.mark.filterwarnings("ignore::pyjit.PyjitWarning")

def line_of(fragment):
    """1-based number of the one line of this file whose code contains
    fragment (not counting string literals that name it)."""
    quoted = (f'"{fragment}', f"'{fragment}")
    hits = [i + 1 for i, line in enumerate(SOURCE_LINES)
            if fragment in line and not any(q in line for q in quoted)]
    assert len(hits) == 1, (fragment, hits)
    return hits[0]


def wrap64(x):
    x &= (1 << 64) - 1
    return x - (1 << 64) if x >= (1 << 63) else x


@contextlib.contextmanager
def recorded():
    """Every warning raised inside, in a list."""
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        yield w


def pyjit_warnings(w):
    return [x for x in w if issubclass(x.category, PyjitWarning)]


def the_overload(f):
    """The one specialization of f."""
    assert len(f.signatures) == 1, f.signatures
    return f.overloads[f.signatures[0]]


def objmode_overload(f, sig=None):
    ov = the_overload(f) if sig is None else f.overloads[sig]
    assert ov.objectmode is True
    return ov


def compiled_lifted(ov):
    """The lifted loops of an overload that compiled at least once."""
    return [d for d in ov.lifted if d.signatures]


def assert_native(disp):
    """The dispatcher's nopython signatures name no pyobject (argument or
    return type)."""
    assert disp.nopython_signatures, disp
    for s in disp.nopython_signatures:
        assert "pyobject" not in str(s), s


def same(actual, expected):
    """Equal values of the same type (deep, for tuples and lists)."""
    if isinstance(expected, (tuple, list)):
        return type(actual) is type(expected) \
            and len(actual) == len(expected) \
            and all(same(a, e) for a, e in zip(actual, expected))
    if isinstance(expected, float) and math.isnan(expected):
        return isinstance(actual, float) and math.isnan(actual)
    return type(actual) is type(expected) and actual == expected


def outcome(f, *args, **kwargs):
    try:
        return "ok", f(*args, **kwargs)
    except Exception as e:  # noqa: BLE001
        return "exc", e


def check(f, *args, **kwargs):
    """f (a dispatcher) and f.py_func agree on args: same value and type,
    or same exception class and message."""
    kind, expected = outcome(f.py_func, *args, **kwargs)
    got_kind, actual = outcome(f, *args, **kwargs)
    where = f"{f.__name__}{args!r}{kwargs or ''}"
    if kind == "exc":
        assert got_kind == "exc", f"{where}: returned {actual!r}, " \
            f"python raised {expected!r}"
        assert type(actual) is type(expected), (where, actual, expected)
        assert str(actual) == str(expected), (where, actual, expected)
        return expected
    assert got_kind == "ok", f"{where}: raised {actual!r}, " \
        f"python returned {expected!r}"
    assert same(actual, expected), f"{where}: {actual!r} != {expected!r}"
    return actual


# --- the functions -----------------------------------------------------------

class MyInt:
    def __init__(self, x):
        self.x = x


def add_object_n2_times(a, b, n):
    cumsum = 0
    for i in range(n):
        for j in range(n):
            cumsum += a.x + b.x
    return cumsum


class Other:
    """Another class with an x: the same pyobject specialization."""

    def __init__(self, x):
        self.x = x
        self.y = -x


class Vec:
    """Adds to ints and Vecs: `+` works in Python, not in nopython mode."""

    def __init__(self, x):
        self.x = x

    def __add__(self, other):
        return Vec(self.x + (other.x if isinstance(other, Vec) else other))

    def __eq__(self, other):
        return type(other) is Vec and other.x == self.x

    def __repr__(self):
        return f"Vec({self.x})"


def mixed(obj, n):
    scale = obj.x
    acc = 0.0
    for i in range(n):
        acc += (i * scale) ** 0.5
    return acc


def wrapping(obj, n):
    acc = obj.x
    for i in range(n):
        acc = acc * 3 + i
    return acc


def grow(acc, n):
    for i in range(n):
        acc = acc * 3 + i
    return acc


def live_out(obj, n):
    total = 0
    prod = 1.0
    flag = False
    last = -1
    for i in range(n):
        total += i
        prod *= 1.5
        if i == 3:
            flag = True
        last = i
    return total, prod, flag, last, obj.x


def loop_var_unbound(obj, n):
    acc = 0
    for i in range(n):
        acc += i
    return acc, i, obj.x


def loop_var_preset(obj, n):
    i = 100
    acc = 0
    for i in range(n):
        acc += i * 2
    return acc, i, obj.x


def for_break_else(obj, n, stop):
    found = -1
    acc = 0
    for i in range(n):
        acc += i
        if i == stop:
            found = i
            break
    else:
        acc = -acc
    return found, acc, obj.x


def while_break_else(obj, n, limit):
    k = 0
    acc = 0
    while k < n:
        acc += k * k
        k += 1
        if acc > limit:
            break
    else:
        acc += 1000
    return k, acc, obj.x


def collatz(obj, n):
    steps = 0
    n = n + obj.x
    while n != 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


def outer_objmode_inner_lifted(obj, n):
    acc = 0
    for i in range(n):
        s = obj.x
        t = 0
        for j in range(i):
            t += j * s
        acc += t
    return acc


def return_in_loop(obj, n, cap):
    acc = 0
    for i in range(n):
        acc += i
        if acc > cap:
            return acc, i
    return -obj.x, n


def one_branch(obj, n, flag):
    if flag:
        k = obj.x
    acc = 0
    for i in range(n):
        if flag:
            acc += k
        else:
            acc += i
    return acc


def make_closure_reader(k):
    def closure_reader(obj, n):
        acc = 0
        for i in range(n):
            acc += i * k
        return acc + obj.x
    return closure_reader


def make_nonlocal_writer():
    count = 0

    def nonlocal_writer(obj, n):
        nonlocal count
        for i in range(n):
            count += i
        return count + obj.x

    def get():
        return count
    return nonlocal_writer, get


COUNTER = 0


def global_writer(obj, n):
    global COUNTER
    for i in range(n):
        COUNTER += i
    return COUNTER + obj.x


FACTOR = 7


def global_reader(obj, n):
    acc = 0
    for i in range(n):
        acc += i * FACTOR
    return acc + obj.x


SHARED = 0


def writes_global_then_loops(obj, n):
    global SHARED
    SHARED = obj.x
    acc = 0
    for i in range(n):
        acc += SHARED
    return acc


def make_nonlocal_then_loops():
    shared = 0

    def nonlocal_then_loops(obj, n):
        nonlocal shared
        shared = obj.x
        acc = 0
        for i in range(n):
            acc += shared
        return acc
    return nonlocal_then_loops


def captured_by_nested(obj, n):
    total = 0

    def get():
        return total * 10

    for i in range(n):
        total += i
    return get() + obj.x


def with_args(obj, n=4, *extra, scale=3):
    acc = 0
    for i in range(n):
        acc += i * scale
    for e in extra:
        acc += e
    return acc + obj.x


def generator(obj, n):
    acc = 0
    for i in range(n):
        acc += i
    for j in range(n):
        yield acc + j * obj.x


def divides(obj, n, k):
    acc = 0
    for i in range(n):
        acc += 100 // (i - k)
    return acc + obj.x


def missing_attribute(obj, n):
    acc = 0
    for i in range(n):
        acc += i
    return acc + obj.missing


def tri(n):
    acc = 0
    for i in range(n):
        acc += i
    return acc


def plus(a, b):
    acc = a
    for i in range(3):
        acc = acc + b
    return acc


def uses_try(obj, n):
    acc = 0
    for i in range(n):
        acc += i
    try:
        acc += obj.x
    except* AttributeError:
        acc = -acc
    return acc


def uses_with(n):
    acc = 0
    with contextlib.nullcontext(3) as step:
        for i in range(n):
            acc += i * step
    return acc


def loop_in_try(obj, n):
    acc = 0
    try:
        for i in range(n):
            acc += 10 // (3 - i)
    except ZeroDivisionError:
        acc = -acc
    return acc + obj.x


def loop_in_with(obj, n):
    acc = 0
    with contextlib.suppress(ZeroDivisionError):
        for i in range(n):
            acc += 10 // (3 - i)
    return acc + obj.x


def loop_in_try_finally(log, n):
    acc = 0
    try:
        for i in range(n):
            acc += 10 // (3 - i)
    finally:
        log.append(acc)
    return acc


# --- 1. the seed notebook's case ----------------------------------------------

def test_seed_notebook_case():
    f = jit()(add_object_n2_times)
    with recorded() as w:
        result = f(MyInt(5), MyInt(6), 50)
    assert result == add_object_n2_times(MyInt(5), MyInt(6), 50) == 27500
    assert type(result) is int
    ws = pyjit_warnings(w)
    assert len(ws) == 1, [str(x.message) for x in w]
    msg = str(ws[0].message)
    assert "object mode" in msg and "Unknown attribute 'x'" in msg, msg
    assert "add_object_n2_times" in msg, msg
    assert ws[0].filename == THIS_FILE      # points at the call

    sig = (types.pyobject, types.pyobject, types.int64)
    assert f.signatures == [sig]
    assert [str(s) for s in f.signatures] == ["(pyobject, pyobject, int64)"]
    assert f.nopython_signatures == []
    ov = f.overloads[sig]
    assert ov.objectmode is True
    # The outer loop was lifted but reads a.x: it runs on the interpreter.
    assert len(ov.lifted) >= 1
    assert compiled_lifted(ov) == []

    out = io.StringIO()
    assert f.inspect_types(file=out) is None
    text = out.getvalue()
    assert text.startswith("add_object_n2_times (pyobject, pyobject, int64)\n")
    assert "-" * 80 in text
    objmode_part = re.split(r"^# (?:The loop at line|No loop lifting)", text,
                            flags=re.M)[0]
    notes = [ln.split("::")[-1].strip() for ln in objmode_part.splitlines()
             if "::" in ln]
    assert len(notes) >= 10, objmode_part
    assert set(notes) == {"pyobject"}, objmode_part
    assert "cumsum += a.x + b.x" in objmode_part
    assert "runs in object mode" in text

    with recorded() as w:
        again = f(MyInt(5), MyInt(6), 50)
        other = f(Other(1), MyInt(2), 7)
    assert again == 27500
    assert other == add_object_n2_times(Other(1), MyInt(2), 7) == 147
    assert pyjit_warnings(w) == []
    assert f.signatures == [sig]


SEED = jit(add_object_n2_times)


@FEW
@given(a=st.integers(-10 ** 6, 10 ** 6), b=st.integers(-10 ** 6, 10 ** 6),
       n=st.integers(0, 25))
def test_seed_notebook_case_differential(a, b, n):
    got = SEED(MyInt(a), MyInt(b), n)
    assert same(got, add_object_n2_times(MyInt(a), MyInt(b), n))


# --- 2. nopython never falls back --------------------------------------------

@pytest.mark.parametrize("deco", [njit, jit(nopython=True)],
                         ids=["njit", "jit(nopython=True)"])
def test_nopython_raises_typing_error_without_warning(deco):
    f = deco(add_object_n2_times)
    with recorded() as w:
        with pytest.raises(TypingError) as info:
            f(MyInt(5), MyInt(6), 50)
    assert "Unknown attribute 'x'" in str(info.value)
    assert [str(x.message) for x in w] == []
    assert f.signatures == []
    with recorded() as w:
        with pytest.raises(TypingError):
            f(MyInt(5), MyInt(6), 50)       # and again: nothing was cached
    assert [str(x.message) for x in w] == []


# --- 3. lifting really happens -----------------------------------------------

MIXED = jit(mixed)


@FEW
@given(x=st.one_of(st.integers(0, 10 ** 6), st.floats(0, 1e6)),
       n=st.integers(0, 300))
def test_lifted_loop_result(x, n):
    got = MIXED(MyInt(x), n)
    expected = mixed(MyInt(x), n)
    assert type(got) is float
    assert math.isclose(got, expected, rel_tol=1e-12, abs_tol=1e-300), \
        (x, n, got, expected)
    for ov in MIXED.overloads.values():
        assert ov.objectmode is True
        assert len(ov.lifted) == 1
    assert MIXED.nopython_signatures == []


def test_lifted_loop_compiles_native_signatures():
    f = jit(mixed)
    with recorded() as w:
        assert math.isclose(f(MyInt(3), 100), mixed(MyInt(3), 100),
                            rel_tol=1e-12)
        assert f(MyInt(2.5), 10) == mixed(MyInt(2.5), 10)
    assert len(pyjit_warnings(w)) == 1
    assert [str(s) for s in f.signatures] == ["(pyobject, int64)"]
    ov = objmode_overload(f)
    assert len(ov.lifted) == 1
    loop = ov.lifted[0]
    assert isinstance(loop, pyjit.Dispatcher)
    # one specialization per type of the live-in `scale`
    assert len(loop.signatures) == 2
    assert_native(loop)
    argtypes = {str(t) for s in loop.signatures for t in s}
    assert {"int64", "float64"} <= argtypes
    text = io.StringIO()
    f.inspect_types(file=text)
    lifted_part = text.getvalue().split("was lifted and compiled in "
                                        "nopython mode")[1]
    assert ":: float64" in lifted_part and ":: pyobject" not in lifted_part


def test_lifted_loop_runs_native_code():
    """int64 wraps in the lifted loop, as in nopython mode: the loop did
    not run on the interpreter (where ints grow without bound)."""
    f = jit(wrapping)
    got = f(MyInt(1), 60)
    py = wrapping(MyInt(1), 60)
    assert py > 2 ** 63
    assert got == wrap64(py)
    assert_native(objmode_overload(f).lifted[0])


# --- 4. live variables ---------------------------------------------------------

def lifted_and_compiled(f):
    ov = objmode_overload(f)
    assert compiled_lifted(ov), f"no lifted loop of {f.__name__} compiled"
    for d in compiled_lifted(ov):
        assert_native(d)
    return ov


@pytest.mark.parametrize("n", [0, 1, 3, 4, 10, 57])
def test_variables_modified_in_lifted_loop_read_after(n):
    f = jit(live_out)
    check(f, MyInt(2), n)
    lifted_and_compiled(f)


@pytest.mark.parametrize("n", [0, 1, 5, 33])
def test_loop_variable_read_after_the_loop(n):
    unbound = jit(loop_var_unbound)
    preset = jit(loop_var_preset)
    check(unbound, MyInt(1), n)     # n == 0: UnboundLocalError, as in Python
    check(preset, MyInt(1), n)      # n == 0: i keeps 100
    lifted_and_compiled(preset)


FOR_BREAK = jit(for_break_else)
WHILE_BREAK = jit(while_break_else)


@FEW
@given(n=st.integers(-2, 40), stop=st.integers(-1, 45),
       limit=st.integers(-1, 20000))
def test_break_and_loop_else(n, stop, limit):
    check(FOR_BREAK, MyInt(4), n, stop)
    check(WHILE_BREAK, MyInt(4), n, limit)
    lifted_and_compiled(FOR_BREAK)
    lifted_and_compiled(WHILE_BREAK)


@pytest.mark.parametrize("start", [0, 1, 6, 26, 97, 871])
def test_while_loop(start):
    f = jit(collatz)
    check(f, MyInt(1), start)
    lifted_and_compiled(f)


@pytest.mark.parametrize("n", [0, 1, 2, 7, 30])
def test_outer_loop_in_object_mode_inner_loop_lifted(n):
    f = jit(outer_objmode_inner_lifted)
    check(f, MyInt(3), n)
    check(f, MyInt(-2), n)
    ov = objmode_overload(f)
    if n >= 2:      # the inner loop ran
        lifted_and_compiled(f)
        assert any("int64" in str(s) for d in ov.lifted
                   for s in d.signatures)


@pytest.mark.parametrize("n, cap", [(0, 5), (3, 100), (10, 5), (10, 44),
                                    (10, 45), (100, 1000)])
def test_return_inside_loop(n, cap):
    f = jit(return_in_loop)
    check(f, MyInt(8), n, cap)
    objmode_overload(f)


@pytest.mark.parametrize("flag", [True, False])
@pytest.mark.parametrize("n", [0, 4, 11])
def test_variable_bound_in_one_branch_before_the_loop(flag, n):
    f = jit(one_branch)
    check(f, MyInt(6), n, flag)
    objmode_overload(f)


@pytest.mark.parametrize("k", [0, 3, -11])
def test_closure_variable_read_in_loop(k):
    f = jit(make_closure_reader(k))
    for n in (0, 1, 9):
        check(f, MyInt(5), n)
    lifted_and_compiled(f)


def test_nonlocal_write_inside_loop():
    py, py_get = make_nonlocal_writer()
    jitted, jit_get = make_nonlocal_writer()
    f = jit(jitted)
    for n in (0, 3, 10, 1):
        got = f(MyInt(2), n)
        assert same(got, py(MyInt(2), n)), n
        assert jit_get() == py_get(), n
    objmode_overload(f)


def test_global_write_inside_loop():
    global COUNTER
    f = jit(global_writer)
    for n in (0, 3, 10, 1):
        COUNTER = 5
        expected = global_writer(MyInt(2), n)
        after_py = COUNTER
        COUNTER = 5
        got = f(MyInt(2), n)
        assert same(got, expected), n
        assert COUNTER == after_py, n
    objmode_overload(f)


@pytest.mark.parametrize("n", [0, 1, 6, 40])
def test_global_read_in_loop(n):
    f = jit(global_reader)
    check(f, MyInt(-3), n)
    lifted_and_compiled(f)


def test_global_written_by_the_function_then_read_in_loop():
    """The function itself sets the global before the loop: each call must
    see the value it has just written, not the one of the call that
    compiled the lifted loop."""
    f = jit(writes_global_then_loops)
    for value in (2, 3, -5):
        check(f, MyInt(value), 4)
        assert SHARED == value


def test_nonlocal_written_by_the_function_then_read_in_loop():
    f = jit(make_nonlocal_then_loops())
    for value in (2, 3, -5):
        got = f(MyInt(value), 4)
        assert got == 4 * value, (value, got)


@pytest.mark.parametrize("n", [0, 1, 5, 20])
def test_nested_function_captures_variable_the_loop_modifies(n):
    f = jit(captured_by_nested)
    check(f, MyInt(1), n)
    lifted_and_compiled(f)


def test_keywords_defaults_and_star_args():
    f = jit(with_args)
    o = MyInt(1)
    calls = [((o,), {}), ((o, 5), {}), ((o, 5, 1, 2, 3), {"scale": 2}),
             ((), {"obj": o, "n": 2}), ((o,), {"scale": 10}),
             ((o, 0, 7), {}), ((o, 3, 1.5, 2), {"scale": 0})]
    for args, kwargs in calls:
        check(f, *args, **kwargs)
    for sig in f.signatures:
        assert str(sig[0]) == "pyobject"
        objmode_overload(f, sig)
    assert compiled_lifted(f.overloads[f.signatures[0]])
    with pytest.raises(TypeError):
        f()
    with pytest.raises(TypeError):
        f(o, 1, n=2)


def test_generator_falls_back():
    f = jit(generator)
    for n in (0, 1, 4, 9):
        with recorded() as w:
            gen = f(MyInt(3), n)
            values = list(gen)
        assert values == list(generator(MyInt(3), n))
        if n == 0:
            assert len(pyjit_warnings(w)) == 1
        else:
            assert pyjit_warnings(w) == []
    assert type(f(MyInt(1), 2)).__name__ == "generator"
    lifted_and_compiled(f)


# --- 5. exceptions -----------------------------------------------------------

def test_zero_division_in_lifted_loop_reaches_caller():
    f = jit(divides)
    check(f, MyInt(1), 5, 7)
    lifted_and_compiled(f)
    with pytest.raises(ZeroDivisionError) as info:
        f(MyInt(1), 5, 2)
    with pytest.raises(ZeroDivisionError) as py_info:
        divides(MyInt(1), 5, 2)
    assert str(info.value) == str(py_info.value)
    # still usable afterwards
    check(f, MyInt(1), 5, 9)


def test_exception_in_interpreted_part_has_traceback_into_this_file():
    f = jit(missing_attribute)
    with pytest.raises(AttributeError) as info:
        f(MyInt(1), 3)
    assert "missing" in str(info.value)
    last = traceback.extract_tb(info.value.__traceback__)[-1]
    assert last.filename == THIS_FILE
    assert last.lineno == line_of("return acc + obj.missing")
    assert last.name == "missing_attribute"
    lifted_and_compiled(f)      # the loop before it ran natively


# --- 6. forceobj and looplift ------------------------------------------------

def test_forceobj():
    f = jit(forceobj=True)(tri)
    with recorded() as w:
        assert f(10) == 45
        assert f(0) == 0
    assert [str(x.message) for x in w] == []
    assert f.signatures == [(types.int64,)]
    assert f.nopython_signatures == []
    ov = objmode_overload(f)
    assert len(ov.lifted) == 1
    assert_native(ov.lifted[0])


@pytest.mark.parametrize("n", [0, 3, 50])
def test_looplift_false(n):
    f = jit(looplift=False)(live_out)
    with recorded() as w:
        check(f, MyInt(2), n)
    ws = pyjit_warnings(w)
    assert len(ws) == 1
    assert "looplifting disabled" in str(ws[0].message)
    ov = objmode_overload(f)
    assert ov.lifted == ()
    g = jit(looplift=False, forceobj=True)(wrapping)
    got = g(MyInt(1), 60)
    assert got == wrapping(MyInt(1), 60)    # the interpreter's big int
    assert objmode_overload(g).lifted == ()


# --- 7. both kinds of specialization -----------------------------------------

def test_nopython_and_object_mode_specializations_coexist():
    f = jit(plus)
    with recorded() as w:
        assert same(f(1, 2), 7)
    assert [str(x.message) for x in w] == []
    with recorded() as w:
        assert f(Vec(1), 2) == Vec(7)
    assert len(pyjit_warnings(w)) == 1
    with recorded() as w:
        # native int64 wraps; the interpreter would give 2 ** 64
        assert same(f(2 ** 62, 2 ** 62), 0)
        assert same(f(1.5, 2), 7.5)
        assert f(Vec(-1), 1) == Vec(2)
    assert [str(x.message) for x in w] == []
    # Each new object-mode signature says why it fell back, as Numba does.
    with recorded() as w:
        assert f(Vec(2), Vec(3)) == Vec(11)
    assert len(pyjit_warnings(w)) == 1
    sigs = {str(s): f.overloads[s] for s in f.signatures}
    assert set(sigs) == {"(int64, int64)", "(pyobject, int64)",
                         "(pyobject, pyobject)", "(float64, int64)"}
    assert sigs["(int64, int64)"].objectmode is False
    assert sigs["(float64, int64)"].objectmode is False
    assert sigs["(pyobject, int64)"].objectmode is True
    assert sigs["(pyobject, pyobject)"].objectmode is True
    assert sigs["(int64, int64)"].lifted == ()
    assert [str(s) for s in f.nopython_signatures] == [
        "(int64, int64) -> int64", "(float64, int64) -> float64"]


def test_object_mode_first_then_nopython():
    f = jit(plus)
    assert f(Vec(1), 2) == Vec(7)
    with recorded() as w:
        assert same(f(2 ** 62, 2 ** 62), 0)
    assert [str(x.message) for x in w] == []
    assert f.overloads[(types.int64, types.int64)].objectmode is False


# --- 8. nopython callers of @jit functions -----------------------------------

PLUS = jit(plus)


@njit
def calls_plus(a, b):
    return PLUS(a, b) * 2


def test_njit_caller_of_jit_function():
    assert PLUS(Vec(1), 2) == Vec(7)        # an object-mode specialization
    with recorded() as w:
        assert same(calls_plus(1, 2), 14)
        assert same(calls_plus(2.5, 1), 11.0)
    assert [str(x.message) for x in w] == []
    assert calls_plus.overloads[calls_plus.signatures[0]].objectmode is False
    with recorded() as w:
        with pytest.raises(TypingError):
            calls_plus(Vec(1), 2)
    assert [str(x.message) for x in w] == []
    # the @jit function still answers from Python with both kinds
    assert PLUS(Vec(1), 2) == Vec(7)
    assert same(PLUS(2 ** 62, 2 ** 62), 0)


@pytest.mark.parametrize("first", ["python", "nopython"])
def test_njit_cannot_call_a_forceobj_function(first):
    """forceobj=True means object mode for every call: a nopython caller
    gets a TypingError that says so, whichever came first, and the
    dispatcher keeps one object-mode signature."""
    f = jit(forceobj=True, looplift=False)(grow)

    @njit
    def caller(x, n):
        return f(x, n)

    if first == "python":
        assert f(1, 60) == grow(1, 60) > 2 ** 63
    with pytest.raises(pyjit.TypingError) as info:
        caller(1, 60)
    assert "Cannot call grow from nopython code: it runs in object mode " \
        "(forceobj=True)" in str(info.value)
    with recorded() as w:
        got = f(1, 60)
    assert [str(x.message) for x in w] == []
    assert got == grow(1, 60) > 2 ** 63
    assert f.overloads[(types.int64, types.int64)].objectmode is True
    assert f.signatures == [(types.int64, types.int64)]
    assert caller.signatures == []


# --- 9. no source --------------------------------------------------------------

NO_SOURCE = """
def no_source(a, n):
    acc = 0
    for i in range(n):
        acc += a
    return acc
"""


def test_function_without_source():
    namespace = {}
    exec(NO_SOURCE, namespace)
    func = namespace["no_source"]
    func.__code__ = func.__code__.replace(co_filename="<no source>")
    f = jit(func)
    with recorded() as w:
        assert same(f(3, 5), 15)
        assert same(f(2.5, 2), 5.0)
    ws = pyjit_warnings(w)
    assert len(ws) == 2         # one per signature
    assert all("object mode" in str(x.message) for x in ws)
    assert all("source" in str(x.message) for x in ws)
    ov = objmode_overload(f, (types.int64, types.int64))
    assert ov.lifted == ()
    assert f.nopython_signatures == []
    text = io.StringIO()
    f.inspect_types(file=text)
    assert text.getvalue().startswith("no_source (int64, int64)\n")

    g = njit(func)
    with recorded() as w:
        with pytest.raises(pyjit.UnsupportedError) as info:
            g(3, 5)
    assert "source" in str(info.value)
    assert [str(x.message) for x in w] == []


# --- 10. unsupported syntax -----------------------------------------------------

@pytest.mark.parametrize("func, args, word", [
    (uses_try, (MyInt(4), 5), "try"),
    (uses_try, (5, 5), "try"),
    (uses_with, (6,), "with"),
])
def test_unsupported_syntax_falls_back(func, args, word):
    f = jit(func)
    with recorded() as w:
        check(f, *args)
    ws = pyjit_warnings(w)
    assert len(ws) == 1
    assert "object mode" in str(ws[0].message)
    assert word in str(ws[0].message)
    if func is uses_with:
        # Nothing inside a with or try block is lifted: an exception
        # leaving a lifted loop would lose what it bound so far.
        assert objmode_overload(f).lifted == ()
    else:
        lifted_and_compiled(f)

    g = njit(func)
    with recorded() as w:
        with pytest.raises(pyjit.UnsupportedError) as info:
            g(*args)
    assert word in str(info.value)
    assert [str(x.message) for x in w] == []


@pytest.mark.parametrize("func", [loop_in_try, loop_in_with])
@pytest.mark.parametrize("n", [2, 3, 6])
def test_exception_in_lifted_loop_caught_in_the_function(func, n):
    """The loop raises after updating acc; the function catches the error
    and reads acc: it must see the updates made before the error."""
    f = jit(func)
    check(f, MyInt(1), n)


def test_exception_in_lifted_loop_seen_by_finally():
    f = jit(loop_in_try_finally)
    py_log, jit_log = [], []
    with pytest.raises(ZeroDivisionError):
        loop_in_try_finally(py_log, 6)
    with pytest.raises(ZeroDivisionError):
        f(jit_log, 6)
    assert jit_log == py_log == [18]


# --- 11. inspect_llvm / inspect_asm ----------------------------------------------

def test_inspect_llvm_and_asm_of_object_mode():
    f = jit(add_object_n2_times)
    f(MyInt(1), MyInt(2), 3)
    sig = f.signatures[0]
    llvm = f.inspect_llvm()
    assert list(llvm) == [sig]
    assert "interpreter" in llvm[sig]
    assert "define" not in llvm[sig]        # no lifted loop compiled
    assert f.inspect_llvm(sig) == llvm[sig]

    g = jit(mixed)
    g(MyInt(2), 10)
    sig = g.signatures[0]
    loop = objmode_overload(g).lifted[0]
    assert loop.signatures
    llvm = g.inspect_llvm()
    asm = g.inspect_asm()
    assert list(llvm) == [sig] and list(asm) == [sig]
    assert llvm[sig].startswith(";") and "interpreter" in llvm[sig]
    assert asm[sig].startswith("#") and "interpreter" in asm[sig]
    assert "define" in llvm[sig]
    for lsig in loop.signatures:
        assert loop.inspect_llvm(lsig) in llvm[sig]
        assert loop.inspect_asm(lsig) in asm[sig]


# --- what a whole loop nest lifts as -----------------------------------------

def nested_sum(obj, n):
    scale = obj.x
    acc = 0
    for i in range(n):
        for j in range(n):
            acc += i * j * scale
    return acc


def reused_loop_variable(obj, n):
    acc = obj.x
    for i in range(n):
        acc += i
    for i in range(n):
        acc = acc * 3 % 1000003
    return acc


def loop_variable_read_after(obj, n):
    acc = obj.x
    i = -1
    for i in range(n):
        acc += i
    return acc + i


@pytest.mark.parametrize("n", [0, 1, 7])
def test_an_outer_loop_lifts_with_its_inner_loop(n):
    f = jit(nested_sum)
    with recorded():
        check(f, MyInt(3), n)
    ov = objmode_overload(f)
    outer, inner = ov.lifted
    assert outer.signatures and not inner.signatures
    first = nested_sum.__code__.co_firstlineno
    assert outer.py_func.__pyjit_source__[3] == first + 3


@pytest.mark.parametrize("func", [reused_loop_variable, loop_variable_read_after])
def test_loops_lift_when_their_variables_are_rebound_or_bound_before(func):
    f = jit(func)
    with recorded():
        for n in (0, 1, 5):
            check(f, MyInt(2), n)
    ov = objmode_overload(f)
    assert len(compiled_lifted(ov)) == len(ov.lifted) >= 1


# --- lifted loops over arrays ------------------------------------------------

def scaled_total(obj, a):
    k = obj.x
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i] * k
    return s


def test_a_lifted_loop_over_arrays_retries_for_a_new_dtype():
    import numpy as np
    f = jit(scaled_total)
    with recorded():
        # float16 arrays do not type: that loop runs in the interpreter...
        half = np.arange(4, dtype=np.float16)
        assert f(MyInt(2), half) == scaled_total(MyInt(2), half)
        # ...which must not keep float64 arrays out of native code.
        x = np.arange(5.0)
        assert f(MyInt(3), x) == scaled_total(MyInt(3), x)
    sig = f.signatures[1]
    loops = objmode_overload(f, sig).lifted
    assert any("array(float64, 1d, C)" in str(s)
               for s in loops[0].signatures), loops[0].signatures
    assert not any("float16" in str(s) for s in loops[0].signatures)
