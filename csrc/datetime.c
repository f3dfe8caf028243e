/*
** datetime.c - NumPy's datetime64 and timedelta64 (Numba's NPDatetime and
** NPTimedelta).
**
** A value of either kind is an int64 counting units since the epoch
** (datetime) or units (timedelta); the unit is in the type (ident, NumPy's
** NPY_DATETIMEUNIT: `datetime64[D]`, `timedelta64[s]`, and a unit-less
** `datetime64` for the generic unit).  The smallest int64 is NaT.
**
** Operators follow NumPy: both operands go to their common unit, the finer
** one, before they combine (a datetime of years or months becomes days by
** the calendar; a timedelta of years or months has no common unit with a
** timedelta of days or finer, and is refused); NaT in gives NaT out, and
** compares unequal to everything, itself included.  Arrays of any unit
** come and go as arguments and results (arrays.c types them through
** pj_type_datetime_of_descr); scalars box to NumPy scalars of their unit.
*/
#include "pyjit.h"

#define NO_IMPORT_ARRAY
#include <numpy/arrayobject.h>
#include <numpy/arrayscalars.h>

#include <math.h>

#define NAT INT64_MIN
#define NUNITS (NPY_FR_GENERIC + 1)

/* How each unit is spelled in a dtype, by NPY_DATETIMEUNIT (NumPy's 3 is
   no longer a unit). */
static const char *const unit_names[NUNITS] = {
    "Y", "M", "W", NULL, "D", "h", "m", "s", "ms", "us", "ns", "ps", "fs",
    "as", "",
};

/* How many of the next finer unit (next_unit) make one of unit u, from
   weeks down (days, hours, ...); years hold 12 months. */
static const int64_t finer_steps[NUNITS] = {
    12, 0, 7, 0, 24, 60, 60, 1000, 1000, 1000, 1000, 1000, 1000, 0, 0,
};

/* The unit after u, finer: weeks step to days past NumPy's 3. */
static int
next_unit(int u)
{
    return u == NPY_FR_W ? NPY_FR_D : u + 1;
}

static bool
is_datetime(PjType *t)
{
    return t->kind == PJ_TK_DATETIME;
}

static bool
is_timedelta(PjType *t)
{
    return t->kind == PJ_TK_TIMEDELTA;
}

bool
pj_type_is_datetime_like(PjType *t)
{
    return is_datetime(t) || is_timedelta(t);
}

static PjType *
datetime_type(PjTypeKind kind, int unit)
{
    return pj_type_intern(kind, 64, unit, NULL, 0, NULL);
}

/* Years and months: their length in days varies. */
static bool
is_calendar_unit(int unit)
{
    return unit <= NPY_FR_M;
}

/* How many of unit `to` make one of unit `from` (from coarser); 0 when the
   units have no fixed ratio or the count does not fit in 64 bits. */
static int64_t
unit_factor(int from, int to)
{
    if (from == NPY_FR_GENERIC || from == to) {
        return 1;
    }
    if (is_calendar_unit(from) != is_calendar_unit(to) || from > to) {
        return 0;
    }
    int64_t f = 1;
    for (int u = from; u < to; u = next_unit(u)) {
        if (finer_steps[u] == 0 || f > INT64_MAX / finer_steps[u]) {
            return 0;
        }
        f *= finer_steps[u];
    }
    return f;
}

/* The finer of two units; the generic unit gives way to any other. */
static int
finer_unit(int a, int b)
{
    if (a == NPY_FR_GENERIC) {
        return b;
    }
    if (b == NPY_FR_GENERIC) {
        return a;
    }
    return a > b ? a : b;
}

/* Whether a value of kind `kind` in unit `from` converts to unit `to`: a
   datetime of years or months by the calendar, a timedelta only by a
   fixed ratio. */
static bool
converts(PjTypeKind kind, int from, int to)
{
    if (kind == PJ_TK_DATETIME && is_calendar_unit(from)
        && !is_calendar_unit(to)) {
        return unit_factor(NPY_FR_D, to) != 0 || to == NPY_FR_W;
    }
    return unit_factor(from, to) != 0;
}

/* Whether a value of type value stores into an array of dtype: of the
   same kind, in any unit (as NumPy casts, a finer one rounds down). */
bool
pj_datetime_can_store(PjType *dtype, PjType *value)
{
    return dtype->kind == value->kind;
}

/* --- types, dtypes and typeof --- */

static void
print_datetime(PjBuf *b, PjType *t)
{
    pj_buf_puts(b, is_datetime(t) ? "datetime64" : "timedelta64");
    if (t->ident != NPY_FR_GENERIC) {
        pj_buf_printf(b, "[%s]", unit_names[t->ident]);
    }
}

