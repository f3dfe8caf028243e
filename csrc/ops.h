/*
** ops.h - the IR opcodes, defined once.
**
** X(NAME, text, flags, during): NAME becomes PJ_OP_NAME, text is what the
** printer shows, flags are the PJ_OPF_* properties below, during names the
** operation in typing errors ("During: typing of get attribute at ...").  The table is included
** several times with different definitions of X; everything that depends on
** its order is tagged ORDER OP (grep ORDER OP).
**
** The IR is Numba's: basic blocks of instructions over named variables.  An
** instruction with a destination assigns it (`dst = op(src...)`); the last
** instruction of every block is a terminator.  Semantics of each opcode:
**
**   ARG          dst = the sub-th argument of the function (obj: its name)
**   CONST        dst = the Python constant obj
**   GLOBAL       dst = the value obj that the global or closure variable
**                `name` had when the function was compiled
**   COPY         dst = src[0]  (converted to dst's type)
**   BINOP        dst = src[0] <sub> src[1], sub a PJ_BIN_* operator
**   INPLACE      dst = src[0] <sub>= src[1]; same as BINOP on immutable values
**   UNARY        dst = <sub> src[0], sub a PJ_UN_* operator
**   COMPARE      dst = src[0] <sub> src[1], sub a PJ_CMP_* operator
**   CALL         dst = src[0](src[1..nsrc-1]); obj: tuple of keyword names
**                for the trailing arguments, or NULL; obj2: the positions
**                of the operands written *t, until their items replace
**                them (spread.c)
**   GETATTR      dst = src[0].name
**   GETITEM      dst = src[0][src[1]]
**   STATIC_GETITEM dst = src[0][sub], sub a constant index; or, when obj
**                is a slice object, dst = src[0][obj] (constant bounds)
**   SETITEM      src[0][src[1]] = src[2]
**   SETATTR      src[0].name = src[1]
**   BUILD_TUPLE  dst = (src[0], ..., src[nsrc-1])
**   BUILD_LIST   dst = [src[0], ..., src[nsrc-1]]
**                (sub PJ_LIST_ROOM_FOR: an empty list with room for as
**                many items as src[0], a range or an array, has)
**   EXHAUST_ITER dst = src[0], checked to hold exactly sub items
**   GETITER      dst = iter(src[0])
**   ITERNEXT     dst = (next item, has item) advancing the iterator src[0]
**   PAIR_FIRST   dst = src[0][0] of an ITERNEXT pair
**   PAIR_SECOND  dst = src[0][1] of an ITERNEXT pair
**   CAST         dst = src[0] converted to the function's return type
**   ARRAYEXPR    dst = an array expression over the arrays and numbers
**                src[...] computed in one loop, or its reduction (plan: the
**                expression; made after inference by fusion.c)
**   JUMP         continue at target[0]
**   BRANCH       continue at target[0] if src[0] is true, else target[1]
**   RETURN       return src[0]
**   RAISE        raise the exception class obj with the argument tuple obj2,
**                or with the arguments src[...] computed at run time
**   CATCH        dst = the exception being raised, which stops being raised;
**                first in the block a `try` body's exceptions go to
**                (PjBlock.handler)
**   EXC_MATCH    dst = whether the caught exception src[0] is an instance of
**                one of the classes in the tuple obj
**   RERAISE      raise the caught exception src[0] again
**   YIELD        yield src[0] (a generator function, generator.c)
**   SHAPECHECK   check that the arrays src[...] broadcast as the operations
**                of an array expression written so far need (plan: those
**                operations), where they were written; the expression is
**                computed later, past an instruction that may raise
**                (fusion.c)
*/

#define PJ_OPF_DST   1     /* assigns dst */
#define PJ_OPF_TERM  2     /* ends a block */

