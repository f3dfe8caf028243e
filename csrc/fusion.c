/*
** fusion.c - array expressions computed in one loop.
**
** After inference, pj_fusion_plan looks in each block for element-wise
** operations on arrays (a + b, np.sqrt(a), a < b: array_ops.c's) whose
** result is used once, by another such operation in the same block, and
** groups them into one expression, as Numba's array-expression rewrite
** does: `np.sqrt(x*x + y*y)` is one instruction, an ARRAYEXPR over x and y,
** computed in one pass with no arrays in between.  A sum, prod, min, max
** or mean of the library (pyjit/_numpy.py's, as np.sum(e) or e.sum()) of
** an expression used only there folds into the same loop: nothing is
** allocated at all.  So does one of an F or strided array itself, which
** the walk of array_walk.c reads faster than the library's loop can.
**
** Fusing changes when the operations happen, not what they compute.  Each
** operation converts its operands and its result exactly as alone, so
** dtypes, integer wraparound, NaN and division by zero are the same; the
** shapes are checked before the loop, operation by operation in the
** order they were written, with the messages each gives alone.  A group
** only grows while nothing in between could change what it reads: an
** instruction that may write memory (a call, a[i] = v, a += b) ends every
** group under way, and assigning a variable a group reads ends that
** group.  The library's reductions (a.mean(), np.std(a), a.max()) and
** indexing an array (t[i], t[idx]) only read, so `(a - a.mean()) /
** a.std()` and `(x - t[i - 1]) / (t[i] - t[i - 1])` are one loop each.
** Before one of them that may raise, the groups that may raise too (two
** arrays that must broadcast) have their shapes checked (a SHAPECHECK
** there), so that the first error stays the one written first.  The
** result is F when the arrays read are all F, as each operation alone
** makes it, and the loop then walks the elements in F order, through the
** memory of each; arrays of other strides are walked by rows
** (array_walk.c).  The
** reductions follow the library's loops: they add (or multiply) one
** element after another in the accumulator type NumPy uses, and a NaN
** wins a maximum or minimum.  They visit the elements in C order, or in F
** order when the arrays read are all F: the order of their memory, as
** NumPy's sum visits it; only the rounding of a float sum or product can
** tell the orders apart.
**
** In a parallel=True function the loop runs on the threads of
** parallel_rt.c, cut into the chunks pj_parallel_element_chunks gives (one,
** on the calling thread, for a small array): each chunk
** computes its slice of the result, or a partial reduction the caller
** combines in chunk order (float sums may then differ from the serial ones
** in the last bits, as Numba's do).  pj_fusion_diagnostics describes what was
** fused for dispatcher.parallel_diagnostics().
*/
#include "pyjit.h"

#include <string.h>

#define MAX_NODES 32            /* operations in one expression */
#define MAX_LEAVES 32           /* arrays and numbers it reads */

typedef enum Reduce {
    RED_NONE, RED_SUM, RED_PROD, RED_MIN, RED_MAX, RED_MEAN,
} Reduce;

static const char *const reduce_names[] = {
    NULL, "sum", "prod", "min", "max", "mean",
};

/* One element-wise operation; operand k is node kid[k]'s result or the
   leaf leaf[k]. */
typedef struct Node {
    PjInstr ins;                /* a copy: the original becomes the root */
    int nops;
    int kid[2];
    int leaf[2];
} Node;

typedef struct Expr {
    Node nodes[MAX_NODES];      /* in the order they were written */
    int nnodes;
    PjVar *leaves[MAX_LEAVES];
    PjType *leaf_types[MAX_LEAVES];
    int nleaves;
    Reduce reduce;
    PjType *acc;                /* the accumulator of a sum, prod, mean */
    PjInstr step;               /* acc op= element */
    PjInstr merge;              /* acc op= acc (the chunks' partials) */
    PjInstr finish;             /* mean: acc / count */
    bool parallel;
    bool open;                  /* may still be absorbed by a later one */
    bool absorbed;
    PjInstr *root;              /* the instruction it becomes */
    PjInstr *method;            /* e.sum(): the getattr it replaces */
    PjInstr *copies[2 * MAX_NODES];     /* `t = $1` of results it takes
                                           in, to go */
    int ncopies;
    PjInstr *pending[MAX_NODES];    /* of its own result */
    int npending;
    int line;
    struct Expr *into;          /* the group that absorbed this one */
    int checked;                /* operations an early check covers */
} Expr;

/* The shapes of a group's operations so far, checked where they were
   written (a SHAPECHECK before `before`) because the group is computed
   past `before`, an instruction that may raise. */
typedef struct EarlyCheck {
    Expr *owner;
    PjInstr *check;
    PjInstr *before;
} EarlyCheck;

struct PjFusion {
    PjVec exprs;                /* Expr*, the ones that were fused */
};

/* --- finding the expressions --- */

typedef struct Plan {
    PjCompile *cx;
    int *uses;                  /* per variable */
    Expr **open_of;             /* per variable: the open group it holds */
    Expr *open[MAX_NODES * 4];  /* the block's open groups */
    int nopen;
    PjVec checks;               /* EarlyCheck*, the block's */
} Plan;

/* The variable operand k of an element-wise instruction comes from, or
   NULL when it is not a plain argument (a method's object, a default). */
static PjVar *
operand_var(PjInstr *ins, int k)
{
    if (ins->op != PJ_OP_CALL) {
        return k < ins->nsrc ? ins->src[k] : NULL;
    }
    PjCallPlan *plan = ins->call;
    if (plan == NULL || plan->callee != NULL || plan->has_varargs
        || plan->nparams < k + 1 || plan->src[k] < 0) {
        return NULL;
    }
    /* a method's object comes first and is not an argument:
       a.astype(t) computes on a, and its argument is t */
    PjVar *v = ins->src[plan->src[k]];
    return v->type == ins->argtys[k] ? v : NULL;
}

/* How many operands ins computes a new array from element by element, if
   fusion can take it: 0 if not. */
static int
fusable_nops(PjInstr *ins)
{
    int n = pj_array_elementwise_nops(ins);
    if (n == 0 || ins->dst == NULL || !pj_type_is_array(ins->resty)
        || ins->argtys == NULL) {
        return 0;
    }
    for (int k = 0; k < n; k++) {
        if (operand_var(ins, k) == NULL) {
            return 0;
        }
    }
    return n;
}

/* The library's reductions of an array to a number, as methods and as
   np functions (one dispatcher each): all they do is read the array. */
static const char *const reading_reductions[] = {
    "sum", "prod", "mean", "std", "var", "min", "max", "any", "all",
    "argmin", "argmax", NULL};

/* Whether ins calls one of those reductions: a group may then be
   computed after it, as in `(a - a.mean()) / a.std()`, and still read
   what it read before. */
static bool
reading_call(PjCompile *cx, PjInstr *ins)
{
    PjCallPlan *plan = ins->call;
    PjCallee *c = plan ? plan->callee : NULL;
    if (c == NULL || c->nargs < 1 || !pj_type_is_array(c->argtys[0])) {
        return false;
    }
    for (int k = 0; reading_reductions[k] != NULL; k++) {
        if (pj_library_method(c->argtys[0], reading_reductions[k],
                              cx->opts.parallel) == c->dispatcher) {
            return true;
        }
    }
    return false;
}

/* Whether ins indexes an array: a[i], a[1:], a[idx], a[mask] only read
   it, though they may raise (an index out of bounds). */
static bool
array_getitem(const PjInstr *ins)
{
    return ins->op == PJ_OP_GETITEM && pj_type_is_array(ins->src[0]->type);
}

/* Whether ins leaves alone the memory of arrays an open group reads:
   reading, building tuples and slices, operators on numbers, new arrays,
   the library's reductions. */
static bool
harmless(Plan *p, PjInstr *ins)
{
    switch (ins->op) {
    case PJ_OP_CONST: case PJ_OP_GLOBAL: case PJ_OP_COPY:
    case PJ_OP_GETATTR: case PJ_OP_STATIC_GETITEM: case PJ_OP_BUILD_TUPLE:
    case PJ_OP_BINOP: case PJ_OP_UNARY: case PJ_OP_COMPARE:
        return true;
    case PJ_OP_GETITEM:
        return array_getitem(ins);
    case PJ_OP_CALL:
        return fusable_nops(ins) > 0 || reading_call(p->cx, ins)
               || pj_builds_slice(ins);
    default: return false;
    }
}

