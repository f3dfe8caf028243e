/*
** numbers.c - the numbers: bool, signed and unsigned integers of 8 to 64
** bits, float32 and float64, complex64 and complex128; and None.
**
** The numeric rules follow Numba's nopython mode:
**  - arithmetic on integers happens in at least 64 bits, signed if either
**    operand is signed (int32 + uint8 -> int64, uint64 + uint64 -> uint64,
**    int64 + uint64 -> int64);
**  - mixing integers and floats, or floats of two widths, follows NumPy's
**    promote_types (int16 + float32 -> float32, int64 + float32 -> float64);
**  - unifying the assignments of one variable also follows promote_types,
**    so a variable that holds int64 and uint64 values is float64.
**
** A number is an LLVM scalar (i1 for bool), a complex number a struct of
** two floats; None is an i8 that is never read.  The operators on numbers
** are here, and the builtins that take numbers (abs, min, max, round,
** divmod, pow, and int, float, bool and complex as calls).
*/
#include "pyjit.h"

#include <string.h>

/* --- the types --- */

PjType *
pj_type_int(int bits, bool is_signed)
{
    return pj_type_intern(is_signed ? PJ_TK_INT : PJ_TK_UINT, bits, 0, NULL, 0,
                          NULL);
}

PjType *
pj_type_float(int bits)
{
    return bits == 32 ? pj_t.f32 : pj_t.f64;
}

PjType *
pj_type_complex(int bits)
{
    return bits == 64 ? pj_t.c64 : pj_t.c128;
}

/* NumPy's promote_types for two numbers of different kinds or widths. */
PjType *
pj_type_numpy_promote(PjType *a, PjType *b)
{
    if (a->kind > b->kind) {
        PjType *t = a;
        a = b;
        b = t;
    }
    if (a->kind == PJ_TK_BOOL) {
        return b;
    }
    if (a->kind == b->kind) {
        return a->bits >= b->bits ? a : b;
    }
    if (a->kind == PJ_TK_INT && b->kind == PJ_TK_UINT) {
        if (a->bits > b->bits) {
            return a;
        }
        return b->bits >= 64 ? pj_t.f64 : pj_type_int(b->bits * 2, true);
    }
    /* An integer with a float or complex: the float must hold the integer
       exactly, so int8/int16 fit float32 and wider ones need float64. */
    int need = pj_type_is_integer(a) ? (a->bits <= 16 ? 32 : 64)
                                     : a->bits;  /* float with complex */
    if (b->kind == PJ_TK_FLOAT) {
        return pj_type_float(need > b->bits ? need : b->bits);
    }
    int cbits = b->bits / 2;
    return pj_type_complex(2 * (need > cbits ? need : cbits));
}

/* The type both operands of an arithmetic operator are converted to. */
PjType *
pj_type_promote(PjType *a, PjType *b)
{
    if (!pj_type_is_number(a) || !pj_type_is_number(b)) {
        return NULL;
    }
    bool ints_a = a->kind <= PJ_TK_UINT, ints_b = b->kind <= PJ_TK_UINT;
    if (ints_a && ints_b) {
        bool is_signed = a->kind != PJ_TK_UINT || b->kind != PJ_TK_UINT;
        return pj_type_int(64, is_signed);
    }
    return pj_type_numpy_promote(a, b);
}

/* --- conversions --- */

/* x converted to a signed integer of `bits` (32 or 64) bits as an x86
   conversion instruction does, which is what C casts, and so NumPy's
   casts, and Numba's fptosi give there: NaN and values out of range give
   the integer indefinite, the type's minimum.  A compare and a select,
   so that a loop of them vectorizes. */
static LLVMValueRef
truncating_convert(PjLower *lw, LLVMValueRef x, unsigned bits)
{
    LLVMTypeRef ft = LLVMTypeOf(x), it = LLVMIntTypeInContext(lw->ctx, bits);
    double limit = bits == 64 ? 0x1p63 : 0x1p31;
    LLVMValueRef low = LLVMBuildFCmp(lw->b, LLVMRealOGE, x,
                                     LLVMConstReal(ft, -limit), "");
    LLVMValueRef high = LLVMBuildFCmp(lw->b, LLVMRealOLT, x,
                                      LLVMConstReal(ft, limit), "");
    LLVMValueRef in_range = LLVMBuildAnd(lw->b, low, high, "");
    LLVMValueRef v = LLVMBuildFPToSI(lw->b, x, it, "");
    LLVMValueRef indefinite = LLVMConstInt(it, (uint64_t)1 << (bits - 1), 0);
    return LLVMBuildSelect(lw->b, in_range, v, indefinite, "");
}

/* x converted to an unsigned 64-bit integer as NumPy's cast does on
   x86: from 2**63 on, a signed conversion of x - 2**63 with the top bit
   set back, below it (NaN too) a signed conversion; from 2**64 on the
   largest uint64, as Numba gives it (NumPy's 0 there would turn the
   largest uint64, rounded to 2**64 on its way through a float64, to 0). */
static LLVMValueRef
unsigned64_convert(PjLower *lw, LLVMValueRef x)
{
    LLVMTypeRef ft = LLVMTypeOf(x);
    LLVMValueRef top = LLVMConstReal(ft, 0x1p63);
    LLVMValueRef small = LLVMBuildFCmp(lw->b, LLVMRealULT, x, top, "");
    LLVMValueRef a = truncating_convert(lw, x, 64);
    LLVMValueRef b = LLVMBuildXor(
        lw->b, truncating_convert(lw, LLVMBuildFSub(lw->b, x, top, ""), 64),
        LLVMConstInt(lw->t_i64, (uint64_t)1 << 63, 0), "");
    LLVMValueRef r = LLVMBuildSelect(lw->b, small, a, b, "");
    LLVMValueRef huge = LLVMBuildFCmp(lw->b, LLVMRealOGE, x,
                                      LLVMConstReal(ft, 0x1p64), "");
    return LLVMBuildSelect(lw->b, huge, LLVMConstAllOnes(lw->t_i64), r, "");
}

/* Float to integer as NumPy's casts (C casts on x86) and Numba's
   conversions give it: values in range truncate toward zero; NaN and
   values out of range give what the x86 instruction gives, converting
   to 32 bits for the types of 32 bits and less (int8 of 300.0 is 44,
   uint8 of -1.0 is 255), to 64 for the others.  A plain fptosi would be
   undefined there. */
LLVMValueRef
pj_lower_float_to_int(PjLower *lw, LLVMValueRef v, LLVMTypeRef to,
                      bool is_signed)
{
    unsigned bits = LLVMGetIntTypeWidth(to);
    LLVMValueRef r;
    if (bits == 64) {
        r = is_signed ? truncating_convert(lw, v, 64)
                      : unsigned64_convert(lw, v);
    }
    else {
        r = truncating_convert(lw, v, is_signed || bits < 32 ? 32 : 64);
    }
    return LLVMBuildIntCast2(lw->b, r, to, is_signed, "");
}

static LLVMValueRef
convert_real(PjLower *lw, LLVMValueRef v, PjType *from, PjType *to)
{
    LLVMTypeRef lt = pj_lower_type(lw, to);
    bool from_int = from->kind <= PJ_TK_UINT;
    bool from_signed = from->kind == PJ_TK_INT;
    if (to->kind == PJ_TK_FLOAT) {
        if (from_int) {
            return from_signed ? LLVMBuildSIToFP(lw->b, v, lt, "")
                               : LLVMBuildUIToFP(lw->b, v, lt, "");
        }
        return LLVMBuildFPCast(lw->b, v, lt, "");
    }
    if (to->kind == PJ_TK_BOOL) {
        return pj_lower_truth(lw, v, from);
    }
    if (from->kind == PJ_TK_FLOAT) {     /* a declared integer return */
        return pj_lower_float_to_int(lw, v, lt, to->kind == PJ_TK_INT);
    }
    /* integer to integer: extend by the source's signedness */
    return LLVMBuildIntCast2(lw->b, v, lt, from_signed, "");
}

LLVMValueRef
pj_lower_complex(PjLower *lw, PjType *t, LLVMValueRef re, LLVMValueRef im)
{
    LLVMValueRef c = LLVMGetUndef(pj_lower_type(lw, t));
    c = LLVMBuildInsertValue(lw->b, c, re, 0, "");
    return LLVMBuildInsertValue(lw->b, c, im, 1, "");
}

static LLVMValueRef
convert_number(PjLower *lw, LLVMValueRef v, PjType *from, PjType *to)
{
    if (to->kind != PJ_TK_COMPLEX) {
        return convert_real(lw, v, from, to);
    }
    PjType *part = pj_type_float(to->bits / 2);
    if (from->kind == PJ_TK_COMPLEX) {
        PjType *fpart = pj_type_float(from->bits / 2);
        LLVMValueRef re = LLVMBuildExtractValue(lw->b, v, 0, "");
        LLVMValueRef im = LLVMBuildExtractValue(lw->b, v, 1, "");
        return pj_lower_complex(lw, to, convert_real(lw, re, fpart, part),
                                convert_real(lw, im, fpart, part));
    }
    return pj_lower_complex(lw, to, convert_real(lw, v, from, part),
                            LLVMConstReal(pj_lower_type(lw, part), 0.0));
}

/* --- arithmetic --- */

/* Whether this operation checks for the errors Python raises: not with
   error_model='numpy', nor where an operand makes them impossible. */
static bool
checks(PjInstr *ins)
{
    return ins->impl != NULL && ins->impl->can_raise;
}

static LLVMValueRef
complex_mul(PjLower *lw, LLVMValueRef a, LLVMValueRef b, PjType *t)
{
    LLVMValueRef ar = pj_part(lw, a, 0), ai = pj_part(lw, a, 1);
    LLVMValueRef br = pj_part(lw, b, 0), bi = pj_part(lw, b, 1);
    LLVMValueRef re = pj_lower_fp(lw, LLVMBuildFSub(
        lw->b, pj_lower_fp(lw, LLVMBuildFMul(lw->b, ar, br, "")),
        pj_lower_fp(lw, LLVMBuildFMul(lw->b, ai, bi, "")), ""));
    LLVMValueRef im = pj_lower_fp(lw, LLVMBuildFAdd(
        lw->b, pj_lower_fp(lw, LLVMBuildFMul(lw->b, ar, bi, "")),
        pj_lower_fp(lw, LLVMBuildFMul(lw->b, ai, br, "")), ""));
    return pj_lower_complex(lw, t, re, im);
}

