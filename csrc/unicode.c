/*
** unicode.c - strings: Numba's unicode_type, with Python's semantics.
**
** A string value is the struct PjStr (pyjit.h): a pointer to its code
** points, its length, their width (CPython's PEP 393 kinds: 1, 2 or 4
** bytes), its hash (-1 until known), the block of memory it lives in
** (NULL when it is borrowed) and the str it came from (NULL unless it is
** an argument's).  A str argument is not copied: the value points into
** the str, which the caller keeps alive.  Strings made by compiled code
** live in reference-counted blocks (runtime.c); indexing, iterating and
** slicing with step 1 make views that share the block, other operations
** make new blocks (unicode_rt.c's helpers).  A string constant
** (Literal[str], values.c) becomes a value where one is needed: its code
** points are a constant of the object code.
**
** Methods that search and compare run natively; the others (case
** mappings, character classes, padding) and the conversions str(),
** int(), float() and format() call CPython's own implementations, so that
** their results and error messages are CPython's.
*/
#include "pyjit.h"

#include <string.h>

enum { STR_DATA, STR_LENGTH, STR_KIND, STR_HASH, STR_MEMINFO, STR_PARENT };

static const PjImpl impl_method, impl_native_method;

PjType *
pj_type_unicode(void)
{
    static PjType *t;
    if (t == NULL) {
        t = pj_type_intern(PJ_TK_UNICODE, 0, 0, NULL, 0, NULL);
    }
    return t;
}

/* A string constant or a string value. */
bool
pj_type_is_str(PjType *t)
{
    return t != NULL && (t->kind == PJ_TK_UNICODE || pj_type_is_strlit(t));
}

/* The type a container holds a value of type t as: a string constant as
   unicode_type (Numba's ['a', 'b'] is a list(unicode_type)), any other
   type as itself. */
PjType *
pj_type_str_value(PjType *t)
{
    return pj_type_is_str(t) ? pj_type_unicode() : t;
}

/* Two constants are the same type when they are the same string; any
   other two strings are unicode_type. */
PjType *
pj_unicode_unify(PjType *a, PjType *b)
{
    if (!pj_type_is_str(a) || !pj_type_is_str(b)) {
        return NULL;
    }
    if (pj_type_is_strlit(a) && pj_type_is_strlit(b)
        && PyUnicode_Compare(a->obj, b->obj) == 0) {
        return a;
    }
    return pj_type_unicode();
}

static void
print_unicode(PjBuf *b, PjType *Py_UNUSED(t))
{
    pj_buf_puts(b, "unicode_type");
}

static int
choose(PjCompile *cx, PjInstr *ins, const PjImpl *impl, PjType *resty,
       PjType **argtys, int n)
{
    RETURN_IF_ERROR(pj_choose(cx, ins, impl, resty, argtys, n));
    cx->can_raise |= impl->can_raise;
    return 0;
}

/* --- lowering basics --- */

static LLVMTypeRef
unicode_llvm_type(PjLower *lw, PjType *Py_UNUSED(t))
{
    LLVMTypeRef f[6] = {lw->t_ptr, lw->t_i64, lw->t_i32, lw->t_i64,
                        lw->t_ptr, lw->t_ptr};
    return LLVMStructTypeInContext(lw->ctx, f, 6, 0);
}

static LLVMTypeRef
str_type(PjLower *lw)
{
    return unicode_llvm_type(lw, NULL);
}

static LLVMValueRef
make_str(PjLower *lw, LLVMValueRef data, LLVMValueRef len, LLVMValueRef kind,
         LLVMValueRef meminfo, LLVMValueRef parent)
{
    LLVMValueRef v = LLVMGetUndef(str_type(lw));
    LLVMValueRef parts[6] = {data, len, kind, pj_i64(lw, -1), meminfo,
                             parent};
    for (unsigned i = 0; i < 6; i++) {
        v = LLVMBuildInsertValue(lw->b, v, parts[i], i, "");
    }
    return v;
}

/* A string of the len code points `kind` bytes wide at data, held by
   meminfo or, when that is NULL, by the object parent (charseq.c's
   elements of an array of strings). */
LLVMValueRef
pj_unicode_lower_view(PjLower *lw, LLVMValueRef data, LLVMValueRef len,
                      int kind, LLVMValueRef meminfo, LLVMValueRef parent)
{
    return make_str(lw, data, len, pj_i32(lw, kind), meminfo, parent);
}

/* The code points of obj as CPython keeps them, in a constant. */
static LLVMValueRef
unicode_const(PjLower *lw, PyObject *obj, PjType *Py_UNUSED(t))
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(obj);
    int kind = (int)PyUnicode_KIND(obj);
    LLVMValueRef data = pj_lower_bytes(lw, PyUnicode_DATA(obj),
                                       (size_t)((n + 1) * kind));
    return make_str(lw, data, pj_i64(lw, n), pj_i32(lw, kind),
                    LLVMConstNull(lw->t_ptr), LLVMConstNull(lw->t_ptr));
}

/* A string constant used as a value: its code points (it has no run-time
   value of its own, v is NULL). */
static LLVMValueRef
unicode_convert(PjLower *lw, LLVMValueRef v, PjType *from, PjType *to)
{
    if (pj_type_is_strlit(from)) {
        return unicode_const(lw, from->obj, to);
    }
    return v;
}

static LLVMValueRef
str_len(PjLower *lw, LLVMValueRef s)
{
    return pj_part(lw, s, STR_LENGTH);
}

static LLVMValueRef
unicode_truth(PjLower *lw, LLVMValueRef v, PjType *Py_UNUSED(t))
{
    return LLVMBuildICmp(lw->b, LLVMIntNE, str_len(lw, v), pj_i64(lw, 0), "");
}

static bool
unicode_holds_memory(PjType *Py_UNUSED(t))
{
    return true;
}

static void
unicode_meminfo(PjLower *lw, LLVMValueRef v, PjType *Py_UNUSED(t),
                LLVMValueRef valid, PjMemFn f)
{
    LLVMValueRef mi = pj_part(lw, v, STR_MEMINFO);
    if (valid != NULL) {
        mi = LLVMBuildSelect(lw->b, valid, mi, LLVMConstNull(lw->t_ptr), "");
    }
    f(lw, mi);
}

/* A pointer to a stack copy of the value v, for a helper to read. */
static LLVMValueRef
spill(PjLower *lw, LLVMValueRef v)
{
    LLVMValueRef slot = pj_lower_alloca(lw, LLVMTypeOf(v), "str");
    LLVMBuildStore(lw->b, v, slot);
    return slot;
}

