"""Values whose meaning compiled code would lose, and object mode kept exact.

- ndarray subclasses that NumPy gives a meaning of their own (masked arrays,
  matrices) have no pyjit type: @njit refuses them with a TypingError that
  names the class and says why, @jit runs the call on the interpreter.  Other
  subclasses (np.memmap, a np.recarray of numbers, one of the user's own) are
  arrays, as in Numba.
- An int beyond 64 bits runs in object mode, exactly as CPython computes
  with it, lifted loops included (a loop that starts with one in a variable
  runs in the interpreter).
- A function that reads its variables by name (eval, exec, locals(), vars(),
  dir(), frame introspection) is not lifted, so it sees what Python shows, and
  the rewriting of a lifted function adds no variables of its own.

Each shape is a differential test: the jitted function against its plain
Python original over generated inputs.
"""
import builtins
import io
import math
import sys

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import assume, given, settings

import pyjit
from difftest import assert_compiled
from pyjit import PyjitWarning, TypingError, jit, njit

FEW = settings(max_examples=40, deadline=None)

pytestmark = [pytest.mark.filterwarnings("ignore::pyjit.PyjitWarning"),
              pytest.mark.filterwarnings("ignore:the matrix subclass"
                                         ":PendingDeprecationWarning")]


def outcome(f, *args):
    try:
        return "ok", f(*args)
    except Exception as e:  # noqa: BLE001
        return "exc", e


def same(actual, expected):
    """Equal values of the same type, deep; NumPy's masked constant and
    arrays compared as such."""
    if isinstance(expected, (tuple, list)):
        return type(actual) is type(expected) \
            and len(actual) == len(expected) \
            and all(same(a, e) for a, e in zip(actual, expected))
    if expected is np.ma.masked:
        return actual is np.ma.masked
    if isinstance(expected, np.ndarray):
        return type(actual) is type(expected) \
            and np.array_equal(actual, expected)
    if isinstance(expected, float) and math.isnan(expected):
        return isinstance(actual, float) and math.isnan(actual)
    return type(actual) is type(expected) and actual == expected


def check(f, *args):
    """f (a dispatcher) and f.py_func agree on args: the same value and
    type, or the same exception class and message."""
    kind, expected = outcome(f.py_func, *args)
    got_kind, actual = outcome(f, *args)
    where = f"{f.__name__}{args!r}"
    assert got_kind == kind, f"{where}: {got_kind} {actual!r}, python " \
        f"{kind} {expected!r}"
    if kind == "exc":
        assert type(actual) is type(expected), (where, actual, expected)
        assert str(actual) == str(expected), (where, actual, expected)
    else:
        assert same(actual, expected), f"{where}: {actual!r} != {expected!r}"
    return actual


def overload_for(f, *argtypes):
    """The specialization of f for these argument type names."""
    for sig, ov in f.overloads.items():
        if tuple(str(t) for t in sig) == argtypes:
            return ov
    raise KeyError(f"no {argtypes} in {f.signatures}")


# --- 1. ndarray subclasses -----------------------------------------------------

def total(a):
    t = 0.0
    for i in range(a.shape[0]):
        t += a[i]
    return t


def times(a, b):
    return a * b


def first_of_pair(p):
    return p[0][0]


def same_array(a):
    return a


def scale_into(a, k):
    for i in range(a.shape[0]):
        a[i] = a[i] * k
    return a.shape[0]


class MyMasked(np.ma.MaskedArray):
    pass


class MyMatrix(np.matrix):
    pass


class Tagged(np.ndarray):
    """A subclass that only adds an attribute: still an array."""

    def __array_finalize__(self, obj):
        self.unit = getattr(obj, "unit", "m")


MASK_WHY = "a masked array's mask would be ignored; pass m.filled(value) " \
           "or m.data"
MATRIX_WHY = "a matrix's meaning would be lost (m * m would multiply " \
             "elementwise, m[i] would be 1-d); pass np.asarray(m)"


