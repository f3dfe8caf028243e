/*
** cachekey.c - what a cache=True record was compiled from: its key.
**
** pyjit/_cache.py names a record's file and checks its key; the key's
** parts are computed here, on the path of a first call, so that a load
** compiles no Python beyond the file handling (a process without .pyc
** files compiles every module it imports) and hashes without importing a
** hashing module: the digest is LLVM's BLAKE3, 128 bits of it.
**
** A function's content is two digests:
**   own    the environment the caller gives (pyjit's build, LLVM, Python,
**          the CPU), the function's source text and its code object (and
**          those nested in it), so text edited after the import never
**          matches the code Python runs;
**   reads  the values it reads from outside, frozen into its code when it
**          compiles: its closure variables, the globals and module
**          attributes its code names, its defaults, and for each jitted
**          function among them that function's own and reads digests (an
**          edit to a callee in another file changes its callers' keys).
** Values are spelled alike in every process: numbers and strings by type
** and repr, tuples element by element, modules by name with the attributes
** the code names, functions and classes by their qualified names (no other
** value compiles as a constant).
**
** The build id tells builds of this extension apart: code compiled by one
** must not be loaded by another.
*/
#include "pyjit.h"

#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <string.h>
#include <sys/stat.h>

#include <llvm-c/blake3.h>

#define DIGEST_BYTES 16         /* 128 bits, 32 hex digits */

/* --- digests --- */

static void
put_hex(char *out, const uint8_t *bytes, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 15];
    }
    out[2 * n] = '\0';
}

/* Feeds one part: its length first, so that ("ab", "c") and ("a", "bc")
   differ. */
static int
feed(llvm_blake3_hasher *h, PyObject *part)
{
    const char *data;
    Py_ssize_t n;
    if (PyUnicode_Check(part)) {
        data = PyUnicode_AsUTF8AndSize(part, &n);
        if (data == NULL) {
            return -1;
        }
    }
    else if (PyBytes_Check(part)) {
        data = PyBytes_AS_STRING(part);
        n = PyBytes_GET_SIZE(part);
    }
    else {
        PyErr_Format(PyExc_TypeError, "digest() takes str and bytes, not %s",
                     Py_TYPE(part)->tp_name);
        return -1;
    }
    uint64_t len = (uint64_t)n;
    llvm_blake3_hasher_update(h, &len, sizeof(len));
    llvm_blake3_hasher_update(h, data, (size_t)n);
    return 0;
}

static int
feed_cstr(llvm_blake3_hasher *h, const char *s)
{
    uint64_t len = strlen(s);
    llvm_blake3_hasher_update(h, &len, sizeof(len));
    llvm_blake3_hasher_update(h, s, (size_t)len);
    return 0;
}

static int
feed_repr(llvm_blake3_hasher *h, PyObject *v)
{
    PyObject *r = PyObject_Repr(v);
    int rc = r != NULL ? feed(h, r) : -1;
    Py_XDECREF(r);
    return rc;
}

static PyObject *
finish(llvm_blake3_hasher *h)
{
    uint8_t out[DIGEST_BYTES];
    llvm_blake3_hasher_finalize(h, out, DIGEST_BYTES);
    char hex[2 * DIGEST_BYTES + 1];
    put_hex(hex, out, DIGEST_BYTES);
    return PyUnicode_FromString(hex);
}

/* digest(*parts): 32 hex digits of the BLAKE3 hash of str and bytes
   parts. */
PyObject *
pj_cache_digest(PyObject *const *parts, Py_ssize_t n)
{
    llvm_blake3_hasher h;
    llvm_blake3_hasher_init(&h);
    for (Py_ssize_t i = 0; i < n; i++) {
        if (feed(&h, parts[i]) < 0) {
            return NULL;
        }
    }
    return finish(&h);
}

/* --- a function's content --- */

