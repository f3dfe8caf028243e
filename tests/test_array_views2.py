"""An array's memory read as another type: a.view(dtype), a.real and
a.imag of complex arrays (and np.real, np.imag), a.tobytes(), against
NumPy itself over seeded arrays of several dtypes and layouts (C, F,
strided, reversed, empty).  Views share the array's memory (writes go
through), keep it alive after the function that made it returns, and
leave RSS flat over many calls; each function is checked to compile in
nopython mode."""
import gc

import numpy as np
import pytest

import pyjit
from pyjit import TypingError, njit

from difftest import assert_compiled, rss_limit

RNG = np.random.default_rng(1414)

DTYPES = [np.float64, np.float32, np.int64, np.int32, np.int16, np.uint8,
          np.uint64, np.complex128, np.complex64, np.bool_]


def values(dtype, n):
    """n seeded values of dtype, with every bit pattern plausible (NaNs,
    negative zeros, large integers) once read as another type."""
    raw = RNG.integers(0, 256, n * np.dtype(dtype).itemsize, dtype=np.uint8)
    out = raw.view(dtype).copy()
    if np.dtype(dtype).kind == "b":
        out = raw[:n] % 2 == 1
    return out


def layouts(dtype):
    """Arrays of dtype: C of one to three dimensions, F, strided along
    the last axis and along the first, reversed, a column of length-1
    rows, and empty ones."""
    flat = values(dtype, 48)
    c2 = flat[:24].reshape(4, 6)
    c3 = flat.reshape(2, 4, 6)
    return [
        flat, c2, c3,
        np.asfortranarray(c2), np.asfortranarray(c3),
        c2[:, ::2], c2[::2], c3[:, 1:3, :],
        flat[::-1], flat[::3],
        np.asfortranarray(flat[:6].reshape(6, 1)),
        np.asfortranarray(c3[:, :3, :1]),
        c2[:, :1],
        flat[:0], c2[:0], c2[:, :0], c3[:, :0, :],
    ]


def cases(dtypes=DTYPES):
    return [(i, a) for dt in dtypes for i, a in enumerate(layouts(dt))]


def numpy_or_error(f, *args):
    try:
        return "ok", f(*args)
    except ValueError as e:
        return "ValueError", str(e)


def same_view(got, want, base):
    """got is the view NumPy gives: dtype, shape, strides, bytes, and the
    memory of base."""
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    assert got.shape == want.shape, (got.shape, want.shape)
    if got.size > 0:
        assert got.strides == want.strides, (got.strides, want.strides)
        assert np.shares_memory(got, base)
        assert got.__array_interface__["data"][0] \
            == want.__array_interface__["data"][0]
    assert got.tobytes() == want.tobytes()


def return_layout(f, *args):
    """The layout of the return type of f compiled for args."""
    sig = tuple(pyjit.typeof(x) for x in args)
    return f.overloads[sig].return_type.layout


# --- a.view(dtype) ---

def view_of(to):
    """a.view(to) compiled, to a NumPy scalar class or a dtype."""
    @njit
    def view(a):
        return a.view(to)
    view.__name__ = f"view_{np.dtype(to).name}".replace(" ", "")
    return view


VIEWS = [(view_of(to), to) for to in (
    np.uint64, np.int32, np.float32, np.uint8, np.complex128,
    np.dtype("int16"), np.bool_)]
view_i32, view_u8 = VIEWS[1][0], VIEWS[3][0]


def expected_layout(a, to):
    """Numba's layout of a.view(to): a's own, but A for an F array of two
    or more dimensions whose item size changes (NumPy rescales its last
    dimension)."""
    layout = pyjit.typeof(a).layout
    if layout == "F" and a.ndim > 1 \
            and np.dtype(to).itemsize != a.dtype.itemsize:
        return "A"
    return layout


@pytest.mark.parametrize("f,to", VIEWS, ids=lambda x: getattr(
    x, "__name__", str(x)))
def test_view_against_numpy(f, to):
    for i, a in cases():
        if to is np.bool_ and a.dtype != np.uint8:
            continue            # NumPy reads only 0 and 1 as booleans
        kind, want = numpy_or_error(lambda x: x.view(to), a)
        if kind == "ValueError":
            with pytest.raises(ValueError) as e:
                f(a)
            assert str(e.value) == want, (i, a.dtype, a.shape, a.strides)
            continue
        got = f(a)
        same_view(got, want, a)
        assert return_layout(f, a) == expected_layout(a, to), (i, a.dtype)
    assert_compiled(f)


@njit
def view_as(a, d):
    return a.view(d)


def test_view_of_a_dtype_argument_and_of_a_dtype():
    for i, a in cases([np.float64, np.int32, np.uint8]):
        for d in (np.dtype(np.int16), np.dtype(np.float64), a.dtype):
            kind, want = numpy_or_error(lambda x: x.view(d), a)
            if kind == "ValueError":
                with pytest.raises(ValueError, match="dtype"):
                    view_as(a, d)
            else:
                same_view(view_as(a, d), want, a)
    assert_compiled(view_as)


