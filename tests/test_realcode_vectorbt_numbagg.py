"""Public Numba code run under pyjit.

numbagg/numbagg (BSD 3-clause): its moving-window, exponential moving
and NaN-aggregation kernels, copied as their authors wrote them.  numbagg
wraps each in a decorator of its own (numbagg/decorators.py) that calls
`numba.guvectorize(signatures, layout, nopython=True)` (`numba.njit` for
the reductions); here that call is spelled out.  Each gufunc is compared
with its plain Python kernel applied row by row, on seeded data with
NaNs, several sizes and both float widths.

vectorbt's generic/nb.py and returns/nb.py carry a Commons Clause, so the
second half is short programs of our own built from the constructs that
code relies on: an `overload` that is also the plain Python function
(isinstance(arr, Type), Omitted, as_dtype, np.promote_types), optional
window arguments, chained assignment, tuple-returning helpers, closures
passed with *args to a jitted apply loop, typed dicts of index arrays,
record arrays filled field by field, namedtuple constants, np.nan*
reductions and percentiles.  They run under the numba alias in a process
of their own, compiled and then again with PYJIT_DISABLE_JIT=1 as the
plain Python reference."""
import os
import pickle
import subprocess
import sys
import textwrap
from typing import TypeVar

import numpy as np
import pytest
from numpy.typing import NDArray

from difftest import assert_compiled
from pyjit import bool_, float32, float64, guvectorize, int32, int64, njit
from pyjit._vectorize import kernel_of

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# the names numbagg's annotations use (numbagg/utils.py)
FloatArray = NumericArray = GenericArray = IntArray = np.ndarray
T = TypeVar("T")
F = TypeVar("F")

MOVE = [(float32[:], int64, int64, float32[:]),
        (float64[:], int64, int64, float64[:])]
MOVE2 = [(float32[:], float32[:], int64, int64, float32[:]),
         (float64[:], float64[:], int64, int64, float64[:])]
EXP = [(float32[:], float32[:], float32, float32[:]),
       (float64[:], float64[:], float64, float64[:])]
EXP2 = [(float32[:], float32[:], float32[:], float32, float32[:]),
        (float64[:], float64[:], float64[:], float64, float64[:])]
AGG_BOOL = [(int32[:], bool_[:]), (int64[:], bool_[:]),
            (float32[:], bool_[:]), (float64[:], bool_[:])]
AGG_COUNT = [(int32[:], int64[:]), (int64[:], int64[:]),
             (float32[:], int64[:]), (float64[:], int64[:])]
AGG_SAME = [(int32[:], int32[:]), (int64[:], int64[:]),
            (float32[:], float32[:]), (float64[:], float64[:])]
AGG_FLOAT = [(float32[:], float32[:]), (float64[:], float64[:])]
AGG_DDOF = [(float32[:], int32, float32[:]), (float64[:], int64, float64[:])]
FILL = [(float32[:], int64, float32[:]), (float64[:], int64, float64[:])]


def gufunc(signatures, layout):
    """What numbagg's decorators do with a kernel."""
    return guvectorize(signatures, layout, nopython=True)


# --- numbagg/numbagg: numbagg/moving.py

def move_mean(a: T, window: int, min_count: int, out: T) -> None:
    asum = 0.0
    count = 0
    min_count = max(min_count, 1)

    # We previously had an initial loop which filled NaNs before `min_count`, but it
    # didn't have a discernible effect on performance.

    for i in range(window):
        ai = a[i]
        if not np.isnan(ai):
            asum += ai
            count += 1
        out[i] = asum / count if count >= min_count else np.nan

    for i in range(window, len(a)):
        ai = a[i]
        aold = a[i - window]

        ai_valid: bool = not np.isnan(ai)
        aold_valid: bool = not np.isnan(aold)

        # We previously had a single operation where both variables are valid, but it
        # caused some numerical instability for float32 values. For example the
        # `test_numerical_issues_float32_move_mean_1` test fails. While it had a 10%
        # performance impact relative to the previous if / elif, the current mode with
        # just two `if` branches is about 10% faster than the previous mode; maybe it
        # can execute both branches in parallel?

        # if ai_valid and aold_valid:
        #     asum += ai - aold
        # elif ...

        if aold_valid:
            asum -= aold
            count -= 1
        if ai_valid:
            asum += ai
            count += 1

        out[i] = asum / count if count >= min_count else np.nan


move_mean_gu = gufunc(MOVE, "(n),(),()->(n)")(move_mean)

# --- numbagg/numbagg: numbagg/moving.py

def move_sum(a: T, window: int, min_count: int, out: T) -> None:
    asum = 0.0
    count = 0

    # We don't generally split these up into two loops, but in `move_sum` & `move_mean`,
    # they're sufficiently different that it's worthwhile.

    for i in range(window):
        ai = a[i]
        if not np.isnan(ai):
            asum += ai
            count += 1
        out[i] = asum if count >= min_count else np.nan

    for i in range(window, len(a)):
        ai = a[i]
        aold = a[i - window]

        ai_valid: bool = not np.isnan(ai)
        aold_valid: bool = not np.isnan(aold)

        # Similar to the comment in `move_mean`, we previously had a single operation if
        # both were valid. That causes numerical instability for float32 values with a
        # window of 1.
        #
        # But possibly — particularly with a sum — the old and new values are likely to
        # be closer to each other than to the accumulator, so the numerical instability
        # is worse with this approach. When testing — for example with
        # `test_numerical_issues_float32_move_sum_100`, both approaches seem to fail
        # when increasing the multiplier at approximately the same rate.

        if ai_valid:
            asum += ai
            count += 1
        if aold_valid:
            asum -= aold
            count -= 1

        out[i] = asum if count >= min_count else np.nan


move_sum_gu = gufunc(MOVE, "(n),(),()->(n)")(move_sum)

# --- numbagg/numbagg: numbagg/moving.py

def move_std(a: T, window: int, min_count: int, out: T) -> None:
    asum = 0.0
    asum_sq = 0.0
    count = 0
    min_count = max(min_count, 2)

    for i in range(len(a)):
        ai = a[i]

        if i >= window:
            aold = a[i - window]
            if not np.isnan(aold):
                asum -= aold
                asum_sq -= aold * aold
                count -= 1

        if not np.isnan(ai):
            asum += ai
            asum_sq += ai * ai
            count += 1

        if count >= min_count:
            variance = (asum_sq - asum**2 / count) / (count - 1)
            out[i] = np.sqrt(variance)
        else:
            out[i] = np.nan


move_std_gu = gufunc(MOVE, "(n),(),()->(n)")(move_std)

# --- numbagg/numbagg: numbagg/moving.py

def move_cov(a: T, b: T, window: int, min_count: int, out: T) -> None:
    asum = 0.0
    bsum = 0.0
    prodsum = (
        0.0  # This will store the sum of products of corresponding values in a and b
    )
    count = 0
    min_count = max(min_count, 2)

    for i in range(len(a)):
        ai = a[i]
        bi = b[i]

        if i >= window:
            aold = a[i - window]
            bold = b[i - window]
            if not (np.isnan(aold) or np.isnan(bold)):
                asum -= aold
                bsum -= bold
                prodsum -= aold * bold
                count -= 1

        if not (np.isnan(ai) or np.isnan(bi)):
            asum += ai
            bsum += bi
            prodsum += ai * bi
            count += 1
        if count >= min_count:
            out[i] = (prodsum - asum * bsum / count) / (count - 1)
        else:
            out[i] = np.nan


move_cov_gu = gufunc(MOVE2, "(n),(n),(),()->(n)")(move_cov)

# --- numbagg/numbagg: numbagg/moving.py

def move_corr(a: T, b: T, window: int, min_count: int, out: T) -> None:
    asum = 0.0
    bsum = 0.0
    prodsum = 0.0
    asum_sq = 0.0
    bsum_sq = 0.0
    count = 0

    min_count = max(min_count, 1)

    for i in range(len(a)):
        ai = a[i]
        bi = b[i]

        if i >= window:
            aold = a[i - window]
            bold = b[i - window]
            if not (np.isnan(aold) or np.isnan(bold)):
                asum -= aold
                bsum -= bold
                prodsum -= aold * bold
                asum_sq -= aold * aold
                bsum_sq -= bold * bold
                count -= 1

        if not (np.isnan(ai) or np.isnan(bi)):
            asum += ai
            bsum += bi
            prodsum += ai * bi
            asum_sq += ai * ai
            bsum_sq += bi * bi
            count += 1
        if count >= min_count:
            count_reciprocal = 1.0 / count
            avg_a = asum * count_reciprocal
            avg_b = bsum * count_reciprocal
            var_a = asum_sq * count_reciprocal - avg_a**2
            var_b = bsum_sq * count_reciprocal - avg_b**2
            cov_ab = prodsum * count_reciprocal - avg_a * avg_b
            var_a_var_b = var_a * var_b
            if var_a_var_b > 0:
                out[i] = cov_ab / np.sqrt(var_a_var_b)
            else:
                out[i] = np.nan

        else:
            out[i] = np.nan


move_corr_gu = gufunc(MOVE2, "(n),(n),(),()->(n)")(move_corr)

# --- numbagg/numbagg: numbagg/moving_exp.py

def move_exp_nancount(a: T, alpha: FloatArray, min_weight: float, out: T) -> None:
    N: int = len(a)

    count = weight = 0.0

    for i in range(N):
        a_i = a[i]
        alpha_i = alpha[i]
        decay = 1.0 - alpha_i

        count *= decay
        weight *= decay

        if not np.isnan(a_i):
            count += 1
            weight += alpha_i

        if weight >= min_weight:
            out[i] = count
        else:
            out[i] = np.nan


