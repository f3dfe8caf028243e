#!/usr/bin/env python3
"""pyjit's benchmark: scalar kernels, call overhead, compile latency, import.

    python benchmarks/run.py            # or: make bench
    python benchmarks/run.py --json results.json --no-numba

Every figure is measured in this run for pyjit, plain CPython, Numba (when
it can be imported, see --numba-python) and the same kernels in C built with
clang-19 -O3 and gcc -O3, and shown as ratios pyjit time / other time.
Each Python implementation runs in its own subprocess (`run.py --worker
IMPL`), so pyjit and Numba never share a process and a crash in one leaves
the rest of the table.  See README.md beside this file for what each figure
measures.  Timings are reported, never asserted.
"""
import argparse
import ctypes
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
import types

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BUILD = os.path.join(HERE, "_build")
KERNELS_PY = os.path.join(HERE, "kernels.py")
KERNELS_C = os.path.join(HERE, "kernels.c")
FRESH_PY = os.path.join(HERE, "fresh.py")
NUMBA_VENV_PY = os.path.join(BUILD, "venv-numba", "bin", "python")

CFLAGS = ["-O3", "-march=native", "-ffp-contract=off", "-fPIC", "-shared"]

clock = time.perf_counter_ns
LOAD_AT_START = 0.0


class Kernel:
    """A steady-state kernel: its arguments, the tiny arguments of the timed
    first call (so that call is all compile), and how plain CPython runs it
    (a smaller size scaled up, for the loops whose cost is linear in n).
    A kernel that only calls one compiled by an earlier row (compiles=False)
    has no first-call row: its first call compiles nothing."""

    def __init__(self, name, label, args, small, py_func=None, py_args=None,
                 py_scale=1, ctypes_sig=None, c_args=None, compiles=True):
        self._args, self._small, self._py_args = args, small, py_args
        self.compiles = compiles
        self.name, self.label = name, label
        self.py_func = py_func or name
        self.scaled = py_args is not None   # CPython runs a smaller size
        self.py_scale = py_scale
        self.ctypes_sig = ctypes_sig
        self.c_args = c_args or (lambda args: args)
        self._made = {}

    def _get(self, which, spec):
        """Arguments, built once per process (arrays come from functions)."""
        if which not in self._made:
            self._made[which] = spec() if callable(spec) else spec
        return self._made[which]

    @property
    def args(self):
        return self._get("args", self._args)

    @property
    def small(self):
        return self._get("small", self._small)

    @property
    def py_args(self):
        return self._get("py", self._py_args) if self.scaled else self.args


class Fn:
    """A kernel argument that is a function of the kernels' module, found
    in the module each implementation loaded (resolve)."""

    def __init__(self, name):
        self.name = name


def resolve(args, mod):
    return tuple(getattr(mod, a.name) if isinstance(a, Fn) else a
                 for a in args)


I64, F64 = ctypes.c_int64, ctypes.c_double
INT_N = 20_000_000
FLOAT_N = 2_000_000
LIST_N = 10_000_000
FIB_N = 25
MANDEL = (-2.0, 1.0, -1.5, 1.5, 400, 300, 200)

def _generator_and(n):
    """A seeded numpy.random.Generator and an array of n float64 to fill."""
    import numpy as np
    return np.random.default_rng(7), np.empty(n)


def _vectors(n):
    import numpy as np
    rng = np.random.default_rng(12345)
    return rng.random(n), rng.random(n)


def _pairs(n):
    import numpy as np
    rng = np.random.default_rng(1414)
    return (rng.integers(0, n, (n, 2)),)


def _interp_args(n):
    import numpy as np
    rng = np.random.default_rng(4142)
    t = np.linspace(0.0, 10.0, 500)
    return rng.random(n) * 12.0, t, np.sqrt(t)


def _keys(n):
    import numpy as np
    rng = np.random.default_rng(2718)
    return (rng.integers(0, 20_000, n),)


def _system(n):
    """A well-conditioned n x n matrix and a vector."""
    import numpy as np
    rng = np.random.default_rng(1618)
    return rng.random((n, n)) + n * np.eye(n), rng.random(n)


def _grid(n):
    import numpy as np
    rng = np.random.default_rng(54321)
    return rng.random((n, n)), np.zeros((n, n))


def _pointers(args):
    """numpy arrays as double *, their length (or shape) after them."""
    out, dims = [], []
    for a in args:
        out.append(a.ctypes.data_as(ctypes.POINTER(ctypes.c_double)))
        dims = list(a.shape)
    return tuple(out + (dims if len(dims) > 1 else [dims[0]]))


DOT_N = 5_000_000
SOLVE_N = 500
MATVEC_N = 2000
HIST_N = 1_000_000
INTEGRATE_N = 10**6
NEWTON_N = 10**6
GRID_N = 1500
SORT_N = 1_000_000
RAND_N = 10_000_000
DICT_N = 100_000
PARTICLES = (1000, 2000)
F64P = ctypes.POINTER(ctypes.c_double)
TEXT_LINES = 50_000
TEXT_LINE = "the quick brown fox jumps over the lazy dog\n"

