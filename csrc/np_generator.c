/*
** np_generator.c - numpy.random.Generator in compiled code: the kind of
** its values, np.random.default_rng, and the intrinsics the methods in
** pyjit/_np_generator.py draw with.
**
** A Generator draws from its BitGenerator's state, which lives in the
** BitGenerator's C struct; the BitGenerator hands out a `bitgen_t` (its
** PyCapsule "BitGenerator"): the state's address and the functions that
** advance it (next_uint64, next_uint32, next_double).  Compiled code calls
** those functions on that state, as NumPy's own methods do, so that the
** numbers are NumPy's and a Generator passed in continues, back in
** Python, exactly where compiled code stopped.  This is how Numba reaches
** it too (its bit_generator.ctypes).
**
** A value is {block, Generator object, bitgen_t pointer}.  An argument
** borrows the caller's object (no block); default_rng made in compiled
** code, or a value a container keeps, holds a block that keeps the object
** alive (runtime.c's pj_rt_meminfo_keep), released as arrays are.
*/
#include "pyjit.h"

/* NumPy's bitgen_t (numpy/random/bitgen.h), whose layout is its ABI. */
typedef struct {
    void *state;
    uint64_t (*next_uint64)(void *st);
    uint32_t (*next_uint32)(void *st);
    double (*next_double)(void *st);
    uint64_t (*next_raw)(void *st);
} BitGen;

/* A value as compiled code holds it. */
typedef struct {
    PjMemInfo *meminfo;         /* NULL: borrowed from an argument */
    PyObject *obj;              /* the numpy.random.Generator */
    BitGen *bitgen;
} NpGen;

enum { NPGEN_MEMINFO, NPGEN_OBJECT, NPGEN_BITGEN };

static PyTypeObject *generator_class;   /* numpy.random.Generator */

/* --- the type --- */

PjType *
pj_type_npgen(void)
{
    return pj_type_intern(PJ_TK_NPGEN, 0, 0, NULL, 0, NULL);
}

static void
print_npgen(PjBuf *b, PjType *Py_UNUSED(t))
{
    pj_buf_puts(b, "NumPyRandomGeneratorType");
}

static PjType *
unify_npgen(PjType *a, PjType *Py_UNUSED(b))
{
    return a;                   /* the kind has one type */
}

static LLVMTypeRef
npgen_llvm_type(PjLower *lw, PjType *Py_UNUSED(t))
{
    LLVMTypeRef f[3] = {lw->t_ptr, lw->t_ptr, lw->t_ptr};
    return LLVMStructTypeInContext(lw->ctx, f, 3, 0);
}

static void
npgen_meminfo(PjLower *lw, LLVMValueRef v, PjType *Py_UNUSED(t),
              LLVMValueRef valid, PjMemFn f)
{
    LLVMValueRef mi = pj_part(lw, v, NPGEN_MEMINFO);
    if (valid != NULL) {
        mi = LLVMBuildSelect(lw->b, valid, mi, LLVMConstNull(lw->t_ptr), "");
    }
    f(lw, mi);
}

static LLVMValueRef
npgen_keep(PjLower *lw, LLVMValueRef v, PjType *Py_UNUSED(t))
{
    return pj_lower_keep_parent(lw, v, NPGEN_MEMINFO, NPGEN_OBJECT);
}

/* --- the boundary with Python --- */

/* The bitgen_t of a Generator's BitGenerator (borrowed: the BitGenerator
   holds it), or NULL with an exception. */
static BitGen *
bitgen_of(PyObject *gen)
{
    PyObject *bg = PyObject_GetAttrString(gen, "bit_generator");
    PyObject *cap = bg ? PyObject_GetAttrString(bg, "capsule") : NULL;
    BitGen *p = cap ? PyCapsule_GetPointer(cap, "BitGenerator") : NULL;
    Py_XDECREF(bg);
    Py_XDECREF(cap);
    return p;
}

/* The value of a Generator argument; typeof checked it has a bitgen_t. */
void
pj_rt_npgen_unbox(PyObject *obj, void *outp)
{
    NpGen *out = outp;
    out->meminfo = NULL;
    out->obj = obj;
    out->bitgen = bitgen_of(obj);
}

