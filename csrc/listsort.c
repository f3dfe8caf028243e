/*
** listsort.c - CPython's list.sort over an index array, in C, for keys of
** numbers and strings.
**
** pyjit/_lists.py sorts a list as CPython 3.11's listsort
** (Objects/listobject.c) does, comparing keys with `<` alone, so that keys
** `<` does not order (NaN among floats) end where listsort's steps leave
** them.  Its _timsort, written in Python, is compiled for each key type
** into every function that sorts, which makes their first call slow.  For
** keys of numbers and strings, whose `<` this file knows, the same steps
** are taken here, in code compiled with the extension.  The
** port follows _timsort line by line (its comments tell CPython's names):
** both sort v, indices into the keys, comparing keys[v[i]].
**
** The intrinsic, for pyjit/_lists.py:
**   _listsort(keys, v, tmp)   sorts v (int64, indices into the list keys)
**       as _timsort(keys, v) does; tmp (int64) has room for half of v,
**       rounded up.  keys holds numbers or strings (others: no
**       implementation).
** Compiled code reaches pj_rt_listsort by name, with the NumPy type number
** of the keys (NPY_UNICODE for strings) saying how to compare them.
*/
#include "pyjit.h"

#define NO_IMPORT_ARRAY
#include <numpy/arrayobject.h>

#include <string.h>

enum { MIN_GALLOP = 7, MAX_PENDING = 128 };

/* Whether keys[i] < keys[j]. */
typedef bool (*KeyLess)(const void *keys, int64_t i, int64_t j);

typedef struct Run {
    int64_t start, length, power;
} Run;

typedef struct Sort {
    const void *keys;
    KeyLess less;
    int64_t *v;             /* the indices sorted */
    int64_t *tmp;           /* a copy of the shorter run of a merge */
    int64_t min_gallop;
    Run runs[MAX_PENDING];  /* waiting to merge: at most log2(n) + 2 */
    int pending;
} Sort;

/* --- comparing keys --- */

#define NUMBER_LESS(name, T)                                            \
    static bool                                                         \
    name(const void *keys, int64_t i, int64_t j)                        \
    {                                                                   \
        return ((const T *)keys)[i] < ((const T *)keys)[j];             \
    }

NUMBER_LESS(less_i8, int8_t)
NUMBER_LESS(less_u8, uint8_t)
NUMBER_LESS(less_i16, int16_t)
NUMBER_LESS(less_u16, uint16_t)
NUMBER_LESS(less_i32, int32_t)
NUMBER_LESS(less_u32, uint32_t)
NUMBER_LESS(less_i64, int64_t)
NUMBER_LESS(less_u64, uint64_t)
NUMBER_LESS(less_f32, float)
NUMBER_LESS(less_f64, double)

static bool
less_str(const void *keys, int64_t i, int64_t j)
{
    return pj_rt_str_cmp((const PjStr *)keys + i, (const PjStr *)keys + j)
           < 0;
}

/* How keys of the NumPy type typenum (NPY_UNICODE: strings) compare;
   NULL for the types this file does not sort. */
static KeyLess
less_of(int typenum)
{
    switch (typenum) {
    case NPY_BOOL: case NPY_UBYTE: return less_u8;
    case NPY_BYTE: return less_i8;
    case NPY_SHORT: return less_i16;
    case NPY_USHORT: return less_u16;
    case NPY_INT: return less_i32;
    case NPY_UINT: return less_u32;
    case NPY_LONG: case NPY_LONGLONG: return less_i64;
    case NPY_ULONG: case NPY_ULONGLONG: return less_u64;
    case NPY_FLOAT: return less_f32;
    case NPY_DOUBLE: return less_f64;
    case NPY_UNICODE: return less_str;
    default: return NULL;
    }
}

static inline bool
less(const Sort *s, int64_t i, int64_t j)
{
    return s->less(s->keys, i, j);
}

/* --- the steps of listsort --- */

static void
reverse_span(int64_t *a, int64_t lo, int64_t hi)
{
    for (hi--; lo < hi; lo++, hi--) {
        int64_t t = a[lo];
        a[lo] = a[hi];
        a[hi] = t;
    }
}

/* dst[d:d + n] = src[s:s + n]; or, when back, the n items ending at s to
   the n ending at d (a merge_hi moves from the end). */
static void
move(int64_t *dst, int64_t d, const int64_t *src, int64_t s, int64_t n,
     bool back)
{
    if (back) {
        d -= n - 1;
        s -= n - 1;
    }
    memmove(dst + d, src + s, (size_t)n * sizeof(int64_t));
}

/* The length of the run at v[lo] (lo < hi); *descending when it is
   strictly descending. */
