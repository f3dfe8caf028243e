/*
** np_info.c - np.iinfo and np.finfo: the limits of a number type.
**
** np.iinfo(np.int32), np.finfo(a.dtype): the dtype is known when the
** function compiles, so NumPy's own object is made then, and its
** attributes (max, min, eps, tiny, bits, resolution...) are constants of
** their NumPy types, read as a module's are (values.c).
*/
#include "pyjit.h"

/* NumPy's iinfo or finfo object for the dtype t names, made once per
   process (each typing sweep must see the same constant; borrowed), or
   NULL with cx->why set. */
static PyObject *
info_object(PjCompile *cx, const PjCallable *fn, PjType *t)
{
    static PyObject *made;      /* (name, dtype name) -> the object */
    PjType *dt = pj_array_dtype_named(t);
    bool ints = fn->id == PJ_FN_NP_IINFO;
    /* a complex dtype's finfo is its parts' (quimb's truncated QR reads
       np.finfo(x.dtype).eps of a complex128 x), as NumPy's is */
    if (dt == NULL || (ints ? !pj_type_is_integer(dt)
                            : !pj_type_is_float(dt)
                                  && !pj_type_is_complex(dt))) {
        cx->why = ints ? "np.iinfo takes an integer dtype"
                       : "np.finfo takes a float or complex dtype";
        return NULL;
    }
    if (made == NULL && (made = PyDict_New()) == NULL) {
        return NULL;
    }
    PyObject *key = Py_BuildValue("(ss)", fn->name, pj_type_str(dt));
    PyObject *info = key ? PyDict_GetItemWithError(made, key) : NULL;
    if (info != NULL || key == NULL || PyErr_Occurred()) {
        Py_XDECREF(key);
        return info;
    }
    PyObject *np = PyImport_ImportModule("numpy");
    info = np ? PyObject_CallMethod(np, fn->name, "s", pj_type_str(dt))
              : NULL;
    Py_XDECREF(np);
    int rc = info ? PyDict_SetItem(made, key, info) : -1;
    Py_DECREF(key);
    Py_XDECREF(info);           /* the dict holds it */
    return rc < 0 ? NULL : info;
}

static LLVMValueRef
lower_info(PjLower *Py_UNUSED(lw), PjInstr *Py_UNUSED(ins),
           LLVMValueRef *Py_UNUSED(args))
{
    return NULL;                /* a compile-time constant */
}

static const PjImpl impl_info = {"info", lower_info, false, false};

int
pj_type_np_info(PjCompile *cx, PjInstr *ins, const PjCallable *fn,
                PjType **args, int n)
{
    if (n != 1) {
        return 1;
    }
    PyObject *info = info_object(cx, fn, args[0]);
    if (info == NULL) {
        return PyErr_Occurred() ? -1 : 1;
    }
    /* its attributes are read as a module's, when the function compiles */
    PjType *t = pj_type_module(cx->arena, info);
    return t ? pj_choose(cx, ins, &impl_info, t, args, 1) : -1;
}
