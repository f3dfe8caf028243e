"""Public Numba programs as their authors wrote them: the examples of
Numba's documentation (numba/numba: docs/source/user/*.rst and
numba/tests/doc_examples/) and of numba/numba-examples.  Each runs on
seeded inputs and is compared with its plain Python function (`py_func`)
or with the NumPy version the example ships beside it: integers exactly,
floats to rounding; each compiled function is checked to be in nopython
mode.  Programs whose spelling needs `import numba` itself (a name of the
numba module) run under the numba alias in a process of their own."""
import math
import os
import random
import subprocess
import sys
import textwrap
from collections import OrderedDict

import numpy as np
import pytest

import pyjit as numba
from pyjit import (deferred_type, float32, guvectorize, int32, int64, jit,
                   njit, optional, prange, stencil)
from pyjit.experimental import jitclass
from pyjit.typed import Dict, List

from difftest import assert_compiled
from pyjit._vectorize import kernel_of

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def close(got, want):
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


# --- numba/numba: numba/tests/doc_examples/test_examples.py (ex_mandelbrot)

@jit(nopython=True)
def mandel(x, y, max_iters):
    """
    Given the real and imaginary parts of a complex number,
    determine if it is a candidate for membership in the Mandelbrot
    set given a fixed number of iterations.
    """
    i = 0
    c = complex(x,y)
    z = 0.0j
    for i in range(max_iters):
        z = z * z + c
        if (z.real * z.real + z.imag * z.imag) >= 4:
            return i

    return 255


@jit(nopython=True)
def create_fractal(min_x, max_x, min_y, max_y, image, iters):
    height = image.shape[0]
    width = image.shape[1]

    pixel_size_x = (max_x - min_x) / width
    pixel_size_y = (max_y - min_y) / height
    for x in range(width):
        real = min_x + x * pixel_size_x
        for y in range(height):
            imag = min_y + y * pixel_size_y
            color = mandel(real, imag, iters)
            image[y, x] = color

    return image


def test_mandelbrot():
    image = np.zeros((50 * 2, 75 * 2), dtype=np.uint8)
    got = create_fractal(-2.0, 1.0, -1.0, 1.0, image.copy(), 20)
    want = create_fractal.py_func(-2.0, 1.0, -1.0, 1.0, image.copy(), 20)
    np.testing.assert_array_equal(got, want)
    assert len(np.unique(got)) > 10
    assert_compiled(create_fractal)
    assert_compiled(mandel)


# --- numba/numba: numba/tests/doc_examples/test_examples.py
# (ex_moving_average), also numba/numba-examples: legacy/movemean.py

@guvectorize(['void(float64[:], intp[:], float64[:])'],
             '(n),()->(n)')
def move_mean(a, window_arr, out):
    window_width = window_arr[0]
    asum = 0.0
    count = 0
    for i in range(window_width):
        asum += a[i]
        count += 1
        out[i] = asum / count
    for i in range(window_width, len(a)):
        asum += a[i] - a[i - window_width]
        out[i] = asum / count


def test_moving_average():
    arr = np.random.default_rng(0).normal(size=(3, 10))
    got = move_mean(arr, 3)
    want = np.empty_like(arr)
    for row, out in zip(arr, want):
        kernel_of(move_mean).py_func(row, np.array([3]), out)
    np.testing.assert_array_equal(got, want)
    assert_compiled(kernel_of(move_mean))


# --- numba/numba: numba/tests/doc_examples/test_examples.py
# (ex_guvectorize_scalar_return, gufunc_jit)

@guvectorize([(int64[:], int64, int64[:])], '(n),()->()')
def g(x, y, res):
    acc = 0
    for i in range(x.shape[0]):
        acc += x[i] + y
    res[0] = acc


@guvectorize('(n)->(n)')
def copy(x, res):
    for i in range(x.shape[0]):
        res[i] = x[i]


@jit(nopython=True)
def jit_fn(x, res):
    copy(x, res)


def test_gufunc_scalar_result_and_call_from_jit():
    a = np.arange(5)
    result = g(a, 2)
    assert isinstance(result, np.integer) and result == 20
    x = np.arange(5, dtype='i4')
    res = np.zeros_like(x)
    jit_fn(x, res)
    np.testing.assert_array_equal(res, x)
    assert res.dtype == np.int32
    assert_compiled(jit_fn)


# --- numba/numba: numba/tests/doc_examples/test_jitclass.py (ex_jitclass),
# also numba/numba-examples: legacy/jitclass.py

spec = [
    ('value', int32),               # a simple scalar field
    ('array', float32[:]),          # an array field
]