static LLVMValueRef
complex_addsub(PjLower *lw, LLVMValueRef a, LLVMValueRef b, PjType *t,
               bool add)
{
    LLVMValueRef re, im;
    if (add) {
        re = LLVMBuildFAdd(lw->b, pj_part(lw, a, 0), pj_part(lw, b, 0), "");
        im = LLVMBuildFAdd(lw->b, pj_part(lw, a, 1), pj_part(lw, b, 1), "");
    }
    else {
        re = LLVMBuildFSub(lw->b, pj_part(lw, a, 0), pj_part(lw, b, 0), "");
        im = LLVMBuildFSub(lw->b, pj_part(lw, a, 1), pj_part(lw, b, 1), "");
    }
    return pj_lower_complex(lw, t, pj_lower_fp(lw, re), pj_lower_fp(lw, im));
}

/* A value of complex type t from parts computed in double precision
   (complex64 rounds them). */
LLVMValueRef
pj_lower_complex_narrowed(PjLower *lw, PjType *t, LLVMValueRef re,
                          LLVMValueRef im)
{
    LLVMTypeRef ft = pj_lower_type(lw, pj_type_float(t->bits / 2));
    return pj_lower_complex(lw, t, LLVMBuildFPTrunc(lw->b, re, ft, ""),
                            LLVMBuildFPTrunc(lw->b, im, ft, ""));
}

/* Calls a runtime helper `double complex f(re, im[, re2, im2])` on
   complex128 values and returns a value of complex type t.  The result
   comes back in registers, as the pair {double, double}: through memory,
   two scalar stores read back as one vector stall the loop around it. */
LLVMValueRef
pj_lower_complex_helper(PjLower *lw, const char *name, PjType *t,
                        LLVMValueRef *args, int n)
{
    LLVMTypeRef params[4];
    LLVMValueRef vals[4];
    int k = 0;
    for (int i = 0; i < n; i++) {
        for (unsigned j = 0; j < 2; j++) {
            params[k] = lw->t_f64;
            vals[k++] = LLVMBuildFPExt(lw->b, pj_part(lw, args[i], j),
                                       lw->t_f64, "");
        }
    }
    LLVMTypeRef pair = LLVMStructTypeInContext(
        lw->ctx, (LLVMTypeRef[]){lw->t_f64, lw->t_f64}, 2, 0);
    LLVMValueRef c = pj_lower_call_c(lw, name, pair, params, vals, k, true);
    return pj_lower_complex_narrowed(lw, t, pj_part(lw, c, 0),
                                     pj_part(lw, c, 1));
}

/* The pair {double, double} (x0 / d, x1 / d). */
static LLVMValueRef
quotients(PjLower *lw, LLVMValueRef x0, LLVMValueRef x1, LLVMValueRef d)
{
    LLVMValueRef pair = LLVMGetUndef(LLVMStructTypeInContext(
        lw->ctx, (LLVMTypeRef[]){lw->t_f64, lw->t_f64}, 2, 0));
    pair = LLVMBuildInsertValue(lw->b, pair, LLVMBuildFDiv(lw->b, x0, d, ""),
                                0, "");
    return LLVMBuildInsertValue(lw->b, pair, LLVMBuildFDiv(lw->b, x1, d, ""),
                                1, "");
}

static LLVMValueRef
fmul_add(PjLower *lw, LLVMValueRef a, LLVMValueRef b, LLVMValueRef c)
{
    return LLVMBuildFAdd(lw->b, LLVMBuildFMul(lw->b, a, b, ""), c, "");
}

static LLVMValueRef
fmul_sub_from(PjLower *lw, LLVMValueRef c, LLVMValueRef a, LLVMValueRef b)
{
    return LLVMBuildFSub(lw->b, c, LLVMBuildFMul(lw->b, a, b, ""), "");
}

static LLVMBasicBlockRef
block(PjLower *lw, const char *name)
{
    return LLVMAppendBasicBlockInContext(lw->ctx, lw->func, name);
}

/* a / b on complex128 parts as CPython divides (_Py_c_quot, Smith's
   method), inline and operation for operation as the runtime's
   cdiv, which complex powers still use.  A zero divisor (reached
   only with error_model='numpy') divides each part by zero, as NumPy
   does; a NaN part gives NaN. */
static LLVMValueRef
complex_quotient(PjLower *lw, LLVMValueRef ar, LLVMValueRef ai,
                 LLVMValueRef br, LLVMValueRef bi)
{
    LLVMValueRef abr = pj_lower_intrinsic(lw, "llvm.fabs", lw->t_f64, &br, 1);
    LLVMValueRef abi = pj_lower_intrinsic(lw, "llvm.fabs", lw->t_f64, &bi, 1);
    LLVMBasicBlockRef from[4] = {
        block(lw, "cdiv.zero"), block(lw, "cdiv.re"), block(lw, "cdiv.im"),
        block(lw, "cdiv.nan")};
    LLVMBasicBlockRef re_big = block(lw, "cdiv.rebig");
    LLVMBasicBlockRef not_re = block(lw, "cdiv.notre");
    LLVMBasicBlockRef done = block(lw, "cdiv.done");
    LLVMValueRef val[4];
    LLVMBuildCondBr(lw->b, LLVMBuildFCmp(lw->b, LLVMRealOGE, abr, abi, ""),
                    re_big, not_re);
    LLVMPositionBuilderAtEnd(lw->b, not_re);
    LLVMBuildCondBr(lw->b, LLVMBuildFCmp(lw->b, LLVMRealOGE, abi, abr, ""),
                    from[2], from[3]);
    LLVMPositionBuilderAtEnd(lw->b, re_big);
    LLVMBuildCondBr(lw->b, LLVMBuildFCmp(lw->b, LLVMRealOEQ, abr,
                                         LLVMConstReal(lw->t_f64, 0.0), ""),
                    from[0], from[1]);
    LLVMPositionBuilderAtEnd(lw->b, from[0]);
    val[0] = quotients(lw, ar, ai, abr);
    LLVMBuildBr(lw->b, done);
    /* |br| >= |bi|: r = bi / br, (ar + ai r, ai - ar r) / (br + bi r) */
    LLVMPositionBuilderAtEnd(lw->b, from[1]);
    LLVMValueRef r = LLVMBuildFDiv(lw->b, bi, br, "ratio");
    val[1] = quotients(lw, fmul_add(lw, ai, r, ar),
                       fmul_sub_from(lw, ai, ar, r),
                       fmul_add(lw, bi, r, br));
    LLVMBuildBr(lw->b, done);
    /* |bi| > |br|: r = br / bi, (ar r + ai, ai r - ar) / (br r + bi) */
    LLVMPositionBuilderAtEnd(lw->b, from[2]);
    r = LLVMBuildFDiv(lw->b, br, bi, "ratio");
    val[2] = quotients(lw, fmul_add(lw, ar, r, ai),
                       LLVMBuildFSub(lw->b, LLVMBuildFMul(lw->b, ai, r, ""), ar,
                                     ""),
                       fmul_add(lw, br, r, bi));
    LLVMBuildBr(lw->b, done);
    LLVMPositionBuilderAtEnd(lw->b, from[3]);
    LLVMValueRef nan = LLVMConstReal(lw->t_f64, NAN);
    val[3] = quotients(lw, nan, nan, LLVMConstReal(lw->t_f64, 1.0));
    LLVMBuildBr(lw->b, done);
    LLVMPositionBuilderAtEnd(lw->b, done);
    LLVMValueRef phi = LLVMBuildPhi(lw->b, LLVMTypeOf(val[0]), "cdiv");
    LLVMAddIncoming(phi, val, from, 4);
    return phi;
}

/* a / b of complex type t (complex64 divides in double precision and
   rounds, as before). */
LLVMValueRef
pj_lower_complex_div(PjLower *lw, PjType *t, LLVMValueRef a, LLVMValueRef b)
{
    LLVMValueRef p[4];
    for (unsigned j = 0; j < 2; j++) {
        p[j] = LLVMBuildFPExt(lw->b, pj_part(lw, a, j), lw->t_f64, "");
        p[2 + j] = LLVMBuildFPExt(lw->b, pj_part(lw, b, j), lw->t_f64, "");
    }
    LLVMValueRef c = complex_quotient(lw, p[0], p[1], p[2], p[3]);
    return pj_lower_complex_narrowed(lw, t, pj_part(lw, c, 0),
                                     pj_part(lw, c, 1));
}

/* a + b, a - b or a * b on numbers of type t, as those operators do. */
static LLVMValueRef
arith(PjLower *lw, int op, LLVMValueRef a, LLVMValueRef b, PjType *t)
{
    if (t->kind == PJ_TK_COMPLEX) {
        if (op == PJ_BIN_MUL) {
            return complex_mul(lw, a, b, t);
        }
        return complex_addsub(lw, a, b, t, op == PJ_BIN_ADD);
    }
    if (t->kind == PJ_TK_FLOAT) {
        switch (op) {
        case PJ_BIN_ADD:
            return pj_lower_fp(lw, LLVMBuildFAdd(lw->b, a, b, ""));
        case PJ_BIN_SUB:
            return pj_lower_fp(lw, LLVMBuildFSub(lw->b, a, b, ""));
        default:
            return pj_lower_fp(lw, LLVMBuildFMul(lw->b, a, b, ""));
        }
    }
    /* Signed integers carry no-signed-wrap, as in Numba: a result past the
       type's range is the wrapped value, but LLVM may reason as if it did
       not overflow (i * i of an index is non-negative, so `% 7` is an
       unsigned remainder and a[i + 1] needs no negative-index fix-up). */
    bool nsw = t->kind == PJ_TK_INT;
    switch (op) {
    case PJ_BIN_ADD:
        return nsw ? LLVMBuildNSWAdd(lw->b, a, b, "")
                   : LLVMBuildAdd(lw->b, a, b, "");
    case PJ_BIN_SUB:
        return nsw ? LLVMBuildNSWSub(lw->b, a, b, "")
                   : LLVMBuildSub(lw->b, a, b, "");
    default:
        return nsw ? LLVMBuildNSWMul(lw->b, a, b, "")
                   : LLVMBuildMul(lw->b, a, b, "");
    }
}

