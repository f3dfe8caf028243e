/*
** callables.c - the registry of the callables compiled code knows: the
** builtins, math, cmath and the NumPy functions written in C, one row
** each in callables.h.
**
** At the first compile each row's object (math.sqrt, numpy.zeros...) is
** looked up and mapped to its row, and each row's parameters are parsed
** for the binder.  A call to one is typed by binding its arguments to
** those parameters and asking the row's typer, which lives in the file of
** its domain.  The callables' type is the `function` kind, whose row is
** here.
*/
#include "pyjit.h"

#include <string.h>

/* ORDER FN */
const PjCallable pj_callables[PJ_FN_COUNT] = {
#define X(ID, M, N, P, T, I, W) {PJ_FN_##ID, M, N, P, T, I, PJ_FN_##W},
    PJ_CALLABLES(X)
#undef X
};

static PjParams params[PJ_FN_COUNT];

static int
register_callable(PyObject *ids, const PjCallable *fn)
{
    PyObject *mod = PyImport_ImportModule(fn->module);
    PyObject *obj = mod ? PyObject_GetAttrString(mod, fn->name) : NULL;
    PyObject *id = obj ? PyLong_FromLong(fn->id) : NULL;
    int rc = id ? PyDict_SetItem(ids, obj, id) : -1;
    Py_XDECREF(mod);
    Py_XDECREF(obj);
    Py_XDECREF(id);
    return rc;
}

/* Maps each row's object to its row and parses its parameters (once, at
   the first compile: importing math and cmath is not free). */
int
pj_callables_init(void)
{
    PyObject *ids = PyDict_New();
    if (ids == NULL) {
        return -1;
    }
    for (int i = 0; i < PJ_FN_COUNT; i++) {
        const PjCallable *fn = &pj_callables[i];
        if (register_callable(ids, fn) < 0
            || pj_params_parse(&params[i], fn->name, fn->params) < 0) {
            Py_DECREF(ids);
            return -1;
        }
    }
    pj_state->builtin_ids = ids;
    return 0;
}

/* The row of a known callable, or NULL (also for unhashable objects). */
const PjCallable *
pj_callable_of(PyObject *obj)
{
    PyObject *id = PyDict_GetItemWithError(pj_state->builtin_ids, obj);
    if (id == NULL) {
        PyErr_Clear();
        return NULL;
    }
    return &pj_callables[PyLong_AsLong(id)];
}

/* What a NumPy ufunc computes on each element. */
const PjCallable *
pj_callable_twin(const PjCallable *fn)
{
    return fn->twin == PJ_FN_NONE ? NULL : &pj_callables[fn->twin];
}

/* How many parameters fn has (*args not counted). */
int
pj_callable_arity(const PjCallable *fn)
{
    return pj_params_count(&params[fn->id]);
}

/* Types fn called with the (bound) argument types args. */
int
pj_callable_type(PjCompile *cx, PjInstr *ins, const PjCallable *fn,
                 PjType **args, int n)
{
    return fn->typer(cx, ins, fn, args, n);
}

/* --- the function kind: calls to the callables --- */

/* Lays the arguments of a call out in the order of fn's parameters, then
   its *args; a parameter left out is NULL.  Returns how many, or -1 with
   cx->why saying why the arguments do not bind. */
static int
bind_call(PjCompile *cx, const PjCallable *fn, int npos, PyObject *kwnames,
          int *src)
{
    const PjParams *p = &params[fn->id];
    int arg[PJ_MAX_ARGS + 1];
    PjBinding b = {.arg = arg};
    char why[256];
    if (pj_bind(p, npos, kwnames, &b, why, sizeof(why)) < 0) {
        cx->why = pj_arena_strdup(cx->arena, why);
        return -1;
    }
    int n = 0;
    for (int i = 0; i < pj_params_count(p); i++) {
        src[n++] = b.arg[i];
    }
    for (int k = 0; k < b.nvarargs; k++) {
        src[n++] = b.vararg_first + k;
    }
    while (n > 0 && src[n - 1] < 0) {
        n--;            /* the parameters left out at the end */
    }
    return n;
}

/* fn(args...): binds the arguments, then asks fn's typer.  A parameter
   left out before one that is given is None (np.arange(n, dtype=t)),
   which the typers take as left out. */
static int
type_function_call(PjCompile *cx, PjInstr *ins, PjType *fntype,
                   PjType **args, int nargs, PyObject *kwnames)
{
    const PjCallable *fn = &pj_callables[fntype->ident];
    int nkw = kwnames ? (int)PyTuple_GET_SIZE(kwnames) : 0;
    int src[PJ_MAX_ARGS + 1];
    int n = bind_call(cx, fn, nargs - nkw, kwnames, src);
    if (n < 0) {
        return 1;
    }
    PjCallPlan *plan = pj_infer_plan_positional(cx, ins, n);
    if (plan == NULL) {
        return -1;
    }
    PjType *bound[PJ_MAX_ARGS + 1];
    for (int i = 0; i < n; i++) {
        if (src[i] < 0) {
            plan->src[i] = -1;
            plan->defaults[i] = Py_None;
            bound[i] = pj_t.none;
            continue;
        }
        plan->src[i] = 1 + src[i];
        bound[i] = args[src[i]];
    }
    return fn->typer(cx, ins, fn, bound, n);
}

static void
print_function(PjBuf *b, PjType *t)
{
    PyObject *r = PyObject_Repr(t->obj);
    pj_buf_printf(b, "Function(%s)", r ? PyUnicode_AsUTF8(r) : "?");
    Py_XDECREF(r);
}

/* The type of the builtin obj, registry row `id`, as a value. */
PjType *
pj_type_function(PyObject *obj, int id)
{
    return pj_type_intern_object(PJ_TK_FUNCTION, id, obj);
}

/* Whether t is a builtin or library callable as a value. */
bool
pj_type_is_callable_value(const PjType *t)
{
    return t != NULL && t->kind == PJ_TK_FUNCTION;
}

/* Whether t is the builtin of registry row `id` as a value. */
bool
pj_type_is_builtin(const PjType *t, int id)
{
    return pj_type_is_callable_value(t) && t->ident == id;
}

/* A builtin is a value too (functions.c): apply(math.sin, x). */
const PjKind pj_kind_function = {
    .name = "function",
    .print = print_function,
    .type_getattr = pj_type_constant_getattr,
    .type_getitem = pj_type_constant_getitem,
    .type_call = type_function_call,
    .llvm_type = pj_function_llvm_type,
    .lower_const = pj_function_lower_const,
    .box = pj_function_box,
    .unbox = pj_function_unbox,
};
