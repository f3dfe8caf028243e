"""Sums and means of array expressions with square roots or divisions,
which fusion computes a block of elements at a time and then adds in
order: bit for bit the sum of the elements one after the other, in the
order of the array's memory, over sizes around the block's and every
layout; the element computation vectorized."""
import re

import numpy as np
import pytest
from hypothesis import given, strategies as st
from hypothesis.extra import numpy as hnp

import pyjit
from difftest import FEW, assert_compiled


def in_order(values):
    s = 0.0
    for v in values:
        s += v
    return s


@pyjit.njit
def sqrt_sum(a):
    return np.sqrt(a).sum()


@pyjit.njit
def quotient_sum(a, b):
    return (a / (b + 1.0)).sum()


@pyjit.njit
def hypot_mean(a, b):
    return np.mean(np.sqrt(a * a + b * b))


@pyjit.njit
def float32_sum(a):
    return np.sqrt(a).sum()


def memory_order(x):
    return x.ravel(order="K") if x.ndim else x.reshape(1)


@pytest.mark.parametrize("n", [0, 1, 2, 255, 256, 257, 511, 513, 1000])
def test_sizes_around_a_block(n):
    a = np.random.default_rng(n).random(n) * 100
    b = np.random.default_rng(n + 1).random(n)
    assert sqrt_sum(a) == in_order(np.sqrt(a))
    assert quotient_sum(a, b) == in_order(a / (b + 1.0))
    if n:
        assert hypot_mean(a, b) == in_order(np.sqrt(a * a + b * b)) / n
    assert_compiled(sqrt_sum)
    assert_compiled(quotient_sum)


@FEW
@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3,
                                               min_side=0, max_side=40),
                  elements=st.floats(0, 1e6)))
def test_every_layout_adds_in_memory_order(a):
    for view in (a, np.asfortranarray(a), a[..., ::2], a[::-1]):
        assert sqrt_sum(view) == in_order(memory_order(np.sqrt(view))) or (
            # a view that is neither C nor F is walked in C order
            sqrt_sum(view) == in_order(np.sqrt(view).ravel()))


def test_float32_adds_in_float32():
    a = (np.random.default_rng(3).random(700) * 1e3).astype(np.float32)
    want = np.float32(0)
    for v in np.sqrt(a):
        want = np.float32(want + v)
    assert float32_sum(a) == want


def test_nan_and_inf_propagate():
    a = np.ones(600)
    a[300] = np.nan
    assert np.isnan(sqrt_sum(a))
    a[300] = np.inf
    assert sqrt_sum(a) == np.inf


def test_elements_are_computed_vectorized():
    sqrt_sum(np.ones(4))
    ir = sqrt_sum.inspect_llvm(sqrt_sum.signatures[0])
    assert re.search(r"<\d+ x double> @llvm\.sqrt", ir)


@pyjit.njit(parallel=True)
def parallel_sqrt_sum(a):
    return np.sqrt(a).sum()


@pytest.mark.parametrize("n", [0, 1, 255, 257, 5000, 100003])
def test_parallel_chunks_are_blocked_too(n):
    a = np.random.default_rng(n).random(n) * 100
    assert parallel_sqrt_sum(a) == pytest.approx(in_order(np.sqrt(a)),
                                                 rel=1e-12)
    ir = parallel_sqrt_sum.inspect_llvm(parallel_sqrt_sum.signatures[0])
    assert re.search(r"<\d+ x double> @llvm\.sqrt", ir)
