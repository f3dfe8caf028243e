/*
** boxing.c - values crossing between Python and compiled code.
**
** The wrapper each specialization exports takes the arguments of a call
** as the dispatcher found them (scalars already unboxed into a PjValue by
** typeof.c, the rest as objects), unboxes the rest, calls the native
** function (releasing the GIL around it with nogil=True) and boxes the
** result into a new Python object.  How a value of each kind is boxed and
** unboxed is the kind's row (box, unbox, can_box); the numbers, None,
** tuples, optionals and arrays box here, with the runtime helpers the
** generated code calls.  Every integer becomes an int and every float a
** float, as Numba boxes them; a returned array is a NumPy array over the
** same memory.
*/
#include "pyjit.h"

#define NO_IMPORT_ARRAY
#include <numpy/arrayobject.h>

#include <stdio.h>
#include <string.h>

/* --- scalars the dispatcher unboxed --- */

/* Unboxes a NumPy scalar of type t into val. */
void
pj_unbox_numpy_scalar(PyObject *obj, PjType *t, PjValue *val)
{
    union {
        int8_t i8; int16_t i16; int32_t i32; int64_t i64;
        uint8_t u8; uint16_t u16; uint32_t u32; uint64_t u64;
        float f32; double f64; float c64[2]; double c128[2];
    } raw;
    memset(&raw, 0, sizeof(raw));
    PyArray_ScalarAsCtype(obj, &raw);
    switch (t->kind) {
    case PJ_TK_BOOL: val->i = raw.u8 != 0; break;
    case PJ_TK_INT:
        val->i = t->bits == 8 ? raw.i8 : t->bits == 16 ? raw.i16
               : t->bits == 32 ? raw.i32 : raw.i64;
        break;
    case PJ_TK_UINT:
        val->u = t->bits == 8 ? raw.u8 : t->bits == 16 ? raw.u16
               : t->bits == 32 ? raw.u32 : raw.u64;
        break;
    case PJ_TK_FLOAT:
        if (t->bits == 32) {
            val->f32 = raw.f32;
        }
        else {
            val->f = raw.f64;
        }
        break;
    default:
        memcpy(val, &raw, sizeof(*val));
    }
}

static double
value_as_double(const PjValue *v, PjType *t)
{
    switch (t->kind) {
    case PJ_TK_BOOL:
    case PJ_TK_INT: return (double)v->i;
    case PJ_TK_UINT: return (double)v->u;
    case PJ_TK_FLOAT: return t->bits == 32 ? v->f32 : v->f;
    default: return t->bits == 64 ? v->c32[0] : v->c[0];
    }
}

static bool
int_fits(const PjValue *v, PjType *from, PjType *to)
{
    if (from->kind == PJ_TK_INT && to->kind == PJ_TK_UINT && v->i < 0) {
        return false;
    }
    if (to->bits >= 64) {
        return !(from->kind == PJ_TK_UINT && to->kind == PJ_TK_INT
                 && v->u >> 63);
    }
    if (from->kind == PJ_TK_UINT) {
        return v->u < (1ULL << (to->bits - (to->kind == PJ_TK_INT)));
    }
    int64_t lim = (int64_t)1 << (to->bits - (to->kind == PJ_TK_INT));
    return to->kind == PJ_TK_INT ? v->i >= -lim && v->i < lim
                                 : v->i >= 0 && v->i < lim;
}

/* Converts an unboxed scalar in place, for a call matched to an explicit
   signature through an implicit conversion (see
   pj_type_conversion_cost).  An integer that does not fit the narrower
   type raises OverflowError rather than wrapping. */
int
pj_value_convert(PjValue *v, PjType *from, PjType *to)
{
    if (pj_type_is_optional(to) || !pj_type_is_number(to)) {
        return 0;               /* the wrapper tests for None itself, and
                                   unboxes the rest from their objects */
    }
    double imag = 0.0;
    if (from->kind == PJ_TK_COMPLEX) {
        imag = from->bits == 64 ? v->c32[1] : v->c[1];
    }
    double d = value_as_double(v, from);
    switch (to->kind) {
    case PJ_TK_BOOL:
    case PJ_TK_INT:
    case PJ_TK_UINT:
        /* the bits are already right; the wrapper truncates */
        if (from->kind != PJ_TK_BOOL && !int_fits(v, from, to)) {
            PyErr_Format(PyExc_OverflowError, "argument value out of range "
                         "for %s", pj_type_str(to));
            return -1;
        }
        break;
    case PJ_TK_FLOAT:
        if (to->bits == 32) {
            v->f32 = (float)d;
        }
        else {
            v->f = d;
        }
        break;
    default:
        if (to->bits == 64) {
            v->c32[0] = (float)d;
            v->c32[1] = (float)imag;
        }
        else {
            v->c[0] = d;
            v->c[1] = imag;
        }
    }
    return 0;
}

