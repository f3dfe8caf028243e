/*
** jitclass.c - instances of jitclasses (pyjit/_jitclass.py), and the
** classes themselves as compile-time values.
**
** An instance is a reference-counted block (runtime.c) whose data is the
** struct of its fields, in the order of the class's spec; the value is
** the block's address, so that an instance passes to calls, sits in
** tuples, lists and dicts and holds itself in an Optional field (a
** linked list) as any reference does.  The block's destructor, built
** per class in each module that makes instances, releases what the
** fields hold.  Cycles of instances are never freed, as in Numba.
**
** The class (pyjit/_jitclass.py) keeps what is known of it in Python:
** its fields, resolved when first needed (a deferred_type is defined
** after the class that uses it), and its members: methods, properties
** and static methods as jitted functions, and the constructor, a jitted
** function that allocates the block (`_new`, typed here) and calls
** `__init__`.  A method call is a call of the method's function with the
** instance first (library.c finds it); a property, a dunder method
** (len(x), x[i], x + y...) is a call of its function chosen here.
**
** In Python an instance is an object of the class, which holds the block
** through a memory owner (runtime.c) in its `_owner` slot; its fields,
** properties and methods are the same jitted functions, called through
** the dispatcher.
*/
#include "pyjit.h"

#include <string.h>

static PyTypeObject *box_base;      /* pyjit._jitclass._Box */

PjType *
pj_type_jitclass(PyObject *cls)
{
    return pj_type_intern_object(PJ_TK_JITCLASS, 0, cls);
}

/* The fields of the instances of type t: a tuple of (name, type), made
   once and kept by the class (borrowed); NULL with an exception when a
   field's type is not known (a deferred_type never defined). */
static PyObject *
layout(PjType *t)
{
    PyObject *fields = PyObject_CallMethod(t->obj, "_pj_layout", NULL);
    Py_XDECREF(fields);
    return fields;
}

static PjType *
field_type(PyObject *fields, Py_ssize_t i)
{
    return (PjType *)PyTuple_GET_ITEM(PyTuple_GET_ITEM(fields, i), 1);
}

static int
field_index(PyObject *fields, const char *name)
{
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(fields); i++) {
        PyObject *n = PyTuple_GET_ITEM(PyTuple_GET_ITEM(fields, i), 0);
        if (PyUnicode_CompareWithASCIIString(n, name) == 0) {
            return (int)i;
        }
    }
    return -1;
}

/* The class's member `name` (a method, property, static method or
   dunder): (what, function, setter), borrowed; NULL (no exception) when
   it has none. */
static PyObject *
member(PyObject *cls, const char *name)
{
    PyObject *members = PyObject_GetAttrString(cls, "_pj_members");
    PyObject *m = members ? PyDict_GetItemString(members, name) : NULL;
    Py_XDECREF(members);
    PyErr_Clear();
    return m;
}

static bool
member_is(PyObject *m, const char *what)
{
    return m != NULL
           && PyUnicode_CompareWithASCIIString(PyTuple_GET_ITEM(m, 0),
                                               what) == 0;
}

/* The jitted function implementing self.name(...), or NULL (borrowed). */
PyObject *
pj_jitclass_method(PjType *self, const char *name)
{
    PyObject *m = member(self->obj, name);
    return member_is(m, "method") ? PyTuple_GET_ITEM(m, 1) : NULL;
}

static PyObject *
jitclass_library_method(PjType *t, const char *name, bool Py_UNUSED(parallel))
{
    return pj_jitclass_method(t, name);
}

/* --- the struct of the fields --- */

static LLVMTypeRef
data_type(PjLower *lw, PjType *t)
{
    PyObject *fields = layout(t);
    Py_ssize_t n = fields ? PyTuple_GET_SIZE(fields) : 0;
    PjType *elems[PJ_MAX_ARGS];
    for (Py_ssize_t i = 0; i < n && i < PJ_MAX_ARGS; i++) {
        elems[i] = field_type(fields, i);
    }
    return pj_lower_struct_of(lw, elems, (int)n);
}

static LLVMValueRef
field_address(PjLower *lw, PjType *t, LLVMValueRef data, int i)
{
    return LLVMBuildStructGEP2(lw->b, data_type(lw, t), data, (unsigned)i,
                               "");
}

static LLVMValueRef
data_of(PjLower *lw, LLVMValueRef meminfo)
{
    LLVMValueRef off = pj_i64(lw, PJ_MEMINFO_HEADER);
    return LLVMBuildGEP2(lw->b, lw->t_i8, meminfo, &off, 1, "");
}

/* --- fields --- */

static PjType *
instance_of(PjInstr *ins)
{
    return ins->argtys[0];
}

/* The implementations that call the class's methods (defined below). */
static const PjImpl impl_member_call, impl_member_call_swapped, impl_not,
    impl_not_equal;

/* Whether an instruction runs no code that could store into a field:
   no call, no property or dunder method of a jitclass. */