typedef struct {
    PyObject *environment;      /* str: what compiles the code */
    PyObject *text_of;          /* func -> its source text, or None */
    PyObject *memo;             /* id(func) -> (own, reads); None while
                                   its digests are being computed */
    bool sourceless;            /* a function reached has no source */
} Keying;

static PyObject *digests_of(Keying *k, PyObject *func);

/* The reprs of a frozenset's elements, sorted: its order follows the
   string hash seed of the process. */
static PyObject *
sorted_reprs(PyObject *set)
{
    PyObject *reprs = PyList_New(0), *it = PyObject_GetIter(set), *item;
    while (reprs != NULL && it != NULL && (item = PyIter_Next(it)) != NULL) {
        PyObject *r = PyObject_Repr(item);
        if (r == NULL || PyList_Append(reprs, r) < 0) {
            Py_CLEAR(reprs);
        }
        Py_XDECREF(r);
        Py_DECREF(item);
    }
    if (it == NULL || PyErr_Occurred()
        || (reprs != NULL && PyList_Sort(reprs) < 0)) {
        Py_CLEAR(reprs);
    }
    Py_XDECREF(it);
    return reprs;
}

/* A constant of a code object. */
static int
feed_constant(llvm_blake3_hasher *h, PyObject *c)
{
    if (PyTuple_CheckExact(c)) {
        feed_cstr(h, "(");
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(c); i++) {
            RETURN_IF_ERROR(feed_constant(h, PyTuple_GET_ITEM(c, i)));
        }
        return feed_cstr(h, ")");
    }
    feed_cstr(h, Py_TYPE(c)->tp_name);
    if (!PyFrozenSet_CheckExact(c)) {
        return feed_repr(h, c);
    }
    PyObject *reprs = sorted_reprs(c);
    int rc = reprs != NULL ? 0 : -1;
    for (Py_ssize_t i = 0; rc == 0 && i < PyList_GET_SIZE(reprs); i++) {
        rc = feed(h, PyList_GET_ITEM(reprs, i));
    }
    Py_XDECREF(reprs);
    return rc;
}

static const char *const code_fields[] = {
    "co_name", "co_code", "co_linetable", "co_exceptiontable", "co_flags",
    "co_argcount", "co_posonlyargcount", "co_kwonlyargcount",
    "co_firstlineno", "co_names", "co_varnames", "co_freevars",
    "co_cellvars", NULL,
};

static int
feed_field(llvm_blake3_hasher *h, PyObject *code, const char *name)
{
    PyObject *v = PyObject_GetAttrString(code, name);
    if (v == NULL) {
        if (!PyErr_ExceptionMatches(PyExc_AttributeError)) {
            return -1;
        }
        PyErr_Clear();                  /* not in this Python */
        return feed_cstr(h, "-");
    }
    int rc = PyUnicode_Check(v) || PyBytes_Check(v) ? feed(h, v)
                                                    : feed_repr(h, v);
    Py_DECREF(v);
    return rc;
}

/* The code object and those nested in it; the names it may read from
   its globals (or as attributes of a module) go to `names`. */
static int
feed_code(llvm_blake3_hasher *h, PyObject *code, PyObject *names)
{
    for (int i = 0; code_fields[i] != NULL; i++) {
        RETURN_IF_ERROR(feed_field(h, code, code_fields[i]));
    }
    PyCodeObject *co = (PyCodeObject *)code;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(co->co_names); i++) {
        RETURN_IF_ERROR(PySet_Add(names, PyTuple_GET_ITEM(co->co_names, i)));
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(co->co_consts); i++) {
        PyObject *c = PyTuple_GET_ITEM(co->co_consts, i);
        RETURN_IF_ERROR(PyCode_Check(c) ? feed_code(h, c, names)
                                        : feed_constant(h, c));
    }
    return 0;
}

/* obj.name, or NULL: without an exception when obj has no such
   attribute. */
static PyObject *
optional_attr(PyObject *obj, const char *name)
{
    PyObject *v = PyObject_GetAttrString(obj, name);
    if (v == NULL && PyErr_ExceptionMatches(PyExc_AttributeError)) {
        PyErr_Clear();
    }
    return v;
}

