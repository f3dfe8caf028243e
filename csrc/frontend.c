/*
** frontend.c - Python AST -> untyped IR.
**
** Input: the function's ast.FunctionDef (found by pyjit/_source.py) and its
** code object, globals and closure.  Output: cx->fn, a CFG of blocks over
** named variables with a source location on every instruction.
**
** Names are resolved here, with Python's own scoping taken from the code
** object: parameters and assigned names (co_varnames, co_cellvars) are
** variables; free variables and globals are frozen into GLOBAL constants
** holding the value they have now, as Numba does.  Structured control flow
** (if, while, for, break, continue, and/or, chained comparisons,
** conditional expressions) becomes blocks and branches; what the compiler
** does not support is reported as UnsupportedError at its location.
** Functions defined inside the function (def, lambda) are inlined where
** they are called (the section on inner functions).
*/
#include "pyjit.h"

#include <string.h>

/* ORDER AST */
#define AST_KINDS(X)                                                       \
    X(FunctionDef) X(AsyncFunctionDef) X(ClassDef) X(Return) X(Delete)     \
    X(Assign) X(AugAssign) X(AnnAssign) X(For) X(AsyncFor) X(While) X(If)  \
    X(With) X(AsyncWith) X(Match) X(Raise) X(Try) X(TryStar) X(Assert)     \
    X(Import) X(ImportFrom) X(Global) X(Nonlocal) X(Expr) X(Pass)          \
    X(Break) X(Continue)                                                   \
    X(BoolOp) X(NamedExpr) X(BinOp) X(UnaryOp) X(Lambda) X(IfExp) X(Dict)  \
    X(Set) X(ListComp) X(SetComp) X(DictComp) X(GeneratorExp) X(Await)    \
    X(Yield) X(YieldFrom) X(Compare) X(Call) X(FormattedValue)             \
    X(JoinedStr) X(Constant) X(Attribute) X(Subscript) X(Starred) X(Name)  \
    X(List) X(Tuple) X(Slice)                                              \
    X(Add) X(Sub) X(Mult) X(MatMult) X(Div) X(Mod) X(Pow) X(LShift)        \
    X(RShift) X(BitOr) X(BitXor) X(BitAnd) X(FloorDiv)                     \
    X(Invert) X(Not) X(UAdd) X(USub) X(And) X(Or)                          \
    X(Eq) X(NotEq) X(Lt) X(LtE) X(Gt) X(GtE) X(Is) X(IsNot) X(In) X(NotIn)

enum {
#define X(N) AST_##N,
    AST_KINDS(X)
#undef X
    AST_UNKNOWN
};

typedef struct Loop {
    PjBlock *cont;              /* where `continue` goes */
    PjBlock *brk;               /* where `break` goes */
    int nfinals;                /* the finally bodies around the loop */
} Loop;

/* A parameter's default: the expression and, unless it folds to a
   constant (made again at each call), the variable holding the value it
   had where the function was defined, when Python evaluates defaults. */
typedef struct Default {
    PyObject *node;             /* NULL: the parameter has none */
    PjVar *value;
} Default;

/* An inner function or a lambda bound to a name (frontend's section on
   them). */
typedef struct Inner {
    PyObject *name;             /* NULL once the name is bound again */
    PyObject *node;             /* its FunctionDef or Lambda */
    PyObject *code;             /* its code object */
    PyObject *captured;         /* dict: free name -> variable of its value */
    struct Scope *scope;        /* where it was defined */
    Default *defaults;          /* by parameter: positional, keyword-only */
} Inner;

/* The body of an inner function being inlined at a call. */
typedef struct Scope {
    struct Scope *outer;
    Inner *fn;
    PyObject *names;            /* dict: its name -> variable name */
    PyObject *localnames;       /* its co_varnames + co_cellvars */
    PjVar *result;              /* what its `return` assigns */
    PjBlock *exit;              /* where its `return` goes */
} Scope;

/* The finally body of a try statement being translated: a return, break
   or continue leaving the statement runs a copy of it first. */
typedef struct Final {
    PyObject *body;
    PjBlock *handler;           /* where exceptions raised around the try
                                   statement go */
    Scope *scope;               /* the inlined function it is in */
    int ncaught;                /* the except clauses around it */
} Final;

typedef struct Frontend {
    PjCompile *cx;
    PjFunc *fn;
    PjBlock *cur;               /* NULL right after a terminator */
    Loop loops[64];
    int nloops;
    PyObject *localnames;       /* co_varnames + co_cellvars */
    PyObject *freenames;        /* co_freevars */
    PyObject *unfoldable;       /* set of operator nodes known not to fold */
    PyObject *comp_names;       /* a comprehension's own variables: name ->
                                   the name of its variable in the IR */
    int ncomps;
    PyObject *renamed;          /* literal_unroll: names each copy of the
                                   body has its own variable for */
    int copy;                   /* which copy is being translated */
    Scope *scope;               /* inside an inner function's body */
    PjBlock *handler;           /* where exceptions raised by the code
                                   being translated go, or NULL */
    Final finals[16];           /* the finally bodies of the try
                                   statements being translated */
    int nfinals;
    PjVar *caught[16];          /* the exceptions of the except clauses
                                   being translated: what `raise` raises */
    int ncaught;
    int ntries;                 /* numbers their variables */
    Inner inner[16];            /* inner functions and lambdas defined */
    int ninner;
    int ninlined;               /* numbers the variables of each call */
} Frontend;

/* --- reading the AST --- */

static int
init_ast_kinds(void)
{
    static const char *const names[] = {
#define X(N) #N,
        AST_KINDS(X)
#undef X
    };
    PyObject *mod = PyImport_ImportModule("_ast");
    PyObject *d = PyDict_New();
    if (mod == NULL || d == NULL) {
        goto error;
    }
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        PyObject *cls = PyObject_GetAttrString(mod, names[i]);
        if (cls == NULL) {
            PyErr_Clear();       /* e.g. TryStar before 3.11 */
            continue;
        }
        PyObject *k = PyLong_FromSize_t(i);
        int rc = k ? PyDict_SetItem(d, cls, k) : -1;
        Py_XDECREF(k);
        Py_DECREF(cls);
        if (rc < 0) {
            goto error;
        }
    }
    Py_DECREF(mod);
    pj_state->ast_kinds = d;
    return 0;
error:
    Py_XDECREF(mod);
    Py_XDECREF(d);
    return -1;
}

static int
kind_of(PyObject *node)
{
    PyObject *type = (PyObject *)Py_TYPE(node);
    PyObject *k = PyDict_GetItem(pj_state->ast_kinds, type);
    return k ? (int)PyLong_AsLong(k) : AST_UNKNOWN;
}

/* A field of a node: borrowed, kept alive by the compile's arena. */
static PyObject *
field(Frontend *fe, PyObject *node, const char *name)
{
    PyObject *v = PyObject_GetAttr(node, pj_str(name));
    if (v == NULL) {
        return NULL;
    }
    int rc = pj_arena_add_pyobject(fe->cx->arena, v);
    Py_DECREF(v);
    return rc < 0 ? NULL : v;
}

static int
int_field(PyObject *node, const char *name)
{
    PyObject *v = PyObject_GetAttr(node, pj_str(name));
    if (v == NULL) {
        PyErr_Clear();
        return 0;
    }
    int n = v == Py_None ? 0 : (int)PyLong_AsLong(v);
    Py_DECREF(v);
    return n;
}

static PjLoc
loc_of(PyObject *node)
{
    PjLoc loc = {int_field(node, "lineno"), int_field(node, "col_offset")};
    return loc;
}

static const char *
type_name_of(PyObject *node)
{
    return Py_TYPE(node)->tp_name;
}

static int
unsupported(Frontend *fe, PyObject *node, const char *what)
{
    return pj_diag(fe->cx, PJ_ERR_UNSUPPORTED, loc_of(node),
                   "Use of unsupported syntax: %s", what);
}

/* --- building IR --- */

static PjBlock *
new_block(Frontend *fe, PjLoc loc)
{
    PjBlock *b = pj_ir_new_block(fe->fn, loc);
    if (b != NULL) {
        b->handler = fe->handler;
    }
    return b;
}

/* Makes `b` the current block.  Statements after a terminator go to a
   fresh block nothing jumps to, which inference and lowering skip. */
static void
start_block(Frontend *fe, PjBlock *b)
{
    fe->cur = b;
}

static PjBlock *
current(Frontend *fe, PjLoc loc)
{
    if (fe->cur == NULL) {
        fe->cur = new_block(fe, loc);
    }
    return fe->cur;
}

static PjInstr *
emit(Frontend *fe, int op, PjLoc loc, PjVar **src, int nsrc)
{
    PjBlock *b = current(fe, loc);
    return b ? pj_ir_append(fe->fn, b, op, loc, src, nsrc) : NULL;
}

/* Appends `dst = op(src...)` with a new temporary as dst. */
static PjInstr *
emit_value(Frontend *fe, int op, PjLoc loc, PjVar **src, int nsrc)
{
    PjInstr *ins = emit(fe, op, loc, src, nsrc);
    PjVar *t = ins ? pj_ir_new_temp(fe->fn, fe->cur) : NULL;
    if (t == NULL) {
        return NULL;
    }
    pj_ir_set_dst(ins, t);
    return ins;
}

static int
emit_copy(Frontend *fe, PjVar *dst, PjVar *src, PjLoc loc)
{
    PjInstr *ins = emit(fe, PJ_OP_COPY, loc, &src, 1);
    if (ins == NULL) {
        return -1;
    }
    pj_ir_set_dst(ins, dst);
    return 0;
}

static void
emit_jump(Frontend *fe, PjBlock *to, PjLoc loc)
{
    if (fe->cur == NULL) {
        return;
    }
    PjInstr *ins = emit(fe, PJ_OP_JUMP, loc, NULL, 0);
    if (ins != NULL) {
        ins->target[0] = to;
    }
    fe->cur = NULL;
}

static void
emit_branch(Frontend *fe, PjVar *cond, PjBlock *t, PjBlock *f, PjLoc loc)
{
    PjInstr *ins = emit(fe, PJ_OP_BRANCH, loc, &cond, 1);
    if (ins != NULL) {
        ins->target[0] = t;
        ins->target[1] = f;
    }
    fe->cur = NULL;
}

static PjVar *
emit_const(Frontend *fe, PyObject *value, PjLoc loc)
{
    PjInstr *ins = emit_value(fe, PJ_OP_CONST, loc, NULL, 0);
    if (ins == NULL || pj_arena_add_pyobject(fe->cx->arena, value) < 0) {
        return NULL;
    }
    ins->obj = value;
    return ins->dst;
}

/* --- names --- */

static bool
in_tuple(PyObject *tuple, PyObject *name)
{
    int rc = PySequence_Contains(tuple, name);
    if (rc < 0) {
        PyErr_Clear();
    }
    return rc == 1;
}

/* The value a free or global name has now: a new reference, or NULL
   without an exception when the name is not defined. */
static PyObject *
lookup_global(Frontend *fe, PyObject *name, bool *is_freevar)
{
    PjFuncInfo *info = fe->cx->info;
    Py_ssize_t i = -1;
    if (fe->freenames != NULL && info->closure != NULL
        && info->closure != Py_None) {
        for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(fe->freenames); k++) {
            if (PyUnicode_Compare(PyTuple_GET_ITEM(fe->freenames, k),
                                  name) == 0) {
                i = k;
            }
        }
    }
    if (i >= 0) {
        *is_freevar = true;
        PyObject *cell = PyTuple_GET_ITEM(info->closure, i);
        PyObject *v = PyCell_GET(cell);
        return Py_XNewRef(v);
    }
    *is_freevar = false;
    PyObject *v = PyDict_GetItemWithError(info->globals, name);
    if (v == NULL && !PyErr_Occurred()) {
        PyObject *builtins = PyEval_GetBuiltins();
        v = builtins ? PyDict_GetItemWithError(builtins, name) : NULL;
    }
    return Py_XNewRef(v);
}

/* The variable a comprehension's own name x stands for (borrowed), or
   NULL when x is the function's. */
static PyObject *
comp_name(Frontend *fe, PyObject *name)
{
    return fe->comp_names ? PyDict_GetItemWithError(fe->comp_names, name)
                          : NULL;
}


/* Whether every item of the tuple t has the class of the first. */
static bool
items_of_one_class(PyObject *t)
{
    PyTypeObject *cls = Py_TYPE(PyTuple_GET_ITEM(t, 0));
    for (Py_ssize_t i = 1; i < PyTuple_GET_SIZE(t); i++) {
        if (!Py_IS_TYPE(PyTuple_GET_ITEM(t, i), cls)) {
            return false;
        }
    }
    return true;
}

/* A global tuple of more numbers than a tuple type holds
   (PJ_MAX_ARGS), all of one class, as a read-only NumPy array of them:
   code reads it as it reads the tuple (t[i], len(t), iteration) and, like
   the tuple, cannot write to it.  Numba types such a tuple (pandas' ewm
   captures the gaps between a whole column's times as one) as a tuple of
   that many items.  Any other value, or items NumPy holds as anything
   but numbers (bool, integers, floats, complex: dtype kinds "biufc"), is
   returned as it is.  Steals value; NULL on error. */
static PyObject *
long_tuple_as_array(PyObject *value)
{
    if (!PyTuple_CheckExact(value) || PyTuple_GET_SIZE(value) <= PJ_MAX_ARGS
        || !items_of_one_class(value)) {
        return value;
    }
    PyObject *np = PyImport_ImportModule("numpy");
    PyObject *array = np ? PyObject_GetAttrString(np, "array") : NULL;
    PyObject *arr = array ? PyObject_CallOneArg(array, value) : NULL;
    Py_XDECREF(array);
    Py_XDECREF(np);
    PyObject *kind = arr ? PyObject_GetAttrString(arr, "dtype") : NULL;
    Py_XSETREF(kind, kind ? PyObject_GetAttrString(kind, "kind") : NULL);
    const char *k = kind && PyUnicode_Check(kind) ? PyUnicode_AsUTF8(kind)
                                                  : NULL;
    if (k == NULL || strlen(k) != 1 || strchr("biufc", k[0]) == NULL) {
        Py_XDECREF(kind);
        Py_XDECREF(arr);
        PyErr_Clear();
        return value;
    }
    Py_DECREF(kind);
    PyObject *r = PyObject_CallMethod(arr, "setflags", "OO", Py_False,
                                      Py_None);
    Py_DECREF(value);
    if (r == NULL) {
        Py_DECREF(arr);
        return NULL;
    }
    Py_DECREF(r);
    return arr;
}

/* `name`, the value it has now (a reference given to the compile):
   GLOBAL, a constant of the compile. */
static PjVar *
emit_global(Frontend *fe, PyObject *node, const char *name, PyObject *value,
            bool freevar)
{
    value = long_tuple_as_array(value);
    if (value == NULL) {
        return NULL;
    }
    PjInstr *ins = emit_value(fe, PJ_OP_GLOBAL, loc_of(node), NULL, 0);
    int rc = ins ? pj_arena_add_pyobject(fe->cx->arena, value) : -1;
    Py_DECREF(value);
    if (rc < 0) {
        return NULL;
    }
    ins->obj = value;
    ins->name = pj_arena_strdup(fe->cx->arena, name);
    ins->sub = freevar;
    return ins->dst;
}

static Inner *inner_named(Frontend *fe, PyObject *name);
static PjVar *inner_value(Frontend *fe, PyObject *node, Inner *fn);
static void forget_inner(Frontend *fe, PyObject *name);

/* The function's own variable `name`, or in a copy of a body that
   literal_unroll unrolls, the copy's own for the names it renames. */
static PjVar *
unrolled_var(Frontend *fe, PyObject *name)
{
    const char *s = PyUnicode_AsUTF8(name);
    if (s != NULL && fe->renamed != NULL && in_tuple(fe->renamed, name)) {
        s = pj_arena_printf(fe->cx->arena, "%s.%d", s, fe->copy);
    }
    return s ? pj_ir_var(fe->fn, s) : NULL;
}

/* The variable a local name stands for: a comprehension's own for the
   names it binds, a copy's own in a body
   literal_unroll unrolls (for the names it renames), and an inner
   function's own inside its inlined body: what it uses of the outer
   function's names it captured.  NULL with *local unset for a free or
   global name. */
static PjVar *
local_var(Frontend *fe, PyObject *name, bool *local)
{
    PyObject *own = comp_name(fe, name);
    if (own != NULL || PyErr_Occurred()) {
        *local = own != NULL;
        return own ? pj_ir_var(fe->fn, PyUnicode_AsUTF8(own)) : NULL;
    }
    Scope *sc = fe->scope;
    *local = sc == NULL ? in_tuple(fe->localnames, name)
                        : PyDict_Contains(sc->names, name) == 1
                          || in_tuple(sc->localnames, name);
    if (!*local) {
        return NULL;
    }
    if (sc == NULL) {
        return unrolled_var(fe, name);
    }
    PyObject *v = PyDict_GetItemWithError(sc->names, name);
    if (v == NULL && !PyErr_Occurred()) {
        v = PyUnicode_FromFormat("%U.%U.%d", sc->fn->name, name,
                                 fe->ninlined);
        if (v == NULL || PyDict_SetItem(sc->names, name, v) < 0) {
            Py_XDECREF(v);
            return NULL;
        }
        Py_DECREF(v);
    }
    return v ? pj_ir_var(fe->fn, PyUnicode_AsUTF8(v)) : NULL;
}

static PjVar *
load_name(Frontend *fe, PyObject *node)
{
    PyObject *name = field(fe, node, "id");
    if (name == NULL) {
        return NULL;
    }
    const char *s = PyUnicode_AsUTF8(name);
    if (inner_named(fe, name) != NULL) {
        return inner_value(fe, node, inner_named(fe, name));
    }
    bool local;
    PjVar *var = local_var(fe, name, &local);
    if (local || PyErr_Occurred()) {
        return var;
    }
    bool freevar;
    PyObject *value = lookup_global(fe, name, &freevar);
    if (value == NULL && !PyErr_Occurred()
        && PyUnicode_Compare(name, fe->cx->info->name) == 0
        && fe->cx->dispatcher != NULL) {
        /* a function compiled for its signatures at its decoration calls
           itself before its module binds the name, as Numba allows */
        value = Py_NewRef(fe->cx->dispatcher);
    }
    if (value == NULL) {
        if (!PyErr_Occurred()) {
            pj_diag(fe->cx, PJ_ERR_TYPING, loc_of(node),
                    "Untyped global name '%s': it is not defined", s);
            pj_diag_during(fe->cx, "resolving a global name");
        }
        return NULL;
    }
    return emit_global(fe, node, s, value, freevar);
}

/* --- constant folding --- */

/* CPython folds operators on constants when it compiles a function, so
   Numba, which reads the bytecode, sees `2 ** 63` as the constant
   9223372036854775808 (typed uint64) and `-1` as a constant, never an
   int64 computation that wraps.  The frontend folds the same expressions
   with Python's own arithmetic and CPython's limits on the size of what it
   folds; an operation that raises (1 // 0) is left to raise when it runs. */
#define FOLD_MAX_INT_BITS 128
#define FOLD_MAX_STR_SIZE 4096

static PyObject *fold(Frontend *fe, PyObject *node);

/* -1, 0 or 1 for an int (bool included). */
static int
int_sign(PyObject *v)
{
    int overflow;
    long n = PyLong_AsLongAndOverflow(v, &overflow);
    return overflow ? overflow : (n > 0) - (n < 0);
}

/* The bits of |v|, or FOLD_MAX_INT_BITS + 1 when it cannot be told. */
static size_t
int_bits(PyObject *v)
{
    PyObject *n = PyObject_CallMethod(v, "bit_length", NULL);
    size_t bits = n ? PyLong_AsSize_t(n) : (size_t)-1;
    Py_XDECREF(n);
    PyErr_Clear();
    return bits == (size_t)-1 ? FOLD_MAX_INT_BITS + 1 : bits;
}

