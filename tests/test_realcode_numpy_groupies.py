"""What numpy-groupies' numba backend (numpy_groupies/aggregate_numba/,
0.16) needs beyond isinstance (tests/test_isinstance.py): np.dtype('O')
passed to a jitted function and on to another (Numba's dtype(pyobject),
which nothing makes an array of), a tuple-or-None result unpacked after
the None case returned, and the numba.core.caching names its cache
wrapper subclasses.  Each compared with its plain Python function."""
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from pyjit import njit, prange
from pyjit.errors import TypingError

from difftest import assert_compiled

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OBJECT = np.dtype("O")


# aggregate_numba/collect.py: the driver of func=list takes the output
# dtypes it has no use for, object ones among them.
@njit
def group_lists(group_idx, a, size, out_dtype, aux_dtype):
    counts = np.zeros(size, np.int64)
    for g in group_idx:
        counts[g] += 1
    starts = np.zeros(size + 1, np.int64)
    starts[1:] = np.cumsum(counts)
    values = np.empty(len(a), a.dtype)
    fill = starts[:-1].copy()
    for g, v in zip(group_idx, a):
        values[fill[g]] = v
        fill[g] += 1
    return [values[starts[k]:starts[k + 1]] for k in range(size)], out_dtype


@njit
def call_with_closure_dtype(group_idx, a, size):
    return group_lists(group_idx, a, size, OBJECT, OBJECT)[0]


def test_an_object_dtype_passes_through():
    group_idx = np.array([0, 1, 3, 1, 3])
    a = np.arange(101, 106)
    got, dt = group_lists(group_idx, a, 4, OBJECT, np.dtype(object))
    want, _ = group_lists.py_func(group_idx, a, 4, OBJECT, OBJECT)
    assert dt == OBJECT
    assert [list(x) for x in got] == [list(x) for x in want]
    got2 = call_with_closure_dtype(group_idx, a, 4)
    assert [list(x) for x in got2] == [list(x) for x in want]
    # the signature names dtype(pyobject), the type of the dtype argument,
    # which the compiled code passes along without an object of its own
    assert_compiled(call_with_closure_dtype)
    sig = group_lists.nopython_signatures[0]
    assert [str(t) for t in sig.args[3:]] == ["dtype(pyobject)"] * 2
    assert str(sig.return_type).startswith("Tuple(list(array(int64")


def test_an_object_dtype_reads_its_attributes_and_makes_no_array():
    @njit
    def attributes(d):
        return d.kind, d.itemsize

    assert attributes(OBJECT) == ("O", 8)

    @njit
    def make(n, d):
        return np.empty(n, d)

    with pytest.raises(TypingError, match="must name a number type"):
        make(3, OBJECT)


# aggregate_numba/specials.py (_group_mt_setup and its callers): the
# parallel setup is a tuple, or None when the input is too small to split.
@njit
def mt_setup(a, n_threads):
    if len(a) < 4 * n_threads:
        return None
    edges = np.linspace(0, len(a), n_threads + 1).astype(np.int64)
    return a.copy(), edges, np.diff(edges).max()


@njit(parallel=True)
def sums_by_range(a, n_threads):
    setup = mt_setup(a, n_threads)
    if setup is None:
        return np.array([a.sum()])
    values, edges, largest = setup
    out = np.zeros(n_threads)
    for c in prange(n_threads):
        for i in range(edges[c], edges[c + 1]):
            out[c] += values[i]
    return out


@pytest.mark.parametrize("n", [0, 3, 8, 50])
@pytest.mark.parametrize("threads", [1, 2, 3])
def test_a_tuple_or_none_unpacks_after_the_none_case(n, threads):
    a = np.arange(float(n))
    np.testing.assert_allclose(sums_by_range(a, threads),
                               sums_by_range.py_func(a, threads))
    assert_compiled(sums_by_range)


def test_unpacking_none_is_a_type_error():
    @njit
    def unpack(a):
        values, edges, largest = mt_setup(a, 2)
        return largest

    assert unpack(np.arange(20.0)) == unpack.py_func(np.arange(20.0))
    with pytest.raises(TypeError):
        unpack(np.arange(3.0))


CACHING = """
import pyjit
pyjit.install_numba_alias()
import numba as nb
from numba.core import caching

# aggregate_numba/jit.py: a cache file that locks, and the fallback
class LockingCacheFile(caching.IndexDataCacheFile):
    def save(self, key, data):
        return super().save(key, data)

@nb.njit(cache=True)
def add_one(x):
    return x + 1

try:
    add_one._set_uuid("pinned")
except AttributeError:
    add_one._cache = caching.NullCache()
print(add_one(2), isinstance(add_one._cache, caching.NullCache),
      issubclass(LockingCacheFile, caching.IndexDataCacheFile))
"""


def test_numba_core_caching_names_import_under_the_alias(tmp_path):
    script = tmp_path / "prog.py"
    script.write_text(textwrap.dedent(CACHING))
    proc = subprocess.run([sys.executable, str(script)], capture_output=True,
                          text=True, timeout=120, cwd=tmp_path,
                          env=dict(os.environ, PYTHONPATH=ROOT))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["3", "True", "True"]