static void
close_group(Plan *p, int j)
{
    p->open[j]->open = false;
    p->open[j] = p->open[--p->nopen];
}

static bool
reads(Expr *e, PjVar *v)
{
    for (int k = 0; k < e->nleaves; k++) {
        if (e->leaves[k] == v) {
            return true;
        }
    }
    return false;
}

/* Whether computing e may raise: two arrays among its operands must
   broadcast together. */
static bool
may_raise(const Expr *e)
{
    int arrays = 0;
    for (int k = 0; k < e->nleaves; k++) {
        arrays += pj_type_is_array(e->leaf_types[k]);
    }
    return arrays > 1;
}

static const PjImpl impl_shapecheck;

/* Records that group g's shapes are checked just before ins (a harmless
   instruction that may raise) should g be fused, so that g may grow past
   ins and the first error stays the one written first:
   `(x - t[i - 1]) / (t[i] - t[i - 1])` is one loop, an index out of
   bounds in t[i] still raising after a shape that does not broadcast in
   `x - t[i - 1]`.  The arrays checked are the ones the loop reads later:
   nothing between can assign them (that would end the group).  0, or -1
   with MemoryError. */
static int
check_early(Plan *p, Expr *g, PjInstr *ins)
{
    if (g->checked == g->nnodes) {
        return 0;               /* checked before, nothing written since */
    }
    Expr *snap = PJ_NEW(p->cx->arena, Expr);
    PjInstr *c = PJ_NEW(p->cx->arena, PjInstr);
    EarlyCheck *ec = PJ_NEW(p->cx->arena, EarlyCheck);
    PjVar **src = PJ_NEW_N(p->cx->arena, PjVar *, g->nleaves);
    if (snap == NULL || c == NULL || ec == NULL || src == NULL) {
        return -1;
    }
    *snap = *g;
    memcpy(src, g->leaves, sizeof(PjVar *) * (size_t)g->nleaves);
    memset(c, 0, sizeof *c);
    c->op = PJ_OP_SHAPECHECK;
    c->loc = g->nodes[g->nnodes - 1].ins.loc;
    c->src = src;
    c->nsrc = g->nleaves;
    c->argtys = snap->leaf_types;
    c->impl = &impl_shapecheck;
    c->plan = (PjPlan){.ptr = snap};
    *ec = (EarlyCheck){g, c, ins};
    g->checked = g->nnodes;
    return pj_vec_push(p->cx->arena, &p->checks, ec);
}

/* Whether ins may raise: a call of a function that can, an array's
   getitem. */
static bool
raises(PjInstr *ins)
{
    return array_getitem(ins)
           || (ins->op == PJ_OP_CALL && ins->call != NULL
               && ins->call->callee != NULL
               && ins->call->callee->can_raise);
}

/* Ends the groups ins may change the inputs of.  When ins may raise,
   those that may raise too have their shapes checked before it: which of
   the two raises first stays as written (`(a - a.min()) / (a.max() - a.min())` fuses, an empty a
   raising in a.max()).  0, or -1 with MemoryError. */
static int
close_groups(Plan *p, PjInstr *ins)
{
    bool all = !harmless(p, ins);
    bool raising = raises(ins);
    for (int j = p->nopen - 1; j >= 0; j--) {
        Expr *g = p->open[j];
        if (all || (ins->dst != NULL && reads(g, ins->dst))) {
            close_group(p, j);
        }
        else if (raising && may_raise(g)) {
            RETURN_IF_ERROR(check_early(p, g, ins));
        }
    }
    return 0;
}

/* The open group computing v, when v is used once, there: the group can
   become part of the expression using it. */
static Expr *
group_of(Plan *p, PjVar *v)
{
    Expr *e = v->ndefs == 1 && p->uses[v->id] == 1 ? p->open_of[v->id]
                                                    : NULL;
    if (e == NULL || !e->open) {
        return NULL;
    }
    /* a variable declared wider than the operation's result converts it */
    return e->nodes[e->nnodes - 1].ins.resty == v->type ? e : NULL;
}

static int
add_leaf(Expr *e, PjVar *v, PjType *t)
{
    for (int k = 0; k < e->nleaves; k++) {
        if (e->leaves[k] == v && e->leaf_types[k] == t) {
            return k;
        }
    }
    if (e->nleaves == MAX_LEAVES) {
        return -1;
    }
    e->leaves[e->nleaves] = v;
    e->leaf_types[e->nleaves] = t;
    return e->nleaves++;
}

/* The copies of d's result (`t = $1`, a statement `t = a * b`) go when
   e takes it in (or reduces it): t is then not assigned at all. */
static void
take_pending(Expr *e, const Expr *d)
{
    for (int j = 0; j < d->npending; j++) {
        e->copies[e->ncopies++] = d->pending[j];
    }
}

static void
take_copies(Expr *e, const Expr *d)
{
    for (int j = 0; j < d->ncopies; j++) {
        e->copies[e->ncopies++] = d->copies[j];
    }
    take_pending(e, d);
}

/* Copies group d's nodes and leaves into e; the index of d's root in e,
   or -1 when e has no room. */
static int
absorb(Expr *e, Expr *d)
{
    if (e->nnodes + d->nnodes >= MAX_NODES
        || e->nleaves + d->nleaves > MAX_LEAVES
        || e->ncopies + d->ncopies + d->npending > MAX_NODES) {
        return -1;
    }
    int base = e->nnodes;
    for (int j = 0; j < d->nnodes; j++) {
        Node n = d->nodes[j];
        for (int k = 0; k < n.nops; k++) {
            if (n.kid[k] >= 0) {
                n.kid[k] += base;
            }
            else {
                n.leaf[k] = add_leaf(e, d->leaves[n.leaf[k]],
                                     d->leaf_types[n.leaf[k]]);
            }
        }
        e->nodes[e->nnodes++] = n;
    }
    take_copies(e, d);
    d->absorbed = true;
    d->into = e;
    d->open = false;
    return e->nnodes - 1;
}

static void
remove_open(Plan *p, Expr *d)
{
    for (int j = 0; j < p->nopen; j++) {
        if (p->open[j] == d) {
            p->open[j] = p->open[--p->nopen];
            return;
        }
    }
}

static Expr *
new_expr(Plan *p, PjInstr *ins)
{
    Expr *e = PJ_NEW(p->cx->arena, Expr);
    if (e != NULL) {
        memset(e, 0, sizeof *e);
        e->open = true;
        e->root = ins;
        e->line = ins->loc.line;
        e->parallel = p->cx->opts.parallel;
    }
    return e;
}

/* The group of element-wise instruction ins, taking in the groups of
   its operands it is the only user of. */
static Expr *
start_group(Plan *p, PjInstr *ins, int nops)
{
    Expr *e = new_expr(p, ins);
    if (e == NULL) {
        return NULL;
    }
    Node n = {.ins = *ins, .nops = nops, .kid = {-1, -1}, .leaf = {-1, -1}};
    for (int k = 0; k < nops; k++) {
        PjVar *v = operand_var(ins, k);
        Expr *d = group_of(p, v);
        if (d != NULL && (n.kid[k] = absorb(e, d)) >= 0) {
            remove_open(p, d);
            continue;
        }
        n.kid[k] = -1;
        n.leaf[k] = add_leaf(e, v, ins->argtys[k]);
        if (n.leaf[k] < 0) {
            return NULL;        /* too many to fuse: left as it is */
        }
    }
    e->nodes[e->nnodes++] = n;
    return e;
}

/* --- reductions of a group --- */

/* The instruction in block b that defines v, if it is there. */
static PjInstr *
def_in_block(PjBlock *b, PjVar *v, PjInstr *before)
{
    for (PjInstr *ins = b->first; ins != NULL && ins != before;
         ins = ins->next) {
        if (ins->dst == v) {
            return ins;
        }
    }
    return NULL;
}

/* Which library reduction the dispatcher disp of a call on arrays of
   type at is, if any. */
static Reduce
library_reduction(PjCompile *cx, PyObject *disp, PjType *at)
{
    for (int r = RED_SUM; r <= RED_MEAN; r++) {
        PyObject *d = pj_library_method(at, reduce_names[r],
                                        cx->opts.parallel);
        if (d != NULL && d == disp) {
            return (Reduce)r;
        }
    }
    return RED_NONE;
}

/* Types the accumulation of e's elements (of dtype et) as the library's
   loop does; 1 if the reduction is not one fusion does. */
