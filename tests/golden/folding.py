"""Operators on constants are folded as CPython folds them: the IR holds the
constant (uint64 from 2**63 up), not an int64 computation that wraps; what
would raise (1 // 0) stays an operation."""
from pyjit import njit


@njit
def below_2_63(x):
    return x < 1 << 63, 2 ** 63, -1, 2.0 ** 0.5

# >>> ir (int64,)
# label 0
#   x = arg(0, name=x)
#   $0.1 = const(int, 9223372036854775808)
#   $0.2 = x < $0.1
#   $0.3 = const(int, 9223372036854775808)
#   $0.4 = const(int, -1)
#   $0.5 = const(float, 1.4142135623730951)
#   $0.6 = build_tuple(items=[$0.2, $0.3, $0.4, $0.5])
#   $0.7 = cast(value=$0.6)
#   return $0.7
# <<<

# >>> typed (int64,)
# label 0
#   x = arg(0, name=x)  :: int64
#   $0.1 = const(int, 9223372036854775808)  :: uint64
#   $0.2 = x < $0.1  :: bool
#   $0.3 = const(int, 9223372036854775808)  :: uint64
#   $0.4 = const(int, -1)  :: int64
#   $0.5 = const(float, 1.4142135623730951)  :: float64
#   $0.6 = build_tuple(items=[$0.2, $0.3, $0.4, $0.5])  :: Tuple(bool, uint64, int64, float64)
#   $0.7 = cast(value=$0.6)  :: Tuple(bool, uint64, int64, float64)
#   return $0.7
# <<<


@njit
def not_folded(x):
    return x + 1 // 0

# >>> typed (int64,)
# label 0
#   x = arg(0, name=x)  :: int64
#   $0.1 = const(int, 1)  :: int64
#   $0.2 = const(int, 0)  :: int64
#   $0.3 = $0.1 // $0.2  :: int64
#   $0.4 = x + $0.3  :: int64
#   $0.5 = cast(value=$0.4)  :: int64
#   return $0.5
# <<<
