/*
** dict.c - dicts in compiled code, dict[K,V] and pyjit.typed.Dict's
** DictType[K,V]<iv=None>, and the iterators over them.
**
** A dict is a pointer to a reference-counted block holding the run-time
** table of hashtable.c, whose entries are {hash, K, V} in insertion order
** (tables.c builds what compiled code does with the table).
** The code here types the operations, with Numba's spelling, and builds
** them over the kinds' hooks: the key's kind hashes it (lower_hash) and
** compares it (lower_eq, in a function generated once per key type), so
** any kind that fills those hooks can be a key.  Values are any value the
** compiler has; an entry holds references to the memory its key and value
** hold, taken when it is stored and released when it is replaced, removed,
** or the dict freed (the block's destructor calls the release function
** generated for the dict's type).
**
** `{}` and dict() are typed DictType[undefined,undefined] where they are
** made; what is stored in them later (d[k] = v, d.setdefault(k, v),
** d.get(k, default)) gives the key and value types, which inference
** carries back to the variables holding the dict (pj_infer_refine).
** Every dict is a DictType, as in Numba: one made in compiled code
** returns to Python as a pyjit.typed.Dict (pyjit/_typed_dict.py) over the
** same table, and a typed Dict crosses both ways without a copy; a Python
** dict argument is refused, as Numba refuses it.
*/
#include "pyjit.h"

#include <string.h>

enum { YIELD_KEYS, YIELD_VALUES, YIELD_ITEMS };

PjType *
pj_type_dict(PjType *key, PjType *value)
{
    PjType *elems[2] = {key, value};
    return pj_type_intern(PJ_TK_DICT, 0, 0, key ? elems : NULL, key ? 2 : 0,
                          NULL);
}

/* DictType(key, value) of Numba's types, made from the types themselves
   (a jitclass instance type has no sample value to type a dict from). */
PyObject *
pj_dict_type_of(PyObject *key, PyObject *value)
{
    if (!pj_type_check(key) || !pj_type_is_hashable((PjType *)key)
        || ((PjType *)key)->code < 0) {
        PyErr_Format(PyExc_TypeError, "a Dict's keys cannot be of type %R: "
                     "a key type hashes (a number, a string, a tuple of "
                     "them)", key);
        return NULL;
    }
    if (!pj_type_check(value) || ((PjType *)value)->code < 0
        || pj_type_is_const((PjType *)value)) {
        PyErr_Format(PyExc_TypeError, "a Dict's values cannot be of type %R",
                     value);
        return NULL;
    }
    return Py_XNewRef((PyObject *)pj_type_dict((PjType *)key,
                                               (PjType *)value));
}

/* Whether t is a dict. */
bool
pj_type_is_dict(PjType *t)
{
    return t->kind == PJ_TK_DICT;
}

/* Whether t is a dict or a view of a dict's keys, values or items. */
bool
pj_type_is_dict_table(PjType *t)
{
    return t->kind == PJ_TK_DICT || t->kind == PJ_TK_DICT_ITER;
}

static bool
known(PjType *d)
{
    return d->nelems == 2;
}

/* Whether values of type t are one pointer to a reference-counted block
   whose own destructor releases what it holds: a dict, a jitclass
   instance. */
static bool
is_one_block(PjType *t)
{
    return t->kind == PJ_TK_DICT || pj_type_is_jitclass_instance(t);
}

/* Whether a dict of type v may be used as one of type to: the same keys,
   and values that `to`'s values take without conversion (an array of any
   layout where to's are of layout A), as Numba casts a dict made with
   Dict.empty(int64, np.empty((0, 0))) to a field's DictType(int64,
   float64[:, :]).  The table is the same either way. */
bool
pj_dict_relaxes_to(PjType *v, PjType *to)
{
    if (v->kind != PJ_TK_DICT || to->kind != PJ_TK_DICT || !known(v)
        || !known(to) || v->elems[0] != to->elems[0]) {
        return false;
    }
    PjType *a = v->elems[1], *b = to->elems[1];
    return a == b || (pj_type_is_array(a) && pj_type_is_array(b)
                      && pj_type_unify(a, b) == b);
}

static const PjImpl impl_empty_typed;

