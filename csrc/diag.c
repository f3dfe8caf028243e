/*
** diag.c - compile diagnostics.
**
** A stage that finds a problem in the user's function records it with
** pj_diag (kind, source location, message) and returns -1; nothing else is
** done until the compile driver hands the diagnostic to pj_diag_raise,
** the one place where it becomes a Python exception:
**
**   Failed in nopython mode pipeline (step: nopython frontend)
**   Unknown attribute 'x' of type pyobject
**
**   File "script.py", line 5:
**   def add_object(a, b):
**       <source elided>
**       return a.x + b.x
**              ^
**
**   During: typing of get attribute at script.py (5)
**
**   This error may have been caused by the following argument(s):
**   - argument 0: cannot determine pyjit type of <class '__main__.MyInt'>
*/
#include "pyjit.h"

#include <stdio.h>

#include <string.h>

static const char *const step_names[] = {
    [PJ_STAGE_FRONTEND] = "convert to IR",
    [PJ_STAGE_INFER] = "nopython frontend",
    [PJ_STAGE_LOWER] = "native lowering",
    [PJ_STAGE_JIT] = "native compilation",
};

static PjStage
stage_of(PjErrKind kind)
{
    switch (kind) {
    case PJ_ERR_UNSUPPORTED: return PJ_STAGE_FRONTEND;
    case PJ_ERR_TYPING: return PJ_STAGE_INFER;
    default: return PJ_STAGE_LOWER;
    }
}

/* Records a diagnostic and returns -1.  The first one recorded wins: a
   stage reports the root cause, callers only propagate. */
int
pj_diag(PjCompile *cx, PjErrKind kind, PjLoc loc, const char *fmt, ...)
{
    if (cx->diag != NULL) {
        return -1;
    }
    PjDiag *d = PJ_NEW(cx->arena, PjDiag);
    if (d == NULL) {
        return -1;
    }
    va_list ap;
    va_start(ap, fmt);
    d->msg = pj_arena_vprintf(cx->arena, fmt, ap);
    va_end(ap);
    d->kind = kind;
    d->stage = stage_of(kind);
    d->loc = loc;
    cx->diag = d;
    return -1;
}

/* Names what was being done when the recorded diagnostic happened. */
void
pj_diag_during(PjCompile *cx, const char *during)
{
    if (cx->diag != NULL && cx->diag->during == NULL) {
        cx->diag->during = during;
    }
}

/* An LLVM error string becomes a lowering diagnostic; the string is
   disposed here. */
int
pj_diag_llvm(PjCompile *cx, const char *what, char *llvm_msg)
{
    PjLoc none = {0, 0};
    pj_diag(cx, PJ_ERR_LOWERING, none, "%s: %s", what,
            llvm_msg ? llvm_msg : "unknown LLVM error");
    if (llvm_msg != NULL) {
        LLVMDisposeMessage(llvm_msg);
    }
    return -1;
}

/* Source line `line` (1-based) without its newline, or NULL. */
static PyObject *
source_line(PjCompile *cx, int line)
{
    PyObject *lines = cx->info->lines;
    if (lines == NULL || line < 1 || line > PyList_GET_SIZE(lines)) {
        return NULL;
    }
    PyObject *s = PyList_GET_ITEM(lines, line - 1);
    return PyObject_CallMethod(s, "rstrip", NULL);
}

static const char *
base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* The column is a UTF-8 byte offset (as the AST gives it); the caret goes
   under the character that starts there. */
static void
print_caret(PjBuf *b, const char *text, int col)
{
    int width = 0;
    for (int i = 0; i < col && text[i] != '\0'; i++) {
        if (((unsigned char)text[i] & 0xC0) != 0x80) {
            width++;
        }
    }
    pj_buf_repeat(b, ' ', width);
    pj_buf_puts(b, "^\n");
}

static void
print_location(PjBuf *b, PjCompile *cx, PjLoc loc)
{
    const char *file = PyUnicode_AsUTF8(cx->info->filename);
    pj_buf_printf(b, "\nFile \"%s\", line %d:\n", file, loc.line);
    int def_line = cx->info->first_line;
    PyObject *node_line = PyObject_GetAttr(cx->info->node, pj_str("lineno"));
    if (node_line != NULL) {
        def_line = (int)PyLong_AsLong(node_line);
        Py_DECREF(node_line);
    }
    PyErr_Clear();
    if (def_line != loc.line) {
        PyObject *d = source_line(cx, def_line);
        if (d != NULL) {
            pj_buf_printf(b, "%s\n", PyUnicode_AsUTF8(d));
            Py_DECREF(d);
        }
        if (loc.line > def_line + 1) {
            pj_buf_puts(b, "    <source elided>\n");
        }
    }
    PyObject *s = source_line(cx, loc.line);
    if (s != NULL) {
        const char *text = PyUnicode_AsUTF8(s);
        pj_buf_printf(b, "%s\n", text);
        print_caret(b, text, loc.col);
        Py_DECREF(s);
    }
    PyErr_Clear();
}

