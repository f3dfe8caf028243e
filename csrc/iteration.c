/*
** iteration.c - ranges and iterators: range, enumerate, zip, sum, and the
** protocol every iterable kind follows.
**
** GETITER asks the kind of the value for its iterator type (iter_type)
** and lowering builds the iterator's state (lower_iter); ITERNEXT asks the
** iterator's kind to advance the state in place (lower_iternext), giving
** the item and whether there was one (a PAIR).  An iterator iterates over
** itself.  State layouts belong to the iterator's kind:
**
**   range_iter  {next value, step, items left, start, distance travelled}
**   enumerate   {count, inner iterator}
**   zip         {inner iterators...}
**
** (tuples.c and arrays.c have theirs).
*/
#include "pyjit.h"

#include <string.h>

/* --- range() --- */

/* How many items range(start, stop, step) has, as an unsigned i64: up to
   2**64 - 1 (range(-2**63, 2**63 - 1)), which no signed count holds.
   range's iterator {next, step, items left} counts down from it, so that
   the loop is a counted loop for LLVM; np.arange uses it too. */
LLVMValueRef
pj_lower_range_count(PjLower *lw, LLVMValueRef start, LLVMValueRef stop,
                     LLVMValueRef step, bool is_unsigned)
{
    LLVMBuilderRef B = lw->b;
    LLVMValueRef zero = pj_i64(lw, 0), one = pj_i64(lw, 1);
    /* a range of uint64 only counts up */
    LLVMValueRef up = is_unsigned ? LLVMConstInt(lw->t_i1, 1, 0)
                      : LLVMBuildICmp(B, LLVMIntSGT, step, zero, "");
    /* distance and step magnitude as unsigned: no overflow */
    LLVMValueRef dist_up = LLVMBuildSub(B, stop, start, "");
    LLVMValueRef dist_down = LLVMBuildSub(B, start, stop, "");
    LLVMValueRef any_up = LLVMBuildICmp(
        B, is_unsigned ? LLVMIntULT : LLVMIntSLT, start, stop, "");
    LLVMValueRef any_down = LLVMBuildICmp(B, LLVMIntSGT, start, stop, "");
    LLVMValueRef dist = LLVMBuildSelect(B, up, dist_up, dist_down, "");
    LLVMValueRef any = LLVMBuildSelect(B, up, any_up, any_down, "");
    LLVMValueRef mag = LLVMBuildSelect(B, up, step,
                                       LLVMBuildNeg(B, step, ""), "");
    LLVMValueRef n = LLVMBuildAdd(
        B, LLVMBuildUDiv(B, LLVMBuildSub(B, dist, one, ""), mag, ""), one, "");
    return LLVMBuildSelect(B, any, n, zero, "");
}

static bool
range_is_unsigned(PjType *range)
{
    return range->elems[0]->kind == PJ_TK_UINT;
}

/* A range of int64 (its arguments mix signed and unsigned, as Numba types
   it) takes a uint64 argument as it is; one of 2**63 or more, which would
   wrap to a negative int64, is an OverflowError. */
static void
check_fits_int64(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    for (int k = 0; k < ins->call->nparams; k++) {
        if (ins->argtys[k]->kind != PJ_TK_UINT) {
            continue;
        }
        pj_lower_check(lw, LLVMBuildICmp(lw->b, LLVMIntSLT, args[k],
                                         pj_i64(lw, 0), ""),
                       "OverflowError", "range() of signed and unsigned "
                       "integers: a uint64 argument of 2**63 or more does "
                       "not fit its int64 items");
    }
}

static LLVMValueRef
lower_range(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjCallPlan *plan = ins->call;
    int n = plan->nparams;
    for (int k = 0; k < n; k++) {
        if (pj_type_is_float(ins->argtys[k])) {
            args[k] = pj_lower_float_to_int64(lw, args[k]);
        }
    }
    /* Each bound is frozen: one computed by a + - * that overflowed is
       poison to LLVM (they carry nsw, as in Numba), and a count of items
       made from poison may be any count, a loop that never ends.  Frozen,
       it is the wrapped value the machine computed, as in Numba. */
    for (int k = 0; k < n; k++) {
        args[k] = LLVMBuildFreeze(lw->b, args[k], "");
    }
    LLVMValueRef start = n >= 2 ? args[0] : pj_i64(lw, 0);
    LLVMValueRef stop = n >= 2 ? args[1] : args[0];
    LLVMValueRef step = n == 3 ? args[2] : pj_i64(lw, 1);
    if (ins->impl->can_raise) {
        pj_lower_check(lw, LLVMBuildICmp(lw->b, LLVMIntEQ, step, pj_i64(lw, 0),
                                         ""),
                       "ValueError", "range() arg 3 must not be zero");
    }
    if (!range_is_unsigned(ins->resty)) {
        check_fits_int64(lw, ins, args);
    }
    LLVMValueRef r = LLVMGetUndef(pj_lower_type(lw, ins->resty));
    r = LLVMBuildInsertValue(lw->b, r, start, 0, "");
    r = LLVMBuildInsertValue(lw->b, r, stop, 1, "");
    return LLVMBuildInsertValue(lw->b, r, step, 2, "");
}

