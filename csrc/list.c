/*
** list.c - lists: the list kind, its iterator, and their runtime.
**
** A list is a reference-counted block (PjMemInfo, runtime.c) whose data
** is a PjListData: the number of items, the capacity, the items (a
** separate buffer, so that growing it leaves the block where it is for
** every variable holding it; a list made with its items, a display, a
** slice, an unboxed Python list, has them in its own block until it
** grows) and a flag saying whether compiled code changed a reflected
** list (it is written back to the caller's list only then).  A value of
** a list type is the pointer to the block.  A list whose items hold
** memory (arrays, lists) has a destructor generated for its item type
** that releases them.
**
** The operations every other one is written with are here: making a
** list from items, len, indexing, slicing, item assignment, append,
** iteration, truncating, boxing and unboxing.  The others (the methods,
** the operators) are Python in pyjit/_lists.py, compiled for the types
** of each use and called from here as jitted functions are.
**
** `[]` and `list()` make a list whose item type is not known yet
** (list(undefined)); appending to it refines the variable holding it to
** a list of what was appended (pj_infer_refine), as Numba does.
*/
#include "pyjit.h"

#define NO_IMPORT_ARRAY
#include <numpy/arrayobject.h>

#include <string.h>

typedef struct PjListData {
    int64_t len, cap;
    char *items;
    int64_t dirty;
    int64_t bytes;      /* the size of items' buffer (runtime.c) */
} PjListData;

enum { F_LEN, F_CAP, F_ITEMS, F_DIRTY };
enum { MEMINFO_DTOR = 16 };     /* offset of PjMemInfo.dtor */

/* --- types --- */

/* A list of item (NULL: not known yet); flags PJ_LIST_REFLECTED for a
   Python list passed in as an argument, PJ_LIST_TYPED for a typed List
   (pyjit/_typed_list.py), which crosses to and from Python as itself. */
PjType *
pj_type_list(PjType *item, int flags)
{
    return pj_type_intern(PJ_TK_LIST, 0, flags, item ? &item : NULL,
                          item ? 1 : 0, NULL);
}

static bool
is_typed(PjType *t)
{
    return (t->ident & PJ_LIST_TYPED) != 0;
}

/* Whether t is a reflected list, whose unboxed value is a list of its
   own built from the Python list's items. */
bool
pj_list_is_reflected(PjType *t)
{
    return t->kind == PJ_TK_LIST && !is_typed(t);
}

PjType *
pj_list_item(PjType *t)
{
    return t->nelems > 0 ? t->elems[0] : NULL;
}

static void
print_list(PjBuf *b, PjType *t)
{
    PjType *item = pj_list_item(t);
    const char *name = item ? pj_type_str(item) : "undefined";
    if (is_typed(t)) {
        pj_buf_printf(b, "ListType[%s]", name);
    }
    else {
        pj_buf_printf(b, "%slist(%s)", t->ident & PJ_LIST_REFLECTED
                      ? "reflected " : "", name);
    }
}

/* Whether t is, or holds, a container whose item types are not known yet
   (an empty list, dict or set not yet refined). */
static bool
is_partial(PjType *t)
{
    bool container = t->kind == PJ_TK_LIST || pj_type_is_set(t)
                     || pj_type_is_dict(t);
    if (container && t->nelems == 0) {
        return true;
    }
    if (!container && !pj_type_is_tuple(t)) {
        return false;
    }
    for (int i = 0; i < t->nelems; i++) {
        if (t->elems[i] == NULL || is_partial(t->elems[i])) {
            return true;
        }
    }
    return false;
}

/* A list whose item type is not known yet joins any list of its sort. */
static PjType *
unify_lists(PjType *a, PjType *b)
{
    if (a->ident != b->ident) {
        return NULL;
    }
    PjType *ia = pj_list_item(a), *ib = pj_list_item(b);
    if (ia == NULL || ib == NULL) {
        return ia == NULL ? b : a;
    }
    if (!is_partial(ia) && !is_partial(ib)) {
        /* lists of two item types do not mix, but lists of functions
           hold the set of them (funcset.c) */
        PjType *fs = pj_funcset_unify(ia, ib);
        return fs ? pj_type_list(fs, a->ident) : NULL;
    }
    /* a list of lists not known yet meets one known further (nested
       comprehensions typed in a loop) */
    PjType *u = pj_type_unify(ia, ib);
    return u ? pj_type_list(u, a->ident) : NULL;
}

/* Whether values of type t can be items of a list. */
static bool
can_be_item(PjType *t)
{
    return t != NULL && !pj_type_is_const(t) && !pj_type_is_pyobject(t)
           && !pj_type_is_pair(t);
}

/* --- lowering helpers --- */

static LLVMTypeRef
list_llvm_type(PjLower *lw, PjType *Py_UNUSED(t))
{
    return lw->t_ptr;
}

static LLVMTypeRef
data_type(PjLower *lw)
{
    LLVMTypeRef f[4] = {lw->t_i64, lw->t_i64, lw->t_ptr, lw->t_i64};
    return LLVMStructTypeInContext(lw->ctx, f, 4, 0);
}

static LLVMValueRef
data_of(PjLower *lw, LLVMValueRef list)
{
    LLVMValueRef off[1] = {pj_i64(lw, PJ_MEMINFO_HEADER)};
    return LLVMBuildGEP2(lw->b, lw->t_i8, list, off, 1, "list.data");
}

static LLVMValueRef
field_ptr(PjLower *lw, LLVMValueRef list, unsigned f)
{
    return LLVMBuildStructGEP2(lw->b, data_type(lw), data_of(lw, list), f,
                               "");
}

/* The header's fields and the items carry alias tags (tbaa.c): a store
   to an item or to an array element does not change the length or the
   items' address, so a loop keeps them in registers. */
static LLVMValueRef
load_field(PjLower *lw, LLVMValueRef list, unsigned f)
{
    LLVMTypeRef t = f == F_ITEMS ? lw->t_ptr : lw->t_i64;
    LLVMValueRef v = LLVMBuildLoad2(lw->b, t, field_ptr(lw, list, f), "");
    pj_tbaa_tag(lw, v, PJ_ALIAS_LIST_HEADER);
    return v;
}

static void
store_field(PjLower *lw, LLVMValueRef list, unsigned f, LLVMValueRef v)
{
    LLVMValueRef st = LLVMBuildStore(lw->b, v, field_ptr(lw, list, f));
    pj_tbaa_tag(lw, st, PJ_ALIAS_LIST_HEADER);
}

static LLVMValueRef
itemsize(PjLower *lw, PjType *item)
{
    return item ? LLVMSizeOf(pj_lower_type(lw, item)) : pj_i64(lw, 0);
}

/* The address of the list's first item. */
LLVMValueRef
pj_list_items(PjLower *lw, LLVMValueRef list)
{
    return load_field(lw, list, F_ITEMS);
}

/* The address of item i (0 <= i < len). */
static LLVMValueRef
item_address(PjLower *lw, PjType *item, LLVMValueRef list, LLVMValueRef i)
{
    LLVMValueRef idx[1] = {i};
    return LLVMBuildGEP2(lw->b, pj_lower_type(lw, item),
                         load_field(lw, list, F_ITEMS), idx, 1, "");
}

static LLVMValueRef
load_item(PjLower *lw, PjType *item, LLVMValueRef list, LLVMValueRef i)
{
    LLVMValueRef v = LLVMBuildLoad2(lw->b, pj_lower_type(lw, item),
                                    item_address(lw, item, list, i), "");
    pj_tbaa_tag(lw, v, PJ_ALIAS_LIST_ITEM);
    return v;
}

/* Notes that a list of type lt changed.  Only a reflected list is ever
   written back (list_unboxed), so only it keeps the flag: a store to the
   header at each item stored would keep a loop storing items from
   vectorizing. */
static void
mark_dirty(PjLower *lw, PjType *lt, LLVMValueRef list)
{
    if (lt->ident & PJ_LIST_REFLECTED) {
        store_field(lw, list, F_DIRTY, pj_i64(lw, 1));
    }
}

/* The destructor of lists of `item`: releases what the items hold, then
   frees the items.  Generated once per module, private to it. */
static void
release_item(PjLower *lw, LLVMValueRef i, void *ctx)
{
    PjType *item = ctx;
    LLVMValueRef list = LLVMGetParam(lw->func, 0);
    /* the destructor receives the data: step back to the block */
    LLVMValueRef off[1] = {pj_i64(lw, -PJ_MEMINFO_HEADER)};
    list = LLVMBuildGEP2(lw->b, lw->t_i8, list, off, 1, "");
    pj_lower_decref_value(lw, load_item(lw, item, list, i), item);
}

static void
release_items(PjLower *lw, LLVMValueRef data, LLVMValueRef arg,
              const void *item)
{
    LLVMValueRef n = LLVMBuildLoad2(lw->b, lw->t_i64, data, "");
    pj_array_for_each(lw, n, release_item, (void *)item);
    LLVMTypeRef p[2] = {lw->t_ptr, lw->t_ptr};
    LLVMValueRef a[2] = {data, arg};
    pj_lower_helper(lw, "pj_rt_list_free_items", lw->t_void, p, a, 2);
}

static LLVMValueRef
item_destructor(PjLower *lw, PjType *item)
{
    char name[64];
    snprintf(name, sizeof(name), "pj.list.release.%d", item->code);
    return pj_lower_destructor(lw, name, release_items, item);
}

/* Lists of items holding memory release them when freed. */
static void
set_destructor(PjLower *lw, LLVMValueRef list, PjType *item)
{
    if (item == NULL || !pj_type_holds_memory(item)) {
        return;
    }
    LLVMValueRef off[1] = {pj_i64(lw, MEMINFO_DTOR)};
    LLVMValueRef p = LLVMBuildGEP2(lw->b, lw->t_i8, list, off, 1, "");
    LLVMBuildStore(lw->b, item_destructor(lw, item), p);
}

static void
raise_no_memory(PjLower *lw, LLVMValueRef bad)
{
    pj_lower_check(lw, bad, "MemoryError", "cannot allocate the list");
}

/* A new list of type lt with n items, not yet stored. */
static LLVMValueRef
new_list(PjLower *lw, PjType *lt, LLVMValueRef n)
{
    PjType *item = pj_list_item(lt);
    LLVMTypeRef p[2] = {lw->t_i64, lw->t_i64};
    LLVMValueRef a[2] = {n, itemsize(lw, item)};
    LLVMValueRef list = pj_lower_helper(lw, "pj_rt_list_new", lw->t_ptr, p,
                                        a, 2);
    raise_no_memory(lw, LLVMBuildIsNull(lw->b, list, ""));
    set_destructor(lw, list, item);
    return list;
}

/* Stores v as item i, which holds nothing yet: the list takes a
   reference to what v holds. */
static void
init_item(PjLower *lw, PjType *item, LLVMValueRef list, LLVMValueRef i,
          LLVMValueRef v)
{
    LLVMValueRef st = LLVMBuildStore(lw->b, pj_lower_taken(lw, v, item),
                                     item_address(lw, item, list, i));
    pj_tbaa_tag(lw, st, PJ_ALIAS_LIST_ITEM);
}

