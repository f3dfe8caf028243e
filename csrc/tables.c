/*
** tables.c - what compiled code does with the run-time table of
** hashtable.c, shared by dicts (dict.c) and sets (set.c).
**
** A table's type has the key type in elems[0] and, for a dict, the value
** type in elems[1]; an entry is {hash, key[, value]}.  The helpers here
** hash a key with its kind's lower_hash and pass the equality generated
** for its type (hashing.c), take the references a stored key or value
** holds and release those of removed entries, raise KeyError with the
** key and MemoryError when the table cannot grow, and walk the entries.
*/
#include "pyjit.h"

#include <stddef.h>

static PjType *
key_of(PjType *d)
{
    return d->elems[0];
}

/* The run-time helper of a dict ("pj_rt_table_<op>", hashtable.c) or of
   a set, whose table is laid out as CPython's ("pj_rt_set_<op>",
   settable.c). */
static const char *
helper(PjLower *lw, PjType *d, const char *op)
{
    return pj_arena_printf(lw->cx->arena, "pj_rt_%s_%s",
                           pj_type_is_set(d) ? "set" : "table", op);
}

/* --- entries --- */

LLVMTypeRef
pj_table_entry_type(PjLower *lw, PjType *d)
{
    LLVMTypeRef f[3] = {lw->t_i64};
    for (int i = 0; i < d->nelems; i++) {
        f[1 + i] = pj_lower_type(lw, d->elems[i]);
    }
    return LLVMStructTypeInContext(lw->ctx, f, 1 + (unsigned)d->nelems, 0);
}

/* The address of field i (0 the hash, 1 the key, 2 the value) of the
   entry at e. */
LLVMValueRef
pj_table_field(PjLower *lw, PjType *d, LLVMValueRef e, unsigned i)
{
    return LLVMBuildStructGEP2(lw->b, pj_table_entry_type(lw, d), e, i, "");
}

LLVMValueRef
pj_table_load(PjLower *lw, PjType *d, LLVMValueRef e, unsigned i)
{
    PjType *t = i == 0 ? pj_t.i64 : d->elems[i - 1];
    return LLVMBuildLoad2(lw->b, pj_lower_type(lw, t),
                          pj_table_field(lw, d, e, i), "");
}

/* len(d): the table's first field, after the block's header. */
LLVMValueRef
pj_table_len(PjLower *lw, LLVMValueRef mi)
{
    LLVMValueRef off[1] = {pj_i64(lw, PJ_MEMINFO_HEADER)};
    LLVMValueRef p = LLVMBuildGEP2(lw->b, lw->t_i8, mi, off, 1, "");
    return LLVMBuildLoad2(lw->b, lw->t_i64, p, "");
}

/* void f(entry *e): takes (acquire) or releases the references the key
   and value of an entry hold; a null pointer when they hold none. */
static LLVMValueRef
entry_function(PjLower *lw, PjType *d, bool acquire)
{
    if (!pj_kind_elems_hold_memory(d)) {
        return LLVMConstNull(lw->t_ptr);
    }
    const char *name = pj_arena_printf(lw->cx->arena, "pj.%s.%s",
                                       acquire ? "acquire" : "release",
                                       pj_type_str(d));
    LLVMTypeRef fty = LLVMFunctionType(lw->t_void, &lw->t_ptr, 1, 0);
    LLVMValueRef fn, outer;
    LLVMBuilderRef saved = pj_hash_begin_function(lw, name, fty, &fn, &outer);
    if (saved == NULL) {
        return fn;
    }
    PjMemFn f = acquire ? pj_lower_incref : pj_lower_decref;
    for (unsigned i = 1; i <= (unsigned)d->nelems; i++) {
        pj_lower_each_meminfo(lw, pj_table_load(lw, d, LLVMGetParam(fn, 0), i),
                              d->elems[i - 1], NULL, f);
    }
    LLVMBuildRetVoid(lw->b);
    pj_hash_end_function(lw, saved, outer);
    return fn;
}

static LLVMBasicBlockRef
new_block(PjLower *lw, const char *name)
{
    return LLVMAppendBasicBlockInContext(lw->ctx, lw->func, name);
}

