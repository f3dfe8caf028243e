/*
** set.c - sets in compiled code: set(K), reflected set(K), and the
** iterator over a set.
**
** A set is the run-time table of hashtable.c with entries {hash, key}, in
** insertion order; tables.c builds what compiled code does with it over
** the key kind's lower_hash and lower_eq.  `{}`-less displays {a, b} are
** set() filled by add(), and set() takes its item type from what is added
** to it later (pj_infer_refine), as an empty dict does.
**
** A Python set argument is a reflected set, as in Numba: the wrapper
** copies its items into a table, and after the call writes the table's
** items back into the Python set, so that what the function changed is
** seen by the caller.  A set returned to Python is a new Python set.
**
** A pyjit.typed.Set (pyjit/_typed_set.py), Numba's numba.typed.Set, is
** the table itself held by a Python object: it crosses both ways as the
** same table, copying nothing, as pyjit.typed.Dict does (dict.c).
*/
#include "pyjit.h"

#include <string.h>

/* A set's ident: how it crosses to Python. */
enum { SET_PLAIN = 0, SET_REFLECTED = 1, SET_TYPED = 2 };

/* Whether s is a set that is not a typed Set, whose unboxed value is a
   table of its own built from the Python set's items. */
bool
pj_set_is_reflected(PjType *s)
{
    return s->kind == PJ_TK_SET && s->ident != SET_TYPED;
}

static PjType *
set_type(PjType *item, int how)
{
    return pj_type_intern(PJ_TK_SET, 0, how, item ? &item : NULL,
                          item ? 1 : 0, NULL);
}

/* A set made from s (s | t, s.copy()) crosses to Python as s does when
   s is a typed Set, and as a new Python set otherwise. */
static int
made_from(PjType *s)
{
    return s->ident == SET_TYPED ? SET_TYPED : SET_PLAIN;
}

static bool
known(PjType *s)
{
    return s->nelems == 1;
}

static PjType *
item_of(PjType *s)
{
    return s->elems[0];
}

static bool
fits(PjType *t, PjType *to)
{
    return pj_type_unify(to, t) == to;
}

static void
print_set(PjBuf *b, PjType *t)
{
    const char *item = known(t) ? pj_type_str(item_of(t)) : "undefined";
    if (t->ident == SET_TYPED) {
        pj_buf_printf(b, "SetType[%s]<iv=None>", item);
        return;
    }
    pj_buf_printf(b, "%sset(%s)", t->ident == SET_REFLECTED ? "reflected "
                                                             : "", item);
}

/* An empty set() is any set until added to; a variable holding a typed
   Set or a set of the same items holds a typed Set (the same table). */
static PjType *
unify_sets(PjType *a, PjType *b)
{
    if ((a->ident == SET_TYPED) != (b->ident == SET_TYPED)
        && a->ident != SET_REFLECTED && b->ident != SET_REFLECTED) {
        PjType *k = known(a) ? a : b;
        if (known(a) && known(b) && item_of(a) != item_of(b)) {
            return NULL;
        }
        return set_type(known(k) ? item_of(k) : NULL, SET_TYPED);
    }
    return a == b || !known(b) ? a : !known(a) ? b : NULL;
}

static LLVMTypeRef
set_llvm_type(PjLower *lw, PjType *Py_UNUSED(t))
{
    return lw->t_ptr;
}

/* --- building blocks --- */

/* Adds item (of the set's item type) to the table mi. */
static void
add_item(PjLower *lw, PjType *s, LLVMValueRef mi, LLVMValueRef item)
{
    PjTableKey k = pj_table_key(lw, s, item);
    pj_table_insert(lw, s, mi, &k);
}

static LLVMValueRef
contains(PjLower *lw, PjType *s, LLVMValueRef mi, LLVMValueRef item)
{
    PjTableKey k = pj_table_key(lw, s, item);
    return LLVMBuildIsNotNull(lw->b, pj_table_find(lw, mi, &k), "");
}

/* Removes item when present; whether it was. */
static LLVMValueRef
discard(PjLower *lw, PjType *s, LLVMValueRef mi, PjTableKey *k)
{
    LLVMValueRef out;
    LLVMValueRef found = pj_table_remove(lw, s, mi, k, &out);
    LLVMBasicBlockRef done = pj_table_begin_if(lw, found);
    pj_table_release_field(lw, s, out, 1);
    pj_table_end_if(lw, done);
    return found;
}

static void
add_one(PjLower *lw, PjType *s, LLVMValueRef mi,
        LLVMValueRef Py_UNUSED(other), LLVMValueRef item)
{
    add_item(lw, s, mi, item);
}

/* Raises MemoryError when a settable.c helper returned -1. */
static void
check_status(PjLower *lw, LLVMValueRef rc)
{
    pj_lower_raise_if(lw, LLVMBuildICmp(lw->b, LLVMIntSLT, rc, pj_i32(lw, 0),
                                        ""),
                      "pj_rt_raise_dict_memory", NULL, NULL, 0);
}

/* A settable.c helper of two sets and their items' equality, returning
   a new set (checked for NULL) or a status (checked for -1). */
