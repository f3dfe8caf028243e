"""A while loop with break and continue."""
from pyjit import njit


@njit
def first_square_over(limit):
    i = 0
    while True:
        if i * i > limit:
            break
        i += 1
    return i

# >>> ir (int64,)
# label 0
#   limit = arg(0, name=limit)
#   $0.1 = const(int, 0)
#   i = $0.1
#   jump 1
# label 1
#   $1.1 = const(bool, True)
#   branch $1.1, 2, 3
# label 2
#   $2.1 = i * i
#   $2.2 = $2.1 > limit
#   branch $2.2, 5, 6
# label 3
#   jump 4
# label 4
#   $4.1 = cast(value=i)
#   return $4.1
# label 5
#   jump 4
# label 6
#   $6.1 = const(int, 1)
#   $6.2 = inplace_binop(fn=+=, lhs=i, rhs=$6.1)
#   i = $6.2
#   jump 1
# <<<

# >>> typed (int64,)
# label 0
#   limit = arg(0, name=limit)  :: int64
#   $0.1 = const(int, 0)  :: int64
#   i = $0.1  :: int64
#   jump 1
# label 1
#   $1.1 = const(bool, True)  :: bool
#   branch $1.1, 2, 3
# label 2
#   $2.1 = i * i  :: int64
#   $2.2 = $2.1 > limit  :: bool
#   branch $2.2, 5, 6
# label 3
#   jump 4
# label 4
#   $4.1 = cast(value=i)  :: int64
#   return $4.1
# label 5
#   jump 4
# label 6
#   $6.1 = const(int, 1)  :: int64
#   $6.2 = inplace_binop(fn=+=, lhs=i, rhs=$6.1)  :: int64
#   i = $6.2  :: int64
#   jump 1
# <<<

# >>> annotate (int64,)
# first_square_over (int64,)
# --------------------------------------------------------------------------------
# # File: golden/while_break.py
# # --- LINE 5 ---
#
# @njit
#
# # --- LINE 6 ---
#
# def first_square_over(limit):
#
#     # --- LINE 7 ---
#     # label 0
#     #   limit = arg(0, name=limit)  :: int64
#     #   $0.1 = const(int, 0)  :: int64
#     #   i = $0.1  :: int64
#
#     i = 0
#
#     # --- LINE 8 ---
#     #   jump 1
#     # label 1
#     #   $1.1 = const(bool, True)  :: bool
#     #   branch $1.1, 2, 3
#     # label 4
#     #   jump 1
#
#     while True:
#
#         # --- LINE 9 ---
#         # label 2
#         #   $2.1 = i * i  :: int64
#         #   $2.2 = $2.1 > limit  :: bool
#         #   branch $2.2, 5, 6
#         # label 6
#
#         if i * i > limit:
#
#             # --- LINE 10 ---
#             # label 5
#             #   jump 4
#
#             break
#
#         # --- LINE 11 ---
#         #   $6.1 = const(int, 1)  :: int64
#         #   $6.2 = inplace_binop(fn=+=, lhs=i, rhs=$6.1)  :: int64
#         #   i = $6.2  :: int64
#
#         i += 1
#
#     # --- LINE 12 ---
#     #   $4.1 = cast(value=i)  :: int64
#     #   return $4.1
#
#     return i
#
#
# ================================================================================
# <<<


@njit
def count_odd(n):
    i = 0
    c = 0
    while i < n:
        i += 1
        if i % 2 == 0:
            continue
        c += 1
    return c

# >>> typed (int64,)
# label 0
#   n = arg(0, name=n)  :: int64
#   $0.1 = const(int, 0)  :: int64
#   i = $0.1  :: int64
#   $0.2 = const(int, 0)  :: int64
#   c = $0.2  :: int64
#   jump 1
# label 1
#   $1.1 = i < n  :: bool
#   branch $1.1, 2, 3
# label 2
#   $2.1 = const(int, 1)  :: int64
#   $2.2 = inplace_binop(fn=+=, lhs=i, rhs=$2.1)  :: int64
#   i = $2.2  :: int64
#   $2.3 = const(int, 2)  :: int64
#   $2.4 = i % $2.3  :: int64
#   $2.5 = const(int, 0)  :: int64
#   $2.6 = $2.4 == $2.5  :: bool
#   branch $2.6, 5, 6
# label 3
#   jump 4
# label 4
#   $4.1 = cast(value=c)  :: int64
#   return $4.1
# label 5
#   jump 1
# label 6
#   $6.1 = const(int, 1)  :: int64
#   $6.2 = inplace_binop(fn=+=, lhs=c, rhs=$6.1)  :: int64
#   c = $6.2  :: int64
#   jump 1
# <<<
