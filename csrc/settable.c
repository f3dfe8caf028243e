/*
** settable.c - the hash table behind sets, at run time.
**
** A set iterates in the order CPython's set does, so its table is laid
** out as CPython's (Objects/setobject.c): an open-addressed array of
** slots where the slot order is the iteration order, probed LINEAR_PROBES
** slots at a time and then with CPython's perturbation, deleted slots
** left as dummies, grown when fill*5 >= mask*3.  Every operation that
** places items (adding, merging one set into another, copying,
** intersecting, the differences) makes the same moves as CPython's, so
** that the slots end up the same.
**
** The block's data is the PjTable that dicts use (hashtable.c), read
** differently: `entries` holds mask+1 slots ({hash, key}, the hash -1 in
** a slot that holds no key, so that pj_rt_table_next walks the live ones
** in slot order) and `index` the state of each slot: its own position
** when live, EMPTY or DUMMY.  `fill` counts live and dummy slots, and
** `finger` is where pop() looks first.
**
** These helpers never raise: an allocation that fails returns NULL or -1
** and the caller raises MemoryError.  They run without the GIL, except
** the boundary with Python at the end.
*/
#include "pyjit.h"

#include <stdlib.h>
#include <string.h>

#define EMPTY (-1)
#define DUMMY (-2)
#define NO_HASH (-1)
#define MINSIZE 8
#define LINEAR_PROBES 9
#define PERTURB_SHIFT 5

static PjTable *
table_of(PjMemInfo *mi)
{
    return (PjTable *)((char *)mi + PJ_MEMINFO_HEADER);
}

static char *
slot_at(PjTable *t, int64_t i)
{
    return t->entries + i * t->entrysize;
}

static int64_t
slot_hash(const char *e)
{
    int64_t h;
    memcpy(&h, e, sizeof h);
    return h;
}

static void
set_slot_hash(char *e, int64_t h)
{
    memcpy(e, &h, sizeof h);
}

static bool
live(PjTable *t, int64_t i)
{
    return t->index[i] >= 0;
}

/* --- storage --- */

/* Storage for `size` empty slots in *index and *entries, one block (see
   hashtable.c's table_resize); -1 when memory runs out. */
static int
alloc_slots(int64_t size, int64_t entrysize, int64_t **index, char **entries)
{
    if (size > (INT64_MAX / 4) / (entrysize + (int64_t)sizeof(int64_t))) {
        return -1;
    }
    *index = malloc((sizeof(int64_t) + (size_t)entrysize) * (size_t)size);
    if (*index == NULL) {
        return -1;
    }
    *entries = (char *)(*index + size);
    memset(*index, 0xff, sizeof(int64_t) * (size_t)size);   /* EMPTY */
    memset(*entries, 0xff, (size_t)(entrysize * size));     /* NO_HASH */
    return 0;
}

static void
install(PjTable *t, int64_t *index, char *entries, int64_t size)
{
    free(t->index);             /* the entries with it */
    t->index = index;
    t->entries = entries;
    t->mask = size - 1;
    t->nentries = size;
    t->capacity = size;
}

/* The first empty slot for hash h, as CPython's set_insert_clean finds
   it in a table without dummies. */
static int64_t
clean_slot(const int64_t *index, int64_t mask, int64_t h)
{
    uint64_t perturb = (uint64_t)h;
    uint64_t i = (uint64_t)h & (uint64_t)mask;
    for (;;) {
        if (index[i] == EMPTY) {
            return (int64_t)i;
        }
        if (i + LINEAR_PROBES <= (uint64_t)mask) {
            for (uint64_t j = i + 1; j <= i + LINEAR_PROBES; j++) {
                if (index[j] == EMPTY) {
                    return (int64_t)j;
                }
            }
        }
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & (uint64_t)mask;
    }
}

/* Copies the slot e into the first empty slot for its hash. */
static char *
put_clean(int64_t *index, char *entries, int64_t mask, int64_t entrysize,
          const char *e)
{
    int64_t s = clean_slot(index, mask, slot_hash(e));
    memcpy(entries + s * entrysize, e, (size_t)entrysize);
    index[s] = s;
    return entries + s * entrysize;
}

/* CPython's set_table_resize: the smallest table of more than minused
   slots, the live slots reinserted in slot order, the dummies dropped;
   *follow, when given, becomes the new slot of the slot it named. */
