"""The runtime of compiled code, as Numba's ``numba.core.runtime``.

``rtsys.get_allocation_stats()`` counts the reference-counted blocks compiled
code made and freed (arrays, lists, dicts, sets, strings, jitclass
instances...).  Counting is off by default, as in Numba since 0.57: switch it
on with ``rtsys.memsys_enable_stats()`` or ``PYJIT_NRT_STATS=1``.  A test
that a kernel frees what it makes compares two readings::

    before = rtsys.get_allocation_stats()
    kernel(x)
    after = rtsys.get_allocation_stats()
    assert after.alloc - before.alloc == after.free - before.free
"""
import collections
import os

from . import _core

__all__ = ["rtsys", "AllocationStats"]

AllocationStats = collections.namedtuple(
    "AllocationStats", ["alloc", "free", "mi_alloc", "mi_free"])


class _RuntimeSystem:
    """Numba's ``rtsys`` object: the allocation statistics of compiled
    code.  Each block is one allocation and one meminfo, so ``alloc`` equals
    ``mi_alloc`` and ``free`` equals ``mi_free``."""

    def memsys_enable_stats(self):
        _core._allocation_stats(True)

    def memsys_disable_stats(self):
        _core._allocation_stats(False)

    def memsys_stats_enabled(self):
        return _core._allocation_stats(None)[0]

    def get_allocation_stats(self):
        enabled, made, freed = _core._allocation_stats(None)
        if not enabled:
            raise RuntimeError("NRT stats are disabled.")
        return AllocationStats(made, freed, made, freed)


rtsys = _RuntimeSystem()

if os.environ.get("PYJIT_NRT_STATS", os.environ.get("NUMBA_NRT_STATS")) \
        not in (None, "", "0"):
    rtsys.memsys_enable_stats()