static int64_t
count_run(const Sort *s, int64_t lo, int64_t hi, bool *descending)
{
    const int64_t *v = s->v;
    *descending = false;
    if (lo + 1 == hi) {
        return 1;
    }
    *descending = less(s, v[lo + 1], v[lo]);
    int64_t n = 2;
    for (int64_t i = lo + 2; i < hi; i++, n++) {
        if (less(s, v[i], v[i - 1]) != *descending) {
            break;
        }
    }
    return n;
}

/* Sorts v[lo:hi], of which v[lo:start] is sorted, by binary insertion,
   stably. */
static void
binarysort(const Sort *s, int64_t lo, int64_t hi, int64_t start)
{
    int64_t *v = s->v;
    if (lo == start) {
        start++;
    }
    for (int64_t i = start; i < hi; i++) {
        int64_t l = lo, r = i, pivot = v[i];
        while (l < r) {
            int64_t p = l + ((r - l) >> 1);
            if (less(s, pivot, v[p])) {
                r = p;
            }
            else {
                l = p + 1;
            }
        }
        move(v, l + 1, v, l, i - l, false);
        v[l] = pivot;
    }
}

/* Whether the item of index x goes before the key of index key: x < key,
   or when right, not key < x. */
static inline bool
before(const Sort *s, int64_t key, int64_t x, bool right)
{
    return right ? !less(s, key, x) : less(s, x, key);
}

/* Where the key of index key goes among the keys of a[0], ..., a[n - 1]:
   the k in 0..n with the first k before it, searched from a[hint]
   outwards (CPython's gallop_left, or when right gallop_right). */
static int64_t
gallop(const Sort *s, int64_t key, const int64_t *a, int64_t n, int64_t hint,
       bool right)
{
    int64_t lastofs = 0, ofs = 1;
    if (before(s, key, a[hint], right)) {
        int64_t maxofs = n - hint;
        while (ofs < maxofs && before(s, key, a[hint + ofs], right)) {
            lastofs = ofs;
            ofs = (ofs << 1) + 1;
        }
        ofs = ofs < maxofs ? ofs : maxofs;
        lastofs += hint;
        ofs += hint;
    }
    else {
        int64_t maxofs = hint + 1;
        while (ofs < maxofs && !before(s, key, a[hint - ofs], right)) {
            lastofs = ofs;
            ofs = (ofs << 1) + 1;
        }
        ofs = ofs < maxofs ? ofs : maxofs;
        int64_t k = lastofs;
        lastofs = hint - ofs;
        ofs = hint - k;
    }
    lastofs++;
    while (lastofs < ofs) {
        int64_t m = lastofs + ((ofs - lastofs) >> 1);
        if (before(s, key, a[m], right)) {
            lastofs = m + 1;
        }
        else {
            ofs = m;
        }
    }
    return ofs;
}

/* A merge in progress: the runs are read from a and b, their next items
   at ia and ib, and the next goes to v[dest]; step is -1 for merge_hi,
   which goes from the ends. */
typedef struct Merge {
    const int64_t *a, *b;
    int64_t ia, ib, na, nb, dest, step;
    bool hi;
} Merge;

/* Places the next item of a (or of b). */
static void
place_a(Sort *s, Merge *m)
{
    s->v[m->dest] = m->a[m->ia];
    m->dest += m->step;
    m->ia += m->step;
    m->na--;
}

static void
place_b(Sort *s, Merge *m)
{
    s->v[m->dest] = m->b[m->ib];
    m->dest += m->step;
    m->ib += m->step;
    m->nb--;
}

/* The merge's status once a run has n items left: 1 when none (the run
   in tmp or in v is placed), 2 when one of the run in tmp, else 0. */
static int
left(int64_t n, bool in_tmp)
{
    if (n == 0) {
        return 1;
    }
    return in_tmp && n == 1 ? 2 : 0;
}

/* The status after a's count fell (a is in tmp for merge_lo), or b's. */
static int
left_a(const Merge *m)
{
    return left(m->na, !m->hi);
}

static int
left_b(const Merge *m)
{
    return left(m->nb, m->hi);
}

/* Places the items of the run x[*ix], ... (nx left, from the end when hi)
   that go before the key of index key, found as gallop finds them from
   that end; returns how many. */
static int64_t
gallop_run(Sort *s, Merge *m, const int64_t *x, int64_t *ix, int64_t nx,
           int64_t key, bool right)
{
    int64_t base = m->hi ? *ix - nx + 1 : *ix;
    int64_t k = gallop(s, key, x + base, nx, m->hi ? nx - 1 : 0, right);
    int64_t count = m->hi ? nx - k : k;
    move(s->v, m->dest, x, *ix, count, m->hi);
    m->dest += m->step * count;
    *ix += m->step * count;
    return count;
}

/* One item at a time until a run wins min_gallop times in a row; the
   status then. */