static bool
runs_no_user_code(PjInstr *ins)
{
    switch (ins->op) {
    case PJ_OP_CONST: case PJ_OP_GLOBAL: case PJ_OP_COPY:
    case PJ_OP_GETATTR: case PJ_OP_GETITEM: case PJ_OP_STATIC_GETITEM:
    case PJ_OP_BINOP: case PJ_OP_INPLACE: case PJ_OP_UNARY:
    case PJ_OP_COMPARE:
        return ins->impl != &impl_member_call
               && ins->impl != &impl_member_call_swapped
               && ins->impl != &impl_not && ins->impl != &impl_not_equal;
    default:
        return false;
    }
}

/* Whether ins uses v, and only as the array it reads or writes an
   element of: 1; not at all: 0; otherwise -1. */
static int
element_use(PjInstr *ins, PjVar *v)
{
    bool element = ins->op == PJ_OP_SETITEM
                   || ((ins->op == PJ_OP_GETITEM
                        || ins->op == PJ_OP_STATIC_GETITEM)
                       && !pj_type_holds_memory(ins->resty));
    int uses = 0;
    for (int k = 0; k < ins->nsrc; k++) {
        if (ins->src[k] == v) {
            if (k != 0 || !element) {
                return -1;
            }
            uses++;
        }
    }
    return uses;
}

/* Whether the array field read by `get` is only indexed for elements,
   right after (self.a[i], self.a[i] = x, self.a[i] += x), with nothing
   in between that could replace the field: then the instance keeps the
   array alive and the read takes no reference of its own, which in a
   loop would be two atomic operations per access. */
static bool
indexed_at_once(PjLower *lw, PjInstr *get)
{
    PjVar *v = get->dst;
    if (v == NULL || !v->is_temp || v->ndefs != 1
        || !pj_type_is_array(get->resty)) {
        return false;
    }
    int left = pj_ir_uses_of(lw->fn, v);
    for (PjInstr *ins = get->next; ins != NULL && left > 0; ins = ins->next) {
        int uses = element_use(ins, v);
        if (uses < 0 || (uses == 0 && !runs_no_user_code(ins))) {
            return false;
        }
        left -= uses;
    }
    return left == 0;
}

static void
check_set(PjLower *lw, LLVMValueRef meminfo)
{
    pj_lower_check(lw, LLVMBuildIsNull(lw->b, meminfo, ""), "AttributeError",
                   "a field of a jitclass instance was read before "
                   "__init__ set it");
}

/* Whether a field's zero (what it holds until __init__ sets it) is not a
   value: a list, a dict, an instance.  A zero array is an empty one, a
   zero string the empty string, a zero Optional None. */
static bool
zero_is_unset(PjType *ft)
{
    return pj_type_holds_memory(ft) && !pj_type_is_optional(ft)
           && !pj_type_is_array(ft) && !pj_type_is_str(ft);
}

/* An array field is a header in memory: element stores do not change it
   (tbaa.c). */
static void
tag_array_field(PjLower *lw, LLVMValueRef access, PjType *ft)
{
    if (pj_type_is_array(ft)) {
        pj_tbaa_tag(lw, access, PJ_ALIAS_ARRAY_HEADER);
    }
}

static LLVMValueRef
lower_get_field(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    int i = (int)ins->plan.n;
    LLVMValueRef p = field_address(lw, instance_of(ins), data_of(lw, args[0]),
                                   i);
    LLVMValueRef v = LLVMBuildLoad2(lw->b, pj_lower_type(lw, ins->resty), p,
                                    "");
    tag_array_field(lw, v, ins->resty);
    if (indexed_at_once(lw, ins)) {
        v = LLVMBuildInsertValue(lw->b, v, LLVMConstNull(lw->t_ptr),
                                 PJ_ARRAY_MEMINFO, "");
    }
    if (zero_is_unset(ins->resty)) {
        pj_lower_each_meminfo(lw, v, ins->resty, NULL, check_set);
    }
    return v;
}

/* Stores v, of the field's type ft, into field ins->plan.n of instance
   inst: the instance takes a reference to what v holds and releases what
   the field held. */
static void
store_field(PjLower *lw, PjInstr *ins, LLVMValueRef inst, LLVMValueRef v,
            PjType *ft)
{
    LLVMValueRef p = field_address(lw, instance_of(ins), data_of(lw, inst),
                                   (int)ins->plan.n);
    LLVMValueRef old = LLVMBuildLoad2(lw->b, pj_lower_type(lw, ft), p, "");
    LLVMValueRef st = LLVMBuildStore(lw->b, pj_lower_taken(lw, v, ft), p);
    tag_array_field(lw, old, ft);
    tag_array_field(lw, st, ft);
    pj_lower_decref_value(lw, old, ft);
}

static LLVMValueRef
lower_set_field(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    store_field(lw, ins, args[0], args[1], ins->argtys[1]);
    return NULL;
}

/* A bool field set to a value that is not a number (a string, a list):
   its truth, as Numba casts any value to a boolean. */
