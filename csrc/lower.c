/*
** lower.c - typed IR -> LLVM IR.
**
** Input: the typed cx->fn.  Output: cx->llmod, in a fresh context, holding
** two functions:
**
**   the native function  T name(args)            when it cannot raise
**                        i32 name(T *ret, args)  otherwise: 0 ok, -1 error
**                                                with a Python exception set
**   the wrapper          PyObject *name.wrapper(PyObject *const *args,
**                                               const PjValue *vals)
**
** A function that cannot raise returns its value directly so that LLVM
** optimizes recursion and calls as it would in C.  The wrapper takes the
** scalars the dispatcher already unboxed, unboxes the rest, calls the native
** function (releasing the GIL around it with nogil=True) and boxes the
** result.
**
** Every variable gets an alloca in the entry block; mem2reg turns them
** into SSA.  Every other stack slot (an out-parameter of a runtime helper,
** a tuple indexed by a variable) is in the entry block too, made by
** pj_lower_alloca wherever the builder is: a slot made in a loop would
** take more stack on each iteration.  Generated code calls runtime
** helpers and C-API functions by name only (never by address), so the
** same object code links in any process.  The bodies of jitted callees
** are linked in from their bitcode so that LLVM can inline them.
*/
#include "pyjit.h"

#include <llvm-c/BitReader.h>
#include <llvm-c/Linker.h>

#include <marshal.h>
#include <string.h>

#define ERROR_STATUS (-1)

/* --- types --- */

static LLVMTypeRef
struct_of(PjLower *lw, PjType **elems, int n)
{
    LLVMTypeRef fields[PJ_MAX_ARGS];
    for (int i = 0; i < n; i++) {
        fields[i] = pj_lower_type(lw, elems[i]);
    }
    return LLVMStructTypeInContext(lw->ctx, fields, (unsigned)n, 0);
}

static LLVMTypeRef
iter_type(PjLower *lw, PjType *t)
{
    LLVMTypeRef f[PJ_MAX_ARGS + 1];
    switch (t->ident) {
    case PJ_ITER_RANGE:         /* next value, step, items left */
        f[0] = f[1] = f[2] = lw->t_i64;
        return LLVMStructTypeInContext(lw->ctx, f, 3, 0);
    case PJ_ITER_TUPLE:         /* the tuple, next index */
        f[0] = pj_lower_type(lw, t->elems[0]);
        f[1] = lw->t_i64;
        return LLVMStructTypeInContext(lw->ctx, f, 2, 0);
    case PJ_ITER_ARRAY:         /* the array, next index */
    case PJ_ITER_FLAT:
        f[0] = pj_lower_type(lw, t->elems[0]);
        f[1] = lw->t_i64;
        return LLVMStructTypeInContext(lw->ctx, f, 2, 0);
    case PJ_ITER_ENUMERATE:     /* count, inner iterator */
        f[0] = lw->t_i64;
        f[1] = pj_lower_type(lw, t->elems[0]);
        return LLVMStructTypeInContext(lw->ctx, f, 2, 0);
    default:                    /* zip: the inner iterators */
        return struct_of(lw, t->elems, t->count);
    }
}

/* The LLVM type of a value of type t; NULL for compile-time constants,
   which have no run-time representation. */
LLVMTypeRef
pj_lower_type(PjLower *lw, PjType *t)
{
    LLVMTypeRef f[2];
    switch (t->kind) {
    case PJ_TK_BOOL: return lw->t_i1;
    case PJ_TK_INT:
    case PJ_TK_UINT: return LLVMIntTypeInContext(lw->ctx, (unsigned)t->bits);
    case PJ_TK_FLOAT: return t->bits == 32 ? lw->t_f32 : lw->t_f64;
    case PJ_TK_COMPLEX:
        f[0] = f[1] = t->bits == 64 ? lw->t_f32 : lw->t_f64;
        return LLVMStructTypeInContext(lw->ctx, f, 2, 0);
    case PJ_TK_NONE: return lw->t_i8;
    case PJ_TK_PYOBJECT: return lw->t_ptr;
    case PJ_TK_UNITUPLE:
        return LLVMArrayType2(pj_lower_type(lw, t->elems[0]),
                              (uint64_t)t->count);
    case PJ_TK_TUPLE: return struct_of(lw, t->elems, t->count);
    case PJ_TK_OPTIONAL:
        f[0] = lw->t_i1;
        f[1] = pj_lower_type(lw, t->elems[0]);
        return LLVMStructTypeInContext(lw->ctx, f, 2, 0);
    case PJ_TK_RANGE:           /* start, stop, step */
        f[0] = f[1] = lw->t_i64;
        return LLVMStructTypeInContext(lw->ctx, (LLVMTypeRef[]){
            lw->t_i64, lw->t_i64, lw->t_i64}, 3, 0);
    case PJ_TK_ITER: return iter_type(lw, t);
    case PJ_TK_SLICE:           /* start, stop, step (0 where None) */
        return LLVMArrayType2(lw->t_i64, 3);
    case PJ_TK_BOUND:           /* a method holds the object it is bound to */
        return pj_lower_type(lw, t->elems[0]);
    case PJ_TK_ARRAY: {         /* meminfo, parent, data, shape, strides */
        LLVMTypeRef dims = LLVMArrayType2(lw->t_i64,
                                          (uint64_t)pj_array_ndim(t));
        return LLVMStructTypeInContext(lw->ctx, (LLVMTypeRef[]){
            lw->t_ptr, lw->t_ptr, lw->t_ptr, dims, dims}, 5, 0);
    }
    case PJ_TK_PAIR:
        f[0] = pj_lower_type(lw, t->item);
        f[1] = lw->t_i1;
        return LLVMStructTypeInContext(lw->ctx, f, 2, 0);
    default: return NULL;
    }
}

/* --- small builders --- */


static LLVMValueRef
pj_lower_const_float(PjLower *lw, PjType *t, double v)
{
    return LLVMConstReal(pj_lower_type(lw, t), v);
}

LLVMValueRef
pj_lower_none(PjLower *lw)
{
    return LLVMConstInt(lw->t_i8, 0, 0);
}

static LLVMValueRef
i64(PjLower *lw, long long v)
{
    return LLVMConstInt(lw->t_i64, (unsigned long long)v, 1);
}

static LLVMValueRef
get_function(PjLower *lw, const char *name, LLVMTypeRef fty)
{
    LLVMValueRef f = LLVMGetNamedFunction(lw->mod, name);
    if (f == NULL) {
        f = LLVMAddFunction(lw->mod, name, fty);
    }
    return f;
}

/* Calls a runtime helper or C-API function, declaring it on first use. */
LLVMValueRef
pj_lower_helper(PjLower *lw, const char *name, LLVMTypeRef ret,
                LLVMTypeRef *params, LLVMValueRef *args, int n)
{
    LLVMTypeRef fty = LLVMFunctionType(ret, params, (unsigned)n, 0);
    LLVMValueRef f = get_function(lw, name, fty);
    return LLVMBuildCall2(lw->b, fty, f, args, (unsigned)n, "");
}

/* Calls an overloaded LLVM intrinsic such as llvm.sqrt at type `type`. */
LLVMValueRef
pj_lower_intrinsic(PjLower *lw, const char *name, LLVMTypeRef type,
                   LLVMValueRef *args, int n)
{
    unsigned id = LLVMLookupIntrinsicID(name, strlen(name));
    LLVMTypeRef tys[1] = {type};
    LLVMValueRef f = LLVMGetIntrinsicDeclaration(lw->mod, id, tys, 1);
    LLVMTypeRef fty = LLVMIntrinsicGetType(lw->ctx, id, tys, 1);
    LLVMValueRef call = LLVMBuildCall2(lw->b, fty, f, args, (unsigned)n, "");
    if (lw->cx->opts.fastmath && LLVMCanValueUseFastMathFlags(call)) {
        LLVMSetFastMathFlags(call, lw->cx->opts.fastmath);
    }
    return call;
}

