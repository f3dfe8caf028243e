/*
** types.c - the type lattice.
**
** Types are immutable Python objects (pyjit.types.Type) so that a signature
** is simply a tuple of them and prints as Numba's does: (int64, float64).
** Interned types live as long as the process, are compared by pointer and
** carry a small integer typecode that the dispatcher keys its overload
** table on.  Types of compile-time constants (a module, a builtin function,
** a jitted function) never leave a compile; they come from its arena.
**
** What a type of each kind is lives with the kind (kinds.h): its name,
** how it unifies with another of its kind, which conversions a call with
** explicit signatures allows.  This file builds, interns and names types,
** and asks the kinds to unify and convert them.
*/
#include "pyjit.h"

#include <string.h>

PjBasicTypes pj_t;

static PyObject *type_str(PyObject *self);

/* --- the Type object --- */

static void
type_dealloc(PyObject *self)
{
    PjType *t = (PjType *)self;
    PyTypeObject *tp = Py_TYPE(self);
    Py_XDECREF(t->obj);
    Py_XDECREF(t->name);
    Py_XDECREF(t->key);
    PyMem_Free(t->elems);
    tp->tp_free(self);
    Py_DECREF(tp);
}

static PyObject *
type_str(PyObject *self)
{
    return Py_NewRef(((PjType *)self)->name);
}

/* Calling a type with types builds a signature, as in float64(float64);
   calling a number type with a value converts it, as numpy.float64(x). */
static PyObject *
type_call(PyObject *self, PyObject *args, PyObject *kwargs)
{
    PjType *t = (PjType *)self;
    Py_ssize_t n = PyTuple_GET_SIZE(args);
    bool all_types = kwargs == NULL;
    for (Py_ssize_t i = 0; i < n && all_types; i++) {
        all_types = pj_type_check(PyTuple_GET_ITEM(args, i));
    }
    if (all_types) {
        return pj_type_make_signature(t, args);
    }
    if (!pj_type_is_number(t) || n != 1) {
        PyErr_Format(PyExc_TypeError,
                     "type %U takes argument types to make a signature",
                     t->name);
        return NULL;
    }
    PyObject *np = PyImport_ImportModule("numpy");
    if (np == NULL) {
        return NULL;
    }
    const char *name = t->kind == PJ_TK_BOOL ? "bool_" : pj_type_str(t);
    PyObject *ctor = PyObject_GetAttrString(np, name);
    Py_DECREF(np);
    if (ctor == NULL) {
        return NULL;
    }
    PyObject *res = PyObject_Call(ctor, args, NULL);
    Py_DECREF(ctor);
    return res;
}

static PyObject *
type_get_bitwidth(PyObject *self, void *Py_UNUSED(closure))
{
    PjType *t = pj_type_unliteral((PjType *)self);
    if (!pj_type_is_number(t)) {
        PyErr_Format(PyExc_AttributeError, "%U has no bitwidth", t->name);
        return NULL;
    }
    return PyLong_FromLong(t->kind == PJ_TK_BOOL ? 8 : t->bits);
}

static PyObject *
type_get_types(PyObject *self, void *Py_UNUSED(closure))
{
    PjType *t = (PjType *)self;
    PyObject *res = PyTuple_New(t->count);
    for (int i = 0; res != NULL && i < t->count; i++) {
        PyObject *e = (PyObject *)pj_type_elem(t, i);
        PyTuple_SET_ITEM(res, i, Py_NewRef(e));
    }
    return res;
}

static PyObject *
type_get_count(PyObject *self, void *Py_UNUSED(closure))
{
    return PyLong_FromLong(((PjType *)self)->count);
}

/* A namedtuple type's class (namedtuple.c), None for any other type. */
static PyObject *
type_get_instance_class(PyObject *self, void *Py_UNUSED(closure))
{
    PjType *t = (PjType *)self;
    return Py_NewRef(pj_type_is_tuple(t) && t->obj ? t->obj : Py_None);
}

/* The jitted function of a Dispatcher type (Numba's
   types.Dispatcher.dispatcher), None for any other type. */