static const PjImpl impl_range = {"range", lower_range, false, false};
static const PjImpl impl_range_checked = {"range", lower_range, true, false};

/* Whether t is the type of a range object (range(...) itself, not its
   iterator). */
bool
pj_type_is_range(const PjType *t)
{
    return t != NULL && t->kind == PJ_TK_RANGE;
}

/* How many items the range r of type `range` has (see
   pj_lower_range_count). */
LLVMValueRef
pj_lower_range_len(PjLower *lw, LLVMValueRef r, PjType *range)
{
    return pj_lower_range_count(lw, pj_part(lw, r, 0), pj_part(lw, r, 1),
                                pj_part(lw, r, 2), range_is_unsigned(range));
}

int
pj_type_range_call(PjCompile *cx, PjInstr *ins,
                   const PjCallable *Py_UNUSED(fn), PjType **args, int n)
{
    if (n < 1 || n > 3) {
        return 1;
    }
    /* As in Numba: a range of uint64 when every argument is unsigned,
       else of int64 (a uint64 argument is checked to fit at run time).
       A float argument is cut to an int64 as Numba casts it, toward zero
       (range(2.7) is range(2)); NaN and the infinities raise as int()
       does. */
    PjType *argtys[3];
    bool all_unsigned = true, wide_unsigned = false, floats = false;
    for (int i = 0; i < n; i++) {
        bool is_float = pj_type_is_float(args[i]);
        if (!pj_type_is_intlike(args[i]) && !is_float) {
            return 1;
        }
        all_unsigned &= args[i]->kind == PJ_TK_UINT;
        wide_unsigned |= args[i] == pj_t.u64;
        floats |= is_float;
    }
    PjType *item = all_unsigned ? pj_t.u64 : pj_t.i64;
    for (int i = 0; i < n; i++) {
        argtys[i] = args[i] == pj_t.u64 || pj_type_is_float(args[i])
                    ? args[i] : item;
    }
    /* A constant step needs no run-time check. */
    bool checked = (wide_unsigned && !all_unsigned) || floats;
    if (n == 3) {
        PyObject *c = pj_ir_const_of(ins->src[ins->call->src[2]]);
        checked |= c == NULL || !PyLong_Check(c) || PyObject_Not(c) != 0;
    }
    PjType *range = pj_type_range(item);
    return range ? pj_choose(cx, ins, checked ? &impl_range_checked
                                              : &impl_range, range, argtys, n)
                 : -1;
}

/* len(range(...)): a range of 2**63 items or more has no int64 length;
   Python raises OverflowError for it. */
static LLVMValueRef
lower_len_range(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    LLVMValueRef n = pj_lower_range_len(lw, args[0], ins->argtys[0]);
    pj_lower_check(lw, LLVMBuildICmp(lw->b, LLVMIntSLT, n, pj_i64(lw, 0), ""),
                   "OverflowError",
                   "Python int too large to convert to C ssize_t");
    return n;
}

static const PjImpl impl_len_range = {"len", lower_len_range, true, false};

/* --- the iteration protocol: GETITER, ITERNEXT, PAIR_FIRST/SECOND --- */

/* The state of an iterator of type `it` over v, a value of type `from`. */
LLVMValueRef
pj_lower_getiter(PjLower *lw, LLVMValueRef v, PjType *from, PjType *it)
{
    return pj_kind(from)->lower_iter(lw, v, from, it);
}

static LLVMValueRef
lower_getiter(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    return pj_lower_getiter(lw, args[0], ins->argtys[0], ins->resty);
}

static const PjImpl impl_getiter = {"getiter", lower_getiter, false, false};