/* A function, class or ufunc as compiled code knows it: by its module and
   qualified name. */
static int
feed_named(llvm_blake3_hasher *h, PyObject *obj)
{
    PyObject *module = optional_attr(obj, "__module__");
    PyObject *name = module != NULL || !PyErr_Occurred()
                     ? optional_attr(obj, "__qualname__") : NULL;
    if (name == NULL && !PyErr_Occurred()) {
        name = optional_attr(obj, "__name__");
    }
    int rc = PyErr_Occurred() ? -1 : 0;
    if (rc == 0) {
        rc = feed_repr(h, module ? module : Py_None);
    }
    if (rc == 0) {
        rc = feed_repr(h, name ? name : Py_None);
    }
    Py_XDECREF(module);
    Py_XDECREF(name);
    return rc;
}

/* The names the code reads, sorted: a set's order is the process's. */
static PyObject *
sorted_names(PyObject *names)
{
    PyObject *list = PySequence_List(names);
    if (list != NULL && PyList_Sort(list) < 0) {
        Py_CLEAR(list);
    }
    return list;
}

/* What one function reads: the values are spelled into h. */
typedef struct {
    Keying *k;
    llvm_blake3_hasher *h;
    PyObject *names;            /* sorted list: names the code reads */
    PyObject *modules;          /* set of the modules spelled so far */
} Reads;

static int feed_value(Reads *r, PyObject *v);

static int
feed_module(Reads *r, PyObject *m)
{
    PyObject *name = PyModule_GetNameObject(m);
    int seen = name ? PySet_Contains(r->modules, name) : -1;
    int rc = seen < 0 ? -1 : feed(r->h, name);
    if (rc == 0 && !seen) {
        rc = PySet_Add(r->modules, name);
    }
    Py_XDECREF(name);
    PyObject *dict = rc == 0 && !seen ? PyModule_GetDict(m) : NULL;
    for (Py_ssize_t i = 0; dict && rc == 0
                           && i < PyList_GET_SIZE(r->names); i++) {
        PyObject *attr = PyList_GET_ITEM(r->names, i);
        PyObject *v = PyDict_GetItemWithError(dict, attr);
        if (v == NULL) {
            rc = PyErr_Occurred() ? -1 : 0;
            continue;
        }
        rc = feed(r->h, attr) < 0 ? -1 : feed_value(r, v);
    }
    return rc;
}

static int
feed_callee(Reads *r, PyObject *disp)
{
    PjOptions *o = pj_dispatcher_options(disp);
    char opts[] = {'0' + o->nogil, '0' + o->fastmath, '0' + o->boundscheck,
                   '0' + o->error_model_numpy, '0' + o->parallel,
                   '0' + o->debug, '0' + o->inline_mode, '0' + o->nrt, '\0'};
    PyObject *digests = digests_of(r->k, pj_dispatcher_info(disp)->func);
    int rc = digests != NULL ? 0 : -1;
    for (Py_ssize_t i = 0; rc == 0 && i < 2; i++) {
        rc = feed(r->h, PyTuple_GET_ITEM(digests, i));
    }
    Py_XDECREF(digests);
    if (rc == 0 && o->locals != NULL) {
        rc = feed_repr(r->h, o->locals);
    }
    return rc < 0 ? -1 : feed_cstr(r->h, opts);
}

/* Numbers and strings of a subclass (an IntEnum, say) by their value. */
static PyTypeObject *const plain_bases[] = {
    &PyLong_Type, &PyFloat_Type, &PyComplex_Type, &PyUnicode_Type,
    &PyBytes_Type,
};

