/*
** module.c - the pyjit._core extension module.
**
** Import is kept cheap: it creates the types and reads PYJIT_DUMP, and
** does not touch LLVM (the JIT starts at the first compile, jit.c).  The
** extension keeps its state in one process-wide PjState: interned types
** and the JIT are process-wide by nature, so a second instance of the
** module in another interpreter is refused.
*/
#include "pyjit.h"

#include <numpy/arrayobject.h>

#include <stdlib.h>
#include <string.h>

PjState *pj_state;

/* --- interned attribute names --- */

#define NAME_SLOTS 128

static struct {
    const char *key;
    PyObject *str;
} names[NAME_SLOTS];

/* An interned str for a C string literal (cached by address). */
PyObject *
pj_str(const char *s)
{
    uintptr_t h = ((uintptr_t)s >> 3) % NAME_SLOTS;
    for (int i = 0; i < NAME_SLOTS; i++) {
        int k = (int)((h + (uintptr_t)i) % NAME_SLOTS);
        if (names[k].key == s) {
            return names[k].str;
        }
        if (names[k].key == NULL) {
            PyObject *str = PyUnicode_InternFromString(s);
            if (str == NULL) {
                return NULL;
            }
            names[k].key = s;
            names[k].str = str;
            return str;
        }
    }
    return PyUnicode_InternFromString(s);   /* table full: leak-free path */
}

/* --- module functions --- */

static PyObject *
core_typeof(PyObject *Py_UNUSED(module), PyObject *value)
{
    bool untypable = false;
    PjType *t = pj_typeof_value(value, &untypable);
    if (t == NULL) {
        return NULL;
    }
    if (untypable) {
        const char *why = pj_typeof_why_not(value);
        PyErr_Format(PyExc_ValueError, "cannot determine pyjit type of %R%s%s",
                     (PyObject *)Py_TYPE(value), why ? ": " : "",
                     why ? why : "");
        return NULL;
    }
    return Py_NewRef((PyObject *)t);
}

static PyObject *
core_unituple(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *t;
    int n;
    if (!PyArg_ParseTuple(args, "O!i", pj_state->type_type, &t, &n)) {
        return NULL;
    }
    if (n < 0 || n > PJ_MAX_ARGS) {
        PyErr_Format(PyExc_ValueError, "tuple length must be 0..%d",
                     PJ_MAX_ARGS);
        return NULL;
    }
    PjType *elems[PJ_MAX_ARGS];
    for (int i = 0; i < n; i++) {
        elems[i] = (PjType *)t;
    }
    return Py_XNewRef((PyObject *)pj_type_tuple(elems, n));
}

static PyObject *core_tuple_of(PyObject *module, PyObject *seq);

/* NamedTuple(types, cls): the tuple type of those items, of class cls. */
static PyObject *
core_named_tuple(PyObject *module, PyObject *args)
{
    PyObject *seq, *cls;
    if (!PyArg_ParseTuple(args, "OO", &seq, &cls)) {
        return NULL;
    }
    if (!pj_namedtuple_class_check(cls)) {
        return PyErr_Format(PyExc_TypeError, "NamedTuple() takes a "
                            "namedtuple class, not %R", cls);
    }
    PjType *t = (PjType *)core_tuple_of(module, seq);
    PjType *elems[PJ_MAX_ARGS];
    for (int i = 0; t != NULL && i < t->count; i++) {
        elems[i] = pj_type_elem(t, i);
    }
    PjType *named = t ? pj_type_named_tuple(cls, elems, t->count) : NULL;
    Py_XDECREF(t);
    return Py_XNewRef((PyObject *)named);
}

static PyObject *
core_tuple_of(PyObject *Py_UNUSED(module), PyObject *seq)
{
    PyObject *items = PySequence_Tuple(seq);
    if (items == NULL) {
        return NULL;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(items);
    PjType *elems[PJ_MAX_ARGS];
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *t = PyTuple_GET_ITEM(items, i);
        if (n > PJ_MAX_ARGS || !pj_type_check(t)
            || ((PjType *)t)->code < 0) {
            Py_DECREF(items);
            PyErr_Format(PyExc_TypeError, "Tuple() takes pyjit types, "
                         "not %R", t);
            return NULL;
        }
        elems[i] = (PjType *)t;
    }
    Py_DECREF(items);
    return Py_XNewRef((PyObject *)pj_type_tuple(elems, (int)n));
}