@jitclass(spec)
class Bag(object):
    def __init__(self, value):
        self.value = value
        self.array = np.zeros(value, dtype=np.float32)

    @property
    def size(self):
        return self.array.size

    def increment(self, val):
        for i in range(self.size):
            self.array[i] += val
        return self.array

    @staticmethod
    def add(x, y):
        return x + y


def test_jitclass_bag():
    n = 21
    mybag = Bag(n)
    assert isinstance(mybag, Bag)
    assert mybag.value == n and mybag.size == n
    np.testing.assert_array_equal(mybag.array, np.zeros(n, np.float32))
    np.testing.assert_array_equal(mybag.increment(3),
                                  np.full(n, 3, np.float32))
    np.testing.assert_array_equal(mybag.increment(6),
                                  np.full(n, 9, np.float32))
    assert mybag.array.dtype == np.float32
    assert mybag.add(1, 1) == 2 and Bag.add(1, 2) == 3


# --- numba/numba: numba/tests/doc_examples/test_typed_dict_usage.py
# (ex_typed_dict_njit)

float_array = numba.types.float64[:]


@njit
def foo():
    # Make dictionary
    d = Dict.empty(
        key_type=numba.types.unicode_type,
        value_type=float_array,
    )
    # Fill the dictionary
    d["posx"] = np.arange(3).astype(np.float64)
    d["posy"] = np.arange(3, 6).astype(np.float64)
    return d


def test_typed_dict_made_in_compiled_code():
    d = foo()
    assert list(d.keys()) == ["posx", "posy"]
    np.testing.assert_array_equal(d["posx"], [0.0, 1.0, 2.0])
    np.testing.assert_array_equal(d["posy"], [3.0, 4.0, 5.0])
    assert str(Dict.empty(numba.types.int64, numba.types.int64)) == "{}"
    assert_compiled(foo)


# --- numba/numba: numba/tests/doc_examples/test_typed_list_usage.py
# (ex_inferred_list_jit)

@njit
def foo_list(x):
    l = List()
    for i in range(x):
        l.append(i)
    return l


def test_typed_list_made_in_compiled_code():
    got = foo_list(5)
    assert list(got) == list(foo_list.py_func(5)) == [0, 1, 2, 3, 4]
    assert str(got) == "[0, 1, 2, 3, 4]"
    assert repr(got) == "ListType[int64]([0, 1, 2, 3, 4])"
    assert_compiled(foo_list)


# --- numba/numba-examples: examples/density_estimation/histogram/impl.py

def numpy_histogram(a, bins):
    return np.histogram(a, bins)


@numba.jit(nopython=True)
def get_bin_edges(a, bins):
    bin_edges = np.zeros((bins+1,), dtype=np.float64)
    a_min = a.min()
    a_max = a.max()
    delta = (a_max - a_min) / bins
    for i in range(bin_edges.shape[0]):
        bin_edges[i] = a_min + i * delta

    bin_edges[-1] = a_max  # Avoid roundoff error on last point
    return bin_edges


@numba.jit(nopython=True)
def compute_bin(x, bin_edges):
    # assuming uniform bins for now
    n = bin_edges.shape[0] - 1
    a_min = bin_edges[0]
    a_max = bin_edges[-1]

    # special case to mirror NumPy behavior for last bin
    if x == a_max:
        return n - 1 # a_max always in last bin

    bin = int(n * (x - a_min) / (a_max - a_min))

    if bin < 0 or bin >= n:
        return None
    else:
        return bin


@numba.jit(nopython=True)
def numba_histogram(a, bins):
    hist = np.zeros((bins,), dtype=np.intp)
    bin_edges = get_bin_edges(a, bins)

    for x in a.flat:
        bin = compute_bin(x, bin_edges)
        if bin is not None:
            hist[int(bin)] += 1

    return hist, bin_edges


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_histogram(dtype):
    rng = np.random.default_rng(1)
    for nbins in (10, 1000):
        a = rng.normal(loc=0.0, scale=5.0, size=3000).astype(dtype)
        hist, edges = numba_histogram(a, nbins)
        want_hist, want_edges = numba_histogram.py_func(a, nbins)
        np.testing.assert_array_equal(hist, want_hist)
        np.testing.assert_array_equal(edges, want_edges)
        # the example's own validator; NumPy computes float32 edges in
        # float32, the example in float64 (as Numba does)
        expected_hist, expected_edges = numpy_histogram(a, nbins)
        tol = 1e-6 if dtype == np.float64 else 1e-5
        np.testing.assert_allclose(expected_edges, edges, rtol=tol, atol=tol)
        np.testing.assert_array_equal(expected_hist, hist)
    assert_compiled(numba_histogram)
    assert_compiled(compute_bin)


