/*
** unroll.c - runtime unrolling of small innermost loops.
**
** LLVM 19 does not unroll a loop whose trip count is known only at run
** time unless it is told to for the whole module, and doing that for the
** whole module costs a third more compile time and slows short loops: a
** recursion LLVM turned into a loop (fib) runs 40% slower.  The loops that
** gain are the innermost ones of a few instructions that did not
** vectorize, such as a strided store (`for j in range(i * i, n, i):
** flags[j] = False`) or a remainder of a square: there the loop's own
** increment, compare and branch are a third of the work.
**
** So after the O3 pipeline this file finds the natural loops of each
** function, picks the innermost ones that are small, were not vectorized
** (or are the scalar loop a vectorized one falls back to when one
** array's ranges may overlap),
** carry no unrolling hint already, call nothing but intrinsics and carry
** no value through a slow instruction from one iteration to the next (a
** sum of floats waits for the previous sum whatever the unrolling), and
** gives each an unroll count (llvm.loop.unroll.count) that keeps the
** unrolled body within a budget.  jit.c then runs LLVM's unroller, with
** its clean-up, only on modules where some loop was picked.  Everything
** else compiles as before.
**
** A body's size leaves out what costs nothing on the usual path: address
** arithmetic, which folds into the load or store that uses it, and the
** rare blocks that only the unlikely side of a weighted branch enters
** (the out-of-line conversion of an unusual float to an integer).  A
** histogram loop, `counts[int(a[i] * bins)] += 1`, is then 14
** instructions and gets a count of 4, as in Numba; counted whole it got
** 2 and ran 1.5x Numba's time on an Intel Rocket Lake.  Such a loop also
** has an exit besides its latch (the raise of a NaN), which jit.c lets
** LLVM unroll with a remainder loop, not with a test for the end in
** every copy.
*/
#include "pyjit.h"

#include <llvm-c/DebugInfo.h>

#include <stdlib.h>
#include <string.h>

/* Instructions (not counting phis) a picked loop's body may have, and
   the size its unrolled body may reach: a count of 4 for a body of up to
   16 instructions, 2 up to 32.  A count of 8 (what Numba's LLVM 22 picks
   for Zen 5) gains little more and doubles what the loop costs to
   compile: measured on an AMD Zen 5, the sieve runs 0.62 ms without,
   0.54 ms with 4, 0.51 ms with 8, and a kernel of one such loop compiles
   in 3.8 ms without, 5.2 ms with 4, 6.5 ms with 8. */
#define MAX_BODY 32
#define UNROLLED_BUDGET 64
#define MAX_COUNT 4

/* What a division or remainder by a constant counts for in a body's
   size, by the core the code is for.  It becomes a multiply-high, shifts
   and a multiply-subtract, and a loop of one (`total += (i * i) % 7`) is
   bound by the multiplier, not by its own bookkeeping; the count that
   runs it fastest differs between cores.  Measured on an AMD Zen 4 it
   runs 2.06 ms without unrolling, 1.61 ms with a count of 2, 1.90 ms
   with 3 or 4: counted as 12 there, such a loop of a few instructions
   gets a count of 2.  On an Intel Rocket Lake it runs 1.71 ms with a
   count of 2 and 1.61 ms with 4, the count clang and Numba give it:
   counted as 8 elsewhere, it gets 4. */
#define ZEN_DIVISION_SIZE 12
#define DIVISION_SIZE 8

/* A function's control-flow graph: blocks by index (sorted by address,
   so an index is found by binary search), successors and predecessors
   as index lists. */
typedef struct {
    LLVMBasicBlockRef *blocks;
    unsigned n;
    unsigned *succ_start, *succ;    /* successors of b: succ[succ_start[b]
                                       .. succ_start[b + 1]) */
    unsigned *pred_start, *pred;
} Cfg;

typedef struct {
    unsigned latch, header;
} BackEdge;

static int
compare_blocks(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)*(LLVMBasicBlockRef const *)a;
    uintptr_t y = (uintptr_t)*(LLVMBasicBlockRef const *)b;
    return (x > y) - (x < y);
}

