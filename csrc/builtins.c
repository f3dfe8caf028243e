/*
** builtins.c - typing and lowering of operators, builtins, math, cmath and
** iteration.
**
** Each operation is typed by a small function that picks the operand types
** (ins->argtys), the result type (ins->resty) and an implementation
** (ins->impl); the implementation later builds the LLVM IR from operands
** already converted to those types.  Typers return 0 when they found an
** implementation, 1 when there is none (inference reports "No
** implementation of ..."), -1 with a Python exception set.
**
** Semantics are Numba's nopython mode: integers wrap around; / on integers
** is float64; // and % follow Python's signs; division and modulo by zero
** raise ZeroDivisionError unless error_model='numpy'; int ** int is int64
** and raises only for 0 ** negative; math functions return NaN or inf
** where CPython's raise ValueError.
*/
#include "pyjit.h"

#include <string.h>

/* --- the registry of known callables --- */

/* ORDER BUILTIN */
#define PJ_BUILTINS(X)                                               \
    X(ABS, "builtins", "abs") X(MIN, "builtins", "min")              \
    X(MAX, "builtins", "max") X(ROUND, "builtins", "round")          \
    X(INT, "builtins", "int") X(FLOAT, "builtins", "float")          \
    X(BOOL, "builtins", "bool") X(COMPLEX, "builtins", "complex")    \
    X(POW, "builtins", "pow") X(DIVMOD, "builtins", "divmod")        \
    X(LEN, "builtins", "len") X(RANGE, "builtins", "range")          \
    X(ENUMERATE, "builtins", "enumerate") X(ZIP, "builtins", "zip")  \
    X(SUM, "builtins", "sum") X(PRINT, "builtins", "print")          \
    X(SQRT, "math", "sqrt") X(EXP, "math", "exp")                    \
    X(LOG10, "math", "log10") X(LOG2, "math", "log2")                \
    X(LOG1P, "math", "log1p") X(EXPM1, "math", "expm1")              \
    X(SIN, "math", "sin") X(COS, "math", "cos") X(TAN, "math", "tan")\
    X(ASIN, "math", "asin") X(ACOS, "math", "acos")                  \
    X(ATAN, "math", "atan") X(SINH, "math", "sinh")                  \
    X(COSH, "math", "cosh") X(TANH, "math", "tanh")                  \
    X(ASINH, "math", "asinh") X(ACOSH, "math", "acosh")              \
    X(ATANH, "math", "atanh") X(FABS, "math", "fabs")                \
    X(ERF, "math", "erf") X(ERFC, "math", "erfc")                    \
    X(GAMMA, "math", "gamma") X(LGAMMA, "math", "lgamma")            \
    X(RADIANS, "math", "radians") X(DEGREES, "math", "degrees")      \
    X(LOG, "math", "log")                                            \
    X(FLOOR, "math", "floor") X(CEIL, "math", "ceil")                \
    X(TRUNC, "math", "trunc")                                        \
    X(ISNAN, "math", "isnan") X(ISINF, "math", "isinf")              \
    X(ISFINITE, "math", "isfinite")                                  \
    X(ATAN2, "math", "atan2") X(HYPOT, "math", "hypot")              \
    X(COPYSIGN, "math", "copysign") X(FMOD, "math", "fmod")          \
    X(MPOW, "math", "pow") X(GCD, "math", "gcd")                     \
    X(CSQRT, "cmath", "sqrt") X(CEXP, "cmath", "exp")                \
    X(CLOG, "cmath", "log") X(PHASE, "cmath", "phase")              \
    X(SUM_ZERO, "pyjit._core", "_sum_zero") X(SLICE, "builtins", "slice") \
    X(SUM_ONE, "pyjit._core", "_sum_one")                            \
    X(MEAN_ZERO, "pyjit._core", "_mean_zero")                        \
    X(AXIS_INDEX, "pyjit._core", "_axis_index")                      \
    X(DROP_AXIS, "pyjit._core", "_drop_axis")                        \
    X(NP_EMPTY, "numpy", "empty") X(NP_ZEROS, "numpy", "zeros")        \
    X(NP_ONES, "numpy", "ones") X(NP_FULL, "numpy", "full")            \
    X(NP_EMPTY_LIKE, "numpy", "empty_like")                          \
    X(NP_ZEROS_LIKE, "numpy", "zeros_like")                          \
    X(NP_ONES_LIKE, "numpy", "ones_like")                            \
    X(NP_FULL_LIKE, "numpy", "full_like")                            \
    X(NP_ARANGE, "numpy", "arange") X(NP_COPY, "numpy", "copy")       \
    X(NP_SQRT, "numpy", "sqrt") X(NP_EXP, "numpy", "exp")            \
    X(NP_LOG, "numpy", "log") X(NP_LOG10, "numpy", "log10")          \
    X(NP_LOG2, "numpy", "log2") X(NP_LOG1P, "numpy", "log1p")        \
    X(NP_EXPM1, "numpy", "expm1") X(NP_SIN, "numpy", "sin")          \
    X(NP_COS, "numpy", "cos") X(NP_TAN, "numpy", "tan")              \
    X(NP_ARCSIN, "numpy", "arcsin") X(NP_ARCCOS, "numpy", "arccos")  \
    X(NP_ARCTAN, "numpy", "arctan") X(NP_SINH, "numpy", "sinh")      \
    X(NP_COSH, "numpy", "cosh") X(NP_TANH, "numpy", "tanh")          \
    X(NP_FLOOR, "numpy", "floor") X(NP_CEIL, "numpy", "ceil")        \
    X(NP_TRUNC, "numpy", "trunc") X(NP_ABS, "numpy", "absolute")     \
    X(NP_ISNAN, "numpy", "isnan") X(NP_ISINF, "numpy", "isinf")      \
    X(NP_ISFINITE, "numpy", "isfinite")

enum {
#define X(N, M, A) BI_##N,
    PJ_BUILTINS(X)
#undef X
    BI_COUNT
};

static const char *const builtin_modules[] = {
#define X(N, M, A) M,
    PJ_BUILTINS(X)
#undef X
};

static const char *const builtin_names[] = {
#define X(N, M, A) A,
    PJ_BUILTINS(X)
#undef X
};

/* Maps each known callable object to its id (done once, at the first
   compile: importing math and cmath is not free). */
int
pj_builtins_init(void)
{
    PyObject *d = PyDict_New();
    if (d == NULL) {
        return -1;
    }
    for (int i = 0; i < BI_COUNT; i++) {
        PyObject *mod = PyImport_ImportModule(builtin_modules[i]);
        PyObject *f = mod ? PyObject_GetAttrString(mod, builtin_names[i])
                          : NULL;
        PyObject *id = f ? PyLong_FromLong(i) : NULL;
        int rc = id ? PyDict_SetItem(d, f, id) : -1;
        Py_XDECREF(mod);
        Py_XDECREF(f);
        Py_XDECREF(id);
        if (rc < 0) {
            Py_DECREF(d);
            return -1;
        }
    }
    pj_state->builtin_ids = d;
    return 0;
}

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

/* The dispatcher implementing array method `name`, or NULL (borrowed). */
PyObject *
pj_library_method(const char *name)
{
    if (load_library() < 0) {
        PyErr_Clear();
        return NULL;
    }
    PyObject *d = PyDict_GetItemString(pj_state->library_methods, name);
    return d;
}

/* Whether a dispatcher is one of the library's (pyjit/_numpy.py, its
   helpers included): code the user did not write. */
bool
pj_library_owns(PyObject *disp)
{
    PyObject *module = pj_dispatcher_info(disp)->module_name;
    return PyUnicode_CompareWithASCIIString(module, "pyjit._numpy") == 0;
}

/* The id of a known callable, -1 if unknown (or unhashable). */
int
pj_builtin_id(PyObject *callable)
{
    PyObject *id = PyDict_GetItemWithError(pj_state->builtin_ids, callable);
    if (id == NULL) {
        PyErr_Clear();
        return -1;
    }
    return (int)PyLong_AsLong(id);
}


/* --- helpers for typers --- */

/* Records the implementation inference chose: its result type and the
   types its operands convert to. */
int
pj_choose(PjCompile *cx, PjInstr *ins, const PjImpl *impl, PjType *resty,
          PjType **argtys, int n)
{
    ins->impl = impl;
    ins->resty = resty;
    if (n > 0) {
        ins->argtys = PJ_NEW_N(cx->arena, PjType *, n);
        if (ins->argtys == NULL) {
            return -1;
        }
        memcpy(ins->argtys, argtys, sizeof(PjType *) * (size_t)n);
    }
    return 0;
}

static int
choose2(PjCompile *cx, PjInstr *ins, const PjImpl *impl, PjType *resty,
        PjType *a, PjType *b)
{
    PjType *args[2] = {a, b};
    return pj_choose(cx, ins, impl, resty, args, 2);
}

static bool
is_real(PjType *t)
{
    return pj_type_is_number(t) && t->kind != PJ_TK_COMPLEX;
}

static bool
is_intlike(PjType *t)
{
    return t != NULL && t->kind <= PJ_TK_UINT;       /* bool and ints */
}

/* The float type math functions compute in: float32 stays float32. */
static PjType *
float_of(PjType *t)
{
    return t->kind == PJ_TK_FLOAT ? t : pj_t.f64;
}

static LLVMValueRef
i64c(PjLower *lw, long long v)
{
    return LLVMConstInt(lw->t_i64, (unsigned long long)v, 1);
}

static LLVMValueRef
fp(PjLower *lw, LLVMValueRef v)
{
    if (lw->cx->opts.fastmath && LLVMCanValueUseFastMathFlags(v)) {
        LLVMSetFastMathFlags(v, lw->cx->opts.fastmath);
    }
    return v;
}

static LLVMValueRef
zero_of(LLVMValueRef v)
{
    return LLVMConstNull(LLVMTypeOf(v));
}

static LLVMValueRef
part(PjLower *lw, LLVMValueRef c, unsigned i)
{
    return LLVMBuildExtractValue(lw->b, c, i, "");
}


/* Whether this operation checks for the errors Python raises: not with
   error_model='numpy', nor where an operand makes them impossible. */
static bool
checks(PjInstr *ins)
{
    return ins->impl != NULL && ins->impl->can_raise;
}

/* Calls a C function of the runtime or libm by name.  pure: it reads and
   writes no memory, so LLVM may move, merge or drop calls to it. */
static LLVMValueRef
call_c(PjLower *lw, const char *name, LLVMTypeRef ret, LLVMTypeRef *params,
       LLVMValueRef *args, int n, bool pure)
{
    LLVMValueRef call = pj_lower_helper(lw, name, ret, params, args, n);
    if (pure) {
        LLVMValueRef f = LLVMGetNamedFunction(lw->mod, name);
        const char *attrs[] = {"nounwind", "willreturn", "nosync"};
        for (int i = 0; i < 3; i++) {
            unsigned k = LLVMGetEnumAttributeKindForName(attrs[i],
                                                         strlen(attrs[i]));
            LLVMAddAttributeAtIndex(f, LLVMAttributeFunctionIndex,
                                    LLVMCreateEnumAttribute(lw->ctx, k, 0));
        }
        unsigned mem = LLVMGetEnumAttributeKindForName("memory", 6);
        LLVMAddAttributeAtIndex(f, LLVMAttributeFunctionIndex,
                                LLVMCreateEnumAttribute(lw->ctx, mem, 0));
    }
    return call;
}

/* Marks the vector registers as written right after a call to libm.  A
   call clobbers them, but LLVM 19's false-dependency breaking does not
   count a call as a write, so an instruction that merges into a register
   (cvtsi2sd, sqrtsd) may wait for the last write inside sin or exp: a loop
   such as `s += sqrt(i) * sin(i)` ran 1.75x slower than gcc's code.  An
   empty asm statement that clobbers them is such a write; it emits no
   instruction and lets LLVM break the dependency with one xor, as gcc
   does (or, with AVX-512, use a register libm never touches).  xmm0 holds
   the call's result and is left out, so the result stays in place. */
static void
mark_clobbered(PjLower *lw)
{
    static const char clobbers[] =
        "~{xmm1},~{xmm2},~{xmm3},~{xmm4},~{xmm5},~{xmm6},~{xmm7},~{xmm8},"
        "~{xmm9},~{xmm10},~{xmm11},~{xmm12},~{xmm13},~{xmm14},~{xmm15}";
    LLVMTypeRef fty = LLVMFunctionType(lw->t_void, NULL, 0, 0);
    LLVMValueRef asm_ = LLVMGetInlineAsm(fty, "", 0, clobbers,
                                         sizeof(clobbers) - 1, 1, 0,
                                         LLVMInlineAsmDialectATT, 0);
    LLVMBuildCall2(lw->b, fty, asm_, NULL, 0, "");
}

/* A libm function of one or two arguments of float type t. */
static LLVMValueRef
call_libm(PjLower *lw, const char *name, PjType *t, LLVMValueRef *args,
          int n)
{
    char fname[32];
    snprintf(fname, sizeof(fname), "%s%s", name, t->bits == 32 ? "f" : "");
    LLVMTypeRef lt = pj_lower_type(lw, t);
    LLVMTypeRef params[2] = {lt, lt};
    LLVMValueRef r = call_c(lw, fname, lt, params, args, n, true);
    mark_clobbered(lw);
    return r;
}

/* --- arithmetic --- */

static LLVMValueRef
complex_mul(PjLower *lw, LLVMValueRef a, LLVMValueRef b, PjType *t)
{
    LLVMValueRef ar = part(lw, a, 0), ai = part(lw, a, 1);
    LLVMValueRef br = part(lw, b, 0), bi = part(lw, b, 1);
    LLVMValueRef re = fp(lw, LLVMBuildFSub(
        lw->b, fp(lw, LLVMBuildFMul(lw->b, ar, br, "")),
        fp(lw, LLVMBuildFMul(lw->b, ai, bi, "")), ""));
    LLVMValueRef im = fp(lw, LLVMBuildFAdd(
        lw->b, fp(lw, LLVMBuildFMul(lw->b, ar, bi, "")),
        fp(lw, LLVMBuildFMul(lw->b, ai, br, "")), ""));
    return pj_lower_complex(lw, t, re, im);
}

