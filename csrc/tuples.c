/*
** tuples.c - tuples: UniTuple(T x n), homogeneous, and Tuple(A, B, ...).
**
** A UniTuple is an LLVM array [n x T] so that a variable index works; a
** Tuple is a struct.  Tuples are immutable values; an iterator over a
** UniTuple holds the tuple and the next index.  A namedtuple is a tuple
** whose type holds its class too (namedtuple.c).
*/
#include "pyjit.h"

/* --- the types --- */

/* Whether the n items of types elems are all of one type (a UniTuple). */
static bool
is_uniform(PjType **elems, int n)
{
    bool uniform = n > 0;
    for (int i = 1; i < n && uniform; i++) {
        uniform = elems[i] == elems[0];
    }
    return uniform;
}

/* A tuple type; homogeneous tuples are UniTuple, as in Numba. */
PjType *
pj_type_tuple(PjType **elems, int n)
{
    if (is_uniform(elems, n)) {
        return pj_type_unituple(elems[0], n);
    }
    return pj_type_intern(PJ_TK_TUPLE, 0, 0, elems, n, NULL);
}

/* A tuple type carrying the class cls (a namedtuple's, namedtuple.c);
   homogeneous ones are UniTuple as for plain tuples. */
PjType *
pj_type_tuple_of_class(PyObject *cls, PjType **elems, int n)
{
    if (is_uniform(elems, n)) {
        return pj_type_intern_with(PJ_TK_UNITUPLE, n, elems, 1, cls);
    }
    return pj_type_intern_with(PJ_TK_TUPLE, 0, elems, n, cls);
}

/* The tuple of count items of type item (Numba's UniTuple). */
PjType *
pj_type_unituple(PjType *item, int count)
{
    return pj_type_intern(PJ_TK_UNITUPLE, 0, count, &item, 1, NULL);
}

/* Whether t is a tuple of items of one type. */
bool
pj_type_is_unituple(PjType *t)
{
    return t != NULL && t->kind == PJ_TK_UNITUPLE;
}

bool
pj_type_is_tuple(PjType *t)
{
    return t != NULL && (t->kind == PJ_TK_UNITUPLE || t->kind == PJ_TK_TUPLE);
}

/* Whether t is the iterator over a tuple. */
bool
pj_type_is_tuple_iter(PjType *t)
{
    return t != NULL && t->kind == PJ_TK_TUPLE_ITER;
}

/* The type of item i. */
PjType *
pj_type_elem(PjType *t, int i)
{
    return t->kind == PJ_TK_UNITUPLE ? t->elems[0] : t->elems[i];
}

static void
print_tuple(PjBuf *b, PjType *t)
{
    if (t->obj != NULL) {
        pj_namedtuple_print(b, t);
    }
    else if (t->kind == PJ_TK_UNITUPLE) {
        pj_buf_printf(b, "UniTuple(%s x %d)", pj_type_str(t->elems[0]),
                      t->count);
    }
    else {
        pj_type_print_parts(b, "Tuple", t);
    }
}

/* Tuples of one length unify item by item; a namedtuple only with one
   of its class. */
static PjType *
unify_tuples(PjType *a, PjType *b)
{
    if (a->count != b->count || a->count > PJ_MAX_ARGS || a->obj != b->obj) {
        return NULL;
    }
    PjType *elems[PJ_MAX_ARGS];
    for (int i = 0; i < a->count; i++) {
        elems[i] = pj_type_unify(pj_type_elem(a, i), pj_type_elem(b, i));
        if (elems[i] == NULL) {
            return NULL;
        }
    }
    return pj_type_tuple_like(a, elems, a->count);
}

static PjType *
tuple_iter_type(PjType *t)
{
    if (t->kind == PJ_TK_TUPLE && t->count != 0) {
        t = pj_funcset_tuple(t);    /* jitted functions: the set of them */
        if (t == NULL) {
            return NULL;    /* items of several types: no one item type */
        }
    }
    PjType *item = t->count == 0 ? pj_t.none : t->elems[0];
    return pj_type_iterator(PJ_TK_TUPLE_ITER, &t, 1, item);
}

/* --- lowering --- */

static LLVMTypeRef
tuple_llvm_type(PjLower *lw, PjType *t)
{
    if (t->kind == PJ_TK_UNITUPLE) {
        return LLVMArrayType2(pj_lower_type(lw, t->elems[0]),
                              (uint64_t)t->count);
    }
    return pj_lower_struct_of(lw, t->elems, t->count);
}