static int
feed_plain(Reads *r, PyObject *v)
{
    PyTypeObject *t = Py_TYPE(v);
    if (v == Py_None || t == &PyBool_Type || t == &PyLong_Type
        || t == &PyFloat_Type || t == &PyComplex_Type
        || t == &PyUnicode_Type || t == &PyBytes_Type
        || pj_typeof_scalar_class((PyObject *)t) != NULL) {
        feed_cstr(r->h, t->tp_name);
        return feed_repr(r->h, v);
    }
    for (size_t i = 0; i < sizeof(plain_bases) / sizeof(*plain_bases); i++) {
        if (PyObject_TypeCheck(v, plain_bases[i])) {
            PyObject *repr = plain_bases[i]->tp_repr(v);
            int rc = repr && feed_named(r->h, (PyObject *)t) == 0
                     ? feed(r->h, repr) : -1;
            Py_XDECREF(repr);
            return rc;
        }
    }
    return 1;                   /* not a number or a string */
}

/* A frozen array (array_const.c) by what the code holds of it: its
   dtype, its shape and its contents. */
static int
feed_array(llvm_blake3_hasher *h, PyObject *v)
{
    static const char *const parts[] = {"dtype", "shape"};
    int rc = 0;
    for (int i = 0; rc == 0 && i < 2; i++) {
        PyObject *p = PyObject_GetAttrString(v, parts[i]);
        rc = p != NULL ? feed_repr(h, p) : -1;
        Py_XDECREF(p);
    }
    PyObject *data = rc == 0 ? PyObject_CallMethod(v, "tobytes", NULL) : NULL;
    rc = data != NULL ? feed(h, data) : -1;
    Py_XDECREF(data);
    return rc;
}

/* A namedtuple class by its name, its fields and their defaults, which
   say what `p.x` and `P(...)` compile to. */
static int
feed_namedtuple_class(Reads *r, PyObject *cls)
{
    PyObject *fields = PyObject_GetAttrString(cls, "_fields");
    PyObject *defaults = PyObject_GetAttrString(cls, "_field_defaults");
    PyObject *items = defaults ? PyDict_Items(defaults) : NULL;
    int rc = feed_named(r->h, cls) < 0 || fields == NULL || items == NULL
             ? -1 : feed_value(r, fields);
    if (rc == 0) {
        rc = feed_repr(r->h, items);
    }
    Py_XDECREF(fields);
    Py_XDECREF(defaults);
    Py_XDECREF(items);
    return rc;
}

static int
feed_value(Reads *r, PyObject *v)
{
    int rc = feed_plain(r, v);
    if (rc <= 0) {
        return rc;
    }
    if (Py_EnterRecursiveCall(" while keying a cached function")) {
        return -1;
    }
    if (pj_namedtuple_class_check(v)) {
        rc = feed_namedtuple_class(r, v);
    }
    else if (PyTuple_Check(v)) {
        rc = PyTuple_CheckExact(v)
             ? feed_cstr(r->h, Py_TYPE(v)->tp_name)
             : feed_value(r, (PyObject *)Py_TYPE(v));
        for (Py_ssize_t i = 0; rc == 0 && i < PyTuple_GET_SIZE(v); i++) {
            rc = feed_value(r, PyTuple_GET_ITEM(v, i));
        }
    }
    else if (pj_dispatcher_check(v)) {
        rc = feed_callee(r, v);
    }
    else if (PyModule_Check(v)) {
        rc = feed_module(r, v);
    }
    else if (pj_array_check(v)) {
        rc = feed_array(r->h, v);
    }
    else {
        rc = feed_named(r->h, (PyObject *)Py_TYPE(v)) < 0
             ? -1 : feed_named(r->h, v);
    }
    Py_LeaveRecursiveCall();
    return rc;
}

/* name=value for each of `names` the mapping holds. */
static int
feed_mapping(Reads *r, PyObject *mapping, PyObject *names)
{
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(names); i++) {
        PyObject *name = PyList_GET_ITEM(names, i);
        PyObject *v = PyDict_GetItemWithError(mapping, name);
        if (v == NULL) {
            RETURN_IF_ERROR(PyErr_Occurred() ? -1 : 0);
            continue;
        }
        RETURN_IF_ERROR(feed(r->h, name));
        RETURN_IF_ERROR(feed_value(r, v));
    }
    return 0;
}

