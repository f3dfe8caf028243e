/*
** values.c - values known when a function compiles, and Python objects.
**
** A module, a class used as a conversion (np.float32) and a string
** constant have compile-local types holding the object itself (obj): they
** have no run-time value, and what compiled code does with them is
** decided while typing.  Functions (builtin, library or jitted) are
** values of functions.c's kinds.  A method looked up on a value
** (x.conjugate) is bound to it and holds it.
**
** pyobject is the type of a value nopython code cannot handle: object mode
** runs such functions on the interpreter (objmode.c).
*/
#include "pyjit.h"

/* Compile-local types are made afresh by each inference sweep; two of them
   are the same type when they stand for the same constant. */
static PjType *
same_const(PjType *a, PjType *b)
{
    if (a->kind != b->kind || a->ident != b->ident) {
        return NULL;
    }
    if (a->kind == PJ_TK_BOUND) {
        /* the object's type may widen: a list learning its item type */
        PjType *u = pj_type_unify(a->elems[0], b->elems[0]);
        if (u == NULL || PyUnicode_Compare(a->obj, b->obj) != 0) {
            return NULL;
        }
        return u == a->elems[0] ? a : u == b->elems[0] ? b : NULL;
    }
    return a->obj == b->obj ? a : NULL;
}

static void
print_strlit(PjBuf *b, PjType *t)
{
    PyObject *s = PyObject_Str(t->obj);
    pj_buf_printf(b, "Literal[str](%s)", s ? PyUnicode_AsUTF8(s) : "?");
    Py_XDECREF(s);
}

static void
print_repr(PjBuf *b, const char *fmt, PyObject *obj)
{
    PyObject *r = PyObject_Repr(obj);
    pj_buf_printf(b, fmt, r ? PyUnicode_AsUTF8(r) : "?");
    Py_XDECREF(r);
}

static void
print_module(PjBuf *b, PjType *t)
{
    print_repr(b, "Module(%s)", t->obj);
}

static void
print_function(PjBuf *b, PjType *t)
{
    print_repr(b, "Function(%s)", t->obj);
}

/* np.float32 prints as class(numpy.float32), int as Function(<class
   'int'>), as Numba prints them. */
static void
print_class(PjBuf *b, PjType *t)
{
    if (PyType_Check(t->obj) && PyObject_HasAttrString(t->obj, "dtype")) {
        pj_buf_printf(b, "class(%s)", ((PyTypeObject *)t->obj)->tp_name);
        return;
    }
    print_function(b, t);
}


/* --- constants, modules, classes --- */

/* Whether obj is an instance of enum's class `name` (EnumMeta for an
   Enum class, IntEnum for a member of one). */
static bool
is_enum(PyObject *obj, const char *name)
{
    static PyObject *module;
    PyObject *cls = pj_import_once(&module, "enum")
                    ? PyObject_GetAttrString(module, name) : NULL;
    int rc = cls ? PyObject_IsInstance(obj, cls) : -1;
    Py_XDECREF(cls);
    PyErr_Clear();
    return rc == 1;
}

/* An IntEnum member is its int, as arithmetic on it is in Numba. */
static PjType *
int_enum_type(PyObject *obj)
{
    PyObject *v = PyNumber_Index(obj);
    bool untypable = false;
    PjType *t = v ? pj_typeof_value(v, &untypable) : NULL;
    Py_XDECREF(v);
    PyErr_Clear();
    return untypable ? NULL : t;
}

/* Whether t is a compile-time constant's type: the kinds from STRLIT on
   (ORDER TK). */
bool
pj_type_is_const(PjType *t)
{
    return t->kind >= PJ_TK_STRLIT;
}

/* The type of the string constant s. */
PjType *
pj_type_strlit(PjArena *a, PyObject *s)
{
    return pj_type_const(a, PJ_TK_STRLIT, s, 0, NULL);
}

/* The type of a module (or a module-like namespace object) as a value. */
PjType *
pj_type_module(PjArena *a, PyObject *module)
{
    return pj_type_const(a, PJ_TK_MODULE, module, 0, NULL);
}

