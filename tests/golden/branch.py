"""if / elif / else, a conditional expression and a unified variable."""
from pyjit import njit


@njit
def sign(x):
    if x < 0:
        y = -1
    elif x == 0:
        y = 0
    else:
        y = 1
    return y

# >>> ir (int64,)
# label 0
#   x = arg(0, name=x)
#   $0.1 = const(int, 0)
#   $0.2 = x < $0.1
#   branch $0.2, 1, 3
# label 1
#   $1.1 = const(int, -1)
#   y = $1.1
#   jump 2
# label 2
#   $2.1 = cast(value=y)
#   return $2.1
# label 3
#   $3.1 = const(int, 0)
#   $3.2 = x == $3.1
#   branch $3.2, 4, 6
# label 4
#   $4.1 = const(int, 0)
#   y = $4.1
#   jump 5
# label 5
#   jump 2
# label 6
#   $6.1 = const(int, 1)
#   y = $6.1
#   jump 5
# <<<

# >>> typed (int64,)
# label 0
#   x = arg(0, name=x)  :: int64
#   $0.1 = const(int, 0)  :: int64
#   $0.2 = x < $0.1  :: bool
#   branch $0.2, 1, 3
# label 1
#   $1.1 = const(int, -1)  :: int64
#   y = $1.1  :: int64
#   jump 2
# label 2
#   $2.1 = cast(value=y)  :: int64
#   return $2.1
# label 3
#   $3.1 = const(int, 0)  :: int64
#   $3.2 = x == $3.1  :: bool
#   branch $3.2, 4, 6
# label 4
#   $4.1 = const(int, 0)  :: int64
#   y = $4.1  :: int64
#   jump 5
# label 5
#   jump 2
# label 6
#   $6.1 = const(int, 1)  :: int64
#   y = $6.1  :: int64
#   jump 5
# <<<

# >>> typed (float64,)
# label 0
#   x = arg(0, name=x)  :: float64
#   $0.1 = const(int, 0)  :: int64
#   $0.2 = x < $0.1  :: bool
#   branch $0.2, 1, 3
# label 1
#   $1.1 = const(int, -1)  :: int64
#   y = $1.1  :: int64
#   jump 2
# label 2
#   $2.1 = cast(value=y)  :: int64
#   return $2.1
# label 3
#   $3.1 = const(int, 0)  :: int64
#   $3.2 = x == $3.1  :: bool
#   branch $3.2, 4, 6
# label 4
#   $4.1 = const(int, 0)  :: int64
#   y = $4.1  :: int64
#   jump 5
# label 5
#   jump 2
# label 6
#   $6.1 = const(int, 1)  :: int64
#   y = $6.1  :: int64
#   jump 5
# <<<


@njit
def clip(x, lo, hi):
    r = x
    if x < lo:
        r = lo
    if x > hi:
        r = hi + 0.5
    return r if r != 0 else -r

# >>> typed (int64, int64, int64)
# label 0
#   x = arg(0, name=x)  :: int64
#   lo = arg(1, name=lo)  :: int64
#   hi = arg(2, name=hi)  :: int64
#   r = x  :: float64
#   $0.1 = x < lo  :: bool
#   branch $0.1, 1, 2
# label 1
#   r = lo  :: float64
#   jump 2
# label 2
#   $2.1 = x > hi  :: bool
#   branch $2.1, 3, 4
# label 3
#   $3.1 = const(float, 0.5)  :: float64
#   $3.2 = hi + $3.1  :: float64
#   r = $3.2  :: float64
#   jump 4
# label 4
#   $4.1 = const(int, 0)  :: int64
#   $4.2 = r != $4.1  :: bool
#   branch $4.2, 5, 6
# label 5
#   $4.3 = r  :: float64
#   jump 7
# label 6
#   $6.1 = unary(fn=-, value=r)  :: float64
#   $4.3 = $6.1  :: float64
#   jump 7
# label 7
#   $7.1 = cast(value=$4.3)  :: float64
#   return $7.1
# <<<

# >>> annotate (int64, int64, int64)
# clip (int64, int64, int64)
# --------------------------------------------------------------------------------
# # File: golden/branch.py
# # --- LINE 103 ---
#
# @njit
#
# # --- LINE 104 ---
#
# def clip(x, lo, hi):
#
#     # --- LINE 105 ---
#     # label 0
#     #   x = arg(0, name=x)  :: int64
#     #   lo = arg(1, name=lo)  :: int64
#     #   hi = arg(2, name=hi)  :: int64
#     #   r = x  :: float64
#
#     r = x
#
#     # --- LINE 106 ---
#     #   $0.1 = x < lo  :: bool
#     #   branch $0.1, 1, 2
#     #   jump 2
#     # label 2
#
#     if x < lo:
#
#         # --- LINE 107 ---
#         # label 1
#         #   r = lo  :: float64
#
#         r = lo
#
#     # --- LINE 108 ---
#     #   $2.1 = x > hi  :: bool
#     #   branch $2.1, 3, 4
#     #   jump 4
#     # label 4
#
#     if x > hi:
#
#         # --- LINE 109 ---
#         # label 3
#         #   $3.1 = const(float, 0.5)  :: float64
#         #   $3.2 = hi + $3.1  :: float64
#         #   r = $3.2  :: float64
#
#         r = hi + 0.5
#
#     # --- LINE 110 ---
#     #   $4.1 = const(int, 0)  :: int64
#     #   $4.2 = r != $4.1  :: bool
#     #   branch $4.2, 5, 6
#     # label 5
#     #   $4.3 = r  :: float64
#     #   jump 7
#     # label 6
#     #   $6.1 = unary(fn=-, value=r)  :: float64
#     #   $4.3 = $6.1  :: float64
#     #   jump 7
#     # label 7
#     #   $7.1 = cast(value=$4.3)  :: float64
#     #   return $7.1
#
#     return r if r != 0 else -r
#
#
# ================================================================================
# <<<
