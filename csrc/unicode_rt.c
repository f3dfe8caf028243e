/*
** unicode_rt.c - the runtime helpers of strings (unicode.c's kind).
**
** A string value is a PjStr: its code points in one of CPython's PEP 393
** widths (1, 2 or 4 bytes), where they live (a block of memory made by
** compiled code, the data of a str argument, a constant in the object
** code), and its hash once known.  A value may be stored wider than its
** widest code point needs (a character taken from a 2-byte string is
** stored in 2 bytes): helpers compare code points, and hash and box the
** narrowest form, which is the one CPython keeps.
**
** Helpers that only read and write memory run without the GIL; those
** that raise or call into CPython take it themselves.  Fallible helpers
** return 0, or -1 with an exception set.
*/
#include "pyjit.h"

#include <string.h>

/* --- code points --- */

static inline void
put_char(void *data, int kind, int64_t i, uint32_t c)
{
    switch (kind) {
    case 1: ((uint8_t *)data)[i] = (uint8_t)c; break;
    case 2: ((uint16_t *)data)[i] = (uint16_t)c; break;
    default: ((uint32_t *)data)[i] = c; break;
    }
}

static int
kind_for(uint32_t maxchar)
{
    return maxchar < 0x100 ? 1 : maxchar < 0x10000 ? 2 : 4;
}

/* The narrowest width that holds every code point of s[start:stop]. */
static int
narrowest_kind(const PjStr *s, int64_t start, int64_t stop, int64_t step)
{
    if (s->kind == 1) {
        return 1;
    }
    uint32_t max = 0;
    for (int64_t i = start; step > 0 ? i < stop : i > stop; i += step) {
        uint32_t c = pj_str_char_at(s, i);
        max = c > max ? c : max;
    }
    return kind_for(max);
}

/* --- errors --- */

static void
raise_str(PyObject *exc, const char *msg)
{
    PyGILState_STATE g = PyGILState_Ensure();
    PyErr_SetString(exc, msg);
    PyGILState_Release(g);
}

/* ord() of a string that is not one character long. */
void
pj_rt_str_raise_ord(int64_t length)
{
    PyGILState_STATE g = PyGILState_Ensure();
    PyErr_Format(PyExc_TypeError, "ord() expected a character, but string "
                 "of length %lld found", (long long)length);
    PyGILState_Release(g);
}

/* --- making strings --- */

/* A new string of `length` code points `kind` bytes wide, in a block of
   its own (one reference, the caller's); its code points are the
   caller's to write. */
static int
new_string(PjStr *out, int64_t length, int kind)
{
    if (length > (INT64_MAX >> 3)) {
        raise_str(PyExc_MemoryError, "");
        return -1;
    }
    PjMemInfo *mi = pj_rt_meminfo_alloc(length * kind + kind, 0);
    if (mi == NULL) {
        raise_str(PyExc_MemoryError, "");
        return -1;
    }
    out->data = (char *)mi + PJ_MEMINFO_HEADER;
    out->length = length;
    out->kind = kind;
    out->hash = -1;
    out->meminfo = mi;
    out->parent = NULL;
    put_char(out->data, kind, length, 0);
    return 0;
}

/* Copies src[from:from+n] to dst at `at`, widening or narrowing. */
static void
copy_chars(PjStr *dst, int64_t at, const PjStr *src, int64_t from, int64_t n)
{
    if (dst->kind == src->kind) {
        memcpy((char *)dst->data + at * dst->kind,
               (const char *)src->data + from * src->kind,
               (size_t)(n * src->kind));
        return;
    }
    for (int64_t i = 0; i < n; i++) {
        put_char(dst->data, dst->kind, at + i, pj_str_char_at(src, from + i));
    }
}

static void
take_reference(PjMemInfo *mi)
{
    if (mi != NULL) {
        __atomic_add_fetch((int64_t *)mi, 1, __ATOMIC_RELAXED);
    }
}


/* The str a NumPy 'U' field of n code points at p reads as: its code
   points up to the last one that is not NUL (p may be at any alignment). */