/* The type of a constant: a number (an IntEnum member as its int), None,
   a string, an array (frozen read-only, array_const.c), a tuple of them.
   A cfunc's address is not a constant (pj_type_holds_funcptr); that of a
   ctypes or cffi function is, frozen as Numba freezes it (extfunc.c). */
PjType *
pj_type_of_constant(PjCompile *cx, PyObject *obj)
{
    if (PyUnicode_CheckExact(obj)) {
        return pj_type_strlit(cx->arena, obj);
    }
    if (PyLong_Check(obj) && !PyLong_CheckExact(obj)
        && !PyBool_Check(obj) && is_enum(obj, "IntEnum")) {
        return int_enum_type(obj);
    }
    bool untypable = false;
    PjType *t = pj_typeof_value(obj, &untypable);
    if (t == NULL) {
        PyErr_Clear();         /* out of memory: reported as untyped */
        return NULL;
    }
    if (untypable || (pj_type_holds_funcptr(t) && !pj_extfunc_check(obj))
        || pj_dtype_value_names(t) != NULL) {
        return NULL;            /* a dtype or a class: a constant below */
    }
    return pj_array_const_type(t);
}

/* The type of an object compiled code names (a global, a closure
   variable, a module's attribute), frozen when the function compiles: a
   constant, a module, a jitted function, a builtin or library function,
   a function @vectorize made (its entry for jitted callers, ufunc_build.c),
   a NumPy scalar class used as a conversion (np.float32(x)); NULL for
   anything else. */
PjType *
pj_type_of_object(PjCompile *cx, PyObject *obj)
{
    PjType *t = pj_type_of_constant(cx, obj);
    if (t != NULL) {
        return t;
    }
    if (PyModule_Check(obj)) {
        return pj_type_module(cx->arena, obj);
    }
    if (pj_dispatcher_check(obj)) {
        return pj_type_dispatcher(obj);
    }
    PyObject *inner = pj_cfunc_dispatcher(obj);
    if (inner != NULL) {
        return pj_type_dispatcher(inner);
    }
    const PjCallable *fn = pj_callable_of(obj);
    if (fn != NULL) {
        return pj_type_function(obj, fn->id);
    }
    PyObject *lib = pj_library_function(obj, cx->opts.parallel);
    if (lib != NULL) {
        return pj_type_dispatcher(lib);
    }
    PyObject *template = pj_extending_function(obj);
    if (template != NULL) {
        return pj_type_dispatcher(template);
    }
    if (pj_type_check(obj) && ((PjType *)obj)->code >= 0) {
        /* types.int64: the type, as Numba's types are values */
        return pj_type_const(cx->arena, PJ_TK_CLASS, obj,
                             ((PjType *)obj)->code, NULL);
    }
    PyObject *vectorized = pj_ufunc_build_jitted(obj, cx->opts.parallel);
    if (vectorized != NULL) {
        return pj_type_dispatcher(vectorized);
    }
    if ((t = pj_jitclass_class_type(cx, obj)) != NULL
        || (t = pj_namedtuple_class_type(cx, obj)) != NULL) {
        return t;
    }
    if (PyType_Check(obj) && is_enum(obj, "EnumMeta")) {
        return pj_type_const(cx->arena, PJ_TK_ENUM_CLASS, obj, 0, NULL);
    }
    if ((t = pj_dtype_constant(cx, obj)) != NULL) {
        return t;
    }
    if (pj_objmode_block_check(obj)) {
        return pj_type_objmode_block(cx->arena, obj);
    }
    if (pj_intrinsic_check(obj)) {
        return pj_type_intrinsic(cx->arena, obj);
    }
    PjType *target = pj_typeof_scalar_class(obj);
    if (target != NULL) {
        return pj_type_const(cx->arena, PJ_TK_CLASS, obj, target->code, NULL);
    }
    return NULL;
}

/* A value known when the function compiles, the plan: a module's
   attribute, float("inf"). */
static LLVMValueRef
lower_constant(PjLower *lw, PjInstr *ins, LLVMValueRef *Py_UNUSED(args))
{
    return pj_lower_pyconst(lw, (PyObject *)ins->plan.ptr, ins->resty);
}

const PjImpl pj_impl_constant = {"constant", lower_constant, false, false};

