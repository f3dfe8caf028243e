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
#include <llvm-c/DebugInfo.h>

#include "ops.h"
#include "kinds.h"
#include "callables.h"

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
typedef struct PjCallPlan PjCallPlan;
typedef struct PjCallable PjCallable;
typedef struct PjMemInfo PjMemInfo;

/* A block of reference-counted memory (runtime.c) keeps its data this
   many bytes after its start; a block whose data holds references has a
   destructor that releases them. */
#define PJ_MEMINFO_HEADER 64
typedef void (*PjMemDtor)(void *data, void *arg);
typedef struct PjTarget PjTarget;
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
    Py_ssize_t stable_typecodes;    /* the typecodes below this one are
                                       every process's (types.c) */
    PyObject *builtin_ids;          /* callable -> builtin id, built lazily */
    PyObject *ast_kinds;            /* _ast class -> node kind */
    PyObject *source_module;        /* pyjit._source, imported lazily */
    PyObject *objmode_module;       /* pyjit._objmode, imported lazily */
    PyObject *objmode_block_module; /* pyjit._objmode_block, likewise */
    PyObject *literal_unroll_module; /* pyjit._literal_unroll, likewise */
    PyObject *strformat_module;     /* pyjit._strformat, likewise */
    PyObject *isinstance_module;    /* pyjit._isinstance, likewise */
    PyObject *parallel_module;      /* pyjit._parallel, likewise */
    PyObject *objmode_blocks;       /* list: the Blocks code calls */
    PyObject *cache_module;         /* pyjit._cache, imported lazily */
    PyObject *cache_write_module;   /* pyjit._cache_write, likewise */
    PyObject *serialize_module;     /* pyjit._serialize, imported lazily */
    PyObject *numpy_exceptions;     /* numpy's _exceptions, imported lazily */
    PyObject *library;              /* NumPy callable -> dispatcher */
    PyObject *library_methods;      /* array method name -> dispatcher */
    PyObject *parallel_library;     /* the same, for parallel=True */
    PyObject *parallel_library_methods;
    PyObject *library_ufuncs;       /* dispatcher -> the NumPy ufunc */
    PyObject *str_cache;            /* interned attribute names */
    unsigned dump;                  /* PJ_DUMP_* bits from PYJIT_DUMP */
    int opt_level;                  /* LLVM's, 0..3: pyjit.config.OPT */
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
#define X(N, ROW) PJ_TK_##N,
    PJ_KINDS(X)         /* ORDER TK */
#undef X
    PJ_TK_COUNT
} PjTypeKind;

/* A type.  Types are Python objects (pyjit.types.Type) so that signatures
   are tuples of them.  Interned types live for the process and own a
   typecode, their index in pj_state->types_by_code; compile-time constant
   types (modules, classes, strings) are compile-local, with code -1.
   What each field holds depends on the kind (kinds.h). */
struct PjType {
    PyObject_HEAD
    PjTypeKind kind;
    int code;
    int bits;                 /* numbers: width in bits; arrays: ndim */
    int count;                /* tuples: arity; zip: number of iterators */
    int ident;                /* a kind's variant: layout, slice parts... */
    int nelems;
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
PjType *pj_type_intern(PjTypeKind kind, int bits, int ident, PjType **elems,
                       int n, PjType *item);
PjType *pj_type_iterator(PjTypeKind kind, PjType **elems, int n,
                         PjType *item);
PjType *pj_type_intern_object(PjTypeKind kind, int ident, PyObject *obj);
PjType *pj_type_intern_with(PjTypeKind kind, int ident, PjType **elems,
                            int n, PyObject *obj);
PjType *pj_type_unique_object(PjTypeKind kind, PyObject *obj);
PjType *pj_type_const(PjArena *a, PjTypeKind kind, PyObject *obj, int id,
                      PjType *self);
PjType *pj_type_from_code(int code);
LLVMValueRef pj_lower_typecode(PjLower *lw, PjType *t);
const char *pj_type_str(PjType *t);
void pj_type_print_parts(PjBuf *b, const char *prefix, PjType *t);
bool pj_type_is_number(PjType *t);     /* bool, ints, floats, complex */
bool pj_type_is_integer(PjType *t);    /* ints, not bool */
bool pj_type_is_intlike(PjType *t);    /* bool and ints */
bool pj_type_is_float(PjType *t);
bool pj_type_is_pyobject(PjType *t);
bool pj_type_is_real(PjType *t);       /* numbers but complex */
bool pj_type_is_bool(PjType *t);
bool pj_type_is_complex(PjType *t);
bool pj_type_is_const(PjType *t);      /* no run-time data */
PjType *pj_type_unify(PjType *a, PjType *b);  /* NULL: cannot unify */
int pj_type_conversion_cost(PjType *from, PjType *to);  /* -1: none */
PyObject *pj_type_make_signature(PjType *ret, PyObject *args);
bool pj_type_check(PyObject *obj);

/* --- kinds.c --- */

/* What the compiler can do with values of one kind, asked by the stages
   instead of switching on kinds.  Each kind's file fills its row; a NULL
   hook means the kind has no such operation (a TypingError says so).
   Typers return 0 when they chose an implementation (pj_choose), 1 when
   there is none, -1 with an exception set or a diagnostic recorded. */
typedef void (*PjMemFn)(PjLower *lw, LLVMValueRef meminfo);

typedef struct PjKind {
    const char *name;           /* iterators: how their types print */
    /* The type: how it prints (Numba's spelling), the type holding values
       of a and b (both of this kind; NULL: none), the cost of converting
       a value of `from` to `to` (of this kind) at a call with explicit
       signatures (-1: not allowed; see pj_type_conversion_cost). */
    void (*print)(PjBuf *b, PjType *t);
    PjType *(*unify)(PjType *a, PjType *b);
    int (*conversion_cost)(PjType *from, PjType *to);
    /* Typing.  type_operator is asked for a BINOP, INPLACE, UNARY or
       COMPARE where either operand is of this kind (b is NULL for a
       unary one); the left operand's kind is asked first. */
    int (*type_getattr)(PjCompile *cx, PjInstr *ins, PjType *t);
    int (*type_method)(PjCompile *cx, PjInstr *ins, PjType *t,
                       const char *name, PjType **args, int n);
    /* The dispatcher implementing t.name(...) in the library (pyjit's own
       Python, compiled for each use; borrowed), or NULL */
    PyObject *(*library_method)(PjType *t, const char *name, bool parallel);
    /* t.name(args) whose result is only iterated (PjVar.only_iterated):
       a lazy iterator in place of the container, or 1 for none */
    int (*type_iterated_method)(PjCompile *cx, PjInstr *ins, PjType *t,
                                const char *name, PjType **args, int n);
    int (*type_call)(PjCompile *cx, PjInstr *ins, PjType *fn,
                     PjType **args, int n, PyObject *kwnames);
    int (*type_getitem)(PjCompile *cx, PjInstr *ins, PjType *t,
                        PjType *idx);
    int (*type_setitem)(PjCompile *cx, PjInstr *ins, PjType *t,
                        PjType *idx, PjType *value);
    /* t.name = value (ins->name) */
    int (*type_setattr)(PjCompile *cx, PjInstr *ins, PjType *t,
                        PjType *value);
    int (*type_operator)(PjCompile *cx, PjInstr *ins, PjType *a,
                         PjType *b);
    /* len(t), a, b = t (n targets), iter(t) */
    int (*type_len)(PjCompile *cx, PjInstr *ins, PjType *t);
    int (*type_unpack)(PjCompile *cx, PjInstr *ins, PjType *t, int n);
    PjType *(*iter_type)(PjType *t);    /* iter(t)'s type, or NULL */
    /* Lowering.  llvm_type is NULL for compile-time constants, which have
       no run-time value; lower_const is the value of the Python constant
       obj; lower_convert builds a value of type `to` (of this kind) from
       one of type `from`; lower_truth is bool(v) as an
       i1 and NULL when the kind has no truth value; lower_iter makes the
       iterator state from an iterable, lower_iternext advances the state
       at `state` (iterator kinds) and says in *ok whether there was an
       item. */
    LLVMTypeRef (*llvm_type)(PjLower *lw, PjType *t);
    LLVMValueRef (*lower_const)(PjLower *lw, PyObject *obj, PjType *t);
    LLVMValueRef (*lower_convert)(PjLower *lw, LLVMValueRef v, PjType *from,
                                  PjType *to);
    LLVMValueRef (*lower_truth)(PjLower *lw, LLVMValueRef v, PjType *t);
    /* Whether t has a truth value when the kind's values have one only
       for some types (an array's is its item's), marking the compile as
       raising when taking it may raise; NULL: every t of the kind has. */
    bool (*type_truth)(PjCompile *cx, PjType *t);
    LLVMValueRef (*lower_iter)(PjLower *lw, LLVMValueRef v, PjType *t,
                               PjType *it);
    LLVMValueRef (*lower_iternext)(PjLower *lw, PjType *it,
                                   LLVMValueRef state, LLVMValueRef *ok);
    bool iternext_raises;       /* a step may raise (a dict that changed
                                   size under its iterator) */
    /* Advances a loop's own iterator on an edge back to the loop's head,
       where lower_iternext (with lw->iterator_counted) only took the
       item: the loop's increment then sits in its latch, as LLVM expects
       of a counted loop.  NULL: lower_iternext always advances. */
    void (*lower_advance)(PjLower *lw, PjType *it, LLVMValueRef state);
    /* Keys of dicts and sets: lower_hash is hash(v) as CPython computes
       it (an i64, never -1), lower_eq is v == w as an i1 for two values
       of type t.  NULL: values of the kind are not hashable. */
    LLVMValueRef (*lower_hash)(PjLower *lw, LLVMValueRef v, PjType *t);
    LLVMValueRef (*lower_eq)(PjLower *lw, LLVMValueRef v, LLVMValueRef w,
                             PjType *t);
    /* Reference-counted memory: whether a value may hold some, and a walk
       calling f on each meminfo it holds (NULL where `valid`, when given,
       is false). */
    bool (*holds_memory)(PjType *t);
    void (*each_meminfo)(PjLower *lw, LLVMValueRef v, PjType *t,
                         LLVMValueRef valid, PjMemFn f);
    /* v with a reference of its own for a container that may outlive the
       call, where a value may borrow its memory from an argument (an
       array's, a str's); NULL: a new reference to each block it holds
       (pj_lower_taken). */
    LLVMValueRef (*lower_keep)(PjLower *lw, LLVMValueRef v, PjType *t);
    /* The boundary with Python: whether a value can become a Python
       object, the new reference for v (NULL on failure), and the value of
       a Python object the dispatcher has typed as t. */
    bool (*can_box)(PjType *t);
    LLVMValueRef (*box)(PjLower *lw, LLVMValueRef v, PjType *t);
    LLVMValueRef (*unbox)(PjLower *lw, LLVMValueRef obj, PjType *t);
    /* After the call, for an argument unboxed into v from obj: what the
       value owns is released (NULL: nothing to do). */
    void (*unboxed)(PjLower *lw, LLVMValueRef obj, LLVMValueRef v,
                    PjType *t);
    /* After the call, with the GIL, whether it raised or not: what the
       wrapper does with the argument obj it unboxed into v (a reflected
       set writes its items back and releases v).  NULL: nothing. */
    void (*after_call)(PjLower *lw, LLVMValueRef obj, LLVMValueRef v,
                       PjType *t);
    /* typeof: the type of the Python object obj, found `depth` tuples
       deep, or NULL (no exception) when obj is not of this kind;
       `pyobject` with *untypable set when it is but has no type (a masked
       array), why_untypable saying why; init registers the kind's own
       classes with typeof.c at module exec. */
    PjType *(*typeof)(PyObject *obj, bool *untypable, int depth);
    const char *(*why_untypable)(PyObject *obj, int depth);
    int (*init)(void);
} PjKind;

#define X(N, ROW) extern const PjKind pj_kind_##ROW;
PJ_KINDS(X)
#undef X

extern const PjKind *const pj_kinds[PJ_TK_COUNT];

static inline const PjKind *
pj_kind(const PjType *t)
{
    return pj_kinds[t->kind];
}

int pj_kinds_init(void);
const PjKind *pj_kinds_next_row(int *at);
const char *pj_kind_enum_name(int kind);
bool pj_type_holds_memory(PjType *t);
bool pj_type_can_box(PjType *t);
bool pj_type_takes_truth(PjCompile *cx, PjType *t);
bool pj_kind_elems_hold_memory(PjType *t);
LLVMTypeRef pj_kind_block_llvm_type(PjLower *lw, PjType *t);
bool pj_kind_holds_block(PjType *t);
void pj_kind_block_meminfo(PjLower *lw, LLVMValueRef v, PjType *t,
                           LLVMValueRef valid, PjMemFn f);

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
const char *pj_typeof_why_not(PyObject *obj);
PjType *pj_typeof_nested(PyObject *obj, bool *untypable, int depth);
const char *pj_typeof_why_nested(PyObject *obj, int depth);
int pj_typeof_register(PyTypeObject *cls, const PjKind *kind);
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
int pj_diag_from_typing_error(PjCompile *cx, PjLoc loc, const char *during);
int pj_diag_raise(PjCompile *cx);
int pj_diag_warn(PjCompile *cx, const char *cls_name, PjLoc loc,
                 const char *fmt, ...);
int pj_diag_llvm(PjCompile *cx, const char *what, char *llvm_msg);
void pj_diag_dump(PjCompile *cx, const char *title, PjBuf *text);
void pj_diag_dump_module(const char *title, const char *name,
                         const char *text);

/* --- ir.c --- */

struct PjVar {
    const char *name;
    int id;
    PjType *type;              /* set by inference */
    PjLoc loc;                 /* first definition */
    int ndefs;
    PjInstr *def;              /* the definition when ndefs == 1 */
    bool is_temp;
    bool declared;             /* its type is fixed by locals= */
    bool only_iterated;        /* a temporary whose one use is a loop's
                                  GETITER */
    PjVar *origin;             /* the name's first web, when webs.c split
                                  this one off it, or NULL */
};

/* What an implementation decided while typing, for its lowering: its
   own plan (a PjImpl documents which one it uses), a callable of the
   registry, or a small number (a constant index, an attribute). */
typedef union PjPlan {
    const void *ptr;
    const PjCallable *fn;
    intptr_t n;
} PjPlan;

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
    /* Written by inference, read by the lowering of this instruction:
       what the operation produces, the types its operands are converted
       to, and how it is done.  Only pj_choose sets these.  A CALL also
       has the binding of its arguments to the callee's parameters. */
    PjType *resty;
    PjType **argtys;
    const struct PjImpl *impl;
    PjPlan plan;
    PjCallPlan *call;
};