/* Whether the value of var is a dict Dict.empty(...) made just now, with
   keys of to's type and values that are blocks as to's are (dicts of
   other types, jitclass instances): having no values yet, it serves as a
   dict of to's type, as Numba casts one dict type to another
   (hftbacktest's `setdefault(tick, Dict.empty(int64, order_ladder_ty))`
   into a dict of ladders of orders).  Its entries are of one size and
   its values are released by their blocks' own destructors either way. */
static bool
is_new_empty_dict_for(PjVar *var, PjType *v, PjType *to)
{
    return var != NULL && var->ndefs == 1 && var->def != NULL
           && var->def->impl == &impl_empty_typed
           && v->kind == PJ_TK_DICT && to->kind == PJ_TK_DICT && known(v)
           && known(to) && v->elems[0] == to->elems[0]
           && is_one_block(v->elems[1]) && is_one_block(to->elems[1]);
}

static PjType *
key_of(PjType *d)
{
    return d->elems[0];
}

static PjType *
value_of(PjType *d)
{
    return d->elems[1];
}

static PjType *
items_type(PjType *d)
{
    return pj_type_tuple(d->elems, 2);
}

static PjType *
iter_type(PjType *d, int what)
{
    PjType *item = what == YIELD_KEYS ? key_of(d)
                   : what == YIELD_VALUES ? value_of(d) : items_type(d);
    return item ? pj_type_intern(PJ_TK_DICT_ITER, 0, what, &d, 1, item)
                : NULL;
}

/* Whether a value of type t can be used where type `to` is expected
   without losing what it is (an int32 key of an int64 dict). */
static bool
fits(PjType *t, PjType *to)
{
    return pj_type_unify(to, t) == to;
}

/* Whether a key or value of type t is taken where `to` is expected, as
   Numba's typed dict takes it: when t fits, or by a cast between
   integers, from an integer to a float, between floats or between
   complex numbers, with a NumbaTypeSafetyWarning at the operation (an
   int64 key of a uint32 dict).  -1: the warning was made an error. */
static int
storable(PjCompile *cx, PjInstr *ins, PjType *t, PjType *to, PjVar *operand)
{
    if (fits(t, to) || pj_dict_relaxes_to(t, to)
        || is_new_empty_dict_for(operand, t, to)) {
        return 1;
    }
    bool casts = (pj_type_is_integer(t)
                  && (pj_type_is_integer(to) || pj_type_is_float(to)))
                 || (t->kind == to->kind
                     && (pj_type_is_float(t) || pj_type_is_complex(t)));
    if (!casts) {
        return 0;
    }
    char from_name[64];
    snprintf(from_name, sizeof(from_name), "%s", pj_type_str(t));
    return pj_diag_warn(cx, "NumbaTypeSafetyWarning", ins->loc,
                        "unsafe cast from %s to %s. Precision may be lost.",
                        from_name, pj_type_str(to)) < 0 ? -1 : 1;
}

/* storable() of a key and a value (NULL: none). */
static int
storable_item(PjCompile *cx, PjInstr *ins, PjType *d, PjType *k, PjType *v)
{
    int rc = storable(cx, ins, k, key_of(d), NULL);
    return rc == 1 && v != NULL
           ? storable(cx, ins, v, value_of(d), ins->src[2]) : rc;
}

static void
print_dict(PjBuf *b, PjType *t)
{
    if (!known(t)) {
        pj_buf_puts(b, "DictType[undefined,undefined]");
        return;
    }
    pj_buf_printf(b, "DictType[%s,%s]<iv=None>", pj_type_str(key_of(t)),
                  pj_type_str(value_of(t)));
}

/* An empty display is any dict until stored into. */
static PjType *
unify_dicts(PjType *a, PjType *b)
{
    if (known(a) && known(b)
        && (key_of(a) != key_of(b) || value_of(a) != value_of(b))) {
        return NULL;
    }
    PjType *k = known(a) ? a : b;
    return known(k) ? k : pj_type_dict(NULL, NULL);
}

/* --- values --- */

static LLVMTypeRef
dict_llvm_type(PjLower *lw, PjType *Py_UNUSED(t))
{
    return lw->t_ptr;
}

/* The value loaded from field i of the entry e converted to type r when
   e is not null, else `fallback` (of type r, built before). */
