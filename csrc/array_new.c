/*
** array_new.c - NumPy's functions that make arrays: np.empty, zeros,
** ones, full and their *_like forms, arange, copy.
**
** Each takes a shape (an int or a tuple of ints) or an array to copy the
** shape of, and a dtype: a NumPy scalar class (np.float32), a Python
** class (float), a string ("int16").  The array is made here, in
** reference-counted memory, its size checked as NumPy checks it;
** array_ops.c makes its results with the same allocation, element loop
** and copy.
*/
#include "pyjit.h"

/* --- typing --- */

/* The number type a dtype argument names: np.float32, float, 'int32',
   np.dtype('f8'); NULL if it names none (or is absent: None). */
static PjType *
dtype_named(PjType *t, bool *bad)
{
    *bad = false;
    if (t == NULL || t->kind == PJ_TK_NONE) {
        return NULL;
    }
    if (pj_type_is_class(t)) {
        return pj_class_target(t);
    }
    if (pj_dtype_value_names(t) != NULL) {
        return pj_dtype_value_names(t);       /* an argument's dtype */
    }
    if (pj_type_is_callable_value(t)) {
        switch (t->ident) {
        case PJ_FN_FLOAT: return pj_t.f64;
        case PJ_FN_INT: return pj_t.i64;
        case PJ_FN_BOOL: return pj_t.boolean;
        case PJ_FN_COMPLEX: return pj_t.c128;
        default: break;
        }
    }
    if (pj_type_is_strlit(t)) {
        PyObject *np = PyImport_ImportModule("numpy");
        PyObject *d = np ? PyObject_CallMethod(np, "dtype", "O", t->obj)
                         : NULL;
        PyObject *cls = d ? PyObject_GetAttrString(d, "type") : NULL;
        PjType *r = cls ? pj_typeof_scalar_class(cls) : NULL;
        if (r == NULL && d != NULL) {
            r = pj_type_datetime_of_descr(d);       /* 'M8[ns]' */
        }
        Py_XDECREF(np);
        Py_XDECREF(d);
        Py_XDECREF(cls);
        PyErr_Clear();
        if (r != NULL) {
            return r;
        }
    }
    *bad = true;
    return NULL;
}

static const PjImpl impl_new[PJ_NEW_COPY + 1];

/* The number type a dtype argument names, or NULL (a.astype(dtype)). */
PjType *
pj_array_dtype_named(PjType *t)
{
    bool bad;
    return dtype_named(t, &bad);
}

/* The number of dimensions of a shape: an int, or a tuple of ints (the
   empty tuple, a 0-d array's shape, among them); -1 for anything else. */
int
pj_array_shape_ndim(PjType *t)
{
    if (pj_type_is_integer(t)) {
        return 1;
    }
    if (!pj_type_is_tuple(t) || t->count > PJ_MAX_NDIM) {
        return -1;
    }
    for (int i = 0; i < t->count; i++) {
        if (!pj_type_is_integer(pj_type_elem(t, i))) {
            return -1;
        }
    }
    return t->count;
}

/* The type np.full fills with: its fill value's, a number (or a
   datetime64/timedelta64), or the
   element type of a 0-d array (NumPy fills with its one element); NULL
   for anything else. */
static PjType *
fill_value_type(PjType **args, int n)
{
    if (n < 2) {
        return NULL;
    }
    PjType *t = args[1];
    if (pj_type_is_array(t) && pj_array_ndim(t) == 0) {
        t = t->elems[0];
    }
    return pj_type_is_number(t) || pj_type_is_datetime_like(t) ? t : NULL;
}

/* np.empty/zeros/ones/full(shape[, fill], dtype), their *_like forms
   (`like`: args[0] is an array), np.arange and np.copy.  dtype is the
   one asked for, or NULL.  0: typed; 1: not, with *why set. */