struct PjBlock {
    int label;
    int index;
    PjLoc loc;
    PjInstr *first, *last;
    int ntemps;
    PjVec preds;
    bool reachable;
    PjBlock *handler;           /* where exceptions raised here go (a block
                                   beginning with CATCH), or NULL: out of
                                   the function */
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
PjInstr *pj_ir_insert(PjFunc *fn, PjBlock *b, PjInstr *prev, int op,
                      PjLoc loc, PjVar **src, int n);
void pj_ir_set_dst(PjInstr *ins, PjVar *dst);
int pj_ir_fill_cfg(PjFunc *fn);
PjBlock *pj_ir_block(PjFunc *fn, int i);
PjVar *pj_ir_var_at(PjFunc *fn, int i);
int pj_ir_uses_of(PjFunc *fn, PjVar *v);
void pj_ir_count_uses(PjFunc *fn, int *uses);
int pj_ir_successors(PjBlock *b, PjBlock **out);
int pj_ir_dominates(PjFunc *fn, PjBlock *h, PjBlock *b);
PyObject *pj_ir_const_of(PjVar *v);     /* borrowed, or NULL */
PjVar *pj_ir_split_var(PjFunc *fn, PjVar *v);
const char *pj_ir_source_name(PjVar *v);

/* --- webs.c --- */

int pj_split_webs(PjCompile *cx);

/* --- ir_print.c --- */

void pj_ir_print_instr(PjBuf *b, PjInstr *ins, bool typed);
void pj_ir_print_func(PjBuf *b, PjFunc *fn, bool typed);
PyObject *pj_ir_annotate(PjCompile *cx);

/* --- ir_verify.c --- */

int pj_ir_verify(PjCompile *cx, bool typed);

/* --- frontend.c --- */

int pj_frontend(PjCompile *cx);

/* --- spread.c --- */

PjInstr *pj_spread_tuples(PjCompile *cx, PjBlock *b, PjInstr *ins);
/* Which variables each block may read before writing (ir.c). */
typedef struct PjLiveness {
    int nvars;
    bool handlers;              /* a try's handler counts as a successor */
    unsigned char *live_in;     /* nblocks x nvars */
    unsigned char *use, *def;   /* per block: read before written, written */
} PjLiveness;
int pj_ir_liveness(PjCompile *cx, PjLiveness *lv, bool handlers);
bool pj_ir_live_in(const PjLiveness *lv, PjBlock *b, PjVar *v);
bool pj_ir_live_out(const PjLiveness *lv, PjBlock *b, PjVar *v);
int pj_ir_reachable_successors(PjBlock *b, PjBlock **out);
bool pj_ir_spreads(const PjInstr *ins);

/* --- typeinfer.c --- */

int pj_infer(PjCompile *cx);
PjType *pj_type_passed(PjType *t);
int pj_branch_known(PjCompile *cx, PjVar *cond, PjInstr **held, int nheld);
PjBlock *pj_decided_target(PjCompile *cx, PjInstr *branch);

/* How the arguments of a CALL map onto the callee's parameters: src[i]
   is the index in ins->src of parameter i, or -1 when the parameter takes
   its default, defaults[i].  Extra positional arguments of a callee with
   *args are src[vararg_first ...] and become its last parameter, a tuple.
   callee is set for calls to jitted functions.  A builtin's plan has its
   bound arguments, *args included, as its parameters. */
struct PjCallPlan {
    int nparams;
    int *src;
    PyObject **defaults;
    int vararg_first;
    int nvarargs;
    bool has_varargs;
    PjCallee *callee;
};

/* How an operation lowers, chosen by inference: the builder of its LLVM
   IR from its operands, already converted to ins->argtys; whether it may
   raise; whether its result is a new reference to memory (an
   allocation). */
typedef LLVMValueRef (*PjLowerFn)(PjLower *lw, PjInstr *ins,
                                  LLVMValueRef *args);

typedef struct PjImpl {
    const char *name;
    PjLowerFn lower;
    bool can_raise;
    bool owned;
} PjImpl;

PjCallPlan *pj_infer_plan(PjCompile *cx, PjInstr *ins, int nparams);
void pj_infer_refine(PjCompile *cx, PjVar *v, PjType *t);
PjCallPlan *pj_infer_plan_positional(PjCompile *cx, PjInstr *ins, int n);
int pj_infer_fail(PjCompile *cx, PjInstr *ins, const char *fmt, ...);
int pj_choose(PjCompile *cx, PjInstr *ins, const struct PjImpl *impl,
              PjType *resty, PjType **argtys, int n);
int pj_choose_plan(PjCompile *cx, PjInstr *ins, const struct PjImpl *impl,
                   PjType *resty, PjType **argtys, int n, PjPlan plan);

static inline int
pj_choose2(PjCompile *cx, PjInstr *ins, const struct PjImpl *impl,
           PjType *resty, PjType *a, PjType *b)
{
    PjType *args[2] = {a, b};
    return pj_choose(cx, ins, impl, resty, args, 2);
}

/* --- binder.c --- */

/* What a callee accepts.  names holds the positional parameters, then
   the keyword-only ones; the last ndefaults positional ones and the
   keyword-only ones in kwdefaults may be left out. */
typedef struct PjParams {
    PyObject *names;
    PyObject *defaults;         /* tuple, or NULL */
    PyObject *kwdefaults;       /* dict, or NULL */
    PyObject *fname;            /* for messages */
    int npos, nposonly, nkwonly, ndefaults;
    bool varargs, varkw;
} PjParams;

/* A call bound to parameters: arg[i] is the index among the call's
   arguments (positional, then keyword) of parameter i's argument, or -1
   when it takes its default; the nvarargs arguments from vararg_first go
   to *args, and the keyword arguments extra[0..nextra) to **kwargs. */
typedef struct PjBinding {
    int *arg;
    int vararg_first, nvarargs;
    int *extra;
    int nextra;
} PjBinding;

int pj_params_parse(PjParams *p, const char *fname, const char *spec);
int pj_params_of_code(PjParams *p, PyObject *code, PyObject *fname);
int pj_params_of_function(PjParams *p, PyObject *func);
void pj_params_clear(PjParams *p);
int pj_params_count(const PjParams *p);
PyObject *pj_params_name(const PjParams *p, int i);
bool pj_params_has_default(const PjParams *p, int i);
PyObject *pj_params_default(const PjParams *p, int i);
int pj_bind(const PjParams *p, int npos, PyObject *kwnames, PjBinding *b,
            char *why, size_t len);

/* --- callables.c --- */

bool pj_type_is_callable_value(const PjType *t);
bool pj_type_is_builtin(const PjType *t, int id);

/* Types a call of fn with the bound arguments args[0..n) (NULL where a
   parameter was left out, and none left out after the last): 0 chose an
   implementation, 1 none, -1 error. */
typedef int (*PjTyper)(PjCompile *cx, PjInstr *ins, const PjCallable *fn,
                       PjType **args, int n);

enum {
#define X(ID, M, N, P, T, I, W) PJ_FN_##ID,
    PJ_CALLABLES(X)         /* ORDER FN */
#undef X
    PJ_FN_COUNT,
    PJ_FN_NONE = -1
};

struct PjCallable {
    int id;
    const char *module, *name;
    const char *params;
    PjTyper typer;
    const char *impl;
    int twin;
};

#define X(ID, M, N, P, T, I, W) \
    int T(PjCompile *cx, PjInstr *ins, const PjCallable *fn, PjType **args, \
          int n);
PJ_CALLABLES(X)
#undef X

extern const PjCallable pj_callables[PJ_FN_COUNT];

int pj_callables_init(void);
const PjCallable *pj_callable_of(PyObject *obj);
const PjCallable *pj_callable_twin(const PjCallable *fn);
int pj_callable_arity(const PjCallable *fn);
int pj_callable_type(PjCompile *cx, PjInstr *ins, const PjCallable *fn,
                     PjType **args, int n);

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

/* --- arrays.c --- */

/* Whether t is an array type, or a slice's (the kinds arrays.c owns). */
bool pj_type_is_array(const PjType *t);
bool pj_type_is_slice(const PjType *t);

/* Array layouts, as Numba names them: C contiguous, or any strides. */
enum { PJ_LAYOUT_C = 0, PJ_LAYOUT_A = 1, PJ_READONLY = 2 };
/* F: Fortran (column-major) contiguous, of 2 or more dimensions.  A type
   has at most one of PJ_LAYOUT_A and PJ_LAYOUT_F: pj_type_array keeps A
   when given both, and makes a 1-d F array C. */
enum { PJ_LAYOUT_F = 16, PJ_LAYOUTS = PJ_LAYOUT_A | PJ_LAYOUT_F };
/* A 1-d uint8 array that is a Python byte string (bytes.c). */
enum { PJ_BYTES = 4, PJ_BYTEARRAY = 8 };
#define PJ_MAX_NDIM 32

enum { PJ_SLICE_START = 1, PJ_SLICE_STOP = 2, PJ_SLICE_STEP = 4 };

PjType *pj_type_array(PjType *dtype, int ndim, int flags);
PjType *pj_type_slice(int given);

static inline int
pj_array_ndim(const PjType *t)
{
    return t->bits;
}

static inline bool
pj_array_is_c(const PjType *t)
{
    return (t->ident & PJ_LAYOUTS) == 0;
}

static inline bool
pj_array_is_f(const PjType *t)
{
    return (t->ident & PJ_LAYOUT_F) != 0;
}

static inline bool
pj_array_readonly(const PjType *t)
{
    return (t->ident & PJ_READONLY) != 0;
}

/* The array core, shared by the array files (arrays.c, array_ops.c,
   array_new.c).  An array's value is a struct of these fields. */
enum { PJ_ARRAY_MEMINFO, PJ_ARRAY_PARENT, PJ_ARRAY_DATA, PJ_ARRAY_SHAPE,
       PJ_ARRAY_STRIDES };

/* How a[...] with slices among its indices indexes each dimension. */
enum { PJ_ITEM_INT, PJ_ITEM_SLICE, PJ_ITEM_CONST_SLICE, PJ_ITEM_NEWAXIS,
       PJ_ITEM_ELLIPSIS };

typedef struct {
    int nitems;
    char kinds[PJ_MAX_NDIM];
    int given[PJ_MAX_NDIM];     /* slices: PJ_SLICE_* parts present */
    int spread;                 /* the dimensions `...` stands for */
} PjSlicePlan;

int pj_array_choose(PjCompile *cx, PjInstr *ins, const PjImpl *impl,
                    PjType *resty, PjType **argtys, int n);
int pj_array_choose_plan(PjCompile *cx, PjInstr *ins, const PjImpl *impl,
                         PjType *resty, PjType **argtys, int n, PjPlan plan);
PjType *pj_array_view_type(PjType *arr, int nidx);
PjType *pj_array_transposed_type(PjType *arr);
const char *pj_array_layout_name(const PjType *t);
bool pj_array_can_store(PjCompile *cx, PjType *dtype, PjType *value);
int pj_array_type_getslice(PjCompile *cx, PjInstr *ins, PjType *arr,
                           PjType *idx, PjSlicePlan *plan);
PjType *pj_array_iter_item(PjType *arr);
LLVMValueRef pj_array_dim(PjLower *lw, LLVMValueRef arr, unsigned field,
                          int i);
LLVMValueRef pj_array_size(PjLower *lw, PjType *at, LLVMValueRef arr);
LLVMValueRef pj_array_index_value(PjLower *lw, PjInstr *ins,
                                  LLVMValueRef *args, int k,
                                  bool *maybe_negative);
bool pj_array_indexes_by_int(const PjInstr *ins);
LLVMValueRef pj_array_checked_index(PjLower *lw, LLVMValueRef i,
                                    bool maybe_negative, LLVMValueRef n);
LLVMValueRef pj_array_address(PjLower *lw, PjType *at, LLVMValueRef arr,
                              LLVMValueRef *idx, int n);
LLVMValueRef pj_array_indexed_address(PjLower *lw, PjInstr *ins,
                                      LLVMValueRef *args, int n);
LLVMValueRef pj_array_address_in_order(PjLower *lw, PjType *at,
                                       LLVMValueRef arr, LLVMValueRef i,
                                       bool f_order);
LLVMValueRef pj_array_flat_address(PjLower *lw, PjType *at, LLVMValueRef arr,
                                   LLVMValueRef i);
LLVMTypeRef pj_array_elem_type(PjLower *lw, PjType *dtype);
LLVMValueRef pj_array_load(PjLower *lw, PjType *dtype, LLVMValueRef p);
void pj_array_store_item(PjLower *lw, PjType *dtype, LLVMValueRef p,
                         LLVMValueRef v);
PjType *pj_array_stored_type(PjType *dtype, PjType *value);
LLVMValueRef pj_array_read_item(PjLower *lw, PjType *dtype, LLVMValueRef p);
LLVMValueRef pj_array_load_item(PjLower *lw, PjType *at, LLVMValueRef arr,
                                LLVMValueRef p);
void pj_array_store(PjLower *lw, PjType *dtype, LLVMValueRef p,
                    LLVMValueRef v);
LLVMValueRef pj_array_make_view(PjLower *lw, PjType *at, LLVMValueRef arr,
                                LLVMValueRef data, int n, PjType *vt);
LLVMValueRef pj_array_with_dims(PjLower *lw, LLVMValueRef arr, PjType *vt,
                                LLVMValueRef *shape, LLVMValueRef *strides);
LLVMValueRef pj_array_transposed(PjLower *lw, PjType *at, LLVMValueRef arr,
                                 PjType *vt);
LLVMValueRef pj_array_slice_view(PjLower *lw, PjInstr *ins,
                                 LLVMValueRef *args, const PjSlicePlan *plan,
                                 PjType *vt);

/* array_view.c: the array's memory as another type */
int pj_array_type_view(PjCompile *cx, PjInstr *ins, PjType *arr,
                       PjType **args, int n);
int pj_array_type_part(PjCompile *cx, PjInstr *ins, PjType *arr);
int pj_array_type_tobytes(PjCompile *cx, PjInstr *ins, PjType *arr,
                          PjType **args, int n);

/* --- record.c --- */

bool pj_type_is_record(const PjType *t);
PjType *pj_type_record_of(PyObject *dtype);
int64_t pj_record_size(PjType *t);
bool pj_record_unaligned(PjType *t);
PjType *pj_record_item_type(PjType *arr);
bool pj_record_same_layout(PjType *a, PjType *b);
const char *pj_record_why_not(PyObject *dtype);
LLVMValueRef pj_record_load(PjLower *lw, PjType *ft, LLVMValueRef p);
void pj_record_store(PjLower *lw, PjType *ft, LLVMValueRef p, LLVMValueRef v);
int pj_record_type_field_view(PjCompile *cx, PjInstr *ins, PjType *arr,
                              PjType *idx, PyObject *name);
int32_t pj_record_layout(PjType *t);
PyObject *pj_record_descr(int32_t layout);
int32_t pj_dtype_num(PjType *dtype);
PyObject *pj_dtype_of_num(int32_t num);

/* --- charseq.c --- */

bool pj_type_is_charseq(const PjType *t);
PjType *pj_type_charseq(int64_t size, bool unicode);
bool pj_charseq_array(PjType *t);
int pj_type_holds_strings(PjCompile *cx, PjInstr *ins, const PjCallable *fn,
                          PjType **args, int n);
PjType *pj_charseq_of_descr(PyObject *descr);
const char *pj_charseq_why_not(PyObject *descr);
PjType *pj_charseq_item_type(PjType *t);
bool pj_charseq_can_store(PjCompile *cx, PjType *t, PjType *value);
int32_t pj_charseq_num(PjType *t);
PyObject *pj_charseq_descr_of_num(int32_t num);
PyObject *pj_charseq_descr(PjType *t);
PjType *pj_charseq_named(PjType *t);
int64_t pj_rt_charseq_length(const char *p, int64_t size, int64_t unit);
LLVMValueRef pj_charseq_load(PjLower *lw, PjType *t, LLVMValueRef arr,
                             LLVMValueRef p);
LLVMValueRef pj_charseq_read(PjLower *lw, const char *helper, PjType *t,
                             LLVMValueRef p, int64_t n);
LLVMValueRef pj_charseq_copy(PjLower *lw, PjType *t, LLVMValueRef p);
void pj_charseq_write(PjLower *lw, const char *helper, LLVMValueRef v,
                      LLVMValueRef p, int64_t n);
void pj_charseq_store(PjLower *lw, PjType *t, LLVMValueRef p,
                      LLVMValueRef v);

/* dtype.c */
PjType *pj_dtype_elem(PyObject *descr);
PjType *pj_dtype_value_names(PjType *t);
bool pj_type_is_scalar_class(const PjType *t);
PjType *pj_dtype_passed(PjType *t);
PjType *pj_type_dtype_value(PjType *elem, bool is_dtype);
PjType *pj_dtype_constant(PjCompile *cx, PyObject *obj);
PyObject *pj_rt_dtype_box(int32_t num);
PyObject *pj_rt_record_box(const char *data, int32_t layout);
void *pj_rt_record_unbox(PyObject *obj);

/* --- array_index.c --- */

bool pj_array_index_by_array(PjType *idx);
int pj_array_type_getitem_by_array(PjCompile *cx, PjInstr *ins, PjType *arr,
                                   PjType *idx);
int pj_array_type_setitem_by_array(PjCompile *cx, PjInstr *ins, PjType *arr,
                                   PjType *idx, PjType *value);
bool pj_array_value_is_sequence(PjType *v);
int pj_array_type_contains(PjCompile *cx, PjInstr *ins, PjType *x,
                           PjType *arr);
int pj_array_type_setitem_sequence(PjCompile *cx, PjInstr *ins, PjType *arr,
                                   PjType *idx, PjType *value);

/* --- array_flat.c --- */

int pj_flat_type_getitem(PjCompile *cx, PjInstr *ins, PjType *it,
                         PjType *idx);
int pj_flat_type_setitem(PjCompile *cx, PjInstr *ins, PjType *it,
                         PjType *idx, PjType *value);

/* --- array_ops.c --- */

int pj_array_type_operator(PjCompile *cx, PjInstr *ins, PjType *a,
                           PjType *b);
int pj_array_type_ufunc_operator(PjCompile *cx, PjInstr *ins, PyObject *uf,
                                 PjType **args, int n);
int pj_array_type_setview(PjCompile *cx, PjInstr *ins, PjType *arr,
                          PjType *idx, PjType *value, PjSlicePlan *sp,
                          int n);
int pj_array_type_method(PjCompile *cx, PjInstr *ins, PjType *arr,
                         const char *name, PjType **args, int n);
PjInstr *pj_array_elem_call(PjCompile *cx, PjInstr *ins);
int pj_array_type_map(PjCompile *cx, PjInstr *ins, PjInstr *elem,
                      PjType *arr, PjType *dtype);
int pj_array_type_map2(PjCompile *cx, PjInstr *ins, PjInstr *elem,
                       PjType **ops, int nops, PjType *loop, PjType *dtype);
const PjInstr *pj_array_elementwise_op(const PjInstr *ins);
int pj_array_elementwise_nops(PjInstr *ins);
LLVMValueRef pj_array_elementwise_apply(PjLower *lw, PjInstr *ins,
                                        LLVMValueRef *v);
LLVMValueRef pj_array_operand_element(PjLower *lw, PjType *t,
                                      LLVMValueRef arr, PjType *out_type,
                                      LLVMValueRef *out_shape, LLVMValueRef i,
                                      bool f_order);
int pj_array_elementwise_layout(PjType **ops, int nops);
LLVMValueRef pj_array_broadcast_fold(PjLower *lw, LLVMValueRef *shape, int nd,
                                     LLVMValueRef *dims, int ndk, bool fixed);

/* --- array_new.c --- */

PjType *pj_array_dtype_named(PjType *t);

typedef void (*PjArrayElemFn)(PjLower *lw, LLVMValueRef i, void *ctx);

extern const char pj_array_too_big[];       /* NumPy's message */

/* The functions that make arrays. */
enum { PJ_NEW_EMPTY, PJ_NEW_ZEROS, PJ_NEW_ONES, PJ_NEW_FULL, PJ_NEW_ARANGE,
       PJ_NEW_COPY };
int pj_array_type_new(PjCompile *cx, PjInstr *ins, int how, bool like,
                      PjType **args, int n, PjType *dtype);
int pj_array_shape_ndim(PjType *t);
LLVMValueRef pj_array_itemsize(PjLower *lw, PjType *dtype);
int64_t pj_array_itemsize_bytes(PjType *dtype);
LLVMValueRef pj_array_mul_checked(PjLower *lw, LLVMValueRef a,
                                  LLVMValueRef b, LLVMValueRef *overflow);
LLVMValueRef pj_array_checked_size(PjLower *lw, LLVMValueRef *dims, int nd,
                                   LLVMValueRef unit, const char *msg);
LLVMValueRef pj_array_dims_in_memory(PjLower *lw, LLVMValueRef *dims, int n);
LLVMValueRef pj_array_new(PjLower *lw, PjType *at, LLVMValueRef *shape,
                          bool zero);
void pj_array_for_each(PjLower *lw, LLVMValueRef n, PjArrayElemFn body,
                       void *ctx);
void pj_array_for_range(PjLower *lw, LLVMValueRef lo, LLVMValueRef hi,
                        PjArrayElemFn body, void *ctx);
void pj_array_shape_values(PjLower *lw, PjType *t, LLVMValueRef v,
                           LLVMValueRef *shape);
void pj_array_copy_into(PjLower *lw, PjType *dt, LLVMValueRef dst,
                        PjType *st, LLVMValueRef src, LLVMValueRef n);

/* --- array_walk.c: loops over the elements of arrays of any strides --- */

#define PJ_WALK_MAX 40          /* arrays one loop reads and writes */

typedef struct PjWalk PjWalk;
typedef void (*PjWalkFn)(PjLower *lw, PjWalk *w, void *ctx);

struct PjWalk {
    int nd;                     /* the shape walked */
    LLVMValueRef *shape;
    bool f_order;               /* the first index fastest, else the last */
    int narrays;
    PjType *types[PJ_WALK_MAX];
    LLVMValueRef arrays[PJ_WALK_MAX];
    bool in_order[PJ_WALK_MAX]; /* position i is i elements in */
    PjWalkFn body;              /* called at each position, with at set */
    void *ctx;
    LLVMValueRef at[PJ_WALK_MAX];   /* each array's element there */
};

void pj_walk_init(PjWalk *w, int nd, LLVMValueRef *shape, bool f_order,
                  PjWalkFn body, void *ctx);
int pj_walk_add(PjWalk *w, PjType *t, LLVMValueRef arr, bool in_order);
void pj_array_walk(PjLower *lw, PjWalk *w, LLVMValueRef lo,
                   LLVMValueRef hi);

/* --- tbaa.c --- */

/* What a load or store touches, for LLVM's alias analysis: an array's
   element (any dtype), an array header a jitclass field holds, a list's
   header (length, capacity, items' address), a list's item. */
typedef enum PjAliasClass {
    PJ_ALIAS_ELEMENT, PJ_ALIAS_ARRAY_HEADER, PJ_ALIAS_LIST_HEADER,
    PJ_ALIAS_LIST_ITEM,
} PjAliasClass;

void pj_tbaa_tag(PjLower *lw, LLVMValueRef access, PjAliasClass what);

/* --- lower.c --- */

/* int() of a float whose test of an unusual value the indexing that
   follows does (float_index.c). */
typedef struct {
    PjVar *result;              /* int()'s result */
    PjVar *var;                 /* the variable that indexes: the result
                                   or a copy of it */
    PjInstr *taker;             /* the indexing that is to do the test,
                                   while it is pending */
    PjVar *array;               /* the array the variable indexes */
    LLVMValueRef x;             /* the float */
    LLVMValueRef loaded;        /* the index an indexing being lowered
                                   loaded from the variable */
    LLVMValueRef wrapped;       /* the index wrapped, once built */
    bool casts;                 /* a cast (np.int64(x)), which raises on
                                   nothing */
} PjFloatIndex;

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
    LLVMBasicBlockRef *latches; /* per loop head that advances its
                                   iterator on the edges back: the one
                                   block they go through (lower.c) */
    LLVMTypeRef t_i1, t_i8, t_i32, t_i64, t_f32, t_f64, t_ptr, t_void;
    PjVec linked;               /* callee bitcode objects to link */
    LLVMBasicBlockRef error_bb; /* releases the variables, returns -1 */
    LLVMBasicBlockRef handler;  /* where an exception raised by the block
                                   being lowered goes, or NULL */
    struct PjGenerator *gen;    /* a generator function's .next being
                                   built (generator.c), or NULL */
    bool counts_memory;         /* some variable holds array memory */
    bool iterator_kept;         /* the iterator being advanced is a
                                   variable of the source, which may be
                                   advanced again once exhausted (next(it),
                                   a second loop over it); a loop's own is
                                   not */
    bool iterator_counted;      /* ...and is a loop's own, advanced on the
                                   loop's back edges (lower_advance) */
    PjBlock *block;             /* the block being lowered */
    const bool *borrows;        /* per variable: takes no reference of its
                                   own (lower.c, borrowing_vars), or NULL */
    struct PjReleases *releases; /* arrays let go after their last use
                                   (lower.c), or NULL */
    LLVMDIBuilderRef dib;       /* debug=True: the line table's builder */
    LLVMMetadataRef di_scope;   /* and the native function's subprogram */
    PjInstr *lowering;          /* the instruction pj_lower_instrs lowers */
    PjFloatIndex float_index;   /* float_index.c */
};

