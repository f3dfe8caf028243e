"""cache=True: a specialization compiled by one process is loaded, not
compiled, by the next.  Each test runs a script twice (or more) in fresh
interpreters and reads what the dispatchers' stats say."""
import json
import os
import subprocess
import sys
import textwrap

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

KERNELS = """
import json, sys
from pyjit import jit, njit

@njit(cache=True)
def intloop(n):
    s = 0
    for i in range(n):
        s += i * i % 7
    return s

@njit(cache=True)
def pair(a, b):
    return (a + b, a * b)

@njit(cache=True)
def maybe(x):
    if x > 0:
        return x
    return None

@njit(cache=True)
def checked(a, b):
    if b == 100:
        raise ValueError("b must not be 100")
    return a // b

@njit(cache=True)
def caller(n):
    return intloop(n) + 1

@njit("float64(float64)", cache=True)
def sq(x):
    return x * x

@njit(cache=True, nogil=True, fastmath=True)
def fsum(n):
    s = 0.0
    for i in range(n):
        s += i * 0.5
    return s

def errors(f, *args):
    try:
        return f(*args)
    except Exception as e:
        return f"{type(e).__name__}: {e}"

results = [intloop(1000), pair(2, 3.5), pair(2, 3), maybe(3), maybe(-3),
           checked(7, 2), errors(checked, 1, 0), errors(checked, 1, 100),
           caller(10), sq(3.0), fsum(10)]
def counts(counter):
    return {str(sig): n for sig, n in counter.items()}

stats = {f.__name__: [counts(f.stats.cache_hits),
                      counts(f.stats.cache_misses)]
         for f in (intloop, pair, maybe, checked, caller, sq, fsum)}
print(json.dumps({"results": repr(results), "stats": stats,
                  "types": intloop.inspect_types is not None and
                  [str(s) for s in pair.signatures],
                  "path": intloop.stats.cache_path}))
"""

EXPECTED = repr([2001, (5.5, 7.0), (5, 6), 3, None, 3,
                 "ZeroDivisionError: integer division or modulo by zero",
                 "ValueError: b must not be 100", 20, 9.0, 22.5])


