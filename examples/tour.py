"""A walk through the Numba tutorial this project starts from, with pyjit.

Run: python examples/tour.py
"""
from pyjit import jit
import pyjit


@jit
def add(a, b):
    return a + b


# pyjit compiles add for (int64, int64) on the first call...
print(add(1, 1))

# ...and infers the types right: the typed IR beside the source.
add.inspect_types()

# A call with floats compiles a second specialization.
print(add(1., 1.))
add.inspect_types()

# The LLVM IR of each specialization, keyed by signature.
print(list(add.inspect_llvm().keys()))

# The host assembly of one: the native function and its CPython wrapper.
for k, v in add.inspect_asm().items():
    print(k, v)
    break


# The caveat: code on Python objects does not compile in nopython mode.
def add_object_n2_times(a, b, n):
    cumsum = 0
    for i in range(n):
        for j in range(n):
            cumsum += a.x + b.x

    return cumsum


class MyInt(object):
    def __init__(self, x):
        self.x = x


a = MyInt(5)
b = MyInt(6)

# Plain @jit falls back to object mode (with a PyjitWarning saying why): the
# function runs on the interpreter, no faster than Python, and every value
# is a pyobject.  Loops that do type would have been lifted out and compiled.
add_object_jit = jit()(add_object_n2_times)
print(add_object_jit(a, b, 500))
add_object_jit.inspect_types()

# Forcing nopython mode turns the fallback into an error that says exactly
# what failed and where; @njit is the same as jit(nopython=True).
add_object_jit = jit(nopython=True)(add_object_n2_times)
try:
    add_object_jit(a, b, 5)
except pyjit.TypingError as e:
    print(f"{type(e).__name__}: {e}")
