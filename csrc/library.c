/*
** library.c - the NumPy library written in Python (pyjit/_numpy.py), and
** the intrinsics it is written with; the str methods written in Python
** (pyjit/_unicode.py).
**
** pyjit compiles the library's functions like user code, on first use and
** for the types of each call, and links them into their callers.  The
** library maps each NumPy callable and each array method it implements to
** the dispatcher of its implementation.  A few things the Python cannot
** say are intrinsics here (_sum_zero, _sum_one, _mean_zero: the 0 or 1 a
** sum or mean of these elements starts from, in NumPy's accumulator type;
** _axis_index: an axis checked against the dimensions, with NumPy's
** AxisError; _drop_axis: a shape without one of its dimensions;
** _holds_integers: whether an array's dtype is an integer or bool, a
** constant; _promoted_zero: zero in NumPy's promotion of two dtypes;
** _permute_dims: a view of an array with its dimensions in another
** order; _strided_view: a view of its memory with any shape and strides; _sort_key: a number as an integer key in its sort order;
** _refuse_integers: the typing error of an integer matrix product;
** _expect: the typing error of an argument of the wrong form).
*/
#include "pyjit.h"

/* module.library(*args): its ({callable: dispatcher}, {method name:
   dispatcher}) into *functions and *methods (new references). */
static int
load_part(const char *module, PyObject *args, PyObject **functions,
          PyObject **methods)
{
    PyObject *mod = PyImport_ImportModule(module);
    PyObject *f = mod ? PyObject_GetAttrString(mod, "library") : NULL;
    PyObject *lib = f ? PyObject_CallObject(f, args) : NULL;
    Py_XDECREF(mod);
    Py_XDECREF(f);
    if (lib == NULL || !PyArg_ParseTuple(lib, "O!O!", &PyDict_Type,
                                         functions, &PyDict_Type, methods)) {
        Py_XDECREF(lib);
        return -1;
    }
    Py_INCREF(*functions);
    Py_INCREF(*methods);
    Py_DECREF(lib);
    return 0;
}

/* The NumPy functions written in Python (pyjit/_numpy.py), and the ones
   parallel=True functions use instead (pyjit/_parallel_numpy.py), loaded
   when compiled code first names a callable that is not a builtin. */
static int
load_library(void)
{
    if (pj_state->parallel_library != NULL) {
        return 0;
    }
    if (pj_state->library == NULL
        && load_part("pyjit._numpy", NULL, &pj_state->library,
                     &pj_state->library_methods) < 0) {
        return -1;
    }
    PyObject *args = PyTuple_Pack(1, pj_state->library);
    int rc = args ? load_part("pyjit._parallel_numpy", args,
                              &pj_state->parallel_library,
                              &pj_state->parallel_library_methods) : -1;
    Py_XDECREF(args);
    return rc;
}

/* The entry of `key` in the parallel dict when `parallel` has one, else in
   the serial one; NULL if neither has (borrowed). */
static PyObject *
lookup(PyObject *serial, PyObject *par, PyObject *key, bool parallel)
{
    PyObject *d = parallel ? PyDict_GetItemWithError(par, key) : NULL;
    if (d == NULL && !PyErr_Occurred()) {
        d = PyDict_GetItemWithError(serial, key);
    }
    if (d == NULL) {
        PyErr_Clear();          /* unhashable: not a library function */
    }
    return d;
}

/* The dispatcher implementing a NumPy callable, or NULL (borrowed); a
   parallel=True function's sum is the one that runs on threads. */
PyObject *
pj_library_function(PyObject *callable, bool parallel)
{
    if (load_library() < 0) {
        PyErr_Clear();
        return NULL;
    }
    return lookup(pj_state->library, pj_state->parallel_library, callable,
                  parallel);
}

/* Whether obj is a NumPy ufunc (np.add, np.sqrt). */
bool
pj_is_numpy_ufunc(PyObject *obj)
{
    return obj != NULL && strcmp(Py_TYPE(obj)->tp_name, "numpy.ufunc") == 0;
}

/* {dispatcher: ufunc} of the library's implementations of ufuncs,
   serial and parallel; NULL with an exception when it cannot be made. */
