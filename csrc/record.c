/*
** record.c - the record kind: an element of a structured NumPy array
** (np.dtype([('x', 'f8'), ('y', 'i4')])), Numba's Record.
**
** A record type stands for its dtype (obj), interned by the dtype's
** value, so that two equal layouts are one type and two layouts two.
** Its fields are read from the dtype when the code compiles: a number of
** any NumPy numeric type in the machine's byte order, a record nested at
** its offset, a sub-array of either (read as a C-contiguous array view of
** the record's memory, with no block of its own: boxed, it is a copy), or
** a 'U' or 'S' string (read as a new str or bytes without the trailing
** NULs; stored cut to the field's width and padded with NULs, as NumPy
** stores it).
**
** A record value is the address of its bytes: a[i] of an array of records
** is a view into the array, so r.x = v writes to the array, as in NumPy
** and Numba.  Fields are loaded and stored with alignment 1, since a
** packed dtype puts them at any offset.  Returned to Python a record is a
** copy (a numpy.void of the dtype); a numpy.void argument is the record it
** views (writes reach the array it came from).  A record of a read-only
** array (a global frozen into the code) is a read-only record, a type of
** its own (ident 1) that refuses stores.
**
** The arrays of records are arrays.c's, which asks here for the size of an
** element and for the field views a['x'] and a.x (of a string field, an
** array of strings: charseq.c).
*/
#include "pyjit.h"

#define NO_IMPORT_ARRAY
#include <numpy/arrayobject.h>
#include <numpy/arrayscalars.h>

/* --- the dtype --- */

static PyArray_Descr *
descr_of(PjType *t)
{
    return (PyArray_Descr *)t->obj;
}

bool
pj_type_is_record(const PjType *t)
{
    return t != NULL && t->kind == PJ_TK_RECORD;
}

/* The size of a record of type t in bytes (0: t is not a record). */
int64_t
pj_record_size(PjType *t)
{
    return pj_type_is_record(t) ? (int64_t)PyDataType_ELSIZE(descr_of(t)) : 0;
}

/* Whether the dtype lays its fields out without C's padding: Numba's
   arrays of such records are "unaligned". */
bool
pj_record_unaligned(PjType *t)
{
    return pj_type_is_record(t)
           && !(PyDataType_FLAGS(descr_of(t)) & NPY_ALIGNED_STRUCT);
}

/* What a field is: a number or a record (read as a value), a sub-array
   of numbers or records (read as a C-contiguous array view of the
   record's memory), or a string of characters, 'U' (code points, read as
   a str) or 'S' (bytes, read as bytes), NumPy's fixed-width strings
   padded with NULs. */
enum { FIELD_VALUE, FIELD_SUBARRAY, FIELD_UNICODE, FIELD_BYTES };

typedef struct {
    int how;                    /* FIELD_* */
    PjType *type;               /* what reading the field gives */
    Py_ssize_t off;
    int64_t nchars;             /* strings: their width in characters */
    int nd;                     /* sub-arrays: their shape and strides */
    int64_t shape[PJ_MAX_NDIM], strides[PJ_MAX_NDIM];
} Field;

/* The field of dtype d: 0 described in *f (all but off), 1 untyped. */
static int
describe_field(PyArray_Descr *d, Field *f)
{
    memset(f, 0, sizeof *f);
    if (PyDataType_HASSUBARRAY(d)) {
        PyArray_ArrayDescr *sub = PyDataType_SUBARRAY(d);
        PjType *elem = pj_dtype_elem((PyObject *)sub->base);
        PyObject *shape = sub->shape;
        if (elem == NULL || !PyTuple_Check(shape)
            || PyTuple_GET_SIZE(shape) < 1
            || PyTuple_GET_SIZE(shape) > PJ_MAX_NDIM) {
            return 1;
        }
        f->how = FIELD_SUBARRAY;
        f->nd = (int)PyTuple_GET_SIZE(shape);
        int64_t step = (int64_t)PyDataType_ELSIZE(sub->base);
        for (int k = f->nd - 1; k >= 0; k--) {
            f->shape[k] = PyLong_AsLongLong(PyTuple_GET_ITEM(shape, k));
            f->strides[k] = step;
            step *= f->shape[k];
        }
        if (PyErr_Occurred()) {
            PyErr_Clear();
            return 1;
        }
        f->type = pj_type_array(elem, f->nd, PJ_LAYOUT_C);
        return f->type ? 0 : 1;
    }
    if (d->type_num == NPY_UNICODE && PyArray_ISNBO(d->byteorder)) {
        f->how = FIELD_UNICODE;
        f->nchars = (int64_t)PyDataType_ELSIZE(d) / 4;
        f->type = pj_type_unicode();
        return 0;
    }
    if (d->type_num == NPY_STRING) {
        f->how = FIELD_BYTES;
        f->nchars = (int64_t)PyDataType_ELSIZE(d);
        f->type = pj_type_array(pj_t.u8, 1, PJ_READONLY | PJ_BYTES);
        return 0;
    }
    f->how = FIELD_VALUE;
    f->type = pj_dtype_elem((PyObject *)d);
    return f->type ? 0 : 1;
}