/* Returns the error status when the helper's status rc is not 0. */
static void
check_status(PjLower *lw, LLVMValueRef rc)
{
    LLVMValueRef bad = LLVMBuildICmp(lw->b, LLVMIntNE, rc, pj_i32(lw, 0), "");
    pj_lower_fail_end(lw, pj_lower_fail_begin(lw, bad));
}

/* Calls a helper that makes a string: its parameters p[0..n) and then
   the string it writes, its status checked. */
static LLVMValueRef
call_making(PjLower *lw, const char *helper, LLVMTypeRef *p,
            LLVMValueRef *a, int n)
{
    LLVMValueRef out = pj_lower_alloca(lw, str_type(lw), "str");
    p[n] = lw->t_ptr;
    a[n] = out;
    check_status(lw, pj_lower_helper(lw, helper, lw->t_i32, p, a, n + 1));
    return LLVMBuildLoad2(lw->b, str_type(lw), out, "");
}

/* Calls a helper of one string. */
static LLVMValueRef
call_on_one(PjLower *lw, const char *helper, LLVMTypeRef ret, LLVMValueRef v)
{
    LLVMValueRef slot = spill(lw, v);
    return pj_lower_helper(lw, helper, ret, &lw->t_ptr, &slot, 1);
}

/* Calls a pure helper of two strings. */
static LLVMValueRef
call_on_two(PjLower *lw, const char *helper, LLVMTypeRef ret, LLVMValueRef a,
            LLVMValueRef b)
{
    LLVMTypeRef p[2] = {lw->t_ptr, lw->t_ptr};
    LLVMValueRef v[2] = {spill(lw, a), spill(lw, b)};
    return pj_lower_helper(lw, helper, ret, p, v, 2);
}

/* --- the boundary with Python --- */

static bool
unicode_can_box(PjType *Py_UNUSED(t))
{
    return true;
}

static LLVMValueRef
unicode_box(PjLower *lw, LLVMValueRef v, PjType *Py_UNUSED(t))
{
    return call_on_one(lw, "pj_rt_str_box", lw->t_ptr, v);
}

static LLVMValueRef
unicode_unbox(PjLower *lw, LLVMValueRef obj, PjType *Py_UNUSED(t))
{
    LLVMValueRef slot = pj_lower_alloca(lw, str_type(lw), "str");
    LLVMTypeRef p[2] = {lw->t_ptr, lw->t_ptr};
    LLVMValueRef a[2] = {obj, slot};
    pj_lower_helper(lw, "pj_rt_str_unbox", lw->t_void, p, a, 2);
    return LLVMBuildLoad2(lw->b, str_type(lw), slot, "");
}

static PjType *
unicode_typeof(PyObject *obj, bool *Py_UNUSED(untypable), int Py_UNUSED(d))
{
    if (!PyUnicode_Check(obj) || PyUnicode_READY(obj) < 0) {
        return NULL;
    }
    return pj_type_unicode();
}

static int
unicode_init(void)
{
    return pj_typeof_register(&PyUnicode_Type, &pj_kind_unicode);
}

/* --- len, indexing, slicing --- */

static LLVMValueRef
lower_len(PjLower *lw, PjInstr *Py_UNUSED(ins), LLVMValueRef *args)
{
    return str_len(lw, args[0]);
}

static const PjImpl impl_len = {"len", lower_len, false, false};

int
pj_unicode_type_len(PjCompile *cx, PjInstr *ins, PjType *Py_UNUSED(t))
{
    PjType *u = pj_type_unicode();
    return choose(cx, ins, &impl_len, pj_t.i64, &u, 1);
}

/* The one-character string at index i of s: a view of s's memory. */
static LLVMValueRef
char_view(PjLower *lw, LLVMValueRef s, LLVMValueRef i)
{
    LLVMValueRef kind = pj_part(lw, s, STR_KIND);
    LLVMValueRef off = LLVMBuildMul(lw->b, i, LLVMBuildZExt(
        lw->b, kind, lw->t_i64, ""), "");
    LLVMValueRef p = LLVMBuildGEP2(lw->b, lw->t_i8, pj_part(lw, s, STR_DATA),
                                   &off, 1, "");
    return make_str(lw, p, pj_i64(lw, 1), kind, pj_part(lw, s, STR_MEMINFO),
                    pj_part(lw, s, STR_PARENT));
}

/* i as an index into s, negative ones from the end; IndexError when it is
   outside. */
static LLVMValueRef
checked_index(PjLower *lw, LLVMValueRef s, LLVMValueRef i)
{
    LLVMValueRef n = str_len(lw, s);
    LLVMValueRef neg = LLVMBuildICmp(lw->b, LLVMIntSLT, i, pj_i64(lw, 0), "");
    i = LLVMBuildSelect(lw->b, neg, LLVMBuildAdd(lw->b, i, n, ""), i, "");
    pj_lower_check(lw, LLVMBuildICmp(lw->b, LLVMIntUGE, i, n, ""),
                   "IndexError", "string index out of range");
    return i;
}

static LLVMValueRef
lower_getitem(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    LLVMValueRef i = ins->op == PJ_OP_GETITEM ? args[1]
                                                : pj_i64(lw, ins->sub);
    return char_view(lw, args[0], checked_index(lw, args[0], i));
}

static const PjImpl impl_getitem = {"getitem", lower_getitem, true, false};

static LLVMValueRef
slice_of(PjLower *lw, LLVMValueRef s, LLVMValueRef *bounds, int given)
{
    LLVMTypeRef p[6] = {lw->t_ptr, lw->t_i64, lw->t_i64, lw->t_i64,
                        lw->t_i32};
    LLVMValueRef a[6] = {spill(lw, s), bounds[0], bounds[1], bounds[2],
                         pj_i32(lw, given)};
    return call_making(lw, "pj_rt_str_slice", p, a, 5);
}

static LLVMValueRef
lower_slice(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    LLVMValueRef b[3];
    for (unsigned k = 0; k < 3; k++) {
        b[k] = pj_part(lw, args[1], k);
    }
    return slice_of(lw, args[0], b, ins->argtys[1]->ident);
}

static const PjImpl impl_slice = {"getslice", lower_slice, true, true};

/* s[a:b:c] with constant bounds (ins->obj, a slice object). */
static LLVMValueRef
lower_const_slice(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    static const char *const names[3] = {"start", "stop", "step"};
    LLVMValueRef b[3];
    int given = 0;
    for (int k = 0; k < 3; k++) {
        PyObject *v = PyObject_GetAttrString(ins->obj, names[k]);
        long long x = v && v != Py_None ? PyLong_AsLongLong(v) : 0;
        given |= v && v != Py_None ? 1 << k : 0;
        Py_XDECREF(v);
        PyErr_Clear();
        b[k] = pj_i64(lw, x);
    }
    return slice_of(lw, args[0], b, given);
}