static unsigned
block_index(const Cfg *g, LLVMBasicBlockRef bb)
{
    LLVMBasicBlockRef *hit = bsearch(&bb, g->blocks, g->n, sizeof(*hit),
                                     compare_blocks);
    return (unsigned)(hit - g->blocks);
}

static void
cfg_free(Cfg *g)
{
    PyMem_Free(g->blocks);
    PyMem_Free(g->succ_start);
    PyMem_Free(g->succ);
    PyMem_Free(g->pred_start);
    PyMem_Free(g->pred);
}

static unsigned
successor_count(LLVMBasicBlockRef bb)
{
    LLVMValueRef term = LLVMGetBasicBlockTerminator(bb);
    return term == NULL ? 0 : LLVMGetNumSuccessors(term);
}

/* Predecessor lists from the successor lists, by counting then placing. */
static int
cfg_invert(Cfg *g, unsigned nedges)
{
    g->pred_start = PyMem_Calloc(g->n + 1, sizeof(unsigned));
    g->pred = PyMem_Calloc(nedges + 1, sizeof(unsigned));
    unsigned *fill = PyMem_Calloc(g->n + 1, sizeof(unsigned));
    if (g->pred_start == NULL || g->pred == NULL || fill == NULL) {
        PyMem_Free(fill);
        return -1;
    }
    for (unsigned e = 0; e < nedges; e++) {
        g->pred_start[g->succ[e] + 1]++;
    }
    for (unsigned b = 0; b < g->n; b++) {
        g->pred_start[b + 1] += g->pred_start[b];
    }
    for (unsigned b = 0; b < g->n; b++) {
        for (unsigned e = g->succ_start[b]; e < g->succ_start[b + 1]; e++) {
            unsigned s = g->succ[e];
            g->pred[g->pred_start[s] + fill[s]++] = b;
        }
    }
    PyMem_Free(fill);
    return 0;
}

static int
cfg_build(Cfg *g, LLVMValueRef fn)
{
    memset(g, 0, sizeof(*g));
    g->n = LLVMCountBasicBlocks(fn);
    g->blocks = PyMem_Calloc(g->n + 1, sizeof(LLVMBasicBlockRef));
    g->succ_start = PyMem_Calloc(g->n + 1, sizeof(unsigned));
    if (g->blocks == NULL || g->succ_start == NULL) {
        return -1;
    }
    LLVMGetBasicBlocks(fn, g->blocks);
    qsort(g->blocks, g->n, sizeof(*g->blocks), compare_blocks);
    unsigned nedges = 0;
    for (unsigned b = 0; b < g->n; b++) {
        nedges += successor_count(g->blocks[b]);
    }
    g->succ = PyMem_Calloc(nedges + 1, sizeof(unsigned));
    if (g->succ == NULL) {
        return -1;
    }
    unsigned e = 0;
    for (unsigned b = 0; b < g->n; b++) {
        g->succ_start[b] = e;
        LLVMValueRef term = LLVMGetBasicBlockTerminator(g->blocks[b]);
        for (unsigned k = 0; k < successor_count(g->blocks[b]); k++) {
            g->succ[e++] = block_index(g, LLVMGetSuccessor(term, k));
        }
    }
    g->succ_start[g->n] = e;
    return cfg_invert(g, nedges);
}

/* The back edges of a depth-first walk from the entry: an edge to a block
   still on the walk's stack.  For the reducible graphs pyjit emits these
   are exactly the latch-to-header edges of the natural loops. */