/* Appends v (of the item type) to the list, of type lt. */
static void
append_item(PjLower *lw, PjType *lt, LLVMValueRef list, LLVMValueRef v)
{
    PjType *item = pj_list_item(lt);
    LLVMValueRef n = load_field(lw, list, F_LEN);
    LLVMValueRef full = LLVMBuildICmp(lw->b, LLVMIntSGE, n,
                                      load_field(lw, list, F_CAP), "");
    LLVMBasicBlockRef grow = LLVMAppendBasicBlockInContext(lw->ctx, lw->func,
                                                           "list.grow");
    LLVMBasicBlockRef store = LLVMAppendBasicBlockInContext(lw->ctx,
                                                            lw->func,
                                                            "list.store");
    LLVMBuildCondBr(lw->b, full, grow, store);
    LLVMPositionBuilderAtEnd(lw->b, grow);
    LLVMTypeRef p[3] = {lw->t_ptr, lw->t_i64, lw->t_i64};
    LLVMValueRef a[3] = {list, LLVMBuildAdd(lw->b, n, pj_i64(lw, 1), ""),
                         itemsize(lw, item)};
    LLVMValueRef rc = pj_lower_helper(lw, "pj_rt_list_reserve", lw->t_i32, p,
                                      a, 3);
    raise_no_memory(lw, LLVMBuildICmp(lw->b, LLVMIntNE, rc,
                                      pj_i32(lw, 0), ""));
    set_destructor(lw, list, item);
    LLVMBuildBr(lw->b, store);
    LLVMPositionBuilderAtEnd(lw->b, store);
    init_item(lw, item, list, n, v);
    store_field(lw, list, F_LEN, LLVMBuildAdd(lw->b, n, pj_i64(lw, 1), ""));
    mark_dirty(lw, lt, list);
}

/* i as an index of a list of n items: negative counts from the end;
   IndexError(msg) when there is no such item. */
static LLVMValueRef
checked_index(PjLower *lw, LLVMValueRef i, LLVMValueRef n, const char *msg)
{
    LLVMValueRef neg = LLVMBuildICmp(lw->b, LLVMIntSLT, i, pj_i64(lw, 0), "");
    i = LLVMBuildSelect(lw->b, neg, LLVMBuildAdd(lw->b, i, n, ""), i, "");
    pj_lower_check(lw, LLVMBuildICmp(lw->b, LLVMIntUGE, i, n, ""),
                   "IndexError", msg);
    return i;
}

/* The index operand of a GETITEM or SETITEM, or a STATIC_GETITEM's
   constant. */
static LLVMValueRef
index_operand(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    if (ins->op == PJ_OP_STATIC_GETITEM) {
        return pj_i64(lw, ins->sub);
    }
    return pj_lower_convert(lw, args[1], ins->argtys[1], pj_t.i64);
}

/* --- operations --- */

/* [a, b, ...]: the items converted to the list's item type. */
static LLVMValueRef
lower_build(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *item = pj_list_item(ins->resty);
    LLVMValueRef list = new_list(lw, ins->resty, pj_i64(lw, ins->nsrc));
    for (int i = 0; i < ins->nsrc; i++) {
        init_item(lw, item, list, pj_i64(lw, i), args[i]);
    }
    return list;
}

static const PjImpl impl_build = {"build_list", lower_build, true, true};

/* The item type of a list of functions made of `item`s: the set of
   functions its variable holds once others are appended to it
   (refined_item), or item. */
static PjType *
appended_functions(PjInstr *ins, PjType *item)
{
    PjType *lt = ins->dst ? ins->dst->type : NULL;
    PjType *held = lt && lt->kind == PJ_TK_LIST ? pj_list_item(lt) : NULL;
    if (held == NULL || held == item || item == NULL) {
        return item;
    }
    return pj_funcset_unify(held, item) == held ? held : item;
}

int
pj_type_build_list(PjCompile *cx, PjInstr *ins, PjType **items, int n)
{
    PjType *item = NULL;
    for (int i = 0; i < n; i++) {
        PjType *held = pj_type_str_value(items[i]);
        PjType *u = pj_type_unify(item, held);
        if (u == NULL || !can_be_item(held)) {
            return pj_infer_fail(cx, ins, "cannot make a list of %s and %s",
                                 pj_type_str(item ? item : items[i]),
                                 pj_type_str(items[i]));
        }
        item = u;
    }
    item = appended_functions(ins, item);
    PjType *argtys[PJ_MAX_ARGS];
    for (int i = 0; i < n; i++) {
        argtys[i] = item;
    }
    PjType *lt = pj_type_list(item, 0);
    cx->can_raise = true;       /* MemoryError */
    return lt ? pj_choose(cx, ins, &impl_build, lt, argtys, n) : -1;
}

static LLVMValueRef
lower_len(PjLower *lw, PjInstr *Py_UNUSED(ins), LLVMValueRef *args)
{
    return load_field(lw, args[0], F_LEN);
}

static const PjImpl impl_len = {"len", lower_len, false, false};

static int
list_len(PjCompile *cx, PjInstr *ins, PjType *t)
{
    return pj_choose(cx, ins, &impl_len, pj_t.i64, &t, 1);
}

static LLVMValueRef
list_truth(PjLower *lw, LLVMValueRef v, PjType *Py_UNUSED(t))
{
    return LLVMBuildICmp(lw->b, LLVMIntNE, load_field(lw, v, F_LEN),
                         pj_i64(lw, 0), "");
}

/* a, b = lst: its items, as many as the targets, checked when it runs
   (aeon's `means, stds = _sliding_mean_std(X, m)` of a function that
   returns [movmean, movstd]). */
static LLVMValueRef
lower_unpack(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *item = pj_list_item(ins->argtys[0]);
    unsigned n = (unsigned)ins->plan.n;
    pj_lower_check_unpack(lw, load_field(lw, args[0], F_LEN), n);
    LLVMValueRef t = LLVMGetUndef(pj_lower_type(lw, ins->resty));
    for (unsigned i = 0; i < n; i++) {
        t = LLVMBuildInsertValue(lw->b, t, load_item(lw, item, args[0],
                                                     pj_i64(lw, i)), i, "");
    }
    return t;
}

static const PjImpl impl_unpack = {"unpack", lower_unpack, true, false};

static int
list_unpack(PjCompile *cx, PjInstr *ins, PjType *t, int n)
{
    PjType *item = pj_list_item(t);
    if (item == NULL) {
        cx->why = "the list's item type is not known yet";
        return 1;
    }
    PjType *items[PJ_MAX_ARGS];
    for (int i = 0; i < n; i++) {
        items[i] = item;
    }
    PjType *tt = pj_type_tuple(items, n);
    cx->can_raise = true;           /* ValueError: another length */
    return tt ? pj_choose_plan(cx, ins, &impl_unpack, tt, &t, 1,
                               (PjPlan){.n = n})
              : -1;
}

static LLVMValueRef
lower_getitem(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    LLVMValueRef i = checked_index(lw, index_operand(lw, ins, args),
                                   load_field(lw, args[0], F_LEN),
                                   "list index out of range");
    return load_item(lw, ins->resty, args[0], i);
}

static const PjImpl impl_getitem = {"getitem", lower_getitem, true, false};

static LLVMValueRef
lower_setitem(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *item = pj_list_item(ins->argtys[0]);
    LLVMValueRef i = checked_index(lw, index_operand(lw, ins, args),
                                   load_field(lw, args[0], F_LEN),
                                   "list assignment index out of range");
    LLVMValueRef p = item_address(lw, item, args[0], i);
    LLVMValueRef old = LLVMBuildLoad2(lw->b, pj_lower_type(lw, item), p, "");
    LLVMValueRef st = LLVMBuildStore(lw->b, pj_lower_taken(lw, args[2], item),
                                     p);
    pj_tbaa_tag(lw, old, PJ_ALIAS_LIST_ITEM);
    pj_tbaa_tag(lw, st, PJ_ALIAS_LIST_ITEM);
    pj_lower_decref_value(lw, old, item);
    mark_dirty(lw, ins->argtys[0], args[0]);
    return NULL;
}

static const PjImpl impl_setitem = {"setitem", lower_setitem, true, false};

/* --- what pyjit/_lists.py implements --- */

static PyObject *library;       /* name -> dispatcher, loaded on first use */

static PyObject *
library_function(const char *name)
{
    return pj_library_named(&library, "pyjit._lists", name);
}

/* The dispatcher of pyjit/_lists.py's operation `name` (eq, lt...), which
   other sequences compare with too (bytes.c), or NULL (borrowed). */
PyObject *
pj_list_operation(const char *name)
{
    return library_function(name);
}

/* The dispatcher implementing list.name(), or NULL (borrowed). */
PyObject *
pj_list_method(const char *name)
{
    return pj_library_prefixed(&library, "pyjit._lists", "list", name);
}

static PyObject *
list_library_method(PjType *Py_UNUSED(t), const char *name,
                    bool Py_UNUSED(parallel))
{
    return pj_list_method(name);
}

static const PjImpl impl_library = {"list library", pj_library_lower_call,
                                    true, true};

/* An operation on lists done by the function `name` of pyjit/_lists.py,
   called with operands of types args. */
static int
choose_library(PjCompile *cx, PjInstr *ins, const char *name, PjType **args,
               int n)
{
    PyObject *disp = library_function(name);
    if (disp == NULL) {
        return -1;
    }
    return pj_library_choose_call(cx, ins, &impl_library, disp, args, n);
}

/* The (start, step, count) of slice s (of slice type st) over n items,
   an [3 x i64]; ValueError for a zero step. */
static LLVMValueRef
slice_span(PjLower *lw, LLVMValueRef s, PjType *st, LLVMValueRef n)
{
    LLVMTypeRef at = LLVMArrayType2(lw->t_i64, 3);
    LLVMValueRef in = pj_lower_alloca(lw, at, "slice");
    LLVMValueRef out = pj_lower_alloca(lw, at, "span");
    LLVMBuildStore(lw->b, s, in);
    LLVMTypeRef p[4] = {lw->t_ptr, lw->t_i32, lw->t_i64, lw->t_ptr};
    LLVMValueRef a[4] = {in, pj_i32(lw, st->ident), n, out};
    LLVMValueRef rc = pj_lower_helper(lw, "pj_rt_slice_span", lw->t_i32, p, a,
                                      4);
    LLVMBasicBlockRef ok = pj_lower_fail_begin(
        lw, LLVMBuildICmp(lw->b, LLVMIntNE, rc, pj_i32(lw, 0), ""));
    pj_lower_fail_end(lw, ok);
    return LLVMBuildLoad2(lw->b, at, out, "");
}

/* The slice operand of l[s]: a STATIC_GETITEM's constant slice as the
   value of its type, or the operand itself. */