static LLVMValueRef
field_or(PjLower *lw, PjType *d, LLVMValueRef e, unsigned i, PjType *r,
         LLVMValueRef fallback)
{
    LLVMBasicBlockRef from = LLVMGetInsertBlock(lw->b);
    LLVMBasicBlockRef done = pj_table_begin_if(
        lw, LLVMBuildIsNotNull(lw->b, e, ""));
    LLVMValueRef v = pj_lower_convert(lw, pj_table_load(lw, d, e, i),
                                      d->elems[i - 1], r);
    LLVMBasicBlockRef loaded = LLVMGetInsertBlock(lw->b);
    pj_table_end_if(lw, done);
    LLVMValueRef phi = LLVMBuildPhi(lw->b, pj_lower_type(lw, r), "");
    LLVMValueRef vals[2] = {fallback, v};
    LLVMBasicBlockRef bbs[2] = {from, loaded};
    LLVMAddIncoming(phi, vals, bbs, 2);
    return phi;
}

/* --- keys --- */

/* Stores v in the value of entry e, taking its references and releasing
   the old value's. */
static void
store_value(PjLower *lw, PjType *d, LLVMValueRef e, LLVMValueRef v)
{
    PjType *vt = value_of(d);
    LLVMValueRef p = pj_table_field(lw, d, e, 2);
    LLVMValueRef old = LLVMBuildLoad2(lw->b, pj_lower_type(lw, vt), p, "");
    v = pj_lower_taken(lw, v, vt);
    LLVMBuildStore(lw->b, v, p);
    pj_lower_each_meminfo(lw, old, vt, NULL, pj_lower_decref);
}

/* --- making dicts --- */

/* The dict a display or dict() makes has the type its variable was
   given from later use. */
static LLVMValueRef
lower_new(PjLower *lw, PjInstr *ins, LLVMValueRef *Py_UNUSED(args))
{
    return pj_table_new(lw, ins->dst ? ins->dst->type : ins->resty);
}

static LLVMValueRef
lower_copy(PjLower *lw, PjInstr *Py_UNUSED(ins), LLVMValueRef *args)
{
    return pj_table_copy(lw, args[0]);
}

static const PjImpl impl_new = {"dict", lower_new, true, true};
static const PjImpl impl_copy = {"dict.copy", lower_copy, true, true};

/* dict() and dict(d); the empty one's key and value types come from its
   use, and a dict whose types nothing tells is an error. */
static int
type_new_dict(PjCompile *cx, PjInstr *ins)
{
    PjType *d = pj_type_dict(NULL, NULL);
    if (cx->reporting && ins->dst != NULL && !known(ins->dst->type)) {
        return pj_infer_fail(cx, ins, "cannot infer the key and value types "
                             "of this empty dict: store into it in this "
                             "function (d[k] = v)");
    }
    return pj_choose(cx, ins, &impl_new, d, NULL, 0);
}

int
pj_type_dict_call(PjCompile *cx, PjInstr *ins,
                  const PjCallable *Py_UNUSED(fn), PjType **args, int n)
{
    if (n == 1 && args[0]->kind == PJ_TK_DICT && known(args[0])) {
        return pj_choose(cx, ins, &impl_copy, args[0], args, 1);
    }
    if (n != 0) {
        cx->why = "dict() takes no arguments or a dict here";
        return 1;
    }
    return type_new_dict(cx, ins);
}

/* --- d[k], d[k] = v, k in d, len(d) --- */

static LLVMValueRef
lower_getitem(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *d = ins->argtys[0];
    LLVMValueRef key = ins->op == PJ_OP_STATIC_GETITEM
        ? pj_lower_convert(lw, pj_i64(lw, ins->sub), pj_t.i64, key_of(d))
        : args[1];
    PjTableKey k = pj_table_key(lw, d, key);
    LLVMValueRef e = pj_table_find(lw, args[0], &k);
    pj_table_check_key(lw, d, LLVMBuildIsNull(lw->b, e, ""), &k);
    return pj_table_load(lw, d, e, 2);
}

static LLVMValueRef
lower_setitem(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *d = ins->argtys[0];
    PjTableKey k = pj_table_key(lw, d, args[1]);
    store_value(lw, d, pj_table_insert(lw, d, args[0], &k), args[2]);
    return NULL;
}

static LLVMValueRef
lower_contains(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *d = ins->argtys[1];
    PjTableKey k = pj_table_key(lw, d, args[0]);
    LLVMValueRef e = pj_table_find(lw, args[1], &k);
    LLVMValueRef in = LLVMBuildIsNotNull(lw->b, e, "");
    return ins->sub == PJ_CMP_IN ? in : LLVMBuildNot(lw->b, in, "");
}