/* --- array_const.c --- */

PjType *pj_array_const_type(PjType *t);
LLVMValueRef pj_array_lower_const(PjLower *lw, PyObject *obj, PjType *t);
bool pj_array_check(PyObject *v);

/* --- objmode_block.c --- */

PyObject *pj_objmode_block_extract(PjCompile *cx, PyObject *with_node,
                                   PjLoc loc);
bool pj_objmode_block_check(PyObject *obj);
PjType *pj_type_objmode_block(PjArena *a, PyObject *obj);
int32_t pj_rt_objmode_enter(void);
PyObject *pj_rt_objmode_block(const char *key);
PyObject *pj_rt_objmode_call(PyObject *block, PyObject **inputs, int64_t n);
void pj_rt_objmode_exit(PyObject *res, int32_t gil);
PjMemInfo *pj_rt_meminfo_alloc_dtor(int64_t nbytes, int32_t zero,
                                    PjMemDtor dtor, void *arg);

/* --- ellipsis.c --- */

bool pj_type_is_ellipsis(const PjType *t);

/* --- intrinsic.c --- */

bool pj_intrinsic_check(PyObject *obj);
PjType *pj_type_intrinsic(PjArena *a, PyObject *obj);

/* --- float_index.c --- */

LLVMValueRef pj_float_index_result(PjLower *lw, PjInstr *ins, LLVMValueRef x);
LLVMValueRef pj_float_index_cast(PjLower *lw, PjInstr *ins, LLVMValueRef x);
void pj_float_index_loaded(PjLower *lw, PjInstr *ins, LLVMValueRef v);
LLVMValueRef pj_float_index_wrap(PjLower *lw, LLVMValueRef i, LLVMValueRef n);
int pj_float_index_settled(PjLower *lw, PjInstr *ins);
void pj_float_index_forget(PjLower *lw);

