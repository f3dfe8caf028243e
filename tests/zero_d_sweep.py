"""Calls each NumPy function and array method pyjit's library supports with
0-d arrays of a few dtypes, under pyjit, Numba and NumPy, and prints a
table of what each does: ok (NumPy's value, dtype and ndim), wrong (a
result that differs), the class of an exception raised, or CRASH (the
process died).

    python tests/zero_d_sweep.py [--json out.json] [--only name;...]
        [--load earlier.json --modes pyjit]

Each call runs in a worker process, restarted past a call that kills it.
"""
import json
import os
import subprocess
import sys
import warnings

# name -> expression over the 0-d arrays a and b (same dtype) and c, a
# 0-d boolean array.
CALLS = {
    # _numpy.py and methods compiled in C
    "np.sum": "np.sum(a)", "a.sum": "a.sum()",
    "np.mean": "np.mean(a)", "a.mean": "a.mean()",
    "np.copy": "np.copy(a)", "a.copy": "a.copy()",
    "np.empty_like": "np.empty_like(a).shape",
    "np.zeros_like": "np.zeros_like(a)", "np.ones_like": "np.ones_like(a)",
    "np.full_like": "np.full_like(a, 1)",
    "np.array": "np.array(a)", "np.asarray": "np.asarray(a)",
    "a.astype": "a.astype(np.float32)", "a.reshape": "a.reshape(1)",
    "a.ravel": "a.ravel()", "a.flatten": "a.flatten()",
    "a.transpose": "a.transpose()", "a.T": "a.T", "a.tobytes": "a.tobytes()",
    "a.view": "a.view(a.dtype)",
    "a.fill": "fill(a)", "a.item": "a.item()",
    "a.shape": "a.shape", "a.size": "a.size", "a.ndim": "a.ndim",
    "a.real": "a.real", "a.imag": "a.imag",
    # element-wise
    "np.sqrt": "np.sqrt(a)", "np.absolute": "np.absolute(a)",
    "np.isnan": "np.isnan(a)", "np.maximum": "np.maximum(a, b)",
    "np.signbit": "np.signbit(a)", "np.add": "np.add(a, b)",
    "np.negative": "np.negative(a)", "np.equal": "np.equal(a, b)",
    "np.logical_not": "np.logical_not(a)",
    "np.clip": "np.clip(a, 0, 1)", "a.clip": "a.clip(0, 1)",
    "np.round": "np.round(a)", "np.around": "np.around(a)",
    "a.round": "a.round()",
    "np.bitwise_and": "np.bitwise_and(c, c)", "np.divmod": "np.divmod(a, b)",
    "np.logaddexp": "np.logaddexp(a, b)", "np.reciprocal": "np.reciprocal(a)",
    "np.conjugate": "np.conjugate(a)", "np.invert": "np.invert(c)",
    "np.modf": "np.modf(a)", "np.frexp": "np.frexp(a)",
    "np.nan_to_num": "np.nan_to_num(a)", "np.fix": "np.fix(a)",
    "np.heaviside": "np.heaviside(a, b)", "np.sinc": "np.sinc(a)",
    "np.i0": "np.i0(a)", "np.angle": "np.angle(a)",
    "np.real": "np.real(a)", "np.imag": "np.imag(a)",
    "np.isneginf": "np.isneginf(a)", "np.isposinf": "np.isposinf(a)",
    "np.iscomplex": "np.iscomplex(a)", "np.isreal": "np.isreal(a)",
    "np.ndim": "np.ndim(a)", "np.shape": "np.shape(a)",
    "np.size": "np.size(a)",
    # reductions
    "np.prod": "np.prod(a)", "a.prod": "a.prod()",
    "np.max": "np.max(a)", "a.max": "a.max()", "np.amax": "np.amax(a)",
    "np.min": "np.min(a)", "a.min": "a.min()", "np.amin": "np.amin(a)",
    "np.argmax": "np.argmax(a)", "a.argmax": "a.argmax()",
    "np.argmin": "np.argmin(a)", "a.argmin": "a.argmin()",
    "np.var": "np.var(a)", "a.var": "a.var()",
    "np.std": "np.std(a)", "a.std": "a.std()",
    "np.any": "np.any(a)", "a.any": "a.any()",
    "np.all": "np.all(a)", "a.all": "a.all()",
    "np.count_nonzero": "np.count_nonzero(a)", "np.ptp": "np.ptp(a)",
    "np.cumsum": "np.cumsum(a)", "a.cumsum": "a.cumsum()",
    "np.cumprod": "np.cumprod(a)", "a.cumprod": "a.cumprod()",
    "np.diff": "np.diff(a)",
    "np.nansum": "np.nansum(a)", "np.nanprod": "np.nanprod(a)",
    "np.nanmax": "np.nanmax(a)", "np.nanmin": "np.nanmin(a)",
    "np.nanargmax": "np.nanargmax(a)", "np.nanargmin": "np.nanargmin(a)",
    "np.nanmean": "np.nanmean(a)", "np.nanvar": "np.nanvar(a)",
    "np.nanstd": "np.nanstd(a)", "np.nancumsum": "np.nancumsum(a)",
    "np.nancumprod": "np.nancumprod(a)",
    # statistics
    "np.median": "np.median(a)", "np.nanmedian": "np.nanmedian(a)",
    "np.quantile": "np.quantile(a, 0.5)",
    "np.percentile": "np.percentile(a, 50.0)",
    "np.nanquantile": "np.nanquantile(a, 0.5)",
    "np.nanpercentile": "np.nanpercentile(a, 50.0)",
    "np.average": "np.average(a)", "np.histogram": "np.histogram(a)",
    "np.bincount": "np.bincount(a)", "np.unique": "np.unique(a)",
    "np.digitize": "np.digitize(a, np.array([0.0, 1.0]))",
    "np.interp": "np.interp(a, np.array([0.0, 1.0]), np.array([1.0, 2.0]))",
    "np.cross": "np.cross(a, b)", "np.trapezoid": "np.trapezoid(a)",
    # sorting, finding
    "np.sort": "np.sort(a)", "a.sort": "sort_method(a)",
    "np.argsort": "np.argsort(a)", "a.argsort": "a.argsort()",
    "np.searchsorted": "np.searchsorted(a, 1)",
    "np.partition": "np.partition(a, 0)",
    "np.argpartition": "np.argpartition(a, 0)",
    "np.flatnonzero": "np.flatnonzero(a)", "np.argwhere": "np.argwhere(a)",
    "np.nonzero": "np.nonzero(a)", "a.nonzero": "a.nonzero()",
    "np.where(c)": "np.where(c)", "np.where(c,a,b)": "np.where(c, a, b)",
    "np.take": "np.take(a, 0)", "a.take": "a.take(0)",
    "np.extract": "np.extract(c, a)",
    # shapes
    "np.ravel": "np.ravel(a)", "np.reshape": "np.reshape(a, (1,))",
    "np.ascontiguousarray": "np.ascontiguousarray(a)",
    "np.asfortranarray": "np.asfortranarray(a)",
    "np.concatenate": "np.concatenate((a, b))",
    "np.hstack": "np.hstack((a, b))", "np.vstack": "np.vstack((a, b))",
    "np.stack": "np.stack((a, b))", "np.column_stack": "np.column_stack((a, b))",
    "np.dstack": "np.dstack((a, b))", "np.row_stack": "np.vstack((a, b))",
    "np.expand_dims": "np.expand_dims(a, 0)",
    "np.squeeze": "np.squeeze(a)", "a.squeeze": "a.squeeze()",
    "np.atleast_1d": "np.atleast_1d(a)", "np.atleast_2d": "np.atleast_2d(a)",
    "np.atleast_3d": "np.atleast_3d(a)",
    "np.repeat": "np.repeat(a, 2)", "a.repeat": "a.repeat(2)",
    "np.transpose": "np.transpose(a)", "np.swapaxes": "np.swapaxes(a, 0, 0)",
    "np.moveaxis": "np.moveaxis(a, 0, 0)",
    "np.append": "np.append(a, b)", "np.delete": "np.delete(a, 0)",
    "np.split": "np.split(a, 1)", "np.array_split": "np.array_split(a, 1)",
    "np.isin": "np.isin(a, b)", "np.isclose": "np.isclose(a, b)",
    "np.allclose": "np.allclose(a, b)",
    "np.array_equal": "np.array_equal(a, b)",
    "np.insert": "np.insert(a, 0, 1)",
    "np.flip": "np.flip(a)", "np.flipud": "np.flipud(a)",
    "np.fliplr": "np.fliplr(a)", "np.roll": "np.roll(a, 1)",
    "np.diag": "np.diag(a)", "np.tril": "np.tril(a)", "np.triu": "np.triu(a)",
    "np.diagflat": "np.diagflat(a)", "np.rot90": "np.rot90(a)",
    "np.resize": "np.resize(a, 3)", "np.trim_zeros": "np.trim_zeros(a)",
    "np.broadcast_to": "np.broadcast_to(a, (2,))",
    "np.hsplit": "np.hsplit(a, 1)", "np.vsplit": "np.vsplit(a, 1)",
    "np.dsplit": "np.dsplit(a, 1)", "np.tile": "np.tile(a, 2)",
    "np.ediff1d": "np.ediff1d(a)", "np.union1d": "np.union1d(a, b)",
    "np.intersect1d": "np.intersect1d(a, b)",
    "np.setxor1d": "np.setxor1d(a, b)", "np.setdiff1d": "np.setdiff1d(a, b)",
    "np.select": "np.select([c], [a])",
    "np.asarray_chkfinite": "np.asarray_chkfinite(a)",
    "np.vander": "np.vander(a)", "np.convolve": "np.convolve(a, b)",
    "np.correlate": "np.correlate(a, b)", "np.cov": "np.cov(a)",
    "np.corrcoef": "np.corrcoef(a)", "np.roots": "np.roots(a)",
    "np.unwrap": "np.unwrap(a)", "np.fill_diagonal": "np.fill_diagonal(a, 1)",
    "np.take_along_axis": "np.take_along_axis(a, np.zeros((), np.int64), 0)",
    "np.tril_indices_from": "np.tril_indices_from(a)",
    "np.meshgrid": "np.meshgrid(a, b)",
    # linear algebra
    "np.dot": "np.dot(a, b)", "a.dot": "a.dot(b)", "np.vdot": "np.vdot(a, b)",
    "np.outer": "np.outer(a, b)", "np.kron": "np.kron(a, b)",
    "np.trace": "np.trace(a)", "np.matmul": "np.matmul(a, b)",
    "np.linalg.norm": "np.linalg.norm(a)", "np.linalg.inv": "np.linalg.inv(a)",
    "np.linalg.det": "np.linalg.det(a)",
}

