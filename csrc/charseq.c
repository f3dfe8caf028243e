/*
** charseq.c - the charseq kind: the dtype of a NumPy array of fixed-width
** strings, 'U<n>' (n UCS4 code points) or 'S<n>' (n bytes), Numba's
** UnicodeCharSeq(n) and CharSeq(n).
**
** A charseq type names the element of such an array: bits its size in
** bits (so that the array code sizes elements as it sizes numbers), ident
** 1 for 'U' and 0 for 'S'.  It is never the type of a variable: an element
** reads as a str ('U') or bytes ('S') up to its last character that is
** not NUL, as NumPy strips them.  a[i] (and a.flat[i]) copies it into a
** block of its own, so that a later store into the element does not change
** what was read (a swap); iterating and unpacking give views of the
** element's memory sharing the array's block (or, for an argument, keeping
** the array object as the parent), a 'U' one a str four bytes wide, which
** unicode_rt.c's helpers compare, hash and box in the narrowest form.
** Either way an element compares, hashes, keys a dict and boxes as the str
** NumPy gives.  A str or bytes stored into an element is cut to the width
** and padded with NULs, as NumPy stores it (the helpers record.c's string
** fields use too).
*/
#include "pyjit.h"

#define NO_IMPORT_ARRAY
#include <numpy/arrayobject.h>

/* Type numbers of charseq dtypes for pj_dtype_num: above NumPy's, with
   the element's size and whether it is 'U' packed in. */
#define CHARSEQ_NUM_BASE (1 << 24)

bool
pj_type_is_charseq(const PjType *t)
{
    return t != NULL && t->kind == PJ_TK_CHARSEQ;
}

static bool
is_unicode(const PjType *t)
{
    return t->ident == 1;
}

/* The size of an element in bytes. */
static int64_t
itemsize(const PjType *t)
{
    return t->bits / 8;
}

/* The width in characters. */
static int64_t
width(const PjType *t)
{
    return is_unicode(t) ? itemsize(t) / 4 : itemsize(t);
}

/* The charseq type of elements of size bytes, 'U' or 'S'. */
PjType *
pj_type_charseq(int64_t size, bool unicode)
{
    return pj_type_intern(PJ_TK_CHARSEQ, (int)(size * 8), unicode, NULL, 0,
                          NULL);
}

/* Whether the element of an array of dtype d fits in a type's bits. */
static bool
size_fits(PyArray_Descr *d)
{
    return PyDataType_ELSIZE(d) <= INT32_MAX / 8;
}

/* The charseq type of a 'U' dtype in the machine's byte order or an 'S'
   dtype; NULL (no exception) for any other. */
PjType *
pj_charseq_of_descr(PyObject *descr)
{
    PyArray_Descr *d = (PyArray_Descr *)descr;
    if (d->type_num == NPY_UNICODE && PyArray_ISNBO(d->byteorder)
        && size_fits(d)) {
        return pj_type_charseq((int64_t)PyDataType_ELSIZE(d), true);
    }
    if (d->type_num == NPY_STRING && size_fits(d)) {
        return pj_type_charseq((int64_t)PyDataType_ELSIZE(d), false);
    }
    PyErr_Clear();
    return NULL;
}

/* Why an array of dtype d, a string dtype, has no type; NULL when it is
   not a string dtype. */
const char *
pj_charseq_why_not(PyObject *descr)
{
    PyArray_Descr *d = (PyArray_Descr *)descr;
    if (d->type_num != NPY_UNICODE && d->type_num != NPY_STRING) {
        return NULL;
    }
    if (!size_fits(d)) {
        return "its strings are too wide";
    }
    return "its strings are not in the machine's byte order (use "
           "a.astype(a.dtype.newbyteorder('='))";
}

/* What an element of an array of charseq t reads as: a str or bytes. */
PjType *
pj_charseq_item_type(PjType *t)
{
    return is_unicode(t) ? pj_type_unicode()
                         : pj_type_array(pj_t.u8, 1, PJ_READONLY | PJ_BYTES);
}

static bool
is_bytes(PjType *t)
{
    return pj_type_is_array(t) && pj_array_ndim(t) == 1
           && (t->ident & (PJ_BYTES | PJ_BYTEARRAY));
}

/* Whether value can be stored in an element of charseq t: a str in 'U',
   bytes or a bytearray in 'S', or (copying an array into another) an
   element of the same dtype; cx->why says why not. */
