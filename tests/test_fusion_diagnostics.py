"""dispatcher.parallel_diagnostics(level=1..4): which loops run on threads
and which array expressions were fused into one loop (golden text), and
the same in inspect_types and python -m pyjit --annotate-html."""
import inspect
import io
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import pyjit
from pyjit import njit

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@njit(parallel=True)
def kernel(x, y):
    s = 0.0
    for i in pyjit.prange(x.shape[0]):
        s += x[i]
    return np.sqrt(x * x + y * y).sum() + s, x * 2 + 1


@njit
def serial(x):
    t = x * 2
    return np.max(t - 1)


def header(f):
    first = inspect.getsourcelines(f.py_func)[1]    # the decorator's line
    rule = "=" * 80
    return (f"{rule}\n Parallel diagnostics: function "
            f"{f.py_func.__qualname__}, {inspect.getsourcefile(f.py_func)} "
            f"({first})\n{rule}\n")


def line_of(f, text):
    lines, first = inspect.getsourcelines(f.py_func)
    return first + next(i for i, s in enumerate(lines) if text in s)


def diagnostics(f, level):
    out = io.StringIO()
    f.parallel_diagnostics(level=level, file=out)
    return out.getvalue()


LEVEL1 = """\
Parallel loops: 3
  line {prange}: prange loop, reducing s
  line {expr}: array expression, reduced by sum
  line {expr}: array expression
"""

LEVEL2 = """
Array expressions fused into one loop: 2
  line {expr}: sum(sqrt(((x * x) + (y * y))))
      4 operations and the reduction, on threads, no arrays in between
  line {expr}: ((x * 2) + 1)
      2 operations, on threads, no arrays in between
"""

LEVEL3 = """
Array expressions fused into one loop: 2
  line {expr}: sum(sqrt(((x * x) + (y * y))))
      4 operations and the reduction, on threads, no arrays in between
      reads: x (array(float64, 1d, C)), y (array(float64, 1d, C))
      gives: float64
  line {expr}: ((x * 2) + 1)
      2 operations, on threads, no arrays in between
      reads: x (array(float64, 1d, C)), 2 (int64), 1 (int64)
      gives: array(float64, 1d, C)
"""


def lines():
    return {"prange": line_of(kernel, "prange"),
            "expr": line_of(kernel, "np.sqrt")}


@pytest.fixture(scope="module")
def compiled():
    x = np.arange(6.0)
    got = kernel(x, x)
    assert got[0] == np.sqrt(2 * x * x).sum() + x.sum()
    serial(x)
    return x


def test_level_1_lists_the_parallel_loops(compiled):
    assert diagnostics(kernel, 1) == header(kernel) + LEVEL1.format(**lines())


def test_level_2_shows_the_fused_expressions(compiled):
    assert diagnostics(kernel, 2) == (header(kernel) + LEVEL1 + LEVEL2).format(
        **lines())


def test_level_3_shows_what_they_read(compiled):
    assert diagnostics(kernel, 3) == (header(kernel) + LEVEL1 + LEVEL3).format(
        **lines())


def test_level_4_adds_the_typed_ir(compiled):
    text = diagnostics(kernel, 4)
    assert text.startswith(diagnostics(kernel, 3))
    assert "Typed IR after fusion:" in text
    assert ("arrayexpr(expr=((x * 2) + 1), ops=2, parallel)  :: "
            "array(float64, 1d, C)") in text


def test_serial_function(compiled):
    expr = line_of(serial, "np.max")
    assert diagnostics(serial, 2) == header(serial) + (
        "Parallel loops: 0\n"
        "  none: the function is not parallel=True\n\n"
        "Array expressions fused into one loop: 1\n"
        f"  line {expr}: max(((x * 2) - 1))\n"
        "      2 operations and the reduction, serial, no arrays in between\n")


@njit(parallel=True)
def lone(a, b):
    return a + b


def test_a_lone_operation_of_a_parallel_function_is_a_parallel_loop():
    # Numba makes a parallel loop of `a + b` in a parallel=True function
    x = np.arange(5.0)
    np.testing.assert_array_equal(lone(x, x), x + x)
    expr = line_of(lone, "a + b")
    assert diagnostics(lone, 2) == header(lone) + (
        "Parallel loops: 1\n"
        f"  line {expr}: array expression\n\n"
        "Array expressions fused into one loop: 1\n"
        f"  line {expr}: (a + b)\n"
        "      1 operation, on threads, no arrays in between\n")


def test_printed_to_stdout_by_default(compiled, capsys):
    kernel.parallel_diagnostics()
    assert capsys.readouterr().out == diagnostics(kernel, 1)


@pytest.mark.parametrize("level", [0, 5])
def test_level_out_of_range(compiled, level):
    with pytest.raises(ValueError, match="level is 1, 2, 3 or 4"):
        kernel.parallel_diagnostics(level=level)


def test_inspect_types_shows_the_fused_expression(compiled):
    out = io.StringIO()
    serial.inspect_types(file=out)
    assert "arrayexpr(expr=max(((x * 2) - 1)), ops=2)  :: float64" \
        in out.getvalue()


def test_annotate_html(tmp_path):
    script = tmp_path / "script.py"
    script.write_text(textwrap.dedent("""\
        import numpy as np
        from pyjit import njit

        @njit(parallel=True)
        def norm(x, y):
            return np.sqrt(x * x + y * y).sum()

        print(norm(np.ones(4), np.ones(4)))
        """))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYJIT_")}
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.run(
        [sys.executable, "-m", "pyjit", "--annotate-html", "out.html",
         "script.py"], cwd=tmp_path, capture_output=True, text=True,
        env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    report = (tmp_path / "out.html").read_text()
    assert "arrayexpr(expr=sum(sqrt(((x * x) + (y * y)))), ops=4, " \
           "parallel)" in report
    assert ("<summary>parallel diagnostics</summary><pre>Parallel loops: 1\n"
            "  line 6: array expression, reduced by sum\n") in report