static LLVMValueRef
tuple_const(PjLower *lw, PyObject *obj, PjType *t)
{
    LLVMValueRef res = LLVMGetUndef(pj_lower_type(lw, t));
    for (int i = 0; i < t->count; i++) {
        LLVMValueRef e = pj_lower_pyconst(lw, PyTuple_GET_ITEM(obj, i),
                                          pj_type_elem(t, i));
        res = LLVMBuildInsertValue(lw->b, res, e, (unsigned)i, "");
    }
    return res;
}

static LLVMValueRef
convert_tuple(PjLower *lw, LLVMValueRef v, PjType *from, PjType *to)
{
    if (!pj_type_is_tuple(from)) {
        return v;
    }
    LLVMValueRef res = LLVMGetUndef(pj_lower_type(lw, to));
    for (int i = 0; i < to->count; i++) {
        LLVMValueRef e = LLVMBuildExtractValue(lw->b, v, (unsigned)i, "");
        e = pj_lower_convert(lw, e, pj_type_elem(from, i),
                             pj_type_elem(to, i));
        res = LLVMBuildInsertValue(lw->b, res, e, (unsigned)i, "");
    }
    return res;
}

static LLVMValueRef
tuple_truth(PjLower *lw, LLVMValueRef Py_UNUSED(v), PjType *t)
{
    return LLVMConstInt(lw->t_i1, t->count > 0, 0);
}

/* The iterator: the tuple, and the index of the next item. */
static LLVMValueRef
tuple_iter(PjLower *lw, LLVMValueRef v, PjType *t, PjType *it)
{
    v = pj_lower_convert(lw, v, t, it->elems[0]);
    LLVMValueRef res = LLVMGetUndef(pj_lower_type(lw, it));
    res = LLVMBuildInsertValue(lw->b, res, v, 0, "");
    return LLVMBuildInsertValue(lw->b, res, LLVMConstInt(lw->t_i64, 0, 0), 1,
                                "");
}

static void
tuple_meminfo(PjLower *lw, LLVMValueRef v, PjType *t, LLVMValueRef valid,
              PjMemFn f)
{
    for (int i = 0; i < t->count; i++) {
        pj_lower_field_meminfo(lw, v, (unsigned)i, pj_type_elem(t, i), valid,
                               f);
    }
}

/* --- the iterator over a UniTuple --- */

static LLVMTypeRef
tuple_iter_llvm_type(PjLower *lw, PjType *it)
{
    LLVMTypeRef f[2] = {pj_lower_type(lw, it->elems[0]), lw->t_i64};
    return LLVMStructTypeInContext(lw->ctx, f, 2, 0);
}

static LLVMValueRef
tuple_iternext(PjLower *lw, PjType *it, LLVMValueRef state, LLVMValueRef *ok)
{
    LLVMBuilderRef B = lw->b;
    LLVMTypeRef st = pj_lower_type(lw, it);
    PjType *tt = it->elems[0];
    LLVMValueRef pi = LLVMBuildStructGEP2(B, st, state, 1, "");
    LLVMValueRef i = LLVMBuildLoad2(B, lw->t_i64, pi, "");
    *ok = LLVMBuildICmp(B, LLVMIntSLT, i,
                        LLVMConstInt(lw->t_i64, (unsigned)tt->count, 0), "");
    LLVMBuildStore(B, LLVMBuildAdd(B, i, LLVMConstInt(lw->t_i64, 1, 0), ""),
                   pi);
    if (tt->count == 0) {
        return pj_lower_none(lw);
    }
    LLVMValueRef safe = LLVMBuildSelect(B, *ok, i, LLVMConstInt(lw->t_i64, 0,
                                                                0), "");
    LLVMValueRef idx[2] = {LLVMConstInt(lw->t_i64, 0, 0), safe};
    LLVMValueRef p = LLVMBuildInBoundsGEP2(
        B, pj_lower_type(lw, tt), LLVMBuildStructGEP2(B, st, state, 0, ""),
        idx, 2, "");
    return LLVMBuildLoad2(B, pj_lower_type(lw, it->item), p, "");
}

static void
tuple_iter_meminfo(PjLower *lw, LLVMValueRef v, PjType *it,
                   LLVMValueRef valid, PjMemFn f)
{
    pj_lower_field_meminfo(lw, v, 0, it->elems[0], valid, f);
}

