"""pyjit.config: the PYJIT_* variables (NUMBA_* when the PYJIT_ one is not
set), read at import, each with its effect; and `python -m pyjit -s`."""
import os
import subprocess
import sys

import pytest

from test_process import ROOT, check, run_python

SETTINGS = """
    from pyjit import config
    print(config.DISABLE_JIT, config.BOUNDSCHECK, config.DEBUGINFO_DEFAULT,
          config.OPT, repr(config.CACHE_DIR), config.NUM_THREADS,
          config.DEFAULT_NUM_THREADS)
"""


def settings(tmp_path, env):
    clean = {k: "" for k in os.environ if k.startswith("NUMBA_")}
    clean.update(env, PYTHONPATH=ROOT)
    proc = check(run_python(SETTINGS, env=clean, tmp_path=str(tmp_path)))
    return proc.stdout.split(), proc.stderr


def cpus():
    return str(len(os.sched_getaffinity(0)))


def test_defaults(tmp_path):
    out, _ = settings(tmp_path, {})
    assert out == ["False", "None", "False", "3", "''", cpus(), cpus()]


def test_pyjit_variables(tmp_path):
    out, _ = settings(tmp_path, {
        "PYJIT_DISABLE_JIT": "1", "PYJIT_BOUNDSCHECK": "1",
        "PYJIT_DEBUGINFO": "1", "PYJIT_OPT": "1",
        "PYJIT_CACHE_DIR": "/tmp/x", "PYJIT_NUM_THREADS": "7"})
    assert out == ["True", "1", "True", "1", "'/tmp/x'", "7", cpus()]


def test_numba_variables_when_the_pyjit_ones_are_not_set(tmp_path):
    out, _ = settings(tmp_path, {
        "NUMBA_DISABLE_JIT": "1", "NUMBA_OPT": "0", "PYJIT_OPT": "",
        "NUMBA_BOUNDSCHECK": "0", "PYJIT_NUM_THREADS": "3",
        "NUMBA_NUM_THREADS": "5"})
    assert out == ["True", "0", "False", "3", "''", "3", cpus()]


@pytest.mark.parametrize("name, value", [
    ("PYJIT_OPT", "9"), ("PYJIT_OPT", "fast"), ("PYJIT_NUM_THREADS", "0"),
    ("PYJIT_BOUNDSCHECK", "yes")])
def test_a_value_that_does_not_parse_warns_and_keeps_the_default(
        tmp_path, name, value):
    out, err = settings(tmp_path, {name: value})
    assert out == ["False", "None", "False", "3", "''", cpus(), cpus()]
    assert f"environment variable {name} is defined but its value " \
           f"{value!r} could not be parsed" in err


def test_reload_config_reads_the_environment_again():
    from pyjit import config
    old = os.environ.get("PYJIT_NUM_THREADS")
    try:
        os.environ["PYJIT_NUM_THREADS"] = "11"
        config.reload_config()
        assert config.NUM_THREADS == 11
        assert config.settings()["NUM_THREADS"] == 11
    finally:
        if old is None:
            del os.environ["PYJIT_NUM_THREADS"]
        else:
            os.environ["PYJIT_NUM_THREADS"] = old
        config.reload_config()
    assert config.NUM_THREADS != 11 or old == "11"


OPT = """
    from pyjit import njit

    @njit
    def total(n):
        s = 0
        for i in range(n):
            s += i
        return s

    ir = total.inspect_llvm(total.signatures[0]) if total(10) == 45 else ""
    print("alloca" in ir.split("define")[1])
"""


@pytest.mark.parametrize("env, unoptimized", [
    ({}, "False"), ({"PYJIT_OPT": "0"}, "True"), ({"NUMBA_OPT": "0"}, "True"),
])
def test_opt_sets_llvms_optimization_level(tmp_path, env, unoptimized):
    proc = check(run_python(OPT, env=dict(env, PYTHONPATH=ROOT),
                            tmp_path=str(tmp_path)))
    assert proc.stdout.strip() == unoptimized


DISABLED = """
    from pyjit import njit, jit

    @njit
    def f(x):
        return [x, type(x).__name__]

    @jit(nopython=True, cache=True)
    def g(x):
        return x + 1

    print(f(3), g(1), f.py_func.__name__, type(f).__name__)
"""