/* The NumPy type number of a number type. */
int
pj_type_numpy_num(PjType *t)
{
    switch (t->kind) {
    case PJ_TK_BOOL: return NPY_BOOL;
    case PJ_TK_INT:
        return t->bits == 8 ? NPY_INT8 : t->bits == 16 ? NPY_INT16
               : t->bits == 32 ? NPY_INT32 : NPY_INT64;
    case PJ_TK_UINT:
        return t->bits == 8 ? NPY_UINT8 : t->bits == 16 ? NPY_UINT16
               : t->bits == 32 ? NPY_UINT32 : NPY_UINT64;
    case PJ_TK_FLOAT: return t->bits == 32 ? NPY_FLOAT32 : NPY_FLOAT64;
    case PJ_TK_COMPLEX:
        return t->bits == 64 ? NPY_COMPLEX64 : NPY_COMPLEX128;
    default: return pj_datetime_numpy_num(t);
    }
}

/* --- runtime helpers the generated code calls --- */

PyObject *
pj_rt_none(void)
{
    Py_RETURN_NONE;
}

bool
pj_rt_is_none(PyObject *obj)
{
    return obj == Py_None;
}

/* A tuple of n new references; NULL, releasing them all, if any is NULL
   (boxing failed). */
PyObject *
pj_rt_pack_tuple(int64_t n, PyObject **items)
{
    PyObject *t = NULL;
    bool ok = true;
    for (int64_t i = 0; i < n; i++) {
        ok = ok && items[i] != NULL;
    }
    if (ok) {
        t = PyTuple_New((Py_ssize_t)n);
    }
    for (int64_t i = 0; i < n; i++) {
        if (t != NULL) {
            PyTuple_SET_ITEM(t, (Py_ssize_t)i, items[i]);
        }
        else {
            Py_XDECREF(items[i]);
        }
    }
    return t;
}

/* Unboxes a scalar (a tuple item) whose type the dispatcher has checked:
   code is the type the native function expects. */
void
pj_rt_unbox(PyObject *obj, int32_t code, PjValue *out)
{
    PjValue v;
    memset(&v, 0, sizeof(v));
    int have = pj_typeof_arg(obj, &v);
    if (have < 0) {
        PyErr_Clear();
    }
    else if (have != code && pj_type_is_number(pj_type_from_code(have))
             && pj_value_convert(&v, pj_type_from_code(have),
                                 pj_type_from_code(code)) < 0) {
        PyErr_Clear();          /* only exact tuple types reach here */
    }
    *out = v;
}

/* The native struct of an array: meminfo, parent, data, then shape[nd]
   and strides[nd] (bytes). */
typedef struct {
    PjMemInfo *meminfo;
    PyObject *parent;
    char *data;
    int64_t dims[];
} NativeArray;

/* Fills the struct of an array argument (the dispatcher checked its
   type); the caller's reference keeps the parent alive for the call. */
void
pj_rt_unbox_array(PyObject *obj, void *native)
{
    NativeArray *out = native;
    PyArrayObject *a = (PyArrayObject *)obj;
    int nd = PyArray_NDIM(a);
    out->meminfo = NULL;
    out->parent = obj;
    out->data = PyArray_DATA(a);
    for (int i = 0; i < nd; i++) {
        out->dims[i] = PyArray_DIMS(a)[i];
        out->dims[nd + i] = PyArray_STRIDES(a)[i];
    }
}

static bool
describes_parent(const NativeArray *arr, int nd, PyArray_Descr *descr)
{
    PyArrayObject *p = (PyArrayObject *)arr->parent;
    if (PyArray_NDIM(p) != nd || PyArray_DATA(p) != arr->data
        || !PyArray_EquivTypes(PyArray_DESCR(p), descr)) {
        return false;
    }
    for (int i = 0; i < nd; i++) {
        if (PyArray_DIMS(p)[i] != arr->dims[i]
            || PyArray_STRIDES(p)[i] != arr->dims[nd + i]) {
            return false;
        }
    }
    return true;
}

