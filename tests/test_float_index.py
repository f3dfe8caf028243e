"""An integer made from a float that indexes an array at once
(csrc/float_index.c): `counts[int(x * bins)] += 1`.

The conversion's test for NaN and the infinities is left to the index's
test of its sign.  Every case the one test covers is compared with the
plain Python function: values that give non-negative indices, negative
ones counting from the end, NaN and the infinities raising from any copy
of an unrolled loop, the variable read after the indexing, math.floor()
and round() as well as int(), the copy to a named variable, a 2-d array's
rows, parallel loops and boundscheck=True.
"""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from difftest import FEW, assert_compiled, rss_bytes, rss_limit
from pyjit import njit, prange


def counted(a, bins):
    counts = np.zeros(bins, np.int64)
    for i in range(a.shape[0]):
        counts[int(a[i] * bins)] += 1
    return counts


def counted_named(a, bins):
    # The result copied to a variable, which is read again afterwards.
    counts = np.zeros(bins, np.int64)
    total = 0
    for x in a:
        k = int(x * bins)
        counts[k] += 1
        total += k
    return counts, total


def floored(a, t):
    s = 0.0
    for x in a:
        s += t[math.floor(x)]
    return s


def rounded(a, t):
    s = 0.0
    for x in a:
        s += t[round(x)]
    return s


def rows(a, m):
    s = 0.0
    for x in a:
        s += m[int(x)].sum()
    return s


def cast(a, bins):
    counts = np.zeros(bins, np.int64)
    for x in a:
        counts[np.int64(x * bins)] += 1
    return counts


def cast_checked(a, bins):
    counts = np.zeros(bins, np.int64)
    for x in a:
        counts[np.int64(x)] += 1
    return counts


def reassigned(a, bins):
    # The variable is given a new value between two indexings by it.
    counts = np.zeros(bins, np.int64)
    for x in a:
        k = int(x)
        counts[k] += 1
        k = bins - 1
        counts[k] += 10
    return counts


def counted_parallel(a, bins):
    counts = np.zeros((4, bins), np.int64)
    size = (a.shape[0] + 3) // 4
    for t in prange(4):
        row = counts[t]
        for x in a[t * size:(t + 1) * size]:
            row[int(x * bins)] += 1
    return counts.sum(axis=0)


def checked(a, bins):
    counts = np.zeros(bins, np.int64)
    for x in a:
        counts[int(x)] += 1
    return counts


jitted = {f: njit(f) for f in (counted, counted_named, floored, rounded,
                               rows, reassigned, cast)}
jitted[counted_parallel] = njit(parallel=True)(counted_parallel)
jitted[checked] = njit(boundscheck=True)(checked)
jitted[cast_checked] = njit(boundscheck=True)(cast_checked)


def same(f, *args):
    """f jitted gives what f gives, or raises what it raises."""
    try:
        expected = f(*args)
    except Exception as e:
        with pytest.raises(type(e), match=str(e)):
            jitted[f](*args)
        return
    got = jitted[f](*args)
    assert_compiled(jitted[f])
    if isinstance(expected, tuple):
        for g, e in zip(got, expected):
            np.testing.assert_array_equal(g, e)
    else:
        np.testing.assert_array_equal(got, expected)


# Values in [-1, 1): a bin of -1 * bins and up, negative bins counting
# from the end, as NumPy indexes.
signed = hnp.arrays(np.float64, st.integers(0, 40),
                    elements=st.floats(-1, 1, exclude_max=True))


@FEW
@given(signed, st.integers(1, 70))
def test_bins_of_signed_values(a, bins):
    same(counted, a, bins)
    same(counted_named, a, bins)


@FEW
@given(signed, st.integers(1, 70))
def test_bins_of_a_cast(a, bins):
    # np.int64(x) as NumPy casts: the same index, without int()'s raise.
    same(cast, a, bins)


