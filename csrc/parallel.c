/*
** parallel.c - prange loops of parallel=True functions.
**
** After inference, pj_parallel_plan finds each outermost loop over
** prange(...) and decides what every variable it touches is to the
** threads that run it:
**
**   shared    assigned only outside the loop: each chunk copies it in;
**   private   assigned in the loop before any read in the same iteration
**             (the loop's own variables, its index, its temporaries);
**   reduction assigned only by `x op= e` or `x = x op e` with op one of
**             + - * | & (+ and - may mix), or by `x = min(x, e)` /
**             `max`: each chunk starts from op's identity (from x's value
**             for the idempotent ones) and the caller combines the
**             chunks' partials in chunk order after the loop; an array
**             reduces by `acc += e` or `acc *= e` (e of acc's dtype and
**             dimensions) from zeros (ones) of acc's shape, each partial
**             combined in with the loop's own operator;
**   last      assigned in the loop and read after it: it gets the value
**             the chunk holding the last iteration leaves, which is
**             Python's when that iteration assigns it (a warning says so,
**             as Numba warns of it).
**
** A variable read in an iteration before that iteration assigns it
** carries a value from one iteration to the next: that is an
** UnsupportedError unless it is a reduction (Numba's rule), or unless
** only an inner loop that runs no times, or a branch on the iteration's
** data, lets the read come first (`for j in range(m): t = ...` then a
** read of t; `if counts[t] > 0: last = x[t] else: x[t] = last`, as
** aeon's SAX inversion fills gaps).  Such a variable is
** copied in: each chunk starts from its value before the loop and
** carries it from one of its iterations to the next, which is what
** Numba gives; a warning says that an iteration whose inner loop runs no
** times, or whose data go that way, may see another value than Python's.  A branch on
** a variable the loop never assigns goes the same way in every
** iteration, so a temporary assigned and read under the same `if flag:`
** carries nothing (UMAP's layout loop): the check follows each way of
** such conditions on its own; a path through a branch on a variable the
** loop assigns (`if norm:`) goes the same way at the next branch on it
** until the path assigns it again, so a value made under `if norm:` and
** read under the next one carries nothing either; and a way of the
** invariant conditions that reads a variable
** but never assigns it (`if unequal_length:` false, the bounding matrix
** made before the loop read throughout: aeon's distances) copies it in
** and carries nothing.  A loop that leaves other than by running
** out (break, return) runs serially with a warning, as Numba runs it.  A
** loop that reads an element of an array that another iteration writes,
** as the indices tell for certain (a[i - 1] read and a[i] written, a[0]
** read and written by every iteration, also through views: row =
** a[i - 1]; row[j]), gets a warning that its iterations may see each
** other's writes in any order; Numba leaves that to the user without a
** word, and so does pyjit where the indices depend on the data (each
** iteration may own a part of the array: perm[t, lo], t = tree[s]).
** A prange inside a prange loop is a range:
** the inner loop runs serially in each iteration of the outer one.
**
** Lowering: the caller's code for the loop (pj_parallel_lower, in place of
** its getiter) counts the iterations, asks parallel_rt.c how many chunks
** to cut them into, fills an environment (the address of each shared,
** reduction and last variable's slot, the partials, the range's start and
** step) and runs the chunk function, built here from the loop's body
** blocks with lower.c's own instruction lowering: a function of its own
** with a slot for each variable the loop touches.  An exception in a
** chunk releases that chunk's variables and reaches the caller as the
** region's first error.
*/
#include "pyjit.h"

#include <string.h>

/* The class of the warnings about loops that run unlike Python's. */
#define SAFETY "ParallelSafetyWarning"

typedef enum Role {
    ROLE_NONE, ROLE_SHARED, ROLE_PRIVATE, ROLE_REDUCE, ROLE_LAST,
} Role;

/* How a reduction combines: sums (+ and -) and products combine with
   their operator from an identity; the idempotent ones start from the
   variable's value. */
typedef enum Combine {
    RED_NONE, RED_SUM, RED_PROD, RED_OR, RED_AND, RED_MIN, RED_MAX,
    RED_ARRAY_SUM,              /* acc += e into a whole array */
    RED_ARRAY_PROD,             /* acc *= e into a whole array */
} Combine;

/* Branch conditions the body assigns whose ways a walk of one iteration
   keeps apart: a path that went one way on `norm` goes the same way at
   the next `if norm:` until norm is assigned again. */
#define MAX_PATH_CONDS 3

typedef struct ParLoop {
    PjInstr *getiter;           /* iter(prange(...)), before the loop */
    PjBlock *head, *body;       /* the iternext block, the first of the body */
    PjBlock *after;             /* where the loop goes when it runs out */
    PjInstr *item;              /* pair_first: the index, first in body */
    bool *in_body;              /* per block */
    unsigned char *role;        /* per variable */
    bool *copy_in;              /* per variable: each chunk starts from its
                                   value before the loop */
    unsigned char *combine;     /* per variable, for reductions */
    PjInstr **step;             /* per array reduction: an `acc += e` */
    int *env_field;             /* per variable: its slot's address in env */
    int nenv;                   /* slot addresses in the environment */
    PjVar **reds;               /* the reduction variables, in order */
    int nreds;
    PjVar **conds;              /* branch conditions the body never assigns */
    int nconds;                 /* -1: too many to try each way */
    PjVar *path_conds[MAX_PATH_CONDS];  /* ones it assigns (the first few) */
    int npath_conds;
} ParLoop;

struct PjParallel {
    PjVec loops;                /* ParLoop* */
    bool *in_loop;              /* per block: inside a planned loop */
};

/* --- finding the loops --- */

/* Whether v is the callable of row `id` (prange, min, max), however the
   code names it (prange, pyjit.prange). */
static bool
is_callable(PjVar *v, int id)
{
    PjType *t = v->type;
    return pj_type_is_builtin(t, id);
}

/* iter(prange(...)), the loop shape the frontend builds for it: a jump to
   a head of iternext, pair_second and a branch to the body. */
static bool
is_prange_loop(PjInstr *ins)
{
    if (ins->op != PJ_OP_GETITER || ins->src[0]->ndefs != 1) {
        return false;
    }
    PjInstr *call = ins->src[0]->def;
    return call != NULL && call->op == PJ_OP_CALL
           && is_callable(call->src[0], PJ_FN_PRANGE)
           && ins->next != NULL && ins->next->op == PJ_OP_JUMP;
}

/* The blocks of the body: those reached from its first block without
   going through the head.  False when the loop has another way out
   (break, return), which Numba runs serially. */
static bool
mark_body(PjFunc *fn, ParLoop *L, PjBlock *b)
{
    if (b == L->head || L->in_body[b->index]) {
        return true;
    }
    if (b == L->after) {
        return false;
    }
    L->in_body[b->index] = true;
    if (b->last != NULL && b->last->op == PJ_OP_RETURN) {
        return false;
    }
    PjBlock *succ[2];
    for (int s = 0, n = pj_ir_reachable_successors(b, succ); s < n; s++) {
        if (!mark_body(fn, L, succ[s])) {
            return false;
        }
    }
    return true;
}

/* The body's blocks, by mark_body; a block outside the loop reached from
   it (after a break) counts as leaving it too. */
static bool
find_body(PjCompile *cx, ParLoop *L)
{
    PjFunc *fn = cx->fn;
    if (!mark_body(fn, L, L->body)) {
        return false;
    }
    for (int i = 0; i < fn->blocks.len; i++) {
        PjBlock *succ[2];
        PjBlock *b = pj_ir_block(fn, i);
        int n = L->in_body[i] ? pj_ir_reachable_successors(b, succ) : 0;
        for (int s = 0; s < n; s++) {
            if (!L->in_body[succ[s]->index] && succ[s] != L->head) {
                return false;
            }
        }
    }
    return true;
}

static ParLoop *
new_loop(PjCompile *cx, PjInstr *getiter)
{
    PjFunc *fn = cx->fn;
    ParLoop *L = PJ_NEW(cx->arena, ParLoop);
    if (L == NULL) {
        return NULL;
    }
    L->getiter = getiter;
    L->head = getiter->next->target[0];
    PjInstr *br = L->head->last;
    L->body = br->target[0];
    L->after = br->target[1];
    L->item = L->body->first;
    L->in_body = PJ_NEW_N(cx->arena, bool, fn->blocks.len);
    L->role = PJ_NEW_N(cx->arena, unsigned char, fn->vars.len + 1);
    L->copy_in = PJ_NEW_N(cx->arena, bool, fn->vars.len + 1);
    L->combine = PJ_NEW_N(cx->arena, unsigned char, fn->vars.len + 1);
    L->env_field = PJ_NEW_N(cx->arena, int, fn->vars.len + 1);
    L->reds = PJ_NEW_N(cx->arena, PjVar *, fn->vars.len + 1);
    L->step = PJ_NEW_N(cx->arena, PjInstr *, fn->vars.len + 1);
    if (L->in_body == NULL || L->role == NULL || L->copy_in == NULL
        || L->combine == NULL
        || L->env_field == NULL || L->reds == NULL || L->step == NULL) {
        return NULL;
    }
    return L;
}