static int
feed_closure(Reads *r, PyObject *code, PyObject *closure)
{
    PyObject *free = PyObject_GetAttrString(code, "co_freevars");
    int rc = free != NULL ? 0 : -1;
    Py_ssize_t n = closure ? PyTuple_GET_SIZE(closure) : 0;
    for (Py_ssize_t i = 0; rc == 0 && i < n
                           && i < PyTuple_GET_SIZE(free); i++) {
        PyObject *v = PyCell_GET(PyTuple_GET_ITEM(closure, i));
        rc = feed(r->h, PyTuple_GET_ITEM(free, i));
        if (rc == 0) {
            rc = v != NULL ? feed_value(r, v) : feed_cstr(r->h, "unbound");
        }
    }
    Py_XDECREF(free);
    return rc;
}

/* The reads digest of a function whose code names `names`. */
static PyObject *
reads_digest(Keying *k, PyObject *func, PyObject *names)
{
    llvm_blake3_hasher h;
    llvm_blake3_hasher_init(&h);
    Reads r = {k, &h, sorted_names(names), PySet_New(NULL)};
    PyObject *defaults = PyFunction_GET_DEFAULTS(func);
    PyObject *kwdefaults = PyFunction_GET_KW_DEFAULTS(func);
    PyObject *kwnames = kwdefaults ? sorted_names(kwdefaults) : NULL;
    int rc = r.names && r.modules && (kwnames || !kwdefaults) ? 0 : -1;
    if (rc == 0) {
        rc = feed_closure(&r, PyFunction_GET_CODE(func),
                          PyFunction_GET_CLOSURE(func));
    }
    if (rc == 0) {
        rc = feed_mapping(&r, PyFunction_GET_GLOBALS(func), r.names);
    }
    if (rc == 0) {
        rc = feed_value(&r, defaults ? defaults : Py_None);
    }
    if (rc == 0 && kwnames) {
        rc = feed_mapping(&r, kwdefaults, kwnames);
    }
    Py_XDECREF(r.names);
    Py_XDECREF(r.modules);
    Py_XDECREF(kwnames);
    return rc == 0 ? finish(&h) : NULL;
}

/* The own digest: the environment, the source text, the code. */
static PyObject *
own_digest(Keying *k, PyObject *func, PyObject *names)
{
    llvm_blake3_hasher h;
    llvm_blake3_hasher_init(&h);
    PyObject *text = PyObject_CallOneArg(k->text_of, func);
    if (text == NULL) {
        return NULL;
    }
    k->sourceless |= text == Py_None;
    int rc = feed(&h, k->environment);
    if (rc == 0 && text != Py_None) {
        rc = feed(&h, text);
    }
    Py_DECREF(text);
    if (rc == 0) {
        rc = feed_code(&h, PyFunction_GET_CODE(func), names);
    }
    return rc == 0 ? finish(&h) : NULL;
}

/* (own, reads) of a function, memoized: a function met again while its
   digests are being computed (recursion) is spelled by its name. */
static PyObject *
digests_of(Keying *k, PyObject *func)
{
    if (!PyFunction_Check(func)) {
        PyErr_SetString(PyExc_TypeError, "function_digests() takes a "
                                         "function");
        return NULL;
    }
    PyObject *id = PyLong_FromVoidPtr(func);
    PyObject *known = id ? PyDict_GetItemWithError(k->memo, id) : NULL;
    if (known != NULL || id == NULL || PyErr_Occurred()) {
        Py_XDECREF(id);
        return known == Py_None
               ? Py_BuildValue("(sO)", "recursive",
                               ((PyFunctionObject *)func)->func_qualname)
               : Py_XNewRef(known);
    }
    PyObject *names = PySet_New(NULL);
    PyObject *own = NULL, *reads = NULL, *both = NULL;
    if (names != NULL && PyDict_SetItem(k->memo, id, Py_None) == 0) {
        own = own_digest(k, func, names);
        reads = own ? reads_digest(k, func, names) : NULL;
        both = reads ? PyTuple_Pack(2, own, reads) : NULL;
    }
    if (both != NULL && PyDict_SetItem(k->memo, id, both) < 0) {
        Py_CLEAR(both);
    }
    Py_XDECREF(names);
    Py_XDECREF(own);
    Py_XDECREF(reads);
    Py_DECREF(id);
    return both;
}

