"""Numba code of libraries as their authors wrote it, against its
plain Python functions.

poliastro's astrodynamics core (poliastro/poliastro, MIT): the Stumpff and
hypergeometric functions, rotation matrices, anomaly conversions, the
classical / modified equinoctial / Cartesian element conversions, Izzo's
and Vallado's Lambert solvers, the Farnocchia, Vallado, Danby, Gooding,
Markley, Mikkola, Pimienta and recursive series propagators, maneuvers,
flybys, perturbations, events, sensors, ellipsoid geometry, the planets'
rotational elements and the Jacchia 77 atmosphere profile.

tslearn's time series code (tslearn-team/tslearn, BSD): DTW with its masks
and paths, LCSS, subsequence DTW, LB_Keogh envelopes, GAK, soft-DTW with
its gradient, parallel batches and Jacobian product, normalized
cross-correlation through object mode, SAX and PAA, and the VARIMA loss.

The functions are copied unchanged but for their docstrings and the import
of numba, which is pyjit's here, into one namespace: propagation/vallado.py's
vallado is named vallado_propagate beside iod.py's, _soft_dtw.py's
_njit_accumulated_matrix is _njit_soft_accumulated_matrix beside _dtw.py's.
tslearn's module-level factories of jitted functions are called for NumPy
only (their PyTorch branch is left out).

Then a program of our own with the constructs of resampy's resampler: a
prange loop jitted twice by calling jit on a plain function, called from
gufuncs made from a layout alone, with outputs of another dtype and strided
views.

Each runs on seeded inputs and is compared with its plain Python function
(`py_func`): integers and paths exactly, floats to rounding; each compiled
function is checked to be in nopython mode."""
import sys
from math import gamma
from types import FunctionType

import numpy
import numpy as np
import pytest
from numpy import cos, cross, pi, sin, sqrt

import pyjit
from pyjit import guvectorize, njit, objmode, prange
from pyjit import njit as jit

from difftest import assert_compiled
from difftest import assert_near as same


def agree(f, *args, rtol=1e-9):
    """f compiled and f.py_func give the same values (floats to rtol), or
    raise the same exception; f compiled in nopython mode."""
    try:
        with np.errstate(all="ignore"):
            want = f.py_func(*args)
    except Exception as e:  # noqa: BLE001 - compared with pyjit's below
        with pytest.raises(type(e)) as got:
            f(*args)
        if not isinstance(e, AssertionError):   # pytest rewrites asserts
            assert str(got.value) == str(e)
    else:
        with np.errstate(all="ignore"):
            same(f(*args), want, rtol)
    assert_compiled(f)


def all_python(f):
    """f's plain Python function, calling the plain Python functions of
    the jitted functions of this module it calls."""
    names = dict(globals())
    for name, value in names.items():
        if isinstance(value, pyjit.Dispatcher):
            py = value.py_func
            names[name] = FunctionType(py.__code__, names, name,
                                       py.__defaults__, py.__closure__)
    return names[f.__name__]


# --- poliastro/poliastro src/poliastro/_math/linalg.py


@jit
def norm(arr):
    return np.sqrt(arr @ arr)


# --- poliastro/poliastro src/poliastro/_math/special.py


@jit
def hyp2f1b(x):
    if x >= 1.0:
        return np.inf
    else:
        res = 1.0
        term = 1.0
        ii = 0
        while True:
            term = term * (3 + ii) * (1 + ii) / (5 / 2 + ii) * x / (ii + 1)
            res_old = res
            res += term
            if res_old == res:
                return res
            ii += 1


@jit
def stumpff_c2(psi):
    eps = 1.0
    if psi > eps:
        res = (1 - np.cos(np.sqrt(psi))) / psi
    elif psi < -eps:
        res = (np.cosh(np.sqrt(-psi)) - 1) / (-psi)
    else:
        res = 1.0 / 2.0
        delta = (-psi) / gamma(2 + 2 + 1)
        k = 1
        while res + delta != res:
            res = res + delta
            k += 1
            delta = (-psi) ** k / gamma(2 * k + 2 + 1)

    return res


@jit
def stumpff_c3(psi):
    eps = 1.0
    if psi > eps:
        res = (np.sqrt(psi) - np.sin(np.sqrt(psi))) / (psi * np.sqrt(psi))
    elif psi < -eps:
        res = (np.sinh(np.sqrt(-psi)) - np.sqrt(-psi)) / (-psi * np.sqrt(-psi))
    else:
        res = 1.0 / 6.0
        delta = (-psi) / gamma(2 + 3 + 1)
        k = 1
        while res + delta != res:
            res = res + delta
            k += 1
            delta = (-psi) ** k / gamma(2 * k + 3 + 1)

    return res


c2, c3 = stumpff_c2, stumpff_c3  # iod.py imports them under these names


# --- poliastro/poliastro src/poliastro/core/util.py


@jit
def rotation_matrix(angle, axis):
    assert axis in (0, 1, 2)
    angle = np.asarray(angle)
    c = cos(angle)
    s = sin(angle)

    a1 = (axis + 1) % 3
    a2 = (axis + 2) % 3
    R = np.zeros(angle.shape + (3, 3))
    R[..., axis, axis] = 1.0
    R[..., a1, a1] = c
    R[..., a1, a2] = -s
    R[..., a2, a1] = s
    R[..., a2, a2] = c
    return R


@jit
def alinspace(start, stop=None, num=50, endpoint=True):
    # Create a new variable to avoid numba crash,
    # See https://github.com/numba/numba/issues/5661
    if stop is None:
        stop_ = start + 2 * np.pi
    elif stop <= start:
        stop_ = stop + (np.floor((start - stop) / 2 / np.pi) + 1) * 2 * np.pi
    else:
        stop_ = stop

    if endpoint:
        return np.linspace(start, stop_, num)
    else:
        return np.linspace(start, stop_, num + 1)[:-1]


@jit
def spherical_to_cartesian(v):
    v = np.asarray(v)
    norm_vecs = np.expand_dims(np.asarray(v[..., 0]), -1)
    vsin = np.sin(v[..., 1:3])
    vcos = np.cos(v[..., 1:3])
    x = np.asarray(vsin[..., 0] * vcos[..., 1])
    y = np.asarray(vsin[..., 0] * vsin[..., 1])
    z = np.asarray(vcos[..., 0])
    return norm_vecs * np.stack((x, y, z), axis=-1)


@jit
def planetocentric_to_AltAz(theta, phi):
    # Transformation matrix for converting planetocentric equatorial coordinates to topocentric horizon system.
    t_matrix = np.array(
        [
            [-np.sin(theta), np.cos(theta), 0],
            [
                -np.sin(phi) * np.cos(theta),
                -np.sin(phi) * np.sin(theta),
                np.cos(phi),
            ],
            [
                np.cos(phi) * np.cos(theta),
                np.cos(phi) * np.sin(theta),
                np.sin(phi),
            ],
        ]
    )
    return t_matrix


# --- poliastro/poliastro src/poliastro/core/angles.py


@jit
def _kepler_equation(E, M, ecc):
    return E_to_M(E, ecc) - M


@jit
def _kepler_equation_prime(E, M, ecc):
    return 1 - ecc * np.cos(E)


@jit
def _kepler_equation_hyper(F, M, ecc):
    return F_to_M(F, ecc) - M


@jit
def _kepler_equation_prime_hyper(F, M, ecc):
    return ecc * np.cosh(F) - 1


def newton_factory(func, fprime):
    @jit
    def jit_newton_wrapper(x0, args=(), tol=1.48e-08, maxiter=50):
        p0 = float(x0)
        for _ in range(maxiter):
            fval = func(p0, *args)
            fder = fprime(p0, *args)
            newton_step = fval / fder
            p = p0 - newton_step
            if abs(p - p0) < tol:
                return p
            p0 = p

        return np.nan

    return jit_newton_wrapper


_newton_elliptic = newton_factory(_kepler_equation, _kepler_equation_prime)
_newton_hyperbolic = newton_factory(
    _kepler_equation_hyper, _kepler_equation_prime_hyper
)


@jit
def D_to_nu(D):
    return 2.0 * np.arctan(D)


@jit
def nu_to_D(nu):
    # TODO: Rename to B
    return np.tan(nu / 2.0)


@jit
def nu_to_E(nu, ecc):
    E = 2 * np.arctan(np.sqrt((1 - ecc) / (1 + ecc)) * np.tan(nu / 2))
    return E


@jit
def nu_to_F(nu, ecc):
    F = 2 * np.arctanh(np.sqrt((ecc - 1) / (ecc + 1)) * np.tan(nu / 2))
    return F


@jit
def E_to_nu(E, ecc):
    nu = 2 * np.arctan(np.sqrt((1 + ecc) / (1 - ecc)) * np.tan(E / 2))
    return nu


@jit
def F_to_nu(F, ecc):
    nu = 2 * np.arctan(np.sqrt((ecc + 1) / (ecc - 1)) * np.tanh(F / 2))
    return nu


@jit
def M_to_E(M, ecc):
    if -np.pi < M < 0 or np.pi < M:
        E0 = M - ecc
    else:
        E0 = M + ecc
    E = _newton_elliptic(E0, args=(M, ecc))
    return E


@jit
def M_to_F(M, ecc):
    F0 = np.arcsinh(M / ecc)
    F = _newton_hyperbolic(F0, args=(M, ecc), maxiter=100)
    return F


@jit
def M_to_D(M):
    B = 3.0 * M / 2.0
    A = (B + (1.0 + B**2) ** 0.5) ** (2.0 / 3.0)
    D = 2 * A * B / (1 + A + A**2)
    return D


@jit
def E_to_M(E, ecc):
    M = E - ecc * np.sin(E)
    return M


@jit
def F_to_M(F, ecc):
    M = ecc * np.sinh(F) - F
    return M


@jit
def D_to_M(D):
    M = D + D**3 / 3
    return M


@jit
def fp_angle(nu, ecc):
    return np.arctan2(ecc * np.sin(nu), 1 + ecc * np.cos(nu))


# --- poliastro/poliastro src/poliastro/core/elements.py


@jit
def eccentricity_vector(k, r, v):
    return ((v @ v - k / norm(r)) * r - (r @ v) * v) / k


@jit
def circular_velocity(k, a):
    return np.sqrt(k / a)


@jit
def rv_pqw(k, p, ecc, nu):
    pqw = np.array(
        [[cos(nu), sin(nu), 0], [-sin(nu), ecc + cos(nu), 0]]
    ) * np.array([[p / (1 + ecc * cos(nu))], [sqrt(k / p)]])
    return pqw


@jit
def coe_rotation_matrix(inc, raan, argp):
    r = rotation_matrix(raan, 2)
    r = r @ rotation_matrix(inc, 0)
    r = r @ rotation_matrix(argp, 2)
    return r


@jit
def coe2rv(k, p, ecc, inc, raan, argp, nu):
    pqw = rv_pqw(k, p, ecc, nu)
    rm = coe_rotation_matrix(inc, raan, argp)

    ijk = pqw @ rm.T

    return ijk


@jit(parallel=sys.maxsize > 2**31)
def coe2rv_many(k, p, ecc, inc, raan, argp, nu):
    n = nu.shape[0]
    rr = np.zeros((n, 3))
    vv = np.zeros((n, 3))

    # Disabling pylint warning, see https://github.com/PyCQA/pylint/issues/2910
    for i in prange(n):  # pylint: disable=not-an-iterable
        rr[i, :], vv[i, :] = coe2rv(
            k[i], p[i], ecc[i], inc[i], raan[i], argp[i], nu[i]
        )

    return rr, vv


@jit
def coe2mee(p, ecc, inc, raan, argp, nu):
    if inc == np.pi:
        raise ValueError(
            "Cannot compute modified equinoctial set for 180 degrees orbit inclination due to `h` and `k` singularity."
        )

    lonper = raan + argp
    f = ecc * np.cos(lonper)
    g = ecc * np.sin(lonper)
    h = np.tan(inc / 2) * np.cos(raan)
    k = np.tan(inc / 2) * np.sin(raan)
    L = lonper + nu
    return p, f, g, h, k, L


@jit
def rv2coe(k, r, v, tol=1e-8):
    h = cross(r, v)
    n = cross([0, 0, 1], h)
    e = ((v @ v - k / norm(r)) * r - (r @ v) * v) / k
    ecc = norm(e)
    p = (h @ h) / k
    inc = np.arccos(h[2] / norm(h))

    circular = ecc < tol
    equatorial = abs(inc) < tol

    if equatorial and not circular:
        raan = 0
        argp = np.arctan2(e[1], e[0]) % (2 * np.pi)  # Longitude of periapsis
        nu = np.arctan2((h @ cross(e, r)) / norm(h), r @ e)
    elif not equatorial and circular:
        raan = np.arctan2(n[1], n[0]) % (2 * np.pi)
        argp = 0
        # Argument of latitude
        nu = np.arctan2((r @ cross(h, n)) / norm(h), r @ n)
    elif equatorial and circular:
        raan = 0
        argp = 0
        nu = np.arctan2(r[1], r[0]) % (2 * np.pi)  # True longitude
    else:
        a = p / (1 - (ecc**2))
        ka = k * a
        if a > 0:
            e_se = (r @ v) / sqrt(ka)
            e_ce = norm(r) * (v @ v) / k - 1
            nu = E_to_nu(np.arctan2(e_se, e_ce), ecc)
        else:
            e_sh = (r @ v) / sqrt(-ka)
            e_ch = norm(r) * (norm(v) ** 2) / k - 1
            nu = F_to_nu(np.log((e_ch + e_sh) / (e_ch - e_sh)) / 2, ecc)

        raan = np.arctan2(n[1], n[0]) % (2 * np.pi)
        px = r @ n
        py = (r @ cross(h, n)) / norm(h)
        argp = (np.arctan2(py, px) - nu) % (2 * np.pi)

    nu = (nu + np.pi) % (2 * np.pi) - np.pi

    return p, ecc, inc, raan, argp, nu


@jit
def mee2coe(p, f, g, h, k, L):
    ecc = np.sqrt(f**2 + g**2)
    inc = 2 * np.arctan(np.sqrt(h**2 + k**2))
    lonper = np.arctan2(g, f)
    raan = np.arctan2(k, h) % (2 * np.pi)
    argp = (lonper - raan) % (2 * np.pi)
    nu = (L - lonper) % (2 * np.pi)
    return p, ecc, inc, raan, argp, nu


@jit
def mee2rv(p, f, g, h, k, L):
    w = 1 + f * np.cos(L) + g * np.sin(L)
    r = p / w
    s2 = 1 + h**2 + k**2
    alpha2 = h**2 - k**2

    rx = (r / s2)(np.cos(L) + alpha2**2 * np.cos(L) + 2 * h * k * np.sin(L))
    ry = (r / s2)(np.sin(L) - alpha2**2 * np.sin(L) + 2 * h * k * np.cos(L))
    rz = (2 * r / s2)(h * np.sin(L) - k * np.cos(L))

    vx = (
        (-1 / s2)
        * (np.sqrt(k / p))
        * (
            np.sin(L)
            + alpha2 * np.sin(L)
            - 2 * h * k * np.cos(L)
            + g
            - 2 * f * h * k
            + alpha2 * g
        )
    )
    vy = (
        (-1 / s2)
        * (np.sqrt(k / p))
        * (
            -np.cos(L)
            + alpha2 * np.cos(L)
            + 2 * h * k * np.sin(L)
            - f
            + 2 * g * h * k
            + alpha2 * f
        )
    )
    vz = (
        (2 / s2)
        * (np.sqrt(k / p))
        * (h * np.cos(L) + k * np.sin(L) + f * h + g * k)
    )

    return np.array([rx, ry, rz]), np.array([vx, vy, vz])


# --- poliastro/poliastro src/poliastro/core/iod.py


@jit
def vallado(k, r0, r, tof, M, prograde, lowpath, numiter, rtol):
    # TODO: expand for the multi-revolution case.
    # Issue: https://github.com/poliastro/poliastro/issues/858
    if M > 0:
        raise NotImplementedError(
            "Multi-revolution scenario not supported for Vallado. See issue https://github.com/poliastro/poliastro/issues/858"
        )

    t_m = 1 if prograde else -1

    norm_r0 = norm(r0)
    norm_r = norm(r)
    norm_r0_times_norm_r = norm_r0 * norm_r
    norm_r0_plus_norm_r = norm_r0 + norm_r

    cos_dnu = (r0 @ r) / norm_r0_times_norm_r

    A = t_m * (norm_r * norm_r0 * (1 + cos_dnu)) ** 0.5

    if A == 0.0:
        raise RuntimeError("Cannot compute orbit, phase angle is 180 degrees")

    psi = 0.0
    psi_low = -4 * np.pi**2
    psi_up = 4 * np.pi**2

    count = 0

    while count < numiter:
        y = norm_r0_plus_norm_r + A * (psi * c3(psi) - 1) / c2(psi) ** 0.5
        if A > 0.0:
            # Readjust xi_low until y > 0.0
            # Translated directly from Vallado
            while y < 0.0:
                psi_low = psi
                psi = (
                    0.8
                    * (1.0 / c3(psi))
                    * (1.0 - norm_r0_times_norm_r * np.sqrt(c2(psi)) / A)
                )
                y = (
                    norm_r0_plus_norm_r
                    + A * (psi * c3(psi) - 1) / c2(psi) ** 0.5
                )

        xi = np.sqrt(y / c2(psi))
        tof_new = (xi**3 * c3(psi) + A * np.sqrt(y)) / np.sqrt(k)

        # Convergence check
        if np.abs((tof_new - tof) / tof) < rtol:
            break
        count += 1
        # Bisection check
        condition = tof_new <= tof
        psi_low = psi_low + (psi - psi_low) * condition
        psi_up = psi_up + (psi - psi_up) * (not condition)

        psi = (psi_up + psi_low) / 2
    else:
        raise RuntimeError("Maximum number of iterations reached")

    f = 1 - y / norm_r0
    g = A * np.sqrt(y / k)

    gdot = 1 - y / norm_r

    v0 = (r - f * r0) / g
    v = (gdot * r - r0) / g

    return v0, v


