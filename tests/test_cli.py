"""python -m pyjit --annotate-html: run a script, then report how its
functions compiled (the tutorial's `numba --annotate-html fail.html
nopython_failure.py`)."""
import html
import os
import re
import subprocess
import sys
import textwrap

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

NOPYTHON_FAILURE = """\
from pyjit import jit

class MyInt(object):
    def __init__(self, x):
        self.x = x

@jit
def add_object(a, b):
    for i in range(100):
        c = i
        f = i + 7
        l = c + f

    return a.x + b.x

a = MyInt(5)
b = MyInt(6)

print(add_object(a, b))
"""


def run_cli(tmp_path, script_text, *args, script="script.py"):
    path = tmp_path / script
    path.write_text(textwrap.dedent(script_text))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYJIT_")}
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run(
        [sys.executable, "-m", "pyjit", "--annotate-html", "out.html",
         script, *args], cwd=tmp_path, capture_output=True, text=True,
        env=env, timeout=120)


def rows(report):
    """(class, line number, source line) of each table row."""
    out = []
    for m in re.finditer(r"<tr class='(\w+)'><td class='num'>(\d+)</td>"
                         r"<td class='src'>(?:<details><summary>)?(.*?)"
                         r"(?:</summary>|</td>)", report):
        out.append((m.group(1), int(m.group(2)), html.unescape(m.group(3))))
    return out


def test_annotate_html_of_the_tutorials_object_mode_script(tmp_path):
    proc = run_cli(tmp_path, NOPYTHON_FAILURE, script="nopython_failure.py")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "11"          # the script really ran
    assert "falling back to object mode" in proc.stderr
    report = (tmp_path / "out.html").read_text()
    assert "add_object (pyobject, pyobject)" in report
    assert "object mode</span>" in report
    assert "the loop at line 9, lifted ()" in report
    assert "nopython</span>" in report
    table = rows(report)
    by_line = {}
    for cls, num, src in table:
        by_line.setdefault(num, []).append((cls, src.strip()))
    # The attribute access runs on the interpreter, the lifted loop natively.
    assert ("object", "return a.x + b.x") in by_line[14]
    assert ("native", "l = c + f") in by_line[12]
    assert all(cls != "object" for cls, _ in by_line[10])
    # The IR unfolds under its line.
    assert "getattr(value=a, attr=x)  :: pyobject" in html.unescape(report)
    assert "i + $2.2  :: int64" in html.unescape(report)


def test_annotate_html_of_a_nopython_function(tmp_path):
    proc = run_cli(tmp_path, """
        from pyjit import njit

        @njit
        def add(a, b):
            return a + b

        print(add(1, 2), add(1.5, 2.5))
    """)
    assert proc.returncode == 0, proc.stderr
    report = (tmp_path / "out.html").read_text()
    assert "add (int64, int64)" in report
    assert "add (float64, float64)" in report
    assert "object mode</span>" not in report
    assert [cls for cls, num, src in rows(report) if "return" in src] \
        == ["native", "native"]


def test_a_failing_script_still_gets_its_report(tmp_path):
    proc = run_cli(tmp_path, """
        from pyjit import njit

        @njit
        def ok(x):
            return x + 1

        @njit
        def bad(o):
            return o.x

        class A:
            x = 1

        ok(1)
        bad(A())
    """)
    assert proc.returncode == 1
    assert "TypingError" in proc.stderr
    assert "Unknown attribute 'x' of type pyobject" in proc.stderr
    report = (tmp_path / "out.html").read_text()
    assert "ok (int64,)" in report
    assert "not compiled" in report


def test_script_arguments_and_exit_status_pass_through(tmp_path):
    proc = run_cli(tmp_path, """
        import sys
        print(sys.argv[1:])
        sys.exit(3)
    """, "--flag", "x")
    assert proc.returncode == 3
    assert proc.stdout.strip() == "['--flag', 'x']"
    assert (tmp_path / "out.html").exists()


def test_missing_script_is_a_usage_error(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "pyjit", "--annotate-html", "out.html",
         "nope.py"], cwd=tmp_path, capture_output=True, text=True,
        timeout=60, env=dict(os.environ, PYTHONPATH=ROOT))
    assert proc.returncode == 2
    assert "cannot run 'nope.py': no such file" in proc.stderr