static LLVMValueRef
call_two(PjLower *lw, const char *name, PjType *s, LLVMValueRef a,
         LLVMValueRef b, bool makes_set)
{
    LLVMTypeRef p[3] = {lw->t_ptr, lw->t_ptr, lw->t_ptr};
    LLVMValueRef args[3] = {a, b, pj_hash_eq_function(lw, item_of(s))};
    LLVMValueRef r = pj_lower_helper(lw, name, makes_set ? lw->t_ptr
                                                         : lw->t_i32,
                                     p, args, 3);
    if (makes_set) {
        pj_table_check_memory(lw, r);
    }
    else {
        check_status(lw, r);
    }
    return r;
}

typedef void (*ItemFn)(PjLower *lw, PjType *s, LLVMValueRef mi,
                       LLVMValueRef other, LLVMValueRef item);

/* Calls fn(mi, other, item) on every item an iterable v of type t
   yields, converted to the set's item type. */
static void
each_item(PjLower *lw, PjType *s, LLVMValueRef mi, LLVMValueRef other,
          LLVMValueRef v, PjType *t, ItemFn fn)
{
    PjType *it = pj_type_iter_of(t);
    LLVMValueRef state = pj_lower_alloca(lw, pj_lower_type(lw, it), "iter");
    LLVMBuildStore(lw->b, pj_lower_getiter(lw, v, t, it), state);
    LLVMBasicBlockRef head = LLVMAppendBasicBlockInContext(lw->ctx, lw->func,
                                                           "set.each");
    LLVMBasicBlockRef body = LLVMAppendBasicBlockInContext(lw->ctx, lw->func,
                                                           "set.each.body");
    LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(lw->ctx, lw->func,
                                                           "set.each.done");
    LLVMBuildBr(lw->b, head);
    LLVMPositionBuilderAtEnd(lw->b, head);
    LLVMValueRef ok;
    LLVMValueRef item = pj_lower_iternext(lw, it, state, &ok);
    LLVMBuildCondBr(lw->b, ok, body, done);
    LLVMPositionBuilderAtEnd(lw->b, body);
    fn(lw, s, mi, other, pj_lower_convert(lw, item, it->item, item_of(s)));
    LLVMBuildBr(lw->b, head);
    LLVMPositionBuilderAtEnd(lw->b, done);
}

/* Adds every item an iterable of type t yields to the table mi: a set's
   table is merged, room is made for a dict's keys first, as CPython's
   set_update_internal does. */
static void
add_all(PjLower *lw, PjType *s, LLVMValueRef mi, LLVMValueRef v, PjType *t)
{
    if (t->kind == PJ_TK_SET) {
        call_two(lw, "pj_rt_set_update", s, mi, v, false);
        return;
    }
    if (pj_type_is_dict(t)) {
        LLVMTypeRef p[2] = {lw->t_ptr, lw->t_i64};
        LLVMValueRef a[2] = {mi, pj_table_len(lw, v)};
        check_status(lw, pj_lower_helper(lw, "pj_rt_set_reserve", lw->t_i32,
                                         p, a, 2));
    }
    each_item(lw, s, mi, NULL, v, t, add_one);
}

/* The items of an iterable v of type t that the set other holds, added
   to mi: CPython's set_intersection for an iterable. */
static void
add_if_in(PjLower *lw, PjType *s, LLVMValueRef mi, LLVMValueRef other,
          LLVMValueRef item)
{
    LLVMBasicBlockRef done = pj_table_begin_if(lw, contains(lw, s, other,
                                                             item));
    add_item(lw, s, mi, item);
    pj_table_end_if(lw, done);
}

static void
discard_one(PjLower *lw, PjType *s, LLVMValueRef mi,
            LLVMValueRef Py_UNUSED(other), LLVMValueRef item)
{
    PjTableKey k = pj_table_key(lw, s, item);
    discard(lw, s, mi, &k);
}

/* --- making sets --- */

static LLVMValueRef
lower_new(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *s = ins->dst ? ins->dst->type : ins->resty;
    LLVMValueRef mi = pj_table_new(lw, s);
    if (ins->argtys != NULL && ins->argtys[0] != NULL) {
        add_all(lw, s, mi, args[0], ins->argtys[0]);
    }
    return mi;
}

static const PjImpl impl_new = {"set", lower_new, true, true};

/* The item type of what set(x) iterates over, or NULL. */
static PjType *
iterable_item(PjType *t)
{
    PjType *it = pj_type_iter_of(t);
    return it != NULL && it->item != NULL && pj_type_is_hashable(it->item)
           ? it->item : NULL;
}

/* set() and set(iterable); the empty one's item type comes from its use,
   and a set whose item type nothing tells is an error. */
int
pj_type_set_call(PjCompile *cx, PjInstr *ins,
                 const PjCallable *Py_UNUSED(fn), PjType **args, int n)
{
    if (n == 1) {
        PjType *item = iterable_item(args[0]);
        if (item == NULL) {
            cx->why = "set() takes an iterable of hashable items";
            return 1;
        }
        cx->can_raise = true;
        return pj_choose(cx, ins, &impl_new, set_type(item, SET_PLAIN), args,
                         1);
    }
    if (n != 0) {
        return 1;
    }
    if (cx->reporting && ins->dst != NULL && !known(ins->dst->type)) {
        return pj_infer_fail(cx, ins, "cannot infer the item type of this "
                             "empty set: add to it in this function "
                             "(s.add(x))");
    }
    PjType *none[1] = {NULL};
    return pj_choose(cx, ins, &impl_new, set_type(NULL, SET_PLAIN), none, 1);
}

