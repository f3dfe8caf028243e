/*
** runtime.c - the C functions that generated code calls (those that box
** and unbox values are boxing.c's).
**
** Generated code refers to these, to the C-API functions it uses and to
** libm by name only; jit.c defines every name in pj_runtime_symbols as an
** absolute symbol in the JIT, so fresh and cached object code link the
** same way in any process (the JIT cannot see into an extension module
** through the process's symbol table).
**
** Helpers that touch Python objects take the GIL themselves: with
** nogil=True the native code runs without it.
*/
#include "pyjit.h"

#include <float.h>

#define NO_IMPORT_ARRAY
#include <numpy/arrayobject.h>

#include <complex.h>
#include <marshal.h>
#include <sys/mman.h>
#include <math.h>
#include <stdio.h>
#include <stddef.h>
#include <string.h>

/* --- exceptions --- */

/* The object module.qualname (a new reference), or NULL. */
PyObject *
pj_runtime_find_class(const char *module, const char *qualname)
{
    PyObject *mod = PyImport_ImportModule(module);
    PyObject *obj = mod;
    const char *p = qualname;
    while (obj != NULL && *p != '\0') {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        PyObject *name = PyUnicode_FromStringAndSize(p, (Py_ssize_t)n);
        PyObject *next = name ? PyObject_GetAttr(obj, name) : NULL;
        Py_XDECREF(name);
        Py_DECREF(obj);
        obj = next;
        p += n + (dot != NULL);
    }
    return obj;
}

/* The class module.qualname (borrowed), found once per site of compiled
   code and kept in its *cache for the life of the process, as the code
   compiled against it is; NULL with an exception set.  The caller holds
   the GIL, which orders the stores. */
PyObject *
pj_runtime_cached_class(const char *module, const char *qualname,
                        PyObject **cache)
{
    if (*cache == NULL) {
        *cache = pj_runtime_find_class(module, qualname);
    }
    return *cache;
}

/* raise module.qualname(*args), args marshalled at compile time. */
void
pj_rt_raise(const char *module, const char *qualname, const char *args,
            int64_t nargs, PyObject **cache)
{
    PyGILState_STATE g = PyGILState_Ensure();
    PyObject *cls = pj_runtime_cached_class(module, qualname, cache);
    PyObject *tuple = cls ? PyMarshal_ReadObjectFromString(args,
                                                           (Py_ssize_t)nargs)
                          : NULL;
    if (tuple != NULL) {
        PyObject *exc = PyObject_Call(cls, tuple, NULL);
        if (exc != NULL) {
            PyErr_SetObject(cls, exc);
            Py_DECREF(exc);
        }
    }
    Py_XDECREF(tuple);
    PyGILState_Release(g);
}

/* Raises the builtin exception called `name` with a message. */
void
pj_rt_raise_msg(const char *name, const char *msg)
{
    PyGILState_STATE g = PyGILState_Ensure();
    PyObject *cls = PyDict_GetItemString(PyEval_GetBuiltins(), name);
    PyErr_SetString(cls ? cls : PyExc_RuntimeError, msg);
    PyGILState_Release(g);
}

/* Python's ValueError for `a, b = arr` when arr has another length. */
void
pj_rt_raise_unpack(int64_t expected, int64_t got)
{
    PyGILState_STATE g = PyGILState_Ensure();
    if (got > expected) {
        PyErr_Format(PyExc_ValueError, "too many values to unpack "
                     "(expected %lld)", (long long)expected);
    }
    else {
        PyErr_Format(PyExc_ValueError, "not enough values to unpack "
                     "(expected %lld, got %lld)", (long long)expected,
                     (long long)got);
    }
    PyGILState_Release(g);
}

/* NumPy's AxisError(axis, ndim), whose message NumPy words: "axis 2 is
   out of bounds for array of dimension 2" (numpy.exceptions from NumPy
   1.25 on, numpy before). */
void
pj_rt_raise_axis_error(int64_t axis, int64_t ndim)
{
    PyGILState_STATE g = PyGILState_Ensure();
    PyObject *cls = pj_runtime_find_class("numpy.exceptions", "AxisError");
    if (cls == NULL) {
        PyErr_Clear();
        cls = pj_runtime_find_class("numpy", "AxisError");
    }
    PyObject *exc = cls ? PyObject_CallFunction(cls, "LL", (long long)axis,
                                                (long long)ndim) : NULL;
    if (exc != NULL) {
        PyErr_SetObject(cls, exc);
        Py_DECREF(exc);
    }
    Py_XDECREF(cls);
    PyGILState_Release(g);
}

/* --- print --- */

static PyObject *
box_for_print(int32_t code, const void *val)
{
    PjType *t = pj_type_from_code(code);
    switch (t->kind) {
    case PJ_TK_BOOL: return PyBool_FromLong(*(const uint8_t *)val & 1);
    case PJ_TK_INT:
        switch (t->bits) {
        case 8: return PyLong_FromLong(*(const int8_t *)val);
        case 16: return PyLong_FromLong(*(const int16_t *)val);
        case 32: return PyLong_FromLong(*(const int32_t *)val);
        default: return PyLong_FromLongLong(*(const int64_t *)val);
        }
    case PJ_TK_UINT:
        switch (t->bits) {
        case 8: return PyLong_FromLong(*(const uint8_t *)val);
        case 16: return PyLong_FromLong(*(const uint16_t *)val);
        case 32: return PyLong_FromUnsignedLong(*(const uint32_t *)val);
        default: return PyLong_FromUnsignedLongLong(*(const uint64_t *)val);
        }
    case PJ_TK_FLOAT:
        return PyFloat_FromDouble(t->bits == 32 ? *(const float *)val
                                                : *(const double *)val);
    case PJ_TK_COMPLEX:
        if (t->bits == 64) {
            const float *c = val;
            return PyComplex_FromDoubles(c[0], c[1]);
        }
        else {
            const double *c = val;
            return PyComplex_FromDoubles(c[0], c[1]);
        }
    default: Py_RETURN_NONE;
    }
}

/* One item of print(...): flags 1 = write the separator first, 2 = last
   item, write the end of line.  Writes to sys.stdout, so that redirection
   and capture work as for Python's print.  Never raises: print failing is
   reported as unraisable, as an error in __del__ would be. */
