/*
** arrays.c - the array core: typing and lowering of what nopython code
** does with a NumPy array it was given.
**
** An array is a struct passed by value (lower.c's pj_lower_type):
**
**   { meminfo, parent, data, shape[ndim], strides[ndim] }
**
** parent is the array object it came from (borrowed: the caller holds the
** arguments for the whole call), so a view of it can be handed back to
** Python; meminfo is for arrays made in compiled code and NULL here.
** Strides are in bytes.  A C-contiguous array is indexed through its
** shape instead, so that LLVM sees unit strides and vectorizes.
**
** Indexing takes integers (negative ones count from the end, as in
** Python), one per dimension for an element or fewer for a view of the
** rest.  As in Numba, indices are not checked unless boundscheck=True,
** which raises IndexError for an index out of range.
*/
#include "pyjit.h"

#define NO_IMPORT_ARRAY
#include <numpy/arrayobject.h>

#include <string.h>

/* --- typing --- */

static PjType *
view_type(PjType *arr, int nidx)
{
    int flags = arr->ident;
    return pj_type_array(arr->elems[0], pj_array_ndim(arr) - nidx, flags);
}

/* How many integer indices idx holds (1 for an integer, k for a tuple of
   k integers), or -1 with *why set. */
static int
count_indices(PjType *idx, const char **why)
{
    if (idx == NULL || pj_type_is_integer(idx)) {
        return 1;
    }
    if (pj_type_is_tuple(idx) && idx->count > 0) {
        for (int i = 0; i < idx->count; i++) {
            if (!pj_type_is_integer(pj_type_elem(idx, i))) {
                *why = "arrays are indexed by integers (slices, arrays "
                       "and booleans as indices are not supported yet)";
                return -1;
            }
        }
        return idx->count;
    }
    *why = "arrays are indexed by integers (slices, arrays and booleans as "
           "indices are not supported yet)";
    return -1;
}

static const PjImpl impl_getitem, impl_setitem, impl_attr, impl_len;
static LLVMValueRef array_iter(PjLower *lw, LLVMValueRef a, PjType *t,
                               PjType *it);
static const PjImpl impl_getslice;

/* How a[...] with slices among its indices indexes each dimension. */
enum { ITEM_INT, ITEM_SLICE, ITEM_CONST_SLICE };

typedef struct {
    int nitems;
    char kinds[PJ_MAX_NDIM];
    int given[PJ_MAX_NDIM];     /* slices: PJ_SLICE_* parts present */
} SlicePlan;

static int
choose_plan(PjCompile *cx, PjInstr *ins, const PjImpl *impl, PjType *resty,
            PjType **argtys, int n, PjPlan plan)
{
    RETURN_IF_ERROR(pj_choose_plan(cx, ins, impl, resty, argtys, n, plan));
    if (impl->can_raise || (cx->opts.boundscheck && impl != &impl_attr)) {
        cx->can_raise = true;
    }
    return 0;
}

static int
choose(PjCompile *cx, PjInstr *ins, const PjImpl *impl, PjType *resty,
       PjType **argtys, int n)
{
    return choose_plan(cx, ins, impl, resty, argtys, n, (PjPlan){0});
}

/* The parts of a constant slice object that are not None. */
static int
const_slice_parts(PyObject *s, bool *unit_step)
{
    PySliceObject *sl = (PySliceObject *)s;
    *unit_step = sl->step == Py_None
                 || (PyLong_Check(sl->step) && PyLong_AsLong(sl->step) == 1);
    return (sl->start != Py_None ? PJ_SLICE_START : 0)
           | (sl->stop != Py_None ? PJ_SLICE_STOP : 0)
           | (sl->step != Py_None ? PJ_SLICE_STEP : 0);
}

/* Fills the plan of an index with slices; 1 when it is not one. */
static int
plan_slices(PjInstr *ins, PjType *idx, SlicePlan *plan)
{
    if (idx == NULL) {                  /* a[lo:hi:step], constants */
        plan->nitems = 1;
        plan->kinds[0] = ITEM_CONST_SLICE;
        bool unit;
        plan->given[0] = const_slice_parts(ins->obj, &unit);
        return 0;
    }
    int n = pj_type_is_tuple(idx) ? idx->count : 1;
    if (n > PJ_MAX_NDIM) {
        return 1;
    }
    bool any = false;
    for (int k = 0; k < n; k++) {
        PjType *t = pj_type_is_tuple(idx) ? pj_type_elem(idx, k) : idx;
        if (t->kind == PJ_TK_SLICE) {
            plan->kinds[k] = ITEM_SLICE;
            plan->given[k] = t->ident;
            any = true;
        }
        else if (pj_type_is_integer(t)) {
            plan->kinds[k] = ITEM_INT;
        }
        else {
            return 1;
        }
    }
    plan->nitems = n;
    return any ? 0 : 1;
}

/* A slice of a C array stays C when, after the integer indices, only
   its first sliced dimension is cut (with step 1) and the rest are ':'. */
static bool
slice_keeps_c(PjInstr *ins, const SlicePlan *plan)
{
    bool sliced = false;
    for (int k = 0; k < plan->nitems; k++) {
        int g = plan->given[k];
        bool unit = !(g & PJ_SLICE_STEP);
        if (plan->kinds[k] == ITEM_CONST_SLICE) {
            const_slice_parts(ins->obj, &unit);
        }
        if (plan->kinds[k] == ITEM_INT) {
            if (sliced) {
                return false;
            }
        }
        else if (sliced ? g != 0 : !unit) {
            return false;
        }
        else {
            sliced = true;
        }
    }
    return true;
}

/* a[lo:hi], a[i, :], a[::-1]...: a view. */
static int
type_getslice(PjCompile *cx, PjInstr *ins, PjType *arr, PjType *idx,
              SlicePlan *plan)
{
    if (plan->nitems > pj_array_ndim(arr)) {
        cx->why = "too many indices for the array";
        return 1;
    }
    int nints = 0;
    bool dynamic_step = false;
    for (int k = 0; k < plan->nitems; k++) {
        nints += plan->kinds[k] == ITEM_INT;
        dynamic_step |= plan->kinds[k] == ITEM_SLICE
                        && (plan->given[k] & PJ_SLICE_STEP);
    }
    if (nints == pj_array_ndim(arr)) {
        cx->why = "too many indices for the array";
        return 1;
    }
    PyObject *step = plan->kinds[0] == ITEM_CONST_SLICE
                     ? ((PySliceObject *)ins->obj)->step : Py_None;
    if (step != Py_None && PyObject_Not(step) == 1) {
        cx->why = "slice step cannot be zero";     /* as for tuples */
        return 1;
    }
    int flags = pj_array_readonly(arr) ? PJ_READONLY : 0;
    if (!(pj_array_is_c(arr) && slice_keeps_c(ins, plan))) {
        flags |= PJ_LAYOUT_A;
    }
    PjType *res = pj_type_array(arr->elems[0], pj_array_ndim(arr) - nints,
                                flags);
    SlicePlan *kept = PJ_NEW(cx->arena, SlicePlan);
    if (res == NULL || kept == NULL) {
        return -1;
    }
    *kept = *plan;
    PjType *argtys[2] = {arr, idx};
    RETURN_IF_ERROR(choose_plan(cx, ins, &impl_getslice, res, argtys, 2,
                                (PjPlan){.ptr = kept}));
    if (dynamic_step) {
        cx->can_raise = true;           /* ValueError: step zero */
    }
    return 0;
}

/* a[i], a[i, j], a[c] (a constant, in ins->sub, when idx is NULL), and
   with slices a[lo:hi], a[i, :]...  0: typed; 1: not, with cx->why
   set. */
static int
array_getitem(PjCompile *cx, PjInstr *ins, PjType *arr, PjType *idx)
{
    SlicePlan plan;
    if ((idx != NULL || ins->obj != NULL)
        && plan_slices(ins, idx, &plan) == 0) {
        return type_getslice(cx, ins, arr, idx, &plan);
    }
    int n = count_indices(idx, &cx->why);
    if (n < 0) {
        return 1;
    }
    if (n > pj_array_ndim(arr)) {
        cx->why = "too many indices for the array";
        return 1;
    }
    PjType *res = n == pj_array_ndim(arr) ? arr->elems[0]
                                          : view_type(arr, n);
    if (res == NULL) {
        return -1;
    }
    PjType *argtys[2] = {arr, idx};
    return choose_plan(cx, ins, &impl_getitem, res, argtys, 2,
                       (PjPlan){.n = idx == NULL ? ins->sub : 0});
}

static int type_setview(PjCompile *cx, PjInstr *ins, PjType *arr,
                        PjType *idx, PjType *value, SlicePlan *sp, int n);

/* a[i] = v: v converts to the array's dtype as Numba casts it.  With
   slices or fewer indices than dimensions, v (a number or an array) is
   broadcast into the view: a[1:3] = 0, m[i] = row. */
static int
array_setitem(PjCompile *cx, PjInstr *ins, PjType *arr, PjType *idx,
              PjType *value)
{
    if (pj_array_readonly(arr)) {
        cx->why = "the array is read-only";
        return 1;
    }
    SlicePlan sp;
    if (plan_slices(ins, idx, &sp) == 0) {
        return type_setview(cx, ins, arr, idx, value, &sp, 0);
    }
    int n = count_indices(idx, &cx->why);
    if (n < 0) {
        return 1;
    }
    if (n > pj_array_ndim(arr)) {
        cx->why = "too many indices for the array";
        return 1;
    }
    if (n < pj_array_ndim(arr)) {
        return type_setview(cx, ins, arr, idx, value, NULL, n);
    }
    PjType *dtype = arr->elems[0];
    if (!pj_type_is_number(value)
        || (value->kind == PJ_TK_COMPLEX && dtype->kind != PJ_TK_COMPLEX)) {
        cx->why = "the value cannot be stored in an array of this dtype";
        return 1;
    }
    PjType *argtys[3] = {arr, idx, value};
    return choose(cx, ins, &impl_setitem, NULL, argtys, 3);
}

enum { ATTR_SHAPE, ATTR_STRIDES, ATTR_NDIM, ATTR_SIZE, ATTR_ITEMSIZE,
       ATTR_FLAT, ATTR_T };

/* Methods compiled here (the rest are pyjit/_numpy.py's). */
static const char *const view_methods[] = {"reshape", "ravel", "flatten",
                                           "transpose", NULL};

static bool
is_view_method(const char *name)
{
    for (int i = 0; view_methods[i] != NULL; i++) {
        if (strcmp(view_methods[i], name) == 0) {
            return true;
        }
    }
    return false;
}

/* a.shape, a.strides, a.ndim, a.size, a.itemsize, a.flat, and the
   methods pyjit/_numpy.py implements; 1 for other names. */
static int
array_getattr(PjCompile *cx, PjInstr *ins, PjType *arr)
{
    static const char *const names[] = {"shape", "strides", "ndim", "size",
                                        "itemsize"};
    if (strcmp(ins->name, "flat") == 0) {
        PjType *it = pj_type_iterator(PJ_TK_FLAT_ITER, &arr, 1,
                                      arr->elems[0]);
        return it ? choose_plan(cx, ins, &impl_attr, it, &arr, 1,
                                (PjPlan){.n = ATTR_FLAT}) : -1;
    }
    if (strcmp(ins->name, "T") == 0) {
        PjType *t = pj_array_ndim(arr) == 1 ? arr : pj_type_array(
            arr->elems[0], pj_array_ndim(arr), arr->ident | PJ_LAYOUT_A);
        return t ? choose_plan(cx, ins, &impl_attr, t, &arr, 1,
                               (PjPlan){.n = ATTR_T}) : -1;
    }
    if (is_view_method(ins->name)
        || pj_library_method(arr, ins->name) != NULL) {
        PjType *b = pj_type_bound(cx->arena, arr, ins->name);
        return b ? choose(cx, ins, &pj_impl_self, b, &arr, 1) : -1;
    }
    for (int k = 0; k < 5; k++) {
        if (strcmp(ins->name, names[k]) != 0) {
            continue;
        }
        PjType *res = pj_t.i64;
        if (k <= ATTR_STRIDES) {
            PjType *items[PJ_MAX_NDIM];
            for (int i = 0; i < pj_array_ndim(arr); i++) {
                items[i] = pj_t.i64;
            }
            res = pj_type_tuple(items, pj_array_ndim(arr));
        }
        return res ? choose_plan(cx, ins, &impl_attr, res, &arr, 1,
                                 (PjPlan){.n = k}) : -1;
    }
    return 1;
}