/* --- the roles of variables --- */

typedef void (*InstrFn)(ParLoop *L, PjInstr *ins, void *arg);

static void
each_body_instr(PjFunc *fn, ParLoop *L, InstrFn f, void *arg)
{
    for (int i = 0; i < fn->blocks.len; i++) {
        PjBlock *b = pj_ir_block(fn, i);
        if (!L->in_body[i] || !b->reachable) {
            continue;
        }
        for (PjInstr *ins = b->first; ins != NULL; ins = ins->next) {
            if (ins != L->item) {
                f(L, ins, arg);
            }
        }
    }
}

typedef struct Uses {
    int *reads, *writes;
} Uses;

static void
count_uses(ParLoop *Py_UNUSED(L), PjInstr *ins, void *arg)
{
    Uses *u = arg;
    for (int s = 0; s < ins->nsrc; s++) {
        u->reads[ins->src[s]->id]++;
    }
    if (ins->dst != NULL) {
        u->writes[ins->dst->id]++;
    }
}

static Combine
combine_of_binop(int op)
{
    switch (op) {
    case PJ_BIN_ADD: case PJ_BIN_SUB: return RED_SUM;
    case PJ_BIN_MUL: return RED_PROD;
    case PJ_BIN_OR: return RED_OR;
    case PJ_BIN_AND: return RED_AND;
    default: return RED_NONE;
    }
}

/* acc += e (acc *= e) into an array: e an array of acc's dtype and
   dimensions, so that a chunk's partial combines into acc the same way. */
static bool
is_array_step(PjVar *v, PjInstr *d, int sub)
{
    PjType *e = d->argtys != NULL ? d->argtys[1] : NULL;
    return d->op == PJ_OP_INPLACE && d->sub == sub && d->nsrc == 2
           && d->src[0] == v && d->src[1] != v && e != NULL
           && pj_type_is_array(e) && e->elems[0] == v->type->elems[0]
           && pj_array_ndim(e) == pj_array_ndim(v->type);
}

/* The whole-array reduction the step d of v is: products only of
   integers and floats, whose identity is 1. */
static Combine
array_reduction(PjVar *v, PjInstr *d)
{
    int k = v->type->elems[0]->kind;
    if (is_array_step(v, d, PJ_BIN_ADD)) {
        return RED_ARRAY_SUM;
    }
    return is_array_step(v, d, PJ_BIN_MUL)
           && (k == PJ_TK_INT || k == PJ_TK_FLOAT) ? RED_ARRAY_PROD
                                                   : RED_NONE;
}

/* What reduction `v = t` is, t a temporary made from v: `v op e`, or
   min/max(v, e) in either order (e not v). */
static Combine
reduction_step(PjVar *v, PjVar *t)
{
    PjInstr *d = t->ndefs == 1 ? t->def : NULL;
    if (d == NULL || !t->is_temp) {
        return RED_NONE;
    }
    if (pj_type_is_array(v->type)) {
        return array_reduction(v, d);
    }
    if ((d->op == PJ_OP_INPLACE || d->op == PJ_OP_BINOP) && d->nsrc == 2
        && d->src[0] == v && d->src[1] != v) {
        return combine_of_binop(d->sub);
    }
    if (d->op == PJ_OP_CALL && d->nsrc == 3 && d->obj == NULL
        && (d->src[1] == v) != (d->src[2] == v)) {
        if (is_callable(d->src[0], PJ_FN_MIN)) {
            return RED_MIN;
        }
        if (is_callable(d->src[0], PJ_FN_MAX)) {
            return RED_MAX;
        }
    }
    return RED_NONE;
}

typedef struct RedScan {
    PjVar *v;
    PjInstr *step;              /* the last step's operation */
    Combine combine;
    int steps;
    bool other;                 /* assigned some other way */
} RedScan;

static void
scan_reduction(ParLoop *Py_UNUSED(L), PjInstr *ins, void *arg)
{
    RedScan *r = arg;
    if (ins->dst != r->v) {
        return;
    }
    Combine c = ins->op == PJ_OP_COPY ? reduction_step(r->v, ins->src[0])
                                      : RED_NONE;
    if (c == RED_NONE || (r->combine != RED_NONE && c != r->combine)) {
        r->other = true;
        return;
    }
    r->combine = c;
    r->step = ins->src[0]->def;
    r->steps++;
}

/* The reduction v is in the loop, or RED_NONE: every assignment is a
   step of one kind and the steps are its only reads. */
static Combine
reduction_of(PjFunc *fn, ParLoop *L, Uses *u, PjVar *v)
{
    if (v->type == NULL || (!pj_type_is_number(v->type)
                            && !pj_type_is_array(v->type))) {
        return RED_NONE;
    }
    RedScan r = {.v = v};
    each_body_instr(fn, L, scan_reduction, &r);
    if (r.other || r.steps != u->reads[v->id]) {
        return RED_NONE;
    }
    L->step[v->id] = r.step;
    if (r.combine == RED_ARRAY_SUM || r.combine == RED_ARRAY_PROD) {
        return r.combine;
    }
    bool is_int = v->type->kind != PJ_TK_FLOAT
                  && v->type->kind != PJ_TK_COMPLEX;
    if (v->type->kind == PJ_TK_COMPLEX && r.combine != RED_SUM) {
        return RED_NONE;
    }
    if (!is_int && (r.combine == RED_OR || r.combine == RED_AND)) {
        return RED_NONE;
    }
    return r.combine;
}

/* --- reads before assignments, each way of the invariant conditions --- */

/* Beyond this many invariant conditions the loop is not tried each way
   (2^n walks of its body): a read before an assignment is then taken as
   carried, as liveness alone says. */
#define MAX_INVARIANT_CONDS 6

/* Adds v to the loop's invariant conditions, or gives up on trying them
   each way (nconds -1) when there are too many. */
static void
add_invariant_cond(ParLoop *L, PjVar *v)
{
    for (int k = 0; k < L->nconds; k++) {
        if (L->conds[k] == v) {
            return;
        }
    }
    if (L->nconds == MAX_INVARIANT_CONDS) {
        L->nconds = -1;
        return;
    }
    L->conds[L->nconds++] = v;
}

/* The index of v among L's path conditions; -1 when it is not one. */
static int
path_cond_index(ParLoop *L, PjVar *v)
{
    for (int k = 0; k < L->npath_conds; k++) {
        if (L->path_conds[k] == v) {
            return k;
        }
    }
    return -1;
}

/* The variables the body branches on and never assigns: each takes the
   same way in every iteration; and the first few it branches on and
   assigns, whose ways a path keeps until it assigns them. */
static int
find_invariant_conds(PjCompile *cx, ParLoop *L, Uses *u)
{
    PjFunc *fn = cx->fn;
    L->conds = PJ_NEW_N(cx->arena, PjVar *, MAX_INVARIANT_CONDS);
    if (L->conds == NULL) {
        return -1;
    }
    for (int i = 0; i < fn->blocks.len && L->nconds >= 0; i++) {
        PjInstr *t = pj_ir_block(fn, i)->last;
        if (!L->in_body[i] || t == NULL || t->op != PJ_OP_BRANCH) {
            continue;
        }
        if (u->writes[t->src[0]->id] == 0) {
            add_invariant_cond(L, t->src[0]);
        }
        else if (!t->src[0]->is_temp && pj_type_is_number(t->src[0]->type)
                 && path_cond_index(L, t->src[0]) < 0
                 && L->npath_conds < MAX_PATH_CONDS) {
            /* a variable of the user's (a temporary is a loop's own
               test or a comparison, made again before its one branch)
               holding a number, whose truth changes only when it is
               assigned (a list's changes as it grows) */
            L->path_conds[L->npath_conds++] = t->src[0];
        }
    }
    return 0;
}

/* One walk of the body with every invariant condition fixed: bit k of
   `ways` is whether conds[k] is true.  With inner_loops_run, a walk that
   enters an inner for loop goes into its body: the loop's first item is
   taken for granted (the way out is still walked from its back edge), as
   it always is for a range of constants that is not empty. */
typedef struct Walk {
    PjCompile *cx;
    ParLoop *L;
    PjVar *v;
    unsigned ways;
    bool inner_loops_run;
    uint64_t *seen;             /* per block: the path states walked from
                                   it (SEEN_ENTERED: entering an inner
                                   loop), and SEEN_SEARCHED */
} Walk;

/* What a path knows of the path conditions: for each, nothing, false or
   true (3**MAX_PATH_CONDS states). */
typedef struct {
    unsigned known, value;      /* bit k: path_conds[k] known, and true */
} PathState;

