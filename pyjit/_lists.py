"""List methods and operators for nopython code, written as plain Python.

csrc/list.c owns what these are written with (making a list, len,
indexing, slicing, item assignment, append, iteration) and the intrinsics
`_list_truncate` (drop the items from n on), `_list_empty` (a new empty
list of the same item type) and `_slice_span` (start, step and count of a
slice over n items); csrc/listsort.c the intrinsic `_listsort` (list.sort's
steps over an index array, for keys of numbers and strings).  pyjit
compiles each function here for the types of each use and links it into
the caller, where it inlines.  Messages are CPython's.
"""
import numpy as np

from . import _core
from ._literal_unroll import literal_unroll
from . import types
from ._core import (_holds_integers, _list_dtype, _list_empty, _list_truncate,
                    _listsort, _numpy_argsort, _numpy_sort, _slice_span)
from .extending import overload
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
    _reverse_span(l, 0, len(l))


def copy(l):
    return l[:]


def clear(l):
    _list_truncate(l, 0)


# --- sorting.  CPython's list.sort (3.11's listsort, Objects/listobject.c)
# compares keys with `<` alone; keys that `<` does not order (NaN among
# floats) end where its steps leave them, so _timsort takes the same steps:
# it sorts v, an array of indices into keys, as listsort sorts the items
# (moving indices, not items whose references would be counted at each
# move), comparing keys[v[i]].  Keys of numbers and strings are sorted by
# the same steps in C (csrc/listsort.c, the intrinsic _listsort): compiled
# for each key type, _timsort is the most code of a function that sorts.

_MIN_GALLOP = 7
_MAX_PENDING = 128      # runs waiting to merge: at most log2(len) + 2


def _reverse_span(a, lo, hi):
    """Reverses a[lo:hi] in place."""
    hi -= 1
    while lo < hi:
        t = a[lo]
        a[lo] = a[hi]
        a[hi] = t
        lo += 1
        hi -= 1


def _move(dst, d, src, s, n, back):
    """dst[d:d + n] = src[s:s + n], from the first item on; or, when back,
    dst[d - n + 1:d + 1] = src[s - n + 1:s + 1] from the last item on.
    Either is right for dst is src when it moves the items away from the
    end it starts at."""
    step = -1 if back else 1
    for k in range(n):
        dst[d + step * k] = src[s + step * k]


def _count_run(keys, v, lo, hi):
    """The length of the run at v[lo] (lo < hi) and whether it is strictly
    descending."""
    if lo + 1 == hi:
        return 1, False
    n = 2
    descending = keys[v[lo + 1]] < keys[v[lo]]
    for i in range(lo + 2, hi):
        if (keys[v[i]] < keys[v[i - 1]]) != descending:
            break
        n += 1
    return n, descending


def _binarysort(keys, v, lo, hi, start):
    """Sorts v[lo:hi], of which v[lo:start] is sorted, by binary
    insertion, stably."""
    if lo == start:
        start += 1
    for i in range(start, hi):
        l = lo
        r = i
        pivot = v[i]
        key = keys[pivot]
        while l < r:
            p = l + ((r - l) >> 1)
            if key < keys[v[p]]:
                r = p
            else:
                l = p + 1
        _move(v, i, v, i - 1, i - l, True)
        v[l] = pivot


def _gallop(key, keys, a, base, n, hint, right):
    """Where key goes among keys[a[base]], ..., keys[a[base + n - 1]]: the
    k in 0..n with the first k before it, searched from base + hint
    outwards.  Before it are the keys < key (CPython's gallop_left), or,
    when right, the keys not > key (gallop_right), each compared as
    CPython compares them."""
    lastofs = 0
    ofs = 1
    if _before(key, keys[a[base + hint]], right):
        maxofs = n - hint
        while ofs < maxofs and _before(key, keys[a[base + hint + ofs]],
                                       right):
            lastofs = ofs
            ofs = (ofs << 1) + 1
        ofs = min(ofs, maxofs)
        lastofs += hint
        ofs += hint
    else:
        maxofs = hint + 1
        while ofs < maxofs and not _before(key, keys[a[base + hint - ofs]],
                                           right):
            lastofs = ofs
            ofs = (ofs << 1) + 1
        ofs = min(ofs, maxofs)
        lastofs, ofs = hint - ofs, hint - lastofs
    lastofs += 1
    while lastofs < ofs:
        m = lastofs + ((ofs - lastofs) >> 1)
        if _before(key, keys[a[base + m]], right):
            lastofs = m + 1
        else:
            ofs = m
    return ofs


