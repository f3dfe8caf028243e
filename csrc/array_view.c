/*
** array_view.c - an array's memory read as another type, as NumPy reads
** it: a.view(dtype), a.real and a.imag of a complex array, and the copy
** of the memory a.tobytes() makes.
**
** A view is the array's struct with another element type and other
** dimensions; it keeps the array's meminfo and parent, so it holds the
** memory alive as a slice of the array does (the variable holding it takes
** a reference, and a view returned to Python has the block or the argument
** as its base).
*/
#include "pyjit.h"

#include <string.h>

/* --- a.view(dtype) ---

   NumPy's rules (array_descr_set): an element type of the same size keeps
   the dimensions; one of another size rescales the last dimension, which
   must be contiguous (or of length 1, or the array empty): its length
   times the old size over the new, its stride the new size.  A 0-d array
   cannot change its size. */

static const char msg_0d[] = "Changing the dtype of a 0d array is only "
                             "supported if the itemsize is unchanged";
static const char msg_contiguous[] = "To change to a dtype of a different "
                                     "size, the last axis must be contiguous";
static const char msg_smaller[] = "When changing to a smaller dtype, its size "
                                  "must be a divisor of the size of original "
                                  "dtype";
static const char msg_larger[] = "When changing to a larger dtype, its size "
                                 "must be a divisor of the total size in "
                                 "bytes of the last axis of the array.";

/* The dimensions of the view as `to` of the array arr, of type at, into
   shape and strides, with NumPy's ValueErrors when there is none. */
static void
view_dims(PjLower *lw, PjType *at, LLVMValueRef arr, PjType *to,
          LLVMValueRef *shape, LLVMValueRef *strides)
{
    int nd = pj_array_ndim(at);
    int64_t old = pj_array_itemsize_bytes(at->elems[0]);
    int64_t new = pj_array_itemsize_bytes(to);
    for (int k = 0; k < nd; k++) {
        shape[k] = pj_array_dim(lw, arr, PJ_ARRAY_SHAPE, k);
        strides[k] = pj_array_dim(lw, arr, PJ_ARRAY_STRIDES, k);
    }
    if (old == new) {
        return;
    }
    LLVMValueRef yes = LLVMConstInt(lw->t_i1, 1, 0);
    if (nd == 0) {
        pj_lower_check(lw, yes, "ValueError", msg_0d);
        return;
    }
    LLVMValueRef *len = &shape[nd - 1], *step = &strides[nd - 1];
    LLVMValueRef size = pj_array_size(lw, at, arr);
    LLVMValueRef scattered = LLVMBuildAnd(lw->b, LLVMBuildAnd(
        lw->b, LLVMBuildICmp(lw->b, LLVMIntNE, *len, pj_i64(lw, 1), ""),
        LLVMBuildICmp(lw->b, LLVMIntNE, size, pj_i64(lw, 0), ""), ""),
        LLVMBuildICmp(lw->b, LLVMIntNE, *step, pj_i64(lw, old), ""), "");
    pj_lower_check(lw, scattered, "ValueError", msg_contiguous);
    if (new < old) {
        if (old % new != 0) {
            pj_lower_check(lw, yes, "ValueError", msg_smaller);
            return;
        }
        *len = LLVMBuildMul(lw->b, *len, pj_i64(lw, old / new), "");
    }
    else {
        LLVMValueRef bytes = LLVMBuildMul(lw->b, *len, pj_i64(lw, old), "");
        pj_lower_check(lw, LLVMBuildICmp(
            lw->b, LLVMIntNE, LLVMBuildSRem(lw->b, bytes, pj_i64(lw, new), ""),
            pj_i64(lw, 0), ""), "ValueError", msg_larger);
        *len = LLVMBuildSDiv(lw->b, bytes, pj_i64(lw, new), "");
    }
    *step = pj_i64(lw, new);
}

static LLVMValueRef
lower_view(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    LLVMValueRef shape[PJ_MAX_NDIM], strides[PJ_MAX_NDIM];
    view_dims(lw, ins->argtys[0], args[0], ins->resty->elems[0], shape,
              strides);
    return pj_array_with_dims(lw, args[0], ins->resty, shape, strides);
}

static const PjImpl impl_view = {"view", lower_view, true, false};

/* The layout of a.view(dtype) is a's, as Numba types it, except that an
   F array of two or more dimensions viewed with another item size is A:
   NumPy rescales its last dimension, which leaves it F only when empty. */
static int
view_flags(PjType *arr, PjType *to)
{
    bool rescaled_f = pj_array_is_f(arr) && pj_array_ndim(arr) > 1
                      && pj_array_itemsize_bytes(arr->elems[0])
                         != pj_array_itemsize_bytes(to);
    return rescaled_f ? (arr->ident & ~PJ_LAYOUTS) | PJ_LAYOUT_A : arr->ident;
}