void
pj_rt_print(int32_t code, const void *val, const char *str, int32_t flags)
{
    PyGILState_STATE g = PyGILState_Ensure();
    PyObject *obj = NULL;
    if (code >= 0) {
        obj = box_for_print(code, val);
    }
    else if (str != NULL) {
        obj = PyUnicode_FromString(str);
    }
    pj_runtime_print_object(obj, flags);
    PyGILState_Release(g);
}

/* Prints obj (a new reference, or NULL when boxing failed) as
   pj_runtime_print_object does and gives back the GIL the caller took. */
void
pj_rt_print_boxed(PyObject *obj, int32_t flags, int32_t gil)
{
    pj_runtime_print_object(obj, flags);
    PyGILState_Release((PyGILState_STATE)gil);
}

/* Writes obj (when not NULL) as print(...) does, flags as for
   pj_rt_print, and releases it; the caller holds the GIL. */
void
pj_runtime_print_object(PyObject *obj, int32_t flags)
{
    PyObject *out = PySys_GetObject("stdout");
    int rc = 0;
    if (out != NULL && out != Py_None) {
        if ((flags & 1) && rc == 0) {
            rc = PyFile_WriteString(" ", out);
        }
        if (obj != NULL && rc == 0) {
            rc = PyFile_WriteObject(obj, out, Py_PRINT_RAW);
        }
        if ((flags & 2) && rc == 0) {
            rc = PyFile_WriteString("\n", out);
        }
    }
    Py_XDECREF(obj);
    if (PyErr_Occurred()) {
        PyErr_WriteUnraisable(NULL);
    }
}

/* --- arithmetic --- */

/* Python's float floor division and modulo (CPython's float_divmod):
   returns the quotient and stores the remainder. */
double
pj_rt_float_divmod(double vx, double wx, double *modp)
{
    double mod = fmod(vx, wx);
    double div = (vx - mod) / wx;
    if (mod) {
        if ((wx < 0) != (mod < 0)) {
            mod += wx;
            div -= 1.0;
        }
    }
    else {
        mod = copysign(0.0, wx);
    }
    double floordiv;
    if (div) {
        floordiv = floor(div);
        if (div - floordiv > 0.5) {
            floordiv += 1.0;
        }
    }
    else {
        floordiv = copysign(0.0, vx / wx);
    }
    *modp = mod;
    return floordiv;
}

/* Rounds a non-negative integer, given by its decimal digits and whether
   a nonzero fraction follows them (sticky), to a multiple of 10**k, half
   to even. */
static double
round_integer(const char *digits, bool sticky, int k)
{
    int len = (int)strlen(digits), keep = len - k;
    if (keep < 0) {
        return 0.0;             /* below half of 10**k */
    }
    bool rest = sticky;
    for (int i = keep + 1; i < len; i++) {
        rest = rest || digits[i] != '0';
    }
    char d = digits[keep];
    bool odd = keep > 0 && (digits[keep - 1] - '0') % 2 == 1;
    bool up = d > '5' || (d == '5' && (rest || odd));
    char out[1200];
    int n = 0;
    out[n++] = '0';             /* room for a carry out of the top digit */
    for (int i = 0; i < keep; i++) {
        out[n++] = digits[i];
    }
    for (int i = n - 1; up && i >= 0; i--) {
        if (out[i] == '9') {
            out[i] = '0';
        }
        else {
            out[i]++;
            up = false;
        }
    }
    for (int i = 0; i < k; i++) {
        out[n++] = '0';
    }
    out[n] = '\0';
    return strtod(out, NULL);
}

/* round(x, ndigits) exactly as CPython rounds it, half to even on the
   exact binary value: for ndigits >= 0 glibc's printf does that; for
   ndigits < 0 the integer part's exact digits are rounded here. */
double
pj_rt_round(double x, int64_t ndigits)
{
    if (!isfinite(x) || x == 0.0 || ndigits > 323) {
        return x;
    }
    if (ndigits >= 0) {
        char buf[400];
        snprintf(buf, sizeof(buf), "%.*f", (int)ndigits, x);
        return strtod(buf, NULL);
    }
    if (ndigits < -308) {
        return copysign(0.0, x);
    }
    double ax = fabs(x), whole = floor(ax);
    char buf[400];
    snprintf(buf, sizeof(buf), "%.0f", whole);      /* exact: an integer */
    double r = round_integer(buf, ax != whole, (int)-ndigits);
    return copysign(r, x);
}

/* The int64 with the bits of u: u modulo 2**64, without the conversion C
   leaves to the implementation for a u beyond INT64_MAX. */
static int64_t
wrap_int64(uint64_t u)
{
    int64_t v;
    memcpy(&v, &u, sizeof v);
    return v;
}

/* round(n, ndigits) for an int: half to even at 10**-ndigits, computed on
   |n| in uint64 (10**19 fits; half to even is symmetric about 0).  A
   result beyond int64 (round(2**63 - 1, -1)) wraps modulo 2**64, as int64
   arithmetic does. */
int64_t
pj_rt_round_int(int64_t n, int64_t ndigits)
{
    if (ndigits >= 0) {
        return n;
    }
    if (ndigits < -19) {
        return 0;               /* |n| < 2**63 < 10**20 / 2 */
    }
    uint64_t pow10 = 1;
    for (int64_t i = 0; i < -ndigits; i++) {
        pow10 *= 10;
    }
    uint64_t mag = n < 0 ? -(uint64_t)n : (uint64_t)n;
    uint64_t q = mag / pow10, r = mag % pow10;
    if (r > pow10 - r || (r == pow10 - r && (q & 1))) {
        q += 1;
    }
    uint64_t m = q * pow10;     /* at most 10**19: no uint64 overflow */
    return wrap_int64(n < 0 ? -m : m);
}

int64_t
pj_rt_gcd(int64_t a, int64_t b)
{
    uint64_t x = a < 0 ? -(uint64_t)a : (uint64_t)a;
    uint64_t y = b < 0 ? -(uint64_t)b : (uint64_t)b;
    while (y != 0) {
        uint64_t t = x % y;
        x = y;
        y = t;
    }
    return (int64_t)x;
}

/* --- complex --- */

/* The complex helpers below return their result by value: a C `double
   complex` comes back in two registers, which compiled code reads as the
   LLVM pair {double, double} (numbers.c, pj_lower_complex_helper). */

/* CPython's complex division (Smith's method, _Py_c_quot).  Division by
   zero, which compiled code reaches only with error_model='numpy', gives
   NumPy's answer: each part divided by zero (inf or nan).  Compiled code
   divides inline, the same way (numbers.c, complex_quotient). */
