/*
** exceptions.c - try/except in compiled code: the kind of a caught
** exception, the lowering of catching, matching and raising again, and
** their runtime helpers.
**
** An exception raised in compiled code is a Python exception set in the
** thread's state while the function returns its error status (lower.c).
** The blocks of a `try` body carry a handler (PjBlock.handler, set by the
** frontend): the block the error path of their instructions goes to
** instead of returning, whether the exception was raised by a `raise`, by
** a runtime check (an index out of bounds, a division by zero, a missing
** key) or by a jitted callee.  That block begins with CATCH, which takes
** the exception out of the thread's state into a value of the kind here:
** a reference-counted block (runtime.c's pj_rt_meminfo_keep) holding the
** exception object, released as variables release arrays.  EXC_MATCH tests
** it against the classes of an `except` clause, found by module and
** qualified name as `raise` finds them, so that object code holds no
** addresses and can be cached; RERAISE puts it back (no clause matched, a
** bare `raise`, `raise e`, the end of a `finally` run for an exception).
**
** Helpers take the GIL themselves: with nogil=True the code runs without
** it.
*/
#include "pyjit.h"

/* --- the type --- */

PjType *
pj_type_exception(void)
{
    return pj_type_intern(PJ_TK_EXCEPTION, 0, 0, NULL, 0, NULL);
}

bool
pj_type_is_exception(PjType *t)
{
    return t != NULL && t->kind == PJ_TK_EXCEPTION;
}

static void
print_exception(PjBuf *b, PjType *Py_UNUSED(t))
{
    pj_buf_puts(b, "exception");
}

static PjType *
unify_exception(PjType *a, PjType *Py_UNUSED(b))
{
    return a;                   /* the kind has one type */
}

static bool
exception_can_box(PjType *Py_UNUSED(t))
{
    return true;
}

/* The exception object itself; the value's reference goes with it. */
static LLVMValueRef
exception_box(PjLower *lw, LLVMValueRef v, PjType *Py_UNUSED(t))
{
    return pj_lower_helper(lw, "pj_rt_exc_box", lw->t_ptr, &lw->t_ptr, &v,
                           1);
}

/* e.args: the arguments of the caught exception, a view of the same
   block (exc_args below). */
static const PjImpl impl_args = {"exception.args", pj_lower_first_operand,
                                 false, false};

static int
exception_getattr(PjCompile *cx, PjInstr *ins, PjType *t)
{
    if (strcmp(ins->name, "args") != 0) {
        cx->why = "a caught exception has str(e), e.args, and is raised "
                  "again with `raise e` or `raise`";
        return 1;
    }
    PjType *r = pj_type_intern(PJ_TK_EXC_ARGS, 0, 0, NULL, 0, NULL);
    return r ? pj_choose(cx, ins, &impl_args, r, &t, 1) : -1;
}

const PjKind pj_kind_exception = {
    .name = "exception",
    .print = print_exception,
    .unify = unify_exception,
    .type_getattr = exception_getattr,
    .llvm_type = pj_kind_block_llvm_type,
    .holds_memory = pj_kind_holds_block,
    .each_meminfo = pj_kind_block_meminfo,
    .can_box = exception_can_box,
    .box = exception_box,
};

/* --- str(e) --- */

static LLVMValueRef
lower_str(PjLower *lw, PjInstr *Py_UNUSED(ins), LLVMValueRef *args)
{
    LLVMTypeRef st = pj_lower_type(lw, pj_type_unicode());
    LLVMValueRef out = pj_lower_alloca(lw, st, "str");
    LLVMTypeRef p[2] = {lw->t_ptr, lw->t_ptr};
    LLVMValueRef a[2] = {args[0], out};
    LLVMValueRef rc = pj_lower_helper(lw, "pj_rt_exc_str", lw->t_i32, p, a, 2);
    LLVMValueRef bad = LLVMBuildICmp(lw->b, LLVMIntNE, rc, pj_i32(lw, 0), "");
    pj_lower_fail_end(lw, pj_lower_fail_begin(lw, bad));
    return LLVMBuildLoad2(lw->b, st, out, "");
}

static const PjImpl impl_str = {"str", lower_str, true, true};