/* --- operations: +, comparisons, in, indexing, building, len --- */

/* (a...) + (b...): the items of both tuples in one. */
static LLVMValueRef
lower_tuple_concat(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *ta = ins->argtys[0], *tb = ins->argtys[1];
    LLVMValueRef res = LLVMGetUndef(pj_lower_type(lw, ins->resty));
    unsigned k = 0;
    for (int i = 0; i < ta->count; i++) {
        res = LLVMBuildInsertValue(lw->b, res,
                                   pj_part(lw, args[0], (unsigned)i), k++, "");
    }
    for (int i = 0; i < tb->count; i++) {
        res = LLVMBuildInsertValue(lw->b, res,
                                   pj_part(lw, args[1], (unsigned)i), k++, "");
    }
    return res;
}

static const PjImpl impl_tuple_concat = {"tuple_concat", lower_tuple_concat,
                                         false, false};

static int
type_tuple_concat(PjCompile *cx, PjInstr *ins, PjType *a, PjType *b)
{
    PjType *items[PJ_MAX_ARGS];
    int n = a->count + b->count;
    if (n > PJ_MAX_ARGS) {
        return 1;
    }
    for (int i = 0; i < a->count; i++) {
        items[i] = pj_type_elem(a, i);
    }
    for (int i = 0; i < b->count; i++) {
        items[a->count + i] = pj_type_elem(b, i);
    }
    PjType *t = pj_type_tuple(items, n);
    return t ? pj_choose2(cx, ins, &impl_tuple_concat, t, a, b) : -1;
}

/* The type two items compare as: numbers as their promotion, strings as
   strings; NULL when they do not compare. */
static PjType *
compared_as(PjType *a, PjType *b)
{
    if (pj_type_is_str(a) && pj_type_is_str(b)) {
        return pj_type_unicode();
    }
    if (pj_type_is_number(a) && pj_type_is_number(b)) {
        return pj_type_promote(a, b);
    }
    return NULL;
}

/* x <op> y for items of types tx and ty. */
static LLVMValueRef
compare_items(PjLower *lw, int op, LLVMValueRef x, PjType *tx,
              LLVMValueRef y, PjType *ty)
{
    PjType *t = compared_as(tx, ty);
    x = pj_lower_convert(lw, x, tx, t);
    y = pj_lower_convert(lw, y, ty, t);
    return pj_type_is_str(t) ? pj_lower_compare_str(lw, op, x, y)
                             : pj_lower_compare_numbers(lw, op, x, y, t);
}

/* Tuples compare item by item, as Python's do (lexicographically). */
static LLVMValueRef
tuple_compare(PjLower *lw, int op, LLVMValueRef a, LLVMValueRef b,
              PjType *ta, PjType *tb)
{
    int n = ta->count < tb->count ? ta->count : tb->count;
    if (op == PJ_CMP_EQ || op == PJ_CMP_NE) {
        LLVMValueRef eq = LLVMConstInt(lw->t_i1, ta->count == tb->count, 0);
        for (int i = 0; i < n; i++) {
            LLVMValueRef same = compare_items(
                lw, PJ_CMP_EQ, pj_part(lw, a, (unsigned)i),
                pj_type_elem(ta, i), pj_part(lw, b, (unsigned)i),
                pj_type_elem(tb, i));
            eq = LLVMBuildAnd(lw->b, eq, same, "");
        }
        return op == PJ_CMP_EQ ? eq : LLVMBuildNot(lw->b, eq, "");
    }
    /* Ordering: the first unequal item decides; else the lengths do. */
    int strict = op == PJ_CMP_LT || op == PJ_CMP_GT;
    int lt_op = op == PJ_CMP_LT || op == PJ_CMP_LE ? PJ_CMP_LT : PJ_CMP_GT;
    LLVMValueRef res = LLVMConstInt(
        lw->t_i1, strict ? (lt_op == PJ_CMP_LT ? ta->count < tb->count
                                               : ta->count > tb->count)
                         : (lt_op == PJ_CMP_LT ? ta->count <= tb->count
                                               : ta->count >= tb->count), 0);
    for (int i = n - 1; i >= 0; i--) {
        LLVMValueRef x = pj_part(lw, a, (unsigned)i);
        LLVMValueRef y = pj_part(lw, b, (unsigned)i);
        PjType *tx = pj_type_elem(ta, i), *ty = pj_type_elem(tb, i);
        LLVMValueRef eq = compare_items(lw, PJ_CMP_EQ, x, tx, y, ty);
        LLVMValueRef ord = compare_items(lw, lt_op, x, tx, y, ty);
        res = LLVMBuildSelect(lw->b, eq, res, ord, "");
    }
    return res;
}