/* The unit of a datetime64 or timedelta64 dtype, or -1 when it has none
   pyjit compiles (a multiple such as M8[5s]). */
static int
unit_of_descr(PyArray_Descr *d)
{
    PyArray_DatetimeDTypeMetaData *meta =
        (PyArray_DatetimeDTypeMetaData *)PyDataType_C_METADATA(d);
    if (meta == NULL || meta->meta.num != 1 || meta->meta.base < 0
        || meta->meta.base >= NUNITS || unit_names[meta->meta.base] == NULL) {
        return -1;
    }
    return meta->meta.base;
}

/* The type of the elements of dtype descr when it is datetime64 or
   timedelta64 of a unit pyjit compiles; NULL otherwise. */
PjType *
pj_type_datetime_of_descr(PyObject *descr)
{
    PyArray_Descr *d = (PyArray_Descr *)descr;
    if (!PyTypeNum_ISDATETIME(d->type_num) || !PyArray_ISNBO(d->byteorder)) {
        return NULL;
    }
    int unit = unit_of_descr(d);
    if (unit < 0) {
        return NULL;
    }
    return datetime_type(d->type_num == NPY_DATETIME ? PJ_TK_DATETIME
                                                     : PJ_TK_TIMEDELTA,
                         unit);
}

/* NumPy's type number of t's dtype, or -1 when t is of neither kind. */
int
pj_datetime_numpy_num(PjType *t)
{
    return is_datetime(t) ? NPY_DATETIME : is_timedelta(t) ? NPY_TIMEDELTA
                                                           : -1;
}

/* The dtype number (pj_dtype_num) of t: NumPy's type number with the
   unit above it, so that pj_datetime_descr can make the dtype again. */
int32_t
pj_datetime_dtype_num(PjType *t)
{
    return pj_datetime_numpy_num(t) + PJ_DATETIME_NUM_UNIT * (t->ident + 1);
}

/* A new reference to the dtype pj_datetime_dtype_num numbered. */
PyObject *
pj_datetime_descr(int32_t num)
{
    static PyObject *descrs[2][NUNITS];
    int typenum = num % PJ_DATETIME_NUM_UNIT;
    int unit = num / PJ_DATETIME_NUM_UNIT - 1;
    int timedelta = typenum == NPY_TIMEDELTA;
    if (unit < 0 || unit >= NUNITS || unit_names[unit] == NULL) {
        PyErr_SetString(PyExc_SystemError, "bad datetime64 dtype number");
        return NULL;
    }
    PyObject **slot = &descrs[timedelta][unit];
    if (*slot == NULL) {
        PyObject *spec = unit == NPY_FR_GENERIC
            ? PyUnicode_FromString(timedelta ? "m8" : "M8")
            : PyUnicode_FromFormat("%s[%s]", timedelta ? "m8" : "M8",
                                   unit_names[unit]);
        PyArray_Descr *d = NULL;
        if (spec == NULL || !PyArray_DescrConverter(spec, &d)) {
            Py_XDECREF(spec);
            return NULL;
        }
        Py_DECREF(spec);
        *slot = (PyObject *)d;
    }
    return Py_NewRef(*slot);
}

static PjType *
typeof_scalar(PyObject *obj, bool *untypable, int Py_UNUSED(depth))
{
    bool dt = PyObject_TypeCheck(obj, &PyDatetimeArrType_Type);
    if (!dt && !PyObject_TypeCheck(obj, &PyTimedeltaArrType_Type)) {
        return NULL;
    }
    PyArray_DatetimeMetaData *meta =
        dt ? &((PyDatetimeScalarObject *)obj)->obmeta
           : &((PyTimedeltaScalarObject *)obj)->obmeta;
    if (meta->num != 1 || meta->base < 0 || meta->base >= NUNITS
        || unit_names[meta->base] == NULL) {
        *untypable = true;
        return pj_t.pyobject;
    }
    return datetime_type(dt ? PJ_TK_DATETIME : PJ_TK_TIMEDELTA, meta->base);
}

static const char *
why_untypable(PyObject *obj, int Py_UNUSED(depth))
{
    PyArray_Descr *d = NULL;
    if (PyObject_TypeCheck(obj, &PyDatetimeArrType_Type)
        || PyObject_TypeCheck(obj, &PyTimedeltaArrType_Type)) {
        d = PyArray_DescrFromScalar(obj);
    }
    else if (PyArray_Check(obj)) {
        d = PyArray_DESCR((PyArrayObject *)obj);
        Py_INCREF(d);
    }
    if (d == NULL || !PyTypeNum_ISDATETIME(d->type_num)) {
        PyErr_Clear();
        Py_XDECREF(d);
        return NULL;
    }
    bool typable = pj_type_datetime_of_descr((PyObject *)d) != NULL;
    Py_DECREF(d);
    return typable ? NULL
                   : "its datetime64/timedelta64 unit is a multiple (such as "
                     "[5s]) or its byte order is not the machine's; compiled "
                     "code takes one of Y M W D h m s ms us ns ps fs as";
}

