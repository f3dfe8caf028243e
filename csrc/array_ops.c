/*
** array_ops.c - what nopython code does with whole arrays: operators
** (a + b, a * 2.0, -a, a < b) and NumPy's element-wise functions over
** them, assignment to part of an array (a[1:3] = 0, m[i] = row), and the
** views and copies reshape, ravel, flatten, transpose and astype make
** (a.view and a.tobytes are array_view.c's).
*/
#include "pyjit.h"

#include <string.h>

/* --- operators on whole arrays ---

   a + b, a * 2.0, -a, a < b: a new array of the broadcast shape, each
   element computed by the scalar operator on the elements; a += b writes
   into a.  The new array is F when every array operand is F, as NumPy's
   order='K' makes it and Numba types it, else C; the loop then walks the
   elements in F order, through the memory of each.  The element operation
   is typed as the scalar one, with error_model='numpy' (x / 0 is inf or
   nan, as NumPy gives), and its result converted to the dtype NumPy gives
   the array. */

typedef struct {
    PjInstr elem;           /* the operator on one element of each; first,
                               so that pj_array_type_map finds the plan */
    PjType *ea, *eb;        /* element (or scalar) types of the operands */
    PjType *loop;           /* both are converted to, or NULL */
    PjType *dtype;          /* of the result */
    int nops;               /* 1 or 2 */
    bool twice;             /* one operand, both of a binary operator */
    bool inplace;
    PjType *view;           /* a[...] = v: the view assigned to */
    const PjSlicePlan *slices;    /* and how its slices index, or NULL */
    PjType *value;          /* v as assigned: without the leading
                               dimensions it has beyond the view's */
} ElemPlan;

/* NumPy's kinds in the order its 'same_kind' casting goes up: bool,
   unsigned, signed, float, complex. */
enum { KIND_BOOL, KIND_UINT, KIND_INT, KIND_FLOAT, KIND_COMPLEX };

static int
kind_order(PjType *t)
{
    switch (t->kind) {
    case PJ_TK_BOOL: return KIND_BOOL;
    case PJ_TK_UINT: return KIND_UINT;
    case PJ_TK_INT: return KIND_INT;
    case PJ_TK_FLOAT: return KIND_FLOAT;
    default: return KIND_COMPLEX;
    }
}

/* The kinds of the loops of the NumPy ufunc behind each operator, as bits
   (1 << KIND_*). */
#define LOOPS(k) (1 << (k))
#define LOOPS_INT (LOOPS(KIND_UINT) | LOOPS(KIND_INT))

static int
loop_kinds(int sub)
{
    switch (sub) {
    case PJ_BIN_ADD:
    case PJ_BIN_MUL:
        return LOOPS(KIND_BOOL) | LOOPS_INT | LOOPS(KIND_FLOAT)
               | LOOPS(KIND_COMPLEX);
    case PJ_BIN_SUB:
    case PJ_BIN_POW:
        return LOOPS_INT | LOOPS(KIND_FLOAT) | LOOPS(KIND_COMPLEX);
    case PJ_BIN_TRUEDIV: return LOOPS(KIND_FLOAT) | LOOPS(KIND_COMPLEX);
    case PJ_BIN_FLOORDIV:
    case PJ_BIN_MOD: return LOOPS_INT | LOOPS(KIND_FLOAT);
    case PJ_BIN_AND:
    case PJ_BIN_OR:
    case PJ_BIN_XOR: return LOOPS(KIND_BOOL) | LOOPS_INT;
    case PJ_BIN_LSHIFT:
    case PJ_BIN_RSHIFT: return LOOPS_INT;
    default: return 0;
    }
}

/* Whether operands x and y mix integers with floats or complex numbers. */
static bool
mixes_kinds(PjType *x, PjType *y)
{
    int kx = kind_order(x), ky = kind_order(y);
    bool ints = kx == KIND_UINT || kx == KIND_INT || ky == KIND_UINT
                || ky == KIND_INT;
    return ints && (kx >= KIND_FLOAT || ky >= KIND_FLOAT);
}

/* NumPy's 'safe' (or 'same_kind') casting, except that in an operation
   mixing kinds any integer casts to any float or complex type, as in
   Numba: float32 * int64 is computed in float32. */
static bool
can_cast(PjType *from, PjType *to, bool mixed, bool same_kind)
{
    if (mixed && pj_type_is_integer(from) && kind_order(to) >= KIND_FLOAT) {
        return true;
    }
    return pj_type_numpy_promote(from, to) == to
           || (same_kind && kind_order(from) <= kind_order(to));
}

/* The type x op y is computed in, as Numba chooses it: the first loop of
   the operator's ufunc, in NumPy's order, that both operands cast to
   safely and, for a += b, whose result casts back to out (a's dtype).
   A scalar operand counts by its type, as an array of that dtype would:
   float32 array + float64 is float64, int32 array + int is int64.  NULL
   if no loop fits. */
static PjType *
ufunc_loop(int sub, PjType *x, PjType *y, PjType *out)
{
    PjType *order[] = {pj_t.boolean, pj_t.i8, pj_t.u8, pj_t.i16, pj_t.u16,
                       pj_t.i32, pj_t.u32, pj_t.i64, pj_t.u64, pj_t.f32,
                       pj_t.f64, pj_t.c64, pj_t.c128};
    bool mixed = mixes_kinds(x, y);
    for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
        PjType *t = order[i];
        if ((loop_kinds(sub) & LOOPS(kind_order(t)))
            && can_cast(x, t, mixed, false) && can_cast(y, t, mixed, false)
            && (out == NULL || can_cast(t, out, mixed, true))) {
            return t;
        }
    }
    return NULL;
}

static const PjImpl impl_elementwise, impl_elementwise_inplace,
    impl_elementwise_0d;
static int type_elementwise(PjCompile *cx, PjInstr *ins, int op, int sub,
                            bool truth, bool twice, PjType *a, PjType *b);

/* The type the elements of an operation are converted to before the
   scalar operator computes on them (NULL: their own types).  Unary minus
   and plus of booleans go through int8, as NumPy has no boolean loop for
   them. */
static PjType *
elem_loop(PjCompile *cx, PjInstr *ins, PjType *ea, PjType *eb, PjType *out)
{
    if (ins->op == PJ_OP_COMPARE) {
        return NULL;
    }
    if (ins->op == PJ_OP_UNARY) {
        bool sign = ins->sub == PJ_UN_NEG || ins->sub == PJ_UN_POS;
        return sign && ea->kind == PJ_TK_BOOL ? pj_t.i8 : ea;
    }
    PjType *loop = ufunc_loop(ins->sub, ea, eb, out);
    if (loop == NULL) {
        cx->why = out && ufunc_loop(ins->sub, ea, eb, NULL)
               ? "the result cannot be stored in the array in place "
                 "(NumPy's 'same_kind' casting)"
               : "NumPy has no loop for the operator on these dtypes";
    }
    return loop;
}

/* Types the element operation of plan on the loop's type (a comparison
   on the elements' own types), dividing as NumPy does: by zero gives inf
   or nan. */