static LLVMValueRef
lower_set_field_truth(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    store_field(lw, ins, args[0],
                pj_lower_truth(lw, args[1], ins->argtys[1]), pj_t.boolean);
    return NULL;
}

static const PjImpl impl_get_field = {"jitclass field", lower_get_field,
                                      false, false};
static const PjImpl impl_get_checked_field = {"jitclass field",
                                              lower_get_field, true, false};
static const PjImpl impl_set_field = {"jitclass field", lower_set_field,
                                      false, false};
static const PjImpl impl_set_field_truth = {"jitclass field",
                                            lower_set_field_truth, false,
                                            false};

/* --- calls of the class's functions: properties, dunder methods --- */

static LLVMValueRef
lower_member_call(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *restype;
    LLVMValueRef r = pj_lower_call_callee(lw, (PjCallee *)ins->plan.ptr,
                                          args, &restype);
    return r ? r : LLVMGetUndef(pj_lower_type(lw, ins->resty));
}

/* x in obj: obj.__contains__(x), the operands the other way round. */
static LLVMValueRef
lower_member_call_swapped(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    LLVMValueRef swapped[2] = {args[1], args[0]};
    return lower_member_call(lw, ins, swapped);
}

static const PjImpl impl_member_call = {"jitclass method", lower_member_call,
                                        true, true};
static const PjImpl impl_member_call_swapped = {
    "jitclass method", lower_member_call_swapped, true, true};

/* The specialization of the jitted function disp for args, typed for a
   call the operation makes; NULL with a diagnostic or an exception. */
static PjCallee *
type_member(PjCompile *cx, PjInstr *ins, PyObject *disp, PjType **args,
            int n)
{
    PjCallee *callee = cx->type_callee(cx, disp, args, n, cx->reporting);
    if (callee == NULL) {
        return NULL;
    }
    if (callee->depends_on < cx->depends_on) {
        cx->depends_on = callee->depends_on;
    }
    if (callee->restype == NULL) {
        pj_infer_fail(cx, ins, "cannot determine the type of a jitclass "
                      "method calling itself with no base case");
        return NULL;
    }
    cx->can_raise |= callee->can_raise;
    return callee;
}

/* The operation is a call of the jitted function disp with args (with
   its two operands the other way round when `swapped`). */
static int
choose_call(PjCompile *cx, PjInstr *ins, PyObject *disp, PjType **args,
            int n, bool swapped)
{
    PjCallee *callee = type_member(cx, ins, disp, args, n);
    if (callee == NULL) {
        return -1;
    }
    if (!swapped) {
        return pj_choose_plan(cx, ins, &impl_member_call, callee->restype,
                              callee->argtys, n, (PjPlan){.ptr = callee});
    }
    PjType *operands[2] = {callee->argtys[1], callee->argtys[0]};
    return pj_choose_plan(cx, ins, &impl_member_call_swapped,
                          callee->restype, operands, 2,
                          (PjPlan){.ptr = callee});
}

/* self.name(args) for a dunder method the class may define: 1 when it
   does not. */
static int
choose_dunder(PjCompile *cx, PjInstr *ins, const char *name, PjType **args,
              int n)
{
    PyObject *disp = pj_jitclass_method(args[0], name);
    return disp ? choose_call(cx, ins, disp, args, n, false) : 1;
}

/* --- truth --- */

/* What bool(x) calls: __bool__, else __len__ (nonzero), else nothing
   (an instance is true). */
static PyObject *
truth_method(PjType *t)
{
    PyObject *disp = pj_jitclass_method(t, "__bool__");
    return disp ? disp : pj_jitclass_method(t, "__len__");
}

/* Typing a condition on an instance types the method its truth calls,
   which lowering calls (jitclass_truth). */
int
pj_jitclass_type_truth(PjCompile *cx, PjType *t)
{
    PyObject *disp = t->kind == PJ_TK_JITCLASS ? truth_method(t) : NULL;
    if (disp == NULL) {
        return 0;
    }
    PjCallee *callee = cx->type_callee(cx, disp, &t, 1, cx->reporting);
    if (callee == NULL) {
        return -1;
    }
    cx->can_raise |= callee->can_raise;
    return 0;
}

static LLVMValueRef
jitclass_truth(PjLower *lw, LLVMValueRef v, PjType *t)
{
    PyObject *disp = truth_method(t);
    PjCallee *callee = disp ? lw->cx->type_callee(lw->cx, disp, &t, 1, false)
                            : NULL;
    PjType *restype;
    LLVMValueRef r = callee ? pj_lower_call_callee(lw, callee, &v, &restype)
                            : NULL;
    return r ? pj_lower_truth(lw, r, restype) : LLVMConstInt(lw->t_i1, 1, 0);
}

static LLVMValueRef
lower_not(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    return LLVMBuildNot(lw->b, jitclass_truth(lw, args[0], ins->argtys[0]),
                        "");
}

static const PjImpl impl_not = {"not", lower_not, true, false};

/* --- typing --- */

