"""A for loop over range(n) accumulating into an int, then a float."""
from pyjit import njit


@njit
def loop_sum(n):
    s = 0
    for i in range(n):
        s += i
    return s

# >>> ir (int64,)
# label 0
#   n = arg(0, name=n)
#   $0.1 = const(int, 0)
#   s = $0.1
#   $0.2 = global(range: <class 'range'>)
#   $0.3 = call $0.2(n)
#   $0.4 = getiter(value=$0.3)
#   jump 1
# label 1
#   $1.1 = iternext(value=$0.4)
#   $1.2 = pair_second(value=$1.1)
#   branch $1.2, 2, 3
# label 2
#   $2.1 = pair_first(value=$1.1)
#   i = $2.1
#   $2.2 = inplace_binop(fn=+=, lhs=s, rhs=i)
#   s = $2.2
#   jump 1
# label 3
#   jump 4
# label 4
#   $4.1 = cast(value=s)
#   return $4.1
# <<<

# >>> typed (int64,)
# label 0
#   n = arg(0, name=n)  :: int64
#   $0.1 = const(int, 0)  :: int64
#   s = $0.1  :: int64
#   $0.2 = global(range: <class 'range'>)  :: Function(<class 'range'>)
#   $0.3 = call $0.2(n)  :: range_state_int64
#   $0.4 = getiter(value=$0.3)  :: range_iter_int64
#   jump 1
# label 1
#   $1.1 = iternext(value=$0.4)  :: pair<int64, bool>
#   $1.2 = pair_second(value=$1.1)  :: bool
#   branch $1.2, 2, 3
# label 2
#   $2.1 = pair_first(value=$1.1)  :: int64
#   i = $2.1  :: int64
#   $2.2 = inplace_binop(fn=+=, lhs=s, rhs=i)  :: int64
#   s = $2.2  :: int64
#   jump 1
# label 3
#   jump 4
# label 4
#   $4.1 = cast(value=s)  :: int64
#   return $4.1
# <<<

# >>> annotate (int64,)
# loop_sum (int64,)
# --------------------------------------------------------------------------------
# # File: golden/loop_sum.py
# # --- LINE 5 ---
#
# @njit
#
# # --- LINE 6 ---
#
# def loop_sum(n):
#
#     # --- LINE 7 ---
#     # label 0
#     #   n = arg(0, name=n)  :: int64
#     #   $0.1 = const(int, 0)  :: int64
#     #   s = $0.1  :: int64
#
#     s = 0
#
#     # --- LINE 8 ---
#     #   $0.2 = global(range: <class 'range'>)  :: Function(<class 'range'>)
#     #   $0.3 = call $0.2(n)  :: range_state_int64
#     #   $0.4 = getiter(value=$0.3)  :: range_iter_int64
#     #   jump 1
#     # label 1
#     #   $1.1 = iternext(value=$0.4)  :: pair<int64, bool>
#     #   $1.2 = pair_second(value=$1.1)  :: bool
#     #   branch $1.2, 2, 3
#     # label 2
#     #   $2.1 = pair_first(value=$1.1)  :: int64
#     #   i = $2.1  :: int64
#     #   jump 1
#     # label 3
#     #   jump 4
#     # label 4
#
#     for i in range(n):
#
#         # --- LINE 9 ---
#         #   $2.2 = inplace_binop(fn=+=, lhs=s, rhs=i)  :: int64
#         #   s = $2.2  :: int64
#
#         s += i
#
#     # --- LINE 10 ---
#     #   $4.1 = cast(value=s)  :: int64
#     #   return $4.1
#
#     return s
#
#
# ================================================================================
# <<<


@njit
def mean_step(start, stop, step):
    total = 0
    count = 0
    for i in range(start, stop, step):
        total += i * 0.5
        count += 1
    return total / count

# >>> typed (int64, int64, int64)
# label 0
#   start = arg(0, name=start)  :: int64
#   stop = arg(1, name=stop)  :: int64
#   step = arg(2, name=step)  :: int64
#   $0.1 = const(int, 0)  :: int64
#   total = $0.1  :: float64
#   $0.2 = const(int, 0)  :: int64
#   count = $0.2  :: int64
#   $0.3 = global(range: <class 'range'>)  :: Function(<class 'range'>)
#   $0.4 = call $0.3(start, stop, step)  :: range_state_int64
#   $0.5 = getiter(value=$0.4)  :: range_iter_int64
#   jump 1
# label 1
#   $1.1 = iternext(value=$0.5)  :: pair<int64, bool>
#   $1.2 = pair_second(value=$1.1)  :: bool
#   branch $1.2, 2, 3
# label 2
#   $2.1 = pair_first(value=$1.1)  :: int64
#   i = $2.1  :: int64
#   $2.2 = const(float, 0.5)  :: float64
#   $2.3 = i * $2.2  :: float64
#   $2.4 = inplace_binop(fn=+=, lhs=total, rhs=$2.3)  :: float64
#   total = $2.4  :: float64
#   $2.5 = const(int, 1)  :: int64
#   $2.6 = inplace_binop(fn=+=, lhs=count, rhs=$2.5)  :: int64
#   count = $2.6  :: int64
#   jump 1
# label 3
#   jump 4
# label 4
#   $4.1 = total / count  :: float64
#   $4.2 = cast(value=$4.1)  :: float64
#   return $4.2
# <<<
