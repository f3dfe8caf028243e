"""Stale compiled code: a source file edited after the import, edits that
keep a file's size and modification time, values a function reads from
elsewhere, closures of one factory, records renamed or damaged.  Each case
runs fresh interpreters (what a cache is for) and checks exact results and
the dispatchers' cache statistics."""
import os
import textwrap

import test_cache
from test_cache import FACTORY


def write(path, text):
    path.write_text(textwrap.dedent(text))


def run(tmp_path, script, *args, env=None):
    """Runs tmp_path/script in a fresh interpreter; its last line of output
    as JSON.  Python writes no .pyc here: a .pyc validated by a size and a
    modification time that an edit kept would run the old code."""
    env = dict(env or {}, PYTHONDONTWRITEBYTECODE="1")
    return test_cache.run(tmp_path, script, env=env, args=args)[0]


def edit_keeping_stamp(path, old, new):
    """Replaces old by new (of the same length) in the file, keeping its
    size and modification time."""
    assert len(old) == len(new)
    st = os.stat(path)
    text = path.read_text()
    assert text.count(old) == 1
    path.write_text(text.replace(old, new))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert os.stat(path).st_mtime_ns == st.st_mtime_ns


def records(tmp_path):
    return sorted(n for n in os.listdir(tmp_path / "__pycache__")
                  if n.endswith(".pjc"))


# --- the source Python runs --------------------------------------------------

MOD = """
from pyjit import njit

def f(x):
    return x + 1

@njit(cache=True)
def cached(x):
    return x + 1  # cached
"""

EDIT_AFTER_IMPORT = """
import json, sys
import mod
from pyjit import SourceChangedError, jit, njit

with open(mod.__file__) as fh:
    text = fh.read()
with open(mod.__file__, "w") as fh:       # same length: x + 1 -> x + 2
    fh.write(text.replace("x + 1", "x + 2"))

def outcome(d):
    try:
        return d(1)
    except SourceChangedError as e:
        return f"SourceChangedError: {e}"

out = {name: outcome(d) for name, d in [
    ("njit", njit(mod.f)), ("jit", jit(mod.f)),
    ("forceobj", jit(forceobj=True)(mod.f)), ("cached", mod.cached)]}
out["py_func"] = [mod.f(1), mod.cached.py_func(1)]
out["signatures"] = [len(mod.cached.signatures),
                     sum(mod.cached.stats.cache_hits.values())]
print(json.dumps(out))
"""


def changed(tmp_path, name, line):
    return (f"SourceChangedError: pyjit cannot compile {name}: the source "
            f"file '{tmp_path / 'mod.py'}' has changed since the function "
            f"was defined (its text at line {line} is not the code Python "
            "runs); import or run the file again to compile its new text")


def test_a_file_edited_after_the_import_is_not_compiled(tmp_path):
    write(tmp_path / "mod.py", MOD)
    write(tmp_path / "main.py", EDIT_AFTER_IMPORT)
    out = run(tmp_path, "main.py")
    assert out == {"njit": changed(tmp_path, "f", 4),
                   "jit": changed(tmp_path, "f", 4),
                   "forceobj": changed(tmp_path, "f", 4),
                   "cached": changed(tmp_path, "cached", 7),
                   "py_func": [2, 2], "signatures": [0, 0]}


def test_a_record_of_the_new_text_is_not_loaded_for_the_old_code(tmp_path):
    # A process of the edited file stores its record; a process that
    # imported the file before the edit must not load it.
    write(tmp_path / "mod.py", MOD.replace("x + 1", "x + 2"))
    write(tmp_path / "new.py", """
        import json, mod
        r = mod.cached(1)
        print(json.dumps([r, sum(mod.cached.stats.cache_hits.values())]))
    """)
    assert run(tmp_path, "new.py") == [3, 0]
    write(tmp_path / "mod.py", MOD)
    write(tmp_path / "main.py", EDIT_AFTER_IMPORT)
    out = run(tmp_path, "main.py")
    assert out["cached"] == changed(tmp_path, "cached", 7)
    assert out["signatures"] == [0, 0]
    assert run(tmp_path, "new.py") == [3, 1]


