/*
** typeinfer.c - type inference over the IR.
**
** Input: cx->fn from the frontend and the argument types.  Output: a type
** on every variable, and on every instruction the implementation chosen
** for it (ins->impl) with its plan (ins->plan), the types its operands are
** converted to (ins->argtys) and the type it produces (ins->resty).  This
** file types what every function has (constants, calls to jitted
** functions, control flow); what an operation on a value does is asked
** of the value's kind (kinds.h) or of the callable's typer (callables.c),
** which record their choice through pj_choose (the end of this file).
**
** A variable's type is the unification of the types of everything assigned
** to it.  Inference sweeps the reachable blocks until no variable's type
** changes; types only grow, so it terminates.  During the sweeps an
** instruction whose operands are not typed yet, or do not type, is simply
** skipped: an operand may still widen.  A final sweep then types every
** instruction again with errors enabled, so the first real problem is
** reported where it happens.
**
** A call to a jitted function is typed by asking the driver
** (cx->type_callee) to infer the callee for those argument types (typing
** only: its code is generated when the caller is lowered).  A function
** that calls itself sees its own return type as inferred so far, which
** the base case fixes, as fib's does.
*/
#include "pyjit.h"

#include <string.h>

typedef struct Infer {
    PjCompile *cx;
    bool changed;
} Infer;

#define FAIL(in, ins, ...) pj_infer_fail((in)->cx, (ins), __VA_ARGS__)

static PjType *
type_of(PjVar *v)
{
    return v->type;
}

/* Merges t into the variable's type, noting in *changed whether it
   grew.  A variable declared in locals= keeps its type: what is stored
   converts to it where Numba's casting rules allow (lowering converts
   every store to the variable's type). */
static bool declared_cast_ok(PjType *from, PjType *to);
static int
widen(PjCompile *cx, PjInstr *ins, PjVar *v, PjType *t, bool *changed)
{
    if (v->declared) {
        if (t == NULL || pj_type_conversion_cost(t, v->type) >= 0
            || declared_cast_ok(t, v->type)) {
            return 0;
        }
        return pj_infer_fail(cx, ins, "No conversion from %s to %s for "
                             "'%s', declared in locals=", pj_type_str(t),
                             pj_type_str(v->type), v->name);
    }
    PjType *u = pj_type_unify(v->type, t);
    if (u == NULL) {
        return pj_infer_fail(cx, ins, "Cannot unify %s and %s for '%s'",
                             pj_type_str(v->type), pj_type_str(t), v->name);
    }
    if (u != v->type) {
        v->type = u;
        *changed = true;
    }
    return 0;
}

static int
assign(Infer *in, PjInstr *ins, PjVar *v, PjType *t)
{
    return widen(in->cx, ins, v, t, &in->changed);
}

/* Gives an instruction its result type, and the operand types it uses. */
static int
set_result(Infer *in, PjInstr *ins, PjType *resty, PjType **argtys, int n)
{
    ins->resty = resty;
    if (n > 0) {
        if (ins->argtys == NULL) {
            ins->argtys = PJ_NEW_N(in->cx->arena, PjType *, n);
            if (ins->argtys == NULL) {
                return -1;
            }
        }
        memcpy(ins->argtys, argtys, sizeof(PjType *) * (size_t)n);
    }
    return ins->dst ? assign(in, ins, ins->dst, resty) : 0;
}

static bool
is_optional(PjType *t)
{
    return t != NULL && pj_type_is_optional(t);
}

/* --- constants --- */

/* An int constant (written, folded or frozen from a global) beyond
   uint64 has no type; Numba's message says so. */
static int
fail_untyped_int(Infer *in, PjInstr *ins)
{
    PyObject *r = PyObject_Repr(ins->obj);
    if (r == NULL) {
        return -1;
    }
    FAIL(in, ins, "Int value is too large: %s", PyUnicode_AsUTF8(r));
    Py_DECREF(r);
    return -1;
}

static int
infer_const(Infer *in, PjInstr *ins)
{
    PjType *t = pj_type_of_constant(in->cx, ins->obj);
    if (t == NULL && PyLong_CheckExact(ins->obj)) {
        return fail_untyped_int(in, ins);
    }
    if (t == NULL) {
        return FAIL(in, ins, "cannot type the constant: %s",
                    Py_TYPE(ins->obj)->tp_name);
    }
    return set_result(in, ins, t, NULL, 0);
}

/* The repr of v, cut to a line, for messages (NULL if it has none). */
static PyObject *
short_repr(PyObject *v)
{
    PyObject *r = PyObject_Repr(v);
    if (r == NULL) {
        PyErr_Clear();
        return NULL;
    }
    if (PyUnicode_GET_LENGTH(r) > 60) {
        PyObject *cut = PyUnicode_FromFormat("%.57U...", r);
        Py_SETREF(r, cut);
    }
    return r;
}

/* A global or closure variable whose value has no type: its name, its
   class, its value, and why. */
static int
report_untyped_global(Infer *in, PjInstr *ins)
{
    PyObject *cls = PyObject_Repr((PyObject *)Py_TYPE(ins->obj));
    PyObject *value = short_repr(ins->obj);
    bool untypable = false;
    PjType *vt = pj_typeof_value(ins->obj, &untypable);
    PyErr_Clear();
    const char *why = untypable ? pj_typeof_why_not(ins->obj) : NULL;
    pj_diag(in->cx, PJ_ERR_TYPING, ins->loc,
            "Untyped global name '%s': cannot determine pyjit type of "
            "%s%s%s (value %s)%s", ins->name,
            cls ? PyUnicode_AsUTF8(cls) : "?", why ? ": " : "",
            why ? why : "", value ? PyUnicode_AsUTF8(value) : "?",
            vt && !untypable && pj_type_holds_memory(vt)
            ? " (only arrays and tuples of them are frozen as constants: "
              "pass it as an argument)" : "");
    Py_XDECREF(cls);
    Py_XDECREF(value);
    pj_diag_during(in->cx, "resolving a global name");
    return -1;
}

static int
infer_global(Infer *in, PjInstr *ins)
{
    PjType *t = ins->resty ? ins->resty
                            : pj_type_of_object(in->cx, ins->obj);
    if (t == NULL && PyLong_CheckExact(ins->obj)) {
        return fail_untyped_int(in, ins);
    }
    if (t == NULL) {
        return in->cx->reporting ? report_untyped_global(in, ins) : -1;
    }
    return set_result(in, ins, t, NULL, 0);
}

/* --- calls --- */

/* A plan for nparams parameters, all unbound (src -1). */
PjCallPlan *
pj_infer_plan(PjCompile *cx, PjInstr *ins, int nparams)
{
    PjCallPlan *plan = ins->call;
    if (plan == NULL || plan->nparams < nparams) {
        plan = PJ_NEW(cx->arena, PjCallPlan);
        if (plan == NULL) {
            return NULL;
        }
        plan->src = PJ_NEW_N(cx->arena, int, nparams + 1);
        plan->defaults = PJ_NEW_N(cx->arena, PyObject *, nparams + 1);
        if (plan->src == NULL || plan->defaults == NULL) {
            return NULL;
        }
    }
    plan->nparams = nparams;
    plan->callee = NULL;
    plan->nvarargs = 0;
    plan->has_varargs = false;
    for (int i = 0; i < nparams; i++) {
        plan->src[i] = -1;
        plan->defaults[i] = NULL;
    }
    ins->call = plan;
    return plan;
}

/* A plan for a call whose n arguments are the parameters, in order: a
   builtin's, a method's. */
PjCallPlan *
pj_infer_plan_positional(PjCompile *cx, PjInstr *ins, int n)
{
    PjCallPlan *plan = pj_infer_plan(cx, ins, n);
    for (int i = 0; plan != NULL && i < n; i++) {
        plan->src[i] = 1 + i;
    }
    return plan;
}

/* Binds a call's arguments to the parameters of the jitted function
   disp, CPython's way.  For a bound method (`bound`) the object, held by
   the method in ins->src[0], is the first argument. */
static PjCallPlan *
plan_call(Infer *in, PjInstr *ins, PyObject *disp, bool bound)
{
    const PjParams *p = pj_dispatcher_params(disp);
    int nkw = ins->obj ? (int)PyTuple_GET_SIZE(ins->obj) : 0;
    int npos = ins->nsrc - 1 - nkw + bound;
    int arg[PJ_MAX_ARGS + 1], extra[PJ_MAX_ARGS + 1];
    PjBinding b = {.arg = arg, .extra = extra};
    char why[512];
    if (pj_bind(p, npos, ins->obj, &b, why, sizeof(why)) < 0) {
        FAIL(in, ins, "%s", why);
        return NULL;
    }
    int nparams = pj_params_count(p);
    PjCallPlan *plan = pj_infer_plan(in->cx, ins, nparams);
    if (plan == NULL) {
        return NULL;
    }
    for (int i = 0; i < nparams; i++) {
        plan->src[i] = b.arg[i] >= 0 ? 1 + b.arg[i] - bound : -1;
        plan->defaults[i] = b.arg[i] >= 0 ? NULL : pj_params_default(p, i);
    }
    plan->has_varargs = p->varargs;
    plan->vararg_first = 1 + b.vararg_first - bound;
    plan->nvarargs = b.nvarargs;
    return plan;
}

static PjType *
type_of_default(PjCompile *cx, PyObject *def)
{
    return pj_type_of_constant(cx, def);
}