static int
type_elem(PjCompile *cx, ElemPlan *plan, PjType *loop)
{
    PjInstr *e = &plan->elem;
    if (e->op == PJ_OP_COMPARE) {
        return pj_type_number_operator(cx, e, plan->ea, plan->eb, true);
    }
    if (e->op == PJ_OP_UNARY && e->sub == PJ_UN_INVERT
        && loop->kind == PJ_TK_BOOL) {
        e->sub = PJ_UN_NOT;     /* ~ of a boolean array is logical */
    }
    return pj_type_number_operator(cx, e, loop, plan->eb ? loop : NULL,
                                   true);
}

/* Types the element operation of plan on datetime64/timedelta64 elements
   (and numbers), by their own operators: no ufunc loop converts them
   first, the operation goes to its operands' common unit itself. */
static int
type_datetime_elem(PjCompile *cx, ElemPlan *plan)
{
    PjType *dt = pj_type_is_datetime_like(plan->ea) ? plan->ea : plan->eb;
    cx->why = NULL;
    return pj_kind(dt)->type_operator(cx, &plan->elem, plan->ea, plan->eb);
}

/* The layout of a new array computed element by element from ops
   (arrays and numbers): F when every array among them is F (an array of
   one dimension is C), else C, as Numba types it. */
int
pj_array_elementwise_layout(PjType **ops, int nops)
{
    for (int k = 0; k < nops; k++) {
        if (pj_type_is_array(ops[k]) && !pj_array_is_f(ops[k])) {
            return PJ_LAYOUT_C;
        }
    }
    return PJ_LAYOUT_F;
}

/* What an element-wise operation of dtype over ops (arrays of at most nd
   dimensions, and numbers) gives, and *impl computing it: a new array of
   pj_array_elementwise_layout, or a number when every array is 0-d
   (NumPy's u * 2 and np.sin(u) of a 0-d u). */
static PjType *
elementwise_result(PjType *dtype, int nd, PjType **ops, int nops,
                   const PjImpl **impl)
{
    *impl = nd == 0 ? &impl_elementwise_0d : &impl_elementwise;
    return nd == 0 ? dtype
                   : pj_type_array(dtype, nd,
                                   pj_array_elementwise_layout(ops, nops));
}

/* a is b of two arrays, as Numba answers it: arrays of one type that
   are the same view of the same memory (data, shape and strides); arrays
   of two types never are. */
static LLVMValueRef
lower_array_is(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *t = ins->argtys[0];
    LLVMValueRef same = LLVMConstInt(lw->t_i1, t == ins->argtys[1], 0);
    if (t == ins->argtys[1]) {
        same = LLVMBuildICmp(
            lw->b, LLVMIntEQ,
            LLVMBuildExtractValue(lw->b, args[0], PJ_ARRAY_DATA, ""),
            LLVMBuildExtractValue(lw->b, args[1], PJ_ARRAY_DATA, ""), "");
        for (int k = 0; k < pj_array_ndim(t); k++) {
            for (unsigned f = PJ_ARRAY_SHAPE; f <= PJ_ARRAY_STRIDES; f++) {
                LLVMValueRef eq = LLVMBuildICmp(
                    lw->b, LLVMIntEQ, pj_array_dim(lw, args[0], f, k),
                    pj_array_dim(lw, args[1], f, k), "");
                same = LLVMBuildAnd(lw->b, same, eq, "");
            }
        }
    }
    return ins->sub == PJ_CMP_ISNOT ? LLVMBuildNot(lw->b, same, "") : same;
}

static const PjImpl impl_array_is = {"is", lower_array_is, false, false};

/* An operator with an array operand: element by element, broadcasting,
   into a new array of Numba's dtype and layout (or in place); `is` and
   `is not` of two arrays compare what they are views of. */
int
pj_array_type_operator(PjCompile *cx, PjInstr *ins, PjType *a, PjType *b)
{
    if (ins->op == PJ_OP_COMPARE && b != NULL && pj_type_is_array(a)
        && pj_type_is_array(b)
        && (ins->sub == PJ_CMP_IS || ins->sub == PJ_CMP_ISNOT)) {
        return pj_choose2(cx, ins, &impl_array_is, pj_t.boolean, a, b);
    }
    if (ins->op == PJ_OP_BINOP && ins->sub == PJ_BIN_MATMUL) {
        return pj_linalg_type_matmul(cx, ins, a, b);
    }
    if (ins->op == PJ_OP_COMPARE && b != NULL && pj_type_is_array(b)
        && (ins->sub == PJ_CMP_IN || ins->sub == PJ_CMP_NOTIN)) {
        return pj_array_type_contains(cx, ins, a, b);
    }
    return type_elementwise(cx, ins, ins->op, ins->sub, false, false, a, b);
}

/* ins, an operator or a call of a ufunc, computed element by element as
   the operator (op, sub), on the operands' truth (converted to bool)
   when `truth`; `twice`: ins has the one operand a, which is both
   operands of the binary operator (np.square(a) is a * a). */
static int
type_elementwise(PjCompile *cx, PjInstr *ins, int op, int sub, bool truth,
                 bool twice, PjType *a, PjType *b)
{
    if (twice) {
        b = a;
    }
    bool a_arr = pj_type_is_array(a), b_arr = b && pj_type_is_array(b);
    PjType *ea = a_arr ? a->elems[0] : a, *eb = b_arr ? b->elems[0] : b;
    bool datetimes = pj_type_is_datetime_like(ea)
                     || (b != NULL && pj_type_is_datetime_like(eb));
    if (!datetimes
        && (!pj_type_is_number(ea) || (b != NULL && !pj_type_is_number(eb)))) {
        cx->why = "arrays combine with numbers and arrays of numbers";
        return 1;
    }
    bool inplace = op == PJ_OP_INPLACE;
    int nd = a_arr ? pj_array_ndim(a) : 0;
    if (b_arr && pj_array_ndim(b) > nd) {
        nd = pj_array_ndim(b);
    }
    if (inplace && (!a_arr || pj_array_readonly(a))) {
        cx->why = a_arr ? "the array is read-only"
                        : "only arrays are updated in place";
        return 1;
    }
    if (inplace && nd > pj_array_ndim(a)) {
        cx->why = "the result cannot be stored in the array in place "
                  "(it broadcasts to more dimensions)";
        return 1;
    }
    ElemPlan *plan = PJ_NEW(cx->arena, ElemPlan);
    if (plan == NULL) {
        return -1;
    }
    plan->elem = *ins;
    plan->elem.op = op;
    plan->elem.sub = sub;
    plan->elem.dst = NULL;
    plan->elem.impl = NULL;
    plan->elem.argtys = NULL;
    PjType *loop = truth ? pj_t.boolean
                   : datetimes ? NULL
                   : elem_loop(cx, &plan->elem, ea, eb, inplace ? ea : NULL);
    if (loop == NULL && op != PJ_OP_COMPARE && !datetimes) {
        return 1;
    }
    plan->ea = ea;
    plan->eb = eb;
    plan->loop = loop;
    plan->nops = b && !twice ? 2 : 1;
    plan->twice = twice;
    plan->inplace = inplace;
    int rc = datetimes ? type_datetime_elem(cx, plan)
                       : type_elem(cx, plan, loop);
    if (rc != 0) {
        cx->why = cx->why ? cx->why : "no such operation on the elements";
        return rc;
    }
    bool logical = op == PJ_OP_COMPARE
                   || (op == PJ_OP_UNARY && sub == PJ_UN_NOT);
    plan->dtype = inplace ? ea
                  : datetimes ? plan->elem.resty
                  : logical ? pj_t.boolean : loop;
    if (inplace && datetimes && !pj_array_can_store(cx, ea, plan->elem.resty)) {
        return 1;
    }
    PjType *argtys[2] = {a, b};
    const PjImpl *impl = &impl_elementwise_inplace;
    PjType *res = inplace ? a
                          : elementwise_result(plan->dtype, nd, argtys,
                                               plan->nops, &impl);
    if (res == NULL) {
        return -1;
    }
    return pj_array_choose_plan(cx, ins, impl, res, argtys, plan->nops,
                                (PjPlan){.ptr = plan});
}

