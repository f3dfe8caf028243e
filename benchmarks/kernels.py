"""The benchmark kernels, one source for every Python implementation.

run.py loads this file as a fresh module with the name ``jit`` bound to
``pyjit.njit``, ``numba.njit`` or nothing (plain CPython), so the compiled and
interpreted versions run exactly this code.  ``kernels.c`` holds the same
arithmetic in C.

The one exception is ``intloop_py``: the integer loop relies on int64
wrapping around, which Python's unbounded ints do not do, so plain CPython
runs an equivalent with explicit 64-bit masks (same results, bit for bit).
"""
import collections
import math

import numpy as np

try:
    jit  # noqa: B018 -- injected by run.py
except NameError:
    def jit(func):
        return func

try:
    # run.py injects these too: jit(parallel=True), the implementation's
    # prange and set_num_threads, and the number of threads it has.
    parallel_jit, prange, set_num_threads, NUM_THREADS  # noqa: B018
except NameError:
    parallel_jit = jit
    prange = range
    NUM_THREADS = 1

    def set_num_threads(n):
        pass


@jit
def add(a, b):
    return a + b


@jit
def intloop(n):
    # A multiply-add hash; int64 wraps around.  The shifted value is masked to
    # 35 bits, so arithmetic and logical shifts agree (C does it in uint64).
    acc = 1
    for i in range(n):
        acc = acc * 6364136223846793005 + i
        acc ^= (acc >> 29) & 0x7FFFFFFFF
    return acc


@jit
def floatloop(n):
    s = 0.0
    for i in range(n):
        s += math.sqrt(i) * math.sin(i)
    return s


@jit
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


@jit
def mandelbrot(x0, x1, y0, y1, width, height, maxiter):
    # Escape counts over a width x height grid with complex arithmetic done
    # on two floats; returns the total number of iterations.
    total = 0
    dx = (x1 - x0) / width
    dy = (y1 - y0) / height
    for j in range(height):
        ci = y0 + j * dy
        for i in range(width):
            cr = x0 + i * dx
            zr = 0.0
            zi = 0.0
            k = 0
            while k < maxiter and zr * zr + zi * zi <= 4.0:
                zr, zi = zr * zr - zi * zi + cr, 2.0 * zr * zi + ci
                k += 1
            total += k
    return total


@jit
def dot(a, b):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i] * b[i]
    return s