move_exp_nancount_gu = gufunc(EXP, "(n),(n),()->(n)")(move_exp_nancount)

# --- numbagg/numbagg: numbagg/moving_exp.py

def move_exp_nanmean(a: T, alpha: FloatArray, min_weight: float, out: T) -> None:
    """
    Exponentially weighted moving mean
    """
    N: int = len(a)

    numer = denom = weight = 0.0

    for i in range(N):
        a_i = a[i]
        alpha_i = alpha[i]
        decay = 1.0 - alpha_i

        numer *= decay
        denom *= decay
        weight *= decay

        if not np.isnan(a_i):
            numer += a_i
            denom += 1.0
            weight += alpha_i

        if weight >= min_weight:
            out[i] = numer / denom
        else:
            out[i] = np.nan


move_exp_nanmean_gu = gufunc(EXP, "(n),(n),()->(n)")(move_exp_nanmean)

# --- numbagg/numbagg: numbagg/moving_exp.py

def move_exp_nansum(a: T, alpha: FloatArray, min_weight: float, out: T) -> None:
    N: int = len(a)

    numer = weight = 0.0
    zero_count = True

    for i in range(N):
        a_i = a[i]
        alpha_i = alpha[i]
        decay = 1.0 - alpha_i

        numer *= decay
        weight *= decay

        if not np.isnan(a_i):
            zero_count = False
            numer += a_i
            weight += alpha_i

        if weight >= min_weight and not zero_count:
            out[i] = numer
        else:
            out[i] = np.nan


move_exp_nansum_gu = gufunc(EXP, "(n),(n),()->(n)")(move_exp_nansum)

# --- numbagg/numbagg: numbagg/moving_exp.py

def move_exp_nanvar(a: T, alpha: FloatArray, min_weight: float, out: T) -> None:
    N: int = len(a)

    # sum_x: decayed sum of the sequence values.
    # sum_x_2: decayed sum of the squared sequence values.
    # sum_weight: decayed count of non-missing values observed so far in the sequence.
    # sum_weight_2: decayed sum of the (already-decayed) weights of non-missing values.
    sum_x_2 = sum_x = sum_weight = sum_weight_2 = weight = 0.0

    for i in range(N):
        a_i = a[i]
        alpha_i = alpha[i]
        decay = 1.0 - alpha_i

        # decay the values
        sum_x_2 *= decay
        sum_x *= decay
        sum_weight *= decay
        # We decay this twice because we want the weight^2, so need to decay again
        # (We could explain this better; contributions welcome...)
        sum_weight_2 *= decay**2
        weight *= decay

        if not np.isnan(a_i):
            sum_x_2 += a_i**2
            sum_x += a_i
            sum_weight += 1.0
            sum_weight_2 += 1.0
            weight += alpha_i

        var_biased = (sum_x_2 / sum_weight) - ((sum_x / sum_weight) ** 2)

        # - Ultimately we want `sum(weights_norm**2)`, where `weights_norm` is
        #   `weights / sum(weights)`:
        #
        #   sum(weights_norm**2)
        #   = sum(weights**2 / sum(weights)**2)
        #   = sum(weights**2) / sum(weights)**2
        #   = sum_weight_2 / sum_weight**2
        bias = 1 - sum_weight_2 / (sum_weight**2)

        if weight >= min_weight and bias > 0:
            out[i] = var_biased / bias
        else:
            out[i] = np.nan


move_exp_nanvar_gu = gufunc(EXP, "(n),(n),()->(n)")(move_exp_nanvar)

# --- numbagg/numbagg: numbagg/moving_exp.py

def move_exp_nancov(a1: T, a2: T, alpha: FloatArray, min_weight: float, out: T) -> None:
    N: int = len(a1)

    # sum_x1: decayed sum of the sequence values for a1.
    # sum_x2: decayed sum of the sequence values for a2.
    # sum_x1x2: decayed sum of the product of sequence values for a1 and a2.
    # sum_weight: decayed count of non-missing values observed so far in the sequence.
    # sum_weight_2: decayed sum of the (already-decayed) weights of non-missing values.
    sum_x1 = sum_x2 = sum_x1x2 = sum_weight = sum_weight_2 = weight = 0.0

    for i in range(N):
        a1_i = a1[i]
        a2_i = a2[i]
        alpha_i = alpha[i]
        decay = 1.0 - alpha_i

        # decay the values
        sum_x1 *= decay
        sum_x2 *= decay
        sum_x1x2 *= decay
        sum_weight *= decay
        sum_weight_2 *= decay**2
        weight *= decay

        if not (np.isnan(a1_i) or np.isnan(a2_i)):
            sum_x1 += a1_i
            sum_x2 += a2_i
            sum_x1x2 += a1_i * a2_i
            sum_weight += 1
            sum_weight_2 += 1
            weight += alpha_i

        cov_biased = ((sum_x1x2) - (sum_x1 * sum_x2 / sum_weight)) / sum_weight

        # Adjust for the bias. (explained in `move_exp_nanvar`)
        bias = 1 - sum_weight_2 / (sum_weight**2)

        if weight >= min_weight and bias > 0:
            out[i] = cov_biased / bias
        else:
            out[i] = np.nan


move_exp_nancov_gu = gufunc(EXP2, "(n),(n),(n),()->(n)")(move_exp_nancov)

# --- numbagg/numbagg: numbagg/moving_exp.py

def move_exp_nancorr(
    a1: T, a2: T, alpha: FloatArray, min_weight: float, out: T
) -> None:
    N: int = len(a1)

    sum_x1 = sum_x2 = sum_x1x2 = sum_weight = sum_weight_2 = 0
    weight = sum_x1_2 = sum_x2_2 = 0

    for i in range(N):
        a1_i = a1[i]
        a2_i = a2[i]
        alpha_i = alpha[i]
        decay = 1.0 - alpha_i

        sum_x1 *= decay
        sum_x2 *= decay
        sum_x1x2 *= decay
        sum_weight *= decay
        sum_weight_2 *= decay**2
        weight *= decay

        sum_x1_2 *= decay
        sum_x2_2 *= decay

        if not (np.isnan(a1_i) or np.isnan(a2_i)):
            sum_x1 += a1_i
            sum_x2 += a2_i
            sum_x1x2 += a1_i * a2_i
            sum_weight += 1
            sum_weight_2 += 1
            weight += alpha_i
            sum_x1_2 += a1_i**2
            sum_x2_2 += a2_i**2

        # The bias cancels out, so we don't need to adjust for it

        cov = sum_x1x2 - (sum_x1 * sum_x2 / sum_weight)
        var_a1 = sum_x1_2 - (sum_x1**2 / sum_weight)
        var_a2 = sum_x2_2 - (sum_x2**2 / sum_weight)

        # TODO: we don't need to compute this for the output, but if we don't, then we
        # get an error around numerical precision that causes us to produce values when
        # we shouldn't. Would be good to be able to remove it. (This is well-tested, so
        # if we can remove it while passing tests, then we can.)
        bias = 1 - sum_weight_2 / (sum_weight**2)

        if weight >= min_weight and bias > 0:
            denominator = np.sqrt(var_a1 * var_a2)
            if denominator > 0:
                out[i] = cov / denominator
            else:
                out[i] = np.nan
        else:
            out[i] = np.nan


move_exp_nancorr_gu = gufunc(EXP2, "(n),(n),(n),()->(n)")(move_exp_nancorr)

# --- numbagg/numbagg: numbagg/funcs.py

def allnan(a: NumericArray, out: NumericArray) -> None:
    out[0] = True
    for ai in a:
        if not np.isnan(ai):
            out[0] = False
            return


allnan_gu = gufunc(AGG_BOOL, "(n)->()")(allnan)

# --- numbagg/numbagg: numbagg/funcs.py

def anynan(a: NumericArray, out: NumericArray) -> None:
    out[0] = False
    for ai in a:
        if np.isnan(ai):
            out[0] = True
            return


anynan_gu = gufunc(AGG_BOOL, "(n)->()")(anynan)

# --- numbagg/numbagg: numbagg/funcs.py

def nancount(a: T, out: T) -> None:
    non_missing = 0
    for ai in a:
        if not np.isnan(ai):
            non_missing += 1
    out[0] = non_missing


nancount_gu = gufunc(AGG_COUNT, "(n)->()")(nancount)

# --- numbagg/numbagg: numbagg/funcs.py

def nansum(a, out):
    asum = a.dtype.type(0)
    for ai in a:
        if not np.isnan(ai):
            asum += ai
    out[0] = asum


nansum_gu = gufunc(AGG_SAME, "(n)->()")(nansum)

# --- numbagg/numbagg: numbagg/funcs.py

def nanmean(a, out):
    asum = 0.0
    count = 0
    for ai in a:
        if not np.isnan(ai):
            asum += ai
            count += 1
    if count > 0:
        out[0] = asum / count
    else:
        out[0] = np.nan


nanmean_gu = gufunc(AGG_FLOAT, "(n)->()")(nanmean)

# --- numbagg/numbagg: numbagg/funcs.py

def nanvar(a: F, ddof: int, out: F) -> None:
    # Running two loops might seem inefficient, but it's 3x faster than a Welford's
    # algorithm. And if we don't compute the mean first, we get numerical instability
    # (which our tests capture so is easy to observe).

    asum = 0
    count = 0
    for ai in a:
        if not np.isnan(ai):
            asum += ai
            count += 1
    if count > ddof:
        amean = asum / count
        asum = 0
        for ai in a:
            if not np.isnan(ai):
                ai -= amean
                asum += ai * ai
        out[0] = asum / (count - ddof)
    else:
        out[0] = np.nan