/* A view of records keeps the dtype of the array it views when the two
   are equal, so that a np.recarray's records stay np.record. */
static void
keep_parent_dtype(PyArray_Descr **descr, PyArrayObject *parent)
{
    PyArray_Descr *own = PyArray_DESCR(parent);
    if (own != *descr && PyArray_EquivTypes(own, *descr)) {
        Py_INCREF(own);
        Py_SETREF(*descr, own);
    }
}

/* A new reference to the array the struct describes: its parent, or a
   view of the parent's memory that keeps the parent alive. */
PyObject *
pj_rt_box_array(const void *native, int32_t nd, int32_t typenum,
                int32_t readonly)
{
    const NativeArray *arr = native;
    PyObject *base = arr->parent;
    PyArray_Descr *descr = (PyArray_Descr *)pj_dtype_of_num(typenum);
    if (descr == NULL) {
        return NULL;
    }
    if (arr->meminfo != NULL) {
        /* Made in compiled code: the wrapper's reference to the block
           passes to the owner object, the new array's base. */
        base = pj_runtime_memory_owner(arr->meminfo);
        if (base == NULL) {
            Py_DECREF(descr);
            return NULL;
        }
    }
    else if (base == NULL && !readonly) {
        /* A sub-array of a record (record.c), whose memory nothing here
           keeps alive: Python gets a copy. */
        PyObject *view = PyArray_NewFromDescr(
            &PyArray_Type, descr, nd, (npy_intp *)arr->dims,
            (npy_intp *)(arr->dims + nd), arr->data, 0, NULL);
        PyObject *copy = view ? PyArray_NewCopy((PyArrayObject *)view,
                                                NPY_CORDER) : NULL;
        Py_XDECREF(view);
        return copy;
    }
    else if (base == NULL) {
        /* A frozen constant (array_const.c): its data lives with the code,
           so the array needs no base. */
    }
    else if (describes_parent(arr, nd, descr)) {
        Py_DECREF(descr);
        return Py_NewRef(arr->parent);
    }
    else {
        Py_INCREF(base);
        if (typenum < 0) {
            keep_parent_dtype(&descr, (PyArrayObject *)base);
        }
    }
    PyObject *view = PyArray_NewFromDescr(
        &PyArray_Type, descr, nd, (npy_intp *)arr->dims,
        (npy_intp *)(arr->dims + nd), arr->data,
        readonly ? 0 : NPY_ARRAY_WRITEABLE, NULL);
    if (view == NULL) {
        Py_XDECREF(base);
        return NULL;
    }
    if (base != NULL
        && PyArray_SetBaseObject((PyArrayObject *)view, base) < 0) {
        Py_CLEAR(view);         /* the base was released with it */
    }
    return view;
}

/* --- boxing and unboxing, per kind --- */

/* A value of number type t from the slot the dispatcher (or pj_rt_unbox)
   wrote: integers and bools as an i64, the rest as themselves. */
static LLVMValueRef
unbox_scalar(PjLower *lw, LLVMValueRef slot, PjType *t)
{
    LLVMTypeRef lt = pj_lower_type(lw, t);
    if (t->kind == PJ_TK_NONE) {
        return pj_lower_none(lw);
    }
    if (pj_type_is_intlike(t)) {
        LLVMValueRef v = LLVMBuildLoad2(lw->b, lw->t_i64, slot, "");
        return LLVMBuildTrunc(lw->b, v, lt, "");
    }
    return LLVMBuildLoad2(lw->b, lt, slot, "");
}

/* A number or None inside another object (a tuple's item): the runtime
   unboxes it (the dispatcher has checked its type). */
LLVMValueRef
pj_unbox_scalar(PjLower *lw, LLVMValueRef obj, PjType *t)
{
    LLVMValueRef slot = pj_lower_alloca(lw, LLVMArrayType2(lw->t_i64, 2),
                                        "unboxed");
    LLVMTypeRef p[3] = {lw->t_ptr, lw->t_i32, lw->t_ptr};
    LLVMValueRef a[3] = {obj, pj_lower_typecode(lw, t),
                         slot};
    pj_lower_helper(lw, "pj_rt_unbox", lw->t_void, p, a, 3);
    return unbox_scalar(lw, slot, t);
}