/* str(e) of a caught exception: what str() of the object says. */
int
pj_exception_type_str(PjCompile *cx, PjInstr *ins)
{
    PjType *e = pj_type_exception();
    RETURN_IF_ERROR(pj_choose(cx, ins, &impl_str, pj_type_unicode(), &e, 1));
    cx->can_raise = true;
    return 0;
}

/* --- lowering --- */

/* The exception being raised, taken out of the thread's state: a new
   reference. */
LLVMValueRef
pj_exception_lower_catch(PjLower *lw)
{
    return pj_lower_helper(lw, "pj_rt_exc_catch", lw->t_ptr, NULL, NULL, 0);
}

/* A pointer-sized global of the module, null until the first raise or
   match at its site finds the class by name and keeps it there
   (pj_runtime_cached_class): finding it takes an import and attribute
   lookups. */
LLVMValueRef
pj_lower_class_cache(PjLower *lw)
{
    LLVMValueRef g = LLVMAddGlobal(lw->mod, lw->t_ptr, "exc.class");
    LLVMSetInitializer(g, LLVMConstNull(lw->t_ptr));
    LLVMSetLinkage(g, LLVMPrivateLinkage);
    return g;
}

/* Whether exc is an instance of the class cls, as an i1; NULL with a
   diagnostic when compiled code cannot find cls again by its name. */
static LLVMValueRef
matches_class(PjLower *lw, LLVMValueRef exc, PyObject *cls)
{
    PyObject *module = PyObject_GetAttrString(cls, "__module__");
    PyObject *qualname = PyObject_GetAttrString(cls, "__qualname__");
    LLVMValueRef r = NULL;
    if (module && qualname && PyUnicode_Check(module)
        && PyUnicode_Check(qualname)) {
        LLVMTypeRef p[4] = {lw->t_ptr, lw->t_ptr, lw->t_ptr, lw->t_ptr};
        LLVMValueRef a[4] = {
            exc, pj_lower_cstring(lw, PyUnicode_AsUTF8(module)),
            pj_lower_cstring(lw, PyUnicode_AsUTF8(qualname)),
            pj_lower_class_cache(lw),
        };
        r = pj_lower_helper(lw, "pj_rt_exc_matches", lw->t_i32, p, a, 4);
        r = LLVMBuildICmp(lw->b, LLVMIntNE, r, pj_i32(lw, 0), "");
    }
    Py_XDECREF(module);
    Py_XDECREF(qualname);
    PyErr_Clear();
    return r;
}

/* Whether exc is an instance of one of the classes (a tuple), as an i1. */
LLVMValueRef
pj_exception_lower_match(PjLower *lw, LLVMValueRef exc, PyObject *classes)
{
    LLVMValueRef any = LLVMConstInt(lw->t_i1, 0, 0);
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(classes); i++) {
        LLVMValueRef m = matches_class(lw, exc, PyTuple_GET_ITEM(classes, i));
        if (m == NULL) {
            return NULL;
        }
        any = LLVMBuildOr(lw->b, any, m, "");
    }
    return any;
}

/* Sets exc as the exception being raised again; the caller returns the
   error status (or goes to the enclosing handler). */
void
pj_exception_lower_reraise(PjLower *lw, LLVMValueRef exc)
{
    pj_lower_helper(lw, "pj_rt_exc_reraise", lw->t_void, &lw->t_ptr, &exc,
                    1);
}

/* --- a raise that its own handler catches ---

   `raise ValueError(...)` in a try body whose handler only asks what
   class it caught (`except ValueError:` with no `as` name and no bare
   `raise` in the clause) needs no exception object: which clause runs
   follows from the class, known when the function compiles, and nothing
   can see the object.  Such a raise jumps straight to its clause.
   Building the object would call the class under the GIL, and catching
   it would take it back out of the thread's state: hundreds of
   nanoseconds for what is then a branch, as it is in Numba. */

/* Whether making an instance of cls runs only BaseException's own
   __new__ and __init__, so that not making it cannot be seen. */
static bool
plain_construction(PyObject *cls)
{
    PyTypeObject *t = (PyTypeObject *)cls, *base;
    base = (PyTypeObject *)PyExc_BaseException;
    return t->tp_new == base->tp_new && t->tp_init == base->tp_init;
}

