/*
** pyjit.h - the one internal header, one section per .c file in pipeline
** order.  Nothing is declared here unless a second file uses it.
**
** Include order in every .c file: Python.h (through this header, which
** must come first), system headers, llvm-c headers, then this header's own
** sections.
*/
#ifndef PYJIT_H
#define PYJIT_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdarg.h>

#include <llvm-c/Core.h>

#include "ops.h"

typedef struct PjArena PjArena;
typedef struct PjBuf PjBuf;
typedef struct PjMap PjMap;
typedef struct PjType PjType;
typedef struct PjLoc PjLoc;
typedef struct PjVar PjVar;
typedef struct PjInstr PjInstr;
typedef struct PjBlock PjBlock;
typedef struct PjFunc PjFunc;
typedef struct PjDiag PjDiag;
typedef struct PjCompile PjCompile;
typedef struct PjCallee PjCallee;
typedef struct PjLower PjLower;
typedef struct PjOverload PjOverload;
typedef struct PjFuncInfo PjFuncInfo;
typedef struct PjOptions PjOptions;
typedef struct PjState PjState;

#define RETURN_IF_ERROR(X)      \
    do {                        \
        if ((X) < 0) {          \
            return -1;          \
        }                       \
    } while (0)

#define PJ_SMALL_ARGS 8        /* arguments typed on the stack per call */
#define PJ_MAX_ARGS 255

/* --- module.c --- */

/* Process-wide state.  The extension keeps one instance: types are interned
   for the life of the process and the JIT is process-wide too. */
struct PjState {
    PyObject *module;
    PyTypeObject *type_type;        /* pyjit.types.Type */
    PyTypeObject *dispatcher_type;  /* pyjit.Dispatcher */
    PyTypeObject *signature_type;   /* pyjit.types.Signature */
    PyObject *typing_error;         /* pyjit.errors.* classes */
    PyObject *unsupported_error;
    PyObject *lowering_error;
    PyObject *intern;               /* key tuple -> Type */
    PyObject *types_by_code;        /* list: typecode -> Type */
    PyObject *builtin_ids;          /* callable -> builtin id, built lazily */
    PyObject *ast_kinds;            /* _ast class -> node kind */
    PyObject *source_module;        /* pyjit._source, imported lazily */
    PyObject *objmode_module;       /* pyjit._objmode, imported lazily */
    PyObject *cache_module;         /* pyjit._cache, imported lazily */
    PyObject *cache_write_module;   /* pyjit._cache_write, likewise */
    PyObject *serialize_module;     /* pyjit._serialize, imported lazily */
    PyObject *numpy_exceptions;     /* numpy's _exceptions, imported lazily */
    PyObject *library;              /* NumPy callable -> dispatcher */
    PyObject *library_methods;      /* array method name -> dispatcher */
    PyObject *str_cache;            /* interned attribute names */
    unsigned dump;                  /* PJ_DUMP_* bits from PYJIT_DUMP */
};

extern PjState *pj_state;

enum {
    PJ_DUMP_IR = 1, PJ_DUMP_TYPED = 2, PJ_DUMP_LLVM = 4, PJ_DUMP_OPT = 8,
    PJ_DUMP_ASM = 16,
};

/* Interned attribute-name strings used by the AST reader, by field. */
PyObject *pj_str(const char *s);

/* --- arena.c --- */

PjArena *pj_arena_new(void);
void pj_arena_free(PjArena *a);
void *pj_arena_alloc(PjArena *a, size_t n);             /* zeroed */
char *pj_arena_strdup(PjArena *a, const char *s);
char *pj_arena_printf(PjArena *a, const char *fmt, ...);
char *pj_arena_vprintf(PjArena *a, const char *fmt, va_list ap);
int pj_arena_add_pyobject(PjArena *a, PyObject *obj);  /* new reference */
void pj_arena_stats(size_t *arenas, size_t *bytes);
long pj_arena_fail_after(long n);
unsigned long pj_arena_failures(void);

