/*
** funcset.c - a value that is one of several jitted functions.
**
** `f = g1 if c else g2; f(x)` holds a function chosen when the code runs,
** as Numba's first-class function types do.  The variable's type is the
** set of jitted functions it may hold, FunctionSet(g1, g2) (the
** dispatcher types, ordered by typecode, so that the set is one interned
** type whatever the order they join in); its value is the index of the
** function it holds, an i32.  A call types each function of the set for
** the call's arguments, as a direct call would, and switches on the index
** to call the one held: every call is a direct call LLVM can inline, and
** nothing compiled code cannot check is left to run time.  Numba's rule
** for which functions join is kept: jitted functions taking the same
** numbers of arguments; their results for a call must be of one type, or
** the call is a typing error naming the signatures that differ.
**
** The set is a type like any other: it is passed to jitted functions
** (which specialize on it), held in tuples and lists, and returned to
** Python as the function object held.
*/
#include "pyjit.h"

#define MAX_MEMBERS 256

/* The jitted functions values of type t may be, in *members: a
   dispatcher type is one, a set is its elements.  Returns how many, or
   -1 for a type that is neither. */
static int
members_of(PjType *t, PjType **members)
{
    if (t->kind == PJ_TK_DISPATCHER) {
        members[0] = t;
        return 1;
    }
    if (t->kind == PJ_TK_FUNCSET) {
        for (int i = 0; i < t->nelems; i++) {
            members[i] = t->elems[i];
        }
        return t->nelems;
    }
    return -1;
}

/* The (fewest, most) positional arguments the jitted function of type
   t takes, or false when it cannot be said (its source unreadable). */
static bool
nargs_range(PjType *t, int *lo, int *hi)
{
    if (t->obj == NULL || t->code < 0
        || pj_dispatcher_ensure_info(t->obj) < 0) {
        PyErr_Clear();
        return false;
    }
    const PjParams *p = pj_dispatcher_params(t->obj);
    *lo = p->npos - p->ndefaults;
    *hi = p->varargs ? PJ_MAX_ARGS : p->npos;
    return true;
}

static int
by_code(const void *a, const void *b)
{
    int x = (*(PjType *const *)a)->code, y = (*(PjType *const *)b)->code;
    return (x > y) - (x < y);
}

/* The set of the jitted functions of types a and b, or NULL when they
   do not join: a function compiled code cannot hold (a compile-local
   one), or functions taking different numbers of arguments. */
PjType *
pj_funcset_unify(PjType *a, PjType *b)
{
    PjType *all[2 * MAX_MEMBERS];
    int na = members_of(a, all);
    int nb = na < 0 ? -1 : members_of(b, all + na);
    if (nb < 0) {
        return NULL;
    }
    qsort(all, (size_t)(na + nb), sizeof(PjType *), by_code);
    int n = 0, lo0 = 0, hi0 = 0;
    for (int i = 0; i < na + nb; i++) {
        int lo, hi;
        if (!nargs_range(all[i], &lo, &hi)
            || (i > 0 && (lo != lo0 || hi != hi0))) {
            return NULL;
        }
        lo0 = lo;
        hi0 = hi;
        if (n == 0 || all[n - 1] != all[i]) {
            all[n++] = all[i];
        }
    }
    if (n > MAX_MEMBERS) {
        return NULL;
    }
    return n == 1 ? all[0]
                  : pj_type_intern(PJ_TK_FUNCSET, 0, 0, all, n, NULL);
}

/* The index of the jitted function of type member in the set t. */
static int
index_in(PjType *t, PjType *member)
{
    for (int i = 0; i < t->nelems; i++) {
        if (t->elems[i] == member) {
            return i;
        }
    }
    return -1;
}

static void
print_funcset(PjBuf *b, PjType *t)
{
    pj_buf_puts(b, "FunctionSet(");
    for (int i = 0; i < t->nelems; i++) {
        PyObject *d = t->elems[i]->obj;
        pj_buf_printf(b, "%s%s", i ? ", " : "",
                      d ? PyUnicode_AsUTF8(pj_dispatcher_info(d)->qualname)
                        : "<deleted>");
    }
    pj_buf_puts(b, ")");
}

static LLVMTypeRef
funcset_llvm_type(PjLower *lw, PjType *Py_UNUSED(t))
{
    return lw->t_i32;
}