def test_an_edit_keeping_size_and_mtime_compiles_again(tmp_path):
    write(tmp_path / "mod.py", MOD)
    write(tmp_path / "main.py", """
        import json, mod
        r = mod.cached(1)
        print(json.dumps([r, sum(mod.cached.stats.cache_hits.values())]))
    """)
    assert run(tmp_path, "main.py") == [2, 0]
    assert run(tmp_path, "main.py") == [2, 1]
    edit_keeping_stamp(tmp_path / "mod.py", "x + 1  # cached",
                       "x + 7  # cached")
    assert run(tmp_path, "main.py") == [8, 0]
    assert run(tmp_path, "main.py") == [8, 1]
    assert len(records(tmp_path)) == 1      # the old record was replaced


# --- what the function reads from elsewhere ----------------------------------

LIB = """
from pyjit import njit

@njit(cache=True)
def inner(x, k=K):
    return x * 10 + k

K = 0
"""

CALLERS = """
import json, os
import lib
from lib import inner
from pyjit import njit

SCALE = int(os.environ.get("SCALE", "1"))

@njit(cache=True)
def direct(x):
    return inner(x) * SCALE

@njit(cache=True)
def through_module(x):
    return lib.inner(x) + 1

fs = [direct, through_module]
print(json.dumps({"r": [f(3) for f in fs],
                  "hits": [sum(f.stats.cache_hits.values()) for f in fs]}))
"""


def test_an_edited_callee_keeping_size_and_mtime(tmp_path):
    write(tmp_path / "lib.py", LIB.replace("K)", "0)"))
    write(tmp_path / "main.py", CALLERS)
    assert run(tmp_path, "main.py") == {"r": [30, 31], "hits": [0, 0]}
    assert run(tmp_path, "main.py") == {"r": [30, 31], "hits": [1, 1]}
    edit_keeping_stamp(tmp_path / "lib.py", "x * 10", "x * 20")
    assert run(tmp_path, "main.py") == {"r": [60, 61], "hits": [0, 0]}
    assert run(tmp_path, "main.py") == {"r": [60, 61], "hits": [1, 1]}


def test_a_global_and_a_callee_default_set_at_run_time(tmp_path):
    # Neither file changes: the values come from the environment.
    write(tmp_path / "lib.py", """
        import os
        from pyjit import njit

        @njit(cache=True)
        def inner(x, k=int(os.environ.get("K", "0"))):
            return x * 10 + k
    """)
    write(tmp_path / "main.py", CALLERS)
    assert run(tmp_path, "main.py") == {"r": [30, 31], "hits": [0, 0]}
    assert run(tmp_path, "main.py", env={"SCALE": "2"}) == \
        {"r": [60, 31], "hits": [0, 1]}
    assert run(tmp_path, "main.py", env={"SCALE": "2", "K": "5"}) == \
        {"r": [70, 36], "hits": [0, 0]}
    assert run(tmp_path, "main.py") == {"r": [30, 31], "hits": [1, 1]}
    assert run(tmp_path, "main.py", env={"SCALE": "2", "K": "5"}) == \
        {"r": [70, 36], "hits": [1, 1]}


def test_closures_of_one_factory(tmp_path):
    write(tmp_path / "factory.py", FACTORY)
    assert run(tmp_path, "factory.py", "3", "4") == \
        {"r": [6, 8], "hits": [0, 0]}
    assert run(tmp_path, "factory.py", "3") == {"r": [6], "hits": [1]}
    assert run(tmp_path, "factory.py", "4") == {"r": [8], "hits": [1]}


def test_a_record_renamed_to_another_closures_name_is_not_used(tmp_path):
    write(tmp_path / "factory.py", FACTORY)
    assert run(tmp_path, "factory.py", "3") == {"r": [6], "hits": [0]}
    (three,) = records(tmp_path)
    assert run(tmp_path, "factory.py", "4") == {"r": [8], "hits": [0]}
    (four,) = set(records(tmp_path)) - {three}
    cache = tmp_path / "__pycache__"
    (cache / four).write_bytes((cache / three).read_bytes())
    assert run(tmp_path, "factory.py", "4") == {"r": [8], "hits": [0]}
    assert run(tmp_path, "factory.py", "4", "3") == \
        {"r": [8, 6], "hits": [1, 1]}


