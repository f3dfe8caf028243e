"""jitclass dunder methods: the builtins and operators a class answers, in
compiled code and in Python, against the same class in plain Python."""
from hypothesis import given, settings, strategies as st

import pyjit
from pyjit import int64, njit
from pyjit.experimental import jitclass
from difftest import assert_compiled


class Money:
    def __init__(self, cents):
        self.cents = cents

    def __bool__(self):
        return self.cents != 0

    def __abs__(self):
        return abs(self.cents)

    def __hash__(self):
        return self.cents * 7

    def __int__(self):
        return self.cents // 100

    def __float__(self):
        return self.cents / 100.0

    def __str__(self):
        return str(self.cents)

    def __neg__(self):
        return -self.cents

    def __eq__(self, other):
        return self.cents == other.cents

    def __lt__(self, other):
        return self.cents < other.cents

    def __add__(self, other):
        return self.cents + other

    def __radd__(self, other):
        return other + 2 * self.cents

    def __iadd__(self, other):
        self.cents += other
        return self

    def __mul__(self, k):
        return self.cents * k


class Sized:
    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n


JMoney = jitclass(Money, [("cents", int64)])
JSized = jitclass(Sized, [("n", int64)])


def make_exercise(cls, sized):
    def exercise(a, b):
        x, y = cls(a), cls(b)
        out = [float(abs(x)), float(hash(x)), float(int(x)), float(x),
               float(-x), float(x + b), float(b + x), float(x * 3),
               float(x == y), float(x != y), float(x < y), float(y > x),
               float(bool(x)), float(not x), float(len(sized(b % 5)))]
        out.append(1.0 if x else 0.0)
        out.append(1.0 if sized(a % 3) else 0.0)
        out.append(float(len(str(x))))
        x += b
        out.append(float(x.cents))
        return out
    return exercise


exercise_python = make_exercise(Money, Sized)
exercise_boxed = make_exercise(JMoney, JSized)
exercise_compiled = njit(make_exercise(JMoney, JSized))


@settings(max_examples=60, deadline=None)
@given(st.integers(-10**6, 10**6), st.integers(-10**6, 10**6))
def test_dunders_match_python(a, b):
    expected = exercise_python(a, b)
    assert list(exercise_compiled(a, b)) == expected
    assert_compiled(exercise_compiled)
    # the same operations on instances driven from Python
    assert exercise_boxed(a, b) == expected


def test_python_side_dunders():
    m = JMoney(250)
    assert str(m) == "250" and int(m) == 2 and hash(m) == 1750
    assert m == JMoney(250) and m != JMoney(1) and bool(JMoney(0)) is False
    assert {m: 1}[JMoney(250)] == 1
    assert len(JSized(4)) == 4
    assert pyjit.typeof(m) == JMoney.class_type.instance_type
