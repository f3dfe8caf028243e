"""Random-program differential fuzzer for the scalar nopython language.

Hypothesis generates small random functions (1-3 int/float parameters, locals, arithmetic,
bitwise ops, comparisons, and/or, conditional expressions, if/elif/else, bounded for and
while loops with break/continue/else, tuples, math calls, early returns).  Each batch of
functions is written to a real .py file (pyjit compiles from source), imported with
importlib and decorated with ``@njit`` there.

Every function is rendered twice from the same generated tree:

* the *plain* text, which is the jitted function (its ``py_func`` is ordinary Python);
* a *model* text, run by CPython, where each int-typed operation is reduced to int64
  (``_I``), each float-typed one converted to float (``_F``, which is what a variable
  holding int and float in different paths becomes in pyjit), and the few operations whose
  documented pyjit semantics differ from CPython's (``int ** negative int``, int/int true
  division, int/float comparisons, math domain errors giving nan/inf, float ``**``
  overflowing to inf) go through helpers.

Where a signed `+ - *` overflowed in the model, the outcome is left open (as in Numba,
LLVM may compute what follows as if it had not overflowed); so it is where copysign read
the sign of a nan (IEEE 754 leaves the sign of a nan that arithmetic makes open, and
LLVM may turn `a + -b` into `a - b`, which keeps a nan b's sign).  The compiled run must
still finish without a crash or an exception the model could not raise.  Otherwise the
compiled result must equal the model exactly (same type; floats bit-for-bit up to nan,
signed zeros included; the same exception class).  When the model run recorded no event
where pyjit's semantics differ from CPython's (no int64 wraparound, no math domain error,
no int beyond 2**53 turned into a float...), the compiled result must also agree
numerically with the plain Python function.  A TypingError / UnsupportedError /
LoweringError for a generated program is a failure too: everything generated is inside
the documented language.

The default suite runs a fixed slice (the same 700 examples every time; PYJIT_FUZZ_EXAMPLES
changes the count).  `make fuzz` runs this file as a script for a long job with fresh seeds:
rounds of FUZZ_ROUND examples, each from a new seed in a process of its own, for FUZZ_MINUTES
minutes or FUZZ_EXAMPLES examples.  A round that fails (a mismatch, a crash, a hang) is
reported with its seed, its output (the shrunk program and arguments) and the command that
replays it: `make fuzz FUZZ_SEED=<seed> FUZZ_ROUND=<n>`.
"""
import argparse
import ast
import atexit
import ctypes
import ctypes.util
import importlib.util
import itertools
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

import hypothesis
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

import pyjit
from pyjit import njit

INT64_MIN = -(2 ** 63)
INT64_MAX = 2 ** 63 - 1

MAX_EXAMPLES = int(os.environ.get("PYJIT_FUZZ_EXAMPLES", "700"))
FUZZ_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=os.environ.get("PYJIT_FUZZ_RANDOM", "") == "",
    suppress_health_check=list(HealthCheck),
    print_blob=True,
)

# ---------------------------------------------------------------------------------------
# The model: CPython with pyjit's documented semantics.

_EVENTS = set()


def _I(v):
    """An int64-typed result: int64 wraparound (bool becomes int, as int64 unifies it)."""
    v = int(v)
    w = ((v - INT64_MIN) & 0xFFFFFFFFFFFFFFFF) + INT64_MIN
    if w != v:
        _EVENTS.add("wrap")
    return w


def _S(v):
    """An int64 `+ - *` result.  As in Numba, LLVM is told that these do not overflow:
    one that does gives the wrapped value, but what is derived from it (a comparison, a
    remainder) may be computed as if it had not overflowed, so the program's outcome is
    then not the model's to decide."""
    w = _I(v)
    if w != v:
        _EVENTS.add("overflow")
    return w


def _F(v):
    """A float64-typed result: ints (from paths where Python kept an int) become floats."""
    if type(v) is not float:
        if abs(v) > 2 ** 53:
            _EVENTS.add("bigint")
        v = float(v)
    if not math.isnan(v) and abs(v) > 2 ** 53:
        _EVENTS.add("bigfloat")  # plain Python may hold an exact int here
    return v


def _tdiv(a, b):
    """int64 / int64: both converted to float64, then divided."""
    if b == 0:
        raise ZeroDivisionError("division by zero")
    if abs(a) > 2 ** 53 or abs(b) > 2 ** 53:
        _EVENTS.add("bigint")
    return _F(float(a) / float(b))


def _ipow(a, k):
    """int64 ** int64 is int64 (Numba): 2 ** -1 == 0, 0 ** -1 raises."""
    if k < 0:
        _EVENTS.add("negpow")
        if a == 0:
            raise ZeroDivisionError("0 cannot be raised to a negative power")
        if a == 1:
            return 1
        if a == -1:
            return -1 if k & 1 else 1
        return 0
    return _I(a ** k)


def _fpow(a, k):
    """float64 ** small int: overflow gives inf where CPython raises OverflowError."""
    a = _F(a)
    try:
        return _F(a ** k)
    except OverflowError:
        _EVENTS.add("overflow")
        with np.errstate(all="ignore"):
            return float(np.power(a, float(k)))


_LIBM = ctypes.CDLL(ctypes.util.find_library("m"))
for _name in ("sqrt", "exp", "log", "sin", "cos", "tan", "atan", "tanh", "sinh", "cosh",
              "log1p", "expm1", "fabs", "asinh", "hypot", "atan2", "copysign"):
    _fn = getattr(_LIBM, _name)
    _fn.restype = ctypes.c_double
    _fn.argtypes = ([ctypes.c_double, ctypes.c_double]
                    if _name in ("hypot", "atan2", "copysign") else [ctypes.c_double])