static PyObject *
ufuncs_by_dispatcher(void)
{
    PyObject *map = PyDict_New();
    PyObject *tables[2] = {pj_state->library, pj_state->parallel_library};
    for (int t = 0; map != NULL && t < 2; t++) {
        PyObject *key, *value;
        Py_ssize_t pos = 0;
        while (PyDict_Next(tables[t], &pos, &key, &value)) {
            if (pj_is_numpy_ufunc(key) && PyDict_SetItem(map, value, key)) {
                Py_CLEAR(map);
                break;
            }
        }
    }
    return map;
}

/* The NumPy ufunc the library's dispatcher disp implements (np.add's),
   or NULL (borrowed). */
PyObject *
pj_library_ufunc_of(PyObject *disp)
{
    if (pj_state->library_ufuncs == NULL) {
        if (load_library() < 0
            || (pj_state->library_ufuncs = ufuncs_by_dispatcher()) == NULL) {
            PyErr_Clear();
            return NULL;
        }
    }
    PyObject *u = PyDict_GetItemWithError(pj_state->library_ufuncs, disp);
    PyErr_Clear();
    return u;
}

/* The table {name: dispatcher} module.library() returns, made on first
   use into *table (borrowed); NULL with an exception when it does not
   load. */
PyObject *
pj_library_table(PyObject **table, const char *module)
{
    if (*table == NULL) {
        PyObject *mod = PyImport_ImportModule(module);
        *table = mod ? PyObject_CallMethod(mod, "library", NULL) : NULL;
        Py_XDECREF(mod);
    }
    return *table;
}

/* The library's implementation of a.name(...) for an array a, or NULL
   (borrowed): the array kind's library_method. */
PyObject *
pj_library_array_method(PjType *Py_UNUSED(self), const char *name,
                        bool parallel)
{
    if (load_library() < 0) {
        PyErr_Clear();
        return NULL;
    }
    PyObject *key = PyUnicode_FromString(name);
    PyObject *d = key ? lookup(pj_state->library_methods,
                               pj_state->parallel_library_methods, key,
                               parallel) : NULL;
    Py_XDECREF(key);
    PyErr_Clear();
    return d;
}

/* The dispatcher implementing self.name(...), or NULL (borrowed): the
   library's (the kind of self knows where its methods are), else an
   overload_method's template (extending.c). */
PyObject *
pj_library_method(PjType *self, const char *name, bool parallel)
{
    const PjKind *k = pj_kind(self);
    PyObject *d = k->library_method ? k->library_method(self, name, parallel)
                                    : NULL;
    return d != NULL ? d : pj_extending_method(self, name);
}

/* The modules of the library, code the user did not write, whose typing
   errors are reported at the user's call; a name ending in _ is a prefix
   (pyjit/_np_*.py). */
static const char *const library_modules[] = {
    "pyjit._numpy", "pyjit._np_", "pyjit._parallel_numpy", "pyjit._unicode",
    "pyjit._lists", "pyjit._sets", "pyjit._bytes",
};

static bool
is_library_module(const char *module, const char *name)
{
    size_t n = strlen(name);
    return strncmp(module, name, n) == 0
           && (module[n] == '\0' || name[n - 1] == '_');
}

/* Whether a dispatcher is one of the library's, its helpers included. */
bool
pj_library_owns(PyObject *disp)
{
    PyObject *name = pj_dispatcher_info(disp)->module_name;
    const char *module = PyUnicode_Check(name) ? PyUnicode_AsUTF8(name)
                                               : NULL;
    size_t n = sizeof(library_modules) / sizeof(*library_modules);
    for (size_t i = 0; module != NULL && i < n; i++) {
        if (is_library_module(module, library_modules[i])) {
            return true;
        }
    }
    return false;
}

/* --- the intrinsics the library is written with --- */

/* The type NumPy sums elements of type t in: small integers and bool
   widen to 64 bits, floats and complex numbers stay as they are. */
static PjType *
sum_type(PjType *t)
{
    switch (t->kind) {
    case PJ_TK_BOOL:
    case PJ_TK_INT: return pj_t.i64;
    case PJ_TK_UINT: return pj_t.u64;
    default: return t;
    }
}

