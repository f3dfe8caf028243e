/*
** extfunc.c - C functions from ctypes and cffi, called by compiled code.
**
** A ctypes function whose argtypes and restype are set (CDLL(None).sin
** after `sin.argtypes = [c_double]; sin.restype = c_double`, or a
** CFUNCTYPE prototype applied to an address or to a Python callable) and a
** cffi function (ffi.dlopen("m").sin, a function pointer cdata) are, to
** compiled code, FunctionType values (functions.c): the address of a C
** function of that signature, called through it.  The signature comes
** from the ctypes classes or the cffi C type names, numbers only (the
** types a FunctionType takes).
**
** An object of Numba's WrapperAddressProtocol (pyjit.types'), whose
** __wrapper_address__() gives the address and signature() the signature
** (numba-stats wraps scipy.special's Cython functions so), is one too.
**
** Passed as an argument, the address is read from the object at each
** call.  Named as a global or a closure variable, it is frozen into the
** code as a constant, and the code is then not cached, since the address
** belongs to this process: Numba does the same.
*/
#include "pyjit.h"

#include <string.h>

/* ctypes._CFuncPtr, the class of every ctypes function (NULL: ctypes has
   not been imported, so obj is none). */
static PyObject *
ctypes_funcptr_class(void)
{
    PyObject *mod = PyImport_GetModule(pj_str("ctypes"));
    if (mod == NULL) {
        PyErr_Clear();
        return NULL;
    }
    PyObject *cls = PyObject_GetAttrString(mod, "_CFuncPtr");
    Py_DECREF(mod);
    if (cls == NULL) {
        PyErr_Clear();
    }
    return cls;
}

static bool
is_ctypes_function(PyObject *obj)
{
    PyObject *cls = ctypes_funcptr_class();
    if (cls == NULL) {
        return false;
    }
    int is = PyObject_IsInstance(obj, cls);
    Py_DECREF(cls);
    if (is < 0) {
        PyErr_Clear();
    }
    return is > 0;
}

static bool
is_cffi_data(PyObject *obj)
{
    return strcmp(Py_TYPE(obj)->tp_name, "_cffi_backend._CDataBase") == 0;
}

/* cffi's C type of obj (a new reference), or NULL. */
static PyObject *
cffi_ctype(PyObject *obj)
{
    PyObject *backend = PyImport_GetModule(pj_str("_cffi_backend"));
    PyObject *t = backend ? PyObject_CallMethod(backend, "typeof", "O", obj)
                          : NULL;
    Py_XDECREF(backend);
    if (t == NULL) {
        PyErr_Clear();
    }
    return t;
}

/* Whether cffi's C type t is of kind `kind`. */
static bool
ctype_kind_is(PyObject *t, const char *kind)
{
    PyObject *k = PyObject_GetAttrString(t, "kind");
    bool is = k != NULL && PyUnicode_Check(k)
              && strcmp(PyUnicode_AsUTF8(k), kind) == 0;
    Py_XDECREF(k);
    PyErr_Clear();
    return is;
}

static bool
is_cffi_function(PyObject *obj)
{
    if (!is_cffi_data(obj)) {
        return false;
    }
    PyObject *t = cffi_ctype(obj);
    bool is = t != NULL && ctype_kind_is(t, "function");
    Py_XDECREF(t);
    return is;
}

static bool
is_wrapper_address(PyObject *obj)
{
    return pj_is_instance_named(obj, "pyjit.types", "WrapperAddressProtocol");
}

bool
pj_extfunc_check(PyObject *obj)
{
    return is_ctypes_function(obj) || is_cffi_function(obj)
           || is_wrapper_address(obj);
}

/* --- signatures --- */

/* The C numbers, by ctypes class name and by cffi's C name. */
static const struct {
    const char *ctypes, *cffi;
    PjType **type;
} numbers[] = {
    {"c_double", "double", &pj_t.f64},
    {"c_float", "float", &pj_t.f32},
    {"c_int", "int", &pj_t.i32},
    {"c_int32", "int32_t", &pj_t.i32},
    {"c_uint", "unsigned int", &pj_t.u32},
    {"c_uint32", "uint32_t", &pj_t.u32},
    {"c_long", "long", &pj_t.i64},
    {"c_longlong", "long long", &pj_t.i64},
    {"c_int64", "int64_t", &pj_t.i64},
    {"c_ssize_t", "ssize_t", &pj_t.i64},
    {NULL, "intptr_t", &pj_t.i64},
    {"c_ulong", "unsigned long", &pj_t.u64},
    {"c_ulonglong", "unsigned long long", &pj_t.u64},
    {"c_uint64", "uint64_t", &pj_t.u64},
    {"c_size_t", "size_t", &pj_t.u64},
    {NULL, "uintptr_t", &pj_t.u64},
};

