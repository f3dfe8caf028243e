/*
** math.c - the math and cmath modules.
**
** Each function is a row of callables.h whose IMPL says what computes it:
** an LLVM intrinsic ("llvm.sqrt"), which LLVM may turn into an instruction
** or a call to the C math library, or a C math library function ("tan",
** "tanf" for float32, as the target names it) called directly.  The typers
** here are shared by the rows of a family: pj_type_math takes real numbers
** (integers computed as float64, float32 kept) and gives a float.  As in
** Numba, domain errors give NaN or infinities where CPython's raise
** ValueError; floor, ceil and trunc give integers and raise on NaN and
** infinities, as CPython does.
*/
#include "pyjit.h"

#include <stdio.h>
#include <string.h>

/* --- calling the C math library (target.c names it) --- */

/* The libm function `name` (sin, atan2...) of n arguments of float type
   t: sinf for float32. */
LLVMValueRef
pj_lower_libm(PjLower *lw, const char *name, PjType *t, LLVMValueRef *args,
              int n)
{
    PjTarget *target = lw->cx->target;
    char fname[32];
    target->libm_name(fname, sizeof(fname), name, t->bits);
    LLVMTypeRef lt = pj_lower_type(lw, t);
    LLVMTypeRef params[2] = {lt, lt};
    LLVMValueRef r = pj_lower_call_c(lw, fname, lt, params, args, n, true);
    target->after_libm_call(lw);
    return r;
}

/* fn's IMPL on args of float type t. */
static LLVMValueRef
compute(PjLower *lw, const PjCallable *fn, PjType *t, LLVMValueRef *args,
        int n)
{
    if (strncmp(fn->impl, "llvm.", 5) != 0) {
        return pj_lower_libm(lw, fn->impl, t, args, n);
    }
    LLVMValueRef r = pj_lower_intrinsic(lw, fn->impl, LLVMTypeOf(args[0]),
                                        args, n);
    if (lw->cx->target->calls_libm(fn->impl)) {
        lw->cx->target->after_libm_call(lw);
    }
    return r;
}

/* --- math --- */

/* The float type math functions compute in: float32 stays float32. */
static PjType *
float_of(PjType *t)
{
    return t->kind == PJ_TK_FLOAT ? t : pj_t.f64;
}

static bool
all_real(PjType **args, int n)
{
    for (int i = 0; i < n; i++) {
        if (!pj_type_is_real(args[i])) {
            return false;
        }
    }
    return true;
}

/* The plan is the function. */
static LLVMValueRef
lower_math(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    return compute(lw, ins->plan.fn, ins->argtys[0], args,
                   ins->call->nparams);
}

static const PjImpl impl_math = {"math", lower_math, false, false};

/* Chooses fn's computation on the float type its real arguments unify
   to. */
static int
choose_float(PjCompile *cx, PjInstr *ins, const PjImpl *impl,
             const PjCallable *fn, PjType **args, int n)
{
    PjType *t = float_of(args[0]);
    for (int i = 1; i < n; i++) {
        t = pj_type_unify(t, float_of(args[i]));
    }
    PjType *argtys[2] = {t, t};
    return pj_choose_plan(cx, ins, impl, t, argtys, n, (PjPlan){.fn = fn});
}

/* sqrt, exp, sin, atan2...: as many real arguments as fn has
   parameters. */
int
pj_type_math(PjCompile *cx, PjInstr *ins, const PjCallable *fn,
             PjType **args, int n)
{
    if (n != pj_callable_arity(fn) || !all_real(args, n)) {
        return 1;
    }
    return choose_float(cx, ins, &impl_math, fn, args, n);
}

/* log(x, base) is log(x) / log(base). */
static LLVMValueRef
lower_log(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    LLVMValueRef lx = pj_lower_intrinsic(lw, "llvm.log", LLVMTypeOf(args[0]),
                                         args, 1);
    if (ins->call->nparams == 1) {
        return lx;
    }
    LLVMValueRef lb = pj_lower_intrinsic(lw, "llvm.log", LLVMTypeOf(args[1]),
                                         args + 1, 1);
    return pj_lower_fp(lw, LLVMBuildFDiv(lw->b, lx, lb, ""));
}

static const PjImpl impl_log = {"log", lower_log, false, false};

int
pj_type_log(PjCompile *cx, PjInstr *ins, const PjCallable *fn, PjType **args,
            int n)
{
    if (n < 1 || n > 2 || !all_real(args, n)) {
        return 1;
    }
    return choose_float(cx, ins, &impl_log, fn, args, n);
}

/* radians(x), degrees(x): x times num / den, that ratio computed in x's
   precision, as NumPy's float32 loops compute it. */
