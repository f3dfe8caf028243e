/*
** typeof.c - the type of a Python value at a call.
**
** pj_typeof_arg is on the dispatcher's hot path: it answers with a typecode
** and, for scalars, the unboxed value in the same step, so an argument is
** examined once per call.  Exact-type checks come first (int, float, bool,
** complex, None), then NumPy scalars through a table of their classes,
** then the kinds: each kind types the values of the classes it registered
** (tuple, numpy.ndarray) and their subclasses with its own typeof hook.  A
** value with no pyjit type is `pyobject`: the compile that follows reports
** which argument could not be typed and why, and a @jit function runs that
** call in object mode.  An int beyond 64 bits is one of those, and so is
** an ndarray subclass whose meaning compiled code would drop (a masked
** array's mask, a matrix's operators; arrays.c): as an array it would give
** a different answer.
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
    PjType *t = numpy_scalar_type(obj);
    if (t != NULL) {
        pj_unbox_numpy_scalar(obj, t, val);
        return t->code;
    }
    bool untypable = false;
    t = pj_typeof_nested(obj, &untypable, 0);
    if (t != NULL && !untypable && PyLong_Check(obj)) {
        t = typeof_int(obj, val);   /* an IntEnum member: its int */
        return t ? t->code : pj_t.pyobject->code;
    }
    return t == NULL ? -1 : t->code;
}

/* --- the kinds' own classes --- */

/* Exact classes whose values a kind types (tuple, numpy.ndarray), asked
   first; subclasses go to every kind that types values. */
#define MAX_OWN_CLASSES 32

static struct {
    PyTypeObject *cls;
    const PjKind *kind;
} own_classes[MAX_OWN_CLASSES];
static int nown_classes;

/* Called by a kind at module exec: values of exactly class cls are its
   own. */
int
pj_typeof_register(PyTypeObject *cls, const PjKind *kind)
{
    if (nown_classes == MAX_OWN_CLASSES) {
        PyErr_SetString(PyExc_SystemError, "pyjit: too many kinds of "
                        "Python objects");
        return -1;
    }
    own_classes[nown_classes].cls = cls;
    own_classes[nown_classes++].kind = kind;
    return 0;
}

static const PjKind *
owner_of(PyTypeObject *cls)
{
    for (int i = 0; i < nown_classes; i++) {
        if (own_classes[i].cls == cls) {
            return own_classes[i].kind;
        }
    }
    return NULL;
}

/* The type a kind gives obj (a subclass of a class of its own), or NULL
   when no kind takes it. */
static PjType *
typeof_by_kinds(PyObject *obj, bool *untypable, int depth)
{
    int at = 0;
    for (const PjKind *kind; (kind = pj_kinds_next_row(&at)) != NULL;) {
        if (kind->typeof == NULL) {
            continue;
        }
        PjType *t = kind->typeof(obj, untypable, depth);
        if (t != NULL || PyErr_Occurred()) {
            return t;
        }
    }
    return NULL;
}

/* The pyjit type of obj found `depth` tuples deep; `pyobject` with
   *untypable set when there is none.  NULL only with an exception set. */
PjType *
pj_typeof_nested(PyObject *obj, bool *untypable, int depth)
{
    PyTypeObject *cls = Py_TYPE(obj);
    const PjKind *own = owner_of(cls);
    if (own != NULL) {
        return own->typeof(obj, untypable, depth);
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
    else if ((t = typeof_by_kinds(obj, untypable, depth)) != NULL
             || PyErr_Occurred()) {
        return t;
    }
    *untypable = true;
    return pj_t.pyobject;
}

/* The pyjit type of any value; `pyobject` with *untypable set when there
   is none.  NULL only with an exception set. */
PjType *
pj_typeof_value(PyObject *obj, bool *untypable)
{
    return pj_typeof_nested(obj, untypable, 0);
}

/* Why a value found `depth` tuples deep, which looks typable, has no
   type; NULL when it has one or nothing more can be said. */
const char *
pj_typeof_why_nested(PyObject *obj, int depth)
{
    PjValue v;
    if (PyLong_CheckExact(obj) && typeof_int(obj, &v) == NULL) {
        return "its value does not fit in 64 bits (int64 or uint64)";
    }
    int at = 0;
    for (const PjKind *kind; (kind = pj_kinds_next_row(&at)) != NULL;) {
        if (kind->why_untypable == NULL) {
            continue;
        }
        const char *why = kind->why_untypable(obj, depth);
        if (why != NULL) {
            return why;
        }
    }
    return NULL;
}

/* Why a value that looks typable has no type, or NULL. */
const char *
pj_typeof_why_not(PyObject *obj)
{
    return pj_typeof_why_nested(obj, 0);
}
