/*
** entry_point.c - one specialization called directly from Python:
** `f.overloads[sig].entry_point(*args)`, as Numba's CompileResult offers it.
**
** Code that calls a jitted function many times with the same types (a
** search index answering queries) takes the entry point of the
** specialization it wants and calls it, skipping the dispatcher's
** resolution.  The entry point types each argument as the dispatcher does
** and converts a number to the parameter's number type where a call with
** explicit signatures would; any other argument of another type is a
** TypeError naming it, never a call of the code with a value it does not
** take.  It holds the dispatcher, which owns the specialization.
*/
#include "pyjit.h"

#include <structmember.h>

typedef struct {
    PyObject_HEAD
    vectorcallfunc vectorcall;
    PyObject *dispatcher;
    PjOverload *ov;
    int nargs;
} EntryPoint;

static PyTypeObject *entry_point_type;

/* Argument i, arg of typecode code, made what parameter i of ov takes. */
static int
fit_argument(EntryPoint *e, int i, PyObject *arg, int code, PjValue *val)
{
    PjType *from = pj_type_from_code(code);
    PjType *to = pj_type_from_code(e->ov->codes[i]);
    if (code == e->ov->codes[i]) {
        return 0;
    }
    if (from == pj_t.pyobject) {
        const char *why = pj_typeof_why_not(arg);
        PyErr_Format(PyExc_TypeError, "the entry point of %U%R: argument "
                     "%d has no type compiled code takes%s%s",
                     pj_dispatcher_info(e->dispatcher)->qualname,
                     e->ov->sig, i, why ? ": " : "", why ? why : "");
        return -1;
    }
    if (pj_type_conversion_cost(from, to) < 0) {
        PyErr_Format(PyExc_TypeError, "the entry point of %U%R: argument "
                     "%d is %s, which it does not take",
                     pj_dispatcher_info(e->dispatcher)->qualname,
                     e->ov->sig, i, pj_type_str(from));
        return -1;
    }
    return pj_value_convert(val, from, to);
}

static PyObject *
entry_point_vectorcall(PyObject *self, PyObject *const *args, size_t nargsf,
                       PyObject *kwnames)
{
    EntryPoint *e = (EntryPoint *)self;
    Py_ssize_t n = PyVectorcall_NARGS(nargsf);
    if (kwnames != NULL || n != e->nargs) {
        PyErr_Format(PyExc_TypeError, "the entry point of %U%R takes %d "
                     "positional arguments",
                     pj_dispatcher_info(e->dispatcher)->qualname, e->ov->sig,
                     e->nargs);
        return NULL;
    }
    if (e->ov->objmode_call != NULL) {
        return PyObject_Vectorcall(e->ov->objmode_call, args, (size_t)n,
                                   NULL);
    }
    PjValue small[PJ_SMALL_ARGS];
    PjValue *vals = n > PJ_SMALL_ARGS
                    ? PyMem_Malloc(sizeof(PjValue) * (size_t)n) : small;
    if (vals == NULL) {
        return PyErr_NoMemory();
    }
    PyObject *res = NULL;
    int i = 0;
    for (; i < n; i++) {
        int code = pj_typeof_arg(args[i], &vals[i]);
        if (code < 0 || fit_argument(e, i, args[i], code, &vals[i]) < 0) {
            break;
        }
    }
    if (i == n && (e->ov->entry != NULL || pj_overload_entry(e->ov) == 0)) {
        res = e->ov->entry(args, vals);
    }
    if (vals != small) {
        PyMem_Free(vals);
    }
    return res;
}

static int
entry_point_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(((EntryPoint *)self)->dispatcher);
    Py_VISIT(Py_TYPE(self));
    return 0;
}

static void
entry_point_dealloc(PyObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    Py_CLEAR(((EntryPoint *)self)->dispatcher);
    tp->tp_free(self);
    Py_DECREF(tp);
}

static PyMemberDef entry_point_members[] = {
    {"__vectorcalloffset__", T_PYSSIZET, offsetof(EntryPoint, vectorcall),
     READONLY, NULL},
    {NULL},
};

static PyType_Slot entry_point_slots[] = {
    {Py_tp_call, PyVectorcall_Call},
    {Py_tp_traverse, entry_point_traverse},
    {Py_tp_dealloc, entry_point_dealloc},
    {Py_tp_members, entry_point_members},
    {Py_tp_doc, "One compiled specialization, called directly."},
    {0, NULL},
};

static PyType_Spec entry_point_spec = {
    .name = "pyjit.EntryPoint",
    .basicsize = sizeof(EntryPoint),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC
             | Py_TPFLAGS_HAVE_VECTORCALL | Py_TPFLAGS_DISALLOW_INSTANTIATION,
    .slots = entry_point_slots,
};

/* The entry point of ov, of nargs parameters, a specialization of
   dispatcher (a new reference). */
PyObject *
pj_entry_point_new(PyObject *dispatcher, PjOverload *ov, int nargs)
{
    if (entry_point_type == NULL) {
        entry_point_type = (PyTypeObject *)PyType_FromSpec(&entry_point_spec);
        if (entry_point_type == NULL) {
            return NULL;
        }
    }
    EntryPoint *e = PyObject_GC_New(EntryPoint, entry_point_type);
    if (e == NULL) {
        return NULL;
    }
    e->vectorcall = entry_point_vectorcall;
    e->dispatcher = Py_NewRef(dispatcher);
    e->ov = ov;
    e->nargs = nargs;
    PyObject_GC_Track(e);
    return (PyObject *)e;
}