@jit
def izzo(k, r1, r2, tof, M, prograde, lowpath, numiter, rtol):
    # Check preconditions
    assert tof > 0
    assert k > 0

    # Check collinearity of r1 and r2
    if not cross(r1, r2).any():
        raise ValueError(
            "Lambert solution cannot be computed for collinear vectors"
        )

    # Chord
    c = r2 - r1
    c_norm, r1_norm, r2_norm = norm(c), norm(r1), norm(r2)

    # Semiperimeter
    s = (r1_norm + r2_norm + c_norm) * 0.5

    # Versors
    i_r1, i_r2 = r1 / r1_norm, r2 / r2_norm
    i_h = cross(i_r1, i_r2)
    i_h = i_h / norm(i_h)  # Fixed from paper

    # Geometry of the problem
    ll = np.sqrt(1 - min(1.0, c_norm / s))

    # Compute the fundamental tangential directions
    if i_h[2] < 0:
        ll = -ll
        i_t1, i_t2 = cross(i_r1, i_h), cross(i_r2, i_h)
    else:
        i_t1, i_t2 = cross(i_h, i_r1), cross(i_h, i_r2)

    # Correct transfer angle parameter and tangential vectors if required
    ll, i_t1, i_t2 = (ll, i_t1, i_t2) if prograde else (-ll, -i_t1, -i_t2)

    # Non dimensional time of flight
    T = np.sqrt(2 * k / s**3) * tof

    # Find solutions
    x, y = _find_xy(ll, T, M, numiter, lowpath, rtol)

    # Reconstruct
    gamma = np.sqrt(k * s / 2)
    rho = (r1_norm - r2_norm) / c_norm
    sigma = np.sqrt(1 - rho**2)

    # Compute the radial and tangential components at r0 and r
    V_r1, V_r2, V_t1, V_t2 = _reconstruct(
        x, y, r1_norm, r2_norm, ll, gamma, rho, sigma
    )

    # Solve for the initial and final velocity
    v1 = V_r1 * (r1 / r1_norm) + V_t1 * i_t1
    v2 = V_r2 * (r2 / r2_norm) + V_t2 * i_t2

    return v1, v2


@jit
def _reconstruct(x, y, r1, r2, ll, gamma, rho, sigma):
    V_r1 = gamma * ((ll * y - x) - rho * (ll * y + x)) / r1
    V_r2 = -gamma * ((ll * y - x) + rho * (ll * y + x)) / r2
    V_t1 = gamma * sigma * (y + ll * x) / r1
    V_t2 = gamma * sigma * (y + ll * x) / r2
    return V_r1, V_r2, V_t1, V_t2


@jit
def _find_xy(ll, T, M, numiter, lowpath, rtol):
    # For abs(ll) == 1 the derivative is not continuous
    assert abs(ll) < 1
    assert T > 0  # Mistake in the original paper

    M_max = np.floor(T / pi)
    T_00 = np.arccos(ll) + ll * np.sqrt(1 - ll**2)  # T_xM

    # Refine maximum number of revolutions if necessary
    if T < T_00 + M_max * pi and M_max > 0:
        _, T_min = _compute_T_min(ll, M_max, numiter, rtol)
        if T < T_min:
            M_max -= 1

    # Check if a feasible solution exist for the given number of revolutions
    # This departs from the original paper in that we do not compute all solutions
    if M > M_max:
        raise ValueError("No feasible solution, try lower M")

    # Initial guess
    x_0 = _initial_guess(T, ll, M, lowpath)

    # Start Householder iterations from x_0 and find x, y
    x = _householder(x_0, T, ll, M, rtol, numiter)
    y = _compute_y(x, ll)

    return x, y


@jit
def _compute_y(x, ll):
    return np.sqrt(1 - ll**2 * (1 - x**2))


@jit
def _compute_psi(x, y, ll):
    if -1 <= x < 1:
        # Elliptic motion
        # Use arc cosine to avoid numerical errors
        return np.arccos(x * y + ll * (1 - x**2))
    elif x > 1:
        # Hyperbolic motion
        # The hyperbolic sine is bijective
        return np.arcsinh((y - x * ll) * np.sqrt(x**2 - 1))
    else:
        # Parabolic motion
        return 0.0


@jit
def _tof_equation(x, T0, ll, M):
    return _tof_equation_y(x, _compute_y(x, ll), T0, ll, M)


@jit
def _tof_equation_y(x, y, T0, ll, M):
    if M == 0 and np.sqrt(0.6) < x < np.sqrt(1.4):
        eta = y - ll * x
        S_1 = (1 - ll - x * eta) * 0.5
        Q = 4 / 3 * hyp2f1b(S_1)
        T_ = (eta**3 * Q + 4 * ll * eta) * 0.5
    else:
        psi = _compute_psi(x, y, ll)
        T_ = np.divide(
            np.divide(psi + M * pi, np.sqrt(np.abs(1 - x**2))) - x + ll * y,
            (1 - x**2),
        )

    return T_ - T0


@jit
def _tof_equation_p(x, y, T, ll):
    # TODO: What about derivatives when x approaches 1?
    return (3 * T * x - 2 + 2 * ll**3 * x / y) / (1 - x**2)


@jit
def _tof_equation_p2(x, y, T, dT, ll):
    return (3 * T + 5 * x * dT + 2 * (1 - ll**2) * ll**3 / y**3) / (
        1 - x**2
    )


@jit
def _tof_equation_p3(x, y, _, dT, ddT, ll):
    return (
        7 * x * ddT + 8 * dT - 6 * (1 - ll**2) * ll**5 * x / y**5
    ) / (1 - x**2)


@jit
def _compute_T_min(ll, M, numiter, rtol):
    if ll == 1:
        x_T_min = 0.0
        T_min = _tof_equation(x_T_min, 0.0, ll, M)
    else:
        if M == 0:
            x_T_min = np.inf
            T_min = 0.0
        else:
            # Set x_i > 0 to avoid problems at ll = -1
            x_i = 0.1
            T_i = _tof_equation(x_i, 0.0, ll, M)
            x_T_min = _halley(x_i, T_i, ll, rtol, numiter)
            T_min = _tof_equation(x_T_min, 0.0, ll, M)

    return x_T_min, T_min


@jit
def _initial_guess(T, ll, M, lowpath):
    if M == 0:
        # Single revolution
        T_0 = np.arccos(ll) + ll * np.sqrt(1 - ll**2) + M * pi  # Equation 19
        T_1 = 2 * (1 - ll**3) / 3  # Equation 21
        if T >= T_0:
            x_0 = (T_0 / T) ** (2 / 3) - 1
        elif T < T_1:
            x_0 = 5 / 2 * T_1 / T * (T_1 - T) / (1 - ll**5) + 1
        else:
            # This is the real condition, which is not exactly equivalent
            # elif T_1 < T < T_0
            # Corrected initial guess,
            # piecewise equation right after expression (30) in the original paper is incorrect
            # See https://github.com/poliastro/poliastro/issues/1362
            x_0 = np.exp(np.log(2) * np.log(T / T_0) / np.log(T_1 / T_0)) - 1

        return x_0
    else:
        # Multiple revolution
        x_0l = (((M * pi + pi) / (8 * T)) ** (2 / 3) - 1) / (
            ((M * pi + pi) / (8 * T)) ** (2 / 3) + 1
        )
        x_0r = (((8 * T) / (M * pi)) ** (2 / 3) - 1) / (
            ((8 * T) / (M * pi)) ** (2 / 3) + 1
        )

        # Select one of the solutions according to desired type of path
        x_0 = (
            np.max(np.array([x_0l, x_0r]))
            if lowpath
            else np.min(np.array([x_0l, x_0r]))
        )

        return x_0


@jit
def _halley(p0, T0, ll, tol, maxiter):
    for ii in range(maxiter):
        y = _compute_y(p0, ll)
        fder = _tof_equation_p(p0, y, T0, ll)
        fder2 = _tof_equation_p2(p0, y, T0, fder, ll)
        if fder2 == 0:
            raise RuntimeError("Derivative was zero")
        fder3 = _tof_equation_p3(p0, y, T0, fder, fder2, ll)

        # Halley step (cubic)
        p = p0 - 2 * fder * fder2 / (2 * fder2**2 - fder * fder3)

        if abs(p - p0) < tol:
            return p
        p0 = p

    raise RuntimeError("Failed to converge")


@jit
def _householder(p0, T0, ll, M, tol, maxiter):
    for ii in range(maxiter):
        y = _compute_y(p0, ll)
        fval = _tof_equation_y(p0, y, T0, ll, M)
        T = fval + T0
        fder = _tof_equation_p(p0, y, T, ll)
        fder2 = _tof_equation_p2(p0, y, T, fder, ll)
        fder3 = _tof_equation_p3(p0, y, T, fder, fder2, ll)

        # Householder step (quartic)
        p = p0 - fval * (
            (fder**2 - fval * fder2 / 2)
            / (fder * (fder**2 - fval * fder2) + fder3 * fval**2 / 6)
        )

        if abs(p - p0) < tol:
            return p
        p0 = p

    raise RuntimeError("Failed to converge")


# --- poliastro/poliastro src/poliastro/core/propagation/farnocchia.py


@jit
def _kepler_equation_near_parabolic(D, M, ecc):
    return D_to_M_near_parabolic(D, ecc) - M


@jit
def _kepler_equation_prime_near_parabolic(D, M, ecc):
    x = (ecc - 1.0) / (ecc + 1.0) * (D**2)
    assert abs(x) < 1
    S = dS_x_alt(ecc, x)
    return (
        np.sqrt(2.0 / (1.0 + ecc))
        + np.sqrt(2.0 / (1.0 + ecc) ** 3) * (D**2) * S
    )


@jit
def S_x(ecc, x, atol=1e-12):
    assert abs(x) < 1
    S = 0
    k = 0
    while True:
        S_old = S
        S += (ecc - 1 / (2 * k + 3)) * x**k
        k += 1
        if abs(S - S_old) < atol:
            return S


@jit
def dS_x_alt(ecc, x, atol=1e-12):
    # Notice that this is not exactly
    # the partial derivative of S with respect to D,
    # but the result of arranging the terms
    # in section 4.2 of Farnocchia et al. 2013
    assert abs(x) < 1
    S = 0
    k = 0
    while True:
        S_old = S
        S += (ecc - 1 / (2 * k + 3)) * (2 * k + 3) * x**k
        k += 1
        if abs(S - S_old) < atol:
            return S


@jit
def d2S_x_alt(ecc, x, atol=1e-12):
    # Notice that this is not exactly
    # the second partial derivative of S with respect to D,
    # but the result of arranging the terms
    # in section 4.2 of Farnocchia et al. 2013
    # Also, notice that we are not using this function yet
    assert abs(x) < 1
    S = 0
    k = 0
    while True:
        S_old = S
        S += (ecc - 1 / (2 * k + 3)) * (2 * k + 3) * (2 * k + 2) * x**k
        k += 1
        if abs(S - S_old) < atol:
            return S


@jit
def D_to_M_near_parabolic(D, ecc):
    x = (ecc - 1.0) / (ecc + 1.0) * (D**2)
    assert abs(x) < 1
    S = S_x(ecc, x)
    return (
        np.sqrt(2.0 / (1.0 + ecc)) * D
        + np.sqrt(2.0 / (1.0 + ecc) ** 3) * (D**3) * S
    )


@jit
def M_to_D_near_parabolic(M, ecc, tol=1.48e-08, maxiter=50):
    D0 = M_to_D(M)

    for _ in range(maxiter):
        fval = _kepler_equation_near_parabolic(D0, M, ecc)
        fder = _kepler_equation_prime_near_parabolic(D0, M, ecc)

        newton_step = fval / fder
        D = D0 - newton_step
        if abs(D - D0) < tol:
            return D

        D0 = D

    return np.nan


@jit
def delta_t_from_nu(nu, ecc, k=1.0, q=1.0, delta=1e-2):
    assert -np.pi <= nu < np.pi
    if ecc < 1 - delta:
        # Strong elliptic
        E = nu_to_E(nu, ecc)  # (-pi, pi]
        M = E_to_M(E, ecc)  # (-pi, pi]
        n = np.sqrt(k * (1 - ecc) ** 3 / q**3)
    elif 1 - delta <= ecc < 1:
        E = nu_to_E(nu, ecc)  # (-pi, pi]
        if delta <= 1 - ecc * np.cos(E):
            # Strong elliptic
            M = E_to_M(E, ecc)  # (-pi, pi]
            n = np.sqrt(k * (1 - ecc) ** 3 / q**3)
        else:
            # Near parabolic
            D = nu_to_D(nu)  # (-∞, ∞)
            # If |nu| is far from pi this result is bounded
            # because the near parabolic region shrinks in its vicinity,
            # otherwise the eccentricity is very close to 1
            # and we are really far away
            M = D_to_M_near_parabolic(D, ecc)
            n = np.sqrt(k / (2 * q**3))
    elif ecc == 1:
        # Parabolic
        D = nu_to_D(nu)  # (-∞, ∞)
        M = D_to_M(D)  # (-∞, ∞)
        n = np.sqrt(k / (2 * q**3))
    elif 1 + ecc * np.cos(nu) < 0:
        # Unfeasible region
        return np.nan
    elif 1 < ecc <= 1 + delta:
        # NOTE: Do we need to wrap nu here?
        # For hyperbolic orbits, it should anyway be in
        # (-arccos(-1 / ecc), +arccos(-1 / ecc))
        F = nu_to_F(nu, ecc)  # (-∞, ∞)
        if delta <= ecc * np.cosh(F) - 1:
            # Strong hyperbolic
            M = F_to_M(F, ecc)  # (-∞, ∞)
            n = np.sqrt(k * (ecc - 1) ** 3 / q**3)
        else:
            # Near parabolic
            D = nu_to_D(nu)  # (-∞, ∞)
            M = D_to_M_near_parabolic(D, ecc)  # (-∞, ∞)
            n = np.sqrt(k / (2 * q**3))
    elif 1 + delta < ecc:
        # Strong hyperbolic
        F = nu_to_F(nu, ecc)  # (-∞, ∞)
        M = F_to_M(F, ecc)  # (-∞, ∞)
        n = np.sqrt(k * (ecc - 1) ** 3 / q**3)
    else:
        raise RuntimeError

    return M / n


@jit
def nu_from_delta_t(delta_t, ecc, k=1.0, q=1.0, delta=1e-2):
    if ecc < 1 - delta:
        # Strong elliptic
        n = np.sqrt(k * (1 - ecc) ** 3 / q**3)
        M = n * delta_t
        # This might represent several revolutions,
        # so we wrap the true anomaly
        E = M_to_E((M + np.pi) % (2 * np.pi) - np.pi, ecc)
        nu = E_to_nu(E, ecc)
    elif 1 - delta <= ecc < 1:
        E_delta = np.arccos((1 - delta) / ecc)
        # We compute M assuming we are in the strong elliptic case
        # and verify later
        n = np.sqrt(k * (1 - ecc) ** 3 / q**3)
        M = n * delta_t
        # We check against abs(M) because E_delta could also be negative
        if E_to_M(E_delta, ecc) <= abs(M):
            # Strong elliptic, proceed
            # This might represent several revolutions,
            # so we wrap the true anomaly
            E = M_to_E((M + np.pi) % (2 * np.pi) - np.pi, ecc)
            nu = E_to_nu(E, ecc)
        else:
            # Near parabolic, recompute M
            n = np.sqrt(k / (2 * q**3))
            M = n * delta_t
            D = M_to_D_near_parabolic(M, ecc)
            nu = D_to_nu(D)
    elif ecc == 1:
        # Parabolic
        n = np.sqrt(k / (2 * q**3))
        M = n * delta_t
        D = M_to_D(M)
        nu = D_to_nu(D)
    elif 1 < ecc <= 1 + delta:
        F_delta = np.arccosh((1 + delta) / ecc)
        # We compute M assuming we are in the strong hyperbolic case
        # and verify later
        n = np.sqrt(k * (ecc - 1) ** 3 / q**3)
        M = n * delta_t
        # We check against abs(M) because F_delta could also be negative
        if F_to_M(F_delta, ecc) <= abs(M):
            # Strong hyperbolic, proceed
            F = M_to_F(M, ecc)
            nu = F_to_nu(F, ecc)
        else:
            # Near parabolic, recompute M
            n = np.sqrt(k / (2 * q**3))
            M = n * delta_t
            D = M_to_D_near_parabolic(M, ecc)
            nu = D_to_nu(D)
    # elif 1 + delta < ecc:
    else:
        # Strong hyperbolic
        n = np.sqrt(k * (ecc - 1) ** 3 / q**3)
        M = n * delta_t
        F = M_to_F(M, ecc)
        nu = F_to_nu(F, ecc)

    return nu


@jit
def farnocchia_coe(k, p, ecc, inc, raan, argp, nu, tof):
    q = p / (1 + ecc)

    delta_t0 = delta_t_from_nu(nu, ecc, k, q)
    delta_t = delta_t0 + tof

    return nu_from_delta_t(delta_t, ecc, k, q)


@jit
def farnocchia_rv(k, r0, v0, tof):
    # get the initial true anomaly and orbit parameters that are constant over time
    p, ecc, inc, raan, argp, nu0 = rv2coe(k, r0, v0)
    nu = farnocchia_coe(k, p, ecc, inc, raan, argp, nu0, tof)

    return coe2rv(k, p, ecc, inc, raan, argp, nu)


# --- poliastro/poliastro src/poliastro/core/propagation/vallado.py


@jit
def vallado_propagate(k, r0, v0, tof, numiter):  # renamed: iod.vallado above
    # Cache some results
    dot_r0v0 = r0 @ v0
    norm_r0 = norm(r0)
    sqrt_mu = k**0.5
    alpha = -(v0 @ v0) / k + 2 / norm_r0

    # First guess
    if alpha > 0:
        # Elliptic orbit
        xi_new = sqrt_mu * tof * alpha
    elif alpha < 0:
        # Hyperbolic orbit
        xi_new = (
            np.sign(tof)
            * (-1 / alpha) ** 0.5
            * np.log(
                (-2 * k * alpha * tof)
                / (
                    dot_r0v0
                    + np.sign(tof)
                    * np.sqrt(-k / alpha)
                    * (1 - norm_r0 * alpha)
                )
            )
        )
    else:
        # Parabolic orbit
        # (Conservative initial guess)
        xi_new = sqrt_mu * tof / norm_r0

    # Newton-Raphson iteration on the Kepler equation
    count = 0
    while count < numiter:
        xi = xi_new
        psi = xi * xi * alpha
        c2_psi = c2(psi)
        c3_psi = c3(psi)
        norm_r = (
            xi * xi * c2_psi
            + dot_r0v0 / sqrt_mu * xi * (1 - psi * c3_psi)
            + norm_r0 * (1 - psi * c2_psi)
        )
        xi_new = (
            xi
            + (
                sqrt_mu * tof
                - xi * xi * xi * c3_psi
                - dot_r0v0 / sqrt_mu * xi * xi * c2_psi
                - norm_r0 * xi * (1 - psi * c3_psi)
            )
            / norm_r
        )
        if abs(xi_new - xi) < 1e-7:
            break
        else:
            count += 1
    else:
        raise RuntimeError("Maximum number of iterations reached")

    # Compute Lagrange coefficients
    f = 1 - xi**2 / norm_r0 * c2_psi
    g = tof - xi**3 / sqrt_mu * c3_psi

    gdot = 1 - xi**2 / norm_r * c2_psi
    fdot = sqrt_mu / (norm_r * norm_r0) * xi * (psi * c3_psi - 1)

    return f, g, fdot, gdot



# --- poliastro/poliastro src/poliastro/core/propagation/danby.py