/* The Generator object for a value (a new reference); the value's
   reference to its block goes with it. */
PyObject *
pj_rt_npgen_box(PjMemInfo *mi, PyObject *obj)
{
    Py_INCREF(obj);
    if (mi != NULL) {
        pj_runtime_release(mi);
    }
    return obj;
}

/* np.random.default_rng(seed) (seed None when none), made by NumPy
   under the GIL: 0, or -1 with the exception set. */
int32_t
pj_rt_npgen_new(int64_t seed, int32_t has_seed, void *outp)
{
    NpGen *out = outp;
    PyGILState_STATE g = PyGILState_Ensure();
    PyObject *mod = PyImport_ImportModule("numpy.random");
    PyObject *arg = has_seed ? PyLong_FromLongLong(seed) : Py_NewRef(Py_None);
    PyObject *gen = mod && arg ? PyObject_CallMethod(mod, "default_rng", "O",
                                                     arg) : NULL;
    BitGen *bitgen = gen ? bitgen_of(gen) : NULL;
    PjMemInfo *mi = bitgen ? pj_rt_meminfo_keep(gen) : NULL;
    if (bitgen != NULL && mi == NULL) {
        PyErr_NoMemory();
    }
    out->meminfo = mi;
    out->obj = gen;
    out->bitgen = bitgen;
    Py_XDECREF(mod);
    Py_XDECREF(arg);
    Py_XDECREF(gen);            /* the block keeps it */
    PyGILState_Release(g);
    return mi != NULL ? 0 : -1;
}

static bool
npgen_can_box(PjType *Py_UNUSED(t))
{
    return true;
}

static LLVMValueRef
npgen_box(PjLower *lw, LLVMValueRef v, PjType *Py_UNUSED(t))
{
    LLVMTypeRef p[2] = {lw->t_ptr, lw->t_ptr};
    LLVMValueRef a[2] = {pj_part(lw, v, NPGEN_MEMINFO),
                         pj_part(lw, v, NPGEN_OBJECT)};
    return pj_lower_helper(lw, "pj_rt_npgen_box", lw->t_ptr, p, a, 2);
}

static LLVMValueRef
npgen_unbox(PjLower *lw, LLVMValueRef obj, PjType *t)
{
    LLVMTypeRef st = pj_lower_type(lw, t);
    LLVMValueRef slot = pj_lower_alloca(lw, st, "npgen");
    LLVMTypeRef p[2] = {lw->t_ptr, lw->t_ptr};
    LLVMValueRef a[2] = {obj, slot};
    pj_lower_helper(lw, "pj_rt_npgen_unbox", lw->t_void, p, a, 2);
    return LLVMBuildLoad2(lw->b, st, slot, "");
}

/* numpy.random.Generator, found once numpy.random is imported (importing
   pyjit does not import it: a Generator argument means it was), then
   registered with typeof.c; NULL before. */
static PyTypeObject *
generator_type(void)
{
    if (generator_class != NULL) {
        return generator_class;
    }
    PyObject *name = PyUnicode_FromString("numpy.random");
    PyObject *mod = name ? PyImport_GetModule(name) : NULL;
    PyObject *cls = mod ? PyObject_GetAttrString(mod, "Generator") : NULL;
    Py_XDECREF(name);
    Py_XDECREF(mod);
    if (cls != NULL && PyType_Check(cls)
        && pj_typeof_register((PyTypeObject *)cls, &pj_kind_npgen) == 0) {
        generator_class = (PyTypeObject *)cls;  /* kept for the process */
        return generator_class;
    }
    Py_XDECREF(cls);
    PyErr_Clear();
    return NULL;
}

static bool
is_generator(PyObject *obj)
{
    PyTypeObject *cls = generator_type();
    return cls != NULL && PyObject_TypeCheck(obj, cls);
}

/* A Generator whose BitGenerator hands out no bitgen_t has no type. */
static PjType *
npgen_typeof(PyObject *obj, bool *untypable, int Py_UNUSED(depth))
{
    if (!is_generator(obj)) {
        return NULL;
    }
    if (bitgen_of(obj) == NULL) {
        PyErr_Clear();
        *untypable = true;
        return pj_t.pyobject;
    }
    return pj_type_npgen();
}