static int
resize_following(PjTable *t, int64_t minused, int64_t *follow)
{
    int64_t size = MINSIZE;
    while (size <= minused) {
        size <<= 1;
    }
    if (size == MINSIZE && t->mask + 1 == MINSIZE && t->fill == t->used) {
        return 0;       /* CPython keeps its small table as it is then */
    }
    int64_t *index;
    char *entries;
    if (alloc_slots(size, t->entrysize, &index, &entries) < 0) {
        return -1;
    }
    for (int64_t i = 0; i <= t->mask; i++) {
        if (!live(t, i)) {
            continue;
        }
        char *d = put_clean(index, entries, size - 1, t->entrysize,
                            slot_at(t, i));
        if (follow != NULL && *follow == i) {
            *follow = (d - entries) / t->entrysize;
            follow = NULL;
        }
    }
    install(t, index, entries, size);
    t->fill = t->used;
    return 0;
}

static int
resize(PjTable *t, int64_t minused)
{
    return resize_following(t, minused, NULL);
}

/* The size CPython grows a set to after an insertion filled it. */
static int64_t
grown_size(PjTable *t)
{
    return t->used > 50000 ? t->used * 2 : t->used * 4;
}

/* The live slot holding the key, or -1: CPython's set_lookkey. */
static int64_t
lookup(PjTable *t, const void *key, int64_t h, PjKeyEq eq)
{
    uint64_t mask = (uint64_t)t->mask, perturb = (uint64_t)h;
    uint64_t i = (uint64_t)h & mask;
    for (;;) {
        int probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
        for (uint64_t j = i;; j++) {
            if (t->index[j] == EMPTY) {
                return -1;
            }
            char *e = slot_at(t, (int64_t)j);
            if (live(t, (int64_t)j) && slot_hash(e) == h && eq(e + 8, key)) {
                return (int64_t)j;
            }
            if (probes-- == 0) {
                break;
            }
        }
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & mask;
    }
}

/* Where CPython's set_add_entry puts a key known to be absent: the last
   dummy on its probe path, else the empty slot that ends it (*fresh). */
static int64_t
free_slot(PjTable *t, int64_t h, bool *fresh)
{
    uint64_t mask = (uint64_t)t->mask, perturb = (uint64_t)h;
    uint64_t i = (uint64_t)h & mask;
    int64_t dummy = -1;
    for (;;) {
        int probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
        for (uint64_t j = i;; j++) {
            if (t->index[j] == EMPTY) {
                *fresh = dummy < 0;
                return dummy < 0 ? (int64_t)j : dummy;
            }
            if (t->index[j] == DUMMY) {
                dummy = (int64_t)j;
            }
            if (probes-- == 0) {
                break;
            }
        }
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & mask;
    }
}

/* Places a key known to be absent (hash and keysize bytes of key copied
   in, the rest zeroed, its references not taken) where CPython's
   set_add_entry would, growing the table after as CPython does; its slot,
   or NULL when memory runs out, the table as it was. */
static char *
place(PjTable *t, const void *key, int64_t h, int64_t keysize)
{
    bool fresh;
    int64_t s = free_slot(t, h, &fresh);
    char *e = slot_at(t, s);
    memset(e, 0, (size_t)t->entrysize);
    set_slot_hash(e, h);
    memcpy(e + 8, key, (size_t)keysize);
    t->index[s] = s;
    t->used++;
    t->fill += fresh;
    if (!fresh || t->fill * 5 < t->mask * 3) {
        return e;
    }
    if (resize_following(t, grown_size(t), &s) < 0) {
        t->index[s] = EMPTY;
        set_slot_hash(e, NO_HASH);
        t->used--;
        t->fill--;
        return NULL;
    }
    return slot_at(t, s);
}

/* The slot of the key, placed when it is absent (*is_new tells the
   caller to take its references); NULL when memory runs out. */
static char *
add(PjTable *t, const void *key, int64_t h, PjKeyEq eq, int64_t keysize,
    int32_t *is_new)
{
    int64_t s = lookup(t, key, h, eq);
    *is_new = s < 0;
    return s >= 0 ? slot_at(t, s) : place(t, key, h, keysize);
}