/* A compile-time constant: no run-time value. */
static LLVMValueRef
lower_nothing(PjLower *Py_UNUSED(lw), PjInstr *Py_UNUSED(ins),
              LLVMValueRef *Py_UNUSED(args))
{
    return NULL;
}

static const PjImpl impl_nothing = {"const", lower_nothing, false, false};

/* Whether t is a bound method (x.m), a value holding x. */
bool
pj_type_is_bound(PjType *t)
{
    return t != NULL && t->kind == PJ_TK_BOUND;
}

/* Whether t is a class as a compile-time constant (np.float32,
   types.int64, a jitclass). */
bool
pj_type_is_class(PjType *t)
{
    return t->kind == PJ_TK_CLASS;
}

/* The type the class t converts to and names (float32 for np.float32,
   the instance type for a jitclass), or NULL when t is not a class: a
   class constant, or a class naming a number type passed as a value
   (np.float32 or types.float32 as an argument, dtype.c). */
PjType *
pj_class_target(PjType *t)
{
    if (t->kind == PJ_TK_CLASS) {
        return pj_type_from_code(t->ident);
    }
    PjType *ref = pj_typeref_target(t);
    if (ref != NULL) {
        return ref;
    }
    return pj_type_is_scalar_class(t) ? pj_dtype_value_names(t) : NULL;
}

/* The class obj as a compile-time constant converting to the type of
   typecode code. */
PjType *
pj_type_class(PjArena *a, PyObject *obj, int code)
{
    return pj_type_const(a, PJ_TK_CLASS, obj, code, NULL);
}

/* type(x) of a number: its class, which converts what it is called with
   (`type(scale)(1)`), as Numba's NumberClass does. */
int
pj_type_type_call(PjCompile *cx, PjInstr *ins,
                  const PjCallable *Py_UNUSED(fn), PjType **args, int n)
{
    if (n != 1 || !pj_type_is_number(args[0]) || args[0]->code < 0) {
        cx->why = "type() in compiled code takes a number";
        return 1;
    }
    PjType *cls = pj_type_const(cx->arena, PJ_TK_CLASS, (PyObject *)args[0],
                                args[0]->code, NULL);
    return cls ? pj_choose(cx, ins, &impl_nothing, cls, args, 1) : -1;
}

/* The instruction ins yields the Python value v fixed at compile time:
   a constant type carries it, any other type is lowered from v (which
   the arena keeps).  1 when v has no type for compiled code. */
int
pj_choose_constant_value(PjCompile *cx, PjInstr *ins, PyObject *v,
                         PjType *self)
{
    PjType *t = pj_arena_add_pyobject(cx->arena, v) < 0
                ? NULL : pj_type_of_object(cx, v);
    if (t == NULL) {
        return PyErr_Occurred() ? -1 : 1;
    }
    if (pj_type_is_const(t)) {
        return pj_choose(cx, ins, &impl_nothing, t, &self, 1);
    }
    return pj_choose_plan(cx, ins, &pj_impl_constant, t, &self, 1,
                          (PjPlan){.ptr = v});
}

/* m.name of a module, or of a callable (List.empty_list): the
   attribute's value now, as a constant. */
int
pj_type_constant_getattr(PjCompile *cx, PjInstr *ins, PjType *mod)
{
    PyObject *v = PyObject_GetAttrString(mod->obj, ins->name);
    if (v == NULL || PyUnicode_Check(v)) {
        Py_XDECREF(v);
        PyErr_Clear();
        return 1;
    }
    int rc = pj_choose_constant_value(cx, ins, v, mod);
    Py_DECREF(v);
    return rc;
}

/* The value of a slice(a, b, c) of constants (how a subscript's `::1`
   inside a tuple is spelled), a new reference, or NULL. */
static PyObject *
constant_slice(PjVar *v)
{
    PjInstr *d = v->ndefs == 1 ? v->def : NULL;
    if (d == NULL || d->op != PJ_OP_CALL || d->nsrc != 4
        || pj_ir_const_of(d->src[0]) != (PyObject *)&PySlice_Type) {
        return NULL;
    }
    PyObject *part[3];
    for (int i = 0; i < 3; i++) {
        part[i] = pj_ir_const_of(d->src[1 + i]);
        if (part[i] == NULL) {
            return NULL;
        }
    }
    return PySlice_New(part[0], part[1], part[2]);
}