static const char *
npgen_why_untypable(PyObject *obj, int Py_UNUSED(depth))
{
    if (!is_generator(obj) || bitgen_of(obj) != NULL) {
        return NULL;
    }
    PyErr_Clear();
    return "its bit generator has no C interface (capsule 'BitGenerator')";
}

/* --- the methods: pyjit/_np_generator.py --- */

static PyObject *library;       /* name -> dispatcher, loaded on first use */

static PyObject *
npgen_library_method(PjType *Py_UNUSED(t), const char *name,
                     bool Py_UNUSED(parallel))
{
    return pj_library_prefixed(&library, "pyjit._np_generator",
                               "Generator", name);
}

static int
npgen_getattr(PjCompile *cx, PjInstr *ins, PjType *t)
{
    if (npgen_library_method(t, ins->name, false) == NULL) {
        cx->why = "compiled code has the Generator methods random, "
                  "integers, standard_normal, normal, uniform, exponential, "
                  "standard_exponential, standard_gamma, gamma, beta, "
                  "poisson, binomial, chisquare, f, standard_cauchy, "
                  "standard_t, pareto, weibull, power, laplace, logistic, "
                  "lognormal, rayleigh, wald, geometric, triangular, "
                  "negative_binomial, noncentral_chisquare, noncentral_f, "
                  "zipf, logseries, vonmises, choice, shuffle and "
                  "permutation";
        return 1;
    }
    PjType *b = pj_type_bound(cx->arena, t, ins->name);
    return b ? pj_choose(cx, ins, &pj_impl_self, b, &t, 1) : -1;
}

const PjKind pj_kind_npgen = {
    .name = "NumPyRandomGeneratorType",
    .print = print_npgen,
    .unify = unify_npgen,
    .type_getattr = npgen_getattr,
    .library_method = npgen_library_method,
    .llvm_type = npgen_llvm_type,
    .holds_memory = pj_kind_holds_block,
    .each_meminfo = npgen_meminfo,
    .lower_keep = npgen_keep,
    .can_box = npgen_can_box,
    .box = npgen_box,
    .unbox = npgen_unbox,
    .typeof = npgen_typeof,
    .why_untypable = npgen_why_untypable,
};

/* --- the intrinsics --- */

/* _npgen_new(seed): np.random.default_rng(seed), seed an integer or
   None. */
static LLVMValueRef
lower_new(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    bool has_seed = ins->argtys[0] != pj_t.none;
    LLVMTypeRef st = pj_lower_type(lw, ins->resty);
    LLVMValueRef out = pj_lower_alloca(lw, st, "npgen");
    LLVMTypeRef p[3] = {lw->t_i64, lw->t_i32, lw->t_ptr};
    LLVMValueRef a[3] = {has_seed ? args[0] : pj_i64(lw, 0),
                         pj_i32(lw, has_seed), out};
    LLVMValueRef rc = pj_lower_helper(lw, "pj_rt_npgen_new", lw->t_i32, p,
                                      a, 3);
    LLVMValueRef bad = LLVMBuildICmp(lw->b, LLVMIntNE, rc, pj_i32(lw, 0), "");
    pj_lower_fail_end(lw, pj_lower_fail_begin(lw, bad));
    return LLVMBuildLoad2(lw->b, st, out, "");
}

static const PjImpl impl_new = {"npgen_new", lower_new, true, true};

int
pj_type_npgen_new(PjCompile *cx, PjInstr *ins, const PjCallable *Py_UNUSED(fn),
                  PjType **args, int n)
{
    PjType *seed = n > 0 && args[0] != NULL ? args[0] : pj_t.none;
    if (seed != pj_t.none && !pj_type_is_intlike(seed)) {
        cx->why = "default_rng's seed in compiled code is an integer or None";
        return 1;
    }
    PjType *argtys[1] = {seed == pj_t.none ? pj_t.none : pj_t.i64};
    RETURN_IF_ERROR(pj_choose(cx, ins, &impl_new, pj_type_npgen(), argtys,
                              1));
    cx->can_raise = true;
    return 0;
}