static const PjImpl impl_getitem = {"getitem", lower_getitem, true, false};
static const PjImpl impl_setitem = {"setitem", lower_setitem, true, false};
static const PjImpl impl_contains = {"in", lower_contains, false, false};

/* Gives the dict held by var the key and value types k and v when it
   had none (a string's for a string constant: {'a': 1}), and its type to
   the variables it was copied from (an empty display on one path of
   several); the dict type it has. */
static PjType *
refine(PjCompile *cx, PjVar *var, PjType *d, PjType *k, PjType *v)
{
    PjType *r = d;
    k = pj_type_str_value(k);
    v = pj_type_str_value(v);
    if (!known(d)) {
        if (!pj_type_is_hashable(k) || pj_type_is_const(v)) {
            return NULL;
        }
        r = pj_type_dict(k, v);
    }
    if (r != NULL) {
        pj_infer_refine(cx, var, r);
    }
    return r;
}

static int
dict_getitem(PjCompile *cx, PjInstr *ins, PjType *d, PjType *idx)
{
    /* d[3]: the frontend made the constant index part of the
       operation */
    if (idx == NULL && ins->obj == NULL) {
        idx = pj_t.i64;
    }
    int rc = idx != NULL && known(d)
             ? storable(cx, ins, idx, key_of(d), NULL) : 0;
    if (rc != 1) {
        return rc < 0 ? -1 : 1;
    }
    PjType *argtys[2] = {d, key_of(d)};
    cx->can_raise = true;           /* KeyError */
    return pj_choose(cx, ins, &impl_getitem, value_of(d), argtys, 2);
}

static int
dict_setitem(PjCompile *cx, PjInstr *ins, PjType *d, PjType *idx,
             PjType *value)
{
    d = refine(cx, ins->src[0], d, idx, value);
    if (d == NULL) {
        return PyErr_Occurred() ? -1 : 1;
    }
    int rc = storable_item(cx, ins, d, idx, value);
    if (rc != 1) {
        cx->why = "the key or value does not fit the dict's types";
        return rc < 0 ? -1 : 1;
    }
    PjType *argtys[3] = {d, key_of(d), value_of(d)};
    cx->can_raise = true;           /* MemoryError */
    return pj_choose(cx, ins, &impl_setitem, pj_t.none, argtys, 3);
}

/* d1 == d2, d1 != d2: pyjit/_sets.py's dict_eq and dict_ne. */
static int
dict_equality(PjCompile *cx, PjInstr *ins, PjType *a, PjType *b)
{
    PyObject *disp = pj_sets_library(ins->sub == PJ_CMP_EQ ? "dict_eq"
                                                           : "dict_ne");
    PjType *argtys[2] = {a, b};
    return disp ? pj_library_choose_call(cx, ins, &pj_library_impl, disp,
                                         argtys, 2)
                : -1;
}

/* k in d, k not in d, d1 == d2, d1 != d2. */
static int
dict_operator(PjCompile *cx, PjInstr *ins, PjType *a, PjType *b)
{
    if (ins->op == PJ_OP_COMPARE && b != NULL && a->kind == PJ_TK_DICT
        && b->kind == PJ_TK_DICT && known(a) && known(b)
        && (ins->sub == PJ_CMP_EQ || ins->sub == PJ_CMP_NE)) {
        return dict_equality(cx, ins, a, b);
    }
    if (ins->op != PJ_OP_COMPARE || b == NULL || b->kind != PJ_TK_DICT
        || (ins->sub != PJ_CMP_IN && ins->sub != PJ_CMP_NOTIN)
        || !known(b)) {
        return 1;
    }
    int rc = storable(cx, ins, a, key_of(b), NULL);
    if (rc != 1) {
        return rc < 0 ? -1 : 1;
    }
    PjType *argtys[2] = {key_of(b), b};
    return pj_choose(cx, ins, &impl_contains, pj_t.boolean, argtys, 2);
}

/* len(d) is an int64 before the dict's types are known, so that
   d[k] = len(d) can give them. */
static int
dict_len(PjCompile *cx, PjInstr *ins, PjType *d)
{
    return pj_choose(cx, ins, &pj_table_impl_len, pj_t.i64, &d, 1);
}

/* --- methods --- */