/* The type of iter(t), or NULL when t is not iterable. */
PjType *
pj_type_iter_of(PjType *t)
{
    const PjKind *k = pj_kind(t);
    return k->iter_type ? k->iter_type(t) : NULL;
}

int
pj_type_getiter(PjCompile *cx, PjInstr *ins, PjType *t)
{
    PjType *it = pj_type_iter_of(t);
    if (it == NULL) {
        return PyErr_Occurred() ? -1 : 1;
    }
    return pj_choose(cx, ins, &impl_getiter, it, &t, 1);
}

/* Uses of `from` made uses of `to`, in the reachable blocks of fn. */
static void
replace_uses(PjFunc *fn, PjVar *from, PjVar *to)
{
    for (int b = 0; b < fn->blocks.len; b++) {
        for (PjInstr *ins = pj_ir_block(fn, b)->first; ins; ins = ins->next) {
            for (int k = 0; k < ins->nsrc; k++) {
                if (ins->src[k] == from) {
                    ins->src[k] = to;
                }
            }
        }
    }
}

/* A loop over a variable that holds an iterator already (`it = iter(a)`,
   `for v in it:`) advances that iterator, as in Python: next(it) in the
   loop or after a break goes on from where the loop is.  The iterator of
   an iterator is the iterator itself, but as a value it would be a copy
   with a state of its own; so once the types are known, the copy's uses
   are made uses of the variable, whose state the loop then advances.  A
   variable assigned more than once is left alone: a loop goes on over
   the iterator it started with. */
void
pj_alias_iterators(PjFunc *fn)
{
    for (int b = 0; b < fn->blocks.len; b++) {
        PjBlock *blk = pj_ir_block(fn, b);
        for (PjInstr *ins = blk->first; blk->reachable && ins; ins = ins->next) {
            PjVar *src = ins->op == PJ_OP_GETITER ? ins->src[0] : NULL;
            if (src != NULL && ins->resty == src->type
                && pj_kind(src->type)->lower_iter == pj_lower_iter_self
                && src->ndefs == 1 && ins->dst->ndefs == 1) {
                replace_uses(fn, ins->dst, src);
            }
        }
    }
}

/* Whether a step of the iterator it, or of one it is made of (zip,
   enumerate), may raise. */
bool
pj_type_iternext_raises(PjType *it)
{
    if (pj_kind(it)->iternext_raises) {
        return true;
    }
    for (int i = 0; i < it->nelems; i++) {
        if (it->elems[i] != NULL && pj_type_iternext_raises(it->elems[i])) {
            return true;
        }
    }
    return false;
}

/* Advances the iterator stored at `state`; returns the item and sets *ok
   to whether there was one. */
LLVMValueRef
pj_lower_iternext(PjLower *lw, PjType *it, LLVMValueRef state,
                  LLVMValueRef *ok)
{
    return pj_kind(it)->lower_iternext(lw, it, state, ok);
}

static LLVMValueRef
lower_pair(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    return pj_part(lw, args[0], ins->op == PJ_OP_PAIR_FIRST ? 0 : 1);
}

const PjImpl pj_impl_pair = {"pair", lower_pair, false, false};

/* --- enumerate(), zip(), sum() --- */

static LLVMValueRef
lower_enumerate(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjCallPlan *plan = ins->call;
    PjType *it = ins->resty;
    LLVMValueRef res = LLVMGetUndef(pj_lower_type(lw, it));
    LLVMValueRef start = plan->nparams > 1 ? args[1] : pj_i64(lw, 0);
    res = LLVMBuildInsertValue(lw->b, res, start, 0, "");
    LLVMValueRef inner = pj_lower_getiter(lw, args[0], ins->argtys[0],
                                          it->elems[0]);
    return LLVMBuildInsertValue(lw->b, res, inner, 1, "");
}

static const PjImpl impl_enumerate = {"enumerate", lower_enumerate,
                                      false, false};

static LLVMValueRef
lower_zip(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *it = ins->resty;
    LLVMValueRef res = LLVMGetUndef(pj_lower_type(lw, it));
    for (int i = 0; i < it->count; i++) {
        LLVMValueRef inner = pj_lower_getiter(lw, args[i], ins->argtys[i],
                                              it->elems[i]);
        res = LLVMBuildInsertValue(lw->b, res, inner, (unsigned)i, "");
    }
    return res;
}

static const PjImpl impl_zip = {"zip", lower_zip, false, false};