/* Adds a live slot e of another set; -1 when memory runs out. */
static int
add_slot(PjTable *t, const char *e, PjKeyEq eq)
{
    int32_t is_new;
    char *d = add(t, e + 8, slot_hash(e), eq, t->entrysize - 8, &is_new);
    if (d == NULL) {
        return -1;
    }
    if (is_new && t->acquire != NULL) {
        t->acquire(d);
    }
    return 0;
}

/* Makes slot s a dummy, its content (and references) copied to out. */
static void
unlink_slot(PjTable *t, int64_t s, void *out)
{
    char *e = slot_at(t, s);
    memcpy(out, e, (size_t)t->entrysize);
    set_slot_hash(e, NO_HASH);
    t->index[s] = DUMMY;
    t->used--;
}

/* Removes the key, releasing what its slot held; whether it was there. */
static bool
discard(PjTable *t, const char *key, int64_t h, PjKeyEq eq, char *scratch)
{
    int64_t s = lookup(t, key, h, eq);
    if (s < 0) {
        return false;
    }
    unlink_slot(t, s, scratch);
    if (t->release != NULL) {
        t->release(scratch);
    }
    return true;
}

static void
release_slots(PjTable *t)
{
    for (int64_t i = 0; t->release != NULL && i <= t->mask; i++) {
        if (live(t, i)) {
            t->release(slot_at(t, i));
        }
    }
}

static void
table_dtor(void *data, void *Py_UNUSED(arg))
{
    PjTable *t = data;
    release_slots(t);
    free(t->index);
}

/* Empties the table to CPython's small one: eight empty slots (the big
   table is kept, emptied, if the small one cannot be had). */
static void
empty(PjTable *t)
{
    int64_t *index;
    char *entries;
    if (t->mask + 1 != MINSIZE
        && alloc_slots(MINSIZE, t->entrysize, &index, &entries) == 0) {
        install(t, index, entries, MINSIZE);
    }
    memset(t->index, 0xff, sizeof(int64_t) * (size_t)(t->mask + 1));
    memset(t->entries, 0xff, (size_t)(t->entrysize * (t->mask + 1)));
    t->used = 0;
    t->fill = 0;
}

/* CPython's set_merge: other's items into t, with one resize first, a
   slot-for-slot copy or clean insertions into an empty table. */
static int
merge(PjTable *t, PjTable *other, PjKeyEq eq)
{
    if (other == t || other->used == 0) {
        return 0;
    }
    if ((t->fill + other->used) * 5 >= t->mask * 3
        && resize(t, (t->used + other->used) * 2) < 0) {
        return -1;
    }
    bool same = t->mask == other->mask && other->fill == other->used;
    for (int64_t i = 0; i <= other->mask; i++) {
        char *e = slot_at(other, i);
        if (!live(other, i)) {
            continue;
        }
        if (t->fill != 0) {
            if (add_slot(t, e, eq) < 0) {
                return -1;
            }
            continue;
        }
        char *d = same ? slot_at(t, i) : NULL;
        if (d != NULL) {
            memcpy(d, e, (size_t)t->entrysize);
            t->index[i] = i;
        }
        else {
            d = put_clean(t->index, t->entries, t->mask, t->entrysize, e);
        }
        if (t->acquire != NULL) {
            t->acquire(d);
        }
    }
    if (t->fill == 0) {
        t->fill = other->used;
        t->used = other->used;
    }
    return 0;
}

/* --- what compiled code calls --- */

/* A new empty set of slots of entrysize bytes, or NULL. */
PjMemInfo *
pj_rt_set_new(int64_t entrysize, PjEntryRefs acquire, PjEntryRefs release)
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
    int64_t *index;
    char *entries;
    if (alloc_slots(MINSIZE, entrysize, &index, &entries) < 0) {
        pj_rt_meminfo_free(mi);
        return NULL;
    }
    install(t, index, entries, MINSIZE);
    return mi;
}

/* The slot of a key compiled code found absent (tables.c), placed;
   NULL when memory runs out. */
char *
pj_rt_set_insert(PjMemInfo *mi, const void *key, int64_t h,
                 PjKeyEq Py_UNUSED(eq), int64_t keysize, int32_t *is_new)
{
    *is_new = 1;
    return place(table_of(mi), key, h, keysize);
}