bool
pj_charseq_can_store(PjCompile *cx, PjType *t, PjType *value)
{
    if (value == t) {
        return true;
    }
    cx->why = pj_arena_printf(cx->arena, "the array holds %s of up to %lld "
                              "characters, not %s",
                              is_unicode(t) ? "str" : "bytes",
                              (long long)width(t), pj_type_str(value));
    return is_unicode(t) ? pj_type_is_str(value) : is_bytes(value);
}

/* pj_dtype_num's number of charseq t, and the dtype back from one. */
int32_t
pj_charseq_num(PjType *t)
{
    return CHARSEQ_NUM_BASE + (int32_t)(itemsize(t) * 2) + is_unicode(t);
}

/* A new reference to the dtype numbered num, NULL (no exception) when num
   numbers no charseq.  One dtype per number, kept for the process, so
   that a.dtype can be a constant of the code. */
PyObject *
pj_charseq_descr_of_num(int32_t num)
{
    static PyObject *descrs;        /* num -> dtype */
    if (num < CHARSEQ_NUM_BASE) {
        return NULL;
    }
    if (descrs == NULL && (descrs = PyDict_New()) == NULL) {
        return NULL;
    }
    PyObject *key = PyLong_FromLong(num);
    PyObject *d = key ? PyDict_GetItemWithError(descrs, key) : NULL;
    if (d != NULL || key == NULL || PyErr_Occurred()) {
        Py_XDECREF(key);
        return Py_XNewRef(d);
    }
    int32_t packed = num - CHARSEQ_NUM_BASE;
    PyArray_Descr *made = PyArray_DescrNewFromType(packed & 1 ? NPY_UNICODE
                                                           : NPY_STRING);
    if (made != NULL) {
        PyDataType_SET_ELSIZE(made, packed / 2);
        if (PyDict_SetItem(descrs, key, (PyObject *)made) < 0) {
            Py_CLEAR(made);
        }
    }
    Py_DECREF(key);
    return (PyObject *)made;
}

/* The dtype of charseq t (borrowed: kept for the process). */
PyObject *
pj_charseq_descr(PjType *t)
{
    PyObject *d = pj_charseq_descr_of_num(pj_charseq_num(t));
    Py_XDECREF(d);
    return d;
}

/* The charseq type a string constant names as a dtype ('U5', 'S3'), or
   NULL (no exception). */
PjType *
pj_charseq_named(PjType *t)
{
    if (!pj_type_is_strlit(t)) {
        return NULL;
    }
    PyArray_Descr *d = NULL;
    PjType *r = PyArray_DescrConverter(t->obj, &d) ? pj_charseq_of_descr(
        (PyObject *)d) : NULL;
    Py_XDECREF(d);
    PyErr_Clear();
    return r;
}

/* Whether t is an array of strings. */
bool
pj_charseq_array(PjType *t)
{
    return pj_type_is_array(t) && pj_type_is_charseq(t->elems[0]);
}

static LLVMValueRef
lower_holds_strings(PjLower *lw, PjInstr *ins, LLVMValueRef *Py_UNUSED(args))
{
    return LLVMConstInt(pj_lower_type(lw, pj_t.boolean),
                        pj_charseq_array(ins->argtys[0]), 0);
}

static const PjImpl impl_holds_strings = {"holds_strings",
                                          lower_holds_strings, false, false};

/* _holds_strings(a): whether a is an array of strings, a constant that
   inference prunes by (typeinfer.c), so that pyjit/_np_sort.py sorts
   strings by comparisons and numbers by their keys. */
int
pj_type_holds_strings(PjCompile *cx, PjInstr *ins,
                      const PjCallable *Py_UNUSED(fn), PjType **args, int n)
{
    return n == 1 ? pj_choose(cx, ins, &impl_holds_strings, pj_t.boolean,
                              args, 1)
                  : 1;
}

/* --- runtime --- */

/* The characters of an element of `size` bytes at p up to the last that
   is not NUL, for code units `unit` bytes wide. */
int64_t
pj_rt_charseq_length(const char *p, int64_t size, int64_t unit)
{
    int64_t n = size / unit;
    while (n > 0) {
        const char *c = p + (n - 1) * unit;
        bool nul = true;
        for (int64_t k = 0; k < unit; k++) {
            nul &= c[k] == 0;
        }
        if (!nul) {
            break;
        }
        n--;
    }
    return n;
}

/* --- lowering --- */

static LLVMValueRef
stripped_length(PjLower *lw, PjType *t, LLVMValueRef p)
{
    LLVMTypeRef pt[3] = {lw->t_ptr, lw->t_i64, lw->t_i64};
    LLVMValueRef a[3] = {p, pj_i64(lw, itemsize(t)),
                         pj_i64(lw, is_unicode(t) ? 4 : 1)};
    return pj_lower_helper(lw, "pj_rt_charseq_length", lw->t_i64, pt, a, 3);
}

