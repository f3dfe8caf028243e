/*
** kinds.c - the table of kind operations.
**
** pj_kinds[kind] is the row of operations for values of that kind
** (PjKind in pyjit.h), in the order of kinds.h.  The stages ask the table
** instead of switching on kinds: inference asks a kind how to type an
** attribute, an index, an operator; lowering asks for its LLVM type, its
** truth value, its iterator; the reference counting asks whether it holds
** memory and where; the wrapper asks how to box and unbox it.  A kind's
** row and everything it points to live in the kind's own file, so a new
** kind is a row in kinds.h and a new file.
*/
#include "pyjit.h"

/* ORDER TK */
const PjKind *const pj_kinds[PJ_TK_COUNT] = {
#define X(N, ROW) &pj_kind_##ROW,
    PJ_KINDS(X)
#undef X
};

/* Whether kind k is the first of the kinds sharing its row. */
static bool
first_of_row(int k)
{
    for (int j = 0; j < k; j++) {
        if (pj_kinds[j] == pj_kinds[k]) {
            return false;
        }
    }
    return true;
}

/* The rows of the table, each once (a kind and its iterator may share
   one): *at starts at 0 and is advanced; NULL after the last row. */
const PjKind *
pj_kinds_next_row(int *at)
{
    while (*at < PJ_TK_COUNT) {
        int k = (*at)++;
        if (first_of_row(k)) {
            return pj_kinds[k];
        }
    }
    return NULL;
}

/* The kind's name as kinds.h spells it ("ARRAY"). */
const char *
pj_kind_enum_name(int kind)
{
    static const char *const names[PJ_TK_COUNT] = {   /* ORDER TK */
#define X(N, ROW) #N,
        PJ_KINDS(X)
#undef X
    };
    return names[kind];
}

/* Runs each row's init once. */
int
pj_kinds_init(void)
{
    int at = 0;
    for (const PjKind *kind; (kind = pj_kinds_next_row(&at)) != NULL;) {
        if (kind->init != NULL) {
            RETURN_IF_ERROR(kind->init());
        }
    }
    return 0;
}

/* Whether a value of type t may hold reference-counted memory: then
   every variable of that type takes and releases references. */
bool
pj_type_holds_memory(PjType *t)
{
    const PjKind *k = pj_kind(t);
    return k->holds_memory != NULL && k->holds_memory(t);
}

/* Whether a value of type t can be handed to Python: a range or an
   iterator is only ever returned to other jitted code. */
bool
pj_type_can_box(PjType *t)
{
    const PjKind *k = pj_kind(t);
    if (k->box == NULL) {
        return false;
    }
    return k->can_box == NULL || k->can_box(t);
}

/* Whether values of type t have a truth value (if x:, not x, bool(x)),
   asked by the typing of one: the kind's type_truth may refuse t, or say
   that taking it may raise. */
bool
pj_type_takes_truth(PjCompile *cx, PjType *t)
{
    const PjKind *k = pj_kind(t);
    return k->lower_truth != NULL && (k->type_truth == NULL
                                      || k->type_truth(cx, t));
}

/* The holds_memory of a kind whose values hold values of its elems: a
   tuple, an iterator over a sequence. */
bool
pj_kind_elems_hold_memory(PjType *t)
{
    for (int i = 0; i < t->nelems; i++) {
        if (pj_type_holds_memory(t->elems[i])) {
            return true;
        }
    }
    return false;
}

/* The hooks of a kind whose value is a pointer to one block of
   reference-counted memory, held by the value: a list, a jitclass
   instance, a caught exception, a generator's frame. */
LLVMTypeRef
pj_kind_block_llvm_type(PjLower *lw, PjType *Py_UNUSED(t))
{
    return lw->t_ptr;
}

bool
pj_kind_holds_block(PjType *Py_UNUSED(t))
{
    return true;
}

void
pj_kind_block_meminfo(PjLower *lw, LLVMValueRef v, PjType *Py_UNUSED(t),
                      LLVMValueRef valid, PjMemFn f)
{
    if (valid != NULL) {
        v = LLVMBuildSelect(lw->b, valid, v, LLVMConstNull(lw->t_ptr), "");
    }
    f(lw, v);
}