static int
datetime_init(void)
{
    RETURN_IF_ERROR(pj_typeof_register(&PyDatetimeArrType_Type,
                                       &pj_kind_datetime));
    return pj_typeof_register(&PyTimedeltaArrType_Type, &pj_kind_datetime);
}

/* --- lowering helpers --- */

static LLVMValueRef
is_nat(PjLower *lw, LLVMValueRef v)
{
    return LLVMBuildICmp(lw->b, LLVMIntEQ, v, pj_i64(lw, NAT), "isnat");
}

static LLVMValueRef
either_nat(PjLower *lw, LLVMValueRef a, LLVMValueRef b)
{
    return LLVMBuildOr(lw->b, is_nat(lw, a), is_nat(lw, b), "");
}

/* r, or NaT where `nat` holds. */
static LLVMValueRef
nat_if(PjLower *lw, LLVMValueRef nat, LLVMValueRef r)
{
    return LLVMBuildSelect(lw->b, nat, pj_i64(lw, NAT), r, "");
}

/* v times f, NaT staying NaT. */
static LLVMValueRef
scale(PjLower *lw, LLVMValueRef v, int64_t f)
{
    if (f == 1) {
        return v;
    }
    return nat_if(lw, is_nat(lw, v), LLVMBuildMul(lw->b, v, pj_i64(lw, f),
                                                  ""));
}

/* Days since 1970-01-01 of the first day of month m of year y (Howard
   Hinnant's days_from_civil). */
static int64_t
days_from_civil(int64_t y, int64_t m)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t mp = (m + 9) % 12;
    int64_t doy = (153 * mp + 2) / 5;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Months since 1970-01 of the day `days` since 1970-01-01 (the inverse,
   civil_from_days). */
static int64_t
months_from_days(int64_t days)
{
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    int64_t y = yoe + era * 400 + (m <= 2);
    return (y - 1970) * 12 + m - 1;
}

static int64_t
floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return q - (a % b != 0 && (a < 0) != (b < 0));
}

/* a * num / den, rounded down, without overflow in between. */
static int64_t
floor_scale(int64_t a, int64_t num, int64_t den)
{
    __int128 p = (__int128)a * num;
    __int128 q = p / den;
    return (int64_t)(q - (p % den != 0 && p < 0));
}

/* Days in 400 years of the calendar: NumPy's length of a year (and a
   twelfth of it for a month) in a timedelta. */
#define DAYS_PER_400_YEARS 146097

/* v (in the calendar unit `unit`: years or months) as days: a datetime
   by the calendar, a timedelta by NumPy's average lengths. */
static int64_t
calendar_to_days(int64_t v, int unit, bool timedelta)
{
    int64_t months = unit == NPY_FR_Y ? v * 12 : v;
    if (timedelta) {
        return floor_scale(months, DAYS_PER_400_YEARS, 400 * 12);
    }
    return days_from_civil(1970 + floor_div(months, 12),
                           months - floor_div(months, 12) * 12 + 1);
}

static int64_t
days_to_calendar(int64_t days, int unit, bool timedelta)
{
    int64_t months = timedelta
        ? floor_scale(days, 400 * 12, DAYS_PER_400_YEARS)
        : months_from_days(days);
    return unit == NPY_FR_Y ? floor_div(months, 12) : months;
}

/* v of unit `from` as one of unit `to` (a linear unit: weeks, days or
   finer), rounded down. */
static int64_t
linear_convert(int64_t v, int from, int to)
{
    for (int u = from; u < to; u = next_unit(u)) {
        v *= finer_steps[u];
    }
    for (int u = to; u < from; u = next_unit(u)) {
        v = floor_div(v, finer_steps[u]);   /* floors compose */
    }
    return v;
}

/* v of unit `from` as one of unit `to` where exactly one of the two is
   years or months: the runtime helper of conversions by the calendar. */
int64_t
pj_rt_datetime_calendar_convert(int64_t v, int32_t from, int32_t to,
                                int32_t timedelta)
{
    if (v == NAT) {
        return NAT;
    }
    if (is_calendar_unit(from)) {
        return linear_convert(calendar_to_days(v, from, timedelta), NPY_FR_D,
                              to);
    }
    return days_to_calendar(linear_convert(v, from, NPY_FR_D), to,
                            timedelta);
}