static LLVMValueRef
lower_sum_zero(PjLower *lw, PjInstr *ins, LLVMValueRef *Py_UNUSED(args))
{
    return LLVMConstNull(pj_lower_type(lw, ins->resty));
}

static const PjImpl impl_sum_zero = {"sum_zero", lower_sum_zero, false, false};

static LLVMValueRef
lower_sum_one(PjLower *lw, PjInstr *ins, LLVMValueRef *Py_UNUSED(args))
{
    return pj_lower_convert(lw, LLVMConstInt(lw->t_i64, 1, 0), pj_t.i64,
                            ins->resty);
}

static const PjImpl impl_sum_one = {"sum_one", lower_sum_one, false, false};

/* _axis_index(axis, ndim), for the library's reductions along an axis:
   the dimension the axis names (negative counts from the end), or
   NumPy's AxisError, with NumPy's message, when there is none. */
static LLVMValueRef
lower_axis_index(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    LLVMValueRef axis = pj_lower_convert(lw, args[0], ins->argtys[0],
                                         pj_t.i64);
    LLVMValueRef nd = pj_lower_convert(lw, args[1], ins->argtys[1],
                                       pj_t.i64);
    LLVMValueRef neg = LLVMBuildICmp(lw->b, LLVMIntSLT, axis, pj_i64(lw, 0),
                                     "");
    LLVMValueRef k = LLVMBuildSelect(lw->b, neg, LLVMBuildAdd(lw->b, axis, nd,
                                                              ""), axis, "");
    LLVMTypeRef p[2] = {lw->t_i64, lw->t_i64};
    LLVMValueRef a[2] = {axis, nd};
    pj_lower_raise_if(lw, LLVMBuildICmp(lw->b, LLVMIntUGE, k, nd, ""),
                      "pj_rt_raise_axis_error", p, a, 2);
    return k;
}

static const PjImpl impl_axis_index = {"axis_index", lower_axis_index, true,
                                       false};

/* _drop_axis(shape, k): the shape without dimension k (0 <= k < len),
   the shape of a reduction along k. */
static LLVMValueRef
lower_drop_axis(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    LLVMValueRef k = pj_lower_convert(lw, args[1], ins->argtys[1], pj_t.i64);
    LLVMValueRef res = LLVMGetUndef(pj_lower_type(lw, ins->resty));
    for (int j = 0; j < ins->resty->count; j++) {
        LLVMValueRef keep = LLVMBuildICmp(lw->b, LLVMIntSGT, k, pj_i64(lw, j),
                                          "");
        LLVMValueRef here = LLVMBuildExtractValue(lw->b, args[0],
                                                  (unsigned)j, "");
        LLVMValueRef next = LLVMBuildExtractValue(lw->b, args[0],
                                                  (unsigned)j + 1, "");
        LLVMValueRef d = LLVMBuildSelect(lw->b, keep, here, next, "");
        res = LLVMBuildInsertValue(lw->b, res, d, (unsigned)j, "");
    }
    return res;
}

static const PjImpl impl_drop_axis = {"drop_axis", lower_drop_axis, false,
                                      false};

int
pj_type_drop_axis(PjCompile *cx, PjInstr *ins, const PjCallable *Py_UNUSED(fn),
                  PjType **bound, int n)
{
    if (n != 2 || !pj_type_is_unituple(bound[0])
        || bound[0]->elems[0] != pj_t.i64 || !pj_type_is_integer(bound[1])) {
        return 1;
    }
    PjType *items[PJ_MAX_ARGS];
    for (int j = 0; j < bound[0]->count - 1; j++) {
        items[j] = pj_t.i64;
    }
    PjType *res = pj_type_tuple(items, bound[0]->count - 1);
    return res ? pj_choose(cx, ins, &impl_drop_axis, res, bound, 2) : -1;
}

/* The type the library's sum, prod (mean: the mean) of elements of type
   dtype accumulate in, NumPy's. */