static LLVMValueRef
box_call(PjLower *lw, const char *fn, LLVMTypeRef pt, LLVMValueRef v)
{
    return pj_lower_helper(lw, fn, lw->t_ptr, &pt, &v, 1);
}

/* bool, int, float or complex, whatever the width. */
LLVMValueRef
pj_box_number(PjLower *lw, LLVMValueRef v, PjType *t)
{
    switch (t->kind) {
    case PJ_TK_BOOL:
        return box_call(lw, "PyBool_FromLong", lw->t_i64,
                        LLVMBuildZExt(lw->b, v, lw->t_i64, ""));
    case PJ_TK_INT:
        return box_call(lw, "PyLong_FromLongLong", lw->t_i64,
                        LLVMBuildSExt(lw->b, v, lw->t_i64, ""));
    case PJ_TK_UINT:
        return box_call(lw, "PyLong_FromUnsignedLongLong", lw->t_i64,
                        LLVMBuildZExt(lw->b, v, lw->t_i64, ""));
    case PJ_TK_FLOAT:
        return box_call(lw, "PyFloat_FromDouble", lw->t_f64,
                        LLVMBuildFPExt(lw->b, v, lw->t_f64, ""));
    default: {
        LLVMTypeRef p[2] = {lw->t_f64, lw->t_f64};
        LLVMValueRef a[2] = {
            LLVMBuildFPExt(lw->b, pj_part(lw, v, 0), lw->t_f64, ""),
            LLVMBuildFPExt(lw->b, pj_part(lw, v, 1), lw->t_f64, ""),
        };
        return pj_lower_helper(lw, "PyComplex_FromDoubles", lw->t_ptr, p, a,
                               2);
    }
    }
}

LLVMValueRef
pj_box_none(PjLower *lw, LLVMValueRef Py_UNUSED(v), PjType *Py_UNUSED(t))
{
    return pj_lower_helper(lw, "pj_rt_none", lw->t_ptr, NULL, NULL, 0);
}

/* A new reference to the Python object for v, or NULL on failure. */
static LLVMValueRef
box_value(PjLower *lw, LLVMValueRef v, PjType *t)
{
    return pj_kind(t)->box(lw, v, t);
}

/* The tuple of the boxed items (NULL if one fails). */
LLVMValueRef
pj_box_tuple(PjLower *lw, LLVMValueRef v, PjType *t)
{
    int n = t->count;
    LLVMValueRef items = pj_lower_alloca(
        lw, LLVMArrayType2(lw->t_ptr, (uint64_t)(n ? n : 1)), "items");
    for (int i = 0; i < n; i++) {
        LLVMValueRef idx[1] = {pj_i64(lw, i)};
        LLVMValueRef p = LLVMBuildGEP2(lw->b, lw->t_ptr, items, idx, 1, "");
        LLVMBuildStore(lw->b, box_value(lw, pj_part(lw, v, (unsigned)i),
                                        pj_type_elem(t, i)), p);
    }
    LLVMTypeRef p[2] = {lw->t_i64, lw->t_ptr};
    LLVMValueRef a[2] = {pj_i64(lw, n), items};
    return pj_lower_helper(lw, "pj_rt_pack_tuple", lw->t_ptr, p, a, 2);
}

LLVMValueRef
pj_unbox_tuple(PjLower *lw, LLVMValueRef obj, PjType *t)
{
    LLVMValueRef res = LLVMGetUndef(pj_lower_type(lw, t));
    for (int i = 0; i < t->count; i++) {
        LLVMTypeRef p[2] = {lw->t_ptr, lw->t_i64};
        LLVMValueRef a[2] = {obj, pj_i64(lw, i)};
        LLVMValueRef item = pj_lower_helper(lw, "PyTuple_GetItem", lw->t_ptr,
                                            p, a, 2);
        PjType *et = pj_type_elem(t, i);
        LLVMValueRef e = pj_kind(et)->unbox
                         ? pj_kind(et)->unbox(lw, item, et)
                         /* a slice: only compiled callers pass one, as
                            they pass a tuple holding one */
                         : LLVMConstNull(pj_lower_type(lw, et));
        res = LLVMBuildInsertValue(lw->b, res, e, (unsigned)i, "");
    }
    return res;
}

/* Whether every item of the tuple can be boxed. */
bool
pj_can_box_tuple(PjType *t)
{
    for (int i = 0; i < t->nelems; i++) {
        if (!pj_type_can_box(t->elems[i])) {
            return false;
        }
    }
    return true;
}