static LLVMValueRef
slice_operand(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    if (ins->op != PJ_OP_STATIC_GETITEM) {
        return args[1];
    }
    PySliceObject *s = (PySliceObject *)ins->obj;
    LLVMValueRef v = LLVMConstNull(pj_lower_type(lw, ins->argtys[1]));
    PyObject *parts[3] = {s->start, s->stop, s->step};
    for (unsigned k = 0; k < 3; k++) {
        if (parts[k] != Py_None) {
            /* beyond int64 clamped, as CPython clamps slice indices */
            int over = 0;
            long long x = PyLong_AsLongLongAndOverflow(parts[k], &over);
            x = over > 0 ? INT64_MAX : over < 0 ? INT64_MIN : x;
            v = LLVMBuildInsertValue(lw->b, v, pj_i64(lw, x), k, "");
        }
    }
    return v;
}

typedef struct {
    PjType *item;
    LLVMValueRef src, dst, start, step;
} SliceCopy;

static void
copy_one(PjLower *lw, LLVMValueRef k, void *ctx)
{
    SliceCopy *c = ctx;
    LLVMValueRef i = LLVMBuildNSWAdd(lw->b, c->start,
                                     LLVMBuildNSWMul(lw->b, k, c->step, ""),
                                     "");
    init_item(lw, c->item, c->dst, k, load_item(lw, c->item, c->src, i));
}

/* l[s]: a new list of the count items the slice selects, made with room
   for them and filled in place (each item taking a reference). */
static LLVMValueRef
lower_getslice(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    LLVMValueRef span = slice_span(lw, slice_operand(lw, ins, args),
                                   ins->argtys[1],
                                   load_field(lw, args[0], F_LEN));
    SliceCopy c = {pj_list_item(ins->resty), args[0], NULL,
                   pj_part(lw, span, 0), pj_part(lw, span, 1)};
    LLVMValueRef count = pj_part(lw, span, 2);
    c.dst = new_list(lw, ins->resty, count);
    pj_array_for_each(lw, count, copy_one, &c);
    return c.dst;
}

static const PjImpl impl_getslice = {"getslice", lower_getslice, true, true};

/* l[s]: a list of l's item type, typed if l is, not reflected. */
static int
type_getslice(PjCompile *cx, PjInstr *ins, PjType *t, PjType *st)
{
    PjType *lt = st ? pj_type_list(pj_list_item(t), t->ident & PJ_LIST_TYPED)
                    : NULL;
    PjType *args[2] = {t, st};
    cx->can_raise = true;       /* ValueError, MemoryError */
    return lt ? pj_choose(cx, ins, &impl_getslice, lt, args, 2) : -1;
}

/* The type of a constant slice obj: its parts that are not None. */
static PjType *
const_slice_type(PyObject *s)
{
    int given = (((PySliceObject *)s)->start != Py_None ? PJ_SLICE_START : 0)
                | (((PySliceObject *)s)->stop != Py_None ? PJ_SLICE_STOP : 0)
                | (((PySliceObject *)s)->step != Py_None ? PJ_SLICE_STEP : 0);
    return pj_type_slice(given);
}

static int
list_getitem(PjCompile *cx, PjInstr *ins, PjType *t, PjType *idx)
{
    PjType *item = pj_list_item(t);
    if (item == NULL) {
        cx->why = "the list's item type is not known yet";
        return 1;
    }
    if (ins->op == PJ_OP_STATIC_GETITEM && ins->obj != NULL) {
        return type_getslice(cx, ins, t, const_slice_type(ins->obj));
    }
    if (idx != NULL && pj_type_is_slice(idx)) {
        return type_getslice(cx, ins, t, idx);
    }
    if (idx != NULL && !pj_type_is_intlike(idx)) {
        cx->why = "list indices must be integers or slices";
        return 1;
    }
    cx->can_raise = true;
    PjType *args[2] = {t, idx ? idx : pj_t.i64};
    return pj_choose(cx, ins, &impl_getitem, item, args, idx ? 2 : 1);
}

/* Whether a value of type v can be stored as an item of type item: the
   same type, or numbers converted as Numba converts them. */
static bool
storable(PjType *item, PjType *v)
{
    return pj_type_unify(item, v) == item
           || (pj_type_is_number(item) && pj_type_is_number(v));
}

static int
list_setitem(PjCompile *cx, PjInstr *ins, PjType *t, PjType *idx,
             PjType *value)
{
    PjType *item = pj_list_item(t);
    if (item == NULL) {
        cx->why = "the list's item type is not known yet";
        return 1;
    }
    if (pj_type_is_slice(idx)) {
        PjType *args[3] = {t, idx, value};
        return choose_library(cx, ins, "setslice", args, 3);
    }
    if (!pj_type_is_intlike(idx) || !storable(item, value)) {
        return 1;
    }
    cx->can_raise = true;
    PjType *args[3] = {t, pj_t.i64, item};
    return pj_choose(cx, ins, &impl_setitem, NULL, args, 3);
}

/* +, +=, *, *=, ==, !=, <, <=, >, >=, in, not in. */
static int
list_operator(PjCompile *cx, PjInstr *ins, PjType *a, PjType *b)
{
    static const char *const cmp[] = {"eq", "ne", "lt", "le", "gt", "ge"};
    PjType *args[2] = {a, b};
    bool la = a->kind == PJ_TK_LIST, lb = b && b->kind == PJ_TK_LIST;
    if (ins->op == PJ_OP_COMPARE) {
        if (ins->sub == PJ_CMP_IN || ins->sub == PJ_CMP_NOTIN) {
            if (!lb) {
                return 1;
            }
            return choose_library(cx, ins, ins->sub == PJ_CMP_IN
                                  ? "contains" : "not_contains", args, 2);
        }
        if (ins->sub > PJ_CMP_GE || !la || !lb) {
            return 1;
        }
        return choose_library(cx, ins, cmp[ins->sub], args, 2);
    }
    bool inplace = ins->op == PJ_OP_INPLACE;
    if (ins->op == PJ_OP_UNARY || b == NULL) {
        return 1;
    }
    if (ins->sub == PJ_BIN_ADD && la && lb) {
        return choose_library(cx, ins, inplace ? "iadd" : "add", args, 2);
    }
    if (ins->sub == PJ_BIN_MUL && la && pj_type_is_intlike(b)) {
        return choose_library(cx, ins, inplace ? "imul" : "mul", args, 2);
    }
    if (ins->sub == PJ_BIN_MUL && lb && pj_type_is_intlike(a) && !inplace) {
        return choose_library(cx, ins, "rmul", args, 2);
    }
    return 1;
}

/* --- methods --- */

static LLVMValueRef
lower_append(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    append_item(lw, ins->argtys[0], args[0], args[1]);
    return NULL;
}

static const PjImpl impl_append = {"list.append", lower_append, true, false};

/* The variable a method call's object came from: x in x.m(...). */
static PjVar *
method_receiver(PjInstr *ins)
{
    PjVar *bound = ins->src[0];
    if (bound->ndefs == 1 && bound->def->op == PJ_OP_GETATTR) {
        return bound->def->src[0];
    }
    return NULL;
}

/* The item type a list of `item` becomes when v is appended to it: v's
   when the item type is not known yet, or the unification of the two when
   the item is itself a container not known yet (the outer list of a
   nested comprehension, appended an inner list typed later), or the set
   of functions a list of functions holds with v appended (funcset.c);
   NULL when the list's type stays. */
static PjType *
refined_item(PjType *item, PjType *v)
{
    if (item == NULL) {
        return v;
    }
    if (!is_partial(item)) {
        PjType *fs = pj_funcset_unify(item, v);
        return fs != item ? fs : NULL;
    }
    PjType *u = pj_type_unify(item, v);
    return u != item ? u : NULL;
}

/* l.append(v); on a list whose item type is not known yet, the variable
   holding it becomes a list of v's type.  A string constant is appended
   as the string it is. */
static int
type_append(PjCompile *cx, PjInstr *ins, PjType *t, PjType *v)
{
    PjType *item = pj_list_item(t);
    v = pj_type_str_value(v);
    if (!can_be_item(v)) {
        return 1;
    }
    PjType *refined = refined_item(item, v);
    if (refined != NULL) {
        PjVar *recv = method_receiver(ins);
        PjType *lt = pj_type_list(refined, t->ident);
        if (recv == NULL || lt == NULL) {
            return lt ? 1 : -1;
        }
        pj_infer_refine(cx, recv, lt);
        return -1;      /* typed again once the variable is refined */
    }
    if (!storable(item, v)) {
        return 1;
    }
    cx->can_raise = true;
    PjType *args[2] = {t, item};
    return pj_choose(cx, ins, &impl_append, pj_t.none, args, 2);
}

/* l.extend(iterable): a list of what the iterable yields, for a list
   whose item type is not known yet. */
static int
type_extend(PjCompile *cx, PjInstr *ins, PjType *t, PjType *v)
{
    PjType *it = pj_type_iter_of(v);
    if (it == NULL) {
        PyErr_Clear();
        return 1;
    }
    if (pj_list_item(t) == NULL) {
        PjVar *recv = method_receiver(ins);
        PjType *lt = can_be_item(it->item)
                     ? pj_type_list(it->item, t->ident) : NULL;
        if (recv == NULL || lt == NULL) {
            return 1;
        }
        pj_infer_refine(cx, recv, lt);
        return -1;
    }
    PjType *args[2] = {t, v};
    return choose_library(cx, ins, v->kind == PJ_TK_LIST ? "extend_list"
                                                         : "extend_iter",
                          args, 2);
}

/* The methods with a typer of their own: append, extend, and
   __delitem__ (del l[i], del l[a:b]); the others are pyjit/_lists.py's,
   found by pj_library_method. */
static const char *const own_methods[] = {"append", "extend", "__delitem__"};

static int
list_method(PjCompile *cx, PjInstr *ins, PjType *t, const char *name,
            PjType **args, int n)
{
    if (n != 1) {
        return 1;
    }
    if (strcmp(name, "append") == 0) {
        return type_append(cx, ins, t, args[0]);
    }
    if (strcmp(name, "extend") == 0) {
        return type_extend(cx, ins, t, args[0]);
    }
    if (strcmp(name, "__delitem__") == 0 && pj_list_item(t) != NULL) {
        PjType *two[2] = {t, args[0]};
        if (pj_type_is_slice(args[0])) {
            return choose_library(cx, ins, "delslice", two, 2);
        }
        return pj_type_is_intlike(args[0])
               ? choose_library(cx, ins, "delitem", two, 2) : 1;
    }
    return 1;
}

static bool
is_own_method(const char *name)
{
    for (size_t i = 0; i < sizeof(own_methods) / sizeof(*own_methods); i++) {
        if (strcmp(name, own_methods[i]) == 0) {
            return true;
        }
    }
    return false;
}

static int
list_getattr(PjCompile *cx, PjInstr *ins, PjType *t)
{
    if (!is_own_method(ins->name) && pj_list_method(ins->name) == NULL) {
        return 1;
    }
    PjType *b = pj_type_bound(cx->arena, t, ins->name);
    return b ? pj_choose(cx, ins, &pj_impl_self, b, &t, 1) : -1;
}