static PyObject *
type_get_dispatcher(PyObject *self, void *Py_UNUSED(closure))
{
    PjType *t = (PjType *)self;
    return Py_NewRef(pj_type_is_dispatcher(t) && t->obj ? t->obj
                                                            : Py_None);
}

static PyObject *
type_get_dtype(PyObject *self, void *Py_UNUSED(closure))
{
    PjType *t = (PjType *)self;
    if (pj_type_is_unituple(t) || pj_type_is_optional(t)
        || pj_type_is_array(t)) {
        return Py_NewRef((PyObject *)t->elems[0]);
    }
    if (pj_type_is_list(t) && pj_list_item(t) != NULL) {
        return Py_NewRef((PyObject *)pj_list_item(t));  /* Numba's List */
    }
    if (pj_type_is_set(t) && t->nelems == 1) {
        return Py_NewRef((PyObject *)t->elems[0]);      /* Numba's Set */
    }
    if (pj_dtype_value_names(t) != NULL) {              /* Numba's DType */
        return Py_NewRef((PyObject *)pj_dtype_value_names(t));
    }
    PyErr_Format(PyExc_AttributeError, "%U has no dtype", t->name);
    return NULL;
}

static PjType *
array_only(PyObject *self, const char *what)
{
    PjType *t = (PjType *)self;
    if (!pj_type_is_array(t)) {
        PyErr_Format(PyExc_AttributeError, "%U has no %s", t->name, what);
        return NULL;
    }
    return t;
}

static PyObject *
type_get_ndim(PyObject *self, void *Py_UNUSED(closure))
{
    PjType *t = array_only(self, "ndim");
    return t ? PyLong_FromLong(pj_array_ndim(t)) : NULL;
}

static PyObject *
type_get_layout(PyObject *self, void *Py_UNUSED(closure))
{
    PjType *t = array_only(self, "layout");
    return t ? PyUnicode_FromString(pj_array_layout_name(t)) : NULL;
}

static PyObject *
type_get_mutable(PyObject *self, void *Py_UNUSED(closure))
{
    PjType *t = array_only(self, "mutable");
    return t ? PyBool_FromLong(!pj_array_readonly(t)) : NULL;
}

static bool
is_full_slice(PyObject *s, bool *unit_step)
{
    if (!PySlice_Check(s)) {
        return false;
    }
    PySliceObject *sl = (PySliceObject *)s;
    *unit_step = sl->step != Py_None;
    return sl->start == Py_None && sl->stop == Py_None
           && (sl->step == Py_None
               || (PyLong_CheckExact(sl->step)
                   && PyLong_AsLong(sl->step) == 1));
}

/* A tuple type is a sequence of its item types, as Numba's BaseTuple is
   to the typing functions of overloads: len(t), t[i], iterating. */
static Py_ssize_t
type_length(PyObject *self)
{
    PjType *t = (PjType *)self;
    if (!pj_type_is_tuple(t)) {
        PyErr_Format(PyExc_TypeError, "the type %U has no len(): only "
                     "tuple types are sequences of types", t->name);
        return -1;
    }
    return t->count;
}

/* Every type is true, but an empty tuple type is false, as in Numba. */
static int
type_bool(PyObject *self)
{
    PjType *t = (PjType *)self;
    return !pj_type_is_tuple(t) || t->count > 0;
}

static PyObject *
type_iter(PyObject *self)
{
    if (type_length(self) < 0) {
        return NULL;
    }
    PyObject *items = type_get_types(self, NULL);
    PyObject *it = items ? PyObject_GetIter(items) : NULL;
    Py_XDECREF(items);
    return it;
}

/* t[i] of a tuple type: its item type. */
static PyObject *
tuple_type_item(PjType *t, PyObject *key)
{
    PyObject *items = type_get_types((PyObject *)t, NULL);
    PyObject *r = items ? PyObject_GetItem(items, key) : NULL;
    Py_XDECREF(items);
    return r;
}