/* The value boxed, or None. */
LLVMValueRef
pj_box_optional(PjLower *lw, LLVMValueRef v, PjType *t)
{
    LLVMBasicBlockRef some = LLVMAppendBasicBlockInContext(lw->ctx, lw->func,
                                                           "some");
    LLVMBasicBlockRef none = LLVMAppendBasicBlockInContext(lw->ctx, lw->func,
                                                           "none");
    LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(lw->ctx, lw->func,
                                                           "boxed");
    LLVMBuildCondBr(lw->b, pj_part(lw, v, 0), some, none);
    LLVMPositionBuilderAtEnd(lw->b, some);
    LLVMValueRef a = box_value(lw, pj_part(lw, v, 1), t->elems[0]);
    LLVMBasicBlockRef some_end = LLVMGetInsertBlock(lw->b);
    LLVMBuildBr(lw->b, done);
    LLVMPositionBuilderAtEnd(lw->b, none);
    LLVMValueRef b = pj_box_none(lw, NULL, t);
    LLVMBuildBr(lw->b, done);
    LLVMPositionBuilderAtEnd(lw->b, done);
    LLVMValueRef phi = LLVMBuildPhi(lw->b, lw->t_ptr, "");
    LLVMValueRef vals[2] = {a, b};
    LLVMBasicBlockRef from[2] = {some_end, none};
    LLVMAddIncoming(phi, vals, from, 2);
    return phi;
}

bool
pj_can_box_optional(PjType *t)
{
    return pj_type_can_box(t->elems[0]);
}

/* Whether values of type t can be made from Python objects inside
   compiled code (an objmode block's outputs). */
bool
pj_type_can_unbox(PjType *t)
{
    return pj_type_is_number(t) || t->kind == PJ_TK_NONE
           || (pj_type_is_optional(t) ? pj_type_can_unbox(t->elems[0])
                                      : pj_kind(t)->unbox != NULL);
}

/* A value of type t from the Python object obj (its type checked). */
static LLVMValueRef
unbox_value(PjLower *lw, LLVMValueRef obj, PjType *t)
{
    if (pj_type_is_number(t) || t->kind == PJ_TK_NONE) {
        return pj_unbox_scalar(lw, obj, t);
    }
    return pj_kind(t)->unbox(lw, obj, t);
}

/* An Optional from obj: empty for None, else the item's value. */
LLVMValueRef
pj_unbox_optional(PjLower *lw, LLVMValueRef obj, PjType *t)
{
    LLVMTypeRef lt = pj_lower_type(lw, t);
    LLVMValueRef slot = pj_lower_alloca(lw, lt, "optional");
    LLVMBuildStore(lw->b, LLVMConstNull(lt), slot);
    LLVMValueRef none = pj_lower_helper(lw, "pj_rt_is_none", lw->t_i1,
                                        &lw->t_ptr, &obj, 1);
    LLVMBasicBlockRef some = LLVMAppendBasicBlockInContext(lw->ctx, lw->func,
                                                           "unbox.some");
    LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(lw->ctx, lw->func,
                                                           "unbox.done");
    LLVMBuildCondBr(lw->b, none, done, some);
    LLVMPositionBuilderAtEnd(lw->b, some);
    LLVMValueRef v = LLVMBuildInsertValue(lw->b, LLVMConstNull(lt),
                                          LLVMConstInt(lw->t_i1, 1, 0), 0, "");
    v = LLVMBuildInsertValue(lw->b, v, unbox_value(lw, obj, t->elems[0]), 1,
                             "");
    LLVMBuildStore(lw->b, v, slot);
    LLVMBuildBr(lw->b, done);
    LLVMPositionBuilderAtEnd(lw->b, done);
    return LLVMBuildLoad2(lw->b, lt, slot, "");
}

/* A NumPy array over the same memory (the argument itself when the value
   still describes it). */
LLVMValueRef
pj_box_array(PjLower *lw, LLVMValueRef v, PjType *t)
{
    if (pj_bytes_name(t) != NULL) {
        return pj_bytes_box(lw, v, t);
    }
    LLVMValueRef slot = pj_lower_alloca(lw, LLVMTypeOf(v), "array");
    LLVMBuildStore(lw->b, v, slot);
    LLVMTypeRef p[4] = {lw->t_ptr, lw->t_i32, lw->t_i32, lw->t_i32};
    LLVMValueRef a[4] = {
        slot, LLVMConstInt(lw->t_i32, (unsigned)pj_array_ndim(t), 0),
        LLVMConstInt(lw->t_i32, (unsigned)pj_dtype_num(t->elems[0]), 1),
        LLVMConstInt(lw->t_i32, pj_array_readonly(t), 0),
    };
    return pj_lower_helper(lw, "pj_rt_box_array", lw->t_ptr, p, a, 4);
}

