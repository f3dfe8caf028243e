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


def test_asking_the_driver_for_a_gpu_raises_its_support_error(tmp_path):
    """xrspatial learns that there is no GPU by reading
    cuda.cudadrv.devices.gpus.current and catching
    cuda.cudadrv.error.CudaSupportError, as Numba raises with no driver."""
    script = tmp_path / "prog.py"
    script.write_text(textwrap.dedent("""
        from numba import cuda

        def has_cuda():
            try:
                cuda.cudadrv.devices.gpus.current
                return True
            except cuda.cudadrv.error.CudaSupportError:
                return False

        from numba.cuda.cudadrv.devices import gpus
        from numba.cuda.cudadrv.error import CudaSupportError
        try:
            len(cuda.gpus)
        except CudaSupportError:
            print("len refused")
        print(has_cuda(), gpus is cuda.gpus,
              CudaSupportError is cuda.CudaSupportError)
    """))
    out = subprocess.run([sys.executable, "-m", "pyjit", "run", str(script)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["len refused", "False True True"]