int
pj_array_type_new(PjCompile *cx, PjInstr *ins, int how, bool like,
                  PjType **args, int n, PjType *dtype)
{
    int ndim;
    PjType *dt = dtype;
    if (how == PJ_NEW_ARANGE) {
        bool floats = false;
        for (int i = 0; i < n; i++) {
            if (args[i] != NULL && args[i]->kind != PJ_TK_NONE
                && !pj_type_is_const(args[i])
                && pj_dtype_value_names(args[i]) == NULL) {
                if (!pj_type_is_number(args[i])
                    || args[i]->kind == PJ_TK_COMPLEX) {
                    cx->why = "np.arange takes real numbers";
                    return 1;
                }
                floats |= args[i]->kind == PJ_TK_FLOAT;
            }
        }
        if (pj_type_is_bool(dt) || pj_type_is_complex(dt)) {
            cx->why = "np.arange counts in integers and floats";
            return 1;
        }
        ndim = 1;
        dt = dt ? dt : floats ? pj_t.f64 : pj_t.i64;
    }
    else if (like || how == PJ_NEW_COPY) {
        if (!pj_type_is_array(args[0])) {
            cx->why = "the first argument must be an array";
            return 1;
        }
        ndim = pj_array_ndim(args[0]);
        dt = dt ? dt : args[0]->elems[0];
    }
    else {
        ndim = pj_array_shape_ndim(args[0]);
        if (ndim < 0) {
            cx->why = "the shape must be an int or a tuple of ints";
            return 1;
        }
        /* np.full takes its dtype from the fill value, as NumPy does */
        PjType *fill = how == PJ_NEW_FULL ? fill_value_type(args, n) : NULL;
        dt = dt ? dt : fill ? fill : pj_t.f64;
    }
    if (pj_type_is_record(dt) && how != PJ_NEW_EMPTY && how != PJ_NEW_ZEROS
        && !like && how != PJ_NEW_COPY) {
        cx->why = "an array of records is made by np.empty or np.zeros";
        return 1;
    }
    if (pj_type_is_charseq(dt) && how != PJ_NEW_EMPTY && how != PJ_NEW_ZEROS
        && how != PJ_NEW_COPY) {
        cx->why = "an array of strings is made by np.empty, np.zeros, "
                  "their *_like forms or np.copy";
        return 1;
    }
    if (pj_type_is_charseq(dt) && how == PJ_NEW_EMPTY) {
        how = PJ_NEW_ZEROS;     /* no garbage read back as code points */
    }
    if (how == PJ_NEW_FULL && fill_value_type(args, n) == NULL) {
        cx->why = "the fill value must be a number or a 0-d array";
        return 1;
    }
    /* the *_like forms and np.copy keep an F array's order, as NumPy's
       order='K' and Numba do */
    bool keep_f = (like || how == PJ_NEW_COPY) && pj_array_is_f(args[0]);
    PjType *res = pj_type_array(dt, ndim, keep_f ? PJ_LAYOUT_F : PJ_LAYOUT_C);
    return res ? pj_array_choose(cx, ins, &impl_new[how], res, args, n) : -1;
}

/* A new array made `how` (PJ_NEW_*), shaped by args[0] or, `like`, by
   the array args[0]; the dtype is args[dtype_at] when it is given. */
static int
type_new(PjCompile *cx, PjInstr *ins, PjType **args, int n, int how,
         bool like, int dtype_at)
{
    if (n < 1 || n > dtype_at + 1) {
        return 1;
    }
    bool bad = false;
    PjType *dtype = n > dtype_at ? dtype_named(args[dtype_at], &bad) : NULL;
    if (bad && (dtype = pj_charseq_named(args[dtype_at])) != NULL) {
        bad = false;            /* 'U5', 'S3': an array of strings */
    }
    if (bad) {
        cx->why = "the dtype must name a number type (np.float64, float, "
                  "'int32', ...)";
        return 1;
    }
    return pj_array_type_new(cx, ins, how, like, args, n, dtype);
}

#define NEW_ARRAY_TYPER(NAME, HOW, LIKE, DTYPE_AT)                           \
    int                                                                      \
    NAME(PjCompile *cx, PjInstr *ins, const PjCallable *Py_UNUSED(fn),       \
         PjType **args, int n)                                               \
    {                                                                        \
        return type_new(cx, ins, args, n, HOW, LIKE, DTYPE_AT);              \
    }