static LLVMBasicBlockRef
new_bb(PjLower *lw, const char *name)
{
    return LLVMAppendBasicBlockInContext(lw->ctx, lw->func, name);
}

/* A stack slot of type t for the function being built.  Every slot is
   made here, among the allocas that open the entry block, whatever block
   the caller is building: an alloca in a loop body would take more stack
   on every iteration, and a long loop would overflow it.  A builder of its
   own leaves lw->b where it is. */
LLVMValueRef
pj_lower_alloca(PjLower *lw, LLVMTypeRef t, const char *name)
{
    LLVMBasicBlockRef entry = LLVMGetEntryBasicBlock(lw->func);
    LLVMValueRef first = LLVMGetFirstInstruction(entry);
    while (first != NULL && LLVMIsAAllocaInst(first)) {
        first = LLVMGetNextInstruction(first);
    }
    LLVMBuilderRef b = LLVMCreateBuilderInContext(lw->ctx);
    if (first != NULL) {
        LLVMPositionBuilderBefore(b, first);
    }
    else {
        LLVMPositionBuilderAtEnd(b, entry);
    }
    LLVMValueRef slot = LLVMBuildAlloca(b, t, name);
    LLVMDisposeBuilder(b);
    return slot;
}

/* A private constant holding n bytes; returns a pointer to them. */
static LLVMValueRef
const_bytes(PjLower *lw, const char *data, size_t n)
{
    LLVMValueRef init = LLVMConstStringInContext2(lw->ctx, data, n, 0);
    LLVMValueRef g = LLVMAddGlobal(lw->mod, LLVMTypeOf(init), ".str");
    LLVMSetInitializer(g, init);
    LLVMSetGlobalConstant(g, 1);
    LLVMSetLinkage(g, LLVMPrivateLinkage);
    LLVMSetUnnamedAddress(g, LLVMGlobalUnnamedAddr);
    return g;
}

static LLVMValueRef
const_cstring(PjLower *lw, const char *s)
{
    return const_bytes(lw, s, strlen(s) + 1);
}

/* --- raising --- */

/* --- references to array memory ---

   Each variable owns one reference to the array memory its value holds
   (arrays made in compiled code; an argument's memory belongs to NumPy
   and has no count).  Storing a value takes a reference and releases the
   one to the old value; an instruction whose result is a new reference
   (an allocation, a call) hands it to its variable; returning releases
   every variable, after taking a reference to the result for the caller.
   Counts are atomic: nogil code runs in parallel. */

bool
pj_type_holds_memory(PjType *t)
{
    switch (t->kind) {
    case PJ_TK_ARRAY: return true;
    case PJ_TK_UNITUPLE:
    case PJ_TK_TUPLE:
        for (int i = 0; i < t->count; i++) {
            if (pj_type_holds_memory(pj_type_elem(t, i))) {
                return true;
            }
        }
        return false;
    case PJ_TK_OPTIONAL:
    case PJ_TK_BOUND: return pj_type_holds_memory(t->elems[0]);
    case PJ_TK_PAIR: return pj_type_holds_memory(t->item);
    case PJ_TK_ITER:
        for (int i = 0; i < t->count; i++) {
            if (pj_type_holds_memory(t->elems[i])) {
                return true;
            }
        }
        return false;
    default: return false;
    }
}

typedef void (*MemFn)(PjLower *lw, LLVMValueRef meminfo);

/* Calls f on the meminfo of every array in v (NULL where `valid` says
   an optional value is None). */
static void
each_meminfo(PjLower *lw, LLVMValueRef v, PjType *t, LLVMValueRef valid,
             MemFn f)
{
    if (!pj_type_holds_memory(t)) {
        return;
    }
    LLVMBuilderRef B = lw->b;
    switch (t->kind) {
    case PJ_TK_ARRAY: {
        LLVMValueRef mi = LLVMBuildExtractValue(B, v, 0, "");
        if (valid != NULL) {
            mi = LLVMBuildSelect(B, valid, mi, LLVMConstNull(lw->t_ptr), "");
        }
        f(lw, mi);
        return;
    }
    case PJ_TK_OPTIONAL: {
        LLVMValueRef ok = LLVMBuildExtractValue(B, v, 0, "");
        if (valid != NULL) {
            ok = LLVMBuildAnd(B, ok, valid, "");
        }
        each_meminfo(lw, LLVMBuildExtractValue(B, v, 1, ""), t->elems[0], ok,
                     f);
        return;
    }
    case PJ_TK_BOUND: each_meminfo(lw, v, t->elems[0], valid, f); return;
    case PJ_TK_PAIR:
        each_meminfo(lw, LLVMBuildExtractValue(B, v, 0, ""), t->item, valid,
                     f);
        return;
    case PJ_TK_ITER: {
        /* array and tuple iterators hold their sequence in field 0,
           enumerate its inner iterator in field 1, zip one per field */
        for (int i = 0; i < t->count; i++) {
            unsigned field = t->ident == PJ_ITER_ENUMERATE ? 1 : (unsigned)i;
            each_meminfo(lw, LLVMBuildExtractValue(B, v, field, ""),
                         t->elems[i], valid, f);
        }
        return;
    }
    default:                    /* tuples */
        for (int i = 0; i < t->count; i++) {
            each_meminfo(lw, LLVMBuildExtractValue(B, v, (unsigned)i, ""),
                         pj_type_elem(t, i), valid, f);
        }
        return;
    }
}

/* Runs the rest of the block only when mi is not NULL. */
static LLVMBasicBlockRef
if_not_null(PjLower *lw, LLVMValueRef mi, LLVMBasicBlockRef *done)
{
    LLVMBasicBlockRef yes = new_bb(lw, "mem");
    *done = new_bb(lw, "mem.done");
    LLVMBuildCondBr(lw->b, LLVMBuildIsNotNull(lw->b, mi, ""), yes, *done);
    LLVMPositionBuilderAtEnd(lw->b, yes);
    return yes;
}

static void
incref(PjLower *lw, LLVMValueRef mi)
{
    LLVMBasicBlockRef done;
    if_not_null(lw, mi, &done);
    LLVMBuildAtomicRMW(lw->b, LLVMAtomicRMWBinOpAdd, mi, i64(lw, 1),
                       LLVMAtomicOrderingMonotonic, 0);
    LLVMBuildBr(lw->b, done);
    LLVMPositionBuilderAtEnd(lw->b, done);
}

static void
decref(PjLower *lw, LLVMValueRef mi)
{
    LLVMBasicBlockRef done;
    if_not_null(lw, mi, &done);
    LLVMValueRef old = LLVMBuildAtomicRMW(lw->b, LLVMAtomicRMWBinOpSub, mi,
                                          i64(lw, 1),
                                          LLVMAtomicOrderingAcquireRelease, 0);
    LLVMBasicBlockRef last = new_bb(lw, "mem.free");
    LLVMBuildCondBr(lw->b, LLVMBuildICmp(lw->b, LLVMIntEQ, old, i64(lw, 1),
                                         ""), last, done);
    LLVMPositionBuilderAtEnd(lw->b, last);
    pj_lower_helper(lw, "pj_rt_meminfo_free", lw->t_void, &lw->t_ptr, &mi, 1);
    LLVMBuildBr(lw->b, done);
    LLVMPositionBuilderAtEnd(lw->b, done);
}

static void
incref_value(PjLower *lw, LLVMValueRef v, PjType *t)
{
    each_meminfo(lw, v, t, NULL, incref);
}

static void
decref_value(PjLower *lw, LLVMValueRef v, PjType *t)
{
    each_meminfo(lw, v, t, NULL, decref);
}

static LLVMValueRef load_var(PjLower *lw, PjVar *v);

/* Releases what every variable holds: the function is returning. */
static void
release_variables(PjLower *lw)
{
    for (int i = 0; lw->counts_memory && i < lw->fn->vars.len; i++) {
        PjVar *v = pj_ir_var_at(lw->fn, i);
        if (v->type != NULL && lw->slots[i] != NULL
            && pj_type_holds_memory(v->type)) {
            decref_value(lw, load_var(lw, v), v->type);
        }
    }
}

