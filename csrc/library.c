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
** constant).
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

/* The str methods written in Python (pyjit/_unicode.py): name ->
   dispatcher, loaded when compiled code first looks one up. */
static PyObject *str_methods;

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

static PyObject *
str_method(const char *name)
{
    if (pj_library_table(&str_methods, "pyjit._unicode") == NULL) {
        PyErr_Clear();
        return NULL;
    }
    return PyDict_GetItemString(str_methods, name);
}

/* The dispatcher implementing self.name(...), or NULL (borrowed): the
   library's methods are array methods, str methods (pyjit/_unicode.py),
   list methods (list.c's) and a jitclass's own (jitclass.c). */
PyObject *
pj_library_method(PjType *self, const char *name, bool parallel)
{
    if (self->kind == PJ_TK_LIST) {
        return pj_list_method(name);
    }
    if (self->kind == PJ_TK_JITCLASS) {
        return pj_jitclass_method(self, name);
    }
    if (pj_type_is_str(self)) {
        return str_method(name);
    }
    if (!pj_type_is_array(self) || load_library() < 0) {
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

/* The modules of the library, code the user did not write, whose typing
   errors are reported at the user's call; a name ending in _ is a prefix
   (pyjit/_np_*.py). */
static const char *const library_modules[] = {
    "pyjit._numpy", "pyjit._np_", "pyjit._parallel_numpy", "pyjit._unicode",
    "pyjit._lists",
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
    if (n != 2 || bound[0]->kind != PJ_TK_UNITUPLE
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

/* _sum_zero(a), _sum_one(a), _mean_zero(a): 0 or 1 of the type NumPy
   accumulates a's elements in (a mean of integers in float64). */
static int
type_accumulator(PjCompile *cx, PjInstr *ins, PjType **args, int n,
                 const PjImpl *impl, bool mean)
{
    if (n != 1 || !pj_type_is_array(args[0])) {
        return 1;
    }
    PjType *t = sum_type(args[0]->elems[0]);
    if (mean && pj_type_is_integer(t)) {
        t = pj_t.f64;
    }
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