/* types.literal(value): the Literal type of an int, bool or str; None
   for any other value. */
static PyObject *
core_literal(PyObject *Py_UNUSED(module), PyObject *value)
{
    PjType *t = pj_type_literal(value);
    if (t == NULL && PyErr_Occurred()) {
        return NULL;
    }
    return Py_NewRef(t ? (PyObject *)t : Py_None);
}

static PyObject *
core_optional(PyObject *Py_UNUSED(module), PyObject *t)
{
    if (!pj_type_check(t) || ((PjType *)t)->code < 0) {
        PyErr_Format(PyExc_TypeError, "Optional() takes a pyjit type, "
                     "not %R", t);
        return NULL;
    }
    return Py_XNewRef((PyObject *)pj_type_optional((PjType *)t));
}

/* The library's intrinsics (pyjit/_numpy.py): compiled code recognizes
   them (library.c) and computes them in place of the call; called from
   Python they only say so.  Each is a function of its own: builtin
   functions compare equal by their C code, and compiled code tells these
   apart by identity. */
#define PJ_INTRINSICS(X)                                                  \
    X(sum_zero, "zero in the type NumPy sums the array's elements in")    \
    X(sum_one, "one in the type NumPy multiplies the array's elements in") \
    X(mean_zero, "zero in the type NumPy averages the array's elements "  \
                 "in")                                                     \
    X(axis_index, "_axis_index(axis, ndim): the dimension an axis names, " \
                  "negative from the end; NumPy's AxisError if none")      \
    X(drop_axis, "_drop_axis(shape, k): the shape without dimension k")   \
    X(list_truncate, "_list_truncate(l, n): drops the items from n on")   \
    X(list_empty, "_list_empty(l): a new empty list of l's item type")    \
    X(slice_span, "_slice_span(s, n): start, step and count of slice s "  \
                  "over n items")                                         \
    X(list_dtype, "_list_dtype(l): the NumPy type of the numbers a list " \
                  "of numbers (or of lists of them) holds")               \
    X(holds_integers, "_holds_integers(a): whether the array's elements " \
                      "are integers or booleans")                         \
    X(listsort, "_listsort(keys, v, tmp): sorts v, indices into the list " \
                "keys of numbers or strings, as list.sort sorts items "   \
                "(listsort.c)")                                           \
    X(promoted_zero, "_promoted_zero(x, y): zero in NumPy's promotion of " \
                     "the dtypes of x and y (arrays or numbers)")         \
    X(permute_dims, "_permute_dims(a, axes): a view of a with its "       \
                    "dimensions in the order of axes")                    \
    X(broadcast_view, "_broadcast_view(a, shape): np.broadcast_to's "     \
                      "read-only view of a")                              \
    X(strided_view, "_strided_view(a, shape, strides): a view of a's "    \
                    "memory with that shape and those strides")           \
    X(data_address, "_data_address(a): the address of the array's first " \
                    "element, an integer")                                \
    X(sort_key, "_sort_key(x): a number as an integer whose unsigned "    \
                "order is its sort order")                                \
    X(refuse_integers, "_refuse_integers(name, a, b): the typing error "  \
                       "of a matrix product of integer arrays")           \
    X(expect, "_expect(x, what): the typing error of a library "        \
              "function's argument x that is not what it takes "        \
              "('matrix': a 2-d array, 'arrays': a tuple or list of "   \
              "arrays)")                                                \
    X(random_seed, "_random_seed(which, seed): seeds compiled code's "    \
                   "generator (0: np.random's, 1: the random module's)")  \
    X(random_u32, "_random_u32(which): the generator's next 32-bit word") \
    X(random_double, "_random_double(which): its next double in [0, 1)")  \
    X(random_gauss, "_random_gauss(which): its next standard normal")    \
    X(npgen_new, "_npgen_new(seed): np.random.default_rng(seed)")        \
    X(npgen_bitgen, "_npgen_bitgen(g): the address of the Generator's "  \
                    "bitgen_t, which the _npgen_next_* take for g")       \
    X(npgen_next_uint64, "_npgen_next_uint64(g): the Generator's next "   \
                         "64-bit word")                                   \
    X(npgen_next_uint32, "_npgen_next_uint32(g): its next 32-bit word")   \
    X(npgen_next_double, "_npgen_next_double(g): its next double in "     \
                         "[0, 1)")                                        \
    X(linalg, "_linalg(routine, *args): calls a BLAS or LAPACK routine "  \
              "(linalg.c)")                                               \
    X(holds_complex, "_holds_complex(a): whether the array's elements "   \
                     "(or a, not an array) are complex")                  \
    X(holds_strings, "_holds_strings(a): whether a is an array of "        \
                     "strings ('U' or 'S')")                              \
    X(real_zero, "_real_zero(a): zero in the real type of the array's "   \
                 "elements")                                              \
    X(casin, "_casin(z): the C library's casin of a complex number")     \
    X(cacos, "_cacos(z): the C library's cacos")                          \
    X(catan, "_catan(z): the C library's catan")                          \
    X(casinh, "_casinh(z): the C library's casinh")                       \
    X(cacosh, "_cacosh(z): the C library's cacosh")                       \
    X(catanh, "_catanh(z): the C library's catanh")                       \
    X(numpy_sort, "_numpy_sort(v): sorts v with NumPy's own quicksort "   \
                  "loop when it has one (np_sortloop.c)")                 \
    X(numpy_argsort, "_numpy_argsort(values, idx, stable): sorts idx by " \
                     "values with NumPy's own argsort loop")              \
    X(bin_index, "_bin_index(f, top): f clamped into [0, top] (NaN: 0) "  \
                 "and truncated to an integer")                           \
    X(ndindex, "_ndindex(shape): the iterator over the index tuples of "  \
               "shape, a tuple of integers, in C order (ndindex.c)")      \
    X(ndenumerate, "_ndenumerate(a): the iterator over (index, a[index]) " \
                   "of the array a, in C order")

