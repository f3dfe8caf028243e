"""Generated code against inputs made to break it.

Two kinds of crash.  A stack slot (an alloca) made where the builder stands
is made again on every iteration of a loop around it, so a long loop
overflows the stack: the LLVM that lowering generates for every builtin,
operator and array operation is checked to keep its allocas in the entry
block, and each construct that needs a slot runs 3 million times under the
default 8 MiB stack.  A size computed with a product that wraps around
allocates too little memory and writes past it: shapes, ranges, slices and
reshapes whose sizes overflow must give exactly what NumPy gives (the same
exception type and message, or the same result).

Whatever could crash runs in a child process (`run_child`), so that a
regression fails a test instead of killing pytest.
"""
import cmath
import inspect
import io
import json
import math
import os
import re
import resource
import subprocess
import sys

import numpy as np
import pytest

import pyjit
import pyjit._numpy
from pyjit import (_core, get_num_threads, get_parallel_chunksize,
                   get_thread_id, literally, njit, prange,
                   set_parallel_chunksize, types)
from pyjit.typed import _as_typed_set, empty_set

HERE = os.path.dirname(os.path.abspath(__file__))
CSRC = os.path.join(os.path.dirname(HERE), "csrc")
# the pyjit under test (the worktree's, or build/asan's under `make asan`)
PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(
    pyjit.__file__)))
STACK = 8 << 20                 # the default stack of a Linux process
N = 3_000_000                   # iterations: 3M slots of 16 bytes is 48 MB


# --- running code in a child process ------------------------------------------

def default_stack():
    soft, hard = resource.getrlimit(resource.RLIMIT_STACK)
    limit = STACK if hard == resource.RLIM_INFINITY else min(STACK, hard)
    resource.setrlimit(resource.RLIMIT_STACK, (limit, hard))


def run_child(call, env=None):
    """Runs `call`, a statement over this module imported as `t`, in a fresh
    interpreter with an 8 MiB stack; returns the CompletedProcess."""
    full_env = {k: v for k, v in os.environ.items()
                if not k.startswith("PYJIT_")}
    full_env["PYTHONPATH"] = os.pathsep.join([PACKAGE_ROOT, HERE])
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-c", f"import test_adversarial_codegen as t; {call}"],
        capture_output=True, text=True, env=full_env, cwd=HERE,
        preexec_fn=default_stack, timeout=600)


def child_lines(proc):
    """The JSON lines a child printed, and a description of how it ended
    (to show when something it should have printed is missing)."""
    lines = [json.loads(x) for x in proc.stdout.splitlines()
             if x.startswith("{")]
    how = (f"the child exited with {proc.returncode}"
           + (" (killed by signal %d)" % -proc.returncode
              if proc.returncode < 0 else "")
           + "\n" + proc.stderr[-3000:])
    return lines, how


def emit(**record):
    print(json.dumps(record), flush=True)


def run_items(runner, items):
    """{item: record} from t.<runner>(start), which emits one record per
    item of `items` from `start` on, each with its "item".  An item that
    kills its child gets {"crash": how} and the next child starts after
    it, so that one crash does not hide the results of the rest."""
    results, start = {}, 0
    while start < len(items):
        proc = run_child(f"t.{runner}({start})")
        lines, how = child_lines(proc)
        results.update((x["item"], x) for x in lines)
        start += len(lines)
        if start < len(items):
            results[items[start]] = {"crash": how}
            start += 1
    return results


def outcome(f, *args):
    """What calling f gives: ("ok", a JSON-able form of the result) or
    ("<module>.<class>", message) of the exception it raises."""
    try:
        r = f(*args)
    except Exception as e:
        cls = type(e)
        return [f"{cls.__module__}.{cls.__qualname__}", str(e)]
    return ["ok", plain(r)]


def plain(r):
    if isinstance(r, np.ndarray):
        # strides only where they address memory: NumPy wraps the stride
        # of a one-element slice with a huge step around
        strides = list(r.strides) if r.size > 1 else None
        return [list(r.shape), str(r.dtype), r.ravel()[:20].tolist(),
                strides]
    if isinstance(r, tuple):
        return [plain(x) for x in r]
    if isinstance(r, complex):
        return [r.real, r.imag]
    return r


# ==============================================================================
# 1. Every stack slot in the entry block
# ==============================================================================

# --- a catalog of what lowering generates ---------------------------------------
#
# Every builtin of builtins.c's table, every operator of ops.h's, every
# array operation and NumPy function of pyjit/_numpy.py, on the types that
# lower differently, plus the wrapper's boxing and unboxing.

@njit
def cat_int(a, b):
    return (a + b, a - b, a * b, a / b, a // b, a % b, a ** 2, a << 3,
            a >> 1, a & b, a | b, a ^ b, -a, +a, ~a, not a, a == b, a != b,
            a < b, a <= b, a > b, a >= b)


@njit(error_model="numpy")
def cat_int_numpy(a, b):
    return a / b, a // b, a % b, divmod(a, b), a ** b


