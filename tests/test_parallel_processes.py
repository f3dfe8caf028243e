"""parallel=True functions among threads and processes: exceptions raised
in a prange loop, memory, Python threads calling at once, nogil, fork after
a region, and the PYJIT_NUM_THREADS environment variable."""
import json
import os
import subprocess
import sys
import textwrap
import threading

import numpy as np
import pytest

import pyjit
from pyjit import njit, prange, set_num_threads

from difftest import assert_compiled

# The pyjit this process runs (the ASan build under `make asan`).
PYJIT_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(pyjit.__file__)))


def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def run_script(tmp_path, text, env_extra=None, timeout=120):
    """Runs `text` as main.py in tmp_path; returns the JSON its last line
    printed."""
    (tmp_path / "main.py").write_text(textwrap.dedent(text))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYJIT_")}
    env["PYTHONPATH"] = os.pathsep.join([PYJIT_ROOT, str(tmp_path)])
    env.update(env_extra or {})
    proc = subprocess.run([sys.executable, "main.py"], capture_output=True,
                          text=True, env=env, cwd=tmp_path, timeout=timeout)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return json.loads(proc.stdout.splitlines()[-1])


class Overflow(Exception):
    pass


@njit(parallel=True)
def checked_sum(a, limit):
    s = 0.0
    for i in prange(len(a)):
        t = np.ones(3) * a[i]
        if a[i] > limit:
            raise Overflow("value over the limit")
        s += t.sum()
    return s


@njit(parallel=True, nogil=True)
def nogil_sum(a):
    s = 0
    for i in prange(len(a)):
        s += a[i] * 2
    return s


@njit(parallel=True)
def gil_sum(a):
    s = 0
    for i in prange(len(a)):
        s += a[i] - 1
    return s


@njit(parallel=True)
def rows_until(m, bad_row):
    acc = np.zeros(m.shape[1])
    for i in prange(m.shape[0]):
        if i == bad_row:
            raise Overflow("bad row")
        acc += m[i]
    return acc


@njit(parallel=True)
def squares(n):
    out = np.empty(n)
    for i in prange(n):
        tmp = np.arange(4) + i
        out[i] = (tmp * tmp).sum()
    return out


def test_exception_in_prange_reaches_the_caller():
    a = np.arange(1000.0)
    for n in range(1, pyjit._parallel.NUM_THREADS + 1):
        set_num_threads(n)
        try:
            for limit in (-1.0, 0.0, 500.0, 998.0):
                with pytest.raises(Overflow, match="over the limit"):
                    checked_sum(a, limit)
            assert checked_sum(a, 1e9) == checked_sum.py_func(a, 1e9)
        finally:
            set_num_threads(pyjit._parallel.NUM_THREADS)
    assert_compiled(checked_sum)


def test_exceptions_and_regions_do_not_leak():
    a = np.arange(2000.0)
    m = np.ones((8, 20_000))

    def calls():
        squares(300)
        with pytest.raises(Overflow):
            checked_sum(a, 10.0)
        with pytest.raises(Overflow, match="bad row"):
            rows_until(m, 6)
        assert (rows_until(m, -1) == 8).all()

    for _ in range(100):                         # warm up
        calls()
    before = rss()
    for _ in range(1500):
        calls()
    assert rss() - before < 4 << 20


def test_python_threads_call_parallel_functions_at_once():
    a = np.arange(100_000, dtype=np.int64)
    results, errors = [], []

    def work(f, expected):
        try:
            for _ in range(20):
                results.append(f(a) == expected)
        except Exception as e:       # reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(f, f.py_func(a)))
               for f in (nogil_sum, gil_sum, nogil_sum, gil_sum)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert results == [True] * 80


def test_fork_after_a_region(tmp_path):
    out = run_script(tmp_path, """
        import json, multiprocessing
        import numpy as np
        from pyjit import njit, prange

        @njit(parallel=True)
        def total(a):
            s = 0.0
            for i in prange(len(a)):
                s += a[i] * 0.5
            return s

        def child(n):
            return total(np.arange(float(n)))

        if __name__ == "__main__":
            first = total(np.arange(1000.0))
            ctx = multiprocessing.get_context("fork")
            with ctx.Pool(2) as pool:
                kids = pool.map(child, [10, 100, 1000, 10000])
            print(json.dumps([first, kids, total(np.arange(10.0))]))
    """)
    half = lambda n: sum(range(n)) * 0.5
    assert out == [half(1000), [half(n) for n in (10, 100, 1000, 10000)],
                   half(10)]


def test_cache_keeps_parallel_functions(tmp_path):
    script = """
        import json
        import numpy as np
        from pyjit import njit, prange

        @njit(parallel=True, cache=True)
        def doubled_sum(a):
            s = 0.0
            for i in prange(len(a)):
                s += a[i] * 2
            return s

        r = doubled_sum(np.arange(100.0))
        print(json.dumps([r, sum(doubled_sum.stats.cache_hits.values())]))
    """
    assert run_script(tmp_path, script) == [9900.0, 0]
    assert run_script(tmp_path, script) == [9900.0, 1]


def test_num_threads_from_the_environment(tmp_path):
    script = """
        import json
        import numpy as np
        import pyjit
        from pyjit import njit, prange, set_num_threads, get_num_threads

        @njit(parallel=True)
        def ids(n):
            out = np.zeros(n, dtype=np.int64)
            for i in prange(n):
                out[i] = i * 3 - 1
            return out

        @njit(parallel=True)
        def total(a):
            s = 0
            for i in prange(len(a)):
                s += a[i]
            return s

        same = []
        for t in range(1, 5):
            set_num_threads(t)
            for n in (0, 1, 2, 3, 5, 7, 13, 100):
                a = np.arange(n) * 7 - 3
                same.append(total(a) == total.py_func(a)
                            and (ids(n) == ids.py_func(n)).all())
        print(json.dumps([pyjit._parallel.NUM_THREADS, get_num_threads(),
                          all(same)]))
    """
    assert run_script(tmp_path, script, {"PYJIT_NUM_THREADS": "4"}) == \
        [4, 4, True]
    (tmp_path / "main.py").write_text("import pyjit\n")
    env = dict(os.environ, PYTHONPATH=PYJIT_ROOT, PYJIT_NUM_THREADS="zero")
    proc = subprocess.run([sys.executable, "main.py"], capture_output=True,
                          text=True, env=env, cwd=tmp_path)
    assert proc.returncode == 0
    assert "environment variable PYJIT_NUM_THREADS is defined but its " \
           "value 'zero' could not be parsed" in proc.stderr