/* d.get(k), d.get(k, default) */
static LLVMValueRef
lower_get(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *d = ins->argtys[0], *r = ins->resty;
    LLVMValueRef fallback = ins->call->nparams == 2
        ? args[2] : pj_lower_convert(lw, pj_lower_none(lw), pj_t.none, r);
    PjTableKey k = pj_table_key(lw, d, args[1]);
    return field_or(lw, d, pj_table_find(lw, args[0], &k), 2, r, fallback);
}

/* d.setdefault(k, default) */
static LLVMValueRef
lower_setdefault(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *d = ins->argtys[0];
    PjTableKey k = pj_table_key(lw, d, args[1]);
    LLVMValueRef e = pj_table_find(lw, args[0], &k);
    LLVMValueRef slot = pj_lower_alloca(lw, lw->t_ptr, "entry");
    LLVMBuildStore(lw->b, e, slot);
    LLVMBasicBlockRef done = pj_table_begin_if(
        lw, LLVMBuildIsNull(lw->b, e, ""));
    LLVMValueRef made = pj_table_insert(lw, d, args[0], &k);
    store_value(lw, d, made, args[2]);
    LLVMBuildStore(lw->b, made, slot);
    pj_table_end_if(lw, done);
    return pj_table_load(lw, d, LLVMBuildLoad2(lw->b, lw->t_ptr, slot, ""), 2);
}

/* d.pop(k), d.pop(k, default): the value's references move to the
   result; a default returned gets one of its own. */
static LLVMValueRef
lower_pop(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *d = ins->argtys[0], *r = ins->resty;
    PjTableKey k = pj_table_key(lw, d, args[1]);
    LLVMValueRef out;
    LLVMValueRef found = pj_table_remove(lw, d, args[0], &k, &out);
    if (ins->call->nparams == 1) {
        pj_table_check_key(lw, d, LLVMBuildNot(lw->b, found, ""), &k);
        pj_table_release_field(lw, d, out, 1);
        return pj_table_load(lw, d, out, 2);
    }
    LLVMValueRef e = LLVMBuildSelect(lw->b, found, out,
                                     LLVMConstNull(lw->t_ptr), "");
    LLVMBasicBlockRef done = pj_table_begin_if(lw, found);
    pj_table_release_field(lw, d, out, 1);
    pj_table_end_if(lw, done);
    done = pj_table_begin_if(lw, LLVMBuildNot(lw->b, found, ""));
    pj_lower_each_meminfo(lw, args[2], r, NULL, pj_lower_incref);
    pj_table_end_if(lw, done);
    return field_or(lw, d, e, 2, r, args[2]);
}

/* del d[k] */
static LLVMValueRef
lower_delitem(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *d = ins->argtys[0];
    PjTableKey k = pj_table_key(lw, d, args[1]);
    LLVMValueRef out;
    LLVMValueRef found = pj_table_remove(lw, d, args[0], &k, &out);
    pj_table_check_key(lw, d, LLVMBuildNot(lw->b, found, ""), &k);
    pj_table_release_field(lw, d, out, 1);
    pj_table_release_field(lw, d, out, 2);
    return pj_lower_none(lw);
}

/* d.popitem(): the last entry, its references moving to the tuple. */
static LLVMValueRef
lower_popitem(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *d = ins->argtys[0];
    LLVMValueRef out = pj_table_pop_last(lw, d, args[0],
                                         "popitem(): dictionary is empty");
    LLVMValueRef t = LLVMGetUndef(pj_lower_type(lw, ins->resty));
    t = LLVMBuildInsertValue(lw->b, t, pj_table_load(lw, d, out, 1), 0, "");
    return LLVMBuildInsertValue(lw->b, t, pj_table_load(lw, d, out, 2), 1, "");
}

typedef struct {
    PjType *d;
    LLVMValueRef target;
} Update;

static void
update_one(PjLower *lw, LLVMValueRef e, void *ctx)
{
    Update *u = ctx;
    PjTableKey k = pj_table_key(lw, u->d, pj_table_load(lw, u->d, e, 1));
    k.hash = pj_table_load(lw, u->d, e, 0);
    LLVMValueRef v = pj_table_load(lw, u->d, e, 2);
    store_value(lw, u->d, pj_table_insert(lw, u->d, u->target, &k), v);
}

/* d.update(other): other's entries stored in d, in other's order. */
static LLVMValueRef
lower_update(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    Update u = {ins->argtys[0], args[0]};
    pj_table_each(lw, args[1], update_one, &u);
    return pj_lower_none(lw);
}

