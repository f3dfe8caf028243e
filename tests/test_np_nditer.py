"""np.nditer in nopython code against NumPy's np.nditer (and Numba's own
test inputs against Numba): one operand or a tuple of arrays and numbers,
broadcast together, over seeded shapes (0-d, empty, size-1 dimensions),
layouts (C, F, strided, reversed) and dtypes; each step's 0-d views read
with x.item() and x[()] and written with x[...] = v and x[()] = v.  The
order is Numba's: F when more of the arrays are typed F than C (a 1-d
array counting as both), C otherwise."""
import itertools

import numpy as np
import pytest

from pyjit import TypingError, njit, typeof

from difftest import assert_compiled
from np_arrays import assert_same_array

RNG = np.random.default_rng(2014)
DTYPES = [np.bool_, np.int8, np.uint8, np.int32, np.int64, np.uint64,
          np.float32, np.float64, np.complex64, np.complex128]


# --- generated operands ---

def values(shape, dtype):
    """Seeded values of dtype in a new C array of shape."""
    n = int(np.prod(shape))
    kind = np.dtype(dtype).kind
    if kind == "b":
        flat = RNG.integers(0, 2, n).astype(bool)
    elif kind in "iu":
        flat = RNG.integers(0 if kind == "u" else -60, 60, n)
    else:
        flat = RNG.normal(0, 100, n)
        if kind == "c":
            flat = flat + 1j * RNG.normal(0, 100, n)
    return flat.astype(dtype).reshape(shape)


def laid_out(a, layout):
    """The values of a in a new array of that layout: 'C', 'F', 'strided'
    (every other element of a larger array) or 'reversed' (a view with
    negative strides)."""
    if layout == "F":
        return np.asfortranarray(a)
    if layout == "strided" and a.ndim:
        big = np.zeros(a.shape[:-1] + (2 * a.shape[-1],), a.dtype)
        big[..., ::2] = a
        return big[..., ::2]
    if layout == "reversed" and a.ndim:
        return np.ascontiguousarray(a[::-1])[::-1]
    return a.copy()


def operand_shape(shape):
    """A shape that broadcasts to shape: some of its last dimensions,
    some of them 1."""
    keep = shape[len(shape) - int(RNG.integers(0, len(shape) + 1)):]
    return tuple(1 if RNG.random() < 0.3 else d for d in keep)


def operand(shape):
    """An array broadcasting to shape (0-d ones among them) or a number."""
    dtype = DTYPES[RNG.integers(len(DTYPES))]
    if RNG.random() < 0.15:
        return values((), dtype)[()].item()       # a Python number
    a = values(operand_shape(shape), dtype)
    return laid_out(a, ["C", "F", "strided", "reversed"][RNG.integers(4)])


def shapes():
    """Broadcast shapes of 0 to 3 dimensions, empty ones among them."""
    out = [(), (0,), (1,), (5,), (3, 4), (2, 0), (1, 1), (2, 3, 4),
           (3, 1, 2), (0, 2, 3)]
    out += [tuple(int(d) for d in RNG.integers(1, 5, RNG.integers(1, 4)))
            for _ in range(6)]
    return out


def numba_order(ops):
    """'F' when more of the arrays of one or more dimensions are typed F
    than C (a 1-d C or F array counting as both), else 'C'."""
    c = f = 0
    for a in ops:
        if not isinstance(a, np.ndarray) or a.ndim == 0:
            continue
        layout = typeof(a).layout
        if a.ndim == 1 and layout in "CF":
            c, f = c + 1, f + 1
        else:
            c, f = c + (layout == "C"), f + (layout == "F")
    return "F" if f > c else "C"


def numpy_items(ops, tupled=True):
    """What NumPy's np.nditer yields for ops, in Numba's order, each step's
    views read with .item()."""
    ops = tuple(ops)
    it = np.nditer(ops if tupled else ops[0], flags=["zerosize_ok"],
                   order=numba_order(ops), op_flags=[["readonly"]] * len(ops))
    if len(ops) == 1:
        return [x.item() for x in it]
    return [tuple(x.item() for x in step) for step in it]


def same_items(got, want):
    assert len(got) == len(want), (len(got), len(want))
    for g, w in zip(got, want):
        assert type(g) is type(w), (g, w)
        assert g == w or (g != g and w != w), (g, w)


# --- reading ---

@njit
def items1(a):
    res = []
    for u in np.nditer(a):
        res.append(u.item())
    return res


@njit
def items1_tupled(a):
    res = []
    for u in np.nditer((a,)):
        res.append(u[()])
    return res


@njit
def items2(a, b):
    res = []
    for u, v in np.nditer((a, b)):
        res.append((u.item(), v[()]))
    return res


@njit
def items3(a, b, c):
    res = []
    for u, v, w in np.nditer((a, b, c)):
        res.append((u.item(), v.item(), w[()]))
    return res


