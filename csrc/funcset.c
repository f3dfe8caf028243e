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
**
** A function known only by its address (a FunctionType value, a cfunc
** passed from Python: functions.c) joins such a set as one more member:
** the value then also carries that address, {index, address}, and the
** member is called through it, its arguments converted to its
** signature's.  One address per set: two FunctionTypes do not join.
*/
#include "pyjit.h"

#define MAX_MEMBERS 256

/* The jitted functions values of type t may be, in *members: a
   dispatcher type is one, a set is its elements.  Returns how many, or
   -1 for a type that is neither. */
static int
members_of(PjType *t, PjType **members)
{
    if (pj_type_is_dispatcher(t) || pj_type_is_funcptr(t)) {
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
    if (pj_type_is_funcptr(t)) {
        *lo = *hi = t->nelems - 1;
        return true;
    }
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

/* Whether t is a FunctionSet. */
bool
pj_type_is_funcset(PjType *t)
{
    return t != NULL && t->kind == PJ_TK_FUNCSET;
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
    int n = 0, lo0 = 0, hi0 = 0, pointers = 0;
    for (int i = 0; i < na + nb; i++) {
        int lo, hi;
        if (!nargs_range(all[i], &lo, &hi)
            || (i > 0 && (lo != lo0 || hi != hi0))) {
            return NULL;
        }
        pointers += pj_type_is_funcptr(all[i])
                    && (n == 0 || all[n - 1] != all[i]);
        if (pointers > 1) {
            return NULL;    /* one address per value */
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

/* The index of the member known by its address in the set t, or -1. */
static int
pointer_member(PjType *t)
{
    for (int i = 0; i < t->nelems; i++) {
        if (pj_type_is_funcptr(t->elems[i])) {
            return i;
        }
    }
    return -1;
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
        PjType *m = t->elems[i];
        pj_buf_printf(b, "%s%s", i ? ", " : "",
                      pj_type_is_funcptr(m) ? pj_type_str(m)
                      : m->obj ? PyUnicode_AsUTF8(
                                     pj_dispatcher_info(m->obj)->qualname)
                      : "<deleted>");
    }
    pj_buf_puts(b, ")");
}

/* The index, with the address of the member known by its address when
   the set has one. */
static LLVMTypeRef
funcset_llvm_type(PjLower *lw, PjType *t)
{
    LLVMTypeRef f[2] = {lw->t_i32, lw->t_ptr};
    return pointer_member(t) < 0 ? lw->t_i32
                                 : LLVMStructTypeInContext(lw->ctx, f, 2, 0);
}

/* The index and the address of v, a value of the set t (the address
   null when t has no such member). */
static LLVMValueRef
index_of(PjLower *lw, LLVMValueRef v, PjType *t, LLVMValueRef *addr)
{
    if (pointer_member(t) < 0) {
        *addr = LLVMConstNull(lw->t_ptr);
        return v;
    }
    *addr = LLVMBuildExtractValue(lw->b, v, 1, "");
    return LLVMBuildExtractValue(lw->b, v, 0, "");
}

static LLVMValueRef
make_value(PjLower *lw, PjType *t, LLVMValueRef index, LLVMValueRef addr)
{
    if (pointer_member(t) < 0) {
        return index;
    }
    LLVMValueRef r = LLVMGetUndef(funcset_llvm_type(lw, t));
    r = LLVMBuildInsertValue(lw->b, r, index, 0, "");
    return LLVMBuildInsertValue(lw->b, r, addr, 1, "");
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

/* A jitted function, a function known by its address, or a smaller set,
   as a member of the set `to`. */
static LLVMValueRef
funcset_convert(PjLower *lw, LLVMValueRef v, PjType *from, PjType *to)
{
    PjType *members[MAX_MEMBERS];
    int n = members_of(from, members);
    if (n == 1) {
        LLVMValueRef i = LLVMConstInt(lw->t_i32,
                                      (unsigned)index_in(to, members[0]), 0);
        return make_value(lw, to, i, pj_type_is_funcptr(from)
                                     ? v : LLVMConstNull(lw->t_ptr));
    }
    int table[MAX_MEMBERS];
    for (int i = 0; i < n; i++) {
        table[i] = index_in(to, members[i]);
    }
    LLVMValueRef addr;
    LLVMValueRef index = index_of(lw, v, from, &addr);
    return make_value(lw, to, map_index(lw, index, table, n), addr);
}

/* A function known only by its address has no Python object to return. */
static bool
funcset_can_box(PjType *t)
{
    return pointer_member(t) < 0;
}

/* The function object held, found by its type's typecode. */
static LLVMValueRef
funcset_box(PjLower *lw, LLVMValueRef v, PjType *t)
{
    int codes[MAX_MEMBERS];
    for (int i = 0; i < t->nelems; i++) {
        pj_lower_typecode(lw, t->elems[i]);     /* for the cache */
        codes[i] = t->elems[i]->code;
    }
    LLVMValueRef code = map_index(lw, v, codes, t->nelems);
    return pj_lower_helper(lw, "pj_rt_type_object", lw->t_ptr, &lw->t_i32,
                           &code, 1);
}

/* --- calls --- */

/* The signature of member i of the set t for a call of argument types
   args (its result `res`), for messages: "g1(float64) -> float64", or
   the FunctionType's own. */
static const char *
member_signature(PjCompile *cx, PjType *t, int i, PjType **args, int n,
                 PjType *res)
{
    PjType *m = t->elems[i];
    if (pj_type_is_funcptr(m)) {
        return pj_type_str(m);
    }
    PjBuf b;
    pj_buf_init(&b);
    pj_buf_printf(&b, "%s(", PyUnicode_AsUTF8(
                      pj_dispatcher_info(m->obj)->qualname));
    for (int k = 0; k < n; k++) {
        pj_buf_printf(&b, "%s%s", k ? ", " : "", pj_type_str(args[k]));
    }
    pj_buf_printf(&b, ") -> %s", pj_type_str(res));
    const char *s = pj_arena_strdup(cx->arena, b.data ? b.data : "");
    pj_buf_free(&b);
    return s;
}

/* The call of the member known by its address `addr` (of FunctionType
   ft), args converted from the call's types to its signature's. */
static LLVMValueRef
call_pointer(PjLower *lw, PjInstr *ins, PjType *ft, LLVMValueRef addr,
             LLVMValueRef *args)
{
    int n = ft->nelems - 1;
    LLVMTypeRef params[PJ_MAX_ARGS];
    LLVMValueRef conv[PJ_MAX_ARGS];
    for (int k = 0; k < n; k++) {
        params[k] = pj_lower_type(lw, ft->elems[1 + k]);
        conv[k] = pj_lower_convert(lw, args[k], ins->argtys[1 + k],
                                   ft->elems[1 + k]);
    }
    LLVMTypeRef fty = LLVMFunctionType(pj_lower_type(lw, ft->elems[0]),
                                       params, (unsigned)n, 0);
    return LLVMBuildCall2(lw->b, fty, addr, conv, (unsigned)n, "");
}

/* f(args...): args[0] is the value held, the rest the arguments;
   ins->plan.ptr the typed callees, one per member (NULL for the member
   known by its address). */
static LLVMValueRef
lower_call_member(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjCallee *const *callees = ins->plan.ptr;
    PjType *t = ins->argtys[0];
    LLVMValueRef addr;
    LLVMValueRef index = index_of(lw, args[0], t, &addr);
    LLVMTypeRef rty = pj_lower_type(lw, ins->resty);
    LLVMValueRef func = LLVMGetBasicBlockParent(LLVMGetInsertBlock(lw->b));
    LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(lw->ctx, func,
                                                           "called");
    LLVMBasicBlockRef other = LLVMAppendBasicBlockInContext(lw->ctx, func,
                                                            "no_member");
    LLVMValueRef sw = LLVMBuildSwitch(lw->b, index, other,
                                      (unsigned)t->nelems);
    LLVMValueRef results[MAX_MEMBERS];
    LLVMBasicBlockRef from[MAX_MEMBERS];
    for (int i = 0; i < t->nelems; i++) {
        LLVMBasicBlockRef bb = LLVMAppendBasicBlockInContext(lw->ctx, func,
                                                             "member");
        LLVMAddCase(sw, LLVMConstInt(lw->t_i32, (unsigned)i, 0), bb);
        LLVMPositionBuilderAtEnd(lw->b, bb);
        PjType *restype = pj_type_is_funcptr(t->elems[i])
                          ? t->elems[i]->elems[0] : NULL;
        LLVMValueRef r = restype != NULL
            ? call_pointer(lw, ins, t->elems[i], addr, args + 1)
            : pj_lower_call_callee(lw, callees[i], args + 1, &restype);
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

/* The result of calling member i of the set t with arguments of types
   args: types a jitted member for them (*callee), checks that they
   convert to the signature of a member known by its address.  NULL with
   cx->why when the member does not take them, or on error (-1 in *rc). */
static PjType *
member_result(PjCompile *cx, PjType *t, int i, PjType **args, int n,
              PjCallee **callee, int *rc)
{
    PjType *m = t->elems[i];
    *callee = NULL;
    *rc = 1;
    if (pj_type_is_funcptr(m)) {
        for (int k = 0; k < n; k++) {
            if (pj_type_conversion_cost(args[k], m->elems[1 + k]) < 0) {
                cx->why = pj_arena_printf(
                    cx->arena, "argument %d (%s) does not convert to the "
                    "parameter of %s", k, pj_type_str(args[k]),
                    pj_type_str(m));
                return NULL;
            }
        }
        return m->elems[0];
    }
    if (m->obj == NULL) {
        cx->why = "a jitted function it may hold was deleted";
        return NULL;
    }
    *rc = -1;
    *callee = cx->type_callee(cx, m->obj, args, n, cx->reporting);
    if (*callee == NULL || (*callee)->restype == NULL) {
        return NULL;            /* an error, or a recursion not typed yet */
    }
    if ((*callee)->depends_on < cx->depends_on) {
        cx->depends_on = (*callee)->depends_on;
    }
    return (*callee)->restype;
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
    PjType *resty = NULL;
    int first = 0;
    for (int i = 0; i < t->nelems; i++) {
        int rc;
        PjType *r = member_result(cx, t, i, argtys + 1, n, &callees[i], &rc);
        if (r == NULL) {
            return rc;
        }
        raises |= callees[i] != NULL && callees[i]->can_raise;
        if (resty != NULL && r != resty) {
            return pj_infer_fail(
                cx, ins, "the functions a first-class function value may "
                "hold return different types for this call: %s and %s",
                member_signature(cx, t, first, argtys + 1, n, resty),
                member_signature(cx, t, i, argtys + 1, n, r));
        }
        resty = r;
        first = i;
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
    .can_box = funcset_can_box,
    .box = funcset_box,
};

/* A tuple of jitted functions, (g1, g2, g3), seen as a UniTuple of the
   set of them, which a loop iterates and a variable index indexes; NULL
   for any other tuple. */
PjType *
pj_funcset_tuple(PjType *t)
{
    if (!pj_type_is_tuple(t) || pj_type_is_unituple(t) || t->count == 0) {
        return NULL;
    }
    PjType *u = t->elems[0];
    for (int i = 1; u != NULL && i < t->count; i++) {
        PjType *e = t->elems[i];
        u = pj_type_is_dispatcher(e) || e->kind == PJ_TK_FUNCSET
            || pj_type_is_funcptr(e) ? pj_funcset_unify(u, e) : NULL;
    }
    if (u == NULL || u->kind != PJ_TK_FUNCSET) {
        return NULL;
    }
    return pj_type_unituple(u, t->count);
}