/* The parameter of info called `name`, or -1. */
static int
param_named(PjFuncInfo *info, const char *name)
{
    PyObject *names = PyObject_GetAttrString(info->code, "co_varnames");
    int n = info->argcount + info->kwonlycount, found = -1;
    for (int i = 0; names != NULL && i < n && found < 0; i++) {
        if (PyUnicode_CompareWithASCIIString(PyTuple_GET_ITEM(names, i),
                                             name) == 0) {
            found = i;
        }
    }
    Py_XDECREF(names);
    PyErr_Clear();
    return found;
}

/* Whether the library function is the one named `fname`. */
static bool
is_named(PjFuncInfo *info, const char *fname)
{
    PyObject *name = PyObject_GetAttrString(info->code, "co_name");
    bool is = name != NULL
              && PyUnicode_CompareWithASCIIString(name, fname) == 0;
    Py_XDECREF(name);
    PyErr_Clear();
    return is;
}

/* Whether the library function adds the dimension its axis names
   (np.expand_dims), so that the axis may be one past the array's. */
static bool
adds_axis(PjFuncInfo *info)
{
    return is_named(info, "expand_dims");
}

/* The axis of a library reduction (its parameter named axis) is an
   integer or None; a constant one is checked against the array's
   dimensions now, so that the mistake is reported at the call rather
   than when it runs. */
static int
check_library_axis(Infer *in, PjInstr *ins, PjCallPlan *plan,
                   PjFuncInfo *info, PjType **argtys)
{
    int i = param_named(info, "axis");
    if (i <= 0 || is_named(info, "_sliding_window_view")) {
        return 0;               /* its axis may be a tuple, checked there */
    }
    if (argtys[i]->kind != PJ_TK_NONE && !pj_type_is_integer(argtys[i])) {
        return FAIL(in, ins, "axis must be an integer or None, not %s",
                    pj_type_str(argtys[i]));
    }
    PyObject *k = plan->src[i] >= 0 ? pj_ir_const_of(ins->src[plan->src[i]])
                                    : NULL;
    if (k == NULL || !PyLong_CheckExact(k)
        || !pj_type_is_array(argtys[0])) {
        return 0;
    }
    int overflow, nd = pj_array_ndim(argtys[0]) + adds_axis(info);
    long long axis = PyLong_AsLongLongAndOverflow(k, &overflow);
    if (!overflow && axis >= -nd && axis < nd) {
        return 0;
    }
    PyObject *text = PyObject_Str(k);
    int rc = text ? FAIL(in, ins, "axis %s is out of bounds for an array of "
                         "dimension %d", PyUnicode_AsUTF8(text), nd) : -1;
    Py_XDECREF(text);
    return rc;
}

/* np.linalg.cholesky for a variable defined as the attributes
   np.linalg.cholesky (or la.cholesky, la the module numpy.linalg): the
   NumPy module the chain starts from, spelled np, and the names read. */
static const char *
getattr_path(PjArena *arena, PjVar *f)
{
    if (f->ndefs != 1 || f->def->op != PJ_OP_GETATTR) {
        PyObject *mod = pj_ir_const_of(f);
        const char *name = mod && PyModule_Check(mod)
                           ? PyModule_GetName(mod) : NULL;
        PyErr_Clear();
        if (name == NULL || strncmp(name, "numpy", 5) != 0
            || (name[5] != '\0' && name[5] != '.')) {
            return "np";
        }
        return pj_arena_printf(arena, "np%s", name + 5);
    }
    return pj_arena_printf(arena, "%s.%s",
                           getattr_path(arena, f->def->src[0]),
                           f->def->name);
}

/* How the user named the library function a call failed in: np.sum(),
   np.linalg.inv(), or array.sum() for a method (list.pop() on a list). */
static const char *
library_call_name(Infer *in, PjInstr *ins, PjType *fntype, bool bound)
{
    PjArena *arena = in->cx->arena;
    PjType *self = bound ? fntype->elems[0] : NULL;
    /* a ufunc given its output array is named as the ufunc */
    if (bound && !pj_type_is_callable_value(self)
        && !pj_type_is_dispatcher(self)) {
        return pj_arena_printf(arena, "%s.%s()", pj_kind(self)->name,
                               PyUnicode_AsUTF8(fntype->obj));
    }
    PjVar *f = ins->src[0];
    if (f->ndefs == 1 && f->def->op == PJ_OP_GETATTR) {
        return pj_arena_printf(arena, "%s()", getattr_path(arena, f));
    }
    PyObject *value = pj_ir_const_of(f);    /* from numpy import sum */
    PyObject *name = value ? PyObject_GetAttrString(value, "__name__")
                           : NULL;
    const char *text = name && PyUnicode_Check(name)
        ? pj_arena_printf(arena, "np.%s()", PyUnicode_AsUTF8(name))
        : pj_type_str(fntype);
    Py_XDECREF(name);
    PyErr_Clear();
    return text;
}

/* A call that failed to type is where its error is reported when the
   error has no place of its own (a library function's, passed up); an
   error in the library names the function the user called. */
static void
blame_call(Infer *in, PjInstr *ins, PjType *fntype, PyObject *disp,
           bool bound)
{
    PjDiag *d = in->cx->diag;
    if (d->loc.line == 0) {
        d->loc = ins->loc;
    }
    if (pj_library_owns(disp) && !pj_library_owns(in->cx->dispatcher)) {
        const char *name = library_call_name(in, ins, fntype, bound);
        const char *msg = name ? pj_arena_printf(in->cx->arena, "%s: %s",
                                                 name, d->msg) : NULL;
        d->msg = msg ? msg : d->msg;
    }
}

static int call_dispatcher(Infer *in, PjInstr *ins, PjType *fntype,
                           PyObject *disp, bool bound);

static int
infer_call_dispatcher(Infer *in, PjInstr *ins, PjType *fntype,
                      PyObject *disp, bool bound)
{
    int rc = call_dispatcher(in, ins, fntype, disp, bound);
    PjCompile *cx = in->cx;
    if (rc < 0 && cx->reporting && cx->diag != NULL && !PyErr_Occurred()) {
        blame_call(in, ins, fntype, disp, bound);
    }
    return rc;
}

/* What a value of type t is passed to a jitted function as: a constant
   string as a string, a class naming a number type as a value (dtype.c),
   anything else as itself. */
PjType *
pj_type_passed(PjType *t)
{
    return pj_type_is_str(t) ? pj_type_unicode() : pj_dtype_passed(t);
}

/* A compile-time constant (a module, a class) has no value to pass: only
   values and functions as values specialize a callee.  A string constant
   is passed as the string it is. */
static int
check_passable(Infer *in, PjInstr *ins, PjFuncInfo *info, PjCallPlan *plan,
               PjType **argtys)
{
    for (int i = 0; i < plan->nparams; i++) {
        if (pj_type_is_const(argtys[i])) {
            return FAIL(in, ins, "cannot pass %s to %s: it has no "
                        "run-time value", pj_type_str(argtys[i]),
                        PyUnicode_AsUTF8(info->qualname));
        }
    }
    for (int k = 0; k < plan->nvarargs; k++) {
        PjType *t = type_of(ins->src[plan->vararg_first + k]);
        if (t != NULL && pj_type_is_const(pj_type_passed(t))) {
            return FAIL(in, ins, "cannot pass %s to %s: it has no "
                        "run-time value", pj_type_str(t),
                        PyUnicode_AsUTF8(info->qualname));
        }
    }
    return 0;
}

/* A number class passed to a library function (rng.random(dtype=
   np.float32)) arrives as a zero of the type it names, from which the
   library makes numbers and arrays of that type (lower.c converts the
   class to the zero). */
static PjType *
library_argument(PjType *t)
{
    PjType *n = pj_type_is_class(t) ? pj_class_target(t)
                                    : pj_dtype_value_names(t);
    return n != NULL && pj_type_is_number(n) ? n : t;
}

/* The callee's typing error, when the call is typed again with other
   argument types: the second try's error is the one reported. */
static void
forget_failure(PjCompile *cx)
{
    PyErr_Clear();
    cx->diag = NULL;
}

/* Whether argument i of the call is a constant with a Literal type. */
static PjType *
literal_argument(PjInstr *ins, PjCallPlan *plan, int i)
{
    if (i >= plan->nparams || plan->src[i] < 0) {
        return NULL;
    }
    PyObject *c = pj_ir_const_of(ins->src[plan->src[i]]);
    return c ? pj_type_literal(c) : NULL;
}

/* The constants among the arguments as Literal types, for an overload's
   second try (literal.c); false when there are none to make so. */
static bool
make_literal(PjInstr *ins, PjCallPlan *plan, PjType **argtys, int n)
{
    bool changed = false;
    for (int i = 0; i < n; i++) {
        PjType *lit = literal_argument(ins, plan, i);
        if (lit != NULL && argtys[i] != lit) {
            argtys[i] = lit;
            changed = true;
        }
    }
    return changed;
}

/* The callee's answer to literally() in it (a bit per parameter): the
   constants the call passes become Literal argument types (true: type
   the callee again), the caller's own parameters the caller's request. */