/* Raises MemoryError when the table helper returned NULL. */
void
pj_table_check_memory(PjLower *lw, LLVMValueRef p)
{
    pj_lower_raise_if(lw, LLVMBuildIsNull(lw->b, p, ""),
                      "pj_rt_raise_dict_memory", NULL, NULL, 0);
}

/* Runs `then` code: returns the block to continue at after it (the
   caller branches there). */
LLVMBasicBlockRef
pj_table_begin_if(PjLower *lw, LLVMValueRef cond)
{
    LLVMBasicBlockRef then = new_block(lw, "dict.then");
    LLVMBasicBlockRef done = new_block(lw, "dict.done");
    LLVMBuildCondBr(lw->b, cond, then, done);
    LLVMPositionBuilderAtEnd(lw->b, then);
    return done;
}

void
pj_table_end_if(PjLower *lw, LLVMBasicBlockRef done)
{
    LLVMBuildBr(lw->b, done);
    LLVMPositionBuilderAtEnd(lw->b, done);
}

PjTableKey
pj_table_key(PjLower *lw, PjType *d, LLVMValueRef k)
{
    PjType *kt = key_of(d);
    PjTableKey key;
    key.slot = pj_lower_alloca(lw, pj_lower_type(lw, kt), "key");
    LLVMBuildStore(lw->b, k, key.slot);
    key.hash = pj_kind(kt)->lower_hash(lw, k, kt);
    key.eq = pj_hash_eq_function(lw, kt);
    key.table = d;
    return key;
}

/* The i64 or pointer field at `offset` of the table in block mi. */
static LLVMValueRef
table_field(PjLower *lw, LLVMValueRef mi, size_t offset, LLVMTypeRef ty)
{
    LLVMValueRef off[1] = {pj_i64(lw, (long long)(PJ_MEMINFO_HEADER
                                                   + offset))};
    LLVMValueRef p = LLVMBuildGEP2(lw->b, lw->t_i8, mi, off, 1, "");
    return LLVMBuildLoad2(lw->b, ty, p, "");
}

/* The mask, index and entries of the table in block mi, which a lookup
   probes. */
static void
probe_fields(PjLower *lw, LLVMValueRef mi, LLVMValueRef *mask,
             LLVMValueRef *index, LLVMValueRef *entries)
{
    *mask = table_field(lw, mi, offsetof(PjTable, mask), lw->t_i64);
    *index = table_field(lw, mi, offsetof(PjTable, index), lw->t_ptr);
    *entries = table_field(lw, mi, offsetof(PjTable, entries), lw->t_ptr);
}

/* Branches to yes when a (icmp pred) b, else to no; continues at no. */
static void
branch_if(PjLower *lw, LLVMIntPredicate pred, LLVMValueRef a, LLVMValueRef b,
          LLVMBasicBlockRef yes, LLVMBasicBlockRef no)
{
    LLVMBuildCondBr(lw->b, LLVMBuildICmp(lw->b, pred, a, b, ""), yes, no);
    LLVMPositionBuilderAtEnd(lw->b, no);
}

/* Whether the key of entry e equals *key: the key type's equality, a
   direct call that inlines. */
static LLVMValueRef
entry_has_key(PjLower *lw, PjType *d, LLVMValueRef e, LLVMValueRef key)
{
    LLVMTypeRef p[2] = {lw->t_ptr, lw->t_ptr};
    LLVMValueRef a[2] = {pj_table_field(lw, d, e, 1), key};
    LLVMValueRef r = LLVMBuildCall2(lw->b, LLVMFunctionType(lw->t_i32, p, 2, 0),
                                    pj_hash_eq_function(lw, key_of(d)), a, 2,
                                    "");
    return LLVMBuildICmp(lw->b, LLVMIntNE, r, pj_i32(lw, 0), "");
}

/* The slot at position `at` of the index: the function returns its entry
   when it holds the key, null when the slot is empty (the key is absent),
   and goes on at next (where the builder is left) for a deleted slot or
   another key.  A set's live slot is its own position in the index. */