def masked(values=(1.0, 1000.0, 2.0), mask=(False, True, False)):
    return np.ma.masked_array(list(values), mask=list(mask))


REFUSED = [
    pytest.param(masked, MASK_WHY, id="MaskedArray"),
    pytest.param(lambda: masked().view(MyMasked), MASK_WHY, id="subclass"),
    pytest.param(lambda: np.ma.masked_array([3.0, 4.0]), MASK_WHY,
                 id="no-mask-set"),
    pytest.param(lambda: np.matrix([[1.0, 2.0], [3.0, 4.0]]), MATRIX_WHY,
                 id="matrix"),
    pytest.param(lambda: MyMatrix([[1.0, 2.0]]), MATRIX_WHY,
                 id="matrix-subclass"),
]


@pytest.mark.parametrize("make, why", REFUSED)
def test_njit_refuses_subclasses_whose_meaning_would_be_lost(make, why):
    value = make()
    f = njit(total)
    with pytest.raises(TypingError) as ei:
        f(value)
    assert f"- argument 0: cannot determine pyjit type of " \
           f"{type(value)!r}: {why}" in str(ei.value)
    with pytest.raises(TypingError) as ei:
        njit(first_of_pair)((value, 1))
    assert f"cannot determine pyjit type of <class 'tuple'>: {why}" \
        in str(ei.value)
    with pytest.raises(ValueError) as ei:
        pyjit.typeof(value)
    assert str(ei.value) \
        == f"cannot determine pyjit type of {type(value)!r}: {why}"
    assert f.signatures == []


def test_the_reproducer_masked_sum():
    m = masked()
    assert m.sum() == 3.0
    with pytest.raises(TypingError, match="mask would be ignored"):
        njit(total)(m)
    # @jit runs it on the interpreter: masked arithmetic, as NumPy does it
    assert jit(total)(m) is np.ma.masked
    assert jit(total)(masked(mask=(False,) * 3)) == 1003.0


MASKED_TOTAL = jit(total)


@FEW
@given(data=st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=8),
       mask=st.lists(st.booleans(), min_size=8, max_size=8))
def test_jit_runs_masked_arrays_as_python_does(data, mask):
    m = np.ma.masked_array(data, mask=mask[:len(data)])
    check(MASKED_TOTAL, m)
    ov = overload_for(MASKED_TOTAL, "pyobject")
    assert ov.objectmode is True
    # its one loop never ran compiled code on the masked array
    assert [d.signatures for d in ov.lifted] == [[]]


MATRIX_TIMES = jit(times)


@FEW
@given(a=st.lists(st.integers(-9, 9), min_size=4, max_size=4),
       b=st.lists(st.integers(-9, 9), min_size=4, max_size=4))
def test_jit_keeps_the_matrix_product(a, b):
    ma = np.matrix(np.array(a, float).reshape(2, 2))
    mb = np.matrix(np.array(b, float).reshape(2, 2))
    got = check(MATRIX_TIMES, ma, mb)
    assert type(got) is np.matrix
    np.testing.assert_array_equal(np.asarray(got),
                                  np.asarray(ma) @ np.asarray(mb))
    assert overload_for(MATRIX_TIMES, "pyobject", "pyobject").objectmode


TAGGED_TOTAL = njit(total)


@FEW
@given(data=st.lists(st.floats(-1e6, 1e6), min_size=0, max_size=10))
def test_a_subclass_that_only_adds_attributes_is_an_array(data):
    a = np.array(data, dtype=np.float64).view(Tagged)
    a.unit = "s"
    assert TAGGED_TOTAL(a) == total(a)
    assert_compiled(TAGGED_TOTAL)
    assert [str(s) for s in TAGGED_TOTAL.signatures] \
        == ["(array(float64, 1d, C),)"]