/* float64[:] is array(float64, 1d, A), float64[:, ::1] array(float64, 2d,
   C), float64[::1, :] array(float64, 2d, F): Numba's spelling of array
   types in signatures. */
static PyObject *
type_subscript(PyObject *self, PyObject *key)
{
    PjType *t = (PjType *)self;
    if (pj_type_is_tuple(t) && (PyIndex_Check(key) || PySlice_Check(key))) {
        return tuple_type_item(t, key);
    }
    Py_ssize_t n = PyTuple_Check(key) ? PyTuple_GET_SIZE(key) : 1;
    bool ok = (pj_type_is_number(t) || pj_type_is_datetime_like(t)) && n >= 1
              && n <= PJ_MAX_NDIM;
    int layout = PJ_LAYOUT_A;
    for (Py_ssize_t i = 0; ok && i < n; i++) {
        bool unit = false;
        ok = is_full_slice(PyTuple_Check(key) ? PyTuple_GET_ITEM(key, i)
                                               : key, &unit);
        if (unit) {
            ok = ok && layout == PJ_LAYOUT_A && (i == n - 1 || i == 0);
            layout = i == n - 1 ? PJ_LAYOUT_C : PJ_LAYOUT_F;
        }
    }
    if (!ok) {
        PyErr_Format(PyExc_TypeError, "cannot make an array type of %U "
                     "from %R: write %U[:], %U[:, :] or, C contiguous, "
                     "%U[::1], %U[:, ::1] or, Fortran contiguous, "
                     "%U[::1, :]", t->name, key, t->name, t->name,
                     t->name, t->name, t->name);
        return NULL;
    }
    return Py_XNewRef((PyObject *)pj_type_array(t, (int)n, layout));
}

static PyObject *
type_get_signed(PyObject *self, void *Py_UNUSED(closure))
{
    return PyBool_FromLong(pj_type_unliteral((PjType *)self)->kind
                           == PJ_TK_INT);
}

static PyObject *
type_get_key(PyObject *self, void *Py_UNUSED(closure))
{
    PjType *t = (PjType *)self;
    return Py_NewRef(t->key ? t->key : Py_None);
}

/* The value a Literal type stands for (literal.c); None for any other
   type. */
static PyObject *
type_get_literal_value(PyObject *self, void *Py_UNUSED(closure))
{
    PjType *t = (PjType *)self;
    return Py_NewRef(pj_type_is_literal(t) ? t->obj : Py_None);
}

/* The type of the values a Literal type stands for (int64); the type
   itself for any other. */
static PyObject *
type_get_literal_type(PyObject *self, void *Py_UNUSED(closure))
{
    return Py_NewRef((PyObject *)pj_type_unliteral((PjType *)self));
}

/* The kind's name as kinds.h spells it ("ARRAY"): what the type classes
   of pyjit.types (types.Array, types.Integer) test. */
static PyObject *
type_get_kind(PyObject *self, void *Py_UNUSED(closure))
{
    return PyUnicode_FromString(pj_kind_enum_name(((PjType *)self)->kind));
}

static PyGetSetDef type_getset[] = {
    {"kind", type_get_kind, NULL, "the kind of the type (\"ARRAY\")", NULL},
    {"bitwidth", type_get_bitwidth, NULL, "width in bits of a number", NULL},
    {"signed", type_get_signed, NULL, "whether an integer is signed", NULL},
    {"types", type_get_types, NULL, "element types of a tuple", NULL},
    {"count", type_get_count, NULL, "arity of a tuple", NULL},
    {"instance_class", type_get_instance_class, NULL,
     "the class of a namedtuple type", NULL},
    {"dispatcher", type_get_dispatcher, NULL,
     "the jitted function of a Dispatcher type", NULL},
    {"dtype", type_get_dtype, NULL, "element type", NULL},
    {"key", type_get_key, NULL, "identity of an interned type", NULL},
    {"ndim", type_get_ndim, NULL, "number of dimensions of an array", NULL},
    {"layout", type_get_layout, NULL, "array layout: 'C', 'F' or 'A'",
     NULL},
    {"mutable", type_get_mutable, NULL, "whether an array is writable", NULL},
    {"literal_value", type_get_literal_value, NULL,
     "the value of a Literal type", NULL},
    {"literal_type", type_get_literal_type, NULL,
     "the type of the value of a Literal type", NULL},
    {NULL},
};

