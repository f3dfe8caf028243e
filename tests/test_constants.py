"""Globals and closure variables frozen as constants when a function
compiles, as Numba freezes them: NumPy arrays (read-only copies of their
contents then), NumPy scalars, tuples of them, IntEnum members (as their
ints); a value without a type is an error naming its type and value."""
import enum

import numpy as np
import pytest
from hypothesis import given
import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st

import pyjit
from pyjit import njit, types

from difftest import FEW, assert_compiled
from test_process import ROOT, check, run_python

A = np.arange(5.0)
M = np.arange(12, dtype=np.int32).reshape(3, 4)
STRIDED = np.arange(12).reshape(3, 4)[:, ::2]
PAIR = (np.arange(3), np.ones((2, 2), dtype=np.float32))
EMPTY = np.zeros(0)
SCALE = np.float32(1.5)
MIXED = (np.int16(3), 2.5)


def test_global_array_is_a_readonly_c_array():
    @njit
    def get():
        return A

    r = get()
    assert get.nopython_signatures[0].return_type == \
        types.Array(types.float64, 1, "C", readonly=True)
    assert np.array_equal(r, A) and r is not A
    assert not r.flags.writeable


@given(st.integers(-3, 2), st.integers(-4, 3))
@FEW
def test_indexing_a_2d_global(i, j):
    @njit
    def get(i, j):
        return M[i, j] + M[i].sum()

    assert get(i, j) == get.py_func(i, j)
    assert_compiled(get)


def test_a_strided_global_is_copied_in_c_order():
    @njit
    def row(i):
        return STRIDED[i]

    assert np.array_equal(row(1), STRIDED[1])
    assert row.nopython_signatures[0].return_type == \
        types.Array(types.int64, 1, "C", readonly=True)


def test_tuple_of_arrays_empty_array_and_iteration():
    @njit
    def total():
        t = 0.0
        for x in A:
            t += x
        return t + PAIR[0][2] + PAIR[1][1, 1] + len(EMPTY) + EMPTY.sum()

    assert total() == total.py_func()


def test_contents_are_frozen_when_the_function_compiles():
    data = np.arange(4.0)

    @njit
    def first():
        return data[0]

    assert first() == 0.0
    data[0] = 99.0
    assert first() == 0.0               # as Numba: the copy is frozen


@given(hnp.arrays(np.float64, st.integers(0, 6),
                  elements=st.floats(-1e9, 1e9)))
@FEW
def test_closure_array_differential(values):
    def make(w):
        @njit
        def dot(x):
            s = 0.0
            for i in range(w.shape[0]):
                s += w[i] * x
            return s
        return dot

    f = make(values)
    assert f(2.0) == f.py_func(2.0)
    assert_compiled(f)


def test_writing_to_a_frozen_array_is_a_typing_error():
    @njit
    def write():
        A[0] = 1.0

    with pytest.raises(pyjit.TypingError, match="read-only"):
        write()


def test_whole_array_expression_on_a_global():
    @njit
    def doubled():
        return A * 2

    r = doubled()
    assert np.array_equal(r, A * 2) and r.flags.writeable


def test_numpy_scalars_and_tuples_of_them():
    @njit
    def f(x):
        return SCALE * x + MIXED[0] + MIXED[1]

    assert f(2) == f.py_func(2) == 8.5
    assert_compiled(f)


def test_untyped_global_names_its_type_and_value():
    thing = object()

    @njit
    def f():
        return thing

    with pytest.raises(pyjit.TypingError) as e:
        f()
    msg = str(e.value)
    assert "Untyped global name 'thing'" in msg
    assert "<class 'object'>" in msg and "<object object at" in msg


CACHED = """
    import sys
    import numpy as np
    from pyjit import njit

    A = np.arange(4.0) * float(sys.argv[1])

    @njit(cache=True)
    def f(i):
        return A[i]

    print(f(2), f.stats.cache_hits[f.signatures[0]])
"""


def test_cached_function_is_keyed_by_the_arrays_contents(tmp_path):
    outs = []
    for k in ("1", "1", "2", "2"):
        proc = check(run_python(CACHED, args=(k,), env={"PYTHONPATH": ROOT},
                                tmp_path=str(tmp_path)))
        outs.append(proc.stdout.split())
    assert outs == [["2.0", "0"], ["2.0", "1"], ["4.0", "0"], ["4.0", "1"]]


class Color(enum.IntEnum):
    RED = 1
    BLUE = 7


class Shape(enum.Enum):
    SQUARE = 1


FAVOURITE = Color.BLUE


@given(st.integers(-100, 100))
@FEW
def test_intenum_members_are_their_ints(x):
    @njit
    def f(x, a):
        a[0] = Color.BLUE
        if x == Color.RED:
            return x * Color.BLUE
        return x + FAVOURITE + a[0]

    a = np.zeros(1, dtype=np.int64)
    assert f(x, a) == f.py_func(x, a.copy())
    assert a[0] == 7
    assert_compiled(f)


def test_plain_enum_members_are_enum_members():
    @njit
    def f():
        return Shape.SQUARE

    assert f() is f.py_func()
    assert_compiled(f)
