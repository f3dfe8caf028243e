/*
** ufunc_build.c - the NumPy ufuncs @vectorize and @guvectorize make
** (pyjit/_vectorize.py): their inner loops, generated with LLVM, and the
** ufunc objects, made through NumPy's C API.
**
** A loop has the signature NumPy calls,
**
**   void loop(char **args, npy_intp *dims, npy_intp *steps, void *data)
**
** and calls the kernel, a compiled specialization of the decorated
** function, whose optimized bitcode is linked into the loop's module so
** that LLVM inlines it.  An element-wise loop (vectorize) loads one
** element of each input, calls the kernel and stores its result: once over
** typed pointers when every operand is contiguous (the loop LLVM
** vectorizes), once over byte strides otherwise.  A generalized loop
** (guvectorize) passes each operand's core dimensions to the kernel as an
** array struct of its own (arrays.c's layout, without memory or parent),
** a `()` operand typed as a number as its value; an operand typed C
** contiguous is checked to be so first.
**
** A kernel that raises has set the exception (taking the GIL); the loop
** stops there and NumPy, which checks for an exception after calling a
** legacy loop, raises it.  The ufunc owns what NumPy keeps pointers to
** (the loop table, the name and doc) through its `obj` slot, which NumPy
** releases with the ufunc.
*/
#include "pyjit.h"

#define NO_IMPORT_ARRAY
#include <numpy/arrayobject.h>
#include <numpy/ufuncobject.h>

#include <llvm-c/BitReader.h>
#include <llvm-c/Linker.h>

#include <stdio.h>
#include <string.h>

/* One loop under construction. */
typedef struct {
    PjLower lw;
    PjOverload *ov;
    PjType **types;             /* per operand: the kernel's parameters,
                                   then (vectorize) its result */
    int nops;                   /* operands NumPy passes */
    int nparams;                /* the kernel's parameters */
    const int *ncore;           /* guvectorize: core dims per operand */
    const int *coredim;         /* their indices in dims[1:], flattened */
    LLVMTypeRef kfty;
    LLVMValueRef kernel;
    LLVMValueRef retslot;       /* the kernel's result, if it can raise */
    LLVMValueRef base[PJ_MAX_ARGS + 1], step[PJ_MAX_ARGS + 1];
    LLVMValueRef n;             /* dims[0] */
    LLVMBasicBlockRef exit;
} Loop;

static unsigned long counter;   /* makes loop names unique */

/* --- the module --- */

/* Links the kernel's optimized module into the loop's and makes every
   function but the loop internal, so that LLVM inlines the kernel and the
   JIT sees no second definition of its symbol.  A kernel without bitcode
   is called through its symbol. */
static int
link_kernel(Loop *L, const char *loop_name)
{
    PyObject *bc = L->ov->bitcode;
    if (bc == NULL) {
        return 0;
    }
    LLVMMemoryBufferRef buf = LLVMCreateMemoryBufferWithMemoryRange(
        PyBytes_AS_STRING(bc), (size_t)PyBytes_GET_SIZE(bc), "kernel", 0);
    LLVMModuleRef m = NULL;
    bool failed = LLVMParseBitcodeInContext2(L->lw.ctx, buf, &m);
    LLVMDisposeMemoryBuffer(buf);
    if (failed || LLVMLinkModules2(L->lw.mod, m)) {
        PyErr_Format(PyExc_RuntimeError, "pyjit: cannot link the code of "
                     "%s into its ufunc loop", L->ov->native_name);
        return -1;
    }
    for (LLVMValueRef f = LLVMGetFirstFunction(L->lw.mod); f != NULL;
         f = LLVMGetNextFunction(f)) {
        if (!LLVMIsDeclaration(f)
            && strcmp(LLVMGetValueName(f), loop_name) != 0) {
            LLVMSetLinkage(f, LLVMInternalLinkage);
        }
    }
    return 0;
}

/* --- pieces of the loop --- */

static LLVMValueRef
load_at(PjLower *lw, LLVMTypeRef t, LLVMValueRef array, int i)
{
    LLVMValueRef idx = pj_i64(lw, i);
    LLVMValueRef p = LLVMBuildInBoundsGEP2(lw->b, t, array, &idx, 1, "");
    return LLVMBuildLoad2(lw->b, t, p, "");
}

/* The type an element of dtype t has in memory: NumPy's bool is a byte. */
static LLVMTypeRef
memory_type(PjLower *lw, PjType *t)
{
    return t->kind == PJ_TK_BOOL ? lw->t_i8 : pj_lower_type(lw, t);
}

static PjType *
dtype_of(PjType *t)
{
    return pj_type_is_array(t) ? t->elems[0] : t;
}

static int
itemsize(PjType *t)
{
    PjType *d = dtype_of(t);
    return d->kind == PJ_TK_BOOL ? 1 : d->bits / 8;
}