/* The field `name` of rec: 0 found and described, 1 not. */
static int
field_named(PjType *rec, PyObject *name, Field *f)
{
    PyObject *fields = PyDataType_FIELDS(descr_of(rec));
    PyObject *item = fields ? PyDict_GetItemWithError(fields, name) : NULL;
    if (item == NULL || !PyTuple_Check(item) || PyTuple_GET_SIZE(item) < 2) {
        PyErr_Clear();
        return 1;
    }
    if (describe_field((PyArray_Descr *)PyTuple_GET_ITEM(item, 0), f) != 0) {
        return 1;
    }
    f->off = PyLong_AsSsize_t(PyTuple_GET_ITEM(item, 1));
    if (f->off < 0) {
        PyErr_Clear();
        return 1;
    }
    return 0;
}

/* How a field's type prints in its record's, Numba's spelling:
   float64, nestedarray(float64, (3,)), [unichr x 10], [char x 4]. */
static void
print_field_type(PjBuf *b, const Field *f)
{
    switch (f->how) {
    case FIELD_SUBARRAY:
        pj_buf_printf(b, "nestedarray(%s, (",
                      pj_type_str(f->type->elems[0]));
        for (int k = 0; k < f->nd; k++) {
            pj_buf_printf(b, "%s%lld", k ? ", " : "", (long long)f->shape[k]);
        }
        pj_buf_printf(b, "%s))", f->nd == 1 ? "," : "");
        break;
    case FIELD_UNICODE:
        pj_buf_printf(b, "[unichr x %lld]", (long long)f->nchars);
        break;
    case FIELD_BYTES:
        pj_buf_printf(b, "[char x %lld]", (long long)f->nchars);
        break;
    default:
        pj_buf_printf(b, "%s", pj_type_str(f->type));
    }
}

/* Generated code names a record's dtype by its layout: a number computed
   from how the type prints (names, types, offsets, size, alignment), the
   same in every process, so that code loaded from the cache finds it.
   Every record type made in the process is in `layouts`. */
static PyObject *layouts;

int32_t
pj_record_layout(PjType *t)
{
    uint64_t h = 14695981039346656037ull;      /* FNV-1a */
    for (const char *c = pj_type_str(t); *c; c++) {
        h = (h ^ (unsigned char)*c) * 1099511628211ull;
    }
    return (int32_t)((h & 0x7ffffffe) | 1);
}

static int
remember_layout(PjType *t)
{
    if (layouts == NULL && (layouts = PyDict_New()) == NULL) {
        return -1;
    }
    PyObject *key = PyLong_FromLong(pj_record_layout(t));
    PyObject *known = key ? PyDict_SetDefault(layouts, key, t->obj) : NULL;
    Py_XDECREF(key);
    int same = known ? PyObject_RichCompareBool(known, t->obj, Py_EQ) : -1;
    if (same == 0) {
        PyErr_SetString(PyExc_ValueError, "two record layouts share a "
                        "layout number");
    }
    t->count = same == 1;       /* remembered */
    return same == 1 ? 0 : -1;
}

/* A new reference to the dtype of the record whose layout is `layout`. */
PyObject *
pj_record_descr(int32_t layout)
{
    PyObject *key = PyLong_FromLong(layout);
    PyObject *d = key && layouts ? PyDict_GetItemWithError(layouts, key)
                                 : NULL;
    Py_XDECREF(key);
    if (d == NULL && !PyErr_Occurred()) {
        PyErr_SetString(PyExc_SystemError, "a record's dtype is unknown");
    }
    return Py_XNewRef(d);
}

