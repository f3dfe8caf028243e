/*
** array_index.c - indexing an array by an array: a[mask] and
** a[mask] = v with a boolean mask of a's shape; a[idx] with a 1-d integer
** array (a new array of a's rows idx), a[idx, :] and a[:, idx] of a 2-d
** array, a[idx] = v of a 1-d array, and a[idx] = v, a[mask] = v of the
** rows of an array of more dimensions; any other index of integer
** arrays and 1-d masks among integers, slices and an ellipsis (NumPy's
** advanced indexing, arrays broadcast together).  What the index means is
** decided here, when the function compiles; the work is done by the
** functions of pyjit/_np_index.py (its METHOD_IMPLS), compiled for the
** operands' types and called in place of the operation.
*/
#include "pyjit.h"

/* The plan: the library's function, and which of a tuple of indices it
   is passed (the integer array of a[idx, :]; -1: the index itself). */
typedef struct {
    PjCallee *callee;
    int elem;
} IndexCall;

/* Calls the library's function; its result is converted to the type
   inference gave the operation. */
static LLVMValueRef
lower_index_call(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    const IndexCall *call = ins->plan.ptr;
    LLVMValueRef passed[3] = {args[0], args[1], ins->nsrc > 2 ? args[2]
                                                              : NULL};
    if (call->elem >= 0) {
        passed[1] = LLVMBuildExtractValue(lw->b, args[1],
                                          (unsigned)call->elem, "");
    }
    PjType *restype;
    LLVMValueRef r = pj_lower_call_callee(lw, call->callee, passed, &restype);
    return r ? pj_lower_convert(lw, r, restype, ins->resty) : NULL;
}

static const PjImpl impl_index_call = {"index by array", lower_index_call,
                                       true, true};

/* The operation done by the library's array method `name` on operands of
   types args, passed the index's item elem (-1: all of it). */
static int
choose_callee(PjCompile *cx, PjInstr *ins, PyObject *disp, PjType **args,
              int n, int elem);

/* The library's array method `name` of the array arr; NULL with a
   SystemError set when the library lacks it. */
static PyObject *
library_method(PjType *arr, const char *name)
{
    PyObject *disp = pj_library_method(arr, name, false);
    if (disp == NULL) {
        PyErr_Format(PyExc_SystemError, "pyjit._np_index has no %s", name);
    }
    return disp;
}

static int
choose_library(PjCompile *cx, PjInstr *ins, const char *name, PjType **args,
               int n, int elem)
{
    PyObject *disp = library_method(args[0], name);
    return disp ? choose_callee(cx, ins, disp, args, n, elem) : -1;
}

/* The call of the library's dispatcher disp on operands of types args. */
static int
choose_callee(PjCompile *cx, PjInstr *ins, PyObject *disp, PjType **args,
              int n, int elem)
{
    IndexCall *call = PJ_NEW(cx->arena, IndexCall);
    if (call == NULL) {
        return -1;
    }
    PjType *passed[3] = {args[0], elem < 0 ? args[1]
                                           : pj_type_elem(args[1], elem),
                         n > 2 ? args[2] : NULL};
    PjCallee *callee = cx->type_callee(cx, disp, passed, n, cx->reporting);
    if (callee == NULL || callee->restype == NULL) {
        return -1;
    }
    call->callee = callee;
    call->elem = elem;
    /* the operands as the callee takes them; a tuple of indices as is */
    PjType *argtys[3] = {callee->argtys[0],
                         elem < 0 ? callee->argtys[1] : args[1],
                         n > 2 ? callee->argtys[2] : NULL};
    if (callee->depends_on < cx->depends_on) {
        cx->depends_on = callee->depends_on;
    }
    cx->can_raise |= callee->can_raise;
    return pj_choose_plan(cx, ins, &impl_index_call, callee->restype,
                          argtys, n, (PjPlan){.ptr = call});
}

static bool
is_array(PjType *t)
{
    return t != NULL && pj_type_is_array(t);
}

static bool
is_mask(PjType *t)
{
    return is_array(t) && t->elems[0]->kind == PJ_TK_BOOL;
}

static bool
is_int_vector(PjType *t)
{
    return is_array(t) && pj_type_is_integer(t->elems[0])
           && pj_array_ndim(t) == 1;
}

static bool
is_whole_slice(PjType *t)
{
    return pj_type_is_slice(t) && t->ident == 0;
}

/* Whether idx indexes by an array: alone, or among a tuple's indices. */
bool
pj_array_index_by_array(PjType *idx)
{
    if (idx != NULL && pj_type_is_tuple(idx)) {
        for (int k = 0; k < idx->count; k++) {
            if (is_array(pj_type_elem(idx, k))) {
                return true;
            }
        }
    }
    return is_array(idx);
}

static bool
is_vector_mask(PjType *t)
{
    return is_mask(t) && pj_array_ndim(t) == 1;
}

/* The getter of a row (or column) selection: by index or by mask. */
static const char *
selection_getter(PjType *sel, const char *by_index, const char *by_mask)
{
    if (is_int_vector(sel)) {
        return by_index;
    }
    return is_vector_mask(sel) ? by_mask : NULL;
}