static double complex
cdiv(double ar, double ai, double br, double bi)
{
    double abs_breal = br < 0 ? -br : br;
    double abs_bimag = bi < 0 ? -bi : bi;
    if (abs_breal >= abs_bimag) {
        if (abs_breal == 0.0) {
            return CMPLX(ar / abs_breal, ai / abs_breal);
        }
        double ratio = bi / br;
        double denom = br + bi * ratio;
        return CMPLX((ar + ai * ratio) / denom, (ai - ar * ratio) / denom);
    }
    if (abs_bimag >= abs_breal) {
        double ratio = br / bi;
        double denom = br * ratio + bi;
        return CMPLX((ar * ratio + ai) / denom, (ai * ratio - ar) / denom);
    }
    return CMPLX(NAN, NAN);
}

/* a * b as CPython multiplies (_Py_c_prod: no recovery of infinities). */
static double complex
cmul(double complex a, double complex b)
{
    return CMPLX(creal(a) * creal(b) - cimag(a) * cimag(b),
                 creal(a) * cimag(b) + cimag(a) * creal(b));
}

/* CPython's complex power: small integral exponents by repeated
   multiplication (c_powi), the rest through polar form (_Py_c_pow). */
double complex
pj_rt_cpow(double ar, double ai, double br, double bi)
{
    if (bi == 0.0 && br == floor(br) && fabs(br) <= 100.0) {
        long n = (long)br;
        double complex x = CMPLX(ar, ai), r = CMPLX(1.0, 0.0);
        for (long e = n < 0 ? -n : n; e > 0; e >>= 1) {
            if (e & 1) {
                r = cmul(r, x);
            }
            x = cmul(x, x);
        }
        return n < 0 ? cdiv(1.0, 0.0, creal(r), cimag(r)) : r;
    }
    if (br == 0.0 && bi == 0.0) {
        return CMPLX(1.0, 0.0);
    }
    if (ar == 0.0 && ai == 0.0) {
        return CMPLX(0.0, 0.0);
    }
    double vabs = hypot(ar, ai);
    double len = pow(vabs, br);
    double at = atan2(ai, ar);
    double phase = at * br;
    if (bi != 0.0) {
        len /= exp(at * bi);
        phase += bi * log(vabs);
    }
    return CMPLX(len * cos(phase), len * sin(phase));
}

double complex
pj_rt_csqrt(double re, double im)
{
    if (!isfinite(re) || !isfinite(im)) {
        return csqrt(CMPLX(re, im));    /* C99's special values, as
                                           CPython's table */
    }
    if (re == 0.0 && im == 0.0) {
        return CMPLX(0.0, im);
    }
    /* CPython's cmath_sqrt_impl, whose rounding differs from the C
       library's in the last bit for some arguments (sqrt(1j)) */
    double ax = fabs(re), ay = fabs(im), s;
    if (ax < DBL_MIN && ay < DBL_MIN) {
        ax = ldexp(ax, 53);
        s = ldexp(sqrt(ax + hypot(ax, ldexp(ay, 53))), -27);
    }
    else {
        ax /= 8.0;
        s = 2.0 * sqrt(ax + hypot(ax, ay / 8.0));
    }
    double d = ay / (2.0 * s);
    return re >= 0.0 ? CMPLX(s, copysign(d, im)) : CMPLX(d, copysign(s, im));
}

double complex
pj_rt_cexp(double re, double im)
{
    return cexp(CMPLX(re, im));
}

double complex
pj_rt_clog(double re, double im)
{
    return clog(CMPLX(re, im));
}

/* The C library's inverse trigonometric and hyperbolic functions of a
   complex number, which NumPy's loops of np.arcsin ... np.arctanh call
   (npymath's npy_casin is casin where the library has one): NumPy's
   branch cuts, special values and roundings.  The `f` twins compute in
   single precision, as NumPy's complex64 loops do; the result is widened
   exactly and narrowed back by the caller. */
#define PJ_RT_INVERSE_TRIG(fn)                                              \
    double complex                                                          \
    pj_rt_##fn(double re, double im)                                        \
    {                                                                       \
        return fn(CMPLX(re, im));                                           \
    }                                                                       \
    double complex                                                          \
    pj_rt_##fn##f(double re, double im)                                     \
    {                                                                       \
        float complex z = fn##f(CMPLXF((float)re, (float)im));              \
        return CMPLX(crealf(z), cimagf(z));                                 \
    }
PJ_RT_INVERSE_TRIG(casin)
PJ_RT_INVERSE_TRIG(cacos)
PJ_RT_INVERSE_TRIG(catan)
PJ_RT_INVERSE_TRIG(casinh)
PJ_RT_INVERSE_TRIG(cacosh)
PJ_RT_INVERSE_TRIG(catanh)

/* --- memory of arrays made in compiled code --- */

/* A block of memory with its reference count: an array's elements, or a
   container's header.  Compiled code counts with atomic operations (it
   may run without the GIL); the data follows the header, aligned for any
   element type.  A block whose data holds references to other blocks
   (a list of arrays, a dict's table) has a destructor, called with the
   data and dtor_arg when the last reference goes. */
typedef struct PjMemInfo {
    int64_t refcount;
    int64_t nbytes;
    PjMemDtor dtor;
    void *dtor_arg;
    struct PjMemInfo *next_free;    /* in its thread's queue of blocks to free */
    void *start;                    /* what malloc gave, for free */
    char pad[PJ_MEMINFO_HEADER - 6 * sizeof(int64_t)];
    char data[];
} PjMemInfo;

enum { SMALL_BLOCK = 1024 };

_Static_assert(offsetof(PjMemInfo, data) == PJ_MEMINFO_HEADER,
               "compiled code finds the data PJ_MEMINFO_HEADER bytes in");

/* Large blocks ask for transparent huge pages, as NumPy does for its own
   arrays: a fresh 40 MB array otherwise costs 10,000 page faults, four
   times the arithmetic that fills it. */
static void
advise_huge_pages(void *p, size_t size)
{
#ifdef MADV_HUGEPAGE
    if (size >= ((size_t)4 << 20)) {
        uintptr_t page = 4096;
        uintptr_t start = ((uintptr_t)p + page - 1) & ~(page - 1);
        uintptr_t end = ((uintptr_t)p + size) & ~(page - 1);
        if (end > start) {
            madvise((void *)start, end - start, MADV_HUGEPAGE);
        }
    }
#else
    (void)p;
    (void)size;
#endif
}