/* --- the intrinsics pyjit/_lists.py is written with --- */

/* _list_truncate(l, n): drops the items from n on (0 <= n <= len). */
static void
release_from(PjLower *lw, LLVMValueRef i, void *ctx)
{
    LLVMValueRef *c = ctx;     /* the list, its item type as a pointer */
    PjType *item = (PjType *)c[1];
    LLVMValueRef j = LLVMBuildAdd(lw->b, i, c[2], "");
    pj_lower_decref_value(lw, load_item(lw, item, c[0], j), item);
}

static LLVMValueRef
lower_truncate(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *item = pj_list_item(ins->argtys[0]);
    LLVMValueRef n = pj_lower_convert(lw, args[1], ins->argtys[1], pj_t.i64);
    if (item != NULL && pj_type_holds_memory(item)) {
        LLVMValueRef ctx[3] = {args[0], (LLVMValueRef)item, n};
        LLVMValueRef len = load_field(lw, args[0], F_LEN);
        pj_array_for_each(lw, LLVMBuildSub(lw->b, len, n, ""), release_from,
                          ctx);
    }
    store_field(lw, args[0], F_LEN, n);
    mark_dirty(lw, ins->argtys[0], args[0]);
    return NULL;
}

static const PjImpl impl_truncate = {"list_truncate", lower_truncate, false,
                                     false};

int
pj_type_list_truncate(PjCompile *cx, PjInstr *ins,
                      const PjCallable *Py_UNUSED(fn), PjType **args, int n)
{
    if (n != 2 || args[0]->kind != PJ_TK_LIST
        || !pj_type_is_integer(args[1])) {
        return 1;
    }
    return pj_choose(cx, ins, &impl_truncate, pj_t.none, args, 2);
}

/* _list_empty(l): a new empty list of l's item type, not reflected. */
static LLVMValueRef
lower_empty(PjLower *lw, PjInstr *ins, LLVMValueRef *Py_UNUSED(args))
{
    return new_list(lw, ins->resty, pj_i64(lw, 0));
}

static const PjImpl impl_empty = {"list_empty", lower_empty, true, true};

int
pj_type_list_empty(PjCompile *cx, PjInstr *ins,
                   const PjCallable *Py_UNUSED(fn), PjType **args, int n)
{
    if (n != 1 || args[0]->kind != PJ_TK_LIST) {
        return 1;
    }
    PjType *lt = pj_type_list(pj_list_item(args[0]),
                              args[0]->ident & PJ_LIST_TYPED);
    cx->can_raise = true;
    return lt ? pj_choose(cx, ins, &impl_empty, lt, args, 1) : -1;
}

/* list() or List(): an empty list whose item type is not known yet;
   list(iterable) or List(iterable): the library's function `from`. */
static int
type_new_list(PjCompile *cx, PjInstr *ins, PjType **args, int n, int flags,
              const char *from)
{
    if (n == 0 || args[0] == NULL) {
        PjType *lt = pj_type_list(NULL, flags);
        cx->can_raise = true;
        return lt ? pj_choose(cx, ins, &impl_empty, lt, NULL, 0) : -1;
    }
    if (pj_type_iter_of(args[0]) == NULL) {
        PyErr_Clear();
        return 1;
    }
    return choose_library(cx, ins, from, args, 1);
}

int
pj_type_list_call(PjCompile *cx, PjInstr *ins,
                  const PjCallable *Py_UNUSED(fn), PjType **args, int n)
{
    return type_new_list(cx, ins, args, n, 0, "list_from");
}

/* List(), List(iterable), List.empty_list(item_type) of pyjit.typed. */
int
pj_type_typed_list(PjCompile *cx, PjInstr *ins,
                   const PjCallable *Py_UNUSED(fn), PjType **args, int n)
{
    return type_new_list(cx, ins, args, n, PJ_LIST_TYPED, "typed_from");
}

int
pj_type_typed_empty_list(PjCompile *cx, PjInstr *ins,
                         const PjCallable *Py_UNUSED(fn), PjType **args,
                         int n)
{
    PjType *item = n >= 1 ? pj_class_target(args[0]) : NULL;
    if (n > 2 || (n == 2 && !pj_type_is_integer(args[1]))) {
        return 1;
    }
    PjType *lt = item && can_be_item(item)
                 ? pj_type_list(item, PJ_LIST_TYPED) : NULL;
    if (lt == NULL) {
        return 1;
    }
    cx->can_raise = true;
    return pj_choose(cx, ins, &impl_empty, lt, args, n);
}

/* The numbers at the bottom of nested lists (rows may be tuples of one
   type: np.array of a list of (i, j) pairs), and how deep they are. */
static PjType *
leaf_of(PjType *t, int *depth)
{
    *depth = 0;
    while (t != NULL && (t->kind == PJ_TK_LIST || pj_type_is_unituple(t))) {
        t = t->kind == PJ_TK_LIST ? pj_list_item(t) : pj_type_elem(t, 0);
        ++*depth;
    }
    return t != NULL && pj_type_is_number(t) ? t : NULL;
}

/* The number type a list of the numbers of the tuple t would hold (their
   promotion), or NULL when an item is not a number. */
static PjType *
promoted_items(PjType *t)
{
    PjType *r = t->count > 0 ? pj_type_elem(t, 0) : NULL;
    for (int i = 1; r != NULL && i < t->count; i++) {
        PjType *e = pj_type_elem(t, i);
        r = e == r ? r : pj_type_promote(r, e);
    }
    return r != NULL && pj_type_is_number(r) ? r : NULL;
}

/* _list_dtype(l): the NumPy scalar class of l's numbers, a constant; of a
   tuple of numbers, of the list of them, without making it. */
int
pj_type_list_dtype(PjCompile *cx, PjInstr *ins,
                   const PjCallable *Py_UNUSED(fn), PjType **args, int n)
{
    int depth;
    PjType *leaf = n != 1 ? NULL
                   : pj_type_is_tuple(args[0]) && !pj_type_is_unituple(args[0])
                       ? promoted_items(args[0]) : leaf_of(args[0], &depth);
    PyObject *cls = leaf ? (PyObject *)PyArray_TypeObjectFromType(
                               pj_type_numpy_num(leaf)) : NULL;
    if (cls == NULL) {
        PyErr_Clear();
        return 1;
    }
    int rc = pj_arena_add_pyobject(cx->arena, cls);
    Py_DECREF(cls);
    PjType *t = rc < 0 ? NULL : pj_type_class(cx->arena, cls, leaf->code);
    return t ? pj_choose_plan(cx, ins, &pj_impl_constant, t, args, 1,
                              (PjPlan){.ptr = cls}) : -1;
}

/* np.array(obj, dtype): the library's "array_as_<dtype>" of obj; the
   dtype is a constant, not an operand. */
static int
type_array_as(PjCompile *cx, PjInstr *ins, PjType **args)
{
    PjType *dtype = pj_array_dtype_named(args[1]);
    if (dtype == NULL) {
        cx->why = "the dtype is a NumPy number type (np.float32, float, "
                  "'int16', a.dtype)";
        return 1;
    }
    char name[64];
    snprintf(name, sizeof(name), "array_as_%s", pj_type_str(dtype));
    RETURN_IF_ERROR(choose_library(cx, ins, name, args, 1));
    PjType **argtys = PJ_NEW_N(cx->arena, PjType *, 2);
    if (argtys == NULL) {
        return -1;
    }
    argtys[0] = ins->argtys[0];
    argtys[1] = args[1];
    ins->argtys = argtys;
    return 0;
}

/* A tuple of tuples of numbers, all of one type (((1, 2), (3, 4))): the
   rows of a 2-d array. */
static bool
is_tuple_of_rows(PjType *t)
{
    if (!pj_type_is_tuple(t) || t->count == 0) {
        return false;
    }
    PjType *row = pj_type_elem(t, 0);
    for (int i = 1; i < t->count; i++) {
        if (pj_type_elem(t, i) != row) {
            return false;
        }
    }
    return pj_type_is_tuple(row) && row->count > 0
           && pj_type_is_number(pj_type_elem(row, 0));
}

/* np.array(l) of a list of numbers or of lists or tuples of them (1 or 2
   dimensions), or of a tuple of numbers or of equal tuples of them,
   np.asarray(l); of an array, a
   copy (np.array) or the array itself (np.asarray); of a number, a 0-d
   array; with a dtype, that cast to it. */
int
pj_type_np_array(PjCompile *cx, PjInstr *ins, const PjCallable *fn,
                 PjType **args, int n)
{
    if (n == 2) {
        return type_array_as(cx, ins, args);
    }
    if (pj_type_is_tuple(args[0]) && args[0]->count > 0
        && pj_type_is_number(pj_type_elem(args[0], 0))) {
        return choose_library(cx, ins, "array_tuple", args, 1);
    }
    if (is_tuple_of_rows(args[0])) {
        return choose_library(cx, ins, "array_tuple_2d", args, 1);
    }
    if (pj_type_is_array(args[0])) {
        return choose_library(cx, ins, fn->id == PJ_FN_NP_ARRAY
                              ? "array_copy" : "array_same", args, 1);
    }
    if (pj_type_is_number(args[0])) {
        return choose_library(cx, ins, "array_scalar", args, 1);
    }
    int depth;
    if (args[0]->kind != PJ_TK_LIST || leaf_of(args[0], &depth) == NULL
        || depth > 2) {
        return 1;
    }
    return choose_library(cx, ins, depth == 1 ? "array_1d" : "array_2d", args,
                          1);
}

/* --- np.array([e for x in xs]): the list becomes the array --- */

/* A list that one append per item of a range or an array fills: made
   with room for them all, and no item yet. */
static LLVMValueRef
lower_build_sized(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *st = ins->argtys[0];
    LLVMValueRef n = pj_type_is_array(st)
                     ? pj_array_dim(lw, args[0], PJ_ARRAY_SHAPE, 0)
                     : pj_lower_range_len(lw, args[0], st);
    /* the variable's type: appends refined the item type after `[]` */
    LLVMValueRef list = new_list(lw, ins->dst->type, n);
    store_field(lw, list, F_LEN, pj_i64(lw, 0));
    return list;
}

static const PjImpl impl_build_sized = {"build_list", lower_build_sized,
                                        true, true};

/* The append of such a list: there is room, so no test and no call, and
   LLVM keeps the length in a register and can vectorize the loop. */
static LLVMValueRef
lower_append_sized(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    LLVMValueRef n = load_field(lw, args[0], F_LEN);
    init_item(lw, pj_list_item(ins->argtys[0]), args[0], n, args[1]);
    store_field(lw, args[0], F_LEN, LLVMBuildAdd(lw->b, n, pj_i64(lw, 1), ""));
    return NULL;
}

static const PjImpl impl_append_sized = {"list.append", lower_append_sized,
                                         false, false};

/* np.array of the filled list, which nothing uses after: a 1-d array of
   the list's items where they are, holding the list's block. */
