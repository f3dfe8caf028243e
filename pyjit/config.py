"""pyjit's settings from the environment, read once at import, as
numba.config reads its NUMBA_* variables.

Each setting X comes from PYJIT_X, or from NUMBA_X when PYJIT_X is not set
(so a program's Numba settings carry over); a value that does not parse
is a warning naming the variable, and the default is used, as in Numba.
`reload_config()` reads them again.

    DISABLE_JIT        decorators return dispatchers that run the Python
                       function (for debuggers)
    BOUNDSCHECK        None (the boundscheck= option decides), or 0 / 1 to
                       turn array index checks off / on everywhere
    DEBUGINFO_DEFAULT  the default of debug= (DWARF line info)
    OPT                LLVM's optimization level, 0 to 3
    CACHE_DIR          where cache=True stores its records ('' : beside
                       the source)
    NUM_THREADS        the threads a parallel region may use (the CPUs);
                       also NUMBA_NUM_THREADS, as Numba names it
    DEFAULT_NUM_THREADS  the CPUs this process may run on (also
                       NUMBA_DEFAULT_NUM_THREADS)
    DUMP               the stages every compile prints (ir,typed,llvm,...)

Numba's facts about the platform are here too, under Numba's names, for
programs that test them: IS_WIN32, IS_OSX, IS_32BITS, MACHINE_BITS and
PYVERSION.
"""
import os
import struct
import sys
import warnings

from . import _core

_settings = {}

IS_WIN32 = sys.platform.startswith("win32")
IS_OSX = sys.platform.startswith("darwin")
MACHINE_BITS = struct.calcsize("P") * 8
IS_32BITS = MACHINE_BITS == 32
PYVERSION = sys.version_info[:2]


def _cpus():
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _readenv(name, ctor, default):
    """The value of PYJIT_<name> (else NUMBA_<name>) converted by ctor, or
    default when neither is set or it is empty."""
    for prefix in ("PYJIT_", "NUMBA_"):
        value = os.environ.get(prefix + name)
        if value is None:
            continue
        if not value.strip():
            return default
        try:
            return ctor(value)
        except ValueError:
            warnings.warn(f"environment variable {prefix}{name} is defined "
                          f"but its value {value!r} could not be parsed; "
                          f"using {default!r}", RuntimeWarning, stacklevel=3)
            return default
    return default


def _flag(value):
    return int(value) != 0


def _opt_level(value):
    level = int(value)
    if not 0 <= level <= 3:
        raise ValueError(value)
    return level


def _positive(value):
    n = int(value)
    if n < 1:
        raise ValueError(value)
    return n


def reload_config():
    """Reads the environment again and sets this module's attributes."""
    cpus = _cpus()
    boundscheck = _readenv("BOUNDSCHECK", int, None)
    values = {
        "DISABLE_JIT": _readenv("DISABLE_JIT", _flag, False),
        "BOUNDSCHECK": None if boundscheck is None else int(boundscheck != 0),
        "DEBUGINFO_DEFAULT": _readenv("DEBUGINFO", _flag, False),
        "OPT": _readenv("OPT", _opt_level, 3),
        "CACHE_DIR": _readenv("CACHE_DIR", str, ""),
        "DEFAULT_NUM_THREADS": cpus,
        "NUM_THREADS": _readenv("NUM_THREADS", _positive, cpus),
        "DUMP": _readenv("DUMP", str, ""),
    }
    globals().update(values)
    # Numba's names of the thread counts, for code that reads them there
    globals().update(NUMBA_NUM_THREADS=values["NUM_THREADS"],
                     NUMBA_DEFAULT_NUM_THREADS=cpus)
    _core._set_opt_level(values["OPT"])
    _settings.clear()
    _settings.update(values)


def settings():
    """The settings as a dict, name -> value (for `python -m pyjit -s`)."""
    return dict(_settings)


reload_config()
