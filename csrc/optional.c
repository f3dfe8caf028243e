/*
** optional.c - OptionalType(T): a value of type T, or None.
**
** A variable assigned both None and a T is an Optional, as in Numba; an
** Optional used where a T is needed is checked when it is used (TypeError
** if it is None).  The value is a struct {i1 valid, T value}.
*/
#include "pyjit.h"

#include <stdio.h>

PjType *
pj_type_optional(PjType *t)
{
    if (t->kind == PJ_TK_OPTIONAL || t->kind == PJ_TK_NONE) {
        return t;
    }
    return pj_type_intern(PJ_TK_OPTIONAL, 0, 0, &t, 1, NULL);
}

/* What an Optional holds when it is not None (t itself otherwise). */
PjType *
pj_type_unwrap(PjType *t)
{
    return t != NULL && t->kind == PJ_TK_OPTIONAL ? t->elems[0] : t;
}

static void
print_optional(PjBuf *b, PjType *t)
{
    pj_buf_printf(b, "OptionalType(%s)", pj_type_str(t->elems[0]));
}

/* None joins anything but a Python object as an Optional of it; two
   Optionals join as the Optional of what their values join as. */
static PjType *
unify_optional(PjType *a, PjType *b)
{
    if (a->kind == PJ_TK_NONE || b->kind == PJ_TK_NONE) {
        PjType *other = a->kind == PJ_TK_NONE ? b : a;
        return pj_type_is_pyobject(other) ? NULL : pj_type_optional(other);
    }
    PjType *u = pj_type_unify(pj_type_unwrap(a), pj_type_unwrap(b));
    return u ? pj_type_optional(u) : NULL;
}

/* An Optional(number) parameter of an explicit signature takes None, or
   a number its item type takes. */
static int
optional_conversion_cost(PjType *from, PjType *to)
{
    if (!pj_type_is_number(to->elems[0])) {
        return -1;
    }
    if (from->kind == PJ_TK_NONE || from == to->elems[0]) {
        return 1;
    }
    /* an int64 for an Optional(uint64) parameter, as Numba converts it */
    int cost = pj_type_conversion_cost(from, to->elems[0]);
    return cost == 0 ? 1 : cost;
}

static LLVMTypeRef
optional_llvm_type(PjLower *lw, PjType *t)
{
    LLVMTypeRef f[2] = {lw->t_i1, pj_lower_type(lw, t->elems[0])};
    return LLVMStructTypeInContext(lw->ctx, f, 2, 0);
}

static LLVMValueRef
convert_optional(PjLower *lw, LLVMValueRef v, PjType *from, PjType *to)
{
    LLVMTypeRef lt = pj_lower_type(lw, to);
    PjType *inner = to->elems[0];
    if (from->kind == PJ_TK_NONE) {
        return LLVMConstNull(lt);
    }
    LLVMValueRef valid, value;
    if (from->kind == PJ_TK_OPTIONAL) {
        valid = LLVMBuildExtractValue(lw->b, v, 0, "");
        value = pj_lower_convert(lw, LLVMBuildExtractValue(lw->b, v, 1, ""),
                                 from->elems[0], inner);
    }
    else {
        valid = LLVMConstInt(lw->t_i1, 1, 0);
        value = pj_lower_convert(lw, v, from, inner);
    }
    LLVMValueRef res = LLVMBuildInsertValue(lw->b, LLVMConstNull(lt), valid,
                                            0, "");
    return LLVMBuildInsertValue(lw->b, res, value, 1, "");
}

/* An Optional used as its value (inference chose this where an operation
   had no implementation for the Optional itself): None raises. */
LLVMValueRef
pj_lower_unwrap_optional(PjLower *lw, LLVMValueRef v, PjType *from,
                         PjType *to)
{
    LLVMValueRef none = LLVMBuildNot(lw->b,
                                     LLVMBuildExtractValue(lw->b, v, 0, ""),
                                     "");
    char msg[200];
    snprintf(msg, sizeof(msg), "expected %s, got None",
             pj_type_str(from->elems[0]));
    pj_lower_check(lw, none, "TypeError", msg);
    return pj_lower_convert(lw, LLVMBuildExtractValue(lw->b, v, 1, ""),
                            from->elems[0], to);
}

/* None is false; the value's truth is taken only when there is one (an
   array's may raise). */
static LLVMValueRef
optional_truth(PjLower *lw, LLVMValueRef v, PjType *t)
{
    LLVMValueRef valid = LLVMBuildExtractValue(lw->b, v, 0, "");
    LLVMBasicBlockRef from = LLVMGetInsertBlock(lw->b);
    LLVMValueRef fn = LLVMGetBasicBlockParent(from);
    LLVMBasicBlockRef some = LLVMAppendBasicBlockInContext(lw->ctx, fn, "some");
    LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(lw->ctx, fn,
                                                           "truth");
    LLVMBuildCondBr(lw->b, valid, some, done);
    LLVMPositionBuilderAtEnd(lw->b, some);
    LLVMValueRef truth[2] = {
        LLVMConstInt(lw->t_i1, 0, 0),
        pj_lower_truth(lw, LLVMBuildExtractValue(lw->b, v, 1, ""),
                       t->elems[0]),
    };
    LLVMBasicBlockRef preds[2] = {from, LLVMGetInsertBlock(lw->b)};
    LLVMBuildBr(lw->b, done);
    LLVMPositionBuilderAtEnd(lw->b, done);
    LLVMValueRef phi = LLVMBuildPhi(lw->b, lw->t_i1, "");
    LLVMAddIncoming(phi, truth, preds, 2);
    return phi;
}

/* An Optional has a truth value when its item has one (None's is False). */
static bool
optional_type_truth(PjCompile *cx, PjType *t)
{
    return pj_type_takes_truth(cx, t->elems[0]);
}

static void
optional_meminfo(PjLower *lw, LLVMValueRef v, PjType *t, LLVMValueRef valid,
                 PjMemFn f)
{
    LLVMValueRef ok = LLVMBuildExtractValue(lw->b, v, 0, "");
    if (valid != NULL) {
        ok = LLVMBuildAnd(lw->b, ok, valid, "");
    }
    pj_lower_field_meminfo(lw, v, 1, t->elems[0], ok, f);
}

const PjKind pj_kind_optional = {
    .name = "optional",
    .print = print_optional,
    .unify = unify_optional,
    .conversion_cost = optional_conversion_cost,
    .llvm_type = optional_llvm_type,
    .lower_convert = convert_optional,
    .lower_truth = optional_truth,
    .type_truth = optional_type_truth,
    .holds_memory = pj_kind_elems_hold_memory,
    .each_meminfo = optional_meminfo,
    .can_box = pj_can_box_optional,
    .box = pj_box_optional,
    .unbox = pj_unbox_optional,
};
