/*
** enum_member.c - members of plain Enum classes (enum.Enum).
**
** `Color.RED` in compiled code, or a member passed as an argument, is a
** value of type EnumMember(Color, int64), Numba's: the type holds the
** class (obj) and the type of the members' values (elems[0]); the value
** is the member's value, a number or a str.  Members of one class compare with
** ==, !=, `is` and `is not` (a member is the one member of its class with
** its value), `.value` is the value, and a member returned to Python is
** the class's member again (Color(value)).  IntEnum members are their
** ints (values.c), as Numba treats them in arithmetic.
*/
#include "pyjit.h"

/* The type of members of the Enum class cls whose values are of type
   value (a number). */
static PjType *
type_enum_member(PyObject *cls, PjType *value)
{
    return pj_type_intern_with(PJ_TK_ENUM_MEMBER, 0, &value, 1, cls);
}

/* Whether obj is a member of some Enum class. */
static bool
is_member(PyObject *obj)
{
    static PyObject *module;
    if (!pj_import_once(&module, "enum")) {
        PyErr_Clear();
        return false;
    }
    PyObject *base = PyObject_GetAttrString(module, "Enum");
    int rc = base ? PyObject_IsInstance(obj, base) : -1;
    Py_XDECREF(base);
    if (rc < 0) {
        PyErr_Clear();
    }
    return rc == 1;
}

/* Whether obj is a member of a plain Enum: not of an IntEnum or IntFlag,
   which are ints. */
static bool
is_plain_member(PyObject *obj)
{
    return !PyLong_Check(obj) && is_member(obj);
}

/* Whether obj is a member of an IntEnum (or IntFlag): an int subclass. */
static bool
is_int_member(PyObject *obj)
{
    return PyLong_Check(obj) && !PyLong_CheckExact(obj)
           && !PyBool_Check(obj) && is_member(obj);
}

/* An IntEnum member passed as an argument is its int, as the member is
   when it is a constant (values.c): Numba's arithmetic on it. */
static PjType *
typeof_int_member(PyObject *obj, bool *untypable)
{
    PyObject *v = PyNumber_Index(obj);
    PjType *t = v ? pj_typeof_value(v, untypable) : NULL;
    Py_XDECREF(v);
    if (t == NULL) {
        PyErr_Clear();
        *untypable = true;
    }
    return t;
}

/* Whether members may have values of type t: numbers, and strings
   (pythermalcomfort's Postures), as Numba types both. */
static bool
is_value_type(PjType *t)
{
    return pj_type_is_number(t) || t == pj_type_unicode();
}

/* The type of the value of the member obj, a number or a str, or NULL
   (no exception) when it is neither. */
static PjType *
value_type(PyObject *obj)
{
    PyObject *v = PyObject_GetAttrString(obj, "value");
    bool untypable = false;
    PjType *t = v ? pj_typeof_value(v, &untypable) : NULL;
    Py_XDECREF(v);
    PyErr_Clear();
    return t != NULL && !untypable && is_value_type(t) ? t : NULL;
}

/* Whether t is the type of members whose values are strings: their
   constants hold no memory, as a string constant holds none. */
bool
pj_type_is_str_enum_member(PjType *t)
{
    return t->kind == PJ_TK_ENUM_MEMBER && pj_type_is_str(t->elems[0]);
}

static PjType *
typeof_member(PyObject *obj, bool *untypable, int Py_UNUSED(depth))
{
    if (is_int_member(obj)) {
        return typeof_int_member(obj, untypable);
    }
    if (!is_plain_member(obj)) {
        return NULL;
    }
    PjType *v = value_type(obj);
    if (v == NULL) {
        *untypable = true;
        return NULL;
    }
    return type_enum_member((PyObject *)Py_TYPE(obj), v);
}

static const char *
why_not_member(PyObject *obj, int Py_UNUSED(depth))
{
    return is_plain_member(obj) && value_type(obj) == NULL
           ? "compiled code takes the members of Enum classes whose values "
             "are numbers (bool, int, float, complex) or strings"
           : NULL;
}

static void
print_member(PjBuf *b, PjType *t)
{
    pj_buf_printf(b, "EnumMember(%s, %s)",
                  ((PyTypeObject *)t->obj)->tp_name,
                  pj_type_str(t->elems[0]));
}

/* --- typing --- */

/* The member's value as it is: `.value`, and a member compared. */
static LLVMValueRef
lower_value(PjLower *Py_UNUSED(lw), PjInstr *Py_UNUSED(ins),
            LLVMValueRef *args)
{
    return args[0];
}

static const PjImpl impl_value = {"enum.value", lower_value, false, false};

static int
member_getattr(PjCompile *cx, PjInstr *ins, PjType *t)
{
    if (strcmp(ins->name, "value") == 0) {
        return pj_choose(cx, ins, &impl_value, t->elems[0], &t, 1);
    }
    cx->why = strcmp(ins->name, "name") == 0
              ? "an Enum member's name is not known to compiled code (as in "
                "Numba): only its value is"
              : NULL;
    return 1;
}

/* a == b, a != b, a is b, a is not b of two members of one class: their
   values compared (a member is the one member of its class with its
   value). */
static LLVMValueRef
lower_compare(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    int op = ins->sub == PJ_CMP_IS ? PJ_CMP_EQ
             : ins->sub == PJ_CMP_ISNOT ? PJ_CMP_NE : ins->sub;
    PjType *vt = ins->argtys[0]->elems[0];
    if (vt == pj_type_unicode()) {
        return pj_lower_compare_str(lw, op, args[0], args[1]);
    }
    return pj_lower_compare_numbers(lw, op, args[0], args[1], vt);
}

