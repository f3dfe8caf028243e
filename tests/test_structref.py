"""numba.experimental.structref on jitclasses (pyjit/_structref.py): a
proxy made in compiled code or in Python holds the values it was made
from, with their types, in both."""
import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from pyjit import _structref as structref
from pyjit import njit, typeof, types

from difftest import FEW, assert_compiled, int64s


@structref.register
class BoxType(structref.StructRef):
    def preprocess_fields(self, fields):
        return tuple((name, types.unliteral(t)) for name, t in fields)


class Box(structref.StructRefProxy):
    pass


structref.define_proxy(Box, BoxType, ["values", "scale"])


@njit
def make(values, scale):
    return Box(values, scale)


@njit
def weighted(box):
    return box.values.sum() * box.scale


@njit
def made_and_used(values, scale):
    return weighted(Box(values, scale))


@FEW
@given(st.lists(st.integers(-1000, 1000), max_size=10), int64s)
def test_made_in_compiled_code(values, scale):
    a = np.array(values, dtype=np.int64)
    box = make(a, scale)
    assert box.scale == scale
    assert box.values is not None and box.values.tolist() == values
    assert weighted(box) == np.int64(a.sum()) * np.int64(scale)
    assert made_and_used(a, scale) == weighted(box)
    assert_compiled(made_and_used)


@FEW
@given(st.lists(st.floats(-1e3, 1e3), max_size=10),
       st.floats(-10, 10))
def test_made_in_python(values, scale):
    a = np.array(values, dtype=np.float64)
    box = Box(a, scale)
    # NumPy sums pairwise, a compiled sum in order
    assert np.isclose(weighted(box), a.sum() * scale, rtol=1e-12, atol=1e-9)


def test_field_types_are_the_values_types():
    box = Box(np.zeros(3, np.float32), np.int32(2))
    assert str(typeof(box.values)) == "array(float32, 1d, C)"
    assert box.scale == 2


def test_proxy_without_fields_is_an_error():
    class Bare(structref.StructRefProxy):
        pass
    try:
        Bare(1)
    except TypeError as e:
        assert "define_proxy" in str(e)
    else:
        raise AssertionError("Bare(1) made a structref without fields")


def test_wrong_number_of_values():
    try:
        Box(np.zeros(1))
    except TypeError as e:
        assert "takes 2 values" in str(e)
    else:
        raise AssertionError("Box took one value")


@structref.register
class PointType(structref.StructRef):
    pass


class Point(structref.StructRefProxy):
    pass


structref.define_proxy(Point, PointType, ["x", "y"])


def _overload_distance():
    from pyjit.extending import overload_method
    from pyjit.errors import TypingError

    @overload_method(PointType, "distance")
    def ol_distance(self, other):
        if not isinstance(other, PointType):
            raise TypingError(f"other must be a {PointType}; got {other}")

        def impl(self, other):
            return np.hypot(self.x - other.x, self.y - other.y)
        return impl


_overload_distance()


@njit
def distance_between(x1, y1, x2, y2):
    return Point(x1, y1).distance(Point(x2, y2))


@FEW
@given(st.floats(-1e3, 1e3), st.floats(-1e3, 1e3), st.floats(-1e3, 1e3),
       st.floats(-1e3, 1e3))
def test_overload_method_on_the_type_class(x1, y1, x2, y2):
    # Numba's documented structref example: a method added to the type class
    assert distance_between(x1, y1, x2, y2) == np.hypot(x1 - x2, y1 - y2)
    assert distance_between(1.0, 2.0, 4.0, 6.0) == 5.0
    assert_compiled(distance_between)


def test_overload_method_guard_refuses_other_types():
    import pytest
    from pyjit.errors import TypingError

    @njit
    def bad(x, y):
        return Point(x, y).distance(3.0)

    with pytest.raises(TypingError, match="other must be a"):
        bad(1.0, 2.0)
