"""numpy.random.Generator's methods in compiled code, as Numba has them.

A Generator (passed in, or made by np.random.default_rng(seed) in compiled
code) draws from its BitGenerator's own state through the BitGenerator's C
functions (csrc/np_generator.c's intrinsics), and every draw below is
NumPy's algorithm for the Generator, step for step: the ziggurat for
normal and exponential numbers, Lemire's bounded integers (the 8- and
16-bit ones buffered in a 32-bit word for the length of one call, as NumPy
buffers them), Marsaglia and Tsang's gamma, Johnk's beta, PTRS Poisson,
the inversion and BTPE binomial, Fisher-Yates shuffles from the end,
Floyd's sampling or a tail shuffle for choice without replacement, zipf's
and vonmises' rejections, Kemp's logseries, negative_binomial as a Poisson
of a gamma, the noncentral chi-square as a chi-square and a normal (or a
Poisson mixture of chi-squares for df <= 1).  So the same seed and the
same calls give NumPy's numbers bit for bit, and a Generator passed in
continues, back in Python, exactly where compiled code stopped.

Each method first takes the address of the Generator's bitgen_t
(_npgen_bitgen) and hands that number to the helpers below rather than the
Generator itself: a number passed on costs nothing, where a Generator
would be kept and released by each helper it passes through, once per
draw in a loop of draws.

A dtype= argument arrives as a zero of the type it names (a number class
passed to the library, csrc/typeinfer.c); the arrays and numbers of that
type are made from it.
"""
import math

import numpy as np

from . import _core
from ._core import (_holds_complex, _holds_integers, _npgen_bitgen,
                    _npgen_next_double, _npgen_next_uint32,
                    _npgen_next_uint64)
from ._np_generator_tables import (
    FE_DOUBLE, FE_FLOAT, FI_DOUBLE, FI_FLOAT, KE_DOUBLE, KE_FLOAT, KI_DOUBLE,
    KI_FLOAT, WE_DOUBLE, WE_FLOAT, WI_DOUBLE, WI_FLOAT, ZIGGURAT_EXP_R,
    ZIGGURAT_EXP_R_F, ZIGGURAT_NOR_INV_R, ZIGGURAT_NOR_INV_R_F,
    ZIGGURAT_NOR_R, ZIGGURAT_NOR_R_F)

_U32_MAX = np.uint64(0xFFFFFFFF)
_U64_MAX = np.uint64(0xFFFFFFFFFFFFFFFF)
# The largest lam NumPy's poisson takes: int64's max less ten of its
# square roots.
_POISSON_LAM_MAX = 9.223372006484771e18
# Read by the distributions NumPy's RandomState draws a little
# differently: pyjit/_np_random_dists2.py binds them to its own names,
# where this is True and the draws are RandomState's.
_LEGACY = False
# The same for the binomial: RandomState.binomial's is True, and
# RandomState.multinomial's False (NumPy 2.4 draws the Generator's
# binomials for it).
_LEGACY_BINOMIAL = False


# --- the bit generator's draws ---

def _next_float(g):
    """A float32 in [0, 1) from the top 24 bits of a 32-bit word."""
    return (np.float32(_npgen_next_uint32(g) >> np.uint32(8))
            * np.float32(1.0 / 16777216.0))


def _float_out(size, dtype):
    """The array a float draw of shape size (None: one number) fills, of
    the type dtype names (None: float64); TypeError for a dtype that is
    not float32 or float64."""
    z = np.float64(0.0) if dtype is None else dtype
    out = np.full(1 if size is None else size, z)
    if _holds_integers(out) or _holds_complex(out):
        raise TypeError("Unsupported dtype for this Generator method: "
                        "only float32 and float64 are supported")
    return out


# --- the distributions (NumPy's distributions.c) ---

def _standard_normal(g):
    while True:
        r = _npgen_next_uint64(g)
        idx = np.intp(r & np.uint64(0xFF))
        r = r >> np.uint64(8)
        sign = r & np.uint64(1)
        rabs = (r >> np.uint64(1)) & np.uint64(0x000FFFFFFFFFFFFF)
        x = np.float64(rabs) * WI_DOUBLE[idx]
        if sign != 0:
            x = -x
        if rabs < KI_DOUBLE[idx]:
            return x
        if idx == 0:
            while True:
                xx = -ZIGGURAT_NOR_INV_R * math.log1p(-_npgen_next_double(g))
                yy = -math.log1p(-_npgen_next_double(g))
                if yy + yy > xx * xx:
                    if ((rabs >> np.uint64(8)) & np.uint64(1)) != 0:
                        return -(ZIGGURAT_NOR_R + xx)
                    return ZIGGURAT_NOR_R + xx
        elif ((FI_DOUBLE[idx - 1] - FI_DOUBLE[idx]) * _npgen_next_double(g)
              + FI_DOUBLE[idx]) < math.exp(-0.5 * x * x):
            return x


def _standard_normal_f(g):
    while True:
        r = _npgen_next_uint32(g)
        idx = np.intp(r & np.uint32(0xFF))
        sign = (r >> np.uint32(8)) & np.uint32(1)
        rabs = (r >> np.uint32(9)) & np.uint32(0x0007FFFFF)
        x = np.float32(rabs) * WI_FLOAT[idx]
        if sign != 0:
            x = -x
        if rabs < KI_FLOAT[idx]:
            return x
        if idx == 0:
            while True:
                xx = -ZIGGURAT_NOR_INV_R_F * math.log1p(-_next_float(g))
                yy = -math.log1p(-_next_float(g))
                if yy + yy > xx * xx:
                    if ((rabs >> np.uint32(8)) & np.uint32(1)) != 0:
                        return -(ZIGGURAT_NOR_R_F + xx)
                    return ZIGGURAT_NOR_R_F + xx
        elif ((FI_FLOAT[idx - 1] - FI_FLOAT[idx]) * _next_float(g)
              + FI_FLOAT[idx]) < math.exp(-0.5 * np.float64(x) * x):
            return x


def _standard_exponential(g):
    while True:
        ri = _npgen_next_uint64(g) >> np.uint64(3)
        idx = np.intp(ri & np.uint64(0xFF))
        ri = ri >> np.uint64(8)
        x = np.float64(ri) * WE_DOUBLE[idx]
        if ri < KE_DOUBLE[idx]:
            return x
        if idx == 0:
            return ZIGGURAT_EXP_R - math.log1p(-_npgen_next_double(g))
        if ((FE_DOUBLE[idx - 1] - FE_DOUBLE[idx]) * _npgen_next_double(g)
                + FE_DOUBLE[idx]) < math.exp(-x):
            return x