static LLVMValueRef
lower_array_of_filled(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *at = ins->resty;
    LLVMValueRef list = args[0];
    pj_lower_incref_value(lw, list, ins->argtys[0]);
    LLVMTypeRef dims = LLVMArrayType2(lw->t_i64, 1);
    LLVMValueRef sh = LLVMBuildInsertValue(lw->b, LLVMGetUndef(dims),
                                           load_field(lw, list, F_LEN), 0, "");
    LLVMValueRef st = LLVMBuildInsertValue(
        lw->b, LLVMGetUndef(dims), pj_array_itemsize(lw, at->elems[0]), 0, "");
    LLVMValueRef v = LLVMGetUndef(pj_lower_type(lw, at));
    v = LLVMBuildInsertValue(lw->b, v, list, PJ_ARRAY_MEMINFO, "");
    v = LLVMBuildInsertValue(lw->b, v, LLVMConstNull(lw->t_ptr),
                             PJ_ARRAY_PARENT, "");
    v = LLVMBuildInsertValue(lw->b, v, load_field(lw, list, F_ITEMS),
                             PJ_ARRAY_DATA, "");
    v = LLVMBuildInsertValue(lw->b, v, sh, PJ_ARRAY_SHAPE, "");
    return LLVMBuildInsertValue(lw->b, v, st, PJ_ARRAY_STRIDES, "");
}

static const PjImpl impl_array_of_filled = {"array_of_list",
                                            lower_array_of_filled, false,
                                            true};

/* A comprehension (or a loop) filling a list for np.array:

       v = []                       (BUILD_LIST, no items)   block D
       it = iter(xs)                xs a range or an array   block D
     H: x, ok = next(it); if not ok: goto X
       ...; v.append(e); ...; goto H     blocks run once per item
     X: np.array(v)

   v may be copied to other names (`out = []`, `l = [...]`), and nothing
   else uses any of them.  Each item of xs appends one item, so the list
   can be made at its final size once xs is known, and the array can take
   the list's items as they are.  Numba rewrites the same loop to fill an
   array (_inline_arraycall). */
#define MAX_COPIES 4

typedef struct {
    PjInstr *build, *getiter, *append, *array;
    PjInstr *copies[MAX_COPIES];    /* from the list's variable, in order */
    int ncopies;
    PjVar *list;                    /* the array's argument */
    PjBlock *head;
} Filling;

static PjBlock *
block_of(PjFunc *fn, PjInstr *target)
{
    for (int b = 0; b < fn->blocks.len; b++) {
        PjBlock *blk = pj_ir_block(fn, b);
        for (PjInstr *ins = blk->first; ins != NULL; ins = ins->next) {
            if (ins == target) {
                return blk;
            }
        }
    }
    return NULL;
}

static bool
names_the_list(const Filling *f, PjVar *v)
{
    if (v == f->build->dst) {
        return true;
    }
    for (int i = 0; i < f->ncopies; i++) {
        if (v == f->copies[i]->dst) {
            return true;
        }
    }
    return false;
}

/* The call l.append(e), the one use of the list's append method (l any of
   its names), in *body. */
static PjInstr *
sole_append(PjFunc *fn, const int *uses, const Filling *f, PjBlock **body)
{
    for (int b = 0; b < fn->blocks.len; b++) {
        PjBlock *blk = pj_ir_block(fn, b);
        for (PjInstr *ins = blk->first; ins != NULL; ins = ins->next) {
            PjVar *m = ins->dst;
            if (ins->op != PJ_OP_GETATTR || !names_the_list(f, ins->src[0])
                || m == NULL || strcmp(ins->name, "append") != 0
                || uses[m->id] != 1) {
                continue;
            }
            for (PjInstr *c = ins->next; c != NULL; c = c->next) {
                if (c->op == PJ_OP_CALL && c->nsrc == 2 && c->src[0] == m
                    && c->impl == &impl_append) {
                    *body = blk;
                    return c;
                }
            }
            return NULL;
        }
    }
    return NULL;
}

/* The block b ends jumping to, or NULL when it branches or returns. */
static PjBlock *
jump_target(PjBlock *b)
{
    PjInstr *jump = b->last;
    return jump && jump->op == PJ_OP_JUMP ? jump->target[0] : NULL;
}

/* The loop head that blocks run once per iteration of: from `from`, each
   block ends jumping to the next, which only it enters, until a jump to
   the head; NULL when the blocks branch. */
static PjBlock *
once_per_iteration(PjBlock *from)
{
    PjBlock *b = from;
    for (int steps = 0; steps < 64; steps++) {
        PjBlock *to = jump_target(b);
        if (to == NULL) {
            return NULL;
        }
        if (to->first != NULL && to->first->op == PJ_OP_ITERNEXT) {
            return to;
        }
        if (to->preds.len != 1) {
            return NULL;
        }
        b = to;
    }
    return NULL;
}

/* Whether the block `to` follows `from` by jumps alone, each into a
   block only it enters. */
static bool
straight_to(PjBlock *from, PjBlock *to)
{
    PjBlock *b = from;
    for (int steps = 0; b != to && steps < 64; steps++) {
        PjBlock *next = jump_target(b);
        if (next == NULL || next->preds.len != 1) {
            return false;
        }
        b = next;
    }
    return b == to;
}

/* Whether `body` runs once per iteration of a loop over a range or an
   array that the block `exit` follows when it ends: f's head and getiter
   set. */
static bool
counted_body(const int *uses, PjBlock *body, PjBlock *exit, Filling *f)
{
    PjBlock *h = once_per_iteration(body);
    PjInstr *next = h ? h->first : NULL;
    PjInstr *second = next ? next->next : NULL;
    PjInstr *branch = second ? second->next : NULL;
    if (next == NULL || second == NULL || second->op != PJ_OP_PAIR_SECOND
        || second->src[0] != next->dst || branch == NULL
        || branch->op != PJ_OP_BRANCH || branch->src[0] != second->dst
        || !straight_to(branch->target[1], exit) || h->preds.len != 2
        /* the path from the branch to body, then on to the head, is
           straight */
        || branch->target[0]->preds.len != 1
        || !straight_to(branch->target[0], body)) {
        return false;
    }
    PjVar *it = next->src[0];
    PjInstr *gi = it->ndefs == 1 ? it->def : NULL;
    PjType *xs = gi && gi->op == PJ_OP_GETITER ? gi->src[0]->type : NULL;
    if (xs == NULL || uses[it->id] != 1
        || !(pj_type_is_array(xs) || pj_type_is_range(xs))) {
        return false;
    }
    f->head = h;
    f->getiter = gi;
    return true;
}

/* The list behind v, np.array's argument: v = [] directly or through
   copies, each name used once but by the append and the call. */
static bool
list_behind(const int *uses, PjVar *v, Filling *f)
{
    f->list = v;
    f->ncopies = 0;
    int named = 0;
    while (v->ndefs == 1 && v->def->op == PJ_OP_COPY) {
        if (f->ncopies == MAX_COPIES) {
            return false;
        }
        f->copies[f->ncopies++] = v->def;
        named += uses[v->id];
        v = v->def->src[0];
    }
    PjInstr *def = v->ndefs == 1 ? v->def : NULL;
    if (def == NULL || def->op != PJ_OP_BUILD_LIST || def->nsrc != 0) {
        return false;
    }
    /* the copies were found from the last; keep them in program order */
    for (int i = 0; i < f->ncopies / 2; i++) {
        PjInstr *t = f->copies[i];
        f->copies[i] = f->copies[f->ncopies - 1 - i];
        f->copies[f->ncopies - 1 - i] = t;
    }
    f->build = def;
    /* each copy reads one name; the append and the call read the others */
    return named + uses[v->id] == f->ncopies + 2;
}

/* Whether the list's copies are in block d after the list is made and
   before the iterator, or in the exit block. */
static bool
copies_in_place(PjFunc *fn, const Filling *f, PjBlock *d, PjBlock *exit)
{
    for (int i = 0; i < f->ncopies; i++) {
        PjBlock *at = block_of(fn, f->copies[i]);
        bool before_iter = false;
        for (PjInstr *p = f->build; at == d && p != NULL; p = p->next) {
            if (p == f->getiter) {
                break;
            }
            before_iter |= p == f->copies[i];
        }
        if (at != exit && !before_iter) {
            return false;
        }
    }
    return true;
}

/* Whether ins, a call, is np.array(v) or np.asarray(v) with no dtype, of
   a list of numbers made empty and filled as above: f filled in. */
static bool
array_of_filling(PjFunc *fn, const int *uses, PjInstr *ins, PjBlock *blk,
                 Filling *f)
{
    PjType *ft = ins->op == PJ_OP_CALL ? ins->src[0]->type : NULL;
    PjCallPlan *plan = ins->call;
    if (ft == NULL || (!pj_type_is_builtin(ft, PJ_FN_NP_ARRAY)
                       && !pj_type_is_builtin(ft, PJ_FN_NP_ASARRAY))
        || plan == NULL || plan->nparams < 1 || plan->nparams > 2
        || plan->src[0] < 1 || plan->nvarargs != 0
        || (plan->nparams == 2 && plan->src[1] >= 0)
        || !list_behind(uses, ins->src[plan->src[0]], f)) {
        return false;
    }
    PjType *lt = f->list->type;
    PjType *item = lt && lt->kind == PJ_TK_LIST ? pj_list_item(lt) : NULL;
    PjType *at = ins->resty;
    if (item == NULL || !pj_type_is_number(item) || at == NULL
        || !pj_type_is_array(at) || pj_array_ndim(at) != 1
        || at->elems[0] != item) {
        return false;
    }
    PjBlock *body;
    f->array = ins;
    f->append = sole_append(fn, uses, f, &body);
    if (f->append == NULL || !counted_body(uses, body, blk, f)) {
        return false;
    }
    /* the list is made in the block that jumps into the loop */
    PjBlock *d = block_of(fn, f->build);
    PjInstr *p = f->build;
    while (p != NULL && p != f->getiter) {
        p = p->next;
    }
    return p == f->getiter && jump_target(d) == f->head
           && copies_in_place(fn, f, d, blk);
}

/* Takes ins out of block d (it is not d's last instruction). */
static void
unlink_instr(PjBlock *d, PjInstr *ins)
{
    PjInstr **link = &d->first;
    while (*link != ins) {
        link = &(*link)->next;
    }
    *link = ins->next;
}

/* Puts ins into block d just before `before`. */
static void
link_before(PjBlock *d, PjInstr *ins, PjInstr *before)
{
    PjInstr **link = &d->first;
    while (*link != before) {
        link = &(*link)->next;
    }
    ins->next = before;
    *link = ins;
}

/* The list is made where the iterator is (just before it: the iterator
   may take xs's slot over), sized by what it iterates, with the copies
   made in that block after it; the append stores without testing for
   room; np.array takes the items. */
