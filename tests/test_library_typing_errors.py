"""A library function (pyjit/_np_*.py) that compiled for one argument type
and is then called with a type it has no implementation for: a TypingError
at the user's call, naming the NumPy function, never a crash or a
LoweringError.  Its helpers compiled by the first call are reused by the
second; their types are final, so the second is typed (and its errors
reported) like any other.

Each case runs in a fresh interpreter, so that a compiler crash fails the
test instead of ending the test run; it prints its findings as JSON."""
import json
import os
import subprocess
import sys
import textwrap

import pytest

import pyjit
from pyjit import njit
from pyjit.errors import TypingError
from difftest import assert_compiled

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SCRIPT = """
import json, sys
import numpy as np
import pyjit

rng = np.random.default_rng(7)


@pyjit.njit
def user_call(a):
    return np.{name}(a)


def same(x, y):
    if isinstance(y, tuple):
        return all(same(p, q) for p, q in zip(x, y))
    return np.array_equal(x, y, equal_nan=True)


def good_calls():
    ok = True
    for shape in [(0,), (1,), (7,), (40,), (3, 5)]:
        # distinct values: argsort's order of equal ones is NumPy's kind's
        ints = rng.permutation(np.prod(shape, dtype=np.int64)) - 5
        for a in (rng.standard_normal(shape), ints.reshape(shape)):
            ok &= same(user_call(a), np.{name}(a))
    return ok


first = good_calls()
try:
    user_call({bad})
    error = None
except pyjit.errors.TypingError as e:
    error = str(e)
except Exception as e:
    error = type(e).__name__ + ": " + str(e)
sigs = [str(s) for s in user_call.signatures]
print(json.dumps({{"first": first, "error": error, "again": good_calls(),
                  "sigs": sigs}}))
"""


def run_case(tmp_path, name, bad):
    """Compiles np.<name> for float and int arrays, then calls it with
    `bad` (source text); what the child found."""
    (tmp_path / "main.py").write_text(SCRIPT.format(name=name, bad=bad))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYJIT_")}
    env["PYTHONPATH"] = os.pathsep.join([ROOT, str(tmp_path)])
    proc = subprocess.run([sys.executable, "main.py"], capture_output=True,
                          text=True, env=env, cwd=tmp_path, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return json.loads(proc.stdout.splitlines()[-1])


@pytest.mark.parametrize("name, bad, why", [
    # the sort's comparison of records, in a helper of a helper
    ("argsort", "np.zeros(4, np.dtype([('x', np.float64)]))",
     "No implementation of <"),
    # the bins' edges, floats, of complex numbers
    ("histogram", "np.ones(4, np.complex128)",
     "No implementation of function Function(<class 'float'>)"),
    # `a.ndim == 0` decides a branch for arrays, not for a list
    ("around", "[1.0, 2.0]", "Unknown attribute 'ndim'"),
])
def test_second_type_is_a_typing_error_at_the_call(tmp_path, name, bad, why):
    found = run_case(tmp_path, name, bad)
    assert found["first"] and found["again"]
    error = found["error"]
    assert error is not None and "Lowering" not in error
    assert f"np.{name}(): {why}" in error
    assert "main.py\", line 11" in error and f"return np.{name}(a)" in error
    assert found["sigs"] and not any("pyobject" in s for s in found["sigs"])


@njit
def echo(x):
    return x


@njit
def below_zero(x):
    echo(1.0)           # compiled by the first call, reused by the second
    return x < 0


@njit
def calls_below_zero(x):
    return below_zero(x)


def test_a_helper_reusing_compiled_code_reports_its_own_error():
    """The same shape in user code: the error is the comparison's, where
    it is, not a guess about recursion."""
    for x in (-2.5, 0.0, 3.0):
        assert calls_below_zero(x) == (x < 0)
    assert_compiled(calls_below_zero)
    with pytest.raises(TypingError) as info:
        calls_below_zero(1j)
    message = str(info.value)
    assert "No implementation of < for (complex128, int64)" in message
    assert "return x < 0" in message
    assert "recursive" not in message
