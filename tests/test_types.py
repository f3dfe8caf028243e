"""pyjit.typeof and pyjit.types: the types, their names and interning."""
import numpy as np
import pytest

import pyjit
from pyjit import types
from pyjit.types import (boolean, complex64, complex128, float32, float64,
                         int8, int16, int32, int64, none, uint8,
                         uint16, uint32, uint64)


# --- typeof of Python values ------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    (0, "int64"),
    (-5, "int64"),
    (2**63 - 1, "int64"),
    (-2**63, "int64"),
    (2**63, "uint64"),
    (2**64 - 1, "uint64"),
    (True, "bool"),
    (False, "bool"),
    (1.5, "float64"),
    (float("nan"), "float64"),
    (1j, "complex128"),
    (None, "none"),
])
def test_typeof_python_scalars(value, expected):
    t = pyjit.typeof(value)
    assert str(t) == expected
    assert repr(t) == expected


def test_typeof_returns_the_interned_types():
    assert pyjit.typeof(1) is int64
    assert pyjit.typeof(2**63) is uint64
    assert pyjit.typeof(True) is boolean
    assert pyjit.typeof(1.0) is float64
    assert pyjit.typeof(1j) is complex128
    assert pyjit.typeof(None) is none


@pytest.mark.parametrize("value", [2**64, 2**100, -2**63 - 1])
def test_typeof_int_too_large_raises(value):
    # as numba.typeof: a ValueError, as for any value without a type
    with pytest.raises(ValueError, match=r"cannot determine pyjit type of "
                       r"<class 'int'>: its value does not fit in 64 bits"):
        pyjit.typeof(value)


@pytest.mark.parametrize("value, expected", [
    (np.int8(3), int8),
    (np.int16(3), int16),
    (np.int32(3), int32),
    (np.int64(3), int64),
    (np.uint8(3), uint8),
    (np.uint16(3), uint16),
    (np.uint32(3), uint32),
    (np.uint64(3), uint64),
    (np.float32(3), float32),
    (np.float64(3), float64),
    (np.complex64(3), complex64),
    (np.complex128(3), complex128),
    (np.bool_(True), boolean),
])
def test_typeof_numpy_scalars_keep_their_dtype(value, expected):
    assert pyjit.typeof(value) is expected


def test_typeof_tuples():
    t = pyjit.typeof((1, 2))
    assert str(t) == repr(t) == "UniTuple(int64 x 2)"
    assert t is types.UniTuple(int64, 2)
    t = pyjit.typeof((1, 2.0))
    assert str(t) == repr(t) == "Tuple(int64, float64)"
    assert t is types.Tuple((int64, float64))
    t = pyjit.typeof((1.0, 2.0, 3.0))
    assert str(t) == "UniTuple(float64 x 3)"
    t = pyjit.typeof((1, (2, 3)))
    assert str(t) == "Tuple(int64, UniTuple(int64 x 2))"


def test_typeof_unsupported_value_raises_and_names_the_class():
    class Thing:
        pass
    with pytest.raises((ValueError, pyjit.PyjitError)) as info:
        pyjit.typeof(Thing())
    assert "Thing" in str(info.value)


# --- the type objects --------------------------------------------------------

BASIC = [
    ("int8", "int8"), ("int16", "int16"), ("int32", "int32"),
    ("int64", "int64"), ("uint8", "uint8"), ("uint16", "uint16"),
    ("uint32", "uint32"), ("uint64", "uint64"), ("float32", "float32"),
    ("float64", "float64"), ("complex64", "complex64"),
    ("complex128", "complex128"), ("boolean", "bool"), ("none", "none"),
    ("pyobject", "pyobject"),
]


@pytest.mark.parametrize("attr, name", BASIC)
def test_basic_types_are_exposed_with_numba_names(attr, name):
    t = getattr(types, attr)
    assert str(t) == name
    assert repr(t) == name


def test_top_level_reexports_are_the_same_objects():
    for attr in ("int8", "int16", "int32", "int64", "uint8", "uint16",
                 "uint32", "uint64", "float32", "float64", "complex64",
                 "complex128", "boolean", "none"):
        assert getattr(pyjit, attr) is getattr(types, attr)


def test_basic_types_are_distinct():
    objs = [getattr(types, attr) for attr, _ in BASIC]
    assert len(set(objs)) == len(objs)
    assert len({str(t) for t in objs}) == len(objs)


def test_composite_types_print_as_numba():
    assert str(types.UniTuple(int64, 2)) == "UniTuple(int64 x 2)"
    assert repr(types.UniTuple(float32, 3)) == "UniTuple(float32 x 3)"
    assert str(types.Tuple((int64, float64))) == "Tuple(int64, float64)"
    assert str(types.Optional(int64)) == "OptionalType(int64)"
    assert repr(types.Optional(float64)) == "OptionalType(float64)"


def test_uniform_tuple_is_unituple():
    assert types.Tuple((int64, int64)) is types.UniTuple(int64, 2)


def test_types_are_interned():
    assert types.UniTuple(int64, 2) is types.UniTuple(int64, 2)
    assert types.Tuple((int64, float64)) is types.Tuple((int64, float64))
    assert types.Optional(int64) is types.Optional(int64)
    assert types.UniTuple(int64, 2) is not types.UniTuple(int64, 3)
    assert types.UniTuple(int64, 2) is not types.UniTuple(int32, 2)
    assert types.Optional(int64) is not types.Optional(float64)


def test_types_are_hashable_and_usable_as_keys():
    d = {int64: "i", float64: "f", types.UniTuple(int64, 2): "t",
         (int64, int64): "sig"}
    assert d[pyjit.typeof(7)] == "i"
    assert d[pyjit.typeof(7.0)] == "f"
    assert d[pyjit.typeof((1, 2))] == "t"
    assert d[(pyjit.typeof(1), pyjit.typeof(2))] == "sig"
    assert hash(types.UniTuple(int64, 2)) == hash(types.UniTuple(int64, 2))


def test_types_compare_by_identity_and_equality():
    assert int64 == pyjit.typeof(1)
    assert int64 != float64
    assert types.UniTuple(int64, 2) == pyjit.typeof((3, 4))
    assert types.UniTuple(int64, 2) != pyjit.typeof((3, 4.0))


def test_types_are_immutable():
    with pytest.raises((AttributeError, TypeError)):
        int64.name = "float64"
    assert str(int64) == "int64"


def test_signature_tuple_prints_as_numba():
    assert str((int64, int64)) == "(int64, int64)"
    assert repr((float64, types.UniTuple(int64, 2))) == \
        "(float64, UniTuple(int64 x 2))"


def test_calling_a_type_builds_a_signature():
    sig = float64(float64, float64)
    assert repr(sig) == "(float64, float64) -> float64"
    assert str(sig) == "(float64, float64) -> float64"
    assert tuple(sig.args) == (float64, float64)
    assert sig.return_type is float64
    sig = int64(int32, types.UniTuple(int64, 2))
    assert repr(sig) == "(int32, UniTuple(int64 x 2)) -> int64"


def test_numba_aliases():
    assert types.boolean is types.bool_
    assert types.i8 is int64 and types.f8 is float64 and types.f4 is float32