static int
find_back_edges(const Cfg *g, LLVMValueRef fn, BackEdge **out,
                unsigned *nout)
{
    unsigned char *state = PyMem_Calloc(g->n + 1, 1);   /* 1 open, 2 done */
    unsigned *stack = PyMem_Calloc(g->n + 1, sizeof(unsigned));
    unsigned *next = PyMem_Calloc(g->n + 1, sizeof(unsigned));
    BackEdge *edges = PyMem_Calloc(g->succ_start[g->n] + 1, sizeof(BackEdge));
    if (!state || !stack || !next || !edges) {
        PyMem_Free(state), PyMem_Free(stack), PyMem_Free(next);
        PyMem_Free(edges);
        return -1;
    }
    unsigned depth = 0, nedges = 0;
    stack[depth++] = block_index(g, LLVMGetEntryBasicBlock(fn));
    state[stack[0]] = 1;
    next[stack[0]] = g->succ_start[stack[0]];
    while (depth > 0) {
        unsigned b = stack[depth - 1];
        if (next[b] == g->succ_start[b + 1]) {
            state[b] = 2;
            depth--;
            continue;
        }
        unsigned s = g->succ[next[b]++];
        if (state[s] == 1) {
            edges[nedges++] = (BackEdge){b, s};
        }
        else if (state[s] == 0) {
            state[s] = 1;
            next[s] = g->succ_start[s];
            stack[depth++] = s;
        }
    }
    PyMem_Free(state), PyMem_Free(stack), PyMem_Free(next);
    *out = edges;
    *nout = nedges;
    return 0;
}

/* Marks in `in` the blocks of the natural loop of edge e: its header and
   every block that reaches the latch without passing the header. */
static void
loop_blocks(const Cfg *g, BackEdge e, unsigned char *in, unsigned *work)
{
    memset(in, 0, g->n);
    in[e.header] = 1;
    unsigned top = 0;
    if (!in[e.latch]) {
        in[e.latch] = 1;
        work[top++] = e.latch;
    }
    while (top > 0) {
        unsigned b = work[--top];
        for (unsigned k = g->pred_start[b]; k < g->pred_start[b + 1]; k++) {
            unsigned p = g->pred[k];
            if (!in[p]) {
                in[p] = 1;
                work[top++] = p;
            }
        }
    }
}

/* Whether the loop of edge `self` is innermost and has a single latch:
   no other back edge lands inside it. */
static bool
innermost_single_latch(const BackEdge *edges, unsigned nedges, unsigned self,
                       const unsigned char *in)
{
    for (unsigned k = 0; k < nedges; k++) {
        if (k != self && in[edges[k].header]) {
            return false;
        }
    }
    return true;
}

/* What instruction i counts for in a body's size: 1, `division` for a
   division or remainder by a constant, 0 for address arithmetic. */
static unsigned
instruction_size(LLVMValueRef i, unsigned division)
{
    switch (LLVMGetInstructionOpcode(i)) {
    case LLVMUDiv: case LLVMSDiv: case LLVMURem: case LLVMSRem:
        return LLVMIsAConstantInt(LLVMGetOperand(i, 1)) ? division : 1;
    case LLVMGetElementPtr:
        return 0;
    default:
        return 1;
    }
}

/* Which successor of block bb's terminator is the rare side of its
   branch weights (lower.c's pj_lower_rare_branch gives 1 to a million,
   and LLVM keeps or swaps them when it rewrites the branch), or -1. */
static int
rare_successor(LLVMBasicBlockRef bb, unsigned prof)
{
    LLVMValueRef term = LLVMGetBasicBlockTerminator(bb);
    LLVMValueRef md = term == NULL ? NULL : LLVMGetMetadata(term, prof);
    if (md == NULL || LLVMGetNumSuccessors(term) != 2
        || LLVMGetMDNodeNumOperands(md) != 3) {
        return -1;
    }
    LLVMValueRef ops[3];
    LLVMGetMDNodeOperands(md, ops);
    if (!LLVMIsAConstantInt(ops[1]) || !LLVMIsAConstantInt(ops[2])) {
        return -1;
    }
    unsigned long long w0 = LLVMConstIntGetZExtValue(ops[1]);
    unsigned long long w1 = LLVMConstIntGetZExtValue(ops[2]);
    return w0 * 1000 <= w1 ? 0 : w1 * 1000 <= w0 ? 1 : -1;
}

