/*
** spread.c - f(a, *t, b) and (a, *t, b): a tuple spread into the
** arguments of a call, or into the items of a tuple display.
**
** How many operands `*t` stands for is the number of items of t's type,
** which the frontend cannot know and inference learns.  The frontend
** marks the operands of a CALL or a BUILD_TUPLE written with * (ins->obj2,
** their positions in ins->src); once every one of them is typed,
** inference has the instruction rewritten where it stands: a static
** getitem for each item, then the same call (or display) with the items
** in place of the tuples, typed from then on as any is.  As in Numba,
** only a tuple can be spread.
*/
#include "pyjit.h"

/* The first operand that may be spread: a call's callee is not. */
static int
first_spread(const PjInstr *ins)
{
    return ins->op == PJ_OP_CALL ? 1 : 0;
}

/* Whether operand k of the call is written with *. */
static bool
is_spread(PjInstr *ins, int k)
{
    PyObject *marks = ins->obj2;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(marks); i++) {
        if (PyLong_AsLong(PyTuple_GET_ITEM(marks, i)) == k) {
            return true;
        }
    }
    return false;
}

/* The number of operands the call has once its tuples are spread: 0
   while one is untyped, -1 (a diagnostic recorded when reporting) when
   one is not a tuple or there are too many. */
static int
spread_count(PjCompile *cx, PjInstr *ins)
{
    int n = first_spread(ins);
    for (int k = n; k < ins->nsrc; k++) {
        PjType *t = ins->src[k]->type;
        if (!is_spread(ins, k)) {
            n++;
            continue;
        }
        if (t == NULL) {
            return 0;
        }
        if (!pj_type_is_tuple(t)) {
            return pj_infer_fail(cx, ins, "the %s after * must be a "
                                 "tuple, not %s", ins->op == PJ_OP_CALL
                                 ? "argument" : "item", pj_type_str(t));
        }
        n += t->count;
    }
    if (n > PJ_MAX_ARGS) {
        return pj_infer_fail(cx, ins, "a call with more than %d arguments",
                             PJ_MAX_ARGS - 1);
    }
    return n;
}

/* The instruction before ins in block b, NULL when ins is the first. */
static PjInstr *
before(PjBlock *b, PjInstr *ins)
{
    PjInstr *prev = NULL;
    for (PjInstr *i = b->first; i != ins; i = i->next) {
        prev = i;
    }
    return prev;
}

/* `item = t[i]` inserted after prev. */
static PjInstr *
emit_item(PjFunc *fn, PjBlock *b, PjInstr *prev, PjVar *t, int i,
          PjLoc loc)
{
    PjInstr *get = pj_ir_insert(fn, b, prev, PJ_OP_STATIC_GETITEM, loc,
                                &t, 1);
    PjVar *item = get ? pj_ir_new_temp(fn, b) : NULL;
    if (item == NULL) {
        return NULL;
    }
    get->sub = i;
    pj_ir_set_dst(get, item);
    return get;
}

/* Replaces ins in block b by the same operation over src[0..n-1],
   inserted after prev. */
static int
replace_call(PjFunc *fn, PjBlock *b, PjInstr *prev, PjInstr *ins,
             PjVar **src, int n)
{
    PjInstr *call = pj_ir_insert(fn, b, prev, ins->op, ins->loc, src, n);
    if (call == NULL) {
        return -1;
    }
    call->obj = ins->obj;
    call->next = ins->next;
    if (b->last == ins) {
        b->last = call;
    }
    call->dst = ins->dst;
    if (ins->dst != NULL && ins->dst->def == ins) {
        ins->dst->def = call;
    }
    return 0;
}

/* The call or tuple display ins of block b with its marked tuples spread
   once they are typed: the first of the instructions now standing where
   ins stood, or ins itself while a tuple is untyped (ins is not typed
   yet).  NULL on an error. */
PjInstr *
pj_spread_tuples(PjCompile *cx, PjBlock *b, PjInstr *ins)
{
    int n = spread_count(cx, ins);
    if (n <= 0) {
        return n == 0 || !cx->reporting ? ins : NULL;
    }
    PjFunc *fn = cx->fn;
    PjInstr *prev = before(b, ins), *start = prev;
    PjVar *src[PJ_MAX_ARGS];
    int m = 0;
    for (int k = 0; k < ins->nsrc; k++) {
        PjVar *t = ins->src[k];
        if (k < first_spread(ins) || !is_spread(ins, k)) {
            src[m++] = t;
            continue;
        }
        for (int i = 0; i < t->type->count; i++) {
            if ((prev = emit_item(fn, b, prev, t, i, ins->loc)) == NULL) {
                return NULL;
            }
            src[m++] = prev->dst;
        }
    }
    if (replace_call(fn, b, prev, ins, src, m) < 0) {
        return NULL;
    }
    return start != NULL ? start->next : b->first;
}
