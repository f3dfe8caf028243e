"""Constructs the Numba code of Nixtla's statsforecast (1.7.0: its ETS,
CES, Theta, ARIMA and intermittent-demand models are @njit functions)
relies on, checked against the plain Python functions: np.fill_diagonal
with an array of values, rows of a 2-d array assigned by an integer array
index (the Nelder-Mead shrink step), a row assigned from an array of shape
(1, n), np.repeat of a number, and dict displays returned by the
models."""
import numpy as np
import pytest

from difftest import assert_compiled
from pyjit import njit
from pyjit.errors import TypingError


def same_arrays(got, want):
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert g.dtype == w.dtype and g.shape == w.shape
        np.testing.assert_array_equal(g, w)


# --- the Nelder-Mead minimizer of statsforecast/ets.py (nelder_mead_ets;
# ces.py and theta.py have the same one) ---

@njit
def restrict_to_bounds(x, lower, upper):
    new_x = np.full_like(x, fill_value=np.nan, dtype=x.dtype)
    for i in range(x.size):
        lo = lower[i]
        up = upper[i]
        if x[i] < lo:
            new_x[i] = lo
        elif x[i] > up:
            new_x[i] = up
        else:
            new_x[i] = x[i]
    return new_x


@njit
def nelder_mead(fn, x0, lower, upper, init_step=0.05, zero_pert=1.0e-4,
                alpha=1.0, gamma=2.0, rho=0.5, sigma=0.5, max_iter=500,
                tol_std=1e-10):
    n = x0.size
    simplex = np.full((n + 1, n), fill_value=np.nan, dtype=np.float64)
    simplex[:] = x0
    diag = np.copy(np.diag(simplex))
    diag[diag == 0.0] = zero_pert
    diag[diag != 0.0] *= 1 + init_step
    np.fill_diagonal(simplex, diag)
    for j in range(n + 1):
        simplex[j] = restrict_to_bounds(simplex[j], lower, upper)
    f_simplex = np.full(n + 1, fill_value=np.nan)
    for j in range(n + 1):
        f_simplex[j] = fn(simplex[j])
    for it in range(max_iter):
        order_f = f_simplex.argsort()
        best_idx = order_f[0]
        worst_idx = order_f[-1]
        second_worst_idx = order_f[-2]
        if np.std(f_simplex) < tol_std:
            break
        x_o = simplex[np.delete(order_f, -1)].sum(axis=0) / n
        x_r = restrict_to_bounds(x_o + alpha * (x_o - simplex[worst_idx]),
                                 lower, upper)
        f_r = fn(x_r)
        if f_simplex[best_idx] <= f_r < f_simplex[second_worst_idx]:
            simplex[worst_idx] = x_r
            f_simplex[worst_idx] = f_r
            continue
        if f_r < f_simplex[best_idx]:
            x_e = restrict_to_bounds(x_o + gamma * (x_r - x_o), lower, upper)
            f_e = fn(x_e)
            if f_e < f_r:
                simplex[worst_idx] = x_e
                f_simplex[worst_idx] = f_e
            else:
                simplex[worst_idx] = x_r
                f_simplex[worst_idx] = f_r
            continue
        x_c = restrict_to_bounds(x_o + rho * (simplex[worst_idx] - x_o),
                                 lower, upper)
        f_c = fn(x_c)
        if f_c < f_simplex[worst_idx]:
            simplex[worst_idx] = x_c
            f_simplex[worst_idx] = f_c
            continue
        # shrink every point but the best towards it
        simplex[np.delete(order_f, 0)] = simplex[best_idx] + sigma * (
            simplex[np.delete(order_f, 0)] - simplex[best_idx])
        for i in np.delete(order_f, 0):
            simplex[i] = restrict_to_bounds(simplex[i], lower, upper)
            f_simplex[i] = fn(simplex[i])
    return simplex[best_idx], f_simplex[best_idx], it + 1


@njit
def ses_sse(params):
    """The sum of squared one-step errors of exponential smoothing with
    level params[1] and smoothing weight params[0] on a fixed series."""
    y = np.array([112.0, 118.0, 132.0, 129.0, 121.0, 135.0, 148.0, 148.0,
                  136.0, 119.0, 104.0, 118.0, 115.0, 126.0, 141.0])
    level = params[1]
    sse = 0.0
    for t in range(y.size):
        e = y[t] - level
        sse += e * e
        level += params[0] * e
    return sse


