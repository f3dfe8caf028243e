"""vectorize and guvectorize across processes: cache=True keeps the
kernels' code, and a ufunc made by vectorize pickles as NumPy's do."""
import json
import os
import subprocess
import sys
import textwrap

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SCRIPT = """
import json, pickle
import numpy as np
from pyjit import vectorize, guvectorize, float64
from pyjit._vectorize import kernel_of

@vectorize(["float64(float64, float64)", "int64(int64, int64)"], cache=True)
def axpy(x, y):
    return x + 2 * y

@guvectorize(["void(float64[:], float64, float64[:])"], "(n),()->(n)",
             cache=True)
def shift(x, y, res):
    for i in range(x.shape[0]):
        res[i] = x[i] + y

hits = {name: sum(kernel_of(f).stats.cache_hits.values())
        for name, f in (("axpy", axpy), ("shift", shift))}
print(json.dumps({"axpy": axpy(np.arange(4.), 1.0).tolist(),
                  "int": axpy(np.arange(4), np.int64(2)).tolist(),
                  "shift": shift(np.arange(3.), 0.5).tolist(),
                  "hits": hits}))
"""


def run(tmp_path):
    path = tmp_path / "ufuncs.py"
    path.write_text(textwrap.dedent(SCRIPT))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYJIT_")}
    env["PYTHONPATH"] = ROOT
    proc = subprocess.run([sys.executable, str(path)], capture_output=True,
                          text=True, env=env, cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return json.loads(proc.stdout.splitlines()[-1])


def test_cache_keeps_the_kernels(tmp_path):
    first, second = run(tmp_path), run(tmp_path)
    for r in (first, second):
        assert r["axpy"] == [2.0, 3.0, 4.0, 5.0]
        assert r["int"] == [4, 5, 6, 7]
        assert r["shift"] == [0.5, 1.5, 2.5]
    assert first["hits"] == {"axpy": 0, "shift": 0}
    assert second["hits"] == {"axpy": 2, "shift": 1}


PICKLING = """
import pickle, subprocess, sys
import numpy as np
import ufuncs
data = pickle.dumps((ufuncs.axpy, ufuncs.shift))
code = ("import pickle, sys, numpy as np; f, g = pickle.loads(sys.stdin.buffer.read());"
        "print(f(np.arange(3.), 1.0).tolist(), g(np.arange(2.), 1.0).tolist())")
out = subprocess.run([sys.executable, "-c", code], input=data,
                     capture_output=True, check=True).stdout.decode()
print(out.splitlines()[-1])
"""


def test_ufuncs_pickle_by_name(tmp_path):
    run(tmp_path)
    (tmp_path / "send.py").write_text(textwrap.dedent(PICKLING))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYJIT_")}
    env["PYTHONPATH"] = os.pathsep.join([ROOT, str(tmp_path)])
    proc = subprocess.run([sys.executable, str(tmp_path / "send.py")],
                          capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines()[-1] == "[2.0, 3.0, 4.0] [1.0, 2.0]"