static LLVMValueRef
lower_tuple_compare(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    return tuple_compare(lw, ins->sub, args[0], args[1], ins->argtys[0],
                         ins->argtys[1]);
}

static const PjImpl impl_tuple_compare = {"tuple_compare",
                                          lower_tuple_compare, false, false};

/* Whether tuples a and b compare: their items pair up as numbers or as
   strings. */
static bool
comparable_tuples(PjType *a, PjType *b)
{
    if (!pj_type_is_tuple(a) || !pj_type_is_tuple(b)) {
        return false;
    }
    int n = a->count < b->count ? a->count : b->count;
    for (int i = 0; i < n; i++) {
        if (compared_as(pj_type_elem(a, i), pj_type_elem(b, i)) == NULL) {
            return false;
        }
    }
    return true;
}

/* Whether x compares with every item of the tuple t. */
static bool
comparable_with_items(PjType *x, PjType *t)
{
    if (!pj_type_is_tuple(t)) {
        return false;
    }
    for (int i = 0; i < t->count; i++) {
        if (compared_as(x, pj_type_elem(t, i)) == NULL) {
            return false;
        }
    }
    return true;
}

/* x in (a, b, c): any item equal to x. */
static LLVMValueRef
lower_contains(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *x = ins->argtys[0], *tt = ins->argtys[1];
    LLVMValueRef found = LLVMConstInt(lw->t_i1, 0, 0);
    for (int i = 0; i < tt->count; i++) {
        LLVMValueRef same = compare_items(lw, PJ_CMP_EQ, args[0], x,
                                          pj_part(lw, args[1], (unsigned)i),
                                          pj_type_elem(tt, i));
        found = LLVMBuildOr(lw->b, found, same, "");
    }
    return ins->sub == PJ_CMP_IN ? found : LLVMBuildNot(lw->b, found, "");
}

static const PjImpl impl_contains = {"contains", lower_contains, false, false};

/* t[i] with a constant i, the plan. */
static LLVMValueRef
lower_getitem_const(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    return pj_part(lw, args[0], (unsigned)ins->plan.n);
}

static const PjImpl impl_getitem_const = {"getitem", lower_getitem_const,
                                          false, false};

/* t[i] of a UniTuple with a variable i: checked, IndexError. */
static LLVMValueRef
lower_getitem_tuple(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *t = ins->argtys[0];
    LLVMValueRef idx = args[1];
    LLVMValueRef n = pj_i64(lw, t->count);
    LLVMValueRef neg = LLVMBuildICmp(lw->b, LLVMIntSLT, idx, pj_i64(lw, 0),
                                     "");
    idx = LLVMBuildSelect(lw->b, neg, LLVMBuildAdd(lw->b, idx, n, ""), idx,
                          "");
    pj_lower_check(lw, LLVMBuildICmp(lw->b, LLVMIntUGE, idx, n, ""),
                   "IndexError", "tuple index out of range");
    LLVMValueRef slot = pj_lower_alloca(lw, LLVMTypeOf(args[0]), "tup");
    LLVMBuildStore(lw->b, args[0], slot);
    LLVMTypeRef et = pj_lower_type(lw, t->elems[0]);
    LLVMValueRef gep_idx[2] = {pj_i64(lw, 0), idx};
    LLVMValueRef p = LLVMBuildInBoundsGEP2(lw->b, LLVMTypeOf(args[0]), slot,
                                           gep_idx, 2, "");
    return LLVMBuildLoad2(lw->b, et, p, "");
}

static const PjImpl impl_getitem_tuple = {"getitem", lower_getitem_tuple,
                                          true, false};

/* t[a:b:c]: the items typing selected, the plan (count, then indices). */
static LLVMValueRef
lower_slice_tuple(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    const int *idx = ins->plan.ptr;
    LLVMValueRef res = LLVMGetUndef(pj_lower_type(lw, ins->resty));
    for (int i = 0; i < idx[0]; i++) {
        res = LLVMBuildInsertValue(lw->b, res,
                                   pj_part(lw, args[0], (unsigned)idx[1 + i]),
                                   (unsigned)i, "");
    }
    return res;
}