/* the bit of a block's seen word for state n is n, or n + SEEN_ENTERED
   (n < 3**MAX_PATH_CONDS = 27) */
enum { SEEN_ENTERED = 32 };
#define SEEN_SEARCHED ((uint64_t)1 << 63)

static unsigned
state_number(PathState p)
{
    unsigned n = 0;
    for (int k = MAX_PATH_CONDS - 1; k >= 0; k--) {
        n = n * 3 + (p.known >> k & 1 ? 1 + (p.value >> k & 1) : 0);
    }
    return n;
}

/* p after ins: an assigned path condition is no longer known. */
static PathState
after_instr(ParLoop *L, PathState p, PjInstr *ins)
{
    int k = ins->dst != NULL ? path_cond_index(L, ins->dst) : -1;
    if (k >= 0) {
        p.known &= ~(1u << k);
    }
    return p;
}

/* The loop's getiter when the edge from `from` to b enters a for loop
   from before it (`from` ends with the getiter and a jump to b, its
   head), else NULL. */
static PjInstr *
entered_loop_getiter(PjBlock *from, PjBlock *b)
{
    PjInstr *head = b->first, *last = from->last;
    if (head == NULL || head->op != PJ_OP_ITERNEXT || b->last == NULL
        || b->last->op != PJ_OP_BRANCH || last == NULL
        || last->op != PJ_OP_JUMP) {
        return NULL;
    }
    for (PjInstr *ins = from->first; ins != NULL; ins = ins->next) {
        if (ins->next == last) {
            return ins->op == PJ_OP_GETITER ? ins : NULL;
        }
    }
    return NULL;
}

/* The integer constant v always holds, if it holds one. */
static bool
constant_int(PjVar *v, long long *out)
{
    PyObject *k = pj_ir_const_of(v);
    int overflow = 0;
    if (k == NULL || !PyLong_CheckExact(k)) {
        return false;
    }
    *out = PyLong_AsLongLongAndOverflow(k, &overflow);
    return !overflow;
}

/* Whether the for loop of getiter takes an item whatever the data: it
   walks a range of constants that is not empty (`for j in range(1)`,
   which pymatting writes to scope a variable). */
static bool
takes_an_item(PjInstr *getiter)
{
    PjVar *r = getiter->src[0];
    PjInstr *call = r->ndefs == 1 ? r->def : NULL;
    if (call == NULL || call->op != PJ_OP_CALL || call->nsrc < 2
        || call->nsrc > 4
        || pj_ir_const_of(call->src[0]) != (PyObject *)&PyRange_Type) {
        return false;
    }
    long long v[3] = {0, 0, 1};
    int n = call->nsrc - 1;
    for (int k = 0; k < n; k++) {
        if (!constant_int(call->src[k + 1], &v[n == 1 ? 1 : k])) {
            return false;
        }
    }
    return v[2] > 0 ? v[0] < v[1] : v[2] < 0 && v[0] > v[1];
}

/* The block a branch goes to under the walk's conditions, or as the
   function's constants decide it; NULL when its condition varies from
   one iteration to the next. */
static PjBlock *
fixed_target(Walk *w, PjInstr *t)
{
    PjBlock *decided = pj_decided_target(w->cx, t);
    if (decided != NULL) {
        return decided;
    }
    for (int k = 0; k < w->L->nconds; k++) {
        if (w->L->conds[k] == t->src[0]) {
            return t->target[(w->ways >> k) & 1 ? 0 : 1];
        }
    }
    return NULL;
}

enum { USE_NONE, USE_READ, USE_ASSIGN };

/* What b does first with w->v: reads it, assigns it, or neither; *p
   follows the path conditions b assigns until then. */
static int
first_use_in(Walk *w, PjBlock *b, PathState *p)
{
    for (PjInstr *ins = b->first; ins != NULL; ins = ins->next) {
        for (int s = 0; s < ins->nsrc; s++) {
            if (ins->src[s] == w->v) {
                return USE_READ;
            }
        }
        if (ins->dst == w->v) {
            return USE_ASSIGN;
        }
        *p = after_instr(w->L, *p, ins);
    }
    return USE_NONE;
}

static bool read_first_from(Walk *w, PjBlock *from, PjBlock *b,
                            PathState p);

/* read_first_from the successors of b, which ends with a branch on a
   path condition (k): the way p knows, or each way, known from then on. */
static bool
read_first_after_path_cond(Walk *w, PjBlock *b, int k, PathState p)
{
    PjInstr *t = b->last;
    for (int way = 0; way < 2; way++) {
        bool truth = way == 0;
        if ((p.known >> k & 1) && (bool)(p.value >> k & 1) != truth) {
            continue;
        }
        PathState q = {p.known | 1u << k,
                       truth ? p.value | 1u << k : p.value & ~(1u << k)};
        if (t->target[way]->reachable
            && read_first_from(w, b, t->target[way], q)) {
            return true;
        }
    }
    return false;
}

/* Whether a path of one iteration from b, reached from `from` knowing p
   of the path conditions, reads w->v before assigning it. */
static bool
read_first_from(Walk *w, PjBlock *from, PjBlock *b, PathState p)
{
    PjInstr *getiter = entered_loop_getiter(from, b);
    bool entered = getiter != NULL
                   && (w->inner_loops_run || takes_an_item(getiter));
    uint64_t bit = (uint64_t)1 << (state_number(p)
                                   + (entered ? SEEN_ENTERED : 0));
    if (b == w->L->head || !b->reachable || !w->L->in_body[b->index]
        || (w->seen[b->index] & bit)) {
        return false;
    }
    w->seen[b->index] |= bit;
    int use = first_use_in(w, b, &p);
    if (use != USE_NONE) {
        return use == USE_READ;
    }
    PjInstr *t = b->last;
    PjBlock *fixed = entered ? t->target[0]
                     : t != NULL && t->op == PJ_OP_BRANCH ? fixed_target(w, t)
                                                          : NULL;
    if (fixed != NULL) {
        return read_first_from(w, b, fixed, p);
    }
    int k = t != NULL && t->op == PJ_OP_BRANCH
            ? path_cond_index(w->L, t->src[0]) : -1;
    if (k >= 0) {
        return read_first_after_path_cond(w, b, k, p);
    }
    PjBlock *succ[2];
    for (int s = 0, n = pj_ir_reachable_successors(b, succ); s < n; s++) {
        if (read_first_from(w, b, succ[s], p)) {
            return true;
        }
    }
    return false;
}

/* Whether some path of one iteration from b assigns w->v under the
   walk's conditions. */
static bool
assigned_from(Walk *w, PjBlock *b)
{
    if (b == w->L->head || !b->reachable || !w->L->in_body[b->index]
        || (w->seen[b->index] & SEEN_SEARCHED)) {
        return false;
    }
    w->seen[b->index] |= SEEN_SEARCHED;
    for (PjInstr *ins = b->first; ins != NULL; ins = ins->next) {
        if (ins->dst == w->v) {
            return true;
        }
    }
    PjInstr *t = b->last;
    PjBlock *fixed = t != NULL && t->op == PJ_OP_BRANCH ? fixed_target(w, t)
                                                        : NULL;
    if (fixed != NULL) {
        return assigned_from(w, fixed);
    }
    PjBlock *succ[2];
    for (int s = 0, n = pj_ir_reachable_successors(b, succ); s < n; s++) {
        if (assigned_from(w, succ[s])) {
            return true;
        }
    }
    return false;
}

/* Whether the one path of an iteration that takes no branch on its
   data (it follows the invariant conditions as the walk fixes them, and
   enters each inner for loop) reads w->v before assigning it: then every
   iteration that gets there does, whatever its data. */
static bool
read_first_straight(Walk *w, int nblocks)
{
    PjBlock *from = w->L->head, *b = w->L->body;
    for (int steps = 0; steps < nblocks; steps++) {
        if (b == w->L->head || !b->reachable || !w->L->in_body[b->index]) {
            return false;
        }
        PathState p = {0, 0};
        int use = first_use_in(w, b, &p);
        if (use != USE_NONE) {
            return use == USE_READ;
        }
        PjInstr *t = b->last;
        PjBlock *next = NULL;
        if (t != NULL && t->op == PJ_OP_JUMP) {
            next = t->target[0];
        }
        else if (t != NULL && t->op == PJ_OP_BRANCH) {
            next = entered_loop_getiter(from, b) != NULL
                   ? t->target[0] : fixed_target(w, t);
        }
        if (next == NULL) {
            return false;
        }
        from = b;
        b = next;
    }
    return false;
}

/* Whether v, live where the body starts, carries a value from one
   iteration to the next: some way of the invariant conditions lets an
   iteration read it before assigning it (when inner_loops_run, one whose
   inner loops each run at least once) and assigns it somewhere; *straight
   is set when such a way reads it first with no branch on the data (see
   read_first_straight).  A way that reads it and never assigns it (`if
   unequal_length:` false, the value made before the loop used
   throughout) carries nothing but needs that value: *copy_in is then
   set.  -1 on no memory. */
