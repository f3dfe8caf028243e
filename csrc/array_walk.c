/*
** array_walk.c - loops over the elements of arrays of any strides.
**
** Copies, element-wise operations and fused expressions with their
** reductions visit the positions of a shape in C order (the last index
** fastest) or F order (the first fastest) and, at each, an element of
** several arrays: the operands, broadcast to the shape, and the result.
** pj_array_walk emits that loop for positions [lo, hi) of the order.
**
** When every array is contiguous in that order and has the shape (known
** from the types, checked when the loop runs), position i is i elements
** into each array's memory: one counted loop, which LLVM vectorizes.
** Otherwise the loop goes by rows, the fastest dimension at one position
** of the others.  Each array's address of a row is found once a row (a
** division per dimension), and the row's loop steps each array by its
** stride along the row: 0 where the array is broadcast, so no division
** happens per element.  When every array's rows are contiguous (a[1:-1,
** 1:-1], b[:, ::-1] is not) the row's loop steps by whole elements, a
** loop LLVM vectorizes too.
*/
#include "pyjit.h"

/* Starts a walk over `shape` (nd dimensions) in C order, or F order when
   `f_order`, calling body at each position. */
void
pj_walk_init(PjWalk *w, int nd, LLVMValueRef *shape, bool f_order,
             PjWalkFn body, void *ctx)
{
    w->nd = nd;
    w->shape = shape;
    w->f_order = f_order && nd > 1;
    w->narrays = 0;
    w->body = body;
    w->ctx = ctx;
}

/* Adds array arr (of type t, broadcast to the walk's shape) to the walk;
   `in_order` says position i is i elements into its memory, whatever its
   own shape (a new array filled in the walk's order).  Returns the index
   of its element in w->at. */
int
pj_walk_add(PjWalk *w, PjType *t, LLVMValueRef arr, bool in_order)
{
    int k = w->narrays++;
    w->types[k] = t;
    w->arrays[k] = arr;
    w->in_order[k] = in_order;
    return k;
}

/* The dimension that changes fastest in the walk's order. */
static int
fastest_dim(const PjWalk *w)
{
    return w->f_order ? 0 : w->nd - 1;
}

/* Whether array k is contiguous in the walk's order whenever it has the
   walk's shape. */
static bool
contiguous_in_order(const PjWalk *w, int k)
{
    PjType *t = w->types[k];
    if (w->in_order[k]) {
        return true;
    }
    if (pj_array_ndim(t) != w->nd) {
        return false;
    }
    return w->f_order ? pj_array_is_f(t) : pj_array_is_c(t);
}

static LLVMValueRef
data_of(PjLower *lw, const PjWalk *w, int k)
{
    return LLVMBuildExtractValue(lw->b, w->arrays[k], PJ_ARRAY_DATA, "");
}

/* The address n elements past p in array k. */
static LLVMValueRef
elements_past(PjLower *lw, const PjWalk *w, int k, LLVMValueRef p,
              LLVMValueRef n)
{
    LLVMTypeRef et = pj_array_elem_type(lw, w->types[k]->elems[0]);
    return LLVMBuildGEP2(lw->b, et, p, &n, 1, "");
}

/* Whether every array has the walk's shape. */
static LLVMValueRef
all_have_shape(PjLower *lw, const PjWalk *w)
{
    LLVMValueRef same = LLVMConstInt(lw->t_i1, 1, 0);
    for (int k = 0; k < w->narrays; k++) {
        for (int d = 0; d < w->nd && !w->in_order[k]; d++) {
            LLVMValueRef n = pj_array_dim(lw, w->arrays[k], PJ_ARRAY_SHAPE, d);
            same = LLVMBuildAnd(lw->b, same, LLVMBuildICmp(
                lw->b, LLVMIntEQ, n, w->shape[d], ""), "");
        }
    }
    return same;
}

/* --- by position --- */

static void
flat_element(PjLower *lw, LLVMValueRef i, void *ctx)
{
    PjWalk *w = ctx;
    for (int k = 0; k < w->narrays; k++) {
        w->at[k] = elements_past(lw, w, k, data_of(lw, w, k), i);
    }
    w->body(lw, w, w->ctx);
}

/* --- by rows --- */

/* A walk by rows. */
typedef struct {
    PjWalk *w;
    LLVMValueRef lo, hi;        /* the positions walked */
    LLVMValueRef len;           /* a row's length */
    LLVMValueRef strides[PJ_WALK_MAX][PJ_MAX_NDIM];  /* 0 if broadcast */
    LLVMValueRef base[PJ_WALK_MAX];     /* each array's row */
} Rows;