PjType *
pj_library_accumulator(PjType *dtype, bool mean)
{
    PjType *t = sum_type(dtype);
    return mean && pj_type_is_integer(t) ? pj_t.f64 : t;
}

/* _sum_zero(a), _sum_one(a), _mean_zero(a): 0 or 1 of the type NumPy
   accumulates a's elements in (a mean of integers in float64). */
static int
type_accumulator(PjCompile *cx, PjInstr *ins, PjType **args, int n,
                 const PjImpl *impl, bool mean)
{
    if (n != 1 || !pj_type_is_array(args[0])) {
        return 1;
    }
    PjType *t = pj_library_accumulator(args[0]->elems[0], mean);
    return pj_choose(cx, ins, impl, t, args, 1);
}

int
pj_type_sum_zero(PjCompile *cx, PjInstr *ins, const PjCallable *Py_UNUSED(fn),
                 PjType **args, int n)
{
    return type_accumulator(cx, ins, args, n, &impl_sum_zero, false);
}

int
pj_type_sum_one(PjCompile *cx, PjInstr *ins, const PjCallable *Py_UNUSED(fn),
                PjType **args, int n)
{
    return type_accumulator(cx, ins, args, n, &impl_sum_one, false);
}

int
pj_type_mean_zero(PjCompile *cx, PjInstr *ins,
                  const PjCallable *Py_UNUSED(fn), PjType **args, int n)
{
    return type_accumulator(cx, ins, args, n, &impl_sum_zero, true);
}

int
pj_type_axis_index(PjCompile *cx, PjInstr *ins,
                   const PjCallable *Py_UNUSED(fn), PjType **args, int n)
{
    if (n != 2 || !pj_type_is_integer(args[0])
        || !pj_type_is_integer(args[1])) {
        return 1;
    }
    cx->can_raise = true;       /* AxisError */
    return pj_choose(cx, ins, &impl_axis_index, pj_t.i64, args, 2);
}

/* _holds_integers(a): a constant, decided by a's dtype. */
static LLVMValueRef
lower_holds_integers(PjLower *lw, PjInstr *ins,
                     LLVMValueRef *Py_UNUSED(args))
{
    PjType *t = ins->argtys[0]->elems[0];
    return LLVMConstInt(pj_lower_type(lw, pj_t.boolean),
                        pj_type_is_integer(t) || t->kind == PJ_TK_BOOL, 0);
}

static const PjImpl impl_holds_integers = {"holds_integers",
                                           lower_holds_integers, false,
                                           false};

int
pj_type_holds_integers(PjCompile *cx, PjInstr *ins,
                       const PjCallable *Py_UNUSED(fn), PjType **args, int n)
{
    if (n != 1 || !pj_type_is_array(args[0])) {
        return 1;
    }
    return pj_choose(cx, ins, &impl_holds_integers, pj_t.boolean, args, 1);
}

/* The dispatcher `name` of the table module.library() returns
   (borrowed); NULL with an exception when there is none. */
PyObject *
pj_library_named(PyObject **table, const char *module, const char *name)
{
    if (pj_library_table(table, module) == NULL) {
        return NULL;
    }
    PyObject *d = PyDict_GetItemString(*table, name);
    if (d == NULL && !PyErr_Occurred()) {
        PyErr_Format(PyExc_SystemError, "%s has no %s", module, name);
    }
    return d;
}

/* The dispatcher of method `name` in a library table, whose methods are
   named "<prefix>.<name>" (list.count, set.union), or NULL (borrowed, no
   exception): not a method of the library's. */
PyObject *
pj_library_prefixed(PyObject **table, const char *module, const char *prefix,
                    const char *name)
{
    char key[64];
    snprintf(key, sizeof(key), "%s.%s", prefix, name);
    PyObject *d = pj_library_named(table, module, key);
    PyErr_Clear();
    return d;
}

/* An operation a kind leaves to a library function: typed as a call of
   the dispatcher disp with operands of types args, lowered by impl
   (pj_library_impl, or one whose lower ends in pj_library_lower_call). */