/* v of `from` as a value of `to`, a number as a count of to's unit:
   NumPy's casts, a float truncated and NaN NaT. */
static LLVMValueRef
convert_number(PjLower *lw, LLVMValueRef v, PjType *from)
{
    if (from->kind != PJ_TK_FLOAT) {
        return pj_lower_convert(lw, v, from, pj_t.i64);
    }
    LLVMValueRef nan = LLVMBuildFCmp(lw->b, LLVMRealUNO, v, v, "");
    return nat_if(lw, nan, LLVMBuildFPToSI(lw->b, v, lw->t_i64, ""));
}

/* A linear conversion: finer multiplies, coarser divides rounding down,
   NaT staying NaT. */
static LLVMValueRef
lower_linear_convert(PjLower *lw, LLVMValueRef v, int from, int to)
{
    if (from <= to || from == NPY_FR_GENERIC) {
        return scale(lw, v, unit_factor(from, to));
    }
    LLVMValueRef f = pj_i64(lw, unit_factor(to, from));
    LLVMValueRef q = LLVMBuildSDiv(lw->b, v, f, "");
    LLVMValueRef rem = LLVMBuildSRem(lw->b, v, f, "");
    LLVMValueRef down = LLVMBuildICmp(lw->b, LLVMIntSLT, rem, pj_i64(lw, 0),
                                      "");
    q = LLVMBuildSub(lw->b, q, LLVMBuildZExt(lw->b, down, lw->t_i64, ""), "");
    return nat_if(lw, is_nat(lw, v), q);
}

/* A value of `from` as one of `to`: of another unit of the same kind
   (NumPy's astype, rounding down), or a number (a count of to's unit). */
static LLVMValueRef
datetime_convert(PjLower *lw, LLVMValueRef v, PjType *from, PjType *to)
{
    if (pj_type_is_number(from)) {
        return convert_number(lw, v, from);
    }
    if (from->kind != to->kind || from->ident == to->ident
        || to->ident == NPY_FR_GENERIC) {
        return v;
    }
    int f = from->ident, t = to->ident;
    if (f != NPY_FR_GENERIC && is_calendar_unit(f) != is_calendar_unit(t)) {
        LLVMTypeRef p[4] = {lw->t_i64, lw->t_i32, lw->t_i32, lw->t_i32};
        LLVMValueRef a[4] = {v, pj_i32(lw, f), pj_i32(lw, t),
                             pj_i32(lw, is_timedelta(from))};
        return pj_lower_helper(lw, "pj_rt_datetime_calendar_convert",
                               lw->t_i64, p, a, 4);
    }
    return lower_linear_convert(lw, v, f, t);
}

static LLVMTypeRef
datetime_llvm_type(PjLower *lw, PjType *Py_UNUSED(t))
{
    return lw->t_i64;
}

/* A constant np.datetime64 / np.timedelta64 of the type t. */
static LLVMValueRef
datetime_const(PjLower *lw, PyObject *obj, PjType *Py_UNUSED(t))
{
    return pj_i64(lw, pj_rt_datetime_unbox(obj));
}

/* The NumPy scalar of value v and dtype number num: the runtime helper
   boxing a value. */
PyObject *
pj_rt_datetime_box(int64_t v, int32_t num)
{
    PyObject *descr = pj_datetime_descr(num);
    if (descr == NULL) {
        return NULL;
    }
    PyObject *s = PyArray_Scalar(&v, (PyArray_Descr *)descr, NULL);
    Py_DECREF(descr);
    return s;
}

/* The value of the NumPy scalar obj (the dispatcher typed it). */
int64_t
pj_rt_datetime_unbox(PyObject *obj)
{
    return PyObject_TypeCheck(obj, &PyDatetimeArrType_Type)
        ? ((PyDatetimeScalarObject *)obj)->obval
        : ((PyTimedeltaScalarObject *)obj)->obval;
}

static LLVMValueRef
datetime_box(PjLower *lw, LLVMValueRef v, PjType *t)
{
    LLVMTypeRef p[2] = {lw->t_i64, lw->t_i32};
    LLVMValueRef a[2] = {
        v, LLVMConstInt(lw->t_i32, (unsigned)pj_datetime_dtype_num(t), 0)};
    return pj_lower_helper(lw, "pj_rt_datetime_box", lw->t_ptr, p, a, 2);
}

static LLVMValueRef
datetime_unbox(PjLower *lw, LLVMValueRef obj, PjType *Py_UNUSED(t))
{
    LLVMTypeRef p[1] = {lw->t_ptr};
    return pj_lower_helper(lw, "pj_rt_datetime_unbox", lw->t_i64, p, &obj,
                           1);
}

