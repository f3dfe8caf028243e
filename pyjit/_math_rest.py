"""The rest of Python's math and cmath modules for nopython code, written
as CPython computes them: math.factorial, comb, perm, isqrt, lcm (of two
integers), prod, isclose, modf, frexp, ldexp, fsum, dist; cmath.isnan, isinf, isfinite,
polar, rect, log10, the trigonometric and hyperbolic functions and their
inverses.

Integers are int64: a factorial, a product or a number of combinations
beyond it wraps, as int64 arithmetic does.  The cmath functions follow
CPython's formulas for finite arguments (including its OverflowError) and
its tables of special values for an argument with an infinite or NaN part,
read off CPython's own functions when this module loads (its ValueError
where CPython gives one); cmath.rect of such an argument is a ValueError
here rather than a different answer.
"""
import cmath
import math
import sys

import numpy as np

from ._core import _cacos, _cacosh, _casinh, _catanh

# CPython's Modules/cmath.c bounds, for float64
_LARGE = 1.7976931348623157e308 / 4.0        # CM_LARGE_DOUBLE
_SQRT_LARGE = math.sqrt(_LARGE)             # CM_SQRT_LARGE_DOUBLE
_LOG_LARGE = math.log(_LARGE)               # CM_LOG_LARGE_DOUBLE
_SQRT_DBL_MIN = math.sqrt(2.2250738585072014e-308)   # CM_SQRT_DBL_MIN
_DBL_MIN = 2.2250738585072014e-308
# CPython before 3.12 takes the norm of a vector whose largest item is
# subnormal by dividing each item by that one and summing plain squares;
# 3.12 makes the items normal (dividing by DBL_MIN) and goes on as for any
# vector.  dist() gives the running interpreter's result.
_SUBNORMAL_BY_MAX = sys.version_info < (3, 12)
_LN2 = 0.6931471805599453094172321214581766
_LN10 = 2.302585092994045684017991454684364208
_E = 2.718281828459045235360287471352662498


def factorial(n):
    if n < 0:
        raise ValueError("factorial() not defined for negative values")
    r = 1
    for i in range(2, n + 1):
        r *= i
    return r


def _check_nk(n, k):
    if n < 0:
        raise ValueError("n must be a non-negative integer")
    if k < 0:
        raise ValueError("k must be a non-negative integer")


def perm(n, k=None):
    if k is None:
        return factorial(n)
    _check_nk(n, k)
    if k > n:
        return 0
    r = 1
    for i in range(n - k + 1, n + 1):
        r *= i
    return r


def comb(n, k):
    _check_nk(n, k)
    if k > n:
        return 0
    k = min(k, n - k)
    r = 1
    for i in range(1, k + 1):
        r = r * (n - k + i) // i
    return r


def isqrt(n):
    if n < 0:
        raise ValueError("isqrt() argument must be nonnegative")
    r = int(math.sqrt(n))
    while r * r > n:
        r -= 1
    while (r + 1) * (r + 1) <= n:
        r += 1
    return r


