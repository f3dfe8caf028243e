"""Behaviour that needs a fresh interpreter: what `import pyjit` does,
PYJIT_DISABLE_JIT, PYJIT_DUMP and examples/tour.py."""
import os
import subprocess
import sys
import textwrap


ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_python(code=None, args=(), env=None, cwd=None, tmp_path=None):
    """Run `code` (written to a file, since pyjit compiles from source files)
    in a fresh interpreter; return the CompletedProcess."""
    full_env = {k: v for k, v in os.environ.items()
                if not k.startswith("PYJIT_")}
    full_env.update(env or {})
    cmd = [sys.executable]
    if code is not None:
        path = os.path.join(tmp_path, "script.py")
        with open(path, "w") as f:
            f.write(textwrap.dedent(code))
        cmd.append(path)
    cmd.extend(args)
    return subprocess.run(cmd, capture_output=True, text=True, env=full_env,
                          cwd=cwd or tmp_path, timeout=120)


def check(proc):
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


# --- import pyjit ------------------------------------------------------------

def test_import_adds_only_pyjit_modules(tmp_path):
    proc = check(run_python("""
        import sys
        import numpy
        before = set(sys.modules)
        import pyjit
        new = sorted(set(sys.modules) - before)
        print(",".join(new))
    """, tmp_path=str(tmp_path)))
    new = proc.stdout.strip().split(",")
    assert "pyjit" in new and "pyjit._core" in new
    others = [m for m in new if m != "pyjit" and not m.startswith("pyjit.")]
    assert others == [], others


def test_import_does_not_import_inspect(tmp_path):
    # numpy imports inspect itself, so look at what `import pyjit` adds, and
    # also hide the module altogether: importing pyjit must not need it.
    proc = check(run_python("""
        import sys
        import numpy
        had_inspect = "inspect" in sys.modules
        saved = sys.modules.pop("inspect", None)
        import pyjit
        print("inspect" in sys.modules)
    """, tmp_path=str(tmp_path)))
    assert proc.stdout.split() == ["False"]


def test_import_does_not_start_llvm(tmp_path):
    proc = check(run_python("""
        import pyjit
        print(pyjit._core._jit_started())
        @pyjit.njit
        def add(a, b):
            return a + b
        print(pyjit._core._jit_started())
        print(add(1, 2))
        print(pyjit._core._jit_started())
    """, tmp_path=str(tmp_path)))
    assert proc.stdout.split() == ["False", "False", "3", "True"]


def test_first_compile_does_not_need_inspect(tmp_path):
    # The source comes from linecache; `inspect` (about 10 ms to import) is
    # kept off the compile path.
    proc = check(run_python("""
        import sys
        import numpy
        import pyjit
        sys.modules["inspect"] = None     # any `import inspect` now fails
        @pyjit.njit
        def add(a, b):
            return a + b
        print(add(1, 2), add(1.5, 2.0))
    """, tmp_path=str(tmp_path)))
    assert proc.stdout.split() == ["3", "3.5"]


def test_array_loop_compiles_without_the_numpy_library(tmp_path):
    # pyjit/_numpy.py and its parts (about 20 ms to import) load when code
    # names a library function or method, not for a.shape and a[i]
    proc = check(run_python("""
        import sys
        import numpy as np
        import pyjit
        @pyjit.njit
        def dot(a, b):
            s = 0.0
            for i in range(a.shape[0]):
                s += a[i] * b[i] + a.size + a.ndim + len(a.strides)
            return s
        print(dot(np.ones(3), np.ones(3)), "pyjit._numpy" in sys.modules)
        @pyjit.njit
        def total(a):
            return a.sum()
        print(total(np.ones(3)), "pyjit._numpy" in sys.modules)
    """, tmp_path=str(tmp_path)))
    assert proc.stdout.split() == ["18.0", "False", "3.0", "True"]


# --- PYJIT_DISABLE_JIT -------------------------------------------------------

