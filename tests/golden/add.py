"""The seed's `add`: inspect_types() after add(1, 2) then add(1.0, 2.0)."""
from pyjit import jit


@jit
def add(a, b):
    return a + b

# >>> inspect_types add(1, 2); add(1.0, 2.0)
# add (int64, int64)
# --------------------------------------------------------------------------------
# # File: golden/add.py
# # --- LINE 5 ---
#
# @jit
#
# # --- LINE 6 ---
#
# def add(a, b):
#
#     # --- LINE 7 ---
#     # label 0
#     #   a = arg(0, name=a)  :: int64
#     #   b = arg(1, name=b)  :: int64
#     #   $0.1 = a + b  :: int64
#     #   $0.2 = cast(value=$0.1)  :: int64
#     #   return $0.2
#
#     return a + b
#
#
# ================================================================================
# add (float64, float64)
# --------------------------------------------------------------------------------
# # File: golden/add.py
# # --- LINE 5 ---
#
# @jit
#
# # --- LINE 6 ---
#
# def add(a, b):
#
#     # --- LINE 7 ---
#     # label 0
#     #   a = arg(0, name=a)  :: float64
#     #   b = arg(1, name=b)  :: float64
#     #   $0.1 = a + b  :: float64
#     #   $0.2 = cast(value=$0.1)  :: float64
#     #   return $0.2
#
#     return a + b
#
#
# ================================================================================
# <<<

# >>> ir (int64, int64)
# label 0
#   a = arg(0, name=a)
#   b = arg(1, name=b)
#   $0.1 = a + b
#   $0.2 = cast(value=$0.1)
#   return $0.2
# <<<

# >>> typed (int64, int64)
# label 0
#   a = arg(0, name=a)  :: int64
#   b = arg(1, name=b)  :: int64
#   $0.1 = a + b  :: int64
#   $0.2 = cast(value=$0.1)  :: int64
#   return $0.2
# <<<

# >>> typed (float64, float64)
# label 0
#   a = arg(0, name=a)  :: float64
#   b = arg(1, name=b)  :: float64
#   $0.1 = a + b  :: float64
#   $0.2 = cast(value=$0.1)  :: float64
#   return $0.2
# <<<
