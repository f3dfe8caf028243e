/*
** linalg.c - BLAS and LAPACK for compiled code: the routines SciPy
** exports, linked into the JIT by name, and the intrinsics
** pyjit/_np_linalg.py is written with.
**
** pyjit brings no BLAS or LAPACK of its own.  SciPy exports the ones it
** was built with as C function pointers (the PyCapsules of
** scipy.linalg.cython_blas.__pyx_capi__ and cython_lapack's), with the
** Fortran calling convention: every argument by address, a status in the
** last argument of a LAPACK routine.  Generated code calls them by the
** names pj_la_<routine> (pj_la_dgemm); a definition generator of the JIT
** resolves those names at the first link that needs one, loading SciPy's
** two modules then, once per process (pyjit/_scipy_routines.py loads them
** from their files: importing them by name imports all of scipy.linalg).
** Cached code links the same way, so the addresses are never part of the
** code.
**
** The intrinsics:
**   _linalg(routine, *args)   calls routine (a row of `routines`) in the
**       precision of the first array among args: arrays pass their data,
**       integers a 32-bit int, float and complex numbers a number of the
**       routine's precision, a one-character string its character, each
**       by address.  A LAPACK routine's status (info) is added as the last
**       argument and returned; a dot product (dot, dotc) returns its value,
**       a number of the routine's precision.
**   _holds_complex(a)         whether a's dtype (or a, not an array) is
**       complex, a constant.
**   _real_zero(a)             0 in the real type of a's dtype (float32
**       for complex64; float64 for integers), the type of the routines'
**       real outputs, and what integers are converted to.
** and the `@` operator on arrays, which calls the library's np.matmul.
*/
#include "pyjit.h"

#include <llvm-c/Orc.h>
#include <string.h>

#define LA_PREFIX "pj_la_"

/* --- the routines, resolved from SciPy --- */

/* The SciPy modules whose __pyx_capi__ dicts name the routines, loaded
   at the first need; NULL until then. */
static PyObject *blas_capi, *lapack_capi;

static const char scipy_missing[] =
    "np.linalg, np.dot, np.matmul and @ of arrays call BLAS and LAPACK "
    "through SciPy (scipy.linalg.cython_blas and cython_lapack), which "
    "cannot be imported: install scipy";

/* The __pyx_capi__ dict of scipy.linalg.<module>, loaded by
   pyjit/_scipy_routines.py without importing the rest of scipy.linalg. */
static PyObject *
load_capi(const char *module)
{
    PyObject *loader = PyImport_ImportModule("pyjit._scipy_routines");
    PyObject *d = loader ? PyObject_CallMethod(loader, "routines", "s",
                                               module)
                         : NULL;
    Py_XDECREF(loader);
    if (d != NULL && !PyDict_Check(d)) {
        Py_CLEAR(d);
        PyErr_Format(PyExc_ImportError,
                     "scipy.linalg.%s.__pyx_capi__ is not a dict", module);
    }
    return d;
}

/* 0 when SciPy's routines are at hand; -1 with ImportError naming SciPy
   otherwise. */
int
pj_linalg_ready(void)
{
    if (blas_capi == NULL) {
        blas_capi = load_capi("cython_blas");
    }
    if (blas_capi != NULL && lapack_capi == NULL) {
        lapack_capi = load_capi("cython_lapack");
    }
    if (lapack_capi != NULL) {
        return 0;
    }
    PyErr_Clear();
    PyErr_SetString(PyExc_ImportError, scipy_missing);
    return -1;
}

/* The address of SciPy's routine `name` (dgemm), or NULL with an
   exception set. */
static void *
routine_address(const char *name)
{
    if (pj_linalg_ready() < 0) {
        return NULL;
    }
    PyObject *cap = PyDict_GetItemString(blas_capi, name);
    if (cap == NULL) {
        cap = PyDict_GetItemString(lapack_capi, name);
    }
    if (cap == NULL || !PyCapsule_CheckExact(cap)) {
        PyErr_Format(PyExc_ImportError, "SciPy exports no routine %s", name);
        return NULL;
    }
    return PyCapsule_GetPointer(cap, PyCapsule_GetName(cap));
}