/* --- NumPy's ufuncs that are an operator of Python's ---

   The library writes np.add(x1, x2) as `x1 + x2`, np.square(x) as
   `x * x` and np.logical_and as `&` of the operands' truth
   (pyjit/_np_ufunc.py).  Called with an array,
   such a ufunc is typed here as its operator instead, so that fusion.c
   takes it into the array expression around it, as Numba's array
   expressions take ufuncs: np.sqrt(np.add(a*a, b*b)) is one loop. */

typedef struct {
    const char *name;           /* the ufunc's __name__ */
    int op, sub;
    bool truth;                 /* computes on the operands' truth */
    bool twice;                 /* its one operand, both of the operator */
} UfuncOperator;

static const UfuncOperator ufunc_operators[] = {
    {"add", PJ_OP_BINOP, PJ_BIN_ADD, false, false},
    {"subtract", PJ_OP_BINOP, PJ_BIN_SUB, false, false},
    {"multiply", PJ_OP_BINOP, PJ_BIN_MUL, false, false},
    {"divide", PJ_OP_BINOP, PJ_BIN_TRUEDIV, false, false},
    {"true_divide", PJ_OP_BINOP, PJ_BIN_TRUEDIV, false, false},
    {"floor_divide", PJ_OP_BINOP, PJ_BIN_FLOORDIV, false, false},
    {"remainder", PJ_OP_BINOP, PJ_BIN_MOD, false, false},
    {"power", PJ_OP_BINOP, PJ_BIN_POW, false, false},
    {"left_shift", PJ_OP_BINOP, PJ_BIN_LSHIFT, false, false},
    {"right_shift", PJ_OP_BINOP, PJ_BIN_RSHIFT, false, false},
    {"bitwise_and", PJ_OP_BINOP, PJ_BIN_AND, false, false},
    {"bitwise_or", PJ_OP_BINOP, PJ_BIN_OR, false, false},
    {"bitwise_xor", PJ_OP_BINOP, PJ_BIN_XOR, false, false},
    {"greater", PJ_OP_COMPARE, PJ_CMP_GT, false, false},
    {"greater_equal", PJ_OP_COMPARE, PJ_CMP_GE, false, false},
    {"less", PJ_OP_COMPARE, PJ_CMP_LT, false, false},
    {"less_equal", PJ_OP_COMPARE, PJ_CMP_LE, false, false},
    {"equal", PJ_OP_COMPARE, PJ_CMP_EQ, false, false},
    {"not_equal", PJ_OP_COMPARE, PJ_CMP_NE, false, false},
    {"negative", PJ_OP_UNARY, PJ_UN_NEG, false, false},
    {"positive", PJ_OP_UNARY, PJ_UN_POS, false, false},
    {"logical_and", PJ_OP_BINOP, PJ_BIN_AND, true, false},
    {"logical_or", PJ_OP_BINOP, PJ_BIN_OR, true, false},
    {"logical_xor", PJ_OP_BINOP, PJ_BIN_XOR, true, false},
    {"logical_not", PJ_OP_UNARY, PJ_UN_NOT, true, false},
    {"square", PJ_OP_BINOP, PJ_BIN_MUL, false, true},
};

/* The operator the ufunc uf is, or NULL. */
static const UfuncOperator *
ufunc_operator(PyObject *uf)
{
    PyObject *name = PyObject_GetAttrString(uf, "__name__");
    const char *s = name && PyUnicode_Check(name) ? PyUnicode_AsUTF8(name)
                                                  : NULL;
    const UfuncOperator *found = NULL;
    size_t n = sizeof ufunc_operators / sizeof *ufunc_operators;
    for (size_t i = 0; s != NULL && i < n && found == NULL; i++) {
        if (strcmp(ufunc_operators[i].name, s) == 0) {
            found = &ufunc_operators[i];
        }
    }
    Py_XDECREF(name);
    PyErr_Clear();
    return found;
}

/* ins, the call uf(args...) of the library's implementation of the ufunc
   uf with n positional arguments: its operator when uf is one and an
   argument is an array of numbers; 1 (the library's function computes
   it) otherwise. */
int
pj_array_type_ufunc_operator(PjCompile *cx, PjInstr *ins, PyObject *uf,
                             PjType **args, int n)
{
    const UfuncOperator *u = ufunc_operator(uf);
    int arity = u == NULL ? 0 : u->op == PJ_OP_UNARY || u->twice ? 1 : 2;
    if (n != arity || ins->obj != NULL) {
        return 1;
    }
    bool any_array = false;
    for (int k = 0; k < n; k++) {
        PjType *e = pj_type_is_array(args[k]) ? args[k]->elems[0] : args[k];
        if (!pj_type_is_number(e)) {
            return 1;
        }
        any_array |= pj_type_is_array(args[k]);
    }
    if (!any_array) {
        return 1;
    }
    if (pj_infer_plan_positional(cx, ins, n) == NULL) {
        return -1;
    }
    return type_elementwise(cx, ins, u->op, u->sub, u->truth, u->twice,
                            args[0], n == 2 ? args[1] : NULL);
}

typedef struct {
    const ElemPlan *plan;
    PjInstr *ins;
    LLVMValueRef ops[2];        /* the operands */
    int walked[2];              /* an array operand's index in the walk */
    int out;                    /* and the result's */
    PjType *out_type;
} ElemCtx;

/* The element of array operand `arr` (of type t, broadcast to out_shape,
   the shape of a result of type out_type) at flat position i of the
   result in C order, or `f_order` F order: the index in each dimension,
   the fastest first, where a dimension of length 1 stays at 0. */
LLVMValueRef
pj_array_operand_element(PjLower *lw, PjType *t, LLVMValueRef arr,
                         PjType *out_type, LLVMValueRef *out_shape,
                         LLVMValueRef i, bool f_order)
{
    int nd = pj_array_ndim(out_type), ndk = pj_array_ndim(t);
    LLVMValueRef off = pj_i64(lw, 0), rest = i;
    for (int j = 0; j < nd; j++) {
        int d = f_order ? j : nd - 1 - j;
        LLVMValueRef n = out_shape[d];
        LLVMValueRef idx = LLVMBuildSRem(lw->b, rest, n, "");
        rest = LLVMBuildSDiv(lw->b, rest, n, "");
        int dk = d - (nd - ndk);
        if (dk < 0) {
            continue;
        }
        LLVMValueRef len = pj_array_dim(lw, arr, PJ_ARRAY_SHAPE, dk);
        LLVMValueRef one = LLVMBuildICmp(lw->b, LLVMIntEQ, len, pj_i64(lw, 1),
                                         "");
        idx = LLVMBuildSelect(lw->b, one, pj_i64(lw, 0), idx, "");
        off = LLVMBuildAdd(lw->b, off, LLVMBuildMul(
            lw->b, idx, pj_array_dim(lw, arr, PJ_ARRAY_STRIDES, dk), ""), "");
    }
    LLVMValueRef data = LLVMBuildExtractValue(lw->b, arr, PJ_ARRAY_DATA, "");
    LLVMValueRef p = LLVMBuildGEP2(lw->b, lw->t_i8, data, &off, 1, "");
    return pj_array_load(lw, t->elems[0], p);
}

