"""Answers that must not be silently wrong and options that must do what they
say: constant expressions folded with Python's arithmetic, forceobj against
nopython, the fastmath flags, **kwargs parameters, and typing errors inside
the NumPy library functions reported at the user's call."""
import dis
import io
import itertools
import json
import linecache
import math
import os
import re
import subprocess
import sys
import warnings

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import assume, given

import pyjit
from difftest import FEW, SETTINGS, assert_compiled, assert_same, int64s
from pyjit import TypingError, UnsupportedError, jit, njit

INT64_MIN, INT64_MAX, UINT64_MAX = -2 ** 63, 2 ** 63 - 1, 2 ** 64 - 1
THIS_FILE = os.path.abspath(__file__)
_cells = itertools.count()


def define(src, name="f", **namespace):
    """The function `name` defined by src, with its source in linecache as a
    notebook cell's is, so that pyjit can read it."""
    filename = f"<adversarial-cell-{next(_cells)}>"
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    namespace.update(np=np, math=math)
    exec(compile(src, filename, "exec"), namespace)
    return namespace[name]


def returning(expression):
    return define(f"def f():\n    return {expression}\n")


def line_number(fragment):
    """The line of this file holding fragment in its code."""
    with open(THIS_FILE) as f:
        hits = [i + 1 for i, line in enumerate(f)
                if fragment in line and f'"{fragment}' not in line]
    assert len(hits) == 1, (fragment, hits)
    return hits[0]


# --- 1. constant expressions fold as CPython folds them ----------------------

