/*
** binder.c - how the arguments of a call map onto the parameters of what
** is called.
**
** One binder for every call: the dispatcher binds the Python objects of a
** call from Python, inference binds the variables of a CALL to a jitted
** function's parameters or to a builtin's.  Parameters (PjParams) come
** from a Python function's code object or, for builtins, from a spec in
** Python's own spelling ("number, ndigits=", "x, /", "*args").  Binding
** follows CPython: positional arguments fill the positional parameters,
** the rest go to *args; keywords name the others (not the positional-only
** ones); what is left takes its default; what has none is missing.  A
** failure is CPython's message, without the function's name, for the
** caller to raise as TypeError or to report as a typing error.
*/
#include "pyjit.h"

#include <stdio.h>
#include <string.h>

/* --- parameters --- */

static int
add_name(PyObject *list, const char *s, size_t n)
{
    PyObject *name = PyUnicode_FromStringAndSize(s, (Py_ssize_t)n);
    int rc = name ? PyList_Append(list, name) : -1;
    Py_XDECREF(name);
    return rc;
}

/* One parameter of a spec: "x", "x=", "/", "*", "*args", "**kw". */
static int
parse_param(PjParams *p, PyObject *names, const char *s, size_t n,
            bool *kwonly)
{
    if (n == 1 && s[0] == '/') {
        p->nposonly = p->npos;
        return 0;
    }
    if (n >= 2 && s[0] == '*' && s[1] == '*') {
        p->varkw = true;
        return 0;
    }
    if (s[0] == '*') {
        p->varargs = n > 1;
        *kwonly = true;
        return 0;
    }
    bool optional = s[n - 1] == '=';
    RETURN_IF_ERROR(add_name(names, s, optional ? n - 1 : n));
    if (*kwonly) {
        p->nkwonly++;
        if (optional) {
            Py_ssize_t last = PyList_GET_SIZE(names) - 1;
            PyObject *name = PyList_GET_ITEM(names, last);
            RETURN_IF_ERROR(PyDict_SetItem(p->kwdefaults, name, Py_None));
        }
        return 0;
    }
    p->npos++;
    p->ndefaults += optional;
    return 0;
}

/* The parameters a spec in Python's spelling names: "a, b=, *, c=". */
int
pj_params_parse(PjParams *p, const char *fname, const char *spec)
{
    memset(p, 0, sizeof(*p));
    PyObject *names = PyList_New(0);
    p->kwdefaults = PyDict_New();
    p->fname = PyUnicode_FromString(fname);
    bool kwonly = false;
    int rc = names && p->kwdefaults && p->fname ? 0 : -1;
    for (const char *s = spec; rc == 0 && *s != '\0';) {
        while (*s == ' ' || *s == ',') {
            s++;
        }
        size_t n = strcspn(s, ", ");
        if (n > 0) {
            rc = parse_param(p, names, s, n, &kwonly);
        }
        s += n;
    }
    if (rc == 0) {
        p->names = PyList_AsTuple(names);
    }
    Py_XDECREF(names);
    return p->names ? 0 : -1;
}

/* The parameters a code object names, without their defaults (the
   caller says which may be left out): fname is for messages. */
int
pj_params_of_code(PjParams *p, PyObject *code, PyObject *fname)
{
    PyCodeObject *co = (PyCodeObject *)code;
    memset(p, 0, sizeof(*p));
    p->npos = co->co_argcount;
    p->nposonly = co->co_posonlyargcount;
    p->nkwonly = co->co_kwonlyargcount;
    p->varargs = (co->co_flags & CO_VARARGS) != 0;
    p->varkw = (co->co_flags & CO_VARKEYWORDS) != 0;
    p->fname = Py_NewRef(fname);
    PyObject *varnames = PyCode_GetVarnames(co);
    if (varnames != NULL) {
        p->names = PyTuple_GetSlice(varnames, 0, p->npos + p->nkwonly);
        Py_DECREF(varnames);
    }
    return p->names ? 0 : -1;
}

/* The parameters of a Python function: its code object's, with its
   defaults (borrowed from the function, which outlives the binding). */
int
pj_params_of_function(PjParams *p, PyObject *func)
{
    PyObject *fname = PyObject_GetAttrString(func, "__name__");
    int rc = fname ? pj_params_of_code(p, PyFunction_GET_CODE(func), fname)
                   : -1;
    Py_XDECREF(fname);
    if (rc < 0) {
        return -1;
    }
    PyObject *defaults = PyFunction_GET_DEFAULTS(func);
    p->defaults = Py_XNewRef(defaults);
    p->ndefaults = defaults ? (int)PyTuple_GET_SIZE(defaults) : 0;
    p->kwdefaults = Py_XNewRef(PyFunction_GET_KW_DEFAULTS(func));
    return 0;
}

void
pj_params_clear(PjParams *p)
{
    Py_CLEAR(p->names);
    Py_CLEAR(p->defaults);
    Py_CLEAR(p->kwdefaults);
    Py_CLEAR(p->fname);
}

int
pj_params_count(const PjParams *p)
{
    return p->npos + p->nkwonly;
}

