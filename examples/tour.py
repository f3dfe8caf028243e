"""The first half of the Numba tutorial, with pyjit.

Run: python examples/tour.py
"""
from pyjit import jit


@jit
def add(a, b):
    return a + b


# pyjit compiles add for (int64, int64) on the first call...
print(add(1, 1))

# ...and sees that the types are right: the typed IR beside the source.
add.inspect_types()

# A call with floats compiles a second specialization.
print(add(1., 1.))
add.inspect_types()

# The LLVM IR of each specialization, keyed by signature.
print(list(add.inspect_llvm().keys()))

# And the host assembly: the native function and its CPython wrapper.
for k, v in add.inspect_asm().items():
    print(k, v)
    break
