/*
** compile.c - the compile driver.
**
**   pj_frontend -> dump ir -> pj_infer -> dump typed -> pj_lower
**   -> pj_jit_emit (optimize, dump opt, object, link) -> overload
**
** One PjCompile per (function, argument types), with its own arena, freed
** at the end whatever happens; what survives (the overload) is copied out.
** Compiles nest: typing a call to a jitted function infers the callee's
** types first (typing only), and lowering the caller compiles the callee
** fully so that its bitcode can be linked in.  The chain of compiles in
** progress is what makes recursion work: a call to a function on the
** chain uses the return type inferred so far.
**
** Compiles are serialized by one lock, re-entrant for the nested compiles
** of one thread: the GIL alone is not enough, since a compile runs Python
** code (reading the source, importing) that may let another thread in.
** A child forked while another thread held it starts with the lock free
** (pj_compile_after_fork).
*/
#include "pyjit.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static PjCompile *active;       /* innermost compile in progress */

/* Specializations whose code calls a function that was still compiling:
   if the outermost compile fails, that function never reaches the JIT
   and they are dropped. */
static struct {
    PyObject *disp;
    PjOverload *ov;
} *waiting;
static int nwaiting, capwaiting;
static PyThread_type_lock compile_lock;
static unsigned long lock_owner;
static int lock_depth;
static unsigned long counter;   /* makes symbol names unique */

enum { STAGE_TYPING, STAGE_LOWERING };

/* --- the compile lock --- */

static int
acquire_compile_lock(void)
{
    unsigned long me = PyThread_get_thread_ident();
    if (lock_depth > 0 && lock_owner == me) {
        lock_depth++;
        return 0;
    }
    if (compile_lock == NULL) {
        compile_lock = PyThread_allocate_lock();
        if (compile_lock == NULL) {
            PyErr_NoMemory();
            return -1;
        }
    }
    if (!PyThread_acquire_lock(compile_lock, NOWAIT_LOCK)) {
        Py_BEGIN_ALLOW_THREADS
        PyThread_acquire_lock(compile_lock, WAIT_LOCK);
        Py_END_ALLOW_THREADS
    }
    lock_owner = me;
    lock_depth = 1;
    return 0;
}

static void
release_compile_lock(void)
{
    if (--lock_depth == 0) {
        lock_owner = 0;
        PyThread_release_lock(compile_lock);
    }
}

int
pj_compile_lock(void)
{
    return acquire_compile_lock();
}

void
pj_compile_unlock(void)
{
    release_compile_lock();
}

/* --- dumps --- */

static void
dump_ir(PjCompile *cx, unsigned what, bool typed)
{
    if (!(pj_state->dump & what)) {
        return;
    }
    PjBuf b;
    pj_buf_init(&b);
    pj_ir_print_func(&b, cx->fn, typed);
    pj_diag_dump(cx, typed ? "typed IR" : "IR", &b);
    pj_buf_free(&b);
}

/* --- names --- */

static void
put_sanitized(PjBuf *b, const char *s)
{
    for (; *s; s++) {
        char c = *s;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                  || (c >= '0' && c <= '9') || c == '_' || c == '.';
        pj_buf_putn(b, ok ? &c : "_", 1);
    }
}

/* A token of this process, for the names of code stored for others: two
   processes number their names alike, and a third that loads records of
   both must not meet one name twice (it would compile again instead). */
static unsigned long long
process_token(void)
{
    static unsigned long long token;
    if (token == 0) {
        uint64_t seed[2] = {(uint64_t)getpid(), (uint64_t)(pj_now() * 1e9)};
        token = (pj_hash_bytes(seed, sizeof(seed), 0) >> 16) | 1;
    }
    return token;
}

static int
format_name(PjCompile *cx, PjBuf *b)
{
    pj_buf_init(b);
    put_sanitized(b, PyUnicode_AsUTF8(cx->info->module_name));
    pj_buf_puts(b, ".");
    put_sanitized(b, PyUnicode_AsUTF8(cx->info->qualname));
    pj_buf_printf(b, "$%lu", ++counter);
    if (cx->opts.cache) {
        pj_buf_printf(b, "_%012llx", process_token());
    }
    for (int i = 0; i < cx->nargs; i++) {
        pj_buf_puts(b, ".");
        put_sanitized(b, pj_type_str(cx->argtys[i]));
    }
    if (b->failed) {
        pj_buf_free(b);
        PyErr_NoMemory();
        return -1;
    }
    return 0;
}

