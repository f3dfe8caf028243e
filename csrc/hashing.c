/*
** hashing.c - hash() and the equality of keys, as CPython computes them.
**
** The kinds whose values can be keys of dicts and sets fill the lower_hash
** and lower_eq hooks of their rows; the functions for numbers and tuples
** are here, with CPython's values: an integer hashes to itself modulo the
** Mersenne prime 2**61 - 1 (with the sign, and -1 becomes -2), a float as
** the integer or fraction it equals (Python/pyhash.c, so hash(1.0) ==
** hash(1)), a tuple through CPython's xxHash-based combination of its
** items' hashes (Objects/tupleobject.c).  A NaN hashes to 0: in compiled
** code it has no identity to hash.
**
** Dicts and sets compare keys in their C table (hashtable.c) through small
** functions generated once per key type and module: equality, and boxing
** for KeyError and for the boundary with Python.
*/
#include "pyjit.h"

#include <math.h>
#include <string.h>

#define HASH_MODULUS (((uint64_t)1 << 61) - 1)
#define HASH_BITS 61
#define HASH_INF 314159
#define HASH_IMAG 1000003ULL

/* --- run time --- */

/* _Py_HashDouble, less the identity hash of a NaN. */
static int64_t
hash_double(double v)
{
    if (!isfinite(v)) {
        return isinf(v) ? (v > 0 ? HASH_INF : -HASH_INF) : 0;
    }
    int e;
    double m = frexp(v, &e);
    int sign = 1;
    if (m < 0) {
        sign = -1;
        m = -m;
    }
    uint64_t x = 0;
    while (m) {
        x = ((x << 28) & HASH_MODULUS) | x >> (HASH_BITS - 28);
        m *= 268435456.0;
        e -= 28;
        uint64_t y = (uint64_t)m;
        m -= (double)y;
        x += y;
        if (x >= HASH_MODULUS) {
            x -= HASH_MODULUS;
        }
    }
    e = e >= 0 ? e % HASH_BITS : HASH_BITS - 1 - ((-1 - e) % HASH_BITS);
    x = ((x << e) & HASH_MODULUS) | x >> (HASH_BITS - e);
    int64_t h = (int64_t)x * sign;
    return h == -1 ? -2 : h;
}

int64_t
pj_rt_hash_double(double v)
{
    return hash_double(v);
}

/* complex.__hash__: the real part's hash plus 1000003 times the
   imaginary part's, in unsigned arithmetic. */
int64_t
pj_rt_hash_complex(double re, double im)
{
    uint64_t h = (uint64_t)hash_double(re)
                 + HASH_IMAG * (uint64_t)hash_double(im);
    return (int64_t)h == -1 ? -2 : (int64_t)h;
}

/* --- numbers --- */

static LLVMValueRef
not_minus_one(PjLower *lw, LLVMValueRef h)
{
    LLVMValueRef is_m1 = LLVMBuildICmp(lw->b, LLVMIntEQ, h, pj_i64(lw, -1),
                                       "");
    return LLVMBuildSelect(lw->b, is_m1, pj_i64(lw, -2), h, "");
}

/* u mod 2**61 - 1 for an unsigned 64-bit u, without a division (one
   costs a dict lookup by int most of its time): 2**61 is 1 modulo the
   modulus, so u is congruent to (u & M) + (u >> 61), which is below 2 M
   and needs at most one subtraction. */
static LLVMValueRef
mod_hash_modulus(PjLower *lw, LLVMValueRef u)
{
    LLVMValueRef mod = LLVMConstInt(lw->t_i64, HASH_MODULUS, 0);
    LLVMValueRef r = LLVMBuildAdd(
        lw->b, LLVMBuildAnd(lw->b, u, mod, ""),
        LLVMBuildLShr(lw->b, u, pj_i64(lw, HASH_BITS), ""), "");
    LLVMValueRef over = LLVMBuildICmp(lw->b, LLVMIntUGE, r, mod, "");
    return LLVMBuildSelect(lw->b, over, LLVMBuildSub(lw->b, r, mod, ""), r,
                           "");
}

/* int.__hash__ of a 64-bit integer: |x| mod 2**61 - 1, with x's sign. */
static LLVMValueRef
hash_int64(PjLower *lw, LLVMValueRef x, bool is_signed)
{
    if (!is_signed) {
        return mod_hash_modulus(lw, x);
    }
    LLVMValueRef neg = LLVMBuildICmp(lw->b, LLVMIntSLT, x, pj_i64(lw, 0), "");
    LLVMValueRef mag = LLVMBuildSelect(lw->b, neg, LLVMBuildNeg(lw->b, x, ""),
                                       x, "");
    LLVMValueRef r = mod_hash_modulus(lw, mag);
    r = LLVMBuildSelect(lw->b, neg, LLVMBuildNeg(lw->b, r, ""), r, "");
    return not_minus_one(lw, r);
}

