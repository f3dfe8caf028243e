/*
** arrays.c - the array kind: which NumPy arrays have a type, and the
** typing and lowering of their attributes, indexing, views and iteration.
** Whole-array operators and reshaping are in array_ops.c, the functions
** that make arrays in array_new.c; the three share the array core
** declared in pyjit.h.
**
** An array is a struct passed by value (the kind's llvm_type):
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
** rest, and slices among them (a[lo:hi], a[i, :], a[::-1]), which give a
** view.  As in Numba, indices are not checked unless boundscheck=True,
** which raises IndexError for an index out of range.
**
** A 0-d array (ndim 0: no shape, no strides, one element at data) is an
** argument like any other, a[i, j, ...] of a 2-d a is one (a view of
** the element, what np.nditer yields), and a[()], a[()] = v, a[...] = v
** and a.item() read and write its element.
*/
#include "pyjit.h"

#define NO_IMPORT_ARRAY
#include <numpy/arrayobject.h>

#include <string.h>

/* --- typing --- */

/* a[i]: C stays C; F's a[i] strides across its columns, so is A. */
PjType *
pj_array_view_type(PjType *arr, int nidx)
{
    int flags = arr->ident | (pj_array_is_f(arr) ? PJ_LAYOUT_A : 0);
    return pj_type_array(arr->elems[0], pj_array_ndim(arr) - nidx, flags);
}

/* a.T: the dimensions reversed, so C becomes F and F becomes C. */
PjType *
pj_array_transposed_type(PjType *arr)
{
    int nd = pj_array_ndim(arr);
    if (nd == 1) {
        return arr;
    }
    int flags = arr->ident & ~PJ_LAYOUTS;
    flags |= pj_array_is_c(arr) ? PJ_LAYOUT_F
             : pj_array_is_f(arr) ? PJ_LAYOUT_C : PJ_LAYOUT_A;
    return pj_type_array(arr->elems[0], nd, flags);
}

/* How many integer indices idx holds (1 for an integer, k for a tuple of
   k integers, none for a[()]), or -1 with *why set. */