@njit
def cat_float(x, y):
    return (x + y, x - y, x * y, x / y, x // y, x % y, x ** y, -x, +x,
            not x, x == y, x < y, divmod(x, y))


@njit(error_model="numpy")
def cat_float_numpy(x, y):
    return x / y, x // y, x % y, divmod(x, y)


@njit
def cat_complex(z, w):
    return (z + w, z - w, z * w, z / w, z ** w, z ** 2, -z, z == w, z != w,
            abs(z), z.real, z.imag, z.conjugate(), complex(1, 2), pow(z, w))


@njit
def cat_narrow(i, u, f, c, flag):
    return (i + i, i // i, u + u, u % u, u >> 1, f * f, f // f, f % f,
            c * c, c / c, flag & flag, flag | flag, flag ^ flag, -flag,
            i is None, i is not None, i in (1, 2), i not in (1, 2))


@njit
def cat_builtins(x, n):
    t = (1, 2.5, 3)
    return (abs(-x), abs(-n), min(x, 2.0), max(n, 2), round(x), round(x, 2),
            round(n, -1), int(x), float(n), bool(n), complex(x, 1.0),
            pow(x, 2), pow(n, 2), divmod(n, 3), divmod(x, 1.5), len(t),
            len(range(n)), sum(t), sum(range(n)), sum((x, x), 1.0),
            (1, 2, 3)[n % 3], t[1:], (1, 2) + (3,), literally(3) * n)


@njit
def cat_iteration(t, n):
    s = 0
    for i, v in enumerate(t):
        s += i * v
    for a, b in zip(t, range(n)):
        s += a * b
    for i in range(n, 0, -2):
        s += i
    for v in t:
        s += v
    return s


@njit
def cat_print(x, n, z):
    print("x is", x, n, z, True, np.float32(1.5), np.int8(3), np.uint64(4))
    print()
    return n


@njit
def cat_math(x, y, n):
    return (math.sqrt(x), math.exp(x), math.log(x), math.log10(x),
            math.log2(x), math.log1p(x), math.expm1(x), math.sin(x),
            math.cos(x), math.tan(x), math.asin(y), math.acos(y),
            math.atan(x), math.sinh(x), math.cosh(x), math.tanh(x),
            math.asinh(x), math.acosh(x + 1.0), math.atanh(y), math.fabs(x),
            math.erf(x), math.erfc(x), math.gamma(x), math.lgamma(x),
            math.radians(x), math.degrees(x), math.floor(x), math.ceil(x),
            math.trunc(x), math.isnan(x), math.isinf(x), math.isfinite(x),
            math.atan2(x, y), math.hypot(x, y), math.copysign(x, y),
            math.fmod(x, y), math.pow(x, y), math.gcd(n, 6), math.pi,
            math.nextafter(x, y))


@njit
def cat_cmath(z):
    return cmath.sqrt(z), cmath.exp(z), cmath.log(z), cmath.phase(z)


@njit
def cat_numpy_scalars(x):
    return (np.sqrt(x), np.exp(x), np.log(x), np.log10(x), np.log2(x),
            np.log1p(x), np.expm1(x), np.sin(x), np.cos(x), np.tan(x),
            np.arcsin(0.5), np.arccos(0.5), np.arctan(x), np.sinh(x),
            np.cosh(x), np.tanh(x), np.absolute(-x), np.isnan(x),
            np.isinf(x), np.isfinite(x), np.float32(x), np.int16(x))


@njit
def cat_making(n):
    a = np.arange(n)
    return (np.empty(n), np.zeros((n, 2)), np.ones(n, np.int32),
            np.full((2, n), 2.5), np.empty_like(a), np.zeros_like(a),
            np.ones_like(a), np.full_like(a, 7), a, np.arange(1, n),
            np.arange(0.5, n, 0.5), np.copy(a), a.copy(), np.zeros(n, "int16"),
            np.zeros(n, np.bool_), np.ones(n, np.complex128),
            np.frombuffer(a, np.int64))


@njit
def cat_elementwise(a, b, m, x):
    c = a + b
    c += 1.0
    c *= b
    return (a - b, a * x, x / a, a // b, a % b, a ** 2, -a, +a, a < b,
            a == x, m + a, m * m, abs(a), np.sqrt(a), np.exp(a), np.log(a),
            np.log10(a), np.log2(a), np.log1p(a), np.expm1(a), np.sin(a),
            np.cos(a), np.tan(a), np.arcsin(a / 8), np.arccos(a / 8),
            np.arctan(a), np.sinh(a), np.cosh(a), np.tanh(a), np.floor(a),
            np.ceil(a), np.trunc(a), np.absolute(m), np.isnan(a),
            np.isinf(a), np.isfinite(a), c, ~(a < b), m > 0)