/* --- methods --- */

static LLVMValueRef
lower_add(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    add_item(lw, ins->argtys[0], args[0], args[1]);
    return pj_lower_none(lw);
}

static LLVMValueRef
lower_discard(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *s = ins->argtys[0];
    PjTableKey k = pj_table_key(lw, s, args[1]);
    LLVMValueRef found = discard(lw, s, args[0], &k);
    if (ins->plan.n) {                  /* remove(): KeyError(item) */
        pj_table_check_key(lw, s, LLVMBuildNot(lw->b, found, ""), &k);
    }
    return pj_lower_none(lw);
}

/* s.pop(): the first item from the set's finger on, as CPython's, its
   references moving to the result. */
static LLVMValueRef
lower_pop(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *s = ins->argtys[0];
    LLVMValueRef out = pj_table_pop_last(lw, s, args[0],
                                         "pop from an empty set");
    return pj_table_load(lw, s, out, 1);
}

static LLVMValueRef
lower_update(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    add_all(lw, ins->argtys[0], args[0], args[1], ins->argtys[1]);
    return pj_lower_none(lw);
}

static LLVMValueRef
lower_copy(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *s = ins->argtys[0];
    LLVMValueRef a[2] = {args[0], pj_hash_eq_function(lw, item_of(s))};
    LLVMTypeRef p[2] = {lw->t_ptr, lw->t_ptr};
    LLVMValueRef c = pj_lower_helper(lw, "pj_rt_set_copy", lw->t_ptr, p, a, 2);
    pj_table_check_memory(lw, c);
    return c;
}

static LLVMValueRef
lower_clear(PjLower *lw, PjInstr *Py_UNUSED(ins), LLVMValueRef *args)
{
    pj_lower_helper(lw, "pj_rt_set_clear", lw->t_void, &lw->t_ptr, args, 1);
    return pj_lower_none(lw);
}

static const PjImpl impl_add = {"set.add", lower_add, true, false};
static const PjImpl impl_discard = {"set.discard", lower_discard, true,
                                    false};
static const PjImpl impl_pop = {"set.pop", lower_pop, true, true};
static const PjImpl impl_update = {"set.update", lower_update, true, false};
static const PjImpl impl_copy = {"set.copy", lower_copy, true, true};
static const PjImpl impl_clear = {"set.clear", lower_clear, false, false};

/* s.union(t) and the other methods that take another set do what the
   operators do (settable.c), the operator's helper chosen by the plan's
   index into these; with another iterable, intersection_update and
   difference_update do as CPython's do with one. */
static const char *const set_methods[] = {
    "union", "intersection", "difference", "symmetric_difference",
    "update", "intersection_update", "difference_update",
    "symmetric_difference_update",
};
static const char *const set_method_helpers[] = {
    "pj_rt_set_or", "pj_rt_set_and", "pj_rt_set_sub", "pj_rt_set_xor",
    "pj_rt_set_update", "pj_rt_set_iand", "pj_rt_set_isub", "pj_rt_set_ixor",
};
enum { FIRST_IN_PLACE = 4, UPDATE = 4 };

static int
set_method_index(const char *name)
{
    for (int i = 0; i < (int)(sizeof(set_methods) / sizeof(*set_methods));
         i++) {
        if (strcmp(set_methods[i], name) == 0) {
            return i;
        }
    }
    return -1;
}

static LLVMValueRef
lower_with_set(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    int k = (int)ins->plan.n;
    LLVMValueRef r = call_two(lw, set_method_helpers[k], ins->argtys[0],
                              args[0], args[1], k < FIRST_IN_PLACE);
    return k < FIRST_IN_PLACE ? r : pj_lower_none(lw);
}

/* The methods of set_methods with another iterable it, placing the
   items as CPython's do: union a copy it is added to, intersection a new
   set of it's items s holds (whose table intersection_update swaps into
   s), difference a copy it's items are discarded from (then the dummies
   resized away when they are many, as difference_update does), the
   symmetric ones a set of it's items xor-ed with s, or into s. */
static LLVMValueRef
lower_with_iterable(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *s = ins->argtys[0], *t = ins->argtys[1];
    int k = (int)ins->plan.n;
    bool in_place = k >= FIRST_IN_PLACE;
    int op = in_place ? k - FIRST_IN_PLACE : k;
    bool in_s = in_place && op == 2;            /* difference_update */
    LLVMValueRef r = in_s ? args[0]
                     : op == 0 || op == 2 ? lower_copy(lw, ins, args)
                     : pj_table_new(lw, s);
    LLVMValueRef target = r;
    if (op == 0 || op == 3) {
        add_all(lw, s, r, args[1], t);
    }
    else {
        each_item(lw, s, target, args[0], args[1], t,
                  op == 1 ? add_if_in : discard_one);
    }
    if (op == 2) {
        check_status(lw, pj_lower_helper(lw, "pj_rt_set_shrink", lw->t_i32,
                                         &lw->t_ptr, &target, 1));
    }
    if (op == 3) {
        LLVMValueRef x[2] = {in_place ? args[0] : r, in_place ? r : args[0]};
        call_two(lw, "pj_rt_set_ixor", s, x[0], x[1], false);
    }
    if (!in_place) {
        return r;
    }
    LLVMTypeRef p[2] = {lw->t_ptr, lw->t_ptr};
    LLVMValueRef a[2] = {args[0], r};
    if (op == 1) {
        pj_lower_helper(lw, "pj_rt_set_become", lw->t_void, p, a, 2);
    }
    else if (!in_s) {
        pj_lower_decref(lw, r);
    }
    return pj_lower_none(lw);
}

