import os

import pytest
from hypothesis import settings

import pyjit

# The suite draws the same generated inputs on every run, so that a red run
# means pyjit changed, not that a new draw found an old fault; `make
# test-random` (PYJIT_HYPOTHESIS_RANDOM=1) draws fresh ones.
settings.register_profile("fixed", derandomize=True, print_blob=True)
settings.register_profile("random", print_blob=True)
settings.load_profile(
    "random" if os.environ.get("PYJIT_HYPOTHESIS_RANDOM") else "fixed")

# Interpreters the tests start import the pyjit these tests import (this
# checkout's, or the build `make asan` runs), not whichever is installed.
_HOME = os.path.dirname(os.path.dirname(os.path.abspath(pyjit.__file__)))
os.environ["PYTHONPATH"] = os.pathsep.join(
    p for p in (_HOME, os.environ.get("PYTHONPATH")) if p)


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite the expected blocks of tests/golden/*.py")


@pytest.fixture
def update_golden(request):
    return request.config.getoption("--update-golden")
