/*
** ufuncs.c - NumPy's element-wise functions: np.sqrt, np.sin, np.isnan,
** np.absolute, np.floor, np.hypot, np.maximum, np.sign...
**
** A ufunc applies its twin (callables.h), a math or builtin function, to
** each element of an array (each pair of elements of two operands that
** broadcast together), making a new array of NumPy's result dtype; on
** numbers it is the twin itself.  A ufunc with a scalar rule of its own
** (np.maximum, np.sign) is its own twin, computed here.  array_ops.c
** builds the loop over the elements (pj_array_elem_call,
** pj_array_type_map).
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
   typed as a call of fn's twin on the element converted to `loop` (if
   not NULL); the array's dtype comes of `dtype`. */
static int
map_elements(PjCompile *cx, PjInstr *ins, const PjCallable *fn,
             PjType *arr, PjType *loop,
             PjType *(*dtype)(PjType *t, PjType *r))
{
    PjInstr *e = pj_array_elem_call(cx, ins);
    PjType *et = loop ? loop : arr->elems[0];
    if (e == NULL) {
        return -1;
    }
    int rc = pj_callable_type(cx, e, pj_callable_twin(fn), &et, 1);
    if (rc != 0) {
        return rc;
    }
    return pj_array_type_map2(cx, ins, e, &arr, 1, loop,
                              dtype(arr->elems[0], e->resty));
}

/* The type a ufunc of floats computes an element of type t in, as
   NumPy's loops do: floats and complex numbers their own, integers a
   float that holds them exactly. */
static PjType *
unary_float_loop(PjType *t)
{
    return float_dtype(t, t->kind == PJ_TK_BOOL ? pj_t.i8 : t);
}

/* The element type of an operand, array or number. */
static PjType *
elem_of(PjType *t)
{
    return pj_type_is_array(t) ? t->elems[0] : t;
}

static PyObject *complex_library;  /* name -> dispatcher, on first use */

/* The function of pyjit/_np_complex.py computing fn on one complex
   number, where fn's twin is a math function of reals; NULL (borrowed,
   no exception) when there is none. */
static PyObject *
complex_element_function(const PjCallable *fn)
{
    PyObject *d = pj_library_named(&complex_library, "pyjit._np_complex",
                                   fn->name);
    PyErr_Clear();
    return d;
}

/* fn over complex arrays or numbers (one or two operands, which
   broadcast together): each element (pair of elements, converted to their
   promoted type) computed by _np_complex.py's function, in an array of
   the dtype `dtype` gives (of the function's result without one); on
   numbers, the function.  1 when there is no such function. */
static int
type_complex_ufunc(PjCompile *cx, PjInstr *ins, const PjCallable *fn,
                   PjType **args, int n,
                   PjType *(*dtype)(PjType *t, PjType *r))
{
    PyObject *disp = complex_element_function(fn);
    if (disp == NULL) {
        return 1;
    }
    bool arrays = pj_type_is_array(args[0])
                  || (n == 2 && pj_type_is_array(args[1]));
    if (!arrays) {
        return pj_library_choose_call(cx, ins, &pj_library_impl, disp, args,
                                      n);
    }
    PjType *loop = elem_of(args[0]);
    if (n == 2) {
        loop = pj_type_numpy_promote(loop, elem_of(args[1]));
    }
    PjInstr *e = pj_array_elem_call(cx, ins);
    PjType *lt[2] = {loop, loop};
    if (e == NULL || loop == NULL) {
        return -1;
    }
    int rc = pj_library_choose_call(cx, e, &pj_library_impl, disp, lt, n);
    if (rc != 0) {
        return rc;
    }
    return pj_array_type_map2(cx, ins, e, args, n, loop,
                              dtype ? dtype(loop, e->resty) : e->resty);
}

/* Whether an operand of fn(args) is complex and _np_complex.py computes
   fn on complex numbers. */
static bool
takes_complex(const PjCallable *fn, PjType **args, int n)
{
    bool complex = false;
    for (int k = 0; k < n; k++) {
        complex |= pj_type_is_complex(elem_of(args[k]));
    }
    return complex && complex_element_function(fn) != NULL;
}

/* fn(x): over an array, each element, in an array of the dtype `dtype`
   gives; on a number, the twin. */