static LLVMValueRef
lower_arith(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    return arith(lw, ins->sub, args[0], args[1], ins->argtys[0]);
}

LLVMValueRef
pj_lower_number_add(PjLower *lw, LLVMValueRef a, LLVMValueRef b, PjType *t)
{
    return arith(lw, PJ_BIN_ADD, a, b, t);
}

static const PjImpl impl_arith = {"arith", lower_arith, false, false};

static void
check_zero(PjLower *lw, PjInstr *ins, LLVMValueRef b, PjType *t,
           const char *msg)
{
    if (!checks(ins)) {
        return;
    }
    LLVMValueRef bad;
    if (t->kind == PJ_TK_COMPLEX) {
        LLVMValueRef re = LLVMBuildFCmp(lw->b, LLVMRealOEQ, pj_part(lw, b, 0),
                                        pj_zero_of(pj_part(lw, b, 0)), "");
        LLVMValueRef im = LLVMBuildFCmp(lw->b, LLVMRealOEQ, pj_part(lw, b, 1),
                                        pj_zero_of(pj_part(lw, b, 1)), "");
        bad = LLVMBuildAnd(lw->b, re, im, "");
    }
    else if (t->kind == PJ_TK_FLOAT) {
        bad = LLVMBuildFCmp(lw->b, LLVMRealOEQ, b, pj_zero_of(b), "");
    }
    else {
        bad = LLVMBuildICmp(lw->b, LLVMIntEQ, b, pj_zero_of(b), "");
    }
    pj_lower_check(lw, bad, "ZeroDivisionError", msg);
}

/* a / b: integers were converted to float64 by the typer. */
static LLVMValueRef
lower_truediv(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *t = ins->argtys[0];
    bool from_int = ins->plan.n != 0;
    if (t->kind == PJ_TK_COMPLEX) {
        check_zero(lw, ins, args[1], t, "complex division by zero");
        return pj_lower_complex_div(lw, t, args[0], args[1]);
    }
    check_zero(lw, ins, args[1], t, from_int ? "division by zero"
                                        : "float division by zero");
    return pj_lower_fp(lw, LLVMBuildFDiv(lw->b, args[0], args[1], ""));
}

static const PjImpl impl_truediv = {"truediv", lower_truediv, true, false};
static const PjImpl impl_truediv_numpy = {"truediv", lower_truediv,
                                          false, false};

/* An integer divisor fixed to one value for both its zero test and the
   division.  A signed + - * that overflows is poison to LLVM (they carry
   nsw, as in Numba), and LLVM may then answer the test from what the
   value would be without the overflow: b = a * a with a = 2**62 wraps to
   0 but was tested as a != 0, and the division trapped (SIGFPE). */
static LLVMValueRef
settled(PjLower *lw, LLVMValueRef b)
{
    return LLVMBuildFreeze(lw->b, b, "");
}

/* Python's floor division and modulo on integers.  b == -1 is handled
   apart: INT_MIN / -1 overflows the machine division. */
static LLVMValueRef
int_divmod(PjLower *lw, PjType *t, LLVMValueRef a, LLVMValueRef b,
           bool want_div)
{
    LLVMBuilderRef B = lw->b;
    LLVMValueRef zero = pj_zero_of(a), one = LLVMConstInt(LLVMTypeOf(a), 1, 0);
    LLVMValueRef is_zero = LLVMBuildICmp(B, LLVMIntEQ, b, zero, "");
    LLVMValueRef bs = LLVMBuildSelect(B, is_zero, one, b, "");
    if (t->kind == PJ_TK_UINT) {
        LLVMValueRef r = want_div ? LLVMBuildUDiv(B, a, bs, "")
                                  : LLVMBuildURem(B, a, bs, "");
        return LLVMBuildSelect(B, is_zero, zero, r, "");
    }
    LLVMValueRef minus1 = LLVMConstAllOnes(LLVMTypeOf(a));
    LLVMValueRef is_m1 = LLVMBuildICmp(B, LLVMIntEQ, bs, minus1, "");
    bs = LLVMBuildSelect(B, is_m1, one, bs, "");
    LLVMValueRef q = LLVMBuildSDiv(B, a, bs, "");
    LLVMValueRef r = LLVMBuildSRem(B, a, bs, "");
    /* With b == -1 the quotient is -a and the remainder 0. */
    q = LLVMBuildSelect(B, is_m1, LLVMBuildNeg(B, a, ""), q, "");
    LLVMValueRef sign_differs = LLVMBuildICmp(
        B, LLVMIntSLT, LLVMBuildXor(B, r, b, ""), zero, "");
    LLVMValueRef adjust = LLVMBuildAnd(
        B, LLVMBuildICmp(B, LLVMIntNE, r, zero, ""), sign_differs, "");
    LLVMValueRef res = want_div
        ? LLVMBuildSub(B, q, LLVMBuildZExt(B, adjust, LLVMTypeOf(a), ""), "")
        : LLVMBuildSelect(B, adjust, LLVMBuildAdd(B, r, b, ""), r, "");
    return LLVMBuildSelect(B, is_zero, zero, res, "");
}

/* Python's floor division and modulo on floats (CPython's algorithm, in
   the runtime); returns the quotient, or the remainder. */
static LLVMValueRef
float_divmod(PjLower *lw, PjInstr *ins, PjType *t, LLVMValueRef a,
             LLVMValueRef b, bool want_div)
{
    LLVMValueRef mod = pj_lower_alloca(lw, lw->t_f64, "mod");
    LLVMTypeRef params[3] = {lw->t_f64, lw->t_f64, lw->t_ptr};
    LLVMValueRef vals[3] = {LLVMBuildFPExt(lw->b, a, lw->t_f64, ""),
                            LLVMBuildFPExt(lw->b, b, lw->t_f64, ""), mod};
    LLVMValueRef q = pj_lower_call_c(lw, "pj_rt_float_divmod", lw->t_f64,
                                     params, vals, 3, false);
    LLVMValueRef r = want_div ? q : LLVMBuildLoad2(lw->b, lw->t_f64, mod, "");
    r = LLVMBuildFPTrunc(lw->b, r, pj_lower_type(lw, t), "");
    if (want_div && !checks(ins)) {
        /* No zero check (error_model='numpy'): x // 0.0 is x / 0.0, as
           in NumPy, where Python's algorithm would give NaN. */
        LLVMValueRef zero = LLVMBuildFCmp(lw->b, LLVMRealOEQ, b, pj_zero_of(b),
                                          "");
        LLVMValueRef div = pj_lower_fp(lw, LLVMBuildFDiv(lw->b, a, b, ""));
        r = LLVMBuildSelect(lw->b, zero, div, r, "");
    }
    return r;
}

static LLVMValueRef
lower_floordiv_mod(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *t = ins->argtys[0];
    bool div = ins->sub == PJ_BIN_FLOORDIV;
    if (t->kind == PJ_TK_FLOAT) {
        check_zero(lw, ins, args[1], t, div ? "float floor division by zero"
                                       : "float modulo");
        return float_divmod(lw, ins, t, args[0], args[1], div);
    }
    LLVMValueRef b = settled(lw, args[1]);
    check_zero(lw, ins, b, t, div ? "integer division or modulo by zero"
                                  : "integer modulo by zero");
    return int_divmod(lw, t, args[0], b, div);
}

static const PjImpl impl_floordiv = {"floordiv", lower_floordiv_mod,
                                     true, false};
static const PjImpl impl_floordiv_numpy = {"floordiv", lower_floordiv_mod,
                                           false, false};

/* base ** e for e >= 0 by repeated squaring, wrapping around as every
   integer operation does. */
static LLVMValueRef
int_pow_loop(PjLower *lw, LLVMValueRef base, LLVMValueRef e)
{
    LLVMBuilderRef B = lw->b;
    LLVMTypeRef lt = LLVMTypeOf(base);
    LLVMValueRef zero = pj_zero_of(base), one = LLVMConstInt(lt, 1, 0);
    LLVMBasicBlockRef pre = LLVMGetInsertBlock(B);
    LLVMValueRef func = LLVMGetBasicBlockParent(pre);
    LLVMBasicBlockRef loop = LLVMAppendBasicBlockInContext(lw->ctx, func,
                                                           "pow.loop");
    LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(lw->ctx, func,
                                                           "pow.done");
    LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntNE, e, zero, ""), loop, done);
    LLVMPositionBuilderAtEnd(B, loop);
    LLVMValueRef acc = LLVMBuildPhi(B, lt, "acc");
    LLVMValueRef b = LLVMBuildPhi(B, lt, "base");
    LLVMValueRef n = LLVMBuildPhi(B, lt, "exp");
    LLVMValueRef bit = LLVMBuildTrunc(B, n, lw->t_i1, "");
    LLVMValueRef acc2 = LLVMBuildSelect(B, bit, LLVMBuildMul(B, acc, b, ""),
                                        acc, "");
    LLVMValueRef b2 = LLVMBuildMul(B, b, b, "");
    LLVMValueRef n2 = LLVMBuildLShr(B, n, one, "");
    LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntNE, n2, zero, ""), loop, done);
    LLVMValueRef acc_in[2] = {one, acc2}, b_in[2] = {base, b2};
    LLVMValueRef n_in[2] = {e, n2};
    LLVMBasicBlockRef from[2] = {pre, loop};
    LLVMAddIncoming(acc, acc_in, from, 2);
    LLVMAddIncoming(b, b_in, from, 2);
    LLVMAddIncoming(n, n_in, from, 2);
    LLVMPositionBuilderAtEnd(B, done);
    LLVMValueRef res = LLVMBuildPhi(B, lt, "pow");
    LLVMAddIncoming(res, acc_in, from, 2);
    return res;
}

/* base ** e for e < 0, as Numba computes it for int64: 1 for base 1,
   +-1 for base -1, 0 otherwise (0 itself raised before). */