DTYPES = ("float64", "int64", "bool", "complex128")
VALUES = {"float64": 2.5, "int64": 3, "bool": True, "complex128": 1.5 - 2j}


def source(name, expr):
    fn = name.replace(".", "_").replace("(", "_").replace(")", "").replace(",", "_")
    return f"def {fn}(a, b, c):\n    return {expr}\n", fn


def prelude():
    import numpy as np

    def fill(a):
        a.fill(1)
        return a

    def sort_method(a):
        a.sort()
        return a
    return {"np": np, "fill": fill, "sort_method": sort_method}


def describe(x):
    """A JSON form of a result: its kind, dtype, ndim, values."""
    import numpy as np
    if isinstance(x, (tuple, list)):
        return {"seq": type(x).__name__, "items": [describe(v) for v in x]}
    if isinstance(x, np.ndarray):
        return {"array": str(x.dtype), "ndim": x.ndim, "shape": list(x.shape),
                "values": repr(x.tolist())}
    if isinstance(x, np.generic):
        return {"scalar": str(x.dtype), "values": repr(x.item())}
    return {"py": type(x).__name__, "values": repr(x)}


def values_match(got, want):
    """Two values' reprs name the same numbers, to a last-bits rounding
    (a sum taken in another order)."""
    if got == want:
        return True
    import numpy as np
    names = {"nan": np.nan, "inf": np.inf, "True": True, "False": False}
    try:
        g = np.array(eval(got, {"__builtins__": {}}, names))
        w = np.array(eval(want, {"__builtins__": {}}, names))
        return g.shape == w.shape and g.dtype.kind in "fc" and \
            bool(np.allclose(g, w, rtol=1e-12, atol=0, equal_nan=True))
    except Exception:
        return False