/* Memory for a block of size bytes, header included.  Small blocks (the
   strings, tuples and containers compiled code makes by the million) come
   from malloc, whose 16-byte alignment suits every element type and whose
   per-size free lists are fast; large ones start on a cache line, so that
   vector loops over an array's elements do not straddle lines.  Those are
   cut from a malloc'd block 63 bytes larger, as Numba's runtime does:
   glibc's aligned_alloc gave back each large temporary freed in a loop
   to the system and faulted its pages in again on the next (an 800 KB
   `(a + 0.5)[r]` in a loop ran six times slower). */
static PjMemInfo *
allocate_block(size_t size)
{
    if (size <= SMALL_BLOCK) {
        PjMemInfo *mi = malloc(size);
        if (mi != NULL) {
            mi->start = mi;
        }
        return mi;
    }
    if (size > SIZE_MAX - 63) {
        return NULL;
    }
    char *start = malloc(size + 63);
    if (start == NULL) {
        return NULL;
    }
    PjMemInfo *mi = (PjMemInfo *)(((uintptr_t)start + 63) & ~(uintptr_t)63);
    mi->start = start;
    return mi;
}

/* --- buffers that grow: a list's items --- */

/* A buffer of this many bytes or more is mapped from the system by
   itself, with huge pages, so that growing it remaps its pages (mremap)
   instead of copying them into a new block.  A list built by append
   doubles its buffer some twenty times on the way to 10M items; copied,
   that is twice its final size in memcpy and page faults.
   The last mapped buffer freed (up to SPARE_LIMIT bytes) is kept, pages
   and all, for the next buffer that grows past MAPPED_BUFFER: a function
   that builds a large list on every call then touches no new page after
   the first call, as malloc's heap gives arrays. */
enum { MAPPED_BUFFER = 256 << 10 };
#define SPARE_LIMIT ((size_t)64 << 20)

static struct {
    int busy;           /* taken with an atomic exchange; never waited on */
    void *buf;
    size_t bytes;
} spare;

static size_t
page_rounded(size_t bytes)
{
    size_t page = 4096;
    return (bytes + page - 1) & ~(page - 1);
}

static bool
is_mapped_buffer(size_t bytes)
{
#if defined(__linux__) && defined(MREMAP_MAYMOVE)
    return bytes >= MAPPED_BUFFER;
#else
    (void)bytes;
    return false;
#endif
}

/* Exchanges the buffer in *buf and *bytes with the spare one when
   keep(spare's size, size) says so.  False when it did not, or when
   another thread holds the spare: nothing waits for it. */
static bool
swap_spare(void **buf, size_t *bytes, size_t size,
           bool (*keep)(size_t, size_t))
{
    if (__atomic_exchange_n(&spare.busy, 1, __ATOMIC_ACQUIRE)) {
        return false;
    }
    bool swapped = keep(spare.bytes, size);
    if (swapped) {
        void *b = spare.buf;
        size_t n = spare.bytes;
        spare.buf = *buf;
        spare.bytes = *bytes;
        *buf = b;
        *bytes = n;
    }
    __atomic_store_n(&spare.busy, 0, __ATOMIC_RELEASE);
    return swapped;
}

/* The spare is big enough for a buffer of `wanted` bytes. */
static bool
spare_fits(size_t spare_bytes, size_t wanted)
{
    return spare_bytes > 0 && spare_bytes >= wanted;
}

/* A freed buffer of `freed` bytes is better kept than the spare. */
static bool
spare_smaller(size_t spare_bytes, size_t freed)
{
    return freed <= SPARE_LIMIT && spare_bytes < freed;
}

#if defined(__linux__) && defined(MREMAP_MAYMOVE)
static void *
map_buffer(void *old, size_t old_bytes, size_t *bytes)
{
    void *p = NULL;
    size_t got = 0;
    if (swap_spare(&p, &got, *bytes, spare_fits)) {
        memcpy(p, old, old_bytes);
        pj_rt_buffer_free(old, old_bytes);
        *bytes = got;
        return p;
    }
    size_t size = page_rounded(*bytes);
    if (is_mapped_buffer(old_bytes)) {
        p = mremap(old, page_rounded(old_bytes), size, MREMAP_MAYMOVE);
    }
    else {
        p = mmap(NULL, size, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p != MAP_FAILED && old != NULL) {
            memcpy(p, old, old_bytes);
            free(old);
        }
    }
    if (p == MAP_FAILED) {
        return NULL;
    }
    advise_huge_pages(p, size);
    *bytes = size;
    return p;
}
#endif

/* buf (of old_bytes; NULL and 0 for none) grown to at least *bytes, which
   is set to the size it got; NULL when there is not that much memory (buf
   is left as it was). */
void *
pj_rt_buffer_grow(void *buf, size_t old_bytes, size_t *bytes)
{
    if (*bytes <= old_bytes) {
        *bytes = old_bytes;
        return buf;
    }
#if defined(__linux__) && defined(MREMAP_MAYMOVE)
    if (is_mapped_buffer(*bytes)) {
        return map_buffer(buf, old_bytes, bytes);
    }
#endif
    return realloc(buf, *bytes);
}

/* Frees buf, of bytes, made by pj_rt_buffer_grow. */
void
pj_rt_buffer_free(void *buf, size_t bytes)
{
    if (buf == NULL || !is_mapped_buffer(bytes)) {
        free(buf);
        return;
    }
    swap_spare(&buf, &bytes, bytes, spare_smaller);
    if (buf != NULL) {
        munmap(buf, bytes);
    }
}

/* Counts of blocks made and freed, kept while enabled
   (pyjit.runtime.rtsys, as Numba's NRT statistics): tests of compiled code
   check with them that it frees what it makes. */
static struct {
    int enabled;
    int64_t made, freed;
} stats;

static void
count(int64_t *counter)
{
    if (__atomic_load_n(&stats.enabled, __ATOMIC_RELAXED)) {
        __atomic_add_fetch(counter, 1, __ATOMIC_RELAXED);
    }
}

/* Switches the counting on or off (-1: leaves it) and returns (enabled,
   made, freed). */
PyObject *
pj_runtime_allocation_stats(int enable)
{
    if (enable >= 0) {
        __atomic_store_n(&stats.enabled, enable, __ATOMIC_RELAXED);
    }
    return Py_BuildValue("(OLL)", stats.enabled ? Py_True : Py_False,
                         (long long)__atomic_load_n(&stats.made,
                                                    __ATOMIC_RELAXED),
                         (long long)__atomic_load_n(&stats.freed,
                                                    __ATOMIC_RELAXED));
}