static void
return_error(PjLower *lw)
{
    if (!lw->counts_memory) {
        LLVMBuildRet(lw->b, LLVMConstInt(lw->t_i32, (unsigned long long)-1,
                                         1));
        return;
    }
    if (lw->error_bb == NULL) {
        LLVMBasicBlockRef here = LLVMGetInsertBlock(lw->b);
        lw->error_bb = new_bb(lw, "release.error");
        LLVMPositionBuilderAtEnd(lw->b, lw->error_bb);
        release_variables(lw);
        LLVMBuildRet(lw->b, LLVMConstInt(lw->t_i32, (unsigned long long)-1,
                                         1));
        LLVMPositionBuilderAtEnd(lw->b, here);
    }
    LLVMBuildBr(lw->b, lw->error_bb);
}

/* Branches to a new block when `bad` is true and leaves the builder
   there, for the caller to set an exception; pj_lower_fail_end then
   returns the error status from that block and goes on at the block this
   returns, the one taken when `bad` is false. */
LLVMBasicBlockRef
pj_lower_fail_begin(PjLower *lw, LLVMValueRef bad)
{
    LLVMBasicBlockRef fail = new_bb(lw, "fail"), ok = new_bb(lw, "ok");
    LLVMValueRef br = LLVMBuildCondBr(lw->b, bad, fail, ok);
    /* Errors are rare: tell LLVM so that it lays the fast path out first. */
    unsigned kind = LLVMGetMDKindIDInContext(lw->ctx, "prof", 4);
    LLVMMetadataRef md[3] = {
        LLVMMDStringInContext2(lw->ctx, "branch_weights", 14),
        LLVMValueAsMetadata(LLVMConstInt(lw->t_i32, 1, 0)),
        LLVMValueAsMetadata(LLVMConstInt(lw->t_i32, 1000000, 0)),
    };
    LLVMSetMetadata(br, kind, LLVMMetadataAsValue(
        lw->ctx, LLVMMDNodeInContext2(lw->ctx, md, 3)));
    LLVMPositionBuilderAtEnd(lw->b, fail);
    return ok;
}

void
pj_lower_fail_end(PjLower *lw, LLVMBasicBlockRef ok)
{
    return_error(lw);
    LLVMPositionBuilderAtEnd(lw->b, ok);
}

/* When `bad` is true, calls the runtime helper `helper`(args...), which
   sets an exception, and returns the error status; continues otherwise. */
void
pj_lower_raise_if(PjLower *lw, LLVMValueRef bad, const char *helper,
                  LLVMTypeRef *params, LLVMValueRef *args, int n)
{
    LLVMBasicBlockRef ok = pj_lower_fail_begin(lw, bad);
    pj_lower_helper(lw, helper, lw->t_void, params, args, n);
    pj_lower_fail_end(lw, ok);
}

/* Raises the builtin exception exc(msg) when `bad` is true. */
void
pj_lower_check(PjLower *lw, LLVMValueRef bad, const char *exc,
               const char *msg)
{
    LLVMTypeRef p[2] = {lw->t_ptr, lw->t_ptr};
    LLVMValueRef a[2] = {const_cstring(lw, exc), const_cstring(lw, msg)};
    pj_lower_raise_if(lw, bad, "pj_rt_raise_msg", p, a, 2);
}

/* raise Cls(args): the class is found again by module and qualified name
   when it is raised, and the arguments travel marshalled, so the object
   code holds no addresses and can be cached. */
static int
lower_raise(PjLower *lw, PjInstr *ins)
{
    PyObject *cls = ins->obj;
    PyObject *module = PyObject_GetAttrString(cls, "__module__");
    PyObject *qualname = PyObject_GetAttrString(cls, "__qualname__");
    PyObject *data = PyMarshal_WriteObjectToString(ins->obj2, 4);
    int rc = -1;
    if (module && qualname && data && PyUnicode_Check(module)) {
        LLVMTypeRef p[4] = {lw->t_ptr, lw->t_ptr, lw->t_ptr, lw->t_i64};
        LLVMValueRef a[4] = {
            const_cstring(lw, PyUnicode_AsUTF8(module)),
            const_cstring(lw, PyUnicode_AsUTF8(qualname)),
            const_bytes(lw, PyBytes_AS_STRING(data),
                        (size_t)PyBytes_GET_SIZE(data)),
            i64(lw, PyBytes_GET_SIZE(data)),
        };
        pj_lower_helper(lw, "pj_rt_raise", lw->t_void, p, a, 4);
        return_error(lw);
        rc = 0;
    }
    else if (!PyErr_Occurred()) {
        rc = pj_diag(lw->cx, PJ_ERR_LOWERING, ins->loc, "cannot raise %s: "
                     "it has no module name", ((PyTypeObject *)cls)->tp_name);
    }
    Py_XDECREF(module);
    Py_XDECREF(qualname);
    Py_XDECREF(data);
    return rc;
}

/* --- conversions --- */

/* Float to integer, saturating: NaN gives 0 and out-of-range values the
   nearest bound, where a plain fptosi would be undefined. */
LLVMValueRef
pj_lower_float_to_int(PjLower *lw, LLVMValueRef v, LLVMTypeRef to, bool is_signed)
{
    const char *name = is_signed ? "llvm.fptosi.sat" : "llvm.fptoui.sat";
    unsigned id = LLVMLookupIntrinsicID(name, strlen(name));
    LLVMTypeRef tys[2] = {to, LLVMTypeOf(v)};
    LLVMValueRef f = LLVMGetIntrinsicDeclaration(lw->mod, id, tys, 2);
    LLVMTypeRef fty = LLVMIntrinsicGetType(lw->ctx, id, tys, 2);
    return LLVMBuildCall2(lw->b, fty, f, &v, 1, "");
}

static LLVMValueRef
convert_real(PjLower *lw, LLVMValueRef v, PjType *from, PjType *to)
{
    LLVMTypeRef lt = pj_lower_type(lw, to);
    bool from_int = from->kind <= PJ_TK_UINT;
    bool from_signed = from->kind == PJ_TK_INT;
    if (to->kind == PJ_TK_FLOAT) {
        if (from_int) {
            return from_signed ? LLVMBuildSIToFP(lw->b, v, lt, "")
                               : LLVMBuildUIToFP(lw->b, v, lt, "");
        }
        return LLVMBuildFPCast(lw->b, v, lt, "");
    }
    if (to->kind == PJ_TK_BOOL) {
        return pj_lower_truth(lw, v, from);
    }
    if (from->kind == PJ_TK_FLOAT) {     /* a declared integer return */
        return pj_lower_float_to_int(lw, v, lt, to->kind == PJ_TK_INT);
    }
    /* integer to integer: extend by the source's signedness */
    return LLVMBuildIntCast2(lw->b, v, lt, from_signed, "");
}

LLVMValueRef
pj_lower_complex(PjLower *lw, PjType *t, LLVMValueRef re, LLVMValueRef im)
{
    LLVMValueRef c = LLVMGetUndef(pj_lower_type(lw, t));
    c = LLVMBuildInsertValue(lw->b, c, re, 0, "");
    return LLVMBuildInsertValue(lw->b, c, im, 1, "");
}

static LLVMValueRef
convert_number(PjLower *lw, LLVMValueRef v, PjType *from, PjType *to)
{
    if (to->kind != PJ_TK_COMPLEX) {
        return convert_real(lw, v, from, to);
    }
    PjType *part = pj_type_float(to->bits / 2);
    if (from->kind == PJ_TK_COMPLEX) {
        PjType *fpart = pj_type_float(from->bits / 2);
        LLVMValueRef re = LLVMBuildExtractValue(lw->b, v, 0, "");
        LLVMValueRef im = LLVMBuildExtractValue(lw->b, v, 1, "");
        return pj_lower_complex(lw, to, convert_real(lw, re, fpart, part),
                            convert_real(lw, im, fpart, part));
    }
    return pj_lower_complex(lw, to, convert_real(lw, v, from, part),
                        pj_lower_const_float(lw, part, 0.0));
}