def _M(name, *args):
    """math.<name> as compiled code computes it: the C library's function, so nan/inf
    where CPython raises ValueError/OverflowError (and CPython's own hypot, which is
    not libm's, may differ in the last bit)."""
    args = [_F(a) for a in args]
    if name == "copysign" and math.isnan(args[1]):
        _EVENTS.add("nansign")
    r = getattr(_LIBM, name)(*args)
    try:
        p = getattr(math, name)(*args)
        if not (p == r or (math.isnan(p) and math.isnan(r))):
            _EVENTS.add("libm")
    except (ValueError, OverflowError):
        _EVENTS.add("domain")
    return _F(r)


def _toint(fn, x):
    """math.floor/ceil/trunc of a float64 give int64.  On NaN and infinities pyjit raises
    ValueError/OverflowError as CPython does (the README says they saturate; the
    implementation raises, and this model follows the implementation)."""
    x = _F(x)
    return _I(fn(x))


def _cmp(op, a, b):
    """A comparison mixing int64 and float64 converts the int to float64."""
    if type(a) is int and abs(a) > 2 ** 53 or type(b) is int and abs(b) > 2 ** 53:
        _EVENTS.add("bigint")
    a, b = float(a), float(b)
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b, "==": a == b,
            "!=": a != b}[op]


def _minmax(fn, *args):
    """min/max of mixed int/float arguments: all converted to float64 first."""
    return _F(fn(*[_F(a) for a in args]))


MODEL_GLOBALS = {"math": math, "_I": _I, "_S": _S, "_F": _F, "_tdiv": _tdiv, "_ipow": _ipow,
                 "_fpow": _fpow, "_M": _M, "_toint": _toint, "_cmp": _cmp,
                 "_minmax": _minmax}

# ---------------------------------------------------------------------------------------
# The generator.  An expression is (plain_text, model_text, type) with type one of
# "i" (int64), "f" (float64), "b" (bool).  Statements are (indent, plain, model) lines.

I, F, B = "i", "f", "b"

# A variable in an expression's text: an expression without one may be decided at compile
# time (constant folding, branch pruning).
VARIABLE = re.compile(r"\b([abc]|[xitw][0-9]+)\b")

INT_LITS = [0, 1, 2, 3, -1, 5, -3, 7, 10, -10, 100, 1000, -1000, 255, 2 ** 31, 2 ** 40,
            2 ** 62, INT64_MAX, INT64_MIN + 1]
FLOAT_LITS = [0.0, 1.0, 0.5, -1.5, 2.0, -0.0, 3.25, 10.0, 1e-3, -7.75, 1e10, 1e300, 0.1]
MATH1 = ["sqrt_abs", "sin", "cos", "exp_min", "log_abs", "atan", "tanh", "fabs",
         "log1p_abs", "expm1_min", "sinh_min", "asinh", "tan", "sqrt"]
MATH2 = ["hypot", "atan2", "copysign"]


def lit(v):
    if isinstance(v, float):
        if math.isinf(v):
            t = "math.inf" if v > 0 else "(-math.inf)"
        elif math.isnan(v):
            t = "math.nan"
        else:
            t = repr(v)
            if v < 0 or t.startswith("-"):
                t = "(" + t + ")"
        return t
    return f"({v})" if v < 0 else str(v)


def _folds(text):
    """Whether CPython folds the expression into a constant (an operator on constants,
    nested) when it compiles it, as pyjit does: the folded value is Python's exact one,
    which the model's int64 arithmetic does not compute."""
    def const(n):
        if isinstance(n, ast.UnaryOp):
            return const(n.operand)
        if isinstance(n, ast.BinOp):
            return const(n.left) and const(n.right)
        return isinstance(n, ast.Constant)
    return const(ast.parse(text, mode="eval").body)