static const PjImpl impl_const_slice = {"getslice", lower_const_slice, true,
                                        true};

int
pj_unicode_type_getitem(PjCompile *cx, PjInstr *ins, PjType *Py_UNUSED(t),
                        PjType *idx)
{
    PjType *u = pj_type_unicode();
    if (idx == NULL) {
        if (ins->obj != NULL && PySlice_Check(ins->obj)) {
            return choose(cx, ins, &impl_const_slice, u, &u, 1);
        }
        return choose(cx, ins, &impl_getitem, u, &u, 1);
    }
    if (pj_type_is_slice(idx)) {
        return choose(cx, ins, &impl_slice, u, (PjType *[]){u, idx}, 2);
    }
    if (!pj_type_is_intlike(idx)) {
        return 1;
    }
    return choose(cx, ins, &impl_getitem, u, (PjType *[]){u, pj_t.i64}, 2);
}

/* --- iteration: the string and the next index --- */

PjType *
pj_unicode_iter_type(PjType *Py_UNUSED(t))
{
    PjType *u = pj_type_unicode();
    return pj_type_iterator(PJ_TK_UNICODE_ITER, &u, 1, u);
}

LLVMValueRef
pj_unicode_lower_iter(PjLower *lw, LLVMValueRef s, PjType *from, PjType *it)
{
    LLVMValueRef st = LLVMGetUndef(pj_lower_type(lw, it));
    s = unicode_convert(lw, s, from, pj_type_unicode());
    st = LLVMBuildInsertValue(lw->b, st, s, 0, "");
    return LLVMBuildInsertValue(lw->b, st, pj_i64(lw, 0), 1, "");
}

static LLVMTypeRef
unicode_iter_llvm_type(PjLower *lw, PjType *Py_UNUSED(it))
{
    LLVMTypeRef f[2] = {str_type(lw), lw->t_i64};
    return LLVMStructTypeInContext(lw->ctx, f, 2, 0);
}

static LLVMValueRef
unicode_iternext(PjLower *lw, PjType *it, LLVMValueRef state,
                 LLVMValueRef *ok)
{
    LLVMTypeRef st = pj_lower_type(lw, it);
    LLVMValueRef ps = LLVMBuildStructGEP2(lw->b, st, state, 0, "");
    LLVMValueRef pi = LLVMBuildStructGEP2(lw->b, st, state, 1, "");
    LLVMValueRef s = LLVMBuildLoad2(lw->b, str_type(lw), ps, "");
    LLVMValueRef i = LLVMBuildLoad2(lw->b, lw->t_i64, pi, "");
    *ok = LLVMBuildICmp(lw->b, LLVMIntSLT, i, str_len(lw, s), "");
    LLVMBuildStore(lw->b, LLVMBuildAdd(lw->b, i, pj_i64(lw, 1), ""), pi);
    /* past the end the view is never read: its address is not formed */
    LLVMValueRef at = LLVMBuildSelect(lw->b, *ok, i, pj_i64(lw, 0), "");
    return char_view(lw, s, at);
}

static void
unicode_iter_meminfo(PjLower *lw, LLVMValueRef v, PjType *it,
                     LLVMValueRef valid, PjMemFn f)
{
    pj_lower_field_meminfo(lw, v, 0, it->elems[0], valid, f);
}

/* --- operators --- */

static LLVMValueRef
lower_concat(PjLower *lw, PjInstr *Py_UNUSED(ins), LLVMValueRef *args)
{
    LLVMTypeRef p[3] = {lw->t_ptr, lw->t_ptr};
    LLVMValueRef a[3] = {spill(lw, args[0]), spill(lw, args[1])};
    return call_making(lw, "pj_rt_str_concat", p, a, 2);
}

static const PjImpl impl_concat = {"concat", lower_concat, true, true};

/* s * n or n * s */
static LLVMValueRef
lower_repeat(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    bool str_first = ins->argtys[0]->kind == PJ_TK_UNICODE;
    LLVMTypeRef p[3] = {lw->t_ptr, lw->t_i64};
    LLVMValueRef a[3] = {spill(lw, args[str_first ? 0 : 1]),
                         args[str_first ? 1 : 0]};
    return call_making(lw, "pj_rt_str_repeat", p, a, 2);
}

static const PjImpl impl_repeat = {"repeat", lower_repeat, true, true};

static LLVMBasicBlockRef
new_block(PjLower *lw, const char *name)
{
    return LLVMAppendBasicBlockInContext(lw->ctx, lw->func, name);
}

/* The first code point of the non-empty string s, an i32, read in its
   width (a branch per width: LLVM folds it when the width is known). */
static LLVMValueRef
first_code_point(PjLower *lw, LLVMValueRef s)
{
    static const unsigned widths[3] = {1, 2, 4};
    LLVMValueRef data = pj_part(lw, s, STR_DATA);
    LLVMBasicBlockRef done = new_block(lw, "str.char");
    LLVMBasicBlockRef at[3], from[3];
    LLVMValueRef cps[3];
    for (int k = 0; k < 3; k++) {
        at[k] = new_block(lw, "str.width");
    }
    LLVMValueRef sw = LLVMBuildSwitch(lw->b, pj_part(lw, s, STR_KIND), at[2],
                                      2);
    LLVMAddCase(sw, pj_i32(lw, 1), at[0]);
    LLVMAddCase(sw, pj_i32(lw, 2), at[1]);
    for (int k = 0; k < 3; k++) {
        LLVMPositionBuilderAtEnd(lw->b, at[k]);
        LLVMTypeRef t = LLVMIntTypeInContext(lw->ctx, widths[k] * 8);
        cps[k] = LLVMBuildZExtOrBitCast(lw->b, LLVMBuildLoad2(lw->b, t, data,
                                                              ""),
                                        lw->t_i32, "");
        from[k] = LLVMGetInsertBlock(lw->b);
        LLVMBuildBr(lw->b, done);
    }
    LLVMPositionBuilderAtEnd(lw->b, done);
    LLVMValueRef phi = LLVMBuildPhi(lw->b, lw->t_i32, "");
    LLVMAddIncoming(phi, cps, from, 3);
    return phi;
}

/* a == b: strings of one character compare here, others of equal length
   in the helper. */