def _standard_exponential_f(g):
    while True:
        ri = _npgen_next_uint32(g) >> np.uint32(1)
        idx = np.intp(ri & np.uint32(0xFF))
        ri = ri >> np.uint32(8)
        x = np.float32(ri) * WE_FLOAT[idx]
        if ri < KE_FLOAT[idx]:
            return x
        if idx == 0:
            return ZIGGURAT_EXP_R_F - math.log1p(-_next_float(g))
        if ((FE_FLOAT[idx - 1] - FE_FLOAT[idx]) * _next_float(g)
                + FE_FLOAT[idx]) < math.exp(-np.float64(x)):
            return x


def _standard_gamma(g, shape):
    if shape == 1.0:
        return _standard_exponential(g)
    if shape == 0.0:
        return 0.0
    if shape < 1.0:
        while True:
            u = _npgen_next_double(g)
            v = _standard_exponential(g)
            if u <= 1.0 - shape:
                x = math.pow(u, 1.0 / shape)
                if x <= v:
                    return x
            else:
                y = -math.log((1 - u) / shape)
                x = math.pow(1.0 - shape + shape * y, 1.0 / shape)
                if x <= v + y:
                    return x
    b = shape - 1.0 / 3.0
    c = 1.0 / math.sqrt(9 * b)
    while True:
        x = _standard_normal(g)
        v = 1.0 + c * x
        while v <= 0.0:
            x = _standard_normal(g)
            v = 1.0 + c * x
        v = v * v * v
        u = _npgen_next_double(g)
        if u < 1.0 - 0.0331 * (x * x) * (x * x):
            return b * v
        if math.log(u) < 0.5 * x * x + b * (1.0 - v + math.log(v)):
            return b * v


def _standard_gamma_f(g, shape64):
    shape = np.float32(shape64)
    one = np.float32(1.0)
    if shape == one:
        return _standard_exponential_f(g)
    if shape == np.float32(0.0):
        return np.float32(0.0)
    if shape < one:
        while True:
            u = _next_float(g)
            v = _standard_exponential_f(g)
            if u <= one - shape:
                x = math.pow(u, one / shape)
                if x <= v:
                    return x
            else:
                y = -math.log((one - u) / shape)
                x = math.pow(one - shape + shape * y, one / shape)
                if x <= v + y:
                    return x
    b = shape - one / np.float32(3.0)
    c = one / math.sqrt(np.float32(9.0) * b)
    while True:
        x = _standard_normal_f(g)
        v = one + c * x
        while v <= np.float32(0.0):
            x = _standard_normal_f(g)
            v = one + c * x
        v = v * v * v
        u = _next_float(g)
        if u < one - np.float32(0.0331) * (x * x) * (x * x):
            return b * v
        if (math.log(u) < np.float32(0.5) * x * x
                + b * (one - v + math.log(v))):
            return b * v


def _beta(g, a, b):
    if a <= 1.0 and b <= 1.0:
        while True:
            u = _npgen_next_double(g)
            v = _npgen_next_double(g)
            x = math.pow(u, 1.0 / a)
            y = math.pow(v, 1.0 / b)
            xpy = x + y
            # both u and v 0.0 (about 1 in 10**106) is rejected
            if xpy <= 1.0 and u + v > 0.0:
                if xpy > 0:
                    return x / xpy
                logx = math.log(u) / a
                logy = math.log(v) / b
                logm = logx if logx > logy else logy
                logx -= logm
                logy -= logm
                return math.exp(logx - math.log(math.exp(logx)
                                                + math.exp(logy)))
    ga = _standard_gamma(g, a)
    gb = _standard_gamma(g, b)
    return ga / (ga + gb)


def _loggam(x):
    """log(gamma(x)) as NumPy's random_loggam computes it."""
    if x == 1.0 or x == 2.0:
        return 0.0
    n = 0
    if x < 7.0:
        n = int(7 - x)
    x0 = x + n
    x2 = (1.0 / x0) * (1.0 / x0)
    gl0 = _LOGGAM_A[9]
    for k in range(8, -1, -1):
        gl0 *= x2
        gl0 += _LOGGAM_A[k]
    gl = gl0 / x0 + 0.5 * 1.8378770664093453 + (x0 - 0.5) * math.log(x0) - x0
    if x < 7.0:
        for k in range(n):
            gl -= math.log(x0 - 1.0)
            x0 -= 1.0
    return gl


_LOGGAM_A = np.array([
    8.333333333333333e-02, -2.777777777777778e-03, 7.936507936507937e-04,
    -5.952380952380952e-04, 8.417508417508418e-04, -1.917526917526918e-03,
    6.410256410256410e-03, -2.955065359477124e-02, 1.796443723688307e-01,
    -1.39243221690590e+00])


def _poisson_mult(g, lam):
    enlam = math.exp(-lam)
    x = 0
    prod = 1.0
    while True:
        prod *= _npgen_next_double(g)
        if prod > enlam:
            x += 1
        else:
            return x


def _c_int64(x):
    """The integral float x as C's (int64_t)x is on x86-64: int64's least
    for nan and for what int64 cannot hold (RandomState's
    negative_binomial with p = 0 draws a Poisson of infinite lam, and NumPy
    gives that number)."""
    if -9.223372036854776e18 <= x < 9.223372036854776e18:
        return np.int64(x)
    return np.int64(-9223372036854775807 - 1)


def _poisson_ptrs(g, lam):
    slam = math.sqrt(lam)
    loglam = math.log(lam)
    b = 0.931 + 2.53 * slam
    a = -0.059 + 0.02483 * b
    invalpha = 1.1239 + 1.1328 / (b - 3.4)
    vr = 0.9277 - 3.6224 / (b - 2)
    while True:
        u = _npgen_next_double(g) - 0.5
        v = _npgen_next_double(g)
        us = 0.5 - abs(u)
        k = _c_int64(np.floor((2 * a / us + b) * u + lam + 0.43))
        if us >= 0.07 and v <= vr:
            return k
        if k < 0 or (us < 0.013 and v > us):
            continue
        # log(v) of v == 0.0 is fine: u was 0.0 then, and us is 0.5
        if (math.log(v) + math.log(invalpha) - math.log(a / (us * us) + b)
                <= -lam + k * loglam - _loggam(k + 1)):
            return k