int
pj_type_enumerate(PjCompile *cx, PjInstr *ins, const PjCallable *Py_UNUSED(fn),
                  PjType **args, int n)
{
    if (n < 1 || n > 2 || (n == 2 && !pj_type_is_intlike(args[1]))) {
        return 1;
    }
    PjType *inner = pj_type_iter_of(args[0]);
    if (inner == NULL) {
        return 1;
    }
    PjType *parts[2] = {pj_t.i64, inner->item};
    PjType *item = pj_type_tuple(parts, 2);
    PjType *it = item ? pj_type_iterator(PJ_TK_ENUMERATE, &inner, 1, item)
                      : NULL;
    if (it == NULL) {
        return -1;
    }
    return pj_choose2(cx, ins, &impl_enumerate, it, args[0], pj_t.i64);
}

int
pj_type_zip(PjCompile *cx, PjInstr *ins, const PjCallable *Py_UNUSED(fn),
            PjType **args, int n)
{
    PjType *inners[PJ_MAX_ARGS], *items[PJ_MAX_ARGS];
    if (n == 0) {
        return 1;
    }
    for (int i = 0; i < n; i++) {
        inners[i] = pj_type_iter_of(args[i]);
        if (inners[i] == NULL) {
            return 1;
        }
        items[i] = inners[i]->item;
    }
    PjType *item = pj_type_tuple(items, n);
    PjType *it = item ? pj_type_iterator(PJ_TK_ZIP, inners, n, item) : NULL;
    return it ? pj_choose(cx, ins, &impl_zip, it, args, n) : -1;
}

/* sum(iterable, start=0): unrolled over a tuple, a loop otherwise. */
static LLVMValueRef
lower_sum(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *t = ins->resty, *src = ins->argtys[0];
    PjCallPlan *plan = ins->call;
    LLVMValueRef acc = plan->nparams > 1
        ? pj_lower_convert(lw, args[1], ins->argtys[1], t)
        : LLVMConstNull(pj_lower_type(lw, t));
    if (pj_type_is_tuple(src)) {
        for (int i = 0; i < src->count; i++) {
            LLVMValueRef item = pj_part(lw, args[0], (unsigned)i);
            LLVMValueRef e = pj_lower_convert(lw, item, pj_type_elem(src, i),
                                              t);
            acc = pj_lower_number_add(lw, acc, e, t);
        }
        return acc;
    }
    PjType *it = pj_type_iter_of(src);
    LLVMValueRef state = pj_lower_alloca(lw, pj_lower_type(lw, it), "it");
    LLVMBuildStore(lw->b, pj_lower_getiter(lw, args[0], src, it), state);
    LLVMBasicBlockRef pre = LLVMGetInsertBlock(lw->b);
    LLVMValueRef func = LLVMGetBasicBlockParent(pre);
    LLVMBasicBlockRef head = LLVMAppendBasicBlockInContext(lw->ctx, func,
                                                           "sum.head");
    LLVMBasicBlockRef body = LLVMAppendBasicBlockInContext(lw->ctx, func,
                                                           "sum.body");
    LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(lw->ctx, func,
                                                           "sum.done");
    LLVMBuildBr(lw->b, head);
    LLVMPositionBuilderAtEnd(lw->b, head);
    LLVMValueRef phi = LLVMBuildPhi(lw->b, pj_lower_type(lw, t), "acc");
    LLVMValueRef ok;
    LLVMValueRef item = pj_lower_iternext(lw, it, state, &ok);
    LLVMBuildCondBr(lw->b, ok, body, done);
    LLVMPositionBuilderAtEnd(lw->b, body);
    LLVMValueRef next = pj_lower_number_add(
        lw, phi, pj_lower_convert(lw, item, it->item, t), t);
    LLVMBasicBlockRef body_end = LLVMGetInsertBlock(lw->b);
    LLVMBuildBr(lw->b, head);
    LLVMValueRef in_vals[2] = {acc, next};
    LLVMBasicBlockRef in_blocks[2] = {pre, body_end};
    LLVMAddIncoming(phi, in_vals, in_blocks, 2);
    LLVMPositionBuilderAtEnd(lw->b, done);
    return phi;
}

static const PjImpl impl_sum = {"sum", lower_sum, false, false};