LLVMValueRef
pj_unbox_array(PjLower *lw, LLVMValueRef obj, PjType *t)
{
    if (pj_bytes_name(t) != NULL) {
        return pj_bytes_unbox(lw, obj, t);
    }
    LLVMTypeRef at = pj_lower_type(lw, t);
    LLVMValueRef slot = pj_lower_alloca(lw, at, "array");
    LLVMTypeRef p[2] = {lw->t_ptr, lw->t_ptr};
    LLVMValueRef a[2] = {obj, slot};
    pj_lower_helper(lw, "pj_rt_unbox_array", lw->t_void, p, a, 2);
    return LLVMBuildLoad2(lw->b, at, slot, "");
}

/* --- the wrapper --- */

/* Argument i: a number or None the dispatcher unboxed into vals, an
   Optional number of an explicit signature (None, or the number the
   dispatcher unboxed), or an object its kind unboxes. */
static LLVMValueRef
argument_object(PjLower *lw, LLVMValueRef args, int i)
{
    LLVMValueRef idx[1] = {pj_i64(lw, i)};
    LLVMValueRef p = LLVMBuildGEP2(lw->b, lw->t_ptr, args, idx, 1, "");
    return LLVMBuildLoad2(lw->b, lw->t_ptr, p, "");
}

static LLVMValueRef
wrapper_argument(PjLower *lw, LLVMValueRef args, LLVMValueRef vals, int i)
{
    PjType *t = lw->cx->argtys[i];
    LLVMValueRef off[1] = {pj_i64(lw, 2 * i)};
    LLVMValueRef slot = LLVMBuildGEP2(lw->b, lw->t_i64, vals, off, 1, "");
    if (pj_type_is_number(t) || t->kind == PJ_TK_NONE) {
        return unbox_scalar(lw, slot, t);
    }
    LLVMValueRef obj = argument_object(lw, args, i);
    if (pj_type_is_optional(t)) {
        LLVMValueRef none = pj_lower_helper(lw, "pj_rt_is_none", lw->t_i1,
                                            &lw->t_ptr, &obj, 1);
        LLVMValueRef v = LLVMGetUndef(pj_lower_type(lw, t));
        v = LLVMBuildInsertValue(lw->b, v, LLVMBuildNot(lw->b, none, ""), 0,
                                 "");
        return LLVMBuildInsertValue(lw->b, v,
                                    unbox_scalar(lw, slot, t->elems[0]), 1,
                                    "");
    }
    if (pj_kind(t)->unbox == NULL) {
        /* a slice: only compiled callers pass one (pyjit/_lists.py) */
        return LLVMConstNull(pj_lower_type(lw, t));
    }
    return pj_kind(t)->unbox(lw, obj, t);
}

/* Whether a block jumps back to itself or an earlier block. */
static bool
has_loop(PjFunc *fn)
{
    for (int i = 0; i < fn->blocks.len; i++) {
        PjBlock *b = pj_ir_block(fn, i), *succ[2];
        int n = b->reachable ? pj_ir_successors(b, succ) : 0;
        for (int k = 0; k < n; k++) {
            if (succ[k]->index <= b->index) {
                return true;
            }
        }
    }
    return false;
}

/* What the argument kinds do once the call returned (a reflected set
   writes its items back), given the unboxed values. */
static void
after_call(PjLower *lw, LLVMValueRef *vals)
{
    PjCompile *cx = lw->cx;
    for (int i = 0; i < cx->nargs; i++) {
        const PjKind *k = pj_kind(cx->argtys[i]);
        if (k->after_call == NULL) {
            continue;
        }
        LLVMValueRef idx[1] = {pj_i64(lw, i)};
        LLVMValueRef p = LLVMBuildGEP2(lw->b, lw->t_ptr,
                                       LLVMGetParam(lw->func, 0), idx, 1, "");
        k->after_call(lw, LLVMBuildLoad2(lw->b, lw->t_ptr, p, ""), vals[i],
                      cx->argtys[i]);
    }
}