def _poisson(g, lam):
    if lam >= 10:
        return _poisson_ptrs(g, lam)
    if lam == 0:
        return np.int64(0)
    return np.int64(_poisson_mult(g, lam))


def _binomial_inversion(g, n, p):
    q = 1.0 - p
    if _LEGACY_BINOMIAL:
        qn = math.exp(n * math.log(q))
    else:
        qn = math.exp(n * math.log1p(-p))
    mean = n * p
    bound = min(n, np.int64(mean + 10.0 * math.sqrt(mean * q + 1)))
    x = 0
    px = qn
    u = _npgen_next_double(g)
    while u > px:
        x += 1
        if x > bound:
            x = 0
            px = qn
            u = _npgen_next_double(g)
        else:
            u -= px
            px = ((n - x + 1) * p * px) / (x * q)
    return np.int64(x)


def _binomial_btpe(g, n, p):
    """Kachitvichyanukul and Schmeiser's BTPE for p <= 0.5, as NumPy has
    it (its steps 10 to 60: the triangle, the parallelograms, the tails,
    then the explicit or the squeezed test)."""
    r = p
    q = 1.0 - r
    fm = n * r + r
    m = np.int64(math.floor(fm))
    p1 = math.floor(2.195 * math.sqrt(n * r * q) - 4.6 * q) + 0.5
    xm = m + 0.5
    xl = xm - p1
    xr = xm + p1
    c = 0.134 + 20.5 / (15.3 + m)
    a = (fm - xl) / (fm - xl * r)
    laml = a * (1.0 + a / 2.0)
    a = (xr - fm) / (xr * q)
    lamr = a * (1.0 + a / 2.0)
    p2 = p1 * (1.0 + 2.0 * c)
    p3 = p2 + c / laml
    p4 = p3 + c / lamr
    nrq = n * r * q
    while True:
        u = _npgen_next_double(g) * p4
        v = _npgen_next_double(g)
        if u <= p1:
            return np.int64(math.floor(xm - p1 * v + u))
        if u <= p2:
            x = xl + (u - p1) / c
            v = v * c + 1.0 - abs(m - x + 0.5) / p1
            if v > 1.0:
                continue
            y = np.int64(math.floor(x))
        elif u <= p3:
            y = np.int64(math.floor(xl + math.log(v) / laml))
            if y < 0 or v == 0.0:
                continue
            v = v * (u - p2) * laml
        else:
            y = np.int64(math.floor(xr - math.log(v) / lamr))
            if y > n or v == 0.0:
                continue
            v = v * (u - p3) * lamr
        k = abs(y - m)
        if k <= 20 or k >= nrq / 2.0 - 1:
            s = r / q
            a = s * (n + 1)
            f = 1.0
            if m < y:
                for i in range(m + 1, y + 1):
                    f = f * (a / i - s)
            elif m > y:
                for i in range(y + 1, m + 1):
                    f = f / (a / i - s)
            if v <= f:
                return y
            continue
        rho = (k / nrq) * ((k * (k / 3.0 + 0.625) + 0.16666666666666666)
                           / nrq + 0.5)
        t = -k * k / (2 * nrq)
        big_a = math.log(v)
        if big_a < t - rho:
            return y
        if big_a > t + rho:
            continue
        if not _btpe_squeeze_rejects(big_a, xm, m, n, y, r, q):
            return y


def _stirling(v):
    """The Stirling series term of BTPE's squeeze at v, as NumPy 2.4
    computes it (13680 and all four terms added: NumPy's own)."""
    v2 = v * v
    return (13680. - (462. - (132. - (99. - 140. / v2) / v2) / v2)
            / v2) / v / 166320.


def _btpe_squeeze_rejects(big_a, xm, m, n, y, r, q):
    x1 = y + 1.0
    f1 = m + 1.0
    z = n + 1.0 - m
    w = n - y + 1.0
    return big_a > (xm * math.log(f1 / x1) + (n - m + 0.5) * math.log(z / w)
                    + (y - m) * math.log(w * r / (x1 * q)) + _stirling(f1)
                    + _stirling(z) + _stirling(x1) + _stirling(w))


def _binomial(g, n, p):
    # (RandomState's inversion draws once for these too)
    if (n == 0 or p == 0.0) and not _LEGACY_BINOMIAL:
        return np.int64(0)
    if p <= 0.5:
        if p * n <= 30.0:
            return _binomial_inversion(g, n, p)
        return _binomial_btpe(g, n, p)
    q = 1.0 - p
    if q * n <= 30.0:
        return n - _binomial_inversion(g, n, q)
    return n - _binomial_btpe(g, n, q)


# --- bounded integers (Lemire's method, and NumPy's masked interval) ---

def _gen_mask(v):
    """The smallest mask of low bits covering v (a uint64)."""
    mask = v
    mask |= mask >> np.uint64(1)
    mask |= mask >> np.uint64(2)
    mask |= mask >> np.uint64(4)
    mask |= mask >> np.uint64(8)
    mask |= mask >> np.uint64(16)
    mask |= mask >> np.uint64(32)
    return mask


def _interval(g, bound):
    """A draw in [0, mx] by masked rejection: NumPy's random_interval,
    which its shuffles use."""
    mx = np.uint64(bound)
    if mx == 0:
        return np.uint64(0)
    mask = _gen_mask(mx)
    if mx <= _U32_MAX:
        value = np.uint64(_npgen_next_uint32(g)) & mask
        while value > mx:
            value = np.uint64(_npgen_next_uint32(g)) & mask
        return value
    value = _npgen_next_uint64(g) & mask
    while value > mx:
        value = _npgen_next_uint64(g) & mask
    return value


def _lemire32(g, rng):
    """A draw in [0, rng] for rng < 2**32 - 1 (a uint64)."""
    rng_excl = rng + np.uint64(1)
    m = np.uint64(_npgen_next_uint32(g)) * rng_excl
    leftover = m & _U32_MAX
    if leftover < rng_excl:
        threshold = (_U32_MAX - rng) % rng_excl
        while leftover < threshold:
            m = np.uint64(_npgen_next_uint32(g)) * rng_excl
            leftover = m & _U32_MAX
    return m >> np.uint64(32)