/* len(a): the length of the first dimension. */
static int
array_len(PjCompile *cx, PjInstr *ins, PjType *arr)
{
    return choose(cx, ins, &impl_len, pj_t.i64, &arr, 1);
}

/* What iterating over an array yields: its elements (1d) or views of
   its rows. */
PjType *
pj_array_iter_item(PjType *arr)
{
    return pj_array_ndim(arr) == 1 ? arr->elems[0] : view_type(arr, 1);
}

/* --- lowering --- */

enum { F_MEMINFO, F_PARENT, F_DATA, F_SHAPE, F_STRIDES };

static LLVMValueRef
i64c(PjLower *lw, int64_t v)
{
    return LLVMConstInt(lw->t_i64, (unsigned long long)v, 1);
}

static LLVMValueRef
dim(PjLower *lw, LLVMValueRef arr, unsigned field, int i)
{
    unsigned idx[2] = {field, (unsigned)i};
    return LLVMBuildExtractValue(lw->b, LLVMBuildExtractValue(
        lw->b, arr, idx[0], ""), idx[1], "");
}

/* The k-th index of an access as an i64: a constant, an integer or an
   item of a tuple of integers. */
static LLVMValueRef
index_value(PjLower *lw, PjInstr *ins, LLVMValueRef *args, int k,
            bool *maybe_negative)
{
    PjType *it = ins->argtys[1];
    if (it == NULL) {
        intptr_t c = ins->plan.n;
        *maybe_negative = c < 0;
        return i64c(lw, c);
    }
    LLVMValueRef v = args[1];
    if (pj_type_is_tuple(it)) {
        v = LLVMBuildExtractValue(lw->b, v, (unsigned)k, "");
        it = pj_type_elem(it, k);
    }
    *maybe_negative = it->kind == PJ_TK_INT;
    if (LLVMIsAConstantInt(v)) {
        *maybe_negative = LLVMConstIntGetSExtValue(v) < 0;
    }
    return pj_lower_convert(lw, v, it, it->kind == PJ_TK_UINT ? pj_t.u64
                                                             : pj_t.i64);
}

/* Index k wrapped (negative from the end) and, with boundscheck, checked
   against the dimension. */
static LLVMValueRef
checked_index(PjLower *lw, LLVMValueRef i, bool maybe_negative,
              LLVMValueRef n)
{
    if (maybe_negative) {
        LLVMValueRef neg = LLVMBuildICmp(lw->b, LLVMIntSLT, i, i64c(lw, 0),
                                         "");
        i = LLVMBuildSelect(lw->b, neg, LLVMBuildAdd(lw->b, i, n, ""), i, "");
    }
    if (lw->cx->opts.boundscheck) {
        pj_lower_check(lw, LLVMBuildICmp(lw->b, LLVMIntUGE, i, n, ""),
                       "IndexError", "index is out of bounds");
    }
    return i;
}

/* The address of a[i0, ..., i(n-1)]: for an element (n == ndim) or the
   start of the sub-array. */
static LLVMValueRef
address(PjLower *lw, PjType *at, LLVMValueRef arr, LLVMValueRef *idx, int n)
{
    int nd = pj_array_ndim(at);
    LLVMValueRef data = LLVMBuildExtractValue(lw->b, arr, F_DATA, "");
    LLVMTypeRef et = pj_lower_type(lw, at->elems[0]);
    if (at->elems[0]->kind == PJ_TK_BOOL) {
        et = lw->t_i8;              /* NumPy stores bool in a byte */
    }
    if (pj_array_is_c(at)) {
        /* Row-major: ((i0 * d1 + i1) * d2 + ...) elements in. */
        LLVMValueRef lin = i64c(lw, 0);
        for (int k = 0; k < nd; k++) {
            LLVMValueRef ik = k < n ? idx[k] : i64c(lw, 0);
            lin = k == 0 ? ik
                         : LLVMBuildAdd(lw->b, LLVMBuildNSWMul(
                               lw->b, lin, dim(lw, arr, F_SHAPE, k), ""),
                               ik, "");
        }
        return LLVMBuildInBoundsGEP2(lw->b, et, data, &lin, 1, "");
    }
    LLVMValueRef off = i64c(lw, 0);
    for (int k = 0; k < n; k++) {
        off = LLVMBuildAdd(lw->b, off, LLVMBuildMul(
            lw->b, idx[k], dim(lw, arr, F_STRIDES, k), ""), "");
    }
    return LLVMBuildInBoundsGEP2(lw->b, lw->t_i8, data, &off, 1, "");
}

/* A view of arr's memory at `data` (NULL: arr's own start), of type vt,
   with the given shape and strides. */
static LLVMValueRef
view_at(PjLower *lw, LLVMValueRef arr, LLVMValueRef data, PjType *vt,
        LLVMValueRef *shape, LLVMValueRef *strides)
{
    int nd = pj_array_ndim(vt);
    LLVMValueRef v = LLVMGetUndef(pj_lower_type(lw, vt));
    for (unsigned f = F_MEMINFO; f <= F_DATA; f++) {
        LLVMValueRef x = f == F_DATA && data != NULL
                         ? data : LLVMBuildExtractValue(lw->b, arr, f, "");
        v = LLVMBuildInsertValue(lw->b, v, x, f, "");
    }
    LLVMTypeRef dims = LLVMArrayType2(lw->t_i64, (uint64_t)nd);
    LLVMValueRef sh = LLVMGetUndef(dims), st = LLVMGetUndef(dims);
    for (int k = 0; k < nd; k++) {
        sh = LLVMBuildInsertValue(lw->b, sh, shape[k], (unsigned)k, "");
        st = LLVMBuildInsertValue(lw->b, st, strides[k], (unsigned)k, "");
    }
    v = LLVMBuildInsertValue(lw->b, v, sh, F_SHAPE, "");
    return LLVMBuildInsertValue(lw->b, v, st, F_STRIDES, "");
}

/* The struct of a view: the array's dimensions from n on, at `data`. */
static LLVMValueRef
make_view(PjLower *lw, PjType *at, LLVMValueRef arr, LLVMValueRef data,
          int n, PjType *vt)
{
    LLVMValueRef shape[PJ_MAX_NDIM], strides[PJ_MAX_NDIM];
    for (int k = n; k < pj_array_ndim(at); k++) {
        shape[k - n] = dim(lw, arr, F_SHAPE, k);
        strides[k - n] = dim(lw, arr, F_STRIDES, k);
    }
    return view_at(lw, arr, data, vt, shape, strides);
}

static LLVMValueRef
load_element(PjLower *lw, PjType *dtype, LLVMValueRef p)
{
    if (dtype->kind == PJ_TK_BOOL) {
        LLVMValueRef byte = LLVMBuildLoad2(lw->b, lw->t_i8, p, "");
        return LLVMBuildICmp(lw->b, LLVMIntNE, byte,
                             LLVMConstInt(lw->t_i8, 0, 0), "");
    }
    return LLVMBuildLoad2(lw->b, pj_lower_type(lw, dtype), p, "");
}

static void
store_element(PjLower *lw, PjType *dtype, LLVMValueRef p, LLVMValueRef v)
{
    if (dtype->kind == PJ_TK_BOOL) {
        v = LLVMBuildZExt(lw->b, v, lw->t_i8, "");
    }
    LLVMBuildStore(lw->b, v, p);
}

/* a[idx] of the array in args[0]: the element, or a view when fewer
   indices than dimensions are given. */
static LLVMValueRef
index_array(PjLower *lw, PjInstr *ins, LLVMValueRef *args, PjType *resty,
       LLVMValueRef store)
{
    PjType *at = ins->argtys[0];
    PjType *it = ins->argtys[1];
    int n = it != NULL && pj_type_is_tuple(it) ? it->count : 1;
    LLVMValueRef idx[PJ_MAX_NDIM];
    for (int k = 0; k < n; k++) {
        bool neg;
        LLVMValueRef i = index_value(lw, ins, args, k, &neg);
        idx[k] = checked_index(lw, i, neg, dim(lw, args[0], F_SHAPE, k));
    }
    LLVMValueRef p = address(lw, at, args[0], idx, n);
    if (store != NULL) {
        store_element(lw, at->elems[0], p, store);
        return NULL;
    }
    if (n < pj_array_ndim(at)) {
        return make_view(lw, at, args[0], p, n, resty);
    }
    return load_element(lw, at->elems[0], p);
}

static LLVMValueRef
lower_getitem(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    return index_array(lw, ins, args, ins->resty, NULL);
}

static LLVMValueRef
lower_setitem(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *dtype = ins->argtys[0]->elems[0];
    LLVMValueRef v = pj_lower_convert(lw, args[2], ins->argtys[2], dtype);
    return index_array(lw, ins, args, NULL, v);
}

static LLVMValueRef size_of(PjLower *lw, PjType *at, LLVMValueRef arr);

static LLVMValueRef
with_dims(PjLower *lw, LLVMValueRef arr, PjType *vt, LLVMValueRef *shape,
          LLVMValueRef *strides)
{
    return view_at(lw, arr, NULL, vt, shape, strides);
}

/* a.T: the dimensions in reverse order. */
static LLVMValueRef
transposed(PjLower *lw, PjType *at, LLVMValueRef arr, PjType *vt)
{
    int nd = pj_array_ndim(at);
    LLVMValueRef shape[PJ_MAX_NDIM], strides[PJ_MAX_NDIM];
    for (int k = 0; k < nd; k++) {
        shape[k] = dim(lw, arr, F_SHAPE, nd - 1 - k);
        strides[k] = dim(lw, arr, F_STRIDES, nd - 1 - k);
    }
    return with_dims(lw, arr, vt, shape, strides);
}

static LLVMValueRef
size_of(PjLower *lw, PjType *at, LLVMValueRef arr)
{
    LLVMValueRef size = dim(lw, arr, F_SHAPE, 0);
    for (int k = 1; k < pj_array_ndim(at); k++) {
        size = LLVMBuildMul(lw->b, size, dim(lw, arr, F_SHAPE, k), "");
    }
    return size;
}

static LLVMValueRef
lower_attr(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *at = ins->argtys[0];
    int nd = pj_array_ndim(at);
    switch (ins->plan.n) {
    /* UniTuple(int64 x nd) is the same LLVM type as the struct's field. */
    case ATTR_SHAPE: return LLVMBuildExtractValue(lw->b, args[0], F_SHAPE, "");
    case ATTR_STRIDES:
        return LLVMBuildExtractValue(lw->b, args[0], F_STRIDES, "");
    case ATTR_NDIM: return i64c(lw, nd);
    case ATTR_FLAT: return array_iter(lw, args[0], at, ins->resty);
    case ATTR_T: return transposed(lw, at, args[0], ins->resty);
    case ATTR_ITEMSIZE: {
        PjType *dt = at->elems[0];
        return i64c(lw, dt->kind == PJ_TK_BOOL ? 1 : dt->bits / 8);
    }
    default: return size_of(lw, at, args[0]);
    }
}

/* The address of the element i places into the array in C order. */
static LLVMValueRef
flat_address(PjLower *lw, PjType *at, LLVMValueRef arr, LLVMValueRef i)
{
    int nd = pj_array_ndim(at);
    if (pj_array_is_c(at) || nd == 1) {
        LLVMValueRef idx[PJ_MAX_NDIM] = {i};
        if (nd > 1) {
            /* Contiguous: as a 1-d array of all the elements. */
            LLVMValueRef data = LLVMBuildExtractValue(lw->b, arr, F_DATA, "");
            LLVMTypeRef et = at->elems[0]->kind == PJ_TK_BOOL
                             ? lw->t_i8 : pj_lower_type(lw, at->elems[0]);
            return LLVMBuildInBoundsGEP2(lw->b, et, data, &i, 1, "");
        }
        return address(lw, at, arr, idx, 1);
    }
    /* Any strides: the index in each dimension, last one first. */
    LLVMValueRef idx[PJ_MAX_NDIM];
    for (int k = nd - 1; k >= 0; k--) {
        LLVMValueRef d = dim(lw, arr, F_SHAPE, k);
        idx[k] = k ? LLVMBuildSRem(lw->b, i, d, "") : i;
        if (k) {
            i = LLVMBuildSDiv(lw->b, i, d, "");
        }
    }
    return address(lw, at, arr, idx, nd);
}

