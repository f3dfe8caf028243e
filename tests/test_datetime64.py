"""datetime64 and timedelta64 in nopython code: arrays and scalars as
arguments and results, NumPy's operators with its unit rules and NaT."""
import math
import textwrap

import numpy as np
import pytest

from pyjit import njit, types
from pyjit.errors import TypingError
from difftest import assert_compiled, run_cached_script

NAT = np.iinfo(np.int64).min
UNITS = ["D", "h", "s", "ms", "ns"]


def same(got, want):
    """got (compiled) is want (NumPy): the same type, dtype and bits."""
    if isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want)
        for g, w in zip(got, want):
            same(g, w)
    elif isinstance(want, (np.ndarray, np.datetime64, np.timedelta64)):
        assert type(got) is type(want), (got, want)
        assert got.dtype == want.dtype, (got, want)
        g, w = np.asarray(got), np.asarray(want)
        assert g.shape == w.shape
        if w.dtype.kind in "mM":
            g, w = g.view(np.int64), w.view(np.int64)
        assert np.array_equal(g, w, equal_nan=w.dtype.kind == "f"), (got, want)
    elif isinstance(want, (float, np.floating)):
        assert math.isnan(want) and math.isnan(got) or got == want, (got, want)
    else:
        assert got == want and bool(got) == bool(want), (got, want)


def check(f, *args):
    with np.errstate(all="ignore"):
        want = f.py_func(*args)
    same(f(*args), want)
    assert_compiled(f)


def values(kind, unit, n=12, seed=0):
    """n values of datetime64 (kind "M") or timedelta64 ("m") of the unit,
    some NaT."""
    rng = np.random.default_rng(seed)
    v = rng.integers(-10**6, 10**6, n)
    v[rng.random(n) < 0.2] = NAT
    return v.astype(np.int64).view(f"{kind}8[{unit}]")


@njit
def pair_diff(a):
    return a[1] - a[0]


def test_issue_example():
    a = np.array(["2020-01-01", "2020-01-03"], dtype="M8[D]")
    check(pair_diff, a)
    check(pair_diff, np.array([5, 7], dtype="m8[s]"))


@njit
def identity(x):
    return x


@njit
def store(a, i, v):
    a[i] = v
    return a


@njit
def element_sum(a):
    s = a[0] - a[0]
    for i in range(len(a)):
        if a[i] == a[i]:
            s = s + (a[i] - a[0])
    return s


@pytest.mark.parametrize("unit", UNITS + ["Y", "M", "W", "us"])
@pytest.mark.parametrize("kind", ["M", "m"])
def test_arrays_and_scalars_cross_the_boundary(kind, unit):
    a = values(kind, unit)
    check(identity, a)
    check(identity, a[::3])
    check(identity, a[0])
    check(identity, a[1])
    check(store, a.copy(), 2, a[5])
    check(element_sum, a[1:])


def test_nat_and_generic_scalars():
    check(identity, np.datetime64("NaT"))
    check(identity, np.timedelta64("NaT", "s"))
    check(identity, np.timedelta64(5))
    check(identity, np.array([], dtype="M8[ns]"))


def test_store_finer_unit_converts():
    a = values("M", "s")
    check(store, a.copy(), 0, np.datetime64("2021-03-04"))
    check(store, a.copy(), 1, np.datetime64("2021-03", "M"))
    check(store, a.copy(), 1, np.datetime64("NaT", "D"))


def test_store_coarser_unit_rounds_down():
    for v in ["2021-03-04T10:00", "1969-12-31T23:59", "NaT"]:
        check(store, values("M", "D"), 0, np.datetime64(v))
    check(store, values("m", "m"), 0, np.timedelta64(-61, "s"))


def test_store_other_kind_is_refused():
    with pytest.raises(TypingError, match="stored in an array"):
        store(values("M", "D"), 0, np.timedelta64(1, "D"))


@njit
def arith(d, e, t, u):
    return d - e, d + t, t + d, d - t, t + u, t - u, -t, +t, abs(t)


