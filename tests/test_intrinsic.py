"""@intrinsic: LLVM IR built with llvmlite by a codegen function, linked
into compiled code.  Each intrinsic is checked against what Python or
NumPy computes for the same inputs, called from compiled code."""
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from llvmlite import ir

from pyjit import _cgutils as cgutils
from pyjit import errors, njit, types
from pyjit.extending import intrinsic

from difftest import FEW, INT64_MAX, INT64_MIN, assert_compiled, int64s


@intrinsic
def popcount(typingctx, x):
    if not isinstance(x, types.Integer):
        return None

    def codegen(context, builder, sig, args):
        fnty = ir.FunctionType(args[0].type, [args[0].type])
        fn = cgutils.get_or_insert_function(builder.module, fnty,
                                            f"llvm.ctpop.i{x.bitwidth}")
        return builder.call(fn, args)
    return x(x), codegen


@intrinsic
def float_bits(typingctx, x):
    """The int32 whose bits are those of x, cast to float32 first."""
    def codegen(context, builder, sig, args):
        f = context.cast(builder, args[0], sig.args[0], types.float32)
        return builder.bitcast(f, ir.IntType(32))
    return types.int32(x), codegen


@intrinsic
def bits_float(typingctx, x):
    if not isinstance(x, types.Integer) or x.bitwidth != 32:
        return None

    def codegen(context, builder, sig, args):
        return builder.bitcast(args[0], ir.FloatType())
    return types.float32(x), codegen


@intrinsic
def add_overflows(typingctx, a, b):
    """Whether a + b overflows int64 (llvm.sadd.with.overflow), through a
    stack slot made by cgutils.alloca_once."""
    sig = types.boolean(types.int64, types.int64)

    def codegen(context, builder, sig, args):
        i64 = context.get_value_type(types.int64)
        pair = ir.LiteralStructType([i64, ir.IntType(1)])
        fn = cgutils.get_or_insert_function(
            builder.module, ir.FunctionType(pair, [i64, i64]),
            "llvm.sadd.with.overflow.i64")
        slot = cgutils.alloca_once(builder, ir.IntType(1), zfill=True)
        res = builder.call(fn, args)
        with cgutils.if_unlikely(builder, builder.extract_value(res, 1)):
            builder.store(cgutils.true_bit, slot)
        return builder.load(slot)
    return sig, codegen


@intrinsic
def scaled(typingctx, x):
    """x * 3 + 1 in float64, the constants from context.get_constant."""
    def codegen(context, builder, sig, args):
        v = context.cast(builder, args[0], x, types.float64)
        three = context.get_constant(types.float64, 3)
        one = context.get_constant(types.float64, 1)
        return builder.fadd(builder.fmul(v, three), one)
    return types.float64(x), codegen


@njit
def popcounts(a):
    total = 0
    for v in a:
        total += popcount(v)
    return total


@njit
def twice(x):
    return popcount(x) + popcount(x ^ 1)


@njit
def calls_twice(x):
    return twice(x) + popcount(x)   # the intrinsic inlined at both levels


@njit
def roundtrip(x):
    return bits_float(float_bits(x))


@njit
def float_bits_of(x):
    return float_bits(x)


@njit
def overflows(a, b):
    return add_overflows(a, b)


@njit
def scale(x):
    return scaled(x)


def bits(x):
    return bin(x & ((1 << 64) - 1)).count("1")


@FEW
@given(st.lists(int64s, max_size=20))
def test_popcount_int64(values):
    a = np.array(values, dtype=np.int64)
    assert popcounts(a) == sum(bits(v) for v in values)
    assert_compiled(popcounts)


@FEW
@given(st.lists(st.integers(0, 255), max_size=20),
       st.sampled_from([np.uint8, np.uint16, np.int32, np.uint64]))
def test_popcount_narrow(values, dtype):
    a = np.array(values, dtype=dtype)
    assert popcounts(a) == sum(bin(v).count("1") for v in values)


@FEW
@given(int64s)
def test_called_from_jitted_callers(x):
    assert twice(x) == bits(x) + bits(x ^ 1)
    assert calls_twice(x) == bits(x) + bits(x ^ 1) + bits(x)
    assert_compiled(calls_twice)


@FEW
@given(st.floats(width=32, allow_nan=False))
def test_bitcast_roundtrip(x):
    expected = np.array([x], np.float32).view(np.int32)[0]
    assert float_bits_of(x) == expected
    got = roundtrip(x)
    assert np.float32(got).tobytes() == np.float32(x).tobytes()
    assert_compiled(roundtrip)


@FEW
@given(st.integers(-(2 ** 31), 2 ** 31 - 1))
def test_bitcast_matches_numpy_view(i):
    @njit
    def to_float(i):
        return bits_float(np.int32(i))
    expected = np.array([i], np.int32).view(np.float32)[0]
    assume(not np.isnan(expected))  # returning a float quiets a NaN
    assert np.float32(to_float(i)).tobytes() == expected.tobytes()


@FEW
@given(int64s, int64s)
def test_add_overflow_check(a, b):
    assert overflows(a, b) == (not INT64_MIN <= a + b <= INT64_MAX)
    assert_compiled(overflows)


@FEW
@given(st.one_of(st.integers(-10 ** 6, 10 ** 6), st.floats(-1e6, 1e6),
                 st.booleans()))
def test_cast_and_constants(x):
    assert scale(x) == float(x) * 3.0 + 1.0


def test_python_call_is_an_error():
    with pytest.raises(TypeError, match="compiled code only"):
        popcount(3)


def test_typing_function_returning_none():
    @njit
    def f(x):
        return popcount(x)
    with pytest.raises(errors.TypingError, match="popcount.*returned None"):
        f(1.5)