static int
fill_in_place(PjCompile *cx, Filling *f)
{
    PjFunc *fn = cx->fn;
    PjBlock *d = block_of(fn, f->build);
    PjInstr *moved[MAX_COPIES + 1] = {f->build};
    int n = 1;
    for (int i = 0; i < f->ncopies; i++) {
        if (block_of(fn, f->copies[i]) == d) {
            moved[n++] = f->copies[i];
        }
    }
    for (int i = 0; i < n; i++) {
        unlink_instr(d, moved[i]);
        link_before(d, moved[i], f->getiter);
    }
    PjVar *xs = f->getiter->src[0];
    PjInstr *b = f->build;
    b->src = PJ_NEW_N(cx->arena, PjVar *, 1);
    b->argtys = PJ_NEW_N(cx->arena, PjType *, 1);
    PjType **argtys = PJ_NEW_N(cx->arena, PjType *, 2);
    if (b->src == NULL || b->argtys == NULL || argtys == NULL) {
        return -1;
    }
    b->src[0] = xs;
    b->nsrc = 1;
    b->sub = PJ_LIST_ROOM_FOR;
    b->argtys[0] = xs->type;
    b->impl = &impl_build_sized;
    f->append->impl = &impl_append_sized;
    argtys[0] = f->list->type;
    argtys[1] = pj_t.none;      /* the dtype, when a parameter: None */
    f->array->argtys = argtys;
    f->array->call->callee = NULL;
    f->array->impl = &impl_array_of_filled;
    return 0;
}

/* np.array([e for x in xs]) over a range or an array, and the same loop
   written out with append: the list is made at its final size and
   becomes the array, where it was filled by appends that grew it and then
   copied. */
static int
comprehensions_into_arrays(PjCompile *cx, const int *uses)
{
    PjFunc *fn = cx->fn;
    for (int b = 0; b < fn->blocks.len; b++) {
        PjBlock *blk = pj_ir_block(fn, b);
        for (PjInstr *ins = blk->first; blk->reachable && ins;
             ins = ins->next) {
            Filling f;
            if (array_of_filling(fn, uses, ins, blk, &f)) {
                RETURN_IF_ERROR(fill_in_place(cx, &f));
            }
        }
    }
    return 0;
}

/* --- np.array([x, y, z]): no list --- */

/* Whether `to` follows `from` in their block and nothing between them
   assigns an operand of `from`. */
static bool
operands_kept(PjInstr *from, PjInstr *to)
{
    for (PjInstr *i = from->next; i != to; i = i->next) {
        for (int k = 0; i != NULL && k < from->nsrc; k++) {
            if (i->dst == from->src[k]) {
                return false;
            }
        }
        if (i == NULL) {
            return false;
        }
    }
    return true;
}

/* The list display (BUILD_LIST) that ins, a call of np.array or
   np.asarray, takes as its first argument when the display is of numbers
   and nothing else uses the list (uses: each variable's operand count);
   or NULL. */
static PjInstr *
array_of_display(const int *uses, PjInstr *ins)
{
    PjType *f = ins->op == PJ_OP_CALL ? ins->src[0]->type : NULL;
    if (f == NULL || (!pj_type_is_builtin(f, PJ_FN_NP_ARRAY)
                      && !pj_type_is_builtin(f, PJ_FN_NP_ASARRAY))
        || ins->call == NULL || ins->call->nparams < 1
        || ins->call->src[0] < 1) {
        return NULL;
    }
    PjVar *v = ins->src[ins->call->src[0]];
    PjInstr *def = v->ndefs == 1 ? v->def : NULL;
    if (!v->is_temp || def == NULL || def->op != PJ_OP_BUILD_LIST
        || def->nsrc == 0 || v->type == NULL || v->type->kind != PJ_TK_LIST
        || pj_list_item(v->type) == NULL
        || !pj_type_is_number(pj_list_item(v->type))
        || !operands_kept(def, ins) || uses[v->id] != 1) {
        return NULL;
    }
    return def;
}

/* The display becomes a tuple of the list's item type, and the call is
   typed again for it: np.array reads it as it reads a tuple, to the same
   dtype and values, with no list made and freed. */
static int
display_as_tuple(PjCompile *cx, PjInstr *ins, PjInstr *display)
{
    PjType *was = ins->resty;
    display->op = PJ_OP_BUILD_TUPLE;
    RETURN_IF_ERROR(pj_type_build_tuple(cx, display, display->argtys,
                                        display->nsrc));
    display->dst->type = display->resty;
    PjCallPlan *plan = ins->call;
    PjType *bound[PJ_MAX_ARGS + 1];
    for (int i = 0; i < plan->nparams; i++) {
        bound[i] = plan->src[i] < 0 ? pj_t.none : ins->src[plan->src[i]]->type;
    }
    const PjCallable *fn = pj_callable_of(ins->src[0]->type->obj);
    int rc = fn ? pj_callable_type(cx, ins, fn, bound, plan->nparams) : 1;
    if (rc != 0 || ins->resty != was) {
        return rc < 0 ? -1 : pj_infer_fail(
            cx, ins, "np.array of a list display: the tuple it reads as "
            "gave %s, not %s", pj_type_str(ins->resty), pj_type_str(was));
    }
    return 0;
}

/* np.array([x, y, z]) (and np.asarray, with a dtype or not) of numbers
   builds no list: once types are known, each such display that the call
   alone uses is made a tuple, as Numba inlines a constant list into the
   array it makes.  Small arrays made so in a loop cost what np.empty
   does.  Then np.array of a list filled one item per step of a loop
   (comprehensions_into_arrays). */
int
pj_list_arrays_without_lists(PjCompile *cx)
{
    PjFunc *fn = cx->fn;
    int *uses = PJ_NEW_N(cx->arena, int, fn->vars.len + 1);
    if (uses == NULL) {
        return -1;
    }
    memset(uses, 0, sizeof(int) * (size_t)(fn->vars.len + 1));
    pj_ir_count_uses(fn, uses);
    for (int b = 0; b < fn->blocks.len; b++) {
        PjBlock *blk = pj_ir_block(fn, b);
        for (PjInstr *ins = blk->first; blk->reachable && ins;
             ins = ins->next) {
            PjInstr *display = array_of_display(uses, ins);
            if (display != NULL) {
                RETURN_IF_ERROR(display_as_tuple(cx, ins, display));
            }
        }
    }
    return comprehensions_into_arrays(cx, uses);
}

/* max(l), min(l) of a list or a 1-d array, or of the items of another
   iterable (a set, a dict, a dict view) gathered into one. */
int
pj_type_list_extreme(PjCompile *cx, PjInstr *ins, PjType *t, bool largest)
{
    if (t->kind == PJ_TK_LIST || pj_type_is_array(t)) {
        return choose_library(cx, ins, largest ? "max_of" : "min_of", &t, 1);
    }
    return choose_library(cx, ins, largest ? "max_iter" : "min_iter", &t, 1);
}

/* max(a, b), min(a, b) of two strings, and of the strings of one tuple:
   the library's, as for a list; a constant string is passed as the string
   it is. */
int
pj_type_str_extreme(PjCompile *cx, PjInstr *ins, PjType **args, int n,
                    bool largest)
{
    PjType *u = pj_type_unicode(), *items[PJ_MAX_ARGS];
    bool tuple = n == 1 && pj_type_is_tuple(args[0]);
    int count = tuple ? args[0]->count : n;
    for (int i = 0; i < count; i++) {
        if (!pj_type_is_str(tuple ? pj_type_elem(args[0], i) : args[i])) {
            return 1;
        }
    }
    if (n == 2) {
        PjType *pair[2] = {u, u};
        return choose_library(cx, ins, largest ? "max2" : "min2", pair, 2);
    }
    if (!tuple) {
        return 1;
    }
    for (int i = 0; i < count; i++) {
        items[i] = u;
    }
    PjType *t = pj_type_tuple(items, count);
    return choose_library(cx, ins, largest ? "max_of" : "min_of", &t, 1);
}

/* reversed(l): the items of the list in reverse order (a list). */
int
pj_type_reversed(PjCompile *cx, PjInstr *ins, const PjCallable *Py_UNUSED(fn),
                 PjType **args, int n)
{
    if (n != 1 || args[0]->kind != PJ_TK_LIST) {
        return 1;
    }
    return choose_library(cx, ins, "reversed", args, 1);
}

/* any(iterable), all(iterable) */
int
pj_type_any_all(PjCompile *cx, PjInstr *ins, const PjCallable *fn,
                PjType **args, int n)
{
    PjType *it = n == 1 ? pj_type_iter_of(args[0]) : NULL;
    if (it == NULL || !pj_type_takes_truth(cx, it->item)) {
        PyErr_Clear();
        return 1;
    }
    return choose_library(cx, ins, fn->id == PJ_FN_ANY ? "any_of" : "all_of",
                          args, 1);
}

/* map(f, *iterables), filter(f, iterable): generators of pyjit/_lists.py,
   iterators as Python's are; f a function value (a jitted function, a
   builtin, a closure) or, for filter, None. */
int
pj_type_map_filter(PjCompile *cx, PjInstr *ins, const PjCallable *fn,
                   PjType **args, int n)
{
    static const char *const maps[] = {"map1", "map2", "map3"};
    bool is_map = fn->id == PJ_FN_MAP;
    if (is_map ? n < 2 || n > 4 : n != 2) {
        cx->why = is_map ? "map() takes a function and one to three "
                           "iterables"
                         : "filter() takes a function (or None) and an "
                           "iterable";
        return 1;
    }
    return choose_library(cx, ins, is_map ? maps[n - 2] : "filter_of", args,
                          n);
}

/* sorted(iterable[, key[, reverse]]) */
int
pj_type_sorted(PjCompile *cx, PjInstr *ins, const PjCallable *Py_UNUSED(fn),
               PjType **args, int n)
{
    static const char *const names[] = {"sorted1", "sorted2", "sorted"};
    if (n < 1 || n > 3 || pj_type_iter_of(args[0]) == NULL) {
        PyErr_Clear();
        return 1;
    }
    return choose_library(cx, ins, names[n - 1], args, n);
}

/* _slice_span(s, n): (start, step, count) of slice s over n items, as
   s.indices(n) and range() count them; ValueError for a zero step. */
static LLVMValueRef
lower_slice_span(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    LLVMValueRef span = slice_span(lw, args[0], ins->argtys[0],
                                   pj_lower_convert(lw, args[1],
                                                    ins->argtys[1], pj_t.i64));
    LLVMValueRef t = LLVMGetUndef(pj_lower_type(lw, ins->resty));
    for (unsigned k = 0; k < 3; k++) {
        t = LLVMBuildInsertValue(lw->b, t, pj_part(lw, span, k), k, "");
    }
    return t;
}

static const PjImpl impl_slice_span = {"slice_span", lower_slice_span, true,
                                       false};