def test_a_plain_subclass_comes_back_as_itself_and_is_written_in_place():
    a = np.arange(4.0).view(Tagged)
    a.unit = "kg"
    back = njit(same_array)(a)
    assert back is a and back.unit == "kg"
    assert njit(scale_into)(a, 3.0) == 4
    assert type(a) is Tagged
    np.testing.assert_array_equal(a, [0.0, 3.0, 6.0, 9.0])
    assert str(pyjit.typeof(a)) == "array(float64, 1d, C)"


def test_memmap_is_an_array_over_the_file(tmp_path):
    path = str(tmp_path / "data.f8")
    mm = np.memmap(path, dtype=np.float64, mode="w+", shape=(5,))
    mm[:] = [1.0, 2.0, 3.0, 4.0, 5.0]
    f = njit(scale_into)
    assert f(mm, 2.0) == 5
    assert njit(total)(mm) == 30.0
    mm.flush()
    np.testing.assert_array_equal(np.fromfile(path, dtype=np.float64),
                                  [2.0, 4.0, 6.0, 8.0, 10.0])
    assert_compiled(f)
    del mm


def test_recarray_of_numbers_is_an_array_and_of_records_an_array_of_records():
    r = np.arange(5.0).view(np.recarray)
    f = njit(total)
    assert f(r) == 10.0
    assert_compiled(f)
    records = np.rec.array([(1.0, 2), (3.0, 4)], dtype=[("x", float),
                                                         ("n", int)])
    with pytest.raises(TypingError) as ei:
        njit(total)(records)
    assert "No implementation of += for (float64, Record(x[type=float64;" \
           "offset=0],n[type=int64;offset=8];16;False))" in str(ei.value)


def test_chararray_elements_are_not_numbers():
    c = np.char.array(["ab", "cd"])
    with pytest.raises(TypingError) as ei:
        njit(total)(c)
    assert "No implementation of += for (float64, unicode_type)" \
           in str(ei.value)


def first(a):
    return a[0]


def test_explicit_signature_says_why_a_masked_array_does_not_match():
    f = njit("float64(float64[:])")(first)
    assert f(np.array([2.5, 1.0])) == 2.5
    with pytest.raises(TypeError) as ei:
        f(masked())
    assert str(ei.value) == "No matching definition for argument type(s) " \
        "pyobject\n- argument 0: cannot determine pyjit type of <class " \
        f"'numpy.ma.MaskedArray'>: {MASK_WHY}"
    g = njit("int64(int64)")(first_of_int)
    with pytest.raises(TypeError, match=r"argument 0: cannot determine pyjit "
                       r"type of <class 'int'>: its value does not fit"):
        g(-2 ** 64)


def first_of_int(n):
    return n


GLOBAL_MASKED = masked()


def reads_global_masked():
    return GLOBAL_MASKED[0]


def test_masked_array_global_is_refused_with_the_reason():
    with pytest.raises(TypingError) as ei:
        njit(reads_global_masked)()
    assert "Untyped global name 'GLOBAL_MASKED': cannot determine pyjit type " \
           f"of <class 'numpy.ma.MaskedArray'>: {MASK_WHY}" in str(ei.value)


# --- 2. ints beyond 64 bits ----------------------------------------------------

def add_three_times(n):
    s = 0
    for i in range(3):
        s += n
    return s


def power_then_loop(n, k):
    big = n ** k
    last = 0
    for i in range(4):
        last = big - i
    return last


def sum_items(t):
    s = 0
    for x in t:
        s += x
    return s


def int64_safe(v):
    """Computes the same in int64 as in Python in these functions."""
    return abs(v) < 2 ** 60


def beyond_64_bits(v):
    return not -2 ** 63 <= v < 2 ** 64


huge = st.one_of(st.integers(2 ** 64, 2 ** 400),
                 st.integers(-2 ** 400, -2 ** 63 - 1))
small = st.integers(-2 ** 60, 2 ** 60)

ADD3 = jit(forceobj=True)(add_three_times)


