/*
** parallel_rt.c - the threading runtime prange loops run on: LLVM's OpenMP
** runtime (libomp), called through its C ABI as clang's lowering of
** `#pragma omp parallel` calls it.
**
** A prange loop compiles to a chunk function (parallel.c)
**
**     i32 chunk(void *env, i64 k, i64 lo, i64 hi)
**
** that runs iterations [lo, hi) of the loop as chunk k and returns 0, or -1
** with a Python exception set.  pj_parallel_run forks a team of threads
** with __kmpc_fork_call; each thread runs the chunks numbered like it
** (static scheduling: chunk k covers the k-th equal slice of the
** iterations), so a chunk's reduction partial goes to slot k and the
** caller combines the partials in order, the same way on every run.
**
** The GIL: the calling thread releases it for the region when it holds it,
** so that a thread raising an exception (or failing to allocate) can take
** it.  Threads of libomp's pool are not Python threads: each gets a thread
** state of its own the first time it runs a chunk and keeps it, so that an
** exception raised in it survives until the region hands the first one to
** the caller.
**
** Nesting: a chunk that calls another parallel function runs that one's
** chunks itself, in order (region_depth), as Numba runs inner regions.
** The number of threads is per calling thread, as Numba's is.  libomp
** re-initializes itself in a child after fork, so a forked process runs
** parallel regions as its parent does.
*/
#include "pyjit.h"

#include <limits.h>
#include <stdatomic.h>

/* libomp's C ABI (kmp.h): the source location every entry takes, the
   outlined function of a region, and the entries a region needs. */
typedef struct KmpIdent {
    int32_t reserved_1, flags, reserved_2, reserved_3;
    const char *psource;
} KmpIdent;

typedef void (*KmpMicrotask)(int32_t *gtid, int32_t *btid, ...);

extern void __kmpc_fork_call(KmpIdent *loc, int32_t argc,
                             KmpMicrotask microtask, ...);
extern void __kmpc_push_num_threads(KmpIdent *loc, int32_t gtid,
                                    int32_t nthreads);
extern int32_t __kmpc_global_thread_num(KmpIdent *loc);
extern int omp_get_thread_num(void);
extern int omp_get_num_threads(void);
extern void kmp_set_defaults(const char *str);

#define KMP_IDENT_KMPC 0x02
static KmpIdent region_loc = {0, KMP_IDENT_KMPC, 0, 0,
                              ";pyjit;prange;0;0;;"};

/* The number of threads a region uses when the thread calling it has not
   set one (PYJIT_NUM_THREADS, or the cores). */
static int default_threads = 1;
static _Thread_local int thread_threads;       /* 0: the default */
static _Thread_local int64_t thread_chunksize; /* 0: a chunk a thread */
static _Thread_local int region_depth;         /* chunks running here */
static _Thread_local int thread_id;            /* in the running region */
static _Thread_local int region_threads;       /* its caller's count */
static atomic_bool layer_used;

typedef struct Region {
    PjChunkFn fn;
    void *env;
    int64_t n, nchunks;
    atomic_int_fast64_t next;   /* the next chunk to hand out */
    int threads;                /* the caller's number of threads */
    atomic_bool failed;
    PyObject *exc_type, *exc_value, *exc_tb;  /* the first error */
} Region;

/* --- the number of threads --- */

int
pj_parallel_num_threads(void)
{
    return thread_threads > 0 ? thread_threads : default_threads;
}

/* With a chunk size set, at most this many chunks a thread: each chunk
   has a slot of reduction partials, which must stay small. */
enum { MAX_CHUNKS_PER_THREAD = 64 };

/* How many chunks a loop of n iterations is cut into: one per thread, or
   with set_parallel_chunksize(c) chunks of c iterations (more when that
   would make too many), which the threads take as they finish the last;
   one in all inside another region. */
int64_t
pj_parallel_chunks(int64_t n)
{
    int64_t t = region_depth > 0 ? 1 : pj_parallel_num_threads();
    if (t > 1 && thread_chunksize > 0 && n > 0) {
        int64_t want = n / thread_chunksize + (n % thread_chunksize != 0);
        int64_t cap = t * MAX_CHUNKS_PER_THREAD;
        return want < cap ? want : cap;
    }
    return n < t ? (n > 0 ? n : 1) : t;
}

/* Below this many elements an element-wise loop's threads cost more than
   they save: an array expression on a row inside a Python-level loop
   would otherwise fork a team for each row. */