class Gen:
    def __init__(self, draw, budget):
        self.draw = draw
        self.budget = budget  # limits the number of statements
        self.vars = {}  # assignable variables -> type (params and locals)
        self.ro = {}  # read-only variables in scope (loop variables, counters) -> type
        self.tuples = {}  # tuple variables -> tuple of element types
        self.counter = itertools.count()

    # -- helpers ------------------------------------------------------------------------
    def choice(self, options):
        return self.draw(st.sampled_from(options))

    def chance(self, n):
        """True with probability about 1/n."""
        return self.draw(st.integers(0, n - 1)) == 0

    def readable(self, t):
        names = [v for v, vt in self.vars.items() if vt == t]
        names += [v for v, vt in self.ro.items() if vt == t]
        return sorted(names)

    # -- expressions --------------------------------------------------------------------
    def leaf(self, t):
        names = self.readable(t)
        if t == B:
            if names and not self.chance(3):
                v = self.choice(names)
                return v, v, B
            if self.chance(3):
                v = self.choice(["True", "False"])
                return v, v, B
            a = self.leaf(self.choice([I, F]))
            b = self.leaf(a[2])
            return self.compare(a, b, self.choice(["<", ">", "==", "!=", "<=", ">="]))
        if names and not self.chance(3):
            v = self.choice(names)
            return v, v, t
        if t == I:
            v = lit(self.choice(INT_LITS))
        else:
            v = lit(self.choice(FLOAT_LITS))
        return v, v, t

    def expr(self, t, depth):
        if depth <= 0 or self.chance(3):
            return self.leaf(t)
        kind = self.choice(KINDS[t])
        return getattr(self, "e_" + kind)(t, depth - 1)

    def num(self, depth):
        return self.expr(self.choice([I, F]), depth)

    def opnd(self, t, depth):
        """An operand of an operator.  A constant one goes through a conversion call,
        which CPython does not fold, so that no operator is computed on constants only:
        those are folded (tests/test_adversarial_semantics.py tests that)."""
        e = self.expr(t, depth)
        if not _folds(e[0]):
            return e
        conv = {I: "int", F: "float", B: "bool"}[e[2]]
        return f"{conv}({e[0]})", f"{conv}({e[1]})", e[2]

    # int or float operands; at least one float when t == F
    def operands(self, t, depth):
        if t == I:
            return self.opnd(I, depth), self.opnd(I, depth)
        ta, tb = self.choice([(F, F), (I, F), (F, I)])
        # the int operand is converted to float64 first (as pyjit does; _F notes an int
        # beyond 2**53, where plain Python's exact mixed arithmetic differs)
        return tuple((e[0], self.conv(e, F), F)
                     for e in (self.opnd(ta, depth), self.opnd(tb, depth)))

    def conv(self, e, t):
        """Model text of e converted to the type t (a unified variable or return)."""
        if t == F:
            return e[1] if e[2] == F else f"_F({e[1]})"
        if t == I:
            return e[1] if e[2] == I else f"_I({e[1]})"
        return e[1]

    def e_arith(self, t, d):
        a, b = self.operands(t, d)
        op = self.choice(["+", "-", "*"])
        w = "_S" if t == I else "_F"
        return f"({a[0]} {op} {b[0]})", f"{w}({a[1]} {op} {b[1]})", t

    def e_div(self, t, d):
        a, b = self.operands(t, d)
        op = self.choice(["//", "%"])
        w = "_I" if t == I else "_F"
        return f"({a[0]} {op} {b[0]})", f"{w}({a[1]} {op} {b[1]})", t

    def e_truediv(self, t, d):
        ta, tb = self.choice([(I, I), (F, F), (I, F), (F, I)])
        a, b = self.opnd(ta, d), self.opnd(tb, d)
        if ta == tb == I:
            return f"({a[0]} / {b[0]})", f"_tdiv({a[1]}, {b[1]})", F
        return f"({a[0]} / {b[0]})", f"_F({self.conv(a, F)} / {self.conv(b, F)})", F

    def e_pow(self, t, d):
        a = self.opnd(t, d)
        if t == I:
            k = self.choice([2, 0, 1, 3, 4, -1, -2])
            return f"({a[0]} ** {lit(k)})", f"_ipow({a[1]}, {k})", I
        k = self.choice([2, 0, 1, 3])
        return f"({a[0]} ** {k})", f"_fpow({a[1]}, {k})", F

    def e_neg(self, t, d):
        a = self.opnd(t, d)
        w = "_I" if t == I else "_F"
        return f"(-{a[0]})", f"{w}(-{a[1]})", t

    def e_abs(self, t, d):
        a = self.expr(t, d)
        w = "_I" if t == I else "_F"
        return f"abs({a[0]})", f"{w}(abs({a[1]}))", t

    def e_inv(self, t, d):
        a = self.opnd(I, d)
        return f"(~{a[0]})", f"_I(~{a[1]})", I

    def e_bit(self, t, d):
        a, b = self.opnd(I, d), self.opnd(I, d)
        op = self.choice(["&", "|", "^"])
        return f"({a[0]} {op} {b[0]})", f"_I({a[1]} {op} {b[1]})", I

    def e_shift(self, t, d):
        a = self.opnd(I, d)
        op = self.choice(["<<", ">>"])
        if self.chance(2):
            k = str(self.choice([1, 0, 2, 3, 7, 31, 32, 62, 63]))
            km = k
        else:
            c = self.opnd(I, d)
            mask = self.choice([7, 31, 63])
            k = f"({c[0]} & {mask})"
            km = f"_I({c[1]} & {mask})"
        return f"({a[0]} {op} {k})", f"_I({a[1]} {op} {km})", I

    def e_minmax(self, t, d):
        fn = self.choice(["min", "max"])
        n = self.choice([2, 3])
        if t == I:
            args = [self.expr(I, d) for _ in range(n)]
            return (f"{fn}({', '.join(a[0] for a in args)})",
                    f"_I({fn}({', '.join(a[1] for a in args)}))", I)
        args = [self.num(d) for _ in range(n - 1)] + [self.expr(F, d)]
        return (f"{fn}({', '.join(a[0] for a in args)})",
                f"_minmax({fn}, {', '.join(a[1] for a in args)})", F)

    def e_ifexp(self, t, d):
        c = self.cond(d)
        if t == F:
            ta, tb = self.choice([(F, F), (I, F), (F, I)])
        else:
            ta = tb = t
        a, b = self.expr(ta, d), self.expr(tb, d)
        return (f"({a[0]} if {c[0]} else {b[0]})",
                f"({self.conv(a, t)} if {c[1]} else {self.conv(b, t)})", t)

    def e_andor(self, t, d):
        if t == F:
            ta, tb = self.choice([(F, F), (I, F), (F, I)])
        else:
            ta = tb = t
        a, b = self.expr(ta, d), self.expr(tb, d)
        if ta != tb and not VARIABLE.search(a[0]):
            # `0 and 0.0` is decided at compile time (as in Numba): its type is that of
            # the operand it gives, not the float64 an int/float pair unifies to
            a, b = self.expr(F, d), self.expr(F, d)
        op = self.choice(["and", "or"])
        if t == B:
            return f"({a[0]} {op} {b[0]})", f"({a[1]} {op} {b[1]})", B
        w = "_I" if t == I else "_F"
        return f"({a[0]} {op} {b[0]})", f"{w}({a[1]} {op} {b[1]})", t

    def e_clampint(self, t, d):
        a = self.expr(F, d)
        fn = self.choice(self.CLAMP_FNS)
        lim = self.choice(["1e15", "1e6"])
        p = f"{fn}(max(min({a[0]}, {lim}), -{lim}))"
        inner = f"_minmax(max, _minmax(min, {a[1]}, {lim}), -{lim})"
        if fn in ("int", "round"):
            return p, f"_I({fn}({inner}))", I
        return p, f"_toint({fn}, {inner})", I

    CLAMP_FNS = ["int", "round", "math.floor", "math.ceil", "math.trunc"]

    def e_boolarith(self, t, d):
        c = self.opnd(B, d)
        a = self.opnd(I, d)
        op = self.choice(["+", "-", "*"])
        return f"({c[0]} {op} {a[0]})", f"_S({c[1]} {op} {a[1]})", I

    def e_tidx(self, t, d):
        cands = [(n, k) for n, ts in sorted(self.tuples.items()) for k, et in enumerate(ts)
                 if et == t]
        if not cands:
            return self.leaf(t)
        n, k = self.choice(cands)
        ts = self.tuples[n]
        if all(et == t for et in ts) and self.chance(2):
            i = self.opnd(I, d)
            return (f"{n}[{i[0]} % {len(ts)}]", f"{n}[_I({i[1]} % {len(ts)})]", t)
        if self.chance(4):
            k -= len(ts)
        return f"{n}[{k}]", f"{n}[{k}]", t

    def e_tminmax(self, t, d):
        homo = [n for n, ts in sorted(self.tuples.items()) if set(ts) == {t}]
        if not homo:
            return self.e_minmax(t, d)
        n = self.choice(homo)
        fn = self.choice(["min", "max"])
        return f"{fn}({n})", f"{fn}({n})", t

    def e_pos(self, t, d):
        a = self.opnd(t, d)
        return f"(+{a[0]})", f"(+{a[1]})", t

    def e_len(self, t, d):
        if not self.tuples:
            return self.leaf(I)
        n = self.choice(sorted(self.tuples))
        return f"len({n})", f"len({n})", I

    def e_fconv(self, t, d):
        a = self.expr(I, d)
        return f"float({a[0]})", f"_F(float({a[1]}))", F

    def e_const(self, t, d):
        v = self.choice(["math.pi", "math.e", "math.tau"])
        return v, v, F

    def e_math1(self, t, d):
        a = self.num(d)
        fn = self.choice(MATH1)
        if fn.endswith("_abs"):
            base = fn[:-4]
            extra = " + 1.0" if base in ("log", "log1p") and self.chance(2) else ""
            w = "_I" if a[2] == I else "_F"  # abs(INT64_MIN) wraps around
            return (f"math.{base}(abs({a[0]}){extra})",
                    f"_M('{base}', {w}(abs({a[1]})){extra})", F)
        if fn.endswith("_min"):
            base = fn[:-4]
            return (f"math.{base}(min({a[0]}, 50.0))",
                    f"_M('{base}', _minmax(min, {a[1]}, 50.0))", F)
        return f"math.{fn}({a[0]})", f"_M('{fn}', {a[1]})", F

    def e_math2(self, t, d):
        a, b = self.num(d), self.num(d)
        fn = self.choice(MATH2)
        return f"math.{fn}({a[0]}, {b[0]})", f"_M('{fn}', {a[1]}, {b[1]})", F

    # bool expressions
    def compare(self, a, b, op):
        if a[2] != b[2]:
            return f"({a[0]} {op} {b[0]})", f"_cmp('{op}', {a[1]}, {b[1]})", B
        return f"({a[0]} {op} {b[0]})", f"({a[1]} {op} {b[1]})", B

    def e_cmp(self, t, d):
        a = self.num(d)
        b = self.expr(self.choice([a[2], I, F]), d)
        return self.compare(a, b, self.choice(["<", ">", "==", "!=", "<=", ">="]))

    def e_chain(self, t, d):
        tt = self.choice([I, F])
        a, b, c = (self.expr(tt, d) for _ in range(3))
        o1, o2 = self.choice(["<", "<="]), self.choice(["<", "<=", "!="])
        return (f"({a[0]} {o1} {b[0]} {o2} {c[0]})", f"({a[1]} {o1} {b[1]} {o2} {c[1]})", B)

    def e_not(self, t, d):
        a = self.opnd(self.choice([B, I, F]), d)
        return f"(not {a[0]})", f"(not {a[1]})", B

    def e_bool(self, t, d):
        a = self.num(d)
        return f"bool({a[0]})", f"bool({a[1]})", B

    def e_isx(self, t, d):
        a = self.expr(F, d)
        fn = self.choice(["isnan", "isinf", "isfinite"])
        return f"math.{fn}({a[0]})", f"math.{fn}({a[1]})", B

    def cond(self, d):
        """A condition: usually a bool, sometimes an int or float (truthiness).  Never a
        bare literal: pyjit (as Numba) prunes branches on constant conditions, which
        changes the unified types of variables and returns."""
        c = self.num(d) if self.chance(5) else self.expr(B, d)
        if not VARIABLE.search(c[0]):
            v = self.choice(sorted(self.vars))
            t = self.vars[v]
            c = self.compare((v, v, t), self.leaf(t), self.choice(["<", ">", "!="]))
        return c

    # -- statements ---------------------------------------------------------------------
    def value_for(self, t, d):
        """An expression assignable to a variable or returned as type t (unification)."""
        if t == F and self.chance(3):
            return self.expr(I, d)
        if t == I and self.chance(8):
            return self.expr(B, d)
        return self.expr(t, d)

    def block(self, ind, depth, loop, ret):
        out = []
        n = self.draw(st.integers(1, 4))
        for _ in range(n):
            if self.budget <= 0:
                break
            self.budget -= 1
            out += self.stmt(ind, depth, loop, ret)
        if not out:
            out.append((ind, "pass", "pass"))
        return out

    def stmt(self, ind, depth, loop, ret):
        kinds = ["assign", "aug", "assign", "if", "ret"]
        if depth > 0:
            kinds += ["for", "while", "if"]
        if self.tuples:
            kinds += ["tuple", "unpack"]
        if loop:
            kinds += ["break", "continue"]
        kinds += ["swap"]
        kind = self.choice(kinds)
        return getattr(self, "s_" + kind)(ind, depth, loop, ret)

    def s_assign(self, ind, depth, loop, ret):
        v = self.choice(sorted(self.vars))
        t = self.vars[v]
        e = self.value_for(t, 2)
        assign = f"{v} = {e[0]}", f"{v} = {self.conv(e, t)}"
        if e[2] == t:
            return [(ind, *assign)]
        # A value of a narrower type (an int for a float variable, a bool for an int
        # one) unifies with the variable's other values only where they meet: here the
        # read after the `if`, which the value before it also reaches.  Read only before
        # the next assignment, it would be a variable of its own type (as in Numba).
        c = self.cond(2)
        return ([(ind, f"if {c[0]}:", f"if {c[1]}:"), (ind + 1, *assign)]
                + self.s_aug(ind, depth, loop, ret, v))

    def s_aug(self, ind, depth, loop, ret, v=None):
        v = v or self.choice(sorted(self.vars))
        t = self.vars[v]
        if t == B:
            return [(ind, f"{v} = not {v}", f"{v} = not {v}")]
        if t == I:
            op = self.choice(["+", "-", "*", "//", "%", "&", "|", "^", "<<", ">>"])
            if op in ("<<", ">>"):
                k = self.choice([1, 2, 3, 5])
                return [(ind, f"{v} {op}= {k}", f"{v} = _I({v} {op} {k})")]
            e = self.expr(I, 2)
            w = "_S" if op in ("+", "-", "*") else "_I"
            return [(ind, f"{v} {op}= {e[0]}", f"{v} = {w}({v} {op} {e[1]})")]
        op = self.choice(["+", "-", "*", "/", "//", "%"])
        e = self.num(2)
        return [(ind, f"{v} {op}= {e[0]}", f"{v} = _F({v} {op} {e[1]})")]

    def s_swap(self, ind, depth, loop, ret):
        by_t = {}
        for v, t in sorted(self.vars.items()):
            by_t.setdefault(t, []).append(v)
        pairs = [vs for vs in by_t.values() if len(vs) >= 2]
        if not pairs:
            return self.s_assign(ind, depth, loop, ret)
        vs = self.choice(pairs)
        a = self.choice(vs)
        b = self.choice([v for v in vs if v != a])
        return [(ind, f"{a}, {b} = {b}, {a}", f"{a}, {b} = {b}, {a}")]

    def s_tuple(self, ind, depth, loop, ret):
        n = self.choice(sorted(self.tuples))
        es = [self.expr(t, 2) for t in self.tuples[n]]
        p = f"{n} = ({', '.join(e[0] for e in es)},)"
        m = f"{n} = ({', '.join(e[1] for e in es)},)"
        return [(ind, p, m)]

    def s_unpack(self, ind, depth, loop, ret):
        n = self.choice(sorted(self.tuples))
        ts = self.tuples[n]
        targets = []
        for t in ts:
            cands = [v for v, vt in sorted(self.vars.items())
                     if vt == t and v not in targets]
            if not cands:
                return self.s_assign(ind, depth, loop, ret)
            targets.append(self.choice(cands))
        p = f"{', '.join(targets)} = {n}"
        m = (f"{', '.join(targets)} = "
             + ", ".join(self.conv((None, f"{n}[{k}]", t), self.vars[v])
                         for k, (v, t) in enumerate(zip(targets, ts))))
        return [(ind, p, m)]

    def s_if(self, ind, depth, loop, ret):
        c = self.cond(2)
        out = [(ind, f"if {c[0]}:", f"if {c[1]}:")]
        out += self.block(ind + 1, depth - 1, loop, ret)
        while self.chance(3):
            c = self.cond(2)
            out.append((ind, f"elif {c[0]}:", f"elif {c[1]}:"))
            out += self.block(ind + 1, depth - 1, loop, ret)
        if self.chance(2):
            out.append((ind, "else:", "else:"))
            out += self.block(ind + 1, depth - 1, loop, ret)
        return out

    def range_args(self):
        kind = self.choice(["lit", "clamp", "startstop", "step"])
        if kind == "lit":
            v = str(self.draw(st.integers(0, 8)))
            return v, v
        if kind == "clamp":
            e = self.expr(I, 1)
            k = self.draw(st.integers(1, 12))
            return f"min(abs({e[0]}), {k})", f"_I(min(_I(abs({e[1]})), {k}))"
        a, b = self.expr(I, 1), self.expr(I, 1)
        pa = f"max(-8, min({a[0]}, 8))"
        ma = f"max(-8, _I(min({a[1]}, 8)))"
        pb = f"max(-8, min({b[0]}, 8))"
        mb = f"max(-8, _I(min({b[1]}, 8)))"
        if kind == "startstop":
            return f"{pa}, {pb}", f"{ma}, {mb}"
        s = self.choice([2, -1, 3, -2, 1])
        return f"{pa}, {pb}, {lit(s)}", f"{ma}, {mb}, {s}"

    def loop_else(self, ind, depth, ret):
        if self.chance(5):
            return [(ind, "else:", "else:")] + self.block(ind + 1, depth - 1, False, ret)
        return []

    def s_for(self, ind, depth, loop, ret):
        iv = f"i{next(self.counter)}"
        homo = [n for n, ts in sorted(self.tuples.items()) if len(set(ts)) == 1]
        if homo and self.chance(4):
            n = self.choice(homo)
            t = self.tuples[n][0]
            head = (ind, f"for {iv} in {n}:", f"for {iv} in {n}:")
        else:
            t = I
            p, m = self.range_args()
            head = (ind, f"for {iv} in range({p}):", f"for {iv} in range({m}):")
        self.ro[iv] = t
        body = self.block(ind + 1, depth - 1, True, ret)
        del self.ro[iv]
        return [head] + body + self.loop_else(ind, depth, ret)

    def s_while(self, ind, depth, loop, ret):
        w = f"w{next(self.counter)}"
        n = self.draw(st.integers(0, 10))
        self.ro[w] = I
        out = [(ind, f"{w} = 0", f"{w} = 0")]
        if self.chance(3):
            out += [(ind, "while True:", "while True:"),
                    (ind + 1, f"{w} += 1", f"{w} += 1"),
                    (ind + 1, f"if {w} > {n}:", f"if {w} > {n}:"),
                    (ind + 2, "break", "break")]
            body = self.block(ind + 1, depth - 1, True, ret)
            del self.ro[w]
            return out + body
        c = self.cond(1)
        out += [(ind, f"while {w} < {n} and {c[0]}:", f"while {w} < {n} and {c[1]}:"),
                (ind + 1, f"{w} += 1", f"{w} += 1")]
        body = self.block(ind + 1, depth - 1, True, ret)
        del self.ro[w]
        return out + body + self.loop_else(ind, depth, ret)

    def s_break(self, ind, depth, loop, ret):
        word = "break"
        if self.chance(2):
            return [(ind, word, word)]
        c = self.cond(1)
        return [(ind, f"if {c[0]}:", f"if {c[1]}:"), (ind + 1, word, word)]

    def s_continue(self, ind, depth, loop, ret):
        c = self.cond(1)
        return [(ind, f"if {c[0]}:", f"if {c[1]}:"), (ind + 1, "continue", "continue")]

    def ret_value(self, ret, exact=False):
        if isinstance(ret, tuple):
            if not exact and self.chance(3):
                same = [n for n, ts in sorted(self.tuples.items()) if ts == ret]
                if same:
                    n = self.choice(same)
                    return n, n
            es = [self.expr(t, 2) for t in ret]
            return (f"({', '.join(e[0] for e in es)},)",
                    f"({', '.join(e[1] for e in es)},)")
        e = self.expr(ret, 3) if exact else self.value_for(ret, 3)
        return e[0], self.conv(e, ret)

    def s_ret(self, ind, depth, loop, ret):
        c = self.cond(2)
        p, m = self.ret_value(ret)
        return [(ind, f"if {c[0]}:", f"if {c[1]}:"),
                (ind + 1, f"return {p}", f"return {m}")]


