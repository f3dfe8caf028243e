"""numba.cuda under pyjit's numba alias: what Numba's numba.cuda is on a
machine with no CUDA driver.

pyjit has no GPU target.  Programs that also run on a GPU (STUMPY's gpu_*
functions) import numba.cuda and decorate their kernels when they are
imported, and ask cuda.is_available() before choosing the GPU.  On a machine
without a CUDA driver Numba imports such programs: is_available() is False,
a kernel decorated without a signature is kept uncompiled, and launching it,
moving an array to the device or asking for devices raises
CudaSupportError.  pyjit does the same, so those programs run on the CPU
parts; a signature given to cuda.jit, which Numba compiles at once, is the
error at once."""

_WHY = ("pyjit has no CUDA target: there is no GPU to run this on; run the "
        "CPU version of the code (pyjit.njit, parallel=True)")


class CudaSupportError(RuntimeError):
    """CUDA is not available: pyjit has no CUDA target."""


def _refuse(*args, **kwargs):
    raise CudaSupportError(_WHY)


class _Devices:
    """cuda.gpus (cudadrv.devices.gpus), the list of GPUs: as Numba's with
    no driver, asking for one, the current one or how many there are
    raises CudaSupportError (xrspatial reads `gpus.current` and catches
    it to learn that there is no GPU)."""

    @property
    def current(self):
        _refuse()

    def __len__(self):
        _refuse()

    def __iter__(self):
        _refuse()

    def __getitem__(self, index):
        _refuse()


gpus = _Devices()


class CUDADispatcher:
    """A kernel or device function decorated while no GPU is there: kept,
    never compiled; launching or calling it raises CudaSupportError."""

    def __init__(self, func, device):
        self.py_func = func
        self.device = device
        self.__name__ = getattr(func, "__name__", "kernel")
        self.__doc__ = getattr(func, "__doc__", None)

    def __getitem__(self, launch_config):
        return _refuse

    def __call__(self, *args, **kwargs):
        _refuse()

    def __repr__(self):
        return f"<CUDADispatcher {self.__name__} (no CUDA target)>"


def jit(func_or_sig=None, device=False, **options):
    """cuda.jit: a kernel decorated without a signature is kept uncompiled,
    as Numba keeps it until its first launch; one with a signature is
    compiled at once by Numba, which needs a GPU: CudaSupportError."""
    if func_or_sig is not None and not callable(func_or_sig):
        _refuse()
    if callable(func_or_sig):
        return CUDADispatcher(func_or_sig, device)
    return lambda func: CUDADispatcher(func, device)


def is_available():
    """False: pyjit has no CUDA target."""
    return False


def detect():
    """Prints that no CUDA device is found and returns False, as Numba's
    does without a driver."""
    print("CUDA is not available: pyjit has no CUDA target")
    return False


def own():
    names = {"jit": jit, "is_available": is_available, "detect": detect,
             "CudaSupportError": CudaSupportError, "gpus": gpus}
    for name in ("to_device", "device_array", "device_array_like",
                 "pinned_array", "pinned_array_like", "mapped_array",
                 "list_devices", "select_device", "get_current_device",
                 "current_context", "synchronize", "stream", "event",
                 "close"):
        names[name] = _refuse
    return names


def own_cudadrv_error():
    """numba.cuda.cudadrv.error, where programs catch CudaSupportError."""
    return {"CudaSupportError": CudaSupportError}


def own_cudadrv_devices():
    """numba.cuda.cudadrv.devices: the GPUs (none) and the context."""
    return {"gpus": gpus, "get_context": _refuse}