nanvar_gu = gufunc(AGG_DDOF, "(n),()->()")(nanvar)

# --- numbagg/numbagg: numbagg/funcs.py

def nanargmax(a):
    if not a.size:
        raise ValueError("All-NaN slice encountered")
    amax = -np.inf
    idx = -1
    for i, ai in enumerate(a.flat):
        # Much slower, by 3-4x to use this construction:
        # if not np.isnan(ai) and (ai > ammax or idx == -1):
        if ai > amax or (idx == -1 and not np.isnan(ai)):
            amax = ai
            idx = i
    if idx == -1:
        raise ValueError("All-NaN slice encountered")
    return idx


nanargmax_nb = njit(nanargmax)

# --- numbagg/numbagg: numbagg/funcs.py

def nanargmin(a):
    if not a.size:
        raise ValueError("All-NaN slice encountered")
    amin = np.inf
    idx = -1
    for i, ai in enumerate(a.flat):
        if ai < amin or (idx == -1 and not np.isnan(ai)):
            amin = ai
            idx = i
    if idx == -1:
        raise ValueError("All-NaN slice encountered")
    return idx


nanargmin_nb = njit(nanargmin)

# --- numbagg/numbagg: numbagg/funcs.py

def nanmax(a):
    if not a.size:
        raise ValueError(
            "zero-size array to reduction operation fmax which has no identity"
        )
    amax = -np.inf
    all_missing = True
    for ai in a.flat:
        # If we check for `isnan` here, the function becomes much slower (by about 4x!)
        if ai >= amax:
            amax = ai
            all_missing = False
    if all_missing:
        amax = np.nan
    return amax


nanmax_nb = njit(nanmax)

# --- numbagg/numbagg: numbagg/funcs.py

def nanmin(a):
    if not a.size:
        raise ValueError(
            "zero-size array to reduction operation fmin which has no identity"
        )
    amin = np.inf
    all_missing = True
    for ai in a.flat:
        if ai <= amin:
            amin = ai
            all_missing = False
    if all_missing:
        amin = np.nan
    return amin


nanmin_nb = njit(nanmin)

# --- numbagg/numbagg: numbagg/funcs.py

def nanquantile(
    arr: NDArray[np.float64], quantile: NDArray[np.float64], out: NDArray[np.float64]
) -> None:
    nans = np.isnan(arr)
    valid_obs = arr.size - np.sum(nans)

    if valid_obs == 0:
        out[:] = np.nan
        return

    # replace NaN with maximum
    max_val = np.nanmax(arr)

    # and we need to use `where` to avoid modifying the original array
    arr = np.where(nans, max_val, arr)

    # two columns for indexes — floor and ceiling
    indexes = np.zeros((len(quantile), 2), dtype=np.int32)
    # store ranks as floats
    ranks = np.zeros(len(quantile), dtype=np.float64)

    for i in range(len(quantile)):
        if np.isnan(quantile[i]):
            continue
        rank = (valid_obs - 1) * quantile[i]
        ranks[i] = rank
        indexes[i] = [int(np.floor(rank)), int(np.ceil(rank))]

    # `partition` is similar to a `sort`, but only ensures that the indexes passed to
    # kth are in the correct positions
    unique_indices = np.unique(indexes)
    sorted = np.partition(arr, kth=unique_indices)

    for i in range(len(quantile)):
        if np.isnan(quantile[i]):
            out[i] = np.nan
            continue
        # linear interpolation (like numpy percentile) takes the fractional part of
        # desired position
        proportion = ranks[i] - indexes[i, 0]

        floor_val, ceil_val = sorted[indexes[i]]

        result = floor_val + proportion * (ceil_val - floor_val)

        out[i] = result


nanquantile_gu = gufunc([(float64[:], float64[:], float64[:])],
                        "(n),(m)->(m)")(nanquantile)

# --- numbagg/numbagg: numbagg/funcs.py

def bfill(a: T, limit: int, out: T) -> None:
    """Backward fill missing values."""
    lives_remaining = limit
    current = np.nan
    # Ugly `range` expression, but can't do 'enumerate(reversed(a))', and adding a
    # `list` will cause a copy.
    for i in range(len(a) - 1, -1, -1):
        val = a[i]
        if np.isnan(val):  # Always False for integers, True for float NaN
            if lives_remaining <= 0:
                current = np.nan
            lives_remaining -= 1
        else:
            lives_remaining = limit
            current = val
        out[i] = current


bfill_gu = gufunc(FILL, "(n),()->(n)")(bfill)

# --- numbagg/numbagg: numbagg/funcs.py

def ffill(a: T, limit: int, out: T) -> None:
    """Forward fill missing values."""
    lives_remaining = limit
    current = np.nan
    for i, val in enumerate(a):
        if np.isnan(val):  # Always False for integers, True for float NaN
            if lives_remaining <= 0:
                current = np.nan
            lives_remaining -= 1
        else:
            lives_remaining = limit
            current = val
        out[i] = current


ffill_gu = gufunc(FILL, "(n),()->(n)")(ffill)

# --- numbagg/numbagg: numbagg/funcs.py

def nancovmatrix(a: F, out: F) -> None:
    """
    Compute covariance matrix treating NaN as missing values.

    Dimension conventions:
    - Input: (n_vars, n_obs) - variables as rows, observations as columns
    - Output: (n_vars, n_vars) - square covariance matrix
    - Broadcasting: Supports arbitrary leading dimensions via NumPy's gufunc system

    Uses pairwise complete observations (like pandas.DataFrame.cov).
    Cache-friendly implementation: processes observations sequentially for better locality.

    Unlike NumPy's cov, this function broadcasts over higher dimensions:

    Examples:
    - 2D: (3, 100) -> (3, 3)
    - 3D: (batch=5, vars=3, obs=100) -> (5, 3, 3)
    - 4D: (2, 5, 3, 100) -> (2, 5, 3, 3)
    """
    n_vars, n_obs = a.shape

    # Allocate arrays for all pairs - optimized for cache locality
    sums_i = np.zeros((n_vars, n_vars), dtype=a.dtype)
    sums_j = np.zeros((n_vars, n_vars), dtype=a.dtype)
    sums_ij = np.zeros((n_vars, n_vars), dtype=a.dtype)
    counts = np.zeros((n_vars, n_vars), dtype=np.int64)

    # Single pass through observations (excellent cache locality)
    for k in range(n_obs):
        # Load entire observation into cache once
        obs = a[:, k]

        # Process all variable pairs for this observation
        for i in range(n_vars):
            val_i = obs[i]
            if not np.isnan(val_i):
                for j in range(i, n_vars):  # Only upper triangle
                    val_j = obs[j]
                    if not np.isnan(val_j):
                        sums_i[i, j] += val_i
                        sums_j[i, j] += val_j
                        sums_ij[i, j] += val_i * val_j
                        counts[i, j] += 1

    # Compute final covariances from accumulated statistics
    for i in range(n_vars):
        for j in range(i, n_vars):
            count = counts[i, j]
            if count > 1:
                mean_i = sums_i[i, j] / count
                mean_j = sums_j[i, j] / count
                # Covariance: E[XY] - E[X]E[Y], scaled to unbiased estimator
                cov = (sums_ij[i, j] / count) - (mean_i * mean_j)
                cov_unbiased = cov * count / (count - 1)
                out[i, j] = cov_unbiased
                out[j, i] = cov_unbiased  # Symmetric
            else:
                out[i, j] = np.nan
                out[j, i] = np.nan


nancovmatrix_gu = gufunc([(float32[:, :], float32[:, :]),
                           (float64[:, :], float64[:, :])],
                          "(n,m)->(n,n)")(nancovmatrix)


# --- numbagg/numbagg: numbagg/moving_matrix.py

def move_covmatrix(a, window, min_count, out):
    """
    Moving window covariance matrix gufunc.

    Dimension conventions (fixed for consistency):
    - Input: (n_obs, n_vars) - observations as rows, variables as columns
    - Output: (n_obs, n_vars, n_vars) - covariance matrix at each time step
    - Broadcasting: Supports arbitrary leading dimensions via NumPy's gufunc system

    For each time step, computes covariance matrix using the rolling window ending at that time.
    Unlike NumPy's cov (2D only), this broadcasts over higher dimensions:

    Examples:
    - 2D: (100, 3) -> (100, 3, 3) - matrix for each of 100 time steps
    - 3D: (batch=5, obs=100, vars=3) -> (5, 100, 3, 3)
    - 4D: (2, 5, 100, 3) -> (2, 5, 100, 3, 3)
    """
    n_obs = a.shape[0]
    n_vars = a.shape[1]
    min_count = max(min_count, 1)

    # Initialize pairwise statistics - each (i,j) pair tracks its own statistics
    # to ensure all moments are computed over the same set of observations
    sums_i = np.zeros((n_vars, n_vars), dtype=a.dtype)
    sums_j = np.zeros((n_vars, n_vars), dtype=a.dtype)
    prods = np.zeros((n_vars, n_vars), dtype=a.dtype)
    pair_counts = np.zeros((n_vars, n_vars), dtype=np.int64)

    for t in range(n_obs):
        # Remove old values when window slides
        if t >= window:
            for i in range(n_vars):
                old_val_i = a[t - window, i]
                if np.isnan(old_val_i):
                    continue
                for j in range(n_vars):
                    old_val_j = a[t - window, j]
                    if np.isnan(old_val_j):
                        continue
                    # Only update pairwise statistics for observations where BOTH are valid
                    sums_i[i, j] -= old_val_i
                    sums_j[i, j] -= old_val_j
                    prods[i, j] -= old_val_i * old_val_j
                    pair_counts[i, j] -= 1

        # Add new values
        for i in range(n_vars):
            new_val_i = a[t, i]
            if np.isnan(new_val_i):
                continue
            for j in range(n_vars):
                new_val_j = a[t, j]
                if np.isnan(new_val_j):
                    continue
                # Only update pairwise statistics for observations where BOTH are valid
                sums_i[i, j] += new_val_i
                sums_j[i, j] += new_val_j
                prods[i, j] += new_val_i * new_val_j
                pair_counts[i, j] += 1

        # Compute covariance matrix for current window
        for i in range(n_vars):
            for j in range(n_vars):
                n = pair_counts[i, j]
                if n >= min_count:
                    if n > 1:
                        # Unbiased covariance with ddof=1 using pairwise statistics
                        mean_i = sums_i[i, j] / n
                        mean_j = sums_j[i, j] / n
                        cov = (prods[i, j] / n - mean_i * mean_j) * n / (n - 1)
                        out[t, i, j] = cov
                    else:
                        # n == 1, covariance is undefined (requires at least 2 points)
                        out[t, i, j] = np.nan
                else:
                    out[t, i, j] = np.nan


