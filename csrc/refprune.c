/*
** refprune.c - reference counts that cancel.
**
** Each value that holds memory owns a reference to its block: lower.c's
** pj_lower_incref is an atomic add of 1 (monotonic), pj_lower_decref an
** atomic subtract of 1 (acquire-release) that frees the block when it
** took the count to zero.  Lowering is local, so a loop that reads
** `w[i][j]` of an array made in compiled code takes a reference to the
** block of the row `w[i]` and drops the one the previous row took, on
** every iteration.  After O3 both are the same block, side by side, and
** LLVM may not fold atomic read-modify-writes: the loop ran six times
** slower than Numba's, which prunes such pairs (its refprune pass).
**
** After the O3 pipeline this file removes an increment of a block that
** a decrement of the same block (the same SSA value) follows, when
** nothing between them could drop a reference: no call but of an
** intrinsic or of a function that writes no memory, and no decrement of
** another block, which might be the same one.  "Follows" is within a
** block, or along a run of blocks each of which only the one before
** enters (a decrement already removed no longer branches off to its
** free), or, from the end of such a run, along every path of blocks
** entered only from it and one another, with no cycle, to one decrement
** (diamond_decref: the increment of an array passed to an inlined
** argmax, whose tests branch before the release; a loop of those took
** 4.7 ms where Numba takes 1.0).  The increment kept the count above
** one across the decrement, so the decrement did not free: its branch to
** the free becomes a branch on false (or its old value 2), which the
** clean-up jit.c runs next folds away.
*/
#include "pyjit.h"

/* What an instruction is to the counts. */
typedef enum {
    REF_NONE,       /* cannot change a count */
    REF_INCREF,     /* pj_lower_incref's add */
    REF_DECREF,     /* pj_lower_decref's subtract */
    REF_BARRIER     /* may drop references, of any block */
} RefRole;

static bool
adds_one(LLVMValueRef i)
{
    LLVMValueRef by = LLVMGetOperand(i, 1);
    return LLVMIsAConstantInt(by) && LLVMConstIntGetZExtValue(by) == 1;
}

/* Whether a called function writes no memory: its memory effects
   (`memory(...)`, two bits per location, bit 1 of each a write) have no
   write, or it is an intrinsic (the lifetime markers, the math). */
static bool
writes_no_memory(LLVMValueRef callee)
{
    if (callee == NULL || !LLVMIsAFunction(callee)) {
        return false;
    }
    if (LLVMGetIntrinsicID(callee) != 0) {
        return true;
    }
    static unsigned memory_kind;
    if (memory_kind == 0) {
        memory_kind = LLVMGetEnumAttributeKindForName("memory", 6);
    }
    LLVMAttributeRef a = LLVMGetEnumAttributeAtIndex(
        callee, LLVMAttributeFunctionIndex, memory_kind);
    if (a == NULL) {
        return false;
    }
    uint64_t effects = LLVMGetEnumAttributeValue(a);
    return (effects & 0xAAAAAAAAAAAAAAAAull) == 0;
}

static RefRole
role_of(LLVMValueRef i)
{
    switch (LLVMGetInstructionOpcode(i)) {
    case LLVMAtomicRMW:
        if (!adds_one(i)) {
            return REF_NONE;
        }
        if (LLVMGetAtomicRMWBinOp(i) == LLVMAtomicRMWBinOpAdd) {
            return LLVMGetOrdering(i) == LLVMAtomicOrderingMonotonic
                       && LLVMGetFirstUse(i) == NULL
                       ? REF_INCREF : REF_NONE;
        }
        if (LLVMGetAtomicRMWBinOp(i) == LLVMAtomicRMWBinOpSub) {
            return LLVMGetOrdering(i) == LLVMAtomicOrderingAcquireRelease
                       ? REF_DECREF : REF_BARRIER;
        }
        return REF_NONE;
    case LLVMCall:
        return writes_no_memory(LLVMGetCalledValue(i)) ? REF_NONE
                                                       : REF_BARRIER;
    case LLVMInvoke:
    case LLVMCallBr:
        return REF_BARRIER;
    default:
        return REF_NONE;
    }
}

/* The increments not yet matched in the run of blocks being swept. */
enum { MAX_PENDING = 32 };
typedef struct {
    LLVMValueRef incref[MAX_PENDING];
    int n;
} Pending;