int32_t
pj_rt_str_from_ucs4(const char *p, int64_t n, PjStr *out)
{
    uint32_t max = 0, c;
    int64_t len = n;
    while (len > 0 && (memcpy(&c, p + (len - 1) * 4, 4), c == 0)) {
        len--;
    }
    for (int64_t i = 0; i < len; i++) {
        memcpy(&c, p + i * 4, 4);
        max = c > max ? c : max;
    }
    if (new_string(out, len, kind_for(max)) < 0) {
        return -1;
    }
    for (int64_t i = 0; i < len; i++) {
        memcpy(&c, p + i * 4, 4);
        put_char(out->data, out->kind, i, c);
    }
    return 0;
}

/* Stores s in a 'U' field of n code points at p as NumPy does: cut to n
   code points, the rest NULs. */
void
pj_rt_str_to_ucs4(const PjStr *s, char *p, int64_t n)
{
    for (int64_t i = 0; i < n; i++) {
        uint32_t c = i < s->length ? pj_str_char_at(s, i) : 0;
        memcpy(p + i * 4, &c, 4);
    }
}

int32_t
pj_rt_str_concat(const PjStr *a, const PjStr *b, PjStr *out)
{
    int kind = a->kind > b->kind ? a->kind : b->kind;
    if (a->length > INT64_MAX / 8 - b->length) {
        raise_str(PyExc_OverflowError, "strings are too large to concat");
        return -1;
    }
    RETURN_IF_ERROR(new_string(out, a->length + b->length, kind));
    copy_chars(out, 0, a, 0, a->length);
    copy_chars(out, a->length, b, 0, b->length);
    return 0;
}

/* s * n: empty for n <= 0, as in Python. */
int32_t
pj_rt_str_repeat(const PjStr *s, int64_t n, PjStr *out)
{
    if (n < 0 || s->length == 0) {
        n = 0;
    }
    if (n > 0 && s->length > (INT64_MAX >> 3) / n) {
        raise_str(PyExc_OverflowError, "repeated string is too long");
        return -1;
    }
    RETURN_IF_ERROR(new_string(out, s->length * n, s->kind));
    size_t unit = (size_t)(s->length * s->kind);
    for (int64_t i = 0; i < n; i++) {
        memcpy((char *)out->data + (size_t)i * unit, s->data, unit);
    }
    return 0;
}

/* s[start:stop:step], bounds given by `given` (PJ_SLICE_*), as Python
   clamps them.  A slice of consecutive characters shares the memory of
   s (a new reference to it); one with another step is a copy. */
int32_t
pj_rt_str_slice(const PjStr *s, int64_t start, int64_t stop, int64_t step,
                int32_t given, PjStr *out)
{
    Py_ssize_t a = start, b = stop, c = step;
    if (!(given & PJ_SLICE_STEP)) {
        c = 1;
    }
    if (c == 0) {
        raise_str(PyExc_ValueError, "slice step cannot be zero");
        return -1;
    }
    if (!(given & PJ_SLICE_START)) {
        a = c > 0 ? 0 : PY_SSIZE_T_MAX;
    }
    if (!(given & PJ_SLICE_STOP)) {
        b = c > 0 ? PY_SSIZE_T_MAX : PY_SSIZE_T_MIN;
    }
    Py_ssize_t n = PySlice_AdjustIndices((Py_ssize_t)s->length, &a, &b, c);
    if (c == 1) {
        *out = *s;
        out->data = (char *)s->data + a * s->kind;
        out->length = n;
        out->hash = n == s->length ? s->hash : -1;
        take_reference(s->meminfo);
        return 0;
    }
    int kind = narrowest_kind(s, a, b, c);
    RETURN_IF_ERROR(new_string(out, n, kind));
    for (Py_ssize_t i = 0; i < n; i++) {
        put_char(out->data, kind, i, pj_str_char_at(s, a + i * c));
    }
    return 0;
}

/* chr(i) */
int32_t
pj_rt_str_chr(int64_t i, PjStr *out)
{
    if (i < 0 || i > 0x10ffff) {
        raise_str(PyExc_ValueError, "chr() arg not in range(0x110000)");
        return -1;
    }
    int kind = kind_for((uint32_t)i);
    RETURN_IF_ERROR(new_string(out, 1, kind));
    put_char(out->data, kind, 0, (uint32_t)i);
    return 0;
}

/* A string of the n bytes at s (ASCII). */
static int
from_ascii_n(const char *s, size_t n, PjStr *out)
{
    RETURN_IF_ERROR(new_string(out, (int64_t)n, 1));
    memcpy(out->data, s, n);
    return 0;
}

