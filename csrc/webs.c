/*
** webs.c - splits each user variable into its webs before type inference.
**
** Python lets a name hold values of unrelated types one after the other:
**
**     I = np.full((n, 2, 3), -1)     # a 3-d array
**     I = I[0, :, ::-1]              # now a 2-d view
**
** Type inference gives a variable the unification of everything assigned
** to it, which has no answer here.  Numba renames such variables into SSA
** versions and joins the versions at merge points with phi nodes, so only
** assignments that can meet at a use are unified.  This pass reaches the
** same typing without phi nodes: it groups the definitions of a variable
** into webs, a web being the definitions that reach a common use (and,
** transitively, the uses they reach), and gives each web beyond the first
** a variable of its own (`I.1`, `I.2`, as Numba names its versions).  A
** loop-carried variable stays one web, since its definition in the loop
** and the one before it both reach the use at the loop's head.
**
** Reaching definitions are the classic bit-vector dataflow over the
** blocks.  An exception edge leaves from the middle of its block: what
** reaches a handler from block p is what reaches p's entry together with
** every definition in p, which is conservative (it can only join webs).
** Temporaries are defined once by construction and frontend-made names
** (`$exc1`, `$ret1`) are left alone; only names of the source are split.
** A web split off keeps its name's PjVar.origin, for what is said of the
** name by the source (locals=).
**
** A branch the argument types decide is made a jump first, as Numba
** prunes it before it types:
**
**     if isinstance(t, float):          # t a float64 argument
**         t = np.ones(n) * t
**     return (ref >= t).sum()           # only the array reaches here
**
** A parameter assigned again has several definitions, so inference could
** not read the test from the argument's type; here the reaching
** definitions say that at the branch only the argument reaches, and
** typeinfer.c decides the test with that (pj_branch_known).  Without the
** jump the argument's definition would reach the use after the `if`
** along the edge never taken, and join the array's web.
*/
#include "pyjit.h"

#include <string.h>

typedef struct {
    PjFunc *fn;
    PjArena *arena;
    int nblocks, ndefs, words;
    bool *split;               /* by var id: a candidate */
    PjInstr **def_ins;         /* by def id */
    int *def_var;              /* by def id: var id */
    int *first_def;            /* by block: its first def id */
    uint64_t **var_defs;       /* by var id: its definitions, or NULL */
    uint64_t *in;              /* nblocks * words: reaching at entry */
    int *parent;               /* union-find over def ids */
    PjVar **web_var;           /* by def id of a web's root */
} Webs;

static uint64_t *
row(Webs *w, uint64_t *base, int b)
{
    return base + (size_t)b * (size_t)w->words;
}

/* --- candidates and definitions --- */

static bool
is_candidate(PjVar *v)
{
    return !v->is_temp && v->name[0] != '$' && v->ndefs >= 2;
}

static bool
defines_candidate(Webs *w, PjInstr *ins)
{
    return ins->dst != NULL && w->split[ins->dst->id];
}

/* Numbers the definitions of the candidates in block order; 0 when there
   are none (nothing to split), -1 on MemoryError. */