/* a[idx, j] and a[i, idx] of a 2-d array, idx integers or a 1-d mask,
   the other an integer: the whole tuple goes to the library. */
static const char *
point_getter(PjType *rows, PjType *cols)
{
    if (pj_type_is_integer(cols)) {
        return selection_getter(rows, "__getitem_take_at__",
                                "__getitem_mask_at__");
    }
    if (pj_type_is_integer(rows)) {
        return selection_getter(cols, "__getitem_at_take__",
                                "__getitem_at_mask__");
    }
    return NULL;
}

/* Whether idx is a tuple of integers and slices and one 1-d integer
   array or mask, no longer than arr's dimensions. */
static bool
is_one_advanced(PjType *arr, PjType *idx)
{
    if (!pj_type_is_tuple(idx) || idx->count > pj_array_ndim(arr)) {
        return false;
    }
    int arrays = 0;
    for (int k = 0; k < idx->count; k++) {
        PjType *t = pj_type_elem(idx, k);
        if (is_int_vector(t) || is_vector_mask(t)) {
            arrays++;
        }
        else if (!pj_type_is_integer(t) && !pj_type_is_slice(t)) {
            return false;
        }
    }
    return arrays == 1;
}

/* The library's method reading a[idx] for a 1-d integer array or mask
   idx, and the item of idx it is passed (-1: all of it); NULL for other
   indices. */
static const char *
take_getter(PjType *arr, PjType *idx, int *elem)
{
    *elem = -1;
    const char *name = selection_getter(idx, "__getitem_take__",
                                        "__getitem_take_mask__");
    if (name != NULL) {
        return name;
    }
    if (pj_type_is_tuple(idx) && idx->count == 2
        && pj_array_ndim(arr) == 2) {
        PjType *rows = pj_type_elem(idx, 0), *cols = pj_type_elem(idx, 1);
        if (is_whole_slice(cols)
            && (name = selection_getter(rows, "__getitem_take__",
                                        "__getitem_take_mask__"))) {
            *elem = 0;
            return name;
        }
        if (is_whole_slice(rows)
            && (name = selection_getter(cols, "__getitem_take_columns__",
                                        "__getitem_columns_mask__"))) {
            *elem = 1;
            return name;
        }
        if ((name = point_getter(rows, cols)) != NULL) {
            return name;
        }
    }
    if (is_one_advanced(arr, idx)) {
        return "__getitem_advanced__";
    }
    return NULL;
}

static bool
is_int_array(PjType *t)
{
    return is_array(t) && pj_type_is_integer(t->elems[0])
           && pj_array_ndim(t) > 0;
}

/* Whether idx is one of NumPy's other advanced indices, which the
   library's __getitem_fancy__ and __setitem_fancy read and write: an
   integer array of any dimensions, or a tuple of integers, slices, at
   most one ellipsis, integer arrays and 1-d masks with at least one
   array, indexing no more dimensions than arr has. */
static bool
is_fancy(PjType *arr, PjType *idx)
{
    if (!pj_type_is_tuple(idx)) {
        return is_int_array(idx);
    }
    int arrays = 0, dims = 0, ellipses = 0;
    for (int k = 0; k < idx->count; k++) {
        PjType *t = pj_type_elem(idx, k);
        if (is_int_array(t) || is_vector_mask(t)) {
            arrays++;
        }
        else if (pj_type_is_ellipsis(t)) {
            ellipses++;
            continue;
        }
        else if (!pj_type_is_integer(t) && !pj_type_is_slice(t)) {
            return false;
        }
        dims++;
    }
    return arrays > 0 && ellipses <= 1 && dims <= pj_array_ndim(arr);
}

static const char *const fancy_why =
    "an array index is an integer array, a boolean mask of the array's "
    "shape, or a tuple of integers, slices, an ellipsis, integer arrays "
    "and 1-d boolean masks indexing no more dimensions than the array "
    "has";

/* A boolean mask must have the array's dimensions: 0 when it does, 1 with
   cx->why set when not. */
static int
check_mask(PjCompile *cx, PjType *arr, PjType *mask)
{
    if (pj_array_ndim(mask) != pj_array_ndim(arr)) {
        cx->why = "a boolean mask index has the indexed array's dimensions";
        return 1;
    }
    return 0;
}

/* a[mask]: a new 1-d array; a[idx], a[idx, :], a[:, idx], a[idx, j],
   a[i, idx] (idx integers or a 1-d mask selecting rows or columns): a new
   array. */
int
pj_array_type_getitem_by_array(PjCompile *cx, PjInstr *ins, PjType *arr,
                               PjType *idx)
{
    PjType *args[2] = {arr, idx};
    bool selects_rows = is_vector_mask(idx) && pj_array_ndim(arr) > 1;
    if (is_mask(idx) && !selects_rows) {
        int rc = check_mask(cx, arr, idx);
        return rc ? rc
                  : choose_library(cx, ins, "__getitem_mask__", args, 2, -1);
    }
    int elem;
    const char *name = take_getter(arr, idx, &elem);
    if (name != NULL) {
        return choose_library(cx, ins, name, args, 2, elem);
    }
    if (is_fancy(arr, idx)) {
        return choose_library(cx, ins, "__getitem_fancy__", args, 2, -1);
    }
    cx->why = fancy_why;
    return 1;
}