/* --- debuginfo.c --- */

int pj_debuginfo_begin(PjLower *lw);
void pj_debuginfo_at(PjLower *lw, PjLoc loc);
void pj_debuginfo_leave(PjLower *lw);
void pj_debuginfo_finish(PjLower *lw);

static inline LLVMValueRef
pj_i64(PjLower *lw, long long v)
{
    return LLVMConstInt(lw->t_i64, (unsigned long long)v, 1);
}

static inline LLVMValueRef
pj_i32(PjLower *lw, int v)
{
    return LLVMConstInt(lw->t_i32, (unsigned long long)v, 1);
}

/* The smaller (larger) of two signed integers. */
static inline LLVMValueRef
pj_smin(PjLower *lw, LLVMValueRef a, LLVMValueRef b)
{
    return LLVMBuildSelect(lw->b, LLVMBuildICmp(lw->b, LLVMIntSLT, a, b, ""),
                           a, b, "");
}

static inline LLVMValueRef
pj_smax(PjLower *lw, LLVMValueRef a, LLVMValueRef b)
{
    return LLVMBuildSelect(lw->b, LLVMBuildICmp(lw->b, LLVMIntSGT, a, b, ""),
                           a, b, "");
}

/* Field i of the struct (or array) value v. */
static inline LLVMValueRef
pj_part(PjLower *lw, LLVMValueRef v, unsigned i)
{
    return LLVMBuildExtractValue(lw->b, v, i, "");
}

LLVMTypeRef pj_lower_type(PjLower *lw, PjType *t);
void pj_lower_init_types(PjLower *lw);     /* lw->t_* of lw->ctx */
LLVMTypeRef pj_lower_struct_of(PjLower *lw, PjType **elems, int n);
LLVMTypeRef pj_lower_native_type(PjLower *lw, PjType **argtys, int n,
                                 PjType *ret, bool status);
LLVMValueRef pj_lower_convert(PjLower *lw, LLVMValueRef v, PjType *from,
                              PjType *to);
LLVMValueRef pj_lower_truth(PjLower *lw, LLVMValueRef v, PjType *t);
LLVMValueRef pj_lower_alloca(PjLower *lw, LLVMTypeRef t, const char *name);
LLVMValueRef pj_lower_invariant_load(PjLower *lw, LLVMTypeRef t,
                                     LLVMValueRef at, const char *name);
typedef void (*PjBodyFn)(PjLower *lw, LLVMValueRef data, LLVMValueRef arg,
                         const void *ctx);
LLVMValueRef pj_lower_destructor(PjLower *lw, const char *name, PjBodyFn body,
                                 const void *ctx);
LLVMValueRef pj_lower_helper(PjLower *lw, const char *name, LLVMTypeRef ret,
                             LLVMTypeRef *params, LLVMValueRef *args, int n);
LLVMValueRef pj_lower_intrinsic(PjLower *lw, const char *name,
                                LLVMTypeRef type, LLVMValueRef *args, int n);
void pj_lower_raise_if(PjLower *lw, LLVMValueRef bad, const char *helper,
                       LLVMTypeRef *params, LLVMValueRef *args, int n);
void pj_lower_check(PjLower *lw, LLVMValueRef bad, const char *exc,
                    const char *msg);
LLVMBasicBlockRef pj_lower_fail_begin(PjLower *lw, LLVMValueRef bad);
void pj_lower_check_unpack(PjLower *lw, LLVMValueRef len, unsigned n);
void pj_lower_rare_branch(PjLower *lw, LLVMValueRef cond,
                          LLVMBasicBlockRef rare, LLVMBasicBlockRef usual);
void pj_lower_fail_end(PjLower *lw, LLVMBasicBlockRef ok);
int pj_lower_instrs(PjLower *lw, PjInstr *from);
int pj_lower_block_tables(PjLower *lw);
int pj_lower_make_blocks(PjLower *lw);
int pj_lower_blocks(PjLower *lw);
LLVMValueRef pj_lower_load_var(PjLower *lw, PjVar *v);
void pj_lower_store_var(PjLower *lw, PjVar *v, LLVMValueRef val,
                        PjType *from);
void pj_lower_incref_value(PjLower *lw, LLVMValueRef v, PjType *t);
LLVMValueRef pj_lower_taken(PjLower *lw, LLVMValueRef v, PjType *t);
LLVMValueRef pj_lower_keep_parent(PjLower *lw, LLVMValueRef v, unsigned mi_field,
                                  unsigned parent_field);
void pj_lower_decref_value(PjLower *lw, LLVMValueRef v, PjType *t);
void pj_lower_release_variables(PjLower *lw);

/* --- builtins.c --- */

bool pj_builds_slice(const PjInstr *ins);

/* --- fusion.c --- */

/* The array expressions of a function (element-wise operations on arrays
   and their reductions) grouped after inference into ARRAYEXPR
   instructions, each computed in one loop (on threads in a parallel=True
   function). */
int pj_fusion_plan(PjCompile *cx);
void pj_fusion_print(PjBuf *b, PjInstr *ins);
PyObject *pj_fusion_diagnostics(PjCompile *cx);

/* --- parallel.c --- */

typedef struct PjParallel PjParallel;

bool pj_parallel_may_raise(PjCompile *cx);
int pj_parallel_plan(PjCompile *cx);
bool pj_parallel_owns_block(PjCompile *cx, PjBlock *b);
bool pj_parallel_starts_loop(PjCompile *cx, PjInstr *ins);
int pj_parallel_lower(PjLower *lw, PjInstr *getiter);
int pj_parallel_report(PjCompile *cx, PjBuf *b);
int pj_type_thread_query(PjCompile *cx, PjInstr *ins, const PjCallable *fn,
                         PjType **args, int n);
void pj_lower_each_meminfo(PjLower *lw, LLVMValueRef v, PjType *t,
                           LLVMValueRef valid, PjMemFn f);
void pj_lower_incref(PjLower *lw, LLVMValueRef meminfo);
void pj_lower_decref(PjLower *lw, LLVMValueRef meminfo);
void pj_lower_field_meminfo(PjLower *lw, LLVMValueRef v, unsigned i,
                            PjType *t, LLVMValueRef valid, PjMemFn f);
LLVMValueRef pj_lower_pyconst(PjLower *lw, PyObject *obj, PjType *t);
LLVMValueRef pj_lower_cstring(PjLower *lw, const char *s);
LLVMValueRef pj_lower_bytes(PjLower *lw, const char *data, size_t n);
void pj_lower_init_types(PjLower *lw);
LLVMBasicBlockRef pj_lower_branch_on_status(PjLower *lw, LLVMValueRef status);
LLVMValueRef pj_lower_fp(PjLower *lw, LLVMValueRef v);
LLVMValueRef pj_lower_call_c(PjLower *lw, const char *name, LLVMTypeRef ret,
                             LLVMTypeRef *params, LLVMValueRef *args, int n,
                             bool pure);