/* function_digests(func, environment, text_of): (own, reads) of a jitted
   function's Python function, or None when it or a function it reads has
   no source text (text_of gave None) to key on. */
PyObject *
pj_cache_function_digests(PyObject *func, PyObject *environment,
                          PyObject *text_of)
{
    Keying k = {environment, text_of, PyDict_New(), false};
    PyObject *both = k.memo ? digests_of(&k, func) : NULL;
    Py_XDECREF(k.memo);
    if (both != NULL && k.sourceless) {
        Py_SETREF(both, Py_NewRef(Py_None));
    }
    return both;
}

/* --- the build id --- */

typedef struct {
    uintptr_t addr;             /* an address inside this extension */
    char hex[2 * 64 + 1];       /* its GNU build id, or "" */
} BuildIdSearch;

static bool
object_holds(struct dl_phdr_info *info, uintptr_t addr)
{
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uintptr_t start = info->dlpi_addr + ph->p_vaddr;
        if (ph->p_type == PT_LOAD && addr >= start
            && addr < start + ph->p_memsz) {
            return true;
        }
    }
    return false;
}

/* The NT_GNU_BUILD_ID note among a PT_NOTE segment's notes. */
static void
read_build_id(const uint8_t *p, size_t size, char *hex)
{
    const uint8_t *end = p + size;
    while (p + sizeof(ElfW(Nhdr)) <= end) {
        const ElfW(Nhdr) *note = (const ElfW(Nhdr) *)p;
        const uint8_t *name = p + sizeof(*note);
        const uint8_t *desc = name + ((note->n_namesz + 3) & ~3u);
        if (note->n_type == NT_GNU_BUILD_ID && note->n_namesz == 4
            && memcmp(name, "GNU", 4) == 0 && note->n_descsz <= 64
            && desc + note->n_descsz <= end) {
            put_hex(hex, desc, note->n_descsz);
            return;
        }
        p = desc + ((note->n_descsz + 3) & ~3u);
    }
}

static int
find_build_id(struct dl_phdr_info *info, size_t Py_UNUSED(size), void *data)
{
    BuildIdSearch *s = data;
    if (!object_holds(info, s->addr)) {
        return 0;
    }
    for (int i = 0; i < info->dlpi_phnum && s->hex[0] == '\0'; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type == PT_NOTE) {
            read_build_id((const uint8_t *)(info->dlpi_addr + ph->p_vaddr),
                          ph->p_memsz, s->hex);
        }
    }
    return 1;
}

/* Which build of the extension this is: the linker's GNU build id (a hash
   of its contents), or where there is none the file's modification time
   and size. */
PyObject *
pj_cache_build_id(void)
{
    BuildIdSearch s = {.addr = (uintptr_t)&pj_cache_build_id, .hex = ""};
    dl_iterate_phdr(find_build_id, &s);
    if (s.hex[0] != '\0') {
        return PyUnicode_FromString(s.hex);
    }
    Dl_info where;
    struct stat st;
    if (dladdr((void *)&pj_cache_build_id, &where) == 0
        || stat(where.dli_fname, &st) != 0) {
        PyErr_SetString(PyExc_RuntimeError,
                        "pyjit: cannot tell which build of pyjit._core runs");
        return NULL;
    }
    return PyUnicode_FromFormat("%lld.%09ld-%lld",
                                (long long)st.st_mtim.tv_sec,
                                st.st_mtim.tv_nsec, (long long)st.st_size);
}

