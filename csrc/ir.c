/*
** ir.c - constructors and CFG utilities for the IR (see ops.h for the
** opcodes).
**
** A function is a list of blocks; a block is a linked list of instructions
** ending in a terminator.  Variables are named: user variables keep their
** Python names, temporaries are `$<label>.<n>`, numbered from 1 in each
** block in creation order.  All of it lives in the compile's arena.
*/
#include "pyjit.h"

#include <string.h>

/* ORDER OP */
const char *const pj_op_names[] = {
#define X(N, T, F, D) T,
    PJ_OPS(X)
#undef X
};

const int pj_op_flags[] = {
#define X(N, T, F, D) F,
    PJ_OPS(X)
#undef X
};

const char *const pj_op_during[] = {
#define X(N, T, F, D) D,
    PJ_OPS(X)
#undef X
};

/* ORDER BIN */
const char *const pj_binop_syms[] = {
#define X(N, S, D) S,
    PJ_BINOPS(X)
#undef X
};

/* ORDER UN */
const char *const pj_unop_syms[] = {
#define X(N, S) S,
    PJ_UNOPS(X)
#undef X
};

/* ORDER CMP */
const char *const pj_cmpop_syms[] = {
#define X(N, S) S,
    PJ_CMPOPS(X)
#undef X
};

PjFunc *
pj_ir_new_func(PjArena *a, const char *name)
{
    PjFunc *fn = PJ_NEW(a, PjFunc);
    if (fn == NULL) {
        return NULL;
    }
    fn->arena = a;
    fn->name = pj_arena_strdup(a, name);
    pj_map_init(&fn->varmap, a);
    return fn;
}

PjBlock *
pj_ir_new_block(PjFunc *fn, PjLoc loc)
{
    PjBlock *b = PJ_NEW(fn->arena, PjBlock);
    if (b == NULL) {
        return NULL;
    }
    b->index = fn->blocks.len;
    b->label = b->index;
    b->loc = loc;
    return pj_vec_push(fn->arena, &fn->blocks, b) < 0 ? NULL : b;
}

PjBlock *
pj_ir_block(PjFunc *fn, int i)
{
    return fn->blocks.items[i];
}

PjVar *
pj_ir_var_at(PjFunc *fn, int i)
{
    return fn->vars.items[i];
}

/* uses[v->id] += how many operands of fn's instructions are v, for each
   variable v (uses: fn->vars.len counts). */
void
pj_ir_count_uses(PjFunc *fn, int *uses)
{
    for (int i = 0; i < fn->blocks.len; i++) {
        for (PjInstr *ins = pj_ir_block(fn, i)->first; ins; ins = ins->next) {
            for (int k = 0; k < ins->nsrc; k++) {
                uses[ins->src[k]->id]++;
            }
        }
    }
}

/* How many operands of fn's instructions are v. */
int
pj_ir_uses_of(PjFunc *fn, PjVar *v)
{
    int n = 0;
    for (int i = 0; i < fn->blocks.len; i++) {
        for (PjInstr *ins = pj_ir_block(fn, i)->first; ins; ins = ins->next) {
            for (int k = 0; k < ins->nsrc; k++) {
                n += ins->src[k] == v;
            }
        }
    }
    return n;
}

static PjVar *
new_var(PjFunc *fn, const char *name, bool is_temp)
{
    PjVar *v = PJ_NEW(fn->arena, PjVar);
    if (v == NULL) {
        return NULL;
    }
    v->name = name;
    v->id = fn->vars.len;
    v->is_temp = is_temp;
    if (pj_vec_push(fn->arena, &fn->vars, v) < 0
        || pj_map_put(&fn->varmap, name, v) < 0) {
        return NULL;
    }
    return v;
}

/* The user variable called `name`, created on first mention. */
PjVar *
pj_ir_var(PjFunc *fn, const char *name)
{
    PjVar *v = pj_map_get(&fn->varmap, name);
    if (v != NULL) {
        return v;
    }
    const char *copy = pj_arena_strdup(fn->arena, name);
    return copy ? new_var(fn, copy, false) : NULL;
}

/* A new web of v's name (webs.c): `name.N`, N the first number no
   variable has. */