static int
count_indices(PjType *idx, const char **why)
{
    if (idx == NULL || pj_type_is_integer(idx)) {
        return 1;
    }
    if (pj_type_is_tuple(idx)) {
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

static const PjImpl impl_getitem, impl_getitem_chars, impl_setitem, impl_attr,
    impl_len;
static LLVMValueRef array_iter(PjLower *lw, LLVMValueRef a, PjType *t,
                               PjType *it);
static const PjImpl impl_getslice;

int
pj_array_choose_plan(PjCompile *cx, PjInstr *ins, const PjImpl *impl,
                     PjType *resty, PjType **argtys, int n, PjPlan plan)
{
    RETURN_IF_ERROR(pj_choose_plan(cx, ins, impl, resty, argtys, n, plan));
    bool bytes = n > 0 && pj_type_is_array(argtys[0])
                 && pj_bytes_name(argtys[0]) != NULL;   /* IndexError */
    if (impl->can_raise || bytes
        || (cx->opts.boundscheck && impl != &impl_attr)) {
        cx->can_raise = true;
    }
    return 0;
}

int
pj_array_choose(PjCompile *cx, PjInstr *ins, const PjImpl *impl, PjType *resty,
                PjType **argtys, int n)
{
    return pj_array_choose_plan(cx, ins, impl, resty, argtys, n, (PjPlan){0});
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
plan_slices(PjInstr *ins, PjType *idx, PjSlicePlan *plan)
{
    if (idx == NULL) {                  /* a[lo:hi:step], constants */
        plan->nitems = 1;
        plan->kinds[0] = PJ_ITEM_CONST_SLICE;
        bool unit;
        plan->given[0] = const_slice_parts(ins->obj, &unit);
        plan->spread = 0;
        return 0;
    }
    int n = pj_type_is_tuple(idx) ? idx->count : 1;
    if (n > PJ_MAX_NDIM) {
        return 1;
    }
    bool any = false;
    for (int k = 0; k < n; k++) {
        PjType *t = pj_type_is_tuple(idx) ? pj_type_elem(idx, k) : idx;
        if (pj_type_is_slice(t)) {
            plan->kinds[k] = PJ_ITEM_SLICE;
            plan->given[k] = t->ident;
            any = true;
        }
        else if (t->kind == PJ_TK_NONE || pj_type_is_ellipsis(t)) {
            plan->kinds[k] = t->kind == PJ_TK_NONE ? PJ_ITEM_NEWAXIS
                                                   : PJ_ITEM_ELLIPSIS;
            plan->given[k] = 0;
            any = true;
        }
        else if (pj_type_is_integer(t)) {
            plan->kinds[k] = PJ_ITEM_INT;
        }
        else {
            return 1;
        }
    }
    plan->nitems = n;
    return any ? 0 : 1;
}

/* Whether item k of a slice keeps the layout contiguous, the items taken
   from the end whose elements are adjacent (the last for C, the first for
   F): integer indices may come only before the first sliced dimension,
   that one may be cut (with step 1), and the rest must be ':'.  *sliced
   says whether a sliced dimension came. */
static bool
item_keeps_contiguous(PjInstr *ins, const PjSlicePlan *plan, int k,
                      bool *sliced)
{
    int g = plan->given[k];
    bool unit = !(g & PJ_SLICE_STEP);
    if (plan->kinds[k] == PJ_ITEM_CONST_SLICE) {
        const_slice_parts(ins->obj, &unit);
    }
    if (plan->kinds[k] == PJ_ITEM_INT) {
        return !*sliced;
    }
    if (*sliced ? g != 0 : !unit) {
        return false;
    }
    *sliced = true;
    return true;
}

/* A slice of a C array stays C when, after the integer indices, only
   its first sliced dimension is cut (with step 1) and the rest are ':'
   (as `...` is); a new axis of length 1 changes nothing. */
static bool
slice_keeps_c(PjInstr *ins, const PjSlicePlan *plan)
{
    bool sliced = false;
    for (int k = 0; k < plan->nitems; k++) {
        if (plan->kinds[k] == PJ_ITEM_NEWAXIS
            || (plan->kinds[k] == PJ_ITEM_ELLIPSIS && plan->spread == 0)) {
            continue;
        }
        if (!item_keeps_contiguous(ins, plan, k, &sliced)) {
            return false;
        }
    }
    return true;
}

/* A slice of an F array of ndim dimensions stays F by the same rule read
   from the last dimension (those not indexed are ':'), as Numba's
   a[:, lo:hi] and a[:, j] are; with a new axis or `...`, it is A. */
static bool
slice_keeps_f(PjInstr *ins, const PjSlicePlan *plan, int ndim)
{
    bool sliced = plan->nitems < ndim;
    for (int k = plan->nitems - 1; k >= 0; k--) {
        if (plan->kinds[k] == PJ_ITEM_NEWAXIS
            || plan->kinds[k] == PJ_ITEM_ELLIPSIS
            || !item_keeps_contiguous(ins, plan, k, &sliced)) {
            return false;
        }
    }
    return true;
}

/* How many items of the plan are of kind `kind`. */
static int
count_items(const PjSlicePlan *plan, int kind)
{
    int n = 0;
    for (int k = 0; k < plan->nitems; k++) {
        n += plan->kinds[k] == kind;
    }
    return n;
}

/* The dimensions of the view: -1 and cx->why set when the index does not
   fit the array, as NumPy says (a[i, j, ...] of a 2-d array is a 0-d
   view); sets how many `...` stands for. */
static int
view_ndim(PjCompile *cx, PjType *arr, PjSlicePlan *plan)
{
    int nints = count_items(plan, PJ_ITEM_INT);
    int nnew = count_items(plan, PJ_ITEM_NEWAXIS);
    int nell = count_items(plan, PJ_ITEM_ELLIPSIS);
    int used = plan->nitems - nnew - nell, nd = pj_array_ndim(arr);
    if (nell > 1) {
        cx->why = "an index can only have a single ellipsis ('...')";
        return -1;
    }
    if (used > nd || (nints == nd && nnew == 0 && nell == 0)) {
        cx->why = "too many indices for the array";
        return -1;
    }
    if (nd - nints + nnew > PJ_MAX_NDIM) {
        cx->why = "the index gives more dimensions than an array can have";
        return -1;
    }
    plan->spread = nd - used;
    return nd - nints + nnew;
}

/* a[lo:hi], a[i, :], a[::-1], a[..., i], a[:, None]...: a view. */
int
pj_array_type_getslice(PjCompile *cx, PjInstr *ins, PjType *arr, PjType *idx,
                       PjSlicePlan *plan)
{
    int ndim = view_ndim(cx, arr, plan);
    if (ndim < 0) {
        return 1;
    }
    bool dynamic_step = false;
    for (int k = 0; k < plan->nitems; k++) {
        dynamic_step |= plan->kinds[k] == PJ_ITEM_SLICE
                        && (plan->given[k] & PJ_SLICE_STEP);
    }
    PyObject *step = plan->kinds[0] == PJ_ITEM_CONST_SLICE
                     ? ((PySliceObject *)ins->obj)->step : Py_None;
    if (step != Py_None && PyObject_Not(step) == 1) {
        cx->why = "slice step cannot be zero";     /* as for tuples */
        return 1;
    }
    int flags = pj_bytes_view_flags(arr);
    if (pj_array_is_f(arr) && slice_keeps_f(ins, plan, pj_array_ndim(arr))) {
        flags |= PJ_LAYOUT_F;
    }
    else if (!(pj_array_is_c(arr) && slice_keeps_c(ins, plan))) {
        flags |= PJ_LAYOUT_A;
    }
    PjType *res = pj_type_array(arr->elems[0], ndim, flags);
    PjSlicePlan *kept = PJ_NEW(cx->arena, PjSlicePlan);
    if (res == NULL || kept == NULL) {
        return -1;
    }
    *kept = *plan;
    PjType *argtys[2] = {arr, idx};
    RETURN_IF_ERROR(pj_array_choose_plan(cx, ins, &impl_getslice, res, argtys,
                                         2, (PjPlan){.ptr = kept}));
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
    if (pj_array_index_by_array(idx)) {
        return pj_array_type_getitem_by_array(cx, ins, arr, idx);
    }
    if (idx != NULL && pj_type_is_strlit(idx)) {
        return pj_record_type_field_view(cx, ins, arr, idx, NULL);
    }
    PjSlicePlan plan;
    if ((idx != NULL || ins->obj != NULL)
        && plan_slices(ins, idx, &plan) == 0) {
        return pj_array_type_getslice(cx, ins, arr, idx, &plan);
    }
    int n = count_indices(idx, &cx->why);
    if (n < 0) {
        return 1;
    }
    if (n > pj_array_ndim(arr)) {
        cx->why = "too many indices for the array";
        return 1;
    }
    PjType *res = n == pj_array_ndim(arr) ? pj_record_item_type(arr)
                                          : pj_array_view_type(arr, n);
    if (res == NULL) {
        return -1;
    }
    PjType *argtys[2] = {arr, idx};
    const PjImpl *impl = n == pj_array_ndim(arr)
                         && pj_type_is_charseq(arr->elems[0])
                         ? &impl_getitem_chars : &impl_getitem;
    cx->can_raise |= impl->can_raise;
    return pj_array_choose_plan(cx, ins, impl, res, argtys, 2,
                                (PjPlan){.n = idx == NULL ? ins->sub : 0});
}

/* Whether a number of type value converts to dtype for storing (not a
   complex into a real array); cx->why says why not. */
bool
pj_array_can_store(PjCompile *cx, PjType *dtype, PjType *value)
{
    if (pj_type_is_record(dtype) || pj_type_is_record(value)) {
        cx->why = "a record is stored in an array of records of its layout";
        return pj_record_same_layout(value, dtype);    /* copied */
    }
    if (pj_type_is_datetime_like(dtype) || pj_type_is_datetime_like(value)) {
        cx->why = "a datetime64 (timedelta64) is stored in an array of "
                  "datetime64 (timedelta64)";
        return pj_datetime_can_store(dtype, value);
    }
    if (pj_type_is_charseq(dtype)) {
        return pj_charseq_can_store(cx, dtype, value);
    }
    if (!pj_type_is_number(value)
        || (value->kind == PJ_TK_COMPLEX && dtype->kind != PJ_TK_COMPLEX)) {
        cx->why = "the value cannot be stored in an array of this dtype";
        return false;
    }
    return true;
}

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
    if ((arr->ident & PJ_BYTEARRAY) && !pj_type_is_intlike(idx)) {
        cx->why = "a bytearray takes item assignment at an integer index "
                  "in compiled code (a slice assignment may resize it)";
        return 1;
    }
    if (pj_array_index_by_array(idx)) {
        return pj_array_type_setitem_by_array(cx, ins, arr, idx, value);
    }
    PjSlicePlan sp;
    bool sliced = plan_slices(ins, idx, &sp) == 0;
    int n = sliced ? 0 : count_indices(idx, &cx->why);
    if (n < 0) {
        return 1;
    }
    if (n > pj_array_ndim(arr)) {
        cx->why = "too many indices for the array";
        return 1;
    }
    bool to_view = sliced || n < pj_array_ndim(arr);
    if (to_view && pj_array_value_is_sequence(value)) {
        return pj_array_type_setitem_sequence(cx, ins, arr, idx, value);
    }
    if (to_view) {
        return pj_array_type_setview(cx, ins, arr, idx, value,
                                     sliced ? &sp : NULL, n);
    }
    if (!pj_array_can_store(cx, arr->elems[0], value)) {
        return 1;
    }
    PjType *argtys[3] = {arr, idx, value};
    cx->can_raise |= (arr->ident & PJ_BYTEARRAY) != 0;   /* not a byte */
    return pj_array_choose(cx, ins, &impl_setitem, NULL, argtys, 3);
}

enum { ATTR_SHAPE, ATTR_STRIDES, ATTR_NDIM, ATTR_SIZE, ATTR_ITEMSIZE,
       ATTR_FLAT, ATTR_T };

/* Methods compiled here (the rest are pyjit/_numpy.py's). */
static const char *const view_methods[] = {"reshape", "ravel", "flatten",
                                           "transpose", "astype", "view",
                                           "tobytes", NULL};

static bool
is_view_method(const char *name)
{
    return pj_name_in(view_methods, name);
}

/* The dtype of the element type et as a value (dtype(float64), dtype.c),
   which np.empty(n, a.dtype) and a.astype(a.dtype) take as a dtype:
   chosen as ins's result. */
static int
choose_dtype_value(PjCompile *cx, PjInstr *ins, PjType *et, PjType **args,
                   int n)
{
    PyObject *cls = pj_type_is_record(et)      /* the record's dtype */
        ? Py_NewRef(et->obj)
        : pj_type_is_charseq(et) ? Py_XNewRef(pj_charseq_descr(et))
        : (PyObject *)PyArray_TypeObjectFromType(pj_type_numpy_num(et));
    if (cls == NULL) {
        return -1;
    }
    Py_DECREF(cls);             /* as long-lived as the type */
    PjType *t = pj_type_dtype_value(et, true);
    return t ? pj_array_choose_plan(cx, ins, &pj_impl_constant, t, args, n,
                                    (PjPlan){.ptr = cls}) : -1;
}

/* a.dtype */
static int
array_dtype(PjCompile *cx, PjInstr *ins, PjType *arr)
{
    return choose_dtype_value(cx, ins, arr->elems[0], &arr, 1);
}

/* np.dtype(x): the dtype x names (np.float32, 'int8', float, a.dtype),
   the value a.dtype is. */
int
pj_type_np_dtype(PjCompile *cx, PjInstr *ins, const PjCallable *Py_UNUSED(fn),
                 PjType **args, int n)
{
    PjType *et = n == 1 ? pj_array_dtype_named(args[0]) : NULL;
    if (et == NULL) {
        cx->why = "np.dtype takes a number type (np.float64, float, "
                  "'int32', a.dtype)";
        return 1;
    }
    return choose_dtype_value(cx, ins, et, args, 1);
}

/* np.frombuffer(buffer, dtype=float): a 1-d view of the bytes of bytes,
   a bytearray or a C-contiguous array as elements of dtype, read-only
   when the buffer is; NumPy's ValueError when they are not a whole
   number of elements. */
static LLVMValueRef
lower_frombuffer(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *at = ins->argtys[0];
    LLVMValueRef nbytes = LLVMBuildMul(lw->b, pj_array_size(lw, at, args[0]),
                                       pj_array_itemsize(lw, at->elems[0]),
                                       "");
    LLVMValueRef size = pj_array_itemsize(lw, ins->resty->elems[0]);
    pj_lower_check(lw, LLVMBuildICmp(lw->b, LLVMIntNE,
                                     LLVMBuildSRem(lw->b, nbytes, size, ""),
                                     pj_i64(lw, 0), ""),
                   "ValueError", "buffer size must be a multiple of element "
                   "size");
    LLVMValueRef n = LLVMBuildSDiv(lw->b, nbytes, size, "");
    return pj_array_with_dims(lw, args[0], ins->resty, &n, &size);
}

static const PjImpl impl_frombuffer = {"frombuffer", lower_frombuffer, true,
                                       false};

int
pj_type_np_frombuffer(PjCompile *cx, PjInstr *ins,
                      const PjCallable *Py_UNUSED(fn), PjType **args, int n)
{
    if (n < 1 || !pj_type_is_array(args[0]) || !pj_array_is_c(args[0])
        || pj_type_is_record(args[0]->elems[0])) {
        cx->why = "np.frombuffer takes bytes, a bytearray or a C-contiguous "
                  "array of numbers";
        return 1;
    }
    PjType *et = n > 1 ? pj_array_dtype_named(args[1]) : pj_t.f64;
    if (et == NULL || pj_type_is_record(et)) {
        cx->why = "the dtype must name a number type (np.float64, float, "
                  "'int32', ...)";
        return 1;
    }
    PjType *res = pj_type_array(et, 1, args[0]->ident & PJ_READONLY);
    return res ? pj_array_choose(cx, ins, &impl_frombuffer, res, args, n)
               : -1;
}

/* a.shape, a.strides, a.ndim, a.size, a.itemsize, a.flat, a.dtype, and
   the methods pyjit/_numpy.py implements; 1 for other names. */
static int
array_getattr(PjCompile *cx, PjInstr *ins, PjType *arr)
{
    static const char *const names[] = {"shape", "strides", "ndim", "size",
                                        "itemsize"};
    if (pj_bytes_operation(cx, ins, arr, NULL) != 0) {
        return 1;               /* no attributes */
    }
    if (strcmp(ins->name, "dtype") == 0) {
        return array_dtype(cx, ins, arr);
    }
    int part = pj_array_type_part(cx, ins, arr);
    if (part <= 0) {
        return part;
    }
    PyObject *name = PyUnicode_FromString(ins->name);
    int rc = name ? pj_record_type_field_view(cx, ins, arr, NULL, name) : -1;
    Py_XDECREF(name);
    if (rc <= 0) {
        return rc;
    }
    if (strcmp(ins->name, "flat") == 0) {
        PjType *it = pj_type_iterator(PJ_TK_FLAT_ITER, &arr, 1,
                                      pj_record_item_type(arr));
        return it ? pj_array_choose_plan(cx, ins, &impl_attr, it, &arr, 1,
                                         (PjPlan){.n = ATTR_FLAT}) : -1;
    }
    if (strcmp(ins->name, "T") == 0) {
        PjType *t = pj_array_transposed_type(arr);
        return t ? pj_array_choose_plan(cx, ins, &impl_attr, t, &arr, 1,
                                        (PjPlan){.n = ATTR_T}) : -1;
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
        return res ? pj_array_choose_plan(cx, ins, &impl_attr, res, &arr, 1,
                                          (PjPlan){.n = k}) : -1;
    }
    /* methods last: asking the library loads it, which a.shape need not */
    if (is_view_method(ins->name)
        || pj_library_method(arr, ins->name, false) != NULL) {
        PjType *b = pj_type_bound(cx->arena, arr, ins->name);
        return b ? pj_array_choose(cx, ins, &pj_impl_self, b, &arr, 1) : -1;
    }
    return 1;
}

/* len(a): the length of the first dimension. */
static int
array_len(PjCompile *cx, PjInstr *ins, PjType *arr)
{
    if (pj_array_ndim(arr) == 0) {
        cx->why = "len() of unsized object (a 0-d array)";
        return 1;
    }
    return pj_array_choose(cx, ins, &impl_len, pj_t.i64, &arr, 1);
}

/* What iterating over an array yields: its elements (1d) or views of
   its rows; NULL for a 0-d array, which NumPy does not iterate. */
PjType *
pj_array_iter_item(PjType *arr)
{
    if (pj_array_ndim(arr) == 0) {
        return NULL;
    }
    return pj_array_ndim(arr) == 1 ? pj_record_item_type(arr)
                                   : pj_array_view_type(arr, 1);
}

/* --- lowering --- */

/* Item i of an array value's shape or strides (field PJ_ARRAY_SHAPE or
   PJ_ARRAY_STRIDES). */
LLVMValueRef
pj_array_dim(PjLower *lw, LLVMValueRef arr, unsigned field, int i)
{
    unsigned idx[2] = {field, (unsigned)i};
    return LLVMBuildExtractValue(lw->b, LLVMBuildExtractValue(
        lw->b, arr, idx[0], ""), idx[1], "");
}

/* The k-th index of an access as an i64: a constant, an integer or an
   item of a tuple of integers. */
LLVMValueRef
pj_array_index_value(PjLower *lw, PjInstr *ins, LLVMValueRef *args, int k,
                     bool *maybe_negative)
{
    PjType *it = ins->argtys[1];
    if (it == NULL) {
        intptr_t c = ins->plan.n;
        *maybe_negative = c < 0;
        return pj_i64(lw, c);
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
    v = pj_lower_convert(lw, v, it, it->kind == PJ_TK_UINT ? pj_t.u64
                                                          : pj_t.i64);
    pj_float_index_loaded(lw, ins, v);
    return v;
}

/* Whether ins indexes an array by one signed integer through
   pj_array_indexed_address, which wraps it with pj_array_checked_index:
   there the test of an int() of a float may be done (float_index.c). */
bool
pj_array_indexes_by_int(const PjInstr *ins)
{
    if ((ins->impl != &impl_getitem && ins->impl != &impl_setitem)
        || ins->argtys[1] == NULL) {
        return false;
    }
    PjType *at = ins->argtys[0], *it = ins->argtys[1];
    return pj_type_is_array(at) && pj_bytes_name(at) == NULL
           && !(at->ident & PJ_BYTEARRAY) && it->kind == PJ_TK_INT;
}

/* Index k wrapped (negative from the end) and, with boundscheck, checked
   against the dimension. */
LLVMValueRef
pj_array_checked_index(PjLower *lw, LLVMValueRef i, bool maybe_negative,
                       LLVMValueRef n)
{
    LLVMValueRef wrapped = maybe_negative ? pj_float_index_wrap(lw, i, n)
                                          : NULL;
    if (wrapped != NULL) {
        i = wrapped;
    }
    else if (maybe_negative) {
        LLVMValueRef neg = LLVMBuildICmp(lw->b, LLVMIntSLT, i, pj_i64(lw, 0),
                                         "");
        i = LLVMBuildSelect(lw->b, neg, LLVMBuildAdd(lw->b, i, n, ""), i, "");
    }
    if (lw->cx->opts.boundscheck) {
        pj_lower_check(lw, LLVMBuildICmp(lw->b, LLVMIntUGE, i, n, ""),
                       "IndexError", "index is out of bounds");
    }
    return i;
}

/* What an element is stored as: NumPy keeps a bool in a byte and a
   record (record.c) as its bytes. */
LLVMTypeRef
pj_array_elem_type(PjLower *lw, PjType *dtype)
{
    int64_t size = pj_record_size(dtype);
    if (size > 0) {
        return LLVMArrayType2(lw->t_i8, (uint64_t)size);
    }
    return pj_type_is_bool(dtype) ? lw->t_i8 : pj_lower_type(lw, dtype);
}

/* The address of a[i0, ..., i(n-1)]: for an element (n == ndim) or the
   start of the sub-array. */
LLVMValueRef
pj_array_address(PjLower *lw, PjType *at, LLVMValueRef arr, LLVMValueRef *idx,
                 int n)
{
    int nd = pj_array_ndim(at);
    LLVMValueRef data = LLVMBuildExtractValue(lw->b, arr, PJ_ARRAY_DATA, "");
    LLVMTypeRef et = pj_array_elem_type(lw, at->elems[0]);
    if (pj_array_is_c(at)) {
        /* Row-major: ((i0 * d1 + i1) * d2 + ...) elements in. */
        LLVMValueRef lin = n > 0 ? idx[0] : pj_i64(lw, 0);
        for (int k = 1; k < nd; k++) {
            LLVMValueRef ik = k < n ? idx[k] : pj_i64(lw, 0);
            LLVMValueRef dk = pj_array_dim(lw, arr, PJ_ARRAY_SHAPE, k);
            LLVMValueRef scaled = LLVMBuildNSWMul(lw->b, lin, dk, "");
            lin = LLVMBuildAdd(lw->b, scaled, ik, "");
        }
        return LLVMBuildInBoundsGEP2(lw->b, et, data, &lin, 1, "");
    }
    if (pj_array_is_f(at)) {
        /* Column-major: i0 + d0 * (i1 + d1 * (...)) elements in, the first
           index's step one element, as LLVM sees. */
        LLVMValueRef lin = pj_i64(lw, 0);
        for (int k = n - 1; k >= 0; k--) {
            LLVMValueRef dk = pj_array_dim(lw, arr, PJ_ARRAY_SHAPE, k);
            LLVMValueRef scaled = k == n - 1 ? lin
                                  : LLVMBuildNSWMul(lw->b, lin, dk, "");
            lin = LLVMBuildAdd(lw->b, scaled, idx[k], "");
        }
        return LLVMBuildInBoundsGEP2(lw->b, et, data, &lin, 1, "");
    }
    LLVMValueRef off = pj_i64(lw, 0);
    for (int k = 0; k < n; k++) {
        LLVMValueRef sk = pj_array_dim(lw, arr, PJ_ARRAY_STRIDES, k);
        off = LLVMBuildAdd(lw->b, off, LLVMBuildMul(lw->b, idx[k], sk, ""),
                           "");
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
    for (unsigned f = PJ_ARRAY_MEMINFO; f <= PJ_ARRAY_DATA; f++) {
        LLVMValueRef x = f == PJ_ARRAY_DATA && data != NULL
                         ? data : LLVMBuildExtractValue(lw->b, arr, f, "");
        v = LLVMBuildInsertValue(lw->b, v, x, f, "");
    }
    LLVMTypeRef dims = LLVMArrayType2(lw->t_i64, (uint64_t)nd);
    LLVMValueRef sh = LLVMGetUndef(dims), st = LLVMGetUndef(dims);
    for (int k = 0; k < nd; k++) {
        sh = LLVMBuildInsertValue(lw->b, sh, shape[k], (unsigned)k, "");
        st = LLVMBuildInsertValue(lw->b, st, strides[k], (unsigned)k, "");
    }
    v = LLVMBuildInsertValue(lw->b, v, sh, PJ_ARRAY_SHAPE, "");
    return LLVMBuildInsertValue(lw->b, v, st, PJ_ARRAY_STRIDES, "");
}

/* The struct of a view: the array's dimensions from n on, at `data`. */
LLVMValueRef
pj_array_make_view(PjLower *lw, PjType *at, LLVMValueRef arr,
                   LLVMValueRef data, int n, PjType *vt)
{
    LLVMValueRef shape[PJ_MAX_NDIM], strides[PJ_MAX_NDIM];
    for (int k = n; k < pj_array_ndim(at); k++) {
        shape[k - n] = pj_array_dim(lw, arr, PJ_ARRAY_SHAPE, k);
        strides[k - n] = pj_array_dim(lw, arr, PJ_ARRAY_STRIDES, k);
    }
    return view_at(lw, arr, data, vt, shape, strides);
}

LLVMValueRef
pj_array_load(PjLower *lw, PjType *dtype, LLVMValueRef p)
{
    if (pj_type_is_record(dtype)) {
        return pj_record_load(lw, dtype, p);    /* a view */
    }
    LLVMValueRef v = LLVMBuildLoad2(lw->b, pj_array_elem_type(lw, dtype), p,
                                    "");
    pj_tbaa_tag(lw, v, PJ_ALIAS_ELEMENT);
    return pj_type_is_bool(dtype) ? LLVMBuildICmp(lw->b, LLVMIntNE, v,
                                                  pj_zero_of(v), "")
                                  : v;
}

/* The element of dtype at p as a[i] reads it: a string's (charseq.c) is a
   copy of its own (an owned value), so that a store into the element
   after the read does not change what was read. */
LLVMValueRef
pj_array_read_item(PjLower *lw, PjType *dtype, LLVMValueRef p)
{
    return pj_type_is_charseq(dtype) ? pj_charseq_copy(lw, dtype, p)
                                     : pj_array_load(lw, dtype, p);
}

/* The element at p of the array value arr of type at, as iteration reads
   it: a string's (charseq.c) is a view that holds what the array holds. */
LLVMValueRef
pj_array_load_item(PjLower *lw, PjType *at, LLVMValueRef arr, LLVMValueRef p)
{
    PjType *dtype = at->elems[0];
    return pj_type_is_charseq(dtype) ? pj_charseq_load(lw, dtype, arr, p)
                                     : pj_array_load(lw, dtype, p);
}

/* Stores v, a value code stored in an element (a str or bytes for a
   string's), at p. */
void
pj_array_store_item(PjLower *lw, PjType *dtype, LLVMValueRef p,
                    LLVMValueRef v)
{
    if (pj_type_is_charseq(dtype)) {
        pj_charseq_store(lw, dtype, p, v);
        return;
    }
    pj_array_store(lw, dtype, p, v);
}

/* Stores v, an element as pj_array_load reads it (a string's bytes as
   they are), at p. */
void
pj_array_store(PjLower *lw, PjType *dtype, LLVMValueRef p, LLVMValueRef v)
{
    if (pj_type_is_record(dtype)) {
        pj_record_store(lw, dtype, p, v);
        return;
    }
    if (pj_type_is_bool(dtype)) {
        v = LLVMBuildZExt(lw->b, v, lw->t_i8, "");
    }
    pj_tbaa_tag(lw, LLVMBuildStore(lw->b, v, p), PJ_ALIAS_ELEMENT);
}

/* The address of args[0][i0, ..., i(n-1)] for the n integer indices of
   the access ins (args[1] is the index or a tuple of them), each wrapped
   and, with boundscheck, checked against its dimension. */
LLVMValueRef
pj_array_indexed_address(PjLower *lw, PjInstr *ins, LLVMValueRef *args,
                         int n)
{
    LLVMValueRef idx[PJ_MAX_NDIM];
    for (int k = 0; k < n; k++) {
        bool neg;
        LLVMValueRef i = pj_array_index_value(lw, ins, args, k, &neg);
        LLVMValueRef len = pj_array_dim(lw, args[0], PJ_ARRAY_SHAPE, k);
        idx[k] = pj_array_checked_index(lw, i, neg, len);
    }
    return pj_array_address(lw, ins->argtys[0], args[0], idx, n);
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
    LLVMValueRef p = pj_bytes_name(at) != NULL
                     ? pj_bytes_item_address(lw, ins, args)
                     : pj_array_indexed_address(lw, ins, args, n);
    if (store != NULL) {
        pj_array_store_item(lw, at->elems[0], p, store);
        return NULL;
    }
    if (n < pj_array_ndim(at)) {
        return pj_array_make_view(lw, at, args[0], p, n, resty);
    }
    return pj_array_read_item(lw, at->elems[0], p);
}

static LLVMValueRef
lower_getitem(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    return index_array(lw, ins, args, ins->resty, NULL);
}

/* What a value of type value stored in an element of dtype converts to
   first: the dtype, or for an array of strings the str (a constant made a
   value) or bytes itself, which charseq.c copies in. */
PjType *
pj_array_stored_type(PjType *dtype, PjType *value)
{
    if (!pj_type_is_charseq(dtype)) {
        return dtype;
    }
    return pj_type_is_str(value) ? pj_type_unicode() : value;
}

static LLVMValueRef
lower_setitem(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *dtype = ins->argtys[0]->elems[0];
    PjType *vt = ins->argtys[2];
    LLVMValueRef v = ins->argtys[0]->ident & PJ_BYTEARRAY
        ? pj_bytes_checked_item(lw, args[2], vt)
        : pj_lower_convert(lw, args[2], vt, pj_array_stored_type(dtype, vt));
    return index_array(lw, ins, args, NULL, v);
}

LLVMValueRef
pj_array_with_dims(PjLower *lw, LLVMValueRef arr, PjType *vt,
                   LLVMValueRef *shape, LLVMValueRef *strides)
{
    return view_at(lw, arr, NULL, vt, shape, strides);
}

/* a.T: the dimensions in reverse order. */
LLVMValueRef
pj_array_transposed(PjLower *lw, PjType *at, LLVMValueRef arr, PjType *vt)
{
    int nd = pj_array_ndim(at);
    LLVMValueRef shape[PJ_MAX_NDIM], strides[PJ_MAX_NDIM];
    for (int k = 0; k < nd; k++) {
        shape[k] = pj_array_dim(lw, arr, PJ_ARRAY_SHAPE, nd - 1 - k);
        strides[k] = pj_array_dim(lw, arr, PJ_ARRAY_STRIDES, nd - 1 - k);
    }
    return pj_array_with_dims(lw, arr, vt, shape, strides);
}

LLVMValueRef
pj_array_size(PjLower *lw, PjType *at, LLVMValueRef arr)
{
    LLVMValueRef size = pj_i64(lw, 1);      /* a 0-d array's one element */
    for (int k = 0; k < pj_array_ndim(at); k++) {
        LLVMValueRef dk = pj_array_dim(lw, arr, PJ_ARRAY_SHAPE, k);
        size = LLVMBuildMul(lw->b, size, dk, "");
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
    case ATTR_SHAPE:
        return LLVMBuildExtractValue(lw->b, args[0], PJ_ARRAY_SHAPE, "");
    case ATTR_STRIDES:
        return LLVMBuildExtractValue(lw->b, args[0], PJ_ARRAY_STRIDES, "");
    case ATTR_NDIM: return pj_i64(lw, nd);
    case ATTR_FLAT: return array_iter(lw, args[0], at, ins->resty);
    case ATTR_T: return pj_array_transposed(lw, at, args[0], ins->resty);
    case ATTR_ITEMSIZE: {
        return pj_array_itemsize(lw, at->elems[0]);
    }
    default: return pj_array_size(lw, at, args[0]);
    }
}

/* The address of the element i places into the array in C order (the
   last index fastest) or, `f_order`, in F order (the first fastest): a
   step through memory when the array is contiguous in that order. */
LLVMValueRef
pj_array_address_in_order(PjLower *lw, PjType *at, LLVMValueRef arr,
                          LLVMValueRef i, bool f_order)
{
    int nd = pj_array_ndim(at);
    bool in_memory = f_order ? pj_array_is_f(at) : pj_array_is_c(at);
    if (in_memory || nd == 1) {
        LLVMValueRef idx[PJ_MAX_NDIM] = {i};
        if (nd > 1) {
            /* Contiguous: as a 1-d array of all the elements. */
            LLVMValueRef data = LLVMBuildExtractValue(lw->b, arr,
                                                      PJ_ARRAY_DATA, "");
            LLVMTypeRef et = pj_array_elem_type(lw, at->elems[0]);
            return LLVMBuildInBoundsGEP2(lw->b, et, data, &i, 1, "");
        }
        return pj_array_address(lw, at, arr, idx, 1);
    }
    /* Any strides: the index in each dimension, the fastest first. */
    LLVMValueRef idx[PJ_MAX_NDIM];
    for (int j = 0; j < nd; j++) {
        int k = f_order ? j : nd - 1 - j;
        LLVMValueRef d = pj_array_dim(lw, arr, PJ_ARRAY_SHAPE, k);
        idx[k] = j < nd - 1 ? LLVMBuildSRem(lw->b, i, d, "") : i;
        if (j < nd - 1) {
            i = LLVMBuildSDiv(lw->b, i, d, "");
        }
    }
    return pj_array_address(lw, at, arr, idx, nd);
}

/* The address of the element i places into the array in C order. */
LLVMValueRef
pj_array_flat_address(PjLower *lw, PjType *at, LLVMValueRef arr,
                      LLVMValueRef i)
{
    return pj_array_address_in_order(lw, at, arr, i, false);
}

static LLVMValueRef
lower_len(PjLower *lw, PjInstr *Py_UNUSED(ins), LLVMValueRef *args)
{
    return pj_array_dim(lw, args[0], PJ_ARRAY_SHAPE, 0);
}

/* --- slicing --- */

/* A bound of a slice of a dimension of length n, as Python adjusts it:
   negative counts from the end, then clamped to [lo, hi]. */
static LLVMValueRef
clamp_bound(PjLower *lw, LLVMValueRef v, LLVMValueRef n, LLVMValueRef lo,
            LLVMValueRef hi)
{
    LLVMValueRef neg = LLVMBuildICmp(lw->b, LLVMIntSLT, v, pj_i64(lw, 0), "");
    LLVMValueRef wrapped = pj_smax(lw, LLVMBuildAdd(lw->b, v, n, ""), lo);
    return LLVMBuildSelect(lw->b, neg, wrapped, pj_smin(lw, v, hi), "");
}

/* A slice step as PySlice_Unpack takes it: -2**63 is -(2**63 - 1), so
   that the step and its negation both fit. */
static LLVMValueRef
slice_step(PjLower *lw, LLVMValueRef parts[3], int given)
{
    return given & PJ_SLICE_STEP
           ? pj_smax(lw, parts[2], pj_i64(lw, -INT64_MAX)) : pj_i64(lw, 1);
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
        B, LLVMBuildSub(B, to, from, ""), pj_i64(lw, 1), ""), mag, ""),
        pj_i64(lw, 1), "");
    return LLVMBuildSelect(B, LLVMBuildICmp(B, LLVMIntSLT, from, to, ""), n,
                           pj_i64(lw, 0), "");
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
    LLVMValueRef zero = pj_i64(lw, 0), minus1 = pj_i64(lw, -1);
    LLVMValueRef last = LLVMBuildSub(B, n, pj_i64(lw, 1), "");
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
    if (kind == PJ_ITEM_CONST_SLICE) {
        PySliceObject *sl = (PySliceObject *)ins->obj;
        PyObject *p[3] = {sl->start, sl->stop, sl->step};
        for (int i = 0; i < 3; i++) {
            long long v = p[i] == Py_None ? 0 : PyLong_AsLongLong(p[i]);
            parts[i] = pj_i64(lw, v);
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
LLVMValueRef
pj_array_slice_view(PjLower *lw, PjInstr *ins, LLVMValueRef *args,
                    const PjSlicePlan *plan, PjType *vt)
{
    PjType *at = ins->argtys[0];
    int nd = pj_array_ndim(at), m = 0, d = 0;
    LLVMValueRef arr = args[0], off = pj_i64(lw, 0);
    LLVMValueRef shape[PJ_MAX_NDIM], strides[PJ_MAX_NDIM];
    for (int k = 0; k < plan->nitems || d < nd; k++) {
        int kind = k < plan->nitems ? plan->kinds[k] : -1;
        if (kind == PJ_ITEM_NEWAXIS) {
            shape[m] = pj_i64(lw, 1);
            strides[m++] = pj_i64(lw, 0);
            continue;
        }
        /* `...` and the dimensions after the last index: all of them */
        int whole = kind == PJ_ITEM_ELLIPSIS ? plan->spread : kind < 0;
        for (int e = 0; e < whole; e++, d++) {
            shape[m] = pj_array_dim(lw, arr, PJ_ARRAY_SHAPE, d);
            strides[m++] = pj_array_dim(lw, arr, PJ_ARRAY_STRIDES, d);
        }
        if (kind == PJ_ITEM_ELLIPSIS || kind < 0) {
            continue;
        }
        LLVMValueRef n = pj_array_dim(lw, arr, PJ_ARRAY_SHAPE, d);
        LLVMValueRef s = pj_array_dim(lw, arr, PJ_ARRAY_STRIDES, d++);
        PjType *t = NULL;
        LLVMValueRef item = index_item(lw, ins, args, k, &t);
        if (kind == PJ_ITEM_INT) {
            LLVMValueRef i = pj_lower_convert(
                lw, item, t, t->kind == PJ_TK_UINT ? pj_t.u64 : pj_t.i64);
            i = pj_array_checked_index(lw, i, t->kind == PJ_TK_INT, n);
            off = LLVMBuildAdd(lw->b, off, LLVMBuildMul(lw->b, i, s, ""), "");
            continue;
        }
        LLVMValueRef parts[3], start, len;
        slice_parts(lw, ins, item, kind, parts);
        if (kind == PJ_ITEM_SLICE && (plan->given[k] & PJ_SLICE_STEP)) {
            pj_lower_check(lw, LLVMBuildICmp(lw->b, LLVMIntEQ, parts[2],
                                             pj_i64(lw, 0), ""),
                           "ValueError", "slice step cannot be zero");
        }
        LLVMValueRef step = slice_step(lw, parts, plan->given[k]);
        slice_dimension(lw, parts, plan->given[k], step, n, &start, &len);
        off = LLVMBuildAdd(lw->b, off, LLVMBuildMul(lw->b, start, s, ""), "");
        shape[m] = len;
        strides[m++] = LLVMBuildMul(lw->b, s, step, "");
    }
    /* An empty slice may start past the end: not an inbounds address. */
    LLVMValueRef data = LLVMBuildExtractValue(lw->b, arr, PJ_ARRAY_DATA, "");
    data = LLVMBuildGEP2(lw->b, lw->t_i8, data, &off, 1, "");
    return view_at(lw, arr, data, vt, shape, strides);
}

static LLVMValueRef
lower_getslice(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    return pj_array_slice_view(lw, ins, args, ins->plan.ptr, ins->resty);
}

static const PjImpl impl_getslice = {"getslice", lower_getslice, false, false};
static const PjImpl impl_getitem = {"getitem", lower_getitem, false, false};
/* An element of an array of strings is read into a block of its own. */
static const PjImpl impl_getitem_chars = {"getitem", lower_getitem, true,
                                          true};

static const PjImpl impl_setitem = {"setitem", lower_setitem, false, false};
static const PjImpl impl_attr = {"getattr", lower_attr, false, false};
static const PjImpl impl_len = {"len", lower_len, false, false};

/* --- iteration --- */

/* Whether a.flat of an array of type at walks it by an index per
   dimension and the element's address, carrying from the last dimension
   to the one before: an array of several dimensions that is not C, whose
   element at a flat position would cost a division per dimension. */
static bool
flat_carries(PjType *at)
{
    return pj_array_ndim(at) > 1 && !pj_array_is_c(at);
}

enum { FLAT_ARRAY, FLAT_NEXT, FLAT_INDEX, FLAT_AT };

/* Steps the carrying flat iterator at state (of array arr) past the
   element at p, its address field pat: the last index goes up by one,
   and an index that reaches its dimension's length goes back to 0 and
   carries into the one before; the address follows by the strides. */
static void
flat_step(PjLower *lw, PjType *at, LLVMTypeRef st, LLVMValueRef state,
          LLVMValueRef arr, LLVMValueRef pat, LLVMValueRef p)
{
    int nd = pj_array_ndim(at);
    LLVMValueRef pidx = LLVMBuildStructGEP2(lw->b, st, state, FLAT_INDEX, "");
    LLVMTypeRef idx_t = LLVMArrayType2(lw->t_i64, (uint64_t)nd);
    LLVMValueRef idx = LLVMBuildLoad2(lw->b, idx_t, pidx, "");
    LLVMValueRef k[PJ_MAX_NDIM];
    for (int d = 0; d < nd; d++) {
        k[d] = LLVMBuildExtractValue(lw->b, idx, (unsigned)d, "");
    }
    LLVMValueRef step = pj_array_dim(lw, arr, PJ_ARRAY_STRIDES, nd - 1);
    p = LLVMBuildGEP2(lw->b, lw->t_i8, p, &step, 1, "");
    k[nd - 1] = LLVMBuildAdd(lw->b, k[nd - 1], pj_i64(lw, 1), "");
    for (int d = nd - 1; d > 0; d--) {
        LLVMValueRef len = pj_array_dim(lw, arr, PJ_ARRAY_SHAPE, d);
        LLVMValueRef wrap = LLVMBuildICmp(lw->b, LLVMIntEQ, k[d], len, "");
        LLVMValueRef back = LLVMBuildSub(
            lw->b, pj_array_dim(lw, arr, PJ_ARRAY_STRIDES, d - 1),
            LLVMBuildMul(lw->b, len,
                         pj_array_dim(lw, arr, PJ_ARRAY_STRIDES, d), ""), "");
        LLVMValueRef by = LLVMBuildSelect(lw->b, wrap, back, pj_i64(lw, 0),
                                          "");
        p = LLVMBuildGEP2(lw->b, lw->t_i8, p, &by, 1, "");
        k[d] = LLVMBuildSelect(lw->b, wrap, pj_i64(lw, 0), k[d], "");
        k[d - 1] = LLVMBuildAdd(lw->b, k[d - 1],
                                LLVMBuildZExt(lw->b, wrap, lw->t_i64, ""), "");
    }
    for (int d = 0; d < nd; d++) {
        idx = LLVMBuildInsertValue(lw->b, idx, k[d], (unsigned)d, "");
    }
    LLVMBuildStore(lw->b, idx, pidx);
    LLVMBuildStore(lw->b, p, pat);
}

/* The next item of an array iterator {array, index} stored at state (a
   carrying flat iterator: {array, index, indices, address}). */
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
    LLVMValueRef n = flat ? pj_array_size(lw, at, arr)
                          : pj_array_dim(lw, arr, PJ_ARRAY_SHAPE, 0);
    *ok = LLVMBuildICmp(lw->b, LLVMIntSLT, i, n, "");
    LLVMBuildStore(lw->b, LLVMBuildAdd(lw->b, i, pj_i64(lw, 1), ""), pi);
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
    if (flat && flat_carries(at)) {
        LLVMValueRef pat = LLVMBuildStructGEP2(lw->b, st, state, FLAT_AT, "");
        LLVMValueRef p = LLVMBuildLoad2(lw->b, lw->t_ptr, pat, "");
        item = pj_array_load_item(lw, at, arr, p);
        flat_step(lw, at, st, state, arr, pat, p);
    }
    else if (flat) {
        LLVMValueRef p = pj_array_flat_address(lw, at, arr, i);
        item = pj_array_load_item(lw, at, arr, p);
    }
    else {
        LLVMValueRef p = pj_array_address(lw, at, arr, &i, 1);
        item = pj_array_ndim(at) > 1
               ? pj_array_make_view(lw, at, arr, p, 1, it->item)
               : pj_array_load_item(lw, at, arr, p);
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

/* A fresh iterator over the array a: the array, and the next index (a
   carrying flat iterator also every index 0, and the first element's
   address). */
static LLVMValueRef
array_iter(PjLower *lw, LLVMValueRef a, PjType *t, PjType *it)
{
    LLVMTypeRef st = pj_lower_type(lw, it);
    LLVMValueRef s = LLVMGetUndef(st);
    s = LLVMBuildInsertValue(lw->b, s, a, FLAT_ARRAY, "");
    s = LLVMBuildInsertValue(lw->b, s, pj_i64(lw, 0), FLAT_NEXT, "");
    if (it->kind == PJ_TK_FLAT_ITER && flat_carries(t)) {
        s = LLVMBuildInsertValue(
            lw->b, s, LLVMConstNull(LLVMStructGetTypeAtIndex(st, FLAT_INDEX)),
            FLAT_INDEX, "");
        s = LLVMBuildInsertValue(
            lw->b, s, LLVMBuildExtractValue(lw->b, a, PJ_ARRAY_DATA, ""),
            FLAT_AT, "");
    }
    return s;
}

/* a, b = arr: the elements (rows) of the first dimension, which has to
   have exactly as many, checked when it runs. */
static LLVMValueRef
lower_unpack(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *at = ins->argtys[0];
    unsigned n = (unsigned)ins->plan.n;
    pj_lower_check_unpack(lw, pj_array_dim(lw, args[0], PJ_ARRAY_SHAPE, 0),
                          n);
    LLVMValueRef t = LLVMGetUndef(pj_lower_type(lw, ins->resty));
    for (unsigned i = 0; i < n; i++) {
        LLVMValueRef idx = pj_i64(lw, i);
        LLVMValueRef q = pj_array_address(lw, at, args[0], &idx, 1);
        LLVMValueRef item = pj_array_ndim(at) > 1
            ? pj_array_make_view(lw, at, args[0], q, 1,
                                 pj_type_elem(ins->resty, (int)i))
            : pj_array_load_item(lw, at, args[0], q);
        t = LLVMBuildInsertValue(lw->b, t, item, i, "");
    }
    return t;
}

static const PjImpl impl_unpack = {"unpack", lower_unpack, true, false};

static int
array_unpack(PjCompile *cx, PjInstr *ins, PjType *arr, int n)
{
    PjType *items[PJ_MAX_ARGS];
    for (int i = 0; i < n; i++) {
        items[i] = pj_array_iter_item(arr);
    }
    if (pj_array_ndim(arr) == 0) {
        cx->why = "iteration over a 0-d array";
        return 1;
    }
    return pj_array_choose_plan(cx, ins, &impl_unpack,
                                pj_type_tuple(items, n), &arr, 1,
                                (PjPlan){.n = n});
}

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

/* Numba's layout of an array: C if C contiguous, else F if Fortran
   contiguous (of 2 or more dimensions, pj_type_array decides), else A. */
static int
layout_of(PyArrayObject *a)
{
    return PyArray_IS_C_CONTIGUOUS(a) ? PJ_LAYOUT_C
           : PyArray_IS_F_CONTIGUOUS(a) ? PJ_LAYOUT_F : PJ_LAYOUT_A;
}

/* The layout of a and whether it is read-only, as an array type's flags. */
static int
array_flags(PyArrayObject *a)
{
    return layout_of(a) | (PyArray_ISWRITEABLE(a) ? 0 : PJ_READONLY);
}

/* array(Record(...), nd, C, F or A): an array of records, whose fields
   record.c reads. */
static PjType *
typeof_record_array(PyArrayObject *a, bool *untypable)
{
    PjType *rec = pj_type_record_of((PyObject *)PyArray_DESCR(a));
    int ndim = PyArray_NDIM(a);
    if (rec == NULL || ndim > PJ_MAX_NDIM) {
        *untypable = true;
        return pj_t.pyobject;
    }
    int flags = array_flags(a);
    return pj_type_array(rec, ndim, flags);
}

/* array(datetime64[unit], nd, ...) or of timedelta64: the unit is in the
   dtype, not its class, so these skip the table of array types. */
static PjType *
typeof_datetime_array(PyArrayObject *a, bool *untypable)
{
    PjType *dt = pj_type_datetime_of_descr((PyObject *)PyArray_DESCR(a));
    int ndim = PyArray_NDIM(a);
    if (dt == NULL || ndim > PJ_MAX_NDIM || !PyArray_ISALIGNED(a)) {
        *untypable = true;
        return pj_t.pyobject;
    }
    int flags = layout_of(a) | (PyArray_ISWRITEABLE(a) ? 0 : PJ_READONLY);
    return pj_type_array(dt, ndim, flags);
}

/* array(dtype, nd, C, F or A): arrays of numbers of at least one dimension,
   aligned and in the machine's byte order; others have no pyjit type. */
static PjType *
typeof_array(PyArrayObject *a, bool *untypable)
{
    PyTypeObject *cls = PyArray_DESCR(a)->typeobj;
    if (PyDataType_HASFIELDS(PyArray_DESCR(a))) {
        return typeof_record_array(a, untypable);
    }
    if (PyTypeNum_ISDATETIME(PyArray_TYPE(a))) {
        return typeof_datetime_array(a, untypable);
    }
    PjType *chars = pj_charseq_of_descr((PyObject *)PyArray_DESCR(a));
    if (chars != NULL && PyArray_NDIM(a) <= PJ_MAX_NDIM) {
        return pj_type_array(chars, PyArray_NDIM(a), array_flags(a));
    }
    PjType *dtype = pj_typeof_scalar_class((PyObject *)cls);
    int ndim = PyArray_NDIM(a);
    if (dtype == NULL || ndim > PJ_MAX_NDIM
        || !PyArray_ISALIGNED(a) || !PyArray_ISNOTSWAPPED(a)
        || !PyArray_EquivTypenums(PyArray_TYPE(a),
                                  pj_type_numpy_num(dtype))) {
        *untypable = true;
        return pj_t.pyobject;
    }
    int flags = array_flags(a);
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
    if (PyDataType_HASFIELDS(PyArray_DESCR(a))
        && pj_type_record_of((PyObject *)PyArray_DESCR(a)) == NULL) {
        return pj_record_why_not((PyObject *)PyArray_DESCR(a));
    }
    if (PyTypeNum_ISDATETIME(PyArray_TYPE(a))) {
        return NULL;            /* datetime.c says why */
    }
    const char *chars = pj_charseq_why_not((PyObject *)PyArray_DESCR(a));
    if (chars != NULL && PyArray_NDIM(a) <= PJ_MAX_NDIM) {
        return chars;
    }
    if (pj_typeof_scalar_class((PyObject *)PyArray_DESCR(a)->typeobj)
        == NULL) {
        return "its dtype is not a number type pyjit compiles (bool, "
               "int8..int64, uint8..uint64, float32, float64, complex64, "
               "complex128)";
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
    PjType *bytes = pj_bytes_typeof(obj);
    if (bytes != NULL) {
        return bytes;
    }
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
    RETURN_IF_ERROR(pj_typeof_register(&PyBytes_Type, &pj_kind_array));
    RETURN_IF_ERROR(pj_typeof_register(&PyByteArray_Type, &pj_kind_array));
    return pj_typeof_register(&PyArray_Type, &pj_kind_array);
}

/* --- the kinds --- */

bool
pj_type_is_array(const PjType *t)
{
    return t->kind == PJ_TK_ARRAY;
}

bool
pj_type_is_slice(const PjType *t)
{
    return t->kind == PJ_TK_SLICE;
}

/* array(dtype, ndim, layout): flags a PJ_LAYOUT_* | PJ_READONLY.  A and
   F together are A (a view of an F array that is not F); a 1-d F array
   is C, as Numba types it. */
PjType *
pj_type_array(PjType *dtype, int ndim, int flags)
{
    if ((flags & PJ_LAYOUT_A) || ndim < 2) {
        flags &= ~PJ_LAYOUT_F;
    }
    if (ndim == 0) {
        flags &= ~PJ_LAYOUT_A;
    }
    return pj_type_intern(PJ_TK_ARRAY, ndim, flags, &dtype, 1, NULL);
}

/* "C", "F" or "A" */
const char *
pj_array_layout_name(const PjType *t)
{
    return pj_array_is_c(t) ? "C" : pj_array_is_f(t) ? "F" : "A";
}

static void
print_array(PjBuf *b, PjType *t)
{
    const char *name = pj_bytes_name(t);
    pj_buf_printf(b, "%s%s%s(%s, %dd, %s)",
                  pj_record_unaligned(t->elems[0]) ? "unaligned " : "",
                  pj_array_readonly(t) ? "readonly " : "",
                  name ? name : "array",
                  pj_type_str(t->elems[0]), pj_array_ndim(t),
                  pj_array_layout_name(t));
}

/* Arrays of one dtype and ndim join as the most general layout: their
   own if they share it, A if not. */
static PjType *
unify_arrays(PjType *a, PjType *b)
{
    if (a->elems[0] != b->elems[0] || a->bits != b->bits) {
        return NULL;
    }
    int layouts = (a->ident ^ b->ident) & PJ_LAYOUTS ? PJ_LAYOUT_A : 0;
    return pj_type_array(a->elems[0], a->bits, a->ident | b->ident | layouts);
}

/* A C array passes as an A one, a writable one as readonly: a safe
   conversion, as Numba's Array.can_convert_to rates it. */
static int
array_conversion_cost(PjType *from, PjType *to)
{
    if (!pj_type_is_array(from)) {
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

/* The array with a reference of its own to its block, for a container
   that may outlive the call: an argument's array (no block, its memory
   the Python object's) gets a block that keeps the object alive. */
static LLVMValueRef
array_keep(PjLower *lw, LLVMValueRef arr, PjType *Py_UNUSED(t))
{
    return pj_lower_keep_parent(lw, arr, PJ_ARRAY_MEMINFO, PJ_ARRAY_PARENT);
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
    LLVMValueRef mi = LLVMBuildExtractValue(lw->b, v, PJ_ARRAY_MEMINFO, "");
    if (valid != NULL) {
        mi = LLVMBuildSelect(lw->b, valid, mi, LLVMConstNull(lw->t_ptr), "");
    }
    f(lw, mi);
}

/* Operators on arrays (array_ops.c), and on bytes (bytes.c): not
   those a byte string does otherwise in Python. */
static int
array_operator(PjCompile *cx, PjInstr *ins, PjType *a, PjType *b)
{
    int rc = pj_bytes_operation(cx, ins, a, b);
    return rc == 0 ? pj_array_type_operator(cx, ins, a, b)
                   : rc == 2 ? 0 : rc;
}

/* bool(a), `if a:`: NumPy's truth of an array, its one item's; an array
   of no item or of several has none (ValueError when it runs). */
static bool
array_type_truth(PjCompile *cx, PjType *t)
{
    if (!pj_type_takes_truth(cx, t->elems[0])) {
        return false;
    }
    cx->can_raise = true;
    return true;
}

static LLVMValueRef
array_truth(PjLower *lw, LLVMValueRef v, PjType *t)
{
    LLVMValueRef n = pj_array_size(lw, t, v);
    pj_lower_check(lw, LLVMBuildICmp(lw->b, LLVMIntEQ, n, pj_i64(lw, 0), ""),
                   "ValueError", "The truth value of an empty array is "
                   "ambiguous. Use `array.size > 0` to check that an array "
                   "is not empty.");
    pj_lower_check(lw, LLVMBuildICmp(lw->b, LLVMIntUGT, n, pj_i64(lw, 1),
                                     ""),
                   "ValueError", "The truth value of an array with more "
                   "than one element is ambiguous. Use a.any() or a.all()");
    LLVMValueRef zeros[PJ_MAX_NDIM];
    int nd = pj_array_ndim(t);
    for (int i = 0; i < nd; i++) {
        zeros[i] = pj_i64(lw, 0);
    }
    LLVMValueRef item = pj_array_load_item(
        lw, t, v, pj_array_address(lw, t, v, zeros, nd));
    return pj_lower_truth(lw, item, t->elems[0]);
}

const PjKind pj_kind_array = {
    .name = "array",
    .print = print_array,
    .unify = unify_arrays,
    .conversion_cost = array_conversion_cost,
    .type_getattr = array_getattr,
    .type_method = pj_array_type_method,
    .type_getitem = array_getitem,
    .type_setitem = array_setitem,
    .type_operator = array_operator,
    .type_len = array_len,
    .type_unpack = array_unpack,
    .iter_type = array_iter_type,
    .llvm_type = array_llvm_type,
    .lower_const = pj_array_lower_const,
    .lower_iter = array_iter,
    .lower_truth = array_truth,
    .type_truth = array_type_truth,
    .holds_memory = array_holds_memory,
    .each_meminfo = array_meminfo,
    .lower_keep = array_keep,
    .typeof = array_typeof,
    .why_untypable = array_why_untypable,
    .init = array_init,
    .box = pj_box_array,
    .unbox = pj_unbox_array,
    .library_method = pj_library_array_method,
};

/* The iterators over an array's first dimension, and over a.flat: the
   array, and the next index; a.flat of an array that flat_carries, also
   the index in each dimension and the next element's address. */
static LLVMTypeRef
array_iter_llvm_type(PjLower *lw, PjType *it)
{
    PjType *at = it->elems[0];
    int nd = pj_array_ndim(at);
    LLVMTypeRef f[4] = {pj_lower_type(lw, at), lw->t_i64,
                        LLVMArrayType2(lw->t_i64, (uint64_t)nd), lw->t_ptr};
    bool carries = it->kind == PJ_TK_FLAT_ITER && flat_carries(at);
    return LLVMStructTypeInContext(lw->ctx, f, carries ? 4 : 2, 0);
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
    .type_getitem = pj_flat_type_getitem,
    .type_setitem = pj_flat_type_setitem,
    .iter_type = pj_type_iter_self,
    .llvm_type = array_iter_llvm_type,
    .lower_iter = pj_lower_iter_self,
    .lower_iternext = array_iternext,
    .holds_memory = pj_kind_elems_hold_memory,
    .each_meminfo = array_iter_meminfo,
};

/* --- slices --- */

/* A slice whose parts `given` (PJ_SLICE_*) are integers, the others None. */
PjType *
pj_type_slice(int given)
{
    return pj_type_intern(PJ_TK_SLICE, 0, given, NULL, 0, NULL);
}

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