@jit
def danby_coe(k, p, ecc, inc, raan, argp, nu, tof, numiter=20, rtol=1e-8):
    semi_axis_a = p / (1 - ecc**2)
    n = np.sqrt(k / np.abs(semi_axis_a) ** 3)

    if ecc == 0:
        # Solving for circular orbit
        M0 = nu  # for circular orbit M = E = nu
        M = M0 + n * tof
        nu = M - 2 * np.pi * np.floor(M / 2 / np.pi)
        return nu

    elif ecc < 1.0:
        # For elliptical orbit
        M0 = E_to_M(nu_to_E(nu, ecc), ecc)
        M = M0 + n * tof
        xma = M - 2 * np.pi * np.floor(M / 2 / np.pi)
        E = xma + 0.85 * np.sign(np.sin(xma)) * ecc

    else:
        # For parabolic and hyperbolic
        M0 = F_to_M(nu_to_F(nu, ecc), ecc)
        M = M0 + n * tof
        xma = M - 2 * np.pi * np.floor(M / 2 / np.pi)
        E = np.log(2 * xma / ecc + 1.8)

    # Iterations begin
    n = 0
    while n <= numiter:
        if ecc < 1.0:
            s = ecc * np.sin(E)
            c = ecc * np.cos(E)
            f = E - s - xma
            fp = 1 - c
            fpp = s
            fppp = c
        else:
            s = ecc * np.sinh(E)
            c = ecc * np.cosh(E)
            f = s - E - xma
            fp = c - 1
            fpp = s
            fppp = c

        if np.abs(f) <= rtol:
            if ecc < 1.0:
                sta = np.sqrt(1 - ecc**2) * np.sin(E)
                cta = np.cos(E) - ecc
            else:
                sta = np.sqrt(ecc**2 - 1) * np.sinh(E)
                cta = ecc - np.cosh(E)

            nu = np.arctan2(sta, cta)
            break
        else:
            delta = -f / fp
            delta_star = -f / (fp + 0.5 * delta * fpp)
            deltak = -f / (
                fp + 0.5 * delta_star * fpp + delta_star**2 * fppp / 6
            )
            E = E + deltak
            n += 1
    else:
        raise ValueError("Maximum number of iterations has been reached.")

    return nu


@jit
def danby(k, r0, v0, tof, numiter=20, rtol=1e-8):
    # Solve first for eccentricity and mean anomaly
    p, ecc, inc, raan, argp, nu = rv2coe(k, r0, v0)
    nu = danby_coe(k, p, ecc, inc, raan, argp, nu, tof, numiter, rtol)

    return coe2rv(k, p, ecc, inc, raan, argp, nu)


# --- poliastro/poliastro src/poliastro/core/propagation/gooding.py


@jit
def gooding_coe(k, p, ecc, inc, raan, argp, nu, tof, numiter=150, rtol=1e-8):
    # TODO: parabolic and hyperbolic not implemented cases
    if ecc >= 1.0:
        raise NotImplementedError(
            "Parabolic/Hyperbolic cases still not implemented in gooding."
        )

    M0 = E_to_M(nu_to_E(nu, ecc), ecc)
    semi_axis_a = p / (1 - ecc**2)
    n = np.sqrt(k / np.abs(semi_axis_a) ** 3)
    M = M0 + n * tof

    # Start the computation
    n = 0
    c = ecc * np.cos(M)
    s = ecc * np.sin(M)
    psi = s / np.sqrt(1 - 2 * c + ecc**2)
    f = 1.0
    while f**2 >= rtol and n <= numiter:
        xi = np.cos(psi)
        eta = np.sin(psi)
        fd = (1 - c * xi) + s * eta
        fdd = c * eta + s * xi
        f = psi - fdd
        psi = psi - f * fd / (fd**2 - 0.5 * f * fdd)
        n += 1

    E = M + psi
    return E_to_nu(E, ecc)


@jit
def gooding(k, r0, v0, tof, numiter=150, rtol=1e-8):
    # Solve first for eccentricity and mean anomaly
    p, ecc, inc, raan, argp, nu = rv2coe(k, r0, v0)
    nu = gooding_coe(k, p, ecc, inc, raan, argp, nu, tof, numiter, rtol)

    return coe2rv(k, p, ecc, inc, raan, argp, nu)


# --- poliastro/poliastro src/poliastro/core/propagation/markley.py


@jit
def markley_coe(k, p, ecc, inc, raan, argp, nu, tof):
    M0 = E_to_M(nu_to_E(nu, ecc), ecc)
    a = p / (1 - ecc**2)
    n = np.sqrt(k / a**3)
    M = M0 + n * tof

    # Range between -pi and pi
    M = (M + np.pi) % (2 * np.pi) - np.pi

    # Equation (20)
    alpha = (3 * np.pi**2 + 1.6 * (np.pi - np.abs(M)) / (1 + ecc)) / (
        np.pi**2 - 6
    )

    # Equation (5)
    d = 3 * (1 - ecc) + alpha * ecc

    # Equation (9)
    q = 2 * alpha * d * (1 - ecc) - M**2

    # Equation (10)
    r = 3 * alpha * d * (d - 1 + ecc) * M + M**3

    # Equation (14)
    w = (np.abs(r) + np.sqrt(q**3 + r**2)) ** (2 / 3)

    # Equation (15)
    E = (2 * r * w / (w**2 + w * q + q**2) + M) / d

    # Equation (26)
    f0 = _kepler_equation(E, M, ecc)
    f1 = _kepler_equation_prime(E, M, ecc)
    f2 = ecc * np.sin(E)
    f3 = ecc * np.cos(E)
    f4 = -f2

    # Equation (22)
    delta3 = -f0 / (f1 - 0.5 * f0 * f2 / f1)
    delta4 = -f0 / (f1 + 0.5 * delta3 * f2 + 1 / 6 * delta3**2 * f3)
    delta5 = -f0 / (
        f1
        + 0.5 * delta4 * f2
        + 1 / 6 * delta4**2 * f3
        + 1 / 24 * delta4**3 * f4
    )

    E += delta5
    nu = E_to_nu(E, ecc)

    return nu


@jit
def markley(k, r0, v0, tof):
    # Solve first for eccentricity and mean anomaly
    p, ecc, inc, raan, argp, nu = rv2coe(k, r0, v0)
    nu = markley_coe(k, p, ecc, inc, raan, argp, nu, tof)

    return coe2rv(k, p, ecc, inc, raan, argp, nu)


# --- poliastro/poliastro src/poliastro/core/propagation/mikkola.py


@jit
def mikkola_coe(k, p, ecc, inc, raan, argp, nu, tof):
    a = p / (1 - ecc**2)
    n = np.sqrt(k / np.abs(a) ** 3)

    # Solve for specific geometrical case
    if ecc < 1.0:
        # Equation (9a)
        alpha = (1 - ecc) / (4 * ecc + 1 / 2)
        M0 = E_to_M(nu_to_E(nu, ecc), ecc)
    else:
        alpha = (ecc - 1) / (4 * ecc + 1 / 2)
        M0 = F_to_M(nu_to_F(nu, ecc), ecc)

    M = M0 + n * tof
    beta = M / 2 / (4 * ecc + 1 / 2)

    # Equation (9b)
    if beta >= 0:
        z = (beta + np.sqrt(beta**2 + alpha**3)) ** (1 / 3)
    else:
        z = (beta - np.sqrt(beta**2 + alpha**3)) ** (1 / 3)

    s = z - alpha / z

    # Apply initial correction
    if ecc < 1.0:
        ds = -0.078 * s**5 / (1 + ecc)
    else:
        ds = 0.071 * s**5 / (1 + 0.45 * s**2) / (1 + 4 * s**2) / ecc

    s += ds

    # Solving for the true anomaly
    if ecc < 1.0:
        E = M + ecc * (3 * s - 4 * s**3)
        f = E - ecc * np.sin(E) - M
        f1 = 1.0 - ecc * np.cos(E)
        f2 = ecc * np.sin(E)
        f3 = ecc * np.cos(E)
        f4 = -f2
        f5 = -f3
    else:
        E = 3 * np.log(s + np.sqrt(1 + s**2))
        f = -E + ecc * np.sinh(E) - M
        f1 = -1.0 + ecc * np.cosh(E)
        f2 = ecc * np.sinh(E)
        f3 = ecc * np.cosh(E)
        f4 = f2
        f5 = f3

    # Apply Taylor expansion
    u1 = -f / f1
    u2 = -f / (f1 + 0.5 * f2 * u1)
    u3 = -f / (f1 + 0.5 * f2 * u2 + (1.0 / 6.0) * f3 * u2**2)
    u4 = -f / (
        f1
        + 0.5 * f2 * u3
        + (1.0 / 6.0) * f3 * u3**2
        + (1.0 / 24.0) * f4 * (u3**3)
    )
    u5 = -f / (
        f1
        + f2 * u4 / 2
        + f3 * (u4 * u4) / 6.0
        + f4 * (u4 * u4 * u4) / 24.0
        + f5 * (u4 * u4 * u4 * u4) / 120.0
    )

    E += u5

    if ecc < 1.0:
        nu = E_to_nu(E, ecc)
    else:
        if ecc == 1.0:
            # Parabolic
            nu = D_to_nu(E)
        else:
            # Hyperbolic
            nu = F_to_nu(E, ecc)

    return nu


@jit
def mikkola(k, r0, v0, tof, rtol=None):
    # Solving for the classical elements
    p, ecc, inc, raan, argp, nu = rv2coe(k, r0, v0)
    nu = mikkola_coe(k, p, ecc, inc, raan, argp, nu, tof)

    return coe2rv(k, p, ecc, inc, raan, argp, nu)


# --- poliastro/poliastro src/poliastro/core/propagation/pimienta.py


@jit
def pimienta_coe(k, p, ecc, inc, raan, argp, nu, tof):
    q = p / (1 + ecc)

    # TODO: Do something to allow parabolic and hyperbolic orbits?
    n = np.sqrt(k * (1 - ecc) ** 3 / q**3)
    M0 = E_to_M(nu_to_E(nu, ecc), ecc)

    M = M0 + n * tof

    # Equation (32a), (32b), (32c) and (32d)
    c3 = 5 / 2 + 560 * ecc
    a = 15 * (1 - ecc) / c3
    b = -M / c3
    y = np.sqrt(b**2 / 4 + a**3 / 27)

    # Equation (33)
    x_bar = (-b / 2 + y) ** (1 / 3) - (b / 2 + y) ** (1 / 3)

    # Coefficients from equations (34a) and (34b)
    c15 = 3003 / 14336 + 16384 * ecc
    c13 = 3465 / 13312 - 61440 * ecc
    c11 = 945 / 2816 + 92160 * ecc
    c9 = 175 / 384 - 70400 * ecc
    c7 = 75 / 112 + 28800 * ecc
    c5 = 9 / 8 - 6048 * ecc

    # Precompute x_bar powers, equations (35a) to (35d)
    x_bar2 = x_bar**2
    x_bar3 = x_bar2 * x_bar
    x_bar4 = x_bar3 * x_bar
    x_bar5 = x_bar4 * x_bar
    x_bar6 = x_bar5 * x_bar
    x_bar7 = x_bar6 * x_bar
    x_bar8 = x_bar7 * x_bar
    x_bar9 = x_bar8 * x_bar
    x_bar10 = x_bar9 * x_bar
    x_bar11 = x_bar10 * x_bar
    x_bar12 = x_bar11 * x_bar
    x_bar13 = x_bar12 * x_bar
    x_bar14 = x_bar13 * x_bar
    x_bar15 = x_bar14 * x_bar

    # Function f and its derivatives are given by all the (36) equation set
    f = (
        c15 * x_bar15
        + c13 * x_bar13
        + c11 * x_bar11
        + c9 * x_bar9
        + c7 * x_bar7
        + c5 * x_bar5
        + c3 * x_bar3
        + 15 * (1 - ecc) * x_bar
        - M
    )
    f1 = (
        15 * c15 * x_bar14
        + 13 * c13 * x_bar12
        + 11 * c11 * x_bar10
        + 9 * c9 * x_bar8
        + 7 * c7 * x_bar6
        + 5 * c5 * x_bar4
        + 3 * c3 * x_bar2
        + 15 * (1 - ecc)
    )
    f2 = (
        210 * c15 * x_bar13
        + 156 * c13 * x_bar11
        + 110 * c11 * x_bar9
        + 72 * c9 * x_bar7
        + 42 * c7 * x_bar5
        + 20 * c5 * x_bar3
        + 6 * c3 * x_bar
    )
    f3 = (
        2730 * c15 * x_bar12
        + 1716 * c13 * x_bar10
        + 990 * c11 * x_bar8
        + 504 * c9 * x_bar6
        + 210 * c7 * x_bar4
        + 60 * c5 * x_bar2
        + 6 * c3
    )
    f4 = (
        32760 * c15 * x_bar11
        + 17160 * c13 * x_bar9
        + 7920 * c11 * x_bar7
        + 3024 * c9 * x_bar5
        + 840 * c7 * x_bar3
        + 120 * c5 * x_bar
    )
    f5 = (
        360360 * c15 * x_bar10
        + 154440 * c13 * x_bar8
        + 55440 * c11 * x_bar6
        + 15120 * c9 * x_bar4
        + 2520 * c7 * x_bar2
        + 120 * c5
    )
    f6 = (
        3603600 * c15 * x_bar9
        + 1235520 * c13 * x_bar7
        + 332640 * c11 * x_bar5
        + 60480 * c9 * x_bar3
        + 5040 * c7 * x_bar
    )
    f7 = (
        32432400 * c15 * x_bar8
        + 8648640 * c13 * x_bar6
        + 1663200 * c11 * x_bar4
        + 181440 * c9 * x_bar2
        + 5040 * c7
    )
    f8 = (
        259459200 * c15 * x_bar7
        + 51891840 * c13 * x_bar5
        + 6652800 * c11 * x_bar3
        + 362880 * c9 * x_bar
    )
    f9 = (
        1.8162144e9 * c15 * x_bar6
        + 259459200 * c13 * x_bar4
        + 19958400 * c11 * x_bar2
        + 362880 * c9
    )
    f10 = (
        1.08972864e10 * c15 * x_bar5
        + 1.0378368e9 * c13 * x_bar3
        + 39916800 * c11 * x_bar
    )
    f11 = (
        5.4486432e10 * c15 * x_bar4
        + 3.1135104e9 * c13 * x_bar2
        + 39916800 * c11
    )
    f12 = 2.17945728e11 * c15 * x_bar3 + 6.2270208e9 * c13 * x_bar
    f13 = 6.53837184 * c15 * x_bar2 + 6.2270208e9 * c13
    f14 = 1.307674368e12 * c15 * x_bar
    f15 = 1.307674368e12 * c15

    # Solving g parameters defined by equations (37a), (37b), (37c) and (37d)
    g1 = 1 / 2
    g2 = 1 / 6
    g3 = 1 / 24
    g4 = 1 / 120
    g5 = 1 / 720
    g6 = 1 / 5040
    g7 = 1 / 40320
    g8 = 1 / 362880
    g9 = 1 / 3628800
    g10 = 1 / 39916800
    g11 = 1 / 479001600
    g12 = 1 / 6.2270208e9
    g13 = 1 / 8.71782912e10
    g14 = 1 / 1.307674368e12

    # Solving for the u_{i} and h_{i} variables defined by equation (38)
    u1 = -f / f1

    h2 = f1 + g1 * u1 * f2
    u2 = -f / h2

    h3 = f1 + g1 * u2 * f2 + g2 * u2**2 * f3
    u3 = -f / h3

    h4 = f1 + g1 * u3 * f2 + g2 * u3**2 * f3 + g3 * u3**3 * f4
    u4 = -f / h4

    h5 = (
        f1
        + g1 * u4 * f2
        + g2 * u4**2 * f3
        + g3 * u4**3 * f4
        + g4 * u4**4 * f5
    )
    u5 = -f / h5

    h6 = (
        f1
        + g1 * u5 * f2
        + g2 * u5**2 * f3
        + g3 * u5**3 * f4
        + g4 * u5**4 * f5
        + g5 * u5**5 * f6
    )
    u6 = -f / h6

    h7 = (
        f1
        + g1 * u6 * f2
        + g2 * u6**2 * f3
        + g3 * u6**3 * f4
        + g4 * u6**4 * f5
        + g5 * u6**5 * f6
        + g6 * u6**6 * f7
    )
    u7 = -f / h7

    h8 = (
        f1
        + g1 * u7 * f2
        + g2 * u7**2 * f3
        + g3 * u7**3 * f4
        + g4 * u7**4 * f5
        + g5 * u7**5 * f6
        + g6 * u7**6 * f7
        + g7 * u7**7 * f8
    )
    u8 = -f / h8

    h9 = (
        f1
        + g1 * u8 * f2
        + g2 * u8**2 * f3
        + g3 * u8**3 * f4
        + g4 * u8**4 * f5
        + g5 * u8**5 * f6
        + g6 * u8**6 * f7
        + g7 * u8**7 * f8
        + g8 * u8**8 * f9
    )
    u9 = -f / h9

    h10 = (
        f1
        + g1 * u9 * f2
        + g2 * u9**2 * f3
        + g3 * u9**3 * f4
        + g4 * u9**4 * f5
        + g5 * u9**5 * f6
        + g6 * u9**6 * f7
        + g7 * u9**7 * f8
        + g8 * u9**8 * f9
        + g9 * u9**9 * f10
    )
    u10 = -f / h10

    h11 = (
        f1
        + g1 * u10 * f2
        + g2 * u10**2 * f3
        + g3 * u10**3 * f4
        + g4 * u10**4 * f5
        + g5 * u10**5 * f6
        + g6 * u10**6 * f7
        + g7 * u10**7 * f8
        + g8 * u10**8 * f9
        + g9 * u10**9 * f10
        + g10 * u10**10 * f11
    )
    u11 = -f / h11

    h12 = (
        f1
        + g1 * u11 * f2
        + g2 * u11**2 * f3
        + g3 * u11**3 * f4
        + g4 * u11**4 * f5
        + g5 * u11**5 * f6
        + g6 * u11**6 * f7
        + g7 * u11**7 * f8
        + g8 * u11**8 * f9
        + g9 * u11**9 * f10
        + g10 * u11**10 * f11
        + g11 * u11**11 * f12
    )
    u12 = -f / h12

    h13 = (
        f1
        + g1 * u12 * f2
        + g2 * u12**2 * f3
        + g3 * u12**3 * f4
        + g4 * u12**4 * f5
        + g5 * u12**5 * f6
        + g6 * u12**6 * f7
        + g7 * u12**7 * f8
        + g8 * u12**8 * f9
        + g9 * u12**9 * f10
        + g10 * u12**10 * f11
        + g11 * u12**11 * f12
        + g12 * u12**12 * f13
    )
    u13 = -f / h13

    h14 = (
        f1
        + g1 * u13 * f2
        + g2 * u13**2 * f3
        + g3 * u13**3 * f4
        + g4 * u13**4 * f5
        + g5 * u13**5 * f6
        + g6 * u13**6 * f7
        + g7 * u13**7 * f8
        + g8 * u13**8 * f9
        + g9 * u13**9 * f10
        + g10 * u13**10 * f11
        + g11 * u13**11 * f12
        + g12 * u13**12 * f13
        + g13 * u13**13 * f14
    )
    u14 = -f / h14

    h15 = (
        f1
        + g1 * u14 * f2
        + g2 * u14**2 * f3
        + g3 * u14**3 * f4
        + g4 * u14**4 * f5
        + g5 * u14**5 * f6
        + g6 * u14**6 * f7
        + g7 * u14**7 * f8
        + g8 * u14**8 * f9
        + g9 * u14**9 * f10
        + g10 * u14**10 * f11
        + g11 * u14**11 * f12
        + g12 * u14**12 * f13
        + g13 * u14**13 * f14
        + g14 * u14**14 * f15
    )
    u15 = -f / h15

    # Solving for x
    x = x_bar + u15
    w = x - 0.01171875 * x**17 / (1 + ecc)

    # Solving for the true anomaly from eccentricity anomaly
    E = M + ecc * (
        -16384 * w**15
        + 61440 * w**13
        - 92160 * w**11
        + 70400 * w**9
        - 28800 * w**7
        + 6048 * w**5
        - 560 * w**3
        + 15 * w
    )

    return E_to_nu(E, ecc)