/* Calls the kernel on args; with a status, an error leaves the loop and
   the result is read from its slot. */
static LLVMValueRef
call_kernel(Loop *L, LLVMValueRef *params)
{
    PjLower *lw = &L->lw;
    LLVMValueRef args[PJ_MAX_ARGS + 1];
    int na = 0;
    if (L->ov->can_raise) {
        args[na++] = L->retslot;
    }
    memcpy(args + na, params, sizeof(LLVMValueRef) * (size_t)L->nparams);
    na += L->nparams;
    LLVMValueRef r = LLVMBuildCall2(lw->b, L->kfty, L->kernel, args,
                                    (unsigned)na, "");
    if (!L->ov->can_raise) {
        return r;
    }
    LLVMBasicBlockRef ok = LLVMAppendBasicBlockInContext(lw->ctx, lw->func,
                                                         "ok");
    LLVMValueRef bad = LLVMBuildICmp(lw->b, LLVMIntNE, r, pj_i32(lw, 0), "");
    LLVMBuildCondBr(lw->b, bad, L->exit, ok);
    LLVMPositionBuilderAtEnd(lw->b, ok);
    return LLVMBuildLoad2(lw->b, pj_lower_type(lw, L->ov->restype),
                          L->retslot, "");
}

/* Branches on cond to two new blocks: leaves the builder in the one
   taken when cond is true and returns the other. */
static LLVMBasicBlockRef
branch(PjLower *lw, LLVMValueRef cond, const char *yes, const char *no)
{
    LLVMBasicBlockRef y = LLVMAppendBasicBlockInContext(lw->ctx, lw->func,
                                                        yes);
    LLVMBasicBlockRef n = LLVMAppendBasicBlockInContext(lw->ctx, lw->func,
                                                        no);
    LLVMBuildCondBr(lw->b, cond, y, n);
    LLVMPositionBuilderAtEnd(lw->b, y);
    return n;
}

/* Operand k's address at index i: over typed pointers when contiguous. */
static LLVMValueRef
operand_address(Loop *L, int k, LLVMValueRef i, bool contiguous)
{
    PjLower *lw = &L->lw;
    if (contiguous) {
        LLVMTypeRef t = memory_type(lw, L->types[k]);
        return LLVMBuildInBoundsGEP2(lw->b, t, L->base[k], &i, 1, "");
    }
    LLVMValueRef off = LLVMBuildMul(lw->b, i, L->step[k], "");
    return LLVMBuildInBoundsGEP2(lw->b, lw->t_i8, L->base[k], &off, 1, "");
}

typedef void (*BodyFn)(Loop *L, LLVMValueRef i, bool contiguous);

/* for (i = 0; i < n; i++) body(i), from the current block to L->exit. */
static void
counted_loop(Loop *L, BodyFn body, bool contiguous)
{
    PjLower *lw = &L->lw;
    LLVMBasicBlockRef pre = LLVMGetInsertBlock(lw->b);
    LLVMBasicBlockRef top = LLVMAppendBasicBlockInContext(lw->ctx, lw->func,
                                                          "loop");
    LLVMValueRef any = LLVMBuildICmp(lw->b, LLVMIntSGT, L->n, pj_i64(lw, 0),
                                     "");
    LLVMBuildCondBr(lw->b, any, top, L->exit);
    LLVMPositionBuilderAtEnd(lw->b, top);
    LLVMValueRef i = LLVMBuildPhi(lw->b, lw->t_i64, "i");
    body(L, i, contiguous);
    LLVMValueRef next = LLVMBuildNSWAdd(lw->b, i, pj_i64(lw, 1), "");
    LLVMBasicBlockRef latch = LLVMGetInsertBlock(lw->b);
    LLVMValueRef more = LLVMBuildICmp(lw->b, LLVMIntSLT, next, L->n, "");
    LLVMBuildCondBr(lw->b, more, top, L->exit);
    LLVMValueRef in_v[2] = {pj_i64(lw, 0), next};
    LLVMBasicBlockRef in_b[2] = {pre, latch};
    LLVMAddIncoming(i, in_v, in_b, 2);
}

/* --- element-wise loops (vectorize) --- */

static void
elementwise_body(Loop *L, LLVMValueRef i, bool contiguous)
{
    PjLower *lw = &L->lw;
    LLVMValueRef params[PJ_MAX_ARGS];
    for (int k = 0; k < L->nparams; k++) {
        LLVMValueRef p = operand_address(L, k, i, contiguous);
        params[k] = pj_array_load(lw, L->types[k], p);
    }
    LLVMValueRef r = call_kernel(L, params);
    int out = L->nparams;
    pj_array_store(lw, L->types[out], operand_address(L, out, i, contiguous),
                   r);
}