@FEW
@given(n=st.one_of(huge, small))
def test_huge_int_runs_exactly_in_object_mode(n):
    check(ADD3, n)
    # the lifted loop compiled for small ints only, and still does
    loop = ADD3.overloads[ADD3.signatures[0]].lifted[0]
    for sig in loop.signatures:
        assert "pyobject" not in str(sig)


def test_a_huge_int_does_not_stop_the_loop_lifting_for_small_ones():
    f = jit(forceobj=True)(add_three_times)
    assert f(2 ** 70) == 3 * 2 ** 70
    assert f(5) == 15
    (loop,) = overload_for(f, "int64").lifted
    assert [str(s) for s in loop.signatures] == ["(int64, int64)"]
    text = io.StringIO()
    f.inspect_types(file=text)
    assert "was lifted and compiled in nopython mode" in text.getvalue()


def test_jit_falls_back_for_a_huge_int_and_keeps_nopython_for_small():
    f = jit(add_three_times)
    assert f(7) == 21
    assert_compiled(f)
    with pytest.warns(PyjitWarning, match="falling back to object mode"):
        assert f(-2 ** 100) == -3 * 2 ** 100
    assert overload_for(f, "pyobject").objectmode is True
    assert f(8) == 24
    assert overload_for(f, "int64").objectmode is False


def test_njit_refuses_a_huge_int_naming_it():
    f = njit(add_three_times)
    with pytest.raises(TypingError) as ei:
        f(2 ** 64)
    assert "cannot determine pyjit type of <class 'int'>: its value does " \
           "not fit in 64 bits (int64 or uint64)" in str(ei.value)
    assert f(2) == 6


POWER = jit(forceobj=True)(power_then_loop)


@FEW
@given(n=st.integers(-60, 60), k=st.integers(0, 40))
def test_a_huge_int_computed_before_the_loop(n, k):
    assume(int64_safe(n ** k) or beyond_64_bits(n ** k))
    check(POWER, n, k)
    (loop,) = POWER.overloads[POWER.signatures[0]].lifted
    assert all("pyobject" not in str(s) for s in loop.signatures)


SUM_ITEMS = jit(forceobj=True)(sum_items)


@FEW
@given(t=st.lists(st.one_of(st.integers(-2 ** 50, 2 ** 50), huge),
                  min_size=1, max_size=6).map(tuple))
def test_a_huge_int_inside_a_tuple(t):
    check(SUM_ITEMS, t)


def test_a_tuple_of_small_ints_still_lifts_after_a_huge_one():
    f = jit(forceobj=True)(sum_items)
    assert f((1, 2 ** 80)) == 1 + 2 ** 80
    assert f((1, 2, 3)) == 6
    (loop,) = f.overloads[f.signatures[0]].lifted
    assert [str(s) for s in loop.signatures] == ["(int64, UniTuple(int64 x 3))"]


def count_len(t):
    n = 0
    for k in range(3):
        n += len(t)
    return n


def test_a_tuple_nested_deeper_than_a_type_runs_in_object_mode():
    deep = ()
    for _ in range(5000):
        deep = (deep,)
    f = jit(forceobj=True)(count_len)
    assert f(deep) == 3
    assert f((1, 2)) == 6
    with pytest.raises(TypingError, match="its tuples nest too deeply"):
        njit(count_len)(deep)


# --- 3. functions that read their variables by name ------------------------------

def via_eval(n):
    s = 0
    for i in range(n):
        s += i
    return eval("s")


def via_eval_of_the_loop_variable(n):
    s = 0
    for i in range(n):
        s += i
    return eval("(s, i)")


def via_exec(n):
    out = []
    s = 0
    for i in range(n):
        s += i * i
    exec("out.append((s, i))")
    return out


def via_locals(n):
    s = 0
    for i in range(n):
        s += i
    return sorted(locals().items())


def via_vars(n):
    s = 1
    for i in range(n):
        s *= 2
    return sorted(vars().items())