static LLVMValueRef
str_eq(PjLower *lw, LLVMValueRef a, LLVMValueRef b)
{
    LLVMValueRef la = str_len(lw, a), lb = str_len(lw, b);
    LLVMBasicBlockRef start = LLVMGetInsertBlock(lw->b);
    LLVMBasicBlockRef same = new_block(lw, "str.samelen");
    LLVMBasicBlockRef one = new_block(lw, "str.onechar");
    LLVMBasicBlockRef many = new_block(lw, "str.chars");
    LLVMBasicBlockRef done = new_block(lw, "str.eq");
    LLVMBuildCondBr(lw->b, LLVMBuildICmp(lw->b, LLVMIntEQ, la, lb, ""), same,
                    done);
    LLVMPositionBuilderAtEnd(lw->b, same);
    LLVMBuildCondBr(lw->b, LLVMBuildICmp(lw->b, LLVMIntEQ, la, pj_i64(lw, 1),
                                         ""), one, many);
    LLVMPositionBuilderAtEnd(lw->b, one);
    LLVMValueRef eq1 = LLVMBuildICmp(lw->b, LLVMIntEQ,
                                     first_code_point(lw, a),
                                     first_code_point(lw, b), "");
    LLVMBasicBlockRef one_end = LLVMGetInsertBlock(lw->b);
    LLVMBuildBr(lw->b, done);
    LLVMPositionBuilderAtEnd(lw->b, many);
    LLVMValueRef r = call_on_two(lw, "pj_rt_str_eq", lw->t_i32, a, b);
    LLVMValueRef eqn = LLVMBuildICmp(lw->b, LLVMIntNE, r, pj_i32(lw, 0), "");
    LLVMBuildBr(lw->b, done);
    LLVMPositionBuilderAtEnd(lw->b, done);
    LLVMValueRef phi = LLVMBuildPhi(lw->b, lw->t_i1, "");
    LLVMValueRef vals[3] = {LLVMConstInt(lw->t_i1, 0, 0), eq1, eqn};
    LLVMBasicBlockRef from[3] = {start, one_end, many};
    LLVMAddIncoming(phi, vals, from, 3);
    return phi;
}

/* a <op> b for two strings, op one of == != < <= > >=. */
LLVMValueRef
pj_lower_compare_str(PjLower *lw, int op, LLVMValueRef a, LLVMValueRef b)
{
    static const LLVMIntPredicate preds[] = {
        [PJ_CMP_LT] = LLVMIntSLT, [PJ_CMP_LE] = LLVMIntSLE,
        [PJ_CMP_GT] = LLVMIntSGT, [PJ_CMP_GE] = LLVMIntSGE,
    };
    if (op == PJ_CMP_EQ || op == PJ_CMP_NE) {
        LLVMValueRef eq = str_eq(lw, a, b);
        return op == PJ_CMP_EQ ? eq : LLVMBuildNot(lw->b, eq, "");
    }
    LLVMValueRef c = call_on_two(lw, "pj_rt_str_cmp", lw->t_i32, a, b);
    return LLVMBuildICmp(lw->b, preds[op], c, pj_i32(lw, 0), "");
}

static LLVMValueRef
lower_compare(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    return pj_lower_compare_str(lw, ins->sub, args[0], args[1]);
}

static const PjImpl impl_compare = {"compare", lower_compare, false, false};

/* Where sub occurs in s[start:end] (-1: nowhere); reverse: the last. */
static LLVMValueRef
str_find(PjLower *lw, LLVMValueRef s, LLVMValueRef sub, LLVMValueRef start,
         LLVMValueRef end, bool reverse)
{
    LLVMTypeRef p[5] = {lw->t_ptr, lw->t_ptr, lw->t_i64, lw->t_i64,
                        lw->t_i32};
    LLVMValueRef a[5] = {spill(lw, s), spill(lw, sub), start, end,
                         pj_i32(lw, reverse)};
    return pj_lower_helper(lw, "pj_rt_str_find", lw->t_i64, p, a, 5);
}

/* sub in s */
static LLVMValueRef
lower_contains(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    LLVMValueRef at = str_find(lw, args[1], args[0], pj_i64(lw, 0),
                               pj_i64(lw, INT64_MAX), false);
    LLVMValueRef found = LLVMBuildICmp(lw->b, LLVMIntSGE, at, pj_i64(lw, 0),
                                       "");
    return ins->sub == PJ_CMP_IN ? found : LLVMBuildNot(lw->b, found, "");
}

static const PjImpl impl_contains = {"contains", lower_contains, false,
                                     false};

static int
type_compare(PjCompile *cx, PjInstr *ins, PjType *u)
{
    switch (ins->sub) {
    case PJ_CMP_IN:
    case PJ_CMP_NOTIN:
        return pj_choose2(cx, ins, &impl_contains, pj_t.boolean, u, u);
    case PJ_CMP_IS:
    case PJ_CMP_ISNOT:
        return 1;
    default:
        return pj_choose2(cx, ins, &impl_compare, pj_t.boolean, u, u);
    }
}

/* not s */
static LLVMValueRef
lower_not(PjLower *lw, PjInstr *Py_UNUSED(ins), LLVMValueRef *args)
{
    return LLVMBuildNot(lw->b, unicode_truth(lw, args[0], NULL), "");
}

static const PjImpl impl_not = {"not", lower_not, false, false};

/* s == x and s != x for a number or None x: never equal, as in Python. */
static LLVMValueRef
lower_never_equal(PjLower *lw, PjInstr *ins, LLVMValueRef *Py_UNUSED(args))
{
    return LLVMConstInt(lw->t_i1, ins->sub == PJ_CMP_NE, 0);
}

static const PjImpl impl_never_equal = {"compare", lower_never_equal, false,
                                        false};

static bool
number_or_none(PjType *t)
{
    return pj_type_is_number(t) || t->kind == PJ_TK_NONE;
}

int
pj_unicode_type_operator(PjCompile *cx, PjInstr *ins, PjType *a, PjType *b)
{
    PjType *u = pj_type_unicode();
    bool both = b != NULL && pj_type_is_str(a) && pj_type_is_str(b);
    if (ins->op == PJ_OP_UNARY && ins->sub == PJ_UN_NOT) {
        return pj_choose(cx, ins, &impl_not, pj_t.boolean, &u, 1);
    }
    if (ins->op == PJ_OP_COMPARE && !both && b != NULL
        && (ins->sub == PJ_CMP_EQ || ins->sub == PJ_CMP_NE)
        && (number_or_none(a) || number_or_none(b))) {
        PjType *x = pj_type_is_str(a) ? u : a, *y = pj_type_is_str(b) ? u : b;
        return pj_choose2(cx, ins, &impl_never_equal, pj_t.boolean, x, y);
    }
    if (ins->op == PJ_OP_COMPARE) {
        return both ? type_compare(cx, ins, u) : 1;
    }
    if ((ins->op != PJ_OP_BINOP && ins->op != PJ_OP_INPLACE) || b == NULL) {
        return 1;
    }
    if (ins->sub == PJ_BIN_ADD && both) {
        return choose(cx, ins, &impl_concat, u, (PjType *[]){u, u}, 2);
    }
    if (ins->sub == PJ_BIN_MUL && pj_type_is_str(a)
        && pj_type_is_intlike(b)) {
        return choose(cx, ins, &impl_repeat, u, (PjType *[]){u, pj_t.i64}, 2);
    }
    if (ins->sub == PJ_BIN_MUL && pj_type_is_str(b)
        && pj_type_is_intlike(a)) {
        return choose(cx, ins, &impl_repeat, u, (PjType *[]){pj_t.i64, u}, 2);
    }
    return 1;
}

