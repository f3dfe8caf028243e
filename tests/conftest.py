import os

import pytest

import pyjit

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