static bool
datetime_can_box(PjType *Py_UNUSED(t))
{
    return true;
}

static LLVMValueRef
datetime_eq(PjLower *lw, LLVMValueRef v, LLVMValueRef w,
            PjType *Py_UNUSED(t))
{
    return LLVMBuildICmp(lw->b, LLVMIntEQ, v, w, "");
}

/* bool(x): nonzero, as NumPy's (NaT is true). */
static LLVMValueRef
datetime_truth(PjLower *lw, LLVMValueRef v, PjType *Py_UNUSED(t))
{
    return LLVMBuildICmp(lw->b, LLVMIntNE, v, pj_i64(lw, 0), "");
}

/* The hash of a key of a dict or set: its count's (hash() itself is
   refused, hashing.c). */
static LLVMValueRef
datetime_hash(PjLower *lw, LLVMValueRef v, PjType *Py_UNUSED(t))
{
    return pj_lower_number_hash(lw, v, pj_t.i64);
}

/* --- operators --- */

/* a <op> b of two values of one unit: false where either is NaT, but
   != true. */
static LLVMValueRef
lower_compare(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    LLVMValueRef r = pj_lower_compare_numbers(lw, ins->sub, args[0], args[1],
                                              pj_t.i64);
    LLVMValueRef nat = either_nat(lw, args[0], args[1]);
    return ins->sub == PJ_CMP_NE ? LLVMBuildOr(lw->b, r, nat, "")
                                 : LLVMBuildAnd(lw->b, r,
                                                LLVMBuildNot(lw->b, nat, ""),
                                                "");
}

static LLVMValueRef
lower_add(PjLower *lw, PjInstr *Py_UNUSED(ins), LLVMValueRef *args)
{
    return nat_if(lw, either_nat(lw, args[0], args[1]),
                  LLVMBuildAdd(lw->b, args[0], args[1], ""));
}

static LLVMValueRef
lower_sub(PjLower *lw, PjInstr *Py_UNUSED(ins), LLVMValueRef *args)
{
    return nat_if(lw, either_nat(lw, args[0], args[1]),
                  LLVMBuildSub(lw->b, args[0], args[1], ""));
}

/* -t and abs(t): the wrap of the smallest int64 keeps NaT NaT. */
static LLVMValueRef
lower_neg(PjLower *lw, PjInstr *Py_UNUSED(ins), LLVMValueRef *args)
{
    return LLVMBuildNeg(lw->b, args[0], "");
}

static LLVMValueRef
lower_pos(PjLower *Py_UNUSED(lw), PjInstr *Py_UNUSED(ins), LLVMValueRef *args)
{
    return args[0];
}

static LLVMValueRef
lower_abs(PjLower *lw, PjInstr *Py_UNUSED(ins), LLVMValueRef *args)
{
    LLVMValueRef neg = LLVMBuildICmp(lw->b, LLVMIntSLT, args[0],
                                     pj_i64(lw, 0), "");
    return LLVMBuildSelect(lw->b, neg, LLVMBuildNeg(lw->b, args[0], ""),
                           args[0], "");
}

/* The operands of a timedelta and a number, the timedelta first. */
static void
timedelta_and_number(PjInstr *ins, LLVMValueRef *args, LLVMValueRef *td,
                     LLVMValueRef *x, PjType **xt)
{
    int k = is_timedelta(ins->argtys[0]) ? 0 : 1;
    *td = args[k];
    *x = args[1 - k];
    *xt = ins->argtys[1 - k];
}

/* A float result as a timedelta, truncated as NumPy casts; NaT where it is
   not finite or nat holds. */
static LLVMValueRef
timedelta_of_float(PjLower *lw, LLVMValueRef r, LLVMValueRef nat)
{
    LLVMValueRef finite = LLVMBuildFCmp(
        lw->b, LLVMRealOLT,
        pj_lower_intrinsic(lw, "llvm.fabs", LLVMTypeOf(r), &r, 1),
        LLVMConstReal(LLVMTypeOf(r), INFINITY), "");
    LLVMValueRef bad = LLVMBuildOr(lw->b, nat, LLVMBuildNot(lw->b, finite, ""),
                                   "");
    return nat_if(lw, bad, LLVMBuildFPToSI(lw->b, r, lw->t_i64, ""));
}

/* timedelta * number, number * timedelta. */
static LLVMValueRef
lower_scale(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    LLVMValueRef td, x;
    PjType *xt;
    timedelta_and_number(ins, args, &td, &x, &xt);
    LLVMValueRef nat = is_nat(lw, td);
    if (xt->kind == PJ_TK_FLOAT) {
        LLVMValueRef r = LLVMBuildFMul(
            lw->b, LLVMBuildSIToFP(lw->b, td, lw->t_f64, ""), x, "");
        return timedelta_of_float(lw, r, nat);
    }
    return nat_if(lw, nat, LLVMBuildMul(lw->b, td, x, ""));
}