LLVMValueRef pj_lower_call_callee(PjLower *lw, PjCallee *callee,
                                  LLVMValueRef *args, PjType **restype);
int pj_lower(PjCompile *cx);

static inline LLVMValueRef
pj_zero_of(LLVMValueRef v)
{
    return LLVMConstNull(LLVMTypeOf(v));
}

/* --- numbers.c --- */

PjType *pj_type_int(int bits, bool is_signed);
PjType *pj_type_float(int bits);
PjType *pj_type_complex(int bits);
PjType *pj_type_numpy_promote(PjType *a, PjType *b);
PjType *pj_type_promote(PjType *a, PjType *b);
LLVMValueRef pj_lower_float_to_int(PjLower *lw, LLVMValueRef v,
                                   LLVMTypeRef to, bool is_signed);
LLVMValueRef pj_lower_complex_narrowed(PjLower *lw, PjType *t, LLVMValueRef re,
                                       LLVMValueRef im);
LLVMValueRef pj_lower_complex_div(PjLower *lw, PjType *t, LLVMValueRef a,
                                  LLVMValueRef b);
LLVMValueRef pj_lower_complex(PjLower *lw, PjType *t, LLVMValueRef re,
                              LLVMValueRef im);
LLVMValueRef pj_lower_none(PjLower *lw);
LLVMValueRef pj_lower_number_add(PjLower *lw, LLVMValueRef a, LLVMValueRef b,
                                 PjType *t);
int pj_type_scalar_ndim(PjCompile *cx, PjInstr *ins, PjType *t);
LLVMValueRef pj_lower_compare_numbers(PjLower *lw, int op, LLVMValueRef a,
                                      LLVMValueRef b, PjType *t);
LLVMValueRef pj_lower_complex_helper(PjLower *lw, const char *name,
                                     PjType *t, LLVMValueRef *args, int n);
int pj_type_number_operator(PjCompile *cx, PjInstr *ins, PjType *a,
                            PjType *b, bool numpy_errors);
int pj_type_number_class_call(PjCompile *cx, PjInstr *ins, PjType *cls,
                              PjType **args, int n);
int pj_type_to_int64(PjCompile *cx, PjInstr *ins, PjType *t);
LLVMValueRef pj_lower_float_to_int64(PjLower *lw, LLVMValueRef x);
LLVMValueRef pj_lower_unusual_to_int64(PjLower *lw, LLVMValueRef x);

/* --- math.c --- */

LLVMValueRef pj_lower_libm(PjLower *lw, const char *name, PjType *t,
                           LLVMValueRef *args, int n);

/* --- optional.c --- */

static inline bool
pj_type_is_optional(const PjType *t)
{
    return t->kind == PJ_TK_OPTIONAL;
}

PjType *pj_type_optional(PjType *t);
PjType *pj_type_unwrap(PjType *t);
LLVMValueRef pj_lower_unwrap_optional(PjLower *lw, LLVMValueRef v,
                                      PjType *from, PjType *to);

/* --- tuples.c --- */

PjType *pj_type_tuple(PjType **elems, int n);       /* UniTuple if uniform */
PjType *pj_type_tuple_of_class(PyObject *cls, PjType **elems, int n);
int pj_type_build_tuple(PjCompile *cx, PjInstr *ins, PjType **items, int n);
bool pj_type_is_tuple(PjType *t);
PjType *pj_type_unituple(PjType *item, int count);
bool pj_type_is_unituple(PjType *t);
bool pj_type_is_tuple_iter(PjType *t);
PjType *pj_type_elem(PjType *t, int i);             /* the type of item i */

/* --- namedtuple.c --- */

bool pj_namedtuple_class_check(PyObject *cls);
PjType *pj_type_named_tuple(PyObject *cls, PjType **elems, int n);
PjType *pj_type_tuple_like(PjType *t, PjType **elems, int n);
void pj_namedtuple_print(PjBuf *b, PjType *t);
int pj_namedtuple_getattr(PjCompile *cx, PjInstr *ins, PjType *t);
PjType *pj_namedtuple_class_type(PjCompile *cx, PyObject *obj);
PyObject *pj_rt_namedtuple_box(PyObject *tuple, int32_t code);
LLVMValueRef pj_namedtuple_box(PjLower *lw, LLVMValueRef tuple, PjType *t);

/* --- list.c --- */
bool pj_list_is_reflected(PjType *t);

enum { PJ_LIST_REFLECTED = 1, PJ_LIST_TYPED = 2 };
enum { PJ_LIST_ROOM_FOR = 1 };    /* BUILD_LIST's sub (ops.h) */
PjType *pj_type_list(PjType *item, int flags);
PjType *pj_list_item(PjType *t);        /* NULL: not known yet */
int pj_list_arrays_without_lists(PjCompile *cx);
PyObject *pj_list_register_typed(PyObject *cls);
PyObject *pj_list_type_of(PyObject *item, int flavour);
int pj_type_build_list(PjCompile *cx, PjInstr *ins, PjType **items, int n);
PyObject *pj_list_method(const char *name);
PyObject *pj_list_operation(const char *name);
int pj_type_str_extreme(PjCompile *cx, PjInstr *ins, PjType **args, int n,
                        bool largest);
int pj_type_list_extreme(PjCompile *cx, PjInstr *ins, PjType *t,
                         bool largest);
LLVMValueRef pj_list_items(PjLower *lw, LLVMValueRef list);

/* --- listsort.c --- */

void pj_rt_listsort(const void *keys, int32_t typenum, int64_t *v, int64_t n,
                    int64_t *tmp);

/* The runtime helpers of lists, for runtime.c's table of symbols. */
PjMemInfo *pj_rt_list_new(int64_t n, int64_t itemsize);
int32_t pj_rt_list_reserve(PjMemInfo *mi, int64_t n, int64_t itemsize);
void pj_rt_list_free_items(void *data, void *arg);
PyObject *pj_rt_list_pack(PyObject *list, int64_t i, PyObject *item);
void pj_rt_list_reflect(PyObject *caller, PyObject *fresh);
PyObject *pj_rt_typed_list_box(PjMemInfo *mi, const char *name);
PjMemInfo *pj_rt_typed_list_unbox(PyObject *obj);
int32_t pj_rt_slice_span(const int64_t *s, int32_t given, int64_t n,
                         int64_t *out);

/* --- hashing.c --- */

bool pj_type_is_hashable(PjType *t);
LLVMValueRef pj_lower_number_hash(PjLower *lw, LLVMValueRef v, PjType *t);
LLVMValueRef pj_lower_number_eq(PjLower *lw, LLVMValueRef v, LLVMValueRef w,
                                PjType *t);
LLVMValueRef pj_lower_tuple_hash(PjLower *lw, LLVMValueRef v, PjType *t);
LLVMValueRef pj_lower_tuple_eq(PjLower *lw, LLVMValueRef v, LLVMValueRef w,
                               PjType *t);
LLVMBuilderRef pj_hash_begin_function(PjLower *lw, const char *name,
                                      LLVMTypeRef fty, LLVMValueRef *fn,
                                      LLVMValueRef *outer);
void pj_hash_end_function(PjLower *lw, LLVMBuilderRef saved,
                          LLVMValueRef outer);
LLVMValueRef pj_hash_eq_function(PjLower *lw, PjType *t);
LLVMValueRef pj_hash_box_function(PjLower *lw, PjType *t);
int64_t pj_rt_hash_double(double v);
int64_t pj_rt_hash_complex(double re, double im);

/* --- hashtable.c --- */

/* The run-time table of dicts and sets, the data of their block; see
   hashtable.c.  tables.c generates the lookup that reads it. */
typedef struct PjTable {
    int64_t used;             /* live entries: len(d) */
    int64_t nentries;         /* entries written, deleted ones included */
    int64_t capacity;         /* entries room */
    int64_t mask;             /* index slots - 1 */
    int64_t entrysize;
    int64_t *index;           /* entry position, or -1 empty, -2 deleted */
    char *entries;            /* after the index, in its block */
    void (*acquire)(void *);  /* takes an entry's references, or NULL */
    void (*release)(void *);  /* releases them, or NULL */
    int64_t fill;             /* sets: live and dummy slots */
    int64_t finger;           /* sets: where pop() looks first */
} PjTable;

/* The callbacks of the tables of dicts and sets (hashtable.c, settable.c):
   whether the keys at a and b are equal; what an entry holds is taken or
   released; the new reference to the Python object for the value at p. */
typedef int32_t (*PjKeyEq)(const void *a, const void *b);
typedef void (*PjEntryRefs)(void *entry);
typedef PyObject *(*PjBoxFn)(const void *p);

/* Sets: the table above laid out as CPython's set (settable.c). */
PjMemInfo *pj_rt_set_new(int64_t entrysize, void (*acquire)(void *),
                         void (*release)(void *));
char *pj_rt_set_insert(PjMemInfo *mi, const void *key, int64_t h,
                       int32_t (*eq)(const void *, const void *),
                       int64_t keysize, int32_t *is_new);
int32_t pj_rt_set_remove(PjMemInfo *mi, const void *key, int64_t h,
                         int32_t (*eq)(const void *, const void *),
                         void *out);
int32_t pj_rt_set_pop(PjMemInfo *mi, void *out);
void pj_rt_set_clear(PjMemInfo *mi);
int32_t pj_rt_set_update(PjMemInfo *mi, PjMemInfo *other,
                         int32_t (*eq)(const void *, const void *));
int32_t pj_rt_set_reserve(PjMemInfo *mi, int64_t n);
PjMemInfo *pj_rt_set_copy(PjMemInfo *mi,
                          int32_t (*eq)(const void *, const void *));
PjMemInfo *pj_rt_set_or(PjMemInfo *a, PjMemInfo *b,
                        int32_t (*eq)(const void *, const void *));
PjMemInfo *pj_rt_set_and(PjMemInfo *a, PjMemInfo *b,
                         int32_t (*eq)(const void *, const void *));
PjMemInfo *pj_rt_set_sub(PjMemInfo *a, PjMemInfo *b,
                         int32_t (*eq)(const void *, const void *));
PjMemInfo *pj_rt_set_xor(PjMemInfo *a, PjMemInfo *b,
                         int32_t (*eq)(const void *, const void *));
int32_t pj_rt_set_iand(PjMemInfo *a, PjMemInfo *b,
                       int32_t (*eq)(const void *, const void *));
int32_t pj_rt_set_isub(PjMemInfo *a, PjMemInfo *b,
                       int32_t (*eq)(const void *, const void *));
int32_t pj_rt_set_ixor(PjMemInfo *a, PjMemInfo *b,
                       int32_t (*eq)(const void *, const void *));
int32_t pj_rt_set_shrink(PjMemInfo *mi);
void pj_rt_set_become(PjMemInfo *mi, PjMemInfo *r);
void pj_rt_set_print(PjMemInfo *mi, PyObject *(*box)(const void *),
                     int32_t flags);
bool pj_type_is_printable_set(PjType *t);
bool pj_type_is_set(PjType *t);
void pj_lower_print_set(PjLower *lw, LLVMValueRef v, PjType *s, int flags);
PyObject *pj_rt_set_box(PjMemInfo *mi, PyObject *(*box)(const void *));
int32_t pj_rt_set_take_layout(PjMemInfo *mi, PyObject *set);

PjMemInfo *pj_rt_table_new(int64_t entrysize, void (*acquire)(void *),
                           void (*release)(void *));
char *pj_rt_table_find(PjMemInfo *mi, const void *key, int64_t h,
                       int32_t (*eq)(const void *, const void *));
char *pj_rt_table_insert(PjMemInfo *mi, const void *key, int64_t h,
                         int32_t (*eq)(const void *, const void *),
                         int64_t keysize, int32_t *is_new);
int32_t pj_rt_table_remove(PjMemInfo *mi, const void *key, int64_t h,
                           int32_t (*eq)(const void *, const void *),
                           void *out);
