/*
** namedtuple.c - namedtuples: collections.namedtuple and typing.NamedTuple.
**
** A namedtuple is a tuple (tuples.c) whose type also holds its class
** (obj), as Numba's NamedUniTuple and NamedTuple: it prints as
** `P(int64 x 2)` or `P(int64, float64)`, and its values are the tuple's
** values, so indexing, unpacking, iteration, len, comparison and hashing
** are the tuple's.  What the class adds is here: `p.x` is item x of
** `_fields`, the class called in compiled code builds one (its `__new__`
** says the parameters and their defaults), and a value returned to Python
** becomes an object of the class again.  The class itself is a value
** known when the function compiles (NAMEDTUPLE_CLASS).
*/
#include "pyjit.h"

/* --- the classes --- */

/* Whether cls is a namedtuple class: a tuple subclass with `_fields` (a
   tuple of names) and `_make`, as both kinds of namedtuple make them. */
bool
pj_namedtuple_class_check(PyObject *cls)
{
    if (!PyType_Check(cls)
        || !PyType_IsSubtype((PyTypeObject *)cls, &PyTuple_Type)
        || cls == (PyObject *)&PyTuple_Type) {
        return false;
    }
    PyObject *fields = PyObject_GetAttrString(cls, "_fields");
    bool ok = fields != NULL && PyTuple_Check(fields)
              && PyObject_HasAttrString(cls, "_make");
    Py_XDECREF(fields);
    PyErr_Clear();
    return ok;
}

/* The type of a namedtuple of class cls with items of types elems: a
   UniTuple when they are all one type, as for plain tuples. */
PjType *
pj_type_named_tuple(PyObject *cls, PjType **elems, int n)
{
    return pj_type_tuple_of_class(cls, elems, n);
}

/* A tuple of the items elems, of the class of the tuple type t when it
   is a namedtuple's: t with other items. */
PjType *
pj_type_tuple_like(PjType *t, PjType **elems, int n)
{
    return t->obj != NULL ? pj_type_named_tuple(t->obj, elems, n)
                          : pj_type_tuple(elems, n);
}

/* P(int64 x 2), P(int64, float64): the class's name for the tuple's. */
void
pj_namedtuple_print(PjBuf *b, PjType *t)
{
    PyObject *name = PyType_GetName((PyTypeObject *)t->obj);
    const char *s = name ? PyUnicode_AsUTF8(name) : NULL;
    if (s == NULL) {
        PyErr_Clear();
        s = "?";
    }
    if (pj_type_is_unituple(t)) {
        pj_buf_printf(b, "%s(%s x %d)", s, pj_type_str(t->elems[0]),
                      t->count);
    }
    else {
        pj_type_print_parts(b, s, t);
    }
    Py_XDECREF(name);
}

/* --- p.x --- */

static LLVMValueRef
lower_field(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    return pj_part(lw, args[0], (unsigned)ins->plan.n);
}

static const PjImpl impl_field = {"namedtuple_field", lower_field, false,
                                  false};

/* The index of the field called name, or -1. */
static int
field_index(PyObject *cls, const char *name)
{
    PyObject *fields = PyObject_GetAttrString(cls, "_fields");
    int found = -1;
    for (Py_ssize_t i = 0; fields != NULL && i < PyTuple_GET_SIZE(fields)
                           && found < 0; i++) {
        PyObject *f = PyTuple_GET_ITEM(fields, i);
        if (PyUnicode_Check(f) && PyUnicode_CompareWithASCIIString(f, name)
                                  == 0) {
            found = (int)i;
        }
    }
    Py_XDECREF(fields);
    PyErr_Clear();
    return found;
}

/* p.x of a namedtuple: its item; 1 for a plain tuple or another name. */
int
pj_namedtuple_getattr(PjCompile *cx, PjInstr *ins, PjType *t)
{
    int i = t->obj != NULL ? field_index(t->obj, ins->name) : -1;
    if (i < 0 || i >= t->count) {
        return 1;
    }
    return pj_choose_plan(cx, ins, &impl_field, pj_type_elem(t, i), &t, 1,
                          (PjPlan){.n = i});
}

/* --- P(...) in compiled code --- */

static LLVMValueRef
lower_make(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    LLVMValueRef res = LLVMGetUndef(pj_lower_type(lw, ins->resty));
    for (int i = 0; i < ins->resty->count; i++) {
        res = LLVMBuildInsertValue(lw->b, res, args[i], (unsigned)i, "");
    }
    return res;
}

static const PjImpl impl_make = {"namedtuple_new", lower_make, false, false};

/* The parameters of the class's __new__, (_cls, x, y=...): a namedtuple
   is called as Python calls it, with its messages. */
static int
class_params(PjCompile *cx, PyObject *cls, PjParams *p)
{
    PyObject *new = PyObject_GetAttrString(cls, "__new__");
    if (new == NULL || !PyFunction_Check(new)) {
        Py_XDECREF(new);
        PyErr_Clear();
        cx->why = "its __new__ is not a Python function";
        return 1;
    }
    int rc = pj_params_of_function(p, new);
    Py_DECREF(new);
    if (rc < 0 || (p->defaults != NULL
                   && pj_arena_add_pyobject(cx->arena, p->defaults) < 0)) {
        pj_params_clear(p);
        return -1;
    }
    if (p->varargs || p->varkw || p->nkwonly > 0 || p->npos < 1) {
        pj_params_clear(p);
        cx->why = "its __new__ takes more than the fields";
        return 1;
    }
    return 0;
}

