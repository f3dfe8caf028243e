"""Python's operator module for nopython code, as Numba supports it: each
function is its operator (operator.gt(a, b) is a > b), typed and
compiled as the operator is for the operands' types, arrays included.
The in-place ones (iadd...) update a list or an array in place and
return it, as `a += b` does.  They compile under Python's error model, as
user code does by default: operator.truediv(1.0, 0.0) raises
ZeroDivisionError."""
import operator

ERROR_MODEL = "python"


def add(a, b):
    return a + b


def sub(a, b):
    return a - b


def mul(a, b):
    return a * b


def truediv(a, b):
    return a / b


def floordiv(a, b):
    return a // b


def mod(a, b):
    return a % b


def pow_(a, b):
    return a ** b


def matmul(a, b):
    return a @ b


def lshift(a, b):
    return a << b


def rshift(a, b):
    return a >> b


def and_(a, b):
    return a & b


def or_(a, b):
    return a | b


def xor(a, b):
    return a ^ b


def iadd(a, b):
    a += b
    return a


def isub(a, b):
    a -= b
    return a


def imul(a, b):
    a *= b
    return a


def itruediv(a, b):
    a /= b
    return a


def ifloordiv(a, b):
    a //= b
    return a


def imod(a, b):
    a %= b
    return a


def ipow(a, b):
    a **= b
    return a


def ilshift(a, b):
    a <<= b
    return a


def irshift(a, b):
    a >>= b
    return a


def iand(a, b):
    a &= b
    return a


def ior(a, b):
    a |= b
    return a


def ixor(a, b):
    a ^= b
    return a


def eq(a, b):
    return a == b


def ne(a, b):
    return a != b


def lt(a, b):
    return a < b


def le(a, b):
    return a <= b


def gt(a, b):
    return a > b


def ge(a, b):
    return a >= b


def is_(a, b):
    return a is b


def is_not(a, b):
    return a is not b


def contains(a, b):
    return b in a


def not_(a):
    return not a


def truth(a):
    return True if a else False


def neg(a):
    return -a


def pos(a):
    return +a


def invert(a):
    return ~a


def abs_(a):
    return abs(a)


def getitem(a, b):
    return a[b]


def setitem(a, b, c):
    a[b] = c


def delitem(a, b):
    del a[b]


def concat(a, b):
    return a + b


FUNCTIONS = {
    operator.add: add, operator.sub: sub, operator.mul: mul,
    operator.truediv: truediv, operator.floordiv: floordiv,
    operator.mod: mod, operator.pow: pow_, operator.matmul: matmul,
    operator.lshift: lshift, operator.rshift: rshift,
    operator.and_: and_, operator.or_: or_, operator.xor: xor,
    operator.iadd: iadd, operator.isub: isub, operator.imul: imul,
    operator.itruediv: itruediv, operator.ifloordiv: ifloordiv,
    operator.imod: imod, operator.ipow: ipow, operator.ilshift: ilshift,
    operator.irshift: irshift, operator.iand: iand, operator.ior: ior,
    operator.ixor: ixor,
    operator.eq: eq, operator.ne: ne, operator.lt: lt, operator.le: le,
    operator.gt: gt, operator.ge: ge, operator.is_: is_,
    operator.is_not: is_not, operator.contains: contains,
    operator.not_: not_, operator.truth: truth, operator.neg: neg,
    operator.pos: pos, operator.invert: invert, operator.inv: invert,
    operator.abs: abs_, operator.getitem: getitem,
    operator.setitem: setitem, operator.delitem: delitem,
    operator.concat: concat,
}

METHODS = ()

HELPERS = ()