static void
examine_slot(PjLower *lw, PjType *d, LLVMValueRef index, LLVMValueRef entries,
             LLVMValueRef at, LLVMValueRef key, LLVMValueRef h,
             LLVMBasicBlockRef next)
{
    LLVMBasicBlockRef miss = new_block(lw, "miss"), hit = new_block(lw, "hit");
    LLVMValueRef ix = LLVMBuildLoad2(lw->b, lw->t_i64, LLVMBuildGEP2(
        lw->b, lw->t_i64, index, &at, 1, ""), "ix");
    branch_if(lw, LLVMIntEQ, ix, pj_i64(lw, -1), miss, new_block(lw, "used"));
    branch_if(lw, LLVMIntSLT, ix, pj_i64(lw, 0), next, new_block(lw, "live"));
    LLVMValueRef e = LLVMBuildGEP2(lw->b, pj_table_entry_type(lw, d), entries,
                                   &ix, 1, "entry");
    LLVMValueRef eh = LLVMBuildLoad2(lw->b, lw->t_i64, e, "");
    branch_if(lw, LLVMIntNE, eh, h, next, new_block(lw, "same_hash"));
    LLVMBuildCondBr(lw->b, entry_has_key(lw, d, e, key), hit, next);
    LLVMPositionBuilderAtEnd(lw->b, hit);
    LLVMBuildRet(lw->b, e);
    LLVMPositionBuilderAtEnd(lw->b, miss);
    LLVMBuildRet(lw->b, LLVMConstNull(lw->t_ptr));
    LLVMPositionBuilderAtEnd(lw->b, next);
}

/* Builds entry* find(mi, const K *key, i64 hash) for the table type d:
   the entry holding the key, or null.  It walks the index as
   hashtable.c's probe does (CPython's perturbation), generated per key
   type so that the key's equality inlines instead of being called
   through a pointer. */
static void
build_find(PjLower *lw, PjType *d, LLVMValueRef fn)
{
    LLVMValueRef key = LLVMGetParam(fn, 1), h = LLVMGetParam(fn, 2);
    LLVMValueRef mask, index, entries;
    probe_fields(lw, LLVMGetParam(fn, 0), &mask, &index, &entries);
    LLVMValueRef first = LLVMBuildAnd(lw->b, h, mask, "");
    LLVMBasicBlockRef entry = LLVMGetInsertBlock(lw->b);
    LLVMBasicBlockRef loop = new_block(lw, "probe"), next = new_block(lw,
                                                                    "next");
    LLVMBuildBr(lw->b, loop);
    LLVMPositionBuilderAtEnd(lw->b, loop);
    LLVMValueRef i = LLVMBuildPhi(lw->b, lw->t_i64, "i");
    LLVMValueRef perturb = LLVMBuildPhi(lw->b, lw->t_i64, "perturb");
    examine_slot(lw, d, index, entries, i, key, h, next);
    LLVMValueRef shifted = LLVMBuildLShr(lw->b, perturb, pj_i64(lw, 5), "");
    LLVMValueRef step = LLVMBuildAdd(lw->b, LLVMBuildMul(lw->b, i, pj_i64(lw, 5),
                                                         ""),
                                     LLVMBuildAdd(lw->b, shifted,
                                                  pj_i64(lw, 1), ""), "");
    LLVMValueRef i2 = LLVMBuildAnd(lw->b, step, mask, "");
    LLVMBuildBr(lw->b, loop);
    LLVMValueRef iv[2] = {first, i2}, pv[2] = {h, shifted};
    LLVMBasicBlockRef from[2] = {entry, next};
    LLVMAddIncoming(i, iv, from, 2);
    LLVMAddIncoming(perturb, pv, from, 2);
}

/* The probe positions of a set: after each position of the
   perturbation, the LINEAR_PROBES (9) slots that follow it when they fit
   before the end, as settable.c's lookup (CPython's set) probes. */
static LLVMValueRef
last_linear_probe(PjLower *lw, LLVMValueRef i, LLVMValueRef mask)
{
    LLVMValueRef end = LLVMBuildAdd(lw->b, i, pj_i64(lw, 9), "");
    LLVMValueRef fits = LLVMBuildICmp(lw->b, LLVMIntULE, end, mask, "");
    return LLVMBuildSelect(lw->b, fits, end, i, "last");
}