/* Binds the call's arguments to the fields, the class being __new__'s
   first argument; the plan gives each field its argument or default. */
static int
bind_fields(PjCompile *cx, PjInstr *ins, PjType *cls, const PjParams *p,
            int n, PyObject *kwnames)
{
    int nkw = kwnames ? (int)PyTuple_GET_SIZE(kwnames) : 0;
    int arg[PJ_MAX_ARGS + 1];
    PjBinding b = {.arg = arg};
    char why[256];
    if (pj_bind(p, n - nkw + 1, kwnames, &b, why, sizeof(why)) < 0) {
        return pj_infer_fail(cx, ins, "%s.__new__() %s",
                             ((PyTypeObject *)cls->obj)->tp_name, why);
    }
    int nfields = pj_params_count(p) - 1;
    PjCallPlan *plan = pj_infer_plan(cx, ins, nfields);
    if (plan == NULL) {
        return -1;
    }
    for (int i = 0; i < nfields; i++) {
        plan->src[i] = b.arg[i + 1] >= 0 ? b.arg[i + 1] : -1;
        plan->defaults[i] = b.arg[i + 1] >= 0 ? NULL
                                              : pj_params_default(p, i + 1);
    }
    return 0;
}

/* The type of field i's value: its argument's, or its default's. */
static PjType *
field_type(PjCompile *cx, PjInstr *ins, PjType **args, int i)
{
    PjCallPlan *plan = ins->call;
    PjType *t = plan->src[i] >= 0 ? args[plan->src[i] - 1]
                                  : pj_type_of_constant(cx, plan->defaults[i]);
    return t != NULL && pj_type_is_str(t) ? pj_type_unicode() : t;
}

static int
class_call(PjCompile *cx, PjInstr *ins, PjType *cls, PjType **args, int n,
           PyObject *kwnames)
{
    PjParams p;
    int rc = class_params(cx, cls->obj, &p);
    if (rc != 0) {
        return rc;
    }
    rc = bind_fields(cx, ins, cls, &p, n, kwnames);
    pj_params_clear(&p);
    RETURN_IF_ERROR(rc);
    int nfields = ins->call->nparams;
    PjType *elems[PJ_MAX_ARGS];
    for (int i = 0; i < nfields; i++) {
        elems[i] = field_type(cx, ins, args, i);
        if (elems[i] == NULL) {
            return -1;
        }
        if (pj_type_is_const(elems[i])) {
            return pj_infer_fail(cx, ins, "cannot put %s in the namedtuple "
                                 "%s", pj_type_str(elems[i]),
                                 pj_type_str(cls));
        }
    }
    PjType *t = pj_type_named_tuple(cls->obj, elems, nfields);
    return t ? pj_choose(cx, ins, &impl_make, t, elems, nfields) : -1;
}

/* The class as a value known when the function compiles, or NULL when obj
   is not a namedtuple class. */
PjType *
pj_namedtuple_class_type(PjCompile *cx, PyObject *obj)
{
    if (!pj_namedtuple_class_check(obj)) {
        return NULL;
    }
    return pj_type_const(cx->arena, PJ_TK_NAMEDTUPLE_CLASS, obj, 0, NULL);
}

static void
print_class(PjBuf *b, PjType *t)
{
    PyObject *r = PyObject_Repr(t->obj);
    pj_buf_printf(b, "class(%s)", r ? PyUnicode_AsUTF8(r) : "?");
    Py_XDECREF(r);
}

static PjType *
same_class(PjType *a, PjType *b)
{
    return a->obj == b->obj ? a : NULL;
}

const PjKind pj_kind_namedtuple_class = {
    .name = "namedtuple_class",
    .print = print_class,
    .unify = same_class,
    .type_call = class_call,
};

/* --- the boundary with Python --- */

/* An object of the namedtuple class of type `code` holding the items of
   the tuple (consumed); the class is found by typecode, so that the code
   holds no address. */
PyObject *
pj_rt_namedtuple_box(PyObject *tuple, int32_t code)
{
    if (tuple == NULL) {
        return NULL;
    }
    PyObject *cls = pj_type_from_code(code)->obj;
    PyObject *make = PyUnicode_InternFromString("_make");
    PyObject *obj = make ? PyObject_CallMethodOneArg(cls, make, tuple) : NULL;
    Py_XDECREF(make);
    Py_DECREF(tuple);
    return obj;
}

/* The namedtuple of type t from its items, boxed as a tuple. */
LLVMValueRef
pj_namedtuple_box(PjLower *lw, LLVMValueRef tuple, PjType *t)
{
    LLVMTypeRef p[2] = {lw->t_ptr, lw->t_i32};
    LLVMValueRef a[2] = {tuple, pj_lower_typecode(lw, t)};
    return pj_lower_helper(lw, "pj_rt_namedtuple_box", lw->t_ptr, p, a, 2);
}