static LLVMValueRef
convert_tuple(PjLower *lw, LLVMValueRef v, PjType *from, PjType *to)
{
    LLVMValueRef res = LLVMGetUndef(pj_lower_type(lw, to));
    for (int i = 0; i < to->count; i++) {
        LLVMValueRef e = LLVMBuildExtractValue(lw->b, v, (unsigned)i, "");
        e = pj_lower_convert(lw, e, pj_type_elem(from, i),
                             pj_type_elem(to, i));
        res = LLVMBuildInsertValue(lw->b, res, e, (unsigned)i, "");
    }
    return res;
}

static LLVMValueRef
convert_optional(PjLower *lw, LLVMValueRef v, PjType *from, PjType *to)
{
    LLVMTypeRef lt = pj_lower_type(lw, to);
    PjType *inner = to->elems[0];
    if (from->kind == PJ_TK_NONE) {
        return LLVMConstNull(lt);
    }
    LLVMValueRef valid, value;
    if (from->kind == PJ_TK_OPTIONAL) {
        valid = LLVMBuildExtractValue(lw->b, v, 0, "");
        value = pj_lower_convert(lw, LLVMBuildExtractValue(lw->b, v, 1, ""),
                                 from->elems[0], inner);
    }
    else {
        valid = LLVMConstInt(lw->t_i1, 1, 0);
        value = pj_lower_convert(lw, v, from, inner);
    }
    LLVMValueRef res = LLVMBuildInsertValue(lw->b, LLVMConstNull(lt), valid,
                                            0, "");
    return LLVMBuildInsertValue(lw->b, res, value, 1, "");
}

/* An Optional used as its value (inference chose this where an operation
   had no implementation for the Optional itself): None raises. */
static LLVMValueRef
unwrap_optional(PjLower *lw, LLVMValueRef v, PjType *from, PjType *to)
{
    LLVMValueRef none = LLVMBuildNot(lw->b,
                                     LLVMBuildExtractValue(lw->b, v, 0, ""),
                                     "");
    char msg[200];
    snprintf(msg, sizeof(msg), "expected %s, got None",
             pj_type_str(from->elems[0]));
    pj_lower_check(lw, none, "TypeError", msg);
    return pj_lower_convert(lw, LLVMBuildExtractValue(lw->b, v, 1, ""),
                            from->elems[0], to);
}

/* Converts v from type `from` to type `to`, for the conversions that
   unification and overload resolution produce. */
LLVMValueRef
pj_lower_convert(PjLower *lw, LLVMValueRef v, PjType *from, PjType *to)
{
    if (from == to || to == NULL || v == NULL) {
        return v;
    }
    if (pj_type_is_number(from) && pj_type_is_number(to)) {
        return convert_number(lw, v, from, to);
    }
    if (to->kind == PJ_TK_OPTIONAL) {
        return convert_optional(lw, v, from, to);
    }
    if (from->kind == PJ_TK_OPTIONAL) {
        return unwrap_optional(lw, v, from, to);
    }
    if (pj_type_is_tuple(from) && pj_type_is_tuple(to)) {
        return convert_tuple(lw, v, from, to);
    }
    return v;
}

/* The truth value of v as an i1, as bool(v) in Python. */
LLVMValueRef
pj_lower_truth(PjLower *lw, LLVMValueRef v, PjType *t)
{
    switch (t->kind) {
    case PJ_TK_BOOL: return v;
    case PJ_TK_INT:
    case PJ_TK_UINT:
        return LLVMBuildICmp(lw->b, LLVMIntNE, v,
                             LLVMConstNull(LLVMTypeOf(v)), "");
    case PJ_TK_FLOAT:
        return LLVMBuildFCmp(lw->b, LLVMRealUNE, v,
                             LLVMConstNull(LLVMTypeOf(v)), "");
    case PJ_TK_COMPLEX: {
        PjType *part = pj_type_float(t->bits / 2);
        LLVMValueRef re = pj_lower_truth(
            lw, LLVMBuildExtractValue(lw->b, v, 0, ""), part);
        LLVMValueRef im = pj_lower_truth(
            lw, LLVMBuildExtractValue(lw->b, v, 1, ""), part);
        return LLVMBuildOr(lw->b, re, im, "");
    }
    case PJ_TK_OPTIONAL: {
        LLVMValueRef valid = LLVMBuildExtractValue(lw->b, v, 0, "");
        LLVMValueRef inner = pj_lower_truth(
            lw, LLVMBuildExtractValue(lw->b, v, 1, ""), t->elems[0]);
        return LLVMBuildAnd(lw->b, valid, inner, "");
    }
    case PJ_TK_UNITUPLE:
    case PJ_TK_TUPLE: return LLVMConstInt(lw->t_i1, t->count > 0, 0);
    case PJ_TK_RANGE: {
        LLVMValueRef start = LLVMBuildExtractValue(lw->b, v, 0, "");
        LLVMValueRef stop = LLVMBuildExtractValue(lw->b, v, 1, "");
        LLVMValueRef step = LLVMBuildExtractValue(lw->b, v, 2, "");
        if (t->elems[0]->kind == PJ_TK_UINT) {     /* counts up only */
            return LLVMBuildICmp(lw->b, LLVMIntULT, start, stop, "");
        }
        LLVMValueRef up = LLVMBuildICmp(lw->b, LLVMIntSGT, step, i64(lw, 0),
                                        "");
        return LLVMBuildSelect(
            lw->b, up, LLVMBuildICmp(lw->b, LLVMIntSLT, start, stop, ""),
            LLVMBuildICmp(lw->b, LLVMIntSGT, start, stop, ""), "");
    }
    default: return LLVMConstInt(lw->t_i1, 0, 0);    /* none */
    }
}

/* --- variables --- */

static LLVMValueRef
load_var(PjLower *lw, PjVar *v)
{
    LLVMValueRef slot = lw->slots[v->id];
    if (slot == NULL) {
        return NULL;            /* a compile-time constant */
    }
    return LLVMBuildLoad2(lw->b, pj_lower_type(lw, v->type), slot, v->name);
}

/* Stores val in v: a new reference to the memory it holds unless
   `owned` (val is one already). */
static void
store_var_ref(PjLower *lw, PjVar *v, LLVMValueRef val, PjType *from,
              bool owned)
{
    LLVMValueRef slot = v != NULL ? lw->slots[v->id] : NULL;
    if (slot == NULL || val == NULL) {
        if (owned && val != NULL) {
            decref_value(lw, val, from);        /* the result is dropped */
        }
        return;
    }
    val = pj_lower_convert(lw, val, from, v->type);
    if (!pj_type_holds_memory(v->type)) {
        LLVMBuildStore(lw->b, val, slot);
        return;
    }
    if (!owned) {
        incref_value(lw, val, v->type);
    }
    LLVMValueRef old = LLVMBuildLoad2(lw->b, pj_lower_type(lw, v->type), slot,
                                      "");
    LLVMBuildStore(lw->b, val, slot);
    decref_value(lw, old, v->type);
}

static void
store_var(PjLower *lw, PjVar *v, LLVMValueRef val, PjType *from)
{
    store_var_ref(lw, v, val, from, false);
}

/* Allocas for every variable, zeroed so that a variable read on a path
   where Python would raise UnboundLocalError holds zero, not garbage. */
static void
alloc_vars(PjLower *lw)
{
    PjFunc *fn = lw->fn;
    lw->slots = PJ_NEW_N(lw->cx->arena, LLVMValueRef, fn->vars.len + 1);
    for (int i = 0; lw->slots && i < fn->vars.len; i++) {
        PjVar *v = pj_ir_var_at(fn, i);
        LLVMTypeRef lt = v->type ? pj_lower_type(lw, v->type) : NULL;
        if (lt == NULL) {
            continue;
        }
        lw->slots[i] = pj_lower_alloca(lw, lt, v->name);
        LLVMBuildStore(lw->b, LLVMConstNull(lt), lw->slots[i]);
    }
}