static LLVMValueRef
hash_double_call(PjLower *lw, LLVMValueRef v)
{
    return pj_lower_call_c(lw, "pj_rt_hash_double", lw->t_i64, &lw->t_f64,
                           &v, 1, true);
}

LLVMValueRef
pj_lower_number_hash(PjLower *lw, LLVMValueRef v, PjType *t)
{
    switch (t->kind) {
    case PJ_TK_BOOL: return LLVMBuildZExt(lw->b, v, lw->t_i64, "");
    case PJ_TK_INT:
        return hash_int64(lw, LLVMBuildSExt(lw->b, v, lw->t_i64, ""), true);
    case PJ_TK_UINT:
        return hash_int64(lw, LLVMBuildZExt(lw->b, v, lw->t_i64, ""), false);
    case PJ_TK_FLOAT:
        return hash_double_call(lw, LLVMBuildFPExt(lw->b, v, lw->t_f64, ""));
    default: {
        LLVMValueRef a[2] = {
            LLVMBuildFPExt(lw->b, pj_part(lw, v, 0), lw->t_f64, ""),
            LLVMBuildFPExt(lw->b, pj_part(lw, v, 1), lw->t_f64, ""),
        };
        LLVMTypeRef p[2] = {lw->t_f64, lw->t_f64};
        return pj_lower_call_c(lw, "pj_rt_hash_complex", lw->t_i64, p, a, 2,
                               true);
    }
    }
}

LLVMValueRef
pj_lower_number_eq(PjLower *lw, LLVMValueRef v, LLVMValueRef w, PjType *t)
{
    return pj_lower_compare_numbers(lw, PJ_CMP_EQ, v, w, t);
}

/* --- tuples --- */

#define XXPRIME_1 11400714785074694791ULL
#define XXPRIME_2 14029467366897019727ULL
#define XXPRIME_5 2870177450012600261ULL

/* tuple.__hash__ (CPython 3.8 on): xxHash's round over the items'
   hashes. */
LLVMValueRef
pj_lower_tuple_hash(PjLower *lw, LLVMValueRef v, PjType *t)
{
    LLVMValueRef acc = LLVMConstInt(lw->t_i64, XXPRIME_5, 0);
    LLVMValueRef rot[3] = {NULL, NULL, pj_i64(lw, 31)};
    for (int i = 0; i < t->count; i++) {
        PjType *et = pj_type_elem(t, i);
        LLVMValueRef lane = pj_kind(et)->lower_hash(
            lw, pj_part(lw, v, (unsigned)i), et);
        acc = LLVMBuildAdd(lw->b, acc, LLVMBuildMul(
            lw->b, lane, LLVMConstInt(lw->t_i64, XXPRIME_2, 0), ""), "");
        rot[0] = rot[1] = acc;
        acc = pj_lower_intrinsic(lw, "llvm.fshl", lw->t_i64, rot, 3);
        acc = LLVMBuildMul(lw->b, acc, LLVMConstInt(lw->t_i64, XXPRIME_1, 0),
                           "");
    }
    unsigned long long tail = (unsigned long long)t->count
                              ^ (XXPRIME_5 ^ 3527539ULL);
    acc = LLVMBuildAdd(lw->b, acc, LLVMConstInt(lw->t_i64, tail, 0), "");
    LLVMValueRef is_m1 = LLVMBuildICmp(lw->b, LLVMIntEQ, acc, pj_i64(lw, -1),
                                       "");
    return LLVMBuildSelect(lw->b, is_m1, pj_i64(lw, 1546275796), acc, "");
}

LLVMValueRef
pj_lower_tuple_eq(PjLower *lw, LLVMValueRef v, LLVMValueRef w, PjType *t)
{
    LLVMValueRef all = LLVMConstInt(lw->t_i1, 1, 0);
    for (int i = 0; i < t->count; i++) {
        PjType *et = pj_type_elem(t, i);
        LLVMValueRef e = pj_kind(et)->lower_eq(
            lw, pj_part(lw, v, (unsigned)i), pj_part(lw, w, (unsigned)i), et);
        all = LLVMBuildAnd(lw->b, all, e, "");
    }
    return all;
}

/* Whether values of type t can be keys: their kind hashes them, and a
   tuple's items all can. */
bool
pj_type_is_hashable(PjType *t)
{
    if (pj_kind(t)->lower_hash == NULL) {
        return false;
    }
    for (int i = 0; pj_type_is_tuple(t) && i < t->count; i++) {
        if (!pj_type_is_hashable(pj_type_elem(t, i))) {
            return false;
        }
    }
    return true;
}

/* --- hash() --- */