/* Field `slot` of a bitgen_t (0: the state's address, then the functions),
   loaded as invariant: a BitGenerator never changes its bitgen_t, so LLVM
   may hoist these loads out of a loop of draws rather than reload them
   after each call that advances the state. */
static LLVMValueRef
load_bitgen_field(PjLower *lw, LLVMValueRef bitgen, unsigned slot,
                  const char *name)
{
    LLVMValueRef idx[1] = {pj_i64(lw, slot)};
    LLVMValueRef at = LLVMBuildGEP2(lw->b, lw->t_ptr, bitgen, idx, 1, "");
    return pj_lower_invariant_load(lw, lw->t_ptr, at, name);
}

/* The bitgen_t a draw's first argument names: a Generator's, or the
   address _npgen_bitgen gave. */
static LLVMValueRef
bitgen_address(PjLower *lw, PjType *t, LLVMValueRef v)
{
    if (t->kind == PJ_TK_NPGEN) {
        return pj_part(lw, v, NPGEN_BITGEN);
    }
    return LLVMBuildIntToPtr(lw->b, v, lw->t_ptr, "bitgen");
}

/* Whether t names a bitgen_t: a Generator, or an address of one. */
static bool
names_bitgen(PjType *t)
{
    return t != NULL && (t->kind == PJ_TK_NPGEN || t == pj_t.i64);
}

/* _npgen_bitgen(g): the address of g's bitgen_t as an integer (g itself
   when it is one already, as in a method another calls).  The
   methods draw through it rather than through g, so that the helpers a
   draw goes through pass a plain number, not a value whose block each
   call would keep and release; g, alive in the method, keeps the
   BitGenerator alive. */
static LLVMValueRef
lower_bitgen(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    return LLVMBuildPtrToInt(lw->b, bitgen_address(lw, ins->argtys[0],
                                                   args[0]),
                             lw->t_i64, "bitgen");
}

static const PjImpl impl_bitgen = {"npgen_bitgen", lower_bitgen, false,
                                   false};

int
pj_type_npgen_bitgen(PjCompile *cx, PjInstr *ins,
                     const PjCallable *Py_UNUSED(fn), PjType **args, int n)
{
    if (n != 1 || !names_bitgen(args[0])) {
        return 1;
    }
    return pj_choose(cx, ins, &impl_bitgen, pj_t.i64, args, 1);
}

/* _npgen_next_uint64(g), _npgen_next_uint32(g), _npgen_next_double(g):
   the bit generator's function (the row's impl names it) called on its
   state; g a Generator or its _npgen_bitgen address. */
static LLVMValueRef
lower_next(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    static const char *const names[] = {"next_uint64", "next_uint32",
                                        "next_double"};
    unsigned slot = 1;
    while (strcmp(names[slot - 1], ins->plan.fn->impl) != 0) {
        slot++;
    }
    LLVMTypeRef ret = pj_lower_type(lw, ins->resty);
    LLVMValueRef bitgen = bitgen_address(lw, ins->argtys[0], args[0]);
    LLVMValueRef state = load_bitgen_field(lw, bitgen, 0, "state");
    LLVMValueRef fp = load_bitgen_field(lw, bitgen, slot, names[slot - 1]);
    LLVMTypeRef fty = LLVMFunctionType(ret, &lw->t_ptr, 1, 0);
    return LLVMBuildCall2(lw->b, fty, fp, &state, 1, "");
}

static const PjImpl impl_next = {"npgen_next", lower_next, false, false};

int
pj_type_npgen_next(PjCompile *cx, PjInstr *ins, const PjCallable *fn,
                   PjType **args, int n)
{
    if (n != 1 || !names_bitgen(args[0])) {
        return 1;
    }
    PjType *res = strcmp(fn->impl, "next_double") == 0 ? pj_t.f64
                  : strcmp(fn->impl, "next_uint32") == 0 ? pj_t.u32
                  : pj_t.u64;
    return pj_choose_plan(cx, ins, &impl_next, res, args, 1,
                          (PjPlan){.fn = fn});
}