static int
is_carried(PjCompile *cx, ParLoop *L, PjVar *v, bool inner_loops_run,
           bool *copy_in, bool *straight)
{
    if (L->nconds < 0) {
        return 1;
    }
    PjFunc *fn = cx->fn;
    Walk w = {cx, L, v, 0, inner_loops_run,
              PJ_NEW_N(cx->arena, uint64_t, fn->blocks.len)};
    if (w.seen == NULL) {
        return -1;
    }
    for (unsigned ways = 0; ways < 1u << L->nconds; ways++) {
        memset(w.seen, 0, sizeof(uint64_t) * (size_t)fn->blocks.len);
        w.ways = ways;
        if (!read_first_from(&w, L->head, L->body, (PathState){0, 0})) {
            continue;
        }
        if (assigned_from(&w, L->body)) {
            *straight = read_first_straight(&w, fn->blocks.len);
            return 1;
        }
        *copy_in = true;
    }
    return 0;
}

static int
set_role(PjCompile *cx, ParLoop *L, PjLiveness *lv, Uses *u, PjVar *v)
{
    const char *name = pj_ir_source_name(v);
    if (u->writes[v->id] == 0) {
        L->role[v->id] = u->reads[v->id] ? ROLE_SHARED : ROLE_NONE;
        return 0;
    }
    Combine c = reduction_of(cx->fn, L, u, v);
    if (c != RED_NONE) {
        L->role[v->id] = ROLE_REDUCE;
        L->combine[v->id] = (unsigned char)c;
        L->reds[L->nreds++] = v;
        return 0;
    }
    bool copy_in = false, inner_loop_first = false, straight = false;
    bool data_first = false;
    int carried = pj_ir_live_in(lv, L->body, v)
                  ? is_carried(cx, L, v, false, &copy_in, &straight) : 0;
    if (carried > 0) {
        carried = is_carried(cx, L, v, true, &copy_in, &straight);
        inner_loop_first = carried == 0;
        data_first = carried > 0 && !straight;
        carried = data_first ? 0 : carried;
    }
    L->copy_in[v->id] = copy_in || inner_loop_first || data_first;
    if (carried < 0) {
        return -1;
    }
    if (carried) {
        return pj_diag(cx, PJ_ERR_UNSUPPORTED, L->getiter->loc,
                       "variable '%s' is read in an iteration of the "
                       "prange loop before that iteration assigns it, so "
                       "it would carry a value from one iteration to the "
                       "next, which iterations running at once cannot "
                       "do; only reductions (%s += ..., %s = min(%s, "
                       "...)) may", name, name, name, name);
    }
    L->role[v->id] = pj_ir_live_in(lv, L->after, v) ? ROLE_LAST
                                                    : ROLE_PRIVATE;
    if (data_first) {
        RETURN_IF_ERROR(pj_diag_warn(
            cx, SAFETY, L->getiter->loc, "variable '%s' is read in the "
            "prange loop before it is assigned when the iteration's data "
            "go one way: that iteration reads the value its thread's "
            "previous iteration left (or the value from before the prange "
            "loop), as under Numba, where Python reads the previous "
            "iteration's", name));
    }
    if (inner_loop_first) {
        RETURN_IF_ERROR(pj_diag_warn(
            cx, SAFETY, L->getiter->loc, "variable '%s' is assigned in an "
            "inner loop of the prange loop and read after that loop: an "
            "iteration in which the inner loop runs no times reads the "
            "value its thread's previous iteration left (or the value "
            "from before the prange loop), not always Python's", name));
    }
    if (L->role[v->id] == ROLE_LAST && !v->is_temp) {
        return pj_diag_warn(cx, SAFETY, L->getiter->loc,
                       "variable '%s' is assigned in the prange loop and "
                       "read after it: it holds the value the loop's last "
                       "iteration gives it, which is Python's only if that "
                       "iteration assigns it",
                       name);
    }
    return 0;
}

static int
assign_roles(PjCompile *cx, ParLoop *L, PjLiveness *lv)
{
    PjFunc *fn = cx->fn;
    Uses u = {PJ_NEW_N(cx->arena, int, fn->vars.len + 1),
              PJ_NEW_N(cx->arena, int, fn->vars.len + 1)};
    if (u.reads == NULL || u.writes == NULL) {
        return -1;
    }
    each_body_instr(fn, L, count_uses, &u);
    if (L->item != NULL && L->item->dst != NULL) {
        u.writes[L->item->dst->id]++;
    }
    RETURN_IF_ERROR(find_invariant_conds(cx, L, &u));
    for (int i = 0; i < fn->vars.len; i++) {
        RETURN_IF_ERROR(set_role(cx, L, lv, &u, pj_ir_var_at(fn, i)));
    }
    for (int i = 0; i < fn->vars.len; i++) {
        Role r = L->role[i];
        L->env_field[i] = -1;
        if (r == ROLE_SHARED || r == ROLE_REDUCE || r == ROLE_LAST
            || L->copy_in[i]) {
            L->env_field[i] = L->nenv++;
        }
    }
    return 0;
}

/* --- an element one iteration writes and another reads ---

   Numba leaves races on array elements to the user; pyjit warns of the
   ones it can tell for certain from the indices: an iteration reads an
   element that another iteration writes.  An index that depends on the
   data (`perm[t, lo]` with t = tree[s], rows of a CSR matrix from
   indptr[a]) tells nothing, as each iteration may well own its part of
   the array, so it is no warning. */

/* The most positions of an index followed. */
#define MAX_DIMS 32

/* A position of an element's index: a constant, or a variable. */
typedef struct Dim {
    PjVar *var;                 /* NULL: the constant k */
    long long k;
} Dim;

/* An element access seen through the views it is made of (row = a[i - 1],
   then row[j] is a[i - 1, j]): the array the views are of, and its index
   in the first ndims dimensions (a view's access has fewer than the
   array: it covers all of the rest). */
typedef struct Subscript {
    PjVar *base;
    Dim dims[MAX_DIMS];
    int ndims;
} Subscript;

static bool
is_array(PjVar *v)
{
    return v->type != NULL && pj_type_is_array(v->type);
}

static PjVar *
through_copies(PjVar *v)
{
    while (v->ndefs == 1 && v->def->op == PJ_OP_COPY) {
        v = v->def->src[0];
    }
    return v;
}

/* v as a position of an index: its constant when it always holds one. */
static Dim
dim_of(PjVar *v)
{
    long long n;
    if (constant_int(v, &n)) {
        return (Dim){NULL, n};
    }
    return (Dim){through_copies(v), 0};
}

/* Puts dims[0..n) before s's positions; false, s unchanged, when there
   would be too many. */
static bool
prepend(Subscript *s, const Dim *dims, int n)
{
    if (s->ndims + n > MAX_DIMS) {
        return false;
    }
    memmove(s->dims + n, s->dims, sizeof(Dim) * (size_t)s->ndims);
    memcpy(s->dims, dims, sizeof(Dim) * (size_t)n);
    s->ndims += n;
    return true;
}

/* Puts the positions items[0..n) give before s's; false, s unchanged,
   when one is not an integer (a slice). */
static bool
prepend_vars(Subscript *s, PjVar **items, int n)
{
    Dim dims[MAX_DIMS];
    for (int i = 0; i < n; i++) {
        if (i == MAX_DIMS || items[i]->type == NULL
            || !pj_type_is_integer(items[i]->type)) {
            return false;
        }
        dims[i] = dim_of(items[i]);
    }
    return prepend(s, dims, n);
}

/* Puts before s's positions those of the index of ins, a GETITEM,
   STATIC_GETITEM or SETITEM of an array; false, s unchanged, when that
   index is not made of integers. */
static bool
prepend_index(Subscript *s, PjInstr *ins)
{
    if (ins->op == PJ_OP_STATIC_GETITEM) {
        Dim k = {NULL, ins->sub};
        return ins->obj == NULL && prepend(s, &k, 1);  /* not a slice */
    }
    PjVar *index = ins->src[1];
    PjInstr *d = index->ndefs == 1 ? index->def : NULL;
    return d != NULL && d->op == PJ_OP_BUILD_TUPLE && !pj_ir_spreads(d)
           ? prepend_vars(s, d->src, d->nsrc) : prepend_vars(s, &index, 1);
}

static bool
indexes_array(PjInstr *ins)
{
    return (ins->op == PJ_OP_GETITEM || ins->op == PJ_OP_STATIC_GETITEM
            || ins->op == PJ_OP_SETITEM) && is_array(ins->src[0]);
}

/* The element access ins makes, followed back through views of
   integer indices; false when its own index is not one of integers. */
