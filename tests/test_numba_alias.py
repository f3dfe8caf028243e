"""Programs written for Numba run on pyjit: `python -m pyjit run script.py`
and `pyjit.install_numba_alias()` answer `import numba` with pyjit.  Each
program runs in its own process and prints what it computed beside what
the plain Python functions (`.py_func`) compute, and that each compiled in
nopython mode."""
import os
import subprocess
import sys
import textwrap

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(tmp_path, source, *args, alias_by="cli"):
    script = tmp_path / "prog.py"
    script.write_text(textwrap.dedent(source))
    env = dict(os.environ, PYTHONPATH=ROOT)
    if alias_by == "cli":
        cmd = [sys.executable, "-m", "pyjit", "run", str(script), *args]
    else:
        cmd = [sys.executable, "-c",
               "import pyjit, runpy, sys; pyjit.install_numba_alias(); "
               f"sys.argv = [{str(script)!r}]; "
               f"runpy.run_path({str(script)!r}, run_name='__main__')"]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120,
                          env=env, cwd=tmp_path)


CHECK = """
def check(f, *args):
    import numpy as np
    got, want = f(*args), f.py_func(*args)
    assert np.allclose(got, want), (got, want)
    for sig in f.signatures:
        assert "pyobject" not in str(sig), sig
    print(f.__name__, "ok", got)
"""

NUMERIC = CHECK + """
import sys
import numpy as np
import numba
from numba import njit, jit, prange, vectorize, types
from numba.typed import List

assert numba.njit is sys.modules["pyjit"].njit

@njit(parallel=True)
def total(a):
    s = 0.0
    for i in prange(a.shape[0]):
        s += np.sqrt(a[i])
    return s

@jit          # Numba 0.59+: nopython
def rows(m):
    out = np.empty(m.shape[0])
    for i in range(m.shape[0]):
        out[i] = m[i].sum()
    return out

@vectorize(["float64(float64, float64)"])
def hyp(x, y):
    return (x * x + y * y) ** 0.5

@njit("float64(float64[:])")
def first(a):
    return a[0]

@njit
def listy(n):
    l = List()
    for i in range(n):
        l.append(i * 0.5)
    return sum(l)

check(total, np.arange(100.0))
check(rows, np.arange(12.0).reshape(3, 4))
check(first, np.arange(3.0))
check(listy, 7)
print("hyp", hyp(np.array([3.0]), np.array([4.0]))[0])
print("argv", sys.argv[1:])
"""


def test_numeric_program_runs_with_cli(tmp_path):
    proc = run(tmp_path, NUMERIC, "x", "--y")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.splitlines()
    assert [line.split()[:2] for line in out[:4]] == [
        ["total", "ok"], ["rows", "ok"], ["first", "ok"], ["listy", "ok"]]
    assert out[4:] == ["hyp 5.0", "argv ['x', '--y']"]


EXTENDING = CHECK + """
import numpy as np
from numba import njit, types
from numba.extending import overload, register_jitable
from numba.core.errors import TypingError
from numba.np.numpy_support import from_dtype, numpy_version
from numba.core.config import IS_WIN32, MACHINE_BITS
import numba.core.types as ct

assert ct.float64 is types.float64
assert from_dtype(np.dtype(np.float32)) == types.float32
assert numpy_version == tuple(int(p) for p in np.__version__.split(".")[:2])
assert IS_WIN32 is False and MACHINE_BITS == 64

def norm1(x):
    return np.abs(x).sum()

@overload(norm1)
def ol_norm1(x):
    if isinstance(x, types.Array) and isinstance(x.dtype, types.Float):
        def impl(x):
            s = 0.0
            for v in x:
                s += abs(v)
            return s
        return impl

@register_jitable
def clamp(x, lo, hi):
    return min(max(x, lo), hi)

@njit
def both(a):
    return norm1(a) + clamp(a[0], 0.0, 1.0)

check(both, np.array([-2.0, 0.5, 3.0]))
# numba_celltree annotates its factories with types.Callable
from numba import typeof
assert isinstance(typeof(both), types.Callable)
assert not isinstance(types.float64, types.Callable)

@njit
def bad(a):
    return norm1(a)

try:
    bad(np.arange(3))
except TypingError as e:
    print("TypingError", "norm1" in str(e), "array(int64, 1d, C)" in str(e))
"""


def test_extending_program_runs_with_alias(tmp_path):
    proc = run(tmp_path, EXTENDING, alias_by="call")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0].startswith("both ok")
    assert proc.stdout.splitlines()[1] == "TypingError True True"