static LLVMValueRef
scale(PjLower *lw, LLVMValueRef x, double num, double den)
{
    LLVMTypeRef t = LLVMTypeOf(x);
    double k = t == lw->t_f32 ? (double)((float)num / (float)den)
                              : num / den;
    return pj_lower_fp(lw, LLVMBuildFMul(lw->b, x, LLVMConstReal(t, k), ""));
}

static LLVMValueRef
lower_radians(PjLower *lw, PjInstr *Py_UNUSED(ins), LLVMValueRef *args)
{
    return scale(lw, args[0], 3.141592653589793, 180.0);
}

static LLVMValueRef
lower_degrees(PjLower *lw, PjInstr *Py_UNUSED(ins), LLVMValueRef *args)
{
    return scale(lw, args[0], 180.0, 3.141592653589793);
}

static const PjImpl impl_radians = {"radians", lower_radians, false, false};
static const PjImpl impl_degrees = {"degrees", lower_degrees, false, false};

int
pj_type_radians(PjCompile *cx, PjInstr *ins, const PjCallable *fn,
                PjType **args, int n)
{
    return n == 1 && all_real(args, n)
           ? choose_float(cx, ins, &impl_radians, fn, args, n) : 1;
}

int
pj_type_degrees(PjCompile *cx, PjInstr *ins, const PjCallable *fn,
                PjType **args, int n)
{
    return n == 1 && all_real(args, n)
           ? choose_float(cx, ins, &impl_degrees, fn, args, n) : 1;
}

/* floor, ceil, trunc of a float: an int64, raising on NaN and
   infinities. */
static LLVMValueRef
lower_to_int(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    return pj_float_index_result(lw, ins, lower_math(lw, ins, args));
}

static const PjImpl impl_to_int = {"math", lower_to_int, true, false};

int
pj_type_math_to_int(PjCompile *cx, PjInstr *ins, const PjCallable *fn,
                    PjType **args, int n)
{
    if (n != 1 || !pj_type_is_real(args[0])) {
        return 1;
    }
    if (args[0]->kind != PJ_TK_FLOAT) {
        return pj_type_to_int64(cx, ins, args[0]);  /* an integer already */
    }
    return pj_choose_plan(cx, ins, &impl_to_int, pj_t.i64, args, 1,
                          (PjPlan){.fn = fn});
}

/* isnan, isinf, isfinite: of an integer, False, False and True. */
static LLVMValueRef
lower_isnan(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    LLVMValueRef x = args[0];
    if (ins->argtys[0]->kind != PJ_TK_FLOAT) {
        return LLVMConstInt(lw->t_i1, 0, 0);
    }
    return LLVMBuildFCmp(lw->b, LLVMRealUNO, x, x, "");
}

/* |x| compared with infinity: equal for isinf, less for isfinite. */
static LLVMValueRef
compare_inf(PjLower *lw, PjInstr *ins, LLVMValueRef x, LLVMRealPredicate p,
            bool of_int)
{
    if (ins->argtys[0]->kind != PJ_TK_FLOAT) {
        return LLVMConstInt(lw->t_i1, of_int, 0);
    }
    LLVMValueRef ax = pj_lower_intrinsic(lw, "llvm.fabs", LLVMTypeOf(x), &x,
                                         1);
    LLVMValueRef inf = LLVMConstReal(LLVMTypeOf(x), __builtin_inf());
    return LLVMBuildFCmp(lw->b, p, ax, inf, "");
}

static LLVMValueRef
lower_isinf(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    return compare_inf(lw, ins, args[0], LLVMRealOEQ, false);
}

static LLVMValueRef
lower_isfinite(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    return compare_inf(lw, ins, args[0], LLVMRealOLT, true);
}

static const PjImpl impl_isnan = {"isnan", lower_isnan, false, false};
static const PjImpl impl_isinf = {"isinf", lower_isinf, false, false};
static const PjImpl impl_isfinite = {"isfinite", lower_isfinite, false,
                                     false};

static int
type_test(PjCompile *cx, PjInstr *ins, const PjImpl *impl, PjType **args,
          int n)
{
    if (n != 1 || !pj_type_is_real(args[0])) {
        return 1;
    }
    return pj_choose(cx, ins, impl, pj_t.boolean, args, 1);
}

int
pj_type_isnan(PjCompile *cx, PjInstr *ins, const PjCallable *Py_UNUSED(fn),
              PjType **args, int n)
{
    return type_test(cx, ins, &impl_isnan, args, n);
}

int
pj_type_isinf(PjCompile *cx, PjInstr *ins, const PjCallable *Py_UNUSED(fn),
              PjType **args, int n)
{
    return type_test(cx, ins, &impl_isinf, args, n);
}

