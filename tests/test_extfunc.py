"""C functions from ctypes and cffi called by compiled code (csrc/extfunc.c),
as Numba calls them: a ctypes function with argtypes and restype, a
CFUNCTYPE prototype around an address or a Python callable, a cffi
function of a dlopen'd library; as globals (the address frozen, the code
not cached) and as arguments.  Differential tests against the same call
from the interpreter."""
import ctypes
import math
import subprocess
import sys
import textwrap
import warnings

import pytest
from cffi import FFI
from hypothesis import given

from pyjit import njit
from pyjit.errors import TypingError

from difftest import FEW, assert_compiled, mod_floats, small_ints

libm = ctypes.CDLL("libm.so.6")
c_sin = libm.sin
c_sin.argtypes = [ctypes.c_double]
c_sin.restype = ctypes.c_double
c_powf = libm.powf
c_powf.argtypes = [ctypes.c_float, ctypes.c_float]
c_powf.restype = ctypes.c_float
libc = ctypes.CDLL(None)
c_labs = libc.labs
c_labs.argtypes = [ctypes.c_long]
c_labs.restype = ctypes.c_long
c_abs = libc.abs
c_abs.argtypes = [ctypes.c_int]
c_abs.restype = ctypes.c_int

ffi = FFI()
ffi.cdef("double cos(double x); double hypot(double, double);"
         "long labs(long); int printf(const char *, ...);")
cffi_m = ffi.dlopen("libm.so.6")
cffi_c = ffi.dlopen(None)
cffi_cos, cffi_hypot, cffi_labs = cffi_m.cos, cffi_m.hypot, cffi_c.labs


@njit
def use_globals(x, k):
    return c_sin(x) + c_powf(x, 2.0) + c_labs(k) + c_abs(-3) \
        + cffi_cos(x) + cffi_hypot(x, 1.0) + cffi_labs(k)


def reference(x, k):
    f32 = ctypes.c_float
    powf = f32(x).value ** 2.0
    return (math.sin(x) + ctypes.c_float(powf).value + abs(k) + 3
            + math.cos(x) + math.hypot(x, 1.0) + abs(k))


@FEW
@given(x=mod_floats, k=small_ints)
def test_global_ctypes_and_cffi_functions(x, k):
    got = use_globals(x, k)
    assert math.isclose(got, reference(x, k), rel_tol=1e-6, abs_tol=1e-6)
    assert_compiled(use_globals)


@njit
def apply(f, x):
    return f(x)


@njit
def apply_all(f, g, xs):
    t = 0.0
    for x in xs:
        t += f(x) * g(x)
    return t


def test_functions_as_arguments():
    c_cos = cffi_m.cos
    for x in (0.0, 0.5, -2.25, 10.0):
        assert apply(c_sin, x) == math.sin(x)
        assert apply(c_cos, x) == math.cos(x)
    assert apply_all(c_sin, c_cos, (0.1, 0.2)) == \
        math.sin(0.1) * math.cos(0.1) + math.sin(0.2) * math.cos(0.2)
    # one specialization serves every function of the signature
    assert len(apply.signatures) == 1
    assert_compiled(apply)


def test_cfunctype_prototypes():
    proto = ctypes.CFUNCTYPE(ctypes.c_double, ctypes.c_double)
    wrapped_py = proto(lambda x: 3.0 * x + 1.0)
    from_address = proto(ctypes.cast(c_sin, ctypes.c_void_p).value)
    for x in (0.0, 1.5, -4.0):
        assert apply(wrapped_py, x) == 3.0 * x + 1.0
        assert apply(from_address, x) == math.sin(x)


def test_unusable_functions_say_why():
    no_types = libm.cos            # argtypes and restype not set
    with pytest.raises(TypingError, match="argtypes and restype"):
        apply(no_types, 1.0)
    c_strlen = libc.strlen
    c_strlen.argtypes = [ctypes.c_char_p]
    c_strlen.restype = ctypes.c_size_t
    with pytest.raises(TypingError, match="argtypes and restype"):
        apply(c_strlen, 1.0)
    with pytest.raises(TypingError, match="cffi function"):
        apply(cffi_c.printf, 1.0)
    null = ctypes.CFUNCTYPE(ctypes.c_double, ctypes.c_double)()
    with pytest.raises(TypingError, match="NULL ctypes function"):
        apply(null, 1.0)
    with pytest.raises(TypingError):
        apply(c_powf, 1.0)           # two arguments, one given


def test_cache_true_warns_and_does_not_store(tmp_path):
    script = tmp_path / "calls_sin.py"
    script.write_text(textwrap.dedent("""
        import ctypes, warnings
        from pyjit import njit
        libm = ctypes.CDLL("libm.so.6")
        c_sin = libm.sin
        c_sin.argtypes = [ctypes.c_double]
        c_sin.restype = ctypes.c_double

        @njit(cache=True)
        def f(x):
            return c_sin(x)

        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            print(f(0.5))
        print(any("dynamic globals" in str(x.message) for x in w))
        print(f.stats.cache_hits)
    """))
    env = {"PYJIT_CACHE_DIR": str(tmp_path / "cache")}
    import os
    env = {**os.environ, **env}
    for _ in range(2):
        out = subprocess.run([sys.executable, str(script)], env=env,
                             capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        lines = out.stdout.split("\n")
        assert float(lines[0]) == math.sin(0.5)
        assert lines[1] == "True"
        assert "1" not in lines[2]          # never loaded from the cache
