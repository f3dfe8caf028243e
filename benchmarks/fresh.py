"""One fresh-process measurement for run.py; prints `key value` lines.

    python fresh.py import pyjit|numba   time `import X` on top of numpy
    python fresh.py first pyjit|numba    time the first add(1, 2) (compile
                                         included), then add(1.0, 2.0)

Only sys and time are imported before the timed part, so nothing the
measured package needs is loaded ahead of it.
"""
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
    else:
        raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    main()