MISSING = """
import numba
try:
    from numba import generated_jit
except ImportError as e:
    print("ImportError:", e)
try:
    numba.gdb
except AttributeError as e:
    print("AttributeError:", e)
try:
    import numba.pycc
except ImportError as e:
    print("ImportError:", e)
print(hasattr(numba, "no_such_thing"))
"""


def test_missing_numba_names_say_so(tmp_path):
    proc = run(tmp_path, MISSING)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("ImportError:") and "generated_jit" in lines[0]
    assert "overload" in lines[0]                   # the closest feature
    assert lines[1].startswith("AttributeError:") and "gdb" in lines[1]
    assert "debug=True" in lines[1]
    assert "numba.pycc" in lines[2] and "cache=True" in lines[2]
    assert lines[3] == "False"


def test_an_imported_numba_is_replaced(tmp_path):
    source = """
    import numba, pyjit
    before = numba.njit
    alias = pyjit.install_numba_alias()
    import numba as again
    print(before is pyjit.njit, again is alias, again.njit is pyjit.njit)
    """
    script = tmp_path / "prog.py"
    script.write_text(textwrap.dedent(source))
    proc = subprocess.run([sys.executable, str(script)], capture_output=True,
                          text=True, timeout=120,
                          env=dict(os.environ, PYTHONPATH=ROOT))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["False", "True", "True"]


def test_run_without_a_script_is_a_usage_error(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "pyjit", "run"],
                          capture_output=True, text=True, timeout=60,
                          env=dict(os.environ, PYTHONPATH=ROOT))
    assert proc.returncode == 2 and "usage" in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "pyjit", "run", "nope.py"],
                          capture_output=True, text=True, timeout=60,
                          env=dict(os.environ, PYTHONPATH=ROOT), cwd=tmp_path)
    assert proc.returncode == 2 and "no such file" in proc.stderr


def test_documentation_program(tmp_path):
    """A program as the Numba documentation writes it."""
    source = """
    from numba import jit
    import numpy as np

    x = np.arange(100).reshape(10, 10)

    @jit(nopython=True)
    def go_fast(a):
        trace = 0.0
        for i in range(a.shape[0]):
            trace += np.tanh(a[i, i])
        return a + trace

    print(np.allclose(go_fast(x), go_fast.py_func(x)))
    """
    proc = run(tmp_path, source)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "True"


JIT_MODULE = """
# numba's docs/source/user/jit-module.rst
import numpy as np
from numba import jit, jit_module

def inc(x):
   return x + 1

def add(x, y):
   return inc(x) + y

mean = np.mean

jit_module(nopython=True, error_model="numpy")

def div(a, b):
    return a / b

print(add(1, 2), add.py_func(1, 2), type(add).__name__,
      mean is np.mean, type(div).__name__)
print(add.nopython_signatures, inc.nopython_signatures)
"""


def test_jit_module_jits_the_functions_defined_so_far(tmp_path):
    # functions the module imports (np.mean) and defines after the call
    # (div) stay as they are
    proc = run(tmp_path, JIT_MODULE)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].split() == ["4", "4", "Dispatcher", "True", "function"]
    assert lines[1] == "[(int64, int64) -> int64] [(int64,) -> int64]"


THREADING_LAYER = """
import numpy as np
from numba import njit, threading_layer

try:
    threading_layer()
except ValueError as e:
    print(e)

@njit(parallel=True)
def foo(a, b):
    return a + b

x = np.arange(3.)
print(foo(x, x), threading_layer())
"""


def test_threading_layer_is_chosen_by_the_first_parallel_call(tmp_path):
    # numba's docs/source/user/threading-layer.rst: an array of 3 elements
    # runs in one chunk, yet the layer is initialized, as in Numba
    proc = run(tmp_path, THREADING_LAYER)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        "Threading layer is not initialized.", "[0. 2. 4.] omp"]


SUBMODULES = """
import numba

def power(x, n):
    raise NotImplementedError

@numba.extending.overload(power)
def ov_power(x, n):
    if isinstance(n, numba.types.IntegerLiteral) and n.literal_value == 2:
        return lambda x, n: x * x
    if not isinstance(n, numba.types.Literal):
        return lambda x, n: numba.literally(n)
    return lambda x, n: x ** n

@numba.njit
def run(x, n):
    d = numba.typed.Dict.empty(numba.types.int64, numba.types.int64)
    d[n] = power(x, n)
    return d[n]

print(run(3, 2), run(3, 3), len(run.signatures))
"""