static int
answer_literal_request(Infer *in, PjInstr *ins, PjCallPlan *plan,
                       PjType **argtys, uint64_t request, bool *again)
{
    *again = false;
    for (int i = 0; i < plan->nparams && i < 64; i++) {
        if (!(request >> i & 1)) {
            continue;
        }
        if (plan->src[i] < 0) {
            return FAIL(in, ins, "Cannot request literal type: parameter "
                        "%d is left at its default", i);
        }
        PjType *lit;
        RETURN_IF_ERROR(pj_literal_answer(in->cx, ins,
                                          ins->src[plan->src[i]],
                                          "the function called", &lit));
        if (lit != NULL && argtys[i] == lit) {
            return FAIL(in, ins, "Repeated literal typing request: "
                        "argument %d is already %s", i, pj_type_str(lit));
        }
        if (lit != NULL) {
            argtys[i] = lit;
            *again = true;
        }
    }
    return 0;
}

static void
drop_saved_error(PyObject **exc)
{
    for (int i = 0; i < 3; i++) {
        Py_CLEAR(exc[i]);
    }
}

/* The callee's types for argtys: disp, or the implementation an overload
   chooses.  An overload is asked with the plain types first, then with
   the constants among the arguments as Literal types (the other way
   round with prefer_literal=True), as Numba asks; literally() in the
   callee is answered from the call (answer_literal_request). */
static PjCallee *
type_literal_callee(Infer *in, PjInstr *ins, PyObject *disp,
                    PjCallPlan *plan, PjType **argtys, int n)
{
    PjCompile *cx = in->cx;
    bool overload = pj_extending_is_template(disp);
    bool literal_first = overload && pj_extending_prefers_literal(disp);
    bool switched = false;      /* the overload's second try is made */
    PjDiag *preferred = NULL;   /* why the preferred (literal) try failed: */
    PyObject *exc[3] = {NULL, NULL, NULL};  /* a diagnosis or an error */
    PjType *plain[PJ_MAX_ARGS];
    memcpy(plain, argtys, sizeof(PjType *) * (size_t)n);
    if (literal_first) {
        make_literal(ins, plan, argtys, n);
    }
    for (int tries = 0; tries <= n + 1; tries++) {
        cx->callee_literal_request = 0;
        PyObject *impl = pj_extending_choose(cx, ins, disp, argtys, n);
        PjCallee *callee = impl == NULL ? NULL
            : cx->type_callee(cx, impl, argtys, n, cx->reporting);
        if (callee != NULL) {
            drop_saved_error(exc);
            return callee;
        }
        uint64_t request = cx->callee_literal_request;
        bool again = false;
        if (request != 0) {
            forget_failure(cx);
            if (answer_literal_request(in, ins, plan, argtys, request,
                                       &again) < 0) {
                drop_saved_error(exc);
                return NULL;
            }
        }
        if (!again && overload && !switched) {
            switched = true;
            if (literal_first) {
                preferred = cx->diag;
                PyErr_Fetch(&exc[0], &exc[1], &exc[2]);
            }
            again = literal_first
                ? memcmp(plain, argtys, sizeof(PjType *) * (size_t)n) != 0
                : make_literal(ins, plan, argtys, n);
            if (literal_first) {
                memcpy(argtys, plain, sizeof(PjType *) * (size_t)n);
            }
        }
        if (!again) {
            if (preferred != NULL || exc[0] != NULL) {
                /* with prefer_literal=True the Literal try is the one the
                   typing function is written for: its failure (its
                   implementation's) says more than the plain try's */
                PyErr_Clear();
                cx->diag = preferred;
                PyErr_Restore(exc[0], exc[1], exc[2]);
            }
            return NULL;
        }
        forget_failure(cx);
    }
    drop_saved_error(exc);
    return NULL;
}

/* A call to a jitted function: bind the arguments, then infer (or look
   up) the callee's specialization for their types. */
static int
call_dispatcher(Infer *in, PjInstr *ins, PjType *fntype, PyObject *disp,
                bool bound)
{
    PjCompile *cx = in->cx;
    if (!pj_extending_is_template(disp)
        && pj_dispatcher_ensure_info(disp) < 0) {
        return -1;
    }
    PjFuncInfo *info = pj_dispatcher_info(disp);
    if (info->has_varkw) {
        /* Its compile fails before any argument is typed, saying that
           **kwargs is not supported; binding the call first would only
           find keywords it does not know. */
        PjType *none[1] = {NULL};
        if (cx->type_callee(cx, disp, none, 0, cx->reporting) == NULL) {
            return -1;
        }
        return FAIL(in, ins, "cannot call %s: it has a **kwargs parameter",
                    PyUnicode_AsUTF8(info->qualname));
    }
    PjCallPlan *plan = plan_call(in, ins, disp, bound);
    if (plan == NULL) {
        return -1;
    }
    int n = plan->nparams + info->has_varargs;
    PjType *argtys[PJ_MAX_ARGS];
    for (int i = 0; i < plan->nparams; i++) {
        argtys[i] = plan->src[i] >= 0
                    ? type_of(ins->src[plan->src[i]])
                    : type_of_default(cx, plan->defaults[i]);
        if (argtys[i] == NULL) {
            return FAIL(in, ins, "cannot type argument '%d' of the call", i);
        }
    }
    if (bound) {
        argtys[0] = fntype->elems[0];   /* the object the method is bound to */
    }
    for (int i = 0; pj_library_owns(disp) && i < plan->nparams; i++) {
        argtys[i] = library_argument(argtys[i]);
    }
    for (int i = 0; i < plan->nparams; i++) {
        argtys[i] = pj_type_passed(argtys[i]);
    }
    for (int i = 0; i < plan->nparams; i++) {
        if (argtys[i]->code < 0) {
            /* a specialization is found by its argument types' codes */
            return FAIL(in, ins, "cannot pass %s to the jitted function %s: "
                        "functions, classes and modules are not arguments "
                        "of compiled calls", pj_type_str(argtys[i]),
                        PyUnicode_AsUTF8(info->qualname));
        }
    }
    RETURN_IF_ERROR(check_passable(in, ins, info, plan, argtys));
    if (pj_library_owns(disp)) {
        RETURN_IF_ERROR(check_library_axis(in, ins, plan, info, argtys));
    }
    if (info->has_varargs) {
        PjType *items[PJ_MAX_ARGS];
        for (int k = 0; k < plan->nvarargs; k++) {
            items[k] = pj_type_passed(type_of(ins->src[plan->vararg_first
                                                    + k]));
        }
        argtys[plan->nparams] = pj_type_tuple(items, plan->nvarargs);
    }
    PjCallee *callee = type_literal_callee(in, ins, disp, plan, argtys, n);
    if (callee == NULL) {
        return -1;
    }
    if (callee->depends_on < cx->depends_on) {
        cx->depends_on = callee->depends_on;
    }
    if (callee->restype == NULL) {
        return FAIL(in, ins, "cannot determine the return type of the "
                    "recursive call to %s: no base case returns a value "
                    "whose type is known", pj_type_str(fntype));
    }
    plan->callee = callee;
    ins->impl = NULL;
    if (callee->can_raise) {
        cx->can_raise = true;
    }
    return set_result(in, ins, callee->restype, callee->argtys,
                      callee->nargs);
}

/* fn(args...) where fn's kind says what calling it does: a builtin, a
   class, a method. */
static int
call_kind(PjCompile *cx, PjInstr *ins, PjType *fn, PjType **args, int nargs)
{
    const PjKind *k = pj_kind(fn);
    return k->type_call ? k->type_call(cx, ins, fn, args, nargs, ins->obj)
                        : 1;
}

/* x.name(args) as a for loop's iterable: the kind of x may make a lazy
   iterator rather than the container (str_split.c). */
static int
iterated_method(Infer *in, PjInstr *ins, PjType *fntype, PjType **args,
                int nargs)
{
    PjType *self = fntype->elems[0];
    const PjKind *k = pj_kind(self);
    if (k->type_iterated_method == NULL || ins->obj != NULL) {
        return 1;
    }
    if (pj_infer_plan_positional(in->cx, ins, nargs) == NULL) {
        return -1;
    }
    return k->type_iterated_method(in->cx, ins, self,
                                   PyUnicode_AsUTF8(fntype->obj), args,
                                   nargs);
}

/* The int attribute `name` of obj, or -1. */
static long
int_attribute(PyObject *obj, const char *name)
{
    PyObject *v = PyObject_GetAttrString(obj, name);
    long n = v && PyLong_Check(v) ? PyLong_AsLong(v) : -1;
    Py_XDECREF(v);
    PyErr_Clear();
    return n;
}

/* The NumPy ufunc whose implementation in the library fntype is (np.add
   for the library's add), or NULL (borrowed). */
static PyObject *
library_ufunc(PjType *fntype)
{
    return pj_type_is_dispatcher(fntype) && pj_library_owns(fntype->obj)
           ? pj_library_ufunc_of(fntype->obj) : NULL;
}

/* np.add(a, b, out) and np.sqrt(a, out=out), a NumPy ufunc of one result
   given its output array: the library's __ufunc_out<nin> (borrowed),
   which computes the ufunc and stores the result into out, as NumPy and
   Numba take an output array; NULL for any other call. */
static PyObject *
ufunc_out_call(PjInstr *ins, PjType *fntype, int nargs)
{
    if (nargs < 2) {
        return NULL;            /* an operand and the output at least */
    }
    PyObject *uf = pj_type_is_callable_value(fntype) ? fntype->obj
                   : library_ufunc(fntype);
    if (!pj_is_numpy_ufunc(uf)) {
        return NULL;
    }
    long nin = int_attribute(uf, "nin");
    PyObject *kw = ins->obj;
    Py_ssize_t nkw = kw ? PyTuple_GET_SIZE(kw) : 0;
    bool keyword = nkw == 1 && PyUnicode_CompareWithASCIIString(
                                   PyTuple_GET_ITEM(kw, 0), "out") == 0;
    if (int_attribute(uf, "nout") != 1 || nin < 1 || nin > 2
        || nargs != nin + 1 || (nkw != 0 && !keyword)) {
        return NULL;
    }
    return pj_library_array_method(NULL, nin == 1 ? "__ufunc_out1"
                                                  : "__ufunc_out2", false);
}

