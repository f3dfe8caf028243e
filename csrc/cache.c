/*
** cache.c - cache=True: compiled code kept on disk for the next process.
**
** The files and where they live are Python's business (pyjit/_cache.py,
** pyjit/_cache_write.py: file I/O is not hot), what a record's key holds
** is cachekey.c's.  This file turns a compiled overload into the record
** that is stored, and a stored record back into an overload: its object
** file goes into the JIT through the same path as a fresh compile's, so it
** links against the same runtime symbols.  The code refers to no address
** of this process (generated code calls helpers by name), and a record
** keeps the native name it was compiled under, claimed here so that no
** fresh compile of this process defines it too.
*/
#include "pyjit.h"

#include <string.h>

static PyObject *
cache_module(void)
{
    return pj_import_once(&pj_state->cache_module, "pyjit._cache");
}

/* Storing is a module of its own: a process that only loads does not
   compile or import it. */
static PyObject *
cache_write_module(void)
{
    return pj_import_once(&pj_state->cache_write_module,
                          "pyjit._cache_write");
}

static PyObject *
signature_tuple(PjType **argtys, int nargs)
{
    PyObject *sig = PyTuple_New(nargs);
    for (int i = 0; sig != NULL && i < nargs; i++) {
        PyTuple_SET_ITEM(sig, i, Py_NewRef((PyObject *)argtys[i]));
    }
    return sig;
}

/* The entry of the wrapper of native code `name` in the JIT; NULL with an
   exception when it is not there. */
static void *
wrapper_entry(const char *name)
{
    char *wrapper = PyMem_Malloc(strlen(name) + 9);
    if (wrapper == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    sprintf(wrapper, "cpython.%s", name);
    void *entry = pj_jit_lookup(wrapper);
    PyMem_Free(wrapper);
    return entry;
}

/* Adds a record's object file, whose native name the caller claimed, to
   the JIT and finds its wrapper.  If the object never reaches the JIT
   (a damaged record) the name is given back, as a failed compile gives
   its name back (compile.c): the record may load later, once repaired.
   Once the object is in, its symbols are defined and the name stays
   claimed whatever follows. */
static void *
load_code(const char *name, PyObject *object)
{
    if (pj_jit_load_object(object) < 0) {
        pj_jit_release_name(name);
        return NULL;
    }
    return wrapper_entry(name);
}

/* The code of a record whose name this process has claimed already: the
   names of cached code carry a token of the process that made them, so
   this process loaded the record or compiled its code before, and the
   code is in the JIT.  A new dispatcher of the same function (a closure
   made again on every call, as sktime makes its distances) uses it rather
   than compiling again.  NULL without an exception when it is not there
   (a record another compile of this process is about to add). */
static void *
loaded_code(const char *name)
{
    void *entry = wrapper_entry(name);
    if (entry == NULL && !PyErr_ExceptionMatches(PyExc_MemoryError)) {
        PyErr_Clear();
    }
    return entry;
}

/* Makes the overload of a record the cache found: (native name, return
   type, can_raise, object, LLVM IR, bitcode, annotation).  NULL without an
   exception when it cannot be used here after all. */
static PjOverload *
overload_from_record(PyObject *disp, PjType **argtys, int nargs,
                     PyObject *rec)
{
    const char *name;
    PyObject *restype, *object, *llvm_ir, *bitcode, *annotation;
    int can_raise;
    if (!PyArg_ParseTuple(rec, "sOpSUSU", &name, &restype, &can_raise,
                          &object, &llvm_ir, &bitcode, &annotation)) {
        return NULL;
    }
    if (!pj_type_check(restype)) {
        PyErr_SetString(PyExc_TypeError, "pyjit cache: bad return type");
        return NULL;
    }
    int claimed = pj_jit_claim_name(name);
    if (claimed < 0) {
        return NULL;
    }
    void *entry = claimed ? load_code(name, object) : loaded_code(name);
    PjOverload *ov = entry ? pj_overload_new(argtys, nargs, name) : NULL;
    if (ov == NULL) {
        return NULL;
    }
    ov->restype = (PjType *)restype;
    ov->can_raise = can_raise;
    ov->entry = (PjEntry)entry;
    ov->llvm_ir = Py_NewRef(llvm_ir);
    ov->bitcode = Py_NewRef(bitcode);
    ov->annotation = Py_NewRef(annotation);
    if (pj_dispatcher_add(disp, ov) < 0) {
        pj_overload_free(ov);
        return NULL;
    }
    return ov;
}

/* The specialization for these argument types from the cache, added to
   the dispatcher; NULL on a miss (an exception set only for errors that
   must reach the caller, such as MemoryError). */
PjOverload *
pj_cache_load(PyObject *disp, PjType **argtys, int nargs,
              PjType *declared_ret)
{
    double t0 = pj_now();
    PyObject *mod = cache_module();
    PyObject *sig = mod ? signature_tuple(argtys, nargs) : NULL;
    if (sig == NULL || pj_compile_lock() < 0) {
        Py_XDECREF(sig);
        return NULL;
    }
    PjOverload *ov = pj_dispatcher_find(disp, argtys, nargs);
    if (ov == NULL) {
        PyObject *rec = PyObject_CallMethod(
            mod, "load", "OOO", disp, sig,
            declared_ret ? (PyObject *)declared_ret : Py_None);
        if (rec != NULL && rec != Py_None) {
            ov = overload_from_record(disp, argtys, nargs, rec);
        }
        Py_XDECREF(rec);
        if (ov != NULL) {
            ov->compile_seconds = pj_now() - t0;
        }
    }
    pj_compile_unlock();
    Py_DECREF(sig);
    if (ov == NULL && PyErr_Occurred()
        && !PyErr_ExceptionMatches(PyExc_MemoryError)
        && !PyErr_ExceptionMatches(PyExc_KeyboardInterrupt)) {
        /* A record that does not load is a miss: say so and compile. */
        PyErr_WriteUnraisable(disp);
    }
    return ov;
}

/* Stores a fresh compile's record; failing to store is not the call's
   failure (the cache directory may be read-only), so errors are reported
   as unraisable warnings. */
void
pj_cache_save(PyObject *disp, PjOverload *ov, PjType *declared_ret)
{
    if (ov->object == NULL) {
        return;         /* nothing to keep: it calls code by name */
    }
    PyObject *mod = cache_write_module();
    PyObject *r = mod ? PyObject_CallMethod(
        mod, "save", "OOOsOOOOOO", disp, ov->sig,
        declared_ret ? (PyObject *)declared_ret : Py_None, ov->native_name,
        (PyObject *)ov->restype, ov->can_raise ? Py_True : Py_False,
        ov->object, ov->llvm_ir, ov->bitcode, ov->annotation) : NULL;
    if (r == NULL) {
        PyErr_WriteUnraisable(disp);
    }
    Py_XDECREF(r);
    Py_CLEAR(ov->object);
}