/* The number type of a ctypes class, or NULL. */
static PjType *
ctypes_number(PyObject *cls)
{
    PyObject *mod = PyImport_GetModule(pj_str("ctypes"));
    PjType *found = NULL;
    for (size_t i = 0; mod != NULL && found == NULL
                       && i < sizeof(numbers) / sizeof(numbers[0]); i++) {
        if (numbers[i].ctypes == NULL) {
            continue;
        }
        PyObject *c = PyObject_GetAttrString(mod, numbers[i].ctypes);
        if (c == cls) {
            found = *numbers[i].type;
        }
        Py_XDECREF(c);
        PyErr_Clear();
    }
    Py_XDECREF(mod);
    return found;
}

/* The number type of a cffi C type, or NULL. */
static PjType *
cffi_number(PyObject *ctype)
{
    PyObject *name = PyObject_GetAttrString(ctype, "cname");
    const char *s = name && PyUnicode_Check(name) ? PyUnicode_AsUTF8(name)
                                                  : NULL;
    PjType *found = NULL;
    for (size_t i = 0; s != NULL && found == NULL
                       && i < sizeof(numbers) / sizeof(numbers[0]); i++) {
        if (strcmp(s, numbers[i].cffi) == 0) {
            found = *numbers[i].type;
        }
    }
    Py_XDECREF(name);
    PyErr_Clear();
    return found;
}

/* The FunctionType of the n items of `params` and `result`, each turned
   into a number by `number`; NULL when one is not a number C passes. */
static PjType *
signature(PyObject *result, PyObject *params, PjType *(*number)(PyObject *))
{
    PyObject *seq = PySequence_Fast(params, "");
    if (seq == NULL) {
        PyErr_Clear();
        return NULL;
    }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    PjType *args[PJ_MAX_ARGS];
    PjType *ret = number(result);
    bool ok = ret != NULL && n <= PJ_MAX_ARGS;
    for (Py_ssize_t i = 0; ok && i < n; i++) {
        args[i] = number(PySequence_Fast_GET_ITEM(seq, i));
        ok = args[i] != NULL;
    }
    Py_DECREF(seq);
    PjType *t = ok ? pj_type_funcptr(ret, args, (int)n) : NULL;
    PyErr_Clear();
    return t;
}

static PjType *
ctypes_signature(PyObject *obj)
{
    PyObject *argtypes = PyObject_GetAttrString(obj, "argtypes");
    PyObject *restype = PyObject_GetAttrString(obj, "restype");
    PjType *t = NULL;
    if (argtypes != NULL && restype != NULL && argtypes != Py_None) {
        t = signature(restype, argtypes, ctypes_number);
    }
    Py_XDECREF(argtypes);
    Py_XDECREF(restype);
    PyErr_Clear();
    return t;
}

static PjType *
cffi_signature(PyObject *obj)
{
    PyObject *t = cffi_ctype(obj);
    PyObject *args = t ? PyObject_GetAttrString(t, "args") : NULL;
    PyObject *result = t ? PyObject_GetAttrString(t, "result") : NULL;
    PyObject *ellipsis = t ? PyObject_GetAttrString(t, "ellipsis") : NULL;
    PjType *sig = NULL;
    if (args != NULL && result != NULL && ellipsis == Py_False) {
        sig = signature(result, args, cffi_number);
    }
    Py_XDECREF(t);
    Py_XDECREF(args);
    Py_XDECREF(result);
    Py_XDECREF(ellipsis);
    PyErr_Clear();
    return sig;
}

/* The FunctionType of obj.signature(), a pyjit signature, or NULL. */
static PjType *
wrapper_signature(PyObject *obj)
{
    PyObject *sig = PyObject_CallMethod(obj, "signature", NULL);
    PyObject *t = sig ? PyObject_CallMethod(sig, "as_type", NULL) : NULL;
    PjType *r = t && pj_type_check(t) && pj_type_is_funcptr((PjType *)t)
                ? (PjType *)t : NULL;
    Py_XDECREF(sig);
    Py_XDECREF(t);              /* interned: it lives on */
    PyErr_Clear();
    return r;
}

static void *ctypes_address(PyObject *obj);
static void *cffi_address(PyObject *obj);
static void *wrapper_address(PyObject *obj);

/* The FunctionType of a ctypes or cffi function, or NULL (also for a NULL
   function pointer, which compiled code would call). */
PjType *
pj_extfunc_type(PyObject *obj)
{
    PjType *t = NULL;
    void *p = NULL;
    if (is_ctypes_function(obj)) {
        t = ctypes_signature(obj);
        p = t ? ctypes_address(obj) : NULL;
    }
    else if (is_cffi_function(obj)) {
        t = cffi_signature(obj);
        p = t ? cffi_address(obj) : NULL;
    }
    else if (is_wrapper_address(obj)) {
        t = wrapper_signature(obj);
        p = t ? wrapper_address(obj) : NULL;
    }
    PyErr_Clear();
    return p != NULL ? t : NULL;
}