/* The element the operation of plan computes from its operands' elements
   v (of their element or scalar types), in the result's dtype. */
static LLVMValueRef
apply_elem(PjLower *lw, const ElemPlan *plan, LLVMValueRef *v)
{
    PjInstr *e = (PjInstr *)&plan->elem;
    PjType *et[2] = {plan->ea, plan->eb};
    LLVMValueRef x[2];
    for (int k = 0; k < plan->nops; k++) {
        x[k] = v[k];
        if (plan->loop != NULL) {
            x[k] = pj_lower_convert(lw, x[k], et[k], plan->loop);
            et[k] = plan->loop;
        }
        x[k] = pj_lower_convert(lw, x[k], et[k],
                                e->argtys ? e->argtys[k] : et[k]);
    }
    if (plan->twice) {
        x[1] = x[0];
    }
    LLVMValueRef r = e->impl->lower(lw, e, x);
    return pj_lower_convert(lw, r, e->resty, plan->dtype);
}

static void
elementwise_one(PjLower *lw, PjWalk *w, void *ctx)
{
    ElemCtx *c = ctx;
    const ElemPlan *plan = c->plan;
    LLVMValueRef v[2];
    for (int k = 0; k < plan->nops; k++) {
        PjType *t = c->ins->argtys[k];
        v[k] = c->walked[k] < 0 ? c->ops[k]
               : pj_array_load(lw, t->elems[0], w->at[c->walked[k]]);
    }
    LLVMValueRef r = apply_elem(lw, plan, v);
    pj_array_store(lw, c->out_type->elems[0], w->at[c->out], r);
}

/* Folds an operand's dimensions dims (ndk of them, aligned at the end)
   into the broadcast shape of nd dimensions, which stays as it is when
   `fixed` (an array updated in place); true where they do not fit. */
LLVMValueRef
pj_array_broadcast_fold(PjLower *lw, LLVMValueRef *shape, int nd,
                        LLVMValueRef *dims, int ndk, bool fixed)
{
    LLVMValueRef bad = LLVMConstInt(lw->t_i1, 0, 0);
    for (int dk = 0; dk < ndk; dk++) {
        int d = dk + (nd - ndk);
        LLVMValueRef n = dims[dk];
        LLVMValueRef fits = LLVMBuildOr(
            lw->b, LLVMBuildICmp(lw->b, LLVMIntEQ, n, shape[d], ""),
            LLVMBuildICmp(lw->b, LLVMIntEQ, n, pj_i64(lw, 1), ""), "");
        LLVMValueRef out_one = LLVMBuildICmp(lw->b, LLVMIntEQ, shape[d],
                                             pj_i64(lw, 1), "");
        if (!fixed) {
            fits = LLVMBuildOr(lw->b, fits, out_one, "");
            shape[d] = LLVMBuildSelect(lw->b, out_one, n, shape[d], "");
        }
        bad = LLVMBuildOr(lw->b, bad, LLVMBuildNot(lw->b, fits, ""), "");
    }
    return bad;
}

/* The result's shape (a's, in place), checking that the operands
   broadcast. */
static void
broadcast_shape(PjLower *lw, PjInstr *ins, LLVMValueRef *args, int nd,
                int nops, bool inplace, LLVMValueRef *shape)
{
    LLVMValueRef bad = LLVMConstInt(lw->t_i1, 0, 0);
    for (int d = 0; d < nd; d++) {
        shape[d] = inplace ? pj_array_dim(lw, args[0], PJ_ARRAY_SHAPE, d)
                           : pj_i64(lw, 1);
    }
    for (int k = inplace; k < nops; k++) {
        PjType *t = ins->argtys[k];
        if (pj_type_is_array(t)) {
            LLVMValueRef dims[PJ_MAX_NDIM];
            pj_array_shape_values(lw, t, args[k], dims);
            bad = LLVMBuildOr(lw->b, bad, pj_array_broadcast_fold(
                lw, shape, nd, dims, pj_array_ndim(t), inplace), "");
        }
    }
    pj_lower_check(lw, bad, "ValueError",
                   "operands could not be broadcast together");
    if (!inplace && nops == 2 && pj_type_is_array(ins->argtys[0])
        && pj_type_is_array(ins->argtys[1])) {
        /* two arrays broadcast to more elements than either has */
        pj_array_checked_size(lw, shape, nd, pj_i64(lw, 1),
                              "iterator is too large");
    }
}

/* Whether two arrays' memory may overlap: their address ranges meet. */
static LLVMValueRef
may_overlap(PjLower *lw, PjType *at, LLVMValueRef a, PjType *bt,
            LLVMValueRef b)
{
    LLVMValueRef lo[2], hi[2];
    PjType *ts[2] = {at, bt};
    LLVMValueRef vs[2] = {a, b};
    for (int k = 0; k < 2; k++) {
        LLVMValueRef data = LLVMBuildExtractValue(lw->b, vs[k], PJ_ARRAY_DATA,
                                                  "");
        LLVMValueRef base = LLVMBuildPtrToInt(lw->b, data, lw->t_i64, "");
        LLVMValueRef low = base, high = base;
        for (int d = 0; d < pj_array_ndim(ts[k]); d++) {
            LLVMValueRef len = pj_array_dim(lw, vs[k], PJ_ARRAY_SHAPE, d);
            LLVMValueRef span = LLVMBuildMul(
                lw->b, LLVMBuildSub(lw->b, len, pj_i64(lw, 1), ""),
                pj_array_dim(lw, vs[k], PJ_ARRAY_STRIDES, d), "");
            LLVMValueRef neg = LLVMBuildICmp(lw->b, LLVMIntSLT, span,
                                             pj_i64(lw, 0), "");
            low = LLVMBuildAdd(lw->b, low, LLVMBuildSelect(
                lw->b, neg, span, pj_i64(lw, 0), ""), "");
            high = LLVMBuildAdd(lw->b, high, LLVMBuildSelect(
                lw->b, neg, pj_i64(lw, 0), span, ""), "");
        }
        lo[k] = low;
        LLVMValueRef item = pj_array_itemsize(lw, ts[k]->elems[0]);
        hi[k] = LLVMBuildAdd(lw->b, high, item, "");
    }
    return LLVMBuildAnd(lw->b,
                        LLVMBuildICmp(lw->b, LLVMIntSLT, lo[0], hi[1], ""),
                        LLVMBuildICmp(lw->b, LLVMIntSLT, lo[1], hi[0], ""),
                        "");
}

/* The value an in-place operation on target reads: value itself, or a
   C copy of it when their memory overlaps (a[1:] = a[:-1], d += d.T), so
   that no element is read after the loop wrote it, as in NumPy. */
