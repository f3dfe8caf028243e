"""Members of plain Enum classes in compiled code, as Numba's EnumMember:
globals (`Color.RED`), arguments, results, members in tuples, `==`, `!=`,
`is`, `is not` and `.value`, of classes whose values are numbers or
strings.  Differential tests against the plain Python
functions, each also checking that the code compiled in nopython mode."""
import enum

import hypothesis.strategies as st
import pytest
from hypothesis import given

from difftest import FEW, assert_compiled
from pyjit import njit
from pyjit import types
from pyjit.errors import TypingError


class Color(enum.Enum):
    RED = 1
    GREEN = 2
    BLUE = 3


class Level(enum.Enum):
    LOW = 0.25
    HIGH = 4.5


class Posture(enum.Enum):
    standing = "standing"
    sitting = "sitting"
    crouching = "crouch\u00e9"


class Shape(enum.IntEnum):
    CIRCLE = 1
    SQUARE = 2


pyjit_str = types.unicode_type
colors = st.sampled_from(list(Color))
levels = st.sampled_from(list(Level))
postures = st.sampled_from(list(Posture))


def check(f, *args):
    got, expected = f(*args), f.py_func(*args)
    assert got == expected and type(got) is type(expected), (got, expected)
    assert_compiled(f)


@njit
def compare(a, b):
    return (a == b, a != b, a is b, a is not b, a == Color.RED,
            a is Color.GREEN, b is not Color.BLUE)


@njit
def value_of(a):
    return a.value


@njit
def value_sum(a, b, n):
    s = 0
    for i in range(n):
        s += a.value * i + b.value
    return s


@njit
def identity(a):
    return a


@njit
def pick(i):
    if i == 0:
        c = Color.RED
    elif i == 1:
        c = Color.GREEN
    else:
        c = Color.BLUE
    return c


@njit
def in_tuple(a):
    return (a, Color.BLUE, a.value)


@njit
def level_scale(lv, x):
    if lv is Level.HIGH:
        return x * lv.value
    return x + lv.value


@njit
def mixed_with_int_enum(a):
    return a.value + Shape.SQUARE


@given(colors, colors)
@FEW
def test_compare(a, b):
    check(compare, a, b)


@given(colors)
@FEW
def test_value(a):
    check(value_of, a)
    check(mixed_with_int_enum, a)


@given(colors, colors, st.integers(0, 20))
@FEW
def test_value_in_loops(a, b, n):
    check(value_sum, a, b, n)


@pytest.mark.parametrize("c", list(Color))
def test_returned_as_the_member(c):
    assert identity(c) is c
    assert_compiled(identity)


@pytest.mark.parametrize("i", [0, 1, 2, 7])
def test_global_members(i):
    assert pick(i) is pick.py_func(i)
    assert_compiled(pick)


@given(colors)
@FEW
def test_members_in_tuples(a):
    check(in_tuple, a)


@given(levels, st.floats(-1e6, 1e6))
@FEW
def test_float_valued_members(lv, x):
    check(level_scale, lv, x)


def test_members_of_different_classes_do_not_compare():
    @njit
    def f(a, b):
        return a == b

    with pytest.raises(TypingError, match="different Enum classes"):
        f(Color.RED, Level.LOW)


def test_name_is_refused_as_in_numba():
    @njit
    def f(a):
        return a.name

    with pytest.raises(TypingError, match="name"):
        f(Color.RED)


@njit
def metabolic_factor(position):
    # pythermalcomfort's two-node model: a float compared with a str value
    if position == Posture.sitting.value:
        return 0.7
    return 0.73


@njit
def describe(p, q):
    v = p.value
    return (p == q, p is not q, p is Posture.sitting, v, len(v),
            v + "/" + q.value, v.upper(), p, Posture.crouching)


@njit
def postures_named(words):
    found = []
    for w in words:
        for p in (Posture.standing, Posture.sitting, Posture.crouching):
            if p.value == w:
                found.append(p)
    return found


@pytest.mark.parametrize("x", [0.0, 1.0, float("nan")])
def test_str_valued_member_value_as_a_constant(x):
    check(metabolic_factor, x)


@given(postures, postures)
@FEW
def test_str_valued_members(p, q):
    check(describe, p, q)
    assert identity(p) is p


@given(st.lists(st.sampled_from(["sitting", "crouch\u00e9", "lying",
                                 "standing"]), max_size=6))
@FEW
def test_str_valued_members_in_lists(words):
    from pyjit.typed import List
    typed = List.empty_list(pyjit_str) if not words else List(words)
    assert list(postures_named(typed)) == postures_named.py_func(words)
    assert_compiled(postures_named)


def test_members_with_values_that_are_not_numbers_or_strings():
    class Pair(enum.Enum):
        A = (1, 2)

    @njit
    def f(a):
        return a

    with pytest.raises(Exception, match="numbers.*or strings"):
        f(Pair.A)
