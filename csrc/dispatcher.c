/*
** dispatcher.c - the Dispatcher type: what @jit returns.
**
** Calling a dispatcher types each argument into a typecode (unboxing
** scalars in the same step), finds the specialization for that row of
** typecodes and calls its wrapper.  The fast path, taken when the call
** passes exactly the parameters positionally, builds no tuple and does
** not allocate: typecodes and values live on the stack, a one-entry
** last-hit cache answers repeated calls, a hash table keyed by the
** typecodes answers the rest.  Everything else (keywords, defaults,
** *args, many arguments, a miss that compiles) goes through the slow path.
**
** With explicit signatures the dispatcher compiles them eagerly and then
** only matches calls against them, converting arguments where Numba's
** casting rules allow; a call that matches none raises TypeError.
*/
#include "pyjit.h"

#include <structmember.h>
#include <stdio.h>
#include <string.h>

/* One row of the dispatch table: typecodes -> specialization. */
typedef struct Entry {
    PjOverload *ov;
    bool convert;               /* scalars must be converted to ov's sig */
    int n;
    int codes[];
} Entry;

typedef struct {
    PyObject_HEAD
    vectorcallfunc vectorcall;
    PjFuncInfo info;
    PjOptions opts;
    PyObject *dict;
    PyObject *weakreflist;
    bool disabled;              /* PYJIT_DISABLE_JIT: run the Python code */
    bool can_compile;           /* false once explicit signatures exist */
    bool fast;                  /* calls with exactly nparams positionals */
    int nparams;                /* native parameters */
    PjParams params;            /* for binding calls to them */
    PjOverload **overloads;
    int noverloads, capoverloads;
    Entry **table;
    int tablecap, tablelen;
    Entry *last;
    PyObject *cache_hits;       /* collections.Counter: signature -> */
    PyObject *cache_misses;     /* loads, compiles; made on first use */
    PjType *value_type;         /* its type as a value (functions.c) */
    uint64_t literal_params;    /* typed by their values: literally() asked
                                   for them (literal.c) */
} Dispatcher;

#define Dispatcher_CAST(op) ((Dispatcher *)(op))

/* --- the dispatch table --- */

static uint64_t
hash_codes(const int *codes, int n)
{
    return pj_hash_bytes(codes, sizeof(int) * (size_t)n, 0);
}

static Entry *
table_find(Dispatcher *d, const int *codes, int n)
{
    if (d->tablecap == 0) {
        return NULL;
    }
    int mask = d->tablecap - 1;
    for (int i = (int)(hash_codes(codes, n) & (uint64_t)mask);;
         i = (i + 1) & mask) {
        Entry *e = d->table[i];
        if (e == NULL) {
            return NULL;
        }
        if (e->n == n && memcmp(e->codes, codes, sizeof(int) * (size_t)n)
                         == 0) {
            return e;
        }
    }
}

static void
table_place(Entry **table, int cap, Entry *e)
{
    int mask = cap - 1;
    int i = (int)(hash_codes(e->codes, e->n) & (uint64_t)mask);
    while (table[i] != NULL) {
        i = (i + 1) & mask;
    }
    table[i] = e;
}

