"""pandas' engine="numba" (its window, groupby and apply kernels, which
`import numba`) run under the numba alias give pandas' own Cython results."""
import os
import subprocess
import sys
import textwrap

import pytest

pytest.importorskip("pandas")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

PROGRAM = """
import numba
import numpy as np
import pandas as pd
import pyjit

assert numba.njit is pyjit.njit
rng = np.random.default_rng(0)
n = 1000
df = pd.DataFrame({"g": rng.integers(0, 5, n), "x": rng.random(n),
                   "y": rng.random(n)})
df.loc[rng.random(n) < 0.05, "x"] = np.nan
times = pd.Timestamp("2020-01-01") + pd.to_timedelta(
    np.cumsum(rng.integers(1, 5, n)), unit="D")

def f(x):
    return np.nansum(x) * 2

def spread(values, index):
    return values.max() - values.min()

def centred(values, index):
    return values - values.mean()

def col_max(x):
    return x.max()

checks = {
    "rolling.apply": lambda e: df["x"].rolling(10).apply(f, engine=e, raw=True),
    "rolling.mean": lambda e: df["x"].rolling(10).mean(engine=e),
    "rolling.std": lambda e: df["x"].rolling(10).std(engine=e),
    "rolling.min": lambda e: df["x"].rolling(10).min(engine=e),
    "expanding.max": lambda e: df["x"].expanding().max(engine=e),
    "ewm.mean": lambda e: df["x"].ewm(span=5).mean(engine=e),
    "ewm.mean.adjust": lambda e: df["x"].ewm(com=1.0, adjust=False).mean(engine=e),
    "ewm.times": lambda e: df["x"].ewm(halflife="3 days", times=times).mean(engine=e),
    "groupby.sum": lambda e: df.groupby("g")["x"].sum(engine=e),
    "groupby.var": lambda e: df.groupby("g")["x"].var(engine=e),
    "groupby.ewm": lambda e: df.groupby("g")["x"].ewm(com=1.0).mean(engine=e),
}
for name, run in checks.items():
    pd.testing.assert_series_equal(run("numba"), run("cython"),
                                   check_names=False)
    print(name)
kw = {"engine_kwargs": {"parallel": True}}
pd.testing.assert_series_equal(
    df["x"].ewm(com=1.0, adjust=False).mean(engine="numba", **kw),
    df["x"].ewm(com=1.0, adjust=False).mean(engine="cython"))
print("parallel ewm")
a = df.groupby("g")["y"].agg(spread, engine="numba")
assert np.allclose(a, df.groupby("g")["y"].agg(lambda s: s.max() - s.min()))
t = df.groupby("g")["y"].transform(centred, engine="numba")
assert np.allclose(t, df["y"] - df.groupby("g")["y"].transform("mean"))
r = df[["x", "y"]].apply(col_max, engine="numba", raw=True)
assert np.allclose(r, df[["x", "y"]].max(skipna=False), equal_nan=True)
print("udfs")
"""


def test_pandas_numba_engine_matches_cython(tmp_path):
    script = tmp_path / "prog.py"
    script.write_text(textwrap.dedent(PROGRAM))
    proc = subprocess.run(
        [sys.executable, "-W", "error::Warning:pyjit", "-m", "pyjit", "run",
         str(script)],
        capture_output=True, text=True, timeout=600,
        env=dict(os.environ, PYTHONPATH=ROOT), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.split() == [
        "rolling.apply", "rolling.mean", "rolling.std", "rolling.min",
        "expanding.max", "ewm.mean", "ewm.mean.adjust", "ewm.times",
        "groupby.sum", "groupby.var", "groupby.ewm", "parallel", "ewm",
        "udfs"]
