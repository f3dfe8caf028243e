/*
** jit.c - optimization, machine code and linking.
**
** One process-wide LLJIT, created at the first compile (never at import).
** pyjit does its own code generation and uses the LLJIT only as a linker:
** each compile verifies its module, optimizes it (O3, with loop and SLP
** vectorization switched on: the C API leaves SLP off), keeps the optimized
** IR as text (inspect_llvm) and bitcode (for callers to inline), emits an
** object file for the host CPU and adds that object to the JIT.  Handing
** IR modules to the LLJIT instead is not safe when two threads compile.
** A callee's module (a compile nested in another's) is only verified: its
** callers link its code and optimize it with theirs, and it is optimized
** on its own only if Python needs its own entry.
**
** The runtime helpers and C-API functions generated code calls are defined
** as absolute symbols in the JIT, so cached objects link like fresh ones.
** inspect_asm is produced on demand by parsing the stored IR again: asm
** costs milliseconds that no compile should pay.
**
** The machine code lives in a few large regions pyjit maps itself, not in
** a mapping or two per object as the default JIT memory manager does: the
** kernel caps a process at 65530 mappings, which the default would reach
** after about 32,000 compiled specializations and then abort.
*/
#include "pyjit.h"

#include <llvm-c/Analysis.h>
#include <llvm-c/BitReader.h>
#include <llvm-c/BitWriter.h>
#include <llvm-c/Error.h>
#include <llvm-c/IRReader.h>
#include <llvm-c/LLJIT.h>
#include <llvm-c/Orc.h>
#include <llvm-c/Support.h>
#include <llvm-c/Target.h>
#include <llvm-c/TargetMachine.h>
#include <llvm-c/Transforms/PassBuilder.h>

#include <llvm-c/ExecutionEngine.h>
#include <llvm-c/OrcEE.h>

#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static LLVMOrcLLJITRef jit;
static LLVMTargetMachineRef machine;
static char reported[1024];       /* last error the JIT reported */

/* --- code memory --- */

/* A region: the lower half takes code, page-aligned per object and made
   read-execute when the object is finalized (the read-execute pages are
   contiguous, so the kernel keeps them one mapping); the upper half takes
   data and stays read-write.  One object's sections all come from one
   region, within the +-2 GiB its PC-relative references need.  Objects
   are linked one at a time: every lookup, which is when the JIT links,
   happens under the GIL. */
#define REGION_SIZE ((size_t)256 << 20)
#define HEADROOM ((size_t)32 << 20)     /* a new object starts a new region
                                           when less is left */

static struct {
    uint8_t *base;
    size_t size;
    size_t code_used, code_final, data_used;
} region;

static size_t page_size;

static size_t
round_up(size_t n, size_t align)
{
    return (n + align - 1) & ~(align - 1);
}

static bool
new_region(void)
{
    void *p = mmap(NULL, REGION_SIZE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) {
        return false;
    }
    region.base = p;
    region.size = REGION_SIZE;
    region.code_used = region.code_final = region.data_used = 0;
    return true;
}

/* Called as the JIT starts linking an object: make sure its sections fit
   in the current region.  Older regions stay mapped: their code runs. */
static void *
object_begins(void *Py_UNUSED(ctx))
{
    size_t half = region.size / 2;
    if (region.base == NULL || half - region.code_final < HEADROOM
        || half - region.data_used < HEADROOM) {
        new_region();
    }
    return &region;
}

static void
object_ends(void *Py_UNUSED(opaque))
{
}

static void
jit_terminating(void *Py_UNUSED(ctx))
{
}

static uint8_t *
alloc_code(void *Py_UNUSED(opaque), uintptr_t size, unsigned align,
           unsigned Py_UNUSED(id), const char *Py_UNUSED(name))
{
    if (region.base == NULL) {
        return NULL;
    }
    size_t off = round_up(region.code_used, align < 16 ? 16 : align);
    if (off + size > region.size / 2) {
        return NULL;            /* the JIT reports it; no crash */
    }
    region.code_used = off + size;
    return region.base + off;
}

static uint8_t *
alloc_data(void *Py_UNUSED(opaque), uintptr_t size, unsigned align,
           unsigned Py_UNUSED(id), const char *Py_UNUSED(name),
           LLVMBool Py_UNUSED(readonly))
{
    if (region.base == NULL) {
        return NULL;
    }
    size_t half = region.size / 2;
    size_t off = round_up(region.data_used, align < 16 ? 16 : align);
    if (off + size > half) {
        return NULL;
    }
    region.data_used = off + size;
    return region.base + half + off;
}

/* The object's code is complete: make it executable.  The next object's
   code starts on the next page. */
static LLVMBool
finalize_code(void *Py_UNUSED(opaque), char **err)
{
    size_t end = round_up(region.code_used, page_size);
    if (end > region.code_final
        && mprotect(region.base + region.code_final, end - region.code_final,
                    PROT_READ | PROT_EXEC) != 0) {
        *err = strdup("pyjit: cannot make JIT code executable");
        return 1;
    }
    region.code_final = region.code_used = end;
    return 0;
}