static PyObject *
only_compiled(const char *name)
{
    PyErr_Format(PyExc_TypeError, "%s is only meaningful in compiled code",
                 name);
    return NULL;
}

#define X(NAME, DOC)                                                      \
    static PyObject *                                                     \
    core_##NAME(PyObject *Py_UNUSED(module), PyObject *Py_UNUSED(args))   \
    {                                                                     \
        return only_compiled("_" #NAME);                                  \
    }
PJ_INTRINSICS(X)
#undef X

static PyObject *
core_dict_type(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *key, *value;
    if (!PyArg_ParseTuple(args, "OO", &key, &value)) {
        return NULL;
    }
    return pj_dict_type_of(key, value);
}

static PyObject *
core_list_type(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *item;
    int reflected = 0, typed = 1;
    if (!PyArg_ParseTuple(args, "O|pp", &item, &typed, &reflected)) {
        return NULL;
    }
    return pj_list_type_of(item, typed ? PJ_LIST_TYPED
                                 : reflected ? PJ_LIST_REFLECTED : 0);
}

static PyObject *
core_register_typed_list(PyObject *Py_UNUSED(module), PyObject *cls)
{
    return pj_list_register_typed(cls);
}

/* Array(dtype, ndim, layout='A', readonly=False) */
static PyObject *
core_array_type(PyObject *Py_UNUSED(module), PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"dtype", "ndim", "layout", "readonly", NULL};
    PyObject *t;
    int ndim, readonly = 0;
    const char *layout = "A";
    if (!PyArg_ParseTupleAndKeywords(args, kw, "Oi|sp", kwlist, &t, &ndim,
                                     &layout, &readonly)) {
        return NULL;
    }
    if (!pj_type_check(t) || (!pj_type_is_number((PjType *)t)
                              && !pj_type_is_record((PjType *)t)
                              && !pj_type_is_datetime_like((PjType *)t)
                              && !pj_type_is_charseq((PjType *)t))) {
        PyErr_Format(PyExc_TypeError, "an array's dtype must be a number, "
                     "datetime64, timedelta64, record or string type, not "
                     "%R", t);
        return NULL;
    }
    if (ndim < 0 || ndim > PJ_MAX_NDIM) {
        PyErr_Format(PyExc_ValueError, "an array type has 0 to %d "
                     "dimensions, not %d", PJ_MAX_NDIM, ndim);
        return NULL;
    }
    if (strcmp(layout, "C") != 0 && strcmp(layout, "A") != 0
        && strcmp(layout, "F") != 0) {
        PyErr_Format(PyExc_ValueError, "array layout must be 'C', 'F' or "
                     "'A', not '%s'", layout);
        return NULL;
    }
    int flags = (layout[0] == 'C' ? PJ_LAYOUT_C
                 : layout[0] == 'F' ? PJ_LAYOUT_F : PJ_LAYOUT_A)
                | (readonly ? PJ_READONLY : 0);
    return Py_XNewRef((PyObject *)pj_type_array((PjType *)t, ndim, flags));
}