static LLVMValueRef
value_apart_from(PjLower *lw, PjType *tt, LLVMValueRef target, PjType *vt,
                 LLVMValueRef value)
{
    PjType *copy_type = pj_type_array(vt->elems[0], pj_array_ndim(vt),
                                      PJ_LAYOUT_C);
    LLVMBasicBlockRef here = LLVMGetInsertBlock(lw->b);
    LLVMBasicBlockRef copy = LLVMAppendBasicBlockInContext(
        lw->ctx, lw->func, "apart.copy");
    LLVMBasicBlockRef go = LLVMAppendBasicBlockInContext(
        lw->ctx, lw->func, "apart.go");
    LLVMBuildCondBr(lw->b, may_overlap(lw, tt, target, vt, value), copy, go);
    LLVMPositionBuilderAtEnd(lw->b, copy);
    LLVMValueRef shape[PJ_MAX_NDIM];
    pj_array_shape_values(lw, vt, value, shape);
    LLVMValueRef tmp = pj_array_new(lw, copy_type, shape, false);
    pj_array_copy_into(lw, copy_type, tmp, vt, value,
                       pj_array_size(lw, copy_type, tmp));
    LLVMValueRef copied = pj_lower_convert(lw, tmp, copy_type, vt);
    LLVMBasicBlockRef copy_end = LLVMGetInsertBlock(lw->b);
    LLVMBuildBr(lw->b, go);
    LLVMPositionBuilderAtEnd(lw->b, go);
    LLVMValueRef phi = LLVMBuildPhi(lw->b, LLVMTypeOf(value), "");
    LLVMValueRef vals[2] = {value, copied};
    LLVMBasicBlockRef from[2] = {here, copy_end};
    LLVMAddIncoming(phi, vals, from, 2);
    return phi;
}

/* Releases the copy value_apart_from made of original, if it made one. */
static void
release_apart(PjLower *lw, LLVMValueRef value, LLVMValueRef original)
{
    LLVMValueRef mi = LLVMBuildExtractValue(lw->b, value, PJ_ARRAY_MEMINFO,
                                            "");
    LLVMValueRef orig = LLVMBuildExtractValue(lw->b, original,
                                              PJ_ARRAY_MEMINFO, "");
    LLVMBasicBlockRef rel = LLVMAppendBasicBlockInContext(
        lw->ctx, lw->func, "apart.release");
    LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(
        lw->ctx, lw->func, "apart.done");
    LLVMBuildCondBr(lw->b, LLVMBuildICmp(lw->b, LLVMIntNE, mi, orig, ""),
                    rel, done);
    LLVMPositionBuilderAtEnd(lw->b, rel);
    pj_lower_helper(lw, "pj_rt_meminfo_free", lw->t_void, &lw->t_ptr, &mi, 1);
    LLVMBuildBr(lw->b, done);
    LLVMPositionBuilderAtEnd(lw->b, done);
}

/* The result's elements, in the order of its memory (F for an F result,
   else C), each from the operands' elements there. */
static LLVMValueRef
lower_elementwise(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    const ElemPlan *plan = ins->plan.ptr;
    PjType *ot = plan->inplace ? ins->argtys[0] : ins->resty;
    int nd = pj_array_ndim(ot);
    LLVMValueRef shape[PJ_MAX_NDIM];
    broadcast_shape(lw, ins, args, nd, plan->nops, plan->inplace, shape);
    bool apart = plan->inplace && plan->nops == 2
                 && pj_type_is_array(ins->argtys[1]);
    LLVMValueRef ops[2] = {args[0], plan->nops == 2 ? args[1] : NULL};
    if (apart) {
        ops[1] = value_apart_from(lw, ot, args[0], ins->argtys[1], args[1]);
    }
    ElemCtx c = {.plan = plan, .ins = ins, .ops = {ops[0], ops[1]},
                 .walked = {-1, -1}, .out_type = ot};
    LLVMValueRef out = plan->inplace ? args[0]
                                     : pj_array_new(lw, ot, shape, false);
    PjWalk w;
    pj_walk_init(&w, nd, shape, pj_array_is_f(ot), elementwise_one, &c);
    for (int k = 0; k < plan->nops; k++) {
        PjType *t = ins->argtys[k];
        if (pj_type_is_array(t)) {
            c.walked[k] = pj_walk_add(&w, t, ops[k], false);
        }
    }
    c.out = plan->inplace ? c.walked[0] : pj_walk_add(&w, ot, out, true);
    pj_array_walk(lw, &w, pj_i64(lw, 0), pj_array_size(lw, ot, out));
    if (apart) {
        release_apart(lw, ops[1], args[1]);
    }
    return out;
}

/* The operation on the one element of each 0-d operand. */
static LLVMValueRef
lower_elementwise_0d(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    const ElemPlan *plan = ins->plan.ptr;
    LLVMValueRef v[2];
    for (int k = 0; k < plan->nops; k++) {
        PjType *t = ins->argtys[k];
        v[k] = !pj_type_is_array(t) ? args[k]
               : pj_array_load(lw, t->elems[0], pj_array_address(
                     lw, t, args[k], NULL, 0));
    }
    return apply_elem(lw, plan, v);
}

static const PjImpl impl_elementwise_0d = {"elementwise", lower_elementwise_0d,
                                           false, false};
static const PjImpl impl_elementwise = {"elementwise", lower_elementwise,
                                        true, true};
static const PjImpl impl_elementwise_inplace = {"elementwise",
                                                lower_elementwise, true,
                                                false};

/* How many operands ins computes a new array from element by element
   (a + b, np.sqrt(a), a < 0): 1 or 2, or 0 when it is not such an
   operation; fusion.c computes these in the loop of the expression they
   are part of. */
int
pj_array_elementwise_nops(PjInstr *ins)
{
    return ins->impl == &impl_elementwise
           ? ((const ElemPlan *)ins->plan.ptr)->nops : 0;
}

/* The operation such an instruction applies to the elements: the + of
   numbers for a + b and for np.add(a, b), the call of math.sqrt for
   np.sqrt(a). */
const PjInstr *
pj_array_elementwise_op(const PjInstr *ins)
{
    return &((const ElemPlan *)ins->plan.ptr)->elem;
}

/* The element such an operation computes from its operands' elements v
   (of the arrays' dtypes, or the scalars), in the dtype of its result. */
LLVMValueRef
pj_array_elementwise_apply(PjLower *lw, PjInstr *ins, LLVMValueRef *v)
{
    return apply_elem(lw, ins->plan.ptr, v);
}

/* np.sqrt(a) and the like: the call for one element, for the caller to
   type as the scalar function; then pj_array_type_map. */
PjInstr *
pj_array_elem_call(PjCompile *cx, PjInstr *ins)
{
    ElemPlan *plan = PJ_NEW(cx->arena, ElemPlan);
    if (plan == NULL) {
        return NULL;
    }
    plan->elem = *ins;
    plan->elem.dst = NULL;
    plan->elem.impl = NULL;
    plan->elem.argtys = NULL;
    return &plan->elem;
}

/* Finishes f(a) over the array a once elem (from pj_array_elem_call) is
   typed: the result has dtype `dtype`. */
int
pj_array_type_map(PjCompile *cx, PjInstr *ins, PjInstr *elem, PjType *arr,
                  PjType *dtype)
{
    return pj_array_type_map2(cx, ins, elem, &arr, 1, NULL, dtype);
}