static int
jitclass_getattr(PjCompile *cx, PjInstr *ins, PjType *t)
{
    PyObject *fields = layout(t);
    if (fields == NULL) {
        return -1;
    }
    int i = field_index(fields, ins->name);
    if (i >= 0) {
        PjType *ft = field_type(fields, i);
        cx->can_raise |= zero_is_unset(ft);
        return pj_choose_plan(cx, ins, zero_is_unset(ft)
                                       ? &impl_get_checked_field
                                       : &impl_get_field,
                              ft, &t, 1, (PjPlan){.n = i});
    }
    PyObject *m = member(t->obj, ins->name);
    if (member_is(m, "method")
        || (m == NULL && pj_extending_method(t, ins->name) != NULL)) {
        /* its own method, or one overload_method gave its type class */
        PjType *b = pj_type_bound(cx->arena, t, ins->name);
        return b ? pj_choose(cx, ins, &pj_impl_self, b, &t, 1) : -1;
    }
    if (member_is(m, "property")) {
        return choose_call(cx, ins, PyTuple_GET_ITEM(m, 1), &t, 1, false);
    }
    if (member_is(m, "static")) {
        PyObject *disp = PyTuple_GET_ITEM(m, 1);
        return pj_choose_plan(cx, ins, &pj_impl_constant,
                              pj_type_dispatcher(disp), &t, 1,
                              (PjPlan){.ptr = disp});
    }
    return 1;
}

/* Whether a value of type v may be stored in a field of type ft: the
   same type, a number in a number field, None or the value in an
   Optional field, an Optional's value (checked for None) in a field of
   its type, a dict of arrays in a field of dicts of layout-A arrays. */
static bool
storable(PjType *v, PjType *ft)
{
    if (v == ft || (pj_type_is_number(v) && pj_type_is_number(ft))
        || pj_dict_relaxes_to(v, ft)) {
        return true;
    }
    if (pj_type_is_optional(v) && !pj_type_is_optional(ft)) {
        return storable(pj_type_unwrap(v), ft);
    }
    if (pj_type_is_optional(ft)) {
        return v->kind == PJ_TK_NONE || storable(pj_type_unwrap(v),
                                                 pj_type_unwrap(ft));
    }
    return pj_type_unify(v, ft) == ft;
}

static int
set_field(PjCompile *cx, PjInstr *ins, PjType *t, PjType *ft, int i,
          PjType *value)
{
    if (ft == pj_t.boolean && !storable(value, ft)
        && pj_type_takes_truth(cx, value)) {
        /* skglm's Cox(method="efron") stores the string in a bool_ */
        PjType *args[2] = {t, value};
        return pj_choose_plan(cx, ins, &impl_set_field_truth, pj_t.none,
                              args, 2, (PjPlan){.n = i});
    }
    if (!storable(value, ft)) {
        cx->why = pj_arena_printf(cx->arena, "the field holds %s",
                                  pj_type_str(ft));
        return 1;
    }
    cx->can_raise |= pj_type_is_optional(value) && !pj_type_is_optional(ft);
    PjType *args[2] = {t, ft};
    return pj_choose_plan(cx, ins, &impl_set_field, pj_t.none, args, 2,
                          (PjPlan){.n = i});
}

static int
jitclass_setattr(PjCompile *cx, PjInstr *ins, PjType *t, PjType *value)
{
    PyObject *fields = layout(t);
    if (fields == NULL) {
        return -1;
    }
    int i = field_index(fields, ins->name);
    if (i >= 0) {
        return set_field(cx, ins, t, field_type(fields, i), i, value);
    }
    PyObject *m = member(t->obj, ins->name);
    if (member_is(m, "property") && PyTuple_GET_ITEM(m, 2) != Py_None) {
        PjType *args[2] = {t, value};
        return choose_call(cx, ins, PyTuple_GET_ITEM(m, 2), args, 2, false);
    }
    cx->why = member_is(m, "property") ? "the property has no setter"
                                       : "the class has no such field";
    return 1;
}

static int
jitclass_len(PjCompile *cx, PjInstr *ins, PjType *t)
{
    return choose_dunder(cx, ins, "__len__", &t, 1);
}

/* obj[c] with a constant integer c: obj.__getitem__(c), c an int64 as
   Numba passes an integer literal to a method. */
static LLVMValueRef
lower_member_call_const_index(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    LLVMValueRef two[2] = {args[0], pj_i64(lw, ins->sub)};
    return lower_member_call(lw, ins, two);
}

static const PjImpl impl_member_call_const_index = {
    "jitclass method", lower_member_call_const_index, true, true};

static int
choose_const_getitem(PjCompile *cx, PjInstr *ins, PjType *t)
{
    PyObject *disp = pj_jitclass_method(t, "__getitem__");
    if (disp == NULL || ins->obj != NULL) {
        cx->why = disp ? "a constant slice of an instance is not supported"
                       : NULL;
        return 1;
    }
    PjType *args[2] = {t, pj_t.i64};
    PjCallee *callee = type_member(cx, ins, disp, args, 2);
    if (callee == NULL) {
        return -1;
    }
    return pj_choose_plan(cx, ins, &impl_member_call_const_index,
                          callee->restype, callee->argtys, 2,
                          (PjPlan){.ptr = callee});
}