/* module.qualname$N.argtypes, as Numba names specializations (with
   cache=True, $N_token); N makes the name one no other code in the process
   uses (cached code included).  The name is claimed until the compile
   ends: free_compile gives it back if the code never reached the JIT. */
static int
make_names(PjCompile *cx)
{
    PjBuf b;
    int claimed = 0;
    while (claimed == 0) {
        RETURN_IF_ERROR(format_name(cx, &b));
        claimed = pj_jit_claim_name(b.data);
        if (claimed <= 0) {
            pj_buf_free(&b);
        }
    }
    if (claimed < 0) {
        return -1;
    }
    cx->native_name = pj_arena_strdup(cx->arena, b.data);
    cx->wrapper_name = pj_arena_printf(cx->arena, "cpython.%s", b.data);
    if (cx->native_name == NULL) {
        pj_jit_release_name(b.data);    /* free_compile cannot see it */
    }
    pj_buf_free(&b);
    return cx->native_name && cx->wrapper_name ? 0 : -1;
}

/* --- the compile context --- */

static PjCallee *type_callee(PjCompile *cx, PyObject *disp, PjType **argtys,
                             int n, bool report);
static int callee_symbol(PjCompile *cx, PjCallee *callee, const char **name,
                         bool *can_raise, PjType **restype);

static PjCompile *
new_compile(PyObject *disp, PjType **argtys, int nargs)
{
    if (pj_dispatcher_ensure_info(disp) < 0) {
        return NULL;
    }
    PjArena *arena = pj_arena_new();
    if (arena == NULL) {
        return NULL;
    }
    PjCompile *cx = PJ_NEW(arena, PjCompile);
    if (cx == NULL) {
        pj_arena_free(arena);
        return NULL;
    }
    cx->arena = arena;
    cx->target = &pj_target_host;
    cx->type_callee = type_callee;
    cx->callee_symbol = callee_symbol;
    cx->dispatcher = disp;
    cx->info = pj_dispatcher_info(disp);
    cx->opts = *pj_dispatcher_options(disp);
    cx->nargs = nargs;
    cx->argtys = PJ_NEW_N(arena, PjType *, nargs + 1);
    if (cx->argtys == NULL) {
        pj_arena_free(arena);
        return NULL;
    }
    memcpy(cx->argtys, argtys, sizeof(PjType *) * (size_t)nargs);
    cx->parent = active;
    cx->depth = active ? active->depth + 1 : 0;
    cx->depends_on = PJ_FINAL;
    cx->started = pj_now();
    return cx;
}

/* Its native name goes back unless its code reached the JIT. */
static void
give_back_name(PjCompile *cx)
{
    if (cx->native_name != NULL && !cx->code_added) {
        pj_jit_release_name(cx->native_name);
    }
}

/* Frees a compile, and gives back its native name if its code never
   reached the JIT: a call that fails to compile, repeated, must not grow
   the set of claimed names. */
static void
free_compile(PjCompile *cx)
{
    /* The objects the arena releases may run code that clears the error
       being reported (a type's or a function's deallocation). */
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    give_back_name(cx);
    if (cx->llmod != NULL) {
        LLVMDisposeModule(cx->llmod);
    }
    if (cx->llctx != NULL) {
        LLVMContextDispose(cx->llctx);
    }
    pj_arena_free(cx->arena);
    PyErr_Restore(type, value, tb);
}

/* Typed callees that were never compiled. */
static void
free_memo(PjCompile *cx)
{
    for (int i = 0; i < cx->callee_memo.len; i++) {
        PjCallee *c = cx->callee_memo.items[i];
        if (c->typed != NULL) {
            free_compile(c->typed);
            c->typed = NULL;
        }
    }
}

static bool
same_signature(PjType **a, PjType **b, int n)
{
    for (int i = 0; i < n; i++) {
        if (a[i] != b[i]) {
            return false;
        }
    }
    return true;
}

