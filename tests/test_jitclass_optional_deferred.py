"""`types.Optional(node_type)` and `numba.optional(node_type)` of a
deferred_type(), the spelling of Numba's binary-tree example: both give the
optional type resolved when the deferred type is defined."""
import subprocess
import sys
import textwrap

from pyjit import deferred_type, njit, types
from pyjit.experimental import jitclass

node_type = deferred_type()


@jitclass([("value", types.int64), ("next", types.Optional(node_type))])
class Node:
    def __init__(self, value):
        self.value = value
        self.next = None


node_type.define(Node.class_type.instance_type)


@njit
def chain_sum(n):
    head = Node(0)
    for i in range(1, n):
        node = Node(i)
        node.next = head
        head = node
    total = 0
    cur = head
    while cur is not None:
        total += cur.value
        cur = cur.next
    return total


def test_optional_of_a_deferred_type():
    for n in (1, 2, 10, 1000):
        assert chain_sum(n) == n * (n - 1) // 2


def test_numba_spelling_runs_unchanged(tmp_path):
    script = tmp_path / "tree.py"
    script.write_text(textwrap.dedent("""
        from collections import OrderedDict
        from numba import njit, int32, deferred_type, optional
        from numba.experimental import jitclass

        node_type = deferred_type()
        spec = OrderedDict()
        spec['data'] = int32
        spec['left'] = optional(node_type)
        spec['right'] = optional(node_type)

        @jitclass(spec)
        class TreeNode(object):
            def __init__(self, data):
                self.data = data
                self.left = None
                self.right = None

        node_type.define(TreeNode.class_type.instance_type)

        @njit
        def depth_sum(n):
            root = TreeNode(0)
            cur = root
            for i in range(1, n):
                nxt = TreeNode(i)
                if i % 2:
                    cur.left = nxt
                else:
                    cur.right = nxt
                cur = nxt
            total = 0
            node = root
            while node is not None:
                total += node.data
                node = node.left if node.left is not None else node.right
            return total

        print(depth_sum(50))
    """))
    out = subprocess.run([sys.executable, "-m", "pyjit", "run", str(script)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == str(sum(range(50)))