static const PjImpl impl_compare = {"enum.compare", lower_compare, false,
                                    false};

static int
member_operator(PjCompile *cx, PjInstr *ins, PjType *a, PjType *b)
{
    int op = ins->sub;
    if (ins->op != PJ_OP_COMPARE || b == NULL
        || (op != PJ_CMP_EQ && op != PJ_CMP_NE && op != PJ_CMP_IS
            && op != PJ_CMP_ISNOT)) {
        return 1;
    }
    if (a != b) {
        cx->why = "members of different Enum classes, or a member and "
                  "another value, do not compare in compiled code";
        return 1;
    }
    return pj_choose2(cx, ins, &impl_compare, pj_t.boolean, a, b);
}

/* --- lowering and boxing --- */

static LLVMTypeRef
member_llvm_type(PjLower *lw, PjType *t)
{
    return pj_lower_type(lw, t->elems[0]);
}

static LLVMValueRef
member_const(PjLower *lw, PyObject *obj, PjType *t)
{
    PyObject *v = PyObject_GetAttrString(obj, "value");
    if (v == NULL) {
        PyErr_Clear();
        return LLVMGetUndef(pj_lower_type(lw, t));
    }
    LLVMValueRef c = pj_lower_pyconst(lw, v, t->elems[0]);
    Py_DECREF(v);
    return c;
}

/* The member of the class of typecode `code` with the value `value`
   (stolen): the runtime helper boxing a member. */
PyObject *
pj_rt_enum_member(PyObject *value, int32_t code)
{
    if (value == NULL) {
        return NULL;
    }
    PyObject *m = PyObject_CallOneArg(pj_type_from_code(code)->obj, value);
    Py_DECREF(value);
    return m;
}

static LLVMValueRef
member_box(PjLower *lw, LLVMValueRef v, PjType *t)
{
    PjType *vt = t->elems[0];
    LLVMValueRef args[2] = {
        pj_kind(vt)->box(lw, v, vt),
        pj_lower_typecode(lw, t),
    };
    LLVMTypeRef params[2] = {lw->t_ptr, lw->t_i32};
    return pj_lower_helper(lw, "pj_rt_enum_member", lw->t_ptr, params, args,
                           2);
}

/* Unboxes the value of the member obj (the dispatcher typed it) into
   out, as pj_rt_unbox a number. */
void
pj_rt_enum_unbox(PyObject *obj, int32_t code, PjValue *out)
{
    PyObject *v = PyObject_GetAttrString(obj, "value");
    if (v == NULL) {
        PyErr_Clear();
        memset(out, 0, sizeof(*out));
        return;
    }
    pj_rt_unbox(v, code, out);
    Py_DECREF(v);
}

/* The value of the member obj, borrowed: the member holds it. */
PyObject *
pj_rt_enum_value(PyObject *obj)
{
    PyObject *v = PyObject_GetAttrString(obj, "value");
    Py_XDECREF(v);
    return v;
}

static LLVMValueRef
member_unbox(PjLower *lw, LLVMValueRef obj, PjType *t)
{
    PjType *vt = t->elems[0];
    if (!pj_type_is_number(vt)) {   /* a str, borrowed from the member */
        LLVMValueRef v = pj_lower_helper(lw, "pj_rt_enum_value", lw->t_ptr,
                                         &lw->t_ptr, &obj, 1);
        return pj_kind(vt)->unbox(lw, v, vt);
    }
    LLVMValueRef slot = pj_lower_alloca(lw, LLVMArrayType2(lw->t_i64, 2),
                                        "unboxed");
    LLVMTypeRef p[3] = {lw->t_ptr, lw->t_i32, lw->t_ptr};
    LLVMValueRef a[3] = {obj, pj_lower_typecode(lw, vt),
                         slot};
    pj_lower_helper(lw, "pj_rt_enum_unbox", lw->t_void, p, a, 3);
    LLVMTypeRef lt = pj_lower_type(lw, vt);
    if (pj_type_is_intlike(vt)) {   /* integers and bools are an i64 */
        return LLVMBuildTrunc(lw->b,
                              LLVMBuildLoad2(lw->b, lw->t_i64, slot, ""), lt,
                              "");
    }
    return LLVMBuildLoad2(lw->b, lt, slot, "");
}

/* Members whose values are strings hold what their strings hold. */
static bool
member_holds_memory(PjType *t)
{
    return !pj_type_is_number(t->elems[0]);
}

static void
member_meminfo(PjLower *lw, LLVMValueRef v, PjType *t, LLVMValueRef valid,
               PjMemFn f)
{
    pj_kind(t->elems[0])->each_meminfo(lw, v, t->elems[0], valid, f);
}

static LLVMValueRef
member_keep(PjLower *lw, LLVMValueRef v, PjType *t)
{
    return pj_kind(t->elems[0])->lower_keep(lw, v, t->elems[0]);
}

const PjKind pj_kind_enum_member = {
    .name = "EnumMember",
    .print = print_member,
    .type_getattr = member_getattr,
    .type_operator = member_operator,
    .llvm_type = member_llvm_type,
    .lower_const = member_const,
    .holds_memory = member_holds_memory,
    .each_meminfo = member_meminfo,
    .lower_keep = member_keep,
    .box = member_box,
    .unbox = member_unbox,
    .typeof = typeof_member,
    .why_untypable = why_not_member,
};