/* v (of the set `from`) mapped through table[i]: the i-th function of
   `from` is table[i] of the target (a select per function: sets are
   small). */
static LLVMValueRef
map_index(PjLower *lw, LLVMValueRef v, const int *table, int n)
{
    LLVMValueRef r = LLVMConstInt(lw->t_i32, (unsigned)table[0], 0);
    for (int i = 1; i < n; i++) {
        LLVMValueRef is = LLVMBuildICmp(lw->b, LLVMIntEQ, v,
                                        LLVMConstInt(lw->t_i32, (unsigned)i,
                                                     0), "");
        r = LLVMBuildSelect(lw->b, is, LLVMConstInt(lw->t_i32,
                                                    (unsigned)table[i], 0),
                            r, "");
    }
    return r;
}

/* A jitted function, or a smaller set, as a member of the set `to`. */
static LLVMValueRef
funcset_convert(PjLower *lw, LLVMValueRef v, PjType *from, PjType *to)
{
    PjType *members[MAX_MEMBERS];
    int n = members_of(from, members);
    if (n == 1) {
        return LLVMConstInt(lw->t_i32, (unsigned)index_in(to, members[0]),
                            0);
    }
    int table[MAX_MEMBERS];
    for (int i = 0; i < n; i++) {
        table[i] = index_in(to, members[i]);
    }
    return map_index(lw, v, table, n);
}

/* The function object held, found by its type's typecode. */
static LLVMValueRef
funcset_box(PjLower *lw, LLVMValueRef v, PjType *t)
{
    int codes[MAX_MEMBERS];
    for (int i = 0; i < t->nelems; i++) {
        codes[i] = t->elems[i]->code;
    }
    LLVMValueRef code = map_index(lw, v, codes, t->nelems);
    return pj_lower_helper(lw, "pj_rt_type_object", lw->t_ptr, &lw->t_i32,
                           &code, 1);
}

/* --- calls --- */

/* The signature of a typed call of a member, for messages:
   "g1(float64) -> float64". */
static const char *
callee_signature(PjCompile *cx, PjCallee *c)
{
    PjBuf b;
    pj_buf_init(&b);
    pj_buf_printf(&b, "%s(", PyUnicode_AsUTF8(
                      pj_dispatcher_info(c->dispatcher)->qualname));
    for (int i = 0; i < c->nargs; i++) {
        pj_buf_printf(&b, "%s%s", i ? ", " : "", pj_type_str(c->argtys[i]));
    }
    pj_buf_printf(&b, ") -> %s", pj_type_str(c->restype));
    const char *s = pj_arena_strdup(cx->arena, b.data ? b.data : "");
    pj_buf_free(&b);
    return s;
}

/* f(args...): args[0] is the index of the function held, the rest the
   arguments; ins->plan.ptr the typed callees, one per member. */
static LLVMValueRef
lower_call_member(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjCallee *const *callees = ins->plan.ptr;
    PjType *t = ins->argtys[0];
    LLVMTypeRef rty = pj_lower_type(lw, ins->resty);
    LLVMValueRef func = LLVMGetBasicBlockParent(LLVMGetInsertBlock(lw->b));
    LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(lw->ctx, func,
                                                           "called");
    LLVMBasicBlockRef other = LLVMAppendBasicBlockInContext(lw->ctx, func,
                                                            "no_member");
    LLVMValueRef sw = LLVMBuildSwitch(lw->b, args[0], other,
                                      (unsigned)t->nelems);
    LLVMValueRef results[MAX_MEMBERS];
    LLVMBasicBlockRef from[MAX_MEMBERS];
    for (int i = 0; i < t->nelems; i++) {
        LLVMBasicBlockRef bb = LLVMAppendBasicBlockInContext(lw->ctx, func,
                                                             "member");
        LLVMAddCase(sw, LLVMConstInt(lw->t_i32, (unsigned)i, 0), bb);
        LLVMPositionBuilderAtEnd(lw->b, bb);
        PjType *restype;
        LLVMValueRef r = pj_lower_call_callee(lw, callees[i], args + 1,
                                              &restype);
        if (r == NULL) {
            return NULL;
        }
        results[i] = pj_lower_convert(lw, r, restype, ins->resty);
        from[i] = LLVMGetInsertBlock(lw->b);
        LLVMBuildBr(lw->b, done);
    }
    /* an index outside the set is never made */
    LLVMPositionBuilderAtEnd(lw->b, other);
    LLVMBuildUnreachable(lw->b);
    LLVMPositionBuilderAtEnd(lw->b, done);
    LLVMValueRef phi = LLVMBuildPhi(lw->b, rty, "");
    LLVMAddIncoming(phi, results, from, (unsigned)t->nelems);
    return phi;
}