@jit
def stencil(a, out):
    # One Jacobi sweep of a 5-point stencil; returns the centre value.
    n, m = a.shape
    for i in range(1, n - 1):
        for j in range(1, m - 1):
            out[i, j] = 0.25 * (a[i - 1, j] + a[i + 1, j]
                                + a[i, j - 1] + a[i, j + 1])
    return out[n // 2, m // 2]


@jit
def arraysum(a):
    return a.sum()


@jit
def listsum(n):
    # A list grown by append, then summed: list memory and iteration.
    items = []
    for i in range(n):
        items.append(i * 0.5)
    s = 0.0
    for x in items:
        s += x
    return s


@jit
def arrayexpr(x, y):
    # Whole-array operations: each makes a temporary array.
    return np.sqrt(x * x + y * y).sum()


@parallel_jit
def parrayexpr(x, y):
    # The same expression in a parallel=True function: one loop on every
    # thread.
    return np.sqrt(x * x + y * y).sum()


@jit
def wordcount(s):
    # Words and characters of a text, one character at a time.
    words = 0
    chars = 0
    inword = False
    for c in s:
        chars += 1
        if c == " " or c == "\n":
            inword = False
        elif not inword:
            inword = True
            words += 1
    return words * 1000000 + chars


@jit
def histogram(a):
    # A dict of counts: hashing, probing and growing the table.
    d = {a[0]: 0}
    for x in a:
        d[x] = d.get(x, 0) + 1
    return len(d) * 1000003 + d[a[0]]


@jit
def dictbuild(n):
    # A dict of n ints grown from empty: its tables are allocated, filled
    # and freed as it grows.
    d = {}
    for i in range(n):
        d[i * 7] = i * 0.5
    return len(d)


@jit
def arraycomp(n):
    # np.array of a list comprehension over a range.
    return np.array([math.sqrt(i * 0.5) for i in range(n)]).sum()


@jit
def npufuncops(x, y):
    # NumPy's ufuncs spelled as calls: one fused loop, as the operators
    return np.sqrt(np.add(np.multiply(x, x), np.multiply(y, y))).sum()


@jit
def interplinear(x, t, y):
    # HARK's linear interpolation: a search, then gathers of the table
    # within one expression and its sum
    i = np.maximum(np.searchsorted(t[:-1], x), 1)
    alpha = (x - t[i - 1]) / (t[i] - t[i - 1])
    return ((1.0 - alpha) * y[i - 1] + alpha * y[i]).sum()


@jit
def zscore(a, b):
    # standardized by the array's own mean and std, then reduced
    return ((a - a.mean()) / a.std()).max()


@jit
def flatwindows(a, b):
    # the mean of each 3x3 window through .flat of the slice (not C)
    m = a.reshape(1000, a.shape[0] // 1000)
    rows, cols = m.shape
    t = 0.0
    for y in range(1, rows - 1):
        for x in range(1, cols - 1):
            t += np.nanmean(m[y - 1:y + 2, x - 1:x + 2])
    return t


DisjointSet = collections.namedtuple("DisjointSet", ["parent", "rank"])


@jit
def _ds_find(ds, x):
    while ds.parent[x] != x:
        x, ds.parent[x] = ds.parent[x], ds.parent[ds.parent[x]]
    return x


@jit
def unionfind(pairs):
    # fast_hdbscan's union-find: small helpers reading fields of a
    # namedtuple of arrays
    n = pairs.shape[0]
    ds = DisjointSet(np.arange(n), np.zeros(n, np.int64))
    roots = 0
    for k in range(n):
        a, b = _ds_find(ds, pairs[k, 0]), _ds_find(ds, pairs[k, 1])
        if a != b:
            if ds.rank[a] < ds.rank[b]:
                a, b = b, a
            ds.parent[b] = a
            if ds.rank[a] == ds.rank[b]:
                ds.rank[a] += 1
        else:
            roots += 1
    return roots


@jit
def cexpsum(a):
    # complex exp and division per element
    s = 0j
    for i in range(a.shape[0]):
        z = np.exp(1j * a[i])
        s += z / (z + 2.0)
    return s


@jit
def sqrtsum(a):
    # The serial loop the parallel one is measured against.
    s = 0.0
    for i in range(a.shape[0]):
        s += math.sqrt(a[i])
    return s


@parallel_jit
def psqrtsum(a):
    # The same loop over prange, on every thread (parallel=True).
    s = 0.0
    for i in prange(a.shape[0]):
        s += math.sqrt(a[i])
    return s


def psqrtsum_1(a):
    """psqrtsum on one thread: the parallel runtime's own cost."""
    set_num_threads(1)
    try:
        return psqrtsum(a)
    finally:
        set_num_threads(NUM_THREADS)


@jit
def integrand(x):
    return x * x * x - 0.5 * x


@jit
def integrate(f, a, b, n):
    # The midpoint rule over a function passed in: each function passed
    # specializes the loop, and the call is inlined.
    h = (b - a) / n
    s = 0.0
    for i in range(n):
        s += f(a + (i + 0.5) * h)
    return s * h


@jit
def cubic(x):
    return x * x * x - 2.0 * x - 5.0


@jit
def cubic_prime(x):
    return 3.0 * x * x - 2.0


@jit
def newton(f, fprime, x0):
    x = x0
    for _ in range(50):
        step = f(x) / fprime(x)
        x -= step
        if abs(step) < 1e-12:
            break
    return x


@jit
def newton_solve(f, fprime, n):
    # Newton's method from n starting points, the function and its
    # derivative passed in as jitted functions (each call inlined).
    s = 0.0
    for i in range(n):
        s += newton(f, fprime, 1.0 + (i % 100) * 0.01)
    return s


@jit
def newton_solve_inline(n):
    # newton_solve with cubic and cubic_prime written into the loop by hand
    s = 0.0
    for i in range(n):
        x = 1.0 + (i % 100) * 0.01
        for _ in range(50):
            step = (x * x * x - 2.0 * x - 5.0) / (3.0 * x * x - 2.0)
            x -= step
            if abs(step) < 1e-12:
                break
        s += x
    return s


@jit
def npsort(a):
    # pyjit/_np_sort.py's quicksort against NumPy's own sort
    return np.sort(a)[len(a) // 2]


@jit
def npmax(a):
    # a.max() of floats: NaN-propagating, vectorized (pyjit/_np_reduce.py)
    return a.max()


@jit
def nphistogram(a):
    # np.histogram into 20 equal bins (pyjit/_np_stats.py)
    return np.histogram(a, 20)[0][3]


@jit
def npmask(a):
    # boolean-mask selection: a comparison, then the elements it selects
    return a[a > 0.5].size


@jit
def ufuncs(x, y):
    # Element-wise functions of two arrays, each a temporary array.
    return np.maximum(np.hypot(x, y), 0.5).sum()


@jit
def randsum(n):
    # compiled code's own generator, one draw per iteration
    s = 0.0
    for _ in range(n):
        s += np.random.random()
    return s


@jit
def rngnormal(rng, out):
    # a numpy.random.Generator argument, one rng.normal() per element,
    # drawn from its PCG64 state (NumPy's ziggurat)
    for i in range(out.size):
        out[i] = rng.normal()
    return out[0]


def rngnormal_numpy(rng, out):
    # the CPython column: NumPy's own rng.normal(size=n)
    return rng.normal(size=out.size)[0]


@jit
def linsolve(a, b):
    # LAPACK's gesv through SciPy, on a copy of a in column-major order
    return np.linalg.solve(a, b)[0]


@jit
def matvec(a, x):
    # BLAS's gemv on a's rows, no copy
    return (a @ x)[0]


try:
    # run.py injects the implementation's jitclass and its types.
    jitclass, jc_float64  # noqa: B018
except NameError:
    jc_float64 = None

    def jitclass(spec):
        return lambda cls: cls


@jitclass([("pos", jc_float64[:] if jc_float64 else None),
           ("vel", jc_float64[:] if jc_float64 else None),
           ("steps", jc_float64)])
class Particles:
    """Harmonic oscillators stepped by a method; the energy a property."""

    def __init__(self, n):
        self.pos = np.zeros(n)
        self.vel = np.ones(n)
        self.steps = 0.0

    def step(self, dt):
        for i in range(self.pos.size):
            self.vel[i] -= self.pos[i] * dt
            self.pos[i] += self.vel[i] * dt
        self.steps += 1

    @property
    def energy(self):
        e = 0.0
        for i in range(self.pos.size):
            e += 0.5 * (self.vel[i] * self.vel[i] + self.pos[i] * self.pos[i])
        return e


@jit
def particles(n, steps):
    # a jitclass made, stepped and measured in compiled code
    p = Particles(n)
    for _ in range(steps):
        p.step(0.01)
    return p.energy + p.steps


_M64 = (1 << 64) - 1


def intloop_py(n):
    """intloop for plain CPython: the same arithmetic, wrapped by hand."""
    acc = 1
    for i in range(n):
        acc = (acc * 6364136223846793005 + i) & _M64
        acc ^= (acc >> 29) & 0x7FFFFFFFF
    return acc - (1 << 64) if acc >= (1 << 63) else acc


@jit
def wordfreq(text):
    # Word frequencies: a dict of str keys, d[w] = d.get(w, 0) + 1.
    d = {"": 0}
    for w in text.split():
        d[w] = d.get(w, 0) + 1
    return len(d) * 1000003 + d[text[:text.find(" ")]]


@jit
def reflected_sum(items):
    # A Python list argument: the call unboxes it (and checks on return
    # whether to write it back).
    s = 0
    for x in items:
        s += x
    return s


@jit
def modsum(n):
    # Python's % of a range item's square: the item is never negative.
    total = 0
    for i in range(n):
        total += (i * i) % 7
    return total


@jit
def shortest_paths(n):
    # Floyd-Warshall over n nodes, written d[i][j] as much Numba code
    # indexes a 2-d array it made: each d[i] is a row view.
    d = np.empty((n, n))
    for i in range(n):
        for j in range(n):
            d[i][j] = 0.0 if i == j else (i * 7 + j * 13) % 17 + 1.0
    for k in range(n):
        for i in range(n):
            for j in range(n):
                through = d[i][k] + d[k][j]
                if through < d[i][j]:
                    d[i][j] = through
    return d.sum()


@jit
def sieve(n):
    # Sieve of Eratosthenes over a bool array, then a counting loop.
    flags = np.ones(n + 1, dtype=np.bool_)
    flags[0] = False
    flags[1] = False
    i = 2
    while i * i <= n:
        if flags[i]:
            for j in range(i * i, n + 1, i):
                flags[j] = False
        i += 1
    count = 0
    for k in range(n + 1):
        if flags[k]:
            count += 1
    return count


try:
    vectorize  # noqa: B018 -- injected by run.py for pyjit and Numba
except NameError:
    vectorize = None


def _muladd(a, b, c):
    return a * b + c


_MULADD_SIG = ["float64(float64, float64, float64)"]
_muladd_ufuncs = {}


def _muladd_ufunc(target):
    """The @vectorize ufunc for target, built by the first call that needs
    it: a first call's time includes building it (compiling its loop), as
    the other rows' first calls include their compile."""
    if target not in _muladd_ufuncs:
        _muladd_ufuncs[target] = vectorize(_MULADD_SIG,
                                           target=target)(_muladd)
    return _muladd_ufuncs[target]


def _muladd_into(target, a, b, c, out):
    if vectorize is None:       # plain CPython: NumPy's two loops
        np.multiply(a, b, out=out)
        np.add(out, c, out=out)
    else:
        _muladd_ufunc(target)(a, b, c, out=out)
    return out[out.shape[0] // 2]


def vmuladd(a, b, c, out):
    return _muladd_into("cpu", a, b, c, out)


def pvmuladd(a, b, c, out):
    return _muladd_into("parallel", a, b, c, out)


# @stencil: a 5-point Jacobi sweep written as a stencil kernel, applied
# into a given output in a parallel=True function (the loop over the
# points runs on every thread) and in a serial one.  Plain CPython runs the
# same sweep as NumPy slices.
try:
    make_stencil  # noqa: B018 -- injected by run.py for pyjit and Numba
except NameError:
    def make_stencil(kernel):
        return kernel


@make_stencil
def _jacobi(a):
    return 0.25 * (a[-1, 0] + a[1, 0] + a[0, -1] + a[0, 1])


@parallel_jit
def pstencil(a, out):
    _jacobi(a, out=out)
    return out[a.shape[0] // 2, a.shape[1] // 2]


@jit
def pstencil_serial(a, out):
    _jacobi(a, out=out)
    return out[a.shape[0] // 2, a.shape[1] // 2]


def pstencil_np(a, out):
    out[1:-1, 1:-1] = 0.25 * (a[:-2, 1:-1] + a[2:, 1:-1] + a[1:-1, :-2]
                              + a[1:-1, 2:])
    return out[a.shape[0] // 2, a.shape[1] // 2]


# A histogram of values in [0, 1) into `bins` bins with per-thread partial
# counts: chunk t of the data is counted into row t of a (threads, bins)
# array over prange, then the rows are summed.  The serial row is the
# plain loop.  Both return sum(k * count[k]) so every implementation's
# counts are checked.
@parallel_jit
def phistogram(a, bins):
    threads = NUM_THREADS
    partial = np.zeros((threads, bins), np.int64)
    size = (a.shape[0] + threads - 1) // threads
    for t in prange(threads):
        row = partial[t]
        for x in a[t * size:(t + 1) * size]:
            row[int(x * bins)] += 1
    counts = partial.sum(axis=0)
    s = 0
    for k in range(bins):
        s += k * counts[k]
    return s


@jit
def phistogram_serial(a, bins):
    counts = np.zeros(bins, np.int64)
    for i in range(a.shape[0]):
        counts[int(a[i] * bins)] += 1
    s = 0
    for k in range(bins):
        s += k * counts[k]
    return s
