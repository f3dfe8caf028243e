"""List methods and operators for nopython code, written as plain Python.

csrc/list.c owns what these are written with (making a list, len,
indexing, item assignment, append, iteration) and the intrinsics
`_list_truncate` (drop the items from n on), `_list_empty` (a new empty
list of the same item type) and `_slice_span` (start, step and count of a
slice over n items).  pyjit compiles each function here for the types of
each use and links it into the caller, where it inlines.  Messages are
CPython's.
"""
import numpy as np

from . import _core
from ._literal_unroll import literal_unroll
from ._core import _list_dtype, _list_empty, _list_truncate, _slice_span
from .typed import List


def typed_from(iterable):
    out = List()
    for x in iterable:
        out.append(x)
    return out


def list_from(iterable):
    out = []
    for x in iterable:
        out.append(x)
    return out


def extend_list(l, other):
    n = len(other)          # l.extend(l) adds each item once
    for i in range(n):
        l.append(other[i])


def extend_iter(l, iterable):
    for x in iterable:
        l.append(x)


def insert(l, i, x):
    n = len(l)
    if i < 0:
        i += n
        if i < 0:
            i = 0
    if i > n:
        i = n
    l.append(x)
    for j in range(n, i, -1):
        l[j] = l[j - 1]
    l[i] = x


def _remove_at(l, i):
    n = len(l)
    for j in range(i, n - 1):
        l[j] = l[j + 1]
    _list_truncate(l, n - 1)


def pop(l, i=-1):
    n = len(l)
    if n == 0:
        raise IndexError("pop from empty list")
    if i < 0:
        i += n
    if i < 0 or i >= n:
        raise IndexError("pop index out of range")
    x = l[i]
    _remove_at(l, i)
    return x


def delitem(l, i):
    n = len(l)
    if i < 0:
        i += n
    if i < 0 or i >= n:
        raise IndexError("list assignment index out of range")
    _remove_at(l, i)


def delslice(l, s):
    start, step, count = _slice_span(s, len(l))
    if step < 0:
        start = start + (count - 1) * step
        step = -step
    if count <= 0:
        return
    n = len(l)
    w = start
    k = 0
    for r in range(start, n):
        if k < count and r == start + k * step:
            k += 1
        else:
            l[w] = l[r]
            w += 1
    _list_truncate(l, w)


def index(l, x, start=0, stop=9223372036854775807):
    n = len(l)
    if start < 0:
        start = max(start + n, 0)
    if stop < 0:
        stop += n
    for i in range(start, min(stop, n)):
        if l[i] == x:
            return i
    raise ValueError("list.index(x): x not in list")


def remove(l, x):
    for i in range(len(l)):
        if l[i] == x:
            _remove_at(l, i)
            return
    raise ValueError("list.remove(x): x not in list")


def count(l, x):
    c = 0
    for y in l:
        if y == x:
            c += 1
    return c


def reverse(l):
    i = 0
    j = len(l) - 1
    while i < j:
        t = l[i]
        l[i] = l[j]
        l[j] = t
        i += 1
        j -= 1


def copy(l):
    out = _list_empty(l)
    for x in l:
        out.append(x)
    return out


def clear(l):
    _list_truncate(l, 0)


def _before(keys, a, b, reverse):
    if reverse:
        return keys[a] > keys[b]
    return keys[a] < keys[b]


def _merge_sort(keys, reverse):
    """The order of the keys' indices sorting them, stably: equal keys
    keep their order, in both directions, as CPython's sort does."""
    n = len(keys)
    order = list(range(n))
    work = list(range(n))
    width = 1
    while width < n:
        for lo in range(0, n, 2 * width):
            mid = min(lo + width, n)
            hi = min(lo + 2 * width, n)
            i = lo
            j = mid
            for k in range(lo, hi):
                if j < hi and (i >= mid
                               or _before(keys, order[j], order[i], reverse)):
                    work[k] = order[j]
                    j += 1
                else:
                    work[k] = order[i]
                    i += 1
        order, work = work, order
        width *= 2
    return order


