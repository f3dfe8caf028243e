"""cache=True for specializations on IntEnum and Enum members and on
jitted functions passed as arguments: the second process loads them.
Each test runs a script in fresh interpreters and reads the dispatchers'
stats; the results are compared with the plain Python functions'."""
import enum
import json
import os
import subprocess
import sys
import textwrap

from hypothesis import given, settings, strategies as st

from pyjit import njit

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SCRIPT = """
import enum, json, sys
from pyjit import njit

class Shade(enum.IntEnum):
    LIGHT = 1
    DARK = 7

class Color(enum.Enum):
    RED = 1
    GREEN = 2

@njit(cache=True)
def is_dark(s):
    return s == Shade.DARK

@njit(cache=True)
def shade_plus(s, n):
    return s + n

@njit(cache=True)
def is_red(c):
    return c == Color.RED

@njit(cache=True)
def same(c):
    return c

@njit
def inc(x):
    return x + OFFSET

@njit
def dbl(x):
    return x * 2

@njit(cache=True)
def apply(fn, x):
    return fn(x)

@njit(cache=True)
def apply_all(fns, x):
    s = 0
    for fn in fns:
        s += fn(x)
    return s

OFFSET = int(sys.argv[1]) if len(sys.argv) > 1 else 1
results = [is_dark(Shade.DARK), is_dark(Shade.LIGHT), shade_plus(Shade.DARK, 3),
           is_red(Color.RED), is_red(Color.GREEN), same(Color.GREEN) is Color.GREEN,
           apply(inc, 2), apply(dbl, 2), apply_all((inc, dbl), 3)]
stats = {d.__name__: [sum(d.stats.cache_hits.values()),
                      sum(d.stats.cache_misses.values())]
         for d in (is_dark, shade_plus, is_red, same, apply, apply_all)}
print(json.dumps({"results": results, "stats": stats}))
"""


def run(tmp_path, args=()):
    path = tmp_path / "members.py"
    path.write_text(textwrap.dedent(SCRIPT))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYJIT_")}
    env["PYTHONPATH"] = ROOT
    proc = subprocess.run([sys.executable, str(path), *args],
                          capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return json.loads(proc.stdout.splitlines()[-1])


def test_members_and_functions_load_from_cache(tmp_path):
    expected = [True, False, 10, True, False, True, 3, 4, 10]
    first = run(tmp_path)
    assert first["results"] == expected
    assert first["stats"] == {"is_dark": [0, 1], "shade_plus": [0, 1],
                              "is_red": [0, 1], "same": [0, 1],
                              "apply": [0, 2], "apply_all": [0, 1]}
    second = run(tmp_path)
    assert second["results"] == expected
    assert second["stats"] == {"is_dark": [1, 0], "shade_plus": [1, 0],
                               "is_red": [1, 0], "same": [1, 0],
                               "apply": [2, 0], "apply_all": [1, 0]}


def test_changed_function_argument_is_compiled_again(tmp_path):
    """What a function passed as an argument reads is part of the key: a
    new value of the global it reads compiles the callers again."""
    run(tmp_path)
    third = run(tmp_path, args=("5",))
    assert third["results"][6] == 7 and third["results"][8] == 14
    assert third["stats"]["apply"] == [1, 1]     # dbl loads, inc compiles
    assert third["stats"]["apply_all"] == [0, 1]
    assert third["stats"]["is_dark"] == [1, 0]


class Level(enum.IntEnum):
    LOW = -3
    MID = 0
    HIGH = 12


def level_mix(level, x):
    return level * x + (level == Level.HIGH)


level_mix_jit = njit(level_mix)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(list(Level)), st.integers(-1000, 1000))
def test_intenum_argument_is_its_int(level, x):
    assert level_mix_jit(level, x) == level_mix(level, x)
    assert all(str(s) == "(int64, int64)" for s in level_mix_jit.signatures)
    assert level_mix_jit.nopython_signatures


# Typecodes are the order types were made in: a process that makes other
# types first gives an enum member's type, a dict's, a namedtuple's another
# one.  Loaded code must box with this process's (csrc/typecodes.c); code
# that names a type the cache cannot describe (a set's) is not stored.
ORDER = """
import collections, enum, json, sys
from pyjit import njit

class Color(enum.Enum):
    RED = 1
    GREEN = 2

P = collections.namedtuple("P", "x y")

if sys.argv[1] == "other-order":
    @njit
    def warm(a):
        return {a: (a, 1.5)}, [a, a], {a}, P(a, a)
    warm(1)

@njit(cache=True)
def member(k):
    return Color.GREEN if k else Color.RED

@njit(cache=True)
def shown(a):
    print({1: a}, P(a, 2), [a, 1.0], {a})
    return a

@njit(cache=True)
def made(a):
    return P(a, 2 * a), {"k": P(a, 1.0)}

@njit(cache=True)
def kept(a):
    return {a}

p, d = made(1.5)
results = [member(1) is Color.GREEN, member(0) is Color.RED, shown(1.5),
           type(p) is P and p == (1.5, 3.0), type(d["k"]) is P,
           dict(d) == {"k": (1.5, 1.0)}, kept(2) == {2}]
print(json.dumps({"results": results,
                  "hits": [sum(f.stats.cache_hits.values())
                           for f in (member, shown, made, kept)]}))
"""


def test_loaded_code_boxes_with_this_processes_typecodes(tmp_path):
    path = tmp_path / "order.py"
    path.write_text(textwrap.dedent(ORDER))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYJIT_")}
    env["PYTHONPATH"] = ROOT
    outs = []
    for order in ("first", "other-order"):
        proc = subprocess.run([sys.executable, str(path), order],
                              capture_output=True, text=True, env=env,
                              cwd=tmp_path, timeout=120)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        lines = proc.stdout.splitlines()
        assert lines[0] == "{1: 1.5} P(x=1.5, y=2) [1.5, 1.0] {1.5}", lines
        outs.append(json.loads(lines[-1]))
    want = [True, True, 1.5, True, True, True, True]
    assert outs[0] == {"results": want, "hits": [0, 0, 0, 0]}
    # enum members, namedtuples and dicts load; a function of a set, whose
    # type the cache does not describe, compiles again
    assert outs[1] == {"results": want, "hits": [1, 1, 1, 0]}