int
pj_array_type_view(PjCompile *cx, PjInstr *ins, PjType *arr, PjType **args,
                   int n)
{
    PjType *to = n == 1 ? pj_array_dtype_named(args[0]) : NULL;
    if (to == NULL) {
        cx->why = n == 1 ? "a.view takes a number or record dtype "
                           "(np.uint8, np.dtype('int32'), a.dtype)"
                         : "a.view takes one argument, the dtype (a view "
                           "as the same dtype is a[...])";
        return 1;
    }
    PjType *res = pj_type_array(to, pj_array_ndim(arr), view_flags(arr, to));
    PjType *argtys[2] = {arr, args[0]};
    return res ? pj_array_choose(cx, ins, &impl_view, res, argtys, 2) : -1;
}

/* --- a.real, a.imag of a complex array ---

   Views of the parts: the array's dimensions over floats, at the
   element's start (real) or half way into it (imag); A, as the strides
   are twice the item size. */

enum { PART_REAL, PART_IMAG };

static LLVMValueRef
lower_part(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *at = ins->argtys[0];
    LLVMValueRef data = LLVMBuildExtractValue(lw->b, args[0], PJ_ARRAY_DATA,
                                              "");
    if (ins->plan.n == PART_IMAG) {
        LLVMValueRef half = pj_i64(
            lw, pj_array_itemsize_bytes(at->elems[0]) / 2);
        data = LLVMBuildInBoundsGEP2(lw->b, lw->t_i8, data, &half, 1, "");
    }
    return pj_array_make_view(lw, at, args[0], data, 0, ins->resty);
}

static const PjImpl impl_part = {"complex part", lower_part, false, false};

/* The part of a temporary that an element-wise operation made, as in
   `(z * w).real`: nothing else can see the temporary, so a new array of
   the parts is as good as a view of it, and as an element-wise operation
   the part joins the expression's loop (fusion.c), which then makes no
   complex array at all.  1 when the operand is not such a temporary. */
static int
type_part_of_temporary(PjCompile *cx, PjInstr *ins, PjType *arr)
{
    PjVar *v = ins->src[0];
    if (!v->is_temp || v->ndefs != 1 || v->def == NULL
        || pj_array_elementwise_nops(v->def) == 0) {
        return 1;
    }
    PjInstr *e = pj_array_elem_call(cx, ins);
    if (e == NULL) {
        return -1;
    }
    PjType *et = arr->elems[0];
    int rc = pj_kind(et)->type_getattr(cx, e, et);
    return rc != 0 ? rc : pj_array_type_map(cx, ins, e, arr, e->resty);
}

/* a.real and a.imag of a complex array; 1 for other arrays and names
   (a real array's are pyjit/_np_extra3.py's). */
int
pj_array_type_part(PjCompile *cx, PjInstr *ins, PjType *arr)
{
    static const char *const parts[] = {"real", "imag"};
    PjType *et = arr->elems[0];
    if (!pj_type_is_complex(et)) {
        return 1;
    }
    int rc = type_part_of_temporary(cx, ins, arr);
    if (rc <= 0) {
        return rc;
    }
    for (int k = 0; k < 2; k++) {
        if (strcmp(ins->name, parts[k]) != 0) {
            continue;
        }
        PjType *res = pj_type_array(pj_type_float(et->bits / 2),
                                    pj_array_ndim(arr), PJ_LAYOUT_A
                                    | (arr->ident & PJ_READONLY));
        return res ? pj_array_choose_plan(cx, ins, &impl_part, res, &arr, 1,
                                          (PjPlan){.n = k}) : -1;
    }
    return 1;
}

/* --- a.tobytes() ---

   bytes of the elements' memory in C order, whatever a's layout: a new C
   array of them, read as bytes. */

static LLVMValueRef
lower_tobytes(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *at = ins->argtys[0];
    PjType *flat = pj_type_array(at->elems[0], 1, PJ_LAYOUT_C);
    LLVMValueRef n = pj_array_size(lw, at, args[0]);
    LLVMValueRef out = pj_array_new(lw, flat, &n, false);
    pj_array_copy_into(lw, flat, out, at, args[0], n);
    LLVMValueRef nbytes = LLVMBuildMul(
        lw->b, n, pj_i64(lw, pj_array_itemsize_bytes(at->elems[0])), "");
    LLVMValueRef one = pj_i64(lw, 1);
    return pj_array_with_dims(lw, out, ins->resty, &nbytes, &one);
}

static const PjImpl impl_tobytes = {"tobytes", lower_tobytes, true, true};

int
pj_array_type_tobytes(PjCompile *cx, PjInstr *ins, PjType *arr,
                      PjType **Py_UNUSED(args), int n)
{
    if (n != 0) {
        cx->why = "a.tobytes() takes no arguments here (its bytes are in "
                  "C order)";
        return 1;
    }
    PjType *res = pj_type_array(pj_t.u8, 1, PJ_READONLY | PJ_BYTES);
    return res ? pj_array_choose(cx, ins, &impl_tobytes, res, &arr, 1) : -1;
}