/* Array k's step in bytes along walk dimension d: 0 where the array is
   broadcast (a dimension of 1, or one it does not have). */
static LLVMValueRef
broadcast_stride(PjLower *lw, const PjWalk *w, int k, int d)
{
    int dk = d - (w->nd - pj_array_ndim(w->types[k]));
    if (dk < 0) {
        return pj_i64(lw, 0);
    }
    LLVMValueRef arr = w->arrays[k];
    LLVMValueRef one = LLVMBuildICmp(
        lw->b, LLVMIntEQ, pj_array_dim(lw, arr, PJ_ARRAY_SHAPE, dk),
        pj_i64(lw, 1), "");
    return LLVMBuildSelect(lw->b, one, pj_i64(lw, 0),
                           pj_array_dim(lw, arr, PJ_ARRAY_STRIDES, dk), "");
}

/* Whether every array's rows are contiguous: each step along the row is
   one element. */
static LLVMValueRef
rows_contiguous(PjLower *lw, Rows *r)
{
    const PjWalk *w = r->w;
    int d = fastest_dim(w);
    LLVMValueRef unit = LLVMConstInt(lw->t_i1, 1, 0);
    for (int k = 0; k < w->narrays; k++) {
        if (w->in_order[k]) {
            continue;
        }
        int64_t size = pj_array_itemsize_bytes(w->types[k]->elems[0]);
        unit = LLVMBuildAnd(lw->b, unit, LLVMBuildICmp(
            lw->b, LLVMIntEQ, r->strides[k][d], pj_i64(lw, size), ""), "");
    }
    return unit;
}

/* Each array's address of row `row` (its first position `start`): the
   row's index in each of the other dimensions, the fastest first. */
static void
row_addresses(PjLower *lw, Rows *r, LLVMValueRef row, LLVMValueRef start)
{
    PjWalk *w = r->w;
    LLVMValueRef off[PJ_WALK_MAX];
    for (int k = 0; k < w->narrays; k++) {
        off[k] = pj_i64(lw, 0);
    }
    LLVMValueRef rest = row;
    for (int j = 1; j < w->nd; j++) {
        int d = w->f_order ? j : w->nd - 1 - j;
        LLVMValueRef idx = rest;
        if (j < w->nd - 1) {
            idx = LLVMBuildURem(lw->b, rest, w->shape[d], "");
            rest = LLVMBuildUDiv(lw->b, rest, w->shape[d], "");
        }
        for (int k = 0; k < w->narrays; k++) {
            if (!w->in_order[k]) {
                off[k] = LLVMBuildAdd(lw->b, off[k], LLVMBuildMul(
                    lw->b, idx, r->strides[k][d], ""), "");
            }
        }
    }
    for (int k = 0; k < w->narrays; k++) {
        LLVMValueRef data = data_of(lw, w, k);
        r->base[k] = w->in_order[k]
            ? elements_past(lw, w, k, data, start)
            : LLVMBuildGEP2(lw->b, lw->t_i8, data, &off[k], 1, "");
    }
}

static void
contiguous_row_element(PjLower *lw, LLVMValueRef j, void *ctx)
{
    Rows *r = ctx;
    PjWalk *w = r->w;
    for (int k = 0; k < w->narrays; k++) {
        w->at[k] = elements_past(lw, w, k, r->base[k], j);
    }
    w->body(lw, w, w->ctx);
}

static void
strided_row_element(PjLower *lw, LLVMValueRef j, void *ctx)
{
    Rows *r = ctx;
    PjWalk *w = r->w;
    int d = fastest_dim(w);
    for (int k = 0; k < w->narrays; k++) {
        if (w->in_order[k]) {
            w->at[k] = elements_past(lw, w, k, r->base[k], j);
            continue;
        }
        LLVMValueRef off = LLVMBuildMul(lw->b, j, r->strides[k][d], "");
        w->at[k] = LLVMBuildGEP2(lw->b, lw->t_i8, r->base[k], &off, 1, "");
    }
    w->body(lw, w, w->ctx);
}

/* Row `row`: its positions within [lo, hi). */
static void
walk_row(PjLower *lw, Rows *r, LLVMValueRef row, PjArrayElemFn element)
{
    LLVMValueRef start = LLVMBuildNUWMul(lw->b, row, r->len, "");
    row_addresses(lw, r, row, start);
    LLVMValueRef from = pj_smax(lw, LLVMBuildSub(lw->b, r->lo, start, ""),
                                pj_i64(lw, 0));
    LLVMValueRef to = pj_smin(lw, LLVMBuildSub(lw->b, r->hi, start, ""),
                              r->len);
    pj_array_for_range(lw, from, to, element, r);
}