/* Marks the loop's rare blocks with 2 in `in`: those its usual path
   enters only through the rare side of a weighted branch, such as the
   out-of-line conversion of an unusual float to an integer that comes
   back into the loop.  They run almost never, so they do not count in
   the body's size. */
static void
mark_rare_blocks(const Cfg *g, BackEdge e, unsigned char *in, unsigned prof)
{
    bool changed = true;
    while (changed) {
        changed = false;
        for (unsigned b = 0; b < g->n; b++) {
            if (in[b] != 1 || b == e.header) {
                continue;
            }
            bool rare = true;
            for (unsigned k = g->pred_start[b];
                 k < g->pred_start[b + 1] && rare; k++) {
                unsigned p = g->pred[k];
                if (!in[p] || in[p] == 2) {
                    continue;
                }
                int r = rare_successor(g->blocks[p], prof);
                LLVMValueRef term = LLVMGetBasicBlockTerminator(g->blocks[p]);
                rare = r >= 0 && LLVMGetSuccessor(term, (unsigned)r)
                                     == g->blocks[b];
            }
            if (rare) {
                in[b] = 2;
                changed = true;
            }
        }
    }
}

/* The size of the loop's body in instructions, or MAX_BODY + 1 when it
   calls anything but an intrinsic (a call costs more than the loop's own
   bookkeeping, and a call of the function itself is a recursion LLVM
   made into a loop, which runs few times). */
static unsigned
body_size(const Cfg *g, const unsigned char *in, unsigned division)
{
    unsigned size = 0;
    for (unsigned b = 0; b < g->n && size <= MAX_BODY; b++) {
        if (in[b] != 1) {
            continue;
        }
        for (LLVMValueRef i = LLVMGetFirstInstruction(g->blocks[b]);
             i != NULL; i = LLVMGetNextInstruction(i)) {
            if (LLVMIsAPHINode(i) || LLVMIsADbgInfoIntrinsic(i)) {
                continue;
            }
            if (LLVMIsACallInst(i) || LLVMIsAInvokeInst(i)) {
                LLVMValueRef callee = LLVMGetCalledValue(i);
                if (!LLVMIsAFunction(callee)
                    || LLVMGetIntrinsicID(callee) == 0) {
                    return MAX_BODY + 1;
                }
            }
            size += instruction_size(i, division);
        }
    }
    return size;
}

/* How far back through a loop's instructions a recurrence is followed. */
#define RECURRENCE_DEPTH 6

/* Whether instruction i takes several cycles to give its result: a
   multiply, a division, or floating-point arithmetic (an FP intrinsic
   too). */
static bool
slow_op(LLVMValueRef i)
{
    switch (LLVMGetInstructionOpcode(i)) {
    case LLVMMul: case LLVMSDiv: case LLVMUDiv: case LLVMSRem:
    case LLVMURem: case LLVMFAdd: case LLVMFSub: case LLVMFMul:
    case LLVMFDiv: case LLVMFRem:
        return true;
    case LLVMCall: {
        LLVMTypeKind k = LLVMGetTypeKind(LLVMTypeOf(i));
        return k == LLVMFloatTypeKind || k == LLVMDoubleTypeKind;
    }
    default:
        return false;
    }
}

/* Whether v, computed in the loop (blocks `in`), depends on phi through
   a slow instruction (`slow`: one was passed already). */
static bool
slow_path_to(const Cfg *g, const unsigned char *in, LLVMValueRef v,
             LLVMValueRef phi, bool slow, int depth)
{
    if (v == phi) {
        return slow;
    }
    if (depth == 0 || !LLVMIsAInstruction(v) || LLVMIsAPHINode(v)
        || !in[block_index(g, LLVMGetInstructionParent(v))]) {
        return false;
    }
    slow = slow || slow_op(v);
    int n = LLVMGetNumOperands(v);
    for (int k = 0; k < n; k++) {
        if (slow_path_to(g, in, LLVMGetOperand(v, k), phi, slow, depth - 1)) {
            return true;
        }
    }
    return false;
}