/* Builds find for a set type d: the live slot holding the key, or null;
   a slot's state is in the index (its own position when live, -1 empty,
   -2 a dummy), the slot itself in the entries. */
static void
build_set_find(PjLower *lw, PjType *d, LLVMValueRef fn)
{
    LLVMValueRef key = LLVMGetParam(fn, 1), h = LLVMGetParam(fn, 2);
    LLVMValueRef mask, index, entries;
    probe_fields(lw, LLVMGetParam(fn, 0), &mask, &index, &entries);
    LLVMValueRef first = LLVMBuildAnd(lw->b, h, mask, "");
    LLVMBasicBlockRef entry = LLVMGetInsertBlock(lw->b);
    LLVMBasicBlockRef outer = new_block(lw, "probe"), slot = new_block(lw,
                                                                     "slot");
    LLVMBasicBlockRef next = new_block(lw, "next"), advance = new_block(
        lw, "advance"), step = new_block(lw, "step");
    LLVMBuildBr(lw->b, outer);
    LLVMPositionBuilderAtEnd(lw->b, outer);
    LLVMValueRef i = LLVMBuildPhi(lw->b, lw->t_i64, "i");
    LLVMValueRef perturb = LLVMBuildPhi(lw->b, lw->t_i64, "perturb");
    LLVMValueRef last = last_linear_probe(lw, i, mask);
    LLVMBuildBr(lw->b, slot);
    LLVMPositionBuilderAtEnd(lw->b, slot);
    LLVMValueRef j = LLVMBuildPhi(lw->b, lw->t_i64, "j");
    examine_slot(lw, d, index, entries, j, key, h, next);
    LLVMBuildCondBr(lw->b, LLVMBuildICmp(lw->b, LLVMIntEQ, j, last, ""), step,
                    advance);
    LLVMPositionBuilderAtEnd(lw->b, advance);
    LLVMValueRef j1 = LLVMBuildAdd(lw->b, j, pj_i64(lw, 1), "");
    LLVMBuildBr(lw->b, slot);
    LLVMPositionBuilderAtEnd(lw->b, step);
    LLVMValueRef shifted = LLVMBuildLShr(lw->b, perturb, pj_i64(lw, 5), "");
    LLVMValueRef i2 = LLVMBuildAnd(lw->b, LLVMBuildAdd(
        lw->b, LLVMBuildMul(lw->b, i, pj_i64(lw, 5), ""),
        LLVMBuildAdd(lw->b, shifted, pj_i64(lw, 1), ""), ""), mask, "");
    LLVMBuildBr(lw->b, outer);
    LLVMValueRef iv[2] = {first, i2}, pv[2] = {h, shifted}, jv[2] = {i, j1};
    LLVMBasicBlockRef from[2] = {entry, step}, jfrom[2] = {outer, advance};
    LLVMAddIncoming(i, iv, from, 2);
    LLVMAddIncoming(perturb, pv, from, 2);
    LLVMAddIncoming(j, jv, jfrom, 2);
}

/* The entry of key k in the table mi, or null. */
LLVMValueRef
pj_table_find(PjLower *lw, LLVMValueRef mi, PjTableKey *k)
{
    LLVMTypeRef p[3] = {lw->t_ptr, lw->t_ptr, lw->t_i64};
    LLVMTypeRef fty = LLVMFunctionType(lw->t_ptr, p, 3, 0);
    const char *name = pj_arena_printf(lw->cx->arena, "pj.find.%s",
                                       pj_type_str(k->table));
    LLVMValueRef fn, outer;
    LLVMBuilderRef saved = pj_hash_begin_function(lw, name, fty, &fn, &outer);
    if (saved != NULL) {
        (pj_type_is_set(k->table) ? build_set_find : build_find)(
            lw, k->table, fn);
        pj_hash_end_function(lw, saved, outer);
    }
    LLVMValueRef a[3] = {mi, k->slot, k->hash};
    return LLVMBuildCall2(lw->b, fty, fn, a, 3, "");
}