int
pj_type_isfinite(PjCompile *cx, PjInstr *ins,
                 const PjCallable *Py_UNUSED(fn), PjType **args, int n)
{
    return type_test(cx, ins, &impl_isfinite, args, n);
}

/* gcd(a, b) of integers, by the runtime. */
static LLVMValueRef
lower_gcd(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    LLVMTypeRef p[2] = {lw->t_i64, lw->t_i64};
    return pj_lower_call_c(lw, ins->plan.fn->impl, lw->t_i64, p, args, 2,
                           true);
}

static const PjImpl impl_gcd = {"gcd", lower_gcd, false, false};

int
pj_type_gcd(PjCompile *cx, PjInstr *ins, const PjCallable *fn, PjType **args,
            int n)
{
    if (n != 2 || !pj_type_is_intlike(args[0])
        || !pj_type_is_intlike(args[1])) {
        return 1;
    }
    PjType *argtys[2] = {pj_t.i64, pj_t.i64};
    return pj_choose_plan(cx, ins, &impl_gcd, pj_t.i64, argtys, 2,
                          (PjPlan){.fn = fn});
}

/* --- cmath --- */

/* exp(z) for z = x + iy where the C library's cexp computes
   exp(x) cos(y) + i exp(x) sin(y) without scaling (|x| <= 709, y finite),
   inline, so that LLVM pairs sin and cos into one call; the runtime's cexp
   otherwise (overflow, infinities, NaN). */
static LLVMValueRef
lower_cexp(PjLower *lw, PjType *t, LLVMValueRef z)
{
    LLVMValueRef x = LLVMBuildFPExt(lw->b, pj_part(lw, z, 0), lw->t_f64, "");
    LLVMValueRef y = LLVMBuildFPExt(lw->b, pj_part(lw, z, 1), lw->t_f64, "");
    LLVMValueRef ax = pj_lower_intrinsic(lw, "llvm.fabs", lw->t_f64, &x, 1);
    LLVMValueRef ay = pj_lower_intrinsic(lw, "llvm.fabs", lw->t_f64, &y, 1);
    LLVMValueRef plain = LLVMBuildAnd(
        lw->b, LLVMBuildFCmp(lw->b, LLVMRealOLE, ax,
                             LLVMConstReal(lw->t_f64, 709.0), ""),
        LLVMBuildFCmp(lw->b, LLVMRealOLT, ay,
                      LLVMConstReal(lw->t_f64, INFINITY), ""), "");
    LLVMBasicBlockRef fast = LLVMAppendBasicBlockInContext(lw->ctx, lw->func,
                                                           "cexp.fast");
    LLVMBasicBlockRef slow = LLVMAppendBasicBlockInContext(lw->ctx, lw->func,
                                                           "cexp.slow");
    LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(lw->ctx, lw->func,
                                                           "cexp.done");
    LLVMBuildCondBr(lw->b, plain, fast, slow);
    LLVMPositionBuilderAtEnd(lw->b, fast);
    LLVMValueRef e = pj_lower_intrinsic(lw, "llvm.exp", lw->t_f64, &x, 1);
    LLVMValueRef re = LLVMBuildFMul(
        lw->b, e, pj_lower_intrinsic(lw, "llvm.cos", lw->t_f64, &y, 1), "");
    LLVMValueRef im = LLVMBuildFMul(
        lw->b, e, pj_lower_intrinsic(lw, "llvm.sin", lw->t_f64, &y, 1), "");
    LLVMValueRef v[2] = {pj_lower_complex_narrowed(lw, t, re, im)};
    LLVMBasicBlockRef from[2] = {LLVMGetInsertBlock(lw->b)};
    LLVMBuildBr(lw->b, done);
    LLVMPositionBuilderAtEnd(lw->b, slow);
    v[1] = pj_lower_complex_helper(lw, "pj_rt_cexp", t, &z, 1);
    from[1] = LLVMGetInsertBlock(lw->b);
    LLVMBuildBr(lw->b, done);
    LLVMPositionBuilderAtEnd(lw->b, done);
    LLVMValueRef phi = LLVMBuildPhi(lw->b, LLVMTypeOf(v[0]), "cexp");
    LLVMAddIncoming(phi, v, from, 2);
    return phi;
}

/* sqrt, exp, log of a complex number, by the runtime's C99 complex
   functions (the row's IMPL). */
static LLVMValueRef
lower_cmath(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    if (ins->plan.fn->id == PJ_FN_CEXP) {
        return lower_cexp(lw, ins->argtys[0], args[0]);
    }
    return pj_lower_complex_helper(lw, ins->plan.fn->impl, ins->argtys[0],
                                   args, 1);
}