PyObject *
pj_params_name(const PjParams *p, int i)
{
    return PyTuple_GET_ITEM(p->names, i);
}

/* Whether parameter i may be left out. */
bool
pj_params_has_default(const PjParams *p, int i)
{
    if (i < p->npos) {
        return i >= p->npos - p->ndefaults;
    }
    return p->kwdefaults != NULL
           && PyDict_GetItemWithError(p->kwdefaults,
                                      pj_params_name(p, i)) != NULL;
}

/* The default value of parameter i (borrowed), or NULL when it has none
   or when the parameters come from a spec (a builtin's defaults are its
   typer's business). */
PyObject *
pj_params_default(const PjParams *p, int i)
{
    if (i < p->npos) {
        int first = p->npos - p->ndefaults;
        return i >= first && p->defaults != NULL
               ? PyTuple_GET_ITEM(p->defaults, i - first) : NULL;
    }
    if (p->kwdefaults == NULL) {
        return NULL;
    }
    PyObject *v = PyDict_GetItemWithError(p->kwdefaults, pj_params_name(p, i));
    PyErr_Clear();
    return v;
}

/* --- binding --- */

static int
fail(char *why, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, len, fmt, ap);
    va_end(ap);
    return -1;
}

static int
too_many(const PjParams *p, int npos, char *why, size_t len)
{
    int least = p->npos - p->ndefaults;
    if (least < p->npos) {
        return fail(why, len, "takes from %d to %d positional arguments but "
                    "%d were given", least, p->npos, npos);
    }
    return fail(why, len, "takes %d positional argument%s but %d %s given",
                p->npos, p->npos == 1 ? "" : "s", npos,
                npos == 1 ? "was" : "were");
}

/* The parameter keyword kw names, or -1. */
static int
param_named(const PjParams *p, PyObject *kw)
{
    for (int i = 0; i < pj_params_count(p); i++) {
        if (PyUnicode_Compare(pj_params_name(p, i), kw) == 0) {
            return i;
        }
    }
    return -1;
}

static int
bind_keyword(const PjParams *p, PjBinding *b, PyObject *kw, int argi,
             char *why, size_t len)
{
    int i = param_named(p, kw);
    const char *name = PyUnicode_AsUTF8(kw);
    if (i >= 0 && i < p->nposonly && !p->varkw) {
        return fail(why, len, "got some positional-only arguments passed as "
                    "keyword arguments: '%s'", name);
    }
    if (i < 0 || i < p->nposonly) {
        if (!p->varkw) {
            return fail(why, len, "got an unexpected keyword argument '%s'",
                        name);
        }
        b->extra[b->nextra++] = argi;       /* for **kwargs */
        return 0;
    }
    if (b->arg[i] != -1) {
        return fail(why, len, "got multiple values for argument '%s'", name);
    }
    b->arg[i] = argi;
    return 0;
}

/* CPython's "missing 2 required positional arguments: 'a' and 'b'". */
static int
missing(const PjParams *p, const PjBinding *b, int from, int to,
        const char *kind, char *why, size_t len)
{
    int n = 0, last = -1;
    char names[512] = "";
    size_t used = 0;
    for (int i = from; i < to; i++) {
        if (b->arg[i] == -1 && !pj_params_has_default(p, i)) {
            if (last >= 0) {
                used += (size_t)snprintf(names + used, sizeof(names) - used,
                                         "%s'%s'", n > 1 ? ", " : "",
                                         PyUnicode_AsUTF8(
                                             pj_params_name(p, last)));
            }
            last = i;
            n++;
        }
        if (used >= sizeof(names)) {
            used = sizeof(names) - 1;
        }
    }
    if (n == 0) {
        return 0;
    }
    return fail(why, len, "missing %d required %s argument%s: %s%s'%s'", n,
                kind, n == 1 ? "" : "s", names,
                n == 1 ? "" : n == 2 ? " and " : ", and ",
                PyUnicode_AsUTF8(pj_params_name(p, last)));
}

/* Binds a call with npos positional arguments followed by keyword
   arguments named kwnames (NULL for none).  b->arg must have room for
   every parameter, and b->extra for every keyword when p takes **kwargs.
   Returns 0, or -1 with CPython's reason in why. */
int
pj_bind(const PjParams *p, int npos, PyObject *kwnames, PjBinding *b,
        char *why, size_t len)
{
    int nkw = kwnames ? (int)PyTuple_GET_SIZE(kwnames) : 0;
    int nparams = pj_params_count(p);
    if (npos > p->npos && !p->varargs) {
        return too_many(p, npos, why, len);
    }
    for (int i = 0; i < nparams; i++) {
        b->arg[i] = i < npos && i < p->npos ? i : -1;
    }
    b->vararg_first = p->npos;
    b->nvarargs = npos > p->npos ? npos - p->npos : 0;
    b->nextra = 0;
    for (int k = 0; k < nkw; k++) {
        RETURN_IF_ERROR(bind_keyword(p, b, PyTuple_GET_ITEM(kwnames, k),
                                     npos + k, why, len));
    }
    RETURN_IF_ERROR(missing(p, b, 0, p->npos, "positional", why, len));
    return missing(p, b, p->npos, nparams, "keyword-only", why, len);
}