static LLVMValueRef
complex_addsub(PjLower *lw, LLVMValueRef a, LLVMValueRef b, PjType *t,
               bool add)
{
    LLVMValueRef re, im;
    if (add) {
        re = LLVMBuildFAdd(lw->b, part(lw, a, 0), part(lw, b, 0), "");
        im = LLVMBuildFAdd(lw->b, part(lw, a, 1), part(lw, b, 1), "");
    }
    else {
        re = LLVMBuildFSub(lw->b, part(lw, a, 0), part(lw, b, 0), "");
        im = LLVMBuildFSub(lw->b, part(lw, a, 1), part(lw, b, 1), "");
    }
    return pj_lower_complex(lw, t, fp(lw, re), fp(lw, im));
}

/* Calls a runtime helper of the form f(re, im, [re2, im2,] double *out)
   on complex128 values and returns a value of complex type t. */
static LLVMValueRef
complex_helper(PjLower *lw, const char *name, PjType *t, LLVMValueRef *args,
               int n)
{
    LLVMValueRef out = pj_lower_alloca(lw, LLVMArrayType2(lw->t_f64, 2),
                                       "c");
    LLVMTypeRef params[5];
    LLVMValueRef vals[5];
    int k = 0;
    for (int i = 0; i < n; i++) {
        for (unsigned j = 0; j < 2; j++) {
            params[k] = lw->t_f64;
            vals[k++] = LLVMBuildFPExt(lw->b, part(lw, args[i], j),
                                       lw->t_f64, "");
        }
    }
    params[k] = lw->t_ptr;
    vals[k++] = out;
    call_c(lw, name, lw->t_void, params, vals, k, false);
    LLVMTypeRef pair = LLVMStructTypeInContext(
        lw->ctx, (LLVMTypeRef[]){lw->t_f64, lw->t_f64}, 2, 0);
    LLVMValueRef c = LLVMBuildLoad2(lw->b, pair, out, "");
    PjType *ft = pj_type_float(t->bits / 2);
    return pj_lower_complex(lw, t,
                      LLVMBuildFPTrunc(lw->b, part(lw, c, 0),
                                       pj_lower_type(lw, ft), ""),
                      LLVMBuildFPTrunc(lw->b, part(lw, c, 1),
                                       pj_lower_type(lw, ft), ""));
}

static LLVMValueRef
lower_arith(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *t = ins->argtys[0];
    LLVMValueRef a = args[0], b = args[1];
    if (t->kind == PJ_TK_COMPLEX) {
        if (ins->sub == PJ_BIN_MUL) {
            return complex_mul(lw, a, b, t);
        }
        return complex_addsub(lw, a, b, t, ins->sub == PJ_BIN_ADD);
    }
    bool flt = t->kind == PJ_TK_FLOAT;
    switch (ins->sub) {
    case PJ_BIN_ADD:
        return flt ? fp(lw, LLVMBuildFAdd(lw->b, a, b, ""))
                   : LLVMBuildAdd(lw->b, a, b, "");
    case PJ_BIN_SUB:
        return flt ? fp(lw, LLVMBuildFSub(lw->b, a, b, ""))
                   : LLVMBuildSub(lw->b, a, b, "");
    default:
        return flt ? fp(lw, LLVMBuildFMul(lw->b, a, b, ""))
                   : LLVMBuildMul(lw->b, a, b, "");
    }
}

static const PjImpl impl_arith = {"arith", lower_arith, false, false};

static void
check_zero(PjLower *lw, PjInstr *ins, LLVMValueRef b, PjType *t,
           const char *msg)
{
    if (!checks(ins)) {
        return;
    }
    LLVMValueRef bad;
    if (t->kind == PJ_TK_COMPLEX) {
        LLVMValueRef re = LLVMBuildFCmp(lw->b, LLVMRealOEQ, part(lw, b, 0),
                                        zero_of(part(lw, b, 0)), "");
        LLVMValueRef im = LLVMBuildFCmp(lw->b, LLVMRealOEQ, part(lw, b, 1),
                                        zero_of(part(lw, b, 1)), "");
        bad = LLVMBuildAnd(lw->b, re, im, "");
    }
    else if (t->kind == PJ_TK_FLOAT) {
        bad = LLVMBuildFCmp(lw->b, LLVMRealOEQ, b, zero_of(b), "");
    }
    else {
        bad = LLVMBuildICmp(lw->b, LLVMIntEQ, b, zero_of(b), "");
    }
    pj_lower_check(lw, bad, "ZeroDivisionError", msg);
}

/* a / b: integers were converted to float64 by the typer. */
static LLVMValueRef
lower_truediv(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *t = ins->argtys[0];
    bool from_int = ins->data != NULL;
    if (t->kind == PJ_TK_COMPLEX) {
        check_zero(lw, ins, args[1], t, "complex division by zero");
        return complex_helper(lw, "pj_rt_cdiv", t, args, 2);
    }
    check_zero(lw, ins, args[1], t, from_int ? "division by zero"
                                        : "float division by zero");
    return fp(lw, LLVMBuildFDiv(lw->b, args[0], args[1], ""));
}

static const PjImpl impl_truediv = {"truediv", lower_truediv, true, false};
static const PjImpl impl_truediv_numpy = {"truediv", lower_truediv,
                                          false, false};

/* Python's floor division and modulo on integers.  b == -1 is handled
   apart: INT_MIN / -1 overflows the machine division. */
static LLVMValueRef
int_divmod(PjLower *lw, PjType *t, LLVMValueRef a, LLVMValueRef b,
           bool want_div)
{
    LLVMBuilderRef B = lw->b;
    LLVMValueRef zero = zero_of(a), one = LLVMConstInt(LLVMTypeOf(a), 1, 0);
    LLVMValueRef is_zero = LLVMBuildICmp(B, LLVMIntEQ, b, zero, "");
    LLVMValueRef bs = LLVMBuildSelect(B, is_zero, one, b, "");
    if (t->kind == PJ_TK_UINT) {
        LLVMValueRef r = want_div ? LLVMBuildUDiv(B, a, bs, "")
                                  : LLVMBuildURem(B, a, bs, "");
        return LLVMBuildSelect(B, is_zero, zero, r, "");
    }
    LLVMValueRef minus1 = LLVMConstAllOnes(LLVMTypeOf(a));
    LLVMValueRef is_m1 = LLVMBuildICmp(B, LLVMIntEQ, bs, minus1, "");
    bs = LLVMBuildSelect(B, is_m1, one, bs, "");
    LLVMValueRef q = LLVMBuildSDiv(B, a, bs, "");
    LLVMValueRef r = LLVMBuildSRem(B, a, bs, "");
    /* With b == -1 the quotient is -a and the remainder 0. */
    q = LLVMBuildSelect(B, is_m1, LLVMBuildNeg(B, a, ""), q, "");
    LLVMValueRef sign_differs = LLVMBuildICmp(
        B, LLVMIntSLT, LLVMBuildXor(B, r, b, ""), zero, "");
    LLVMValueRef adjust = LLVMBuildAnd(
        B, LLVMBuildICmp(B, LLVMIntNE, r, zero, ""), sign_differs, "");
    LLVMValueRef res = want_div
        ? LLVMBuildSub(B, q, LLVMBuildZExt(B, adjust, LLVMTypeOf(a), ""), "")
        : LLVMBuildSelect(B, adjust, LLVMBuildAdd(B, r, b, ""), r, "");
    return LLVMBuildSelect(B, is_zero, zero, res, "");
}

/* Python's floor division and modulo on floats (CPython's algorithm, in
   the runtime); returns the quotient, or the remainder. */
static LLVMValueRef
float_divmod(PjLower *lw, PjInstr *ins, PjType *t, LLVMValueRef a,
             LLVMValueRef b, bool want_div)
{
    LLVMValueRef mod = pj_lower_alloca(lw, lw->t_f64, "mod");
    LLVMTypeRef params[3] = {lw->t_f64, lw->t_f64, lw->t_ptr};
    LLVMValueRef vals[3] = {LLVMBuildFPExt(lw->b, a, lw->t_f64, ""),
                            LLVMBuildFPExt(lw->b, b, lw->t_f64, ""), mod};
    LLVMValueRef q = call_c(lw, "pj_rt_float_divmod", lw->t_f64, params,
                            vals, 3, false);
    LLVMValueRef r = want_div ? q : LLVMBuildLoad2(lw->b, lw->t_f64, mod, "");
    r = LLVMBuildFPTrunc(lw->b, r, pj_lower_type(lw, t), "");
    if (want_div && !checks(ins)) {
        /* No zero check (error_model='numpy'): x // 0.0 is x / 0.0, as
           in NumPy, where Python's algorithm would give NaN. */
        LLVMValueRef zero = LLVMBuildFCmp(lw->b, LLVMRealOEQ, b, zero_of(b),
                                          "");
        r = LLVMBuildSelect(lw->b, zero, fp(lw, LLVMBuildFDiv(lw->b, a, b,
                                                              "")), r, "");
    }
    return r;
}

static LLVMValueRef
lower_floordiv_mod(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *t = ins->argtys[0];
    bool div = ins->sub == PJ_BIN_FLOORDIV;
    if (t->kind == PJ_TK_FLOAT) {
        check_zero(lw, ins, args[1], t, div ? "float floor division by zero"
                                       : "float modulo");
        return float_divmod(lw, ins, t, args[0], args[1], div);
    }
    check_zero(lw, ins, args[1], t, div ? "integer division or modulo by zero"
                                   : "integer modulo by zero");
    return int_divmod(lw, t, args[0], args[1], div);
}

static const PjImpl impl_floordiv = {"floordiv", lower_floordiv_mod,
                                     true, false};
static const PjImpl impl_floordiv_numpy = {"floordiv", lower_floordiv_mod,
                                           false, false};

/* base ** e for e >= 0 by repeated squaring, wrapping around as every
   integer operation does. */
static LLVMValueRef
int_pow_loop(PjLower *lw, LLVMValueRef base, LLVMValueRef e)
{
    LLVMBuilderRef B = lw->b;
    LLVMTypeRef lt = LLVMTypeOf(base);
    LLVMValueRef zero = zero_of(base), one = LLVMConstInt(lt, 1, 0);
    LLVMBasicBlockRef pre = LLVMGetInsertBlock(B);
    LLVMValueRef func = LLVMGetBasicBlockParent(pre);
    LLVMBasicBlockRef loop = LLVMAppendBasicBlockInContext(lw->ctx, func,
                                                           "pow.loop");
    LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(lw->ctx, func,
                                                           "pow.done");
    LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntNE, e, zero, ""), loop, done);
    LLVMPositionBuilderAtEnd(B, loop);
    LLVMValueRef acc = LLVMBuildPhi(B, lt, "acc");
    LLVMValueRef b = LLVMBuildPhi(B, lt, "base");
    LLVMValueRef n = LLVMBuildPhi(B, lt, "exp");
    LLVMValueRef bit = LLVMBuildTrunc(B, n, lw->t_i1, "");
    LLVMValueRef acc2 = LLVMBuildSelect(B, bit, LLVMBuildMul(B, acc, b, ""),
                                        acc, "");
    LLVMValueRef b2 = LLVMBuildMul(B, b, b, "");
    LLVMValueRef n2 = LLVMBuildLShr(B, n, one, "");
    LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntNE, n2, zero, ""), loop, done);
    LLVMValueRef acc_in[2] = {one, acc2}, b_in[2] = {base, b2};
    LLVMValueRef n_in[2] = {e, n2};
    LLVMBasicBlockRef from[2] = {pre, loop};
    LLVMAddIncoming(acc, acc_in, from, 2);
    LLVMAddIncoming(b, b_in, from, 2);
    LLVMAddIncoming(n, n_in, from, 2);
    LLVMPositionBuilderAtEnd(B, done);
    LLVMValueRef res = LLVMBuildPhi(B, lt, "pow");
    LLVMAddIncoming(res, acc_in, from, 2);
    return res;
}

/* base ** e for e < 0, as Numba computes it for int64: 1 for base 1,
   +-1 for base -1, 0 otherwise (0 itself raised before). */
static LLVMValueRef
int_pow_negative(PjLower *lw, LLVMValueRef base, LLVMValueRef e)
{
    LLVMBuilderRef B = lw->b;
    LLVMTypeRef lt = LLVMTypeOf(base);
    LLVMValueRef one = LLVMConstInt(lt, 1, 0), m1 = LLVMConstAllOnes(lt);
    LLVMValueRef odd = LLVMBuildTrunc(B, e, lw->t_i1, "");
    LLVMValueRef of_m1 = LLVMBuildSelect(B, odd, m1, one, "");
    LLVMValueRef r = LLVMBuildSelect(
        B, LLVMBuildICmp(B, LLVMIntEQ, base, m1, ""), of_m1, zero_of(base),
        "");
    return LLVMBuildSelect(B, LLVMBuildICmp(B, LLVMIntEQ, base, one, ""), one,
                           r, "");
}

static LLVMValueRef
lower_pow(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *t = ins->argtys[0];
    LLVMValueRef base = args[0], e = args[1];
    switch (t->kind) {
    case PJ_TK_FLOAT:
        if (checks(ins)) {
            /* float ** int: 0.0 ** -n raises, as in CPython and Numba */
            LLVMValueRef zero_base = LLVMBuildFCmp(lw->b, LLVMRealOEQ, base,
                                                   zero_of(base), "");
            LLVMValueRef neg = LLVMBuildFCmp(lw->b, LLVMRealOLT, e,
                                             zero_of(e), "");
            pj_lower_check(lw, LLVMBuildAnd(lw->b, zero_base, neg, ""),
                           "ZeroDivisionError",
                           "0.0 cannot be raised to a negative power");
        }
        return pj_lower_intrinsic(lw, "llvm.pow", pj_lower_type(lw, t), args,
                                  2);
    case PJ_TK_COMPLEX:
        if (checks(ins)) {
            /* CPython: 0j ** x raises unless x is a non-negative real */
            LLVMValueRef zb = LLVMBuildAnd(
                lw->b, LLVMBuildFCmp(lw->b, LLVMRealOEQ, part(lw, base, 0),
                                     zero_of(part(lw, base, 0)), ""),
                LLVMBuildFCmp(lw->b, LLVMRealOEQ, part(lw, base, 1),
                              zero_of(part(lw, base, 1)), ""), "");
            LLVMValueRef bad_e = LLVMBuildOr(
                lw->b, LLVMBuildFCmp(lw->b, LLVMRealUNE, part(lw, e, 1),
                                     zero_of(part(lw, e, 1)), ""),
                LLVMBuildFCmp(lw->b, LLVMRealOLT, part(lw, e, 0),
                              zero_of(part(lw, e, 0)), ""), "");
            pj_lower_check(lw, LLVMBuildAnd(lw->b, zb, bad_e, ""),
                           "ZeroDivisionError",
                           "0.0 to a negative or complex power");
        }
        return complex_helper(lw, "pj_rt_cpow", t, args, 2);
    case PJ_TK_UINT:
        return int_pow_loop(lw, base, e);
    default: {
        LLVMValueRef neg = LLVMBuildICmp(lw->b, LLVMIntSLT, e, zero_of(e), "");
        if (checks(ins)) {
            LLVMValueRef zero_base = LLVMBuildICmp(lw->b, LLVMIntEQ, base,
                                                   zero_of(base), "");
            pj_lower_check(lw, LLVMBuildAnd(lw->b, neg, zero_base, ""),
                           "ZeroDivisionError",
                           "0.0 cannot be raised to a negative power");
        }
        LLVMValueRef small = int_pow_negative(lw, base, e);
        LLVMValueRef r = int_pow_loop(
            lw, base, LLVMBuildSelect(lw->b, neg, zero_of(e), e, ""));
        return LLVMBuildSelect(lw->b, neg, small, r, "");
    }
    }
}

