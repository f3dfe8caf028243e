/*
** typeof.c - the type of a Python value at a call.
**
** pj_typeof_arg is on the dispatcher's hot path: it answers with a typecode
** and, for scalars, the unboxed value in the same step, so an argument is
** examined once per call.  Exact-type checks come first (int, float, bool,
** complex, None, ndarray), then NumPy scalars through a table of their
** classes, then the general case.  A value with no pyjit type is
** `pyobject`: the compile that follows reports which argument could not be
** typed and why, and a @jit function runs that call in object mode.  An int
** beyond 64 bits is one of those, and so is an ndarray subclass whose
** meaning compiled code would drop (a masked array's mask, a matrix's
** operators): as an array it would give a different answer.
*/
#include "pyjit.h"

#define NO_IMPORT_ARRAY
#include <numpy/arrayobject.h>

#include <complex.h>
#include <string.h>

/* NumPy scalar classes and their types, filled by pj_typeof_init. */
typedef struct {
    PyTypeObject *cls;
    PjType *type;
} ScalarClass;

static ScalarClass scalar_classes[16];
static int nscalar_classes;

static void
add_scalar_class(PyTypeObject *cls, int type_num)
{
    PjType *t;
    PyArray_Descr *d = PyArray_DescrFromType(type_num);
    int bits = d ? (int)PyDataType_ELSIZE(d) * 8 : 0;
    Py_XDECREF(d);
    if (PyTypeNum_ISBOOL(type_num)) {
        t = pj_t.boolean;
    }
    else if (PyTypeNum_ISCOMPLEX(type_num)) {
        t = pj_type_complex(bits);
    }
    else if (PyTypeNum_ISFLOAT(type_num)) {
        if (bits != 32 && bits != 64) {
            return;     /* float16 and long double have no pyjit type */
        }
        t = pj_type_float(bits);
    }
    else {
        t = pj_type_int(bits, PyTypeNum_ISSIGNED(type_num));
    }
    scalar_classes[nscalar_classes].cls = cls;
    scalar_classes[nscalar_classes].type = t;
    nscalar_classes++;
}

int
pj_typeof_init(void)
{
    add_scalar_class(&PyBoolArrType_Type, NPY_BOOL);
    add_scalar_class(&PyByteArrType_Type, NPY_BYTE);
    add_scalar_class(&PyShortArrType_Type, NPY_SHORT);
    add_scalar_class(&PyIntArrType_Type, NPY_INT);
    add_scalar_class(&PyLongArrType_Type, NPY_LONG);
    add_scalar_class(&PyLongLongArrType_Type, NPY_LONGLONG);
    add_scalar_class(&PyUByteArrType_Type, NPY_UBYTE);
    add_scalar_class(&PyUShortArrType_Type, NPY_USHORT);
    add_scalar_class(&PyUIntArrType_Type, NPY_UINT);
    add_scalar_class(&PyULongArrType_Type, NPY_ULONG);
    add_scalar_class(&PyULongLongArrType_Type, NPY_ULONGLONG);
    add_scalar_class(&PyFloatArrType_Type, NPY_FLOAT);
    add_scalar_class(&PyDoubleArrType_Type, NPY_DOUBLE);
    add_scalar_class(&PyCFloatArrType_Type, NPY_CFLOAT);
    add_scalar_class(&PyCDoubleArrType_Type, NPY_CDOUBLE);
    return PyErr_Occurred() ? -1 : 0;
}

static PjType *
numpy_scalar_type(PyObject *obj)
{
    PyTypeObject *cls = Py_TYPE(obj);
    for (int i = 0; i < nscalar_classes; i++) {
        if (scalar_classes[i].cls == cls) {
            return scalar_classes[i].type;
        }
    }
    return NULL;
}

/* The type of the NumPy scalar class cls (np.float32 -> float32), or
   NULL when cls is not one. */
PjType *
pj_typeof_scalar_class(PyObject *cls)
{
    for (int i = 0; i < nscalar_classes; i++) {
        if ((PyObject *)scalar_classes[i].cls == cls) {
            return scalar_classes[i].type;
        }
    }
    return NULL;
}

/* Unboxes a NumPy scalar of type t into val. */
static void
unbox_numpy_scalar(PyObject *obj, PjType *t, PjValue *val)
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

/* An int becomes int64, or uint64 from 2**63 up; beyond that it has no
   pyjit type (NULL): only the interpreter computes with it exactly. */
static PjType *
typeof_int(PyObject *obj, PjValue *val)
{
    int overflow;
    long long v = PyLong_AsLongLongAndOverflow(obj, &overflow);
    if (overflow == 0) {
        val->i = v;
        return pj_t.i64;
    }
    if (overflow > 0) {
        unsigned long long u = PyLong_AsUnsignedLongLong(obj);
        if (u != (unsigned long long)-1 || !PyErr_Occurred()) {
            val->u = u;
            return pj_t.u64;
        }
        PyErr_Clear();
    }
    return NULL;
}

static PjType *typeof_array(PyArrayObject *a, bool *untypable);

/* Typecode of one call argument, with scalars unboxed into val.  Returns
   -1 only with an exception set (out of memory). */
