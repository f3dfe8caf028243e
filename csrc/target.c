/*
** target.c - what depends on the machine the code is made for.
**
** A PjTarget row holds it: the triple, CPU and features code is generated
** for, how the C math library's functions are named, which LLVM
** intrinsics become calls to it and what must follow such a call, and the
** entry point each specialization exports (for the host, the CPython
** wrapper of boxing.c).  The stages ask the compile's target instead of
** assuming the host, so another target (a GPU) is another row.  The
** host's is the only one today.
*/
#include "pyjit.h"

#include <llvm-c/Target.h>
#include <llvm-c/TargetMachine.h>

#include <stdio.h>
#include <string.h>

/* LLVM's native target, and the host's triple, CPU and features. */
static int
detect_host(PjTarget *t)
{
    if (LLVMInitializeNativeTarget() || LLVMInitializeNativeAsmPrinter()
        || LLVMInitializeNativeAsmParser()) {
        PyErr_SetString(PyExc_RuntimeError, "pyjit: LLVM has no native "
                                            "target for this machine");
        return -1;
    }
    t->cpu = LLVMGetHostCPUName();
    t->features = LLVMGetHostCPUFeatures();
    t->triple = LLVMGetDefaultTargetTriple();
    return 0;
}

/* sin, sinf: C's naming of a function of float32. */
static void
c_libm_name(char *buf, size_t n, const char *name, int bits)
{
    snprintf(buf, n, "%s%s", name, bits == 32 ? "f" : "");
}

/* Whether LLVM computes the intrinsic by calling libm (exp, sin...)
   rather than with an instruction (sqrt, fabs, floor...): on x86-64 only
   the first ones are calls. */
static bool
x86_calls_libm(const char *intrinsic)
{
    static const char *const calls[] = {
        "llvm.exp", "llvm.log", "llvm.log10", "llvm.log2", "llvm.sin",
        "llvm.cos", "llvm.pow",
    };
    for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
        if (strcmp(calls[i], intrinsic) == 0) {
            return true;
        }
    }
    return false;
}

/* Marks the vector registers as written right after a call to libm.  A
   call clobbers them, but LLVM 19's false-dependency breaking does not
   count a call as a write, so an instruction that merges into a register
   (cvtsi2sd, sqrtsd) may wait for the last write inside sin or exp: a loop
   such as `s += sqrt(i) * sin(i)` ran 1.75x slower than gcc's code.  An
   empty asm statement that clobbers them is such a write; it emits no
   instruction and lets LLVM break the dependency with one xor, as gcc
   does (or, with AVX-512, use a register libm never touches).  xmm0 holds
   the call's result and is left out, so the result stays in place. */
static void
x86_after_libm_call(PjLower *lw)
{
    static const char clobbers[] =
        "~{xmm1},~{xmm2},~{xmm3},~{xmm4},~{xmm5},~{xmm6},~{xmm7},~{xmm8},"
        "~{xmm9},~{xmm10},~{xmm11},~{xmm12},~{xmm13},~{xmm14},~{xmm15}";
    LLVMTypeRef fty = LLVMFunctionType(lw->t_void, NULL, 0, 0);
    LLVMValueRef asm_ = LLVMGetInlineAsm(fty, "", 0, clobbers,
                                         sizeof(clobbers) - 1, 1, 0,
                                         LLVMInlineAsmDialectATT, 0);
    LLVMBuildCall2(lw->b, fty, asm_, NULL, 0, "");
}

static void
no_mark(PjLower *Py_UNUSED(lw))
{
}

/* Any target: a test of |x| < 2**63 on the float, then the conversion. */
static LLVMValueRef
tested_to_int64(PjLower *lw, LLVMValueRef x, LLVMValueRef *unusual)
{
    LLVMTypeRef ft = LLVMTypeOf(x);
    LLVMValueRef ax = pj_lower_intrinsic(lw, "llvm.fabs", ft, &x, 1);
    *unusual = LLVMBuildFCmp(lw->b, LLVMRealUGE, ax, LLVMConstReal(ft, 0x1p63),
                             "");
    return LLVMBuildFPToSI(lw->b, x, lw->t_i64, "");
}

/* x86-64: the conversion instruction itself, whose "integer indefinite"
   answer (-2**63) covers NaN, the infinities and every value out of
   range; the test is then one compare of integers, where the float test
   took three vector instructions beside the conversion's two in a
   histogram's loop (`counts[int(x * bins)] += 1`: 1.7x Numba's time). */
static LLVMValueRef
x86_to_int64(PjLower *lw, LLVMValueRef x, LLVMValueRef *unusual)
{
    LLVMTypeRef ft = LLVMTypeOf(x);
    bool f64 = ft == lw->t_f64;
    LLVMTypeRef vt = LLVMVectorType(ft, f64 ? 2 : 4);
    LLVMValueRef vec = LLVMBuildInsertElement(
        lw->b, LLVMGetUndef(vt), x, LLVMConstInt(lw->t_i32, 0, 0), "");
    const char *name = f64 ? "llvm.x86.sse2.cvttsd2si64"
                           : "llvm.x86.sse.cvttss2si64";
    LLVMValueRef r = pj_lower_helper(lw, name, lw->t_i64, &vt, &vec, 1);
    *unusual = LLVMBuildICmp(lw->b, LLVMIntEQ, r,
                             LLVMConstInt(lw->t_i64, 1ULL << 63, 0), "");
    return r;
}

PjTarget pj_target_host = {
    .name = "host",
    .detect = detect_host,
    .libm_name = c_libm_name,
    .calls_libm = x86_calls_libm,
    .quick_to_int64 = tested_to_int64,
    .build_entry = pj_boxing_build_wrapper,
};

/* The host's row, its machine detected the first time it is asked for:
   code generation and the cache's keys both need it. */
PjTarget *
pj_target_ready(PjTarget *t)
{
    if (t->triple == NULL) {
        if (t->detect(t) < 0) {
            return NULL;
        }
        bool x86 = strncmp(t->triple, "x86_64", 6) == 0;
        t->after_libm_call = x86 ? x86_after_libm_call : no_mark;
        t->quick_to_int64 = x86 ? x86_to_int64 : tested_to_int64;
        t->int64_indefinite = x86;
    }
    return t;
}