@njit
def cat_indexing(a, m, i, j, k):
    a[i] = 1.5
    m[i, j] = 2.5
    a[1:3] = 0.0
    m[i] = a[:2]
    m[:, 0] = 7.0
    a[1:] = a[:-1]
    a[slice(0, 2)] = 3.0
    return (a[i], a[-1], m[i, j], m[i], m[-1], a[1:], a[::-1], a[i:j:k],
            m[1:, ::2], m[:, j], m[i, :], a.shape, a.strides, a.ndim, a.size,
            a.itemsize, len(m), m.T, m.transpose(), m.reshape(2, 3),
            m.reshape((-1,)), m.ravel(), m.T.ravel(), m.flatten(), m[::2, ::-1])


@njit
def cat_iterating_arrays(a, m):
    s = 0.0
    for x in a:
        s += x
    for row in m:
        s += row[0]
    for x in m.flat:
        s += x
    for i, x in enumerate(a):
        s += i * x
    for x, y in zip(a, a):
        s += x * y
    return s, sum(a)


@njit(boundscheck=True)
def cat_boundscheck(a, m, i):
    a[i] = 1.0
    return a[i], m[i, i], a[i:], m[i]


@njit
def cat_ufuncs(a, b, x, y):
    return (math.cbrt(x), math.exp2(x), np.arcsinh(a), np.arccosh(a + 1.0),
            np.arctanh(a / 8), np.radians(a), np.deg2rad(x), np.degrees(a),
            np.rad2deg(x), np.cbrt(a), np.exp2(a), np.fabs(a), np.rint(a),
            np.sign(a), np.maximum(a, b), np.minimum(a, y), np.fmax(x, b),
            np.fmin(a, b), np.fmod(a, b), np.hypot(a, b), np.arctan2(a, y),
            np.copysign(a, b), np.iinfo(np.int32).max, np.finfo(a.dtype).eps)


@njit
def cat_library(a, b, m):
    return (np.sum(a), np.prod(a), np.max(a), np.amax(a), np.min(a),
            np.amin(a), np.argmax(a), np.argmin(a), np.mean(a), np.var(a),
            np.std(a), np.any(a), np.all(a), np.count_nonzero(a),
            np.dot(a, b), np.copy(a), np.linspace(0.0, 1.0, 5),
            np.cumsum(a), np.cumprod(a), np.sum(m, axis=0),
            np.mean(m, axis=1), a.sum(), a.prod(), a.max(), a.min(),
            a.argmax(), a.argmin(), a.mean(), a.var(), a.std(), a.any(),
            a.all(), a.dot(b), a.copy(), a.cumsum(), a.cumprod(),
            m.sum(axis=1), m.mean(axis=0), m @ m.T,
            np.linalg.solve(m @ m.T + np.eye(2), a[:2]))


@njit
def may_raise(i):
    if i < 0:
        raise ValueError("negative")
    return i * 2


@njit
def recurse(n, step=1):
    return 0 if n <= 0 else n + recurse(n - step, step=step)


@njit
def varargs(*args):
    return args


@njit
def cat_calls(n):
    assert n >= 0, "n must not be negative"
    return may_raise(n) + recurse(n) + len(varargs(n, 2.0, (1, 2)))


@njit
def cat_boxing(a, t, flag):
    """The wrapper: unboxing a tuple of arrays, boxing optionals, tuples
    and arrays (slots made in the blocks that test an optional)."""
    first = t[0]
    opt = a if flag else None
    pair = (a[0], (a, 1.5)) if flag else None
    return first, opt, pair, (1j, flag)


@njit
def cat_strings(s, n):
    """Strings: making, views, comparing, hashing, CPython's conversions."""
    t = s + "é" * n
    total = 0
    for c in t:
        total += ord(c)
    return (t[1], t[1:n], t[::2], len(t), t == s, t < s, s in t, chr(65 + n),
            hash(t), str(n), str(1.5), t.upper(), t.find("é"),
            t.startswith(s), int(s[:1] + "2"), float("1.5"), total, repr(s),
            ascii(t), format(n, "5d"), f"{n:x}{t!r}", " ".join((s, t)))


@njit
def cat_dicts(n, a):
    """Dicts: keys in stack slots, entries copied out by pop and popitem,
    arrays held by entries."""
    d = {}
    for i in range(n):
        d[(i, 0.5)] = a
    e = dict(d)
    e.update({(n, 1.5): a})
    x = e.pop((0, 0.5), a)
    k, v = e.popitem()
    del e[(1, 0.5)]
    s = hash((n, 2.5)) + len(x) + len(v) + k[0]
    for key, value in d.items():
        s += e.setdefault(key, value).size + (key in e) + len(e.get(key, a))
    keys = set(d)
    keys ^= {(n, 2.5)}
    keys.discard((0, 0.5))
    return s, e, keys, keys <= set(e), keys.pop()


@njit
def cat_typed_sets(n):
    """Typed sets: an empty one of a declared item type, a set literal
    made typed."""
    s = empty_set(types.int64)
    for i in range(n):
        s.add(i * i)
    t = _as_typed_set({0.5, n * 1.5})
    return len(s), t, 4 in s