/* --- the JIT's definition generator: pj_la_<routine> names --- */

static void *
routine_of_name(const char *name)
{
    return routine_address(name + strlen(LA_PREFIX));
}

const PjNameResolver pj_linalg_names = {LA_PREFIX, routine_of_name,
                                        scipy_missing, true};

/* --- _linalg(routine, *args) --- */

/* What a routine gives back: nothing (BLAS's matrix products), a status
   in an added last argument (LAPACK), or its value (the dot products,
   functions in Fortran and in SciPy's C signatures). */
typedef enum { GIVES_NOTHING, GIVES_STATUS, GIVES_VALUE } Gives;

/* The routines compiled code calls, by the name the library uses, each
   with its name in the four precisions (float32, float64, complex64,
   complex128) and what it gives back. */
typedef struct {
    const char *name;
    const char *precisions[4];
    Gives gives;
} Routine;

static const Routine routines[] = {
    {"dot", {"sdot", "ddot", "cdotu", "zdotu"}, GIVES_VALUE},
    {"dotc", {"sdot", "ddot", "cdotc", "zdotc"}, GIVES_VALUE},
    {"gemm", {"sgemm", "dgemm", "cgemm", "zgemm"}, GIVES_NOTHING},
    {"gemv", {"sgemv", "dgemv", "cgemv", "zgemv"}, GIVES_NOTHING},
    {"getrf", {"sgetrf", "dgetrf", "cgetrf", "zgetrf"}, GIVES_STATUS},
    {"getri", {"sgetri", "dgetri", "cgetri", "zgetri"}, GIVES_STATUS},
    {"getrs", {"sgetrs", "dgetrs", "cgetrs", "zgetrs"}, GIVES_STATUS},
    {"gesv", {"sgesv", "dgesv", "cgesv", "zgesv"}, GIVES_STATUS},
    {"geev", {"sgeev", "dgeev", "cgeev", "zgeev"}, GIVES_STATUS},
    {"heevd", {"ssyevd", "dsyevd", "cheevd", "zheevd"}, GIVES_STATUS},
    {"gesdd", {"sgesdd", "dgesdd", "cgesdd", "zgesdd"}, GIVES_STATUS},
    {"geqrf", {"sgeqrf", "dgeqrf", "cgeqrf", "zgeqrf"}, GIVES_STATUS},
    {"ungqr", {"sorgqr", "dorgqr", "cungqr", "zungqr"}, GIVES_STATUS},
    {"potrf", {"spotrf", "dpotrf", "cpotrf", "zpotrf"}, GIVES_STATUS},
    {"gelsd", {"sgelsd", "dgelsd", "cgelsd", "zgelsd"}, GIVES_STATUS},
};

static const Routine *
find_routine(PjType *t)
{
    if (!pj_type_is_strlit(t) || !PyUnicode_Check(t->obj)) {
        return NULL;
    }
    const char *name = PyUnicode_AsUTF8(t->obj);
    for (size_t i = 0; name && i < sizeof(routines) / sizeof(*routines);
         i++) {
        if (strcmp(routines[i].name, name) == 0) {
            return &routines[i];
        }
    }
    PyErr_Clear();
    return NULL;
}

/* The number type of a precision (0 float32 ... 3 complex128), which a
   dot product returns. */
static PjType *
precision_type(int precision)
{
    PjType *const order[4] = {pj_t.f32, pj_t.f64, pj_t.c64, pj_t.c128};
    return order[precision];
}

/* The precision of a dtype: 0 float32, 1 float64, 2 complex64,
   3 complex128; -1 for any other. */
static int
precision_of(PjType *dtype)
{
    for (int i = 0; i < 4; i++) {
        if (dtype == precision_type(i)) {
            return i;
        }
    }
    return -1;
}

