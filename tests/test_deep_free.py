"""Freeing long chains of blocks: a jitclass linked list of millions of
nodes and instances nested through typed Lists hundreds of thousands deep,
dropped in compiled code and from Python, on several threads at once and in
prange loops; the memory they took comes back.

Dropping the head of a chain frees every node of it, each release bringing
the next node to zero; the depth of the C stack must not grow with the
chain.  What could crash runs in a fresh interpreter that imports this file
and prints its findings as JSON on its last line, so that a crash is a
failing test."""
import json
import os
import subprocess
import sys
import textwrap

import numpy as np
from hypothesis import given, settings, strategies as st

from pyjit import deferred_type, int64, njit, optional, prange, types
from pyjit.experimental import jitclass
from pyjit.typed import Dict, List
from difftest import assert_compiled

TESTS = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(TESTS)

# --- the structures ----------------------------------------------------------

node_type = deferred_type()


@jitclass([("value", int64), ("next", optional(node_type))])
class Node:
    def __init__(self, value, next):
        self.value = value
        self.next = next


node_type.define(Node.class_type.instance_type)

bag_type = deferred_type()


@jitclass([("value", int64), ("inner", optional(bag_type))])
class Item:
    def __init__(self, value, inner):
        self.value = value
        self.inner = inner


item_type = Item.class_type.instance_type


@jitclass([("items", types.ListType(item_type))])
class Bag:
    def __init__(self):
        self.items = List.empty_list(item_type)


bag_type.define(Bag.class_type.instance_type)


@njit(nogil=True)
def chain(n):
    """A linked list of n nodes, the head holding n - 1, the last 0."""
    head = None
    for i in range(n):
        head = Node(i, head)
    return head


@njit(nogil=True)
def chain_dropped(n):
    """Builds a chain of n nodes and drops it: the value its head held."""
    return chain(n).value


@njit
def held_twice(n):
    """One chain of n nodes, held by a typed List and by a typed Dict."""
    head = chain(n)
    by_index = List()
    by_index.append(head)
    by_key = Dict()
    by_key[0] = head
    return by_index, by_key


@njit
def nested(n):
    """A bag nested n deep: each holds a typed List of one item, which
    holds the bag inside it."""
    bag = Bag()
    for i in range(n):
        outer = Bag()
        outer.items.append(Item(i, bag))
        bag = outer
    return bag


@njit
def nested_dropped(n):
    return nested(n).items[0].value


@njit(parallel=True)
def chains_in_parallel(k, n):
    out = np.zeros(k, dtype=np.int64)
    for j in prange(k):
        out[j] = chain_dropped(n + j)
    return out


# --- what is freed and what is kept: against the interpreter -----------------

@njit
def keep_and_cut(n, keep, cut):
    """Keeps the node `keep` steps from the head of a chain of n, drops the
    head (freeing the nodes before it) and cuts the chain `cut` steps
    further (freeing the nodes after that): the values left."""
    head = chain(n)
    node = head
    for _ in range(keep):
        node = node.next
    head = None
    tail = node
    for _ in range(cut):
        tail = tail.next
    tail.next = None
    out = List.empty_list(int64)
    while node is not None:
        out.append(node.value)
        node = node.next
    return out, head is None


@njit
def keep_nested(n, keep):
    """Keeps the bag `keep` levels inside one nested n deep and drops the
    outer ones: the values of the items left."""
    bag = nested(n)
    for _ in range(keep):
        bag = bag.items[0].inner
    out = List.empty_list(int64)
    while len(bag.items) > 0:
        out.append(bag.items[0].value)
        bag = bag.items[0].inner
    return out


@st.composite
def cuts(draw):
    n = draw(st.integers(1, 400))
    keep = draw(st.integers(0, n - 1))
    return n, keep, draw(st.integers(0, n - 1 - keep))