/* timedelta / number and timedelta // integer: truncated, NaT when the
   divisor is 0. */
static LLVMValueRef
lower_div_number(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    LLVMValueRef td = args[0], x = args[1];
    LLVMValueRef nat = is_nat(lw, td);
    if (ins->argtys[1]->kind == PJ_TK_FLOAT) {
        LLVMValueRef r = LLVMBuildFDiv(
            lw->b, LLVMBuildSIToFP(lw->b, td, lw->t_f64, ""), x, "");
        return timedelta_of_float(lw, r, nat);
    }
    LLVMValueRef zero = LLVMBuildICmp(lw->b, LLVMIntEQ, x, pj_i64(lw, 0), "");
    LLVMValueRef safe = LLVMBuildSelect(lw->b, zero, pj_i64(lw, 1), x, "");
    return nat_if(lw, LLVMBuildOr(lw->b, nat, zero, ""),
                  LLVMBuildSDiv(lw->b, td, safe, ""));
}

/* timedelta / timedelta: a float64, NaN where either is NaT. */
static LLVMValueRef
lower_ratio(PjLower *lw, PjInstr *Py_UNUSED(ins), LLVMValueRef *args)
{
    LLVMValueRef r = LLVMBuildFDiv(
        lw->b, LLVMBuildSIToFP(lw->b, args[0], lw->t_f64, ""),
        LLVMBuildSIToFP(lw->b, args[1], lw->t_f64, ""), "");
    return LLVMBuildSelect(lw->b, either_nat(lw, args[0], args[1]),
                           LLVMConstReal(lw->t_f64, NAN), r, "");
}

/* The floor quotient and remainder of a by b (b not 0). */
static void
floor_divmod(PjLower *lw, LLVMValueRef a, LLVMValueRef b, LLVMValueRef *q,
             LLVMValueRef *r)
{
    LLVMValueRef tq = LLVMBuildSDiv(lw->b, a, b, "");
    LLVMValueRef tr = LLVMBuildSRem(lw->b, a, b, "");
    LLVMValueRef zero = pj_i64(lw, 0);
    LLVMValueRef signs = LLVMBuildICmp(
        lw->b, LLVMIntNE, LLVMBuildICmp(lw->b, LLVMIntSLT, tr, zero, ""),
        LLVMBuildICmp(lw->b, LLVMIntSLT, b, zero, ""), "");
    LLVMValueRef fix = LLVMBuildAnd(
        lw->b, signs, LLVMBuildICmp(lw->b, LLVMIntNE, tr, zero, ""), "");
    *q = LLVMBuildSub(lw->b, tq, LLVMBuildZExt(lw->b, fix, lw->t_i64, ""),
                      "");
    *r = LLVMBuildSelect(lw->b, fix, LLVMBuildAdd(lw->b, tr, b, ""), tr, "");
}

/* Where a timedelta division has no answer (NaT or a zero divisor), and
   the divisor made safe to divide by. */
static LLVMValueRef
division_undefined(PjLower *lw, LLVMValueRef *args, LLVMValueRef *safe)
{
    LLVMValueRef zero = LLVMBuildICmp(lw->b, LLVMIntEQ, args[1],
                                      pj_i64(lw, 0), "");
    *safe = LLVMBuildSelect(lw->b, zero, pj_i64(lw, 1), args[1], "");
    return LLVMBuildOr(lw->b, zero, either_nat(lw, args[0], args[1]), "");
}

/* timedelta // timedelta: an int64, 0 where NumPy has no answer. */
static LLVMValueRef
lower_floordiv(PjLower *lw, PjInstr *Py_UNUSED(ins), LLVMValueRef *args)
{
    LLVMValueRef safe, q, r;
    LLVMValueRef undefined = division_undefined(lw, args, &safe);
    floor_divmod(lw, args[0], safe, &q, &r);
    return LLVMBuildSelect(lw->b, undefined, pj_i64(lw, 0), q, "");
}

/* timedelta % timedelta: the floor remainder, NaT where NumPy has no
   answer. */
static LLVMValueRef
lower_mod(PjLower *lw, PjInstr *Py_UNUSED(ins), LLVMValueRef *args)
{
    LLVMValueRef safe, q, r;
    LLVMValueRef undefined = division_undefined(lw, args, &safe);
    floor_divmod(lw, args[0], safe, &q, &r);
    return nat_if(lw, undefined, r);
}

