/*
** tuples.c - tuples: UniTuple(T x n), homogeneous, and Tuple(A, B, ...).
**
** A UniTuple is an LLVM array [n x T] so that a variable index works; a
** Tuple is a struct.  Tuples are immutable values; an iterator over a
** UniTuple holds the tuple and the next index.
*/
#include "pyjit.h"

/* --- the types --- */

/* A tuple type; homogeneous tuples are UniTuple, as in Numba. */
PjType *
pj_type_tuple(PjType **elems, int n)
{
    bool uniform = n > 0;
    for (int i = 1; i < n && uniform; i++) {
        uniform = elems[i] == elems[0];
    }
    if (uniform) {
        return pj_type_intern(PJ_TK_UNITUPLE, 0, n, elems, 1, NULL);
    }
    return pj_type_intern(PJ_TK_TUPLE, 0, 0, elems, n, NULL);
}

bool
pj_type_is_tuple(PjType *t)
{
    return t != NULL && (t->kind == PJ_TK_UNITUPLE || t->kind == PJ_TK_TUPLE);
}

/* The type of item i. */
PjType *
pj_type_elem(PjType *t, int i)
{
    return t->kind == PJ_TK_UNITUPLE ? t->elems[0] : t->elems[i];
}

static void
print_tuple(PjBuf *b, PjType *t)
{
    if (t->kind == PJ_TK_UNITUPLE) {
        pj_buf_printf(b, "UniTuple(%s x %d)", pj_type_str(t->elems[0]),
                      t->count);
    }
    else {
        pj_type_print_parts(b, "Tuple", t);
    }
}

static PjType *
unify_tuples(PjType *a, PjType *b)
{
    if (a->count != b->count || a->count > PJ_MAX_ARGS) {
        return NULL;
    }
    PjType *elems[PJ_MAX_ARGS];
    for (int i = 0; i < a->count; i++) {
        elems[i] = pj_type_unify(pj_type_elem(a, i), pj_type_elem(b, i));
        if (elems[i] == NULL) {
            return NULL;
        }
    }
    return pj_type_tuple(elems, a->count);
}

static PjType *
tuple_iter_type(PjType *t)
{
    if (t->kind == PJ_TK_TUPLE && t->count != 0) {
        return NULL;        /* items of several types: no one item type */
    }
    PjType *item = t->count == 0 ? pj_t.none : t->elems[0];
    return pj_type_iterator(PJ_TK_TUPLE_ITER, &t, 1, item);
}

/* --- lowering --- */

static LLVMTypeRef
tuple_llvm_type(PjLower *lw, PjType *t)
{
    if (t->kind == PJ_TK_UNITUPLE) {
        return LLVMArrayType2(pj_lower_type(lw, t->elems[0]),
                              (uint64_t)t->count);
    }
    return pj_lower_struct_of(lw, t->elems, t->count);
}

static LLVMValueRef
tuple_const(PjLower *lw, PyObject *obj, PjType *t)
{
    LLVMValueRef res = LLVMGetUndef(pj_lower_type(lw, t));
    for (int i = 0; i < t->count; i++) {
        LLVMValueRef e = pj_lower_pyconst(lw, PyTuple_GET_ITEM(obj, i),
                                          pj_type_elem(t, i));
        res = LLVMBuildInsertValue(lw->b, res, e, (unsigned)i, "");
    }
    return res;
}

static LLVMValueRef
convert_tuple(PjLower *lw, LLVMValueRef v, PjType *from, PjType *to)
{
    if (!pj_type_is_tuple(from)) {
        return v;
    }
    LLVMValueRef res = LLVMGetUndef(pj_lower_type(lw, to));
    for (int i = 0; i < to->count; i++) {
        LLVMValueRef e = LLVMBuildExtractValue(lw->b, v, (unsigned)i, "");
        e = pj_lower_convert(lw, e, pj_type_elem(from, i),
                             pj_type_elem(to, i));
        res = LLVMBuildInsertValue(lw->b, res, e, (unsigned)i, "");
    }
    return res;
}