static int
infer_call(Infer *in, PjInstr *ins)
{
    if (ins->obj2 != NULL) {
        return -1;              /* f(*t): t's items are not known yet */
    }
    PjType *fntype = type_of(ins->src[0]);
    PjType *args[PJ_MAX_ARGS];
    int nargs = ins->nsrc - 1;
    for (int i = 0; i < nargs; i++) {
        if ((args[i] = type_of(ins->src[1 + i])) == NULL) {
            return -1;
        }
    }
    if (fntype == NULL) {
        return -1;
    }
    PyObject *with_out = ufunc_out_call(ins, fntype, nargs);
    if (with_out != NULL) {
        /* the ufunc is the first argument, as a method's object is */
        PjType *b = pj_type_bound(in->cx->arena, fntype, "out");
        return b ? infer_call_dispatcher(in, ins, b, with_out, true) : -1;
    }
    PyObject *uf = library_ufunc(fntype);
    if (uf != NULL) {
        int rc = pj_array_type_ufunc_operator(in->cx, ins, uf, args, nargs);
        if (rc < 0) {
            return -1;
        }
        if (rc == 0) {
            return ins->dst ? assign(in, ins, ins->dst, ins->resty) : 0;
        }
    }
    if (pj_type_is_dispatcher(fntype)) {
        return infer_call_dispatcher(in, ins, fntype, fntype->obj, false);
    }
    PyObject *ctor = pj_jitclass_constructor(fntype);
    if (ctor != NULL) {
        return infer_call_dispatcher(in, ins, fntype, ctor, false);
    }
    if (pj_type_is_bound(fntype) && ins->dst != NULL
        && ins->dst->only_iterated) {
        int rc = iterated_method(in, ins, fntype, args, nargs);
        if (rc <= 0) {
            return rc < 0 ? -1 : assign(in, ins, ins->dst, ins->resty);
        }
    }
    if (pj_type_is_bound(fntype)) {
        /* a.sum(): the library's implementation, with a as its first
           argument. */
        PyObject *disp = pj_library_method(fntype->elems[0],
                                           PyUnicode_AsUTF8(fntype->obj),
                                           in->cx->opts.parallel);
        if (disp != NULL) {
            return infer_call_dispatcher(in, ins, fntype, disp, true);
        }
    }
    in->cx->why = NULL;
    int rc = pj_jitclass_type_builtin(in->cx, ins, fntype, args, nargs);
    if (rc > 0) {
        rc = call_kind(in->cx, ins, fntype, args, nargs);
    }
    bool any_optional = false;
    for (int i = 0; i < nargs; i++) {
        any_optional |= is_optional(args[i]);
        args[i] = pj_type_unwrap(args[i]);
    }
    if (rc > 0 && any_optional) {
        rc = call_kind(in->cx, ins, fntype, args, nargs);
        in->cx->can_raise |= rc == 0;
    }
    if (rc > 0) {
        PjBuf b;
        pj_buf_init(&b);
        for (int i = 0; i < nargs; i++) {
            pj_buf_printf(&b, "%s%s", i ? ", " : "", pj_type_str(args[i]));
        }
        rc = FAIL(in, ins, "No implementation of function %s for argument "
                  "type(s) (%s)%s%s", pj_type_str(fntype),
                  b.data ? b.data : "", in->cx->why ? ": " : "",
                  in->cx->why ? in->cx->why : "");
        pj_buf_free(&b);
        pj_diag_during(in->cx, "typing of call");
        return rc;
    }
    if (rc < 0) {
        return -1;
    }
    if (ins->impl && ins->impl->can_raise) {
        in->cx->can_raise = true;
    }
    return ins->dst ? assign(in, ins, ins->dst, ins->resty) : 0;
}

/* --- indexing, tuples and iteration --- */

/* t[i], t[i, j], t[a:b], t[c] with a constant c: the kind of t knows. */
static int
infer_getitem(Infer *in, PjInstr *ins)
{
    PjType *t = type_of(ins->src[0]);
    PjType *idx = ins->op == PJ_OP_GETITEM ? type_of(ins->src[1]) : NULL;
    if (t == NULL || (ins->op == PJ_OP_GETITEM && idx == NULL)) {
        return -1;
    }
    const PjKind *k = pj_kind(t);
    in->cx->why = NULL;
    int rc = k->type_getitem ? k->type_getitem(in->cx, ins, t, idx) : 1;
    if (rc > 0 && is_optional(t)) {
        /* a[i] of an array or None: the array's, checked when used */
        PjType *inner = pj_type_unwrap(t);
        k = pj_kind(inner);
        rc = k->type_getitem ? k->type_getitem(in->cx, ins, inner, idx) : 1;
        in->cx->can_raise |= rc == 0;
    }
    if (rc > 0) {
        const char *why = in->cx->why;
        if (idx != NULL) {
            return FAIL(in, ins, "No implementation of getitem for (%s, %s)"
                        "%s%s", pj_type_str(t), pj_type_str(idx),
                        why ? ": " : "", why ? why : "");
        }
        return FAIL(in, ins, "No implementation of getitem for (%s, "
                    "constant)%s%s", pj_type_str(t), why ? ": " : "",
                    why ? why : "");
    }
    return rc < 0 ? -1 : (ins->dst ? assign(in, ins, ins->dst, ins->resty)
                                   : 0);
}

static int
infer_build_tuple(Infer *in, PjInstr *ins)
{
    if (pj_ir_spreads(ins)) {
        return -1;              /* (*t, x): t's items are not known yet */
    }
    PjType *items[PJ_MAX_ARGS];
    for (int i = 0; i < ins->nsrc; i++) {
        items[i] = type_of(ins->src[i]);
        if (items[i] == NULL) {
            return -1;
        }
    }
    RETURN_IF_ERROR(pj_type_build_tuple(in->cx, ins, items, ins->nsrc));
    return assign(in, ins, ins->dst, ins->resty);
}

/* a, b = t: the kind of t says whether it unpacks into that many. */
static int
infer_build_list(Infer *in, PjInstr *ins)
{
    PjType *items[PJ_MAX_ARGS];
    for (int i = 0; i < ins->nsrc; i++) {
        if ((items[i] = type_of(ins->src[i])) == NULL) {
            return -1;
        }
    }
    RETURN_IF_ERROR(pj_type_build_list(in->cx, ins, items, ins->nsrc));
    return assign(in, ins, ins->dst, ins->resty);
}

static int
infer_exhaust_iter(Infer *in, PjInstr *ins)
{
    PjType *t = type_of(ins->src[0]);
    if (t == NULL) {
        return -1;
    }
    const PjKind *k = pj_kind(t);
    int rc = k->type_unpack ? k->type_unpack(in->cx, ins, t, ins->sub) : 1;
    if (rc > 0 && is_optional(t)) {
        /* a, b = t of a tuple or None (after `if t is None: return`):
           the tuple's items, checked for None when unpacked */
        PjType *inner = pj_type_unwrap(t);
        k = pj_kind(inner);
        rc = k->type_unpack ? k->type_unpack(in->cx, ins, inner, ins->sub)
                            : 1;
        in->cx->can_raise |= rc == 0;
    }
    if (rc > 0) {
        return FAIL(in, ins, "cannot unpack a value of type %s",
                    pj_type_str(t));
    }
    return rc < 0 ? -1 : assign(in, ins, ins->dst, ins->resty);
}

static int
infer_getiter(Infer *in, PjInstr *ins)
{
    PjType *t = type_of(ins->src[0]);
    if (t == NULL) {
        return -1;
    }
    int rc = pj_type_getiter(in->cx, ins, t);
    if (rc > 0) {
        return FAIL(in, ins, "%s is not iterable", pj_type_str(t));
    }
    return rc < 0 ? -1 : assign(in, ins, ins->dst, ins->resty);
}

static int
infer_iternext(Infer *in, PjInstr *ins)
{
    PjType *t = type_of(ins->src[0]);
    if (t == NULL) {
        return -1;
    }
    in->cx->can_raise |= pj_type_iternext_raises(t);
    return set_result(in, ins, pj_type_pair(t->item), &t, 1);
}

static int
infer_pair(Infer *in, PjInstr *ins, bool first)
{
    PjType *t = type_of(ins->src[0]);
    if (t == NULL) {
        return -1;
    }
    RETURN_IF_ERROR(pj_choose(in->cx, ins, &pj_impl_pair,
                              first ? t->item : pj_t.boolean, &t, 1));
    return assign(in, ins, ins->dst, ins->resty);
}

/* --- operators --- */

static const char *
operator_symbol(PjInstr *ins)
{
    return ins->op == PJ_OP_UNARY ? pj_unop_syms[ins->sub]
           : ins->op == PJ_OP_COMPARE ? pj_cmpop_syms[ins->sub]
           : pj_binop_syms[ins->sub];
}

