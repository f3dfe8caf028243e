"""SciPy's BLAS and LAPACK routines for compiled code (csrc/linalg.c).

SciPy exports them as PyCapsules in the `__pyx_capi__` of its extension
modules scipy.linalg.cython_blas and scipy.linalg.cython_lapack.  Importing
those by name first runs scipy/linalg/__init__.py, which imports most of
scipy.linalg (130-220 ms); loading the two extension modules from their
files takes about 25 ms, and that is what the first compile of `a @ x` or
`np.linalg.solve` waits for.

A module loaded so is left out of sys.modules, so that a later
`import scipy.linalg` imports it as its own submodule, bound as an
attribute of the package.  That import makes the module again from its
file; Cython's modules give back the module already made, which is checked
here before it is relied on: where a module is made anew instead,
scipy.linalg is imported as usual and the loaded module bound in it.
"""
import importlib
import importlib.machinery
import importlib.util
import os
import sys

PACKAGE = "scipy.linalg"


def routines(name):
    """The __pyx_capi__ dict of scipy.linalg.<name> (cython_blas,
    cython_lapack); ImportError when SciPy cannot be imported."""
    full = f"{PACKAGE}.{name}"
    spec = None if PACKAGE in sys.modules else _file_spec(name)
    if spec is None:
        return importlib.import_module(full).__pyx_capi__
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sys.modules.pop(full, None)
    if importlib.util.module_from_spec(spec) is not module:
        sys.modules[full] = module
        setattr(importlib.import_module(PACKAGE), name, module)
    return module.__pyx_capi__


def _file_spec(name):
    """The spec of the extension module scipy/linalg/<name> from its file,
    or None where there is no such file (SciPy missing, or laid out
    otherwise)."""
    try:
        scipy = importlib.util.find_spec("scipy")
    except (ImportError, ValueError):
        return None
    if scipy is None or not scipy.submodule_search_locations:
        return None
    for root in scipy.submodule_search_locations:
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            path = os.path.join(root, "linalg", name + suffix)
            if os.path.isfile(path):
                return importlib.util.spec_from_file_location(
                    f"{PACKAGE}.{name}", path)
    return None