static const PjImpl impl_slice_tuple = {"slice", lower_slice_tuple, false,
                                        false};

static LLVMValueRef
lower_build_tuple(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *t = ins->resty;
    LLVMValueRef res = LLVMGetUndef(pj_lower_type(lw, t));
    for (int i = 0; i < ins->nsrc; i++) {
        LLVMValueRef e = pj_lower_convert(lw, args[i], ins->argtys[i],
                                          pj_type_elem(t, i));
        res = LLVMBuildInsertValue(lw->b, res, e, (unsigned)i, "");
    }
    return res;
}

static const PjImpl impl_build_tuple = {"build_tuple", lower_build_tuple,
                                        false, false};

static LLVMValueRef
lower_len(PjLower *lw, PjInstr *ins, LLVMValueRef *Py_UNUSED(args))
{
    return pj_i64(lw, ins->argtys[0]->count);
}

static const PjImpl impl_len = {"len", lower_len, false, false};

/* --- typing --- */

/* (a, b, ...): the items' types; compile-time constants have no value to
   put in a tuple, but for strings, which become values. */
int
pj_type_build_tuple(PjCompile *cx, PjInstr *ins, PjType **types, int n)
{
    PjType *items[PJ_MAX_ARGS];
    for (int i = 0; i < n; i++) {
        items[i] = pj_type_is_str(types[i]) ? pj_type_unicode() : types[i];
        if (pj_type_is_const(items[i])) {
            return pj_infer_fail(cx, ins, "cannot put %s in a tuple",
                                 pj_type_str(items[i]));
        }
    }
    PjType *t = pj_type_tuple(items, n);
    return t ? pj_choose(cx, ins, &impl_build_tuple, t, items, n) : -1;
}

/* t[i] with i known now; negative counts from the end. */
static int
getitem_const(PjCompile *cx, PjInstr *ins, PjType *t, PjType *idx, long k)
{
    long i = k < 0 ? k + t->count : k;
    if (i < 0 || i >= t->count) {
        return pj_infer_fail(cx, ins, "tuple index %ld out of range for %s",
                             k, pj_type_str(t));
    }
    PjType *argtys[2] = {t, idx};
    return pj_choose_plan(cx, ins, &impl_getitem_const, pj_type_elem(t, i),
                          argtys, ins->nsrc, (PjPlan){.n = i});
}

/* t[a:b:c] with constant bounds: the items it selects, known now. */
static int
getitem_slice(PjCompile *cx, PjInstr *ins, PjType *t, PyObject *slice)
{
    Py_ssize_t start, stop, step;
    if (PySlice_Unpack(slice, &start, &stop, &step) < 0) {
        PyErr_Clear();
        return pj_infer_fail(cx, ins, "slice step cannot be zero");
    }
    Py_ssize_t n = PySlice_AdjustIndices(t->count, &start, &stop, step);
    int *idx = PJ_NEW_N(cx->arena, int, n + 1);
    PjType *items[PJ_MAX_ARGS];
    if (idx == NULL) {
        return -1;
    }
    idx[0] = (int)n;
    for (Py_ssize_t i = 0; i < n; i++) {
        idx[1 + i] = (int)(start + i * step);
        items[i] = pj_type_elem(t, idx[1 + i]);
    }
    PjType *r = pj_type_tuple(items, (int)n);
    return r ? pj_choose_plan(cx, ins, &impl_slice_tuple, r, &t, 1,
                              (PjPlan){.ptr = idx})
             : -1;
}

/* t[i]: a constant index, a constant slice, or a variable index of a
   UniTuple (checked when it runs). */