enum { PARALLEL_MIN_ELEMENTS = 1 << 14 };

/* How many chunks an element-wise loop over n elements is cut into: one
   below PARALLEL_MIN_ELEMENTS, else pj_parallel_chunks(n). */
int64_t
pj_parallel_element_chunks(int64_t n)
{
    return n < PARALLEL_MIN_ELEMENTS ? 1 : pj_parallel_chunks(n);
}

/* Iterations [*lo, *hi) of chunk k: equal slices, the first n % nchunks
   one longer. */
static void
chunk_bounds(int64_t n, int64_t nchunks, int64_t k, int64_t *lo, int64_t *hi)
{
    int64_t size = n / nchunks, extra = n % nchunks;
    *lo = k * size + (k < extra ? k : extra);
    *hi = *lo + size + (k < extra);
}

/* --- running chunks --- */

/* A libomp pool thread has no Python thread state; give it one for good
   (taken with the GIL, which is then let go) so that an exception set in
   it lasts until keep_first_error reads it. */
static void
ensure_thread_state(void)
{
    if (PyGILState_GetThisThreadState() == NULL) {
        PyGILState_Ensure();
        PyEval_SaveThread();
    }
}

/* The first exception of the region is the one the caller gets; later
   ones are dropped. */
static void
keep_first_error(Region *r)
{
    PyGILState_STATE g = PyGILState_Ensure();
    if (r->exc_type == NULL) {
        PyErr_Fetch(&r->exc_type, &r->exc_value, &r->exc_tb);
    }
    else {
        PyErr_Clear();
    }
    atomic_store(&r->failed, true);
    PyGILState_Release(g);
}

/* A chunk runs with the chunk size 0, as Numba's do, whichever thread
   runs it (the caller's own, when the loop runs serially): a region
   nested in it is one chunk anyway. */
static int
call_chunk(PjChunkFn fn, void *env, int64_t n, int64_t nchunks, int64_t k)
{
    int64_t lo, hi;
    chunk_bounds(n, nchunks, k, &lo, &hi);
    int64_t outer_chunksize = thread_chunksize;
    thread_chunksize = 0;
    region_depth++;
    int rc = fn(env, k, lo, hi);
    region_depth--;
    thread_chunksize = outer_chunksize;
    return rc;
}

/* A thread of the team: its chunks, until one of any thread fails. */
static void
microtask(int32_t *Py_UNUSED(gtid), int32_t *Py_UNUSED(btid), Region *r)
{
    int self = omp_get_thread_num(), team = omp_get_num_threads();
    ensure_thread_state();
    int outer_threads = region_threads;
    thread_id = self;
    region_threads = r->threads;
    /* one chunk a thread: its own; more: the next one not taken */
    bool shared = r->nchunks > team;
    for (int64_t k = shared ? atomic_fetch_add(&r->next, 1) : self;
         k < r->nchunks; k = shared ? atomic_fetch_add(&r->next, 1) : k + team) {
        if (atomic_load(&r->failed)) {
            break;
        }
        if (call_chunk(r->fn, r->env, r->n, r->nchunks, k) < 0) {
            keep_first_error(r);
        }
    }
    thread_id = 0;
    region_threads = outer_threads;
}

static int
fork_team(Region *r)
{
    PyThreadState *ts = PyGILState_Check() ? PyEval_SaveThread() : NULL;
    int32_t gtid = __kmpc_global_thread_num(&region_loc);
    int64_t team = r->nchunks < r->threads ? r->nchunks : r->threads;
    __kmpc_push_num_threads(&region_loc, gtid, (int32_t)team);
    __kmpc_fork_call(&region_loc, 1, (KmpMicrotask)microtask, r);
    if (ts != NULL) {
        PyEval_RestoreThread(ts);
    }
    if (r->exc_type == NULL) {
        return 0;
    }
    PyGILState_STATE g = PyGILState_Ensure();
    PyErr_Restore(r->exc_type, r->exc_value, r->exc_tb);
    PyGILState_Release(g);
    return -1;
}

/* Runs chunks 0..nchunks-1 of a loop of n iterations; 0, or -1 with the
   first exception a chunk raised set. */
int
pj_parallel_run(PjChunkFn fn, void *env, int64_t n, int64_t nchunks)
{
    /* Numba's threading layer is chosen by the first parallel launch,
       however small: threading_layer() answers from then on */
    atomic_store(&layer_used, true);
    if (nchunks <= 1) {
        return call_chunk(fn, env, n, 1, 0);
    }
    Region r = {.fn = fn, .env = env, .n = n, .nchunks = nchunks,
                .threads = pj_parallel_num_threads()};
    return fork_team(&r);
}