NEW_ARRAY_TYPER(pj_type_np_empty, PJ_NEW_EMPTY, false, 1)
NEW_ARRAY_TYPER(pj_type_np_zeros, PJ_NEW_ZEROS, false, 1)
NEW_ARRAY_TYPER(pj_type_np_ones, PJ_NEW_ONES, false, 1)
NEW_ARRAY_TYPER(pj_type_np_full, PJ_NEW_FULL, false, 2)
NEW_ARRAY_TYPER(pj_type_np_empty_like, PJ_NEW_EMPTY, true, 1)
NEW_ARRAY_TYPER(pj_type_np_zeros_like, PJ_NEW_ZEROS, true, 1)
NEW_ARRAY_TYPER(pj_type_np_ones_like, PJ_NEW_ONES, true, 1)
NEW_ARRAY_TYPER(pj_type_np_full_like, PJ_NEW_FULL, true, 2)
NEW_ARRAY_TYPER(pj_type_np_arange, PJ_NEW_ARANGE, false, 3)

int
pj_type_np_copy(PjCompile *cx, PjInstr *ins, const PjCallable *Py_UNUSED(fn),
                PjType **args, int n)
{
    return n == 1 ? type_new(cx, ins, args, n, PJ_NEW_COPY, false, 1) : 1;
}

/* --- arrays made in compiled code ---

   np.empty, zeros, ones, full (a shape and a dtype), their *_like forms,
   np.arange and np.copy allocate reference-counted memory (runtime.c) and
   give a C-contiguous array (F for the *_like forms and np.copy of an F
   array); lower.c counts the references. */

LLVMValueRef
pj_array_itemsize(PjLower *lw, PjType *dtype)
{
    return pj_i64(lw, pj_array_itemsize_bytes(dtype));
}

/* The bytes an element of dtype takes in an array, as NumPy's itemsize. */
int64_t
pj_array_itemsize_bytes(PjType *dtype)
{
    int64_t record = pj_record_size(dtype);
    return record ? record : pj_type_is_bool(dtype) ? 1 : dtype->bits / 8;
}

/* --- sizes ---

   Every product that sizes memory or a loop is checked as NumPy checks
   it: a wrapped product would allocate too little and write past it.
   The errors are NumPy's. */

const char pj_array_too_big[] = "array is too big; `arr.size * "
                                "arr.dtype.itemsize` is larger than the "
                                "maximum possible size.";

/* a * b; *overflow (an i1) says whether it does not fit in an int64. */
LLVMValueRef
pj_array_mul_checked(PjLower *lw, LLVMValueRef a, LLVMValueRef b,
                     LLVMValueRef *overflow)
{
    LLVMValueRef ab[2] = {a, b};
    LLVMValueRef r = pj_lower_intrinsic(lw, "llvm.smul.with.overflow",
                                        lw->t_i64, ab, 2);
    *overflow = LLVMBuildExtractValue(lw->b, r, 1, "");
    return LLVMBuildExtractValue(lw->b, r, 0, "");
}

/* The size of an array of these dimensions with elements of `unit` bytes
   (1: the number of elements), checked one dimension after the other as
   PyArray_NewFromDescr does: a negative one raises ValueError, and so does
   (with msg) a product of `unit` and the nonzero ones that does not fit
   in an int64.  0 when a dimension is 0. */
LLVMValueRef
pj_array_checked_size(PjLower *lw, LLVMValueRef *dims, int nd,
                      LLVMValueRef unit, const char *msg)
{
    LLVMValueRef size = unit, empty = LLVMConstInt(lw->t_i1, 0, 0);
    for (int k = 0; k < nd; k++) {
        pj_lower_check(lw, LLVMBuildICmp(lw->b, LLVMIntSLT, dims[k],
                                         pj_i64(lw, 0), ""),
                       "ValueError", "negative dimensions are not allowed");
        LLVMValueRef zero = LLVMBuildICmp(lw->b, LLVMIntEQ, dims[k],
                                          pj_i64(lw, 0), "");
        empty = LLVMBuildOr(lw->b, empty, zero, "");
        LLVMValueRef factor = LLVMBuildSelect(lw->b, zero, pj_i64(lw, 1),
                                              dims[k], "");
        LLVMValueRef overflow;
        size = pj_array_mul_checked(lw, size, factor, &overflow);
        pj_lower_check(lw, overflow, "ValueError", msg);
    }
    return LLVMBuildSelect(lw->b, empty, pj_i64(lw, 0), size, "");
}