static PyObject *
core_arena_stats(PyObject *Py_UNUSED(module), PyObject *Py_UNUSED(unused))
{
    size_t arenas, bytes;
    pj_arena_stats(&arenas, &bytes);
    return Py_BuildValue("(nn)", (Py_ssize_t)arenas, (Py_ssize_t)bytes);
}

static PyObject *
core_fail_alloc_after(PyObject *Py_UNUSED(module), PyObject *arg)
{
    long n = PyLong_AsLong(arg);
    if (n == -1 && PyErr_Occurred()) {
        return NULL;
    }
    return PyLong_FromLong(pj_arena_fail_after(n));
}

static PyObject *
core_jit_started(PyObject *Py_UNUSED(module), PyObject *Py_UNUSED(unused))
{
    return PyBool_FromLong(pj_jit_ready());
}

static PyObject *
core_verify_llvm(PyObject *Py_UNUSED(module), PyObject *text)
{
    if (!PyUnicode_Check(text)) {
        PyErr_Format(PyExc_TypeError, "_verify_llvm takes IR text, not %R",
                     (PyObject *)Py_TYPE(text));
        return NULL;
    }
    if (pj_jit_verify_ir(text) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
core_host_info(PyObject *Py_UNUSED(module), PyObject *Py_UNUSED(unused))
{
    return pj_jit_host_info();
}

/* pyjit.config sets LLVM's optimization level at import. */
static PyObject *
core_set_opt_level(PyObject *Py_UNUSED(module), PyObject *arg)
{
    long level = PyLong_AsLong(arg);
    if (level == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (level < 0 || level > 3) {
        PyErr_Format(PyExc_ValueError, "the optimization level is 0 to 3, "
                     "not %ld", level);
        return NULL;
    }
    pj_state->opt_level = (int)level;
    Py_RETURN_NONE;
}

static PyObject *
core_after_fork_child(PyObject *Py_UNUSED(module),
                      PyObject *Py_UNUSED(unused))
{
    pj_compile_after_fork();
    Py_RETURN_NONE;
}

static PyObject *
core_digest(PyObject *Py_UNUSED(module), PyObject *const *args,
            Py_ssize_t nargs)
{
    return pj_cache_digest(args, nargs);
}

static PyObject *
core_function_digests(PyObject *Py_UNUSED(module), PyObject *const *args,
                      Py_ssize_t nargs)
{
    if (nargs != 3 || !PyUnicode_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "function_digests(func, "
                        "environment: str, text_of)");
        return NULL;
    }
    return pj_cache_function_digests(args[0], args[1], args[2]);
}

static PyObject *
core_build_id(PyObject *Py_UNUSED(module), PyObject *Py_UNUSED(unused))
{
    return pj_cache_build_id();
}

static PyObject *
core_cfunc_entry(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *disp, *argtypes;
    if (!PyArg_ParseTuple(args, "O!O!", pj_state->dispatcher_type, &disp,
                          &PyTuple_Type, &argtypes)) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(argtypes); i++) {
        if (!pj_type_check(PyTuple_GET_ITEM(argtypes, i))) {
            PyErr_SetString(PyExc_TypeError, "cfunc_entry takes a tuple "
                            "of pyjit types");
            return NULL;
        }
    }
    return pj_cfunc_entry(disp, argtypes);
}

static PyObject *
core_allocation_stats(PyObject *Py_UNUSED(self), PyObject *enable)
{
    int on = -1;
    if (enable != Py_None && (on = PyObject_IsTrue(enable)) < 0) {
        return NULL;
    }
    return pj_runtime_allocation_stats(on);
}

static PyMethodDef core_methods[] = {
    {"typeof", core_typeof, METH_O,
     "typeof(value)\n--\n\nThe pyjit type of a value."},
    {"unituple", core_unituple, METH_VARARGS, "UniTuple(type, count)"},
    {"tuple_of", core_tuple_of, METH_O, "Tuple(types)"},
    {"named_tuple", core_named_tuple, METH_VARARGS,
     "NamedTuple(types, cls)"},
    {"optional", core_optional, METH_O, "Optional(type)"},
    {"literal", core_literal, METH_O, "the Literal type of an int, bool or str, or None"},
    {"dict_type", core_dict_type, METH_VARARGS, "dict_type(key, value)"},
    {"list_type", core_list_type, METH_VARARGS,
     "list_type(item, typed=True, reflected=False)"},
    {"_register_typed_list", core_register_typed_list, METH_O,
     "pyjit.typed.List: its objects are typed lists"},
    {"_register_jitclass_base", pj_jitclass_register, METH_O,
     "pyjit._jitclass._Box: its subclasses' objects are jitclass "
     "instances"},
    {"jitclass_instance_type", pj_jitclass_instance_type, METH_O,
     "The instance type of a jitclass."},
#define X(NAME, DOC) {"_" #NAME, core_##NAME, METH_VARARGS, DOC},
    PJ_INTRINSICS(X)
#undef X
    {"array_type", (PyCFunction)(void (*)(void))core_array_type,
     METH_VARARGS | METH_KEYWORDS,
     "Array(dtype, ndim, layout='A', readonly=False)"},
    {"_arena_stats", core_arena_stats, METH_NOARGS,
     "(live arenas, bytes): for leak tests"},
    {"_fail_alloc_after", core_fail_alloc_after, METH_O,
     "make the n-th compile allocation from now fail (n < 0: never); "
     "returns what was left of the previous countdown"},
    {"_jit_started", core_jit_started, METH_NOARGS,
     "whether LLVM and the JIT have been initialized"},
    {"_verify_llvm", core_verify_llvm, METH_O,
     "check LLVM IR text as debug builds check each module before "
     "optimizing it (a stack slot outside an entry block is a "
     "SystemError)"},
    {"_set_overload_hooks", pj_extending_set_hooks, METH_VARARGS,
     "pyjit.extending's tables: (functions, templates, select, method)"},
    {"_parallel_configure", pj_parallel_configure, METH_O,
     "the number of threads prange regions use by default"},
    {"_parallel_set_threads", pj_parallel_set_threads, METH_O,
     "the calling thread's number of threads"},
    {"_parallel_get_threads", pj_parallel_get_threads, METH_NOARGS,
     "the calling thread's number of threads"},
    {"_parallel_set_chunksize", pj_parallel_set_chunksize, METH_O,
     "the calling thread's chunk size of prange loops; the previous one"},
    {"_parallel_get_chunksize", pj_parallel_get_chunksize, METH_NOARGS,
     "the calling thread's chunk size of prange loops"},
    {"_parallel_get_thread_id", pj_parallel_get_thread_id, METH_NOARGS,
     "the calling thread's number in the region running it"},
    {"_parallel_layer_used", pj_parallel_layer_used, METH_NOARGS,
     "whether a region has forked threads in this process"},
    {"host_info", core_host_info, METH_NOARGS,
     "(triple, cpu, features, LLVM version) that compiled code targets"},
    {"_allocation_stats", core_allocation_stats, METH_O,
     "(enabled, blocks made, blocks freed); True/False switches the "
     "counting on/off, None leaves it"},
    {"_set_opt_level", core_set_opt_level, METH_O,
     "LLVM's optimization level for the compiles to come, 0 to 3"},
    {"_after_fork_child", core_after_fork_child, METH_NOARGS,
     "os.register_at_fork's after_in_child: frees the compile lock of "
     "threads the child does not have"},
    {"digest", (PyCFunction)(void (*)(void))core_digest, METH_FASTCALL,
     "digest(*parts)\n--\n\n32 hex digits of the BLAKE3 hash of str and "
     "bytes parts (the cache's keys)"},
    {"function_digests",
     (PyCFunction)(void (*)(void))core_function_digests, METH_FASTCALL,
     "function_digests(func, environment, text_of)\n--\n\n(own, reads) "
     "digests of what a jitted function compiles from, or None without "
     "source text (the cache's keys)"},
    {"cfunc_entry", core_cfunc_entry, METH_VARARGS,
     "cfunc_entry(dispatcher, argtypes)\n--\n\n(address, symbol name) of "
     "the C entry of a compiled specialization (pyjit.cfunc)"},
    {"build_id", core_build_id, METH_NOARGS,
     "which build of this extension runs (its GNU build id)"},
    {NULL},
};

/* --- module init --- */

static unsigned
parse_dump(const char *spec)
{
    static const struct {
        const char *name;
        unsigned bit;
    } table[] = {
        {"ir", PJ_DUMP_IR}, {"typed", PJ_DUMP_TYPED}, {"llvm", PJ_DUMP_LLVM},
        {"opt", PJ_DUMP_OPT}, {"asm", PJ_DUMP_ASM},
    };
    unsigned bits = 0;
    while (spec != NULL && *spec) {
        size_t n = strcspn(spec, ",");
        for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
            if (strlen(table[i].name) == n
                && strncmp(spec, table[i].name, n) == 0) {
                bits |= table[i].bit;
            }
        }
        spec += n + (spec[n] == ',');
    }
    return bits;
}