/* Two copies of the loop: a contiguous one when every step is its
   operand's item size, a strided one otherwise. */
static void
build_elementwise(Loop *L)
{
    PjLower *lw = &L->lw;
    LLVMValueRef dense = LLVMConstInt(lw->t_i1, 1, 0);
    for (int k = 0; k < L->nops; k++) {
        LLVMValueRef eq = LLVMBuildICmp(lw->b, LLVMIntEQ, L->step[k],
                                        pj_i64(lw, itemsize(L->types[k])),
                                        "");
        dense = LLVMBuildAnd(lw->b, dense, eq, "");
    }
    LLVMBasicBlockRef s = branch(lw, dense, "contiguous", "strided");
    counted_loop(L, elementwise_body, true);
    LLVMPositionBuilderAtEnd(lw->b, s);
    counted_loop(L, elementwise_body, false);
}

/* --- generalized loops (guvectorize) --- */

/* Where operand k's core dimensions start in L->coredim, and so (after
   the operands' own steps) its core strides in steps. */
static int
core_offset(Loop *L, int k)
{
    int off = 0;
    for (int j = 0; j < k; j++) {
        off += L->ncore[j];
    }
    return off;
}

/* Operand k's core shape and strides.  A `()` operand typed as a 1-d
   array is a one-element array, as Numba passes it. */
static void
core_dims(Loop *L, int k, LLVMValueRef *shape, LLVMValueRef *strides)
{
    PjLower *lw = &L->lw;
    LLVMValueRef dims = LLVMGetParam(lw->func, 1);
    LLVMValueRef steps = LLVMGetParam(lw->func, 2);
    int off = core_offset(L, k);
    if (L->ncore[k] == 0) {
        shape[0] = pj_i64(lw, 1);
        strides[0] = pj_i64(lw, itemsize(L->types[k]));
        return;
    }
    for (int d = 0; d < L->ncore[k]; d++) {
        shape[d] = load_at(lw, lw->t_i64, dims, 1 + L->coredim[off + d]);
        strides[d] = load_at(lw, lw->t_i64, steps, L->nops + off + d);
    }
}

/* The array struct (arrays.c) over operand k's core at data. */
static LLVMValueRef
core_array(Loop *L, int k, LLVMValueRef data)
{
    PjLower *lw = &L->lw;
    PjType *at = L->types[k];
    int nd = pj_array_ndim(at);
    LLVMValueRef shape[PJ_MAX_NDIM], strides[PJ_MAX_NDIM];
    core_dims(L, k, shape, strides);
    LLVMTypeRef dims_t = LLVMArrayType2(lw->t_i64, (uint64_t)nd);
    LLVMValueRef sh = LLVMGetUndef(dims_t), st = LLVMGetUndef(dims_t);
    for (int d = 0; d < nd; d++) {
        sh = LLVMBuildInsertValue(lw->b, sh, shape[d], (unsigned)d, "");
        st = LLVMBuildInsertValue(lw->b, st, strides[d], (unsigned)d, "");
    }
    LLVMValueRef v = LLVMConstNull(pj_lower_type(lw, at));
    v = LLVMBuildInsertValue(lw->b, v, data, PJ_ARRAY_DATA, "");
    v = LLVMBuildInsertValue(lw->b, v, sh, PJ_ARRAY_SHAPE, "");
    return LLVMBuildInsertValue(lw->b, v, st, PJ_ARRAY_STRIDES, "");
}

static void
generalized_body(Loop *L, LLVMValueRef i, bool Py_UNUSED(contiguous))
{
    PjLower *lw = &L->lw;
    LLVMValueRef params[PJ_MAX_ARGS];
    for (int k = 0; k < L->nops; k++) {
        LLVMValueRef p = operand_address(L, k, i, false);
        params[k] = pj_type_is_array(L->types[k])
                    ? core_array(L, k, p)
                    : pj_array_load(lw, L->types[k], p);
    }
    call_kernel(L, params);
}

/* Whether operand k's core is C contiguous (F for an operand typed F;
   dimensions of one element or none excepted), for a kernel compiled for
   a contiguous array. */
static LLVMValueRef
core_is_contiguous(Loop *L, int k)
{
    PjLower *lw = &L->lw;
    LLVMValueRef shape[PJ_MAX_NDIM], strides[PJ_MAX_NDIM];
    core_dims(L, k, shape, strides);
    LLVMValueRef want = pj_i64(lw, itemsize(L->types[k]));
    LLVMValueRef ok = LLVMConstInt(lw->t_i1, 1, 0);
    int nd = pj_array_ndim(L->types[k]);
    bool f = pj_array_is_f(L->types[k]);
    for (int j = 0; j < nd; j++) {
        int d = f ? j : nd - 1 - j;     /* the fastest dimension first */
        LLVMValueRef same = LLVMBuildICmp(lw->b, LLVMIntEQ, strides[d], want,
                                          "");
        LLVMValueRef small = LLVMBuildICmp(lw->b, LLVMIntSLE, shape[d],
                                           pj_i64(lw, 1), "");
        ok = LLVMBuildAnd(lw->b, ok, LLVMBuildOr(lw->b, same, small, ""), "");
        want = LLVMBuildMul(lw->b, want, shape[d], "");
    }
    return ok;
}