/* --- instructions --- */

static LLVMValueRef
load_operand(PjLower *lw, PjInstr *ins, int i, int srcidx)
{
    PjVar *v = ins->src[srcidx];
    LLVMValueRef val = load_var(lw, v);
    PjType *to = ins->argtys ? ins->argtys[i] : v->type;
    return pj_lower_convert(lw, val, v->type, to);
}

/* Operators, getattr, tuples, iteration: convert the operands to the
   types inference chose, then let the implementation build the result. */
static void
lower_generic(PjLower *lw, PjInstr *ins)
{
    LLVMValueRef args[PJ_MAX_ARGS];
    for (int i = 0; i < ins->nsrc; i++) {
        args[i] = load_operand(lw, ins, i, i);
    }
    LLVMValueRef r = ins->impl->lower(lw, ins, args);
    store_var_ref(lw, ins->dst, r, ins->resty, ins->impl->owned);
}

static LLVMValueRef
const_integer(PjLower *lw, PyObject *obj, PjType *t)
{
    PyObject *i = PyNumber_Index(obj);
    unsigned long long bits = 0;
    if (i != NULL) {
        bits = t->kind == PJ_TK_UINT ? PyLong_AsUnsignedLongLong(i)
                                     : (unsigned long long)PyLong_AsLongLong(i);
        Py_DECREF(i);
    }
    PyErr_Clear();          /* typeof checked the range already */
    return LLVMConstInt(pj_lower_type(lw, t), bits, t->kind == PJ_TK_INT);
}

/* The value of a constant of type t (numbers, None, tuples of them). */
LLVMValueRef
pj_lower_pyconst(PjLower *lw, PyObject *obj, PjType *t)
{
    switch (t->kind) {
    case PJ_TK_BOOL:        /* True or numpy.True_ */
        return LLVMConstInt(lw->t_i1, PyObject_IsTrue(obj) == 1, 0);
    case PJ_TK_INT:
    case PJ_TK_UINT:        /* int or a NumPy integer */
        return const_integer(lw, obj, t);
    case PJ_TK_FLOAT:
        return pj_lower_const_float(lw, t, PyFloat_AsDouble(obj));
    case PJ_TK_COMPLEX: {
        Py_complex c = PyComplex_AsCComplex(obj);
        PjType *part = pj_type_float(t->bits / 2);
        LLVMValueRef f[2] = {pj_lower_const_float(lw, part, c.real),
                             pj_lower_const_float(lw, part, c.imag)};
        return LLVMConstStructInContext(lw->ctx, f, 2, 0);
    }
    case PJ_TK_NONE: return pj_lower_none(lw);
    case PJ_TK_UNITUPLE:
    case PJ_TK_TUPLE: {
        LLVMValueRef res = LLVMGetUndef(pj_lower_type(lw, t));
        for (int i = 0; i < t->count; i++) {
            LLVMValueRef e = pj_lower_pyconst(lw, PyTuple_GET_ITEM(obj, i),
                                           pj_type_elem(t, i));
            res = LLVMBuildInsertValue(lw->b, res, e, (unsigned)i, "");
        }
        return res;
    }
    default: return NULL;
    }
}

static LLVMValueRef
native_param(PjLower *lw, int i)
{
    bool status = lw->retptr != NULL;
    return LLVMGetParam(lw->func, (unsigned)(i + status));
}

static void
lower_return(PjLower *lw, PjInstr *ins)
{
    LLVMValueRef v = load_var(lw, ins->src[0]);
    if (lw->counts_memory) {
        incref_value(lw, v, ins->src[0]->type);     /* the caller's */
        release_variables(lw);
    }
    if (lw->retptr != NULL) {
        LLVMBuildStore(lw->b, v, lw->retptr);
        LLVMBuildRet(lw->b, LLVMConstInt(lw->t_i32, 0, 0));
    }
    else {
        LLVMBuildRet(lw->b, v);
    }
}

static void
lower_branch(PjLower *lw, PjInstr *ins)
{
    PjVar *c = ins->src[0];
    for (int k = 0; k < 2; k++) {
        if (!ins->target[k]->reachable) {        /* pruned by inference */
            LLVMBuildBr(lw->b, lw->bbs[ins->target[1 - k]->index]);
            return;
        }
    }
    LLVMValueRef cond = pj_lower_truth(lw, load_var(lw, c), c->type);
    LLVMBuildCondBr(lw->b, cond, lw->bbs[ins->target[0]->index],
                    lw->bbs[ins->target[1]->index]);
}

/* --- calls to jitted functions --- */

static LLVMTypeRef
native_type(PjLower *lw, PjType **argtys, int n, PjType *ret, bool status)
{
    LLVMTypeRef params[PJ_MAX_ARGS + 1];
    int np = 0;
    if (status) {
        params[np++] = lw->t_ptr;
    }
    for (int i = 0; i < n; i++) {
        params[np++] = pj_lower_type(lw, argtys[i]);
    }
    LLVMTypeRef rt = status ? lw->t_i32 : pj_lower_type(lw, ret);
    return LLVMFunctionType(rt, params, (unsigned)np, 0);
}

static LLVMValueRef call_argument_as(PjLower *lw, PjInstr *ins,
                                     PjCallPlan *plan, int i, PjType *to);

/* The value of parameter i of a call, from its argument or its default. */
static LLVMValueRef
call_argument(PjLower *lw, PjInstr *ins, PjCallPlan *plan, int i)
{
    return call_argument_as(lw, ins, plan, i, ins->argtys[i]);
}

/* The same, converted to `to`. */
static LLVMValueRef
call_argument_as(PjLower *lw, PjInstr *ins, PjCallPlan *plan, int i,
                 PjType *to)
{
    if (i == plan->nparams) {             /* the *args tuple */
        LLVMValueRef t = LLVMGetUndef(pj_lower_type(lw, to));
        for (int k = 0; k < plan->nvarargs; k++) {
            PjVar *v = ins->src[plan->vararg_first + k];
            LLVMValueRef e = pj_lower_convert(lw, load_var(lw, v), v->type,
                                              pj_type_elem(to, k));
            t = LLVMBuildInsertValue(lw->b, t, e, (unsigned)k, "");
        }
        return t;
    }
    if (plan->src[i] >= 0) {
        PjVar *v = ins->src[plan->src[i]];
        return pj_lower_convert(lw, load_var(lw, v), v->type, to);
    }
    PjType *dt = pj_infer_constant_type(lw->cx, plan->defaults[i]);
    return pj_lower_convert(lw, pj_lower_pyconst(lw, plan->defaults[i], dt), dt,
                            to);
}

static int
lower_call_jitted(PjLower *lw, PjInstr *ins, PjCallPlan *plan)
{
    PjCallee *callee = plan->callee;
    const char *name;
    bool status;
    PjType *restype;
    RETURN_IF_ERROR(pj_compile_callee_symbol(lw->cx, callee, &name, &status,
                                             &restype));
    int n = callee->nargs;
    LLVMValueRef args[PJ_MAX_ARGS + 1];
    int na = 0;
    LLVMValueRef retslot = NULL;
    if (status) {
        retslot = pj_lower_alloca(lw, pj_lower_type(lw, restype), "ret");
        args[na++] = retslot;
    }
    for (int i = 0; i < n; i++) {
        args[na++] = call_argument(lw, ins, plan, i);
    }
    LLVMTypeRef fty = native_type(lw, callee->argtys, n, restype, status);
    LLVMValueRef f = get_function(lw, name, fty);
    LLVMValueRef r = LLVMBuildCall2(lw->b, fty, f, args, (unsigned)na, "");
    if (status) {
        LLVMValueRef bad = LLVMBuildICmp(lw->b, LLVMIntNE, r,
                                         LLVMConstInt(lw->t_i32, 0, 0), "");
        LLVMBasicBlockRef fail = new_bb(lw, "propagate");
        LLVMBasicBlockRef ok = new_bb(lw, "ok");
        LLVMBuildCondBr(lw->b, bad, fail, ok);
        LLVMPositionBuilderAtEnd(lw->b, fail);
        return_error(lw);
        LLVMPositionBuilderAtEnd(lw->b, ok);
        r = LLVMBuildLoad2(lw->b, pj_lower_type(lw, restype), retslot, "");
    }
    /* A callee's result is a new reference to any memory it holds. */
    store_var_ref(lw, ins->dst, r, restype, true);
    return 0;
}

