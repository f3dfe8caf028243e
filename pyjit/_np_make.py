"""NumPy's functions that make or rearrange arrays by a rule, for
nopython code: np.eye, np.identity (of dtype=), np.tri, np.diag, np.tril, np.triu
(float64 arrays, or the argument's dtype; tril and triu of each matrix of the
last two axes of an n-d array), np.flip, np.flipud, np.fliplr
(views, as NumPy gives) and np.roll (a copy, rolled over the flattened
array as NumPy rolls it without an axis); np.float64((1, 2, 3)) and the
other number classes called on a sequence (an array of the type).
"""
import numpy as np


def eye(N, M=None, k=0, dtype=None):
    cols = N if M is None else M
    if dtype is None:
        out = np.zeros((N, cols))
    else:
        out = np.full((N, cols), dtype)     # a zero of the dtype
    for i in range(max(0, -k), min(N, cols - k)):
        out[i, i + k] = 1
    return out


def identity(n, dtype=None):
    return eye(n, None, 0, dtype)


def tri(N, M=None, k=0):
    cols = N if M is None else M
    out = np.zeros((N, cols))
    for i in range(N):
        for j in range(min(cols, max(0, i + k + 1))):
            out[i, j] = 1.0
    return out


def _triangle(m, k, lower):
    """A copy of m with the elements above (lower) or below the k-th
    diagonal of each matrix of its last two axes zeroed; a 1-d m is the
    row of a square, as NumPy's."""
    if m.ndim == 0:             # NumPy's class: tri() lacks its N
        raise TypeError("np.tril and np.triu take an array of at least "
                        "one dimension, not a 0-d array")
    if m.ndim == 1:
        return _triangle(np.broadcast_to(m, (len(m), len(m))), k, lower)
    out = m.copy()              # C order, whatever m's (np.copy keeps F)
    rows = m.shape[m.ndim - 2]
    cols = m.shape[m.ndim - 1]
    # out is C-contiguous: its matrices are consecutive blocks of the
    # flattened array, however many axes stack them
    flat = out.ravel()
    for s in range(0, flat.size, max(1, rows * cols)):
        for i in range(rows):
            for j in range(cols):
                if (j > i + k) if lower else (j < i + k):
                    flat[s + i * cols + j] = 0
    return out


def tril(m, k=0):
    return _triangle(m, k, True)


def triu(m, k=0):
    return _triangle(m, k, False)


def diag(v, k=0):
    """Of a 1-d array, the 2-d array with v on its k-th diagonal; of a 2-d
    one, a copy of its k-th diagonal."""
    if v.ndim == 0:
        raise ValueError("Input must be 1- or 2-d.")
    if v.ndim == 1:
        n = len(v) + abs(k)
        out = np.zeros((n, n), v.dtype)
        for i in range(len(v)):
            if k >= 0:
                out[i, i + k] = v[i]
            else:
                out[i - k, i] = v[i]
        return out
    rows, cols = v.shape
    lo = max(0, -k)
    n = max(0, min(rows - lo, cols - max(0, k)))
    out = np.empty(n, v.dtype)
    for i in range(n):
        out[i] = v[lo + i, lo + i + k]
    return out


def flip(m):
    if m.ndim == 0:             # NumPy's: the element
        return m[()]
    if m.ndim == 1:
        return m[::-1]
    if m.ndim == 2:
        return m[::-1, ::-1]
    return m[::-1, ::-1, ::-1]


def flipud(m):
    if m.ndim == 0:
        raise ValueError("Input must be >= 1-d.")
    return m[::-1]


def fliplr(m):
    if m.ndim < 2:
        raise ValueError("Input must be >= 2-d.")
    return m[:, ::-1]


def roll(a, shift):
    out = np.empty(a.shape, a.dtype)       # C: its ravel is a view
    flat = out.ravel()
    n = a.size
    if n > 0:
        s = shift % n
        i = 0
        for x in a.flat:
            flat[(i + s) % n] = x
            i += 1
    return out


FUNCTIONS = {"eye": eye, "identity": identity, "tri": tri, "tril": tril,
             "triu": triu, "diag": diag, "flip": flip, "flipud": flipud,
             "fliplr": fliplr, "roll": roll}

METHODS = ()


def _sequence_as(name):
    """np.float64((1, 2, 3)) and the like: a number class called on a
    tuple, a list or an array makes an array of its type, as NumPy's
    does (csrc/numbers.c calls "__as_<type>")."""
    from ._jitclass import _generated
    cls = "bool_" if name == "bool" else name
    source = f"def as_{name}(x):\n    return np.array(x, np.{cls})\n"
    return _generated(f"as_{name}", source, {"np": np}, "numpy")


METHOD_IMPLS = {f"__as_{name}": _sequence_as(name) for name in (
    "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
    "uint64", "float32", "float64", "complex64", "complex128")}

HELPERS = (_triangle,)