static LLVMValueRef
int_pow_negative(PjLower *lw, LLVMValueRef base, LLVMValueRef e)
{
    LLVMBuilderRef B = lw->b;
    LLVMTypeRef lt = LLVMTypeOf(base);
    LLVMValueRef one = LLVMConstInt(lt, 1, 0), m1 = LLVMConstAllOnes(lt);
    LLVMValueRef odd = LLVMBuildTrunc(B, e, lw->t_i1, "");
    LLVMValueRef of_m1 = LLVMBuildSelect(B, odd, m1, one, "");
    LLVMValueRef r = LLVMBuildSelect(
        B, LLVMBuildICmp(B, LLVMIntEQ, base, m1, ""), of_m1, pj_zero_of(base),
        "");
    return LLVMBuildSelect(B, LLVMBuildICmp(B, LLVMIntEQ, base, one, ""), one,
                           r, "");
}

static LLVMValueRef
lower_pow(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *t = ins->argtys[0];
    LLVMValueRef base = args[0], e = args[1];
    switch (t->kind) {
    case PJ_TK_FLOAT:
        if (checks(ins)) {
            /* float ** int: 0.0 ** -n raises, as in CPython and Numba */
            LLVMValueRef zero_base = LLVMBuildFCmp(lw->b, LLVMRealOEQ, base,
                                                   pj_zero_of(base), "");
            LLVMValueRef neg = LLVMBuildFCmp(lw->b, LLVMRealOLT, e,
                                             pj_zero_of(e), "");
            pj_lower_check(lw, LLVMBuildAnd(lw->b, zero_base, neg, ""),
                           "ZeroDivisionError",
                           "0.0 cannot be raised to a negative power");
        }
        return pj_lower_intrinsic(lw, "llvm.pow", pj_lower_type(lw, t), args,
                                  2);
    case PJ_TK_COMPLEX:
        if (checks(ins)) {
            /* CPython: 0j ** x raises unless x is a non-negative real */
            LLVMValueRef zb = LLVMBuildAnd(
                lw->b, LLVMBuildFCmp(lw->b, LLVMRealOEQ, pj_part(lw, base, 0),
                                     pj_zero_of(pj_part(lw, base, 0)), ""),
                LLVMBuildFCmp(lw->b, LLVMRealOEQ, pj_part(lw, base, 1),
                              pj_zero_of(pj_part(lw, base, 1)), ""), "");
            LLVMValueRef bad_e = LLVMBuildOr(
                lw->b, LLVMBuildFCmp(lw->b, LLVMRealUNE, pj_part(lw, e, 1),
                                     pj_zero_of(pj_part(lw, e, 1)), ""),
                LLVMBuildFCmp(lw->b, LLVMRealOLT, pj_part(lw, e, 0),
                              pj_zero_of(pj_part(lw, e, 0)), ""), "");
            pj_lower_check(lw, LLVMBuildAnd(lw->b, zb, bad_e, ""),
                           "ZeroDivisionError",
                           "0.0 to a negative or complex power");
        }
        return pj_lower_complex_helper(lw, "pj_rt_cpow", t, args, 2);
    case PJ_TK_UINT:
        return int_pow_loop(lw, base, e);
    default: {
        LLVMValueRef neg = LLVMBuildICmp(lw->b, LLVMIntSLT, e, pj_zero_of(e),
                                         "");
        if (checks(ins)) {
            LLVMValueRef zero_base = LLVMBuildICmp(lw->b, LLVMIntEQ, base,
                                                   pj_zero_of(base), "");
            pj_lower_check(lw, LLVMBuildAnd(lw->b, neg, zero_base, ""),
                           "ZeroDivisionError",
                           "0.0 cannot be raised to a negative power");
        }
        LLVMValueRef small = int_pow_negative(lw, base, e);
        LLVMValueRef r = int_pow_loop(
            lw, base, LLVMBuildSelect(lw->b, neg, pj_zero_of(e), e, ""));
        return LLVMBuildSelect(lw->b, neg, small, r, "");
    }
    }
}

static const PjImpl impl_pow = {"pow", lower_pow, false, false};
static const PjImpl impl_pow_checked = {"pow", lower_pow, true, false};

/* Shifts: a negative count raises ValueError; counts past the width give
   0 (or -1 for a negative value shifted right), never LLVM's poison. */
static LLVMValueRef
lower_shift(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *t = ins->argtys[0];
    LLVMBuilderRef B = lw->b;
    LLVMValueRef a = args[0], n = args[1];
    LLVMTypeRef lt = LLVMTypeOf(a);
    LLVMValueRef width = LLVMConstInt(lt, (unsigned long long)t->bits, 0);
    if (checks(ins)) {
        pj_lower_check(lw, LLVMBuildICmp(B, LLVMIntSLT, n, pj_zero_of(n), ""),
                       "ValueError", "negative shift count");
    }
    LLVMValueRef big = LLVMBuildICmp(B, LLVMIntUGE, n, width, "");
    LLVMValueRef cnt = LLVMBuildSelect(
        B, big, LLVMConstInt(lt, (unsigned long long)t->bits - 1, 0), n, "");
    if (ins->sub == PJ_BIN_LSHIFT) {
        return LLVMBuildSelect(B, big, pj_zero_of(a),
                               LLVMBuildShl(B, a, cnt, ""), "");
    }
    if (t->kind == PJ_TK_INT) {
        return LLVMBuildAShr(B, a, cnt, "");
    }
    return LLVMBuildSelect(B, big, pj_zero_of(a), LLVMBuildLShr(B, a, cnt, ""),
                           "");
}

static const PjImpl impl_shift_checked = {"shift", lower_shift, true, false};
static const PjImpl impl_shift = {"shift", lower_shift, false, false};

static LLVMValueRef
lower_bitwise(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    switch (ins->sub) {
    case PJ_BIN_AND: return LLVMBuildAnd(lw->b, args[0], args[1], "");
    case PJ_BIN_OR: return LLVMBuildOr(lw->b, args[0], args[1], "");
    default: return LLVMBuildXor(lw->b, args[0], args[1], "");
    }
}

static const PjImpl impl_bitwise = {"bitwise", lower_bitwise, false, false};

/* The right operand of a binary operator when it is a constant number;
   NULL otherwise. */
static PyObject *
constant_rhs(PjInstr *ins)
{
    if (ins->op != PJ_OP_BINOP && ins->op != PJ_OP_INPLACE) {
        return NULL;
    }
    PyObject *c = pj_ir_const_of(ins->src[1]);
    return c != NULL && (PyLong_Check(c) || PyFloat_Check(c)) ? c : NULL;
}

static bool
constant_rhs_is(PjInstr *ins, bool (*pred)(double))
{
    PyObject *c = constant_rhs(ins);
    if (c == NULL) {
        return false;
    }
    double v = PyFloat_Check(c) ? PyFloat_AS_DOUBLE(c) : PyLong_AsDouble(c);
    PyErr_Clear();
    return pred(v);
}

static bool nonzero(double v) { return v != 0.0; }
static bool nonnegative(double v) { return v >= 0.0; }

/* /, // and %: a zero divisor raises unless NumPy's error model is asked
   for (numpy_errors) or the divisor is a nonzero constant.  The plan of
   / says whether integers were converted to float64. */
static int
type_division(PjCompile *cx, PjInstr *ins, int op, PjType *t,
              bool numpy_errors)
{
    bool numpy = numpy_errors || constant_rhs_is(ins, nonzero);
    if (op == PJ_BIN_TRUEDIV) {
        bool from_int = pj_type_is_intlike(t);
        PjType *ft = from_int ? pj_t.f64 : t;
        PjType *argtys[2] = {ft, ft};
        return pj_choose_plan(cx, ins, numpy ? &impl_truediv_numpy
                                             : &impl_truediv,
                              ft, argtys, 2, (PjPlan){.n = from_int});
    }
    if (t->kind == PJ_TK_COMPLEX) {
        return 1;
    }
    return pj_choose2(cx, ins, numpy ? &impl_floordiv_numpy : &impl_floordiv,
                      t, t, t);
}

static int
type_binop(PjCompile *cx, PjInstr *ins, int op, PjType *a, PjType *b,
           bool numpy_errors)
{
    PjType *t = pj_type_promote(a, b);
    if (t == NULL) {
        return 1;
    }
    bool ints = pj_type_is_intlike(a) && pj_type_is_intlike(b);
    switch (op) {
    case PJ_BIN_ADD:
    case PJ_BIN_SUB:
    case PJ_BIN_MUL:
        return pj_choose2(cx, ins, &impl_arith, t, t, t);
    case PJ_BIN_TRUEDIV:
    case PJ_BIN_FLOORDIV:
    case PJ_BIN_MOD:
        return type_division(cx, ins, op, t, numpy_errors);
    case PJ_BIN_POW: {
        bool int_exponent = pj_type_is_intlike(b) && t->kind != PJ_TK_COMPLEX;
        if (a->kind == PJ_TK_FLOAT && pj_type_is_intlike(b)) {
            t = a;          /* float32 ** int stays float32, as in Numba */
        }
        /* int ** int, float ** int and complex powers raise for
           0 ** negative. */
        bool checked = (int_exponent || t->kind == PJ_TK_COMPLEX)
                       && t->kind != PJ_TK_UINT
                       && !numpy_errors
                       && !constant_rhs_is(ins, nonnegative);
        return pj_choose2(cx, ins, checked ? &impl_pow_checked : &impl_pow,
                          t, t, t);
    }
    case PJ_BIN_LSHIFT:
    case PJ_BIN_RSHIFT: {
        if (!ints) {
            return 1;
        }
        /* The value shifted decides the type, as in Python: uint64 >> 3
           stays unsigned whatever the count's type. */
        t = a->kind == PJ_TK_UINT ? pj_t.u64 : pj_t.i64;
        bool checked = t->kind == PJ_TK_INT
                       && !constant_rhs_is(ins, nonnegative);
        return pj_choose2(cx, ins, checked ? &impl_shift_checked : &impl_shift,
                          t, t, t);
    }
    case PJ_BIN_AND:
    case PJ_BIN_OR:
    case PJ_BIN_XOR:
        if (a->kind == PJ_TK_BOOL && b->kind == PJ_TK_BOOL) {
            t = pj_t.boolean;
        }
        return ints ? pj_choose2(cx, ins, &impl_bitwise, t, t, t) : 1;
    default:
        return 1;
    }
}