static int
lower_call(PjLower *lw, PjInstr *ins)
{
    PjCallPlan *plan = ins->data;
    if (plan->callee != NULL) {
        return lower_call_jitted(lw, ins, plan);
    }
    LLVMValueRef args[PJ_MAX_ARGS + 1];
    int self = 0;
    if (ins->src[0]->type->kind == PJ_TK_BOUND) {
        args[self++] = load_var(lw, ins->src[0]);  /* x in x.method() */
    }
    for (int i = 0; i < plan->nparams; i++) {
        /* a method's argument types follow its object's */
        args[self + i] = call_argument_as(lw, ins, plan, i,
                                          ins->argtys[self + i]);
    }
    LLVMValueRef r = ins->impl->lower(lw, ins, args);
    store_var_ref(lw, ins->dst, r, ins->resty, ins->impl->owned);
    return 0;
}

/* ITERNEXT advances the iterator in its variable's slot. */
static void
lower_iternext(PjLower *lw, PjInstr *ins)
{
    PjVar *it = ins->src[0];
    LLVMValueRef ok;
    LLVMValueRef item = pj_lower_iternext(lw, it->type, lw->slots[it->id],
                                          &ok);
    LLVMValueRef pair = LLVMGetUndef(pj_lower_type(lw, ins->resty));
    pair = LLVMBuildInsertValue(lw->b, pair, item, 0, "");
    pair = LLVMBuildInsertValue(lw->b, pair, ok, 1, "");
    store_var(lw, ins->dst, pair, ins->resty);
}

static int
lower_instr(PjLower *lw, PjInstr *ins)
{
    switch (ins->op) {
    case PJ_OP_ARG:
        store_var(lw, ins->dst, native_param(lw, ins->sub),
                  lw->cx->argtys[ins->sub]);
        return 0;
    case PJ_OP_CONST:
    case PJ_OP_GLOBAL:
        if (lw->slots[ins->dst->id] != NULL) {
            store_var(lw, ins->dst, pj_lower_pyconst(lw, ins->obj, ins->resty),
                      ins->resty);
        }
        return 0;
    case PJ_OP_COPY:
    case PJ_OP_CAST:
    case PJ_OP_EXHAUST_ITER:
        store_var(lw, ins->dst, load_var(lw, ins->src[0]),
                  ins->src[0]->type);
        return 0;
    case PJ_OP_CALL: return lower_call(lw, ins);
    case PJ_OP_ITERNEXT: lower_iternext(lw, ins); return 0;
    case PJ_OP_JUMP:
        LLVMBuildBr(lw->b, lw->bbs[ins->target[0]->index]);
        return 0;
    case PJ_OP_BRANCH: lower_branch(lw, ins); return 0;
    case PJ_OP_RETURN: lower_return(lw, ins); return 0;
    case PJ_OP_RAISE: return lower_raise(lw, ins);
    default:
        if (ins->impl == NULL) {
            return pj_diag(lw->cx, PJ_ERR_LOWERING, ins->loc,
                           "no lowering for %s", pj_op_names[ins->op]);
        }
        lower_generic(lw, ins);
        return 0;
    }
}

static int
lower_blocks(PjLower *lw)
{
    PjFunc *fn = lw->fn;
    for (int i = 0; i < fn->blocks.len; i++) {
        PjBlock *b = pj_ir_block(fn, i);
        if (!b->reachable) {
            continue;
        }
        LLVMPositionBuilderAtEnd(lw->b, lw->bbs[i]);
        for (PjInstr *ins = b->first; ins != NULL; ins = ins->next) {
            RETURN_IF_ERROR(lower_instr(lw, ins));
        }
    }
    return PyErr_Occurred() ? -1 : 0;
}

static int
build_native(PjLower *lw)
{
    PjCompile *cx = lw->cx;
    LLVMTypeRef fty = native_type(lw, cx->argtys, cx->nargs, cx->restype,
                                  cx->can_raise);
    lw->func = get_function(lw, cx->native_name, fty);
    /* Protected: exported to the JIT but not interposable, so calls from
       this module (recursion) are direct, not through a PLT stub. */
    LLVMSetVisibility(lw->func, LLVMProtectedVisibility);
    if (!cx->can_raise) {
        /* Lets LLVM treat calls as C calls: no unwinding, no side exits. */
        unsigned kind = LLVMGetEnumAttributeKindForName("nounwind", 8);
        LLVMAddAttributeAtIndex(lw->func, LLVMAttributeFunctionIndex,
                                LLVMCreateEnumAttribute(lw->ctx, kind, 0));
    }
    LLVMBasicBlockRef entry = new_bb(lw, "entry");
    lw->bbs = PJ_NEW_N(cx->arena, LLVMBasicBlockRef, lw->fn->blocks.len);
    if (lw->bbs == NULL) {
        return -1;
    }
    for (int i = 0; i < lw->fn->blocks.len; i++) {
        if (pj_ir_block(lw->fn, i)->reachable) {
            char name[32];
            snprintf(name, sizeof(name), "label%d", i);
            lw->bbs[i] = new_bb(lw, name);
        }
    }
    LLVMPositionBuilderAtEnd(lw->b, entry);
    lw->retptr = cx->can_raise ? LLVMGetParam(lw->func, 0) : NULL;
    alloc_vars(lw);
    for (int i = 0; lw->slots != NULL && i < lw->fn->vars.len; i++) {
        PjVar *v = pj_ir_var_at(lw->fn, i);
        lw->counts_memory |= v->type != NULL && lw->slots[i] != NULL
                             && pj_type_holds_memory(v->type);
    }
    if (lw->slots == NULL) {
        return -1;
    }
    LLVMBuildBr(lw->b, lw->bbs[0]);
    RETURN_IF_ERROR(lower_blocks(lw));
    return 0;
}

/* --- the wrapper: unbox, call, box --- */

static LLVMValueRef
unbox_scalar(PjLower *lw, LLVMValueRef slot, PjType *t)
{
    LLVMTypeRef lt = pj_lower_type(lw, t);
    switch (t->kind) {
    case PJ_TK_BOOL:
    case PJ_TK_INT:
    case PJ_TK_UINT: {
        LLVMValueRef v = LLVMBuildLoad2(lw->b, lw->t_i64, slot, "");
        return LLVMBuildTrunc(lw->b, v, lt, "");
    }
    case PJ_TK_NONE: return pj_lower_none(lw);
    default: return LLVMBuildLoad2(lw->b, lt, slot, "");
    }
}

static LLVMValueRef unbox_object(PjLower *lw, LLVMValueRef obj, PjType *t);

/* A tuple element or other non-scalar argument: a runtime helper unboxes
   each scalar (the dispatcher has already checked every type). */