PjVar *
pj_ir_split_var(PjFunc *fn, PjVar *v)
{
    const char *name = NULL;
    for (int n = 1; name == NULL || pj_map_get(&fn->varmap, name); n++) {
        name = pj_arena_printf(fn->arena, "%s.%d", v->name, n);
        if (name == NULL) {
            return NULL;
        }
    }
    PjVar *web = new_var(fn, name, false);
    if (web == NULL) {
        return NULL;
    }
    web->origin = v;
    return web;
}

/* The name the source gives v. */
const char *
pj_ir_source_name(PjVar *v)
{
    return v->origin != NULL ? v->origin->name : v->name;
}

PjVar *
pj_ir_new_temp(PjFunc *fn, PjBlock *b)
{
    const char *name = pj_arena_printf(fn->arena, "$%d.%d", b->label,
                                       ++b->ntemps);
    return name ? new_var(fn, name, true) : NULL;
}

/* Inserts an instruction with its operands into block b after prev, or
   first when prev is NULL (one allocation: an instruction never exists
   without its operand array). */
PjInstr *
pj_ir_insert(PjFunc *fn, PjBlock *b, PjInstr *prev, int op, PjLoc loc,
             PjVar **src, int n)
{
    PjInstr *ins = pj_arena_alloc(fn->arena, sizeof(PjInstr)
                                             + sizeof(PjVar *) * (size_t)n);
    if (ins == NULL) {
        return NULL;
    }
    ins->op = op;
    ins->loc = loc;
    ins->src = (PjVar **)(ins + 1);
    ins->nsrc = n;
    if (n > 0) {
        memcpy(ins->src, src, sizeof(PjVar *) * (size_t)n);
    }
    PjInstr **link = prev != NULL ? &prev->next : &b->first;
    ins->next = *link;
    *link = ins;
    if (b->last == prev) {
        b->last = ins;
    }
    return ins;
}

/* Appends an instruction with its operands to block b. */
PjInstr *
pj_ir_append(PjFunc *fn, PjBlock *b, int op, PjLoc loc, PjVar **src, int n)
{
    return pj_ir_insert(fn, b, b->last, op, loc, src, n);
}

void
pj_ir_set_dst(PjInstr *ins, PjVar *dst)
{
    ins->dst = dst;
    if (dst->ndefs++ == 0) {
        dst->def = ins;
        dst->loc = ins->loc;
    }
}

/* The blocks b's terminator may continue at, into out[2]; their count. */
int
pj_ir_successors(PjBlock *b, PjBlock **out)
{
    PjInstr *t = b->last;
    if (t == NULL || (t->op != PJ_OP_JUMP && t->op != PJ_OP_BRANCH)) {
        return 0;
    }
    out[0] = t->target[0];
    out[1] = t->target[1];
    return t->op == PJ_OP_JUMP ? 1 : 2;
}

/* The reachable blocks b's terminator continues at, into out[2]; their
   count. */
int
pj_ir_reachable_successors(PjBlock *b, PjBlock **out)
{
    PjBlock *succ[2];
    int n = 0, k = pj_ir_successors(b, succ);
    for (int i = 0; i < k; i++) {
        if (succ[i]->reachable) {
            out[n++] = succ[i];
        }
    }
    return n;
}

/* --- liveness: the variables each block may read before writing --- */

static unsigned char *
live_row(const PjLiveness *lv, unsigned char *m, const PjBlock *b)
{
    return m + (size_t)b->index * (size_t)lv->nvars;
}

/* Whether v may be read, before it is written, from the start of b on. */
bool
pj_ir_live_in(const PjLiveness *lv, PjBlock *b, PjVar *v)
{
    return live_row(lv, lv->live_in, b)[v->id];
}

/* The blocks control may go to from b: its terminator's, and with
   `handlers` the handler of the try around b, where a raise in the middle
   of b goes. */
static int
flow_successors(const PjLiveness *lv, PjBlock *b, PjBlock **out)
{
    int n = pj_ir_reachable_successors(b, out);
    if (lv->handlers && b->handler != NULL && b->handler->reachable) {
        out[n++] = b->handler;
    }
    return n;
}