static int
jitclass_getitem(PjCompile *cx, PjInstr *ins, PjType *t, PjType *idx)
{
    if (idx == NULL) {
        return choose_const_getitem(cx, ins, t);
    }
    PjType *args[2] = {t, idx};
    return choose_dunder(cx, ins, "__getitem__", args, 2);
}

static int
jitclass_setitem(PjCompile *cx, PjInstr *ins, PjType *t, PjType *idx,
                 PjType *value)
{
    PjType *args[3] = {t, idx, value};
    return choose_dunder(cx, ins, "__setitem__", args, 3);
}

/* The dunder methods of the operators, ORDER BIN, ORDER CMP. */
static const char *const binop_dunders[] = {
#define X(N, S, D) D,
    PJ_BINOPS(X)
#undef X
};

static const char *const inplace_dunders[] = {
    "__iadd__", "__isub__", "__imul__", "__itruediv__", "__ifloordiv__",
    "__imod__", "__ipow__", "__ilshift__", "__irshift__", "__iand__",
    "__ior__", "__ixor__", "__imatmul__",
};

static const char *const compare_dunders[] = {
    "__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__",
};

/* b's method that answers a op b when a's class does not: Python's
   reflection of each comparison. */
static const char *const reflected_dunders[] = {
    "__eq__", "__ne__", "__gt__", "__ge__", "__lt__", "__le__",
};

static const char *const reflected_binops[] = {
    "__radd__", "__rsub__", "__rmul__", "__rtruediv__", "__rfloordiv__",
    "__rmod__", "__rpow__", "__rlshift__", "__rrshift__", "__rand__",
    "__ror__", "__rxor__", "__rmatmul__",
};

static const char *const unary_dunders[] = {"__neg__", "__pos__",
                                            "__invert__", NULL};

static LLVMValueRef
lower_not_equal(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjCallee *callee = (PjCallee *)ins->plan.ptr;
    LLVMValueRef eq = lower_member_call(lw, ins, args);
    return LLVMBuildNot(lw->b, pj_lower_truth(lw, eq, callee->restype), "");
}

static const PjImpl impl_not_equal = {"jitclass !=", lower_not_equal, true,
                                      false};

/* a != b without __ne__: not a.__eq__(b), as Python does it. */
static int
choose_not_equal(PjCompile *cx, PjInstr *ins, PjType *a, PjType *b)
{
    PyObject *eq = pj_jitclass_method(a, "__eq__");
    PjType *args[2] = {a, b};
    PjCallee *callee = eq ? type_member(cx, ins, eq, args, 2) : NULL;
    if (callee == NULL || !pj_type_takes_truth(cx, callee->restype)) {
        return eq == NULL || callee != NULL ? 1 : -1;
    }
    return pj_choose_plan(cx, ins, &impl_not_equal, pj_t.boolean,
                          callee->argtys, 2, (PjPlan){.ptr = callee});
}

/* b's reflected method for a op b (swapped operands), or 1. */
static int
choose_reflected(PjCompile *cx, PjInstr *ins, const char *name, PjType *a,
                 PjType *b)
{
    PyObject *disp = b->kind == PJ_TK_JITCLASS
                     ? pj_jitclass_method(b, name) : NULL;
    PjType *args[2] = {b, a};
    return disp ? choose_call(cx, ins, disp, args, 2, true) : 1;
}

static int
type_compare(PjCompile *cx, PjInstr *ins, PjType *a, PjType *b)
{
    if (ins->sub == PJ_CMP_IN) {
        return choose_reflected(cx, ins, "__contains__", a, b);
    }
    if (ins->sub > PJ_CMP_GE) {
        return 1;
    }
    PjType *args[2] = {a, b};
    int rc = a->kind == PJ_TK_JITCLASS
             ? choose_dunder(cx, ins, compare_dunders[ins->sub], args, 2) : 1;
    if (rc > 0 && ins->sub == PJ_CMP_NE && a->kind == PJ_TK_JITCLASS) {
        rc = choose_not_equal(cx, ins, a, b);
    }
    return rc > 0 ? choose_reflected(cx, ins, reflected_dunders[ins->sub], a,
                                     b) : rc;
}

/* a op b, a op= b (a = a op b without the in-place method), op a;
   b's reflected method when a's class has none (b + a for a + b). */