static int
number_defs(Webs *w)
{
    PjFunc *fn = w->fn;
    int nvars = fn->vars.len, any = 0;
    w->split = PJ_NEW_N(w->arena, bool, nvars + 1);
    w->first_def = PJ_NEW_N(w->arena, int, w->nblocks + 1);
    if (w->split == NULL || w->first_def == NULL) {
        return -1;
    }
    for (int i = 0; i < nvars; i++) {
        w->split[i] = is_candidate(pj_ir_var_at(fn, i));
        any |= w->split[i];
    }
    if (!any) {
        return 0;
    }
    for (int b = 0; b < w->nblocks; b++) {
        w->first_def[b] = w->ndefs;
        for (PjInstr *ins = pj_ir_block(fn, b)->first; ins; ins = ins->next) {
            w->ndefs += defines_candidate(w, ins);
        }
    }
    w->words = (w->ndefs + 63) / 64;
    w->def_ins = PJ_NEW_N(w->arena, PjInstr *, w->ndefs);
    w->def_var = PJ_NEW_N(w->arena, int, w->ndefs);
    w->var_defs = PJ_NEW_N(w->arena, uint64_t *, nvars);
    w->parent = PJ_NEW_N(w->arena, int, w->ndefs);
    w->web_var = PJ_NEW_N(w->arena, PjVar *, w->ndefs);
    w->in = PJ_NEW_N(w->arena, uint64_t, (size_t)w->nblocks * w->words);
    if (!w->def_ins || !w->def_var || !w->var_defs || !w->parent
        || !w->web_var || !w->in) {
        return -1;
    }
    int d = 0;
    for (int b = 0; b < w->nblocks; b++) {
        for (PjInstr *ins = pj_ir_block(fn, b)->first; ins; ins = ins->next) {
            if (!defines_candidate(w, ins)) {
                continue;
            }
            int v = ins->dst->id;
            if (w->var_defs[v] == NULL) {
                w->var_defs[v] = PJ_NEW_N(w->arena, uint64_t, w->words);
                if (w->var_defs[v] == NULL) {
                    return -1;
                }
            }
            w->var_defs[v][d >> 6] |= (uint64_t)1 << (d & 63);
            w->def_ins[d] = ins;
            w->def_var[d] = v;
            w->parent[d] = d;
            d++;
        }
    }
    return 1;
}

/* --- reaching definitions --- */

/* Definition d replaces the other definitions of its variable in set. */
static void
kill_and_gen(Webs *w, uint64_t *set, int d)
{
    const uint64_t *mine = w->var_defs[w->def_var[d]];
    for (int k = 0; k < w->words; k++) {
        set[k] &= ~mine[k];
    }
    set[d >> 6] |= (uint64_t)1 << (d & 63);
}

/* Into out: what reaches the end of block b (every_def false), or what
   reaches any point of it, where an exception may leave (true). */
static void
flow_through(Webs *w, int b, uint64_t *out, bool every_def)
{
    memcpy(out, row(w, w->in, b), sizeof(uint64_t) * (size_t)w->words);
    int d = w->first_def[b];
    for (PjInstr *ins = pj_ir_block(w->fn, b)->first; ins; ins = ins->next) {
        if (!defines_candidate(w, ins)) {
            continue;
        }
        if (every_def) {
            out[d >> 6] |= (uint64_t)1 << (d & 63);
        }
        else {
            kill_and_gen(w, out, d);
        }
        d++;
    }
}

/* Adds from into the entry set of block `to`; whether it grew. */
static bool
merge_into(Webs *w, PjBlock *to, const uint64_t *from)
{
    uint64_t *in = row(w, w->in, to->index);
    bool grew = false;
    for (int k = 0; k < w->words; k++) {
        uint64_t u = in[k] | from[k];
        grew |= u != in[k];
        in[k] = u;
    }
    return grew;
}

/* Iterates the entry sets to their fixed point. */
static int
reach(Webs *w)
{
    uint64_t *out = PJ_NEW_N(w->arena, uint64_t, w->words);
    if (out == NULL) {
        return -1;
    }
    memset(w->in, 0, sizeof(uint64_t) * (size_t)w->nblocks * w->words);
    for (bool changed = true; changed;) {
        changed = false;
        for (int b = 0; b < w->nblocks; b++) {
            PjBlock *blk = pj_ir_block(w->fn, b), *succ[2];
            if (!blk->reachable) {
                continue;
            }
            flow_through(w, b, out, false);
            int n = pj_ir_successors(blk, succ);
            for (int k = 0; k < n; k++) {
                changed |= merge_into(w, succ[k], out);
            }
            if (blk->handler != NULL) {
                flow_through(w, b, out, true);
                changed |= merge_into(w, blk->handler, out);
            }
        }
    }
    return 0;
}

/* --- webs --- */

static int
find(Webs *w, int d)
{
    while (w->parent[d] != d) {
        w->parent[d] = w->parent[w->parent[d]];
        d = w->parent[d];
    }
    return d;
}