/* A count (an exponent, a shift) up to FOLD_MAX_INT_BITS + 1. */
static size_t
small_count(PyObject *w)
{
    int overflow;
    long n = PyLong_AsLongAndOverflow(w, &overflow);
    return overflow || n > FOLD_MAX_INT_BITS ? FOLD_MAX_INT_BITS + 1
                                             : (size_t)n;
}

/* Whether CPython would compute v * w when it folds: no integer of more
   than 128 bits, no string of more than 4096 characters. */
static bool
foldable_multiply(PyObject *v, PyObject *w)
{
    if (PyLong_Check(v) && PyLong_Check(w)) {
        return int_sign(v) == 0 || int_sign(w) == 0
               || int_bits(v) + int_bits(w) <= FOLD_MAX_INT_BITS;
    }
    if (PyLong_Check(w)) {
        PyObject *t = v;
        v = w;
        w = t;
    }
    Py_ssize_t size = PyUnicode_Check(w) ? PyUnicode_GET_LENGTH(w)
                      : PyBytes_Check(w) ? PyBytes_GET_SIZE(w) : 0;
    if (!PyLong_Check(v) || size == 0) {
        return true;
    }
    int overflow;
    long n = PyLong_AsLongAndOverflow(v, &overflow);
    return !overflow && n >= 0 && n <= FOLD_MAX_STR_SIZE / size;
}

static bool
foldable_power(PyObject *v, PyObject *w)
{
    if (!PyLong_Check(v) || !PyLong_Check(w) || int_sign(v) == 0
        || int_sign(w) <= 0) {
        return true;
    }
    return int_bits(v) <= FOLD_MAX_INT_BITS / small_count(w);
}

static bool
foldable_lshift(PyObject *v, PyObject *w)
{
    if (!PyLong_Check(v) || !PyLong_Check(w) || int_sign(v) == 0
        || int_sign(w) == 0) {
        return true;
    }
    size_t shift = small_count(w);
    return int_sign(w) > 0 && shift <= FOLD_MAX_INT_BITS
           && int_bits(v) <= FOLD_MAX_INT_BITS - shift;
}

/* op(v, w) as CPython folds it, or NULL (no exception) when it does not. */
static PyObject *
fold_values(int op, PyObject *v, PyObject *w)
{
    switch (op) {
    case AST_Add: return PyNumber_Add(v, w);
    case AST_Sub: return PyNumber_Subtract(v, w);
    case AST_Mult:
        return foldable_multiply(v, w) ? PyNumber_Multiply(v, w) : NULL;
    case AST_Div: return PyNumber_TrueDivide(v, w);
    case AST_FloorDiv: return PyNumber_FloorDivide(v, w);
    case AST_Mod:
        return PyUnicode_Check(v) || PyBytes_Check(v)
               ? NULL : PyNumber_Remainder(v, w);
    case AST_Pow:
        return foldable_power(v, w) ? PyNumber_Power(v, w, Py_None) : NULL;
    case AST_LShift:
        return foldable_lshift(v, w) ? PyNumber_Lshift(v, w) : NULL;
    case AST_RShift: return PyNumber_Rshift(v, w);
    case AST_BitOr: return PyNumber_Or(v, w);
    case AST_BitXor: return PyNumber_Xor(v, w);
    case AST_BitAnd: return PyNumber_And(v, w);
    default: return NULL;                   /* @ */
    }
}

static PyObject *
fold_unary_value(int op, PyObject *v)
{
    switch (op) {
    case AST_USub: return PyNumber_Negative(v);
    case AST_UAdd: return PyNumber_Positive(v);
    case AST_Invert: return PyNumber_Invert(v);
    default: {
        int truth = PyObject_IsTrue(v);
        return truth < 0 ? NULL : PyBool_FromLong(!truth);
    }
    }
}

/* An operation that raised is not folded: the error is dropped, as
   CPython drops it, except an interrupt. */
static PyObject *
folded(PyObject *result)
{
    if (result == NULL && PyErr_Occurred()
        && !PyErr_ExceptionMatches(PyExc_KeyboardInterrupt)) {
        PyErr_Clear();
    }
    return result;
}

static PyObject *
fold_operator(Frontend *fe, PyObject *node, int kind)
{
    PyObject *op = field(fe, node, "op");
    PyObject *a = op ? field(fe, node, kind == AST_BinOp ? "left"
                                                          : "operand") : NULL;
    PyObject *v = a ? fold(fe, a) : NULL, *w = NULL, *result = NULL;
    if (v != NULL && kind == AST_UnaryOp) {
        result = folded(fold_unary_value(kind_of(op), v));
    }
    else if (v != NULL) {
        PyObject *b = field(fe, node, "right");
        w = b ? fold(fe, b) : NULL;
        result = w ? folded(fold_values(kind_of(op), v, w)) : NULL;
    }
    Py_XDECREF(v);
    Py_XDECREF(w);
    return result;
}

/* The value of a constant expression: a new reference, or NULL, with an
   exception set only for an error.  Operator nodes found not to fold are
   remembered, so that folding each subexpression again as the frontend
   descends costs nothing. */
static PyObject *
fold(Frontend *fe, PyObject *node)
{
    int kind = kind_of(node);
    if (kind == AST_Constant) {
        return Py_XNewRef(field(fe, node, "value"));
    }
    if (kind != AST_BinOp && kind != AST_UnaryOp) {
        return NULL;
    }
    if (fe->unfoldable == NULL) {
        fe->unfoldable = PySet_New(NULL);
        if (fe->unfoldable == NULL
            || pj_arena_add_pyobject(fe->cx->arena, fe->unfoldable) < 0) {
            return NULL;
        }
        Py_DECREF(fe->unfoldable);      /* the arena holds it */
    }
    int known = PySet_Contains(fe->unfoldable, node);
    PyObject *v = known == 0 ? fold_operator(fe, node, kind) : NULL;
    if (v == NULL && !PyErr_Occurred()) {
        PySet_Add(fe->unfoldable, node);
    }
    return v;
}

/* --- expressions --- */

static PjVar *expr(Frontend *fe, PyObject *node);
static PjVar *expr_display(Frontend *fe, PyObject *node, int op,
                            const char *what);
static PjVar *expr_list_comprehension(Frontend *fe, PyObject *node);
static PjVar *expr_set_comprehension(Frontend *fe, PyObject *node);
static PjVar *expr_dict_comprehension(Frontend *fe, PyObject *node);
static int format_plan_of(Frontend *fe, PyObject *node, PyObject **plan);
static PjVar *expr_format_call(Frontend *fe, PyObject *node, PyObject *plan);
static PjVar *expr_percent(Frontend *fe, PyObject *node, PyObject *plan);
static int stmts(Frontend *fe, PyObject *body);
static int assign_to(Frontend *fe, PyObject *target, PjVar *value,
                     PjLoc loc);

static int
binop_of(int kind)
{
    switch (kind) {
    case AST_Add: return PJ_BIN_ADD;
    case AST_Sub: return PJ_BIN_SUB;
    case AST_Mult: return PJ_BIN_MUL;
    case AST_Div: return PJ_BIN_TRUEDIV;
    case AST_FloorDiv: return PJ_BIN_FLOORDIV;
    case AST_Mod: return PJ_BIN_MOD;
    case AST_Pow: return PJ_BIN_POW;
    case AST_LShift: return PJ_BIN_LSHIFT;
    case AST_RShift: return PJ_BIN_RSHIFT;
    case AST_BitAnd: return PJ_BIN_AND;
    case AST_BitOr: return PJ_BIN_OR;
    case AST_BitXor: return PJ_BIN_XOR;
    default: return PJ_BIN_MATMUL;
    }
}

static int
cmpop_of(int kind)
{
    switch (kind) {
    case AST_Eq: return PJ_CMP_EQ;
    case AST_NotEq: return PJ_CMP_NE;
    case AST_Lt: return PJ_CMP_LT;
    case AST_LtE: return PJ_CMP_LE;
    case AST_Gt: return PJ_CMP_GT;
    case AST_GtE: return PJ_CMP_GE;
    case AST_Is: return PJ_CMP_IS;
    case AST_IsNot: return PJ_CMP_ISNOT;
    case AST_In: return PJ_CMP_IN;
    default: return PJ_CMP_NOTIN;
    }
}

static PjVar *
expr_binop(Frontend *fe, PyObject *node)
{
    PyObject *l = field(fe, node, "left"), *r = field(fe, node, "right");
    PyObject *op = field(fe, node, "op");
    PyObject *plan = NULL;
    if (l == NULL || r == NULL || op == NULL
        || format_plan_of(fe, node, &plan) < 0) {
        return NULL;
    }
    if (plan != NULL) {
        return expr_percent(fe, node, plan);
    }
    PjVar *src[2] = {expr(fe, l), NULL};
    if (src[0] == NULL || (src[1] = expr(fe, r)) == NULL) {
        return NULL;
    }
    PjInstr *ins = emit_value(fe, PJ_OP_BINOP, loc_of(node), src, 2);
    if (ins == NULL) {
        return NULL;
    }
    ins->sub = binop_of(kind_of(op));
    return ins->dst;
}

static PjVar *
expr_unary(Frontend *fe, PyObject *node)
{
    PyObject *operand = field(fe, node, "operand");
    PyObject *op = field(fe, node, "op");
    PjVar *v = operand && op ? expr(fe, operand) : NULL;
    if (v == NULL) {
        return NULL;
    }
    PjInstr *ins = emit_value(fe, PJ_OP_UNARY, loc_of(node), &v, 1);
    if (ins == NULL) {
        return NULL;
    }
    switch (kind_of(op)) {
    case AST_USub: ins->sub = PJ_UN_NEG; break;
    case AST_UAdd: ins->sub = PJ_UN_POS; break;
    case AST_Invert: ins->sub = PJ_UN_INVERT; break;
    default: ins->sub = PJ_UN_NOT;
    }
    return ins->dst;
}

/* `a and b` / `a or b` with Python's value semantics: the result is the
   first operand that decides, converted to the unified type. */
static PjVar *
expr_boolop(Frontend *fe, PyObject *node)
{
    PyObject *values = field(fe, node, "values"), *op = field(fe, node, "op");
    if (values == NULL || op == NULL) {
        return NULL;
    }
    bool is_and = kind_of(op) == AST_And;
    PjLoc loc = loc_of(node);
    PjVar *result = pj_ir_new_temp(fe->fn, current(fe, loc));
    PjBlock *done = new_block(fe, loc);
    Py_ssize_t n = PyList_GET_SIZE(values);
    for (Py_ssize_t i = 0; i < n; i++) {
        PjVar *v = expr(fe, PyList_GET_ITEM(values, i));
        if (v == NULL || result == NULL || done == NULL
            || emit_copy(fe, result, v, loc) < 0) {
            return NULL;
        }
        if (i == n - 1) {
            emit_jump(fe, done, loc);
            break;
        }
        PjBlock *next = new_block(fe, loc);
        if (next == NULL) {
            return NULL;
        }
        emit_branch(fe, v, is_and ? next : done, is_and ? done : next, loc);
        start_block(fe, next);
    }
    start_block(fe, done);
    return result;
}

/* The right operand of a comparison.  `x in [a, b]` tests membership in
   a list no one else sees: it is made a tuple, as CPython compiles it,
   so that the test builds no list on each run. */
static PjVar *
comparand(Frontend *fe, PyObject *op, PyObject *right)
{
    int kind = kind_of(op);
    if ((kind == AST_In || kind == AST_NotIn) && kind_of(right) == AST_List) {
        return expr_display(fe, right, PJ_OP_BUILD_TUPLE, "list");
    }
    return expr(fe, right);
}

/* `a < b < c`: each comparison runs only when the previous one held, and
   each operand is evaluated once. */
static PjVar *
expr_compare(Frontend *fe, PyObject *node)
{
    PyObject *left = field(fe, node, "left"), *ops = field(fe, node, "ops");
    PyObject *rights = field(fe, node, "comparators");
    if (left == NULL || ops == NULL || rights == NULL) {
        return NULL;
    }
    PjLoc loc = loc_of(node);
    Py_ssize_t n = PyList_GET_SIZE(ops);
    PjVar *lhs = expr(fe, left);
    PjVar *result = NULL;
    PjBlock *done = NULL;
    if (n > 1) {
        result = pj_ir_new_temp(fe->fn, current(fe, loc));
        done = new_block(fe, loc);
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PjVar *src[2] = {lhs, lhs ? comparand(fe, PyList_GET_ITEM(ops, i),
                                              PyList_GET_ITEM(rights, i))
                                  : NULL};
        if (src[1] == NULL) {
            return NULL;
        }
        PjInstr *ins = emit_value(fe, PJ_OP_COMPARE, loc, src, 2);
        if (ins == NULL) {
            return NULL;
        }
        ins->sub = cmpop_of(kind_of(PyList_GET_ITEM(ops, i)));
        if (n == 1) {
            return ins->dst;
        }
        if (emit_copy(fe, result, ins->dst, loc) < 0) {
            return NULL;
        }
        if (i == n - 1) {
            emit_jump(fe, done, loc);
            break;
        }
        PjBlock *next = new_block(fe, loc);
        emit_branch(fe, ins->dst, next, done, loc);
        start_block(fe, next);
        lhs = src[1];
    }
    start_block(fe, done);
    return result;
}

static PjVar *
expr_ifexp(Frontend *fe, PyObject *node)
{
    PyObject *test = field(fe, node, "test"), *body = field(fe, node, "body");
    PyObject *orelse = field(fe, node, "orelse");
    PjLoc loc = loc_of(node);
    PjVar *cond = test && body && orelse ? expr(fe, test) : NULL;
    if (cond == NULL) {
        return NULL;
    }
    PjVar *result = pj_ir_new_temp(fe->fn, current(fe, loc));
    PjBlock *bt = new_block(fe, loc), *bf = new_block(fe, loc);
    PjBlock *done = new_block(fe, loc);
    if (result == NULL || bt == NULL || bf == NULL || done == NULL) {
        return NULL;
    }
    emit_branch(fe, cond, bt, bf, loc);
    PyObject *arms[2] = {body, orelse};
    PjBlock *blocks[2] = {bt, bf};
    for (int i = 0; i < 2; i++) {
        start_block(fe, blocks[i]);
        PjVar *v = expr(fe, arms[i]);
        if (v == NULL || emit_copy(fe, result, v, loc) < 0) {
            return NULL;
        }
        emit_jump(fe, done, loc);
    }
    start_block(fe, done);
    return result;
}

/* --- inner functions and lambdas ---

   A function defined in a jitted function (a def, or a lambda bound to a
   name) is inlined where it is called, as Numba inlines such closures:
   its parameters and locals become variables of that call, bound to the
   call's arguments as Python binds them (binder.c) or to the defaults
   evaluated where the function was defined, and the outer variables it
   uses are the outer function's, read when it runs.  One
   that uses no outer variable is also a value: a jitted function of its
   code, which calls may take (apply(lambda y: y + 1, x)). */

/* Its code object, a constant of the enclosing code (pyjit/_source.py
   finds it; the compile holds it). */
static PyObject *
inner_code(Frontend *fe, PyObject *node)
{
    PyObject *code = fe->scope ? fe->scope->fn->code : fe->cx->info->code;
    PyObject *c = PyObject_CallMethod(pj_state->source_module, "inner_code",
                                      "OO", code, node);
    if (c == NULL || pj_arena_add_pyobject(fe->cx->arena, c) < 0) {
        Py_XDECREF(c);
        return NULL;
    }
    Py_DECREF(c);
    if (c == Py_None) {
        unsupported(fe, node, "a function this text cannot be told apart "
                              "from another one on its line");
        return NULL;
    }
    return c;
}

/* The inner function `name` where the code being translated sees it: in
   the body being inlined, then where that function was defined, out to
   the jitted function. */
static Inner *
inner_named(Frontend *fe, PyObject *name)
{
    if (name == pj_str("<lambda>")) {
        return NULL;            /* a lambda no name is bound to */
    }
    for (Scope *sc = fe->scope;; sc = sc->fn->scope) {
        for (int i = fe->ninner - 1; i >= 0; i--) {
            Inner *fn = &fe->inner[i];
            if (fn->scope == sc && fn->name != NULL
                && PyUnicode_Compare(fn->name, name) == 0) {
                return fn;
            }
        }
        if (sc == NULL || in_tuple(sc->localnames, name)
            || PyDict_Contains(sc->names, name) == 1) {
            return NULL;
        }
    }
}

/* `name = ...`: the name no longer stands for an inner function. */
static void
forget_inner(Frontend *fe, PyObject *name)
{
    for (int i = 0; name != NULL && i < fe->ninner; i++) {
        Inner *fn = &fe->inner[i];
        if (fn->scope == fe->scope && fn->name != NULL
            && PyUnicode_Compare(fn->name, name) == 0) {
            fn->name = NULL;
        }
    }
}

/* The outer variables fn uses: in its body, each name is the variable
   of the function around it, read when the body runs (as Python's
   closures and Numba's inlined ones read it).  Inner functions and
   globals it uses are found when it is inlined. */
static int
capture(Frontend *fe, Inner *fn)
{
    PyObject *frees = PyCode_GetFreevars((PyCodeObject *)fn->code);
    int rc = frees ? 0 : -1;
    for (Py_ssize_t i = 0; rc == 0 && i < PyTuple_GET_SIZE(frees); i++) {
        PyObject *name = PyTuple_GET_ITEM(frees, i);
        bool local;
        PjVar *v = local_var(fe, name, &local);
        if (!local || inner_named(fe, name) != NULL
            || PyUnicode_Compare(name, fn->name) == 0) {
            continue;           /* a global, an inner function, itself */
        }
        PyObject *var = v ? PyUnicode_FromString(v->name) : NULL;
        rc = var ? PyDict_SetItem(fn->captured, name, var) : -1;
        Py_XDECREF(var);
    }
    Py_XDECREF(frees);
    return rc;
}

/* Into d, the default a parameter has (node, NULL or None for none),
   evaluated here into a variable of its own unless it is a constant. */
static int
eval_default(Frontend *fe, PyObject *node, Default *d)
{
    *d = (Default){.node = node == Py_None ? NULL : node};
    if (d->node == NULL) {
        return 0;
    }
    PyObject *k = fold(fe, node);
    if (k != NULL || PyErr_Occurred()) {
        Py_XDECREF(k);
        return k ? 0 : -1;
    }
    PjLoc loc = loc_of(node);
    PjVar *v = expr(fe, node);
    d->value = v ? pj_ir_new_temp(fe->fn, current(fe, loc)) : NULL;
    return d->value ? emit_copy(fe, d->value, v, loc) : -1;
}

/* The defaults of the parameters of the function node defines (a def or
   a lambda), evaluated where it is defined, in Python's order: the
   positional parameters' (the last of them have one), then the
   keyword-only ones'. */
static Default *
eval_defaults(Frontend *fe, PyObject *node)
{
    PyObject *a = field(fe, node, "args");
    PyObject *posonly = a ? field(fe, a, "posonlyargs") : NULL;
    PyObject *args = posonly ? field(fe, a, "args") : NULL;
    PyObject *kwonly = args ? field(fe, a, "kwonlyargs") : NULL;
    PyObject *defaults = kwonly ? field(fe, a, "defaults") : NULL;
    PyObject *kw_defaults = defaults ? field(fe, a, "kw_defaults") : NULL;
    if (kw_defaults == NULL) {
        return NULL;
    }
    Py_ssize_t npos = PyList_GET_SIZE(posonly) + PyList_GET_SIZE(args);
    Py_ssize_t first = npos - PyList_GET_SIZE(defaults);
    Py_ssize_t n = npos + PyList_GET_SIZE(kwonly);
    Default *d = PJ_NEW_N(fe->cx->arena, Default, n + 1);
    for (Py_ssize_t i = 0; d != NULL && i < n; i++) {
        PyObject *e = i >= npos ? PyList_GET_ITEM(kw_defaults, i - npos)
                      : i >= first ? PyList_GET_ITEM(defaults, i - first)
                      : NULL;
        if (eval_default(fe, e, &d[i]) < 0) {
            return NULL;
        }
    }
    return d;
}

/* Records the inner function `name` defined by node (a def or a lambda)
   here. */