static const PjImpl impl_call_member = {"call", lower_call_member, false,
                                        true};
static const PjImpl impl_call_member_raising = {"call", lower_call_member,
                                                true, true};

/* The result type of calling every member: one type, or a typing error
   naming two signatures that differ (NULL with *failed). */
static PjType *
common_result(PjCompile *cx, PjInstr *ins, PjCallee **callees, int n,
              bool *failed)
{
    PjType *r = callees[0]->restype;
    for (int i = 1; i < n; i++) {
        if (callees[i]->restype != r) {
            *failed = true;
            pj_infer_fail(cx, ins, "the functions a first-class function "
                          "value may hold return different types for "
                          "this call: %s and %s",
                          callee_signature(cx, callees[0]),
                          callee_signature(cx, callees[i]));
            return NULL;
        }
    }
    return r;
}

static int
funcset_call(PjCompile *cx, PjInstr *ins, PjType *t, PjType **args, int n,
             PyObject *kwnames)
{
    if (kwnames != NULL) {
        cx->why = "a first-class function value takes positional arguments";
        return 1;
    }
    PjType *argtys[PJ_MAX_ARGS + 1];
    argtys[0] = t;
    for (int i = 0; i < n; i++) {
        argtys[1 + i] = pj_type_is_str(args[i]) ? pj_type_unicode() : args[i];
        if (argtys[1 + i]->code < 0) {
            cx->why = "functions, classes and modules are not arguments of "
                      "compiled calls";
            return 1;
        }
    }
    PjCallee **callees = PJ_NEW_N(cx->arena, PjCallee *, t->nelems);
    if (callees == NULL) {
        return -1;
    }
    bool raises = false;
    for (int i = 0; i < t->nelems; i++) {
        PyObject *disp = t->elems[i]->obj;
        if (disp == NULL) {
            cx->why = "a jitted function it may hold was deleted";
            return 1;
        }
        callees[i] = cx->type_callee(cx, disp, argtys + 1, n, cx->reporting);
        if (callees[i] == NULL) {
            return -1;
        }
        if (callees[i]->restype == NULL) {
            return -1;          /* a recursive call not typed yet */
        }
        if (callees[i]->depends_on < cx->depends_on) {
            cx->depends_on = callees[i]->depends_on;
        }
        raises |= callees[i]->can_raise;
    }
    bool failed = false;
    PjType *resty = common_result(cx, ins, callees, t->nelems, &failed);
    if (resty == NULL) {
        return failed ? -1 : 1;
    }
    if (pj_infer_plan_positional(cx, ins, n) == NULL) {
        return -1;
    }
    return pj_choose_plan(cx, ins, raises ? &impl_call_member_raising
                                          : &impl_call_member,
                          resty, argtys, n + 1, (PjPlan){.ptr = callees});
}

const PjKind pj_kind_funcset = {
    .name = "FunctionSet",
    .print = print_funcset,
    .unify = pj_funcset_unify,
    .type_call = funcset_call,
    .llvm_type = funcset_llvm_type,
    .lower_convert = funcset_convert,
    .box = funcset_box,
};

/* A tuple of jitted functions, (g1, g2, g3), seen as a UniTuple of the
   set of them, which a loop iterates and a variable index indexes; NULL
   for any other tuple. */
PjType *
pj_funcset_tuple(PjType *t)
{
    if (t->kind != PJ_TK_TUPLE || t->count == 0) {
        return NULL;
    }
    PjType *u = t->elems[0];
    for (int i = 1; u != NULL && i < t->count; i++) {
        PjType *e = t->elems[i];
        u = e->kind == PJ_TK_DISPATCHER || e->kind == PJ_TK_FUNCSET
            ? pj_funcset_unify(u, e) : NULL;
    }
    if (u == NULL || u->kind != PJ_TK_FUNCSET) {
        return NULL;
    }
    return pj_type_intern(PJ_TK_UNITUPLE, 0, t->count, &u, 1, NULL);
}