/* Whether v may be read after b, before it is written. */
bool
pj_ir_live_out(const PjLiveness *lv, PjBlock *b, PjVar *v)
{
    PjBlock *succ[3];
    int n = flow_successors(lv, b, succ);
    for (int s = 0; s < n; s++) {
        if (pj_ir_live_in(lv, succ[s], v)) {
            return true;
        }
    }
    return false;
}

static void
use_def(PjLiveness *lv, PjBlock *b)
{
    unsigned char *use = live_row(lv, lv->use, b);
    unsigned char *def = live_row(lv, lv->def, b);
    for (PjInstr *ins = b->first; ins != NULL; ins = ins->next) {
        for (int s = 0; s < ins->nsrc; s++) {
            use[ins->src[s]->id] |= !def[ins->src[s]->id];
        }
        if (ins->dst != NULL) {
            def[ins->dst->id] = 1;
        }
    }
}

/* live_in = use, plus what is live after b and not written in b.
   Returns whether live_in grew. */
static bool
transfer(PjLiveness *lv, PjBlock *b)
{
    unsigned char *in = live_row(lv, lv->live_in, b);
    unsigned char *use = live_row(lv, lv->use, b);
    unsigned char *def = live_row(lv, lv->def, b);
    PjBlock *succ[3];
    int n = flow_successors(lv, b, succ);
    bool grew = false;
    for (int i = 0; i < lv->nvars; i++) {
        unsigned char out = 0;
        for (int s = 0; s < n; s++) {
            out |= live_row(lv, lv->live_in, succ[s])[i];
        }
        unsigned char x = use[i] | (out & !def[i]);
        grew |= x != in[i];
        in[i] = x;
    }
    return grew;
}

/* The liveness of cx's function's variables at the start of each block,
   the handlers of the try blocks counted as successors when `handlers`.
   -1: MemoryError. */
int
pj_ir_liveness(PjCompile *cx, PjLiveness *lv, bool handlers)
{
    PjFunc *fn = cx->fn;
    size_t size = (size_t)fn->blocks.len * (size_t)fn->vars.len + 1;
    lv->nvars = fn->vars.len;
    lv->handlers = handlers;
    lv->live_in = PJ_NEW_N(cx->arena, unsigned char, size);
    lv->use = PJ_NEW_N(cx->arena, unsigned char, size);
    lv->def = PJ_NEW_N(cx->arena, unsigned char, size);
    if (lv->live_in == NULL || lv->use == NULL || lv->def == NULL) {
        return -1;
    }
    for (int i = 0; i < fn->blocks.len; i++) {
        use_def(lv, pj_ir_block(fn, i));
    }
    for (bool changed = true; changed;) {
        changed = false;
        for (int i = fn->blocks.len - 1; i >= 0; i--) {
            PjBlock *b = pj_ir_block(fn, i);
            changed |= b->reachable && transfer(lv, b);
        }
    }
    return 0;
}

/* Whether every path from the entry to b passes through h (h dominates
   b): a walk from the entry that never enters h does not reach b.  1, 0,
   or -1 with MemoryError. */
int
pj_ir_dominates(PjFunc *fn, PjBlock *h, PjBlock *b)
{
    if (b == h) {
        return 1;
    }
    int n = fn->blocks.len, top = 0;
    bool *seen = PyMem_Calloc((size_t)n, sizeof(bool));
    PjBlock **stack = PyMem_Calloc((size_t)n, sizeof(PjBlock *));
    if (seen == NULL || stack == NULL) {
        PyMem_Free(seen);
        PyMem_Free(stack);
        PyErr_NoMemory();
        return -1;
    }
    PjBlock *entry = pj_ir_block(fn, 0);
    if (entry != h) {
        seen[entry->index] = true;
        stack[top++] = entry;
    }
    while (top > 0 && !seen[b->index]) {
        PjBlock *x = stack[--top], *next[3];
        int k = pj_ir_successors(x, next);
        next[k++] = x->handler;
        for (int i = 0; i < k; i++) {
            if (next[i] != NULL && next[i] != h && !seen[next[i]->index]) {
                seen[next[i]->index] = true;        /* pushed once */
                stack[top++] = next[i];
            }
        }
    }
    int dominated = !seen[b->index];
    PyMem_Free(seen);
    PyMem_Free(stack);
    return dominated;
}