static int
jitclass_operator(PjCompile *cx, PjInstr *ins, PjType *a, PjType *b)
{
    PjType *args[2] = {a, b};
    if (ins->op == PJ_OP_COMPARE) {
        return type_compare(cx, ins, a, b);
    }
    if (ins->op == PJ_OP_UNARY) {
        const char *name = unary_dunders[ins->sub];
        if (name == NULL) {
            cx->can_raise = true;
            return pj_choose(cx, ins, &impl_not, pj_t.boolean, args, 1);
        }
        return choose_dunder(cx, ins, name, args, 1);
    }
    if (a->kind == PJ_TK_JITCLASS && ins->op == PJ_OP_INPLACE
        && pj_jitclass_method(a, inplace_dunders[ins->sub]) != NULL) {
        return choose_dunder(cx, ins, inplace_dunders[ins->sub], args, 2);
    }
    int rc = a->kind == PJ_TK_JITCLASS
             ? choose_dunder(cx, ins, binop_dunders[ins->sub], args, 2) : 1;
    return rc > 0 ? choose_reflected(cx, ins, reflected_binops[ins->sub], a,
                                     b) : rc;
}

/* The builtins an instance's class answers with a method: abs(x),
   hash(x), str(x), int(x), float(x), complex(x); the second method is
   what Python falls back on. */
static const char *const builtin_dunders[][3] = {
    {"abs", "__abs__", NULL}, {"hash", "__hash__", NULL},
    {"str", "__str__", NULL}, {"int", "__int__", "__index__"},
    {"float", "__float__", "__index__"}, {"complex", "__complex__", NULL},
};

static PyObject *builtins_module;

/* The methods answering fn (a builtin), or NULL (borrowed). */
static const char *const *
dunders_of(PyObject *fn)
{
    PyObject *mod = pj_import_once(&builtins_module, "builtins");
    size_t rows = sizeof(builtin_dunders) / sizeof(*builtin_dunders);
    for (size_t i = 0; mod != NULL && i < rows; i++) {
        PyObject *b = PyObject_GetAttrString(mod, builtin_dunders[i][0]);
        Py_XDECREF(b);
        if (b == fn) {
            return builtin_dunders[i];
        }
    }
    PyErr_Clear();
    return NULL;
}

static LLVMValueRef
lower_bool(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    return jitclass_truth(lw, args[0], ins->argtys[0]);
}

static const PjImpl impl_bool = {"bool", lower_bool, true, false};

/* bool(x) for an instance: its truth. */
static int
choose_bool(PjCompile *cx, PjInstr *ins, PjType **args)
{
    RETURN_IF_ERROR(pj_jitclass_type_truth(cx, args[0]));
    return pj_choose(cx, ins, &impl_bool, pj_t.boolean, args, 1);
}

/* fn(x) for a builtin fn and an instance x: the class's method, or 1. */
int
pj_jitclass_type_builtin(PjCompile *cx, PjInstr *ins, PjType *fn,
                         PjType **args, int n)
{
    if (n != 1 || args[0]->kind != PJ_TK_JITCLASS || fn->obj == NULL) {
        return 1;
    }
    bool is_bool = fn->obj == (PyObject *)&PyBool_Type;
    const char *const *names = is_bool ? NULL : dunders_of(fn->obj);
    if (!is_bool && names == NULL) {
        return 1;
    }
    if (pj_infer_plan_positional(cx, ins, 1) == NULL) {
        return -1;
    }
    if (is_bool) {
        return choose_bool(cx, ins, args);
    }
    int rc = choose_dunder(cx, ins, names[1], args, 1);
    return rc > 0 && names[2] ? choose_dunder(cx, ins, names[2], args, 1)
                              : rc;
}

/* --- construction --- */

static void
release_field(PjLower *lw, PjType *t, LLVMValueRef data, int i, PjType *ft)
{
    LLVMValueRef p = field_address(lw, t, data, i);
    pj_lower_decref_value(lw, LLVMBuildLoad2(lw->b, pj_lower_type(lw, ft), p,
                                             ""), ft);
}

static void
release_fields(PjLower *lw, LLVMValueRef data, LLVMValueRef Py_UNUSED(arg),
               const void *instance)
{
    PjType *t = (PjType *)instance;
    PyObject *fields = layout(t);
    for (Py_ssize_t i = 0; fields && i < PyTuple_GET_SIZE(fields); i++) {
        PjType *ft = field_type(fields, i);
        if (pj_type_holds_memory(ft)) {
            release_field(lw, t, data, (int)i, ft);
        }
    }
}

/* The destructor of instances of t in this module, releasing what their
   fields hold; NULL when they hold nothing. */
static LLVMValueRef
release_function(PjLower *lw, PjType *t)
{
    PyObject *fields = layout(t);
    bool holds = false;
    for (Py_ssize_t i = 0; fields && i < PyTuple_GET_SIZE(fields); i++) {
        holds |= pj_type_holds_memory(field_type(fields, i));
    }
    char name[64];
    snprintf(name, sizeof(name), "pj.jitclass.release.%d", t->code);
    return holds ? pj_lower_destructor(lw, name, release_fields, t) : NULL;
}

