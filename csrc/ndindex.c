/*
** ndindex.c - np.ndindex and np.ndenumerate: iterators over the index
** tuples of a shape, in C order (the last index fastest).
**
** pyjit/_np_ndindex.py types np.ndindex(...) and numba.pndindex(...) as
** the intrinsic _ndindex(shape), whose value is an `ndindex` iterator
** yielding the index tuples, and np.ndenumerate(a) as _ndenumerate(a),
** an `ndenumerate` iterator yielding (index, a[index]).  State layouts:
**
**   ndindex      {shape[n], index[n], finished}
**   ndenumerate  {array, ndindex state}
**
** A step takes the index, then moves it on by one in the last dimension,
** carrying into the dimensions before it; a carry out of the first
** finishes the iterator.  So the common step is one add and one compare,
** and LLVM finds the loops of nested ones in the loop over the iterator.
** A shape of no dimensions has one item, (), as in NumPy.
*/
#include "pyjit.h"

enum { ND_SHAPE, ND_INDEX, ND_DONE };

/* The number of dimensions of an ndindex iterator: its item's length. */
static int
ndim_of(PjType *it)
{
    return it->item->count;
}

/* The tuple of ndim int64s an index is. */
static PjType *
index_tuple_type(int ndim)
{
    PjType *parts[PJ_MAX_NDIM];
    for (int i = 0; i < ndim; i++) {
        parts[i] = pj_t.i64;
    }
    return pj_type_tuple(parts, ndim);
}

static PjType *
ndindex_type(int ndim)
{
    PjType *item = index_tuple_type(ndim);
    return item ? pj_type_iterator(PJ_TK_NDINDEX, NULL, 0, item) : NULL;
}

static LLVMTypeRef
ndindex_llvm_type(PjLower *lw, PjType *it)
{
    LLVMTypeRef dims = LLVMArrayType2(lw->t_i64, (uint64_t)ndim_of(it));
    LLVMTypeRef f[3] = {dims, dims, lw->t_i1};
    return LLVMStructTypeInContext(lw->ctx, f, 3, 0);
}

/* Whether a shape of the n dimensions dims has no items: one of them is
   0.  A negative one raises, as in NumPy, when `checked` (an array's
   dimensions are not). */
static LLVMValueRef
is_empty(PjLower *lw, LLVMValueRef *dims, int n, bool checked)
{
    LLVMValueRef empty = LLVMConstInt(lw->t_i1, 0, 0);
    for (int k = 0; k < n; k++) {
        if (checked) {
            pj_lower_check(lw, LLVMBuildICmp(lw->b, LLVMIntSLT, dims[k],
                                             pj_i64(lw, 0), ""),
                           "ValueError",
                           "negative dimensions are not allowed");
        }
        empty = LLVMBuildOr(lw->b, empty, LLVMBuildICmp(
            lw->b, LLVMIntEQ, dims[k], pj_i64(lw, 0), ""), "");
    }
    return empty;
}

/* An [n x i64] of the values v (NULL: zeros). */
static LLVMValueRef
i64_array(PjLower *lw, LLVMValueRef *v, int n)
{
    LLVMTypeRef t = LLVMArrayType2(lw->t_i64, (uint64_t)n);
    LLVMValueRef a = LLVMConstNull(t);
    for (int k = 0; v != NULL && k < n; k++) {
        a = LLVMBuildInsertValue(lw->b, a, v[k], (unsigned)k, "");
    }
    return a;
}

/* A fresh ndindex state of type it over the dimensions dims (int64s). */
static LLVMValueRef
make_ndindex(PjLower *lw, PjType *it, LLVMValueRef *dims, bool checked)
{
    int n = ndim_of(it);
    LLVMValueRef done = is_empty(lw, dims, n, checked);
    LLVMValueRef state = LLVMGetUndef(ndindex_llvm_type(lw, it));
    state = LLVMBuildInsertValue(lw->b, state, i64_array(lw, dims, n),
                                 ND_SHAPE, "");
    state = LLVMBuildInsertValue(lw->b, state, i64_array(lw, NULL, n),
                                 ND_INDEX, "");
    return LLVMBuildInsertValue(lw->b, state, done, ND_DONE, "");
}

