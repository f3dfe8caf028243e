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
** optimizes recursion and calls as it would in C.  The entry point is the
** target's (target.c): for the host, the CPython wrapper of boxing.c.
**
** This file lowers what every function has (variables, control flow,
** calls to jitted functions, references to memory); the operations on
** values are lowered by the implementation inference chose for them
** (PjImpl, in the file of the value's kind or of the callable), with the
** LLVM types, conversions and truth values the kinds give.
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

/* The LLVM type of a value of type t; NULL for compile-time constants,
   which have no run-time representation. */
LLVMTypeRef
pj_lower_type(PjLower *lw, PjType *t)
{
    const PjKind *k = pj_kind(t);
    return k->llvm_type ? k->llvm_type(lw, t) : NULL;
}

/* The struct of the LLVM types of n values. */
LLVMTypeRef
pj_lower_struct_of(PjLower *lw, PjType **elems, int n)
{
    LLVMTypeRef fields[PJ_MAX_ARGS];
    for (int i = 0; i < n; i++) {
        fields[i] = pj_lower_type(lw, elems[i]);
    }
    return LLVMStructTypeInContext(lw->ctx, fields, (unsigned)n, 0);
}

/* --- small builders --- */

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

/* v, a float operation, with the fast-math flags the function asked for
   (none by default). */
LLVMValueRef
pj_lower_fp(PjLower *lw, LLVMValueRef v)
{
    if (lw->cx->opts.fastmath && LLVMCanValueUseFastMathFlags(v)) {
        LLVMSetFastMathFlags(v, lw->cx->opts.fastmath);
    }
    return v;
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
    return pj_lower_fp(lw, LLVMBuildCall2(lw->b, fty, f, args, (unsigned)n,
                                          ""));
}

/* A function that returns to its caller and raises no C++ exception:
   LLVM may then move a load its caller makes after the call (an
   invariant one, out of a loop) to before it. */
static const char *const returning_attributes[] = {"nounwind", "willreturn"};
#define N_RETURNING 2

static void
add_function_attributes(PjLower *lw, const char *name,
                        const char *const *attrs, int n)
{
    LLVMValueRef f = LLVMGetNamedFunction(lw->mod, name);
    for (int i = 0; i < n; i++) {
        unsigned k = LLVMGetEnumAttributeKindForName(attrs[i],
                                                     strlen(attrs[i]));
        LLVMAddAttributeAtIndex(f, LLVMAttributeFunctionIndex,
                                LLVMCreateEnumAttribute(lw->ctx, k, 0));
    }
}

/* Calls a C function of the runtime or libm by name.  pure: it reads and
   writes no memory, so LLVM may move, merge or drop calls to it. */
LLVMValueRef
pj_lower_call_c(PjLower *lw, const char *name, LLVMTypeRef ret,
                LLVMTypeRef *params, LLVMValueRef *args, int n, bool pure)
{
    static const char *const pure_attributes[] = {
        "nounwind", "willreturn", "nosync", "memory"};
    LLVMValueRef call = pj_lower_helper(lw, name, ret, params, args, n);
    if (pure) {
        /* memory with no locations: it reads and writes none */
        add_function_attributes(lw, name, pure_attributes, 4);
    }
    return call;
}

static LLVMBasicBlockRef
new_bb(PjLower *lw, const char *name)
{
    return LLVMAppendBasicBlockInContext(lw->ctx, lw->func, name);
}

/* After a call that returns a status (nonzero: it raised): branches on
   it and leaves the builder on the failure path, whose code the caller
   builds; returns the block where the call succeeded. */
LLVMBasicBlockRef
pj_lower_branch_on_status(PjLower *lw, LLVMValueRef status)
{
    LLVMValueRef bad = LLVMBuildICmp(lw->b, LLVMIntNE, status,
                                     LLVMConstInt(lw->t_i32, 0, 0), "");
    LLVMBasicBlockRef fail = new_bb(lw, "failed");
    LLVMBasicBlockRef ok = new_bb(lw, "ok");
    LLVMBuildCondBr(lw->b, bad, fail, ok);
    LLVMPositionBuilderAtEnd(lw->b, fail);
    return ok;
}

/* A load of a value that never changes while the memory holding it is
   alive (a function address written once when the block was made): LLVM
   may reuse it across calls, or take it from that store. */
LLVMValueRef
pj_lower_invariant_load(PjLower *lw, LLVMTypeRef t, LLVMValueRef at,
                        const char *name)
{
    LLVMValueRef v = LLVMBuildLoad2(lw->b, t, at, name);
    unsigned kind = LLVMGetMDKindIDInContext(lw->ctx, "invariant.load", 14);
    LLVMSetMetadata(v, kind, LLVMMetadataAsValue(
                                 lw->ctx, LLVMMDNodeInContext2(lw->ctx, NULL,
                                                               0)));
    return v;
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

LLVMValueRef
pj_lower_cstring(PjLower *lw, const char *s)
{
    return const_bytes(lw, s, strlen(s) + 1);
}

LLVMValueRef
pj_lower_bytes(PjLower *lw, const char *data, size_t n)
{
    return const_bytes(lw, data, n);
}

/* --- references to memory ---

   Each variable owns one reference to the array memory its value holds
   (arrays made in compiled code; an argument's memory belongs to NumPy
   and has no count).  Storing a value takes a reference and releases the
   one to the old value; an instruction whose result is a new reference
   (an allocation, a call) hands it to its variable; returning releases
   every variable, after taking a reference to the result for the caller.
   Counts are atomic: nogil code runs in parallel. */

/* Calls f on the meminfo of every block of memory v holds (NULL where
   `valid`, when given, is false: an Optional that is None); the kind of
   t knows where they are. */
void
pj_lower_each_meminfo(PjLower *lw, LLVMValueRef v, PjType *t,
                      LLVMValueRef valid, PjMemFn f)
{
    if (pj_type_holds_memory(t)) {
        pj_kind(t)->each_meminfo(lw, v, t, valid, f);
    }
}

/* The same for field i of the struct v, a value of type t. */
void
pj_lower_field_meminfo(PjLower *lw, LLVMValueRef v, unsigned i, PjType *t,
                       LLVMValueRef valid, PjMemFn f)
{
    if (pj_type_holds_memory(t)) {
        pj_kind(t)->each_meminfo(lw, LLVMBuildExtractValue(lw->b, v, i, ""),
                                 t, valid, f);
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

void
pj_lower_incref(PjLower *lw, LLVMValueRef mi)
{
    LLVMBasicBlockRef done;
    if_not_null(lw, mi, &done);
    LLVMBuildAtomicRMW(lw->b, LLVMAtomicRMWBinOpAdd, mi, pj_i64(lw, 1),
                       LLVMAtomicOrderingMonotonic, 0);
    LLVMBuildBr(lw->b, done);
    LLVMPositionBuilderAtEnd(lw->b, done);
}

/* v (a struct whose fields mi_field and parent_field are a block and
   the Python object a borrowed value lives in) with a reference of its
   own: a new one to its block, or, borrowed from an argument (no block),
   a block that keeps the object alive after the call. */
LLVMValueRef
pj_lower_keep_parent(PjLower *lw, LLVMValueRef v, unsigned mi_field,
                     unsigned parent_field)
{
    LLVMValueRef mi = pj_part(lw, v, mi_field);
    LLVMValueRef parent = pj_part(lw, v, parent_field);
    LLVMValueRef bare = LLVMBuildAnd(
        lw->b, LLVMBuildIsNull(lw->b, mi, ""),
        LLVMBuildIsNotNull(lw->b, parent, ""), "");
    LLVMBasicBlockRef keep = LLVMAppendBasicBlockInContext(lw->ctx, lw->func,
                                                           "keep");
    LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(lw->ctx, lw->func,
                                                           "keep.done");
    LLVMBasicBlockRef share = LLVMAppendBasicBlockInContext(lw->ctx,
                                                            lw->func,
                                                            "share");
    LLVMBuildCondBr(lw->b, bare, keep, share);
    LLVMPositionBuilderAtEnd(lw->b, share);
    pj_lower_incref(lw, mi);
    share = LLVMGetInsertBlock(lw->b);
    LLVMBuildBr(lw->b, done);
    LLVMPositionBuilderAtEnd(lw->b, keep);
    LLVMValueRef kept = pj_lower_helper(lw, "pj_rt_meminfo_keep", lw->t_ptr,
                                        &lw->t_ptr, &parent, 1);
    LLVMBuildBr(lw->b, done);
    LLVMPositionBuilderAtEnd(lw->b, done);
    LLVMValueRef phi = LLVMBuildPhi(lw->b, lw->t_ptr, "");
    LLVMValueRef vals[2] = {mi, kept};
    LLVMBasicBlockRef bbs[2] = {share, keep};
    LLVMAddIncoming(phi, vals, bbs, 2);
    return LLVMBuildInsertValue(lw->b, v, phi, mi_field, "");
}

/* v with a reference of its own to each block it holds, for a container
   that may outlive the call (a list's item, a dict's key or value): a
   value borrowed from an argument gets a block that keeps it alive
   (its kind's lower_keep). */
LLVMValueRef
pj_lower_taken(PjLower *lw, LLVMValueRef v, PjType *t)
{
    const PjKind *k = pj_kind(t);
    if (k->lower_keep != NULL) {
        return k->lower_keep(lw, v, t);
    }
    if (!pj_type_is_tuple(t)) {
        pj_lower_incref_value(lw, v, t);
        return v;
    }
    for (int i = 0; i < t->count; i++) {
        LLVMValueRef e = pj_lower_taken(lw, pj_part(lw, v, (unsigned)i),
                                        pj_type_elem(t, i));
        v = LLVMBuildInsertValue(lw->b, v, e, (unsigned)i, "");
    }
    return v;
}

void
pj_lower_decref(PjLower *lw, LLVMValueRef mi)
{
    LLVMBasicBlockRef done;
    if_not_null(lw, mi, &done);
    LLVMValueRef old = LLVMBuildAtomicRMW(lw->b, LLVMAtomicRMWBinOpSub, mi,
                                          pj_i64(lw, 1),
                                          LLVMAtomicOrderingAcquireRelease, 0);
    LLVMBasicBlockRef last = new_bb(lw, "mem.free");
    LLVMValueRef was_last = LLVMBuildICmp(lw->b, LLVMIntEQ, old,
                                          pj_i64(lw, 1), "");
    LLVMBuildCondBr(lw->b, was_last, last, done);
    LLVMPositionBuilderAtEnd(lw->b, last);
    pj_lower_helper(lw, "pj_rt_meminfo_free", lw->t_void, &lw->t_ptr, &mi, 1);
    add_function_attributes(lw, "pj_rt_meminfo_free", returning_attributes,
                            N_RETURNING);
    LLVMBuildBr(lw->b, done);
    LLVMPositionBuilderAtEnd(lw->b, done);
}

static void
incref_value(PjLower *lw, LLVMValueRef v, PjType *t)
{
    pj_lower_each_meminfo(lw, v, t, NULL, pj_lower_incref);
}

static void
decref_value(PjLower *lw, LLVMValueRef v, PjType *t)
{
    pj_lower_each_meminfo(lw, v, t, NULL, pj_lower_decref);
}

/* The same, for values that containers (lists) store and drop. */
/* Takes a reference to the memory v holds, for a caller that gives one
   away (boxing an array hands its reference to the NumPy array). */
void
pj_lower_incref_value(PjLower *lw, LLVMValueRef v, PjType *t)
{
    incref_value(lw, v, t);
}

void
pj_lower_decref_value(PjLower *lw, LLVMValueRef v, PjType *t)
{
    decref_value(lw, v, t);
}

static LLVMValueRef load_var(PjLower *lw, PjVar *v);
static LLVMValueRef load_operand(PjLower *lw, PjInstr *ins, int i,
                                 int srcidx);

static bool
borrows(PjLower *lw, PjVar *v)
{
    return lw->borrows != NULL && lw->borrows[v->id];
}

/* Releases what every variable holds: the function is returning. */
static void
release_variables(PjLower *lw)
{
    for (int i = 0; lw->counts_memory && i < lw->fn->vars.len; i++) {
        PjVar *v = pj_ir_var_at(lw->fn, i);
        if (v->type != NULL && lw->slots[i] != NULL && !borrows(lw, v)
            && pj_type_holds_memory(v->type)) {
            decref_value(lw, load_var(lw, v), v->type);
        }
    }
}

/* --- raising --- */

/* The error path: to the handler of the `try` around the code being
   lowered (exceptions.c), or out of the function with the error status. */
static void
return_error(PjLower *lw)
{
    if (lw->handler != NULL) {
        LLVMBuildBr(lw->b, lw->handler);
        return;
    }
    if (lw->gen != NULL) {
        pj_generator_lower_finish(lw, ERROR_STATUS);
        return;
    }
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
    pj_lower_rare_branch(lw, bad, fail, ok);
    LLVMPositionBuilderAtEnd(lw->b, fail);
    return ok;
}

/* Python's ValueError of `a, b = x` unless x's length len is n. */
void
pj_lower_check_unpack(PjLower *lw, LLVMValueRef len, unsigned n)
{
    LLVMValueRef want = pj_i64(lw, (long long)n);
    LLVMTypeRef p[2] = {lw->t_i64, lw->t_i64};
    LLVMValueRef a[2] = {want, len};
    pj_lower_raise_if(lw, LLVMBuildICmp(lw->b, LLVMIntNE, len, want, ""),
                      "pj_rt_raise_unpack", p, a, 2);
}

/* Branches to `rare` when `cond` is true, else to `usual`, telling LLVM
   that the rare side seldom runs so that it lays the usual path out
   first (errors, slow paths). */
void
pj_lower_rare_branch(PjLower *lw, LLVMValueRef cond, LLVMBasicBlockRef rare,
                     LLVMBasicBlockRef usual)
{
    LLVMValueRef br = LLVMBuildCondBr(lw->b, cond, rare, usual);
    unsigned kind = LLVMGetMDKindIDInContext(lw->ctx, "prof", 4);
    LLVMMetadataRef md[3] = {
        LLVMMDStringInContext2(lw->ctx, "branch_weights", 14),
        LLVMValueAsMetadata(LLVMConstInt(lw->t_i32, 1, 0)),
        LLVMValueAsMetadata(LLVMConstInt(lw->t_i32, 1000000, 0)),
    };
    LLVMSetMetadata(br, kind, LLVMMetadataAsValue(
        lw->ctx, LLVMMDNodeInContext2(lw->ctx, md, 3)));
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
    LLVMValueRef a[2] = {pj_lower_cstring(lw, exc), pj_lower_cstring(lw, msg)};
    pj_lower_raise_if(lw, bad, "pj_rt_raise_msg", p, a, 2);
}

/* raise Cls(args): the class is found again by module and qualified name
   when it is raised, and the arguments travel marshalled, so the object
   code holds no addresses and can be cached. */
static LLVMBasicBlockRef edge_to(PjLower *lw, PjBlock *to);
static void store_var_ref(PjLower *lw, PjVar *v, LLVMValueRef val,
                          PjType *from, bool owned);

/* A raise that its own handler catches by class alone goes straight to
   the clause, its exception never made (exceptions.c); the handler's
   variable is left empty, as nothing reads it.  False: raise as usual. */
static bool
raise_to_clause(PjLower *lw, PjInstr *ins)
{
    PjBlock *h = lw->block != NULL ? lw->block->handler : NULL;
    PjVar *exc = NULL;
    PjBlock *clause = NULL;
    if (h != NULL && lw->handler == lw->bbs[h->index]) {
        clause = pj_exception_clause_for(lw->fn, h, ins->obj, &exc);
    }
    LLVMBasicBlockRef to = clause != NULL ? edge_to(lw, clause) : NULL;
    if (to == NULL) {
        return false;
    }
    store_var_ref(lw, exc, LLVMConstNull(lw->t_ptr), exc->type, true);
    LLVMBuildBr(lw->b, to);
    return true;
}

static int
lower_raise(PjLower *lw, PjInstr *ins)
{
    if (raise_to_clause(lw, ins)) {
        return 0;
    }
    if (ins->impl != NULL) {
        /* arguments computed at run time */
        LLVMValueRef args[PJ_MAX_ARGS];
        for (int i = 0; i < ins->nsrc; i++) {
            args[i] = load_operand(lw, ins, i, i);
        }
        if (ins->impl->lower(lw, ins, args) == NULL) {
            return -1;
        }
        return_error(lw);
        return 0;
    }
    PyObject *cls = ins->obj;
    PyObject *module = PyObject_GetAttrString(cls, "__module__");
    PyObject *qualname = PyObject_GetAttrString(cls, "__qualname__");
    PyObject *data = PyMarshal_WriteObjectToString(ins->obj2, 4);
    int rc = -1;
    if (module && qualname && data && PyUnicode_Check(module)) {
        LLVMTypeRef p[5] = {lw->t_ptr, lw->t_ptr, lw->t_ptr, lw->t_i64,
                            lw->t_ptr};
        LLVMValueRef a[5] = {
            pj_lower_cstring(lw, PyUnicode_AsUTF8(module)),
            pj_lower_cstring(lw, PyUnicode_AsUTF8(qualname)),
            const_bytes(lw, PyBytes_AS_STRING(data),
                        (size_t)PyBytes_GET_SIZE(data)),
            pj_i64(lw, PyBytes_GET_SIZE(data)),
            pj_lower_class_cache(lw),
        };
        pj_lower_helper(lw, "pj_rt_raise", lw->t_void, p, a, 5);
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

/* --- destructors of blocks --- */

/* This module's private function `void name(ptr data, ptr arg)`, the
   destructor of blocks whose data holds references, its body built by
   body(lw, data, arg, ctx) the first time it is asked for. */
LLVMValueRef
pj_lower_destructor(PjLower *lw, const char *name, PjBodyFn body,
                    const void *ctx)
{
    LLVMValueRef f = LLVMGetNamedFunction(lw->mod, name);
    if (f != NULL) {
        return f;
    }
    LLVMTypeRef p[2] = {lw->t_ptr, lw->t_ptr};
    f = LLVMAddFunction(lw->mod, name, LLVMFunctionType(lw->t_void, p, 2, 0));
    LLVMSetLinkage(f, LLVMPrivateLinkage);
    LLVMBasicBlockRef here = LLVMGetInsertBlock(lw->b);
    LLVMValueRef outer = lw->func;
    lw->func = f;
    LLVMPositionBuilderAtEnd(lw->b, LLVMAppendBasicBlockInContext(
        lw->ctx, f, "entry"));
    body(lw, LLVMGetParam(f, 0), LLVMGetParam(f, 1), ctx);
    LLVMBuildRetVoid(lw->b);
    lw->func = outer;
    LLVMPositionBuilderAtEnd(lw->b, here);
    return f;
}

/* --- conversions --- */

/* Converts v from type `from` to type `to`, for the conversions that
   unification and overload resolution produce; the kind converted to
   knows how.  An Optional used as its value is checked for None. */
LLVMValueRef
pj_lower_convert(PjLower *lw, LLVMValueRef v, PjType *from, PjType *to)
{
    if (from == to || to == NULL) {
        return v;
    }
    if (pj_type_is_bound(from)) {
        from = from->elems[0];      /* a bound method holds its object */
    }
    if (v == NULL && pj_type_is_str(from) && !pj_type_is_const(to)) {
        /* a string constant becomes a value, then what it is stored as */
        PjType *u = pj_type_unicode();
        v = pj_kind(u)->lower_convert(lw, v, from, u);
        from = u;
        if (to == u) {
            return v;
        }
    }
    if ((v == NULL && pj_type_is_class(from) && pj_type_is_number(to))
        || (pj_dtype_value_names(from) && pj_type_is_number(to))) {
        /* a number class passed to the library (typeinfer.c) */
        return LLVMConstNull(pj_lower_type(lw, to));
    }
    if (v == NULL && pj_dtype_value_names(to) != NULL) {
        /* a class or dtype constant passed as a value (dtype.c) */
        return LLVMConstInt(lw->t_i8, 0, 0);
    }
    if (v == NULL) {
        return v;
    }
    if (pj_type_is_optional(from) && !pj_type_is_optional(to)) {
        return pj_lower_unwrap_optional(lw, v, from, to);
    }
    const PjKind *k = pj_kind(to);
    return k->lower_convert ? k->lower_convert(lw, v, from, to) : v;
}

/* The truth value of v as an i1, as bool(v) in Python (inference checked
   that values of type t have one). */
LLVMValueRef
pj_lower_truth(PjLower *lw, LLVMValueRef v, PjType *t)
{
    return pj_kind(t)->lower_truth(lw, v, t);
}

/* `not v` of any value with a truth value that no kind gives an operator
   of its own for (a list, a dict, a tuple): the negated truth. */
static LLVMValueRef
lower_not_truth(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    return LLVMBuildNot(lw->b, pj_lower_truth(lw, args[0], ins->argtys[0]),
                        "");
}

const PjImpl pj_impl_not_truth = {"not", lower_not_truth, false, false};

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
    if (slot != NULL && val == NULL) {
        val = pj_lower_convert(lw, val, from, v->type);  /* a constant */
        from = v->type;
    }
    if (slot == NULL || val == NULL) {
        if (owned && val != NULL) {
            decref_value(lw, val, from);        /* the result is dropped */
        }
        return;
    }
    val = pj_lower_convert(lw, val, from, v->type);
    if (!pj_type_holds_memory(v->type) || borrows(lw, v)) {
        LLVMBuildStore(lw->b, val, slot);
        return;
    }
    LLVMValueRef old = LLVMBuildLoad2(lw->b, pj_lower_type(lw, v->type), slot,
                                      "");
    LLVMBasicBlockRef done = NULL;
    if (!owned && LLVMGetTypeKind(LLVMTypeOf(val)) == LLVMPointerTypeKind) {
        /* a block stored again where it is (x.append in a loop makes the
           method x's again): its count stays as it is */
        LLVMBasicBlockRef other = new_bb(lw, "store.other");
        done = new_bb(lw, "store.done");
        LLVMBuildCondBr(lw->b, LLVMBuildICmp(lw->b, LLVMIntEQ, old, val, ""),
                        done, other);
        LLVMPositionBuilderAtEnd(lw->b, other);
    }
    if (!owned) {
        incref_value(lw, val, v->type);
    }
    LLVMBuildStore(lw->b, val, slot);
    decref_value(lw, old, v->type);
    if (done != NULL) {
        LLVMBuildBr(lw->b, done);
        LLVMPositionBuilderAtEnd(lw->b, done);
    }
}

static void
store_var(PjLower *lw, PjVar *v, LLVMValueRef val, PjType *from)
{
    store_var_ref(lw, v, val, from, false);
}

/* Whether v is a parameter assigned nowhere else, of the type it is
   passed as: the caller's reference keeps its value alive for the whole
   call (every caller passes a value one of its own variables holds, or,
   from Python, one the wrapper holds), so the variable needs none of its
   own.  Not in a generator, which outlives the call that made it. */
static bool
is_borrowed_param(PjLower *lw, PjVar *v)
{
    return lw->gen == NULL && v->ndefs == 1 && v->def->op == PJ_OP_ARG
           && lw->cx->argtys[v->def->sub] == v->type;
}

/* Whether the instructions of b after `from` and before `to` leave v as
   it is. */
static bool
unassigned_between(PjBlock *b, PjInstr *from, PjInstr *to, PjVar *v)
{
    bool inside = false;
    for (PjInstr *ins = b->first; ins != NULL; ins = ins->next) {
        if (ins == to) {
            return inside;
        }
        if (inside && ins->dst == v) {
            return false;
        }
        inside |= ins == from;
    }
    return false;
}

/* Whether t is the method x.m of a call x.m(...) made right away: its one
   definition borrows x's memory (an implementation's value that is not a
   new reference; a method converted to another method type holds the
   same x), its one use is as the callee of call, in the same block, and
   nothing between assigns x.  x's reference then keeps it alive. */
static bool
is_borrowed_method(PjVar *t, PjBlock *b, PjInstr *call, const int *uses)
{
    PjInstr *d = t->ndefs == 1 ? t->def : NULL;
    return d != NULL && d->op == PJ_OP_GETATTR && d->nsrc == 1
           && uses[t->id] == 1 && pj_type_is_bound(d->resty)
           && pj_type_is_bound(t->type) && d->impl != NULL
           && !d->impl->owned && unassigned_between(b, d, call, d->src[0]);
}

/* Whether the instructions of b after `from` and before `to` hold no
   memory: none of their operands or results does, and none is a call.
   Nothing there can replace an item of a list or a dict. */
static bool
no_memory_between(PjBlock *b, PjInstr *from, PjInstr *to)
{
    bool inside = false;
    for (PjInstr *ins = b->first; ins != NULL && ins != to; ins = ins->next) {
        if (inside && (ins->op == PJ_OP_CALL
                       || (ins->dst != NULL && ins->dst->type != NULL
                           && pj_type_holds_memory(ins->dst->type)))) {
            return false;
        }
        for (int j = 0; inside && j < ins->nsrc; j++) {
            PjVar *s = ins->src[j];
            if (s != NULL && s->type != NULL
                && pj_type_holds_memory(s->type)) {
                return false;
            }
        }
        inside |= ins == from;
    }
    return true;
}

/* Whether t is a view x[...] used right away, by a call (as an argument)
   or by an indexing of it (`w[i][j]`, `w[i][j] = v`): its one definition
   is an indexing of x whose value borrows x's memory (a view, not a new
   reference), its one use is `use`, in the same block, and nothing
   between assigns x.  x's reference keeps the view's memory alive until
   then; a callee borrows its arguments too (and takes a reference of its
   own to keep one).  An item of a list or a dict could be replaced, and
   freed, by anything between that touches memory, so there nothing may.
   A field of a namedtuple is such a view too (`ds.parent[x]`, as
   fast_hdbscan's union-find reads it).  aeon's distances pass `x[:, i]`
   to a function for every cell of a matrix, and `w[i][j]` in a loop is
   the cell itself: two atomic operations on x's count per view cost more
   than the cell's work. */
static bool
is_borrowed_view(PjVar *t, PjBlock *b, PjInstr *use, const int *uses)
{
    PjInstr *d = t->ndefs == 1 ? t->def : NULL;
    if (d == NULL || !t->is_temp || uses[t->id] != 1
        || (d->op != PJ_OP_GETITEM && d->op != PJ_OP_STATIC_GETITEM
            && d->op != PJ_OP_GETATTR)
        || d->nsrc < 1 || !pj_type_is_array(t->type) || d->impl == NULL
        || d->impl->owned || !unassigned_between(b, d, use, d->src[0])) {
        return false;
    }
    PjType *x = d->src[0]->type;
    if (d->op == PJ_OP_GETATTR) {
        /* a namedtuple's field (`ds.parent[x]`); an array's own
           attributes (a.T) stay views with references of their own */
        return pj_type_is_tuple(x);
    }
    return pj_type_is_array(x) || pj_type_is_tuple(x)
           || no_memory_between(b, d, use);
}

/* Whether ins indexes its first operand: a view it borrows is used
   there. */
static bool
indexes_first(PjInstr *ins)
{
    return (ins->op == PJ_OP_GETITEM || ins->op == PJ_OP_STATIC_GETITEM
            || ins->op == PJ_OP_SETITEM) && ins->nsrc >= 1
           && ins->src[0] != NULL && ins->src[0]->type != NULL;
}

/* Whether ins, a PAIR_FIRST first in its block, takes the item of a
   loop's ITERNEXT pair only to copy it into the loop's variable: the
   pair, a temporary, is read only by the PAIR_SECOND right after the
   ITERNEXT, which ends its block's work (the loop's test), and by ins;
   the item, a temporary, is copied at once by the next instruction.  The
   iterator holds what the item holds until it is advanced again, and
   nothing runs between, so neither the pair nor the item needs a
   reference of its own: the loop's variable takes the one reference
   (`for row in a:` counted three per row). */
static bool
takes_item_to_copy(PjInstr *ins, PjBlock *b, const int *uses)
{
    PjVar *p = ins->src[0], *item = ins->dst;
    PjInstr *d = p->ndefs == 1 ? p->def : NULL;
    PjInstr *test = d != NULL ? d->next : NULL;
    return ins == b->first && d != NULL && d->op == PJ_OP_ITERNEXT
           && p->is_temp && uses[p->id] == 2 && test != NULL
           && test->op == PJ_OP_PAIR_SECOND && test->src[0] == p
           && test->next != NULL && test->next->op == PJ_OP_BRANCH
           && item != NULL && item->is_temp && item->ndefs == 1
           && uses[item->id] == 1 && ins->next != NULL
           && ins->next->op == PJ_OP_COPY && ins->next->src[0] == item;
}

/* The variables that take no reference of their own (is_borrowed_param,
   is_borrowed_method, is_borrowed_view, takes_item_to_copy): the
   references a call would take and release around every use,
   atomically, otherwise.  NULL with MemoryError. */
static const bool *
borrowing_vars(PjLower *lw)
{
    PjFunc *fn = lw->fn;
    bool *out = PJ_NEW_N(lw->cx->arena, bool, fn->vars.len + 1);
    int *uses = PJ_NEW_N(lw->cx->arena, int, fn->vars.len + 1);
    if (out == NULL || uses == NULL) {
        return NULL;
    }
    for (int i = 0; i < fn->vars.len; i++) {
        out[i] = is_borrowed_param(lw, pj_ir_var_at(fn, i));
    }
    for (int k = 0; k < fn->blocks.len; k++) {
        PjBlock *b = pj_ir_block(fn, k);
        for (PjInstr *ins = b->first; ins != NULL; ins = ins->next) {
            for (int j = 0; j < ins->nsrc; j++) {
                if (ins->src[j] != NULL) {
                    uses[ins->src[j]->id]++;
                }
            }
        }
    }
    for (int k = 0; k < fn->blocks.len; k++) {
        PjBlock *b = pj_ir_block(fn, k);
        for (PjInstr *ins = b->first; ins != NULL; ins = ins->next) {
            if (indexes_first(ins)
                && is_borrowed_view(ins->src[0], b, ins, uses)) {
                out[ins->src[0]->id] = true;
            }
            if (ins->op == PJ_OP_PAIR_FIRST
                && takes_item_to_copy(ins, b, uses)) {
                out[ins->src[0]->id] = out[ins->dst->id] = true;
            }
            if (ins->op != PJ_OP_CALL) {
                continue;
            }
            if (ins->nsrc >= 1 && ins->src[0]->type
                && is_borrowed_method(ins->src[0], b, ins, uses)) {
                out[ins->src[0]->id] = true;
            }
            for (int j = 1; j < ins->nsrc; j++) {
                PjVar *a = ins->src[j];
                if (a != NULL && a->type != NULL
                    && is_borrowed_view(a, b, ins, uses)) {
                    out[a->id] = true;
                }
            }
        }
    }
    return out;
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

/* --- catching (exceptions.c) --- */

static int
lower_exc_match(PjLower *lw, PjInstr *ins)
{
    LLVMValueRef m = pj_exception_lower_match(lw, load_var(lw, ins->src[0]),
                                              ins->obj);
    if (m == NULL) {
        return pj_diag(lw->cx, PJ_ERR_LOWERING, ins->loc, "cannot catch "
                       "an exception class that has no module name");
    }
    store_var(lw, ins->dst, m, pj_t.boolean);
    return 0;
}

static void
lower_reraise(PjLower *lw, PjInstr *ins)
{
    pj_exception_lower_reraise(lw, load_var(lw, ins->src[0]));
    return_error(lw);
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

/* The value of the Python constant obj, of type t. */
LLVMValueRef
pj_lower_pyconst(PjLower *lw, PyObject *obj, PjType *t)
{
    const PjKind *k = pj_kind(t);
    return k->lower_const ? k->lower_const(lw, obj, t) : NULL;
}

static LLVMValueRef
native_param(PjLower *lw, int i)
{
    if (lw->gen != NULL) {
        return pj_generator_param(lw, i);
    }
    bool status = lw->retptr != NULL;
    return LLVMGetParam(lw->func, (unsigned)(i + status));
}

static void
lower_return(PjLower *lw, PjInstr *ins)
{
    if (lw->gen != NULL) {
        pj_generator_lower_finish(lw, 0);
        return;
    }
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

/* Whether the head of a loop, h, takes the item of the loop's own
   iterator without advancing it, leaving that to the edges back to h:
   h begins with the ITERNEXT of a temporary made once (outside the
   loop, as its single definition must dominate h), of a kind that
   advances so, and not of a prange loop, which parallel.c lowers. */
static bool
advances_on_back_edges(PjLower *lw, PjBlock *h)
{
    PjInstr *ins = h->first;
    if (ins == NULL || ins->op != PJ_OP_ITERNEXT) {
        return false;
    }
    PjVar *it = ins->src[0];
    return it->is_temp && it->ndefs == 1 && it->def != NULL
           && pj_kind(it->type)->lower_advance != NULL
           && !pj_parallel_starts_loop(lw->cx, it->def);
}

/* The block a jump or branch from the block being lowered to `to` goes
   to: `to`'s own, or, on an edge back to a loop's head that advances
   there, the block that advances the loop's iterator first.  Every edge
   back goes through that one block (a `continue` makes a second): the
   loop then has one latch, where LLVM finds how its index steps and
   unroll.c finds it.  NULL: -1 (MemoryError). */
static LLVMBasicBlockRef
edge_to(PjLower *lw, PjBlock *to)
{
    LLVMBasicBlockRef bb = lw->bbs[to->index];
    if (!advances_on_back_edges(lw, to)) {
        return bb;
    }
    int back = pj_ir_dominates(lw->fn, to, lw->block);
    if (back <= 0) {
        return back < 0 ? NULL : bb;
    }
    if (lw->latches[to->index] != NULL) {
        return lw->latches[to->index];
    }
    PjVar *it = to->first->src[0];
    LLVMBasicBlockRef here = LLVMGetInsertBlock(lw->b);
    LLVMBasicBlockRef latch = new_bb(lw, "latch");
    LLVMPositionBuilderAtEnd(lw->b, latch);
    pj_kind(it->type)->lower_advance(lw, it->type, lw->slots[it->id]);
    LLVMBuildBr(lw->b, bb);
    LLVMPositionBuilderAtEnd(lw->b, here);
    return lw->latches[to->index] = latch;
}

static int
lower_jump(PjLower *lw, PjInstr *ins)
{
    LLVMBasicBlockRef to = edge_to(lw, ins->target[0]);
    if (to == NULL) {
        return -1;
    }
    LLVMBuildBr(lw->b, to);
    return 0;
}

static int
lower_branch(PjLower *lw, PjInstr *ins)
{
    PjVar *c = ins->src[0];
    for (int k = 0; k < 2; k++) {
        if (!ins->target[k]->reachable) {        /* pruned by inference */
            LLVMBasicBlockRef to = edge_to(lw, ins->target[1 - k]);
            if (to == NULL) {
                return -1;
            }
            LLVMBuildBr(lw->b, to);
            return 0;
        }
    }
    LLVMValueRef cond = pj_lower_truth(lw, load_var(lw, c), c->type);
    LLVMBasicBlockRef yes = edge_to(lw, ins->target[0]);
    LLVMBasicBlockRef no = yes ? edge_to(lw, ins->target[1]) : NULL;
    if (no == NULL) {
        return -1;
    }
    LLVMBuildCondBr(lw->b, cond, yes, no);
    return 0;
}

/* --- calls to jitted functions --- */

/* The type of a native function: with `status`, it returns 0 or -1 and
   writes its result through a first pointer parameter. */
LLVMTypeRef
pj_lower_native_type(PjLower *lw, PjType **argtys, int n, PjType *ret,
                     bool status)
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
    PjType *dt = pj_type_of_constant(lw->cx, plan->defaults[i]);
    LLVMValueRef dv = pj_lower_pyconst(lw, plan->defaults[i], dt);
    return pj_lower_convert(lw, dv, dt, to);
}

/* Calls the jitted callee with its arguments args (of its argument
   types); its result, of type *restype, a new reference to any memory it
   holds, or NULL when its code could not be made (a diagnostic is
   recorded). */
LLVMValueRef
pj_lower_call_callee(PjLower *lw, PjCallee *callee, LLVMValueRef *values,
                     PjType **result_type)
{
    const char *name;
    bool status;
    PjType *restype;
    if (lw->cx->callee_symbol(lw->cx, callee, &name, &status, &restype) < 0) {
        return NULL;
    }
    int n = callee->nargs;
    LLVMValueRef args[PJ_MAX_ARGS + 1];
    int na = 0;
    LLVMValueRef retslot = NULL;
    if (status) {
        retslot = pj_lower_alloca(lw, pj_lower_type(lw, restype), "ret");
        args[na++] = retslot;
    }
    for (int i = 0; i < n; i++) {
        args[na++] = values[i];
    }
    LLVMTypeRef fty = pj_lower_native_type(lw, callee->argtys, n, restype,
                                           status);
    LLVMValueRef f = get_function(lw, name, fty);
    LLVMValueRef r = LLVMBuildCall2(lw->b, fty, f, args, (unsigned)na, "");
    if (status) {
        LLVMBasicBlockRef ok = pj_lower_branch_on_status(lw, r);
        return_error(lw);
        LLVMPositionBuilderAtEnd(lw->b, ok);
        r = LLVMBuildLoad2(lw->b, pj_lower_type(lw, restype), retslot, "");
    }
    *result_type = restype;
    return r;
}

static int
lower_call_jitted(PjLower *lw, PjInstr *ins, PjCallPlan *plan)
{
    PjCallee *callee = plan->callee;
    LLVMValueRef args[PJ_MAX_ARGS + 1];
    for (int i = 0; i < callee->nargs; i++) {
        args[i] = call_argument(lw, ins, plan, i);
    }
    PjType *restype;
    LLVMValueRef r = pj_lower_call_callee(lw, callee, args, &restype);
    if (r == NULL) {
        return -1;
    }
    /* A callee's result is a new reference to any memory it holds. */
    store_var_ref(lw, ins->dst, r, restype, true);
    return 0;
}

/* An instruction inference chose nothing for: inference reports what
   does not type, so this is a compiler bug, reported rather than
   lowered. */
static int
untyped(PjLower *lw, PjInstr *ins)
{
    return pj_diag(lw->cx, PJ_ERR_LOWERING, ins->loc, "no lowering for %s",
                   pj_op_names[ins->op]);
}

static int
lower_call(PjLower *lw, PjInstr *ins)
{
    PjCallPlan *plan = ins->call;
    if (plan == NULL || (plan->callee == NULL && ins->impl == NULL)) {
        return untyped(lw, ins);
    }
    if (plan->callee != NULL) {
        return lower_call_jitted(lw, ins, plan);
    }
    LLVMValueRef args[PJ_MAX_ARGS + 1];
    int self = 0;
    PjType *callee = ins->src[0]->type;
    if (pj_type_is_bound(callee) || pj_type_is_funcptr(callee)
        || pj_type_is_funcset(callee)) {
        /* x in x.method(), the address of a FunctionType's function, the
           index of a FunctionSet's */
        args[self++] = load_var(lw, ins->src[0]);
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
    lw->iterator_kept = !it->is_temp;
    lw->iterator_counted = ins == lw->block->first
                           && advances_on_back_edges(lw, lw->block);
    LLVMValueRef item = pj_lower_iternext(lw, it->type, lw->slots[it->id],
                                          &ok);
    lw->iterator_kept = lw->iterator_counted = false;
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
        store_var(lw, ins->dst, load_var(lw, ins->src[0]),
                  ins->src[0]->type);
        return 0;
    case PJ_OP_CALL: return lower_call(lw, ins);
    case PJ_OP_ITERNEXT: lower_iternext(lw, ins); return 0;
    case PJ_OP_JUMP: return lower_jump(lw, ins);
    case PJ_OP_BRANCH: return lower_branch(lw, ins);
    case PJ_OP_RETURN: lower_return(lw, ins); return 0;
    case PJ_OP_RAISE: return lower_raise(lw, ins);
    case PJ_OP_CATCH:
        store_var_ref(lw, ins->dst, pj_exception_lower_catch(lw), ins->resty,
                      true);
        return 0;
    case PJ_OP_EXC_MATCH: return lower_exc_match(lw, ins);
    case PJ_OP_RERAISE: lower_reraise(lw, ins); return 0;
    default:
        if (ins->impl == NULL) {
            return untyped(lw, ins);
        }
        lower_generic(lw, ins);
        /* an implementation calling a jitted function may fail to
           compile it */
        return lw->cx->diag != NULL || PyErr_Occurred() ? -1 : 0;
    }
}

/* With _nrt=False the code may not make values that hold reference-
   counted memory (an array, a list...): an instruction whose result is a
   new reference to such memory is an error, as in Numba. */
static int
check_nrt(PjLower *lw, PjInstr *ins)
{
    bool makes = ins->dst != NULL && ins->resty != NULL
                 && ((ins->impl && ins->impl->owned)
                     || (ins->call && ins->call->callee))
                 && pj_type_holds_memory(ins->resty);
    if (lw->cx->opts.nrt || !makes) {
        return 0;
    }
    return pj_diag(lw->cx, PJ_ERR_LOWERING, ins->loc, "NRT required but not "
                   "enabled: this makes a value of type %s, whose memory "
                   "pyjit's runtime manages; compile without _nrt=False",
                   pj_type_str(ins->resty));
}

/* --- releasing an array after its last use ---

   A variable holding an array (or a tuple of arrays, releases_early) lets
   it go right after the instruction that reads it last, when no block
   after may read it (the handler of a `try` around counts), as Numba
   deletes a variable after its last use.  Until then every temporary of
   `(x - a[i - 1]) / (a[i] - a[i - 1])` lived until the function
   returned: its peak memory was the sum of them, and each new one came
   from fresh pages, faulted in.  Not in a generator
   (its variables outlive the call), nor in a function with parallel
   regions (their chunks read the variables' slots), nor for a variable
   that takes no reference of its own, nor for the array a borrowed view
   of it needs alive (borrowing_vars). */

typedef struct PjReleases {
    PjLiveness live;
    bool *pinned;               /* per variable: a borrowed view needs it */
    PjInstr **last_use;         /* per variable: its last reader in the
                                   block being lowered */
} PjReleases;

static bool
has_parallel_regions(PjLower *lw)
{
    for (int i = 0; i < lw->fn->blocks.len; i++) {
        if (pj_parallel_owns_block(lw->cx, pj_ir_block(lw->fn, i))) {
            return true;
        }
    }
    return false;
}

/* The plan of early releases for lw's function, or NULL when it makes
   none; -1 in *rc on MemoryError. */
static PjReleases *
plan_releases(PjLower *lw, int *rc)
{
    *rc = 0;
    PjFunc *fn = lw->fn;
    if (!lw->counts_memory || lw->gen != NULL || has_parallel_regions(lw)) {
        return NULL;
    }
    PjReleases *r = PJ_NEW(lw->cx->arena, PjReleases);
    bool *pinned = PJ_NEW_N(lw->cx->arena, bool, fn->vars.len + 1);
    PjInstr **last = PJ_NEW_N(lw->cx->arena, PjInstr *, fn->vars.len + 1);
    if (r == NULL || pinned == NULL || last == NULL
        || pj_ir_liveness(lw->cx, &r->live, true) < 0) {
        *rc = -1;
        return NULL;
    }
    memset(pinned, 0, sizeof(bool) * (size_t)(fn->vars.len + 1));
    memset(last, 0, sizeof(PjInstr *) * (size_t)(fn->vars.len + 1));
    for (int i = 0; i < fn->vars.len; i++) {
        PjVar *t = pj_ir_var_at(fn, i);
        if (borrows(lw, t) && t->ndefs == 1 && t->def != NULL
            && t->def->nsrc >= 1 && t->def->src[0] != NULL) {
            pinned[t->def->src[0]->id] = true;
        }
    }
    r->pinned = pinned;
    r->last_use = last;
    return r;
}

/* Notes, for each variable b reads, the instruction that reads it last. */
static void
note_last_uses(PjReleases *r, PjBlock *b)
{
    for (PjInstr *ins = b->first; ins != NULL; ins = ins->next) {
        for (int k = 0; k < ins->nsrc; k++) {
            if (ins->src[k] != NULL) {
                r->last_use[ins->src[k]->id] = ins;
            }
        }
    }
}

/* Whether a variable of type t lets its memory go after its last use:
   an array, or a tuple of arrays and numbers (`stack, size = push(stack,
   x, size)` leaves the pair holding the stack until it is assigned again,
   a count up and down per push around the loop's back edge). */
static bool
releases_early(PjType *t)
{
    if (pj_type_is_array(t)) {
        return true;
    }
    if (!pj_type_is_tuple(t) || !pj_type_holds_memory(t)) {
        return false;
    }
    for (int i = 0; i < t->nelems; i++) {
        if (pj_type_holds_memory(t->elems[i])
            && !releases_early(t->elems[i])) {
            return false;
        }
    }
    return true;
}

/* Whether v's memory may go right after ins, in the block being
   lowered. */
static bool
dies_after(PjLower *lw, PjVar *v, PjInstr *ins)
{
    PjReleases *r = lw->releases;
    return v != NULL && v->type != NULL && releases_early(v->type)
           && lw->slots[v->id] != NULL && !borrows(lw, v)
           && !r->pinned[v->id] && r->last_use[v->id] == ins
           && ins->dst != v && !pj_ir_live_out(&r->live, lw->block, v);
}

/* Releases the arrays ins read last, where the code after ins goes on
   (nothing when ins ended its block). */
static void
release_dead(PjLower *lw, PjInstr *ins)
{
    LLVMBasicBlockRef at = LLVMGetInsertBlock(lw->b);
    if (lw->releases == NULL || (pj_op_flags[ins->op] & PJ_OPF_TERM)
        || LLVMGetBasicBlockTerminator(at) != NULL) {
        return;
    }
    for (int k = 0; k < ins->nsrc; k++) {
        PjVar *v = ins->src[k];
        bool seen = false;
        for (int j = 0; j < k; j++) {
            seen |= ins->src[j] == v;
        }
        if (seen || !dies_after(lw, v, ins)) {
            continue;
        }
        LLVMValueRef slot = lw->slots[v->id];
        LLVMTypeRef t = pj_lower_type(lw, v->type);
        decref_value(lw, LLVMBuildLoad2(lw->b, t, slot, ""), v->type);
        LLVMBuildStore(lw->b, LLVMConstNull(t), slot);
    }
}

/* Lowers the instructions of a block from `from` on.  A prange loop of
   a parallel=True function becomes a parallel region where its getiter
   was; the rest of that block is the jump into the loop, which the
   region replaces. */
int
pj_lower_instrs(PjLower *lw, PjInstr *from)
{
    pj_float_index_forget(lw);
    for (PjInstr *ins = from; ins != NULL; ins = ins->next) {
        if (pj_parallel_starts_loop(lw->cx, ins)) {
            return pj_parallel_lower(lw, ins);
        }
        pj_debuginfo_at(lw, ins->loc);
        RETURN_IF_ERROR(check_nrt(lw, ins));
        lw->lowering = ins;
        RETURN_IF_ERROR(lower_instr(lw, ins));
        lw->lowering = NULL;
        RETURN_IF_ERROR(pj_float_index_settled(lw, ins));
        release_dead(lw, ins);
    }
    return 0;
}

int
pj_lower_blocks(PjLower *lw)
{
    PjFunc *fn = lw->fn;
    int rc;
    lw->releases = plan_releases(lw, &rc);
    if (rc < 0) {
        return -1;
    }
    for (int i = 0; i < fn->blocks.len; i++) {
        PjBlock *b = pj_ir_block(fn, i);
        if (!b->reachable || pj_parallel_owns_block(lw->cx, b)) {
            continue;
        }
        LLVMPositionBuilderAtEnd(lw->b, lw->bbs[i]);
        lw->handler = b->handler ? lw->bbs[b->handler->index] : NULL;
        lw->block = b;
        if (lw->releases != NULL) {
            note_last_uses(lw->releases, b);
        }
        RETURN_IF_ERROR(pj_lower_instrs(lw, b->first));
    }
    lw->releases = NULL;
    return PyErr_Occurred() ? -1 : 0;
}

/* --- what parallel.c's chunk functions lower with --- */

LLVMValueRef
pj_lower_load_var(PjLower *lw, PjVar *v)
{
    return load_var(lw, v);
}

void
pj_lower_store_var(PjLower *lw, PjVar *v, LLVMValueRef val, PjType *from)
{
    store_var(lw, v, val, from);
}

void
pj_lower_release_variables(PjLower *lw)
{
    release_variables(lw);
}

/* Whether no reachable block of fn returns: every call of it raises. */
static bool
never_returns(PjFunc *fn)
{
    for (int i = 0; i < fn->blocks.len; i++) {
        PjBlock *b = pj_ir_block(fn, i);
        for (PjInstr *ins = b->reachable ? b->first : NULL; ins != NULL;
             ins = ins->next) {
            if (ins->op == PJ_OP_RETURN) {
                return false;
            }
        }
    }
    return true;
}

static void
add_attribute(PjLower *lw, const char *name)
{
    unsigned kind = LLVMGetEnumAttributeKindForName(name, strlen(name));
    LLVMAddAttributeAtIndex(lw->func, LLVMAttributeFunctionIndex,
                            LLVMCreateEnumAttribute(lw->ctx, kind, 0));
}

/* inline='always' / 'never': callers that link this function's code
   always / never inline it; without the option LLVM decides, except for
   a function that only raises (one that makes an error's message, as
   `raise IndexError(f"index {i} ...")`), which is never inlined and
   cold: its callers stay small enough to inline in their loops. */
static void
set_inline_attribute(PjLower *lw)
{
    static const char *const names[] = {NULL, "alwaysinline", "noinline"};
    const char *name = names[lw->cx->opts.inline_mode];
    if (name != NULL) {
        add_attribute(lw, name);
    }
    else if (never_returns(lw->fn)) {
        add_attribute(lw, "noinline");
        add_attribute(lw, "cold");
    }
}

/* Room for the LLVM blocks of the IR's blocks and for the latches of
   its loops (none yet), in the function lw builds; -1 with
   MemoryError. */
int
pj_lower_block_tables(PjLower *lw)
{
    size_t n = (size_t)lw->fn->blocks.len + 1;
    lw->bbs = PJ_NEW_N(lw->cx->arena, LLVMBasicBlockRef, n);
    lw->latches = PJ_NEW_N(lw->cx->arena, LLVMBasicBlockRef, n);
    if (lw->bbs == NULL || lw->latches == NULL) {
        return -1;
    }
    memset(lw->bbs, 0, sizeof(LLVMBasicBlockRef) * n);
    memset(lw->latches, 0, sizeof(LLVMBasicBlockRef) * n);
    return 0;
}

/* An LLVM block for each reachable block of the IR, in lw->bbs. */
int
pj_lower_make_blocks(PjLower *lw)
{
    PjCompile *cx = lw->cx;
    if (pj_lower_block_tables(lw) < 0) {
        return -1;
    }
    for (int i = 0; i < lw->fn->blocks.len; i++) {
        PjBlock *b = pj_ir_block(lw->fn, i);
        if (b->reachable && !pj_parallel_owns_block(cx, b)) {
            char name[32];
            snprintf(name, sizeof(name), "label%d", i);
            lw->bbs[i] = new_bb(lw, name);
        }
    }
    return 0;
}

static int
build_native(PjLower *lw)
{
    PjCompile *cx = lw->cx;
    if (cx->is_generator) {
        return pj_generator_build(lw);
    }
    LLVMTypeRef fty = pj_lower_native_type(lw, cx->argtys, cx->nargs,
                                           cx->restype, cx->can_raise);
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
    set_inline_attribute(lw);
    RETURN_IF_ERROR(pj_debuginfo_begin(lw));
    LLVMBasicBlockRef entry = new_bb(lw, "entry");
    RETURN_IF_ERROR(pj_lower_make_blocks(lw));
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
    lw->borrows = borrowing_vars(lw);
    if (lw->borrows == NULL) {
        return -1;
    }
    LLVMBuildBr(lw->b, lw->bbs[0]);
    RETURN_IF_ERROR(pj_lower_blocks(lw));
    return 0;
}

/* --- linking callees --- */

/* Links each compiled callee's module into ours.  The callees' functions
   become linkonce_odr: a function two callees both call (array_min and
   array_max share _extreme_of) is linked once, not once per callee, since
   one native name is one specialization; the module is made to hold them
   as internal functions before it is emitted (pj_jit_internalize), so
   that LLVM may inline them and the JIT does not see a second definition
   of their symbols. */
static int
link_callees(PjLower *lw)
{
    PjCompile *cx = lw->cx;
    for (int i = 0; i < cx->callees.len; i++) {
        PjOverload *ov = cx->callees.items[i];
        cx->no_cache |= ov->no_cache;
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
        if (!LLVMIsDeclaration(f) && LLVMGetLinkage(f) != LLVMInternalLinkage
            && strcmp(name, cx->native_name) != 0
            && strcmp(name, cx->wrapper_name) != 0) {
            LLVMSetLinkage(f, LLVMLinkOnceODRLinkage);
        }
    }
    return 0;
}

/* The LLVM types every lowering uses, in lw->ctx. */
void
pj_lower_init_types(PjLower *lw)
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
    RETURN_IF_ERROR(pj_fusion_plan(cx));
    RETURN_IF_ERROR(pj_parallel_plan(cx));
    lw.b = LLVMCreateBuilderInContext(lw.ctx);
    pj_lower_init_types(&lw);
    int rc = build_native(&lw);
    if (rc == 0) {
        lw.counts_memory = false;       /* the wrapper counts nothing */
        lw.handler = NULL;
        pj_debuginfo_leave(&lw);
        cx->target->build_entry(&lw);
        rc = link_callees(&lw);
    }
    pj_debuginfo_finish(&lw);
    LLVMDisposeBuilder(lw.b);
    return rc;
}