/* A string of the bytes of the C string s (ASCII). */
static int
from_ascii(const char *s, PjStr *out)
{
    return from_ascii_n(s, strlen(s), out);
}

/* The decimal digits of n, written backwards to end, after a '-' when
   negative; where they start.  (snprintf took half the time of a
   `str(i)` in a loop.) */
static char *
decimal(uint64_t n, bool negative, char *end)
{
    do {
        *--end = (char)('0' + n % 10);
        n /= 10;
    } while (n != 0);
    if (negative) {
        *--end = '-';
    }
    return end;
}

/* str(n) for an integer. */
int32_t
pj_rt_str_from_int(int64_t n, PjStr *out)
{
    char buf[24], *end = buf + sizeof(buf);
    uint64_t magnitude = n < 0 ? 0 - (uint64_t)n : (uint64_t)n;
    char *start = decimal(magnitude, n < 0, end);
    return from_ascii_n(start, (size_t)(end - start), out);
}

int32_t
pj_rt_str_from_uint(uint64_t n, PjStr *out)
{
    char buf[24], *end = buf + sizeof(buf);
    char *start = decimal(n, false, end);
    return from_ascii_n(start, (size_t)(end - start), out);
}

/* str(x) for a float: CPython's repr, the shortest digits that read back
   as x, from CPython's own routine. */
int32_t
pj_rt_str_from_float(double x, PjStr *out)
{
    char *s = PyOS_double_to_string(x, 'r', 0, Py_DTSF_ADD_DOT_0, NULL);
    if (s == NULL) {
        raise_str(PyExc_MemoryError, "");
        return -1;
    }
    int rc = from_ascii(s, out);
    PyMem_Free(s);
    return rc;
}

/* --- comparing and searching --- */

int32_t
pj_rt_str_eq(const PjStr *a, const PjStr *b)
{
    if (a->length != b->length) {
        return 0;
    }
    if (a->kind == b->kind) {
        return memcmp(a->data, b->data, (size_t)(a->length * a->kind)) == 0;
    }
    for (int64_t i = 0; i < a->length; i++) {
        if (pj_str_char_at(a, i) != pj_str_char_at(b, i)) {
            return 0;
        }
    }
    return 1;
}

/* <0, 0, >0 as a is before, equal to, after b by code points. */
int32_t
pj_rt_str_cmp(const PjStr *a, const PjStr *b)
{
    int64_t n = a->length < b->length ? a->length : b->length;
    if (a->kind == 1 && b->kind == 1) {
        int c = memcmp(a->data, b->data, (size_t)n);
        if (c != 0) {
            return c < 0 ? -1 : 1;
        }
    }
    else {
        for (int64_t i = 0; i < n; i++) {
            uint32_t x = pj_str_char_at(a, i), y = pj_str_char_at(b, i);
            if (x != y) {
                return x < y ? -1 : 1;
            }
        }
    }
    return a->length < b->length ? -1 : a->length > b->length;
}

/* CPython's ADJUST_INDICES: start and end of a search, clamped as
   slice bounds are. */
static void
adjust_indices(int64_t *start, int64_t *end, int64_t len)
{
    if (*end > len) {
        *end = len;
    }
    else if (*end < 0) {
        *end += len;
        *end = *end < 0 ? 0 : *end;
    }
    if (*start < 0) {
        *start += len;
        *start = *start < 0 ? 0 : *start;
    }
}

static bool
matches_at(const PjStr *s, int64_t at, const PjStr *sub)
{
    if (s->kind == sub->kind) {
        return memcmp((const char *)s->data + at * s->kind, sub->data,
                      (size_t)(sub->length * s->kind)) == 0;
    }
    for (int64_t i = 0; i < sub->length; i++) {
        if (pj_str_char_at(s, at + i) != pj_str_char_at(sub, i)) {
            return false;
        }
    }
    return true;
}

/* The first (last when `reverse`) index of sub in s[start:end], or -1. */
int64_t
pj_rt_str_find(const PjStr *s, const PjStr *sub, int64_t start, int64_t end,
               int32_t reverse)
{
    adjust_indices(&start, &end, s->length);
    if (end - start < sub->length) {
        return -1;
    }
    int64_t last = end - sub->length;
    if (sub->length == 1 && s->kind == 1 && sub->kind == 1 && !reverse) {
        const char *p = memchr((const char *)s->data + start,
                               *(const uint8_t *)sub->data,
                               (size_t)(end - start));
        return p ? p - (const char *)s->data : -1;
    }
    for (int64_t k = 0; k <= last - start; k++) {
        int64_t at = reverse ? last - k : start + k;
        if (matches_at(s, at, sub)) {
            return at;
        }
    }
    return -1;
}