static LLVMValueRef
lower_len(PjLower *lw, PjInstr *Py_UNUSED(ins), LLVMValueRef *args)
{
    return dim(lw, args[0], F_SHAPE, 0);
}

/* --- slicing --- */

static LLVMValueRef
smin(PjLower *lw, LLVMValueRef a, LLVMValueRef b)
{
    return LLVMBuildSelect(lw->b, LLVMBuildICmp(lw->b, LLVMIntSLT, a, b, ""),
                           a, b, "");
}

static LLVMValueRef
smax(PjLower *lw, LLVMValueRef a, LLVMValueRef b)
{
    return LLVMBuildSelect(lw->b, LLVMBuildICmp(lw->b, LLVMIntSGT, a, b, ""),
                           a, b, "");
}

/* A bound of a slice of a dimension of length n, as Python adjusts it:
   negative counts from the end, then clamped to [lo, hi]. */
static LLVMValueRef
clamp_bound(PjLower *lw, LLVMValueRef v, LLVMValueRef n, LLVMValueRef lo,
            LLVMValueRef hi)
{
    LLVMValueRef neg = LLVMBuildICmp(lw->b, LLVMIntSLT, v, i64c(lw, 0), "");
    LLVMValueRef wrapped = smax(lw, LLVMBuildAdd(lw->b, v, n, ""), lo);
    return LLVMBuildSelect(lw->b, neg, wrapped, smin(lw, v, hi), "");
}

/* A slice step as PySlice_Unpack takes it: -2**63 is -(2**63 - 1), so
   that the step and its negation both fit. */
static LLVMValueRef
slice_step(PjLower *lw, LLVMValueRef parts[3], int given)
{
    return given & PJ_SLICE_STEP ? smax(lw, parts[2], i64c(lw, -INT64_MAX))
                                 : i64c(lw, 1);
}

/* The number of items from start (inclusive) to stop (exclusive) by step
   when `from` < `to` (the larger bound first for a negative step), else 0:
   PySlice_AdjustIndices' formula, which cannot overflow as
   (stop - start + step - 1) / step can. */
static LLVMValueRef
slice_length(PjLower *lw, LLVMValueRef from, LLVMValueRef to,
             LLVMValueRef mag)
{
    LLVMBuilderRef B = lw->b;
    LLVMValueRef n = LLVMBuildAdd(B, LLVMBuildSDiv(B, LLVMBuildSub(
        B, LLVMBuildSub(B, to, from, ""), i64c(lw, 1), ""), mag, ""),
        i64c(lw, 1), "");
    return LLVMBuildSelect(B, LLVMBuildICmp(B, LLVMIntSLT, from, to, ""), n,
                           i64c(lw, 0), "");
}

/* start and length of lo:hi:step over a dimension of length n (parts not
   `given` are None; the step is slice_step's), by PySlice_AdjustIndices'
   rules. */
static void
slice_dimension(PjLower *lw, LLVMValueRef parts[3], int given,
                LLVMValueRef step, LLVMValueRef n, LLVMValueRef *start,
                LLVMValueRef *len)
{
    LLVMBuilderRef B = lw->b;
    LLVMValueRef zero = i64c(lw, 0), minus1 = i64c(lw, -1);
    LLVMValueRef last = LLVMBuildSub(B, n, i64c(lw, 1), "");
    /* step > 0: from 0 up to n; step < 0: from n - 1 down to -1 */
    LLVMValueRef up_start = given & PJ_SLICE_START
        ? clamp_bound(lw, parts[0], n, zero, n) : zero;
    LLVMValueRef up_stop = given & PJ_SLICE_STOP
        ? clamp_bound(lw, parts[1], n, zero, n) : n;
    LLVMValueRef down_start = given & PJ_SLICE_START
        ? clamp_bound(lw, parts[0], n, minus1, last) : last;
    LLVMValueRef down_stop = given & PJ_SLICE_STOP
        ? clamp_bound(lw, parts[1], n, minus1, last) : minus1;
    LLVMValueRef up_len = slice_length(lw, up_start, up_stop, step);
    LLVMValueRef down_len = slice_length(lw, down_stop, down_start,
                                         LLVMBuildNeg(B, step, ""));
    LLVMValueRef down = LLVMBuildICmp(B, LLVMIntSLT, step, zero, "");
    *start = LLVMBuildSelect(B, down, down_start, up_start, "");
    *len = LLVMBuildSelect(B, down, down_len, up_len, "");
}

/* The parts of slice item k: from a slice value or the constant. */
static void
slice_parts(PjLower *lw, PjInstr *ins, LLVMValueRef item, int kind,
            LLVMValueRef parts[3])
{
    if (kind == ITEM_CONST_SLICE) {
        PySliceObject *sl = (PySliceObject *)ins->obj;
        PyObject *p[3] = {sl->start, sl->stop, sl->step};
        for (int i = 0; i < 3; i++) {
            parts[i] = i64c(lw, p[i] == Py_None ? 0 : PyLong_AsLongLong(p[i]));
        }
        PyErr_Clear();          /* the frontend made them small ints */
        return;
    }
    for (unsigned i = 0; i < 3; i++) {
        parts[i] = LLVMBuildExtractValue(lw->b, item, i, "");
    }
}

/* The value of index item k (args[1] is the index or a tuple of them). */
static LLVMValueRef
index_item(PjLower *lw, PjInstr *ins, LLVMValueRef *args, int k,
           PjType **t)
{
    PjType *it = ins->argtys[1];
    if (it == NULL) {
        *t = NULL;
        return NULL;
    }
    if (!pj_type_is_tuple(it)) {
        *t = it;
        return args[1];
    }
    *t = pj_type_elem(it, k);
    return LLVMBuildExtractValue(lw->b, args[1], (unsigned)k, "");
}

/* The view a[index] for an index with slices (the plan), of type vt. */
static LLVMValueRef
slice_view(PjLower *lw, PjInstr *ins, LLVMValueRef *args,
           const SlicePlan *plan, PjType *vt)
{
    PjType *at = ins->argtys[0];
    int nd = pj_array_ndim(at), m = 0;
    LLVMValueRef arr = args[0], off = i64c(lw, 0);
    LLVMValueRef shape[PJ_MAX_NDIM], strides[PJ_MAX_NDIM];
    for (int k = 0; k < nd; k++) {
        LLVMValueRef n = dim(lw, arr, F_SHAPE, k);
        LLVMValueRef s = dim(lw, arr, F_STRIDES, k);
        int kind = k < plan->nitems ? plan->kinds[k] : -1;
        PjType *t;
        LLVMValueRef item = k < plan->nitems ? index_item(lw, ins, args, k, &t)
                                            : NULL;
        if (kind == ITEM_INT) {
            LLVMValueRef i = pj_lower_convert(
                lw, item, t, t->kind == PJ_TK_UINT ? pj_t.u64 : pj_t.i64);
            i = checked_index(lw, i, t->kind == PJ_TK_INT, n);
            off = LLVMBuildAdd(lw->b, off, LLVMBuildMul(lw->b, i, s, ""), "");
            continue;
        }
        if (kind < 0) {                 /* not indexed: all of it */
            shape[m] = n;
            strides[m++] = s;
            continue;
        }
        LLVMValueRef parts[3], start, len;
        slice_parts(lw, ins, item, kind, parts);
        if (kind == ITEM_SLICE && (plan->given[k] & PJ_SLICE_STEP)) {
            pj_lower_check(lw, LLVMBuildICmp(lw->b, LLVMIntEQ, parts[2],
                                             i64c(lw, 0), ""),
                           "ValueError", "slice step cannot be zero");
        }
        LLVMValueRef step = slice_step(lw, parts, plan->given[k]);
        slice_dimension(lw, parts, plan->given[k], step, n, &start, &len);
        off = LLVMBuildAdd(lw->b, off, LLVMBuildMul(lw->b, start, s, ""), "");
        shape[m] = len;
        strides[m++] = LLVMBuildMul(lw->b, s, step, "");
    }
    /* An empty slice may start past the end: not an inbounds address. */
    LLVMValueRef data = LLVMBuildExtractValue(lw->b, arr, F_DATA, "");
    data = LLVMBuildGEP2(lw->b, lw->t_i8, data, &off, 1, "");
    return view_at(lw, arr, data, vt, shape, strides);
}

static LLVMValueRef
lower_getslice(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    return slice_view(lw, ins, args, ins->plan.ptr, ins->resty);
}

static const PjImpl impl_getslice = {"getslice", lower_getslice, false, false};
static const PjImpl impl_getitem = {"getitem", lower_getitem, false, false};
static const PjImpl impl_setitem = {"setitem", lower_setitem, false, false};
static const PjImpl impl_attr = {"getattr", lower_attr, false, false};
static const PjImpl impl_len = {"len", lower_len, false, false};

/* The next item of an array iterator {array, index} stored at state. */
static LLVMValueRef
array_iternext(PjLower *lw, PjType *it, LLVMValueRef state, LLVMValueRef *ok)
{
    PjType *at = it->elems[0];
    bool flat = it->kind == PJ_TK_FLAT_ITER;
    LLVMTypeRef st = pj_lower_type(lw, it);
    LLVMValueRef pa = LLVMBuildStructGEP2(lw->b, st, state, 0, "");
    LLVMValueRef pi = LLVMBuildStructGEP2(lw->b, st, state, 1, "");
    LLVMValueRef arr = LLVMBuildLoad2(lw->b, pj_lower_type(lw, at), pa, "");
    LLVMValueRef i = LLVMBuildLoad2(lw->b, lw->t_i64, pi, "");
    LLVMValueRef n = flat ? size_of(lw, at, arr) : dim(lw, arr, F_SHAPE, 0);
    *ok = LLVMBuildICmp(lw->b, LLVMIntSLT, i, n, "");
    LLVMBuildStore(lw->b, LLVMBuildAdd(lw->b, i, i64c(lw, 1), ""), pi);
    /* The item is read only when there is one: past the end of an empty
       array there is no memory to read. */
    LLVMBasicBlockRef here = LLVMGetInsertBlock(lw->b);
    LLVMBasicBlockRef read = LLVMAppendBasicBlockInContext(
        lw->ctx, lw->func, "iter.read");
    LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(
        lw->ctx, lw->func, "iter.next");
    LLVMBuildCondBr(lw->b, *ok, read, done);
    LLVMPositionBuilderAtEnd(lw->b, read);
    LLVMValueRef item;
    if (flat) {
        item = load_element(lw, at->elems[0], flat_address(lw, at, arr, i));
    }
    else {
        LLVMValueRef p = address(lw, at, arr, &i, 1);
        item = pj_array_ndim(at) > 1 ? make_view(lw, at, arr, p, 1, it->item)
                                     : load_element(lw, at->elems[0], p);
    }
    LLVMBasicBlockRef read_end = LLVMGetInsertBlock(lw->b);
    LLVMBuildBr(lw->b, done);
    LLVMPositionBuilderAtEnd(lw->b, done);
    LLVMValueRef phi = LLVMBuildPhi(lw->b, LLVMTypeOf(item), "");
    LLVMValueRef vals[2] = {item, LLVMConstNull(LLVMTypeOf(item))};
    LLVMBasicBlockRef from[2] = {read_end, here};
    LLVMAddIncoming(phi, vals, from, 2);
    return phi;
}

/* A fresh iterator over the array a: the array, and the next index. */
static LLVMValueRef
array_iter(PjLower *lw, LLVMValueRef a, PjType *Py_UNUSED(t), PjType *it)
{
    LLVMValueRef s = LLVMGetUndef(pj_lower_type(lw, it));
    s = LLVMBuildInsertValue(lw->b, s, a, 0, "");
    return LLVMBuildInsertValue(lw->b, s, i64c(lw, 0), 1, "");
}

