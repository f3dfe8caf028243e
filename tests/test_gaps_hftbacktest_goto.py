"""What hftbacktest's HftBacktest.goto needs (programs in the shape of
hftbacktest 1.8.4's backtest.py, proc/proc.py, proc/nopartialfillexchange.py
and order.py): private methods (`self.__fill`) of a jitclass made from a
plain class, an OrderBus indexed with a constant (`self.orders_from[0]`)
and asked `__len__()`, and a timestamp assigned from two processors'
methods in an if/elif, whose typing errors are reported where they are."""
import numpy as np
import pytest

from pyjit import float64, int64, njit
from pyjit.errors import TypingError
from pyjit.experimental import jitclass

from difftest import assert_compiled


# --- private names: Python spells self.__fill as self._Exchange___fill ---

class Exchange_:
    def __init__(self, fee):
        self.fee = fee
        self.filled = 0.0

    def __fill(self, qty, price):
        self.filled += qty
        return qty * price * (1.0 + self.fee)

    def __ack(self, qty, price, __scale):
        if qty > 0:
            return self.__fill(qty, price) * __scale
        return 0.0

    def process(self, qty, price):
        return self.__ack(qty, price, 2.0) + self.filled


Exchange = jitclass([("fee", float64), ("filled", float64)])(Exchange_)


@njit
def run_exchange(ex, qty, price):
    return ex.process(qty, price), ex.filled


def test_private_methods_of_a_jitclass():
    for qty in (3.0, 0.0):
        assert run_exchange(Exchange(0.01), qty, 2.5) \
            == run_exchange.py_func(Exchange(0.01), qty, 2.5)
    assert_compiled(run_exchange)


# --- OrderBus: items by a constant index, len(), __len__(), `in` ---

@jitclass([("stamps", int64[:]), ("n", int64)])
class OrderBus:
    def __init__(self, stamps):
        self.stamps = stamps
        self.n = len(stamps)

    def __getitem__(self, key):
        return self.stamps[key] // 10, self.stamps[key]

    def __len__(self):
        return self.n

    def __contains__(self, key):
        for s in self.stamps[:self.n]:
            if s == key:
                return True
        return False

    def delitem(self, key):
        self.stamps[key:self.n - 1] = self.stamps[key + 1:self.n]
        self.n -= 1


@njit
def drain(bus, limit):
    total = 0
    while bus.__len__() > 0:
        order, recv_timestamp = bus[0]
        if recv_timestamp > limit:
            break
        bus.delitem(0)
        total += order
    last = bus[-1][1] if len(bus) > 0 else -1
    return total, len(bus), last, 40 in bus


def test_jitclass_getitem_with_a_constant_index():
    stamps = np.array([10, 25, 40, 55, 70])
    for limit in (30, 100):
        assert drain(OrderBus(stamps.copy()), limit) \
            == drain.py_func(OrderBus(stamps.copy()), limit)
    assert_compiled(drain)


# --- goto: resp_timestamp from either processor's process() ---

class Proc_:
    def __init__(self, stamps, resp):
        self.stamps = stamps
        self.resp = resp
        self.row = 0

    def next_timestamp(self):
        if self.row < len(self.stamps):
            return self.stamps[self.row]
        return -2

    def _process_recv_order(self, i, wait_resp, next_timestamp):
        resp_timestamp = self.stamps[i] + self.resp
        if wait_resp == i:
            if next_timestamp > 0:
                return min(resp_timestamp, next_timestamp)
            return resp_timestamp
        return next_timestamp

    def process(self, wait_resp):
        next_timestamp = 0
        i = self.row
        self.row += 1
        while i < self.row:
            next_timestamp = self._process_recv_order(i, wait_resp,
                                                      next_timestamp)
            i += 1
        return next_timestamp


Proc = jitclass([("stamps", float64[:]), ("resp", float64),
                 ("row", int64)])(Proc_)
proc_ty = Proc.class_type.instance_type

NONE = -1


@jitclass([("local", proc_ty), ("exch", proc_ty), ("current", float64),
           ("run", int64)])
