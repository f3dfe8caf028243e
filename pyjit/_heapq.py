"""Python's heapq module for nopython code, on lists (reflected lists and
typed Lists): heappush, heappop, heapify, heapreplace, heappushpop,
nsmallest and nlargest, keeping the heap invariant as CPython's heapq
does, with the items' `<`, so that a heap holds its items in CPython's
order.  As in Numba, the items are of one type (numbers, tuples of them)
and a list used as a heap gets its item type from what it was made with.
"""
import heapq


def _sift_toward_root(heap, start, pos):
    """The item at pos moves up toward start while it is smaller than its
    parent."""
    item = heap[pos]
    while pos > start:
        parent = (pos - 1) >> 1
        above = heap[parent]
        if item < above:
            heap[pos] = above
            pos = parent
            continue
        break
    heap[pos] = item


def _sift_to_leaf(heap, pos):
    """The item at pos goes down the path of smaller children to a leaf,
    then back up to its place (CPython's order of comparisons)."""
    end = len(heap)
    start = pos
    item = heap[pos]
    child = 2 * pos + 1
    while child < end:
        right = child + 1
        if right < end and not heap[child] < heap[right]:
            child = right
        heap[pos] = heap[child]
        pos = child
        child = 2 * pos + 1
    heap[pos] = item
    _sift_toward_root(heap, start, pos)


def heappush(heap, item):
    heap.append(item)
    _sift_toward_root(heap, 0, len(heap) - 1)


def heappop(heap):
    if len(heap) == 0:
        raise IndexError("index out of range")
    last = heap.pop()
    if len(heap) > 0:
        top = heap[0]
        heap[0] = last
        _sift_to_leaf(heap, 0)
        return top
    return last


def heapreplace(heap, item):
    if len(heap) == 0:
        raise IndexError("index out of range")
    top = heap[0]
    heap[0] = item
    _sift_to_leaf(heap, 0)
    return top


def heappushpop(heap, item):
    if len(heap) > 0 and heap[0] < item:
        top = heap[0]
        heap[0] = item
        _sift_to_leaf(heap, 0)
        return top
    return item


def heapify(x):
    for i in range(len(x) // 2 - 1, -1, -1):
        _sift_to_leaf(x, i)


def nsmallest(n, iterable):
    items = list(iterable)
    heapify(items)
    out = items[:0]
    for _ in range(min(n, len(items))):
        out.append(heappop(items))
    return out


def nlargest(n, iterable):
    items = list(iterable)
    items.sort()
    out = items[:0]
    for i in range(min(n, len(items))):
        out.append(items[len(items) - 1 - i])
    return out


FUNCTIONS = {heapq.heappush: heappush, heapq.heappop: heappop,
             heapq.heapreplace: heapreplace, heapq.heappushpop: heappushpop,
             heapq.heapify: heapify, heapq.nsmallest: nsmallest,
             heapq.nlargest: nlargest}

METHODS = ()

HELPERS = (_sift_toward_root, _sift_to_leaf)