static const PjImpl impl_pow = {"pow", lower_pow, false, false};
static const PjImpl impl_pow_checked = {"pow", lower_pow, true, false};

/* Shifts: a negative count raises ValueError; counts past the width give
   0 (or -1 for a negative value shifted right), never LLVM's poison. */
static LLVMValueRef
lower_shift(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *t = ins->argtys[0];
    LLVMBuilderRef B = lw->b;
    LLVMValueRef a = args[0], n = args[1];
    LLVMTypeRef lt = LLVMTypeOf(a);
    LLVMValueRef width = LLVMConstInt(lt, (unsigned long long)t->bits, 0);
    if (checks(ins)) {
        pj_lower_check(lw, LLVMBuildICmp(B, LLVMIntSLT, n, zero_of(n), ""),
                       "ValueError", "negative shift count");
    }
    LLVMValueRef big = LLVMBuildICmp(B, LLVMIntUGE, n, width, "");
    LLVMValueRef cnt = LLVMBuildSelect(
        B, big, LLVMConstInt(lt, (unsigned long long)t->bits - 1, 0), n, "");
    if (ins->sub == PJ_BIN_LSHIFT) {
        return LLVMBuildSelect(B, big, zero_of(a),
                               LLVMBuildShl(B, a, cnt, ""), "");
    }
    if (t->kind == PJ_TK_INT) {
        return LLVMBuildAShr(B, a, cnt, "");
    }
    return LLVMBuildSelect(B, big, zero_of(a), LLVMBuildLShr(B, a, cnt, ""),
                           "");
}

static const PjImpl impl_shift_checked = {"shift", lower_shift, true, false};
static const PjImpl impl_shift = {"shift", lower_shift, false, false};

static LLVMValueRef
lower_bitwise(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    switch (ins->sub) {
    case PJ_BIN_AND: return LLVMBuildAnd(lw->b, args[0], args[1], "");
    case PJ_BIN_OR: return LLVMBuildOr(lw->b, args[0], args[1], "");
    default: return LLVMBuildXor(lw->b, args[0], args[1], "");
    }
}

static const PjImpl impl_bitwise = {"bitwise", lower_bitwise, false, false};

/* (a...) + (b...): the items of both tuples in one. */
static LLVMValueRef
lower_tuple_concat(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *ta = ins->argtys[0], *tb = ins->argtys[1];
    LLVMValueRef res = LLVMGetUndef(pj_lower_type(lw, ins->resty));
    unsigned k = 0;
    for (int i = 0; i < ta->count; i++) {
        res = LLVMBuildInsertValue(lw->b, res,
                                   part(lw, args[0], (unsigned)i), k++, "");
    }
    for (int i = 0; i < tb->count; i++) {
        res = LLVMBuildInsertValue(lw->b, res,
                                   part(lw, args[1], (unsigned)i), k++, "");
    }
    return res;
}

static const PjImpl impl_tuple_concat = {"tuple_concat", lower_tuple_concat,
                                         false, false};

static int
type_tuple_concat(PjCompile *cx, PjInstr *ins, PjType *a, PjType *b)
{
    PjType *items[PJ_MAX_ARGS];
    int n = a->count + b->count;
    if (n > PJ_MAX_ARGS) {
        return 1;
    }
    for (int i = 0; i < a->count; i++) {
        items[i] = pj_type_elem(a, i);
    }
    for (int i = 0; i < b->count; i++) {
        items[a->count + i] = pj_type_elem(b, i);
    }
    PjType *t = pj_type_tuple(items, n);
    return t ? choose2(cx, ins, &impl_tuple_concat, t, a, b) : -1;
}

/* The right operand of a binary operator when it is a constant number;
   NULL otherwise. */
static PyObject *
constant_rhs(PjInstr *ins)
{
    if (ins->op != PJ_OP_BINOP && ins->op != PJ_OP_INPLACE) {
        return NULL;
    }
    PyObject *c = pj_ir_const_of(ins->src[1]);
    return c != NULL && (PyLong_Check(c) || PyFloat_Check(c)) ? c : NULL;
}

static bool
constant_rhs_is(PjInstr *ins, bool (*pred)(double))
{
    PyObject *c = constant_rhs(ins);
    if (c == NULL) {
        return false;
    }
    double v = PyFloat_Check(c) ? PyFloat_AS_DOUBLE(c) : PyLong_AsDouble(c);
    PyErr_Clear();
    return pred(v);
}

static bool nonzero(double v) { return v != 0.0; }
static bool nonnegative(double v) { return v >= 0.0; }

static int
type_division(PjCompile *cx, PjInstr *ins, int op, PjType *t)
{
    bool numpy = cx->opts.error_model_numpy
                 || constant_rhs_is(ins, nonzero);
    if (op == PJ_BIN_TRUEDIV) {
        bool from_int = is_intlike(t);
        PjType *ft = from_int ? pj_t.f64 : t;
        int rc = choose2(cx, ins, numpy ? &impl_truediv_numpy : &impl_truediv,
                         ft, ft, ft);
        ins->data = from_int ? (void *)1 : NULL;
        return rc;
    }
    if (t->kind == PJ_TK_COMPLEX) {
        return 1;
    }
    return choose2(cx, ins, numpy ? &impl_floordiv_numpy : &impl_floordiv,
                   t, t, t);
}

int
pj_type_binop(PjCompile *cx, PjInstr *ins, int op, PjType *a, PjType *b)
{
    if (op == PJ_BIN_ADD && pj_type_is_tuple(a) && pj_type_is_tuple(b)) {
        return type_tuple_concat(cx, ins, a, b);
    }
    PjType *t = pj_type_promote(a, b);
    if (t == NULL) {
        return 1;
    }
    bool ints = is_intlike(a) && is_intlike(b);
    switch (op) {
    case PJ_BIN_ADD:
    case PJ_BIN_SUB:
    case PJ_BIN_MUL:
        return choose2(cx, ins, &impl_arith, t, t, t);
    case PJ_BIN_TRUEDIV:
    case PJ_BIN_FLOORDIV:
    case PJ_BIN_MOD:
        return type_division(cx, ins, op, t);
    case PJ_BIN_POW: {
        bool int_exponent = is_intlike(b) && t->kind != PJ_TK_COMPLEX;
        if (a->kind == PJ_TK_FLOAT && is_intlike(b)) {
            t = a;          /* float32 ** int stays float32, as in Numba */
        }
        /* int ** int, float ** int and complex powers raise for
           0 ** negative. */
        bool checked = (int_exponent || t->kind == PJ_TK_COMPLEX)
                       && t->kind != PJ_TK_UINT
                       && !cx->opts.error_model_numpy
                       && !constant_rhs_is(ins, nonnegative);
        return choose2(cx, ins, checked ? &impl_pow_checked : &impl_pow, t,
                       t, t);
    }
    case PJ_BIN_LSHIFT:
    case PJ_BIN_RSHIFT:
        if (!ints) {
            return 1;
        }
        /* The value shifted decides the type, as in Python: uint64 >> 3
           stays unsigned whatever the count's type. */
        t = a->kind == PJ_TK_UINT ? pj_t.u64 : pj_t.i64;
        return choose2(cx, ins, t->kind == PJ_TK_INT
                                && !constant_rhs_is(ins, nonnegative)
                                ? &impl_shift_checked : &impl_shift,
                       t, t, t);
    case PJ_BIN_AND:
    case PJ_BIN_OR:
    case PJ_BIN_XOR:
        if (a->kind == PJ_TK_BOOL && b->kind == PJ_TK_BOOL) {
            t = pj_t.boolean;
        }
        return ints ? choose2(cx, ins, &impl_bitwise, t, t, t) : 1;
    default:
        return 1;
    }
}

/* --- unary operators --- */

static LLVMValueRef
lower_unary(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *t = ins->argtys[0];
    LLVMValueRef a = args[0];
    switch (ins->sub) {
    case PJ_UN_NOT:
        return LLVMBuildNot(lw->b, pj_lower_truth(lw, a, t), "");
    case PJ_UN_POS:
        return a;
    case PJ_UN_INVERT:
        return LLVMBuildNot(lw->b, a, "");
    default:
        if (t->kind == PJ_TK_COMPLEX) {
            return pj_lower_complex(lw, t, fp(lw, LLVMBuildFNeg(lw->b,
                                                          part(lw, a, 0), "")),
                              fp(lw, LLVMBuildFNeg(lw->b, part(lw, a, 1),
                                                   "")));
        }
        return t->kind == PJ_TK_FLOAT ? fp(lw, LLVMBuildFNeg(lw->b, a, ""))
                                      : LLVMBuildNeg(lw->b, a, "");
    }
}

static const PjImpl impl_unary = {"unary", lower_unary, false, false};

int
pj_type_unary(PjCompile *cx, PjInstr *ins, PjType *a)
{
    if (ins->sub == PJ_UN_NOT) {
        return pj_type_truth(a) ? pj_choose(cx, ins, &impl_unary, pj_t.boolean,
                                            &a, 1)
                                : 1;
    }
    if (!pj_type_is_number(a)) {
        return 1;
    }
    /* Integers negate and invert in 64 bits, as they add: -int32 is int64
       (uint8 gives uint64), following Numba. */
    PjType *t = a;
    if (a->kind == PJ_TK_BOOL || a->kind == PJ_TK_INT) {
        t = pj_t.i64;
    }
    else if (a->kind == PJ_TK_UINT) {
        t = pj_t.u64;
    }
    if (ins->sub == PJ_UN_INVERT && !pj_type_is_integer(t)) {
        return 1;
    }
    return pj_choose(cx, ins, &impl_unary, t, &t, 1);
}

/* --- comparisons --- */

static LLVMIntPredicate
int_predicate(int op, bool is_signed)
{
    switch (op) {
    case PJ_CMP_EQ: return LLVMIntEQ;
    case PJ_CMP_NE: return LLVMIntNE;
    case PJ_CMP_LT: return is_signed ? LLVMIntSLT : LLVMIntULT;
    case PJ_CMP_LE: return is_signed ? LLVMIntSLE : LLVMIntULE;
    case PJ_CMP_GT: return is_signed ? LLVMIntSGT : LLVMIntUGT;
    default: return is_signed ? LLVMIntSGE : LLVMIntUGE;
    }
}

static LLVMRealPredicate
real_predicate(int op)
{
    switch (op) {
    case PJ_CMP_EQ: return LLVMRealOEQ;
    case PJ_CMP_NE: return LLVMRealUNE;     /* NaN != NaN is true */
    case PJ_CMP_LT: return LLVMRealOLT;
    case PJ_CMP_LE: return LLVMRealOLE;
    case PJ_CMP_GT: return LLVMRealOGT;
    default: return LLVMRealOGE;
    }
}

static LLVMValueRef
compare_values(PjLower *lw, int op, LLVMValueRef a, LLVMValueRef b,
               PjType *t)
{
    if (t->kind == PJ_TK_FLOAT) {
        return fp(lw, LLVMBuildFCmp(lw->b, real_predicate(op), a, b, ""));
    }
    if (t->kind == PJ_TK_COMPLEX) {
        LLVMValueRef re = LLVMBuildFCmp(lw->b, LLVMRealOEQ, part(lw, a, 0),
                                        part(lw, b, 0), "");
        LLVMValueRef im = LLVMBuildFCmp(lw->b, LLVMRealOEQ, part(lw, a, 1),
                                        part(lw, b, 1), "");
        LLVMValueRef eq = LLVMBuildAnd(lw->b, re, im, "");
        return op == PJ_CMP_EQ ? eq : LLVMBuildNot(lw->b, eq, "");
    }
    return LLVMBuildICmp(lw->b, int_predicate(op, t->kind == PJ_TK_INT), a, b,
                         "");
}

static LLVMValueRef
lower_compare(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    return compare_values(lw, ins->sub, args[0], args[1], ins->argtys[0]);
}

static const PjImpl impl_compare = {"compare", lower_compare, false, false};

/* int64 against uint64: a negative signed value is less than any unsigned
   one; otherwise both compare as unsigned. */
static LLVMValueRef
lower_mixed_compare(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    bool left_signed = ins->argtys[0]->kind == PJ_TK_INT;
    LLVMValueRef s = args[left_signed ? 0 : 1];
    LLVMValueRef neg = LLVMBuildICmp(lw->b, LLVMIntSLT, s, zero_of(s), "");
    LLVMValueRef as_unsigned = LLVMBuildICmp(
        lw->b, int_predicate(ins->sub, false), args[0], args[1], "");
    /* When the signed side is negative the answer is fixed by the order:
       s < u, so s <, <=, != are true and >, >=, == false (mirrored when
       the signed value is on the right). */
    int op = ins->sub;
    bool less = op == PJ_CMP_LT || op == PJ_CMP_LE;
    bool more = op == PJ_CMP_GT || op == PJ_CMP_GE;
    bool when_neg = op == PJ_CMP_NE || (left_signed ? less : more);
    return LLVMBuildSelect(lw->b, neg, LLVMConstInt(lw->t_i1, when_neg, 0),
                           as_unsigned, "");
}

static const PjImpl impl_mixed_compare = {"compare", lower_mixed_compare,
                                          false, false};

/* `x is None`, `x == None` and friends: decided by the types, except for
   an Optional, whose presence flag is tested. */