/* Removes the key's slot, copying it to out; 0 when it is absent. */
int32_t
pj_rt_set_remove(PjMemInfo *mi, const void *key, int64_t h, PjKeyEq eq,
                 void *out)
{
    PjTable *t = table_of(mi);
    int64_t s = lookup(t, key, h, eq);
    if (s < 0) {
        return 0;
    }
    unlink_slot(t, s, out);
    return 1;
}

/* CPython's set.pop(): the first live slot from the finger on, copied to
   out; 0 when the set is empty. */
int32_t
pj_rt_set_pop(PjMemInfo *mi, void *out)
{
    PjTable *t = table_of(mi);
    if (t->used == 0) {
        return 0;
    }
    int64_t i = t->finger & t->mask;
    while (!live(t, i)) {
        i = i == t->mask ? 0 : i + 1;
    }
    unlink_slot(t, i, out);
    t->finger = i + 1;
    return 1;
}

void
pj_rt_set_clear(PjMemInfo *mi)
{
    PjTable *t = table_of(mi);
    release_slots(t);
    empty(t);
}

/* s.update(other) for a set other; -1 when memory runs out. */
int32_t
pj_rt_set_update(PjMemInfo *mi, PjMemInfo *other, PjKeyEq eq)
{
    return merge(table_of(mi), table_of(other), eq);
}

/* Room made ahead for n more items, as CPython makes it before adding a
   dict's keys; -1 when memory runs out. */
int32_t
pj_rt_set_reserve(PjMemInfo *mi, int64_t n)
{
    PjTable *t = table_of(mi);
    if ((t->fill + n) * 5 < t->mask * 3) {
        return 0;
    }
    return resize(t, (t->used + n) * 2);
}

/* A new set with the same items, made as CPython's set.copy() makes it:
   a new set the original is merged into. */
PjMemInfo *
pj_rt_set_copy(PjMemInfo *mi, PjKeyEq eq)
{
    PjTable *t = table_of(mi);
    PjMemInfo *c = pj_rt_set_new(t->entrysize, t->acquire, t->release);
    if (c != NULL && merge(table_of(c), t, eq) < 0) {
        pj_rt_meminfo_release(c);
        return NULL;
    }
    return c;
}

/* a | b: a copy of a that b is merged into, unless b is a. */
PjMemInfo *
pj_rt_set_or(PjMemInfo *a, PjMemInfo *b, PjKeyEq eq)
{
    PjMemInfo *r = pj_rt_set_copy(a, eq);
    if (r != NULL && a != b && merge(table_of(r), table_of(b), eq) < 0) {
        pj_rt_meminfo_release(r);
        return NULL;
    }
    return r;
}

/* a & b: CPython's set_intersection, which walks the smaller set (b when
   they are as large) and adds the items the other holds to a new set. */
PjMemInfo *
pj_rt_set_and(PjMemInfo *a, PjMemInfo *b, PjKeyEq eq)
{
    if (a == b) {
        return pj_rt_set_copy(a, eq);
    }
    PjTable *big = table_of(a), *small = table_of(b);
    if (small->used > big->used) {
        PjTable *x = big;
        big = small;
        small = x;
    }
    PjMemInfo *r = pj_rt_set_new(big->entrysize, big->acquire, big->release);
    for (int64_t i = 0; r != NULL && i <= small->mask; i++) {
        char *e = slot_at(small, i);
        if (live(small, i) && lookup(big, e + 8, slot_hash(e), eq) >= 0
            && add_slot(table_of(r), e, eq) < 0) {
            pj_rt_meminfo_release(r);
            r = NULL;
        }
    }
    return r;
}

/* Each item of o, in o's slot order, removed from t, or added to it when
   absent and toggle is set; -1 when memory runs out.  t is emptied when
   it is o, as CPython's in-place forms do then. */
static int
remove_each(PjMemInfo *mi, PjMemInfo *other, PjKeyEq eq, bool toggle)
{
    PjTable *t = table_of(mi), *o = table_of(other);
    if (t == o) {
        pj_rt_set_clear(mi);
        return 0;
    }
    char *scratch = alloca((size_t)t->entrysize);
    for (int64_t i = 0; i <= o->mask; i++) {
        char *e = slot_at(o, i);
        if (live(o, i) && !discard(t, e + 8, slot_hash(e), eq, scratch)
            && toggle && add_slot(t, e, eq) < 0) {
            return -1;
        }
    }
    return 0;
}