KINDS = {
    I: ["arith", "arith", "div", "pow", "neg", "abs", "inv", "bit", "shift", "minmax",
        "ifexp", "andor", "clampint", "boolarith", "tidx", "len", "tminmax", "pos"],
    F: ["arith", "arith", "truediv", "div", "pow", "neg", "abs", "minmax", "ifexp",
        "andor", "fconv", "const", "math1", "math1", "math2", "tidx", "tminmax", "pos"],
    B: ["cmp", "cmp", "chain", "not", "andor", "bool", "isx"],
}

special_ints = st.sampled_from([0, 1, -1, 2, INT64_MAX, INT64_MIN, INT64_MIN + 1,
                                2 ** 31, -(2 ** 31), 2 ** 53 + 1, 3 ** 39])
arg_ints = st.one_of(st.integers(-12, 12), st.integers(-10 ** 6, 10 ** 6), special_ints)
arg_floats = st.one_of(
    st.sampled_from([0.0, -0.0, 1.0, -1.0, 0.5, 2.5, -3.0, 7.0, 1e300, -1e-300,
                     math.inf, -math.inf, math.nan, 2.0 ** 53]),
    st.floats(-100, 100),
    st.floats(allow_nan=True, allow_infinity=True),
)


@st.composite
def programs(draw, name="f"):
    """A generated function: (name, plain source, model source, argument tuples)."""
    g = Gen(draw, budget=draw(st.integers(3, 20)))
    nparams = draw(st.integers(1, 3))
    params = ["a", "b", "c"][:nparams]
    ptypes = [draw(st.sampled_from([I, F])) for _ in params]
    for p, t in zip(params, ptypes):
        g.vars[p] = t
    lines = []
    # locals, each initialized from the parameters and earlier locals
    for k in range(draw(st.integers(0, 4))):
        v = f"x{k}"
        t = draw(st.sampled_from([I, F, B]))
        e = g.expr(t, 2)  # exact type: fixes the variable's type
        lines.append((1, f"{v} = {e[0]}", f"{v} = {e[1]}"))
        g.vars[v] = t
    for k in range(draw(st.integers(0, 1))):
        n = f"t{k}"
        ts = tuple(draw(st.lists(st.sampled_from([I, F]), min_size=2, max_size=3)))
        es = [g.expr(t, 1) for t in ts]
        lines.append((1, f"{n} = ({', '.join(e[0] for e in es)},)",
                      f"{n} = ({', '.join(e[1] for e in es)},)"))
        g.tuples[n] = ts
    ret = draw(st.sampled_from([I, F, B, "tuple"]))
    if ret == "tuple":
        if g.tuples and draw(st.booleans()):
            ret = g.tuples["t0"]
        else:
            ret = tuple(draw(st.lists(st.sampled_from([I, F]), min_size=2, max_size=3)))
    lines += g.block(1, 3, False, ret)
    p, m = g.ret_value(ret, exact=True)
    lines.append((1, f"return {p}", f"return {m}"))

    def render(which, fname):
        head = f"def {fname}({', '.join(params)}):"
        return "\n".join([head] + ["    " * ind + ln[which] for ind, *ln in lines])

    gen = {I: arg_ints, F: arg_floats}
    argsets = draw(st.lists(st.tuples(*[gen[t] for t in ptypes]), min_size=2, max_size=5))
    return name, render(0, name), render(1, name + "_model"), ptypes, argsets