/* Whether a value the loop carries to its next iteration goes through a
   slow instruction (a sum of floats, a multiplicative hash): each
   iteration then waits for the previous one's result, which hides the
   loop's own bookkeeping, and unrolling would only cost compile time. */
static bool
has_slow_recurrence(const Cfg *g, BackEdge e, const unsigned char *in)
{
    LLVMBasicBlockRef latch = g->blocks[e.latch];
    for (LLVMValueRef phi = LLVMGetFirstInstruction(g->blocks[e.header]);
         phi != NULL && LLVMIsAPHINode(phi);
         phi = LLVMGetNextInstruction(phi)) {
        for (unsigned k = 0; k < LLVMCountIncoming(phi); k++) {
            if (LLVMGetIncomingBlock(phi, k) == latch
                && slow_path_to(g, in, LLVMGetIncomingValue(phi, k), phi,
                                false, RECURRENCE_DEPTH)) {
                return true;
            }
        }
    }
    return false;
}

/* Operands a loop id may have for this file to extend it: LLVM's loop
   ids hold a handful of hints. */
#define MAX_LOOP_ID 16

/* The string a hint node {!"name", ...} starts with, or NULL. */
static const char *
hint_name(LLVMValueRef hint, unsigned *len)
{
    unsigned n = LLVMIsAMDNode(hint) ? LLVMGetMDNodeNumOperands(hint) : 0;
    if (n == 0 || n > MAX_LOOP_ID) {
        return NULL;
    }
    LLVMValueRef ops[MAX_LOOP_ID];
    LLVMGetMDNodeOperands(hint, ops);
    return ops[0] != NULL ? LLVMGetMDString(ops[0], len) : NULL;
}

static bool
starts_with(const char *s, unsigned len, const char *prefix)
{
    size_t n = strlen(prefix);
    return s != NULL && len >= n && strncmp(s, prefix, n) == 0;
}

/* Whether a loop id is too long to extend, or carries a hint whose name
   starts with prefix. */
static bool
has_hint(LLVMValueRef loop_id, const char *prefix)
{
    unsigned n = LLVMGetMDNodeNumOperands(loop_id);
    if (n >= MAX_LOOP_ID) {
        return true;
    }
    LLVMValueRef ops[MAX_LOOP_ID];
    LLVMGetMDNodeOperands(loop_id, ops);
    for (unsigned k = 1; k < n; k++) {
        unsigned len = 0;
        const char *s = ops[k] != NULL ? hint_name(ops[k], &len) : NULL;
        if (starts_with(s, len, prefix)) {
            return true;
        }
    }
    return false;
}

/* The object an address points into: the pointer its GEPs start from. */
static LLVMValueRef
address_base(LLVMValueRef p)
{
    while (LLVMIsAGetElementPtrInst(p)
           || (LLVMIsAConstantExpr(p)
               && LLVMGetConstOpcode(p) == LLVMGetElementPtr)) {
        p = LLVMGetOperand(p, 0);
    }
    return p;
}

#define CONFLICT_DEPTH 8

/* Whether the compares of addresses in the and/or tree of cond all
   compare addresses in one object (*base, the first found): the
   vectorizer's run-time test of overlapping ranges, where the ranges are
   of one array. */
static bool
compares_within(LLVMValueRef cond, LLVMValueRef *base, int depth)
{
    if (depth > CONFLICT_DEPTH || !LLVMIsAInstruction(cond)) {
        return true;
    }
    LLVMOpcode op = LLVMGetInstructionOpcode(cond);
    if (op == LLVMAnd || op == LLVMOr || op == LLVMSelect) {
        for (int k = 0; k < LLVMGetNumOperands(cond); k++) {
            if (!compares_within(LLVMGetOperand(cond, k), base, depth + 1)) {
                return false;
            }
        }
        return true;
    }
    if (op != LLVMICmp || LLVMGetTypeKind(LLVMTypeOf(LLVMGetOperand(
                              cond, 0))) != LLVMPointerTypeKind) {
        return true;
    }
    for (int k = 0; k < 2; k++) {
        LLVMValueRef b = address_base(LLVMGetOperand(cond, k));
        if (*base == NULL) {
            *base = b;
        }
        if (b != *base) {
            return false;
        }
    }
    return true;
}

