"""cache=True with arrays of records: each layout of the record is a
specialization of its own, stored by one process and loaded by the next."""
import textwrap

from difftest import run_cached_script

SCRIPT = textwrap.dedent("""
    import json
    import numpy as np
    import pyjit

    @pyjit.njit(cache=True)
    def shift(a, k):
        t = 0.0
        for r in a:
            r.x += k
            t += r.x * r.y
        return t, a[0], a[1:]

    packed = np.dtype([('x', 'f8'), ('y', 'i4')])
    aligned = np.dtype([('y', 'i2'), ('x', 'f4')], align=True)
    out = []
    for dt in (packed, aligned):
        a = np.zeros(3, dt)
        a['x'] = [0.5, 1.5, 2.5]
        a['y'] = [1, 2, 3]
        t, first, rest = shift(a, 1.0)
        out.append([t, first.tolist(), rest.tolist(), str(first.dtype),
                    str(rest.dtype), a.tolist()])
    print(json.dumps({"out": out,
                      "hits": len(shift.stats.cache_hits),
                      "misses": len(shift.stats.cache_misses)}))
""")

EXPECTED = [
    [17.0, [1.5, 1], [[2.5, 2], [3.5, 3]],
     "[('x', '<f8'), ('y', '<i4')]", "[('x', '<f8'), ('y', '<i4')]",
     [[1.5, 1], [2.5, 2], [3.5, 3]]],
    [17.0, [1, 1.5], [[2, 2.5], [3, 3.5]],
     "{'names': ['y', 'x'], 'formats': ['<i2', '<f4'], 'offsets': [0, 4], "
     "'itemsize': 8, 'aligned': True}",
     "{'names': ['y', 'x'], 'formats': ['<i2', '<f4'], 'offsets': [0, 4], "
     "'itemsize': 8, 'aligned': True}",
     [[1, 1.5], [2, 2.5], [3, 3.5]]],
]


def run(tmp_path):
    return run_cached_script(tmp_path, SCRIPT)


def test_two_layouts_cached_and_loaded(tmp_path):
    first = run(tmp_path)
    assert first["out"] == EXPECTED
    assert (first["hits"], first["misses"]) == (0, 2)
    second = run(tmp_path)
    assert second["out"] == EXPECTED
    assert (second["hits"], second["misses"]) == (2, 0)