/* The number generated code passes for an array's dtype to the helpers
   that make one (pj_dtype_of_num): NumPy's type number, or a record's
   layout negated. */
int32_t
pj_dtype_num(PjType *dtype)
{
    return pj_type_is_record(dtype) ? -pj_record_layout(dtype)
           : pj_type_is_datetime_like(dtype) ? pj_datetime_dtype_num(dtype)
           : pj_type_is_charseq(dtype) ? pj_charseq_num(dtype)
           : pj_type_numpy_num(dtype);
}

/* A new reference to the dtype pj_dtype_num numbered. */
PyObject *
pj_dtype_of_num(int32_t num)
{
    PyObject *chars = pj_charseq_descr_of_num(num);
    return num < 0 ? pj_record_descr(-num)
           : chars != NULL || PyErr_Occurred() ? chars
           : num >= PJ_DATETIME_NUM_UNIT ? pj_datetime_descr(num)
           : (PyObject *)PyArray_DescrFromType(num);
}

/* The read-only record of the same layout as rec. */
static PjType *
readonly_record(PjType *rec)
{
    PjType *t = pj_type_intern_object(PJ_TK_RECORD, 1, rec->obj);
    if (t != NULL && t->count == 0 && remember_layout(t) < 0) {
        return NULL;
    }
    return t;
}

/* What an element of the array arr is: its dtype, a read-only record
   for a read-only array of records, the str or bytes of an array of
   strings (charseq.c). */
PjType *
pj_record_item_type(PjType *arr)
{
    PjType *dt = arr->elems[0];
    if (pj_type_is_charseq(dt)) {
        return pj_charseq_item_type(dt);
    }
    if (!pj_type_is_record(dt) || !pj_array_readonly(arr) || dt->ident) {
        return dt;
    }
    PjType *t = readonly_record(dt);
    PyErr_Clear();
    return t ? t : dt;
}

/* Whether a and b are records of one layout. */
bool
pj_record_same_layout(PjType *a, PjType *b)
{
    return pj_type_is_record(a) && pj_type_is_record(b) && a->obj == b->obj;
}

/* The record type of the structured dtype d, or NULL (no exception) when
   a field has no type (a sub-array, a string, an object). */
static PjType *record_of(PyArray_Descr *d);

/* The last dtype typed, its names and its type: a call with the same
   array's dtype again, the common case, skips reading its fields (a dtype
   whose fields were renamed since has a new tuple of names). */
static PyObject *last_dtype, *last_names;
static PjType *last_type;

PjType *
pj_type_record_of(PyObject *dtype)
{
    PyObject *names = PyDataType_NAMES((PyArray_Descr *)dtype);
    if (dtype == last_dtype && names == last_names) {
        return last_type;
    }
    PjType *t = record_of((PyArray_Descr *)dtype);
    if (t != NULL) {
        Py_XSETREF(last_dtype, Py_NewRef(dtype));
        Py_XSETREF(last_names, Py_NewRef(names));
        last_type = t;
    }
    return t;
}

static PjType *
record_of(PyArray_Descr *d)
{
    PyObject *names = PyDataType_NAMES(d);
    if (names == NULL || !PyTuple_Check(names)
        || PyTuple_GET_SIZE(names) == 0) {
        return NULL;
    }
    PjType *t = pj_type_intern_object(PJ_TK_RECORD, 0, (PyObject *)d);
    if (t == NULL) {
        PyErr_Clear();
        return NULL;
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(names); i++) {
        Field f;
        if (field_named(t, PyTuple_GET_ITEM(names, i), &f) != 0) {
            return NULL;
        }
    }
    if (t->count == 0 && remember_layout(t) < 0) {
        PyErr_Clear();
        return NULL;
    }
    return t;
}

/* Record(x[type=float64;offset=0],y[type=int32;offset=8];12;False) */
static void
print_record(PjBuf *b, PjType *t)
{
    PyObject *names = PyDataType_NAMES(descr_of(t));
    pj_buf_printf(b, "Record(");
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(names); i++) {
        PyObject *name = PyTuple_GET_ITEM(names, i);
        Field f;
        pj_buf_printf(b, "%s%s[type=", i ? "," : "", PyUnicode_AsUTF8(name));
        if (field_named(t, name, &f) == 0) {
            print_field_type(b, &f);
        }
        pj_buf_printf(b, ";offset=%zd]", field_named(t, name, &f) == 0
                                         ? f.off : 0);
    }
    pj_buf_printf(b, ";%lld;%s)", (long long)pj_record_size(t),
                  pj_record_unaligned(t) ? "False" : "True");
}