/* Why a ctypes or cffi function has no FunctionType, or NULL. */
const char *
pj_extfunc_why_not(PyObject *obj)
{
    if (is_ctypes_function(obj)) {
        if (ctypes_signature(obj) != NULL) {
            return "a NULL ctypes function pointer cannot be called";
        }
        return "a ctypes function is called by compiled code when its "
               "argtypes and restype are set, to int32, int64, uint32, "
               "uint64 (c_int, c_long, c_size_t...), float32 or float64 "
               "(c_float, c_double)";
    }
    if (is_wrapper_address(obj)) {
        return wrapper_signature(obj) == NULL
               ? "its signature() is not a pyjit signature of numbers "
                 "(such as float64(float64))"
               : "its __wrapper_address__() is not a non-zero int";
    }
    if (is_cffi_function(obj)) {
        if (cffi_signature(obj) != NULL) {
            return "a NULL cffi function pointer cannot be called";
        }
        return "a cffi function is called by compiled code when it takes "
               "and returns int, long, size_t (signed or not, or their "
               "intN_t names), float or double, with no `...`";
    }
    return NULL;
}

/* --- addresses --- */

/* A ctypes function's object holds the address as its buffer. */
static void *
ctypes_address(PyObject *obj)
{
    Py_buffer view;
    void *p = NULL;
    if (PyObject_GetBuffer(obj, &view, PyBUF_SIMPLE) < 0) {
        return NULL;
    }
    if (view.len == (Py_ssize_t)sizeof(p)) {
        memcpy(&p, view.buf, sizeof(p));
    }
    PyBuffer_Release(&view);
    if (p == NULL) {
        PyErr_SetString(PyExc_ValueError, "a NULL ctypes function pointer "
                                          "cannot be called");
    }
    return p;
}

static void *
cffi_address(PyObject *obj)
{
    PyObject *backend = PyImport_GetModule(pj_str("_cffi_backend"));
    PyObject *uintptr = backend ? PyObject_CallMethod(
        backend, "new_primitive_type", "s", "uintptr_t") : NULL;
    PyObject *cast = uintptr ? PyObject_CallMethod(backend, "cast", "OO",
                                                   uintptr, obj) : NULL;
    PyObject *addr = cast ? PyNumber_Long(cast) : NULL;
    void *p = addr ? PyLong_AsVoidPtr(addr) : NULL;
    Py_XDECREF(backend);
    Py_XDECREF(uintptr);
    Py_XDECREF(cast);
    Py_XDECREF(addr);
    if (p == NULL && !PyErr_Occurred()) {
        PyErr_SetString(PyExc_ValueError, "a NULL cffi function pointer "
                                          "cannot be called");
    }
    return p;
}

static void *
wrapper_address(PyObject *obj)
{
    PyObject *addr = PyObject_CallMethod(obj, "__wrapper_address__", NULL);
    void *p = addr && PyLong_Check(addr) ? PyLong_AsVoidPtr(addr) : NULL;
    Py_XDECREF(addr);
    if (p == NULL && !PyErr_Occurred()) {
        PyErr_SetString(PyExc_ValueError, "__wrapper_address__() gave no "
                                          "function address");
    }
    return p;
}

/* The address of a ctypes or cffi function, or of a
   WrapperAddressProtocol object (NULL with an exception). */
void *
pj_extfunc_address(PyObject *obj)
{
    return is_ctypes_function(obj) ? ctypes_address(obj)
           : is_cffi_function(obj) ? cffi_address(obj)
           : wrapper_address(obj);
}

/* Numba's NumbaWarning when cache=True cannot store the code. */
static void
warn_not_cached(PjCompile *cx)
{
    PyObject *errors = PyImport_ImportModule("pyjit.errors");
    PyObject *cls = errors ? PyObject_GetAttrString(errors, "NumbaWarning")
                           : NULL;
    if (cls == NULL || PyErr_WarnFormat(
            cls, 1, "Cannot cache compiled function \"%U\" as it uses "
            "dynamic globals (the address of a ctypes or cffi function)",
            cx->info->qualname) < 0) {
        PyErr_Clear();
    }
    Py_XDECREF(cls);
    Py_XDECREF(errors);
}

/* The address of a global ctypes or cffi function, frozen into the code:
   the compile is then not cached. */
LLVMValueRef
pj_extfunc_lower_const(PjLower *lw, PyObject *obj)
{
    void *p = pj_extfunc_address(obj);     /* not NULL: it was typed */
    PyErr_Clear();
    if (lw->cx->opts.cache && !lw->cx->no_cache) {
        warn_not_cached(lw->cx);
    }
    lw->cx->no_cache = true;
    return LLVMConstIntToPtr(
        LLVMConstInt(lw->t_i64, (unsigned long long)(uintptr_t)p, 0),
        lw->t_ptr);
}