static Inner *
define_inner(Frontend *fe, PyObject *node, PyObject *name)
{
    Inner *same = inner_named(fe, name);
    if (same != NULL && same->scope == fe->scope) {
        unsupported(fe, node, "an inner function defined twice");
        return NULL;
    }
    if (fe->ninner == (int)(sizeof(fe->inner) / sizeof(fe->inner[0]))) {
        unsupported(fe, node, "more than 16 inner functions");
        return NULL;
    }
    Default *defaults = eval_defaults(fe, node);
    PyObject *code = defaults ? inner_code(fe, node) : NULL;
    Inner *fn = &fe->inner[fe->ninner];
    *fn = (Inner){.name = name, .node = node, .code = code,
                  .captured = PyDict_New(), .scope = fe->scope,
                  .defaults = defaults};
    if (code == NULL || fn->captured == NULL
        || pj_arena_add_pyobject(fe->cx->arena, fn->captured) < 0) {
        Py_XDECREF(fn->captured);
        return NULL;
    }
    Py_DECREF(fn->captured);     /* the arena holds it */
    if (capture(fe, fn) < 0) {
        return NULL;
    }
    fe->ninner++;
    return fn;
}

static int
stmt_def(Frontend *fe, PyObject *node)
{
    PyObject *decorators = field(fe, node, "decorator_list");
    PyObject *name = field(fe, node, "name");
    if (decorators == NULL || name == NULL) {
        return -1;
    }
    if (PyList_GET_SIZE(decorators) > 0) {
        return unsupported(fe, node, "a decorated function defined inside "
                                     "a jitted function");
    }
    return define_inner(fe, node, name) ? 0 : -1;
}

/* What is not supported about fn, said of a lambda or of a def. */
static void
unsupported_inner(Frontend *fe, PyObject *node, Inner *fn, const char *what)
{
    pj_diag(fe->cx, PJ_ERR_UNSUPPORTED, loc_of(node),
            "Use of unsupported syntax: %s %s",
            kind_of(fn->node) == AST_Lambda ? "a lambda" : "an inner function",
            what);
}

/* fn's parameters (binder.c); those given a default may be left out.
   A **kwargs parameter is not supported, as in Numba. */
static int
inner_params(Frontend *fe, Inner *fn, PjParams *p)
{
    RETURN_IF_ERROR(pj_params_of_code(p, fn->code, fn->name));
    if (p->varkw || pj_params_count(p) > PJ_MAX_ARGS) {
        pj_params_clear(p);
        unsupported_inner(fe, fn->node, fn, p->varkw
                          ? "with a **kwargs parameter"
                          : "with more than 255 parameters");
        return -1;
    }
    p->kwdefaults = PyDict_New();
    for (int i = 0; p->kwdefaults != NULL && i < pj_params_count(p); i++) {
        if (fn->defaults[i].node == NULL) {
            continue;
        }
        if (i < p->npos) {
            p->ndefaults++;
        }
        else if (PyDict_SetItem(p->kwdefaults, pj_params_name(p, i),
                                Py_None) < 0) {
            break;
        }
    }
    if (PyErr_Occurred()) {
        pj_params_clear(p);
        return -1;
    }
    return 0;
}

/* Into vals, the values of a call's arguments, evaluated where it is
   made in the order they are written: the positional ones, then the
   keyword ones, whose names go to *kwnames (a tuple the arena holds). */
static int
eval_arguments(Frontend *fe, PyObject *args, PyObject *kws, PjVar **vals,
               PyObject **kwnames)
{
    Py_ssize_t na = PyList_GET_SIZE(args), nk = PyList_GET_SIZE(kws);
    for (Py_ssize_t i = 0; i < na; i++) {
        PyObject *a = PyList_GET_ITEM(args, i);
        if (kind_of(a) == AST_Starred) {
            return unsupported(fe, a, "*args in a call");
        }
        RETURN_IF_ERROR((vals[i] = expr(fe, a)) ? 0 : -1);
    }
    *kwnames = PyTuple_New(nk);
    if (*kwnames == NULL
        || pj_arena_add_pyobject(fe->cx->arena, *kwnames) < 0) {
        Py_XDECREF(*kwnames);
        return -1;
    }
    Py_DECREF(*kwnames);        /* the arena holds it */
    for (Py_ssize_t k = 0; k < nk; k++) {
        PyObject *kw = PyList_GET_ITEM(kws, k);
        PyObject *name = field(fe, kw, "arg");
        PyObject *value = name ? field(fe, kw, "value") : NULL;
        if (name == Py_None) {
            return unsupported(fe, kw, "**kwargs in a call");
        }
        if (value == NULL || (vals[na + k] = expr(fe, value)) == NULL) {
            return -1;
        }
        PyTuple_SET_ITEM(*kwnames, k, Py_NewRef(name));
    }
    return 0;
}

/* Parameter i's value at a call bound by b: its argument, or its
   default. */
static PjVar *
param_value(Frontend *fe, Inner *fn, const PjBinding *b, PjVar **vals,
            int i)
{
    if (b->arg[i] >= 0) {
        return vals[b->arg[i]];
    }
    Default *d = &fn->defaults[i];
    return d->value ? d->value : expr(fe, d->node);
}

/* `*rest`: the tuple of the positional arguments past the others. */
static int
bind_varargs(Frontend *fe, PyObject *node, Inner *fn, const PjBinding *b,
             PjVar **vals)
{
    PyObject *a = field(fe, fn->node, "args");
    PyObject *vararg = a ? field(fe, a, "vararg") : NULL;
    PyObject *id = vararg ? field(fe, vararg, "arg") : NULL;
    PjInstr *ins = id ? emit_value(fe, PJ_OP_BUILD_TUPLE, loc_of(node),
                                   vals + b->vararg_first, b->nvarargs)
                      : NULL;
    bool local;
    PjVar *p = ins ? local_var(fe, id, &local) : NULL;
    return p ? emit_copy(fe, p, ins->dst, loc_of(node)) : -1;
}

/* Gives fn's parameters, which are variables of this call, the values b
   binds them to: the call's arguments, evaluated by the caller, or their
   defaults. */
static int
bind_inner(Frontend *fe, PyObject *node, Inner *fn, const PjParams *p,
           const PjBinding *b, PjVar **vals)
{
    for (int i = 0; i < pj_params_count(p); i++) {
        bool local;
        PjVar *param = local_var(fe, pj_params_name(p, i), &local);
        PjVar *v = param ? param_value(fe, fn, b, vals, i) : NULL;
        RETURN_IF_ERROR(v ? emit_copy(fe, param, v, loc_of(node)) : -1);
    }
    return p->varargs ? bind_varargs(fe, node, fn, b, vals) : 0;
}

/* fn's body, in the scope of the call: a lambda's expression, or a def's
   statements (falling off the end returns None). */
static int
inline_body(Frontend *fe, Inner *fn, PjLoc loc)
{
    Scope *sc = fe->scope;
    PyObject *body = field(fe, fn->node, "body");
    if (body == NULL) {
        return -1;
    }
    if (kind_of(fn->node) == AST_Lambda) {
        PjVar *v = expr(fe, body);
        RETURN_IF_ERROR(v ? emit_copy(fe, sc->result, v, loc) : -1);
    }
    else {
        RETURN_IF_ERROR(stmts(fe, body));
        if (fe->cur == NULL) {
            return 0;
        }
        PjVar *none = emit_const(fe, Py_None, loc);
        RETURN_IF_ERROR(none ? emit_copy(fe, sc->result, none, loc) : -1);
    }
    emit_jump(fe, sc->exit, loc);
    return 0;
}

static int
enter_scope(Frontend *fe, Scope *sc, Inner *fn, PjLoc loc)
{
    PyCodeObject *code = (PyCodeObject *)fn->code;
    PyObject *vars = PyCode_GetVarnames(code);
    PyObject *cells = vars ? PyCode_GetCellvars(code) : NULL;
    *sc = (Scope){.outer = fe->scope, .fn = fn,
                  .names = PyDict_Copy(fn->captured),
                  .localnames = cells ? PySequence_Concat(vars, cells) : NULL,
                  .exit = new_block(fe, loc)};
    Py_XDECREF(vars);
    Py_XDECREF(cells);
    PyObject *ret = PyUnicode_FromFormat("%U.return.%d", fn->name,
                                         ++fe->ninlined);
    sc->result = ret ? pj_ir_var(fe->fn, PyUnicode_AsUTF8(ret)) : NULL;
    Py_XDECREF(ret);
    int rc = sc->names && sc->localnames && sc->result && sc->exit ? 0 : -1;
    rc = rc ? rc : pj_arena_add_pyobject(fe->cx->arena, sc->names);
    rc = rc ? rc : pj_arena_add_pyobject(fe->cx->arena, sc->localnames);
    Py_XDECREF(sc->names);
    Py_XDECREF(sc->localnames);
    return rc;
}

/* Binds a call of fn to its parameters, as Python binds them, into b;
   its arguments' values are in vals. */
static int
bind_call(Frontend *fe, PyObject *node, Inner *fn, PyObject *args,
          PyObject *kws, PjVar **vals, const PjParams *p, PjBinding *b)
{
    PyObject *kwnames = NULL;
    RETURN_IF_ERROR(eval_arguments(fe, args, kws, vals, &kwnames));
    char why[600];
    if (pj_bind(p, (int)PyList_GET_SIZE(args), kwnames, b, why,
                sizeof(why)) < 0) {
        return pj_diag(fe->cx, PJ_ERR_TYPING, loc_of(node), "%s() %s",
                       PyUnicode_AsUTF8(fn->name), why);
    }
    return 0;
}

/* fn(args..., kw=...): fn's body in place of the call, its result the
   value of the call. */
static PjVar *
inline_call(Frontend *fe, PyObject *node, Inner *fn, PyObject *args,
            PyObject *kws)
{
    for (Scope *sc = fe->scope; sc != NULL; sc = sc->outer) {
        if (sc->fn == fn) {
            unsupported_inner(fe, node, fn, "that calls itself");
            return NULL;
        }
    }
    PjParams p;
    if (inner_params(fe, fn, &p) < 0) {
        return NULL;
    }
    PjVar *vals[PJ_MAX_ARGS];
    int arg[PJ_MAX_ARGS];
    PjBinding b = {.arg = arg};
    Scope sc;
    int ninner = fe->ninner;
    int rc = bind_call(fe, node, fn, args, kws, vals, &p, &b);
    rc = rc ? rc : enter_scope(fe, &sc, fn, loc_of(node));
    if (rc < 0) {
        pj_params_clear(&p);
        return NULL;
    }
    fe->scope = &sc;
    rc = bind_inner(fe, node, fn, &p, &b, vals);
    rc = rc ? rc : inline_body(fe, fn, loc_of(node));
    pj_params_clear(&p);
    fe->scope = sc.outer;
    fe->ninner = ninner;        /* what it defined is gone with it */
    start_block(fe, sc.exit);
    return rc < 0 ? NULL : sc.result;
}

/* The inner function a call calls, if it calls one: a name bound to one,
   or a lambda called where it is written. */
static Inner *
called_inner(Frontend *fe, PyObject *func)
{
    if (kind_of(func) == AST_Lambda) {
        return define_inner(fe, func, pj_str("<lambda>"));
    }
    if (kind_of(func) != AST_Name) {
        return NULL;
    }
    PyObject *id = field(fe, func, "id");
    return id ? inner_named(fe, id) : NULL;
}

/* A jitted function made of an inner function lives as long as the code
   that may return it to Python: for the process, as compiled code does
   (its type does not hold it, functions.c). */
static int
keep_alive(PyObject *disp)
{
    static PyObject *made;
    if (made == NULL && (made = PyList_New(0)) == NULL) {
        return -1;
    }
    return PyList_Append(made, disp);
}

/* Gives func, the Python function of fn's code, fn's defaults, which a
   value of fn compiled apart from the code around it can only take when
   they are constants. */
static int
give_defaults(Frontend *fe, PyObject *node, Inner *fn, PyObject *func)
{
    PyCodeObject *co = (PyCodeObject *)fn->code;
    int npos = co->co_argcount, n = npos + co->co_kwonlyargcount;
    PyObject *names = PyCode_GetVarnames(co);
    PyObject *pos = PyList_New(0), *kw = PyDict_New();
    int rc = names && pos && kw ? 0 : -1;
    for (int i = 0; rc == 0 && i < n; i++) {
        Default *d = &fn->defaults[i];
        if (d->value != NULL) {
            unsupported_inner(fe, node, fn, "with a default that is not a "
                              "constant, as a value (only calls to it are "
                              "compiled)");
            rc = -1;
        }
        PyObject *k = rc == 0 && d->node ? fold(fe, d->node) : NULL;
        if (k != NULL) {
            rc = i < npos ? PyList_Append(pos, k)
                          : PyDict_SetItem(kw, PyTuple_GET_ITEM(names, i), k);
            Py_DECREF(k);
        }
    }
    PyObject *t = rc == 0 ? PyList_AsTuple(pos) : NULL;
    rc = t ? PyFunction_SetDefaults(func, PyTuple_GET_SIZE(t) ? t : Py_None)
           : -1;
    rc = rc ? rc : PyFunction_SetKwDefaults(func, PyDict_GET_SIZE(kw) ? kw
                                                                     : Py_None);
    Py_XDECREF(t);
    Py_XDECREF(names);
    Py_XDECREF(pos);
    Py_XDECREF(kw);
    return rc;
}

/* An inner function used as a value: a jitted function of its code, when
   it uses no outer variable, its source the function's own text. */
static PjVar *
inner_value(Frontend *fe, PyObject *node, Inner *fn)
{
    if (((PyCodeObject *)fn->code)->co_nfreevars > 0) {
        unsupported_inner(fe, node, fn, "that uses variables of the "
                          "function around it, as a value (only calls to "
                          "it are compiled)");
        return NULL;
    }
    PjParams p;
    if (inner_params(fe, fn, &p) < 0) {
        return NULL;
    }
    pj_params_clear(&p);
    PjFuncInfo *info = fe->cx->info;
    PyObject *pyjit = PyImport_ImportModule("pyjit");
    PyObject *func = pyjit ? PyFunction_New(fn->code, info->globals) : NULL;
    if (func != NULL && give_defaults(fe, node, fn, func) < 0) {
        Py_CLEAR(func);
    }
    PyObject *where = func ? PyObject_CallMethod(
        pj_state->source_module, "inner_info", "OOO", fn->node,
        info->filename, info->lines) : NULL;
    PyObject *disp = where && PyObject_SetAttrString(
        func, "__pyjit_source__", where) == 0
        ? PyObject_CallMethod(pyjit, "njit", "O", func) : NULL;
    Py_XDECREF(pyjit);
    Py_XDECREF(func);
    Py_XDECREF(where);
    if (disp == NULL || keep_alive(disp) < 0) {
        Py_XDECREF(disp);
        return NULL;
    }
    return emit_global(fe, node, PyUnicode_AsUTF8(fn->name), disp, false);
}

/* A lambda that is not called where it is written: bound to the names
   an assignment gives it, or a value. */
static PjVar *
expr_lambda(Frontend *fe, PyObject *node)
{
    Inner *fn = define_inner(fe, node, pj_str("<lambda>"));
    return fn ? inner_value(fe, node, fn) : NULL;
}

/* The positions of a call's operands written *t (spread.c spreads
   them), marks, with operand k added; the arena holds the tuple. */
static PyObject *
mark_spread(Frontend *fe, PyObject *marks, Py_ssize_t k)
{
    Py_ssize_t n = marks ? PyTuple_GET_SIZE(marks) : 0;
    PyObject *more = PyTuple_New(n + 1);
    PyObject *pos = more ? PyLong_FromSsize_t(k) : NULL;
    if (pos == NULL) {
        Py_XDECREF(more);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyTuple_SET_ITEM(more, i, Py_NewRef(PyTuple_GET_ITEM(marks, i)));
    }
    PyTuple_SET_ITEM(more, n, pos);
    int rc = pj_arena_add_pyobject(fe->cx->arena, more);
    Py_DECREF(more);            /* the arena holds it */
    return rc < 0 ? NULL : more;
}

/* A call's operand `*name`, name a global or closure variable holding a
   tuple that has no type as a whole, as a tuple of Numba types has none
   (`Dict.empty(*kv_ty)` with kv_ty = (types.int64, types.unicode_type)):
   the tuple (a new reference), spread here into one constant operand per
   item, with *name and *freevar set.  NULL otherwise, an exception set
   only on an error. */
static PyObject *
constant_spread(Frontend *fe, PyObject *a, const char **name, bool *freevar)
{
    PyObject *value = kind_of(a) == AST_Starred ? field(fe, a, "value")
                                                : NULL;
    PyObject *id = value && kind_of(value) == AST_Name
                   ? field(fe, value, "id") : NULL;
    bool local = true;
    if (id == NULL || inner_named(fe, id) != NULL) {
        return NULL;
    }
    local_var(fe, id, &local);
    if (local || PyErr_Occurred()) {
        return NULL;
    }
    PyObject *tuple = lookup_global(fe, id, freevar);
    if (tuple == NULL || !PyTuple_CheckExact(tuple)
        || pj_type_of_object(fe->cx, tuple) != NULL) {
        Py_XDECREF(tuple);
        return NULL;
    }
    PyErr_Clear();
    *name = PyUnicode_AsUTF8(id);
    return tuple;
}

/* The items of a constant tuple as operands src[*n...] of a call. */
static int
spread_constants(Frontend *fe, PyObject *a, PyObject *tuple,
                 const char *name, bool freevar, PjVar **src, Py_ssize_t *n)
{
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(tuple); k++) {
        if (*n >= PJ_MAX_ARGS) {
            return unsupported(fe, a, "a call with more than 254 "
                                      "arguments");
        }
        PyObject *item = Py_NewRef(PyTuple_GET_ITEM(tuple, k));
        if ((src[(*n)++] = emit_global(fe, a, name, item, freevar)) == NULL) {
            return -1;
        }
    }
    return 0;
}

/* The object a global name or a chain of attributes of one names (an
   exception class a raise names, a class isinstance tests for), resolved
   now like any global: a new reference, or NULL. */
static PyObject *
named_object(Frontend *fe, PyObject *node)
{
    PyObject *cls = NULL;
    if (kind_of(node) == AST_Name) {
        bool freevar;
        PyObject *id = field(fe, node, "id");
        cls = id ? lookup_global(fe, id, &freevar) : NULL;
    }
    else if (kind_of(node) == AST_Attribute) {
        PyObject *value = field(fe, node, "value");
        PyObject *attr = field(fe, node, "attr");
        PyObject *base = value ? named_object(fe, value) : NULL;
        cls = base ? PyObject_GetAttr(base, attr) : NULL;
        Py_XDECREF(base);
        PyErr_Clear();
    }
    return cls;
}

/* type(None), the class of None, for `isinstance(x, type(None))`: a new
   reference, or NULL for any other call. */
static PyObject *
type_of_none(Frontend *fe, PyObject *node)
{
    PyObject *f = field(fe, node, "func"), *args = field(fe, node, "args");
    PyObject *id = f && kind_of(f) == AST_Name ? field(fe, f, "id") : NULL;
    PyObject *arg = args && PyList_GET_SIZE(args) == 1
                    ? PyList_GET_ITEM(args, 0) : NULL;
    PyObject *value = arg && kind_of(arg) == AST_Constant
                      ? field(fe, arg, "value") : NULL;
    if (id == NULL || value != Py_None
        || PyUnicode_CompareWithASCIIString(id, "type") != 0) {
        return NULL;
    }
    return Py_NewRef((PyObject *)Py_TYPE(Py_None));
}

/* tuple itself when all its items are classes, else NULL; steals the
   reference. */
static PyObject *
all_classes(PyObject *tuple)
{
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(tuple); i++) {
        if (!PyType_Check(PyTuple_GET_ITEM(tuple, i))) {
            Py_DECREF(tuple);
            return NULL;
        }
    }
    return tuple;
}

/* The classes `isinstance(x, C)` names in C: a class or a tuple of
   classes named by a global (or an attribute chain of one), `type(None)`,
   or a tuple of those, as a new tuple; NULL, with no exception, for
   anything else. */
