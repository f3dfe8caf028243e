"""What hftbacktest (a backtester written with Numba's jitclasses) needs:
DictType of jitclass instances, made from the types themselves; Dict.empty
given a value in place of a type, stored in a field of layout-A arrays;
methods inherited from plain Python base classes; typed Lists of strings
appended constants; `is` between arrays; numba.typed.typeddict and
numba.experimental.jitclass.base under the numba alias."""
import os
import subprocess
import sys
import textwrap

import numba
import numpy as np
import pytest

from pyjit import float64, int64, njit, types
from pyjit.experimental import jitclass
from pyjit.typed import Dict, List

from difftest import assert_compiled

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@jitclass([("price", float64), ("qty", int64)])
class Order:
    def __init__(self, price, qty):
        self.price = price
        self.qty = qty


order_ty = Order.class_type.instance_type


@jitclass([("orders", types.DictType(int64, order_ty))])
class Book:
    def __init__(self):
        self.orders = Dict.empty(int64, order_ty)

    def add(self, i, price, qty):
        self.orders[i] = Order(price, qty)

    def notional(self):
        s = 0.0
        for o in self.orders.values():
            s += o.price * o.qty
        return s


def test_a_dict_of_jitclass_instances():
    assert str(types.DictType(int64, order_ty)) == \
        "DictType[int64,instance.jitclass.Order]<iv=None>"
    b = Book()
    b.add(1, 2.5, 3)
    b.add(7, 1.0, 2)
    b.add(1, 4.0, 1)
    assert b.notional() == 6.0 and len(b.orders) == 2
    d = Dict.empty(int64, order_ty)         # made from Python too
    d[3] = Order(4.0, 5)
    assert d[3].qty == 5 and len(d) == 1
    with pytest.raises(TypeError, match="keys cannot be of type"):
        types.DictType(types.float64[:], int64)


# hftbacktest/reader.py: a dict typed by a sample value, in a field whose
# spec names arrays of any layout
@jitclass([("data", types.DictType(int64, float64[:, :]))])
class Cache:
    def __init__(self):
        self.data = Dict.empty(int64, np.empty((0, 0), float64))

    def put(self, k, a):
        self.data[k] = a

    def total(self):
        s = 0.0
        for a in self.data.values():
            s += a.sum()
        return s


def test_dict_empty_of_a_sample_value_in_a_field_of_any_layout():
    c = Cache()
    c.put(1, np.ones((2, 3)))
    c.put(2, np.ones((4, 4))[::2, ::2])     # not contiguous: layout A
    assert c.total() == 10.0


class Model:
    """A plain base class: its methods are the jitclass's too, as Numba
    gathers them along the method resolution order."""

    def __init__(self, scale):
        self.scale = scale

    def f(self, x):
        return x

    def apply(self, x):
        return self.f(x) * self.scale


@jitclass([("scale", float64)])
class Square(Model):
    def f(self, x):
        return x ** 2


def test_methods_are_inherited_from_plain_base_classes():
    s = Square(2.0)
    assert s.apply(3.0) == 18.0

    @njit
    def use(m, x):
        return m.apply(x)

    assert use(s, 4.0) == 32.0
    with pytest.raises(TypeError, match="cannot be a base class"):
        @jitclass([("y", float64)])
        class Twice(Square):
            pass


@njit
def appended_strings(s):
    names = List.empty_list(types.unicode_type)
    names.append("")
    names.append("x")
    names.append(s)
    return names


def test_string_constants_append_to_a_typed_list():
    assert list(appended_strings("abc")) == ["", "x", "abc"]
    assert_compiled(appended_strings)


def identities(a, b, c):
    return a is a, a is b, a is c, a is not c, a[1:] is a[1:], a is None


def test_is_between_arrays_as_numba_answers_it():
    a, c = np.zeros((3, 3)), np.zeros((3, 3))
    f = njit(identities)
    assert f(a, a, c) == numba.njit(identities)(a, a, c)
    assert f(a, a, c) == (True, True, False, True, True, False)
    assert_compiled(f)


ALIASED = """
import pyjit
pyjit.install_numba_alias()
from numba.typed.typeddict import Dict
from numba.typed.typedlist import List
from numba.experimental.jitclass.base import JitClassType
from numba.experimental import jitclass
from numba import float64

@jitclass([("x", float64)])
class P:
    def __init__(self, x):
        self.x = x

print(isinstance(P, JitClassType), isinstance(int, JitClassType),
      P(2.0).x, Dict is pyjit.typed.Dict, List is pyjit.typed.List)
"""


def test_numba_modules_hftbacktest_imports(tmp_path):
    script = tmp_path / "prog.py"
    script.write_text(textwrap.dedent(ALIASED))
    proc = subprocess.run([sys.executable, str(script)], capture_output=True,
                          text=True, timeout=120,
                          env=dict(os.environ, PYTHONPATH=ROOT))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["True", "False", "2.0", "True", "True"]
