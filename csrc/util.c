/*
** util.c - the small containers every stage uses: a text buffer on the C
** heap, and a string map and pointer vector that live in an arena.
*/
#include "pyjit.h"

/* The module `name`, imported on first use into *slot (module state: the
   helpers in Python are imported only when a feature needs them). */
PyObject *
pj_import_once(PyObject **slot, const char *name)
{
    if (*slot == NULL) {
        *slot = PyImport_ImportModule(name);
    }
    return *slot;
}

#include <stdio.h>
#include <string.h>
#include <time.h>

void
pj_buf_init(PjBuf *b)
{
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = 0;
}

void
pj_buf_free(PjBuf *b)
{
    PyMem_Free(b->data);
    pj_buf_init(b);
}

static int
reserve(PjBuf *b, size_t extra)
{
    if (b->failed) {
        return -1;
    }
    if (b->len + extra + 1 <= b->cap) {
        return 0;
    }
    size_t cap = b->cap ? b->cap * 2 : 256;
    while (cap < b->len + extra + 1) {
        cap *= 2;
    }
    char *p = PyMem_Realloc(b->data, cap);
    if (p == NULL) {
        b->failed = 1;
        return -1;
    }
    b->data = p;
    b->cap = cap;
    return 0;
}

void
pj_buf_putn(PjBuf *b, const char *s, size_t n)
{
    if (reserve(b, n) < 0) {
        return;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void
pj_buf_puts(PjBuf *b, const char *s)
{
    pj_buf_putn(b, s, strlen(s));
}

void
pj_buf_printf(PjBuf *b, const char *fmt, ...)
{
    va_list ap, copy;
    va_start(ap, fmt);
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n >= 0 && reserve(b, (size_t)n) == 0) {
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
        b->len += (size_t)n;
    }
    va_end(ap);
}

void
pj_buf_repeat(PjBuf *b, char c, int n)
{
    if (n <= 0 || reserve(b, (size_t)n) < 0) {
        return;
    }
    memset(b->data + b->len, c, (size_t)n);
    b->len += (size_t)n;
    b->data[b->len] = '\0';
}

/* Returns the text as a new str and frees the buffer. */
PyObject *
pj_buf_to_str(PjBuf *b)
{
    PyObject *s = NULL;
    if (b->failed) {
        PyErr_NoMemory();
    }
    else {
        s = PyUnicode_DecodeUTF8(b->data ? b->data : "", (Py_ssize_t)b->len,
                                 "replace");
    }
    pj_buf_free(b);
    return s;
}

uint64_t
pj_hash_bytes(const void *p, size_t n, uint64_t h)
{
    const unsigned char *s = p;
    if (h == 0) {
        h = 1469598103934665603ULL;         /* FNV-1a */
    }
    for (size_t i = 0; i < n; i++) {
        h = (h ^ s[i]) * 1099511628211ULL;
    }
    return h;
}

void
pj_map_init(PjMap *m, PjArena *a)
{
    memset(m, 0, sizeof(*m));
    m->arena = a;
}

static int
map_slot(PjMap *m, const char *key)
{
    uint64_t h = pj_hash_bytes(key, strlen(key), 0);
    int mask = m->cap - 1;
    int i = (int)(h & (uint64_t)mask);
    while (m->keys[i] != NULL && strcmp(m->keys[i], key) != 0) {
        i = (i + 1) & mask;
    }
    return i;
}

void *
pj_map_get(PjMap *m, const char *key)
{
    if (m->cap == 0) {
        return NULL;
    }
    return m->vals[map_slot(m, key)];
}

static int
map_grow(PjMap *m)
{
    PjMap old = *m;
    int cap = old.cap ? old.cap * 2 : 32;
    const char **keys = PJ_NEW_N(m->arena, const char *, cap);
    void **vals = PJ_NEW_N(m->arena, void *, cap);
    if (keys == NULL || vals == NULL) {
        return -1;
    }
    m->keys = keys;
    m->vals = vals;
    m->cap = cap;
    m->len = 0;
    for (int i = 0; i < old.cap; i++) {
        if (old.keys[i] != NULL) {
            pj_map_put(m, old.keys[i], old.vals[i]);
        }
    }
    return 0;
}

/* The key must outlive the map (arena strings do).  -1: MemoryError. */
int
pj_map_put(PjMap *m, const char *key, void *val)
{
    if ((m->len + 1) * 2 > m->cap && map_grow(m) < 0) {
        return -1;
    }
    int i = map_slot(m, key);
    if (m->keys[i] == NULL) {
        m->keys[i] = key;
        m->len++;
    }
    m->vals[i] = val;
    return 0;
}

/* -1: MemoryError, and the vector is unchanged. */
int
pj_vec_push(PjArena *a, PjVec *v, void *item)
{
    if (v->len == v->cap) {
        int cap = v->cap ? v->cap * 2 : 8;
        void **items = PJ_NEW_N(a, void *, cap);
        if (items == NULL) {
            return -1;
        }
        if (v->len) {
            memcpy(items, v->items, sizeof(void *) * (size_t)v->len);
        }
        v->items = items;
        v->cap = cap;
    }
    v->items[v->len++] = item;
    return 0;
}

/* Monotonic seconds, for compile statistics. */
double
pj_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Whether name is one of names, a list ending in NULL. */
bool
pj_name_in(const char *const *names, const char *name)
{
    for (int i = 0; names[i] != NULL; i++) {
        if (strcmp(names[i], name) == 0) {
            return true;
        }
    }
    return false;
}
