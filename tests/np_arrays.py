"""Shared helpers for the differential tests of pyjit's NumPy functions
(tests/test_np_*.py): arrays of many dtypes and shapes, views that are not
contiguous, and comparisons with NumPy's results that check the dtype."""
import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
from hypothesis import HealthCheck, settings

from difftest import assert_compiled

SOME = settings(max_examples=25, deadline=None,
                suppress_health_check=[HealthCheck.too_slow,
                                       HealthCheck.data_too_large])
DTYPES = [np.dtype(n) for n in ("bool", "int8", "int32", "int64", "uint8",
                                "uint64", "float32", "float64")]


def elements(dtype):
    if dtype.kind == "f":
        return st.one_of(
            st.floats(-1e4, 1e4, width=dtype.itemsize * 8),
            st.sampled_from([0.0, -0.0, 0.5, -0.5, 1.5, 2.5, float("nan"),
                             float("inf"), float("-inf")]))
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        return st.one_of(st.integers(max(info.min, -50), min(info.max, 50)),
                         st.sampled_from([info.min, info.max]))
    return st.booleans()


@st.composite
def arrays(draw, dtype=None, ndim=None, min_side=0):
    """An array of 1 to 3 dimensions (0-sized ones among them), sometimes
    a view that is not contiguous (every other element, or transposed)."""
    dtype = dtype if dtype is not None else draw(st.sampled_from(DTYPES))
    nd = ndim if ndim is not None else draw(st.integers(1, 3))
    shape = draw(hnp.array_shapes(min_dims=nd, max_dims=nd,
                                  min_side=min_side, max_side=5))
    view = draw(st.sampled_from(["c", "strided", "transposed"]))
    if view == "strided":
        shape = (shape[0] * 2,) + shape[1:]
    a = draw(hnp.arrays(dtype, shape, elements=elements(dtype)))
    if view == "strided":
        return a[::2]
    return a.T if view == "transposed" else a


def assert_same_array(actual, expected, exact=True, where="",
                      zero_signs=True):
    """Equal values (NaN equal to NaN; with exact, signs of zero too
    unless not zero_signs), shape and dtype."""
    assert isinstance(actual, np.ndarray), f"{where}: {actual!r} is no array"
    assert actual.dtype == expected.dtype, \
        f"{where}: dtype {actual.dtype} != {expected.dtype}"
    assert actual.shape == expected.shape, \
        f"{where}: shape {actual.shape} != {expected.shape}"
    if exact:
        np.testing.assert_array_equal(actual, expected, err_msg=where,
                                      strict=True)
        if expected.dtype.kind == "f" and zero_signs:
            np.testing.assert_array_equal(np.signbit(actual),
                                          np.signbit(expected), err_msg=where)
    else:
        tol = 2e-6 if expected.dtype == np.float32 else 1e-13
        np.testing.assert_allclose(actual, expected, rtol=tol, atol=0,
                                   err_msg=where)


def run_both(f, *args):
    """f compiled and f itself on args: ('ok', compiled, expected) or
    ('exc', compiled exception, expected exception)."""
    try:
        with np.errstate(all="ignore"):
            expected = f.py_func(*args)
    except Exception as e:  # noqa: BLE001 - compared with pyjit's below
        try:
            f(*args)
        except Exception as got:  # noqa: BLE001
            assert_compiled(f)
            return "exc", got, e
        raise AssertionError(f"{f.__name__}{args!r}: no exception, NumPy "
                             f"raised {e!r}")
    actual = f(*args)
    assert_compiled(f)
    return "ok", actual, expected


def check_arrays(f, *args, zero_signs=True):
    """f compiled returns the arrays NumPy does (a tuple of them)."""
    kind, actual, expected = run_both(f, *args)
    assert kind == "ok", (actual, expected)
    for got, want in zip(actual, expected):
        assert_same_array(got, want, zero_signs=zero_signs)


def same(got, want, exact=True, rtol=1e-12):
    """Equal dtypes, shapes and values (exact, or to rtol), item by item
    in tuples and lists (a list for a list)."""
    if isinstance(want, (tuple, list)):
        assert isinstance(want, tuple) or isinstance(got, list), type(got)
        assert len(got) == len(want)
        for g, w in zip(got, want):
            same(g, w, exact, rtol)
        return
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    assert got.shape == want.shape, (got.shape, want.shape)
    if exact:
        np.testing.assert_array_equal(got, want)
    else:
        np.testing.assert_allclose(got, want, rtol=rtol, atol=rtol)