/* The precision of the call: the first array argument's. */
static int
call_precision(PjType **args, int n)
{
    for (int i = 1; i < n; i++) {
        if (pj_type_is_array(args[i])) {
            return precision_of(args[i]->elems[0]);
        }
    }
    return -1;
}

/* The number type a scalar argument is passed as: the call's precision,
   real or complex as the argument is. */
static PjType *
scalar_type(PjType *t, int precision)
{
    bool single = precision % 2 == 0;
    if (t->kind == PJ_TK_COMPLEX) {
        return single ? pj_t.c64 : pj_t.c128;
    }
    return single ? pj_t.f32 : pj_t.f64;
}

/* Fortran's INTEGER is 32 bits: a dimension, an increment or a size
   beyond them is NumPy's kind of ValueError, not a truncated one. */
static void
check_int32(PjLower *lw, PjType *t, LLVMValueRef v, const char *routine)
{
    LLVMValueRef x = pj_lower_convert(lw, v, t, pj_t.i64);
    LLVMValueRef off = LLVMBuildAdd(lw->b, x, pj_i64(lw, 1LL << 31), "");
    LLVMValueRef bad = LLVMBuildICmp(lw->b, LLVMIntUGT, off,
                                     pj_i64(lw, 0xFFFFFFFFLL), "");
    const char *msg = pj_arena_printf(
        lw->cx->arena, "%s takes dimensions and sizes up to 2**31-1 (its "
        "32-bit integers): an array is too large for it", routine);
    pj_lower_check(lw, bad, "ValueError", msg ? msg : routine);
}

/* What an argument passes: its address, of a value of the type below. */
static LLVMValueRef
argument_address(PjLower *lw, PjType *t, LLVMValueRef v, int precision)
{
    if (pj_type_is_array(t)) {
        return LLVMBuildExtractValue(lw->b, v, PJ_ARRAY_DATA, "data");
    }
    if (pj_type_is_strlit(t)) {
        return pj_lower_cstring(lw, PyUnicode_AsUTF8(t->obj));
    }
    PjType *to = pj_type_is_intlike(t) ? pj_t.i32 : scalar_type(t, precision);
    LLVMValueRef slot = pj_lower_alloca(lw, pj_lower_type(lw, to), "la_arg");
    LLVMBuildStore(lw->b, pj_lower_convert(lw, v, t, to), slot);
    return slot;
}

/* The LLVM type C returns a number of type t in: as pyjit holds it, but
   for a complex64 on x86-64, whose SysV ABI returns the two floats packed
   in one vector register where a struct of two floats comes back in two. */
static LLVMTypeRef
returned_type(PjLower *lw, PjType *t)
{
#if defined(__x86_64__)
    if (t == pj_t.c64) {
        return LLVMVectorType(lw->t_f32, 2);
    }
#endif
    return pj_lower_type(lw, t);
}

/* The number v, returned by C as returned_type(t), as pyjit holds it. */
static LLVMValueRef
from_returned(PjLower *lw, PjType *t, LLVMValueRef v)
{
    LLVMTypeRef held = pj_lower_type(lw, t);
    if (returned_type(lw, t) == held) {
        return v;
    }
    LLVMValueRef out = LLVMGetUndef(held);
    for (unsigned i = 0; i < 2; i++) {
        LLVMValueRef part = LLVMBuildExtractElement(
            lw->b, v, LLVMConstInt(lw->t_i32, i, 0), "");
        out = LLVMBuildInsertValue(lw->b, out, part, i, "");
    }
    return out;
}

/* The plan of a call: the routine and the number of arguments. */
typedef struct {
    const Routine *routine;
    int nargs;
} CallPlan;

