"""Shared helpers for the differential tests of the scalar nopython language.

Each test runs a jitted function and its plain Python original (`f.py_func`) on the
same inputs and compares the results, taking Numba's semantics into account (int64
wraps around silently).
"""
import json
import math
import os
import subprocess
import sys

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import settings

INT64_MIN = -(2 ** 63)
INT64_MAX = 2 ** 63 - 1

# Default settings for the differential tests: enough examples to find sign/edge bugs,
# few enough that the whole suite stays fast.  PYJIT_DIFFTEST_SCALE=20 runs 20 times as
# many examples (for a longer fuzzing run by hand).
SCALE = max(1, int(os.environ.get("PYJIT_DIFFTEST_SCALE", "1")))
SETTINGS = settings(max_examples=150 * SCALE, deadline=None)
FEW = settings(max_examples=60 * SCALE, deadline=None)

# Strategies -----------------------------------------------------------------------

int64s = st.one_of(
    st.integers(INT64_MIN, INT64_MAX),
    st.integers(-100, 100),
    st.sampled_from([INT64_MIN, INT64_MIN + 1, INT64_MAX, INT64_MAX - 1, -1, 0, 1,
                     2 ** 31, -(2 ** 31), 2 ** 32, 2 ** 53, -(2 ** 53)]),
)
small_ints = st.integers(-1000, 1000)
# ints that convert to float64 exactly (mixed int/float code compares like Python then)
exact_ints = st.integers(-(2 ** 53), 2 ** 53)
nonzero_int64s = int64s.filter(lambda x: x != 0)

finite_floats = st.floats(allow_nan=False, allow_infinity=False)
any_floats = st.floats(allow_nan=True, allow_infinity=True)
# floats of moderate magnitude (no overflow in products, exact-ish values)
mod_floats = st.one_of(
    st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
    st.sampled_from([0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.5, -2.5, 3.0, -3.0]),
)
bools = st.booleans()
complexes = st.complex_numbers(max_magnitude=1e6, allow_nan=False, allow_infinity=False)