/* --- typing --- */

/* "the record has no field 'z' (its fields: x, y)" */
static const char *
why_no_field(PjCompile *cx, PjType *rec, PyObject *name)
{
    PyObject *names = PyDataType_NAMES(descr_of(rec));
    PyObject *sep = PyUnicode_FromString(", ");
    PyObject *list = sep ? PyUnicode_Join(sep, names) : NULL;
    PyObject *msg = list == NULL ? NULL : PyUnicode_FromFormat(
        "the record has no field %R (its fields: %U)", name, list);
    const char *why = msg ? pj_arena_strdup(cx->arena,
                                            PyUnicode_AsUTF8(msg)) : NULL;
    Py_XDECREF(sep);
    Py_XDECREF(list);
    Py_XDECREF(msg);
    PyErr_Clear();
    return why ? why : "the record has no such field";
}

/* The string the index of ins always is, or NULL. */
static PyObject *
const_name(PjInstr *ins)
{
    PyObject *c = ins->nsrc > 1 ? pj_ir_const_of(ins->src[1]) : NULL;
    return c != NULL && PyUnicode_Check(c) ? c : NULL;
}

/* The field a constant name (a str) or position (ins->sub) picks: 0 with
   *f, 1 with cx->why. */
static int
pick_field(PjCompile *cx, PjInstr *ins, PjType *rec, PjType *idx, Field *f)
{
    PyObject *name;
    if (idx == NULL) {
        PyObject *names = PyDataType_NAMES(descr_of(rec));
        Py_ssize_t i = ins->sub < 0 ? ins->sub + PyTuple_GET_SIZE(names)
                                    : ins->sub;
        if (ins->obj != NULL || i < 0 || i >= PyTuple_GET_SIZE(names)) {
            cx->why = "a record is indexed by a constant field name or "
                      "position in range";
            return 1;
        }
        name = PyTuple_GET_ITEM(names, i);
    }
    else if (pj_type_is_strlit(idx)) {
        name = idx->obj;
    }
    else if (pj_type_is_str(idx) && const_name(ins) != NULL) {
        name = const_name(ins);       /* an item of a constant tuple */
    }
    else {
        cx->why = pj_arena_printf(
            cx->arena, "a record's field is named by a constant string, "
            "not a value of type %s", pj_type_str(idx));
        return 1;
    }
    if (field_named(rec, name, f) != 0) {
        cx->why = why_no_field(cx, rec, name);
        return 1;
    }
    return 0;
}

/* The field of the record rec the access ins names, in the arena (the
   plan of its lowering), its type read-only when rec is; NULL with 1 or
   -1 in *rc. */
static Field *
chosen_field(PjCompile *cx, PjInstr *ins, PjType *rec, PjType *key, int *rc)
{
    Field *f = PJ_NEW(cx->arena, Field);
    *rc = f == NULL ? -1 : pick_field(cx, ins, rec, key, f);
    if (*rc != 0 || !rec->ident) {
        return *rc ? NULL : f;
    }
    if (pj_type_is_record(f->type)) {
        f->type = readonly_record(f->type);     /* a record in a read-only */
    }
    else if (f->how == FIELD_SUBARRAY) {
        f->type = pj_type_array(pj_record_item_type(f->type), f->nd,
                                PJ_LAYOUT_C | PJ_READONLY);
    }
    *rc = f->type ? 0 : -1;
    return f->type ? f : NULL;
}

static LLVMValueRef lower_get_field(PjLower *lw, PjInstr *ins,
                                    LLVMValueRef *args);
static LLVMValueRef lower_set_field(PjLower *lw, PjInstr *ins,
                                    LLVMValueRef *args);
static const PjImpl impl_get_field = {"record field", lower_get_field,
                                      false, false};
/* A string field is read into a new block (a reference of its own). */
static const PjImpl impl_get_chars = {"record string field",
                                      lower_get_field, true, true};
static const PjImpl impl_set_field = {"record field store", lower_set_field,
                                      false, false};

/* The constant key names the field of rec to read or write; it is an
   operand of the instruction (r['x']) or not (r.x). */
