/*
** typecodes.c - typecodes in generated code.
**
** A typecode is a type's place in this process's list of types
** (pj_state->types_by_code); the runtime finds a type by it when it boxes
** a value whose Python object depends on the type (an enum member, a
** namedtuple, a typed dict).  The types made while pyjit._core loads have
** the same typecodes in every process, and code names them as constants.
** The others have the place the program's order of compiles gave them, so
** code reads each from a symbol named for the type, pj_tc:<its cache
** description> (pyjit/_cache.py), which the JIT's definition generator
** here defines as it links: in a fresh compile and in code loaded from
** the cache in another process alike, the symbol holds the typecode that
** process gave the type.  A type the cache cannot describe keeps a
** constant, and its code is not cached.
*/
#include "pyjit.h"

#include <string.h>

#define TC_PREFIX "pj_tc:"

static PyObject *cells;         /* symbol name -> capsule of an int32 cell */

static PyObject *
cache_module(void)
{
    return pj_import_once(&pj_state->cache_module, "pyjit._cache");
}

/* The symbol t's typecode is read from (a new reference), or None when the
   cache cannot describe t; NULL with an exception. */
static PyObject *
typecode_symbol(PjType *t)
{
    PyObject *mod = cache_module();
    return mod ? PyObject_CallMethod(mod, "typecode_symbol", "O", t) : NULL;
}

/* The typecode of t as generated code reads it. */
LLVMValueRef
pj_lower_typecode(PjLower *lw, PjType *t)
{
    LLVMValueRef code = LLVMConstInt(lw->t_i32, (unsigned)t->code, 0);
    if (t->code < pj_state->stable_typecodes || lw->cx == NULL) {
        return code;
    }
    PyObject *name = typecode_symbol(t);
    if (name == NULL || !PyUnicode_Check(name)) {
        PyErr_Clear();
        Py_XDECREF(name);
        lw->cx->no_cache = true;
        return code;
    }
    const char *s = PyUnicode_AsUTF8(name);
    LLVMValueRef g = s ? LLVMGetNamedGlobal(lw->mod, s) : NULL;
    if (s != NULL && g == NULL) {
        g = LLVMAddGlobal(lw->mod, lw->t_i32, s);
        LLVMSetGlobalConstant(g, 1);
    }
    Py_DECREF(name);
    if (g == NULL) {
        PyErr_Clear();
        lw->cx->no_cache = true;
        return code;
    }
    LLVMValueRef v = LLVMBuildLoad2(lw->b, lw->t_i32, g, "typecode");
    LLVMSetMetadata(v, LLVMGetMDKindIDInContext(lw->ctx, "invariant.load", 14),
                    LLVMMDNodeInContext(lw->ctx, NULL, 0));
    return v;
}

/* --- the JIT's definition generator: pj_tc:<description> names --- */

/* The cell holding the typecode of the type a symbol names, made once per
   process; NULL with an exception. */
static int32_t *
typecode_cell(const char *symbol)
{
    if (cells == NULL && (cells = PyDict_New()) == NULL) {
        return NULL;
    }
    PyObject *cap = PyDict_GetItemString(cells, symbol);
    if (cap != NULL) {
        return PyCapsule_GetPointer(cap, NULL);
    }
    PyObject *mod = cache_module();
    PyObject *t = mod ? PyObject_CallMethod(mod, "type_of_symbol", "s",
                                            symbol) : NULL;
    if (t == NULL) {
        return NULL;
    }
    if (!pj_type_check(t)) {
        Py_DECREF(t);
        PyErr_Format(PyExc_TypeError, "pyjit: no type for %s", symbol);
        return NULL;
    }
    int32_t *cell = PyMem_RawMalloc(sizeof(int32_t));
    if (cell == NULL) {
        Py_DECREF(t);
        PyErr_NoMemory();
        return NULL;
    }
    *cell = ((PjType *)t)->code;
    Py_DECREF(t);                   /* types are interned for good */
    cap = PyCapsule_New(cell, NULL, NULL);
    if (cap == NULL || PyDict_SetItemString(cells, symbol, cap) < 0) {
        Py_XDECREF(cap);
        PyMem_RawFree(cell);
        return NULL;
    }
    Py_DECREF(cap);                 /* the dict keeps it, and the cell */
    return cell;
}

static void *
cell_of_name(const char *symbol)
{
    return typecode_cell(symbol);
}

const PjNameResolver pj_typecode_names = {
    TC_PREFIX, cell_of_name, "pyjit: a typecode symbol names no type", false};