/* Raises ValueError (and returns) unless every operand typed C (or F)
   contiguous has a core contiguous in that order. */
static void
check_layouts(Loop *L)
{
    PjLower *lw = &L->lw;
    LLVMValueRef ok = LLVMConstInt(lw->t_i1, 1, 0);
    for (int k = 0; k < L->nops; k++) {
        PjType *t = L->types[k];
        if (pj_type_is_array(t) && (pj_array_is_c(t) || pj_array_is_f(t))) {
            ok = LLVMBuildAnd(lw->b, ok, core_is_contiguous(L, k), "");
        }
    }
    LLVMValueRef bad = LLVMBuildNot(lw->b, ok, "");
    LLVMBasicBlockRef go = branch(lw, bad, "layouts.bad", "layouts.ok");
    LLVMTypeRef p[2] = {lw->t_ptr, lw->t_ptr};
    LLVMValueRef a[2] = {
        pj_lower_cstring(lw, "ValueError"),
        pj_lower_cstring(lw, "gufunc: an operand typed contiguous (::1) "
                         "got core dimensions that are not contiguous in "
                         "that order; declare it with [:] to take any "
                         "strides")};
    pj_lower_helper(lw, "pj_rt_raise_msg", lw->t_void, p, a, 2);
    LLVMBuildBr(lw->b, L->exit);
    LLVMPositionBuilderAtEnd(lw->b, go);
}

static void
build_generalized(Loop *L)
{
    check_layouts(L);
    counted_loop(L, generalized_body, false);
}

/* --- the loop function --- */

static void
begin_loop(Loop *L, const char *name)
{
    PjLower *lw = &L->lw;
    LLVMTypeRef params[4] = {lw->t_ptr, lw->t_ptr, lw->t_ptr, lw->t_ptr};
    LLVMTypeRef fty = LLVMFunctionType(lw->t_void, params, 4, 0);
    lw->func = LLVMAddFunction(lw->mod, name, fty);
    lw->b = LLVMCreateBuilderInContext(lw->ctx);
    LLVMPositionBuilderAtEnd(lw->b, LLVMAppendBasicBlockInContext(
                                        lw->ctx, lw->func, "entry"));
    L->exit = LLVMAppendBasicBlockInContext(lw->ctx, lw->func, "exit");
    L->kfty = pj_lower_native_type(lw, L->types, L->nparams,
                                   L->ov->restype,
                                   L->ov->can_raise);
    L->kernel = LLVMGetNamedFunction(lw->mod, L->ov->native_name);
    if (L->kernel == NULL) {
        L->kernel = LLVMAddFunction(lw->mod, L->ov->native_name, L->kfty);
    }
    if (L->ov->can_raise) {
        L->retslot = pj_lower_alloca(lw, pj_lower_type(lw, L->ov->restype),
                                     "ret");
    }
    LLVMValueRef dims = LLVMGetParam(lw->func, 1);
    L->n = load_at(lw, lw->t_i64, dims, 0);
    for (int k = 0; k < L->nops; k++) {
        L->base[k] = load_at(lw, lw->t_ptr, LLVMGetParam(lw->func, 0), k);
        L->step[k] = load_at(lw, lw->t_i64, LLVMGetParam(lw->func, 2), k);
    }
}

/* Builds, compiles and links the loop; its address, or NULL with an
   exception set. */
static void *
compile_loop(Loop *L)
{
    char name[64];
    snprintf(name, sizeof(name), "pj_ufunc_loop_%lu", ++counter);
    LLVMContextRef ctx = LLVMContextCreate();
    LLVMModuleRef mod = LLVMModuleCreateWithNameInContext(name, ctx);
    L->lw.ctx = ctx;
    L->lw.mod = mod;
    pj_lower_init_types(&L->lw);
    if (pj_jit_prepare_module(mod) < 0 || link_kernel(L, name) < 0) {
        LLVMDisposeModule(mod);
        LLVMContextDispose(ctx);
        return NULL;
    }
    begin_loop(L, name);
    if (L->ncore == NULL) {
        build_elementwise(L);
    }
    else {
        build_generalized(L);
    }
    LLVMPositionBuilderAtEnd(L->lw.b, L->exit);
    LLVMBuildRetVoid(L->lw.b);
    LLVMDisposeBuilder(L->lw.b);
    return pj_jit_add_module(mod, ctx, name);
}

/* --- from Python --- */