/* --- arrays made in compiled code ---

   np.empty, zeros, ones, full (a shape and a dtype), their *_like forms,
   np.arange and np.copy allocate reference-counted memory (runtime.c) and
   give a C-contiguous array; lower.c counts the references. */

static LLVMValueRef
itemsize_of(PjLower *lw, PjType *dtype)
{
    return i64c(lw, dtype->kind == PJ_TK_BOOL ? 1 : dtype->bits / 8);
}

/* The header of a block of array memory (runtime.c's PjMemInfo). */
#define MEMINFO_HEADER 64

/* --- sizes ---

   Every product that sizes memory or a loop is checked as NumPy checks
   it: a wrapped product would allocate too little and write past it.
   The errors are NumPy's. */

static const char TOO_BIG[] = "array is too big; `arr.size * "
                              "arr.dtype.itemsize` is larger than the "
                              "maximum possible size.";

/* a * b; *overflow (an i1) says whether it does not fit in an int64. */
static LLVMValueRef
mul_checked(PjLower *lw, LLVMValueRef a, LLVMValueRef b,
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
static LLVMValueRef
checked_size(PjLower *lw, LLVMValueRef *dims, int nd, LLVMValueRef unit,
             const char *msg)
{
    LLVMValueRef size = unit, empty = LLVMConstInt(lw->t_i1, 0, 0);
    for (int k = 0; k < nd; k++) {
        pj_lower_check(lw, LLVMBuildICmp(lw->b, LLVMIntSLT, dims[k],
                                         i64c(lw, 0), ""),
                       "ValueError", "negative dimensions are not allowed");
        LLVMValueRef zero = LLVMBuildICmp(lw->b, LLVMIntEQ, dims[k],
                                          i64c(lw, 0), "");
        empty = LLVMBuildOr(lw->b, empty, zero, "");
        LLVMValueRef overflow;
        size = mul_checked(lw, size, LLVMBuildSelect(lw->b, zero, i64c(lw, 1),
                                                     dims[k], ""),
                           &overflow);
        pj_lower_check(lw, overflow, "ValueError", msg);
    }
    return LLVMBuildSelect(lw->b, empty, i64c(lw, 0), size, "");
}

/* The address of a copy of dims[0..n), for a runtime helper to read. */
static LLVMValueRef
dims_in_memory(PjLower *lw, LLVMValueRef *dims, int n)
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

static LLVMValueRef
i32c(PjLower *lw, int v)
{
    return LLVMConstInt(lw->t_i32, (unsigned long long)v, 1);
}

/* The memory of a new array of type at and this shape (zeroed when
   `zero`), with its header; NumPy's MemoryError when there is not that
   much. */
static LLVMValueRef
alloc_memory(PjLower *lw, PjType *at, LLVMValueRef *shape,
             LLVMValueRef nbytes, bool zero)
{
    LLVMTypeRef p[2] = {lw->t_i64, lw->t_i32};
    LLVMValueRef a[2] = {nbytes, i32c(lw, zero)};
    LLVMValueRef mi = pj_lower_helper(lw, "pj_rt_meminfo_alloc", lw->t_ptr,
                                      p, a, 2);
    LLVMBasicBlockRef ok = pj_lower_fail_begin(lw, LLVMBuildIsNull(lw->b, mi,
                                                                   ""));
    int nd = pj_array_ndim(at);
    LLVMTypeRef rp[3] = {lw->t_i32, lw->t_ptr, lw->t_i32};
    LLVMValueRef ra[3] = {i32c(lw, nd), dims_in_memory(lw, shape, nd),
                          i32c(lw, pj_type_numpy_num(at->elems[0]))};
    pj_lower_helper(lw, "pj_rt_raise_no_memory", lw->t_void, rp, ra, 3);
    pj_lower_fail_end(lw, ok);
    return mi;
}

/* A new C array of type at and this shape: its memory zeroed when
   `zero`.  A shape NumPy refuses raises NumPy's ValueError. */
static LLVMValueRef
new_array(PjLower *lw, PjType *at, LLVMValueRef *shape, bool zero)
{
    int nd = pj_array_ndim(at);
    LLVMValueRef item = itemsize_of(lw, at->elems[0]);
    LLVMValueRef nbytes = checked_size(lw, shape, nd, item, TOO_BIG);
    LLVMValueRef mi = alloc_memory(lw, at, shape, nbytes, zero);
    LLVMValueRef header = i64c(lw, MEMINFO_HEADER);
    LLVMValueRef data = LLVMBuildInBoundsGEP2(lw->b, lw->t_i8, mi, &header, 1,
                                              "");
    LLVMValueRef v = LLVMGetUndef(pj_lower_type(lw, at));
    v = LLVMBuildInsertValue(lw->b, v, mi, F_MEMINFO, "");
    v = LLVMBuildInsertValue(lw->b, v, LLVMConstNull(lw->t_ptr), F_PARENT, "");
    v = LLVMBuildInsertValue(lw->b, v, data, F_DATA, "");
    LLVMTypeRef dims = LLVMArrayType2(lw->t_i64, (uint64_t)nd);
    LLVMValueRef sh = LLVMGetUndef(dims), st = LLVMGetUndef(dims);
    LLVMValueRef stride = item;     /* within the size checked above */
    for (int k = nd - 1; k >= 0; k--) {
        sh = LLVMBuildInsertValue(lw->b, sh, shape[k], (unsigned)k, "");
        st = LLVMBuildInsertValue(lw->b, st, stride, (unsigned)k, "");
        stride = LLVMBuildMul(lw->b, stride, shape[k], "");
    }
    v = LLVMBuildInsertValue(lw->b, v, sh, F_SHAPE, "");
    return LLVMBuildInsertValue(lw->b, v, st, F_STRIDES, "");
}

/* A counted loop over i in [0, n): body(i) fills one element. */
typedef void (*ElemFn)(PjLower *lw, LLVMValueRef i, void *ctx);

static void
for_each_index(PjLower *lw, LLVMValueRef n, ElemFn body, void *ctx)
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
    LLVMBuildCondBr(lw->b, LLVMBuildICmp(lw->b, LLVMIntSLT, i, n, ""), loop,
                    done);
    LLVMPositionBuilderAtEnd(lw->b, loop);
    body(lw, i, ctx);
    LLVMValueRef next = LLVMBuildNSWAdd(lw->b, i, i64c(lw, 1), "");
    LLVMBasicBlockRef loop_end = LLVMGetInsertBlock(lw->b);
    LLVMBuildBr(lw->b, head);
    LLVMValueRef vals[2] = {i64c(lw, 0), next};
    LLVMBasicBlockRef from[2] = {before, loop_end};
    LLVMAddIncoming(i, vals, from, 2);
    LLVMPositionBuilderAtEnd(lw->b, done);
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

static void
fill_one(PjLower *lw, LLVMValueRef i, void *ctx)
{
    FillCtx *c = ctx;
    store_element(lw, c->at->elems[0], flat_address(lw, c->at, c->arr, i),
                  c->value);
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
                                                 i64c(lw, 1), ""),
                            c->next, v, "");
        v = LLVMBuildSelect(lw->b, LLVMBuildICmp(lw->b, LLVMIntEQ, i,
                                                 i64c(lw, 0), ""),
                            c->value, v, "");
    }
    else {
        v = LLVMBuildAdd(lw->b, c->value, LLVMBuildMul(lw->b, i, c->step, ""),
                         "");
    }
    store_element(lw, dt, flat_address(lw, c->at, c->arr, i), v);
}

static void
copy_one(PjLower *lw, LLVMValueRef i, void *ctx)
{
    FillCtx *c = ctx;
    LLVMValueRef v = load_element(lw, c->src_type->elems[0], flat_address(
        lw, c->src_type, c->src, i));
    v = pj_lower_convert(lw, v, c->src_type->elems[0], c->at->elems[0]);
    store_element(lw, c->at->elems[0], flat_address(lw, c->at, c->arr, i), v);
}

/* The shape of a new array: from an int or a tuple of ints, or another
   array's. */
