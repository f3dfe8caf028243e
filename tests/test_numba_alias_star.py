"""Two spellings of Numba programs run unchanged: `from numba import *`
brings Numba's __all__ (so a script's `np` stays NumPy), and
`dispatcher.compile(sig)` compiles a signature now (numba-examples'
sum.py)."""
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from pyjit import float64, njit


def run_script(tmp_path, text):
    script = tmp_path / "prog.py"
    script.write_text(textwrap.dedent(text))
    out = subprocess.run([sys.executable, "-m", "pyjit", "run", str(script)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.split()


def test_star_import_keeps_numpy(tmp_path):
    out = run_script(tmp_path, """
        import numpy as np
        from numba import *

        @njit
        def norm(v):
            return np.sqrt((v * v).sum())

        print(np.__name__, norm(np.array([3.0, 4.0])), float64,
              prange is not None, "zeros" in dir())
    """)
    assert out == ["numpy", "5.0", "float64", "True", "False"]


def test_compile_a_signature_now():
    def total(a):
        s = 0.0
        for i in range(a.shape[0]):
            for j in range(a.shape[1]):
                s += a[i, j]
        return s

    f = njit(total)
    run = f.compile(float64(float64[:, ::1]))
    assert len(f.signatures) == 1
    a = np.arange(12.0).reshape(3, 4)
    assert run(a) == total(a) == 66.0
    assert f.compile("float64(float64[:, ::1])") is f
    assert len(f.signatures) == 1
    with pytest.raises(TypeError, match="invalid signature"):
        f.compile("float64(nonsense)")