@njit
def flip_sign_bits(a):
    """Negates a's floats through an integer view of their memory."""
    bits = a.view(np.uint64)
    for idx in np.ndindex(bits.shape):
        bits[idx] = bits[idx] ^ np.uint64(1 << 63)


@njit
def fill_bytes(a, byte):
    v = a.view(np.uint8)
    v[...] = byte
    return v


def test_writes_through_a_view_reach_the_array():
    for _, a in cases([np.float64]):
        got, want = a.copy(), a.copy()
        if not want.flags.c_contiguous and want.ndim > 1 \
                and want.shape[-1] != 1:
            got, want = a.copy(order="A"), a.copy(order="A")
        flip_sign_bits(got)
        np.negative(want, out=want)
        np.testing.assert_array_equal(got.view(np.uint64),
                                      want.view(np.uint64))
    for _, a in cases([np.int32, np.float32, np.complex64]):
        if numpy_or_error(lambda x: x.view(np.uint8), a)[0] != "ok":
            continue
        got, want = a.copy(), a.copy()
        v = fill_bytes(got, 0x5A)
        want.view(np.uint8)[...] = 0x5A
        assert got.tobytes() == want.tobytes()
        assert np.shares_memory(v, got) or got.size == 0
    assert_compiled(flip_sign_bits)
    assert_compiled(fill_bytes)


def test_a_view_of_a_view_and_of_a_slice():
    @njit
    def chain(a):
        return a[1:, ::-1].T.view(np.int64)[::2].view(np.float64)

    for _, a in cases([np.float64, np.int64]):
        if a.ndim != 2:
            continue
        kind, want = numpy_or_error(
            lambda x: x[1:, ::-1].T.view(np.int64)[::2].view(np.float64), a)
        if kind == "ok":
            same_view(chain(a), want, a)
    assert_compiled(chain)


REC = np.dtype([("x", np.int32), ("y", np.int32)])
REC3 = np.dtype([("x", np.int32), ("y", np.int32), ("z", np.int32)])


def test_views_to_and_from_records():
    to_records, from_records = view_of(REC), view_of(np.int64)
    a = RNG.integers(-9, 9, 10)
    r = to_records(a)
    assert r.dtype == REC and np.shares_memory(r, a)
    assert r.tobytes() == a.view(REC).tobytes()
    back = from_records(a.view(REC))
    np.testing.assert_array_equal(back, a)
    assert_compiled(to_records)
    assert_compiled(from_records)
    to_triples = view_of(REC3)
    for n in (3, 6, 4, 0):
        a = np.arange(n, dtype=np.int32)
        for f, x, to in ((to_triples, a, REC3),
                         (from_records, np.zeros(n, REC3), np.int64)):
            kind, want = numpy_or_error(lambda y: y.view(to), x)
            if kind == "ok":
                same_view(f(x), want, x)
            else:
                with pytest.raises(ValueError) as e:
                    f(x)
                assert str(e.value) == want


def test_view_of_a_read_only_array_is_read_only():
    @njit
    def read(a):
        return a.view(np.int64)

    @njit
    def write(a):
        a.view(np.int64)[0] = 1

    ro = np.arange(4.0)
    ro.flags.writeable = False
    got = read(ro)
    assert not got.flags.writeable
    np.testing.assert_array_equal(got, ro.view(np.int64))
    with pytest.raises(TypingError, match="read-only"):
        write(ro)