static const PjImpl impl_compare = {"datetime.compare", lower_compare, false,
                                    false};
static const PjImpl impl_add = {"datetime.add", lower_add, false, false};
static const PjImpl impl_sub = {"datetime.sub", lower_sub, false, false};
static const PjImpl impl_neg = {"timedelta.neg", lower_neg, false, false};
static const PjImpl impl_pos = {"timedelta.pos", lower_pos, false, false};
static const PjImpl impl_abs = {"timedelta.abs", lower_abs, false, false};
static const PjImpl impl_scale = {"timedelta.mul", lower_scale, false, false};
static const PjImpl impl_div_number = {"timedelta.div", lower_div_number,
                                       false, false};
static const PjImpl impl_ratio = {"timedelta.truediv", lower_ratio, false,
                                  false};
static const PjImpl impl_floordiv = {"timedelta.floordiv", lower_floordiv,
                                     false, false};
static const PjImpl impl_mod = {"timedelta.mod", lower_mod, false, false};

/* The unit a and b combine in, or -1 (with cx->why) when NumPy has none:
   both convert to the finer unit, by the calendar for a datetime. */
static int
common_unit(PjCompile *cx, PjType *a, PjType *b)
{
    int unit = finer_unit(a->ident, b->ident);
    if (converts(a->kind, a->ident, unit)
        && converts(b->kind, b->ident, unit)) {
        return unit;
    }
    cx->why = "NumPy has no common unit for these datetime64/timedelta64 "
              "units (years and months do not convert to days or finer "
              "units in a timedelta)";
    return -1;
}

/* a <op> b with both operands in their common unit, giving a value of
   kind `kind` in that unit (kind 0: the result type `resty`). */
static int
choose_in_common_unit(PjCompile *cx, PjInstr *ins, const PjImpl *impl,
                      PjTypeKind kind, PjType *resty, PjType *a, PjType *b)
{
    int unit = common_unit(cx, a, b);
    if (unit < 0) {
        return 1;
    }
    PjType *ca = datetime_type(a->kind, unit);
    PjType *cb = datetime_type(b->kind, unit);
    PjType *r = resty ? resty : datetime_type(kind, unit);
    return pj_choose2(cx, ins, impl, r, ca, cb);
}

static bool
is_integer(PjType *t)
{
    return t->kind == PJ_TK_INT || t->kind == PJ_TK_UINT
           || t->kind == PJ_TK_BOOL;
}

/* timedelta <op> number: *, /, // by integers and floats as NumPy does. */
static int
timedelta_number_operator(PjCompile *cx, PjInstr *ins, PjType *a, PjType *b)
{
    PjType *td = is_timedelta(a) ? a : b;
    PjType *x = td == a ? b : a;
    if (!is_integer(x) && x->kind != PJ_TK_FLOAT) {
        return 1;
    }
    PjType *xt = x->kind == PJ_TK_FLOAT ? pj_t.f64 : pj_t.i64;
    PjType *ta = td == a ? td : xt, *tb = td == a ? xt : td;
    switch (ins->sub) {
    case PJ_BIN_MUL:
        return pj_choose2(cx, ins, &impl_scale, td, ta, tb);
    case PJ_BIN_TRUEDIV:
    case PJ_BIN_FLOORDIV:
        if (td != a || (ins->sub == PJ_BIN_FLOORDIV && xt == pj_t.f64)) {
            break;
        }
        return pj_choose2(cx, ins, &impl_div_number, td, td, xt);
    }
    return 1;
}

/* Whether a <op> b adds an integer to a datetime64/timedelta64 (either
   side) or subtracts one from it: NumPy takes the integer as a count of
   the other operand's unit. */
static bool
is_count_operand(PjInstr *ins, PjType *a, PjType *b)
{
    if (ins->sub == PJ_BIN_ADD) {
        return (pj_type_is_datetime_like(a) && is_integer(b))
               || (is_integer(a) && pj_type_is_datetime_like(b));
    }
    return ins->sub == PJ_BIN_SUB && pj_type_is_datetime_like(a)
           && is_integer(b);
}

static int
choose_with_count(PjCompile *cx, PjInstr *ins, PjType *a, PjType *b)
{
    PjType *t = pj_type_is_datetime_like(a) ? a : b;
    return pj_choose2(cx, ins, ins->sub == PJ_BIN_ADD ? &impl_add : &impl_sub,
                      t, t, t);
}