/* A new block of nbytes (zeroed if `zero`) with one reference, or NULL
   when there is not that much memory (the caller raises, with
   pj_rt_raise_no_memory).  Compiled code checked that nbytes fits in an
   int64; the header fits in what is left above 2**62. */
static PjMemInfo *
new_block(int64_t nbytes, size_t slack, int32_t zero)
{
    if (nbytes < 0 || (uint64_t)nbytes >= ((uint64_t)1 << 62)) {
        return NULL;
    }
    size_t size = sizeof(PjMemInfo) + (size_t)nbytes + slack;
    PjMemInfo *mi = allocate_block(size);
    if (mi == NULL) {
        return NULL;
    }
    count(&stats.made);
    mi->refcount = 1;
    mi->nbytes = nbytes;
    mi->dtor = NULL;
    mi->dtor_arg = NULL;
    advise_huge_pages(mi, size);
    if (zero) {
        memset(mi->data, 0, (size_t)nbytes);
    }
    memset(mi->data + nbytes, 0, slack);
    return mi;
}

PjMemInfo *
pj_rt_meminfo_alloc(int64_t nbytes, int32_t zero)
{
    return new_block(nbytes, 0, zero);
}

/* Bytes an array made in compiled code has past its last element.  Code
   that indexes without bounds checks (Numba's default, and pyjit's) and
   writes a few elements past the end of an array it made, as some
   published Numba code does, runs under Numba without harm: Numba's
   runtime allocates 64 bytes more than an array needs, to align its data.
   The same slack here keeps such a write inside the block, where it
   would otherwise overwrite the allocator's bookkeeping of the next one
   and abort the process later, far from the write. */
enum { ARRAY_SLACK = 64 };

/* pj_rt_meminfo_alloc for an array's elements: ARRAY_SLACK zeroed bytes
   follow them. */
PjMemInfo *
pj_rt_array_alloc(int64_t nbytes, int32_t zero)
{
    return new_block(nbytes, ARRAY_SLACK, zero);
}

/* As pj_rt_meminfo_alloc, for a block whose data holds references:
   dtor(data, arg) releases them when the last reference goes. */
PjMemInfo *
pj_rt_meminfo_alloc_dtor(int64_t nbytes, int32_t zero, PjMemDtor dtor,
                         void *arg)
{
    PjMemInfo *mi = pj_rt_meminfo_alloc(nbytes, zero);
    if (mi != NULL) {
        mi->dtor = dtor;
        mi->dtor_arg = arg;
    }
    return mi;
}

/* Freeing a block releases the blocks its data holds, which can free
   them and release theirs in turn: freed one inside another, a linked
   list of a million nodes would take a million C frames.  So while a
   thread frees a block, the blocks it brings to zero meanwhile (through
   the destructor, or code the destructor runs) wait in the thread's
   queue, threaded through the blocks themselves, and the outermost free
   frees them one after another: the stack stays one destructor deep
   however long the chain, and freeing needs no memory.  A block is freed
   by the thread whose release brought it to zero, with or without the
   GIL. */
static _Thread_local struct {
    PjMemInfo *queue;
    bool draining;
} freeing;

static void
destroy(PjMemInfo *mi)
{
    if (mi->dtor != NULL) {
        mi->dtor(mi->data, mi->dtor_arg);
    }
    count(&stats.freed);
    free(mi->start);
}

/* Called by compiled code when a block's count reaches zero. */
void
pj_rt_meminfo_free(PjMemInfo *mi)
{
    if (freeing.draining) {
        mi->next_free = freeing.queue;
        freeing.queue = mi;
        return;
    }
    freeing.draining = true;
    destroy(mi);
    while (freeing.queue != NULL) {
        PjMemInfo *next = freeing.queue;
        freeing.queue = next->next_free;
        destroy(next);
    }
    freeing.draining = false;
}

/* Releases one reference to a block (none for NULL), freeing it with
   the last: what compiled code does, for the C helpers. */
void
pj_rt_meminfo_release(PjMemInfo *mi)
{
    if (mi != NULL
        && __atomic_sub_fetch(&mi->refcount, 1, __ATOMIC_ACQ_REL) == 0) {
        pj_rt_meminfo_free(mi);
    }
}

/* The Python object that owns one reference to a block on behalf of the
   NumPy arrays made over it (their base). */
typedef struct {
    PyObject_HEAD
    PjMemInfo *mi;
} MemOwner;

static void
memowner_dealloc(PyObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    pj_rt_meminfo_release(((MemOwner *)self)->mi);
    tp->tp_free(self);
    Py_DECREF(tp);
}

static PyType_Slot memowner_slots[] = {
    {Py_tp_dealloc, memowner_dealloc},
    {Py_tp_doc, "Memory of arrays made by compiled code."},
    {0, NULL},
};

static PyType_Spec memowner_spec = {
    .name = "pyjit._core.MemInfo",
    .basicsize = sizeof(MemOwner),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_DISALLOW_INSTANTIATION,
    .slots = memowner_slots,
};

static PyTypeObject *memowner_type;

/* A new object that owns the caller's reference to mi: the base of the
   NumPy arrays made over its memory.  NULL with MemoryError (the
   reference is released). */
PyObject *
pj_runtime_memory_owner(PjMemInfo *mi)
{
    MemOwner *owner = PyObject_New(MemOwner, memowner_type);
    if (owner == NULL) {
        pj_rt_meminfo_release(mi);
        return NULL;
    }
    Py_INCREF(memowner_type);
    owner->mi = mi;
    return (PyObject *)owner;
}

/* The block an owner made by pj_runtime_memory_owner holds, or NULL. */
PjMemInfo *
pj_runtime_owned_memory(PyObject *owner)
{
    if (!Py_IS_TYPE(owner, memowner_type)) {
        return NULL;
    }
    return ((MemOwner *)owner)->mi;
}

/* The block held by the memory owner in obj's `_owner` attribute (a
   typed List, a jitclass instance), borrowed: obj holds it; NULL when
   it has none. */
PjMemInfo *
pj_runtime_memory_in(PyObject *obj)
{
    PyObject *owner = PyObject_GetAttrString(obj, "_owner");
    PjMemInfo *mi = owner ? pj_runtime_owned_memory(owner) : NULL;
    Py_XDECREF(owner);
    return mi;
}

static void
release_object(void *Py_UNUSED(data), void *obj)
{
    PyGILState_STATE g = PyGILState_Ensure();
    Py_DECREF((PyObject *)obj);
    PyGILState_Release(g);
}