static const PjImpl impl_with_set = {"set method", lower_with_set, true,
                                     true};
static const PjImpl impl_with_set_in_place = {"set method", lower_with_set,
                                              true, false};
static const PjImpl impl_with_iterable = {"set method", lower_with_iterable,
                                          true, true};
static const PjImpl impl_with_iterable_in_place = {"set method",
                                                   lower_with_iterable, true,
                                                   false};

static int choose_method(PjCompile *cx, PjInstr *ins, const PjImpl *impl,
                         PjType *res, PjType *s, PjType *arg, intptr_t plan);

/* A method of set_methods called with a set of the same items, or an
   in-place one of them with another iterable; 1 when it is neither. */
static int
with_other(PjCompile *cx, PjInstr *ins, PjType *s, const char *name,
           PjType *other)
{
    int k = set_method_index(name);
    if (k < 0) {
        return 1;
    }
    if (other->kind == PJ_TK_SET && known(other)
        && item_of(other) == item_of(s)) {
        return k < FIRST_IN_PLACE
            ? choose_method(cx, ins, &impl_with_set,
                            set_type(item_of(s), made_from(s)), s, other, k)
            : choose_method(cx, ins, &impl_with_set_in_place, pj_t.none, s,
                            other, k);
    }
    PjType *item = iterable_item(other);
    if (k == UPDATE || item == NULL || !fits(item, item_of(s))) {
        return 1;
    }
    return k < FIRST_IN_PLACE
        ? choose_method(cx, ins, &impl_with_iterable,
                        set_type(item_of(s), made_from(s)), s, other, k)
        : choose_method(cx, ins, &impl_with_iterable_in_place, pj_t.none, s,
                        other, k);
}

static const char *const method_names[] = {
    "add", "discard", "remove", "pop", "clear", "update", "copy",
};

static bool
is_method(const char *name)
{
    for (size_t i = 0; i < sizeof(method_names) / sizeof(*method_names);
         i++) {
        if (strcmp(method_names[i], name) == 0) {
            return true;
        }
    }
    return false;
}

/* --- what pyjit/_sets.py implements --- */

static PyObject *library;       /* name -> dispatcher, loaded on first use */

/* The dispatcher `name` of pyjit/_sets.py's table (borrowed), or NULL
   with an exception: dict.c's equality is there too. */
PyObject *
pj_sets_library(const char *name)
{
    return pj_library_named(&library, "pyjit._sets", name);
}

/* The dispatcher implementing set.name(), or NULL (borrowed). */
PyObject *
pj_set_method(const char *name)
{
    return pj_library_prefixed(&library, "pyjit._sets", "set", name);
}

static PyObject *
set_library_method(PjType *Py_UNUSED(t), const char *name,
                   bool Py_UNUSED(parallel))
{
    return pj_set_method(name);
}

static int
set_getattr(PjCompile *cx, PjInstr *ins, PjType *s)
{
    if (!is_method(ins->name) && set_method_index(ins->name) < 0
        && pj_set_method(ins->name) == NULL) {
        return 1;
    }
    PjType *b = pj_type_bound(cx->arena, s, ins->name);
    return b ? pj_choose(cx, ins, &pj_impl_self, b, &s, 1) : -1;
}

/* s.add(x) on an empty set() gives it x's type (a string's for a string
   constant: {'a', 'b'}), and the set's type goes back to the variables it
   was copied from. */
static PjType *
refine_by_add(PjCompile *cx, PjInstr *ins, PjType *s, PjType *item)
{
    item = pj_type_str_value(item);
    PjInstr *lookup = ins->src[0]->def;
    if (lookup == NULL || lookup->op != PJ_OP_GETATTR) {
        return s;
    }
    if (known(s) || !pj_type_is_hashable(item)) {
        if (known(s)) {
            pj_infer_refine(cx, lookup->src[0], s);   /* its sources too */
        }
        return s;
    }
    PjType *r = set_type(item, made_from(s));
    pj_infer_refine(cx, lookup->src[0], r);
    ins->src[0]->type = pj_type_bound(cx->arena, r, "add");
    cx->refined = true;
    return r;
}

static int
choose_method(PjCompile *cx, PjInstr *ins, const PjImpl *impl, PjType *res,
              PjType *s, PjType *arg, intptr_t plan)
{
    PjType *argtys[2] = {s, arg};
    cx->can_raise |= impl->can_raise;
    return pj_choose_plan(cx, ins, impl, res, argtys, arg ? 2 : 1,
                          (PjPlan){.n = plan});
}

