"""`python -m pyjit -s`: what pyjit runs on, as `numba -s` reports it.

The sections are Numba's: the time, the hardware (with the CPU name and
features LLVM sees, which the generated code is made for), the OS,
Python, pyjit and its LLVM, NumPy, threading layers, the cache directory,
the settings of pyjit.config and the PYJIT_* / NUMBA_* variables set.
"""
import os
import platform
import sys
import textwrap
import time

from . import _core, config

_WIDTH = 46


def _line(out, key, value):
    out.append(f"{key:<{_WIDTH}}: {value}")


def _wrapped(out, key, words):
    text = textwrap.wrap(" ".join(words), 80 - _WIDTH - 2) or [""]
    _line(out, key, text[0])
    out.extend(" " * (_WIDTH + 2) + rest for rest in text[1:])


def _hardware(out, cpu_name, features):
    out.append("__Hardware Information__")
    _line(out, "Machine", platform.machine())
    _line(out, "CPU Name", cpu_name)
    _line(out, "CPU Count", os.cpu_count())
    _line(out, "Number of accessible CPUs", config.DEFAULT_NUM_THREADS)
    out.append("")
    enabled = sorted(f[1:] for f in features.split(",") if f.startswith("+"))
    _wrapped(out, "CPU Features", enabled)
    out.append("")


def _os_and_python(out):
    out.append("__OS Information__")
    _line(out, "Platform Name", platform.platform())
    _line(out, "Platform Release", platform.release())
    _line(out, "OS Name", platform.system())
    _line(out, "OS Version", platform.version())
    libc = " ".join(platform.libc_ver())
    _line(out, "Libc Version", libc.strip() or "?")
    out.append("")
    out.append("__Python Information__")
    _line(out, "Python Compiler", platform.python_compiler())
    _line(out, "Python Implementation", platform.python_implementation())
    _line(out, "Python Version", platform.python_version())
    out.append("")


def _pyjit(out, triple, llvm_version):
    from . import __version__
    out.append("__pyjit Information__")
    _line(out, "pyjit Version", __version__)
    _line(out, "pyjit Location", os.path.dirname(os.path.abspath(__file__)))
    _line(out, "Extension Build Id", _core.build_id())
    _line(out, "LLVM Version", llvm_version)
    _line(out, "LLVM Target Triple", triple)
    out.append("")


def _numpy(out):
    out.append("__NumPy Information__")
    try:
        import numpy
    except ImportError:
        _line(out, "NumPy Version", "not installed")
        out.append("")
        return
    _line(out, "NumPy Version", numpy.__version__)
    try:
        from numpy._core._multiarray_umath import __cpu_features__
        simd = [k for k, v in __cpu_features__.items() if v]
        _wrapped(out, "NumPy Supported SIMD features", simd)
    except ImportError:
        pass
    out.append("")


def _threading_and_cache(out):
    out.append("__Threading Layer Information__")
    _line(out, "Threading layers available", "none (code runs on the "
          "calling thread; nogil=True lets Python threads run it at once)")
    _line(out, "Number of threads (NUM_THREADS)", config.NUM_THREADS)
    out.append("")
    out.append("__Cache Information__")
    _line(out, "Cache directory (CACHE_DIR)", config.CACHE_DIR or
          "__pycache__ beside each source file")
    out.append("")


def _settings(out):
    out.append("__pyjit Configuration (pyjit.config)__")
    for name, value in sorted(config.settings().items()):
        _line(out, name, repr(value))
    out.append("")
    out.append("__Environment Variables__")
    found = sorted(k for k in os.environ
                   if k.startswith(("PYJIT_", "NUMBA_")))
    for k in found:
        _line(out, k, os.environ[k])
    if not found:
        out.append("None found.")
    out.append("")


def report():
    """The system information as text."""
    start = time.time()
    triple, cpu_name, features, llvm_version = _core.host_info()
    out = ["System info:", "-" * 80, "__Time Stamp__"]
    _line(out, "Report started (local time)",
          time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(start)))
    _line(out, "UTC start time",
          time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(start)))
    out.append("")
    _hardware(out, cpu_name, features)
    _os_and_python(out)
    _pyjit(out, triple, llvm_version)
    _numpy(out)
    _threading_and_cache(out)
    _settings(out)
    return "\n".join(out)


def main():
    sys.stdout.write(report() + "\n")
    return 0