/* The same for f(x1, x2), x1 and x2 arrays or numbers that broadcast
   together: their elements are converted to `loop` (unless NULL) before
   elem computes on them. */
int
pj_array_type_map2(PjCompile *cx, PjInstr *ins, PjInstr *elem, PjType **ops,
                   int nops, PjType *loop, PjType *dtype)
{
    /* elem is the first member of the plan pj_array_elem_call made */
    ElemPlan *plan = (ElemPlan *)elem;
    PjType *et[2] = {NULL, NULL};
    int nd = 0;
    for (int k = 0; k < nops; k++) {
        bool arr = pj_type_is_array(ops[k]);
        et[k] = arr ? ops[k]->elems[0] : ops[k];
        if (arr && pj_array_ndim(ops[k]) > nd) {
            nd = pj_array_ndim(ops[k]);
        }
    }
    plan->ea = et[0];
    plan->eb = et[1];
    plan->loop = loop;
    plan->nops = nops;
    plan->inplace = false;
    plan->dtype = dtype;
    const PjImpl *impl;
    PjType *res = elementwise_result(dtype, nd, ops, nops, &impl);
    if (res == NULL) {
        return -1;
    }
    return pj_array_choose_plan(cx, ins, impl, res, ops, nops,
                                (PjPlan){.ptr = plan});
}

/* --- assigning to a view: a[lo:hi] = v, m[i] = row --- */

static LLVMValueRef
lower_pick_value(PjLower *Py_UNUSED(lw), PjInstr *Py_UNUSED(ins),
                 LLVMValueRef *args)
{
    return args[1];
}

static const PjImpl impl_pick_value = {"assign", lower_pick_value, false,
                                       false};
static const PjImpl impl_setview;

int
pj_array_type_setview(PjCompile *cx, PjInstr *ins, PjType *arr, PjType *idx,
                      PjType *value, PjSlicePlan *sp, int n)
{
    PjType *dtype = arr->elems[0];
    PjType *ve = pj_type_is_array(value) ? value->elems[0] : value;
    /* strings and records of the array's dtype are copied */
    bool same_bytes = (pj_type_is_charseq(ve) || pj_type_is_record(ve))
                      && ve == dtype;
    if (pj_type_is_datetime_like(dtype) || pj_type_is_datetime_like(ve)) {
        if (!pj_array_can_store(cx, dtype, ve)) {
            return 1;
        }
    }
    else if ((!pj_type_is_number(ve) && !same_bytes)
        || (pj_type_is_complex(ve) && !pj_type_is_complex(dtype))) {
        cx->why = "the value cannot be stored in an array of this dtype";
        return 1;
    }
    ElemPlan *ep = PJ_NEW(cx->arena, ElemPlan);
    PjType **et = PJ_NEW_N(cx->arena, PjType *, 2);
    if (ep == NULL || et == NULL) {
        return -1;
    }
    if (sp != NULL) {
        /* typed as a[index] would be, for the view */
        PjInstr probe = *ins;
        int rc = pj_array_type_getslice(cx, &probe, arr, idx, sp);
        if (rc != 0) {
            return rc;
        }
        ep->view = probe.resty;
        ep->slices = probe.plan.ptr;
    }
    else {
        ep->view = pj_array_view_type(arr, n);
    }
    if (ep->view == NULL) {
        return -1;
    }
    ep->value = value;
    if (pj_type_is_array(value)
        && pj_array_ndim(value) > pj_array_ndim(ep->view)) {
        /* NumPy's broadcasting drops the extra leading dimensions of v,
           which must be 1: m[0, :] = v of a v of shape (1, n) */
        int extra = pj_array_ndim(value) - pj_array_ndim(ep->view);
        ep->value = pj_array_view_type(value, extra);
        if (ep->value == NULL) {
            return -1;
        }
    }
    et[0] = dtype;
    et[1] = ve;
    ep->elem.impl = &impl_pick_value;
    ep->elem.argtys = et;
    ep->elem.resty = ve;
    ep->ea = dtype;
    ep->eb = ve;
    ep->dtype = dtype;
    ep->nops = 2;
    ep->inplace = true;
    PjType *argtys[3] = {arr, idx, value};
    return pj_array_choose_plan(cx, ins, &impl_setview, NULL, argtys, 3,
                                (PjPlan){.ptr = ep});
}

/* The array v (of type vt) as a view of type trimmed, of fewer
   dimensions: its leading dimensions dropped, each checked to be 1. */
static LLVMValueRef
value_without_leading_ones(PjLower *lw, PjType *vt, LLVMValueRef v,
                           PjType *trimmed)
{
    int extra = pj_array_ndim(vt) - pj_array_ndim(trimmed);
    LLVMValueRef bad = LLVMConstInt(lw->t_i1, 0, 0);
    for (int d = 0; d < extra; d++) {
        LLVMValueRef n = pj_array_dim(lw, v, PJ_ARRAY_SHAPE, d);
        bad = LLVMBuildOr(lw->b, bad, LLVMBuildICmp(lw->b, LLVMIntNE, n,
                                                    pj_i64(lw, 1), ""), "");
    }
    pj_lower_check(lw, bad, "ValueError",
                   "could not broadcast input array into the shape of the "
                   "part assigned to");
    LLVMValueRef data = LLVMBuildExtractValue(lw->b, v, PJ_ARRAY_DATA, "");
    return pj_array_make_view(lw, vt, v, data, extra, trimmed);
}

static LLVMValueRef
lower_setview(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    const ElemPlan *ep = ins->plan.ptr;
    PjType *at = ins->argtys[0];
    LLVMValueRef view;
    if (ep->slices != NULL) {
        view = pj_array_slice_view(lw, ins, args, ep->slices, ep->view);
    }
    else {
        PjType *it = ins->argtys[1];
        int n = pj_type_is_tuple(it) ? it->count : 1;
        LLVMValueRef data = pj_array_indexed_address(lw, ins, args, n);
        view = pj_array_make_view(lw, at, args[0], data, n, ep->view);
    }
    LLVMValueRef value = args[2];
    if (ep->value != ins->argtys[2]) {
        value = value_without_leading_ones(lw, ins->argtys[2], value,
                                           ep->value);
    }
    /* assigned as an in-place operation, which reads the value from a
       copy when it overlaps the view */
    PjInstr assign = *ins;
    PjType *types[2] = {ep->view, ep->value};
    assign.argtys = types;
    LLVMValueRef ops[2] = {view, value};
    lower_elementwise(lw, &assign, ops);
    return NULL;
}

static const PjImpl impl_setview = {"setitem", lower_setview, true, false};

/* --- reshape, ravel, flatten, transpose --- */

static const PjImpl impl_reshape, impl_ravel, impl_flatten, impl_transpose;

static int type_astype(PjCompile *cx, PjInstr *ins, PjType *arr,
                       PjType **args, int n);

/* a.astype(dtype); a.view(dtype) and a.tobytes() (array_view.c);
   a.reshape(n, m) or a.reshape((n, m)), one dimension may be -1: a view
   (of an array that is not C, when its elements allow one).  a.ravel(): a view of a C array, a copy of another;
   a.flatten(): a copy; a.transpose(): a.T. */
