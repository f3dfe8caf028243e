/*
** hashtable.c - the hash table behind dicts, at run time.
**
** Compiled code keeps a dict in a reference-counted block (PjMemInfo,
** runtime.c) whose data is a PjTable: CPython's compact layout, an array
** of entries in insertion order and an open-addressed index of positions
** into it, probed with CPython's perturbation so that collisions spread
** the same way.  An entry is the key's hash (an int64; -1, which no
** CPython hash is, marks an entry deleted), the key at offset 8, then the
** value.  The table knows nothing of the types of its keys and values:
** compiled code hashes keys itself (each kind's lower_hash) and passes
** the equality of its key type (a function it generates from lower_eq),
** and the functions that take and release the references an entry holds.
**
** These helpers never raise: an allocation that fails returns NULL and
** the caller raises MemoryError.  They run without the GIL.
*/
#include "pyjit.h"

#include <stdlib.h>
#include <string.h>

#define EMPTY (-1)
#define DUMMY (-2)
#define DELETED_HASH (-1)
#define MIN_INDEX 8
#define PERTURB_SHIFT 5


static PjTable *
table_of(PjMemInfo *mi)
{
    return (PjTable *)((char *)mi + PJ_MEMINFO_HEADER);
}

static char *
entry_at(PjTable *t, int64_t i)
{
    return t->entries + i * t->entrysize;
}

static int64_t
entry_hash(const char *e)
{
    int64_t h;
    memcpy(&h, e, sizeof h);
    return h;
}

/* --- storage --- */

/* Index slots for `capacity` entries: at most two thirds full. */
static int64_t
index_size_for(int64_t capacity)
{
    int64_t n = MIN_INDEX;
    while (n < capacity + capacity / 2 + 1) {
        n *= 2;
    }
    return n;
}

/* The index slot holding entry position ix, whose hash is h; with ix
   EMPTY, the free slot for a hash known to be absent (rebuilding). */
static int64_t
slot_of_entry(PjTable *t, int64_t h, int64_t ix)
{
    uint64_t perturb = (uint64_t)h;
    uint64_t i = (uint64_t)h & (uint64_t)t->mask;
    while (t->index[i] != ix) {
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + perturb + 1) & (uint64_t)t->mask;
    }
    return (int64_t)i;
}

/* The slot of the index where hash h sits or would go: its entry's
   position when found, EMPTY/DUMMY otherwise, in *slot the slot (the
   first dummy seen, when the key is absent, so that deletes are reused). */
static int64_t
probe(PjTable *t, const void *key, int64_t h, PjKeyEq eq, int64_t *slot)
{
    uint64_t perturb = (uint64_t)h;
    uint64_t i = (uint64_t)h & (uint64_t)t->mask;
    int64_t free_slot = -1;
    for (;;) {
        int64_t ix = t->index[i];
        if (ix == EMPTY) {
            *slot = free_slot >= 0 ? free_slot : (int64_t)i;
            return EMPTY;
        }
        if (ix == DUMMY) {
            if (free_slot < 0) {
                free_slot = (int64_t)i;
            }
        }
        else {
            char *e = entry_at(t, ix);
            if (entry_hash(e) == h && (eq(e + 8, key))) {
                *slot = (int64_t)i;
                return ix;
            }
        }
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + perturb + 1) & (uint64_t)t->mask;
    }
}

/* Rebuilds the table with room for `capacity` entries, dropping deleted
   ones; -1 when memory runs out (the table is unchanged then).  The index
   and the entries are one block, as in CPython and Numba: two blocks
   freed at each growth made glibc give the memory back, and building a
   dict of 100,000 ints spent most of its time faulting pages in again. */
