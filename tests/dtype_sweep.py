"""Calls each NumPy function and array method of zero_d_sweep.py with 1-d
arrays (length 5) of every dtype, under pyjit, Numba and NumPy, and prints
what each does where they differ: ok (NumPy's value, dtype and shape),
wrong, the class of an exception raised, or CRASH.

    python tests/dtype_sweep.py [--json out.json] [--only name;...]
        [--load earlier.json --modes pyjit] [--all]

A case is a dtype (a and b both of it, b holding other values), a float
dtype with a NaN ("float64+nan"), or for the functions of two arrays a
pair of dtypes ("int64,float64"). Without --all only the functions with a
case pyjit gets differently from NumPy are printed, then the counts.
"""
import collections
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import zero_d_sweep as zd  # noqa: E402

# The 0-d calls, with the shapes and indices that a 1-d array needs.
CALLS = dict(zd.CALLS, **{
    "a.reshape": "a.reshape(5)", "np.reshape": "np.reshape(a, (5,))",
    "np.cross": "np.cross(a[:3], b[:3])",
    "np.broadcast_to": "np.broadcast_to(a, (2, 5))",
    "np.take_along_axis":
        "np.take_along_axis(a, np.array([4, 0, 2], np.int64), 0)",
    "np.take": "np.take(a, 3)", "a.take": "a.take(3)",
    "np.searchsorted": "np.searchsorted(np.sort(a), a[1])",
    "np.split": "np.split(a, 5)", "np.array_split": "np.array_split(a, 2)",
    "np.hsplit": "np.hsplit(a, 5)",
    "np.insert": "np.insert(a, 2, a[0])",
    "np.partition": "np.partition(a, 2)",
    "np.argpartition": "np.argpartition(a, 2)",
    "np.swapaxes": "np.swapaxes(a, 0, -1)",
    "np.moveaxis": "np.moveaxis(a, 0, -1)",
})

DTYPES = ("bool", "int8", "int64", "uint64", "float32", "float64",
          "complex128")
VALUES = {
    "bool": [True, False, True, True, False],
    "int8": [3, -2, 0, 5, -1],
    "int64": [3, -2, 0, 5, -1],
    "uint64": [3, 0, 7, 1, 2],
    "float32": [2.5, -1.5, 0.0, 4.0, -0.25],
    "float64": [2.5, -1.5, 0.0, 4.0, -0.25],
    "complex128": [1.5 - 2j, -1 + 0.5j, 0j, 3 + 0j, -2 - 1j],
}
NAN = [2.5, float("nan"), 0.0, -1.5, 4.0]
PAIRS = ("int64,float64", "bool,int64")


def cases(name):
    """The cases of one call: every dtype, the floats with a NaN, and the
    mixed pairs for a call of two arrays."""
    out = list(DTYPES) + ["float32+nan", "float64+nan"]
    if re.search(r"\bb\b", CALLS[name]):
        out += PAIRS
    return out


def array(dtype, nan=False, other=False):
    import numpy as np
    values = NAN if nan else VALUES[dtype]
    if other:  # b: the values in another order
        values = values[2:] + values[:2]
    return np.array(values, dtype)


def arguments(case):
    import numpy as np
    c = np.array([True, False, True, False, True])
    if "," in case:
        da, db = case.split(",")
        return array(da), array(db, other=True), c
    dtype, nan = case.split("+")[0], case.endswith("+nan")
    return array(dtype, nan), array(dtype, nan, other=True), c


def verdict(r, ref):
    """zero_d_sweep's verdict, taking any exception for NumPy's when NumPy
    raises too (Numba and pyjit raise a TypingError for a TypeError)."""
    if "exc" in r and "exc" in ref:
        return "raises"
    return zd.verdict(r, ref)


def main():
    args = sys.argv[1:]
    if args and args[0] == "--worker":
        zd.worker(args[1], [tuple(j) for j in json.loads(args[3])], args[2],
                  CALLS, arguments)
        return
    names = list(CALLS)
    if "--only" in args:
        names = args[args.index("--only") + 1].split(";")
    modes = ["numpy", "pyjit", "numba"]
    jobs = [(n, c) for n in names for c in cases(n)]
    res = zd.collect(jobs, modes, args, script=os.path.abspath(__file__),
                     tag="dtype")
    counts = {m: collections.Counter() for m in modes[1:]}
    table = {}
    for n in names:
        row = {m: {c: verdict(res[m][(n, c)], res["numpy"][(n, c)])
                   for c in cases(n)} for m in modes[1:]}
        for m in modes[1:]:
            counts[m].update(row[m].values())
        table[n] = row
        if "--all" in args or any(v != "ok" and v != "raises"
                                  for v in row["pyjit"].values()):
            print(n)
            for c in cases(n):
                ref = res["numpy"][(n, c)]
                numpy = "raises " + ref["exc"] if "exc" in ref else "ok"
                print(f"    {c:16s} pyjit: {row['pyjit'][c]:14s} "
                      f"numba: {row['numba'][c]:14s} numpy: {numpy}")
    for m in modes[1:]:
        print(f"{m}: " + ", ".join(f"{v} {k}" for k, v in
                                   counts[m].most_common()))
    if "--json" in args:
        with open(args[args.index("--json") + 1], "w") as fh:
            json.dump({"table": table,
                       "raw": {m: {f"{k[0]}|{k[1]}": v for k, v in r.items()}
                               for m, r in res.items()}}, fh, indent=1)


if __name__ == "__main__":
    main()
