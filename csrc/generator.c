/*
** generator.c - generator functions (`yield`) and the kind of the
** generators they return.
**
** A generator function compiles to four functions around one heap frame,
** a reference-counted block (runtime.c) laid out as
**
**   { next, next_py, state, arguments..., variables... }
**
** - the native function (compile.c's name) makes the frame from the
**   arguments, taking a reference to what they hold, and returns it: the
**   generator value, which is what calling the function returns;
** - `.next`, i32 (frame, T *out), runs the body from where it stopped:
**   1 when it yielded (the value in *out, borrowed from the frame), 0 when
**   it is finished, -1 with an exception set.  Its variables live in the
**   frame instead of stack slots; the entry block switches on `state`, the
**   number of the yield it stopped at (0 before the first, -1 finished);
** - `.next_py`, PyObject *(frame), the same for Python: the value boxed,
**   or NULL (with no exception set when it is finished);
** - `.dtor` releases what the frame's arguments and variables hold when
**   the generator's last reference goes, however far it ran.
**
** The frame starts with the addresses of `.next` and `.next_py`, so that
** a generator is iterated without knowing which function made it: compiled
** code calls `.next` (lower_iternext), the Python iterator object a
** generator becomes when it returns to Python calls `.next_py`.
*/
#include "pyjit.h"

enum { F_NEXT, F_NEXT_PY, F_STATE, F_ARGS };

struct PjGenerator {
    LLVMTypeRef frame_type;
    LLVMValueRef frame;         /* in .next */
    LLVMValueRef state;         /* its state field */
    LLVMValueRef out;           /* where a yield puts its value */
    LLVMValueRef dispatch;      /* the switch on the state */
    int nyields;
    int *field_of;              /* per variable: its field, or -1 */
};

/* --- the type --- */

PjType *
pj_type_generator(PjType *yield_type)
{
    return pj_type_iterator(PJ_TK_GENERATOR, NULL, 0, yield_type);
}

static void
print_generator(PjBuf *b, PjType *t)
{
    pj_buf_printf(b, "Generator(%s)", pj_type_str(t->item));
}

static PjType *
unify_generator(PjType *a, PjType *b)
{
    return a == b ? a : NULL;
}

/* The frame of the generator whose block is mi. */
static LLVMValueRef
frame_of(PjLower *lw, LLVMValueRef mi)
{
    LLVMValueRef off = pj_i64(lw, PJ_MEMINFO_HEADER);
    return LLVMBuildGEP2(lw->b, lw->t_i8, mi, &off, 1, "frame");
}

/* Calls the generator's .next through its frame: the item (zero when
   there is none) and, in *ok, whether there was one; an exception goes
   to the error path. */
static LLVMValueRef
generator_iternext(PjLower *lw, PjType *it, LLVMValueRef state,
                   LLVMValueRef *ok)
{
    LLVMValueRef frame = frame_of(lw, LLVMBuildLoad2(lw->b, lw->t_ptr, state,
                                                     ""));
    /* written once, when the frame was made: LLVM may call the function
       stored there directly, and inline it */
    LLVMValueRef next = pj_lower_invariant_load(lw, lw->t_ptr, frame, "next");
    LLVMTypeRef item_t = pj_lower_type(lw, it->item);
    LLVMValueRef out = pj_lower_alloca(lw, item_t, "item");
    LLVMBuildStore(lw->b, LLVMConstNull(item_t), out);
    LLVMTypeRef p[2] = {lw->t_ptr, lw->t_ptr};
    LLVMValueRef a[2] = {frame, out};
    LLVMTypeRef fty = LLVMFunctionType(lw->t_i32, p, 2, 0);
    LLVMValueRef r = LLVMBuildCall2(lw->b, fty, next, a, 2, "");
    LLVMValueRef bad = LLVMBuildICmp(lw->b, LLVMIntSLT, r, pj_i32(lw, 0), "");
    pj_lower_fail_end(lw, pj_lower_fail_begin(lw, bad));
    *ok = LLVMBuildICmp(lw->b, LLVMIntEQ, r, pj_i32(lw, 1), "");
    return LLVMBuildLoad2(lw->b, item_t, out, "");
}

static bool
generator_can_box(PjType *Py_UNUSED(t))
{
    return true;
}