# --- numba/numba-examples: examples/density_estimation/kernel/impl.py

def numpy_kde(eval_points, samples, bandwidths):
    # This uses a lot of RAM and doesn't scale to larger datasets
    rescaled_x = (eval_points[:, np.newaxis] - samples[np.newaxis, :]) / bandwidths[np.newaxis, :]
    gaussian = np.exp(-0.5 * rescaled_x**2) / np.sqrt(2 * np.pi) / bandwidths[np.newaxis, :]
    return gaussian.sum(axis=1) / len(samples)


@numba.jit(nopython=True)
def gaussian(x):
    return np.exp(-0.5 * x**2) / np.sqrt(2 * np.pi)


@numba.jit(nopython=True)
def numba_kde(eval_points, samples, bandwidths):
    result = np.zeros_like(eval_points)

    for i, eval_x in enumerate(eval_points):
        for sample, bandwidth in zip(samples, bandwidths):
            result[i] += gaussian((eval_x - sample) / bandwidth) / bandwidth
        result[i] /= len(samples)

    return result


@numba.jit(nopython=True, parallel=True)
def numba_kde_multithread(eval_points, samples, bandwidths):
    result = np.zeros_like(eval_points)

    # SPEEDTIP: Parallelize over evaluation points with prange()
    for i in numba.prange(len(eval_points)):
        eval_x = eval_points[i]
        for sample, bandwidth in zip(samples, bandwidths):
            result[i] += gaussian((eval_x - sample) / bandwidth) / bandwidth
        result[i] /= len(samples)

    return result


def test_kernel_density_estimate():
    rng = np.random.default_rng(2)
    nsamples, sigma = 1000, 5.0
    samples = rng.normal(loc=0.0, scale=sigma, size=nsamples)
    bandwidths = np.full_like(samples, 1.06 * nsamples**0.2 * sigma)
    eval_points = rng.normal(loc=0.0, scale=5.0, size=300)
    want = numba_kde.py_func(eval_points, samples, bandwidths)
    for f in (numba_kde, numba_kde_multithread):
        got = f(eval_points, samples, bandwidths)
        close(got, want)
        np.testing.assert_allclose(
            numpy_kde(eval_points, samples, bandwidths), got,
            rtol=1e-6, atol=1e-6)
        assert_compiled(f)


# --- numba/numba-examples: examples/finance/blackscholes/blackscholes_numba.py

@jit
def cnd_numba(d):
    A1 = 0.31938153
    A2 = -0.356563782
    A3 = 1.781477937
    A4 = -1.821255978
    A5 = 1.330274429
    RSQRT2PI = 0.39894228040143267793994605993438
    K = 1.0 / (1.0 + 0.2316419 * math.fabs(d))
    ret_val = (RSQRT2PI * math.exp(-0.5 * d * d) *
               (K * (A1 + K * (A2 + K * (A3 + K * (A4 + K * A5))))))
    if d > 0:
        ret_val = 1.0 - ret_val
    return ret_val


@jit
def black_scholes_numba(stockPrice, optionStrike,
                        optionYears, Riskfree, Volatility):
    callResult = np.empty_like(stockPrice)
    putResult = np.empty_like(stockPrice)

    S = stockPrice
    X = optionStrike
    T = optionYears
    R = Riskfree
    V = Volatility
    for i in range(len(S)):
        sqrtT = math.sqrt(T[i])
        d1 = (math.log(S[i] / X[i]) + (R + 0.5 * V * V) * T[i]) / (V * sqrtT)
        d2 = d1 - V * sqrtT
        cndd1 = cnd_numba(d1)
        cndd2 = cnd_numba(d2)

        expRT = math.exp((-1. * R) * T[i])
        callResult[i] = (S[i] * cndd1 - X[i] * expRT * cndd2)
        putResult[i] = (X[i] * expRT * (1.0 - cndd2) - S[i] * (1.0 - cndd1))

    return callResult, putResult


def test_black_scholes():
    rng = np.random.default_rng(3)
    n = 1000
    stock = rng.uniform(5.0, 30.0, n)
    strike = rng.uniform(1.0, 100.0, n)
    years = rng.uniform(0.25, 10.0, n)
    got = black_scholes_numba(stock, strike, years, 0.02, 0.30)
    want = black_scholes_numba.py_func(stock, strike, years, 0.02, 0.30)
    for g, w in zip(got, want):
        close(g, w)
    assert_compiled(black_scholes_numba)
    assert_compiled(cnd_numba)


# --- numba/numba-examples: examples/physics/lennard_jones/numpy_impl.py,
# numba_array_impl.py, numba_scalar_impl.py, numba_scalar_prange_impl.py

