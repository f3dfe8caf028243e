/*
** array_index.c - indexing an array by an array: a[mask] and
** a[mask] = v with a boolean mask of a's shape.  What the index means is
** decided here, when the function compiles; the work is done by the
** functions of pyjit/_np_index.py (its METHOD_IMPLS), compiled for the
** operands' types and called in place of the operation.
*/
#include "pyjit.h"

/* Calls the library's function; its result is converted to the type
   inference gave the operation. */
static LLVMValueRef
lower_index_call(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *restype;
    LLVMValueRef r = pj_lower_call_callee(lw, (PjCallee *)ins->plan.ptr,
                                          args, &restype);
    return r ? pj_lower_convert(lw, r, restype, ins->resty) : NULL;
}

static const PjImpl impl_index_call = {"index by array", lower_index_call,
                                       true, true};

/* The operation done by the library's array method `name` on operands of
   types args. */
static int
choose_library(PjCompile *cx, PjInstr *ins, const char *name, PjType **args,
               int n)
{
    PyObject *disp = pj_library_method(args[0], name, false);
    if (disp == NULL) {
        PyErr_Format(PyExc_SystemError, "pyjit._np_index has no %s", name);
        return -1;
    }
    PjCallee *callee = cx->type_callee(cx, disp, args, n, cx->reporting);
    if (callee == NULL || callee->restype == NULL) {
        return -1;
    }
    if (callee->depends_on < cx->depends_on) {
        cx->depends_on = callee->depends_on;
    }
    cx->can_raise |= callee->can_raise;
    return pj_choose_plan(cx, ins, &impl_index_call, callee->restype,
                          callee->argtys, n, (PjPlan){.ptr = callee});
}

static bool
is_array(PjType *t)
{
    return t != NULL && t->kind == PJ_TK_ARRAY;
}

/* Whether idx indexes by an array (alone: a[mask]). */
bool
pj_array_index_by_array(PjType *idx)
{
    return is_array(idx);
}

/* A boolean mask must have the array's dimensions: 0 when it does, 1 with
   cx->why set when not. */
static int
check_mask(PjCompile *cx, PjType *arr, PjType *mask)
{
    if (mask->elems[0]->kind != PJ_TK_BOOL) {
        cx->why = "an array index is a boolean mask (integer arrays as "
                  "indices are not supported yet)";
        return 1;
    }
    if (pj_array_ndim(mask) != pj_array_ndim(arr)) {
        cx->why = "a boolean mask index has the indexed array's dimensions";
        return 1;
    }
    return 0;
}

/* a[mask]: a new 1-d array. */
int
pj_array_type_getitem_by_array(PjCompile *cx, PjInstr *ins, PjType *arr,
                               PjType *idx)
{
    int rc = check_mask(cx, arr, idx);
    if (rc != 0) {
        return rc;
    }
    PjType *args[2] = {arr, idx};
    return choose_library(cx, ins, "__getitem_mask__", args, 2);
}

/* a[mask] = v: v a number, or a 1-d array of one value or of one value
   per true element of the mask. */
int
pj_array_type_setitem_by_array(PjCompile *cx, PjInstr *ins, PjType *arr,
                               PjType *idx, PjType *value)
{
    int rc = check_mask(cx, arr, idx);
    if (rc != 0) {
        return rc;
    }
    PjType *args[3] = {arr, idx, value};
    if (pj_type_is_number(value)) {
        return choose_library(cx, ins, "__setitem_mask__", args, 3);
    }
    if (!is_array(value) || pj_array_ndim(value) != 1) {
        cx->why = "NumPy boolean array indexing assignment requires a 0 or "
                  "1-dimensional input";
        return 1;
    }
    return choose_library(cx, ins, "__setitem_mask_array__", args, 3);
}