static PyObject *
isinstance_classes(Frontend *fe, PyObject *node)
{
    if (kind_of(node) == AST_Tuple) {
        PyObject *elts = field(fe, node, "elts");
        Py_ssize_t n = elts ? PyList_GET_SIZE(elts) : 0;
        PyObject *all = elts ? PyTuple_New(0) : NULL;
        for (Py_ssize_t i = 0; i < n && all != NULL; i++) {
            PyObject *part = isinstance_classes(fe, PyList_GET_ITEM(elts, i));
            PyObject *joined = part ? PySequence_Concat(all, part) : NULL;
            Py_XDECREF(part);
            Py_SETREF(all, joined);
        }
        return all;
    }
    bool local = true;
    PyObject *id = kind_of(node) == AST_Name ? field(fe, node, "id") : NULL;
    if (id != NULL) {
        local_var(fe, id, &local);
    }
    PyObject *cls = kind_of(node) == AST_Call ? type_of_none(fe, node)
                    : (id != NULL && local) ? NULL : named_object(fe, node);
    PyErr_Clear();
    if (cls != NULL && PyTuple_CheckExact(cls)) {
        return all_classes(cls);    /* a global tuple of classes */
    }
    if (cls == NULL || !PyType_Check(cls)) {
        Py_XDECREF(cls);
        return NULL;
    }
    PyObject *one = PyTuple_Pack(1, cls);
    Py_DECREF(cls);
    return one;
}

/* Whether the call calls the builtin `name` with nargs positional
   arguments: the name is not bound in the function or its module. */
static bool
calls_builtin(Frontend *fe, PyObject *func, PyObject *args, Py_ssize_t nk,
              const char *name, Py_ssize_t nargs)
{
    PyObject *id = kind_of(func) == AST_Name ? field(fe, func, "id") : NULL;
    bool local = true;
    if (id == NULL || nk != 0 || PyList_GET_SIZE(args) != nargs
        || PyUnicode_CompareWithASCIIString(id, name) != 0
        || inner_named(fe, id) != NULL) {
        PyErr_Clear();
        return false;
    }
    local_var(fe, id, &local);
    bool freevar;
    PyObject *f = local ? NULL : lookup_global(fe, id, &freevar);
    PyErr_Clear();
    PyObject *builtins = PyEval_GetBuiltins();
    bool is = f != NULL && builtins != NULL
              && f == PyDict_GetItemString(builtins, name);
    Py_XDECREF(f);
    return is;
}

static int emit_raise(Frontend *fe, PyObject *cls, PyObject *args,
                      PjVar **vals, int n, PjLoc loc);

/* iter(x): the iterator a for loop over x takes. */
static PjVar *
expr_iter(Frontend *fe, PyObject *node, PyObject *args)
{
    PjVar *x = expr(fe, PyList_GET_ITEM(args, 0));
    PjInstr *gi = x ? emit_value(fe, PJ_OP_GETITER, loc_of(node), &x, 1)
                    : NULL;
    return gi ? gi->dst : NULL;
}

/* next(it): the next item of the iterator, which advances as a for loop
   over it advances it (the variable's own state), or StopIteration. */
static PjVar *
expr_next(Frontend *fe, PyObject *node, PyObject *args)
{
    PjLoc loc = loc_of(node);
    PjVar *it = expr(fe, PyList_GET_ITEM(args, 0));
    PjInstr *next = it ? emit_value(fe, PJ_OP_ITERNEXT, loc, &it, 1) : NULL;
    PjInstr *ok = next ? emit_value(fe, PJ_OP_PAIR_SECOND, loc, &next->dst, 1)
                       : NULL;
    PjBlock *done = new_block(fe, loc), *has = new_block(fe, loc);
    PyObject *none = PyTuple_New(0);
    if (ok == NULL || done == NULL || has == NULL || none == NULL) {
        Py_XDECREF(none);
        return NULL;
    }
    emit_branch(fe, ok->dst, has, done, loc);
    start_block(fe, done);
    int rc = emit_raise(fe, PyExc_StopIteration, none, NULL, 0, loc);
    Py_DECREF(none);
    start_block(fe, has);
    PjInstr *item = rc == 0 ? emit_value(fe, PJ_OP_PAIR_FIRST, loc,
                                         &next->dst, 1) : NULL;
    return item ? item->dst : NULL;
}

/* isinstance(x, C): a call of pyjit/_isinstance.py's isinstance_of(x, key),
   key a string constant naming C's classes, which typing decides from
   x's type (typeinfer.c prunes the branch it rules out). */
static PjVar *
expr_isinstance(Frontend *fe, PyObject *node, PyObject *args)
{
    PyObject *classes = isinstance_classes(fe, PyList_GET_ITEM(args, 1));
    if (classes == NULL) {
        return unsupported(fe, node, "isinstance() whose classes are not "
                           "named by globals (int, np.float64, a jitclass, "
                           "or a tuple of such names)"), NULL;
    }
    PyObject *mod = pj_import_once(&pj_state->isinstance_module,
                                   "pyjit._isinstance");
    PyObject *key = mod ? PyObject_CallMethod(mod, "key_of", "(O)", classes)
                        : NULL;
    PyObject *test = key ? PyObject_GetAttrString(mod, "isinstance_of")
                         : NULL;
    Py_DECREF(classes);
    PjVar *src[3] = {NULL, NULL, NULL};
    if (key != NULL && test != NULL) {
        src[0] = emit_global(fe, node, "isinstance_of", Py_NewRef(test),
                              false);
        src[1] = src[0] ? expr(fe, PyList_GET_ITEM(args, 0)) : NULL;
        src[2] = src[1] ? emit_const(fe, key, loc_of(node)) : NULL;
    }
    Py_XDECREF(key);
    Py_XDECREF(test);
    PjInstr *ins = src[2] ? emit_value(fe, PJ_OP_CALL, loc_of(node), src, 3)
                          : NULL;
    return ins ? ins->dst : NULL;
}

static PjVar *
expr_call(Frontend *fe, PyObject *node)
{
    PyObject *func = field(fe, node, "func"), *args = field(fe, node, "args");
    PyObject *kws = field(fe, node, "keywords");
    if (func == NULL || args == NULL || kws == NULL) {
        return NULL;
    }
    Py_ssize_t na = PyList_GET_SIZE(args), nk = PyList_GET_SIZE(kws);
    if (na + nk + 1 > PJ_MAX_ARGS) {
        return unsupported(fe, node, "a call with more than 254 arguments"),
               NULL;
    }
    PyObject *plan = NULL;
    if (format_plan_of(fe, node, &plan) < 0) {
        return NULL;
    }
    if (plan != NULL) {
        return expr_format_call(fe, node, plan);
    }
    if (calls_builtin(fe, func, args, nk, "isinstance", 2)) {
        return expr_isinstance(fe, node, args);
    }
    if (calls_builtin(fe, func, args, nk, "iter", 1)) {
        return expr_iter(fe, node, args);
    }
    if (calls_builtin(fe, func, args, nk, "next", 1)) {
        return expr_next(fe, node, args);
    }
    PjVar *src[PJ_MAX_ARGS];
    Inner *fn = called_inner(fe, func);
    if (fn != NULL || PyErr_Occurred()) {
        return fn ? inline_call(fe, node, fn, args, kws) : NULL;
    }
    if ((src[0] = expr(fe, func)) == NULL) {
        return NULL;
    }
    PyObject *spread = NULL;
    Py_ssize_t n = 1;           /* the operands so far, the callee first */
    for (Py_ssize_t i = 0; i < na; i++) {
        PyObject *a = PyList_GET_ITEM(args, i);
        const char *name;
        bool freevar;
        PyObject *tuple = constant_spread(fe, a, &name, &freevar);
        if (tuple != NULL || PyErr_Occurred()) {
            int rc = tuple ? spread_constants(fe, a, tuple, name, freevar,
                                              src, &n) : -1;
            Py_XDECREF(tuple);
            if (rc < 0) {
                return NULL;
            }
            continue;
        }
        if (n >= PJ_MAX_ARGS) {
            return unsupported(fe, a, "a call with more than 254 "
                                      "arguments"), NULL;
        }
        if (kind_of(a) == AST_Starred
            && (spread = mark_spread(fe, spread, n)) == NULL) {
            return NULL;
        }
        /* sum(e for x in it): the generator's items, made a list */
        src[n] = kind_of(a) == AST_GeneratorExp && na == 1
                 ? expr_list_comprehension(fe, a)
                 : expr(fe, kind_of(a) == AST_Starred
                            ? field(fe, a, "value") : a);
        if (src[n++] == NULL) {
            return NULL;
        }
    }
    if (n + nk > PJ_MAX_ARGS) {
        return unsupported(fe, node, "a call with more than 254 arguments"),
               NULL;
    }
    PyObject *kwnames = nk ? PyTuple_New(nk) : NULL;
    if (nk && (kwnames == NULL
               || pj_arena_add_pyobject(fe->cx->arena, kwnames) < 0)) {
        Py_XDECREF(kwnames);
        return NULL;
    }
    Py_XDECREF(kwnames);        /* the arena holds it */
    for (Py_ssize_t i = 0; i < nk; i++) {
        PyObject *kw = PyList_GET_ITEM(kws, i);
        PyObject *arg = field(fe, kw, "arg"), *value = field(fe, kw, "value");
        if (arg == NULL || value == NULL) {
            return NULL;
        }
        if (arg == Py_None) {
            return unsupported(fe, kw, "**kwargs in a call"), NULL;
        }
        PyTuple_SET_ITEM(kwnames, i, Py_NewRef(arg));
        if ((src[n + i] = expr(fe, value)) == NULL) {
            return NULL;
        }
    }
    PjInstr *ins = emit_value(fe, PJ_OP_CALL, loc_of(node), src,
                              (int)(n + nk));
    if (ins == NULL) {
        return NULL;
    }
    ins->obj = kwnames;
    ins->obj2 = spread;
    return ins->dst;
}

static PjVar *
expr_attribute(Frontend *fe, PyObject *node)
{
    PyObject *value = field(fe, node, "value");
    PyObject *attr = field(fe, node, "attr");
    PjVar *v = value && attr ? expr(fe, value) : NULL;
    if (v == NULL) {
        return NULL;
    }
    PjInstr *ins = emit_value(fe, PJ_OP_GETATTR, loc_of(node), &v, 1);
    if (ins == NULL) {
        return NULL;
    }
    ins->name = pj_arena_strdup(fe->cx->arena, PyUnicode_AsUTF8(attr));
    return ins->dst;
}

/* A constant integer index, folded as CPython folds it: t[0], t[-1],
   t[n - 1] with n a constant.  1: *out is set; 0: not a constant index;
   -1: an error. */
static int
constant_index(Frontend *fe, PyObject *node, long *out)
{
    PyObject *v = fold(fe, node);
    if (v == NULL) {
        return PyErr_Occurred() ? -1 : 0;
    }
    int overflow = 0;
    long n = PyLong_CheckExact(v) ? PyLong_AsLongAndOverflow(v, &overflow)
                                  : LONG_MAX;
    Py_DECREF(v);
    if (overflow || n > INT32_MAX || n < -INT32_MAX) {
        return 0;
    }
    *out = n;
    return 1;
}

/* A slice part: None, or a constant integer (+1: bound, 0: absent). */
static int
slice_part(Frontend *fe, PyObject *slice, const char *name, PyObject **out)
{
    PyObject *part = field(fe, slice, name);
    long v;
    if (part == NULL) {
        return -1;
    }
    if (part == Py_None) {
        *out = Py_NewRef(Py_None);
        return 0;
    }
    int rc = constant_index(fe, part, &v);
    if (rc <= 0) {
        return rc < 0 ? -1 : 1;
    }
    *out = PyLong_FromLong(v);
    return *out ? 0 : -1;
}

/* Whether every bound of lower:upper:step is a constant or absent: 1 yes,
   0 no, -1 an error. */
static int
constant_slice(Frontend *fe, PyObject *slice)
{
    static const char *const names[3] = {"lower", "upper", "step"};
    for (int i = 0; i < 3; i++) {
        PyObject *part = field(fe, slice, names[i]);
        long v;
        if (part == NULL) {
            return -1;
        }
        int rc = part == Py_None ? 1 : constant_index(fe, part, &v);
        if (rc <= 0) {
            return rc;
        }
    }
    return 1;
}

/* t[a:b:c] with constant bounds: STATIC_GETITEM with a slice object, as
   Numba prints it (tuples are sliced when the function compiles). */
static PjVar *
expr_static_slice(Frontend *fe, PyObject *node, PjVar *v, PyObject *slice)
{
    PyObject *parts[3] = {NULL, NULL, NULL};
    static const char *const names[3] = {"lower", "upper", "step"};
    int rc = 0;
    for (int i = 0; i < 3 && rc == 0; i++) {
        rc = slice_part(fe, slice, names[i], &parts[i]);
    }
    PyObject *obj = rc == 0 ? PySlice_New(parts[0], parts[1], parts[2]) : NULL;
    for (int i = 0; i < 3; i++) {
        Py_XDECREF(parts[i]);
    }
    if (rc > 0) {
        return unsupported(fe, slice, "a slice whose bounds are not "
                                      "constants"), NULL;
    }
    PjInstr *ins = obj ? emit_value(fe, PJ_OP_STATIC_GETITEM, loc_of(node),
                                    &v, 1) : NULL;
    if (ins == NULL || pj_arena_add_pyobject(fe->cx->arena, obj) < 0) {
        Py_XDECREF(obj);
        return NULL;
    }
    Py_DECREF(obj);
    ins->obj = obj;
    return ins->dst;
}

/* The builtin `name` itself, whatever the function's globals call so. */
static PjVar *
emit_builtin(Frontend *fe, const char *name, PjLoc loc)
{
    PyObject *builtins = PyEval_GetBuiltins();
    PyObject *obj = builtins ? PyDict_GetItemString(builtins, name) : NULL;
    if (obj == NULL) {
        PyErr_Format(PyExc_SystemError, "no builtins.%s", name);
        return NULL;
    }
    PjInstr *g = emit_value(fe, PJ_OP_GLOBAL, loc, NULL, 0);
    if (g == NULL || pj_arena_add_pyobject(fe->cx->arena, obj) < 0) {
        return NULL;
    }
    g->obj = obj;
    g->name = name;
    return g->dst;
}

/* obj.name(args...) */
static PjVar *
emit_method_call(Frontend *fe, PjVar *obj, const char *name, PjVar **args,
                 int n, PjLoc loc)
{
    PjInstr *m = emit_value(fe, PJ_OP_GETATTR, loc, &obj, 1);
    if (m == NULL) {
        return NULL;
    }
    m->name = name;
    PjVar *src[3] = {m->dst};
    for (int i = 0; i < n; i++) {
        src[1 + i] = args[i];
    }
    PjInstr *ins = emit_value(fe, PJ_OP_CALL, loc, src, 1 + n);
    return ins ? ins->dst : NULL;
}

/* {k: v, ...} is dict() filled item by item, {e, ...} set() filled by
   add(): the empty display takes the types of its keys and values from
   what is stored in it, here or later in the function.  The keys and
   values are computed before the dict is made, so that one that cannot
   be typed is reported as itself, not as a dict of unknown types. */
static PjVar *
expr_dict(Frontend *fe, PyObject *node)
{
    PyObject *keys = field(fe, node, "keys");
    PyObject *values = field(fe, node, "values");
    if (keys == NULL || values == NULL) {
        return NULL;
    }
    PjLoc loc = loc_of(node);
    Py_ssize_t n = PyList_GET_SIZE(keys);
    PjVar **items = PJ_NEW_N(fe->cx->arena, PjVar *, 2 * n + 1);
    if (items == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *k = PyList_GET_ITEM(keys, i);
        if (k == Py_None) {
            return unsupported(fe, node, "** in a dict display"), NULL;
        }
        if ((items[2 * i] = expr(fe, k)) == NULL
            || (items[2 * i + 1] = expr(fe, PyList_GET_ITEM(values, i)))
                   == NULL) {
            return NULL;
        }
    }
    PjVar *fn = emit_builtin(fe, "dict", loc);
    PjInstr *d = fn ? emit_value(fe, PJ_OP_CALL, loc, &fn, 1) : NULL;
    for (Py_ssize_t i = 0; d != NULL && i < n; i++) {
        PjVar *src[3] = {d->dst, items[2 * i], items[2 * i + 1]};
        if (emit(fe, PJ_OP_SETITEM, loc, src, 3) == NULL) {
            return NULL;
        }
    }
    return d ? d->dst : NULL;
}

/* Whether every element folds to a constant: CPython then compiles a
   display of more than two as a frozenset constant that a new set is
   updated from, which places the items as set(frozenset) does. */
static bool
constant_display(Frontend *fe, PyObject *elts)
{
    Py_ssize_t n = PyList_GET_SIZE(elts);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *v = fold(fe, PyList_GET_ITEM(elts, i));
        if (v == NULL) {
            PyErr_Clear();
            return false;
        }
        Py_DECREF(v);
    }
    return n > 2;
}

static PjVar *
expr_set(Frontend *fe, PyObject *node)
{
    PyObject *elts = field(fe, node, "elts");
    PjLoc loc = loc_of(node);
    PjVar *fn = elts ? emit_builtin(fe, "set", loc) : NULL;
    PjInstr *s = fn ? emit_value(fe, PJ_OP_CALL, loc, &fn, 1) : NULL;
    for (Py_ssize_t i = 0; s != NULL && i < PyList_GET_SIZE(elts); i++) {
        PyObject *e = PyList_GET_ITEM(elts, i);
        if (kind_of(e) == AST_Starred) {
            return unsupported(fe, e, "* in a set display"), NULL;
        }
        PjVar *v = expr(fe, e);
        if (v == NULL || emit_method_call(fe, s->dst, "add", &v, 1, loc)
                         == NULL) {
            return NULL;
        }
    }
    if (s != NULL && constant_display(fe, elts)) {
        PjVar *src[2] = {emit_builtin(fe, "set", loc), s->dst};
        s = src[0] ? emit_value(fe, PJ_OP_CALL, loc, src, 2) : NULL;
    }
    return s ? s->dst : NULL;
}

/* lower:upper:step with bounds known only at run time (or inside a tuple
   of indices): a call of builtins.slice, as Python evaluates it. */
static PjVar *
expr_slice(Frontend *fe, PyObject *node)
{
    static const char *const names[3] = {"lower", "upper", "step"};
    PjLoc loc = loc_of(node);
    PjVar *src[4] = {emit_builtin(fe, "slice", loc)};
    if (src[0] == NULL) {
        return NULL;
    }
    for (int i = 0; i < 3; i++) {
        PyObject *part = field(fe, node, names[i]);
        if (part == NULL) {
            return NULL;
        }
        src[1 + i] = part == Py_None ? emit_const(fe, Py_None, loc)
                                     : expr(fe, part);
        if (src[1 + i] == NULL) {
            return NULL;
        }
    }
    PjInstr *ins = emit_value(fe, PJ_OP_CALL, loc, src, 4);
    return ins ? ins->dst : NULL;
}

/* --- f-strings --- */

/* c(v) for a conversion c: 's' str, 'r' repr, 'a' ascii, 'i' int; v
   itself for none. */
static PjVar *
emit_conversion(Frontend *fe, PjVar *v, long c, PjLoc loc)
{
    const char *name = c == 's' ? "str" : c == 'r' ? "repr"
                       : c == 'a' ? "ascii" : c == 'i' ? "int" : NULL;
    if (name == NULL) {
        return v;
    }
    PjVar *src[2] = {emit_builtin(fe, name, loc), v};
    PjInstr *ins = src[0] ? emit_value(fe, PJ_OP_CALL, loc, src, 2) : NULL;
    return ins ? ins->dst : NULL;
}

/* format(c(v), spec), spec NULL for none: one field of an f-string, as
   Python evaluates it. */
static PjVar *
emit_field(Frontend *fe, PjVar *v, long c, PjVar *spec, PjLoc loc)
{
    PjVar *src[3] = {emit_builtin(fe, "format", loc),
                     emit_conversion(fe, v, c, loc), spec};
    int n = spec ? 3 : 2;
    PjInstr *ins = src[0] && src[1] ? emit_value(fe, PJ_OP_CALL, loc, src, n)
                                    : NULL;
    return ins ? ins->dst : NULL;
}