static int
table_grow(Dispatcher *d)
{
    int cap = d->tablecap ? d->tablecap * 2 : 8;
    Entry **t = PyMem_Calloc((size_t)cap, sizeof(Entry *));
    if (t == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (int i = 0; i < d->tablecap; i++) {
        if (d->table[i] != NULL) {
            table_place(t, cap, d->table[i]);
        }
    }
    PyMem_Free(d->table);
    d->table = t;
    d->tablecap = cap;
    return 0;
}

static Entry *
table_add(Dispatcher *d, const int *codes, int n, PjOverload *ov,
          bool convert)
{
    Entry *old = table_find(d, codes, n);
    if (old != NULL) {
        return old;             /* another thread added it meanwhile */
    }
    if ((d->tablelen + 1) * 2 > d->tablecap && table_grow(d) < 0) {
        return NULL;
    }
    Entry *e = PyMem_Malloc(sizeof(Entry) + sizeof(int) * (size_t)n);
    if (e == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    e->ov = ov;
    e->convert = convert;
    e->n = n;
    memcpy(e->codes, codes, sizeof(int) * (size_t)n);
    table_place(d->table, d->tablecap, e);
    d->tablelen++;
    return e;
}

static void
table_clear(Dispatcher *d)
{
    for (int i = 0; i < d->tablecap; i++) {
        PyMem_Free(d->table[i]);
    }
    PyMem_Free(d->table);
    d->table = NULL;
    d->tablecap = d->tablelen = 0;
    d->last = NULL;
}

/* --- overloads, for the compiler --- */

static PyObject *
new_counter(void)
{
    PyObject *collections = PyImport_ImportModule("collections");
    PyObject *counter = collections
        ? PyObject_CallMethod(collections, "Counter", NULL) : NULL;
    Py_XDECREF(collections);
    return counter;
}

/* How calls bind to the function's parameters. */
const PjParams *
pj_dispatcher_params(PyObject *disp)
{
    return &Dispatcher_CAST(disp)->params;
}

bool
pj_dispatcher_check(PyObject *obj)
{
    return pj_state != NULL && Py_IS_TYPE(obj, pj_state->dispatcher_type);
}

/* Where the dispatcher's type as a value is kept: the type refers to the
   dispatcher without holding it, and forgets it when it goes. */
PjType **
pj_dispatcher_value_type(PyObject *disp)
{
    return &Dispatcher_CAST(disp)->value_type;
}

PjFuncInfo *
pj_dispatcher_info(PyObject *disp)
{
    return &Dispatcher_CAST(disp)->info;
}

PjOptions *
pj_dispatcher_options(PyObject *disp)
{
    return &Dispatcher_CAST(disp)->opts;
}

bool
pj_dispatcher_can_compile(PyObject *disp)
{
    return Dispatcher_CAST(disp)->can_compile;
}

/* The nopython (or with `objmode`, the object-mode) specialization for
   exactly these types, or NULL. */
PjOverload *
pj_dispatcher_find_kind(PyObject *disp, PjType **argtys, int n, bool objmode)
{
    Dispatcher *d = Dispatcher_CAST(disp);
    for (int i = 0; i < d->noverloads; i++) {
        PjOverload *ov = d->overloads[i];
        bool same = PyTuple_GET_SIZE(ov->sig) == n
                    && (ov->objmode != NULL) == objmode;
        for (int k = 0; same && k < n; k++) {
            same = ov->codes[k] == argtys[k]->code;
        }
        if (same) {
            return ov;
        }
    }
    return NULL;
}

/* Drops a specialization (one whose code calls a function whose compile
   then failed); the dispatch table is a cache and is rebuilt on demand. */
void
pj_dispatcher_remove(PyObject *disp, PjOverload *ov)
{
    Dispatcher *d = Dispatcher_CAST(disp);
    for (int i = 0; i < d->noverloads; i++) {
        if (d->overloads[i] == ov) {
            memmove(&d->overloads[i], &d->overloads[i + 1],
                    sizeof(PjOverload *) * (size_t)(d->noverloads - i - 1));
            d->noverloads--;
            table_clear(d);
            pj_overload_free(ov);
            return;
        }
    }
}

int
pj_dispatcher_add(PyObject *disp, PjOverload *ov)
{
    Dispatcher *d = Dispatcher_CAST(disp);
    if (d->noverloads == d->capoverloads) {
        int cap = d->capoverloads ? d->capoverloads * 2 : 4;
        PjOverload **p = PyMem_Realloc(d->overloads,
                                       sizeof(PjOverload *) * (size_t)cap);
        if (p == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        d->overloads = p;
        d->capoverloads = cap;
    }
    d->overloads[d->noverloads++] = ov;
    return 0;
}

/* stats: one more load from the cache (`hit`) or compile of these
   argument types, counted per signature as Numba's Dispatcher.stats do.
   A compile counts when it starts, whether or not it succeeds. */
int
pj_dispatcher_count(PyObject *disp, PjType **argtys, int n, bool hit)
{
    Dispatcher *d = Dispatcher_CAST(disp);
    PyObject **counter = hit ? &d->cache_hits : &d->cache_misses;
    if (*counter == NULL) {
        *counter = new_counter();
    }
    PyObject *sig = *counter ? PyTuple_New(n) : NULL;
    for (int i = 0; sig != NULL && i < n; i++) {
        PyTuple_SET_ITEM(sig, i, Py_NewRef((PyObject *)argtys[i]));
    }
    PyObject *old = sig ? PyDict_GetItemWithError(*counter, sig) : NULL;
    PyObject *count = sig && !PyErr_Occurred()
        ? PyLong_FromLong(old ? PyLong_AsLong(old) + 1 : 1) : NULL;
    int rc = count ? PyDict_SetItem(*counter, sig, count) : -1;
    Py_XDECREF(count);
    Py_XDECREF(sig);
    return rc;
}

/* --- what the compiler needs to know about the function --- */

/* Finds the function's source and AST (pyjit/_source.py), once. */
int
pj_dispatcher_ensure_info(PyObject *disp)
{
    PjFuncInfo *info = &Dispatcher_CAST(disp)->info;
    if (info->node != NULL) {
        return 0;
    }
    if (pj_import_once(&pj_state->source_module, "pyjit._source") == NULL) {
        return -1;
    }
    PyObject *res = PyObject_CallMethod(pj_state->source_module,
                                        "function_info", "O", info->func);
    if (res == NULL) {
        return -1;
    }
    PyObject *filename, *lines, *node;
    int first, last;
    if (!PyArg_ParseTuple(res, "UO!Oii", &filename, &PyList_Type, &lines,
                          &node, &first, &last)) {
        Py_DECREF(res);
        return -1;
    }
    info->filename = Py_NewRef(filename);
    info->lines = Py_NewRef(lines);
    info->node = Py_NewRef(node);
    info->first_line = first;
    info->last_line = last;
    Py_DECREF(res);
    return 0;
}

static int
fill_info(PjFuncInfo *info, PyObject *func)
{
    PyCodeObject *code = (PyCodeObject *)PyFunction_GET_CODE(func);
    info->func = Py_NewRef(func);
    info->code = Py_NewRef((PyObject *)code);
    info->globals = Py_NewRef(PyFunction_GET_GLOBALS(func));
    info->closure = Py_XNewRef(PyFunction_GET_CLOSURE(func));
    info->defaults = Py_XNewRef(PyFunction_GET_DEFAULTS(func));
    info->kwdefaults = Py_XNewRef(PyFunction_GET_KW_DEFAULTS(func));
    info->name = PyObject_GetAttrString(func, "__name__");
    info->qualname = PyObject_GetAttrString(func, "__qualname__");
    info->module_name = PyObject_GetAttrString(func, "__module__");
    info->argcount = code->co_argcount;
    info->posonlycount = code->co_posonlyargcount;
    info->kwonlycount = code->co_kwonlyargcount;
    info->has_varargs = (code->co_flags & CO_VARARGS) != 0;
    info->has_varkw = (code->co_flags & CO_VARKEYWORDS) != 0;
    if (info->name == NULL || info->qualname == NULL
        || info->module_name == NULL) {
        return -1;
    }
    if (!PyUnicode_Check(info->module_name)) {
        Py_SETREF(info->module_name, PyUnicode_FromString("<unknown>"));
    }
    return 0;
}

#define INFO_OBJECTS(X, info)                                        \
    X((info)->func) X((info)->code) X((info)->globals)               \
    X((info)->closure) X((info)->defaults) X((info)->kwdefaults)     \
    X((info)->name) X((info)->qualname) X((info)->module_name)       \
    X((info)->filename) X((info)->lines) X((info)->node)

/* --- the slow path: binding arguments --- */

static PyObject *
default_of(Dispatcher *d, int i)
{
    return pj_params_default(&d->params, i);
}

/* The **kwargs dict of the keyword arguments extra[0..n) (a new
   reference). */
static PyObject *
collect_keywords(PyObject *const *args, PyObject *kwnames, const int *extra,
                 int n, Py_ssize_t nargs)
{
    PyObject *d = PyDict_New();
    for (int k = 0; d != NULL && k < n; k++) {
        Py_ssize_t j = extra[k] - nargs;
        if (PyDict_SetItem(d, PyTuple_GET_ITEM(kwnames, j),
                           args[extra[k]]) < 0) {
            Py_CLEAR(d);
        }
    }
    return d;
}

/* The *args tuple of the arguments the binding sends there (a new
   reference). */
static PyObject *
collect_varargs(PyObject *const *args, const PjBinding *b)
{
    PyObject *t = PyTuple_New(b->nvarargs);
    for (int k = 0; t != NULL && k < b->nvarargs; k++) {
        PyTuple_SET_ITEM(t, k, Py_NewRef(args[b->vararg_first + k]));
    }
    return t;
}

/* Lays the call's arguments out as the native parameters: positional,
   keyword-only, the *args tuple, then the **kwargs dict (new references in
   rest[0] and rest[1]).  Binding is CPython's, with its messages. */
static int
bind_call(Dispatcher *d, PyObject *const *args, Py_ssize_t nargs,
          PyObject *kwnames, PyObject **full, PyObject *rest[2])
{
    PjFuncInfo *info = &d->info;
    Py_ssize_t nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
    rest[0] = rest[1] = NULL;
    if (nargs + nkw > PJ_MAX_ARGS) {
        PyErr_Format(PyExc_TypeError, "%U() takes at most %d arguments "
                     "from pyjit", info->name, PJ_MAX_ARGS);
        return -1;
    }
    int arg[PJ_MAX_ARGS + 1], extra[PJ_MAX_ARGS + 1];
    PjBinding b = {.arg = arg, .extra = extra};
    char why[512];
    if (pj_bind(&d->params, (int)nargs, kwnames, &b, why, sizeof(why)) < 0) {
        PyErr_Format(PyExc_TypeError, "%U() %s", info->name, why);
        return -1;
    }
    int n = pj_params_count(&d->params);
    for (int i = 0; i < n; i++) {
        full[i] = b.arg[i] >= 0 ? args[b.arg[i]] : default_of(d, i);
    }
    if (info->has_varargs) {
        full[n++] = rest[0] = collect_varargs(args, &b);
        if (rest[0] == NULL) {
            return -1;
        }
    }
    if (info->has_varkw) {
        full[n] = rest[1] = collect_keywords(args, kwnames, b.extra,
                                             b.nextra, nargs);
        if (rest[1] == NULL) {
            return -1;
        }
    }
    return 0;
}

/* --- compiling or matching on a miss --- */

/* The argument types, and why an argument has none when there is a
   reason (a masked array, an int beyond 64 bits). */
static PyObject *
type_names(PyObject *const *args, const int *codes, int n)
{
    PjBuf b;
    pj_buf_init(&b);
    for (int i = 0; i < n; i++) {
        pj_buf_printf(&b, "%s%s", i ? ", " : "",
                      pj_type_str(pj_type_from_code(codes[i])));
    }
    for (int i = 0; i < n; i++) {
        const char *why = codes[i] == pj_t.pyobject->code
                          ? pj_typeof_why_not(args[i]) : NULL;
        PyObject *cls = why ? PyObject_Repr((PyObject *)Py_TYPE(args[i]))
                            : NULL;
        if (cls != NULL) {
            pj_buf_printf(&b, "\n- argument %d: cannot determine pyjit "
                          "type of %s: %s", i, PyUnicode_AsUTF8(cls), why);
            Py_DECREF(cls);
        }
    }
    return pj_buf_to_str(&b);
}

/* How the arguments convert to one explicit signature, as Numba's
   dispatcher rates it: how many conversions are unsafe, safe and
   promotions (pj_type_conversion_cost 4, 2 and 1); fewer unsafe ones
   is better, then fewer safe ones, then fewer promotions. */
typedef struct {
    int unsafe, safe, promote;
} Rating;

/* False if some argument does not convert. */
static bool
rate_signature(const PjOverload *ov, PjType **argtys, int n, Rating *r)
{
    *r = (Rating){0, 0, 0};
    if (PyTuple_GET_SIZE(ov->sig) != n) {
        return false;
    }
    for (int k = 0; k < n; k++) {
        switch (pj_type_conversion_cost(argtys[k],
                                        pj_type_from_code(ov->codes[k]))) {
        case 0: break;
        case 1: r->promote++; break;
        case 2: r->safe++; break;
        case 4: r->unsafe++; break;
        default: return false;
        }
    }
    return true;
}

static int
compare_ratings(const Rating *a, const Rating *b)
{
    if (a->unsafe != b->unsafe) {
        return a->unsafe < b->unsafe ? -1 : 1;
    }
    if (a->safe != b->safe) {
        return a->safe < b->safe ? -1 : 1;
    }
    return (a->promote > b->promote) - (a->promote < b->promote);
}

/* The best rated of the explicit signatures (*best its rating), the
   first of them when several tie (*ties says how many), or NULL. */
static PjOverload *
best_match(Dispatcher *d, PjType **argtys, int n, Rating *best, int *ties)
{
    PjOverload *found = NULL;
    Rating r;
    *ties = 0;
    for (int i = 0; i < d->noverloads; i++) {
        PjOverload *ov = d->overloads[i];
        if (!rate_signature(ov, argtys, n, &r)) {
            continue;
        }
        int cmp = found ? compare_ratings(&r, best) : -1;
        if (cmp < 0) {
            found = ov;
            *best = r;
            *ties = 1;
        }
        else if (cmp == 0) {
            ++*ties;
        }
    }
    return found;
}

/* With explicit signatures: the specialization these argument types
   convert to best, or NULL.  A call from compiled code takes the first of
   several that tie, as Numba's typing does. */
PjOverload *
pj_dispatcher_match(PyObject *disp, PjType **argtys, int n)
{
    Rating best;
    int ties;
    return best_match(Dispatcher_CAST(disp), argtys, n, &best, &ties);
}

/* A call from Python whose arguments convert equally well to several
   explicit signatures: Numba's dispatcher refuses it, naming them. */
static void
raise_ambiguous(Dispatcher *d, PjType **argtys, int n, const Rating *best)
{
    PyObject *args = PyTuple_New(n);
    if (args == NULL) {
        return;
    }
    for (int k = 0; k < n; k++) {
        PyTuple_SET_ITEM(args, k, Py_NewRef((PyObject *)argtys[k]));
    }
    PyObject *msg = PyUnicode_FromFormat("Ambiguous overloading for %R %S:",
                                         d->info.func, args);
    Py_DECREF(args);
    for (int i = 0; msg != NULL && i < d->noverloads; i++) {
        PjOverload *ov = d->overloads[i];
        Rating r;
        if (!rate_signature(ov, argtys, n, &r)
            || compare_ratings(&r, best) != 0) {
            continue;
        }
        PyObject *sig = pj_type_make_signature(ov->restype, ov->sig);
        PyObject *longer = sig ? PyUnicode_FromFormat("%U\n%S", msg, sig)
                               : NULL;
        Py_XDECREF(sig);
        Py_SETREF(msg, longer);
    }
    if (msg != NULL) {
        PyErr_SetObject(PyExc_TypeError, msg);
        Py_DECREF(msg);
    }
}

static PjOverload *make_specialization(Dispatcher *d, PjType **argtys,
                                       int n, PjType *declared_ret,
                                       PyObject *const *args,
                                       const bool *untypable);

/* The compile of a call from Python failed because literally() asked for
   the values of the parameters in request: from now on the dispatcher
   types those arguments by their values (literal_code), and the call is
   compiled for them.  An argument whose value has no Literal type, or
   that is one already, is a typing error. */
static PjOverload *
compile_literal(Dispatcher *d, PjType **argtys, int n, PjType *declared_ret,
                PyObject *const *args, const bool *untypable,
                uint64_t request)
{
    PjType *lit[PJ_MAX_ARGS];
    PyErr_Clear();              /* the compile's error: answered here */
    for (int i = 0; i < n; i++) {
        lit[i] = argtys[i];
        if (i >= 64 || !(request >> i & 1)) {
            continue;
        }
        if (pj_type_is_literal(argtys[i])) {
            PyErr_Format(pj_state->typing_error, "Repeated literal typing "
                         "request: argument %d of %U is already %s", i,
                         d->info.qualname, pj_type_str(argtys[i]));
            return NULL;
        }
        lit[i] = pj_type_literal(args[i]);
        if (lit[i] == NULL) {
            PyErr_Format(pj_state->typing_error, "%U asks for the value of "
                         "argument %d with literally(), and %R (%s) has no "
                         "Literal type: an int, a bool or a str has one",
                         d->info.qualname, i, args[i],
                         Py_TYPE(args[i])->tp_name);
            return NULL;
        }
    }
    d->literal_params |= request;
    PjOverload *ov = pj_dispatcher_find((PyObject *)d, lit, n);
    return ov ? ov : make_specialization(d, lit, n, declared_ret, args,
                                         untypable);
}

/* The typecode of an argument the dispatcher types by its value: its
   Literal type's when it has one. */
static int
literal_code(PyObject *arg, int code)
{
    PjType *t = pj_type_literal(arg);
    PyErr_Clear();
    return t ? t->code : code;
}

/* The typecodes of the arguments typed by their values, in place. */
static void
literal_codes(Dispatcher *d, PyObject *const *args, int *codes, int n)
{
    for (int i = 0; i < n && i < 64; i++) {
        if (d->literal_params >> i & 1) {
            codes[i] = literal_code(args[i], codes[i]);
        }
    }
}

/* A new specialization for these argument types: from the cache, freshly
   compiled, or in object mode when nopython compilation fails. */
static PjOverload *
make_specialization(Dispatcher *d, PjType **argtys, int n,
                    PjType *declared_ret, PyObject *const *args,
                    const bool *untypable)
{
    PyObject *self = (PyObject *)d;
    PjOverload *ov = NULL;
    if (d->opts.cache && !d->opts.forceobj) {
        ov = pj_cache_load(self, argtys, n, declared_ret);
        if (ov != NULL) {
            return pj_dispatcher_count(self, argtys, n, true) < 0 ? NULL
                                                                  : ov;
        }
        if (PyErr_Occurred()) {
            return NULL;
        }
    }
    if (pj_dispatcher_count(self, argtys, n, false) < 0) {
        return NULL;
    }
    if (d->opts.forceobj) {
        return pj_objmode_compile(self, argtys, n);
    }
    ov = pj_compile(self, argtys, n, declared_ret, args, untypable);
    uint64_t request = ov == NULL ? pj_compile_take_literal_request() : 0;
    if (request != 0 && args != NULL) {
        return compile_literal(d, argtys, n, declared_ret, args, untypable,
                               request);
    }
    if (ov != NULL && d->opts.cache) {
        pj_cache_save(self, ov, declared_ret);
    }
    if (ov == NULL && pj_objmode_applies(&d->opts)) {
        ov = pj_objmode_compile(self, argtys, n);
    }
    return ov;
}

/* The specialization for these argument types, made unless it exists:
   another function's compile may have compiled it as a callee, or another
   thread while this one waited for the compile lock.  Under the lock, the
   stats count each compile once. */
static PjOverload *
specialize(Dispatcher *d, PjType **argtys, int n, PjType *declared_ret,
           PyObject *const *args, const bool *untypable)
{
    PyObject *self = (PyObject *)d;
    if (pj_compile_lock() < 0) {
        return NULL;
    }
    PjOverload *ov = pj_dispatcher_find(self, argtys, n);
    if (ov == NULL && pj_objmode_applies(&d->opts)) {
        ov = pj_dispatcher_find_kind(self, argtys, n, true);
    }
    if (ov == NULL) {
        ov = make_specialization(d, argtys, n, declared_ret, args,
                                 untypable);
    }
    pj_compile_unlock();
    return ov;
}

static Entry *
compile_for(Dispatcher *d, PyObject *const *args, const int *codes, int n)
{
    PjType *argtys[PJ_MAX_ARGS];
    bool untypable[PJ_MAX_ARGS];
    for (int i = 0; i < n; i++) {
        argtys[i] = pj_type_from_code(codes[i]);
        untypable[i] = false;
        if (argtys[i] == pj_t.pyobject
            && pj_typeof_value(args[i], &untypable[i]) == NULL) {
            return NULL;
        }
    }
    if (d->info.has_varkw) {
        untypable[n - 1] = false;   /* the **kwargs dict is not the cause */
    }
    PjOverload *ov = specialize(d, argtys, n, NULL, args, untypable);
    if (ov == NULL) {
        return NULL;
    }
    if (d->literal_params != 0) {
        /* compiled for the values: the entry's key is theirs */
        int own[PJ_MAX_ARGS];
        memcpy(own, codes, sizeof(int) * (size_t)n);
        literal_codes(d, args, own, n);
        return table_add(d, own, n, ov, false);
    }
    return table_add(d, codes, n, ov, false);
}

/* No entry for these typecodes: compile a specialization, or with
   explicit signatures find one the arguments convert to. */
static Entry *
resolve_miss(Dispatcher *d, PyObject *const *args, const int *codes, int n)
{
    if (d->can_compile) {
        return compile_for(d, args, codes, n);
    }
    PjType *argtys[PJ_MAX_ARGS];
    for (int i = 0; i < n; i++) {
        argtys[i] = pj_type_from_code(codes[i]);
    }
    Rating best;
    int ties;
    PjOverload *ov = best_match(d, argtys, n, &best, &ties);
    if (ties > 1) {
        raise_ambiguous(d, argtys, n, &best);
        return NULL;
    }
    if (ov == NULL) {
        PyObject *names = type_names(args, codes, n);
        if (names != NULL) {
            PyErr_Format(PyExc_TypeError, "No matching definition for "
                         "argument type(s) %U", names);
            Py_DECREF(names);
        }
        return NULL;
    }
    bool convert = memcmp(ov->codes, codes, sizeof(int) * (size_t)n) != 0;
    return table_add(d, codes, n, ov, convert);
}

static Entry *
find_entry(Dispatcher *d, PyObject *const *args, const int *codes, int n)
{
    Entry *e = table_find(d, codes, n);
    if (e == NULL) {
        e = resolve_miss(d, args, codes, n);
        if (e == NULL) {
            return NULL;
        }
    }
    d->last = e;
    return e;
}

/* Makes sure ov's wrapper is in the JIT and ov->entry set: a callee's
   object is made on its first call from Python (pj_jit_emit_later); a
   specialization whose code called functions that were still compiling
   (mutual recursion) is linked on its first call, when they all are in
   the JIT. */
int
pj_overload_entry(PjOverload *ov)
{
    if (ov->entry != NULL) {
        return 0;
    }
    char *name = PyMem_Malloc(strlen(ov->native_name) + 9);
    if (name == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    sprintf(name, "cpython.%s", ov->native_name);
    ov->entry = (PjEntry)(ov->later ? pj_jit_emit_later(ov->bitcode, name)
                                    : pj_jit_lookup(name));
    ov->later &= ov->entry == NULL;
    PyMem_Free(name);
    return ov->entry == NULL ? -1 : 0;
}

static PyObject *
call_entry(Entry *e, PyObject *const *args, PjValue *vals)
{
    PjOverload *ov = e->ov;
    if (ov->objmode_call != NULL) {
        return PyObject_Vectorcall(ov->objmode_call, args, (size_t)e->n,
                                   NULL);
    }
    if (e->convert) {
        for (int i = 0; i < e->n; i++) {
            if (e->codes[i] != ov->codes[i]
                && pj_value_convert(&vals[i], pj_type_from_code(e->codes[i]),
                                    pj_type_from_code(ov->codes[i])) < 0) {
                return NULL;
            }
        }
    }
    if (ov->entry == NULL && pj_overload_entry(ov) < 0) {
        return NULL;
    }
    return ov->entry(args, vals);
}

/* Types, finds and calls for a full argument row; any length. */
static PyObject *
call_bound(Dispatcher *d, PyObject *const *full, int n)
{
    int small_codes[PJ_SMALL_ARGS];
    PjValue small_vals[PJ_SMALL_ARGS];
    int *codes = small_codes;
    PjValue *vals = small_vals;
    if (n > PJ_SMALL_ARGS) {
        codes = PyMem_Malloc(sizeof(int) * (size_t)n);
        vals = PyMem_Malloc(sizeof(PjValue) * (size_t)n);
        if (codes == NULL || vals == NULL) {
            PyMem_Free(codes);
            PyMem_Free(vals);
            return PyErr_NoMemory();
        }
    }
    PyObject *res = NULL;
    int i = 0;
    for (; i < n && (codes[i] = pj_typeof_arg(full[i], &vals[i])) >= 0; i++) {
    }
    if (i == n && d->literal_params != 0) {
        literal_codes(d, full, codes, n);
    }
    if (i == n) {
        Entry *e = find_entry(d, full, codes, n);
        res = e ? call_entry(e, full, vals) : NULL;
    }
    if (codes != small_codes) {
        PyMem_Free(codes);
        PyMem_Free(vals);
    }
    return res;
}

static PyObject *
call_slow(Dispatcher *d, PyObject *const *args, Py_ssize_t nargs,
          PyObject *kwnames)
{
    if (d->nparams > PJ_MAX_ARGS) {
        PyErr_Format(PyExc_TypeError, "%U() has too many parameters for "
                     "pyjit (at most %d)", d->info.name, PJ_MAX_ARGS);
        return NULL;
    }
    PyObject *full[PJ_MAX_ARGS + 1] = {NULL};
    PyObject *rest[2];
    PyObject *res = NULL;
    if (bind_call(d, args, nargs, kwnames, full, rest) == 0) {
        res = call_bound(d, full, d->nparams);
    }
    Py_XDECREF(rest[0]);
    Py_XDECREF(rest[1]);
    return res;
}

/* A call from Python the compiled code does not take: PYJIT_DISABLE_JIT
   runs the Python function; no_cpython_wrapper=True makes a function for
   jitted callers only. */
static PyObject *
call_python_side(Dispatcher *d, PyObject *const *args, size_t nargsf,
                 PyObject *kwnames)
{
    if (d->disabled) {
        return PyObject_Vectorcall(d->info.func, args, nargsf, kwnames);
    }
    PyErr_Format(PyExc_TypeError, "%U was compiled with "
                 "no_cpython_wrapper=True: it can be called from jitted "
                 "functions only", d->info.qualname);
    return NULL;
}

static PyObject *
dispatcher_vectorcall(PyObject *self, PyObject *const *args, size_t nargsf,
                      PyObject *kwnames)
{
    Dispatcher *d = Dispatcher_CAST(self);
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    if (d->disabled || d->opts.no_cpython_wrapper) {
        return call_python_side(d, args, nargsf, kwnames);
    }
    if (kwnames != NULL || nargs != d->nparams || !d->fast) {
        return call_slow(d, args, nargs, kwnames);
    }
    int codes[PJ_SMALL_ARGS];
    PjValue vals[PJ_SMALL_ARGS];
    for (Py_ssize_t i = 0; i < nargs; i++) {
        codes[i] = pj_typeof_arg(args[i], &vals[i]);
        if (codes[i] < 0) {
            return NULL;
        }
    }
    if (d->literal_params != 0) {
        literal_codes(d, args, codes, (int)nargs);
    }
    Entry *e = d->last;
    if (e == NULL || memcmp(e->codes, codes, sizeof(int) * (size_t)nargs)) {
        e = find_entry(d, args, codes, (int)nargs);
        if (e == NULL) {
            return NULL;
        }
    }
    return call_entry(e, args, vals);
}

/* --- construction and the GC --- */

static int
parse_error_model(PyObject *v, bool *numpy)
{
    if (v == NULL || PyUnicode_CompareWithASCIIString(v, "python") == 0) {
        *numpy = false;
        return 0;
    }
    if (PyUnicode_CompareWithASCIIString(v, "numpy") == 0) {
        *numpy = true;
        return 0;
    }
    PyErr_Format(PyExc_ValueError, "error_model must be 'python' or "
                 "'numpy', not %R", v);
    return -1;
}

/* Numba's names for LLVM's fast-math flags; "fast" is all of them. */
static const struct {
    const char *name;
    LLVMFastMathFlags flags;
} fastmath_names[] = {
    {"fast", LLVMFastMathAll},
    {"nnan", LLVMFastMathNoNaNs},
    {"ninf", LLVMFastMathNoInfs},
    {"nsz", LLVMFastMathNoSignedZeros},
    {"arcp", LLVMFastMathAllowReciprocal},
    {"contract", LLVMFastMathAllowContract},
    {"afn", LLVMFastMathApproxFunc},
    {"reassoc", LLVMFastMathAllowReassoc},
};

#define N_FASTMATH_NAMES \
    (sizeof(fastmath_names) / sizeof(fastmath_names[0]))

/* The flags `name` names; -1 (no exception) for a name that is not one. */
static int
fastmath_flags_of(PyObject *name, LLVMFastMathFlags *flags)
{
    for (size_t i = 0; PyUnicode_Check(name) && i < N_FASTMATH_NAMES; i++) {
        if (PyUnicode_CompareWithASCIIString(name, fastmath_names[i].name)
            == 0) {
            *flags = fastmath_names[i].flags;
            return 0;
        }
    }
    return -1;
}

/* Adds the flags of each name in `names` (a set, or a dict of name: bool
   whose true entries count) to *flags, and the names that are no flag to
   `unknown`. */
static int
add_fastmath_flags(PyObject *names, LLVMFastMathFlags *flags,
                   PyObject *unknown)
{
    PyObject *it = PyObject_GetIter(names), *name;
    while (it != NULL && (name = PyIter_Next(it)) != NULL) {
        LLVMFastMathFlags f = LLVMFastMathNone;
        int on = 1;
        if (fastmath_flags_of(name, &f) < 0) {
            on = PySet_Add(unknown, name);
        }
        else if (PyDict_Check(names)) {
            PyObject *v = PyDict_GetItemWithError(names, name);
            on = v ? PyObject_IsTrue(v) : -1;
        }
        *flags |= on > 0 ? f : LLVMFastMathNone;
        Py_DECREF(name);
        if (on < 0) {
            break;
        }
    }
    Py_XDECREF(it);
    return PyErr_Occurred() ? -1 : 0;
}

/* fastmath=True is every flag; a set (or a dict) names them, as in Numba. */
static int
parse_fastmath(PyObject *v, LLVMFastMathFlags *flags)
{
    *flags = v == Py_True ? LLVMFastMathAll : LLVMFastMathNone;
    if (v == NULL || PyBool_Check(v)) {
        return 0;
    }
    if (!PyAnySet_Check(v) && !PyDict_Check(v)) {
        PyErr_SetString(PyExc_ValueError, "Expected fastmath option(s) to "
                        "be either a bool, dict or set");
        return -1;
    }
    PyObject *unknown = PySet_New(NULL);
    int rc = unknown ? add_fastmath_flags(v, flags, unknown) : -1;
    if (rc == 0 && PySet_GET_SIZE(unknown) > 0) {
        PyErr_Format(PyExc_ValueError, "Unrecognized fastmath flags: %R",
                     unknown);
        rc = -1;
    }
    Py_XDECREF(unknown);
    return rc;
}

/* targetoptions["fastmath"]: False, True for every flag, else the set of
   the flags' names. */
static PyObject *
fastmath_option(LLVMFastMathFlags flags)
{
    if (flags == LLVMFastMathNone || flags == LLVMFastMathAll) {
        return Py_NewRef(flags ? Py_True : Py_False);
    }
    PyObject *names = PyFrozenSet_New(NULL);
    for (size_t i = 1; names != NULL && i < N_FASTMATH_NAMES; i++) {
        if (!(flags & fastmath_names[i].flags)) {
            continue;
        }
        PyObject *name = PyUnicode_FromString(fastmath_names[i].name);
        if (name == NULL || PySet_Add(names, name) < 0) {
            Py_CLEAR(names);
        }
        Py_XDECREF(name);
    }
    return names;
}

/* inline='always' or 'never' (forceinline=True is 'always' too): how
   callers link this function's code; None leaves it to LLVM. */
static int
parse_inline(PyObject *v, int forceinline, int *mode)
{
    *mode = forceinline ? PJ_INLINE_ALWAYS : PJ_INLINE_DEFAULT;
    if (v == NULL || v == Py_None) {
        return 0;
    }
    if (PyUnicode_Check(v)
        && PyUnicode_CompareWithASCIIString(v, "always") == 0) {
        *mode = PJ_INLINE_ALWAYS;
        return 0;
    }
    if (PyUnicode_Check(v)
        && PyUnicode_CompareWithASCIIString(v, "never") == 0) {
        *mode = forceinline ? PJ_INLINE_ALWAYS : PJ_INLINE_NEVER;
        return 0;
    }
    PyErr_Format(PyExc_ValueError, "kwarg 'inline' must be one of the "
                 "strings 'always' or 'never'; found %R", v);
    return -1;
}

/* locals={'name': Type}: a dict of str to pyjit types (NULL for none,
   so that an empty dict keys the cache as no dict does). */
static int
parse_locals(PyObject *v, PyObject **locals)
{
    *locals = NULL;
    if (v == NULL || v == Py_None
        || (PyDict_Check(v) && PyDict_GET_SIZE(v) == 0)) {
        return 0;
    }
    if (!PyDict_Check(v)) {
        PyErr_Format(PyExc_TypeError, "locals must be a dict of variable "
                     "names to types, not %R", v);
        return -1;
    }
    PyObject *name, *t;
    Py_ssize_t pos = 0;
    while (PyDict_Next(v, &pos, &name, &t)) {
        if (!PyUnicode_Check(name) || !pj_type_check(t)
            || ((PjType *)t)->code < 0) {
            PyErr_Format(PyExc_TypeError, "locals: %R: %R is not a pyjit "
                         "type of a variable", name, t);
            return -1;
        }
    }
    *locals = PyDict_Copy(v);
    return *locals ? 0 : -1;
}

static PyObject *
dispatcher_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"py_func", "nopython", "nogil", "cache",
                             "fastmath", "boundscheck", "error_model",
                             "forceobj", "looplift", "parallel", "disable",
                             "locals", "debug", "inline", "forceinline",
                             "no_cpython_wrapper", "_nrt", NULL};
    PyObject *func, *error_model = NULL, *fastmath = NULL, *locals = NULL;
    PyObject *inline_ = NULL;
    int nopython = 0, nogil = 0, cache = 0, boundscheck = 0;
    int forceobj = 0, looplift = 1, parallel = 0, disable = 0, debug = 0;
    int forceinline = 0, no_wrapper = 0, nrt = 1;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|$pppOp" "Upppp" "OpOp"
                                     "pp", kwlist, &func, &nopython, &nogil,
                                     &cache, &fastmath, &boundscheck,
                                     &error_model, &forceobj, &looplift,
                                     &parallel, &disable, &locals, &debug,
                                     &inline_, &forceinline, &no_wrapper,
                                     &nrt)) {
        return NULL;
    }
    if (!PyFunction_Check(func)) {
        PyErr_Format(PyExc_TypeError, "pyjit can only compile Python "
                     "functions, not %R", func);
        return NULL;
    }
    Dispatcher *d = (Dispatcher *)type->tp_alloc(type, 0);
    if (d == NULL) {
        return NULL;
    }
    d->vectorcall = dispatcher_vectorcall;
    d->opts = (PjOptions){.nopython = nopython, .nogil = nogil,
                          .cache = cache,
                          .boundscheck = boundscheck, .forceobj = forceobj,
                          .looplift = looplift, .parallel = parallel,
                          .debug = debug, .no_cpython_wrapper = no_wrapper,
                          .nrt = nrt};
    d->disabled = disable;
    d->can_compile = true;
    if (parse_error_model(error_model, &d->opts.error_model_numpy) < 0
        || parse_fastmath(fastmath, &d->opts.fastmath) < 0
        || parse_inline(inline_, forceinline, &d->opts.inline_mode) < 0
        || parse_locals(locals, &d->opts.locals) < 0
        || fill_info(&d->info, func) < 0) {
        Py_DECREF(d);
        return NULL;
    }
    /* __module__ is the function's, kept in the instance dict as
       functools.update_wrapper keeps it: a getset would also be what the
       class's own __module__ reads, and tools that walk an object's type's
       mro (dask's tokenize) read that as a string */
    if ((d->dict = PyDict_New()) == NULL
        || PyDict_SetItemString(d->dict, "__module__",
                                d->info.module_name) < 0) {
        Py_DECREF(d);
        return NULL;
    }
    d->nparams = d->info.argcount + d->info.kwonlycount
                 + d->info.has_varargs + d->info.has_varkw;
    if (d->nparams > PJ_MAX_ARGS) {
        PyErr_Format(PyExc_TypeError, "pyjit compiles functions of at most "
                     "%d parameters; %R has %d", PJ_MAX_ARGS, func,
                     d->nparams);
        Py_DECREF(d);
        return NULL;
    }
    if (pj_params_of_function(&d->params, func) < 0) {
        Py_DECREF(d);
        return NULL;
    }
    d->fast = d->info.kwonlycount == 0 && !d->info.has_varargs
              && !d->info.has_varkw && d->nparams <= PJ_SMALL_ARGS;
    return (PyObject *)d;
}