static int
type_ufunc(PjCompile *cx, PjInstr *ins, const PjCallable *fn,
           PjType **args, int n, bool floats,
           PjType *(*dtype)(PjType *t, PjType *r))
{
    if (n != 1) {
        return 1;
    }
    if (takes_complex(fn, args, n)) {
        return type_complex_ufunc(cx, ins, fn, args, n, dtype);
    }
    if (!pj_type_is_array(args[0])) {
        return pj_callable_type(cx, ins, pj_callable_twin(fn), args, n);
    }
    PjType *et = args[0]->elems[0];
    PjType *loop = floats && pj_type_is_number(et) ? unary_float_loop(et)
                                                   : NULL;
    return map_elements(cx, ins, fn, args[0], loop, dtype);
}

/* The type a ufunc of two real operands computes in, as Numba chooses it:
   NumPy's promotion, except that an integer (or bool) meeting a float
   takes the float's type (float32 with int64 is float32).  NULL for
   operands that are not real numbers. */
static PjType *
real_loop(PjType *x, PjType *y)
{
    if (!pj_type_is_real(x) || !pj_type_is_real(y)) {
        return NULL;
    }
    if ((x->kind == PJ_TK_FLOAT) != (y->kind == PJ_TK_FLOAT)) {
        return x->kind == PJ_TK_FLOAT ? x : y;
    }
    return pj_type_numpy_promote(x, y);
}

/* The float type a ufunc of floats over x and y computes in. */
static PjType *
float_loop(PjType *x, PjType *y)
{
    PjType *t = real_loop(x, y);
    return t == NULL ? NULL : unary_float_loop(t);
}

/* fn(x1, x2): with an array among them, each pair of elements (they
   broadcast) converted to the type `loop` gives them, in an array of the
   twin's result type; on two numbers, the twin. */
static int
type_binary(PjCompile *cx, PjInstr *ins, const PjCallable *fn,
            PjType **args, PjType *(*loop)(PjType *x, PjType *y))
{
    if (!pj_type_is_array(args[0]) && !pj_type_is_array(args[1])) {
        return pj_callable_type(cx, ins, pj_callable_twin(fn), args, 2);
    }
    PjType *t = loop(elem_of(args[0]), elem_of(args[1]));
    if (t == NULL) {
        cx->why = "NumPy has no loop for the ufunc on these dtypes";
        return 1;
    }
    PjInstr *e = pj_array_elem_call(cx, ins);
    if (e == NULL) {
        return -1;
    }
    PjType *lt[2] = {t, t};
    int rc = pj_callable_type(cx, e, pj_callable_twin(fn), lt, 2);
    if (rc != 0) {
        return rc;
    }
    return pj_array_type_map2(cx, ins, e, args, 2, t, e->resty);
}

/* np.sqrt(x), np.hypot(x1, x2) and the like. */
int
pj_type_ufunc(PjCompile *cx, PjInstr *ins, const PjCallable *fn,
              PjType **args, int n)
{
    if (n == 2 && pj_callable_arity(fn) == 2) {
        return type_binary(cx, ins, fn, args, float_loop);
    }
    return type_ufunc(cx, ins, fn, args, n, true, float_dtype);
}

/* --- ufuncs that are their own twins --- */

/* np.maximum, minimum, fmax, fmin of two numbers of type t, as NumPy's
   loops compute them: maximum takes x1 when x1 > x2 or x1 is NaN (a NaN
   wins), fmax when x1 >= x2 or x2 is NaN (a NaN loses); which of two
   equal zeros comes out follows from that. */
static LLVMValueRef
lower_extreme(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    int id = ins->plan.fn->id;
    bool larger = id == PJ_FN_NP_MAXIMUM || id == PJ_FN_NP_FMAX;
    bool nan_wins = id == PJ_FN_NP_MAXIMUM || id == PJ_FN_NP_MINIMUM;
    LLVMValueRef a = args[0], b = args[1], take_a;
    PjType *t = ins->argtys[0];
    if (t->kind == PJ_TK_FLOAT) {
        LLVMRealPredicate p = nan_wins ? (larger ? LLVMRealOGT : LLVMRealOLT)
                                       : (larger ? LLVMRealOGE : LLVMRealOLE);
        LLVMValueRef nan = nan_wins ? a : b;
        take_a = LLVMBuildOr(
            lw->b, LLVMBuildFCmp(lw->b, p, a, b, ""),
            LLVMBuildFCmp(lw->b, LLVMRealUNO, nan, nan, ""), "");
    }
    else {
        bool sgn = t->kind == PJ_TK_INT;
        LLVMIntPredicate p = larger ? (sgn ? LLVMIntSGT : LLVMIntUGT)
                                    : (sgn ? LLVMIntSLT : LLVMIntULT);
        take_a = LLVMBuildICmp(lw->b, p, a, b, "");
    }
    return LLVMBuildSelect(lw->b, take_a, a, b, "");
}