static LLVMValueRef
lower_unary(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *t = ins->argtys[0];
    LLVMValueRef a = args[0];
    switch (ins->sub) {
    case PJ_UN_NOT:
        return LLVMBuildNot(lw->b, pj_lower_truth(lw, a, t), "");
    case PJ_UN_POS:
        return a;
    case PJ_UN_INVERT:
        return LLVMBuildNot(lw->b, a, "");
    default:
        if (t->kind == PJ_TK_COMPLEX) {
            LLVMValueRef re = LLVMBuildFNeg(lw->b, pj_part(lw, a, 0), "");
            LLVMValueRef im = LLVMBuildFNeg(lw->b, pj_part(lw, a, 1), "");
            return pj_lower_complex(lw, t, pj_lower_fp(lw, re),
                                    pj_lower_fp(lw, im));
        }
        if (t->kind == PJ_TK_FLOAT) {
            return pj_lower_fp(lw, LLVMBuildFNeg(lw->b, a, ""));
        }
        return LLVMBuildNeg(lw->b, a, "");
    }
}

static const PjImpl impl_unary = {"unary", lower_unary, false, false};

static int
type_unary(PjCompile *cx, PjInstr *ins, PjType *a)
{
    if (ins->sub == PJ_UN_NOT) {
        if (!pj_type_takes_truth(cx, a)) {
            return 1;
        }
        return pj_choose(cx, ins, &impl_unary, pj_t.boolean, &a, 1);
    }
    if (!pj_type_is_number(a)) {
        return 1;
    }
    /* ~b of a bool is `not b`, a bool, as in Numba and NumPy (Python's
       ~True is -2, and a constant CPython folds stays -2, as Numba reads
       it from the bytecode). */
    if (ins->sub == PJ_UN_INVERT && a->kind == PJ_TK_BOOL) {
        return pj_choose(cx, ins, &impl_unary, a, &a, 1);
    }
    /* Integers negate and invert in 64 bits, as they add: -int32 is int64
       (uint8 gives uint64), following Numba. */
    PjType *t = a;
    if (a->kind == PJ_TK_BOOL || a->kind == PJ_TK_INT) {
        t = pj_t.i64;
    }
    else if (a->kind == PJ_TK_UINT) {
        t = pj_t.u64;
    }
    if (ins->sub == PJ_UN_INVERT && !pj_type_is_integer(t)) {
        return 1;
    }
    return pj_choose(cx, ins, &impl_unary, t, &t, 1);
}

static LLVMIntPredicate
int_predicate(int op, bool is_signed)
{
    switch (op) {
    case PJ_CMP_EQ: return LLVMIntEQ;
    case PJ_CMP_NE: return LLVMIntNE;
    case PJ_CMP_LT: return is_signed ? LLVMIntSLT : LLVMIntULT;
    case PJ_CMP_LE: return is_signed ? LLVMIntSLE : LLVMIntULE;
    case PJ_CMP_GT: return is_signed ? LLVMIntSGT : LLVMIntUGT;
    default: return is_signed ? LLVMIntSGE : LLVMIntUGE;
    }
}

static LLVMRealPredicate
real_predicate(int op)
{
    switch (op) {
    case PJ_CMP_EQ: return LLVMRealOEQ;
    case PJ_CMP_NE: return LLVMRealUNE;     /* NaN != NaN is true */
    case PJ_CMP_LT: return LLVMRealOLT;
    case PJ_CMP_LE: return LLVMRealOLE;
    case PJ_CMP_GT: return LLVMRealOGT;
    default: return LLVMRealOGE;
    }
}

/* a <op> b on numbers of type t, as the comparison operators compute it. */
LLVMValueRef
pj_lower_compare_numbers(PjLower *lw, int op, LLVMValueRef a, LLVMValueRef b,
                         PjType *t)
{
    if (t->kind == PJ_TK_FLOAT) {
        return pj_lower_fp(lw, LLVMBuildFCmp(lw->b, real_predicate(op), a, b,
                                             ""));
    }
    if (t->kind == PJ_TK_COMPLEX) {
        LLVMValueRef re = LLVMBuildFCmp(lw->b, LLVMRealOEQ, pj_part(lw, a, 0),
                                        pj_part(lw, b, 0), "");
        LLVMValueRef im = LLVMBuildFCmp(lw->b, LLVMRealOEQ, pj_part(lw, a, 1),
                                        pj_part(lw, b, 1), "");
        LLVMValueRef eq = LLVMBuildAnd(lw->b, re, im, "");
        return op == PJ_CMP_EQ ? eq : LLVMBuildNot(lw->b, eq, "");
    }
    return LLVMBuildICmp(lw->b, int_predicate(op, t->kind == PJ_TK_INT), a, b,
                         "");
}

static LLVMValueRef
lower_compare(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    return pj_lower_compare_numbers(lw, ins->sub, args[0], args[1],
                                    ins->argtys[0]);
}

static const PjImpl impl_compare = {"compare", lower_compare, false, false};

/* int64 against uint64: a negative signed value is less than any unsigned
   one; otherwise both compare as unsigned. */
static LLVMValueRef
lower_mixed_compare(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    bool left_signed = ins->argtys[0]->kind == PJ_TK_INT;
    LLVMValueRef s = args[left_signed ? 0 : 1];
    LLVMValueRef neg = LLVMBuildICmp(lw->b, LLVMIntSLT, s, pj_zero_of(s), "");
    LLVMValueRef as_unsigned = LLVMBuildICmp(
        lw->b, int_predicate(ins->sub, false), args[0], args[1], "");
    /* When the signed side is negative the answer is fixed by the order:
       s < u, so s <, <=, != are true and >, >=, == false (mirrored when
       the signed value is on the right). */
    int op = ins->sub;
    bool less = op == PJ_CMP_LT || op == PJ_CMP_LE;
    bool more = op == PJ_CMP_GT || op == PJ_CMP_GE;
    bool when_neg = op == PJ_CMP_NE || (left_signed ? less : more);
    return LLVMBuildSelect(lw->b, neg, LLVMConstInt(lw->t_i1, when_neg, 0),
                           as_unsigned, "");
}

static const PjImpl impl_mixed_compare = {"compare", lower_mixed_compare,
                                          false, false};

/* `x is y` of two numbers as Numba decides it: numbers of one type are
   the same object when they are equal (code written for Numba relies on
   it: `if flags[i] is False`), numbers of two types never. */
static LLVMValueRef
lower_identity(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    bool negate = ins->sub == PJ_CMP_ISNOT;
    if (ins->argtys[0] != ins->argtys[1]) {
        return LLVMConstInt(lw->t_i1, negate, 0);
    }
    return pj_lower_compare_numbers(lw, negate ? PJ_CMP_NE : PJ_CMP_EQ,
                                    args[0], args[1], ins->argtys[0]);
}

static const PjImpl impl_identity = {"is", lower_identity, false, false};

static int
type_compare(PjCompile *cx, PjInstr *ins, PjType *a, PjType *b)
{
    int op = ins->sub;
    if (op == PJ_CMP_IS || op == PJ_CMP_ISNOT) {
        return pj_choose2(cx, ins, &impl_identity, pj_t.boolean, a, b);
    }
    if (op >= PJ_CMP_IS) {
        return 1;               /* in, not in */
    }
    PjType *t = pj_type_promote(a, b);
    if (t == NULL || (t->kind == PJ_TK_COMPLEX && op > PJ_CMP_NE)) {
        return 1;
    }
    bool signs_differ = (a->kind == PJ_TK_UINT) != (b->kind == PJ_TK_UINT);
    if (pj_type_is_intlike(a) && pj_type_is_intlike(b) && signs_differ
        && (a->kind == PJ_TK_UINT ? a : b)->bits == 64) {
        PjType *ta = a->kind == PJ_TK_UINT ? pj_t.u64 : pj_t.i64;
        PjType *tb = b->kind == PJ_TK_UINT ? pj_t.u64 : pj_t.i64;
        return pj_choose2(cx, ins, &impl_mixed_compare, pj_t.boolean, ta, tb);
    }
    return pj_choose2(cx, ins, &impl_compare, pj_t.boolean, t, t);
}

/* An operator on numbers (b is NULL for a unary one); numpy_errors:
   division by zero gives inf or nan instead of raising, as in NumPy. */
int
pj_type_number_operator(PjCompile *cx, PjInstr *ins, PjType *a, PjType *b,
                        bool numpy_errors)
{
    switch (ins->op) {
    case PJ_OP_UNARY: return type_unary(cx, ins, a);
    case PJ_OP_COMPARE: return type_compare(cx, ins, a, b);
    default: return type_binop(cx, ins, ins->sub, a, b, numpy_errors);
    }
}

/* The number row's operators: both operands numbers. */
static int
number_operator(PjCompile *cx, PjInstr *ins, PjType *a, PjType *b)
{
    if (!pj_type_is_number(a) || (b != NULL && !pj_type_is_number(b))) {
        return 1;
    }
    return pj_type_number_operator(cx, ins, a, b,
                                   cx->opts.error_model_numpy);
}

/* --- builtins, attributes and methods of numbers --- */

static LLVMValueRef
lower_real_imag(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *t = ins->argtys[0];
    bool imag = strcmp(ins->name, "imag") == 0;
    if (t->kind == PJ_TK_COMPLEX) {
        return pj_part(lw, args[0], imag);
    }
    return imag ? pj_zero_of(args[0]) : args[0];
}

static const PjImpl impl_real_imag = {"real_imag", lower_real_imag,
                                      false, false};

static LLVMValueRef
lower_abs(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *t = ins->argtys[0];
    LLVMValueRef a = args[0];
    switch (t->kind) {
    case PJ_TK_FLOAT:
        return pj_lower_intrinsic(lw, "llvm.fabs", LLVMTypeOf(a), &a, 1);
    case PJ_TK_COMPLEX: {
        LLVMValueRef xy[2] = {pj_part(lw, a, 0), pj_part(lw, a, 1)};
        return pj_lower_libm(lw, "hypot", pj_type_float(t->bits / 2), xy, 2);
    }
    case PJ_TK_UINT: return a;
    default: {
        LLVMValueRef neg = LLVMBuildICmp(lw->b, LLVMIntSLT, a, pj_zero_of(a),
                                         "");
        return LLVMBuildSelect(lw->b, neg, LLVMBuildNeg(lw->b, a, ""), a, "");
    }
    }
}