@pytest.mark.parametrize("src", [
    "def f(a):\n    return a.view()\n",
    "def f(a):\n    return a.view(np.int32, np.int64)\n",
    "def f(a):\n    return a.view(3)\n",
])
def test_view_typing_errors(src, tmp_path):
    path = tmp_path / "viewmod.py"
    path.write_text("import numpy as np\n" + src)
    import importlib.util
    spec = importlib.util.spec_from_file_location("viewmod", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    with pytest.raises(TypingError, match="a.view takes"):
        njit(mod.f)(np.arange(4.0))


# --- a.real, a.imag, np.real, np.imag of complex arrays ---

@njit
def real_part(a):
    return a.real


@njit
def imag_part(a):
    return a.imag


@njit
def np_real(a):
    return np.real(a)


@njit
def np_imag(a):
    return np.imag(a)


@pytest.mark.parametrize("f,part", [(real_part, "real"), (imag_part, "imag"),
                                    (np_real, "real"), (np_imag, "imag")],
                         ids=["a.real", "a.imag", "np.real", "np.imag"])
def test_complex_parts_are_views(f, part):
    for i, a in cases([np.complex128, np.complex64]):
        same_view(f(a), getattr(a, part), a)
        assert return_layout(f, a) == "A"
    assert_compiled(f)


@njit
def zero_imag(a):
    a.imag[:] = 0


@njit
def scale_real(a, k):
    r = a.real
    r *= k


@njit
def set_parts(a):
    re = a.real
    im = a.imag
    for idx in np.ndindex(a.shape):
        re[idx], im[idx] = im[idx], re[idx]


def test_writes_through_parts_reach_the_array():
    for _, a in cases([np.complex128, np.complex64]):
        if a.ndim != 1:
            continue
        got, want = a.copy(), a.copy()
        zero_imag(got)
        want.imag[:] = 0
        np.testing.assert_array_equal(got, want)
    for _, a in cases([np.complex128, np.complex64]):
        got, want = a.copy(order="A"), a.copy(order="A")
        scale_real(got, 3.0)
        want.real *= 3.0
        assert got.tobytes() == want.tobytes()
        got, want = a.copy(order="A"), a.copy(order="A")
        set_parts(got)
        want.real, want.imag = a.imag.copy(), a.real.copy()
        assert got.tobytes() == want.tobytes()
    for f in (zero_imag, scale_real, set_parts):
        assert_compiled(f)


def test_parts_of_real_arrays_are_unchanged():
    a = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(real_part(a), a.real)
    np.testing.assert_array_equal(imag_part(a), a.imag)
    np.testing.assert_array_equal(np_imag(a), np.imag(a))


# --- a.tobytes() ---

@njit
def to_bytes(a):
    return a.tobytes()


@pytest.mark.parametrize("dtype", DTYPES + [REC], ids=str)
def test_tobytes_against_numpy(dtype):
    if dtype is REC:
        arrs = [np.arange(12).view(REC), np.arange(12).view(REC)[::-2]]
    else:
        arrs = [a for _, a in cases([dtype])]
    for a in arrs:
        got = to_bytes(a)
        assert type(got) is bytes
        assert got == a.tobytes(), (a.shape, a.strides)
    assert_compiled(to_bytes)


def test_tobytes_of_views_made_in_compiled_code():
    @njit
    def parts_bytes(a):
        return a.imag.tobytes(), a.view(np.uint8).tobytes()

    for _, a in cases([np.complex128]):
        if numpy_or_error(lambda x: x.view(np.uint8), a)[0] != "ok":
            continue
        im, raw = parts_bytes(a)
        assert im == a.imag.tobytes()
        assert raw == a.view(np.uint8).tobytes()
    assert_compiled(parts_bytes)


# --- lifetime and memory ---

@njit
def made_view(n):
    a = np.arange(n) * 1.5
    return a.view(np.uint8)


@njit
def made_imag(n):
    c = np.arange(n) * (1.0 + 2.0j)
    return c.imag


@njit
def made_chain(n):
    a = np.arange(n * 4, dtype=np.int32).reshape(n, 4)
    return a[::2].view(np.int64).T


def churn():
    """Memory freed and reused: a block freed too early would be
    overwritten."""
    junk = [np.full(1000, 7.0) for _ in range(50)]
    gc.collect()
    return junk


def test_views_keep_the_memory_of_an_array_made_inside():
    v = made_view(100)
    c = made_imag(50)
    t = made_chain(6)
    churn()
    np.testing.assert_array_equal(v, (np.arange(100) * 1.5).view(np.uint8))
    np.testing.assert_array_equal(c, np.arange(50) * 2.0)
    want = np.arange(24, dtype=np.int32).reshape(6, 4)[::2].view(np.int64).T
    np.testing.assert_array_equal(t, want)
    v[:] = 0            # the view's memory is the view's to write
    churn()
    np.testing.assert_array_equal(c, np.arange(50) * 2.0)


def test_views_keep_an_argument_alive():
    v = view_i32(np.arange(10.0).reshape(2, 5))
    im = imag_part(np.arange(8) * 1j)
    churn()
    np.testing.assert_array_equal(v, np.arange(10.0).reshape(2, 5)
                                  .view(np.int32))
    np.testing.assert_array_equal(im, np.arange(8.0))


def rss_kb():
    import os
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGESIZE") // 1024


def test_rss_stays_flat_over_many_calls():
    @njit
    def work(x, n):
        a = np.arange(n) * 1.0
        c = a * 1j
        s = 0.0
        s += a.view(np.uint8).size + c.imag.sum() + c.real[1:].sum()
        s += len(a.tobytes()) + x.view(np.int32).size + x[::2].real.sum()
        return s

    x = np.arange(1000.0)
    work(x, 2000)
    gc.collect()
    before = rss_kb()
    for _ in range(20_000):
        work(x, 2000)
        made_view(2000)
        made_imag(1000)
        to_bytes(x)
        view_u8(x)
    gc.collect()
    assert (rss_kb() - before) * 1024 < rss_limit(8 << 20)
    assert_compiled(work)