static int
type_accumulation(PjCompile *cx, Expr *e, PjType *et, PjType *result)
{
    if (e->reduce == RED_MIN || e->reduce == RED_MAX) {
        /* NaT wins as NaN does: the library's loop, not an integer one */
        return pj_type_is_complex(et) || pj_type_is_datetime_like(et)
               || et != result;
    }
    PjType *acc = pj_library_accumulator(et, e->reduce == RED_MEAN);
    int sub = e->reduce == RED_PROD ? PJ_BIN_MUL : PJ_BIN_ADD;
    e->acc = acc;
    e->step = (PjInstr){.op = PJ_OP_INPLACE, .sub = sub};
    e->merge = e->step;
    e->finish = (PjInstr){.op = PJ_OP_BINOP, .sub = PJ_BIN_TRUEDIV};
    int rc = pj_type_number_operator(cx, &e->step, acc, et, true);
    if (rc == 0) {
        rc = pj_type_number_operator(cx, &e->merge, acc, acc, true);
    }
    if (rc == 0 && e->reduce == RED_MEAN) {
        rc = pj_type_number_operator(cx, &e->finish, acc, pj_t.i64, true);
    }
    if (rc != 0) {
        return rc;
    }
    PjType *res = e->reduce == RED_MEAN ? e->finish.resty : acc;
    return e->step.resty != acc || e->merge.resty != acc || res != result;
}

/* The array a reduction call reduces, and the getattr of e.sum(); NULL
   when ins is not `np.sum(e)` or `e.sum()` without further arguments. */
static PjVar *
reduced_array(Plan *p, PjBlock *b, PjInstr *ins, PjInstr **method)
{
    *method = NULL;
    if (ins->op != PJ_OP_CALL || ins->call == NULL
        || ins->call->callee == NULL || ins->obj != NULL) {
        return NULL;
    }
    if (ins->nsrc == 2) {
        return ins->src[1];
    }
    PjVar *bound = ins->src[0];
    if (ins->nsrc != 1 || bound->ndefs != 1 || p->uses[bound->id] != 1) {
        return NULL;
    }
    PjInstr *g = def_in_block(b, bound, ins);
    if (g == NULL || g->op != PJ_OP_GETATTR) {
        return NULL;
    }
    *method = g;
    return g->src[0];
}

/* The expression of no operations that reads array v: its reduction is
   a loop of its own where the library's loop would find each element of
   an array that is not C from its position in C order (a division per
   dimension).  The library's loops on threads stay as they are. */
static Expr *
array_group(Plan *p, PjInstr *ins, PjVar *v)
{
    PjType *t = v->type;
    if (!pj_type_is_array(t) || pj_array_ndim(t) < 2 || pj_array_is_c(t)
        || p->cx->opts.parallel) {
        return NULL;
    }
    Expr *e = new_expr(p, ins);
    if (e != NULL) {
        add_leaf(e, v, t);
    }
    return e;
}

/* Whether the library reduces array type t faster than a walk of it:
   its minimum and maximum of an F array read the transpose, a C view, in
   four lanes that vectorize, where the walk compares one element after
   another. */
static bool
library_reduces_faster(Reduce r, PjType *t)
{
    return (r == RED_MIN || r == RED_MAX) && pj_array_is_f(t);
}

/* A reduction call of the library over an open group used only there,
   or over an array: the group, now ending in the reduction, or NULL. */
static Expr *
reduce_group(Plan *p, PjBlock *b, PjInstr *ins)
{
    PjInstr *method;
    PjVar *v = reduced_array(p, b, ins, &method);
    if (v == NULL) {
        return NULL;
    }
    Reduce r = library_reduction(p->cx, ins->call->callee->dispatcher,
                                 v->type);
    Expr *e = group_of(p, v);
    if (e == NULL && !library_reduces_faster(r, v->type)) {
        e = array_group(p, ins, v);
    }
    if (e == NULL) {
        return NULL;
    }
    e->reduce = r;
    if (e->reduce == RED_NONE
        || type_accumulation(p->cx, e, v->type->elems[0], ins->resty) != 0) {
        e->reduce = RED_NONE;
        return NULL;
    }
    remove_open(p, e);
    take_pending(e, e);
    e->root = ins;
    e->method = method;
    e->line = ins->loc.line;
    return e;
}

/* --- rewriting --- */

static const PjImpl impl_fused, impl_fused_reduce;

static void
unlink_instr(PjBlock *b, PjInstr *gone)
{
    PjInstr **at = &b->first, *prev = NULL;
    while (*at != NULL && *at != gone) {
        prev = *at;
        at = &(*at)->next;
    }
    if (*at == gone) {
        *at = gone->next;
        if (b->last == gone) {
            b->last = prev;
        }
    }
}

/* The group becomes one instruction in place of its root; the
   instructions of its other operations go. */
static int
rewrite(PjCompile *cx, PjBlock *b, Expr *e)
{
    for (int j = 0; j < e->nnodes; j++) {
        PjInstr *orig = e->nodes[j].ins.dst ? e->nodes[j].ins.dst->def : NULL;
        if (orig != NULL && orig != e->root) {
            unlink_instr(b, orig);
        }
    }
    for (int j = 0; j < e->ncopies; j++) {
        unlink_instr(b, e->copies[j]);
    }
    if (e->method != NULL) {
        unlink_instr(b, e->method);
    }
    PjInstr *r = e->root;
    PjVar **src = PJ_NEW_N(cx->arena, PjVar *, e->nleaves);
    if (src == NULL) {
        return -1;
    }
    memcpy(src, e->leaves, sizeof(PjVar *) * (size_t)e->nleaves);
    r->op = PJ_OP_ARRAYEXPR;
    r->src = src;
    r->nsrc = e->nleaves;
    r->argtys = e->leaf_types;
    r->impl = e->reduce ? &impl_fused_reduce : &impl_fused;
    r->plan = (PjPlan){.ptr = e};
    r->call = NULL;
    r->obj = r->obj2 = NULL;
    r->name = NULL;
    if (e->reduce == RED_NONE) {
        r->resty = e->nodes[e->nnodes - 1].ins.resty;
    }
    return pj_vec_push(cx->arena, &cx->fusion->exprs, e);
}

/* Whether a group is worth its own loop: two operations or more, a
   reduction of one, or one in a parallel=True function, whose loop then
   runs on the threads (Numba makes a parallel loop of each). */
static bool
fuses(Expr *e)
{
    return !e->absorbed
           && (e->nnodes > 1 || e->reduce != RED_NONE || e->parallel);
}

/* `t = v` of the result v of an open group, its only use: the group goes
   on as t's. */
static void
follow_copy(Plan *p, PjInstr *ins)
{
    Expr *e = ins->op == PJ_OP_COPY ? group_of(p, ins->src[0]) : NULL;
    if (e != NULL && ins->dst->ndefs == 1 && ins->dst != ins->src[0]
        && e->npending < MAX_NODES && !reads(e, ins->dst)) {
        e->pending[e->npending++] = ins;
        p->open_of[ins->dst->id] = e;
    }
}

/* Puts ins into block b just before `before`. */
static void
insert_before(PjBlock *b, PjInstr *ins, PjInstr *before)
{
    PjInstr **at = &b->first;
    while (*at != NULL && *at != before) {
        at = &(*at)->next;
    }
    ins->next = *at;
    *at = ins;
}

/* The early checks of the groups e took in, e itself included, go into
   the block where they were written. */
static void
place_checks(Plan *p, PjBlock *b, Expr *e)
{
    for (int k = 0; k < p->checks.len; k++) {
        EarlyCheck *ec = p->checks.items[k];
        Expr *owner = ec->owner;
        while (owner->into != NULL) {
            owner = owner->into;
        }
        if (owner == e) {
            insert_before(b, ec->check, ec->before);
        }
    }
}

static int
plan_block(Plan *p, PjBlock *b)
{
    Expr *made[MAX_NODES * 8];
    int nmade = 0;
    p->nopen = 0;
    p->checks.len = 0;
    for (PjInstr *ins = b->first; ins != NULL; ins = ins->next) {
        int nops = fusable_nops(ins);
        Expr *e = nops ? start_group(p, ins, nops) : reduce_group(p, b, ins);
        RETURN_IF_ERROR(close_groups(p, ins));
        follow_copy(p, ins);
        if (e == NULL) {
            continue;
        }
        /* a reduction of a group was made with the group */
        if ((e->reduce == RED_NONE || e->nnodes == 0)
            && nmade < (int)(sizeof made / sizeof *made)) {
            made[nmade++] = e;
        }
        if (e->reduce == RED_NONE && !reads(e, ins->dst)
            && p->nopen < (int)(sizeof p->open / sizeof *p->open)) {
            p->open_of[ins->dst->id] = e;
            p->open[p->nopen++] = e;
        }
        else {
            e->open = false;
        }
    }
    while (p->nopen > 0) {      /* an expression stays in its block */
        close_group(p, p->nopen - 1);
    }
    for (int j = 0; j < nmade; j++) {
        if (fuses(made[j])) {
            place_checks(p, b, made[j]);
            RETURN_IF_ERROR(rewrite(p->cx, b, made[j]));
        }
    }
    return 0;
}

