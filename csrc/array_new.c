/*
** array_new.c - NumPy's functions that make arrays: np.empty, zeros,
** ones, full and their *_like forms, arange, copy.
**
** Each takes a shape (an int or a tuple of ints) or an array to copy the
** shape of, and a dtype: a NumPy scalar class (np.float32), a Python
** class (float), a string ("int16").  arrays.c builds the array.
*/
#include "pyjit.h"

/* The number type a dtype argument names: np.float32, float, 'int32',
   np.dtype('f8'); NULL if it names none (or is absent: None). */
static PjType *
dtype_named(PjType *t, bool *bad)
{
    *bad = false;
    if (t == NULL || t->kind == PJ_TK_NONE) {
        return NULL;
    }
    if (t->kind == PJ_TK_CLASS) {
        return pj_type_from_code(t->ident);
    }
    if (t->kind == PJ_TK_FUNCTION) {
        switch (t->ident) {
        case PJ_FN_FLOAT: return pj_t.f64;
        case PJ_FN_INT: return pj_t.i64;
        case PJ_FN_BOOL: return pj_t.boolean;
        case PJ_FN_COMPLEX: return pj_t.c128;
        default: break;
        }
    }
    if (t->kind == PJ_TK_STRLIT) {
        PyObject *np = PyImport_ImportModule("numpy");
        PyObject *d = np ? PyObject_CallMethod(np, "dtype", "O", t->obj)
                         : NULL;
        PyObject *cls = d ? PyObject_GetAttrString(d, "type") : NULL;
        PjType *r = cls ? pj_typeof_scalar_class(cls) : NULL;
        Py_XDECREF(np);
        Py_XDECREF(d);
        Py_XDECREF(cls);
        PyErr_Clear();
        if (r != NULL) {
            return r;
        }
    }
    *bad = true;
    return NULL;
}

/* A new array made `how` (PJ_NEW_*), shaped by args[0] or, `like`, by
   the array args[0]; the dtype is args[dtype_at] when it is given. */
static int
type_new(PjCompile *cx, PjInstr *ins, PjType **args, int n, int how,
         bool like, int dtype_at)
{
    if (n < 1 || n > dtype_at + 1) {
        return 1;
    }
    bool bad = false;
    PjType *dtype = n > dtype_at ? dtype_named(args[dtype_at], &bad) : NULL;
    if (bad) {
        cx->why = "the dtype must name a number type (np.float64, float, "
                  "'int32', ...)";
        return 1;
    }
    return pj_array_type_new(cx, ins, how, like, args, n, dtype);
}

#define NEW_ARRAY_TYPER(NAME, HOW, LIKE, DTYPE_AT)                           \
    int                                                                      \
    NAME(PjCompile *cx, PjInstr *ins, const PjCallable *Py_UNUSED(fn),       \
         PjType **args, int n)                                               \
    {                                                                        \
        return type_new(cx, ins, args, n, HOW, LIKE, DTYPE_AT);              \
    }

NEW_ARRAY_TYPER(pj_type_np_empty, PJ_NEW_EMPTY, false, 1)
NEW_ARRAY_TYPER(pj_type_np_zeros, PJ_NEW_ZEROS, false, 1)
NEW_ARRAY_TYPER(pj_type_np_ones, PJ_NEW_ONES, false, 1)
NEW_ARRAY_TYPER(pj_type_np_full, PJ_NEW_FULL, false, 2)
NEW_ARRAY_TYPER(pj_type_np_empty_like, PJ_NEW_EMPTY, true, 1)
NEW_ARRAY_TYPER(pj_type_np_zeros_like, PJ_NEW_ZEROS, true, 1)
NEW_ARRAY_TYPER(pj_type_np_ones_like, PJ_NEW_ONES, true, 1)
NEW_ARRAY_TYPER(pj_type_np_full_like, PJ_NEW_FULL, true, 2)
NEW_ARRAY_TYPER(pj_type_np_arange, PJ_NEW_ARANGE, false, 3)

int
pj_type_np_copy(PjCompile *cx, PjInstr *ins, const PjCallable *Py_UNUSED(fn),
                PjType **args, int n)
{
    return n == 1 ? type_new(cx, ins, args, n, PJ_NEW_COPY, false, 1) : 1;
}