static int
merge_one_by_one(Sort *s, Merge *m)
{
    int64_t acount = 0, bcount = 0;
    for (;;) {
        /* merge_lo places b's next when it is < a's, merge_hi a's */
        if (less(s, m->b[m->ib], m->a[m->ia]) != m->hi) {
            place_b(s, m);
            int status = left_b(m);
            bcount++;
            acount = 0;
            if (status || bcount >= s->min_gallop) {
                return status;
            }
        }
        else {
            place_a(s, m);
            int status = left_a(m);
            acount++;
            bcount = 0;
            if (status || acount >= s->min_gallop) {
                return status;
            }
        }
    }
}

/* Galloping, while one run wins so often that it may pay; the status
   then. */
static int
merge_galloping(Sort *s, Merge *m)
{
    s->min_gallop++;
    for (;;) {
        if (s->min_gallop > 1) {
            s->min_gallop--;
        }
        /* the items of a that go before b's next, then that one */
        int64_t acount = gallop_run(s, m, m->a, &m->ia, m->na,
                                    m->b[m->ib], true);
        m->na -= acount;
        int status = left_a(m);
        if (status) {
            return status;
        }
        place_b(s, m);
        if ((status = left_b(m))) {
            return status;
        }
        /* the items of b that go before a's next, then that one */
        int64_t bcount = gallop_run(s, m, m->b, &m->ib, m->nb,
                                    m->a[m->ia], false);
        m->nb -= bcount;
        if ((status = left_b(m))) {
            return status;
        }
        place_a(s, m);
        status = left_a(m);
        if (status || (acount < MIN_GALLOP && bcount < MIN_GALLOP)) {
            return status;
        }
    }
}

/* Merges the run v[pa:pa + na] with the one after it, v[pb:pb + nb]:
   CPython's merge_lo (na <= nb: a is copied to tmp and the merge goes
   from the start) or, when hi, its mirror merge_hi (na >= nb: b is
   copied, from the end). */
static void
merge(Sort *s, int64_t pa, int64_t na, int64_t pb, int64_t nb, bool hi)
{
    int64_t *v = s->v;
    Merge m = {.na = na, .nb = nb, .hi = hi, .step = hi ? -1 : 1};
    if (hi) {
        move(s->tmp, 0, v, pb, nb, false);
        m.a = v;
        m.b = s->tmp;
        m.ia = pa + na - 1;
        m.ib = nb - 1;
        m.dest = pb + nb - 1;
    }
    else {
        move(s->tmp, 0, v, pa, na, false);
        m.a = s->tmp;
        m.b = v;
        m.ia = 0;
        m.ib = pb;
        m.dest = pa;
    }
    /* the first of b (merge_lo), or the last of a (merge_hi), goes
       first; status: 0 merging, 1 a run in v is placed, or the one in
       tmp, 2 one item of the run in tmp is left, which goes after (or
       before) the rest of the other */
    int status;
    if (hi) {
        place_a(s, &m);
        status = m.na == 0 ? 1 : m.nb == 1 ? 2 : 0;
    }
    else {
        place_b(s, &m);
        status = m.nb == 0 ? 1 : m.na == 1 ? 2 : 0;
    }
    while (status == 0) {
        status = merge_one_by_one(s, &m);
        if (status == 0) {
            status = merge_galloping(s, &m);
            if (status == 0) {
                s->min_gallop++;    /* it left galloping: harder to enter */
            }
        }
    }
    /* what is left: of the run in tmp; or of the run in v, then the one
       item of the run in tmp */
    int64_t it = hi ? m.ib : m.ia;
    int64_t nt = hi ? m.nb : m.na;
    if (status == 2) {
        int64_t nv = hi ? m.na : m.nb;
        move(v, m.dest, v, hi ? m.ia : m.ib, nv, hi);
        m.dest += m.step * nv;
        nt = 1;
    }
    move(v, m.dest, s->tmp, it, nt, hi);
}

/* Merges pending runs i and i + 1. */
static void
merge_at(Sort *s, int i)
{
    int64_t *v = s->v;
    int64_t pa = s->runs[i].start, na = s->runs[i].length;
    int64_t pb = s->runs[i + 1].start, nb = s->runs[i + 1].length;
    s->runs[i].length = na + nb;
    if (i == s->pending - 3) {
        s->runs[i + 1] = s->runs[i + 2];
    }
    s->pending--;
    /* what of a precedes b's first, and of b follows a's last, stays */
    int64_t k = gallop(s, v[pb], v + pa, na, 0, true);
    pa += k;
    na -= k;
    if (na == 0) {
        return;
    }
    nb = gallop(s, v[pa + na - 1], v + pb, nb, nb - 1, false);
    if (nb > 0) {
        merge(s, pa, na, pb, nb, na > nb);
    }
}