@jit
def pimienta(k, r0, v0, tof):
    # TODO: implement hyperbolic case

    # Solve first for eccentricity and mean anomaly
    p, ecc, inc, raan, argp, nu = rv2coe(k, r0, v0)
    nu = pimienta_coe(k, p, ecc, inc, raan, argp, nu, tof)

    return coe2rv(k, p, ecc, inc, raan, argp, nu)


# --- poliastro/poliastro src/poliastro/core/propagation/recseries.py


@jit
def recseries_coe(
    k,
    p,
    ecc,
    inc,
    raan,
    argp,
    nu,
    tof,
    method="rtol",
    order=8,
    numiter=100,
    rtol=1e-8,
):
    # semi-major axis
    semi_axis_a = p / (1 - ecc**2)
    # mean angular motion
    n = np.sqrt(k / np.abs(semi_axis_a) ** 3)

    if ecc == 0:
        # Solving for circular orbit

        # compute initial mean anoamly
        M0 = nu  # For circular orbit (M = E = nu)
        # final mean anaomaly
        M = M0 + n * tof
        # snapping anomaly to [0,pi] range
        nu = M - 2 * np.pi * np.floor(M / 2 / np.pi)

        return nu

    elif ecc < 1.0:
        # Solving for elliptical orbit

        # compute initial mean anoamly
        M0 = E_to_M(nu_to_E(nu, ecc), ecc)
        # final mean anaomaly
        M = M0 + n * tof
        # snapping anomaly to [0,pi] range
        M = M - 2 * np.pi * np.floor(M / 2 / np.pi)

        # set recursion iteration
        if method == "rtol":
            Niter = numiter
        elif method == "order":
            Niter = order
        else:
            raise ValueError(
                "Unknown recursion termination method ('rtol','order')."
            )

        # compute eccentric anomaly through recursive series
        E = M + ecc  # Using initial guess from vallado to improve convergence
        for i in range(0, Niter):
            En = M + ecc * np.sin(E)
            # check for break condition
            if method == "rtol" and (abs(En - E) / abs(E)) < rtol:
                break
            E = En

        return E_to_nu(E, ecc)

    else:
        # Parabolic/Hyperbolic orbits are not supported
        raise ValueError("Parabolic/Hyperbolic orbits not supported.")

    return nu


@jit
def recseries(k, r0, v0, tof, method="rtol", order=8, numiter=100, rtol=1e-8):
    # Solve first for eccentricity and mean anomaly
    p, ecc, inc, raan, argp, nu = rv2coe(k, r0, v0)
    nu = recseries_coe(
        k, p, ecc, inc, raan, argp, nu, tof, method, order, numiter, rtol
    )

    return coe2rv(k, p, ecc, inc, raan, argp, nu)


# --- poliastro/poliastro src/poliastro/core/propagation/base.py


@jit
def func_twobody(t0, u_, k):
    x, y, z, vx, vy, vz = u_
    r3 = (x**2 + y**2 + z**2) ** 1.5

    du = np.array([vx, vy, vz, -k * x / r3, -k * y / r3, -k * z / r3])
    return du


# --- poliastro/poliastro src/poliastro/core/maneuver.py


@jit
def hohmann(k, rv, r_f):
    _, ecc, inc, raan, argp, nu = rv2coe(k, *rv)
    h_i = norm(cross(*rv))
    p_i = h_i**2 / k

    r_i, v_i = rv_pqw(k, p_i, ecc, nu)

    r_i = norm(r_i)
    v_i = norm(v_i)
    a_trans = (r_i + r_f) / 2

    dv_a = np.sqrt(2 * k / r_i - k / a_trans) - v_i
    dv_b = np.sqrt(k / r_f) - np.sqrt(2 * k / r_f - k / a_trans)

    dv_a = np.array([0, dv_a, 0])
    dv_b = np.array([0, -dv_b, 0])

    rot_matrix = coe_rotation_matrix(inc, raan, argp)

    dv_a = rot_matrix @ dv_a
    dv_b = rot_matrix @ dv_b

    t_trans = np.pi * np.sqrt(a_trans**3 / k)

    return dv_a, dv_b, t_trans


@jit
def bielliptic(k, r_b, r_f, rv):
    _, ecc, inc, raan, argp, nu = rv2coe(k, *rv)
    h_i = norm(cross(*rv))
    p_i = h_i**2 / k

    r_i, v_i = rv_pqw(k, p_i, ecc, nu)

    r_i = norm(r_i)
    v_i = norm(v_i)
    a_trans1 = (r_i + r_b) / 2
    a_trans2 = (r_b + r_f) / 2

    dv_a = np.sqrt(2 * k / r_i - k / a_trans1) - v_i
    dv_b = np.sqrt(2 * k / r_b - k / a_trans2) - np.sqrt(
        2 * k / r_b - k / a_trans1
    )
    dv_c = np.sqrt(k / r_f) - np.sqrt(2 * k / r_f - k / a_trans2)

    dv_a = np.array([0, dv_a, 0])
    dv_b = np.array([0, -dv_b, 0])
    dv_c = np.array([0, dv_c, 0])

    rot_matrix = coe_rotation_matrix(inc, raan, argp)

    dv_a = rot_matrix @ dv_a
    dv_b = rot_matrix @ dv_b
    dv_c = rot_matrix @ dv_c

    t_trans1 = np.pi * np.sqrt(a_trans1**3 / k)
    t_trans2 = np.pi * np.sqrt(a_trans2**3 / k)

    return dv_a, dv_b, dv_c, t_trans1, t_trans2


@jit
def correct_pericenter(k, R, J2, max_delta_r, v, a, inc, ecc):
    p = a * (1 - ecc**2)
    n = (k / a**3) ** 0.5

    dw = ((3 * n * R**2 * J2) / (4 * p**2)) * (4 - 5 * np.sin(inc) ** 2)

    delta_w = 2 * (1 + ecc) * max_delta_r
    delta_w /= a * ecc * (1 - ecc)
    delta_w **= 0.5
    delta_t = abs(delta_w / dw)
    delta_v = 0.5 * n * a * ecc * abs(delta_w)

    vf_ = v / norm(v) * delta_v

    return delta_t, vf_


# --- poliastro/poliastro src/poliastro/core/flybys.py


@jit
def compute_flyby(v_spacecraft, v_body, k, r_p, theta):
    v_inf_1 = v_spacecraft - v_body  # Hyperbolic excess velocity
    v_inf = norm(v_inf_1)

    ecc = 1 + r_p * v_inf**2 / k  # Eccentricity of the entry hyperbola
    delta = 2 * np.arcsin(1 / ecc)  # Turn angle

    b = k / v_inf**2 * np.sqrt(ecc**2 - 1)  # Magnitude of the B vector

    # Now we compute the unit vectors in which to return the outbound hyperbolic excess velocity:
    # * S goes along the hyperbolic excess velocity and is perpendicular to the B-Plane,
    # * T goes along the B-Plane and is parallel to _some_ fundamental plane - in this case, the plane in which
    #   the velocities are computed
    # * R completes the orthonormal set
    S_vec = v_inf_1 / v_inf
    c_vec = np.array([0, 0, 1])
    T_vec = cross(S_vec, c_vec)
    T_vec = T_vec / norm(T_vec)
    R_vec = cross(S_vec, T_vec)

    # This vector defines the B-Plane
    B_vec = b * (np.cos(theta) * T_vec + np.sin(theta) * R_vec)

    # We have to rotate the inbound hyperbolic excess velocity
    # an angle delta (turn angle) around a vector that is orthogonal to
    # the B-Plane and trajectory plane
    rot_v = cross(B_vec / b, S_vec)

    # And now we rotate the outbound hyperbolic excess velocity
    # u_vec = v_inf_1 / norm(v_inf) = S_vec
    v_vec = cross(rot_v, v_inf_1)
    v_vec = v_vec / norm(v_vec)

    v_inf_2 = v_inf * (np.cos(delta) * S_vec + np.sin(delta) * v_vec)

    v_spacecraft_out = v_inf_2 + v_body

    return v_spacecraft_out, delta


# --- poliastro/poliastro src/poliastro/core/events.py


@jit
def eclipse_function(k, u_, r_sec, R_sec, R_primary, umbra=True):
    # Plus or minus condition
    pm = 1 if umbra else -1
    p, ecc, inc, raan, argp, nu = rv2coe(k, u_[:3], u_[3:])

    PQW = coe_rotation_matrix(inc, raan, argp)
    # Make arrays contiguous for faster dot product with numba.
    P_, Q_ = np.ascontiguousarray(PQW[:, 0]), np.ascontiguousarray(PQW[:, 1])

    r_sec_norm = norm(r_sec)
    beta = (P_ @ r_sec) / r_sec_norm
    zeta = (Q_ @ r_sec) / r_sec_norm

    sin_delta_shadow = np.sin((R_sec - pm * R_primary) / r_sec_norm)

    cos_psi = beta * np.cos(nu) + zeta * np.sin(nu)
    shadow_function = (
        ((R_primary**2) * (1 + ecc * np.cos(nu)) ** 2)
        + (p**2) * (cos_psi**2)
        - p**2
        + pm
        * (2 * p * R_primary * cos_psi)
        * (1 + ecc * np.cos(nu))
        * sin_delta_shadow
    )

    return shadow_function


@jit
def line_of_sight(r1, r2, R):
    r1_norm = norm(r1)
    r2_norm = norm(r2)

    theta = np.arccos((r1 @ r2) / r1_norm / r2_norm)
    theta_1 = np.arccos(R / r1_norm)
    theta_2 = np.arccos(R / r2_norm)

    return (theta_1 + theta_2) - theta


@jit
def elevation_function(k, u_, phi, theta, R, R_p, H):
    ecc = np.sqrt(1 - (R_p / R) ** 2)
    denom = np.sqrt(1 - ecc**2 * np.sin(phi) ** 2)
    g1 = H + (R / denom)
    g2 = H + (1 - ecc**2) * R / denom
    # Coordinates of location on attractor.
    coords = np.array(
        [
            g1 * np.cos(phi) * np.cos(theta),
            g1 * np.cos(phi) * np.sin(theta),
            g2 * np.sin(phi),
        ]
    )

    # Position of satellite with respect to a point on attractor.
    rho = np.subtract(u_[:3], coords)

    rot_matrix = planetocentric_to_AltAz(theta, phi)

    new_rho = rot_matrix @ rho
    new_rho = new_rho / np.linalg.norm(new_rho)
    el = np.arcsin(new_rho[-1])

    return el


# --- poliastro/poliastro src/poliastro/core/perturbations.py

line_of_sight_fast = line_of_sight  # as perturbations.py imports it

@jit
def J2_perturbation(t0, state, k, J2, R):
    r_vec = state[:3]
    r = norm(r_vec)

    factor = (3.0 / 2.0) * k * J2 * (R**2) / (r**5)

    a_x = 5.0 * r_vec[2] ** 2 / r**2 - 1
    a_y = 5.0 * r_vec[2] ** 2 / r**2 - 1
    a_z = 5.0 * r_vec[2] ** 2 / r**2 - 3
    return np.array([a_x, a_y, a_z]) * r_vec * factor


@jit
def J3_perturbation(t0, state, k, J3, R):
    r_vec = state[:3]
    r = norm(r_vec)

    factor = (1.0 / 2.0) * k * J3 * (R**3) / (r**5)
    cos_phi = r_vec[2] / r

    a_x = 5.0 * r_vec[0] / r * (7.0 * cos_phi**3 - 3.0 * cos_phi)
    a_y = 5.0 * r_vec[1] / r * (7.0 * cos_phi**3 - 3.0 * cos_phi)
    a_z = 3.0 * (35.0 / 3.0 * cos_phi**4 - 10.0 * cos_phi**2 + 1)
    return np.array([a_x, a_y, a_z]) * factor


@jit
def atmospheric_drag_exponential(t0, state, k, R, C_D, A_over_m, H0, rho0):
    H = norm(state[:3])

    v_vec = state[3:]
    v = norm(v_vec)
    B = C_D * A_over_m
    rho = rho0 * np.exp(-(H - R) / H0)

    return -(1.0 / 2.0) * rho * B * v * v_vec


@jit
def atmospheric_drag(t0, state, k, C_D, A_over_m, rho):
    v_vec = state[3:]
    v = norm(v_vec)
    B = C_D * A_over_m

    return -(1.0 / 2.0) * rho * B * v * v_vec


def third_body(t0, state, k, k_third, perturbation_body):
    body_r = perturbation_body(t0)
    delta_r = body_r - state[:3]
    return (
        k_third * delta_r / norm(delta_r) ** 3
        - k_third * body_r / norm(body_r) ** 3
    )


def radiation_pressure(t0, state, k, R, C_R, A_over_m, Wdivc_s, star):
    r_star = star(t0)
    r_sat = state[:3]
    P_s = Wdivc_s / (norm(r_star) ** 2)

    nu = float(line_of_sight_fast(r_sat, r_star, R) > 0)
    return -nu * P_s * (C_R * A_over_m) * r_star / norm(r_star)


# --- poliastro/poliastro src/poliastro/core/spheroid_location.py


@jit
def cartesian_cords(a, c, lon, lat, h):
    e2 = 1 - (c / a) ** 2
    N = a / np.sqrt(1 - e2 * np.sin(lat) ** 2)

    x = (N + h) * np.cos(lat) * np.cos(lon)
    y = (N + h) * np.cos(lat) * np.sin(lon)
    z = ((1 - e2) * N + h) * np.sin(lat)
    return x, y, z


@jit
def f(a, c):
    return 1 - c / a


@jit
def N(a, b, c, cartesian_cords):
    x, y, z = cartesian_cords
    N = np.array([2 * x / a**2, 2 * y / b**2, 2 * z / c**2])
    N /= norm(N)
    return N


@jit
def tangential_vecs(N):
    u = np.array([1.0, 0, 0])
    u -= (u @ N) * N
    u /= norm(u)
    v = np.cross(N, u)

    return u, v


@jit
def radius_of_curvature(a, c, lat):
    e2 = 1 - (c / a) ** 2
    rc = a * (1 - e2) / (1 - e2 * np.sin(lat) ** 2) ** 1.5
    return rc


@jit
def distance(cartesian_cords, px, py, pz):
    c = cartesian_cords
    u = np.array([px, py, pz])
    d = norm(c - u)
    return d


@jit
def is_visible(cartesian_cords, px, py, pz, N):
    c = cartesian_cords
    u = np.array([px, py, pz])

    d = -(N @ c)
    p = (N @ u) + d
    return p >= 0


@jit
def cartesian_to_ellipsoidal(a, c, x, y, z):
    e2 = 1 - (c / a) ** 2
    e2_ = e2 / (1 - e2)
    p = np.sqrt(x**2 + y**2)
    th = np.arctan(z * a / (p * c))
    lon = np.arctan2(
        y, x
    )  # Use `arctan2` so that lon lies in the range: [-pi, +pi]
    lat = np.arctan(
        (z + e2_ * c * np.sin(th) ** 3) / (p - e2 * a * np.cos(th) ** 3)
    )

    v = a / np.sqrt(1 - e2 * np.sin(lat) ** 2)
    h = (
        np.sqrt(x**2 + y**2) / np.cos(lat) - v
        if lat < abs(1e-18)  # to avoid errors very close and at zero
        else z / np.sin(lat) - (1 - e2) * v
    )

    return lon, lat, h


# --- poliastro/poliastro src/poliastro/core/sensors.py


@jit
def min_and_max_ground_range(h, η_fov, η_center, R):
    r_sat = R + h
    η_max = η_center + η_fov / 2
    η_min = η_center - η_fov / 2
    γ_max = np.arcsin(r_sat * np.sin(η_max) / R)

    if abs(γ_max) <= np.pi / 2:
        γ_max = np.pi - γ_max
    γ_min = np.arcsin(r_sat * np.sin(η_min) / R)
    if abs(γ_min) <= np.pi / 2:
        γ_min = np.pi - γ_min

    # Maximum and minimum slant ranges
    ρ_max = R * np.cos(γ_max) + r_sat * np.cos(η_max)
    ρ_min = R * np.cos(γ_min) + r_sat * np.cos(η_min)
    Λ_max = np.arcsin(ρ_max * np.sin(η_max) / R)
    Λ_min = np.arcsin(ρ_min * np.sin(η_min) / R)

    return Λ_min, Λ_max


@jit
def ground_range_diff_at_azimuth(h, η_fov, η_center, β, φ_nadir, λ_nadir, R):
    if not 0 <= β < np.pi:
        raise ValueError("beta must be between 0º and 180º")

    r_sat = R + h
    γ = np.arcsin(r_sat * np.sin(η_center) / R)
    if abs(γ) <= np.pi / 2:
        γ = np.pi - γ

    ρ = R * np.cos(γ) + r_sat * np.cos(η_center)
    Λ = np.arcsin(ρ * np.sin(η_center) / R)
    φ_tgt = np.arcsin(
        np.cos(β) * np.cos(φ_nadir) * np.sin(Λ) + np.sin(φ_nadir) * np.cos(Λ)
    )
    delta_Λ = np.arcsin(np.sin(β) * np.sin(Λ) / np.cos(φ_tgt))
    λ_tgt = λ_nadir + delta_Λ
    Λ_min, Λ_max = min_and_max_ground_range(h, η_fov, η_center, R)
    delta_λ = (Λ_max - Λ_min) / 2

    return delta_λ, φ_tgt, λ_tgt


# --- poliastro/poliastro src/poliastro/core/czml_utils.py


