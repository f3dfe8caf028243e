"""Building, unpacking, indexing and returning tuples."""
from pyjit import njit


@njit
def swap(a, b):
    t = (a, b)
    x, y = t
    return (y, x), t[0]

# >>> typed (int64, float64)
# label 0
#   a = arg(0, name=a)  :: int64
#   b = arg(1, name=b)  :: float64
#   $0.1 = build_tuple(items=[a, b])  :: Tuple(int64, float64)
#   t = $0.1  :: Tuple(int64, float64)
#   $0.2 = exhaust_iter(value=t, count=2)  :: Tuple(int64, float64)
#   $0.3 = static_getitem(value=$0.2, index=0)  :: int64
#   x = $0.3  :: int64
#   $0.4 = static_getitem(value=$0.2, index=1)  :: float64
#   y = $0.4  :: float64
#   $0.5 = build_tuple(items=[y, x])  :: Tuple(float64, int64)
#   $0.6 = static_getitem(value=t, index=0)  :: int64
#   $0.7 = build_tuple(items=[$0.5, $0.6])  :: Tuple(Tuple(float64, int64), int64)
#   $0.8 = cast(value=$0.7)  :: Tuple(Tuple(float64, int64), int64)
#   return $0.8
# <<<


@njit
def tuple_arg(t):
    a, b = t
    return a * b + len(t)

# >>> ir (UniTuple(int64, 2),)
# label 0
#   t = arg(0, name=t)
#   $0.1 = exhaust_iter(value=t, count=2)
#   $0.2 = static_getitem(value=$0.1, index=0)
#   a = $0.2
#   $0.3 = static_getitem(value=$0.1, index=1)
#   b = $0.3
#   $0.4 = a * b
#   $0.5 = global(len: <built-in function len>)
#   $0.6 = call $0.5(t)
#   $0.7 = $0.4 + $0.6
#   $0.8 = cast(value=$0.7)
#   return $0.8
# <<<

# >>> typed (UniTuple(int64, 2),)
# label 0
#   t = arg(0, name=t)  :: UniTuple(int64 x 2)
#   $0.1 = exhaust_iter(value=t, count=2)  :: UniTuple(int64 x 2)
#   $0.2 = static_getitem(value=$0.1, index=0)  :: int64
#   a = $0.2  :: int64
#   $0.3 = static_getitem(value=$0.1, index=1)  :: int64
#   b = $0.3  :: int64
#   $0.4 = a * b  :: int64
#   $0.5 = global(len: <built-in function len>)  :: Function(<built-in function len>)
#   $0.6 = call $0.5(t)  :: int64
#   $0.7 = $0.4 + $0.6  :: int64
#   $0.8 = cast(value=$0.7)  :: int64
#   return $0.8
# <<<

# >>> annotate (Tuple((int64, float64)),)
# tuple_arg (Tuple(int64, float64),)
# --------------------------------------------------------------------------------
# # File: golden/tuples.py
# # --- LINE 30 ---
#
# @njit
#
# # --- LINE 31 ---
#
# def tuple_arg(t):
#
#     # --- LINE 32 ---
#     # label 0
#     #   t = arg(0, name=t)  :: Tuple(int64, float64)
#     #   $0.1 = exhaust_iter(value=t, count=2)  :: Tuple(int64, float64)
#     #   $0.2 = static_getitem(value=$0.1, index=0)  :: int64
#     #   a = $0.2  :: int64
#     #   $0.3 = static_getitem(value=$0.1, index=1)  :: float64
#     #   b = $0.3  :: float64
#
#     a, b = t
#
#     # --- LINE 33 ---
#     #   $0.4 = a * b  :: float64
#     #   $0.5 = global(len: <built-in function len>)  :: Function(<built-in function len>)
#     #   $0.6 = call $0.5(t)  :: int64
#     #   $0.7 = $0.4 + $0.6  :: float64
#     #   $0.8 = cast(value=$0.7)  :: float64
#     #   return $0.8
#
#     return a * b + len(t)
#
#
# ================================================================================
# <<<