/* --- hashing and equality, for dict and set keys --- */

/* Marks the helper `name` as only reading memory, and not otherwise
   observable: LLVM may merge two calls with the same arguments when
   nothing is written between them (one key hashed for d.get(k) and
   then for d[k] = v). */
static void
reads_only(PjLower *lw, const char *name)
{
    LLVMValueRef f = LLVMGetNamedFunction(lw->mod, name);
    const char *attrs[] = {"nounwind", "willreturn", "nosync"};
    for (int i = 0; i < 3; i++) {
        unsigned k = LLVMGetEnumAttributeKindForName(attrs[i],
                                                     strlen(attrs[i]));
        LLVMAddAttributeAtIndex(f, LLVMAttributeFunctionIndex,
                                LLVMCreateEnumAttribute(lw->ctx, k, 0));
    }
    unsigned mem = LLVMGetEnumAttributeKindForName("memory", 6);
    enum { READ_ALL = 0x15 };       /* ref for argument, inaccessible and
                                       other memory: memory(read) */
    LLVMAddAttributeAtIndex(f, LLVMAttributeFunctionIndex,
                            LLVMCreateEnumAttribute(lw->ctx, mem, READ_ALL));
}

/* hash(s): the hash it carries, or CPython's of its code points, from
   its parts passed by value so that calls on one string merge. */
static LLVMValueRef
unicode_hash(PjLower *lw, LLVMValueRef v, PjType *Py_UNUSED(t))
{
    LLVMTypeRef p[4] = {lw->t_ptr, lw->t_i64, lw->t_i32, lw->t_i64};
    LLVMValueRef a[4] = {pj_part(lw, v, STR_DATA), pj_part(lw, v, STR_LENGTH),
                         pj_part(lw, v, STR_KIND), pj_part(lw, v, STR_HASH)};
    LLVMValueRef h = pj_lower_helper(lw, "pj_rt_str_hash", lw->t_i64, p, a,
                                     4);
    reads_only(lw, "pj_rt_str_hash");
    return h;
}

static LLVMValueRef
unicode_eq(PjLower *lw, LLVMValueRef v, LLVMValueRef w, PjType *Py_UNUSED(t))
{
    return str_eq(lw, v, w);
}

/* --- ord(), chr() --- */

static LLVMValueRef
lower_ord(PjLower *lw, PjInstr *Py_UNUSED(ins), LLVMValueRef *args)
{
    LLVMValueRef n = str_len(lw, args[0]);
    LLVMValueRef bad = LLVMBuildICmp(lw->b, LLVMIntNE, n, pj_i64(lw, 1), "");
    pj_lower_raise_if(lw, bad, "pj_rt_str_raise_ord", &lw->t_i64, &n, 1);
    return LLVMBuildZExt(lw->b, first_code_point(lw, args[0]), lw->t_i64,
                         "");
}

static const PjImpl impl_ord = {"ord", lower_ord, true, false};

int
pj_type_ord(PjCompile *cx, PjInstr *ins, const PjCallable *Py_UNUSED(fn),
            PjType **args, int n)
{
    PjType *u = pj_type_unicode();
    if (n != 1 || !pj_type_is_str(args[0])) {
        return 1;
    }
    return choose(cx, ins, &impl_ord, pj_t.i64, &u, 1);
}

static LLVMValueRef
lower_chr(PjLower *lw, PjInstr *Py_UNUSED(ins), LLVMValueRef *args)
{
    LLVMTypeRef p[2] = {lw->t_i64};
    LLVMValueRef a[2] = {args[0]};
    return call_making(lw, "pj_rt_str_chr", p, a, 1);
}

static const PjImpl impl_chr = {"chr", lower_chr, true, true};

int
pj_type_chr(PjCompile *cx, PjInstr *ins, const PjCallable *Py_UNUSED(fn),
            PjType **args, int n)
{
    if (n != 1 || !pj_type_is_intlike(args[0])) {
        return 1;
    }
    return choose(cx, ins, &impl_chr, pj_type_unicode(), &pj_t.i64, 1);
}

/* --- print --- */

/* print()'s item of a string: flags as for pj_rt_print. */
void
pj_lower_print_str(PjLower *lw, LLVMValueRef v, PjType *t, int flags)
{
    v = unicode_convert(lw, v, t, pj_type_unicode());
    LLVMTypeRef p[2] = {lw->t_ptr, lw->t_i32};
    LLVMValueRef a[2] = {spill(lw, v), pj_i32(lw, flags)};
    pj_lower_helper(lw, "pj_rt_str_print", lw->t_void, p, a, 2);
}

/* --- calls into CPython: methods, str(), int(), float(), format() ---

   Arguments travel as PjStrArg (pyjit.h), the result comes back as one. */

static LLVMTypeRef
arg_type(PjLower *lw)
{
    LLVMTypeRef f[4] = {lw->t_i64, lw->t_i64, lw->t_f64, str_type(lw)};
    return LLVMStructTypeInContext(lw->ctx, f, 4, 0);
}

static int
tag_of(PjType *t)
{
    if (pj_type_is_exception(t)) {
        return PJ_STRARG_EXCEPTION;
    }
    switch (t->kind) {
    case PJ_TK_UNICODE: return PJ_STRARG_STR;
    case PJ_TK_BOOL: return PJ_STRARG_BOOL;
    case PJ_TK_UINT: return PJ_STRARG_UINT;
    case PJ_TK_FLOAT: return PJ_STRARG_FLOAT;
    case PJ_TK_NONE: return PJ_STRARG_NONE;
    default: return PJ_STRARG_INT;
    }
}