/* A subscript's index known now: the constant of a static getitem, or
   a tuple of constant slices (`[:, ::1]`); a new reference, or NULL. */
static PyObject *
constant_index(PjInstr *ins)
{
    if (ins->op == PJ_OP_STATIC_GETITEM) {
        return Py_XNewRef(ins->obj);
    }
    PjVar *v = ins->src[1];
    if (v->ndefs != 1 || v->def->op != PJ_OP_BUILD_TUPLE
        || pj_ir_spreads(v->def)) {
        return NULL;
    }
    PjInstr *t = v->def;
    PyObject *tuple = PyTuple_New(t->nsrc);
    for (int i = 0; tuple != NULL && i < t->nsrc; i++) {
        PyObject *item = constant_slice(t->src[i]);
        if (item == NULL) {
            Py_CLEAR(tuple);
            break;
        }
        PyTuple_SET_ITEM(tuple, i, item);
    }
    return tuple;
}

/* types.float64[:], types.int32[:, ::1]: an array type spelled in
   compiled code, as Numba allows (List.empty_list(types.float64[:])),
   made now by the type's own subscript, as a constant.  Only a pyjit type
   is subscripted: its __getitem__ runs no user code. */
int
pj_type_constant_getitem(PjCompile *cx, PjInstr *ins, PjType *t,
                         PjType *Py_UNUSED(idx))
{
    if (!pj_type_check(t->obj)) {
        return 1;
    }
    PyObject *index = constant_index(ins);
    PyObject *v = index ? PyObject_GetItem(t->obj, index) : NULL;
    Py_XDECREF(index);
    if (v == NULL) {
        PyErr_Clear();
        return 1;
    }
    int rc = pj_choose_constant_value(cx, ins, v, t);
    Py_DECREF(v);
    return rc;
}

/* Color.RED: an IntEnum's member, as its int; a plain Enum's, an
   EnumMember (enum_member.c). */
static int
enum_getattr(PjCompile *cx, PjInstr *ins, PjType *cls)
{
    int rc = pj_type_constant_getattr(cx, ins, cls);
    if (rc > 0) {
        cx->why = pj_arena_printf(
            cx->arena, "%s has no member '%s' compiled code can use "
            "(members whose values are numbers or strings)",
            ((PyTypeObject *)cls->obj)->tp_name, ins->name);
    }
    return rc;
}

/* np.float32(x) and the like; dt(x) too, dt a class passed as a value
   (dtype.c). */
int
pj_type_class_call(PjCompile *cx, PjInstr *ins, PjType *cls, PjType **args, int n,
           PyObject *kwnames)
{
    if (kwnames != NULL || pj_infer_plan_positional(cx, ins, n) == NULL) {
        return kwnames != NULL ? 1 : -1;
    }
    return pj_type_number_class_call(cx, ins, cls, args, n);
}

/* What code does with a string constant is what it does with a string
   value (unicode.c): the constant becomes one. */
const PjKind pj_kind_strlit = {
    .name = "str",
    .print = print_strlit,
    .unify = pj_unicode_unify,
    .type_getattr = pj_unicode_type_getattr,
    .type_method = pj_unicode_type_method,
    .type_getitem = pj_unicode_type_getitem,
    .type_operator = pj_unicode_type_operator,
    .type_len = pj_unicode_type_len,
    .iter_type = pj_unicode_iter_type,
    .lower_iter = pj_unicode_lower_iter,
    .type_iterated_method = pj_str_split_type_iterated,
    .library_method = pj_unicode_library_method,
};

const PjKind pj_kind_module = {
    .name = "module",
    .print = print_module,
    .unify = same_const,
    .type_getattr = pj_type_constant_getattr,
};

static void
print_enum_class(PjBuf *b, PjType *t)
{
    pj_buf_printf(b, "class(%s)", ((PyTypeObject *)t->obj)->tp_name);
}