@pytest.mark.parametrize("value", [16.0, -17.0, 1e300, np.nan, np.inf])
def test_cast_out_of_range_with_boundscheck(value):
    # NaN and values beyond int64 cast to -2**63, out of range as the
    # rest.
    with pytest.raises(IndexError, match="index is out of bounds"):
        jitted[cast_checked](np.array([0.5, value]), 16)


@FEW
@given(signed)
def test_parallel_bins(a):
    same(counted_parallel, a, 16)


@pytest.mark.parametrize("f", [counted, counted_named])
@pytest.mark.parametrize("n", [1, 4, 5, 8, 9, 13])
@pytest.mark.parametrize("where", [0, 1, 2, 3, 4, -1])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_unusual_values_raise_as_python(f, n, where, bad):
    # ValueError for NaN, OverflowError for the infinities, from whichever
    # copy of the unrolled loop or its remainder holds the value.
    a = np.full(n, 0.25)
    a[min(where, n - 1)] = bad
    same(f, a, 16)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_unusual_values_raise_in_parallel(bad):
    a = np.full(101, 0.25)
    a[77] = bad
    same(counted_parallel, a, 16)


@FEW
@given(hnp.arrays(np.float64, st.integers(0, 30),
                  elements=st.floats(-7.4, 7.4)))
def test_floor_and_round_index(a):
    t = np.arange(8.0) * 1.5 + 1
    same(floored, a, t)
    same(rounded, a, t)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_floor_and_round_of_unusual_values(bad):
    t = np.arange(8.0)
    a = np.array([1.0, bad, 2.0])
    same(floored, a, t)
    same(rounded, a, t)


@FEW
@given(hnp.arrays(np.float64, st.integers(0, 20),
                  elements=st.floats(-3.9, 3.9)))
def test_rows_of_a_2d_array(a):
    m = np.arange(12.0).reshape(4, 3) ** 2
    same(rows, a, m)


@FEW
@given(hnp.arrays(np.float64, st.integers(0, 20),
                  elements=st.floats(-5.9, 5.9)))
def test_variable_reassigned_between_indexings(a):
    same(reassigned, a, 6)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("values", [[0.5, 3.0, -2.0], [15.9, -16.0]])
def test_boundscheck_in_range(values, dtype):
    a = np.array(values, dtype)
    np.testing.assert_array_equal(jitted[checked](a, 16), checked(a, 16))


@pytest.mark.parametrize("value", [16.0, -17.0, 1e300, -1e300, 2.0 ** 63,
                                   -(2.0 ** 63)])
def test_boundscheck_out_of_range(value):
    # Beyond int64 the integer saturates (csrc/numbers.c), out of
    # range either way.
    with pytest.raises(IndexError, match="index is out of bounds"):
        jitted[checked](np.array([0.5, value]), 16)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_boundscheck_of_unusual_values(bad, dtype):
    same(checked, np.array([0.5, bad], dtype), 16)


@pytest.mark.parametrize("kernel", [counted, cast])
def test_one_test_of_the_sign_per_element(kernel):
    # The loop's body converts, tests the sign and increments: no select
    # of a wrapped index and no second compare of the conversion's answer.
    f = jitted[kernel]
    f(np.array([0.5]), 4)
    asm = "\n".join(f.inspect_asm().values())
    loop = asm.split("vcvttsd2si")[1].split("vcvttsd2si")[0]
    assert "js" in loop
    assert "sarq" not in loop and "cmov" not in loop


def test_memory_stays_flat_over_calls_that_count_and_raise():
    f = jitted[counted]
    good, bad = np.full(9, 0.5), np.array([0.5, np.nan, 0.5])

    def run(n):
        for _ in range(n):
            f(good, 8)
            try:
                f(bad, 8)
            except ValueError:
                pass

    run(20000)
    before = rss_bytes()
    run(200000)
    assert rss_bytes() - before < rss_limit(4 * 2**20)