static LLVMValueRef
lower_linalg(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    const CallPlan *plan = ins->plan.ptr;
    const Routine *r = plan->routine;
    int n = plan->nargs, precision = call_precision(ins->argtys, n);
    LLVMValueRef *actual = PJ_NEW_N(lw->cx->arena, LLVMValueRef, n + 1);
    LLVMTypeRef *params = PJ_NEW_N(lw->cx->arena, LLVMTypeRef, n + 1);
    if (actual == NULL || params == NULL) {
        return NULL;
    }
    int k = 0;
    char name[32];
    snprintf(name, sizeof(name), "%s", r->precisions[precision]);
    for (int i = 1; i < n; i++, k++) {
        if (pj_type_is_intlike(ins->argtys[i])) {
            check_int32(lw, ins->argtys[i], args[i], name);
        }
        actual[k] = argument_address(lw, ins->argtys[i], args[i], precision);
        params[k] = lw->t_ptr;
    }
    snprintf(name, sizeof(name), LA_PREFIX "%s", r->precisions[precision]);
    if (r->gives == GIVES_VALUE) {
        PjType *t = precision_type(precision);
        LLVMValueRef v = pj_lower_helper(lw, name, returned_type(lw, t),
                                         params, actual, k);
        return from_returned(lw, t, v);
    }
    LLVMValueRef info = NULL;
    if (r->gives == GIVES_STATUS) {
        info = pj_lower_alloca(lw, lw->t_i32, "info");
        LLVMBuildStore(lw->b, LLVMConstInt(lw->t_i32, 0, 0), info);
        actual[k] = info;
        params[k++] = lw->t_ptr;
    }
    pj_lower_helper(lw, name, lw->t_void, params, actual, k);
    LLVMValueRef status = info ? LLVMBuildLoad2(lw->b, lw->t_i32, info, "")
                               : LLVMConstInt(lw->t_i32, 0, 0);
    return LLVMBuildSExt(lw->b, status, lw->t_i64, "info");
}

static const PjImpl impl_linalg = {"linalg", lower_linalg, true, false};

/* Whether an argument after the routine's name can be passed. */
static bool
passable(PjType *t)
{
    if (pj_type_is_array(t)) {
        return true;
    }
    if (pj_type_is_strlit(t)) {
        return PyUnicode_Check(t->obj) && PyUnicode_GET_LENGTH(t->obj) == 1;
    }
    return pj_type_is_number(t);
}

int
pj_type_linalg_call(PjCompile *cx, PjInstr *ins,
                    const PjCallable *Py_UNUSED(fn), PjType **args, int n)
{
    const Routine *r = n > 0 ? find_routine(args[0]) : NULL;
    if (r == NULL) {
        cx->why = "the first argument names a routine of linalg.c";
        return 1;
    }
    for (int i = 1; i < n; i++) {
        if (!passable(args[i])) {
            return 1;
        }
    }
    if (call_precision(args, n) < 0) {
        cx->why = "BLAS and LAPACK take float32, float64, complex64 and "
                  "complex128 arrays";
        return 1;
    }
    if (pj_linalg_ready() < 0) {
        PyErr_Clear();
        return pj_infer_fail(cx, ins, "%s", scipy_missing);
    }
    CallPlan *plan = PJ_NEW(cx->arena, CallPlan);
    if (plan == NULL) {
        return -1;
    }
    plan->routine = r;
    plan->nargs = n;
    cx->can_raise = true;       /* a size beyond Fortran's INTEGER */
    PjType *resty = r->gives == GIVES_VALUE
                        ? precision_type(call_precision(args, n))
                        : pj_t.i64;
    return pj_choose_plan(cx, ins, &impl_linalg, resty, args, n,
                          (PjPlan){.ptr = plan});
}

/* --- _holds_complex(a), _real_zero(a) --- */

/* The type of a's elements, or a itself when it is not an array: the
   library asks _holds_complex of an array or of one of its elements. */
static PjType *
elements_of(PjType *a)
{
    return pj_type_is_array(a) ? a->elems[0] : a;
}

static LLVMValueRef
lower_holds_complex(PjLower *lw, PjInstr *ins, LLVMValueRef *Py_UNUSED(args))
{
    PjType *t = elements_of(ins->argtys[0]);
    return LLVMConstInt(pj_lower_type(lw, pj_t.boolean),
                        t->kind == PJ_TK_COMPLEX, 0);
}

