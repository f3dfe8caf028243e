/*
** random.c - the random number generators of compiled code, and the
** intrinsics pyjit/_np_random.py is written with.
**
** Compiled code keeps its own generators, apart from NumPy's global one
** and from Python's random module, as Numba does: one for np.random and
** one for the random module, each a Mersenne Twister (MT19937) with
** NumPy's legacy draws on top (53-bit doubles from two 32-bit words, the
** polar Box-Muller method that keeps its second value).  Seeded with n,
** a generator is MT19937's init_genrand(n), as np.random.seed(n) seeds
** NumPy's, so that the same calls give the same numbers.
**
** Each thread has its own pair, seeded from the operating system's
** entropy at first use; a forked child reseeds its generators the same
** way at its first draw, so that it does not repeat its parent's stream.
*/
#include "pyjit.h"

#include <math.h>
#include <stddef.h>
#include <pthread.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#define MT_N 624
#define MT_M 397

typedef struct {
    uint32_t mt[MT_N];
    int pos;
    int has_gauss;
    double gauss;
    unsigned epoch;         /* the process generation it was seeded in */
} Generator;

/* [0] for np.random, [1] for the random module. */
static _Thread_local Generator generators[2];

/* Bumped in a forked child: a generator seeded in an earlier generation
   is reseeded at its next use.  Starts at 1, so that a thread's
   zero-initialized generators are seeded at first use. */
static unsigned process_epoch = 1;
static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;

static void
after_fork_child(void)
{
    process_epoch++;
}

static void
register_atfork(void)
{
    pthread_atfork(NULL, NULL, after_fork_child);
}

/* MT19937's init_genrand: the state np.random.seed(seed) makes.  Every
   generator is seeded here or from entropy before it draws, so both
   register the fork handler. */
static void
seed_state(Generator *g, uint32_t seed)
{
    pthread_once(&atfork_once, register_atfork);
    g->mt[0] = seed;
    for (int i = 1; i < MT_N; i++) {
        uint32_t prev = g->mt[i - 1];
        g->mt[i] = 1812433253U * (prev ^ (prev >> 30)) + (uint32_t)i;
    }
    g->pos = MT_N;
    g->has_gauss = 0;
    g->gauss = 0.0;
    g->epoch = process_epoch;
}

/* A state of entropy: every word from getrandom(), or, where that fails,
   init_genrand of the time, the process and the generator's address.
   Kept out of line (as is regenerate), so that the few instructions of a
   draw inline into the runtime function that draws. */
__attribute__((noinline, cold)) static void
seed_from_entropy(Generator *g)
{
    size_t want = sizeof(g->mt);
    pthread_once(&atfork_once, register_atfork);
    if (getrandom(g->mt, want, 0) == (ssize_t)want) {
        g->mt[0] |= 0x80000000U;        /* never the all-zero state */
        g->pos = MT_N;
        g->has_gauss = 0;
        g->epoch = process_epoch;
        return;
    }
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    seed_state(g, (uint32_t)ts.tv_nsec ^ (uint32_t)ts.tv_sec
                  ^ ((uint32_t)getpid() << 16) ^ (uint32_t)(uintptr_t)g);
}

/* The thread's generator `which`, seeded from entropy unless seeded in
   this process. */
static inline Generator *
generator(int64_t which)
{
    Generator *g = &generators[which != 0];
    /* An opaque copy: the address of a thread-local is a call
       (__tls_get_addr) in a shared library, which GCC would otherwise
       repeat at each use of g rather than keep g in a register. */
    __asm__("" : "+r"(g));
    if (__builtin_expect(g->epoch != process_epoch, 0)) {
        seed_from_entropy(g);
    }
    return g;
}

/* One word of the next state: the top bit of mt[i], the rest of
   mt[i + 1], twisted into mt[i + M] (indices modulo N). */
static uint32_t
twist(uint32_t upper, uint32_t lower, uint32_t far)
{
    uint32_t y = (upper & 0x80000000U) | (lower & 0x7fffffffU);
    return far ^ (y >> 1) ^ ((y & 1) ? 0x9908b0dfU : 0);
}

/* The next 624 words of the state, all at once, as MT19937 makes them
   (in three runs, so that no index wraps inside a loop). */
__attribute__((noinline)) static void
regenerate(Generator *g)
{
    uint32_t *mt = g->mt;
    int i = 0;
    for (; i < MT_N - MT_M; i++) {
        mt[i] = twist(mt[i], mt[i + 1], mt[i + MT_M]);
    }
    for (; i < MT_N - 1; i++) {
        mt[i] = twist(mt[i], mt[i + 1], mt[i + MT_M - MT_N]);
    }
    mt[i] = twist(mt[i], mt[0], mt[MT_M - 1]);
    g->pos = 0;
}