static bool
subscript_of(PjInstr *ins, Subscript *s)
{
    s->ndims = 0;
    if (!indexes_array(ins) || !prepend_index(s, ins)) {
        return false;
    }
    PjVar *a = through_copies(ins->src[0]);
    for (PjInstr *d = a->ndefs == 1 ? a->def : NULL;
         d != NULL && d->op != PJ_OP_SETITEM && indexes_array(d)
         && prepend_index(s, d);
         d = a->ndefs == 1 ? a->def : NULL) {
        a = through_copies(d->src[0]);
    }
    s->base = a;
    return true;
}

/* Whether v is the loop's index: the iteration's item or its name. */
static bool
is_loop_index(ParLoop *L, PjVar *v)
{
    PjVar *item = L->item->dst;
    PjInstr *d = v->ndefs == 1 ? v->def : NULL;
    return v == item || (d != NULL && d->op == PJ_OP_COPY
                         && d->src[0] == item);
}

/* Whether v is the loop's index plus a constant (i, i + 1, i - 2, 1 + i),
   the constant into *c. */
static bool
index_offset(ParLoop *L, PjVar *v, long long *c, int depth)
{
    v = through_copies(v);
    if (is_loop_index(L, v)) {
        *c = 0;
        return true;
    }
    PjInstr *d = v->ndefs == 1 ? v->def : NULL;
    if (d == NULL || depth > 8 || d->op != PJ_OP_BINOP || d->nsrc != 2
        || (d->sub != PJ_BIN_ADD && d->sub != PJ_BIN_SUB)) {
        return false;
    }
    Dim a = dim_of(d->src[0]), b = dim_of(d->src[1]);
    if (b.var == NULL && index_offset(L, d->src[0], c, depth + 1)) {
        *c += d->sub == PJ_BIN_ADD ? b.k : -b.k;
        return true;
    }
    if (a.var == NULL && d->sub == PJ_BIN_ADD
        && index_offset(L, d->src[1], c, depth + 1)) {
        *c += a.k;
        return true;
    }
    return false;
}

static bool
same_dim(Dim a, Dim b)
{
    return a.var == b.var && (a.var != NULL || a.k == b.k);
}

/* Whether a position holds one value in every iteration: a constant, or
   a variable the loop does not assign. */
static bool
invariant_dim(ParLoop *L, Dim d)
{
    return d.var == NULL || L->role[d.var->id] == ROLE_SHARED;
}

/* The step of the loop's prange: 1, its third argument when a constant,
   or 0 when not known. */
static long long
loop_step(ParLoop *L)
{
    PjInstr *call = L->getiter->src[0]->def;
    if (call->nsrc < 4) {
        return 1;
    }
    Dim step = dim_of(call->src[3]);
    return step.var == NULL ? step.k : 0;
}

/* Whether the element an iteration reads at r is one another iteration
   writes at w (of one array): the positions holding the loop's index
   plus a constant are apart by one distance, a multiple of the loop's
   step but not 0 (so another iteration's index), and the others hold
   the same value in both (a[i] and a[i - 1], a[i, j] and a[i + 1, j]);
   or, with no position of the loop's index, every position holds one
   value in all iterations (a[0] read and written by each).  Positions
   past the shorter index are a view's, which holds them all. */
static bool
carried_dependence(ParLoop *L, const Subscript *w, const Subscript *r)
{
    if (w->base != r->base) {
        return false;
    }
    int n = w->ndims < r->ndims ? w->ndims : r->ndims;
    bool moving = false, invariant = true;
    long long dist = 0;
    for (int k = 0; k < n; k++) {
        Dim a = w->dims[k], b = r->dims[k];
        long long cw, cr;
        bool aw = a.var != NULL && index_offset(L, a.var, &cw, 0);
        bool ar = b.var != NULL && index_offset(L, b.var, &cr, 0);
        if (aw != ar || (!aw && !same_dim(a, b))
            || (aw && moving && cw - cr != dist)) {
            return false;
        }
        invariant = invariant && (aw || invariant_dim(L, a));
        moving = moving || aw;
        dist = aw ? cw - cr : dist;
    }
    long long step = loop_step(L);
    return moving ? dist != 0 && step != 0 && dist % step == 0 : invariant;
}

typedef struct Access {
    Subscript at;               /* the write's */
    PjLoc loc;                  /* the read's */
    bool found;
} Access;

static void
find_carried_read(ParLoop *L, PjInstr *ins, void *arg)
{
    Access *w = arg;
    Subscript r;
    if (!w->found && ins->op != PJ_OP_SETITEM && subscript_of(ins, &r)
        && carried_dependence(L, &w->at, &r)) {
        w->found = true;
        w->loc = ins->loc;
    }
}

typedef struct DepScan {
    PjCompile *cx;
    PjFunc *fn;
    int rc;                     /* -1: a warning became an error */
} DepScan;

/* Whether the array a is made afresh in each iteration: a variable of
   the body's own, assigned once, by a call of arguments that hold no
   memory (np.empty(n, np.int64)), so that no other iteration sees its
   elements (pymatting's scratch stack). */
static bool
made_in_each_iteration(ParLoop *L, PjVar *a)
{
    if (L->role[a->id] != ROLE_PRIVATE) {
        return false;
    }
    PjInstr *d = a->ndefs == 1 ? a->def : NULL;
    while (d != NULL && d->op == PJ_OP_COPY) {      /* stack = $t */
        d = d->src[0]->ndefs == 1 ? d->src[0]->def : NULL;
    }
    if (d == NULL || d->op != PJ_OP_CALL) {
        return false;
    }
    for (int i = 0; i < d->nsrc; i++) {
        PjType *t = d->src[i]->type;
        if (t == NULL || pj_type_holds_memory(t)) {
            return false;
        }
    }
    return true;
}

static void
check_write(ParLoop *L, PjInstr *ins, void *arg)
{
    DepScan *d = arg;
    Access w = {.found = false};
    if (ins->op != PJ_OP_SETITEM || !subscript_of(ins, &w.at)
        || made_in_each_iteration(L, w.at.base)) {
        return;
    }
    each_body_instr(d->fn, L, find_carried_read, &w);
    if (w.found && d->rc == 0) {
        d->rc = pj_diag_warn(d->cx, SAFETY, w.loc,
                        "the prange loop writes %s[...] and reads an "
                        "element of it another iteration writes: "
                        "iterations run in any order and at once, so the "
                        "read may or may not see that write",
                        pj_ir_source_name(w.at.base));
    }
}

/* --- planning --- */

static int
plan_loop(PjCompile *cx, PjParallel *par, PjLiveness *lv, PjInstr *getiter)
{
    ParLoop *L = new_loop(cx, getiter);
    if (L == NULL) {
        return -1;
    }
    if (L->item == NULL || L->item->op != PJ_OP_PAIR_FIRST
        || !find_body(cx, L)) {
        return pj_diag_warn(cx, SAFETY, getiter->loc,
                       "the prange loop runs serially: it can be left "
                       "other than by running out (break, return)");
    }
    RETURN_IF_ERROR(assign_roles(cx, L, lv));
    DepScan d = {cx, cx->fn, 0};
    each_body_instr(cx->fn, L, check_write, &d);
    RETURN_IF_ERROR(d.rc);
    for (int i = 0; i < cx->fn->blocks.len; i++) {
        par->in_loop[i] |= L->in_body[i];
    }
    par->in_loop[L->head->index] = true;
    return pj_vec_push(cx->arena, &par->loops, L);
}

/* A parallel region can fail (threads, memory for the partials) where
   the loop could not: a function with a prange loop raises. */
bool
pj_parallel_may_raise(PjCompile *cx)
{
    PjFunc *fn = cx->fn;
    for (int i = 0; cx->opts.parallel && i < fn->blocks.len; i++) {
        PjBlock *b = pj_ir_block(fn, i);
        for (PjInstr *ins = b->first; b->reachable && ins != NULL;
             ins = ins->next) {
            if (is_prange_loop(ins)) {
                return true;
            }
        }
    }
    return false;
}

/* Plans the outermost prange loops of a parallel=True function; the
   others stay ranges. */
int
pj_parallel_plan(PjCompile *cx)
{
    PjFunc *fn = cx->fn;
    cx->parallel = NULL;
    if (!cx->opts.parallel) {
        return 0;
    }
    PjParallel *par = PJ_NEW(cx->arena, PjParallel);
    PjLiveness lv;
    if (par == NULL || pj_ir_liveness(cx, &lv, false) < 0
        || (par->in_loop = PJ_NEW_N(cx->arena, bool, fn->blocks.len))
           == NULL) {
        return -1;
    }
    for (int i = 0; i < fn->blocks.len; i++) {
        PjBlock *b = pj_ir_block(fn, i);
        for (PjInstr *ins = b->first; b->reachable && !par->in_loop[i]
             && ins != NULL; ins = ins->next) {
            if (is_prange_loop(ins)) {
                RETURN_IF_ERROR(plan_loop(cx, par, &lv, ins));
            }
        }
    }
    cx->parallel = par->loops.len > 0 ? par : NULL;
    return 0;
}