static LLVMValueRef
lower_none_compare(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    bool negate = ins->sub == PJ_CMP_ISNOT || ins->sub == PJ_CMP_NE;
    PjType *a = ins->argtys[0], *b = ins->argtys[1];
    PjType *other = a->kind == PJ_TK_NONE ? b : a;
    LLVMValueRef v = a->kind == PJ_TK_NONE ? args[1] : args[0];
    LLVMValueRef is_none;
    if (other->kind == PJ_TK_NONE) {
        is_none = LLVMConstInt(lw->t_i1, 1, 0);
    }
    else if (other->kind == PJ_TK_OPTIONAL) {
        is_none = LLVMBuildNot(lw->b, part(lw, v, 0), "");
    }
    else {
        is_none = LLVMConstInt(lw->t_i1, 0, 0);
    }
    return negate ? LLVMBuildNot(lw->b, is_none, "") : is_none;
}

static const PjImpl impl_none_compare = {"is_none", lower_none_compare,
                                         false, false};

/* Tuples compare item by item, as Python's do (lexicographically). */
static LLVMValueRef
tuple_compare(PjLower *lw, int op, LLVMValueRef a, LLVMValueRef b,
              PjType *ta, PjType *tb)
{
    int n = ta->count < tb->count ? ta->count : tb->count;
    if (op == PJ_CMP_EQ || op == PJ_CMP_NE) {
        LLVMValueRef eq = LLVMConstInt(lw->t_i1, ta->count == tb->count, 0);
        for (int i = 0; i < n; i++) {
            PjType *t = pj_type_promote(pj_type_elem(ta, i),
                                        pj_type_elem(tb, i));
            LLVMValueRef x = pj_lower_convert(lw, part(lw, a, (unsigned)i),
                                              pj_type_elem(ta, i), t);
            LLVMValueRef y = pj_lower_convert(lw, part(lw, b, (unsigned)i),
                                              pj_type_elem(tb, i), t);
            eq = LLVMBuildAnd(lw->b, eq, compare_values(lw, PJ_CMP_EQ, x, y,
                                                        t), "");
        }
        return op == PJ_CMP_EQ ? eq : LLVMBuildNot(lw->b, eq, "");
    }
    /* Ordering: the first unequal item decides; else the lengths do. */
    int strict = op == PJ_CMP_LT || op == PJ_CMP_GT;
    int lt_op = op == PJ_CMP_LT || op == PJ_CMP_LE ? PJ_CMP_LT : PJ_CMP_GT;
    LLVMValueRef res = LLVMConstInt(
        lw->t_i1, strict ? (lt_op == PJ_CMP_LT ? ta->count < tb->count
                                               : ta->count > tb->count)
                         : (lt_op == PJ_CMP_LT ? ta->count <= tb->count
                                               : ta->count >= tb->count), 0);
    for (int i = n - 1; i >= 0; i--) {
        PjType *t = pj_type_promote(pj_type_elem(ta, i), pj_type_elem(tb, i));
        LLVMValueRef x = pj_lower_convert(lw, part(lw, a, (unsigned)i),
                                          pj_type_elem(ta, i), t);
        LLVMValueRef y = pj_lower_convert(lw, part(lw, b, (unsigned)i),
                                          pj_type_elem(tb, i), t);
        LLVMValueRef eq = compare_values(lw, PJ_CMP_EQ, x, y, t);
        LLVMValueRef ord = compare_values(lw, lt_op, x, y, t);
        res = LLVMBuildSelect(lw->b, eq, res, ord, "");
    }
    return res;
}

static LLVMValueRef
lower_tuple_compare(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    return tuple_compare(lw, ins->sub, args[0], args[1], ins->argtys[0],
                         ins->argtys[1]);
}

static const PjImpl impl_tuple_compare = {"tuple_compare",
                                          lower_tuple_compare, false, false};

static bool
real_tuple(PjType *t)
{
    if (!pj_type_is_tuple(t)) {
        return false;
    }
    for (int i = 0; i < t->count; i++) {
        if (!pj_type_is_number(pj_type_elem(t, i))) {
            return false;
        }
    }
    return true;
}

/* x in (a, b, c): any item equal to x. */
static LLVMValueRef
lower_contains(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *x = ins->argtys[0], *tt = ins->argtys[1];
    LLVMValueRef found = LLVMConstInt(lw->t_i1, 0, 0);
    for (int i = 0; i < tt->count; i++) {
        PjType *e = pj_type_elem(tt, i);
        PjType *t = pj_type_promote(x, e);
        LLVMValueRef a = pj_lower_convert(lw, args[0], x, t);
        LLVMValueRef b = pj_lower_convert(lw, part(lw, args[1], (unsigned)i),
                                          e, t);
        found = LLVMBuildOr(lw->b, found,
                            compare_values(lw, PJ_CMP_EQ, a, b, t), "");
    }
    return ins->sub == PJ_CMP_IN ? found : LLVMBuildNot(lw->b, found, "");
}

static const PjImpl impl_contains = {"contains", lower_contains, false, false};

int
pj_type_compare(PjCompile *cx, PjInstr *ins, PjType *a, PjType *b)
{
    int op = ins->sub;
    bool identity = op == PJ_CMP_IS || op == PJ_CMP_ISNOT;
    if (a->kind == PJ_TK_NONE || b->kind == PJ_TK_NONE) {
        if (op > PJ_CMP_NE && !identity) {
            return 1;
        }
        return choose2(cx, ins, &impl_none_compare, pj_t.boolean, a, b);
    }
    if (op == PJ_CMP_IN || op == PJ_CMP_NOTIN) {
        if (!pj_type_is_number(a) || !real_tuple(b)) {
            return 1;
        }
        return choose2(cx, ins, &impl_contains, pj_t.boolean, a, b);
    }
    if (identity) {
        return 1;
    }
    if (real_tuple(a) && real_tuple(b)) {
        return choose2(cx, ins, &impl_tuple_compare, pj_t.boolean, a, b);
    }
    PjType *t = pj_type_promote(a, b);
    if (t == NULL || (t->kind == PJ_TK_COMPLEX && op > PJ_CMP_NE)) {
        return 1;
    }
    bool signs_differ = (a->kind == PJ_TK_UINT) != (b->kind == PJ_TK_UINT);
    if (is_intlike(a) && is_intlike(b) && signs_differ
        && (a->kind == PJ_TK_UINT ? a : b)->bits == 64) {
        PjType *ta = a->kind == PJ_TK_UINT ? pj_t.u64 : pj_t.i64;
        PjType *tb = b->kind == PJ_TK_UINT ? pj_t.u64 : pj_t.i64;
        return choose2(cx, ins, &impl_mixed_compare, pj_t.boolean, ta, tb);
    }
    return choose2(cx, ins, &impl_compare, pj_t.boolean, t, t);
}

/* Whether values of type t have a truth value. */
int
pj_type_truth(PjType *t)
{
    return pj_type_is_number(t) || t->kind == PJ_TK_NONE
           || t->kind == PJ_TK_OPTIONAL || pj_type_is_tuple(t)
           || t->kind == PJ_TK_RANGE;
}

/* --- tuples --- */

/* t[i]: a constant index (in ins->data) or a checked variable one. */
static LLVMValueRef
lower_getitem_tuple(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *t = ins->argtys[0];
    if (ins->data != NULL) {            /* constant index, plus one */
        return part(lw, args[0], (unsigned)((intptr_t)ins->data - 1));
    }
    LLVMValueRef idx = args[1];
    LLVMValueRef n = i64c(lw, t->count);
    LLVMValueRef neg = LLVMBuildICmp(lw->b, LLVMIntSLT, idx, i64c(lw, 0), "");
    idx = LLVMBuildSelect(lw->b, neg, LLVMBuildAdd(lw->b, idx, n, ""), idx,
                          "");
    pj_lower_check(lw, LLVMBuildICmp(lw->b, LLVMIntUGE, idx, n, ""),
                   "IndexError", "tuple index out of range");
    LLVMValueRef slot = pj_lower_alloca(lw, LLVMTypeOf(args[0]), "tup");
    LLVMBuildStore(lw->b, args[0], slot);
    LLVMTypeRef et = pj_lower_type(lw, t->elems[0]);
    LLVMValueRef gep_idx[2] = {i64c(lw, 0), idx};
    LLVMValueRef p = LLVMBuildInBoundsGEP2(lw->b, LLVMTypeOf(args[0]), slot,
                                           gep_idx, 2, "");
    return LLVMBuildLoad2(lw->b, et, p, "");
}

const PjImpl pj_impl_getitem_tuple = {"getitem", lower_getitem_tuple,
                                      false, false};

/* t[a:b:c]: the items inference selected (count, then indices). */
static LLVMValueRef
lower_slice_tuple(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    const int *idx = ins->data;
    LLVMValueRef res = LLVMGetUndef(pj_lower_type(lw, ins->resty));
    for (int i = 0; i < idx[0]; i++) {
        res = LLVMBuildInsertValue(lw->b, res,
                                   part(lw, args[0], (unsigned)idx[1 + i]),
                                   (unsigned)i, "");
    }
    return res;
}

const PjImpl pj_impl_slice_tuple = {"slice", lower_slice_tuple, false, false};

static LLVMValueRef
lower_build_tuple(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *t = ins->resty;
    LLVMValueRef res = LLVMGetUndef(pj_lower_type(lw, t));
    for (int i = 0; i < ins->nsrc; i++) {
        LLVMValueRef e = pj_lower_convert(lw, args[i], ins->argtys[i],
                                          pj_type_elem(t, i));
        res = LLVMBuildInsertValue(lw->b, res, e, (unsigned)i, "");
    }
    return res;
}

const PjImpl pj_impl_build_tuple = {"build_tuple", lower_build_tuple,
                                    false, false};

/* --- iteration --- */

/* How many items range(start, stop, step) has, as an unsigned i64: up to
   2**64 - 1 (range(-2**63, 2**63 - 1)), which no signed count holds.
   range's iterator {next, step, items left} counts down from it, so that
   the loop is a counted loop for LLVM; np.arange uses it too. */
LLVMValueRef
pj_lower_range_count(PjLower *lw, LLVMValueRef start, LLVMValueRef stop,
                     LLVMValueRef step, bool is_unsigned)
{
    LLVMBuilderRef B = lw->b;
    LLVMValueRef zero = i64c(lw, 0), one = i64c(lw, 1);
    /* a range of uint64 only counts up */
    LLVMValueRef up = is_unsigned ? LLVMConstInt(lw->t_i1, 1, 0)
                      : LLVMBuildICmp(B, LLVMIntSGT, step, zero, "");
    /* distance and step magnitude as unsigned: no overflow */
    LLVMValueRef dist_up = LLVMBuildSub(B, stop, start, "");
    LLVMValueRef dist_down = LLVMBuildSub(B, start, stop, "");
    LLVMValueRef any_up = LLVMBuildICmp(
        B, is_unsigned ? LLVMIntULT : LLVMIntSLT, start, stop, "");
    LLVMValueRef any_down = LLVMBuildICmp(B, LLVMIntSGT, start, stop, "");
    LLVMValueRef dist = LLVMBuildSelect(B, up, dist_up, dist_down, "");
    LLVMValueRef any = LLVMBuildSelect(B, up, any_up, any_down, "");
    LLVMValueRef mag = LLVMBuildSelect(B, up, step,
                                       LLVMBuildNeg(B, step, ""), "");
    LLVMValueRef n = LLVMBuildAdd(
        B, LLVMBuildUDiv(B, LLVMBuildSub(B, dist, one, ""), mag, ""), one, "");
    return LLVMBuildSelect(B, any, n, zero, "");
}

static bool
range_is_unsigned(PjType *range)
{
    return range->elems[0]->kind == PJ_TK_UINT;
}

/* A range of int64 (its arguments mix signed and unsigned, as Numba types
   it) takes a uint64 argument as it is; one of 2**63 or more, which would
   wrap to a negative int64, is an OverflowError. */
static void
check_fits_int64(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjCallPlan *plan = ins->data;
    for (int k = 0; k < plan->nparams; k++) {
        if (ins->argtys[k]->kind != PJ_TK_UINT) {
            continue;
        }
        pj_lower_check(lw, LLVMBuildICmp(lw->b, LLVMIntSLT, args[k],
                                         i64c(lw, 0), ""),
                       "OverflowError", "range() of signed and unsigned "
                       "integers: a uint64 argument of 2**63 or more does "
                       "not fit its int64 items");
    }
}

static LLVMValueRef
lower_range(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjCallPlan *plan = ins->data;
    int n = plan->nparams;
    LLVMValueRef start = n >= 2 ? args[0] : i64c(lw, 0);
    LLVMValueRef stop = n >= 2 ? args[1] : args[0];
    LLVMValueRef step = n == 3 ? args[2] : i64c(lw, 1);
    if (ins->impl->can_raise) {
        pj_lower_check(lw, LLVMBuildICmp(lw->b, LLVMIntEQ, step, i64c(lw, 0),
                                         ""),
                       "ValueError", "range() arg 3 must not be zero");
    }
    if (!range_is_unsigned(ins->resty)) {
        check_fits_int64(lw, ins, args);
    }
    LLVMValueRef r = LLVMGetUndef(pj_lower_type(lw, ins->resty));
    r = LLVMBuildInsertValue(lw->b, r, start, 0, "");
    r = LLVMBuildInsertValue(lw->b, r, stop, 1, "");
    return LLVMBuildInsertValue(lw->b, r, step, 2, "");
}

static const PjImpl impl_range = {"range", lower_range, false, false};
static const PjImpl impl_range_checked = {"range", lower_range, true, false};

static LLVMValueRef
range_len(PjLower *lw, LLVMValueRef r, PjType *range)
{
    return pj_lower_range_count(lw, part(lw, r, 0), part(lw, r, 1),
                                part(lw, r, 2), range_is_unsigned(range));
}

/* The iterator over a value of type `from` (range, tuple, iterator). */
static LLVMValueRef
make_iter(PjLower *lw, LLVMValueRef v, PjType *from, PjType *it)
{
    LLVMValueRef res = LLVMGetUndef(pj_lower_type(lw, it));
    if (from->kind == PJ_TK_RANGE) {
        res = LLVMBuildInsertValue(lw->b, res, part(lw, v, 0), 0, "");
        res = LLVMBuildInsertValue(lw->b, res, part(lw, v, 2), 1, "");
        return LLVMBuildInsertValue(lw->b, res, range_len(lw, v, from), 2,
                                    "");
    }
    if (pj_type_is_tuple(from)) {
        res = LLVMBuildInsertValue(lw->b, res, v, 0, "");
        return LLVMBuildInsertValue(lw->b, res, i64c(lw, 0), 1, "");
    }
    if (from->kind == PJ_TK_ARRAY) {
        return pj_lower_array_iter(lw, it, v);
    }
    return v;                   /* iterators iterate over themselves */
}

