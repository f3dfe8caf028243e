/*
** objmode_block.c - `with objmode(y='float64'):` blocks in nopython code.
**
** The frontend asks pyjit/_objmode_block.py whether a `with` statement is
** an objmode block; if it is, the block becomes a Python function (a
** Block) of the variables the body reads, returning the declared outputs,
** and the with statement becomes a call of that Block, a compile-time
** constant of the kind here, whose result is unpacked into the outputs.
**
** The call takes the GIL (the function may run with nogil=True), boxes
** each input, calls the Block, unboxes each output, and gives the GIL
** back; an exception in the block propagates.  The Block has converted
** the outputs to their declared types, so unboxing them is safe; an array
** output keeps its NumPy array alive through a memory block that holds a
** reference to it.  The code names the Block by a key (module, qualified
** name, line, column and a digest of the statements), which it looks up
** when it runs: code loaded from the cache in another process finds its
** Block made again from the function's source, so a function with an
** objmode block is cached as any other.  A block of a function defined in
** another's body cannot be found by name: the code holds its address and
** is not cached.
*/
#include "pyjit.h"

#include <string.h>

static PyObject *
block_module(void)
{
    return pj_import_once(&pj_state->objmode_block_module,
                          "pyjit._objmode_block");
}

/* For the frontend: (block, inputs, outputs) when the with statement is
   an objmode block, None for another with statement, NULL with an
   exception or a diagnostic (a block that is wrong). */
PyObject *
pj_objmode_block_extract(PjCompile *cx, PyObject *with_node, PjLoc loc)
{
    PyObject *mod = block_module();
    PyObject *r = mod == NULL ? NULL : PyObject_CallMethod(
        mod, "extract", "OOO", cx->info->func, cx->info->node, with_node);
    if (r == NULL) {
        pj_diag_from_typing_error(cx, loc, "typing of an objmode block");
    }
    return r;
}

/* Whether obj is a Block the frontend made. */
bool
pj_objmode_block_check(PyObject *obj)
{
    PyObject *mod = pj_state->objmode_block_module;
    PyObject *cls = mod ? PyObject_GetAttrString(mod, "Block") : NULL;
    int rc = cls ? PyObject_IsInstance(obj, cls) : 0;
    Py_XDECREF(cls);
    PyErr_Clear();
    return rc == 1;
}

/* The type of the Block obj as a compile-time value. */
PjType *
pj_type_objmode_block(PjArena *a, PyObject *obj)
{
    return pj_type_const(a, PJ_TK_OBJMODE, obj, 0, NULL);
}

/* --- typing --- */

static void
print_block(PjBuf *b, PjType *t)
{
    PyObject *r = PyObject_Repr(t->obj);
    pj_buf_puts(b, r ? PyUnicode_AsUTF8(r) : "<objmode block>");
    Py_XDECREF(r);
    PyErr_Clear();
}

static const PjImpl impl_block;