/* The kernel's specialization for argtypes, compiled before. */
static PjOverload *
find_kernel(PyObject *disp, PyObject *argtypes, PjType **types)
{
    Py_ssize_t n = PyTuple_GET_SIZE(argtypes);
    if (!pj_dispatcher_check(disp) || n > PJ_MAX_ARGS) {
        PyErr_SetString(PyExc_TypeError, "_ufunc_loop: expected a dispatcher "
                        "and a tuple of its argument types");
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *t = PyTuple_GET_ITEM(argtypes, i);
        if (!pj_type_check(t)) {
            PyErr_Format(PyExc_TypeError, "not a pyjit type: %R", t);
            return NULL;
        }
        types[i] = (PjType *)t;
    }
    PjOverload *ov = pj_dispatcher_find(disp, types, (int)n);
    if (ov == NULL || ov->objmode != NULL) {
        PyErr_Format(PyExc_RuntimeError, "pyjit: no nopython specialization "
                     "of the kernel for %R", argtypes);
        return NULL;
    }
    return ov;
}

static bool
is_number(PjType *t)
{
    return t->kind >= PJ_TK_BOOL && t->kind <= PJ_TK_COMPLEX;
}

static bool
operand_fits(Loop *L, int k)
{
    PjType *t = L->types[k];
    if (L->ncore == NULL) {
        return is_number(t);
    }
    if (!pj_type_is_array(t)) {
        return is_number(t) && L->ncore[k] == 0;
    }
    int nd = pj_array_ndim(t);
    return is_number(t->elems[0])
           && (nd == L->ncore[k] || (nd == 1 && L->ncore[k] == 0));
}

/* The loop passes numbers to an element-wise kernel and takes a number
   back; a generalized kernel takes arrays of its core dimensions (or
   numbers for `()`) and returns nothing, so no memory is left behind. */
static int
check_operands(Loop *L)
{
    for (int k = 0; k < L->nops; k++) {
        if (!operand_fits(L, k)) {
            PyErr_Format(PyExc_TypeError, "a ufunc loop cannot pass %R as "
                         "operand %d", (PyObject *)L->types[k], k);
            return -1;
        }
    }
    if (L->ncore != NULL && L->ov->restype->kind != PJ_TK_NONE) {
        PyErr_Format(PyExc_TypeError, "a gufunc's kernel returns nothing "
                     "(void); this one returns %R",
                     (PyObject *)L->ov->restype);
        return -1;
    }
    return 0;
}

/* Reads guvectorize's core dimensions: a tuple per operand of the indices
   of its dimensions among the signature's names. */
static int
read_core(PyObject *core, int nops, int *ncore, int *coredim, int cap)
{
    if (!PyTuple_Check(core) || PyTuple_GET_SIZE(core) != nops) {
        PyErr_SetString(PyExc_TypeError, "_ufunc_loop: core dimensions "
                        "must be a tuple per operand");
        return -1;
    }
    int used = 0;
    for (int k = 0; k < nops; k++) {
        PyObject *dims = PyTuple_GET_ITEM(core, k);
        if (!PyTuple_Check(dims) || used + PyTuple_GET_SIZE(dims) > cap) {
            PyErr_SetString(PyExc_TypeError, "_ufunc_loop: bad core "
                            "dimensions");
            return -1;
        }
        ncore[k] = (int)PyTuple_GET_SIZE(dims);
        for (int d = 0; d < ncore[k]; d++) {
            coredim[used++] = (int)PyLong_AsLong(PyTuple_GET_ITEM(dims, d));
        }
    }
    return PyErr_Occurred() ? -1 : 0;
}

static PyObject *
typenums(PjType **types, int n)
{
    PyObject *t = PyTuple_New(n);
    for (int k = 0; t != NULL && k < n; k++) {
        PyObject *num = PyLong_FromLong(pj_type_numpy_num(dtype_of(types[k])));
        if (num == NULL) {
            Py_CLEAR(t);
            break;
        }
        PyTuple_SET_ITEM(t, k, num);
    }
    return t;
}

/* _ufunc_loop(dispatcher, argtypes, core): (address, typenums) of a loop
   over the kernel's specialization for argtypes: element-wise when core
   is None, else generalized with core's dimensions. */