static int
dispatcher_traverse(PyObject *self, visitproc visit, void *arg)
{
    Dispatcher *d = Dispatcher_CAST(self);
    Py_VISIT(Py_TYPE(self));
#define VISIT(o) Py_VISIT(o);
    INFO_OBJECTS(VISIT, &d->info)
#undef VISIT
    Py_VISIT(d->dict);
    Py_VISIT(d->opts.locals);
    Py_VISIT(d->params.defaults);
    Py_VISIT(d->params.kwdefaults);
    Py_VISIT(d->cache_hits);
    Py_VISIT(d->cache_misses);
    return 0;
}

static int
dispatcher_clear(PyObject *self)
{
    Dispatcher *d = Dispatcher_CAST(self);
#define CLEAR(o) Py_CLEAR(o);
    INFO_OBJECTS(CLEAR, &d->info)
#undef CLEAR
    Py_CLEAR(d->dict);
    Py_CLEAR(d->opts.locals);
    pj_params_clear(&d->params);
    Py_CLEAR(d->cache_hits);
    Py_CLEAR(d->cache_misses);
    return 0;
}

static void
dispatcher_dealloc(PyObject *self)
{
    Dispatcher *d = Dispatcher_CAST(self);
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    if (d->weakreflist != NULL) {
        PyObject_ClearWeakRefs(self);
    }
    dispatcher_clear(self);
    table_clear(d);
    if (d->value_type != NULL) {
        d->value_type->obj = NULL;
    }
    /* The machine code stays in the JIT: another specialization may have
       inlined or called it. */
    for (int i = 0; i < d->noverloads; i++) {
        pj_overload_free(d->overloads[i]);
    }
    PyMem_Free(d->overloads);
    tp->tp_free(self);
    Py_DECREF(tp);
}