static LLVMValueRef
lower_getiter(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    return make_iter(lw, args[0], ins->argtys[0], ins->resty);
}

static const PjImpl impl_getiter = {"getiter", lower_getiter, false, false};

/* The iterator type for iterating over t, or NULL. */
static PjType *
iter_type_of(PjType *t)
{
    switch (t->kind) {
    case PJ_TK_RANGE:
        return pj_type_iter(PJ_ITER_RANGE, NULL, 0, t->elems[0]);
    case PJ_TK_UNITUPLE:
        return pj_type_iter(PJ_ITER_TUPLE, &t, 1, t->elems[0]);
    case PJ_TK_TUPLE:
        return t->count == 0 ? pj_type_iter(PJ_ITER_TUPLE, &t, 1, pj_t.none)
                             : NULL;
    case PJ_TK_ITER: return t;
    case PJ_TK_ARRAY: {
        PjType *item = pj_array_iter_item(t);
        return item ? pj_type_iter(PJ_ITER_ARRAY, &t, 1, item) : NULL;
    }
    default: return NULL;
    }
}

int
pj_type_getiter(PjCompile *cx, PjInstr *ins, PjType *t)
{
    PjType *it = iter_type_of(t);
    if (it == NULL) {
        return PyErr_Occurred() ? -1 : 1;
    }
    return pj_choose(cx, ins, &impl_getiter, it, &t, 1);
}

static LLVMValueRef
field_ptr(PjLower *lw, LLVMTypeRef st, LLVMValueRef p, unsigned i)
{
    return LLVMBuildStructGEP2(lw->b, st, p, i, "");
}

/* Advances the iterator stored at `state`; returns the item and sets *ok
   to whether there was one. */
LLVMValueRef
pj_lower_iternext(PjLower *lw, PjType *it, LLVMValueRef state,
                  LLVMValueRef *ok)
{
    LLVMBuilderRef B = lw->b;
    LLVMTypeRef st = pj_lower_type(lw, it);
    switch (it->ident) {
    case PJ_ITER_RANGE: {
        LLVMValueRef pn = field_ptr(lw, st, state, 0);
        LLVMValueRef pc = field_ptr(lw, st, state, 2);
        LLVMValueRef next = LLVMBuildLoad2(B, lw->t_i64, pn, "");
        LLVMValueRef step = LLVMBuildLoad2(B, lw->t_i64,
                                           field_ptr(lw, st, state, 1), "");
        LLVMValueRef count = LLVMBuildLoad2(B, lw->t_i64, pc, "");
        *ok = LLVMBuildICmp(B, LLVMIntNE, count, i64c(lw, 0), "");
        LLVMBuildStore(B, LLVMBuildAdd(B, next, step, ""), pn);
        LLVMBuildStore(B, LLVMBuildSub(B, count, i64c(lw, 1), ""), pc);
        return LLVMBuildIntCast2(B, next, pj_lower_type(lw, it->item), 1, "");
    }
    case PJ_ITER_TUPLE: {
        PjType *tt = it->elems[0];
        LLVMValueRef pi = field_ptr(lw, st, state, 1);
        LLVMValueRef i = LLVMBuildLoad2(B, lw->t_i64, pi, "");
        *ok = LLVMBuildICmp(B, LLVMIntSLT, i, i64c(lw, tt->count), "");
        LLVMBuildStore(B, LLVMBuildAdd(B, i, i64c(lw, 1), ""), pi);
        if (tt->count == 0) {
            return pj_lower_none(lw);
        }
        LLVMValueRef safe = LLVMBuildSelect(B, *ok, i, i64c(lw, 0), "");
        LLVMValueRef idx[3] = {i64c(lw, 0), safe};
        LLVMValueRef p = LLVMBuildInBoundsGEP2(
            B, pj_lower_type(lw, tt), field_ptr(lw, st, state, 0), idx, 2, "");
        return LLVMBuildLoad2(B, pj_lower_type(lw, it->item), p, "");
    }
    case PJ_ITER_ARRAY:
    case PJ_ITER_FLAT: return pj_lower_array_iternext(lw, it, state, ok);
    case PJ_ITER_ENUMERATE: {
        LLVMValueRef pc = field_ptr(lw, st, state, 0);
        LLVMValueRef inner = pj_lower_iternext(lw, it->elems[0],
                                               field_ptr(lw, st, state, 1),
                                               ok);
        LLVMValueRef count = LLVMBuildLoad2(B, lw->t_i64, pc, "");
        LLVMBuildStore(B, LLVMBuildAdd(B, count, i64c(lw, 1), ""), pc);
        LLVMValueRef item = LLVMGetUndef(pj_lower_type(lw, it->item));
        item = LLVMBuildInsertValue(B, item, count, 0, "");
        return LLVMBuildInsertValue(B, item, inner, 1, "");
    }
    default: {              /* zip: every inner iterator advances */
        LLVMValueRef item = LLVMGetUndef(pj_lower_type(lw, it->item));
        *ok = LLVMConstInt(lw->t_i1, 1, 0);
        for (int i = 0; i < it->count; i++) {
            LLVMValueRef one_ok;
            LLVMValueRef v = pj_lower_iternext(
                lw, it->elems[i], field_ptr(lw, st, state, (unsigned)i),
                &one_ok);
            *ok = LLVMBuildAnd(B, *ok, one_ok, "");
            item = LLVMBuildInsertValue(B, item, v, (unsigned)i, "");
        }
        return item;
    }
    }
}

static LLVMValueRef
lower_enumerate(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjCallPlan *plan = ins->data;
    PjType *it = ins->resty;
    LLVMValueRef res = LLVMGetUndef(pj_lower_type(lw, it));
    LLVMValueRef start = plan->nparams > 1 ? args[1] : i64c(lw, 0);
    res = LLVMBuildInsertValue(lw->b, res, start, 0, "");
    LLVMValueRef inner = make_iter(lw, args[0], ins->argtys[0], it->elems[0]);
    return LLVMBuildInsertValue(lw->b, res, inner, 1, "");
}

static const PjImpl impl_enumerate = {"enumerate", lower_enumerate,
                                      false, false};

static LLVMValueRef
lower_zip(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *it = ins->resty;
    LLVMValueRef res = LLVMGetUndef(pj_lower_type(lw, it));
    for (int i = 0; i < it->count; i++) {
        LLVMValueRef inner = make_iter(lw, args[i], ins->argtys[i],
                                       it->elems[i]);
        res = LLVMBuildInsertValue(lw->b, res, inner, (unsigned)i, "");
    }
    return res;
}

static const PjImpl impl_zip = {"zip", lower_zip, false, false};

static LLVMValueRef
lower_pair(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    return part(lw, args[0], ins->op == PJ_OP_PAIR_FIRST ? 0 : 1);
}

const PjImpl pj_impl_pair = {"pair", lower_pair, false, false};

/* --- attributes and methods --- */

/* A value known when the function compiles (ins->obj2): a module's
   attribute, float("inf"). */
static LLVMValueRef
lower_constant(PjLower *lw, PjInstr *ins, LLVMValueRef *Py_UNUSED(args))
{
    return pj_lower_pyconst(lw, ins->obj2, ins->resty);
}

static const PjImpl impl_constant = {"constant", lower_constant, false, false};

static LLVMValueRef
lower_real_imag(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *t = ins->argtys[0];
    bool imag = strcmp(ins->name, "imag") == 0;
    if (t->kind == PJ_TK_COMPLEX) {
        return part(lw, args[0], imag);
    }
    return imag ? zero_of(args[0]) : args[0];
}

static const PjImpl impl_real_imag = {"real_imag", lower_real_imag,
                                      false, false};

static LLVMValueRef
lower_nothing(PjLower *Py_UNUSED(lw), PjInstr *Py_UNUSED(ins), LLVMValueRef *Py_UNUSED(args))
{
    return NULL;
}

static const PjImpl impl_nothing = {"const", lower_nothing, false, false};

/* x.method: the bound method holds x. */
static LLVMValueRef
lower_self(PjLower *Py_UNUSED(lw), PjInstr *Py_UNUSED(ins), LLVMValueRef *args)
{
    return args[0];
}

const PjImpl pj_impl_self = {"getattr", lower_self, false, false};

/* module.name: the attribute's value now, as a constant. */
static int
type_module_attr(PjCompile *cx, PjInstr *ins, PjType *mod)
{
    PyObject *v = PyObject_GetAttrString(mod->obj, ins->name);
    if (v == NULL) {
        PyErr_Clear();
        return 1;
    }
    int rc = pj_arena_add_pyobject(cx->arena, v);
    Py_DECREF(v);
    if (rc < 0) {
        return -1;
    }
    PjType *t = pj_infer_constant_type(cx, v);
    if (t != NULL && t->kind != PJ_TK_STRLIT) {
        ins->obj2 = v;
        return pj_choose(cx, ins, &impl_constant, t, &mod, 1);
    }
    PjType *ct = NULL;
    if (PyModule_Check(v)) {
        ct = pj_type_const(cx->arena, PJ_TK_MODULE, v, 0);
    }
    else if (pj_dispatcher_check(v)) {
        ct = pj_type_const(cx->arena, PJ_TK_DISPATCHER, v, 0);
    }
    else if (pj_builtin_id(v) >= 0) {
        ct = pj_type_const(cx->arena, PJ_TK_FUNCTION, v, pj_builtin_id(v));
    }
    else if (pj_library_function(v) != NULL) {
        ct = pj_type_const(cx->arena, PJ_TK_DISPATCHER,
                           pj_library_function(v), 0);
    }
    else if (pj_typeof_scalar_class(v) != NULL) {
        ct = pj_type_const(cx->arena, PJ_TK_CLASS, v,
                           pj_typeof_scalar_class(v)->code);
    }
    if (ct == NULL) {
        return PyErr_Occurred() ? -1 : 1;
    }
    return pj_choose(cx, ins, &impl_nothing, ct, &mod, 1);
}

int
pj_type_getattr(PjCompile *cx, PjInstr *ins, PjType *t)
{
    if (t->kind == PJ_TK_MODULE) {
        return type_module_attr(cx, ins, t);
    }
    if (t->kind == PJ_TK_ARRAY) {
        return pj_array_type_getattr(cx, ins, t);
    }
    if (!pj_type_is_number(t)) {
        return 1;
    }
    if (strcmp(ins->name, "real") == 0 || strcmp(ins->name, "imag") == 0) {
        PjType *r = t->kind == PJ_TK_COMPLEX ? pj_type_float(t->bits / 2) : t;
        return pj_choose(cx, ins, &impl_real_imag, r, &t, 1);
    }
    if (strcmp(ins->name, "conjugate") == 0) {
        PjType *b = pj_type_bound(cx->arena, t, "conjugate");
        return b ? pj_choose(cx, ins, &pj_impl_self, b, &t, 1) : -1;
    }
    return 1;
}

/* --- builtin functions --- */

static LLVMValueRef
lower_abs(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *t = ins->argtys[0];
    LLVMValueRef a = args[0];
    switch (t->kind) {
    case PJ_TK_FLOAT:
        return pj_lower_intrinsic(lw, "llvm.fabs", LLVMTypeOf(a), &a, 1);
    case PJ_TK_COMPLEX: {
        LLVMValueRef xy[2] = {part(lw, a, 0), part(lw, a, 1)};
        return call_libm(lw, "hypot", pj_type_float(t->bits / 2), xy, 2);
    }
    case PJ_TK_UINT: return a;
    default: {
        LLVMValueRef neg = LLVMBuildICmp(lw->b, LLVMIntSLT, a, zero_of(a),
                                         "");
        return LLVMBuildSelect(lw->b, neg, LLVMBuildNeg(lw->b, a, ""), a, "");
    }
    }
}

static const PjImpl impl_abs = {"abs", lower_abs, false, false};

/* min/max with Python's rule: the first of the arguments that compare
   greatest (least) wins, so NaN propagates only from the first place. */
static LLVMValueRef
lower_minmax(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *t = ins->resty;
    PjCallPlan *plan = ins->data;
    int op = ins->sub == BI_MAX ? PJ_CMP_GT : PJ_CMP_LT;
    LLVMValueRef items[PJ_MAX_ARGS];
    int n = 0;
    if (plan->nparams == 1) {
        PjType *tt = ins->argtys[0];
        for (int i = 0; i < tt->count; i++) {
            items[n++] = pj_lower_convert(lw, part(lw, args[0], (unsigned)i),
                                          pj_type_elem(tt, i), t);
        }
    }
    else {
        for (int i = 0; i < plan->nparams; i++) {
            items[n++] = args[i];
        }
    }
    LLVMValueRef res = n > 0 ? items[0] : NULL;
    for (int i = 1; i < n; i++) {
        LLVMValueRef take = compare_values(lw, op, items[i], res, t);
        res = LLVMBuildSelect(lw->b, take, items[i], res, "");
    }
    return res;
}

static const PjImpl impl_minmax = {"minmax", lower_minmax, false, false};

static int
type_minmax(PjCompile *cx, PjInstr *ins, PjType **args, int n, int id)
{
    PjType *items[PJ_MAX_ARGS];
    int count = n;
    if (n == 1) {
        if (!pj_type_is_tuple(args[0]) || args[0]->count == 0) {
            return 1;
        }
        count = args[0]->count;
        for (int i = 0; i < count; i++) {
            items[i] = pj_type_elem(args[0], i);
        }
    }
    else {
        memcpy(items, args, sizeof(PjType *) * (size_t)n);
    }
    PjType *t = NULL;
    for (int i = 0; i < count; i++) {
        if (!is_real(items[i])) {
            return 1;
        }
        t = pj_type_unify(t, items[i]);
    }
    PjType *argtys[PJ_MAX_ARGS];
    for (int i = 0; i < n; i++) {
        argtys[i] = n == 1 ? args[0] : t;
    }
    ins->sub = id;
    return pj_choose(cx, ins, &impl_minmax, t, argtys, n);
}

/* A float already rounded to an integral value, as an int64: NaN and the
   infinities raise as in CPython (int(), round(), math.floor() all do);
   finite values beyond int64 saturate. */