static PyObject *
core_ufunc_loop(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *disp, *argtypes, *core;
    if (!PyArg_ParseTuple(args, "OO!O", &disp, &PyTuple_Type, &argtypes,
                          &core)) {
        return NULL;
    }
    PjType *types[PJ_MAX_ARGS + 1];
    Loop L = {.ov = find_kernel(disp, argtypes, types), .types = types};
    if (L.ov == NULL) {
        return NULL;
    }
    L.nparams = (int)PyTuple_GET_SIZE(argtypes);
    int ncore[PJ_MAX_ARGS + 1], coredim[4 * PJ_MAX_NDIM];
    if (core == Py_None) {
        types[L.nparams] = L.ov->restype;
        L.nops = L.nparams + 1;
    }
    else {
        L.nops = L.nparams;
        if (read_core(core, L.nops, ncore, coredim, 4 * PJ_MAX_NDIM) < 0) {
            return NULL;
        }
        L.ncore = ncore;
        L.coredim = coredim;
    }
    if (check_operands(&L) < 0) {
        return NULL;
    }
    /* Serialized with compiles, which add to the JIT too. */
    if (pj_compile_lock() < 0) {
        return NULL;
    }
    void *addr = compile_loop(&L);
    pj_compile_unlock();
    if (addr == NULL) {
        return NULL;
    }
    return Py_BuildValue("(NN)", PyLong_FromVoidPtr(addr),
                         typenums(types, L.nops));
}

/* --- target='parallel': the loop over chunks on the thread pool --- */

/* A loop of a parallel ufunc, the data NumPy passes its parallel_loop. */
typedef struct {
    PyUFuncGenericFunction serial;
    int nargs;
} SerialLoop;

/* One call of a parallel_loop, shared by its chunks. */
typedef struct {
    const SerialLoop *loop;
    char **args;
    npy_intp *steps;
} LoopCall;

/* Elements [lo, hi) of the call: the serial loop over operands offset to
   lo; -1 when the kernel raised (the serial loop stops there and has set
   the exception in this thread). */
static int
run_chunk(void *env, int64_t Py_UNUSED(k), int64_t lo, int64_t hi)
{
    const LoopCall *c = env;
    char *args[PJ_MAX_ARGS + 1];
    for (int i = 0; i < c->loop->nargs; i++) {
        args[i] = c->args[i] + lo * c->steps[i];
    }
    npy_intp n = (npy_intp)(hi - lo);
    c->loop->serial(args, &n, c->steps, NULL);
    PyGILState_STATE g = PyGILState_Ensure();
    int rc = PyErr_Occurred() ? -1 : 0;
    PyGILState_Release(g);
    return rc;
}

/* The loop NumPy calls for a parallel ufunc: the elements cut into one
   chunk per thread, each run by the serial loop on the pool
   (parallel_rt.c), which hands the first exception back to this thread
   for NumPy to raise. */
static void
parallel_loop(char **args, npy_intp const *dims, npy_intp const *steps,
              void *data)
{
    const SerialLoop *loop = data;
    int64_t n = dims[0];
    int64_t nchunks = pj_parallel_element_chunks(n);
    if (nchunks <= 1) {
        loop->serial(args, (npy_intp *)dims, (npy_intp *)steps, NULL);
        return;
    }
    LoopCall call = {loop, args, (npy_intp *)steps};
    pj_parallel_run(run_chunk, &call, n, nchunks);
}

/* What NumPy keeps pointers to, for the life of the ufunc. */
typedef struct {
    PyUFuncGenericFunction *functions;
    void **data;
    SerialLoop *serial;         /* a parallel ufunc's loops, else unused */
    char *types;
    char *name, *doc;
} LoopTable;

static void
free_table(PyObject *capsule)
{
    LoopTable *t = PyCapsule_GetPointer(capsule, "pyjit.ufunc_loops");
    PyMem_Free(t->functions);
    PyMem_Free(t->data);
    PyMem_Free(t->serial);
    PyMem_Free(t->types);
    PyMem_Free(t->name);
    PyMem_Free(t->doc);
    PyMem_Free(t);
}

static char *
copy_string(const char *s)
{
    size_t n = strlen(s) + 1;
    char *c = PyMem_Malloc(n);
    return c ? memcpy(c, s, n) : NULL;
}

/* Loop i of t: the one at addr, or for a parallel ufunc parallel_loop
   running it. */
static void
set_loop(LoopTable *t, Py_ssize_t i, void *addr, int nargs, bool parallel)
{
    t->functions[i] = (PyUFuncGenericFunction)addr;
    t->data[i] = NULL;
    if (parallel) {
        t->serial[i] = (SerialLoop){(PyUFuncGenericFunction)addr, nargs};
        t->functions[i] = parallel_loop;
        t->data[i] = &t->serial[i];
    }
}

/* Reads loops, a list of (address, typenums), into t. */
static int
fill_table(LoopTable *t, PyObject *loops, int nargs, bool parallel)
{
    Py_ssize_t n = PyList_GET_SIZE(loops);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *addr, *nums;
        if (!PyArg_ParseTuple(PyList_GET_ITEM(loops, i), "OO!", &addr,
                              &PyTuple_Type, &nums)) {
            return -1;
        }
        if (PyTuple_GET_SIZE(nums) != nargs) {
            PyErr_SetString(PyExc_ValueError, "_make_ufunc: a loop has the "
                            "wrong number of types");
            return -1;
        }
        set_loop(t, i, PyLong_AsVoidPtr(addr), nargs, parallel);
        for (int k = 0; k < nargs; k++) {
            long num = PyLong_AsLong(PyTuple_GET_ITEM(nums, k));
            t->types[i * nargs + k] = (char)num;
        }
    }
    return PyErr_Occurred() ? -1 : 0;
}

