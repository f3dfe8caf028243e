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
** two floats; None is an i8 that is never read.
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

/* Float to integer, saturating: NaN gives 0 and out-of-range values the
   nearest bound, where a plain fptosi would be undefined. */
LLVMValueRef
pj_lower_float_to_int(PjLower *lw, LLVMValueRef v, LLVMTypeRef to, bool is_signed)
{
    const char *name = is_signed ? "llvm.fptosi.sat" : "llvm.fptoui.sat";
    unsigned id = LLVMLookupIntrinsicID(name, strlen(name));
    LLVMTypeRef tys[2] = {to, LLVMTypeOf(v)};
    LLVMValueRef f = LLVMGetIntrinsicDeclaration(lw->mod, id, tys, 2);
    LLVMTypeRef fty = LLVMIntrinsicGetType(lw->ctx, id, tys, 2);
    return LLVMBuildCall2(lw->b, fty, f, &v, 1, "");
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
    if (to->kind == PJ_TK_BOOL || to->kind < from->kind) {
        return from->kind == PJ_TK_UINT && to->kind == PJ_TK_INT
               && to->bits > from->bits ? 2 : -1;
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
        bits = t->kind == PJ_TK_UINT ? PyLong_AsUnsignedLongLong(i)
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
    .llvm_type = number_llvm_type,
    .lower_const = number_const,
    .lower_convert = number_convert,
    .lower_truth = number_truth,
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

const PjKind pj_kind_none = {
    .name = "none",
    .print = print_none,
    .llvm_type = none_llvm_type,
    .lower_const = none_const,
    .lower_truth = none_truth,
};