static int
choose_get(PjCompile *cx, PjInstr *ins, PjType *rec, PjType *key,
           bool operand)
{
    int rc;
    Field *f = chosen_field(cx, ins, rec, key, &rc);
    PjType *args[2] = {rec, key};
    bool chars = f != NULL && (f->how == FIELD_UNICODE
                               || f->how == FIELD_BYTES);
    cx->can_raise |= chars;     /* MemoryError */
    return f == NULL ? rc
           : pj_choose_plan(cx, ins, chars ? &impl_get_chars
                                           : &impl_get_field, f->type, args,
                            operand ? 2 : 1, (PjPlan){.ptr = f});
}

/* Whether value can be stored in the field f, with the type it converts
   to in *to; cx->why says why not. */
static bool
can_store(PjCompile *cx, const Field *f, PjType *value, PjType **to)
{
    *to = f->type;
    switch (f->how) {
    case FIELD_SUBARRAY:
        cx->why = pj_arena_printf(
            cx->arena, "the field is a sub-array (%s): assign to its items "
            "instead (r.field[:] = v)", pj_type_str(f->type));
        return false;
    case FIELD_UNICODE:
        cx->why = pj_arena_printf(cx->arena, "the field holds strings of up "
                                  "to %lld characters, not %s",
                                  (long long)f->nchars, pj_type_str(value));
        return pj_type_is_str(value);
    case FIELD_BYTES:
        *to = value;
        cx->why = pj_arena_printf(cx->arena, "the field holds bytes of up "
                                  "to %lld characters, not %s",
                                  (long long)f->nchars, pj_type_str(value));
        return pj_type_is_array(value) && pj_array_ndim(value) == 1
               && (value->ident & (PJ_BYTES | PJ_BYTEARRAY));
    default:
        if (pj_array_can_store(cx, f->type, value)) {
            return true;
        }
        cx->why = pj_arena_printf(cx->arena, "the field holds %s, not %s",
                                  pj_type_str(f->type), pj_type_str(value));
        return false;
    }
}

static int
choose_set(PjCompile *cx, PjInstr *ins, PjType *rec, PjType *key,
           bool operand, PjType *value)
{
    int rc;
    Field *f = chosen_field(cx, ins, rec, key, &rc);
    PjType *to;
    if (f == NULL) {
        return rc;
    }
    if (rec->ident) {
        cx->why = "the record is read-only (its array is)";
        return 1;
    }
    if (!can_store(cx, f, value, &to)) {
        return 1;
    }
    PjType *a2[2] = {rec, to}, *a3[3] = {rec, key, to};
    return pj_choose_plan(cx, ins, &impl_set_field, pj_t.none,
                          operand ? a3 : a2, operand ? 3 : 2,
                          (PjPlan){.ptr = f});
}

/* The constant string type of an attribute's name. */
static PjType *
name_type(PjCompile *cx, const char *name)
{
    PyObject *s = PyUnicode_FromString(name);
    PjType *t = s ? pj_type_strlit(cx->arena, s) : NULL;
    Py_XDECREF(s);
    return t;
}

/* r.x */
static int
record_getattr(PjCompile *cx, PjInstr *ins, PjType *t)
{
    PjType *key = name_type(cx, ins->name);
    return key ? choose_get(cx, ins, t, key, false) : -1;
}

/* r.x = v */
static int
record_setattr(PjCompile *cx, PjInstr *ins, PjType *t, PjType *value)
{
    PjType *key = name_type(cx, ins->name);
    return key ? choose_set(cx, ins, t, key, false, value) : -1;
}

/* r['x'], r[0] */
static int
record_getitem(PjCompile *cx, PjInstr *ins, PjType *t, PjType *idx)
{
    return choose_get(cx, ins, t, idx, idx != NULL);
}

/* r['x'] = v */
static int
record_setitem(PjCompile *cx, PjInstr *ins, PjType *t, PjType *idx,
               PjType *value)
{
    return choose_set(cx, ins, t, idx, true, value);
}

/* --- lowering --- */

static LLVMValueRef
field_address(PjLower *lw, LLVMValueRef rec, intptr_t off)
{
    LLVMValueRef o = pj_i64(lw, off);
    return LLVMBuildInBoundsGEP2(lw->b, lw->t_i8, rec, &o, 1, "");
}

/* The value of type ft at p, which may be at any alignment; a nested
   record is its address. */
