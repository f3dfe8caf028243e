/*
** literal.c - Numba's Literal types: an argument typed by its value.
**
** A Literal type stands for one int, bool or str value: Literal[int](2),
** Literal[bool](True), Literal[str](abc).  It is the type of an argument
** only, never of a variable: a function compiled with a Literal argument
** type has that parameter replaced by the constant (literal_params), so
** its body is typed and folded as if the value were written there, and
** the value passed at run time is a placeholder byte, as a function
** passed as a value is (functions.c).
**
** Literal types come from three places.
**   - An overload's typing function (extending.c) is asked first with
**     the plain types of the arguments, then, when that fails, with the
**     constants among them as Literal types, as Numba asks (a constant
**     `power(x, 2)` lets the typer see n.literal_value == 2).
**   - literally(n) of a parameter n asks for n's value: the function's
**     compile fails with a request (PjCompile.literal_request, a bit per
**     parameter).  Its caller answers the request: with the constant it
**     passed (the callee is compiled again with a Literal type there),
**     or by asking in turn for its own parameter; a call from Python is
**     compiled again with the argument's value (dispatcher.c).  A value
**     computed in the function cannot answer: that is a typing error.
**   - pyjit.types.literal(value), from Python.
**
** The kind's type is interned by (ident, value): ident says which of
** int, bool and str the value is, so Literal[int](1) and
** Literal[bool](True), equal as Python values, stay two types.
*/
#include "pyjit.h"

enum { LIT_INT, LIT_BOOL, LIT_STR };

/* The Literal type of value, or NULL (no exception) when value has none:
   an int of 64 bits, a bool or a str. */
PjType *
pj_type_literal(PyObject *value)
{
    int ident;
    if (PyBool_Check(value)) {
        ident = LIT_BOOL;
    }
    else if (PyLong_CheckExact(value)) {
        int overflow;
        PyLong_AsLongLongAndOverflow(value, &overflow);
        if (overflow != 0) {
            return NULL;
        }
        ident = LIT_INT;
    }
    else if (PyUnicode_CheckExact(value)) {
        ident = LIT_STR;
    }
    else {
        return NULL;
    }
    return pj_type_intern_object(PJ_TK_LITERAL, ident, value);
}

bool
pj_type_is_literal(PjType *t)
{
    return t->kind == PJ_TK_LITERAL;
}

/* The type of the values a Literal type stands for (int64, bool,
   unicode_type); any other type as itself. */
PjType *
pj_type_unliteral(PjType *t)
{
    if (t == NULL || t->kind != PJ_TK_LITERAL) {
        return t;
    }
    switch (t->ident) {
    case LIT_BOOL: return pj_t.boolean;
    case LIT_STR: return pj_type_unicode();
    default: return pj_t.i64;
    }
}

static void
print_literal(PjBuf *b, PjType *t)
{
    static const char *const names[] = {"int", "bool", "str"};
    PyObject *s = PyObject_Str(t->obj);
    pj_buf_printf(b, "Literal[%s](%s)", names[t->ident],
                  s ? PyUnicode_AsUTF8(s) : "?");
    Py_XDECREF(s);
    PyErr_Clear();
}

/* The caller's value (a constant) becomes the placeholder. */
static LLVMValueRef
literal_convert(PjLower *lw, LLVMValueRef Py_UNUSED(v),
                PjType *Py_UNUSED(from), PjType *Py_UNUSED(to))
{
    return LLVMConstInt(lw->t_i8, 0, 0);
}

const PjKind pj_kind_literal = {
    .name = "literal",
    .print = print_literal,
    .llvm_type = pj_function_llvm_type,
    .lower_const = pj_function_lower_const,
    .lower_convert = literal_convert,
    .unbox = pj_function_unbox,
};

/* Before inference: each parameter whose argument type is a Literal is
   the constant it stands for. */
void
pj_literal_params(PjCompile *cx)
{
    for (int i = 0; i < cx->fn->nargs && i < cx->nargs; i++) {
        PjType *t = cx->argtys[i];
        PjVar *v = cx->fn->args[i];
        if (t->kind != PJ_TK_LITERAL || v == NULL || v->def == NULL
            || v->def->op != PJ_OP_ARG || v->def->sub != i) {
            continue;
        }
        v->def->op = PJ_OP_CONST;
        v->def->obj = t->obj;       /* the interned type holds it */
    }
}

/* The parameter v is, following copies; -1 when v is computed. */
static int
parameter_of(PjVar *v)
{
    for (int depth = 0; v != NULL && v->ndefs == 1 && depth < 32; depth++) {
        if (v->def->op == PJ_OP_ARG) {
            return v->def->sub;
        }
        if (v->def->op != PJ_OP_COPY) {
            return -1;
        }
        v = v->def->src[0];
    }
    return -1;
}

/* The request the literal argument v makes of cx: the constant v holds
   (as its Literal type in *lit), or a bit of cx->literal_request for
   the parameter v is.  -1 when v can be neither (a typing error when
   reporting; what = the function asking). */
int
pj_literal_answer(PjCompile *cx, PjInstr *ins, PjVar *v, const char *what,
                  PjType **lit)
{
    PyObject *c = pj_ir_const_of(v);
    *lit = NULL;
    if (c != NULL) {
        *lit = pj_type_literal(c);
        if (*lit != NULL) {
            return 0;
        }
        return pj_infer_fail(cx, ins, "%s asks for the value of its "
                             "argument, and %s has no Literal type (int, "
                             "bool or str)", what, Py_TYPE(c)->tp_name);
    }
    int p = parameter_of(v);
    if (p >= 0 && p < 64) {
        cx->literal_request |= (uint64_t)1 << p;
        return pj_infer_fail(cx, ins, "%s asks for the value of parameter "
                             "'%s' when the function compiles: only a "
                             "call that passes it as a constant, or from "
                             "Python, gives it", what, v->name);
    }
    return pj_infer_fail(cx, ins, "Cannot request literal type: %s asks "
                         "for the value of '%s', which is computed when "
                         "the function runs (it takes a parameter or a "
                         "constant)", what, v->name ? v->name : "?");
}

/* literally(x): x itself, once its value is known when the function
   compiles. */
static const PjImpl impl_literally = {"literally", pj_lower_first_operand,
                                      false, false};

int
pj_type_literally(PjCompile *cx, PjInstr *ins,
                  const PjCallable *Py_UNUSED(fn), PjType **args, int n)
{
    if (n != 1 || ins->nsrc != 2) {
        return 1;
    }
    PjType *lit;
    if (pj_literal_answer(cx, ins, ins->src[1], "literally()", &lit) < 0) {
        return -1;
    }
    return pj_choose(cx, ins, &impl_literally, args[0], args, 1);
}