static PyType_Slot type_slots[] = {
    {Py_tp_dealloc, type_dealloc},
    {Py_tp_repr, type_str},
    {Py_tp_str, type_str},
    {Py_mp_subscript, type_subscript},
    {Py_mp_length, type_length},
    {Py_nb_bool, type_bool},
    {Py_tp_iter, type_iter},
    {Py_tp_call, type_call},
    {Py_tp_getset, type_getset},
    {Py_tp_doc, "A pyjit type.  Interned: compare types with == or is."},
    {0, NULL},
};

static PyType_Spec type_spec = {
    .name = "pyjit.types.Type",
    .basicsize = sizeof(PjType),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_DISALLOW_INSTANTIATION
             | Py_TPFLAGS_IMMUTABLETYPE,
    .slots = type_slots,
};

bool
pj_type_check(PyObject *obj)
{
    return Py_IS_TYPE(obj, pj_state->type_type);
}

/* --- interning --- */

/* Builds the key that identifies a type structurally. */
static PyObject *
make_key(PjTypeKind kind, int bits, int ident, PjType **elems, int n,
         PjType *item)
{
    PyObject *key = PyTuple_New(5 + n);
    if (key == NULL) {
        return NULL;
    }
    PyTuple_SET_ITEM(key, 0, PyLong_FromLong(kind));
    PyTuple_SET_ITEM(key, 1, PyLong_FromLong(bits));
    PyTuple_SET_ITEM(key, 2, PyLong_FromLong(ident));
    PyTuple_SET_ITEM(key, 3, PyLong_FromLong(n));
    PyTuple_SET_ITEM(key, 4, PyLong_FromLong(item ? item->code : -1));
    for (int i = 0; i < n; i++) {
        PyTuple_SET_ITEM(key, 5 + i, PyLong_FromLong(elems[i]->code));
    }
    return key;
}

static PjType *
alloc_type(PjTypeKind kind, int bits, int ident, PjType **elems, int n,
           PjType *item)
{
    PjType *t = PyObject_New(PjType, pj_state->type_type);
    if (t == NULL) {
        return NULL;
    }
    t->kind = kind;
    t->code = -1;
    t->bits = bits;
    t->count = t->nelems = n;
    t->ident = ident;
    t->elems = NULL;
    t->item = item;
    t->obj = t->name = t->key = NULL;
    if (n > 0) {
        t->elems = PyMem_Calloc((size_t)n, sizeof(PjType *));
        if (t->elems == NULL) {
            Py_DECREF(t);
            PyErr_NoMemory();
            return NULL;
        }
        memcpy(t->elems, elems, sizeof(PjType *) * (size_t)n);
    }
    Py_INCREF(pj_state->type_type);
    return t;
}

/* prefix(elems...): Tuple(int64, float64), zip(range_iter_int64, ...). */
void
pj_type_print_parts(PjBuf *b, const char *prefix, PjType *t)
{
    pj_buf_printf(b, "%s(", prefix);
    for (int i = 0; i < t->nelems; i++) {
        pj_buf_printf(b, "%s%s", i ? ", " : "", pj_type_str(t->elems[i]));
    }
    pj_buf_puts(b, ")");
}

/* The printed name, as Numba prints the same type. */
static PyObject *
make_name(PjType *t)
{
    PjBuf b;
    pj_buf_init(&b);
    pj_kind(t)->print(&b, t);
    return pj_buf_to_str(&b);
}

/* Gives the new type t its typecode and name and enters it in the table
   of typecodes, which holds it from then on, and in the intern table
   under its key if it has one. */
