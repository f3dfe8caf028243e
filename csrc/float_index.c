/*
** float_index.c - an integer made from a float that indexes an array at
** once: `counts[int(x * bins)] += 1`, `a[math.floor(t)]`.
**
** int() of a float tests the conversion for NaN and the infinities, which
** raise, and an index tests its sign, negative indices counting from the
** end.  On x86 the conversion instruction answers -2**63 for NaN, the
** infinities and every value out of range, so that answer is negative and
** one test of the sign can serve both: the conversion leaves its test
** pending, and the index that takes the integer next does it, the unusual
** answer and the wrapping of a negative index both out of line.  A
** histogram's loop then spends one compare and branch per element where
** it spent two and the wrapping's arithmetic (31 against 45 ms over 20M
** values in C).  A negative index is a branch taken rather than a select,
** which costs only when signs change unpredictably, rare for an index
** made from a float.
**
** np.int64(x) as an index is the same without the raise: NumPy's cast
** gives -2**63 for NaN and values out of range, which is x86's answer, so
** its compare and select go and the index only wraps, out of line.
**
** The test is pending between two instructions lowered one after the
** other by pj_lower_instrs: the conversion, and an indexing of an array
** by its result alone (arrays.c: pj_array_index_value,
** pj_array_checked_index).  pj_float_index_settled makes sure the second
** took it.
*/
#include "pyjit.h"

static LLVMBasicBlockRef
block(PjLower *lw, const char *name)
{
    return LLVMAppendBasicBlockInContext(lw->ctx, lw->func, name);
}

/* Whether ins indexes an array by var alone, through
   pj_array_indexed_address, and uses var for nothing else. */
static bool
indexes_by(const PjInstr *ins, const PjVar *var)
{
    if (ins == NULL || ins->nsrc < 2 || ins->src[1] != var
        || ins->src[0] == var || (ins->nsrc > 2 && ins->src[2] == var)) {
        return false;
    }
    return pj_array_indexes_by_int(ins);
}

/* The indexing that can take the test of int()'s result, ins's: the next
   instruction, or the one after a copy of the result to a variable
   (`k = int(x); counts[k] += 1`); *var is what it indexes by. */
static PjInstr *
taker_of(PjInstr *ins, PjVar **var)
{
    PjInstr *next = ins->next;
    *var = ins->dst;
    if (next != NULL && next->op == PJ_OP_COPY && next->src[0] == ins->dst
        && next->dst != NULL && next->dst->type == ins->dst->type) {
        *var = next->dst;
        next = next->next;
    }
    return indexes_by(next, *var) ? next : NULL;
}

/* ins's result, x converted to an int64, with the test of an unusual x
   (int()'s raise, or for a cast nothing) left to the indexing that takes
   the result at once; NULL when none does. */
static LLVMValueRef
defer(PjLower *lw, PjInstr *ins, LLVMValueRef x, bool casts)
{
    PjTarget *t = lw->cx->target;
    PjVar *var;
    PjInstr *taker = NULL;
    if (t->int64_indefinite && lw->lowering == ins && ins->dst != NULL) {
        taker = taker_of(ins, &var);
    }
    if (taker == NULL) {
        return NULL;
    }
    LLVMValueRef unusual;
    LLVMValueRef r = t->quick_to_int64(lw, x, &unusual);
    if (LLVMIsAInstruction(unusual)) {
        LLVMInstructionEraseFromParent(unusual);
    }
    lw->float_index = (PjFloatIndex){.result = ins->dst, .var = var,
                                     .taker = taker, .array = taker->src[0],
                                     .x = x, .casts = casts};
    return r;
}

/* int(x) of a float x (also math.floor(), round()) as ins's result: NaN
   and the infinities raise. */
LLVMValueRef
pj_float_index_result(PjLower *lw, PjInstr *ins, LLVMValueRef x)
{
    LLVMValueRef r = defer(lw, ins, x, false);
    return r != NULL ? r : pj_lower_float_to_int64(lw, x);
}

/* np.int64(x) of a float x as ins's result: a cast, as NumPy's, where
   NaN and values out of range give -2**63 (x86's answer), so an index
   made by one only wraps. */
LLVMValueRef
pj_float_index_cast(PjLower *lw, PjInstr *ins, LLVMValueRef x)
{
    LLVMValueRef r = defer(lw, ins, x, true);
    return r != NULL ? r : pj_lower_float_to_int(lw, x, lw->t_i64, true);
}

/* The index ins loads as v, when it is the pending conversion's result
   and ins the indexing that takes it, or ins indexes the same array by
   the same variable after that (counts[k] += 1 reads, then writes). */
void
pj_float_index_loaded(PjLower *lw, PjInstr *ins, LLVMValueRef v)
{
    PjFloatIndex *f = &lw->float_index;
    bool taking = f->taker != NULL && ins == f->taker;
    bool again = f->wrapped != NULL && ins->src[0] == f->array
                 && ins->src[1] == f->var && pj_array_indexes_by_int(ins);
    if (taking || again) {
        f->loaded = v;
    }
}