/* acc + piece, for the pieces of a string; piece itself at first. */
static PjVar *
emit_concat(Frontend *fe, PjVar *acc, PjVar *piece, PjLoc loc)
{
    if (acc == NULL || piece == NULL) {
        return piece;
    }
    PjVar *src[2] = {acc, piece};
    PjInstr *ins = emit_value(fe, PJ_OP_BINOP, loc, src, 2);
    if (ins != NULL) {
        ins->sub = PJ_BIN_ADD;
    }
    return ins ? ins->dst : NULL;
}

static PjVar *
emit_empty_str(Frontend *fe, PjLoc loc)
{
    PyObject *empty = PyUnicode_New(0, 0);
    PjVar *v = empty ? emit_const(fe, empty, loc) : NULL;
    Py_XDECREF(empty);
    return v;
}

/* {value!c:spec} is format(c(value), spec), c being str, repr or ascii,
   as Python evaluates it. */
static PjVar *
expr_formatted(Frontend *fe, PyObject *node)
{
    PjLoc loc = loc_of(node);
    PyObject *value = field(fe, node, "value");
    PyObject *conv = field(fe, node, "conversion");
    PyObject *spec = field(fe, node, "format_spec");
    PjVar *v = value && conv && spec ? expr(fe, value) : NULL;
    if (v == NULL) {
        return NULL;
    }
    PjVar *sv = NULL;
    if (spec != Py_None && (sv = expr(fe, spec)) == NULL) {
        return NULL;
    }
    return emit_field(fe, v, PyLong_AsLong(conv), sv, loc);
}

/* f"a{x}b": the pieces joined by +. */
static PjVar *
expr_joined_str(Frontend *fe, PyObject *node)
{
    PyObject *values = field(fe, node, "values");
    if (values == NULL) {
        return NULL;
    }
    PjLoc loc = loc_of(node);
    Py_ssize_t n = PyList_GET_SIZE(values);
    if (n == 0) {
        return emit_empty_str(fe, loc);
    }
    PjVar *acc = NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PjVar *piece = expr(fe, PyList_GET_ITEM(values, i));
        if (piece == NULL || (acc = emit_concat(fe, acc, piece, loc)) == NULL) {
            return NULL;
        }
    }
    return acc;
}

/* --- "...".format(...) and "..." % args --- */

/* The constant format string of "...".format(...) or "..." % args, or
   NULL (borrowed). */
static PyObject *
format_string_of(Frontend *fe, PyObject *node)
{
    if (kind_of(node) == AST_BinOp) {
        PyObject *op = field(fe, node, "op"), *l = field(fe, node, "left");
        return op && l && kind_of(op) == AST_Mod && kind_of(l) == AST_Constant
               ? field(fe, l, "value") : NULL;
    }
    PyObject *func = field(fe, node, "func");
    if (func == NULL || kind_of(func) != AST_Attribute) {
        return NULL;
    }
    PyObject *attr = field(fe, func, "attr"), *obj = field(fe, func, "value");
    return attr && obj && PyUnicode_CompareWithASCIIString(attr, "format") == 0
           && kind_of(obj) == AST_Constant ? field(fe, obj, "value") : NULL;
}

/* The arguments of "..." % args: the items of a tuple display, or the
   one value (new reference). */
static PyObject *
percent_args(Frontend *fe, PyObject *node)
{
    PyObject *r = field(fe, node, "right");
    if (r == NULL) {
        return NULL;
    }
    if (kind_of(r) == AST_Tuple) {
        PyObject *elts = field(fe, r, "elts");
        return elts ? PySequence_Tuple(elts) : NULL;
    }
    return PyTuple_Pack(1, r);
}

/* Whether a call's arguments can be planned: no *args, no **kwargs. */
static PyObject *
format_call_kwnames(Frontend *fe, PyObject *node)
{
    PyObject *args = field(fe, node, "args"), *kws = field(fe, node, "keywords");
    if (args == NULL || kws == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(args); i++) {
        if (kind_of(PyList_GET_ITEM(args, i)) == AST_Starred) {
            return Py_NewRef(Py_None);
        }
    }
    PyObject *names = PyTuple_New(PyList_GET_SIZE(kws));
    for (Py_ssize_t i = 0; names != NULL && i < PyList_GET_SIZE(kws); i++) {
        PyObject *arg = field(fe, PyList_GET_ITEM(kws, i), "arg");
        if (arg == NULL || arg == Py_None) {
            Py_DECREF(names);
            return arg ? Py_NewRef(Py_None) : NULL;
        }
        PyTuple_SET_ITEM(names, i, Py_NewRef(arg));
    }
    return names;
}

/* pyjit/_strformat.py's plan of a call of "...".format or of "..." % args
   with a constant string, into *plan (borrowed, held by the arena), or
   NULL when the node is neither or the plan cannot express it. */
static int
format_plan_of(Frontend *fe, PyObject *node, PyObject **plan)
{
    *plan = NULL;
    PyObject *fmt = format_string_of(fe, node);
    if (fmt == NULL || !PyUnicode_Check(fmt)) {
        return PyErr_Occurred() ? -1 : 0;
    }
    PyObject *mod = pj_import_once(&pj_state->strformat_module,
                                   "pyjit._strformat");
    PyObject *r = NULL;
    if (mod != NULL && kind_of(node) == AST_BinOp) {
        PyObject *args = percent_args(fe, node);
        r = args ? PyObject_CallMethod(mod, "percent_plan", "On", fmt,
                                       PyTuple_GET_SIZE(args)) : NULL;
        Py_XDECREF(args);
    }
    else if (mod != NULL) {
        PyObject *names = format_call_kwnames(fe, node);
        PyObject *args = names ? field(fe, node, "args") : NULL;
        r = names == Py_None ? Py_NewRef(Py_None)
            : args ? PyObject_CallMethod(mod, "format_plan", "OnO", fmt,
                                         PyList_GET_SIZE(args), names)
            : NULL;
        Py_XDECREF(names);
    }
    if (r == NULL || pj_arena_add_pyobject(fe->cx->arena, r) < 0) {
        Py_XDECREF(r);
        return -1;
    }
    Py_DECREF(r);               /* the arena holds it */
    *plan = r == Py_None ? NULL : r;
    return 0;
}

/* v's attributes (str) and constant items (int) of a field's chain, in
   order: "{0.real}", "{1[2]}". */
static PjVar *
emit_chain(Frontend *fe, PjVar *v, PyObject *chain, PjLoc loc)
{
    for (Py_ssize_t i = 0; v != NULL && i < PyTuple_GET_SIZE(chain); i++) {
        PyObject *key = PyTuple_GET_ITEM(chain, i);
        bool attr = PyUnicode_Check(key);
        PjInstr *ins = emit_value(fe, attr ? PJ_OP_GETATTR
                                           : PJ_OP_STATIC_GETITEM, loc, &v, 1);
        if (ins != NULL && attr) {
            ins->name = pj_arena_strdup(fe->cx->arena, PyUnicode_AsUTF8(key));
        }
        else if (ins != NULL) {
            ins->sub = (int)PyLong_AsLong(key);
        }
        v = ins ? ins->dst : NULL;
    }
    return v;
}

/* The string a plan describes, over the arguments' values vals. */
static PjVar *
emit_plan(Frontend *fe, PyObject *plan, PjVar **vals, PjLoc loc)
{
    PjVar *acc = NULL;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(plan); i++) {
        PyObject *p = PyTuple_GET_ITEM(plan, i);
        PjVar *piece;
        if (PyUnicode_Check(p)) {
            piece = emit_const(fe, p, loc);
        }
        else {
            PyObject *conv = PyTuple_GET_ITEM(p, 1);
            PyObject *spec = PyTuple_GET_ITEM(p, 2);
            PjVar *sv = spec == Py_None ? NULL
                        : emit_plan(fe, spec, vals, loc);
            long c = PyUnicode_GET_LENGTH(conv)
                     ? (long)PyUnicode_READ_CHAR(conv, 0) : 0;
            PjVar *v = emit_chain(fe, vals[PyLong_AsSsize_t(
                                      PyTuple_GET_ITEM(p, 0))],
                                  PyTuple_GET_ITEM(p, 3), loc);
            piece = v == NULL || (spec != Py_None && sv == NULL) ? NULL
                    : emit_field(fe, v, c, sv, loc);
        }
        if (piece == NULL || (acc = emit_concat(fe, acc, piece, loc)) == NULL) {
            return NULL;
        }
    }
    return acc ? acc : emit_empty_str(fe, loc);
}

/* Evaluates the expressions of the list `exprs` in order into vals,
   from vals[at] on. */
static int
eval_all(Frontend *fe, PyObject *exprs, PjVar **vals, Py_ssize_t at,
         bool keywords)
{
    for (Py_ssize_t i = 0; i < PySequence_Size(exprs); i++) {
        PyObject *e = PySequence_GetItem(exprs, i);
        PyObject *x = e && keywords ? field(fe, e, "value") : e;
        vals[at + i] = x ? expr(fe, x) : NULL;
        Py_XDECREF(e);
        if (vals[at + i] == NULL) {
            return -1;
        }
    }
    return 0;
}

/* "...".format(a, b, k=c) with a plan: the arguments evaluated once each,
   in the order written, then the f-string the plan is. */
static PjVar *
expr_format_call(Frontend *fe, PyObject *node, PyObject *plan)
{
    PjVar *vals[PJ_MAX_ARGS];
    PyObject *args = field(fe, node, "args"), *kws = field(fe, node, "keywords");
    if (args == NULL || kws == NULL) {
        return NULL;
    }
    Py_ssize_t na = PyList_GET_SIZE(args);
    if (na + PyList_GET_SIZE(kws) > PJ_MAX_ARGS) {
        return unsupported(fe, node, "a call with more than 254 arguments"),
               NULL;
    }
    if (eval_all(fe, args, vals, 0, false) < 0
        || eval_all(fe, kws, vals, na, true) < 0) {
        return NULL;
    }
    return emit_plan(fe, plan, vals, loc_of(node));
}

/* "..." % args with a plan: args evaluated (each item of a tuple display,
   in order), then the f-string the plan is. */
static PjVar *
expr_percent(Frontend *fe, PyObject *node, PyObject *plan)
{
    PjVar *vals[PJ_MAX_ARGS];
    PyObject *args = percent_args(fe, node);
    if (args == NULL) {
        return NULL;
    }
    int rc = PyTuple_GET_SIZE(args) > PJ_MAX_ARGS
             ? unsupported(fe, node, "more than 254 values to format")
             : eval_all(fe, args, vals, 0, false);
    Py_DECREF(args);
    return rc < 0 ? NULL : emit_plan(fe, plan, vals, loc_of(node));
}

static PjVar *
expr_subscript(Frontend *fe, PyObject *node)
{
    PyObject *value = field(fe, node, "value");
    PyObject *slice = field(fe, node, "slice");
    PjVar *v = value && slice ? expr(fe, value) : NULL;
    if (v == NULL) {
        return NULL;
    }
    int rc = kind_of(slice) == AST_Slice ? constant_slice(fe, slice) : 0;
    if (rc != 0) {
        return rc > 0 ? expr_static_slice(fe, node, v, slice) : NULL;
    }
    long index;
    if ((rc = constant_index(fe, slice, &index)) < 0) {
        return NULL;
    }
    if (rc > 0) {
        PjInstr *ins = emit_value(fe, PJ_OP_STATIC_GETITEM, loc_of(node),
                                  &v, 1);
        if (ins == NULL) {
            return NULL;
        }
        ins->sub = (int)index;
        return ins->dst;
    }
    PjVar *src[2] = {v, expr(fe, slice)};
    if (src[1] == NULL) {
        return NULL;
    }
    PjInstr *ins = emit_value(fe, PJ_OP_GETITEM, loc_of(node), src, 2);
    return ins ? ins->dst : NULL;
}

/* A tuple or list display: op builds it from its items. */
static PjVar *
expr_display(Frontend *fe, PyObject *node, int op, const char *what)
{
    PyObject *elts = field(fe, node, "elts");
    if (elts == NULL) {
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(elts);
    if (n > PJ_MAX_ARGS) {
        pj_diag(fe->cx, PJ_ERR_UNSUPPORTED, loc_of(node), "Use of "
                "unsupported syntax: a %s display of more than 255 items",
                what);
        return NULL;
    }
    PjVar *src[PJ_MAX_ARGS];
    PyObject *spread = NULL;    /* (x, *t): spread.c's marks */
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *e = PyList_GET_ITEM(elts, i);
        if (kind_of(e) == AST_Starred) {
            if (op != PJ_OP_BUILD_TUPLE) {
                pj_diag(fe->cx, PJ_ERR_UNSUPPORTED, loc_of(e), "Use of "
                        "unsupported syntax: starred expression in a %s",
                        what);
                return NULL;
            }
            if ((spread = mark_spread(fe, spread, i)) == NULL) {
                return NULL;
            }
            e = field(fe, e, "value");
        }
        if (e == NULL || (src[i] = expr(fe, e)) == NULL) {
            return NULL;
        }
    }
    PjInstr *ins = emit_value(fe, op, loc_of(node), src, (int)n);
    if (ins != NULL) {
        ins->obj2 = spread;
    }
    return ins ? ins->dst : NULL;
}

static PjVar *
expr_namedexpr(Frontend *fe, PyObject *node)
{
    PyObject *target = field(fe, node, "target");
    PyObject *value = field(fe, node, "value");
    PjVar *v = target && value ? expr(fe, value) : NULL;
    if (v == NULL || assign_to(fe, target, v, loc_of(node)) < 0) {
        return NULL;
    }
    return v;
}

/* A constant, or an operator on constants folded into one (a new
   reference, consumed here). */
static PjVar *
constant_value(Frontend *fe, PyObject *node, PyObject *value)
{
    PjVar *v = NULL;
    if (value == NULL) {
        return NULL;
    }
    if (!(PyLong_CheckExact(value) || PyFloat_CheckExact(value)
          || PyComplex_CheckExact(value) || PyBool_Check(value)
          || value == Py_None || value == Py_Ellipsis
          || PyUnicode_CheckExact(value) || PyBytes_CheckExact(value))) {
        unsupported(fe, node, "a constant of this type");
    }
    else {
        v = emit_const(fe, value, loc_of(node));
    }
    Py_DECREF(value);
    return v;
}

/* An operator: the constant it folds to, or the operation. */
static PjVar *
expr_operator(Frontend *fe, PyObject *node, int kind)
{
    PyObject *value = fold(fe, node);
    if (value != NULL) {
        return constant_value(fe, node, value);
    }
    if (PyErr_Occurred()) {
        return NULL;
    }
    return kind == AST_BinOp ? expr_binop(fe, node) : expr_unary(fe, node);
}

/* Evaluates an expression; returns the variable holding its value. */
static PjVar *
expr(Frontend *fe, PyObject *node)
{
    int kind = kind_of(node);
    switch (kind) {
    case AST_Name: return load_name(fe, node);
    case AST_Constant: return constant_value(fe, node, fold(fe, node));
    case AST_BinOp:
    case AST_UnaryOp:
        return expr_operator(fe, node, kind);
    case AST_BoolOp: return expr_boolop(fe, node);
    case AST_Compare: return expr_compare(fe, node);
    case AST_IfExp: return expr_ifexp(fe, node);
    case AST_Call: return expr_call(fe, node);
    case AST_Attribute: return expr_attribute(fe, node);
    case AST_Subscript: return expr_subscript(fe, node);
    case AST_Slice: return expr_slice(fe, node);
    case AST_Tuple:
        return expr_display(fe, node, PJ_OP_BUILD_TUPLE, "tuple");
    case AST_List: return expr_display(fe, node, PJ_OP_BUILD_LIST, "list");
    case AST_NamedExpr: return expr_namedexpr(fe, node);
    case AST_Lambda: return expr_lambda(fe, node);
    case AST_Dict: return expr_dict(fe, node);
    case AST_Set: return expr_set(fe, node);
    case AST_ListComp: return expr_list_comprehension(fe, node);
    case AST_SetComp: return expr_set_comprehension(fe, node);
    case AST_DictComp: return expr_dict_comprehension(fe, node);
    case AST_GeneratorExp:
        unsupported(fe, node, "generator expression, other than as the "
                              "only argument of a call");
        return NULL;
    case AST_Yield:
        unsupported(fe, node, "the value of a yield expression (a "
                              "generator's send)");
        return NULL;
    case AST_YieldFrom:
        unsupported(fe, node, "yield from (Numba does not compile it "
                              "either): yield the items one by one, "
                              "`for v in gen(...): yield v`");
        return NULL;
    case AST_JoinedStr: return expr_joined_str(fe, node);
    case AST_FormattedValue: return expr_formatted(fe, node);
    default:
        pj_diag(fe->cx, PJ_ERR_UNSUPPORTED, loc_of(node),
                "Use of unsupported syntax: %s expression",
                type_name_of(node));
        return NULL;
    }
}

/* The step of a for loop over the iterator `iter`, at its head block:
   the next item while there is one, bound to target at the top of body,
   else on to `done`.  Leaves the builder in body. */
static int
for_step(Frontend *fe, PjVar *iter, PjBlock *head, PjBlock *body,
         PjBlock *done, PyObject *target, PjLoc loc)
{
    emit_jump(fe, head, loc);
    start_block(fe, head);
    PjInstr *next = emit_value(fe, PJ_OP_ITERNEXT, loc, &iter, 1);
    PjInstr *ok = next ? emit_value(fe, PJ_OP_PAIR_SECOND, loc, &next->dst, 1)
                       : NULL;
    if (ok == NULL) {
        return -1;
    }
    emit_branch(fe, ok->dst, body, done, loc);
    start_block(fe, body);
    PjInstr *item = emit_value(fe, PJ_OP_PAIR_FIRST, loc, &next->dst, 1);
    return item ? assign_to(fe, target, item->dst, loc) : -1;
}

/* --- comprehensions --- */

/* A comprehension is a loop adding to a fresh container:
   `[e for x in it if c]` is

       $acc = []
       for x in it:
           if c:
               $acc.append(e)

   and each further `for` a loop nested in the one before.  The
   accumulator says how the container is made and how an item is added.
   The comprehension's variables are its own, renamed in the IR, so that
   they neither see nor change the function's. */
typedef struct Accumulator {
    PjVar *(*make)(Frontend *fe, PjLoc loc);
    int (*add)(Frontend *fe, PjVar *acc, PyObject *node, PjLoc loc);
} Accumulator;

static PjVar *
make_list(Frontend *fe, PjLoc loc)
{
    PjInstr *ins = emit_value(fe, PJ_OP_BUILD_LIST, loc, NULL, 0);
    return ins ? ins->dst : NULL;
}

static int
append_elt(Frontend *fe, PjVar *acc, PyObject *node, PjLoc loc)
{
    PyObject *elt = field(fe, node, "elt");
    PjVar *v = elt ? expr(fe, elt) : NULL;
    return v && emit_method_call(fe, acc, "append", &v, 1, loc) ? 0 : -1;
}

static const Accumulator list_accumulator = {make_list, append_elt};

/* dict() and set(), as their empty displays make them. */
static PjVar *
make_empty(Frontend *fe, const char *builtin, PjLoc loc)
{
    PjVar *fn = emit_builtin(fe, builtin, loc);
    PjInstr *ins = fn ? emit_value(fe, PJ_OP_CALL, loc, &fn, 1) : NULL;
    return ins ? ins->dst : NULL;
}

static PjVar *
make_dict(Frontend *fe, PjLoc loc)
{
    return make_empty(fe, "dict", loc);
}

static int
store_entry(Frontend *fe, PjVar *acc, PyObject *node, PjLoc loc)
{
    PyObject *key = field(fe, node, "key");
    PyObject *value = key ? field(fe, node, "value") : NULL;
    PjVar *src[3] = {acc, value ? expr(fe, key) : NULL, NULL};
    if (src[1] == NULL || (src[2] = expr(fe, value)) == NULL) {
        return -1;
    }
    return emit(fe, PJ_OP_SETITEM, loc, src, 3) ? 0 : -1;
}