# --- numbagg/numbagg: numbagg/moving_matrix.py

def move_exp_nancovmatrix(a, alpha, min_weight, out):
    """
    Exponential moving window covariance matrix gufunc.

    Dimension conventions (fixed for consistency):
    - Input: (n_obs, n_vars) - observations as rows, variables as columns
    - Output: (n_obs, n_vars, n_vars) - covariance matrix at each time step
    - Broadcasting: Supports arbitrary leading dimensions via NumPy's gufunc system
    - Alpha parameter: Supports scalar or array broadcasting

    For each time step, computes covariance matrix using exponentially weighted observations
    up to that time. Recent observations have higher weight based on the alpha parameter.
    Unlike NumPy's cov (2D only), this broadcasts over higher dimensions:

    Examples:
    - 2D: (100, 3) -> (100, 3, 3) - matrix for each of 100 time steps
    - 3D: (batch=5, obs=100, vars=3) -> (5, 100, 3, 3)
    - 4D: (2, 5, 100, 3) -> (2, 5, 100, 3, 3)
    """
    n_obs = a.shape[0]
    n_vars = a.shape[1]

    # Initialize pairwise statistics - each (i,j) pair tracks its own statistics
    # This is necessary for consistency with non-matrix exponential functions
    sums_i = np.zeros(
        (n_vars, n_vars), dtype=a.dtype
    )  # sum of variable i for pair (i,j)
    sums_j = np.zeros(
        (n_vars, n_vars), dtype=a.dtype
    )  # sum of variable j for pair (i,j)
    prods = np.zeros((n_vars, n_vars), dtype=a.dtype)  # sum of products for pair (i,j)
    pair_weights = np.zeros(
        (n_vars, n_vars), dtype=a.dtype
    )  # accumulated alpha weights
    pair_sum_weights = np.zeros((n_vars, n_vars), dtype=a.dtype)  # count of valid pairs
    pair_sum_weights_sq = np.zeros(
        (n_vars, n_vars), dtype=a.dtype
    )  # sum of squared weights

    for t in range(n_obs):
        alpha_t = alpha[t]
        decay = 1.0 - alpha_t

        # Apply exponential decay to all pairwise statistics
        sums_i *= decay
        sums_j *= decay
        prods *= decay
        pair_weights *= decay
        pair_sum_weights *= decay
        pair_sum_weights_sq *= decay**2

        # Add new values - track pairwise statistics for consistency
        for i in range(n_vars):
            new_val_i = a[t, i]
            if np.isnan(new_val_i):
                continue

            for j in range(n_vars):
                new_val_j = a[t, j]
                if np.isnan(new_val_j):
                    continue

                # Only update pairwise statistics if BOTH values are non-NaN (consistent with non-matrix functions)
                sums_i[i, j] += new_val_i
                sums_j[i, j] += new_val_j
                prods[i, j] += new_val_i * new_val_j
                pair_weights[i, j] += alpha_t
                pair_sum_weights[i, j] += 1.0
                pair_sum_weights_sq[i, j] += 1.0

        # Compute covariance matrix for current time step
        for i in range(n_vars):
            for j in range(n_vars):
                # Check if we have sufficient weight for a meaningful covariance calculation
                bias = (
                    1 - pair_sum_weights_sq[i, j] / (pair_sum_weights[i, j] ** 2)
                    if pair_sum_weights[i, j] > 0
                    else 0.0
                )

                if pair_weights[i, j] >= min_weight and bias > 0:
                    # Compute covariance using pairwise statistics
                    n = pair_sum_weights[i, j]
                    mean_i = sums_i[i, j] / n
                    mean_j = sums_j[i, j] / n

                    # Compute biased covariance
                    cov_biased = (prods[i, j] / n) - mean_i * mean_j

                    # Apply bias correction
                    out[t, i, j] = cov_biased / bias
                else:
                    out[t, i, j] = np.nan


move_covmatrix_gu = gufunc([(float32[:, :], int64, int64, float32[:, :, :]),
                            (float64[:, :], int64, int64, float64[:, :, :])],
                           "(m,n),(),()->(m,n,n)")(move_covmatrix)
move_exp_nancovmatrix_gu = gufunc(
    [(float32[:, :], float32[:], float32, float32[:, :, :]),
     (float64[:, :], float64[:], float64, float64[:, :, :])],
    "(m,n),(m),()->(m,n,n)")(move_exp_nancovmatrix)


# --- numbagg/numbagg: numbagg/grouped.py

def group_nanmean(values: GenericArray, labels: IntArray, out: GenericArray) -> None:
    counts = np.zeros(out.shape, dtype=labels.dtype)
    out[:] = 0.0

    for indices in np.ndindex(values.shape):
        label = labels[indices]
        if label < 0:
            continue

        value = values[indices]
        if not np.isnan(value):
            counts[label] += 1
            out[label] += value

    for label in range(len(out)):
        count = counts[label]
        if count == 0:
            out[label] = np.nan
        else:
            out[label] /= count


# --- numbagg/numbagg: numbagg/grouped.py

def group_nansum(values: GenericArray, labels: IntArray, out: GenericArray) -> None:
    out[:] = 0
    for indices in np.ndindex(values.shape):
        label = labels[indices]
        if label < 0:
            continue

        value = values[indices]
        if not np.isnan(value):
            out[label] += value


# --- numbagg/numbagg: numbagg/grouped.py

def group_nancount(values: GenericArray, labels: IntArray, out: GenericArray) -> None:
    out[:] = 0
    for indices in np.ndindex(values.shape):
        label = labels[indices]
        if label < 0:
            continue
        if not np.isnan(values[indices]):
            out[label] += 1


# --- numbagg/numbagg: numbagg/grouped.py

def group_nanargmax(values: GenericArray, labels: IntArray, out: GenericArray) -> None:
    max_values = np.full(out.shape, np.nan)
    flat_idx = 0
    for indices in np.ndindex(values.shape):
        value = values[indices]
        label = labels[indices]
        if label >= 0 and not np.isnan(value):
            if np.isnan(max_values[label]) or value > max_values[label]:
                max_values[label] = value
                out[label] = flat_idx
        flat_idx += 1
    # If the max value for any label is still NaN (no valid data points), set it to NaN
    # We could instead set the array at the start to be `NaN` — would need to benchmark
    # which is faster.

    # I'm quite confused why, but this raises a warning, so we do the full_loop instead.
    #
    #   out[np.isnan(max_values)] = np.nan
    for idx in np.ndindex(out.shape):
        if np.isnan(max_values[idx]):
            out[idx] = np.nan


# --- numbagg/numbagg: numbagg/grouped.py

def group_nanfirst(values: GenericArray, labels: IntArray, out: GenericArray) -> None:
    # Slightly inefficient for floats, for which we could avoid allocating the
    # `have_seen_values` array, and instead use an array with NaNs from the start. We
    # could write separate routines, though I don't think we can use `@overload` with
    # out own gufuncs.
    have_seen_value = np.zeros(out.shape, dtype=np.bool_)
    for indices in np.ndindex(values.shape):
        label = labels[indices]
        if label < 0:
            continue
        if not have_seen_value[label] and not np.isnan(values[indices]):
            have_seen_value[label] = True
            out[label] = values[indices]
    if out.dtype.kind == "f":
        out[~have_seen_value] = np.nan


# --- numbagg/numbagg: numbagg/grouped.py

def group_nanvar(
    values: FloatArray, labels: IntArray, ddof: int, out: FloatArray
) -> None:
    sums = np.zeros(out.shape, dtype=values.dtype)
    sums_of_squares = np.zeros(out.shape, dtype=values.dtype)
    counts = np.zeros(out.shape, dtype=labels.dtype)
    out[:] = np.nan

    # Calculate sums, sum of squares, and counts
    for indices in np.ndindex(values.shape):
        label = labels[indices]
        if label < 0:
            continue

        value = values[indices]
        if not np.isnan(value):
            counts[label] += 1
            sums[label] += value
            sums_of_squares[label] += value**2

    # Calculate for each group
    for label in range(len(out)):
        count = counts[label]
        denom = count - ddof
        if denom <= 0:
            out[label] = np.nan
        else:
            out[label] = (sums_of_squares[label] - (sums[label] ** 2 / count)) / denom


_GROUP_GUFUNCS = {}