static void
pending_add(Pending *p, LLVMValueRef incref)
{
    if (p->n == MAX_PENDING) {
        memmove(p->incref, p->incref + 1, (MAX_PENDING - 1) * sizeof(void *));
        p->n--;
    }
    p->incref[p->n++] = incref;
}

/* The latest pending increment of the block at ptr, taken off the list,
   or NULL. */
static LLVMValueRef
pending_take(Pending *p, LLVMValueRef ptr)
{
    for (int k = p->n - 1; k >= 0; k--) {
        LLVMValueRef inc = p->incref[k];
        if (LLVMGetOperand(inc, 0) == ptr) {
            memmove(p->incref + k, p->incref + k + 1,
                    (size_t)(p->n - k - 1) * sizeof(void *));
            p->n--;
            return inc;
        }
    }
    return NULL;
}

/* The conditional branch to the free of the decrement dec (`br (icmp eq
   dec, 1), free, done`, lower.c's pj_lower_decref), or NULL when dec is
   used otherwise. */
static LLVMValueRef
free_branch_of(LLVMValueRef dec)
{
    LLVMUseRef u = LLVMGetFirstUse(dec);
    LLVMValueRef cmp = u != NULL ? LLVMGetUser(u) : NULL;
    if (cmp == NULL || LLVMGetNextUse(u) != NULL || !LLVMIsAICmpInst(cmp)
        || LLVMGetICmpPredicate(cmp) != LLVMIntEQ
        || LLVMGetOperand(cmp, 0) != dec || !adds_one(cmp)) {
        return NULL;
    }
    u = LLVMGetFirstUse(cmp);
    LLVMValueRef br = u != NULL ? LLVMGetUser(u) : NULL;
    if (br == NULL || LLVMGetNextUse(u) != NULL || !LLVMIsABranchInst(br)
        || !LLVMIsConditional(br) || LLVMGetCondition(br) != cmp) {
        return NULL;
    }
    return br;
}

/* An increment, the decrement that cancels it, and the decrement's
   branch to its free (NULL when it is used otherwise). */
typedef struct {
    LLVMValueRef inc, dec, br;
} Pair;

/* A function's sweep: the pairs found, removed once it is done. */
typedef struct {
    Pair *pairs;
    int n, cap;
} Sweep;