static const Accumulator dict_accumulator = {make_dict, store_entry};

static PjVar *
make_set(Frontend *fe, PjLoc loc)
{
    return make_empty(fe, "set", loc);
}

static int
add_elt(Frontend *fe, PjVar *acc, PyObject *node, PjLoc loc)
{
    PyObject *elt = field(fe, node, "elt");
    PjVar *v = elt ? expr(fe, elt) : NULL;
    return v && emit_method_call(fe, acc, "add", &v, 1, loc) ? 0 : -1;
}

static const Accumulator set_accumulator = {make_set, add_elt};

/* Gives each name the target binds a variable of the comprehension's
   own. */
static int
rename_targets(Frontend *fe, PyObject *target)
{
    int kind = kind_of(target);
    if (kind == AST_Tuple || kind == AST_List) {
        PyObject *elts = field(fe, target, "elts");
        for (Py_ssize_t i = 0; elts && i < PyList_GET_SIZE(elts); i++) {
            RETURN_IF_ERROR(rename_targets(fe, PyList_GET_ITEM(elts, i)));
        }
        return elts ? 0 : -1;
    }
    if (kind != AST_Name) {
        return unsupported(fe, target, "this target in a comprehension");
    }
    PyObject *id = field(fe, target, "id");
    PyObject *own = id ? PyUnicode_FromFormat("%U.comp%d", id, fe->ncomps)
                       : NULL;
    int rc = own ? PyDict_SetItem(fe->comp_names, id, own) : -1;
    Py_XDECREF(own);
    return rc;
}

/* The value a loop iterates: a temporary used only there, which a kind
   may make a lazy iterator (PjKind.type_iterated_method). */
static PjVar *
iterable_expr(Frontend *fe, PyObject *iter)
{
    PjVar *v = expr(fe, iter);
    if (v != NULL && v->is_temp) {
        v->only_iterated = true;
    }
    return v;
}

/* The loops of generators k, k + 1, ... around the accumulator's add. */
static int
comprehension_loops(Frontend *fe, PyObject *node, PyObject *gens,
                    Py_ssize_t k, const Accumulator *acc, PjVar *accv)
{
    PjLoc loc = loc_of(node);
    if (k == PyList_GET_SIZE(gens)) {
        return acc->add(fe, accv, node, loc);
    }
    PyObject *g = PyList_GET_ITEM(gens, k);
    PyObject *target = field(fe, g, "target"), *iter = field(fe, g, "iter");
    PyObject *ifs = field(fe, g, "ifs"), *is_async = field(fe, g, "is_async");
    if (target == NULL || iter == NULL || ifs == NULL || is_async == NULL) {
        return -1;
    }
    if (PyObject_IsTrue(is_async)) {
        return unsupported(fe, g, "async comprehension");
    }
    PjVar *iterable = iterable_expr(fe, iter);
    PjInstr *gi = iterable ? emit_value(fe, PJ_OP_GETITER, loc, &iterable, 1)
                           : NULL;
    PjBlock *head = new_block(fe, loc), *body = new_block(fe, loc);
    PjBlock *exit = new_block(fe, loc);
    if (gi == NULL || head == NULL || body == NULL || exit == NULL
        || rename_targets(fe, target) < 0
        || for_step(fe, gi->dst, head, body, exit, target, loc) < 0) {
        return -1;
    }
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(ifs); i++) {
        PjVar *cond = expr(fe, PyList_GET_ITEM(ifs, i));
        PjBlock *pass = new_block(fe, loc);
        if (cond == NULL || pass == NULL) {
            return -1;
        }
        emit_branch(fe, cond, pass, head, loc);
        start_block(fe, pass);
    }
    RETURN_IF_ERROR(comprehension_loops(fe, node, gens, k + 1, acc, accv));
    emit_jump(fe, head, loc);
    start_block(fe, exit);
    return 0;
}

static PjVar *
expr_comprehension(Frontend *fe, PyObject *node, const Accumulator *acc)
{
    PyObject *gens = field(fe, node, "generators");
    if (gens == NULL) {
        return NULL;
    }
    if (fe->comp_names == NULL) {
        fe->comp_names = PyDict_New();
        if (fe->comp_names == NULL
            || pj_arena_add_pyobject(fe->cx->arena, fe->comp_names) < 0) {
            Py_XDECREF(fe->comp_names);
            fe->comp_names = NULL;
            return NULL;
        }
        Py_DECREF(fe->comp_names);      /* the arena holds it */
    }
    /* names the comprehension binds shadow the same names outside it
       only while it runs */
    PyObject *outer = PyDict_Copy(fe->comp_names);
    PjVar *accv = outer ? acc->make(fe, loc_of(node)) : NULL;
    fe->ncomps++;
    int rc = accv ? comprehension_loops(fe, node, gens, 0, acc, accv) : -1;
    if (outer != NULL) {
        PyDict_Clear(fe->comp_names);
        if (PyDict_Update(fe->comp_names, outer) < 0) {
            rc = -1;
        }
        Py_DECREF(outer);
    }
    return rc < 0 ? NULL : accv;
}

static PjVar *
expr_list_comprehension(Frontend *fe, PyObject *node)
{
    return expr_comprehension(fe, node, &list_accumulator);
}

static PjVar *
expr_dict_comprehension(Frontend *fe, PyObject *node)
{
    return expr_comprehension(fe, node, &dict_accumulator);
}

static PjVar *
expr_set_comprehension(Frontend *fe, PyObject *node)
{
    return expr_comprehension(fe, node, &set_accumulator);
}

/* --- assignment --- */

static int
assign_unpack(Frontend *fe, PyObject *target, PjVar *value, PjLoc loc)
{
    PyObject *elts = field(fe, target, "elts");
    if (elts == NULL) {
        return -1;
    }
    Py_ssize_t n = PyList_GET_SIZE(elts);
    PjInstr *ex = emit_value(fe, PJ_OP_EXHAUST_ITER, loc, &value, 1);
    if (ex == NULL) {
        return -1;
    }
    ex->sub = (int)n;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *t = PyList_GET_ITEM(elts, i);
        if (kind_of(t) == AST_Starred) {
            return unsupported(fe, t, "starred assignment target");
        }
        PjInstr *g = emit_value(fe, PJ_OP_STATIC_GETITEM, loc, &ex->dst, 1);
        if (g == NULL) {
            return -1;
        }
        g->sub = (int)i;
        RETURN_IF_ERROR(assign_to(fe, t, g->dst, loc));
    }
    return 0;
}

static int
assign_subscript(Frontend *fe, PyObject *target, PjVar *value, PjLoc loc)
{
    PyObject *obj = field(fe, target, "value");
    PyObject *slice = field(fe, target, "slice");
    if (obj == NULL || slice == NULL) {
        return -1;
    }
    PjVar *src[3] = {expr(fe, obj), NULL, value};
    if (src[0] == NULL || (src[1] = expr(fe, slice)) == NULL) {
        return -1;
    }
    return emit(fe, PJ_OP_SETITEM, loc, src, 3) ? 0 : -1;
}

/* obj.name = value, obj evaluated already. */
static int
emit_setattr(Frontend *fe, PjVar *obj, PyObject *attr, PjVar *value,
             PjLoc loc)
{
    PjVar *src[2] = {obj, value};
    PjInstr *ins = emit(fe, PJ_OP_SETATTR, loc, src, 2);
    if (ins == NULL) {
        return -1;
    }
    ins->name = pj_arena_strdup(fe->cx->arena, PyUnicode_AsUTF8(attr));
    return ins->name ? 0 : -1;
}

static int
assign_attribute(Frontend *fe, PyObject *target, PjVar *value, PjLoc loc)
{
    PyObject *obj = field(fe, target, "value");
    PyObject *attr = field(fe, target, "attr");
    PjVar *v = obj && attr ? expr(fe, obj) : NULL;
    return v ? emit_setattr(fe, v, attr, value, loc) : -1;
}

static int
assign_to(Frontend *fe, PyObject *target, PjVar *value, PjLoc loc)
{
    switch (kind_of(target)) {
    case AST_Name: {
        PyObject *id = field(fe, target, "id");
        bool local;
        PjVar *v = id ? local_var(fe, id, &local) : NULL;
        forget_inner(fe, id);
        return v ? emit_copy(fe, v, value, loc) : -1;
    }
    case AST_Tuple:
    case AST_List:
        return assign_unpack(fe, target, value, loc);
    case AST_Subscript:
        return assign_subscript(fe, target, value, loc);
    case AST_Attribute:
        return assign_attribute(fe, target, value, loc);
    default:
        return unsupported(fe, target, "this assignment target");
    }
}

/* --- statements --- */

static int
stmt_assign(Frontend *fe, PyObject *node)
{
    PyObject *targets = field(fe, node, "targets");
    PyObject *value = field(fe, node, "value");
    if (targets && value && kind_of(value) == AST_Lambda
        && PyList_GET_SIZE(targets) == 1
        && kind_of(PyList_GET_ITEM(targets, 0)) == AST_Name) {
        /* f = lambda ...: f names an inner function */
        PyObject *id = field(fe, PyList_GET_ITEM(targets, 0), "id");
        forget_inner(fe, id);
        return id && define_inner(fe, value, id) ? 0 : -1;
    }
    PjVar *v = targets && value ? expr(fe, value) : NULL;
    if (v == NULL) {
        return -1;
    }
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(targets); i++) {
        RETURN_IF_ERROR(assign_to(fe, PyList_GET_ITEM(targets, i), v,
                                  loc_of(node)));
    }
    return 0;
}

static int
stmt_annassign(Frontend *fe, PyObject *node)
{
    PyObject *target = field(fe, node, "target");
    PyObject *value = field(fe, node, "value");
    if (target == NULL || value == NULL) {
        return -1;
    }
    if (value == Py_None) {
        return 0;                 /* a bare annotation does nothing */
    }
    PjVar *v = expr(fe, value);
    return v ? assign_to(fe, target, v, loc_of(node)) : -1;
}

/* Whether a[i] op= y indexes by an index computed at run time, which
   must be evaluated once for the load and the store (a[f()] += 1): 1
   yes, 0 no, -1 an error. */
static int
runtime_index(Frontend *fe, PyObject *target)
{
    PyObject *slice = field(fe, target, "slice");
    long index;
    if (slice == NULL) {
        return -1;
    }
    if (kind_of(slice) == AST_Slice) {
        return 0;
    }
    int rc = constant_index(fe, slice, &index);
    return rc < 0 ? -1 : !rc;
}

/* a[i] op= y: a and i evaluated once, then the load, the operation and
   the store, as Python does them. */
static int
augassign_item(Frontend *fe, PyObject *node, PyObject *target, int op)
{
    PyObject *obj = field(fe, target, "value");
    PyObject *slice = field(fe, target, "slice");
    PyObject *value = field(fe, node, "value");
    PjVar *item[3] = {obj && slice && value ? expr(fe, obj) : NULL};
    if (item[0] == NULL || (item[1] = expr(fe, slice)) == NULL) {
        return -1;
    }
    PjInstr *get = emit_value(fe, PJ_OP_GETITEM, loc_of(target), item, 2);
    PjVar *src[2] = {get ? get->dst : NULL, NULL};
    if (src[0] == NULL || (src[1] = expr(fe, value)) == NULL) {
        return -1;
    }
    PjInstr *ins = emit_value(fe, PJ_OP_INPLACE, loc_of(node), src, 2);
    if (ins == NULL) {
        return -1;
    }
    ins->sub = op;
    item[2] = ins->dst;
    return emit(fe, PJ_OP_SETITEM, loc_of(node), item, 3) ? 0 : -1;
}

/* a.x op= y: a evaluated once, then the load, the operation and the
   store, as Python does them. */
static int
augassign_attribute(Frontend *fe, PyObject *node, PyObject *target, int op)
{
    PyObject *obj = field(fe, target, "value");
    PyObject *attr = field(fe, target, "attr");
    PyObject *value = field(fe, node, "value");
    PjVar *v = obj && attr && value ? expr(fe, obj) : NULL;
    PjInstr *get = v ? emit_value(fe, PJ_OP_GETATTR, loc_of(target), &v, 1)
                     : NULL;
    if (get == NULL) {
        return -1;
    }
    get->name = pj_arena_strdup(fe->cx->arena, PyUnicode_AsUTF8(attr));
    PjVar *src[2] = {get->dst, expr(fe, value)};
    PjInstr *ins = src[1] ? emit_value(fe, PJ_OP_INPLACE, loc_of(node), src,
                                       2) : NULL;
    if (ins == NULL) {
        return -1;
    }
    ins->sub = op;
    return emit_setattr(fe, v, attr, ins->dst, loc_of(node));
}

/* x op= y: Numba's inplace_binop, then the store back into the target. */
static int
stmt_augassign(Frontend *fe, PyObject *node)
{
    PyObject *target = field(fe, node, "target"), *op = field(fe, node, "op");
    PyObject *value = field(fe, node, "value");
    if (target == NULL || op == NULL || value == NULL) {
        return -1;
    }
    int k = kind_of(target);
    if (k == AST_Attribute) {
        return augassign_attribute(fe, node, target, binop_of(kind_of(op)));
    }
    if (k != AST_Name && k != AST_Subscript) {
        return unsupported(fe, target, "augmented assignment to this "
                                       "target");
    }
    int rc = k == AST_Subscript ? runtime_index(fe, target) : 0;
    if (rc != 0) {
        return rc < 0 ? -1 : augassign_item(fe, node, target,
                                            binop_of(kind_of(op)));
    }
    PjVar *src[2] = {expr(fe, target), NULL};
    if (src[0] == NULL || (src[1] = expr(fe, value)) == NULL) {
        return -1;
    }
    PjInstr *ins = emit_value(fe, PJ_OP_INPLACE, loc_of(node), src, 2);
    if (ins == NULL) {
        return -1;
    }
    ins->sub = binop_of(kind_of(op));
    return assign_to(fe, target, ins->dst, loc_of(node));
}

static int
emit_return(Frontend *fe, PjVar *value, PjLoc loc)
{
    if (fe->cx->is_generator && fe->scope == NULL) {
        /* the generator is finished; it returns nothing */
        PjInstr *ret = emit(fe, PJ_OP_RETURN, loc, &value, 1);
        fe->cur = NULL;
        return ret ? 0 : -1;
    }
    PjInstr *cast = emit_value(fe, PJ_OP_CAST, loc, &value, 1);
    PjInstr *ret = cast ? emit(fe, PJ_OP_RETURN, loc, &cast->dst, 1) : NULL;
    if (ret == NULL) {
        return -1;
    }
    fe->cur = NULL;
    return 0;
}

static bool returns_through_finally(Frontend *fe);
static PjVar *leave_finals_with(Frontend *fe, PjVar *v, PjLoc loc);
static int leave_finals(Frontend *fe, int floor, PjLoc loc);
static int emit_reraise(Frontend *fe, PjVar *exc, PjLoc loc);
static PjVar *raised_variable(Frontend *fe, PyObject *name_node);

static int
stmt_return(Frontend *fe, PyObject *node)
{
    PyObject *value = field(fe, node, "value");
    if (value == NULL) {
        return -1;
    }
    if (fe->cx->is_generator && fe->scope == NULL && value != Py_None) {
        return unsupported(fe, node, "return of a value from a generator");
    }
    PjVar *v = value == Py_None ? emit_const(fe, Py_None, loc_of(node))
                                : expr(fe, value);
    if (v != NULL && returns_through_finally(fe)) {
        v = leave_finals_with(fe, v, loc_of(node));
    }
    if (v != NULL && fe->scope != NULL) {
        RETURN_IF_ERROR(emit_copy(fe, fe->scope->result, v, loc_of(node)));
        emit_jump(fe, fe->scope->exit, loc_of(node));
        return 0;
    }
    return v ? emit_return(fe, v, loc_of(node)) : -1;
}

/* The test of an `if` or a `while` as jumps to t (true) and f (false).
   `a and b` / `a or b` jump on each operand in turn, as CPython compiles
   such a test: each operand's truth is taken once, and an operand known
   when the function compiles (a global or closure flag) leaves the
   operands it skips out of the function (typeinfer.c prunes the branch),
   as Numba's dead-branch pruning does for `if FLAG and x:`. */
static int
emit_test(Frontend *fe, PyObject *test, PjBlock *t, PjBlock *f, PjLoc loc)
{
    if (kind_of(test) != AST_BoolOp) {
        PjVar *cond = expr(fe, test);
        if (cond == NULL) {
            return -1;
        }
        emit_branch(fe, cond, t, f, loc);
        return 0;
    }
    PyObject *values = field(fe, test, "values"), *op = field(fe, test, "op");
    if (values == NULL || op == NULL) {
        return -1;
    }
    bool is_and = kind_of(op) == AST_And;
    Py_ssize_t n = PyList_GET_SIZE(values);
    for (Py_ssize_t i = 0; i < n - 1; i++) {
        PjBlock *next = new_block(fe, loc);
        if (next == NULL) {
            return -1;
        }
        RETURN_IF_ERROR(emit_test(fe, PyList_GET_ITEM(values, i),
                                  is_and ? next : t, is_and ? f : next,
                                  loc));
        start_block(fe, next);
    }
    return emit_test(fe, PyList_GET_ITEM(values, n - 1), t, f, loc);
}

static int
stmt_if(Frontend *fe, PyObject *node)
{
    PyObject *test = field(fe, node, "test"), *body = field(fe, node, "body");
    PyObject *orelse = field(fe, node, "orelse");
    PjLoc loc = loc_of(node);
    if (test == NULL || body == NULL || orelse == NULL) {
        return -1;
    }
    PjBlock *bt = new_block(fe, loc_of(PyList_GET_ITEM(body, 0)));
    PjBlock *done = new_block(fe, loc);
    PjBlock *bf = done;
    if (PyList_GET_SIZE(orelse) > 0) {
        bf = new_block(fe, loc_of(PyList_GET_ITEM(orelse, 0)));
    }
    if (bt == NULL || bf == NULL || done == NULL) {
        return -1;
    }
    RETURN_IF_ERROR(emit_test(fe, test, bt, bf, loc));
    start_block(fe, bt);
    RETURN_IF_ERROR(stmts(fe, body));
    emit_jump(fe, done, loc);
    if (bf != done) {
        start_block(fe, bf);
        RETURN_IF_ERROR(stmts(fe, orelse));
        emit_jump(fe, done, loc);
    }
    start_block(fe, done);
    return 0;
}

static int
loop_body(Frontend *fe, PyObject *body, PjBlock *cont, PjBlock *brk)
{
    if (fe->nloops == (int)(sizeof(fe->loops) / sizeof(fe->loops[0]))) {
        return unsupported(fe, PyList_GET_ITEM(body, 0),
                           "loops nested more than 64 deep");
    }
    fe->loops[fe->nloops].cont = cont;
    fe->loops[fe->nloops].brk = brk;
    fe->loops[fe->nloops].nfinals = fe->nfinals;
    fe->nloops++;
    int rc = stmts(fe, body);
    fe->nloops--;
    return rc;
}

/* Runs the loop's `else` clause when the loop ends without break. */
static int
loop_else(Frontend *fe, PyObject *orelse, PjBlock *exit, PjLoc loc)
{
    if (PyList_GET_SIZE(orelse) > 0) {
        RETURN_IF_ERROR(stmts(fe, orelse));
    }
    emit_jump(fe, exit, loc);
    start_block(fe, exit);
    return 0;
}

static int
stmt_while(Frontend *fe, PyObject *node)
{
    PyObject *test = field(fe, node, "test"), *body = field(fe, node, "body");
    PyObject *orelse = field(fe, node, "orelse");
    if (test == NULL || body == NULL || orelse == NULL) {
        return -1;
    }
    PjLoc loc = loc_of(node);
    PjBlock *head = new_block(fe, loc);
    PjBlock *bbody = new_block(fe, loc_of(PyList_GET_ITEM(body, 0)));
    PjBlock *belse = new_block(fe, loc), *exit = new_block(fe, loc);
    if (head == NULL || bbody == NULL || belse == NULL || exit == NULL) {
        return -1;
    }
    emit_jump(fe, head, loc);
    start_block(fe, head);
    RETURN_IF_ERROR(emit_test(fe, test, bbody, belse, loc));
    start_block(fe, bbody);
    RETURN_IF_ERROR(loop_body(fe, body, head, exit));
    emit_jump(fe, head, loc);
    start_block(fe, belse);
    return loop_else(fe, orelse, exit, loc);
}