def _before(key, x, right):
    """Whether x goes before key: x < key, or when right, not key < x."""
    if right:
        return not key < x
    return x < key


def _merge(keys, v, tmp, pa, na, pb, nb, min_gallop, hi):
    """Merges the run v[pa:pa + na] with the one after it, v[pb:pb + nb]:
    CPython's merge_lo (na <= nb: a is copied to tmp and the merge goes
    from the start) or, when hi, its mirror merge_hi (na >= nb: b is
    copied, from the end).  Returns the new min_gallop."""
    step = -1 if hi else 1
    # a and b: the arrays their runs are read from, and where their next
    # item to place is; dest: where it goes
    if hi:
        _move(tmp, 0, v, pb, nb, False)
        a = v
        b = tmp
        ia = pa + na - 1
        ib = nb - 1
        dest = pb + nb - 1
    else:
        _move(tmp, 0, v, pa, na, False)
        a = tmp
        b = v
        ia = 0
        ib = pb
        dest = pa
    # the first of b (merge_lo), or the last of a (merge_hi), goes first;
    # status: 0 merging, 1 a run in v is placed, or the one in tmp, 2 one
    # item of the run in tmp is left, which goes after (or before) the
    # rest of the other
    if hi:
        dest, ia = _place(v, dest, a, ia, step)
        na -= 1
        status = 1 if na == 0 else 2 if nb == 1 else 0
    else:
        dest, ib = _place(v, dest, b, ib, step)
        nb -= 1
        status = 1 if nb == 0 else 2 if na == 1 else 0
    while status == 0:
        acount = 0
        bcount = 0
        while True:
            # merge_lo places b's next when it is < a's, merge_hi a's
            if (keys[b[ib]] < keys[a[ia]]) != hi:
                dest, ib = _place(v, dest, b, ib, step)
                nb -= 1
                status = _left(nb, hi)
                bcount += 1
                acount = 0
                if status or bcount >= min_gallop:
                    break
            else:
                dest, ia = _place(v, dest, a, ia, step)
                na -= 1
                status = _left(na, not hi)
                acount += 1
                bcount = 0
                if status or acount >= min_gallop:
                    break
        if status:
            break
        # one run wins so often that galloping may pay
        min_gallop += 1
        while True:
            if min_gallop > 1:
                min_gallop -= 1
            # the items of a that go before b's next, then that one
            acount, dest, ia = _gallop_run(keys, v, dest, a, ia, na,
                                           keys[b[ib]], True, hi)
            na -= acount
            status = _left(na, not hi)
            if status:
                break
            dest, ib = _place(v, dest, b, ib, step)
            nb -= 1
            status = _left(nb, hi)
            if status:
                break
            # the items of b that go before a's next, then that one
            bcount, dest, ib = _gallop_run(keys, v, dest, b, ib, nb,
                                           keys[a[ia]], False, hi)
            nb -= bcount
            status = _left(nb, hi)
            if status:
                break
            dest, ia = _place(v, dest, a, ia, step)
            na -= 1
            status = _left(na, not hi)
            if status or (acount < _MIN_GALLOP and bcount < _MIN_GALLOP):
                break
        if status:
            break
        min_gallop += 1     # it left galloping: make it harder to enter
    # what is left: of the run in tmp; or of the run in v, then the one
    # item of the run in tmp
    it = ib if hi else ia
    nt = nb if hi else na
    if status == 2:
        _move(v, dest, v, ia if hi else ib, na if hi else nb, hi)
        dest += step * (na if hi else nb)
        nt = 1
    _move(v, dest, tmp, it, nt, hi)
    return min_gallop


def _place(v, dest, x, ix, step):
    """v[dest] = x[ix]; where the next of each is then."""
    v[dest] = x[ix]
    return dest + step, ix + step


def _gallop_run(keys, v, dest, x, ix, nx, key, right, hi):
    """Places the items of the run x[ix], ... (nx left, placed from the
    end when hi) that go before key, found as _gallop finds them from that
    end; returns how many, and where dest and ix are then."""
    k = _gallop(key, keys, x, ix - nx + 1 if hi else ix, nx,
                nx - 1 if hi else 0, right)
    count = nx - k if hi else k
    _move(v, dest, x, ix, count, hi)
    step = -1 if hi else 1
    return count, dest + step * count, ix + step * count