def _lemire64(g, rng):
    """A draw in [0, rng] for 2**32 - 1 < rng < 2**64 - 1 (a uint64): the
    high word of the 128-bit product, in 32-bit halves."""
    rng_excl = rng + np.uint64(1)
    x = _npgen_next_uint64(g)
    leftover = x * rng_excl
    if leftover < rng_excl:
        threshold = (_U64_MAX - rng) % rng_excl
        while leftover < threshold:
            x = _npgen_next_uint64(g)
            leftover = x * rng_excl
    x0 = x & _U32_MAX
    x1 = x >> np.uint64(32)
    r0 = rng_excl & _U32_MAX
    r1 = rng_excl >> np.uint64(32)
    w0 = x0 * r0
    t = x1 * r0 + (w0 >> np.uint64(32))
    w1 = (t & _U32_MAX) + x0 * r1
    return x1 * r1 + (t >> np.uint64(32)) + (w1 >> np.uint64(32))


def _bounded64(g, rng):
    """A draw in [0, rng] (a uint64), as NumPy draws for int64 and int32
    (and for choice and its shuffles)."""
    if rng == 0:
        return np.uint64(0)
    if rng < _U32_MAX:
        return _lemire32(g, rng)
    if rng == _U32_MAX:
        return np.uint64(_npgen_next_uint32(g))
    if rng == _U64_MAX:
        return _npgen_next_uint64(g)
    return _lemire64(g, rng)


def _fill_small(g, flat, off, rng, bits):
    """flat[i] = off + a draw in [0, rng] of `bits` (8 or 16) bits each,
    several from one 32-bit word: NumPy's buffered Lemire draws."""
    top = np.uint32((1 << bits) - 1)
    per = 32 // bits
    buf = np.uint32(0)
    bcnt = 0
    r = np.uint32(rng)
    rng_excl = r + np.uint32(1)
    threshold = (top - r) % rng_excl if r != top else np.uint32(0)
    for i in range(flat.size):
        if r == 0:
            flat[i] = off
            continue
        while True:
            if bcnt == 0:
                buf = _npgen_next_uint32(g)
                bcnt = per - 1
            else:
                buf = buf >> np.uint32(bits)
                bcnt -= 1
            n = buf & top
            if r == top:
                v = n
                break
            m = n * rng_excl
            if (m & top) >= threshold:
                v = m >> np.uint32(bits)
                break
        flat[i] = off + v


def _fill_bool(g, flat, off, rng):
    buf = np.uint32(0)
    bcnt = 0
    for i in range(flat.size):
        if rng == 0:
            flat[i] = off
            continue
        if bcnt == 0:
            buf = _npgen_next_uint32(g)
            bcnt = 31
        else:
            buf = buf >> np.uint32(1)
            bcnt -= 1
        flat[i] = (buf & np.uint32(1)) != 0


def _integer_kind(out):
    """(bits, signed) of the integer array out's type; 1 bit: bool."""
    probe = np.empty(1, out.dtype)
    probe[0] = 2
    if probe[0] == 1:
        return 1, False
    probe[0] = -1
    return out.itemsize * 8, probe[0] < 0


def _int_name(bits, signed):
    """NumPy's name of the integer type of `bits` bits."""
    if bits == 8:
        name = "int8"
    elif bits == 16:
        name = "int16"
    elif bits == 32:
        name = "int32"
    else:
        name = "int64"
    return name if signed else "u" + name


def _check_int_bounds(low, high, endpoint, bits, signed):
    """NumPy's checks of integers(low, high) for a type of `bits` bits."""
    if bits == 1:
        name, lo, hi = "bool", 0, 1
    elif signed:
        name = _int_name(bits, True)
        lo = -(1 << (bits - 1))
        hi = (1 << (bits - 1)) - 1
    else:
        name = _int_name(bits, False)
        lo = 0
        hi = (1 << bits) - 1 if bits < 64 else (1 << 63) - 1
    if low < lo:
        raise ValueError("low is out of bounds for " + name)
    if bits < 64 and high > hi and (endpoint or high - 1 > hi):
        raise ValueError("high is out of bounds for " + name)
    if endpoint and low > high:
        raise ValueError("low > high")
    if not endpoint and low >= high:
        raise ValueError("low >= high")


# --- the methods ---

def random(gen, size=None, dtype=None):
    g = _npgen_bitgen(gen)
    if dtype is None:
        if size is None:
            return _npgen_next_double(g)
    out = _float_out(size, dtype)
    flat = out.ravel()
    if out.itemsize == 4:
        for i in range(flat.size):
            flat[i] = _next_float(g)
    else:
        for i in range(flat.size):
            flat[i] = _npgen_next_double(g)
    if size is None:
        return flat[0]
    return out


def standard_normal(gen, size=None, dtype=None):
    g = _npgen_bitgen(gen)
    if dtype is None:
        if size is None:
            return _standard_normal(g)
    out = _float_out(size, dtype)
    flat = out.ravel()
    if out.itemsize == 4:
        for i in range(flat.size):
            flat[i] = _standard_normal_f(g)
    else:
        for i in range(flat.size):
            flat[i] = _standard_normal(g)
    if size is None:
        return flat[0]
    return out


def standard_exponential(gen, size=None, dtype=None, method="zig"):
    g = _npgen_bitgen(gen)
    inv = method == "inv"
    if not inv and method != "zig":
        raise ValueError("method must be either 'inv' or 'zig'")
    out = _float_out(size, dtype)
    flat = out.ravel()
    for i in range(flat.size):
        if out.itemsize == 4 and inv:
            flat[i] = -math.log(1.0 - np.float64(_next_float(g)))
        elif out.itemsize == 4:
            flat[i] = _standard_exponential_f(g)
        elif inv:
            flat[i] = -math.log1p(-_npgen_next_double(g))
        else:
            flat[i] = _standard_exponential(g)
    if size is None:
        return flat[0]
    return out


def _check_non_negative(x, name):
    """NumPy's CONS_NON_NEGATIVE: -0.0 is refused too, nan passes."""
    if not math.isnan(x) and math.copysign(1.0, x) < 0:
        raise ValueError(name + " < 0")


def _check_positive(x, name):
    if x <= 0:
        raise ValueError(name + " <= 0")


def _draws(g, size, draw, a, b, zero):
    """draw(g, a, b): one number (size None), or an array of shape size of
    them, of zero's type."""
    if size is None:
        return draw(g, a, b)
    out = np.full(size, zero)
    flat = out.ravel()
    for i in range(flat.size):
        flat[i] = draw(g, a, b)
    return out