static int
report_no_impl(Infer *in, PjInstr *ins, PjType *a, PjType *b)
{
    const char *why = in->cx->why;
    int rc;
    if (b == NULL) {
        rc = FAIL(in, ins, "No implementation of unary %s for (%s)%s%s",
                  operator_symbol(ins), pj_type_str(a), why ? ": " : "",
                  why ? why : "");
    }
    else {
        rc = FAIL(in, ins, "No implementation of %s%s for (%s, %s)%s%s",
                  operator_symbol(ins), ins->op == PJ_OP_INPLACE ? "=" : "",
                  pj_type_str(a), pj_type_str(b), why ? ": " : "",
                  why ? why : "");
    }
    pj_diag_during(in->cx, pj_op_during[ins->op]);
    return rc;
}

/* The kind of the left operand is asked first, then the right one's, as
   Python asks __add__ and then __radd__. */
static int
type_operator(Infer *in, PjInstr *ins, PjType *a, PjType *b)
{
    const PjKind *ka = pj_kind(a), *kb = b ? pj_kind(b) : NULL;
    int rc = ka->type_operator ? ka->type_operator(in->cx, ins, a, b) : 1;
    if (rc > 0 && kb != NULL && kb != ka && kb->type_operator != NULL) {
        rc = kb->type_operator(in->cx, ins, a, b);
    }
    return rc;
}

static int
infer_operator(Infer *in, PjInstr *ins)
{
    PjType *a = type_of(ins->src[0]);
    PjType *b = ins->nsrc > 1 ? type_of(ins->src[1]) : NULL;
    if (a == NULL || (ins->nsrc > 1 && b == NULL)) {
        return -1;
    }
    in->cx->why = NULL;
    int rc = type_operator(in, ins, a, b);
    /* `not v` of an Optional is not v's truth (False for None), before
       the Optional is taken as its value */
    if (rc > 0 && ins->op == PJ_OP_UNARY && ins->sub == PJ_UN_NOT
        && pj_type_takes_truth(in->cx, a)) {
        rc = pj_choose(in->cx, ins, &pj_impl_not_truth, pj_t.boolean, &a, 1);
    }
    if (rc > 0 && (is_optional(a) || is_optional(b))) {
        rc = type_operator(in, ins, pj_type_unwrap(a), pj_type_unwrap(b));
        in->cx->can_raise |= rc == 0;      /* the value may be None */
    }
    if (rc > 0) {
        return report_no_impl(in, ins, a, b);
    }
    if (rc < 0) {
        return -1;
    }
    if (ins->impl && ins->impl->can_raise) {
        in->cx->can_raise = true;
    }
    return assign(in, ins, ins->dst, ins->resty);
}

/* --- attributes, conditions, returns, stores --- */

static int
infer_getattr(Infer *in, PjInstr *ins)
{
    PjType *t = type_of(ins->src[0]);
    if (t == NULL) {
        return -1;
    }
    const PjKind *k = pj_kind(t);
    in->cx->why = NULL;
    int rc = k->type_getattr ? k->type_getattr(in->cx, ins, t) : 1;
    if (rc > 0 && is_optional(t)) {
        /* a.x of an array or None, node.next of a node or None: the
           value's attribute, checked for None when used */
        PjType *inner = pj_type_unwrap(t);
        k = pj_kind(inner);
        rc = k->type_getattr ? k->type_getattr(in->cx, ins, inner) : 1;
        in->cx->can_raise |= rc == 0;
    }
    if (rc > 0) {
        rc = pj_extending_getattr(in->cx, ins, t);
    }
    if (rc > 0 && in->cx->reporting) {
        pj_diag(in->cx, PJ_ERR_TYPING, ins->loc,
                "Unknown attribute '%s' of type %s%s%s", ins->name,
                pj_type_str(t), in->cx->why ? ": " : "",
                in->cx->why ? in->cx->why : "");
        pj_diag_during(in->cx, "typing of get attribute");
    }
    if (rc > 0) {
        return -1;
    }
    return rc < 0 ? -1 : assign(in, ins, ins->dst, ins->resty);
}

static int
infer_branch(Infer *in, PjInstr *ins)
{
    PjType *t = type_of(ins->src[0]);
    if (t == NULL) {
        return -1;
    }
    if (!pj_type_takes_truth(in->cx, t)) {
        return FAIL(in, ins, "cannot use a value of type %s as a condition",
                    pj_type_str(t));
    }
    return pj_jitclass_type_truth(in->cx, pj_type_unwrap(t));
}

/* raise Cls(args) with arguments computed at run time. */
static int
infer_raise_values(Infer *in, PjInstr *ins)
{
    PjType *types[PJ_MAX_ARGS];
    for (int i = 0; i < ins->nsrc; i++) {
        if ((types[i] = type_of(ins->src[i])) == NULL) {
            return -1;
        }
    }
    int rc = pj_type_raise_values(in->cx, ins, types, ins->nsrc);
    if (rc > 0) {
        PjBuf b;
        pj_buf_init(&b);
        for (int i = 0; i < ins->nsrc; i++) {
            pj_buf_printf(&b, "%s%s", i ? ", " : "", pj_type_str(types[i]));
        }
        rc = FAIL(in, ins, "cannot raise an exception with arguments of "
                  "types (%s): they must be strings or numbers",
                  b.data ? b.data : "");
        pj_buf_free(&b);
    }
    return rc;
}

/* EXC_MATCH and RERAISE work on an exception an except clause caught. */
static int
infer_caught(Infer *in, PjInstr *ins)
{
    PjType *t = type_of(ins->src[0]);
    if (t == NULL) {
        return -1;
    }
    if (!pj_type_is_exception(t)) {
        return FAIL(in, ins, "cannot raise a value of type %s: compiled "
                    "code raises exception classes, their instances made "
                    "in the raise, and exceptions caught by except",
                    pj_type_str(t));
    }
    if (ins->op == PJ_OP_RERAISE) {
        in->cx->can_raise = true;
        return 0;
    }
    return set_result(in, ins, pj_t.boolean, NULL, 0);
}

/* The returned value joins the function's return type. */
static int
infer_cast(Infer *in, PjInstr *ins)
{
    PjCompile *cx = in->cx;
    PjType *t = type_of(ins->src[0]);
    if (t == NULL) {
        return -1;
    }
    if (pj_type_is_str(t)) {
        t = pj_type_unicode();      /* a string constant becomes a value */
    }
    if (pj_type_is_const(t)) {
        return FAIL(in, ins, "cannot return a value of type %s",
                    pj_type_str(t));
    }
    PjType *u = pj_type_unify(cx->restype, t);
    if (u == NULL) {
        return FAIL(in, ins, "Cannot unify the return types %s and %s",
                    pj_type_str(cx->restype), pj_type_str(t));
    }
    if (u != cx->restype) {
        cx->restype = u;
        in->changed = true;
    }
    ins->argtys = NULL;
    ins->resty = t;
    ins->dst->type = cx->restype;      /* final once inference ends */
    return 0;
}

static int
infer_setitem(Infer *in, PjInstr *ins)
{
    PjType *t = type_of(ins->src[0]);
    PjType *idx = type_of(ins->src[1]), *value = type_of(ins->src[2]);
    if (t == NULL || idx == NULL || value == NULL) {
        return -1;
    }
    const PjKind *k = pj_kind(t);
    in->cx->why = NULL;
    int rc = k->type_setitem ? k->type_setitem(in->cx, ins, t, idx, value)
                             : 1;
    if (rc > 0 && (is_optional(t) || is_optional(idx)
                   || is_optional(value))) {
        /* a[i] = x of an array or None, or of a value or index that may
           be None (a function's result that falls off its end, as
           Numba allows): each checked for None when used */
        PjType *inner = pj_type_unwrap(t);
        k = pj_kind(inner);
        rc = k->type_setitem ? k->type_setitem(in->cx, ins, inner,
                                               pj_type_unwrap(idx),
                                               pj_type_unwrap(value)) : 1;
        in->cx->can_raise |= rc == 0;
    }
    if (rc > 0) {
        const char *why = in->cx->why;
        return FAIL(in, ins, "No implementation of setitem for (%s, %s, %s)"
                    "%s%s", pj_type_str(t), pj_type_str(idx),
                    pj_type_str(value), why ? ": " : "", why ? why : "");
    }
    return rc;
}

/* obj.name = value: the kind of obj knows its attributes (an Optional
   object is checked for None). */
static int
infer_setattr(Infer *in, PjInstr *ins)
{
    PjType *t = type_of(ins->src[0]), *value = type_of(ins->src[1]);
    if (t == NULL || value == NULL) {
        return -1;
    }
    PjType *obj = pj_type_unwrap(t);
    const PjKind *k = pj_kind(obj);
    in->cx->why = NULL;
    int rc = k->type_setattr ? k->type_setattr(in->cx, ins, obj, value) : 1;
    in->cx->can_raise |= rc == 0 && obj != t;
    if (rc > 0) {
        const char *why = in->cx->why;
        return FAIL(in, ins, "Cannot set attribute '%s' of %s to a value "
                    "of type %s%s%s", ins->name, pj_type_str(t),
                    pj_type_str(value), why ? ": " : "", why ? why : "");
    }
    return rc;
}

/* An argument pyjit has no type for, whose kind it knows what to say
   about (a Python dict: pass a typed Dict), is the error itself, said
   first at the argument, rather than the first operation that fails on
   a pyobject; 0 otherwise. */
static int
refuse_argument(Infer *in, PjInstr *ins)
{
    PjCompile *cx = in->cx;
    int i = ins->sub;
    if (!cx->reporting || cx->untypable == NULL || !cx->untypable[i]
        || cx->argvalues == NULL) {
        return 0;
    }
    const char *why = pj_typeof_why_not(cx->argvalues[i]);
    if (why == NULL) {
        return 0;
    }
    pj_infer_fail(cx, ins, "argument %d: cannot determine pyjit type of "
                  "%s: %s", i, Py_TYPE(cx->argvalues[i])->tp_name, why);
    pj_diag_during(cx, "typing of argument");
    return -1;
}

