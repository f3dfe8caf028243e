/*
** values.c - values known when a function compiles, and Python objects.
**
** A module, a builtin or library function, a jitted function, a class used
** as a conversion (np.float32) and a string constant have compile-local
** types holding the object itself (obj): they have no run-time value, and
** what compiled code does with them is decided while typing.  A method
** looked up on a value (x.conjugate) is bound to it and holds it.
**
** pyobject is the type of a value nopython code cannot handle: object mode
** runs such functions on the interpreter (objmode.c).
*/
#include "pyjit.h"

/* Compile-local types are made afresh by each inference sweep; two of them
   are the same type when they stand for the same constant. */
static PjType *
same_const(PjType *a, PjType *b)
{
    if (a->kind != b->kind || a->ident != b->ident) {
        return NULL;
    }
    if (a->kind == PJ_TK_BOUND) {
        return a->elems[0] == b->elems[0]
               && PyUnicode_Compare(a->obj, b->obj) == 0 ? a : NULL;
    }
    return a->obj == b->obj ? a : NULL;
}

static void
print_strlit(PjBuf *b, PjType *t)
{
    PyObject *s = PyObject_Str(t->obj);
    pj_buf_printf(b, "Literal[str](%s)", s ? PyUnicode_AsUTF8(s) : "?");
    Py_XDECREF(s);
}

static void
print_repr(PjBuf *b, const char *fmt, PyObject *obj)
{
    PyObject *r = PyObject_Repr(obj);
    pj_buf_printf(b, fmt, r ? PyUnicode_AsUTF8(r) : "?");
    Py_XDECREF(r);
}

static void
print_module(PjBuf *b, PjType *t)
{
    print_repr(b, "Module(%s)", t->obj);
}

static void
print_function(PjBuf *b, PjType *t)
{
    print_repr(b, "Function(%s)", t->obj);
}

static void
print_dispatcher(PjBuf *b, PjType *t)
{
    pj_buf_printf(b, "Dispatcher(%s)",
                  PyUnicode_AsUTF8(pj_dispatcher_info(t->obj)->qualname));
}

/* np.float32 prints as class(numpy.float32), int as Function(<class
   'int'>), as Numba prints them. */
static void
print_class(PjBuf *b, PjType *t)
{
    if (PyType_Check(t->obj) && PyObject_HasAttrString(t->obj, "dtype")) {
        pj_buf_printf(b, "class(%s)", ((PyTypeObject *)t->obj)->tp_name);
        return;
    }
    print_function(b, t);
}

static void
print_bound(PjBuf *b, PjType *t)
{
    pj_buf_printf(b, "BoundFunction(%s for %s)", PyUnicode_AsUTF8(t->obj),
                  pj_type_str(t->elems[0]));
}

static void
print_pyobject(PjBuf *b, PjType *Py_UNUSED(t))
{
    pj_buf_puts(b, "pyobject");
}

const PjKind pj_kind_strlit = {
    .name = "str",
    .print = print_strlit,
    .unify = same_const,
};

const PjKind pj_kind_module = {
    .name = "module",
    .print = print_module,
    .unify = same_const,
};

const PjKind pj_kind_function = {
    .name = "function",
    .print = print_function,
    .unify = same_const,
};

const PjKind pj_kind_dispatcher = {
    .name = "dispatcher",
    .print = print_dispatcher,
    .unify = same_const,
};

const PjKind pj_kind_class = {
    .name = "class",
    .print = print_class,
    .unify = same_const,
};

/* --- methods bound to a value --- */

/* A method looked up on a value: BoundFunction(conjugate for complex128). */
PjType *
pj_type_bound(PjArena *a, PjType *self, const char *method)
{
    PyObject *m = PyUnicode_FromString(method);
    if (m == NULL) {
        return NULL;
    }
    PjType *t = pj_type_const(a, PJ_TK_BOUND, m, 0, self);
    Py_DECREF(m);
    return t;
}

/* A bound method holds the value it is bound to, as that value. */
static LLVMTypeRef
bound_llvm_type(PjLower *lw, PjType *t)
{
    return pj_lower_type(lw, t->elems[0]);
}

static bool
bound_holds_memory(PjType *t)
{
    return pj_type_holds_memory(t->elems[0]);
}

static void
bound_meminfo(PjLower *lw, LLVMValueRef v, PjType *t, LLVMValueRef valid,
              PjMemFn f)
{
    pj_lower_each_meminfo(lw, v, t->elems[0], valid, f);
}

const PjKind pj_kind_bound = {
    .name = "bound method",
    .print = print_bound,
    .unify = same_const,
    .llvm_type = bound_llvm_type,
    .holds_memory = bound_holds_memory,
    .each_meminfo = bound_meminfo,
};

/* --- Python objects --- */

static LLVMTypeRef
pyobject_llvm_type(PjLower *lw, PjType *Py_UNUSED(t))
{
    return lw->t_ptr;
}

const PjKind pj_kind_pyobject = {
    .name = "pyobject",
    .print = print_pyobject,
    .llvm_type = pyobject_llvm_type,
};