def test_submodules_are_attributes_of_the_package(tmp_path):
    # numba.typed, numba.extending and numba.literally as a program that
    # never imports the submodules by name reaches them
    proc = run(tmp_path, SUBMODULES)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["9", "27", "2"]


ERRORS_AND_PNDINDEX = """
import warnings
import numpy as np
import numba
from numba import (NumbaDeprecationWarning, NumbaPendingDeprecationWarning,
                   NumbaPerformanceWarning, NumbaError, TypingError, njit,
                   pndindex)
from numba.core.errors import (NumbaSystemWarning, UnsupportedRewriteError,
                               UnsupportedError)

# the filters programs set before their first compile
warnings.simplefilter("ignore", category=NumbaDeprecationWarning)
warnings.simplefilter("ignore", category=NumbaPerformanceWarning)
warnings.simplefilter("ignore", category=NumbaSystemWarning)
print(issubclass(UnsupportedRewriteError, UnsupportedError),
      issubclass(TypingError, NumbaError),
      numba.NumbaPendingDeprecationWarning is NumbaPendingDeprecationWarning)

@njit(parallel=True)
def doubled(a):
    out = np.zeros_like(a)
    for idx in pndindex(a.shape):
        out[idx] = a[idx] * 2
    return out

@njit
def weighted(n):
    s = 0
    for i, j in numba.pndindex(n, 3):
        s += i * 10 + j
    return s

a = np.arange(12.0).reshape(3, 4)
print((doubled(a) == doubled.py_func(a)).all(), weighted(4) == weighted.py_func(4),
      list(pndindex(2, 2)) == list(np.ndindex(2, 2)), numba.bool is numba.boolean)
try:
    weighted("three")
    raised = "nothing"
except NumbaError as e:
    raised = type(e).__name__
print(raised)
"""


def test_numba_error_classes_and_pndindex_at_the_top_level(tmp_path):
    proc = run(tmp_path, ERRORS_AND_PNDINDEX, alias_by="call")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "True True True"
    assert lines[1] == "True True True True"
    assert lines[2] == "TypingError"


# The processes a program starts run on pyjit too: its multiprocessing
# workers (which import the script again as __mp_main__, with the parent's
# sys.path), and a subprocess of the same interpreter.
CHILDREN = """
import multiprocessing as mp, subprocess, sys
import numba

@numba.njit
def square(x):
    return x * x

def work(x):
    import pyjit
    return numba.njit is pyjit.njit, square(x), square.py_func(x)

def child(code):
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True,
                          text=True)
    return proc.stdout.strip() or proc.stderr

if __name__ == "__main__":
    for method in ("spawn", "forkserver", "fork"):
        with mp.get_context(method).Pool(2) as pool:
            print(method, pool.map(work, [3, 4]))
    print(child("import numba, pyjit; print(numba.njit is pyjit.njit)"))
    # a worker that puts Numba's own directory first on sys.path, as loky
    # and pytest's rootdir insertion do, still gets the alias
    print(child("import sys, importlib.util as u; "
                "sys.path.insert(0, u.find_spec('numpy').submodule_search_locations[0] + '/..'); "
                "from numba.typed import List; import pyjit; "
                "print(List is pyjit.typed.List)"))
"""


def test_processes_a_program_starts_run_under_the_alias(tmp_path):
    for alias_by in ("cli", "call"):
        proc = run(tmp_path, CHILDREN, alias_by=alias_by)
        assert proc.returncode == 0, proc.stderr
        lines = proc.stdout.splitlines()
        for method, line in zip(("spawn", "forkserver", "fork"), lines):
            assert line == f"{method} [(True, 9, 9), (True, 16, 16)]", lines
        assert lines[3:] == ["True", "True"], lines


def run_child_of_alias(child_code, pythonpath=ROOT):
    """What a subprocess running child_code prints, started by a process
    that installed the alias."""
    code = textwrap.dedent(f"""
        import subprocess, sys
        import pyjit
        pyjit.install_numba_alias()
        out = subprocess.run([sys.executable, "-c", {child_code!r}],
                             capture_output=True, text=True)
        print(out.stdout.strip() or out.stderr)
        """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True,
                          text=True, timeout=120,
                          env=dict(os.environ, PYTHONPATH=pythonpath))
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_a_process_without_pyjit_imports_numba():
    # what a child of another interpreter, where pyjit cannot be imported,
    # does: Numba itself
    out = run_child_of_alias(
        "import sys; sys.modules['pyjit'] = None; import numba; "
        "print(type(numba.njit(lambda: 1)).__module__)")
    assert out.strip().startswith("numba."), out