static int
set_method(PjCompile *cx, PjInstr *ins, PjType *s, const char *name,
           PjType **args, int n)
{
    if (strcmp(name, "add") == 0 && n == 1) {
        s = refine_by_add(cx, ins, s, args[0]);
    }
    if (!known(s)) {
        cx->why = "the set's item type is not known here";
        return 1;
    }
    bool one = n == 1;
    int r = one ? with_other(cx, ins, s, name, args[0]) : 1;
    if (r != 1) {
        return r;
    }
    if (one && (name[0] == 'a' || name[0] == 'd' || name[0] == 'r')) {
        if (!fits(args[0], item_of(s))) {
            return 1;
        }
        return name[0] == 'a'
            ? choose_method(cx, ins, &impl_add, pj_t.none, s, item_of(s), 0)
            : choose_method(cx, ins, &impl_discard, pj_t.none, s,
                            item_of(s), name[0] == 'r');
    }
    if (one && strcmp(name, "update") == 0) {
        PjType *item = iterable_item(args[0]);
        return item && fits(item, item_of(s))
            ? choose_method(cx, ins, &impl_update, pj_t.none, s, args[0], 0)
            : 1;
    }
    if (n != 0) {
        return 1;
    }
    if (strcmp(name, "pop") == 0) {
        return choose_method(cx, ins, &impl_pop, item_of(s), s, NULL, 0);
    }
    if (strcmp(name, "clear") == 0) {
        return choose_method(cx, ins, &impl_clear, pj_t.none, s, NULL, 0);
    }
    return strcmp(name, "copy") == 0
        ? choose_method(cx, ins, &impl_copy, set_type(item_of(s), made_from(s)),
                        s, NULL, 0)
        : 1;
}

/* --- operators --- */

/* The operator's result, made as CPython makes it (settable.c): a new
   set, or for an in-place one the left operand changed. */
static LLVMValueRef
lower_setop(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    static const char *const made[] = {"pj_rt_set_or", "pj_rt_set_and",
                                       "pj_rt_set_sub", "pj_rt_set_xor"};
    static const char *const in_place[] = {"pj_rt_set_update",
                                           "pj_rt_set_iand",
                                           "pj_rt_set_isub",
                                           "pj_rt_set_ixor"};
    PjType *s = ins->argtys[0];
    int k = ins->sub == PJ_BIN_OR ? 0 : ins->sub == PJ_BIN_AND ? 1
            : ins->sub == PJ_BIN_SUB ? 2 : 3;
    if (ins->op == PJ_OP_INPLACE) {
        call_two(lw, in_place[k], s, args[0], args[1], false);
        return args[0];
    }
    return call_two(lw, made[k], s, args[0], args[1], true);
}

/* a <= b: every item of a is in b; counted by walking a into nothing. */
typedef struct {
    PjType *s;
    LLVMValueRef other, missing;
} Subset;

static void
subset_one(PjLower *lw, LLVMValueRef e, void *ctx)
{
    Subset *w = ctx;
    LLVMValueRef in = contains(lw, w->s, w->other,
                               pj_table_load(lw, w->s, e, 1));
    LLVMBasicBlockRef done = pj_table_begin_if(lw, LLVMBuildNot(lw->b, in,
                                                                ""));
    LLVMBuildStore(lw->b, LLVMConstInt(lw->t_i1, 1, 0), w->missing);
    pj_table_end_if(lw, done);
}

static LLVMValueRef
is_subset(PjLower *lw, PjType *s, LLVMValueRef a, LLVMValueRef b)
{
    Subset w = {s, b, pj_lower_alloca(lw, lw->t_i1, "missing")};
    LLVMBuildStore(lw->b, LLVMConstInt(lw->t_i1, 0, 0), w.missing);
    pj_table_each(lw, a, subset_one, &w);
    return LLVMBuildNot(lw->b, LLVMBuildLoad2(lw->b, lw->t_i1, w.missing, ""),
                        "");
}

static LLVMValueRef
lower_compare(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *s = ins->argtys[0];
    int op = ins->sub;
    bool swap = op == PJ_CMP_GE || op == PJ_CMP_GT;
    LLVMValueRef a = swap ? args[1] : args[0], b = swap ? args[0] : args[1];
    LLVMValueRef na = pj_table_len(lw, a), nb = pj_table_len(lw, b);
    LLVMValueRef sub = is_subset(lw, s, a, b);
    switch (op) {
    case PJ_CMP_EQ:
    case PJ_CMP_NE: {
        LLVMValueRef eq = LLVMBuildAnd(
            lw->b, sub, LLVMBuildICmp(lw->b, LLVMIntEQ, na, nb, ""), "");
        return op == PJ_CMP_EQ ? eq : LLVMBuildNot(lw->b, eq, "");
    }
    case PJ_CMP_LT:
    case PJ_CMP_GT:
        return LLVMBuildAnd(lw->b, sub,
                            LLVMBuildICmp(lw->b, LLVMIntSLT, na, nb, ""), "");
    default:
        return sub;
    }
}

static LLVMValueRef
lower_contains(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    LLVMValueRef in = contains(lw, ins->argtys[1], args[1], args[0]);
    return ins->sub == PJ_CMP_IN ? in : LLVMBuildNot(lw->b, in, "");
}

static const PjImpl impl_setop = {"set operator", lower_setop, true, true};
static const PjImpl impl_setop_inplace = {"set operator", lower_setop, true,
                                          false};
static const PjImpl impl_compare = {"set comparison", lower_compare, false,
                                    false};
static const PjImpl impl_contains = {"in", lower_contains, false, false};

static bool
is_set(PjType *t)
{
    return t != NULL && t->kind == PJ_TK_SET && known(t);
}