static PyObject *
error_class(PyObject *errors, const char *name)
{
    return PyObject_GetAttrString(errors, name);
}

/* A child forked while another thread compiles must be able to compile:
   os.fork (and multiprocessing's 'fork') runs the handler in the child. */
static int
register_at_fork(PyObject *module)
{
    PyObject *os = PyImport_ImportModule("os");
    PyObject *reg = os ? PyObject_GetAttrString(os, "register_at_fork")
                       : NULL;
    PyObject *handler = reg ? PyObject_GetAttrString(module,
                                                     "_after_fork_child")
                            : NULL;
    PyObject *args = handler ? PyTuple_New(0) : NULL;
    PyObject *kw = args ? Py_BuildValue("{s:O}", "after_in_child", handler)
                        : NULL;
    PyObject *r = kw ? PyObject_Call(reg, args, kw) : NULL;
    Py_XDECREF(os);
    Py_XDECREF(reg);
    Py_XDECREF(handler);
    Py_XDECREF(args);
    Py_XDECREF(kw);
    Py_XDECREF(r);
    return r ? 0 : -1;
}

static int
core_exec(PyObject *module)
{
    if (pj_state != NULL) {
        PyErr_SetString(PyExc_ImportError, "pyjit._core can be loaded once "
                                           "per process");
        return -1;
    }
    if (_import_array() < 0) {
        return -1;
    }
    static PjState state;
    pj_state = &state;
    state.module = module;
    state.dump = parse_dump(getenv("PYJIT_DUMP"));
    state.opt_level = 3;
    state.objmode_blocks = PyList_New(0);
    if (state.objmode_blocks == NULL) {
        goto error;
    }
    PyObject *errors = PyImport_ImportModule("pyjit.errors");
    if (errors == NULL) {
        goto error;
    }
    state.typing_error = error_class(errors, "TypingError");
    state.unsupported_error = error_class(errors, "UnsupportedError");
    state.lowering_error = error_class(errors, "LoweringError");
    Py_DECREF(errors);
    if (state.typing_error == NULL || state.unsupported_error == NULL
        || state.lowering_error == NULL || pj_types_init(module) < 0
        || pj_typeof_init() < 0 || pj_dispatcher_init_type(module) < 0
        || pj_kinds_init() < 0 || pj_runtime_init(module) < 0
        || pj_np_sortloop_init() < 0
        || pj_ufunc_build_init(module) < 0 || register_at_fork(module) < 0) {
        goto error;
    }
    state.stable_typecodes = PyList_GET_SIZE(state.types_by_code);
    return 0;
error:
    pj_state = NULL;
    return -1;
}

static PyModuleDef_Slot core_slots[] = {
    {Py_mod_exec, core_exec},
    {0, NULL},
};

static struct PyModuleDef core_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "pyjit._core",
    .m_doc = "The pyjit compiler: dispatcher, frontend, inference, "
             "lowering and JIT.",
    .m_size = 0,
    .m_methods = core_methods,
    .m_slots = core_slots,
};

PyMODINIT_FUNC
PyInit__core(void)
{
    return PyModuleDef_Init(&core_module);
}