/* The address of a copy of dims[0..n), for a runtime helper to read. */
LLVMValueRef
pj_array_dims_in_memory(PjLower *lw, LLVMValueRef *dims, int n)
{
    LLVMTypeRef t = LLVMArrayType2(lw->t_i64, (uint64_t)n);
    LLVMValueRef v = LLVMGetUndef(t);
    for (int k = 0; k < n; k++) {
        v = LLVMBuildInsertValue(lw->b, v, dims[k], (unsigned)k, "");
    }
    LLVMValueRef slot = pj_lower_alloca(lw, t, "dims");
    LLVMBuildStore(lw->b, v, slot);
    return slot;
}

/* --- allocation --- */

/* The memory of a new array of type at and this shape (zeroed when
   `zero`), with its header; NumPy's MemoryError when there is not that
   much. */
static LLVMValueRef
alloc_memory(PjLower *lw, PjType *at, LLVMValueRef *shape,
             LLVMValueRef nbytes, bool zero)
{
    LLVMTypeRef p[2] = {lw->t_i64, lw->t_i32};
    LLVMValueRef a[2] = {nbytes, pj_i32(lw, zero)};
    LLVMValueRef mi = pj_lower_helper(lw, "pj_rt_array_alloc", lw->t_ptr,
                                      p, a, 2);
    LLVMBasicBlockRef ok = pj_lower_fail_begin(lw, LLVMBuildIsNull(lw->b, mi,
                                                                   ""));
    int nd = pj_array_ndim(at);
    LLVMTypeRef rp[3] = {lw->t_i32, lw->t_ptr, lw->t_i32};
    LLVMValueRef dims = pj_array_dims_in_memory(lw, shape, nd);
    LLVMValueRef ra[3] = {pj_i32(lw, nd), dims,
                          pj_i32(lw, pj_dtype_num(at->elems[0]))};
    pj_lower_helper(lw, "pj_rt_raise_no_memory", lw->t_void, rp, ra, 3);
    pj_lower_fail_end(lw, ok);
    return mi;
}

/* A new C array of type at and this shape: its memory zeroed when
   `zero`.  A shape NumPy refuses raises NumPy's ValueError. */
LLVMValueRef
pj_array_new(PjLower *lw, PjType *at, LLVMValueRef *shape, bool zero)
{
    int nd = pj_array_ndim(at);
    LLVMValueRef item = pj_array_itemsize(lw, at->elems[0]);
    LLVMValueRef nbytes = pj_array_checked_size(lw, shape, nd, item,
                                                pj_array_too_big);
    LLVMValueRef mi = alloc_memory(lw, at, shape, nbytes, zero);
    LLVMValueRef header = pj_i64(lw, PJ_MEMINFO_HEADER);
    LLVMValueRef data = LLVMBuildInBoundsGEP2(lw->b, lw->t_i8, mi, &header, 1,
                                              "");
    LLVMValueRef v = LLVMGetUndef(pj_lower_type(lw, at));
    v = LLVMBuildInsertValue(lw->b, v, mi, PJ_ARRAY_MEMINFO, "");
    v = LLVMBuildInsertValue(lw->b, v, LLVMConstNull(lw->t_ptr),
                             PJ_ARRAY_PARENT, "");
    v = LLVMBuildInsertValue(lw->b, v, data, PJ_ARRAY_DATA, "");
    LLVMTypeRef dims = LLVMArrayType2(lw->t_i64, (uint64_t)nd);
    LLVMValueRef sh = LLVMGetUndef(dims), st = LLVMGetUndef(dims);
    LLVMValueRef stride = item;     /* within the size checked above */
    bool f = pj_array_is_f(at);     /* the first dimension's step smallest */
    for (int j = 0; j < nd; j++) {
        int k = f ? j : nd - 1 - j;
        sh = LLVMBuildInsertValue(lw->b, sh, shape[k], (unsigned)k, "");
        st = LLVMBuildInsertValue(lw->b, st, stride, (unsigned)k, "");
        stride = LLVMBuildMul(lw->b, stride, shape[k], "");
    }
    v = LLVMBuildInsertValue(lw->b, v, sh, PJ_ARRAY_SHAPE, "");
    return LLVMBuildInsertValue(lw->b, v, st, PJ_ARRAY_STRIDES, "");
}