static int
set_binop(PjCompile *cx, PjInstr *ins, PjType *a, PjType *b)
{
    int op = ins->sub;
    if (!is_set(a) || !is_set(b) || item_of(a) != item_of(b)
        || (op != PJ_BIN_OR && op != PJ_BIN_AND && op != PJ_BIN_SUB
            && op != PJ_BIN_XOR)) {
        return 1;
    }
    cx->can_raise = true;               /* MemoryError */
    if (ins->op == PJ_OP_INPLACE) {
        return pj_choose2(cx, ins, &impl_setop_inplace, a, a, b);
    }
    return pj_choose2(cx, ins, &impl_setop, set_type(item_of(a), made_from(a)),
                      a, b);
}

static int
set_operator(PjCompile *cx, PjInstr *ins, PjType *a, PjType *b)
{
    if (ins->op == PJ_OP_BINOP || ins->op == PJ_OP_INPLACE) {
        return set_binop(cx, ins, a, b);
    }
    if (ins->op != PJ_OP_COMPARE || b == NULL) {
        return 1;
    }
    int op = ins->sub;
    if (op == PJ_CMP_IN || op == PJ_CMP_NOTIN) {
        return is_set(b) && fits(a, item_of(b))
            ? pj_choose2(cx, ins, &impl_contains, pj_t.boolean, item_of(b),
                         b)
            : 1;
    }
    if (!is_set(a) || !is_set(b) || item_of(a) != item_of(b)
        || op == PJ_CMP_IS || op == PJ_CMP_ISNOT) {
        return 1;
    }
    return pj_choose2(cx, ins, &impl_compare, pj_t.boolean, a, b);
}

/* --- len, truth, iteration --- */

static int
set_len(PjCompile *cx, PjInstr *ins, PjType *s)
{
    return known(s) ? pj_choose(cx, ins, &pj_table_impl_len, pj_t.i64, &s, 1)
                    : 1;
}

static PjType *
set_iter_type(PjType *s)
{
    return known(s) ? pj_type_intern(PJ_TK_SET_ITER, 0, 0, &s, 1, item_of(s))
                    : NULL;
}

static LLVMValueRef
set_item(PjLower *lw, PjType *it, LLVMValueRef e)
{
    return pj_table_load(lw, it->elems[0], e, 1);
}

static LLVMValueRef
set_iternext(PjLower *lw, PjType *it, LLVMValueRef state, LLVMValueRef *ok)
{
    return pj_table_iternext(lw, it, state, ok, set_item,
                             "Set changed size during iteration");
}

/* --- memory and the boundary with Python --- */

static bool
set_can_box(PjType *s)
{
    return known(s) && pj_type_can_box(item_of(s));
}

/* A new Python set of the items; the value's reference is released. */
static LLVMValueRef
set_box(PjLower *lw, LLVMValueRef v, PjType *s)
{
    LLVMTypeRef p[2] = {lw->t_ptr, lw->t_ptr};
    if (s->ident == SET_TYPED) {
        LLVMTypeRef tp[2] = {lw->t_ptr, lw->t_i32};
        LLVMValueRef ta[2] = {v, pj_lower_typecode(lw, s)};
        return pj_lower_helper(lw, "pj_rt_box_typed_set", lw->t_ptr, tp, ta,
                               2);
    }
    LLVMValueRef a[2] = {v, pj_hash_box_function(lw, item_of(s))};
    return pj_lower_helper(lw, "pj_rt_set_box", lw->t_ptr, p, a, 2);
}

/* print(s) of a set whose items box. */
/* Whether t is a set type. */
bool
pj_type_is_set(PjType *t)
{
    return t != NULL && t->kind == PJ_TK_SET;
}

bool
pj_type_is_printable_set(PjType *t)
{
    return t->kind == PJ_TK_SET && set_can_box(t);
}

void
pj_lower_print_set(PjLower *lw, LLVMValueRef v, PjType *s, int flags)
{
    LLVMTypeRef p[3] = {lw->t_ptr, lw->t_ptr, lw->t_i32};
    LLVMValueRef a[3] = {v, pj_hash_box_function(lw, item_of(s)),
                         pj_i32(lw, flags)};
    pj_lower_helper(lw, "pj_rt_set_print", lw->t_void, p, a, 3);
}

static LLVMValueRef fill_from_python(PjLower *lw, LLVMValueRef obj,
                                     PjType *s);

/* A table of the Python set's items, unboxed by the item kind; the
   wrapper owns it, and releases it after writing it back (set_reflect).
   Running out of memory makes the wrapper return NULL with MemoryError:
   the table helpers' failures go to a block of the wrapper's own. */
static LLVMValueRef
set_unbox(PjLower *lw, LLVMValueRef obj, PjType *s)
{
    if (s->ident == SET_TYPED) {          /* borrowed from the Set */
        return pj_lower_helper(lw, "pj_rt_unbox_typed", lw->t_ptr,
                               &lw->t_ptr, &obj, 1);
    }
    LLVMBasicBlockRef error_bb = lw->error_bb;
    LLVMBasicBlockRef here = LLVMGetInsertBlock(lw->b);
    bool counts = lw->counts_memory;
    lw->error_bb = LLVMAppendBasicBlockInContext(lw->ctx, lw->func,
                                                 "unbox.fail");
    lw->counts_memory = true;
    LLVMPositionBuilderAtEnd(lw->b, lw->error_bb);
    LLVMBuildRet(lw->b, LLVMConstNull(lw->t_ptr));
    LLVMPositionBuilderAtEnd(lw->b, here);
    LLVMValueRef mi = fill_from_python(lw, obj, s);
    lw->error_bb = error_bb;
    lw->counts_memory = counts;
    return mi;
}

