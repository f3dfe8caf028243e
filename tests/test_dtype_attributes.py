"""a.dtype's attributes in compiled code (`a.dtype.kind == "f"`, as
numbagg writes it), and the numba.np.ufunc names programs import."""
import subprocess
import sys

import numpy as np
import pytest

from pyjit import njit

DTYPES = [np.float64, np.float32, np.int64, np.int8, np.uint16, np.bool_,
          np.complex128]


def attributes(a):
    d = a.dtype
    return d.kind, d.char, d.itemsize, d.name, d.str, d.num


def kind_branch(a):
    if a.dtype.kind == "f":
        return 1
    if a.dtype.kind in "iu":
        return 2
    return 3


@pytest.mark.parametrize("dtype", DTYPES)
def test_dtype_attributes_are_numpys(dtype):
    a = np.zeros(3, dtype)
    jitted = njit(attributes)
    assert jitted(a) == attributes(a)
    assert jitted.nopython_signatures
    assert njit(kind_branch)(a) == kind_branch(a)


def test_numba_np_ufunc_names_resolve_under_the_alias():
    code = (
        "import pyjit; pyjit.install_numba_alias()\n"
        "import numba, importlib\n"
        "from numba.np.ufunc.gufunc import GUFunc\n"
        "from numba.np.ufunc.dufunc import DUFunc\n"
        "from numba.np.ufunc import vectorize, guvectorize\n"
        "importlib.import_module('numba.np.ufunc.omppool')\n"
        "print(numba.config.THREADING_LAYER_PRIORITY, GUFunc.__name__, "
        "DUFunc.__name__)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True,
                         text=True, check=True).stdout
    assert out.split() == ["['tbb',", "'omp',", "'workqueue']", "GUFunc",
                           "DUFunc"]
