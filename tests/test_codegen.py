"""What the generated code looks like where performance depends on it.

These read the optimized LLVM IR (inspect_llvm) of small functions and
check the properties the design relies on: a function that cannot raise
returns its value directly, callees are inlined into callers, a loop is
not duplicated into the CPython wrapper, fastmath puts fast-math flags on
float operations, nogil releases the GIL around the native call.
"""
import math
import re

from pyjit import njit


def native_ir(f):
    """The text of the native function (not the wrapper) of f's first
    specialization."""
    sig = f.signatures[0]
    ir = f.inspect_llvm(sig)
    name = f.overloads[sig].native_name
    start = ir.index(f'@"{name}"(')
    start = ir.rindex("define", 0, start)
    return ir[start:ir.index("\n}\n", start)]


def wrapper_ir(f):
    sig = f.signatures[0]
    ir = f.inspect_llvm(sig)
    start = ir.index("@\"cpython.")
    start = ir.rindex("define", 0, start)
    return ir[start:ir.index("\n}\n", start)]


@njit
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def test_a_function_that_cannot_raise_returns_its_value():
    assert fib(10) == 55
    ov = fib.overloads[fib.signatures[0]]
    assert ov.can_raise is False
    head = native_ir(fib).splitlines()[0]
    assert re.search(r"define protected [^@]*\bi64 @", head), head


@njit
def halves(n):
    s = 0
    for i in range(n):
        s += i // 2 + i % 7
    return s


def test_division_by_a_nonzero_constant_cannot_raise():
    assert halves(10) == halves.py_func(10)
    assert halves.overloads[halves.signatures[0]].can_raise is False
    assert "pj_rt_raise" not in native_ir(halves)


@njit
def divides(a, b):
    return a // b


def test_division_by_a_variable_returns_a_status():
    assert divides(7, 2) == 3
    assert divides.overloads[divides.signatures[0]].can_raise is True
    head = native_ir(divides).splitlines()[0]
    assert re.search(r"define protected [^@]*\bi32 @", head), head


@njit
def square(x):
    return x * x


@njit
def sum_squares(n):
    s = 0
    for i in range(n):
        s += square(i)
    return s


def test_callees_are_inlined():
    assert sum_squares(10) == 285
    body = native_ir(sum_squares)
    assert "call" not in body, body


def test_the_wrapper_calls_a_loop_instead_of_copying_it():
    assert sum_squares(3) == 5
    w = wrapper_ir(sum_squares)
    assert "br " not in w.split("call", 1)[0], w


@njit(fastmath=True)
def fast_sum(n):
    s = 0.0
    for i in range(n):
        s += i * 0.5
    return s


@njit
def strict_sum(n):
    s = 0.0
    for i in range(n):
        s += i * 0.5
    return s


def test_fastmath_sets_flags_and_vectorizes():
    assert fast_sum(100) == strict_sum(100)
    fast = native_ir(fast_sum)
    assert re.search(r"fadd (reassoc|fast)", fast), fast
    assert "<4 x double>" in fast or "<8 x double>" in fast
    strict = native_ir(strict_sum)
    assert "fast" not in strict and "reassoc" not in strict


@njit(nogil=True)
def nogil_work(n):
    s = 0
    for i in range(n):
        s += i
    return s


def test_nogil_releases_the_gil_around_the_native_call():
    assert nogil_work(10) == 45
    w = wrapper_ir(nogil_work)
    native = nogil_work.overloads[nogil_work.signatures[0]].native_name
    save, call, restore = (w.index("@PyEval_SaveThread"),
                           w.index(f'@"{native}"('),
                           w.index("@PyEval_RestoreThread"))
    assert save < call < restore


@njit
def trig(n):
    s = 0.0
    for i in range(n):
        s += math.sqrt(i) * math.sin(i)
    return s


def test_libm_calls_mark_the_vector_registers_clobbered():
    # LLVM 19 does not count a call as a write of the vector registers; the
    # empty clobbering asm lets it break the false dependency of cvtsi2sd.
    assert math.isclose(trig(50), trig.py_func(50), rel_tol=1e-12)
    body = native_ir(trig)
    assert 'asm sideeffect "", "~{xmm1}' in body