/* Stores the unboxed item in the slot e, taking its references. */
static void
store_item(PjLower *lw, PjType *s, LLVMValueRef e, LLVMValueRef obj_k)
{
    LLVMValueRef v = pj_kind(item_of(s))->unbox(lw, obj_k, item_of(s));
    LLVMBuildStore(lw->b, pj_lower_taken(lw, v, item_of(s)),
                   pj_table_field(lw, s, e, 1));
}

/* A table laid out as the Python set (settable.c takes its slots), the
   items unboxed into its live slots in slot order, the order the tuple
   of its items has. */
static LLVMValueRef
fill_from_python(PjLower *lw, LLVMValueRef obj, PjType *s)
{
    LLVMValueRef mi = pj_table_new(lw, s);
    LLVMValueRef la[2] = {mi, obj};
    LLVMTypeRef lp[2] = {lw->t_ptr, lw->t_ptr};
    check_status(lw, pj_lower_helper(lw, "pj_rt_set_take_layout", lw->t_i32,
                                     lp, la, 2));
    LLVMValueRef items = pj_lower_helper(lw, "pj_rt_set_items", lw->t_ptr,
                                         &lw->t_ptr, &obj, 1);
    LLVMValueRef n = pj_lower_helper(lw, "PyTuple_Size", lw->t_i64,
                                     &lw->t_ptr, &items, 1);
    LLVMValueRef i = pj_lower_alloca(lw, lw->t_i64, "i");
    LLVMValueRef pos = pj_lower_alloca(lw, lw->t_i64, "pos");
    LLVMBuildStore(lw->b, pj_i64(lw, 0), i);
    LLVMBuildStore(lw->b, pj_i64(lw, 0), pos);
    LLVMBasicBlockRef head = LLVMAppendBasicBlockInContext(lw->ctx, lw->func,
                                                           "unbox.set");
    LLVMBasicBlockRef body = LLVMAppendBasicBlockInContext(lw->ctx, lw->func,
                                                           "unbox.set.item");
    LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(lw->ctx, lw->func,
                                                           "unbox.set.done");
    LLVMBuildBr(lw->b, head);
    LLVMPositionBuilderAtEnd(lw->b, head);
    LLVMValueRef k = LLVMBuildLoad2(lw->b, lw->t_i64, i, "");
    LLVMBuildCondBr(lw->b, LLVMBuildICmp(lw->b, LLVMIntSLT, k, n, ""), body,
                    done);
    LLVMPositionBuilderAtEnd(lw->b, body);
    LLVMTypeRef p[2] = {lw->t_ptr, lw->t_i64};
    LLVMValueRef a[2] = {items, k};
    LLVMValueRef obj_k = pj_lower_helper(lw, "PyTuple_GetItem", lw->t_ptr, p,
                                         a, 2);
    LLVMValueRef na[2] = {mi, pos};
    LLVMValueRef e = pj_lower_helper(lw, "pj_rt_table_next", lw->t_ptr, lp,
                                     na, 2);
    store_item(lw, s, e, obj_k);
    LLVMBuildStore(lw->b, LLVMBuildAdd(lw->b, k, pj_i64(lw, 1), ""), i);
    LLVMBuildBr(lw->b, head);
    LLVMPositionBuilderAtEnd(lw->b, done);
    pj_lower_helper(lw, "pj_rt_decref", lw->t_void, &lw->t_ptr, &items, 1);
    return mi;
}

/* After the call: the Python set gets the table's items, as Numba
   reflects a set argument, and the wrapper's table is released. */
static void
set_reflect(PjLower *lw, LLVMValueRef obj, LLVMValueRef v, PjType *s)
{
    if (s->ident == SET_TYPED) {
        return;             /* the Set's own table, changed in place */
    }
    LLVMTypeRef p[3] = {lw->t_ptr, lw->t_ptr, lw->t_ptr};
    LLVMValueRef a[3] = {obj, v, pj_hash_box_function(lw, item_of(s))};
    pj_lower_helper(lw, "pj_rt_set_reflect", lw->t_void, p, a, 3);
}

/* The type a pyjit.typed.Set was made with, or NULL (no exception). */
static PjType *
typed_set_type(PyObject *obj)
{
    return pj_typed_container_type(obj, "pyjit._typed_set", "Set");
}

/* A Python set is a reflected set of its items' type; an empty one, or
   one whose items have no common type, has none. */
static PjType *
set_typeof(PyObject *obj, bool *untypable, int depth)
{
    if (!PySet_CheckExact(obj)) {
        if (pj_is_instance_named(obj, "pyjit._typed_set", "Set")) {
            PjType *t = typed_set_type(obj);
            *untypable = t == NULL;
            return t ? t : pj_t.pyobject;
        }
        return NULL;
    }
    PjType *item = NULL;
    Py_ssize_t pos = 0;
    PyObject *k;
    Py_hash_t h;
    while (_PySet_NextEntry(obj, &pos, &k, &h)) {
        bool bad = false;
        PjType *t = pj_typeof_nested(k, &bad, depth + 1);
        if (t == NULL) {
            return NULL;
        }
        item = bad ? NULL : item ? pj_type_unify(item, t) : t;
        if (item == NULL || !pj_type_is_hashable(item)) {
            *untypable = true;
            return pj_t.pyobject;
        }
    }
    if (item == NULL) {
        *untypable = true;
        return pj_t.pyobject;
    }
    return set_type(item, SET_REFLECTED);
}

