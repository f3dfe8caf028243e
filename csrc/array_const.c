/*
** array_const.c - NumPy arrays frozen into compiled code.
**
** A global or closure variable that holds an array (or a tuple of them)
** is a constant, as in Numba: its contents when the function compiles
** are copied into the object code as read-only data, so the function
** does not see later changes to the array and cannot write to it (the
** type is a readonly C-contiguous array).  The value is the usual array
** struct with no meminfo and no parent: nothing is reference-counted,
** and an array returned to Python is a read-only array over that data,
** which lives as long as the process's compiled code does.
*/
#include "pyjit.h"

#define NO_IMPORT_ARRAY
#include <numpy/arrayobject.h>

/* The type a frozen value has: arrays become readonly C arrays, inside
   tuples too; NULL for a value that holds memory some other way. */
PjType *
pj_array_const_type(PjType *t)
{
    if (pj_type_is_array(t)) {          /* bytes stay bytes */
        return pj_type_array(t->elems[0], pj_array_ndim(t),
                             PJ_LAYOUT_C | pj_bytes_view_flags(t)
                             | PJ_READONLY);
    }
    if (!pj_type_is_tuple(t) || t->count > PJ_MAX_ARGS) {
        /* a string is immutable: its constant is static, no memory held,
           and so is an Enum member's whose value is one */
        return pj_type_holds_memory(t) && !pj_type_is_str(t)
               && !pj_type_is_str_enum_member(t) ? NULL : t;
    }
    PjType *elems[PJ_MAX_ARGS];
    for (int i = 0; i < t->count; i++) {
        elems[i] = pj_array_const_type(pj_type_elem(t, i));
        if (elems[i] == NULL) {
            return NULL;
        }
    }
    return pj_type_tuple_like(t, elems, t->count);
}

/* The shape and C strides of a, as constant [ndim x i64] arrays. */
static void
const_dims(PjLower *lw, PyArrayObject *a, LLVMValueRef *shape,
           LLVMValueRef *strides)
{
    int nd = PyArray_NDIM(a);
    LLVMValueRef dims[NPY_MAXDIMS], steps[NPY_MAXDIMS];
    npy_intp step = PyArray_ITEMSIZE(a);
    for (int i = nd - 1; i >= 0; i--) {
        dims[i] = pj_i64(lw, PyArray_DIM(a, i));
        steps[i] = pj_i64(lw, step);
        step *= PyArray_DIM(a, i);
    }
    *shape = LLVMConstArray2(lw->t_i64, dims, (uint64_t)nd);
    *strides = LLVMConstArray2(lw->t_i64, steps, (uint64_t)nd);
}

/* A private constant global holding the bytes of the C-contiguous a. */
static LLVMValueRef
const_data(PjLower *lw, PyArrayObject *a)
{
    LLVMValueRef init = LLVMConstStringInContext(
        lw->ctx, PyArray_BYTES(a), (unsigned)PyArray_NBYTES(a), 1);
    LLVMValueRef g = LLVMAddGlobal(lw->mod, LLVMTypeOf(init), "const.array");
    LLVMSetInitializer(g, init);
    LLVMSetGlobalConstant(g, 1);
    LLVMSetLinkage(g, LLVMPrivateLinkage);
    LLVMSetUnnamedAddress(g, LLVMGlobalUnnamedAddr);
    LLVMSetAlignment(g, 64);
    return g;
}

/* The kind's lower_const: the array's contents now, as read-only data. */
LLVMValueRef
pj_array_lower_const(PjLower *lw, PyObject *obj, PjType *Py_UNUSED(t))
{
    npy_intp n = PyBytes_Check(obj) ? PyBytes_GET_SIZE(obj) : 0;
    PyArrayObject *a = (PyArrayObject *)(
        PyBytes_Check(obj)      /* b"...": its bytes, as uint8 */
        ? PyArray_SimpleNewFromData(1, &n, NPY_UINT8, PyBytes_AS_STRING(obj))
        : PyArray_FromAny(obj, NULL, 0, 0,
                          NPY_ARRAY_C_CONTIGUOUS | NPY_ARRAY_ALIGNED, NULL));
    if (a == NULL) {
        return NULL;
    }
    if (PyArray_NBYTES(a) > (npy_intp)UINT32_MAX) {
        PyErr_Format(PyExc_ValueError, "an array of %zd bytes is too large "
                     "to freeze into compiled code: pass it as an argument",
                     (Py_ssize_t)PyArray_NBYTES(a));
        Py_DECREF(a);
        return NULL;
    }
    LLVMValueRef f[5] = {LLVMConstNull(lw->t_ptr), LLVMConstNull(lw->t_ptr),
                         const_data(lw, a)};
    const_dims(lw, a, &f[3], &f[4]);
    Py_DECREF(a);
    return LLVMConstStructInContext(lw->ctx, f, 5, 0);
}


/* Whether v is a NumPy array (for the cache's key of a frozen one). */
bool
pj_array_check(PyObject *v)
{
    return PyArray_Check(v);
}