static const PjImpl impl_abs = {"abs", lower_abs, false, false};

/* min/max with Python's rule: the first of the arguments that compare
   greatest (least) wins, so NaN propagates only from the first place. */
static LLVMValueRef
lower_minmax(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *t = ins->resty;
    PjCallPlan *plan = ins->call;
    int op = ins->plan.fn->id == PJ_FN_MAX ? PJ_CMP_GT : PJ_CMP_LT;
    LLVMValueRef items[PJ_MAX_ARGS];
    int n = 0;
    if (plan->nparams == 1) {
        PjType *tt = ins->argtys[0];
        for (int i = 0; i < tt->count; i++) {
            LLVMValueRef item = pj_part(lw, args[0], (unsigned)i);
            items[n++] = pj_lower_convert(lw, item, pj_type_elem(tt, i), t);
        }
    }
    else {
        for (int i = 0; i < plan->nparams; i++) {
            items[n++] = args[i];
        }
    }
    LLVMValueRef res = n > 0 ? items[0] : NULL;
    for (int i = 1; i < n; i++) {
        LLVMValueRef take = pj_lower_compare_numbers(lw, op, items[i], res, t);
        res = LLVMBuildSelect(lw->b, take, items[i], res, "");
    }
    return res;
}

static const PjImpl impl_minmax = {"minmax", lower_minmax, false, false};

/* min(a, b, ...), max(...), and of the items of one tuple; the plan is the
   function, min or max.  Of one list, other container or 1-d array, its
   items' (the library's). */
int
pj_type_minmax(PjCompile *cx, PjInstr *ins, const PjCallable *fn,
               PjType **args, int n)
{
    PjType *items[PJ_MAX_ARGS];
    if (n == 0) {
        return 1;
    }
    int count = n;
    if (n == 1 && (pj_type_is_list(args[0])
                   || pj_type_is_table(args[0])
                   || (pj_type_is_array(args[0])
                       && pj_array_ndim(args[0]) == 1))) {
        return pj_type_list_extreme(cx, ins, args[0], fn->id == PJ_FN_MAX);
    }
    if (n == 1) {
        if (!pj_type_is_tuple(args[0]) || args[0]->count == 0) {
            return 1;
        }
        count = args[0]->count;
        for (int i = 0; i < count; i++) {
            items[i] = pj_type_elem(args[0], i);
        }
    }
    else {
        memcpy(items, args, sizeof(PjType *) * (size_t)n);
    }
    if (pj_type_is_str(n == 1 ? pj_type_elem(args[0], 0) : args[0])) {
        return pj_type_str_extreme(cx, ins, args, n, fn->id == PJ_FN_MAX);
    }
    PjType *t = NULL;
    for (int i = 0; i < count; i++) {
        if (!pj_type_is_real(items[i])) {
            return 1;
        }
        t = pj_type_unify(t, items[i]);
    }
    PjType *argtys[PJ_MAX_ARGS];
    for (int i = 0; i < n; i++) {
        argtys[i] = n == 1 ? args[0] : t;
    }
    return pj_choose_plan(cx, ins, &impl_minmax, t, argtys, n,
                          (PjPlan){.fn = fn});
}

/* x, a float the quick conversion found unusual, as int(x) has it: NaN
   and the infinities raise as in CPython, finite values beyond int64
   saturate. */
LLVMValueRef
pj_lower_unusual_to_int64(PjLower *lw, LLVMValueRef x)
{
    LLVMTypeRef ft = LLVMTypeOf(x);
    pj_lower_check(lw, LLVMBuildFCmp(lw->b, LLVMRealUNO, x, x, ""),
                   "ValueError", "cannot convert float NaN to integer");
    LLVMValueRef ax = pj_lower_intrinsic(lw, "llvm.fabs", ft, &x, 1);
    LLVMValueRef inf = LLVMConstReal(ft, __builtin_inf());
    pj_lower_check(lw, LLVMBuildFCmp(lw->b, LLVMRealOEQ, ax, inf, ""),
                   "OverflowError", "cannot convert float infinity to "
                                    "integer");
    return pj_lower_float_to_int(lw, x, lw->t_i64, true);
}

/* A float already rounded to an integral value, as an int64: NaN and the
   infinities raise as in CPython (int(), round(), math.floor() all do);
   finite values beyond int64 saturate.  The usual value, |x| < 2**63,
   takes one test and a plain conversion; the others go to a path out of
   line (a test per case on every value costs a loop several times its
   conversion). */
LLVMValueRef
pj_lower_float_to_int64(PjLower *lw, LLVMValueRef x)
{
    LLVMValueRef big;
    LLVMValueRef quick = lw->cx->target->quick_to_int64(lw, x, &big);
    LLVMBasicBlockRef fast = LLVMAppendBasicBlockInContext(lw->ctx, lw->func,
                                                           "toint.fast");
    LLVMBasicBlockRef slow = LLVMAppendBasicBlockInContext(lw->ctx, lw->func,
                                                           "toint.slow");
    LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(lw->ctx, lw->func,
                                                           "toint.done");
    pj_lower_rare_branch(lw, big, slow, fast);
    LLVMPositionBuilderAtEnd(lw->b, fast);
    LLVMBuildBr(lw->b, done);
    LLVMPositionBuilderAtEnd(lw->b, slow);
    LLVMValueRef bound = pj_lower_unusual_to_int64(lw, x);
    LLVMBasicBlockRef slow_end = LLVMGetInsertBlock(lw->b);
    LLVMBuildBr(lw->b, done);
    LLVMPositionBuilderAtEnd(lw->b, done);
    LLVMValueRef r = LLVMBuildPhi(lw->b, lw->t_i64, "");
    LLVMValueRef vals[2] = {quick, bound};
    LLVMBasicBlockRef from[2] = {fast, slow_end};
    LLVMAddIncoming(r, vals, from, 2);
    return r;
}

static LLVMValueRef
lower_round(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *t = ins->argtys[0];
    PjCallPlan *plan = ins->call;
    if (plan->nparams == 1) {
        if (t->kind != PJ_TK_FLOAT) {
            return args[0];
        }
        LLVMValueRef r = pj_lower_intrinsic(lw, "llvm.roundeven",
                                            LLVMTypeOf(args[0]), args, 1);
        return pj_float_index_result(lw, ins, r);
    }
    if (t->kind == PJ_TK_FLOAT) {
        LLVMTypeRef p[2] = {lw->t_f64, lw->t_i64};
        LLVMValueRef a[2] = {LLVMBuildFPExt(lw->b, args[0], lw->t_f64, ""),
                             args[1]};
        LLVMValueRef r = pj_lower_call_c(lw, "pj_rt_round", lw->t_f64, p, a, 2,
                                         true);
        return LLVMBuildFPTrunc(lw->b, r, LLVMTypeOf(args[0]), "");
    }
    LLVMTypeRef p[2] = {lw->t_i64, lw->t_i64};
    return pj_lower_call_c(lw, "pj_rt_round_int", lw->t_i64, p, args, 2, true);
}

static const PjImpl impl_round = {"round", lower_round, false, false};
static const PjImpl impl_round_to_int = {"round", lower_round, true, false};

int
pj_type_round(PjCompile *cx, PjInstr *ins, const PjCallable *Py_UNUSED(fn),
              PjType **args, int n)
{
    if (n == 0) {
        return 1;
    }
    PjType *x = args[0];
    if (!pj_type_is_real(x) || (n == 2 && !pj_type_is_intlike(args[1]))) {
        return 1;
    }
    if (x->kind == PJ_TK_BOOL || x->kind == PJ_TK_UINT) {
        x = pj_t.i64;
    }
    if (n == 1) {
        bool from_float = x->kind == PJ_TK_FLOAT;
        return pj_choose(cx, ins,
                         from_float ? &impl_round_to_int : &impl_round,
                         from_float ? pj_t.i64 : x, &x, 1);
    }
    if (pj_type_is_integer(x)) {
        x = pj_t.i64;
    }
    return pj_choose2(cx, ins, &impl_round, x, x, pj_t.i64);
}

/* int(x): truncation; NaN and infinities raise as CPython's int() does. */
static LLVMValueRef
lower_int(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *t = ins->argtys[0];
    PjCallPlan *plan = ins->call;
    if (plan->nparams == 0) {
        return pj_i64(lw, 0);
    }
    if (t->kind != PJ_TK_FLOAT) {
        return pj_lower_convert(lw, args[0], t, ins->resty);
    }
    return pj_float_index_result(lw, ins, args[0]);
}

static const PjImpl impl_int = {"int", lower_int, false, false};
static const PjImpl impl_int_checked = {"int", lower_int, true, false};

static LLVMValueRef
lower_number_ctor(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjCallPlan *plan = ins->call;
    PjType *r = ins->resty;
    if (plan->nparams == 0) {
        return LLVMConstNull(pj_lower_type(lw, r));
    }
    if (r->kind == PJ_TK_BOOL) {
        return pj_lower_truth(lw, args[0], ins->argtys[0]);
    }
    if (r->kind == PJ_TK_COMPLEX && plan->nparams == 2) {
        /* complex(a, b) is a + b*1j, where a complex a or b adds its other
           part: CPython takes real parts as they are (keeps -0.0). */
        LLVMValueRef a = pj_lower_convert(lw, args[0], ins->argtys[0], r);
        LLVMValueRef b = pj_lower_convert(lw, args[1], ins->argtys[1], r);
        LLVMValueRef re = pj_part(lw, a, 0), im = pj_part(lw, b, 0);
        if (ins->argtys[1]->kind == PJ_TK_COMPLEX) {
            LLVMValueRef bi = pj_part(lw, b, 1);
            re = pj_lower_fp(lw, LLVMBuildFSub(lw->b, re, bi, ""));
        }
        if (ins->argtys[0]->kind == PJ_TK_COMPLEX) {
            LLVMValueRef ai = pj_part(lw, a, 1);
            im = pj_lower_fp(lw, LLVMBuildFAdd(lw->b, im, ai, ""));
        }
        return pj_lower_complex(lw, r, re, im);
    }
    PjType *from = ins->argtys[0];
    if (from->kind == PJ_TK_FLOAT && r->kind == PJ_TK_INT && r->bits == 64) {
        return pj_float_index_cast(lw, ins, args[0]);
    }
    if (from->kind == PJ_TK_FLOAT && pj_type_is_integer(r)) {
        return pj_lower_float_to_int(lw, args[0], pj_lower_type(lw, r),
                                     r->kind == PJ_TK_INT);
    }
    if (from->kind == PJ_TK_COMPLEX && r->kind != PJ_TK_COMPLEX) {
        return pj_lower_convert(lw, pj_part(lw, args[0], 0),
                                pj_type_float(from->bits / 2), r);
    }
    return pj_lower_convert(lw, args[0], from, r);
}