static PjType *
register_interned(PjType *t)
{
    /* Naming may intern the types t prints with (a record's fields): the
       code is the next one once they have theirs. */
    t->name = make_name(t);
    t->code = (int)PyList_GET_SIZE(pj_state->types_by_code);
    if (t->name == NULL
        || (t->key != NULL
            && PyDict_SetItem(pj_state->intern, t->key, (PyObject *)t) < 0)
        || PyList_Append(pj_state->types_by_code, (PyObject *)t) < 0) {
        Py_DECREF(t);
        return NULL;
    }
    Py_DECREF(t);       /* the intern table holds it */
    return t;
}

/* Returns the interned type with this structure, creating it on first
   use.  Borrowed reference: interned types live for the process. */
PjType *
pj_type_intern(PjTypeKind kind, int bits, int ident, PjType **elems, int n,
               PjType *item)
{
    PyObject *key = make_key(kind, bits, ident, elems, n, item);
    if (key == NULL) {
        return NULL;
    }
    PjType *t = (PjType *)PyDict_GetItemWithError(pj_state->intern, key);
    if (t != NULL || PyErr_Occurred()) {
        Py_DECREF(key);
        return t;
    }
    t = alloc_type(kind, bits, ident, elems, n, item);
    if (t == NULL) {
        Py_DECREF(key);
        return NULL;
    }
    t->key = key;
    if (pj_type_is_unituple(t)) {
        t->count = ident;           /* one element type, ident copies */
    }
    return register_interned(t);
}

/* The same, for a type that also stands for the object obj, which it
   keeps alive (a namedtuple's class): obj is part of its identity. */
PjType *
pj_type_intern_with(PjTypeKind kind, int ident, PjType **elems, int n,
                    PyObject *obj)
{
    PyObject *key = make_key(kind, 0, ident, elems, n, NULL);
    PyObject *keyed = key ? Py_BuildValue("(NO)", key, obj) : NULL;
    if (keyed == NULL) {
        return NULL;
    }
    PjType *t = (PjType *)PyDict_GetItemWithError(pj_state->intern, keyed);
    if (t != NULL || PyErr_Occurred()) {
        Py_DECREF(keyed);
        return t;
    }
    t = alloc_type(kind, 0, ident, elems, n, NULL);
    if (t == NULL) {
        Py_DECREF(keyed);
        return NULL;
    }
    t->key = keyed;
    t->obj = Py_NewRef(obj);
    if (pj_type_is_unituple(t)) {
        t->count = ident;
    }
    return register_interned(t);
}

/* The interned type of kind `kind` standing for the object obj (a
   function as a value), which it keeps alive: two objects, two types, so
   that each specializes the functions it is passed to. */
PjType *
pj_type_intern_object(PjTypeKind kind, int ident, PyObject *obj)
{
    PyObject *key = Py_BuildValue("(iiO)", kind, ident, obj);
    if (key == NULL) {
        return NULL;
    }
    PjType *t = (PjType *)PyDict_GetItemWithError(pj_state->intern, key);
    if (t != NULL || PyErr_Occurred()) {
        Py_DECREF(key);
        return t;
    }
    t = alloc_type(kind, 0, ident, NULL, 0, NULL);
    if (t == NULL) {
        Py_DECREF(key);
        return NULL;
    }
    t->key = key;
    t->obj = Py_NewRef(obj);
    return register_interned(t);
}

/* A type of its own for the object obj, which it refers to without
   holding it: whoever keeps the type for obj clears t->obj when obj goes
   (a dispatcher, functions.c).  It has a typecode and lives for the
   process, as interned types do. */
PjType *
pj_type_unique_object(PjTypeKind kind, PyObject *obj)
{
    PjType *t = alloc_type(kind, 0, 0, NULL, 0, NULL);
    if (t == NULL) {
        return NULL;
    }
    t->obj = obj;
    return register_interned(t);
}

/* An iterator of this kind over elems, yielding item. */
PjType *
pj_type_iterator(PjTypeKind kind, PjType **elems, int n, PjType *item)
{
    return pj_type_intern(kind, 0, 0, elems, n, item);
}

/* A compile-local type for a constant object: a module, a function, a
   class, or a method bound to a value of type `self` (else NULL). */
