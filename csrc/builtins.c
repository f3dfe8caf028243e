/*
** builtins.c - the builtins that belong to no one kind of value: len,
** print, slice.
**
** len(x) asks the kind of x (type_len).  print(a, b, ...) hands each item
** to the runtime with its typecode; the runtime boxes it and writes to
** sys.stdout under the GIL, as print does.
*/
#include "pyjit.h"

#include <string.h>

/* len(x): the kind of x knows its length. */
int
pj_type_len(PjCompile *cx, PjInstr *ins, const PjCallable *Py_UNUSED(fn),
            PjType **args, int n)
{
    if (n != 1) {
        return 1;
    }
    const PjKind *k = pj_kind(args[0]);
    return k->type_len ? k->type_len(cx, ins, args[0]) : 1;
}

static const PjImpl impl_slice;

/* slice(stop), slice(start, stop[, step]) of integers or None. */
int
pj_type_slice_call(PjCompile *cx, PjInstr *ins,
                   const PjCallable *Py_UNUSED(fn), PjType **args, int n)
{
    if (n < 1 || n > 3) {
        return 1;
    }
    static const int one[1] = {PJ_SLICE_STOP};
    static const int parts[3] = {PJ_SLICE_START, PJ_SLICE_STOP,
                                 PJ_SLICE_STEP};
    const int *which = n == 1 ? one : parts;
    int given = 0;
    PjType *argtys[3];
    for (int i = 0; i < n; i++) {
        if (args[i]->kind == PJ_TK_NONE) {
            argtys[i] = pj_t.none;
            continue;
        }
        if (!pj_type_is_intlike(args[i])) {
            return 1;
        }
        given |= which[i];
        argtys[i] = args[i] == pj_t.u64 ? pj_t.u64 : pj_t.i64;
    }
    PjType *t = pj_type_slice(given);
    return t ? pj_choose(cx, ins, &impl_slice, t, argtys, n) : -1;
}

/* A slice bound as Python takes it (PyNumber_AsSsize_t clamps): a uint64
   from 2**63 up is 2**63 - 1, not a negative int64. */
static LLVMValueRef
slice_bound(PjLower *lw, LLVMValueRef v, PjType *t)
{
    if (t != pj_t.u64) {
        return v;
    }
    LLVMValueRef max = pj_i64(lw, INT64_MAX);
    return LLVMBuildSelect(lw->b, LLVMBuildICmp(lw->b, LLVMIntUGT, v, max,
                                                ""), max, v, "");
}

static LLVMValueRef
lower_slice(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    int n = ins->call->nparams;
    LLVMValueRef s = LLVMConstNull(LLVMArrayType2(lw->t_i64, 3));
    for (int i = 0; i < n; i++) {
        if (ins->argtys[i]->kind != PJ_TK_NONE) {
            s = LLVMBuildInsertValue(lw->b, s,
                                     slice_bound(lw, args[i], ins->argtys[i]),
                                     (unsigned)(n == 1 ? 1 : i), "");
        }
    }
    return s;
}

static const PjImpl impl_slice = {"slice", lower_slice, false, false};

/* Whether ins is a call of slice(), which only makes a value of its
   operands: an array expression may be computed past it (fusion.c). */
bool
pj_builds_slice(const PjInstr *ins)
{
    return ins->impl == &impl_slice;
}

/* Prints v, of a type that is neither a number nor a string (a tuple, a
   list, a dict, a set, an array...), as the interpreter prints the object
   it boxes to: under the GIL, which compiled code may not hold. */
static void
print_boxed(PjLower *lw, LLVMValueRef v, PjType *t, int flags)
{
    LLVMValueRef gil = pj_lower_helper(lw, "PyGILState_Ensure", lw->t_i32,
                                       NULL, NULL, 0);
    pj_lower_incref_value(lw, v, t);       /* boxing takes one */
    LLVMValueRef a[3] = {pj_kind(t)->box(lw, v, t), pj_i32(lw, flags), gil};
    LLVMTypeRef p[3] = {lw->t_ptr, lw->t_i32, lw->t_i32};
    pj_lower_helper(lw, "pj_rt_print_boxed", lw->t_void, p, a, 3);
}

/* The number type a class printed as a value names (`print(type(x))`,
   `print(np.float32)`), which Numba prints by its name, or NULL. */
static PjType *
printed_class(PjType *t)
{
    PjType *r = pj_class_target(t);
    return r != NULL && pj_type_is_number(r) ? r : NULL;
}

/* print(a, b, ...): each item goes to the runtime with its typecode; the
   runtime boxes it and writes to sys.stdout under the GIL. */
static LLVMValueRef
lower_print(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    int n = ins->call->nparams;
    LLVMValueRef slot = pj_lower_alloca(lw, LLVMArrayType2(lw->t_i64, 2),
                                        "item");
    LLVMTypeRef p[4] = {lw->t_i32, lw->t_ptr, lw->t_ptr, lw->t_i32};
    for (int i = 0; i < n || i == 0; i++) {
        LLVMValueRef str = LLVMConstNull(lw->t_ptr);
        int code = -1;
        if (n > 0) {
            PjType *t = ins->argtys[i];
            int flags = (i > 0 ? 1 : 0) | (i >= n - 1 ? 2 : 0);
            if (pj_type_is_str(t)) {
                pj_lower_print_str(lw, args[i], t, flags);
                continue;
            }
            if (pj_type_is_printable_set(t)) {
                pj_lower_print_set(lw, args[i], t, flags);
                continue;
            }
            PjType *cls = printed_class(t);
            if (cls != NULL) {
                str = pj_lower_cstring(lw, pj_type_str(cls));
            }
            else if (!pj_type_is_number(t) && t->kind != PJ_TK_NONE) {
                print_boxed(lw, args[i], t, flags);
                continue;
            }
            else {
                code = t->code;
                LLVMBuildStore(lw->b, args[i], slot);
            }
        }
        int flags = (i > 0 ? 1 : 0) | (i >= n - 1 ? 2 : 0);
        LLVMValueRef a[4] = {LLVMConstInt(lw->t_i32, (unsigned)code, 1), slot,
                             str, LLVMConstInt(lw->t_i32, (unsigned)flags, 0)};
        pj_lower_helper(lw, "pj_rt_print", lw->t_void, p, a, 4);
    }
    return pj_lower_none(lw);
}

static const PjImpl impl_print = {"print", lower_print, false, false};

int
pj_type_print(PjCompile *cx, PjInstr *ins, const PjCallable *Py_UNUSED(fn),
              PjType **args, int n)
{
    for (int i = 0; i < n; i++) {
        if (!pj_type_is_number(args[i]) && args[i]->kind != PJ_TK_NONE
            && !pj_type_is_str(args[i]) && !pj_type_is_printable_set(args[i])
            && !pj_type_can_box(args[i]) && printed_class(args[i]) == NULL) {
            return 1;
        }
    }
    return pj_choose(cx, ins, &impl_print, pj_t.none, args, n);
}