def _draws3(g, size, draw, a, b, c, zero):
    """_draws of a draw(g, a, b, c) of three parameters."""
    if size is None:
        return draw(g, a, b, c)
    out = np.full(size, zero)
    flat = out.ravel()
    for i in range(flat.size):
        flat[i] = draw(g, a, b, c)
    return out


def _normal(g, loc, scale):
    return loc + scale * _standard_normal(g)


def _uniform(g, low, rng):
    return low + rng * _npgen_next_double(g)


def _scaled_exponential(g, scale, unused):
    return scale * _standard_exponential(g)


def _scaled_gamma(g, shape, scale):
    return scale * _standard_gamma(g, shape)


def _poisson_draw(g, lam, unused):
    return _poisson(g, lam)


def _chisquare(g, df, unused):
    return 2.0 * _standard_gamma(g, df / 2.0)


def _f(g, dfnum, dfden):
    return ((_chisquare(g, dfnum, 0.0) * dfden)
            / (_chisquare(g, dfden, 0.0) * dfnum))


def _standard_cauchy(g, unused, unused2):
    return _standard_normal(g) / _standard_normal(g)


def _pareto(g, a, unused):
    return math.expm1(_standard_exponential(g) / a)


def _weibull(g, a, unused):
    if a == 0.0:
        return 0.0
    return math.pow(_standard_exponential(g), 1.0 / a)


def _power(g, a, unused):
    return math.pow(-math.expm1(-_standard_exponential(g)), 1.0 / a)


def _laplace(g, loc, scale):
    u = _npgen_next_double(g)
    while u == 0.0:
        u = _npgen_next_double(g)
    if u >= 0.5:
        return loc - scale * math.log(2.0 - u - u)
    return loc + scale * math.log(u + u)


def _logistic(g, loc, scale):
    u = _npgen_next_double(g)
    while u <= 0.0:
        u = _npgen_next_double(g)
    return loc + scale * math.log(u / (1.0 - u))


def _lognormal(g, mean, sigma):
    return math.exp(_normal(g, mean, sigma))


def _rayleigh(g, scale, unused):
    return scale * math.sqrt(2.0 * _standard_exponential(g))


def _standard_t(g, df, unused):
    num = _standard_normal(g)
    denom = _standard_gamma(g, df / 2)
    return math.sqrt(df / 2) * num / math.sqrt(denom)


def _wald(g, mean, scale):
    # NumPy 2's form, without the cancellation of mean + mean / (2 scale)
    # * (y - sqrt(4 scale y + y * y))
    y = _standard_normal(g)
    y = mean * y * y
    x = mean * (1 - 2 / (1 + math.sqrt(1 + 4 * scale / y)))
    u = _npgen_next_double(g)
    if u <= mean / (mean + x):
        return x
    return mean * mean / x


def _geometric(g, p, unused):
    if p >= 0.333333333333333333333333:
        x = np.int64(1)
        total = p
        prod = p
        q = 1.0 - p
        u = _npgen_next_double(g)
        while u > total:
            prod *= q
            total += prod
            x += 1
        return x
    z = math.ceil(-_standard_exponential(g) / math.log1p(-p))
    if z >= 9.223372036854776e+18:
        return np.int64(9223372036854775807)
    return np.int64(z)


def _triangular(g, left, mode, right):
    base = right - left
    leftbase = mode - left
    ratio = leftbase / base
    leftprod = leftbase * base
    rightprod = (right - mode) * base
    u = _npgen_next_double(g)
    if u <= ratio:
        return left + math.sqrt(u * leftprod)
    return right - math.sqrt((1.0 - u) * rightprod)


def _negative_binomial(g, n, p):
    return _poisson(g, _scaled_gamma(g, n, (1 - p) / p))


def _noncentral_chisquare(g, df, nonc):
    if math.isnan(nonc) and not _LEGACY:
        return math.nan
    if nonc == 0:
        return _chisquare(g, df, 0.0)
    if 1 < df:
        chi2 = _chisquare(g, df - 1, 0.0)
        n = _standard_normal(g) + math.sqrt(nonc)
        return chi2 + n * n
    i = _poisson(g, nonc / 2.0)
    x = _chisquare(g, df + 2 * i, 0.0)
    # RandomState's nan comes after its draws
    return math.nan if math.isnan(nonc) else x


def _noncentral_f(g, dfnum, dfden, nonc):
    t = _noncentral_chisquare(g, dfnum, nonc) * dfden
    return t / (_chisquare(g, dfden, 0.0) * dfnum)


def _zipf(g, a, unused):
    """Rejection from a Pareto draw; the Generator's U is drawn from (Umin,
    1] (below Umin it would give a number past int64's range, rejected),
    RandomState's from (0, 1]."""
    if a >= 1025 and not _LEGACY:
        return np.int64(1)
    am1 = a - 1.0
    b = math.pow(2.0, am1)
    umin = math.pow(9.223372036854775807e18, -am1)
    while True:
        if _LEGACY:
            u = 1.0 - _npgen_next_double(g)
        else:
            u01 = _npgen_next_double(g)
            u = u01 * umin + (1 - u01)
        v = _npgen_next_double(g)
        x = np.floor(math.pow(u, -1.0 / am1))
        if x > 9.223372036854775807e18 or x < 1.0:
            continue
        t = math.pow(1.0 + 1.0 / x, am1)
        if v * x * (t - 1.0) / (b - 1.0) <= t / b:
            return np.int64(x)


def _logseries(g, p, unused):
    """Kemp's second accelerated generator."""
    r = math.log(1.0 - p) if _LEGACY else math.log1p(-p)
    while True:
        v = _npgen_next_double(g)
        if v >= p:
            return np.int64(1)
        u = _npgen_next_double(g)
        q = 1.0 - math.exp(r * u) if _LEGACY else -math.expm1(r * u)
        if v <= q * q:
            x = np.floor(1 + math.log(v) / math.log(q))
            if v == 0.0 or x < 1:
                continue
            return np.int64(x)
        if v >= q:
            return np.int64(1)
        return np.int64(2)