PjType *
pj_type_const(PjArena *a, PjTypeKind kind, PyObject *obj, int id,
              PjType *self)
{
    PjType *t = PJ_NEW(a, PjType);
    if (t == NULL || pj_arena_add_pyobject(a, obj) < 0) {
        return NULL;
    }
    t->kind = kind;
    t->code = -1;
    t->ident = id;
    t->obj = obj;
    if (self != NULL) {
        t->elems = PJ_NEW_N(a, PjType *, 1);
        if (t->elems == NULL) {
            return NULL;
        }
        t->elems[0] = self;
        t->count = t->nelems = 1;
    }
    PyObject *name = make_name(t);
    if (name == NULL || pj_arena_add_pyobject(a, name) < 0) {
        Py_XDECREF(name);
        return NULL;
    }
    Py_DECREF(name);
    t->name = name;
    return t;
}

PjType *
pj_type_from_code(int code)
{
    return (PjType *)PyList_GET_ITEM(pj_state->types_by_code, code);
}

const char *
pj_type_str(PjType *t)
{
    if (t == NULL) {
        return "<undetermined>";
    }
    const char *s = PyUnicode_AsUTF8(t->name);
    return s ? s : "?";
}

/* --- predicates --- */

bool
pj_type_is_number(PjType *t)
{
    return t != NULL && t->kind <= PJ_TK_COMPLEX;
}

bool
pj_type_is_integer(PjType *t)
{
    return t != NULL && (t->kind == PJ_TK_INT || t->kind == PJ_TK_UINT);
}

bool
pj_type_is_intlike(PjType *t)
{
    return t != NULL && t->kind <= PJ_TK_UINT;
}

bool
pj_type_is_bool(PjType *t)
{
    return t != NULL && t->kind == PJ_TK_BOOL;
}

bool
pj_type_is_complex(PjType *t)
{
    return t != NULL && t->kind == PJ_TK_COMPLEX;
}

bool
pj_type_is_float(PjType *t)
{
    return t->kind == PJ_TK_FLOAT;
}

/* Whether t is pyobject, the type of any Python object (values.c). */
bool
pj_type_is_pyobject(PjType *t)
{
    return t->kind == PJ_TK_PYOBJECT;
}

bool
pj_type_is_real(PjType *t)
{
    return pj_type_is_number(t) && t->kind != PJ_TK_COMPLEX;
}

/* --- unification and conversion --- */

/* The type a variable needs to hold values of types a and b, or NULL.
   None joins anything as an Optional; otherwise kinds that share a row of
   operations (the numbers, the tuples) unify through it. */
PjType *
pj_type_unify(PjType *a, PjType *b)
{
    if (a == b || b == NULL) {
        return a;
    }
    if (a == NULL) {
        return b;
    }
    if (a->kind == PJ_TK_NONE || b->kind == PJ_TK_NONE
        || pj_type_is_optional(a) || pj_type_is_optional(b)) {
        /* a string constant that may be None is a string value */
        return pj_kind_optional.unify(
            pj_type_is_str(a) ? pj_type_unicode() : a,
            pj_type_is_str(b) ? pj_type_unicode() : b);
    }
    if (pj_type_is_str(a) && pj_type_is_str(b)) {
        return pj_unicode_unify(a, b);
    }
    const PjKind *k = pj_kind(a);
    /* kinds of one family (functions as values) share their unify */
    if (k->unify == NULL || (k != pj_kind(b) && k->unify != pj_kind(b)->unify)) {
        return NULL;
    }
    return k->unify(a, b);
}

/* How costly an implicit conversion is when a call is matched against an
   explicit signature: 0 exact, 1 promotion, 2 safe, 4 unsafe (precision
   or range may be lost; ints are range-checked at the call), -1 not
   allowed.  These are Numba's casting rules; the kind converted to
   decides. */
int
pj_type_conversion_cost(PjType *from, PjType *to)
{
    if (from == to) {
        return 0;
    }
    const PjKind *k = pj_kind(to);
    return k->conversion_cost ? k->conversion_cost(from, to) : -1;
}