static PyObject *
new_table(PyObject *loops, int nargs, const char *name, const char *doc,
          bool parallel)
{
    size_t n = (size_t)PyList_GET_SIZE(loops);
    LoopTable *t = PyMem_Calloc(1, sizeof(LoopTable));
    if (t == NULL) {
        return PyErr_NoMemory();
    }
    PyObject *capsule = PyCapsule_New(t, "pyjit.ufunc_loops", free_table);
    if (capsule == NULL) {
        PyMem_Free(t);
        return NULL;
    }
    t->functions = PyMem_Calloc(n + 1, sizeof(PyUFuncGenericFunction));
    t->data = PyMem_Calloc(n + 1, sizeof(void *));
    t->serial = PyMem_Calloc(n + 1, sizeof(SerialLoop));
    t->types = PyMem_Calloc(n * (size_t)nargs + 1, 1);
    t->name = copy_string(name);
    t->doc = copy_string(doc);
    if (!t->functions || !t->data || !t->serial || !t->types || !t->name
        || !t->doc) {
        Py_DECREF(capsule);
        return PyErr_NoMemory();
    }
    if (fill_table(t, loops, nargs, parallel) < 0) {
        Py_CLEAR(capsule);
    }
    return capsule;
}

/* writable_args: the inputs the kernel writes are read and written by
   NumPy's iterator, a cast copy written back (NPY_ITER_UPDATEIFCOPY), as
   Numba's ufuncs do. */
static int
mark_writable(PyUFuncObject *uf, PyObject *writable, int nin)
{
    Py_ssize_t n = writable ? PyTuple_GET_SIZE(writable) : 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        long j = PyLong_AsLong(PyTuple_GET_ITEM(writable, i));
        if (j < 0 || j >= nin) {
            if (!PyErr_Occurred()) {
                PyErr_Format(PyExc_ValueError, "writable_args: %ld is not "
                             "the position of an input (0 to %d)", j,
                             nin - 1);
            }
            return -1;
        }
        uf->op_flags[j] |= NPY_ITER_READWRITE | NPY_ITER_UPDATEIFCOPY;
    }
    return 0;
}

/* A gufunc's kernel may read what its outputs hold (out[i] += ...), so
   an output NumPy casts to the loop's dtype is copied in as well as back,
   as Numba's gufuncs do, not left uninitialized.  NumPy takes a nonzero
   op_flags of an output in place of its own, so the rest of its defaults
   (an output not passed is allocated) are kept here. */
static void
mark_outputs_read(PyUFuncObject *uf, int nin, int nout)
{
    for (int i = nin; i < nin + nout; i++) {
        uf->op_flags[i] |= NPY_ITER_READWRITE | NPY_ITER_UPDATEIFCOPY
                           | NPY_ITER_ALIGNED | NPY_ITER_ALLOCATE
                           | NPY_ITER_NO_BROADCAST | NPY_ITER_NO_SUBTYPE;
    }
}

/* _make_ufunc(name, doc, nin, nout, loops, identity, signature, keep
   [, parallel, writable]): a ufunc of the loops (a list of (address,
   typenums)); identity is one of NumPy's PyUFunc_* identities, signature a
   gufunc's or None; keep is held for as long as the ufunc lives; a
   parallel ufunc splits each call of a loop across the threads; writable
   is a tuple of the inputs the kernel writes. */
static PyObject *
core_make_ufunc(PyObject *Py_UNUSED(module), PyObject *args)
{
    const char *name, *doc;
    int nin, nout, identity, parallel = 0;
    PyObject *loops, *signature, *keep, *writable = NULL;
    if (!PyArg_ParseTuple(args, "ssiiO!iOO|pO!", &name, &doc, &nin, &nout,
                          &PyList_Type, &loops, &identity, &signature,
                          &keep, &parallel, &PyTuple_Type, &writable)) {
        return NULL;
    }
    if (parallel && signature != Py_None) {
        PyErr_SetString(PyExc_ValueError, "_make_ufunc: only an "
                        "element-wise ufunc runs in parallel");
        return NULL;
    }
    const char *sig = signature == Py_None ? NULL
                                           : PyUnicode_AsUTF8(signature);
    if (signature != Py_None && sig == NULL) {
        return NULL;
    }
    PyObject *capsule = new_table(loops, nin + nout, name, doc, parallel);
    if (capsule == NULL) {
        return NULL;
    }
    LoopTable *t = PyCapsule_GetPointer(capsule, "pyjit.ufunc_loops");
    PyObject *uf = PyUFunc_FromFuncAndDataAndSignatureAndIdentity(
        t->functions, t->data, t->types, (int)PyList_GET_SIZE(loops), nin,
        nout, identity, t->name, t->doc, 0, sig, NULL);
    if (uf == NULL) {
        Py_DECREF(capsule);
        return NULL;
    }
    ((PyUFuncObject *)uf)->obj = Py_BuildValue("(NO)", capsule, keep);
    if (sig != NULL) {
        mark_outputs_read((PyUFuncObject *)uf, nin, nout);
    }
    if (((PyUFuncObject *)uf)->obj == NULL
        || mark_writable((PyUFuncObject *)uf, writable, nin) < 0) {
        Py_DECREF(uf);
        return NULL;
    }
    return uf;
}