/* Stores the value v of type t as argument i of the array args. */
static void
store_arg(PjLower *lw, LLVMValueRef args, int i, LLVMValueRef v, PjType *t)
{
    LLVMTypeRef at = arg_type(lw);
    LLVMValueRef idx[2] = {pj_i64(lw, i), pj_i32(lw, 0)};
    LLVMValueRef p = LLVMBuildGEP2(lw->b, at, args, idx, 1, "");
    int tag = tag_of(t);
    LLVMBuildStore(lw->b, pj_i64(lw, tag), LLVMBuildStructGEP2(lw->b, at, p,
                                                              0, ""));
    if (tag == PJ_STRARG_STR) {
        LLVMBuildStore(lw->b, v, LLVMBuildStructGEP2(lw->b, at, p, 3, ""));
    }
    else if (tag == PJ_STRARG_FLOAT) {
        v = t->bits == 32 ? LLVMBuildFPExt(lw->b, v, lw->t_f64, "") : v;
        LLVMBuildStore(lw->b, v, LLVMBuildStructGEP2(lw->b, at, p, 2, ""));
    }
    else if (tag == PJ_STRARG_EXCEPTION) {
        v = LLVMBuildPtrToInt(lw->b, v, lw->t_i64, "");
        LLVMBuildStore(lw->b, v, LLVMBuildStructGEP2(lw->b, at, p, 1, ""));
    }
    else if (tag != PJ_STRARG_NONE) {
        v = LLVMBuildZExtOrBitCast(lw->b, v, lw->t_i64, "");
        if (t->kind == PJ_TK_INT) {
            v = LLVMBuildSExt(lw->b, LLVMBuildTrunc(
                lw->b, v, LLVMIntTypeInContext(lw->ctx, (unsigned)t->bits),
                ""), lw->t_i64, "");
        }
        LLVMBuildStore(lw->b, v, LLVMBuildStructGEP2(lw->b, at, p, 1, ""));
    }
}

/* Calls `name` on CPython with the values vals[0..n) of types ts, and
   returns its result as type `res` (a string, an integer, bool or float;
   the helper checked it). */
static LLVMValueRef
call_cpython(PjLower *lw, const char *name, bool method, LLVMValueRef *vals,
             PjType **ts, int n, PjType *res)
{
    LLVMTypeRef at = arg_type(lw);
    LLVMValueRef args = pj_lower_alloca(lw, LLVMArrayType2(at, (unsigned)n),
                                        "args");
    for (int i = 0; i < n; i++) {
        store_arg(lw, args, i, vals[i], ts[i]);
    }
    LLVMValueRef out = pj_lower_alloca(lw, at, "result");
    LLVMTypeRef p[5] = {lw->t_ptr, lw->t_i32, lw->t_ptr, lw->t_i32,
                        lw->t_ptr};
    LLVMValueRef a[5] = {pj_lower_cstring(lw, name), pj_i32(lw, method),
                         args, pj_i32(lw, n), out};
    check_status(lw, pj_lower_helper(lw, "pj_rt_str_call", lw->t_i32, p, a,
                                     5));
    if (res->kind == PJ_TK_UNICODE) {
        return LLVMBuildLoad2(lw->b, str_type(lw), LLVMBuildStructGEP2(
            lw->b, at, out, 3, ""), "");
    }
    if (res->kind == PJ_TK_FLOAT) {
        return LLVMBuildLoad2(lw->b, lw->t_f64, LLVMBuildStructGEP2(
            lw->b, at, out, 2, ""), "");
    }
    LLVMValueRef i = LLVMBuildLoad2(lw->b, lw->t_i64, LLVMBuildStructGEP2(
        lw->b, at, out, 1, ""), "");
    return res->kind == PJ_TK_BOOL
           ? LLVMBuildICmp(lw->b, LLVMIntNE, i, pj_i64(lw, 0), "") : i;
}

/* str(x), int(s), float(s): CPython's conversions, their results and
   their errors. */
static LLVMValueRef
lower_convert_call(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    const char *name = ins->plan.ptr;
    int n = ins->call->nparams;
    for (int i = 0; i < n; i++) {
        args[i] = unicode_convert(lw, args[i], ins->argtys[i],
                                  ins->argtys[i]);
    }
    return call_cpython(lw, name, false, args, ins->argtys, n, ins->resty);
}

static const PjImpl impl_convert_call = {"conversion", lower_convert_call,
                                         true, false};
static const PjImpl impl_convert_to_str = {"conversion", lower_convert_call,
                                           true, true};

/* int(s), int(s, base), float(s): n arguments, a string then an
   integer. */
int
pj_unicode_type_parse(PjCompile *cx, PjInstr *ins, int n, PjType *to)
{
    PjType *argtys[2] = {pj_type_unicode(), pj_t.i64};
    const char *name = to == pj_t.f64 ? "float" : "int";
    RETURN_IF_ERROR(pj_choose_plan(cx, ins, &impl_convert_call, to, argtys, n,
                                   (PjPlan){.ptr = name}));
    cx->can_raise = true;
    return 0;
}

/* str(n) of an integer and str(x) of a float, natively; the digits of a
   float are CPython's repr. */
static LLVMValueRef
lower_str_of_number(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *t = ins->argtys[0];
    LLVMTypeRef p[2] = {t->kind == PJ_TK_FLOAT ? lw->t_f64 : lw->t_i64};
    LLVMValueRef a[2] = {args[0]};
    const char *helper = t->kind == PJ_TK_FLOAT ? "pj_rt_str_from_float"
                         : t->kind == PJ_TK_UINT ? "pj_rt_str_from_uint"
                         : "pj_rt_str_from_int";
    return call_making(lw, helper, p, a, 1);
}

static const PjImpl impl_str_of_number = {"str", lower_str_of_number, true,
                                          true};

static LLVMValueRef
lower_str_of_str(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    if (ins->call->nparams == 0) {
        return make_str(lw, pj_lower_bytes(lw, "", 1), pj_i64(lw, 0),
                        pj_i32(lw, 1), LLVMConstNull(lw->t_ptr),
                        LLVMConstNull(lw->t_ptr));
    }
    return args[0];
}

static const PjImpl impl_str_of_str = {"str", lower_str_of_str, false,
                                       false};

int
pj_type_str_call(PjCompile *cx, PjInstr *ins, const PjCallable *Py_UNUSED(fn),
                 PjType **args, int n)
{
    PjType *u = pj_type_unicode();
    if (n == 0 || pj_type_is_str(args[0])) {
        return pj_choose(cx, ins, &impl_str_of_str, u, &u, n);
    }
    PjType *t = args[0];
    if (pj_type_is_exception(t)) {
        return pj_exception_type_str(cx, ins);
    }
    if (pj_type_is_integer(t) || t->kind == PJ_TK_FLOAT) {
        PjType *to = t->kind == PJ_TK_FLOAT ? pj_t.f64
                     : t->kind == PJ_TK_UINT ? pj_t.u64 : pj_t.i64;
        return choose(cx, ins, &impl_str_of_number, u, &to, 1);
    }
    if (t->kind != PJ_TK_BOOL && t->kind != PJ_TK_NONE) {
        return 1;
    }
    RETURN_IF_ERROR(pj_choose_plan(cx, ins, &impl_convert_to_str, u, &t, 1,
                                   (PjPlan){.ptr = "str"}));
    cx->can_raise = true;
    return 0;
}