int
pj_library_choose_call(PjCompile *cx, PjInstr *ins, const PjImpl *impl,
                       PyObject *disp, PjType **args, int n)
{
    PjCallee *callee = cx->type_callee(cx, disp, args, n, cx->reporting);
    if (callee == NULL || callee->restype == NULL) {
        return -1;
    }
    if (callee->depends_on < cx->depends_on) {
        cx->depends_on = callee->depends_on;
    }
    cx->can_raise |= callee->can_raise;
    return pj_choose_plan(cx, ins, impl, callee->restype, callee->argtys, n,
                          (PjPlan){.ptr = callee});
}

/* Calls the library function chosen; its result is converted to the
   type inference gave the operation. */
LLVMValueRef
pj_library_lower_call(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *restype;
    LLVMValueRef r = pj_lower_call_callee(lw, (PjCallee *)ins->plan.ptr, args,
                                          &restype);
    return r ? pj_lower_convert(lw, r, restype, ins->resty) : NULL;
}

const PjImpl pj_library_impl = {"library call", pj_library_lower_call, true,
                                true};

/* The dtype of an array, or the number itself. */
static PjType *
element_type(PjType *t)
{
    if (pj_type_is_array(t)) {
        return t->elems[0];
    }
    return pj_type_is_number(t) || pj_type_is_datetime_like(t) ? t : NULL;
}

/* _promoted_zero(x, y): 0 in np.promote_types of x's and y's dtypes (a
   number's is its type), for np.where(c, x, y); datetimes of one kind
   promote to the finer unit. */
int
pj_type_promoted_zero(PjCompile *cx, PjInstr *ins,
                      const PjCallable *Py_UNUSED(fn), PjType **args, int n)
{
    PjType *a = n == 2 ? element_type(args[0]) : NULL;
    PjType *b = n == 2 ? element_type(args[1]) : NULL;
    if (a == NULL || b == NULL) {
        return 1;
    }
    bool datetimes = pj_type_is_datetime_like(a)
                     || pj_type_is_datetime_like(b);
    PjType *r = !datetimes ? pj_type_numpy_promote(a, b)
                : a->kind == b->kind ? pj_type_unify(a, b) : NULL;
    return r ? pj_choose(cx, ins, &impl_sum_zero, r, args, 2) : 1;
}

/* Whether t is a tuple of integers. */
static bool
is_int_tuple(PjType *t)
{
    if (!pj_type_is_tuple(t)) {
        return false;
    }
    for (int k = 0; k < t->count; k++) {
        if (!pj_type_is_integer(pj_type_elem(t, k))) {
            return false;
        }
    }
    return true;
}

/* Item k of the tuple of integers t (of type tt) as an int64. */
static LLVMValueRef
int_item(PjLower *lw, LLVMValueRef t, PjType *tt, int k)
{
    return pj_lower_convert(lw, LLVMBuildExtractValue(lw->b, t, (unsigned)k,
                                                      ""),
                            pj_type_elem(tt, k), pj_t.i64);
}

/* _permute_dims(a, axes): the view of a whose dimension k is a's
   dimension axes[k]; the library has checked that axes is a permutation
   of a's dimensions.  The shape and strides are read from memory, where
   a run-time axis can index them. */
static LLVMValueRef
lower_permute_dims(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    int nd = pj_array_ndim(ins->argtys[0]);
    LLVMTypeRef dims_t = LLVMArrayType2(lw->t_i64, (unsigned)nd);
    LLVMValueRef dims[2], shape[PJ_MAX_NDIM], strides[PJ_MAX_NDIM];
    unsigned fields[2] = {PJ_ARRAY_SHAPE, PJ_ARRAY_STRIDES};
    for (int f = 0; f < 2; f++) {
        dims[f] = pj_lower_alloca(lw, dims_t, "dims");
        LLVMBuildStore(lw->b, LLVMBuildExtractValue(lw->b, args[0], fields[f],
                                                    ""), dims[f]);
    }
    for (int k = 0; k < nd; k++) {
        LLVMValueRef j = int_item(lw, args[1], ins->argtys[1], k);
        LLVMValueRef at[2] = {pj_i64(lw, 0), j};
        shape[k] = LLVMBuildLoad2(lw->b, lw->t_i64, LLVMBuildGEP2(
            lw->b, dims_t, dims[0], at, 2, ""), "");
        strides[k] = LLVMBuildLoad2(lw->b, lw->t_i64, LLVMBuildGEP2(
            lw->b, dims_t, dims[1], at, 2, ""), "");
    }
    return pj_array_with_dims(lw, args[0], ins->resty, shape, strides);
}