int32_t pj_rt_table_pop_last(PjMemInfo *mi, void *out);
char *pj_rt_table_next(PjMemInfo *mi, int64_t *pos);
void pj_rt_table_clear(PjMemInfo *mi);
PjMemInfo *pj_rt_table_copy(PjMemInfo *mi);
void pj_rt_raise_key_error(PyObject *(*box_key)(const void *),
                           const void *key);
void pj_rt_raise_dict_memory(void);

/* --- tables.c --- */

bool pj_type_is_table(PjType *t);
bool pj_type_is_dict(PjType *t);
bool pj_type_is_dict_table(PjType *t);

/* A key of a table, in memory for the run-time helpers. */
typedef struct PjTableKey {
    LLVMValueRef slot;        /* the key, in memory */
    LLVMValueRef hash;
    LLVMValueRef eq;          /* its type's equality */
    PjType *table;            /* the dict or set type it is a key of */
} PjTableKey;

typedef void (*PjEntryFn)(PjLower *lw, LLVMValueRef entry, void *ctx);

LLVMTypeRef pj_table_entry_type(PjLower *lw, PjType *d);
LLVMValueRef pj_table_field(PjLower *lw, PjType *d, LLVMValueRef e,
                            unsigned i);
LLVMValueRef pj_table_load(PjLower *lw, PjType *d, LLVMValueRef e,
                           unsigned i);
LLVMValueRef pj_table_len(PjLower *lw, LLVMValueRef mi);
void pj_table_check_memory(PjLower *lw, LLVMValueRef p);
LLVMBasicBlockRef pj_table_begin_if(PjLower *lw, LLVMValueRef cond);
void pj_table_end_if(PjLower *lw, LLVMBasicBlockRef done);
PjTableKey pj_table_key(PjLower *lw, PjType *d, LLVMValueRef k);
LLVMValueRef pj_table_find(PjLower *lw, LLVMValueRef mi, PjTableKey *k);
void pj_table_check_key(PjLower *lw, PjType *d, LLVMValueRef missing,
                        PjTableKey *k);
LLVMValueRef pj_table_insert(PjLower *lw, PjType *d, LLVMValueRef mi,
                             PjTableKey *k);
void pj_table_release_field(PjLower *lw, PjType *d, LLVMValueRef e,
                            unsigned i);
LLVMValueRef pj_table_new(PjLower *lw, PjType *d);
LLVMValueRef pj_table_copy(PjLower *lw, LLVMValueRef mi);
LLVMValueRef pj_table_remove(PjLower *lw, PjType *d, LLVMValueRef mi,
                             PjTableKey *k, LLVMValueRef *out);
void pj_table_each(PjLower *lw, LLVMValueRef mi, PjEntryFn body, void *ctx);
LLVMValueRef pj_table_pop_last(PjLower *lw, PjType *d, LLVMValueRef mi,
                               const char *msg);
extern const PjImpl pj_table_impl_len;
extern const PjImpl pj_table_impl_clear;
LLVMValueRef pj_table_truth(PjLower *lw, LLVMValueRef v, PjType *t);
bool pj_table_holds_memory(PjType *t);
void pj_table_meminfo(PjLower *lw, LLVMValueRef v, PjType *t,
                      LLVMValueRef valid, PjMemFn f);

/* Iterators over tables: the item an iterator of type it yields from the
   entry e. */
typedef LLVMValueRef (*PjItemFn)(PjLower *lw, PjType *it, LLVMValueRef e);

LLVMTypeRef pj_table_iter_llvm_type(PjLower *lw, PjType *it);
LLVMValueRef pj_table_iter(PjLower *lw, LLVMValueRef v, PjType *t,
                           PjType *it);
void pj_table_iter_meminfo(PjLower *lw, LLVMValueRef v, PjType *it,
                           LLVMValueRef valid, PjMemFn f);
LLVMValueRef pj_table_iternext(PjLower *lw, PjType *it, LLVMValueRef state,
                               LLVMValueRef *ok, PjItemFn item_of,
                               const char *changed);

/* --- bytes.c --- */

PjType *pj_bytes_typeof(PyObject *obj);
const char *pj_bytes_name(PjType *t);
int pj_bytes_view_flags(PjType *t);
LLVMValueRef pj_bytes_unbox(PjLower *lw, LLVMValueRef obj, PjType *t);
LLVMValueRef pj_bytes_box(PjLower *lw, LLVMValueRef v, PjType *t);
LLVMValueRef pj_bytes_checked_item(PjLower *lw, LLVMValueRef v, PjType *from);
LLVMValueRef pj_bytes_item_address(PjLower *lw, PjInstr *ins,
                                   LLVMValueRef *args);
int pj_bytes_operation(PjCompile *cx, PjInstr *ins, PjType *a, PjType *b);
typedef struct NativeBytes NativeBytes;
void pj_rt_unbox_bytes(PyObject *obj, NativeBytes *out);
PyObject *pj_rt_box_bytes(const NativeBytes *v, int32_t bytearray);
int32_t pj_rt_bytes_from_chars(const char *p, int64_t n, NativeBytes *out);
void pj_rt_bytes_to_chars(const NativeBytes *v, char *p, int64_t n);

/* --- set.c --- */
bool pj_set_is_reflected(PjType *s);

PyObject *pj_sets_library(const char *name);
PyObject *pj_set_method(const char *name);

PyObject *pj_rt_set_items(PyObject *set);
PyObject *pj_rt_box_typed_set(PjMemInfo *mi, int32_t code);
void pj_rt_decref(PyObject *obj);
void pj_rt_set_reflect(PyObject *set, PjMemInfo *mi,
                       PyObject *(*box)(const void *));

/* --- dict.c --- */

PjType *pj_type_dict(PjType *key, PjType *value);
PyObject *pj_dict_type_of(PyObject *key, PyObject *value);
bool pj_dict_relaxes_to(PjType *v, PjType *to);
PyObject *pj_rt_box_typed_dict(PjMemInfo *mi, int32_t code);

/* --- iteration.c --- */

PjType *pj_type_range(PjType *t);
PjType *pj_type_pair(PjType *item);
bool pj_type_is_pair(PjType *t);
PjType *pj_type_iter_of(PjType *t);
PjType *pj_type_iter_self(PjType *t);
void pj_type_print_iterator(PjBuf *b, PjType *t);
int pj_type_getiter(PjCompile *cx, PjInstr *ins, PjType *t);
void pj_alias_iterators(PjFunc *fn);
bool pj_type_iternext_raises(PjType *it);
LLVMValueRef pj_lower_iter_self(PjLower *lw, LLVMValueRef v, PjType *t,
                                PjType *it);
LLVMValueRef pj_lower_getiter(PjLower *lw, LLVMValueRef v, PjType *from,
                              PjType *it);
LLVMValueRef pj_lower_iternext(PjLower *lw, PjType *it, LLVMValueRef state,
                               LLVMValueRef *ok);
LLVMValueRef pj_lower_range_count(PjLower *lw, LLVMValueRef start,
                                  LLVMValueRef stop, LLVMValueRef step,
                                  bool is_unsigned);
bool pj_type_is_range(const PjType *t);
LLVMValueRef pj_lower_range_len(PjLower *lw, LLVMValueRef r, PjType *range);
extern const PjImpl pj_impl_pair;
extern const PjImpl pj_impl_not_truth;

/* --- unicode.c --- */

/* A string value (see unicode.c); generated code builds the same struct. */
typedef struct PjStr {
    void *data;
    int64_t length;
    int32_t kind;               /* bytes per code point: 1, 2 or 4 */
    int64_t hash;               /* -1: not known yet */
    PjMemInfo *meminfo;         /* NULL: borrowed */
    PyObject *parent;           /* the str argument it points into */
} PjStr;

/* Code point i of s, read in its width. */
static inline uint32_t
pj_str_char_at(const PjStr *s, int64_t i)
{
    switch (s->kind) {
    case 1: return ((const uint8_t *)s->data)[i];
    case 2: return ((const uint16_t *)s->data)[i];
    default: return ((const uint32_t *)s->data)[i];
    }
}

/* A value passed to or returned from CPython by unicode_rt.c. */
enum { PJ_STRARG_STR, PJ_STRARG_INT, PJ_STRARG_UINT, PJ_STRARG_FLOAT,
       PJ_STRARG_BOOL, PJ_STRARG_NONE,
       PJ_STRARG_EXCEPTION /* i: a caught exception's block */ };
typedef struct PjStrArg {
    int64_t tag;
    int64_t i;
    double f;
    PjStr s;
} PjStrArg;

PjType *pj_type_unicode(void);
PyObject *pj_unicode_library_method(PjType *t, const char *name,
                                    bool parallel);
bool pj_type_is_str(PjType *t);
PjType *pj_type_str_value(PjType *t);
PjType *pj_unicode_unify(PjType *a, PjType *b);
int pj_unicode_type_len(PjCompile *cx, PjInstr *ins, PjType *t);
LLVMValueRef pj_unicode_lower_view(PjLower *lw, LLVMValueRef data,
                                   LLVMValueRef len, int kind,
                                   LLVMValueRef meminfo, LLVMValueRef parent);
int pj_unicode_type_getitem(PjCompile *cx, PjInstr *ins, PjType *t,
                            PjType *idx);
int pj_unicode_type_operator(PjCompile *cx, PjInstr *ins, PjType *a,
                             PjType *b);
int pj_unicode_type_method(PjCompile *cx, PjInstr *ins, PjType *t,
                           const char *name, PjType **args, int n);
int pj_unicode_type_getattr(PjCompile *cx, PjInstr *ins, PjType *t);
PjType *pj_unicode_iter_type(PjType *t);
LLVMValueRef pj_unicode_lower_iter(PjLower *lw, LLVMValueRef s, PjType *from,
                                   PjType *it);
int pj_unicode_type_parse(PjCompile *cx, PjInstr *ins, int n, PjType *to);
void pj_lower_print_str(PjLower *lw, LLVMValueRef v, PjType *t, int flags);
int pj_type_raise_values(PjCompile *cx, PjInstr *ins, PjType **types, int n);
LLVMValueRef pj_lower_compare_str(PjLower *lw, int op, LLVMValueRef a,
                                  LLVMValueRef b);

int pj_str_from_python(PyObject *obj, PjStr *out);
/* The runtime helpers of strings (unicode_rt.c), for runtime.c's table. */
void pj_rt_str_raise_ord(int64_t length);
int32_t pj_rt_str_concat(const PjStr *a, const PjStr *b, PjStr *out);
int32_t pj_rt_str_repeat(const PjStr *s, int64_t n, PjStr *out);
int pj_str_split_type_iterated(PjCompile *cx, PjInstr *ins, PjType *t,
                               const char *name, PjType **args, int n);
int32_t pj_rt_str_split_next(void *state, PjStr *out);
int32_t pj_rt_str_slice(const PjStr *s, int64_t start, int64_t stop,
                        int64_t step, int32_t given, PjStr *out);
int32_t pj_rt_str_chr(int64_t i, PjStr *out);
int32_t pj_rt_str_from_ucs4(const char *p, int64_t n, PjStr *out);
void pj_rt_str_to_ucs4(const PjStr *s, char *p, int64_t n);
int32_t pj_rt_str_from_int(int64_t n, PjStr *out);
int32_t pj_rt_str_from_uint(uint64_t n, PjStr *out);
int32_t pj_rt_str_from_float(double x, PjStr *out);
int32_t pj_rt_str_eq(const PjStr *a, const PjStr *b);
int32_t pj_rt_str_cmp(const PjStr *a, const PjStr *b);
int64_t pj_rt_str_find(const PjStr *s, const PjStr *sub, int64_t start,
                       int64_t end, int32_t reverse);
int64_t pj_rt_str_count(const PjStr *s, const PjStr *sub, int64_t start,
                        int64_t end);
int32_t pj_rt_str_tailmatch(const PjStr *s, const PjStr *sub, int64_t start,
                            int64_t end, int32_t at_end);
int64_t pj_rt_str_hash(const void *data, int64_t length, int32_t kind,
                       int64_t hash);