static PyObject *
dispatcher_repr(PyObject *self)
{
    return PyUnicode_FromFormat("Dispatcher(%R)",
                                Dispatcher_CAST(self)->info.func);
}

/* A dispatcher stored on a class binds like a function does. */
static PyObject *
dispatcher_descr_get(PyObject *self, PyObject *obj, PyObject *Py_UNUSED(type))
{
    if (obj == NULL || obj == Py_None) {
        return Py_NewRef(self);
    }
    return PyMethod_New(self, obj);
}

/* --- Python-level API --- */

static PyObject *
signature_key(PyObject *sig)
{
    if (PyObject_HasAttrString(sig, "args")
        && !PyTuple_Check(sig)) {
        return PyObject_GetAttrString(sig, "args");
    }
    return Py_NewRef(sig);
}

static PjOverload *
overload_for(Dispatcher *d, PyObject *sig)
{
    PyObject *key = signature_key(sig);
    if (key == NULL) {
        return NULL;
    }
    for (int i = 0; i < d->noverloads; i++) {
        int eq = PyObject_RichCompareBool(d->overloads[i]->sig, key, Py_EQ);
        if (eq != 0) {
            Py_DECREF(key);
            return eq > 0 ? d->overloads[i] : NULL;
        }
    }
    PyErr_Format(PyExc_KeyError, "%R: no specialization for signature %R",
                 d->info.func, key);
    Py_DECREF(key);
    return NULL;
}

