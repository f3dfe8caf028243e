"""A call to another jitted function, resolved and specialized at compile
time."""
from pyjit import njit


@njit
def square(x):
    return x * x


@njit
def sum_squares(a, b):
    return square(a) + square(b)

# >>> ir (int64, int64)
# label 0
#   a = arg(0, name=a)
#   b = arg(1, name=b)
#   $0.1 = global(square: Dispatcher(<function square>))
#   $0.2 = call $0.1(a)
#   $0.3 = global(square: Dispatcher(<function square>))
#   $0.4 = call $0.3(b)
#   $0.5 = $0.2 + $0.4
#   $0.6 = cast(value=$0.5)
#   return $0.6
# <<<

# >>> typed (int64, int64)
# label 0
#   a = arg(0, name=a)  :: int64
#   b = arg(1, name=b)  :: int64
#   $0.1 = global(square: Dispatcher(<function square>))  :: Dispatcher(square)
#   $0.2 = call $0.1(a)  :: int64
#   $0.3 = global(square: Dispatcher(<function square>))  :: Dispatcher(square)
#   $0.4 = call $0.3(b)  :: int64
#   $0.5 = $0.2 + $0.4  :: int64
#   $0.6 = cast(value=$0.5)  :: int64
#   return $0.6
# <<<

# >>> typed (float64, int64)
# label 0
#   a = arg(0, name=a)  :: float64
#   b = arg(1, name=b)  :: int64
#   $0.1 = global(square: Dispatcher(<function square>))  :: Dispatcher(square)
#   $0.2 = call $0.1(a)  :: float64
#   $0.3 = global(square: Dispatcher(<function square>))  :: Dispatcher(square)
#   $0.4 = call $0.3(b)  :: int64
#   $0.5 = $0.2 + $0.4  :: float64
#   $0.6 = cast(value=$0.5)  :: float64
#   return $0.6
# <<<

# >>> annotate (int64, int64)
# sum_squares (int64, int64)
# --------------------------------------------------------------------------------
# # File: golden/calls.py
# # --- LINE 11 ---
#
# @njit
#
# # --- LINE 12 ---
#
# def sum_squares(a, b):
#
#     # --- LINE 13 ---
#     # label 0
#     #   a = arg(0, name=a)  :: int64
#     #   b = arg(1, name=b)  :: int64
#     #   $0.1 = global(square: Dispatcher(<function square>))  :: Dispatcher(square)
#     #   $0.2 = call $0.1(a)  :: int64
#     #   $0.3 = global(square: Dispatcher(<function square>))  :: Dispatcher(square)
#     #   $0.4 = call $0.3(b)  :: int64
#     #   $0.5 = $0.2 + $0.4  :: int64
#     #   $0.6 = cast(value=$0.5)  :: int64
#     #   return $0.6
#
#     return square(a) + square(b)
#
#
# ================================================================================
# <<<
