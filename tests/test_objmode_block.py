"""`with objmode(y='float64'):` inside nopython code: the block runs on the
interpreter, reads the function's variables and hands back the declared
outputs converted to their types, as Numba's numba.objmode does."""
import gc
import threading
import warnings

import numpy as np
import pytest
from hypothesis import given
import hypothesis.strategies as st

import pyjit
from pyjit import float64, jit, njit, objmode

from difftest import FEW, assert_compiled
from test_process import ROOT, check, run_python


def py_root(x):
    return float(np.sqrt(abs(x))) + 0.5


def reversed_array(x):
    return np.asarray(list(reversed(x.tolist())))


@given(st.integers(-10 ** 6, 10 ** 6))
@FEW
def test_scalar_output_differential(x):
    @njit
    def f(x):
        y = x * 2
        with objmode(z="float64"):
            z = py_root(y)
        return z + 1

    assert f(x) == f.py_func(x)
    assert_compiled(f)
    assert f.nopython_signatures[0].return_type == float64


def test_the_numba_docs_example_modifies_an_array_in_place():
    @njit
    def foo():
        x = np.arange(5)
        y = np.zeros_like(x)
        with objmode(y="intp[:]"):
            y += reversed_array(x)
        return y

    assert foo().tolist() == [4, 3, 2, 1, 0]
    assert_compiled(foo)


def test_array_and_int_outputs_with_nogil():
    @njit(nogil=True)
    def f(a):
        s = a.sum()
        with objmode(b="float64[:]", k="int64"):
            b = np.cumsum(a)
            k = len(b)
        return b * s, k

    out, k = f(np.arange(4.0))
    assert out.tolist() == [0.0, 6.0, 18.0, 36.0] and k == 4


def test_an_array_output_outlives_the_block():
    @njit
    def f(n):
        with objmode(a="float64[::1]"):
            a = np.arange(n) * 1.5
        total = 0.0
        for i in range(1000):
            total += a[i % n]
        return a, total

    gc.collect()
    a, total = f(7)
    assert a.tolist() == (np.arange(7) * 1.5).tolist()
    assert total == sum((np.arange(1000) % 7) * 1.5)


def make_words(n):
    return " ".join(["wörd"] * n)


def make_counts(n):
    d = pyjit.typed.Dict.empty(pyjit.types.unicode_type, pyjit.types.int64)
    for k in range(n):
        d[str(k)] = k * k
    return d


def make_values(n):
    lst = pyjit.typed.List.empty_list(pyjit.types.float64)
    for k in range(n):
        lst.append(k + 0.5)
    return lst


COUNTS = pyjit.types.DictType(pyjit.types.unicode_type, pyjit.types.int64)
VALUES = pyjit.types.ListType(pyjit.types.float64)
PAIR = pyjit.types.Tuple((pyjit.types.unicode_type, pyjit.types.float64[:]))


@njit
def outputs_that_hold_memory(n):
    with objmode(s="unicode_type", d=COUNTS, lst=VALUES, pair=PAIR):
        s = make_words(n)
        d = make_counts(n)
        lst = make_values(n)
        pair = (s.upper(), np.arange(n) * 2.0)
    d["x"] = -1
    lst.append(-1.0)
    total = 0.0
    for v in lst:
        total += v
    return s, len(d), d["x"], total, pair


def test_outputs_that_hold_memory_outlive_the_block():
    """A string, a typed Dict and List, and a tuple of a string and an array
    (of layout C, declared A) from the block, used after it and returned;
    a million calls leave memory flat."""
    from difftest import rss_bytes, rss_limit
    gc.collect()
    s, n, x, total, (upper, a) = outputs_that_hold_memory(3)
    assert s == "wörd wörd wörd" and upper == s.upper()
    assert (n, x, total) == (4, -1, 0.5 + 1.5 + 2.5 - 1.0)
    assert a.tolist() == [0.0, 2.0, 4.0]
    assert_compiled(outputs_that_hold_memory)
    for _ in range(2000):
        outputs_that_hold_memory(2)
    before = rss_bytes()
    for _ in range(200_000):
        outputs_that_hold_memory(2)
    assert rss_bytes() - before < rss_limit(4 << 20)