void pj_rt_str_unbox(PyObject *obj, PjStr *out);
PyObject *pj_rt_str_box(const PjStr *s);
void pj_rt_str_print(const PjStr *s, int32_t flags);
int32_t pj_rt_str_call(const char *name, int32_t is_method,
                       const PjStrArg *args, int32_t n, PjStrArg *out);
void pj_rt_str_raise(const char *module, const char *qualname,
                     const PjStrArg *args, int32_t n, PyObject **cache);

/* --- exceptions.c --- */

PjType *pj_type_exception(void);
bool pj_type_is_exception(PjType *t);
int pj_exception_type_str(PjCompile *cx, PjInstr *ins);
LLVMValueRef pj_lower_class_cache(PjLower *lw);
LLVMValueRef pj_exception_lower_catch(PjLower *lw);
LLVMValueRef pj_exception_lower_match(PjLower *lw, LLVMValueRef exc,
                                      PyObject *classes);
void pj_exception_lower_reraise(PjLower *lw, LLVMValueRef exc);
PjBlock *pj_exception_clause_for(PjFunc *fn, PjBlock *handler, PyObject *cls,
                                 PjVar **exc);
PjMemInfo *pj_rt_exc_catch(void);
int32_t pj_rt_exc_matches(PjMemInfo *exc, const char *module,
                          const char *qualname, PyObject **cache);
void pj_rt_exc_reraise(PjMemInfo *exc);
int32_t pj_rt_exc_str(PjMemInfo *exc, PjStr *out);
PyObject *pj_rt_exc_box(PjMemInfo *exc);
PyObject *pj_exception_object(PjMemInfo *exc);

/* --- generator.c --- */

typedef struct PjGenerator PjGenerator;
PjType *pj_type_generator(PjType *yield_type);
void pj_generator_declared_yield(PjCompile *cx);
int pj_generator_type_yield(PjCompile *cx, PjInstr *ins, PjType *t,
                            bool *changed);
int pj_generator_build(PjLower *lw);
LLVMValueRef pj_generator_param(PjLower *lw, int i);
void pj_generator_lower_finish(PjLower *lw, int status);
PyObject *pj_rt_generator_box(PjMemInfo *mi);

/* --- jitclass.c --- */

/* Instances of jitclasses (pyjit/_jitclass.py): the value is the address
   of a reference-counted block holding the fields' struct; the class, a
   compile-time value, makes them when called. */
PjType *pj_type_jitclass(PyObject *cls);
bool pj_type_is_jitclass_instance(PjType *t);
PjType *pj_jitclass_class_type(PjCompile *cx, PyObject *obj);
PyObject *pj_jitclass_constructor(PjType *t);
PyObject *pj_jitclass_method(PjType *self, const char *name);
int pj_jitclass_type_truth(PjCompile *cx, PjType *t);
int pj_jitclass_type_builtin(PjCompile *cx, PjInstr *ins, PjType *fn,
                             PjType **args, int n);
PyObject *pj_jitclass_register(PyObject *module, PyObject *cls);
PyObject *pj_jitclass_instance_type(PyObject *module, PyObject *cls);
PyObject *pj_rt_jitclass_box(PjMemInfo *mi, int32_t code);
PjMemInfo *pj_rt_jitclass_unbox(PyObject *obj);

/* --- functions.c --- */

PjType *pj_type_dispatcher(PyObject *disp);
bool pj_type_is_dispatcher(PjType *t);
bool pj_type_is_funcptr(PjType *t);
PjType *pj_type_function(PyObject *obj, int id);
LLVMTypeRef pj_function_llvm_type(PjLower *lw, PjType *t);
LLVMValueRef pj_function_lower_const(PjLower *lw, PyObject *obj, PjType *t);
LLVMValueRef pj_function_box(PjLower *lw, LLVMValueRef v, PjType *t);
int pj_choose_known_sameness(PjCompile *cx, PjInstr *ins, PjType *a,
                             PjType *b, bool same);
LLVMValueRef pj_function_unbox(PjLower *lw, LLVMValueRef obj, PjType *t);
PyObject *pj_rt_type_object(int32_t code);
void pj_rt_cfunc_failed(const char *name);
PyObject *pj_cfunc_entry(PyObject *disp, PyObject *argtypes);
PjType *pj_type_funcptr(PjType *ret, PjType **args, int n);
void *pj_rt_function_address(PyObject *obj);
PyObject *pj_cfunc_dispatcher(PyObject *obj);
bool pj_type_holds_funcptr(PjType *t);
void *pj_rt_function_address_as(PyObject *obj, int32_t code);

/* --- funcset.c --- */

bool pj_type_is_funcset(PjType *t);
PjType *pj_funcset_unify(PjType *a, PjType *b);
PjType *pj_funcset_tuple(PjType *t);

/* --- enum_member.c --- */

PyObject *pj_rt_enum_member(PyObject *value, int32_t code);
void pj_rt_enum_unbox(PyObject *obj, int32_t code, PjValue *out);
PyObject *pj_rt_enum_value(PyObject *obj);
bool pj_type_is_str_enum_member(PjType *t);

/* --- datetime.c --- */

/* Datetime dtype numbers (pj_dtype_num) carry the unit above this. */
#define PJ_DATETIME_NUM_UNIT 256

bool pj_type_is_datetime_like(PjType *t);
PjType *pj_type_datetime_of_descr(PyObject *descr);
int pj_datetime_numpy_num(PjType *t);
int32_t pj_datetime_dtype_num(PjType *t);
PyObject *pj_datetime_descr(int32_t num);
bool pj_datetime_can_store(PjType *dtype, PjType *value);
int pj_datetime_type_abs(PjCompile *cx, PjInstr *ins, PjType *t);
PyObject *pj_rt_datetime_box(int64_t v, int32_t num);
int64_t pj_rt_datetime_unbox(PyObject *obj);
int64_t pj_rt_datetime_calendar_convert(int64_t v, int32_t from, int32_t to,
                                        int32_t timedelta);

/* --- exceptions.c: e.args --- */

PyObject *pj_rt_exc_args_box(PjMemInfo *exc);
int64_t pj_rt_exc_nargs(PjMemInfo *exc);

/* --- extending.c --- */

PyObject *pj_extending_set_hooks(PyObject *module, PyObject *args);
PyObject *pj_extending_function(PyObject *obj);
PyObject *pj_extending_method(PjType *self, const char *name);
bool pj_extending_prefers_literal(PyObject *disp);
bool pj_extending_is_template(PyObject *disp);
PyObject *pj_extending_choose(PjCompile *cx, PjInstr *ins, PyObject *disp,
                              PjType **argtys, int n);
int pj_extending_getattr(PjCompile *cx, PjInstr *ins, PjType *self);

/* --- values.c --- */

/* Whether t is a string constant's type (see pj_type_is_str for a
   string constant or value). */
static inline bool
pj_type_is_strlit(const PjType *t)
{
    return t->kind == PJ_TK_STRLIT;
}

PjType *pj_type_strlit(PjArena *a, PyObject *s);
PjType *pj_type_module(PjArena *a, PyObject *module);
PjType *pj_type_bound(PjArena *a, PjType *self, const char *method);
PjType *pj_type_of_constant(PjCompile *cx, PyObject *obj);
PjType *pj_type_of_object(PjCompile *cx, PyObject *obj);
int pj_type_constant_getattr(PjCompile *cx, PjInstr *ins, PjType *t);
int pj_type_constant_getitem(PjCompile *cx, PjInstr *ins, PjType *t,
                             PjType *idx);
extern const PjImpl pj_impl_self;
extern const PjImpl pj_impl_constant;
LLVMValueRef pj_lower_first_operand(PjLower *lw, PjInstr *ins,
                                    LLVMValueRef *args);
/* --- literal.c --- */

PjType *pj_type_literal(PyObject *value);
PjType *pj_type_unliteral(PjType *t);
bool pj_type_is_literal(PjType *t);
void pj_literal_params(PjCompile *cx);
int pj_literal_answer(PjCompile *cx, PjInstr *ins, PjVar *v, const char *what,
                      PjType **lit);

bool pj_type_is_class(PjType *t);
bool pj_type_is_bound(PjType *t);
PjType *pj_typeref_target(PjType *t);
PjType *pj_class_target(PjType *t);
int pj_type_class_call(PjCompile *cx, PjInstr *ins, PjType *cls, PjType **args,
                       int n, PyObject *kwnames);
PjType *pj_type_class(PjArena *a, PyObject *obj, int code);
bool pj_name_in(const char *const *names, const char *name);
bool pj_type_is_list(PjType *t);
int pj_choose_constant_value(PjCompile *cx, PjInstr *ins, PyObject *v,
                             PjType *self);
int pj_dtype_class_getattr(PjCompile *cx, PjInstr *ins, PjType *cls);

/* --- library.c --- */

PyObject *pj_library_function(PyObject *callable, bool parallel);
PyObject *pj_library_array_method(PjType *self, const char *name,
                                  bool parallel);
PyObject *pj_library_table(PyObject **table, const char *module);
PyObject *pj_library_ufunc_of(PyObject *disp);
bool pj_is_numpy_ufunc(PyObject *obj);
PyObject *pj_library_method(PjType *self, const char *name, bool parallel);
PjType *pj_library_accumulator(PjType *dtype, bool mean);
bool pj_library_owns(PyObject *disp);
PyObject *pj_library_named(PyObject **table, const char *module,
                           const char *name);
PyObject *pj_library_prefixed(PyObject **table, const char *module,
                              const char *prefix, const char *name);
int pj_library_choose_call(PjCompile *cx, PjInstr *ins, const PjImpl *impl,
                           PyObject *disp, PjType **args, int n);
LLVMValueRef pj_library_lower_call(PjLower *lw, PjInstr *ins,
                                   LLVMValueRef *args);
extern const PjImpl pj_library_impl;

/* --- linalg.c --- */

/* Names the JIT defines when code first needs them (jit.c's definition
   generators): those that start with `prefix`, at the address resolve
   gives (NULL with an exception: the link fails with it, or with
   `fallback`); callable for functions. */
typedef struct {
    const char *prefix;
    void *(*resolve)(const char *name);
    const char *fallback;
    bool callable;
} PjNameResolver;

extern const PjNameResolver pj_linalg_names;    /* pj_la_<routine> */
extern const PjNameResolver pj_typecode_names;  /* pj_tc:<type> */
int pj_linalg_ready(void);
int pj_linalg_type_matmul(PjCompile *cx, PjInstr *ins, PjType *a, PjType *b);
int pj_linalg_dtype_test(PyObject *fn, PjType *arg);

/* --- extfunc.c --- */

bool pj_extfunc_check(PyObject *obj);
PjType *pj_extfunc_type(PyObject *obj);
const char *pj_extfunc_why_not(PyObject *obj);
void *pj_extfunc_address(PyObject *obj);
LLVMValueRef pj_extfunc_lower_const(PjLower *lw, PyObject *obj);

/* --- np_sortloop.c --- */

int pj_np_sortloop_init(void);
void pj_rt_numpy_sort(void *data, int64_t n, int32_t typenum);
void pj_rt_numpy_argsort(void *data, int64_t *idx, int64_t n, int32_t typenum,
                         int32_t stable);

/* --- boxing.c --- */

void pj_boxing_build_wrapper(PjLower *lw);
LLVMValueRef pj_box_number(PjLower *lw, LLVMValueRef v, PjType *t);
LLVMValueRef pj_box_none(PjLower *lw, LLVMValueRef v, PjType *t);
LLVMValueRef pj_unbox_scalar(PjLower *lw, LLVMValueRef obj, PjType *t);
LLVMValueRef pj_box_tuple(PjLower *lw, LLVMValueRef v, PjType *t);
LLVMValueRef pj_unbox_tuple(PjLower *lw, LLVMValueRef obj, PjType *t);
bool pj_can_box_tuple(PjType *t);
LLVMValueRef pj_box_optional(PjLower *lw, LLVMValueRef v, PjType *t);
bool pj_can_box_optional(PjType *t);
LLVMValueRef pj_unbox_optional(PjLower *lw, LLVMValueRef obj, PjType *t);
bool pj_type_can_unbox(PjType *t);
LLVMValueRef pj_box_array(PjLower *lw, LLVMValueRef v, PjType *t);
LLVMValueRef pj_unbox_array(PjLower *lw, LLVMValueRef obj, PjType *t);
int pj_value_convert(PjValue *v, PjType *from, PjType *to);
void pj_unbox_numpy_scalar(PyObject *obj, PjType *t, PjValue *val);
int pj_type_numpy_num(PjType *t);