/* d.keys(), d.values(), d.items(): iterables over the dict. */
static LLVMValueRef
lower_view(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    return pj_table_iter(lw, args[0], ins->argtys[0], ins->resty);
}

static const PjImpl impl_get = {"dict.get", lower_get, false, false};
static const PjImpl impl_setdefault = {"dict.setdefault", lower_setdefault,
                                       true, false};
static const PjImpl impl_pop = {"dict.pop", lower_pop, true, true};
static const PjImpl impl_delitem = {"delitem", lower_delitem, true, false};
static const PjImpl impl_popitem = {"dict.popitem", lower_popitem, true,
                                    true};
static const PjImpl impl_update = {"dict.update", lower_update, true, false};
static const PjImpl impl_view = {"dict view", lower_view, false, false};

/* What a method's call is, its arguments (after the dict) and what it
   returns. */
typedef struct {
    const char *name;
    const PjImpl *impl;
    int min_args, max_args;
    bool refines;             /* (key, value) arguments type an empty dict */
} Method;

static const Method methods[] = {
    {"get", &impl_get, 1, 2, true},
    {"setdefault", &impl_setdefault, 2, 2, true},
    {"pop", &impl_pop, 1, 2, false},
    {"__delitem__", &impl_delitem, 1, 1, false},
    {"popitem", &impl_popitem, 0, 0, false},
    {"clear", &pj_table_impl_clear, 0, 0, false},
    {"copy", &impl_copy, 0, 0, false},
    {"update", &impl_update, 1, 1, false},
    {"keys", &impl_view, 0, 0, false},
    {"values", &impl_view, 0, 0, false},
    {"items", &impl_view, 0, 0, false},
};

static const Method *
method_named(const char *name)
{
    for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
        if (strcmp(methods[i].name, name) == 0) {
            return &methods[i];
        }
    }
    return NULL;
}

static int
dict_getattr(PjCompile *cx, PjInstr *ins, PjType *d)
{
    if (method_named(ins->name) == NULL) {
        return 1;
    }
    PjType *b = pj_type_bound(cx->arena, d, ins->name);
    return b ? pj_choose(cx, ins, &pj_impl_self, b, &d, 1) : -1;
}

/* An empty dict learns its types from d.get(k, default) and
   d.setdefault(k, default): the dict variable the method was looked up
   on, and the bound method, are widened. */
static PjType *
refine_by_method(PjCompile *cx, PjInstr *ins, PjType *d, const Method *m,
                 PjType **args, int n)
{
    PjInstr *lookup = ins->src[0]->def;
    if (lookup == NULL || lookup->op != PJ_OP_GETATTR) {
        return d;
    }
    if (known(d) || !m->refines || n != 2) {
        return known(d) ? refine(cx, lookup->src[0], d, NULL, NULL) : d;
    }
    PjType *r = refine(cx, lookup->src[0], d, args[0], args[1]);
    PjType *b = r ? pj_type_bound(cx->arena, r, m->name) : NULL;
    if (b != NULL) {
        ins->src[0]->type = b;
        cx->refined = true;
    }
    return r ? r : d;
}

/* The result type of method m on dict d with arguments args. */
static PjType *
method_result(const Method *m, PjType *d, PjType **args, int n)
{
    PjType *v = value_of(d);
    if (m->impl == &impl_get || m->impl == &impl_pop) {
        return n == 2 ? pj_type_unify(v, args[1])
               : m->impl == &impl_get ? pj_type_optional(v) : v;
    }
    if (m->impl == &impl_setdefault) {
        return v;
    }
    if (m->impl == &impl_popitem) {
        return items_type(d);
    }
    if (m->impl == &impl_copy) {
        return d;
    }
    if (m->impl == &impl_view) {
        return iter_type(d, m->name[0] == 'k' ? YIELD_KEYS
                            : m->name[0] == 'v' ? YIELD_VALUES
                            : YIELD_ITEMS);
    }
    return pj_t.none;
}

/* The types the arguments are converted to; false when one does not
   fit. */