def lj_numpy(r):
    sr6 = (1./r)**6
    pot = 4.*(sr6*sr6 - sr6)
    return pot


def distances_numpy(cluster):
    diff = cluster[:, np.newaxis, :] - cluster[np.newaxis, :, :]
    mat = np.sqrt((diff * diff).sum(-1))
    return mat


def potential_numpy(cluster):
    d = distances_numpy(cluster)
    dtri = np.triu(d)
    energy = lj_numpy(dtri[dtri > 1e-6]).sum()
    return energy


def make_cluster(natoms, radius=20, seed=1981):
    np.random.seed(seed)
    cluster = np.random.normal(0, radius, size=(natoms, 3)) - 0.5
    return cluster


@numba.njit
def lj_numba_array(r):
    sr6 = (1./r)**6
    pot = 4.*(sr6*sr6 - sr6)
    return pot


@numba.njit
def distances_numba_array(cluster):
    # Original: diff = cluster[:, np.newaxis, :] - cluster[np.newaxis, :, :]
    # Since np.newaxis is not supported, we use reshape to do this
    diff = (cluster.reshape(cluster.shape[0], 1, cluster.shape[1]) -
            cluster.reshape(1, cluster.shape[0], cluster.shape[1]))
    mat = (diff * diff)
    # Original: mat = mat.sum(-1)
    # Since axis argument is not supported, we write the loop out
    out = np.empty(mat.shape[:2], dtype=mat.dtype)
    for i in np.ndindex(out.shape):
        out[i] = mat[i].sum()

    return np.sqrt(out)


@numba.njit
def potential_numba_array(cluster):
    d = distances_numba_array(cluster)
    # Original: dtri = np.triu(d)
    # np.triu is not supported; so write my own loop to clear the
    # lower triangle
    for i in range(d.shape[0]):
        for j in range(d.shape[1]):
            if i > j:
                d[i, j] = 0
    # Original: lj_numba_array(d[d > 1e-6]).sum()
    # d[d > 1e-6] is not supported due to the indexing with boolean
    # array.  Replace with custom loop.
    energy = 0.0
    for v in d.flat:
        if v > 1e-6:
            energy += lj_numba_array(v)
    return energy


@numba.njit
def lj_numba_scalar(r):
    sr6 = (1./r)**6
    pot = 4.*(sr6*sr6 - sr6)
    return pot


@numba.njit
def distance_numba_scalar(atom1, atom2):
    dx = atom2[0] - atom1[0]
    dy = atom2[1] - atom1[1]
    dz = atom2[2] - atom1[2]

    r = (dx * dx + dy * dy + dz * dz) ** 0.5

    return r


@numba.njit
def potential_numba_scalar(cluster):
    energy = 0.0
    for i in range(len(cluster)-1):
        for j in range(i + 1, len(cluster)):
            r = distance_numba_scalar(cluster[i], cluster[j])
            e = lj_numba_scalar(r)
            energy += e

    return energy


@numba.njit(parallel=True)
def potential_numba_scalar_prange(cluster):
    energy = 0.0
    # numba.prange requires parallel=True flag to compile.
    # It causes the loop to run in parallel in multiple threads.
    for i in numba.prange(len(cluster)-1):
        for j in range(i + 1, len(cluster)):
            r = distance_numba_scalar(cluster[i], cluster[j])
            e = lj_numba_scalar(r)
            energy += e

    return energy


def test_lennard_jones():
    cluster = make_cluster(200)
    want = potential_numpy(cluster)
    for f in (potential_numba_array, potential_numba_scalar,
              potential_numba_scalar_prange):
        got = f(cluster)
        assert got == pytest.approx(f.py_func(cluster), rel=1e-12)
        np.testing.assert_allclose(want, got)
        assert_compiled(f)


# --- numba/numba-examples: examples/waveforms/zero_suppression/impl.py

def numpy_zero_suppression(values, threshold):
    cond = np.less(np.absolute(values), threshold)
    return np.where(cond, 0, values)


@numba.vectorize(nopython=True)
def numba_zero_suppression(values, threshold):
    if np.abs(values) >= threshold:
        return values
    else:
        return 0.0


@pytest.mark.parametrize("dtype", [np.int16, np.float32, np.float64])
def test_zero_suppression(dtype):
    size = 1000
    input_array = np.random.default_rng(4).normal(loc=0.0, scale=5.0,
                                                  size=size)
    # add a pulse train
    input_array += 50 * np.clip(np.cos(np.linspace(0.0, 1.0, num=size)*np.pi*10), 0, 1.0)
    input_array = input_array.astype(dtype)
    got = numba_zero_suppression(input_array, 8.0)
    np.testing.assert_array_equal(numpy_zero_suppression(input_array, 8.0),
                                  got)
    assert got.dtype == np.float64