def _vonmises(g, mu, kappa):
    """Best and Fisher's rejection from a wrapped Cauchy; a uniform angle
    for kappa below 1e-8, and (the Generator's only) a wrapped normal above
    1e6."""
    if math.isnan(kappa):
        return math.nan
    if kappa < 1e-8:
        return math.pi * (2 * _npgen_next_double(g) - 1)
    if kappa < 1e-5:
        s = 1.0 / kappa + kappa
    elif kappa <= 1e6 or _LEGACY:
        r = 1 + math.sqrt(1 + 4 * kappa * kappa)
        rho = (r - math.sqrt(2 * r)) / (2 * kappa)
        s = (1 + rho * rho) / (2 * rho)
    else:
        x = mu + math.sqrt(1.0 / kappa) * _standard_normal(g)
        if x < -math.pi:
            x += 2 * math.pi
        if x > math.pi:
            x -= 2 * math.pi
        return x
    while True:
        u = _npgen_next_double(g)
        z = math.cos(math.pi * u)
        w = (1 + s * z) / (s + z)
        y = kappa * (s - w)
        v = _npgen_next_double(g)
        if y * (2 - y) - v >= 0 or math.log(y / v) + 1 - y >= 0:
            break
    u = _npgen_next_double(g)
    x = math.acos(w)
    if u < 0.5:
        x = -x
    x += mu
    mod = math.fmod(abs(x) + math.pi, 2 * math.pi) - math.pi
    return -mod if x < 0 else mod


def _check_triangular(left, mode, right):
    if left > mode:
        raise ValueError("left > mode")
    if mode > right:
        raise ValueError("mode > right")
    if left == right:
        raise ValueError("left == right")


def normal(gen, loc=0.0, scale=1.0, size=None):
    g = _npgen_bitgen(gen)
    _check_non_negative(scale, "scale")
    return _draws(g, size, _normal, loc, scale, 0.0)


def uniform(gen, low=0.0, high=1.0, size=None):
    g = _npgen_bitgen(gen)
    rng = np.float64(high) - np.float64(low)
    if not math.isfinite(rng):
        raise OverflowError("high - low range exceeds valid bounds")
    _check_non_negative(rng, "high - low")
    return _draws(g, size, _uniform, np.float64(low), rng, 0.0)


def exponential(gen, scale=1.0, size=None):
    g = _npgen_bitgen(gen)
    _check_non_negative(scale, "scale")
    return _draws(g, size, _scaled_exponential, scale, 0.0, 0.0)


def standard_gamma(gen, shape, size=None, dtype=None):
    g = _npgen_bitgen(gen)
    _check_non_negative(shape, "shape")
    out = _float_out(size, dtype)
    flat = out.ravel()
    if out.itemsize == 4:
        for i in range(flat.size):
            flat[i] = _standard_gamma_f(g, shape)
    else:
        for i in range(flat.size):
            flat[i] = _standard_gamma(g, shape)
    if size is None:
        return flat[0]
    return out


def gamma(gen, shape, scale=1.0, size=None):
    g = _npgen_bitgen(gen)
    _check_non_negative(shape, "shape")
    _check_non_negative(scale, "scale")
    return _draws(g, size, _scaled_gamma, shape, scale, 0.0)


def beta(gen, a, b, size=None):
    g = _npgen_bitgen(gen)
    _check_positive(a, "a")
    _check_positive(b, "b")
    return _draws(g, size, _beta, a, b, 0.0)


def poisson(gen, lam=1.0, size=None):
    g = _npgen_bitgen(gen)
    if not lam >= 0:
        raise ValueError("lam < 0 or lam is NaN")
    if lam > _POISSON_LAM_MAX:
        raise ValueError("lam value too large")
    return _draws(g, size, _poisson_draw, lam, 0.0, np.int64(0))


def binomial(gen, n, p, size=None):
    g = _npgen_bitgen(gen)
    if n < 0:
        raise ValueError("n < 0")
    if not (p >= 0 and p <= 1):
        raise ValueError("p < 0, p > 1 or p is NaN")
    return _draws(g, size, _binomial, np.int64(n), p, np.int64(0))


def chisquare(gen, df, size=None):
    g = _npgen_bitgen(gen)
    _check_positive(df, "df")
    return _draws(g, size, _chisquare, df, 0.0, 0.0)


def f(gen, dfnum, dfden, size=None):
    g = _npgen_bitgen(gen)
    _check_positive(dfnum, "dfnum")
    _check_positive(dfden, "dfden")
    return _draws(g, size, _f, dfnum, dfden, 0.0)


def standard_cauchy(gen, size=None):
    g = _npgen_bitgen(gen)
    return _draws(g, size, _standard_cauchy, 0.0, 0.0, 0.0)


def standard_t(gen, df, size=None):
    g = _npgen_bitgen(gen)
    _check_positive(df, "df")
    return _draws(g, size, _standard_t, df, 0.0, 0.0)


def pareto(gen, a, size=None):
    g = _npgen_bitgen(gen)
    _check_positive(a, "a")
    return _draws(g, size, _pareto, a, 0.0, 0.0)


def weibull(gen, a, size=None):
    g = _npgen_bitgen(gen)
    _check_non_negative(a, "a")
    return _draws(g, size, _weibull, a, 0.0, 0.0)


def power(gen, a, size=None):
    g = _npgen_bitgen(gen)
    _check_positive(a, "a")
    return _draws(g, size, _power, a, 0.0, 0.0)


def laplace(gen, loc=0.0, scale=1.0, size=None):
    g = _npgen_bitgen(gen)
    _check_non_negative(scale, "scale")
    return _draws(g, size, _laplace, loc, scale, 0.0)


def logistic(gen, loc=0.0, scale=1.0, size=None):
    g = _npgen_bitgen(gen)
    _check_non_negative(scale, "scale")
    return _draws(g, size, _logistic, loc, scale, 0.0)


def lognormal(gen, mean=0.0, sigma=1.0, size=None):
    g = _npgen_bitgen(gen)
    _check_non_negative(sigma, "sigma")
    return _draws(g, size, _lognormal, mean, sigma, 0.0)


def rayleigh(gen, scale=1.0, size=None):
    g = _npgen_bitgen(gen)
    _check_non_negative(scale, "scale")
    return _draws(g, size, _rayleigh, scale, 0.0, 0.0)


def wald(gen, mean, scale, size=None):
    g = _npgen_bitgen(gen)
    _check_positive(mean, "mean")
    _check_positive(scale, "scale")
    return _draws(g, size, _wald, mean, scale, 0.0)


