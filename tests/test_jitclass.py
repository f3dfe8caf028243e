"""jitclass: the same class in plain Python and compiled, driven from Python
and from compiled code; deferred types for recursive structures; memory."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import pyjit
from pyjit import (deferred_type, float64, int32, int64, njit, optional,
                   types)
from pyjit.experimental import jitclass
from difftest import assert_compiled, rss_limit


class Account:
    def __init__(self, owner_id, limit=100.0):
        self.owner_id = owner_id
        self.balance = 0.0
        self.limit = limit
        self.history = np.zeros(8)
        self.count = 0

    @property
    def room(self):
        return self.limit - self.balance

    @room.setter
    def room(self, value):
        self.limit = self.balance + value

    def deposit(self, amount):
        if amount > self.room:
            amount = self.room
        self.balance += amount
        self.record(amount)
        return self.balance

    def record(self, amount):
        self.history[self.count % 8] = amount
        self.count += 1

    def withdraw(self, amount):
        self.balance -= amount
        self.record(-amount)
        return self.balance

    @staticmethod
    def fee(amount):
        return amount * 0.01

    def __len__(self):
        return self.count

    def __getitem__(self, i):
        return self.history[i % 8]

    def __setitem__(self, i, v):
        self.history[i % 8] = v

    def __contains__(self, v):
        for x in self.history:
            if x == v:
                return True
        return False

    def __eq__(self, other):
        return self.balance == other.balance

    def __add__(self, other):
        return self.balance + other.balance


JAccount = jitclass(Account, [("owner_id", int64), ("balance", float64),
                              ("limit", float64), ("history", float64[:]),
                              ("count", int32)])

OPS = st.lists(st.tuples(st.integers(0, 6), st.integers(-50, 150)),
               max_size=30)


def apply(acct, other, op, x):
    """One operation; what it returns, the same in Python and compiled."""
    if op == 0:
        return acct.deposit(float(x))
    if op == 1:
        return acct.withdraw(float(x))
    if op == 2:
        acct.room = float(x)
        return acct.room
    if op == 3:
        acct[x] = float(x)
        return acct[x] + len(acct)
    if op == 4:
        return float(float(x) in acct) + acct.fee(float(x))
    if op == 5:
        return float(acct == other) + (acct + other)
    acct.balance = float(x)
    return acct.balance


compiled_apply = njit(apply)


@njit
def run_compiled(ops):
    acct = JAccount(7)
    other = JAccount(8, 50.0)
    out = np.zeros(len(ops))
    for i in range(len(ops)):
        out[i] = compiled_apply(acct, other, ops[i, 0], ops[i, 1])
    return out, acct


@settings(max_examples=40, deadline=None)
@given(OPS)
def test_operations_match_python(ops):
    arr = np.array(ops, dtype=np.int64).reshape(-1, 2)
    plain, plain_other = Account(7), Account(8, 50.0)
    expected = [apply(plain, plain_other, op, x) for op, x in ops]
    out, acct = run_compiled(arr)
    assert list(out) == expected
    assert_compiled(run_compiled)
    # the instance made in compiled code, used from Python
    assert isinstance(acct, JAccount)
    assert acct.balance == plain.balance and acct.count == plain.count
    assert np.array_equal(acct.history, plain.history)
    # the same operations through the Python side of an instance
    boxed, boxed_other = JAccount(7), JAccount(8, 50.0)
    assert [apply(boxed, boxed_other, op, x) for op, x in ops] == expected
    assert len(boxed) == len(plain) and boxed.room == plain.room


def test_python_side():
    a = JAccount(3, limit=20.0)
    assert a.owner_id == 3 and a.limit == 20.0 and a.count == 0
    assert a.deposit(50.0) == 20.0
    assert JAccount.fee(200.0) == 2.0
    assert repr(a).startswith(f"<{__name__}.Account object at 0x")
    assert JAccount.class_type.instance_type == pyjit.typeof(a)
    assert str(pyjit.typeof(a)) == "instance.jitclass.Account"
    with pytest.raises(pyjit.TypingError, match=r"holds array\(float64, 1d, A\)"):
        a.history = 1.5


# --- instances in containers, passed in and out --------------------------

@jitclass
class Point:
    x: float64
    y: float64

    def __init__(self, x, y):
        self.x = x
        self.y = y

    def norm2(self):
        return self.x * self.x + self.y * self.y


@njit
def in_containers(n):
    pts = pyjit.typed.List()
    by_key = pyjit.typed.Dict()
    for i in range(n):
        p = Point(float(i), 1.0)
        pts.append(p)
        by_key[i] = p
    pair = (pts[0], by_key[n - 1])
    total = 0.0
    for p in pts:
        total += p.norm2()
    by_key[0].x = 10.0
    return total, pair, pts


def test_containers_and_tuples():
    total, pair, pts = in_containers(4)
    assert total == sum(i * i + 1.0 for i in range(4))
    assert pair[0].x == 10.0          # the same instance as by_key[0]
    assert pair[1].x == 3.0 and len(pts) == 4 and pts[2].x == 2.0
    assert_compiled(in_containers)


# --- deferred types: recursive structures --------------------------------

node_type = deferred_type()


@jitclass([("value", int64), ("next", optional(node_type))])
class Node:
    def __init__(self, value, next):
        self.value = value
        self.next = next

    def prepend(self, value):
        return Node(value, self)


node_type.define(Node.class_type.instance_type)


@njit
def build_list(values):
    head = Node(values[0], None)
    for v in values[1:]:
        head = head.prepend(v)
    return head


@njit
def list_sum(head):
    total = 0
    node = head
    while node is not None:
        total += node.value
        node = node.next
    return total


@given(st.lists(st.integers(-1000, 1000), min_size=1, max_size=50))
@settings(max_examples=30, deadline=None)
def test_linked_list(values):
    head = build_list(np.array(values, dtype=np.int64))
    assert list_sum(head) == sum(values)
    walked = []
    node = head
    while node is not None:
        walked.append(node.value)
        node = node.next
    assert walked == values[::-1]
    assert_compiled(build_list)
    assert_compiled(list_sum)


def test_undefined_deferred_type_is_an_error():
    pending = deferred_type()

    @jitclass([("next", optional(pending))])
    class Lonely:
        def __init__(self):
            self.next = None

    with pytest.raises(TypeError, match="deferred type not defined"):
        Lonely()


def test_bad_specs():
    class NoInit:
        pass
    with pytest.raises(TypeError, match="__init__"):
        jitclass(NoInit, [])

    class C:
        def __init__(self):
            pass
    with pytest.raises(TypeError, match="not a pyjit type"):
        jitclass(C, [("x", int)])._pj_layout()


# --- memory ----------------------------------------------------------------

def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096


@njit
def churn(n):
    total = 0.0
    for i in range(n):
        a = JAccount(i)
        a.deposit(1.0)
        head = Node(i, Node(i + 1, None))
        total += a.balance + head.next.value
    return total


def test_a_million_instances_leave_rss_flat():
    churn(1000)
    before = rss_bytes()
    assert churn(1_000_000) == 1_000_000 + sum(range(1, 1_000_001))
    assert rss_bytes() - before < rss_limit(8 << 20)


# --- fields __init__ does not set ------------------------------------------

child_type = deferred_type()


@jitclass([("a", float64[:]), ("s", types.unicode_type),
           ("items", types.ListType(int64)), ("child", child_type),
           ("n", int64)])
class Partial:
    def __init__(self):
        self.n = 1


child_type.define(Partial.class_type.instance_type)


@njit
def read_unset_child():
    return Partial().child.n


def test_unset_fields():
    p = Partial()
    assert p.a.size == 0 and p.s == "" and p.n == 1
    for name in ("items", "child"):
        with pytest.raises(AttributeError, match="before __init__ set it"):
            getattr(p, name)
    with pytest.raises(AttributeError, match="before __init__ set it"):
        read_unset_child()
    p.child = Partial()
    assert p.child.n == 1 and p.child.s == ""


def test_an_object_the_class_did_not_make_is_refused():
    stray = object.__new__(Point)
    with pytest.raises(pyjit.TypingError, match="its class did not make"):
        stray.norm2()

    @njit
    def read_x(p):
        return p.x
    with pytest.raises(pyjit.TypingError, match="its class did not make"):
        read_x(stray)
    assert read_x(Point(2.0, 3.0)) == 2.0


def test_fields_that_cannot_be_held():
    class C:
        def __init__(self):
            pass
    with pytest.raises(TypeError, match="not a pyjit type"):
        jitclass(C, [("o", types.pyobject)])._pj_layout()
    with pytest.raises(TypeError, match="more than the 255"):
        jitclass(C, [(f"f{i}", int64) for i in range(256)])


class Swapper:
    def __init__(self, n):
        self.a = np.arange(n) * 1.0

    def replace(self, i):
        self.a = np.zeros(3)
        return i

    def read_while_replacing(self, i):
        # the old array is read: the call replaces the field after Python
        # (and compiled code) took it
        return self.a[self.replace(i)] + self.a[0]

    def write_in_loop(self, k):
        for i in range(self.a.size):
            self.a[i] += k * i
        return self.a.sum()


JSwapper = jitclass(Swapper, [("a", float64[:])])


@njit
def swapping(n, i):
    s = JSwapper(n)
    return s.read_while_replacing(i), s.write_in_loop(2.0)


@given(st.integers(3, 40), st.integers(0, 2))
@settings(max_examples=20, deadline=None)
def test_a_field_replaced_while_it_is_read(n, i):
    plain = Swapper(n)
    expected = (plain.read_while_replacing(i), plain.write_in_loop(2.0))
    assert swapping(n, i) == expected
    assert_compiled(swapping)


@jitclass([("flag", pyjit.boolean), ("n", int64)])
class Flagged:
    def __init__(self, flag):
        self.flag = flag
        self.n = 1


@njit
def flags_of(s, items, pair):
    # a bool field set to a string, a list or a tuple holds its truth, as
    # Numba casts any value to a boolean (skglm's Cox(method="efron"))
    return (Flagged(s).flag, Flagged(items).flag, Flagged(pair).flag,
            Flagged(len(s) > 1).flag)


@given(st.text(max_size=3), st.lists(st.integers(-3, 3), max_size=2))
@settings(max_examples=30, deadline=None)
def test_a_bool_field_holds_the_truth_of_what_it_is_given(s, items):
    for pair in ((), (1.5, 2)):
        got = flags_of(s, pyjit.typed.List(items) if items else
                       pyjit.typed.List.empty_list(int64), pair)
        assert got == (bool(s), bool(items), bool(pair), len(s) > 1)
    assert Flagged("efron").flag is True and Flagged("").flag is False
    assert_compiled(flags_of)