@njit
def compare(x, y):
    return x == y, x != y, x < y, x <= y, x > y, x >= y


@njit
def td_number(t, u, i, f):
    return (t * i, i * t, t * f, f * t, t / i, t / f, t // i,
            t / u, t // u, t % u)


def pairs(kind1, kind2, units):
    for u1 in units:
        for u2 in units:
            a = values(kind1, u1, seed=1)
            b = values(kind2, u2, seed=2)
            for i in range(len(a)):
                yield a[i], b[i]


@pytest.mark.parametrize("units", [["D", "s", "ns"], ["Y", "M", "D", "h"]])
def test_datetime_arithmetic(units):
    for (d, e), (t, u) in zip(pairs("M", "M", units),
                              pairs("m", "m", [x for x in units
                                               if x not in "YM"])):
        check(arith, d, e, t, u)


@pytest.mark.parametrize("kind", ["M", "m"])
def test_comparisons(kind):
    units = ["D", "s", "us"] + (["Y", "M"] if kind == "M" else [])
    for x, y in pairs(kind, kind, units):
        check(compare, x, y)
        check(compare, x, x)


def test_timedelta_by_numbers():
    for t, u in pairs("m", "m", ["s", "ms", "D"]):
        for i, f in [(3, 1.5), (-2, -0.25), (0, 0.0), (7, 1e300)]:
            check(td_number, t, u, i, f)
    check(td_number, np.timedelta64(7, "s"), np.timedelta64(0, "s"), 0, 0.0)
    check(td_number, np.timedelta64(-7, "s"), np.timedelta64(2, "s"), 2, 2.0)


def test_calendar_units():
    """Years and months become days by the calendar."""
    for y in [1969, 1970, 2000, 2020, 1600, 2400, -44]:
        for m in [1, 2, 12]:
            month = np.datetime64(f"{y:04d}-{m:02d}" if y >= 0
                                  else f"{y:05d}-{m:02d}", "M")
            check(arith, month, np.datetime64("2000-03-01"),
                  np.timedelta64(3, "D"), np.timedelta64(2, "h"))
            check(arith, month.astype("M8[Y]"), month,
                  np.timedelta64(3, "W"), np.timedelta64(2, "D"))


@njit
def add(x, y):
    return x + y


@njit
def sub(x, y):
    return x - y


@njit
def less(x, y):
    return x < y


@pytest.mark.parametrize("f, x, y, match", [
    (add, np.datetime64("2020-01-01"), np.datetime64("2020-01-02"),
     "does not define"),
    (sub, np.timedelta64(1, "D"), np.datetime64("2020-01-02"),
     "does not define"),
    (add, np.timedelta64(1, "Y"), np.timedelta64(1, "D"), "common unit"),
    (add, np.datetime64("2020-01-01"), np.timedelta64(1, "M"),
     "common unit"),
    (less, np.datetime64("2020-01-01"), np.timedelta64(1, "D"),
     "does not compare"),
])
def test_numpy_refusals_are_typing_errors(f, x, y, match):
    with pytest.raises(TypingError, match=match):
        f(x, y)


@njit
def elementwise(d, e, t, u):
    return d - e, d + t, t + d, d - u, t - u, d < e, d == e, t != u


@njit
def elementwise_scalars(d, t, s, i):
    return d + s, d - d[0], t * i, t / i, -t, t / s, t // s, t >= s


@njit
def add_in_place(a, t):
    a += t
    return a


@pytest.mark.parametrize("units", [("D", "D"), ("s", "ms"), ("M", "h")])
def test_elementwise_arrays(units):
    d, e = values("M", units[0], seed=3), values("M", units[1], seed=4)
    t = values("m", units[1], seed=5)
    u = values("m", "us", seed=6)
    check(elementwise, d, e, t, u)
    check(elementwise, d[:0], e[:0], t[:0], u[:0])
    check(elementwise_scalars, d, t, t[0], 3)
    check(elementwise_scalars, d, t, np.timedelta64("NaT", "D"), 0)
    check(add_in_place, e.copy(), t)
    check(add_in_place, e.reshape(3, 4).copy(), t[:4])


def test_in_place_to_a_coarser_unit_rounds_down():
    check(add_in_place, values("M", "D"), values("m", "s"))


@njit
def iterate(a):
    n = 0
    last = a[0]
    for x in a:
        if x != x:
            n += 1
        last = x
    return n, last


def test_iteration_astype_view():
    for kind in "Mm":
        a = values(kind, "ms")
        check(iterate, a)
        check(njit(lambda a: a.astype(np.int64)), a)
        check(njit(lambda a: a.view(np.int64)), a)
        check(njit(lambda a: a.dtype), a)
        check(njit(lambda a: np.empty_like(a).dtype), a)


@njit
def astype(a, d):
    return a.astype(d)


@pytest.mark.parametrize("kind, units", [
    ("M", ["Y", "M", "W", "D", "h", "s", "ms", "ns"]),
    ("m", ["W", "D", "h", "s", "ms", "ns"]),
    ("m", ["Y", "M"]),
])
def test_astype_units(kind, units):
    for u1 in units:
        a = values(kind, u1, n=40)
        for u2 in units:
            check(astype, a, np.dtype(f"{kind}8[{u2}]"))
    check(astype, a, np.dtype(np.float64))
    check(astype, a, np.dtype(np.int32))
    check(astype, np.array([1.7, -1.7, np.nan, 0.0]), np.dtype(f"{kind}8[s]"))
    check(astype, np.arange(-3, 3), np.dtype(f"{kind}8[{units[0]}]"))


@njit
def make(n, v):
    return (np.empty(n, dtype="M8[ns]").dtype, np.zeros(n, np.dtype("m8[s]")),
            np.full(n, v), np.full(n, v, np.dtype("M8[D]")))


def test_make_arrays():
    for v in ["2021-03-04T10:00:01", "1969-12-31T23:59", "NaT"]:
        check(make, 3, np.datetime64(v))
    check(make, 0, np.datetime64("NaT", "Y"))


@njit
def constants():
    return (np.datetime64("2020-01-01"), np.datetime64("2020-01-01T10:30"),
            np.timedelta64(3, "D"), np.datetime64("NaT"),
            np.timedelta64("NaT", "s"), np.datetime64("2020-02", "D"))


def test_constructors_with_constants():
    check(constants)


@njit
def isnat(x):
    return np.isnat(x)


def test_isnat():
    for kind in "Mm":
        a = values(kind, "us")
        check(isnat, a)
        check(isnat, a.reshape(3, 4)[:, ::2])
        for x in a:
            check(isnat, x)
    with pytest.raises(TypingError, match="isnat"):
        isnat(1.0)


@njit
def reductions(a):
    return a.min(), a.max(), np.min(a - a[0]), (a - a[0]).max(), a.argmin()


def test_min_max_give_nat_as_numpy():
    for kind in "Mm":
        a = values(kind, "s", n=40, seed=7)
        check(reductions, a)
        a[a != a] = a[0]
        check(reductions, a)


@njit
def sorts(a, kind):
    b = a.copy()
    b.sort()
    return np.sort(a, kind=kind), np.argsort(a, kind=kind), b


@pytest.mark.parametrize("n", [0, 7, 60, 3000])
@pytest.mark.parametrize("kind", ["quicksort", "stable"])
def test_sorts_put_nat_last(n, kind):
    for dtype in "Mm":
        check(sorts, values(dtype, "us", n=n, seed=n), kind)
        check(sorts, values(dtype, "D", n=n, seed=n)[::2], kind)


@njit
def with_counts(d, t, i):
    return d + i, i + d, d - i, t + i, i + t, t - i


def test_integers_count_in_the_unit():
    for d, t in zip(values("M", "h", seed=8), values("m", "ms", seed=9)):
        for i in [0, 5, -3]:
            check(with_counts, d, t, i)


@njit
def where_concat(a, b):
    return (np.where(np.isnat(a), a[0], b), np.concatenate((a, b)),
            a[a > a[0]], np.unique(a))


def test_library_functions_taking_any_dtype():
    for kind in "Mm":
        a = values(kind, "s", seed=10)
        check(where_concat, a, values(kind, "s", seed=11))
        check(where_concat, a, values(kind, "ms", seed=11))


def test_cache_keeps_datetime_specializations(tmp_path):
    script = textwrap.dedent("""
        import json
        import numpy as np
        from pyjit import njit

        @njit(cache=True)
        def shift(a, t):
            return a + t, t

        a = np.array(["2020-01-01T00:00:01", "NaT"], "M8[s]")
        r, t = shift(a, np.timedelta64(3, "ms"))
        print(json.dumps([str(r.dtype), r.view("i8").tolist(), str(t),
                          sum(shift.stats.cache_hits.values())]))
    """)
    first = run_cached_script(tmp_path, script)
    second = run_cached_script(tmp_path, script)
    a = np.array(["2020-01-01T00:00:01", "NaT"], "M8[s]")
    want = a + np.timedelta64(3, "ms")
    assert first[:3] == second[:3] == [str(want.dtype),
                                       want.view("i8").tolist(), "3 milliseconds"]
    assert (first[3], second[3]) == (0, 1)


def test_explicit_signatures():
    assert str(types.NPDatetime("s")) == "datetime64[s]"
    assert str(types.NPTimedelta("")) == "timedelta64"
    assert isinstance(types.NPDatetime("D"), types.NPDatetime)
    assert not isinstance(types.NPTimedelta("D"), types.NPDatetime)

    @njit(types.NPTimedelta("s")(types.NPDatetime("s")[:]))
    def first_gap(a):
        return a[1] - a[0]

    @njit("NPTimedelta('D')(NPDatetime('D'), NPDatetime('D'))")
    def days_between(x, y):
        return x - y

    check(first_gap, values("M", "s"))
    check(days_between, np.datetime64("2020-03-01"), np.datetime64("2019-12-31"))


@njit
def search(a, v):
    return (np.searchsorted(a, v[0]), np.searchsorted(a, v, side="right"),
            v[0].ndim)


def test_searchsorted_with_nat():
    for kind in "Mm":
        a = np.sort(values(kind, "s", n=30, seed=12))
        v = values(kind, "s", n=10, seed=13)
        check(search, a, v)
        check(search, a, a)


EPOCH = np.datetime64("1970-01-01T00:00:00")


@njit
def keys_truth_globals(a):
    seen = {}
    for x in a:
        seen[x] = seen.get(x, 0) + 1
    nonzero = 0
    for x in a:
        if x - a[0]:
            nonzero += 1
    return len(seen), seen[a[0]], nonzero, (a - EPOCH) / np.timedelta64(1, "s")


def test_dict_keys_truth_and_global_constants():
    """(NaT keys are left out: as NaN keys, every NaT is a key of its own
    in Python, where compiled code has no identity to tell them apart.)"""
    a = values("M", "ms", n=30, seed=14)
    a[::3] = a[0]
    a = a[a == a]
    check(keys_truth_globals, a)


@njit
def hash_of(x):
    return hash(x)


def test_hash_is_refused():
    with pytest.raises(TypingError, match="hash"):
        hash_of(np.datetime64("2020-01-01"))


@njit
def either(a, b, first):
    x = a[0] if first else b[0]
    return x, x == b[0]


def test_variable_of_two_units_holds_the_finer():
    a, b = values("M", "ms"), values("M", "D")
    x, same_as_b = either(a, b, False)
    assert x == b[0] and x.dtype == np.dtype("M8[ms]") and same_as_b
    x, _ = either(a, b, True)
    assert np.array(x).view(np.int64) == np.array(a[0]).view(np.int64)
    assert_compiled(either)