@settings(max_examples=40, deadline=None)
@given(cuts())
def test_the_nodes_still_held_survive_the_ones_freed(case):
    n, keep, cut = case
    values, dropped = keep_and_cut(n, keep, cut)
    expected, expected_dropped = keep_and_cut.py_func(n, keep, cut)
    assert list(values) == list(expected)
    assert list(values) == list(range(n - 1 - keep, n - 2 - keep - cut, -1))
    assert dropped and expected_dropped
    assert_compiled(keep_and_cut)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 300).flatmap(
    lambda n: st.tuples(st.just(n), st.integers(0, n))))
def test_the_bags_still_held_survive_the_ones_freed(case):
    n, keep = case
    values = keep_nested(n, keep)
    assert list(values) == list(keep_nested.py_func(n, keep))
    assert list(values) == list(range(n - 1 - keep, -1, -1))
    assert_compiled(keep_nested)


# --- long chains, in a fresh interpreter -------------------------------------

def run_fresh(body, timeout=180):
    """Runs body after `from test_deep_free import *` in a new interpreter;
    the JSON its last line printed."""
    script = "import json, os\nfrom test_deep_free import *\n" + \
        textwrap.dedent(body)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYJIT_")}
    env["PYTHONPATH"] = os.pathsep.join([ROOT, TESTS])
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True,
                          text=True, env=env, cwd=TESTS, timeout=timeout)
    assert proc.returncode == 0, \
        f"exit status {proc.returncode}\n{proc.stdout}{proc.stderr}"
    return json.loads(proc.stdout.splitlines()[-1])


def test_two_million_nodes_freed_in_compiled_code():
    assert run_fresh("""
        print(json.dumps([chain_dropped(2_000_000),
                          len(chain_dropped.signatures)]))
    """) == [1_999_999, 1]


def test_two_million_nodes_freed_from_python():
    """A chain made in compiled code, one held by two containers and one
    made node by node from Python, all dropped by Python."""
    assert run_fresh("""
        head = chain(2_000_000)
        made_compiled = head.value
        del head
        by_index, by_key = held_twice(2_000_000)
        del by_index
        held = by_key[0].next.value
        del by_key
        head = None
        for i in range(2_000_000):
            head = Node(i, head)
        made_in_python = head.value + head.next.value
        del head
        print(json.dumps([made_compiled, held, made_in_python]))
    """) == [1_999_999, 1_999_998, 1_999_999 + 1_999_998]


def test_bags_nested_200_000_deep():
    """Each level is an instance, its typed List and the item in it."""
    assert run_fresh("""
        dropped_compiled = nested_dropped(200_000)
        bag = nested(200_000)
        dropped_python = bag.items[0].inner.items[0].value
        del bag
        print(json.dumps([dropped_compiled, dropped_python]))
    """) == [199_999, 199_998]


def test_chains_freed_on_several_threads_at_once():
    """Python threads calling a nogil function, and the threads of a
    parallel prange loop, each freeing chains of its own."""
    assert run_fresh("""
        import threading
        results = []
        def work(n):
            results.append(chain_dropped(n))
        threads = [threading.Thread(target=work, args=(1_000_000 + i,))
                   for i in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        print(json.dumps([sorted(results),
                          chains_in_parallel(4, 1_000_000).tolist()]))
    """) == [[999_999, 1_000_000, 1_000_001],
             [999_999, 1_000_000, 1_000_001, 1_000_002]]


def test_repeated_build_and_drop_leaves_rss_flat():
    growth = run_fresh("""
        def rss():
            with open("/proc/self/statm") as f:
                return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

        def from_python(n):
            head = chain(n)
            value = head.value
            del head
            return value

        growth = {}
        for name, f, n in [("compiled", chain_dropped, 300_000),
                           ("python", from_python, 300_000),
                           ("nested", nested_dropped, 100_000)]:
            f(n)
            f(n)
            before = rss()
            for _ in range(10):
                assert f(n) == n - 1
            growth[name] = rss() - before
        print(json.dumps(growth))
    """)
    # ten rounds that kept their memory would have taken 200 MB or more
    assert all(g < 16 << 20 for g in growth.values()), growth