const PjKind pj_kind_enum_class = {
    .name = "enum_class",
    .print = print_enum_class,
    .unify = same_const,
    .type_getattr = enum_getattr,
};

/* type(x) is np.int64, type(a) == type(b): classes naming number types
   are the same when they name the same type, known as the code compiles,
   as Numba compares its NumberClasses. */
static int
class_operator(PjCompile *cx, PjInstr *ins, PjType *a, PjType *b)
{
    int op = ins->sub;
    PjType *ta = a ? pj_class_target(a) : NULL;
    PjType *tb = b ? pj_class_target(b) : NULL;
    if (ins->op != PJ_OP_COMPARE || ta == NULL || tb == NULL
        || (op != PJ_CMP_EQ && op != PJ_CMP_NE && op != PJ_CMP_IS
            && op != PJ_CMP_ISNOT)) {
        return 1;
    }
    return pj_choose_known_sameness(cx, ins, a, b, ta == tb);
}

const PjKind pj_kind_class = {
    .name = "class",
    .print = print_class,
    .unify = same_const,
    .type_operator = class_operator,
    .type_getattr = pj_dtype_class_getattr,
    .type_getitem = pj_type_constant_getitem,
    .type_call = pj_type_class_call,
};

/* --- methods bound to a value --- */

/* A method looked up on a value: BoundFunction(conjugate for complex128). */
PjType *
pj_type_bound(PjArena *a, PjType *self, const char *method)
{
    PyObject *m = PyUnicode_FromString(method);
    if (m == NULL) {
        return NULL;
    }
    PjType *t = pj_type_const(a, PJ_TK_BOUND, m, 0, self);
    Py_DECREF(m);
    return t;
}

/* The value of the operation is its first operand, as it is: x.method
   (the bound method holds x), e.args (a view of the same block),
   literally(x). */
LLVMValueRef
pj_lower_first_operand(PjLower *Py_UNUSED(lw), PjInstr *Py_UNUSED(ins),
                       LLVMValueRef *args)
{
    return args[0];
}

const PjImpl pj_impl_self = {"getattr", pj_lower_first_operand, false,
                             false};

/* x.method(args...): the kind of x knows its methods. */
static int
bound_call(PjCompile *cx, PjInstr *ins, PjType *fn, PjType **args, int n,
           PyObject *kwnames)
{
    PjType *self = fn->elems[0];
    const PjKind *k = pj_kind(self);
    if (kwnames != NULL || k->type_method == NULL) {
        return 1;
    }
    if (pj_infer_plan_positional(cx, ins, n) == NULL) {
        return -1;
    }
    return k->type_method(cx, ins, self, PyUnicode_AsUTF8(fn->obj), args, n);
}

static void
print_bound(PjBuf *b, PjType *t)
{
    pj_buf_printf(b, "BoundFunction(%s for %s)", PyUnicode_AsUTF8(t->obj),
                  pj_type_str(t->elems[0]));
}

/* A bound method holds the value it is bound to, as that value. */
static LLVMTypeRef
bound_llvm_type(PjLower *lw, PjType *t)
{
    return pj_lower_type(lw, t->elems[0]);
}

static void
bound_meminfo(PjLower *lw, LLVMValueRef v, PjType *t, LLVMValueRef valid,
              PjMemFn f)
{
    pj_lower_each_meminfo(lw, v, t->elems[0], valid, f);
}

const PjKind pj_kind_bound = {
    .name = "bound method",
    .print = print_bound,
    .unify = same_const,
    .type_call = bound_call,
    .llvm_type = bound_llvm_type,
    .holds_memory = pj_kind_elems_hold_memory,
    .each_meminfo = bound_meminfo,
};

/* --- pyobject: what nopython code cannot handle --- */

static void
print_pyobject(PjBuf *b, PjType *Py_UNUSED(t))
{
    pj_buf_puts(b, "pyobject");
}

static LLVMTypeRef
pyobject_llvm_type(PjLower *lw, PjType *Py_UNUSED(t))
{
    return lw->t_ptr;
}

const PjKind pj_kind_pyobject = {
    .name = "pyobject",
    .print = print_pyobject,
    .llvm_type = pyobject_llvm_type,
};