static const PjImpl impl_extreme = {"extreme", lower_extreme, false, false};

/* np.fmod: of floats, C's fmod; of integers, the remainder with the sign
   of x1, and 0 when x2 is 0 (as NumPy gives, without its warning). */
static LLVMValueRef
lower_fmod(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *t = ins->argtys[0];
    if (t->kind == PJ_TK_FLOAT) {
        return pj_lower_libm(lw, "fmod", t, args, 2);
    }
    LLVMTypeRef lt = LLVMTypeOf(args[0]);
    LLVMValueRef c0 = LLVMConstInt(lt, 0, 0);
    LLVMValueRef zero = LLVMBuildICmp(lw->b, LLVMIntEQ, args[1], c0, "");
    LLVMValueRef bad = zero;
    if (t->kind == PJ_TK_INT) {     /* INT_MIN % -1 overflows in C */
        bad = LLVMBuildOr(lw->b, zero, LLVMBuildICmp(
            lw->b, LLVMIntEQ, args[1], LLVMConstAllOnes(lt), ""), "");
    }
    LLVMValueRef d = LLVMBuildSelect(lw->b, bad, LLVMConstInt(lt, 1, 0),
                                     args[1], "");
    LLVMValueRef r = t->kind == PJ_TK_INT
                     ? LLVMBuildSRem(lw->b, args[0], d, "")
                     : LLVMBuildURem(lw->b, args[0], d, "");
    return LLVMBuildSelect(lw->b, bad, c0, r, "");
}

static const PjImpl impl_fmod = {"fmod", lower_fmod, false, false};

/* The type np.fmod computes in: booleans as int8. */
static PjType *
fmod_loop(PjType *x, PjType *y)
{
    PjType *t = real_loop(x, y);
    return t != NULL && t->kind == PJ_TK_BOOL ? pj_t.i8 : t;
}

/* fn(x1, x2) of a ufunc that is its own twin: over arrays by
   type_binary, of two numbers computed by impl in the type `loop`
   gives. */
static int
type_own_binary(PjCompile *cx, PjInstr *ins, const PjCallable *fn,
                PjType **args, int n, PjType *(*loop)(PjType *x, PjType *y),
                const PjImpl *impl)
{
    if (n != 2) {
        return 1;
    }
    if (pj_type_is_array(args[0]) || pj_type_is_array(args[1])) {
        return type_binary(cx, ins, fn, args, loop);
    }
    PjType *t = loop(args[0], args[1]);
    if (t == NULL) {
        return 1;
    }
    PjType *argtys[2] = {t, t};
    return pj_choose_plan(cx, ins, impl, t, argtys, 2, (PjPlan){.fn = fn});
}

int
pj_type_ufunc_extreme(PjCompile *cx, PjInstr *ins, const PjCallable *fn,
                      PjType **args, int n)
{
    if (n == 2 && takes_complex(fn, args, n)) {
        return type_complex_ufunc(cx, ins, fn, args, n, NULL);
    }
    return type_own_binary(cx, ins, fn, args, n, real_loop, &impl_extreme);
}

int
pj_type_ufunc_fmod(PjCompile *cx, PjInstr *ins, const PjCallable *fn,
                   PjType **args, int n)
{
    return type_own_binary(cx, ins, fn, args, n, fmod_loop, &impl_fmod);
}

/* np.sign: 1, -1 or 0 in x's type; a float's NaN stays NaN and both zeros
   give 0.0. */
static LLVMValueRef
lower_sign(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    LLVMValueRef x = args[0], pos, neg, zero;
    LLVMTypeRef lt = LLVMTypeOf(x);
    if (ins->argtys[0]->kind == PJ_TK_FLOAT) {
        LLVMValueRef c0 = LLVMConstReal(lt, 0.0);
        pos = LLVMBuildFCmp(lw->b, LLVMRealOGT, x, c0, "");
        neg = LLVMBuildFCmp(lw->b, LLVMRealOLT, x, c0, "");
        zero = LLVMBuildSelect(
            lw->b, LLVMBuildFCmp(lw->b, LLVMRealUNO, x, x, ""), x, c0, "");
        return LLVMBuildSelect(
            lw->b, pos, LLVMConstReal(lt, 1.0),
            LLVMBuildSelect(lw->b, neg, LLVMConstReal(lt, -1.0), zero, ""),
            "");
    }
    LLVMValueRef c0 = LLVMConstInt(lt, 0, 0);
    bool sgn = ins->argtys[0]->kind == PJ_TK_INT;
    pos = LLVMBuildICmp(lw->b, sgn ? LLVMIntSGT : LLVMIntNE, x, c0, "");
    neg = sgn ? LLVMBuildICmp(lw->b, LLVMIntSLT, x, c0, "")
              : LLVMConstInt(lw->t_i1, 0, 0);
    return LLVMBuildSelect(
        lw->b, pos, LLVMConstInt(lt, 1, 0),
        LLVMBuildSelect(lw->b, neg, LLVMConstAllOnes(lt), c0, ""), "");
}