# ---------------------------------------------------------------------------------------
# Running and comparing.

_module_counter = itertools.count()


def load(srcs, directory):
    """Write the jitted functions to a .py file, import it, return the module."""
    name = f"fuzzprog_{os.getpid()}_{next(_module_counter)}"
    path = os.path.join(directory, name + ".py")
    text = "import math\nfrom pyjit import njit\n\n\n" + "\n\n\n".join(
        "@njit\n" + s for s in srcs) + "\n"
    with open(path, "w") as fh:
        fh.write(text)
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod, path


def outcome(fn, args):
    try:
        return "ok", fn(*args)
    except (pyjit.TypingError, pyjit.UnsupportedError, pyjit.LoweringError):
        raise
    except Exception as e:  # noqa: BLE001
        return "exc", e


def same_exact(a, b):
    """The compiled value a equals the model value b: same type, floats bit-for-bit."""
    if isinstance(b, tuple):
        return (isinstance(a, tuple) and len(a) == len(b)
                and all(same_exact(x, y) for x, y in zip(a, b)))
    if type(a) is not type(b):
        # a return statement pyjit pruned as dead code (constant condition) leaves the
        # unified return type narrower (int instead of float, bool instead of int)
        return ((type(a), type(b)) in ((int, float), (bool, int), (bool, float))
                and float(a) == b)
    if isinstance(b, float):
        if math.isnan(b):
            return math.isnan(a)
        return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)
    return a == b