/* Zeroed memory for nchunks reduction partials of `size` bytes each
   (a chunk that does not finish leaves its partials empty); NULL with
   MemoryError. */
void *
pj_parallel_scratch(int64_t nchunks, int64_t size)
{
    void *p = calloc((size_t)nchunks, (size_t)size);
    if (p == NULL) {
        PyGILState_STATE g = PyGILState_Ensure();
        PyErr_NoMemory();
        PyGILState_Release(g);
    }
    return p;
}

void
pj_parallel_free(void *p)
{
    free(p);
}

/* get_parallel_chunksize() in compiled code: the calling thread's. */
int64_t
pj_parallel_chunksize(void)
{
    return thread_chunksize;
}

/* set_parallel_chunksize(n) in compiled code (n >= 0, checked): the
   previous size. */
int64_t
pj_parallel_swap_chunksize(int64_t n)
{
    int64_t old = thread_chunksize;
    thread_chunksize = n;
    return old;
}

/* The thread's number in the region running it, 0 outside one. */
int64_t
pj_parallel_thread_id(void)
{
    return thread_id;
}

/* The number of threads this thread's regions use; in a region, its
   caller's (as Numba's get_num_threads says). */
int64_t
pj_parallel_threads(void)
{
    return region_threads > 0 ? region_threads : pj_parallel_num_threads();
}

/* --- the Python API (pyjit/_parallel.py) --- */

/* A thread count from Python into *n: 1 to INT_MAX, else -1 with
   ValueError (or the int's own error). */
static int
thread_count(PyObject *arg, int *n)
{
    long v = PyLong_AsLong(arg);
    if (v == -1 && PyErr_Occurred()) {
        return -1;
    }
    if (v < 1 || v > INT_MAX) {
        PyErr_Format(PyExc_ValueError, "a number of threads must be from 1 "
                     "to %d, not %ld", INT_MAX, v);
        return -1;
    }
    *n = (int)v;
    return 0;
}

/* _parallel_configure(default): the thread count regions use unless a
   thread sets its own.  libomp's threads sleep as soon as a region ends
   (KMP_BLOCKTIME=0 unless the environment says otherwise): spinning
   threads would take the cores from the Python code that runs between
   regions. */
PyObject *
pj_parallel_configure(PyObject *Py_UNUSED(module), PyObject *arg)
{
    if (thread_count(arg, &default_threads) < 0) {
        return NULL;
    }
    if (getenv("KMP_BLOCKTIME") == NULL) {
        kmp_set_defaults("KMP_BLOCKTIME=0");
    }
    Py_RETURN_NONE;
}

PyObject *
pj_parallel_set_threads(PyObject *Py_UNUSED(module), PyObject *arg)
{
    if (thread_count(arg, &thread_threads) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* set_parallel_chunksize(n): the chunk size of this thread's parallel
   loops from now on (0: one chunk a thread); the previous one. */
PyObject *
pj_parallel_set_chunksize(PyObject *Py_UNUSED(module), PyObject *arg)
{
    int64_t n = PyLong_AsLongLong(arg);
    if (n == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (n < 0) {
        PyErr_Format(PyExc_ValueError, "chunksize must be at least 0, not "
                     "%lld", (long long)n);
        return NULL;
    }
    int64_t old = thread_chunksize;
    thread_chunksize = n;
    return PyLong_FromLongLong(old);
}

PyObject *
pj_parallel_get_chunksize(PyObject *Py_UNUSED(module),
                          PyObject *Py_UNUSED(unused))
{
    return PyLong_FromLongLong(thread_chunksize);
}

PyObject *
pj_parallel_get_threads(PyObject *Py_UNUSED(module),
                        PyObject *Py_UNUSED(unused))
{
    return PyLong_FromLongLong(pj_parallel_threads());
}

PyObject *
pj_parallel_get_thread_id(PyObject *Py_UNUSED(module),
                          PyObject *Py_UNUSED(unused))
{
    return PyLong_FromLong(thread_id);
}

PyObject *
pj_parallel_layer_used(PyObject *Py_UNUSED(module),
                       PyObject *Py_UNUSED(unused))
{
    return PyBool_FromLong(atomic_load(&layer_used));
}