/* --- signatures --- */

typedef struct {
    PyObject_HEAD
    PyObject *return_type;
    PyObject *args;
} Signature;

static void
signature_dealloc(PyObject *self)
{
    Signature *s = (Signature *)self;
    PyTypeObject *tp = Py_TYPE(self);
    Py_XDECREF(s->return_type);
    Py_XDECREF(s->args);
    tp->tp_free(self);
    Py_DECREF(tp);
}

static PyObject *
signature_repr(PyObject *self)
{
    Signature *s = (Signature *)self;
    PyObject *args = PyObject_Str(s->args);
    if (args == NULL) {
        return NULL;
    }
    /* A 1-tuple prints as "(int64,)"; Numba prints "(int64,) -> ..." too. */
    PyObject *res = PyUnicode_FromFormat("%U -> %S", args, s->return_type);
    Py_DECREF(args);
    return res;
}

static PyObject *
signature_richcompare(PyObject *a, PyObject *b, int op)
{
    if (!Py_IS_TYPE(b, Py_TYPE(a)) || (op != Py_EQ && op != Py_NE)) {
        Py_RETURN_NOTIMPLEMENTED;
    }
    Signature *x = (Signature *)a, *y = (Signature *)b;
    int eq = x->return_type == y->return_type
             && PyObject_RichCompareBool(x->args, y->args, Py_EQ) == 1;
    return PyBool_FromLong(op == Py_EQ ? eq : !eq);
}

static Py_hash_t
signature_hash(PyObject *self)
{
    Signature *s = (Signature *)self;
    Py_hash_t h = PyObject_Hash(s->args);
    return h == -1 ? -1 : h ^ (Py_hash_t)(uintptr_t)s->return_type;
}

static PyObject *
signature_get_return_type(PyObject *self, void *Py_UNUSED(closure))
{
    return Py_NewRef(((Signature *)self)->return_type);
}

static PyObject *
signature_get_args(PyObject *self, void *Py_UNUSED(closure))
{
    return Py_NewRef(((Signature *)self)->args);
}

/* sig.as_type(): the FunctionType of functions of this signature, as
   Numba spells it. */
