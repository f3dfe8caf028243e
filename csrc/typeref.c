/*
** typeref.c - a type passed as a value: Numba's TypeRef.
**
** A pyjit type object that is not a number type (a number type passed is
** dtype.c's class value) may be an argument, as Numba's typeref[T]:
** `make(types.Tuple([float64, int64]))` calling
** `typed.List.empty_list(t)` inside, as pysheds does.  Its type holds the
** type it refers to (elems[0], and obj, which is what it returns to
** Python); each referenced type is a type, and a specialization, of its
** own.  It has no run-time data: what takes a class (List.empty_list,
** Dict.empty) takes it through pj_class_target.
*/
#include "pyjit.h"

static PjType *
type_typeref(PjType *ref)
{
    return pj_type_intern_with(PJ_TK_TYPEREF, 0, &ref, 1, (PyObject *)ref);
}

static void
print_typeref(PjBuf *b, PjType *t)
{
    pj_buf_printf(b, "typeref[%s]", pj_type_str(t->elems[0]));
}

/* The type of obj when it is a pyjit type other than a number type; NULL
   for any other object. */
static PjType *
typeof_typeref(PyObject *obj, bool *Py_UNUSED(untypable),
               int Py_UNUSED(depth))
{
    if (!pj_type_check(obj) || ((PjType *)obj)->code < 0
        || pj_type_is_number((PjType *)obj)) {
        return NULL;
    }
    return type_typeref((PjType *)obj);
}

static bool
typeref_can_box(PjType *Py_UNUSED(t))
{
    return true;
}

/* The type t refers to when t is a type passed as a value, or NULL. */
PjType *
pj_typeref_target(PjType *t)
{
    return t->kind == PJ_TK_TYPEREF ? t->elems[0] : NULL;
}

const PjKind pj_kind_typeref = {
    .name = "typeref",
    .print = print_typeref,
    .llvm_type = pj_function_llvm_type,
    .lower_const = pj_function_lower_const,
    .can_box = typeref_can_box,
    .box = pj_function_box,
    .unbox = pj_function_unbox,
    .typeof = typeof_typeref,
};