static int
sweep_add(Sweep *w, LLVMValueRef inc, LLVMValueRef dec)
{
    if (w->n == w->cap) {
        int cap = w->cap ? 2 * w->cap : 16;
        Pair *p = PyMem_Realloc(w->pairs, (size_t)cap * sizeof(Pair));
        if (p == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        w->pairs = p;
        w->cap = cap;
    }
    w->pairs[w->n++] = (Pair){inc, dec, free_branch_of(dec)};
    return 0;
}

/* Whether i is an increment or a decrement of a pair found (a block
   swept on its own and again in a run of blocks). */
static bool
is_paired(const Sweep *w, LLVMValueRef i)
{
    for (int k = 0; k < w->n; k++) {
        if (w->pairs[k].inc == i || w->pairs[k].dec == i) {
            return true;
        }
    }
    return false;
}

/* Whether br is the free branch of a pair found: it will jump to its
   second successor. */
static bool
is_cut(const Sweep *w, LLVMValueRef br)
{
    for (int k = 0; k < w->n; k++) {
        if (w->pairs[k].br == br) {
            return true;
        }
    }
    return false;
}

/* The block bb's terminator goes on to, when a jump (or a cut free
   branch), or NULL. */
static LLVMBasicBlockRef
next_of(const Sweep *w, LLVMBasicBlockRef bb)
{
    LLVMValueRef term = LLVMGetBasicBlockTerminator(bb);
    if (term == NULL || !LLVMIsABranchInst(term)) {
        return NULL;
    }
    if (!LLVMIsConditional(term)) {
        return LLVMGetSuccessor(term, 0);
    }
    return is_cut(w, term) ? LLVMGetSuccessor(term, 1) : NULL;
}

/* Whether bb is only reached through a cut free branch. */
static bool
is_cut_off(const Sweep *w, LLVMBasicBlockRef bb)
{
    LLVMUseRef u = LLVMGetFirstUse(LLVMBasicBlockAsValue(bb));
    for (; u != NULL; u = LLVMGetNextUse(u)) {
        LLVMValueRef user = LLVMGetUser(u);
        if (!LLVMIsABranchInst(user) || !is_cut(w, user)
            || LLVMGetSuccessor(user, 0) != bb) {
            return false;
        }
    }
    return true;
}

/* The block the run of blocks goes on to from bb: the one bb goes on to,
   when nothing else leads there but cut-off blocks.  Its instructions
   run right after bb's. */
static LLVMBasicBlockRef
continuation(const Sweep *w, LLVMBasicBlockRef bb)
{
    LLVMBasicBlockRef next = next_of(w, bb);
    if (next == NULL || next == bb) {
        return NULL;
    }
    LLVMUseRef u = LLVMGetFirstUse(LLVMBasicBlockAsValue(next));
    for (; u != NULL; u = LLVMGetNextUse(u)) {
        LLVMValueRef user = LLVMGetUser(u);
        LLVMBasicBlockRef from = LLVMIsAInstruction(user)
                                     ? LLVMGetInstructionParent(user) : NULL;
        if (from != bb && (from == NULL || !is_cut_off(w, from))) {
            return NULL;
        }
    }
    return next;
}

/* The blocks a diamond's walk went through (see diamond_decref). */
enum { MAX_DIAMOND = 32 };
typedef struct {
    LLVMBasicBlockRef from;
    LLVMBasicBlockRef block[MAX_DIAMOND];
    bool done[MAX_DIAMOND];
    int n;
    LLVMValueRef ptr, dec;
} Diamond;

static int
diamond_index(const Diamond *d, LLVMBasicBlockRef bb)
{
    for (int k = 0; k < d->n; k++) {
        if (d->block[k] == bb) {
            return k;
        }
    }
    return -1;
}

/* The first event of bb for d's block: 1 when it is d's decrement (the
   path ends there), 0 when there is none, -1 when something else comes
   first that may drop a reference or another decrement does. */
static int
first_event(const Sweep *w, Diamond *d, LLVMBasicBlockRef bb)
{
    for (LLVMValueRef i = LLVMGetFirstInstruction(bb); i != NULL;
         i = LLVMGetNextInstruction(i)) {
        RefRole role = role_of(i);
        if (role == REF_BARRIER) {
            return -1;
        }
        if (role != REF_DECREF) {
            continue;
        }
        if (LLVMGetOperand(i, 0) != d->ptr || is_paired(w, i)
            || (d->dec != NULL && d->dec != i)) {
            return -1;
        }
        d->dec = i;
        return 1;
    }
    return 0;
}

/* Walks bb and the blocks after it until each path meets d's decrement;
   false when a path meets something else first, leaves the function or
   comes round again. */
static bool
walk_diamond(const Sweep *w, Diamond *d, LLVMBasicBlockRef bb)
{
    int k = diamond_index(d, bb);
    if (bb == d->from || (k >= 0 && !d->done[k])) {
        return false;           /* a cycle */
    }
    if (k >= 0) {
        return true;            /* joined a path walked already */
    }
    if (d->n == MAX_DIAMOND) {
        return false;
    }
    k = d->n++;
    d->block[k] = bb;
    d->done[k] = false;
    int event = first_event(w, d, bb);
    if (event < 0) {
        return false;
    }
    if (event == 0) {
        LLVMValueRef term = LLVMGetBasicBlockTerminator(bb);
        unsigned n = term != NULL ? LLVMGetNumSuccessors(term) : 0;
        if (n == 0) {
            return false;       /* leaves with the reference taken */
        }
        bool cut = LLVMIsABranchInst(term) && is_cut(w, term);
        for (unsigned s = cut ? 1 : 0; s < n; s++) {
            if (!walk_diamond(w, d, LLVMGetSuccessor(term, s))) {
                return false;
            }
        }
    }
    d->done[k] = true;
    return true;
}

/* Whether every block the walk went through is entered only from the
   walk's start or from blocks the walk went through. */
static bool
entered_only_within(const Diamond *d)
{
    for (int k = 0; k < d->n; k++) {
        LLVMUseRef u = LLVMGetFirstUse(LLVMBasicBlockAsValue(d->block[k]));
        for (; u != NULL; u = LLVMGetNextUse(u)) {
            LLVMValueRef user = LLVMGetUser(u);
            if (!LLVMIsAInstruction(user)) {
                return false;
            }
            LLVMBasicBlockRef from = LLVMGetInstructionParent(user);
            if (from != d->from && diamond_index(d, from) < 0) {
                return false;
            }
        }
    }
    return true;
}

/* The decrement of ptr that every path from the end of `from` meets
   before anything that may drop a reference, in blocks entered only from
   `from` and one another, with no cycle among them; or NULL.  An
   increment pending at the end of `from` cancels with it: the increment
   of an array passed to a function inlined in a loop, whose branches
   (argmax's tests) come between it and the decrement. */
static LLVMValueRef
diamond_decref(const Sweep *w, LLVMBasicBlockRef from, LLVMValueRef ptr)
{
    Diamond d = {.from = from, .n = 0, .ptr = ptr, .dec = NULL};
    LLVMValueRef term = LLVMGetBasicBlockTerminator(from);
    unsigned n = term != NULL ? LLVMGetNumSuccessors(term) : 0;
    if (n < 2) {
        return NULL;
    }
    for (unsigned s = 0; s < n; s++) {
        if (!walk_diamond(w, &d, LLVMGetSuccessor(term, s))) {
            return NULL;
        }
    }
    return d.dec != NULL && entered_only_within(&d) ? d.dec : NULL;
}

/* Finds the pairs in the run of blocks from bb on (bb, then each
   continuation); -1 with MemoryError. */
static int
sweep_from(Sweep *w, LLVMBasicBlockRef bb)
{
    Pending p = {.n = 0};
    LLVMBasicBlockRef last = NULL;
    for (int steps = 0; bb != NULL && steps < 64;
         last = bb, bb = continuation(w, bb), steps++) {
        for (LLVMValueRef i = LLVMGetFirstInstruction(bb); i != NULL;
             i = LLVMGetNextInstruction(i)) {
            RefRole role = role_of(i);
            if (role != REF_NONE && role != REF_BARRIER && is_paired(w, i)) {
                role = REF_NONE;    /* removed with its pair */
            }
            switch (role) {
            case REF_INCREF:
                pending_add(&p, i);
                break;
            case REF_DECREF: {
                LLVMValueRef inc = pending_take(&p, LLVMGetOperand(i, 0));
                if (inc == NULL) {
                    p.n = 0;
                }
                else if (sweep_add(w, inc, i) < 0) {
                    return -1;
                }
                break;
            }
            case REF_BARRIER:
                p.n = 0;
                break;
            case REF_NONE:
                break;
            }
        }
    }
    for (int k = p.n - 1; bb == NULL && last != NULL && k >= 0; k--) {
        LLVMValueRef dec = diamond_decref(w, last,
                                          LLVMGetOperand(p.incref[k], 0));
        if (dec != NULL && sweep_add(w, p.incref[k], dec) < 0) {
            return -1;
        }
    }
    return 0;
}

/* Removes the pair p.  Its free branch is taken never (its condition
   becomes false, which the clean-up folds, mending the phis of a free's
   block that several decrements share); a decrement used otherwise sees
   an old count of 2. */
static void
cancel(const Pair *p)
{
    if (p->br != NULL) {
        LLVMValueRef cmp = LLVMGetCondition(p->br);
        LLVMSetCondition(p->br, LLVMConstInt(LLVMTypeOf(cmp), 0, 0));
        LLVMInstructionEraseFromParent(cmp);
    }
    else {
        LLVMReplaceAllUsesWith(p->dec, LLVMConstInt(LLVMTypeOf(p->dec), 2, 0));
    }
    LLVMInstructionEraseFromParent(p->dec);
    LLVMInstructionEraseFromParent(p->inc);
}

/* The pairs of f removed, or -1 with MemoryError. */
static int
prune_function(LLVMValueRef f)
{
    Sweep w = {0};
    int r = 0;
    for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(f); bb != NULL;
         bb = LLVMGetNextBasicBlock(bb)) {
        if (sweep_from(&w, bb) < 0) {
            r = -1;
            break;
        }
    }
    for (int k = 0; r == 0 && k < w.n; k++) {
        cancel(&w.pairs[k]);
    }
    r = r < 0 ? -1 : w.n;
    PyMem_Free(w.pairs);
    return r;
}

/* Removes the pairs of increment and decrement that cancel in each
   function of mod (see the top of this file); the number removed, or -1
   with MemoryError. */
int
pj_prune_refcounts(LLVMModuleRef mod)
{
    int pruned = 0;
    for (LLVMValueRef f = LLVMGetFirstFunction(mod); f != NULL;
         f = LLVMGetNextFunction(f)) {
        int k = prune_function(f);
        if (k < 0) {
            pruned = -1;
            break;
        }
        pruned += k;
    }
    return pruned;
}