def rss_bytes():
    """The process's resident set size now."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def rss_limit(nbytes):
    """A bound on the growth of RSS a memory test allows: nbytes, plus, in
    `make asan`, the quarantine ASan keeps freed blocks in before reusing
    them (quarantine_size_mb of ASAN_OPTIONS), which a flat program fills
    once."""
    if "libasan" not in os.environ.get("LD_PRELOAD", ""):
        return nbytes
    options = dict(o.split("=", 1) for o in
                   os.environ.get("ASAN_OPTIONS", "").split(":") if "=" in o)
    return nbytes + int(options.get("quarantine_size_mb", "256")) * (1 << 20)


def wrap64(x):
    """Reduce a Python int to int64 two's complement (what pyjit's int64 gives)."""
    if isinstance(x, bool):
        return x
    x &= (1 << 64) - 1
    return x - (1 << 64) if x >= (1 << 63) else x


def is_pyobject(t):
    return "pyobject" in str(t)


def assert_compiled(f):
    """The dispatcher compiled at least one nopython specialization, none of them
    involving pyobject (neither in the arguments nor in the return type)."""
    sigs = f.signatures
    assert len(sigs) >= 1, f"{f.__name__} has no compiled signature"
    for sig in sigs:
        assert not any(is_pyobject(t) for t in sig), f"pyobject in signature {sig}"
        ov = f.overloads[sig]
        assert not is_pyobject(ov.return_type), \
            f"pyobject return type for {f.__name__}{sig}"


def _float_same(a, b):
    if math.isnan(b):
        return math.isnan(a)
    return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)


def assert_same(actual, expected, strict_type=True, wrap=True, where=""):
    """actual (compiled) matches expected (Python).  Int results are compared after
    int64 wraparound; floats bit-for-bit up to nan (signed zeros must agree)."""
    msg = f"{where}: compiled {actual!r} != python {expected!r}"
    if isinstance(expected, tuple):
        assert isinstance(actual, tuple), msg
        assert len(actual) == len(expected), msg
        for a, e in zip(actual, expected):
            assert_same(a, e, strict_type, wrap, where)
        return
    if expected is None:
        assert actual is None, msg
        return
    if isinstance(expected, bool):
        if strict_type:
            assert type(actual) is bool, msg + f" (type {type(actual).__name__})"
        assert actual == expected, msg
        return
    if isinstance(expected, int):
        if strict_type:
            assert type(actual) is int, msg + f" (type {type(actual).__name__})"
        e = wrap64(expected) if wrap else expected
        if isinstance(actual, float):
            assert actual == float(e), msg
        else:
            assert actual == e, msg
        return
    if isinstance(expected, float):
        if strict_type:
            assert type(actual) is float, msg + f" (type {type(actual).__name__})"
        assert _float_same(float(actual), expected), msg
        return
    if isinstance(expected, complex):
        if strict_type:
            assert type(actual) is complex, msg + f" (type {type(actual).__name__})"
        actual = complex(actual)
        assert _float_same(actual.real, expected.real), msg
        assert _float_same(actual.imag, expected.imag), msg
        return
    assert actual == expected, msg


def run_both(f, *args, **kwargs):
    """Returns ('ok', value) or ('exc', exception) for the Python function."""
    try:
        return "ok", f.py_func(*args, **kwargs)
    except Exception as e:  # noqa: BLE001
        return "exc", e


def check(f, *args, strict_type=True, wrap=True, message=True, **kwargs):
    """Run f compiled and f.py_func on args; they must agree (value, or exception
    class and message)."""
    kind, expected = run_both(f, *args, **kwargs)
    where = f"{f.__name__}{args!r}"
    if kind == "exc":
        with pytest.raises(type(expected)) as ei:
            f(*args, **kwargs)
        if message:
            assert str(ei.value) == str(expected), \
                f"{where}: message {str(ei.value)!r} != python {str(expected)!r}"
        assert_compiled(f)
        return expected
    actual = f(*args, **kwargs)
    assert_compiled(f)
    assert_same(actual, expected, strict_type=strict_type, wrap=wrap, where=where)
    return actual


def assert_near(got, want, rtol):
    """got (compiled) matches want: tuples and lists item by item, arrays
    of its shape and dtype and integers exactly, floats to rtol."""
    if isinstance(want, (tuple, list)):
        assert type(got) is type(want) and len(got) == len(want)
        for g, w in zip(got, want):
            assert_near(g, w, rtol)
    elif isinstance(want, np.ndarray):
        assert isinstance(got, np.ndarray)
        assert got.shape == want.shape and got.dtype == want.dtype
        np.testing.assert_allclose(got, want, rtol=rtol, atol=rtol)
    elif isinstance(want, (int, np.integer, bool, np.bool_)):
        assert got == want
    else:
        np.testing.assert_allclose(got, want, rtol=rtol, atol=rtol)


def return_type(f, *argtypes):
    """str of the return type of the specialization for the given arg type names."""
    for sig, ov in f.overloads.items():
        if tuple(str(t) for t in sig) == tuple(argtypes):
            return str(ov.return_type)
    raise KeyError(f"no specialization {argtypes} in {f.signatures}")


def close(a, b, rel_tol=1e-12, abs_tol=0.0):
    """math.isclose that also accepts nan==nan and equal infinities."""
    if isinstance(b, complex) or isinstance(a, complex):
        a, b = complex(a), complex(b)
        return close(a.real, b.real, rel_tol, abs_tol) and close(a.imag, b.imag, rel_tol, abs_tol)
    if math.isnan(b):
        return math.isnan(a)
    return math.isclose(a, b, rel_tol=rel_tol, abs_tol=abs_tol)


def run_cached_script(tmp_path, script):
    """Runs script as kernels.py in tmp_path in a fresh interpreter that
    imports this checkout's pyjit (no PYJIT_ settings), as a cache=True
    test's two processes do; the JSON its last line prints."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    (tmp_path / "kernels.py").write_text(script)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYJIT_")}
    env["PYTHONPATH"] = root
    proc = subprocess.run([sys.executable, "kernels.py"], capture_output=True,
                          text=True, env=env, cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return json.loads(proc.stdout.splitlines()[-1])