def same(got, want):
    """got matches want: NumPy's value, dtype and ndim; a NumPy scalar
    and a Python number of its kind count as one (pyjit and Numba return
    numbers as Python objects), as does a list and a tuple of arrays."""
    if "seq" in want:
        return "seq" in got and len(got["items"]) == len(want["items"]) and \
            all(same(g, w) for g, w in zip(got["items"], want["items"]))
    if "array" in want:
        return got.get("array") == want["array"] and \
            got["shape"] == want["shape"] and \
            values_match(got["values"], want["values"])
    if "scalar" in want:
        import numpy as np
        kind = {"f": "float", "i": "int", "u": "int", "b": "bool",
                "c": "complex"}[np.dtype(want["scalar"]).kind]
        if "py" in got:
            return got["py"] == kind and values_match(got["values"], want["values"])
        return got.get("scalar") == want["scalar"] and \
            values_match(got["values"], want["values"])
    return got == want


def functions(glb, calls=CALLS):
    """The calls as the functions of a module written to a file (pyjit
    compiles from source, which it reads from the function's file)."""
    import importlib.util
    import tempfile
    text = "".join(source(n, e)[0] + "\n" for n, e in calls.items())
    fd, path = tempfile.mkstemp(suffix=".py", prefix="zero_d_calls_")
    with os.fdopen(fd, "w") as fh:
        fh.write(text)
    spec = importlib.util.spec_from_file_location("zero_d_calls", path)
    mod = importlib.util.module_from_spec(spec)
    vars(mod).update(glb)
    spec.loader.exec_module(mod)
    return mod, path