static LLVMValueRef
float_to_int64(PjLower *lw, LLVMValueRef x)
{
    pj_lower_check(lw, LLVMBuildFCmp(lw->b, LLVMRealUNO, x, x, ""),
                   "ValueError", "cannot convert float NaN to integer");
    LLVMValueRef ax = pj_lower_intrinsic(lw, "llvm.fabs", LLVMTypeOf(x), &x,
                                         1);
    LLVMValueRef inf = LLVMConstReal(LLVMTypeOf(x), __builtin_inf());
    pj_lower_check(lw, LLVMBuildFCmp(lw->b, LLVMRealOEQ, ax, inf, ""),
                   "OverflowError", "cannot convert float infinity to "
                                    "integer");
    return pj_lower_float_to_int(lw, x, lw->t_i64, true);
}

static LLVMValueRef
lower_round(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *t = ins->argtys[0];
    PjCallPlan *plan = ins->data;
    if (plan->nparams == 1) {
        if (t->kind != PJ_TK_FLOAT) {
            return args[0];
        }
        LLVMValueRef r = pj_lower_intrinsic(lw, "llvm.roundeven",
                                            LLVMTypeOf(args[0]), args, 1);
        return float_to_int64(lw, r);
    }
    if (t->kind == PJ_TK_FLOAT) {
        LLVMTypeRef p[2] = {lw->t_f64, lw->t_i64};
        LLVMValueRef a[2] = {LLVMBuildFPExt(lw->b, args[0], lw->t_f64, ""),
                             args[1]};
        LLVMValueRef r = call_c(lw, "pj_rt_round", lw->t_f64, p, a, 2, true);
        return LLVMBuildFPTrunc(lw->b, r, LLVMTypeOf(args[0]), "");
    }
    LLVMTypeRef p[2] = {lw->t_i64, lw->t_i64};
    return call_c(lw, "pj_rt_round_int", lw->t_i64, p, args, 2, true);
}

static const PjImpl impl_round = {"round", lower_round, false, false};
static const PjImpl impl_round_to_int = {"round", lower_round, true, false};

static int
type_round(PjCompile *cx, PjInstr *ins, PjType **args, int n)
{
    PjType *x = args[0];
    if (!is_real(x) || (n == 2 && !is_intlike(args[1]))) {
        return 1;
    }
    if (x->kind == PJ_TK_BOOL || x->kind == PJ_TK_UINT) {
        x = pj_t.i64;
    }
    if (n == 1) {
        bool from_float = x->kind == PJ_TK_FLOAT;
        return pj_choose(cx, ins,
                         from_float ? &impl_round_to_int : &impl_round,
                         from_float ? pj_t.i64 : x, &x, 1);
    }
    if (pj_type_is_integer(x)) {
        x = pj_t.i64;
    }
    return choose2(cx, ins, &impl_round, x, x, pj_t.i64);
}

/* int(x): truncation; NaN and infinities raise as CPython's int() does. */
static LLVMValueRef
lower_int(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *t = ins->argtys[0];
    PjCallPlan *plan = ins->data;
    if (plan->nparams == 0) {
        return i64c(lw, 0);
    }
    if (t->kind != PJ_TK_FLOAT) {
        return pj_lower_convert(lw, args[0], t, ins->resty);
    }
    return float_to_int64(lw, args[0]);
}

static const PjImpl impl_int = {"int", lower_int, false, false};
static const PjImpl impl_int_checked = {"int", lower_int, true, false};

static LLVMValueRef
lower_number_ctor(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjCallPlan *plan = ins->data;
    PjType *r = ins->resty;
    if (plan->nparams == 0) {
        return LLVMConstNull(pj_lower_type(lw, r));
    }
    if (r->kind == PJ_TK_BOOL) {
        return pj_lower_truth(lw, args[0], ins->argtys[0]);
    }
    if (r->kind == PJ_TK_COMPLEX && plan->nparams == 2) {
        /* complex(a, b) is a + b*1j, where a complex a or b adds its other
           part: CPython takes real parts as they are (keeps -0.0). */
        LLVMValueRef a = pj_lower_convert(lw, args[0], ins->argtys[0], r);
        LLVMValueRef b = pj_lower_convert(lw, args[1], ins->argtys[1], r);
        LLVMValueRef re = part(lw, a, 0), im = part(lw, b, 0);
        if (ins->argtys[1]->kind == PJ_TK_COMPLEX) {
            re = fp(lw, LLVMBuildFSub(lw->b, re, part(lw, b, 1), ""));
        }
        if (ins->argtys[0]->kind == PJ_TK_COMPLEX) {
            im = fp(lw, LLVMBuildFAdd(lw->b, im, part(lw, a, 1), ""));
        }
        return pj_lower_complex(lw, r, re, im);
    }
    PjType *from = ins->argtys[0];
    if (from->kind == PJ_TK_FLOAT && pj_type_is_integer(r)) {
        return pj_lower_float_to_int(lw, args[0], pj_lower_type(lw, r),
                            r->kind == PJ_TK_INT);
    }
    if (from->kind == PJ_TK_COMPLEX && r->kind != PJ_TK_COMPLEX) {
        return pj_lower_convert(lw, part(lw, args[0], 0),
                                pj_type_float(from->bits / 2), r);
    }
    return pj_lower_convert(lw, args[0], from, r);
}

static const PjImpl impl_number_ctor = {"number", lower_number_ctor,
                                        false, false};

/* float("inf"), float("nan"), float("-1e300"): a constant. */
static int
type_float_of_string(PjCompile *cx, PjInstr *ins, PjType *s)
{
    PyObject *v = PyFloat_FromString(s->obj);
    if (v == NULL) {
        PyErr_Clear();
        return 1;
    }
    int rc = pj_arena_add_pyobject(cx->arena, v);
    Py_DECREF(v);
    if (rc < 0) {
        return -1;
    }
    ins->obj2 = v;
    return pj_choose(cx, ins, &impl_constant, pj_t.f64, &s, 1);
}

static int
type_number_ctor(PjCompile *cx, PjInstr *ins, PjType **args, int n, int id)
{
    if (id == BI_FLOAT && n == 1 && args[0]->kind == PJ_TK_STRLIT) {
        return type_float_of_string(cx, ins, args[0]);
    }
    PjType *r = id == BI_FLOAT ? pj_t.f64 : id == BI_BOOL ? pj_t.boolean
              : id == BI_COMPLEX ? pj_t.c128 : pj_t.i64;
    int maxargs = id == BI_COMPLEX ? 2 : 1;
    if (n > maxargs) {
        return 1;
    }
    for (int i = 0; i < n; i++) {
        if (id == BI_BOOL ? !pj_type_truth(args[i])
                          : !pj_type_is_number(args[i])
                            || (id != BI_COMPLEX
                                && args[i]->kind == PJ_TK_COMPLEX)) {
            return 1;
        }
    }
    if (id == BI_INT) {
        if (n == 1 && args[0]->kind == PJ_TK_UINT) {
            r = pj_t.u64;
        }
        bool from_float = n == 1 && args[0]->kind == PJ_TK_FLOAT;
        return pj_choose(cx, ins,
                         from_float ? &impl_int_checked : &impl_int, r,
                         args, n);
    }
    return pj_choose(cx, ins, &impl_number_ctor, r, args, n);
}

/* np.float32(x) and the other NumPy scalar classes convert. */
static int
type_class_call(PjCompile *cx, PjInstr *ins, PjType *cls, PjType **args,
                int n)
{
    PjType *r = pj_type_from_code(cls->ident);
    if (n > 1 || (n == 1 && !pj_type_is_number(args[0]))) {
        return 1;
    }
    if (n == 1 && args[0]->kind == PJ_TK_COMPLEX && r->kind != PJ_TK_COMPLEX) {
        return 1;
    }
    return pj_choose(cx, ins, &impl_number_ctor, r, args, n);
}

static LLVMValueRef
lower_divmod(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *t = ins->argtys[0];
    LLVMValueRef q, r;
    if (t->kind == PJ_TK_FLOAT) {
        check_zero(lw, ins, args[1], t, "float divmod()");
        q = float_divmod(lw, ins, t, args[0], args[1], true);
        r = float_divmod(lw, ins, t, args[0], args[1], false);
    }
    else {
        check_zero(lw, ins, args[1], t, "integer division or modulo by zero");
        q = int_divmod(lw, t, args[0], args[1], true);
        r = int_divmod(lw, t, args[0], args[1], false);
    }
    LLVMValueRef res = LLVMGetUndef(pj_lower_type(lw, ins->resty));
    res = LLVMBuildInsertValue(lw->b, res, q, 0, "");
    return LLVMBuildInsertValue(lw->b, res, r, 1, "");
}

static const PjImpl impl_divmod = {"divmod", lower_divmod, true, false};
static const PjImpl impl_divmod_numpy = {"divmod", lower_divmod, false, false};

static int
type_divmod(PjCompile *cx, PjInstr *ins, PjType **args, int n)
{
    if (n != 2 || !is_real(args[0]) || !is_real(args[1])) {
        return 1;
    }
    PjType *t = pj_type_promote(args[0], args[1]);
    PjType *pair[2] = {t, t};
    PjType *r = pj_type_tuple(pair, 2);
    return r ? choose2(cx, ins, cx->opts.error_model_numpy
                                    ? &impl_divmod_numpy : &impl_divmod,
                       r, t, t)
             : -1;
}

static LLVMValueRef
lower_len(PjLower *lw, PjInstr *ins, LLVMValueRef *Py_UNUSED(args))
{
    return i64c(lw, ins->argtys[0]->count);
}

static const PjImpl impl_len = {"len", lower_len, false, false};

/* len(range(...)): a range of 2**63 items or more has no int64 length;
   Python raises OverflowError for it. */
static LLVMValueRef
lower_len_range(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    LLVMValueRef n = range_len(lw, args[0], ins->argtys[0]);
    pj_lower_check(lw, LLVMBuildICmp(lw->b, LLVMIntSLT, n, i64c(lw, 0), ""),
                   "OverflowError",
                   "Python int too large to convert to C ssize_t");
    return n;
}

static const PjImpl impl_len_range = {"len", lower_len_range, true, false};

static int
type_range(PjCompile *cx, PjInstr *ins, PjType **args, int n)
{
    if (n < 1 || n > 3) {
        return 1;
    }
    /* As in Numba: a range of uint64 when every argument is unsigned,
       else of int64 (a uint64 argument is checked to fit at run time). */
    PjType *argtys[3];
    bool all_unsigned = true, wide_unsigned = false;
    for (int i = 0; i < n; i++) {
        if (!is_intlike(args[i])) {
            return 1;
        }
        all_unsigned &= args[i]->kind == PJ_TK_UINT;
        wide_unsigned |= args[i] == pj_t.u64;
    }
    PjType *item = all_unsigned ? pj_t.u64 : pj_t.i64;
    for (int i = 0; i < n; i++) {
        argtys[i] = args[i] == pj_t.u64 ? pj_t.u64 : item;
    }
    /* A constant step needs no run-time check. */
    bool checked = wide_unsigned && !all_unsigned;
    if (n == 3) {
        PjCallPlan *plan = ins->data;
        PyObject *c = pj_ir_const_of(ins->src[plan->src[2]]);
        checked |= c == NULL || !PyLong_Check(c) || PyObject_Not(c) != 0;
    }
    PjType *range = pj_type_range(item);
    return range ? pj_choose(cx, ins, checked ? &impl_range_checked
                                              : &impl_range, range, argtys, n)
                 : -1;
}

static int
type_enumerate(PjCompile *cx, PjInstr *ins, PjType **args, int n)
{
    if (n < 1 || n > 2 || (n == 2 && !is_intlike(args[1]))) {
        return 1;
    }
    PjType *inner = iter_type_of(args[0]);
    if (inner == NULL) {
        return 1;
    }
    PjType *parts[2] = {pj_t.i64, inner->item};
    PjType *item = pj_type_tuple(parts, 2);
    PjType *it = item ? pj_type_iter(PJ_ITER_ENUMERATE, &inner, 1, item)
                      : NULL;
    return it ? choose2(cx, ins, &impl_enumerate, it, args[0], pj_t.i64) : -1;
}

static int
type_zip(PjCompile *cx, PjInstr *ins, PjType **args, int n)
{
    PjType *inners[PJ_MAX_ARGS], *items[PJ_MAX_ARGS];
    if (n == 0) {
        return 1;
    }
    for (int i = 0; i < n; i++) {
        inners[i] = iter_type_of(args[i]);
        if (inners[i] == NULL) {
            return 1;
        }
        items[i] = inners[i]->item;
    }
    PjType *item = pj_type_tuple(items, n);
    PjType *it = item ? pj_type_iter(PJ_ITER_ZIP, inners, n, item) : NULL;
    return it ? pj_choose(cx, ins, &impl_zip, it, args, n) : -1;
}

/* sum(iterable, start=0): unrolled over a tuple, a loop otherwise. */
static LLVMValueRef
lower_sum(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *t = ins->resty, *src = ins->argtys[0];
    PjCallPlan *plan = ins->data;
    LLVMValueRef acc = plan->nparams > 1
        ? pj_lower_convert(lw, args[1], ins->argtys[1], t)
        : LLVMConstNull(pj_lower_type(lw, t));
    PjInstr add = {.op = PJ_OP_BINOP, .sub = PJ_BIN_ADD};
    PjType *tt[2] = {t, t};
    add.argtys = tt;
    if (pj_type_is_tuple(src)) {
        for (int i = 0; i < src->count; i++) {
            LLVMValueRef e[2] = {acc, pj_lower_convert(
                lw, part(lw, args[0], (unsigned)i), pj_type_elem(src, i), t)};
            acc = lower_arith(lw, &add, e);
        }
        return acc;
    }
    PjType *it = iter_type_of(src);
    LLVMValueRef state = pj_lower_alloca(lw, pj_lower_type(lw, it), "it");
    LLVMBuildStore(lw->b, make_iter(lw, args[0], src, it), state);
    LLVMBasicBlockRef pre = LLVMGetInsertBlock(lw->b);
    LLVMValueRef func = LLVMGetBasicBlockParent(pre);
    LLVMBasicBlockRef head = LLVMAppendBasicBlockInContext(lw->ctx, func,
                                                           "sum.head");
    LLVMBasicBlockRef body = LLVMAppendBasicBlockInContext(lw->ctx, func,
                                                           "sum.body");
    LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(lw->ctx, func,
                                                           "sum.done");
    LLVMBuildBr(lw->b, head);
    LLVMPositionBuilderAtEnd(lw->b, head);
    LLVMValueRef phi = LLVMBuildPhi(lw->b, pj_lower_type(lw, t), "acc");
    LLVMValueRef ok;
    LLVMValueRef item = pj_lower_iternext(lw, it, state, &ok);
    LLVMBuildCondBr(lw->b, ok, body, done);
    LLVMPositionBuilderAtEnd(lw->b, body);
    LLVMValueRef e[2] = {phi, pj_lower_convert(lw, item, it->item, t)};
    LLVMValueRef next = lower_arith(lw, &add, e);
    LLVMBasicBlockRef body_end = LLVMGetInsertBlock(lw->b);
    LLVMBuildBr(lw->b, head);
    LLVMValueRef in_vals[2] = {acc, next};
    LLVMBasicBlockRef in_blocks[2] = {pre, body_end};
    LLVMAddIncoming(phi, in_vals, in_blocks, 2);
    LLVMPositionBuilderAtEnd(lw->b, done);
    return phi;
}