static int
method_args(PjCompile *cx, PjInstr *ins, const Method *m, PjType *d,
            PjType **args, int n, PjType *res, PjType **argtys)
{
    argtys[0] = d;
    if (m->impl == &impl_update) {
        argtys[1] = args[0];
        return args[0] == d;
    }
    if (n >= 1) {
        argtys[1] = key_of(d);
        int rc = storable(cx, ins, args[0], key_of(d), NULL);
        if (rc != 1) {
            return rc;
        }
    }
    if (n == 2) {
        argtys[2] = m->impl == &impl_setdefault ? value_of(d) : res;
        return m->impl == &impl_setdefault
               ? storable(cx, ins, args[1], argtys[2],
                          ins->nsrc > 2 ? ins->src[2] : NULL)
               : fits(args[1], argtys[2]);
    }
    return 1;
}

static int
dict_method(PjCompile *cx, PjInstr *ins, PjType *d, const char *name,
            PjType **args, int n)
{
    const Method *m = method_named(name);
    if (m == NULL || n < m->min_args || n > m->max_args) {
        return 1;
    }
    d = refine_by_method(cx, ins, d, m, args, n);
    if (d == NULL || !known(d)) {
        cx->why = "the dict's key and value types are not known here";
        return 1;
    }
    PjType *res = method_result(m, d, args, n);
    PjType *argtys[3];
    int rc = res != NULL ? method_args(cx, ins, m, d, args, n, res, argtys)
                         : 0;
    if (rc != 1) {
        cx->why = "the arguments do not fit the dict's key and value types";
        return rc < 0 ? -1 : 1;
    }
    return pj_choose(cx, ins, m->impl, res, argtys, n + 1);
}

/* --- iteration --- */

static PjType *
dict_iter_of(PjType *d)
{
    return known(d) ? iter_type(d, YIELD_KEYS) : NULL;
}

/* The item an iterator yields from entry e. */
static LLVMValueRef
yielded(PjLower *lw, PjType *it, LLVMValueRef e)
{
    PjType *d = it->elems[0];
    if (it->ident != YIELD_ITEMS) {
        return pj_table_load(lw, d, e, it->ident == YIELD_KEYS ? 1 : 2);
    }
    LLVMValueRef t = LLVMGetUndef(pj_lower_type(lw, it->item));
    t = LLVMBuildInsertValue(lw->b, t, pj_table_load(lw, d, e, 1), 0, "");
    return LLVMBuildInsertValue(lw->b, t, pj_table_load(lw, d, e, 2), 1, "");
}

static LLVMValueRef
dict_iternext(PjLower *lw, PjType *it, LLVMValueRef state, LLVMValueRef *ok)
{
    return pj_table_iternext(lw, it, state, ok, yielded,
                             "dictionary changed size during iteration");
}

/* --- memory and the boundary with Python --- */

static bool
dict_can_box(PjType *d)
{
    return known(d) && pj_type_can_box(key_of(d))
           && pj_type_can_box(value_of(d));
}

/* The pyjit.typed.Dict over the table, as Numba returns a
   numba.typed.Dict; the value's reference moves to it. */
static LLVMValueRef
dict_box(PjLower *lw, LLVMValueRef v, PjType *d)
{
    LLVMTypeRef p[2] = {lw->t_ptr, lw->t_i32};
    LLVMValueRef a[2] = {v, pj_lower_typecode(lw, d)};
    return pj_lower_helper(lw, "pj_rt_box_typed_dict", lw->t_ptr, p, a, 2);
}

/* The table under a pyjit.typed.Dict argument, borrowed from it. */
static LLVMValueRef
dict_unbox(PjLower *lw, LLVMValueRef obj, PjType *Py_UNUSED(d))
{
    return pj_lower_helper(lw, "pj_rt_unbox_typed", lw->t_ptr, &lw->t_ptr,
                           &obj, 1);
}

/* The type a pyjit.typed.Dict was made with, or NULL (no exception) for
   any other object and for a Dict() nothing was stored into yet. */
static PjType *
typed_pj_type_dict(PyObject *obj)
{
    return pj_typed_container_type(obj, "pyjit._typed_dict", "Dict");
}

static bool
is_empty_typed_dict(PyObject *obj)
{
    return pj_is_instance_named(obj, "pyjit._typed_dict", "Dict")
           && typed_pj_type_dict(obj) == NULL;
}

/* A pyjit.typed.Dict has its type; a Python dict, or a Dict() without
   types yet, is typed only so that the refusal says what to do. */
static PjType *
dict_typeof(PyObject *obj, bool *untypable, int Py_UNUSED(depth))
{
    if (PyDict_CheckExact(obj) || is_empty_typed_dict(obj)) {
        *untypable = true;
        return pj_t.pyobject;
    }
    return PyDict_Check(obj) ? NULL : typed_pj_type_dict(obj);
}