/* --- filling --- */

/* A counted loop over i in [lo, hi): body(i) does one element. */
void
pj_array_for_range(PjLower *lw, LLVMValueRef lo, LLVMValueRef hi,
                   PjArrayElemFn body, void *ctx)
{
    LLVMBasicBlockRef before = LLVMGetInsertBlock(lw->b);
    LLVMBasicBlockRef head = LLVMAppendBasicBlockInContext(lw->ctx, lw->func,
                                                           "fill.head");
    LLVMBasicBlockRef loop = LLVMAppendBasicBlockInContext(lw->ctx, lw->func,
                                                           "fill.body");
    LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(lw->ctx, lw->func,
                                                           "fill.done");
    LLVMBuildBr(lw->b, head);
    LLVMPositionBuilderAtEnd(lw->b, head);
    LLVMValueRef i = LLVMBuildPhi(lw->b, lw->t_i64, "i");
    LLVMBuildCondBr(lw->b, LLVMBuildICmp(lw->b, LLVMIntSLT, i, hi, ""), loop,
                    done);
    LLVMPositionBuilderAtEnd(lw->b, loop);
    body(lw, i, ctx);
    LLVMValueRef next = LLVMBuildNSWAdd(lw->b, i, pj_i64(lw, 1), "");
    LLVMBasicBlockRef loop_end = LLVMGetInsertBlock(lw->b);
    LLVMBuildBr(lw->b, head);
    LLVMValueRef vals[2] = {lo, next};
    LLVMBasicBlockRef from[2] = {before, loop_end};
    LLVMAddIncoming(i, vals, from, 2);
    LLVMPositionBuilderAtEnd(lw->b, done);
}

/* A counted loop over i in [0, n): body(i) fills one element. */
void
pj_array_for_each(PjLower *lw, LLVMValueRef n, PjArrayElemFn body, void *ctx)
{
    pj_array_for_range(lw, pj_i64(lw, 0), n, body, ctx);
}

typedef struct {
    PjType *at;             /* the new array's type */
    LLVMValueRef arr;       /* the new array */
    LLVMValueRef value;     /* fill: the value; arange: start */
    LLVMValueRef step;      /* arange: the step between items 1, 2, ... */
    LLVMValueRef next;      /* arange: item 1 */
    PjType *src_type;       /* copy: the source */
    LLVMValueRef src;
} FillCtx;

/* The i-th element of a new array in memory order: a fill's order does
   not matter, and for a new F array this is no division per element. */
static LLVMValueRef
memory_order_address(PjLower *lw, PjType *at, LLVMValueRef arr,
                     LLVMValueRef i)
{
    if (!pj_array_is_f(at)) {
        return pj_array_flat_address(lw, at, arr, i);
    }
    LLVMValueRef data = LLVMBuildExtractValue(lw->b, arr, PJ_ARRAY_DATA, "");
    return LLVMBuildInBoundsGEP2(lw->b, pj_array_elem_type(lw, at->elems[0]),
                                 data, &i, 1, "");
}

static void
fill_one(PjLower *lw, LLVMValueRef i, void *ctx)
{
    FillCtx *c = ctx;
    LLVMValueRef p = memory_order_address(lw, c->at, c->arr, i);
    pj_array_store(lw, c->at->elems[0], p, c->value);
}