#define PJ_NEW(A, T) ((T *)pj_arena_alloc((A), sizeof(T)))
#define PJ_NEW_N(A, T, N) ((T *)pj_arena_alloc((A), sizeof(T) * (size_t)(N)))

/* --- util.c --- */

/* Growable text buffer on the C heap; the printers and diagnostics build
   their output in one. */
struct PjBuf {
    char *data;
    size_t len, cap;
    int failed;               /* set when an allocation failed */
};

void pj_buf_init(PjBuf *b);
void pj_buf_free(PjBuf *b);
void pj_buf_puts(PjBuf *b, const char *s);
void pj_buf_putn(PjBuf *b, const char *s, size_t n);
void pj_buf_printf(PjBuf *b, const char *fmt, ...);
void pj_buf_repeat(PjBuf *b, char c, int n);
PyObject *pj_buf_to_str(PjBuf *b);     /* new str; frees the buffer */

/* String-keyed hash map in an arena. */
struct PjMap {
    PjArena *arena;
    const char **keys;
    void **vals;
    int cap, len;
};

void pj_map_init(PjMap *m, PjArena *a);
void *pj_map_get(PjMap *m, const char *key);
int pj_map_put(PjMap *m, const char *key, void *val);

/* Arena-backed vector of pointers. */
typedef struct PjVec {
    void **items;
    int len, cap;
} PjVec;

int pj_vec_push(PjArena *a, PjVec *v, void *item);

uint64_t pj_hash_bytes(const void *p, size_t n, uint64_t h);
PyObject *pj_import_once(PyObject **slot, const char *name);
double pj_now(void);

/* Where compile time goes, per specialization. */
enum {
    PJ_TIME_TYPING, PJ_TIME_LOWER, PJ_TIME_OPT, PJ_TIME_CODEGEN,
    PJ_TIME_LINK, PJ_TIME_COUNT
};

/* --- types.c --- */

typedef enum PjTypeKind {
    PJ_TK_BOOL, PJ_TK_INT, PJ_TK_UINT, PJ_TK_FLOAT, PJ_TK_COMPLEX,
    PJ_TK_NONE, PJ_TK_PYOBJECT,
    PJ_TK_UNITUPLE, PJ_TK_TUPLE, PJ_TK_OPTIONAL,
    PJ_TK_RANGE,              /* range object; elems[0] its integer type */
    PJ_TK_ITER,               /* iterator; ident a PJ_ITER_*, item yields */
    PJ_TK_PAIR,               /* (item, ok) from ITERNEXT */
    PJ_TK_ARRAY,              /* NumPy array: elems[0] the dtype, bits the
                                 ndim, ident a PJ_LAYOUT_* | PJ_READONLY */
    PJ_TK_SLICE,              /* slice(start, stop, step): ident says which
                                 are given (PJ_SLICE_*), the rest are None */
    PJ_TK_STRLIT,             /* a constant string: obj */
    /* Compile-time constants: the value is obj and has no run-time data. */
    PJ_TK_MODULE,
    PJ_TK_FUNCTION,           /* builtin or library callable; ident its id */
    PJ_TK_DISPATCHER,         /* a jitted function */
    PJ_TK_CLASS,              /* a class used as a function: int, float... */
    PJ_TK_BOUND,              /* method obj (str) bound to elems[0] */
} PjTypeKind;

enum { PJ_ITER_RANGE, PJ_ITER_TUPLE, PJ_ITER_ENUMERATE, PJ_ITER_ZIP,
       PJ_ITER_ARRAY, PJ_ITER_FLAT };

enum { PJ_SLICE_START = 1, PJ_SLICE_STOP = 2, PJ_SLICE_STEP = 4 };

/* Array layouts, as Numba names them: C contiguous, or any strides. */
enum { PJ_LAYOUT_C = 0, PJ_LAYOUT_A = 1, PJ_READONLY = 2 };
#define PJ_MAX_NDIM 32

