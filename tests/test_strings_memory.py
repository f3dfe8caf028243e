"""Strings made by compiled code are released: building, returning and raising with
them over 200,000 calls leaves the current RSS flat."""
import os

from pyjit import njit


def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@njit
def build_and_return(s, n):
    t = s * n                       # about 2 KB, in a block of its own
    u = t[1:] + "é"                 # a view of it, then a new block
    for c in u[:3]:
        t = t + c
    k = hash(u[::2])
    return u[n:], (t[-1], f"{n:5d}{t[:2]}"), k


class Failed(Exception):
    pass


@njit
def build_and_raise(s, n):
    t = (s + "😀") * n
    if n % 2 == 0:
        raise Failed("failed: " + t.upper())
    return len(t)


def run(calls):
    for i in range(calls):
        build_and_return("ab", 1000 + i % 7)
        try:
            build_and_raise("x", 100 + i % 2)
        except Failed:
            pass


def test_strings_are_released_over_200000_calls():
    assert build_and_return("ab", 3) == build_and_return.py_func("ab", 3)
    run(20000)                      # warm: every allocator pool in use
    before = rss()
    run(200000)
    grown = rss() - before
    # each call makes about 6 KB of strings: a leak of them grows the RSS by
    # more than 1 GB
    assert grown < 16 << 20, f"RSS grew by {grown / 2 ** 20:.1f} MB"