/* The element of charseq t at p in the array value arr: a str or bytes
   viewing it, holding what arr holds. */
LLVMValueRef
pj_charseq_load(PjLower *lw, PjType *t, LLVMValueRef arr, LLVMValueRef p)
{
    LLVMValueRef n = stripped_length(lw, t, p);
    LLVMValueRef mi = LLVMBuildExtractValue(lw->b, arr, PJ_ARRAY_MEMINFO, "");
    LLVMValueRef parent = LLVMBuildExtractValue(lw->b, arr, PJ_ARRAY_PARENT,
                                                "");
    if (is_unicode(t)) {
        return pj_unicode_lower_view(lw, p, n, 4, mi, parent);
    }
    PjType *bt = pj_charseq_item_type(t);
    LLVMValueRef b = LLVMGetUndef(pj_lower_type(lw, bt));
    b = LLVMBuildInsertValue(lw->b, b, mi, PJ_ARRAY_MEMINFO, "");
    b = LLVMBuildInsertValue(lw->b, b, parent, PJ_ARRAY_PARENT, "");
    b = LLVMBuildInsertValue(lw->b, b, p, PJ_ARRAY_DATA, "");
    LLVMValueRef one = pj_i64(lw, 1);
    return pj_array_with_dims(lw, b, bt, &n, &one);
}

/* A value of type t a runtime helper makes from the n characters at p
   (status checked): a new str or bytes of its own, without the trailing
   NULs. */
LLVMValueRef
pj_charseq_read(PjLower *lw, const char *helper, PjType *t, LLVMValueRef p,
                int64_t n)
{
    LLVMTypeRef lt = pj_lower_type(lw, t);
    LLVMValueRef out = pj_lower_alloca(lw, lt, "chars");
    LLVMTypeRef pt[3] = {lw->t_ptr, lw->t_i64, lw->t_ptr};
    LLVMValueRef a[3] = {p, pj_i64(lw, n), out};
    LLVMValueRef rc = pj_lower_helper(lw, helper, lw->t_i32, pt, a, 3);
    LLVMValueRef bad = LLVMBuildICmp(lw->b, LLVMIntNE, rc, pj_i32(lw, 0), "");
    pj_lower_fail_end(lw, pj_lower_fail_begin(lw, bad));
    return LLVMBuildLoad2(lw->b, lt, out, "");
}

/* A copy of the element of charseq t at p: what a[i] reads, so that
   storing into the element later does not change it. */
LLVMValueRef
pj_charseq_copy(PjLower *lw, PjType *t, LLVMValueRef p)
{
    return pj_charseq_read(lw, is_unicode(t) ? "pj_rt_str_from_ucs4"
                                             : "pj_rt_bytes_from_chars",
                           pj_charseq_item_type(t), p, width(t));
}

/* Writes the str or bytes v to the n characters at p through a runtime
   helper that cuts it and pads it with NULs, as NumPy stores it. */
void
pj_charseq_write(PjLower *lw, const char *helper, LLVMValueRef v,
                 LLVMValueRef p, int64_t n)
{
    LLVMValueRef slot = pj_lower_alloca(lw, LLVMTypeOf(v), "chars");
    LLVMBuildStore(lw->b, v, slot);
    LLVMTypeRef pt[3] = {lw->t_ptr, lw->t_ptr, lw->t_i64};
    LLVMValueRef a[3] = {slot, p, pj_i64(lw, n)};
    pj_lower_helper(lw, helper, lw->t_void, pt, a, 3);
}

/* Stores the str or bytes v in the element of charseq t at p. */
void
pj_charseq_store(PjLower *lw, PjType *t, LLVMValueRef p, LLVMValueRef v)
{
    pj_charseq_write(lw, is_unicode(t) ? "pj_rt_str_to_ucs4"
                                       : "pj_rt_bytes_to_chars",
                     v, p, width(t));
}

/* --- the row --- */

static void
print_charseq(PjBuf *b, PjType *t)
{
    pj_buf_printf(b, "[%s x %lld]", is_unicode(t) ? "unichr" : "char",
                  (long long)width(t));
}

/* The bytes of an element. */
static LLVMTypeRef
charseq_llvm_type(PjLower *lw, PjType *t)
{
    return LLVMArrayType2(lw->t_i8, (uint64_t)itemsize(t));
}

const PjKind pj_kind_charseq = {
    .name = "charseq",
    .print = print_charseq,
    .llvm_type = charseq_llvm_type,
};