def test_one_operand():
    for shape, dtype in zip(shapes() + shapes()[:4], DTYPES * 2):
        for layout in ("C", "F", "strided", "reversed"):
            a = laid_out(values(shape, dtype), layout)
            same_items(items1(a), numpy_items([a], tupled=False))
            same_items(items1_tupled(a), numpy_items([a]))
    assert_compiled(items1)
    assert_compiled(items1_tupled)


def test_numbers_alone():
    for x in (3, -2.5, True, 1 + 2j):
        same_items(items1(x), [x])
        same_items(items2(x, 7), [(x, 7)])
    assert_compiled(items1)


def test_two_operands_broadcast():
    for shape in shapes():
        for _ in range(4):
            a, b = operand(shape), operand(shape)
            same_items(items2(a, b), numpy_items([a, b]))
    assert_compiled(items2)


def test_three_operands_broadcast():
    for shape in shapes():
        for _ in range(2):
            ops = [operand(shape) for _ in range(3)]
            same_items(items3(*ops), numpy_items(ops))
    assert_compiled(items3)


def test_order_follows_layouts():
    """C arrays iterate in C order, F arrays in F order (their memory
    order, as NumPy's order='K'); mixed layouts by the majority, C on a
    tie or for views that are neither."""
    c = values((3, 4), np.int64)
    f = np.asfortranarray(c)
    assert items1(c) == c.ravel("C").tolist()
    assert items1(f) == c.ravel("F").tolist()
    assert items1(f[:, ::2]) == c[:, ::2].ravel("C").tolist()
    assert [u for u, _ in items2(f, c)] == c.ravel("C").tolist()
    row = np.arange(4)
    assert [v for _, v in items2(row, f)] == c.ravel("F").tolist()
    assert [v for _, _, v in items3(f, f, c)] == c.ravel("F").tolist()


# --- writing ---

@njit
def double_into(a, out):
    for u, v in np.nditer((a, out)):
        v[...] = u * 2
    return out


@njit
def add_into(a, b, out):
    for u, v, w in np.nditer((a, b, out)):
        w[()] = u[()] + v[()]


@njit
def in_place(a):
    for x in np.nditer(a):
        x[...] = x * 3 + 1


def numpy_write(ops, nwrite, body):
    it = np.nditer(tuple(ops), flags=["zerosize_ok"], order=numba_order(ops),
                   op_flags=[["readonly"]] * (len(ops) - nwrite)
                   + [["readwrite"]] * nwrite)
    with it:
        for step in it:
            body(*step) if len(ops) > 1 else body(step)


WRITE_DTYPES = [np.int32, np.int64, np.float32, np.float64, np.complex128]


def real_operand(shape):
    """An operand of shape of a real dtype, not bool (whose u + v NumPy
    computes as a logical or)."""
    a = operand(shape)
    if np.iscomplexobj(a) or isinstance(a, bool) or (
            isinstance(a, np.ndarray) and a.dtype == bool):
        a = laid_out(np.real(np.asarray(a)).astype(np.int16), "F")
    return a


def test_writes_through_views():
    for shape, dtype in zip(shapes(), WRITE_DTYPES * 4):
        for layout in ("C", "F", "strided", "reversed"):
            a = real_operand(shape)
            out = laid_out(np.zeros(shape, dtype), layout)
            want = out.copy()

            def body(u, v):
                v[...] = u * 2
            numpy_write([a, want], 1, body)
            got = double_into(a, out)
            assert got is out
            assert_same_array(out, want, where=f"{shape} {layout}")
    assert_compiled(double_into)


def test_three_operands_write():
    for shape in shapes():
        for layout in ("C", "F", "strided"):
            a, b = real_operand(shape), real_operand(shape)
            out = laid_out(np.zeros(shape, np.complex128), layout)
            want = out.copy()

            def body(u, v, w):
                w[()] = u[()] + v[()]
            numpy_write([a, b, want], 1, body)
            add_into(a, b, out)
            assert_same_array(out, want, where=f"{shape} {layout}")
    assert_compiled(add_into)


def test_writes_leave_the_rest_of_a_view_alone():
    big = values((4, 6), np.float64)
    view = big[::2, 1::2]
    want = big.copy()
    want[::2, 1::2] = view * 3 + 1
    in_place(view)
    assert_same_array(big, want)
    for shape, dtype in zip(shapes(), WRITE_DTYPES * 4):
        a = laid_out(values(shape, dtype), "F")
        want = a.copy()

        def body(x):
            x[...] = x * 3 + 1
        numpy_write([want], 1, body)
        in_place(a)
        assert_same_array(a, want, where=f"{shape} {dtype}")
    assert_compiled(in_place)


# --- the views themselves ---

@njit
def first_view(a):
    for u in np.nditer(a):
        return u
    return None


@njit
def view_arithmetic(a, b):
    total = 0.0
    for u, v in np.nditer((a, b)):
        total += u * 2 + v[()] - (u < v)
    return total