/* KeyError(key) when `missing`. */
void
pj_table_check_key(PjLower *lw, PjType *d, LLVMValueRef missing,
                   PjTableKey *k)
{
    LLVMTypeRef p[2] = {lw->t_ptr, lw->t_ptr};
    LLVMValueRef a[2] = {pj_hash_box_function(lw, key_of(d)), k->slot};
    pj_lower_raise_if(lw, missing, "pj_rt_raise_key_error", p, a, 2);
}

/* The entry of the key, made when absent with the key's references
   taken and the value zeroed. */
LLVMValueRef
pj_table_insert(PjLower *lw, PjType *d, LLVMValueRef mi, PjTableKey *k)
{
    LLVMValueRef found = pj_table_find(lw, mi, k);
    LLVMBasicBlockRef from = LLVMGetInsertBlock(lw->b);
    LLVMBasicBlockRef done = pj_table_begin_if(lw, LLVMBuildIsNull(lw->b, found,
                                                                  ""));
    LLVMValueRef is_new = pj_lower_alloca(lw, lw->t_i32, "is_new");
    LLVMTypeRef kt = pj_lower_type(lw, key_of(d));
    LLVMTypeRef p[6] = {lw->t_ptr, lw->t_ptr, lw->t_i64, lw->t_ptr,
                        lw->t_i64, lw->t_ptr};
    LLVMValueRef a[6] = {mi, k->slot, k->hash, k->eq,
                         LLVMSizeOf(kt), is_new};
    LLVMValueRef e = pj_lower_helper(lw, helper(lw, d, "insert"), lw->t_ptr, p,
                                     a, 6);
    pj_table_check_memory(lw, e);
    if (pj_type_holds_memory(key_of(d))) {
        LLVMValueRef n = LLVMBuildLoad2(lw->b, lw->t_i32, is_new, "");
        LLVMBasicBlockRef taken = pj_table_begin_if(
            lw, LLVMBuildICmp(lw->b, LLVMIntNE, n, pj_i32(lw, 0), ""));
        LLVMValueRef key = pj_table_load(lw, d, e, 1);
        LLVMBuildStore(lw->b, pj_lower_taken(lw, key, key_of(d)),
                       pj_table_field(lw, d, e, 1));
        pj_table_end_if(lw, taken);
    }
    LLVMBasicBlockRef made = LLVMGetInsertBlock(lw->b);
    pj_table_end_if(lw, done);
    LLVMValueRef phi = LLVMBuildPhi(lw->b, lw->t_ptr, "entry");
    LLVMValueRef vals[2] = {found, e};
    LLVMBasicBlockRef bbs[2] = {from, made};
    LLVMAddIncoming(phi, vals, bbs, 2);
    return phi;
}

/* Releases the references of an entry copied out of the table. */
void
pj_table_release_field(PjLower *lw, PjType *d, LLVMValueRef e, unsigned i)
{
    pj_lower_each_meminfo(lw, pj_table_load(lw, d, e, i), d->elems[i - 1],
                          NULL, pj_lower_decref);
}

LLVMValueRef
pj_table_new(PjLower *lw, PjType *d)
{
    LLVMTypeRef p[3] = {lw->t_i64, lw->t_ptr, lw->t_ptr};
    LLVMValueRef a[3] = {LLVMSizeOf(pj_table_entry_type(lw, d)),
                         entry_function(lw, d, true),
                         entry_function(lw, d, false)};
    LLVMValueRef mi = pj_lower_helper(lw, helper(lw, d, "new"), lw->t_ptr, p,
                                      a, 3);
    pj_table_check_memory(lw, mi);
    return mi;
}

LLVMValueRef
pj_table_copy(PjLower *lw, LLVMValueRef mi)
{
    LLVMValueRef c = pj_lower_helper(lw, "pj_rt_table_copy", lw->t_ptr,
                                     &lw->t_ptr, &mi, 1);
    pj_table_check_memory(lw, c);
    return c;
}

/* Removes the key's entry into a copy on the stack; whether it was
   there. */