/* Whether values of type t cross into CPython as PjStrArg. */
static bool
crosses(PjType *t)
{
    return pj_type_is_str(t) || pj_type_is_intlike(t)
           || t->kind == PJ_TK_FLOAT || t->kind == PJ_TK_NONE
           || pj_type_is_exception(t);
}

static PjType *
crossing_type(PjType *t)
{
    return pj_type_str_value(t);
}

/* repr(x), ascii(x), format(x, spec): CPython's, on a string or a
   number; the row names the builtin. */
static int
type_cpython_call(PjCompile *cx, PjInstr *ins, const PjCallable *fn,
                  PjType **args, int n)
{
    PjType *argtys[2];
    for (int i = 0; i < n; i++) {
        if (args[i] == NULL || !crosses(args[i])) {
            return 1;
        }
        argtys[i] = crossing_type(args[i]);
    }
    RETURN_IF_ERROR(pj_choose_plan(cx, ins, &impl_convert_to_str,
                                   pj_type_unicode(), argtys, n,
                                   (PjPlan){.ptr = fn->impl}));
    cx->can_raise = true;
    return 0;
}

int
pj_type_repr_call(PjCompile *cx, PjInstr *ins, const PjCallable *fn,
                  PjType **args, int n)
{
    return type_cpython_call(cx, ins, fn, args, n);
}

/* format(x) of a string or a number without a spec is str(x); the rest
   is CPython's. */
int
pj_type_format_call(PjCompile *cx, PjInstr *ins, const PjCallable *fn,
                    PjType **args, int n)
{
    if (n == 1 && (pj_type_is_str(args[0]) || pj_type_is_integer(args[0])
                   || args[0]->kind == PJ_TK_FLOAT)) {
        return pj_type_str_call(cx, ins, fn, args, n);
    }
    return type_cpython_call(cx, ins, fn, args, n);
}

/* raise Cls(args) with strings and numbers computed at run time: the
   exception is made from them when it is raised. */
static LLVMValueRef
lower_raise_values(PjLower *lw, PjInstr *ins, LLVMValueRef *vals)
{
    PyObject *module = PyObject_GetAttrString(ins->obj, "__module__");
    PyObject *qualname = PyObject_GetAttrString(ins->obj, "__qualname__");
    LLVMValueRef r = NULL;
    if (module && qualname && PyUnicode_Check(module)) {
        LLVMTypeRef at = arg_type(lw);
        LLVMValueRef args = pj_lower_alloca(
            lw, LLVMArrayType2(at, (unsigned)ins->nsrc), "args");
        for (int i = 0; i < ins->nsrc; i++) {
            store_arg(lw, args, i, vals[i], ins->argtys[i]);
        }
        LLVMTypeRef p[5] = {lw->t_ptr, lw->t_ptr, lw->t_ptr, lw->t_i32,
                            lw->t_ptr};
        LLVMValueRef a[5] = {pj_lower_cstring(lw, PyUnicode_AsUTF8(module)),
                             pj_lower_cstring(lw, PyUnicode_AsUTF8(qualname)),
                             args, pj_i32(lw, ins->nsrc),
                             pj_lower_class_cache(lw)};
        r = pj_lower_helper(lw, "pj_rt_str_raise", lw->t_void, p, a, 5);
    }
    else if (!PyErr_Occurred()) {
        pj_diag(lw->cx, PJ_ERR_LOWERING, ins->loc, "cannot raise %s: it has "
                "no module name", ((PyTypeObject *)ins->obj)->tp_name);
    }
    Py_XDECREF(module);
    Py_XDECREF(qualname);
    return r;
}

static const PjImpl impl_raise_values = {"raise", lower_raise_values, true,
                                         false};

int
pj_type_raise_values(PjCompile *cx, PjInstr *ins, PjType **types, int n)
{
    PjType *argtys[PJ_MAX_ARGS];
    for (int i = 0; i < n; i++) {
        if (!crosses(types[i])) {
            return 1;
        }
        argtys[i] = crossing_type(types[i]);
    }
    return pj_choose(cx, ins, &impl_raise_values, pj_t.none, argtys, n);
}

/* --- methods ---

   Each row: the method, its parameters after self ('s' a string, 'i' an
   integer, 'I' an integer or None; those after '|' may be left out), what
   it returns ('s' a string, 'b' a bool, 'i' an int), and for those that
   run natively the helper (NULL: CPython's method) and its last argument:
   whether it searches from the end (-1: it has none).  The str methods
   written in Python are pyjit/_unicode.py's. */
typedef struct {
    const char *name, *params;
    char result;
    const char *helper;
    int from_end;
} StrMethod;

static const StrMethod methods[] = {
    {"startswith", "s|II", 'b', "pj_rt_str_tailmatch", 0},
    {"endswith", "s|II", 'b', "pj_rt_str_tailmatch", 1},
    {"find", "s|II", 'i', "pj_rt_str_find", 0},
    {"rfind", "s|II", 'i', "pj_rt_str_find", 1},
    {"count", "s|II", 'i', "pj_rt_str_count", -1},
    {"index", "s|II", 'i', NULL, 0},
    {"rindex", "s|II", 'i', NULL, 0},
    {"replace", "ss|i", 's', NULL, 0},
    {"upper", "", 's', NULL, 0},
    {"lower", "", 's', NULL, 0},
    {"casefold", "", 's', NULL, 0},
    {"swapcase", "", 's', NULL, 0},
    {"title", "", 's', NULL, 0},
    {"capitalize", "", 's', NULL, 0},
    {"isdigit", "", 'b', NULL, 0},
    {"isdecimal", "", 'b', NULL, 0},
    {"isnumeric", "", 'b', NULL, 0},
    {"isalpha", "", 'b', NULL, 0},
    {"isalnum", "", 'b', NULL, 0},
    {"isspace", "", 'b', NULL, 0},
    {"isupper", "", 'b', NULL, 0},
    {"islower", "", 'b', NULL, 0},
    {"istitle", "", 'b', NULL, 0},
    {"isidentifier", "", 'b', NULL, 0},
    {"isprintable", "", 'b', NULL, 0},
    {"isascii", "", 'b', NULL, 0},
    {"expandtabs", "|i", 's', NULL, 0},
};