static void
print_untypable_args(PjBuf *b, PjCompile *cx)
{
    bool any = false;
    for (int i = 0; i < cx->nargs; i++) {
        if (cx->untypable == NULL || !cx->untypable[i]) {
            continue;
        }
        if (!any) {
            pj_buf_puts(b, "\nThis error may have been caused by the "
                           "following argument(s):\n");
            any = true;
        }
        PyObject *cls = (PyObject *)Py_TYPE(cx->argvalues[i]);
        PyObject *r = PyObject_Repr(cls);
        const char *why = pj_typeof_why_not(cx->argvalues[i]);
        pj_buf_printf(b, "- argument %d: cannot determine pyjit type of %s%s%s"
                      "\n", i, r ? PyUnicode_AsUTF8(r) : "?",
                      why ? ": " : "", why ? why : "");
        Py_XDECREF(r);
    }
}

static PyObject *
error_class(PjErrKind kind)
{
    switch (kind) {
    case PJ_ERR_TYPING: return pj_state->typing_error;
    case PJ_ERR_UNSUPPORTED: return pj_state->unsupported_error;
    default: return pj_state->lowering_error;
    }
}

/* Raises the compile's diagnostic as a pyjit.errors exception.  Always
   returns -1.  An exception already set (MemoryError, an error raised by
   user code the compiler ran) is left as it is. */
int
pj_diag_raise(PjCompile *cx)
{
    if (PyErr_Occurred() || cx->diag == NULL) {
        if (!PyErr_Occurred()) {
            PyErr_SetString(PyExc_SystemError, "pyjit: compile failed "
                                               "without a diagnostic");
        }
        return -1;
    }
    PjDiag *d = cx->diag;
    PjBuf b;
    pj_buf_init(&b);
    pj_buf_printf(&b, "Failed in nopython mode pipeline (step: %s)\n%s\n",
                  step_names[d->stage], d->msg);
    if (d->loc.line > 0) {
        print_location(&b, cx, d->loc);
        if (d->during != NULL) {
            const char *file = PyUnicode_AsUTF8(cx->info->filename);
            pj_buf_printf(&b, "\nDuring: %s at %s (%d)\n", d->during,
                          base_name(file), d->loc.line);
        }
    }
    print_untypable_args(&b, cx);
    if (b.len > 0 && b.data[b.len - 1] == '\n') {
        b.data[--b.len] = '\0';
    }
    PyObject *msg = pj_buf_to_str(&b);
    if (msg != NULL) {
        PyErr_SetObject(error_class(d->kind), msg);
        Py_DECREF(msg);
    }
    return -1;
}

/* A warning of pyjit.errors' class cls_name at loc, as Numba warns while
   it compiles; -1 when a warnings filter makes it an error, which the
   compile then raises. */
int
pj_diag_warn(PjCompile *cx, const char *cls_name, PjLoc loc,
             const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    PyObject *errors = PyImport_ImportModule("pyjit.errors");
    PyObject *cls = errors ? PyObject_GetAttrString(errors, cls_name) : NULL;
    PyObject *text = cls ? PyUnicode_FromString(msg) : NULL;
    int rc = text ? PyErr_WarnExplicitObject(cls, text, cx->info->filename,
                                             loc.line, NULL, NULL) : -1;
    Py_XDECREF(text);
    Py_XDECREF(cls);
    Py_XDECREF(errors);
    return rc;
}

/* Prints a stage's output for PYJIT_DUMP: a header naming the function
   and its argument types, then the text. */
void
pj_diag_dump(PjCompile *cx, const char *title, PjBuf *text)
{
    fprintf(stderr, "---- %s: %s (", title,
            PyUnicode_AsUTF8(cx->info->qualname));
    for (int i = 0; i < cx->nargs; i++) {
        fprintf(stderr, "%s%s", i ? ", " : "", pj_type_str(cx->argtys[i]));
    }
    fprintf(stderr, ") ----\n%s\n", text->data ? text->data : "");
}

/* The same for a module built outside a compile (a ufunc's loop): a
   header naming it, then the text. */
void
pj_diag_dump_module(const char *title, const char *name, const char *text)
{
    fprintf(stderr, "---- %s: %s ----\n%s\n", title, name, text);
}

/* A TypingError a Python helper of the frontend raised (an objmode block
   or a literal_unroll loop that is wrong) becomes the compile's
   diagnostic at loc; any other exception stays set.  Returns -1. */
int
pj_diag_from_typing_error(PjCompile *cx, PjLoc loc, const char *during)
{
    if (!PyErr_ExceptionMatches(pj_state->typing_error)) {
        return -1;
    }
    PyObject *type, *exc, *tb;
    PyErr_Fetch(&type, &exc, &tb);
    PyErr_NormalizeException(&type, &exc, &tb);
    PyObject *msg = exc ? PyObject_Str(exc) : NULL;
    PyErr_Clear();
    pj_diag(cx, PJ_ERR_TYPING, loc, "%s",
            msg ? PyUnicode_AsUTF8(msg) : "invalid code");
    pj_diag_during(cx, during);
    Py_XDECREF(msg);
    Py_XDECREF(type);
    Py_XDECREF(exc);
    Py_XDECREF(tb);
    return -1;
}