/* The Python iterator over the generator; the value's reference goes
   with it. */
static LLVMValueRef
generator_box(PjLower *lw, LLVMValueRef v, PjType *Py_UNUSED(t))
{
    return pj_lower_helper(lw, "pj_rt_generator_box", lw->t_ptr, &lw->t_ptr,
                           &v, 1);
}

static int generator_init(void);

const PjKind pj_kind_generator = {
    .name = "Generator",
    .print = print_generator,
    .unify = unify_generator,
    .iter_type = pj_type_iter_self,
    .llvm_type = pj_kind_block_llvm_type,
    .lower_iter = pj_lower_iter_self,
    .lower_iternext = generator_iternext,
    .holds_memory = pj_kind_holds_block,
    .each_meminfo = pj_kind_block_meminfo,
    .can_box = generator_can_box,
    .box = generator_box,
    .init = generator_init,
};

/* --- yield --- */

/* Stores the value in .next's out slot and the number of this yield in
   the state, returns 1; running again resumes in the block after it. */
static LLVMValueRef
lower_yield(PjLower *lw, PjInstr *Py_UNUSED(ins), LLVMValueRef *args)
{
    PjGenerator *g = lw->gen;
    int k = ++g->nyields;
    if (args[0] != NULL) {
        LLVMBuildStore(lw->b, args[0], g->out);
    }
    LLVMBuildStore(lw->b, pj_i32(lw, k), g->state);
    LLVMBuildRet(lw->b, pj_i32(lw, 1));
    LLVMBasicBlockRef resume = LLVMAppendBasicBlockInContext(
        lw->ctx, lw->func, "resume");
    LLVMAddCase(g->dispatch, pj_i32(lw, k), resume);
    LLVMPositionBuilderAtEnd(lw->b, resume);
    return NULL;
}

static const PjImpl impl_yield = {"yield", lower_yield, false, false};

/* A generator function compiled for an explicit signature, `i8(i8)`:
   the return type it names is what the generator yields, as Numba reads
   it, and what it returns a generator of. */
void
pj_generator_declared_yield(PjCompile *cx)
{
    PjType *ret = cx->declared_ret;
    if (cx->is_generator && ret != NULL && ret->kind != PJ_TK_GENERATOR) {
        cx->declared_yield = ret;
        cx->yield_type = ret;
        cx->declared_ret = pj_type_generator(ret);
    }
}

/* `yield v`: v joins the type of the values the generator yields, or
   converts to the type its signature declares. */
int
pj_generator_type_yield(PjCompile *cx, PjInstr *ins, PjType *t,
                        bool *changed)
{
    if (cx->declared_yield != NULL) {
        return pj_choose(cx, ins, &impl_yield, NULL, &cx->declared_yield, 1);
    }
    if (pj_type_is_str(t)) {
        t = pj_type_unicode();      /* a string constant becomes a value */
    }
    if (pj_type_is_const(t)) {
        return pj_infer_fail(cx, ins, "cannot yield a value of type %s",
                             pj_type_str(t));
    }
    PjType *u = cx->yield_type ? pj_type_unify(cx->yield_type, t) : t;
    if (u == NULL) {
        return pj_infer_fail(cx, ins, "Cannot unify the yielded types %s "
                             "and %s", pj_type_str(cx->yield_type),
                             pj_type_str(t));
    }
    *changed |= u != cx->yield_type;
    cx->yield_type = u;
    return pj_choose(cx, ins, &impl_yield, NULL, &u, 1);
}

/* --- .next --- */

/* The frame's struct type: the two functions, the state, then each
   argument and each variable that has a run-time value. */
static int
make_frame_type(PjLower *lw, PjGenerator *g)
{
    PjFunc *fn = lw->fn;
    int n = F_ARGS + lw->cx->nargs;
    LLVMTypeRef *fields = PJ_NEW_N(lw->cx->arena, LLVMTypeRef,
                                   n + fn->vars.len);
    g->field_of = PJ_NEW_N(lw->cx->arena, int, fn->vars.len + 1);
    if (fields == NULL || g->field_of == NULL) {
        return -1;
    }
    fields[F_NEXT] = fields[F_NEXT_PY] = lw->t_ptr;
    fields[F_STATE] = lw->t_i32;
    for (int i = 0; i < lw->cx->nargs; i++) {
        fields[F_ARGS + i] = pj_lower_type(lw, lw->cx->argtys[i]);
    }
    for (int i = 0; i < fn->vars.len; i++) {
        PjVar *v = pj_ir_var_at(fn, i);
        LLVMTypeRef t = v->type ? pj_lower_type(lw, v->type) : NULL;
        g->field_of[i] = t ? n : -1;
        if (t != NULL) {
            fields[n++] = t;
        }
    }
    g->frame_type = LLVMStructTypeInContext(lw->ctx, fields, (unsigned)n, 0);
    return 0;
}