static void
arange_one(PjLower *lw, LLVMValueRef i, void *ctx)
{
    FillCtx *c = ctx;
    PjType *dt = c->at->elems[0];
    LLVMValueRef v;
    if (dt->kind == PJ_TK_FLOAT) {
        /* NumPy's fill: start, start + step, then start + i * step' with
           step' = (start + step) - start */
        LLVMValueRef fi = LLVMBuildSIToFP(lw->b, i, LLVMTypeOf(c->step), "");
        v = LLVMBuildFAdd(lw->b, c->value, LLVMBuildFMul(lw->b, fi, c->step,
                                                         ""), "");
        v = LLVMBuildSelect(lw->b, LLVMBuildICmp(lw->b, LLVMIntEQ, i,
                                                 pj_i64(lw, 1), ""),
                            c->next, v, "");
        v = LLVMBuildSelect(lw->b, LLVMBuildICmp(lw->b, LLVMIntEQ, i,
                                                 pj_i64(lw, 0), ""),
                            c->value, v, "");
    }
    else {
        /* counted in int64, stored in the dtype's width */
        v = LLVMBuildAdd(lw->b, c->value, LLVMBuildMul(lw->b, i, c->step, ""),
                         "");
        v = pj_lower_convert(lw, v, pj_t.i64, dt);
    }
    pj_array_store(lw, dt, pj_array_flat_address(lw, c->at, c->arr, i), v);
}

/* The source's element into the copy's, converted to its dtype. */
static void
copy_element(PjLower *lw, PjWalk *w, void *ctx)
{
    FillCtx *c = ctx;
    PjType *from = c->src_type->elems[0], *to = c->at->elems[0];
    LLVMValueRef v = pj_array_load(lw, from, w->at[0]);
    pj_array_store(lw, to, w->at[1], pj_lower_convert(lw, v, from, to));
}

/* Copies the n elements of src (of type st, n its size) into dst (of
   type dt), in C order or, `f_order`, F order, each the next element of
   dst's memory, converting them to dt's dtype. */
static void
copy_in_order(PjLower *lw, PjType *dt, LLVMValueRef dst, PjType *st,
              LLVMValueRef src, LLVMValueRef n, bool f_order)
{
    FillCtx c = {.at = dt, .arr = dst, .src_type = st, .src = src};
    LLVMValueRef shape[PJ_MAX_NDIM];
    int nd = pj_array_ndim(st);
    pj_array_shape_values(lw, st, src, shape);
    PjWalk w;
    pj_walk_init(&w, nd, shape, f_order, copy_element, &c);
    pj_walk_add(&w, st, src, false);
    pj_walk_add(&w, dt, dst, true);
    pj_array_walk(lw, &w, pj_i64(lw, 0), n);
}

/* Copies the n elements of src (of type st, n its size) into the C array
   dst (of type dt) in C order, converting them to dt's dtype. */
void
pj_array_copy_into(PjLower *lw, PjType *dt, LLVMValueRef dst, PjType *st,
                   LLVMValueRef src, LLVMValueRef n)
{
    copy_in_order(lw, dt, dst, st, src, n, false);
}

/* --- lowering the functions --- */

/* The shape of a new array: from an int or a tuple of ints, or another
   array's. */
void
pj_array_shape_values(PjLower *lw, PjType *t, LLVMValueRef v,
                      LLVMValueRef *shape)
{
    if (pj_type_is_array(t)) {
        for (int k = 0; k < pj_array_ndim(t); k++) {
            shape[k] = pj_array_dim(lw, v, PJ_ARRAY_SHAPE, k);
        }
    }
    else if (!pj_type_is_tuple(t)) {
        shape[0] = pj_lower_convert(lw, v, t, pj_t.i64);
    }
    else {
        for (int k = 0; k < t->count; k++) {
            shape[k] = pj_lower_convert(lw, LLVMBuildExtractValue(
                lw->b, v, (unsigned)k, ""), pj_type_elem(t, k), pj_t.i64);
        }
    }
}

/* np.empty(shape), np.empty_like(a), and the zeroed and filled forms:
   args[0] is the shape or the model array, args[1] a fill value. */