/* Groups the element-wise operations of cx's function into array
   expressions (once, before its code is made). */
int
pj_fusion_plan(PjCompile *cx)
{
    PjFunc *fn = cx->fn;
    if (cx->fusion != NULL) {
        return 0;
    }
    cx->fusion = PJ_NEW(cx->arena, struct PjFusion);
    Plan p = {.cx = cx};
    p.uses = PJ_NEW_N(cx->arena, int, fn->vars.len + 1);
    p.open_of = PJ_NEW_N(cx->arena, Expr *, fn->vars.len + 1);
    if (cx->fusion == NULL || p.uses == NULL || p.open_of == NULL) {
        return -1;
    }
    memset(cx->fusion, 0, sizeof *cx->fusion);
    memset(p.uses, 0, sizeof(int) * (size_t)(fn->vars.len + 1));
    memset(p.open_of, 0, sizeof(Expr *) * (size_t)(fn->vars.len + 1));
    pj_ir_count_uses(fn, p.uses);
    for (int i = 0; i < fn->blocks.len; i++) {
        PjBlock *b = pj_ir_block(fn, i);
        if (b->reachable) {
            RETURN_IF_ERROR(plan_block(&p, b));
        }
    }
    return 0;
}

/* --- the loop --- */

/* What a loop over the elements needs. */
typedef struct Loop {
    const Expr *e;
    LLVMValueRef *leaves;       /* the leaves' values */
    PjType *shape_type;         /* the root's array type */
    LLVMValueRef *shape;        /* the root's shape */
    bool f_order;               /* the elements are walked in F order */
    LLVMValueRef out;           /* the new array, or NULL */
    LLVMValueRef acc;           /* the accumulator's slot, or NULL */
    int walked[MAX_LEAVES];     /* an array leaf's index in the walk */
    int walked_out;             /* and the new array's */
    LLVMValueRef block;         /* a blocked reduction's elements, or NULL */
    LLVMValueRef block_len;     /* the slot of how many it holds */
} Loop;

static PjType *
node_type(const Node *n)
{
    return n->ins.resty;
}

/* The array the expression computes (then reduces): its last
   operation's, or the one it reads when it has none. */
static PjType *
root_type(const Expr *e)
{
    return e->nnodes > 0 ? node_type(&e->nodes[e->nnodes - 1])
                         : e->leaf_types[0];
}

/* The root's element from the leaves' elements (numbers: their values). */
static LLVMValueRef
compute(PjLower *lw, const Expr *e, LLVMValueRef *leaf)
{
    LLVMValueRef val[MAX_NODES];
    for (int j = 0; j < e->nnodes; j++) {
        const Node *n = &e->nodes[j];
        LLVMValueRef v[2];
        for (int k = 0; k < n->nops; k++) {
            v[k] = n->kid[k] >= 0 ? val[n->kid[k]] : leaf[n->leaf[k]];
        }
        val[j] = pj_array_elementwise_apply(lw, (PjInstr *)&n->ins, v);
    }
    return e->nnodes > 0 ? val[e->nnodes - 1] : leaf[0];
}

/* The root's element at flat position i, in the loop's order. */
static LLVMValueRef
element_at(PjLower *lw, Loop *L, LLVMValueRef i)
{
    const Expr *e = L->e;
    LLVMValueRef leaf[MAX_LEAVES];
    for (int k = 0; k < e->nleaves; k++) {
        PjType *t = e->leaf_types[k];
        leaf[k] = !pj_type_is_array(t) ? L->leaves[k]
            : pj_array_operand_element(lw, t, L->leaves[k], L->shape_type,
                                       L->shape, i, L->f_order);
    }
    return compute(lw, e, leaf);
}

/* acc op= x for the instruction typed for it (step or merge). */
static LLVMValueRef
accumulate(PjLower *lw, const PjInstr *op, LLVMValueRef acc, PjType *at,
           LLVMValueRef x, PjType *xt)
{
    PjInstr *ins = (PjInstr *)op;
    LLVMValueRef a[2] = {pj_lower_convert(lw, acc, at, ins->argtys[0]),
                         pj_lower_convert(lw, x, xt, ins->argtys[1])};
    return pj_lower_convert(lw, ins->impl->lower(lw, ins, a), ins->resty, at);
}

/* Whether x replaces m as the running maximum (minimum): the first NaN
   stays, as in the library's loop. */
static LLVMValueRef
replaces(PjLower *lw, PjType *t, LLVMValueRef m, LLVMValueRef x, bool max)
{
    if (t->kind == PJ_TK_FLOAT) {
        LLVMValueRef m_ok = LLVMBuildFCmp(lw->b, LLVMRealORD, m, m, "");
        LLVMValueRef x_nan = LLVMBuildFCmp(lw->b, LLVMRealUNO, x, x, "");
        LLVMValueRef beyond = LLVMBuildFCmp(
            lw->b, max ? LLVMRealOGT : LLVMRealOLT, x, m, "");
        return LLVMBuildAnd(lw->b, m_ok, LLVMBuildOr(lw->b, x_nan, beyond,
                                                     ""), "");
    }
    bool sign = t->kind == PJ_TK_INT;
    LLVMIntPredicate pred = max ? (sign ? LLVMIntSGT : LLVMIntUGT)
                                : (sign ? LLVMIntSLT : LLVMIntULT);
    return LLVMBuildICmp(lw->b, pred, x, m, "");
}

static PjType *
elem_type(const Expr *e)
{
    return root_type(e)->elems[0];
}

static PjType *
acc_type(const Expr *e)
{
    return e->acc != NULL ? e->acc : elem_type(e);
}

static void
reduce_one(PjLower *lw, Loop *L, LLVMValueRef x)
{
    const Expr *e = L->e;
    PjType *at = acc_type(e), *et = elem_type(e);
    LLVMTypeRef lt = pj_lower_type(lw, at);
    LLVMValueRef m = LLVMBuildLoad2(lw->b, lt, L->acc, "");
    LLVMValueRef r;
    if (e->reduce == RED_MIN || e->reduce == RED_MAX) {
        r = LLVMBuildSelect(lw->b, replaces(lw, et, m, x,
                                            e->reduce == RED_MAX), x, m, "");
    }
    else {
        r = accumulate(lw, &e->step, m, at, x, et);
    }
    LLVMBuildStore(lw->b, r, L->acc);
}

/* --- blocked reductions ---

   A float sum adds its elements in order, one after the other, as the
   library's loop does (the rounding shows the order), so LLVM cannot
   vectorize the loop, and what the elements cost to compute is paid one
   at a time: np.sqrt(a).sum() ran at sqrt's scalar rate, twice Numba's
   time, which computes the square roots into an array (vectorized) and
   sums that.  So a sum whose elements cost more than a load is walked
   in blocks: the elements of a block computed into a buffer, then added
   in order.  The result is the same sum. */

enum { BLOCK = 256 };

/* The ufuncs whose loops LLVM vectorizes (instructions, where exp and
   the like are calls of the C library, one element at a time). */
static bool
vectorizing_ufunc(const PjInstr *ins)
{
    static const int ids[] = {PJ_FN_NP_SQRT, PJ_FN_NP_ABS, PJ_FN_NP_FABS,
                              PJ_FN_NP_FLOOR, PJ_FN_NP_CEIL, PJ_FN_NP_TRUNC,
                              PJ_FN_NP_RINT};
    for (size_t k = 0; k < sizeof(ids) / sizeof(ids[0]); k++) {
        if (pj_type_is_builtin(ins->src[0]->type, ids[k])) {
            return true;
        }
    }
    return false;
}

/* Whether an element costs a square root or a division: work that
   vectorizes while the additions cannot. */