/* Whether t is, or is a tuple holding, a datetime64 or timedelta64. */
static bool
holds_datetime(PjType *t)
{
    for (int i = 0; pj_type_is_tuple(t) && i < t->count; i++) {
        if (holds_datetime(pj_type_elem(t, i))) {
            return true;
        }
    }
    return pj_type_is_datetime_like(t);
}

static LLVMValueRef
lower_hash(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *t = ins->argtys[0];
    return pj_kind(t)->lower_hash(lw, args[0], t);
}

static const PjImpl impl_hash = {"hash", lower_hash, false, false};

int
pj_type_hash(PjCompile *cx, PjInstr *ins, const PjCallable *Py_UNUSED(fn),
             PjType **args, int n)
{
    if (n != 1) {
        return 1;
    }
    /* a string constant is hashed as the string it is */
    PjType *t = pj_type_is_strlit(args[0]) ? pj_type_unicode() : args[0];
    if (!pj_type_is_hashable(t)) {
        cx->why = "the value is not hashable";
        return 1;
    }
    if (holds_datetime(t)) {
        cx->why = "hash() of a datetime64 or timedelta64 is NumPy's, which "
                  "compiled code does not compute (they are keys of dicts "
                  "and sets all the same)";
        return 1;
    }
    return pj_choose(cx, ins, &impl_hash, pj_t.i64, &t, 1);
}

/* --- functions generated for the tables --- */

/* Starts the body of the private function `name` of type fty in the
   module, or returns NULL when the module already has it (*fn is set
   either way); pj_hash_end_function goes back to what was being built. */
LLVMBuilderRef
pj_hash_begin_function(PjLower *lw, const char *name, LLVMTypeRef fty,
                       LLVMValueRef *fn, LLVMValueRef *outer)
{
    *fn = LLVMGetNamedFunction(lw->mod, name);
    if (*fn != NULL) {
        return NULL;
    }
    *fn = LLVMAddFunction(lw->mod, name, fty);
    LLVMSetLinkage(*fn, LLVMInternalLinkage);
    LLVMBuilderRef saved = lw->b;
    *outer = lw->func;
    lw->func = *fn;
    lw->b = LLVMCreateBuilderInContext(lw->ctx);
    LLVMPositionBuilderAtEnd(lw->b, LLVMAppendBasicBlockInContext(
        lw->ctx, *fn, "entry"));
    return saved;
}

void
pj_hash_end_function(PjLower *lw, LLVMBuilderRef saved, LLVMValueRef outer)
{
    LLVMDisposeBuilder(lw->b);
    lw->b = saved;
    lw->func = outer;
}

static const char *
function_name(PjLower *lw, const char *what, PjType *t)
{
    return pj_arena_printf(lw->cx->arena, "pj.%s.%s", what, pj_type_str(t));
}

/* int32 eq(const K *a, const K *b) for keys of type t. */
LLVMValueRef
pj_hash_eq_function(PjLower *lw, PjType *t)
{
    LLVMTypeRef p[2] = {lw->t_ptr, lw->t_ptr};
    LLVMTypeRef fty = LLVMFunctionType(lw->t_i32, p, 2, 0);
    LLVMValueRef fn, outer;
    LLVMBuilderRef saved = pj_hash_begin_function(
        lw, function_name(lw, "eq", t), fty, &fn, &outer);
    if (saved == NULL) {
        return fn;
    }
    LLVMTypeRef lt = pj_lower_type(lw, t);
    LLVMValueRef a = LLVMBuildLoad2(lw->b, lt, LLVMGetParam(fn, 0), "");
    LLVMValueRef b = LLVMBuildLoad2(lw->b, lt, LLVMGetParam(fn, 1), "");
    LLVMValueRef eq = pj_kind(t)->lower_eq(lw, a, b, t);
    LLVMBuildRet(lw->b, LLVMBuildZExt(lw->b, eq, lw->t_i32, ""));
    pj_hash_end_function(lw, saved, outer);
    return fn;
}

/* PyObject *box(const T *p): a new reference to the Python object for
   the value at p, which keeps its own references. */
LLVMValueRef
pj_hash_box_function(PjLower *lw, PjType *t)
{
    LLVMTypeRef fty = LLVMFunctionType(lw->t_ptr, &lw->t_ptr, 1, 0);
    LLVMValueRef fn, outer;
    LLVMBuilderRef saved = pj_hash_begin_function(
        lw, function_name(lw, "box", t), fty, &fn, &outer);
    if (saved == NULL) {
        return fn;
    }
    LLVMValueRef v = LLVMBuildLoad2(lw->b, pj_lower_type(lw, t),
                                    LLVMGetParam(fn, 0), "");
    pj_lower_each_meminfo(lw, v, t, NULL, pj_lower_incref);
    LLVMBuildRet(lw->b, pj_kind(t)->box(lw, v, t));
    pj_hash_end_function(lw, saved, outer);
    return fn;
}
