"""prange and the number of threads parallel=True functions run on, spelled
as Numba's.

``prange`` is ``range`` to Python and to functions compiled without
``parallel=True``; in a function compiled with it, each outermost prange
loop runs its iterations on a team of threads (csrc/parallel.c compiles
the loop, csrc/parallel_rt.c runs it on LLVM's OpenMP runtime).

The team has ``NUM_THREADS`` threads (``pyjit.config.NUM_THREADS``: the
``PYJIT_NUM_THREADS`` environment variable, or the cores this process may
run on) unless the calling thread
asks for fewer with ``set_num_threads``, as in Numba.
"""
from . import _core, config


NUM_THREADS = config.NUM_THREADS
_core._parallel_configure(NUM_THREADS)


def prange(*args):
    """range for loops whose iterations may run in parallel (in a function
    compiled with parallel=True)."""
    return range(*args)


def set_num_threads(n):
    """Use n threads (1 <= n <= NUM_THREADS) for the parallel regions this
    thread runs from now on."""
    import operator
    n = operator.index(n)
    if not 1 <= n <= NUM_THREADS:
        raise ValueError(f"The number of threads must be between 1 and "
                         f"{NUM_THREADS}, not {n}")
    _core._parallel_set_threads(n)


def get_num_threads():
    """The number of threads this thread's parallel regions use."""
    return _core._parallel_get_threads()


def get_thread_id():
    """The number of the calling thread in the parallel region running it
    (0 outside one)."""
    return _core._parallel_get_thread_id()


def threading_layer():
    """The threading layer parallel regions have run on: 'omp' (LLVM's
    OpenMP runtime).  Before the first region it raises ValueError, as
    Numba's does."""
    if not _core._parallel_layer_used():
        raise ValueError("Threading layer is not initialized.")
    return "omp"