LLVMValueRef
pj_table_remove(PjLower *lw, PjType *d, LLVMValueRef mi, PjTableKey *k,
             LLVMValueRef *out)
{
    *out = pj_lower_alloca(lw, pj_table_entry_type(lw, d), "removed");
    LLVMTypeRef p[5] = {lw->t_ptr, lw->t_ptr, lw->t_i64, lw->t_ptr,
                        lw->t_ptr};
    LLVMValueRef a[5] = {mi, k->slot, k->hash, k->eq, *out};
    LLVMValueRef found = pj_lower_helper(lw, helper(lw, d, "remove"),
                                         lw->t_i32, p, a, 5);
    return LLVMBuildICmp(lw->b, LLVMIntNE, found, pj_i32(lw, 0), "");
}

/* Calls body(entry) on each live entry of the table mi, in order. */
void
pj_table_each(PjLower *lw, LLVMValueRef mi, PjEntryFn body, void *ctx)
{
    LLVMValueRef pos = pj_lower_alloca(lw, lw->t_i64, "pos");
    LLVMBuildStore(lw->b, pj_i64(lw, 0), pos);
    LLVMBasicBlockRef head = new_block(lw, "dict.each");
    LLVMBasicBlockRef next = new_block(lw, "dict.each.body");
    LLVMBasicBlockRef done = new_block(lw, "dict.each.done");
    LLVMBuildBr(lw->b, head);
    LLVMPositionBuilderAtEnd(lw->b, head);
    LLVMTypeRef p[2] = {lw->t_ptr, lw->t_ptr};
    LLVMValueRef a[2] = {mi, pos};
    LLVMValueRef e = pj_lower_helper(lw, "pj_rt_table_next", lw->t_ptr, p, a,
                                     2);
    LLVMBuildCondBr(lw->b, LLVMBuildIsNull(lw->b, e, ""), done, next);
    LLVMPositionBuilderAtEnd(lw->b, next);
    body(lw, e, ctx);
    LLVMBuildBr(lw->b, head);
    LLVMPositionBuilderAtEnd(lw->b, done);
}


/* --- what dicts and sets share --- */

static LLVMValueRef
lower_len(PjLower *lw, PjInstr *Py_UNUSED(ins), LLVMValueRef *args)
{
    return pj_table_len(lw, args[0]);
}

static LLVMValueRef
lower_clear(PjLower *lw, PjInstr *Py_UNUSED(ins), LLVMValueRef *args)
{
    pj_lower_helper(lw, "pj_rt_table_clear", lw->t_void, &lw->t_ptr, args, 1);
    return pj_lower_none(lw);
}

const PjImpl pj_table_impl_len = {"len", lower_len, false, false};
const PjImpl pj_table_impl_clear = {"clear", lower_clear, false, false};

LLVMValueRef
pj_table_truth(PjLower *lw, LLVMValueRef v, PjType *Py_UNUSED(t))
{
    return LLVMBuildICmp(lw->b, LLVMIntNE, pj_table_len(lw, v), pj_i64(lw, 0),
                         "");
}

bool
pj_table_holds_memory(PjType *Py_UNUSED(t))
{
    return true;
}

void
pj_table_meminfo(PjLower *lw, LLVMValueRef v, PjType *Py_UNUSED(t),
                 LLVMValueRef valid, PjMemFn f)
{
    if (valid != NULL) {
        v = LLVMBuildSelect(lw->b, valid, v, LLVMConstNull(lw->t_ptr), "");
    }
    f(lw, v);
}

/* An iterator over a table (elems[0] its type): the table, the
   position of the next entry and the table's length when the iteration
   began (-1 before the first step: a view made by d.keys() is iterated
   later), which CPython's iterators also keep to refuse a table that
   grew or shrank under them. */
LLVMTypeRef
pj_table_iter_llvm_type(PjLower *lw, PjType *Py_UNUSED(it))
{
    LLVMTypeRef f[3] = {lw->t_ptr, lw->t_i64, lw->t_i64};
    return LLVMStructTypeInContext(lw->ctx, f, 3, 0);
}

LLVMValueRef
pj_table_iter(PjLower *lw, LLVMValueRef v, PjType *Py_UNUSED(t), PjType *it)
{
    LLVMValueRef s = LLVMGetUndef(pj_table_iter_llvm_type(lw, it));
    s = LLVMBuildInsertValue(lw->b, s, v, 0, "");
    s = LLVMBuildInsertValue(lw->b, s, pj_i64(lw, 0), 1, "");
    return LLVMBuildInsertValue(lw->b, s, pj_i64(lw, -1), 2, "");
}