@njit(parallel=True)
def cat_parallel(a):
    """A prange loop: the chunk function, a reduction, a private value,
    the thread queries, a chunk size set and read."""
    s = 0.0
    old = set_parallel_chunksize(2)
    for i in prange(len(a)):
        t = a[i] * get_num_threads()
        s += t + get_thread_id() + get_parallel_chunksize()
    set_parallel_chunksize(old)
    return s


CATALOG = [
    (cat_int, (7, 3)), (cat_int_numpy, (7, 0)), (cat_float, (7.5, 2.0)),
    (cat_float_numpy, (7.5, 0.0)), (cat_complex, (1 + 2j, 0.5 - 1j)),
    (cat_narrow, (np.int32(7), np.uint64(9), np.float32(2.5),
                  np.complex64(1 + 1j), True)),
    (cat_builtins, (2.5, 5)), (cat_iteration, ((1, 2, 3), 6)),
    (cat_print, (1.5, 2, 1j)), (cat_math, (1.5, 0.5, 12)),
    (cat_cmath, (1 + 1j,)), (cat_numpy_scalars, (0.75,)),
    (cat_making, (4,)),
    (cat_elementwise, (np.arange(1.0, 5.0), np.full(4, 2.0),
                       np.ones((3, 4)), 2.0)),
    (cat_indexing, (np.arange(6.0), np.zeros((3, 2)), 1, 1, 1)),
    (cat_iterating_arrays, (np.arange(4.0), np.ones((2, 3)))),
    (cat_boundscheck, (np.arange(4.0), np.ones((2, 2)), 1)),
    (cat_ufuncs, (np.arange(1.0, 5.0), np.full(4, 2.0), 1.5, -0.5)),
    (cat_library, (np.arange(1.0, 5.0), np.ones(4), np.ones((2, 3)))),
    (cat_calls, (4,)),
    (cat_boxing, (np.arange(3.0), (np.ones(2), np.zeros((1, 1))), True)),
    (cat_strings, ("1ab", 3)),
    (cat_dicts, (4, np.arange(3.0))),
    (cat_typed_sets, (4,)),
    (cat_parallel, (np.arange(5.0),)),
]


def compile_catalog():
    """Child: runs every catalog function (compiling it)."""
    for f, args in CATALOG:
        f(*args)
    emit(done=len(CATALOG))


def catalog_source():
    return "\n".join(inspect.getsource(f.py_func) for f, _ in CATALOG)


def x_macro(file, name):
    """The text of the X-macro table `name` in csrc/<file>."""
    with open(os.path.join(CSRC, file), encoding="utf-8") as f:
        lines = f.read().splitlines()
    start = lines.index(next(x for x in lines
                             if x.startswith(f"#define {name}(X)")))
    end = next(i for i in range(start, len(lines))
               if not lines[i].endswith("\\"))
    return "\n".join(lines[start:end + 1])


def builtins_table():
    """(module, name) of every callable in callables.h's table."""
    table = x_macro("callables.h", "PJ_CALLABLES")
    found = re.findall(r'X\(\w+, "([\w.]+)", "(\w+)",', table)
    assert len(found) == table.count("X("), table
    return found


def operator_table(name):
    """How Python spells each operator of an ops.h table."""
    return re.findall(r'X\(\w+,\s*"([^"]+)"', x_macro("ops.h", name))


def test_the_catalog_uses_every_builtin_and_operator():
    import pyjit._jitclass
    import pyjit._lists
    import pyjit._np_complex
    import pyjit._np_generator
    import pyjit._typed_dict
    import pyjit._typed_list
    source = catalog_source() + "".join(
        inspect.getsource(m)
        for m in (pyjit._numpy, pyjit._lists, pyjit._typed_list,
                  pyjit._typed_dict, pyjit._jitclass, pyjit._np_generator,
                  pyjit._np_complex)
        + pyjit._numpy._DOMAINS)
    spelled = {"builtins": "{}(", "math": "math.{}(", "cmath": "cmath.{}(",
               "numpy": "np.{}(", "pyjit._core": "{}(", "pyjit.typed": "{}(",
               "pyjit._parallel": "{}(", "pyjit._jitclass": "{}(",
               "pyjit._literal_unroll": "{}("}
    table = builtins_table()
    assert len(table) > 90, table
    missing = [f"{m}.{n}" for m, n in table
               if spelled[m].format(n) not in source]
    assert missing == []
    binary = operator_table("PJ_BINOPS")
    assert "//" in binary and "@" in binary
    missing = [op for op in binary + operator_table("PJ_CMPOPS")
               if f" {op} " not in source]
    assert missing == []
    missing = [op for op in operator_table("PJ_UNOPS")
               if not re.search(r"[(,=]\s*" + re.escape(op) + r"\s?[a-z(]",
                                source)]
    assert missing == []


def llvm_dumps(stderr):
    """{"qualname (types)": module text} from PYJIT_DUMP=llvm output."""
    parts = re.split(r"^---- LLVM IR: (.*) ----$", stderr, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2]))


