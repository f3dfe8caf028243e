"""Compiled code that builds, returns and raises with lists does not
leak: current RSS (not the peak) stays flat over 200,000 calls."""
import numpy as np

import pyjit


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096


@pyjit.njit
def build_and_drop(n):
    l = []
    for i in range(n):
        l.append([i, i + 1])
    m = [np.zeros(3), np.ones(3)]
    m.append(m[0] + 1.0)
    l2 = l + l
    del l2[0]
    return len(l2) + len(m)


@pyjit.njit
def build_and_return(n):
    return [list(range(n)), [n] * 3]


@pyjit.njit
def build_and_raise(n):
    l = [np.zeros(2), np.zeros(2)]
    m = [l, l]
    if n >= 0:
        raise ValueError("no")
    return len(m)


@pyjit.njit
def reflect(a):
    a.append(1)
    a.pop()
    return len(a)


def run(count):
    arg = [1, 2, 3]
    for i in range(count):
        build_and_drop(5)
        build_and_return(4)
        reflect(arg)
        try:
            build_and_raise(1)
        except ValueError:
            pass


def test_lists_do_not_leak():
    run(2000)
    before = rss_bytes()
    run(50000)
    after = rss_bytes()
    assert after - before < 8 << 20, (before, after)