/* _ndindex(shape): shape a tuple of integers. */
static LLVMValueRef
lower_ndindex(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *shape = ins->argtys[0];
    LLVMValueRef dims[PJ_MAX_NDIM];
    for (int k = 0; k < shape->count; k++) {
        dims[k] = pj_lower_convert(lw, pj_part(lw, args[0], (unsigned)k),
                                   pj_type_elem(shape, k), pj_t.i64);
    }
    return make_ndindex(lw, ins->resty, dims, true);
}

static const PjImpl impl_ndindex = {"ndindex", lower_ndindex, true, false};

static bool
is_shape(PjType *t)
{
    if (!pj_type_is_tuple(t) || t->count > PJ_MAX_NDIM) {
        return false;
    }
    for (int k = 0; k < t->count; k++) {
        if (!pj_type_is_intlike(pj_type_elem(t, k))) {
            return false;
        }
    }
    return true;
}

int
pj_type_ndindex(PjCompile *cx, PjInstr *ins, const PjCallable *Py_UNUSED(fn),
                PjType **args, int n)
{
    if (n != 1 || !is_shape(args[0])) {
        return 1;
    }
    PjType *it = ndindex_type(args[0]->count);
    return it ? pj_choose(cx, ins, &impl_ndindex, it, args, 1) : -1;
}

/* Moves the index at pindex (of n dimensions) on by one: the last
   dimension steps, and each that reaches its length goes back to 0 and
   steps the one before it; the result is whether the first did too (the
   shape has no more items). */
static LLVMValueRef
step_index(PjLower *lw, LLVMValueRef pindex, LLVMValueRef shape, int n)
{
    LLVMBuilderRef B = lw->b;
    LLVMTypeRef at = LLVMArrayType2(lw->t_i64, (uint64_t)n);
    LLVMBasicBlockRef from[PJ_MAX_NDIM + 1];
    LLVMValueRef finished[PJ_MAX_NDIM + 1];
    LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(lw->ctx, lw->func,
                                                           "ndindex.stepped");
    for (int k = n - 1; k >= 0; k--) {
        LLVMValueRef idx[2] = {pj_i64(lw, 0), pj_i64(lw, k)};
        LLVMValueRef p = LLVMBuildInBoundsGEP2(B, at, pindex, idx, 2, "");
        /* an index is below its length when it steps, so the step
           wraps neither way: said so, LLVM knows the index is never
           negative and indexing with it needs no wraparound */
        LLVMValueRef i = LLVMBuildNSWAdd(
            B, LLVMBuildLoad2(B, lw->t_i64, p, ""), pj_i64(lw, 1), "");
        LLVMSetNUW(i, 1);
        LLVMValueRef inside = LLVMBuildICmp(
            B, LLVMIntSLT, i, pj_part(lw, shape, (unsigned)k), "");
        LLVMBuildStore(B, i, p);
        LLVMBasicBlockRef carry = LLVMInsertBasicBlockInContext(
            lw->ctx, done, "ndindex.carry");
        from[n - 1 - k] = LLVMGetInsertBlock(B);
        finished[n - 1 - k] = LLVMConstInt(lw->t_i1, 0, 0);
        /* the 0 stored on the carry's path alone, a branch marked rare:
           as selects, the compare would sit in the chain from one index
           to the next, and no loop would be nested */
        pj_lower_rare_branch(lw, LLVMBuildNot(B, inside, ""), carry, done);
        LLVMPositionBuilderAtEnd(B, carry);
        LLVMBuildStore(B, pj_i64(lw, 0), p);
    }
    from[n] = LLVMGetInsertBlock(B);
    finished[n] = LLVMConstInt(lw->t_i1, 1, 0);
    LLVMBuildBr(B, done);
    LLVMPositionBuilderAtEnd(B, done);
    LLVMValueRef phi = LLVMBuildPhi(B, lw->t_i1, "finished");
    LLVMAddIncoming(phi, finished, from, (unsigned)n + 1);
    return phi;
}

/* Moves the index of the ndindex state at `state` on; `finished`
   (NULL: not yet) joins whether that was its last item. */
