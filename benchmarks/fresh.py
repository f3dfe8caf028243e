"""One fresh-process measurement for run.py; prints `key value` lines.

    python fresh.py import pyjit|numba   time `import X` on top of numpy
    python fresh.py first pyjit|numba    time the first add(1, 2) (compile
                                         included), then add(1.0, 2.0)
    python fresh.py sort pyjit|numba float|str
                                         the process CPU time of the first
                                         l.sort() of a list of 1000 floats
                                         or strs (compile included)
    python fresh.py cached pyjit|numba DIR
                                         time the first call of a mandelbrot
                                         kernel with cache=True, its module
                                         kept in DIR (the first process
                                         compiles and stores it, the next
                                         ones load it)

Only sys and time are imported before the timed part, so nothing the
measured package needs is loaded ahead of it.
"""
import os
import sys
import time


def main():
    mode, impl = sys.argv[1], sys.argv[2]
    clock = time.perf_counter_ns
    if mode == "import":
        t0 = clock()
        import numpy  # noqa: F401
        t1 = clock()
        if impl == "pyjit":
            import pyjit  # noqa: F401
        else:
            import numba  # noqa: F401
        t2 = clock()
        print("numpy_ns", t1 - t0)
        print("import_ns", t2 - t1)
    elif mode == "first":
        if impl == "pyjit":
            from pyjit import njit
        else:
            from numba import njit

        @njit
        def add(a, b):
            return a + b

        t0 = clock()
        r1 = add(1, 2)
        t1 = clock()
        r2 = add(1.0, 2.0)
        t2 = clock()
        if r1 != 3 or r2 != 3.0:
            raise SystemExit(f"wrong results: {r1!r}, {r2!r}")
        print("first_ns", t1 - t0)
        print("second_sig_ns", t2 - t1)
    elif mode == "sort":
        if impl == "pyjit":
            from pyjit import njit
        else:
            from numba import njit

        @njit
        def sort(l):
            l.sort()
            return l

        items = [((i * 7919) % 1000) / 7.0 for i in range(1000)]
        if sys.argv[3] == "str":
            items = [str(x) for x in items]
        t0 = time.process_time_ns()
        r = sort(list(items))
        t1 = time.process_time_ns()
        if list(r) != sorted(items):
            raise SystemExit("wrong result")
        print("sort_first_cpu_ns", t1 - t0)
    elif mode == "cached":
        directory = sys.argv[3]
        path = os.path.join(directory, "cached_kernel.py")
        if not os.path.exists(path):
            with open(path, "w") as f:
                f.write(CACHED_KERNEL.format(impl=impl))
        sys.path.insert(0, directory)
        import cached_kernel
        t0 = clock()
        r = cached_kernel.mandelbrot(-2.0, 1.0, -1.5, 1.5, 40, 30, 50)
        t1 = clock()
        if r != 14789:
            raise SystemExit(f"wrong result: {r!r}")
        print("cached_first_ns", t1 - t0)
    else:
        raise SystemExit(f"unknown mode {mode!r}")


CACHED_KERNEL = """
from {impl} import njit


@njit(cache=True)
def mandelbrot(x0, x1, y0, y1, width, height, maxiter):
    total = 0
    for j in range(height):
        y = y0 + (y1 - y0) * j / height
        for i in range(width):
            x = x0 + (x1 - x0) * i / width
            zr = 0.0
            zi = 0.0
            n = 0
            while n < maxiter and zr * zr + zi * zi < 4.0:
                zr, zi = zr * zr - zi * zi + x, 2.0 * zr * zi + y
                n += 1
            total += n
    return total
"""


if __name__ == "__main__":
    main()