static int
infer_instr(Infer *in, PjInstr *ins)
{
    switch (ins->op) {
    case PJ_OP_ARG:
        if (refuse_argument(in, ins) < 0) {
            return -1;
        }
        return set_result(in, ins, in->cx->argtys[ins->sub], NULL, 0);
    case PJ_OP_CONST: return infer_const(in, ins);
    case PJ_OP_GLOBAL: return infer_global(in, ins);
    case PJ_OP_COPY:
        return type_of(ins->src[0]) == NULL
               ? -1 : assign(in, ins, ins->dst, type_of(ins->src[0]));
    case PJ_OP_BINOP:
    case PJ_OP_INPLACE:
    case PJ_OP_UNARY:
    case PJ_OP_COMPARE: return infer_operator(in, ins);
    case PJ_OP_CALL: return infer_call(in, ins);
    case PJ_OP_GETATTR: return infer_getattr(in, ins);
    case PJ_OP_GETITEM:
    case PJ_OP_STATIC_GETITEM: return infer_getitem(in, ins);
    case PJ_OP_SETITEM: return infer_setitem(in, ins);
    case PJ_OP_SETATTR: return infer_setattr(in, ins);
    case PJ_OP_BUILD_TUPLE: return infer_build_tuple(in, ins);
    case PJ_OP_BUILD_LIST: return infer_build_list(in, ins);
    case PJ_OP_EXHAUST_ITER: return infer_exhaust_iter(in, ins);
    case PJ_OP_GETITER: return infer_getiter(in, ins);
    case PJ_OP_ITERNEXT: return infer_iternext(in, ins);
    case PJ_OP_PAIR_FIRST: return infer_pair(in, ins, true);
    case PJ_OP_PAIR_SECOND: return infer_pair(in, ins, false);
    case PJ_OP_CAST: return infer_cast(in, ins);
    case PJ_OP_BRANCH: return infer_branch(in, ins);
    case PJ_OP_RAISE:
        in->cx->can_raise = true;
        return ins->nsrc > 0 ? infer_raise_values(in, ins) : 0;
    case PJ_OP_CATCH:
        return set_result(in, ins, pj_type_exception(), NULL, 0);
    case PJ_OP_YIELD:
        return type_of(ins->src[0]) == NULL
               ? -1 : pj_generator_type_yield(in->cx, ins,
                                              type_of(ins->src[0]),
                                              &in->changed);
    case PJ_OP_EXC_MATCH:
    case PJ_OP_RERAISE: return infer_caught(in, ins);
    default:                    /* jump, return */
        return 0;
    }
}

/* --- pruning --- */

/* The variable v copies, through assignments of one definition each
   (`n = a.ndim` is `n = $1; $1 = getattr(a, ndim)`), or v itself. */
static PjVar *
copied_from(PjVar *v)
{
    while (v->ndefs == 1 && v->def->op == PJ_OP_COPY) {
        v = v->def->src[0];
    }
    return v;
}

/* An argument's type, known before inference starts, or an item's of a
   tuple argument (`arrays[0]`); NULL for others.  A parameter assigned
   again later is one when webs.c asks about a branch it still holds its
   argument at (cx->held_args). */
static PjType *
argument_type(PjCompile *cx, PjVar *v)
{
    v = copied_from(v);
    for (int k = 0; k < cx->nheld_args; k++) {
        if (cx->held_args[k]->dst == v) {
            return cx->argtys[cx->held_args[k]->sub];
        }
    }
    if (v->ndefs == 1 && v->def->op == PJ_OP_STATIC_GETITEM
        && v->def->obj == NULL) {
        PjType *t = argument_type(cx, v->def->src[0]);
        int i = v->def->sub;
        return t != NULL && pj_type_is_tuple(t) && i >= 0 && i < t->count
               ? pj_type_elem(t, i) : NULL;
    }
    if (v->ndefs != 1 || v->def->op != PJ_OP_ARG) {
        return NULL;
    }
    return cx->argtys[v->def->sub];
}

/* `arg is None` / `arg is not None` when the argument's type decides it,
   as Numba decides it for an argument left at its default of None:
   1 true, 0 false, -1 unknown. */
static int
none_test(PjCompile *cx, PjVar *c)
{
    if (c->ndefs != 1 || c->def->op != PJ_OP_COMPARE
        || (c->def->sub != PJ_CMP_IS && c->def->sub != PJ_CMP_ISNOT)) {
        return -1;
    }
    PjVar *a = c->def->src[0], *b = c->def->src[1];
    if (pj_ir_const_of(a) == Py_None) {
        PjVar *t = a;
        a = b;
        b = t;
    }
    PjType *t = argument_type(cx, a);
    if (pj_ir_const_of(b) != Py_None || t == NULL
        || pj_type_is_optional(t) || pj_type_is_pyobject(t)) {
        return -1;
    }
    bool is_none = t->kind == PJ_TK_NONE;
    return c->def->sub == PJ_CMP_IS ? is_none : !is_none;
}

static int dtype_test(PjCompile *cx, PjVar *c);

/* a.itemsize of an array argument's type, into *out. */
static bool
known_itemsize(PjType *t, long long *out)
{
    if (t == NULL || !pj_type_is_array(t)) {
        return false;
    }
    PjType *dt = t->elems[0];
    *out = pj_record_size(dt) ? pj_record_size(dt)
           : dt->kind == PJ_TK_BOOL ? 1 : dt->bits / 8;
    return true;
}

/* An int known when the function compiles: a constant, the ndim of an
   array argument, which Numba too treats as a constant (0 for a number,
   as for NumPy's scalars), its itemsize, or a dtype test of it (0 or
   1), so that the library's tests comparing two arguments' dtypes
   decide their branches. */
static bool
known_int(PjCompile *cx, PjVar *v, long long *out)
{
    v = copied_from(v);
    PyObject *k = pj_ir_const_of(v);
    if (k != NULL) {
        int overflow = 0;
        *out = PyLong_CheckExact(k)
               ? PyLong_AsLongLongAndOverflow(k, &overflow) : 0;
        return PyLong_CheckExact(k) && !overflow;
    }
    int test = dtype_test(cx, v);
    if (test >= 0) {
        *out = test;
        return true;
    }
    if (v->ndefs != 1 || v->def->op != PJ_OP_GETATTR) {
        return false;
    }
    PjType *t = argument_type(cx, v->def->src[0]);
    if (strcmp(v->def->name, "itemsize") == 0) {
        return known_itemsize(t, out);
    }
    if (strcmp(v->def->name, "ndim") != 0) {
        return false;
    }
    *out = t != NULL && pj_type_is_array(t) ? pj_array_ndim(t) : 0;
    return t != NULL && (pj_type_is_array(t) || pj_type_is_number(t)
                         || pj_type_is_datetime_like(t));
}

/* `a.ndim == 1`, `a.ndim > 2`: a comparison of an array argument's ndim
   with a constant, decided by its type, so that the code for the other
   dimensions is not typed: 1 true, 0 false, -1 unknown. */
static int
ndim_test(PjCompile *cx, PjVar *c)
{
    long long a, b;
    if (c->ndefs != 1 || c->def->op != PJ_OP_COMPARE
        || !known_int(cx, c->def->src[0], &a)
        || !known_int(cx, c->def->src[1], &b)) {
        return -1;
    }
    switch (c->def->sub) {
    case PJ_CMP_EQ: return a == b;
    case PJ_CMP_NE: return a != b;
    case PJ_CMP_LT: return a < b;
    case PJ_CMP_LE: return a <= b;
    case PJ_CMP_GT: return a > b;
    case PJ_CMP_GE: return a >= b;
    default: return -1;
    }
}

/* `_holds_integers(arg)`, `_holds_complex(arg)`, `_holds_strings(arg)`
   (the library's tests of
   an array argument's dtype, linalg.c): 1 true, 0 false, -1 unknown. */
static int
dtype_test(PjCompile *cx, PjVar *c)
{
    if (c->ndefs != 1 || c->def->op != PJ_OP_CALL || c->def->nsrc != 2) {
        return -1;
    }
    PyObject *fn = pj_ir_const_of(c->def->src[0]);
    PjType *t = argument_type(cx, c->def->src[1]);
    return fn != NULL && t != NULL ? pj_linalg_dtype_test(fn, t) : -1;
}

/* `isinstance(x, C)`, which the frontend made a call of
   pyjit/_isinstance.py's isinstance_of(x, key): decided by x's type, 1
   true, 0 false, -1 unknown (typing then reports why it cannot decide).
   x's type is an argument's, or one a sweep found for a value assigned
   once (`a[i]` of an array argument), which later sweeps do not change,
   so the branch the test rules out is left out of the final sweep. */