def test_a_sitecustomize_the_alias_shadows_still_runs(tmp_path):
    (tmp_path / "sitecustomize.py").write_text(
        "import os\nos.environ['SITE_RAN'] = 'yes'\n")
    out = run_child_of_alias(
        "import os, numba, pyjit; "
        "print(os.environ.get('SITE_RAN'), numba.njit is pyjit.njit)",
        pythonpath=f"{ROOT}{os.pathsep}{tmp_path}")
    assert out.split() == ["yes", "True"], out


def test_as_dtype_names_the_dtype_of_every_element_type(tmp_path):
    # numba.np.numpy_support.as_dtype, as typing functions of overloads use
    # it on the types of array elements: each dtype pyjit types comes back,
    # and a type that is no dtype is Numba's NumbaNotImplementedError
    source = """
    import enum
    import numpy as np
    import numba
    from numba import types
    from numba.core.errors import NumbaNotImplementedError
    from numba.np.numpy_support import as_dtype, from_dtype

    class Color(enum.IntEnum):
        RED = 1

    dtypes = ["i1", "u2", "i8", "f4", "f8", "c8", "c16", "?", "M8[s]",
              "m8[D]", "M8", "U3", "S5",
              np.dtype([("x", "f8"), ("y", "i4")])]
    for dt in map(np.dtype, dtypes):
        t = numba.typeof(np.empty(2, dt)).dtype
        assert as_dtype(t) == dt, (t, dt)
        assert as_dtype(from_dtype(dt)) == dt, dt
    assert as_dtype(numba.typeof(Color.RED)) == np.dtype("int64")
    for t in (types.unicode_type, types.float64[:], types.UniTuple(types.int64, 2)):
        try:
            as_dtype(t)
        except NumbaNotImplementedError as e:
            assert "cannot be represented as a NumPy dtype" in str(e), e
        else:
            raise AssertionError(t)
    print("ok")
    """
    proc = run(tmp_path, source)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["ok"]


def test_alias_modules_have_a_file(tmp_path):
    """os.path.dirname(numba.__file__), which programs read to find files
    beside a package, names pyjit's package directory."""
    proc = run(tmp_path, """
import os
import numba, numba.typed
import pyjit
print(os.path.dirname(numba.__file__) == os.path.dirname(pyjit.__file__),
      os.path.isfile(numba.typed.__file__))
""")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["True", "True"]


def test_the_dispatcher_class_under_numbas_names(tmp_path):
    """isinstance(f, CPUDispatcher), as programs tell jitted functions from
    plain ones, under each module Numba defines the class in."""
    proc = run(tmp_path, """
import numba
from numba.core.dispatcher import Dispatcher
from numba.core.registry import CPUDispatcher
from numba.core.target_extension import CPUDispatcher as TargetDispatcher

@numba.njit
def f(x):
    return x + 1

def g(x):
    return x + 1

for cls in (Dispatcher, CPUDispatcher, TargetDispatcher):
    print(isinstance(f, cls), isinstance(g, cls))
""")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["True", "False"] * 3


def test_what_numba_imports_and_disable_compile(tmp_path):
    # pymatting reads importlib.metadata after `import importlib`, which
    # works because `import numba` loads it; datashader compiles a
    # signature eagerly and then calls disable_compile().
    source = """
    import importlib
    import numpy as np
    import numba

    print(importlib.metadata.version("numpy") == np.__version__)

    @numba.jit("(uint32,)", nopython=True, nogil=True)
    def channel(x):
        return np.float64((x & 255) / 255)

    channel.disable_compile()
    print(channel(np.uint32(510)) == 254 / 255)

    @numba.jit("(float64,)", nopython=True)
    def half(x):
        return x / 2

    half.disable_compile()
    try:
        half(2j)
    except TypeError:
        print("TypeError")
    half.disable_compile(False)
    print(half(2j) == 1j)
    """
    proc = run(tmp_path, source)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["True", "True", "TypeError", "True"]


def test_the_files_of_numbas_types_package_are_attributes(tmp_path):
    # skglm converts jitclass specs with
    # isinstance(t, numba.core.types.npytypes.Array), with no import of
    # the file: Numba's types package imports its files itself
    source = """
    import numba
    from numba import float64

    spec = [("a", float64[:]), ("b", float64)]
    print([isinstance(t, numba.core.types.npytypes.Array) for _, t in spec])
    print(numba.types.npytypes.Array is numba.core.types.Array,
          numba.core.types.scalars.Float is numba.types.Float,
          numba.types.misc.NoneType is numba.core.types.NoneType)
    """
    proc = run(tmp_path, source)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["[True,", "False]", "True", "True", "True"]