# --- numba/numba-examples: legacy/bubblesort.py

def bubblesort(X):
    N = X.shape[0]
    for end in range(N, 1, -1):
        for i in range(end - 1):
            if X[i] > X[i + 1]:
                X[i], X[i + 1] = X[i + 1], X[i]


bubblesort_fast = jit(nopython=True)(bubblesort)


def test_bubblesort():
    Xorig = np.random.default_rng(5).integers(-1000, 1000, 300)
    X0 = Xorig.copy()
    bubblesort(X0)
    X1 = Xorig.copy()
    bubblesort_fast(X1)
    np.testing.assert_array_equal(X0, X1)
    np.testing.assert_array_equal(X1, np.sort(Xorig))
    assert_compiled(bubblesort_fast)


# --- numba/numba-examples: legacy/fbcorr.py

@jit(nopython=True)
def fbcorr(imgs, filters, output):
    n_imgs, n_rows, n_cols, n_channels = imgs.shape
    n_filters, height, width, n_ch2 = filters.shape

    for ii in range(n_imgs):
        for rr in range(n_rows - height + 1):
            for cc in range(n_cols - width + 1):
                for hh in range(height):
                    for ww in range(width):
                        for jj in range(n_channels):
                            for ff in range(n_filters):
                                imgval = imgs[ii, rr + hh, cc + ww, jj]
                                filterval = filters[ff, hh, ww, jj]
                                output[ii, ff, rr, cc] += imgval * filterval


def test_filterbank_correlation():
    rng = np.random.default_rng(6)
    imgs = rng.normal(size=(2, 8, 8, 3))
    filt = rng.normal(size=(4, 3, 3, 3))
    got = np.zeros((2, 4, 6, 6))
    want = np.zeros((2, 4, 6, 6))
    fbcorr(imgs, filt, got)
    fbcorr.py_func(imgs, filt, want)
    close(got, want)
    assert_compiled(fbcorr)


# --- numba/numba-examples: legacy/laplace2d/laplace2d-numba.py

@jit
def jacobi_relax_core(A, Anew):
    error = 0.0
    n = A.shape[0]
    m = A.shape[1]

    for j in range(1, n - 1):
        for i in range(1, m - 1):
            Anew[j, i] = 0.25 * ( A[j, i + 1] + A[j, i - 1] \
                                + A[j - 1, i] + A[j + 1, i])
            error = max(error, abs(Anew[j, i] - A[j, i]))
    return error


def test_laplace2d():
    n = m = 32
    runs = {}
    for f in (jacobi_relax_core, jacobi_relax_core.py_func):
        A = np.zeros((n, m), dtype=np.float64)
        Anew = np.zeros((n, m), dtype=np.float64)
        A[:, 0] = Anew[:, 0] = 1.0
        errors = []
        for _ in range(50):
            errors.append(f(A, Anew))
            A, Anew = Anew, A
        runs[f] = errors, A
    (got_err, got_A), (want_err, want_A) = runs.values()
    assert got_err == want_err
    np.testing.assert_array_equal(got_A, want_A)
    assert_compiled(jacobi_relax_core)


# --- numba/numba-examples: legacy/linear_regression/linear_regression_numba.py

@numba.njit()
def linear_regression(Y, X, w, iterations, alphaN):
    for i in range(iterations):
        w -= alphaN * np.dot(X.T, np.dot(X,w)-Y)
    return w


def test_linear_regression():
    N, D, p = 500, 10, 4
    rng = np.random.default_rng(7)
    points = rng.random((N, D))
    labels = rng.random((N, p))
    got = linear_regression(labels, points, np.zeros((D, p)), 20, 0.01 / N)
    want = linear_regression.py_func(labels, points, np.zeros((D, p)), 20,
                                     0.01 / N)
    close(got, want)
    assert_compiled(linear_regression)


# --- numba/numba-examples: legacy/logistic-regression/logistic_regression.py

@numba.njit(parallel=True, fastmath=True)
def logistic_regression(Y, X, w, iterations):
    for i in range(iterations):
        w -= np.dot(((1.0 / (1.0 + np.exp(-Y * np.dot(X, w))) - 1.0) * Y), X)
    return w


def test_logistic_regression():
    D, N = 10, 1000
    rng = np.random.default_rng(8)
    points = rng.random((N, D))
    labels = rng.random(N)
    got = logistic_regression(labels, points, 2.0 * np.ones(D) - 1.3, 30)
    want = logistic_regression.py_func(labels, points,
                                       2.0 * np.ones(D) - 1.3, 30)
    np.testing.assert_allclose(got, want, rtol=1e-9)
    assert_compiled(logistic_regression)


