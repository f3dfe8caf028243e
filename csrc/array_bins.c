/*
** array_bins.c - _bin_index(f, top), the intrinsic np.histogram
** (pyjit/_np_stats.py) finds an element's bin with: f, a float, clamped
** into [0, top] (NaN gives 0) and truncated to an integer.  The clamp comes
** before the conversion, so the conversion is a plain one (no saturation
** fixups, which cost a third of the counting loop) and the result is
** known to LLVM as non-negative.  top is a bin count, far below 2**53, so
** it is exact as a double.
*/
#include "pyjit.h"

static LLVMValueRef
lower_bin_index(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    LLVMBuilderRef B = lw->b;
    LLVMValueRef f = args[0];
    if (ins->argtys[0] != pj_t.f64) {
        f = LLVMBuildFPCast(B, f, lw->t_f64, "");
    }
    LLVMValueRef zero = LLVMConstReal(lw->t_f64, 0.0);
    LLVMValueRef top = LLVMBuildSIToFP(B, args[1], lw->t_f64, "");
    /* f > 0 ? f : 0 sends NaN to 0; then f < top ? f : top */
    f = LLVMBuildSelect(B, LLVMBuildFCmp(B, LLVMRealOGT, f, zero, ""), f,
                        zero, "");
    f = LLVMBuildSelect(B, LLVMBuildFCmp(B, LLVMRealOLT, f, top, ""), f, top,
                        "");
    LLVMTypeRef i63 = LLVMIntTypeInContext(lw->ctx, 63);
    return LLVMBuildZExt(B, LLVMBuildFPToUI(B, f, i63, ""), lw->t_i64,
                         "bin");
}

static const PjImpl impl_bin_index = {"bin_index", lower_bin_index, false,
                                      false};

int
pj_type_bin_index(PjCompile *cx, PjInstr *ins,
                  const PjCallable *Py_UNUSED(fn), PjType **args, int n)
{
    if (n != 2 || args[0]->kind != PJ_TK_FLOAT
        || !pj_type_is_integer(args[1])) {
        return 1;
    }
    PjType *argtys[2] = {args[0], pj_t.i64};
    return pj_choose(cx, ins, &impl_bin_index, pj_t.i64, argtys, 2);
}