/* A block with one reference that keeps obj alive (an array argument
   stored in a container that outlives the call); NULL when memory runs
   out. */
PjMemInfo *
pj_rt_meminfo_keep(PyObject *obj)
{
    PjMemInfo *mi = pj_rt_meminfo_alloc_dtor(0, 0, release_object, obj);
    if (mi != NULL) {
        PyGILState_STATE g = PyGILState_Ensure();
        Py_INCREF(obj);
        PyGILState_Release(g);
    }
    return mi;
}

/* Releases a reference to a block, as compiled code does. */
void
pj_runtime_release(PjMemInfo *mi)
{
    pj_rt_meminfo_release(mi);
}

/* The object a block made by pj_rt_meminfo_keep keeps alive (borrowed). */
PyObject *
pj_runtime_kept_object(PjMemInfo *mi)
{
    return (PyObject *)mi->dtor_arg;
}

/* The block an owner made by pj_runtime_memory_owner holds (borrowed),
   or NULL with TypeError when obj is not one. */
PjMemInfo *
pj_runtime_memory_of(PyObject *obj)
{
    if (Py_TYPE(obj) != memowner_type) {
        PyErr_SetString(PyExc_TypeError, "not a block of compiled memory");
        return NULL;
    }
    return ((MemOwner *)obj)->mi;
}

/* --- pyjit.typed's containers --- */

/* The class module.name once the module is imported (a new reference),
   or NULL without an exception. */
static PyObject *
typed_container_class(const char *module, const char *name)
{
    PyObject *mod = PyImport_GetModule(pj_str(module));
    PyObject *cls = mod ? PyObject_GetAttrString(mod, name) : NULL;
    Py_XDECREF(mod);
    PyErr_Clear();
    return cls;
}

/* Whether obj is an instance of the class module.name (false when the
   module is not imported: then obj cannot be one). */
bool
pj_is_instance_named(PyObject *obj, const char *module, const char *name)
{
    PyObject *cls = typed_container_class(module, name);
    int is = cls ? PyObject_IsInstance(obj, cls) : 0;
    Py_XDECREF(cls);
    PyErr_Clear();
    return is == 1;
}

/* The type a typed container (a pyjit.typed.Dict, Set) of the class
   module.name was made with, or NULL (no exception) for any other object
   and for one whose types are not known yet. */
PjType *
pj_typed_container_type(PyObject *obj, const char *module, const char *name)
{
    if (!pj_is_instance_named(obj, module, name)) {
        return NULL;
    }
    PyObject *t = PyObject_GetAttrString(obj, "_type");
    PyErr_Clear();
    PjType *r = t && pj_type_check(t) ? (PjType *)t : NULL;
    Py_XDECREF(t);              /* interned: it lives on */
    return r;
}

/* The table under a typed container argument, borrowed from it. */
PjMemInfo *
pj_rt_unbox_typed(PyObject *obj)
{
    PyObject *owner = PyObject_GetAttrString(obj, "_owner");
    PjMemInfo *mi = owner ? pj_runtime_memory_of(owner) : NULL;
    Py_XDECREF(owner);          /* the container keeps it */
    return mi;
}

/* A typed container of the class module.name over the table, which takes
   the caller's reference (Cls._wrap(owner, type)); NULL with an exception
   set. */
PyObject *
pj_box_typed_container(PjMemInfo *mi, int32_t code, const char *module,
                       const char *name)
{
    PyObject *owner = pj_runtime_memory_owner(mi);
    /* imported here if need be: code loaded from the cache may make the
       process's first container of the class */
    PyObject *mod = owner ? PyImport_ImportModule(module) : NULL;
    PyObject *cls = mod ? PyObject_GetAttrString(mod, name) : NULL;
    PyObject *type = (PyObject *)pj_type_from_code(code);
    PyObject *r = cls && type
        ? PyObject_CallMethod(cls, "_wrap", "OO", owner, type) : NULL;
    Py_XDECREF(mod);
    Py_XDECREF(cls);
    Py_XDECREF(owner);
    return r;
}

int
pj_runtime_init(PyObject *module)
{
    memowner_type = (PyTypeObject *)PyType_FromModuleAndSpec(
        module, &memowner_spec, NULL);
    return memowner_type ? 0 : -1;
}

/* --- errors about the sizes of arrays, in NumPy's words --- */

static PyObject *
shape_tuple(int32_t nd, const int64_t *dims)
{
    PyObject *t = PyTuple_New(nd);
    for (int32_t i = 0; t != NULL && i < nd; i++) {
        PyObject *d = PyLong_FromLongLong(dims[i]);
        if (d == NULL) {
            Py_CLEAR(t);
            break;
        }
        PyTuple_SET_ITEM(t, i, d);
    }
    return t;
}

/* NumPy's MemoryError for arrays it cannot allocate (it says how much
   memory was asked for), from NumPy 2's module or NumPy 1's. */
static PyObject *
numpy_memory_error(void)
{
    PyObject **slot = &pj_state->numpy_exceptions;
    if (pj_import_once(slot, "numpy._core._exceptions") == NULL) {
        PyErr_Clear();
        if (pj_import_once(slot, "numpy.core._exceptions") == NULL) {
            return NULL;
        }
    }
    return PyObject_GetAttrString(*slot, "_ArrayMemoryError");
}

/* Raises the MemoryError NumPy raises when an array of this shape and
   type number cannot be allocated. */
void
pj_rt_raise_no_memory(int32_t nd, const int64_t *dims, int32_t typenum)
{
    PyGILState_STATE g = PyGILState_Ensure();
    PyObject *shape = shape_tuple(nd, dims);
    PyObject *descr = pj_dtype_of_num(typenum);
    PyObject *cls = shape && descr ? numpy_memory_error() : NULL;
    PyObject *exc = cls ? PyObject_CallFunctionObjArgs(cls, shape, descr,
                                                        NULL)
                        : NULL;
    if (exc != NULL) {
        PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
    }
    else if (shape != NULL && descr != NULL) {
        PyErr_Clear();
        PyErr_Format(PyExc_MemoryError, "Unable to allocate an array with "
                     "shape %S and data type %S", shape, descr);
    }
    else {
        PyErr_NoMemory();
    }
    Py_XDECREF(exc);
    Py_XDECREF(cls);
    Py_XDECREF(descr);
    Py_XDECREF(shape);
    PyGILState_Release(g);
}