static PyObject *
signature_as_type(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    Signature *s = (Signature *)self;
    if (!pj_type_check(s->return_type)) {
        PyErr_SetString(PyExc_TypeError, "a FunctionType needs a return "
                        "type: float64(float64).as_type()");
        return NULL;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(s->args);
    return Py_XNewRef((PyObject *)pj_type_funcptr(
        (PjType *)s->return_type,
        (PjType **)&PyTuple_GET_ITEM(s->args, 0), (int)n));
}

static PyMethodDef signature_methods[] = {
    {"as_type", signature_as_type, METH_NOARGS,
     "the FunctionType of functions of this signature"},
    {NULL},
};

static PyGetSetDef signature_getset[] = {
    {"return_type", signature_get_return_type, NULL, NULL, NULL},
    {"args", signature_get_args, NULL, NULL, NULL},
    {NULL},
};

static PyType_Slot signature_slots[] = {
    {Py_tp_dealloc, signature_dealloc},
    {Py_tp_repr, signature_repr},
    {Py_tp_richcompare, signature_richcompare},
    {Py_tp_hash, signature_hash},
    {Py_tp_getset, signature_getset},
    {Py_tp_methods, signature_methods},
    {Py_tp_doc, "A function signature: return_type(args...)."},
    {0, NULL},
};

static PyType_Spec signature_spec = {
    .name = "pyjit.types.Signature",
    .basicsize = sizeof(Signature),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_DISALLOW_INSTANTIATION
             | Py_TPFLAGS_IMMUTABLETYPE,
    .slots = signature_slots,
};

/* ret may be NULL: a signature without a return type, "(int64, int64)". */
PyObject *
pj_type_make_signature(PjType *ret, PyObject *args)
{
    Signature *s = PyObject_New(Signature, pj_state->signature_type);
    if (s == NULL) {
        return NULL;
    }
    Py_INCREF(pj_state->signature_type);
    s->return_type = Py_NewRef(ret ? (PyObject *)ret : Py_None);
    s->args = PySequence_Tuple(args);
    if (s->args == NULL) {
        Py_DECREF(s);
        return NULL;
    }
    return (PyObject *)s;
}

/* --- module-level API used by pyjit/types.py --- */

static int
add_basic(PyObject *dict, const char *name, PjType *t)
{
    return t == NULL ? -1 : PyDict_SetItemString(dict, name, (PyObject *)t);
}

/* Creates the Type and Signature classes and the basic types, and puts
   them in the module's `basic_types` dict. */
int
pj_types_init(PyObject *module)
{
    PjState *st = pj_state;
    st->type_type = (PyTypeObject *)PyType_FromModuleAndSpec(module,
                                                             &type_spec, NULL);
    st->signature_type = (PyTypeObject *)PyType_FromModuleAndSpec(
        module, &signature_spec, NULL);
    st->intern = PyDict_New();
    st->types_by_code = PyList_New(0);
    if (st->type_type == NULL || st->signature_type == NULL
        || st->intern == NULL || st->types_by_code == NULL) {
        return -1;
    }
    /* Creation order fixes the typecodes of the common types. */
    pj_t.pyobject = pj_type_intern(PJ_TK_PYOBJECT, 0, 0, NULL, 0, NULL);
    pj_t.boolean = pj_type_intern(PJ_TK_BOOL, 1, 0, NULL, 0, NULL);
    pj_t.i64 = pj_type_int(64, true);
    pj_t.f64 = pj_type_intern(PJ_TK_FLOAT, 64, 0, NULL, 0, NULL);
    pj_t.c128 = pj_type_intern(PJ_TK_COMPLEX, 128, 0, NULL, 0, NULL);
    pj_t.none = pj_type_intern(PJ_TK_NONE, 0, 0, NULL, 0, NULL);
    pj_t.u64 = pj_type_int(64, false);
    pj_t.i8 = pj_type_int(8, true);
    pj_t.i16 = pj_type_int(16, true);
    pj_t.i32 = pj_type_int(32, true);
    pj_t.u8 = pj_type_int(8, false);
    pj_t.u16 = pj_type_int(16, false);
    pj_t.u32 = pj_type_int(32, false);
    pj_t.f32 = pj_type_intern(PJ_TK_FLOAT, 32, 0, NULL, 0, NULL);
    pj_t.c64 = pj_type_intern(PJ_TK_COMPLEX, 64, 0, NULL, 0, NULL);
    PyObject *d = PyDict_New();
    if (d == NULL || PyModule_AddObjectRef(module, "basic_types", d) < 0) {
        Py_XDECREF(d);
        return -1;
    }
    Py_DECREF(d);
    if (add_basic(d, "boolean", pj_t.boolean) < 0
        || add_basic(d, "int8", pj_t.i8) < 0
        || add_basic(d, "int16", pj_t.i16) < 0
        || add_basic(d, "int32", pj_t.i32) < 0
        || add_basic(d, "int64", pj_t.i64) < 0
        || add_basic(d, "uint8", pj_t.u8) < 0
        || add_basic(d, "uint16", pj_t.u16) < 0
        || add_basic(d, "uint32", pj_t.u32) < 0
        || add_basic(d, "uint64", pj_t.u64) < 0
        || add_basic(d, "float32", pj_t.f32) < 0
        || add_basic(d, "float64", pj_t.f64) < 0
        || add_basic(d, "complex64", pj_t.c64) < 0
        || add_basic(d, "complex128", pj_t.c128) < 0
        || add_basic(d, "none", pj_t.none) < 0
        || add_basic(d, "pyobject", pj_t.pyobject) < 0
        || add_basic(d, "unicode_type", pj_type_unicode()) < 0) {
        return -1;
    }
    return PyModule_AddObjectRef(module, "Type", (PyObject *)st->type_type)
           | PyModule_AddObjectRef(module, "Signature",
                                   (PyObject *)st->signature_type);
}