static PyObject *
dispatcher_get_signatures(PyObject *self, void *Py_UNUSED(closure))
{
    Dispatcher *d = Dispatcher_CAST(self);
    PyObject *list = PyList_New(d->noverloads);
    for (int i = 0; list != NULL && i < d->noverloads; i++) {
        PyList_SET_ITEM(list, i, Py_NewRef(d->overloads[i]->sig));
    }
    return list;
}

static PyObject *
dispatcher_get_nopython_signatures(PyObject *self, void *Py_UNUSED(closure))
{
    Dispatcher *d = Dispatcher_CAST(self);
    PyObject *list = PyList_New(0);
    for (int i = 0; list != NULL && i < d->noverloads; i++) {
        PjOverload *ov = d->overloads[i];
        if (ov->objmode != NULL) {
            continue;
        }
        PyObject *s = pj_type_make_signature(ov->restype, ov->sig);
        if (s == NULL || PyList_Append(list, s) < 0) {
            Py_XDECREF(s);
            Py_CLEAR(list);
            break;
        }
        Py_DECREF(s);
    }
    return list;
}

static PyStructSequence_Field overload_fields[] = {
    {"signature", "the argument types"},
    {"return_type", "the inferred return type"},
    {"native_name", "the symbol of the native function"},
    {"entry_point", "the specialization called directly from Python"},
    {"can_raise", "whether the native function returns a status"},
    {"compile_time", "seconds spent compiling"},
    {"stage_times", "dict: seconds per stage (typing, lowering, "
                    "optimization, codegen, link)"},
    {"objectmode", "whether it runs in object mode"},
    {"lifted", "object mode: the dispatchers of its lifted loops"},
    {NULL},
};