def _left(n, in_tmp):
    """The merge's status once a run has n items left: 1 when none (the
    run in tmp or in v is placed), 2 when one of the run in tmp, else
    0."""
    if n == 0:
        return 1
    return 2 if in_tmp and n == 1 else 0


def _merge_at(keys, v, tmp, runs, n, i, min_gallop):
    """Merges runs i and i + 1 of the n pending (rows of start, length,
    power); returns the new min_gallop."""
    pa = runs[i, 0]
    na = runs[i, 1]
    pb = runs[i + 1, 0]
    nb = runs[i + 1, 1]
    runs[i, 1] = na + nb
    if i == n - 3:
        runs[i + 1, 0] = runs[i + 2, 0]
        runs[i + 1, 1] = runs[i + 2, 1]
        runs[i + 1, 2] = runs[i + 2, 2]
    # what of a precedes b's first, and of b follows a's last, stays
    k = _gallop(keys[v[pb]], keys, v, pa, na, 0, True)
    pa += k
    na -= k
    if na == 0:
        return min_gallop
    nb = _gallop(keys[v[pa + na - 1]], keys, v, pb, nb, nb - 1, False)
    if nb <= 0:
        return min_gallop
    return _merge(keys, v, tmp, pa, na, pb, nb, min_gallop, na > nb)


def _minrun(n):
    """The length shorter runs are extended to by binary insertion."""
    r = 0
    while n >= 64:
        r |= n & 1
        n >>= 1
    return n + r


def _power(s1, n1, n2, n):
    """The powersort power of the run of n1 items at s1 followed by one of
    n2, in n items."""
    result = 0
    a = 2 * s1 + n1
    b = a + n1 + n2
    while True:
        result += 1
        if a >= n:
            a -= n
            b -= n
        elif b >= n:
            break
        a <<= 1
        b <<= 1
    return result