/* ValueError of a.reshape(dims) for an array a of `size` elements that
   does not fit, worded as NumPy's: a negative dimension (the one to
   infer) prints as "newaxis", and leading ones not at all. */
void
pj_rt_raise_reshape(int64_t size, int32_t nd, const int64_t *dims)
{
    PyGILState_STATE g = PyGILState_Ensure();
    PjBuf b;
    pj_buf_init(&b);
    int32_t first = 0;
    while (first < nd && dims[first] < 0) {
        first++;
    }
    pj_buf_puts(&b, "(");
    for (int32_t i = first; i < nd; i++) {
        if (i > first) {
            pj_buf_puts(&b, ",");
        }
        if (dims[i] < 0) {
            pj_buf_puts(&b, "newaxis");
        }
        else {
            pj_buf_printf(&b, "%lld", (long long)dims[i]);
        }
    }
    pj_buf_puts(&b, first < nd && nd == 1 ? ",)" : ")");
    if (b.failed) {
        PyErr_NoMemory();
    }
    else {
        PyErr_Format(PyExc_ValueError, "cannot reshape array of size %lld "
                     "into shape %s", (long long)size, b.data);
    }
    pj_buf_free(&b);
    PyGILState_Release(g);
}

/* The strides of a view of an array (nd dims and strides) reshaped in C
   order to newdims without a copy, as NumPy's _attempt_nocopy_reshape
   finds them: dimensions of length 1 dropped, each run of old axes that
   makes up a run of new ones must be evenly strided.  Returns 0 when the
   elements are not laid out for that (NumPy would copy).  An empty array
   takes C strides, as NumPy gives a contiguous one. */
int32_t
pj_rt_reshape_strides(int32_t nd, const int64_t *dims, const int64_t *strides,
                      int32_t newnd, const int64_t *newdims, int64_t itemsize,
                      int64_t *newstrides)
{
    int64_t od[PJ_MAX_NDIM], os[PJ_MAX_NDIM], size = 1;
    int on = 0;
    for (int32_t i = 0; i < nd; i++) {
        size *= dims[i];
        if (dims[i] != 1) {
            od[on] = dims[i];
            os[on++] = strides[i];
        }
    }
    if (size == 0) {
        for (int32_t k = newnd - 1; k >= 0; k--) {
            newstrides[k] = itemsize;
            itemsize *= newdims[k] > 0 ? newdims[k] : 1;
        }
        return 1;
    }
    int oi = 0, oj = 1, ni = 0, nj = 1;
    while (ni < newnd && oi < on) {
        int64_t np = newdims[ni], op = od[oi];
        while (np != op) {      /* the sizes match: both runs end */
            if (np < op) {
                np *= newdims[nj++];
            }
            else {
                op *= od[oj++];
            }
        }
        for (int ok = oi; ok < oj - 1; ok++) {
            if (os[ok] != od[ok + 1] * os[ok + 1]) {
                return 0;
            }
        }
        newstrides[nj - 1] = os[oj - 1];
        for (int nk = nj - 1; nk > ni; nk--) {
            newstrides[nk - 1] = newstrides[nk] * newdims[nk];
        }
        ni = nj++;
        oi = oj++;
    }
    int64_t last = ni >= 1 ? newstrides[ni - 1] : itemsize;
    for (int nk = ni; nk < newnd; nk++) {   /* trailing ones */
        newstrides[nk] = last;
    }
    return 1;
}

/* --- the symbol table for the JIT --- */

#define SYM(name) {#name, (void *)(name)}