@pytest.mark.parametrize("x0", [[0.5, 110.0], [0.0, 100.0], [0.9, 0.0]])
def test_nelder_mead_of_statsforecast(x0):
    x0 = np.array(x0)
    lower = np.array([1e-4, 0.0])
    upper = np.array([0.9999, 1000.0])
    got = nelder_mead(ses_sse, x0, lower, upper)
    want = nelder_mead.py_func(ses_sse.py_func, x0, lower, upper)
    np.testing.assert_array_equal(got[0], want[0])
    assert got[1:] == want[1:]
    assert_compiled(nelder_mead)


# --- np.fill_diagonal ---

@njit
def fill_diagonal(a, val, wrap):
    np.fill_diagonal(a, val, wrap)
    return a


@pytest.mark.parametrize("shape", [(3, 3), (5, 3), (3, 5), (7, 2),
                                   (3, 3, 3), (2, 2, 2, 2)])
@pytest.mark.parametrize("val", [7.0, np.array([1.0, -2.0]),
                                 np.arange(10.0), np.empty(0)])
@pytest.mark.parametrize("wrap", [False, True])
def test_fill_diagonal_takes_values_in_turn(shape, val, wrap):
    a = np.arange(np.prod(shape), dtype=np.float64).reshape(shape)
    got = fill_diagonal(a.copy(), val, wrap)
    np.testing.assert_array_equal(got, fill_diagonal.py_func(a.copy(), val,
                                                             wrap))
    assert_compiled(fill_diagonal)


def test_fill_diagonal_of_views_lists_and_ints():
    a = np.zeros((6, 8))
    got, want = a.copy(), a.copy()
    fill_diagonal(got[::2, 1::2], [3.0, 4.0], False)
    fill_diagonal.py_func(want[::2, 1::2], [3.0, 4.0], False)
    np.testing.assert_array_equal(got, want)
    i = np.zeros((3, 3), dtype=np.int64)
    np.testing.assert_array_equal(fill_diagonal(i.copy(), 5, False),
                                  fill_diagonal.py_func(i.copy(), 5, False))
    assert_compiled(fill_diagonal)


def test_fill_diagonal_errors():
    for a in (np.zeros(3), np.zeros((2, 3, 3))):
        with pytest.raises(ValueError) as want:
            fill_diagonal.py_func(a.copy(), 1.0, False)
        with pytest.raises(ValueError) as got:
            fill_diagonal(a.copy(), 1.0, False)
        assert str(got.value) == str(want.value)


# --- rows assigned by an index array ---

@njit
def set_rows(a, idx, v):
    a[idx] = v
    return a


ROW_CASES = [
    ((4, 3), np.array([1, -1]), np.full((2, 3), 2.0)),
    ((4, 3), np.array([3, 0, 3]), np.ones((1, 3))),
    ((4, 3), np.array([2]), np.arange(3.0)),
    ((4, 3), np.array([0, 2]), 5.0),
    ((4, 3), np.array([True, False, True, False]), np.arange(6.0).reshape(2, 3)),
    ((4, 3), np.array([False, True, False, False]), 1.5),
    ((4, 3, 2), np.array([1, 3]), np.arange(12.0).reshape(2, 3, 2)),
    ((4, 3, 2), np.array([0]), np.arange(2.0)),
    ((4, 3), np.zeros(0, dtype=np.int64), np.arange(3.0)),
]


@pytest.mark.parametrize("shape, idx, v", ROW_CASES)
def test_rows_assigned_by_index_array(shape, idx, v):
    a = np.arange(np.prod(shape), dtype=np.float64).reshape(shape)
    np.testing.assert_array_equal(set_rows(a.copy(), idx, v),
                                  set_rows.py_func(a.copy(), idx, v))
    assert_compiled(set_rows)


@pytest.mark.parametrize("shape, idx, v", [
    ((4, 3), np.array([1, 3]), np.ones((3, 3))),
    ((4, 3), np.array([1, 3]), np.ones(2)),
    ((4, 3), np.array([1, 4]), 0.0),
    ((4, 3), np.array([True, False]), 0.0),
])
def test_rows_assigned_by_index_array_errors(shape, idx, v):
    a = np.zeros(shape)
    with pytest.raises((ValueError, IndexError)) as want:
        set_rows.py_func(a.copy(), idx, v)
    with pytest.raises(type(want.value)):
        set_rows(a.copy(), idx, v)


# --- statsforecast/theta.py: thetacalc stores initstate's (1, 5) array
# into the first row of the states ---

