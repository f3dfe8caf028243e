/*
** cache.c - cache=True: compiled code kept on disk for the next process.
**
** The files, where they live and what a record's key holds are Python's
** business (pyjit/_cache.py: file I/O is not hot).  This file turns a
** compiled overload into the record that is stored, and a stored record
** back into an overload: its object file goes into the JIT through the same
** path as a fresh compile's, so it links against the same runtime symbols.
** The code refers to no address of this process (DESIGN.md), and a record
** keeps the native name it was compiled under, claimed here so that no
** fresh compile of this process defines it too.
**
** It also gives the key its two primitives: a digest (LLVM's BLAKE3, so
** that a load imports no hashing module) and the build id of this
** extension, which code compiled by another build of pyjit must not share.
*/
#include "pyjit.h"

#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <string.h>
#include <sys/stat.h>

#include <llvm-c/blake3.h>

#define DIGEST_BYTES 16         /* 128 bits, 32 hex digits */

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
hash_part(llvm_blake3_hasher *h, PyObject *part)
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

/* digest(*parts): 32 hex digits of the BLAKE3 hash of str and bytes
   parts. */
PyObject *
pj_cache_digest(PyObject *const *parts, Py_ssize_t n)
{
    llvm_blake3_hasher h;
    llvm_blake3_hasher_init(&h);
    for (Py_ssize_t i = 0; i < n; i++) {
        if (hash_part(&h, parts[i]) < 0) {
            return NULL;
        }
    }
    uint8_t out[DIGEST_BYTES];
    llvm_blake3_hasher_finalize(&h, out, DIGEST_BYTES);
    char hex[2 * DIGEST_BYTES + 1];
    put_hex(hex, out, DIGEST_BYTES);
    return PyUnicode_FromString(hex);
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

/* --- records --- */

static PyObject *
cache_module(void)
{
    return pj_import_once(&pj_state->cache_module, "pyjit._cache");
}

static PyObject *
signature_tuple(PjType **argtys, int nargs)
{
    PyObject *sig = PyTuple_New(nargs);
    for (int i = 0; sig != NULL && i < nargs; i++) {
        PyTuple_SET_ITEM(sig, i, Py_NewRef((PyObject *)argtys[i]));
    }
    return sig;
}

/* Makes the overload of a record the cache found: (native name, return
   type, can_raise, object, LLVM IR, bitcode, annotation).  NULL without an
   exception when it cannot be used here after all. */
static PjOverload *
overload_from_record(PyObject *disp, PjType **argtys, int nargs,
                     PyObject *rec)
{
    const char *name;
    PyObject *restype, *object, *llvm_ir, *bitcode, *annotation;
    int can_raise;
    if (!PyArg_ParseTuple(rec, "sOpSUSU", &name, &restype, &can_raise,
                          &object, &llvm_ir, &bitcode, &annotation)) {
        return NULL;
    }
    if (!pj_type_check(restype)) {
        PyErr_SetString(PyExc_TypeError, "pyjit cache: bad return type");
        return NULL;
    }
    int claimed = pj_jit_claim_name(name);
    if (claimed <= 0) {
        return NULL;        /* its code is in this process already */
    }
    char *wrapper = PyMem_Malloc(strlen(name) + 9);
    if (wrapper == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    sprintf(wrapper, "cpython.%s", name);
    void *entry = pj_jit_load_object(object) == 0 ? pj_jit_lookup(wrapper)
                                                   : NULL;
    PyMem_Free(wrapper);
    PjOverload *ov = entry ? pj_overload_new(argtys, nargs, name) : NULL;
    if (ov == NULL) {
        return NULL;
    }
    ov->restype = (PjType *)restype;
    ov->can_raise = can_raise;
    ov->entry = (PjEntry)entry;
    ov->llvm_ir = Py_NewRef(llvm_ir);
    ov->bitcode = Py_NewRef(bitcode);
    ov->annotation = Py_NewRef(annotation);
    if (pj_dispatcher_add(disp, ov) < 0) {
        pj_overload_free(ov);
        return NULL;
    }
    return ov;
}

/* The specialization for these argument types from the cache, added to
   the dispatcher; NULL on a miss (an exception set only for errors that
   must reach the caller, such as MemoryError). */
PjOverload *
pj_cache_load(PyObject *disp, PjType **argtys, int nargs,
              PjType *declared_ret)
{
    double t0 = pj_now();
    PyObject *mod = cache_module();
    PyObject *sig = mod ? signature_tuple(argtys, nargs) : NULL;
    if (sig == NULL || pj_compile_lock() < 0) {
        Py_XDECREF(sig);
        return NULL;
    }
    PjOverload *ov = pj_dispatcher_find(disp, argtys, nargs);
    if (ov == NULL) {
        PyObject *rec = PyObject_CallMethod(
            mod, "load", "OOO", disp, sig,
            declared_ret ? (PyObject *)declared_ret : Py_None);
        if (rec != NULL && rec != Py_None) {
            ov = overload_from_record(disp, argtys, nargs, rec);
        }
        Py_XDECREF(rec);
        if (ov != NULL) {
            ov->compile_seconds = pj_now() - t0;
        }
    }
    pj_compile_unlock();
    Py_DECREF(sig);
    if (ov == NULL && PyErr_Occurred()
        && !PyErr_ExceptionMatches(PyExc_MemoryError)
        && !PyErr_ExceptionMatches(PyExc_KeyboardInterrupt)) {
        /* A record that does not load is a miss: say so and compile. */
        PyErr_WriteUnraisable(disp);
    }
    return ov;
}

/* Stores a fresh compile's record; failing to store is not the call's
   failure (the cache directory may be read-only), so errors are reported
   as unraisable warnings. */
void
pj_cache_save(PyObject *disp, PjOverload *ov, PjType *declared_ret)
{
    if (ov->object == NULL) {
        return;         /* nothing to keep: it calls code by name */
    }
    PyObject *mod = cache_module();
    PyObject *r = mod ? PyObject_CallMethod(
        mod, "save", "OOOsOOOOOO", disp, ov->sig,
        declared_ret ? (PyObject *)declared_ret : Py_None, ov->native_name,
        (PyObject *)ov->restype, ov->can_raise ? Py_True : Py_False,
        ov->object, ov->llvm_ir, ov->bitcode, ov->annotation) : NULL;
    if (r == NULL) {
        PyErr_WriteUnraisable(disp);
    }
    Py_XDECREF(r);
    Py_CLEAR(ov->object);
}