/* A type.  Types are Python objects (pyjit.types.Type) so that signatures
   are tuples of them.  Interned types live for the process and own a
   typecode, their index in pj_state->types_by_code; compile-time constant
   types (modules, functions) are compile-local, with code -1. */
struct PjType {
    PyObject_HEAD
    PjTypeKind kind;
    int code;
    int bits;                 /* numbers: width in bits */
    int count;                /* tuples: arity; zip: number of iterators */
    int ident;                /* iterators: PJ_ITER_*; functions: id */
    PjType **elems;
    PjType *item;             /* iterators: what they yield */
    PyObject *obj;            /* constants: the value */
    PyObject *name;           /* str: how the type prints */
    PyObject *key;            /* intern key */
};

/* The basic types, set up at module exec. */
typedef struct PjBasicTypes {
    PjType *boolean, *i8, *i16, *i32, *i64, *u8, *u16, *u32, *u64;
    PjType *f32, *f64, *c64, *c128, *none, *pyobject;
} PjBasicTypes;

extern PjBasicTypes pj_t;

int pj_types_init(PyObject *module);
PjType *pj_type_int(int bits, bool is_signed);
PjType *pj_type_float(int bits);
PjType *pj_type_complex(int bits);
PjType *pj_type_tuple(PjType **elems, int n);       /* UniTuple if uniform */
PjType *pj_type_optional(PjType *t);
PjType *pj_type_range(PjType *t);
PjType *pj_type_iter(int ident, PjType **elems, int n, PjType *item);
PjType *pj_type_pair(PjType *item);
PjType *pj_type_array(PjType *dtype, int ndim, int flags);
PjType *pj_type_slice(int given);
PjType *pj_type_numpy_promote(PjType *a, PjType *b);

static inline int
pj_array_ndim(const PjType *t)
{
    return t->bits;
}

static inline bool
pj_array_is_c(const PjType *t)
{
    return (t->ident & PJ_LAYOUT_A) == 0;
}

static inline bool
pj_array_readonly(const PjType *t)
{
    return (t->ident & PJ_READONLY) != 0;
}
PjType *pj_type_const(PjArena *a, PjTypeKind kind, PyObject *obj, int id);
PjType *pj_type_bound(PjArena *a, PjType *self, const char *method);
PjType *pj_type_from_code(int code);
const char *pj_type_str(PjType *t);
bool pj_type_is_number(PjType *t);     /* bool, ints, floats, complex */
bool pj_type_is_integer(PjType *t);    /* ints, not bool */
bool pj_type_is_tuple(PjType *t);
bool pj_type_is_const(PjType *t);      /* no run-time data */
PjType *pj_type_elem(PjType *t, int i);       /* tuple element i */
PjType *pj_type_unify(PjType *a, PjType *b);  /* NULL: cannot unify */
PjType *pj_type_promote(PjType *a, PjType *b);
int pj_type_conversion_cost(PjType *from, PjType *to);  /* -1: none */
PyObject *pj_type_make_signature(PjType *ret, PyObject *args);
bool pj_type_check(PyObject *obj);

/* --- typeof.c --- */

/* An unboxed argument as the dispatcher hands it to a wrapper. */
typedef union PjValue {
    int64_t i;
    uint64_t u;
    double f;
    float f32;
    double c[2];
    float c32[2];
} PjValue;

int pj_typeof_arg(PyObject *obj, PjValue *val);   /* typecode, -1 error */
PjType *pj_typeof_value(PyObject *obj, bool *untypable);
PjType *pj_typeof_scalar_class(PyObject *cls);
int pj_type_numpy_num(PjType *t);
const char *pj_typeof_why_not(PyObject *obj);
int pj_value_convert(PjValue *v, PjType *from, PjType *to);
int pj_typeof_init(void);

/* --- diag.c --- */