def via_dir(n):
    s = 0
    k = 0
    while k < n:
        k += 1
        s += k
    return dir(), s


def via_frame(n):
    s = 0
    for i in range(n):
        s -= i
    return sorted(sys._getframe().f_locals.items())


def via_nested_eval(n):
    s = 0
    for i in range(n):
        s += 3
    return (lambda: eval("s + 1"))()


def via_builtins_module(n):
    s = 0
    for i in range(n):
        s += i
    return builtins.eval("s * 2")


BY_NAME = [
    (via_eval, "eval"), (via_eval_of_the_loop_variable, "eval"),
    (via_exec, "exec"), (via_locals, "locals"), (via_vars, "vars"),
    (via_dir, "dir"), (via_frame, "f_locals"), (via_nested_eval, "eval"),
    (via_builtins_module, "eval"),
]
BY_NAME_JIT = [(jit(forceobj=True)(f), why) for f, why in BY_NAME]


def test_the_reproducer_eval():
    assert jit(forceobj=True)(via_eval)(4) == 6


@pytest.mark.parametrize("index", range(len(BY_NAME)),
                         ids=[f.__name__ for f, _ in BY_NAME])
@FEW
@given(n=st.integers(0, 30))
def test_functions_reading_variables_by_name_are_not_lifted(index, n):
    f, why = BY_NAME_JIT[index]
    check(f, n)
    ov = f.overloads[f.signatures[0]]
    assert ov.objectmode is True and list(ov.lifted) == []
    text = io.StringIO()
    f.inspect_types(file=text)
    assert f"# No loop lifting: the function reads its variables by name " \
           f"({why})" in text.getvalue()


def vars_of_an_object(objs):
    # vars(x) and dir(x) read x, not the function's variables: lifted
    total = 0
    for o in objs:
        total += len(vars(o)) + len(dir(o))
    n = 0
    for i in range(10):
        n += i
    return total, n


class Point:
    def __init__(self):
        self.x = 1
        self.y = 2


def test_vars_and_dir_of_an_object_do_not_stop_lifting():
    f = jit(forceobj=True)(vars_of_an_object)
    check(f, [Point(), Point()])
    ov = f.overloads[f.signatures[0]]
    assert len(ov.lifted) == 2
    assert [str(s) for s in ov.lifted[1].signatures] == ["(int64,)"]


def del_after_loop(n):
    s = 0
    for i in range(n):
        s += i
    del i
    return s


def del_after_loop_bound_before(n):
    i = -5
    s = 0
    for i in range(n):
        s += i * 2
    del i
    return s


DEL_UNBOUND = jit(forceobj=True)(del_after_loop)
DEL_BOUND = jit(forceobj=True)(del_after_loop_bound_before)


@FEW
@given(n=st.integers(0, 30))
def test_del_of_a_name_bound_in_a_loop(n):
    # n == 0: del of an unbound local raises, as in Python
    check(DEL_UNBOUND, n)
    assert list(DEL_UNBOUND.overloads[DEL_UNBOUND.signatures[0]].lifted) == []
    check(DEL_BOUND, n)
    (loop,) = DEL_BOUND.overloads[DEL_BOUND.signatures[0]].lifted
    assert [str(s) for s in loop.signatures] == ["(int64, int64, int64)"]


def caller_variables():
    return sorted(sys._getframe(1).f_locals)


def calls_a_frame_reader(n):
    i = 0
    s = 0
    for i in range(n):
        s += i
    k = 0
    while k < n:
        k += 2
    return s, i, k, caller_variables()


FRAME_READER = jit(forceobj=True)(calls_a_frame_reader)


@FEW
@given(n=st.integers(0, 30))
def test_lifted_function_adds_no_variables_of_its_own(n):
    f = FRAME_READER
    got = check(f, n)
    assert got[-1] == ["i", "k", "n", "s"]
    ov = f.overloads[f.signatures[0]]
    assert len(ov.lifted) == 2 and all(d.signatures for d in ov.lifted)