def same_numeric(a, b):
    """The compiled value a agrees with plain Python's b (int held in a float variable)."""
    if isinstance(b, tuple):
        return (isinstance(a, tuple) and len(a) == len(b)
                and all(same_numeric(x, y) for x, y in zip(a, b)))
    if isinstance(a, tuple):
        return False
    if isinstance(b, float) and math.isnan(b):
        return isinstance(a, float) and math.isnan(a)
    if isinstance(a, float) and math.isnan(a):
        return False
    return a == b


class Mismatch(AssertionError):
    pass


def check_agrees(compiled, reference, same, who, where):
    """The compiled outcome (kind, value) matches the reference's: the same
    exception class, or a value `same` accepts."""
    (ck, cv), (rk, rv) = compiled, reference
    if rk == "exc":
        if ck != "exc" or type(cv) is not type(rv):
            raise Mismatch(f"compiled {ck} {cv!r}, {who} raised {rv!r}{where}")
    elif ck == "exc" or not same(cv, rv):
        raise Mismatch(f"compiled {ck} {cv!r}, {who} {rv!r}{where}")


def check_program(fn, model, plain_args_list, src):
    """Compare fn (jitted) with its model and with fn.py_func on every argument tuple."""
    for args in plain_args_list:
        _EVENTS.clear()
        mk, mv = outcome(model, args)
        events = set(_EVENTS)
        try:
            ck, cv = outcome(fn, args)
        except (pyjit.TypingError, pyjit.UnsupportedError, pyjit.LoweringError) as e:
            raise Mismatch(f"{type(e).__name__} for a program inside the language:\n"
                           f"{src}\nargs={args!r}\n{e}") from None
        where = f"\n{src}\nargs={args!r} events={sorted(events)}"
        if mk == "exc" and not isinstance(mv, (ZeroDivisionError, ValueError,
                                              OverflowError)):
            raise Mismatch(f"model raised {mv!r} (generator bug?){where}")
        if "overflow" in events or "nansign" in events:
            # Numba's semantics (and IEEE 754's for the sign of a nan) leave the
            # outcome open; it still must not crash or leak another kind of
            # exception than the model's paths can raise.
            if ck == "exc" and not isinstance(cv, (ZeroDivisionError, ValueError,
                                                  OverflowError)):
                raise Mismatch(f"compiled raised {cv!r} after an overflow{where}")
            continue
        check_agrees((ck, cv), (mk, mv), same_exact, "the model", where)
        if not events:
            # No documented pyjit/CPython difference on this path, so plain Python
            # agrees.  (Only then is it run: where ints wrapped in the model, plain
            # Python's unbounded ints can grow without end, x = x * x in a loop.)
            check_agrees((ck, cv), outcome(fn.py_func, args), same_numeric,
                         "plain Python", where)
    sigs = fn.signatures
    assert len(sigs) >= 1, f"{fn.__name__} did not compile\n{src}"
    for sig in sigs:
        assert "pyobject" not in str(sig), f"pyobject in {sig}\n{src}"
        assert "pyobject" not in str(fn.overloads[sig].return_type), src