static void
shape_values(PjLower *lw, PjType *t, LLVMValueRef v, LLVMValueRef *shape)
{
    if (t->kind == PJ_TK_ARRAY) {
        for (int k = 0; k < pj_array_ndim(t); k++) {
            shape[k] = dim(lw, v, F_SHAPE, k);
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
    shape_values(lw, ins->argtys[0], args[0], shape);
    LLVMValueRef arr = new_array(lw, at, shape, zero);
    if (fill != NULL) {
        FillCtx c = {.at = at, .arr = arr,
                     .value = pj_lower_convert(lw, fill, fill_type,
                                               at->elems[0])};
        for_each_index(lw, size_of(lw, at, arr), fill_one, &c);
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
    return make_filled(lw, ins, args, false, i64c(lw, 1), pj_t.i64);
}

static LLVMValueRef
lower_full(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    return make_filled(lw, ins, args, false, args[1], ins->argtys[1]);
}

/* The length of np.arange(start, stop, step) of integers: range's count,
   exact where stop - start overflows an int64. */
static LLVMValueRef
arange_length_int(PjLower *lw, LLVMValueRef start, LLVMValueRef stop,
                  LLVMValueRef step)
{
    pj_lower_check(lw, LLVMBuildICmp(lw->b, LLVMIntEQ, step, i64c(lw, 0),
                                     ""),
                   "ZeroDivisionError", "division by zero");
    LLVMValueRef n = pj_lower_range_count(lw, start, stop, step, false);
    pj_lower_check(lw, LLVMBuildICmp(lw->b, LLVMIntSLT, n, i64c(lw, 0), ""),
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
        B, LLVMIntSLT, LLVMBuildBitCast(B, q, lw->t_i64, ""), i64c(lw, 0),
        "");
    LLVMValueRef tiny = LLVMBuildSelect(B, negative, i64c(lw, 0),
                                        i64c(lw, 1), "");
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
                              : pj_lower_convert(lw, i64c(lw, 1), pj_t.i64,
                                                 ct);
    LLVMValueRef len = ct == pj_t.f64
        ? arange_length_float(lw, start, stop, step)
        : arange_length_int(lw, start, stop, step);
    len = smax(lw, len, i64c(lw, 0));
    LLVMValueRef arr = new_array(lw, at, &len, false);
    FillCtx c = {.at = at, .arr = arr, .value = start, .step = step};
    if (ct == pj_t.f64) {
        c.next = LLVMBuildFAdd(lw->b, start, step, "");
        c.step = LLVMBuildFSub(lw->b, c.next, start, "");
    }
    for_each_index(lw, len, arange_one, &c);
    return arr;
}

/* np.copy(a): a new C array with a's elements (in C order). */
static LLVMValueRef
lower_copy(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *at = ins->resty;
    LLVMValueRef shape[PJ_MAX_NDIM];
    shape_values(lw, ins->argtys[0], args[0], shape);
    LLVMValueRef arr = new_array(lw, at, shape, false);
    FillCtx c = {.at = at, .arr = arr, .src_type = ins->argtys[0],
                 .src = args[0]};
    for_each_index(lw, size_of(lw, at, arr), copy_one, &c);
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

/* Whether t is a shape: an int or a tuple of ints. */
static int
shape_ndim(PjType *t)
{
    if (pj_type_is_integer(t)) {
        return 1;
    }
    if (!pj_type_is_tuple(t) || t->count < 1 || t->count > PJ_MAX_NDIM) {
        return -1;
    }
    for (int i = 0; i < t->count; i++) {
        if (!pj_type_is_integer(pj_type_elem(t, i))) {
            return -1;
        }
    }
    return t->count;
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
                && !pj_type_is_const(args[i])) {
                if (!pj_type_is_number(args[i])
                    || args[i]->kind == PJ_TK_COMPLEX) {
                    cx->why = "np.arange takes real numbers";
                    return 1;
                }
                floats |= args[i]->kind == PJ_TK_FLOAT;
            }
        }
        ndim = 1;
        dt = dt ? dt : floats ? pj_t.f64 : pj_t.i64;
    }
    else if (like || how == PJ_NEW_COPY) {
        if (args[0]->kind != PJ_TK_ARRAY) {
            cx->why = "the first argument must be an array";
            return 1;
        }
        ndim = pj_array_ndim(args[0]);
        dt = dt ? dt : args[0]->elems[0];
    }
    else {
        ndim = shape_ndim(args[0]);
        if (ndim < 0) {
            cx->why = "the shape must be an int or a tuple of ints";
            return 1;
        }
        /* np.full takes its dtype from the fill value, as NumPy does */
        dt = dt ? dt : how == PJ_NEW_FULL && n > 1
                       && pj_type_is_number(args[1]) ? args[1] : pj_t.f64;
    }
    if (how == PJ_NEW_FULL && (n < 2 || !pj_type_is_number(args[1]))) {
        cx->why = "the fill value must be a number";
        return 1;
    }
    PjType *res = pj_type_array(dt, ndim, PJ_LAYOUT_C);
    return res ? choose(cx, ins, &impl_new[how], res, args, n) : -1;
}

/* --- operators on whole arrays ---

   a + b, a * 2.0, -a, a < b: a new array (C) of the broadcast shape, each
   element computed by the scalar operator on the elements; a += b writes
   into a.  The element operation is typed as the scalar one, with
   error_model='numpy' (x / 0 is inf or nan, as NumPy gives), and its
   result converted to the dtype NumPy gives the array. */

typedef struct {
    PjInstr elem;           /* the operator on one element of each; first,
                               so that pj_array_type_map finds the plan */
    PjType *ea, *eb;        /* element (or scalar) types of the operands */
    PjType *loop;           /* both are converted to, or NULL */
    PjType *dtype;          /* of the result */
    int nops;               /* 1 or 2 */
    bool inplace;
    PjType *view;           /* a[...] = v: the view assigned to */
    const SlicePlan *slices;    /* and how its slices index, or NULL */
} ElemPlan;

/* NumPy's kinds in the order its 'same_kind' casting goes up: bool,
   unsigned, signed, float, complex. */
enum { KIND_BOOL, KIND_UINT, KIND_INT, KIND_FLOAT, KIND_COMPLEX };

static int
kind_order(PjType *t)
{
    switch (t->kind) {
    case PJ_TK_BOOL: return KIND_BOOL;
    case PJ_TK_UINT: return KIND_UINT;
    case PJ_TK_INT: return KIND_INT;
    case PJ_TK_FLOAT: return KIND_FLOAT;
    default: return KIND_COMPLEX;
    }
}

/* The kinds of the loops of the NumPy ufunc behind each operator, as bits
   (1 << KIND_*). */
#define LOOPS(k) (1 << (k))
#define LOOPS_INT (LOOPS(KIND_UINT) | LOOPS(KIND_INT))

static int
loop_kinds(int sub)
{
    switch (sub) {
    case PJ_BIN_ADD:
    case PJ_BIN_MUL:
        return LOOPS(KIND_BOOL) | LOOPS_INT | LOOPS(KIND_FLOAT)
               | LOOPS(KIND_COMPLEX);
    case PJ_BIN_SUB:
    case PJ_BIN_POW:
        return LOOPS_INT | LOOPS(KIND_FLOAT) | LOOPS(KIND_COMPLEX);
    case PJ_BIN_TRUEDIV: return LOOPS(KIND_FLOAT) | LOOPS(KIND_COMPLEX);
    case PJ_BIN_FLOORDIV:
    case PJ_BIN_MOD: return LOOPS_INT | LOOPS(KIND_FLOAT);
    case PJ_BIN_AND:
    case PJ_BIN_OR:
    case PJ_BIN_XOR: return LOOPS(KIND_BOOL) | LOOPS_INT;
    case PJ_BIN_LSHIFT:
    case PJ_BIN_RSHIFT: return LOOPS_INT;
    default: return 0;
    }
}

/* Whether operands x and y mix integers with floats or complex numbers. */
static bool
mixes_kinds(PjType *x, PjType *y)
{
    int kx = kind_order(x), ky = kind_order(y);
    bool ints = kx == KIND_UINT || kx == KIND_INT || ky == KIND_UINT
                || ky == KIND_INT;
    return ints && (kx >= KIND_FLOAT || ky >= KIND_FLOAT);
}

/* NumPy's 'safe' (or 'same_kind') casting, except that in an operation
   mixing kinds any integer casts to any float or complex type, as in
   Numba: float32 * int64 is computed in float32. */
static bool
can_cast(PjType *from, PjType *to, bool mixed, bool same_kind)
{
    if (mixed && pj_type_is_integer(from) && kind_order(to) >= KIND_FLOAT) {
        return true;
    }
    return pj_type_numpy_promote(from, to) == to
           || (same_kind && kind_order(from) <= kind_order(to));
}

/* The type x op y is computed in, as Numba chooses it: the first loop of
   the operator's ufunc, in NumPy's order, that both operands cast to
   safely and, for a += b, whose result casts back to out (a's dtype).
   A scalar operand counts by its type, as an array of that dtype would:
   float32 array + float64 is float64, int32 array + int is int64.  NULL
   if no loop fits. */
static PjType *
ufunc_loop(int sub, PjType *x, PjType *y, PjType *out)
{
    PjType *order[] = {pj_t.boolean, pj_t.i8, pj_t.u8, pj_t.i16, pj_t.u16,
                       pj_t.i32, pj_t.u32, pj_t.i64, pj_t.u64, pj_t.f32,
                       pj_t.f64, pj_t.c64, pj_t.c128};
    bool mixed = mixes_kinds(x, y);
    for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
        PjType *t = order[i];
        if ((loop_kinds(sub) & LOOPS(kind_order(t)))
            && can_cast(x, t, mixed, false) && can_cast(y, t, mixed, false)
            && (out == NULL || can_cast(t, out, mixed, true))) {
            return t;
        }
    }
    return NULL;
}

static const PjImpl impl_elementwise, impl_elementwise_inplace;

/* The type the elements of an operation are converted to before the
   scalar operator computes on them (NULL: their own types).  Unary minus
   and plus of booleans go through int8, as NumPy has no boolean loop for
   them. */
static PjType *
elem_loop(PjCompile *cx, PjInstr *ins, PjType *ea, PjType *eb, PjType *out)
{
    if (ins->op == PJ_OP_COMPARE) {
        return NULL;
    }
    if (ins->op == PJ_OP_UNARY) {
        bool sign = ins->sub == PJ_UN_NEG || ins->sub == PJ_UN_POS;
        return sign && ea->kind == PJ_TK_BOOL ? pj_t.i8 : ea;
    }
    PjType *loop = ufunc_loop(ins->sub, ea, eb, out);
    if (loop == NULL) {
        cx->why = out && ufunc_loop(ins->sub, ea, eb, NULL)
               ? "the result cannot be stored in the array in place "
                 "(NumPy's 'same_kind' casting)"
               : "NumPy has no loop for the operator on these dtypes";
    }
    return loop;
}

/* Types the element operation of plan on the loop's type (a comparison
   on the elements' own types), dividing as NumPy does: by zero gives inf
   or nan. */
static int
type_elem(PjCompile *cx, ElemPlan *plan, PjType *loop)
{
    PjInstr *e = &plan->elem;
    if (e->op == PJ_OP_COMPARE) {
        return pj_type_number_operator(cx, e, plan->ea, plan->eb, true);
    }
    if (e->op == PJ_OP_UNARY && e->sub == PJ_UN_INVERT
        && loop->kind == PJ_TK_BOOL) {
        e->sub = PJ_UN_NOT;     /* ~ of a boolean array is logical */
    }
    return pj_type_number_operator(cx, e, loop, plan->eb ? loop : NULL,
                                   true);
}

/* An operator with an array operand: element by element, broadcasting,
   into a new array of Numba's dtype (or in place). */
static int
array_operator(PjCompile *cx, PjInstr *ins, PjType *a, PjType *b)
{
    bool a_arr = a->kind == PJ_TK_ARRAY, b_arr = b && b->kind == PJ_TK_ARRAY;
    PjType *ea = a_arr ? a->elems[0] : a, *eb = b_arr ? b->elems[0] : b;
    if (!pj_type_is_number(ea) || (b != NULL && !pj_type_is_number(eb))) {
        cx->why = "arrays combine with numbers and arrays of numbers";
        return 1;
    }
    bool inplace = ins->op == PJ_OP_INPLACE;
    int nd = a_arr ? pj_array_ndim(a) : 0;
    if (b_arr && pj_array_ndim(b) > nd) {
        nd = pj_array_ndim(b);
    }
    if (inplace && (!a_arr || pj_array_readonly(a))) {
        cx->why = a_arr ? "the array is read-only"
                        : "only arrays are updated in place";
        return 1;
    }
    if (inplace && nd > pj_array_ndim(a)) {
        cx->why = "the result cannot be stored in the array in place "
                  "(it broadcasts to more dimensions)";
        return 1;
    }
    PjType *loop = elem_loop(cx, ins, ea, eb, inplace ? ea : NULL);
    if (loop == NULL && ins->op != PJ_OP_COMPARE) {
        return 1;
    }
    ElemPlan *plan = PJ_NEW(cx->arena, ElemPlan);
    if (plan == NULL) {
        return -1;
    }
    plan->elem = *ins;
    plan->elem.dst = NULL;
    plan->elem.impl = NULL;
    plan->elem.argtys = NULL;
    plan->ea = ea;
    plan->eb = eb;
    plan->loop = loop;
    plan->nops = b ? 2 : 1;
    plan->inplace = inplace;
    int rc = type_elem(cx, plan, loop);
    if (rc != 0) {
        cx->why = "no such operation on the elements";
        return rc;
    }
    bool logical = ins->op == PJ_OP_COMPARE
                   || (ins->op == PJ_OP_UNARY && ins->sub == PJ_UN_NOT);
    plan->dtype = inplace ? ea : logical ? pj_t.boolean : loop;
    PjType *res = inplace ? a : pj_type_array(plan->dtype, nd, PJ_LAYOUT_C);
    if (res == NULL) {
        return -1;
    }
    PjType *argtys[2] = {a, b};
    return choose_plan(cx, ins, inplace ? &impl_elementwise_inplace
                                        : &impl_elementwise,
                       res, argtys, b ? 2 : 1, (PjPlan){.ptr = plan});
}

typedef struct {
    const ElemPlan *plan;
    PjInstr *ins;
    LLVMValueRef ops[2];        /* the operands */
    LLVMValueRef out;
    PjType *out_type;
    bool linear;                /* every array operand is C, of out's shape */
    LLVMValueRef *out_shape;
} ElemCtx;

/* Operand k's element for flat position i of the result. */
static LLVMValueRef
operand_element(PjLower *lw, ElemCtx *c, int k, LLVMValueRef i)
{
    PjType *t = c->ins->argtys[k];
    if (t->kind != PJ_TK_ARRAY) {
        return c->ops[k];
    }
    LLVMValueRef arr = c->ops[k];
    if (c->linear) {
        return load_element(lw, t->elems[0], flat_address(lw, t, arr, i));
    }
    /* Broadcast: the result's index in each dimension, last first; a
       dimension of length 1 stays at 0. */
    int nd = pj_array_ndim(c->out_type), ndk = pj_array_ndim(t);
    LLVMValueRef off = i64c(lw, 0), rest = i;
    for (int d = nd - 1; d >= 0; d--) {
        LLVMValueRef n = c->out_shape[d];
        LLVMValueRef idx = LLVMBuildSRem(lw->b, rest, n, "");
        rest = LLVMBuildSDiv(lw->b, rest, n, "");
        int dk = d - (nd - ndk);
        if (dk < 0) {
            continue;
        }
        LLVMValueRef one = LLVMBuildICmp(lw->b, LLVMIntEQ,
                                         dim(lw, arr, F_SHAPE, dk),
                                         i64c(lw, 1), "");
        idx = LLVMBuildSelect(lw->b, one, i64c(lw, 0), idx, "");
        off = LLVMBuildAdd(lw->b, off, LLVMBuildMul(
            lw->b, idx, dim(lw, arr, F_STRIDES, dk), ""), "");
    }
    LLVMValueRef data = LLVMBuildExtractValue(lw->b, arr, F_DATA, "");
    LLVMValueRef p = LLVMBuildGEP2(lw->b, lw->t_i8, data, &off, 1, "");
    return load_element(lw, t->elems[0], p);
}