static LLVMValueRef
field(PjLower *lw, LLVMValueRef frame, int i)
{
    PjGenerator *g = lw->gen;
    return LLVMBuildStructGEP2(lw->b, g->frame_type, frame, (unsigned)i, "");
}

/* Argument i, as .next reads it: from the frame. */
LLVMValueRef
pj_generator_param(PjLower *lw, int i)
{
    LLVMTypeRef t = pj_lower_type(lw, lw->cx->argtys[i]);
    return LLVMBuildLoad2(lw->b, t, field(lw, lw->gen->frame, F_ARGS + i),
                          "");
}

/* The end of the body (a return, falling off the end) or an exception:
   the generator is finished; status 0 or -1. */
void
pj_generator_lower_finish(PjLower *lw, int status)
{
    LLVMBuildStore(lw->b, pj_i32(lw, -1), lw->gen->state);
    LLVMBuildRet(lw->b, pj_i32(lw, status));
}

static LLVMValueRef
add_function(PjLower *lw, const char *suffix, LLVMTypeRef ret,
             LLVMTypeRef *params, int n)
{
    char *name = pj_arena_printf(lw->cx->arena, "%s%s", lw->cx->native_name,
                                 suffix);
    LLVMValueRef f = name ? LLVMAddFunction(
        lw->mod, name, LLVMFunctionType(ret, params, (unsigned)n, 0)) : NULL;
    if (f != NULL) {
        LLVMSetLinkage(f, LLVMInternalLinkage);
    }
    return f;
}

static void
start_function(PjLower *lw, LLVMValueRef f)
{
    lw->func = f;
    LLVMPositionBuilderAtEnd(lw->b, LLVMAppendBasicBlockInContext(
        lw->ctx, f, "entry"));
}

/* The body, resumable: variables in the frame, the entry switching to
   where the last yield stopped. */
static int
build_next(PjLower *lw, LLVMValueRef next)
{
    PjGenerator *g = lw->gen;
    start_function(lw, next);
    g->frame = LLVMGetParam(next, 0);
    g->out = LLVMGetParam(next, 1);
    g->state = field(lw, g->frame, F_STATE);
    for (int i = 0; i < lw->fn->vars.len; i++) {
        lw->slots[i] = g->field_of[i] < 0 ? NULL
                       : field(lw, g->frame, g->field_of[i]);
    }
    LLVMValueRef state = LLVMBuildLoad2(lw->b, lw->t_i32, g->state, "state");
    LLVMBasicBlockRef entry = LLVMGetInsertBlock(lw->b);
    LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(lw->ctx, next,
                                                           "finished");
    RETURN_IF_ERROR(pj_lower_make_blocks(lw));
    LLVMPositionBuilderAtEnd(lw->b, entry);
    g->dispatch = LLVMBuildSwitch(lw->b, state, done, 4);
    LLVMAddCase(g->dispatch, pj_i32(lw, 0), lw->bbs[0]);
    LLVMPositionBuilderAtEnd(lw->b, done);
    LLVMBuildRet(lw->b, pj_i32(lw, 0));
    return pj_lower_blocks(lw);
}

/* --- the frame's other functions --- */