/* v stored by the method `name` (a number) or name_array (a 1-d array);
   why_not says what else v may not be. */
static int
choose_store(PjCompile *cx, PjInstr *ins, const char *name, PjType **args,
             const char *why_not)
{
    char key[64];
    if (pj_type_is_number(args[2])) {
        return choose_library(cx, ins, name, args, 3, -1);
    }
    if (!is_array(args[2]) || pj_array_ndim(args[2]) != 1) {
        cx->why = why_not;
        return 1;
    }
    snprintf(key, sizeof(key), "%s_array", name);
    return choose_library(cx, ins, key, args, 3, -1);
}

/* a[idx] = v and a[mask] = v of an array of more than one dimension,
   idx a 1-d integer array or mask selecting rows: v a number or an
   array that broadcasts to the rows selected. */
static int
choose_row_store(PjCompile *cx, PjInstr *ins, PjType **args)
{
    PjType *value = args[2];
    if (!pj_type_is_number(value)
        && !(is_array(value) && pj_type_is_number(value->elems[0])
             && pj_array_ndim(value) <= pj_array_ndim(args[0]))) {
        cx->why = "the value stored into rows a[idx] is a number or an "
                  "array of no more dimensions than a";
        return 1;
    }
    return choose_library(cx, ins, is_mask(args[1]) ? "__setitem_mask_rows"
                                                    : "__setitem_take_rows",
                          args, 3, -1);
}

/* a[index] = v for the other advanced indices (is_fancy), v a number or
   an array of numbers. */
static int
store_fancy(PjCompile *cx, PjInstr *ins, PjType **args)
{
    if (!is_fancy(args[0], args[1])) {
        cx->why = fancy_why;
        return 1;
    }
    PjType *v = args[2];
    if (!pj_type_is_number(v)
        && !(is_array(v) && pj_type_is_number(v->elems[0]))) {
        cx->why = "the value stored by an array index is a number or an "
                  "array of numbers";
        return 1;
    }
    return choose_library(cx, ins, "__setitem_fancy", args, 3, -1);
}

/* a[mask] = v and a[idx] = v of a 1-d array: v a number, or a 1-d array
   of one value or of one value per element stored; a[idx] = v and
   a[mask] = v with a 1-d idx or mask selecting rows of an array of more
   dimensions. */
int
pj_array_type_setitem_by_array(PjCompile *cx, PjInstr *ins, PjType *arr,
                               PjType *idx, PjType *value)
{
    PjType *args[3] = {arr, idx, value};
    if ((is_int_vector(idx) || is_vector_mask(idx))
        && pj_array_ndim(arr) > 1) {
        return choose_row_store(cx, ins, args);
    }
    if (is_mask(idx)) {
        int rc = check_mask(cx, arr, idx);
        return rc ? rc : choose_store(cx, ins, "__setitem_mask", args,
                                      "NumPy boolean array indexing "
                                      "assignment requires a 0 or "
                                      "1-dimensional input");
    }
    if (!is_int_vector(idx) || pj_array_ndim(arr) != 1) {
        return store_fancy(cx, ins, args);
    }
    return choose_store(cx, ins, "__setitem_take", args,
                        "the value is a number or a 1-d array");
}

/* Whether v is a tuple or a list of numbers, stored element by element
   into a 1-d view: a[:2] = (x, y), m[i] = [x, y]. */
bool
pj_array_value_is_sequence(PjType *v)
{
    return (pj_type_is_unituple(v) || pj_type_is_list(v))
           && pj_type_is_number(v->elems[0]);
}

/* a[view index] = (x, y, ...) or [x, y, ...]: the library stores the
   sequence's items into the 1-d view a[idx], one per element. */
int
pj_array_type_setitem_sequence(PjCompile *cx, PjInstr *ins, PjType *arr,
                               PjType *idx, PjType *value)
{
    PjType *args[3] = {arr, idx, value};
    return choose_library(cx, ins, "__setitem_sequence", args, 3, -1);
}

/* x in a, x not in a: whether some element of the array a equals the
   number x (operands in the operator's order, x first). */
int
pj_array_type_contains(PjCompile *cx, PjInstr *ins, PjType *x, PjType *arr)
{
    if (!pj_type_is_number(x) || !pj_type_is_number(arr->elems[0])) {
        cx->why = "x in a compares a number with an array's numbers";
        return 1;
    }
    PyObject *disp = library_method(arr, ins->sub == PJ_CMP_IN
                                         ? "__contains_in" : "__not_in");
    PjType *args[2] = {x, arr};
    return disp ? choose_callee(cx, ins, disp, args, 2, -1) : -1;
}