DISABLED = """
    import pyjit
    from pyjit import jit, njit

    class Box:
        def __init__(self, x):
            self.x = x

    @jit
    def add(a, b):
        return a + b

    @njit("int64(int64, int64)")
    def mul(a, b):
        return a * b

    @njit(nogil=True)
    def uses_attr(o):
        return o.x + 1

    @njit
    def uses_with(path):
        with open(path) as f:
            return len(f.read())

    print(repr(add(1, 2)), repr(add(1.5, 2.0)), repr(add("a", "b")))
    print(repr(mul(2.5, 2)))
    print(uses_attr(Box(41)))
    print(uses_with(__file__) > 0)
    print(add.signatures, mul.signatures, uses_attr.signatures)
    print(isinstance(add, pyjit.Dispatcher), add.py_func.__name__)
    print(pyjit._core._jit_started())
"""


def test_disable_jit_runs_the_python_function(tmp_path):
    proc = check(run_python(DISABLED, env={"PYJIT_DISABLE_JIT": "1"},
                            tmp_path=str(tmp_path)))
    lines = proc.stdout.splitlines()
    assert lines[0] == "3 3.5 'ab'"
    assert lines[1] == "5.0"            # no int64 conversion: plain Python
    assert lines[2] == "42"
    assert lines[3] == "True"
    assert lines[4] == "[] [] []"
    assert lines[5] == "True add"
    assert lines[6] == "False"


def test_without_disable_jit_the_same_script_compiles(tmp_path):
    proc = run_python(DISABLED, tmp_path=str(tmp_path))
    # add("a", "b") compiles too (strings are unicode_type); then
    # mul(2.5, 2) matches no explicit signature and stops it.
    assert proc.returncode != 0
    assert proc.stdout.splitlines()[0] == "3 3.5 'ab'"
    assert "object mode" not in proc.stderr
    assert "No matching definition for argument type(s) float64, int64" \
        in proc.stderr


def test_disable_jit_zero_means_enabled(tmp_path):
    proc = check(run_python("""
        import pyjit
        @pyjit.njit
        def add(a, b):
            return a + b
        print(add(1, 2), add.signatures)
    """, env={"PYJIT_DISABLE_JIT": "0"}, tmp_path=str(tmp_path)))
    assert proc.stdout.strip() == "3 [(int64, int64)]"


# --- PYJIT_DUMP --------------------------------------------------------------

DUMP_SCRIPT = """
    from pyjit import njit
    @njit
    def add(a, b):
        return a + b
    print(add(1, 2))
"""


def test_dump_all_stages(tmp_path):
    proc = check(run_python(DUMP_SCRIPT, tmp_path=str(tmp_path),
                            env={"PYJIT_DUMP": "ir,typed,llvm,opt,asm"}))
    assert proc.stdout.strip() == "3"
    err = proc.stderr
    # one section per stage, in pipeline order
    stages = ["IR", "typed IR", "LLVM IR", "optimized LLVM IR", "assembly"]
    positions = []
    for stage in stages:
        header = f"---- {stage}: add (int64, int64) ----"
        assert err.count(header) == 1, err
        positions.append(err.index(header))
    assert positions == sorted(positions)
    ir = err[positions[0]:positions[1]]
    typed = err[positions[1]:positions[2]]
    assert "$0.1 = a + b\n" in ir and "::" not in ir
    assert "$0.1 = a + b  :: int64" in typed
    llvm = err[positions[2]:positions[3]]
    opt = err[positions[3]:positions[4]]
    asm = err[positions[4]:]
    for text in (llvm, opt):
        assert "define" in text and "cpython." in text
    assert "ret" in asm and "cpython." in asm


def test_dump_one_stage(tmp_path):
    proc = check(run_python(DUMP_SCRIPT, tmp_path=str(tmp_path),
                            env={"PYJIT_DUMP": "typed"}))
    err = proc.stderr
    assert "---- typed IR: add (int64, int64) ----" in err
    assert "---- IR:" not in err
    assert "LLVM IR" not in err
    assert "assembly" not in err