/* The unusual answer of an int() (-2**63: NaN, an infinity, a value
   beyond int64) as int() has it, raising or saturating; the variables
   get that value.  The value wrapped against n. */
static LLVMValueRef
build_unusual(PjLower *lw, LLVMValueRef n)
{
    PjFloatIndex *f = &lw->float_index;
    LLVMValueRef v = pj_lower_unusual_to_int64(lw, f->x);
    PjVar *holders[2] = {f->result, f->var};
    for (int k = 0; k < 2; k++) {
        LLVMValueRef slot = lw->slots[holders[k]->id];
        if (slot != NULL) {
            LLVMBuildStore(lw->b, v, slot);
        }
    }
    LLVMValueRef neg = LLVMBuildICmp(lw->b, LLVMIntSLT, v, pj_i64(lw, 0), "");
    return LLVMBuildSelect(lw->b, neg, LLVMBuildAdd(lw->b, v, n, ""), v, "");
}

/* The pending conversion's answer i wrapped against the dimension n:
   unchanged when not negative; otherwise, out of line, a negative index
   counts from the end, and int()'s unusual answer is dealt with first
   (build_unusual).  A cast's unusual answer only wraps, as before. */
static LLVMValueRef
build_wrap(PjLower *lw, LLVMValueRef i, LLVMValueRef n)
{
    LLVMBasicBlockRef start = LLVMGetInsertBlock(lw->b);
    LLVMBasicBlockRef negative = block(lw, "findex.negative");
    LLVMBasicBlockRef done = block(lw, "findex.done");
    pj_lower_rare_branch(lw, LLVMBuildICmp(lw->b, LLVMIntSLT, i,
                                           pj_i64(lw, 0), ""),
                         negative, done);
    LLVMPositionBuilderAtEnd(lw->b, negative);
    LLVMValueRef vals[3] = {i, NULL, NULL};
    LLVMBasicBlockRef from[3] = {start, NULL, NULL};
    unsigned nin = 1;
    if (!lw->float_index.casts) {
        LLVMBasicBlockRef unusual = block(lw, "findex.unusual");
        LLVMBasicBlockRef wrap = block(lw, "findex.wrap");
        pj_lower_rare_branch(lw, LLVMBuildICmp(lw->b, LLVMIntEQ, i,
                                               pj_i64(lw, INT64_MIN), ""),
                             unusual, wrap);
        LLVMPositionBuilderAtEnd(lw->b, unusual);
        vals[nin] = build_unusual(lw, n);
        from[nin++] = LLVMGetInsertBlock(lw->b);
        LLVMBuildBr(lw->b, done);
        LLVMPositionBuilderAtEnd(lw->b, wrap);
    }
    vals[nin] = LLVMBuildAdd(lw->b, i, n, "");
    from[nin++] = LLVMGetInsertBlock(lw->b);
    LLVMBuildBr(lw->b, done);
    LLVMPositionBuilderAtEnd(lw->b, done);
    LLVMValueRef r = LLVMBuildPhi(lw->b, lw->t_i64, "");
    LLVMAddIncoming(r, vals, from, nin);
    return r;
}

/* The index i wrapped against the dimension n when pj_float_index_loaded
   saw it, else NULL: built by the indexing that takes the pending test,
   the same value for the indexings of the array by the variable after
   it. */
LLVMValueRef
pj_float_index_wrap(PjLower *lw, LLVMValueRef i, LLVMValueRef n)
{
    PjFloatIndex *f = &lw->float_index;
    if (f->loaded == NULL || f->loaded != i) {
        return NULL;
    }
    if (f->taker != NULL) {
        f->wrapped = build_wrap(lw, i, n);
        f->taker = NULL;
    }
    f->loaded = NULL;
    return f->wrapped;
}

/* After ins is lowered: the instruction that was to take the pending
   test took it, and the wrapped index is forgotten once the variable or
   the array is assigned again. */
int
pj_float_index_settled(PjLower *lw, PjInstr *ins)
{
    PjFloatIndex *f = &lw->float_index;
    f->loaded = NULL;
    if (f->taker == ins) {
        *f = (PjFloatIndex){0};
        return pj_diag(lw->cx, PJ_ERR_LOWERING, ins->loc,
                       "the test of int() of a float was not taken by the "
                       "indexing that follows it");
    }
    if (f->taker == NULL && ins->dst != NULL
        && (ins->dst == f->var || ins->dst == f->array)) {
        *f = (PjFloatIndex){0};
    }
    return 0;
}

/* A block's lowering begins: what an earlier block wrapped may not
   dominate it. */
void
pj_float_index_forget(PjLower *lw)
{
    lw->float_index = (PjFloatIndex){0};
}