/* for target in iterable: getiter once, then iternext / pair_second /
   branch in the loop head, pair_first at the top of the body. */
static int stmt_for_loop(Frontend *fe, PyObject *node);

/* Whether the loop iterates over a call of something named
   literal_unroll (what it names is for unroll_plan to resolve). */
static bool
may_unroll(Frontend *fe, PyObject *node)
{
    PyObject *it = field(fe, node, "iter");
    PyObject *f = it && kind_of(it) == AST_Call ? field(fe, it, "func")
                                                 : NULL;
    PyObject *name = f == NULL ? NULL
                     : kind_of(f) == AST_Name ? field(fe, f, "id")
                     : kind_of(f) == AST_Attribute ? field(fe, f, "attr")
                     : NULL;
    PyErr_Clear();
    return name != NULL
           && PyUnicode_CompareWithASCIIString(name, "literal_unroll") == 0;
}

/* pyjit/_literal_unroll.py's plan for a for loop: None, or (number of
   items, the tuple's expression, the names to rename in each copy). */
static PyObject *
unroll_plan(Frontend *fe, PyObject *node)
{
    PjCompile *cx = fe->cx;
    if (!may_unroll(fe, node)) {
        return Py_NewRef(Py_None);
    }
    /* Found before the call: reading the node's fields with plan's error
       set may clear it (a type-attribute lookup that misses CPython's
       method cache clears any error it finds set). */
    PjLoc loc = loc_of(node);
    PyObject *mod = pj_import_once(&pj_state->literal_unroll_module,
                                   "pyjit._literal_unroll");
    PyObject *argtys = PyTuple_New(cx->nargs);
    for (int i = 0; argtys != NULL && i < cx->nargs; i++) {
        PyTuple_SET_ITEM(argtys, i, Py_NewRef((PyObject *)cx->argtys[i]));
    }
    PyObject *r = mod && argtys ? PyObject_CallMethod(
        mod, "plan", "OOOO", cx->info->func, cx->info->node, node, argtys)
        : NULL;
    Py_XDECREF(argtys);
    if (r == NULL) {
        pj_diag_from_typing_error(cx, loc, "unrolling a loop");
    }
    return r;
}

/* Copy k of the unrolled body: the loop variable is item k. */
static int
unrolled_copy(Frontend *fe, PyObject *node, PjVar *tuple, int k,
              PjBlock *next, PjBlock *exit)
{
    PjLoc loc = loc_of(node);
    fe->copy = k;
    PjInstr *item = emit_value(fe, PJ_OP_STATIC_GETITEM, loc, &tuple, 1);
    PyObject *target = field(fe, node, "target");
    PyObject *body = field(fe, node, "body");
    if (item == NULL || target == NULL || body == NULL) {
        return -1;
    }
    item->sub = k;
    RETURN_IF_ERROR(assign_to(fe, target, item->dst, loc));
    RETURN_IF_ERROR(loop_body(fe, body, next, exit));
    emit_jump(fe, next, loc);
    start_block(fe, next);
    return 0;
}

/* `for x in literal_unroll(t):` as one copy of the body per item of t,
   each typed for its item (`continue` goes to the next copy). */
static int
stmt_for_unrolled(Frontend *fe, PyObject *node, PyObject *plan)
{
    PjLoc loc = loc_of(node);
    if (fe->renamed != NULL) {
        return unsupported(fe, node, "literal_unroll inside a loop that "
                                     "literal_unroll unrolls");
    }
    long n = PyLong_AsLong(PyTuple_GET_ITEM(plan, 0));
    PjVar *tuple = expr(fe, PyTuple_GET_ITEM(plan, 1));
    PjBlock *belse = new_block(fe, loc), *exit = new_block(fe, loc);
    if (tuple == NULL || belse == NULL || exit == NULL) {
        return -1;
    }
    fe->renamed = PyTuple_GET_ITEM(plan, 2);
    int rc = 0;
    for (long k = 0; rc == 0 && k < n; k++) {
        PjBlock *next = k + 1 < n ? new_block(fe, loc) : belse;
        rc = next ? unrolled_copy(fe, node, tuple, (int)k, next, exit) : -1;
    }
    fe->renamed = NULL;
    if (n == 0) {
        emit_jump(fe, belse, loc);
        start_block(fe, belse);
    }
    PyObject *orelse = field(fe, node, "orelse");
    return rc < 0 || orelse == NULL ? -1 : loop_else(fe, orelse, exit, loc);
}

static int
stmt_for(Frontend *fe, PyObject *node)
{
    PyObject *plan = unroll_plan(fe, node);
    if (plan == NULL) {
        return -1;
    }
    if (plan != Py_None) {
        int rc = pj_arena_add_pyobject(fe->cx->arena, plan);
        Py_DECREF(plan);
        return rc < 0 ? -1 : stmt_for_unrolled(fe, node, plan);
    }
    Py_DECREF(plan);
    return stmt_for_loop(fe, node);
}

static int
stmt_for_loop(Frontend *fe, PyObject *node)
{
    PyObject *target = field(fe, node, "target"), *iter = field(fe, node,
                                                                "iter");
    PyObject *body = field(fe, node, "body"), *orelse = field(fe, node,
                                                              "orelse");
    if (target == NULL || iter == NULL || body == NULL || orelse == NULL) {
        return -1;
    }
    PjLoc loc = loc_of(node);
    PjVar *iterable = iterable_expr(fe, iter);
    PjInstr *gi = iterable ? emit_value(fe, PJ_OP_GETITER, loc, &iterable, 1)
                           : NULL;
    PjBlock *head = new_block(fe, loc);
    PjBlock *bbody = new_block(fe, loc);
    PjBlock *belse = new_block(fe, loc), *exit = new_block(fe, loc);
    if (gi == NULL || head == NULL || bbody == NULL || belse == NULL
        || exit == NULL
        || for_step(fe, gi->dst, head, bbody, belse, target, loc) < 0) {
        return -1;
    }
    RETURN_IF_ERROR(loop_body(fe, body, head, exit));
    emit_jump(fe, head, loc);
    start_block(fe, belse);
    return loop_else(fe, orelse, exit, loc);
}

static int
stmt_break_continue(Frontend *fe, PyObject *node, bool is_break)
{
    if (fe->nloops == 0) {
        return unsupported(fe, node, "'break' or 'continue' outside a loop");
    }
    Loop *l = &fe->loops[fe->nloops - 1];
    RETURN_IF_ERROR(leave_finals(fe, l->nfinals, loc_of(node)));
    emit_jump(fe, is_break ? l->brk : l->cont, loc_of(node));
    return 0;
}


/* The values of constant arguments (folded), or NULL: some argument is
   not a constant, or an error is set. */
static PyObject *
constant_args(Frontend *fe, PyObject *args)
{
    Py_ssize_t n = PyList_GET_SIZE(args);
    PyObject *res = PyTuple_New(n);
    for (Py_ssize_t i = 0; res != NULL && i < n; i++) {
        PyObject *v = fold(fe, PyList_GET_ITEM(args, i));
        if (v == NULL) {
            Py_DECREF(res);
            return NULL;
        }
        PyTuple_SET_ITEM(res, i, v);
    }
    return res;
}

/* raise cls(*args), the arguments a constant tuple args, or the n values
   vals computed at run time (args NULL). */
static int
emit_raise(Frontend *fe, PyObject *cls, PyObject *args, PjVar **vals, int n,
           PjLoc loc)
{
    PjInstr *ins = emit(fe, PJ_OP_RAISE, loc, vals, n);
    if (ins == NULL || pj_arena_add_pyobject(fe->cx->arena, cls) < 0
        || (args && pj_arena_add_pyobject(fe->cx->arena, args) < 0)) {
        return -1;
    }
    ins->obj = cls;
    ins->obj2 = args;
    fe->cur = NULL;
    return 0;
}

/* Whether module.qualname leads back to cls: compiled code raises a class
   by name (runtime.c), so one defined inside a function cannot be. */
static bool
findable_by_name(PyObject *cls)
{
    PyObject *module = PyObject_GetAttrString(cls, "__module__");
    PyObject *qualname = PyObject_GetAttrString(cls, "__qualname__");
    PyObject *obj = module && PyUnicode_Check(module)
                    ? PyImport_GetModule(module) : NULL;
    PyObject *parts = obj && qualname ? PyUnicode_Split(qualname,
                                                        pj_str("."), -1)
                                      : NULL;
    for (Py_ssize_t i = 0; parts && obj && i < PyList_GET_SIZE(parts); i++) {
        Py_SETREF(obj, PyObject_GetAttr(obj, PyList_GET_ITEM(parts, i)));
    }
    bool found = obj == cls;
    Py_XDECREF(obj);
    Py_XDECREF(parts);
    Py_XDECREF(module);
    Py_XDECREF(qualname);
    PyErr_Clear();
    return found;
}

/* raise Cls / raise Cls(constant, ...): the class and the arguments are
   fixed when the function compiles. */
static int
stmt_raise(Frontend *fe, PyObject *node)
{
    PyObject *exc = field(fe, node, "exc");
    if (exc == NULL) {
        return -1;
    }
    if (exc == Py_None) {
        if (fe->ncaught == 0) {
            return unsupported(fe, node, "bare 'raise' outside an except "
                                         "clause");
        }
        return emit_reraise(fe, fe->caught[fe->ncaught - 1], loc_of(node));
    }
    if (kind_of(exc) == AST_Name) {
        PjVar *caught = raised_variable(fe, exc);
        if (caught != NULL || PyErr_Occurred()) {
            return caught ? emit_reraise(fe, caught, loc_of(node)) : -1;
        }
    }
    PyObject *callee = exc, *args = NULL;
    PjVar *vals[PJ_MAX_ARGS];
    int nvals = 0;
    if (kind_of(exc) == AST_Call) {
        callee = field(fe, exc, "func");
        PyObject *kws = field(fe, exc, "keywords");
        PyObject *a = field(fe, exc, "args");
        if (callee == NULL || kws == NULL || a == NULL) {
            return -1;
        }
        if (PyList_GET_SIZE(kws) != 0 || PyList_GET_SIZE(a) > PJ_MAX_ARGS) {
            return unsupported(fe, exc, "raise with keyword arguments");
        }
        args = constant_args(fe, a);
        if (args == NULL && PyErr_Occurred()) {
            return -1;
        }
        /* the arguments are computed when it raises */
        for (; args == NULL && nvals < PyList_GET_SIZE(a); nvals++) {
            vals[nvals] = expr(fe, PyList_GET_ITEM(a, nvals));
            if (vals[nvals] == NULL) {
                return -1;
            }
        }
    }
    PyObject *cls = named_object(fe, callee);
    if (cls == NULL || !PyExceptionClass_Check(cls)) {
        Py_XDECREF(cls);
        Py_XDECREF(args);
        return pj_diag(fe->cx, PJ_ERR_UNSUPPORTED, loc_of(exc),
                       "Use of unsupported syntax: raise of something that "
                       "is not an exception class known when the function "
                       "compiles");
    }
    if (!findable_by_name(cls)) {
        Py_DECREF(cls);
        Py_XDECREF(args);
        return pj_diag(fe->cx, PJ_ERR_UNSUPPORTED, loc_of(exc),
                       "Use of unsupported syntax: raise of the exception "
                       "class %s, which cannot be found by its module and "
                       "name; compiled code raises classes by name, so "
                       "define it at module level",
                       ((PyTypeObject *)cls)->tp_name);
    }
    if (args == NULL && nvals > 0) {
        int rc = emit_raise(fe, cls, NULL, vals, nvals, loc_of(node));
        Py_DECREF(cls);
        return rc;
    }
    if (args == NULL) {
        args = PyTuple_New(0);
    }
    int rc = args ? emit_raise(fe, cls, args, NULL, 0, loc_of(node)) : -1;
    Py_DECREF(cls);
    Py_XDECREF(args);
    return rc;
}

/* --- try statements ---

   The blocks of a try body carry the block its exceptions go to
   (PjBlock.handler), which begins with CATCH; lowering sends the error
   path of every instruction in them there (exceptions.c).  The except
   clauses test the caught exception in turn and re-raise it when none
   matches.  A finally body is translated once for each way out of the
   try statement: falling off its end, an exception (caught, the body run,
   then raised again), and each return, break and continue that leaves it
   (the body run before the jump). */

/* Continues in a new block whose exceptions go to `handler`. */
static int
enter_handler(Frontend *fe, PjBlock *handler, PjLoc loc)
{
    fe->handler = handler;
    PjBlock *b = new_block(fe, loc);
    if (b == NULL) {
        return -1;
    }
    emit_jump(fe, b, loc);
    start_block(fe, b);
    return 0;
}

/* The variable holding the exception a handler catches. */
static PjVar *
caught_var(Frontend *fe)
{
    char name[32];
    snprintf(name, sizeof(name), "$exc%d", ++fe->ntries);
    return pj_ir_var(fe->fn, name);
}

/* Starts the handler block: exc = the exception being raised. */
static int
emit_catch(Frontend *fe, PjBlock *handler, PjVar *exc, PjLoc loc)
{
    start_block(fe, handler);
    PjInstr *ins = exc ? emit(fe, PJ_OP_CATCH, loc, NULL, 0) : NULL;
    if (ins == NULL) {
        return -1;
    }
    pj_ir_set_dst(ins, exc);
    return 0;
}

static int
emit_reraise(Frontend *fe, PjVar *exc, PjLoc loc)
{
    PjInstr *ins = emit(fe, PJ_OP_RERAISE, loc, &exc, 1);
    fe->cur = NULL;
    return ins ? 0 : -1;
}

/* The variable `raise name` raises again when name is a local variable
   (a caught exception, `raise e`); NULL for a global name. */
static PjVar *
raised_variable(Frontend *fe, PyObject *name_node)
{
    PyObject *id = field(fe, name_node, "id");
    bool local = false;
    PjVar *v = id ? local_var(fe, id, &local) : NULL;
    return local ? v : NULL;
}

/* The classes an except clause names (a tuple): a class or a tuple of
   classes known when the function compiles, each one compiled code can
   find by its name.  NULL with a diagnostic otherwise. */
static PyObject *
except_classes(Frontend *fe, PyObject *type)
{
    PyObject *elts = kind_of(type) == AST_Tuple ? field(fe, type, "elts")
                                                : NULL;
    Py_ssize_t n = elts ? PyList_GET_SIZE(elts) : 1;
    PyObject *classes = PyErr_Occurred() ? NULL : PyTuple_New(n);
    for (Py_ssize_t i = 0; classes != NULL && i < n; i++) {
        PyObject *node = elts ? PyList_GET_ITEM(elts, i) : type;
        PyObject *cls = named_object(fe, node);
        if (cls == NULL || !PyExceptionClass_Check(cls)
            || !findable_by_name(cls)) {
            Py_XDECREF(cls);
            Py_CLEAR(classes);
            if (!PyErr_Occurred()) {
                pj_diag(fe->cx, PJ_ERR_UNSUPPORTED, loc_of(node),
                        "Use of unsupported syntax: except of something "
                        "that is not an exception class defined at module "
                        "level and known when the function compiles");
            }
            break;
        }
        PyTuple_SET_ITEM(classes, i, cls);
    }
    if (classes != NULL && pj_arena_add_pyobject(fe->cx->arena, classes) < 0) {
        Py_CLEAR(classes);
    }
    Py_XDECREF(classes);        /* the arena keeps it */
    return classes;
}

/* Branches to a new block, left current, when the caught exception exc
   is an instance of one of the classes `type` names; to *next otherwise. */
static int
match_clause(Frontend *fe, PyObject *type, PjVar *exc, PjBlock **next,
             PjLoc loc)
{
    PyObject *classes = except_classes(fe, type);
    PjInstr *m = classes ? emit_value(fe, PJ_OP_EXC_MATCH, loc, &exc, 1)
                         : NULL;
    PjBlock *yes = m ? new_block(fe, loc) : NULL;
    *next = yes ? new_block(fe, loc) : NULL;
    if (*next == NULL) {
        return -1;
    }
    m->obj = classes;
    emit_branch(fe, m->dst, yes, *next, loc);
    start_block(fe, yes);
    return 0;
}

/* The body of an except clause, with the exception it handles bound to
   its name and raised again by a bare `raise`. */
static int
clause_body(Frontend *fe, PyObject *h, PjVar *exc, PjBlock *after)
{
    PyObject *name = field(fe, h, "name"), *body = field(fe, h, "body");
    PjLoc loc = loc_of(h);
    if (name == NULL || body == NULL) {
        return -1;
    }
    if (name != Py_None) {
        bool local;
        PjVar *v = local_var(fe, name, &local);
        if (v == NULL || emit_copy(fe, v, exc, loc) < 0) {
            return -1;
        }
    }
    if (fe->ncaught == (int)(sizeof(fe->caught) / sizeof(fe->caught[0]))) {
        return unsupported(fe, h, "except clauses nested more than 16 deep");
    }
    fe->caught[fe->ncaught++] = exc;
    int rc = stmts(fe, body);
    fe->ncaught--;
    emit_jump(fe, after, loc);
    return rc;
}

/* The except clauses, at the handler block of the try body. */
static int
except_clauses(Frontend *fe, PyObject *handlers, PjBlock *dispatch,
               PjBlock *after, PjLoc loc)
{
    PjVar *exc = caught_var(fe);
    RETURN_IF_ERROR(emit_catch(fe, dispatch, exc, loc));
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(handlers); i++) {
        PyObject *h = PyList_GET_ITEM(handlers, i);
        PyObject *type = field(fe, h, "type");
        PjBlock *next = NULL;
        if (type == NULL || (type != Py_None
                             && match_clause(fe, type, exc, &next,
                                             loc_of(h)) < 0)) {
            return -1;
        }
        RETURN_IF_ERROR(clause_body(fe, h, exc, after));
        if (next == NULL) {
            return 0;           /* a bare except: catches everything */
        }
        start_block(fe, next);
    }
    return emit_reraise(fe, exc, loc);
}

/* try: body / except...: / else: orelse */
static int
try_except(Frontend *fe, PyObject *node, PyObject *body, PyObject *handlers,
           PyObject *orelse)
{
    PjLoc loc = loc_of(node);
    PjBlock *outer = fe->handler;
    PjBlock *dispatch = new_block(fe, loc), *after = new_block(fe, loc);
    if (dispatch == NULL || after == NULL) {
        return -1;
    }
    RETURN_IF_ERROR(enter_handler(fe, dispatch, loc));
    int rc = stmts(fe, body);
    RETURN_IF_ERROR(enter_handler(fe, outer, loc));
    if (rc < 0 || stmts(fe, orelse) < 0) {
        return -1;
    }
    emit_jump(fe, after, loc);
    RETURN_IF_ERROR(except_clauses(fe, handlers, dispatch, after, loc));
    start_block(fe, after);
    return 0;
}

/* The try statement without its finally body, which is `fin`. */
static int
try_protected(Frontend *fe, PyObject *node, PyObject *fin, PjBlock *catchall)
{
    PyObject *body = field(fe, node, "body");
    PyObject *handlers = field(fe, node, "handlers");
    PyObject *orelse = field(fe, node, "orelse");
    if (body == NULL || handlers == NULL || orelse == NULL) {
        return -1;
    }
    if (fe->nfinals == (int)(sizeof(fe->finals) / sizeof(fe->finals[0]))) {
        return unsupported(fe, node, "try statements with finally nested "
                                     "more than 16 deep");
    }
    if (catchall != NULL) {
        fe->finals[fe->nfinals++] = (Final){fin, fe->handler, fe->scope,
                                            fe->ncaught};
        RETURN_IF_ERROR(enter_handler(fe, catchall, loc_of(node)));
    }
    int rc = PyList_GET_SIZE(handlers) > 0
             ? try_except(fe, node, body, handlers, orelse)
             : stmts(fe, body);
    fe->nfinals -= catchall != NULL;
    return rc;
}

