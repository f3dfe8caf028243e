/*
** bytes.c - bytes and bytearray: Python's byte strings as Numba types
** them, a 1-d uint8 array with a flavour in its type's flags (PJ_BYTES:
** readonly bytes(uint8, 1d, C); PJ_BYTEARRAY: bytearray(uint8, 1d, C)).
**
** They take len(), index, iterate and slice as arrays do (arrays.c),
** without copying the argument's memory; a slice keeps the flavour, and a
** value of either boxes back as the Python type it came from (the
** argument itself when it is the whole of it).  What bytes do in Python
** and arrays do otherwise is refused, not done as an array would: b + b
** concatenates in Python, so operators other than `in` and the
** comparisons of two byte strings (whole strings, ordered byte by byte as
** Python orders them: pyjit/_lists.py's sequence comparisons) are no implementation here, and
** so are array methods and attributes.  A bytearray item stored must be in range(0, 256), as
** Python checks.
*/
#include "pyjit.h"

#include <string.h>

/* The native struct of a 1-d array: as boxing.c's for any array. */
struct NativeBytes {
    PjMemInfo *meminfo;
    PyObject *parent;
    char *data;
    int64_t length, stride;
};

/* bytes(uint8, 1d, C) of a bytes object, bytearray(...) of a bytearray;
   NULL for anything else. */
PjType *
pj_bytes_typeof(PyObject *obj)
{
    if (PyBytes_CheckExact(obj)) {
        return pj_type_array(pj_t.u8, 1, PJ_READONLY | PJ_BYTES);
    }
    if (PyByteArray_CheckExact(obj)) {
        return pj_type_array(pj_t.u8, 1, PJ_BYTEARRAY);
    }
    return NULL;
}

/* How a bytes type prints, Numba's spelling, or NULL for other arrays. */
const char *
pj_bytes_name(PjType *t)
{
    return t->ident & PJ_BYTES ? "bytes"
           : t->ident & PJ_BYTEARRAY ? "bytearray" : NULL;
}

/* The flags of a view of t: the flavour and the read-only bit stay. */
int
pj_bytes_view_flags(PjType *t)
{
    return t->ident & (PJ_READONLY | PJ_BYTES | PJ_BYTEARRAY);
}

/* --- run time --- */

void
pj_rt_unbox_bytes(PyObject *obj, NativeBytes *out)
{
    bool is_bytes = PyBytes_CheckExact(obj);
    out->meminfo = NULL;
    out->parent = obj;
    out->data = is_bytes ? PyBytes_AS_STRING(obj)
                         : PyByteArray_AS_STRING(obj);
    out->length = is_bytes ? PyBytes_GET_SIZE(obj)
                           : PyByteArray_GET_SIZE(obj);
    out->stride = 1;
}

/* A new bytes (or bytearray) of the bytes the struct describes; the
   bytearray argument itself when the value is the whole of it, as
   Python returns the same object. */
PyObject *
pj_rt_box_bytes(const NativeBytes *v, int32_t bytearray)
{
    PyObject *p = v->parent;
    if (bytearray && p != NULL && PyByteArray_CheckExact(p)
        && PyByteArray_AS_STRING(p) == v->data
        && PyByteArray_GET_SIZE(p) == v->length && v->stride == 1) {
        return Py_NewRef(p);
    }
    PyObject *r = bytearray ? PyByteArray_FromStringAndSize(NULL, v->length)
                            : PyBytes_FromStringAndSize(NULL, v->length);
    if (r == NULL) {
        return NULL;
    }
    char *to = bytearray ? PyByteArray_AS_STRING(r) : PyBytes_AS_STRING(r);
    for (int64_t i = 0; i < v->length; i++) {
        to[i] = v->data[i * v->stride];
    }
    pj_rt_meminfo_release(v->meminfo);   /* the wrapper's reference */
    return r;
}

/* The bytes a NumPy 'S' field of n characters at p reads as: up to the
   last one that is not NUL, copied into a block of their own. */
int32_t
pj_rt_bytes_from_chars(const char *p, int64_t n, NativeBytes *out)
{
    int64_t len = n;
    while (len > 0 && p[len - 1] == 0) {
        len--;
    }
    PjMemInfo *mi = pj_rt_meminfo_alloc(len, 0);
    if (mi == NULL) {
        PyGILState_STATE g = PyGILState_Ensure();
        PyErr_NoMemory();
        PyGILState_Release(g);
        return -1;
    }
    out->meminfo = mi;
    out->parent = NULL;
    out->data = (char *)mi + PJ_MEMINFO_HEADER;
    out->length = len;
    out->stride = 1;
    memcpy(out->data, p, (size_t)len);
    return 0;
}

/* Stores the bytes v in an 'S' field of n characters at p as NumPy does:
   cut to n, the rest NULs. */
void
pj_rt_bytes_to_chars(const NativeBytes *v, char *p, int64_t n)
{
    for (int64_t i = 0; i < n; i++) {
        p[i] = i < v->length ? v->data[i * v->stride] : 0;
    }
}

/* --- lowering --- */