/* String fields start as the empty string, as zero is no string. */
static void
empty_strings(PjLower *lw, PjType *t, LLVMValueRef data)
{
    PyObject *fields = layout(t);
    PyObject *empty = PyUnicode_FromString("");
    for (Py_ssize_t i = 0; fields && empty && i < PyTuple_GET_SIZE(fields);
         i++) {
        PjType *ft = field_type(fields, i);
        if (pj_type_is_str(ft)) {
            LLVMBuildStore(lw->b, pj_lower_pyconst(lw, empty, ft),
                           field_address(lw, t, data, (int)i));
        }
    }
    Py_XDECREF(empty);
}

/* A new instance, its fields zero (None, empty), with one reference. */
static LLVMValueRef
lower_new(PjLower *lw, PjInstr *ins, LLVMValueRef *Py_UNUSED(args))
{
    PjType *t = ins->resty;
    LLVMValueRef dtor = release_function(lw, t);
    LLVMTypeRef p[4] = {lw->t_i64, lw->t_i32, lw->t_ptr, lw->t_ptr};
    LLVMValueRef a[4] = {LLVMSizeOf(data_type(lw, t)), pj_i32(lw, 1),
                         dtor ? dtor : LLVMConstNull(lw->t_ptr),
                         LLVMConstNull(lw->t_ptr)};
    LLVMValueRef mi = pj_lower_helper(lw, "pj_rt_meminfo_alloc_dtor",
                                      lw->t_ptr, p, a, 4);
    pj_lower_check(lw, LLVMBuildIsNull(lw->b, mi, ""), "MemoryError",
                   "cannot allocate the jitclass instance");
    empty_strings(lw, t, data_of(lw, mi));
    return mi;
}

static const PjImpl impl_new = {"jitclass new", lower_new, true, true};

/* _new(instance_type): the intrinsic the constructor
   (pyjit/_jitclass.py) allocates the instance with. */
int
pj_type_jitclass_new(PjCompile *cx, PjInstr *ins,
                     const PjCallable *Py_UNUSED(fn), PjType **args, int n)
{
    PjType *t = n == 1 ? pj_class_target(args[0]) : NULL;
    if (t == NULL || t->kind != PJ_TK_JITCLASS) {
        return 1;
    }
    if (layout(t) == NULL) {
        return -1;
    }
    return pj_choose(cx, ins, &impl_new, t, args, n);
}

/* --- values --- */

static void
print_jitclass(PjBuf *b, PjType *t)
{
    PyObject *name = PyObject_GetAttrString(t->obj, "__qualname__");
    pj_buf_printf(b, "instance.jitclass.%s",
                  name && PyUnicode_Check(name) ? PyUnicode_AsUTF8(name)
                                                : "?");
    Py_XDECREF(name);
    PyErr_Clear();
}

static LLVMTypeRef
jitclass_llvm_type(PjLower *lw, PjType *Py_UNUSED(t))
{
    return lw->t_ptr;
}

/* Whether t is a jitclass instance: one pointer to its block. */
bool
pj_type_is_jitclass_instance(PjType *t)
{
    return t->kind == PJ_TK_JITCLASS;
}


static bool
jitclass_holds_memory(PjType *Py_UNUSED(t))
{
    return true;
}


/* --- the boundary with Python --- */

static bool
jitclass_can_box(PjType *Py_UNUSED(t))
{
    return true;
}

/* An object of the class holding the block mi (its reference is
   consumed); the class is found by typecode, so that the code holds no
   address. */
PyObject *
pj_rt_jitclass_box(PjMemInfo *mi, int32_t code)
{
    PyTypeObject *cls = (PyTypeObject *)pj_type_from_code(code)->obj;
    PyObject *owner = pj_runtime_memory_owner(mi);
    PyObject *obj = owner ? cls->tp_alloc(cls, 0) : NULL;
    if (obj != NULL && PyObject_SetAttrString(obj, "_owner", owner) < 0) {
        Py_CLEAR(obj);
    }
    Py_XDECREF(owner);
    return obj;
}

/* The block of an instance (borrowed: the object holds it). */
PjMemInfo *
pj_rt_jitclass_unbox(PyObject *obj)
{
    PjMemInfo *mi = pj_runtime_memory_in(obj);
    if (mi == NULL && !PyErr_Occurred()) {
        PyErr_SetString(PyExc_TypeError, "the jitclass instance was not "
                        "made by its class");
    }
    return mi;
}

static LLVMValueRef
jitclass_box(PjLower *lw, LLVMValueRef v, PjType *t)
{
    LLVMTypeRef p[2] = {lw->t_ptr, lw->t_i32};
    LLVMValueRef a[2] = {v, pj_lower_typecode(lw, t)};
    return pj_lower_helper(lw, "pj_rt_jitclass_box", lw->t_ptr, p, a, 2);
}

static LLVMValueRef
jitclass_unbox(PjLower *lw, LLVMValueRef obj, PjType *Py_UNUSED(t))
{
    return pj_lower_helper(lw, "pj_rt_jitclass_unbox", lw->t_ptr,
                           &lw->t_ptr, &obj, 1);
}

static bool
is_instance(PyObject *obj)
{
    return box_base != NULL && PyObject_TypeCheck(obj, box_base)
           && !Py_IS_TYPE(obj, box_base);
}