static void
ndindex_move_on(PjLower *lw, PjType *it, LLVMValueRef state,
                LLVMValueRef finished)
{
    LLVMBuilderRef B = lw->b;
    int n = ndim_of(it);
    LLVMTypeRef st = ndindex_llvm_type(lw, it);
    LLVMValueRef shape = LLVMBuildLoad2(
        B, LLVMArrayType2(lw->t_i64, (uint64_t)n),
        LLVMBuildStructGEP2(B, st, state, ND_SHAPE, ""), "");
    LLVMValueRef last = step_index(
        lw, LLVMBuildStructGEP2(B, st, state, ND_INDEX, ""), shape, n);
    if (finished != NULL) {
        last = LLVMBuildOr(B, finished, last, "");
    }
    LLVMBuildStore(B, last, LLVMBuildStructGEP2(B, st, state, ND_DONE, ""));
}

/* The index at state (an ndindex state), which then moves on, unless a
   loop moves it on its edges back (ndindex_advance). */
static LLVMValueRef
ndindex_step(PjLower *lw, PjType *it, LLVMValueRef state, LLVMValueRef *ok)
{
    LLVMBuilderRef B = lw->b;
    int n = ndim_of(it);
    LLVMTypeRef st = ndindex_llvm_type(lw, it);
    LLVMValueRef done = LLVMBuildLoad2(
        B, lw->t_i1, LLVMBuildStructGEP2(B, st, state, ND_DONE, ""), "");
    *ok = LLVMBuildNot(B, done, "");
    LLVMValueRef index = LLVMBuildLoad2(
        B, LLVMArrayType2(lw->t_i64, (uint64_t)n),
        LLVMBuildStructGEP2(B, st, state, ND_INDEX, ""), "index");
    LLVMValueRef item = LLVMGetUndef(pj_lower_type(lw, it->item));
    for (int k = 0; k < n; k++) {
        item = LLVMBuildInsertValue(B, item, pj_part(lw, index, (unsigned)k),
                                    (unsigned)k, "");
    }
    if (!lw->iterator_counted) {
        ndindex_move_on(lw, it, state, done);
    }
    return item;
}

/* A loop's own iterator moves on on the loop's edges back, where it had
   an item: a carry out of the first dimension then leaves the loop
   straight from the latch, and LLVM sees the nested loops. */
static void
ndindex_advance(PjLower *lw, PjType *it, LLVMValueRef state)
{
    ndindex_move_on(lw, it, state, NULL);
}

static void
print_ndindex(PjBuf *b, PjType *t)
{
    pj_buf_printf(b, "ndindex(ndim=%d)", ndim_of(t));
}

const PjKind pj_kind_ndindex = {
    .name = "ndindex",
    .print = print_ndindex,
    .iter_type = pj_type_iter_self,
    .llvm_type = ndindex_llvm_type,
    .lower_iter = pj_lower_iter_self,
    .lower_iternext = ndindex_step,
    .lower_advance = ndindex_advance,
};

/* --- ndenumerate --- */

/* _ndenumerate(a): the array, and an ndindex state over its shape. */
static LLVMValueRef
lower_ndenumerate(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *at = ins->argtys[0], *it = ins->resty;
    LLVMValueRef dims[PJ_MAX_NDIM];
    for (int k = 0; k < pj_array_ndim(at); k++) {
        dims[k] = pj_array_dim(lw, args[0], PJ_ARRAY_SHAPE, k);
    }
    LLVMValueRef state = LLVMGetUndef(pj_lower_type(lw, it));
    state = LLVMBuildInsertValue(lw->b, state, args[0], 0, "");
    return LLVMBuildInsertValue(lw->b, state,
                                make_ndindex(lw, it->elems[1], dims, false), 1,
                                "");
}

static const PjImpl impl_ndenumerate = {"ndenumerate", lower_ndenumerate,
                                        false, false};

