/*
** ir_verify.c - invariant checks on the IR, between stages, in debug
** builds (PYJIT_DEBUG).  A broken invariant is a compiler bug, not a user
** error: it becomes a SystemError with the IR attached.
**
** After the frontend: every reachable block ends in its one terminator,
** jumps go to blocks of the function, instructions that assign have a
** destination and the others none, operands exist.
** After inference: every variable a reachable instruction reads has a
** type, and every operation lowering needs an implementation for has one.
*/
#include "pyjit.h"

#include <string.h>

#ifdef PYJIT_DEBUG

static int
broken(PjCompile *cx, PjInstr *ins, const char *what)
{
    PjBuf b;
    pj_buf_init(&b);
    pj_buf_printf(&b, "pyjit: malformed IR in %s: %s", cx->fn->name, what);
    if (ins != NULL) {
        pj_buf_puts(&b, " at `");
        pj_ir_print_instr(&b, ins, true);
        pj_buf_puts(&b, "`");
    }
    pj_buf_puts(&b, "\n");
    pj_ir_print_func(&b, cx->fn, true);
    PyObject *msg = pj_buf_to_str(&b);
    if (msg != NULL) {
        PyErr_SetObject(PyExc_SystemError, msg);
        Py_DECREF(msg);
    }
    return -1;
}

static bool
in_function(PjFunc *fn, PjBlock *b)
{
    return b != NULL && b->index >= 0 && b->index < fn->blocks.len
           && pj_ir_block(fn, b->index) == b;
}

static int
verify_block(PjCompile *cx, PjBlock *b)
{
    if (b->last == NULL || !(pj_op_flags[b->last->op] & PJ_OPF_TERM)) {
        return broken(cx, b->last, "a block does not end in a terminator");
    }
    for (PjInstr *ins = b->first; ins != NULL; ins = ins->next) {
        int flags = pj_op_flags[ins->op];
        if ((flags & PJ_OPF_TERM) && ins != b->last) {
            return broken(cx, ins, "a terminator in the middle of a block");
        }
        if (((flags & PJ_OPF_DST) != 0) != (ins->dst != NULL)) {
            return broken(cx, ins, "destination does not match the opcode");
        }
        for (int k = 0; k < ins->nsrc; k++) {
            if (ins->src[k] == NULL) {
                return broken(cx, ins, "a missing operand");
            }
        }
        PjBlock *succ[2];
        int n = ins == b->last ? pj_ir_successors(b, succ) : 0;
        for (int k = 0; k < n; k++) {
            if (!in_function(cx->fn, succ[k])) {
                return broken(cx, ins, "a jump out of the function");
            }
        }
    }
    return 0;
}

static bool
needs_impl(PjInstr *ins)
{
    switch (ins->op) {
    case PJ_OP_BINOP: case PJ_OP_INPLACE: case PJ_OP_UNARY:
    case PJ_OP_COMPARE: case PJ_OP_GETATTR: case PJ_OP_GETITEM:
    case PJ_OP_STATIC_GETITEM: case PJ_OP_BUILD_TUPLE: case PJ_OP_BUILD_LIST:
    case PJ_OP_GETITER:
    case PJ_OP_PAIR_FIRST: case PJ_OP_PAIR_SECOND: case PJ_OP_EXHAUST_ITER:
        return true;
    default:
        return false;
    }
}

static int
verify_typed_block(PjCompile *cx, PjBlock *b)
{
    for (PjInstr *ins = b->first; ins != NULL; ins = ins->next) {
        for (int k = 0; k < ins->nsrc; k++) {
            if (ins->src[k]->type == NULL) {
                return broken(cx, ins, "an operand without a type");
            }
        }
        if (ins->dst != NULL && ins->dst->type == NULL) {
            return broken(cx, ins, "a destination without a type");
        }
        if (needs_impl(ins) && ins->impl == NULL) {
            return broken(cx, ins, "no implementation chosen");
        }
        if (ins->op == PJ_OP_CALL && ins->call == NULL) {
            return broken(cx, ins, "a call without an argument plan");
        }
    }
    return 0;
}

#endif /* PYJIT_DEBUG */

/* Checks the IR after `typed` stages; 0, or -1 with SystemError. */
int
pj_ir_verify(PjCompile *cx, bool typed)
{
#ifdef PYJIT_DEBUG
    PjFunc *fn = cx->fn;
    for (int i = 0; i < fn->blocks.len; i++) {
        PjBlock *b = pj_ir_block(fn, i);
        if (!b->reachable) {
            continue;
        }
        RETURN_IF_ERROR(verify_block(cx, b));
        if (typed) {
            RETURN_IF_ERROR(verify_typed_block(cx, b));
        }
    }
#else
    (void)cx;
    (void)typed;
#endif
    return 0;
}