static bool
costly_elements(const Expr *e)
{
    for (int j = 0; j < e->nnodes; j++) {
        const PjInstr *ins = &e->nodes[j].ins;
        const PjInstr *el = pj_array_elementwise_op(ins);
        if ((ins->op == PJ_OP_CALL && vectorizing_ufunc(ins))
            || (el->op == PJ_OP_BINOP && el->sub == PJ_BIN_TRUEDIV)) {
            return true;
        }
    }
    return false;
}

static bool
blocks_reduction(PjLower *lw, const Expr *e)
{
    PjType *et = elem_type(e), *at = acc_type(e);
    return (e->reduce == RED_SUM || e->reduce == RED_MEAN)
           && at->kind == PJ_TK_FLOAT && et == at
           && !lw->cx->opts.fastmath && costly_elements(e);
}

static void
keep_in_block(PjLower *lw, Loop *L, LLVMValueRef x)
{
    LLVMValueRef k = LLVMBuildLoad2(lw->b, lw->t_i64, L->block_len, "");
    LLVMValueRef p = LLVMBuildInBoundsGEP2(lw->b, LLVMTypeOf(x), L->block, &k,
                                           1, "");
    LLVMBuildStore(lw->b, x, p);
    LLVMBuildStore(lw->b, LLVMBuildNUWAdd(lw->b, k, pj_i64(lw, 1), ""),
                   L->block_len);
}

static void walk_elements(PjLower *lw, Loop *L, LLVMValueRef lo,
                          LLVMValueRef hi);
static LLVMValueRef acc_identity(PjLower *lw, const Expr *e);

/* acc += block[j] for the j the block holds, in order. */
static void
add_block(PjLower *lw, Loop *L)
{
    LLVMBuilderRef B = lw->b;
    PjType *at = acc_type(L->e);
    LLVMTypeRef lt = pj_lower_type(lw, at);
    LLVMValueRef n = LLVMBuildLoad2(B, lw->t_i64, L->block_len, "");
    LLVMBasicBlockRef before = LLVMGetInsertBlock(B);
    LLVMBasicBlockRef body = LLVMAppendBasicBlockInContext(lw->ctx, lw->func,
                                                           "block.add");
    LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(lw->ctx, lw->func,
                                                           "block.added");
    LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntSGT, n, pj_i64(lw, 0), ""),
                    body, done);
    LLVMPositionBuilderAtEnd(B, body);
    LLVMValueRef j = LLVMBuildPhi(B, lw->t_i64, "");
    LLVMValueRef x = LLVMBuildLoad2(
        B, lt, LLVMBuildInBoundsGEP2(B, lt, L->block, &j, 1, ""), "");
    LLVMValueRef acc = LLVMBuildLoad2(B, lt, L->acc, "");
    LLVMBuildStore(B, accumulate(lw, &L->e->step, acc, at, x, at), L->acc);
    LLVMValueRef next = LLVMBuildNUWAdd(B, j, pj_i64(lw, 1), "");
    LLVMValueRef zero = pj_i64(lw, 0);
    LLVMBasicBlockRef latch = LLVMGetInsertBlock(B);
    LLVMAddIncoming(j, &zero, &before, 1);
    LLVMAddIncoming(j, &next, &latch, 1);
    LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntSLT, next, n, ""), body, done);
    LLVMPositionBuilderAtEnd(B, done);
}

/* The elements [start, n) in blocks of BLOCK: each block's computed into
   the buffer, then added to the accumulator. */
static void
walk_in_blocks(PjLower *lw, Loop *L, LLVMValueRef start, LLVMValueRef n)
{
    LLVMBuilderRef B = lw->b;
    LLVMTypeRef lt = pj_lower_type(lw, acc_type(L->e));
    L->block = pj_lower_alloca(lw, LLVMArrayType2(lt, BLOCK), "block");
    L->block_len = pj_lower_alloca(lw, lw->t_i64, "block.len");
    LLVMBuildStore(B, acc_identity(lw, L->e), L->acc);
    LLVMBasicBlockRef before = LLVMGetInsertBlock(B);
    LLVMBasicBlockRef head = LLVMAppendBasicBlockInContext(lw->ctx, lw->func,
                                                           "blocks");
    LLVMBasicBlockRef body = LLVMAppendBasicBlockInContext(lw->ctx, lw->func,
                                                           "blocks.body");
    LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(lw->ctx, lw->func,
                                                           "blocks.done");
    LLVMBuildBr(B, head);
    LLVMPositionBuilderAtEnd(B, head);
    LLVMValueRef lo = LLVMBuildPhi(B, lw->t_i64, "");
    LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntSLT, lo, n, ""), body, done);
    LLVMPositionBuilderAtEnd(B, body);
    LLVMValueRef end = LLVMBuildNSWAdd(B, lo, pj_i64(lw, BLOCK), "");
    LLVMValueRef hi = LLVMBuildSelect(
        B, LLVMBuildICmp(B, LLVMIntSLT, end, n, ""), end, n, "");
    LLVMBuildStore(B, pj_i64(lw, 0), L->block_len);
    walk_elements(lw, L, lo, hi);
    add_block(lw, L);
    LLVMBasicBlockRef latch = LLVMGetInsertBlock(B);
    LLVMAddIncoming(lo, &start, &before, 1);
    LLVMAddIncoming(lo, &hi, &latch, 1);
    LLVMBuildBr(B, head);
    LLVMPositionBuilderAtEnd(B, done);
}

/* The elements [lo, hi) into the accumulator or the new array: a float
   sum of costly elements in blocks, in a thread's chunk as well. */
static void
walk_range(PjLower *lw, Loop *L, LLVMValueRef lo, LLVMValueRef hi)
{
    if (L->acc != NULL && blocks_reduction(lw, L->e)) {
        walk_in_blocks(lw, L, lo, hi);
    }
    else {
        walk_elements(lw, L, lo, hi);
    }
}

/* The root's element where the walk is: into the new array or the
   accumulator. */
static void
one_element(PjLower *lw, PjWalk *w, void *arg)
{
    Loop *L = arg;
    const Expr *e = L->e;
    LLVMValueRef leaf[MAX_LEAVES];
    for (int k = 0; k < e->nleaves; k++) {
        PjType *t = e->leaf_types[k];
        leaf[k] = L->walked[k] < 0 ? L->leaves[k]
                  : pj_array_load(lw, t->elems[0], w->at[L->walked[k]]);
    }
    LLVMValueRef x = compute(lw, e, leaf);
    if (L->block != NULL) {
        keep_in_block(lw, L, x);
        return;
    }
    if (L->acc != NULL) {
        reduce_one(lw, L, x);
        return;
    }
    PjType *ot = root_type(e);
    pj_array_store(lw, ot->elems[0], w->at[L->walked_out], x);
}

/* The identity of a sum or product, in the accumulator's type. */
static LLVMValueRef
acc_identity(PjLower *lw, const Expr *e)
{
    PjType *at = acc_type(e);
    return e->reduce == RED_PROD
           ? pj_lower_convert(lw, pj_i64(lw, 1), pj_t.i64, at)
           : LLVMConstNull(pj_lower_type(lw, at));
}

/* The accumulator's value before element `first`: the identity of a sum
   or product, the first element of a maximum or minimum. */
static LLVMValueRef
acc_start(PjLower *lw, Loop *L, LLVMValueRef first)
{
    Reduce r = L->e->reduce;
    return r == RED_MIN || r == RED_MAX ? element_at(lw, L, first)
                                        : acc_identity(lw, L->e);
}

/* Elements [lo, hi) of the root (some, for a maximum or minimum), in
   the loop's order: the order of the memory of F leaves, else C order,
   each leaf broadcast to the root's shape. */
static void
walk_elements(PjLower *lw, Loop *L, LLVMValueRef lo, LLVMValueRef hi)
{
    const Expr *e = L->e;
    if (L->acc != NULL && L->block == NULL) {
        LLVMBuildStore(lw->b, acc_start(lw, L, lo), L->acc);
    }
    PjWalk w;
    pj_walk_init(&w, pj_array_ndim(L->shape_type), L->shape, L->f_order,
                 one_element, L);
    for (int k = 0; k < e->nleaves; k++) {
        PjType *t = e->leaf_types[k];
        L->walked[k] = pj_type_is_array(t)
                       ? pj_walk_add(&w, t, L->leaves[k], false) : -1;
    }
    if (L->out != NULL) {
        L->walked_out = pj_walk_add(&w, L->shape_type, L->out, true);
    }
    pj_array_walk(lw, &w, lo, hi);
}

/* --- shapes --- */