static const char *
dict_why_untypable(PyObject *obj, int Py_UNUSED(depth))
{
    if (PyDict_CheckExact(obj)) {
        return "a Python dict cannot be passed to compiled code, as in "
               "Numba: pass a pyjit.typed.Dict (Dict.empty(key_type, "
               "value_type)) or build the dict in the compiled function";
    }
    return is_empty_typed_dict(obj)
           ? "the key and value types of an empty Dict() are not known: "
             "make it with Dict.empty(key_type, value_type)"
           : NULL;
}

/* --- pyjit.typed.Dict at run time --- */

/* A pyjit.typed.Dict over the table, which takes the caller's reference;
   NULL with an exception set. */
PyObject *
pj_rt_box_typed_dict(PjMemInfo *mi, int32_t code)
{
    return pj_box_typed_container(mi, code, "pyjit._typed_dict", "Dict");
}

static int
dict_init(void)
{
    return pj_typeof_register(&PyDict_Type, &pj_kind_dict);
}

const PjKind pj_kind_dict = {
    .name = "dict",
    .print = print_dict,
    .unify = unify_dicts,
    .type_getattr = dict_getattr,
    .type_method = dict_method,
    .type_getitem = dict_getitem,
    .type_setitem = dict_setitem,
    .type_operator = dict_operator,
    .type_len = dict_len,
    .iter_type = dict_iter_of,
    .llvm_type = dict_llvm_type,
    .lower_truth = pj_table_truth,
    .lower_iter = pj_table_iter,
    .holds_memory = pj_table_holds_memory,
    .each_meminfo = pj_table_meminfo,
    .can_box = dict_can_box,
    .box = dict_box,
    .unbox = dict_unbox,
    .typeof = dict_typeof,
    .why_untypable = dict_why_untypable,
    .init = dict_init,
};

const PjKind pj_kind_dict_iter = {
    .name = "dict_iter",
    .print = pj_type_print_iterator,
    .iter_type = pj_type_iter_self,
    .llvm_type = pj_table_iter_llvm_type,
    .lower_iter = pj_lower_iter_self,
    .lower_iternext = dict_iternext,
    .iternext_raises = true,
    .holds_memory = pj_table_holds_memory,
    .each_meminfo = pj_table_iter_meminfo,
};

/* Dict.empty(key_type, value_type) of pyjit.typed: an empty table of
   those types, crossing to Python as a pyjit.typed.Dict. */
static LLVMValueRef
lower_empty_typed(PjLower *lw, PjInstr *ins, LLVMValueRef *Py_UNUSED(args))
{
    return pj_table_new(lw, ins->resty);
}

static const PjImpl impl_empty_typed = {"Dict.empty", lower_empty_typed,
                                        true, true};

/* The pyjit type a Dict.empty argument names (types.int64), or NULL.  A
   value given in place of a type stands for its own type, as in Numba
   (hftbacktest's Dict.empty(int64, np.empty((0, 0), float64))). */
static PjType *
named_type(PjType *arg)
{
    PjType *t = pj_class_target(arg);
    if (t != NULL) {
        return t;
    }
    return arg->code >= 0 && !pj_type_is_const(arg) ? arg : NULL;
}

int
pj_type_typed_empty_dict(PjCompile *cx, PjInstr *ins,
                         const PjCallable *Py_UNUSED(fn), PjType **args,
                         int n)
{
    PjType *k = n == 2 ? named_type(args[0]) : NULL;
    PjType *v = k != NULL ? named_type(args[1]) : NULL;
    if (v == NULL || !pj_type_is_hashable(k) || pj_type_is_const(v)) {
        cx->why = "Dict.empty takes a key type that hashes and a value "
                  "type, such as types.int64 and types.float64";
        return 1;
    }
    return pj_choose(cx, ins, &impl_empty_typed,
                     pj_type_dict(k, v), args, n);
}

/* Dict() of pyjit.typed: its key and value types come from its use, as
   those of dict() do. */
int
pj_type_typed_dict(PjCompile *cx, PjInstr *ins,
                   const PjCallable *Py_UNUSED(fn), PjType **Py_UNUSED(args),
                   int Py_UNUSED(n))
{
    return type_new_dict(cx, ins);
}