static void
mark_reachable(PjBlock *b)
{
    if (b == NULL || b->reachable) {
        return;
    }
    b->reachable = true;
    mark_reachable(b->handler);
    PjBlock *succ[2];
    int n = pj_ir_successors(b, succ);
    for (int k = 0; k < n; k++) {
        mark_reachable(succ[k]);
    }
}

/* Fills predecessor lists and marks the blocks reachable from the entry.
   -1: MemoryError. */
int
pj_ir_fill_cfg(PjFunc *fn)
{
    for (int i = 0; i < fn->blocks.len; i++) {
        PjBlock *b = pj_ir_block(fn, i);
        b->reachable = false;
        b->preds.len = 0;
    }
    mark_reachable(pj_ir_block(fn, 0));
    for (int i = 0; i < fn->blocks.len; i++) {
        PjBlock *b = pj_ir_block(fn, i), *succ[2];
        int n = b->reachable ? pj_ir_successors(b, succ) : 0;
        for (int k = 0; k < n; k++) {
            RETURN_IF_ERROR(pj_vec_push(fn->arena, &succ[k]->preds, b));
        }
    }
    return 0;
}

static PyObject *const_of(PjVar *v, int depth);

/* Whether ins is a call or a tuple display with a tuple spread among its
   operands (f(*t), (x, *t)), which spread.c rewrites once t is typed:
   until then its operands are not its arguments or items one for one. */
bool
pj_ir_spreads(const PjInstr *ins)
{
    return (ins->op == PJ_OP_CALL || ins->op == PJ_OP_BUILD_TUPLE)
           && ins->obj2 != NULL;
}

/* Item i of the tuple t holds, when it is a constant: an item of a tuple
   display, or of a constant tuple. */
static PyObject *
const_item(PjVar *t, int i, int depth)
{
    while (t != NULL && t->ndefs == 1 && t->def->op == PJ_OP_COPY
           && depth++ < 32) {
        t = t->def->src[0];
    }
    if (t == NULL || t->ndefs != 1) {
        return NULL;
    }
    if (t->def->op == PJ_OP_BUILD_TUPLE) {
        if (pj_ir_spreads(t->def)) {
            return NULL;
        }
        i = i < 0 ? i + t->def->nsrc : i;
        return i >= 0 && i < t->def->nsrc ? const_of(t->def->src[i], depth)
                                          : NULL;
    }
    PyObject *c = const_of(t, depth);
    if (c == NULL || !PyTuple_CheckExact(c)) {
        return NULL;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(c), k = i < 0 ? i + n : i;
    return k >= 0 && k < n ? PyTuple_GET_ITEM(c, k) : NULL;
}

/* Whether ins calls literally() (literally, numba.literally...), which
   returns its argument. */
static bool
calls_literally(PjInstr *ins, int depth)
{
    if (ins->op != PJ_OP_CALL || ins->nsrc != 2) {
        return false;
    }
    PjVar *f = ins->src[0];
    PyObject *callee = const_of(f, depth + 1);
    const PjCallable *fn = callee ? pj_callable_of(callee) : NULL;
    return (fn != NULL && fn->id == PJ_FN_LITERALLY)
           || (f->type != NULL && pj_type_is_builtin(f->type,
                                                     PJ_FN_LITERALLY));
}

static PyObject *
const_of(PjVar *v, int depth)
{
    for (; v != NULL && v->ndefs == 1 && depth < 32; depth++) {
        PjInstr *d = v->def;
        if (d->op == PJ_OP_CONST || d->op == PJ_OP_GLOBAL) {
            return d->obj;
        }
        if (d->op == PJ_OP_STATIC_GETITEM && d->obj == NULL) {
            return const_item(d->src[0], d->sub, depth + 1);
        }
        if (d->op != PJ_OP_COPY && !calls_literally(d, depth)) {
            return NULL;
        }
        v = d->op == PJ_OP_COPY ? d->src[0] : d->src[1];
    }
    return NULL;
}

/* The constant a variable always holds, following copies and constant
   items of tuples (`names = ('a', 'b'); n = names[0]`), or NULL. */
PyObject *
pj_ir_const_of(PjVar *v)
{
    return const_of(v, 0);
}