def zero_d_arguments(dtype):
    """The arguments a, b, c for one case: here a dtype."""
    import numpy as np
    return (np.array(VALUES[dtype], dtype), np.array(VALUES[dtype], dtype),
            np.array(True))


def run_one(mode, name, case, mod, calls=CALLS, arguments=zero_d_arguments):
    f = getattr(mod, source(name, calls[name])[1])
    if mode == "pyjit":
        import pyjit
        f = pyjit.njit(f)
    elif mode == "numba":
        import numba
        f = numba.njit(f)
    a, b, c = arguments(case)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return {"result": describe(f(a, b, c))}
    except Exception as e:
        kind = type(e).__name__
        if kind.endswith("TypingError") or kind == "UnsupportedError" or \
                kind == "NumbaNotImplementedError":
            kind = "TypingError"
        lines = [ln for ln in str(e).splitlines() if ln.strip()]
        # a typing error's first line names the pipeline step; its reason
        # follows
        return {"exc": kind, "msg": " | ".join(lines[:3])[:400]}


def worker(mode, todo, out, calls=CALLS, arguments=zero_d_arguments):
    glb = prelude()
    if mode == "pyjit":
        import pyjit
        glb["fill"] = pyjit.njit(glb["fill"])
        glb["sort_method"] = pyjit.njit(glb["sort_method"])
    elif mode == "numba":
        import numba
        glb["fill"] = numba.njit(glb["fill"])
        glb["sort_method"] = numba.njit(glb["sort_method"])
    mod, path = functions(glb, calls)
    try:
        with open(out, "a") as fh:
            for name, dtype in todo:
                fh.write(json.dumps([name, dtype, "START"]) + "\n")
                fh.flush()
                r = run_one(mode, name, dtype, mod, calls, arguments)
                fh.write(json.dumps([name, dtype, r]) + "\n")
                fh.flush()
    finally:
        os.unlink(path)


