/*
** ufuncs.c - NumPy's element-wise functions: np.sqrt, np.sin, np.isnan,
** np.absolute, np.floor...
**
** A ufunc applies its twin (callables.h), a math or builtin function, to
** each element of an array, making a new array of NumPy's result dtype;
** on a number it is the twin itself.  array_ops.c builds the loop over
** the elements (pj_array_elem_call, pj_array_type_map).
*/
#include "pyjit.h"

/* np.floor, ceil, trunc on an element: a float stays a float (NaN
   included), an integer is its own value.  The plan is the twin, whose
   intrinsic rounds. */
static LLVMValueRef
lower_rounding(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    LLVMValueRef v = args[0];
    if (ins->argtys[0]->kind != PJ_TK_FLOAT) {
        return v;
    }
    return pj_lower_intrinsic(lw, ins->plan.fn->impl, LLVMTypeOf(v), &v, 1);
}

static const PjImpl impl_rounding = {"rounding", lower_rounding, false,
                                     false};

/* The dtype NumPy gives a ufunc of floats over elements of type t, whose
   twin gives `r`: a test gives bool; floats and complex numbers keep
   their type; integers give a float that holds them exactly (NumPy's
   float16 for bytes is float32 here). */
static PjType *
float_dtype(PjType *t, PjType *r)
{
    if (r->kind == PJ_TK_BOOL) {
        return r;
    }
    if (t->kind == PJ_TK_FLOAT || t->kind == PJ_TK_COMPLEX) {
        return t;
    }
    return t->kind == PJ_TK_BOOL || t->bits <= 16 ? pj_t.f32 : pj_t.f64;
}

/* fn over an array: e, a copy of the call applied to one element, is
   typed as a call of fn's twin; the array's dtype comes of `dtype`. */
static int
map_elements(PjCompile *cx, PjInstr *ins, const PjCallable *fn,
             PjType *arr, PjType *(*dtype)(PjType *t, PjType *r))
{
    PjInstr *e = pj_array_elem_call(cx, ins);
    PjType *et = arr->elems[0];
    if (e == NULL) {
        return -1;
    }
    int rc = pj_callable_type(cx, e, pj_callable_twin(fn), &et, 1);
    if (rc != 0) {
        return rc;
    }
    return pj_array_type_map(cx, ins, e, arr, dtype(et, e->resty));
}

/* fn(x): over an array, each element, in an array of the dtype `dtype`
   gives; on a number, the twin. */
static int
type_ufunc(PjCompile *cx, PjInstr *ins, const PjCallable *fn,
           PjType **args, int n, PjType *(*dtype)(PjType *t, PjType *r))
{
    if (n != 1) {
        return 1;
    }
    if (args[0]->kind != PJ_TK_ARRAY) {
        return pj_callable_type(cx, ins, pj_callable_twin(fn), args, n);
    }
    return map_elements(cx, ins, fn, args[0], dtype);
}

/* np.sqrt(x) and the like. */
int
pj_type_ufunc(PjCompile *cx, PjInstr *ins, const PjCallable *fn,
              PjType **args, int n)
{
    return type_ufunc(cx, ins, fn, args, n, float_dtype);
}

/* np.absolute keeps the dtype; of complex numbers, their parts' type. */
static PjType *
abs_dtype(PjType *t, PjType *Py_UNUSED(r))
{
    return t->kind == PJ_TK_COMPLEX ? pj_type_float(t->bits / 2) : t;
}

int
pj_type_ufunc_abs(PjCompile *cx, PjInstr *ins, const PjCallable *fn,
                  PjType **args, int n)
{
    return type_ufunc(cx, ins, fn, args, n, abs_dtype);
}

/* np.floor, np.ceil, np.trunc of an array keep its dtype (of a number
   they give a float, which is not supported). */
int
pj_type_ufunc_rounding(PjCompile *cx, PjInstr *ins, const PjCallable *fn,
                       PjType **args, int n)
{
    if (n != 1 || args[0]->kind != PJ_TK_ARRAY) {
        return 1;
    }
    PjType *et = args[0]->elems[0];
    if (!pj_type_is_real(et)) {
        return 1;
    }
    PjInstr *e = pj_array_elem_call(cx, ins);
    PjPlan twin = {.fn = pj_callable_twin(fn)};
    if (e == NULL
        || pj_choose_plan(cx, e, &impl_rounding, et, &et, 1, twin) < 0) {
        return -1;
    }
    return pj_array_type_map(cx, ins, e, args[0], et);
}