int
pj_type_slice_span(PjCompile *cx, PjInstr *ins,
                   const PjCallable *Py_UNUSED(fn), PjType **args, int n)
{
    if (n != 2 || !pj_type_is_slice(args[0])
        || !pj_type_is_integer(args[1])) {
        return 1;
    }
    PjType *three[3] = {pj_t.i64, pj_t.i64, pj_t.i64};
    PjType *res = pj_type_tuple(three, 3);
    cx->can_raise = true;
    return res ? pj_choose(cx, ins, &impl_slice_span, res, args, 2) : -1;
}

/* --- iteration --- */

static PjType *
list_iter_type(PjType *t)
{
    PjType *item = pj_list_item(t);
    return item ? pj_type_iterator(PJ_TK_LIST_ITER, &t, 1, item) : NULL;
}

static LLVMValueRef
list_iter(PjLower *lw, LLVMValueRef l, PjType *Py_UNUSED(t), PjType *it)
{
    LLVMValueRef s = LLVMGetUndef(pj_lower_type(lw, it));
    s = LLVMBuildInsertValue(lw->b, s, l, 0, "");
    return LLVMBuildInsertValue(lw->b, s, pj_i64(lw, 0), 1, "");
}

static LLVMTypeRef
list_iter_llvm_type(PjLower *lw, PjType *Py_UNUSED(it))
{
    LLVMTypeRef f[2] = {lw->t_ptr, lw->t_i64};
    return LLVMStructTypeInContext(lw->ctx, f, 2, 0);
}

/* The next item while there is one; the length is read at every step,
   as CPython's iterator does, so that appending in the loop is seen. */
static LLVMValueRef
list_iternext(PjLower *lw, PjType *it, LLVMValueRef state, LLVMValueRef *ok)
{
    LLVMTypeRef st = pj_lower_type(lw, it);
    LLVMValueRef pl = LLVMBuildStructGEP2(lw->b, st, state, 0, "");
    LLVMValueRef pi = LLVMBuildStructGEP2(lw->b, st, state, 1, "");
    LLVMValueRef list = LLVMBuildLoad2(lw->b, lw->t_ptr, pl, "");
    LLVMValueRef i = LLVMBuildLoad2(lw->b, lw->t_i64, pi, "");
    *ok = LLVMBuildICmp(lw->b, LLVMIntSLT, i, load_field(lw, list, F_LEN),
                        "");
    LLVMBuildStore(lw->b, LLVMBuildAdd(lw->b, i, pj_i64(lw, 1), ""), pi);
    LLVMBasicBlockRef here = LLVMGetInsertBlock(lw->b);
    LLVMBasicBlockRef read = LLVMAppendBasicBlockInContext(lw->ctx, lw->func,
                                                           "iter.read");
    LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(lw->ctx, lw->func,
                                                           "iter.next");
    LLVMBuildCondBr(lw->b, *ok, read, done);
    LLVMPositionBuilderAtEnd(lw->b, read);
    LLVMValueRef item = load_item(lw, it->item, list, i);
    LLVMBuildBr(lw->b, done);
    LLVMPositionBuilderAtEnd(lw->b, done);
    LLVMValueRef phi = LLVMBuildPhi(lw->b, LLVMTypeOf(item), "");
    LLVMValueRef vals[2] = {item, LLVMConstNull(LLVMTypeOf(item))};
    LLVMBasicBlockRef from[2] = {read, here};
    LLVMAddIncoming(phi, vals, from, 2);
    return phi;
}

static void
list_iter_meminfo(PjLower *lw, LLVMValueRef v, PjType *it, LLVMValueRef valid,
                  PjMemFn f)
{
    pj_lower_field_meminfo(lw, v, 0, it->elems[0], valid, f);
}

static PjType *
unify_list_iters(PjType *a, PjType *b)
{
    PjType *u = pj_type_unify(a->elems[0], b->elems[0]);
    return u == NULL ? NULL : u == a->elems[0] ? a : u == b->elems[0] ? b
                                                   : list_iter_type(u);
}

/* --- memory --- */

static bool
list_holds_memory(PjType *Py_UNUSED(t))
{
    return true;
}


/* --- the boundary with Python --- */

static bool
list_can_box(PjType *t)
{
    PjType *item = pj_list_item(t);
    return item != NULL && pj_type_can_box(item);
}

typedef struct {
    PjType *item;
    LLVMValueRef list, obj;     /* the list, the Python list */
} Boxing;

static void
box_one(PjLower *lw, LLVMValueRef i, void *ctx)
{
    Boxing *bx = ctx;
    LLVMValueRef v = load_item(lw, bx->item, bx->list, i);
    /* boxing consumes a reference: give it one of its own */
    pj_lower_incref_value(lw, v, bx->item);
    LLVMValueRef o = pj_kind(bx->item)->box(lw, v, bx->item);
    LLVMTypeRef p[3] = {lw->t_ptr, lw->t_i64, lw->t_ptr};
    LLVMValueRef a[3] = {LLVMBuildLoad2(lw->b, lw->t_ptr, bx->obj, ""), i, o};
    LLVMBuildStore(lw->b, pj_lower_helper(lw, "pj_rt_list_pack", lw->t_ptr,
                                          p, a, 3), bx->obj);
}

/* A typed List over the same block; consumes the reference v is. */
static LLVMValueRef
box_typed(PjLower *lw, LLVMValueRef v, PjType *t)
{
    LLVMTypeRef p[2] = {lw->t_ptr, lw->t_ptr};
    LLVMValueRef a[2] = {v, pj_lower_cstring(lw, pj_type_str(t))};
    return pj_lower_helper(lw, "pj_rt_typed_list_box", lw->t_ptr, p, a, 2);
}

/* A new Python list of the items boxed; consumes the reference v is. */
static LLVMValueRef
list_box(PjLower *lw, LLVMValueRef v, PjType *t)
{
    if (is_typed(t)) {
        return box_typed(lw, v, t);
    }
    LLVMValueRef n = load_field(lw, v, F_LEN);
    Boxing bx = {pj_list_item(t), v, pj_lower_alloca(lw, lw->t_ptr, "pylist")};
    LLVMBuildStore(lw->b, pj_lower_helper(lw, "PyList_New", lw->t_ptr,
                                          &lw->t_i64, &n, 1), bx.obj);
    pj_array_for_each(lw, n, box_one, &bx);
    pj_lower_decref_value(lw, v, t);
    return LLVMBuildLoad2(lw->b, lw->t_ptr, bx.obj, "");
}

static void
unbox_one(PjLower *lw, LLVMValueRef i, void *ctx)
{
    Boxing *bx = ctx;
    LLVMValueRef a[2] = {bx->obj, i};
    LLVMTypeRef p[2] = {lw->t_ptr, lw->t_i64};
    LLVMValueRef o = pj_lower_helper(lw, "PyList_GetItem", lw->t_ptr, p, a,
                                     2);
    /* an unboxed value borrows the memory its object keeps (a typed
       List, Dict or Set, a jitclass instance) or holds none that is
       counted (an array, a str): the list takes a reference of its own,
       which releasing the list gives back */
    LLVMValueRef v = pj_kind(bx->item)->unbox(lw, o, bx->item);
    pj_lower_incref_value(lw, v, bx->item);
    LLVMBuildStore(lw->b, v, item_address(lw, bx->item, bx->list, i));
}

/* A list of the Python list's items, unboxed; the wrapper releases it
   after the call (list_unboxed). */
static LLVMValueRef
list_unbox(PjLower *lw, LLVMValueRef obj, PjType *t)
{
    if (is_typed(t)) {
        /* the List's own block: the object keeps it for the call */
        return pj_lower_helper(lw, "pj_rt_typed_list_unbox", lw->t_ptr,
                               &lw->t_ptr, &obj, 1);
    }
    PjType *item = pj_list_item(t);
    LLVMValueRef n = pj_lower_helper(lw, "PyList_Size", lw->t_i64,
                                     &lw->t_ptr, &obj, 1);
    LLVMTypeRef p[2] = {lw->t_i64, lw->t_i64};
    LLVMValueRef a[2] = {n, itemsize(lw, item)};
    LLVMValueRef list = pj_lower_helper(lw, "pj_rt_list_new", lw->t_ptr, p,
                                        a, 2);
    set_destructor(lw, list, item);
    Boxing bx = {item, list, obj};
    pj_array_for_each(lw, n, unbox_one, &bx);
    return list;
}

/* After the call: a list the call changed is written back to the
   caller's Python list, as Numba reflects it; then it is released. */
static void
list_unboxed(PjLower *lw, LLVMValueRef obj, LLVMValueRef v, PjType *t)
{
    if (is_typed(t)) {
        return;
    }
    LLVMValueRef dirty = LLVMBuildICmp(lw->b, LLVMIntNE,
                                       load_field(lw, v, F_DIRTY),
                                       pj_i64(lw, 0), "");
    LLVMBasicBlockRef write = LLVMAppendBasicBlockInContext(lw->ctx, lw->func,
                                                            "reflect");
    LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(lw->ctx, lw->func,
                                                           "reflected");
    LLVMBuildCondBr(lw->b, dirty, write, done);
    LLVMPositionBuilderAtEnd(lw->b, write);
    pj_lower_incref_value(lw, v, t);
    LLVMValueRef fresh = list_box(lw, v, t);
    LLVMTypeRef p[2] = {lw->t_ptr, lw->t_ptr};
    LLVMValueRef a[2] = {obj, fresh};
    pj_lower_helper(lw, "pj_rt_list_reflect", lw->t_void, p, a, 2);
    LLVMBuildBr(lw->b, done);
    LLVMPositionBuilderAtEnd(lw->b, done);
    pj_lower_decref_value(lw, v, t);
}

/* typeof([1, 2]) is reflected list(int64): the type of the first item,
   which every other item must share; an empty list has none, and neither
   has a list inside a list or a tuple: what compiled code changes in it
   could not be written back, as Numba cannot either. */
static PyTypeObject *typed_list_class;  /* pyjit.typed.List */

/* The type of a typed List: the one it was made with; a List() nothing
   was added to yet has none. */
static PjType *
typeof_typed(PyObject *obj, bool *untypable)
{
    PyObject *t = PyObject_GetAttrString(obj, "_type");
    if (t == NULL) {
        return NULL;
    }
    Py_DECREF(t);               /* interned: the type outlives obj */
    if (!pj_type_check(t)) {
        *untypable = true;
        return pj_t.pyobject;
    }
    return (PjType *)t;
}