def group_gufunc(kernel, values_type, labels_type, core_ndim, ddof=False):
    """numbagg/decorators.py groupndreduce.gufunc: values and labels of
    core_ndim dimensions, the output of the groups, (z), passed in; made
    once for each kernel and types, as numbagg caches it."""
    key = (kernel, values_type, labels_type, core_ndim)
    if key not in _GROUP_GUFUNCS:
        slices = (slice(None),) * core_ndim
        dims = "(" + ",".join("abc"[:core_ndim]) + ")"
        scalar = (int64,) if ddof else ()
        signature = [(values_type[slices], labels_type[slices], *scalar,
                      values_type[:])]
        layout = f"{dims},{dims}," + ("()," if ddof else "") + "(z)"
        _GROUP_GUFUNCS[key] = gufunc(signature, layout)(kernel)
    return _GROUP_GUFUNCS[key]


# --- the numbagg kernels against their plain Python selves

def data(rows, n, dtype, seed):
    """Normals with about a quarter NaN, the last row all NaN."""
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((rows, n))
    a[rng.random((rows, n)) < 0.25] = np.nan
    a[-1] = np.nan
    return a.astype(dtype)


def by_rows(kernel, rowed, scalars, out):
    """The kernel run in Python on each row, as the gufunc loops; the
    operands in float64 (NumPy's scalars divide by zero to inf and nan)."""
    with np.errstate(all="ignore"):
        for r in range(out.shape[0]):
            kernel(*[x[r].astype(np.float64) for x in rowed], *scalars,
                   out[r])
    return out


def close(got, want, dtype):
    tol = 1e-4 if dtype == np.float32 else 1e-12
    assert got.dtype == dtype
    np.testing.assert_allclose(got.astype(np.float64), want, rtol=tol,
                               atol=tol)


SIZES = [1, 2, 7, 25]
DTYPES = [np.float32, np.float64]
MOVING = [(move_mean, move_mean_gu), (move_sum, move_sum_gu),
          (move_std, move_std_gu)]
MOVING2 = [(move_cov, move_cov_gu), (move_corr, move_corr_gu)]
EXPMOVING = [(move_exp_nancount, move_exp_nancount_gu),
             (move_exp_nanmean, move_exp_nanmean_gu),
             (move_exp_nansum, move_exp_nansum_gu),
             (move_exp_nanvar, move_exp_nanvar_gu)]
EXPMOVING2 = [(move_exp_nancov, move_exp_nancov_gu),
              (move_exp_nancorr, move_exp_nancorr_gu)]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n", SIZES)