class Backtest:
    def __init__(self, local, exch):
        self.local = local
        self.exch = exch
        self.current = 0.0
        self.run = 1

    def elapse(self, duration):
        return self.goto(self.current + duration)

    def goto(self, timestamp, wait_order_response=NONE):
        found_order_resp_timestamp = False
        while True:
            next_local_timestamp = self.local.next_timestamp()
            next_exch_timestamp = self.exch.next_timestamp()
            if (0 < next_local_timestamp < next_exch_timestamp) \
                    or (next_local_timestamp > 0 >= next_exch_timestamp):
                if next_local_timestamp > timestamp:
                    break
                resp_timestamp = self.local.process(NONE)
            elif (0 < next_exch_timestamp <= next_local_timestamp) \
                    or (next_exch_timestamp > 0 >= next_local_timestamp):
                if next_exch_timestamp > timestamp:
                    break
                resp_timestamp = self.exch.process(
                    wait_order_response if not found_order_resp_timestamp
                    else NONE)
            else:
                self.run = 0
                break
            if resp_timestamp > 0:
                found_order_resp_timestamp = True
                timestamp = resp_timestamp
        self.current = timestamp
        return self.run == 1


def make_backtest():
    return Backtest(Proc(np.array([5.0, 12.0, 30.0, 31.0]), 0.5),
                    Proc(np.array([3.0, 11.0, 18.0, 50.0]), 4.0))


@njit
def step(bt, duration, wait):
    out = []
    while bt.run == 1 and len(out) < 8:
        if wait >= 0:
            bt.goto(bt.current + duration, wait)
        else:
            bt.elapse(duration)
        out.append(bt.current)
    return out


def test_goto_types_the_timestamp_of_either_branch():
    for wait in (-1, 1, 2):
        assert list(step(make_backtest(), 7.0, wait)) \
            == step.py_func(make_backtest(), 7.0, wait)
    assert_compiled(step)


# --- an error in a callee is the error shown, not the caller's use ---

class Broken_:
    def __init__(self, v):
        self.v = v

    def next_timestamp(self):
        return self.v

    def process(self, wait_resp):
        nt = 0
        while self.v > 0:
            nt = self.missing_field + wait_resp
        return nt


Broken = jitclass([("v", int64)])(Broken_)


@jitclass([("local", Broken.class_type.instance_type),
           ("exch", Broken.class_type.instance_type)])
class BrokenBacktest:
    def __init__(self, local, exch):
        self.local = local
        self.exch = exch

    def goto(self, timestamp):
        while True:
            a = self.local.next_timestamp()
            b = self.exch.next_timestamp()
            if a < b:
                if a > timestamp:
                    break
                resp = self.local.process(1)
            elif a > b:
                if b > timestamp:
                    break
                resp = self.exch.process(2)
            else:
                break
            if resp > 0:
                timestamp = resp
        return timestamp


@njit
def goto_broken(bt):
    return bt.goto(5)


def test_the_callee_error_is_reported():
    with pytest.raises(TypingError, match="missing_field") as info:
        goto_broken(BrokenBacktest(Broken(1), Broken(2)))
    assert "cannot be determined" not in str(info.value)


# --- a dict of order ladders given a default of the wrong dict type --------
# nopartialfillexchange.py: `self.buy_orders.setdefault(order.price_tick,
# Dict.empty(int64, order_ladder_ty))`, the default a dict of ladders where
# the values are ladders of orders; Numba casts one dict type to another.

from pyjit import typeof  # noqa: E402
from pyjit.typed import Dict  # noqa: E402


@jitclass([("order_id", int64), ("price_tick", int64), ("qty", float64)])
class Order:
    def __init__(self, order_id, price_tick, qty):
        self.order_id = order_id
        self.price_tick = price_tick
        self.qty = qty


order_ladder_ty = typeof(Dict.empty(int64, typeof(Order(0, 0, 0.0))))


@njit
def ladders(ids, ticks, qtys):
    buy_orders = Dict.empty(int64, order_ladder_ty)
    for k in range(len(ids)):
        order = Order(ids[k], ticks[k], qtys[k])
        o = buy_orders.setdefault(order.price_tick,
                                  Dict.empty(int64, order_ladder_ty))
        o[order.order_id] = order
    total = 0.0
    levels = 0
    for tick, ladder in buy_orders.items():
        levels += 1
        for oid, order in ladder.items():
            total += order.qty * tick + oid
    return levels, total


def test_setdefault_of_another_dict_type_as_numba_casts_it():
    rng = np.random.default_rng(3)
    ids = np.arange(40)
    ticks = rng.integers(100, 106, 40)
    qtys = rng.random(40)
    levels, total = ladders(ids, ticks, qtys)
    assert levels == len(set(ticks.tolist()))
    assert total == pytest.approx(float(np.sum(qtys * ticks + ids)))
    assert_compiled(ladders)