/* An object of a jitclass holding no block (made by object.__new__) has
   no type. */
static PjType *
jitclass_typeof(PyObject *obj, bool *untypable, int Py_UNUSED(depth))
{
    if (!is_instance(obj)) {
        return NULL;
    }
    if (pj_runtime_memory_in(obj) == NULL) {
        PyErr_Clear();
        *untypable = true;
        return pj_t.pyobject;
    }
    return pj_type_jitclass((PyObject *)Py_TYPE(obj));
}

static const char *
jitclass_why_untypable(PyObject *obj, int Py_UNUSED(depth))
{
    if (!is_instance(obj) || pj_runtime_memory_in(obj) != NULL) {
        return NULL;
    }
    PyErr_Clear();
    return "it is an object of a jitclass that its class did not make "
           "(call the class to make instances)";
}

const PjKind pj_kind_jitclass = {
    .name = "jitclass",
    .print = print_jitclass,
    .type_getattr = jitclass_getattr,
    .type_setattr = jitclass_setattr,
    .type_getitem = jitclass_getitem,
    .type_setitem = jitclass_setitem,
    .type_operator = jitclass_operator,
    .type_len = jitclass_len,
    .llvm_type = jitclass_llvm_type,
    .lower_truth = jitclass_truth,
    .holds_memory = jitclass_holds_memory,
    .each_meminfo = pj_kind_block_meminfo,
    .can_box = jitclass_can_box,
    .box = jitclass_box,
    .unbox = jitclass_unbox,
    .typeof = jitclass_typeof,
    .why_untypable = jitclass_why_untypable,
    .library_method = jitclass_library_method,
};

/* --- the class as a compile-time value --- */

/* The type of obj when it is a jitclass: a constant whose calls make
   instances; NULL for anything else. */
PjType *
pj_jitclass_class_type(PjCompile *cx, PyObject *obj)
{
    if (box_base == NULL || !PyType_Check(obj) || obj == (PyObject *)box_base
        || !PyType_IsSubtype((PyTypeObject *)obj, box_base)) {
        return NULL;
    }
    return pj_type_const(cx->arena, PJ_TK_JITCLASS_CLASS, obj, 0, NULL);
}

/* The jitted function that makes an instance when t, a jitclass, is
   called; NULL for any other type (borrowed: the class keeps it). */
PyObject *
pj_jitclass_constructor(PjType *t)
{
    if (t->kind != PJ_TK_JITCLASS_CLASS) {
        return NULL;
    }
    PyObject *ctor = PyObject_GetAttrString(t->obj, "_pj_ctor");
    Py_XDECREF(ctor);
    PyErr_Clear();
    return ctor;
}

static void
print_jitclass_class(PjBuf *b, PjType *t)
{
    PyObject *name = PyObject_GetAttrString(t->obj, "__qualname__");
    pj_buf_printf(b, "jitclass.%s", name && PyUnicode_Check(name)
                                        ? PyUnicode_AsUTF8(name) : "?");
    Py_XDECREF(name);
    PyErr_Clear();
}

static PjType *
same_class(PjType *a, PjType *b)
{
    return a->obj == b->obj ? a : NULL;
}

/* Cls.method: a static method, a jitted function as a value. */
static int
jitclass_class_getattr(PjCompile *cx, PjInstr *ins, PjType *t)
{
    PyObject *m = member(t->obj, ins->name);
    if (!member_is(m, "static")) {
        return 1;
    }
    PyObject *disp = PyTuple_GET_ITEM(m, 1);
    return pj_choose_plan(cx, ins, &pj_impl_constant,
                          pj_type_dispatcher(disp), &t, 1,
                          (PjPlan){.ptr = disp});
}

const PjKind pj_kind_jitclass_class = {
    .name = "jitclass class",
    .print = print_jitclass_class,
    .unify = same_class,
    .type_getattr = jitclass_class_getattr,
};

/* pyjit/_jitclass.py's base class of every jitclass: its subclasses'
   objects are instances. */
PyObject *
pj_jitclass_register(PyObject *Py_UNUSED(module), PyObject *cls)
{
    if (!PyType_Check(cls) || box_base != NULL) {
        PyErr_SetString(PyExc_TypeError, "the jitclass base is registered "
                        "once, with a class");
        return NULL;
    }
    box_base = (PyTypeObject *)Py_NewRef(cls);
    Py_RETURN_NONE;
}

/* The instance type of the jitclass cls (pyjit/_jitclass.py). */
PyObject *
pj_jitclass_instance_type(PyObject *Py_UNUSED(module), PyObject *cls)
{
    if (box_base == NULL || !PyType_Check(cls)
        || !PyType_IsSubtype((PyTypeObject *)cls, box_base)) {
        PyErr_SetString(PyExc_TypeError, "not a jitclass");
        return NULL;
    }
    return Py_XNewRef((PyObject *)pj_type_jitclass(cls));
}