static PyStructSequence_Desc overload_desc = {
    "pyjit.CompileResult", "One compiled specialization.", overload_fields, 7,
};

static PyStructSequence_Field stats_fields[] = {
    {"cache_path", "where cache=True keeps compiled code, or None"},
    {"cache_hits", "Counter: signature -> loads from the cache"},
    {"cache_misses", "Counter: signature -> compiles"},
    {"compile_time", "seconds spent compiling, in total"},
    {NULL},
};

static PyStructSequence_Desc stats_desc = {
    "pyjit.CompileStats", "Compilation statistics of a dispatcher.",
    stats_fields, 4,
};

static PyTypeObject *overload_type, *stats_type;

static PyObject *
make_compile_result(PyObject *disp, PjOverload *ov)
{
    PyObject *r = PyStructSequence_New(overload_type);
    if (r == NULL) {
        return NULL;
    }
    PyStructSequence_SET_ITEM(r, 0, Py_NewRef(ov->sig));
    PyStructSequence_SET_ITEM(r, 1, Py_NewRef((PyObject *)ov->restype));
    PyStructSequence_SET_ITEM(r, 2, PyUnicode_FromString(ov->native_name));
    PyStructSequence_SET_ITEM(r, 3, pj_entry_point_new(
        disp, ov, (int)PyTuple_GET_SIZE(ov->sig)));
    PyStructSequence_SET_ITEM(r, 4, PyBool_FromLong(ov->can_raise));
    PyStructSequence_SET_ITEM(r, 5, PyFloat_FromDouble(ov->compile_seconds));
    PyStructSequence_SET_ITEM(r, 6, Py_BuildValue(
        "{s:d,s:d,s:d,s:d,s:d}", "typing", ov->seconds[PJ_TIME_TYPING],
        "lowering", ov->seconds[PJ_TIME_LOWER],
        "optimization", ov->seconds[PJ_TIME_OPT],
        "codegen", ov->seconds[PJ_TIME_CODEGEN],
        "link", ov->seconds[PJ_TIME_LINK]));
    PyStructSequence_SET_ITEM(r, 7, PyBool_FromLong(ov->objmode != NULL));
    PyStructSequence_SET_ITEM(r, 8, ov->objmode
        ? PyObject_CallMethod(ov->objmode, "lifted_dispatchers", NULL)
        : PyTuple_New(0));
    if (PyErr_Occurred()) {
        Py_DECREF(r);
        return NULL;
    }
    return r;
}

static PyObject *
dispatcher_get_overloads(PyObject *self, void *Py_UNUSED(closure))
{
    Dispatcher *d = Dispatcher_CAST(self);
    PyObject *dict = PyDict_New();
    for (int i = 0; dict != NULL && i < d->noverloads; i++) {
        PyObject *r = make_compile_result(self, d->overloads[i]);
        if (r == NULL || PyDict_SetItem(dict, d->overloads[i]->sig, r) < 0) {
            Py_XDECREF(r);
            Py_CLEAR(dict);
            break;
        }
        Py_DECREF(r);
    }
    return dict;
}

/* A snapshot of a stats counter (an empty one before the first count). */
static PyObject *
counter_copy(PyObject *counter)
{
    PyObject *copy = new_counter();
    if (copy != NULL && counter != NULL
        && PyDict_Update(copy, counter) < 0) {
        Py_CLEAR(copy);
    }
    return copy;
}

static PyObject *
dispatcher_get_stats(PyObject *self, void *Py_UNUSED(closure))
{
    Dispatcher *d = Dispatcher_CAST(self);
    double total = 0.0;
    for (int i = 0; i < d->noverloads; i++) {
        total += d->overloads[i]->compile_seconds;
    }
    PyObject *r = PyStructSequence_New(stats_type);
    if (r == NULL) {
        return NULL;
    }
    PyObject *path = Py_None;
    if (d->dict != NULL) {
        path = PyDict_GetItemString(d->dict, "_cache_dir");
        path = path ? path : Py_None;
    }
    PyStructSequence_SET_ITEM(r, 0, Py_NewRef(path));
    PyStructSequence_SET_ITEM(r, 1, counter_copy(d->cache_hits));
    PyStructSequence_SET_ITEM(r, 2, counter_copy(d->cache_misses));
    PyStructSequence_SET_ITEM(r, 3, PyFloat_FromDouble(total));
    if (PyErr_Occurred()) {
        Py_DECREF(r);
        return NULL;
    }
    return r;
}

/* The function's attribute named by closure, unless one was set on the
   dispatcher (dispatcher_set_func_attr). */
static PyObject *
dispatcher_get_func_attr(PyObject *self, void *closure)
{
    Dispatcher *d = Dispatcher_CAST(self);
    if (closure == NULL) {
        return Py_NewRef(d->info.func);
    }
    PyObject *set = d->dict ? PyDict_GetItemString(d->dict, closure) : NULL;
    if (set != NULL) {
        return Py_NewRef(set);
    }
    return PyObject_GetAttrString(d->info.func, (const char *)closure);
}

/* __name__, __qualname__, __doc__ and __module__ can be set (and deleted
   again), as on Numba's dispatcher: the value is kept in the dispatcher's
   instance dict, and the function keeps its own.  Names are strings, as for a
   function. */
static int
dispatcher_set_func_attr(PyObject *self, PyObject *value, void *closure)
{
    Dispatcher *d = Dispatcher_CAST(self);
    const char *name = closure;
    bool is_name = strcmp(name, "__name__") == 0
                   || strcmp(name, "__qualname__") == 0;
    if (value != NULL && is_name && !PyUnicode_Check(value)) {
        PyErr_Format(PyExc_TypeError, "%s must be set to a string object",
                     name);
        return -1;
    }
    if (d->dict == NULL && (d->dict = PyDict_New()) == NULL) {
        return -1;
    }
    if (value != NULL) {
        return PyDict_SetItemString(d->dict, name, value);
    }
    if (PyDict_DelItemString(d->dict, name) < 0) {
        if (PyErr_ExceptionMatches(PyExc_KeyError)) {
            PyErr_Format(PyExc_AttributeError, "%s was not set on the "
                         "dispatcher, so there is nothing to delete", name);
        }
        return -1;
    }
    return 0;
}

