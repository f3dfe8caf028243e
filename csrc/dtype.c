/*
** dtype.c - dtypes and NumPy scalar classes as values: Numba's DType
** (dtype(float32), a np.dtype object) and NumberClass (class(float32),
** np.float32 itself).
**
** Passed to a jitted function (f(a, np.float32), f(n, np.dtype('i2')),
** f(n, rec_dtype)), such an object is a value whose type says which dtype
** it is: elems[0] the number or record type it names, ident 1 for a
** dtype and 0 for a class.  Each dtype is an argument type of its own,
** so `np.zeros(n, d)` or `a.astype(d)` inside is typed for it exactly as
** with the dtype written there (array_new.c reads elems[0]).  The value
** carries no data (a byte, like a function as a value, functions.c):
** it passes to calls, sits in tuples and returns to Python as the dtype
** (as Numba returns both kinds).  dtype('O') is Numba's dtype(pyobject):
** it passes, and returns, but names no type an array can hold, so
** nothing makes an array of it.
**
** Named by a global or a closure variable, a dtype or class stays the
** compile-time constant values.c makes of it (pj_dtype_constant), which
** is also what np.float32(x) calls.
*/
#include "pyjit.h"

#define NO_IMPORT_ARRAY
#include <numpy/arrayobject.h>

/* The number or record type the dtype descr stands for, or NULL (no
   exception): a number in the machine's byte order, a structured dtype
   whose fields have types. */
PjType *
pj_dtype_elem(PyObject *descr)
{
    PyArray_Descr *d = (PyArray_Descr *)descr;
    if (PyDataType_HASFIELDS(d)) {
        return pj_type_record_of((PyObject *)d);
    }
    if (PyDataType_HASSUBARRAY(d) || !PyArray_ISNBO(d->byteorder)) {
        return NULL;
    }
    if (PyTypeNum_ISDATETIME(d->type_num)) {
        return pj_type_datetime_of_descr(descr);
    }
    PjType *t = pj_typeof_scalar_class((PyObject *)d->typeobj);
    return t != NULL && PyArray_EquivTypenums(d->type_num,
                                              pj_type_numpy_num(t))
           ? t : NULL;
}

/* The type of a dtype (is_dtype) or a class naming the number or record
   type elem, as a value. */
PjType *
pj_type_dtype_value(PjType *elem, bool is_dtype)
{
    return pj_type_intern(PJ_TK_DTYPE, 0, is_dtype, &elem, 1, NULL);
}

/* The number pj_dtype_of_num gives the dtype value t back from. */
static int32_t
dtype_value_num(PjType *t)
{
    return pj_type_is_pyobject(t->elems[0]) ? NPY_OBJECT
                                                : pj_dtype_num(t->elems[0]);
}

/* The number type a class names: a NumPy scalar class (np.float32) or a
   number type (types.float32, which Numba types as it types np.float32);
   NULL for any other object. */
static PjType *
class_elem(PyObject *obj)
{
    if (PyType_Check(obj)) {
        return pj_typeof_scalar_class(obj);
    }
    if (pj_type_check(obj) && pj_type_is_number((PjType *)obj)) {
        return (PjType *)obj;
    }
    return NULL;
}

/* The type of obj, a np.dtype (ident 1) or a class naming a number type
   (ident 0) pyjit has a type for; NULL for any other object. */
static PjType *
typeof_dtype(PyObject *obj, bool *untypable, int Py_UNUSED(depth))
{
    PjType *elem;
    int ident;
    if (PyArray_DescrCheck(obj)) {
        elem = pj_dtype_elem(obj);
        if (elem == NULL && ((PyArray_Descr *)obj)->type_num == NPY_OBJECT) {
            elem = pj_t.pyobject;       /* dtype('O'), Numba's dtype(pyobject) */
        }
        ident = 1;
    }
    else if ((elem = class_elem(obj)) != NULL) {
        ident = 0;
    }
    else {
        return NULL;
    }
    if (elem == NULL) {
        *untypable = true;
        return pj_t.pyobject;
    }
    return pj_type_dtype_value(elem, ident);
}

static const char *
why_not_dtype(PyObject *obj, int Py_UNUSED(depth))
{
    if (!PyArray_DescrCheck(obj)) {
        return NULL;
    }
    PyArray_Descr *d = (PyArray_Descr *)obj;
    if (PyDataType_HASFIELDS(d)) {
        return pj_record_why_not(obj);
    }
    return "a dtype passed to compiled code names a number type in the "
           "machine's byte order (bool, int8..int64, uint8..uint64, "
           "float32, float64, complex64, complex128) or a structured dtype";
}

/* dtype(float32), class(float32) */
static void
print_dtype(PjBuf *b, PjType *t)
{
    pj_buf_printf(b, "%s(%s)", t->ident ? "dtype" : "class",
                  pj_type_str(t->elems[0]));
}