static int
stmt_try(Frontend *fe, PyObject *node)
{
    PyObject *fin = field(fe, node, "finalbody");
    PjLoc loc = loc_of(node);
    if (fin == NULL) {
        return -1;
    }
    if (PyList_GET_SIZE(fin) == 0) {
        return try_protected(fe, node, fin, NULL);
    }
    PjBlock *outer = fe->handler;
    PjBlock *catchall = new_block(fe, loc);
    if (catchall == NULL || try_protected(fe, node, fin, catchall) < 0) {
        return -1;
    }
    RETURN_IF_ERROR(enter_handler(fe, outer, loc));
    RETURN_IF_ERROR(stmts(fe, fin));
    PjBlock *after = new_block(fe, loc);
    PjVar *exc = caught_var(fe);
    if (after == NULL) {
        return -1;
    }
    emit_jump(fe, after, loc);
    RETURN_IF_ERROR(emit_catch(fe, catchall, exc, loc));
    RETURN_IF_ERROR(stmts(fe, fin));
    RETURN_IF_ERROR(emit_reraise(fe, exc, loc));
    start_block(fe, after);
    return 0;
}

/* Runs the finally bodies a return, break or continue leaves, innermost
   first, down to finals[floor]; each runs outside its own try statement. */
static int
leave_finals(Frontend *fe, int floor, PjLoc loc)
{
    int n = fe->nfinals, ncaught = fe->ncaught;
    PjBlock *handler = fe->handler;
    Final saved[16];
    memcpy(saved, fe->finals, sizeof(Final) * (size_t)n);
    int rc = 0;
    for (int k = n - 1; rc == 0 && k >= floor; k--) {
        fe->nfinals = k;
        fe->ncaught = saved[k].ncaught;
        rc = enter_handler(fe, saved[k].handler, loc);
        rc = rc < 0 ? -1 : stmts(fe, saved[k].body);
    }
    memcpy(fe->finals, saved, sizeof(Final) * (size_t)n);
    fe->nfinals = n;
    fe->ncaught = ncaught;
    fe->handler = handler;
    return rc;
}

/* The first of the finally bodies a return leaves: those of the function
   (or inlined function) it returns from. */
static int
return_floor(Frontend *fe)
{
    int floor = fe->nfinals;
    while (floor > 0 && fe->finals[floor - 1].scope == fe->scope) {
        floor--;
    }
    return floor;
}

static bool
returns_through_finally(Frontend *fe)
{
    return return_floor(fe) < fe->nfinals;
}

/* Runs the finally bodies a return of v leaves; the value returned, v
   as it was before they ran. */
static PjVar *
leave_finals_with(Frontend *fe, PjVar *v, PjLoc loc)
{
    char name[32];
    snprintf(name, sizeof(name), "$ret%d", ++fe->ntries);
    PjVar *kept = pj_ir_var(fe->fn, name);
    if (kept == NULL || emit_copy(fe, kept, v, loc) < 0
        || leave_finals(fe, return_floor(fe), loc) < 0) {
        return NULL;
    }
    return kept;
}

static int
stmt_assert(Frontend *fe, PyObject *node)
{
    PyObject *test = field(fe, node, "test"), *msg = field(fe, node, "msg");
    PjLoc loc = loc_of(node);
    PjVar *cond = test && msg ? expr(fe, test) : NULL;
    PjBlock *fail = new_block(fe, loc), *ok = new_block(fe, loc);
    if (cond == NULL || fail == NULL || ok == NULL) {
        return -1;
    }
    emit_branch(fe, cond, ok, fail, loc);
    start_block(fe, fail);
    PyObject *args;
    if (msg == Py_None) {
        args = PyTuple_New(0);
    }
    else {
        PyObject *list = PyList_New(1);
        if (list == NULL) {
            return -1;
        }
        PyList_SET_ITEM(list, 0, Py_NewRef(msg));
        args = constant_args(fe, list);
        Py_DECREF(list);
        if (args == NULL && PyErr_Occurred()) {
            return -1;
        }
        if (args == NULL) {
            return unsupported(fe, msg, "assert with a message that is not "
                                        "a constant");
        }
    }
    int rc = args ? emit_raise(fe, PyExc_AssertionError, args, NULL, 0, loc)
                  : -1;
    Py_XDECREF(args);
    start_block(fe, ok);
    return rc;
}

/* `yield v` as a statement: the value a generator's next() gives; what
   the expression is worth (send()) is not supported. */
static int
stmt_yield(Frontend *fe, PyObject *node)
{
    PyObject *value = field(fe, node, "value");
    if (value == NULL) {
        return -1;
    }
    if (fe->scope != NULL) {
        return unsupported(fe, node, "yield in an inner function");
    }
    PjVar *v = value == Py_None ? emit_const(fe, Py_None, loc_of(node))
                                : expr(fe, value);
    return v && emit(fe, PJ_OP_YIELD, loc_of(node), &v, 1) ? 0 : -1;
}

static int
stmt_expr(Frontend *fe, PyObject *node)
{
    PyObject *value = field(fe, node, "value");
    if (value == NULL) {
        return -1;
    }
    if (kind_of(value) == AST_Constant) {
        return 0;                  /* docstrings and other bare constants */
    }
    if (kind_of(value) == AST_Yield) {
        return stmt_yield(fe, value);
    }
    return expr(fe, value) ? 0 : -1;
}

/* del x[i], del x[a:b]: x.__delitem__(i), which the kind of x types. */
static int
delete_item(Frontend *fe, PyObject *target)
{
    PyObject *obj = field(fe, target, "value");
    PyObject *slice = field(fe, target, "slice");
    PjVar *o = obj && slice ? expr(fe, obj) : NULL;
    PjVar *i = o ? expr(fe, slice) : NULL;
    return i && emit_method_call(fe, o, "__delitem__", &i, 1,
                                 loc_of(target)) ? 0 : -1;
}

static int
stmt_delete(Frontend *fe, PyObject *node)
{
    PyObject *targets = field(fe, node, "targets");
    if (targets == NULL) {
        return -1;
    }
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(targets); i++) {
        PyObject *t = PyList_GET_ITEM(targets, i);
        if (kind_of(t) == AST_Subscript) {
            RETURN_IF_ERROR(delete_item(fe, t));
        }
        else if (kind_of(t) != AST_Name) {
            return unsupported(fe, t, "del of anything but a variable or "
                                      "an item");
        }
    }
    return 0;                     /* variables simply go out of use */
}

/* A variable an objmode block reads or writes: one of the function's. */
static PjVar *
block_var(Frontend *fe, PyObject *name, PjLoc loc)
{
    bool local;
    PjVar *v = local_var(fe, name, &local);
    if (v == NULL && !local && !PyErr_Occurred()) {
        pj_diag(fe->cx, PJ_ERR_UNSUPPORTED, loc, "an objmode block that "
                "uses '%s', which is not a variable of the function",
                PyUnicode_AsUTF8(name));
    }
    return v;
}

/* The Block's call, its result unpacked into the outputs. */
static int
emit_objmode_block(Frontend *fe, PyObject *block, PyObject *inputs,
                   PyObject *outputs, PjLoc loc)
{
    Py_ssize_t n = PyTuple_GET_SIZE(inputs);
    if (n + 1 > PJ_MAX_ARGS) {
        return pj_diag(fe->cx, PJ_ERR_UNSUPPORTED, loc, "an objmode block "
                       "that reads more than 254 variables");
    }
    PjInstr *g = emit_value(fe, PJ_OP_GLOBAL, loc, NULL, 0);
    if (g == NULL || pj_arena_add_pyobject(fe->cx->arena, block) < 0) {
        return -1;
    }
    g->obj = block;
    g->name = "objmode block";
    PjVar *src[PJ_MAX_ARGS] = {g->dst};
    for (Py_ssize_t i = 0; i < n; i++) {
        if ((src[1 + i] = block_var(fe, PyTuple_GET_ITEM(inputs, i), loc))
            == NULL) {
            return -1;
        }
    }
    PjInstr *call = emit_value(fe, PJ_OP_CALL, loc, src, (int)(1 + n));
    if (call == NULL) {
        return -1;
    }
    Py_ssize_t nout = PyTuple_GET_SIZE(outputs);
    PjInstr *ex = nout ? emit_value(fe, PJ_OP_EXHAUST_ITER, loc, &call->dst,
                                    1) : NULL;
    if (nout && ex == NULL) {
        return -1;
    }
    for (Py_ssize_t i = 0; i < nout; i++) {
        ex->sub = (int)nout;    /* what the unpacking expects */
        PjInstr *item = emit_value(fe, PJ_OP_STATIC_GETITEM, loc, &ex->dst, 1);
        PjVar *out = block_var(fe, PyTuple_GET_ITEM(outputs, i), loc);
        if (item == NULL || out == NULL) {
            return -1;
        }
        item->sub = (int)i;
        RETURN_IF_ERROR(emit_copy(fe, out, item->dst, loc));
    }
    return 0;
}

/* set_parallel_chunksize(v): its result, the previous size. */
static PjVar *
emit_set_chunksize(Frontend *fe, PyObject *node, PyObject *mod, PjVar *v)
{
    PyObject *setter = PyObject_GetAttrString(mod, "set_parallel_chunksize");
    PjVar *src[2] = {setter ? emit_global(fe, node, "set_parallel_chunksize",
                                          setter, false) : NULL, v};
    PjInstr *call = src[0] ? emit_value(fe, PJ_OP_CALL, loc_of(node), src, 2)
                           : NULL;
    return call ? call->dst : NULL;
}

/* `with parallel_chunksize(n): body` as Numba runs it: the chunk size is
   n for the body and the previous one after it (a return or an exception
   out of the body leaves n set, as in Numba).  1: not such a with. */
static int
stmt_chunksize_with(Frontend *fe, PyObject *node)
{
    PyObject *mod = pj_import_once(&pj_state->parallel_module,
                                   "pyjit._parallel");
    PyObject *size = mod ? PyObject_CallMethod(
        mod, "chunksize_block", "OO", fe->cx->info->func, node) : NULL;
    if (size == NULL || size == Py_None) {
        Py_XDECREF(size);
        return PyErr_Occurred() ? -1 : 1;
    }
    int rc = pj_arena_add_pyobject(fe->cx->arena, size);
    Py_DECREF(size);
    char name[32];
    snprintf(name, sizeof(name), "$chunksize%d", ++fe->ntries);
    PjVar *n = rc == 0 ? expr(fe, size) : NULL;
    PjVar *old = n ? emit_set_chunksize(fe, node, mod, n) : NULL;
    PjVar *kept = old ? pj_ir_var(fe->fn, name) : NULL;
    if (kept == NULL || emit_copy(fe, kept, old, loc_of(node)) < 0) {
        return -1;
    }
    RETURN_IF_ERROR(stmts(fe, field(fe, node, "body")));
    if (fe->cur != NULL && emit_set_chunksize(fe, node, mod, kept) == NULL) {
        return -1;
    }
    return 0;
}

/* `with objmode(y='float64'): ...` runs its body on the interpreter
   (objmode_block.c), `with parallel_chunksize(n):` sets the chunk size
   of the prange loops in it; any other with statement is not
   supported. */
static int
stmt_with(Frontend *fe, PyObject *node)
{
    PjLoc loc = loc_of(node);
    int chunked = stmt_chunksize_with(fe, node);
    if (chunked <= 0) {
        return chunked;
    }
    PyObject *r = pj_objmode_block_extract(fe->cx, node, loc);
    if (r == NULL) {
        return -1;
    }
    if (r == Py_None) {
        Py_DECREF(r);
        return unsupported(fe, node, "'with' statement");
    }
    int rc = emit_objmode_block(fe, PyTuple_GET_ITEM(r, 0),
                                PyTuple_GET_ITEM(r, 1),
                                PyTuple_GET_ITEM(r, 2), loc);
    Py_DECREF(r);
    return rc;
}

/* `nonlocal x` in an inner function inlined where it is called: x is
   already the variable of the function around it (the inner function's
   free names are), so assigning it assigns that one, as in Python. */
static int
stmt_nonlocal(Frontend *fe, PyObject *node)
{
    PyObject *names = field(fe, node, "names");
    if (names == NULL) {
        return -1;
    }
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(names); i++) {
        PyObject *name = PyList_GET_ITEM(names, i);
        if (fe->scope == NULL
            || PyDict_Contains(fe->scope->fn->captured, name) != 1) {
            return unsupported(fe, node, "'nonlocal' statement of a name "
                                         "the function around does not "
                                         "bind");
        }
    }
    return 0;
}

static int
stmt(Frontend *fe, PyObject *node)
{
    switch (kind_of(node)) {
    case AST_Assign: return stmt_assign(fe, node);
    case AST_AugAssign: return stmt_augassign(fe, node);
    case AST_AnnAssign: return stmt_annassign(fe, node);
    case AST_Return: return stmt_return(fe, node);
    case AST_If: return stmt_if(fe, node);
    case AST_While: return stmt_while(fe, node);
    case AST_For: return stmt_for(fe, node);
    case AST_Break: return stmt_break_continue(fe, node, true);
    case AST_Continue: return stmt_break_continue(fe, node, false);
    case AST_Raise: return stmt_raise(fe, node);
    case AST_Assert: return stmt_assert(fe, node);
    case AST_Expr: return stmt_expr(fe, node);
    case AST_Delete: return stmt_delete(fe, node);
    case AST_Pass: return 0;
    case AST_With: return stmt_with(fe, node);
    case AST_Try: return stmt_try(fe, node);
    case AST_TryStar: return unsupported(fe, node, "'try' ... 'except*'");
    case AST_FunctionDef: return stmt_def(fe, node);
    case AST_AsyncFunctionDef:
        return unsupported(fe, node, "an async function defined inside a "
                                     "jitted function");
    case AST_ClassDef: return unsupported(fe, node, "class definition");
    case AST_Import:
    case AST_ImportFrom: return unsupported(fe, node, "import statement");
    case AST_Global:
        return unsupported(fe, node, "'global' statement");
    case AST_Nonlocal: return stmt_nonlocal(fe, node);
    case AST_Match: return unsupported(fe, node, "'match' statement");
    default:
        return pj_diag(fe->cx, PJ_ERR_UNSUPPORTED, loc_of(node),
                       "Use of unsupported syntax: %s statement",
                       type_name_of(node));
    }
}

static int
stmts(Frontend *fe, PyObject *body)
{
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(body); i++) {
        RETURN_IF_ERROR(stmt(fe, PyList_GET_ITEM(body, i)));
        if (PyErr_Occurred()) {
            return -1;
        }
    }
    return 0;
}

/* --- the function --- */

/* The first statement that is not the docstring: where the arguments are
   shown in inspect_types, as Numba shows them. */
static PjLoc
body_start(Frontend *fe, PyObject *body)
{
    Py_ssize_t i = 0;
    PyObject *first = PyList_GET_ITEM(body, 0);
    if (PyList_GET_SIZE(body) > 1 && kind_of(first) == AST_Expr) {
        PyObject *v = field(fe, first, "value");
        if (v != NULL && kind_of(v) == AST_Constant) {
            i = 1;
        }
    }
    PyErr_Clear();
    return loc_of(PyList_GET_ITEM(body, i));
}

/* One ARG instruction per parameter, in co_varnames order: positional,
   keyword-only, then *args. */
static int
emit_args(Frontend *fe, PjLoc loc)
{
    PjFuncInfo *info = fe->cx->info;
    int n = info->argcount + info->kwonlycount + info->has_varargs;
    PyObject *names = PyObject_GetAttrString(info->code, "co_varnames");
    if (names == NULL) {
        return -1;
    }
    fe->fn->nargs = n;
    fe->fn->args = PJ_NEW_N(fe->cx->arena, PjVar *, n ? n : 1);
    for (int i = 0; i < n && fe->fn->args != NULL; i++) {
        const char *name = PyUnicode_AsUTF8(PyTuple_GET_ITEM(names, i));
        PjInstr *ins = emit(fe, PJ_OP_ARG, loc, NULL, 0);
        PjVar *v = pj_ir_var(fe->fn, name);
        if (ins == NULL || v == NULL) {
            break;
        }
        pj_ir_set_dst(ins, v);
        ins->sub = i;
        ins->name = v->name;
        fe->fn->args[i] = v;
    }
    Py_DECREF(names);
    return PyErr_Occurred() ? -1 : 0;
}

static int
scope_names(Frontend *fe)
{
    PyObject *code = fe->cx->info->code;
    PyObject *vars = PyObject_GetAttrString(code, "co_varnames");
    PyObject *cells = PyObject_GetAttrString(code, "co_cellvars");
    PyObject *frees = PyObject_GetAttrString(code, "co_freevars");
    int rc = -1;
    if (vars && cells && frees) {
        fe->localnames = PySequence_Concat(vars, cells);
        fe->freenames = frees;
        rc = fe->localnames ? pj_arena_add_pyobject(fe->cx->arena,
                                                    fe->localnames) : -1;
        rc = rc < 0 ? -1 : pj_arena_add_pyobject(fe->cx->arena, frees);
        Py_XDECREF(fe->localnames);
    }
    Py_XDECREF(vars);
    Py_XDECREF(cells);
    Py_XDECREF(frees);
    return rc;
}

/* Numba's message, with the parameter's location. */
static int
reject_varkw(Frontend *fe, PyObject *node)
{
    PyObject *args = field(fe, node, "args");
    PyObject *kwarg = args ? field(fe, args, "kwarg") : NULL;
    PyObject *name = kwarg ? field(fe, kwarg, "arg") : NULL;
    if (name == NULL) {
        return -1;
    }
    return pj_diag(fe->cx, PJ_ERR_UNSUPPORTED, loc_of(kwarg),
                   "The use of VAR_KEYWORD (e.g. **kwargs) is unsupported. "
                   "(offending argument name is '**%s')",
                   PyUnicode_AsUTF8(name));
}

/* Generators, coroutines and **kwargs are reported at the def line (the
   **kwargs parameter itself): the function as a whole is what cannot
   compile. */
static int
check_function_kind(Frontend *fe, PyObject *node)
{
    PyCodeObject *code = (PyCodeObject *)fe->cx->info->code;
    if (code->co_flags & CO_ASYNC_GENERATOR) {
        return unsupported(fe, node, "async generator function");
    }
    fe->cx->is_generator = (code->co_flags & CO_GENERATOR) != 0;
    if (code->co_flags & CO_COROUTINE || kind_of(node) != AST_FunctionDef) {
        return unsupported(fe, node, "async function");
    }
    if (code->co_flags & CO_VARKEYWORDS) {
        return reject_varkw(fe, node);
    }
    return 0;
}

/* Translates cx->info->node into cx->fn. */
int
pj_frontend(PjCompile *cx)
{
    if (pj_state->ast_kinds == NULL && init_ast_kinds() < 0) {
        return -1;
    }
    Frontend fe = {.cx = cx};
    PyObject *node = cx->info->node;
    PyObject *body = field(&fe, node, "body");
    if (body == NULL || scope_names(&fe) < 0) {
        return -1;
    }
    fe.fn = cx->fn = pj_ir_new_func(cx->arena,
                                    PyUnicode_AsUTF8(cx->info->name));
    if (fe.fn == NULL) {
        return -1;
    }
    RETURN_IF_ERROR(check_function_kind(&fe, node));
    PjLoc start = body_start(&fe, body);
    start_block(&fe, new_block(&fe, start));
    RETURN_IF_ERROR(emit_args(&fe, start));
    RETURN_IF_ERROR(stmts(&fe, body));
    if (fe.cur != NULL) {
        /* Falling off the end returns None, at the last statement. */
        PyObject *last = PyList_GET_ITEM(body, PyList_GET_SIZE(body) - 1);
        PjVar *none = emit_const(&fe, Py_None, loc_of(last));
        RETURN_IF_ERROR(none ? emit_return(&fe, none, loc_of(last)) : -1);
    }
    RETURN_IF_ERROR(pj_ir_fill_cfg(fe.fn));
    return PyErr_Occurred() ? -1 : 0;
}