static const PjImpl impl_sum = {"sum", lower_sum, false, false};

static const PjImpl impl_slice;

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
        case BI_FLOAT: return pj_t.f64;
        case BI_INT: return pj_t.i64;
        case BI_BOOL: return pj_t.boolean;
        case BI_COMPLEX: return pj_t.c128;
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

/* np.empty, zeros, ones, full, their *_like forms, arange, copy. */
static int
type_new_array(PjCompile *cx, PjInstr *ins, int id, PjType **args, int n)
{
    static const struct { int id, how, dtype_at; bool like; } fns[] = {
        {BI_NP_EMPTY, PJ_NEW_EMPTY, 1, false},
        {BI_NP_ZEROS, PJ_NEW_ZEROS, 1, false},
        {BI_NP_ONES, PJ_NEW_ONES, 1, false},
        {BI_NP_FULL, PJ_NEW_FULL, 2, false},
        {BI_NP_EMPTY_LIKE, PJ_NEW_EMPTY, 1, true},
        {BI_NP_ZEROS_LIKE, PJ_NEW_ZEROS, 1, true},
        {BI_NP_ONES_LIKE, PJ_NEW_ONES, 1, true},
        {BI_NP_FULL_LIKE, PJ_NEW_FULL, 2, true},
        {BI_NP_ARANGE, PJ_NEW_ARANGE, 3, false},
        {BI_NP_COPY, PJ_NEW_COPY, 1, false},
    };
    int k = 0;
    while (fns[k].id != id) {
        k++;
    }
    if (n < 1 || (fns[k].how == PJ_NEW_COPY && n != 1)
        || n > fns[k].dtype_at + 1) {
        return 1;
    }
    bool bad;
    PjType *dtype = n > fns[k].dtype_at ? dtype_named(args[fns[k].dtype_at],
                                                      &bad) : NULL;
    if (n > fns[k].dtype_at && bad) {
        cx->why = "the dtype must name a number type (np.float64, float, "
                  "'int32', ...)";
        return 1;
    }
    return pj_array_type_new(cx, ins, fns[k].how, fns[k].like, args, n,
                             dtype, &cx->why);
}

