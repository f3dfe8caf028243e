/*
** array_flat.c - a.flat[i] and a.flat[i] = v: the element i places into
** the array in C order, whatever its strides.  As for a[i], a negative i
** counts from the end and i is checked only with boundscheck=True.
*/
#include "pyjit.h"

static const PjImpl impl_flat_getitem, impl_flat_getitem_chars,
    impl_flat_setitem;

static int
check_flat_index(PjCompile *cx, PjType *idx)
{
    if (idx != NULL && !pj_type_is_integer(idx)) {
        cx->why = "a.flat is indexed by an integer";
        return 1;
    }
    return 0;
}

/* a.flat[i] (a constant i in ins->sub when idx is NULL) */
int
pj_flat_type_getitem(PjCompile *cx, PjInstr *ins, PjType *it, PjType *idx)
{
    if (check_flat_index(cx, idx) != 0) {
        return 1;
    }
    PjType *argtys[2] = {it, idx};
    bool chars = pj_type_is_charseq(it->elems[0]->elems[0]);
    cx->can_raise |= chars;             /* MemoryError */
    return pj_array_choose_plan(cx, ins, chars ? &impl_flat_getitem_chars
                                               : &impl_flat_getitem,
                                pj_record_item_type(it->elems[0]), argtys, 2,
                                (PjPlan){.n = idx == NULL ? ins->sub : 0});
}

/* a.flat[i] = v: v converts to the dtype as in a[i] = v. */
int
pj_flat_type_setitem(PjCompile *cx, PjInstr *ins, PjType *it, PjType *idx,
                     PjType *value)
{
    PjType *arr = it->elems[0];
    if (check_flat_index(cx, idx) != 0) {
        return 1;
    }
    if (pj_array_readonly(arr)) {
        cx->why = "the array is read-only";
        return 1;
    }
    if (!pj_array_can_store(cx, arr->elems[0], value)) {
        return 1;
    }
    PjType *argtys[3] = {it, idx, value};
    return pj_array_choose(cx, ins, &impl_flat_setitem, NULL, argtys, 3);
}

/* The address of a.flat[i]; the iterator's first field is the array. */
static LLVMValueRef
flat_address(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *at = ins->argtys[0]->elems[0];
    LLVMValueRef arr = LLVMBuildExtractValue(lw->b, args[0], 0, "");
    bool maybe_negative;
    LLVMValueRef i = pj_array_index_value(lw, ins, args, 0, &maybe_negative);
    i = pj_array_checked_index(lw, i, maybe_negative,
                               pj_array_size(lw, at, arr));
    return pj_array_flat_address(lw, at, arr, i);
}

static LLVMValueRef
lower_flat_getitem(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *dtype = ins->argtys[0]->elems[0]->elems[0];
    return pj_array_read_item(lw, dtype, flat_address(lw, ins, args));
}

static LLVMValueRef
lower_flat_setitem(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *dtype = ins->argtys[0]->elems[0]->elems[0];
    LLVMValueRef v = pj_lower_convert(
        lw, args[2], ins->argtys[2],
        pj_array_stored_type(dtype, ins->argtys[2]));
    pj_array_store_item(lw, dtype, flat_address(lw, ins, args), v);
    return pj_lower_none(lw);
}

static const PjImpl impl_flat_getitem = {"flat getitem", lower_flat_getitem,
                                         false, false};
/* an element of an array of strings is read into a block of its own */
static const PjImpl impl_flat_getitem_chars = {"flat getitem",
                                               lower_flat_getitem, true, true};
static const PjImpl impl_flat_setitem = {"flat setitem", lower_flat_setitem,
                                         false, false};