def geometric(gen, p, size=None):
    g = _npgen_bitgen(gen)
    if not (p > 0 and p <= 1):
        raise ValueError("p <= 0, p > 1 or p contains NaNs")
    return _draws(g, size, _geometric, p, 0.0, np.int64(0))


def _triangular_draws(g, left, mode, right, size):
    _check_triangular(left, mode, right)
    return _draws3(g, size, _triangular, np.float64(left), np.float64(mode),
                   np.float64(right), 0.0)


def _noncentral_chisquare_draws(g, df, nonc, size):
    _check_positive(df, "df")
    _check_non_negative(nonc, "nonc")
    return _draws(g, size, _noncentral_chisquare, np.float64(df),
                  np.float64(nonc), 0.0)


def _noncentral_f_draws(g, dfnum, dfden, nonc, size):
    _check_positive(dfnum, "dfnum")
    _check_positive(dfden, "dfden")
    _check_non_negative(nonc, "nonc")
    return _draws3(g, size, _noncentral_f, np.float64(dfnum),
                   np.float64(dfden), np.float64(nonc), 0.0)


def _zipf_draws(g, a, size):
    if not a > 1:
        raise ValueError("a <= 1 or a is NaN")
    return _draws(g, size, _zipf, np.float64(a), 0.0, np.int64(0))


def _logseries_draws(g, p, size):
    if not (p >= 0 and p < 1):
        raise ValueError("p < 0, p >= 1 or p is NaN")
    return _draws(g, size, _logseries, np.float64(p), 0.0, np.int64(0))


def _vonmises_draws(g, mu, kappa, size):
    _check_non_negative(kappa, "kappa")
    return _draws(g, size, _vonmises, np.float64(mu), np.float64(kappa), 0.0)


def triangular(gen, left, mode, right, size=None):
    return _triangular_draws(_npgen_bitgen(gen), left, mode, right, size)


def negative_binomial(gen, n, p, size=None):
    g = _npgen_bitgen(gen)
    if math.isnan(n):
        raise ValueError("n must not be NaN")
    _check_positive(n, "n")
    if not (p > 0 and p <= 1):
        raise ValueError("p <= 0, p > 1 or p contains NaNs")
    if (1 - p) / p * (n + 10 * math.sqrt(n)) > _POISSON_LAM_MAX:
        raise ValueError("n too large or p too small, see "
                         "Generator.negative_binomial Notes")
    return _draws(g, size, _negative_binomial, np.float64(n), np.float64(p),
                  np.int64(0))


def noncentral_chisquare(gen, df, nonc, size=None):
    return _noncentral_chisquare_draws(_npgen_bitgen(gen), df, nonc, size)


def noncentral_f(gen, dfnum, dfden, nonc, size=None):
    return _noncentral_f_draws(_npgen_bitgen(gen), dfnum, dfden, nonc, size)


def zipf(gen, a, size=None):
    return _zipf_draws(_npgen_bitgen(gen), a, size)


def logseries(gen, p, size=None):
    return _logseries_draws(_npgen_bitgen(gen), p, size)


def vonmises(gen, mu, kappa, size=None):
    return _vonmises_draws(_npgen_bitgen(gen), mu, kappa, size)


def integers(gen, low, high=None, size=None, dtype=None, endpoint=False):
    g = _npgen_bitgen(gen)
    if high is None:
        return _integers(g, 0, low, size, dtype, endpoint)
    return _integers(g, low, high, size, dtype, endpoint)


def _integers(g, low, high, size, dtype, endpoint):
    if dtype is None:
        if size is None:
            # one int64: no array to fill
            _check_int_bounds(low, high, endpoint, 64, True)
            rng = (np.uint64(high) - np.uint64(low)
                   - np.uint64(0 if endpoint else 1))
            return np.int64(np.uint64(low) + _bounded64(g, rng))
    z = np.int64(0) if dtype is None else dtype
    out = np.full(1 if size is None else size, z)
    if not _holds_integers(out):
        raise TypeError("Unsupported dtype for integers: it takes integer "
                        "and bool dtypes")
    bits, signed = _integer_kind(out)
    _check_int_bounds(low, high, endpoint, bits, signed)
    off = np.uint64(low)
    rng = np.uint64(high) - np.uint64(low) - np.uint64(0 if endpoint else 1)
    flat = out.ravel()
    if bits == 1:
        _fill_bool(g, flat, off, rng)
    elif bits <= 16:
        _fill_small(g, flat, off, rng, bits)
    else:
        for i in range(flat.size):
            flat[i] = off + _bounded64(g, rng)
    if size is None:
        return flat[0]
    return out


def shuffle(gen, x, axis=0):
    g = _npgen_bitgen(gen)
    if x.ndim == 0:
        raise TypeError("shuffle needs an array of at least one dimension")
    n = x.shape[axis] if x.ndim > 1 else len(x)
    if x.ndim == 1:
        for i in range(n - 1, 0, -1):
            j = np.intp(_interval(g, i))
            t = x[j]
            x[j] = x[i]
            x[i] = t
        return
    z = np.moveaxis(x, axis, 0)
    buf = np.empty_like(z[0])
    for i in range(n - 1, 0, -1):
        j = np.intp(_interval(g, i))
        buf[...] = z[j]
        z[j] = z[i]
        z[i] = buf


def permutation(gen, x, axis=0):
    g = _npgen_bitgen(gen)
    if x.ndim == 0:
        out = np.arange(x)
        shuffle(g, out)
        return out
    out = x.copy()
    shuffle(g, out, axis)
    return out


def _shuffle_int(g, n, first, data):
    for i in range(n - 1, first - 1, -1):
        j = np.intp(_bounded64(g, np.uint64(i)))
        t = data[j]
        data[j] = data[i]
        data[i] = t


def _sample_indices(g, pop_size, size, shuffle):
    """size distinct indices of range(pop_size), as NumPy's choice without
    replacement draws them: a tail shuffle of a large population, Floyd's
    algorithm (with a hash set) otherwise."""
    cutoff = 50 if shuffle else 20
    if pop_size > 10000 and size > pop_size // cutoff:
        idx = np.arange(pop_size)
        _shuffle_int(g, pop_size, max(pop_size - size, 1), idx)
        return idx[pop_size - size:].copy()
    idx = np.empty(size, np.int64)
    mask = _gen_mask(np.uint64(np.int64(1.2 * size)))
    hash_set = np.full(np.intp(mask) + 1, _U64_MAX)
    for j in range(pop_size - size, pop_size):
        val = _bounded64(g, np.uint64(j))
        loc = np.intp(val & mask)
        while hash_set[loc] != _U64_MAX and hash_set[loc] != val:
            loc = np.intp((np.uint64(loc) + np.uint64(1)) & mask)
        if hash_set[loc] == _U64_MAX:
            hash_set[loc] = val
            idx[j - pop_size + size] = np.int64(val)
        else:
            loc = np.intp(np.uint64(j) & mask)
            while hash_set[loc] != _U64_MAX:
                loc = np.intp((np.uint64(loc) + np.uint64(1)) & mask)
            hash_set[loc] = np.uint64(j)
            idx[j - pop_size + size] = j
    if shuffle:
        _shuffle_int(g, size, 1, idx)
    return idx