/* Whether a raise of cls goes to one of classes (a tuple), as
   PyErr_GivenExceptionMatches decides it. */
static bool
class_matches(PyObject *cls, PyObject *classes)
{
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(classes); i++) {
        if (PyType_IsSubtype((PyTypeObject *)cls,
                             (PyTypeObject *)PyTuple_GET_ITEM(classes, i))) {
            return true;
        }
    }
    return false;
}

/* The clause of `handler` a raise of cls runs when the handler does
   nothing with what it caught but test its class: the block the clause
   begins at, *exc set to the handler's variable; NULL when the raise must
   make the exception (no clause matches, the clause names or raises it
   again, a finally body, a class whose construction runs code). */
PjBlock *
pj_exception_clause_for(PjFunc *fn, PjBlock *handler, PyObject *cls,
                        PjVar **exc)
{
    PjInstr *catch = handler->first;
    if (catch == NULL || catch->op != PJ_OP_CATCH || !PyType_Check(cls)
        || !plain_construction(cls)) {
        return NULL;
    }
    *exc = catch->dst;
    PjBlock *clause = NULL, *rest = NULL;
    int tests = 0;
    PjInstr *ins = catch->next;
    while (ins != NULL && ins->op == PJ_OP_EXC_MATCH && ins->src[0] == *exc
           && ins->next != NULL && ins->next->op == PJ_OP_BRANCH
           && ins->next->src[0] == ins->dst) {
        tests++;
        PjBlock *yes = ins->next->target[0];
        rest = ins->next->target[1];
        if (clause == NULL && class_matches(cls, ins->obj)) {
            clause = yes;
        }
        ins = rest->first;
    }
    /* after the tests, the exception is raised again when nothing
       matched, or a bare `except:` clause begins */
    int uses = tests;
    if (ins != NULL && ins->op == PJ_OP_RERAISE && ins->src[0] == *exc) {
        uses++;
    }
    else if (tests > 0 && clause == NULL) {
        clause = rest;
    }
    if (clause == NULL || !clause->reachable
        || pj_ir_uses_of(fn, *exc) != uses) {
        return NULL;
    }
    return clause;
}

/* --- runtime --- */

/* Takes the exception being raised out of the thread's state into a block
   that keeps it alive (with its traceback, so that raising it again shows
   where it came from).  NULL when there was none or memory runs out; the
   exception then stays set, and RERAISE of NULL leaves it as it is. */
PjMemInfo *
pj_rt_exc_catch(void)
{
    PyGILState_STATE g = PyGILState_Ensure();
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyErr_NormalizeException(&type, &value, &tb);
    if (value != NULL && tb != NULL) {
        PyException_SetTraceback(value, tb);
    }
    PjMemInfo *mi = value != NULL ? pj_rt_meminfo_keep(value) : NULL;
    if (mi == NULL) {
        PyErr_Restore(type, value, tb);
    }
    else {
        Py_XDECREF(type);
        Py_DECREF(value);
        Py_XDECREF(tb);
    }
    PyGILState_Release(g);
    return mi;
}

/* 1 when the caught exception is an instance of module.qualname (kept
   in the site's *cache). */
int32_t
pj_rt_exc_matches(PjMemInfo *exc, const char *module, const char *qualname,
                  PyObject **cache)
{
    if (exc == NULL) {
        return 0;
    }
    PyGILState_STATE g = PyGILState_Ensure();
    PyObject *cls = pj_runtime_cached_class(module, qualname, cache);
    PyErr_Clear();          /* a class that is gone matches nothing */
    int32_t r = 0;
    if (cls != NULL) {
        r = PyErr_GivenExceptionMatches(pj_runtime_kept_object(exc), cls);
    }
    PyGILState_Release(g);
    return r;
}

void
pj_rt_exc_reraise(PjMemInfo *exc)
{
    if (exc == NULL) {
        return;             /* pj_rt_exc_catch left it set */
    }
    PyGILState_STATE g = PyGILState_Ensure();
    PyObject *value = pj_runtime_kept_object(exc);
    PyErr_Restore(Py_NewRef((PyObject *)Py_TYPE(value)), Py_NewRef(value),
                  PyException_GetTraceback(value));
    PyGILState_Release(g);
}