def stray_allocas(module):
    """[(function, block, line)] of the allocas not in their function's
    first block."""
    found = []
    for m in re.finditer(r"^define [^@]*@(\S+)\(.*?^}$", module,
                         flags=re.M | re.S):
        blocks = re.split(r"^([\w.\"$-]+):", m.group(0), flags=re.M)
        # blocks[0] is the `define` line and, when the entry block has no
        # label, its instructions; then come (label, instructions) pairs
        unlabeled_entry = blocks[0].split("\n", 1)[1].strip() != ""
        first = 1 if unlabeled_entry else 3
        for label, body in zip(blocks[first::2], blocks[first + 1::2]):
            for line in body.splitlines():
                if re.search(r"= alloca ", line):
                    found.append((m.group(1), label, line.strip()))
    return found


@pytest.fixture(scope="module")
def catalog_llvm():
    proc = run_child("t.compile_catalog()", env={"PYJIT_DUMP": "llvm"})
    lines, how = child_lines(proc)
    assert lines == [{"done": len(CATALOG)}], how
    return llvm_dumps(proc.stderr)


def test_no_alloca_outside_the_entry_block_before_optimization(catalog_llvm):
    dumped = " ".join(catalog_llvm)
    # the catalog and the library functions it calls were all dumped
    for f, _ in CATALOG:
        assert f"{f.__name__} (" in dumped
    for name in ("array_sum", "array_var", "linspace", "_accumulate", "dot"):
        assert f"{name} (" in dumped
    strays = {sig: stray_allocas(m) for sig, m in catalog_llvm.items()}
    assert {sig: s for sig, s in strays.items() if s} == {}
    # not vacuous: the modules have allocas, in their entry blocks
    assert sum(m.count("= alloca ") for m in catalog_llvm.values()) > 500


def test_the_compiler_check_passes_the_generated_modules(catalog_llvm):
    # the check debug builds run on each module before optimizing it
    for sig, module in catalog_llvm.items():
        assert _core._verify_llvm(module) is None, sig


LOOP_IR = """
define i64 @"mod.{name}"(i64 %n) {{
entry:
  {entry_alloca}
  br label %head
head:
  %i = phi i64 [ 0, %entry ], [ %next, %body ]
  %more = icmp slt i64 %i, %n
  br i1 %more, label %body, label %done
body:
  {body_alloca}
  store i64 %i, ptr %slot
  %next = add i64 %i, 1
  br label %head
done:
  ret i64 %i
}}
"""


def test_the_compiler_check_rejects_a_stack_slot_in_a_loop():
    slot = "%slot = alloca i64"
    good = LOOP_IR.format(name="good", entry_alloca=slot, body_alloca="")
    assert _core._verify_llvm(good) is None
    bad = LOOP_IR.format(name="bad", entry_alloca="", body_alloca=slot)
    with pytest.raises(SystemError) as e:
        _core._verify_llvm(bad)
    assert str(e.value) == (
        "pyjit: the code of the module makes a stack slot outside the entry "
        "block of mod.bad: `%slot = alloca i64, align 8`")
    with pytest.raises(RuntimeError, match="cannot parse IR"):
        _core._verify_llvm("define nonsense")
    # the test's own reader of the dumps sees the same
    assert stray_allocas(good) == []
    assert stray_allocas(bad) == [('"mod.bad"', "body", slot)]


# --- each construct that needs a slot, 3 million times ---------------------------

@njit
def loop_float_mod(n):
    s = 0.0
    for i in range(n):
        s += i % 7.0
    return s


@njit
def loop_float_floordiv(n):
    s = 0.0
    for i in range(n):
        s += i // 7.0
    return s


@njit
def loop_divmod_int(n):
    s = 0
    for i in range(n):
        q, r = divmod(i, 7)
        s += q * 10 + r
    return s


@njit
def loop_divmod_float(n):
    s = 0.0
    for i in range(n):
        q, r = divmod(i * 0.5, 3.0)
        s += q + r
    return s


@njit
def loop_complex_div(n):
    s = 0j
    for i in range(n):
        s += complex(i, 1.0) / (1 + 1j)
    return s


@njit
def loop_complex_pow(n, e):
    s = 0j
    for i in range(n):
        s += complex(i % 5, 1.0) ** e
    return s


@njit
def loop_cmath(n):
    s = 0.0
    for i in range(n):
        k = i % 10
        s += cmath.sqrt(complex(k * k, 0.0)).real
        s += round(cmath.exp(cmath.log(complex(k + 1, 0.0))).real)
    return s


@njit
def loop_tuple_index(n):
    t = (1, 2, 3)
    s = 0
    for i in range(n):
        s += t[i % 3]
    return s


@njit
def loop_sum_builtin(n):
    s = 0
    for i in range(n):
        s += sum(range(i % 4))
    return s


@njit
def loop_raising_callee(n):
    s = 0
    for i in range(n):
        s += may_raise(i % 100)
    return s


