/*
** library.c - the NumPy library written in Python (pyjit/_numpy.py), and
** the intrinsics it is written with.
**
** pyjit compiles the library's functions like user code, on first use and
** for the types of each call, and links them into their callers.  The
** library maps each NumPy callable and each array method it implements to
** the dispatcher of its implementation.  A few things the Python cannot
** say are intrinsics here (_sum_zero, _sum_one, _mean_zero: the 0 or 1 a
** sum or mean of these elements starts from, in NumPy's accumulator type;
** _axis_index: an axis checked against the dimensions, with NumPy's
** AxisError; _drop_axis: a shape without one of its dimensions;
** _holds_integers: whether an array's dtype is an integer or bool, a
** constant).
*/
#include "pyjit.h"

#include <string.h>

/* The NumPy functions written in Python (pyjit/_numpy.py), loaded when
   compiled code first names a callable that is not a builtin. */
static int
load_library(void)
{
    if (pj_state->library != NULL) {
        return 0;
    }
    PyObject *mod = PyImport_ImportModule("pyjit._numpy");
    PyObject *lib = mod ? PyObject_CallMethod(mod, "library", NULL) : NULL;
    Py_XDECREF(mod);
    if (lib == NULL) {
        return -1;
    }
    PyObject *functions, *methods;
    if (!PyArg_ParseTuple(lib, "O!O!", &PyDict_Type, &functions,
                          &PyDict_Type, &methods)) {
        Py_DECREF(lib);
        return -1;
    }
    pj_state->library = Py_NewRef(functions);
    pj_state->library_methods = Py_NewRef(methods);
    Py_DECREF(lib);
    return 0;
}

/* The dispatcher implementing a NumPy callable, or NULL (borrowed). */
PyObject *
pj_library_function(PyObject *callable)
{
    if (load_library() < 0) {
        PyErr_Clear();
        return NULL;
    }
    PyObject *d = PyDict_GetItemWithError(pj_state->library, callable);
    if (d == NULL) {
        PyErr_Clear();          /* unhashable: not a library function */
    }
    return d;
}

/* The dispatcher implementing self.name(...), or NULL (borrowed): the
   library's methods are array methods. */
PyObject *
pj_library_method(PjType *self, const char *name)
{
    if (self->kind != PJ_TK_ARRAY || load_library() < 0) {
        PyErr_Clear();
        return NULL;
    }
    PyObject *d = PyDict_GetItemString(pj_state->library_methods, name);
    return d;
}

/* Whether a dispatcher is one of the library's (pyjit/_numpy.py and
   pyjit/_np_*.py, their helpers included): code the user did not
   write. */
bool
pj_library_owns(PyObject *disp)
{
    const char *module = PyUnicode_AsUTF8(
        pj_dispatcher_info(disp)->module_name);
    return module != NULL && (strcmp(module, "pyjit._numpy") == 0
                              || strncmp(module, "pyjit._np_", 10) == 0);
}

/* --- the intrinsics the library is written with --- */

/* The type NumPy sums elements of type t in: small integers and bool
   widen to 64 bits, floats and complex numbers stay as they are. */
static PjType *
sum_type(PjType *t)
{
    switch (t->kind) {
    case PJ_TK_BOOL:
    case PJ_TK_INT: return pj_t.i64;
    case PJ_TK_UINT: return pj_t.u64;
    default: return t;
    }
}

static LLVMValueRef
lower_sum_zero(PjLower *lw, PjInstr *ins, LLVMValueRef *Py_UNUSED(args))
{
    return LLVMConstNull(pj_lower_type(lw, ins->resty));
}

static const PjImpl impl_sum_zero = {"sum_zero", lower_sum_zero, false, false};

static LLVMValueRef
lower_sum_one(PjLower *lw, PjInstr *ins, LLVMValueRef *Py_UNUSED(args))
{
    return pj_lower_convert(lw, LLVMConstInt(lw->t_i64, 1, 0), pj_t.i64,
                            ins->resty);
}

static const PjImpl impl_sum_one = {"sum_one", lower_sum_one, false, false};

/* _axis_index(axis, ndim), for the library's reductions along an axis:
   the dimension the axis names (negative counts from the end), or
   NumPy's AxisError, with NumPy's message, when there is none. */
static LLVMValueRef
lower_axis_index(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    LLVMValueRef axis = pj_lower_convert(lw, args[0], ins->argtys[0],
                                         pj_t.i64);
    LLVMValueRef nd = pj_lower_convert(lw, args[1], ins->argtys[1],
                                       pj_t.i64);
    LLVMValueRef neg = LLVMBuildICmp(lw->b, LLVMIntSLT, axis, pj_i64(lw, 0),
                                     "");
    LLVMValueRef k = LLVMBuildSelect(lw->b, neg, LLVMBuildAdd(lw->b, axis, nd,
                                                              ""), axis, "");
    LLVMTypeRef p[2] = {lw->t_i64, lw->t_i64};
    LLVMValueRef a[2] = {axis, nd};
    pj_lower_raise_if(lw, LLVMBuildICmp(lw->b, LLVMIntUGE, k, nd, ""),
                      "pj_rt_raise_axis_error", p, a, 2);
    return k;
}