static const StrMethod *
find_method(const char *name)
{
    for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
        if (strcmp(methods[i].name, name) == 0) {
            return &methods[i];
        }
    }
    return NULL;
}

/* The type argument `t` takes for parameter spec c, or NULL when it does
   not fit. */
static PjType *
param_type(char c, PjType *t)
{
    if (t->kind == PJ_TK_NONE) {
        return c == 'I' ? pj_t.none : NULL;
    }
    if (c == 's') {
        return pj_type_is_str(t) ? pj_type_unicode() : NULL;
    }
    return pj_type_is_intlike(t) ? pj_t.i64 : NULL;
}

static PjType *
result_type(char c)
{
    return c == 's' ? pj_type_unicode() : c == 'b' ? pj_t.boolean : pj_t.i64;
}

int
pj_unicode_type_method(PjCompile *cx, PjInstr *ins, PjType *Py_UNUSED(t),
                       const char *name, PjType **args, int n)
{
    const StrMethod *m = find_method(name);
    if (m == NULL) {
        return 1;
    }
    const char *bar = strchr(m->params, '|');
    int required = bar ? (int)(bar - m->params) : (int)strlen(m->params);
    int total = (int)strlen(m->params) - (bar != NULL);
    if (n < required || n > total) {
        return 1;
    }
    PjType *argtys[8] = {pj_type_unicode()};
    const char *spec = m->params;
    for (int i = 0; i < n; i++, spec++) {
        spec += *spec == '|';
        if ((argtys[i + 1] = param_type(*spec, args[i])) == NULL) {
            return 1;
        }
    }
    const PjImpl *impl = m->helper ? &impl_native_method : &impl_method;
    RETURN_IF_ERROR(pj_choose_plan(cx, ins, impl, result_type(m->result),
                                   argtys, n + 1, (PjPlan){.ptr = m}));
    cx->can_raise |= impl->can_raise;
    return 0;
}

/* self of s.method(): the bound method holds it, unless it is a
   constant. */
static LLVMValueRef
method_self(PjLower *lw, PjInstr *ins, LLVMValueRef self)
{
    PjType *bound = ins->src[0]->type;
    return unicode_convert(lw, self, bound->elems[0], pj_type_unicode());
}

static LLVMValueRef
lower_method(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    const StrMethod *m = ins->plan.ptr;
    int n = ins->call->nparams + 1;
    args[0] = method_self(lw, ins, args[0]);
    return call_cpython(lw, m->name, true, args, ins->argtys, n, ins->resty);
}

static const PjImpl impl_method = {"str method", lower_method, true, true};

/* Argument i of a search method, or its default: start 0, end the end. */
static LLVMValueRef
search_bound(PjLower *lw, PjInstr *ins, LLVMValueRef *args, int i)
{
    if (i < ins->call->nparams + 1 && ins->argtys[i]->kind != PJ_TK_NONE) {
        return args[i];
    }
    return pj_i64(lw, i == 2 ? 0 : INT64_MAX);
}

static LLVMValueRef
lower_native_method(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    const StrMethod *m = ins->plan.ptr;
    LLVMTypeRef p[5] = {lw->t_ptr, lw->t_ptr, lw->t_i64, lw->t_i64,
                        lw->t_i32};
    LLVMValueRef a[5] = {spill(lw, method_self(lw, ins, args[0])),
                         spill(lw, args[1]), search_bound(lw, ins, args, 2),
                         search_bound(lw, ins, args, 3),
                         pj_i32(lw, m->from_end)};
    LLVMValueRef r = pj_lower_helper(lw, m->helper,
                                     m->result == 'b' ? lw->t_i32 : lw->t_i64,
                                     p, a, m->from_end < 0 ? 4 : 5);
    return m->result == 'b'
           ? LLVMBuildICmp(lw->b, LLVMIntNE, r, pj_i32(lw, 0), "") : r;
}

static const PjImpl impl_native_method = {"str method", lower_native_method,
                                          false, false};

int
pj_unicode_type_getattr(PjCompile *cx, PjInstr *ins, PjType *t)
{
    if (find_method(ins->name) == NULL
        && pj_library_method(t, ins->name, false) == NULL) {
        return 1;
    }
    PjType *b = pj_type_bound(cx->arena, t, ins->name);
    return b ? pj_choose(cx, ins, &pj_impl_self, b, &t, 1) : -1;
}

/* The str methods written in Python (pyjit/_unicode.py): name ->
   dispatcher, loaded when compiled code first looks one up. */
static PyObject *library;

PyObject *
pj_unicode_library_method(PjType *Py_UNUSED(t), const char *name,
                          bool Py_UNUSED(parallel))
{
    if (pj_library_table(&library, "pyjit._unicode") == NULL) {
        PyErr_Clear();
        return NULL;
    }
    return PyDict_GetItemString(library, name);
}

/* A string borrowed from an argument gets a block that keeps the str
   alive when a container takes it. */
static LLVMValueRef
unicode_keep(PjLower *lw, LLVMValueRef v, PjType *Py_UNUSED(t))
{
    return pj_lower_keep_parent(lw, v, STR_MEMINFO, STR_PARENT);
}

const PjKind pj_kind_unicode = {
    .name = "unicode_type",
    .print = print_unicode,
    .unify = pj_unicode_unify,
    .type_getattr = pj_unicode_type_getattr,
    .type_method = pj_unicode_type_method,
    .type_iterated_method = pj_str_split_type_iterated,
    .library_method = pj_unicode_library_method,
    .type_getitem = pj_unicode_type_getitem,
    .type_operator = pj_unicode_type_operator,
    .type_len = pj_unicode_type_len,
    .iter_type = pj_unicode_iter_type,
    .llvm_type = unicode_llvm_type,
    .lower_const = unicode_const,
    .lower_convert = unicode_convert,
    .lower_truth = unicode_truth,
    .lower_iter = pj_unicode_lower_iter,
    .lower_hash = unicode_hash,
    .lower_eq = unicode_eq,
    .holds_memory = unicode_holds_memory,
    .each_meminfo = unicode_meminfo,
    .lower_keep = unicode_keep,
    .can_box = unicode_can_box,
    .box = unicode_box,
    .unbox = unicode_unbox,
    .typeof = unicode_typeof,
    .init = unicode_init,
};

const PjKind pj_kind_unicode_iter = {
    .name = "iter",
    .print = pj_type_print_iterator,
    .iter_type = pj_type_iter_self,
    .llvm_type = unicode_iter_llvm_type,
    .lower_iter = pj_lower_iter_self,
    .lower_iternext = unicode_iternext,
    .holds_memory = pj_kind_elems_hold_memory,
    .each_meminfo = unicode_iter_meminfo,
};