static int
table_resize(PjTable *t, int64_t capacity)
{
    int64_t nindex = index_size_for(capacity);
    if (capacity > (INT64_MAX / 4) / t->entrysize
        || nindex > (INT64_MAX / 4) / (int64_t)sizeof(int64_t)) {
        return -1;
    }
    int64_t *index = malloc(sizeof(int64_t) * (size_t)nindex
                            + (size_t)(t->entrysize * capacity));
    if (index == NULL) {
        return -1;
    }
    char *entries = (char *)(index + nindex);     /* 8-byte aligned */
    memset(index, 0xff, sizeof(int64_t) * (size_t)nindex);
    int64_t n = 0;
    for (int64_t i = 0; i < t->nentries; i++) {
        char *e = entry_at(t, i);
        if (entry_hash(e) != DELETED_HASH) {
            memcpy(entries + n * t->entrysize, e, (size_t)t->entrysize);
            n++;
        }
    }
    free(t->index);
    t->index = index;
    t->entries = entries;
    t->mask = nindex - 1;
    t->capacity = capacity;
    t->nentries = n;
    for (int64_t i = 0; i < n; i++) {
        index[slot_of_entry(t, entry_hash(entry_at(t, i)), EMPTY)] = i;
    }
    return 0;
}

static void
release_entries(PjTable *t)
{
    for (int64_t i = 0; t->release != NULL && i < t->nentries; i++) {
        char *e = entry_at(t, i);
        if (entry_hash(e) != DELETED_HASH) {
            t->release(e);
        }
    }
}

/* The block's destructor: the entries' references, then the storage. */
static void
table_dtor(void *data, void *Py_UNUSED(arg))
{
    PjTable *t = data;
    release_entries(t);
    free(t->index);
}

/* --- what compiled code calls --- */

/* A new empty table of entries of entrysize bytes, or NULL. */
PjMemInfo *
pj_rt_table_new(int64_t entrysize, PjEntryRefs acquire, PjEntryRefs release)
{
    PjMemInfo *mi = pj_rt_meminfo_alloc_dtor((int64_t)sizeof(PjTable), 1,
                                             table_dtor, NULL);
    if (mi == NULL) {
        return NULL;
    }
    PjTable *t = table_of(mi);
    t->entrysize = entrysize;
    t->acquire = acquire;
    t->release = release;
    if (table_resize(t, 5) < 0) {
        pj_rt_meminfo_free(mi);
        return NULL;
    }
    return mi;
}

/* The entry of the key, or NULL when it is absent. */
char *
pj_rt_table_find(PjMemInfo *mi, const void *key, int64_t h, PjKeyEq eq)
{
    PjTable *t = table_of(mi);
    int64_t slot;
    int64_t ix = probe(t, key, h, eq, &slot);
    return ix >= 0 ? entry_at(t, ix) : NULL;
}

/* The entry of the key, made (hash and key copied in, value zeroed, the
   key's references not yet taken: *is_new tells the caller to) when it
   is absent; NULL when memory runs out. */
char *
pj_rt_table_insert(PjMemInfo *mi, const void *key, int64_t h, PjKeyEq eq,
                   int64_t keysize, int32_t *is_new)
{
    PjTable *t = table_of(mi);
    int64_t slot;
    int64_t ix = probe(t, key, h, eq, &slot);
    *is_new = ix < 0;
    if (ix >= 0) {
        return entry_at(t, ix);
    }
    if (t->nentries == t->capacity) {
        int64_t want = t->used * 3 > 8 ? t->used * 3 : 8;
        if (table_resize(t, want) < 0) {
            return NULL;
        }
        probe(t, key, h, eq, &slot);
    }
    char *e = entry_at(t, t->nentries);
    memset(e, 0, (size_t)t->entrysize);
    memcpy(e, &h, sizeof h);
    memcpy(e + 8, key, (size_t)keysize);
    t->index[slot] = t->nentries++;
    t->used++;
    return e;
}

/* Unlinks the entry at index slot `slot` and copies it to out (its
   references move to the caller). */
