/*
** extending.c - the overloads of pyjit.extending: implementations chosen
** in Python for the argument types of each call.
**
** `@overload(func)` registers a typing function: given the argument types
** it returns the implementation (a Python function pyjit compiles) or
** None.  pyjit/extending.py wraps each typing function in a *template*, a
** dispatcher of the typing function itself, which compiled code calls as
** it calls any jitted function: the call binds its arguments to the
** template's parameters (so defaults and keywords work as Python's) and,
** with their types known, asks Python for the implementation, which is
** compiled for those types in the template's place.  `overload_method`
** works the same way for `x.name(...)`, the object being the first
** argument, and `overload_attribute` for `x.name`, a call of the
** implementation with x.
**
** Python hands its tables over once (pyjit.extending's import): the
** functions overloaded ({func: template}), the templates ({template:
** typing function}), and two callables, select(template, argtypes) and
** method(self type, name).  Until then none of this costs anything.
*/
#include "pyjit.h"

static PyObject *functions;     /* func -> template dispatcher */
static PyObject *templates;     /* template dispatcher -> typing function */
static PyObject *select_impl;   /* (template, argtypes) -> dispatcher */
static PyObject *method_impl;   /* (self type, name) -> template or None */
static PyObject *attribute_impl; /* the same for overload_attribute */

PyObject *
pj_extending_set_hooks(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *f, *t, *s, *m, *a;
    if (!PyArg_ParseTuple(args, "O!O!OOO", &PyDict_Type, &f, &PyDict_Type,
                          &t, &s, &m, &a)) {
        return NULL;
    }
    Py_XSETREF(functions, Py_NewRef(f));
    Py_XSETREF(templates, Py_NewRef(t));
    Py_XSETREF(select_impl, Py_NewRef(s));
    Py_XSETREF(method_impl, Py_NewRef(m));
    Py_XSETREF(attribute_impl, Py_NewRef(a));
    Py_RETURN_NONE;
}

/* The template of an overloaded function, or NULL (borrowed). */
PyObject *
pj_extending_function(PyObject *obj)
{
    if (functions == NULL) {
        return NULL;
    }
    PyObject *template = PyDict_GetItemWithError(functions, obj);
    if (template == NULL) {
        PyErr_Clear();          /* unhashable: not overloaded */
    }
    return template;
}

/* The template hook(self, name) names, or NULL (borrowed: the Python
   side keeps its templates). */
static PyObject *
member(PyObject *hook, PjType *self, const char *name)
{
    if (hook == NULL || self->code < 0) {
        return NULL;    /* a constant's type (a module) is no Python object */
    }
    PyObject *template = PyObject_CallFunction(hook, "Os", (PyObject *)self,
                                               name);
    if (template == NULL || template == Py_None) {
        PyErr_Clear();
        Py_XDECREF(template);
        return NULL;
    }
    Py_DECREF(template);
    return template;
}

/* The template of an overload_method of self's type named name, or
   NULL (borrowed). */
PyObject *
pj_extending_method(PjType *self, const char *name)
{
    return member(method_impl, self, name);
}

/* The parameters a typing function's ForceLiteralArg (pyjit.errors) asks
   the values of, a bit each (literal.c); 0 for any other exception. */
static uint64_t
literal_request_of(PyObject *exc)
{
    PyObject *args = exc ? PyObject_GetAttrString(exc, "requested_args")
                         : NULL;
    PyObject *it = args ? PyObject_GetIter(args) : NULL;
    uint64_t bits = 0;
    PyObject *item;
    while (it != NULL && (item = PyIter_Next(it)) != NULL) {
        long i = PyLong_AsLong(item);
        Py_DECREF(item);
        if (i >= 0 && i < 64) {
            bits |= (uint64_t)1 << i;
        }
    }
    Py_XDECREF(it);
    Py_XDECREF(args);
    PyErr_Clear();
    return bits;
}

/* The Python exception pending as a typing error of the call: the typing
   function's own TypingError says what it refuses, anything else it
   raised is a fault in it, named with its class. */