int
pj_typeof_arg(PyObject *obj, PjValue *val)
{
    PyTypeObject *cls = Py_TYPE(obj);
    if (cls == &PyLong_Type) {
        PjType *t = typeof_int(obj, val);
        return t ? t->code : pj_t.pyobject->code;
    }
    if (cls == &PyFloat_Type) {
        val->f = PyFloat_AS_DOUBLE(obj);
        return pj_t.f64->code;
    }
    if (cls == &PyBool_Type) {
        val->i = obj == Py_True;
        return pj_t.boolean->code;
    }
    if (obj == Py_None) {
        val->i = 0;
        return pj_t.none->code;
    }
    if (cls == &PyComplex_Type) {
        Py_complex c = PyComplex_AsCComplex(obj);
        val->c[0] = c.real;
        val->c[1] = c.imag;
        return pj_t.c128->code;
    }
    bool untypable = false;
    PjType *t;
    if (cls == &PyArray_Type) {
        t = typeof_array((PyArrayObject *)obj, &untypable);
    }
    else if ((t = numpy_scalar_type(obj)) != NULL) {
        unbox_numpy_scalar(obj, t, val);
        return t->code;
    }
    else {
        t = pj_typeof_value(obj, &untypable);
    }
    return t == NULL ? -1 : t->code;
}

/* Tuples nest at most this deep in a type (the C stack bounds it). */
#define MAX_TUPLE_DEPTH 32

static PjType *typeof_nested(PyObject *obj, bool *untypable, int depth);

static PjType *
typeof_tuple(PyObject *obj, bool *untypable, int depth)
{
    Py_ssize_t n = PyTuple_GET_SIZE(obj);
    if (n > PJ_MAX_ARGS || depth >= MAX_TUPLE_DEPTH) {
        *untypable = true;
        return pj_t.pyobject;
    }
    PjType *elems[PJ_MAX_ARGS];
    for (Py_ssize_t i = 0; i < n; i++) {
        elems[i] = typeof_nested(PyTuple_GET_ITEM(obj, i), untypable,
                                 depth + 1);
        if (elems[i] == NULL) {
            return NULL;
        }
        if (*untypable) {
            return pj_t.pyobject;
        }
    }
    return pj_type_tuple(elems, (int)n);
}

/* --- arrays --- */

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

static const char *why_not_nested(PyObject *obj, int depth);

/* Why a tuple has no type: its shape, or its first item with a reason. */
static const char *
tuple_why_not(PyObject *tuple, int depth)
{
    if (PyTuple_GET_SIZE(tuple) > PJ_MAX_ARGS) {
        return "a tuple in it has too many items";
    }
    if (depth >= MAX_TUPLE_DEPTH) {
        return "its tuples nest too deeply";
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(tuple); i++) {
        const char *why = why_not_nested(PyTuple_GET_ITEM(tuple, i),
                                         depth + 1);
        if (why != NULL) {
            return why;
        }
    }
    return NULL;
}

static const char *
why_not_nested(PyObject *obj, int depth)
{
    PjValue v;
    if (PyLong_CheckExact(obj) && typeof_int(obj, &v) == NULL) {
        return "its value does not fit in 64 bits (int64 or uint64)";
    }
    if (PyTuple_CheckExact(obj)) {
        return tuple_why_not(obj, depth);
    }
    return PyArray_Check(obj) ? array_why_not((PyArrayObject *)obj) : NULL;
}

/* Why a value that looks typable has no type, or NULL. */
const char *
pj_typeof_why_not(PyObject *obj)
{
    return why_not_nested(obj, 0);
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
    default: return -1;
    }
}

/* The pyjit type of any value; `pyobject` with *untypable set when there
   is none.  NULL only with an exception set. */
PjType *
pj_typeof_value(PyObject *obj, bool *untypable)
{
    return typeof_nested(obj, untypable, 0);
}

static PjType *
typeof_nested(PyObject *obj, bool *untypable, int depth)
{
    PyTypeObject *cls = Py_TYPE(obj);
    if (cls == &PyTuple_Type) {
        return typeof_tuple(obj, untypable, depth);
    }
    if (cls == &PyArray_Type) {
        return typeof_array((PyArrayObject *)obj, untypable);
    }
    PjType *t = numpy_scalar_type(obj);
    if (t != NULL) {
        return t;
    }
    if (cls == &PyFloat_Type || cls == &PyBool_Type
        || cls == &PyComplex_Type || obj == Py_None) {
        PjValue v;
        return pj_type_from_code(pj_typeof_arg(obj, &v));
    }
    if (cls == &PyLong_Type) {
        PjValue v;
        if ((t = typeof_int(obj, &v)) != NULL) {
            return t;
        }
    }
    else if (PyArray_Check(obj)) {
        return typeof_array_subclass((PyArrayObject *)obj, untypable);
    }
    *untypable = true;
    return pj_t.pyobject;
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
        return true;            /* uint -> int64 is only allowed widening */
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
    if (to->kind == PJ_TK_OPTIONAL) {
        return 0;               /* the wrapper tests for None itself */
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