static const PjImpl impl_number_ctor = {"number", lower_number_ctor,
                                        false, false};

/* float("inf"), float("nan"), float("-1e300"): a constant. */
static int
type_float_of_string(PjCompile *cx, PjInstr *ins, PjType *s)
{
    PyObject *v = PyFloat_FromString(s->obj);
    if (v == NULL) {
        PyErr_Clear();
        return 1;
    }
    int rc = pj_arena_add_pyobject(cx->arena, v);
    Py_DECREF(v);
    if (rc < 0) {
        return -1;
    }
    return pj_choose_plan(cx, ins, &pj_impl_constant, pj_t.f64, &s, 1,
                          (PjPlan){.ptr = v});
}

/* Whether the arguments of float(), int() or complex() are numbers it
   takes: real ones, but for complex(). */
static bool
numbers_taken(PjType **args, int n, bool complex_ok)
{
    for (int i = 0; i < n; i++) {
        if (!pj_type_is_number(args[i])
            || (!complex_ok && args[i]->kind == PJ_TK_COMPLEX)) {
            return false;
        }
    }
    return true;
}

/* int(x): truncates a float (raising for NaN and infinities), keeps a
   uint64 unsigned. */
int
pj_type_int_call(PjCompile *cx, PjInstr *ins, const PjCallable *Py_UNUSED(fn),
                 PjType **args, int n)
{
    if ((n == 1 || (n == 2 && pj_type_is_intlike(args[1])))
        && pj_type_is_str(args[0])) {
        return pj_unicode_type_parse(cx, ins, n, pj_t.i64);
    }
    if (n == 2) {
        cx->why = "int() takes a base only with a string to convert";
        return 1;
    }
    if (!numbers_taken(args, n, false)) {
        return 1;
    }
    PjType *r = n == 1 && args[0]->kind == PJ_TK_UINT ? pj_t.u64 : pj_t.i64;
    bool from_float = n == 1 && args[0]->kind == PJ_TK_FLOAT;
    return pj_choose(cx, ins, from_float ? &impl_int_checked : &impl_int, r,
                     args, n);
}

/* float(x); float("inf") and other constant strings are constants. */
int
pj_type_float_call(PjCompile *cx, PjInstr *ins,
                   const PjCallable *Py_UNUSED(fn), PjType **args, int n)
{
    if (n == 1 && pj_type_is_strlit(args[0])) {
        return type_float_of_string(cx, ins, args[0]);
    }
    if (n == 1 && pj_type_is_str(args[0])) {
        return pj_unicode_type_parse(cx, ins, 1, pj_t.f64);
    }
    if (!numbers_taken(args, n, false)) {
        return 1;
    }
    return pj_choose(cx, ins, &impl_number_ctor, pj_t.f64, args, n);
}

/* bool(x): anything with a truth value. */
int
pj_type_bool_call(PjCompile *cx, PjInstr *ins,
                  const PjCallable *Py_UNUSED(fn), PjType **args, int n)
{
    if (n == 1 && !pj_type_takes_truth(cx, args[0])) {
        return 1;
    }
    return pj_choose(cx, ins, &impl_number_ctor, pj_t.boolean, args, n);
}

int
pj_type_complex_call(PjCompile *cx, PjInstr *ins,
                     const PjCallable *Py_UNUSED(fn), PjType **args, int n)
{
    if (!numbers_taken(args, n, true)) {
        return 1;
    }
    return pj_choose(cx, ins, &impl_number_ctor, pj_t.c128, args, n);
}

/* An integer or bool as an int64 (math.floor of an integer). */
int
pj_type_to_int64(PjCompile *cx, PjInstr *ins, PjType *t)
{
    return pj_choose(cx, ins, &impl_number_ctor, pj_t.i64, &t, 1);
}

/* np.float64((1, 2, 3)), np.int32(a): a number class called on a tuple, a
   list or an array makes an array of its type, by the library's
   __as_<type> (pyjit/_np_make.py). */
static int
sequence_as(PjCompile *cx, PjInstr *ins, PjType *r, PjType *seq)
{
    char key[32];
    snprintf(key, sizeof key, "__as_%s", pj_type_str(r));
    PyObject *disp = pj_library_array_method(NULL, key, false);
    if (disp == NULL) {
        return 1;
    }
    return pj_library_choose_call(cx, ins, &pj_library_impl, disp, &seq, 1);
}

/* np.float32(x) and the other NumPy scalar classes convert. */
int
pj_type_number_class_call(PjCompile *cx, PjInstr *ins, PjType *cls,
                          PjType **args, int n)
{
    PjType *r = pj_class_target(cls);
    if (r != NULL && pj_type_is_number(r) && n == 1
        && (pj_type_is_array(args[0]) || pj_type_is_tuple(args[0])
            || pj_type_is_list(args[0]))) {
        return sequence_as(cx, ins, r, args[0]);
    }
    if (r == NULL || !pj_type_is_number(r) || n > 1
        || (n == 1 && !pj_type_is_number(args[0]))) {
        return 1;
    }
    if (n == 1 && args[0]->kind == PJ_TK_COMPLEX && r->kind != PJ_TK_COMPLEX) {
        return 1;
    }
    return pj_choose(cx, ins, &impl_number_ctor, r, args, n);
}

static LLVMValueRef
lower_divmod(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *t = ins->argtys[0];
    LLVMValueRef q, r;
    if (t->kind == PJ_TK_FLOAT) {
        check_zero(lw, ins, args[1], t, "float divmod()");
        q = float_divmod(lw, ins, t, args[0], args[1], true);
        r = float_divmod(lw, ins, t, args[0], args[1], false);
    }
    else {
        LLVMValueRef b = settled(lw, args[1]);
        check_zero(lw, ins, b, t, "integer division or modulo by zero");
        q = int_divmod(lw, t, args[0], b, true);
        r = int_divmod(lw, t, args[0], b, false);
    }
    LLVMValueRef res = LLVMGetUndef(pj_lower_type(lw, ins->resty));
    res = LLVMBuildInsertValue(lw->b, res, q, 0, "");
    return LLVMBuildInsertValue(lw->b, res, r, 1, "");
}

static const PjImpl impl_divmod = {"divmod", lower_divmod, true, false};
static const PjImpl impl_divmod_numpy = {"divmod", lower_divmod, false, false};

int
pj_type_divmod(PjCompile *cx, PjInstr *ins, const PjCallable *Py_UNUSED(fn),
               PjType **args, int n)
{
    if (n != 2 || !pj_type_is_real(args[0]) || !pj_type_is_real(args[1])) {
        return 1;
    }
    PjType *t = pj_type_promote(args[0], args[1]);
    PjType *pair[2] = {t, t};
    PjType *r = pj_type_tuple(pair, 2);
    if (r == NULL) {
        return -1;
    }
    const PjImpl *impl = cx->opts.error_model_numpy ? &impl_divmod_numpy
                                                    : &impl_divmod;
    return pj_choose2(cx, ins, impl, r, t, t);
}

static LLVMValueRef
lower_conjugate(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *t = ins->resty;
    if (t->kind != PJ_TK_COMPLEX) {
        return args[0];
    }
    LLVMValueRef im = LLVMBuildFNeg(lw->b, pj_part(lw, args[0], 1), "");
    return pj_lower_complex(lw, t, pj_part(lw, args[0], 0),
                            pj_lower_fp(lw, im));
}

static const PjImpl impl_conjugate = {"conjugate", lower_conjugate,
                                      false, false};

/* abs(x); abs of an array is np.absolute. */
int
pj_type_abs(PjCompile *cx, PjInstr *ins, const PjCallable *Py_UNUSED(fn),
            PjType **args, int n)
{
    if (n == 1 && pj_type_is_array(args[0])) {
        return pj_callable_type(cx, ins, &pj_callables[PJ_FN_NP_ABS], args,
                                n);
    }
    if (n == 1 && pj_type_is_datetime_like(args[0])) {
        return pj_datetime_type_abs(cx, ins, args[0]);
    }
    if (n != 1 || !pj_type_is_number(args[0])) {
        return 1;
    }
    PjType *t = args[0]->kind == PJ_TK_BOOL ? pj_t.i64 : args[0];
    PjType *r = t->kind == PJ_TK_COMPLEX ? pj_type_float(t->bits / 2) : t;
    return pj_choose(cx, ins, &impl_abs, r, &t, 1);
}

/* pow(base, exp) is base ** exp. */
int
pj_type_pow_call(PjCompile *cx, PjInstr *ins, const PjCallable *Py_UNUSED(fn),
                 PjType **args, int n)
{
    if (n != 2 || !pj_type_is_number(args[0])
        || !pj_type_is_number(args[1])) {
        return 1;
    }
    return type_binop(cx, ins, PJ_BIN_POW, args[0], args[1],
                      cx->opts.error_model_numpy);
}

/* x.ndim of a scalar of type t: 0, as for NumPy's scalars (so that code
   written for numbers and arrays, a vectorized function's entry in
   pyjit/_vectorize.py, np.searchsorted's v, can test it). */
int
pj_type_scalar_ndim(PjCompile *cx, PjInstr *ins, PjType *t)
{
    static PyObject *zero;
    if (zero == NULL && (zero = PyLong_FromLong(0)) == NULL) {
        return -1;
    }
    return pj_choose_plan(cx, ins, &pj_impl_constant, pj_t.i64, &t, 1,
                          (PjPlan){.ptr = zero});
}