static void
walk_contiguous_row(PjLower *lw, LLVMValueRef row, void *ctx)
{
    walk_row(lw, ctx, row, contiguous_row_element);
}

static void
walk_strided_row(PjLower *lw, LLVMValueRef row, void *ctx)
{
    walk_row(lw, ctx, row, strided_row_element);
}

/* The rows positions [lo, hi) (not empty) are in, each in the loop for
   contiguous rows or the one for strided rows. */
static void
walk_rows(PjLower *lw, PjWalk *w, LLVMValueRef lo, LLVMValueRef hi)
{
    Rows r = {.w = w, .lo = lo, .hi = hi};
    r.len = w->nd > 0 ? w->shape[fastest_dim(w)] : pj_i64(lw, 1);
    for (int k = 0; k < w->narrays; k++) {
        for (int d = 0; d < w->nd && !w->in_order[k]; d++) {
            r.strides[k][d] = broadcast_stride(lw, w, k, d);
        }
    }
    /* positions exist, so a row is not empty */
    LLVMValueRef first = LLVMBuildUDiv(lw->b, lo, r.len, "");
    LLVMValueRef last = LLVMBuildUDiv(
        lw->b, LLVMBuildSub(lw->b, hi, pj_i64(lw, 1), ""), r.len, "");
    LLVMValueRef end = LLVMBuildAdd(lw->b, last, pj_i64(lw, 1), "");
    if (w->nd == 0) {
        pj_array_for_range(lw, first, end, walk_contiguous_row, &r);
        return;
    }
    LLVMBasicBlockRef unit = LLVMAppendBasicBlockInContext(
        lw->ctx, lw->func, "walk.rows.contiguous");
    LLVMBasicBlockRef strided = LLVMAppendBasicBlockInContext(
        lw->ctx, lw->func, "walk.rows.strided");
    LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(
        lw->ctx, lw->func, "walk.rows.done");
    LLVMBuildCondBr(lw->b, rows_contiguous(lw, &r), unit, strided);
    LLVMPositionBuilderAtEnd(lw->b, unit);
    pj_array_for_range(lw, first, end, walk_contiguous_row, &r);
    LLVMBuildBr(lw->b, done);
    LLVMPositionBuilderAtEnd(lw->b, strided);
    pj_array_for_range(lw, first, end, walk_strided_row, &r);
    LLVMBuildBr(lw->b, done);
    LLVMPositionBuilderAtEnd(lw->b, done);
}

/* Runs body at positions [lo, hi) of the walk (hi at most the shape's
   size): by position when every array allows it, else by rows. */
void
pj_array_walk(PjLower *lw, PjWalk *w, LLVMValueRef lo, LLVMValueRef hi)
{
    bool flat = true;
    for (int k = 0; k < w->narrays; k++) {
        flat = flat && contiguous_in_order(w, k);
    }
    LLVMBasicBlockRef by_rows = LLVMAppendBasicBlockInContext(
        lw->ctx, lw->func, "walk.rows");
    LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(
        lw->ctx, lw->func, "walk.done");
    if (flat) {
        LLVMBasicBlockRef by_position = LLVMAppendBasicBlockInContext(
            lw->ctx, lw->func, "walk.flat");
        LLVMBuildCondBr(lw->b, all_have_shape(lw, w), by_position, by_rows);
        LLVMPositionBuilderAtEnd(lw->b, by_position);
        pj_array_for_range(lw, lo, hi, flat_element, w);
        LLVMBuildBr(lw->b, done);
    }
    else {
        LLVMBuildBr(lw->b, by_rows);
    }
    LLVMPositionBuilderAtEnd(lw->b, by_rows);
    LLVMBasicBlockRef some = LLVMAppendBasicBlockInContext(
        lw->ctx, lw->func, "walk.rows.some");
    LLVMBuildCondBr(lw->b, LLVMBuildICmp(lw->b, LLVMIntSLT, lo, hi, ""),
                    some, done);
    LLVMPositionBuilderAtEnd(lw->b, some);
    walk_rows(lw, w, lo, hi);
    LLVMBuildBr(lw->b, done);
    LLVMPositionBuilderAtEnd(lw->b, done);
}