static const PjImpl impl_holds_complex = {"holds_complex",
                                          lower_holds_complex, false, false};

int
pj_type_holds_complex(PjCompile *cx, PjInstr *ins,
                      const PjCallable *Py_UNUSED(fn), PjType **args, int n)
{
    if (n != 1) {
        return 1;
    }
    return pj_choose(cx, ins, &impl_holds_complex, pj_t.boolean, args, 1);
}

static LLVMValueRef
lower_real_zero(PjLower *lw, PjInstr *ins, LLVMValueRef *Py_UNUSED(args))
{
    return LLVMConstNull(pj_lower_type(lw, ins->resty));
}

static const PjImpl impl_real_zero = {"real_zero", lower_real_zero, false,
                                      false};

int
pj_type_real_zero(PjCompile *cx, PjInstr *ins,
                  const PjCallable *Py_UNUSED(fn), PjType **args, int n)
{
    if (n != 1 || !pj_type_is_array(args[0])) {
        return 1;
    }
    int precision = precision_of(args[0]->elems[0]);
    PjType *real = precision >= 0 && precision % 2 == 0 ? pj_t.f32
                                                         : pj_t.f64;
    return pj_choose(cx, ins, &impl_real_zero, real, args, 1);
}

/* What `fn(arg)` is when fn is _holds_integers of an array or
   _holds_complex of an array or a value, decided by the type so that
   inference prunes the branch the dtype does not take (typeinfer.c): 1
   true, 0 false, -1 when the call is not one of these. */
int
pj_linalg_dtype_test(PyObject *fn, PjType *arg)
{
    const PjCallable *c = pj_callable_of(fn);
    if (c == NULL) {
        return -1;
    }
    if (c == &pj_callables[PJ_FN_HOLDS_INTEGERS] && pj_type_is_array(arg)) {
        PjType *t = arg->elems[0];
        return pj_type_is_integer(t) || t->kind == PJ_TK_BOOL;
    }
    if (c == &pj_callables[PJ_FN_HOLDS_COMPLEX]) {
        return pj_type_is_complex(elements_of(arg));
    }
    if (c == &pj_callables[PJ_FN_HOLDS_STRINGS]) {
        return pj_charseq_array(arg);
    }
    return -1;
}

/* --- a @ b: the library's np.matmul --- */

static LLVMValueRef
lower_matmul(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *restype;
    LLVMValueRef r = pj_lower_call_callee(lw, (PjCallee *)ins->plan.ptr, args,
                                          &restype);
    return r ? pj_lower_convert(lw, r, restype, ins->resty) : NULL;
}

static const PjImpl impl_matmul = {"matmul", lower_matmul, true, true};

/* Types a @ b of two arrays as the library's np.matmul(a, b); 1 when
   either is not an array. */
int
pj_linalg_type_matmul(PjCompile *cx, PjInstr *ins, PjType *a, PjType *b)
{
    if (b == NULL || !pj_type_is_array(a) || !pj_type_is_array(b)) {
        cx->why = "@ multiplies two arrays";
        return 1;
    }
    PyObject *np = PyImport_ImportModule("numpy");
    PyObject *matmul = np ? PyObject_GetAttrString(np, "matmul") : NULL;
    Py_XDECREF(np);
    PyObject *disp = matmul ? pj_library_function(matmul, false) : NULL;
    Py_XDECREF(matmul);
    if (disp == NULL) {
        PyErr_Clear();
        return 1;
    }
    PjType *args[2] = {a, b};
    PjCallee *callee = cx->type_callee(cx, disp, args, 2, cx->reporting);
    if (callee == NULL || callee->restype == NULL) {
        return -1;
    }
    if (callee->depends_on < cx->depends_on) {
        cx->depends_on = callee->depends_on;
    }
    cx->can_raise |= callee->can_raise;
    return pj_choose_plan(cx, ins, &impl_matmul, callee->restype,
                          callee->argtys, 2, (PjPlan){.ptr = callee});
}