static PjType *
list_typeof(PyObject *obj, bool *untypable, int depth)
{
    if (typed_list_class != NULL && Py_IS_TYPE(obj, typed_list_class)) {
        return typeof_typed(obj, untypable);
    }
    if (!PyList_CheckExact(obj)) {
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(obj);
    PjType *item = n > 0 ? pj_typeof_nested(PyList_GET_ITEM(obj, 0),
                                            untypable, depth + 1) : NULL;
    for (Py_ssize_t i = 1; item != NULL && i < n && !*untypable; i++) {
        if (pj_typeof_nested(PyList_GET_ITEM(obj, i), untypable,
                             depth + 1) != item) {
            item = NULL;
        }
    }
    if (item == NULL || *untypable || !can_be_item(item)
        || !pj_type_can_box(item) || depth > 0) {
        *untypable = true;
        return pj_t.pyobject;
    }
    return pj_type_list(item, PJ_LIST_REFLECTED);
}

static const char *
list_why_untypable(PyObject *obj, int depth)
{
    if (typed_list_class != NULL && Py_IS_TYPE(obj, typed_list_class)) {
        return "a List() nothing was added to has no item type yet: make "
               "it with List.empty_list(item_type)";
    }
    if (!PyList_CheckExact(obj)) {
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(obj);
    if (depth > 0) {
        return "cannot reflect element of reflected container: a list "
               "inside a list or a tuple (pass typed Lists)";
    }
    if (n == 0) {
        return "cannot type empty list";
    }
    bool untypable = false;
    PjType *first = pj_typeof_nested(PyList_GET_ITEM(obj, 0), &untypable,
                                     depth + 1);
    if (untypable || first == NULL) {
        return pj_typeof_why_nested(PyList_GET_ITEM(obj, 0), depth + 1);
    }
    return "the items of a list passed to compiled code must all have the "
           "same type";
}

static int
list_init(void)
{
    return pj_typeof_register(&PyList_Type, &pj_kind_list);
}

/* pyjit.typed registers its List class when it is imported. */
PyObject *
pj_list_register_typed(PyObject *cls)
{
    if (!PyType_Check(cls) || typed_list_class != NULL) {
        PyErr_SetString(PyExc_TypeError, "the typed List class is "
                        "registered once");
        return NULL;
    }
    if (pj_typeof_register((PyTypeObject *)cls, &pj_kind_list) < 0) {
        return NULL;
    }
    typed_list_class = (PyTypeObject *)Py_NewRef(cls);
    Py_RETURN_NONE;
}

/* ListType(item), or List(item, reflected) of Numba's types: the type of
   lists of item, typed (a pyjit.typed.List), reflected (a Python list
   passed in) or neither (a list compiled code makes). */
PyObject *
pj_list_type_of(PyObject *item, int flavour)
{
    if (!pj_type_check(item) || !can_be_item((PjType *)item)
        || ((PjType *)item)->code < 0) {
        PyErr_Format(PyExc_TypeError, "a List's items cannot be of type %R",
                     item);
        return NULL;
    }
    return Py_XNewRef((PyObject *)pj_type_list((PjType *)item, flavour));
}

/* A list is one object whatever variable holds it: it is never converted.
   Only a list of functions meeting one of other functions (`[f] if c
   else [g]`) gets here, which cannot hold the set in place: the list must
   be made with one of the functions and the others appended to it. */
static LLVMValueRef
list_convert(PjLower *lw, LLVMValueRef v, PjType *from, PjType *to)
{
    PjType *a = from->kind == PJ_TK_LIST ? pj_list_item(from) : NULL;
    PjType *b = pj_list_item(to);
    if (a != NULL && b != NULL && a != b && pj_funcset_unify(a, b) != NULL) {
        pj_diag(lw->cx, PJ_ERR_LOWERING, (PjLoc){0, 0}, "a %s is used as "
                "a %s: a list of functions holds other functions when they "
                "are appended to it, not when lists of different functions "
                "meet", pj_type_str(from), pj_type_str(to));
    }
    return v;
}

/* Whether t is a list (reflected or typed). */
bool
pj_type_is_list(PjType *t)
{
    return t->kind == PJ_TK_LIST;
}

const PjKind pj_kind_list = {
    .name = "list",
    .print = print_list,
    .unify = unify_lists,
    .type_getattr = list_getattr,
    .type_method = list_method,
    .type_getitem = list_getitem,
    .type_setitem = list_setitem,
    .type_operator = list_operator,
    .type_len = list_len,
    .type_unpack = list_unpack,
    .iter_type = list_iter_type,
    .llvm_type = list_llvm_type,
    .lower_truth = list_truth,
    .lower_iter = list_iter,
    .lower_convert = list_convert,
    .holds_memory = list_holds_memory,
    .each_meminfo = pj_kind_block_meminfo,
    .can_box = list_can_box,
    .box = list_box,
    .unbox = list_unbox,
    .unboxed = list_unboxed,
    .typeof = list_typeof,
    .why_untypable = list_why_untypable,
    .init = list_init,
    .library_method = list_library_method,
};

const PjKind pj_kind_list_iter = {
    .name = "list_iter",
    .print = pj_type_print_iterator,
    .unify = unify_list_iters,
    .iter_type = pj_type_iter_self,
    .llvm_type = list_iter_llvm_type,
    .lower_iter = pj_lower_iter_self,
    .lower_iternext = list_iternext,
    .holds_memory = pj_kind_elems_hold_memory,
    .each_meminfo = list_iter_meminfo,
};

/* --- runtime --- */

static PjListData *
data(PjMemInfo *mi)
{
    return (PjListData *)((char *)mi + PJ_MEMINFO_HEADER);
}

/* A list made with n items of up to INLINE_ITEMS bytes has them in its
   own block, after its header: one allocation, freed with the block.
   Growing it moves them to a buffer of their own. */
enum { INLINE_ITEMS = 64 * 1024 };

/* where they are: past the header, 16-byte aligned */
#define INLINE_AT ((int64_t)((sizeof(PjListData) + 15) & ~(size_t)15))

static bool
items_inline(PjListData *d)
{
    return d->items == (char *)d + INLINE_AT;
}

void
pj_rt_list_free_items(void *d, void *Py_UNUSED(arg))
{
    PjListData *list = d;
    if (!items_inline(list)) {
        pj_rt_buffer_free(list->items, (size_t)list->bytes);
    }
}

/* Room for n items of itemsize bytes: 0, or -1 when there is not that
   much memory. */
int32_t
pj_rt_list_reserve(PjMemInfo *mi, int64_t n, int64_t itemsize)
{
    PjListData *d = data(mi);
    if (n <= d->cap) {
        return 0;
    }
    int64_t cap = d->cap < 4 ? 4 : d->cap;
    while (cap < n && cap < INT64_MAX / 2) {
        cap *= 2;
    }
    if (cap < n || (itemsize > 0 && cap > INT64_MAX / itemsize)) {
        return -1;
    }
    size_t bytes = (size_t)(cap * (itemsize ? itemsize : 1));
    bool moved = items_inline(d);
    char *items = pj_rt_buffer_grow(moved ? NULL : d->items,
                                    moved ? 0 : (size_t)d->bytes, &bytes);
    if (items == NULL) {
        return -1;
    }
    if (moved) {
        memcpy(items, d->items, (size_t)(d->len * itemsize));
    }
    d->items = items;
    d->cap = itemsize > 0 ? (int64_t)bytes / itemsize : cap;
    d->bytes = (int64_t)bytes;
    return 0;
}

/* A new list of n items (to be stored by the caller), or NULL. */
PjMemInfo *
pj_rt_list_new(int64_t n, int64_t itemsize)
{
    bool fits = n > 0 && itemsize > 0 && n <= INLINE_ITEMS / itemsize;
    int64_t inline_bytes = fits ? n * itemsize : 0;
    PjMemInfo *mi = pj_rt_meminfo_alloc_dtor(INLINE_AT + inline_bytes, 0,
                                             pj_rt_list_free_items, NULL);
    if (mi == NULL) {
        return NULL;
    }
    PjListData *d = data(mi);
    memset(d, 0, sizeof(*d));
    if (inline_bytes > 0) {
        d->items = (char *)d + INLINE_AT;
        d->cap = n;
        d->bytes = inline_bytes;
    }
    else if (n > 0 && pj_rt_list_reserve(mi, n, itemsize) < 0) {
        pj_rt_meminfo_free(mi);
        return NULL;
    }
    d->len = n;
    return mi;
}

/* Stores item as list[i] of a new Python list, dropping both when one
   of them could not be made. */
PyObject *
pj_rt_list_pack(PyObject *list, int64_t i, PyObject *item)
{
    if (list == NULL || item == NULL) {
        Py_XDECREF(list);
        Py_XDECREF(item);
        return NULL;
    }
    PyList_SET_ITEM(list, i, item);
    return list;
}

static PyObject *typed_module;  /* pyjit/_typed_list.py, on first use */

/* The interned type called `name`. */
static PyObject *
type_named(const char *name)
{
    PyObject *all = pj_state->types_by_code;
    for (Py_ssize_t i = PyList_GET_SIZE(all) - 1; i >= 0; i--) {
        PjType *t = (PjType *)PyList_GET_ITEM(all, i);
        if (PyUnicode_CompareWithASCIIString(t->name, name) == 0) {
            return (PyObject *)t;
        }
    }
    PyErr_Format(PyExc_SystemError, "no type named %s", name);
    return NULL;
}

/* A typed List over the block mi (its reference is consumed); `name` is
   the list's type, named so that the code holds no address. */
PyObject *
pj_rt_typed_list_box(PjMemInfo *mi, const char *name)
{
    PyObject *owner = pj_runtime_memory_owner(mi);
    PyObject *mod = owner ? pj_import_once(&typed_module,
                                           "pyjit._typed_list") : NULL;
    PyObject *t = mod ? type_named(name) : NULL;
    PyObject *list = t ? PyObject_CallMethod(mod, "_wrap", "OO", owner, t)
                       : NULL;
    Py_XDECREF(owner);
    return list;
}

/* The block of a typed List (borrowed: the List holds it). */
PjMemInfo *
pj_rt_typed_list_unbox(PyObject *obj)
{
    return pj_runtime_memory_in(obj);
}

/* caller[:] = fresh (a reference, consumed). */
void
pj_rt_list_reflect(PyObject *caller, PyObject *fresh)
{
    if (fresh != NULL) {
        if (PyList_SetSlice(caller, 0, PyList_GET_SIZE(caller), fresh) < 0) {
            PyErr_WriteUnraisable(caller);
        }
        Py_DECREF(fresh);
    }
}

/* The start, step and count of slice s (given: its parts that are not
   None) over n items; -1 with ValueError for a zero step. */
int32_t
pj_rt_slice_span(const int64_t *s, int32_t given, int64_t n, int64_t *out)
{
    Py_ssize_t step = given & PJ_SLICE_STEP ? s[2] : 1;
    if (step < -PY_SSIZE_T_MAX) {
        step = -PY_SSIZE_T_MAX;     /* as PySlice_Unpack: -step fits */
    }
    if (step == 0) {
        PyGILState_STATE g = PyGILState_Ensure();
        PyErr_SetString(PyExc_ValueError, "slice step cannot be zero");
        PyGILState_Release(g);
        return -1;
    }
    Py_ssize_t start = given & PJ_SLICE_START ? s[0]
                       : step < 0 ? PY_SSIZE_T_MAX : 0;
    Py_ssize_t stop = given & PJ_SLICE_STOP ? s[1]
                      : step < 0 ? PY_SSIZE_T_MIN : PY_SSIZE_T_MAX;
    out[2] = PySlice_AdjustIndices(n, &start, &stop, step);
    out[0] = start;
    out[1] = step;
    return 0;
}