const PjSymbol pj_runtime_symbols[] = {
    SYM(pj_rt_raise), SYM(pj_rt_raise_msg), SYM(pj_rt_raise_axis_error),
    SYM(pj_rt_raise_unpack),
    SYM(pj_rt_none),
    SYM(pj_rt_is_none),
    SYM(pj_rt_pack_tuple), SYM(pj_rt_unbox), SYM(pj_rt_print),
    SYM(pj_rt_print_boxed), SYM(PyGILState_Ensure),
    SYM(pj_rt_float_divmod), SYM(pj_rt_round), SYM(pj_rt_round_int),
    SYM(pj_rt_gcd), SYM(pj_rt_cpow), SYM(pj_rt_csqrt),
    SYM(pj_rt_cexp), SYM(pj_rt_clog), SYM(pj_rt_casin), SYM(pj_rt_casinf),
    SYM(pj_rt_cacos), SYM(pj_rt_cacosf), SYM(pj_rt_catan), SYM(pj_rt_catanf),
    SYM(pj_rt_casinh), SYM(pj_rt_casinhf), SYM(pj_rt_cacosh),
    SYM(pj_rt_cacoshf), SYM(pj_rt_catanh), SYM(pj_rt_catanhf),
    SYM(pj_rt_unbox_array),
    SYM(pj_rt_box_array), SYM(pj_rt_unbox_bytes), SYM(pj_rt_box_bytes),
    SYM(pj_rt_meminfo_alloc), SYM(pj_rt_array_alloc), SYM(pj_rt_meminfo_free),
    SYM(pj_rt_meminfo_alloc_dtor), SYM(pj_rt_meminfo_keep),
    SYM(pj_rt_list_new), SYM(pj_rt_list_reserve), SYM(pj_rt_list_free_items),
    SYM(pj_rt_list_pack), SYM(pj_rt_list_reflect), SYM(pj_rt_slice_span),
    SYM(pj_rt_typed_list_box), SYM(pj_rt_typed_list_unbox),
    SYM(pj_rt_jitclass_box), SYM(pj_rt_jitclass_unbox),
    SYM(pj_rt_record_box), SYM(pj_rt_record_unbox), SYM(pj_rt_dtype_box),
    SYM(pj_rt_str_from_ucs4), SYM(pj_rt_str_to_ucs4),
    SYM(pj_rt_bytes_from_chars), SYM(pj_rt_bytes_to_chars),
    SYM(pj_rt_charseq_length),
    SYM(pj_rt_namedtuple_box),
    SYM(PyList_New), SYM(PyList_Size), SYM(PyList_GetItem),
    SYM(pj_rt_objmode_enter), SYM(pj_rt_objmode_block),
    SYM(pj_rt_objmode_call),
    SYM(pj_rt_objmode_exit),
    SYM(pj_rt_raise_no_memory), SYM(pj_rt_raise_reshape),
    SYM(pj_rt_reshape_strides),
    /* strings (unicode_rt.c) */
    SYM(pj_rt_str_raise_ord), SYM(pj_rt_str_concat), SYM(pj_rt_str_repeat),
    SYM(pj_rt_str_slice), SYM(pj_rt_str_split_next), SYM(pj_rt_str_chr), SYM(pj_rt_str_from_int),
    SYM(pj_rt_str_from_uint), SYM(pj_rt_str_from_float), SYM(pj_rt_str_eq),
    SYM(pj_rt_str_cmp), SYM(pj_rt_str_find), SYM(pj_rt_str_count),
    SYM(pj_rt_str_tailmatch), SYM(pj_rt_str_hash), SYM(pj_rt_str_unbox),
    SYM(pj_rt_str_box), SYM(pj_rt_str_print), SYM(pj_rt_str_call),
    SYM(pj_rt_str_raise),
    /* caught exceptions (exceptions.c) */
    SYM(pj_rt_exc_catch), SYM(pj_rt_exc_matches), SYM(pj_rt_exc_reraise),
    SYM(pj_rt_exc_str), SYM(pj_rt_exc_box),
    /* generators (generator.c) */
    SYM(pj_rt_generator_box),
    /* dicts and sets (hashing.c, hashtable.c) */
    SYM(pj_rt_hash_double), SYM(pj_rt_hash_complex), SYM(pj_rt_table_new),
    SYM(pj_rt_table_find), SYM(pj_rt_table_insert), SYM(pj_rt_table_remove),
    SYM(pj_rt_table_pop_last), SYM(pj_rt_table_next),
    SYM(pj_rt_table_clear), SYM(pj_rt_table_copy),
    SYM(pj_rt_raise_key_error), SYM(pj_rt_raise_dict_memory),
    SYM(pj_rt_unbox_typed), SYM(pj_rt_box_typed_dict),
    SYM(pj_rt_box_typed_set),
    SYM(pj_rt_set_items), SYM(pj_rt_decref), SYM(pj_rt_set_reflect),
    SYM(pj_rt_set_new), SYM(pj_rt_set_insert),
    SYM(pj_rt_set_remove), SYM(pj_rt_set_pop), SYM(pj_rt_set_clear),
    SYM(pj_rt_set_update), SYM(pj_rt_set_reserve), SYM(pj_rt_set_copy),
    SYM(pj_rt_set_or), SYM(pj_rt_set_and), SYM(pj_rt_set_sub), SYM(pj_rt_set_xor),
    SYM(pj_rt_set_iand), SYM(pj_rt_set_isub), SYM(pj_rt_set_ixor),
    SYM(pj_rt_set_shrink), SYM(pj_rt_set_become),
    SYM(pj_rt_set_print), SYM(pj_rt_set_box), SYM(pj_rt_set_take_layout),
    SYM(PyTuple_Size),
    /* prange loops (parallel_rt.c) */
    SYM(pj_parallel_chunks), SYM(pj_parallel_element_chunks),
    SYM(pj_parallel_chunksize),
    SYM(pj_parallel_swap_chunksize), SYM(pj_parallel_run), SYM(pj_parallel_scratch),
    SYM(pj_parallel_free), SYM(pj_parallel_thread_id),
    SYM(pj_parallel_threads),
    /* sorting (np_sortloop.c, listsort.c) */
    SYM(pj_rt_numpy_sort), SYM(pj_rt_numpy_argsort), SYM(pj_rt_listsort),
    /* random numbers (random.c) */
    SYM(pj_rt_random_seed), SYM(pj_rt_random_u32), SYM(pj_rt_random_double),
    SYM(pj_rt_random_gauss), SYM(pj_rt_random_state), SYM(pj_rt_random_refill),
    /* numpy.random.Generator (np_generator.c) */
    SYM(pj_rt_npgen_unbox), SYM(pj_rt_npgen_box), SYM(pj_rt_npgen_new),
    SYM(pj_rt_type_object), SYM(pj_rt_cfunc_failed),
    SYM(pj_rt_function_address), SYM(pj_rt_function_address_as),
    SYM(pj_rt_enum_member), SYM(pj_rt_enum_unbox), SYM(pj_rt_enum_value),
    SYM(pj_rt_datetime_box), SYM(pj_rt_datetime_unbox),
    SYM(pj_rt_datetime_calendar_convert),
    SYM(pj_rt_exc_args_box), SYM(pj_rt_exc_nargs),
    /* the C-API the generated wrappers call */
    SYM(PyLong_FromLongLong), SYM(PyLong_FromUnsignedLongLong),
    SYM(PyFloat_FromDouble), SYM(PyComplex_FromDoubles),
    SYM(PyBool_FromLong), SYM(PyTuple_GetItem), SYM(PyEval_SaveThread),
    SYM(PyEval_RestoreThread),
    /* libm, for calls LLVM emits or we emit by name */
    SYM(sin), SYM(cos), SYM(tan), SYM(asin), SYM(acos), SYM(atan),
    SYM(atan2), SYM(sinh), SYM(cosh), SYM(tanh), SYM(asinh), SYM(acosh),
    SYM(atanh), SYM(exp), SYM(exp2), SYM(expm1), SYM(log), SYM(log2),
    SYM(log10), SYM(log1p), SYM(pow), SYM(fmod), SYM(hypot), SYM(erf),
    SYM(erfc), SYM(tgamma), SYM(lgamma), SYM(floor), SYM(ceil), SYM(trunc),
    SYM(round), SYM(rint), SYM(nearbyint), SYM(fabs), SYM(copysign),
    SYM(cbrt), SYM(sqrt), SYM(nextafter),
    SYM(sinf), SYM(cosf), SYM(tanf), SYM(asinf), SYM(acosf), SYM(atanf),
    SYM(atan2f), SYM(sinhf), SYM(coshf), SYM(tanhf), SYM(asinhf),
    SYM(acoshf), SYM(atanhf), SYM(expf), SYM(exp2f), SYM(expm1f),
    SYM(logf), SYM(log2f), SYM(log10f), SYM(log1pf), SYM(powf), SYM(fmodf),
    SYM(hypotf), SYM(erff), SYM(erfcf), SYM(tgammaf), SYM(lgammaf),
    SYM(floorf), SYM(ceilf), SYM(truncf), SYM(roundf), SYM(rintf),
    SYM(nearbyintf), SYM(fabsf), SYM(copysignf), SYM(cbrtf), SYM(sqrtf),
    SYM(nextafterf),
    SYM(memcpy), SYM(memset), SYM(memmove),
    {NULL, NULL},
};
