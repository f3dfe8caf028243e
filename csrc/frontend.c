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
} Loop;

typedef struct Frontend {
    PjCompile *cx;
    PjFunc *fn;
    PjBlock *cur;               /* NULL right after a terminator */
    Loop loops[64];
    int nloops;
    PyObject *localnames;       /* co_varnames + co_cellvars */
    PyObject *freenames;        /* co_freevars */
    PyObject *unfoldable;       /* set of operator nodes known not to fold */
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
    return pj_ir_new_block(fe->fn, loc);
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

static PjVar *
load_name(Frontend *fe, PyObject *node)
{
    PyObject *name = field(fe, node, "id");
    if (name == NULL) {
        return NULL;
    }
    const char *s = PyUnicode_AsUTF8(name);
    if (in_tuple(fe->localnames, name)) {
        return pj_ir_var(fe->fn, s);
    }
    bool freevar;
    PyObject *value = lookup_global(fe, name, &freevar);
    if (value == NULL) {
        if (!PyErr_Occurred()) {
            pj_diag(fe->cx, PJ_ERR_TYPING, loc_of(node),
                    "Untyped global name '%s': it is not defined", s);
            pj_diag_during(fe->cx, "resolving a global name");
        }
        return NULL;
    }
    PjInstr *ins = emit_value(fe, PJ_OP_GLOBAL, loc_of(node), NULL, 0);
    int rc = ins ? pj_arena_add_pyobject(fe->cx->arena, value) : -1;
    Py_DECREF(value);
    if (rc < 0) {
        return NULL;
    }
    ins->obj = value;
    ins->name = pj_arena_strdup(fe->cx->arena, s);
    ins->sub = freevar;
    return ins->dst;
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
    if (l == NULL || r == NULL || op == NULL) {
        return NULL;
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
        PjVar *src[2] = {lhs, lhs ? expr(fe, PyList_GET_ITEM(rights, i))
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
    PjVar *src[PJ_MAX_ARGS];
    if ((src[0] = expr(fe, func)) == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < na; i++) {
        PyObject *a = PyList_GET_ITEM(args, i);
        if (kind_of(a) == AST_Starred) {
            return unsupported(fe, a, "*args in a call"), NULL;
        }
        if ((src[1 + i] = expr(fe, a)) == NULL) {
            return NULL;
        }
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
        if ((src[1 + na + i] = expr(fe, value)) == NULL) {
            return NULL;
        }
    }
    PjInstr *ins = emit_value(fe, PJ_OP_CALL, loc_of(node), src,
                              (int)(1 + na + nk));
    if (ins == NULL) {
        return NULL;
    }
    ins->obj = kwnames;
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

/* lower:upper:step with bounds known only at run time (or inside a tuple
   of indices): a call of builtins.slice, as Python evaluates it. */
/* The builtin `name` as a global: what code the frontend writes calls. */
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
    return g->dst;
}

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
    long c = PyLong_AsLong(conv);
    if (c == 's' || c == 'r' || c == 'a') {
        const char *name = c == 's' ? "str" : c == 'r' ? "repr" : "ascii";
        PjVar *src[2] = {emit_builtin(fe, name, loc), v};
        PjInstr *ins = src[0] ? emit_value(fe, PJ_OP_CALL, loc, src, 2)
                              : NULL;
        if (ins == NULL) {
            return NULL;
        }
        v = ins->dst;
    }
    PjVar *src[3] = {emit_builtin(fe, "format", loc), v};
    int n = 2;
    if (spec != Py_None && (src[n++] = expr(fe, spec)) == NULL) {
        return NULL;
    }
    PjInstr *ins = src[0] ? emit_value(fe, PJ_OP_CALL, loc, src, n) : NULL;
    return ins ? ins->dst : NULL;
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
    PyObject *empty = n == 0 ? PyUnicode_New(0, 0) : NULL;
    PjVar *acc = n == 0 ? (empty ? emit_const(fe, empty, loc) : NULL)
                        : expr(fe, PyList_GET_ITEM(values, 0));
    Py_XDECREF(empty);
    for (Py_ssize_t i = 1; acc != NULL && i < n; i++) {
        PjVar *src[2] = {acc, expr(fe, PyList_GET_ITEM(values, i))};
        PjInstr *ins = src[1] ? emit_value(fe, PJ_OP_BINOP, loc, src, 2)
                              : NULL;
        if (ins != NULL) {
            ins->sub = PJ_BIN_ADD;
        }
        acc = ins ? ins->dst : NULL;
    }
    return acc;
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

static PjVar *
expr_tuple(Frontend *fe, PyObject *node)
{
    PyObject *elts = field(fe, node, "elts");
    if (elts == NULL) {
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(elts);
    if (n > PJ_MAX_ARGS) {
        return unsupported(fe, node, "a tuple display of more than 255 "
                                     "items"), NULL;
    }
    PjVar *src[PJ_MAX_ARGS];
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *e = PyList_GET_ITEM(elts, i);
        if (kind_of(e) == AST_Starred) {
            return unsupported(fe, e, "starred expression in a tuple"), NULL;
        }
        if ((src[i] = expr(fe, e)) == NULL) {
            return NULL;
        }
    }
    PjInstr *ins = emit_value(fe, PJ_OP_BUILD_TUPLE, loc_of(node), src,
                              (int)n);
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
          || value == Py_None || PyUnicode_CheckExact(value))) {
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
    case AST_Tuple: return expr_tuple(fe, node);
    case AST_NamedExpr: return expr_namedexpr(fe, node);
    case AST_Lambda: unsupported(fe, node, "lambda"); return NULL;
    case AST_List: unsupported(fe, node, "list display"); return NULL;
    case AST_Dict: unsupported(fe, node, "dict display"); return NULL;
    case AST_Set: unsupported(fe, node, "set display"); return NULL;
    case AST_ListComp:
    case AST_SetComp:
    case AST_DictComp:
        unsupported(fe, node, "comprehension");
        return NULL;
    case AST_GeneratorExp:
    case AST_Yield:
    case AST_YieldFrom:
        unsupported(fe, node, "generator");
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

static int
assign_to(Frontend *fe, PyObject *target, PjVar *value, PjLoc loc)
{
    switch (kind_of(target)) {
    case AST_Name: {
        PyObject *id = field(fe, target, "id");
        PjVar *v = id ? pj_ir_var(fe->fn, PyUnicode_AsUTF8(id)) : NULL;
        return v ? emit_copy(fe, v, value, loc) : -1;
    }
    case AST_Tuple:
    case AST_List:
        return assign_unpack(fe, target, value, loc);
    case AST_Subscript:
        return assign_subscript(fe, target, value, loc);
    case AST_Attribute:
        return unsupported(fe, target, "assignment to an attribute");
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
    if (k != AST_Name && k != AST_Subscript) {
        return unsupported(fe, target, "augmented assignment to this "
                                       "target");
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
    PjInstr *cast = emit_value(fe, PJ_OP_CAST, loc, &value, 1);
    PjInstr *ret = cast ? emit(fe, PJ_OP_RETURN, loc, &cast->dst, 1) : NULL;
    if (ret == NULL) {
        return -1;
    }
    fe->cur = NULL;
    return 0;
}

static int
stmt_return(Frontend *fe, PyObject *node)
{
    PyObject *value = field(fe, node, "value");
    if (value == NULL) {
        return -1;
    }
    PjVar *v = value == Py_None ? emit_const(fe, Py_None, loc_of(node))
                                : expr(fe, value);
    return v ? emit_return(fe, v, loc_of(node)) : -1;
}

static int
stmt_if(Frontend *fe, PyObject *node)
{
    PyObject *test = field(fe, node, "test"), *body = field(fe, node, "body");
    PyObject *orelse = field(fe, node, "orelse");
    PjLoc loc = loc_of(node);
    PjVar *cond = test && body && orelse ? expr(fe, test) : NULL;
    if (cond == NULL) {
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
    emit_branch(fe, cond, bt, bf, loc);
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
    PjVar *cond = expr(fe, test);
    if (cond == NULL) {
        return -1;
    }
    emit_branch(fe, cond, bbody, belse, loc);
    start_block(fe, bbody);
    RETURN_IF_ERROR(loop_body(fe, body, head, exit));
    emit_jump(fe, head, loc);
    start_block(fe, belse);
    return loop_else(fe, orelse, exit, loc);
}

/* for target in iterable: getiter once, then iternext / pair_second /
   branch in the loop head, pair_first at the top of the body. */
static int
stmt_for(Frontend *fe, PyObject *node)
{
    PyObject *target = field(fe, node, "target"), *iter = field(fe, node,
                                                                "iter");
    PyObject *body = field(fe, node, "body"), *orelse = field(fe, node,
                                                              "orelse");
    if (target == NULL || iter == NULL || body == NULL || orelse == NULL) {
        return -1;
    }
    PjLoc loc = loc_of(node);
    PjVar *iterable = expr(fe, iter);
    PjInstr *gi = iterable ? emit_value(fe, PJ_OP_GETITER, loc, &iterable, 1)
                           : NULL;
    PjBlock *head = new_block(fe, loc);
    PjBlock *bbody = new_block(fe, loc);
    PjBlock *belse = new_block(fe, loc), *exit = new_block(fe, loc);
    if (gi == NULL || head == NULL || bbody == NULL || belse == NULL
        || exit == NULL) {
        return -1;
    }
    emit_jump(fe, head, loc);
    start_block(fe, head);
    PjInstr *next = emit_value(fe, PJ_OP_ITERNEXT, loc, &gi->dst, 1);
    PjInstr *ok = next ? emit_value(fe, PJ_OP_PAIR_SECOND, loc, &next->dst, 1)
                       : NULL;
    if (ok == NULL) {
        return -1;
    }
    emit_branch(fe, ok->dst, bbody, belse, loc);
    start_block(fe, bbody);
    PjInstr *item = emit_value(fe, PJ_OP_PAIR_FIRST, loc, &next->dst, 1);
    if (item == NULL || assign_to(fe, target, item->dst, loc) < 0) {
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
    emit_jump(fe, is_break ? l->brk : l->cont, loc_of(node));
    return 0;
}

/* The exception class a raise names, resolved now like any global. */
static PyObject *
exception_class(Frontend *fe, PyObject *node)
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
        PyObject *base = value ? exception_class(fe, value) : NULL;
        cls = base ? PyObject_GetAttr(base, attr) : NULL;
        Py_XDECREF(base);
        PyErr_Clear();
    }
    return cls;
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
        return unsupported(fe, node, "bare 'raise' (re-raise)");
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
    PyObject *cls = exception_class(fe, callee);
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
    return expr(fe, value) ? 0 : -1;
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
        if (kind_of(t) != AST_Name) {
            return unsupported(fe, t, "del of anything but a variable");
        }
    }
    return 0;                     /* variables simply go out of use */
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
    case AST_With: return unsupported(fe, node, "'with' statement");
    case AST_Try:
    case AST_TryStar: return unsupported(fe, node, "'try' statement");
    case AST_FunctionDef:
    case AST_AsyncFunctionDef:
    case AST_Lambda:
        return unsupported(fe, node, "a function defined inside a jitted "
                                     "function");
    case AST_ClassDef: return unsupported(fe, node, "class definition");
    case AST_Import:
    case AST_ImportFrom: return unsupported(fe, node, "import statement");
    case AST_Global:
    case AST_Nonlocal:
        return unsupported(fe, node, "'global' or 'nonlocal' statement");
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
    if (code->co_flags & (CO_GENERATOR | CO_ASYNC_GENERATOR)) {
        return unsupported(fe, node, "generator function (yield)");
    }
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