/* Whether lower.c leaves block b to the chunk function of its loop. */
bool
pj_parallel_owns_block(PjCompile *cx, PjBlock *b)
{
    return cx->parallel != NULL && cx->parallel->in_loop[b->index];
}

static ParLoop *
loop_at(PjCompile *cx, PjInstr *ins)
{
    for (int i = 0; cx->parallel != NULL && i < cx->parallel->loops.len;
         i++) {
        ParLoop *L = cx->parallel->loops.items[i];
        if (L->getiter == ins) {
            return L;
        }
    }
    return NULL;
}

bool
pj_parallel_starts_loop(PjCompile *cx, PjInstr *ins)
{
    return ins->op == PJ_OP_GETITER && loop_at(cx, ins) != NULL;
}

/* --- the environment the caller hands the chunks --- */

enum { ENV_PARTIALS, ENV_START, ENV_STEP, ENV_N, ENV_SLOTS };

static LLVMTypeRef
env_type(PjLower *lw, ParLoop *L)
{
    LLVMTypeRef f[ENV_SLOTS + PJ_MAX_ARGS];
    int n = 0;
    f[n++] = lw->t_ptr;
    f[n++] = lw->t_i64;
    f[n++] = lw->t_i64;
    f[n++] = lw->t_i64;
    for (int i = 0; i < L->nenv; i++) {
        f[n++] = lw->t_ptr;
    }
    return LLVMStructTypeInContext(lw->ctx, f, (unsigned)n, 0);
}

/* The struct of one chunk's reduction partials. */
static LLVMTypeRef
partials_type(PjLower *lw, ParLoop *L)
{
    PjType *tys[PJ_MAX_ARGS];
    for (int i = 0; i < L->nreds; i++) {
        tys[i] = L->reds[i]->type;
    }
    return pj_lower_struct_of(lw, tys, L->nreds);
}

static LLVMValueRef
env_field_ptr(PjLower *lw, LLVMTypeRef ety, LLVMValueRef env, int field)
{
    return LLVMBuildStructGEP2(lw->b, ety, env, (unsigned)field, "");
}

static LLVMValueRef
env_load(PjLower *lw, LLVMTypeRef ety, LLVMValueRef env, int field,
         LLVMTypeRef t)
{
    return LLVMBuildLoad2(lw->b, t, env_field_ptr(lw, ety, env, field), "");
}

/* --- reductions --- */

static bool
is_float(PjType *t)
{
    return t->kind == PJ_TK_FLOAT;
}

static LLVMValueRef
combine_sum(PjLower *lw, PjType *t, LLVMValueRef a, LLVMValueRef b)
{
    if (t->kind == PJ_TK_COMPLEX) {
        LLVMValueRef r = a;
        for (unsigned k = 0; k < 2; k++) {
            LLVMValueRef s = LLVMBuildFAdd(lw->b, pj_part(lw, a, k),
                                           pj_part(lw, b, k), "");
            r = LLVMBuildInsertValue(lw->b, r, s, k, "");
        }
        return r;
    }
    return is_float(t) ? LLVMBuildFAdd(lw->b, a, b, "")
                       : LLVMBuildAdd(lw->b, a, b, "");
}

/* min(a, b) or max(a, b) as Python computes them: a unless b is less
   (greater), so that of equal partials (0.0 and -0.0) the earlier chunk's
   stays, as the serial loop keeps its first. */
static LLVMValueRef
combine_minmax(PjLower *lw, PjType *t, LLVMValueRef a, LLVMValueRef b,
               bool is_min)
{
    LLVMValueRef beyond;
    if (is_float(t)) {
        beyond = LLVMBuildFCmp(lw->b, is_min ? LLVMRealOLT : LLVMRealOGT,
                               b, a, "");
    }
    else {
        bool sign = t->kind == PJ_TK_INT;
        LLVMIntPredicate p = is_min ? (sign ? LLVMIntSLT : LLVMIntULT)
                                    : (sign ? LLVMIntSGT : LLVMIntUGT);
        beyond = LLVMBuildICmp(lw->b, p, b, a, "");
    }
    return LLVMBuildSelect(lw->b, beyond, b, a, "");
}

/* a op b for reduction v; a is the running value, b a chunk's partial. */
static LLVMValueRef
combine(PjLower *lw, ParLoop *L, PjVar *v, LLVMValueRef a, LLVMValueRef b)
{
    PjType *t = v->type;
    switch ((Combine)L->combine[v->id]) {
    case RED_SUM: return combine_sum(lw, t, a, b);
    case RED_PROD:
        return is_float(t) ? LLVMBuildFMul(lw->b, a, b, "")
                           : LLVMBuildMul(lw->b, a, b, "");
    case RED_OR: return LLVMBuildOr(lw->b, a, b, "");
    case RED_AND: return LLVMBuildAnd(lw->b, a, b, "");
    case RED_MIN: return combine_minmax(lw, t, a, b, true);
    case RED_MAX: return combine_minmax(lw, t, a, b, false);
    default: return a;
    }
}

typedef struct Ones {
    LLVMTypeRef ety;
    LLVMValueRef data, one;
} Ones;

static void
store_one(PjLower *lw, LLVMValueRef k, void *arg)
{
    Ones *o = arg;
    LLVMBuildStore(lw->b, o->one,
                   LLVMBuildGEP2(lw->b, o->ety, o->data, &k, 1, ""));
}

/* A new array of ones of acc's type and shape: a product's identity. */
static LLVMValueRef
array_of_ones(PjLower *lw, PjType *t, LLVMValueRef *shape)
{
    LLVMValueRef a = pj_array_new(lw, t, shape, false);
    PjType *dt = t->elems[0];
    Ones o = {pj_lower_type(lw, dt),
              LLVMBuildExtractValue(lw->b, a, PJ_ARRAY_DATA, ""), NULL};
    o.one = is_float(dt) ? LLVMConstReal(o.ety, 1.0)
                         : LLVMConstInt(o.ety, 1, 0);
    pj_array_for_each(lw, pj_array_size(lw, t, a), store_one, &o);
    return a;
}

/* The value a chunk's partial of v starts from: the identity of a sum or
   product, the variable's value before the loop for the others. */
static LLVMValueRef
reduction_start(PjLower *lw, ParLoop *L, PjVar *v, LLVMValueRef outer)
{
    LLVMTypeRef lt = pj_lower_type(lw, v->type);
    LLVMValueRef shape[PJ_MAX_ARGS];
    switch ((Combine)L->combine[v->id]) {
    case RED_ARRAY_SUM:         /* zeros of acc's shape, a new reference */
    case RED_ARRAY_PROD:        /* ones */
        pj_array_shape_values(lw, v->type, LLVMBuildLoad2(lw->b, lt, outer,
                                                          ""), shape);
        return L->combine[v->id] == RED_ARRAY_SUM
               ? pj_array_new(lw, v->type, shape, true)
               : array_of_ones(lw, v->type, shape);
    case RED_SUM: return LLVMConstNull(lt);
    case RED_PROD:
        return is_float(v->type) ? LLVMConstReal(lt, 1.0)
                                 : LLVMConstInt(lt, 1, 0);
    default: return LLVMBuildLoad2(lw->b, lt, outer, "");
    }
}

/* --- the chunk function --- */

static LLVMBasicBlockRef
append_block(PjLower *lw, const char *name)
{
    return LLVMAppendBasicBlockInContext(lw->ctx, lw->func, name);
}

typedef struct Chunk {
    PjLower *lw;                /* the chunk function's */
    ParLoop *L;
    LLVMTypeRef ety;
    LLVMValueRef env, k, lo, hi;
} Chunk;

/* A slot for each variable the loop touches, zeroed, then the values the
   chunk starts from. */
static void
chunk_slots(Chunk *c)
{
    PjLower *lw = c->lw;
    ParLoop *L = c->L;
    for (int i = 0; i < lw->fn->vars.len; i++) {
        PjVar *v = pj_ir_var_at(lw->fn, i);
        LLVMTypeRef lt = v->type ? pj_lower_type(lw, v->type) : NULL;
        if (L->role[i] == ROLE_NONE || lt == NULL) {
            continue;
        }
        lw->slots[i] = pj_lower_alloca(lw, lt, v->name);
        LLVMBuildStore(lw->b, LLVMConstNull(lt), lw->slots[i]);
        lw->counts_memory |= pj_type_holds_memory(v->type);
    }
    for (int i = 0; i < lw->fn->vars.len; i++) {
        PjVar *v = pj_ir_var_at(lw->fn, i);
        if (lw->slots[i] == NULL || L->env_field[i] < 0) {
            continue;
        }
        LLVMValueRef outer = env_load(lw, c->ety, c->env,
                                      ENV_SLOTS + L->env_field[i], lw->t_ptr);
        if (L->role[i] == ROLE_SHARED || L->copy_in[i]) {
            LLVMValueRef val = LLVMBuildLoad2(
                lw->b, pj_lower_type(lw, v->type), outer, "");
            pj_lower_store_var(lw, v, val, v->type);
        }
        else if (L->role[i] == ROLE_REDUCE) {
            LLVMBuildStore(lw->b, reduction_start(lw, L, v, outer),
                           lw->slots[i]);   /* owned: the slot was empty */
        }
    }
}