static void
join(Webs *w, int a, int b)
{
    a = find(w, a);
    b = find(w, b);
    /* the smaller root wins: a variable's first definition (its ARG for
       a parameter) stays in the web that keeps the original variable */
    if (a < b) {
        w->parent[b] = a;
    }
    else {
        w->parent[a] = b;
    }
}

/* A definition of variable v in set, or -1. */
static int
reaching_def_of(Webs *w, const uint64_t *set, int v)
{
    const uint64_t *mine = w->var_defs[v];
    for (int k = 0; k < w->words; k++) {
        uint64_t m = set[k] & mine[k];
        if (m != 0) {
            return k * 64 + __builtin_ctzll(m);
        }
    }
    return -1;
}

/* The first definition of v in block order. */
static int
first_def_of(Webs *w, int v)
{
    return reaching_def_of(w, w->var_defs[v], v);
}

/* Joins all definitions of v in set into one web. */
static void
join_reaching(Webs *w, const uint64_t *set, int v)
{
    int first = reaching_def_of(w, set, v);
    const uint64_t *mine = w->var_defs[v];
    for (int k = 0; first >= 0 && k < w->words; k++) {
        for (uint64_t m = set[k] & mine[k]; m != 0; m &= m - 1) {
            join(w, first, k * 64 + __builtin_ctzll(m));
        }
    }
}

/* Whether ins ends `x op= y` (x = inplace_binop(x, y)): an update of x,
   not a new binding.  It stays in the web of the x it updates, as an
   array updated in place is the same array, and as prange's reductions
   (`net -= x; net += 2 * x`) need one variable. */
static bool
updates_in_place(PjInstr *ins)
{
    if (ins->op != PJ_OP_COPY || ins->nsrc != 1 || ins->src[0] == NULL
        || ins->src[0]->ndefs != 1) {
        return false;
    }
    PjInstr *op = ins->src[0]->def;
    return op->op == PJ_OP_INPLACE && op->nsrc >= 1 && op->src[0] == ins->dst;
}

/* Walks every instruction of the reachable blocks with the definitions
   reaching it: joining the definitions each use sees (rewrite false), or
   pointing uses and definitions at their web's variable (true). */
static int
walk_uses(Webs *w, bool rewrite)
{
    uint64_t *set = PJ_NEW_N(w->arena, uint64_t, w->words);
    if (set == NULL) {
        return -1;
    }
    for (int b = 0; b < w->nblocks; b++) {
        PjBlock *blk = pj_ir_block(w->fn, b);
        memcpy(set, row(w, w->in, b), sizeof(uint64_t) * (size_t)w->words);
        int d = w->first_def[b];
        for (PjInstr *ins = blk->first; ins; ins = ins->next) {
            if (!rewrite && !blk->reachable && defines_candidate(w, ins)) {
                /* never run: kept with the variable's first web */
                join(w, first_def_of(w, ins->dst->id), d);
            }
            for (int k = 0; k < ins->nsrc; k++) {
                PjVar *v = ins->src[k];
                if (v == NULL || !w->split[v->id]) {
                    continue;
                }
                int r = reaching_def_of(w, set, v->id);
                if (!rewrite) {
                    join_reaching(w, set, v->id);
                }
                else if (r >= 0) {
                    ins->src[k] = w->web_var[find(w, r)];
                }
            }
            if (defines_candidate(w, ins)) {
                int old = !rewrite && updates_in_place(ins)
                          ? reaching_def_of(w, set, ins->dst->id) : -1;
                if (old >= 0) {
                    join(w, old, d);
                }
                if (rewrite) {
                    ins->dst = w->web_var[find(w, d)];
                }
                kill_and_gen(w, set, d++);
            }
        }
    }
    return 0;
}

/* --- branches the argument types decide --- */