static int
isinstance_test(PjCompile *cx, PjVar *c)
{
    PyObject *mod = pj_state->isinstance_module;
    if (mod == NULL || c->ndefs != 1 || c->def->op != PJ_OP_CALL
        || c->def->nsrc != 3) {
        return -1;
    }
    PyObject *fn = pj_ir_const_of(c->def->src[0]);
    PyObject *key = pj_ir_const_of(c->def->src[2]);
    PjVar *x = c->def->src[1];
    PjType *t = argument_type(cx, x);
    t = t != NULL ? t : x->ndefs == 1 ? x->type : NULL;
    PyObject *test = fn ? PyObject_GetAttrString(mod, "isinstance_of") : NULL;
    PyErr_Clear();
    bool is_test = test != NULL && fn == test;
    Py_XDECREF(test);
    if (!is_test || key == NULL || t == NULL) {
        return -1;
    }
    PyObject *r = PyObject_CallMethod(mod, "decide", "OO", (PyObject *)t,
                                      key);
    int known = r ? PyObject_IsTrue(r) : -1;
    Py_XDECREF(r);
    PyErr_Clear();
    return known;
}

/* A test the argument types decide: 1 true, 0 false, -1 unknown. */
static int
type_test(PjCompile *cx, PjVar *c)
{
    if (c->ndefs == 1 && c->def->op == PJ_OP_UNARY
        && c->def->sub == PJ_UN_NOT) {
        int inner = type_test(cx, c->def->src[0]);
        return inner < 0 ? -1 : !inner;
    }
    int r = none_test(cx, c);
    r = r >= 0 ? r : dtype_test(cx, c);
    r = r >= 0 ? r : isinstance_test(cx, c);
    return r >= 0 ? r : ndim_test(cx, c);
}

/* The test of a branch the argument types decide when the parameters
   that held[0..nheld) define hold their arguments there (webs.c asks
   before it splits variables): 1 true, 0 false, -1 unknown. */
int
pj_branch_known(PjCompile *cx, PjVar *cond, PjInstr **held, int nheld)
{
    cx->held_args = held;
    cx->nheld_args = nheld;
    int r = type_test(cx, cond);
    cx->held_args = NULL;
    cx->nheld_args = 0;
    return r;
}

/* Whether x is a Python number or None: a constant whose truth and
   comparisons are Python's own when the function compiles. */
static bool
plain_constant(PyObject *x)
{
    return x != NULL && (PyBool_Check(x) || PyLong_CheckExact(x)
                         || PyFloat_CheckExact(x) || x == Py_None);
}

/* `a is b` / `a is not b` (sub) of two constants, one of them None: a
   variable holding None, such as an inner function's parameter left at
   its default of None (`if f is None:`), whose branches Numba prunes.
   1 true, 0 false, -1 unknown. */
static int
none_identity(PyObject *a, PyObject *b, int sub)
{
    if (!plain_constant(a) || !plain_constant(b)
        || (a != Py_None && b != Py_None)) {
        return -1;
    }
    bool same = a == b;
    return sub == PJ_CMP_IS ? same : !same;
}

/* The truth of c when constants decide it: a constant (a global flag,
   `if False:`), `not` of one, a comparison of two numbers (a closure's
   `com == 1`, as pandas' ewm kernels test their settings), or `is None`
   of a constant; Numba prunes branches on such tests too.  1 true, 0
   false, -1 unknown. */
static int
constant_truth(PjVar *c, int depth)
{
    PyObject *k = pj_ir_const_of(c);
    if (plain_constant(k)) {
        return PyObject_IsTrue(k);
    }
    if (c->ndefs != 1 || depth > 8) {
        return -1;
    }
    PjInstr *d = c->def;
    if (d->op == PJ_OP_UNARY && d->sub == PJ_UN_NOT) {
        int inner = constant_truth(d->src[0], depth + 1);
        return inner < 0 ? -1 : !inner;
    }
    static const int rich[] = {[PJ_CMP_EQ] = Py_EQ, [PJ_CMP_NE] = Py_NE,
                               [PJ_CMP_LT] = Py_LT, [PJ_CMP_LE] = Py_LE,
                               [PJ_CMP_GT] = Py_GT, [PJ_CMP_GE] = Py_GE};
    if (d->op != PJ_OP_COMPARE || d->sub > PJ_CMP_ISNOT || d->nsrc != 2) {
        return -1;
    }
    PyObject *a = pj_ir_const_of(d->src[0]), *b = pj_ir_const_of(d->src[1]);
    if (d->sub >= PJ_CMP_IS) {
        return none_identity(a, b, d->sub);
    }
    if (!plain_constant(a) || !plain_constant(b)
        || ((a == Py_None || b == Py_None) && d->sub > PJ_CMP_NE)) {
        return -1;
    }
    int r = PyObject_RichCompareBool(a, b, rich[d->sub]);
    if (r < 0) {
        PyErr_Clear();
    }
    return r;
}

/* Whether the value is known to be false when the function compiles: a
   test of constants (constant_truth), a test of an argument's type
   (against None, of an array's ndim), or the has-item flag of an
   iterator over an empty tuple, such as an empty *args. */
static bool
known_false(PjCompile *cx, PjVar *c)
{
    if (type_test(cx, c) == 0 || constant_truth(c, 0) == 0) {
        return true;
    }
    if (c->ndefs != 1 || c->def->op != PJ_OP_PAIR_SECOND) {
        return false;
    }
    PjVar *pair = c->def->src[0];
    if (pair->ndefs != 1 || pair->def->op != PJ_OP_ITERNEXT) {
        return false;
    }
    PjType *it = pair->def->src[0]->type;
    return pj_type_is_tuple_iter(it)
           && it->elems[0]->count == 0;
}

static bool
known_true(PjCompile *cx, PjVar *c)
{
    return type_test(cx, c) == 1 || constant_truth(c, 0) == 1;
}

/* The one target of a branch the function's constants or argument types
   decide, or NULL: the edge to the other is never taken, even when that
   block is reached another way (the join of an `if normalize:` on a
   global flag).  prange's analysis of reads before assignments
   (parallel.c) walks only this edge. */
PjBlock *
pj_decided_target(PjCompile *cx, PjInstr *branch)
{
    if (branch->op != PJ_OP_BRANCH) {
        return NULL;
    }
    PjVar *c = branch->src[0];
    return known_true(cx, c) ? branch->target[0]
           : known_false(cx, c) ? branch->target[1] : NULL;
}

static void
mark_live(PjCompile *cx, PjBlock *b)
{
    while (b != NULL && !b->reachable) {
        b->reachable = true;
        mark_live(cx, b->handler);
        PjInstr *t = b->last;
        if (t == NULL || (t->op != PJ_OP_JUMP && t->op != PJ_OP_BRANCH)) {
            return;
        }
        PjBlock *only = pj_decided_target(cx, t);
        if (only == NULL && t->op == PJ_OP_BRANCH) {
            mark_live(cx, t->target[1]);
        }
        b = only != NULL ? only : t->target[0];
    }
}

/* Blocks that run only when a condition known to be false holds are not
   typed, and not compiled: Numba prunes such branches too. */
static void
prune(PjCompile *cx)
{
    PjFunc *fn = cx->fn;
    for (int i = 0; i < fn->blocks.len; i++) {
        pj_ir_block(fn, i)->reachable = false;
    }
    mark_live(cx, pj_ir_block(fn, 0));
}

/* --- the sweeps --- */

/* The first operand of ins with no type yet, or NULL. */
static PjVar *
untyped_operand(PjInstr *ins)
{
    for (int k = 0; k < ins->nsrc; k++) {
        if (ins->src[k]->type == NULL) {
            return ins->src[k];
        }
    }
    return NULL;
}

/* In the final sweep an operand can only be untyped when everything
   assigned to it failed to type, or when nothing is. */
static int
report_untyped(Infer *in, PjInstr *ins)
{
    PjVar *v = untyped_operand(ins);
    return pj_diag(in->cx, PJ_ERR_TYPING, ins->loc,
                   "the type of '%s' cannot be determined%s",
                   v->is_temp ? "a value" : v->name,
                   v->ndefs == 0 ? ": it is never assigned" : "");
}

/* One pass over the reachable blocks.  Outside the final sweep, failures
   only mean "not yet" and record nothing.  In the final sweep a use of
   an untyped value is reported only when nothing else fails: the blocks
   are not in the order the code runs, and the assignment that failed to
   type (a method call whose own typing fails) is the error to show. */
static int
sweep(Infer *in)
{
    PjCompile *cx = in->cx;
    PjFunc *fn = cx->fn;
    PjInstr *first_untyped = NULL;
    prune(cx);
    for (int i = 0; i < fn->blocks.len; i++) {
        PjBlock *b = pj_ir_block(fn, i);
        if (!b->reachable) {
            continue;
        }
        for (PjInstr *ins = b->first; ins != NULL; ins = ins->next) {
            if (cx->reporting && untyped_operand(ins) != NULL) {
                first_untyped = first_untyped ? first_untyped : ins;
                continue;
            }
            int op = ins->op;
            if (pj_ir_spreads(ins)
                && (ins = pj_spread_tuples(cx, b, ins)) == NULL) {
                pj_diag_during(cx, pj_op_during[op]);
                return -1;
            }
            if (infer_instr(in, ins) < 0
                && (PyErr_Occurred() || cx->reporting)) {
                if (cx->reporting && !PyErr_Occurred() && cx->diag == NULL) {
                    pj_diag(cx, PJ_ERR_TYPING, ins->loc, "cannot type "
                            "this %s operation", pj_op_names[ins->op]);
                }
                pj_diag_during(cx, pj_op_during[ins->op]);
                return -1;
            }
        }
    }
    return first_untyped ? report_untyped(in, first_untyped) : 0;
}

/* A declared return type (or a type declared in locals=) converts the
   value as Numba's casts do, even when precision is lost: int32(int64),
   float32(float64), int64(float64), and tuples item by item.  Complex to
   real is refused. */