int
pj_type_ndenumerate(PjCompile *cx, PjInstr *ins,
                    const PjCallable *Py_UNUSED(fn), PjType **args, int n)
{
    if (n != 1 || !pj_type_is_array(args[0])) {
        return 1;
    }
    PjType *indices = ndindex_type(pj_array_ndim(args[0]));
    PjType *parts[2] = {indices ? indices->item : NULL,
                        pj_record_item_type(args[0])};
    PjType *item = indices ? pj_type_tuple(parts, 2) : NULL;
    PjType *elems[2] = {args[0], indices};
    PjType *it = item ? pj_type_iterator(PJ_TK_NDENUMERATE, elems, 2, item)
                      : NULL;
    return it ? pj_choose(cx, ins, &impl_ndenumerate, it, args, 1) : -1;
}

/* The next (index, element): the element is read only when there is one,
   as past the end of an empty array there is no memory to read. */
static LLVMValueRef
ndenumerate_step(PjLower *lw, PjType *it, LLVMValueRef state,
                 LLVMValueRef *ok)
{
    LLVMBuilderRef B = lw->b;
    PjType *at = it->elems[0];
    int n = pj_array_ndim(at);
    LLVMTypeRef st = pj_lower_type(lw, it);
    LLVMValueRef arr = LLVMBuildLoad2(
        B, pj_lower_type(lw, at), LLVMBuildStructGEP2(B, st, state, 0, ""),
        "");
    LLVMValueRef index = ndindex_step(
        lw, it->elems[1], LLVMBuildStructGEP2(B, st, state, 1, ""), ok);
    LLVMValueRef idx[PJ_MAX_NDIM];
    for (int k = 0; k < n; k++) {
        idx[k] = pj_part(lw, index, (unsigned)k);
    }
    LLVMBasicBlockRef here = LLVMGetInsertBlock(B);
    LLVMBasicBlockRef read = LLVMAppendBasicBlockInContext(lw->ctx, lw->func,
                                                           "ndenumerate.read");
    LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(lw->ctx, lw->func,
                                                           "ndenumerate.next");
    LLVMBuildCondBr(B, *ok, read, done);
    LLVMPositionBuilderAtEnd(B, read);
    LLVMValueRef value = pj_array_load_item(
        lw, at, arr, pj_array_address(lw, at, arr, idx, n));
    LLVMBasicBlockRef read_end = LLVMGetInsertBlock(B);
    LLVMBuildBr(B, done);
    LLVMPositionBuilderAtEnd(B, done);
    LLVMValueRef phi = LLVMBuildPhi(B, LLVMTypeOf(value), "");
    LLVMValueRef vals[2] = {value, LLVMConstNull(LLVMTypeOf(value))};
    LLVMBasicBlockRef from[2] = {read_end, here};
    LLVMAddIncoming(phi, vals, from, 2);
    LLVMValueRef item = LLVMGetUndef(pj_lower_type(lw, it->item));
    item = LLVMBuildInsertValue(B, item, index, 0, "");
    return LLVMBuildInsertValue(B, item, phi, 1, "");
}

static void
ndenumerate_advance(PjLower *lw, PjType *it, LLVMValueRef state)
{
    ndindex_advance(lw, it->elems[1], LLVMBuildStructGEP2(
        lw->b, pj_lower_type(lw, it), state, 1, ""));
}

static void
print_ndenumerate(PjBuf *b, PjType *t)
{
    pj_buf_printf(b, "ndenumerate(%s)", pj_type_str(t->elems[0]));
}

static LLVMTypeRef
ndenumerate_llvm_type(PjLower *lw, PjType *it)
{
    return pj_lower_struct_of(lw, it->elems, 2);
}

static void
ndenumerate_meminfo(PjLower *lw, LLVMValueRef v, PjType *it,
                    LLVMValueRef valid, PjMemFn f)
{
    pj_lower_field_meminfo(lw, v, 0, it->elems[0], valid, f);
}

const PjKind pj_kind_ndenumerate = {
    .name = "ndenumerate",
    .print = print_ndenumerate,
    .iter_type = pj_type_iter_self,
    .llvm_type = ndenumerate_llvm_type,
    .lower_iter = pj_lower_iter_self,
    .lower_iternext = ndenumerate_step,
    .lower_advance = ndenumerate_advance,
    .holds_memory = pj_kind_elems_hold_memory,
    .each_meminfo = ndenumerate_meminfo,
};