static const PjImpl impl_cmath = {"cmath", lower_cmath, false, false};

/* The complex type a cmath function computes in. */
static PjType *
complex_of(PjType *t)
{
    return t->kind == PJ_TK_COMPLEX ? t : pj_t.c128;
}

/* fn(z) of one number, computed by impl in the complex type of z. */
static int
type_complex_function(PjCompile *cx, PjInstr *ins, const PjCallable *fn,
                      PjType **args, int n, const PjImpl *impl)
{
    if (n != 1 || !pj_type_is_number(args[0])) {
        return 1;
    }
    PjType *c = complex_of(args[0]);
    return pj_choose_plan(cx, ins, impl, c, &c, 1, (PjPlan){.fn = fn});
}

int
pj_type_cmath(PjCompile *cx, PjInstr *ins, const PjCallable *fn,
              PjType **args, int n)
{
    return type_complex_function(cx, ins, fn, args, n, &impl_cmath);
}

/* log(z, base) is log(z) / log(base), CPython's complex division;
   ValueError, CPython's, when log(base) is 0. */
static LLVMValueRef
lower_clog_base(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *t = ins->argtys[0];
    LLVMValueRef logs[2] = {
        pj_lower_complex_helper(lw, "pj_rt_clog", t, args, 1),
        pj_lower_complex_helper(lw, "pj_rt_clog", t, args + 1, 1),
    };
    LLVMValueRef zero = LLVMConstNull(LLVMTypeOf(pj_part(lw, logs[1], 0)));
    LLVMValueRef bad = LLVMBuildAnd(
        lw->b, LLVMBuildFCmp(lw->b, LLVMRealOEQ, pj_part(lw, logs[1], 0),
                             zero, ""),
        LLVMBuildFCmp(lw->b, LLVMRealOEQ, pj_part(lw, logs[1], 1), zero, ""),
        "");
    pj_lower_check(lw, bad, "ValueError", "math domain error");
    return pj_lower_complex_div(lw, t, logs[0], logs[1]);
}

static const PjImpl impl_clog_base = {"log", lower_clog_base, true, false};

/* cmath.log(z) and cmath.log(z, base), in complex128 unless both are
   complex64. */
int
pj_type_clog(PjCompile *cx, PjInstr *ins, const PjCallable *fn,
             PjType **args, int n)
{
    if (n != 2) {
        return pj_type_cmath(cx, ins, fn, args, n);
    }
    if (!pj_type_is_number(args[0]) || !pj_type_is_number(args[1])) {
        return 1;
    }
    PjType *c = args[0] == pj_t.c64 && args[1] == pj_t.c64 ? pj_t.c64
                                                           : pj_t.c128;
    PjType *argtys[2] = {c, c};
    return pj_choose_plan(cx, ins, &impl_clog_base, c, argtys, 2,
                          (PjPlan){.fn = fn});
}

/* _casin(z) ... _catanh(z) of pyjit/_np_complex.py: the C library's
   function (the row's IMPL names the runtime's double-precision caller),
   in single precision for complex64 as NumPy computes it. */
static LLVMValueRef
lower_libm_complex(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    char name[32];
    PjType *t = ins->argtys[0];
    snprintf(name, sizeof name, "%s%s", ins->plan.fn->impl,
             t == pj_t.c64 ? "f" : "");
    return pj_lower_complex_helper(lw, name, t, args, 1);
}

static const PjImpl impl_libm_complex = {"libm_complex", lower_libm_complex,
                                         false, false};

int
pj_type_libm_complex(PjCompile *cx, PjInstr *ins, const PjCallable *fn,
                     PjType **args, int n)
{
    return type_complex_function(cx, ins, fn, args, n, &impl_libm_complex);
}

/* phase(z) is atan2(z.imag, z.real). */
static LLVMValueRef
lower_phase(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    LLVMValueRef yx[2] = {pj_part(lw, args[0], 1), pj_part(lw, args[0], 0)};
    return pj_lower_libm(lw, ins->plan.fn->impl, ins->resty, yx, 2);
}

static const PjImpl impl_phase = {"phase", lower_phase, false, false};

int
pj_type_phase(PjCompile *cx, PjInstr *ins, const PjCallable *fn,
              PjType **args, int n)
{
    if (n != 1 || !pj_type_is_number(args[0])) {
        return 1;
    }
    PjType *c = complex_of(args[0]);
    return pj_choose_plan(cx, ins, &impl_phase, pj_type_float(c->bits / 2),
                          &c, 1, (PjPlan){.fn = fn});
}