def run_mode(mode, jobs, tmp, script=__file__):
    results = {}
    todo = list(jobs)
    while todo:
        if os.path.exists(tmp):
            os.unlink(tmp)
        subprocess.run([sys.executable, script, "--worker", mode, tmp,
                        json.dumps(todo)], stderr=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL)
        started = None
        with open(tmp) as fh:
            for line in fh:
                name, dtype, r = json.loads(line)
                if r == "START":
                    started = (name, dtype)
                else:
                    results[(name, dtype)] = r
                    started = None
        if started is not None:
            results[started] = {"exc": "CRASH", "msg": ""}
        todo = [j for j in todo if j not in results]
    return results


def verdict(r, ref):
    if "exc" in r:
        if "exc" in ref and r["exc"] == ref["exc"]:
            return "raises"
        return r["exc"]
    if "exc" in ref:
        return "no " + ref["exc"]
    return "ok" if same(r["result"], ref["result"]) else "wrong"


def summarize(vs):
    """One cell for a function over the dtypes."""
    if len(set(vs.values())) == 1:
        return next(iter(vs.values()))
    return " ".join(f"{d[:2] if d != 'bool' else 'b'}:{v}" for d, v in vs.items())


def collect(jobs, modes, args, script=__file__, tag="zero_d"):
    """mode -> (name, case) -> outcome, running the modes side by side
    (each in its own worker processes); with --load, the modes not named
    by --modes come from an earlier --json run."""
    from concurrent.futures import ThreadPoolExecutor
    res = {}
    if "--load" in args:
        with open(args[args.index("--load") + 1]) as fh:
            raw = json.load(fh)["raw"]
        res = {m: {tuple(k.split("|")): v for k, v in r.items()}
               for m, r in raw.items()}
    if "--modes" in args:
        fresh = args[args.index("--modes") + 1].split(",")
    else:
        fresh = modes
    with ThreadPoolExecutor(len(fresh)) as pool:
        runs = {m: pool.submit(run_mode, m, jobs,
                               f"/tmp/{tag}_sweep_{os.getpid()}_{m}.jsonl",
                               script) for m in fresh}
    res.update({m: r.result() for m, r in runs.items()})
    return res


def main():
    args = sys.argv[1:]
    if args and args[0] == "--worker":
        worker(args[1], [tuple(j) for j in json.loads(args[3])], args[2])
        return
    names = list(CALLS)
    if "--only" in args:
        names = args[args.index("--only") + 1].split(";")
    modes = ["numpy", "pyjit", "numba"]
    if "--no-numba" in args:
        modes.remove("numba")
    jobs = [(n, d) for n in names for d in DTYPES]
    res = collect(jobs, modes, args)
    table = {}
    for n in names:
        row = {}
        for m in modes[1:]:
            row[m] = summarize({d: verdict(res[m][(n, d)], res["numpy"][(n, d)])
                                for d in DTYPES})
        row["numpy"] = summarize({d: ("raises " + res["numpy"][(n, d)]["exc"])
                                  if "exc" in res["numpy"][(n, d)] else "ok"
                                  for d in DTYPES})
        table[n] = row
        print(f"{n:24s} | " + " | ".join(f"{m}: {row[m]}" for m in modes[1:] + ["numpy"]))
    if "--json" in args:
        with open(args[args.index("--json") + 1], "w") as fh:
            json.dump({"table": table,
                       "raw": {m: {f"{k[0]}|{k[1]}": v for k, v in r.items()}
                               for m, r in res.items()}}, fh, indent=1)


if __name__ == "__main__":
    main()
