"""jitclass fields and __init__ given by Python type hints, turned into
pyjit types by Numba's `as_numba_type` rules (Numba's documentation example
of a class holding a typed List and another jitclass)."""
from typing import Dict, List, Optional, Tuple

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pyjit import njit, types
from pyjit.experimental import jitclass
from pyjit.typed import Dict as TypedDict
from pyjit.typed import List as TypedList

from difftest import FEW, assert_compiled, mod_floats


@jitclass
class Counter:
    value: int

    def __init__(self):
        self.value = 0

    def get(self) -> int:
        ret = self.value
        self.value += 1
        return ret


@jitclass
class ListLoopIterator:
    counter: Counter
    items: List[float]

    def __init__(self, items: List[float]):
        self.items = items
        self.counter = Counter()

    def get(self) -> float:
        idx = self.counter.get() % len(self.items)
        return self.items[idx]


@jitclass
class Mixed:
    flag: bool
    name: str
    z: complex
    pair: Tuple[int, float]
    table: Dict[str, int]
    maybe: Optional[float]

    def __init__(self, name):
        self.flag = True
        self.name = name
        self.z = 1j
        self.pair = (1, 2.5)
        self.table = TypedDict.empty(types.unicode_type, types.int64)
        self.table[name] = len(name)
        self.maybe = None


def test_field_types_follow_numbas_rules():
    m = Mixed("abc")
    fields = dict(Mixed.class_type.struct)
    assert str(fields["flag"]) == "bool"
    assert str(fields["name"]) == "unicode_type"
    assert str(fields["z"]) == "complex128"
    assert str(fields["pair"]) == "Tuple(int64, float64)"
    assert str(fields["table"]) == "DictType[unicode_type,int64]<iv=None>"
    assert str(fields["maybe"]) == "OptionalType(float64)"
    assert (m.flag, m.name, m.z, m.pair, m.table["abc"], m.maybe) == \
        (True, "abc", 1j, (1, 2.5), 3, None)


@FEW
@given(st.lists(mod_floats, min_size=1, max_size=8), st.integers(0, 20))
def test_documentation_example_list_loop_iterator(values, steps):
    items = TypedList(values)
    it = ListLoopIterator(items)
    for k in range(steps):
        assert it.counter.value == k
        assert it.get() == values[k % len(values)]

    @njit
    def drive(it, n):
        s = 0.0
        for _ in range(n):
            s += it.get()
        return s

    start = it.counter.value
    expect = sum(values[(start + k) % len(values)] for k in range(steps))
    assert drive(it, steps) == pytest.approx(expect)
    assert_compiled(drive)


def test_unsupported_hint_is_named():
    @jitclass
    class Bad:
        bad: List

        def __init__(self):
            pass

    with pytest.raises(TypeError, match="field bad"):
        Bad()