LLVMValueRef
pj_record_load(PjLower *lw, PjType *ft, LLVMValueRef p)
{
    if (pj_type_is_record(ft)) {
        return p;
    }
    bool is_bool = ft->kind == PJ_TK_BOOL;
    LLVMValueRef v = LLVMBuildLoad2(lw->b, is_bool ? lw->t_i8
                                    : pj_lower_type(lw, ft), p, "");
    LLVMSetAlignment(v, 1);
    return is_bool ? LLVMBuildICmp(lw->b, LLVMIntNE, v,
                                   LLVMConstInt(lw->t_i8, 0, 0), "") : v;
}

/* Store v of type ft at p; a record is copied. */
void
pj_record_store(PjLower *lw, PjType *ft, LLVMValueRef p, LLVMValueRef v)
{
    if (pj_type_is_record(ft)) {
        LLVMBuildMemCpy(lw->b, p, 1, v, 1, pj_i64(lw, pj_record_size(ft)));
        return;
    }
    if (ft->kind == PJ_TK_BOOL) {
        v = LLVMBuildZExt(lw->b, v, lw->t_i8, "");
    }
    LLVMSetAlignment(LLVMBuildStore(lw->b, v, p), 1);
}

/* The array view of the sub-array field f at p: no block of its own (the
   record's memory is its array's), C-contiguous. */
static LLVMValueRef
subarray_view(PjLower *lw, const Field *f, PjType *vt, LLVMValueRef p)
{
    LLVMValueRef shape[PJ_MAX_NDIM], strides[PJ_MAX_NDIM];
    for (int k = 0; k < f->nd; k++) {
        shape[k] = pj_i64(lw, f->shape[k]);
        strides[k] = pj_i64(lw, f->strides[k]);
    }
    LLVMValueRef bare = LLVMBuildInsertValue(
        lw->b, LLVMConstNull(pj_lower_type(lw, vt)), p, PJ_ARRAY_DATA, "");
    return pj_array_with_dims(lw, bare, vt, shape, strides);
}

static LLVMValueRef
lower_get_field(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    const Field *f = ins->plan.ptr;
    LLVMValueRef p = field_address(lw, args[0], f->off);
    switch (f->how) {
    case FIELD_SUBARRAY:
        return subarray_view(lw, f, ins->resty, p);
    case FIELD_UNICODE:
        return pj_charseq_read(lw, "pj_rt_str_from_ucs4", ins->resty, p,
                          f->nchars);
    case FIELD_BYTES:
        return pj_charseq_read(lw, "pj_rt_bytes_from_chars", ins->resty, p,
                          f->nchars);
    default:
        return pj_record_load(lw, ins->resty, p);
    }
}

static LLVMValueRef
lower_set_field(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    const Field *f = ins->plan.ptr;
    int last = ins->op == PJ_OP_SETATTR ? 1 : 2;
    LLVMValueRef p = field_address(lw, args[0], f->off);
    switch (f->how) {
    case FIELD_UNICODE:
        pj_charseq_write(lw, "pj_rt_str_to_ucs4", args[last], p, f->nchars);
        break;
    case FIELD_BYTES:
        pj_charseq_write(lw, "pj_rt_bytes_to_chars", args[last], p, f->nchars);
        break;
    default:
        pj_record_store(lw, ins->argtys[last], p, args[last]);
    }
    return NULL;
}

static LLVMTypeRef
record_llvm_type(PjLower *lw, PjType *Py_UNUSED(t))
{
    return lw->t_ptr;
}

/* --- arrays of records: field views --- */

static LLVMValueRef lower_field_view(PjLower *lw, PjInstr *ins,
                                     LLVMValueRef *args);
static const PjImpl impl_field_view = {"record array field",
                                       lower_field_view, false, false};

/* a['x'] or a.x (name) of an array of records: an array of the field
   over the same memory, as NumPy's field view.  1 when arr holds no
   records. */