static void
elementwise_one(PjLower *lw, LLVMValueRef i, void *ctx)
{
    ElemCtx *c = ctx;
    const ElemPlan *plan = c->plan;
    PjInstr *e = (PjInstr *)&plan->elem;
    LLVMValueRef v[2];
    PjType *et[2] = {plan->ea, plan->eb};
    for (int k = 0; k < plan->nops; k++) {
        v[k] = operand_element(lw, c, k, i);
        if (plan->loop != NULL) {
            v[k] = pj_lower_convert(lw, v[k], et[k], plan->loop);
            et[k] = plan->loop;
        }
        v[k] = pj_lower_convert(lw, v[k], et[k],
                                e->argtys ? e->argtys[k] : et[k]);
    }
    LLVMValueRef r = e->impl->lower(lw, e, v);
    r = pj_lower_convert(lw, r, e->resty, plan->dtype);
    PjType *ot = c->out_type;
    store_element(lw, ot->elems[0], flat_address(lw, ot, c->out, i), r);
}

/* The result's shape (a's, in place), checking that the operands
   broadcast; *same says whether every array operand has that shape. */
static void
broadcast_shape(PjLower *lw, PjInstr *ins, LLVMValueRef *args, int nd,
                int nops, bool inplace, LLVMValueRef *shape,
                LLVMValueRef *same)
{
    LLVMValueRef bad = LLVMConstInt(lw->t_i1, 0, 0);
    for (int d = 0; d < nd; d++) {
        shape[d] = inplace ? dim(lw, args[0], F_SHAPE, d) : i64c(lw, 1);
    }
    for (int k = inplace; k < nops; k++) {
        PjType *t = ins->argtys[k];
        for (int dk = 0; t->kind == PJ_TK_ARRAY && dk < pj_array_ndim(t);
             dk++) {
            int d = dk + (nd - pj_array_ndim(t));
            LLVMValueRef n = dim(lw, args[k], F_SHAPE, dk);
            LLVMValueRef fits = LLVMBuildOr(
                lw->b, LLVMBuildICmp(lw->b, LLVMIntEQ, n, shape[d], ""),
                LLVMBuildICmp(lw->b, LLVMIntEQ, n, i64c(lw, 1), ""), "");
            LLVMValueRef out_one = LLVMBuildICmp(lw->b, LLVMIntEQ, shape[d],
                                                 i64c(lw, 1), "");
            if (!inplace) {
                fits = LLVMBuildOr(lw->b, fits, out_one, "");
                shape[d] = LLVMBuildSelect(lw->b, out_one, n, shape[d], "");
            }
            bad = LLVMBuildOr(lw->b, bad, LLVMBuildNot(lw->b, fits, ""), "");
        }
    }
    pj_lower_check(lw, bad, "ValueError",
                   "operands could not be broadcast together");
    if (!inplace && nops == 2 && ins->argtys[0]->kind == PJ_TK_ARRAY
        && ins->argtys[1]->kind == PJ_TK_ARRAY) {
        /* two arrays broadcast to more elements than either has */
        checked_size(lw, shape, nd, i64c(lw, 1), "iterator is too large");
    }
    *same = LLVMConstInt(lw->t_i1, 1, 0);
    for (int k = 0; k < nops; k++) {
        PjType *t = ins->argtys[k];
        if (t->kind != PJ_TK_ARRAY) {
            continue;
        }
        if (pj_array_ndim(t) != nd) {
            *same = LLVMConstInt(lw->t_i1, 0, 0);
            return;
        }
        for (int d = 0; d < nd; d++) {
            *same = LLVMBuildAnd(lw->b, *same, LLVMBuildICmp(
                lw->b, LLVMIntEQ, dim(lw, args[k], F_SHAPE, d), shape[d],
                ""), "");
        }
    }
}

static LLVMValueRef
lower_elementwise(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    const ElemPlan *plan = ins->plan.ptr;
    PjType *ot = plan->inplace ? ins->argtys[0] : ins->resty;
    LLVMValueRef shape[PJ_MAX_NDIM], same;
    broadcast_shape(lw, ins, args, pj_array_ndim(ot), plan->nops,
                    plan->inplace, shape, &same);
    ElemCtx c = {.plan = plan, .ins = ins, .ops = {args[0], args[1]},
                 .out_type = ot, .out_shape = shape};
    c.out = plan->inplace ? args[0] : new_array(lw, ot, shape, false);
    LLVMValueRef n = size_of(lw, ot, c.out);
    /* Operands of the result's shape are read by flat index (a counted
       loop LLVM vectorizes for C arrays); broadcasting goes through the
       index in each dimension. */
    LLVMBasicBlockRef fast = LLVMAppendBasicBlockInContext(
        lw->ctx, lw->func, "elementwise.same");
    LLVMBasicBlockRef slow = LLVMAppendBasicBlockInContext(
        lw->ctx, lw->func, "elementwise.broadcast");
    LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(
        lw->ctx, lw->func, "elementwise.done");
    LLVMBuildCondBr(lw->b, same, fast, slow);
    for (int pass = 0; pass < 2; pass++) {
        LLVMPositionBuilderAtEnd(lw->b, pass == 0 ? fast : slow);
        c.linear = pass == 0;
        for_each_index(lw, n, elementwise_one, &c);
        LLVMBuildBr(lw->b, done);
    }
    LLVMPositionBuilderAtEnd(lw->b, done);
    return c.out;
}

static const PjImpl impl_elementwise = {"elementwise", lower_elementwise,
                                        true, true};
static const PjImpl impl_elementwise_inplace = {"elementwise",
                                                lower_elementwise, true,
                                                false};

/* np.sqrt(a) and the like: the call for one element, for the caller to
   type as the scalar function; then pj_array_type_map. */
PjInstr *
pj_array_elem_call(PjCompile *cx, PjInstr *ins)
{
    ElemPlan *plan = PJ_NEW(cx->arena, ElemPlan);
    if (plan == NULL) {
        return NULL;
    }
    plan->elem = *ins;
    plan->elem.dst = NULL;
    plan->elem.impl = NULL;
    plan->elem.argtys = NULL;
    return &plan->elem;
}

/* Finishes f(a) over the array a once elem (from pj_array_elem_call) is
   typed: the result has dtype `dtype`. */
int
pj_array_type_map(PjCompile *cx, PjInstr *ins, PjInstr *elem, PjType *arr,
                  PjType *dtype)
{
    /* elem is the first member of the plan pj_array_elem_call made */
    ElemPlan *plan = (ElemPlan *)elem;
    plan->ea = arr->elems[0];
    plan->eb = NULL;
    plan->nops = 1;
    plan->inplace = false;
    plan->dtype = dtype;
    PjType *res = pj_type_array(dtype, pj_array_ndim(arr), PJ_LAYOUT_C);
    if (res == NULL) {
        return -1;
    }
    return choose_plan(cx, ins, &impl_elementwise, res, &arr, 1,
                       (PjPlan){.ptr = plan});
}

/* --- assigning to a view: a[lo:hi] = v, m[i] = row --- */

static LLVMValueRef
lower_pick_value(PjLower *Py_UNUSED(lw), PjInstr *Py_UNUSED(ins),
                 LLVMValueRef *args)
{
    return args[1];
}

static const PjImpl impl_pick_value = {"assign", lower_pick_value, false,
                                       false};
static const PjImpl impl_setview;

static int
type_setview(PjCompile *cx, PjInstr *ins, PjType *arr, PjType *idx,
             PjType *value, SlicePlan *sp, int n)
{
    PjType *dtype = arr->elems[0];
    PjType *ve = value->kind == PJ_TK_ARRAY ? value->elems[0] : value;
    if (!pj_type_is_number(ve)
        || (ve->kind == PJ_TK_COMPLEX && dtype->kind != PJ_TK_COMPLEX)) {
        cx->why = "the value cannot be stored in an array of this dtype";
        return 1;
    }
    ElemPlan *ep = PJ_NEW(cx->arena, ElemPlan);
    PjType **et = PJ_NEW_N(cx->arena, PjType *, 2);
    if (ep == NULL || et == NULL) {
        return -1;
    }
    if (sp != NULL) {
        /* typed as a[index] would be, for the view */
        PjInstr probe = *ins;
        int rc = type_getslice(cx, &probe, arr, idx, sp);
        if (rc != 0) {
            return rc;
        }
        ep->view = probe.resty;
        ep->slices = probe.plan.ptr;
    }
    else {
        ep->view = view_type(arr, n);
    }
    if (ep->view == NULL) {
        return -1;
    }
    if (value->kind == PJ_TK_ARRAY
        && pj_array_ndim(value) > pj_array_ndim(ep->view)) {
        cx->why = "the value has more dimensions than the part assigned to";
        return 1;
    }
    et[0] = dtype;
    et[1] = ve;
    ep->elem.impl = &impl_pick_value;
    ep->elem.argtys = et;
    ep->elem.resty = ve;
    ep->ea = dtype;
    ep->eb = ve;
    ep->dtype = dtype;
    ep->nops = 2;
    ep->inplace = true;
    PjType *argtys[3] = {arr, idx, value};
    return choose_plan(cx, ins, &impl_setview, NULL, argtys, 3,
                       (PjPlan){.ptr = ep});
}

/* Whether two arrays' memory may overlap: their address ranges meet. */
static LLVMValueRef
may_overlap(PjLower *lw, PjType *at, LLVMValueRef a, PjType *bt,
            LLVMValueRef b)
{
    LLVMValueRef lo[2], hi[2];
    PjType *ts[2] = {at, bt};
    LLVMValueRef vs[2] = {a, b};
    for (int k = 0; k < 2; k++) {
        LLVMValueRef base = LLVMBuildPtrToInt(
            lw->b, LLVMBuildExtractValue(lw->b, vs[k], F_DATA, ""), lw->t_i64,
            "");
        LLVMValueRef low = base, high = base;
        for (int d = 0; d < pj_array_ndim(ts[k]); d++) {
            LLVMValueRef span = LLVMBuildMul(
                lw->b, LLVMBuildSub(lw->b, dim(lw, vs[k], F_SHAPE, d),
                                    i64c(lw, 1), ""),
                dim(lw, vs[k], F_STRIDES, d), "");
            LLVMValueRef neg = LLVMBuildICmp(lw->b, LLVMIntSLT, span,
                                             i64c(lw, 0), "");
            low = LLVMBuildAdd(lw->b, low, LLVMBuildSelect(
                lw->b, neg, span, i64c(lw, 0), ""), "");
            high = LLVMBuildAdd(lw->b, high, LLVMBuildSelect(
                lw->b, neg, i64c(lw, 0), span, ""), "");
        }
        lo[k] = low;
        hi[k] = LLVMBuildAdd(lw->b, high, itemsize_of(lw, ts[k]->elems[0]),
                             "");
    }
    return LLVMBuildAnd(lw->b,
                        LLVMBuildICmp(lw->b, LLVMIntSLT, lo[0], hi[1], ""),
                        LLVMBuildICmp(lw->b, LLVMIntSLT, lo[1], hi[0], ""),
                        "");
}