static bool
declared_cast_ok(PjType *from, PjType *to)
{
    if (pj_type_is_tuple(from) && pj_type_is_tuple(to)
        && from->count == to->count) {
        for (int i = 0; i < from->count; i++) {
            PjType *f = pj_type_elem(from, i), *t = pj_type_elem(to, i);
            if (f != t && !declared_cast_ok(f, t)) {
                return false;
            }
        }
        return true;
    }
    if (pj_type_is_optional(from) && !pj_type_is_optional(to)) {
        /* its value, and a TypeError for None when it runs, as Numba */
        return from->elems[0] == to || declared_cast_ok(from->elems[0], to);
    }
    return pj_type_is_number(from) && pj_type_is_number(to)
           && (from->kind != PJ_TK_COMPLEX || to->kind == PJ_TK_COMPLEX);
}

/* Every CAST produces the function's return type; with an explicit
   signature, the declared one. */
static int
finish_return_type(Infer *in)
{
    PjCompile *cx = in->cx;
    PjFunc *fn = cx->fn;
    PjType *ret = cx->declared_ret ? cx->declared_ret : cx->restype;
    for (int i = 0; i < fn->blocks.len; i++) {
        PjBlock *b = pj_ir_block(fn, i);
        for (PjInstr *ins = b->first; b->reachable && ins; ins = ins->next) {
            if (ins->op != PJ_OP_CAST) {
                continue;
            }
            if (cx->declared_ret && ins->resty != ret
                && pj_type_unify(ret, ins->resty) != ret
                && !declared_cast_ok(ins->resty, ret)) {
                return pj_diag(cx, PJ_ERR_TYPING, ins->loc,
                               "cannot return %s from a function declared to "
                               "return %s", pj_type_str(ins->resty),
                               pj_type_str(ret));
            }
            if (ins->resty != NULL && ret != NULL
                && pj_type_is_optional(ins->resty)
                && !pj_type_is_optional(ret)) {
                cx->can_raise = true;       /* TypeError for None */
            }
            ins->dst->type = ret;
        }
    }
    cx->restype = ret;
    return 0;
}

/* No value may stay a Python object: nopython mode requires it, and
   object mode, where @jit would run such code, is not there yet.  An
   argument counts even when unused. */
static int
check_all_typed(Infer *in)
{
    PjCompile *cx = in->cx;
    PjFunc *fn = cx->fn;
    for (int i = 0; i < fn->nargs; i++) {
        if (pj_type_is_pyobject(fn->args[i]->type)) {
            pj_diag(cx, PJ_ERR_TYPING, fn->args[i]->loc,
                    "non-precise type pyobject for argument '%s'",
                    fn->args[i]->name);
            pj_diag_during(cx, "typing of argument");
            return -1;
        }
    }
    for (int i = 0; i < fn->blocks.len; i++) {
        PjBlock *b = pj_ir_block(fn, i);
        for (PjInstr *ins = b->first; b->reachable && ins; ins = ins->next) {
            for (int k = 0; k < ins->nsrc; k++) {
                PjVar *v = ins->src[k];
                if (pj_type_is_pyobject(v->type)) {
                    pj_diag(cx, PJ_ERR_TYPING, ins->loc,
                            "non-precise type pyobject for '%s'",
                            v->is_temp ? "a value" : v->name);
                    pj_diag_during(cx, "typing of argument");
                    return -1;
                }
            }
        }
    }
    if (cx->restype == NULL && cx->can_raise) {
        /* it only ever raises, as Numba types it */
        cx->restype = pj_t.none;
    }
    if (cx->restype == NULL) {
        PjLoc loc = pj_ir_block(fn, 0)->loc;
        return pj_diag(cx, PJ_ERR_TYPING, loc, "cannot determine the return "
                       "type of %s: no path returns a value whose type is "
                       "known", fn->name);
    }
    return 0;
}

/* A generator function returns a generator of what it yields; calling
   it makes a frame, which can fail for lack of memory. */
static int
type_generator(PjCompile *cx)
{
    cx->restype = pj_type_generator(cx->yield_type ? cx->yield_type
                                                   : pj_t.none);
    cx->can_raise = true;
    if (cx->declared_ret != NULL && cx->declared_ret != cx->restype) {
        return pj_diag(cx, PJ_ERR_TYPING, pj_ir_block(cx->fn, 0)->loc,
                       "%s is a generator function: it returns %s, not the "
                       "declared %s", cx->fn->name,
                       pj_type_str(cx->restype),
                       pj_type_str(cx->declared_ret));
    }
    return 0;
}

/* locals={'x': float64}: the variables named have that type from the
   start; a name the function does not bind is ignored, as in Numba. */
static void
declare_locals(PjCompile *cx)
{
    PyObject *locals = cx->opts.locals;
    PjFunc *fn = cx->fn;
    for (int i = 0; locals != NULL && i < fn->vars.len; i++) {
        PjVar *v = fn->vars.items[i];
        if (v->is_temp) {
            continue;
        }
        PyObject *t = PyDict_GetItemString(locals, pj_ir_source_name(v));
        if (t != NULL) {
            v->type = (PjType *)t;
            v->declared = true;
        }
    }
}

int
pj_infer(PjCompile *cx)
{
    Infer in = {.cx = cx};
    declare_locals(cx);
    pj_generator_declared_yield(cx);
    cx->reporting = false;
    for (int rounds = 0;; rounds++) {
        in.changed = false;
        cx->can_raise = false;
        cx->depends_on = PJ_FINAL;
        cx->refined = false;
        RETURN_IF_ERROR(sweep(&in));
        if (!in.changed && !cx->refined) {
            break;
        }
        if (rounds > 1000) {
            PjLoc loc = {0, 0};
            return pj_diag(cx, PJ_ERR_TYPING, loc, "type inference does not "
                           "converge");
        }
    }
    /* A compile whose types depend on a function still being inferred
       further up (mutual recursion) reports nothing: what is unknown now
       may not be once that function's return type is; its caller asks
       again until then. */
    bool provisional = pj_compile_provisional(cx);
    cx->reporting = !provisional;
    cx->can_raise = false;
    cx->depends_on = PJ_FINAL;
    RETURN_IF_ERROR(sweep(&in));
    if (cx->is_generator) {
        RETURN_IF_ERROR(type_generator(cx));
    }
    if (provisional) {
        return cx->restype ? finish_return_type(&in) : 0;
    }
    RETURN_IF_ERROR(check_all_typed(&in));
    return finish_return_type(&in);
}

/* --- what typers record --- */

/* Records the implementation chosen for ins: its result type, the types
   its operands are converted to.  The only writer of these. */
int
pj_choose(PjCompile *cx, PjInstr *ins, const PjImpl *impl, PjType *resty,
          PjType **argtys, int n)
{
    return pj_choose_plan(cx, ins, impl, resty, argtys, n, (PjPlan){0});
}

/* The same, with what the implementation decided for its lowering. */
int
pj_choose_plan(PjCompile *cx, PjInstr *ins, const PjImpl *impl,
               PjType *resty, PjType **argtys, int n, PjPlan plan)
{
    ins->impl = impl;
    ins->resty = resty;
    ins->plan = plan;
    if (n > 0) {
        ins->argtys = PJ_NEW_N(cx->arena, PjType *, n);
        if (ins->argtys == NULL) {
            return -1;
        }
        memcpy(ins->argtys, argtys, sizeof(PjType *) * (size_t)n);
    }
    return 0;
}

/* A typing error at ins, recorded only in inference's last sweep: before
   it, an operand may still widen and the failure only means "not yet".
   Returns -1. */
int
pj_infer_fail(PjCompile *cx, PjInstr *ins, const char *fmt, ...)
{
    if (!cx->reporting) {
        return -1;
    }
    va_list ap;
    va_start(ap, fmt);
    char *msg = pj_arena_vprintf(cx->arena, fmt, ap);
    va_end(ap);
    return pj_diag(cx, PJ_ERR_TYPING, ins->loc, "%s", msg ? msg : fmt);
}

/* A typer learned more about a variable than its assignments say (an
   empty list is a list of what is appended to it, an empty dict maps the
   key and value types stored in it further on): v widens to include t,
   and so do the variables v was copied from (the temporaries that made
   it, on every path), and inference sweeps again. */
#define REFINE_MAX 64

static void
refine_from(PjCompile *cx, PjVar *v, PjType *t, PjVar **seen, int *nseen)
{
    for (int i = 0; i < *nseen; i++) {
        if (seen[i] == v) {
            return;             /* copied in a cycle */
        }
    }
    PjType *u = v->type ? pj_type_unify(v->type, t) : t;
    if (u == NULL || *nseen == REFINE_MAX) {
        return;                 /* the typing of the use says why */
    }
    seen[(*nseen)++] = v;
    if (u != v->type) {
        v->type = u;
        cx->refined = true;
    }
    PjFunc *fn = cx->fn;
    for (int i = 0; i < fn->blocks.len; i++) {
        PjBlock *b = pj_ir_block(fn, i);
        for (PjInstr *ins = b->first; ins != NULL; ins = ins->next) {
            if (ins->op == PJ_OP_COPY && ins->dst == v) {
                refine_from(cx, ins->src[0], t, seen, nseen);
            }
        }
    }
}

void
pj_infer_refine(PjCompile *cx, PjVar *v, PjType *t)
{
    PjVar *seen[REFINE_MAX];
    int nseen = 0;
    refine_from(cx, v, t, seen, &nseen);
}