typedef enum PjStage {
    PJ_STAGE_FRONTEND, PJ_STAGE_INFER, PJ_STAGE_LOWER, PJ_STAGE_JIT,
} PjStage;

typedef enum PjErrKind {
    PJ_ERR_TYPING, PJ_ERR_UNSUPPORTED, PJ_ERR_LOWERING,
} PjErrKind;

struct PjLoc {
    int line, col;
};

struct PjDiag {
    PjStage stage;
    PjErrKind kind;
    PjLoc loc;
    const char *msg;
    const char *during;      /* "typing of get attribute", or NULL */
};

int pj_diag(PjCompile *cx, PjErrKind kind, PjLoc loc, const char *fmt, ...);
void pj_diag_during(PjCompile *cx, const char *during);
int pj_diag_raise(PjCompile *cx);
int pj_diag_llvm(PjCompile *cx, const char *what, char *llvm_msg);

/* --- ir.c --- */

struct PjVar {
    const char *name;
    int id;
    PjType *type;              /* set by inference */
    PjLoc loc;                 /* first definition */
    int ndefs;
    PjInstr *def;              /* the definition when ndefs == 1 */
    bool is_temp;
};

struct PjInstr {
    int op;                    /* PJ_OP_* */
    int sub;                   /* operator, argument index, item count */
    PjLoc loc;
    PjVar *dst;
    PjVar **src;
    int nsrc;
    PyObject *obj, *obj2;      /* owned by the arena */
    const char *name;
    PjBlock *target[2];
    PjInstr *next;
    /* Written by inference, read by lowering. */
    PjType *resty;             /* type the operation produces */
    PjType **argtys;           /* types the operands are converted to */
    const struct PjImpl *impl;
    void *data;
    void *impl_data;           /* the implementation's own plan */
};

struct PjBlock {
    int label;
    int index;
    PjLoc loc;
    PjInstr *first, *last;
    int ntemps;
    PjVec preds;
    bool reachable;
};

struct PjFunc {
    PjArena *arena;
    const char *name;
    PjVec blocks;              /* PjBlock*, in creation order */
    PjVec vars;                /* PjVar*, in creation order */
    PjMap varmap;
    PjVar **args;
    int nargs;
};

extern const char *const pj_op_names[];
extern const int pj_op_flags[];
extern const char *const pj_op_during[];
extern const char *const pj_binop_syms[];
extern const char *const pj_unop_syms[];
extern const char *const pj_cmpop_syms[];

enum {
#define X(N, T, F, D) PJ_OP_##N,
    PJ_OPS(X)
#undef X
    PJ_OP_COUNT
};
enum {
#define X(N, S, D) PJ_BIN_##N,
    PJ_BINOPS(X)
#undef X
    PJ_BIN_COUNT
};
enum {
#define X(N, S) PJ_UN_##N,
    PJ_UNOPS(X)
#undef X
};
enum {
#define X(N, S) PJ_CMP_##N,
    PJ_CMPOPS(X)
#undef X
};

PjFunc *pj_ir_new_func(PjArena *a, const char *name);
PjBlock *pj_ir_new_block(PjFunc *fn, PjLoc loc);
PjVar *pj_ir_var(PjFunc *fn, const char *name);
PjVar *pj_ir_new_temp(PjFunc *fn, PjBlock *b);
PjInstr *pj_ir_append(PjFunc *fn, PjBlock *b, int op, PjLoc loc,
                       PjVar **src, int n);
void pj_ir_set_dst(PjInstr *ins, PjVar *dst);
int pj_ir_fill_cfg(PjFunc *fn);
PjBlock *pj_ir_block(PjFunc *fn, int i);
PjVar *pj_ir_var_at(PjFunc *fn, int i);
int pj_ir_successors(PjBlock *b, PjBlock **out);
PyObject *pj_ir_const_of(PjVar *v);     /* borrowed, or NULL */