static void
unlink_entry(PjTable *t, int64_t slot, void *out)
{
    char *e = entry_at(t, t->index[slot]);
    memcpy(out, e, (size_t)t->entrysize);
    int64_t deleted = DELETED_HASH;
    memcpy(e, &deleted, sizeof deleted);
    t->index[slot] = DUMMY;
    t->used--;
}

/* Removes the key's entry, copying it to out; 0 when it is absent. */
int32_t
pj_rt_table_remove(PjMemInfo *mi, const void *key, int64_t h, PjKeyEq eq,
                   void *out)
{
    PjTable *t = table_of(mi);
    int64_t slot;
    if (probe(t, key, h, eq, &slot) < 0) {
        return 0;
    }
    unlink_entry(t, slot, out);
    return 1;
}

/* Removes the last entry inserted, copying it to out; 0 when empty. */
int32_t
pj_rt_table_pop_last(PjMemInfo *mi, void *out)
{
    PjTable *t = table_of(mi);
    if (t->used == 0) {
        return 0;
    }
    while (entry_hash(entry_at(t, t->nentries - 1)) == DELETED_HASH) {
        t->nentries--;
    }
    int64_t last = t->nentries - 1;
    unlink_entry(t, slot_of_entry(t, entry_hash(entry_at(t, last)), last),
                 out);
    t->nentries--;
    return 1;
}

/* The next live entry at or after *pos, advancing *pos past it; NULL at
   the end.  Safe whatever the table became since the last call. */
char *
pj_rt_table_next(PjMemInfo *mi, int64_t *pos)
{
    PjTable *t = table_of(mi);
    for (int64_t i = *pos; i < t->nentries; i++) {
        char *e = entry_at(t, i);
        if (entry_hash(e) != DELETED_HASH) {
            *pos = i + 1;
            return e;
        }
    }
    *pos = t->nentries;
    return NULL;
}

/* Empties the table, releasing what its entries held. */
void
pj_rt_table_clear(PjMemInfo *mi)
{
    PjTable *t = table_of(mi);
    release_entries(t);
    t->nentries = 0;
    t->used = 0;
    memset(t->index, 0xff, sizeof(int64_t) * (size_t)(t->mask + 1));
}

/* A new table with the live entries of mi, taking their references;
   NULL when memory runs out. */
PjMemInfo *
pj_rt_table_copy(PjMemInfo *mi)
{
    PjTable *t = table_of(mi);
    PjMemInfo *c = pj_rt_table_new(t->entrysize, t->acquire, t->release);
    PjTable *u = c ? table_of(c) : NULL;
    if (u == NULL || table_resize(u, t->used > 5 ? t->used : 5) < 0) {
        if (c != NULL) {
            pj_rt_meminfo_free(c);
        }
        return NULL;
    }
    for (int64_t i = 0; i < t->nentries; i++) {
        char *e = entry_at(t, i);
        if (entry_hash(e) == DELETED_HASH) {
            continue;
        }
        char *d = entry_at(u, u->nentries);
        memcpy(d, e, (size_t)t->entrysize);
        if (u->acquire != NULL) {
            u->acquire(d);
        }
        u->index[slot_of_entry(u, entry_hash(e), EMPTY)] = u->nentries++;
        u->used++;
    }
    return c;
}

/* --- the boundary with Python --- */

/* KeyError(key), the key boxed by box_key: CPython's message is the
   key's repr. */
void
pj_rt_raise_key_error(PjBoxFn box_key, const void *key)
{
    PyGILState_STATE g = PyGILState_Ensure();
    PyObject *k = box_key(key);
    PyObject *exc = k ? PyObject_CallOneArg(PyExc_KeyError, k) : NULL;
    if (exc != NULL) {
        PyErr_SetObject(PyExc_KeyError, exc);   /* a tuple key stays one */
    }
    Py_XDECREF(exc);
    Py_XDECREF(k);
    PyGILState_Release(g);
}

void
pj_rt_raise_dict_memory(void)
{
    PyGILState_STATE g = PyGILState_Ensure();
    PyErr_NoMemory();
    PyGILState_Release(g);
}