/* How many times sub occurs in s[start:end] without overlapping. */
int64_t
pj_rt_str_count(const PjStr *s, const PjStr *sub, int64_t start, int64_t end)
{
    adjust_indices(&start, &end, s->length);
    if (end - start < sub->length) {
        return 0;
    }
    if (sub->length == 0) {
        return end - start + 1;
    }
    int64_t n = 0;
    for (int64_t at = start; at <= end - sub->length;) {
        if (matches_at(s, at, sub)) {
            n++;
            at += sub->length;
        }
        else {
            at++;
        }
    }
    return n;
}

/* s.startswith(sub, start, end), or endswith when `at_end`. */
int32_t
pj_rt_str_tailmatch(const PjStr *s, const PjStr *sub, int64_t start,
                    int64_t end, int32_t at_end)
{
    adjust_indices(&start, &end, s->length);
    end -= sub->length;
    if (end < start) {
        return 0;
    }
    return matches_at(s, at_end ? end : start, sub);
}

/* --- hashing --- */

/* hash(s) as CPython computes it: its hash function (sys.hash_info) with
   the interpreter's secret key, over the narrowest form of the code
   points, which is how a str keeps them. */
int64_t
pj_rt_str_hash(const void *data, int64_t length, int32_t kind, int64_t hash)
{
    if (hash != -1) {
        return hash;
    }
    PjStr s = {.data = (void *)data, .length = length, .kind = kind};
    int narrow = narrowest_kind(&s, 0, length, 1);
    if (narrow == kind) {
        return _Py_HashBytes(data, (Py_ssize_t)(length * kind));
    }
    void *buf = length > 0 ? malloc((size_t)length * (size_t)narrow) : NULL;
    if (buf == NULL) {
        return _Py_HashBytes(data, (Py_ssize_t)(length * kind));
    }
    for (int64_t i = 0; i < length; i++) {
        put_char(buf, narrow, i, pj_str_char_at(&s, i));
    }
    Py_hash_t h = _Py_HashBytes(buf, (Py_ssize_t)(length * narrow));
    free(buf);
    return h;
}

/* --- the boundary with Python --- */

/* The value of a str argument: its own data, which the caller's
   reference keeps alive for the call. */
void
pj_rt_str_unbox(PyObject *obj, PjStr *out)
{
    out->data = PyUnicode_DATA(obj);
    out->length = PyUnicode_GET_LENGTH(obj);
    out->kind = (int32_t)PyUnicode_KIND(obj);
    out->hash = ((PyASCIIObject *)obj)->hash;
    out->meminfo = NULL;
    out->parent = obj;
}

/* A new str with the code points of s (narrowed as CPython keeps them);
   the argument itself when s is all of it (a parent that is not a str is
   the array an element of an array of strings views). */
static PyObject *
to_python(const PjStr *s)
{
    if (s->parent != NULL && PyUnicode_Check(s->parent)
        && s->data == PyUnicode_DATA(s->parent)
        && s->length == PyUnicode_GET_LENGTH(s->parent)) {
        return Py_NewRef(s->parent);
    }
    return PyUnicode_FromKindAndData((int)s->kind, s->data,
                                     (Py_ssize_t)s->length);
}

/* The str of a value returned to Python; the value's reference to its
   memory is the caller's to give up, and goes here. */
PyObject *
pj_rt_str_box(const PjStr *s)
{
    PyObject *obj = to_python(s);
    pj_rt_meminfo_release(s->meminfo);
    return obj;
}

/* A new string value with the code points of the str obj. */
int
pj_str_from_python(PyObject *obj, PjStr *out)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(obj);
    int kind = (int)PyUnicode_KIND(obj);
    PjMemInfo *mi = pj_rt_meminfo_alloc((int64_t)(n * kind + kind), 0);
    if (mi == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    out->data = (char *)mi + PJ_MEMINFO_HEADER;
    memcpy(out->data, PyUnicode_DATA(obj), (size_t)((n + 1) * kind));
    out->length = n;
    out->kind = kind;
    out->hash = -1;
    out->meminfo = mi;
    out->parent = NULL;
    return 0;
}