int
pj_type_sum(PjCompile *cx, PjInstr *ins, const PjCallable *Py_UNUSED(fn),
            PjType **args, int n)
{
    if (n < 1 || n > 2) {
        return 1;
    }
    PjType *acc = n == 2 ? args[1] : pj_t.i64;
    if (!pj_type_is_number(acc)) {
        return 1;
    }
    if (pj_type_is_tuple(args[0])) {
        for (int i = 0; i < args[0]->count && acc; i++) {
            acc = pj_type_promote(acc, pj_type_elem(args[0], i));
        }
    }
    else {
        PjType *it = pj_type_iter_of(args[0]);
        acc = it ? pj_type_promote(acc, it->item) : NULL;
    }
    if (acc == NULL) {
        return 1;
    }
    return pj_choose(cx, ins, &impl_sum, acc, args, n);
}

/* --- the kinds --- */

PjType *
pj_type_range(PjType *t)
{
    return pj_type_intern(PJ_TK_RANGE, 0, 0, &t, 1, NULL);
}

PjType *
pj_type_pair(PjType *item)
{
    return pj_type_intern(PJ_TK_PAIR, 0, 0, NULL, 0, item);
}

/* Whether t is the (item, has item) pair ITERNEXT makes. */
bool
pj_type_is_pair(PjType *t)
{
    return t->kind == PJ_TK_PAIR;
}

/* An iterator is its own iterator. */
PjType *
pj_type_iter_self(PjType *t)
{
    return t;
}

LLVMValueRef
pj_lower_iter_self(PjLower *Py_UNUSED(lw), LLVMValueRef v,
                   PjType *Py_UNUSED(t), PjType *Py_UNUSED(it))
{
    return v;
}

/* enumerate(...), zip(...), array_iter(...): the kind's name and what the
   iterator iterates over. */
void
pj_type_print_iterator(PjBuf *b, PjType *t)
{
    pj_type_print_parts(b, pj_kind(t)->name, t);
}

/* --- range and its iterator --- */

static void
print_range(PjBuf *b, PjType *t)
{
    pj_buf_printf(b, "range_state_%s", pj_type_str(t->elems[0]));
}

static PjType *
range_iter_type(PjType *t)
{
    return pj_type_iterator(PJ_TK_RANGE_ITER, NULL, 0, t->elems[0]);
}

static LLVMTypeRef
three_i64(PjLower *lw, PjType *Py_UNUSED(t))
{
    LLVMTypeRef f[3] = {lw->t_i64, lw->t_i64, lw->t_i64};
    return LLVMStructTypeInContext(lw->ctx, f, 3, 0);
}

/* A range {start, stop, step} is true when it has an item. */
static LLVMValueRef
range_truth(PjLower *lw, LLVMValueRef v, PjType *t)
{
    LLVMValueRef start = pj_part(lw, v, 0), stop = pj_part(lw, v, 1);
    if (range_is_unsigned(t)) {                 /* counts up only */
        return LLVMBuildICmp(lw->b, LLVMIntULT, start, stop, "");
    }
    LLVMValueRef up = LLVMBuildICmp(lw->b, LLVMIntSGT, pj_part(lw, v, 2),
                                    pj_i64(lw, 0), "");
    return LLVMBuildSelect(
        lw->b, up, LLVMBuildICmp(lw->b, LLVMIntSLT, start, stop, ""),
        LLVMBuildICmp(lw->b, LLVMIntSGT, start, stop, ""), "");
}

static LLVMValueRef
range_iter(PjLower *lw, LLVMValueRef v, PjType *t, PjType *it)
{
    LLVMValueRef res = LLVMGetUndef(pj_lower_type(lw, it));
    res = LLVMBuildInsertValue(lw->b, res, pj_part(lw, v, 0), 0, "");
    res = LLVMBuildInsertValue(lw->b, res, pj_part(lw, v, 2), 1, "");
    res = LLVMBuildInsertValue(lw->b, res, pj_lower_range_len(lw, v, t), 2,
                               "");
    res = LLVMBuildInsertValue(lw->b, res, pj_part(lw, v, 0), 3, "");
    res = LLVMBuildInsertValue(lw->b, res, pj_i64(lw, 0), 4, "");
    return LLVMBuildInsertValue(lw->b, res, pj_i64(lw, 0), 5, "");
}

/* len(range(...)) */
static int
range_len_type(PjCompile *cx, PjInstr *ins, PjType *t)
{
    return pj_choose(cx, ins, &impl_len_range, pj_t.i64, &t, 1);
}