static LLVMValueRef
make_filled(PjLower *lw, PjInstr *ins, LLVMValueRef *args, bool zero,
            LLVMValueRef fill, PjType *fill_type)
{
    PjType *at = ins->resty;
    LLVMValueRef shape[PJ_MAX_NDIM];
    pj_array_shape_values(lw, ins->argtys[0], args[0], shape);
    LLVMValueRef arr = pj_array_new(lw, at, shape, zero);
    if (fill != NULL) {
        FillCtx c = {.at = at, .arr = arr,
                     .value = pj_lower_convert(lw, fill, fill_type,
                                               at->elems[0])};
        pj_array_for_each(lw, pj_array_size(lw, at, arr), fill_one, &c);
    }
    return arr;
}

static LLVMValueRef
lower_empty(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    return make_filled(lw, ins, args, false, NULL, NULL);
}

static LLVMValueRef
lower_zeros(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    return make_filled(lw, ins, args, true, NULL, NULL);
}

static LLVMValueRef
lower_ones(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    return make_filled(lw, ins, args, false, pj_i64(lw, 1), pj_t.i64);
}

static LLVMValueRef
lower_full(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *t = ins->argtys[1];
    LLVMValueRef fill = args[1];
    if (pj_type_is_array(t)) {          /* 0-d: its one element */
        fill = pj_array_load(lw, t->elems[0],
                             pj_array_address(lw, t, fill, NULL, 0));
        t = t->elems[0];
    }
    return make_filled(lw, ins, args, false, fill, t);
}

/* The length of np.arange(start, stop, step) of integers: range's count,
   exact where stop - start overflows an int64. */
static LLVMValueRef
arange_length_int(PjLower *lw, LLVMValueRef start, LLVMValueRef stop,
                  LLVMValueRef step)
{
    pj_lower_check(lw, LLVMBuildICmp(lw->b, LLVMIntEQ, step, pj_i64(lw, 0),
                                     ""),
                   "ZeroDivisionError", "division by zero");
    LLVMValueRef n = pj_lower_range_count(lw, start, stop, step, false);
    pj_lower_check(lw, LLVMBuildICmp(lw->b, LLVMIntSLT, n, pj_i64(lw, 0), ""),
                   "ValueError", "Maximum allowed size exceeded");
    return n;
}

/* The length of np.arange of floats as NumPy computes it (_calc_length):
   ceil((stop - start) / step), a quotient that underflowed to 0 counting
   as 1 when it is positive; NaN and lengths beyond an int64 raise. */
static LLVMValueRef
arange_length_float(PjLower *lw, LLVMValueRef start, LLVMValueRef stop,
                    LLVMValueRef step)
{
    LLVMBuilderRef B = lw->b;
    LLVMValueRef zero = LLVMConstReal(lw->t_f64, 0);
    pj_lower_check(lw, LLVMBuildFCmp(B, LLVMRealOEQ, step, zero, ""),
                   "ZeroDivisionError", "float division by zero");
    LLVMValueRef delta = LLVMBuildFSub(B, stop, start, "");
    LLVMValueRef q = LLVMBuildFDiv(B, delta, step, "");
    pj_lower_check(lw, LLVMBuildFCmp(B, LLVMRealUNO, q, q, ""), "ValueError",
                   "arange: cannot compute length");
    /* Doubles this large are integers: q and ceil(q) are on the same side
       of +-2**63.  Checked before ceil, which fastmath lets assume finite
       arguments. */
    LLVMValueRef big = LLVMConstReal(lw->t_f64, 0x1p63);
    LLVMValueRef fits = LLVMBuildAnd(
        B, LLVMBuildFCmp(B, LLVMRealOGE, q, LLVMBuildFNeg(B, big, ""), ""),
        LLVMBuildFCmp(B, LLVMRealOLT, q, big, ""), "");
    pj_lower_check(lw, LLVMBuildNot(B, fits, ""), "ValueError",
                   "Maximum allowed size exceeded");
    LLVMValueRef c = pj_lower_intrinsic(lw, "llvm.ceil", lw->t_f64, &q, 1);
    LLVMValueRef n = LLVMBuildFPToSI(B, c, lw->t_i64, "");
    LLVMValueRef underflow = LLVMBuildAnd(
        B, LLVMBuildFCmp(B, LLVMRealOEQ, q, zero, ""),
        LLVMBuildFCmp(B, LLVMRealUNE, delta, zero, ""), "");
    LLVMValueRef negative = LLVMBuildICmp(
        B, LLVMIntSLT, LLVMBuildBitCast(B, q, lw->t_i64, ""), pj_i64(lw, 0),
        "");
    LLVMValueRef tiny = LLVMBuildSelect(B, negative, pj_i64(lw, 0),
                                        pj_i64(lw, 1), "");
    return LLVMBuildSelect(B, underflow, tiny, n, "");
}