static const PjImpl impl_permute_dims = {"permute_dims", lower_permute_dims,
                                         false, false};

int
pj_type_permute_dims(PjCompile *cx, PjInstr *ins,
                     const PjCallable *Py_UNUSED(fn), PjType **args, int n)
{
    if (n != 2 || !pj_type_is_array(args[0]) || !is_int_tuple(args[1])
        || args[1]->count != pj_array_ndim(args[0])) {
        return 1;
    }
    PjType *a = args[0];
    PjType *res = pj_type_array(a->elems[0], pj_array_ndim(a),
                                PJ_LAYOUT_A | (a->ident & PJ_READONLY));
    return res ? pj_choose(cx, ins, &impl_permute_dims, res, args, 2) : -1;
}

/* _broadcast_view(a, shape): np.broadcast_to's read-only view of a with
   the shape, a tuple of as many or more dimensions: a's dimensions are
   the last ones, each the size asked for (its stride kept) or 1 (stride
   0, repeated); the new leading ones have stride 0.  Any other size is
   NumPy's ValueError. */
static LLVMValueRef
lower_broadcast_view(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    int nd = pj_array_ndim(ins->argtys[0]), n = ins->argtys[1]->count;
    LLVMValueRef in_shape = LLVMBuildExtractValue(lw->b, args[0],
                                                  PJ_ARRAY_SHAPE, "");
    LLVMValueRef in_strides = LLVMBuildExtractValue(lw->b, args[0],
                                                    PJ_ARRAY_STRIDES, "");
    LLVMValueRef shape[PJ_MAX_NDIM], strides[PJ_MAX_NDIM];
    for (int i = 0; i < n; i++) {
        shape[i] = int_item(lw, args[1], ins->argtys[1], i);
        pj_lower_check(lw, LLVMBuildICmp(lw->b, LLVMIntSLT, shape[i],
                                         pj_i64(lw, 0), ""),
                       "ValueError", "all elements of broadcast shape must "
                       "be non-negative");
        int j = i - (n - nd);
        if (j < 0) {
            strides[i] = pj_i64(lw, 0);
            continue;
        }
        LLVMValueRef dim = LLVMBuildExtractValue(lw->b, in_shape,
                                                 (unsigned)j, "");
        LLVMValueRef same = LLVMBuildICmp(lw->b, LLVMIntEQ, dim, shape[i], "");
        LLVMValueRef one = LLVMBuildICmp(lw->b, LLVMIntEQ, dim,
                                         pj_i64(lw, 1), "");
        pj_lower_check(lw, LLVMBuildNot(lw->b, LLVMBuildOr(lw->b, same, one,
                                                           ""), ""),
                       "ValueError", "operands could not be broadcast "
                       "together with the requested shape");
        strides[i] = LLVMBuildSelect(
            lw->b, same, LLVMBuildExtractValue(lw->b, in_strides,
                                               (unsigned)j, ""),
            pj_i64(lw, 0), "");
    }
    return pj_array_with_dims(lw, args[0], ins->resty, shape, strides);
}

static const PjImpl impl_broadcast_view = {"broadcast_to",
                                           lower_broadcast_view, true, false};

int
pj_type_broadcast_view(PjCompile *cx, PjInstr *ins,
                       const PjCallable *Py_UNUSED(fn), PjType **args, int n)
{
    if (n != 2 || !pj_type_is_array(args[0]) || !pj_type_is_tuple(args[1])
        || args[1]->count < pj_array_ndim(args[0])
        || args[1]->count > PJ_MAX_NDIM || args[1]->count == 0) {
        cx->why = "broadcast_to takes an array and a shape of as many or "
                  "more dimensions";
        return 1;
    }
    if (!is_int_tuple(args[1])) {
        return 1;
    }
    PjType *res = pj_type_array(args[0]->elems[0], args[1]->count,
                                PJ_LAYOUT_A | PJ_READONLY);
    cx->can_raise = true;
    return res ? pj_choose(cx, ins, &impl_broadcast_view, res, args, 2) : -1;
}