LLVMValueRef
pj_bytes_unbox(PjLower *lw, LLVMValueRef obj, PjType *t)
{
    LLVMTypeRef at = pj_lower_type(lw, t);
    LLVMValueRef slot = pj_lower_alloca(lw, at, "bytes");
    LLVMTypeRef p[2] = {lw->t_ptr, lw->t_ptr};
    LLVMValueRef a[2] = {obj, slot};
    pj_lower_helper(lw, "pj_rt_unbox_bytes", lw->t_void, p, a, 2);
    return LLVMBuildLoad2(lw->b, at, slot, "");
}

LLVMValueRef
pj_bytes_box(PjLower *lw, LLVMValueRef v, PjType *t)
{
    LLVMValueRef slot = pj_lower_alloca(lw, LLVMTypeOf(v), "bytes");
    LLVMBuildStore(lw->b, v, slot);
    LLVMTypeRef p[2] = {lw->t_ptr, lw->t_i32};
    LLVMValueRef a[2] = {slot, pj_i32(lw, (t->ident & PJ_BYTEARRAY) != 0)};
    return pj_lower_helper(lw, "pj_rt_box_bytes", lw->t_ptr, p, a, 2);
}

/* The address of b[i] (args[0] the bytes, the index in args[1]): always
   checked, as Python checks it, with Python's message. */
LLVMValueRef
pj_bytes_item_address(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *t = ins->argtys[0];
    bool neg;
    LLVMValueRef i = pj_array_index_value(lw, ins, args, 0, &neg);
    LLVMValueRef n = pj_array_dim(lw, args[0], PJ_ARRAY_SHAPE, 0);
    if (neg) {
        LLVMValueRef below = LLVMBuildICmp(lw->b, LLVMIntSLT, i,
                                           pj_i64(lw, 0), "");
        i = LLVMBuildSelect(lw->b, below, LLVMBuildAdd(lw->b, i, n, ""), i,
                            "");
    }
    pj_lower_check(lw, LLVMBuildICmp(lw->b, LLVMIntUGE, i, n, ""),
                   "IndexError", t->ident & PJ_BYTEARRAY
                   ? "bytearray index out of range" : "index out of range");
    return pj_array_address(lw, t, args[0], &i, 1);
}

/* The value a bytearray item assignment stores: ValueError unless it is
   in range(0, 256), as Python says. */
LLVMValueRef
pj_bytes_checked_item(PjLower *lw, LLVMValueRef v, PjType *from)
{
    LLVMValueRef wide = pj_lower_convert(lw, v, from, pj_t.i64);
    LLVMValueRef bad = LLVMBuildICmp(lw->b, LLVMIntUGT, wide,
                                     pj_i64(lw, 255), "");
    pj_lower_check(lw, bad, "ValueError", "byte must be in range(0, 256)");
    return LLVMBuildTrunc(lw->b, wide, lw->t_i8, "");
}

static bool
is_bytes(PjType *t)
{
    return t != NULL && pj_type_is_array(t) && pj_bytes_name(t) != NULL;
}

/* x <op> b as the library function disp (NULL: not found, an exception
   set). */
static int
type_library_compare(PjCompile *cx, PjInstr *ins, PyObject *disp, PjType *x,
                     PjType *b)
{
    PjType *argtys[2] = {x, b};
    return disp ? pj_library_choose_call(cx, ins, &pj_library_impl, disp,
                                         argtys, 2)
                : -1;
}

/* The library's name of comparison operator sub between two byte
   strings, or NULL. */
static const char *
comparison_name(int sub)
{
    switch (sub) {
    case PJ_CMP_EQ: return "eq";
    case PJ_CMP_NE: return "ne";
    case PJ_CMP_LT: return "lt";
    case PJ_CMP_LE: return "le";
    case PJ_CMP_GT: return "gt";
    case PJ_CMP_GE: return "ge";
    default: return NULL;
    }
}

/* What a bytes value does that arrays would do differently from Python:
   1 with the reason for everything but `x in b` and the comparisons of
   two byte strings (chosen here), len, indexing, iteration and slicing
   (arrays.c's); 0 when a and b are not bytes. */
int
pj_bytes_operation(PjCompile *cx, PjInstr *ins, PjType *a, PjType *b)
{
    if (!is_bytes(a) && !is_bytes(b)) {
        return 0;
    }
    if (ins->op == PJ_OP_COMPARE && is_bytes(b) && pj_type_is_intlike(a)
        && (ins->sub == PJ_CMP_IN || ins->sub == PJ_CMP_NOTIN)) {
        static PyObject *library;
        PyObject *disp = pj_library_named(
            &library, "pyjit._bytes",
            ins->sub == PJ_CMP_IN ? "contains" : "not_contains");
        RETURN_IF_ERROR(type_library_compare(cx, ins, disp, a, b));
        return 2;
    }
    const char *name = comparison_name(ins->sub);
    if (ins->op == PJ_OP_COMPARE && is_bytes(a) && is_bytes(b)
        && name != NULL) {
        /* as sequences, item by item: the comparisons of lists */
        RETURN_IF_ERROR(type_library_compare(cx, ins, pj_list_operation(name),
                                             a, b));
        return 2;
    }
    cx->why = "bytes and bytearray take len(), indexing, iteration, "
              "slicing, comparisons and `in` in compiled code; pass "
              "np.frombuffer(b, np.uint8) for array operations";
    return 1;
}
