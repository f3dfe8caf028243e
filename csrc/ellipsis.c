/*
** ellipsis.c - the ellipsis kind: `...`, which stands in an array index
** for as many ':' as the dimensions the other indices leave (arrays.c
** expands it).  Like None it carries no data: its value is a byte.
*/
#include "pyjit.h"

static void
print_ellipsis(PjBuf *b, PjType *Py_UNUSED(t))
{
    pj_buf_puts(b, "ellipsis");
}

static LLVMTypeRef
ellipsis_llvm_type(PjLower *lw, PjType *Py_UNUSED(t))
{
    return lw->t_i8;
}

static LLVMValueRef
ellipsis_const(PjLower *lw, PyObject *Py_UNUSED(obj), PjType *Py_UNUSED(t))
{
    return LLVMConstInt(lw->t_i8, 0, 0);
}

/* Only `...` itself: there is no other object of its class. */
static PjType *
ellipsis_typeof(PyObject *obj, bool *Py_UNUSED(untypable),
                int Py_UNUSED(depth))
{
    if (obj != Py_Ellipsis) {
        return NULL;
    }
    return pj_type_intern(PJ_TK_ELLIPSIS, 0, 0, NULL, 0, NULL);
}

/* Whether t is the type of `...`. */
bool
pj_type_is_ellipsis(const PjType *t)
{
    return t->kind == PJ_TK_ELLIPSIS;
}

const PjKind pj_kind_ellipsis = {
    .name = "ellipsis",
    .print = print_ellipsis,
    .llvm_type = ellipsis_llvm_type,
    .lower_const = ellipsis_const,
    .typeof = ellipsis_typeof,
};