/* _strided_view(a, shape, strides): NumPy's as_strided, a view of a's
   memory with any shape and strides in bytes, unchecked as NumPy leaves
   them (the library's as_strided checks that the sizes are not
   negative). */
static LLVMValueRef
lower_strided_view(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    LLVMValueRef shape[PJ_MAX_NDIM], strides[PJ_MAX_NDIM];
    for (int k = 0; k < ins->argtys[1]->count; k++) {
        shape[k] = int_item(lw, args[1], ins->argtys[1], k);
        strides[k] = int_item(lw, args[2], ins->argtys[2], k);
    }
    return pj_array_with_dims(lw, args[0], ins->resty, shape, strides);
}

static const PjImpl impl_strided_view = {"as_strided", lower_strided_view,
                                         false, false};

int
pj_type_strided_view(PjCompile *cx, PjInstr *ins,
                     const PjCallable *Py_UNUSED(fn), PjType **args, int n)
{
    if (n != 3 || !pj_type_is_array(args[0]) || !is_int_tuple(args[1])
        || !is_int_tuple(args[2]) || args[1]->count != args[2]->count
        || args[1]->count > PJ_MAX_NDIM) {
        cx->why = "as_strided takes an array, and a shape and strides of "
                  "as many dimensions";
        return 1;
    }
    PjType *a = args[0];
    PjType *res = pj_type_array(a->elems[0], args[1]->count,
                                PJ_LAYOUT_A | (a->ident & PJ_READONLY));
    return res ? pj_choose(cx, ins, &impl_strided_view, res, args, 3) : -1;
}

/* _data_address(a): the address of a's first element as an integer, what
   Numba's a.ctypes.data is (the library's a.ctypes holds a beside it,
   which keeps the memory alive). */
static LLVMValueRef
lower_data_address(PjLower *lw, PjInstr *Py_UNUSED(ins), LLVMValueRef *args)
{
    return LLVMBuildPtrToInt(
        lw->b, LLVMBuildExtractValue(lw->b, args[0], PJ_ARRAY_DATA, ""),
        lw->t_i64, "");
}

static const PjImpl impl_data_address = {"data_address", lower_data_address,
                                         false, false};

int
pj_type_data_address(PjCompile *cx, PjInstr *ins,
                     const PjCallable *Py_UNUSED(fn), PjType **args, int n)
{
    if (n != 1 || !pj_type_is_array(args[0])) {
        return 1;
    }
    return pj_choose(cx, ins, &impl_data_address, pj_t.u64, args, 1);
}

/* _expect(x, what): nothing at run time; the typing error of a library
   function given a value of the wrong form, found when it compiles:
   what is "matrix" (a 2-d array, as np.linalg's functions take) or
   "arrays" (a tuple or list of arrays, as np.concatenate takes).  The
   call's error names the function the user called (typeinfer.c). */
static LLVMValueRef
lower_expect(PjLower *lw, PjInstr *Py_UNUSED(ins),
             LLVMValueRef *Py_UNUSED(args))
{
    return pj_lower_none(lw);
}

static const PjImpl impl_expect = {"expect", lower_expect, false, false};

static bool
is_arrays(PjType *t)
{
    if (pj_type_is_list(t)) {
        return pj_type_is_array(t->elems[0]);
    }
    if (!pj_type_is_tuple(t) || t->count == 0) {
        return false;
    }
    for (int k = 0; k < t->count; k++) {
        if (!pj_type_is_array(pj_type_elem(t, k))) {
            return false;
        }
    }
    return true;
}