def _timsort(keys, v):
    """Sorts the indices v into keys as listsort sorts items."""
    n = len(v)
    runs = np.empty((_MAX_PENDING, 3), np.int64)    # start, length, power
    pending = 0
    min_gallop = _MIN_GALLOP
    tmp = np.empty((n + 1) // 2, np.int64)
    minrun = _minrun(n)
    lo = 0
    while lo < n:
        run, descending = _count_run(keys, v, lo, n)
        if descending:
            _reverse_span(v, lo, lo + run)
        if run < minrun:
            force = min(minrun, n - lo)
            _binarysort(keys, v, lo, lo + force, lo + run)
            run = force
        if pending > 0:
            power = _power(runs[pending - 1, 0], runs[pending - 1, 1], run, n)
            while pending > 1 and runs[pending - 2, 2] > power:
                min_gallop = _merge_at(keys, v, tmp, runs, pending,
                                       pending - 2, min_gallop)
                pending -= 1
            runs[pending - 1, 2] = power
        runs[pending, 0] = lo
        runs[pending, 1] = run
        pending += 1
        lo += run
    while pending > 1:
        i = pending - 2
        if i > 0 and runs[i - 1, 1] < runs[i + 1, 1]:
            i -= 1
        min_gallop = _merge_at(keys, v, tmp, runs, pending, i, min_gallop)
        pending -= 1


def _sort_general(keys, values, reverse):
    """CPython's list.sort of keys, values (None, or the list the keys are
    of) along: with reverse both are reversed, sorted and the result
    reversed again, so that equal keys keep their order."""
    n = len(keys)
    if n < 2:
        return
    v = np.arange(n)
    if reverse:
        _reverse_span(v, 0, n)
    _sort_indices(keys, v)
    if reverse:
        _reverse_span(v, 0, n)
    if values is None:
        _permute(keys, v)
    else:
        _permute(values, v)


def _sort_indices(keys, v):
    """_timsort(keys, v): in C for keys of numbers and strings."""
    _timsort(keys, v)


def _listsort_call(keys, v):
    _listsort(keys, v, np.empty((len(v) + 1) // 2, np.int64))


def _timsort_call(keys, v):
    _timsort(keys, v)


@overload(_sort_indices)
def _choose_sort_indices(keys, v):
    if isinstance(keys.dtype, (types.Integer, types.Float, types.Boolean,
                               types.UnicodeType)):
        return _listsort_call
    return _timsort_call


def _permute(l, v):
    """l[i] = l[v[i]] for all i at once (nothing when v is 0, 1, ...)."""
    n = len(l)
    for i in range(n):
        if v[i] != i:
            items = l[:]
            for j in range(i, n):
                l[j] = items[v[j]]
            return


def _sort_numbers(keys, values, reverse):
    """_sort_general of numbers, by NumPy's quicksort of an array of them.
    Without NaNs `<` orders numbers totally, and the only equal numbers
    that differ are 0.0 and -0.0: the keys sorted, their zeros then put
    back in their first order (which CPython's sort keeps in both
    directions), or their argsort, each run of equal keys then put back in
    the order of its indices, give what CPython's sort gives.  A NaN
    among the keys sorts by _sort_general, which places it as CPython
    does."""
    n = len(keys)
    if n < 2:
        return
    a = np.empty(n, _list_dtype(keys))
    below = 0           # keys < 0, then 0.0 and -0.0
    zeros = 0
    for i in range(n):
        x = keys[i]
        if x != x:
            _sort_general(keys, values, reverse)
            return
        if x < 0:
            below += 1
        elif x == 0:
            zeros += 1
        # CPython sorts the keys and values reversed, then reverses them
        a[n - 1 - i if reverse and values is not None else i] = x
    if values is None:
        if not _numpy_sort(a):          # no NumPy loop for the dtype
            _sort_general(keys, values, reverse)
            return
        if zeros > 1 and not _holds_integers(a):
            # the zeros in their order, from the end of theirs when the
            # list is written back reversed
            j = below + zeros - 1 if reverse else below
            step = -1 if reverse else 1
            for i in range(n):
                if keys[i] == 0:
                    a[j] = keys[i]
                    j += step
        for i in range(n):
            keys[i] = a[n - 1 - i if reverse else i]
        return
    order = np.arange(n)
    if not _numpy_argsort(a, order, False):
        _sort_general(keys, values, reverse)
        return
    i = 0
    while i < n - 1:
        j = i + 1
        while j < n and a[order[j]] == a[order[i]]:
            j += 1
        if j - i > 1:
            _numpy_sort(order[i:j])
        i = j
    if reverse:
        _reverse_span(order, 0, n)
        for j in range(n):
            order[j] = n - 1 - order[j]
    _permute(values, order)


def _sort_keys(keys, values, reverse):
    """Sorts keys, and values (None, or the list they are the keys of)
    along, as CPython's list.sort does: _sort_numbers for numbers, else
    _sort_general."""
    _sort_general(keys, values, reverse)


def _sort_numbers_call(keys, values, reverse):
    _sort_numbers(keys, values, reverse)


def _sort_general_call(keys, values, reverse):
    _sort_general(keys, values, reverse)


@overload(_sort_keys)
def _choose_sort(keys, values, reverse):
    if isinstance(keys.dtype, (types.Integer, types.Float, types.Boolean)):
        return _sort_numbers_call
    return _sort_general_call


def sort(l, key=None, reverse=False):
    if key is None:
        _sort_keys(l, None, reverse)
    else:
        _sort_keys([key(x) for x in l], l, reverse)


def _list_of(iterable):
    """A new list of the iterable's items."""
    return list_from(iterable)


def _copy_call(iterable):
    return iterable[:]


def _list_from_call(iterable):
    return list_from(iterable)


@overload(_list_of)
def _choose_list_of(iterable):
    # a list (not a typed List) copies at once
    return _copy_call if isinstance(iterable, types.List) else _list_from_call


def sorted_(iterable, key=None, reverse=False):
    """sorted(iterable, key, reverse)"""
    out = _list_of(iterable)
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
    return l[::-1]


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


def setslice(l, s, values):
    items = list_from(values)
    start, step, count = _slice_span(s, len(l))
    if step == 1:
        tail = l[start + count:]
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
               setslice, contains, not_contains, eq, ne,
               lt, le, gt, ge, add, iadd, mul, rmul, imul)
_HELPERS = (_remove_at, _reverse_span, _move, _count_run,
            _binarysort, _gallop, _before, _merge, _place, _gallop_run,
            _left,
            _merge_at, _minrun, _power, _timsort, _sort_general, _permute,
            _sort_numbers, _compare)


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