static inline uint32_t
next_u32(Generator *g)
{
    if (__builtin_expect(g->pos == MT_N, 0)) {
        regenerate(g);
    }
    uint32_t y = g->mt[g->pos++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680U;
    y ^= (y << 15) & 0xefc60000U;
    return y ^ (y >> 18);
}

/* A double in [0, 1) from the top 27 and 26 bits of two words. */
static inline double
next_double(Generator *g)
{
    uint32_t a = next_u32(g) >> 5, b = next_u32(g) >> 6;
    return (a * 67108864.0 + b) / 9007199254740992.0;
}

/* NumPy's legacy gauss: the polar method, which makes two normal values
   and keeps the second for the next call. */
static double
next_gauss(Generator *g)
{
    if (g->has_gauss) {
        g->has_gauss = 0;
        return g->gauss;
    }
    double x1, x2, r2;
    do {
        x1 = 2.0 * next_double(g) - 1.0;
        x2 = 2.0 * next_double(g) - 1.0;
        r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 == 0.0);
    double f = sqrt(-2.0 * log(r2) / r2);
    g->gauss = f * x1;
    g->has_gauss = 1;
    return f * x2;
}

/* --- what generated code calls (runtime.c registers the names) --- */

void
pj_rt_random_seed(int64_t which, int64_t seed)
{
    seed_state(&generators[which != 0], (uint32_t)seed);
}

int64_t
pj_rt_random_u32(int64_t which)
{
    return next_u32(generator(which));
}

double
pj_rt_random_double(int64_t which)
{
    return next_double(generator(which));
}

double
pj_rt_random_gauss(int64_t which)
{
    return next_gauss(generator(which));
}

/* The thread's generator `which`, for compiled code that draws words
   itself (draw_word).  Its address is the same at every call in a
   thread, so compiled code takes it as a pure function's result, which
   LLVM keeps out of loops: the generator is seeded from entropy then, not
   at the first draw. */
void *
pj_rt_random_state(int64_t which)
{
    return generator(which);
}

/* The state's next 624 words, when compiled code has drawn them all. */
void
pj_rt_random_refill(void *g)
{
    regenerate(g);
}

/* --- the intrinsics: _random_seed(which, seed), _random_u32(which),
   _random_double(which), _random_gauss(which); seeds and normal values
   are calls of the row's runtime function, words are drawn inline --- */

static LLVMValueRef
field_at(PjLower *lw, LLVMValueRef g, size_t offset)
{
    LLVMValueRef off = pj_i64(lw, (long long)offset);
    return LLVMBuildInBoundsGEP2(lw->b, lw->t_i8, g, &off, 1, "");
}

static LLVMValueRef
shift_mask(PjLower *lw, LLVMValueRef y, bool left, int by, uint32_t mask)
{
    LLVMValueRef n = LLVMConstInt(lw->t_i32, (unsigned)by, 0);
    LLVMValueRef s = left ? LLVMBuildShl(lw->b, y, n, "")
                          : LLVMBuildLShr(lw->b, y, n, "");
    if (mask != 0xffffffffU) {
        s = LLVMBuildAnd(lw->b, s, LLVMConstInt(lw->t_i32, mask, 0), "");
    }
    return LLVMBuildXor(lw->b, y, s, "");
}

/* next_u32 of the generator g, as LLVM IR in the function that draws:
   a word of the state, tempered; the state is made anew (out of line)
   once every 624 words. */
static LLVMValueRef
draw_word(PjLower *lw, LLVMValueRef g)
{
    LLVMBuilderRef B = lw->b;
    LLVMValueRef ppos = field_at(lw, g, offsetof(Generator, pos));
    LLVMValueRef pos = LLVMBuildLoad2(B, lw->t_i32, ppos, "pos");
    LLVMBasicBlockRef here = LLVMGetInsertBlock(B);
    LLVMBasicBlockRef refill = LLVMAppendBasicBlockInContext(
        lw->ctx, lw->func, "random.refill");
    LLVMBasicBlockRef draw = LLVMAppendBasicBlockInContext(
        lw->ctx, lw->func, "random.draw");
    pj_lower_rare_branch(lw, LLVMBuildICmp(B, LLVMIntSGE, pos,
                                           LLVMConstInt(lw->t_i32, MT_N, 0),
                                           ""), refill, draw);
    LLVMPositionBuilderAtEnd(B, refill);
    pj_lower_call_c(lw, "pj_rt_random_refill", lw->t_void, &lw->t_ptr, &g, 1,
                    false);
    LLVMBuildBr(B, draw);
    LLVMPositionBuilderAtEnd(B, draw);
    LLVMValueRef at = LLVMBuildPhi(B, lw->t_i32, "");
    LLVMValueRef from_pos[2] = {pos, LLVMConstInt(lw->t_i32, 0, 0)};
    LLVMBasicBlockRef from[2] = {here, refill};
    LLVMAddIncoming(at, from_pos, from, 2);
    LLVMValueRef i = LLVMBuildZExt(B, at, lw->t_i64, "");
    LLVMValueRef y = LLVMBuildLoad2(
        B, lw->t_i32, LLVMBuildInBoundsGEP2(B, lw->t_i32, g, &i, 1, ""), "");
    LLVMBuildStore(B, LLVMBuildAdd(B, at, LLVMConstInt(lw->t_i32, 1, 0), ""),
                   ppos);
    y = shift_mask(lw, y, false, 11, 0xffffffffU);
    y = shift_mask(lw, y, true, 7, 0x9d2c5680U);
    y = shift_mask(lw, y, true, 15, 0xefc60000U);
    return shift_mask(lw, y, false, 18, 0xffffffffU);
}

/* next_double: the top 27 and 26 bits of two words. */
static LLVMValueRef
draw_double(PjLower *lw, LLVMValueRef g)
{
    LLVMBuilderRef B = lw->b;
    LLVMValueRef a = LLVMBuildLShr(B, draw_word(lw, g),
                                   LLVMConstInt(lw->t_i32, 5, 0), "");
    LLVMValueRef b = LLVMBuildLShr(B, draw_word(lw, g),
                                   LLVMConstInt(lw->t_i32, 6, 0), "");
    LLVMValueRef fa = LLVMBuildUIToFP(B, a, lw->t_f64, "");
    LLVMValueRef fb = LLVMBuildUIToFP(B, b, lw->t_f64, "");
    LLVMValueRef sum = LLVMBuildFAdd(
        B, LLVMBuildFMul(B, fa, LLVMConstReal(lw->t_f64, 67108864.0), ""), fb,
        "");
    return LLVMBuildFDiv(B, sum, LLVMConstReal(lw->t_f64, 9007199254740992.0),
                         "");
}

static LLVMValueRef
lower_draw(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    LLVMValueRef g = pj_lower_call_c(lw, "pj_rt_random_state", lw->t_ptr,
                                     &lw->t_i64, args, 1, true);
    if (ins->resty == pj_t.f64) {
        return draw_double(lw, g);
    }
    return LLVMBuildZExt(lw->b, draw_word(lw, g), lw->t_i64, "");
}

static const PjImpl impl_draw = {"random", lower_draw, false, false};

static LLVMValueRef
lower_random(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    LLVMTypeRef params[2] = {lw->t_i64, lw->t_i64};
    bool seed = ins->resty == pj_t.none;        /* the only one of two */
    LLVMTypeRef ret = seed ? lw->t_void : pj_lower_type(lw, ins->resty);
    LLVMValueRef v = pj_lower_call_c(lw, ins->plan.fn->impl, ret, params,
                                     args, seed ? 2 : 1, false);
    return seed ? NULL : v;
}

static const PjImpl impl_random = {"random", lower_random, false, false};

static int
type_random(PjCompile *cx, PjInstr *ins, const PjCallable *fn,
            PjType **args, int n, int want, PjType *resty)
{
    if (n != want) {
        return 1;
    }
    PjType *argtys[2] = {pj_t.i64, pj_t.i64};
    for (int i = 0; i < n; i++) {
        if (!pj_type_is_intlike(args[i])) {
            return 1;
        }
    }
    bool drawn = fn->id == PJ_FN_RANDOM_U32 || fn->id == PJ_FN_RANDOM_DOUBLE;
    return pj_choose_plan(cx, ins, drawn ? &impl_draw : &impl_random, resty,
                          argtys, n, (PjPlan){.fn = fn});
}

int
pj_type_random_seed(PjCompile *cx, PjInstr *ins, const PjCallable *fn,
                    PjType **args, int n)
{
    return type_random(cx, ins, fn, args, n, 2, pj_t.none);
}

int
pj_type_random_int(PjCompile *cx, PjInstr *ins, const PjCallable *fn,
                   PjType **args, int n)
{
    return type_random(cx, ins, fn, args, n, 1, pj_t.i64);
}

int
pj_type_random_float(PjCompile *cx, PjInstr *ins, const PjCallable *fn,
                     PjType **args, int n)
{
    return type_random(cx, ins, fn, args, n, 1, pj_t.f64);
}