static PyObject *
dispatcher_get_targetoptions(PyObject *self, void *Py_UNUSED(closure))
{
    PjOptions *o = &Dispatcher_CAST(self)->opts;
    static const char *const inline_names[] = {NULL, "always", "never"};
    const char *inl = inline_names[o->inline_mode];
    return Py_BuildValue("{s:O,s:O,s:O,s:N,s:O,s:s,s:O,s:O,s:O,s:N,s:O,s:N,"
                         "s:O,s:O}",
                         "nopython", o->nopython ? Py_True : Py_False,
                         "nogil", o->nogil ? Py_True : Py_False,
                         "cache", o->cache ? Py_True : Py_False,
                         "fastmath", fastmath_option(o->fastmath),
                         "boundscheck", o->boundscheck ? Py_True : Py_False,
                         "error_model",
                         o->error_model_numpy ? "numpy" : "python",
                         "forceobj", o->forceobj ? Py_True : Py_False,
                         "looplift", o->looplift ? Py_True : Py_False,
                         "parallel", o->parallel ? Py_True : Py_False,
                         "locals", o->locals ? PyDict_Copy(o->locals)
                                             : PyDict_New(),
                         "debug", o->debug ? Py_True : Py_False,
                         "inline", inl ? PyUnicode_InternFromString(inl)
                                       : Py_NewRef(Py_None),
                         "no_cpython_wrapper",
                         o->no_cpython_wrapper ? Py_True : Py_False,
                         "_nrt", o->nrt ? Py_True : Py_False);
}

/* inspect_*(signature=None): a dict keyed by signature, or one value. */
static PyObject *
per_signature(Dispatcher *d, PyObject *sig,
              PyObject *(*get)(PjOverload *))
{
    if (sig != NULL && sig != Py_None) {
        PjOverload *ov = overload_for(d, sig);
        return ov ? get(ov) : NULL;
    }
    PyObject *dict = PyDict_New();
    for (int i = 0; dict != NULL && i < d->noverloads; i++) {
        PyObject *v = get(d->overloads[i]);
        if (v == NULL || PyDict_SetItem(dict, d->overloads[i]->sig, v) < 0) {
            Py_XDECREF(v);
            Py_CLEAR(dict);
            break;
        }
        Py_DECREF(v);
    }
    return dict;
}

/* ov's optimized IR text; a callee's is made on the first ask. */
static PyObject *
callee_ir(PjOverload *ov)
{
    if (ov->llvm_ir == NULL) {
        ov->llvm_ir = pj_jit_callee_ir(ov->bitcode);
    }
    return ov->llvm_ir;
}

static PyObject *
get_llvm(PjOverload *ov)
{
    if (ov->objmode != NULL) {
        return pj_objmode_inspect(ov, "llvm");
    }
    return Py_XNewRef(callee_ir(ov));
}

static PyObject *
get_asm(PjOverload *ov)
{
    if (ov->objmode != NULL) {
        return pj_objmode_inspect(ov, "asm");
    }
    if (ov->asm_text == NULL && callee_ir(ov) != NULL) {
        ov->asm_text = pj_jit_asm(ov->llvm_ir);
    }
    return Py_XNewRef(ov->asm_text);
}

static PyObject *
dispatcher_inspect_llvm(PyObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"signature", NULL};
    PyObject *sig = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|O", kwlist, &sig)) {
        return NULL;
    }
    return per_signature(Dispatcher_CAST(self), sig, get_llvm);
}

static PyObject *
dispatcher_inspect_asm(PyObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"signature", NULL};
    PyObject *sig = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|O", kwlist, &sig)) {
        return NULL;
    }
    return per_signature(Dispatcher_CAST(self), sig, get_asm);
}

/* The IR of an object-mode specialization, every value a pyobject, made
   when inspect_types first asks; NULL with an exception when the frontend
   cannot express the function. */
static PyObject *
objmode_ir(Dispatcher *d, PjOverload *ov)
{
    if (ov->annotation != NULL) {
        return NULL;
    }
    return pj_compile_object_annotation(
        (PyObject *)d, (PjType **)&PyTuple_GET_ITEM(ov->sig, 0),
        (int)PyTuple_GET_SIZE(ov->sig));
}

static int
annotate_one(PjBuf *b, Dispatcher *d, PjOverload *ov)
{
    PyObject *ir = ov->objmode ? objmode_ir(d, ov) : NULL;
    PyObject *body = ov->objmode ? pj_objmode_annotation(ov, ir)
                                 : Py_NewRef(ov->annotation);
    Py_XDECREF(ir);
    PyObject *sig = body ? PyObject_Str(ov->sig) : NULL;
    if (sig == NULL) {
        Py_XDECREF(body);
        return -1;
    }
    pj_buf_printf(b, "%s %s\n", PyUnicode_AsUTF8(d->info.name),
                  PyUnicode_AsUTF8(sig));
    pj_buf_repeat(b, '-', 80);
    pj_buf_printf(b, "\n%s\n", PyUnicode_AsUTF8(body));
    pj_buf_repeat(b, '=', 80);
    pj_buf_puts(b, "\n");
    Py_DECREF(sig);
    Py_DECREF(body);
    return 0;
}

typedef int (*DescribeFn)(PjBuf *b, Dispatcher *d, PjOverload *ov,
                          int level);

static int
annotate_at(PjBuf *b, Dispatcher *d, PjOverload *ov, int Py_UNUSED(level))
{
    return annotate_one(b, d, ov);
}

/* Writes what describe says of the specialization for sig, or of each
   one when sig is None, to file (sys.stdout when None); None. */
static PyObject *
print_each(Dispatcher *d, PyObject *sig, PyObject *file, DescribeFn describe,
           int level)
{
    PjBuf b;
    pj_buf_init(&b);
    if (sig != NULL && sig != Py_None) {
        PjOverload *ov = overload_for(d, sig);
        if (ov == NULL || describe(&b, d, ov, level) < 0) {
            pj_buf_free(&b);
            return NULL;
        }
    }
    for (int i = 0; (sig == NULL || sig == Py_None) && i < d->noverloads;
         i++) {
        if (describe(&b, d, d->overloads[i], level) < 0) {
            pj_buf_free(&b);
            return NULL;
        }
    }
    PyObject *text = pj_buf_to_str(&b);
    if (text == NULL) {
        return NULL;
    }
    if (file == NULL || file == Py_None) {
        file = PySys_GetObject("stdout");
    }
    PyObject *r = file ? PyObject_CallMethod(file, "write", "O", text) : NULL;
    Py_DECREF(text);
    if (r == NULL) {
        return NULL;
    }
    Py_DECREF(r);
    Py_RETURN_NONE;
}

/* Prints each specialization's typed IR beside its source, as Numba's
   inspect_types does, and returns None. */
static PyObject *
dispatcher_inspect_types(PyObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"file", "signature", "pretty", NULL};
    PyObject *file = NULL, *sig = NULL;
    int pretty = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|OOp", kwlist, &file,
                                     &sig, &pretty)) {
        return NULL;
    }
    return print_each(Dispatcher_CAST(self), sig, file, annotate_at, 0);
}

static int
diagnose_one(PjBuf *b, Dispatcher *d, PjOverload *ov, int level)
{
    if (ov->diagnostics != NULL) {
        pj_buf_puts(b, PyUnicode_AsUTF8(PyTuple_GET_ITEM(ov->diagnostics,
                                                         level - 1)));
        return 0;
    }
    PyObject *sig = PyObject_Str(ov->sig);
    if (sig == NULL) {
        return -1;
    }
    pj_buf_printf(b, "%s %s: no diagnostics, %s\n",
                  PyUnicode_AsUTF8(d->info.name), PyUnicode_AsUTF8(sig),
                  ov->objmode ? "compiled in object mode"
                              : "loaded from the cache");
    Py_DECREF(sig);
    return 0;
}

/* Prints, for each specialization, which loops run on threads and which
   array expressions were fused into one loop, as Numba's
   parallel_diagnostics does (level 1 to 4: more detail), and returns
   None. */
static PyObject *
dispatcher_parallel_diagnostics(PyObject *self, PyObject *args,
                                PyObject *kwargs)
{
    static char *kwlist[] = {"signature", "level", "file", NULL};
    PyObject *file = NULL, *sig = NULL;
    int level = 1;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|OiO", kwlist, &sig,
                                     &level, &file)) {
        return NULL;
    }
    if (level < 1 || level > 4) {
        PyErr_Format(PyExc_ValueError, "parallel_diagnostics: level is 1, "
                     "2, 3 or 4, not %d", level);
        return NULL;
    }
    return print_each(Dispatcher_CAST(self), sig, file, diagnose_one, level);
}