/* The runtime helpers of boxing, for runtime.c's table of symbols. */
PyObject *pj_rt_none(void);
bool pj_rt_is_none(PyObject *obj);
PyObject *pj_rt_pack_tuple(int64_t n, PyObject **items);
void pj_rt_unbox(PyObject *obj, int32_t code, PjValue *out);
void pj_rt_unbox_array(PyObject *obj, void *out);
PyObject *pj_rt_box_array(const void *arr, int32_t nd, int32_t typenum,
                          int32_t readonly);

/* --- target.c --- */

/* What depends on the machine code is generated for.  detect fills
   triple, cpu and features. */
struct PjTarget {
    const char *name;
    int (*detect)(PjTarget *t);
    char *triple, *cpu, *features;
    void (*libm_name)(char *buf, size_t n, const char *name, int bits);
    bool (*calls_libm)(const char *intrinsic);
    void (*after_libm_call)(PjLower *lw);
    /* x (a float) as an int64 when *unusual is false: NaN, the
       infinities and |x| >= 2**63 make *unusual true, and maybe others */
    LLVMValueRef (*quick_to_int64)(PjLower *lw, LLVMValueRef x,
                                   LLVMValueRef *unusual);
    bool int64_indefinite;      /* quick_to_int64 answers -2**63 whenever
                                   *unusual, as x86's conversion does */
    void (*build_entry)(PjLower *lw);
};

extern PjTarget pj_target_host;

PjTarget *pj_target_ready(PjTarget *t);

/* --- jit.c --- */

/* What the JIT produced for one specialization; strings are owned. */
typedef struct PjArtifact {
    PyObject *llvm_ir;          /* optimized module text */
    PyObject *bitcode;          /* optimized module, for callers to inline */
    PyObject *object;           /* the object file, with cache=True */
    void *entry;                /* the wrapper */
} PjArtifact;

int pj_jit_prepare_module(LLVMModuleRef mod);
void pj_jit_internalize(LLVMModuleRef mod);
int pj_jit_emit(PjCompile *cx, PjArtifact *out, bool defer, bool later);
void *pj_jit_emit_later(PyObject *bitcode, const char *wrapper);
PyObject *pj_jit_callee_ir(PyObject *bitcode);
void *pj_jit_lookup(const char *name);
void *pj_jit_add_module(LLVMModuleRef mod, LLVMContextRef ctx,
                        const char *name);

/* --- refprune.c --- */

int pj_prune_refcounts(LLVMModuleRef mod);

/* --- unroll.c --- */

int pj_mark_small_loops(LLVMModuleRef mod, const char *cpu);
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

int pj_runtime_init(PyObject *module);
PjMemInfo *pj_rt_meminfo_alloc_dtor(int64_t nbytes, int32_t zero,
                                    PjMemDtor dtor, void *arg);
void pj_rt_meminfo_free(PjMemInfo *mi);
void pj_rt_meminfo_release(PjMemInfo *mi);
void *pj_rt_buffer_grow(void *buf, size_t old_bytes, size_t *bytes);
void pj_rt_buffer_free(void *buf, size_t bytes);
PyObject *pj_runtime_memory_owner(PjMemInfo *mi);
PjMemInfo *pj_runtime_owned_memory(PyObject *owner);
PjMemInfo *pj_runtime_memory_in(PyObject *obj);
PyObject *pj_runtime_find_class(const char *module, const char *qualname);
PyObject *pj_runtime_cached_class(const char *module, const char *qualname,
                                  PyObject **cache);
void pj_runtime_print_object(PyObject *obj, int32_t flags);
void pj_rt_print_boxed(PyObject *obj, int32_t flags, int32_t gil);
PyObject *pj_runtime_allocation_stats(int enable);
PjMemInfo *pj_rt_meminfo_alloc(int64_t nbytes, int32_t zero);
PjMemInfo *pj_rt_array_alloc(int64_t nbytes, int32_t zero);
void pj_rt_meminfo_free(PjMemInfo *mi);
PjMemInfo *pj_runtime_memory_of(PyObject *obj);
bool pj_is_instance_named(PyObject *obj, const char *module,
                           const char *name);
PjType *pj_typed_container_type(PyObject *obj, const char *module,
                                const char *name);
PjMemInfo *pj_rt_unbox_typed(PyObject *obj);
PyObject *pj_box_typed_container(PjMemInfo *mi, int32_t code,
                                 const char *module, const char *name);
PjMemInfo *pj_rt_meminfo_keep(PyObject *obj);
PyObject *pj_runtime_kept_object(PjMemInfo *mi);
void pj_runtime_release(PjMemInfo *mi);

/* --- random.c --- */

/* Compiled code's generators: `which` is 0 for np.random's, 1 for the
   random module's (the thread's own). */
void pj_rt_random_seed(int64_t which, int64_t seed);
int64_t pj_rt_random_u32(int64_t which);
double pj_rt_random_double(int64_t which);
double pj_rt_random_gauss(int64_t which);
void *pj_rt_random_state(int64_t which);
void pj_rt_random_refill(void *g);

/* --- np_generator.c --- */

/* numpy.random.Generator's type; its runtime helpers take the value's
   struct (np_generator.c's NpGen) by address. */
PjType *pj_type_npgen(void);
void pj_rt_npgen_unbox(PyObject *obj, void *out);
PyObject *pj_rt_npgen_box(PjMemInfo *mi, PyObject *obj);
int32_t pj_rt_npgen_new(int64_t seed, int32_t has_seed, void *out);

/* --- parallel_rt.c --- */

/* A prange loop's chunk: iterations [lo, hi) as chunk k; 0, or -1 with an
   exception set. */
typedef int (*PjChunkFn)(void *env, int64_t k, int64_t lo, int64_t hi);

int pj_parallel_num_threads(void);
int64_t pj_parallel_chunks(int64_t n);
int64_t pj_parallel_element_chunks(int64_t n);
int64_t pj_parallel_chunksize(void);
int64_t pj_parallel_swap_chunksize(int64_t n);
int pj_parallel_run(PjChunkFn fn, void *env, int64_t n, int64_t nchunks);
void *pj_parallel_scratch(int64_t nchunks, int64_t size);
void pj_parallel_free(void *p);
int64_t pj_parallel_thread_id(void);
int64_t pj_parallel_threads(void);
PyObject *pj_parallel_configure(PyObject *module, PyObject *arg);
PyObject *pj_parallel_set_threads(PyObject *module, PyObject *arg);
PyObject *pj_parallel_get_threads(PyObject *module, PyObject *unused);
PyObject *pj_parallel_set_chunksize(PyObject *module, PyObject *arg);
PyObject *pj_parallel_get_chunksize(PyObject *module, PyObject *unused);
PyObject *pj_parallel_get_thread_id(PyObject *module, PyObject *unused);
PyObject *pj_parallel_layer_used(PyObject *module, PyObject *unused);

/* --- dispatcher.c --- */

/* The wrapper every specialization exports: unboxes its arguments (scalars
   arrive already unboxed in vals), calls the native function, boxes the
   result.  Returns a new reference, or NULL with an exception set. */
typedef PyObject *(*PjEntry)(PyObject *const *args, const PjValue *vals);

struct PjOptions {
    bool nopython, nogil, cache, boundscheck, error_model_numpy;
    bool forceobj, looplift;
    bool parallel;                  /* prange loops run on threads */
    LLVMFastMathFlags fastmath;     /* on float operations; none by default */
    PyObject *locals;               /* locals=: dict name -> Type, or NULL */
    bool debug;                     /* DWARF line info in the object code */
    bool no_cpython_wrapper;        /* callable from jitted code only */
    bool nrt;                       /* may allocate memory (_nrt=) */
    bool linked;                    /* its code is linked into others (a
                                       ufunc's loops): its own object is
                                       made if Python calls it */
    int inline_mode;                /* PJ_INLINE_*: how callers link it */
};

enum { PJ_INLINE_DEFAULT, PJ_INLINE_ALWAYS, PJ_INLINE_NEVER };

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
    PyObject *diagnostics;      /* parallel_diagnostics: its text at
                                   levels 1-4, or NULL (from the cache) */
    PyObject *llvm_ir;
    PyObject *bitcode;
    PyObject *object;           /* the object file, to cache; or NULL */
    bool later;                 /* compiled as a callee: no object made
                                   yet, pj_overload_entry makes it */
    bool no_cache;              /* its code (and its callers') holds an
                                   object's address: not cached */
    PyObject *asm_text;         /* produced on demand */
    PyObject *objmode;          /* object mode: pyjit._objmode's
                                   ObjectModeFunction, else NULL */
    PyObject *objmode_call;     /* its function of the parameter row */
    double compile_seconds;
    double seconds[PJ_TIME_COUNT];
};

bool pj_dispatcher_check(PyObject *obj);
PyObject *pj_entry_point_new(PyObject *dispatcher, PjOverload *ov, int nargs);
int pj_overload_entry(PjOverload *ov);
PjType **pj_dispatcher_value_type(PyObject *disp);
const PjParams *pj_dispatcher_params(PyObject *disp);
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
    PjTarget *target;           /* what the code is generated for */
    /* The driver's answers about calls to other jitted functions, for
       inference (its return type, whether it raises) and lowering (its
       symbol, compiling it): the stages ask through these and never call
       the driver (compile.c) themselves. */
    PjCallee *(*type_callee)(PjCompile *cx, PyObject *disp, PjType **argtys,
                             int n, bool report);
    int (*callee_symbol)(PjCompile *cx, PjCallee *callee, const char **name,
                         bool *can_raise, PjType **restype);
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
    bool is_generator;          /* a generator function (yield) */
    PjType *declared_yield;     /* what its signature says it yields */
    PjType *yield_type;         /* what it yields, once inferred */
    const char *why;            /* a builtin's reason for not typing */
    int stage;                  /* typing, then lowering */
    bool can_raise;
    bool assumed_raising;       /* a recursive caller assumed it raises */
    bool reporting;             /* inference's last sweep: typing errors
                                   are diagnostics (pj_infer_fail) */
    bool refined;               /* a typer widened a variable
                                   (pj_infer_refine) */
    int depth;                  /* 0 for the outermost compile */
    int depends_on;             /* see PjCallee; PJ_FINAL if none */
    bool calls_active;          /* calls a function still compiling */
    /* literal.c: the parameters whose values literally() asked for (a
       bit each), and what the last callee that failed to type asked of
       its own parameters */
    uint64_t literal_request;
    PjInstr **held_args;        /* webs.c's question to typeinfer.c: the
                                   ARG definitions of parameters that still
                                   hold their argument at a branch */
    int nheld_args;
    uint64_t callee_literal_request;
    PjFunc *fn;
    PjDiag *diag;
    struct PjParallel *parallel;    /* its prange loops (parallel.c) */
    struct PjFusion *fusion;        /* its array expressions (fusion.c) */
    const char *native_name;    /* claimed in the JIT (make_names) */
    const char *wrapper_name;
    bool code_added;            /* its object is in the JIT: the name stays
                                   taken */
    bool no_cache;              /* its code holds an object's address */
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

uint64_t pj_compile_take_literal_request(void);
PjOverload *pj_compile(PyObject *disp, PjType **argtys, int nargs,
                       PjType *declared_ret, PyObject *const *argvalues,
                       const bool *untypable);
PjOverload *pj_overload_new(PjType **argtys, int nargs,
                            const char *native_name);
void pj_overload_free(PjOverload *ov);
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

/* --- ufunc_build.c --- */

int pj_ufunc_build_init(PyObject *module);
PyObject *pj_ufunc_build_jitted(PyObject *obj, bool parallel);

/* --- objmode.c --- */

bool pj_objmode_applies(const PjOptions *opts);
PjOverload *pj_objmode_compile(PyObject *disp, PjType **argtys, int nargs);
PyObject *pj_objmode_annotation(PjOverload *ov, PyObject *ir);
PyObject *pj_objmode_inspect(PjOverload *ov, const char *which);

#endif /* PYJIT_H */