@njit
def loop_array_temporaries(n):
    a = np.arange(3.0)
    s = 0.0
    for i in range(n):
        b = a + i                       # new_array and reshape keep slots
        s += b.reshape(1, 3)[0, 1] + b[1:][1]
    return s


def expected_loops(n):
    i = np.arange(n, dtype=np.int64)
    k = i % 10
    c = i % 5
    return {
        "loop_float_mod": float((i % 7).sum()),
        "loop_float_floordiv": float((i // 7).sum()),
        "loop_divmod_int": int((i // 7 * 10 + i % 7).sum()),
        "loop_divmod_float": float(sum(np.divmod(i * 0.5, 3.0)).sum()),
        "loop_complex_div": [n * (n + 1) / 4, (n - n * (n - 1) / 2) / 2],
        "loop_complex_pow": [float((c * c - 1).sum()), float((2 * c).sum())],
        "loop_cmath": float(k.sum() + (k + 1).sum()),
        "loop_tuple_index": 2 * n,
        "loop_sum_builtin": int(((i % 4) * (i % 4 - 1) // 2).sum()),
        "loop_raising_callee": int((2 * (i % 100)).sum()),
        "loop_array_temporaries": float((2 * i + 3).sum()),
    }


LOOPS = list(expected_loops(1))


def run_loops(start):
    """Child: each loop from LOOPS[start] on, N times round."""
    stack = resource.getrlimit(resource.RLIMIT_STACK)[0]
    for name in LOOPS[start:]:
        args = (N, 2 + 0j) if name == "loop_complex_pow" else (N,)
        emit(item=name, stack=stack, result=plain(globals()[name](*args)))


@pytest.fixture(scope="module")
def loops():
    return run_items("run_loops", LOOPS)


@pytest.mark.parametrize("name", LOOPS)
def test_a_long_loop_runs_in_a_constant_stack(loops, name):
    got = loops[name]
    assert "crash" not in got, got.get("crash")
    assert got["stack"] == STACK
    assert got["result"] == expected_loops(N)[name]


@njit
def loop_print(n):
    for i in range(n):
        print(i % 10)


def print_captured(n):
    """Child: loop_print(n) with sys.stdout captured (a pipe would make
    writing, not the loop, the test's cost), then what it printed."""
    real, sys.stdout = sys.stdout, io.StringIO()
    try:
        loop_print(n)
    finally:
        real, sys.stdout = sys.stdout, real
    sys.stdout.write(real.getvalue())


def test_print_in_a_long_loop():
    proc = run_child(f"t.print_captured({N})")
    assert proc.returncode == 0, proc.stderr[-3000:]
    want = "".join(f"{d}\n" for d in range(10)) * (N // 10)
    assert len(proc.stdout) == len(want) and proc.stdout == want


# ==============================================================================
# 2. Sizes that overflow
# ==============================================================================

@njit
def zeros_2d_int8(n, m):
    return np.zeros((n, m), dtype=np.int8)


@njit
def zeros_3d(a, b, c):
    return np.zeros((a, b, c))


@njit
def corrupt(n):
    x = np.zeros((n, n), dtype=np.int8)
    for j in range(100000):
        x[0, j] = 1
    return x[0, 99999]


@njit
def empty_1d(n):
    return np.empty(n)


@njit
def ones_1d(n):
    return np.ones(n)


@njit
def full_2d(n, m):
    return np.full((n, m), 1.5)


@njit
def arange_1(n):
    return np.arange(n)


@njit
def arange_3(start, stop, step):
    return np.arange(start, stop, step)


@njit
def linspace(n):
    return np.linspace(0, 1, n)


@njit
def reshape_2(a, n, m):
    return a.reshape(n, m)


@njit
def reshape_3(a, n, m, k):
    return a.reshape((n, m, k))


@njit
def add(a, b):
    return a + b


@njit
def copies(a):
    return a.copy()


@njit
def flattened(a):
    return a.flatten()


@njit
def raveled(a):
    return a.ravel()


@njit
def square_root(a):
    return np.sqrt(a)


@njit
def zeros_like(a):
    return np.zeros_like(a)


@njit
def slice_of(a, start, stop, step):
    return a[start:stop:step]


@njit
def head(a, stop):
    return a[:stop]


@njit
def range_len(start, stop):
    return len(range(start, stop))


@njit
def count_five(start, stop, step):
    n = 0
    for i in range(start, stop, step):
        n += 1
        if n == 5:
            break
    return n


BIG = 2 ** 62
HUGE_VIEW = np.broadcast_to(np.ones(1), (2 ** 59,))    # 4 EiB, no memory
COLUMN = np.broadcast_to(np.ones(1), (2 ** 40, 1))
ROW = np.broadcast_to(np.ones(1), (1, 2 ** 40))


def slice_grid(f):
    """f(a, start, stop, step) over bounds at the edges of int64."""
    edges = [None, 0, 1, -1, 9, 10, 11, -11, 2 ** 62, -2 ** 62,
             2 ** 63 - 1, -2 ** 63]
    a = np.arange(10.0)
    return [plain(f(a, i, j, k)) for i in edges for j in edges for k in edges
            if k != 0]


def numpy_slice(a, start, stop, step):
    return a[start:stop:step]


def jitted_slices():
    return slice_grid(slice_of)


def numpy_slices():
    return slice_grid(numpy_slice)


# id: (compiled function, arguments, what NumPy (or Python) does)
SIZES = {
    "zeros (2**32, 2**32) int8": (zeros_2d_int8, (2 ** 32, 2 ** 32),
                                  lambda n, m: np.zeros((n, m), np.int8)),
    "zeros (2**31, 2**31) int8": (zeros_2d_int8, (2 ** 31, 2 ** 31),
                                  lambda n, m: np.zeros((n, m), np.int8)),
    "zeros negative first": (zeros_2d_int8, (-1, BIG),
                             lambda n, m: np.zeros((n, m), np.int8)),
    "zeros too big before negative": (
        zeros_3d, (BIG, BIG, -1), lambda a, b, c: np.zeros((a, b, c))),
    "zeros with a zero dimension, too big": (
        zeros_3d, (0, BIG, BIG), lambda a, b, c: np.zeros((a, b, c))),
    "zeros with a zero dimension": (
        zeros_3d, (2 ** 20, 0, 2 ** 20), lambda a, b, c: np.zeros((a, b, c))),
    "empty 2**62": (empty_1d, (BIG,), np.empty),
    "empty 2**63 - 1": (empty_1d, (2 ** 63 - 1,), np.empty),
    "empty 2**59": (empty_1d, (2 ** 59,), np.empty),
    "empty -5": (empty_1d, (-5,), np.empty),
    "ones 2**60": (ones_1d, (2 ** 60,), np.ones),
    "full (2**31, 2**31)": (full_2d, (2 ** 31, 2 ** 31),
                            lambda n, m: np.full((n, m), 1.5)),
    "arange 2**62": (arange_1, (BIG,), np.arange),
    "arange 2**59": (arange_1, (2 ** 59,), np.arange),
    "arange int64 span": (arange_3, (-2 ** 63, 2 ** 63 - 1, 1), np.arange),
    "arange int64 span by 2**62": (arange_3, (-2 ** 63, 2 ** 63 - 1, BIG),
                                   np.arange),
    "arange int64 span down": (arange_3, (2 ** 63 - 1, -2 ** 63, -BIG),
                               np.arange),
    "arange step -2**63": (arange_3, (5, 0, -2 ** 63), np.arange),
    "arange step 0": (arange_3, (0, 10, 0), np.arange),
    "arange float step 0": (arange_3, (0.0, 10.0, 0.0), np.arange),
    "arange to nan": (arange_3, (0.0, np.nan, 1.0), np.arange),
    "arange to inf": (arange_3, (0.0, np.inf, 1.0), np.arange),
    "arange from inf": (arange_3, (np.inf, 1.0, 1.0), np.arange),
    "arange to -1e300": (arange_3, (0.0, -1e300, 1.0), np.arange),
    "arange by inf": (arange_3, (0.0, 1.0, np.inf), np.arange),
    "arange down by inf": (arange_3, (0.0, -1.0, np.inf), np.arange),
    "arange by an underflowing step": (arange_3, (0.0, 1e-320, 1e10),
                                       np.arange),
    "arange float 2**62": (arange_3, (0.0, 2.0 ** 62, 1.0), np.arange),
    "arange float 2**59": (arange_3, (0.0, 2.0 ** 59, 1.0), np.arange),
    "linspace 2**62": (linspace, (BIG,), lambda n: np.linspace(0, 1, n)),
    "linspace 2**59": (linspace, (2 ** 59,), lambda n: np.linspace(0, 1, n)),
    "reshape (2**32, 2**32) of nothing": (
        reshape_2, (np.zeros(0), 2 ** 32, 2 ** 32),
        lambda a, n, m: a.reshape(n, m)),
    "reshape (2**62, -1)": (reshape_2, (np.zeros(10), BIG, -1),
                            lambda a, n, m: a.reshape(n, m)),
    "reshape (-1, -1)": (reshape_2, (np.zeros(10), -1, -1),
                         lambda a, n, m: a.reshape(n, m)),
    "reshape (-1, 0)": (reshape_2, (np.zeros(0), -1, 0),
                        lambda a, n, m: a.reshape(n, m)),
    "reshape (0, 2**63 - 1)": (reshape_2, (np.zeros(0, np.int8), 0,
                                           2 ** 63 - 1),
                               lambda a, n, m: a.reshape(n, m)),
    "reshape (0, 2**62, 2**62)": (reshape_3, (np.zeros(0), 0, BIG, BIG),
                                  lambda a, n, m, k: a.reshape((n, m, k))),
    "reshape (2**62, 2**62, -1)": (reshape_3, (np.zeros(0), BIG, BIG, -1),
                                   lambda a, n, m, k: a.reshape((n, m, k))),
    "reshape (-1, -1, 2**62)": (reshape_3, (np.zeros(0), -1, -1, BIG),
                                lambda a, n, m, k: a.reshape((n, m, k))),
    "broadcast to 2**80 elements": (add, (COLUMN, ROW), lambda a, b: a + b),
    "broadcast to 2**62 float64": (
        add, (np.broadcast_to(np.ones(1), (2 ** 31, 1)),
              np.broadcast_to(np.ones(1), (1, 2 ** 31))), lambda a, b: a + b),
    "broadcast to 2**50 int8": (
        add, (np.broadcast_to(np.ones(1, np.int8), (2 ** 20, 1)),
              np.broadcast_to(np.ones(1, np.int8), (1, 2 ** 30))),
        lambda a, b: a + b),
    "copy of 2**59": (copies, (HUGE_VIEW,), lambda a: a.copy()),
    "flatten of 2**59": (flattened, (HUGE_VIEW,), lambda a: a.flatten()),
    "ravel of 2**59": (raveled, (HUGE_VIEW,), lambda a: a.ravel()),
    "sqrt of 2**59": (square_root, (HUGE_VIEW,), np.sqrt),
    "zeros_like 2**59": (zeros_like, (HUGE_VIEW,), np.zeros_like),
    "slice by 2**63 - 1": (slice_of, (np.arange(10.0), 0, 10, 2 ** 63 - 1),
                           numpy_slice),
    "slices at the edges of int64": (jitted_slices, (), numpy_slices),
    "slice to a uint64": (head, (np.arange(4.0), np.uint64(2 ** 63 + 5)),
                          lambda a, n: a[:int(n)]),
    "len of a range of 2**64 - 1": (range_len, (-2 ** 63, 2 ** 63 - 1),
                                    range_len.py_func),
    "len of a range of 2**63 - 1": (range_len, (-BIG, BIG - 1),
                                    range_len.py_func),
    "iterating a range of 2**64 - 1": (count_five, (-2 ** 63, 2 ** 63 - 1, 1),
                                       count_five.py_func),
    "iterating down a range of 2**64 - 1": (
        count_five, (2 ** 63 - 1, -2 ** 63, -1), count_five.py_func),
}


def run_sizes(start):
    """Child: each case from the start-th on, compiled and as NumPy (or
    Python) runs it."""
    for case in list(SIZES)[start:]:
        f, args, reference = SIZES[case]
        emit(item=case, got=outcome(f, *args), want=outcome(reference, *args))


@pytest.fixture(scope="module")
def sizes():
    return run_items("run_sizes", list(SIZES))


@pytest.mark.parametrize("case", list(SIZES))
def test_size_as_numpy_has_it(sizes, case):
    assert "crash" not in sizes[case], sizes[case].get("crash")
    assert sizes[case]["got"] == sizes[case]["want"]


TOO_BIG = ("array is too big; `arr.size * arr.dtype.itemsize` is larger "
           "than the maximum possible size.")


def test_the_errors_are_numpys_words(sizes):
    got = {case: sizes[case].get("got") for case in sizes}
    assert got["zeros (2**32, 2**32) int8"] == ["builtins.ValueError",
                                                TOO_BIG]
    memory_error = got["zeros (2**31, 2**31) int8"]
    assert memory_error[0].endswith("MemoryError")
    assert memory_error[1] == ("Unable to allocate 4.00 EiB for an array "
                               "with shape (2147483648, 2147483648) and data "
                               "type int8")
    assert got["empty -5"] == ["builtins.ValueError",
                               "negative dimensions are not allowed"]
    assert got["arange int64 span"] == ["builtins.ValueError",
                                        "Maximum allowed size exceeded"]
    assert got["reshape (2**62, -1)"] == [
        "builtins.ValueError", "cannot reshape array of size 10 into shape "
        "(4611686018427387904,newaxis)"]
    assert got["broadcast to 2**80 elements"] == ["builtins.ValueError",
                                                  "iterator is too large"]
    assert got["len of a range of 2**64 - 1"] == [
        "builtins.OverflowError",
        "Python int too large to convert to C ssize_t"]


def test_the_reproducers():
    proc = run_child("t.emit(corrupt=t.outcome(t.corrupt, 2 ** 32),"
                     " arange=t.outcome(t.arange_1, 2 ** 62),"
                     " linspace=t.outcome(t.linspace, 2 ** 62),"
                     " slice=t.outcome(t.slice_of, t.np.arange(10.0), 0, 10,"
                     " 2 ** 63 - 1))")
    lines, how = child_lines(proc)
    assert lines == [{
        "corrupt": ["builtins.ValueError", TOO_BIG],
        "arange": ["builtins.ValueError", TOO_BIG],
        "linspace": ["builtins.ValueError", TOO_BIG],
        "slice": ["ok", [[1], "float64", [0.0], None]],
    }], how


@njit
def step_zero(a):
    return a[::0]


def test_a_constant_zero_step_is_a_typing_error():
    with pytest.raises(pyjit.TypingError, match="slice step cannot be zero"):
        step_zero(np.arange(3.0))