/* s -= other: the items removed, then the dummies resized away when
   they are more than a quarter of the table, as CPython does. */
int32_t
pj_rt_set_isub(PjMemInfo *mi, PjMemInfo *other, PjKeyEq eq)
{
    remove_each(mi, other, eq, false);
    return pj_rt_set_shrink(mi);
}

/* The end of CPython's difference_update: dummies that are more than a
   quarter of the slots are resized away; -1 when memory runs out. */
int32_t
pj_rt_set_shrink(PjMemInfo *mi)
{
    PjTable *t = table_of(mi);
    if (t->fill - t->used <= t->mask / 4) {
        return 0;
    }
    return resize(t, grown_size(t));
}

/* a - b: CPython's set_difference, a copy of a less b when a is over four
   times larger, else a new set of a's items that b lacks. */
PjMemInfo *
pj_rt_set_sub(PjMemInfo *a, PjMemInfo *b, PjKeyEq eq)
{
    PjTable *t = table_of(a), *o = table_of(b);
    if ((t->used >> 2) > o->used) {
        PjMemInfo *r = pj_rt_set_copy(a, eq);
        if (r != NULL && pj_rt_set_isub(r, b, eq) < 0) {
            pj_rt_meminfo_release(r);
            return NULL;
        }
        return r;
    }
    PjMemInfo *r = pj_rt_set_new(t->entrysize, t->acquire, t->release);
    for (int64_t i = 0; r != NULL && i <= t->mask; i++) {
        char *e = slot_at(t, i);
        if (live(t, i) && lookup(o, e + 8, slot_hash(e), eq) < 0
            && add_slot(table_of(r), e, eq) < 0) {
            pj_rt_meminfo_release(r);
            r = NULL;
        }
    }
    return r;
}

/* s ^= other: each item of other removed from s when there, else added,
   in other's slot order. */
int32_t
pj_rt_set_ixor(PjMemInfo *mi, PjMemInfo *other, PjKeyEq eq)
{
    return remove_each(mi, other, eq, true);
}

/* a ^ b: CPython's set_symmetric_difference, a copy of b that a is
   xor-ed into. */
PjMemInfo *
pj_rt_set_xor(PjMemInfo *a, PjMemInfo *b, PjKeyEq eq)
{
    PjMemInfo *r = pj_rt_set_copy(b, eq);
    if (r != NULL && pj_rt_set_ixor(r, a, eq) < 0) {
        pj_rt_meminfo_release(r);
        return NULL;
    }
    return r;
}

/* The table of r swapped into mi, as CPython's set_swap_bodies swaps
   it (the finger stays), and r released with mi's old table. */
void
pj_rt_set_become(PjMemInfo *mi, PjMemInfo *r)
{
    PjTable *t = table_of(mi), *u = table_of(r);
    PjTable keep = *t;
    t->index = u->index;
    t->entries = u->entries;
    t->mask = u->mask;
    t->nentries = u->nentries;
    t->capacity = u->capacity;
    t->used = u->used;
    t->fill = u->fill;
    u->index = keep.index;
    u->entries = keep.entries;
    u->mask = keep.mask;
    u->nentries = keep.nentries;
    u->used = keep.used;
    pj_rt_meminfo_release(r);
}

/* s &= other: CPython computes s & other and swaps its table into s; -1
   when memory runs out. */
int32_t
pj_rt_set_iand(PjMemInfo *mi, PjMemInfo *other, PjKeyEq eq)
{
    PjMemInfo *r = pj_rt_set_and(mi, other, eq);
    if (r == NULL) {
        return -1;
    }
    pj_rt_set_become(mi, r);
    return 0;
}

/* --- the boundary with Python --- */

/* CPython's dummy key: the object its sets leave, uncounted, in a
   deleted slot, found by deleting from a set of its own once. */
static PyObject *
python_dummy(void)
{
    static PyObject *dummy;
    PyObject *s = dummy == NULL ? PySet_New(NULL) : NULL;
    if (s != NULL && PySet_Add(s, Py_None) == 0
        && PySet_Discard(s, Py_None) == 1) {
        for (int i = 0; i < PySet_MINSIZE; i++) {
            PySetObject *so = (PySetObject *)s;
            dummy = so->table[i].key != NULL ? so->table[i].key : dummy;
        }
    }
    Py_XDECREF(s);
    return dummy;
}