/* Calls the native function with the unboxed arguments, releasing the
   GIL around the call with nogil=True; its result, or NULL when it
   raised (the wrapper returns NULL then). */
static LLVMValueRef
call_native(PjLower *lw, LLVMValueRef native)
{
    PjCompile *cx = lw->cx;
    LLVMValueRef args[PJ_MAX_ARGS + 1];
    int na = 0;
    LLVMValueRef retslot = NULL;
    if (cx->can_raise) {
        retslot = pj_lower_alloca(lw, pj_lower_type(lw, cx->restype), "ret");
        args[na++] = retslot;
    }
    for (int i = 0; i < cx->nargs; i++) {
        args[na++] = wrapper_argument(lw, LLVMGetParam(lw->func, 0),
                                      LLVMGetParam(lw->func, 1), i);
    }
    LLVMValueRef ts = NULL;
    if (cx->opts.nogil) {
        ts = pj_lower_helper(lw, "PyEval_SaveThread", lw->t_ptr, NULL, NULL,
                             0);
    }
    LLVMValueRef r = LLVMBuildCall2(lw->b, LLVMGlobalGetValueType(native),
                                    native, args, (unsigned)na, "");
    if (has_loop(lw->fn)) {
        /* A loop inlined here would be compiled twice for nothing: the
           wrapper only unboxes and boxes around it. */
        unsigned k = LLVMGetEnumAttributeKindForName("noinline", 8);
        LLVMAddCallSiteAttribute(r, LLVMAttributeFunctionIndex,
                                 LLVMCreateEnumAttribute(lw->ctx, k, 0));
    }
    if (ts != NULL) {
        pj_lower_helper(lw, "PyEval_RestoreThread", lw->t_void, &lw->t_ptr,
                        &ts, 1);
    }
    for (int i = 0; i < cx->nargs; i++) {
        /* a reflected list is written back, then released */
        const PjKind *k = pj_kind(cx->argtys[i]);
        if (k->unboxed != NULL) {
            k->unboxed(lw, argument_object(lw, LLVMGetParam(lw->func, 0), i),
                       args[i + (retslot != NULL)], cx->argtys[i]);
        }
    }
    after_call(lw, args + (retslot != NULL));
    if (!cx->can_raise) {
        return r;
    }
    LLVMBasicBlockRef ok = pj_lower_branch_on_status(lw, r);
    LLVMBuildRet(lw->b, LLVMConstNull(lw->t_ptr));
    LLVMPositionBuilderAtEnd(lw->b, ok);
    return LLVMBuildLoad2(lw->b, pj_lower_type(lw, cx->restype), retslot,
                          "");
}

/* The CPython wrapper of the native function lw->func (see
   PjEntry): PyObject *wrapper(PyObject *const *args, const PjValue
   *vals).  A result that cannot become a Python object (a range) raises
   TypeError. */
void
pj_boxing_build_wrapper(PjLower *lw)
{
    PjCompile *cx = lw->cx;
    LLVMTypeRef params[2] = {lw->t_ptr, lw->t_ptr};
    LLVMTypeRef wty = LLVMFunctionType(lw->t_ptr, params, 2, 0);
    LLVMValueRef native = lw->func;
    lw->func = LLVMAddFunction(lw->mod, cx->wrapper_name, wty);
    LLVMSetVisibility(lw->func, LLVMProtectedVisibility);
    LLVMPositionBuilderAtEnd(lw->b, LLVMAppendBasicBlockInContext(
        lw->ctx, lw->func, "entry"));
    LLVMValueRef r = call_native(lw, native);
    if (pj_type_can_box(cx->restype)) {
        LLVMBuildRet(lw->b, box_value(lw, r, cx->restype));
    }
    else {
        char msg[256];
        snprintf(msg, sizeof(msg), "cannot return a value of type %s to "
                 "Python", pj_type_str(cx->restype));
        LLVMTypeRef p[2] = {lw->t_ptr, lw->t_ptr};
        LLVMValueRef a[2] = {pj_lower_cstring(lw, "TypeError"),
                             pj_lower_cstring(lw, msg)};
        pj_lower_helper(lw, "pj_rt_raise_msg", lw->t_void, p, a, 2);
        LLVMBuildRet(lw->b, LLVMConstNull(lw->t_ptr));
    }
    lw->func = native;
}