/* A new reference to the dtype numbered num (pj_dtype_num): boxing. */
PyObject *
pj_rt_dtype_box(int32_t num)
{
    return pj_dtype_of_num(num);
}

static LLVMValueRef
dtype_box(PjLower *lw, LLVMValueRef Py_UNUSED(v), PjType *t)
{
    LLVMValueRef num = pj_i32(lw, dtype_value_num(t));
    return pj_lower_helper(lw, "pj_rt_dtype_box", lw->t_ptr, &lw->t_i32,
                           &num, 1);
}

static bool
dtype_can_box(PjType *Py_UNUSED(t))
{
    return true;
}

/* The number or record type t names when t is a dtype or a class as a
   value, or NULL. */
PjType *
pj_dtype_value_names(PjType *t)
{
    return t != NULL && t->kind == PJ_TK_DTYPE
           && !pj_type_is_pyobject(t->elems[0]) ? t->elems[0] : NULL;
}

/* Whether t is a NumPy scalar class as a value (`class(float32)`), not
   a dtype. */
bool
pj_type_is_scalar_class(const PjType *t)
{
    return t->kind == PJ_TK_DTYPE && t->ident == 0;
}

/* What the constant t is passed to a jitted function as: a NumPy scalar
   class, a number type (types.float32, which Numba types as np.float32)
   or a dtype (a global dtype) as its value; any other type as itself. */
PjType *
pj_dtype_passed(PjType *t)
{
    if (!pj_type_is_class(t)) {
        return t;
    }
    PjType *elem = NULL;
    bool is_dtype = PyArray_DescrCheck(t->obj);
    if (is_dtype) {
        elem = pj_dtype_elem(t->obj);
    }
    else {
        elem = class_elem(t->obj);
    }
    PjType *v = elem ? pj_type_dtype_value(elem, is_dtype) : NULL;
    PyErr_Clear();
    return v ? v : t;
}

/* The type of a dtype object named by a global (np.empty(n, DT)): a
   compile-time constant naming its number or record type, as np.float64
   names float64; NULL for any other object. */
PjType *
pj_dtype_constant(PjCompile *cx, PyObject *obj)
{
    if (!PyArray_DescrCheck(obj)) {
        return NULL;
    }
    PjType *t = pj_dtype_elem(obj);
    return t ? pj_type_class(cx->arena, obj, t->code) : NULL;
}

/* The attributes of a dtype fixed when the function compiles, as
   `a.dtype.kind == "f"` reads them.  `type` is its scalar class. */
static const char *const dtype_attributes[] = {
    "kind", "char", "itemsize", "name", "str", "num", "byteorder",
    "alignment", "isbuiltin", "isnative", "type", NULL};

static bool
is_dtype_attribute(const char *name)
{
    return pj_name_in(dtype_attributes, name);
}

/* d.name of the dtype object descr, reached through self. */
static int
descr_getattr(PjCompile *cx, PjInstr *ins, PyObject *descr, PjType *self)
{
    if (descr == NULL) {
        return -1;
    }
    PyObject *v = PyObject_GetAttrString(descr, ins->name);
    Py_DECREF(descr);
    if (v == NULL) {
        return -1;
    }
    int rc = pj_choose_constant_value(cx, ins, v, self);
    Py_DECREF(v);
    return rc;
}

/* a.dtype.kind of a dtype value. */
static int
dtype_getattr(PjCompile *cx, PjInstr *ins, PjType *t)
{
    if (!is_dtype_attribute(ins->name)) {
        return 1;
    }
    return descr_getattr(cx, ins, pj_dtype_of_num(dtype_value_num(t)),
                         t);
}

/* np.float64.kind of a NumPy scalar class, DT.itemsize of a global
   dtype DT: the attributes of its dtype.  `np.float64.type` stays the
   class's own attribute. */
int
pj_dtype_class_getattr(PjCompile *cx, PjInstr *ins, PjType *cls)
{
    PyObject *obj = cls->obj;
    bool is_descr = PyArray_DescrCheck(obj);
    if (!is_dtype_attribute(ins->name)
        || !(is_descr || (PyType_Check(obj)
                          && pj_typeof_scalar_class(obj) != NULL))) {
        return 1;
    }
    if (!is_descr && strcmp(ins->name, "type") == 0) {
        return pj_choose_constant_value(cx, ins, obj, cls);
    }
    PyArray_Descr *descr = NULL;
    if (!PyArray_DescrConverter(obj, &descr)) {
        return -1;
    }
    return descr_getattr(cx, ins, (PyObject *)descr, cls);
}

const PjKind pj_kind_dtype = {
    .name = "dtype",
    .print = print_dtype,
    .llvm_type = pj_function_llvm_type,
    .lower_const = pj_function_lower_const,
    .can_box = dtype_can_box,
    .box = dtype_box,
    .unbox = pj_function_unbox,
    .typeof = typeof_dtype,
    .why_untypable = why_not_dtype,
    .type_getattr = dtype_getattr,
    .type_call = pj_type_class_call,
};
