"""Compiled code shares a few large memory regions.

The kernel limits a process to vm.max_map_count mappings (65530 by default);
a JIT that maps every object separately aborts after some 32,000 compiled
specializations.  pyjit's regions keep the count flat.
"""
from pyjit import njit


def mappings():
    with open("/proc/self/maps") as f:
        return sum(1 for _ in f)


def test_thousands_of_specializations_cost_a_few_mappings():
    warm = njit(lambda_free_add)
    warm(1, 2)
    before = mappings()
    compiled = []
    for i in range(2000):
        def g(x, k=i):
            return x * 2 + k
        f = njit(g)
        assert f(1) == 2 + i
        compiled.append(f)
    assert mappings() - before < 50
    # the code of every one of them still runs
    assert all(compiled[i](3) == 6 + i for i in range(0, 2000, 97))


def lambda_free_add(a, b):
    return a + b