static PjCompile *
find_active(PyObject *disp, PjType **argtys, int nargs)
{
    for (PjCompile *c = active; c != NULL; c = c->parent) {
        if (c->dispatcher == disp && c->nargs == nargs
            && same_signature(c->argtys, argtys, nargs)) {
            return c;
        }
    }
    return NULL;
}

static PjCompile *
root_of(PjCompile *cx)
{
    while (cx->parent != NULL) {
        cx = cx->parent;
    }
    return cx;
}

/* --- the pipeline --- */

static int
run_typing(PjCompile *cx)
{
    if (pj_state->builtin_ids == NULL && pj_callables_init() < 0) {
        return -1;
    }
    RETURN_IF_ERROR(pj_frontend(cx));
    pj_literal_params(cx);
    RETURN_IF_ERROR(pj_split_webs(cx));
    RETURN_IF_ERROR(pj_ir_verify(cx, false));
    dump_ir(cx, PJ_DUMP_IR, false);
    RETURN_IF_ERROR(pj_infer(cx));
    pj_alias_iterators(cx->fn);
    RETURN_IF_ERROR(pj_list_arrays_without_lists(cx));
    RETURN_IF_ERROR(pj_ir_verify(cx, !pj_compile_provisional(cx)));
    cx->seconds[PJ_TIME_TYPING] = pj_now() - cx->started;
    if (cx->assumed_raising || pj_parallel_may_raise(cx)) {
        cx->can_raise = true;
    }
    dump_ir(cx, PJ_DUMP_TYPED, true);
    return 0;
}

/* An overload for these argument types, its artifacts still to be
   filled in; NULL with MemoryError. */