static LLVMValueRef
tuple_truth(PjLower *lw, LLVMValueRef Py_UNUSED(v), PjType *t)
{
    return LLVMConstInt(lw->t_i1, t->count > 0, 0);
}

/* The iterator: the tuple, and the index of the next item. */
static LLVMValueRef
tuple_iter(PjLower *lw, LLVMValueRef v, PjType *Py_UNUSED(t), PjType *it)
{
    LLVMValueRef res = LLVMGetUndef(pj_lower_type(lw, it));
    res = LLVMBuildInsertValue(lw->b, res, v, 0, "");
    return LLVMBuildInsertValue(lw->b, res, LLVMConstInt(lw->t_i64, 0, 0), 1,
                                "");
}

static void
tuple_meminfo(PjLower *lw, LLVMValueRef v, PjType *t, LLVMValueRef valid,
              PjMemFn f)
{
    for (int i = 0; i < t->count; i++) {
        pj_lower_field_meminfo(lw, v, (unsigned)i, pj_type_elem(t, i), valid,
                               f);
    }
}

const PjKind pj_kind_tuple = {
    .name = "tuple",
    .print = print_tuple,
    .unify = unify_tuples,
    .iter_type = tuple_iter_type,
    .llvm_type = tuple_llvm_type,
    .lower_const = tuple_const,
    .lower_convert = convert_tuple,
    .lower_truth = tuple_truth,
    .lower_iter = tuple_iter,
    .holds_memory = pj_kind_elems_hold_memory,
    .each_meminfo = tuple_meminfo,
};

/* --- the iterator over a UniTuple --- */

static LLVMTypeRef
tuple_iter_llvm_type(PjLower *lw, PjType *it)
{
    LLVMTypeRef f[2] = {pj_lower_type(lw, it->elems[0]), lw->t_i64};
    return LLVMStructTypeInContext(lw->ctx, f, 2, 0);
}

static LLVMValueRef
tuple_iternext(PjLower *lw, PjType *it, LLVMValueRef state, LLVMValueRef *ok)
{
    LLVMBuilderRef B = lw->b;
    LLVMTypeRef st = pj_lower_type(lw, it);
    PjType *tt = it->elems[0];
    LLVMValueRef pi = LLVMBuildStructGEP2(B, st, state, 1, "");
    LLVMValueRef i = LLVMBuildLoad2(B, lw->t_i64, pi, "");
    *ok = LLVMBuildICmp(B, LLVMIntSLT, i,
                        LLVMConstInt(lw->t_i64, (unsigned)tt->count, 0), "");
    LLVMBuildStore(B, LLVMBuildAdd(B, i, LLVMConstInt(lw->t_i64, 1, 0), ""),
                   pi);
    if (tt->count == 0) {
        return pj_lower_none(lw);
    }
    LLVMValueRef safe = LLVMBuildSelect(B, *ok, i, LLVMConstInt(lw->t_i64, 0,
                                                                0), "");
    LLVMValueRef idx[2] = {LLVMConstInt(lw->t_i64, 0, 0), safe};
    LLVMValueRef p = LLVMBuildInBoundsGEP2(
        B, pj_lower_type(lw, tt), LLVMBuildStructGEP2(B, st, state, 0, ""),
        idx, 2, "");
    return LLVMBuildLoad2(B, pj_lower_type(lw, it->item), p, "");
}

static void
tuple_iter_meminfo(PjLower *lw, LLVMValueRef v, PjType *it,
                   LLVMValueRef valid, PjMemFn f)
{
    pj_lower_field_meminfo(lw, v, 0, it->elems[0], valid, f);
}

const PjKind pj_kind_tuple_iter = {
    .name = "iter",
    .print = pj_type_print_iterator,
    .iter_type = pj_type_iter_self,
    .llvm_type = tuple_iter_llvm_type,
    .lower_iter = pj_lower_iter_self,
    .lower_iternext = tuple_iternext,
    .holds_memory = pj_kind_elems_hold_memory,
    .each_meminfo = tuple_iter_meminfo,
};