/* Each operation's shape, in the order written, checked as it checks its
   operands alone; the root's (or the one array's) into shape. */
static void
check_shapes(PjLower *lw, const Expr *e, LLVMValueRef *leaves,
             LLVMValueRef *shape)
{
    LLVMValueRef shapes[MAX_NODES][PJ_MAX_NDIM];
    for (int j = 0; j < e->nnodes; j++) {
        const Node *n = &e->nodes[j];
        int nd = pj_array_ndim(node_type(n)), arrays = 0;
        LLVMValueRef bad = LLVMConstInt(lw->t_i1, 0, 0);
        for (int d = 0; d < nd; d++) {
            shapes[j][d] = pj_i64(lw, 1);
        }
        for (int k = 0; k < n->nops; k++) {
            LLVMValueRef dims[PJ_MAX_NDIM], *from = dims;
            int ndk;
            if (n->kid[k] >= 0) {
                from = shapes[n->kid[k]];
                ndk = pj_array_ndim(node_type(&e->nodes[n->kid[k]]));
            }
            else {
                PjType *t = e->leaf_types[n->leaf[k]];
                if (!pj_type_is_array(t)) {
                    continue;
                }
                ndk = pj_array_ndim(t);
                pj_array_shape_values(lw, t, leaves[n->leaf[k]], dims);
            }
            arrays++;
            bad = LLVMBuildOr(lw->b, bad, pj_array_broadcast_fold(
                lw, shapes[j], nd, from, ndk, false), "");
        }
        pj_lower_check(lw, bad, "ValueError",
                       "operands could not be broadcast together");
        if (arrays == 2) {
            pj_array_checked_size(lw, shapes[j], nd, pj_i64(lw, 1),
                                  "iterator is too large");
        }
    }
    if (e->nnodes == 0) {
        pj_array_shape_values(lw, e->leaf_types[0], leaves[0], shape);
        return;
    }
    int nd = pj_array_ndim(root_type(e));
    for (int d = 0; d < nd; d++) {
        shape[d] = shapes[e->nnodes - 1][d];
    }
}

static LLVMValueRef
shape_size(PjLower *lw, LLVMValueRef *shape, int nd)
{
    LLVMValueRef n = pj_i64(lw, 1);
    for (int d = 0; d < nd; d++) {
        n = LLVMBuildMul(lw->b, n, shape[d], "");
    }
    return n;
}

/* --- serial and parallel lowering --- */

static void run_parallel(PjLower *lw, Loop *L, LLVMValueRef n);

/* The n elements of the root, on threads in a parallel=True function. */
static void
run(PjLower *lw, Loop *L, LLVMValueRef n)
{
    if (L->e->parallel) {
        run_parallel(lw, L, n);
    }
    else {
        walk_elements(lw, L, pj_i64(lw, 0), n);
    }
}

static LLVMValueRef
lower_fused(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    const Expr *e = ins->plan.ptr;
    PjType *ot = ins->resty;
    LLVMValueRef shape[PJ_MAX_NDIM];
    check_shapes(lw, e, args, shape);
    /* an F result (of F leaves) is walked through the memory of each */
    Loop L = {.e = e, .leaves = args, .shape_type = ot, .shape = shape,
              .f_order = pj_array_is_f(ot)};
    L.out = pj_array_new(lw, ot, shape, false);
    run(lw, &L, pj_array_size(lw, ot, L.out));
    return L.out;
}

static const char *
empty_message(Reduce r)
{
    return r == RED_MAX
        ? "zero-size array to reduction operation maximum which has no "
          "identity"
        : "zero-size array to reduction operation minimum which has no "
          "identity";
}

static LLVMValueRef
lower_fused_reduce(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    const Expr *e = ins->plan.ptr;
    PjType *st = root_type(e);
    int nd = pj_array_ndim(st);
    LLVMValueRef shape[PJ_MAX_NDIM];
    check_shapes(lw, e, args, shape);
    LLVMValueRef n = shape_size(lw, shape, nd);
    if (e->reduce == RED_MIN || e->reduce == RED_MAX) {
        pj_lower_check(lw, LLVMBuildICmp(lw->b, LLVMIntEQ, n, pj_i64(lw, 0),
                                         ""),
                       "ValueError", empty_message(e->reduce));
    }
    PjType *at = acc_type(e);
    /* the sum of F leaves adds in the order of their memory, as NumPy's
       does: only the rounding of a float sum can tell */
    Loop L = {.e = e, .leaves = args, .shape_type = st, .shape = shape,
              .f_order = pj_array_is_f(st)};
    L.acc = pj_lower_alloca(lw, pj_lower_type(lw, at), "arrayexpr.acc");
    if (!e->parallel) {
        walk_range(lw, &L, pj_i64(lw, 0), n);
    }
    else {
        run_parallel(lw, &L, n);
    }
    LLVMValueRef r = LLVMBuildLoad2(lw->b, pj_lower_type(lw, at), L.acc, "");
    if (e->reduce == RED_MEAN) {
        PjInstr *f = (PjInstr *)&e->finish;
        LLVMValueRef a[2] = {pj_lower_convert(lw, r, at, f->argtys[0]),
                             pj_lower_convert(lw, n, pj_t.i64, f->argtys[1])};
        r = f->impl->lower(lw, f, a);
    }
    return r;
}

/* The shapes of an expression's operations written before an
   instruction that may raise, checked there (check_early). */
static LLVMValueRef
lower_shapecheck(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    LLVMValueRef shape[PJ_MAX_NDIM];
    check_shapes(lw, ins->plan.ptr, args, shape);
    return NULL;
}

static const PjImpl impl_shapecheck = {"shapecheck", lower_shapecheck,
                                       false, false};
static const PjImpl impl_fused = {"arrayexpr", lower_fused, true, true};
static const PjImpl impl_fused_reduce = {"arrayexpr", lower_fused_reduce,
                                         true, false};

/* --- the parallel loop ---

   The caller fills an environment with what the loop reads (the leaves,
   the result, its shape, whether the leaves have it) and runs a chunk
   function over the elements with pj_parallel_run; a reduction's chunk
   leaves {partial, has a value} in its slot of the partials. */

enum { ENV_PARTIALS, ENV_OUT, ENV_SHAPE };

static LLVMTypeRef
env_type(PjLower *lw, const Expr *e, LLVMTypeRef out, int nd)
{
    LLVMTypeRef f[ENV_SHAPE + PJ_MAX_NDIM + MAX_LEAVES];
    int n = 0;
    f[n++] = lw->t_ptr;
    f[n++] = out;
    for (int d = 0; d < nd; d++) {
        f[n++] = lw->t_i64;
    }
    for (int k = 0; k < e->nleaves; k++) {
        f[n++] = pj_lower_type(lw, e->leaf_types[k]);
    }
    return LLVMStructTypeInContext(lw->ctx, f, (unsigned)n, 0);
}

static LLVMTypeRef
partial_type(PjLower *lw, const Expr *e)
{
    LLVMTypeRef f[2] = {pj_lower_type(lw, acc_type(e)), lw->t_i1};
    return LLVMStructTypeInContext(lw->ctx, f, 2, 0);
}

static LLVMValueRef
field(PjLower *lw, LLVMTypeRef ety, LLVMValueRef env, int k)
{
    return LLVMBuildStructGEP2(lw->b, ety, env, (unsigned)k, "");
}

static LLVMValueRef
load_field(PjLower *lw, LLVMTypeRef ety, LLVMValueRef env, int k)
{
    LLVMTypeRef t = LLVMStructGetTypeAtIndex(ety, (unsigned)k);
    return LLVMBuildLoad2(lw->b, t, field(lw, ety, env, k), "");
}

/* The chunk's reduction of elements [lo, hi) into its partial. */
static void
chunk_partial(PjLower *lw, Loop *L, LLVMValueRef partials, LLVMValueRef k,
              LLVMValueRef count)
{
    LLVMTypeRef pty = partial_type(lw, L->e);
    LLVMValueRef mine = LLVMBuildGEP2(lw->b, pty, partials, &k, 1, "");
    LLVMValueRef acc = LLVMBuildLoad2(lw->b, LLVMStructGetTypeAtIndex(pty, 0),
                                      L->acc, "");
    LLVMBuildStore(lw->b, acc, LLVMBuildStructGEP2(lw->b, pty, mine, 0, ""));
    LLVMBuildStore(lw->b, LLVMBuildICmp(lw->b, LLVMIntSGT, count,
                                        pj_i64(lw, 0), ""),
                   LLVMBuildStructGEP2(lw->b, pty, mine, 1, ""));
}