/* The native function: a new frame holding the arguments. */
static void
build_make(PjLower *lw, LLVMValueRef fns[3])
{
    PjCompile *cx = lw->cx;
    PjGenerator *g = lw->gen;
    LLVMTypeRef fty = pj_lower_native_type(lw, cx->argtys, cx->nargs,
                                           cx->restype, true);
    LLVMValueRef f = LLVMAddFunction(lw->mod, cx->native_name, fty);
    LLVMSetVisibility(f, LLVMProtectedVisibility);
    start_function(lw, f);
    LLVMTypeRef p[4] = {lw->t_i64, lw->t_i32, lw->t_ptr, lw->t_ptr};
    LLVMValueRef a[4] = {LLVMSizeOf(g->frame_type), pj_i32(lw, 1), fns[2],
                         LLVMConstNull(lw->t_ptr)};
    LLVMValueRef mi = pj_lower_helper(lw, "pj_rt_meminfo_alloc_dtor",
                                      lw->t_ptr, p, a, 4);
    LLVMTypeRef np[3] = {lw->t_i32, lw->t_ptr, lw->t_ptr};
    LLVMValueRef na[3] = {pj_i32(lw, 0), LLVMConstNull(lw->t_ptr),
                          LLVMConstNull(lw->t_ptr)};
    LLVMBasicBlockRef ok = pj_lower_fail_begin(lw, LLVMBuildIsNull(lw->b, mi,
                                                                  ""));
    pj_lower_helper(lw, "pj_rt_raise_no_memory", lw->t_void, np, na, 3);
    LLVMBuildRet(lw->b, pj_i32(lw, -1));
    LLVMPositionBuilderAtEnd(lw->b, ok);
    LLVMValueRef frame = frame_of(lw, mi);
    LLVMBuildStore(lw->b, fns[0], field(lw, frame, F_NEXT));
    LLVMBuildStore(lw->b, fns[1], field(lw, frame, F_NEXT_PY));
    for (int i = 0; i < cx->nargs; i++) {
        LLVMValueRef v = pj_lower_taken(lw, LLVMGetParam(f, (unsigned)i + 1),
                                        cx->argtys[i]);
        LLVMBuildStore(lw->b, v, field(lw, frame, F_ARGS + i));
    }
    LLVMBuildStore(lw->b, mi, LLVMGetParam(f, 0));
    LLVMBuildRet(lw->b, pj_i32(lw, 0));
    lw->func = f;
}

/* .dtor(frame, arg): releases what the arguments and variables hold. */
static void
build_dtor(PjLower *lw, LLVMValueRef dtor)
{
    PjGenerator *g = lw->gen;
    start_function(lw, dtor);
    LLVMValueRef frame = LLVMGetParam(dtor, 0);
    for (int i = 0; i < lw->cx->nargs; i++) {
        PjType *t = lw->cx->argtys[i];
        LLVMValueRef v = LLVMBuildLoad2(lw->b, pj_lower_type(lw, t),
                                        field(lw, frame, F_ARGS + i), "");
        pj_lower_decref_value(lw, v, t);
    }
    for (int i = 0; i < lw->fn->vars.len; i++) {
        PjVar *var = pj_ir_var_at(lw->fn, i);
        if (g->field_of[i] >= 0 && pj_type_holds_memory(var->type)) {
            LLVMValueRef v = LLVMBuildLoad2(lw->b,
                                            pj_lower_type(lw, var->type),
                                            field(lw, frame, g->field_of[i]),
                                            "");
            pj_lower_decref_value(lw, v, var->type);
        }
    }
    LLVMBuildRetVoid(lw->b);
}

/* .next_py(frame): the next value boxed (a reference of its own), or
   NULL: finished (no exception set) or raised. */