# --- numba/numba-examples: legacy/k-means/k-means_numba.py

@njit
def kmeans(A, numCenter, numIter, N, D, init_centroids):
    centroids = init_centroids

    for l in range(numIter):
        dist = np.array([[math.sqrt(np.sum((A[i,:]-centroids[j,:])**2))
                                for j in range(numCenter)] for i in range(N)])
        labels = np.array([dist[i,:].argmin() for i in range(N)])

        centroids = np.array([[np.sum(A[labels==i, j])/np.sum(labels==i)
                                 for j in range(D)] for i in range(numCenter)])

    return centroids


# legacy/k-means/k-means_pa.py: the same function under @njit(parallel=True),
# whose array expressions on rows run inside Python-level loops
kmeans_pa = njit(parallel=True)(kmeans.py_func)


def test_kmeans():
    rng = np.random.default_rng(9)
    size, features, centers = 500, 4, 3
    init_centroids = rng.random((centers, features))
    A = rng.random((size, features))
    want = kmeans.py_func(A, centers, 5, size, features, init_centroids)
    for f in (kmeans, kmeans_pa):
        got = f(A, centers, 5, size, features, init_centroids)
        close(got, want)
        assert_compiled(f)


# --- numba/numba-examples: legacy/kernel-density-estimation/
# kernel_density_estimation_pa.py (array expressions in a prange loop)

@njit(parallel=True)
def kde(X):
    b = 0.5
    points = np.array([-1.0, 2.0, 5.0])
    N = points.shape[0]
    n = X.shape[0]
    exps = 0
    for i in prange(n):
        p = X[i]
        d = (-(p-points)**2)/(2*b**2)
        m = np.min(d)
        exps += m-np.log(b*N)+np.log(np.sum(np.exp(d-m)))
    return exps


def test_kde_prange():
    X = np.random.default_rng(12).random(10000)
    got = kde(X)
    assert got == pytest.approx(kde.py_func(X), rel=1e-12)
    assert_compiled(kde)


# --- numba/numba-examples: legacy/juliaset/juliaset_numba.py

@numba.njit()
def iterate(col, Z, c):
    for k in range(col):
        Z = Z*Z + c
    return np.exp(-np.abs(Z))


def test_juliaset_iterate():
    # 8 steps: the orbits that escape grow to 1e170 without overflowing;
    # more steps amplify the last bit a fused multiply-add changes (Numba
    # gives the same values as pyjit there)
    x = np.linspace(-1.5, 1.5, 120)
    (X, Y) = np.meshgrid(x, x)
    Z = X + Y*1j
    c = -.745429 + .11308j
    got = iterate(8, Z, c)
    np.testing.assert_allclose(got, iterate.py_func(8, Z, c), rtol=1e-9)
    assert (got == 0).any() and (got > 0.1).any()
    assert_compiled(iterate)


# --- numba/numba-examples: legacy/wave-2d/wave_2d_numba.py and
# legacy/laplace2d/laplace2d-pa.py (stencils)

@stencil()
def rws_kernel(p, c, r):
    return 2 * c[0, 0] - p[0, 0] + r * r * (c[-1, 0] + c[1, 0] + c[0, -1] + c[0, 1] - 4*c[0, 0])


@njit()
def runWaveStencil(p, c, f, r, t, n, s2, s4, s):
    rws_kernel(p, c, r, out=f)

    # Dynamic source
    f[s2+s4-2:s2+s4+1, 0:2] = 1.5 * np.sin(t*n)
    f[s2-s4-2:s2-s4+1, 0:2] = 1.5 * np.sin(t*n)
    f[1:s-1, 0:2] = 1.0

    # Transparent boundary handling
    f[1:s-1, 0]   = (2.0 * c[1:s-1, 0]   + (r-1.0) * p[1:s-1, 0]   + 2.0*r*r*(c[1:s-1, 1]   + c[2:s, 0]   + c[0:s-2, 0]   - 3.0 * c[1:s-1, 0]))   / (1.0+r) # Y:1
    f[1:s-1, s-1] = (2.0 * c[1:s-1, s-1] + (r-1.0) * p[1:s-1, s-1] + 2.0*r*r*(c[1:s-1, s-2] + c[2:s, s-1] + c[0:s-2, s-1] - 3.0 * c[1:s-1, s-1])) / (1.0+r) # Y:s
    f[0, 1:s-1]   = (2.0 * c[0, 1:s-1]   + (r-1.0) * p[0, 1:s-1]   + 2.0*r*r*(c[1, 1:s-1]   + c[0, 2:s]   + c[0, 0:s-2]   - 3.0 * c[0, 1:s-1]))   / (1.0+r) # X:1
    f[s-1, 1:s-1] = (2.0 * c[s-1, 1:s-1] + (r-1.0) * p[s-1, 1:s-1] + 2.0*r*r*(c[s-2, 1:s-1] + c[s-1, 2:s] + c[s-1, 0:s-2] - 3.0 * c[s-1, 1:s-1])) / (1.0+r) # Y:s