def test_a_callee_two_callees_share_is_linked_once(tmp_path):
    # left and right both call shared: top's module holds one definition
    # of it (both callees' copies are one specialization), which LLVM
    # then optimizes once
    proc = check(run_python("""
        from pyjit import njit
        @njit
        def shared(x):
            return x * 2
        @njit
        def left(x):
            return shared(x) + 1
        @njit
        def right(x):
            return shared(x) - 1
        @njit
        def top(x):
            return left(x) + right(x)
        print(top(3), shared(4))
    """, tmp_path=str(tmp_path), env={"PYJIT_DUMP": "llvm"}))
    assert proc.stdout.split() == ["12", "8"]
    err = proc.stderr
    top = err[err.index("---- LLVM IR: top (int64) ----"):]
    top = top[:top.index("\n---- ")] if "\n---- " in top else top
    defines = [line for line in top.splitlines()
               if line.startswith("define") and "shared$" in line
               and "cpython." not in line]
    assert len(defines) == 1, defines
    assert len([line for line in top.splitlines()
                if line.startswith("define") and ".left$" in line
                and "cpython." not in line]) == 1


def test_no_dump_without_the_variable(tmp_path):
    proc = check(run_python(DUMP_SCRIPT, tmp_path=str(tmp_path)))
    assert proc.stderr == ""
    assert proc.stdout.strip() == "3"


def test_dump_every_compile(tmp_path):
    proc = check(run_python("""
        from pyjit import njit
        @njit
        def sq(x):
            return x * x
        @njit
        def f(a):
            return sq(a) + 1
        print(f(2), f(2.5))
    """, tmp_path=str(tmp_path), env={"PYJIT_DUMP": "typed"}))
    err = proc.stderr
    for key in ("f (int64)", "f (float64)", "sq (int64)", "sq (float64)"):
        assert err.count(f"---- typed IR: {key} ----") == 1, err


# --- examples/tour.py --------------------------------------------------------

def test_tour_runs_and_shows_both_specializations(tmp_path):
    proc = check(run_python(args=[os.path.join(ROOT, "examples", "tour.py")],
                            tmp_path=str(tmp_path)))
    out = proc.stdout
    assert out.count("add (int64, int64)\n" + "-" * 80) == 2
    assert out.count("add (float64, float64)\n" + "-" * 80) == 1
    assert "#   $0.1 = a + b  :: int64" in out
    assert "#   $0.1 = a + b  :: float64" in out
    assert "[(int64, int64), (float64, float64)]" in out
    assert "cpython." in out      # the wrapper in the assembly
    lines = out.splitlines()
    assert lines[0] == "2"
    assert "2.0" in lines
    # The caveat: object mode for @jit, then the nopython error.
    assert "2750000" in lines
    assert "add_object_n2_times (pyobject, pyobject, int64)\n" + "-" * 80 \
        in out
    assert "PyjitWarning: Compilation is falling back to object mode" \
        in proc.stderr
    assert "TypingError: Failed in nopython mode pipeline" in out


def test_a_module_with_future_annotations_compiles(tmp_path):
    # The future statement is in the function's code flags; compiling the
    # definition again to check it is the code Python runs keeps it there.
    proc = check(run_python("""
        from __future__ import annotations
        import numpy as np
        from pyjit import njit

        @njit
        def scaled_sum(x: np.ndarray, k: int) -> float:
            return x.sum() * k

        @njit("float64(float64)")
        def half(v: float) -> float:
            return v / 2

        print(scaled_sum(np.arange(4.0), 2), half(3.0),
              scaled_sum.py_func.__annotations__["x"])
    """, tmp_path=str(tmp_path)))
    assert proc.stdout.split() == ["12.0", "1.5", "np.ndarray"]