int
pj_array_type_method(PjCompile *cx, PjInstr *ins, PjType *arr,
                     const char *name, PjType **args, int n)
{
    static const struct {
        const char *name;
        int (*type)(PjCompile *, PjInstr *, PjType *, PjType **, int);
    } of_dtype[] = {{"astype", type_astype}, {"view", pj_array_type_view},
                    {"tobytes", pj_array_type_tobytes}};
    PjType *argtys[PJ_MAX_NDIM + 1] = {arr};
    for (size_t k = 0; k < sizeof of_dtype / sizeof of_dtype[0]; k++) {
        if (strcmp(name, of_dtype[k].name) == 0) {
            return of_dtype[k].type(cx, ins, arr, args, n);
        }
    }
    if (strcmp(name, "transpose") == 0 || strcmp(name, "ravel") == 0
        || strcmp(name, "flatten") == 0) {
        if (n != 0) {
            cx->why = "this method takes no arguments here";
            return 1;
        }
        PjType *res = name[0] == 't'
            ? pj_array_transposed_type(arr)
            : pj_type_array(arr->elems[0], 1, PJ_LAYOUT_C
                            | (name[0] == 'r' ? arr->ident & PJ_READONLY
                                              : 0));
        /* ravel is a view of a C array and a copy of any other */
        bool view = name[0] == 'r' && pj_array_is_c(arr);
        if (name[0] == 'r' && !view) {
            res = pj_type_array(arr->elems[0], 1, PJ_LAYOUT_C);
        }
        const PjImpl *impl = name[0] == 't' ? &impl_transpose
                             : view ? &impl_ravel : &impl_flatten;
        return res ? pj_array_choose(cx, ins, impl, res, argtys, 1) : -1;
    }
    /* reshape */
    int nd = n;
    if (n == 1 && pj_type_is_tuple(args[0])) {
        nd = args[0]->count;
    }
    for (int i = 0; i < n; i++) {
        argtys[1 + i] = args[i];
    }
    if (n < 1 || nd > PJ_MAX_NDIM || (n != 1 && n != nd)
        || pj_array_shape_ndim(n == 1 ? args[0] : pj_t.i64) < 0) {
        cx->why = "reshape takes integers or a tuple of integers";
        return 1;
    }
    for (int i = 0; n > 1 && i < n; i++) {
        if (!pj_type_is_integer(args[i])) {
            cx->why = "reshape takes integers or a tuple of integers";
            return 1;
        }
    }
    /* a view of any other array when its elements are laid out for it
       (lower_reshape), as Numba reshapes an F one */
    PjType *res = pj_type_array(arr->elems[0], nd,
                                (pj_array_is_c(arr) ? PJ_LAYOUT_C
                                                    : PJ_LAYOUT_A)
                                | (arr->ident & PJ_READONLY));
    if (res == NULL) {
        return -1;
    }
    RETURN_IF_ERROR(pj_array_choose(cx, ins, &impl_reshape, res, argtys,
                                    1 + n));
    cx->can_raise = true;       /* ValueError: the sizes differ */
    return 0;
}

static LLVMValueRef
lower_element(PjLower *Py_UNUSED(lw), PjInstr *Py_UNUSED(ins),
              LLVMValueRef *args)
{
    return args[0];
}

static const PjImpl impl_element = {"element", lower_element, false, false};

/* a.astype(dtype) of a 0-d array: a new 0-d array of its element
   converted, as NumPy makes it (an element-wise operation on 0-d arrays
   gives a number instead). */
static LLVMValueRef
lower_astype_0d(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *at = ins->argtys[0];
    PjType *rt = ins->resty;
    LLVMValueRef v = pj_array_load(lw, at->elems[0],
                                   pj_array_address(lw, at, args[0], NULL,
                                                    0));
    LLVMValueRef out = pj_array_new(lw, rt, NULL, false);
    pj_array_store(lw, rt->elems[0], pj_array_address(lw, rt, out, NULL, 0),
                   pj_lower_convert(lw, v, at->elems[0], rt->elems[0]));
    return out;
}

static const PjImpl impl_astype_0d = {"astype", lower_astype_0d, true,
                                      true};

/* a.astype(dtype): a new array of a's elements converted to dtype as
   NumPy converts them (the element loop of np.sqrt(a), computing
   nothing), F when a is, as NumPy's order='K' and Numba make it.  A
   complex array to a real dtype is refused, as Numba refuses it: NumPy
   drops the imaginary parts with a warning. */
static int
type_astype(PjCompile *cx, PjInstr *ins, PjType *arr, PjType **args, int n)
{
    PjType *dtype = n == 1 ? pj_array_dtype_named(args[0]) : NULL;
    if (dtype == NULL) {
        cx->why = "astype takes a dtype (np.float32, float, 'int16', "
                  "a.dtype)";
        return 1;
    }
    PjType *et = arr->elems[0];
    if (pj_type_is_complex(et) && !pj_type_is_complex(dtype)) {
        cx->why = "astype of complex values to a real dtype would drop "
                  "their imaginary parts: convert a.real";
        return 1;
    }
    if ((pj_type_is_charseq(et) || pj_type_is_charseq(dtype)) && et != dtype) {
        cx->why = "pyjit converts no array of strings to another dtype: "
                  "convert each element";
        return 1;
    }
    if (pj_array_ndim(arr) == 0) {
        PjType *res = pj_type_array(dtype, 0, PJ_LAYOUT_C);
        PjType *argtys[2] = {arr, args[0]};
        return res ? pj_array_choose(cx, ins, &impl_astype_0d, res, argtys,
                                     2) : -1;
    }
    PjInstr *e = pj_array_elem_call(cx, ins);
    if (e == NULL || pj_choose(cx, e, &impl_element, et, &et, 1) < 0
        || pj_array_type_map(cx, ins, e, arr, dtype) < 0) {
        return -1;
    }
    PjType **argtys = PJ_NEW_N(cx->arena, PjType *, 2);
    if (argtys == NULL) {
        return -1;
    }
    argtys[0] = arr;            /* the dtype is a constant, not an operand */
    argtys[1] = args[0];
    ins->argtys = argtys;
    return 0;
}

static LLVMValueRef
lower_transpose(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    return pj_array_transposed(lw, ins->argtys[0], args[0], ins->resty);
}

/* NumPy's ValueError for a.reshape(asked) when a's `size` elements do
   not fit that shape and `bad` is true. */
static void
check_reshape(PjLower *lw, LLVMValueRef bad, LLVMValueRef size,
              LLVMValueRef *asked, int nd)
{
    LLVMBasicBlockRef ok = pj_lower_fail_begin(lw, bad);
    LLVMTypeRef p[3] = {lw->t_i64, lw->t_i32, lw->t_ptr};
    LLVMValueRef dims = pj_array_dims_in_memory(lw, asked, nd);
    LLVMValueRef a[3] = {size, pj_i32(lw, nd), dims};
    pj_lower_helper(lw, "pj_rt_raise_reshape", lw->t_void, p, a, 3);
    pj_lower_fail_end(lw, ok);
}

/* The shape a.reshape(asked) gives an array of `size` elements, as
   NumPy's _fix_unknown_dimension finds it: the dimensions given multiply,
   in order and without overflow, to `size`, or one negative dimension
   takes what they leave. */