/* --- ir_print.c --- */

void pj_ir_print_instr(PjBuf *b, PjInstr *ins, bool typed);
void pj_ir_print_func(PjBuf *b, PjFunc *fn, bool typed);
PyObject *pj_ir_annotate(PjCompile *cx);

/* --- ir_verify.c --- */

int pj_ir_verify(PjCompile *cx, bool typed);

/* --- frontend.c --- */

int pj_frontend(PjCompile *cx);

/* --- typeinfer.c --- */

int pj_infer(PjCompile *cx);

/* How the arguments of a CALL map onto the callee's parameters: src[i]
   is the index in ins->src of parameter i, or -1 when the parameter takes
   its default, defaults[i].  Extra positional arguments of a callee with
   *args are src[vararg_first ...] and become its last parameter, a tuple.
   callee is set for calls to jitted functions. */
typedef struct PjCallPlan {
    int nparams;
    int *src;
    PyObject **defaults;
    int vararg_first;
    int nvarargs;
    bool has_varargs;
    PjCallee *callee;
} PjCallPlan;

PjCallPlan *pj_infer_plan(PjCompile *cx, PjInstr *ins, int nparams);
PjType *pj_infer_constant_type(PjCompile *cx, PyObject *obj);

#define PJ_FINAL INT32_MAX

/* What a call to a jitted function resolved to. */
struct PjCallee {
    PyObject *dispatcher;
    PjType **argtys;           /* the specialization's argument types */
    int nargs;
    PjType *restype;
    bool can_raise;
    int depends_on;            /* depth of the earliest unfinished compile
                                  its types depend on; PJ_FINAL if none */
    bool is_self;              /* a function calling itself */
    PjCompile *typed;          /* its typed IR, kept for code generation */
};

/* --- builtins.c --- */

/* How an operation lowers, chosen by inference. */
typedef LLVMValueRef (*PjLowerFn)(PjLower *lw, PjInstr *ins,
                                  LLVMValueRef *args);

typedef struct PjImpl {
    const char *name;
    PjLowerFn lower;
    bool can_raise;
    bool owned;         /* its result is a new reference to array memory */
} PjImpl;

int pj_builtins_init(void);
int pj_choose(PjCompile *cx, PjInstr *ins, const PjImpl *impl, PjType *resty,
              PjType **argtys, int n);
PyObject *pj_library_function(PyObject *callable);
PyObject *pj_library_method(const char *name);
bool pj_library_owns(PyObject *disp);
int pj_builtin_id(PyObject *callable);
int pj_type_binop(PjCompile *cx, PjInstr *ins, int op, PjType *a, PjType *b);
int pj_type_unary(PjCompile *cx, PjInstr *ins, PjType *a);
int pj_type_compare(PjCompile *cx, PjInstr *ins, PjType *a, PjType *b);
int pj_type_builtin_call(PjCompile *cx, PjInstr *ins, PjType *fn,
                         PjType **args, int nargs, PyObject *kwnames);
int pj_type_getattr(PjCompile *cx, PjInstr *ins, PjType *t);
int pj_type_getiter(PjCompile *cx, PjInstr *ins, PjType *t);
int pj_type_truth(PjType *t);
LLVMValueRef pj_lower_range_count(PjLower *lw, LLVMValueRef start,
                                  LLVMValueRef stop, LLVMValueRef step,
                                  bool is_unsigned);
extern const PjImpl pj_impl_getitem_tuple;
extern const PjImpl pj_impl_self;
extern const PjImpl pj_impl_build_tuple;
extern const PjImpl pj_impl_pair;
extern const PjImpl pj_impl_slice_tuple;

/* --- arrays.c --- */

int pj_array_type_getitem(PjCompile *cx, PjInstr *ins, PjType *arr,
                          PjType *idx, const char **why);
int pj_array_type_setitem(PjCompile *cx, PjInstr *ins, PjType *arr,
                          PjType *idx, PjType *value, const char **why);