# --- damaged records ---------------------------------------------------------

def test_truncated_and_foreign_records_are_misses(tmp_path):
    write(tmp_path / "factory.py", FACTORY)
    assert run(tmp_path, "factory.py", "3") == {"r": [6], "hits": [0]}
    (name,) = records(tmp_path)
    path = tmp_path / "__pycache__" / name
    whole = path.read_bytes()
    path.write_bytes(whole[:len(whole) // 2])
    assert run(tmp_path, "factory.py", "3") == {"r": [6], "hits": [0]}
    import marshal
    path.write_bytes(marshal.dumps(["not", "a", "record"]))
    assert run(tmp_path, "factory.py", "3") == {"r": [6], "hits": [0]}
    path.write_bytes(marshal.dumps({"key": 0}))
    assert run(tmp_path, "factory.py", "3") == {"r": [6], "hits": [0]}
    assert run(tmp_path, "factory.py", "3") == {"r": [6], "hits": [1]}


REPAIRED = """
import json, marshal, os, sys
from pyjit import njit

def make():
    @njit(cache=True)
    def f(x):
        return x * 3
    return f

def hits(f):
    return sum(f.stats.cache_hits.values())

if sys.argv[1:] == ["damage"]:
    (name,) = [n for n in os.listdir("__pycache__") if n.endswith(".pjc")]
    path = os.path.join("__pycache__", name)
    with open(path, "rb") as file:
        good = file.read()
    rec = marshal.loads(good)
    rec["object"] = b"not an object file"
    with open(path, "wb") as file:
        file.write(marshal.dumps(rec))
    damaged = make()
    r = [damaged(2)]
    with open(path, "wb") as file:
        file.write(good)
    repaired = make()
    r.append(repaired(2))
    print(json.dumps({"r": r, "hits": [hits(damaged), hits(repaired)]}))
else:
    f = make()
    print(json.dumps({"r": [f(2)], "hits": [hits(f)]}))
"""


def test_a_record_that_failed_to_load_loads_once_repaired(tmp_path):
    # A record whose object file does not load gives back the native name
    # it claimed: the same record, repaired, loads in the same process.
    write(tmp_path / "repaired.py", REPAIRED)
    assert run(tmp_path, "repaired.py") == {"r": [6], "hits": [0]}
    out, proc = test_cache.run(tmp_path, "repaired.py", args=["damage"],
                               env={"PYTHONDONTWRITEBYTECODE": "1"})
    assert out == {"r": [6, 6], "hits": [0, 1]}
    # the damaged one was reported, as an unraisable warning, and compiled
    assert proc.stderr.count(
        "RuntimeError: pyjit: cannot load a cached object: The file was not "
        "recognized as a valid object file") == 1, proc.stderr


# --- loops lifted out of an object-mode function -----------------------------

LIFTED = """
import json, os, warnings
from pyjit import jit

SCALE = int(os.environ.get("SCALE", "1"))

class Box:
    def __init__(self, n):
        self.n = n

@jit(cache=True)
def total(box):
    n = box.n                 # an attribute of an object: object mode
    s = 0
    for i in range(n):        # lifted, compiled in nopython mode
        s += i * SCALE
    return s

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    r = total(Box(10))
(ov,) = total.overloads.values()
loop = ov.lifted[0]
print(json.dumps({"r": r, "objectmode": ov.objectmode,
                  "loop_hits": sum(loop.stats.cache_hits.values())}))
"""


def test_lifted_loops_follow_the_globals_they_read(tmp_path):
    write(tmp_path / "lifted.py", LIFTED)
    assert run(tmp_path, "lifted.py") == \
        {"r": 45, "objectmode": True, "loop_hits": 0}
    assert run(tmp_path, "lifted.py") == \
        {"r": 45, "objectmode": True, "loop_hits": 1}
    assert run(tmp_path, "lifted.py", env={"SCALE": "3"}) == \
        {"r": 135, "objectmode": True, "loop_hits": 0}
    assert run(tmp_path, "lifted.py", env={"SCALE": "3"}) == \
        {"r": 135, "objectmode": True, "loop_hits": 1}