int
pj_type_expect(PjCompile *cx, PjInstr *ins, const PjCallable *Py_UNUSED(fn),
               PjType **args, int n)
{
    if (n != 2 || !pj_type_is_strlit(args[1])
        || !PyUnicode_Check(args[1]->obj)) {
        return 1;
    }
    const char *what = PyUnicode_AsUTF8(args[1]->obj);
    PjType *x = args[0];
    if (strcmp(what, "matrix") == 0) {
        if (pj_type_is_array(x) && pj_array_ndim(x) == 2) {
            return pj_choose(cx, ins, &impl_expect, pj_t.none, args, 2);
        }
        return pj_infer_fail(cx, ins, "only supported on 2-D arrays "
                             "(matrices), not %s", pj_type_str(x));
    }
    if (strcmp(what, "arrays") == 0) {
        if (is_arrays(x)) {
            return pj_choose(cx, ins, &impl_expect, pj_t.none, args, 2);
        }
        return pj_infer_fail(cx, ins, "expects a tuple or list of arrays "
                             "as its first argument, not %s",
                             pj_type_str(x));
    }
    return 1;
}

/* _sort_key(x): a bool, integer or float as a 64-bit integer whose
   unsigned order is NumPy's sort order of x's type, for
   pyjit/_np_sort.py's radix sort: the key has x's width (the bits above
   are zero), a signed integer its sign bit flipped, a float the bits of
   x + 0.0 (-0.0 sorts as 0.0) with the sign bit flipped, all bits of a
   negative one.  The library keeps NaNs out of the sort. */
static LLVMValueRef
lower_sort_key(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *t = ins->argtys[0];
    LLVMValueRef x = args[0];
    LLVMTypeRef ty = LLVMIntTypeInContext(lw->ctx, (unsigned)t->bits);
    LLVMValueRef sign = LLVMConstInt(ty, 1ULL << (t->bits - 1), 0);
    if (t->kind == PJ_TK_FLOAT) {
        x = LLVMBuildBitCast(lw->b, LLVMBuildFAdd(
            lw->b, x, LLVMConstReal(LLVMTypeOf(x), 0.0), ""), ty, "");
        LLVMValueRef neg = LLVMBuildAShr(lw->b, x, LLVMConstInt(
            ty, (unsigned long long)t->bits - 1, 0), "");
        x = LLVMBuildXor(lw->b, x, LLVMBuildOr(lw->b, neg, sign, ""), "");
    } else if (t->kind == PJ_TK_INT) {
        x = LLVMBuildXor(lw->b, x, sign, "");
    }
    return LLVMBuildZExtOrBitCast(lw->b, x, lw->t_i64, "key");
}

static const PjImpl impl_sort_key = {"sort_key", lower_sort_key, false,
                                     false};

int
pj_type_sort_key(PjCompile *cx, PjInstr *ins, const PjCallable *Py_UNUSED(fn),
                 PjType **args, int n)
{
    if (n == 1 && pj_type_is_datetime_like(args[0])) {
        /* their count, in the order of int64 (NaT is kept out) */
        return pj_choose(cx, ins, &impl_sort_key, pj_t.i64, &pj_t.i64, 1);
    }
    if (n != 1 || !(pj_type_is_integer(args[0])
                    || args[0]->kind == PJ_TK_BOOL
                    || args[0] == pj_t.f32 || args[0] == pj_t.f64)) {
        return 1;
    }
    return pj_choose(cx, ins, &impl_sort_key, pj_t.i64, args, 1);
}

/* _refuse_integers(name, a, b): the typing error of a matrix product of
   integer arrays, which the library's BLAS products refuse as Numba's do;
   reached only in the branch of integer dtypes, so it is a compile-time
   error naming both dtypes. */
int
pj_type_refuse_integers(PjCompile *cx, PjInstr *ins,
                        const PjCallable *Py_UNUSED(fn), PjType **args, int n)
{
    if (n != 3 || !pj_type_is_strlit(args[0]) || !pj_type_is_array(args[1])
        || !pj_type_is_array(args[2]) || !PyUnicode_Check(args[0]->obj)) {
        return 1;
    }
    return pj_infer_fail(cx, ins, "%s of matrices takes float and complex "
                         "arrays, not %s and %s (BLAS has no integer "
                         "matrix product)", PyUnicode_AsUTF8(args[0]->obj),
                         pj_type_str(args[1]->elems[0]),
                         pj_type_str(args[2]->elems[0]));
}