/* str(exc) as a string value; 0, or -1 with an exception set. */
int32_t
pj_rt_exc_str(PjMemInfo *exc, PjStr *out)
{
    PyGILState_STATE g = PyGILState_Ensure();
    PyObject *s = exc ? PyObject_Str(pj_runtime_kept_object(exc)) : NULL;
    int32_t rc = s != NULL ? pj_str_from_python(s, out) : -1;
    if (exc == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "no exception was caught");
    }
    Py_XDECREF(s);
    PyGILState_Release(g);
    return rc;
}

/* The exception object a caught exception's value holds, a new
   reference: an argument of `raise KeyError(e)` or of repr(e).  The
   value keeps its block.  The caller holds the GIL. */
PyObject *
pj_exception_object(PjMemInfo *exc)
{
    if (exc == NULL) {
        Py_RETURN_NONE;
    }
    return Py_NewRef(pj_runtime_kept_object(exc));
}

/* The exception object returned to Python; the value's reference to its
   block is released.  The caller holds the GIL. */
PyObject *
pj_rt_exc_box(PjMemInfo *exc)
{
    PyObject *obj = pj_exception_object(exc);
    if (exc != NULL) {
        pj_runtime_release(exc);
    }
    return obj;
}

/* --- e.args --- */

/* The exception's args returned to Python (a tuple); the value's
   reference to its block is released.  The caller holds the GIL. */
PyObject *
pj_rt_exc_args_box(PjMemInfo *exc)
{
    if (exc == NULL) {
        return PyTuple_New(0);
    }
    PyObject *args = PyObject_GetAttrString(pj_runtime_kept_object(exc),
                                            "args");
    pj_runtime_release(exc);
    return args;
}

/* len(e.args). */
int64_t
pj_rt_exc_nargs(PjMemInfo *exc)
{
    if (exc == NULL) {
        return 0;
    }
    PyGILState_STATE g = PyGILState_Ensure();
    PyObject *args = PyObject_GetAttrString(pj_runtime_kept_object(exc),
                                            "args");
    Py_ssize_t n = args != NULL && PyTuple_Check(args)
                   ? PyTuple_GET_SIZE(args) : 0;
    Py_XDECREF(args);
    PyErr_Clear();
    PyGILState_Release(g);
    return (int64_t)n;
}

static void
print_exc_args(PjBuf *b, PjType *Py_UNUSED(t))
{
    pj_buf_puts(b, "exception.args");
}

static LLVMValueRef
exc_args_box(PjLower *lw, LLVMValueRef v, PjType *Py_UNUSED(t))
{
    return pj_lower_helper(lw, "pj_rt_exc_args_box", lw->t_ptr, &lw->t_ptr,
                           &v, 1);
}

static LLVMValueRef
lower_nargs(PjLower *lw, PjInstr *Py_UNUSED(ins), LLVMValueRef *args)
{
    return pj_lower_helper(lw, "pj_rt_exc_nargs", lw->t_i64, &lw->t_ptr,
                           args, 1);
}

static const PjImpl impl_nargs = {"len", lower_nargs, false, false};

static int
exc_args_len(PjCompile *cx, PjInstr *ins, PjType *t)
{
    return pj_choose(cx, ins, &impl_nargs, pj_t.i64, &t, 1);
}

/* The items' types are known only when the code runs: compiled code
   says so rather than guess one. */
static int
exc_args_getitem(PjCompile *cx, PjInstr *Py_UNUSED(ins),
                 PjType *Py_UNUSED(t), PjType *Py_UNUSED(idx))
{
    cx->why = "the items of e.args have types known only when the code "
              "runs: use str(e) for the message, len(e.args), or return "
              "e.args to Python";
    return 1;
}

const PjKind pj_kind_exc_args = {
    .name = "exception.args",
    .print = print_exc_args,
    .unify = unify_exception,
    .type_len = exc_args_len,
    .type_getitem = exc_args_getitem,
    .llvm_type = pj_kind_block_llvm_type,
    .holds_memory = pj_kind_holds_block,
    .each_meminfo = pj_kind_block_meminfo,
    .can_box = exception_can_box,
    .box = exc_args_box,
};