/* The length shorter runs are extended to by binary insertion. */
static int64_t
minrun(int64_t n)
{
    int64_t r = 0;
    while (n >= 64) {
        r |= n & 1;
        n >>= 1;
    }
    return n + r;
}

/* The powersort power of the run of n1 items at s1 followed by one of
   n2, in n items. */
static int64_t
power(int64_t s1, int64_t n1, int64_t n2, int64_t n)
{
    int64_t result = 0;
    int64_t a = 2 * s1 + n1, b = a + n1 + n2;
    for (;;) {
        result++;
        if (a >= n) {
            a -= n;
            b -= n;
        }
        else if (b >= n) {
            break;
        }
        a <<= 1;
        b <<= 1;
    }
    return result;
}

/* Pushes the run v[lo:lo + length], merging first the pending runs whose
   power is above its predecessor's (CPython's found_new_run). */
static void
push_run(Sort *s, int64_t lo, int64_t length, int64_t n)
{
    if (s->pending > 0) {
        Run *last = &s->runs[s->pending - 1];
        int64_t p = power(last->start, last->length, length, n);
        while (s->pending > 1 && s->runs[s->pending - 2].power > p) {
            merge_at(s, s->pending - 2);
        }
        s->runs[s->pending - 1].power = p;
    }
    s->runs[s->pending++] = (Run){lo, length, 0};
}

/* Sorts v[:n], indices into keys, as listsort sorts items; tmp has room
   for (n + 1) / 2 indices.  The keys are of the NumPy type typenum
   (NPY_UNICODE: PjStr).  Needs no GIL. */
void
pj_rt_listsort(const void *keys, int32_t typenum, int64_t *v, int64_t n,
               int64_t *tmp)
{
    Sort sort = {.keys = keys, .less = less_of(typenum), .v = v,
                 .tmp = tmp, .min_gallop = MIN_GALLOP};
    Sort *s = &sort;
    int64_t force_to = minrun(n);
    for (int64_t lo = 0; lo < n;) {
        bool descending;
        int64_t run = count_run(s, lo, n, &descending);
        if (descending) {
            reverse_span(v, lo, lo + run);
        }
        if (run < force_to) {
            int64_t force = force_to < n - lo ? force_to : n - lo;
            binarysort(s, lo, lo + force, lo + run);
            run = force;
        }
        push_run(s, lo, run, n);
        lo += run;
    }
    while (s->pending > 1) {
        int i = s->pending - 2;
        if (i > 0 && s->runs[i - 1].length < s->runs[i + 1].length) {
            i--;
        }
        merge_at(s, i);
    }
}

/* --- the intrinsic --- */

/* The NumPy type number pj_rt_listsort knows keys of type t by, or -1. */
static int
key_typenum(PjType *t)
{
    if (t == NULL) {
        return -1;
    }
    if (pj_type_is_str(t)) {
        return NPY_UNICODE;
    }
    if (!pj_type_is_number(t) || pj_type_is_complex(t)) {
        return -1;
    }
    int num = pj_type_numpy_num(t);
    return num >= 0 && less_of(num) != NULL ? num : -1;
}

static bool
is_index_array(PjType *t)
{
    return pj_type_is_array(t) && pj_array_ndim(t) == 1
           && pj_array_is_c(t) && t->elems[0] == pj_t.i64;
}

static LLVMValueRef
lower_listsort(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    int num = key_typenum(pj_list_item(ins->argtys[0]));
    LLVMTypeRef p[5] = {lw->t_ptr, lw->t_i32, lw->t_ptr, lw->t_i64,
                        lw->t_ptr};
    LLVMValueRef a[5] = {
        pj_list_items(lw, args[0]), LLVMConstInt(lw->t_i32, (unsigned)num, 0),
        LLVMBuildExtractValue(lw->b, args[1], PJ_ARRAY_DATA, ""),
        pj_array_dim(lw, args[1], PJ_ARRAY_SHAPE, 0),
        LLVMBuildExtractValue(lw->b, args[2], PJ_ARRAY_DATA, "")};
    pj_lower_helper(lw, "pj_rt_listsort", lw->t_void, p, a, 5);
    return NULL;
}

static const PjImpl impl_listsort = {"listsort", lower_listsort, false,
                                     false};

int
pj_type_listsort(PjCompile *cx, PjInstr *ins,
                 const PjCallable *Py_UNUSED(fn), PjType **args, int n)
{
    if (n != 3 || !pj_type_is_list(args[0])
        || key_typenum(pj_list_item(args[0])) < 0
        || !is_index_array(args[1]) || !is_index_array(args[2])) {
        return 1;
    }
    return pj_choose(cx, ins, &impl_listsort, pj_t.none, args, 3);
}