static LLVMValueRef
unbox_object(PjLower *lw, LLVMValueRef obj, PjType *t)
{
    if (t->kind == PJ_TK_ARRAY) {
        LLVMTypeRef at = pj_lower_type(lw, t);
        LLVMValueRef slot = pj_lower_alloca(lw, at, "array");
        LLVMTypeRef p[2] = {lw->t_ptr, lw->t_ptr};
        LLVMValueRef a[2] = {obj, slot};
        pj_lower_helper(lw, "pj_rt_unbox_array", lw->t_void, p, a, 2);
        return LLVMBuildLoad2(lw->b, at, slot, "");
    }
    if (pj_type_is_tuple(t)) {
        LLVMValueRef res = LLVMGetUndef(pj_lower_type(lw, t));
        for (int i = 0; i < t->count; i++) {
            LLVMTypeRef p[2] = {lw->t_ptr, lw->t_i64};
            LLVMValueRef a[2] = {obj, i64(lw, i)};
            LLVMValueRef item = pj_lower_helper(lw, "PyTuple_GetItem",
                                                lw->t_ptr, p, a, 2);
            LLVMValueRef e = unbox_object(lw, item, pj_type_elem(t, i));
            res = LLVMBuildInsertValue(lw->b, res, e, (unsigned)i, "");
        }
        return res;
    }
    LLVMValueRef slot = pj_lower_alloca(lw, LLVMArrayType2(lw->t_i64, 2),
                                        "unboxed");
    LLVMTypeRef p[3] = {lw->t_ptr, lw->t_i32, lw->t_ptr};
    LLVMValueRef a[3] = {obj, LLVMConstInt(lw->t_i32, (unsigned)t->code, 0),
                         slot};
    pj_lower_helper(lw, "pj_rt_unbox", lw->t_void, p, a, 3);
    return unbox_scalar(lw, slot, t);
}

static LLVMValueRef
box_value(PjLower *lw, LLVMValueRef v, PjType *t);

static LLVMValueRef
box_call(PjLower *lw, const char *fn, LLVMTypeRef pt, LLVMValueRef v)
{
    return pj_lower_helper(lw, fn, lw->t_ptr, &pt, &v, 1);
}

static LLVMValueRef
box_tuple(PjLower *lw, LLVMValueRef v, PjType *t)
{
    int n = t->count;
    LLVMValueRef items = pj_lower_alloca(
        lw, LLVMArrayType2(lw->t_ptr, (uint64_t)(n ? n : 1)), "items");
    for (int i = 0; i < n; i++) {
        LLVMValueRef e = LLVMBuildExtractValue(lw->b, v, (unsigned)i, "");
        LLVMValueRef idx[1] = {i64(lw, i)};
        LLVMValueRef p = LLVMBuildGEP2(lw->b, lw->t_ptr, items, idx, 1, "");
        LLVMBuildStore(lw->b, box_value(lw, e, pj_type_elem(t, i)), p);
    }
    LLVMTypeRef p[2] = {lw->t_i64, lw->t_ptr};
    LLVMValueRef a[2] = {i64(lw, n), items};
    return pj_lower_helper(lw, "pj_rt_pack_tuple", lw->t_ptr, p, a, 2);
}

static LLVMValueRef
box_optional(PjLower *lw, LLVMValueRef v, PjType *t)
{
    LLVMValueRef valid = LLVMBuildExtractValue(lw->b, v, 0, "");
    LLVMBasicBlockRef some = new_bb(lw, "some"), none = new_bb(lw, "none");
    LLVMBasicBlockRef done = new_bb(lw, "boxed");
    LLVMBuildCondBr(lw->b, valid, some, none);
    LLVMPositionBuilderAtEnd(lw->b, some);
    LLVMValueRef a = box_value(lw, LLVMBuildExtractValue(lw->b, v, 1, ""),
                               t->elems[0]);
    LLVMBasicBlockRef some_end = LLVMGetInsertBlock(lw->b);
    LLVMBuildBr(lw->b, done);
    LLVMPositionBuilderAtEnd(lw->b, none);
    LLVMValueRef b = pj_lower_helper(lw, "pj_rt_none", lw->t_ptr, NULL, NULL,
                                     0);
    LLVMBuildBr(lw->b, done);
    LLVMPositionBuilderAtEnd(lw->b, done);
    LLVMValueRef phi = LLVMBuildPhi(lw->b, lw->t_ptr, "");
    LLVMValueRef vals[2] = {a, b};
    LLVMBasicBlockRef from[2] = {some_end, none};
    LLVMAddIncoming(phi, vals, from, 2);
    return phi;
}

/* A new reference to the Python object for v, or NULL on failure.  Every
   integer becomes an int, every float a float, as Numba boxes them. */
static LLVMValueRef
box_value(PjLower *lw, LLVMValueRef v, PjType *t)
{
    switch (t->kind) {
    case PJ_TK_BOOL:
        return box_call(lw, "PyBool_FromLong", lw->t_i64,
                        LLVMBuildZExt(lw->b, v, lw->t_i64, ""));
    case PJ_TK_INT:
        return box_call(lw, "PyLong_FromLongLong", lw->t_i64,
                        LLVMBuildSExt(lw->b, v, lw->t_i64, ""));
    case PJ_TK_UINT:
        return box_call(lw, "PyLong_FromUnsignedLongLong", lw->t_i64,
                        LLVMBuildZExt(lw->b, v, lw->t_i64, ""));
    case PJ_TK_FLOAT:
        return box_call(lw, "PyFloat_FromDouble", lw->t_f64,
                        LLVMBuildFPExt(lw->b, v, lw->t_f64, ""));
    case PJ_TK_COMPLEX: {
        LLVMTypeRef p[2] = {lw->t_f64, lw->t_f64};
        LLVMValueRef a[2] = {
            LLVMBuildFPExt(lw->b, LLVMBuildExtractValue(lw->b, v, 0, ""),
                           lw->t_f64, ""),
            LLVMBuildFPExt(lw->b, LLVMBuildExtractValue(lw->b, v, 1, ""),
                           lw->t_f64, ""),
        };
        return pj_lower_helper(lw, "PyComplex_FromDoubles", lw->t_ptr, p, a,
                               2);
    }
    case PJ_TK_UNITUPLE:
    case PJ_TK_TUPLE: return box_tuple(lw, v, t);
    case PJ_TK_OPTIONAL: return box_optional(lw, v, t);
    case PJ_TK_ARRAY: {
        LLVMValueRef slot = pj_lower_alloca(lw, LLVMTypeOf(v), "array");
        LLVMBuildStore(lw->b, v, slot);
        LLVMTypeRef p[4] = {lw->t_ptr, lw->t_i32, lw->t_i32, lw->t_i32};
        LLVMValueRef a[4] = {
            slot, LLVMConstInt(lw->t_i32, (unsigned)pj_array_ndim(t), 0),
            LLVMConstInt(lw->t_i32,
                         (unsigned)pj_type_numpy_num(t->elems[0]), 0),
            LLVMConstInt(lw->t_i32, pj_array_readonly(t), 0),
        };
        return pj_lower_helper(lw, "pj_rt_box_array", lw->t_ptr, p, a, 4);
    }
    default:
        return pj_lower_helper(lw, "pj_rt_none", lw->t_ptr, NULL, NULL, 0);
    }
}

/* Whether a value of type t has a Python object to become: a range or an
   iterator is only returned to other jitted code; the wrapper of such a
   function raises TypeError. */
static bool
boxable(PjType *t)
{
    if (pj_type_is_tuple(t)) {
        for (int i = 0; i < t->count; i++) {
            if (!boxable(pj_type_elem(t, i))) {
                return false;
            }
        }
        return true;
    }
    if (t->kind == PJ_TK_OPTIONAL) {
        return boxable(t->elems[0]);
    }
    return pj_type_is_number(t) || t->kind == PJ_TK_NONE
           || t->kind == PJ_TK_ARRAY;
}