def test_types_given_as_pyjit_types():
    @njit
    def f(x):
        with objmode(y=pyjit.int32):
            y = x + 0.75
        return y

    assert f(2) == 2
    assert f.nopython_signatures[0].return_type == pyjit.int32


def test_a_block_without_outputs_runs_for_its_effects(capsys):
    @njit
    def f(x):
        with objmode():
            print("inside", x)
        return x + 1

    assert f(3) == 4
    assert capsys.readouterr().out == "inside 3\n"


def test_a_warning_from_the_block():
    @jit(nopython=True)
    def f(x):
        with objmode():
            warnings.warn("deprecated", DeprecationWarning)
        return x

    with pytest.warns(DeprecationWarning, match="deprecated"):
        assert f(1) == 1


def test_an_exception_in_the_block_propagates():
    @njit
    def f(x):
        with objmode(z="float64"):
            z = 1 / x
        return z

    assert f(4) == 0.25
    with pytest.raises(ZeroDivisionError):
        f(0)


@pytest.mark.parametrize("value, message", [
    ("'text'", "output 'z' is declared float64 but the block gave 'text'"),
    ("np.arange(3)", "output 'z' is declared float64"),
])
def test_an_output_of_the_wrong_type_is_a_type_error(tmp_path, value,
                                                     message):
    namespace = load(tmp_path, f"""
        @njit
        def f(x):
            with objmode(z="float64"):
                z = {value}
            return z
        """)
    with pytest.raises(TypeError, match=message.replace("(", r"\(")):
        namespace["f"](1)


def test_an_array_of_the_wrong_dtype_is_a_type_error():
    @njit
    def f(n):
        with objmode(a="float64[:]"):
            a = np.arange(n)
        return a

    with pytest.raises(TypeError, match=r"declared array\(float64, 1d, A\) "
                       r"but the block gave a value of type"):
        f(3)


def load(tmp_path, body):
    import textwrap
    path = tmp_path / "objmode_case.py"
    path.write_text("import numpy as np\nfrom pyjit import njit, objmode\n"
                    + textwrap.dedent(body))
    namespace = {}
    exec(compile(path.read_text(), str(path), "exec"), namespace)
    return namespace


@pytest.mark.parametrize("body, message", [
    ("""
     @njit
     def f(x):
         with objmode():
             z = x + 1
         return z
     """, "variable 'z' is assigned in the block and used outside it"),
    ("""
     @njit
     def f(x):
         with objmode(z='float64'):
             y = x
         return x
     """, "output 'z' is not assigned in the block"),
    ("""
     @njit
     def f(x):
         with objmode(z='float99'):
             z = x
         return z
     """, "invalid type 'float99' for output 'z'"),
    ("""
     @njit
     def f(x):
         with objmode(z='float64'):
             return x
     """, "a block cannot return or yield"),
    ("""
     @njit
     def f(x):
         with open("x") as fh:
             z = 1
         return z
     """, "'with' statement"),
])
def test_wrong_blocks_are_compile_errors(tmp_path, body, message):
    namespace = load(tmp_path, body)
    with pytest.raises(pyjit.PyjitError, match=message):
        namespace["f"](1)


def test_closure_variables_and_globals_in_the_block():
    scale = 3.0

    @njit
    def f(x):
        with objmode(y="float64"):
            y = py_root(x) * scale
        return y

    assert f(4) == (2.0 + 0.5) * 3.0


