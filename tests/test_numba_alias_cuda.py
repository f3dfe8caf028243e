"""numba.cuda under the alias is Numba's numba.cuda on a machine with no
CUDA driver (pyjit/_numba_cuda.py): programs that also have GPU kernels
(STUMPY) import, ask is_available(), and run their CPU code; using CUDA
raises CudaSupportError."""
import subprocess
import sys
import textwrap


def test_a_program_with_gpu_kernels_runs_its_cpu_code(tmp_path):
    script = tmp_path / "prog.py"
    script.write_text(textwrap.dedent("""
        import numpy as np
        from numba import cuda, njit

        @cuda.jit
        def fill(a):
            i = cuda.grid(1)
            a[i] = 1.0

        @cuda.jit(device=True)
        def twice(x):
            return 2 * x

        @njit
        def cpu_fill(a):
            for i in range(a.shape[0]):
                a[i] = 1.0
            return a.sum()

        a = np.zeros(5)
        print(cuda.is_available(), cpu_fill(a))
        for use in (lambda: fill[1, 32](a), lambda: cuda.to_device(a),
                    lambda: cuda.list_devices(), lambda: twice(1.0)):
            try:
                use()
            except cuda.CudaSupportError as e:
                print("CudaSupportError", "no CUDA target" in str(e))
        try:
            cuda.jit("void(float64[:])")(lambda a: None)
        except cuda.CudaSupportError:
            print("signature refused")
    """))
    out = subprocess.run([sys.executable, "-m", "pyjit", "run", str(script)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [
        "False 5.0"] + ["CudaSupportError True"] * 4 + ["signature refused"]