def sort(l, key=None, reverse=False):
    if key is None:
        keys = copy(l)
    else:
        keys = []
        for x in l:
            keys.append(key(x))
    order = _merge_sort(keys, reverse)
    items = copy(l)
    for k in range(len(order)):
        l[k] = items[order[k]]


def sorted_(iterable, key=None, reverse=False):
    """sorted(iterable, key, reverse)"""
    out = list_from(iterable)
    sort(out, key, reverse)
    return out


def max_of(l):
    if len(l) == 0:
        raise ValueError("max() arg is an empty sequence")
    m = l[0]
    for x in l:
        if x > m:
            m = x
    return m


def min_of(l):
    if len(l) == 0:
        raise ValueError("min() arg is an empty sequence")
    m = l[0]
    for x in l:
        if x < m:
            m = x
    return m


def max_iter(iterable):
    return max_of(list_from(iterable))


def min_iter(iterable):
    return min_of(list_from(iterable))


def max2(a, b):
    """max(a, b) of two strings"""
    return b if b > a else a


def min2(a, b):
    """min(a, b) of two strings"""
    return b if b < a else a


def any_of(iterable):
    """any(iterable)"""
    for x in iterable:
        if x:
            return True
    return False


def all_of(iterable):
    """all(iterable)"""
    for x in iterable:
        if not x:
            return False
    return True


def map1(f, a):
    """map(f, a): an iterator, as Python's"""
    for x in a:
        yield f(x)


def map2(f, a, b):
    """map(f, a, b)"""
    for x, y in zip(a, b):
        yield f(x, y)


def map3(f, a, b, c):
    """map(f, a, b, c)"""
    for x, y, z in zip(a, b, c):
        yield f(x, y, z)


def filter_of(f, iterable):
    """filter(f, iterable); filter(None, iterable) keeps the true items"""
    for x in iterable:
        if f is None:
            if x:
                yield x
        elif f(x):
            yield x


def reversed_(l):
    """reversed(l), as a new list"""
    out = _list_empty(l)
    for i in range(len(l) - 1, -1, -1):
        out.append(l[i])
    return out


def array_1d(l):
    """np.array(l) of a list of numbers"""
    out = np.empty(len(l), _list_dtype(l))
    for i in range(len(l)):
        out[i] = l[i]
    return out


def array_2d(l):
    """np.array(l) of a list of lists of numbers"""
    n = len(l)
    m = len(l[0]) if n > 0 else 0
    out = np.empty((n, m), _list_dtype(l))
    for i in range(n):
        row = l[i]
        if len(row) != m:
            raise ValueError("setting an array element with a sequence. The "
                             "requested array has an inhomogeneous shape "
                             "after 1 dimensions.")
        for j in range(m):
            out[i, j] = row[j]
    return out


def array_copy(a):
    """np.array(a) of an array: a copy; np.asarray(a): a itself"""
    return a.copy()


def array_same(a):
    return a


def array_scalar(x):
    """np.array(x), np.asarray(x) of a number: a 0-d array of its type"""
    return np.full((), x)


def array_tuple(t):
    """np.array(t) of a tuple of numbers, of one type or several (their
    promotion, as NumPy's)"""
    out = np.empty(len(t), _list_dtype(t))
    i = 0
    for x in literal_unroll(t):
        out[i] = x
        i += 1
    return out


def array_tuple_2d(t):
    """np.array(t) of a tuple of tuples of numbers, all of one type"""
    n = len(t)
    m = len(t[0])
    out = np.empty((n, m), _list_dtype(list(t[0])))
    for i in range(n):
        row = t[i]
        for j in range(m):
            out[i, j] = row[j]
    return out


def _cast_to(dtype):
    def array_as(obj):
        """np.array(obj, dtype), np.asarray(obj, dtype): obj as an array,
        cast to the dtype"""
        return np.asarray(obj).astype(dtype)
    return array_as