int
pj_record_type_field_view(PjCompile *cx, PjInstr *ins, PjType *arr,
                          PjType *idx, PyObject *name)
{
    PjType *rec = arr->elems[0];
    Field *f = PJ_NEW(cx->arena, Field);
    if (f == NULL) {
        return -1;
    }
    if (!pj_type_is_record(rec)) {
        return 1;
    }
    if (name != NULL) {
        if (field_named(rec, name, f) != 0) {
            return 1;           /* not a field: an array attribute */
        }
    }
    else if (pick_field(cx, ins, rec, idx, f) != 0) {
        return 1;
    }
    PjType *et = f->how == FIELD_SUBARRAY ? f->type->elems[0] : f->type;
    if (f->how == FIELD_UNICODE || f->how == FIELD_BYTES) {
        bool unicode = f->how == FIELD_UNICODE;
        et = pj_type_charseq(f->nchars * (unicode ? 4 : 1), unicode);
    }
    int nd = pj_array_ndim(arr) + f->nd;
    if (nd > PJ_MAX_NDIM) {
        cx->why = "the field's view would have too many dimensions";
        return 1;
    }
    int flags = (arr->ident & ~PJ_LAYOUT_C) | PJ_LAYOUT_A;
    PjType *vt = et ? pj_type_array(et, nd, flags) : NULL;
    PjType *args[2] = {arr, idx};
    return vt ? pj_choose_plan(cx, ins, &impl_field_view, vt, args,
                               idx ? 2 : 1, (PjPlan){.ptr = f}) : -1;
}

/* The array's dimensions, then the sub-array's (if the field is one). */
static LLVMValueRef
lower_field_view(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    const Field *f = ins->plan.ptr;
    PjType *at = ins->argtys[0];
    int n = pj_array_ndim(at);
    LLVMValueRef shape[PJ_MAX_NDIM], strides[PJ_MAX_NDIM];
    for (int k = 0; k < n + f->nd; k++) {
        shape[k] = k < n ? pj_array_dim(lw, args[0], PJ_ARRAY_SHAPE, k)
                         : pj_i64(lw, f->shape[k - n]);
        strides[k] = k < n ? pj_array_dim(lw, args[0], PJ_ARRAY_STRIDES, k)
                           : pj_i64(lw, f->strides[k - n]);
    }
    LLVMValueRef data = LLVMBuildExtractValue(lw->b, args[0], PJ_ARRAY_DATA,
                                              "");
    LLVMValueRef moved = LLVMBuildInsertValue(
        lw->b, args[0], field_address(lw, data, f->off), PJ_ARRAY_DATA, "");
    return pj_array_with_dims(lw, moved, ins->resty, shape, strides);
}

/* --- the boundary with Python --- */

/* Whether the field `name` is the same (dtype and offset) in a and b. */
static bool
same_field(PyObject *a, PyObject *b, PyObject *name)
{
    PyObject *fa = PyDict_GetItemWithError(a, name);
    PyObject *fb = fa ? PyDict_GetItemWithError(b, name) : NULL;
    if (fb == NULL) {
        PyErr_Clear();
        return false;
    }
    int same_offset = PyObject_RichCompareBool(PyTuple_GET_ITEM(fa, 1),
                                               PyTuple_GET_ITEM(fb, 1), Py_EQ);
    PyErr_Clear();
    return same_offset == 1
           && PyArray_EquivTypes((PyArray_Descr *)PyTuple_GET_ITEM(fa, 0),
                                 (PyArray_Descr *)PyTuple_GET_ITEM(fb, 0));
}

/* Numba's width subtyping of records: a record converts (safely) to one
   whose fields are its first fields, of the same types at the same
   offsets, since a record is the address of its bytes. */
static int
record_conversion_cost(PjType *from, PjType *to)
{
    if (!pj_type_is_record(from) || from->ident != to->ident) {
        return -1;
    }
    PyArray_Descr *df = descr_of(from), *dt = descr_of(to);
    PyObject *nf = PyDataType_NAMES(df), *nt = PyDataType_NAMES(dt);
    if (nf == NULL || nt == NULL
        || PyTuple_GET_SIZE(nt) > PyTuple_GET_SIZE(nf)) {
        return -1;
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(nt); i++) {
        PyObject *name = PyTuple_GET_ITEM(nt, i);
        int same_name = PyObject_RichCompareBool(
            name, PyTuple_GET_ITEM(nf, i), Py_EQ);
        PyErr_Clear();
        if (same_name != 1 || !same_field(PyDataType_FIELDS(df),
                                          PyDataType_FIELDS(dt), name)) {
            return -1;
        }
    }
    return 2;
}

static bool
record_can_box(PjType *Py_UNUSED(t))
{
    return true;
}

/* A numpy.void holding a copy of the record's bytes. */
PyObject *
pj_rt_record_box(const char *data, int32_t layout)
{
    PyArray_Descr *d = (PyArray_Descr *)pj_record_descr(layout);
    PyObject *r = d ? PyArray_Scalar((void *)data, d, NULL) : NULL;
    Py_XDECREF(d);
    return r;
}