int pj_array_type_getattr(PjCompile *cx, PjInstr *ins, PjType *arr);
int pj_array_type_len(PjCompile *cx, PjInstr *ins, PjType *arr);
int pj_array_type_operator(PjCompile *cx, PjInstr *ins, PjType *a,
                           PjType *b, const char **why);
PjInstr *pj_array_elem_call(PjCompile *cx, PjInstr *ins);
int pj_array_type_method(PjCompile *cx, PjInstr *ins, PjType *arr,
                         const char *name, PjType **args, int n,
                         const char **why);
int pj_array_type_map(PjCompile *cx, PjInstr *ins, PjInstr *elem,
                      PjType *arr, PjType *dtype);
PjType *pj_array_iter_item(PjType *arr);

/* The functions that make arrays. */
enum { PJ_NEW_EMPTY, PJ_NEW_ZEROS, PJ_NEW_ONES, PJ_NEW_FULL, PJ_NEW_ARANGE,
       PJ_NEW_COPY };
int pj_array_type_new(PjCompile *cx, PjInstr *ins, int how, bool like,
                      PjType **args, int n, PjType *dtype, const char **why);

/* --- lower.c --- */

struct PjLower {
    PjCompile *cx;
    PjFunc *fn;
    LLVMContextRef ctx;
    LLVMModuleRef mod;
    LLVMBuilderRef b;
    LLVMValueRef func;          /* the native function being built */
    LLVMValueRef retptr;        /* status convention: result slot */
    LLVMValueRef *slots;        /* per variable */
    LLVMBasicBlockRef *bbs;     /* per block */
    LLVMTypeRef t_i1, t_i8, t_i32, t_i64, t_f32, t_f64, t_ptr, t_void;
    PjVec linked;               /* callee bitcode objects to link */
    LLVMBasicBlockRef error_bb; /* releases the variables, returns -1 */
    bool counts_memory;         /* some variable holds array memory */
};

LLVMTypeRef pj_lower_type(PjLower *lw, PjType *t);
LLVMValueRef pj_lower_convert(PjLower *lw, LLVMValueRef v, PjType *from,
                              PjType *to);
LLVMValueRef pj_lower_truth(PjLower *lw, LLVMValueRef v, PjType *t);
LLVMValueRef pj_lower_float_to_int(PjLower *lw, LLVMValueRef v,
                                   LLVMTypeRef to, bool is_signed);
LLVMValueRef pj_lower_alloca(PjLower *lw, LLVMTypeRef t, const char *name);
LLVMValueRef pj_lower_helper(PjLower *lw, const char *name, LLVMTypeRef ret,
                             LLVMTypeRef *params, LLVMValueRef *args, int n);
LLVMValueRef pj_lower_intrinsic(PjLower *lw, const char *name,
                                LLVMTypeRef type, LLVMValueRef *args, int n);
void pj_lower_raise_if(PjLower *lw, LLVMValueRef bad, const char *helper,
                       LLVMTypeRef *params, LLVMValueRef *args, int n);
void pj_lower_check(PjLower *lw, LLVMValueRef bad, const char *exc,
                    const char *msg);
LLVMBasicBlockRef pj_lower_fail_begin(PjLower *lw, LLVMValueRef bad);
void pj_lower_fail_end(PjLower *lw, LLVMBasicBlockRef ok);
bool pj_type_holds_memory(PjType *t);
LLVMValueRef pj_lower_none(PjLower *lw);
LLVMValueRef pj_lower_complex(PjLower *lw, PjType *t, LLVMValueRef re,
                              LLVMValueRef im);
LLVMValueRef pj_lower_pyconst(PjLower *lw, PyObject *obj, PjType *t);
LLVMValueRef pj_lower_iternext(PjLower *lw, PjType *it, LLVMValueRef state,
                               LLVMValueRef *ok);