def rws_numpy(p, c, r, out):
    """rws_kernel written with NumPy slices: the interior of out."""
    out[1:-1, 1:-1] = 2 * c[1:-1, 1:-1] - p[1:-1, 1:-1] + r * r * (
        c[:-2, 1:-1] + c[2:, 1:-1] + c[1:-1, :-2] + c[1:-1, 2:]
        - 4 * c[1:-1, 1:-1])


def test_wave_2d():
    s, n, dt, r = 32, 300, 0.0001, 10 * 0.0001 / 0.01
    s2, s4 = s // 2, s // 4
    rng = np.random.default_rng(13)
    p, c = rng.normal(size=(s, s)), rng.normal(size=(s, s))
    f = np.zeros((s, s))
    # the stencil alone, called from Python, is the NumPy kernel
    want = np.zeros((s, s))
    rws_numpy(p, c, r, want)
    close(rws_kernel(p, c, r), want)
    for step in range(10):
        want = f.copy()
        runWaveStencil(p, c, f, r, step * dt, n, s2, s4, s)
        runWaveStencil.py_func(p, c, want, r, step * dt, n, s2, s4, s)
        close(f, want)
        # Rotate buffers for next iteration
        p, c, f = c, f, p
    assert_compiled(runWaveStencil)


@stencil
def jacobi_kernel(A):
    return 0.25 * (A[0,1] + A[0,-1] + A[-1,0] + A[1,0])


@jit(parallel=True)
def jacobi_relax_core_pa(A, Anew):
    error = 0.0
    n = A.shape[0]
    m = A.shape[1]

    Anew = jacobi_kernel(A)
    error = np.max(np.abs(Anew - A))
    return error


def test_laplace2d_stencil():
    A = np.random.default_rng(14).random((40, 30))
    got = jacobi_relax_core_pa(A, np.zeros_like(A))
    Anew = np.zeros_like(A)
    Anew[1:-1, 1:-1] = 0.25 * (A[1:-1, 2:] + A[1:-1, :-2] + A[:-2, 1:-1]
                               + A[2:, 1:-1])
    assert got == np.max(np.abs(Anew - A))
    assert_compiled(jacobi_relax_core_pa)


# --- numba/numba-examples: legacy/binarytree.py (jitclasses and deferred
# types: a tree and a stack of its nodes)

node_type = deferred_type()

spec = OrderedDict()
spec['data'] = int32
spec['left'] = optional(node_type)
spec['right'] = optional(node_type)


@jitclass(spec)
class TreeNode(object):
    def __init__(self, data):
        self.data = data
        self.left = None
        self.right = None


node_type.define(TreeNode.class_type.instance_type)

stack_type = deferred_type()

spec = OrderedDict()
spec['data'] = TreeNode.class_type.instance_type
spec['next'] = optional(stack_type)


@jitclass(spec)
class Stack(object):
    def __init__(self, data, next):
        self.data = data
        self.next = next


stack_type.define(Stack.class_type.instance_type)


@njit
def push(stack, data):
    return Stack(data, stack)


@njit
def pop(stack):
    return stack.next


@njit
def make_stack(data):
    return push(None, data)


@njit
def list_preorder(node):
    """
    Returns a list of the data by preorder traversing the tree
    """
    out = []

    stack = make_stack(node)

    while stack is not None:
        node = stack.data
        out.append(node.data)
        stack = pop(stack)

        if node.right is not None:
            stack = push(stack, node.right)
        if node.left is not None:
            stack = push(stack, node.left)

    return out


@njit
def list_inorder(node):
    """
    Returns a list of the data by inorder traversing the tree
    """

    out = []

    done = False

    current = node
    stack = None

    while not done:
        if current is not None:
            stack = push(stack, current)
            current = current.left

        else:
            if stack is not None:
                tos = stack.data
                out.append(tos.data)
                stack = pop(stack)
                current = tos.right
            else:
                done = True

    return out


def build_random_tree(size):
    """
    Create a randomly constructred tree that is fairly balanced
    """
    root = TreeNode(0)

    for i in range(1, size):
        cursor = root
        while True:
            choice = random.choice(['L', 'R'])
            if choice == 'L':
                if cursor.left:
                    cursor = cursor.left
                else:
                    cursor.left = TreeNode(i)
                    break
            elif choice == 'R':
                if cursor.right:
                    cursor = cursor.right
                else:
                    cursor.right = TreeNode(i)
                    break
    return root