/* The binary operators of two datetime64/timedelta64 values. */
static int
datetime_binop(PjCompile *cx, PjInstr *ins, PjType *a, PjType *b)
{
    int op = ins->sub;
    bool dta = is_datetime(a), dtb = is_datetime(b);
    switch (op) {
    case PJ_BIN_ADD:
        if (dta && dtb) {
            break;
        }
        return choose_in_common_unit(cx, ins, &impl_add,
                                     dta || dtb ? PJ_TK_DATETIME
                                                : PJ_TK_TIMEDELTA,
                                     NULL, a, b);
    case PJ_BIN_SUB:
        if (!dta && dtb) {
            break;
        }
        return choose_in_common_unit(cx, ins, &impl_sub,
                                     dta && !dtb ? PJ_TK_DATETIME
                                                 : PJ_TK_TIMEDELTA,
                                     NULL, a, b);
    case PJ_BIN_TRUEDIV:
    case PJ_BIN_FLOORDIV:
    case PJ_BIN_MOD:
        if (dta || dtb) {
            break;
        }
        return choose_in_common_unit(
            cx, ins,
            op == PJ_BIN_TRUEDIV ? &impl_ratio
            : op == PJ_BIN_FLOORDIV ? &impl_floordiv : &impl_mod,
            PJ_TK_TIMEDELTA,
            op == PJ_BIN_TRUEDIV ? pj_t.f64
            : op == PJ_BIN_FLOORDIV ? pj_t.i64 : NULL, a, b);
    }
    cx->why = "NumPy does not define this operator between these "
              "datetime64/timedelta64 values";
    return 1;
}

static int
datetime_unary(PjCompile *cx, PjInstr *ins, PjType *a)
{
    if (!is_timedelta(a)
        || (ins->sub != PJ_UN_NEG && ins->sub != PJ_UN_POS)) {
        return 1;
    }
    return pj_choose(cx, ins, ins->sub == PJ_UN_NEG ? &impl_neg : &impl_pos,
                     a, &a, 1);
}

static int
datetime_compare(PjCompile *cx, PjInstr *ins, PjType *a, PjType *b)
{
    if (ins->sub > PJ_CMP_GE || a->kind != b->kind) {
        if (ins->sub <= PJ_CMP_GE && pj_type_is_datetime_like(b)
            && pj_type_is_datetime_like(a)) {
            cx->why = "a datetime64 does not compare with a timedelta64";
        }
        return 1;
    }
    return choose_in_common_unit(cx, ins, &impl_compare, 0, pj_t.boolean, a,
                                 b);
}

static int
datetime_operator(PjCompile *cx, PjInstr *ins, PjType *a, PjType *b)
{
    if (b == NULL) {
        return ins->op == PJ_OP_UNARY ? datetime_unary(cx, ins, a) : 1;
    }
    if (ins->op == PJ_OP_COMPARE) {
        return datetime_compare(cx, ins, a, b);
    }
    if (pj_type_is_datetime_like(a) && pj_type_is_datetime_like(b)) {
        return datetime_binop(cx, ins, a, b);
    }
    if (is_count_operand(ins, a, b)) {
        return choose_with_count(cx, ins, a, b);
    }
    if (is_timedelta(a) || is_timedelta(b)) {
        return timedelta_number_operator(cx, ins, a, b);
    }
    return 1;
}

/* x.ndim, 0 as NumPy's scalars have it. */
static int
datetime_getattr(PjCompile *cx, PjInstr *ins, PjType *t)
{
    return strcmp(ins->name, "ndim") == 0 ? pj_type_scalar_ndim(cx, ins, t)
                                          : 1;
}

/* abs(t) of a timedelta (numbers.c asks). */
int
pj_datetime_type_abs(PjCompile *cx, PjInstr *ins, PjType *t)
{
    return is_timedelta(t) ? pj_choose(cx, ins, &impl_abs, t, &t, 1) : 1;
}

/* The type both a and b convert to for a variable holding either: the
   finer unit, where they have one. */
static PjType *
datetime_unify(PjType *a, PjType *b)
{
    int unit = finer_unit(a->ident, b->ident);
    return a->kind == b->kind && converts(a->kind, a->ident, unit)
                   && converts(b->kind, b->ident, unit)
               ? datetime_type(a->kind, unit)
               : NULL;
}

const PjKind pj_kind_datetime = {
    .name = "datetime64",
    .print = print_datetime,
    .unify = datetime_unify,
    .type_getattr = datetime_getattr,
    .type_operator = datetime_operator,
    .llvm_type = datetime_llvm_type,
    .lower_const = datetime_const,
    .lower_convert = datetime_convert,
    .lower_truth = datetime_truth,
    .lower_hash = datetime_hash,
    .lower_eq = datetime_eq,
    .can_box = datetime_can_box,
    .box = datetime_box,
    .unbox = datetime_unbox,
    .typeof = typeof_scalar,
    .why_untypable = why_untypable,
    .init = datetime_init,
};