/* slice(stop), slice(start, stop[, step]) of integers or None. */
static int
type_slice(PjCompile *cx, PjInstr *ins, PjType **args, int n)
{
    if (n < 1 || n > 3) {
        return 1;
    }
    static const int one[1] = {PJ_SLICE_STOP};
    static const int parts[3] = {PJ_SLICE_START, PJ_SLICE_STOP,
                                 PJ_SLICE_STEP};
    const int *which = n == 1 ? one : parts;
    int given = 0;
    PjType *argtys[3];
    for (int i = 0; i < n; i++) {
        if (args[i]->kind == PJ_TK_NONE) {
            argtys[i] = pj_t.none;
            continue;
        }
        if (!is_intlike(args[i])) {
            return 1;
        }
        given |= which[i];
        argtys[i] = args[i] == pj_t.u64 ? pj_t.u64 : pj_t.i64;
    }
    PjType *t = pj_type_slice(given);
    return t ? pj_choose(cx, ins, &impl_slice, t, argtys, n) : -1;
}

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
    LLVMValueRef neg = LLVMBuildICmp(lw->b, LLVMIntSLT, axis, i64c(lw, 0),
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
        LLVMValueRef keep = LLVMBuildICmp(lw->b, LLVMIntSGT, k, i64c(lw, j),
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

static int
type_drop_axis(PjCompile *cx, PjInstr *ins, PjType **bound, int n)
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

/* A slice bound as Python takes it (PyNumber_AsSsize_t clamps): a uint64
   from 2**63 up is 2**63 - 1, not a negative int64. */
static LLVMValueRef
slice_bound(PjLower *lw, LLVMValueRef v, PjType *t)
{
    if (t != pj_t.u64) {
        return v;
    }
    LLVMValueRef max = i64c(lw, INT64_MAX);
    return LLVMBuildSelect(lw->b, LLVMBuildICmp(lw->b, LLVMIntUGT, v, max,
                                                ""), max, v, "");
}

static LLVMValueRef
lower_slice(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    int n = ((PjCallPlan *)ins->data)->nparams;
    LLVMValueRef s = LLVMConstNull(LLVMArrayType2(lw->t_i64, 3));
    for (int i = 0; i < n; i++) {
        if (ins->argtys[i]->kind != PJ_TK_NONE) {
            s = LLVMBuildInsertValue(lw->b, s,
                                     slice_bound(lw, args[i], ins->argtys[i]),
                                     (unsigned)(n == 1 ? 1 : i), "");
        }
    }
    return s;
}

static const PjImpl impl_slice = {"slice", lower_slice, false, false};

static int
type_sum(PjCompile *cx, PjInstr *ins, PjType **args, int n)
{
    if (n < 1 || n > 2) {
        return 1;
    }
    PjType *acc = n == 2 ? args[1] : pj_t.i64;
    if (!pj_type_is_number(acc)) {
        return 1;
    }
    if (pj_type_is_tuple(args[0])) {
        for (int i = 0; i < args[0]->count && acc; i++) {
            acc = pj_type_promote(acc, pj_type_elem(args[0], i));
        }
    }
    else {
        PjType *it = iter_type_of(args[0]);
        acc = it ? pj_type_promote(acc, it->item) : NULL;
    }
    if (acc == NULL) {
        return 1;
    }
    return pj_choose(cx, ins, &impl_sum, acc, args, n);
}

/* print(a, b, ...): each item goes to the runtime with its typecode; the
   runtime boxes it and writes to sys.stdout under the GIL. */
static LLVMValueRef
lower_print(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjCallPlan *plan = ins->data;
    int n = plan->nparams;
    LLVMValueRef slot = pj_lower_alloca(lw, LLVMArrayType2(lw->t_i64, 2),
                                        "item");
    LLVMTypeRef p[4] = {lw->t_i32, lw->t_ptr, lw->t_ptr, lw->t_i32};
    for (int i = 0; i < n || i == 0; i++) {
        LLVMValueRef str = LLVMConstNull(lw->t_ptr);
        int code = -1;
        if (n > 0) {
            PjType *t = ins->argtys[i];
            if (t->kind == PJ_TK_STRLIT) {
                str = LLVMBuildGlobalString(lw->b,
                                            PyUnicode_AsUTF8(t->obj), "");
            }
            else {
                code = t->code;
                LLVMBuildStore(lw->b, args[i], slot);
            }
        }
        int flags = (i > 0 ? 1 : 0) | (i >= n - 1 ? 2 : 0);
        LLVMValueRef a[4] = {LLVMConstInt(lw->t_i32, (unsigned)code, 1), slot,
                             str, LLVMConstInt(lw->t_i32, (unsigned)flags, 0)};
        pj_lower_helper(lw, "pj_rt_print", lw->t_void, p, a, 4);
    }
    return pj_lower_none(lw);
}

static const PjImpl impl_print = {"print", lower_print, false, false};

static int
type_print(PjCompile *cx, PjInstr *ins, PjType **args, int n)
{
    for (int i = 0; i < n; i++) {
        if (!pj_type_is_number(args[i]) && args[i]->kind != PJ_TK_NONE
            && args[i]->kind != PJ_TK_STRLIT) {
            return 1;
        }
    }
    return pj_choose(cx, ins, &impl_print, pj_t.none, args, n);
}

/* --- math and cmath --- */

static const struct {
    int id;
    const char *intrinsic;      /* llvm.<name>, or NULL: call libm */
    const char *libm;
    bool libcall;               /* the intrinsic becomes a call to libm */
} math_unary[] = {
    {BI_SQRT, "llvm.sqrt", NULL, false}, {BI_EXP, "llvm.exp", NULL, true},
    {BI_LOG, "llvm.log", NULL, true}, {BI_LOG10, "llvm.log10", NULL, true},
    {BI_LOG2, "llvm.log2", NULL, true}, {BI_SIN, "llvm.sin", NULL, true},
    {BI_COS, "llvm.cos", NULL, true}, {BI_FABS, "llvm.fabs", NULL, false},
    {BI_FLOOR, "llvm.floor", NULL, false}, {BI_CEIL, "llvm.ceil", NULL, false},
    {BI_TRUNC, "llvm.trunc", NULL, false},
    {BI_TAN, NULL, "tan", true}, {BI_ASIN, NULL, "asin", true}, {BI_ACOS, NULL, "acos", true},
    {BI_ATAN, NULL, "atan", true}, {BI_SINH, NULL, "sinh", true}, {BI_COSH, NULL, "cosh", true},
    {BI_TANH, NULL, "tanh", true}, {BI_ASINH, NULL, "asinh", true},
    {BI_ACOSH, NULL, "acosh", true}, {BI_ATANH, NULL, "atanh", true},
    {BI_LOG1P, NULL, "log1p", true}, {BI_EXPM1, NULL, "expm1", true},
    {BI_ERF, NULL, "erf", true}, {BI_ERFC, NULL, "erfc", true},
    {BI_GAMMA, NULL, "tgamma", true}, {BI_LGAMMA, NULL, "lgamma", true},
    {BI_ATAN2, NULL, "atan2", true}, {BI_HYPOT, NULL, "hypot", true},
    {BI_FMOD, NULL, "fmod", true}, {BI_COPYSIGN, "llvm.copysign", NULL, false},
    {BI_MPOW, "llvm.pow", NULL, true},
};

static int
math_index(int id)
{
    for (size_t i = 0; i < sizeof(math_unary) / sizeof(math_unary[0]); i++) {
        if (math_unary[i].id == id) {
            return (int)i;
        }
    }
    return -1;
}

static LLVMValueRef
lower_math(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *t = ins->argtys[0];
    int id = ins->sub;
    PjCallPlan *plan = ins->data;
    int n = plan->nparams;
    if (id == BI_RADIANS || id == BI_DEGREES) {
        double k = id == BI_RADIANS ? 3.141592653589793 / 180.0
                                    : 180.0 / 3.141592653589793;
        return fp(lw, LLVMBuildFMul(lw->b, args[0],
                                    LLVMConstReal(LLVMTypeOf(args[0]), k),
                                    ""));
    }
    if (id == BI_LOG && n == 2) {
        LLVMValueRef la = pj_lower_intrinsic(lw, "llvm.log",
                                             LLVMTypeOf(args[0]), args, 1);
        LLVMValueRef lb = pj_lower_intrinsic(lw, "llvm.log",
                                             LLVMTypeOf(args[1]), args + 1, 1);
        return fp(lw, LLVMBuildFDiv(lw->b, la, lb, ""));
    }
    int k = math_index(id);
    LLVMValueRef r;
    if (math_unary[k].intrinsic != NULL) {
        r = pj_lower_intrinsic(lw, math_unary[k].intrinsic,
                               LLVMTypeOf(args[0]), args, n);
        if (math_unary[k].libcall) {
            mark_clobbered(lw);
        }
    }
    else {
        r = call_libm(lw, math_unary[k].libm, t, args, n);
    }
    if (id == BI_FLOOR || id == BI_CEIL || id == BI_TRUNC) {
        return float_to_int64(lw, r);
    }
    return r;
}

static const PjImpl impl_math = {"math", lower_math, false, false};
static const PjImpl impl_math_to_int = {"math", lower_math, true, false};

static LLVMValueRef
lower_math_pred(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *t = ins->argtys[0];
    int id = ins->sub;
    LLVMValueRef x = args[0];
    if (t->kind != PJ_TK_FLOAT) {
        return LLVMConstInt(lw->t_i1, id == BI_ISFINITE, 0);
    }
    if (id == BI_ISNAN) {
        return LLVMBuildFCmp(lw->b, LLVMRealUNO, x, x, "");
    }
    LLVMValueRef ax = pj_lower_intrinsic(lw, "llvm.fabs", LLVMTypeOf(x), &x,
                                         1);
    LLVMValueRef inf = LLVMConstReal(LLVMTypeOf(x), __builtin_inf());
    return LLVMBuildFCmp(lw->b, id == BI_ISINF ? LLVMRealOEQ : LLVMRealOLT,
                         ax, inf, "");
}

static const PjImpl impl_math_pred = {"math_pred", lower_math_pred,
                                      false, false};

static LLVMValueRef
lower_gcd(PjLower *lw, PjInstr *Py_UNUSED(ins), LLVMValueRef *args)
{
    LLVMTypeRef p[2] = {lw->t_i64, lw->t_i64};
    return call_c(lw, "pj_rt_gcd", lw->t_i64, p, args, 2, true);
}

static const PjImpl impl_gcd = {"gcd", lower_gcd, false, false};

static LLVMValueRef
lower_cmath(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    int id = ins->sub;
    PjType *t = ins->argtys[0];
    if (id == BI_PHASE) {
        LLVMValueRef yx[2] = {part(lw, args[0], 1), part(lw, args[0], 0)};
        return call_libm(lw, "atan2", pj_type_float(t->bits / 2), yx, 2);
    }
    const char *name = id == BI_CSQRT ? "pj_rt_csqrt"
                     : id == BI_CEXP ? "pj_rt_cexp" : "pj_rt_clog";
    return complex_helper(lw, name, t, args, 1);
}

static const PjImpl impl_cmath = {"cmath", lower_cmath, false, false};

static int
type_math(PjCompile *cx, PjInstr *ins, int id, PjType **args, int n)
{
    ins->sub = id;
    for (int i = 0; i < n; i++) {
        if (!is_real(args[i])) {
            return 1;
        }
    }
    switch (id) {
    case BI_ISNAN:
    case BI_ISINF:
    case BI_ISFINITE:
        return n == 1 ? pj_choose(cx, ins, &impl_math_pred, pj_t.boolean, args,
                                  1) : 1;
    case BI_GCD:
        if (n != 2 || !is_intlike(args[0]) || !is_intlike(args[1])) {
            return 1;
        }
        return choose2(cx, ins, &impl_gcd, pj_t.i64, pj_t.i64, pj_t.i64);
    case BI_FLOOR:
    case BI_CEIL:
    case BI_TRUNC:
        if (n != 1) {
            return 1;
        }
        if (args[0]->kind != PJ_TK_FLOAT) {
            return pj_choose(cx, ins, &impl_number_ctor, pj_t.i64, args, 1);
        }
        return pj_choose(cx, ins, &impl_math_to_int, pj_t.i64, args, 1);
    default:
        break;
    }
    bool binary = id == BI_ATAN2 || id == BI_HYPOT || id == BI_COPYSIGN
                  || id == BI_FMOD || id == BI_MPOW;
    int want = binary ? 2 : 1;
    if (n != want && !(id == BI_LOG && n == 2)) {
        return 1;
    }
    PjType *t = float_of(args[0]);
    for (int i = 1; i < n; i++) {
        t = pj_type_unify(t, float_of(args[i]));
    }
    PjType *argtys[2] = {t, t};
    return pj_choose(cx, ins, &impl_math, t, argtys, n);
}

static int
type_cmath(PjCompile *cx, PjInstr *ins, int id, PjType **args, int n)
{
    if (n != 1 || !pj_type_is_number(args[0])) {
        return 1;
    }
    ins->sub = id;
    PjType *c = args[0]->kind == PJ_TK_COMPLEX ? args[0] : pj_t.c128;
    PjType *r = id == BI_PHASE ? pj_type_float(c->bits / 2) : c;
    return pj_choose(cx, ins, &impl_cmath, r, &c, 1);
}

/* --- calls --- */

static LLVMValueRef
lower_conjugate(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *t = ins->resty;
    if (t->kind != PJ_TK_COMPLEX) {
        return args[0];
    }
    return pj_lower_complex(lw, t, part(lw, args[0], 0),
                      fp(lw, LLVMBuildFNeg(lw->b, part(lw, args[0], 1), "")));
}

static const PjImpl impl_conjugate = {"conjugate", lower_conjugate,
                                      false, false};

static const char *const params_round[] = {"number", "ndigits", NULL};
static const char *const params_enumerate[] = {"iterable", "start", NULL};
static const char *const params_sum[] = {"iterable", "start", NULL};
static const char *const params_new[] = {"shape", "dtype", NULL};
static const char *const params_full[] = {"shape", "fill_value", "dtype",
                                          NULL};
static const char *const params_like[] = {"a", "dtype", NULL};
static const char *const params_full_like[] = {"a", "fill_value", "dtype",
                                               NULL};

static const char *const *
keyword_params(int id)
{
    switch (id) {
    case BI_ROUND: return params_round;
    case BI_ENUMERATE: return params_enumerate;
    case BI_SUM: return params_sum;
    case BI_NP_EMPTY:
    case BI_NP_ZEROS:
    case BI_NP_ONES: return params_new;
    case BI_NP_FULL: return params_full;
    case BI_NP_EMPTY_LIKE:
    case BI_NP_ZEROS_LIKE:
    case BI_NP_ONES_LIKE: return params_like;
    case BI_NP_FULL_LIKE: return params_full_like;
    default: return NULL;
    }
}

/* Puts keyword arguments of a builtin call in positional order.  Returns
   the number of parameters bound, or -1 when a keyword does not fit. */
static int
bind_builtin(PjCompile *cx, PjInstr *ins, int id, PjType **args, int nargs,
             PyObject *kwnames, PjType **bound)
{
    int nkw = kwnames ? (int)PyTuple_GET_SIZE(kwnames) : 0;
    int npos = nargs - nkw;
    PjCallPlan *plan = pj_infer_plan(cx, ins, nargs);
    if (plan == NULL) {
        return -1;
    }
    for (int i = 0; i < npos; i++) {
        plan->src[i] = 1 + i;
        bound[i] = args[i];
    }
    const char *const *names = keyword_params(id);
    for (int k = 0; k < nkw; k++) {
        const char *kw = PyUnicode_AsUTF8(PyTuple_GET_ITEM(kwnames, k));
        int slot = -1;
        for (int i = 0; names && names[i]; i++) {
            if (strcmp(names[i], kw) == 0) {
                slot = i;
            }
        }
        if (slot != npos + k) {
            return -1;          /* unknown, or leaves a gap */
        }
        plan->src[slot] = 1 + npos + k;
        bound[slot] = args[npos + k];
    }
    return nargs;
}

/* np.floor, ceil, trunc on an element: a float stays a float (NaN
   included), an integer is its own value. */
static LLVMValueRef
round_element(PjLower *lw, PjInstr *ins, LLVMValueRef v, const char *fn)
{
    PjType *t = ins->argtys[0];
    if (t->kind != PJ_TK_FLOAT) {
        return v;
    }
    return pj_lower_intrinsic(lw, fn, LLVMTypeOf(v), &v, 1);
}

static LLVMValueRef
lower_np_floor(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    return round_element(lw, ins, args[0], "llvm.floor");
}

static LLVMValueRef
lower_np_ceil(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    return round_element(lw, ins, args[0], "llvm.ceil");
}

static LLVMValueRef
lower_np_trunc(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    return round_element(lw, ins, args[0], "llvm.trunc");
}

static const PjImpl impl_np_floor = {"floor", lower_np_floor, false, false};
static const PjImpl impl_np_ceil = {"ceil", lower_np_ceil, false, false};
static const PjImpl impl_np_trunc = {"trunc", lower_np_trunc, false, false};

/* The math function a NumPy ufunc computes on each element, or -1. */
static int
ufunc_math_id(int id)
{
    static const int pairs[][2] = {
        {BI_NP_SQRT, BI_SQRT}, {BI_NP_EXP, BI_EXP}, {BI_NP_LOG, BI_LOG},
        {BI_NP_LOG10, BI_LOG10}, {BI_NP_LOG2, BI_LOG2},
        {BI_NP_LOG1P, BI_LOG1P}, {BI_NP_EXPM1, BI_EXPM1},
        {BI_NP_SIN, BI_SIN}, {BI_NP_COS, BI_COS}, {BI_NP_TAN, BI_TAN},
        {BI_NP_ARCSIN, BI_ASIN}, {BI_NP_ARCCOS, BI_ACOS},
        {BI_NP_ARCTAN, BI_ATAN}, {BI_NP_SINH, BI_SINH},
        {BI_NP_COSH, BI_COSH}, {BI_NP_TANH, BI_TANH},
        {BI_NP_FLOOR, BI_FLOOR}, {BI_NP_CEIL, BI_CEIL},
        {BI_NP_TRUNC, BI_TRUNC}, {BI_NP_ABS, BI_ABS},
        {BI_NP_ISNAN, BI_ISNAN}, {BI_NP_ISINF, BI_ISINF},
        {BI_NP_ISFINITE, BI_ISFINITE},
    };
    for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
        if (pairs[i][0] == id) {
            return pairs[i][1];
        }
    }
    return -1;
}

/* The dtype of a ufunc's result over elements of type t, as NumPy's:
   abs, floor, ceil and trunc keep an integer dtype (abs of complex gives
   its real part's), tests give bool, the rest a float that holds the
   integers exactly (NumPy's float16 for bytes is float32 here). */
static PjType *
ufunc_dtype(int mid, PjType *t)
{
    switch (mid) {
    case BI_ABS:
        return t->kind == PJ_TK_COMPLEX ? pj_type_float(t->bits / 2) : t;
    case BI_FLOOR:
    case BI_CEIL:
    case BI_TRUNC:
        return t;
    case BI_ISNAN:
    case BI_ISINF:
    case BI_ISFINITE: return pj_t.boolean;
    default:
        if (t->kind == PJ_TK_FLOAT || t->kind == PJ_TK_COMPLEX) {
            return t;
        }
        return t->kind == PJ_TK_BOOL || t->bits <= 16 ? pj_t.f32 : pj_t.f64;
    }
}

static int type_builtin_id(PjCompile *cx, PjInstr *ins, int id,
                           PjType **bound, int n);

/* np.sqrt(x) and the like: over an array, each element; on a number, the
   math function (np.floor and friends give floats: arrays only). */
static int
type_ufunc(PjCompile *cx, PjInstr *ins, int mid, PjType **bound, int n)
{
    if (n != 1) {
        return 1;
    }
    if (bound[0]->kind != PJ_TK_ARRAY) {
        bool int_result = mid == BI_FLOOR || mid == BI_CEIL
                          || mid == BI_TRUNC;
        return int_result ? 1 : type_builtin_id(cx, ins, mid, bound, n);
    }
    PjInstr *e = pj_array_elem_call(cx, ins);
    PjType *et = bound[0]->elems[0];
    const PjImpl *rounding = mid == BI_FLOOR ? &impl_np_floor
                             : mid == BI_CEIL ? &impl_np_ceil
                             : mid == BI_TRUNC ? &impl_np_trunc : NULL;
    int rc = e == NULL ? -1
             : rounding && (!pj_type_is_number(et)
                            || et->kind == PJ_TK_COMPLEX) ? 1
             : rounding ? pj_choose(cx, e, rounding, et, &et, 1)
             : type_builtin_id(cx, e, mid, &et, 1);
    if (rc != 0) {
        return rc;
    }
    return pj_array_type_map(cx, ins, e, bound[0], ufunc_dtype(mid, et));
}

int
pj_type_builtin_call(PjCompile *cx, PjInstr *ins, PjType *fn,
                     PjType **args, int nargs, PyObject *kwnames)
{
    PjType *bound[PJ_MAX_ARGS];
    int id = fn->kind == PJ_TK_FUNCTION ? fn->ident : -1;
    int n = bind_builtin(cx, ins, id, args, nargs, kwnames, bound);
    if (n < 0) {
        return PyErr_Occurred() ? -1 : 1;
    }
    if (fn->kind == PJ_TK_CLASS) {
        return type_class_call(cx, ins, fn, bound, n);
    }
    if (fn->kind == PJ_TK_BOUND && fn->elems[0]->kind == PJ_TK_ARRAY) {
        return pj_array_type_method(cx, ins, fn->elems[0],
                                    PyUnicode_AsUTF8(fn->obj), bound, n,
                                    &cx->why);
    }
    if (fn->kind == PJ_TK_BOUND) {
        return n == 0 ? pj_choose(cx, ins, &impl_conjugate, fn->elems[0],
                                  fn->elems, 1) : 1;
    }
    if (fn->kind != PJ_TK_FUNCTION) {
        return 1;
    }
    if (ufunc_math_id(id) >= 0) {
        return type_ufunc(cx, ins, ufunc_math_id(id), bound, n);
    }
    return type_builtin_id(cx, ins, id, bound, n);
}

/* The builtin with this id, for these bound argument types. */
static int
type_builtin_id(PjCompile *cx, PjInstr *ins, int id, PjType **bound, int n)
{
    switch (id) {
    case BI_ABS: {
        if (n == 1 && bound[0]->kind == PJ_TK_ARRAY) {
            return type_ufunc(cx, ins, BI_ABS, bound, n);     /* abs(a) */
        }
        if (n != 1 || !pj_type_is_number(bound[0])) {
            return 1;
        }
        PjType *t = bound[0]->kind == PJ_TK_BOOL ? pj_t.i64 : bound[0];
        PjType *r = t->kind == PJ_TK_COMPLEX ? pj_type_float(t->bits / 2) : t;
        return pj_choose(cx, ins, &impl_abs, r, &t, 1);
    }
    case BI_MIN:
    case BI_MAX: return n ? type_minmax(cx, ins, bound, n, id) : 1;
    case BI_ROUND: return n ? type_round(cx, ins, bound, n) : 1;
    case BI_INT:
    case BI_FLOAT:
    case BI_BOOL:
    case BI_COMPLEX: return type_number_ctor(cx, ins, bound, n, id);
    case BI_POW: return n == 2 ? pj_type_binop(cx, ins, PJ_BIN_POW, bound[0],
                                               bound[1]) : 1;
    case BI_DIVMOD: return type_divmod(cx, ins, bound, n);
    case BI_SLICE: return type_slice(cx, ins, bound, n);
    case BI_NP_EMPTY: case BI_NP_ZEROS: case BI_NP_ONES: case BI_NP_FULL:
    case BI_NP_EMPTY_LIKE: case BI_NP_ZEROS_LIKE: case BI_NP_ONES_LIKE:
    case BI_NP_FULL_LIKE: case BI_NP_ARANGE: case BI_NP_COPY:
        return type_new_array(cx, ins, id, bound, n);
    case BI_SUM_ZERO:
    case BI_SUM_ONE:
    case BI_MEAN_ZERO: {
        if (n != 1 || bound[0]->kind != PJ_TK_ARRAY) {
            return 1;
        }
        PjType *t = sum_type(bound[0]->elems[0]);
        if (id == BI_MEAN_ZERO && pj_type_is_integer(t)) {
            t = pj_t.f64;       /* NumPy averages integers in float64 */
        }
        return pj_choose(cx, ins, id == BI_SUM_ONE ? &impl_sum_one
                         : &impl_sum_zero,
                         t, bound, 1);
    }
    case BI_AXIS_INDEX:
        if (n != 2 || !pj_type_is_integer(bound[0])
            || !pj_type_is_integer(bound[1])) {
            return 1;
        }
        cx->can_raise = true;       /* AxisError */
        return pj_choose(cx, ins, &impl_axis_index, pj_t.i64, bound, 2);
    case BI_DROP_AXIS: return type_drop_axis(cx, ins, bound, n);
    case BI_LEN:
        if (n == 1 && bound[0]->kind == PJ_TK_ARRAY) {
            return pj_array_type_len(cx, ins, bound[0]);
        }
        if (n != 1 || !(pj_type_is_tuple(bound[0])
                        || bound[0]->kind == PJ_TK_RANGE)) {
            return 1;
        }
        return pj_choose(cx, ins, bound[0]->kind == PJ_TK_RANGE
                                  ? &impl_len_range : &impl_len,
                         pj_t.i64, bound, 1);
    case BI_RANGE: return type_range(cx, ins, bound, n);
    case BI_ENUMERATE: return type_enumerate(cx, ins, bound, n);
    case BI_ZIP: return type_zip(cx, ins, bound, n);
    case BI_SUM: return type_sum(cx, ins, bound, n);
    case BI_PRINT: return type_print(cx, ins, bound, n);
    case BI_CSQRT:
    case BI_CEXP:
    case BI_CLOG:
    case BI_PHASE: return type_cmath(cx, ins, id, bound, n);
    default: return type_math(cx, ins, id, bound, n);
    }
}