def run(tmp_path, script="kernels.py", text=None, env=None, args=()):
    path = tmp_path / script
    if text is not None:
        path.write_text(textwrap.dedent(text))
    full_env = {k: v for k, v in os.environ.items()
                if not k.startswith("PYJIT_")}
    full_env["PYTHONPATH"] = ROOT
    full_env.update(env or {})
    proc = subprocess.run([sys.executable, str(path), *args],
                          capture_output=True, text=True, env=full_env,
                          cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return json.loads(proc.stdout.splitlines()[-1]), proc


def test_second_process_loads_everything(tmp_path):
    first, _ = run(tmp_path, text=KERNELS)
    assert first["results"] == EXPECTED
    # Counted per signature, as Numba counts.  caller compiled intloop as
    # its callee: intloop's own call compiled first, so every function is
    # one fresh compile per signature.
    one = {"(int64,)": 1}
    assert first["stats"] == {
        "intloop": [{}, one],
        "pair": [{}, {"(int64, float64)": 1, "(int64, int64)": 1}],
        "maybe": [{}, one], "checked": [{}, {"(int64, int64)": 1}],
        "caller": [{}, one], "sq": [{}, {"(float64,)": 1}],
        "fsum": [{}, one]}
    cache_dir = tmp_path / "__pycache__"
    assert first["path"] == str(cache_dir)
    files = sorted(os.listdir(cache_dir))
    assert len([f for f in files if f.endswith(".pjc")]) == 8, files
    assert not [f for f in files if f.endswith(".tmp")]

    second, _ = run(tmp_path)
    assert second["results"] == EXPECTED
    assert second["stats"] == {
        name: [misses, hits] for name, (hits, misses) in first["stats"].items()}
    assert second["types"] == first["types"]


INSPECT = """
import json
from pyjit import njit, int64

@njit(cache=True)
def add(a, b):
    return a + b

add(1, 2)
import io
buf = io.StringIO()
add.inspect_types(file=buf)
llvm = add.inspect_llvm()
asm = add.inspect_asm()
print(json.dumps({"types": buf.getvalue(), "llvm": list(llvm.values()),
                  "asm_ok": all("cpython." in v for v in asm.values()),
                  "hits": add.stats.cache_hits[(int64, int64)],
                  "nopython": [str(s) for s in add.nopython_signatures]}))
"""


def test_inspection_of_a_loaded_specialization(tmp_path):
    first, _ = run(tmp_path, text=INSPECT)
    second, _ = run(tmp_path)
    assert (first["hits"], second["hits"]) == (0, 1)
    assert second["types"] == first["types"]
    assert "add (int64, int64)" in second["types"]
    assert "$0.1 = a + b  :: int64" in second["types"]
    assert second["llvm"] == first["llvm"]
    assert second["asm_ok"]
    assert second["nopython"] == ["(int64, int64) -> int64"]


EDITABLE = """
import json
from pyjit import njit, int64

@njit(cache=True)
def f(x):
    return x + {k}

print(json.dumps({{"r": f(1), "hits": f.stats.cache_hits[(int64,)]}}))
"""


def test_an_edited_source_file_compiles_again(tmp_path):
    out, _ = run(tmp_path, text=EDITABLE.format(k=1))
    assert out == {"r": 2, "hits": 0}
    out, _ = run(tmp_path)
    assert out == {"r": 2, "hits": 1}
    out, _ = run(tmp_path, text=EDITABLE.format(k=100))
    assert out == {"r": 101, "hits": 0}
    out, _ = run(tmp_path)
    assert out == {"r": 101, "hits": 1}


def test_a_corrupt_record_is_a_miss(tmp_path):
    run(tmp_path, text=EDITABLE.format(k=5))
    for name in os.listdir(tmp_path / "__pycache__"):
        if name.endswith(".pjc"):
            (tmp_path / "__pycache__" / name).write_bytes(b"not a record")
    out, proc = run(tmp_path)
    assert out == {"r": 6, "hits": 0}
    out, _ = run(tmp_path)          # rewritten by the miss
    assert out == {"r": 6, "hits": 1}


def test_cache_dir_from_the_environment(tmp_path):
    cache = tmp_path / "elsewhere"
    env = {"PYJIT_CACHE_DIR": str(cache)}
    out, _ = run(tmp_path, text=EDITABLE.format(k=2), env=env)
    assert out == {"r": 3, "hits": 0}
    assert not (tmp_path / "__pycache__").exists()
    assert any(p.endswith(".pjc") for _, _, files in os.walk(cache)
               for p in files)
    out, _ = run(tmp_path, env=env)
    assert out == {"r": 3, "hits": 1}


def test_unwritable_pycache_falls_back_to_the_user_cache(tmp_path):
    if os.geteuid() == 0:
        # root writes anywhere: make __pycache__ a file instead
        (tmp_path / "__pycache__").write_text("")
    else:
        (tmp_path / "__pycache__").mkdir()
        os.chmod(tmp_path / "__pycache__", 0o500)
    env = {"XDG_CACHE_HOME": str(tmp_path / "xdg")}
    out, _ = run(tmp_path, text=EDITABLE.format(k=3), env=env)
    assert out == {"r": 4, "hits": 0}
    out, _ = run(tmp_path, env=env)
    assert out == {"r": 4, "hits": 1}
    assert (tmp_path / "xdg" / "pyjit").is_dir()


TWO_DISPATCHERS = """
import json
from pyjit import njit

def g(x):
    return x * 3

a = njit(cache=True)(g)
b = njit(cache=True)(g)
print(json.dumps({"r": [a(2), b(2), a(2.5)],
                  "hits": [{str(k): n for k, n in d.stats.cache_hits.items()}
                           for d in (a, b)]}))
"""


def test_two_dispatchers_of_one_function(tmp_path):
    out, _ = run(tmp_path, text=TWO_DISPATCHERS)
    # The second finds the record the first saved, whose code is in this
    # process already: it uses that code, compiling nothing.
    assert out == {"r": [6, 6, 7.5], "hits": [{}, {"(int64,)": 1}]}
    out, _ = run(tmp_path)
    assert out["r"] == [6, 6, 7.5]
    assert out["hits"] == [{"(int64,)": 1, "(float64,)": 1},
                           {"(int64,)": 1}]


# A closure made again on every call, as sktime makes its distance
# functions: each new dispatcher finds the record of the first one.
REMADE = """
import json
from pyjit import njit

def make(w):
    @njit(cache=True)
    def dist(x, y):
        return (x - y) ** 2 * w
    return dist

made = [make(w) for w in (2.0, 3.0, 2.0, 2.0, 3.0)]
r = [f(4.0, 1.0) for f in made]
print(json.dumps({"r": r, "hits": [sum(f.stats.cache_hits.values())
                                   for f in made]}))
"""


def test_a_closure_made_again_uses_the_code_of_its_record(tmp_path):
    out, _ = run(tmp_path, text=REMADE)
    assert out == {"r": [18.0, 27.0, 18.0, 18.0, 27.0],
                   "hits": [0, 0, 1, 1, 1]}
    out, _ = run(tmp_path)
    assert out == {"r": [18.0, 27.0, 18.0, 18.0, 27.0],
                   "hits": [1, 1, 1, 1, 1]}
    assert len(records(tmp_path / "__pycache__")) == 2


MUTUAL = """
import json
from pyjit import njit

@njit(cache=True)
def is_even(n):
    if n == 0:
        return True
    return is_odd(n - 1)

@njit(cache=True)
def is_odd(n):
    if n == 0:
        return False
    return is_even(n - 1)

print(json.dumps({"r": [is_even(10), is_odd(7), is_even(7)]}))
"""


def test_mutual_recursion_with_cache(tmp_path):
    for _ in range(3):
        out, _ = run(tmp_path, text=MUTUAL)
        assert out == {"r": [True, True, False]}


def test_a_function_calling_a_loaded_function_compiles(tmp_path):
    run(tmp_path, text="""
        from pyjit import njit

        @njit(cache=True)
        def inner(x):
            return x * 2 + 1

        print(inner(3))
    """, script="lib.py")
    out, _ = run(tmp_path, text="""
        import json
        from lib import inner
        from pyjit import njit, int64

        @njit
        def outer(x):
            return inner(x) + inner(x + 1)

        print(json.dumps({"r": outer(3),
                          "hits": inner.stats.cache_hits[(int64,)]}))
    """, script="main.py")
    assert out == {"r": 16, "hits": 1}


ARRAYS = """
import json
import numpy as np
from pyjit import njit

@njit(cache=True)
def total(a):
    return a.sum()

@njit(cache=True)
def middle(a):
    return a[1:-1]

@njit(cache=True)
def made(n):
    return np.arange(n)

x = np.arange(6.0)
ro = np.arange(4.0)
ro.flags.writeable = False
print(json.dumps({"r": [total(x), total(x[::2]), total(ro),
                        middle(x).tolist(), made(4).tolist()],
                  "hits": [sorted(d.stats.cache_hits.values())
                           for d in (total, middle, made)],
                  "sigs": [str(s) for s in total.signatures]}))
"""


def test_functions_of_arrays_are_cached(tmp_path):
    first, _ = run(tmp_path, text=ARRAYS)
    assert first["r"] == [15.0, 6.0, 6.0, [1.0, 2.0, 3.0, 4.0], [0, 1, 2, 3]]
    assert first["hits"] == [[], [], []]
    assert first["sigs"] == ["(array(float64, 1d, C),)",
                             "(array(float64, 1d, A),)",
                             "(readonly array(float64, 1d, C),)"]
    second, _ = run(tmp_path)
    assert second["r"] == first["r"]
    assert second["hits"] == [[1, 1, 1], [1], [1]]
    assert second["sigs"] == first["sigs"]


TYPED_LIST = """
import json
import numpy as np
from pyjit import njit
from pyjit.typed import List

@njit(cache=True)
def lengths(arrays):
    return sum([a.shape[0] for a in arrays])

arrays = List([np.arange(3.0), np.arange(5.0)])
print(json.dumps({"r": lengths(arrays),
                  "hits": sum(lengths.stats.cache_hits.values())}))
"""


def test_a_typed_list_of_arrays_argument_with_cache(tmp_path):
    first, proc = run(tmp_path, text=TYPED_LIST)
    assert first == {"r": 8, "hits": 0}
    assert "Exception" not in proc.stderr, proc.stderr
    second, proc = run(tmp_path)
    assert second["r"] == 8
    assert "Exception" not in proc.stderr, proc.stderr


DTYPE_ARGS = """
import json
import numpy as np
from pyjit import njit

@njit(cache=True)
def total(a, dt):
    return a.sum()

a = np.arange(4.0)
print(json.dumps({"r": [total(a, np.dtype("O")), total(a, np.dtype("f8"))],
                  "hits": sum(total.stats.cache_hits.values())}))
"""


def test_a_dtype_argument_pyjit_has_no_type_for_is_not_stored(tmp_path):
    # np.dtype(object) passed along compiles, and its specialization is
    # left out of the cache without a word; the float64 one is stored
    for hits in (0, 1):
        out, proc = run(tmp_path, "dtypes.py", text=DTYPE_ARGS)
        assert out == {"r": [6.0, 6.0], "hits": hits}
        assert proc.stderr == "", proc.stderr


# --- the key: what the code was compiled from --------------------------------

def records(directory):
    return sorted(n for n in os.listdir(directory) if n.endswith(".pjc"))


FACTORY = """
import json, sys
from pyjit import njit

def make(k):
    @njit(cache=True)
    def f(x):
        return x * k
    return f

fs = [make(int(k)) for k in sys.argv[1:]]
print(json.dumps({"r": [f(2) for f in fs],
                  "hits": [sum(f.stats.cache_hits.values()) for f in fs]}))
"""


def run_args(tmp_path, script, *args):
    return run(tmp_path, script, args=args)[0]


def test_closures_of_one_factory_get_records_of_their_own(tmp_path):
    (tmp_path / "factory.py").write_text(FACTORY)
    assert run_args(tmp_path, "factory.py", "3", "4") == \
        {"r": [6, 8], "hits": [0, 0]}
    assert run_args(tmp_path, "factory.py", "3") == {"r": [6], "hits": [1]}
    assert run_args(tmp_path, "factory.py", "4", "3", "5") == \
        {"r": [8, 6, 10], "hits": [1, 1, 0]}
    names = records(tmp_path / "__pycache__")
    assert len(names) == 3, names
    # file.qualname.signature.own-reads: one signature, one text, three
    # closure values
    parts = [n.split(".") for n in names]
    assert {tuple(p[:4]) for p in parts} == {
        ("factory", "make", "_locals_", "f")}
    assert len({p[4] for p in parts}) == 1
    assert len({p[5].split("-")[0] for p in parts}) == 1
    assert len({p[5].split("-")[1] for p in parts}) == 3


def test_closure_variants_are_bounded(tmp_path):
    (tmp_path / "factory.py").write_text(FACTORY)
    for k in range(12):
        assert run_args(tmp_path, "factory.py", str(k)) == \
            {"r": [2 * k], "hits": [0]}
    assert len(records(tmp_path / "__pycache__")) == 8
    # the eight most recent are kept, the oldest dropped
    assert run_args(tmp_path, "factory.py", "11", "4", "3") == \
        {"r": [22, 8, 6], "hits": [1, 1, 0]}


CALLER = """
import json
from lib import inner
from pyjit import njit

@njit(cache=True)
def outer(x):
    return inner(x) + 1

print(json.dumps({"r": outer(3),
                  "hits": sum(outer.stats.cache_hits.values())}))
"""

CALLEE = """
from pyjit import njit

@njit(cache=True)
def inner(x):
    return x * {k}
"""


def test_an_edited_callee_in_another_file_invalidates_its_callers(tmp_path):
    (tmp_path / "lib.py").write_text(CALLEE.format(k=10))
    assert run(tmp_path, "main.py", CALLER)[0] == {"r": 31, "hits": 0}
    assert run(tmp_path, "main.py")[0] == {"r": 31, "hits": 1}
    (tmp_path / "lib.py").write_text(CALLEE.format(k=20))
    assert run(tmp_path, "main.py")[0] == {"r": 61, "hits": 0}
    assert run(tmp_path, "main.py")[0] == {"r": 61, "hits": 1}
    # main.py did not change: its record of the old callee was replaced
    # (one text of outer, at most one record per callee content)
    names = [n for n in records(tmp_path / "__pycache__")
             if n.startswith("main.outer.")]
    assert len(names) == 2, names


GLOBALS = """
import json
import config
from pyjit import njit

SCALE = {scale}

@njit(cache=True)
def f(x):
    return x * SCALE + config.OFFSET

print(json.dumps({{"r": f(2), "hits": sum(f.stats.cache_hits.values())}}))
"""


def test_globals_it_reads_are_part_of_the_key(tmp_path):
    (tmp_path / "config.py").write_text("OFFSET = 100\n")
    assert run(tmp_path, "g.py", GLOBALS.format(scale=3))[0] == \
        {"r": 106, "hits": 0}
    assert run(tmp_path, "g.py")[0] == {"r": 106, "hits": 1}
    # a global of the same file, outside the function
    assert run(tmp_path, "g.py", GLOBALS.format(scale=5))[0] == \
        {"r": 110, "hits": 0}
    # a module attribute from another file
    (tmp_path / "config.py").write_text("OFFSET = 200\n")
    assert run(tmp_path, "g.py")[0] == {"r": 210, "hits": 0}
    assert run(tmp_path, "g.py")[0] == {"r": 210, "hits": 1}
    # back to the first values: those records were kept
    (tmp_path / "config.py").write_text("OFFSET = 100\n")
    assert run(tmp_path, "g.py", GLOBALS.format(scale=3))[0] == \
        {"r": 106, "hits": 1}


TWO_FUNCTIONS = """
import json
from pyjit import njit

@njit(cache=True)
def f(x):
    return x + 1

@njit(cache=True)
def g(x):
    return x * {k}

print(json.dumps({{"r": [f(1), g(2)],
                  "hits": [sum(d.stats.cache_hits.values())
                           for d in (f, g)]}}))
"""


def test_an_edit_elsewhere_in_the_file_keeps_the_record(tmp_path):
    assert run(tmp_path, "two.py", TWO_FUNCTIONS.format(k=2))[0] == \
        {"r": [2, 4], "hits": [0, 0]}
    assert run(tmp_path, "two.py", TWO_FUNCTIONS.format(k=3))[0] == \
        {"r": [2, 6], "hits": [1, 0]}


def test_an_edited_function_replaces_its_records(tmp_path):
    for k in range(1, 5):
        out, _ = run(tmp_path, text=EDITABLE.format(k=k))
        assert out == {"r": 1 + k, "hits": 0}
        names = records(tmp_path / "__pycache__")
        assert len(names) == 1, names
        assert names[0].startswith("kernels.f.")
        assert names[0].endswith(".py%d%d.pjc" % sys.version_info[:2])
    assert run(tmp_path)[0] == {"r": 5, "hits": 1}


# --- notebooks ---------------------------------------------------------------

NOTEBOOK_CELLS = [
    "from pyjit import njit",
    "@njit(cache=True)\ndef f(x):\n    return x * {k}\n",
    "import json\n"
    "print(json.dumps({{'r': f(2), 'hits': sum(f.stats.cache_hits.values()),\n"
    "                  'misses': sum(f.stats.cache_misses.values()),\n"
    "                  'path': f.stats.cache_path}}))",
]


def run_notebook(k):
    """Executes the notebook (with the constant k in f) in a new kernel;
    what its last cell printed."""
    import nbformat
    from nbclient import NotebookClient
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c.format(k=k))
                for c in NOTEBOOK_CELLS]
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    (out,) = nb.cells[-1].outputs
    return json.loads(out["text"])


def test_a_notebook_caches_by_content(tmp_path, monkeypatch):
    for name in [k for k in os.environ if k.startswith("PYJIT_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("PYTHONPATH", ROOT)
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython-dir"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    (tmp_path / "xdg").mkdir()
    where = str(tmp_path / "xdg" / "ipython" / "pyjit")
    assert run_notebook(3) == {"r": 6, "hits": 0, "misses": 1,
                               "path": where}
    # the kernel restarted: the cell's function is loaded
    assert run_notebook(3) == {"r": 6, "hits": 1, "misses": 0,
                               "path": where}
    # an edited cell compiles again
    assert run_notebook(4) == {"r": 8, "hits": 0, "misses": 1,
                               "path": where}
    assert len(records(where)) == 2
