"""cache=True and pickling with strings: a process loads the specialization a first
one compiled (string constants, a library str method, hashing) and gets the same
results, hashes included, under a different hash seed."""
import json
import os
import pickle
import subprocess
import sys
import textwrap

from pyjit import njit, types

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SCRIPT = textwrap.dedent("""
    import json
    from pyjit import njit

    @njit(cache=True)
    def describe(s, n):
        t = (s * n).upper() + f"{n:03d}|{n / 3:.2f}" + " pad ".strip()
        return t, hash(t), hash("constant"), t.center(20, "*")

    result = describe("hé😀", 2)
    expected = describe.py_func("hé😀", 2)
    print(json.dumps({"same": result == expected, "result": repr(result),
                      "hits": len(describe.stats.cache_hits),
                      "misses": len(describe.stats.cache_misses)}))
""")


def run(tmp_path, seed):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYJIT_")}
    env.update(PYTHONPATH=ROOT, PYTHONHASHSEED=str(seed))
    proc = subprocess.run([sys.executable, "strings_cached.py"], cwd=tmp_path,
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return json.loads(proc.stdout.splitlines()[-1])


def test_cached_strings_hash_with_the_loading_process_seed(tmp_path):
    (tmp_path / "strings_cached.py").write_text(SCRIPT)
    first = run(tmp_path, 1)
    assert first["same"] and (first["hits"], first["misses"]) == (0, 1)
    second = run(tmp_path, 2)
    assert second["same"] and (second["hits"], second["misses"]) == (1, 0)
    assert first["result"] != second["result"]      # the hashes differ


def test_unicode_type_pickles():
    assert pickle.loads(pickle.dumps(types.unicode_type)) is types.unicode_type

    @njit
    def twice(s):
        return s + s
    twice("a")
    sig = twice.signatures[0]
    assert pickle.loads(pickle.dumps(sig)) == sig == (types.unicode_type,)