/* Compiles an explicit signature now: _compile_signature(argtypes, ret). */
static PyObject *
dispatcher_compile_signature(PyObject *self, PyObject *args)
{
    Dispatcher *d = Dispatcher_CAST(self);
    PyObject *argtypes, *ret;
    if (!PyArg_ParseTuple(args, "O!O", &PyTuple_Type, &argtypes, &ret)) {
        return NULL;
    }
    int n = (int)PyTuple_GET_SIZE(argtypes);
    int typed = d->nparams - d->info.has_varkw;   /* **kwargs: a pyobject */
    if (n != typed) {
        PyErr_Format(PyExc_TypeError, "signature has %d argument type%s but "
                     "%U() takes %d", n, n == 1 ? "" : "s", d->info.name,
                     typed);
        return NULL;
    }
    PjType *argtys[PJ_MAX_ARGS + 1];
    for (int i = 0; i < n; i++) {
        PyObject *t = PyTuple_GET_ITEM(argtypes, i);
        if (!pj_type_check(t) || ((PjType *)t)->code < 0) {
            PyErr_Format(PyExc_TypeError, "not a pyjit type: %R", t);
            return NULL;
        }
        argtys[i] = (PjType *)t;
    }
    if (ret != Py_None && !pj_type_check(ret)) {
        PyErr_Format(PyExc_TypeError, "not a pyjit type: %R", ret);
        return NULL;
    }
    if (d->info.has_varkw) {
        argtys[n++] = pj_t.pyobject;
    }
    if (pj_dispatcher_find(self, argtys, n) != NULL) {
        Py_RETURN_NONE;
    }
    PjType *declared = ret == Py_None ? NULL : (PjType *)ret;
    if (specialize(d, argtys, n, declared, NULL, NULL) == NULL) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* disable_compile(val=True), as Numba's: calls compile no new signature
   (a call no specialization takes is a TypeError); val=False compiles
   again. */
static PyObject *
dispatcher_disable_compile(PyObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"val", NULL};
    int val = 1;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|p:disable_compile",
                                     kwlist, &val)) {
        return NULL;
    }
    Dispatcher_CAST(self)->can_compile = !val;
    Py_RETURN_NONE;
}

/* _linked(): its specializations are compiled to be linked into other
   code (a ufunc kernel's, into the ufunc's loops), their own objects made
   when Python first calls them. */
static PyObject *
dispatcher_linked(PyObject *self, PyObject *Py_UNUSED(unused))
{
    Dispatcher_CAST(self)->opts.linked = true;
    Py_RETURN_NONE;
}

static PyObject *
dispatcher_get_can_compile(PyObject *self, void *Py_UNUSED(closure))
{
    return PyBool_FromLong(Dispatcher_CAST(self)->can_compile);
}

/* compile(sig), Numba's spelling of compiling one signature now
   (pyjit/decorators.py compile_for). */
static PyObject *
dispatcher_compile(PyObject *self, PyObject *sig)
{
    PyObject *mod = PyImport_ImportModule("pyjit.decorators");
    PyObject *r = mod ? PyObject_CallMethod(mod, "compile_for", "OO", self,
                                            sig)
                      : NULL;
    Py_XDECREF(mod);
    return r;
}

/* Pickling, by reference or by value: pyjit/_serialize.py. */
static PyObject *
dispatcher_reduce(PyObject *self, PyObject *Py_UNUSED(unused))
{
    PyObject *mod = pj_import_once(&pj_state->serialize_module,
                                   "pyjit._serialize");
    return mod ? PyObject_CallMethod(mod, "reduce", "O", self) : NULL;
}

static PyMethodDef dispatcher_methods[] = {
    {"inspect_types", (PyCFunction)(void (*)(void))dispatcher_inspect_types,
     METH_VARARGS | METH_KEYWORDS,
     "inspect_types(file=None, signature=None)\n--\n\n"
     "Print the typed IR of each specialization beside its source."},
    {"parallel_diagnostics",
     (PyCFunction)(void (*)(void))dispatcher_parallel_diagnostics,
     METH_VARARGS | METH_KEYWORDS,
     "parallel_diagnostics(signature=None, level=1, file=None)\n--\n\n"
     "Print which loops run on threads and which array expressions were\n"
     "fused into one loop (level 1 to 4: more detail)."},
    {"inspect_llvm", (PyCFunction)(void (*)(void))dispatcher_inspect_llvm,
     METH_VARARGS | METH_KEYWORDS,
     "inspect_llvm(signature=None)\n--\n\n"
     "The optimized LLVM IR: a dict keyed by signature, or one string."},
    {"inspect_asm", (PyCFunction)(void (*)(void))dispatcher_inspect_asm,
     METH_VARARGS | METH_KEYWORDS,
     "inspect_asm(signature=None)\n--\n\n"
     "The host assembly: a dict keyed by signature, or one string."},
    {"_compile_signature", dispatcher_compile_signature, METH_VARARGS,
     "Compile one explicit signature eagerly."},
    {"compile", dispatcher_compile, METH_O,
     "compile(sig)\n--\n\n"
     "Compile the signature sig ('float64(float64[:])' or types) now and\n"
     "return the dispatcher, which runs it for arguments of those types."},
    {"disable_compile", (PyCFunction)(void (*)(void))dispatcher_disable_compile,
     METH_VARARGS | METH_KEYWORDS,
     "disable_compile(val=True)\n--\n\n"
     "Compile no new signatures when called (val=False: compile again)."},
    {"_linked", dispatcher_linked, METH_NOARGS,
     "Compile code to be linked into other code, its object on demand."},
    {"__reduce__", dispatcher_reduce, METH_NOARGS,
     "Pickle by reference (a module-level function) or by value."},
    {NULL},
};

static PyGetSetDef dispatcher_getset[] = {
    {"py_func", dispatcher_get_func_attr, NULL, "the Python function", NULL},
    {"__wrapped__", dispatcher_get_func_attr, NULL, NULL, NULL},
    {"__name__", dispatcher_get_func_attr, dispatcher_set_func_attr, NULL,
     "__name__"},
    {"__qualname__", dispatcher_get_func_attr, dispatcher_set_func_attr, NULL,
     "__qualname__"},
    {"__doc__", dispatcher_get_func_attr, dispatcher_set_func_attr, NULL,
     "__doc__"},
    {"__defaults__", dispatcher_get_func_attr, NULL, NULL, "__defaults__"},
    {"__code__", dispatcher_get_func_attr, NULL, NULL, "__code__"},
    {"signatures", dispatcher_get_signatures, NULL,
     "argument types of each specialization", NULL},
    {"nopython_signatures", dispatcher_get_nopython_signatures, NULL,
     "full signature of each specialization", NULL},
    {"overloads", dispatcher_get_overloads, NULL,
     "dict: signature -> CompileResult", NULL},
    {"stats", dispatcher_get_stats, NULL, "compilation statistics", NULL},
    {"targetoptions", dispatcher_get_targetoptions, NULL,
     "the options the dispatcher compiles with", NULL},
    {"_can_compile", dispatcher_get_can_compile, NULL,
     "False once explicit signatures were compiled", NULL},
    {NULL},
};

static PyMemberDef dispatcher_members[] = {
    {"__dictoffset__", T_PYSSIZET, offsetof(Dispatcher, dict), READONLY, NULL},
    {"__weaklistoffset__", T_PYSSIZET, offsetof(Dispatcher, weakreflist),
     READONLY, NULL},
    {"__vectorcalloffset__", T_PYSSIZET, offsetof(Dispatcher, vectorcall),
     READONLY, NULL},
    {NULL, 0, 0, 0, NULL},
};

static PyType_Slot dispatcher_slots[] = {
    {Py_tp_new, dispatcher_new},
    {Py_tp_dealloc, dispatcher_dealloc},
    {Py_tp_traverse, dispatcher_traverse},
    {Py_tp_clear, dispatcher_clear},
    {Py_tp_repr, dispatcher_repr},
    {Py_tp_call, PyVectorcall_Call},
    {Py_tp_descr_get, dispatcher_descr_get},
    {Py_tp_methods, dispatcher_methods},
    {Py_tp_getset, dispatcher_getset},
    {Py_tp_members, dispatcher_members},
    {0, NULL},
};

static PyType_Spec dispatcher_spec = {
    .name = "pyjit.Dispatcher",
    .basicsize = sizeof(Dispatcher),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC
             | Py_TPFLAGS_HAVE_VECTORCALL | Py_TPFLAGS_METHOD_DESCRIPTOR
             | Py_TPFLAGS_IMMUTABLETYPE,
    .slots = dispatcher_slots,
};

int
pj_dispatcher_init_type(PyObject *module)
{
    PyObject *t = PyType_FromModuleAndSpec(module, &dispatcher_spec, NULL);
    if (t == NULL) {
        return -1;
    }
    pj_state->dispatcher_type = (PyTypeObject *)t;
    overload_type = PyStructSequence_NewType(&overload_desc);
    stats_type = PyStructSequence_NewType(&stats_desc);
    if (overload_type == NULL || stats_type == NULL) {
        return -1;
    }
    return PyModule_AddObjectRef(module, "Dispatcher", t);
}