static const PjImpl impl_axis_index = {"axis_index", lower_axis_index, true,
                                       false};

/* _drop_axis(shape, k): the shape without dimension k (0 <= k < len),
   the shape of a reduction along k. */
static LLVMValueRef
lower_drop_axis(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    LLVMValueRef k = pj_lower_convert(lw, args[1], ins->argtys[1], pj_t.i64);
    LLVMValueRef res = LLVMGetUndef(pj_lower_type(lw, ins->resty));
    for (int j = 0; j < ins->resty->count; j++) {
        LLVMValueRef keep = LLVMBuildICmp(lw->b, LLVMIntSGT, k, pj_i64(lw, j),
                                          "");
        LLVMValueRef here = LLVMBuildExtractValue(lw->b, args[0],
                                                  (unsigned)j, "");
        LLVMValueRef next = LLVMBuildExtractValue(lw->b, args[0],
                                                  (unsigned)j + 1, "");
        LLVMValueRef d = LLVMBuildSelect(lw->b, keep, here, next, "");
        res = LLVMBuildInsertValue(lw->b, res, d, (unsigned)j, "");
    }
    return res;
}

static const PjImpl impl_drop_axis = {"drop_axis", lower_drop_axis, false,
                                      false};

int
pj_type_drop_axis(PjCompile *cx, PjInstr *ins, const PjCallable *Py_UNUSED(fn),
                  PjType **bound, int n)
{
    if (n != 2 || bound[0]->kind != PJ_TK_UNITUPLE
        || bound[0]->elems[0] != pj_t.i64 || !pj_type_is_integer(bound[1])) {
        return 1;
    }
    PjType *items[PJ_MAX_ARGS];
    for (int j = 0; j < bound[0]->count - 1; j++) {
        items[j] = pj_t.i64;
    }
    PjType *res = pj_type_tuple(items, bound[0]->count - 1);
    return res ? pj_choose(cx, ins, &impl_drop_axis, res, bound, 2) : -1;
}

/* _sum_zero(a), _sum_one(a), _mean_zero(a): 0 or 1 of the type NumPy
   accumulates a's elements in (a mean of integers in float64). */
static int
type_accumulator(PjCompile *cx, PjInstr *ins, PjType **args, int n,
                 const PjImpl *impl, bool mean)
{
    if (n != 1 || args[0]->kind != PJ_TK_ARRAY) {
        return 1;
    }
    PjType *t = sum_type(args[0]->elems[0]);
    if (mean && pj_type_is_integer(t)) {
        t = pj_t.f64;
    }
    return pj_choose(cx, ins, impl, t, args, 1);
}

int
pj_type_sum_zero(PjCompile *cx, PjInstr *ins, const PjCallable *Py_UNUSED(fn),
                 PjType **args, int n)
{
    return type_accumulator(cx, ins, args, n, &impl_sum_zero, false);
}

int
pj_type_sum_one(PjCompile *cx, PjInstr *ins, const PjCallable *Py_UNUSED(fn),
                PjType **args, int n)
{
    return type_accumulator(cx, ins, args, n, &impl_sum_one, false);
}

int
pj_type_mean_zero(PjCompile *cx, PjInstr *ins,
                  const PjCallable *Py_UNUSED(fn), PjType **args, int n)
{
    return type_accumulator(cx, ins, args, n, &impl_sum_zero, true);
}

int
pj_type_axis_index(PjCompile *cx, PjInstr *ins,
                   const PjCallable *Py_UNUSED(fn), PjType **args, int n)
{
    if (n != 2 || !pj_type_is_integer(args[0])
        || !pj_type_is_integer(args[1])) {
        return 1;
    }
    cx->can_raise = true;       /* AxisError */
    return pj_choose(cx, ins, &impl_axis_index, pj_t.i64, args, 2);
}

/* _holds_integers(a): a constant, decided by a's dtype. */
static LLVMValueRef
lower_holds_integers(PjLower *lw, PjInstr *ins,
                     LLVMValueRef *Py_UNUSED(args))
{
    PjType *t = ins->argtys[0]->elems[0];
    return LLVMConstInt(pj_lower_type(lw, pj_t.boolean),
                        pj_type_is_integer(t) || t->kind == PJ_TK_BOOL, 0);
}

static const PjImpl impl_holds_integers = {"holds_integers",
                                           lower_holds_integers, false,
                                           false};

int
pj_type_holds_integers(PjCompile *cx, PjInstr *ins,
                       const PjCallable *Py_UNUSED(fn), PjType **args, int n)
{
    if (n != 1 || args[0]->kind != PJ_TK_ARRAY) {
        return 1;
    }
    return pj_choose(cx, ins, &impl_holds_integers, pj_t.boolean, args, 1);
}