/* The outputs' declared types, as a tuple type (none without outputs). */
static PjType *
block_result_type(PyObject *block)
{
    PyObject *types = PyObject_GetAttrString(block, "out_types");
    if (types == NULL) {
        return NULL;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(types);
    PjType *elems[PJ_MAX_ARGS];
    for (Py_ssize_t i = 0; i < n && i < PJ_MAX_ARGS; i++) {
        elems[i] = (PjType *)PyTuple_GET_ITEM(types, i);
    }
    PjType *t = n == 0 ? pj_t.none
                       : pj_type_tuple(elems, (int)(n < PJ_MAX_ARGS
                                                    ? n : PJ_MAX_ARGS));
    Py_DECREF(types);               /* the types are interned */
    return t;
}

/* The key the block is found again by, a new reference: a str, or None
   for a block of a function defined in another's body (NULL with an
   exception). */
static PyObject *
block_key(PyObject *block)
{
    return PyObject_GetAttrString(block, "key");
}

static bool
block_has_key(PyObject *block)
{
    PyObject *key = block_key(block);
    bool has = key != NULL && PyUnicode_Check(key);
    Py_XDECREF(key);
    PyErr_Clear();
    return has;
}

static int
block_call(PjCompile *cx, PjInstr *ins, PjType *fn, PjType **args, int n,
           PyObject *kwnames)
{
    if (kwnames != NULL || pj_infer_plan_positional(cx, ins, n) == NULL) {
        return kwnames != NULL ? 1 : -1;
    }
    for (int i = 0; i < n; i++) {
        if (!pj_type_can_box(args[i])) {
            cx->why = pj_arena_printf(cx->arena, "objmode: variable '%s' of "
                                      "type %s cannot be passed to Python",
                                      ins->src[1 + i]->name,
                                      pj_type_str(args[i]));
            return 1;
        }
    }
    PjType *resty = block_result_type(fn->obj);
    if (resty == NULL) {
        return -1;
    }
    for (int k = 0; pj_type_is_tuple(resty) && k < resty->count; k++) {
        if (!pj_type_can_unbox(pj_type_elem(resty, k))) {
            cx->why = pj_arena_printf(cx->arena, "objmode: an output of "
                                      "type %s cannot be taken from Python",
                                      pj_type_str(pj_type_elem(resty, k)));
            return 1;
        }
    }
    if (!block_has_key(fn->obj)) {
        cx->no_cache = true;        /* the code holds the block's address */
    }
    return pj_choose(cx, ins, &impl_block, resty, args, n);
}

/* --- lowering --- */

static LLVMValueRef
helper(PjLower *lw, const char *name, LLVMTypeRef ret, LLVMValueRef *args,
       int n)
{
    LLVMTypeRef params[3];
    for (int i = 0; i < n; i++) {
        params[i] = LLVMTypeOf(args[i]);
    }
    return pj_lower_helper(lw, name, ret, params, args, n);
}

/* The inputs, boxed, in an array of n object pointers. */
static LLVMValueRef
box_inputs(PjLower *lw, PjInstr *ins, LLVMValueRef *args, int n)
{
    LLVMValueRef objs = pj_lower_alloca(
        lw, LLVMArrayType2(lw->t_ptr, (uint64_t)(n > 0 ? n : 1)), "inputs");
    for (int i = 0; i < n; i++) {
        PjType *t = ins->argtys[i];
        pj_lower_incref_value(lw, args[i], t);     /* boxing takes one */
        LLVMValueRef obj = pj_kind(t)->box(lw, args[i], t);
        LLVMValueRef idx[1] = {pj_i64(lw, i)};
        LLVMBuildStore(lw->b, obj, LLVMBuildGEP2(lw->b, lw->t_ptr, objs,
                                                 idx, 1, ""));
    }
    return objs;
}

/* Output v of type t, unboxed from an object the block's result holds,
   with references of its own, as an operation's result has: what it
   borrows from the object (an array's or a string's memory, a typed
   container's block) is kept alive after the result is released; a
   reflected list or set, built from the object's items, owns its
   memory already. */
static LLVMValueRef
own_output(PjLower *lw, LLVMValueRef v, PjType *t)
{
    if (pj_type_is_tuple(t)) {
        for (int i = 0; i < t->count; i++) {
            LLVMValueRef e = own_output(lw, pj_part(lw, v, (unsigned)i),
                                        pj_type_elem(t, i));
            v = LLVMBuildInsertValue(lw->b, v, e, (unsigned)i, "");
        }
        return v;
    }
    if (!pj_type_holds_memory(t) || pj_list_is_reflected(t)
        || pj_set_is_reflected(t)) {
        return v;
    }
    return pj_lower_taken(lw, v, t);
}

/* Output k of the result tuple, as its declared type t. */
static LLVMValueRef
unbox_output(PjLower *lw, LLVMValueRef res, int k, PjType *t)
{
    LLVMValueRef a[2] = {res, pj_i64(lw, k)};
    LLVMValueRef item = helper(lw, "PyTuple_GetItem", lw->t_ptr, a, 2);
    if (pj_type_is_number(t) || t->kind == PJ_TK_NONE) {
        return pj_unbox_scalar(lw, item, t);
    }
    return own_output(lw, pj_kind(t)->unbox(lw, item, t), t);
}

/* The Block, in code that holds the GIL: found by its key at run time
   (code that names no address can be cached), or, for a block without
   one, its address, kept alive as long as the process. */
static LLVMValueRef
lower_block_object(PjLower *lw, PyObject *block)
{
    PyObject *key = block_key(block);
    if (key == NULL) {
        return NULL;
    }
    LLVMValueRef v;
    if (PyUnicode_Check(key)) {
        LLVMValueRef k[1] = {pj_lower_cstring(lw, PyUnicode_AsUTF8(key))};
        v = helper(lw, "pj_rt_objmode_block", lw->t_ptr, k, 1);
    }
    else if (PyList_Append(pj_state->objmode_blocks, block) < 0) {
        v = NULL;
    }
    else {
        v = LLVMConstIntToPtr(LLVMConstInt(lw->t_i64, (uintptr_t)block, 0),
                              lw->t_ptr);
    }
    Py_DECREF(key);
    return v;
}

static LLVMValueRef
lower_block(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    int n = ins->nsrc - 1;
    LLVMValueRef gil = helper(lw, "pj_rt_objmode_enter", lw->t_i32, NULL, 0);
    LLVMValueRef block = lower_block_object(lw, ins->src[0]->type->obj);
    if (block == NULL) {
        return NULL;
    }
    LLVMValueRef call[3] = {block, box_inputs(lw, ins, args, n),
                            pj_i64(lw, n)};
    LLVMValueRef res = helper(lw, "pj_rt_objmode_call", lw->t_ptr, call, 3);
    LLVMBasicBlockRef ok = pj_lower_fail_begin(
        lw, LLVMBuildIsNull(lw->b, res, ""));
    LLVMValueRef none = LLVMConstNull(lw->t_ptr), exit[2] = {none, gil};
    helper(lw, "pj_rt_objmode_exit", lw->t_void, exit, 2);
    pj_lower_fail_end(lw, ok);
    PjType *rt = ins->resty;
    LLVMValueRef out = LLVMGetUndef(pj_lower_type(lw, rt));
    for (int k = 0; pj_type_is_tuple(rt) && k < rt->count; k++) {
        out = LLVMBuildInsertValue(
            lw->b, out, unbox_output(lw, res, k, pj_type_elem(rt, k)),
            (unsigned)k, "");
    }
    exit[0] = res;
    helper(lw, "pj_rt_objmode_exit", lw->t_void, exit, 2);
    return rt->kind == PJ_TK_NONE ? pj_lower_none(lw) : out;
}

static const PjImpl impl_block = {"objmode block", lower_block, true, true};

const PjKind pj_kind_objmode = {
    .name = "objmode",
    .print = print_block,
    .type_call = block_call,
};

/* --- the runtime --- */

/* Takes the GIL (compiled code may run without it). */
int32_t
pj_rt_objmode_enter(void)
{
    return (int32_t)PyGILState_Ensure();
}

/* The Block of a key (pyjit/_objmode_block.py's block), or NULL with an
   exception.  Borrowed: the module's table of blocks keeps it. */
PyObject *
pj_rt_objmode_block(const char *key)
{
    PyObject *mod = block_module();
    PyObject *block = mod == NULL ? NULL
                                  : PyObject_CallMethod(mod, "block", "s", key);
    Py_XDECREF(block);
    return block;
}

/* Calls the block (NULL: finding it failed) with the n boxed inputs (each
   a new reference, NULL where boxing failed), releasing them; the result
   or NULL. */
PyObject *
pj_rt_objmode_call(PyObject *block, PyObject **inputs, int64_t n)
{
    PyObject *res = NULL;
    bool boxed = block != NULL;
    for (int64_t i = 0; i < n; i++) {
        boxed &= inputs[i] != NULL;
    }
    if (boxed) {
        res = PyObject_Vectorcall(block, inputs, (size_t)n, NULL);
    }
    for (int64_t i = 0; i < n; i++) {
        Py_XDECREF(inputs[i]);
    }
    return res;
}

/* Releases the block's result and gives the GIL back. */
void
pj_rt_objmode_exit(PyObject *res, int32_t gil)
{
    Py_XDECREF(res);
    PyGILState_Release((PyGILState_STATE)gil);
}