const PjKind pj_kind_range = {
    .name = "range",
    .print = print_range,
    .type_len = range_len_type,
    .iter_type = range_iter_type,
    .llvm_type = three_i64,
    .lower_truth = range_truth,
    .lower_iter = range_iter,
};

static void
print_range_iter(PjBuf *b, PjType *t)
{
    pj_buf_printf(b, "range_iter_%s", pj_type_str(t->item));
}

static LLVMValueRef
range_field(PjLower *lw, PjType *it, LLVMValueRef state, unsigned i)
{
    return LLVMBuildLoad2(lw->b, lw->t_i64,
                          LLVMBuildStructGEP2(lw->b, pj_lower_type(lw, it),
                                              state, i, ""), "");
}

static LLVMValueRef
signed_max(PjLower *lw, LLVMValueRef a, LLVMValueRef b)
{
    return LLVMBuildSelect(lw->b, LLVMBuildICmp(lw->b, LLVMIntSGT, a, b, ""),
                           a, b, "");
}

/* The item of a range of int64, in two spellings of one value.  A range
   that counts up from a non-negative start (the loop-invariant *up_from_0)
   has only non-negative items, but LLVM cannot see that from `next` when
   the start or the step is known only at run time: it would have to know
   their signs.  So the item is also spelled as the start clamped at 0 plus
   the distance travelled (field 4), a sum of steps clamped at 0 (for such
   a range both clamps change nothing), whose parts are non-negative by
   construction; the item is the one spelling or the other by
   *up_from_0.  LLVM versions the loop on that invariant condition
   (loop unswitching), and in the version where it holds, an index by the
   item needs no negative-index wraparound.  The distance travelled, like
   `next`, never overflows before the last item. */
static LLVMValueRef
range_item_from_0(PjLower *lw, PjType *it, LLVMValueRef state,
                  LLVMValueRef step, LLVMValueRef *up_from_0)
{
    LLVMBuilderRef B = lw->b;
    LLVMValueRef zero = pj_i64(lw, 0);
    LLVMValueRef start = range_field(lw, it, state, 3);
    *up_from_0 = LLVMBuildAnd(
        B, LLVMBuildICmp(B, LLVMIntSGT, step, zero, ""),
        LLVMBuildICmp(B, LLVMIntSGE, start, zero, ""), "");
    return LLVMBuildNSWAdd(B, signed_max(lw, start, zero),
                           range_field(lw, it, state, 4), "");
}

/* Moves the state past the item `next` when `taken` (an i64, 1 or 0):
   the next item, the count left, the distance travelled.  Every item
   lies between start and stop, so adding the step never overflows before
   the last item; the sum after it is never yielded.  nsw tells LLVM so:
   an item counting up from 0 is non-negative, and an index by it needs
   no wraparound. */
static void
range_step_past(PjLower *lw, PjType *it, LLVMValueRef state,
                LLVMValueRef taken, bool counts_down)
{
    LLVMBuilderRef B = lw->b;
    LLVMTypeRef st = pj_lower_type(lw, it);
    LLVMValueRef step = range_field(lw, it, state, 1);
    LLVMValueRef next = range_field(lw, it, state, 0);
    LLVMValueRef dist = range_field(lw, it, state, 4);
    LLVMValueRef stride = LLVMBuildMul(B, taken, step, "");
    LLVMValueRef dist_stride = LLVMBuildMul(
        B, taken, signed_max(lw, step, pj_i64(lw, 0)), "");
    LLVMValueRef next_dist = LLVMBuildNSWAdd(B, dist, dist_stride, "");
    LLVMSetNUW(next_dist, 1);
    LLVMBuildStore(B, LLVMBuildNSWAdd(B, next, stride, ""),
                   LLVMBuildStructGEP2(B, st, state, 0, ""));
    if (counts_down) {
        LLVMBuildStore(B, LLVMBuildSub(B, range_field(lw, it, state, 2),
                                       taken, ""),
                       LLVMBuildStructGEP2(B, st, state, 2, ""));
    }
    LLVMBuildStore(B, next_dist, LLVMBuildStructGEP2(B, st, state, 4, ""));
}

/* A range iterator's step.  A loop's own iterator (lw->iterator_counted)
   is moved on by range_advance on the edges back to the loop's head, so
   the loop's increments sit in its latch: with them here, LLVM's loop
   rotation turned each into a phi of a phi, keeping the item and the
   one after it both live across the body, and a loop of one call per
   item (out[i] = rng.normal()) spilled them to the stack and ran 8%
   slower.  Any other (a variable's, or one inside zip or enumerate)
   moves on here, and an exhausted one stays exhausted: a second loop
   over `it = iter(range(n))` takes nothing. */
