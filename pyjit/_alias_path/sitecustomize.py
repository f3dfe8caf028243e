"""Startup of a Python process started under pyjit's numba alias.

pyjit.install_numba_alias() (and `python -m pyjit run`) put this directory
first on PYTHONPATH, so the Python processes the program starts (its
multiprocessing and joblib workers, a `subprocess` of the same interpreter)
run this at startup.  It costs them nothing until they import numba: a
finder waits for that import and then installs the alias, so the whole
program runs on pyjit, not only its first process.  It lives on
sys.meta_path, which a worker keeps when it takes its parent's sys.path.
Where pyjit cannot be imported (another interpreter), numba is Numba.

A sitecustomize this one shadows still runs, after it.
"""
import importlib.machinery
import importlib.util
import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))


class _AliasOnImport:
    """Puts pyjit's numba alias in charge at the first `import numba`."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname != "numba" and not fullname.startswith("numba."):
            return None
        sys.meta_path.remove(self)
        try:
            from pyjit._numba_alias import install_finder
        except ImportError:
            return None
        return install_finder().find_spec(fullname, path, target)


def _run_shadowed():
    """The sitecustomize that would have run without this directory."""
    rest = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", rest)
    if spec is not None:
        spec.loader.exec_module(importlib.util.module_from_spec(spec))


sys.meta_path.insert(0, _AliasOnImport())
_run_shadowed()