/* LLVM's constructor of an object layer over a memory manager of callbacks
   has a name longer than a line. */
#define NEW_CALLBACK_OBJECT_LAYER \
    LLVMOrcCreateRTDyldObjectLinkingLayerWithMCJITMemoryManagerLikeCallbacks

static LLVMOrcObjectLayerRef
make_object_layer(void *Py_UNUSED(ctx), LLVMOrcExecutionSessionRef es,
                  const char *Py_UNUSED(triple))
{
    return NEW_CALLBACK_OBJECT_LAYER(es, NULL, object_begins, jit_terminating,
                                     alloc_code, alloc_data, finalize_code,
                                     object_ends);
}

static void
report_error(void *Py_UNUSED(ctx), LLVMErrorRef err)
{
    char *msg = LLVMGetErrorMessage(err);
    snprintf(reported, sizeof(reported), "%s", msg);
    LLVMDisposeErrorMessage(msg);
}

/* Consumes err; returns a new Python-owned message. */
static char *
error_message(LLVMErrorRef err)
{
    char *msg = LLVMGetErrorMessage(err);
    char *copy = LLVMCreateMessage(msg);
    LLVMDisposeErrorMessage(msg);
    return copy;
}

/* RuntimeError "pyjit: cannot <what>: <LLVM's message>"; returns -1. */
static int
raise_llvm_error(const char *what, LLVMErrorRef err)
{
    char *msg = error_message(err);
    PyErr_Format(PyExc_RuntimeError, "pyjit: cannot %s: %s", what, msg);
    LLVMDisposeMessage(msg);
    return -1;
}

static LLVMTargetMachineRef
new_machine(const char *cpu, const char *features, LLVMCodeGenOptLevel level)
{
    LLVMTargetRef target;
    char *err = NULL;
    const char *triple = pj_target_host.triple;
    if (LLVMGetTargetFromTriple(triple, &target, &err)) {
        PyErr_Format(PyExc_RuntimeError, "pyjit: no LLVM target for %s: %s",
                     triple, err);
        LLVMDisposeMessage(err);
        return NULL;
    }
    LLVMTargetMachineRef tm = LLVMCreateTargetMachine(
        target, triple, cpu, features, level, LLVMRelocPIC,
        LLVMCodeModelSmall);
    if (tm == NULL) {
        PyErr_Format(PyExc_RuntimeError, "pyjit: LLVM cannot make a target "
                     "machine for %s", triple);
    }
    return tm;
}