static int
tuple_getitem(PjCompile *cx, PjInstr *ins, PjType *t, PjType *idx)
{
    if (ins->op == PJ_OP_STATIC_GETITEM) {
        return ins->obj ? getitem_slice(cx, ins, t, ins->obj)
                        : getitem_const(cx, ins, t, NULL, ins->sub);
    }
    PyObject *c = pj_ir_const_of(ins->src[1]);
    if (c != NULL && PyLong_CheckExact(c)) {
        return getitem_const(cx, ins, t, idx, PyLong_AsLong(c));
    }
    PjType *funcs = pj_funcset_tuple(t);  /* jitted functions: a UniTuple */
    if ((t->kind == PJ_TK_UNITUPLE || funcs) && pj_type_is_integer(idx)) {
        t = funcs ? funcs : t;
        PjType *argtys[2] = {t, pj_t.i64};
        cx->can_raise = true;             /* IndexError */
        return pj_choose(cx, ins, &impl_getitem_tuple, t->elems[0], argtys,
                         2);
    }
    if (pj_type_is_slice(idx)) {
        return pj_infer_fail(cx, ins, "a tuple can be sliced only with "
                             "constant bounds: the length of %s[...] must be "
                             "known when the function compiles",
                             pj_type_str(t));
    }
    if (t->kind == PJ_TK_TUPLE && pj_type_is_integer(idx)) {
        return pj_infer_fail(cx, ins, "cannot index the heterogeneous tuple "
                             "%s with a variable index; use a constant "
                             "index", pj_type_str(t));
    }
    return 1;
}

static int
tuple_setitem(PjCompile *cx, PjInstr *Py_UNUSED(ins), PjType *Py_UNUSED(t),
              PjType *Py_UNUSED(idx), PjType *Py_UNUSED(value))
{
    cx->why = "tuples are immutable";
    return 1;
}

/* a + b (concatenation), ==, <, ... (item by item), x in t. */
static int
tuple_operator(PjCompile *cx, PjInstr *ins, PjType *a, PjType *b)
{
    if (b == NULL || ins->op == PJ_OP_UNARY) {
        return 1;
    }
    if (ins->op != PJ_OP_COMPARE) {
        return ins->sub == PJ_BIN_ADD && pj_type_is_tuple(a)
               && pj_type_is_tuple(b) ? type_tuple_concat(cx, ins, a, b) : 1;
    }
    int op = ins->sub;
    if (op == PJ_CMP_IN || op == PJ_CMP_NOTIN) {
        PjType *x = pj_type_is_str(a) ? pj_type_unicode() : a;
        return comparable_with_items(x, b)
               ? pj_choose2(cx, ins, &impl_contains, pj_t.boolean, x, b) : 1;
    }
    if (op >= PJ_CMP_IS || !comparable_tuples(a, b)) {
        return 1;
    }
    return pj_choose2(cx, ins, &impl_tuple_compare, pj_t.boolean, a, b);
}

static int
tuple_len(PjCompile *cx, PjInstr *ins, PjType *t)
{
    return pj_choose(cx, ins, &impl_len, pj_t.i64, &t, 1);
}

/* a, b = t: a tuple of exactly as many items. */
static int
tuple_unpack(PjCompile *cx, PjInstr *ins, PjType *t, int n)
{
    if (t->count != n) {
        return pj_infer_fail(cx, ins, "cannot unpack %s into %d values",
                             pj_type_str(t), n);
    }
    return pj_choose(cx, ins, &pj_impl_self, t, &t, 1);
}

/* --- typeof --- */

/* Tuples nest at most this deep in a type (the C stack bounds it). */
#define MAX_TUPLE_DEPTH 32

/* Whether obj is a tuple typeof types: a tuple or a namedtuple (other
   subclasses of tuple are not tuples here). */
static bool
is_typed_tuple(PyObject *obj)
{
    return PyTuple_CheckExact(obj)
           || (PyTuple_Check(obj)
               && pj_namedtuple_class_check((PyObject *)Py_TYPE(obj)));
}