@pytest.mark.parametrize("expression, value, typename", [
    ("2 ** 63", 9223372036854775808, "uint64"),
    ("10 ** 18 * 10", 10000000000000000000, "uint64"),
    ("2 ** 64 - 1", UINT64_MAX, "uint64"),
    ("(1 << 63) - 1", INT64_MAX, "int64"),
    ("-2 ** 63", INT64_MIN, "int64"),
    ("-9223372036854775808", INT64_MIN, "int64"),
    ("~(2 ** 62)", -(2 ** 62) - 1, "int64"),
    ("2 ** -1", 0.5, "float64"),            # 0.5 in CPython, so in Numba
    ("7 // -2 * 3 % 5", 7 // -2 * 3 % 5, "int64"),
    ("2.0 ** 0.5", 2.0 ** 0.5, "float64"),
    ("1 / 3", 1 / 3, "float64"),
    ("1 + 2j", 1 + 2j, "complex128"),
    ("not 0", True, "bool"),
    ("True + True", 2, "int64"),
])
def test_constant_expressions_fold_to_pythons_value(expression, value,
                                                    typename):
    f = njit(returning(expression))
    assert_same(f(), value, wrap=False, where=expression)
    assert_compiled(f)
    assert str(f.overloads[()].return_type) == typename
    assert f"const({type(value).__name__}, {value!r})" in annotation(f)


def annotation(f):
    out = io.StringIO()
    f.inspect_types(file=out)
    return out.getvalue()


@njit
def below_2_63(x):
    return x < 1 << 63, x <= 2 ** 63 - 1, x >= -2 ** 63 - 1 + 1


@SETTINGS
@given(int64s)
def test_comparisons_with_folded_constants_are_exact(x):
    assert below_2_63(x) == (True, True, True)
    assert_compiled(below_2_63)


@pytest.mark.parametrize("expression, value", [
    ("2 ** 64", 2 ** 64),
    ("10 ** 20", 10 ** 20),
    ("-2 ** 63 - 1", -2 ** 63 - 1),
    ("(1 << 100) * 3", (1 << 100) * 3),
])
def test_a_folded_constant_too_large_is_a_typing_error(expression, value):
    f = njit(returning(expression))
    with pytest.raises(TypingError) as e:
        f()
    msg = str(e.value)
    assert f"Int value is too large: {value}\n" in msg
    assert f"    return {expression}\n           ^" in msg


def test_a_global_int_too_large_says_so():
    f = njit(define("def f():\n    return BIG\n", BIG=2 ** 70))
    with pytest.raises(TypingError, match=r"Int value is too large: "
                                          r"1180591620717411303424"):
        f()


@pytest.mark.parametrize("expression, exc", [
    ("1 // 0", ZeroDivisionError),
    ("1 % 0", ZeroDivisionError),
    ("1.0 / 0", ZeroDivisionError),
    ("0 ** -1", ZeroDivisionError),
    ("(2 ** 63) // 0", ZeroDivisionError),
])
def test_operations_that_raise_are_left_to_raise_when_they_run(expression,
                                                               exc):
    f = njit(returning(expression))
    with pytest.raises(exc):
        f()
    assert_compiled(f)


@pytest.mark.parametrize("expression, operator", [
    ("2 ** 65", "**"),          # over 128 bits: CPython computes it at run time
    ("3 ** 100", "**"),
    ("1 << 129", "<<"),
    ("7 ** 50", "**"),
])
def test_what_cpython_does_not_fold_is_computed_as_int64(expression,
                                                         operator):
    f = njit(returning(expression))
    f()
    assert f" {operator} " in annotation(f)
    assert str(f.overloads[()].return_type) == "int64"


def test_2_to_the_65_wraps_as_numba_computes_it():
    assert njit(returning("2 ** 65"))() == 0


def test_strings_fold_up_to_cpythons_limit():
    short = njit(define("def f():\n    raise ValueError('ab' * 3 + '!')\n"))
    with pytest.raises(ValueError, match=r"^ababab!$"):
        short()
    # beyond it the message is built when the function raises
    long = njit(define("def f():\n    raise ValueError('ab' * 3000)\n"))
    with pytest.raises(ValueError) as info:
        long()
    assert str(info.value) == "ab" * 3000


def test_folded_indices_are_constant_indices():
    f = njit(define("def f(x):\n    t = (x, 1.5, not 0)\n"
                    "    return t[3 - 2], t[-(1 + 2)]\n"))
    assert f(4) == (1.5, 4)
    assert_compiled(f)


_LEAVES = ["0", "1", "2", "3", "7", "10", "63", "64", "255", "(-1)", "(-7)",
           "0.5", "2.0", "(-0.0)", "1e300", "3j", "True", "False"]
_BINARY = ["+", "-", "*", "/", "//", "%", "**", "<<", ">>", "&", "|", "^"]
_UNARY = ["-", "+", "~", "not "]

constant_expressions = st.recursive(
    st.sampled_from(_LEAVES),
    lambda sub: st.one_of(
        st.builds(lambda a, op, b: f"({a} {op} {b})", sub,
                  st.sampled_from(_BINARY), sub),
        st.builds(lambda op, a: f"({op}{a})", st.sampled_from(_UNARY), sub)),
    max_leaves=5)


def cpython_folds(fn):
    """Whether CPython folded fn's return expression into one constant."""
    ops = {i.opname for i in dis.get_instructions(fn)}
    return ops <= {"RESUME", "LOAD_CONST", "RETURN_VALUE", "RETURN_CONST"}


@SETTINGS
@given(constant_expressions)
def test_folding_matches_cpythons_own_on_random_expressions(expression):
    f = returning(expression)
    assume(cpython_folds(f))
    expected = f()
    jitted = njit(f)
    if type(expected) is int and not INT64_MIN <= expected <= UINT64_MAX:
        with pytest.raises(TypingError, match="Int value is too large"):
            jitted()
        return
    assert_same(jitted(), expected, wrap=False, where=expression)
    assert_compiled(jitted)


# --- 2. forceobj never turns @njit or nopython=True into object mode --------

def adds_lengths(a, b):
    return len(a) + len(b)


def test_njit_ignores_forceobj_with_numbas_warning():
    with pytest.warns(RuntimeWarning,
                      match=r"^forceobj is set for njit and is ignored$"):
        f = njit(forceobj=True)(adds_lengths)
    assert f.targetoptions["nopython"] is True
    assert f.targetoptions["forceobj"] is False
    with pytest.raises(TypingError, match=r"cannot determine pyjit type of "
                                          r"<class .list.>"):
        f([1, 2.5], [2])    # a list of mixed items has no type: no fallback
    assert f.signatures == []


@pytest.mark.parametrize("value", [True, False])
def test_njit_ignores_nopython_with_numbas_warning(value):
    with pytest.warns(RuntimeWarning,
                      match=r"^nopython is set for njit and is ignored$"):
        f = njit(nopython=value)(adds_lengths)
    assert f.targetoptions["nopython"] is True
    assert f((1, 2), (3,)) == 3
    assert_compiled(f)


def test_jit_nopython_and_forceobj_together_is_a_value_error():
    with pytest.raises(ValueError, match=r"^Only one of 'nopython' or "
                                         r"'forceobj' can be True\.$"):
        jit(nopython=True, forceobj=True)(adds_lengths)
    with pytest.raises(ValueError, match="Only one of"):
        jit("int64(int64, int64)", nopython=True, forceobj=True)


def test_jit_forceobj_alone_still_runs_in_object_mode():
    f = jit(forceobj=True)(adds_lengths)
    assert f([1], [2, 3]) == 3
    (sig,) = f.signatures
    assert f.overloads[sig].objectmode


# --- 3. fastmath applies exactly the LLVM flags it names ---------------------

_LLVM_ORDER = ["reassoc", "nnan", "ninf", "nsz", "arcp", "contract", "afn"]
_FLOAT_OP = re.compile(r"= (fadd|fsub|fmul|fdiv|frem|fcmp) ((?:[a-z]+ )*?)"
                       r"(?:(?:[ou](?:eq|gt|ge|lt|le|ne)|ord|uno) )?"
                       r"(?:double|float) ")


def float_flags(f, ops=("fadd", "fsub", "fmul", "fdiv")):
    """The fast-math flags of each float operation `ops` of f's one
    specialization (its native function and its wrapper), as sets of
    Numba's names.  pyjit's own tests (a divisor against zero) carry
    none."""
    (ir,) = f.inspect_llvm().values()
    found = []
    for m in _FLOAT_OP.finditer(ir):
        words = set(m.group(2).split())
        if m.group(1) in ops:
            found.append(set(_LLVM_ORDER) if "fast" in words else words)
    assert found, ir
    return found


def muladd(x, y, z):
    return x * y + z - x / y


@pytest.mark.parametrize("option, flags", [
    (True, set(_LLVM_ORDER)),
    ({"fast"}, set(_LLVM_ORDER)),
    ({"contract", "nsz"}, {"contract", "nsz"}),
    ({"nnan"}, {"nnan"}),
    ({"reassoc", "arcp", "afn", "ninf"}, {"reassoc", "arcp", "afn", "ninf"}),
    ({"nnan": True, "ninf": False}, {"nnan"}),
    (False, set()),
    (set(), set()),
])
def test_fastmath_puts_exactly_the_named_flags_on_float_operations(option,
                                                                   flags):
    f = njit(fastmath=option)(muladd)
    assert f(1.5, 2.0, 0.25) == muladd(1.5, 2.0, 0.25)
    assert_compiled(f)
    assert all(found == flags for found in float_flags(f)), float_flags(f)
    expected_option = True if flags == set(_LLVM_ORDER) else \
        (frozenset(flags) if flags else False)
    assert f.targetoptions["fastmath"] == expected_option


def is_nan(x):
    return x != x


def test_nnan_lets_llvm_assume_no_nan_and_nsz_does_not():
    nnan = njit(fastmath={"nnan"})(is_nan)
    nsz = njit(fastmath={"nsz"})(is_nan)
    assert nnan(math.nan) is False          # x != x folded to False
    assert nsz(math.nan) is True
    assert "fcmp" not in next(iter(nnan.inspect_llvm().values()))
    assert float_flags(nsz, ops=("fcmp",)) == [{"nsz"}, {"nsz"}]


@pytest.mark.parametrize("option, message", [
    ({"nnan", "fastest"}, r"^Unrecognized fastmath flags: \{'fastest'\}$"),
    ({"contract": True, "fma": False},
     r"^Unrecognized fastmath flags: \{'fma'\}$"),
    (["nnan"], r"^Expected fastmath option\(s\) to be either a bool, dict "
               r"or set$"),
])
def test_an_unknown_fastmath_flag_is_a_value_error_naming_it(option,
                                                             message):
    with pytest.raises(ValueError, match=message):
        njit(fastmath=option)(muladd)


FLAGGED_CACHE = """
import json
from pyjit import njit

@njit(cache=True, fastmath={"nsz", "contract", "arcp", "nnan"})
def scale(x):
    return x * 3.0 / 7.0

print(json.dumps([scale(2.0), sum(scale.stats.cache_hits.values())]))
"""


def test_a_set_of_fastmath_flags_finds_its_cache_in_every_process(tmp_path):
    """The cache key of a set of flags is the same whatever order the set
    prints in (string hashes differ from process to process)."""
    path = tmp_path / "flagged.py"
    path.write_text(FLAGGED_CACHE)
    hits = []
    for seed in ("1", "2", "3"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        env.pop("PYJIT_DISABLE_JIT", None)
        out = subprocess.run([sys.executable, str(path)], capture_output=True,
                             text=True, env=env, cwd=tmp_path, timeout=120)
        assert out.returncode == 0, out.stderr
        value, hit = json.loads(out.stdout)
        assert value == 2.0 * 3.0 / 7.0
        hits.append(hit)
    assert hits == [0, 1, 1]


# --- 4. **kwargs: rejected clearly in nopython mode, run by object mode -----

VARKW_MESSAGE = (r"The use of VAR_KEYWORD \(e\.g\. \*\*kwargs\) is "
                 r"unsupported\. \(offending argument name is '\*\*options'\)")


def takes_options(a, **options):
    return a


def calls_with_options(x):
    return njit_takes_options(x, scale=2)


njit_takes_options = njit(takes_options)


@pytest.mark.parametrize("call", [
    lambda f: f(1),
    lambda f: f(1, scale=2),
    lambda f: f(a=1, scale=2, shift=3),
], ids=["no keywords", "a keyword", "keywords only"])
def test_njit_with_kwargs_says_the_parameter_is_not_supported(call):
    f = njit(takes_options)
    with pytest.raises(UnsupportedError) as e:
        call(f)
    msg = str(e.value)
    assert re.search(VARKW_MESSAGE, msg), msg
    lineno = line_number("def takes_options(a, **options):")
    assert f'File "{THIS_FILE}", line {lineno}:' in msg
    header = "def takes_options(a, **options):"
    caret = " " * (header.index("**options") + 2) + "^"  # at the parameter
    assert f"{header}\n{caret}" in msg
    assert "argument 1" not in msg      # the collected dict is not blamed
    assert f.signatures == []


def test_a_nopython_caller_gets_the_same_error():
    with pytest.raises(UnsupportedError, match=VARKW_MESSAGE):
        njit(calls_with_options)(1)


def test_an_explicit_signature_names_the_parameters_before_kwargs():
    with pytest.raises(UnsupportedError, match=VARKW_MESSAGE):
        njit("int64(int64)")(takes_options)
    with pytest.raises(TypeError, match=r"signature has 2 argument types "
                                        r"but takes_options\(\) takes 1"):
        njit("int64(int64, int64)")(takes_options)


def gathers(a, /, b=2, *rest, c=3, **named):
    total = a + b + c + sum(rest)
    for key in named:
        total += named[key]
    return total, sorted(named)


def gathers_in_a_loop(n, **weights):
    s = 0
    for i in range(n):
        s += i
    return s * weights.get("w", 1)


@pytest.mark.parametrize("options", [{}, {"forceobj": True},
                                     {"looplift": False}],
                         ids=["fallback", "forceobj", "no looplift"])
@pytest.mark.parametrize("args, kwargs", [
    ((1,), {}),
    ((1, 5), {"d": 6}),
    ((1, 2, 3, 4), {"c": 5, "d": 6, "a": 7}),    # a: positional-only
    ((10,), {"b": 1, "z": 0}),
])
def test_jit_runs_kwargs_in_object_mode(options, args, kwargs):
    f = jit(**options)(gathers)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert f(*args, **kwargs) == gathers(*args, **kwargs)
    falls_back = [w for w in caught
                  if re.search(VARKW_MESSAGE.replace("options", "named"),
                               str(w.message))]
    assert len(falls_back) == (0 if options.get("forceobj") else 1)
    assert all(ov.objectmode for ov in f.overloads.values())
    assert all(str(sig[-1]) == "pyobject" for sig in f.signatures)


def test_a_lifted_loop_runs_beside_kwargs():
    f = jit(gathers_in_a_loop)
    with pytest.warns(pyjit.PyjitWarning,
                      match=VARKW_MESSAGE.replace("options", "weights")):
        assert f(10) == 45
    assert f(10, w=3) == 135
    assert f(n=4, w=2, v=0) == 12
    (sig,) = f.signatures
    (loop,) = f.overloads[sig].lifted
    assert loop.nopython_signatures      # the loop compiled


# --- 5. np.sum / np.mean along any axis; library errors at the user's call --

@njit
def reductions(a, k):
    return np.sum(a, axis=k), a.sum(axis=k), np.mean(a, axis=k), \
        a.mean(axis=k)


def numpy_reductions(a, k):
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # mean of nothing
        return np.sum(a, axis=k), a.sum(axis=k), np.mean(a, axis=k), \
            a.mean(axis=k)


def assert_reduction_matches(got, expected, where):
    assert np.shape(got) == np.shape(expected), where
    if isinstance(expected, np.ndarray):
        assert isinstance(got, np.ndarray) and got.dtype == expected.dtype, \
            (where, got, expected)
    if np.asarray(expected).dtype.kind in "iub":
        assert np.array_equal(got, expected), (where, got, expected)
    else:
        rtol = 1e-5 if np.asarray(expected).dtype == np.float32 else 1e-12
        assert np.allclose(got, expected, rtol=rtol, atol=1e-9,
                           equal_nan=True), (where, got, expected)


# (dtype, ndim, non-contiguous): every ndim up to 4 for float64, in both
# layouts from 2-d, and dtypes whose sums accumulate in another type (each
# case is a compile of its own: they are few, the shapes and axes many).
_CASES = [(np.float64, nd, False) for nd in (1, 2, 3, 4)] + \
    [(np.float64, 2, True), (np.float64, 3, True), (np.int32, 3, False),
     (np.bool_, 2, True), (np.complex128, 2, False), (np.uint8, 2, False)]


@st.composite
def arrays_and_axes(draw):
    dtype, nd, strided = draw(st.sampled_from(_CASES))
    shape = tuple(draw(st.lists(st.integers(0, 4), min_size=nd,
                                max_size=nd)))
    size = int(np.prod(shape))
    if dtype == np.bool_:
        flat = np.array(draw(st.lists(st.booleans(), min_size=size,
                                      max_size=size)), dtype=bool)
    else:
        values = draw(st.lists(st.integers(-100, 100) if dtype in
                               (np.int32, np.uint8) else
                               st.floats(-1e3, 1e3), min_size=size,
                               max_size=size))
        flat = np.array(values, dtype=np.float64)
        if dtype == np.uint8:
            flat = np.abs(flat)
        flat = flat.astype(dtype)
        if dtype == np.complex128:
            flat = flat + 1j * flat[::-1]
    a = flat.reshape(shape)
    if strided:
        a = np.swapaxes(a, 0, -1) if nd > 1 else a[::-1]
    k = draw(st.integers(-a.ndim, a.ndim - 1))
    return a, k


@SETTINGS
@given(arrays_and_axes())
def test_sum_and_mean_along_every_axis_match_numpy(case):
    a, k = case
    got = reductions(a, k)
    expected = numpy_reductions(a, k)
    for name, g, e in zip(("np.sum", "a.sum", "np.mean", "a.mean"), got,
                          expected):
        assert_reduction_matches(g, e, f"{name}(axis={k}) of {a!r}")
    assert_compiled(reductions)


@njit
def constant_axes(a):
    return np.sum(a, axis=-1), a.mean(axis=1), a.sum(axis=0), \
        np.mean(a, axis=-3)


def test_constant_axes_of_a_3d_array_match_numpy():
    a = np.arange(24.0).reshape(2, 3, 4) ** 1.5
    for g, e in zip(constant_axes(a), (np.sum(a, axis=-1), a.mean(axis=1),
                                       a.sum(axis=0), np.mean(a, axis=-3))):
        assert_reduction_matches(g, e, "constant axis")


@njit
def sum_first_axis_of_1d(a):
    return np.sum(a, axis=0), a.mean(axis=-1)


def test_axis_0_of_a_1d_array_is_a_number():
    a = np.array([1.5, 2.0, 4.25])
    assert sum_first_axis_of_1d(a) == (7.75, 7.75 / 3)
    assert_compiled(sum_first_axis_of_1d)


@pytest.mark.parametrize("a, k", [(np.ones(3), 1), (np.ones((2, 3)), -3),
                                  (np.ones((2, 2, 2, 2)), 4)])
def test_an_axis_out_of_bounds_at_run_time_is_numpys_axis_error(a, k):
    with pytest.raises(np.exceptions.AxisError) as e:
        reductions(a, k)
    with pytest.raises(np.exceptions.AxisError) as numpy_error:
        np.sum(a, axis=k)
    assert str(e.value) == str(numpy_error.value)


def sum_axis_1(a):
    return np.sum(a, axis=1)


def mean_axis_minus_4(a):
    return a.mean(axis=-4)


def sum_float_axis(a):
    return np.sum(a, axis=1.5)


def sum_axes_keyword(a):
    return np.sum(a, axes=0)


def search_in_a_matrix(a, v):
    return np.searchsorted(a, v)


@pytest.mark.parametrize("func, args, message", [
    (sum_axis_1, (np.ones(3),),
     "np.sum(): axis 1 is out of bounds for an array of dimension 1"),
    (mean_axis_minus_4, (np.ones((2, 2, 2)),),
     "array.mean(): axis -4 is out of bounds for an array of dimension 3"),
    (sum_float_axis, (np.ones((2, 2)),),
     "np.sum(): axis must be an integer or None, not float64"),
    (sum_axes_keyword, (np.ones(2),),
     "np.sum(): got an unexpected keyword argument 'axes'"),
    (search_in_a_matrix, (np.ones((2, 2)), 1.0), "np.searchsorted(): "),
], ids=["constant axis", "method", "float axis", "keyword", "searchsorted"])
def test_a_library_typing_error_points_at_the_users_call(func, args,
                                                         message):
    with pytest.raises(TypingError) as e:
        njit(func)(*args)
    msg = str(e.value)
    assert msg.splitlines()[1].startswith(message), msg
    line = line_number(f"def {func.__name__}(")
    call = open(THIS_FILE).read().splitlines()[line]   # the line after it
    assert f'File "{THIS_FILE}", line {line + 1}:' in msg, msg
    assert f"{call}\n" + " " * call.index("np" if "np." in call else "a.") \
        + "^" in msg, msg
    assert re.search(rf"During: typing of call at \S*"
                     rf"test_adversarial_semantics\.py \({line + 1}\)", msg)
    assert "_numpy.py" not in msg


def first_element(a):
    if a.ndim == 1:
        return a[0]
    elif a.ndim == 2:
        return a[0, 0]
    return a[0, 0, 0]


def test_tests_of_an_array_arguments_ndim_are_decided_when_it_compiles():
    f = njit(first_element)
    for a in (np.arange(3.0) + 1, np.ones((2, 2)) * 2, np.ones((1, 1, 1))):
        assert f(a) == first_element(a)
    assert_compiled(f)
    assert len(f.signatures) == 3


# --- complex division by zero under error_model='numpy' ---------------------

@njit(error_model="numpy")
def complex_quotients(a, x, n):
    return a / n, x / n


@pytest.mark.parametrize("x", [0j, 1 + 1j, 1 + 0j, -2 - 0j, 3j])
def test_complex_division_by_zero_gives_numpys_inf_and_nan(x):
    a = np.array([x, 2 * x])
    with np.errstate(all="ignore"):
        expected_array = a / 0
        expected = np.complex128(x) / 0
    got_array, got = complex_quotients(a, x, 0)
    assert np.array_equal(got_array, expected_array, equal_nan=True)
    assert_same(got, complex(expected), where=f"{x!r} / 0")


# --- range() of unsigned integers ---------------------------------------------

@njit
def walk_range(start, stop, step):
    """How many items (up to 5), the first and the last of them, and the
    range's truth."""
    n = 0
    first = last = stop
    for i in range(start, stop, step):
        if n == 0:
            first = i
        last = i
        n += 1
        if n == 5:
            break
    return n, first, last, bool(range(start, stop, step))


@FEW
@given(st.integers(0, UINT64_MAX), st.integers(0, UINT64_MAX),
       st.integers(1, UINT64_MAX))
def test_range_of_uint64_counts_as_python(start, stop, step):
    args = (np.uint64(start), np.uint64(stop), np.uint64(step))
    assert walk_range(*args) == walk_range.py_func(*args)
    assert_compiled(walk_range)


@njit
def count_range(stop):
    n = 0
    for _ in range(stop):
        n += 1
        if n == 3:
            break
    return n


@njit
def mixed_range(start, stop):
    total = 0
    for i in range(start, stop):
        total += i
    return total


@njit
def range_len(stop):
    return len(range(stop))


def test_range_of_uint64_items_beyond_int64():
    # Numba counts these ranges with int64 arithmetic: 0 items, and
    # range(1, 2**63 + 1, 2**62) is empty there too
    assert count_range(np.uint64(2 ** 63)) == 3
    assert count_range(np.uint64(UINT64_MAX)) == 3
    big = (np.uint64(1), np.uint64(2 ** 63 + 1), np.uint64(2 ** 62))
    assert walk_range(*big) == (2, 1, 2 ** 62 + 1, True)
    top = (np.uint64(UINT64_MAX - 2), np.uint64(UINT64_MAX), np.uint64(1))
    assert walk_range(*top) == (2, UINT64_MAX - 2, UINT64_MAX - 1, True)
    sig = [s for s in walk_range.nopython_signatures if s.args == (
        pyjit.uint64,) * 3]
    assert str(sig[0].return_type) == "Tuple(int64, uint64, uint64, bool)"
    with pytest.raises(OverflowError,
                       match="^Python int too large to convert to C ssize_t$"):
        range_len(np.uint64(2 ** 63))
    assert range_len(np.uint64(2 ** 63 - 1)) == 2 ** 63 - 1


def test_range_of_signed_and_unsigned_refuses_what_would_wrap():
    assert mixed_range(-2, np.uint64(3)) == 0 - 2 - 1 + 1 + 2
    assert mixed_range(np.uint64(2 ** 63 - 2), 2 ** 63 - 1) == 2 ** 63 - 2
    with pytest.raises(OverflowError, match=re.escape(
            "range() of signed and unsigned integers: a uint64 argument of "
            "2**63 or more does not fit its int64 items")):
        mixed_range(0, np.uint64(2 ** 63))


# --- round(int, ndigits) near the ends of int64 -------------------------------

@njit
def round_to(n, ndigits):
    return round(n, ndigits)


def wrapped(n):
    """n as int64 arithmetic holds it: modulo 2**64."""
    return (n + 2 ** 63) % 2 ** 64 - 2 ** 63


@SETTINGS
@given(st.one_of(int64s, st.sampled_from([INT64_MIN, INT64_MAX,
                                          INT64_MAX - 4, INT64_MIN + 5])),
       st.integers(-40, 3))
def test_round_of_an_int_is_pythons_wrapped_to_int64(n, ndigits):
    assert round_to(n, ndigits) == wrapped(round(n, ndigits))
    assert_compiled(round_to)


def test_round_of_an_int_at_the_ends_of_int64():
    assert round_to(INT64_MAX, -1) == wrapped(9223372036854775810)
    assert round_to(INT64_MIN, -1) == wrapped(-9223372036854775810)
    assert round_to(INT64_MAX, -18) == 9 * 10 ** 18
    assert round_to(-9 * 10 ** 18, -19) == wrapped(-10 ** 19)
    assert round_to(5 * 10 ** 18, -19) == 0           # half to even
    assert round_to(INT64_MAX, -20) == 0
    assert round_to(INT64_MIN, INT64_MIN) == 0
    assert round_to(-25, -1) == -20 and round_to(-15, -1) == -20