@jit
def intersection_ellipsoid_line(x, y, z, u1, u2, u3, a, b, c):
    # Get rid of one parameter by translating the line's direction vector
    k, m = u2 / u1, u3 / u1
    t0 = (
        -(a**2) * b**2 * m * z
        - a**2 * c**2 * k * y
        - b**2 * c**2 * x
        + np.sqrt(
            a**2
            * b**2
            * c**2
            * (
                a**2 * b**2 * m**2
                + a**2 * c**2 * k**2
                - a**2 * k**2 * z**2
                + 2 * a**2 * k * m * y * z
                - a**2 * m**2 * y**2
                + b**2 * c**2
                - b**2 * m**2 * x**2
                + 2 * b**2 * m * x * z
                - b**2 * z**2
                - c**2 * k**2 * x**2
                + 2 * c**2 * k * x * y
                - c**2 * y**2
            )
        )
    ) / (a**2 * b**2 * m**2 + a**2 * c**2 * k**2 + b**2 * c**2)
    t1 = (
        a**2 * b**2 * m * z
        + a**2 * c**2 * k * y
        + b**2 * c**2 * x
        + np.sqrt(
            a**2
            * b**2
            * c**2
            * (
                a**2 * b**2 * m**2
                + a**2 * c**2 * k**2
                - a**2 * k**2 * z**2
                + 2 * a**2 * k * m * y * z
                - a**2 * m**2 * y**2
                + b**2 * c**2
                - b**2 * m**2 * x**2
                + 2 * b**2 * m * x * z
                - b**2 * z**2
                - c**2 * k**2 * x**2
                + 2 * c**2 * k * x * y
                - c**2 * y**2
            )
        )
    ) / (a**2 * b**2 * m**2 + a**2 * c**2 * k**2 + b**2 * c**2)
    p0, p1 = np.array([x + t0, y + k * t0, z + m * t0]), np.array(
        [x - t1, y - t1 * k, z - t1 * m]
    )

    return p0, p1


@jit
def project_point_on_ellipsoid(x, y, z, a, b, c):
    p1, p2 = intersection_ellipsoid_line(x, y, z, x, y, z, a, b, c)

    norm_1 = norm(np.array([p1[0] - x, p1[1] - y, p1[2] - z]))
    norm_2 = norm(np.array([p2[0] - x, p2[1] - y, p2[2] - z]))

    return p1 if norm_1 <= norm_2 else p2



# --- poliastro/poliastro src/poliastro/core/fixed.py


@jit
def sun_rot_elements_at_epoch(T, d):
    ra = 286.13
    dec = 63.87
    W = 84.176 + 14.1844000 * d

    return ra, dec, W


@jit
def mercury_rot_elements_at_epoch(T, d):
    M1 = np.deg2rad(174.7910857 + 4.092335 * d)
    M2 = np.deg2rad(349.5821714 + 8.184670 * d)
    M3 = np.deg2rad(164.3732571 + 12.277005 * d)
    M4 = np.deg2rad(339.1643429 + 16.369340 * d)
    M5 = np.deg2rad(153.9554286 + 20.461675 * d)
    ra = 281.0103 - 0.0328 * T
    dec = 61.45 - 0.005 * T
    W = (329.5988 + 6.1385108 * d) + (
        0.01067257 * np.sin(M1)
        - 0.00112309 * np.sin(M2)
        - 0.00011040 * np.sin(M3)
        - 0.00002539 * np.sin(M4)
        - 0.00000571 * np.sin(M5)
    )

    return ra, dec, W


@jit
def venus_rot_elements_at_epoch(T, d):
    ra = 272.76
    dec = 67.16
    W = 160.20 - 1.4813688 * d

    return ra, dec, W


@jit
def mars_rot_elements_at_epoch(T, d):
    M1 = np.deg2rad(198.991226 + 19139.4819985 * T)
    M2 = np.deg2rad(226.292679 + 38280.8511281 * T)
    M3 = np.deg2rad(249.663391 + 57420.7251593 * T)
    M4 = np.deg2rad(266.183510 + 76560.6367950 * T)
    M5 = np.deg2rad(79.398797 + 0.5042615 * T)

    ra = (
        317.269202
        - 0.10927547 * T
        + 0.000068 * np.sin(M1)
        + 0.000238 * np.sin(M2)
        + 0.000052 * np.sin(M3)
        + 0.000009 * np.sin(M4)
        + 0.419057 * np.sin(M5)
    )

    K1 = np.deg2rad(122.433576 + 19139.9407476 * T)
    K2 = np.deg2rad(43.058401 + 38280.8753272 * T)
    K3 = np.deg2rad(57.663379 + 57420.7517205 * T)
    K4 = np.deg2rad(79.476401 + 76560.6495004 * T)
    K5 = np.deg2rad(166.325722 + 0.5042615 * T)

    dec = (
        54.432516
        - 0.05827105 * T
        + 0.000051 * np.cos(K1)
        + 0.000141 * np.cos(K2)
        + 0.000031 * np.cos(K3)
        + 0.000005 * np.cos(K4)
        + 1.591274 * np.cos(K5)
    )

    J1 = np.deg2rad(129.071773 + 19140.0328244 * T)
    J2 = np.deg2rad(36.352167 + 38281.0473591 * T)
    J3 = np.deg2rad(56.668646 + 57420.9295360 * T)
    J4 = np.deg2rad(67.364003 + 76560.2552215 * T)
    J5 = np.deg2rad(104.792680 + 95700.4387578 * T)
    J6 = np.deg2rad(95.391654 + 0.5042615 * T)

    W = (
        176.049863
        + 350.891982443297 * d
        + 0.000145 * np.sin(J1)
        + 0.000157 * np.sin(J2)
        + 0.000040 * np.sin(J3)
        + 0.000001 * np.sin(J4)
        + 0.000001 * np.sin(J5)
        + 0.584542 * np.sin(J6)
    )

    return ra, dec, W


@jit
def jupiter_rot_elements_at_epoch(T, d):
    Ja = np.deg2rad(99.360714 + 4850.4046 * T)
    Jb = np.deg2rad(175.895369 + 1191.9605 * T)
    Jc = np.deg2rad(300.323162 + 262.5475 * T)
    Jd = np.deg2rad(114.012305 + 6070.2476 * T)
    Je = np.deg2rad(49.511251 + 64.3000 * T)

    ra = (
        268.056595
        - 0.006499 * T
        + 0.000117 * np.sin(Ja)
        + 0.000938 * np.sin(Jb)
        + 0.001432 * np.sin(Jc)
        + 0.000030 * np.sin(Jd)
        + 0.002150 * np.sin(Je)
    )
    dec = (
        64.495303
        + 0.002413 * T
        + 0.000050 * np.cos(Ja)
        + 0.000404 * np.cos(Jb)
        + 0.000617 * np.cos(Jc)
        - 0.000013 * np.cos(Jd)
        + 0.000926 * np.cos(Je)
    )
    W = 284.95 + 870.536 * d

    return ra, dec, W


@jit
def saturn_rot_elements_at_epoch(T, d):
    ra = 40.589 - 0.036 * T
    dec = 83.537 - 0.004 * T
    W = 38.90 + 810.7939024 * d

    return ra, dec, W


@jit
def uranus_rot_elements_at_epoch(T, d):
    ra = 257.311
    dec = -15.175
    W = 203.81 - 501.1600928 * d

    return ra, dec, W


@jit
def neptune_rot_elements_at_epoch(T, d):
    N = np.deg2rad(357.85 + 52.316 * T)

    ra = 299.36 + 0.70 * np.sin(N)
    dec = 43.46 - 0.51 * np.cos(N)
    W = 249.978 + 541.1397757 * d - 0.48 * np.sin(N)

    return ra, dec, W


@jit
def moon_rot_elements_at_epoch(T, d):
    E1 = np.deg2rad(125.045 - 0.0529921 * d)
    E2 = np.deg2rad(250.089 - 0.1059842 * d)
    E3 = np.deg2rad(260.008 + 13.0120009 * d)
    E4 = np.deg2rad(176.625 + 13.3407154 * d)
    E5 = np.deg2rad(357.529 + 0.9856003 * d)
    E6 = np.deg2rad(311.589 + 26.4057084 * d)
    E7 = np.deg2rad(134.963 + 13.0649930 * d)
    E8 = np.deg2rad(276.617 + 0.3287146 * d)
    E9 = np.deg2rad(34.226 + 1.7484877 * d)
    E10 = np.deg2rad(15.134 - 0.1589763 * d)
    E11 = np.deg2rad(119.743 + 0.0036096 * d)
    E12 = np.deg2rad(239.961 + 0.1643573 * d)
    E13 = np.deg2rad(25.053 + 12.9590088 * d)

    ra = (
        269.9949
        + 0.0031 * T
        - 3.8787 * np.sin(E1)
        - 0.1204 * np.sin(E2)
        + 0.0700 * np.sin(E3)
        - 0.0172 * np.sin(E4)
        + 0.0072 * np.sin(E6)
        - 0.0052 * np.sin(E10)
        + 0.0043 * np.sin(E13)
    )
    dec = (
        66.5392
        + 0.0130 * T
        + 1.5419 * np.cos(E1)
        + 0.0239 * np.cos(E2)
        - 0.0278 * np.cos(E3)
        + 0.0068 * np.cos(E4)
        - 0.0029 * np.cos(E6)
        + 0.0009 * np.cos(E7)
        + 0.0008 * np.cos(E10)
        - 0.0009 * np.cos(E13)
    )
    W = (
        38.3213
        + 13.17635815 * d
        - 1.4e-12 * d**2
        + 3.5610 * np.sin(E1)
        + 0.1208 * np.sin(E2)
        - 0.0642 * np.sin(E3)
        + 0.0158 * np.sin(E4)
        + 0.0252 * np.sin(E5)
        - 0.0066 * np.sin(E6)
        - 0.0047 * np.sin(E7)
        - 0.0046 * np.sin(E8)
        + 0.0028 * np.sin(E9)
        + 0.0052 * np.sin(E10)
        + 0.0040 * np.sin(E11)
        + 0.0019 * np.sin(E12)
        - 0.0044 * np.sin(E13)
    )

    return ra, dec, W


# --- poliastro/poliastro src/poliastro/core/earth_atmosphere/util.py


@jit
def geometric_to_geopotential(z, r0):
    h = r0 * z / (r0 + z)
    return h


z_to_h = geometric_to_geopotential


@jit
def geopotential_to_geometric(h, r0):
    z = r0 * h / (r0 - h)
    return z


h_to_z = geopotential_to_geometric


@jit
def gravity(z, g0, r0):
    g = g0 * (r0 / (r0 + z)) ** 2
    return g


@jit
def _get_index(x, x_levels):
    for i, value in enumerate(x_levels):
        if i < len(x_levels) and value < x:
            continue
        elif x == value:
            return i
        else:
            return i - 1


@jit
def _check_altitude(alt, r0, geometric):
    # Get geometric and geopotential altitudes
    if geometric:
        z = alt
        h = z_to_h(z, r0)
    else:
        h = alt
        z = h_to_z(h, r0)

    return z, h


# --- poliastro/poliastro src/poliastro/core/earth_atmosphere/jacchia.py


# Following constants have been taken from the fortran implementation
pi2 = np.pi / 2
wm0 = 28.96
wmN2 = 28.0134
wmO2 = 31.9988
wmO = 15.9994
wmAr = 39.948
wmHe = 4.0026
wmH = 1.0079
qN2 = 0.78110
qO2 = 0.20955
qAr = 0.009343
qHe = 0.000005242
R0 = 6356.766
R = 8314.32  # Units: u.J / (u.kg * u.mol)


@jit
def _O_and_O2_correction(alt, Texo, Z, CN2, CO2, CO, CAr, CHe, CH, CM, WM):
    for iz in range(90, alt):
        CO2[iz] = CO2[iz] * (
            10.0 ** (-0.07 * (1.0 + np.tanh(0.18 * (Z[iz] - 111.0))))
        )
        CO[iz] = CO[iz] * (
            10.0 ** (-0.24 * np.exp(-0.009 * (Z[iz] - 97.7) ** 2))
        )
        CM[iz] = CN2[iz] + CO2[iz] + CO[iz] + CAr[iz] + CHe[iz] + CH[iz]
        WM[iz] = (
            wmN2 * CN2[iz]
            + wmO2 * CO2[iz]
            + wmO * CO[iz]
            + wmAr * CAr[iz]
            + wmHe * CHe[iz]
            + wmH * CH[iz]
        ) / CM[iz]


@jit
def _H_correction(alt, Texo, x, y, Z, CN2, CO2, CO, CAr, CHe, CH, CM, WM, T):
    phid00 = 10.0 ** (6.9 + 28.9 * Texo ** (-0.25)) / 2.0e20
    phid00 = phid00 * 5.24e2
    H_500 = 10.0 ** (-0.06 + 28.9 * Texo ** (-0.25))
    # print(alt)
    for iz in range(150, alt):
        phid0 = phid00 / np.sqrt(T[iz])
        WM[iz] = wmH * 0.5897446 * ((1.0 + Z[iz] / R0) ** (-2)) / T[iz] + phid0
        CM[iz] = CM[iz] * phid0

    y = WM[150]
    WM[150] = 0

    for iz in range(151, alt):
        x = WM[iz - 1] + (y + WM[iz])
        y = WM[iz]
        WM[iz] = x

    for iz in range(150, alt):
        WM[iz] = np.exp(WM[iz]) * (T[iz] / T[150]) ** 0.75
        CM[iz] = WM[iz] * CM[iz]

    y = CM[150]
    CM[150] = 0

    for iz in range(151, alt):
        x = CM[iz - 1] + 0.5 * (y + CM[iz])
        y = CM[iz]
        CM[iz] = x

    for iz in range(150, alt):
        CH[iz] = (WM[500] / WM[iz]) * (H_500 - (CM[iz] - CM[500]))

    for iz in range(150, alt):
        CM[iz] = CN2[iz] + CO2[iz] + CO[iz] + CAr[iz] + CHe[iz] + CH[iz]
        WM[iz] = (
            wmN2 * CN2[iz]
            + wmO2 * CO2[iz]
            + wmO * CO[iz]
            + wmAr * CAr[iz]
            + wmHe * CHe[iz]
            + wmH * CH[iz]
        ) / CM[iz]


@jit
def _altitude_profile(alt, Texo, x, y, E5M, E6P):
    # Raise Value Error if alt < 90 km or alt > 2500 km.
    if alt < 90 or 2500 < alt:
        raise ValueError(
            "Jacchia77 has been implemented in range 90km - 2500km."
        )

    alt = int(
        alt + 1
    )  # in fortran the upper limits are included. in python are not.
    Texo = int(Texo)

    Z = [0.0 for _ in range(alt)]
    T = [0.0 for _ in range(alt)]
    CN2 = [0.0 for _ in range(alt)]
    CO2 = [0.0 for _ in range(alt)]
    CO = [0.0 for _ in range(alt)]
    CAr = [0.0 for _ in range(alt)]
    CHe = [0.0 for _ in range(alt)]
    CH = [0.0 for _ in range(alt)]
    CM = [0.0 for _ in range(alt)]
    WM = [0.0 for _ in range(alt)]

    for iz in range(90, alt):
        Z[iz] = iz
        CH[iz] = 0

        if iz <= 90:
            T[iz] = 188
        elif Texo < 188.1:
            T[iz] = 188
        else:
            x = 0.0045 * (Texo - 188.0)
            Tx = 188 + 110.5 * np.log(x + np.sqrt(x * x + 1))
            Gx = pi2 * 1.9 * (Tx - 188.0) / (125.0 - 90.0)
            if iz <= 125:
                T[iz] = Tx + ((Tx - 188.0) / pi2) * np.arctan(
                    (Gx / (Tx - 188.0))
                    * (Z[iz] - 125.0)
                    * (1.0 + 1.7 * ((Z[iz] - 125.0) / (Z[iz] - 90.0)) ** 2)
                )
            else:
                T[iz] = Tx + ((Texo - Tx) / pi2) * np.arctan(
                    (Gx / (Texo - Tx))
                    * (Z[iz] - 125.0)
                    * (1.0 + 5.5e-5 * (Z[iz] - 125.0) ** 2)
                )
        if iz <= 100:
            x = iz - 90
            E5M[iz - 90] = 28.89122 + x * (
                -2.83071e-2
                + x
                * (
                    -6.59924e-3
                    + x * (-3.39574e-4 + x * (+6.19256e-5 + x * (-1.84796e-6)))
                )
            )
            if iz <= 90:
                E6P[0] = 7.145e13 * T[90]
            else:
                G0 = (1 + Z[iz - 1] / R0) ** (-2)
                G1 = (1 + Z[iz] / R0) ** (-2)
                E6P[iz - 90] = E6P[iz - 91] * np.exp(
                    -0.5897446
                    * (
                        G1 * E5M[iz - 90] / T[iz]
                        + G0 * E5M[iz - 91] / T[iz - 1]
                    )
                )

            x = E5M[iz - 90] / wm0
            y = E6P[iz - 90] / T[iz]

            CN2[iz] = qN2 * y * x
            CO[iz] = 2.0 * (1.0 - x) * y
            CO2[iz] = (x * (1.0 + qO2) - 1.0) * y
            CAr[iz] = qAr * y * x
            CHe[iz] = qHe * y * x
            CH[iz] = 0
        else:
            G0 = (1 + Z[iz - 1] / R0) ** (-2)
            G1 = (1 + Z[iz] / R0) ** (-2)

            x = 0.5897446 * (G1 / T[iz] + G0 / T[iz - 1])
            y = T[iz - 1] / T[iz]
            CN2[iz] = CN2[iz - 1] * y * np.exp(-wmN2 * x)
            CO2[iz] = CO2[iz - 1] * y * np.exp(-wmO2 * x)
            CO[iz] = CO[iz - 1] * y * np.exp(-wmO * x)
            CAr[iz] = CAr[iz - 1] * y * np.exp(-wmAr * x)
            CHe[iz] = CHe[iz - 1] * (y**0.62) * np.exp(-wmHe * x)
            CH[iz] = 0

    _O_and_O2_correction(alt, Texo, Z, CN2, CO2, CO, CAr, CHe, CH, CM, WM)

    if 500 <= alt:
        _H_correction(
            alt, Texo, x, y, Z, CN2, CO2, CO, CAr, CHe, CH, CM, WM, T
        )

    return (
        Z,
        T,
        np.array(CN2),
        np.array(CO2),
        np.array(CO),
        np.array(CAr),
        np.array(CHe),
        np.array(CH),
        np.array(CM),
        WM,
    )


# --- poliastro: tests

K_EARTH = 398600.4418


def random_vector(rng, scale):
    return rng.normal(size=3) * scale


def test_stumpff_and_hypergeometric_series():
    rng = np.random.default_rng(1)
    for psi in np.concatenate([rng.uniform(-60, 60, 20),
                               rng.uniform(-1, 1, 20), [0.0, 1.0, -1.0]]):
        agree(stumpff_c2, psi)
        agree(stumpff_c3, psi)
    for x in np.concatenate([rng.uniform(-1, 0.95, 20), [0.0, 1.0, 2.0]]):
        agree(hyp2f1b, x)