def walk(node, order):
    """The tree's data by recursion, in `order` ("pre" or "in")."""
    if node is None:
        return []
    left, right = walk(node.left, order), walk(node.right, order)
    return [node.data] + left + right if order == "pre" \
        else left + [node.data] + right


def test_binary_tree():
    random.seed(10)
    tree = build_random_tree(100)
    preorder = list_preorder(tree)
    inorder = list_inorder(tree)
    assert preorder == walk(tree, "pre") == list_preorder.py_func(tree)
    assert inorder == walk(tree, "in") == list_inorder.py_func(tree)
    assert sorted(inorder) == list(range(100))
    for f in (list_preorder, list_inorder, push, pop, make_stack):
        assert_compiled(f)


# --- programs that name the numba module itself, run under the alias

def run_with_alias(tmp_path, source):
    script = tmp_path / "prog.py"
    script.write_text(textwrap.dedent(source))
    proc = subprocess.run([sys.executable, "-m", "pyjit", "run", str(script)],
                          capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, PYTHONPATH=ROOT),
                          cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.splitlines()


SUM2D = """
# numba/numba-examples: legacy/sum.py
from numba import double
from numba import jit

def sum2d(arr):
    M, N = arr.shape
    result = 0.0
    for i in range(M):
        for j in range(N):
            result += arr[i,j]
    return result

jitsum2d = jit(sum2d)
csum2d = jitsum2d.compile(double(double[:,::1]))

from numpy import random
random.seed(11)
arr = random.randn(100, 100)
print(sum2d(arr) == jitsum2d(arr) == csum2d(arr),
      len(jitsum2d.nopython_signatures))
"""


def test_sum2d_compiled_for_a_signature(tmp_path):
    # the call with a C array reuses the signature compiled ahead
    assert run_with_alias(tmp_path, SUM2D) == ["True 1"]


CONTAINERS = """
# numba/numba: docs/source/user/jitclass.rst (typed containers as members)
from numba import typed, typeof
from numba.experimental import jitclass

d = typed.Dict()
d[1] = "apple"
d[2] = "orange"
l = typed.List()
l.append(123.)
l.append(456.)


@jitclass([('d', typeof(d)), ('l', typeof(l))])
class ContainerInstHolder(object):
    def __init__(self, dict_inst, list_inst):
        self.d = dict_inst
        self.l = list_inst

container = ContainerInstHolder(d, l)
print(container.d) # {1: apple, 2: orange}
print(container.l) # [123.0, 456.0]
"""


def test_typed_containers_print_as_numba_prints_them(tmp_path):
    assert run_with_alias(tmp_path, CONTAINERS) == [
        "{1: apple, 2: orange}", "[123.0, 456.0]"]


JIT_MODULE = """
# numba/numba: docs/source/user/jit-module.rst
from numba import jit, jit_module

def inc(x):
   return x + 1

def add(x, y):
   return x + y

import numpy as np
# Use NumPy's mean function
mean = np.mean

@jit(nogil=True)
def mul(a, b):
   return a * b

jit_module(nopython=True, error_model="numpy")

def div(a, b):
    return a / b

print(inc(2), add(2, 3), mul(2, 5), div(1, 4), mean([1.0, 3.0]))
print(inc.nopython_signatures, add.nopython_signatures,
      mul.nopython_signatures)
print(type(inc).__name__, type(mul).__name__, type(div).__name__)
"""


def test_jit_module(tmp_path):
    assert run_with_alias(tmp_path, JIT_MODULE) == [
        "3 5 10 0.25 2.0",
        "[(int64,) -> int64] [(int64, int64) -> int64] "
        "[(int64, int64) -> int64]",
        "Dispatcher Dispatcher function"]


THREADING_LAYER = """
# numba/numba: docs/source/user/threading-layer.rst
from numba import config, njit, threading_layer
import numpy as np

# set the threading layer before any parallel target compilation
config.THREADING_LAYER = 'threadsafe'

@njit(parallel=True)
def foo(a, b):
    return a + b

x = np.arange(10.)
y = x.copy()

# this will force the compilation of the function, select a threading layer
# and then execute in parallel
print((foo(x, y) == x + y).all())

# demonstrate the threading layer chosen
print("Threading layer chosen: %s" % threading_layer())
"""


def test_threading_layer(tmp_path):
    assert run_with_alias(tmp_path, THREADING_LAYER) == [
        "True", "Threading layer chosen: omp"]