/* Whether bb ends in the branch of a run-time test of overlap between
   ranges of one array. */
static bool
tests_overlap_within_one_array(LLVMBasicBlockRef bb)
{
    LLVMValueRef term = LLVMGetBasicBlockTerminator(bb);
    if (term == NULL || !LLVMIsABranchInst(term) || !LLVMIsConditional(term)) {
        return false;
    }
    LLVMValueRef base = NULL;
    return compares_within(LLVMGetCondition(term), &base, 0) && base != NULL;
}

/* Whether the loop of edge e, the scalar loop a vectorized loop falls
   back to when its run-time test finds the arrays may overlap, is entered
   from a test of ranges of one array: an array read and written in the
   loop, where the ranges the test compares often overlap (they cover
   every iteration of the loops around it), so the scalar loop does the
   work.  Floyd-Warshall's `d[i][j]` loop runs there every time: unrolled
   by 4, as in Numba, it went from 1.3x Numba's time to 1.0x.  Between
   different arrays the test passes, the scalar loop only finishes the
   vector loop's work, and unrolling it would cost compile time (a 2-d
   stencil's first call took half as long again). */
static bool
falls_back_within_one_array(const Cfg *g, BackEdge e, const unsigned char *in)
{
    unsigned h = e.header;
    for (unsigned p = g->pred_start[h]; p < g->pred_start[h + 1]; p++) {
        unsigned pre = g->pred[p];
        if (in[pre]) {
            continue;
        }
        if (tests_overlap_within_one_array(g->blocks[pre])) {
            return true;
        }
        for (unsigned q = g->pred_start[pre]; q < g->pred_start[pre + 1];
             q++) {
            if (tests_overlap_within_one_array(g->blocks[g->pred[q]])) {
                return true;
            }
        }
    }
    return false;
}

/* Whether this file leaves alone the loop of edge e, whose id is loop_id:
   the id is too long, or carries an unrolling hint ("llvm.loop.unroll.*")
   or marks a loop the vectorizer made or finished
   ("llvm.loop.isvectorized"), except the scalar loop a test of one
   array's ranges sends the work to (falls_back_within_one_array).  The
   vectorizer marks the vector loop and a scalar loop that only finishes
   it with "llvm.loop.unroll.runtime.disable" too. */
static bool
left_alone(const Cfg *g, BackEdge e, const unsigned char *in,
           LLVMValueRef loop_id)
{
    if (has_hint(loop_id, "llvm.loop.unroll")) {
        return true;
    }
    return has_hint(loop_id, "llvm.loop.isvectorized")
           && !falls_back_within_one_array(g, e, in);
}

/* A self-referencing loop id: the existing one's hints plus an unroll
   count.  The old id has fewer than MAX_LOOP_ID operands. */
static LLVMValueRef
loop_id_with_count(LLVMContextRef ctx, LLVMValueRef old, unsigned count)
{
    unsigned nold = old != NULL ? LLVMGetMDNodeNumOperands(old) : 0;
    LLVMValueRef oldops[MAX_LOOP_ID];
    if (old != NULL) {
        LLVMGetMDNodeOperands(old, oldops);
    }
    LLVMMetadataRef ops[MAX_LOOP_ID + 1];
    LLVMMetadataRef self = LLVMTemporaryMDNode(ctx, NULL, 0);
    unsigned n = 0;
    ops[n++] = self;
    for (unsigned k = 1; k < nold; k++) {
        ops[n++] = LLVMValueAsMetadata(oldops[k]);
    }
    LLVMMetadataRef hint[2] = {
        LLVMMDStringInContext2(ctx, "llvm.loop.unroll.count", 22),
        LLVMValueAsMetadata(LLVMConstInt(LLVMInt32TypeInContext(ctx), count,
                                         0)),
    };
    ops[n++] = LLVMMDNodeInContext2(ctx, hint, 2);
    LLVMMetadataRef id = LLVMMDNodeInContext2(ctx, ops, n);
    LLVMMetadataReplaceAllUsesWith(self, id);   /* frees the temporary */
    return LLVMMetadataAsValue(ctx, id);
}