/* The chunk's partials into slot k of the caller's array. */
static void
store_partials(Chunk *c)
{
    PjLower *lw = c->lw;
    ParLoop *L = c->L;
    if (L->nreds == 0) {
        return;
    }
    LLVMTypeRef pty = partials_type(lw, L);
    LLVMValueRef base = env_load(lw, c->ety, c->env, ENV_PARTIALS, lw->t_ptr);
    LLVMValueRef mine = LLVMBuildGEP2(lw->b, pty, base, &c->k, 1, "");
    for (int j = 0; j < L->nreds; j++) {
        LLVMValueRef v = pj_lower_load_var(lw, L->reds[j]);
        pj_lower_incref_value(lw, v, L->reds[j]->type);   /* the caller's */
        LLVMBuildStore(lw->b, v, LLVMBuildStructGEP2(lw->b, pty, mine,
                                                     (unsigned)j, ""));
    }
}

/* The chunk holding the last iteration gives the `last` variables their
   values after the loop (a new reference for the caller's slot, whose
   old value is released). */
static void
store_last(Chunk *c)
{
    PjLower *lw = c->lw;
    ParLoop *L = c->L;
    LLVMValueRef n = env_load(lw, c->ety, c->env, ENV_N, lw->t_i64);
    LLVMValueRef last = LLVMBuildAnd(
        lw->b, LLVMBuildICmp(lw->b, LLVMIntEQ, c->hi, n, ""),
        LLVMBuildICmp(lw->b, LLVMIntSLT, c->lo, c->hi, ""), "");
    LLVMBasicBlockRef yes = append_block(lw, "last");
    LLVMBasicBlockRef done = append_block(lw, "last.done");
    LLVMBuildCondBr(lw->b, last, yes, done);
    LLVMPositionBuilderAtEnd(lw->b, yes);
    for (int i = 0; i < lw->fn->vars.len; i++) {
        PjVar *v = pj_ir_var_at(lw->fn, i);
        if (L->role[i] != ROLE_LAST || lw->slots[i] == NULL) {
            continue;
        }
        LLVMTypeRef lt = pj_lower_type(lw, v->type);
        LLVMValueRef outer = env_load(lw, c->ety, c->env,
                                      ENV_SLOTS + L->env_field[i], lw->t_ptr);
        LLVMValueRef val = pj_lower_load_var(lw, v);
        pj_lower_incref_value(lw, val, v->type);
        LLVMValueRef old = LLVMBuildLoad2(lw->b, lt, outer, "");
        LLVMBuildStore(lw->b, val, outer);
        pj_lower_decref_value(lw, old, v->type);
    }
    LLVMBuildBr(lw->b, done);
    LLVMPositionBuilderAtEnd(lw->b, done);
}

/* The index of iteration kv, start + kv * step, into the loop's item. */
static void
store_index(Chunk *c, LLVMValueRef kv)
{
    PjLower *lw = c->lw;
    LLVMValueRef start = env_load(lw, c->ety, c->env, ENV_START, lw->t_i64);
    LLVMValueRef step = env_load(lw, c->ety, c->env, ENV_STEP, lw->t_i64);
    LLVMValueRef i = LLVMBuildAdd(lw->b, start,
                                  LLVMBuildMul(lw->b, kv, step, ""), "");
    PjInstr *item = c->L->item;
    pj_lower_store_var(lw, item->dst, i, item->resty);
}

/* The body's blocks, lowered from the body's (after its pair_first, which
   store_index replaces); a jump to the head goes to `next`. */
static int
chunk_body(Chunk *c, LLVMBasicBlockRef next)
{
    PjLower *lw = c->lw;
    ParLoop *L = c->L;
    PjFunc *fn = lw->fn;
    lw->bbs[L->head->index] = next;
    for (int i = 0; i < fn->blocks.len; i++) {
        if (L->in_body[i] && pj_ir_block(fn, i)->reachable) {
            lw->bbs[i] = append_block(lw, "body");
        }
    }
    for (int i = 0; i < fn->blocks.len; i++) {
        PjBlock *b = pj_ir_block(fn, i);
        if (L->in_body[i] && b->reachable) {
            LLVMPositionBuilderAtEnd(lw->b, lw->bbs[i]);
            lw->block = b;
            PjInstr *from = b == L->body ? L->item->next : b->first;
            RETURN_IF_ERROR(pj_lower_instrs(lw, from));
        }
    }
    return 0;
}

/* The counted loop over iterations [lo, hi) around the body; leaves the
   builder after it. */
static int
chunk_loop(Chunk *c)
{
    PjLower *lw = c->lw;
    LLVMValueRef kslot = pj_lower_alloca(lw, lw->t_i64, "k");
    LLVMBuildStore(lw->b, c->lo, kslot);
    LLVMBasicBlockRef cond = append_block(lw, "chunk.cond");
    LLVMBasicBlockRef iter = append_block(lw, "chunk.iter");
    LLVMBasicBlockRef next = append_block(lw, "chunk.next");
    LLVMBasicBlockRef done = append_block(lw, "chunk.done");
    LLVMBuildBr(lw->b, cond);
    LLVMPositionBuilderAtEnd(lw->b, cond);
    LLVMValueRef kv = LLVMBuildLoad2(lw->b, lw->t_i64, kslot, "");
    LLVMBuildCondBr(lw->b, LLVMBuildICmp(lw->b, LLVMIntSLT, kv, c->hi, ""),
                    iter, done);
    LLVMPositionBuilderAtEnd(lw->b, iter);
    store_index(c, kv);
    LLVMPositionBuilderAtEnd(lw->b, next);
    LLVMBuildStore(lw->b, LLVMBuildAdd(lw->b, kv, pj_i64(lw, 1), ""), kslot);
    LLVMBuildBr(lw->b, cond);
    RETURN_IF_ERROR(chunk_body(c, next));
    LLVMPositionBuilderAtEnd(lw->b, iter);
    LLVMBuildBr(lw->b, lw->bbs[c->L->body->index]);
    LLVMPositionBuilderAtEnd(lw->b, done);
    return 0;
}

static LLVMTypeRef
chunk_fn_type(PjLower *lw)
{
    LLVMTypeRef p[4] = {lw->t_ptr, lw->t_i64, lw->t_i64, lw->t_i64};
    return LLVMFunctionType(lw->t_i32, p, 4, 0);
}

/* Builds the chunk function of loop L; NULL on error. */
static LLVMValueRef
build_chunk(PjLower *outer, ParLoop *L, LLVMTypeRef ety)
{
    PjLower sub = *outer;
    PjFunc *fn = outer->fn;
    char name[256];
    snprintf(name, sizeof(name), "%s.prange%d", outer->cx->native_name,
             L->getiter->loc.line);
    sub.func = LLVMAddFunction(outer->mod, name, chunk_fn_type(outer));
    LLVMSetLinkage(sub.func, LLVMInternalLinkage);
    sub.b = LLVMCreateBuilderInContext(outer->ctx);
    sub.retptr = NULL;
    sub.error_bb = NULL;
    sub.handler = NULL;
    sub.gen = NULL;
    sub.counts_memory = false;
    sub.slots = PJ_NEW_N(outer->cx->arena, LLVMValueRef, fn->vars.len + 1);
    if (sub.slots == NULL || pj_lower_block_tables(&sub) < 0) {
        LLVMDisposeBuilder(sub.b);
        return NULL;
    }
    LLVMPositionBuilderAtEnd(sub.b, LLVMAppendBasicBlockInContext(
        sub.ctx, sub.func, "entry"));
    Chunk c = {&sub, L, ety, LLVMGetParam(sub.func, 0),
               LLVMGetParam(sub.func, 1), LLVMGetParam(sub.func, 2),
               LLVMGetParam(sub.func, 3)};
    chunk_slots(&c);
    int rc = chunk_loop(&c);
    if (rc == 0) {
        store_partials(&c);
        store_last(&c);
        pj_lower_release_variables(&sub);
        LLVMBuildRet(sub.b, LLVMConstInt(sub.t_i32, 0, 0));
    }
    LLVMDisposeBuilder(sub.b);
    return rc == 0 ? sub.func : NULL;
}

/* --- the caller's side --- */

