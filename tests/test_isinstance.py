"""isinstance(x, C) in nopython code, decided when the function compiles
with Numba's meaning (pyjit/_isinstance.py): each value is tested against
many classes and compared with the plain Python function where the two
agree, and with Numba's answers where they differ (a float32 is not a
float, an int32 not an int).  A test of an argument, or of an element of
an array argument, leaves the branch it rules out untyped, so code that
only compiles for some types runs for all of them."""
import collections

import numpy as np
import pytest

import pyjit
from pyjit import njit, types
from pyjit.errors import TypingError, UnsupportedError
from pyjit.experimental import jitclass
from pyjit.typed import Dict, List

from difftest import assert_compiled

Point = collections.namedtuple("Point", "x y")


@jitclass([("x", types.float64)])
class Particle:
    def __init__(self):
        self.x = 1.0


@njit
def classes_of(v):
    return (isinstance(v, int), isinstance(v, float), isinstance(v, complex),
            isinstance(v, bool), isinstance(v, str), isinstance(v, tuple),
            isinstance(v, list), isinstance(v, (dict, set)),
            isinstance(v, type(None)), isinstance(v, np.ndarray),
            isinstance(v, Point), isinstance(v, Particle),
            isinstance(v, (List, Dict)))


# values whose answers are Python's
PYTHON_VALUES = [3, 2.5, 1 + 2j, "abc", (1, 2), (1, 2.5), [1, 2],
                 None, np.zeros(3), Point(1, 2), {1, 2}]


@pytest.mark.parametrize("value", PYTHON_VALUES, ids=repr)
def test_isinstance_answers_as_python(value):
    assert classes_of(value) == classes_of.py_func(value)
    assert_compiled(classes_of)


@pytest.mark.parametrize("value, answers", [
    # Numba's: a NumPy scalar is its own type, not Python's int or float
    (np.float32(1.5), {}),
    (np.int32(3), {}),
    (np.float64(1.5), {1: True}),
    (np.int64(3), {0: True}),
    (np.complex64(1j), {}),
    # and a bool is a bool, not an int
    (True, {3: True}),
])
def test_numpy_scalars_are_instances_of_their_own_type_only(value, answers):
    got = classes_of(value)
    want = tuple(answers.get(i, False) for i in range(len(got)))
    assert got == want


def test_typed_containers_and_jitclass_instances():
    typed = List([1, 2])
    d = Dict.empty(types.int64, types.float64)
    assert classes_of(typed)[-1] and not classes_of(typed)[6]
    assert classes_of(d)[7] and classes_of(d)[-1]
    p = Particle()
    assert classes_of(p)[11] and not any(classes_of(p)[:11])


@njit
def numpy_classes(v):
    return (isinstance(v, np.float32), isinstance(v, (np.int32, np.int64)),
            isinstance(v, np.complex128), isinstance(v, np.bool_))


@pytest.mark.parametrize("value", [np.float32(1), np.int32(2), np.int64(3),
                                   np.complex128(1j), np.bool_(True), 1.0])
def test_numpy_scalar_classes(value):
    assert numpy_classes(value) == numpy_classes.py_func(value)


# numpy-groupies' aggregate_numba/specials.py (_hash_value): one function
# for every dtype, its branches only compiling for their own.
@njit
def hash_value(v):
    if isinstance(v, (complex, np.complex64, np.complex128)):
        return hash_value(v.real) * 31.0 + hash_value(v.imag)
    if isinstance(v, (float, np.float32, np.float64)):
        return v * 2.0
    if isinstance(v, str):
        return len(v) * 1.0
    return np.uint64(v) * 1.0


@pytest.mark.parametrize("value", [1.5, 2 + 1j, np.complex64(1 + 1j),
                                   np.float32(2.5), "abc", 7, np.uint8(3),
                                   True])
def test_the_branches_a_type_rules_out_are_not_compiled(value):
    assert hash_value(value) == pytest.approx(hash_value.py_func(value))
    assert_compiled(hash_value)


# numpy-groupies' specials.py (_order_block): an element of an array
# argument decides, and `not isinstance` too.
@njit
def insertion_sorted(a):
    if not isinstance(a[0], (complex, np.complex64)):
        for i in range(1, len(a)):
            v = a[i]
            j = i - 1
            while j >= 0 and v < a[j]:
                a[j + 1] = a[j]
                j -= 1
            a[j + 1] = v
    else:
        a.sort()
    return a


@pytest.mark.parametrize("dtype", [np.float64, np.int32, np.complex128,
                                   np.complex64])
def test_an_element_of_an_array_argument_decides(dtype):
    a = np.array([3, 1, 2, 5, 4]).astype(dtype)
    np.testing.assert_array_equal(insertion_sorted(a.copy()), np.sort(a))


def test_a_value_computed_in_the_function_is_tested_too():
    @njit
    def kind_of_sum(n):
        s = 0
        for i in range(n):
            s += i
        t = s / 2
        return isinstance(s, int), isinstance(t, float), isinstance(t, int)

    assert kind_of_sum(4) == (True, True, False)


def test_classes_from_a_closure_and_a_module_attribute():
    kinds = (float, np.float32)

    @njit
    def is_real(v):
        return isinstance(v, kinds), isinstance(v, pyjit.typed.List)

    assert is_real(1.0) == (True, False)
    assert is_real(1) == (False, False)


def test_an_optional_value_is_refused_as_numba_refuses_it():
    @njit
    def maybe(n):
        x = None if n < 0 else n
        return isinstance(x, int)

    with pytest.raises(TypingError, match="isinstance cannot handle "
                                          "optional types"):
        maybe(1)


def test_a_class_pyjit_cannot_decide_is_a_typing_error():
    class Other:
        pass

    @njit
    def other(v):
        return isinstance(v, Other)

    with pytest.raises(TypingError, match="cannot test for"):
        other(1)


def test_classes_not_named_by_globals_are_unsupported():
    @njit
    def local_class(v):
        c = float
        return isinstance(v, c)

    with pytest.raises(UnsupportedError, match="isinstance"):
        local_class(1.0)


def test_isinstance_in_a_prange_loop():
    @njit(parallel=True)
    def halves(a):
        out = np.empty(len(a))
        for i in pyjit.prange(len(a)):
            x = a[i]
            out[i] = x / 2 if isinstance(x, float) else x // 2
        return out

    a = np.arange(10.0)
    np.testing.assert_array_equal(halves(a), halves.py_func(a))
    b = np.arange(10)
    np.testing.assert_array_equal(halves(b), halves.py_func(b))


def test_classes_of_the_same_name_made_by_a_factory_stay_apart():
    def make():
        Pair = collections.namedtuple("Pair", "a b")

        @njit
        def is_pair(v):
            return isinstance(v, Pair)
        return Pair, is_pair

    Pair1, is_pair1 = make()
    Pair2, is_pair2 = make()
    assert is_pair1(Pair1(1, 2)) and not is_pair1(Pair2(1, 2))
    assert is_pair2(Pair2(1, 2)) and not is_pair2(Pair1(1, 2))