static int
define_runtime_symbols(void)
{
    int n = 0;
    while (pj_runtime_symbols[n].name != NULL) {
        n++;
    }
    LLVMOrcCSymbolMapPair *pairs = PyMem_Calloc((size_t)n, sizeof(*pairs));
    if (pairs == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (int i = 0; i < n; i++) {
        pairs[i].Name = LLVMOrcLLJITMangleAndIntern(
            jit, pj_runtime_symbols[i].name);
        pairs[i].Sym.Address =
            (LLVMOrcExecutorAddress)(uintptr_t)pj_runtime_symbols[i].addr;
        pairs[i].Sym.Flags.GenericFlags = LLVMJITSymbolGenericFlagsExported
                                          | LLVMJITSymbolGenericFlagsCallable;
        pairs[i].Sym.Flags.TargetFlags = 0;
    }
    LLVMOrcMaterializationUnitRef mu = LLVMOrcAbsoluteSymbols(pairs,
                                                              (size_t)n);
    PyMem_Free(pairs);
    LLVMErrorRef err = LLVMOrcJITDylibDefine(
        LLVMOrcLLJITGetMainJITDylib(jit), mu);
    if (err != NULL) {
        LLVMOrcDisposeMaterializationUnit(mu);
        return raise_llvm_error("define runtime symbols", err);
    }
    return 0;
}

/* LLVM's own options, set once.  No runtime unrolling in the O3 pipeline:
   for every loop it costs a third more compile time over the benchmark
   kernels, half again for a small loop (the int loop's first call 4.9 ->
   7.9 ms), and slows short loops (fib 144 -> 207 us).  unroll.c picks the
   loops where it pays instead.  Loops with a constant trip count are
   still unrolled fully, and vectorized loops are still interleaved.
   A loop unroll.c picks may leave by a raise as well as by its latch;
   LLVM would keep a test for the end in every unrolled copy of such a
   loop, and with multi-exit on it unrolls it with a remainder loop like
   any other. */
static void
set_llvm_options(void)
{
    static const char *const argv[] = {
        "pyjit", "-unroll-runtime=false", "-unroll-runtime-multi-exit=true",
    };
    LLVMParseCommandLineOptions(3, argv, NULL);
}

/* The host, detected once. */
static PjTarget *
host(void)
{
    return pj_target_ready(&pj_target_host);
}

/* --- definition generators: names defined when code first needs them --- */

/* The Python exception pending, as an LLVM error for the JIT to report
   (fallback: the message when there is none); the exception is cleared. */
static LLVMErrorRef
generator_error(const char *fallback)
{
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyObject *s = value ? PyObject_Str(value) : NULL;
    const char *msg = s ? PyUnicode_AsUTF8(s) : NULL;
    LLVMErrorRef err = LLVMCreateStringError(msg ? msg : fallback);
    PyErr_Clear();
    Py_XDECREF(s);
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(tb);
    return err;
}

/* Defines the absolute symbol `name` at addr in the dylib. */
static LLVMErrorRef
define_absolute(LLVMOrcJITDylibRef jd, LLVMOrcSymbolStringPoolEntryRef name,
                void *addr, bool callable)
{
    LLVMOrcRetainSymbolStringPoolEntry(name);
    LLVMJITSymbolGenericFlags flags = LLVMJITSymbolGenericFlagsExported;
    if (callable) {
        flags |= LLVMJITSymbolGenericFlagsCallable;
    }
    LLVMOrcCSymbolMapPair pair = {
        .Name = name,
        .Sym = {.Address = (LLVMOrcExecutorAddress)(uintptr_t)addr,
                .Flags = {.GenericFlags = flags, .TargetFlags = 0}}};
    LLVMOrcMaterializationUnitRef mu = LLVMOrcAbsoluteSymbols(&pair, 1);
    LLVMErrorRef err = LLVMOrcJITDylibDefine(jd, mu);
    if (err != NULL) {
        LLVMOrcDisposeMaterializationUnit(mu);
    }
    return err;
}

/* Called by the JIT for names nothing defines: those that start with the
   generator's prefix are defined at the address its resolver gives (the
   GIL is held: linking happens in a compile or a cache load); others are
   left to the other generators, and then to the JIT to report. */
static LLVMErrorRef
define_prefixed(LLVMOrcDefinitionGeneratorRef Py_UNUSED(gen), void *ctx,
                LLVMOrcLookupStateRef *Py_UNUSED(state),
                LLVMOrcLookupKind Py_UNUSED(kind), LLVMOrcJITDylibRef jd,
                LLVMOrcJITDylibLookupFlags Py_UNUSED(flags),
                LLVMOrcCLookupSet names, size_t n)
{
    const PjNameResolver *r = ctx;
    size_t plen = strlen(r->prefix);
    for (size_t i = 0; i < n; i++) {
        const char *s = LLVMOrcSymbolStringPoolEntryStr(names[i].Name);
        if (strncmp(s, r->prefix, plen) != 0) {
            continue;
        }
        void *addr = r->resolve(s);
        if (addr == NULL) {
            return generator_error(r->fallback);
        }
        LLVMErrorRef err = define_absolute(jd, names[i].Name, addr,
                                           r->callable);
        if (err != NULL) {
            return err;
        }
    }
    return NULL;
}

/* A generator of the names r resolves. */
static LLVMOrcDefinitionGeneratorRef
prefix_generator(const PjNameResolver *r)
{
    return LLVMOrcCreateCustomCAPIDefinitionGenerator(define_prefixed,
                                                      (void *)r, NULL);
}

/* The target machine compiles emit code with, and LLVM's options, made at
   the first compile: loading cached code needs neither, and they cost
   about half a millisecond (a machine for the host's long list of
   features, the parse of LLVM's command line). */
static int
ensure_machine(void)
{
    if (machine != NULL) {
        return 0;
    }
    PjTarget *t = host();
    if (t == NULL) {
        return -1;
    }
    set_llvm_options();
    machine = new_machine(t->cpu, t->features, LLVMCodeGenLevelAggressive);
    return machine != NULL ? 0 : -1;
}

/* The JIT, used only as a linker: pyjit adds object files to it.  Its
   builder is given a target machine for the bare triple, because LLJIT
   makes two machines of its own from it (for a data layout and for an IR
   compiler pyjit never uses), and with the host's features each would
   cost as much as the one compiles use.  The data layout is the
   triple's, whatever the CPU. */
static int
ensure_jit(void)
{
    if (jit != NULL) {
        return 0;
    }
    if (host() == NULL) {
        return -1;
    }
    LLVMTargetMachineRef bare = new_machine("", "", LLVMCodeGenLevelNone);
    if (bare == NULL) {
        return -1;
    }
    page_size = (size_t)sysconf(_SC_PAGESIZE);
    LLVMOrcLLJITBuilderRef builder = LLVMOrcCreateLLJITBuilder();
    LLVMOrcLLJITBuilderSetJITTargetMachineBuilder(
        builder, LLVMOrcJITTargetMachineBuilderCreateFromTargetMachine(bare));
    LLVMOrcLLJITBuilderSetObjectLinkingLayerCreator(builder,
                                                    make_object_layer, NULL);
    LLVMErrorRef err = LLVMOrcCreateLLJIT(&jit, builder);
    if (err != NULL) {
        jit = NULL;
        return raise_llvm_error("create the JIT", err);
    }
    LLVMOrcExecutionSessionSetErrorReporter(
        LLVMOrcLLJITGetExecutionSession(jit), report_error, NULL);
    /* SciPy's BLAS and LAPACK, resolved when code first names one */
    LLVMOrcJITDylibAddGenerator(LLVMOrcLLJITGetMainJITDylib(jit),
                                prefix_generator(&pj_linalg_names));
    /* the typecodes of types made after pyjit._core loaded (typecodes.c) */
    LLVMOrcJITDylibAddGenerator(LLVMOrcLLJITGetMainJITDylib(jit),
                                prefix_generator(&pj_typecode_names));
    return define_runtime_symbols();
}

/* Sets the module's target triple and data layout to the host's. */
int
pj_jit_prepare_module(LLVMModuleRef mod)
{
    RETURN_IF_ERROR(ensure_machine());
    RETURN_IF_ERROR(ensure_jit());
    LLVMSetTarget(mod, pj_target_host.triple);
    LLVMTargetDataRef dl = LLVMCreateTargetDataLayout(machine);
    LLVMSetModuleDataLayout(mod, dl);
    LLVMDisposeTargetData(dl);
    return 0;
}

static void
dump_module(PjCompile *cx, unsigned what, const char *title)
{
    if (!(pj_state->dump & what)) {
        return;
    }
    char *text = LLVMPrintModuleToString(cx->llmod);
    PjBuf b;
    pj_buf_init(&b);
    pj_buf_puts(&b, text);
    LLVMDisposeMessage(text);
    pj_diag_dump(cx, title, &b);
    pj_buf_free(&b);
}

/* --- stack slots ---

   Every alloca is in its function's entry block (lower.c makes them all
   with pj_lower_alloca): one in another block runs each time the block
   does, so in a loop it takes more stack on every iteration until the
   stack overflows. */

/* The first alloca of f outside its entry block, or NULL. */
static LLVMValueRef
stray_alloca(LLVMValueRef f)
{
    LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(f);
    for (bb = bb ? LLVMGetNextBasicBlock(bb) : NULL; bb != NULL;
         bb = LLVMGetNextBasicBlock(bb)) {
        for (LLVMValueRef i = LLVMGetFirstInstruction(bb); i != NULL;
             i = LLVMGetNextInstruction(i)) {
            if (LLVMIsAAllocaInst(i)) {
                return i;
            }
        }
    }
    return NULL;
}

/* 0, or -1 with SystemError naming the function (the code of `what`)
   that has an alloca outside its entry block: a compiler bug. */
static int
check_stack_slots(LLVMModuleRef mod, const char *what)
{
    for (LLVMValueRef f = LLVMGetFirstFunction(mod); f != NULL;
         f = LLVMGetNextFunction(f)) {
        LLVMValueRef slot = stray_alloca(f);
        if (slot != NULL) {
            char *text = LLVMPrintValueToString(slot);
            PyErr_Format(PyExc_SystemError, "pyjit: the code of %s makes a "
                         "stack slot outside the entry block of %s: `%s`",
                         what, LLVMGetValueName(f),
                         text + strspn(text, " "));
            LLVMDisposeMessage(text);
            return -1;
        }
    }
    return 0;
}

/* O3 with loop and SLP vectorization, which the C API leaves off. */
static LLVMErrorRef
run_passes(LLVMModuleRef mod)
{
    char pipeline[16];
    snprintf(pipeline, sizeof(pipeline), "default<O%d>", pj_state->opt_level);
    LLVMPassBuilderOptionsRef opts = LLVMCreatePassBuilderOptions();
    LLVMPassBuilderOptionsSetLoopVectorization(opts, 1);
    LLVMPassBuilderOptionsSetSLPVectorization(opts, 1);
    LLVMPassBuilderOptionsSetLoopInterleaving(opts, 1);
    LLVMPassBuilderOptionsSetLoopUnrolling(opts, 1);
    LLVMErrorRef err = LLVMRunPasses(mod, pipeline, machine, opts);
    LLVMDisposePassBuilderOptions(opts);
    return err;
}

/* LLVM's unroller and the clean-up O3 runs after it, for the loops
   unroll.c gave a count. */
static LLVMErrorRef
unroll_marked_loops(LLVMModuleRef mod)
{
    LLVMPassBuilderOptionsRef opts = LLVMCreatePassBuilderOptions();
    LLVMErrorRef err = LLVMRunPasses(
        mod,
        "function(loop-unroll<O3>,instcombine<no-verify-fixpoint>,simplifycfg)",
        machine, opts);
    LLVMDisposePassBuilderOptions(opts);
    return err;
}

/* The callees' functions, linked as linkonce_odr so that one linked
   twice is kept once (lower.c's link_callees), become the module's own
   internal functions. */
void
pj_jit_internalize(LLVMModuleRef mod)
{
    for (LLVMValueRef f = LLVMGetFirstFunction(mod); f != NULL;
         f = LLVMGetNextFunction(f)) {
        if (LLVMGetLinkage(f) == LLVMLinkOnceODRLinkage) {
            LLVMSetLinkage(f, LLVMInternalLinkage);
        }
    }
}

/* What runs after refprune.c removed pairs of reference counts: the
   branches to a free it made false go, with the blocks of the free, and
   a loop the atomic operations kept from vectorizing is vectorized. */
#define PRUNED_CLEAN_UP                                                    \
    "function(instcombine<no-verify-fixpoint>,simplifycfg,loop-mssa(licm),"  \
    "loop-vectorize,slp-vectorizer,instcombine<no-verify-fixpoint>,"       \
    "simplifycfg)"

/* refprune.c's pairs of reference counts that cancel removed, and the
   clean-up after them run where there were some; err set on failure. */
static int
prune_refcounts(LLVMModuleRef mod, LLVMErrorRef *err)
{
    int pruned = pj_prune_refcounts(mod);
    if (pruned <= 0) {
        return pruned;
    }
#ifdef PYJIT_DEBUG
    char *msg = NULL;
    if (LLVMVerifyModule(mod, LLVMReturnStatusAction, &msg)) {
        PyErr_Format(PyExc_SystemError, "pyjit: pruning reference counts "
                     "made invalid LLVM IR: %s", msg);
        LLVMDisposeMessage(msg);
        return -1;
    }
    LLVMDisposeMessage(msg);
#endif
    LLVMPassBuilderOptionsRef opts = LLVMCreatePassBuilderOptions();
    LLVMPassBuilderOptionsSetLoopVectorization(opts, 1);
    LLVMPassBuilderOptionsSetSLPVectorization(opts, 1);
    *err = LLVMRunPasses(mod, PRUNED_CLEAN_UP, machine, opts);
    LLVMDisposePassBuilderOptions(opts);
    return *err != NULL ? -1 : 0;
}

/* O3, then refprune.c's reference counts that cancel removed and
   unroll.c's small loops unrolled; err set on failure. */
static int
optimize_module(LLVMModuleRef mod, LLVMErrorRef *err)
{
    pj_jit_internalize(mod);
    *err = run_passes(mod);
    if (*err != NULL) {
        return -1;
    }
    if (pj_state->opt_level >= 2 && prune_refcounts(mod, err) < 0) {
        return -1;
    }
    int marked = pj_state->opt_level >= 2
                 ? pj_mark_small_loops(mod, host()->cpu) : 0;
    if (marked > 0) {
        *err = unroll_marked_loops(mod);
    }
    return marked < 0 || *err != NULL ? -1 : 0;
}

/* Verifies cx->llmod and, unless it is a callee's (`later`), optimizes
   it.  A callee's code is linked into each caller and optimized there,
   after LLVM's inliner has taken its own callees in, bottom up, as for
   the functions of one C file: optimizing it on its own first as well
   made each level of a library call tree optimize the code of the levels
   under it again (np.histogram's first call spent four fifths of its
   time in the optimizer). */
static int
optimize(PjCompile *cx, bool later)
{
    char *msg = NULL;
    if (LLVMVerifyModule(cx->llmod, LLVMReturnStatusAction, &msg)) {
        dump_module(cx, ~0u, "invalid LLVM IR");
        return pj_diag_llvm(cx, "pyjit generated invalid LLVM IR", msg);
    }
    LLVMDisposeMessage(msg);
#ifdef PYJIT_DEBUG
    if (check_stack_slots(cx->llmod, PyUnicode_AsUTF8(cx->info->qualname))
        < 0) {
        dump_module(cx, ~0u, "invalid LLVM IR");
        return -1;
    }
#endif
    LLVMErrorRef err = NULL;
    if (later || optimize_module(cx->llmod, &err) == 0) {
        return 0;
    }
    return err != NULL ? pj_diag_llvm(cx, "optimization failed",
                                      error_message(err))
                       : -1;
}

static PyObject *
module_text(LLVMModuleRef mod)
{
    char *text = LLVMPrintModuleToString(mod);
    PyObject *r = PyUnicode_FromString(text);
    LLVMDisposeMessage(text);
    return r;
}

/* The bitcode, and the IR text inspect_llvm shows; a callee's text is
   made when asked for (pj_jit_callee_ir), optimized as its own entry
   would be. */
static int
keep_ir(PjCompile *cx, PjArtifact *out, bool later)
{
    out->llvm_ir = later ? NULL : module_text(cx->llmod);
    LLVMMemoryBufferRef bc = LLVMWriteBitcodeToMemoryBuffer(cx->llmod);
    Py_ssize_t nbytes = (Py_ssize_t)LLVMGetBufferSize(bc);
    out->bitcode = PyBytes_FromStringAndSize(LLVMGetBufferStart(bc), nbytes);
    LLVMDisposeMemoryBuffer(bc);
    return (later || out->llvm_ir) && out->bitcode ? 0 : -1;
}

static int
add_object(PjCompile *cx, LLVMMemoryBufferRef obj)
{
    LLVMErrorRef err = LLVMOrcLLJITAddObjectFile(
        jit, LLVMOrcLLJITGetMainJITDylib(jit), obj);
    if (err != NULL) {
        return pj_diag_llvm(cx, "cannot load the machine code",
                            error_message(err));
    }
    return 0;
}

/* Native names in use in the process.  Fresh compiles number their names
   and cached objects bring the names of the process that compiled them,
   so a name is claimed before its code is added: two definitions of one
   symbol would not link. */
static PyObject *claimed_names;

/* 1: the name is now this caller's; 0: it is taken; -1: an error. */
int
pj_jit_claim_name(const char *name)
{
    if (claimed_names == NULL && (claimed_names = PySet_New(NULL)) == NULL) {
        return -1;
    }
    PyObject *s = PyUnicode_FromString(name);
    if (s == NULL) {
        return -1;
    }
    int taken = PySet_Contains(claimed_names, s);
    int rc = taken != 0 ? (taken < 0 ? -1 : 0)
                        : (PySet_Add(claimed_names, s) < 0 ? -1 : 1);
    Py_DECREF(s);
    return rc;
}

/* Gives back a name whose code never reached the JIT (its compile
   failed), so that failing compiles do not grow the set.  Any exception
   already set is kept. */
void
pj_jit_release_name(const char *name)
{
    if (claimed_names == NULL) {
        return;
    }
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyObject *s = PyUnicode_FromString(name);
    if (s == NULL || PySet_Discard(claimed_names, s) < 0) {
        PyErr_Clear();
    }
    Py_XDECREF(s);
    PyErr_Restore(type, value, tb);
}

/* Adds a cached object file to the JIT; -1 with RuntimeError. */
int
pj_jit_load_object(PyObject *object)
{
    if (ensure_jit() < 0) {
        return -1;
    }
    LLVMMemoryBufferRef buf = LLVMCreateMemoryBufferWithMemoryRangeCopy(
        PyBytes_AS_STRING(object), (size_t)PyBytes_GET_SIZE(object),
        "pyjit-cache");
    LLVMErrorRef err = LLVMOrcLLJITAddObjectFile(
        jit, LLVMOrcLLJITGetMainJITDylib(jit), buf);
    return err != NULL ? raise_llvm_error("load a cached object", err) : 0;
}

/* The address of a symbol the JIT holds; NULL with RuntimeError set. */
void *
pj_jit_lookup(const char *name)
{
    LLVMOrcExecutorAddress addr = 0;
    reported[0] = '\0';
    LLVMErrorRef err = LLVMOrcLLJITLookup(jit, &addr, name);
    if (err != NULL) {
        char *msg = error_message(err);
        PyErr_Format(PyExc_RuntimeError, "pyjit: cannot link %s: %s%s%s",
                     name, msg, reported[0] ? ": " : "", reported);
        LLVMDisposeMessage(msg);
        return NULL;
    }
    return (void *)(uintptr_t)addr;
}

/* Optimizes and emits cx->llmod, adds the code to the JIT and, unless
   `defer` (the code calls a function still compiling, whose symbol is not
   in the JIT yet), looks the wrapper up.  With `later`, no object is made:
   the code of a callee lives in its callers, which link its bitcode, and
   its own object is made only if something needs its address
   (pj_jit_emit_later).  The module and its context are disposed here
   whatever happens. */
int
pj_jit_emit(PjCompile *cx, PjArtifact *out, bool defer, bool later)
{
    int rc = -1;
    dump_module(cx, PJ_DUMP_LLVM, "LLVM IR");
    double t0 = pj_now();
    if (optimize(cx, later) < 0 || keep_ir(cx, out, later) < 0) {
        goto done;
    }
    double t1 = pj_now();
    dump_module(cx, PJ_DUMP_OPT, "optimized LLVM IR");
    cx->seconds[PJ_TIME_OPT] = t1 - t0;
    if (later) {
        rc = 0;
        goto done;
    }
    char *msg = NULL;
    LLVMMemoryBufferRef obj = NULL;
    if (LLVMTargetMachineEmitToMemoryBuffer(machine, cx->llmod,
                                            LLVMObjectFile, &msg, &obj)) {
        pj_diag_llvm(cx, "code generation failed", msg);
        goto done;
    }
    double t2 = pj_now();
    if (cx->opts.cache && !defer && !cx->no_cache) {
        /* Kept for the cache: the code refers to no other specialization
           (a deferred one calls functions still compiling, by name) and
           to no object of this process (an objmode block). */
        out->object = PyBytes_FromStringAndSize(LLVMGetBufferStart(obj),
                                                (Py_ssize_t)
                                                LLVMGetBufferSize(obj));
        if (out->object == NULL) {
            LLVMDisposeMemoryBuffer(obj);
            goto done;
        }
    }
    if (add_object(cx, obj) < 0) {
        goto done;
    }
    cx->code_added = true;
    out->entry = defer ? NULL : pj_jit_lookup(cx->wrapper_name);
    rc = defer || out->entry != NULL ? 0 : -1;
    cx->seconds[PJ_TIME_CODEGEN] = t2 - t1;
    cx->seconds[PJ_TIME_LINK] = pj_now() - t2;
    if (rc == 0 && (pj_state->dump & PJ_DUMP_ASM)) {
        PyObject *text = pj_jit_asm(out->llvm_ir);
        PjBuf b;
        pj_buf_init(&b);
        pj_buf_puts(&b, text ? PyUnicode_AsUTF8(text) : "?");
        pj_diag_dump(cx, "assembly", &b);
        pj_buf_free(&b);
        Py_XDECREF(text);
        PyErr_Clear();
    }
done:
    LLVMDisposeModule(cx->llmod);
    LLVMContextDispose(cx->llctx);
    cx->llmod = NULL;
    cx->llctx = NULL;
    return rc;
}

static int emit_object(LLVMModuleRef mod, const char *name);

static int
emit_standalone(LLVMModuleRef mod, const char *name)
{
    char *msg = NULL;
    bool bad = LLVMVerifyModule(mod, LLVMReturnStatusAction, &msg);
    if (bad) {
        PyErr_Format(PyExc_RuntimeError, "pyjit generated invalid LLVM IR "
                     "for %s: %s", name, msg);
    }
    LLVMDisposeMessage(msg);
    if (bad) {
        return -1;
    }
#ifdef PYJIT_DEBUG
    RETURN_IF_ERROR(check_stack_slots(mod, name));
#endif
    LLVMErrorRef err = NULL;
    if (optimize_module(mod, &err) < 0) {
        return err != NULL ? raise_llvm_error("optimize", err) : -1;
    }
    if (pj_state->dump & PJ_DUMP_OPT) {
        char *text = LLVMPrintModuleToString(mod);
        pj_diag_dump_module("optimized LLVM IR", name, text);
        LLVMDisposeMessage(text);
    }
    return emit_object(mod, name);
}

/* Emits the optimized module mod and adds its object to the JIT. */
static int
emit_object(LLVMModuleRef mod, const char *name)
{
    char *msg = NULL;
    LLVMMemoryBufferRef obj = NULL;
    if (LLVMTargetMachineEmitToMemoryBuffer(machine, mod, LLVMObjectFile,
                                            &msg, &obj)) {
        PyErr_Format(PyExc_RuntimeError, "pyjit: code generation failed "
                     "for %s: %s", name, msg);
        LLVMDisposeMessage(msg);
        return -1;
    }
    LLVMErrorRef err = LLVMOrcLLJITAddObjectFile(
        jit, LLVMOrcLLJITGetMainJITDylib(jit), obj);
    return err != NULL ? raise_llvm_error("load the machine code", err) : 0;
}

/* A callee's module, not optimized when it was compiled (optimize),
   optimized now that it is emitted on its own.  -1 with an exception
   set. */
static int
optimize_callee(LLVMModuleRef mod)
{
    LLVMErrorRef err = NULL;
    if (optimize_module(mod, &err) == 0) {
        return 0;
    }
    return err != NULL ? raise_llvm_error("optimize", err) : -1;
}

/* A callee's module read back from its bitcode and optimized, in a new
   context the caller disposes with the module; NULL with an exception
   set. */
static LLVMModuleRef
read_callee(LLVMContextRef ctx, PyObject *bitcode, const char *name)
{
    LLVMMemoryBufferRef buf = LLVMCreateMemoryBufferWithMemoryRange(
        PyBytes_AS_STRING(bitcode), (size_t)PyBytes_GET_SIZE(bitcode),
        name, 0);
    LLVMModuleRef mod = NULL;
    bool failed = LLVMParseBitcodeInContext2(ctx, buf, &mod);
    LLVMDisposeMemoryBuffer(buf);
    if (failed) {
        PyErr_Format(PyExc_RuntimeError, "pyjit: cannot read back the code "
                     "of %s", name);
    }
    else if (optimize_callee(mod) < 0) {
        LLVMDisposeModule(mod);
        mod = NULL;
    }
    return mod;
}

/* The optimized IR text of a callee's bitcode, for inspect_llvm. */
PyObject *
pj_jit_callee_ir(PyObject *bitcode)
{
    if (ensure_machine() < 0) {
        return NULL;
    }
    LLVMContextRef ctx = LLVMContextCreate();
    LLVMModuleRef mod = read_callee(ctx, bitcode, "callee");
    PyObject *text = mod ? module_text(mod) : NULL;
    if (mod != NULL) {
        LLVMDisposeModule(mod);
    }
    LLVMContextDispose(ctx);
    return text;
}

/* The address of `wrapper` in the code of a specialization compiled
   without its object (pj_jit_emit's `later`): its bitcode is optimized,
   emitted and added to the JIT now.  NULL with an exception set. */
void *
pj_jit_emit_later(PyObject *bitcode, const char *wrapper)
{
    LLVMContextRef ctx = LLVMContextCreate();
    LLVMModuleRef mod = read_callee(ctx, bitcode, wrapper);
    void *addr = NULL;
    if (mod != NULL) {
        addr = emit_object(mod, wrapper) == 0 ? pj_jit_lookup(wrapper) : NULL;
        LLVMDisposeModule(mod);
    }
    LLVMContextDispose(ctx);
    return addr;
}

/* A module built outside a compile (a ufunc's loop, ufunc_build.c; a
   cfunc's C entry, functions.c): verifies, optimizes and emits it, adds
   the code to the JIT and returns the address of `name`; NULL with an
   exception set.  It is optimized as a compile's module is: a
   guvectorize kernel's loop, inlined into the ufunc's loop, is unrolled
   there as in the kernel alone (unroll.c), which runs a branchy sum over
   a 200000-element core in half the time.  The module and its context
   are disposed here whatever happens. */
void *
pj_jit_add_module(LLVMModuleRef mod, LLVMContextRef ctx, const char *name)
{
    void *addr = emit_standalone(mod, name) < 0 ? NULL : pj_jit_lookup(name);
    LLVMDisposeModule(mod);
    LLVMContextDispose(ctx);
    return addr;
}

/* A module of ctx parsed from IR text; NULL with RuntimeError. */
static LLVMModuleRef
parse_ir(LLVMContextRef ctx, PyObject *llvm_ir)
{
    Py_ssize_t n;
    const char *text = PyUnicode_AsUTF8AndSize(llvm_ir, &n);
    if (text == NULL) {
        return NULL;
    }
    LLVMMemoryBufferRef buf = LLVMCreateMemoryBufferWithMemoryRangeCopy(
        text, (size_t)n, "ir");
    LLVMModuleRef mod = NULL;
    char *msg = NULL;
    if (LLVMParseIRInContext(ctx, buf, &mod, &msg)) {
        PyErr_Format(PyExc_RuntimeError, "pyjit: cannot parse IR: %s", msg);
        mod = NULL;
    }
    LLVMDisposeMessage(msg);
    return mod;
}

/* The host assembly of a module given as IR text. */
PyObject *
pj_jit_asm(PyObject *llvm_ir)
{
    if (ensure_machine() < 0) {
        return NULL;
    }
    LLVMContextRef ctx = LLVMContextCreate();
    LLVMModuleRef mod = parse_ir(ctx, llvm_ir);
    PyObject *res = NULL;
    if (mod != NULL) {
        char *msg = NULL;
        LLVMMemoryBufferRef out = NULL;
        if (LLVMTargetMachineEmitToMemoryBuffer(machine, mod,
                                                LLVMAssemblyFile, &msg,
                                                &out)) {
            PyErr_Format(PyExc_RuntimeError, "pyjit: asm failed: %s", msg);
        }
        else {
            res = PyUnicode_DecodeUTF8(LLVMGetBufferStart(out),
                                       (Py_ssize_t)LLVMGetBufferSize(out),
                                       "replace");
            LLVMDisposeMemoryBuffer(out);
        }
        LLVMDisposeMessage(msg);
        LLVMDisposeModule(mod);
    }
    LLVMContextDispose(ctx);
    return res;
}

/* Checks IR text as debug builds check each module before optimizing it
   (for tests of that check): 0, or -1 with RuntimeError (it does not
   parse or verify) or SystemError (a stack slot outside an entry
   block). */
int
pj_jit_verify_ir(PyObject *llvm_ir)
{
    LLVMContextRef ctx = LLVMContextCreate();
    LLVMModuleRef mod = parse_ir(ctx, llvm_ir);
    int rc = -1;
    if (mod != NULL) {
        char *msg = NULL;
        if (LLVMVerifyModule(mod, LLVMReturnStatusAction, &msg)) {
            PyErr_Format(PyExc_RuntimeError, "pyjit: invalid IR: %s", msg);
        }
        else {
            rc = check_stack_slots(mod, "the module");
        }
        LLVMDisposeMessage(msg);
        LLVMDisposeModule(mod);
    }
    LLVMContextDispose(ctx);
    return rc;
}

/* (triple, cpu, features, LLVM version): what compiled code depends on
   besides pyjit itself. */
PyObject *
pj_jit_host_info(void)
{
    PjTarget *t = host();
    if (t == NULL) {
        return NULL;
    }
    unsigned major, minor, patch;
    LLVMGetVersion(&major, &minor, &patch);
    return Py_BuildValue("(sssN)", t->triple, t->cpu, t->features,
                         PyUnicode_FromFormat("%u.%u.%u", major, minor,
                                              patch));
}

bool
pj_jit_ready(void)
{
    return jit != NULL;
}