static const PjImpl impl_sign = {"sign", lower_sign, false, false};

/* The dtype of a ufunc whose twin's result is the element's type. */
static PjType *
twin_dtype(PjType *Py_UNUSED(t), PjType *r)
{
    return r;
}

int
pj_type_ufunc_sign(PjCompile *cx, PjInstr *ins, const PjCallable *fn,
                   PjType **args, int n)
{
    if (n != 1) {
        return 1;
    }
    if (takes_complex(fn, args, n)) {       /* NumPy 2's z / |z| */
        return type_complex_ufunc(cx, ins, fn, args, n, float_dtype);
    }
    if (pj_type_is_array(args[0])) {
        return map_elements(cx, ins, fn, args[0], NULL, twin_dtype);
    }
    PjType *t = args[0];
    if (!pj_type_is_real(t) || t->kind == PJ_TK_BOOL) {
        cx->why = "np.sign takes numbers other than booleans";
        return 1;
    }
    return pj_choose(cx, ins, &impl_sign, t, &t, 1);
}

/* np.conjugate (np.conj) of a complex number: its imaginary part
   negated; any other number as it is. */
static LLVMValueRef
lower_conjugate(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    if (ins->argtys[0]->kind != PJ_TK_COMPLEX) {
        return args[0];
    }
    LLVMValueRef im = LLVMBuildExtractValue(lw->b, args[0], 1, "");
    return LLVMBuildInsertValue(lw->b, args[0], LLVMBuildFNeg(lw->b, im, ""),
                                1, "");
}

static const PjImpl impl_conjugate = {"conjugate", lower_conjugate, false,
                                      false};

/* Of a number or an array's elements: np.conjugate keeps their type,
   except that NumPy has no loop for booleans, whose first is int8's. */
int
pj_type_ufunc_conjugate(PjCompile *cx, PjInstr *ins, const PjCallable *fn,
                        PjType **args, int n)
{
    if (n != 1 || !pj_type_is_number(elem_of(args[0]))) {
        return 1;
    }
    PjType *t = elem_of(args[0]);
    t = t->kind == PJ_TK_BOOL ? pj_t.i8 : t;
    if (pj_type_is_array(args[0])) {
        return map_elements(cx, ins, fn, args[0], t, twin_dtype);
    }
    return pj_choose(cx, ins, &impl_conjugate, t, &t, 1);
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
    return type_ufunc(cx, ins, fn, args, n, false, abs_dtype);
}

/* np.rint: a ufunc of floats (of integers too), its own twin. */
int
pj_type_ufunc_rint(PjCompile *cx, PjInstr *ins, const PjCallable *fn,
                   PjType **args, int n)
{
    if (n != 1 || !pj_type_is_real(elem_of(args[0]))) {
        return 1;
    }
    PjType *t = unary_float_loop(elem_of(args[0]));
    if (pj_type_is_array(args[0])) {
        return map_elements(cx, ins, fn, args[0], t, float_dtype);
    }
    return pj_choose_plan(cx, ins, &impl_rounding, t, &t, 1,
                          (PjPlan){.fn = fn});
}

/* np.floor, np.ceil, np.trunc keep the type of an array's elements or of
   a number: an integer is its own value. */
int
pj_type_ufunc_rounding(PjCompile *cx, PjInstr *ins, const PjCallable *fn,
                       PjType **args, int n)
{
    if (n == 1 && pj_type_is_real(args[0])) {
        PjType *t = args[0];
        PjPlan twin = {.fn = pj_callable_twin(fn)};
        return pj_choose_plan(cx, ins, &impl_rounding, t, &t, 1, twin);
    }
    if (n != 1 || !pj_type_is_array(args[0])) {
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