def test_rotation_matrices_and_spherical_coordinates():
    rng = np.random.default_rng(2)
    for axis in (0, 1, 2):
        agree(rotation_matrix, rng.uniform(-7, 7), axis)
        agree(rotation_matrix, rng.uniform(-7, 7, 4), axis)
        agree(rotation_matrix, rng.uniform(-7, 7, (2, 3)), axis)
    agree(rotation_matrix, 0.5, 3)             # the assert fails in both
    agree(spherical_to_cartesian, rng.uniform(0, 3, 3))
    agree(spherical_to_cartesian, rng.uniform(0, 3, (5, 3)))
    agree(spherical_to_cartesian, rng.uniform(0, 3, (2, 4, 3)))
    for theta, phi in rng.uniform(-3, 3, (5, 2)):
        agree(planetocentric_to_AltAz, theta, phi)


def test_alinspace_wraps_the_stop_angle():
    rng = np.random.default_rng(3)
    for start, stop in rng.uniform(-10, 10, (6, 2)):
        agree(alinspace, start)
        agree(alinspace, start, stop)
        agree(alinspace, start, stop, 7, False)
        agree(alinspace, start, None, 5, True)


def test_anomaly_conversions():
    rng = np.random.default_rng(4)
    for _ in range(15):
        nu = rng.uniform(-np.pi, np.pi)
        ecc = rng.uniform(0, 0.95)
        hyp = rng.uniform(1.05, 4.0)
        m = rng.uniform(-3 * np.pi, 3 * np.pi)
        for f, args in ((nu_to_E, (nu, ecc)), (E_to_nu, (nu, ecc)),
                        (nu_to_F, (nu / hyp, hyp)), (F_to_nu, (nu, hyp)),
                        (M_to_E, (m, ecc)), (M_to_F, (m, hyp)),
                        (M_to_D, (m,)), (D_to_M, (nu,)), (D_to_nu, (nu,)),
                        (nu_to_D, (nu,)), (E_to_M, (nu, ecc)),
                        (F_to_M, (nu, hyp)), (fp_angle, (nu, ecc))):
            agree(f, *args)


def random_elements(rng):
    p = rng.uniform(6500, 42000)
    ecc = rng.choice([0.0, rng.uniform(0, 0.9), rng.uniform(1.1, 3)])
    inc = rng.choice([0.0, rng.uniform(0, np.pi)])
    raan, argp = rng.uniform(0, 2 * np.pi, 2)
    nu = rng.uniform(-np.pi / 2, np.pi / 2)
    return p, ecc, inc, raan, argp, nu


def test_classical_equinoctial_and_cartesian_elements():
    rng = np.random.default_rng(5)
    for _ in range(20):
        p, ecc, inc, raan, argp, nu = random_elements(rng)
        agree(rv_pqw, K_EARTH, p, ecc, nu)
        agree(coe2rv, K_EARTH, p, ecc, inc, raan, argp, nu)
        r, v = coe2rv(K_EARTH, p, ecc, inc, raan, argp, nu)
        agree(rv2coe, K_EARTH, r, v)
        agree(rv2coe, K_EARTH, r, v, 1e-3)
        agree(eccentricity_vector, K_EARTH, r, v)
        agree(circular_velocity, K_EARTH, p)
        agree(coe2mee, p, ecc, inc, raan, argp, nu)
        mee = coe2mee(p, ecc, inc, raan, argp, nu)
        agree(mee2coe, *mee)
    agree(coe2mee, 7000.0, 0.1, np.pi, 0.0, 0.0, 0.0)    # ValueError


def test_coe2rv_many_runs_coe2rv_in_parallel():
    rng = np.random.default_rng(6)
    elems = np.array([random_elements(rng) for _ in range(9)]).T
    k = np.full(9, K_EARTH)
    rr, vv = coe2rv_many(k, *elems)
    for i in range(9):
        r, v = coe2rv.py_func(K_EARTH, *elems[:, i])
        np.testing.assert_allclose(rr[i], r, rtol=1e-12)
        np.testing.assert_allclose(vv[i], v, rtol=1e-12)
    assert_compiled(coe2rv_many)


def test_lambert_problem_izzo_and_vallado():
    rng = np.random.default_rng(7)
    for _ in range(12):
        r1 = random_vector(rng, 10000)
        r2 = random_vector(rng, 10000)
        tof = rng.uniform(600, 40000)
        for prograde in (True, False):
            agree(izzo, K_EARTH, r1, r2, tof, 0, prograde, True, 35, 1e-8,
                  rtol=1e-7)
            agree(vallado, K_EARTH, r1, r2, tof, 0, prograde, True, 35,
                  1e-8, rtol=1e-7)
        for lowpath in (True, False):
            agree(izzo, K_EARTH, r1, r2, 10 * tof, 1, True, lowpath, 35,
                  1e-8, rtol=1e-7)
    agree(izzo, K_EARTH, r1, 2 * r1, 3600.0, 0, True, True, 35, 1e-8)
    agree(vallado, K_EARTH, r1, r2, 3600.0, 1, True, True, 35, 1e-8)


def test_farnocchia_propagation_in_every_regime():
    rng = np.random.default_rng(8)
    for ecc in (0.0, 0.3, 0.95, 0.995, 1.0, 1.005, 1.5):
        for _ in range(3):
            nu = rng.uniform(-2, 2) if ecc >= 1 else rng.uniform(-3, 3)
            t = rng.uniform(-5, 5)
            agree(delta_t_from_nu, nu, ecc)
            agree(delta_t_from_nu, nu, ecc, 2.0, 1.5, 0.1)
            agree(nu_from_delta_t, t, ecc)
            agree(nu_from_delta_t, t, ecc, 2.0, 1.5, 0.1)
            agree(farnocchia_coe, K_EARTH, 8000.0, ecc, 0.4, 1.0, 2.0, nu,
                  rng.uniform(0, 3000))
    for _ in range(6):
        r0 = random_vector(rng, 8000)
        v0 = random_vector(rng, 6)
        agree(farnocchia_rv, K_EARTH, r0, v0, rng.uniform(-5000, 5000),
              rtol=1e-7)


def test_vallado_universal_variable_propagation():
    rng = np.random.default_rng(9)
    for _ in range(10):
        r0 = random_vector(rng, 8000)
        v0 = random_vector(rng, 6)
        agree(vallado_propagate, K_EARTH, r0, v0, rng.uniform(-5000, 5000),
              350, rtol=1e-7)
    agree(vallado_propagate, K_EARTH, r0, v0, 1e6, 1)     # no convergence


def random_state(rng, speed=6.0):
    return random_vector(rng, 8000), random_vector(rng, speed)


@pytest.mark.parametrize("propagate, hyperbolic", [
    (danby, True), (gooding, False), (markley, True), (mikkola, True),
    (pimienta, True), (recseries, False)])
def test_kepler_propagators(propagate, hyperbolic):
    rng = np.random.default_rng(20)
    coe_propagate = globals()[propagate.__name__ + "_coe"]
    for _ in range(4):
        p, ecc, inc, raan, argp, nu = random_elements(rng)
        ecc = min(ecc, 0.9) if not hyperbolic else ecc
        tof = rng.uniform(0, 20000)
        agree(coe_propagate, K_EARTH, p, ecc, inc, raan, argp, nu, tof,
              rtol=1e-7)
        r0, v0 = random_state(rng, 4.0 if not hyperbolic else 12.0)
        agree(propagate, K_EARTH, r0, v0, tof, rtol=1e-7)
    if propagate is recseries:
        agree(recseries, K_EARTH, r0, v0, 3000.0, "order", 10, rtol=1e-7)
    if propagate is mikkola:
        agree(mikkola, K_EARTH, r0, v0, 3000.0, 1e-10, rtol=1e-7)


def test_maneuvers_flybys_and_perturbations():
    rng = np.random.default_rng(21)
    for _ in range(5):
        r0, v0 = random_state(rng)
        u = np.concatenate([r0, v0])
        agree(hohmann, K_EARTH, (r0, v0), rng.uniform(7000, 50000))
        agree(bielliptic, K_EARTH, rng.uniform(50000, 90000),
              rng.uniform(7000, 50000), (r0, v0))
        agree(correct_pericenter, K_EARTH, 6378.0, 1.08e-3, 10.0, v0,
              rng.uniform(7000, 9000), rng.uniform(0, 3), 0.1)
        agree(compute_flyby, rng.normal(size=3) * 30, rng.normal(size=3) * 30,
              1.27e8, 80000.0, rng.uniform(0, 2 * np.pi))
        agree(func_twobody, 0.0, u, K_EARTH)
        agree(J2_perturbation, 0.0, u, K_EARTH, 1.08e-3, 6378.0)
        agree(J3_perturbation, 0.0, u, K_EARTH, -2.5e-6, 6378.0)
        agree(atmospheric_drag_exponential, 0.0, u, K_EARTH, 6378.0, 2.2,
              0.01, 8.0, 1.2)
        agree(atmospheric_drag, 0.0, u, K_EARTH, 2.2, 0.01, 1e-12)


def test_events_sensors_and_ellipsoid_geometry():
    rng = np.random.default_rng(22)
    sun = np.array([1.4e8, 0.0, 0.0])
    for _ in range(5):
        r0, v0 = random_state(rng)
        u = np.concatenate([r0, v0])
        for umbra in (True, False):
            agree(eclipse_function, K_EARTH, u, sun, 696000.0, 6378.0, umbra)
        agree(line_of_sight, r0, random_vector(rng, 8000), 6378.0)
        agree(elevation_function, K_EARTH, u, *rng.uniform(-1, 1, 2),
              6378.0, 6357.0, 0.1)
        fov, center, az = rng.uniform(0.05, 0.4, 3)
        agree(min_and_max_ground_range, 800.0, fov, center, 6378.0)
        agree(ground_range_diff_at_azimuth, 800.0, fov, center, az,
              *rng.uniform(-1, 1, 2), 6378.0)
        lon, lat = rng.uniform(-1.5, 1.5, 2)
        agree(cartesian_cords, 6378.0, 6357.0, lon, lat, 1.0)
        cc = np.array(cartesian_cords(6378.0, 6357.0, lon, lat, 1.0))
        px, py, pz = random_vector(rng, 8000)
        agree(f, 6378.0, 6357.0)
        agree(N, 6378.0, 6378.0, 6357.0, cc)
        normal = N(6378.0, 6378.0, 6357.0, cc)
        agree(tangential_vecs, normal)
        agree(radius_of_curvature, 6378.0, 6357.0, lat)
        agree(distance, cc, px, py, pz)
        agree(is_visible, cc, px, py, pz, normal)
        agree(cartesian_to_ellipsoidal, 6378.0, 6357.0, *cc)
        x, y, z = random_vector(rng, 8000)
        agree(project_point_on_ellipsoid, x, y, z, 6378.0, 6378.0, 6357.0)
        agree(intersection_ellipsoid_line, x, y, z, -x, -y, -z, 6378.0,
              6378.0, 6357.0)


def test_rotational_elements_of_the_planets():
    rng = np.random.default_rng(23)
    bodies = (sun_rot_elements_at_epoch, mercury_rot_elements_at_epoch,
              venus_rot_elements_at_epoch, mars_rot_elements_at_epoch,
              jupiter_rot_elements_at_epoch, saturn_rot_elements_at_epoch,
              uranus_rot_elements_at_epoch, neptune_rot_elements_at_epoch,
              moon_rot_elements_at_epoch)
    for T, d in rng.uniform(-1, 1, (3, 2)) * (1, 36525):
        for f in bodies:
            agree(f, T, d)


def test_earth_atmosphere_profile():
    rng = np.random.default_rng(24)
    levels = np.array([0.0, 11.0, 20.0, 32.0, 47.0, 51.0, 71.0, 84.852])
    for z in rng.uniform(0, 84, 5):
        agree(geometric_to_geopotential, z, 6356.766)
        agree(geopotential_to_geometric, z, 6356.766)
        agree(gravity, z, 9.80665, 6356.766)
        agree(_get_index, z, levels)
        for geometric in (True, False):
            agree(_check_altitude, z, 6356.766, geometric)
    # _altitude_profile's py_func would pass lists of ints and floats to
    # the jitted corrections, which neither pyjit nor Numba unbox: the
    # reference is plain Python all the way down
    reference = all_python(_altitude_profile)
    for alt, texo in ((95, 900.0), (250.5, 1200.0), (130, 187.0), (91, 2000)):
        args = (alt, texo, 0.0, 0.0, np.zeros(11), np.zeros(11))
        same(_altitude_profile(*args), reference(*args), 1e-9)
    assert_compiled(_altitude_profile)
    with pytest.raises(ValueError, match="implemented in range"):
        _altitude_profile(80, 1000.0, 0.0, 0.0, np.zeros(11), np.zeros(11))



# --- tslearn-team/tslearn tslearn/metrics/dtw_variants.py

DBL_MAX = np.finfo("double").max  # soft_dtw_fast.py's


@njit()
def _njit_local_squared_dist(x, y):
    dist = 0.0
    for di in range(x.shape[0]):
        diff = x[di] - y[di]
        dist += diff * diff
    return dist


@njit()
def _njit_subsequence_cost_matrix(subseq, longseq):
    l1 = subseq.shape[0]
    l2 = longseq.shape[0]
    cum_sum = numpy.full((l1 + 1, l2 + 1), numpy.inf)
    cum_sum[0, :] = 0.0

    for i in range(l1):
        for j in range(l2):
            cum_sum[i + 1, j + 1] = _njit_local_squared_dist(subseq[i], longseq[j])
            cum_sum[i + 1, j + 1] += min(
                cum_sum[i, j + 1], cum_sum[i + 1, j], cum_sum[i, j]
            )
    return cum_sum[1:, 1:]


@njit()
def _njit_subsequence_path(acc_cost_mat, idx_path_end):
    sz1, sz2 = acc_cost_mat.shape
    path = [(sz1 - 1, idx_path_end)]
    while path[-1][0] != 0:
        i, j = path[-1]
        if i == 0:
            path.append((0, j - 1))
        elif j == 0:
            path.append((i - 1, 0))
        else:
            arr = numpy.array(
                [
                    acc_cost_mat[i - 1][j - 1],
                    acc_cost_mat[i - 1][j],
                    acc_cost_mat[i][j - 1],
                ]
            )
            argmin = numpy.argmin(arr)
            if argmin == 0:
                path.append((i - 1, j - 1))
            elif argmin == 1:
                path.append((i - 1, j))
            else:
                path.append((i, j - 1))
    return path[::-1]


@njit()
def _njit_lb_envelope(time_series, radius):
    sz, d = time_series.shape
    envelope_up = numpy.empty((sz, d))
    envelope_down = numpy.empty((sz, d))

    for i in prange(sz):
        min_idx = i - radius
        max_idx = i + radius + 1
        if min_idx < 0:
            min_idx = 0
        if max_idx > sz:
            max_idx = sz
        for di in prange(d):
            envelope_down[i, di] = numpy.min(time_series[min_idx:max_idx, di])
            envelope_up[i, di] = numpy.max(time_series[min_idx:max_idx, di])

    return envelope_down, envelope_up


@njit(nogil=True)
def njit_lcss_accumulated_matrix(s1, s2, eps, mask):
    l1 = s1.shape[0]
    l2 = s2.shape[0]
    acc_cost_mat = numpy.full((l1 + 1, l2 + 1), 0)

    for i in range(1, l1 + 1):
        for j in range(1, l2 + 1):
            if mask[i - 1, j - 1]:
                if numpy.sqrt(_njit_local_squared_dist(s1[i - 1], s2[j - 1])) <= eps:
                    acc_cost_mat[i][j] = 1 + acc_cost_mat[i - 1][j - 1]
                else:
                    acc_cost_mat[i][j] = max(
                        acc_cost_mat[i][j - 1], acc_cost_mat[i - 1][j]
                    )

    return acc_cost_mat


@njit(nogil=True)
def _njit_lcss(s1, s2, eps, mask):
    l1 = s1.shape[0]
    l2 = s2.shape[0]
    acc_cost_mat = njit_lcss_accumulated_matrix(s1, s2, eps, mask)

    return float(acc_cost_mat[-1][-1]) / min([l1, l2])


@njit()
def _njit_return_lcss_path(s1, s2, eps, mask, acc_cost_mat, sz1, sz2):
    i, j = (sz1, sz2)
    path = []

    while i > 0 and j > 0:
        if numpy.isfinite(mask[i - 1, j - 1]):
            if numpy.sqrt(_njit_local_squared_dist(s1[i - 1], s2[j - 1])) <= eps:
                path.append((i - 1, j - 1))
                i, j = (i - 1, j - 1)
            elif acc_cost_mat[i - 1][j] > acc_cost_mat[i][j - 1]:
                i = i - 1
            else:
                j = j - 1
    return path[::-1]


@njit()
def _njit_return_lcss_path_from_dist_matrix(
    dist_matrix, eps, mask, acc_cost_mat, sz1, sz2
):
    i, j = (sz1, sz2)
    path = []

    while i > 0 and j > 0:
        if numpy.isfinite(mask[i - 1, j - 1]):
            if dist_matrix[i - 1, j - 1] <= eps:
                path.append((i - 1, j - 1))
                i, j = (i - 1, j - 1)
            elif acc_cost_mat[i - 1][j] > acc_cost_mat[i][j - 1]:
                i = i - 1
            else:
                j = j - 1
    return path[::-1]


@njit()
def njit_lcss_accumulated_matrix_from_dist_matrix(dist_matrix, eps, mask):
    l1, l2 = dist_matrix.shape
    acc_cost_mat = numpy.full((l1 + 1, l2 + 1), 0)

    for i in range(1, l1 + 1):
        for j in range(1, l2 + 1):
            if mask[i - 1, j - 1]:
                if dist_matrix[i - 1, j - 1] <= eps:
                    acc_cost_mat[i][j] = 1 + acc_cost_mat[i - 1][j - 1]
                else:
                    acc_cost_mat[i][j] = max(
                        acc_cost_mat[i][j - 1], acc_cost_mat[i - 1][j]
                    )

    return acc_cost_mat


# --- tslearn-team/tslearn tslearn/metrics/_masks.py


def __make_sakoe_chiba_mask(backend):

    def _sakoe_chiba_mask_generic(sz1, sz2, radius=1):
        mask = backend.full((sz1, sz2), False)
        if sz1 > sz2:
            width = sz1 - sz2 + radius
            for i in range(sz2):
                lower = max(0, i - radius)
                upper = min(sz1, i + width) + 1
                mask[lower:upper, i] = True
        else:
            width = sz2 - sz1 + radius
            for i in range(sz1):
                lower = max(0, i - radius)
                upper = min(sz2, i + width) + 1
                mask[i, lower:upper] = True
        return mask
    if backend is numpy:
        return njit(nogil=True)(_sakoe_chiba_mask_generic)
    else:
        return _sakoe_chiba_mask_generic