def lcm(a, b):
    if a == 0 or b == 0:
        return 0
    return abs(a // math.gcd(a, b) * b)


def prod(iterable, start=1):
    r = start
    for x in iterable:
        r = r * x
    return r


def isclose(a, b, rel_tol=1e-09, abs_tol=0.0):
    if rel_tol < 0.0 or abs_tol < 0.0:
        raise ValueError("tolerances must be non-negative")
    if a == b:
        return True
    if math.isinf(a) or math.isinf(b):
        return False
    diff = abs(b - a)
    return (diff <= abs(rel_tol * b) or diff <= abs(rel_tol * a)
            or diff <= abs_tol)


def modf(x):
    """(fractional part, integral part), both with x's sign."""
    if math.isinf(x):
        return (math.copysign(0.0, x), x)
    i = float(math.trunc(x)) if abs(x) < 4503599627370496.0 else x
    return (math.copysign(x - i, x), math.copysign(i, x))


def frexp(x):
    """(m, e): x == m * 2**e, 0.5 <= |m| < 1 (m is x for 0, inf, nan)."""
    if x == 0.0 or math.isinf(x) or x != x:
        return (x, 0)
    e = 0
    m = x
    while abs(m) >= 1.0:
        m *= 0.5
        e += 1
    while abs(m) < 0.5:
        m *= 2.0
        e -= 1
    return (m, e)


def ldexp(x, i):
    """x * 2**i, rounded once, as C's ldexp; OverflowError past the
    largest float."""
    if x == 0.0 or not math.isfinite(x):
        return x
    m, e = frexp(x)
    k = e + i
    if k > 1024:
        raise OverflowError("math range error")
    if k < -1074:
        return math.copysign(0.0, x)
    if k == 1024:
        return m * 2.0 * 2.0 ** 1023
    return m * 2.0 ** k


def _fsum_partials(iterable, partials):
    """Shewchuk's exact partial sums of the finite items (CPython's
    math.fsum); (their count, the sum of the infinite and NaN items,
    the sum of the infinite ones)."""
    n = 0
    special = 0.0
    infs = 0.0
    for item in iterable:
        x = float(item)
        xsave = x
        i = 0
        for j in range(n):
            y = partials[j]
            if abs(x) < abs(y):
                x, y = y, x
            hi = x + y
            lo = y - (hi - x)
            if lo != 0.0:
                partials[i] = lo
                i += 1
            x = hi
        n = i
        if x != 0.0:
            if not math.isfinite(x):
                if math.isfinite(xsave):
                    raise OverflowError("intermediate overflow in fsum")
                if math.isinf(xsave):
                    infs += xsave
                special += xsave
                n = 0
            else:
                if n < len(partials):
                    partials[n] = x
                else:
                    partials.append(x)
                n += 1
    return n, special, infs


def fsum(iterable):
    partials = [0.0]
    n, special, infs = _fsum_partials(iterable, partials)
    if special != 0.0:
        if math.isnan(infs):
            raise ValueError("-inf + inf in fsum")
        return special
    hi = 0.0
    lo = 0.0
    if n > 0:
        n -= 1
        hi = partials[n]
        while n > 0:
            x = hi
            n -= 1
            y = partials[n]
            hi = x + y
            lo = y - (hi - x)
            if lo != 0.0:
                break
        # half-even rounding across the partials, as CPython's
        if n > 0 and ((lo < 0.0 and partials[n - 1] < 0.0)
                      or (lo > 0.0 and partials[n - 1] > 0.0)):
            y = lo * 2.0
            x = hi + y
            if y == x - hi:
                hi = x
    return hi


def c_isnan(z):
    return math.isnan(z.real) or math.isnan(z.imag)


def c_isinf(z):
    return math.isinf(z.real) or math.isinf(z.imag)


def c_isfinite(z):
    return math.isfinite(z.real) and math.isfinite(z.imag)


def polar(z):
    return (abs(z), cmath.phase(z))


# CPython's special_type classes of a float: -inf, negative, -0.0, +0.0,
# positive, +inf, NaN; a representative of each.
_CLASS_VALUES = (-math.inf, -1.0, -0.0, 0.0, 1.0, math.inf, math.nan)


def _special_type(d):
    if math.isnan(d):
        return 6
    if math.isinf(d):
        return 0 if d < 0.0 else 5
    if d == 0.0:
        return 2 if math.copysign(1.0, d) < 0.0 else 3
    return 1 if d < 0.0 else 4


def _special_values(f):
    """f's results for each pair of classes of the real and imaginary
    parts (7 x 7, row-major), and whether CPython raises ValueError there:
    the table CPython looks an argument with an infinite or NaN part up
    in (entries of two finite classes are never read)."""
    values = np.zeros(49, dtype=np.complex128)
    domain = np.zeros(49, dtype=np.bool_)
    for i, re in enumerate(_CLASS_VALUES):
        for j, im in enumerate(_CLASS_VALUES):
            try:
                values[7 * i + j] = f(complex(re, im))
            except ValueError:
                domain[7 * i + j] = True
            except OverflowError:
                pass            # finite classes: computed by the formulas
    return values, domain


_SINH_SPECIAL, _SINH_DOMAIN = _special_values(cmath.sinh)
_COSH_SPECIAL, _COSH_DOMAIN = _special_values(cmath.cosh)
_TANH_SPECIAL, _TANH_DOMAIN = _special_values(cmath.tanh)
_LOG10_SPECIAL, _LOG10_DOMAIN = _special_values(cmath.log10)


def _special(z, values, domain):
    k = 7 * _special_type(z.real) + _special_type(z.imag)
    if domain[k]:
        raise ValueError("math domain error")
    return values[k]


def _infinite_real(z):
    """Whether z is (+-inf + iy), y finite and not zero: CPython's
    hyperbolic functions compute that case rather than look it up."""
    return math.isinf(z.real) and math.isfinite(z.imag) and z.imag != 0.0


def _finite(z, name):
    if not (math.isfinite(z.real) and math.isfinite(z.imag)):
        raise ValueError(f"cmath.{name} of a complex number with an "
                         "infinite or NaN part is not supported in "
                         "compiled code")


def _range_checked(re, im):
    if math.isinf(re) or math.isinf(im):
        raise OverflowError("math range error")
    return complex(re, im)


def rect(r, phi):
    _finite(complex(r, phi), "rect")
    return complex(r * math.cos(phi), r * math.sin(phi))


def _log_abs(z):
    """log(|z|) as CPython's c_log computes it: log1p near |z| == 1,
    scaled where |z| would overflow or underflow."""
    ax = abs(z.real)
    ay = abs(z.imag)
    if ax > _LARGE or ay > _LARGE:
        return math.log(math.hypot(ax / 2.0, ay / 2.0)) + _LN2
    if ax < _DBL_MIN and ay < _DBL_MIN:
        if ax == 0.0 and ay == 0.0:
            raise ValueError("math domain error")
        return (math.log(math.hypot(ax * 9007199254740992.0,
                                    ay * 9007199254740992.0)) - 53 * _LN2)
    h = math.hypot(ax, ay)
    if 0.71 <= h and h <= 1.73:
        am = max(ax, ay)
        an = min(ax, ay)
        return math.log1p((am - 1) * (am + 1) + an * an) / 2.0
    return math.log(h)


def log10(z):
    if not (math.isfinite(z.real) and math.isfinite(z.imag)):
        return _special(z, _LOG10_SPECIAL, _LOG10_DOMAIN)
    return complex(_log_abs(z) / _LN10, math.atan2(z.imag, z.real) / _LN10)


def _hyperbolic(z, sine):
    """sinh(z) (sine) or cosh(z), by CPython's formulas and tables."""
    x = z.real
    y = z.imag
    if _infinite_real(z):
        # cosh(-inf + iy) is cosh(inf - iy); sinh(-inf + iy) is -sinh(inf - iy)
        re = math.copysign(math.inf, math.cos(y))
        im = math.copysign(math.inf, math.sin(y))
        if x < 0.0:
            return complex(-re, im) if sine else complex(re, -im)
        return complex(re, im)
    if not (math.isfinite(x) and math.isfinite(y)):
        return (_special(z, _SINH_SPECIAL, _SINH_DOMAIN) if sine
                else _special(z, _COSH_SPECIAL, _COSH_DOMAIN))
    if abs(x) > _LOG_LARGE:
        xm1 = x - math.copysign(1.0, x)
        s = math.sinh(xm1)
        c = math.cosh(xm1)
        return _range_checked(math.cos(y) * (s if sine else c) * _E,
                              math.sin(y) * (c if sine else s) * _E)
    s = math.sinh(x)
    c = math.cosh(x)
    return complex(math.cos(y) * (s if sine else c),
                   math.sin(y) * (c if sine else s))


def c_sinh(z):
    return _hyperbolic(z, True)


def c_cosh(z):
    return _hyperbolic(z, False)


def c_tanh(z):
    x = z.real
    y = z.imag
    if _infinite_real(z):
        return complex(math.copysign(1.0, x),
                       math.copysign(0.0, 2.0 * math.sin(y) * math.cos(y)))
    if not (math.isfinite(x) and math.isfinite(y)):
        return _special(z, _TANH_SPECIAL, _TANH_DOMAIN)
    if abs(x) > _LOG_LARGE:
        return complex(math.copysign(1.0, x),
                       4.0 * math.sin(y) * math.cos(y)
                       * math.exp(-2.0 * abs(x)))
    tx = math.tanh(x)
    ty = math.tan(y)
    cx = 1.0 / math.cosh(x)
    txty = tx * ty
    denom = 1.0 + txty * txty
    return complex(tx * (1.0 + ty * ty) / denom, ((ty / denom) * cx) * cx)


def c_sin(z):
    r = c_sinh(complex(-z.imag, z.real))
    return complex(r.imag, -r.real)


def c_cos(z):
    return c_cosh(complex(-z.imag, z.real))


def c_tan(z):
    r = c_tanh(complex(-z.imag, z.real))
    return complex(r.imag, -r.real)


def _beyond_formulas(z):
    """Whether a part of z is infinite, NaN or beyond 4.5e307, where
    CPython's inverse functions give C99's special values and asymptotic
    forms, as the C library's functions do (_core's intrinsics)."""
    return not (abs(z.real) <= _LARGE and abs(z.imag) <= _LARGE)


def c_asinh(z):
    if z.real != z.real and math.isinf(z.imag):
        return complex(math.inf, math.nan)  # CPython's, whatever the signs
    if _beyond_formulas(z):
        return _casinh(z)
    s1 = cmath.sqrt(complex(1.0 + z.imag, -z.real))
    s2 = cmath.sqrt(complex(1.0 - z.imag, z.real))
    return complex(math.asinh(s1.real * s2.imag - s2.real * s1.imag),
                   math.atan2(z.imag, s1.real * s2.real - s1.imag * s2.imag))


def c_asin(z):
    s = c_asinh(complex(-z.imag, z.real))
    return complex(s.imag, -s.real)


def c_acos(z):
    if math.isinf(z.real) and z.imag != z.imag:
        return complex(math.nan, math.inf)  # CPython's, whatever the signs
    if _beyond_formulas(z):
        return _cacos(z)
    s1 = cmath.sqrt(complex(1.0 - z.real, -z.imag))
    s2 = cmath.sqrt(complex(1.0 + z.real, z.imag))
    return complex(2.0 * math.atan2(s1.real, s2.real),
                   math.asinh(s2.real * s1.imag - s2.imag * s1.real))


def c_acosh(z):
    if z.real == 0.0 and z.imag != z.imag:
        return complex(math.nan, math.nan)  # CPython's table; C99: nan+pi/2j
    if _beyond_formulas(z):
        return _cacosh(z)
    s1 = cmath.sqrt(complex(z.real - 1.0, z.imag))
    s2 = cmath.sqrt(complex(z.real + 1.0, z.imag))
    return complex(math.asinh(s1.real * s2.real + s1.imag * s2.imag),
                   2.0 * math.atan2(s1.imag, s2.real))


def c_atanh(z):
    if z.real != z.real and math.isinf(z.imag):
        # CPython's +0 real part, whatever the NaN's sign (the C library
        # gives it the NaN's)
        return complex(0.0, math.copysign(math.pi / 2, z.imag))
    if not (math.isfinite(z.real) and math.isfinite(z.imag)):
        return _catanh(z)
    if z.real < 0.0:
        r = c_atanh(complex(-z.real, -z.imag))
        return complex(-r.real, -r.imag)
    x = z.real
    ay = abs(z.imag)
    if x > _SQRT_LARGE or ay > _SQRT_LARGE:
        h = math.hypot(x / 2.0, z.imag / 2.0)
        return complex(x / 4.0 / h / h, -math.copysign(math.pi / 2, -z.imag))
    if x == 1.0 and ay < _SQRT_DBL_MIN:
        if ay == 0.0:
            raise ValueError("math domain error")
        return complex(-math.log(math.sqrt(ay) / math.sqrt(math.hypot(ay,
                                                                      2.0))),
                       math.copysign(math.atan2(2.0, -ay) / 2, z.imag))
    return complex(math.log1p(4.0 * x / ((1 - x) * (1 - x) + ay * ay)) / 4.0,
                   -math.atan2(-2.0 * z.imag, (1 - x) * (1 + x) - ay * ay)
                   / 2.0)


def c_atan(z):
    s = c_atanh(complex(-z.imag, z.real))
    return complex(s.imag, -s.real)


def _dl_split(x):
    """x as hi + lo, each of at most 26 significant bits (Veltkamp)."""
    t = x * 134217729.0
    hi = t - (t - x)
    return hi, x - hi


def _dl_mul(x, y):
    """x * y as hi + lo exactly (Dekker's product)."""
    xh, xl = _dl_split(x)
    yh, yl = _dl_split(y)
    p = xh * yh
    q = xh * yl + xl * yh
    z = p + q
    return z, p - z + q + xl * yl


def _subnormal_norm(p, q, n, mx):
    """The norm when the largest |p[i] - q[i]|, mx, is subnormal, as
    CPython 3.11's vector_norm takes it: each item divided by mx, the
    squares summed with compensation."""
    csum = 1.0
    frac = 0.0
    for i in range(n):
        x = abs(float(p[i]) - float(q[i])) / mx
        x = x * x
        s = csum + x
        frac += (csum - s) + x
        csum = s
    return mx * math.sqrt(csum - 1.0 + frac)


def _vector_norm(p, q, n, mx, found_nan):
    """The norm of the vector of |p[i] - q[i]| (mx the largest of them),
    as CPython's vector_norm computes it: each square exact, their sum
    compensated, then a differential correction of the root."""
    if math.isinf(mx):
        return mx
    if found_nan:
        return math.nan
    if mx == 0.0 or n <= 1:
        return mx
    unit = 1.0
    max_e = frexp(mx)[1]
    if max_e < -1023 and _SUBNORMAL_BY_MAX:
        return _subnormal_norm(p, q, n, mx)
    if max_e < -1023:          # subnormals: made normal first
        unit = _DBL_MIN
        max_e = frexp(mx / _DBL_MIN)[1]
    scale = ldexp(1.0, -max_e)
    csum = 1.0
    frac1 = 0.0
    frac2 = 0.0
    for i in range(n):
        x = abs(float(p[i]) - float(q[i])) / unit * scale
        hi, lo = _dl_mul(x, x)
        s = csum + hi
        frac2 += (csum - s) + hi
        csum = s
        frac1 += lo
    h = math.sqrt(csum - 1.0 + (frac1 + frac2))
    hi, lo = _dl_mul(-h, h)
    s = csum + hi
    frac2 += (csum - s) + hi
    csum = s
    frac1 += lo
    x = csum - 1.0 + (frac1 + frac2)
    h += x / (2.0 * h)
    return h / scale * unit


def dist(p, q):
    """The Euclidean distance between points p and q (sequences of one
    length), CPython's to the last bit."""
    n = len(p)
    if len(q) != n:
        raise ValueError("both points must have the same number of "
                         "dimensions")
    mx = 0.0
    found_nan = False
    for i in range(n):
        x = abs(float(p[i]) - float(q[i]))
        found_nan = found_nan or x != x
        if x > mx:
            mx = x
    return _vector_norm(p, q, n, mx, found_nan)


FUNCTIONS = {math.dist: dist, math.factorial: factorial, math.perm: perm, math.comb: comb,
             math.isqrt: isqrt, math.lcm: lcm, math.prod: prod,
             math.isclose: isclose, math.modf: modf, math.frexp: frexp,
             math.ldexp: ldexp, math.fsum: fsum,
             cmath.isnan: c_isnan, cmath.isinf: c_isinf,
             cmath.isfinite: c_isfinite, cmath.polar: polar,
             cmath.rect: rect, cmath.log10: log10, cmath.sinh: c_sinh,
             cmath.cosh: c_cosh, cmath.tanh: c_tanh, cmath.sin: c_sin,
             cmath.cos: c_cos, cmath.tan: c_tan, cmath.asinh: c_asinh,
             cmath.asin: c_asin, cmath.acos: c_acos, cmath.acosh: c_acosh,
             cmath.atanh: c_atanh, cmath.atan: c_atan}

METHODS = ()

HELPERS = (_dl_split, _dl_mul, _subnormal_norm, _vector_norm, _log_abs,
           _fsum_partials, _check_nk, _hyperbolic, _finite, _range_checked,
           _beyond_formulas, _special_type, _special, _infinite_real)