/* The chunk function: elements [lo, hi) of the loop L describes. */
static LLVMValueRef
build_chunk(PjLower *outer, Loop *outer_loop, LLVMTypeRef ety, int nd)
{
    LLVMTypeRef p[4] = {outer->t_ptr, outer->t_i64, outer->t_i64,
                        outer->t_i64};
    PjLower sub = *outer;
    char name[256];
    snprintf(name, sizeof(name), "%s.arrayexpr%d", outer->cx->native_name,
             outer_loop->e->line);
    sub.func = LLVMAddFunction(outer->mod, name,
                               LLVMFunctionType(outer->t_i32, p, 4, 0));
    LLVMSetLinkage(sub.func, LLVMInternalLinkage);
    sub.b = LLVMCreateBuilderInContext(outer->ctx);
    sub.retptr = NULL;
    sub.error_bb = NULL;
    sub.counts_memory = false;
    sub.dib = NULL;
    sub.slots = PJ_NEW_N(outer->cx->arena, LLVMValueRef,
                         outer->fn->vars.len + 1);
    if (sub.slots == NULL) {
        LLVMDisposeBuilder(sub.b);
        return NULL;
    }
    memset(sub.slots, 0, sizeof(LLVMValueRef)
                         * (size_t)(outer->fn->vars.len + 1));
    PjLower *lw = &sub;
    LLVMPositionBuilderAtEnd(lw->b, LLVMAppendBasicBlockInContext(
        lw->ctx, lw->func, "entry"));
    LLVMValueRef env = LLVMGetParam(lw->func, 0);
    LLVMValueRef k = LLVMGetParam(lw->func, 1);
    LLVMValueRef lo = LLVMGetParam(lw->func, 2);
    LLVMValueRef hi = LLVMGetParam(lw->func, 3);
    const Expr *e = outer_loop->e;
    LLVMValueRef leaves[MAX_LEAVES], shape[PJ_MAX_NDIM];
    for (int j = 0; j < e->nleaves; j++) {
        leaves[j] = load_field(lw, ety, env, ENV_SHAPE + nd + j);
    }
    for (int d = 0; d < nd; d++) {
        shape[d] = load_field(lw, ety, env, ENV_SHAPE + d);
    }
    Loop L = *outer_loop;
    L.leaves = leaves;
    L.shape = shape;
    L.out = L.out ? load_field(lw, ety, env, ENV_OUT) : NULL;
    if (L.acc != NULL) {
        L.acc = pj_lower_alloca(lw, pj_lower_type(lw, acc_type(e)), "acc");
    }
    LLVMValueRef count = LLVMBuildSub(lw->b, hi, lo, "");
    LLVMBasicBlockRef go = LLVMAppendBasicBlockInContext(lw->ctx, lw->func,
                                                         "chunk");
    LLVMBasicBlockRef end = LLVMAppendBasicBlockInContext(lw->ctx, lw->func,
                                                          "chunk.end");
    /* an empty chunk has no first element to start a maximum from */
    LLVMBuildCondBr(lw->b, LLVMBuildICmp(lw->b, LLVMIntSGT, count,
                                         pj_i64(lw, 0), ""), go, end);
    LLVMPositionBuilderAtEnd(lw->b, go);
    walk_range(lw, &L, lo, hi);
    if (L.acc != NULL) {
        chunk_partial(lw, &L, load_field(lw, ety, env, ENV_PARTIALS), k,
                      count);
    }
    LLVMBuildBr(lw->b, end);
    LLVMPositionBuilderAtEnd(lw->b, end);
    LLVMBuildRet(lw->b, LLVMConstInt(lw->t_i32, 0, 0));
    LLVMDisposeBuilder(sub.b);
    return sub.func;
}

typedef struct Merge {
    Loop *L;
    LLVMValueRef partials;
    LLVMValueRef seen;          /* slot: some chunk had elements */
} Merge;

/* Chunk k's partial into the accumulator, in chunk order. */
static void
merge_chunk(PjLower *lw, LLVMValueRef k, void *arg)
{
    Merge *m = arg;
    const Expr *e = m->L->e;
    PjType *at = acc_type(e);
    LLVMTypeRef pty = partial_type(lw, e), lt = pj_lower_type(lw, at);
    LLVMValueRef mine = LLVMBuildGEP2(lw->b, pty, m->partials, &k, 1, "");
    LLVMValueRef x = LLVMBuildLoad2(lw->b, lt, LLVMBuildStructGEP2(
        lw->b, pty, mine, 0, ""), "");
    LLVMValueRef has = LLVMBuildLoad2(lw->b, lw->t_i1, LLVMBuildStructGEP2(
        lw->b, pty, mine, 1, ""), "");
    LLVMValueRef acc = LLVMBuildLoad2(lw->b, lt, m->L->acc, "");
    LLVMValueRef r;
    if (e->reduce == RED_MIN || e->reduce == RED_MAX) {
        LLVMValueRef seen = LLVMBuildLoad2(lw->b, lw->t_i1, m->seen, "");
        LLVMValueRef take = LLVMBuildOr(
            lw->b, LLVMBuildNot(lw->b, seen, ""),
            replaces(lw, at, acc, x, e->reduce == RED_MAX), "");
        r = LLVMBuildSelect(lw->b, LLVMBuildAnd(lw->b, has, take, ""), x, acc,
                            "");
        LLVMBuildStore(lw->b, LLVMBuildOr(lw->b, seen, has, ""), m->seen);
    }
    else {
        r = LLVMBuildSelect(lw->b, has, accumulate(lw, &e->merge, acc, at, x,
                                                   at), acc, "");
    }
    LLVMBuildStore(lw->b, r, m->L->acc);
}

/* Returns the error status when `bad`, releasing the result made for the
   loop and the partials. */
static void
fail_if(PjLower *lw, LLVMValueRef bad, Loop *L, LLVMValueRef partials)
{
    LLVMBasicBlockRef ok = pj_lower_fail_begin(lw, bad);
    if (partials != NULL) {
        pj_lower_helper(lw, "pj_parallel_free", lw->t_void, &lw->t_ptr,
                        &partials, 1);
    }
    if (L->out != NULL) {
        pj_lower_decref_value(lw, L->out, L->shape_type);
    }
    pj_lower_fail_end(lw, ok);
}

static void
run_parallel(PjLower *lw, Loop *L, LLVMValueRef n)
{
    const Expr *e = L->e;
    int nd = pj_array_ndim(L->shape_type);
    LLVMTypeRef ot = pj_lower_type(lw, L->shape_type);
    LLVMTypeRef ety = env_type(lw, e, ot, nd);
    LLVMTypeRef i64 = lw->t_i64;
    LLVMValueRef nchunks = pj_lower_helper(
        lw, "pj_parallel_element_chunks", i64, &i64, &n, 1);
    LLVMValueRef partials = LLVMConstNull(lw->t_ptr);
    if (L->acc != NULL) {
        LLVMValueRef a[2] = {nchunks, LLVMSizeOf(partial_type(lw, e))};
        LLVMTypeRef pt[2] = {i64, i64};
        partials = pj_lower_helper(lw, "pj_parallel_scratch", lw->t_ptr, pt,
                                   a, 2);
        fail_if(lw, LLVMBuildIsNull(lw->b, partials, ""), L, NULL);
    }
    LLVMValueRef env = pj_lower_alloca(lw, ety, "arrayexpr.env");
    LLVMBuildStore(lw->b, partials, field(lw, ety, env, ENV_PARTIALS));
    LLVMBuildStore(lw->b, L->out ? L->out : LLVMConstNull(ot),
                   field(lw, ety, env, ENV_OUT));
    for (int d = 0; d < nd; d++) {
        LLVMBuildStore(lw->b, L->shape[d], field(lw, ety, env, ENV_SHAPE + d));
    }
    for (int j = 0; j < e->nleaves; j++) {
        LLVMBuildStore(lw->b, L->leaves[j],
                       field(lw, ety, env, ENV_SHAPE + nd + j));
    }
    LLVMValueRef chunk = build_chunk(lw, L, ety, nd);
    LLVMValueRef a[4] = {chunk, env, n, nchunks};
    LLVMTypeRef pt[4] = {lw->t_ptr, lw->t_ptr, i64, i64};
    LLVMValueRef rc = pj_lower_helper(lw, "pj_parallel_run", lw->t_i32, pt, a,
                                      4);
    fail_if(lw, LLVMBuildICmp(lw->b, LLVMIntNE, rc, pj_i32(lw, 0), ""), L,
            L->acc != NULL ? partials : NULL);
    if (L->acc == NULL) {
        return;
    }
    Merge m = {L, partials, pj_lower_alloca(lw, lw->t_i1, "arrayexpr.seen")};
    LLVMBuildStore(lw->b, LLVMConstInt(lw->t_i1, 0, 0), m.seen);
    LLVMBuildStore(lw->b, e->reduce == RED_MIN || e->reduce == RED_MAX
                          ? LLVMGetUndef(pj_lower_type(lw, acc_type(e)))
                          : acc_identity(lw, e), L->acc);
    pj_array_for_each(lw, nchunks, merge_chunk, &m);
    pj_lower_helper(lw, "pj_parallel_free", lw->t_void, &lw->t_ptr,
                    &partials, 1);
}