/* A tuple is typed item by item; a namedtuple keeps its class. */
static PjType *
typeof_tuple(PyObject *obj, bool *untypable, int depth)
{
    if (!is_typed_tuple(obj)) {
        return NULL;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(obj);
    if (n > PJ_MAX_ARGS || depth >= MAX_TUPLE_DEPTH) {
        *untypable = true;
        return pj_t.pyobject;
    }
    PjType *elems[PJ_MAX_ARGS];
    for (Py_ssize_t i = 0; i < n; i++) {
        elems[i] = pj_typeof_nested(PyTuple_GET_ITEM(obj, i), untypable,
                                    depth + 1);
        if (elems[i] == NULL) {
            return NULL;
        }
        if (*untypable) {
            return pj_t.pyobject;
        }
    }
    return PyTuple_CheckExact(obj)
           ? pj_type_tuple(elems, (int)n)
           : pj_type_named_tuple((PyObject *)Py_TYPE(obj), elems, (int)n);
}

/* Why a tuple has no type: its shape, or its first item with a reason. */
static const char *
tuple_why_not(PyObject *tuple, int depth)
{
    if (!is_typed_tuple(tuple)) {
        return NULL;
    }
    if (PyTuple_GET_SIZE(tuple) > PJ_MAX_ARGS) {
        return "a tuple in it has too many items";
    }
    if (depth >= MAX_TUPLE_DEPTH) {
        return "its tuples nest too deeply";
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(tuple); i++) {
        const char *why = pj_typeof_why_nested(PyTuple_GET_ITEM(tuple, i),
                                               depth + 1);
        if (why != NULL) {
            return why;
        }
    }
    return NULL;
}

/* A namedtuple returns to Python as an object of its class. */
static LLVMValueRef
box_tuple(PjLower *lw, LLVMValueRef v, PjType *t)
{
    LLVMValueRef obj = pj_box_tuple(lw, v, t);
    return t->obj != NULL ? pj_namedtuple_box(lw, obj, t) : obj;
}

/* At a call with explicit signatures a tuple converts item by item
   (jitted functions to FunctionTypes); its costliest item rates it. */
static int
tuple_conversion_cost(PjType *from, PjType *to)
{
    if (pj_kind(from) != &pj_kind_tuple || from->count != to->count
        || from->obj != to->obj) {
        return -1;
    }
    int worst = 0;
    for (int i = 0; i < to->count; i++) {
        int c = pj_type_conversion_cost(pj_type_elem(from, i),
                                        pj_type_elem(to, i));
        if (c < 0) {
            return -1;
        }
        worst = c > worst ? c : worst;
    }
    return worst;
}

static int
tuple_init(void)
{
    return pj_typeof_register(&PyTuple_Type, &pj_kind_tuple);
}

/* --- methods: index and count (pyjit/_tuples.py) --- */

static PyObject *methods;       /* "tuple.<name>" -> dispatcher */

static PyObject *
tuple_library_method(PjType *Py_UNUSED(t), const char *name,
                     bool Py_UNUSED(parallel))
{
    return pj_library_prefixed(&methods, "pyjit._tuples", "tuple", name);
}

/* t.x: a namedtuple's field, else a method of pyjit/_tuples.py. */
static int
tuple_getattr(PjCompile *cx, PjInstr *ins, PjType *t)
{
    int rc = pj_namedtuple_getattr(cx, ins, t);
    if (rc != 1 || tuple_library_method(t, ins->name, false) == NULL) {
        return rc;
    }
    PjType *b = pj_type_bound(cx->arena, t, ins->name);
    return b ? pj_choose(cx, ins, &pj_impl_self, b, &t, 1) : -1;
}

const PjKind pj_kind_tuple = {
    .name = "tuple",
    .print = print_tuple,
    .unify = unify_tuples,
    .conversion_cost = tuple_conversion_cost,
    .type_getattr = tuple_getattr,
    .type_getitem = tuple_getitem,
    .type_setitem = tuple_setitem,
    .type_operator = tuple_operator,
    .type_len = tuple_len,
    .type_unpack = tuple_unpack,
    .iter_type = tuple_iter_type,
    .llvm_type = tuple_llvm_type,
    .lower_const = tuple_const,
    .lower_convert = convert_tuple,
    .lower_truth = tuple_truth,
    .lower_iter = tuple_iter,
    .lower_hash = pj_lower_tuple_hash,
    .lower_eq = pj_lower_tuple_eq,
    .library_method = tuple_library_method,
    .holds_memory = pj_kind_elems_hold_memory,
    .each_meminfo = tuple_meminfo,
    .typeof = typeof_tuple,
    .why_untypable = tuple_why_not,
    .init = tuple_init,
    .can_box = pj_can_box_tuple,
    .box = box_tuple,
    .unbox = pj_unbox_tuple,
};

const PjKind pj_kind_tuple_iter = {
    .name = "iter",
    .print = pj_type_print_iterator,
    .iter_type = pj_type_iter_self,
    .llvm_type = tuple_iter_llvm_type,
    .lower_iter = pj_lower_iter_self,
    .lower_iternext = tuple_iternext,
    .holds_memory = pj_kind_elems_hold_memory,
    .each_meminfo = tuple_iter_meminfo,
};