static unsigned
unroll_count(unsigned size)
{
    unsigned count = MAX_COUNT;
    while (count > 1 && count * size > UNROLLED_BUDGET) {
        count /= 2;
    }
    return count;
}

/* Gives the loop of edge e an unroll count when it qualifies; 1 if it
   did. */
static int
mark_loop(const Cfg *g, BackEdge e, const unsigned char *in, unsigned kind,
          unsigned division)
{
    LLVMValueRef latch = LLVMGetBasicBlockTerminator(g->blocks[e.latch]);
    LLVMValueRef old = LLVMGetMetadata(latch, kind);
    if (old != NULL && left_alone(g, e, in, old)) {
        return 0;
    }
    unsigned size = body_size(g, in, division);
    unsigned count = size <= MAX_BODY ? unroll_count(size) : 1;
    if (count < 2 || has_slow_recurrence(g, e, in)) {
        return 0;
    }
    LLVMContextRef ctx = LLVMGetTypeContext(LLVMTypeOf(latch));
    LLVMSetMetadata(latch, kind, loop_id_with_count(ctx, old, count));
    return 1;
}

/* The number of loops of fn given an unroll count, or -1 with
   MemoryError. */
static int
mark_function(LLVMValueRef fn, unsigned kind, unsigned prof,
              unsigned division)
{
    Cfg g;
    BackEdge *edges = NULL;
    unsigned nedges = 0;
    int marked = -1;
    if (cfg_build(&g, fn) < 0 || find_back_edges(&g, fn, &edges, &nedges) < 0) {
        goto done;
    }
    unsigned char *in = PyMem_Calloc(g.n + 1, 1);
    unsigned *work = PyMem_Calloc(g.n + 1, sizeof(unsigned));
    if (in != NULL && work != NULL) {
        marked = 0;
        for (unsigned k = 0; k < nedges; k++) {
            loop_blocks(&g, edges[k], in, work);
            if (innermost_single_latch(edges, nedges, k, in)) {
                mark_rare_blocks(&g, edges[k], in, prof);
                marked += mark_loop(&g, edges[k], in, kind, division);
            }
        }
    }
    PyMem_Free(in);
    PyMem_Free(work);
done:
    PyMem_Free(edges);
    cfg_free(&g);
    if (marked < 0) {
        PyErr_NoMemory();
    }
    return marked;
}

/* What a division by a constant counts for in code for the core named
   cpu (LLVM's name, such as "znver4" or "rocketlake"). */
static unsigned
division_size(const char *cpu)
{
    return strncmp(cpu, "znver", 5) == 0 ? ZEN_DIVISION_SIZE : DIVISION_SIZE;
}

/* Gives the small innermost loops of an optimized module for the core
   named cpu an unroll count (see the top of this file).  The number of
   loops given a count, or -1 with MemoryError. */
int
pj_mark_small_loops(LLVMModuleRef mod, const char *cpu)
{
    unsigned division = division_size(cpu);
    LLVMContextRef ctx = LLVMGetModuleContext(mod);
    unsigned kind = LLVMGetMDKindIDInContext(ctx, "llvm.loop", 9);
    unsigned prof = LLVMGetMDKindIDInContext(ctx, "prof", 4);
    int marked = 0;
    for (LLVMValueRef f = LLVMGetFirstFunction(mod); f != NULL;
         f = LLVMGetNextFunction(f)) {
        if (LLVMCountBasicBlocks(f) < 2) {
            continue;
        }
        int k = mark_function(f, kind, prof, division);
        if (k < 0) {
            return -1;
        }
        marked += k;
    }
    return marked;
}