LLVMValueRef pj_lower_array_iternext(PjLower *lw, PjType *it,
                                     LLVMValueRef state, LLVMValueRef *ok);
LLVMValueRef pj_lower_array_iter(PjLower *lw, PjType *it, LLVMValueRef a);
int pj_lower(PjCompile *cx);

/* --- jit.c --- */

/* What the JIT produced for one specialization; strings are owned. */
typedef struct PjArtifact {
    PyObject *llvm_ir;          /* optimized module text */
    PyObject *bitcode;          /* optimized module, for callers to inline */
    PyObject *object;           /* the object file, with cache=True */
    void *entry;                /* the wrapper */
} PjArtifact;

int pj_jit_prepare_module(LLVMModuleRef mod);
int pj_jit_emit(PjCompile *cx, PjArtifact *out, bool defer);
void *pj_jit_lookup(const char *name);
int pj_jit_claim_name(const char *name);
void pj_jit_release_name(const char *name);
int pj_jit_load_object(PyObject *object);
PyObject *pj_jit_asm(PyObject *llvm_ir);
int pj_jit_verify_ir(PyObject *llvm_ir);
PyObject *pj_jit_host_info(void);
bool pj_jit_ready(void);

/* --- runtime.c --- */

typedef struct PjSymbol {
    const char *name;
    void *addr;
} PjSymbol;

extern const PjSymbol pj_runtime_symbols[];

/* --- dispatcher.c --- */

/* The wrapper every specialization exports: unboxes its arguments (scalars
   arrive already unboxed in vals), calls the native function, boxes the
   result.  Returns a new reference, or NULL with an exception set. */
typedef PyObject *(*PjEntry)(PyObject *const *args, const PjValue *vals);

struct PjOptions {
    bool nopython, nogil, cache, boundscheck, error_model_numpy;
    bool forceobj, looplift;
    LLVMFastMathFlags fastmath;     /* on float operations; none by default */
};

/* What the compiler needs to know about the Python function. */
struct PjFuncInfo {
    PyObject *func;             /* the Python function */
    PyObject *code, *globals, *closure, *defaults, *kwdefaults;
    PyObject *name, *qualname, *module_name;
    int argcount;               /* positional parameters */
    int posonlycount;           /* of which positional-only */
    int kwonlycount;
    bool has_varargs;
    bool has_varkw;             /* a **kwargs parameter */
    PyObject *filename;         /* str */
    PyObject *lines;            /* list of source lines of the file */
    PyObject *node;             /* the ast.FunctionDef */
    int first_line, last_line;  /* decorators included */
};

struct PjOverload {
    int *codes;                 /* argument typecodes */
    PyObject *sig;              /* tuple of Types */
    PjType *restype;
    PjEntry entry;
    char *native_name;          /* PyMem */
    bool can_raise;
    PyObject *annotation;       /* inspect_types text */
    PyObject *llvm_ir;
    PyObject *bitcode;
    PyObject *object;           /* the object file, to cache; or NULL */
    PyObject *asm_text;         /* produced on demand */
    PyObject *objmode;          /* object mode: pyjit._objmode's
                                   ObjectModeFunction, else NULL */
    PyObject *objmode_call;     /* its function of the parameter row */
    double compile_seconds;
    double seconds[PJ_TIME_COUNT];
};

bool pj_dispatcher_check(PyObject *obj);
PjFuncInfo *pj_dispatcher_info(PyObject *disp);
PjOptions *pj_dispatcher_options(PyObject *disp);
PjOverload *pj_dispatcher_find_kind(PyObject *disp, PjType **argtys, int n,
                                    bool objmode);

static inline PjOverload *
pj_dispatcher_find(PyObject *disp, PjType **argtys, int n)
{
    return pj_dispatcher_find_kind(disp, argtys, n, false);
}