/* The bytes a numpy.void views (borrowed: the caller holds the object). */
void *
pj_rt_record_unbox(PyObject *obj)
{
    return ((PyVoidScalarObject *)obj)->obval;
}

static LLVMValueRef
record_box(PjLower *lw, LLVMValueRef v, PjType *t)
{
    LLVMTypeRef p[2] = {lw->t_ptr, lw->t_i32};
    LLVMValueRef a[2] = {v, pj_i32(lw, pj_record_layout(t))};
    return pj_lower_helper(lw, "pj_rt_record_box", lw->t_ptr, p, a, 2);
}

static LLVMValueRef
record_unbox(PjLower *lw, LLVMValueRef obj, PjType *Py_UNUSED(t))
{
    return pj_lower_helper(lw, "pj_rt_record_unbox", lw->t_ptr,
                           &lw->t_ptr, &obj, 1);
}

/* A numpy.void of a structured dtype whose fields have types. */
static PjType *
record_typeof(PyObject *obj, bool *untypable, int Py_UNUSED(depth))
{
    if (!PyObject_TypeCheck(obj, &PyVoidArrType_Type)) {
        return NULL;
    }
    PjType *t = pj_type_record_of(
        (PyObject *)((PyVoidScalarObject *)obj)->descr);
    if (t == NULL) {
        *untypable = true;
        return pj_t.pyobject;
    }
    return t;
}

/* The first field of the structured dtype d (nested ones searched) that
   has no type, as "'a.b' (dtype object)", into buf; false if none. */
static bool
first_untyped_field(PyArray_Descr *d, const char *prefix, char *buf,
                    size_t size)
{
    PyObject *names = PyDataType_NAMES(d), *fields = PyDataType_FIELDS(d);
    for (Py_ssize_t i = 0; names && i < PyTuple_GET_SIZE(names); i++) {
        PyObject *name = PyTuple_GET_ITEM(names, i);
        PyObject *item = fields ? PyDict_GetItem(fields, name) : NULL;
        if (item == NULL || !PyTuple_Check(item)) {
            continue;
        }
        PyArray_Descr *fd = (PyArray_Descr *)PyTuple_GET_ITEM(item, 0);
        Field f;
        const char *n = PyUnicode_AsUTF8(name);
        if (PyDataType_HASFIELDS(fd)) {
            char path[256];
            snprintf(path, sizeof path, "%s%s.", prefix, n ? n : "?");
            if (first_untyped_field(fd, path, buf, size)) {
                return true;
            }
            continue;
        }
        if (describe_field(fd, &f) != 0) {
            PyObject *r = PyObject_Str((PyObject *)fd);
            snprintf(buf, size, "'%s%s' (dtype %s)", prefix, n ? n : "?",
                     r ? PyUnicode_AsUTF8(r) : "?");
            Py_XDECREF(r);
            PyErr_Clear();
            return true;
        }
    }
    return false;
}

/* Why the structured dtype has no record type, naming the field. */
const char *
pj_record_why_not(PyObject *dtype)
{
    static char why[512];
    char field[256];
    if (!first_untyped_field((PyArray_Descr *)dtype, "", field,
                             sizeof field)) {
        snprintf(field, sizeof field, "(none)");
    }
    snprintf(why, sizeof why, "the record's field %s is not supported: a "
             "record's fields are numbers, records, sub-arrays of them and "
             "strings ('U', 'S') in the machine's byte order", field);
    return why;
}

static const char *
record_why_untypable(PyObject *obj, int Py_UNUSED(depth))
{
    if (!PyObject_TypeCheck(obj, &PyVoidArrType_Type)) {
        return NULL;
    }
    return pj_record_why_not((PyObject *)((PyVoidScalarObject *)obj)->descr);
}

static int
record_init(void)
{
    return pj_typeof_register(&PyVoidArrType_Type, &pj_kind_record);
}

const PjKind pj_kind_record = {
    .name = "record",
    .print = print_record,
    .type_getattr = record_getattr,
    .type_setattr = record_setattr,
    .type_getitem = record_getitem,
    .type_setitem = record_setitem,
    .llvm_type = record_llvm_type,
    .can_box = record_can_box,
    .box = record_box,
    .unbox = record_unbox,
    .typeof = record_typeof,
    .why_untypable = record_why_untypable,
    .conversion_cost = record_conversion_cost,
    .init = record_init,
};