def test_array_argument_is_an_error():
    @njit
    def f(a):
        return popcount(a)
    with pytest.raises(errors.TypingError,
                       match=r"intrinsic popcount: argument of type "
                             r"array\(int64, 1d, C\)"):
        f(np.zeros(3, np.int64))


def test_codegen_raising_is_a_typing_error():
    @intrinsic
    def broken(typingctx, x):
        def codegen(context, builder, sig, args):
            raise ValueError("no IR today")
        return x(x), codegen

    @njit
    def f(x):
        return broken(x)
    with pytest.raises(errors.TypingError,
                       match="broken: its codegen raised ValueError: no IR"):
        f(1)


def test_codegen_result_of_the_wrong_type():
    @intrinsic
    def wrong(typingctx, x):
        def codegen(context, builder, sig, args):
            return ir.Constant(ir.IntType(8), 1)
        return types.int64(x), codegen

    @njit
    def f(x):
        return wrong(x)
    with pytest.raises(errors.TypingError, match="not a value of the LLVM "
                                                 "type i64"):
        f(1)


def test_signature_of_the_wrong_arity():
    @intrinsic
    def arity(typingctx, x):
        return types.int64(x, x), lambda *a: None

    @njit
    def f(x):
        return arity(x)
    with pytest.raises(errors.TypingError, match="takes 2 arguments, the "
                                                 "call passes 1"):
        f(1)


def test_without_llvmlite(monkeypatch):
    monkeypatch.setitem(sys.modules, "llvmlite", None)
    with pytest.raises(ImportError, match="needs llvmlite"):
        intrinsic(lambda typingctx, x: None)


def test_numba_alias_cgutils(tmp_path):
    script = tmp_path / "main.py"
    script.write_text(textwrap.dedent("""
        import numba
        import numpy as np
        from llvmlite import ir
        from numba import types
        from numba.core import cgutils
        from numba.extending import intrinsic

        @intrinsic
        def popcnt_u8(typingctx, val):
            sig = types.uint8(types.uint8)
            def impl(context, builder, sig, args):
                [val] = args
                fnty = ir.FunctionType(val.type, [val.type])
                fn = cgutils.get_or_insert_function(builder.module, fnty,
                                                    "llvm.ctpop.i8")
                return builder.call(fn, [val])
            return sig, impl

        @numba.njit
        def count(a):
            r = 0
            for v in a:
                r += popcnt_u8(v)
            return r

        print(numba.__pyjit__, count(np.arange(256, dtype=np.uint8)))
    """))
    out = subprocess.run([sys.executable, "-m", "pyjit", "run", str(script)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["True", str(8 * 128)]


@intrinsic
def conjugate(typingctx, z):
    if not isinstance(z, types.Complex):
        return None

    def codegen(context, builder, sig, args):
        imag = builder.extract_value(args[0], 1)
        return builder.insert_value(args[0], builder.fneg(imag), 1)
    return z(z), codegen


@njit
def conj(z):
    return conjugate(z)


@FEW
@given(st.complex_numbers(allow_nan=False))
def test_complex_argument(z):
    assert conj(z) == z.conjugate()
    assert conj(np.complex64(z)) == np.complex64(z).conjugate()
    assert_compiled(conj)


@intrinsic
def popcount_u8(typingctx, val):
    """A fixed signature: the argument is converted to uint8 first."""
    def codegen(context, builder, sig, args):
        fnty = ir.FunctionType(args[0].type, [args[0].type])
        fn = cgutils.get_or_insert_function(builder.module, fnty,
                                            "llvm.ctpop.i8")
        return builder.call(fn, args)
    return types.uint8(types.uint8), codegen


@njit
def low_byte_bits(x):
    return popcount_u8(x)


@FEW
@given(int64s)
def test_arguments_converted_to_the_signature(x):
    assert low_byte_bits(x) == bin(x & 0xFF).count("1")
    assert low_byte_bits(np.uint8(x & 0xFF)) == bin(x & 0xFF).count("1")
    assert_compiled(low_byte_bits)


@intrinsic
def square_via_helper(typingctx, x):
    """The codegen defines a helper function of its own and calls it."""
    def codegen(context, builder, sig, args):
        module = builder.module
        helper = cgutils.get_or_insert_function(
            module, ir.FunctionType(args[0].type, [args[0].type]),
            "square_helper")
        hb = ir.IRBuilder(helper.append_basic_block("entry"))
        hb.ret(hb.mul(helper.args[0], helper.args[0]))
        return builder.call(helper, args)
    return x(x), codegen


@njit
def square_a(x):
    return square_via_helper(x)


@njit
def square_b(x):
    return square_via_helper(x) + 1


@FEW
@given(st.integers(-2 ** 31, 2 ** 31))
def test_helpers_of_the_codegen_in_two_compiled_functions(x):
    assert square_a(x) == x * x
    assert square_b(x) == x * x + 1


@intrinsic
def dtype_itemsize(typingctx, dtype):
    # the typing function sees a class argument as Numba's NumberClass
    # (numba_celltree's stack_empty reads `dtype.dtype`)
    if not hasattr(dtype, "dtype"):
        return None
    size = np.dtype(str(dtype.dtype)).itemsize

    def codegen(context, builder, sig, args):
        return ir.Constant(ir.IntType(64), size)

    return types.int64(dtype), codegen


@njit
def itemsizes():
    return dtype_itemsize(np.float64), dtype_itemsize(np.int16)


def test_class_argument_reaches_the_typing_function_as_a_value():
    assert itemsizes() == (8, 2)
    assert_compiled(itemsizes)


@njit
def module_to_intrinsic():
    return popcount(np)


def test_constant_without_a_value_is_a_typing_error():
    with pytest.raises(errors.TypingError, match="intrinsic"):
        module_to_intrinsic()