/* Whether definition d is the only one of its variable in set. */
static bool
only_reaching(Webs *w, const uint64_t *set, int d)
{
    const uint64_t *mine = w->var_defs[w->def_var[d]];
    for (int k = 0; k < w->words; k++) {
        uint64_t want = k == d >> 6 ? (uint64_t)1 << (d & 63) : 0;
        if ((set[k] & mine[k]) != want) {
            return false;
        }
    }
    return true;
}

/* Into held: the ARG definitions that are the only ones of their
   parameter in set, the parameters still holding their arguments; their
   count. */
static int
held_arguments(Webs *w, const uint64_t *set, PjInstr **held)
{
    int n = 0;
    for (int d = 0; d < w->ndefs; d++) {
        if (w->def_ins[d]->op == PJ_OP_ARG && only_reaching(w, set, d)) {
            held[n++] = w->def_ins[d];
        }
    }
    return n;
}

/* Makes a jump of each branch whose test the argument types decide,
   given what reaches it; the number made, or -1 on MemoryError. */
static int
decide_branches(Webs *w, PjCompile *cx)
{
    uint64_t *out = PJ_NEW_N(w->arena, uint64_t, w->words);
    PjInstr **held = PJ_NEW_N(w->arena, PjInstr *, w->ndefs + 1);
    if (out == NULL || held == NULL) {
        return -1;
    }
    int made = 0;
    for (int b = 0; b < w->nblocks; b++) {
        PjBlock *blk = pj_ir_block(w->fn, b);
        PjInstr *t = blk->last;
        if (!blk->reachable || t == NULL || t->op != PJ_OP_BRANCH) {
            continue;
        }
        flow_through(w, b, out, false);
        int nheld = held_arguments(w, out, held);
        int known = nheld > 0 ? pj_branch_known(cx, t->src[0], held, nheld)
                              : -1;
        if (known >= 0) {
            t->op = PJ_OP_JUMP;
            t->target[0] = t->target[known ? 0 : 1];
            t->target[1] = NULL;
            t->nsrc = 0;
            made++;
        }
    }
    return made;
}

/* Reaching definitions, with the branches they let the argument types
   decide made jumps until none is left. */
static int
reach_deciding(Webs *w, PjCompile *cx)
{
    for (;;) {
        RETURN_IF_ERROR(reach(w));
        int made = decide_branches(w, cx);
        if (made <= 0) {
            return made;
        }
        RETURN_IF_ERROR(pj_ir_fill_cfg(w->fn));
    }
}

/* A variable for each web after a name's first: `name.N`, N the first
   free number. */
static int
name_webs(Webs *w)
{
    for (int d = 0; d < w->ndefs; d++) {
        int r = find(w, d);
        if (w->web_var[r] != NULL) {
            continue;
        }
        PjVar *orig = pj_ir_var_at(w->fn, w->def_var[d]);
        bool first = find(w, first_def_of(w, orig->id)) == r;
        w->web_var[r] = first ? orig : pj_ir_split_var(w->fn, orig);
        if (w->web_var[r] == NULL) {
            return -1;
        }
    }
    return 0;
}

/* Definitions counted again, each on the variable it now defines. */
static void
recount_defs(Webs *w)
{
    for (int d = 0; d < w->ndefs; d++) {
        PjVar *v = w->def_ins[d]->dst;
        v->ndefs = 0;
        v->def = NULL;
    }
    for (int d = 0; d < w->ndefs; d++) {
        pj_ir_set_dst(w->def_ins[d], w->def_ins[d]->dst);
    }
}

int
pj_split_webs(PjCompile *cx)
{
    PjFunc *fn = cx->fn;
    Webs w = {.fn = fn, .arena = fn->arena, .nblocks = fn->blocks.len};
    int rc = number_defs(&w);
    if (rc <= 0) {
        return rc;
    }
    RETURN_IF_ERROR(reach_deciding(&w, cx));
    RETURN_IF_ERROR(walk_uses(&w, false));
    RETURN_IF_ERROR(name_webs(&w));
    RETURN_IF_ERROR(walk_uses(&w, true));
    recount_defs(&w);
    return 0;
}