PjOverload *
pj_overload_new(PjType **argtys, int nargs, const char *native_name)
{
    PjOverload *ov = PyMem_Calloc(1, sizeof(PjOverload));
    if (ov == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    ov->codes = PyMem_Calloc((size_t)nargs + 1, sizeof(int));
    ov->sig = PyTuple_New(nargs);
    ov->native_name = PyMem_Malloc(strlen(native_name) + 1);
    if (ov->codes == NULL || ov->sig == NULL || ov->native_name == NULL) {
        pj_overload_free(ov);
        PyErr_NoMemory();
        return NULL;
    }
    strcpy(ov->native_name, native_name);
    for (int i = 0; i < nargs; i++) {
        ov->codes[i] = argtys[i]->code;
        PyTuple_SET_ITEM(ov->sig, i, Py_NewRef((PyObject *)argtys[i]));
    }
    return ov;
}

static PjOverload *
make_overload(PjCompile *cx, PjArtifact *art)
{
    PjOverload *ov = pj_overload_new(cx->argtys, cx->nargs, cx->native_name);
    if (ov == NULL) {
        return NULL;
    }
    ov->restype = cx->restype;
    ov->entry = (PjEntry)art->entry;
    ov->can_raise = cx->can_raise;
    ov->llvm_ir = art->llvm_ir;
    ov->bitcode = art->bitcode;
    ov->object = art->object;
    ov->no_cache = cx->no_cache;
    art->llvm_ir = art->bitcode = art->object = NULL;
    ov->annotation = pj_ir_annotate(cx);
    ov->diagnostics = ov->annotation ? pj_fusion_diagnostics(cx) : NULL;
    if (ov->diagnostics == NULL) {
        pj_overload_free(ov);
        return NULL;
    }
    return ov;
}

void
pj_overload_free(PjOverload *ov)
{
    if (ov == NULL) {
        return;
    }
    PyMem_Free(ov->codes);
    PyMem_Free(ov->native_name);
    Py_XDECREF(ov->sig);
    Py_XDECREF(ov->annotation);
    Py_XDECREF(ov->diagnostics);
    Py_XDECREF(ov->llvm_ir);
    Py_XDECREF(ov->bitcode);
    Py_XDECREF(ov->object);
    Py_XDECREF(ov->asm_text);
    Py_XDECREF(ov->objmode);
    Py_XDECREF(ov->objmode_call);
    PyMem_Free(ov);
}

static int
note_waiting(PyObject *disp, PjOverload *ov)
{
    if (nwaiting == capwaiting) {
        int cap = capwaiting ? capwaiting * 2 : 8;
        void *p = PyMem_Realloc(waiting, sizeof(*waiting) * (size_t)cap);
        if (p == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        waiting = p;
        capwaiting = cap;
    }
    waiting[nwaiting].disp = disp;
    waiting[nwaiting].ov = ov;
    nwaiting++;
    return 0;
}

/* At the end of the outermost compile: on failure, drop what waited. */
static void
settle_waiting(bool failed)
{
    for (int i = 0; failed && i < nwaiting; i++) {
        pj_dispatcher_remove(waiting[i].disp, waiting[i].ov);
    }
    nwaiting = 0;
}

/* --- fork --- */

/* In a child forked while another thread compiled, or waited for the
   lock: that thread does not exist here, so its hold on the lock and its
   compiles in progress are dropped, and what waited for them goes as after
   a failed compile.  The lock is replaced, not released (it may be in any
   state; it is left unfreed, as CPython leaves its own locks after a fork).
   The abandoned compiles' arenas stay as they are: they are memory of a
   thread of the parent.  The JIT needs nothing: LLVM is only ever called
   with the GIL held, so no thread was inside it when the forking one,
   which holds the GIL, forked.  A child of the compiling thread itself
   keeps everything: its compile goes on. */
void
pj_compile_after_fork(void)
{
    if (lock_depth > 0 && lock_owner == PyThread_get_thread_ident()) {
        return;
    }
    compile_lock = NULL;        /* allocated again on the next compile */
    lock_owner = 0;
    lock_depth = 0;
    for (PjCompile *cx = active; cx != NULL; cx = cx->parent) {
        give_back_name(cx);
    }
    active = NULL;
    settle_waiting(true);
}

static PjOverload *
run_codegen(PjCompile *cx, double t0)
{
    if (pj_compile_provisional(cx)) {
        /* A draft's failures were not reported: some of its instructions
           may have no implementation. */
        pj_diag(cx, PJ_ERR_LOWERING, (PjLoc){0, 0}, "the types of %s are "
                "not final: they depend on a compile in progress",
                cx->fn->name);
        return NULL;
    }
    cx->stage = STAGE_LOWERING;
    PjArtifact art = {0};
    double t1 = pj_now();
    if (pj_lower(cx) < 0) {
        return NULL;
    }
    cx->seconds[PJ_TIME_LOWER] = pj_now() - t1;
    bool defer = cx->calls_active;
    /* A callee's code is linked into its callers (a ufunc kernel's into
       the ufunc's loops): its own object is made when Python first calls
       it, if ever. */
    bool later = (cx->parent != NULL || cx->opts.linked) && !defer
                 && !cx->opts.cache;
    int rc = pj_jit_emit(cx, &art, defer, later);
    PjOverload *ov = rc == 0 ? make_overload(cx, &art) : NULL;
    Py_XDECREF(art.llvm_ir);
    Py_XDECREF(art.bitcode);
    Py_XDECREF(art.object);
    if (ov == NULL) {
        return NULL;
    }
    ov->later = later;
    ov->compile_seconds = pj_now() - t0;
    memcpy(ov->seconds, cx->seconds, sizeof(ov->seconds));
    if (pj_dispatcher_add(cx->dispatcher, ov) < 0) {
        pj_overload_free(ov);
        return NULL;
    }
    if (defer && note_waiting(cx->dispatcher, ov) < 0) {
        pj_dispatcher_remove(cx->dispatcher, ov);
        return NULL;
    }
    return ov;
}

/* What the last outermost compile that failed asked of its parameters
   with literally() (literal.c), for the dispatcher to answer with the
   call's values. */
static uint64_t pending_literal_request;

uint64_t
pj_compile_take_literal_request(void)
{
    uint64_t r = pending_literal_request;
    pending_literal_request = 0;
    return r;
}

static PjOverload *
compile_locked(PyObject *disp, PjType **argtys, int nargs,
               PjType *declared_ret, PyObject *const *argvalues,
               const bool *untypable)
{
    double t0 = pj_now();
    PjCompile *cx = new_compile(disp, argtys, nargs);
    if (cx == NULL) {
        return NULL;
    }
    cx->declared_ret = declared_ret;
    cx->argvalues = (PyObject **)argvalues;
    cx->untypable = (bool *)untypable;
    PjOverload *ov = NULL;
    active = cx;
    if (make_names(cx) == 0 && run_typing(cx) == 0) {
        ov = run_codegen(cx, t0);
    }
    active = cx->parent;
    if (ov == NULL) {
        pj_diag_raise(cx);
        pending_literal_request = cx->literal_request;
    }
    if (active == NULL) {
        settle_waiting(ov == NULL);
    }
    free_memo(cx);
    free_compile(cx);
    return ov;
}

/* Compiles disp for the given argument types and adds the overload to
   the dispatcher.  argvalues and untypable (may be NULL) describe the
   call that asked, for error messages.  Returns a borrowed overload, or
   NULL with an exception set (pyjit.TypingError for a typing failure). */
PjOverload *
pj_compile(PyObject *disp, PjType **argtys, int nargs, PjType *declared_ret,
           PyObject *const *argvalues, const bool *untypable)
{
    if (acquire_compile_lock() < 0) {
        return NULL;
    }
    /* Another thread may have compiled it while this one waited. */
    PjOverload *ov = pj_dispatcher_find(disp, argtys, nargs);
    unsigned long failures = pj_arena_failures();
    if (ov == NULL) {
        ov = compile_locked(disp, argtys, nargs, declared_ret, argvalues,
                            untypable);
    }
    if (ov == NULL && pj_arena_failures() != failures) {
        PyErr_NoMemory();       /* whatever a stage made of the failure */
    }
    release_compile_lock();
    return ov;
}

/* The IR of disp's function with every variable a pyobject: how object
   mode sees it, for inspect_types.  NULL with an exception when the
   frontend rejects the function. */
PyObject *
pj_compile_object_annotation(PyObject *disp, PjType **argtys, int nargs)
{
    if (acquire_compile_lock() < 0) {
        return NULL;
    }
    PyObject *text = NULL;
    PjCompile *cx = new_compile(disp, argtys, nargs);
    if (cx != NULL) {
        if ((pj_state->builtin_ids != NULL || pj_callables_init() == 0)
            && pj_frontend(cx) == 0) {
            for (int i = 0; i < cx->fn->vars.len; i++) {
                ((PjVar *)cx->fn->vars.items[i])->type = pj_t.pyobject;
            }
            text = pj_ir_annotate(cx);
        }
        else {
            pj_diag_raise(cx);
        }
        free_compile(cx);
    }
    release_compile_lock();
    return text;
}

/* --- callees --- */

static PjCallee *
callee_from(PjCompile *cx, PyObject *disp, PjType **argtys, int n,
            PjType *restype, bool can_raise, int depends_on)
{
    PjCallee *c = PJ_NEW(cx->arena, PjCallee);
    if (c == NULL) {
        return NULL;
    }
    c->dispatcher = disp;
    c->nargs = n;
    c->argtys = PJ_NEW_N(cx->arena, PjType *, n + 1);
    if (c->argtys == NULL) {
        return NULL;
    }
    memcpy(c->argtys, argtys, sizeof(PjType *) * (size_t)n);
    c->restype = restype;
    c->can_raise = can_raise;
    c->depends_on = depends_on;
    return c;
}

/* A call to a function whose compile is in progress: recursion. */
static PjCallee *
callee_in_progress(PjCompile *cx, PjCompile *target, PyObject *disp,
                   PjType **argtys, int n)
{
    if (target == cx) {
        /* Self-recursion: the call adds no way of raising; lowering uses
           the function's own convention. */
        PjCallee *c = callee_from(cx, disp, argtys, n, cx->restype, false,
                                  PJ_FINAL);
        if (c != NULL) {
            c->is_self = true;
        }
        return c;
    }
    bool typing = target->stage == STAGE_TYPING;
    if (typing) {
        /* Its convention is not known yet: it will return a status. */
        target->assumed_raising = true;
    }
    PjType *ret = target->declared_ret ? target->declared_ret
                                       : target->restype;
    return callee_from(cx, disp, argtys, n, ret,
                       typing ? true : target->can_raise,
                       typing ? target->depth : PJ_FINAL);
}

static PjCallee *
memo_get(PjCompile *root, PyObject *disp, PjType **argtys, int n)
{
    for (int i = 0; i < root->callee_memo.len; i++) {
        PjCallee *c = root->callee_memo.items[i];
        if (c->dispatcher == disp && c->nargs == n
            && same_signature(c->argtys, argtys, n)) {
            return c;
        }
    }
    return NULL;
}

/* Infers the callee's types without generating code. */
static PjCallee *
infer_callee(PjCompile *cx, PyObject *disp, PjType **argtys, int n,
             bool report)
{
    PjCompile *sub = new_compile(disp, argtys, n);
    if (sub == NULL) {
        return NULL;
    }
    sub->parent = cx;
    sub->depth = cx->depth + 1;
    PjCompile *saved = active;
    active = sub;
    int rc = run_typing(sub);
    active = saved;
    PjCallee *c = NULL;
    cx->callee_literal_request = rc == 0 ? 0 : sub->literal_request;
    if (rc == 0) {
        /* A final answer is kept for the whole outermost compile, so it
           lives in that compile's arena, with the typed IR: if the callee
           is compiled, it is not typed again. */
        bool final = sub->depends_on == PJ_FINAL;
        PjCompile *owner = final ? root_of(cx) : cx;
        c = callee_from(owner, disp, argtys, n, sub->restype, sub->can_raise,
                        sub->depends_on);
        if (c != NULL && final
            && pj_vec_push(owner->arena, &owner->callee_memo, c) == 0) {
            c->typed = sub;
            return c;
        }
        PyErr_Clear();      /* not memoized: it is typed again if needed */
    }
    else if (report && pj_library_owns(disp) && sub->diag != NULL
             && !PyErr_Occurred()) {
        /* The library is not the user's code: its error becomes the
           caller's, placed at the call by the caller's inference. */
        pj_diag(cx, sub->diag->kind, (PjLoc){0, 0}, "%s", sub->diag->msg);
    }
    else if (report) {
        pj_diag_raise(sub);     /* the callee's own error, where it is */
    }
    else {
        PyErr_Clear();          /* not yet: the arguments may widen */
    }
    free_compile(sub);
    return c;
}

/* Explicit signatures and an argument that may be None (an Optional):
   the signature its value converts to best, or NULL.  The call converts
   the argument as Numba's does, raising TypeError for None (quimb passes
   an array-or-None to a function compiled for f8[:]). */
static PjOverload *
match_unwrapped(PjCompile *cx, PyObject *disp, PjType **argtys, int n)
{
    PjType *unwrapped[PJ_MAX_ARGS];
    bool optional = false;
    if (n > PJ_MAX_ARGS) {
        return NULL;
    }
    for (int k = 0; k < n; k++) {
        optional |= pj_type_is_optional(argtys[k]);
        unwrapped[k] = pj_type_unwrap(argtys[k]);
    }
    PjOverload *ov = optional ? pj_dispatcher_match(disp, unwrapped, n)
                              : NULL;
    cx->can_raise |= ov != NULL;
    return ov;
}

/* What a call from cx to the jitted function disp with these argument
   types returns, and whether it can raise.  NULL: it does not type (with
   an exception set when `report`). */
static PjCallee *
type_callee(PjCompile *cx, PyObject *disp, PjType **argtys, int n,
            bool report)
{
    PjCompile *target = find_active(disp, argtys, n);
    if (target != NULL) {
        return callee_in_progress(cx, target, disp, argtys, n);
    }
    if (pj_dispatcher_options(disp)->forceobj) {
        if (report) {
            pj_diag(cx, PJ_ERR_TYPING, (PjLoc){0, 0}, "Cannot call %s from "
                    "nopython code: it runs in object mode (forceobj=True)",
                    PyUnicode_AsUTF8(pj_dispatcher_info(disp)->qualname));
        }
        return NULL;
    }
    PjOverload *ov = pj_dispatcher_find(disp, argtys, n);
    /* inline='always': the body is typed for the caller's arguments, as
       Numba inlines it before typing, whatever signatures it lists */
    bool inlined = pj_dispatcher_options(disp)->inline_mode
                   == PJ_INLINE_ALWAYS;
    if (ov == NULL && !pj_dispatcher_can_compile(disp) && !inlined) {
        /* Explicit signatures: it compiles nothing new, the arguments
           convert to one of them. */
        ov = pj_dispatcher_match(disp, argtys, n);
        if (ov == NULL) {
            ov = match_unwrapped(cx, disp, argtys, n);
        }
        if (ov == NULL || ov->objmode != NULL) {
            if (report) {
                pj_diag(cx, PJ_ERR_TYPING, (PjLoc){0, 0}, "No matching "
                        "definition of %s for these argument types",
                        PyUnicode_AsUTF8(pj_dispatcher_info(disp)->qualname));
            }
            return NULL;
        }
    }
    if (ov != NULL) {
        /* Compiled code: its types depend on no compile in progress (a
           caller that took them for a draft would report nothing). */
        return callee_from(cx, disp, (PjType **)&PyTuple_GET_ITEM(ov->sig, 0),
                           n, ov->restype, ov->can_raise, PJ_FINAL);
    }
    PjCallee *memo = memo_get(root_of(cx), disp, argtys, n);
    if (memo != NULL) {
        return memo;
    }
    return infer_callee(cx, disp, argtys, n, report);
}

/* The compiled callee, compiling it now if needed; its bitcode will be
   linked into cx's module. */
/* Generates code for a callee whose typing-only compile was kept. */
static PjOverload *
compile_typed(PjCompile *cx, PjCompile *sub)
{
    PjOverload *ov = NULL;
    sub->parent = cx;
    sub->depth = cx->depth + 1;
    active = sub;
    if (make_names(sub) == 0) {
        ov = run_codegen(sub, pj_now() - sub->seconds[PJ_TIME_TYPING]);
    }
    active = cx;
    if (ov == NULL) {
        pj_diag_raise(sub);
    }
    free_compile(sub);
    return ov;
}

static PjOverload *
compile_callee_overload(PjCompile *cx, PjCallee *callee)
{
    PjOverload *ov = pj_dispatcher_find(callee->dispatcher, callee->argtys,
                                        callee->nargs);
    if (ov == NULL) {
        if (pj_dispatcher_count(callee->dispatcher, callee->argtys,
                                callee->nargs, false) < 0) {
            return NULL;
        }
        PjCallee *memo = memo_get(root_of(cx), callee->dispatcher,
                                  callee->argtys, callee->nargs);
        PjCompile *saved = active;
        active = cx;
        if (memo != NULL && memo->typed != NULL) {
            PjCompile *sub = memo->typed;
            memo->typed = NULL;
            ov = compile_typed(cx, sub);
        }
        else {
            ov = pj_compile(callee->dispatcher, callee->argtys,
                            callee->nargs, NULL, NULL, NULL);
        }
        active = saved;
        if (ov == NULL) {
            return NULL;
        }
    }
    for (int i = 0; i < cx->callees.len; i++) {
        if (cx->callees.items[i] == ov) {
            return ov;
        }
    }
    return pj_vec_push(cx->arena, &cx->callees, ov) < 0 ? NULL : ov;
}

/* How a call from cx to callee is made: the native symbol, whether it
   returns a status, and what it returns.  Compiles the callee if needed. */
static int
callee_symbol(PjCompile *cx, PjCallee *callee, const char **name,
              bool *can_raise, PjType **restype)
{
    PjCompile *target = callee->is_self
        ? cx : find_active(callee->dispatcher, callee->argtys,
                           callee->nargs);
    if (target != NULL) {
        /* Every compile on the chain is lowering now: its convention and
           return type are final. */
        cx->calls_active |= target != cx;
        *name = target->native_name;
        *can_raise = target->can_raise;
        *restype = target->restype;
        return 0;
    }
    PjOverload *ov = compile_callee_overload(cx, callee);
    if (ov == NULL) {
        return -1;
    }
    /* it waits for a function still compiling */
    cx->calls_active |= ov->entry == NULL && !ov->later;
    *name = ov->native_name;
    *can_raise = ov->can_raise;
    *restype = ov->restype;
    return 0;
}