_njit_sakoe_chiba_mask = __make_sakoe_chiba_mask(numpy)


def __make_itakura_mask(backend):

    def _itakura_mask_generic(sz1, sz2, max_slope=2.0):
        min_slope = 1 / float(max_slope)
        max_slope *= float(sz1) / float(sz2)
        min_slope *= float(sz1) / float(sz2)

        lower_bound = backend.empty((2, sz2))
        lower_bound[0] = min_slope * backend.arange(sz2)
        lower_bound[1] = (sz1 - 1) - max_slope * (sz2 - 1) + max_slope * backend.arange(sz2)
        lower_bound_ = backend.empty(sz2)
        for i in range(sz2):
            lower_bound_[i] = max(
                backend.round(lower_bound[0, i], decimals=2),
                backend.round(lower_bound[1, i], decimals=2)
            )
        lower_bound_ = backend.ceil(lower_bound_)

        upper_bound = backend.empty((2, sz2))
        upper_bound[0] = max_slope * backend.arange(sz2)
        upper_bound[1] = (sz1 - 1) - min_slope * (sz2 - 1) + min_slope * backend.arange(sz2)
        upper_bound_ = backend.empty(sz2)
        for i in range(sz2):
            upper_bound_[i] = min(
                backend.round(upper_bound[0, i], decimals=2),
                backend.round(upper_bound[1, i], decimals=2)
            )
        upper_bound_ = backend.floor(upper_bound_ + 1)

        mask = backend.full((sz1, sz2), False)
        for i in range(sz2):
            mask[int(lower_bound_[i]): int(upper_bound_[i]), i] = True

        # Post-check
        raise_warning = False
        for i in range(sz1):
            if not backend.any(mask[i]):
                raise_warning = True
                break
        if not raise_warning:
            for j in range(sz2):
                if not backend.any(mask[:, j]):
                    raise_warning = True
                    break
        if raise_warning:
            raise RuntimeWarning(
                "'itakura_max_slope' constraint is unfeasible "
                "(ie. leads to no admissible path) for the "
                "provided time series sizes",
            )

        return mask

    if backend is numpy:
        return njit(nogil=True)(_itakura_mask_generic)
    else:
        return _itakura_mask_generic

_njit_itakura_mask = __make_itakura_mask(numpy)


def __make_compute_mask(backend):
    if backend is numpy:
        sakoe_chiba_mask_ = _njit_sakoe_chiba_mask
        itakura_mask_ = _njit_itakura_mask
    else:
        sakoe_chiba_mask_ = _sakoe_chiba_mask
        itakura_mask_ = _itakura_mask

    def _compute_mask_generic(
            sz1,
            sz2,
            global_constraint=0,
            sakoe_chiba_radius=None,
            itakura_max_slope=None,
    ):
        if (
                global_constraint == 0
                and sakoe_chiba_radius is not None
                and itakura_max_slope is not None
        ):
            raise RuntimeWarning(
                "global_constraint is not set for DTW, but both "
                "sakoe_chiba_radius and itakura_max_slope are "
                "set, hence global_constraint cannot be inferred "
                "and no global constraint will be used."
            )
        if global_constraint == 2 or (
                global_constraint == 0 and sakoe_chiba_radius is not None
        ):
            if sakoe_chiba_radius is None:
                sakoe_chiba_radius = 1
            mask = sakoe_chiba_mask_(sz1, sz2, radius=sakoe_chiba_radius)

        elif global_constraint == 1 or (
                global_constraint == 0 and itakura_max_slope is not None
        ):
            if itakura_max_slope is None:
                itakura_max_slope = 2.0
            mask = itakura_mask_(sz1, sz2, max_slope=itakura_max_slope)
        else:
            mask = backend.full((sz1, sz2), True)
        return mask
    if backend is numpy:
        return njit(nogil=True)(_compute_mask_generic)
    else:
        return _compute_mask_generic

_njit_compute_mask = __make_compute_mask(numpy)


# --- tslearn-team/tslearn tslearn/metrics/utils.py


def __make_compute_path(backend):

    def _compute_path_generic(acc_cost_mat):
        sz1, sz2 = acc_cost_mat.shape
        path = [(sz1 - 1, sz2 - 1)]
        while path[-1] != (0, 0):
            i, j = path[-1]
            if i == 0:
                path.append((0, j - 1))
            elif j == 0:
                path.append((i - 1, 0))
            else:
                arr = backend.array(
                    [
                        acc_cost_mat[i - 1][j - 1],
                        acc_cost_mat[i - 1][j],
                        acc_cost_mat[i][j - 1],
                    ]
                )
                argmin = backend.argmin(arr)
                if argmin == 0:
                    path.append((i - 1, j - 1))
                elif argmin == 1:
                    path.append((i - 1, j))
                else:
                    path.append((i, j - 1))
        return path[::-1]
    if backend is numpy:
        return njit(nogil=True)(_compute_path_generic)
    else:
        return _compute_path_generic

_njit_compute_path = __make_compute_path(numpy)


# --- tslearn-team/tslearn tslearn/metrics/_dtw.py


@njit(nogil=True)
def _njit_accumulated_matrix(s1, s2, mask):
    l1 = s1.shape[0]
    l2 = s2.shape[0]
    cum_sum = numpy.full((l1 + 1, l2 + 1), numpy.inf)
    cum_sum[0, 0] = 0.0

    for i in range(l1):
        for j in range(l2):
            if mask[i, j]:
                dist = 0.0
                for di in range(s1[i].shape[0]):
                    diff = s1[i][di] - s2[j][di]
                    dist += diff * diff
                cum_sum[i + 1, j + 1] = dist
                cum_sum[i + 1, j + 1] += min(
                    cum_sum[i, j + 1],
                    cum_sum[i + 1, j],
                    cum_sum[i, j]
                )
    return cum_sum[1:, 1:]


@njit(nogil=True)
def _njit_acc_matrix_from_dist_matrix(D, mask):
    l1, l2 = D.shape
    cum_sum = numpy.full((l1 + 1, l2 + 1), numpy.inf)
    cum_sum[0, 0] = 0.0

    for i in range(l1):
        for j in range(l2):
            if mask[i, j]:
                cum_sum[i + 1, j + 1] = D[i, j]
                cum_sum[i + 1, j + 1] += min(
                    cum_sum[i, j + 1],
                    cum_sum[i + 1, j],
                    cum_sum[i, j]
                )
    return cum_sum[1:, 1:]


def __make_dtw(backend):
    if backend is numpy:
        compute_mask_ = _njit_compute_mask
        accumulated_matrix_ = _njit_accumulated_matrix
    else:
        compute_mask_ = _compute_mask
        accumulated_matrix_ = _accumulated_matrix

    def _dtw_generic(
        s1,
        s2,
        global_constraint=0,
        sakoe_chiba_radius=None,
        itakura_max_slope=None,
    ):
        mask = compute_mask_(s1.shape[0], s2.shape[0], global_constraint, sakoe_chiba_radius, itakura_max_slope)
        cum_sum = accumulated_matrix_(s1, s2, mask)
        return backend.sqrt(cum_sum[-1, -1])

    if backend is numpy:
        return njit(nogil=True)(_dtw_generic)
    else:
        return _dtw_generic

_njit_dtw = __make_dtw(numpy)


def __make_dtw_path(backend):
    if backend is numpy:
        compute_mask_ = _njit_compute_mask
        accumulated_matrix_ = _njit_accumulated_matrix
        compute_path_ = _njit_compute_path
    else:
        compute_mask_ = _compute_mask
        accumulated_matrix_ = _accumulated_matrix
        compute_path_ = _compute_path

    def _dtw_path_generic(
        s1,
        s2,
        global_constraint=0,
        sakoe_chiba_radius=None,
        itakura_max_slope=None,
    ):
        mask = compute_mask_(s1.shape[0], s2.shape[0], global_constraint, sakoe_chiba_radius, itakura_max_slope)
        cum_sum = accumulated_matrix_(s1, s2, mask)
        path = compute_path_(cum_sum)
        return backend.sqrt(cum_sum[-1, -1]), path

    if backend is numpy:
        return njit(nogil=True)(_dtw_path_generic)
    else:
        return _dtw_path_generic

_njit_dtw_path = __make_dtw_path(numpy)


# --- tslearn-team/tslearn tslearn/metrics/_gak.py


def __make_gak_from_gram_matrix(backend):

    def _gak_from_gram_matrix_generic(
        gram
    ):

        sz1, sz2 = gram.shape

        cum_sum = backend.zeros((sz1 + 1, sz2 + 1), dtype=gram.dtype)
        cum_sum[0, 0] = 1.0

        for i in range(sz1):
            for j in range(sz2):
                cum_sum[i + 1, j + 1] = (
                    cum_sum[i, j + 1] + cum_sum[i + 1, j] + cum_sum[i, j]
                ) * gram[i, j]

        return cum_sum[-1, -1]

    if backend is numpy:
        return njit(nogil=True)(_gak_from_gram_matrix_generic)
    else:
        return _gak_from_gram_matrix_generic

_njit_gak_from_gram_matrix = __make_gak_from_gram_matrix(numpy)


# --- tslearn-team/tslearn tslearn/metrics/soft_dtw_fast.py


@njit(nogil=True)
def _njit_softmin3(a, b, c, gamma):
    a /= -gamma
    b /= -gamma
    c /= -gamma

    max_val = max(max(a, b), c)

    tmp = 0
    tmp += np.exp(a - max_val)
    tmp += np.exp(b - max_val)
    tmp += np.exp(c - max_val)
    softmin_value = -gamma * (np.log(tmp) + max_val)
    return softmin_value


@njit(fastmath=True)
def _njit_soft_dtw(D, R, gamma):
    m = D.shape[0]
    n = D.shape[1]

    # Initialization.
    R[: m + 1, 0] = DBL_MAX
    R[0, : n + 1] = DBL_MAX
    R[0, 0] = 0

    # DP recursion.
    for i in range(1, m + 1):
        for j in range(1, n + 1):
            # D is indexed starting from 0.
            R[i, j] = D[i - 1, j - 1] + _njit_softmin3(
                R[i - 1, j], R[i - 1, j - 1], R[i, j - 1], gamma
            )


@njit(parallel=True)
def _njit_soft_dtw_batch(D, R, gamma):
    for i_sample in prange(D.shape[0]):
        _njit_soft_dtw(D[i_sample, :, :], R[i_sample, :, :], gamma)


@njit(fastmath=True)
def _njit_soft_dtw_grad(D, R, E, gamma):
    m = D.shape[0] - 1
    n = D.shape[1] - 1

    # Initialization.
    D[:m, n] = 0
    D[m, :n] = 0
    R[1 : m + 1, n + 1] = -DBL_MAX
    R[m + 1, 1 : n + 1] = -DBL_MAX

    E[m + 1, n + 1] = 1
    R[m + 1, n + 1] = R[m, n]
    D[m, n] = 0

    for j in range(n, 0, -1):  # ranges from n to 1
        for i in range(m, 0, -1):  # ranges from m to 1
            a = np.exp((R[i + 1, j] - R[i, j] - D[i, j - 1]) / gamma)
            b = np.exp((R[i, j + 1] - R[i, j] - D[i - 1, j]) / gamma)
            c = np.exp((R[i + 1, j + 1] - R[i, j] - D[i, j]) / gamma)
            E[i, j] = E[i + 1, j] * a + E[i, j + 1] * b + E[i + 1, j + 1] * c


@njit(parallel=True)
def _njit_soft_dtw_grad_batch(D, R, E, gamma):
    for i_sample in prange(D.shape[0]):
        _njit_soft_dtw_grad(D[i_sample, :, :], R[i_sample, :, :], E[i_sample, :, :], gamma)


@njit(parallel=True, fastmath=True)
def _njit_jacobian_product_sq_euc(X, Y, E, G):
    m = X.shape[0]
    n = Y.shape[0]
    d = X.shape[1]

    for i in prange(m):
        for j in range(n):
            for k in range(d):
                G[i, k] += E[i, j] * 2 * (X[i, k] - Y[j, k])



# --- tslearn-team/tslearn tslearn/metrics/cycc.py


@njit(fastmath=True)
def normalized_cc(s1, s2, norm1=-1.0, norm2=-1.0):
    assert s1.shape[1] == s2.shape[1]
    sz = s1.shape[0]
    n_bits = 1 + int(np.log2(2 * sz - 1))
    fft_sz = 2**n_bits

    if norm1 < 0.0:
        norm1 = np.linalg.norm(s1)
    if norm2 < 0.0:
        norm2 = np.linalg.norm(s2)

    denom = norm1 * norm2
    if denom < 1e-9:  # To avoid NaNs
        denom = np.inf

    with objmode(cc="float64[:, :]"):
        cc = np.real(
            np.fft.ifft(
                np.fft.fft(s1, fft_sz, axis=0)
                * np.conj(np.fft.fft(s2, fft_sz, axis=0)),
                axis=0,
            )
        )
    cc = np.vstack((cc[-(sz - 1) :], cc[:sz]))
    norm_cc = np.real(cc).sum(axis=-1) / denom
    return norm_cc


@njit(parallel=True, fastmath=True)
def cdist_normalized_cc(dataset1, dataset2, norms1, norms2, self_similarity):
    n_ts1, sz, d = dataset1.shape
    n_ts2 = dataset2.shape[0]
    assert d == dataset2.shape[2]
    dists = np.zeros((n_ts1, n_ts2))

    if (norms1 < 0.0).any():
        for i_ts1 in prange(n_ts1):
            norms1[i_ts1] = np.linalg.norm(dataset1[i_ts1, ...])
    if (norms2 < 0.0).any():
        for i_ts2 in prange(n_ts2):
            norms2[i_ts2] = np.linalg.norm(dataset2[i_ts2, ...])
    if self_similarity:
        for i in prange(1, n_ts1):
            for j in range(i):
                dists[i, j] = normalized_cc(
                    dataset1[i], dataset2[j], norm1=norms1[i], norm2=norms2[j]
                ).max()
        dists += dists.T
    else:
        for i in prange(n_ts1):
            for j in range(n_ts2):
                dists[i, j] = normalized_cc(
                    dataset1[i], dataset2[j], norm1=norms1[i], norm2=norms2[j]
                ).max()
    return dists


@njit(parallel=True, fastmath=True)
def y_shifted_sbd_vec(ref_ts, dataset, norm_ref, norms_dataset):
    n_ts = dataset.shape[0]
    sz = dataset.shape[1]
    d = dataset.shape[2]
    assert sz == ref_ts.shape[0] and d == ref_ts.shape[1]
    dataset_shifted = np.zeros((n_ts, sz, d))

    if norm_ref < 0:
        norm_ref = np.linalg.norm(ref_ts)
    if (norms_dataset < 0.0).any():
        for i_ts in prange(n_ts):
            norms_dataset[i_ts] = np.linalg.norm(dataset[i_ts, ...])

    for i in prange(n_ts):
        cc = normalized_cc(ref_ts, dataset[i], norm1=norm_ref, norm2=norms_dataset[i])
        idx = np.argmax(cc)
        shift = idx + 1 - sz
        if shift > 0:
            dataset_shifted[i, shift:] = dataset[i, :-shift, :]
        elif shift < 0:
            dataset_shifted[i, :shift] = dataset[i, -shift:, :]
        else:
            dataset_shifted[i] = dataset[i]

    return dataset_shifted


# --- tslearn-team/tslearn tslearn/metrics/cysax.py (but cyslopes, which
# fits scikit-learn's LinearRegression in object mode)


@njit(parallel=True, fastmath=True)
def inv_transform_paa(dataset_paa, original_size):
    n_ts, sz, d = dataset_paa.shape
    seg_sz = original_size // sz
    dataset_out = np.zeros((n_ts, original_size, d))
    for t in prange(sz):
        t0 = t * seg_sz
        for i_ts in range(n_ts):
            dataset_out[i_ts, t0 : t0 + seg_sz, :] = dataset_paa[i_ts, t, :]
    return dataset_out


@njit(parallel=True, fastmath=True)
def cydist_sax(sax1, sax2, breakpoints, original_size):
    assert sax1.shape == sax2.shape
    s = 0.0
    sz, d = sax1.shape
    for t in prange(sz):
        for di in range(d):
            if np.abs(sax1[t, di] - sax2[t, di]) > 1:
                max_symbol = max(sax1[t, di], sax2[t, di])
                min_symbol = min(sax1[t, di], sax2[t, di])
                s += (breakpoints[max_symbol - 1] - breakpoints[min_symbol]) ** 2
    dist_sax = np.sqrt(s * float(original_size) / sz)

    return dist_sax


@njit(parallel=True, fastmath=True)
def inv_transform_sax(dataset_sax, breakpoints_middle_, original_size):
    n_ts, sz, d = dataset_sax.shape
    seg_sz = original_size // sz
    dataset_out = np.zeros((n_ts, original_size, d))

    for i in prange(n_ts):
        for t in range(sz):
            t0 = t * seg_sz
            dataset_out[i, t0 : t0 + seg_sz, :] = breakpoints_middle_[
                dataset_sax[i, t, :]
            ]
    return dataset_out


@njit(parallel=True, fastmath=True)
def cydist_1d_sax(
    sax1, sax2, breakpoints_avg_middle_, breakpoints_slope_middle_, original_size
):
    sz, d_1d_sax = sax1.shape
    assert sz == sax2.shape[0] and d_1d_sax == sax2.shape[1]
    s = 0.0
    d = d_1d_sax // 2
    seg_sz = original_size // sz

    for t in prange(sz):
        t0 = t * seg_sz
        t_middle = float(t0) + 0.5 * seg_sz
        for di in range(d):
            avg1 = breakpoints_avg_middle_[sax1[t, di]]
            avg2 = breakpoints_avg_middle_[sax2[t, di]]
            slope1 = breakpoints_slope_middle_[sax1[t, di + d]]
            slope2 = breakpoints_slope_middle_[sax2[t, di + d]]
            for tt in range(t0, seg_sz * (t + 1)):
                s += (
                    avg1 + slope1 * (tt - t_middle) - (avg2 + slope2 * (tt - t_middle))
                ) ** 2
    dist_1d_sax = np.sqrt(s)
    return dist_1d_sax


@njit(parallel=True, fastmath=True)
def inv_transform_1d_sax(
    dataset_sax, breakpoints_avg_middle_, breakpoints_slope_middle_, original_size
):
    n_ts, sz, d_1d_sax = dataset_sax.shape
    d = d_1d_sax // 2
    seg_sz = original_size // sz
    dataset_out = np.empty((n_ts, original_size, d))

    for i in prange(n_ts):
        for t in range(sz):
            t0 = t * seg_sz
            t_middle = float(t0) + 0.5 * (seg_sz - 1)
            for di in range(d):
                avg = breakpoints_avg_middle_[dataset_sax[i, t, di]]
                slope = breakpoints_slope_middle_[dataset_sax[i, t, di + d]]
                for tt in range(t0, seg_sz * (t + 1)):
                    dataset_out[i, tt, di] = avg + slope * (tt - t_middle)
    return dataset_out