/* np.arange(stop), (start, stop) or (start, stop, step). */
static LLVMValueRef
lower_arange(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *at = ins->resty, *dt = at->elems[0];
    int bound = ins->call->nparams, n = 0;
    while (n < 3 && n < bound && pj_type_is_number(ins->argtys[n])) {
        n++;
    }
    PjType *ct = dt->kind == PJ_TK_FLOAT ? pj_t.f64 : pj_t.i64;
    LLVMValueRef start = n > 1 ? pj_lower_convert(lw, args[0],
                                                  ins->argtys[0], ct)
                               : LLVMConstNull(pj_lower_type(lw, ct));
    LLVMValueRef stop = pj_lower_convert(lw, args[n > 1], ins->argtys[n > 1],
                                         ct);
    LLVMValueRef step = n > 2 ? pj_lower_convert(lw, args[2], ins->argtys[2],
                                                 ct)
                              : pj_lower_convert(lw, pj_i64(lw, 1), pj_t.i64,
                                                 ct);
    LLVMValueRef len = ct == pj_t.f64
        ? arange_length_float(lw, start, stop, step)
        : arange_length_int(lw, start, stop, step);
    len = LLVMBuildSelect(lw->b, LLVMBuildICmp(lw->b, LLVMIntSGT, len,
                                               pj_i64(lw, 0), ""),
                          len, pj_i64(lw, 0), "");
    LLVMValueRef arr = pj_array_new(lw, at, &len, false);
    FillCtx c = {.at = at, .arr = arr, .value = start, .step = step};
    if (ct == pj_t.f64) {
        /* NumPy fills from the first two items in the dtype (float32
           arithmetic for a float32 array) */
        PjType *ft = dt->kind == PJ_TK_FLOAT ? dt : ct;
        c.value = pj_lower_convert(lw, start, ct, ft);
        c.next = pj_lower_convert(lw, LLVMBuildFAdd(lw->b, start, step, ""),
                                  ct, ft);
        c.step = LLVMBuildFSub(lw->b, c.next, c.value, "");
    }
    pj_array_for_each(lw, len, arange_one, &c);
    return arr;
}

/* np.copy(a): a new C array with a's elements (in C order), an F one of
   an F array. */
static LLVMValueRef
lower_copy(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *at = ins->resty;
    LLVMValueRef shape[PJ_MAX_NDIM];
    pj_array_shape_values(lw, ins->argtys[0], args[0], shape);
    LLVMValueRef arr = pj_array_new(lw, at, shape, false);
    copy_in_order(lw, at, arr, ins->argtys[0], args[0],
                  pj_array_size(lw, at, arr), pj_array_is_f(at));
    return arr;
}

static const PjImpl impl_new[] = {
    [PJ_NEW_EMPTY] = {"empty", lower_empty, true, true},
    [PJ_NEW_ZEROS] = {"zeros", lower_zeros, true, true},
    [PJ_NEW_ONES] = {"ones", lower_ones, true, true},
    [PJ_NEW_FULL] = {"full", lower_full, true, true},
    [PJ_NEW_ARANGE] = {"arange", lower_arange, true, true},
    [PJ_NEW_COPY] = {"copy", lower_copy, true, true},
};