static LLVMValueRef
lower_setview(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    const ElemPlan *ep = ins->plan.ptr;
    PjType *at = ins->argtys[0], *vt = ins->argtys[2];
    LLVMValueRef view;
    if (ep->slices != NULL) {
        view = slice_view(lw, ins, args, ep->slices, ep->view);
    }
    else {
        PjType *it = ins->argtys[1];
        int n = pj_type_is_tuple(it) ? it->count : 1;
        LLVMValueRef idx[PJ_MAX_NDIM];
        for (int k = 0; k < n; k++) {
            bool neg;
            LLVMValueRef i = index_value(lw, ins, args, k, &neg);
            idx[k] = checked_index(lw, i, neg, dim(lw, args[0], F_SHAPE, k));
        }
        view = make_view(lw, at, args[0], address(lw, at, args[0], idx, n),
                         n, ep->view);
    }
    LLVMValueRef value = args[2];
    PjType *copy_type = NULL;
    if (vt->kind == PJ_TK_ARRAY) {
        /* a[1:] = a[:-1]: read the value from a copy when the memory
           overlaps, as NumPy does. */
        copy_type = pj_type_array(vt->elems[0], pj_array_ndim(vt),
                                  PJ_LAYOUT_C);
        LLVMBasicBlockRef here = LLVMGetInsertBlock(lw->b);
        LLVMBasicBlockRef copy = LLVMAppendBasicBlockInContext(
            lw->ctx, lw->func, "assign.copy");
        LLVMBasicBlockRef go = LLVMAppendBasicBlockInContext(
            lw->ctx, lw->func, "assign.go");
        LLVMBuildCondBr(lw->b, may_overlap(lw, ep->view, view, vt, value),
                        copy, go);
        LLVMPositionBuilderAtEnd(lw->b, copy);
        LLVMValueRef shape[PJ_MAX_NDIM];
        shape_values(lw, vt, value, shape);
        LLVMValueRef tmp = new_array(lw, copy_type, shape, false);
        FillCtx c = {.at = copy_type, .arr = tmp, .src_type = vt,
                     .src = value};
        for_each_index(lw, size_of(lw, copy_type, tmp), copy_one, &c);
        LLVMBasicBlockRef copy_end = LLVMGetInsertBlock(lw->b);
        LLVMBuildBr(lw->b, go);
        LLVMPositionBuilderAtEnd(lw->b, go);
        LLVMValueRef phi = LLVMBuildPhi(lw->b, LLVMTypeOf(value), "");
        LLVMValueRef vals[2] = {value, pj_lower_convert(lw, tmp, copy_type,
                                                        vt)};
        LLVMBasicBlockRef from[2] = {here, copy_end};
        LLVMAddIncoming(phi, vals, from, 2);
        value = phi;
    }
    PjInstr assign = *ins;
    PjType *types[2] = {ep->view, vt};
    assign.argtys = types;
    LLVMValueRef ops[2] = {view, value};
    lower_elementwise(lw, &assign, ops);
    if (copy_type != NULL) {
        /* the copy, if one was made, is released */
        LLVMValueRef mi = LLVMBuildExtractValue(lw->b, value, F_MEMINFO, "");
        LLVMValueRef orig = LLVMBuildExtractValue(lw->b, args[2], F_MEMINFO,
                                                  "");
        LLVMBasicBlockRef rel = LLVMAppendBasicBlockInContext(
            lw->ctx, lw->func, "assign.release");
        LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(
            lw->ctx, lw->func, "assign.done");
        LLVMBuildCondBr(lw->b, LLVMBuildICmp(lw->b, LLVMIntNE, mi, orig, ""),
                        rel, done);
        LLVMPositionBuilderAtEnd(lw->b, rel);
        pj_lower_helper(lw, "pj_rt_meminfo_free", lw->t_void, &lw->t_ptr, &mi,
                        1);
        LLVMBuildBr(lw->b, done);
        LLVMPositionBuilderAtEnd(lw->b, done);
    }
    return NULL;
}

static const PjImpl impl_setview = {"setitem", lower_setview, true, false};

/* --- reshape, ravel, flatten, transpose --- */

static const PjImpl impl_reshape, impl_ravel, impl_flatten, impl_transpose;

/* a.reshape(n, m) or a.reshape((n, m)), one dimension may be -1: a view
   of a C array.  a.ravel(): a view of a C array, a copy of another;
   a.flatten(): a copy; a.transpose(): a.T. */
static int
array_method(PjCompile *cx, PjInstr *ins, PjType *arr, const char *name,
             PjType **args, int n)
{
    PjType *argtys[PJ_MAX_NDIM + 1] = {arr};
    if (strcmp(name, "transpose") == 0 || strcmp(name, "ravel") == 0
        || strcmp(name, "flatten") == 0) {
        if (n != 0) {
            cx->why = "this method takes no arguments here";
            return 1;
        }
        PjType *res = name[0] == 't'
            ? (pj_array_ndim(arr) == 1 ? arr : pj_type_array(
                   arr->elems[0], pj_array_ndim(arr),
                   arr->ident | PJ_LAYOUT_A))
            : pj_type_array(arr->elems[0], 1, PJ_LAYOUT_C
                            | (name[0] == 'r' ? arr->ident & PJ_READONLY
                                              : 0));
        /* ravel is a view of a C array and a copy of any other */
        bool view = name[0] == 'r' && pj_array_is_c(arr);
        if (name[0] == 'r' && !view) {
            res = pj_type_array(arr->elems[0], 1, PJ_LAYOUT_C);
        }
        const PjImpl *impl = name[0] == 't' ? &impl_transpose
                             : view ? &impl_ravel : &impl_flatten;
        return res ? choose(cx, ins, impl, res, argtys, 1) : -1;
    }
    /* reshape */
    int nd = n;
    if (n == 1 && pj_type_is_tuple(args[0])) {
        nd = args[0]->count;
    }
    for (int i = 0; i < n; i++) {
        argtys[1 + i] = args[i];
    }
    if (nd < 1 || nd > PJ_MAX_NDIM || (n != 1 && n != nd)
        || shape_ndim(n == 1 ? args[0] : pj_t.i64) < 0) {
        cx->why = "reshape takes integers or a tuple of integers";
        return 1;
    }
    for (int i = 0; n > 1 && i < n; i++) {
        if (!pj_type_is_integer(args[i])) {
            cx->why = "reshape takes integers or a tuple of integers";
            return 1;
        }
    }
    if (!pj_array_is_c(arr)) {
        cx->why = "reshape needs a C-contiguous array here: reshape a copy, "
               "np.copy(a).reshape(...)";
        return 1;
    }
    PjType *res = pj_type_array(arr->elems[0], nd,
                                PJ_LAYOUT_C | (arr->ident & PJ_READONLY));
    if (res == NULL) {
        return -1;
    }
    RETURN_IF_ERROR(choose(cx, ins, &impl_reshape, res, argtys, 1 + n));
    cx->can_raise = true;       /* ValueError: the sizes differ */
    return 0;
}

static LLVMValueRef
lower_transpose(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    return transposed(lw, ins->argtys[0], args[0], ins->resty);
}

/* NumPy's ValueError for a.reshape(asked) when a's `size` elements do
   not fit that shape and `bad` is true. */
static void
check_reshape(PjLower *lw, LLVMValueRef bad, LLVMValueRef size,
              LLVMValueRef *asked, int nd)
{
    LLVMBasicBlockRef ok = pj_lower_fail_begin(lw, bad);
    LLVMTypeRef p[3] = {lw->t_i64, lw->t_i32, lw->t_ptr};
    LLVMValueRef a[3] = {size, i32c(lw, nd), dims_in_memory(lw, asked, nd)};
    pj_lower_helper(lw, "pj_rt_raise_reshape", lw->t_void, p, a, 3);
    pj_lower_fail_end(lw, ok);
}

/* The shape a.reshape(asked) gives an array of `size` elements, as
   NumPy's _fix_unknown_dimension finds it: the dimensions given multiply,
   in order and without overflow, to `size`, or one negative dimension
   takes what they leave. */
static void
fix_unknown_dimension(PjLower *lw, LLVMValueRef size, LLVMValueRef *asked,
                      int nd, LLVMValueRef *shape)
{
    LLVMBuilderRef B = lw->b;
    LLVMValueRef no = LLVMConstInt(lw->t_i1, 0, 0);
    LLVMValueRef known = i64c(lw, 1), unknown = no, twice = no;
    LLVMValueRef overflow = no;
    for (int k = 0; k < nd; k++) {
        LLVMValueRef neg = LLVMBuildICmp(B, LLVMIntSLT, asked[k], i64c(lw, 0),
                                         "");
        /* NumPy stops at the first of the two errors */
        twice = LLVMBuildOr(B, twice, LLVMBuildAnd(B, LLVMBuildAnd(
            B, neg, unknown, ""), LLVMBuildNot(B, overflow, ""), ""), "");
        unknown = LLVMBuildOr(B, unknown, neg, "");
        LLVMValueRef o;
        known = mul_checked(lw, known, LLVMBuildSelect(
            B, neg, i64c(lw, 1), asked[k], ""), &o);
        overflow = LLVMBuildOr(B, overflow, o, "");
    }
    pj_lower_check(lw, twice, "ValueError",
                   "can only specify one unknown dimension");
    LLVMValueRef none = LLVMBuildICmp(B, LLVMIntEQ, known, i64c(lw, 0), "");
    LLVMValueRef safe = LLVMBuildSelect(B, none, i64c(lw, 1), known, "");
    LLVMValueRef rest = LLVMBuildSDiv(B, size, safe, "");
    LLVMValueRef fits = LLVMBuildSelect(
        B, unknown, LLVMBuildAnd(B, LLVMBuildNot(B, none, ""), LLVMBuildICmp(
            B, LLVMIntEQ, LLVMBuildSRem(B, size, safe, ""), i64c(lw, 0), ""),
            ""),
        LLVMBuildICmp(B, LLVMIntEQ, known, size, ""), "");
    check_reshape(lw, LLVMBuildOr(B, overflow, LLVMBuildNot(B, fits, ""), ""),
                  size, asked, nd);
    for (int k = 0; k < nd; k++) {
        shape[k] = LLVMBuildSelect(B, LLVMBuildICmp(B, LLVMIntSLT, asked[k],
                                                    i64c(lw, 0), ""),
                                   rest, asked[k], "");
    }
}

static LLVMValueRef
lower_reshape(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *at = ins->argtys[0], *vt = ins->resty;
    int nd = pj_array_ndim(vt);
    LLVMValueRef asked[PJ_MAX_NDIM], shape[PJ_MAX_NDIM], strides[PJ_MAX_NDIM];
    PjType *first = ins->argtys[1];
    if (pj_type_is_tuple(first)) {
        shape_values(lw, first, args[1], asked);
    }
    else {
        for (int k = 0; k < nd; k++) {
            asked[k] = pj_lower_convert(lw, args[1 + k], ins->argtys[1 + k],
                                        pj_t.i64);
        }
    }
    fix_unknown_dimension(lw, size_of(lw, at, args[0]), asked, nd, shape);
    /* the view's size, checked as NumPy checks a new array's */
    LLVMValueRef stride = itemsize_of(lw, at->elems[0]);
    checked_size(lw, shape, nd, stride, TOO_BIG);
    for (int k = nd - 1; k >= 0; k--) {
        strides[k] = stride;
        stride = LLVMBuildMul(lw->b, stride, shape[k], "");
    }
    return with_dims(lw, args[0], vt, shape, strides);
}

/* A 1-d view of a C array's elements, or (copy) a new array of them. */
static LLVMValueRef
flat_array(PjLower *lw, PjInstr *ins, LLVMValueRef *args, bool copy)
{
    PjType *at = ins->argtys[0], *vt = ins->resty;
    LLVMValueRef n = size_of(lw, at, args[0]);
    if (!copy && pj_array_is_c(at)) {
        LLVMValueRef s = itemsize_of(lw, at->elems[0]);
        return with_dims(lw, args[0], vt, &n, &s);
    }
    LLVMValueRef out = new_array(lw, vt, &n, false);
    FillCtx c = {.at = vt, .arr = out, .src_type = at, .src = args[0]};
    for_each_index(lw, n, copy_one, &c);
    return out;
}

static LLVMValueRef
lower_ravel(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    return flat_array(lw, ins, args, false);
}

static LLVMValueRef
lower_flatten(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    return flat_array(lw, ins, args, true);
}

static const PjImpl impl_transpose = {"transpose", lower_transpose, false,
                                      false};
static const PjImpl impl_reshape = {"reshape", lower_reshape, true, false};
static const PjImpl impl_flatten = {"flatten", lower_flatten, true, true};
static const PjImpl impl_ravel = {"ravel", lower_ravel, false, false};

/* --- typeof --- */

/* Array types seen lately, by (dtype class, ndim, flags): typing an array
   argument on every call must not build an intern key. */
static struct {
    PyTypeObject *cls;
    int ndim, flags;
    PjType *type;
} array_types[64];
static int narray_types;