/* print(): writes s to sys.stdout; flags as for pj_rt_print. */
void
pj_rt_str_print(const PjStr *s, int32_t flags)
{
    PyGILState_STATE g = PyGILState_Ensure();
    pj_runtime_print_object(to_python(s), flags);
    PyGILState_Release(g);
}

/* --- what CPython computes for compiled code --- */

/* One argument of a call into CPython: a string or a number. */
static PyObject *
arg_to_python(const PjStrArg *a)
{
    switch (a->tag) {
    case PJ_STRARG_STR: return to_python(&a->s);
    case PJ_STRARG_INT: return PyLong_FromLongLong(a->i);
    case PJ_STRARG_UINT: return PyLong_FromUnsignedLongLong((uint64_t)a->i);
    case PJ_STRARG_FLOAT: return PyFloat_FromDouble(a->f);
    case PJ_STRARG_BOOL: return PyBool_FromLong((long)a->i);
    case PJ_STRARG_EXCEPTION:
        return pj_exception_object((PjMemInfo *)(intptr_t)a->i);
    default: Py_RETURN_NONE;
    }
}

static PyObject *
args_to_python(const PjStrArg *args, int32_t n)
{
    PyObject *t = PyTuple_New(n);
    for (int32_t i = 0; t != NULL && i < n; i++) {
        PyObject *v = arg_to_python(&args[i]);
        if (v == NULL) {
            Py_CLEAR(t);
            break;
        }
        PyTuple_SET_ITEM(t, i, v);
    }
    return t;
}

/* The result of a call into CPython as compiled code takes it: a str
   (a new string), an int or a bool (in out->i, which must fit int64) or a
   float. */
static int
result_from_python(PyObject *r, PjStrArg *out)
{
    if (PyUnicode_Check(r)) {
        out->tag = PJ_STRARG_STR;
        return pj_str_from_python(r, &out->s);
    }
    if (PyFloat_Check(r)) {
        out->tag = PJ_STRARG_FLOAT;
        out->f = PyFloat_AS_DOUBLE(r);
        return 0;
    }
    out->tag = PyBool_Check(r) ? PJ_STRARG_BOOL : PJ_STRARG_INT;
    int overflow;
    out->i = PyLong_AsLongLongAndOverflow(r, &overflow);
    if (overflow != 0) {
        PyErr_Format(PyExc_OverflowError, "%R does not fit in int64, the "
                     "integers of compiled code", r);
        return -1;
    }
    return out->i == -1 && PyErr_Occurred() ? -1 : 0;
}

/* Calls `name` with args on CPython and stores the result in out: a str
   method (args[0] is the string), or one of the builtins str, int, float
   and format.  The result, and any exception, is CPython's own. */
int32_t
pj_rt_str_call(const char *name, int32_t is_method, const PjStrArg *args,
               int32_t n, PjStrArg *out)
{
    PyGILState_STATE g = PyGILState_Ensure();
    PyObject *tuple = args_to_python(args, n), *fn = NULL, *r = NULL;
    if (tuple != NULL && is_method) {
        fn = PyObject_GetAttrString((PyObject *)&PyUnicode_Type, name);
    }
    else if (tuple != NULL) {
        fn = PyDict_GetItemString(PyEval_GetBuiltins(), name);
        Py_XINCREF(fn);
    }
    if (fn != NULL) {
        r = PyObject_Call(fn, tuple, NULL);
    }
    int rc = r != NULL ? result_from_python(r, out) : -1;
    Py_XDECREF(r);
    Py_XDECREF(fn);
    Py_XDECREF(tuple);
    PyGILState_Release(g);
    return rc;
}

/* raise cls(*args) with arguments computed at run time; the strings
   among them are the caller's to release. */
void
pj_rt_str_raise(const char *module, const char *qualname,
                const PjStrArg *args, int32_t n, PyObject **cache)
{
    PyGILState_STATE g = PyGILState_Ensure();
    PyObject *cls = pj_runtime_cached_class(module, qualname, cache);
    PyObject *tuple = cls ? args_to_python(args, n) : NULL;
    PyObject *exc = tuple ? PyObject_Call(cls, tuple, NULL) : NULL;
    if (exc != NULL) {
        PyErr_SetObject(cls, exc);
    }
    Py_XDECREF(exc);
    Py_XDECREF(tuple);
    PyGILState_Release(g);
}