static LLVMValueRef
range_iternext(PjLower *lw, PjType *it, LLVMValueRef state, LLVMValueRef *ok)
{
    LLVMBuilderRef B = lw->b;
    LLVMValueRef next = range_field(lw, it, state, 0);
    LLVMValueRef step = range_field(lw, it, state, 1);
    *ok = lw->iterator_counted
          ? LLVMBuildICmp(B, LLVMIntNE, range_field(lw, it, state, 5),
                          range_field(lw, it, state, 2), "")
          : LLVMBuildICmp(B, LLVMIntNE, range_field(lw, it, state, 2),
                          pj_i64(lw, 0), "");
    LLVMValueRef item = next;
    if (it->item->kind == PJ_TK_INT) {     /* a uint64 item may pass 2**63 */
        LLVMValueRef up_from_0;
        LLVMValueRef from_0 = range_item_from_0(lw, it, state, step,
                                                &up_from_0);
        item = LLVMBuildSelect(B, up_from_0, from_0, next, "");
    }
    if (!lw->iterator_counted) {
        /* a temporary is dead once exhausted, and counts down
           unconditionally: LLVM reads a saturating count as no trip
           count, and a histogram loop ran 8% slower with it */
        range_step_past(lw, it, state,
                        lw->iterator_kept ? LLVMBuildZExt(B, *ok, lw->t_i64,
                                                          "")
                                          : pj_i64(lw, 1),
                        true);
    }
    return LLVMBuildIntCast2(B, item, pj_lower_type(lw, it->item), 1, "");
}

/* A loop's own iterator keeps its count, the length, and counts the
   items taken instead: the loop's exit test then compares an induction
   variable counting up from 0 with the length, which LLVM merges with
   the item's when the range is range(n) (one induction variable). */
static void
range_advance(PjLower *lw, PjType *it, LLVMValueRef state)
{
    LLVMBuilderRef B = lw->b;
    LLVMValueRef one = pj_i64(lw, 1);
    LLVMValueRef at = LLVMBuildStructGEP2(B, pj_lower_type(lw, it), state, 5,
                                          "");
    LLVMValueRef taken = LLVMBuildNSWAdd(
        B, LLVMBuildLoad2(B, lw->t_i64, at, ""), one, "");
    LLVMSetNUW(taken, 1);
    range_step_past(lw, it, state, one, false);
    LLVMBuildStore(B, taken, at);
}

/* A range iterator: {next item, step, count left, start, distance
   travelled, items taken}.  The count left ends an iterator that moves on
   as it is taken; the items taken end a loop's own, whose count stays the
   length (range_iternext). */
static LLVMTypeRef
six_i64(PjLower *lw, PjType *Py_UNUSED(t))
{
    LLVMTypeRef f[6] = {lw->t_i64, lw->t_i64, lw->t_i64, lw->t_i64,
                        lw->t_i64, lw->t_i64};
    return LLVMStructTypeInContext(lw->ctx, f, 6, 0);
}

const PjKind pj_kind_range_iter = {
    .name = "range_iter",
    .print = print_range_iter,
    .iter_type = pj_type_iter_self,
    .llvm_type = six_i64,
    .lower_iter = pj_lower_iter_self,
    .lower_iternext = range_iternext,
    .lower_advance = range_advance,
};

/* --- enumerate and zip --- */

static LLVMTypeRef
enumerate_llvm_type(PjLower *lw, PjType *it)
{
    LLVMTypeRef f[2] = {lw->t_i64, pj_lower_type(lw, it->elems[0])};
    return LLVMStructTypeInContext(lw->ctx, f, 2, 0);
}

static LLVMValueRef
enumerate_iternext(PjLower *lw, PjType *it, LLVMValueRef state,
                   LLVMValueRef *ok)
{
    LLVMBuilderRef B = lw->b;
    LLVMTypeRef st = pj_lower_type(lw, it);
    LLVMValueRef pc = LLVMBuildStructGEP2(B, st, state, 0, "");
    LLVMValueRef inner = pj_lower_iternext(
        lw, it->elems[0], LLVMBuildStructGEP2(B, st, state, 1, ""), ok);
    LLVMValueRef count = LLVMBuildLoad2(B, lw->t_i64, pc, "");
    LLVMBuildStore(B, LLVMBuildAdd(B, count, pj_i64(lw, 1), ""), pc);
    LLVMValueRef item = LLVMGetUndef(pj_lower_type(lw, it->item));
    item = LLVMBuildInsertValue(B, item, count, 0, "");
    return LLVMBuildInsertValue(B, item, inner, 1, "");
}