static const char *
set_why_untypable(PyObject *obj, int Py_UNUSED(depth))
{
    if (pj_is_instance_named(obj, "pyjit._typed_set", "Set")) {
        return "the item type of an empty Set() is not known: make it "
               "with Set.empty(item_type)";
    }
    if (!PySet_CheckExact(obj)) {
        return NULL;
    }
    return PySet_GET_SIZE(obj) == 0
           ? "cannot type an empty set: its item type is not known"
           : "its items have no common hashable type";
}

static int
set_init(void)
{
    return pj_typeof_register(&PySet_Type, &pj_kind_set);
}

/* --- pyjit.typed.Set --- */

/* A pyjit.typed.Set over the table, which takes the caller's reference;
   NULL with an exception set. */
PyObject *
pj_rt_box_typed_set(PjMemInfo *mi, int32_t code)
{
    return pj_box_typed_container(mi, code, "pyjit._typed_set", "Set");
}

/* pyjit.typed._as_typed_set(s): the same table, crossing to Python as a
   pyjit.typed.Set. */
int
pj_type_as_typed_set(PjCompile *cx, PjInstr *ins,
                     const PjCallable *Py_UNUSED(fn), PjType **args, int n)
{
    if (n != 1 || args[0]->kind != PJ_TK_SET || !known(args[0])) {
        return 1;
    }
    return pj_choose(cx, ins, &pj_impl_self,
                     set_type(item_of(args[0]), SET_TYPED), args, 1);
}

/* Set() of pyjit.typed: its item type comes from its use, as that of
   set() does. */
int
pj_type_typed_set(PjCompile *cx, PjInstr *ins, const PjCallable *Py_UNUSED(fn),
                  PjType **Py_UNUSED(args), int n)
{
    if (n != 0) {
        cx->why = "Set() in compiled code takes no arguments: add the items";
        return 1;
    }
    if (cx->reporting && ins->dst != NULL && !known(ins->dst->type)) {
        return pj_infer_fail(cx, ins, "cannot infer the item type of this "
                             "empty Set: add to it in this function, or "
                             "make it with Set.empty(item_type)");
    }
    PjType *none[1] = {NULL};
    return pj_choose(cx, ins, &impl_new, set_type(NULL, SET_TYPED), none, 1);
}

/* Set.empty(item_type) of pyjit.typed: an empty table of that item type,
   crossing to Python as a pyjit.typed.Set. */
static LLVMValueRef
lower_empty_typed(PjLower *lw, PjInstr *ins, LLVMValueRef *Py_UNUSED(args))
{
    return pj_table_new(lw, ins->resty);
}

static const PjImpl impl_empty_typed = {"Set.empty", lower_empty_typed,
                                        true, true};

int
pj_type_typed_empty_set(PjCompile *cx, PjInstr *ins,
                        const PjCallable *Py_UNUSED(fn), PjType **args, int n)
{
    PjType *item = n == 1 ? pj_class_target(args[0]) : NULL;
    if (item == NULL || !pj_type_is_hashable(item)) {
        cx->why = "Set.empty takes an item type that hashes, such as "
                  "types.int64 or types.unicode_type";
        return 1;
    }
    return pj_choose(cx, ins, &impl_empty_typed, set_type(item, SET_TYPED),
                     args, n);
}

/* --- run time --- */

/* The items of a set, as a new tuple (the wrapper holds the GIL). */
PyObject *
pj_rt_set_items(PyObject *set)
{
    return PySequence_Tuple(set);
}

void
pj_rt_decref(PyObject *obj)
{
    Py_XDECREF(obj);
}

const PjKind pj_kind_set = {
    .name = "set",
    .print = print_set,
    .unify = unify_sets,
    .type_getattr = set_getattr,
    .type_method = set_method,
    .type_operator = set_operator,
    .type_len = set_len,
    .iter_type = set_iter_type,
    .llvm_type = set_llvm_type,
    .lower_truth = pj_table_truth,
    .lower_iter = pj_table_iter,
    .holds_memory = pj_table_holds_memory,
    .each_meminfo = pj_table_meminfo,
    .can_box = set_can_box,
    .box = set_box,
    .unbox = set_unbox,
    .after_call = set_reflect,
    .typeof = set_typeof,
    .why_untypable = set_why_untypable,
    .init = set_init,
    .library_method = set_library_method,
};

const PjKind pj_kind_set_iter = {
    .name = "set_iter",
    .print = pj_type_print_iterator,
    .iter_type = pj_type_iter_self,
    .llvm_type = pj_table_iter_llvm_type,
    .lower_iter = pj_lower_iter_self,
    .lower_iternext = set_iternext,
    .iternext_raises = true,
    .holds_memory = pj_table_holds_memory,
    .each_meminfo = pj_table_iter_meminfo,
};