static void
build_next_py(PjLower *lw, LLVMValueRef next_py, LLVMValueRef next)
{
    PjType *t = lw->cx->yield_type;
    start_function(lw, next_py);
    LLVMTypeRef item_t = pj_lower_type(lw, t);
    LLVMValueRef out = pj_lower_alloca(lw, item_t, "item");
    LLVMValueRef a[2] = {LLVMGetParam(next_py, 0), out};
    LLVMValueRef r = LLVMBuildCall2(lw->b, LLVMGlobalGetValueType(next),
                                    next, a, 2, "");
    LLVMBasicBlockRef yielded = LLVMAppendBasicBlockInContext(lw->ctx,
                                                              next_py, "box");
    LLVMBasicBlockRef none = LLVMAppendBasicBlockInContext(lw->ctx, next_py,
                                                           "none");
    LLVMBuildCondBr(lw->b, LLVMBuildICmp(lw->b, LLVMIntEQ, r, pj_i32(lw, 1),
                                         ""), yielded, none);
    LLVMPositionBuilderAtEnd(lw->b, none);
    LLVMBuildRet(lw->b, LLVMConstNull(lw->t_ptr));
    LLVMPositionBuilderAtEnd(lw->b, yielded);
    LLVMValueRef v = LLVMBuildLoad2(lw->b, item_t, out, "");
    if (!pj_type_can_box(t)) {
        char msg[256];
        snprintf(msg, sizeof(msg), "cannot yield a value of type %s to "
                 "Python", pj_type_str(t));
        LLVMTypeRef p[2] = {lw->t_ptr, lw->t_ptr};
        LLVMValueRef m[2] = {pj_lower_cstring(lw, "TypeError"),
                             pj_lower_cstring(lw, msg)};
        pj_lower_helper(lw, "pj_rt_raise_msg", lw->t_void, p, m, 2);
        LLVMBuildRet(lw->b, LLVMConstNull(lw->t_ptr));
        return;
    }
    pj_lower_incref_value(lw, v, t);    /* the box takes a reference */
    LLVMBuildRet(lw->b, pj_kind(t)->box(lw, v, t));
}

/* Builds the four functions of a generator function; lw->func is the
   native one after. */
int
pj_generator_build(PjLower *lw)
{
    PjGenerator g = {0};
    lw->gen = &g;
    lw->slots = PJ_NEW_N(lw->cx->arena, LLVMValueRef, lw->fn->vars.len + 1);
    if (lw->slots == NULL || make_frame_type(lw, &g) < 0) {
        return -1;
    }
    LLVMTypeRef p2[2] = {lw->t_ptr, lw->t_ptr};
    LLVMValueRef next = add_function(lw, ".next", lw->t_i32, p2, 2);
    LLVMValueRef next_py = add_function(lw, ".next_py", lw->t_ptr, p2, 1);
    LLVMValueRef dtor = add_function(lw, ".dtor", lw->t_void, p2, 2);
    if (next == NULL || next_py == NULL || dtor == NULL) {
        return -1;
    }
    int rc = build_next(lw, next);
    lw->handler = NULL;
    if (rc == 0) {
        build_dtor(lw, dtor);
        build_next_py(lw, next_py, next);
        LLVMValueRef fns[3] = {next, next_py, dtor};
        build_make(lw, fns);
    }
    lw->gen = NULL;
    return rc;
}

/* --- the Python iterator --- */

typedef struct {
    PyObject_HEAD
    PjMemInfo *mi;
} GeneratorObject;

typedef PyObject *(*NextPy)(void *frame);

static PyTypeObject *generator_type;

static void *
frame_data(GeneratorObject *g)
{
    return (char *)g->mi + PJ_MEMINFO_HEADER;
}

static PyObject *
generator_next(PyObject *self)
{
    void *frame = frame_data((GeneratorObject *)self);
    NextPy next_py = ((NextPy *)frame)[F_NEXT_PY];
    return next_py(frame);
}

static void
generator_dealloc(PyObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    pj_runtime_release(((GeneratorObject *)self)->mi);
    tp->tp_free(self);
    Py_DECREF(tp);
}

static PyType_Slot generator_slots[] = {
    {Py_tp_dealloc, generator_dealloc},
    {Py_tp_iter, PyObject_SelfIter},
    {Py_tp_iternext, generator_next},
    {Py_tp_doc, "A generator made by a compiled generator function."},
    {0, NULL},
};

static PyType_Spec generator_spec = {
    .name = "pyjit._core.Generator",
    .basicsize = sizeof(GeneratorObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_DISALLOW_INSTANTIATION,
    .slots = generator_slots,
};

static int
generator_init(void)
{
    generator_type = (PyTypeObject *)PyType_FromSpec(&generator_spec);
    return generator_type ? 0 : -1;
}

/* The iterator object that owns the caller's reference to the frame mi;
   NULL with MemoryError (the reference is released). */
PyObject *
pj_rt_generator_box(PjMemInfo *mi)
{
    GeneratorObject *g = PyObject_New(GeneratorObject, generator_type);
    if (g == NULL) {
        pj_runtime_release(mi);
        return NULL;
    }
    Py_INCREF(generator_type);
    g->mi = mi;
    return (PyObject *)g;
}