def run_batch(progs, directory):
    """progs: list of programs() results; all compiled from one file."""
    mod, path = load([p[1] for p in progs], directory)
    for name, plain, model_src, ptypes, argsets in progs:
        ns = dict(MODEL_GLOBALS)
        exec(model_src, ns)
        fn = getattr(mod, name)
        check_program(fn, ns[name + "_model"], argsets, plain)


@st.composite
def batches(draw):
    n = draw(st.integers(1, 4))
    return [draw(programs(name=f"f{k}")) for k in range(n)]


_tmpdir = None


def fuzz_dir():
    global _tmpdir
    if _tmpdir is None:
        _tmpdir = tempfile.mkdtemp(prefix="pyjit_fuzz_")
        atexit.register(shutil.rmtree, _tmpdir, True)
    return _tmpdir


@FUZZ_SETTINGS
@given(batches())
def test_random_programs(batch):
    run_batch(batch, fuzz_dir())


def test_long_run_reports_its_rounds_and_seeds():
    """The driver of `make fuzz`: rounds from fresh seeds, each in a child process."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ, PYTHONPATH=root)
    p = subprocess.run([sys.executable, os.path.abspath(__file__), "--examples", "3",
                        "--round", "2"], env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=300)
    assert p.returncode == 0, p.stdout
    lines = p.stdout.splitlines()
    assert re.fullmatch(r"ok seed \d+: 2 examples in \d+ s", lines[0]), p.stdout
    assert re.fullmatch(r"ok seed \d+: 1 examples in \d+ s", lines[1]), p.stdout
    assert lines[0].split()[2] != lines[1].split()[2]     # a fresh seed each round
    assert lines[2:] == ["3 examples in 2 rounds: no failure"], p.stdout


def test_a_constant_and_or_has_the_type_of_the_operand_it_gives():
    """Why the generator gives a mixed int/float `and`/`or` a variable on the left."""
    mod, _ = load(["def k(a):\n    return (0 and 0.0), (0 or 2.5), (a and 0.0)"],
                  fuzz_dir())
    r = mod.k(3)
    assert r == (0, 2.5, 0.0) and type(r[0]) is int and type(r[2]) is float


def test_model_helpers():
    """The model's int64 helpers agree with pyjit's documented semantics."""
    assert _I(2 ** 63) == INT64_MIN
    assert _I(True) == 1
    assert _ipow(2, -1) == 0 and _ipow(-1, -3) == -1
    with pytest.raises(ZeroDivisionError):
        _ipow(0, -1)
    assert math.isnan(_M("sqrt", -1.0)) and _M("exp", 1000.0) == math.inf
    assert _fpow(-1e200, 3) == -math.inf


# ---------------------------------------------------------------------------------------
# The long run: `make fuzz` (python tests/test_fuzz_programs.py --help).

def fuzz_round(seed, examples):
    """One round of the long run: `examples` batches drawn from `seed`."""
    @settings(FUZZ_SETTINGS, max_examples=examples, derandomize=False, database=None)
    @hypothesis.seed(seed)
    @given(batches())
    def round_of(batch):
        run_batch(batch, fuzz_dir())
    round_of()


def run_round(seed, examples, timeout):
    """Runs a round in a child process: (failed, what happened, its output).  The
    programs' directory is this process's, so that a child killed leaves nothing."""
    with tempfile.TemporaryDirectory(prefix="pyjit_fuzz_") as directory:
        cmd = [sys.executable, "-X", "faulthandler", os.path.abspath(__file__), "--child",
               "--seed", str(seed), "--round", str(examples), "--dir", directory]
        bad, what, out = run_child(cmd, timeout)
        if bad and not what.startswith("exited"):
            out += last_programs(directory)
        return bad, what, out


def last_programs(directory):
    """The batch a crashed or hung child was running: the last file it wrote."""
    written = {int(f[:-3].rsplit("_", 1)[1]): f for f in os.listdir(directory)
               if f.startswith("fuzzprog_") and f.endswith(".py")}
    if not written:
        return ""
    last = written[max(written)]
    with open(os.path.join(directory, last)) as fh:
        return f"\nthe programs it was running ({last}):\n{fh.read()}"


def run_child(cmd, timeout):
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode(errors="replace") if isinstance(e.stdout, bytes) \
            else e.stdout or ""
        return True, f"did not finish in {timeout:.0f} s", out
    if p.returncode < 0:
        return True, f"was killed by signal {-p.returncode}", p.stdout
    return p.returncode != 0, f"exited with status {p.returncode}", p.stdout


def replay_command(seed, examples):
    return f"make fuzz FUZZ_SEED={seed} FUZZ_ROUND={examples}"


def long_run(args):
    """Rounds from fresh seeds until the time or the example count is used up;
    returns the exit status (1 if any round failed)."""
    deadline = time.monotonic() + args.minutes * 60
    rng = random.SystemRandom()
    done, rounds, failed = 0, 0, []
    while time.monotonic() < deadline and (args.examples is None
                                           or done < args.examples):
        seed = rng.randrange(2 ** 32)
        n = args.round if args.examples is None else min(args.round,
                                                         args.examples - done)
        start = time.monotonic()
        bad, what, out = run_round(seed, n, args.timeout)
        done, rounds = done + n, rounds + 1
        line = f"seed {seed}: {n} examples in {time.monotonic() - start:.0f} s"
        if bad:
            failed.append(seed)
            print(f"FAILED {line}: the round {what}\n{out}\n"
                  f"replay with: {replay_command(seed, n)}\n", flush=True)
        else:
            print(f"ok {line}", flush=True)
    print(f"{done} examples in {rounds} rounds: "
          + (f"failed seeds {', '.join(map(str, failed))}" if failed else "no failure"),
          flush=True)
    return 1 if failed else 0


def main(argv=None):
    p = argparse.ArgumentParser(
        description="The random-program fuzzer with fresh seeds (make fuzz).")
    p.add_argument("--minutes", type=float, default=20.0,
                   help="how long to run (default 20)")
    p.add_argument("--examples", type=int, default=None,
                   help="stop after this many examples instead")
    p.add_argument("--round", type=int, default=500,
                   help="examples per seed (default 500)")
    p.add_argument("--seed", type=int, default=None,
                   help="replay the round of this seed and print its output")
    p.add_argument("--timeout", type=float, default=1800.0,
                   help="seconds a round may take before it counts as a hang")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--dir", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        global _tmpdir
        _tmpdir = args.dir
        fuzz_round(args.seed, args.round)
        return 0
    if args.seed is not None:
        bad, what, out = run_round(args.seed, args.round, args.timeout)
        print(out)
        print(f"seed {args.seed}, {args.round} examples: "
              f"{'the round ' + what if bad else 'no failure'}")
        return 1 if bad else 0
    return long_run(args)


if __name__ == "__main__":
    sys.exit(main())