static int
report_exception(PjCompile *cx, PjInstr *ins)
{
    PyObject *type, *exc, *tb;
    PyErr_Fetch(&type, &exc, &tb);
    PyErr_NormalizeException(&type, &exc, &tb);
    Py_XDECREF(type);
    Py_XDECREF(tb);
    cx->callee_literal_request |= literal_request_of(exc);
    PyObject *text = exc ? PyObject_Str(exc) : NULL;
    const char *msg = text ? PyUnicode_AsUTF8(text) : NULL;
    bool own = exc && PyErr_GivenExceptionMatches(exc,
                                                  pj_state->typing_error);
    int rc = msg == NULL ? -1
             : own ? pj_infer_fail(cx, ins, "%s", msg)
             : pj_infer_fail(cx, ins, "%s raised in an overload's typing "
                             "function: %s", Py_TYPE(exc)->tp_name, msg);
    Py_XDECREF(text);
    Py_XDECREF(exc);
    PyErr_Clear();
    return rc;
}

/* Whether disp stands for an overloaded function (its typing function's
   dispatcher): it is never compiled, so its source is not needed (a
   typing function made by exec has none). */
bool
pj_extending_is_template(PyObject *disp)
{
    if (templates == NULL) {
        return false;
    }
    PyObject *t = PyDict_GetItemWithError(templates, disp);
    PyErr_Clear();
    return t != NULL;
}

/* Whether the overload disp stands for asks its typing function with the
   Literal types of constant arguments first (prefer_literal=True). */
bool
pj_extending_prefers_literal(PyObject *disp)
{
    PyObject *ov = templates ? PyDict_GetItemWithError(templates, disp)
                             : NULL;
    PyObject *v = ov ? PyObject_GetAttrString(ov, "prefer_literal") : NULL;
    bool yes = v != NULL && PyObject_IsTrue(v) == 1;
    Py_XDECREF(v);
    PyErr_Clear();
    return yes;
}

/* The dispatcher a call to disp compiles for argtys: disp itself, or the
   implementation an overload chose (borrowed: the Python side caches it
   per template and types).  NULL when there is none: a typing error is
   recorded in the reporting sweep. */
PyObject *
pj_extending_choose(PjCompile *cx, PjInstr *ins, PyObject *disp,
                    PjType **argtys, int n)
{
    if (templates == NULL || PyDict_GetItemWithError(templates, disp) == NULL) {
        return PyErr_Occurred() ? NULL : disp;
    }
    PyObject *types = PyTuple_New(n);
    for (int i = 0; types != NULL && i < n; i++) {
        PyTuple_SET_ITEM(types, i, Py_NewRef((PyObject *)argtys[i]));
    }
    PyObject *impl = types ? PyObject_CallFunctionObjArgs(select_impl, disp,
                                                          types, NULL)
                           : NULL;
    Py_XDECREF(types);
    if (impl == NULL) {
        report_exception(cx, ins);
        return NULL;
    }
    Py_DECREF(impl);
    return impl;
}

/* --- overload_attribute: x.name calls the implementation with x --- */

static LLVMValueRef
lower_attribute(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *restype;
    return pj_lower_call_callee(lw, (PjCallee *)ins->plan.ptr, args,
                                &restype);
}

static const PjImpl impl_attribute = {"overload_attribute",
                                      lower_attribute, false, true};
static const PjImpl impl_attribute_raising = {"overload_attribute",
                                              lower_attribute, true, true};

/* Types x.name through an overload_attribute of x's type: 0 when one
   chose, 1 when there is none, -1 on error. */
int
pj_extending_getattr(PjCompile *cx, PjInstr *ins, PjType *self)
{
    PyObject *template = member(attribute_impl, self, ins->name);
    if (template == NULL) {
        return 1;
    }
    PyObject *impl = pj_extending_choose(cx, ins, template, &self, 1);
    PjCallee *callee = impl ? cx->type_callee(cx, impl, &self, 1,
                                              cx->reporting) : NULL;
    if (callee == NULL) {
        return -1;
    }
    if (callee->restype == NULL) {
        return pj_infer_fail(cx, ins, "cannot determine the type of the "
                             "attribute '%s' of %s", ins->name,
                             pj_type_str(self));
    }
    if (callee->depends_on < cx->depends_on) {
        cx->depends_on = callee->depends_on;
    }
    cx->can_raise |= callee->can_raise;
    return pj_choose_plan(cx, ins, callee->can_raise ? &impl_attribute_raising
                                                     : &impl_attribute,
                          callee->restype, callee->argtys, 1,
                          (PjPlan){.ptr = callee});
}