/* --- printing and the report --- */

/* The name a call's callee is known by: np.sqrt is `sqrt`. */
static const char *
callee_name(PjVar *f)
{
    PjInstr *d = f->def;
    if (d != NULL && (d->op == PJ_OP_GETATTR || d->op == PJ_OP_GLOBAL)
        && d->name != NULL) {
        return d->name;
    }
    return f->name;
}

/* A leaf by its name, a constant by its value. */
static void
print_leaf(PjBuf *b, PjVar *v)
{
    PyObject *r = v->def != NULL && v->def->op == PJ_OP_CONST
                  ? PyObject_Repr(v->def->obj) : NULL;
    const char *s = r != NULL ? PyUnicode_AsUTF8(r) : NULL;
    PyErr_Clear();
    pj_buf_puts(b, s != NULL ? s : v->name);
    Py_XDECREF(r);
}

static void
print_node(PjBuf *b, const Expr *e, int j)
{
    const Node *n = &e->nodes[j];
    const PjInstr *ins = &n->ins;
    const char *opnd[2];
    PjBuf parts[2];
    for (int k = 0; k < n->nops; k++) {
        pj_buf_init(&parts[k]);
        if (n->kid[k] >= 0) {
            print_node(&parts[k], e, n->kid[k]);
        }
        else {
            print_leaf(&parts[k], e->leaves[n->leaf[k]]);
        }
        opnd[k] = parts[k].data ? parts[k].data : "";
    }
    switch (ins->op) {
    case PJ_OP_BINOP:
        pj_buf_printf(b, "(%s %s %s)", opnd[0], pj_binop_syms[ins->sub],
                      opnd[1]);
        break;
    case PJ_OP_COMPARE:
        pj_buf_printf(b, "(%s %s %s)", opnd[0], pj_cmpop_syms[ins->sub],
                      opnd[1]);
        break;
    case PJ_OP_UNARY:
        pj_buf_printf(b, "(%s%s)", ins->sub == PJ_UN_NOT ? "not " :
                      pj_unop_syms[ins->sub], opnd[0]);
        break;
    case PJ_OP_GETATTR:         /* (z * w).real */
        pj_buf_printf(b, "%s.%s", opnd[0], ins->name);
        break;
    default:
        pj_buf_printf(b, "%s(%s%s%s)", callee_name(ins->src[0]), opnd[0],
                      n->nops > 1 ? ", " : "", n->nops > 1 ? opnd[1] : "");
    }
    for (int k = 0; k < n->nops; k++) {
        pj_buf_free(&parts[k]);
    }
}

static void
print_expr(PjBuf *b, const Expr *e)
{
    if (e->reduce != RED_NONE) {
        pj_buf_printf(b, "%s(", reduce_names[e->reduce]);
    }
    if (e->nnodes > 0) {
        print_node(b, e, e->nnodes - 1);
    }
    else {
        print_leaf(b, e->leaves[0]);
    }
    if (e->reduce != RED_NONE) {
        pj_buf_puts(b, ")");
    }
}

/* arrayexpr(expr=sum(sqrt(((x * x) + (y * y)))), parallel) */
void
pj_fusion_print(PjBuf *b, PjInstr *ins)
{
    const Expr *e = ins->plan.ptr;
    pj_buf_printf(b, "%s(expr=", pj_op_names[ins->op]);
    print_expr(b, e);
    pj_buf_printf(b, ", ops=%d%s)", e->nnodes, e->parallel ? ", parallel"
                                                             : "");
}

/* --- parallel_diagnostics --- */

static void
report_leaves(PjBuf *b, const Expr *e)
{
    pj_buf_puts(b, "      reads:");
    for (int k = 0; k < e->nleaves; k++) {
        pj_buf_printf(b, "%s ", k ? "," : "");
        print_leaf(b, e->leaves[k]);
        pj_buf_printf(b, " (%s)", pj_type_str(e->leaf_types[k]));
    }
    pj_buf_printf(b, "\n      gives: %s\n", pj_type_str(e->root->resty));
}

/* The fused expressions at `level` (2: what each computes and how many
   operations it took in; 3: and what it reads). */
static void
report_exprs(PjCompile *cx, PjBuf *b, int level)
{
    int n = cx->fusion != NULL ? cx->fusion->exprs.len : 0;
    pj_buf_printf(b, "\nArray expressions fused into one loop: %d\n", n);
    for (int i = 0; i < n; i++) {
        const Expr *e = cx->fusion->exprs.items[i];
        pj_buf_printf(b, "  line %d: ", e->line);
        print_expr(b, e);
        if (e->nnodes == 0) {
            pj_buf_puts(b, "\n      the reduction of an array not C, "
                        "serial\n");
        }
        else {
            pj_buf_printf(b, "\n      %d operation%s%s, %s, no arrays in "
                          "between\n", e->nnodes, e->nnodes == 1 ? "" : "s",
                          e->reduce ? " and the reduction" : "",
                          e->parallel ? "on threads" : "serial");
        }
        if (level >= 3) {
            report_leaves(b, e);
        }
    }
}

/* The loops that run on threads: the prange loops and the array
   expressions of a parallel=True function. */
static void
report_loops(PjCompile *cx, PjBuf *b)
{
    int n = cx->fusion != NULL && cx->opts.parallel ? cx->fusion->exprs.len
                                                     : 0;
    PjBuf loops;
    pj_buf_init(&loops);
    int nprange = pj_parallel_report(cx, &loops);
    pj_buf_printf(b, "Parallel loops: %d\n", n + nprange);
    if (loops.data != NULL) {
        pj_buf_puts(b, loops.data);
    }
    pj_buf_free(&loops);
    for (int i = 0; i < n; i++) {
        const Expr *e = cx->fusion->exprs.items[i];
        pj_buf_printf(b, "  line %d: array expression%s%s\n", e->line,
                      e->reduce ? ", reduced by " : "",
                      e->reduce ? reduce_names[e->reduce] : "");
    }
    if (!cx->opts.parallel) {
        pj_buf_puts(b, "  none: the function is not parallel=True\n");
    }
}

static PyObject *
report_at(PjCompile *cx, int level)
{
    PjBuf b;
    pj_buf_init(&b);
    pj_buf_repeat(&b, '=', 80);
    pj_buf_printf(&b, "\n Parallel diagnostics: function %s, %s (%d)\n",
                  PyUnicode_AsUTF8(cx->info->qualname),
                  PyUnicode_AsUTF8(cx->info->filename),
                  cx->info->first_line);
    pj_buf_repeat(&b, '=', 80);
    pj_buf_puts(&b, "\n");
    report_loops(cx, &b);
    if (level >= 2) {
        report_exprs(cx, &b, level);
    }
    if (level >= 4) {
        pj_buf_puts(&b, "\nTyped IR after fusion:\n");
        pj_ir_print_func(&b, cx->fn, true);
    }
    return pj_buf_to_str(&b);
}

/* What dispatcher.parallel_diagnostics(level=1..4) prints for the
   function cx compiled: a tuple of the report at each level (1: the loops
   that run on threads; 2: and the expressions fused; 3: and what each
   reads; 4: and the typed IR). */
PyObject *
pj_fusion_diagnostics(PjCompile *cx)
{
    PyObject *levels = PyTuple_New(4);
    for (int level = 1; levels != NULL && level <= 4; level++) {
        PyObject *text = report_at(cx, level);
        if (text == NULL) {
            Py_CLEAR(levels);
            break;
        }
        PyTuple_SET_ITEM(levels, level - 1, text);
    }
    return levels;
}