# --- tslearn-team/tslearn tslearn/forecasting/_arima.py


@njit
def _loss(X, intercept, ar_coeffs, ma_coeffs):
    n_ts, n_samples, n_features_in = X.shape

    # Number of valid samples, discarding nans for variable length datasets
    n_valid_samples = np.sum(np.isfinite(np.sum(X, axis=-1)))

    p = ar_coeffs.shape[0]
    q = ma_coeffs.shape[0]

    sse = 0
    residuals = np.zeros((n_ts, q, n_features_in))
    start = max(p, q)
    for i in range(start, n_samples):
        current_err = X[:, i] - _varma_next(
            X[:, i - start : i],
            residuals,
            ar_coeffs,
            ma_coeffs,
            intercept,
        )
        # Deals with variable length series padded with nan
        sse += np.nansum(current_err * current_err)
        if q > 0:
            for i in range(n_ts):
                if np.all(np.isfinite(current_err[i])):
                    residuals[i, :-1] = residuals[i, 1:]
                    residuals[i, -1] = current_err[i]

    variance = sse / (n_valid_samples - n_ts * start)
    n_loglikelihood = n_valid_samples * (np.log(2 * np.pi) + np.log(variance) + 1) / 2
    return n_loglikelihood, residuals


@njit
def _varma_next(X, residuals, ar_coeffs, ma_coeffs, intercept):
    n_ts, n_samples, n_features_in = X.shape

    ar_forecast = np.zeros((n_ts, n_features_in))
    for k in range(ar_coeffs.shape[0]):
        ar_forecast += np.dot(X[:, n_samples - k - 1], ar_coeffs[k])
    ma_forecast = np.zeros((n_ts, n_features_in))
    for k in range(ma_coeffs.shape[0]):
        ma_forecast += np.dot(residuals[:, k], ma_coeffs[k])

    intercept = np.zeros(n_features_in) if intercept.shape[0] == 0 else intercept

    return ar_forecast + ma_forecast + np.expand_dims(intercept, axis=0)


# --- tslearn-team/tslearn tslearn/metrics/_soft_dtw.py


@njit(nogil=True)
def _njit_soft_accumulated_matrix(s1, s2, mask, gamma):  # renamed: _dtw.py's
    l1 = s1.shape[0]
    l2 = s2.shape[0]
    cum_sum = numpy.full((l1 + 1, l2 + 1), numpy.inf)
    cum_sum[0, 0] = 0.0

    for i in range(l1):
        for j in range(l2):
            if mask[i, j]:
                dist = 0.0
                for di in range(s1[i].shape[0]):
                    diff = s1[i][di] - s2[j][di]
                    dist += diff * diff
                cum_sum[i + 1, j + 1] = dist
                cum_sum[i + 1, j + 1] += _njit_softmin3(
                    cum_sum[i, j + 1],
                    cum_sum[i + 1, j],
                    cum_sum[i, j],
                    gamma
                )
    return cum_sum[1:, 1:]


@njit(nogil=True)
def _njit_accumulated_matrix_from_distance_matrix(D, mask, gamma, out=None):
    l1, l2 = D.shape
    if out is not None:
        cum_sum = out
        out[...] = numpy.inf
    else:
        cum_sum = numpy.full((l1, l2), numpy.inf, dtype=D.dtype)

    for i in range(l1):
        for j in range(l2):
            if mask[i, j]:
                cum_sum[i, j] = D[i, j]
                if (i + j) != 0:
                    cum_sum[i, j] += _njit_softmin3(
                        cum_sum[i - 1, j] if i != 0 else numpy.inf,
                        cum_sum[i, j - 1] if j != 0 else numpy.inf,
                        cum_sum[i - 1, j - 1] if i*j != 0 else numpy.inf,
                        gamma
                    )

    return cum_sum


# --- tslearn: tests

def series(rng, n, d=2):
    return rng.normal(size=(n, d))


def test_dtw_with_every_global_constraint():
    rng = np.random.default_rng(10)
    for n1, n2 in ((7, 5), (4, 9), (6, 6), (1, 3)):
        s1, s2 = series(rng, n1), series(rng, n2)
        agree(_njit_dtw, s1, s2)
        agree(_njit_dtw, s1, s2, 2, 1)
        agree(_njit_dtw, s1, s2, 0, 2)
        agree(_njit_dtw, s1, s2, 1, None, 2.0)
        agree(_njit_dtw, s1, s2, 0, None, 3.0)
        agree(_njit_dtw, s1, s2, 0, 1, 2.0)              # both given
        agree(_njit_dtw_path, s1, s2)
        agree(_njit_dtw_path, s1, s2, 2, 1)
        mask = _njit_compute_mask(n1, n2, 2, 1)
        agree(_njit_accumulated_matrix, s1, s2, mask)
        agree(_njit_acc_matrix_from_dist_matrix, rng.random((n1, n2)), mask)
        agree(_njit_compute_path, rng.random((n1, n2)))


def test_sakoe_chiba_and_itakura_masks():
    for sz1, sz2 in ((7, 5), (5, 7), (6, 6), (12, 4)):
        agree(_njit_sakoe_chiba_mask, sz1, sz2)
        agree(_njit_sakoe_chiba_mask, sz1, sz2, 3)
        agree(_njit_itakura_mask, sz1, sz2)             # or infeasible
        agree(_njit_itakura_mask, sz1, sz2, 4.0)
        agree(_njit_compute_mask, sz1, sz2)
        agree(_njit_compute_mask, sz1, sz2, 1)
        agree(_njit_compute_mask, sz1, sz2, 2, 2)


def test_subsequence_dtw_and_lb_keogh_envelope():
    rng = np.random.default_rng(11)
    for n_sub, n_long in ((3, 10), (1, 4), (5, 5)):
        sub, long = series(rng, n_sub), series(rng, n_long)
        agree(_njit_subsequence_cost_matrix, sub, long)
        acc = _njit_subsequence_cost_matrix(sub, long)
        for end in (0, n_long - 1, n_long // 2):
            agree(_njit_subsequence_path, acc, end)
    for radius in (0, 1, 3, 20):
        agree(_njit_lb_envelope, series(rng, 9, 3), radius)


def test_longest_common_subsequence():
    rng = np.random.default_rng(12)
    for n1, n2 in ((7, 5), (3, 8)):
        s1, s2 = series(rng, n1), series(rng, n2)
        for eps in (0.3, 1.0, 3.0):
            for mask in (np.ones((n1, n2), bool),
                         _njit_sakoe_chiba_mask(n1, n2, 1)):
                agree(njit_lcss_accumulated_matrix, s1, s2, eps, mask)
                agree(_njit_lcss, s1, s2, eps, mask)
                acc = njit_lcss_accumulated_matrix(s1, s2, eps, mask)
                agree(_njit_return_lcss_path, s1, s2, eps, mask, acc, n1,
                      n2)
                dist = np.sqrt(((s1[:, None] - s2[None]) ** 2).sum(-1))
                agree(njit_lcss_accumulated_matrix_from_dist_matrix, dist,
                      eps, mask)
                acc = njit_lcss_accumulated_matrix_from_dist_matrix(
                    dist, eps, mask)
                agree(_njit_return_lcss_path_from_dist_matrix, dist, eps,
                      mask, acc, n1, n2)


def test_global_alignment_kernel():
    rng = np.random.default_rng(13)
    for n1, n2 in ((4, 6), (5, 5)):
        agree(_njit_gak_from_gram_matrix, np.exp(-rng.random((n1, n2))))
        agree(_njit_gak_from_gram_matrix,
              np.exp(-rng.random((n1, n2))).astype(np.float32), rtol=1e-5)


def soft_dtw_both(D, gamma):
    got = np.zeros((D.shape[0] + 2, D.shape[1] + 2))
    want = got.copy()
    _njit_soft_dtw(D, got, gamma)
    _njit_soft_dtw.py_func(D, want, gamma)
    np.testing.assert_allclose(got, want, rtol=1e-12)
    return want


def padded(D):
    out = np.zeros((D.shape[-2] + 1, D.shape[-1] + 1))
    out[:-1, :-1] = D
    return out


def test_soft_dtw_and_its_gradient():
    rng = np.random.default_rng(14)
    for m, n in ((4, 6), (5, 5), (1, 3)):
        for gamma in (0.01, 0.5, 2.0):
            D = rng.random((m, n))
            agree(_njit_softmin3, *rng.normal(size=3), gamma)
            R = soft_dtw_both(D, gamma)
            got, want = np.zeros_like(R), np.zeros_like(R)
            _njit_soft_dtw_grad(padded(D), R.copy(), got, gamma)
            _njit_soft_dtw_grad.py_func(padded(D), R.copy(), want, gamma)
            np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)
    assert_compiled(_njit_soft_dtw)
    assert_compiled(_njit_soft_dtw_grad)


def test_soft_dtw_batches_and_jacobian_product_in_parallel():
    rng = np.random.default_rng(15)
    D = rng.random((5, 4, 6))
    R = np.zeros((5, 6, 8))
    _njit_soft_dtw_batch(D, R, 0.7)
    E = np.zeros_like(R)
    Dp = np.zeros((5, 5, 7))
    Dp[:, :4, :6] = D
    _njit_soft_dtw_grad_batch(Dp, R.copy(), E, 0.7)
    for i in range(5):
        want = soft_dtw_both(D[i], 0.7)
        np.testing.assert_allclose(R[i], want, rtol=1e-12)
        e = np.zeros_like(want)
        _njit_soft_dtw_grad.py_func(padded(D[i]), want.copy(), e, 0.7)
        np.testing.assert_allclose(E[i], e, rtol=1e-10, atol=1e-12)
    X, Y = series(rng, 6, 3), series(rng, 4, 3)
    E = rng.random((6, 4))
    got, want = np.zeros((6, 3)), np.zeros((6, 3))
    _njit_jacobian_product_sq_euc(X, Y, E, got)
    _njit_jacobian_product_sq_euc.py_func(X, Y, E, want)
    np.testing.assert_allclose(got, want, rtol=1e-12)
    for f in (_njit_soft_dtw_batch, _njit_soft_dtw_grad_batch,
              _njit_jacobian_product_sq_euc):
        assert_compiled(f)


def test_normalized_cross_correlation_through_object_mode():
    rng = np.random.default_rng(30)
    ds1, ds2 = rng.normal(size=(4, 10, 2)), rng.normal(size=(3, 10, 2))
    agree(normalized_cc, ds1[0], ds2[1], rtol=1e-7)
    agree(normalized_cc, ds1[0], ds2[1], 2.0, 3.0, rtol=1e-7)
    agree(normalized_cc, ds1[0], np.zeros((10, 2)), rtol=1e-7)
    for a, b, self_similarity in ((ds1, ds2, False), (ds1, ds1, True)):
        got = cdist_normalized_cc(a, b, -np.ones(len(a)), -np.ones(len(b)),
                                  self_similarity)
        want = cdist_normalized_cc.py_func(a, b, -np.ones(len(a)),
                                           -np.ones(len(b)), self_similarity)
        np.testing.assert_allclose(got, want, rtol=1e-7, atol=1e-12)
    norms = np.full(3, -1.0)
    got = y_shifted_sbd_vec(ds1[0], ds2, -1.0, norms)
    want = y_shifted_sbd_vec.py_func(ds1[0], ds2, -1.0, np.full(3, -1.0))
    np.testing.assert_allclose(got, want, rtol=1e-12)
    np.testing.assert_allclose(norms, np.linalg.norm(ds2, axis=(1, 2)))
    assert_compiled(cdist_normalized_cc)
    assert_compiled(y_shifted_sbd_vec)


def test_sax_and_paa_in_parallel():
    rng = np.random.default_rng(31)
    breaks = np.array([-0.67, 0.0, 0.67])
    middles = np.array([-1.1, -0.3, 0.3, 1.1])
    slopes = np.array([-0.2, 0.0, 0.2])
    for sz, d, original in ((5, 2, 20), (4, 1, 13)):
        agree(inv_transform_paa, rng.normal(size=(3, sz, d)), original)
        sax1, sax2 = rng.integers(0, 4, (2, sz, d))
        agree(cydist_sax, sax1, sax2, breaks, original)
        agree(inv_transform_sax, rng.integers(0, 4, (3, sz, d)), middles,
              original)
        sax1, sax2 = rng.integers(0, 3, (2, sz, 2 * d))
        agree(cydist_1d_sax, sax1, sax2, middles, slopes, original,
              rtol=1e-7)
        agree(inv_transform_1d_sax, rng.integers(0, 3, (3, sz, 2 * d)),
              middles, slopes, original)


def test_varma_loss():
    rng = np.random.default_rng(32)
    X = rng.normal(size=(4, 12, 2))
    X[1, 9:] = np.nan                       # a shorter series, nan-padded
    for p, q, d_int in ((2, 1, 2), (1, 0, 0), (0, 2, 2)):
        ar = rng.normal(size=(p, 2, 2)) * 0.3
        ma = rng.normal(size=(q, 2, 2)) * 0.2
        intercept = rng.normal(size=d_int)
        agree(_loss, X, intercept, ar, ma)
        agree(_varma_next, X[:, :3], np.zeros((4, q, 2)), ar, ma, intercept)


def test_soft_dtw_accumulated_matrices():
    rng = np.random.default_rng(33)
    for n1, n2 in ((6, 4), (3, 3)):
        s1, s2 = series(rng, n1), series(rng, n2)
        for gamma in (0.1, 1.0):
            agree(_njit_soft_accumulated_matrix, s1, s2,
                  _njit_sakoe_chiba_mask(n1, n2, 1), gamma)
            D = rng.random((n1, n2))
            mask = np.ones((n1, n2), bool)
            agree(_njit_accumulated_matrix_from_distance_matrix, D, mask,
                  gamma)
            agree(_njit_accumulated_matrix_from_distance_matrix, D, mask,
                  gamma, np.zeros((n1, n2)))



# --- A resampler of our own with the constructs of bmcfee/resampy's
# resampy/interpn.py and core.py: one plain loop jitted twice (parallel
# and not) by calling jit on it, each called from a gufunc made from a
# layout alone, the output passed in (of the input's dtype, or float32 for
# integers) as a strided view when the axis is not the last.

def _table_filter(signal, times, table, slope, per_tap, ratio, out):
    """Band-limited interpolation of `signal` at fractional `times` from a
    tabulated filter: each output adds two one-sided sums of neighbours,
    the filter read between its table entries by linear interpolation."""
    stride = int(ratio * per_tap)
    size = table.shape[0]
    length = signal.shape[0]
    for t in prange(times.shape[0]):
        at = times[t]
        whole = int(at)
        phase = ratio * (at - whole)
        for side in range(2):
            pos = (phase if side == 0 else ratio - phase) * per_tap
            first = int(pos)
            blend = pos - first
            reach = whole + 1 if side == 0 else length - whole - 1
            count = min(reach, (size - first) // stride)
            for i in range(count):
                w = table[first + i * stride] + blend * slope[first + i * stride]
                src = whole - i if side == 0 else whole + i + 1
                out[t] += w * signal[src]


_filter_par = pyjit.jit(nopython=True, nogil=True, parallel=True)(_table_filter)
_filter_seq = pyjit.jit(nopython=True, nogil=True, parallel=False)(_table_filter)


@guvectorize("(n),(m),(p),(p),(),()->(m)", nopython=True)
def filter_par(signal, times, table, slope, per_tap, ratio, out):
    _filter_par(signal, times, table, slope, per_tap, ratio, out)


@guvectorize("(n),(m),(p),(p),(),()->(m)", nopython=True)
def filter_seq(signal, times, table, slope, per_tap, ratio, out):
    _filter_seq(signal, times, table, slope, per_tap, ratio, out)


def filter_table(ratio, per_tap=32):
    taps = (np.sinc(np.linspace(0.0, 8.0, 8 * per_tap + 1))
            * np.hanning(16 * per_tap + 1)[8 * per_tap:])
    if ratio < 1:
        taps = ratio * taps
    return taps, np.diff(taps, append=taps[-1])


def resample(x, ratio, axis=-1, gufunc=filter_seq, per_tap=32):
    taps, slope = filter_table(ratio, per_tap)
    shape = list(x.shape)
    shape[axis] = int(x.shape[axis] * ratio)
    dtype = np.float32 if np.issubdtype(x.dtype, np.integer) else x.dtype
    y = np.zeros_like(x, dtype=dtype, shape=shape)
    times = np.arange(shape[axis]) / ratio
    gufunc(x.swapaxes(-1, axis), times, taps, slope, per_tap,
           min(1.0, ratio), y.swapaxes(-1, axis))
    return y


def resample_by_rows(x, ratio, axis=-1, per_tap=32):
    """resample with the plain Python loop, row by row, in float64."""
    taps, slope = filter_table(ratio, per_tap)
    rows = np.moveaxis(np.asarray(x, np.float64), axis, -1)
    n_out = int(rows.shape[-1] * ratio)
    out = np.zeros(rows.shape[:-1] + (n_out,))
    times = np.arange(n_out) / ratio
    for index in np.ndindex(rows.shape[:-1]):
        _table_filter(rows[index], times, taps, slope, per_tap,
                      min(1.0, ratio), out[index])
    return np.moveaxis(out, -1, axis)


@pytest.mark.parametrize("gufunc", [filter_seq, filter_par])
def test_resampler_gufuncs(gufunc):
    rng = np.random.default_rng(16)
    cases = [(rng.normal(size=150), 1.5, -1),
             (rng.normal(size=150), 0.6, -1),
             (rng.normal(size=(3, 80)), 0.75, -1),
             # float32 and int operands after the float64 loop: NumPy casts
             # them, the output copied in and back around the kernel
             (rng.normal(size=(90, 2)).astype(np.float32), 1.3, 0),
             (rng.normal(size=(2, 60)).astype(np.float32), 0.8, -1),
             (rng.integers(-50, 50, size=70), 2.0, -1)]
    for x, ratio, axis in cases:
        got = resample(x, ratio, axis, gufunc)
        want = resample_by_rows(x, ratio, axis)
        assert got.dtype == (np.float32 if x.dtype != np.float64
                             else np.float64)
        rtol = 1e-5 if got.dtype == np.float32 else 1e-12
        np.testing.assert_allclose(got, want, rtol=rtol, atol=rtol)
    assert_compiled(_filter_seq if gufunc is filter_seq else _filter_par)


def test_resampler_loop_jitted_from_a_plain_function():
    rng = np.random.default_rng(17)
    x = rng.normal(size=40)
    times = np.arange(25) * 1.6
    taps, slope = filter_table(0.625)
    for f in (_filter_seq, _filter_par):
        got, want = np.zeros(25), np.zeros(25)
        f(x, times, taps, slope, 32, 0.625, got)
        _table_filter(x, times, taps, slope, 32, 0.625, want)
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)
        assert_compiled(f)
