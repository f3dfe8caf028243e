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

A loop is cut into one chunk of iterations a thread, unless the calling
thread sets a chunk size with ``set_parallel_chunksize(n)`` (or ``with
parallel_chunksize(n):``): then into chunks of n iterations, which the
threads take one after another as they finish, to balance loops whose
iterations cost different times.
"""
import contextlib
import operator

from . import _core, config


NUM_THREADS = config.NUM_THREADS
_core._parallel_configure(NUM_THREADS)


def prange(*args):
    """range for loops whose iterations may run in parallel (in a function
    compiled with parallel=True)."""
    return range(*args)


def pndindex(*shape):
    """np.ndindex(*shape), whose loop Numba runs across threads in a
    parallel=True function; pyjit runs it as np.ndindex, in order on one
    thread (a prange over the first dimension is the parallel spelling)."""
    import numpy as np
    return np.ndindex(*shape)


def set_num_threads(n):
    """Use n threads (1 <= n <= NUM_THREADS) for the parallel regions this
    thread runs from now on."""
    n = operator.index(n)
    if not 1 <= n <= NUM_THREADS:
        raise ValueError(f"The number of threads must be between 1 and "
                         f"{NUM_THREADS}, not {n}")
    _core._parallel_set_threads(n)


def get_num_threads():
    """The number of threads this thread's parallel regions use."""
    return _core._parallel_get_threads()


def set_parallel_chunksize(n):
    """Cut the prange loops this thread runs into chunks of n iterations
    (0: one chunk a thread, the default); returns the previous size."""
    return _core._parallel_set_chunksize(operator.index(n))


def get_parallel_chunksize():
    """The chunk size of this thread's prange loops (0: the default)."""
    return _core._parallel_get_chunksize()


@contextlib.contextmanager
def parallel_chunksize(n):
    """`with parallel_chunksize(n):` the chunk size for the block."""
    old = set_parallel_chunksize(n)
    try:
        yield
    finally:
        set_parallel_chunksize(old)


def chunksize_block(func, with_node):
    """For `with parallel_chunksize(n):` in func, the expression n (the
    frontend compiles the block, csrc/frontend.c); None for any other with
    statement."""
    import ast
    from ._resolve import resolve
    if len(with_node.items) != 1 or with_node.items[0].optional_vars:
        return None
    call = with_node.items[0].context_expr
    if not (isinstance(call, ast.Call) and len(call.args) == 1
            and not call.keywords):
        return None
    try:
        target = resolve(func, call.func)
    except Exception:
        return None
    return call.args[0] if target is parallel_chunksize else None


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