def test_moving_window_kernels(n, dtype):
    a, b = data(3, n, dtype, n), data(3, n, dtype, n + 100)
    for window in sorted({1, 2, n} - {0} & set(range(1, n + 1))):
        for min_count in sorted({0, 1, window}):
            for kernel, gu in MOVING:
                want = by_rows(kernel, [a], (window, min_count),
                               np.empty((3, n)))
                close(gu(a, window, min_count), want, dtype)
            for kernel, gu in MOVING2:
                # a float32 window of one observation leaves move_corr a
                # variance of float32 rounding, not 0 as in float64
                least = max(min_count, 2) if dtype == np.float32 \
                    and kernel is move_corr else min_count
                want = by_rows(kernel, [a, b], (window, least),
                               np.empty((3, n)))
                close(gu(a, b, window, least), want, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n", [0] + SIZES)
def test_exponential_moving_kernels(n, dtype):
    a, b = data(3, n, dtype, n), data(3, n, dtype, n + 200)
    alpha = np.linspace(0.1, 0.9, n).astype(dtype)
    for min_weight in (0.0, 0.5):
        scalars = (alpha.astype(np.float64), np.float64(min_weight))
        for kernel, gu in EXPMOVING:
            want = by_rows(kernel, [a], scalars, np.empty((3, n)))
            with np.errstate(all="ignore"):
                got = gu(a, alpha, dtype(min_weight))
            close(got, want, dtype)
        for kernel, gu in EXPMOVING2:
            want = by_rows(kernel, [a, b], scalars, np.empty((3, n)))
            with np.errstate(all="ignore"):
                got = gu(a, b, alpha, dtype(min_weight))
            close(got, want, dtype)


AGGREGATIONS = [(allnan, allnan_gu, bool), (anynan, anynan_gu, bool),
                (nancount, nancount_gu, np.int64), (nansum, nansum_gu, None),
                (nanmean, nanmean_gu, None)]


@pytest.mark.parametrize("dtype", [np.int32, np.int64] + DTYPES)
@pytest.mark.parametrize("n", [0] + SIZES)
def test_nan_aggregations(n, dtype):
    if np.issubdtype(dtype, np.integer):
        a = np.random.default_rng(n).integers(-50, 50, (3, n)).astype(dtype)
    else:
        a = data(3, n, dtype, n)
    for kernel, gu, result in AGGREGATIONS:
        if kernel is nanmean and result is None \
                and np.issubdtype(dtype, np.integer):
            continue
        rtype = dtype if result is None else result
        want = np.empty((3, 1), rtype)
        with np.errstate(all="ignore"):
            for r in range(3):
                kernel(a[r], want[r])
        got = gu(a)
        assert got.dtype == want.dtype
        np.testing.assert_allclose(got, want[:, 0], rtol=1e-6)
    if np.issubdtype(dtype, np.floating):
        for ddof in (0, 1, 3):
            want = by_rows(nanvar, [a], (ddof,), np.empty((3, 1)))
            close(nanvar_gu(a, ddof), want[:, 0], dtype)


def outcome(f, *args):
    try:
        return f(*args)
    except ValueError as e:
        return ("ValueError", str(e))


@pytest.mark.parametrize("dtype", [np.int32, np.int64] + DTYPES)
@pytest.mark.parametrize("n", [0] + SIZES)
def test_nan_reductions(n, dtype):
    if np.issubdtype(dtype, np.integer):
        rows = np.random.default_rng(n).integers(-50, 50, (2, n)).astype(dtype)
    else:
        rows = data(2, n, dtype, n)
    for f in (nanargmax_nb, nanargmin_nb, nanmax_nb, nanmin_nb):
        for row in rows:
            got, want = outcome(f, row), outcome(f.py_func, row)
            if isinstance(want, tuple):
                assert got == want
            else:
                assert got == want or (np.isnan(got) and np.isnan(want))
        assert_compiled(f)


def test_nan_reductions_walk_nd_arrays_in_c_order():
    # numbagg's ndreduce hands them the array: `enumerate(a.flat)`
    a = data(4, 5, np.float64, 3)
    for x in (a, a.T, a[::2, 1:], a[:3].astype(np.float32), a[:3, None]):
        for f in (nanargmax_nb, nanargmin_nb, nanmax_nb, nanmin_nb):
            got, want = outcome(f, x), outcome(f.py_func, x)
            assert got == want or (np.isnan(got) and np.isnan(want))


@pytest.mark.parametrize("n", [0] + SIZES)
def test_nanquantile(n):
    a = data(3, n, np.float64, n)
    q = np.array([0.0, 0.1, 0.5, 0.75, 1.0, np.nan])
    want = np.empty((3, len(q)))
    with np.errstate(all="ignore"):
        for r in range(3):
            nanquantile(a[r], q, want[r])
    np.testing.assert_allclose(nanquantile_gu(a, q), want, rtol=1e-12)
    if n:
        np.testing.assert_allclose(want[0, :-1],
                                   np.nanquantile(a[0], q[:-1]), rtol=1e-12)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n", [0] + SIZES)
def test_fill_kernels(n, dtype):
    a = data(3, n, dtype, n)
    for kernel, gu in ((ffill, ffill_gu), (bfill, bfill_gu)):
        for limit in (0, 1, 3, n + 1):
            want = by_rows(kernel, [a], (limit,), np.empty((3, n)))
            close(gu(a, limit), want, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n", [0] + SIZES)
def test_nancovmatrix(n, dtype):
    a = data(4, n, dtype, n)[None].repeat(2, axis=0)
    a[1, 0] = 1.0
    want = np.empty((2, 4, 4))
    with np.errstate(all="ignore"):
        for r in range(2):
            nancovmatrix(a[r].astype(np.float64), want[r])
    close(nancovmatrix_gu(a), want, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n", SIZES)
def test_moving_matrix_kernels(n, dtype):
    a = data(2 * n, 3, dtype, n).reshape(2, n, 3)
    alpha = np.linspace(0.2, 0.8, n)
    for window in sorted({1, 2, n} & set(range(1, n + 1))):
        want = np.empty((2, n, 3, 3))
        with np.errstate(all="ignore"):
            for r in range(2):
                move_covmatrix(a[r].astype(np.float64), window, 1, want[r])
        close(move_covmatrix_gu(a, window, 1), want, dtype)
    for min_weight in (0.0, 0.5):
        want = np.empty((2, n, 3, 3))
        with np.errstate(all="ignore"):
            for r in range(2):
                move_exp_nancovmatrix(a[r].astype(np.float64), alpha,
                                      min_weight, want[r])
            got = move_exp_nancovmatrix_gu(a, alpha.astype(dtype),
                                           dtype(min_weight))
        close(got, want, dtype)


def test_numbagg_kernels_compiled_in_nopython_mode():
    gufuncs = [gu for _, gu in MOVING + MOVING2 + EXPMOVING + EXPMOVING2]
    gufuncs += [gu for _, gu, _ in AGGREGATIONS]
    gufuncs += [move_covmatrix_gu, move_exp_nancovmatrix_gu]
    gufuncs += [nanvar_gu, nanquantile_gu, ffill_gu, bfill_gu,
                nancovmatrix_gu]
    for gu in gufuncs:
        assert_compiled(kernel_of(gu))


# --- vectorbt-style programs (our own code) under the numba alias

VECTORBT_STYLE = r"""
# our own programs with the constructs of polakowo/vectorbt:
# vectorbt/generic/nb.py and vectorbt/returns/nb.py
import pickle
import sys

import numpy as np
from numba import config, njit, types
from numba.core.types import Omitted, Type
from numba.extending import overload
from numba.np.numpy_support import as_dtype
from numba.typed import Dict

from typing import NamedTuple


class GapKindT(NamedTuple):
    Closed: int = 0
    Open: int = 1


GapKind = GapKindT()
span_dt = np.dtype([("id", np.int64), ("col", np.int64), ("first", np.int64),
                    ("last", np.int64), ("kind", np.int64)], align=True)
TOL = np.finfo(np.float64).eps * 1e3


def _shift_fill(arr, k, fill):
    compiled = isinstance(arr, Type)
    if compiled:
        adt = as_dtype(arr.dtype)
        if isinstance(fill, Omitted):
            fdt = np.asarray(fill.value).dtype
        else:
            fdt = as_dtype(fill)
    else:
        adt = arr.dtype
        fdt = np.array(fill).dtype
    dt = np.promote_types(adt, fdt)

    def impl(arr, k, fill):
        res = np.empty(arr.shape[0], dtype=dt)
        for i in range(res.shape[0]):
            res[i] = arr[i - k] if i >= k else fill
        return res

    if not compiled:
        return impl(arr, k, fill)
    return impl


overload(_shift_fill)(_shift_fill)


@njit
def shift_fill(arr, k=1, fill=np.nan):
    return _shift_fill(arr, k, fill)


@njit
def lag_diff(a, k=1):
    res = np.empty_like(a, dtype=np.float64)
    res[:k] = np.nan
    res[k:] = a[k:] - a[:-k]
    return res


@njit
def rel_change(a, k=1):
    res = np.empty_like(a, dtype=np.float64)
    res[:k] = np.nan
    res[k:] = a[k:] / a[:-k] - 1
    return res


@njit
def carry_forward(a):
    res = np.empty_like(a, dtype=a.dtype)
    last = a[0]
    for i in range(a.shape[0]):
        if np.isnan(a[i]):
            res[i] = last
        else:
            last = res[i] = a[i]
    return res


@njit
def carry_forward_cols(a):
    res = np.empty_like(a, dtype=a.dtype)
    for c in range(a.shape[1]):
        res[:, c] = carry_forward(a[:, c])
    return res


@njit
def window_low(a, width, least=None):
    if least is None:
        least = width
    if least > width:
        raise ValueError("least must be <= width")
    res = np.empty_like(a, dtype=np.float64)
    for i in range(a.shape[0]):
        lo = a[i]
        n = 0
        for j in range(max(i - width + 1, 0), i + 1):
            if np.isnan(a[j]):
                continue
            if np.isnan(lo) or a[j] < lo:
                lo = a[j]
            n += 1
        res[i] = np.nan if n < least else lo
    return res


@njit
def window_avg(a, width, least=None):
    if least is None:
        least = width
    res = np.empty_like(a, dtype=np.float64)
    sums = np.zeros_like(a)
    gaps = np.zeros_like(a)
    total = 0
    missing = 0
    for i in range(a.shape[0]):
        if np.isnan(a[i]):
            missing = missing + 1
        else:
            total = total + a[i]
        gaps[i] = missing
        sums[i] = total
        if i < width:
            n = i + 1 - missing
            s = total
        else:
            n = width - (missing - gaps[i - width])
            s = total - sums[i - width]
        res[i] = np.nan if n < least else s / n
    return res


@njit
def _push(v, n, mean, m2, comp, unstable):
    if np.isnan(v):
        return n, mean, m2, comp, unstable
    old = m2
    n += 1
    y = v - comp
    d = y - mean
    comp = d + mean - y
    prev = mean
    mean += d / n
    m2 += (v - prev) * (v - mean)
    if old * TOL > m2:
        unstable = True
    return n, mean, m2, comp, unstable


@njit
def expanding_std(a, ddof=0):
    res = np.empty_like(a, dtype=np.float64)
    n, mean, m2, comp, unstable = 0.0, 0.0, 0.0, 0.0, False
    for i in range(a.shape[0]):
        n, mean, m2, comp, unstable = _push(a[i], n, mean, m2, comp, unstable)
        res[i] = np.sqrt(m2 / (n - ddof)) if n > ddof else np.nan
    return res


@njit
def ew_mean(a, span, least=0, adjust=False):
    N = len(a)
    res = np.empty(N, dtype=np.float64)
    if N == 0:
        return res
    alpha = 2.0 / (span + 1.0)
    decay = 1.0 - alpha
    new_w = 1.0 if adjust else alpha
    avg = a[0]
    seen = avg == avg
    nobs = int(seen)
    res[0] = avg if nobs >= least else np.nan
    old_w = 1.0
    for i in range(1, N):
        cur = a[i]
        seen = cur == cur
        nobs += seen
        if avg == avg:
            old_w *= decay
            if seen:
                if avg != cur:
                    avg = (old_w * avg + new_w * cur) / (old_w + new_w)
                if adjust:
                    old_w += new_w
                else:
                    old_w = 1.0
        elif seen:
            avg = cur
        res[i] = avg if nobs >= least else np.nan
    return res


@njit
def col_nanstats(a, ddof=0):
    res = np.empty((4, a.shape[1]), dtype=np.float64)
    for c in range(a.shape[1]):
        col = a[:, c]
        cnt = col.shape[0] - np.count_nonzero(np.isnan(col))
        rc = max(cnt - ddof, 0)
        res[0, c] = np.nanmean(col)
        res[1, c] = np.nanmedian(col)
        res[2, c] = np.nan if rc == 0 else np.sqrt(np.nanvar(col) * cnt / rc)
        res[3, c] = np.nanmax(col)
    return res


@njit
def summary(c, a, q, ddof):
    a = a[~np.isnan(a)]
    res = np.empty(5 + len(q), dtype=np.float64)
    res[0] = len(a)
    if len(a) > 0:
        res[1] = np.mean(a)
        res[2] = np.std(a)
        res[3] = np.min(a)
        res[4:-1] = np.percentile(a, q * 100)
        res[4 + len(q)] = np.max(a)
    else:
        res[1:] = np.nan
    return res


@njit
def by_column(a, func, *args):
    for c in range(a.shape[1]):
        r = func(c, a[:, c], *args)
        if c == 0:
            res = np.empty_like(a, dtype=np.asarray(r).dtype)
        res[:, c] = r
    return res


@njit
def scaled(c, col, factor):
    return col * factor + c


@njit
def rolling_apply(a, width, least, func, *args):
    if least is None:
        least = width
    res = np.empty_like(a, dtype=np.float64)
    gaps = np.empty((a.shape[0],), dtype=np.int64)
    for c in range(a.shape[1]):
        missing = 0
        for i in range(a.shape[0]):
            if np.isnan(a[i, c]):
                missing = missing + 1
            gaps[i] = missing
            if i < width:
                valid = i + 1 - missing
            else:
                valid = width - (missing - gaps[i - width])
            if valid < least:
                res[i, c] = np.nan
            else:
                res[i, c] = func(i, c, a[max(0, i + 1 - width):i + 1, c], *args)
    return res


@njit
def growth(r, start):
    res = np.empty_like(r, dtype=np.float64)
    v = start
    for i in range(r.shape[0]):
        if not np.isnan(r[i]):
            v *= r[i] + 1
        res[i] = v
    return res


@njit
def running_max(a, least=1):
    res = np.empty_like(a, dtype=np.float64)
    best = np.nan
    n = 0
    for i in range(a.shape[0]):
        if np.isnan(best) or a[i] > best:
            best = a[i]
        if not np.isnan(a[i]):
            n += 1
        res[i] = np.nan if n < least else best
    return res


@njit
def worst_drop(r):
    g = growth(r, start=100.0)
    return np.min(g / running_max(g, least=1) - 1)


@njit
def rolling_worst_drop(r, width, least):
    def _one(i, c, w):
        return worst_drop(w)
    return rolling_apply(r, width, least, _one)


@njit
def slope(r, bench):
    if bench.shape[0] < 2:
        return np.nan
    x = np.where(np.isnan(r), np.nan, bench)
    xr = x - np.nanmean(x)
    cov = np.nanmean(xr * r)
    xr = xr ** 2
    var = np.nanmean(xr)
    if var < 1.0e-30:
        var = np.nan
    return cov / var


@njit
def rolling_slope(r, width, least, bench):
    def _one(i, c, w, b):
        return slope(w, b[i + 1 - len(w):i + 1, c])
    return rolling_apply(r, width, least, _one, bench)


@njit
def tails(r):
    r = r[~np.isnan(r)]
    if len(r) < 1:
        return np.nan
    hi = np.abs(np.percentile(r, 95))
    lo = np.abs(np.percentile(r, 5))
    if lo == 0.0:
        return np.inf
    return hi / lo


@njit
def sharpe(r, factor, rf=0.0, ddof=1):
    d = r - rf
    m = np.nanmean(d)
    cnt = d.shape[0] - np.count_nonzero(np.isnan(d))
    rc = max(cnt - ddof, 0)
    s = np.nan if rc == 0 else np.sqrt(np.nanvar(d) * cnt / rc)
    if s == 0:
        return np.inf
    return m / s * np.sqrt(factor)


@njit
def group_apply(a, groups, func, *args):
    for c in range(a.shape[1]):
        for g, (i, idxs) in enumerate(groups.items()):
            r = func(idxs, c, a[idxs, c], *args)
            if c == 0 and g == 0:
                res = np.empty((len(groups), a.shape[1]), dtype=np.asarray(r).dtype)
            res[i, c] = r
    return res


@njit
def group_mean(idxs, c, x):
    return np.nanmean(x)


@njit
def find_spans(ts, gap):
    res = np.empty(ts.shape[0] * ts.shape[1], dtype=span_dt)
    k = 0
    for c in range(ts.shape[1]):
        inside = False
        first = -1
        last = -1
        store = False
        kind = -1
        for i in range(ts.shape[0]):
            v = ts[i, c]
            if v == gap or np.isnan(v) and np.isnan(gap):
                if inside:
                    last = i
                    inside = False
                    store = True
                    kind = GapKind.Closed
            else:
                if not inside:
                    first = i
                    inside = True
            if i == ts.shape[0] - 1 and inside:
                last = ts.shape[0] - 1
                inside = False
                store = True
                kind = GapKind.Open
            if store:
                res[k]["id"] = k
                res[k]["col"] = c
                res[k]["first"] = first
                res[k]["last"] = last
                res[k]["kind"] = kind
                k += 1
                store = False
    return res[:k]


@njit
def crossed_above(x, y, wait=0):
    res = np.empty(x.shape, dtype=np.bool_)
    below = False
    ago = -1
    for i in range(x.shape[0]):
        if np.isnan(x[i]) or np.isnan(y[i]):
            ago = -1
            below = False
            res[i] = False
        elif x[i] > y[i]:
            if below:
                ago += 1
                res[i] = ago == wait
            else:
                res[i] = False
        elif x[i] == y[i]:
            ago = -1
            res[i] = False
        else:
            ago = -1
            below = True
            res[i] = False
    return res


@njit
def mixed_shuffle(a, seed=None):
    if seed is not None:
        np.random.seed(seed)
    res = np.empty_like(a, dtype=a.dtype)
    for c in range(a.shape[1]):
        res[:, c] = np.random.permutation(a[:, c])
    return res


@njit
def value_counts(codes, n, group_lens):
    res = np.full((n, group_lens.shape[0]), 0, dtype=np.int64)
    lo = 0
    for g in range(len(group_lens)):
        hi = lo + group_lens[g]
        for c in range(lo, hi):
            for i in range(codes.shape[0]):
                res[codes[i, c], g] += 1
        lo = hi
    return res


@njit
def column_major(a):
    res = np.empty(a.shape[0] * a.shape[1], dtype=a.dtype)
    for c in range(a.shape[1]):
        res[c * a.shape[0]:(c + 1) * a.shape[0]] = a[:, c]
    return res


@njit
def reduce_groups(a, lens, c_order, func, *args):
    lo = 0
    for g in range(len(lens)):
        hi = lo + lens[g]
        if c_order:
            r = func(g, a[:, lo:hi].flatten(), *args)
        else:
            r = func(g, column_major(a[:, lo:hi]), *args)
        if g == 0:
            res = np.full((r.shape[0], len(lens)), np.nan, dtype=r.dtype)
        res[:, g] = r
        lo = hi
    return res


@njit
def first_and_sum(g, x, k):
    return np.array([x[0], np.nansum(x) * k])


@njit
def squeeze_rows(a, lens, func, *args):
    lo = 0
    for g in range(len(lens)):
        hi = lo + lens[g]
        for i in range(a.shape[0]):
            r = func(i, g, a[i, lo:hi], *args)
            if g == 0 and i == 0:
                res = np.empty((a.shape[0], len(lens)), dtype=np.asarray(r).dtype)
            res[i, g] = r
        lo = hi
    return res


@njit
def any_nonzero(i, g, x):
    return np.any(x)


@njit
def interleave(a, lens, c_order):
    width = np.max(lens)
    res = np.full((a.shape[0] * width, len(lens)), np.nan, dtype=np.float64)
    lo = 0
    for g in range(len(lens)):
        hi = lo + lens[g]
        for k in range(hi - lo):
            if c_order:
                res[k::width, g] = a[:, lo + k]
            else:
                res[k * a.shape[0]:(k + 1) * a.shape[0], g] = a[:, lo + k]
        lo = hi
    return res


@njit
def coverage(first, last, n, overlapping=False, normalize=True):
    hits = np.zeros(n, dtype=np.int64)
    for k in range(first.shape[0]):
        hits[first[k]:last[k]] += 1
    if overlapping:
        covered = np.sum(hits > 1)
        total = np.sum(hits > 0)
    else:
        covered = np.sum(hits > 0)
        total = n
    if normalize:
        return covered / total if total else np.nan
    return covered


class DipStateT(NamedTuple):
    Active: int = 0
    Recovered: int = 1


DipState = DipStateT()
dip_dt = np.dtype([("id", np.int64), ("col", np.int64), ("top", np.int64),
                   ("bottom", np.int64), ("end", np.int64),
                   ("top_val", np.float64), ("bottom_val", np.float64),
                   ("state", np.int64)], align=True)


@njit(cache=True)
def find_dips(ts):
    res = np.empty(ts.shape[0] * ts.shape[1], dtype=dip_dt)
    k = 0
    for c in range(ts.shape[1]):
        top_i = bot_i = 0
        top = bot = ts[0, c]
        inside = False
        store = False
        state = -1
        for i in range(ts.shape[0]):
            v = ts[i, c]
            if not np.isnan(v):
                if np.isnan(top) or v >= top:
                    if not inside:
                        top = v
                        top_i = i
                    elif v >= top:
                        inside = False
                        store = True
                        state = DipState.Recovered
                else:
                    if not inside:
                        inside = True
                        bot = v
                        bot_i = i
                    elif v < bot:
                        bot = v
                        bot_i = i
                if i == ts.shape[0] - 1 and inside:
                    inside = False
                    store = True
                    state = DipState.Active
                if store:
                    res[k]["id"] = k
                    res[k]["col"] = c
                    res[k]["top"] = top_i
                    res[k]["bottom"] = bot_i
                    res[k]["end"] = i
                    res[k]["top_val"] = top
                    res[k]["bottom_val"] = bot
                    res[k]["state"] = state
                    k += 1
                    top_i = bot_i = i
                    top = bot = v
                    store = False
                    state = -1
    return res[:k]


@njit(cache=True)
def spans_to_mask(first, last, state, col_map, n):
    idxs, lens = col_map
    starts = np.cumsum(lens) - lens
    res = np.full((n, lens.shape[0]), False, dtype=np.bool_)
    for c in range(lens.shape[0]):
        if lens[c] == 0:
            continue
        for r in idxs[starts[c]:starts[c] + lens[c]]:
            if state[r] == DipState.Active:
                res[first[r]:last[r] + 1, c] = True
            else:
                res[first[r]:last[r], c] = True
    return res


def run():
    rng = np.random.default_rng(1)
    out = {}
    def data(shape):
        a = rng.standard_normal(shape)
        a[rng.random(shape) < 0.2] = np.nan
        return a
    def rec(name, fn):
        try:
            out[name] = fn()
        except Exception as e:
            out[name] = "raised " + type(e).__name__
    for n in [0, 1, 2, 7, 30]:
        a = data(n); b = data(n); m = data((n, 3)); m2 = data((n, 3))
        ai = rng.integers(0, 9, n)
        rec(f"shift_fill{n}", lambda: shift_fill(a, 2))
        rec(f"shift_fill_int{n}", lambda: shift_fill(ai, 1, -1))
        rec(f"shift_fill_intnan{n}", lambda: shift_fill(ai, 1))
        rec(f"lag_diff{n}", lambda: lag_diff(a, 1))
        rec(f"rel_change{n}", lambda: rel_change(np.abs(a) + 1, 2))
        if n:   # a[0] of an empty column is not bounds-checked, as in Numba
            rec(f"carry{n}", lambda: carry_forward_cols(m))
        rec(f"window_low{n}", lambda: window_low(a, 3))
        rec(f"window_low_least{n}", lambda: window_low(a, 3, least=1))
        rec(f"window_avg{n}", lambda: window_avg(a, 3, 1))
        rec(f"expanding_std{n}", lambda: expanding_std(a, ddof=1))
        rec(f"ew_mean{n}", lambda: ew_mean(a, 4))
        rec(f"ew_mean_adj{n}", lambda: ew_mean(a, 4, 2, True))
        rec(f"col_nanstats{n}", lambda: col_nanstats(m, ddof=1))
        rec(f"summary{n}", lambda: summary(0, a, np.array([0.25, 0.5, 0.75]), 1))
        rec(f"by_column{n}", lambda: by_column(m, scaled, 2.0))
        rec(f"rolling_worst_drop{n}", lambda: rolling_worst_drop(m * 0.01, 3, None))
        rec(f"rolling_slope{n}", lambda: rolling_slope(m * 0.01, 4, 2, m2 * 0.01))
        rec(f"tails{n}", lambda: tails(a))
        rec(f"sharpe{n}", lambda: sharpe(a * 0.01, 252.0))
        rec(f"crossed{n}", lambda: crossed_above(a, b, wait=0))
        rec(f"find_spans{n}", lambda: find_spans(m, np.nan))
        rec(f"find_spans0{n}", lambda: find_spans(np.nan_to_num(m), 0.0))
        rec(f"shuffle{n}", lambda: mixed_shuffle(m, seed=3))
        rec(f"value_counts{n}", lambda: value_counts(rng.integers(0, 4, (n, 3)), 4, np.array([1, 2])))
        def grp():
            d = Dict.empty(key_type=types.int64, value_type=types.int64[:])
            d[0] = np.arange(0, n, 2)
            d[1] = np.arange(1, n, 2)
            return group_apply(m, d, group_mean)
        rec(f"group_apply{n}", grp)
        lens = np.array([1, 2])
        if n:   # x[0] of no rows, and a result never assigned, as in Numba
            rec(f"reduce_groups_c{n}",
                lambda: reduce_groups(m, lens, True, first_and_sum, 2.0))
            rec(f"reduce_groups_f{n}",
                lambda: reduce_groups(m, lens, False, first_and_sum, 2.0))
            rec(f"squeeze_rows{n}",
                lambda: squeeze_rows(np.nan_to_num(m), lens, any_nonzero))
        rec(f"interleave_c{n}", lambda: interleave(m, lens, True))
        rec(f"interleave_f{n}", lambda: interleave(m, lens, False))
        if n:   # ts[0, c] of no rows
            ts = np.cumsum(np.nan_to_num(m), axis=0) + 50
            ts[rng.random((n, 3)) < 0.1] = np.nan
            rec(f"find_dips{n}", lambda: find_dips(ts))
            dips = find_dips.py_func(ts)
            order = np.argsort(dips["col"], kind="stable")
            col_map = (order, np.bincount(dips["col"], minlength=3))
            rec(f"spans_to_mask{n}", lambda: spans_to_mask(
                dips["top"], dips["end"], dips["state"], col_map, n))
        ends = np.sort(rng.integers(0, n + 1, (2, 3)), axis=0)
        rec(f"coverage{n}", lambda: coverage(ends[0], ends[1], n))
        rec(f"coverage_overlap{n}",
            lambda: coverage(ends[0], ends[1], n, True))
    return out



results = run()
if not config.DISABLE_JIT:   # every jitted function ran in nopython mode
    from difftest import assert_compiled
    for f in list(globals().values()):
        if hasattr(f, "py_func") and f.signatures:
            assert_compiled(f)
    print("not compiled:", sorted(f.__name__ for f in globals().values()
                                  if hasattr(f, "py_func")
                                  and not f.signatures))
with open(sys.argv[1], "wb") as fh:
    pickle.dump(results, fh)
"""


def run_program(tmp_path, source, out, **env):
    """Run source under the numba alias; its pickled results and output."""
    script = tmp_path / "prog.py"
    script.write_text(textwrap.dedent(source))
    env = dict({k: v for k, v in os.environ.items() if "DISABLE_JIT" not in k},
               PYTHONPATH=ROOT + os.pathsep + os.path.join(ROOT, "tests"),
               **env)
    proc = subprocess.run(
        [sys.executable, "-m", "pyjit", "run", str(script), str(out)],
        capture_output=True, text=True, timeout=300, cwd=tmp_path, env=env)
    assert proc.returncode == 0, proc.stderr
    with open(out, "rb") as fh:
        return pickle.load(fh), proc.stdout.splitlines()


def same_result(got, want):
    if isinstance(want, str) or isinstance(got, str):
        return str(got) == str(want)        # the same exception raised
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == want.dtype and got.shape == want.shape
    if want.dtype.names:
        for name in want.dtype.names:
            np.testing.assert_array_equal(got[name], want[name])
        return True
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)
    return True


def test_vectorbt_style_programs_match_python(tmp_path):
    got, lines = run_program(tmp_path, VECTORBT_STYLE, tmp_path / "jit.pkl")
    want, _ = run_program(tmp_path, VECTORBT_STYLE, tmp_path / "py.pkl",
                          PYJIT_DISABLE_JIT="1")
    assert lines == ["not compiled: []"]
    assert got.keys() == want.keys()
    assert [(k, got[k]) for k in want if not same_result(got[k], want[k])] \
        == []


# --- what the programs above needed of pyjit

NUMBA_TYPE_NAMES = {
    "bool_": np.bool_, "b1": np.bool_, "i1": np.int8, "i2": np.int16,
    "i4": np.int32, "i8": np.int64, "u1": np.uint8, "u2": np.uint16,
    "u4": np.uint32, "u8": np.uint64, "f4": np.float32, "f8": np.float64,
    "c8": np.complex64, "c16": np.complex128, "double": np.float64,
    "char": np.int8, "uchar": np.uint8, "byte": np.uint8,
    "short": np.int16, "ushort": np.uint16, "intc": np.intc,
    "uintc": np.uintc, "int_": np.int64, "uint": np.uint64,
    "long_": np.int64, "ulong": np.uint64, "longlong": np.longlong,
    "ulonglong": np.ulonglong, "intp": np.intp, "uintp": np.uintp,
    "ssize_t": np.intp, "size_t": np.uintp}


def test_numba_type_names_import_from_the_top_level():
    # numbagg/funcs.py: from numba import bool_, float32, float64, int32
    import pyjit
    for name, dtype in NUMBA_TYPE_NAMES.items():
        t = getattr(pyjit, name)
        assert t is getattr(pyjit.types, name)
        assert str(t) == np.dtype(dtype).name, name
    assert pyjit.void is pyjit.none


@njit
def rows_from_sequences(m, x):
    m[0] = [x, x + 1]
    m[1] = (x * 2, x * 3)
    m[2, :] = [x - 1, x - 2]
    m[:, 1] = [x, x, x, x]
    m[3] = [int(np.floor(x)), int(np.ceil(x))]
    return m


@njit
def plane_row_from_list(a, x):
    a[1, 0] = [x, x, x]
    return a


@njit
def row_from_wrong_length(m, x):
    m[0] = [x, x, x]
    return m


@pytest.mark.parametrize("dtype", [np.int32, np.float64, np.complex128])
def test_a_list_or_tuple_fills_a_row(dtype):
    # numbagg/funcs.py nanquantile: indexes[i] = [floor, ceil]
    for x in (0.25, 2.5, -3.75):
        got = rows_from_sequences(np.zeros((4, 2), dtype), x)
        want = rows_from_sequences.py_func(np.zeros((4, 2), dtype), x)
        np.testing.assert_array_equal(got, want)
        got = plane_row_from_list(np.zeros((2, 2, 3), dtype), x)
        want = plane_row_from_list.py_func(np.zeros((2, 2, 3), dtype), x)
        np.testing.assert_array_equal(got, want)
    with pytest.raises(ValueError, match="could not broadcast"):
        row_from_wrong_length(np.zeros((2, 2), dtype), 1.0)
    for f in (rows_from_sequences, plane_row_from_list):
        assert_compiled(f)


@njit
def as_array(x):
    return np.asarray(x)


@njit
def as_new_array(x):
    return np.array(x)


@njit
def empty_like_scalar(x):
    # vectorbt/generic/nb.py apply_nb: dtype=np.asarray(_out).dtype
    return np.empty(2, dtype=np.asarray(x).dtype)


@pytest.mark.parametrize("x", [2.5, -3, True, np.float32(1.5), 1 + 2j,
                               np.uint8(200), np.int16(-7)])
def test_an_array_of_a_number_is_0d(x):
    for f in (as_array, as_new_array):
        got, want = f(x), f.py_func(x)
        assert (got.shape, got.dtype) == (want.shape, want.dtype) == \
            ((), np.asarray(x).dtype)
        assert got == want
        assert_compiled(f)
    assert empty_like_scalar(x).dtype == empty_like_scalar.py_func(x).dtype


def test_no_type_is_omitted():
    # pyjit types an omitted argument as its default's type; a typing
    # function's `isinstance(t, types.Omitted)` is False for every type
    from pyjit import types
    for t in (types.float64, types.none, types.int64[:], types.unicode_type):
        assert not isinstance(t, types.Omitted)



GROUPED = [(group_nanmean, False), (group_nansum, True),
           (group_nancount, True), (group_nanargmax, False),
           (group_nanfirst, False)]
VALUE_TYPES = {np.float32: float32, np.float64: float64, np.int64: int64}


def by_groups(kernel, values, labels, num_labels, *scalars):
    """The kernel run in Python over the leading dimension of values."""
    out = np.empty(values.shape[:values.ndim - labels.ndim] + (num_labels,),
                   values.dtype)
    with np.errstate(all="ignore"):
        for r in np.ndindex(out.shape[:-1]):
            kernel(values[r], labels, *scalars, out[r])
    return out


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64])
@pytest.mark.parametrize("n", [0, 1, 6, 20])
def test_grouped_kernels(n, dtype):
    rng = np.random.default_rng(n)
    values = rng.standard_normal((3, n)) * 5
    if dtype != np.int64:
        values[rng.random((3, n)) < 0.2] = np.nan
    values = values.astype(dtype)
    by_axis = rng.integers(-1, 3, n)               # axis=-1: labels of a row
    by_element = rng.integers(-1, 3, (3, n)).astype(np.int32)   # axis=None
    for kernel, takes_ints in GROUPED:
        if dtype == np.int64 and not takes_ints:
            continue            # numbagg gives these float values
        for labels in (by_axis, by_element):
            gu = group_gufunc(kernel, VALUE_TYPES[dtype],
                              int64 if labels.dtype == np.int64 else int32,
                              labels.ndim)
            got = np.empty(values.shape[:values.ndim - labels.ndim] + (3,),
                           dtype)
            with np.errstate(all="ignore"):
                gu(values, labels, got)
            want = by_groups(kernel, values, labels, 3)
            if dtype == np.int64:
                np.testing.assert_array_equal(got, want)
            else:
                close(got, want, dtype)
            assert_compiled(kernel_of(gu))
    if dtype != np.int64:
        gu = group_gufunc(group_nanvar, VALUE_TYPES[dtype], int64, 1,
                          ddof=True)
        for ddof in (0, 1):
            got = np.empty((3, 3), dtype)
            with np.errstate(all="ignore"):
                gu(values, by_axis, ddof, got)
            close(got, by_groups(group_nanvar, values, by_axis, 3, ddof),
                  dtype)