/* Fills the environment: the range, the partials, the slots' addresses. */
static LLVMValueRef
fill_env(PjLower *lw, ParLoop *L, LLVMTypeRef ety, LLVMValueRef range,
         LLVMValueRef n, LLVMValueRef partials)
{
    LLVMValueRef env = pj_lower_alloca(lw, ety, "prange.env");
    LLVMValueRef vals[4] = {partials, pj_part(lw, range, 0),
                            pj_part(lw, range, 2), n};
    for (int f = 0; f < ENV_SLOTS; f++) {
        LLVMBuildStore(lw->b, vals[f], env_field_ptr(lw, ety, env, f));
    }
    for (int i = 0; i < lw->fn->vars.len; i++) {
        if (L->env_field[i] >= 0) {
            LLVMValueRef slot = lw->slots[i] ? lw->slots[i]
                                             : LLVMConstNull(lw->t_ptr);
            LLVMBuildStore(lw->b, slot, env_field_ptr(
                lw, ety, env, ENV_SLOTS + L->env_field[i]));
        }
    }
    return env;
}

/* acc += partial with the loop's own `acc += e`; the partial's reference
   is then let go. */
static void
add_array_partial(PjLower *lw, ParLoop *L, PjVar *v, LLVMValueRef p)
{
    PjInstr *ins = L->step[v->id];
    LLVMValueRef args[2] = {
        pj_lower_convert(lw, pj_lower_load_var(lw, v), v->type,
                         ins->argtys[0]),
        pj_lower_convert(lw, p, v->type, ins->argtys[1]),
    };
    LLVMValueRef r = ins->impl->lower(lw, ins, args);
    if (ins->impl->owned) {
        pj_lower_decref_value(lw, r, ins->resty);
    }
    pj_lower_decref_value(lw, p, v->type);
}

typedef struct Partials {
    ParLoop *L;
    LLVMValueRef base;
    bool release;               /* only let go of them: the region failed */
} Partials;

/* Chunk k's partials into the reduction variables (or released). */
static void
fold_chunk(PjLower *lw, LLVMValueRef k, void *arg)
{
    Partials *ps = arg;
    ParLoop *L = ps->L;
    LLVMTypeRef pty = partials_type(lw, L);
    LLVMValueRef part = LLVMBuildGEP2(lw->b, pty, ps->base, &k, 1, "");
    for (int j = 0; j < L->nreds; j++) {
        PjVar *v = L->reds[j];
        LLVMValueRef p = LLVMBuildLoad2(
            lw->b, pj_lower_type(lw, v->type),
            LLVMBuildStructGEP2(lw->b, pty, part, (unsigned)j, ""), "");
        if (ps->release) {
            pj_lower_decref_value(lw, p, v->type);
        }
        else if (L->combine[v->id] == RED_ARRAY_SUM
                 || L->combine[v->id] == RED_ARRAY_PROD) {
            add_array_partial(lw, L, v, p);
        }
        else {
            LLVMValueRef acc = pj_lower_load_var(lw, v);
            pj_lower_store_var(lw, v, combine(lw, L, v, acc, p), v->type);
        }
    }
}

/* Folds the chunks' partials into the reduction variables in chunk order
   (or releases them), then frees them. */
static void
finish_partials(PjLower *lw, ParLoop *L, LLVMValueRef partials,
                LLVMValueRef nchunks, bool release)
{
    Partials ps = {L, partials, release};
    pj_array_for_each(lw, nchunks, fold_chunk, &ps);
    pj_lower_helper(lw, "pj_parallel_free", lw->t_void, &lw->t_ptr,
                    &partials, 1);
}

static LLVMValueRef
call_rt(PjLower *lw, const char *name, LLVMTypeRef ret, LLVMValueRef *args,
        int n)
{
    LLVMTypeRef p[4];
    for (int i = 0; i < n; i++) {
        p[i] = LLVMTypeOf(args[i]);
    }
    return pj_lower_helper(lw, name, ret, p, args, n);
}

/* Returns the error status when `bad`, after releasing the partials the
   chunks that finished left (the rest are zero). */
static void
fail_if(PjLower *lw, LLVMValueRef bad, ParLoop *L, LLVMValueRef partials,
        LLVMValueRef nchunks)
{
    LLVMBasicBlockRef ok = pj_lower_fail_begin(lw, bad);
    if (partials != NULL) {
        finish_partials(lw, L, partials, nchunks, true);
    }
    pj_lower_fail_end(lw, ok);
}

/* The caller's code for the prange loop that getiter starts: runs its
   chunks, combines their reductions and goes on after the loop. */
int
pj_parallel_lower(PjLower *lw, PjInstr *getiter)
{
    ParLoop *L = loop_at(lw->cx, getiter);
    PjVar *rv = getiter->src[0];
    LLVMValueRef range = pj_lower_load_var(lw, rv);
    LLVMValueRef n = pj_lower_range_len(lw, range, rv->type);
    LLVMValueRef nchunks = call_rt(lw, "pj_parallel_chunks", lw->t_i64, &n, 1);
    LLVMValueRef partials = LLVMConstNull(lw->t_ptr);
    if (L->nreds > 0) {
        LLVMValueRef a[2] = {nchunks, LLVMSizeOf(partials_type(lw, L))};
        partials = call_rt(lw, "pj_parallel_scratch", lw->t_ptr, a, 2);
        fail_if(lw, LLVMBuildIsNull(lw->b, partials, ""), L, NULL, NULL);
    }
    LLVMTypeRef ety = env_type(lw, L);
    LLVMValueRef env = fill_env(lw, L, ety, range, n, partials);
    LLVMValueRef chunk = build_chunk(lw, L, ety);
    if (chunk == NULL) {
        return -1;
    }
    LLVMValueRef a[4] = {chunk, env, n, nchunks};
    LLVMValueRef rc = call_rt(lw, "pj_parallel_run", lw->t_i32, a, 4);
    fail_if(lw, LLVMBuildICmp(lw->b, LLVMIntNE, rc, pj_i32(lw, 0), ""), L,
            L->nreds > 0 ? partials : NULL, nchunks);
    if (L->nreds > 0) {
        finish_partials(lw, L, partials, nchunks, false);
    }
    LLVMBuildBr(lw->b, lw->bbs[L->after->index]);
    return 0;
}

/* One line per prange loop that runs on threads, for
   parallel_diagnostics; how many there are. */
int
pj_parallel_report(PjCompile *cx, PjBuf *b)
{
    int n = cx->parallel != NULL ? cx->parallel->loops.len : 0;
    for (int i = 0; i < n; i++) {
        ParLoop *L = cx->parallel->loops.items[i];
        pj_buf_printf(b, "  line %d: prange loop", L->getiter->loc.line);
        for (int j = 0; j < L->nreds; j++) {
            pj_buf_printf(b, "%s%s", j ? ", " : ", reducing ",
                          L->reds[j]->name);
        }
        pj_buf_puts(b, "\n");
    }
    return n;
}

/* --- get_thread_id(), get_num_threads(), get_parallel_chunksize() and
   set_parallel_chunksize() in compiled code --- */

/* A call of the runtime function the row names (plan: the row). */
static LLVMValueRef
lower_thread_query(PjLower *lw, PjInstr *ins, LLVMValueRef *Py_UNUSED(args))
{
    return pj_lower_call_c(lw, ins->plan.fn->impl, lw->t_i64, NULL, NULL, 0,
                           false);
}

static const PjImpl impl_thread_query = {"thread query", lower_thread_query,
                                         false, false};

int
pj_type_thread_query(PjCompile *cx, PjInstr *ins, const PjCallable *fn,
                     PjType **Py_UNUSED(args), int Py_UNUSED(n))
{
    PjPlan plan = {.fn = fn};
    return pj_choose_plan(cx, ins, &impl_thread_query, pj_t.i64, NULL, 0,
                          plan);
}

/* set_parallel_chunksize(n): a negative n is Numba's ValueError. */
static LLVMValueRef
lower_set_chunksize(PjLower *lw, PjInstr *Py_UNUSED(ins), LLVMValueRef *args)
{
    LLVMValueRef neg = LLVMBuildICmp(lw->b, LLVMIntSLT, args[0],
                                     pj_i64(lw, 0), "");
    pj_lower_check(lw, neg, "ValueError", "chunksize must be at least 0");
    return pj_lower_call_c(lw, "pj_parallel_swap_chunksize", lw->t_i64,
                           &lw->t_i64, args, 1, false);
}

static const PjImpl impl_set_chunksize = {"set_parallel_chunksize",
                                          lower_set_chunksize, true, false};

int
pj_type_set_chunksize(PjCompile *cx, PjInstr *ins,
                      const PjCallable *Py_UNUSED(fn), PjType **args, int n)
{
    if (n != 1 || !pj_type_is_integer(args[0])) {
        cx->why = "set_parallel_chunksize takes an integer";
        return 1;
    }
    PjType *i64 = pj_t.i64;
    cx->can_raise = true;
    return pj_choose(cx, ins, &impl_set_chunksize, pj_t.i64, &i64, 1);
}