KERNELS = [
    Kernel("intloop", f"int loop, n={INT_N // 10**6}M", (INT_N,), (10,),
           py_func="intloop_py", py_args=(INT_N // 20,), py_scale=20,
           ctypes_sig=(I64, [I64])),
    Kernel("floatloop", f"float loop sqrt*sin, n={FLOAT_N // 10**6}M",
           (FLOAT_N,), (10,), py_args=(FLOAT_N // 4,), py_scale=4,
           ctypes_sig=(F64, [I64])),
    Kernel("fib", f"fib({FIB_N})", (FIB_N,), (2,), ctypes_sig=(I64, [I64])),
    Kernel("mandelbrot", f"mandelbrot {MANDEL[4]}x{MANDEL[5]}, "
           f"maxiter {MANDEL[6]}", MANDEL, (-2.0, 1.0, -1.5, 1.5, 2, 2, 5),
           ctypes_sig=(I64, [F64, F64, F64, F64, I64, I64, I64])),
    Kernel("dot", f"dot product loop, n={DOT_N // 10**6}M float64",
           lambda: _vectors(DOT_N), lambda: _vectors(3),
           py_args=lambda: _vectors(DOT_N // 50), py_scale=50,
           ctypes_sig=(F64, [F64P, F64P, I64]),
           c_args=lambda args: _pointers(args)[:2] + (len(args[0]),)),
    Kernel("stencil", f"5-point stencil {GRID_N}x{GRID_N}",
           lambda: _grid(GRID_N), lambda: _grid(4),
           py_args=lambda: _grid(GRID_N // 15), py_scale=225,
           ctypes_sig=(F64, [F64P, F64P, I64, I64]),
           c_args=lambda args: _pointers(args)),
    Kernel("listsum", f"list of n floats by append, summed, "
           f"n={LIST_N // 10**6}M", (LIST_N,), (10,),
           py_args=(LIST_N // 20,), py_scale=20, ctypes_sig=(F64, [I64])),
    Kernel("arrayexpr", f"np.sqrt(x*x + y*y).sum(), n={DOT_N // 10**6}M",
           lambda: _vectors(DOT_N), lambda: _vectors(3),
           ctypes_sig=(F64, [F64P, F64P, I64]),
           c_args=lambda args: _pointers(args)[:2] + (len(args[0]),)),
    Kernel("parrayexpr", f"np.sqrt(x*x + y*y).sum(), parallel=True, "
           f"n={DOT_N // 10**6}M", lambda: _vectors(DOT_N),
           lambda: _vectors(3), ctypes_sig=(F64, [F64P, F64P, I64]),
           c_args=lambda args: _pointers(args)[:2] + (len(args[0]),)),
    Kernel("arraysum", f"a.sum(), n={DOT_N // 10**6}M float64",
           lambda: _vectors(DOT_N)[:1], lambda: _vectors(3)[:1],
           ctypes_sig=(F64, [F64P, I64]),
           c_args=lambda args: (_pointers(args)[0], len(args[0]))),
    Kernel("wordcount", f"count words and characters of a str, "
           f"{len(TEXT_LINE) * TEXT_LINES // 1000}K chars",
           (TEXT_LINE * TEXT_LINES,), ("a b",),
           ctypes_sig=(I64, [ctypes.c_char_p, I64]),
           c_args=lambda args: (args[0].encode("ascii"), len(args[0]))),
    Kernel("histogram", f"dict histogram d[k] = d.get(k, 0) + 1, "
           f"n={HIST_N // 10**6}M int64 keys",
           lambda: _keys(HIST_N), lambda: _keys(3),
           py_args=lambda: _keys(HIST_N // 10), py_scale=10,
           ctypes_sig=(I64, [ctypes.POINTER(ctypes.c_int64), I64]),
           c_args=lambda args: (args[0].ctypes.data_as(
               ctypes.POINTER(ctypes.c_int64)), len(args[0]))),
    Kernel("integrate", f"integrate(f, 0, 1, n), n={INTEGRATE_N // 10**6}M, "
           "f a jitted function argument",
           (Fn("integrand"), 0.0, 1.0, INTEGRATE_N),
           (Fn("integrand"), 0.0, 1.0, 3),
           py_args=(Fn("integrand"), 0.0, 1.0, INTEGRATE_N // 10),
           py_scale=10, ctypes_sig=(F64, [F64, F64, I64]),
           c_args=lambda args: args[1:]),
    Kernel("newton_solve", f"newton(f, fprime, x0) from {NEWTON_N // 10**6}M "
           "starts, f and fprime jitted function arguments",
           (Fn("cubic"), Fn("cubic_prime"), NEWTON_N),
           (Fn("cubic"), Fn("cubic_prime"), 3),
           py_args=(Fn("cubic"), Fn("cubic_prime"), NEWTON_N // 20),
           py_scale=20, ctypes_sig=(F64, [I64]),
           c_args=lambda args: args[2:]),
    Kernel("newton_solve_inline", f"the same, f and fprime inlined by hand",
           (NEWTON_N,), (3,), py_args=(NEWTON_N // 20,), py_scale=20,
           ctypes_sig=(F64, [I64])),
]
# The sum of sqrt over 10M elements: a serial loop, the same loop over
# prange with parallel=True on every thread, and on one thread (C: the
# serial loop in each row).
SQRT_N = 10_000_000
KERNELS += [
    Kernel(name, f"{what}, n={SQRT_N // 10**6}M",
           lambda: _vectors(SQRT_N)[:1], lambda: _vectors(3)[:1],
           py_args=lambda: _vectors(SQRT_N // 20)[:1], py_scale=20,
           ctypes_sig=(F64, [F64P, I64]),
           c_args=lambda args: (_pointers(args)[0], len(args[0])),
           compiles=compiles)
    for name, what, compiles in [
        ("sqrtsum", "sum of sqrt, range loop", True),
        ("psqrtsum", "sum of sqrt, prange, all threads", True),
        # psqrtsum again, on one thread
        ("psqrtsum_1", "sum of sqrt, prange, 1 thread", False)]
]
# Integer range loops: Python's % of a square, and a bool-array sieve.
MODSUM_N = 2_000_000
SIEVE_N = 1_000_000
PATHS_N = 200
KERNELS += [
    Kernel("modsum", f"sum of (i * i) % 7, n={MODSUM_N // 10**6}M",
           (MODSUM_N,), (10,), py_args=(MODSUM_N // 20,), py_scale=20,
           ctypes_sig=(I64, [I64])),
    Kernel("sieve", f"sieve of Eratosthenes, n={SIEVE_N // 10**6}M bools",
           (SIEVE_N,), (10,), py_args=(SIEVE_N // 10,), py_scale=10,
           ctypes_sig=(I64, [I64])),
    # d[i][j] of an array the function made: a row view per cell
    Kernel("shortest_paths", f"Floyd-Warshall d[i][j], n={PATHS_N}",
           (PATHS_N,),
           (3,), py_args=(PATHS_N // 5,), py_scale=125,
           ctypes_sig=(F64, [I64])),
]
# out[:] = a * b + c over 10M float64 by a @vectorize ufunc, target='cpu'
# and target='parallel' (CPython: NumPy's multiply and add into out; C:
# one serial loop in both rows).
MULADD_N = 10_000_000


def _muladd_args(n):
    import numpy as np
    rng = np.random.default_rng(161803)
    return rng.random(n), rng.random(n), rng.random(n), np.zeros(n)


KERNELS += [
    Kernel(name, f"@vectorize a*b + c, {what}, n={MULADD_N // 10**6}M",
           lambda: _muladd_args(MULADD_N), lambda: _muladd_args(3),
           ctypes_sig=(F64, [F64P, F64P, F64P, F64P, I64]),
           c_args=lambda args: _pointers(args)[:4] + (len(args[0]),))
    for name, what in [("vmuladd", "target='cpu'"),
                       ("pvmuladd", "target='parallel'")]
]
KERNELS += [
    # NumPy functions: the CPython column is NumPy itself; no C kernel
    Kernel("dictbuild", f"dict of n ints built from empty, "
           f"n={DICT_N // 1000}k", (DICT_N,), (3,)),
    Kernel("arraycomp", f"np.array([sqrt(i * 0.5) for i in range(n)]).sum(), "
           f"n={DOT_N // 10**6}M", (DOT_N,), (3,), py_args=(DOT_N // 20,),
           py_scale=20),
    Kernel("cexpsum", f"sum of np.exp(1j * a[i]) / (... + 2) in a loop, "
           f"n={HIST_N // 10**6}M", lambda: _vectors(HIST_N)[:1],
           lambda: _vectors(3)[:1], py_args=lambda: _vectors(HIST_N // 20)[:1],
           py_scale=20),
    Kernel("npufuncops", f"np.sqrt(np.add(np.multiply(x, x), ...)).sum(), "
           f"n={DOT_N // 10**6}M", lambda: _vectors(DOT_N),
           lambda: _vectors(3)),
    Kernel("interplinear", "linear interpolation in a table of 500 by "
           f"searchsorted and gathers, n={HIST_N // 10**6}M",
           lambda: _interp_args(HIST_N), lambda: _interp_args(3)),
    Kernel("zscore", f"((a - a.mean()) / a.std()).max(), "
           f"n={DOT_N // 10**6}M", lambda: _vectors(DOT_N),
           lambda: _vectors(3)),
    Kernel("flatwindows", "np.nanmean of each 3x3 window of a 1000x1000 "
           "array", lambda: _vectors(10**6), lambda: _vectors(3000),
           py_args=lambda: _vectors(20_000), py_scale=50),
    Kernel("unionfind", f"union-find on a namedtuple of arrays, "
           f"n={HIST_N // 10**6}M pairs", lambda: _pairs(HIST_N),
           lambda: _pairs(3), py_args=lambda: (_pairs(HIST_N // 20)[0],),
           py_scale=20),
    Kernel("npsort", f"np.sort, n={SORT_N // 10**6}M float64",
           lambda: _vectors(SORT_N)[:1], lambda: _vectors(3)[:1]),
    Kernel("npmax", f"a.max(), n={DOT_N // 10**6}M float64",
           lambda: _vectors(DOT_N)[:1], lambda: _vectors(3)[:1]),
    Kernel("nphistogram", f"np.histogram(a, 20), n={HIST_N // 10**6}M "
           "float64", lambda: _vectors(HIST_N)[:1], lambda: _vectors(3)[:1]),
    Kernel("npmask", f"a[a > 0.5], n={DOT_N // 10**6}M float64",
           lambda: _vectors(DOT_N)[:1], lambda: _vectors(3)[:1]),
    Kernel("ufuncs", f"np.maximum(np.hypot(x, y), 0.5).sum(), "
           f"n={DOT_N // 10**6}M", lambda: _vectors(DOT_N),
           lambda: _vectors(3)),
    Kernel("randsum", f"sum of np.random.random() in a loop, "
           f"n={RAND_N // 10**6}M", (RAND_N,), (3,), py_args=(RAND_N // 20,),
           py_scale=20),
    Kernel("rngnormal", f"rng.normal() in a loop, n={RAND_N // 10**6}M "
           "(CPython: NumPy's rng.normal(size=n))",
           lambda: _generator_and(RAND_N), lambda: _generator_and(3),
           py_func="rngnormal_numpy"),
    Kernel("linsolve", f"np.linalg.solve, {SOLVE_N}x{SOLVE_N}",
           lambda: _system(SOLVE_N), lambda: _system(3)),
    Kernel("matvec", f"matrix @ vector, {MATVEC_N}x{MATVEC_N}",
           lambda: _system(MATVEC_N), lambda: _system(3)),
    Kernel("particles", f"jitclass Particles, {PARTICLES[0]} oscillators, "
           f"{PARTICLES[1]} steps", PARTICLES, (2, 2),
           py_args=(PARTICLES[0], PARTICLES[1] // 20), py_scale=20),
]

# A @stencil sweep into a given output in a parallel=True function and in
# a serial one, and a histogram with per-thread partial counts over prange
# against the plain loop (CPython: NumPy slices for the sweep; C: one
# serial loop in each pair of rows).
PHIST_N = 20_000_000
PHIST_BINS = 64
KERNELS += [
    Kernel(name, f"@stencil 5-point sweep {GRID_N}x{GRID_N} into out=, "
           f"{what}", lambda: _grid(GRID_N), lambda: _grid(4),
           py_func="pstencil_np", ctypes_sig=(F64, [F64P, F64P, I64, I64]),
           c_args=lambda args: _pointers(args))
    for name, what in [("pstencil", "parallel=True"),
                       ("pstencil_serial", "serial")]
] + [
    Kernel(name, f"histogram, {PHIST_BINS} bins, {what}, "
           f"n={PHIST_N // 10**6}M", lambda: (_vectors(PHIST_N)[0],
                                               PHIST_BINS),
           lambda: (_vectors(3)[0], PHIST_BINS),
           py_args=lambda: (_vectors(PHIST_N // 20)[0], PHIST_BINS),
           py_scale=20, ctypes_sig=(I64, [F64P, I64, I64]),
           c_args=lambda args: (_pointers(args[:1])[0], len(args[0]),
                                args[1]))
    for name, what in [("phistogram", "per-thread rows over prange"),
                       ("phistogram_serial", "serial loop")]
]

VEC_N = 10_000_000


def vectorize_figure(impl):
    """@vectorize(["float64(float64, float64)"]) of a scalar function over
    VEC_N elements into a preallocated output (pyjit, Numba), or the same
    as a NumPy expression (the CPython column)."""
    import numpy as np
    x, y = _vectors(VEC_N)
    if impl == "python":
        def run(x, y):
            return np.sqrt(x * x + y * y) * 0.5 + x
        return time_kernel(run, (x, y))
    vectorize = __import__(impl).vectorize

    @vectorize(["float64(float64, float64)"])
    def halfnorm(a, b):
        return math.sqrt(a * a + b * b) * 0.5 + a

    out = np.empty_like(x)
    r = time_kernel(lambda x, y: halfnorm(x, y, out=out), (x, y))
    r["result"] = float(out[12345])
    return r


# Containers and strings: a word count over a dict of str keys, a Python
# list argument, and a typed List made from a Python list and turned back
# into one (CPython: the word count itself, and a copy of the list).
WORDS_N = 1_000_000
REFLECTED_N = 100_000
TYPED_N = 1_000_000


def _words(n):
    import random
    rng = random.Random(1)
    vocab = ["w%d" % i for i in range(5000)]
    return " ".join(rng.choice(vocab) for _ in range(n))


def container_figures(impl, mod):
    """{name: timing} of the container figures for one implementation,
    with the first call (compile included) of the word count."""
    out, first = {}, {}
    text = _words(WORDS_N)
    if impl != "python":
        t0 = clock()
        mod.wordfreq("a b a")
        first["wordfreq"] = clock() - t0
    out["wordfreq"] = time_kernel(mod.wordfreq, (text,), budget_s=2.0)
    ints = list(range(REFLECTED_N))
    out["reflected"] = time_kernel(mod.reflected_sum, (ints,))
    floats = [i * 0.5 for i in range(TYPED_N)]
    if impl == "python":
        out["typed_in"] = time_kernel(list, (floats,))
        out["typed_out"] = dict(out["typed_in"])
    else:
        List = __import__(impl + ".typed", fromlist=["List"]).List
        out["typed_in"] = time_kernel(List, (floats,), budget_s=1.0,
                                      min_rep=2, max_rep=3)
        out["typed_out"] = time_kernel(list, (List(floats),), budget_s=1.0,
                                       min_rep=2, max_rep=3)
    for name in ("typed_in", "typed_out"):
        out[name]["result"] = len(out[name]["result"])
    return out, first


# (figure, label, pyjit at most this times Numba, and times CPython)
CONTAINER_ROWS = [
    ("wordfreq", f"word count, dict[str, int], {WORDS_N // 10**6}M words",
     0.5, 0.5),
    ("reflected", f"list argument of {REFLECTED_N // 1000}k ints, summed",
     0.1, None),
    ("typed_in", f"typed List(list of {TYPED_N // 10**6}M floats) "
     "(CPython: list copy)", 0.1, None),
    ("typed_out", f"list(typed List of {TYPED_N // 10**6}M floats) "
     "(CPython: list copy)", 0.1, None),
]


C_KERNELS = [k for k in KERNELS if k.ctypes_sig is not None]

# Subprocess counts for the fresh-process figures (median over them).
FRESH_RUNS = {"pyjit": 9, "numba": 5}


# ---------------------------------------------------------------- timing

def time_kernel(func, args, budget_s=1.5, min_rep=3, max_rep=15):
    """Best and median wall time (ns) of func(*args) over repeats that fit
    in about budget_s; the first call (a warm-up) is not counted."""
    result = func(*args)
    t0 = clock()
    func(*args)
    first = clock() - t0
    reps = max(min_rep, min(max_rep, int(budget_s * 1e9 / max(first, 1))))
    times = [first]
    for _ in range(reps - 1):
        t0 = clock()
        func(*args)
        times.append(clock() - t0)
    return {"best": min(times), "median": statistics.median(times),
            "repeats": len(times), "result": result}


def call_ns(func, number=400_000, repeat=7):
    """ns per func(1, 2) from timeit, the empty loop's time subtracted;
    returns (call ns, loop ns)."""
    timer = timeit.Timer("f(1, 2)", globals={"f": func})
    t = min(timer.repeat(repeat, number))
    base = min(timeit.Timer("pass").repeat(repeat, number))
    return (t - base) / number * 1e9, base / number * 1e9


def describe_error(exc, lines=8):
    text = f"{type(exc).__name__}: {exc}".rstrip()
    parts = text.splitlines()
    if len(parts) > lines:
        parts = parts[:lines] + ["    ..."]
    return "\n".join(parts)


# ---------------------------------------------------------------- workers

def parallel_names(impl):
    """What kernels.py's parallel kernels use: jit(parallel=True), prange,
    set_num_threads and the thread count, for pyjit and Numba."""
    if impl not in ("pyjit", "numba"):
        return {}
    lib = __import__(impl)
    threads = (lib._parallel.NUM_THREADS if impl == "pyjit"
               else lib.config.NUMBA_NUM_THREADS)
    return {"parallel_jit": lib.njit(parallel=True), "prange": lib.prange,
            "set_num_threads": lib.set_num_threads, "NUM_THREADS": threads,
            "vectorize": lib.vectorize, "make_stencil": lib.stencil}


def jitclass_names(impl):
    """The implementation's jitclass and float64, for kernels.py's
    Particles."""
    if impl not in ("pyjit", "numba"):
        return {}
    lib = __import__(impl)
    return {"jitclass": __import__(f"{impl}.experimental",
                                   fromlist=["jitclass"]).jitclass,
            "jc_float64": lib.float64}


def load_kernels(jit, modname, extra=None):
    """kernels.py as a fresh module with `jit` bound to the given decorator
    (and the names of `extra`)."""
    mod = types.ModuleType(modname)
    mod.__file__ = KERNELS_PY
    mod.jit = jit
    mod.__dict__.update(extra or {})
    sys.modules[modname] = mod
    with open(KERNELS_PY, encoding="utf-8") as f:
        code = compile(f.read(), KERNELS_PY, "exec")
    exec(code, mod.__dict__)
    return mod


ONLY = False     # --only: the chosen kernel rows and nothing else


def keep_only(names):
    """Keep the named kernels (KERNELS and C_KERNELS, in place)."""
    global ONLY
    unknown = set(names) - {k.name for k in KERNELS}
    if unknown:
        sys.exit(f"--only: no kernel named {', '.join(sorted(unknown))}")
    ONLY = True
    KERNELS[:] = [k for k in KERNELS if k.name in names]
    C_KERNELS[:] = [k for k in C_KERNELS if k.name in names]


def worker(impl):
    """Run in a subprocess: every in-process figure for one implementation,
    printed as JSON on the last line of stdout."""
    out = {"impl": impl, "errors": {}, "kernels": {}, "first_call": {},
           "info": {}}
    if impl == "pyjit":
        import pyjit
        jit = pyjit.njit
        out["info"]["version"] = pyjit.__version__
    elif impl == "numba":
        import numba
        import llvmlite
        jit = numba.njit
        out["info"]["version"] = numba.__version__
        out["info"]["llvmlite"] = llvmlite.__version__
        out["info"]["llvm"] = ".".join(
            map(str, __import__("llvmlite.binding").binding.llvm_version_info))
    else:
        jit = None
    try:
        import numpy
        out["info"]["numpy"] = numpy.__version__
    except ImportError:
        pass
    mod = load_kernels(jit if jit is not None else (lambda f: f),
                       f"_bench_kernels_{impl}",
                       {**parallel_names(impl), **jitclass_names(impl)})

    # Warm the compiler (two specializations of add), then add's call cost.
    try:
        if mod.add(1, 2) != 3 or mod.add(1.0, 2.0) != 3.0:
            raise AssertionError("add returned a wrong result")
        out["call_ns"], out["loop_ns"] = call_ns(mod.add)
    except Exception as e:  # noqa: BLE001 -- reported in the table
        out["errors"]["add"] = describe_error(e)

    if impl == "pyjit":
        try:
            out["info"]["target"] = pyjit._core.host_info()[1]
        except Exception:  # noqa: BLE001
            pass

    for k in KERNELS:
        func = getattr(mod, k.name)
        args = resolve(k.args, mod)
        scale = 1
        if impl == "python":
            func, scale = getattr(mod, k.py_func), k.py_scale
            args = resolve(k.py_args, mod)
        else:
            try:
                small = resolve(k.small, mod)   # built outside the clock
                t0 = clock()
                func(*small)
                out["first_call"][k.name] = clock() - t0
            except Exception as e:  # noqa: BLE001
                out["errors"][k.name] = describe_error(e)
                continue
        try:
            budget = 3.0 if impl == "python" else 1.5
            r = time_kernel(func, args, budget_s=budget)
        except Exception as e:  # noqa: BLE001
            out["errors"][k.name] = describe_error(e)
            continue
        r["best"] *= scale
        r["median"] *= scale
        r["scale"] = scale
        out["kernels"][k.name] = r
    if ONLY:
        print(json.dumps(out, default=lambda o: o.tolist()
                         if hasattr(o, "tolist") else repr(o)))
        return
    try:
        out["kernels"]["vectorize"] = vectorize_figure(impl)
    except Exception as e:  # noqa: BLE001
        out["errors"]["vectorize"] = describe_error(e)
    try:
        figures, first = container_figures(impl, mod)
        out["kernels"].update(figures)
        out["first_call"].update(first)
    except Exception as e:  # noqa: BLE001
        out["errors"]["containers"] = describe_error(e)
    sys.stdout.flush()
    # a kernel may return an array or a NumPy scalar: keep its value
    print(json.dumps(out, default=lambda o: o.tolist()
                     if hasattr(o, "tolist") else repr(o)))


def run_worker(python, impl):
    """Start `run.py --worker impl` under the given interpreter."""
    try:
        p = subprocess.run(
            [python, os.path.abspath(__file__), "--worker", impl]
            + (["--only", ",".join(k.name for k in KERNELS)] if ONLY else []),
            capture_output=True, text=True, timeout=900, cwd=HERE)
    except subprocess.TimeoutExpired:
        return {"failed": f"the {impl} worker timed out"}
    lines = p.stdout.strip().splitlines()
    if p.returncode != 0 or not lines:
        tail = "\n".join(p.stderr.strip().splitlines()[-12:])
        return {"failed": f"the {impl} worker exited with status "
                          f"{p.returncode}:\n{tail}"}
    return json.loads(lines[-1])


def merge_runs(runs):
    """One result from several rounds: per kernel the best time (and the
    median of the medians), the best call overhead, the median warm first
    call; a round that failed only counts when every round failed."""
    ok = [r for r in runs if "failed" not in r]
    if not ok:
        return runs[-1]
    out = {key: value for key, value in ok[0].items()
           if key not in ("kernels", "first_call", "call_ns", "errors")}
    out["rounds"] = len(ok)
    out["errors"] = {}
    for r in ok:
        out["errors"].update(r.get("errors", {}))
    calls = [r["call_ns"] for r in ok if r.get("call_ns") is not None]
    if calls:
        out["call_ns"] = min(calls)
    out["kernels"] = {}
    for name in ok[0].get("kernels", {}):
        ks = [r["kernels"][name] for r in ok if name in r.get("kernels", {})]
        out["kernels"][name] = dict(
            ks[0], best=min(k["best"] for k in ks),
            median=statistics.median(k["median"] for k in ks),
            repeats=sum(k["repeats"] for k in ks))
    out["first_call"] = {}
    for name in ok[0].get("first_call", {}):
        fs = [r["first_call"][name] for r in ok
              if name in r.get("first_call", {})]
        out["first_call"][name] = statistics.median(fs)
    return out


def run_fresh(python, mode, impl, runs, extra=()):
    """Median of each `key value` figure that fresh.py prints, over runs
    fresh processes (or {'failed': why})."""
    samples = {}
    for _ in range(runs):
        p = subprocess.run([python, FRESH_PY, mode, impl, *extra],
                           capture_output=True, text=True, timeout=300,
                           cwd=HERE)
        if p.returncode != 0:
            tail = "\n".join(p.stderr.strip().splitlines()[-12:])
            return {"failed": f"fresh {mode} {impl} exited with status "
                              f"{p.returncode}:\n{tail}"}
        for line in p.stdout.splitlines():
            key, value = line.split()
            samples.setdefault(key, []).append(int(value))
    out = {key: statistics.median(v) for key, v in samples.items()}
    out["samples"] = samples
    return out


# ---------------------------------------------------------------- C side

def find_clang():
    for cand in (os.environ.get("CLANG"), "clang-19",
                 "/usr/lib/llvm-19/bin/clang"):
        if cand and shutil.which(cand):
            return shutil.which(cand)
    return None


def compiler_version(cc):
    try:
        out = subprocess.run([cc, "--version"], capture_output=True,
                             text=True).stdout
        return out.splitlines()[0].strip()
    except (OSError, IndexError):
        return "?"


def build_c(name, cc):
    """Build kernels.c with cc into _build/; returns (CDLL or None, error)."""
    if cc is None:
        return None, ("not found (apt-get install clang-19)" if name == "clang"
                      else "not found (apt-get install gcc)")
    os.makedirs(BUILD, exist_ok=True)
    lib = os.path.join(BUILD, f"kernels_{name}.so")
    cmd = [cc] + CFLAGS + ["-o", lib, KERNELS_C, "-lm"]
    stamp = lib + ".cmd"
    want = " ".join(cmd)
    fresh = (os.path.exists(lib) and os.path.exists(stamp)
             and os.path.getmtime(lib) >= os.path.getmtime(KERNELS_C)
             and open(stamp).read() == want)
    if not fresh:
        p = subprocess.run(cmd, capture_output=True, text=True)
        if p.returncode != 0:
            return None, f"{' '.join(cmd)} failed:\n{p.stderr.strip()}"
        with open(stamp, "w") as f:
            f.write(want)
    dll = ctypes.CDLL(lib)
    for k in C_KERNELS:
        fn = getattr(dll, k.name)
        fn.restype, fn.argtypes = k.ctypes_sig[0], k.ctypes_sig[1]
    dll.add.restype, dll.add.argtypes = I64, [I64, I64]
    return dll, None


def measure_c(dll):
    out = {"kernels": {}, "small": {}}
    for k in C_KERNELS:
        fn = getattr(dll, k.name)
        out["kernels"][k.name] = time_kernel(fn, k.c_args(k.args))
        if k.scaled:
            out["small"][k.name] = fn(*k.c_args(k.py_args))
    out["call_ns"], _ = call_ns(dll.add)
    return out


# ---------------------------------------------------------------- report

def fmt_time(ns):
    if ns is None:
        return "-"
    if ns < 1e3:
        return f"{ns:.0f} ns"
    if ns < 1e6:
        return f"{ns / 1e3:.1f} us"
    if ns < 1e9:
        return f"{ns / 1e6:.1f} ms" if ns >= 1e7 else f"{ns / 1e6:.2f} ms"
    return f"{ns / 1e9:.2f} s"


def fmt_ratio(r):
    if r is None:
        return ""
    return f"{r:#.3g}x"


def machine_info(workers, compilers):
    lines = []
    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            kb = int(f.readline().split()[1])
            mem = f", {kb / 2**20:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    load = ""
    if hasattr(os, "getloadavg"):
        load = ", load average %.2f at start" % LOAD_AT_START
    lines.append(f"machine : {cpu}, {os.cpu_count()} cores{mem}, "
                 f"{platform.system()} {platform.release()}{load}")
    lines.append(f"python  : {platform.python_implementation()} "
                 f"{platform.python_version()} ({sys.executable})")
    pj = workers.get("pyjit", {}).get("info", {})
    lines.append(f"pyjit   : {pj.get('version', '?')}, LLVM 19, target cpu "
                 f"{pj.get('target', '?')}, numpy {pj.get('numpy', '?')}")
    nb = workers.get("numba")
    if nb and "info" in nb:
        i = nb["info"]
        lines.append(f"numba   : {i.get('version')} (llvmlite "
                     f"{i.get('llvmlite')}, LLVM {i.get('llvm')}), numpy "
                     f"{i.get('numpy', '?')}, run by {nb.get('python')}")
    for name, (cc, ver) in compilers.items():
        lines.append(f"{name:<8}: {ver}: {' '.join(CFLAGS[:3])}")
    return lines


def build_rows(w, c, fresh, have_numba):
    """Rows of (label, pyjit ns, {column: ns}, target text, verdict)."""
    pj, py, nb = w.get("pyjit", {}), w.get("python", {}), w.get("numba", {})
    rows = []

    def kernel_ns(res, name):
        k = res.get("kernels", {}).get(name) if res else None
        return k["best"] if k else None

    for k in KERNELS:
        p = kernel_ns(pj, k.name)
        others = {"CPython": kernel_ns(py, k.name),
                  "Numba": kernel_ns(nb, k.name),
                  "clang -O3": kernel_ns(c.get("clang"), k.name),
                  "gcc -O3": kernel_ns(c.get("gcc"), k.name)}
        checks = [("clang -O3", 1.10)]
        if have_numba:
            checks.append(("Numba", 1.00))
        target = "<=1.10x clang" + (", <=1x Numba" if have_numba else "")
        rows.append((k.label, p, others, target, verdict(p, others, checks)))
    if ONLY:
        return rows

    p = kernel_ns(pj, "vectorize")
    others = {"CPython": kernel_ns(py, "vectorize"),
              "Numba": kernel_ns(nb, "vectorize")}
    rows.append((f"@vectorize f(x, y), n={VEC_N // 10**6}M (CPython: NumPy "
                 "expression)", p, others, "<=1x Numba",
                 verdict(p, others, [("Numba", 1.00)] if have_numba else [])))

    for name, label, vs_numba, vs_python in CONTAINER_ROWS:
        p = kernel_ns(pj, name)
        others = {"CPython": kernel_ns(py, name), "Numba": kernel_ns(nb, name)}
        checks = [("Numba", vs_numba)] if have_numba else []
        target = f"<={vs_numba}x Numba"
        if vs_python is not None:
            checks.append(("CPython", vs_python))
            target = f"<={vs_python}x CPython, " + target
        rows.append((label, p, others, target, verdict(p, others, checks)))

    p = pj.get("call_ns")
    others = {"CPython": py.get("call_ns"), "Numba": nb.get("call_ns")}
    rows.append(("add(1, 2) call, per call", p, others, "<=0.60x Numba",
                 verdict(p, others, [("Numba", 0.60)] if have_numba else [])))

    fp, fn = fresh.get("first", {}).get("pyjit", {}), \
        fresh.get("first", {}).get("numba", {})
    p = fp.get("first_ns")
    rows.append(("first add(1, 2), fresh process", p,
                 {"Numba": fn.get("first_ns")}, "<15 ms",
                 verdict(p, {}, [], limit=15e6)))
    p = fp.get("second_sig_ns")
    rows.append(("then add(1.0, 2.0), new signature", p,
                 {"Numba": fn.get("second_sig_ns")}, "<5 ms",
                 verdict(p, {}, [], limit=5e6)))
    for k in [k for k in KERNELS if k.compiles] + [Fn("wordfreq")]:
        p = pj.get("first_call", {}).get(k.name)
        others = {"Numba": nb.get("first_call", {}).get(k.name)}
        checks = [("Numba", 0.20)] if have_numba else []
        rows.append((f"first call, warm: {k.name}", p, others,
                     "<=0.20x Numba", verdict(p, others, checks)))
    sp, sn = fresh.get("sort", {}).get("pyjit", {}), \
        fresh.get("sort", {}).get("numba", {})
    for items in ("float", "str"):
        p = sp.get(items, {}).get("sort_first_cpu_ns")
        rows.append((f"first l.sort() of 1000 {items}s, fresh process, CPU",
                     p, {"Numba": sn.get(items, {}).get("sort_first_cpu_ns")},
                     "<200 ms", verdict(p, {}, [], limit=200e6)))
    cp, cn = fresh.get("cached", {}).get("pyjit", {}), \
        fresh.get("cached", {}).get("numba", {})
    for what, label, limit in (("compiled", "compiles, stores", None),
                               ("loaded", "loads", 3e6)):
        p = cp.get(what, {}).get("cached_first_ns")
        others = {"Numba": cn.get(what, {}).get("cached_first_ns")}
        rows.append((f"cache=True mandelbrot, fresh process {label}", p,
                     others, "<3 ms" if limit else "",
                     verdict(p, others, [], limit=limit)))
    ip, inb = fresh.get("import", {}).get("pyjit", {}), \
        fresh.get("import", {}).get("numba", {})
    p = ip.get("import_ns")
    rows.append(("import (numpy already imported)", p,
                 {"Numba": inb.get("import_ns")}, "<25 ms",
                 verdict(p, {}, [], limit=25e6)))
    return rows


def verdict(p, others, checks, limit=None):
    if p is None:
        return "FAILED"
    if limit is None and not any(others.get(col) for col, _ in checks):
        return "n/a"
    misses = []
    if limit is not None and p >= limit:
        misses.append("time")
    for col, most in checks:
        o = others.get(col)
        if o and p / o > most:
            misses.append(col.split()[0])
    return "ok" if not misses else "MISS " + ",".join(misses)


def print_table(rows, columns):
    head = ["figure", "pyjit"] + columns + ["target", ""]
    table = []
    for label, p, others, target, verd in rows:
        cells = [label, fmt_time(p)]
        for col in columns:
            o = others.get(col)
            if o is None:
                cells.append("-")
            else:
                r = p / o if (p is not None and o) else None
                cells.append(f"{fmt_time(o):>9} {fmt_ratio(r):>7}")
        cells += [target, verd]
        table.append(cells)
    widths = [max(len(str(r[i])) for r in table + [head])
              for i in range(len(head))]
    def line(cells):
        out = [cells[0].ljust(widths[0]), cells[1].rjust(widths[1])]
        out += [c.rjust(w) for c, w in zip(cells[2:-2], widths[2:-2])]
        out += [cells[-2].ljust(widths[-2]), cells[-1]]
        return "  ".join(out).rstrip()
    print(line(head))
    print("-" * len(line(head)))
    for i, cells in enumerate(table):
        print(line(cells))
        if i == len(KERNELS) - 1 or i == len(KERNELS):
            print()


# ---------------------------------------------------------------- main

def find_numba_python(args):
    if args.no_numba:
        return None, "disabled by --no-numba"
    cands = []
    explicit = args.numba_python or os.environ.get("PYJIT_BENCH_NUMBA_PYTHON")
    if explicit:
        cands.append(explicit)
    else:
        cands += [sys.executable, NUMBA_VENV_PY]
    for py in cands:
        if not os.path.exists(py) and not shutil.which(py):
            continue
        p = subprocess.run([py, "-c", "import numba"], capture_output=True,
                           text=True)
        if p.returncode == 0:
            return py, None
    return None, ("numba is not importable by " + " or ".join(cands)
                  + " (pip install numba, see benchmarks/README.md)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--worker", choices=["pyjit", "numba", "python"],
                    help=argparse.SUPPRESS)
    ap.add_argument("--no-numba", action="store_true",
                    help="leave out the Numba column")
    ap.add_argument("--numba-python", metavar="PYTHON",
                    help="interpreter that has numba (default: this one, "
                         "then benchmarks/_build/venv-numba/bin/python)")
    ap.add_argument("--rounds", type=int, default=3, metavar="N",
                    help="interleaved rounds of the compiled kernels "
                         "(default 3; each figure keeps its best round)")
    ap.add_argument("--json", metavar="FILE", help="also write raw results")
    ap.add_argument("--only", metavar="NAMES",
                    help="run only these kernel rows (comma-separated names "
                         "from KERNELS, e.g. pstencil,pstencil_serial), "
                         "without the other figures")
    args = ap.parse_args()
    if args.only:
        keep_only(args.only.split(","))
    if args.worker:
        return worker(args.worker)

    t_start = time.time()
    global LOAD_AT_START
    LOAD_AT_START = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    numba_py, numba_why = find_numba_python(args)
    have_numba = numba_py is not None

    print("building the C kernels ...", file=sys.stderr)
    compilers, dlls, notes = {}, {}, []
    for name, cc in (("clang", find_clang()),
                     ("gcc", shutil.which(os.environ.get("GCC", "gcc")))):
        dll, err = build_c(name, cc)
        if dll is None:
            notes.append(f"{name}: {err}")
            continue
        compilers[name] = (cc, compiler_version(cc))
        dlls[name] = dll

    # The compiled implementations are measured in interleaved rounds, so a
    # burst of other work on the machine hits them all alike; each figure
    # keeps its best round (warm first calls: the median round).
    impls = [("pyjit", sys.executable)]
    if have_numba:
        impls.append(("numba", numba_py))
    c_runs = {name: [] for name in dlls}
    w_runs = {impl: [] for impl, _ in impls}
    for r in range(args.rounds):
        for name, dll in dlls.items():
            print(f"round {r + 1}/{args.rounds}: C ({name}) ...",
                  file=sys.stderr)
            c_runs[name].append(measure_c(dll))
        for impl, py in impls:
            print(f"round {r + 1}/{args.rounds}: {impl} (worker process) ...",
                  file=sys.stderr)
            w_runs[impl].append(run_worker(py, impl))
    c_res = {name: merge_runs(runs) for name, runs in c_runs.items()}
    workers = {impl: merge_runs(runs) for impl, runs in w_runs.items()}
    print("plain CPython (worker process) ...", file=sys.stderr)
    workers["python"] = run_worker(sys.executable, "python")
    for impl, py in impls + [("python", sys.executable)]:
        workers[impl]["python"] = py

    fresh = {"first": {}, "import": {}, "cached": {}, "sort": {}}
    for impl, py in [] if ONLY else impls:
        for mode in ("first", "import"):
            print(f"fresh processes: {mode} {impl} ...", file=sys.stderr)
            fresh[mode][impl] = run_fresh(py, mode, impl, FRESH_RUNS[impl])
        print(f"fresh processes: sort {impl} ...", file=sys.stderr)
        fresh["sort"][impl] = {
            items: run_fresh(py, "sort", impl, FRESH_RUNS[impl], (items,))
            for items in ("float", "str")}
        print(f"fresh processes: cache=True {impl} ...", file=sys.stderr)
        with tempfile.TemporaryDirectory() as tmp:
            compiled = run_fresh(py, "cached", impl, 1, (tmp,))
            loaded = run_fresh(py, "cached", impl, FRESH_RUNS[impl], (tmp,))
        fresh["cached"][impl] = {"compiled": compiled, "loaded": loaded}

    # ---- report
    print()
    print("pyjit benchmark  (python benchmarks/run.py)")
    for line in machine_info(workers, compilers):
        print(line)
    print()
    columns = ["CPython"] + (["Numba"] if have_numba else []) + \
        [f"{n} -O3" for n in ("clang", "gcc") if n in c_res]
    rows = build_rows(workers, c_res, fresh, have_numba)
    print_table(rows, columns)
    print()

    # ---- notes: errors, cross-checks, how the figures were taken
    for impl in ("pyjit", "numba", "python"):
        w = workers.get(impl)
        if not w:
            continue
        if "failed" in w:
            notes.append(f"{impl}: {w['failed']}")
        for name, err in w.get("errors", {}).items():
            notes.append(f"{impl}: {name} failed:\n    "
                         + err.replace("\n", "\n    "))
    for mode in fresh:
        for impl, r in fresh[mode].items():
            if "failed" in r:
                notes.append(f"{impl}: {r['failed']}")
    notes += check_results(workers, c_res)
    if not have_numba:
        notes.append(f"Numba column left out: {numba_why}")
    if LOAD_AT_START > 0.5:
        notes.append(f"the load average was {LOAD_AT_START:.2f} when the run "
                     "started: other work on this machine may inflate times")

    print(f"how: kernels are the best call over {args.rounds} interleaved "
          "rounds of several calls each (medians in --json); each C kernel is "
          "one ctypes call doing the whole loop;")
    print("     warm first calls (compile + a tiny run, after add was "
          "compiled) are the median round;")
    py = workers.get("python", {})
    scaled = [k for k in KERNELS if k.py_scale != 1]
    if scaled:
        print("     CPython runs " + ", ".join(
            f"{k.name} at n/{k.py_scale}" for k in scaled)
            + " and is scaled up (the cost is linear in n);")
    loop = workers.get("pyjit", {}).get("loop_ns")
    cc = c_res.get("clang", {}).get("call_ns")
    print("     call overhead is timeit's per-call time less the empty loop"
          + (f" ({loop:.1f} ns)" if loop else "")
          + (f"; a ctypes call costs {cc:.0f} ns, not subtracted from C"
             if cc else "")
          + ";")
    print("     fresh-process and import figures are medians over "
          f"{FRESH_RUNS['pyjit']} (pyjit) / {FRESH_RUNS['numba']} (Numba) "
          "new interpreters; ratios are pyjit / column.")
    npy = fresh.get("import", {}).get("pyjit", {}).get("numpy_ns")
    if npy:
        print(f"     import numpy itself: {fmt_time(npy)} (median).")
    if notes:
        print()
        print("notes:")
        for n in notes:
            print("  - " + n)
    print(f"\n(total run time {time.time() - t_start:.0f} s)")

    if args.json:
        with open(args.json, "w") as f:
            json.dump({"workers": workers, "c": c_res, "fresh": fresh,
                       "columns": columns}, f, indent=1, default=str)


def check_results(workers, c_res):
    """Every implementation must compute the same values; report any that
    do not (a wrong result makes its timing meaningless)."""
    notes = []
    ref = c_res.get("clang") or c_res.get("gcc")
    if not ref:
        return notes
    for k in C_KERNELS:
        want = ref["kernels"][k.name]["result"]
        got = {}
        for impl in ("pyjit", "numba"):
            r = workers.get(impl, {}).get("kernels", {}).get(k.name)
            if r:
                got[impl] = r["result"]
        for cname, cr in c_res.items():
            got[cname] = cr["kernels"][k.name]["result"]
        r = workers.get("python", {}).get("kernels", {}).get(k.name)
        if r:
            got["CPython"] = r["result"]
            if k.scaled:
                want_py = ref["small"][k.name]
                if not same(r["result"], want_py):
                    notes.append(f"CPython {k.name} gave {r['result']!r}, "
                                 f"C gives {want_py!r} at the same size")
                del got["CPython"]
        for impl, val in got.items():
            if not same(val, want):
                notes.append(f"{impl} {k.name} gave {val!r}, "
                             f"clang's C gives {want!r}")
    return notes


def same(a, b):
    if isinstance(a, float) or isinstance(b, float):
        return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))
    return a == b


if __name__ == "__main__":
    sys.exit(main())