@pytest.mark.parametrize("var", ["PYJIT_DISABLE_JIT", "NUMBA_DISABLE_JIT"])
def test_disable_jit_runs_the_python_function(tmp_path, var):
    proc = check(run_python(DISABLED, env={var: "1", "PYTHONPATH": ROOT},
                            tmp_path=str(tmp_path)))
    assert proc.stdout.strip() == "[3, 'int'] 2 f Dispatcher"


CACHED = """
    from pyjit import njit

    @njit(cache=True)
    def f(x):
        return x + 1

    print(f(1), f.stats.cache_misses[f.signatures[0]])
"""


def test_numba_cache_dir_is_where_records_go(tmp_path):
    cache = tmp_path / "records"
    env = {"NUMBA_CACHE_DIR": str(cache), "PYTHONPATH": ROOT}
    first = check(run_python(CACHED, env=env, tmp_path=str(tmp_path)))
    assert first.stdout.split() == ["2", "1"]
    assert any(p.suffix == ".pjc" for p in cache.rglob("*"))
    second = check(run_python(CACHED, env=env, tmp_path=str(tmp_path)))
    assert second.stdout.split() == ["2", "0"]


# --- python -m pyjit -s ---------------------------------------------------------

def sysinfo(*args, env=None):
    full = {k: v for k, v in os.environ.items()
            if not k.startswith(("PYJIT_", "NUMBA_"))}
    full.update(env or {}, PYTHONPATH=ROOT)
    return subprocess.run([sys.executable, "-m", "pyjit", *args],
                          capture_output=True, text=True, env=full,
                          timeout=120)


def fields(text):
    out = {}
    for line in text.splitlines():
        key, sep, value = line.partition(": ")
        if sep and not line.startswith(" "):
            out[key.strip()] = value.strip()
    return out


@pytest.mark.parametrize("flag", ["-s", "--sysinfo"])
def test_sysinfo_reports_the_system(flag):
    import platform

    import numpy as np

    import pyjit
    from pyjit import _core
    proc = sysinfo(flag, env={"PYJIT_OPT": "2", "NUMBA_NUM_THREADS": "1"})
    assert proc.returncode == 0, proc.stderr
    f = fields(proc.stdout)
    triple, cpu, features, llvm = _core.host_info()
    assert f["Python Version"] == platform.python_version()
    assert f["NumPy Version"] == np.__version__
    assert f["LLVM Version"] == llvm and llvm.startswith("19.")
    assert f["CPU Name"] == cpu
    assert f["pyjit Version"] == pyjit.__version__
    assert f["OPT"] == "2" and f["NUM_THREADS"] == "1"
    assert f["PYJIT_OPT"] == "2" and f["NUMBA_NUM_THREADS"] == "1"
    assert "Threading layers available" in f
    assert f["Cache directory (CACHE_DIR)"].startswith("__pycache__")
    enabled = [x[1:] for x in features.split(",") if x.startswith("+")]
    listed = proc.stdout.split("CPU Features")[1].split("__OS")[0]
    assert all(name in listed.split() for name in enabled)


def test_sysinfo_takes_no_arguments():
    proc = sysinfo("-s", "extra")
    assert proc.returncode == 2
    assert "takes no arguments" in proc.stderr


def test_settings_are_constants_in_jitted_code():
    import pyjit
    from pyjit import config, njit

    @njit
    def threads(n):
        return n * pyjit.config.NUMBA_NUM_THREADS + config.OPT

    assert threads(2) == 2 * config.NUM_THREADS + config.OPT
    assert config.NUMBA_DEFAULT_NUM_THREADS == config.DEFAULT_NUM_THREADS


def test_platform_facts_under_numbas_names():
    import struct
    import sys

    from pyjit import config
    assert config.IS_WIN32 is sys.platform.startswith("win32")
    assert config.IS_OSX is sys.platform.startswith("darwin")
    assert config.MACHINE_BITS == struct.calcsize("P") * 8
    assert config.IS_32BITS is (config.MACHINE_BITS == 32)
    assert config.PYVERSION == sys.version_info[:2]