PjOverload *pj_dispatcher_match(PyObject *disp, PjType **argtys, int n);
int pj_dispatcher_add(PyObject *disp, PjOverload *ov);
int pj_dispatcher_count(PyObject *disp, PjType **argtys, int n, bool hit);
void pj_dispatcher_remove(PyObject *disp, PjOverload *ov);
int pj_dispatcher_init_type(PyObject *module);
int pj_dispatcher_ensure_info(PyObject *disp);
bool pj_dispatcher_can_compile(PyObject *disp);

/* --- compile.c --- */

struct PjCompile {
    PjArena *arena;
    PjCompile *parent;          /* the compile that asked for this one */
    PyObject *dispatcher;
    PjFuncInfo *info;
    PjOptions opts;
    PjType **argtys;
    int nargs;
    bool *untypable;            /* per argument: typeof failed */
    PyObject **argvalues;       /* per argument: the value, for messages */
    PjType *declared_ret;       /* from an explicit signature, or NULL */
    PjType *restype;            /* inferred */
    const char *why;            /* a builtin's reason for not typing */
    int stage;                  /* typing, then lowering */
    bool can_raise;
    bool assumed_raising;       /* a recursive caller assumed it raises */
    int depth;                  /* 0 for the outermost compile */
    int depends_on;             /* see PjCallee; PJ_FINAL if none */
    bool calls_active;          /* calls a function still compiling */
    PjFunc *fn;
    PjDiag *diag;
    const char *native_name;    /* claimed in the JIT (make_names) */
    const char *wrapper_name;
    bool code_added;            /* its object is in the JIT: the name stays
                                   taken */
    PjVec callee_memo;          /* PjCallee*: typing results of callees */
    PjVec callees;              /* PjOverload*: compiled callees to link */
    LLVMContextRef llctx;
    LLVMModuleRef llmod;
    double started;
    double seconds[PJ_TIME_COUNT];
};

/* Whether cx's types depend on a function further up the chain whose
   inference is unfinished (mutual recursion): then they are a draft. */
static inline bool
pj_compile_provisional(PjCompile *cx)
{
    return cx->depends_on < cx->depth;
}

PjOverload *pj_compile(PyObject *disp, PjType **argtys, int nargs,
                       PjType *declared_ret, PyObject *const *argvalues,
                       const bool *untypable);
PjCallee *pj_compile_callee(PjCompile *cx, PyObject *disp, PjType **argtys,
                            int nargs, bool report);
int pj_compile_callee_symbol(PjCompile *cx, PjCallee *callee,
                             const char **name, bool *can_raise,
                             PjType **restype);
void pj_compile_dump(PjCompile *cx, unsigned what, const char *title,
                     PjBuf *text);
PjOverload *pj_overload_new(PjType **argtys, int nargs,
                            const char *native_name);
void pj_overload_free(PjOverload *ov);
int pj_runtime_init(PyObject *module);
int pj_compile_lock(void);
void pj_compile_unlock(void);
void pj_compile_after_fork(void);
PyObject *pj_compile_object_annotation(PyObject *disp, PjType **argtys,
                                       int nargs);

/* --- cache.c --- */

PjOverload *pj_cache_load(PyObject *disp, PjType **argtys, int nargs,
                          PjType *declared_ret);
void pj_cache_save(PyObject *disp, PjOverload *ov, PjType *declared_ret);

/* --- cachekey.c --- */

PyObject *pj_cache_digest(PyObject *const *parts, Py_ssize_t n);
PyObject *pj_cache_function_digests(PyObject *func, PyObject *environment,
                                    PyObject *text_of);
PyObject *pj_cache_build_id(void);

/* --- objmode.c --- */

bool pj_objmode_applies(const PjOptions *opts);
PjOverload *pj_objmode_compile(PyObject *disp, PjType **argtys, int nargs);
PyObject *pj_objmode_annotation(PyObject *disp, PjOverload *ov);
PyObject *pj_objmode_inspect(PjOverload *ov, const char *which);

#endif /* PYJIT_H */