static LLVMValueRef
wrapper_argument(PjLower *lw, LLVMValueRef args, LLVMValueRef vals, int i)
{
    PjType *t = lw->cx->argtys[i];
    LLVMValueRef idx[1] = {i64(lw, i)};
    LLVMValueRef off[1] = {i64(lw, 2 * i)};
    LLVMValueRef slot = LLVMBuildGEP2(lw->b, lw->t_i64, vals, off, 1, "");
    if (pj_type_is_number(t) || t->kind == PJ_TK_NONE) {
        return unbox_scalar(lw, slot, t);
    }
    LLVMValueRef p = LLVMBuildGEP2(lw->b, lw->t_ptr, args, idx, 1, "");
    LLVMValueRef obj = LLVMBuildLoad2(lw->b, lw->t_ptr, p, "");
    if (t->kind == PJ_TK_OPTIONAL) {
        /* Optional(number), from an explicit signature: None, or the
           number the dispatcher unboxed. */
        LLVMValueRef none = pj_lower_helper(lw, "pj_rt_is_none", lw->t_i1,
                                            &lw->t_ptr, &obj, 1);
        LLVMValueRef v = LLVMGetUndef(pj_lower_type(lw, t));
        v = LLVMBuildInsertValue(lw->b, v, LLVMBuildNot(lw->b, none, ""), 0,
                                 "");
        return LLVMBuildInsertValue(lw->b, v,
                                    unbox_scalar(lw, slot, t->elems[0]), 1,
                                    "");
    }
    return unbox_object(lw, obj, t);
}

/* Whether a block jumps back to itself or an earlier block. */
static bool
has_loop(PjFunc *fn)
{
    for (int i = 0; i < fn->blocks.len; i++) {
        PjBlock *b = pj_ir_block(fn, i), *succ[2];
        int n = b->reachable ? pj_ir_successors(b, succ) : 0;
        for (int k = 0; k < n; k++) {
            if (succ[k]->index <= b->index) {
                return true;
            }
        }
    }
    return false;
}

static void
build_wrapper(PjLower *lw)
{
    PjCompile *cx = lw->cx;
    LLVMTypeRef params[2] = {lw->t_ptr, lw->t_ptr};
    LLVMTypeRef wty = LLVMFunctionType(lw->t_ptr, params, 2, 0);
    LLVMValueRef native = lw->func;
    LLVMTypeRef nty = LLVMGlobalGetValueType(native);
    lw->func = LLVMAddFunction(lw->mod, cx->wrapper_name, wty);
    LLVMSetVisibility(lw->func, LLVMProtectedVisibility);
    LLVMPositionBuilderAtEnd(lw->b, new_bb(lw, "entry"));
    LLVMValueRef args[PJ_MAX_ARGS + 1];
    int na = 0;
    LLVMValueRef retslot = NULL;
    if (cx->can_raise) {
        retslot = pj_lower_alloca(lw, pj_lower_type(lw, cx->restype), "ret");
        args[na++] = retslot;
    }
    for (int i = 0; i < cx->nargs; i++) {
        args[na++] = wrapper_argument(lw, LLVMGetParam(lw->func, 0),
                                      LLVMGetParam(lw->func, 1), i);
    }
    LLVMValueRef ts = NULL;
    if (cx->opts.nogil) {
        ts = pj_lower_helper(lw, "PyEval_SaveThread", lw->t_ptr, NULL, NULL,
                             0);
    }
    LLVMValueRef r = LLVMBuildCall2(lw->b, nty, native, args, (unsigned)na,
                                    "");
    if (has_loop(lw->fn)) {
        /* A loop inlined here would be compiled twice for nothing: the
           wrapper only unboxes and boxes around it. */
        unsigned k = LLVMGetEnumAttributeKindForName("noinline", 8);
        LLVMAddCallSiteAttribute(r, LLVMAttributeFunctionIndex,
                                 LLVMCreateEnumAttribute(lw->ctx, k, 0));
    }
    if (ts != NULL) {
        pj_lower_helper(lw, "PyEval_RestoreThread", lw->t_void, &lw->t_ptr,
                        &ts, 1);
    }
    if (cx->can_raise) {
        LLVMBasicBlockRef fail = new_bb(lw, "fail"), ok = new_bb(lw, "ok");
        LLVMBuildCondBr(lw->b, LLVMBuildICmp(lw->b, LLVMIntNE, r,
                                             LLVMConstInt(lw->t_i32, 0, 0),
                                             ""), fail, ok);
        LLVMPositionBuilderAtEnd(lw->b, fail);
        LLVMBuildRet(lw->b, LLVMConstNull(lw->t_ptr));
        LLVMPositionBuilderAtEnd(lw->b, ok);
        r = LLVMBuildLoad2(lw->b, pj_lower_type(lw, cx->restype), retslot,
                           "");
    }
    if (boxable(cx->restype)) {
        LLVMBuildRet(lw->b, box_value(lw, r, cx->restype));
    }
    else {
        char msg[256];
        snprintf(msg, sizeof(msg), "cannot return a value of type %s to "
                 "Python", pj_type_str(cx->restype));
        LLVMTypeRef p[2] = {lw->t_ptr, lw->t_ptr};
        LLVMValueRef a[2] = {const_cstring(lw, "TypeError"),
                             const_cstring(lw, msg)};
        pj_lower_helper(lw, "pj_rt_raise_msg", lw->t_void, p, a, 2);
        LLVMBuildRet(lw->b, LLVMConstNull(lw->t_ptr));
    }
    lw->func = native;
}

/* --- linking callees --- */

/* Links each compiled callee's optimized module into ours and makes its
   functions internal, so that LLVM may inline them and the JIT does not
   see a second definition of their symbols. */
static int
link_callees(PjLower *lw)
{
    PjCompile *cx = lw->cx;
    for (int i = 0; i < cx->callees.len; i++) {
        PjOverload *ov = cx->callees.items[i];
        LLVMMemoryBufferRef buf = LLVMCreateMemoryBufferWithMemoryRange(
            PyBytes_AS_STRING(ov->bitcode),
            (size_t)PyBytes_GET_SIZE(ov->bitcode), "callee", 0);
        LLVMModuleRef m = NULL;
        bool failed = LLVMParseBitcodeInContext2(lw->ctx, buf, &m);
        LLVMDisposeMemoryBuffer(buf);
        if (failed || LLVMLinkModules2(lw->mod, m)) {
            PjLoc none = {0, 0};
            return pj_diag(cx, PJ_ERR_LOWERING, none, "cannot link the code "
                           "of %s", ov->native_name);
        }
    }
    for (LLVMValueRef f = LLVMGetFirstFunction(lw->mod); f != NULL;
         f = LLVMGetNextFunction(f)) {
        const char *name = LLVMGetValueName(f);
        if (!LLVMIsDeclaration(f) && strcmp(name, cx->native_name) != 0
            && strcmp(name, cx->wrapper_name) != 0) {
            LLVMSetLinkage(f, LLVMInternalLinkage);
        }
    }
    return 0;
}

static void
init_types(PjLower *lw)
{
    lw->t_i1 = LLVMInt1TypeInContext(lw->ctx);
    lw->t_i8 = LLVMInt8TypeInContext(lw->ctx);
    lw->t_i32 = LLVMInt32TypeInContext(lw->ctx);
    lw->t_i64 = LLVMInt64TypeInContext(lw->ctx);
    lw->t_f32 = LLVMFloatTypeInContext(lw->ctx);
    lw->t_f64 = LLVMDoubleTypeInContext(lw->ctx);
    lw->t_ptr = LLVMPointerTypeInContext(lw->ctx, 0);
    lw->t_void = LLVMVoidTypeInContext(lw->ctx);
}

/* Builds cx->llmod; the context and module belong to cx from here on,
   whatever happens. */
int
pj_lower(PjCompile *cx)
{
    PjLower lw = {.cx = cx, .fn = cx->fn};
    cx->llctx = lw.ctx = LLVMContextCreate();
    cx->llmod = lw.mod = LLVMModuleCreateWithNameInContext(cx->native_name,
                                                           lw.ctx);
    RETURN_IF_ERROR(pj_jit_prepare_module(lw.mod));
    lw.b = LLVMCreateBuilderInContext(lw.ctx);
    init_types(&lw);
    int rc = build_native(&lw);
    if (rc == 0) {
        lw.counts_memory = false;       /* the wrapper counts nothing */
        build_wrapper(&lw);
        rc = link_callees(&lw);
    }
    LLVMDisposeBuilder(lw.b);
    return rc;
}