# np.array(obj, dtype) by the dtype's name: csrc/list.c asks for
# "array_as_float32"; a dtype is a constant, not an argument
_CASTS = {"array_as_" + np.dtype(t).name: _cast_to(t) for t in (
    np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16,
    np.uint32, np.uint64, np.float32, np.float64, np.complex64,
    np.complex128)}


def sorted1(iterable):
    return sorted_(iterable)


def sorted2(iterable, key):
    return sorted_(iterable, key)


def getslice(l, s):
    start, step, count = _slice_span(s, len(l))
    out = _list_empty(l)
    for k in range(count):
        out.append(l[start + k * step])
    return out


def setslice(l, s, values):
    items = list_from(values)
    start, step, count = _slice_span(s, len(l))
    if step == 1:
        tail = getslice(l, slice(start + count, len(l)))
        _list_truncate(l, start)
        extend_list(l, items)
        extend_list(l, tail)
        return
    if len(items) != count:
        raise ValueError("attempt to assign a sequence of another size to "
                         "an extended slice")
    for k in range(count):
        l[start + k * step] = items[k]


def contains(x, l):
    for y in l:
        if y == x:
            return True
    return False


def not_contains(x, l):
    return not contains(x, l)


def eq(a, b):
    if len(a) != len(b):
        return False
    for i in range(len(a)):
        if not (a[i] == b[i]):
            return False
    return True


def ne(a, b):
    return not eq(a, b)


def _compare(a, b):
    """-1, 0 or 1 as a sorts before, with, or after b."""
    n = min(len(a), len(b))
    for i in range(n):
        if not (a[i] == b[i]):
            return -1 if a[i] < b[i] else 1
    if len(a) == len(b):
        return 0
    return -1 if len(a) < len(b) else 1


def lt(a, b):
    return _compare(a, b) < 0


def le(a, b):
    return _compare(a, b) <= 0


def gt(a, b):
    return _compare(a, b) > 0


def ge(a, b):
    return _compare(a, b) >= 0


def add(a, b):
    out = copy(a)
    extend_list(out, b)
    return out


def iadd(a, b):
    extend_list(a, b)
    return a


def mul(l, n):
    out = _list_empty(l)
    for k in range(n):
        for i in range(len(l)):
            out.append(l[i])
    return out


def rmul(n, l):
    return mul(l, n)


def imul(l, n):
    m = len(l)
    if n <= 0:
        _list_truncate(l, 0)
    for k in range(n - 1):
        for i in range(m):
            l.append(l[i])
    return l


_METHODS = ("pop", "insert", "index", "remove", "count", "reverse", "copy",
            "clear", "sort")
_OPERATIONS = (typed_from, list_from, extend_list, extend_iter, delitem, delslice,
               sorted_, sorted1, sorted2, max_of, min_of, max_iter, min_iter, max2, min2, any_of,
               all_of, map1, map2, map3, filter_of,
               reversed_, array_1d, array_2d, array_copy, array_same,
               array_tuple, array_tuple_2d, array_scalar,
               getslice, setslice, contains, not_contains, eq, ne,
               lt, le, gt, ge, add, iadd, mul, rmul, imul)
_HELPERS = (_remove_at, _before, _merge_sort, _compare)


def library():
    """{name: dispatcher}: the methods as "list.<name>", the operations
    csrc/list.c calls by their names here.  The functions are rebound to
    their dispatchers, so that one calling another calls compiled code."""
    made = {}
    names = [f.__name__ for f in _OPERATIONS + _HELPERS] + list(_METHODS)
    g = globals()
    for name in names:
        made[name] = _core.Dispatcher(g[name], nopython=True)
    g.update(made)
    table = {name.rstrip("_"): made[name] for name in names}
    table.update({"list." + name: made[name] for name in _METHODS})
    table.update({name: _core.Dispatcher(f, nopython=True)
                  for name, f in _CASTS.items()})
    return table