/* ORDER OP */
#define PJ_OPS(X)                                                                  \
    X(ARG,            "arg",            PJ_OPF_DST,  "typing of argument")         \
    X(CONST,          "const",          PJ_OPF_DST,  "typing of constant")         \
    X(GLOBAL,         "global",         PJ_OPF_DST,  "typing of global")           \
    X(COPY,           "copy",           PJ_OPF_DST,  "typing of assignment")       \
    X(BINOP,          "binop",          PJ_OPF_DST,  "typing of binary operator")  \
    X(INPLACE,        "inplace_binop",  PJ_OPF_DST,  "typing of inplace operator") \
    X(UNARY,          "unary",          PJ_OPF_DST,  "typing of unary operator")   \
    X(COMPARE,        "cmp",            PJ_OPF_DST,  "typing of comparison")       \
    X(CALL,           "call",           PJ_OPF_DST,  "typing of call")             \
    X(GETATTR,        "getattr",        PJ_OPF_DST,  "typing of get attribute")    \
    X(GETITEM,        "getitem",        PJ_OPF_DST,  "typing of getitem")          \
    X(STATIC_GETITEM, "static_getitem", PJ_OPF_DST,  "typing of static getitem")   \
    X(SETITEM,        "setitem",        0,           "typing of setitem")          \
    X(SETATTR,        "setattr",        0,           "typing of set attribute")    \
    X(BUILD_TUPLE,    "build_tuple",    PJ_OPF_DST,  "typing of tuple")            \
    X(BUILD_LIST,     "build_list",     PJ_OPF_DST,  "typing of list")             \
    X(EXHAUST_ITER,   "exhaust_iter",   PJ_OPF_DST,  "typing of unpacking")        \
    X(GETITER,        "getiter",        PJ_OPF_DST,  "typing of iteration")        \
    X(ITERNEXT,       "iternext",       PJ_OPF_DST,  "typing of iteration")        \
    X(PAIR_FIRST,     "pair_first",     PJ_OPF_DST,  "typing of iteration")        \
    X(PAIR_SECOND,    "pair_second",    PJ_OPF_DST,  "typing of iteration")        \
    X(CAST,           "cast",           PJ_OPF_DST,  "typing of return")           \
    X(ARRAYEXPR,      "arrayexpr",      PJ_OPF_DST,  "array expression")           \
    X(JUMP,           "jump",           PJ_OPF_TERM, "typing of jump")             \
    X(BRANCH,         "branch",         PJ_OPF_TERM, "typing of condition")        \
    X(RETURN,         "return",         PJ_OPF_TERM, "typing of return")           \
    X(RAISE,          "raise",          PJ_OPF_TERM, "typing of raise")            \
    X(CATCH,          "catch",          PJ_OPF_DST,  "typing of except")           \
    X(EXC_MATCH,      "exc_match",      PJ_OPF_DST,  "typing of except")           \
    X(RERAISE,        "reraise",        PJ_OPF_TERM, "typing of raise")            \
    X(YIELD,          "yield",          0,           "typing of yield")         \
    X(SHAPECHECK,     "shapecheck",     0,           "array expression")

/* Binary operators, in the order of their Python spelling table. */
/* ORDER BIN */
#define PJ_BINOPS(X)                 \
    X(ADD,      "+",  "__add__")     \
    X(SUB,      "-",  "__sub__")     \
    X(MUL,      "*",  "__mul__")     \
    X(TRUEDIV,  "/",  "__truediv__") \
    X(FLOORDIV, "//", "__floordiv__")\
    X(MOD,      "%",  "__mod__")     \
    X(POW,      "**", "__pow__")     \
    X(LSHIFT,   "<<", "__lshift__")  \
    X(RSHIFT,   ">>", "__rshift__")  \
    X(AND,      "&",  "__and__")     \
    X(OR,       "|",  "__or__")      \
    X(XOR,      "^",  "__xor__")     \
    X(MATMUL,   "@",  "__matmul__")

/* ORDER UN */
#define PJ_UNOPS(X)          \
    X(NEG,    "-")           \
    X(POS,    "+")           \
    X(INVERT, "~")           \
    X(NOT,    "not")

/* ORDER CMP */
#define PJ_CMPOPS(X)         \
    X(EQ,    "==")           \
    X(NE,    "!=")           \
    X(LT,    "<")            \
    X(LE,    "<=")           \
    X(GT,    ">")            \
    X(GE,    ">=")           \
    X(IS,    "is")           \
    X(ISNOT, "is not")       \
    X(IN,    "in")           \
    X(NOTIN, "not in")
