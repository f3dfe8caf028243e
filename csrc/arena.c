/*
** arena.c - one bump allocator per compilation.
**
** Everything a compile builds (IR, typing results, diagnostics, scratch
** vectors) comes from its arena and is released at once when the compile
** ends, on success or on error, so no stage frees anything.  Python objects
** the IR refers to (constants, globals) are registered with the arena and
** released with it.  Nothing that outlives the compile may point into it.
**
** With PYJIT_DEBUG every allocation is a separate calloc, so that
** AddressSanitizer sees a use after the arena is freed.
*/
#include "pyjit.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define CHUNK_SIZE (64 * 1024)

typedef struct Chunk {
    struct Chunk *next;
    size_t used, size;
    max_align_t data[];
} Chunk;

struct PjArena {
    Chunk *chunks;
    PyObject *objects;          /* list, created on first use */
};

static size_t live_arenas, live_bytes;
static long fail_countdown = -1;    /* test hook: allocations till one fails */
static unsigned long failures;      /* allocations that failed, ever */

/* Makes the n-th arena allocation from now fail with MemoryError (n < 0:
   never), so that tests can walk every error path of a compile.  Returns
   what was left of the previous countdown: >= 0 when its failure never
   came. */
long
pj_arena_fail_after(long n)
{
    long left = fail_countdown;
    fail_countdown = n;
    return left;
}

PjArena *
pj_arena_new(void)
{
    PjArena *a = PyMem_Calloc(1, sizeof(PjArena));
    if (a == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    live_arenas++;
    return a;
}

void
pj_arena_free(PjArena *a)
{
    if (a == NULL) {
        return;
    }
    Chunk *c = a->chunks;
    while (c != NULL) {
        Chunk *next = c->next;
        live_bytes -= c->size;
        PyMem_Free(c);
        c = next;
    }
    Py_XDECREF(a->objects);
    PyMem_Free(a);
    live_arenas--;
}

static Chunk *
new_chunk(PjArena *a, size_t need)
{
    size_t size = need > CHUNK_SIZE ? need : CHUNK_SIZE;
#ifdef PYJIT_DEBUG
    size = need;
#endif
    Chunk *c = PyMem_Calloc(1, sizeof(Chunk) + size);
    if (c == NULL) {
        return NULL;
    }
    c->size = size;
    c->next = a->chunks;
    a->chunks = c;
    live_bytes += size;
    return c;
}

/* Returns zeroed memory, or NULL with MemoryError set. */
void *
pj_arena_alloc(PjArena *a, size_t n)
{
    if (fail_countdown >= 0 && fail_countdown-- == 0) {
        failures++;
        PyErr_NoMemory();
        return NULL;
    }
    const size_t align = sizeof(max_align_t);
    n = (n + align - 1) & ~(align - 1);
    if (n == 0) {
        n = align;
    }
    Chunk *c = a->chunks;
#ifndef PYJIT_DEBUG
    if (c != NULL && c->size - c->used >= n) {
        void *p = (char *)c->data + c->used;
        c->used += n;
        return p;
    }
#endif
    c = new_chunk(a, n);
    if (c == NULL) {
        failures++;
        PyErr_NoMemory();
        return NULL;
    }
    c->used = n;
    return c->data;
}

char *
pj_arena_strdup(PjArena *a, const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = pj_arena_alloc(a, n);
    if (p != NULL) {
        memcpy(p, s, n);
    }
    return p;
}

char *
pj_arena_vprintf(PjArena *a, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    char *p = pj_arena_alloc(a, (size_t)n + 1);
    if (p != NULL) {
        vsnprintf(p, (size_t)n + 1, fmt, ap);
    }
    return p;
}

char *
pj_arena_printf(PjArena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = pj_arena_vprintf(a, fmt, ap);
    va_end(ap);
    return p;
}

/* Keeps obj alive until the arena is freed (takes a new reference). */
int
pj_arena_add_pyobject(PjArena *a, PyObject *obj)
{
    if (a->objects == NULL) {
        a->objects = PyList_New(0);
        if (a->objects == NULL) {
            return -1;
        }
    }
    return PyList_Append(a->objects, obj);
}

/* How many arena allocations have failed in the process: a compile that
   saw one fail reports MemoryError, whatever a stage made of the failure. */
unsigned long
pj_arena_failures(void)
{
    return failures;
}

void
pj_arena_stats(size_t *arenas, size_t *bytes)
{
    *arenas = live_arenas;
    *bytes = live_bytes;
}