@njit
def initstate(y, alpha, initial_smoothed):
    states = np.zeros((1, 5), dtype=np.float32)
    states[0, 0] = alpha * y[0] + (1 - alpha) * initial_smoothed
    states[0, 1] = y[0]
    n = len(y)
    bn = 6 * (2 * np.mean(np.arange(1, n + 1) * y) - (1 + n) * np.mean(y)) \
        / (n ** 2 - 1)
    states[0, 2] = np.mean(y) - (n + 1) * bn / 2
    states[0, 3] = bn
    states[0, 4] = initial_smoothed
    return states


@njit
def thetacalc(y, states, alpha):
    states[0, :] = initstate(y, alpha, y[0] / 2)
    states[1:, 0] = states[0, 0]
    return states


@njit
def set_first(a, v):
    a[0] = v
    return a


def test_row_assigned_from_array_with_leading_ones():
    y = np.array([112.0, 118.0, 132.0, 129.0, 121.0, 135.0])
    states = np.zeros((4, 5), dtype=np.float32)
    np.testing.assert_array_equal(thetacalc(y, states.copy(), 0.3),
                                  thetacalc.py_func(y, states.copy(), 0.3))
    assert_compiled(thetacalc)
    a = np.zeros((3, 2, 4))
    v = np.arange(4.0).reshape(1, 1, 1, 4)
    np.testing.assert_array_equal(set_first(a.copy(), v),
                                  set_first.py_func(a.copy(), v))
    with pytest.raises(ValueError):
        set_first.py_func(a.copy(), np.ones((2, 1, 4)))
    with pytest.raises(ValueError):
        set_first(a.copy(), np.ones((2, 1, 4)))
    assert_compiled(set_first)


# --- statsforecast/models.py: _tsb returns a dict display of an array
# np.repeat makes from a number ---

@njit
def tsb(y, h, alpha_d):
    if (y == 0).all():
        return {"mean": np.repeat(np.float32(0), h)}
    level = y[0]
    for t in range(1, y.size):
        level += alpha_d * (y[t] - level)
    return {"mean": np.repeat(np.float32(level), h)}


@njit
def repeated(x, n):
    return np.repeat(x, n), np.repeat(x, np.array([n]))


def test_dict_display_of_repeated_number():
    for y in (np.zeros(5), np.array([0.0, 3.0, 0.0, 1.0, 2.0])):
        got, want = tsb(y, 4, 0.2), tsb.py_func(y, 4, 0.2)
        assert list(got.keys()) == list(want.keys())
        same_arrays([got["mean"]], [want["mean"]])
    assert_compiled(tsb)
    for x in (2.5, 3, True, np.float32(1.5)):
        same_arrays(repeated(x, 3), repeated.py_func(x, 3))
    assert_compiled(repeated)


def test_dict_display_reports_the_value_that_cannot_be_typed():
    @njit
    def f(h):
        return {"mean": np.arange(h) + "x"}
    with pytest.raises(TypingError, match=r"No implementation of \+"):
        f(2)


# --- statsforecast/ces.py: cesupdate tests `season in [NONE, PARTIAL,
# FULL]` on every step of the series ---

NONE, SIMPLE, PARTIAL, FULL = 0, 1, 2, 3


@njit
def cesupdate(states, i, m, season, alpha_0, alpha_1, y):
    if season in [NONE, PARTIAL, FULL]:
        e = y - states[i - 1, 0]
    else:
        e = y - states[i - m, 0]
    if season not in [NONE, SIMPLE]:
        e -= states[i - m, 1]
    states[i, 0] = states[i - 1, 0] - (1.0 - alpha_1) * states[i - 1, 1] \
        + (alpha_0 - alpha_1) * e
    states[i, 1] = states[i - 1, 0] + (1.0 - alpha_0) * states[i - 1, 1] \
        + (alpha_0 + alpha_1) * e


@njit
def ces_states(y, m, season):
    states = np.zeros((len(y) + m, 2), dtype=np.float32)
    for i in range(m, len(y) + m):
        cesupdate(states, i, m, season, 0.6, 0.4, y[i - m])
    return states


@njit
def membership(x, s):
    return (x in [1, 2, 3], x not in [1, 2.5], x in [], s in ["N", "S"],
            s not in ["A"], 1 < x in [2, 3], x in [x + 0, 7])


def test_membership_in_a_list_display():
    y = np.array([112.0, 118.0, 132.0, 129.0, 121.0, 135.0, 148.0])
    for season in (NONE, SIMPLE, PARTIAL, FULL):
        np.testing.assert_array_equal(ces_states(y, 2, season),
                                      ces_states.py_func(y, 2, season))
    assert_compiled(ces_states)
    for x, s in [(1, "N"), (2, "Q"), (3, "S"), (0, "A")]:
        assert membership(x, s) == membership.py_func(x, s)
    assert_compiled(membership)