static void
enumerate_meminfo(PjLower *lw, LLVMValueRef v, PjType *it,
                  LLVMValueRef valid, PjMemFn f)
{
    pj_lower_field_meminfo(lw, v, 1, it->elems[0], valid, f);
}

const PjKind pj_kind_enumerate = {
    .name = "enumerate",
    .print = pj_type_print_iterator,
    .iter_type = pj_type_iter_self,
    .llvm_type = enumerate_llvm_type,
    .lower_iter = pj_lower_iter_self,
    .lower_iternext = enumerate_iternext,
    .holds_memory = pj_kind_elems_hold_memory,
    .each_meminfo = enumerate_meminfo,
};

static LLVMTypeRef
zip_llvm_type(PjLower *lw, PjType *it)
{
    return pj_lower_struct_of(lw, it->elems, it->nelems);
}

/* Every inner iterator advances; the zip has an item when all do. */
static LLVMValueRef
zip_iternext(PjLower *lw, PjType *it, LLVMValueRef state, LLVMValueRef *ok)
{
    LLVMTypeRef st = pj_lower_type(lw, it);
    LLVMValueRef item = LLVMGetUndef(pj_lower_type(lw, it->item));
    *ok = LLVMConstInt(lw->t_i1, 1, 0);
    for (int i = 0; i < it->nelems; i++) {
        LLVMValueRef one_ok;
        LLVMValueRef v = pj_lower_iternext(
            lw, it->elems[i],
            LLVMBuildStructGEP2(lw->b, st, state, (unsigned)i, ""), &one_ok);
        *ok = LLVMBuildAnd(lw->b, *ok, one_ok, "");
        item = LLVMBuildInsertValue(lw->b, item, v, (unsigned)i, "");
    }
    return item;
}

static void
zip_meminfo(PjLower *lw, LLVMValueRef v, PjType *it, LLVMValueRef valid,
            PjMemFn f)
{
    for (int i = 0; i < it->nelems; i++) {
        pj_lower_field_meminfo(lw, v, (unsigned)i, it->elems[i], valid, f);
    }
}

const PjKind pj_kind_zip = {
    .name = "zip",
    .print = pj_type_print_iterator,
    .iter_type = pj_type_iter_self,
    .llvm_type = zip_llvm_type,
    .lower_iter = pj_lower_iter_self,
    .lower_iternext = zip_iternext,
    .holds_memory = pj_kind_elems_hold_memory,
    .each_meminfo = zip_meminfo,
};

/* --- the (item, has item) pair of ITERNEXT --- */

/* Pairs unify as their items do: the pair of a list not known yet meets
   the pair of the list it is refined to on a later sweep. */
static PjType *
unify_pairs(PjType *a, PjType *b)
{
    PjType *u = pj_type_unify(a->item, b->item);
    return u == NULL ? NULL : u == a->item ? a : u == b->item ? b
                                                : pj_type_pair(u);
}

static void
print_pair(PjBuf *b, PjType *t)
{
    pj_buf_printf(b, "pair<%s, bool>", pj_type_str(t->item));
}

static LLVMTypeRef
pair_llvm_type(PjLower *lw, PjType *t)
{
    LLVMTypeRef f[2] = {pj_lower_type(lw, t->item), lw->t_i1};
    return LLVMStructTypeInContext(lw->ctx, f, 2, 0);
}

static bool
pair_holds_memory(PjType *t)
{
    return pj_type_holds_memory(t->item);
}

static void
pair_meminfo(PjLower *lw, LLVMValueRef v, PjType *t, LLVMValueRef valid,
             PjMemFn f)
{
    pj_lower_field_meminfo(lw, v, 0, t->item, valid, f);
}

const PjKind pj_kind_pair = {
    .name = "pair",
    .print = print_pair,
    .unify = unify_pairs,
    .llvm_type = pair_llvm_type,
    .holds_memory = pair_holds_memory,
    .each_meminfo = pair_meminfo,
};