def test_threads_run_blocks_of_a_nogil_function():
    @njit(nogil=True)
    def f(n):
        t = 0.0
        for i in range(n):
            with objmode(v="float64"):
                v = float(i) * 0.5
            t += v
        return t

    results = []
    threads = [threading.Thread(target=lambda: results.append(f(200)))
               for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert results == [f.py_func(200)] * 4


def test_a_callee_with_a_block():
    @njit
    def inner(x):
        with objmode(y="int64"):
            y = int(py_root(x))
        return y

    @njit
    def outer(x):
        return inner(x) + inner(x + 1)

    assert outer(15) == outer.py_func(15)


CACHED = """
    from pyjit import njit, objmode

    def side(x):
        return x * 10

    @njit(cache=True)
    def f(x):
        with objmode(y="int64"):
            y = side(x)
        return y + 1

    @njit(cache=True)
    def g(x):
        return f(x) * 2

    print(f(1), g(1), f.stats.cache_hits[f.signatures[0]],
          g.stats.cache_hits[g.signatures[0]])
"""


def test_functions_with_blocks_are_cached(tmp_path):
    # the code names its block by key; loaded in another process, it finds
    # the block made again from the function's source
    env = {"PYJIT_CACHE_DIR": str(tmp_path / "c"), "PYTHONPATH": ROOT}
    for hits in ("0", "1"):
        proc = check(run_python(CACHED, env=env, tmp_path=str(tmp_path)))
        assert proc.stdout.split() == ["11", "22", hits, hits]


# A library module with blocks, and a program that only calls a function
# calling them: the second process loads all of it and meets each block
# first from loaded code.
BLOCK_LIBRARY = """
import numpy as np
from pyjit import njit, objmode


def scaled(a, k):
    if k < 0:
        raise ValueError(f"no negative scale: {k}")
    return a * k


@njit(cache=True)
def spread(a, k):
    with objmode(out="float64[:]"):
        out = scaled(a, k)
    return out


@njit(cache=True)
def total(a):
    s = 0.0
    for x in a:
        with objmode(y="float64"):
            y = float(np.float64(x) ** 2)
        s += y
    return s


@njit(cache=True)
def both(a, k):
    return spread(a, k).sum() + total(a)
"""

BLOCK_PROGRAM = """
import numpy as np
import blocklib

a = np.arange(4.0)
print(blocklib.both(a, 3), blocklib.both.stats.cache_hits[
    blocklib.both.signatures[0]])
try:
    blocklib.both(a, -1)
except ValueError as e:
    print("ValueError", e)
"""


def test_a_cached_caller_finds_the_blocks_of_its_callees(tmp_path):
    (tmp_path / "blocklib.py").write_text(BLOCK_LIBRARY)
    env = {"PYJIT_CACHE_DIR": str(tmp_path / "c"), "PYTHONPATH": ROOT}
    for hits in ("0", "1"):
        proc = check(run_python(BLOCK_PROGRAM, env=env,
                                tmp_path=str(tmp_path)))
        assert proc.stdout.splitlines() == [
            f"32.0 {hits}", "ValueError no negative scale: -1"]


CLOSURE_BLOCK = """
from pyjit import njit, objmode

def make(k):
    @njit(cache=True)
    def f(x):
        with objmode(y="int64"):
            y = x * k
        return y
    return f

f = make(5)
print(f(2), f.stats.cache_hits[f.signatures[0]])
"""


def test_a_block_in_a_function_made_by_another_is_not_cached(tmp_path):
    # its function cannot be found again by name: the code holds the
    # block's address
    env = {"PYJIT_CACHE_DIR": str(tmp_path / "c"), "PYTHONPATH": ROOT}
    for _ in range(2):
        proc = check(run_python(CLOSURE_BLOCK, env=env,
                                tmp_path=str(tmp_path)))
        assert proc.stdout.split() == ["10", "0"]


def test_disable_jit_runs_the_block_as_python(tmp_path):
    proc = check(run_python("""
        from pyjit import njit, objmode

        @njit
        def f(x):
            with objmode(y="float64"):
                y = x / 2
            return y

        print(f(3))
    """, env={"PYJIT_DISABLE_JIT": "1", "PYTHONPATH": ROOT},
        tmp_path=str(tmp_path)))
    assert proc.stdout.strip() == "1.5"