def _count(size):
    """How many items an array of shape size has (size an int or a
    tuple)."""
    return np.empty(size, np.bool_).size


def _checked_cdf(p, pop_size):
    """The cumulative distribution choice draws from with probabilities
    p, after NumPy's checks of p."""
    atol = 1.4901161193847656e-08       # sqrt of float64's eps
    if p.itemsize == 4 and not _holds_integers(p):
        atol = 0.00034526698300124393   # sqrt of float32's eps
    if p.ndim != 1:
        raise ValueError("p must be 1-dimensional")
    if p.size != pop_size:
        raise ValueError("a and p must have same size")
    cdf = np.empty(p.size)
    total = 0.0
    compensation = 0.0
    for i in range(p.size):
        x = np.float64(p[i])
        if i == 0:
            total = x
        else:
            # NumPy's Kahan sum, for the test of the total only
            y = x - compensation
            t = total + y
            compensation = (t - total) - y
            total = t
        cdf[i] = x if i == 0 else cdf[i - 1] + x
    if math.isnan(total):
        raise ValueError("Probabilities contain NaN")
    for i in range(p.size):
        if p[i] < 0:
            raise ValueError("Probabilities are not non-negative")
    if abs(total - 1.0) > atol:
        raise ValueError("Probabilities do not sum to 1. See Notes section "
                         "of docstring for more information.")
    last = cdf[p.size - 1]
    for i in range(p.size):
        cdf[i] /= last
    return cdf


def _search_right(cdf, u):
    """The index of the first entry of cdf above u (searchsorted, 'right')."""
    lo = 0
    hi = cdf.size
    while lo < hi:
        mid = (lo + hi) // 2
        if cdf[mid] <= u:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _choice_indices(g, pop_size, size, replace, shuffle, scalar, p):
    """choice's indices into range(pop_size): one (size None) or an array
    of shape size."""
    n = 1 if size is None else _count(size)
    if pop_size <= 0 and n != 0:
        if scalar:
            raise ValueError("a must be a positive integer unless no "
                             "samples are taken")
        raise ValueError("a cannot be empty unless no samples are taken")
    if p is not None:
        cdf = _checked_cdf(p, pop_size)
        if not replace:
            raise TypeError("Generator.choice in compiled code takes p "
                            "only with replace=True")
        if size is None:
            return np.int64(_search_right(cdf, _npgen_next_double(g)))
        out = np.empty(size, np.int64)
        flat = out.ravel()
        for i in range(flat.size):
            flat[i] = _search_right(cdf, _npgen_next_double(g))
        return out
    if replace:
        return _integers(g, 0, pop_size, size, None, False)
    if n > pop_size:
        raise ValueError("Cannot take a larger sample than population "
                         "when replace is False")
    picked = _sample_indices(g, pop_size, n, shuffle)
    if size is None:
        return picked[0]
    return picked.reshape(size)


def choice(gen, a, size=None, replace=True, p=None, axis=0, shuffle=True):
    g = _npgen_bitgen(gen)
    if a.ndim == 0:
        return _choice_indices(g, a, size, replace, shuffle, True, p)
    if a.ndim > 1:
        raise TypeError("Generator.choice in compiled code takes an integer "
                        "or a 1-d array")
    idx = _choice_indices(g, len(a), size, replace, shuffle, False, p)
    if size is None:
        return a[idx]
    out = np.empty(idx.shape, a.dtype)
    flat = out.ravel()
    where = idx.ravel()
    for i in range(flat.size):
        flat[i] = a[where[i]]
    return out


_METHODS = (random, standard_normal, standard_exponential, normal, uniform,
            exponential, standard_gamma, gamma, beta, poisson, binomial,
            chisquare, f, standard_cauchy, standard_t, pareto, weibull,
            power, laplace, logistic, lognormal, rayleigh, wald, geometric,
            triangular, integers, shuffle, permutation, choice,
            negative_binomial, noncentral_chisquare, noncentral_f, zipf,
            logseries, vonmises)

_HELPERS = (_next_float, _float_out, _standard_normal, _standard_normal_f,
            _standard_exponential, _standard_exponential_f, _standard_gamma,
            _standard_gamma_f, _beta, _loggam, _poisson_mult, _poisson_ptrs,
            _poisson, _c_int64, _binomial_inversion, _binomial_btpe, _stirling,
            _btpe_squeeze_rejects, _binomial, _gen_mask, _interval, _lemire32,
            _lemire64, _bounded64, _fill_small, _fill_bool, _integer_kind,
            _int_name, _check_int_bounds, _check_non_negative, _check_positive,
            _integers, _shuffle_int, _sample_indices, _count, _checked_cdf,
            _search_right, _choice_indices, _draws, _normal, _uniform,
            _scaled_exponential, _scaled_gamma, _poisson_draw, _chisquare, _f,
            _standard_cauchy, _pareto, _weibull, _power, _laplace, _logistic,
            _lognormal, _rayleigh, _standard_t, _wald, _geometric, _triangular,
            _draws3, _negative_binomial, _noncentral_chisquare, _noncentral_f,
            _zipf, _logseries, _vonmises, _check_triangular, _triangular_draws,
            _noncentral_chisquare_draws, _noncentral_f_draws, _zipf_draws,
            _logseries_draws, _vonmises_draws)


def library():
    """{"Generator.<method>": dispatcher}.  The functions are rebound to
    their dispatchers, so that one calling another calls compiled code."""
    made = {}
    g = globals()
    for f in _METHODS + _HELPERS:
        made[f.__name__] = g[f.__name__] = _core.Dispatcher(
            f, nopython=True, error_model="numpy")
    return {"Generator." + f.__name__: made[f.__name__] for f in _METHODS}