void
pj_table_iter_meminfo(PjLower *lw, LLVMValueRef v, PjType *it,
                      LLVMValueRef valid, PjMemFn f)
{
    pj_lower_field_meminfo(lw, v, 0, it->elems[0], valid, f);
}

/* The item made by item_of from the next live entry after the position
   in the state: the table helper skips deleted entries and stops at the
   end whatever was done to the table meanwhile.  A table whose length
   changed since the iteration began raises RuntimeError(changed), as
   CPython's iterators do. */
LLVMValueRef
pj_table_iternext(PjLower *lw, PjType *it, LLVMValueRef state,
                  LLVMValueRef *ok, PjItemFn item_of, const char *changed)
{
    LLVMTypeRef st = pj_table_iter_llvm_type(lw, it);
    LLVMValueRef mi = LLVMBuildLoad2(lw->b, lw->t_ptr, LLVMBuildStructGEP2(
        lw->b, st, state, 0, ""), "");
    LLVMValueRef len = pj_table_len(lw, mi);
    LLVMValueRef at = LLVMBuildStructGEP2(lw->b, st, state, 2, "");
    LLVMValueRef began = LLVMBuildLoad2(lw->b, lw->t_i64, at, "");
    began = LLVMBuildSelect(lw->b, LLVMBuildICmp(lw->b, LLVMIntSLT, began,
                                                 pj_i64(lw, 0), ""),
                            len, began, "");
    LLVMBuildStore(lw->b, began, at);
    pj_lower_check(lw, LLVMBuildICmp(lw->b, LLVMIntNE, len, began, ""),
                   "RuntimeError", changed);
    LLVMTypeRef p[2] = {lw->t_ptr, lw->t_ptr};
    LLVMValueRef a[2] = {mi, LLVMBuildStructGEP2(lw->b, st, state, 1, "")};
    LLVMValueRef e = pj_lower_helper(lw, "pj_rt_table_next", lw->t_ptr, p, a,
                                     2);
    *ok = LLVMBuildIsNotNull(lw->b, e, "");
    LLVMBasicBlockRef from = LLVMGetInsertBlock(lw->b);
    LLVMBasicBlockRef done = pj_table_begin_if(lw, *ok);
    LLVMValueRef item = item_of(lw, it, e);
    LLVMBasicBlockRef loaded = LLVMGetInsertBlock(lw->b);
    pj_table_end_if(lw, done);
    LLVMValueRef phi = LLVMBuildPhi(lw->b, LLVMTypeOf(item), "");
    LLVMValueRef vals[2] = {LLVMConstNull(LLVMTypeOf(item)), item};
    LLVMBasicBlockRef bbs[2] = {from, loaded};
    LLVMAddIncoming(phi, vals, bbs, 2);
    return phi;
}

/* Removes the last entry added (of a set: the one CPython's set.pop()
   takes) into a copy on the stack, which it returns (its references move
   to the caller); KeyError(msg) when the table is empty. */
LLVMValueRef
pj_table_pop_last(PjLower *lw, PjType *d, LLVMValueRef mi, const char *msg)
{
    LLVMValueRef out = pj_lower_alloca(lw, pj_table_entry_type(lw, d),
                                       "popped");
    LLVMTypeRef p[2] = {lw->t_ptr, lw->t_ptr};
    LLVMValueRef a[2] = {mi, out};
    LLVMValueRef found = pj_lower_helper(
        lw, pj_type_is_set(d) ? "pj_rt_set_pop" : "pj_rt_table_pop_last",
        lw->t_i32, p, a, 2);
    pj_lower_check(lw, LLVMBuildICmp(lw->b, LLVMIntEQ, found, pj_i32(lw, 0),
                                     ""),
                   "KeyError", msg);
    return out;
}

/* Whether t is a set, a dict or a view of a dict's items: an iterable
   of the hashed tables (min/max gather its items into a list). */
bool
pj_type_is_table(PjType *t)
{
    return pj_type_is_set(t) || pj_type_is_dict_table(t);
}