/* What _make_ufunc's caller gave to keep with a ufunc made here: (the
   kernel's dispatcher, its entry for jitted callers); else NULL, without
   an exception.  Borrowed. */
static PyObject *
kept_with(PyObject *uf)
{
    if (!PyObject_TypeCheck(uf, &PyUFunc_Type)) {
        return NULL;
    }
    PyObject *obj = ((PyUFuncObject *)uf)->obj;
    if (obj == NULL || !PyTuple_Check(obj) || PyTuple_GET_SIZE(obj) != 2
        || !PyCapsule_IsValid(PyTuple_GET_ITEM(obj, 0), "pyjit.ufunc_loops")) {
        return NULL;
    }
    PyObject *keep = PyTuple_GET_ITEM(obj, 1);
    return PyTuple_Check(keep) && PyTuple_GET_SIZE(keep) == 2 ? keep : NULL;
}

/* _ufunc_kernel(ufunc): the kernel's dispatcher of a ufunc made here,
   else None. */
static PyObject *
core_ufunc_kernel(PyObject *Py_UNUSED(module), PyObject *uf)
{
    PyObject *keep = kept_with(uf);
    return Py_NewRef(keep ? PyTuple_GET_ITEM(keep, 0) : Py_None);
}

/* The dispatcher of a vectorized function's entry, which _vectorize.py
   keeps as a _JittedEntry that makes it on first use; borrowed: the entry
   holds it.  NULL, without an exception, when there is none. */
static PyObject *
entry_dispatcher(PyObject *entry)
{
    if (entry == NULL || pj_dispatcher_check(entry)) {
        return entry;
    }
    PyObject *d = PyObject_CallMethod(entry, "dispatcher", NULL);
    if (d == NULL) {
        PyErr_Clear();
        return NULL;
    }
    Py_DECREF(d);
    return pj_dispatcher_check(d) ? d : NULL;
}

/* The dispatcher a jitted function calls for a function @vectorize made
   (a ufunc made here, or a dynamic ufunc, whose class says so) or for a
   @stencil (a parallel caller gets its __pyjit_jitted_parallel__ when it
   has one), or NULL without an exception.  Borrowed: the object holds
   it. */
PyObject *
pj_ufunc_build_jitted(PyObject *obj, bool parallel)
{
    PyObject *keep = kept_with(obj);
    if (keep != NULL) {
        return entry_dispatcher(PyTuple_GET_ITEM(keep, 1));
    }
    PyObject *dict = PyObject_GenericGetDict(obj, NULL);
    if (dict == NULL) {
        PyErr_Clear();
        return NULL;
    }
    PyObject *d = parallel ? PyDict_GetItemString(
                                 dict, "__pyjit_jitted_parallel__") : NULL;
    if (d == NULL) {
        d = PyDict_GetItemString(dict, "__pyjit_jitted__");
    }
    PyObject *r = entry_dispatcher(d);
    Py_DECREF(dict);
    return r;
}

static PyMethodDef ufunc_build_methods[] = {
    {"_ufunc_kernel", core_ufunc_kernel, METH_O,
     "_ufunc_kernel(ufunc)\n--\n\nThe kernel's dispatcher of a ufunc that "
     "vectorize or guvectorize made, else None"},
    {"_ufunc_loop", core_ufunc_loop, METH_VARARGS,
     "_ufunc_loop(dispatcher, argtypes, core)\n--\n\n(address, typenums) of "
     "a compiled ufunc loop over the kernel's specialization for argtypes"},
    {"_make_ufunc", core_make_ufunc, METH_VARARGS,
     "_make_ufunc(name, doc, nin, nout, loops, identity, signature, keep)"
     "\n--\n\nA NumPy ufunc of compiled loops"},
    {NULL},
};

int
pj_ufunc_build_init(PyObject *module)
{
    if (_import_umath() < 0) {
        return -1;
    }
    return PyModule_AddFunctions(module, ufunc_build_methods);
}