static PjType *
array_type(PyTypeObject *cls, PjType *dtype, int ndim, int flags)
{
    for (int i = 0; i < narray_types; i++) {
        if (array_types[i].cls == cls && array_types[i].ndim == ndim
            && array_types[i].flags == flags) {
            return array_types[i].type;
        }
    }
    PjType *t = pj_type_array(dtype, ndim, flags);
    if (t != NULL) {
        int i = narray_types < 64 ? narray_types++ : (int)(ndim % 64);
        array_types[i].cls = cls;
        array_types[i].ndim = ndim;
        array_types[i].flags = flags;
        array_types[i].type = t;
    }
    return t;
}

/* array(dtype, nd, C or A): arrays of numbers of at least one dimension,
   aligned and in the machine's byte order; others have no pyjit type. */
static PjType *
typeof_array(PyArrayObject *a, bool *untypable)
{
    PyTypeObject *cls = PyArray_DESCR(a)->typeobj;
    PjType *dtype = pj_typeof_scalar_class((PyObject *)cls);
    int ndim = PyArray_NDIM(a);
    if (dtype == NULL || ndim < 1 || ndim > PJ_MAX_NDIM
        || !PyArray_ISALIGNED(a) || !PyArray_ISNOTSWAPPED(a)
        || !PyArray_EquivTypenums(PyArray_TYPE(a),
                                  pj_type_numpy_num(dtype))) {
        *untypable = true;
        return pj_t.pyobject;
    }
    int flags = (PyArray_IS_C_CONTIGUOUS(a) ? PJ_LAYOUT_C : PJ_LAYOUT_A)
                | (PyArray_ISWRITEABLE(a) ? 0 : PJ_READONLY);
    return array_type(cls, dtype, ndim, flags);
}

/* NumPy's ndarray subclasses whose meaning an array type would drop, and
   what to pass instead (Numba refuses masked arrays too).  A class is
   looked up once its module has been imported: before that no instance
   exists, and typing an argument must not import numpy.ma. */
static struct {
    const char *module, *name, *why;
    PyObject *modname, *cls;
} dropped_subclasses[] = {
    {"numpy.ma", "MaskedArray",
     "a masked array's mask would be ignored; pass m.filled(value) or "
     "m.data", NULL, NULL},
    {"numpy.matrixlib", "matrix",
     "a matrix's meaning would be lost (m * m would multiply elementwise, "
     "m[i] would be 1-d); pass np.asarray(m)", NULL, NULL},
};

#define NDROPPED \
    (int)(sizeof(dropped_subclasses) / sizeof(dropped_subclasses[0]))

/* module.name if the module is imported; NULL, with an exception set only
   when the lookup failed, otherwise.  *modname keeps the module's name
   between calls: until the module is imported every call asks again. */
static PyObject *
imported_class(const char *module, const char *name, PyObject **modname)
{
    if (*modname == NULL
        && (*modname = PyUnicode_InternFromString(module)) == NULL) {
        return NULL;
    }
    PyObject *mod = PyImport_GetModule(*modname);
    if (mod == NULL) {
        return NULL;
    }
    PyObject *cls = PyObject_GetAttrString(mod, name);
    Py_DECREF(mod);
    if (cls != NULL && !PyType_Check(cls)) {
        Py_CLEAR(cls);
    }
    return cls;
}

/* Why arrays of the ndarray subclass cls have no pyjit type; NULL when
   they have one, or with an exception set. */
static const char *
why_dropped(PyTypeObject *cls)
{
    for (int i = 0; i < NDROPPED; i++) {
        if (dropped_subclasses[i].cls == NULL) {
            dropped_subclasses[i].cls = imported_class(
                dropped_subclasses[i].module, dropped_subclasses[i].name,
                &dropped_subclasses[i].modname);
            if (PyErr_Occurred()) {
                return NULL;
            }
        }
        if (dropped_subclasses[i].cls != NULL
            && PyType_IsSubtype(cls,
                                (PyTypeObject *)dropped_subclasses[i].cls)) {
            return dropped_subclasses[i].why;
        }
    }
    return NULL;
}

/* The ndarray subclass last typed as an array, held so that its address
   names no other class: a class's bases do not change, so neither does the
   answer. */
static PyObject *accepted_subclass;

/* An ndarray subclass is typed as an array unless NumPy gives it a
   meaning of its own. */
static PjType *
typeof_array_subclass(PyArrayObject *a, bool *untypable)
{
    PyObject *cls = (PyObject *)Py_TYPE(a);
    if (cls != accepted_subclass) {
        if (why_dropped((PyTypeObject *)cls) != NULL) {
            *untypable = true;
            return pj_t.pyobject;
        }
        if (PyErr_Occurred()) {
            return NULL;
        }
        Py_XSETREF(accepted_subclass, Py_NewRef(cls));
    }
    return typeof_array(a, untypable);
}

/* Why an array that looks typable has no type, or NULL. */
static const char *
array_why_not(PyArrayObject *a)
{
    const char *why = why_dropped(Py_TYPE(a));
    if (why != NULL || PyErr_Occurred()) {
        PyErr_Clear();
        return why;
    }
    if (pj_typeof_scalar_class((PyObject *)PyArray_DESCR(a)->typeobj)
        == NULL) {
        return "its dtype is not a number type pyjit compiles (bool, "
               "int8..int64, uint8..uint64, float32, float64, complex64, "
               "complex128)";
    }
    if (PyArray_NDIM(a) < 1) {
        return "0-d arrays are not supported; pass the scalar a[()]";
    }
    if (PyArray_NDIM(a) > PJ_MAX_NDIM) {
        return "it has too many dimensions";
    }
    if (!PyArray_ISNOTSWAPPED(a)) {
        return "its byte order is not the machine's (use a.astype(a.dtype."
               "newbyteorder('=')))";
    }
    if (!PyArray_ISALIGNED(a)) {
        return "its data is not aligned (copy it with a.copy())";
    }
    return NULL;
}

/* ndarray itself, an ndarray subclass (unless NumPy gives it a meaning
   an array type would drop), or not an array. */
static PjType *
array_typeof(PyObject *obj, bool *untypable, int Py_UNUSED(depth))
{
    if (Py_IS_TYPE(obj, &PyArray_Type)) {
        return typeof_array((PyArrayObject *)obj, untypable);
    }
    if (!PyArray_Check(obj)) {
        return NULL;
    }
    return typeof_array_subclass((PyArrayObject *)obj, untypable);
}

static const char *
array_why_untypable(PyObject *obj, int Py_UNUSED(depth))
{
    return PyArray_Check(obj) ? array_why_not((PyArrayObject *)obj) : NULL;
}

static int
array_init(void)
{
    return pj_typeof_register(&PyArray_Type, &pj_kind_array);
}

/* --- the kinds --- */

/* array(dtype, ndim, layout): flags a PJ_LAYOUT_* | PJ_READONLY. */
PjType *
pj_type_array(PjType *dtype, int ndim, int flags)
{
    return pj_type_intern(PJ_TK_ARRAY, ndim, flags, &dtype, 1, NULL);
}

/* A slice whose parts `given` (PJ_SLICE_*) are integers, the others None. */
PjType *
pj_type_slice(int given)
{
    return pj_type_intern(PJ_TK_SLICE, 0, given, NULL, 0, NULL);
}

static void
print_array(PjBuf *b, PjType *t)
{
    pj_buf_printf(b, "%sarray(%s, %dd, %s)",
                  pj_array_readonly(t) ? "readonly " : "",
                  pj_type_str(t->elems[0]), pj_array_ndim(t),
                  pj_array_is_c(t) ? "C" : "A");
}

/* Arrays of one dtype and ndim join as the most general layout. */
static PjType *
unify_arrays(PjType *a, PjType *b)
{
    if (a->elems[0] != b->elems[0] || a->bits != b->bits) {
        return NULL;
    }
    return pj_type_array(a->elems[0], a->bits, a->ident | b->ident);
}

/* A C array passes as an A one, a writable one as readonly: a safe
   conversion, as Numba's Array.can_convert_to rates it. */
static int
array_conversion_cost(PjType *from, PjType *to)
{
    if (from->kind != PJ_TK_ARRAY) {
        return -1;
    }
    return pj_type_unify(from, to) == to ? 2 : -1;
}

static PjType *
array_iter_type(PjType *t)
{
    PjType *item = pj_array_iter_item(t);
    return item ? pj_type_iterator(PJ_TK_ARRAY_ITER, &t, 1, item) : NULL;
}

/* meminfo, parent, data, shape[ndim], strides[ndim] */
static LLVMTypeRef
array_llvm_type(PjLower *lw, PjType *t)
{
    LLVMTypeRef dims = LLVMArrayType2(lw->t_i64, (uint64_t)pj_array_ndim(t));
    LLVMTypeRef f[5] = {lw->t_ptr, lw->t_ptr, lw->t_ptr, dims, dims};
    return LLVMStructTypeInContext(lw->ctx, f, 5, 0);
}

static bool
array_holds_memory(PjType *Py_UNUSED(t))
{
    return true;
}

static void
array_meminfo(PjLower *lw, LLVMValueRef v, PjType *Py_UNUSED(t),
              LLVMValueRef valid, PjMemFn f)
{
    LLVMValueRef mi = LLVMBuildExtractValue(lw->b, v, F_MEMINFO, "");
    if (valid != NULL) {
        mi = LLVMBuildSelect(lw->b, valid, mi, LLVMConstNull(lw->t_ptr), "");
    }
    f(lw, mi);
}

const PjKind pj_kind_array = {
    .name = "array",
    .print = print_array,
    .unify = unify_arrays,
    .conversion_cost = array_conversion_cost,
    .type_getattr = array_getattr,
    .type_method = array_method,
    .type_getitem = array_getitem,
    .type_setitem = array_setitem,
    .type_operator = array_operator,
    .type_len = array_len,
    .iter_type = array_iter_type,
    .llvm_type = array_llvm_type,
    .lower_iter = array_iter,
    .holds_memory = array_holds_memory,
    .each_meminfo = array_meminfo,
    .typeof = array_typeof,
    .why_untypable = array_why_untypable,
    .init = array_init,
    .box = pj_box_array,
    .unbox = pj_unbox_array,
};

/* The iterators over an array's first dimension, and over a.flat: the
   array, and the next index. */
static LLVMTypeRef
array_iter_llvm_type(PjLower *lw, PjType *it)
{
    LLVMTypeRef f[2] = {pj_lower_type(lw, it->elems[0]), lw->t_i64};
    return LLVMStructTypeInContext(lw->ctx, f, 2, 0);
}

static void
array_iter_meminfo(PjLower *lw, LLVMValueRef v, PjType *it,
                   LLVMValueRef valid, PjMemFn f)
{
    pj_lower_field_meminfo(lw, v, 0, it->elems[0], valid, f);
}

const PjKind pj_kind_array_iter = {
    .name = "array_iter",
    .print = pj_type_print_iterator,
    .iter_type = pj_type_iter_self,
    .llvm_type = array_iter_llvm_type,
    .lower_iter = pj_lower_iter_self,
    .lower_iternext = array_iternext,
    .holds_memory = pj_kind_elems_hold_memory,
    .each_meminfo = array_iter_meminfo,
};

const PjKind pj_kind_flat_iter = {
    .name = "flat_iter",
    .print = pj_type_print_iterator,
    .iter_type = pj_type_iter_self,
    .llvm_type = array_iter_llvm_type,
    .lower_iter = pj_lower_iter_self,
    .lower_iternext = array_iternext,
    .holds_memory = pj_kind_elems_hold_memory,
    .each_meminfo = array_iter_meminfo,
};

/* --- slices --- */

static void
print_slice(PjBuf *b, PjType *t)
{
    pj_buf_printf(b, "slice(%s, %s, %s)",
                  t->ident & PJ_SLICE_START ? "int64" : "none",
                  t->ident & PJ_SLICE_STOP ? "int64" : "none",
                  t->ident & PJ_SLICE_STEP ? "int64" : "none");
}

/* start, stop, step (0 where None) */
static LLVMTypeRef
slice_llvm_type(PjLower *lw, PjType *Py_UNUSED(t))
{
    return LLVMArrayType2(lw->t_i64, 3);
}

const PjKind pj_kind_slice = {
    .name = "slice",
    .print = print_slice,
    .llvm_type = slice_llvm_type,
};