/* x.real, x.imag, x.conjugate, x.item; x.ndim */
static int
number_getattr(PjCompile *cx, PjInstr *ins, PjType *t)
{
    if (strcmp(ins->name, "ndim") == 0) {
        return pj_type_scalar_ndim(cx, ins, t);
    }
    if (strcmp(ins->name, "real") == 0 || strcmp(ins->name, "imag") == 0) {
        PjType *r = t->kind == PJ_TK_COMPLEX ? pj_type_float(t->bits / 2) : t;
        return pj_choose(cx, ins, &impl_real_imag, r, &t, 1);
    }
    if (strcmp(ins->name, "conjugate") == 0
        || strcmp(ins->name, "item") == 0) {
        PjType *b = pj_type_bound(cx->arena, t, ins->name);
        return b ? pj_choose(cx, ins, &pj_impl_self, b, &t, 1) : -1;
    }
    return 1;
}

/* x.conjugate(), and x.item(): x itself, of its own type (a NumPy
   scalar's item() is a Python number, which a compiled value already
   is). */
static int
number_method(PjCompile *cx, PjInstr *ins, PjType *t, const char *name,
              PjType **Py_UNUSED(args), int n)
{
    if (n != 0) {
        return 1;
    }
    if (strcmp(name, "item") == 0) {
        return pj_choose(cx, ins, &pj_impl_self, t, &t, 1);
    }
    if (strcmp(name, "conjugate") != 0) {
        return 1;
    }
    return pj_choose(cx, ins, &impl_conjugate, t, &t, 1);
}

/* --- the kind --- */

static void
print_number(PjBuf *b, PjType *t)
{
    switch (t->kind) {
    case PJ_TK_BOOL: pj_buf_puts(b, "bool"); break;
    case PJ_TK_INT: pj_buf_printf(b, "int%d", t->bits); break;
    case PJ_TK_UINT: pj_buf_printf(b, "uint%d", t->bits); break;
    case PJ_TK_FLOAT: pj_buf_printf(b, "float%d", t->bits); break;
    default: pj_buf_printf(b, "complex%d", t->bits); break;
    }
}

/* Numba's casting rules: numbers convert towards wider kinds (a signed
   integer to an unsigned one only when its value fits, which the call
   checks); nothing converts float to int or complex to float. */
static int
number_conversion_cost(PjType *from, PjType *to)
{
    if (!pj_type_is_number(from)) {
        return -1;
    }
    if (from->kind == PJ_TK_BOOL) {
        return 2;
    }
    if (from->kind == PJ_TK_INT && to->kind == PJ_TK_UINT) {
        return 4;               /* range-checked at the call */
    }
    if (from->kind == PJ_TK_UINT && to->kind == PJ_TK_INT) {
        /* safe when wider; else range-checked at the call from Python,
           and from compiled code wrapped as Numba converts it */
        return to->bits > from->bits ? 2 : 4;
    }
    if (to->kind == PJ_TK_BOOL || to->kind < from->kind) {
        return -1;
    }
    if (from->kind == to->kind) {
        return to->bits > from->bits ? 1 : 4;
    }
    return pj_type_numpy_promote(from, to) == to ? 2 : 4;
}

static LLVMTypeRef
number_llvm_type(PjLower *lw, PjType *t)
{
    switch (t->kind) {
    case PJ_TK_BOOL: return lw->t_i1;
    case PJ_TK_INT:
    case PJ_TK_UINT: return LLVMIntTypeInContext(lw->ctx, (unsigned)t->bits);
    case PJ_TK_FLOAT: return t->bits == 32 ? lw->t_f32 : lw->t_f64;
    default: {
        LLVMTypeRef f = t->bits == 64 ? lw->t_f32 : lw->t_f64;
        return LLVMStructTypeInContext(lw->ctx, (LLVMTypeRef[]){f, f}, 2, 0);
    }
    }
}

static LLVMValueRef
const_integer(PjLower *lw, PyObject *obj, PjType *t)
{
    PyObject *i = PyNumber_Index(obj);
    unsigned long long bits = 0;
    if (i != NULL) {
        bits = t->kind == PJ_TK_UINT
               ? PyLong_AsUnsignedLongLong(i)
               : (unsigned long long)PyLong_AsLongLong(i);
        Py_DECREF(i);
    }
    PyErr_Clear();          /* typeof checked the range already */
    return LLVMConstInt(pj_lower_type(lw, t), bits, t->kind == PJ_TK_INT);
}

/* A Python or NumPy number as a constant of type t. */
static LLVMValueRef
number_const(PjLower *lw, PyObject *obj, PjType *t)
{
    switch (t->kind) {
    case PJ_TK_BOOL:        /* True or numpy.True_ */
        return LLVMConstInt(lw->t_i1, PyObject_IsTrue(obj) == 1, 0);
    case PJ_TK_INT:
    case PJ_TK_UINT:        /* int or a NumPy integer */
        return const_integer(lw, obj, t);
    case PJ_TK_FLOAT:
        return LLVMConstReal(pj_lower_type(lw, t), PyFloat_AsDouble(obj));
    default: {
        Py_complex c = PyComplex_AsCComplex(obj);
        LLVMTypeRef f = pj_lower_type(lw, pj_type_float(t->bits / 2));
        LLVMValueRef parts[2] = {LLVMConstReal(f, c.real),
                                 LLVMConstReal(f, c.imag)};
        return LLVMConstStructInContext(lw->ctx, parts, 2, 0);
    }
    }
}

static LLVMValueRef
number_convert(PjLower *lw, LLVMValueRef v, PjType *from, PjType *to)
{
    if (pj_type_is_datetime_like(from)) {
        from = pj_t.i64;        /* NumPy casts the count, NaT included */
    }
    return pj_type_is_number(from) ? convert_number(lw, v, from, to) : v;
}

/* bool(v): nonzero; a complex number when either part is. */
static LLVMValueRef
number_truth(PjLower *lw, LLVMValueRef v, PjType *t)
{
    switch (t->kind) {
    case PJ_TK_BOOL: return v;
    case PJ_TK_INT:
    case PJ_TK_UINT:
        return LLVMBuildICmp(lw->b, LLVMIntNE, v,
                             LLVMConstNull(LLVMTypeOf(v)), "");
    case PJ_TK_FLOAT:
        return LLVMBuildFCmp(lw->b, LLVMRealUNE, v,
                             LLVMConstNull(LLVMTypeOf(v)), "");
    default: {
        PjType *part = pj_type_float(t->bits / 2);
        LLVMValueRef re = number_truth(
            lw, LLVMBuildExtractValue(lw->b, v, 0, ""), part);
        LLVMValueRef im = number_truth(
            lw, LLVMBuildExtractValue(lw->b, v, 1, ""), part);
        return LLVMBuildOr(lw->b, re, im, "");
    }
    }
}

const PjKind pj_kind_number = {
    .name = "number",
    .print = print_number,
    .unify = pj_type_numpy_promote,
    .conversion_cost = number_conversion_cost,
    .type_getattr = number_getattr,
    .type_method = number_method,
    .type_operator = number_operator,
    .llvm_type = number_llvm_type,
    .lower_const = number_const,
    .lower_convert = number_convert,
    .lower_truth = number_truth,
    .lower_hash = pj_lower_number_hash,
    .lower_eq = pj_lower_number_eq,
    .box = pj_box_number,
    .unbox = pj_unbox_scalar,
};

/* --- None --- */

static void
print_none(PjBuf *b, PjType *Py_UNUSED(t))
{
    pj_buf_puts(b, "none");
}

static LLVMTypeRef
none_llvm_type(PjLower *lw, PjType *Py_UNUSED(t))
{
    return lw->t_i8;
}

LLVMValueRef
pj_lower_none(PjLower *lw)
{
    return LLVMConstInt(lw->t_i8, 0, 0);
}

static LLVMValueRef
none_const(PjLower *lw, PyObject *Py_UNUSED(obj), PjType *Py_UNUSED(t))
{
    return pj_lower_none(lw);
}

static LLVMValueRef
none_truth(PjLower *lw, LLVMValueRef Py_UNUSED(v), PjType *Py_UNUSED(t))
{
    return LLVMConstInt(lw->t_i1, 0, 0);
}

/* `x is None`, `x == None` and friends: decided by the types, except for
   an Optional, whose presence flag is tested. */
static LLVMValueRef
lower_none_compare(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    bool negate = ins->sub == PJ_CMP_ISNOT || ins->sub == PJ_CMP_NE;
    PjType *a = ins->argtys[0], *b = ins->argtys[1];
    PjType *other = a->kind == PJ_TK_NONE ? b : a;
    LLVMValueRef v = a->kind == PJ_TK_NONE ? args[1] : args[0];
    LLVMValueRef is_none;
    if (other->kind == PJ_TK_NONE) {
        is_none = LLVMConstInt(lw->t_i1, 1, 0);
    }
    else if (pj_type_is_optional(other)) {
        is_none = LLVMBuildNot(lw->b, pj_part(lw, v, 0), "");
    }
    else {
        is_none = LLVMConstInt(lw->t_i1, 0, 0);
    }
    return negate ? LLVMBuildNot(lw->b, is_none, "") : is_none;
}

static const PjImpl impl_none_compare = {"is_none", lower_none_compare,
                                         false, false};

/* The None row's operators: is, is not, == and != with None. */
static int
none_operator(PjCompile *cx, PjInstr *ins, PjType *a, PjType *b)
{
    int op = ins->sub;
    bool identity = op == PJ_CMP_IS || op == PJ_CMP_ISNOT;
    if (ins->op != PJ_OP_COMPARE || b == NULL
        || (op > PJ_CMP_NE && !identity)) {
        return 1;
    }
    return pj_choose2(cx, ins, &impl_none_compare, pj_t.boolean, a, b);
}

const PjKind pj_kind_none = {
    .name = "none",
    .print = print_none,
    .type_operator = none_operator,
    .llvm_type = none_llvm_type,
    .lower_const = none_const,
    .lower_truth = none_truth,
    .box = pj_box_none,
    .unbox = pj_unbox_scalar,
};

