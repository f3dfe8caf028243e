/*
** objmode.c - object mode: what @jit does when nopython compilation fails.
**
** An object-mode specialization runs the function on the CPython
** interpreter, after pyjit/_objmode.py has lifted its loops into nopython
** functions of their own (the rewriting is Python's business: it works on
** the ast module's trees and makes a function with compile()).  This file
** decides when to fall back, makes the overload that calls the rewritten
** function with the parameter row, and shows what object mode runs for
** inspect_types, inspect_llvm and inspect_asm.
**
** @njit and nopython=True never come here: they raise the TypingError.
*/
#include "pyjit.h"

bool
pj_objmode_applies(const PjOptions *opts)
{
    return !opts->nopython;
}

/* Errors in the function itself fall back; MemoryError, an interrupt or
   an internal error do not. */
static bool
is_fallback_error(void)
{
    return PyErr_ExceptionMatches(pj_state->typing_error)
           || PyErr_ExceptionMatches(pj_state->unsupported_error);
}

static PyObject *
objmode_module(void)
{
    return pj_import_once(&pj_state->objmode_module, "pyjit._objmode");
}

static PjOverload *
make_objmode_overload(PyObject *disp, PjType **argtys, int nargs,
                      PyObject *error)
{
    PyObject *mod = objmode_module();
    PyObject *om = mod ? PyObject_CallMethod(mod, "compile_object_mode",
                                             "OO", disp, error) : NULL;
    if (om == NULL) {
        return NULL;
    }
    PjFuncInfo *info = pj_dispatcher_info(disp);
    PyObject *name = PyUnicode_FromFormat("%U (object mode)",
                                          info->qualname);
    PjOverload *ov = name ? pj_overload_new(argtys, nargs,
                                            PyUnicode_AsUTF8(name)) : NULL;
    Py_XDECREF(name);
    if (ov == NULL) {
        Py_DECREF(om);
        return NULL;
    }
    ov->objmode = om;
    ov->objmode_call = PyObject_GetAttrString(om, "func");
    ov->restype = pj_t.pyobject;
    ov->can_raise = true;
    if (ov->objmode_call == NULL || pj_dispatcher_add(disp, ov) < 0) {
        pj_overload_free(ov);
        return NULL;
    }
    return ov;
}

/* The object-mode specialization for these argument types, after the
   nopython compile failed with the exception now set (or, with
   forceobj=True, without one).  Returns a borrowed overload, or NULL with
   the original exception when object mode does not apply to it. */
PjOverload *
pj_objmode_compile(PyObject *disp, PjType **argtys, int nargs)
{
    PyObject *type = NULL, *error = NULL, *tb = NULL;
    if (PyErr_Occurred()) {
        if (!is_fallback_error()) {
            return NULL;
        }
        PyErr_Fetch(&type, &error, &tb);
        PyErr_NormalizeException(&type, &error, &tb);
    }
    PjOverload *ov = NULL;
    if (pj_compile_lock() == 0) {
        ov = pj_dispatcher_find_kind(disp, argtys, nargs, true);
        if (ov == NULL) {
            ov = make_objmode_overload(disp, argtys, nargs,
                                       error ? error : Py_None);
        }
        pj_compile_unlock();
    }
    Py_XDECREF(type);
    Py_XDECREF(error);
    Py_XDECREF(tb);
    return ov;
}

/* The reason the IR of a function cannot be shown, as comments. */
static PyObject *
commented(PyObject *msg)
{
    PyObject *nl = PyUnicode_FromString("\n");
    PyObject *nlhash = PyUnicode_FromString("\n# ");
    PyObject *body = nl && nlhash ? PyUnicode_Replace(msg, nl, nlhash, -1)
                                  : NULL;
    PyObject *text = body ? PyUnicode_FromFormat(
        "# The IR of this function cannot be shown:\n# %U", body) : NULL;
    Py_XDECREF(nl);
    Py_XDECREF(nlhash);
    Py_XDECREF(body);
    return text;
}

/* inspect_types for an object-mode specialization: the function's IR with
   every value a pyobject (ir, or NULL with the exception that says why
   there is none), then the loops lifted out of it. */
PyObject *
pj_objmode_annotation(PjOverload *ov, PyObject *ir)
{
    if (ov->annotation == NULL) {
        if (ir != NULL) {
            ov->annotation = Py_NewRef(ir);
        }
        else {
            /* Object mode runs what the IR cannot express: say why. */
            PyObject *t, *v, *tb;
            PyErr_Fetch(&t, &v, &tb);
            PyObject *msg = v ? PyObject_Str(v) : NULL;
            Py_XDECREF(t);
            Py_XDECREF(v);
            Py_XDECREF(tb);
            ov->annotation = msg ? commented(msg) : NULL;
            Py_XDECREF(msg);
            if (ov->annotation == NULL) {
                return NULL;
            }
        }
    }
    PyObject *lifted = PyObject_CallMethod(ov->objmode, "lifted_annotation",
                                           NULL);
    if (lifted == NULL) {
        return NULL;
    }
    PyObject *text = PyUnicode_FromFormat("%U\n%U", ov->annotation, lifted);
    Py_DECREF(lifted);
    return text;
}

/* inspect_llvm / inspect_asm: the native code of the lifted loops. */
PyObject *
pj_objmode_inspect(PjOverload *ov, const char *which)
{
    return PyObject_CallMethod(ov->objmode, "inspect", "s", which);
}