def test_views_are_0d_arrays():
    a = values((3, 4), np.float32)
    u = first_view(a)
    assert isinstance(u, np.ndarray) and u.shape == () and u.dtype == a.dtype
    assert u[()] == a[0, 0]
    a = values((2, 5), np.int64)
    b = values((5,), np.float64)
    want = sum(x * 2 + y - (x < y) for x, y in np.nditer((a, b)))
    assert view_arithmetic(a, b) == pytest.approx(float(want), rel=1e-12)
    assert_compiled(first_view)
    assert_compiled(view_arithmetic)


# --- errors ---

def test_operands_that_do_not_broadcast():
    pairs = [(np.arange(2), np.arange(3)),
             (np.arange(12).reshape(3, 4), np.arange(3)),
             (np.zeros((2, 3)), np.zeros((3, 2))),
             (np.zeros((0, 3)), np.zeros((2, 3)))]
    for a, b in pairs:
        with pytest.raises(ValueError, match="operands could not be "
                                             "broadcast together"):
            np.nditer((a, b), flags=["zerosize_ok"])
        with pytest.raises(ValueError, match="operands could not be "
                                             "broadcast together"):
            items2(a, b)
        with pytest.raises(ValueError, match="operands could not be "
                                             "broadcast together"):
            items3(b, a, 1.0)


@njit
def write_readonly(a):
    for x in np.nditer(a):
        x[...] = 1


def test_typing_errors():
    with pytest.raises(TypingError, match="nditer"):
        items1("abc")
    with pytest.raises(TypingError, match="nditer"):
        items2([1, 2], np.arange(2))
    ro = np.arange(3.0)
    ro.flags.writeable = False
    with pytest.raises(TypingError, match="read-only"):
        write_readonly(ro)


# --- Numba's own tests (numba/tests/test_array_iterators.py) ---

def numba_inputs():
    """The inputs Numba's TestNdIter uses: all broadcast to (3, 4)."""
    a = np.arange(12).reshape((3, 4))
    return [np.float32(100), np.array(102, dtype=np.int16),
            np.arange(4).astype(np.complex64), np.arange(8)[::2], a,
            a.copy(order="F"), np.arange(24).reshape((6, 4))[::2]]


def numba_basic_inputs():
    a = np.arange(12).reshape((3, 4))
    return [np.arange(4).astype(np.complex64), np.arange(8)[::2], a,
            a.copy(order="F")]


def test_numba_inputs_against_numba():
    import numba
    nb_items1 = numba.njit(items1.py_func)
    nb_items2 = numba.njit(items2.py_func)
    for a in numba_inputs():
        assert items1(a) == nb_items1(a)
    for a, b in itertools.product(numba_inputs(), numba_basic_inputs()):
        assert items2(a, b) == nb_items2(a, b)
        same_items(items2(a, b), numpy_items([a, b]))


# --- 0-d arrays: what the views are ---

@njit
def read_0d(z):
    return z[()], z.item(), z.shape, z.ndim, z.size


@njit
def write_0d(z, x):
    z[()] = x
    y = z[()]
    z[...] = y + 1


@njit
def element_view(a, i, j):
    return a[i, j, ...]


@njit
def ops_0d(z, w):
    return z * 2, z + w, -z, z < w, np.sqrt(np.abs(z)), np.maximum(z, w)


def test_0d_arrays():
    for dtype in DTYPES:
        z = values((), dtype)
        want = (z[()], z.item(), (), 0, 1)
        got = read_0d(z)
        assert got[0] == want[0] and got[1:] == want[1:]
    for dtype in WRITE_DTYPES:
        z = np.zeros((), dtype)
        write_0d(z, 5)
        assert z[()] == 6 and z.dtype == dtype
    assert_compiled(read_0d)
    assert_compiled(write_0d)


def test_0d_element_views():
    for layout in ("C", "F", "strided", "reversed"):
        a = laid_out(values((3, 4), np.float64), layout)
        for i, j in ((0, 0), (2, 3), (-1, 1)):
            v = element_view(a, i, j)
            assert v.shape == () and v[()] == a[i, j]
            v[()] = 100.0               # shares a's memory, as NumPy's
            assert a[i, j] == 100.0
    assert_compiled(element_view)


def test_0d_operators_give_numbers():
    """NumPy's operators and ufuncs on 0-d arrays give numbers."""
    for dt1, dt2 in [(np.float64, np.int64), (np.int32, np.float32),
                     (np.uint8, np.float64), (np.int64, np.int64)]:
        z, w = values((), dt1), values((), dt2)
        got = ops_0d(z, w)
        with np.errstate(all="ignore"):
            want = ops_0d.py_func(z, w)
        for g, x in zip(got, want):
            assert not isinstance(g, np.ndarray), g
            assert g == pytest.approx(x, rel=1e-6, nan_ok=True)
    assert_compiled(ops_0d)


@njit
def len_0d(z):
    return len(z)


@njit
def iterate_0d(z):
    return [x for x in z]


def test_0d_len_and_iteration_are_typing_errors():
    with pytest.raises(TypingError, match="unsized object"):
        len_0d(np.array(1.0))
    with pytest.raises(TypingError, match="not iterable"):
        iterate_0d(np.array(1.0))