/* Lays the table's slots out in the empty Python set so: the same
   slots, dummies and finger, each key boxed by box; -1 with an exception
   set (so then holds the keys boxed so far). */
static int
fill_python_set(PySetObject *so, PjTable *t, PjBoxFn box)
{
    PyObject *dummy = python_dummy();
    setentry *table = so->smalltable;
    if (dummy == NULL) {
        return -1;
    }
    if (t->mask + 1 > PySet_MINSIZE) {
        table = PyMem_Calloc((size_t)(t->mask + 1), sizeof(setentry));
        if (table == NULL) {
            PyErr_NoMemory();
            return -1;
        }
    }
    Py_ssize_t used = 0, fill = 0;
    for (int64_t i = 0; i <= t->mask; i++) {
        PyObject *k = live(t, i) ? box(slot_at(t, i) + 8)
                      : t->index[i] == DUMMY ? dummy : NULL;
        table[i].key = k;
        table[i].hash = k == NULL ? 0 : slot_hash(slot_at(t, i));
        used += k != NULL && k != dummy;
        fill += k != NULL;
    }
    so->table = table;
    so->mask = (Py_ssize_t)t->mask;
    so->fill = fill;
    so->used = used;
    so->finger = (Py_ssize_t)t->finger;
    return used == t->used ? 0 : -1;
}

/* A Python set laid out as the table; the caller's reference to the
   table is released.  NULL with an exception set. */
PyObject *
pj_rt_set_box(PjMemInfo *mi, PjBoxFn box)
{
    PyObject *s = PySet_New(NULL);
    if (s != NULL && fill_python_set((PySetObject *)s, table_of(mi), box) < 0) {
        Py_CLEAR(s);
    }
    pj_rt_meminfo_release(mi);
    return s;
}

/* print(s): the set as CPython prints it, its items in slot order; never
   raises, as pj_rt_print. */
void
pj_rt_set_print(PjMemInfo *mi, PjBoxFn box, int32_t flags)
{
    PyGILState_STATE g = PyGILState_Ensure();
    PyObject *s = PySet_New(NULL);
    if (s != NULL && fill_python_set((PySetObject *)s, table_of(mi), box) < 0) {
        Py_CLEAR(s);
    }
    if (s == NULL) {
        PyErr_WriteUnraisable(NULL);
    }
    pj_runtime_print_object(s, flags);
    PyGILState_Release(g);
}

/* Gives the empty table the layout of the Python set: its slots, live
   ones holding its hashes (their keys left for the caller to store, in
   slot order, walking the table with pj_rt_table_next), its dummies and
   finger; -1 when memory runs out. */
int32_t
pj_rt_set_take_layout(PjMemInfo *mi, PyObject *set)
{
    PySetObject *so = (PySetObject *)set;
    PjTable *t = table_of(mi);
    int64_t *index;
    char *entries;
    if (alloc_slots(so->mask + 1, t->entrysize, &index, &entries) < 0) {
        return -1;
    }
    install(t, index, entries, so->mask + 1);
    for (int64_t i = 0; i <= t->mask; i++) {
        PyObject *k = so->table[i].key;
        index[i] = k == NULL ? EMPTY : so->table[i].hash == -1 ? DUMMY : i;
        if (live(t, i)) {
            memset(slot_at(t, i), 0, (size_t)t->entrysize);
            set_slot_hash(slot_at(t, i), so->table[i].hash);
        }
    }
    t->used = so->used;
    t->fill = so->fill;
    t->finger = so->finger;
    return 0;
}

/* After the call: the Python set takes the table's layout and items, and
   the wrapper's reference to the table is released; an error is raised
   only if the call did not raise already. */
void
pj_rt_set_reflect(PyObject *set, PjMemInfo *mi, PjBoxFn box)
{
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    if (PySet_Clear(set) == 0) {
        fill_python_set((PySetObject *)set, table_of(mi), box);
    }
    pj_rt_meminfo_release(mi);
    if (type != NULL) {
        PyErr_Clear();
        PyErr_Restore(type, value, tb);
    }
}