static void
fix_unknown_dimension(PjLower *lw, LLVMValueRef size, LLVMValueRef *asked,
                      int nd, LLVMValueRef *shape)
{
    LLVMBuilderRef B = lw->b;
    LLVMValueRef no = LLVMConstInt(lw->t_i1, 0, 0);
    LLVMValueRef known = pj_i64(lw, 1), unknown = no, twice = no;
    LLVMValueRef overflow = no;
    for (int k = 0; k < nd; k++) {
        LLVMValueRef neg = LLVMBuildICmp(B, LLVMIntSLT, asked[k],
                                         pj_i64(lw, 0), "");
        /* NumPy stops at the first of the two errors */
        twice = LLVMBuildOr(B, twice, LLVMBuildAnd(B, LLVMBuildAnd(
            B, neg, unknown, ""), LLVMBuildNot(B, overflow, ""), ""), "");
        unknown = LLVMBuildOr(B, unknown, neg, "");
        LLVMValueRef o;
        known = pj_array_mul_checked(lw, known, LLVMBuildSelect(
            B, neg, pj_i64(lw, 1), asked[k], ""), &o);
        overflow = LLVMBuildOr(B, overflow, o, "");
    }
    pj_lower_check(lw, twice, "ValueError",
                   "can only specify one unknown dimension");
    LLVMValueRef none = LLVMBuildICmp(B, LLVMIntEQ, known, pj_i64(lw, 0), "");
    LLVMValueRef safe = LLVMBuildSelect(B, none, pj_i64(lw, 1), known, "");
    LLVMValueRef rest = LLVMBuildSDiv(B, size, safe, "");
    LLVMValueRef fits = LLVMBuildSelect(
        B, unknown, LLVMBuildAnd(B, LLVMBuildNot(B, none, ""), LLVMBuildICmp(
            B, LLVMIntEQ, LLVMBuildSRem(B, size, safe, ""), pj_i64(lw, 0), ""),
            ""),
        LLVMBuildICmp(B, LLVMIntEQ, known, size, ""), "");
    check_reshape(lw, LLVMBuildOr(B, overflow, LLVMBuildNot(B, fits, ""), ""),
                  size, asked, nd);
    for (int k = 0; k < nd; k++) {
        shape[k] = LLVMBuildSelect(B, LLVMBuildICmp(B, LLVMIntSLT, asked[k],
                                                    pj_i64(lw, 0), ""),
                                   rest, asked[k], "");
    }
}

/* The strides of a view of the array v (of type at, not C) with this
   shape, found at run time (pj_rt_reshape_strides); NotImplementedError,
   Numba's, when its elements are not laid out for one: NumPy would copy. */
static void
view_strides(PjLower *lw, PjType *at, LLVMValueRef v, LLVMValueRef *shape,
             int nd, LLVMValueRef *strides)
{
    int old = pj_array_ndim(at);
    LLVMValueRef dims[PJ_MAX_NDIM], steps[PJ_MAX_NDIM];
    for (int k = 0; k < old; k++) {
        dims[k] = pj_array_dim(lw, v, PJ_ARRAY_SHAPE, k);
        steps[k] = pj_array_dim(lw, v, PJ_ARRAY_STRIDES, k);
    }
    LLVMTypeRef out_t = LLVMArrayType2(lw->t_i64, (uint64_t)nd);
    LLVMValueRef out = pj_lower_alloca(lw, out_t, "strides");
    LLVMTypeRef p[7] = {lw->t_i32, lw->t_ptr, lw->t_ptr, lw->t_i32,
                        lw->t_ptr, lw->t_i64, lw->t_ptr};
    LLVMValueRef a[7] = {
        pj_i32(lw, old), pj_array_dims_in_memory(lw, dims, old),
        pj_array_dims_in_memory(lw, steps, old), pj_i32(lw, nd),
        pj_array_dims_in_memory(lw, shape, nd),
        pj_array_itemsize(lw, at->elems[0]), out,
    };
    LLVMValueRef ok = pj_lower_helper(lw, "pj_rt_reshape_strides", lw->t_i32,
                                      p, a, 7);
    pj_lower_check(lw, LLVMBuildICmp(lw->b, LLVMIntEQ, ok, pj_i32(lw, 0), ""),
                   "NotImplementedError",
                   "incompatible shape for array: its elements are not laid "
                   "out for a view of that shape, and reshape makes views "
                   "only; reshape a copy, np.ascontiguousarray(a).reshape(...)");
    LLVMValueRef all = LLVMBuildLoad2(lw->b, out_t, out, "");
    for (int k = 0; k < nd; k++) {
        strides[k] = LLVMBuildExtractValue(lw->b, all, (unsigned)k, "");
    }
}

static LLVMValueRef
lower_reshape(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *at = ins->argtys[0], *vt = ins->resty;
    int nd = pj_array_ndim(vt);
    LLVMValueRef asked[PJ_MAX_NDIM], shape[PJ_MAX_NDIM], strides[PJ_MAX_NDIM];
    PjType *first = ins->argtys[1];
    if (pj_type_is_tuple(first)) {
        pj_array_shape_values(lw, first, args[1], asked);
    }
    else {
        for (int k = 0; k < nd; k++) {
            asked[k] = pj_lower_convert(lw, args[1 + k], ins->argtys[1 + k],
                                        pj_t.i64);
        }
    }
    LLVMValueRef size = pj_array_size(lw, at, args[0]);
    fix_unknown_dimension(lw, size, asked, nd, shape);
    /* the view's size, checked as NumPy checks a new array's */
    LLVMValueRef stride = pj_array_itemsize(lw, at->elems[0]);
    pj_array_checked_size(lw, shape, nd, stride, pj_array_too_big);
    if (!pj_array_is_c(at)) {
        view_strides(lw, at, args[0], shape, nd, strides);
        return pj_array_with_dims(lw, args[0], vt, shape, strides);
    }
    for (int k = nd - 1; k >= 0; k--) {
        strides[k] = stride;
        stride = LLVMBuildMul(lw->b, stride, shape[k], "");
    }
    return pj_array_with_dims(lw, args[0], vt, shape, strides);
}

/* A 1-d view of a C array's elements, or (copy) a new array of them. */
static LLVMValueRef
flat_array(PjLower *lw, PjInstr *ins, LLVMValueRef *args, bool copy)
{
    PjType *at = ins->argtys[0], *vt = ins->resty;
    LLVMValueRef n = pj_array_size(lw, at, args[0]);
    if (!copy && pj_array_is_c(at)) {
        LLVMValueRef s = pj_array_itemsize(lw, at->elems[0]);
        return pj_array_with_dims(lw, args[0], vt, &n, &s);
    }
    LLVMValueRef out = pj_array_new(lw, vt, &n, false);
    pj_array_copy_into(lw, vt, out, at, args[0], n);
    return out;
}

static LLVMValueRef
lower_ravel(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    return flat_array(lw, ins, args, false);
}

static LLVMValueRef
lower_flatten(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    return flat_array(lw, ins, args, true);
}

static const PjImpl impl_transpose = {"transpose", lower_transpose, false,
                                      false};
static const PjImpl impl_reshape = {"reshape", lower_reshape, true, false};
static const PjImpl impl_flatten = {"flatten", lower_flatten, true, true};
static const PjImpl impl_ravel = {"ravel", lower_ravel, false, false};
