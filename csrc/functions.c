/*
** functions.c - functions as values.
**
** A jitted function (a dispatcher) or a builtin (math.sin) that compiled
** code passes around is a value whose type says which function it is:
** the type is interned per function object and holds it, so each function
** passed to `apply(f, x)` is a distinct argument type, gets a
** specialization of its own, and the call inside is a direct call that
** LLVM can inline, as Numba's types.Dispatcher.  The value itself carries
** no data (a byte, like None): it passes to calls, sits in tuples, and
** returns to Python as the function object its type holds.
**
** A dispatcher reaches compiled code as an argument too (typeof); a plain
** Python function or a builtin passed from Python has no type, and the
** error says what to do about it.
**
** A FunctionType (pyjit.types.FunctionType(sig), sig.as_type()) is a
** function known only when the code runs: the address of a C entry, as a
** cfunc's, called through the pointer.  A cfunc passed from Python is
** one, so a tuple of cfuncs of one signature is a UniTuple that a loop
** iterates, and one specialization serves every function passed.
**
** A cfunc (pyjit/_cfunc.py) is a specialization called from C: its C
** entry, built here in a module of its own, takes and returns numbers as
** C does and calls the native function; an exception the function raises
** cannot cross C code, so it is written to stderr as an unraisable one
** and the entry returns zero.
*/
#include "pyjit.h"

#include <string.h>

/* --- the types --- */

/* The type of the jitted function disp as a value: Dispatcher(name).  It
   is made once and kept by the dispatcher, which it does not keep alive:
   a function made and dropped (a closure) leaves its type behind, unused,
   not its code. */
PjType *
pj_type_dispatcher(PyObject *disp)
{
    PjType **slot = pj_dispatcher_value_type(disp);
    if (*slot == NULL) {
        *slot = pj_type_unique_object(PJ_TK_DISPATCHER, disp);
    }
    return *slot;
}

/* --- values carrying no data --- */

LLVMTypeRef
pj_function_llvm_type(PjLower *lw, PjType *Py_UNUSED(t))
{
    return lw->t_i8;
}

LLVMValueRef
pj_function_lower_const(PjLower *lw, PyObject *Py_UNUSED(obj),
                        PjType *Py_UNUSED(t))
{
    return LLVMConstInt(lw->t_i8, 0, 0);
}

/* A new reference to the function object the type of typecode `code`
   holds: the runtime helper boxing a function. */
PyObject *
pj_rt_type_object(int32_t code)
{
    PyObject *obj = pj_type_from_code(code)->obj;
    if (obj == NULL) {
        PyErr_SetString(PyExc_ReferenceError, "the jitted function "
                        "returned was deleted");
        return NULL;
    }
    return Py_NewRef(obj);
}

/* The function object the type holds, found by typecode: the code names
   no address of this process. */
LLVMValueRef
pj_function_box(PjLower *lw, LLVMValueRef Py_UNUSED(v), PjType *t)
{
    LLVMValueRef code = pj_lower_typecode(lw, t);
    return pj_lower_helper(lw, "pj_rt_type_object", lw->t_ptr, &lw->t_i32,
                           &code, 1);
}

LLVMValueRef
pj_function_unbox(PjLower *lw, LLVMValueRef Py_UNUSED(obj),
                  PjType *Py_UNUSED(t))
{
    return LLVMConstInt(lw->t_i8, 0, 0);
}

/* --- the dispatcher kind --- */

static void
print_dispatcher(PjBuf *b, PjType *t)
{
    pj_buf_printf(b, "Dispatcher(%s)",
                  PyUnicode_AsUTF8(pj_dispatcher_info(t->obj)->qualname));
}

static PjType *
typeof_dispatcher(PyObject *obj, bool *Py_UNUSED(untypable),
                  int Py_UNUSED(depth))
{
    return pj_dispatcher_check(obj) ? pj_type_dispatcher(obj) : NULL;
}

/* A function compiled code cannot take: what to do instead (said of the
   value, or of a tuple holding it). */
static const char *
why_not_function(PyObject *obj, int depth)
{
    if (PyFunction_Check(obj)) {
        return depth == 0
            ? "it is a Python function, not a jitted one: decorate it with "
              "@pyjit.njit to pass it to compiled code"
            : "a Python function in it is not jitted: decorate it with "
              "@pyjit.njit to pass it to compiled code";
    }
    if (PyCFunction_Check(obj)) {
        return depth == 0
            ? "a builtin function is known to compiled code by its name "
              "only: call it in the compiled code, or pass a jitted "
              "function that calls it"
            : "a builtin function in it is known to compiled code by its "
              "name only: call it in the compiled code, or pass a jitted "
              "function that calls it";
    }
    return NULL;
}

/* f == g, f != g, f is g of jitted functions (pynndescent's `dist ==
   alternative_dot`): each has a type of its own, so the answer is known
   when the function compiles. */
static LLVMValueRef
lower_same_function(PjLower *lw, PjInstr *ins, LLVMValueRef *Py_UNUSED(args))
{
    return LLVMConstInt(lw->t_i1, (unsigned long long)ins->plan.n, 0);
}

static const PjImpl impl_same_function = {"compare functions",
                                          lower_same_function, false, false};

static int
dispatcher_operator(PjCompile *cx, PjInstr *ins, PjType *a, PjType *b)
{
    int op = ins->sub;
    if (ins->op != PJ_OP_COMPARE || b == NULL || b->kind != PJ_TK_DISPATCHER
        || (op != PJ_CMP_EQ && op != PJ_CMP_NE && op != PJ_CMP_IS
            && op != PJ_CMP_ISNOT)) {
        return 1;
    }
    return pj_choose_known_sameness(cx, ins, a, b, a == b);
}

/* a == b, a != b, a is b, a is not b of two compile-time values (jitted
   functions, classes) whose sameness `same` the types say: a constant. */
int
pj_choose_known_sameness(PjCompile *cx, PjInstr *ins, PjType *a, PjType *b,
                         bool same)
{
    bool equal = ins->sub == PJ_CMP_EQ || ins->sub == PJ_CMP_IS;
    PjType *argtys[2] = {a, b};
    return pj_choose_plan(cx, ins, &impl_same_function, pj_t.boolean, argtys,
                          2, (PjPlan){.n = same == equal});
}

static int
init_dispatcher(void)
{
    return pj_typeof_register(pj_state->dispatcher_type,
                              &pj_kind_dispatcher);
}

const PjKind pj_kind_dispatcher = {
    .name = "dispatcher",
    .print = print_dispatcher,
    .unify = pj_funcset_unify,
    .type_operator = dispatcher_operator,
    .llvm_type = pj_function_llvm_type,
    .lower_const = pj_function_lower_const,
    .box = pj_function_box,
    .unbox = pj_function_unbox,
    .typeof = typeof_dispatcher,
    .why_untypable = why_not_function,
    .init = init_dispatcher,
};

/* --- cfunc: a specialization's C entry --- */

/* Numbers that C passes and returns as LLVM does, with no extension
   attributes. */
static bool
is_c_number(PjType *t)
{
    return ((t->kind == PJ_TK_INT || t->kind == PJ_TK_UINT) && t->bits >= 32)
           || t->kind == PJ_TK_FLOAT;
}

static int
check_c_signature(PjOverload *ov, PjType **args, int n)
{
    for (int i = -1; i < n; i++) {
        PjType *t = i < 0 ? ov->restype : args[i];
        if (!is_c_number(t)) {
            PyErr_Format(PyExc_TypeError, "a cfunc takes and returns "
                         "int32, int64, uint32, uint64, float32 or float64, "
                         "not %s", pj_type_str(t));
            return -1;
        }
    }
    return 0;
}

/* The exception a native function raised, reported where C called it:
   the runtime helper of a failed cfunc call. */
void
pj_rt_cfunc_failed(const char *name)
{
    PyGILState_STATE g = PyGILState_Ensure();
    PyObject *where = PyUnicode_FromFormat("cfunc %s", name);
    PyErr_WriteUnraisable(where);
    Py_XDECREF(where);
    PyGILState_Release(g);
}

/* The call of the native function from the C entry's parameters: its
   result, or zero after reporting what it raised. */
static LLVMValueRef
call_native(PjLower *lw, PjOverload *ov, LLVMTypeRef ret, int n)
{
    LLVMValueRef args[PJ_MAX_ARGS + 1];
    LLVMTypeRef params[PJ_MAX_ARGS + 1];
    int na = 0;
    LLVMValueRef slot = NULL;
    if (ov->can_raise) {
        slot = pj_lower_alloca(lw, ret, "ret");
        params[na] = lw->t_ptr;
        args[na++] = slot;
    }
    for (int i = 0; i < n; i++, na++) {
        args[na] = LLVMGetParam(lw->func, (unsigned)i);
        params[na] = LLVMTypeOf(args[na]);
    }
    LLVMValueRef r = pj_lower_helper(lw, ov->native_name,
                                     ov->can_raise ? lw->t_i32 : ret,
                                     params, args, na);
    if (!ov->can_raise) {
        return r;
    }
    LLVMBasicBlockRef ok = pj_lower_branch_on_status(lw, r);
    LLVMValueRef name = pj_lower_cstring(lw, ov->native_name);
    pj_lower_helper(lw, "pj_rt_cfunc_failed", lw->t_void, &lw->t_ptr, &name,
                    1);
    LLVMBuildRet(lw->b, LLVMConstNull(ret));
    LLVMPositionBuilderAtEnd(lw->b, ok);
    return LLVMBuildLoad2(lw->b, ret, slot, "");
}

/* Builds `name`, the C entry of ov, in lw's module, returning its result
   converted to `ret`. */
static void
build_c_entry(PjLower *lw, PjOverload *ov, PjType **args, int n,
              PjType *ret_type, const char *name)
{
    LLVMTypeRef params[PJ_MAX_ARGS];
    for (int i = 0; i < n; i++) {
        params[i] = pj_lower_type(lw, args[i]);
    }
    LLVMTypeRef ret = pj_lower_type(lw, ov->restype);
    lw->func = LLVMAddFunction(lw->mod, name, LLVMFunctionType(
        pj_lower_type(lw, ret_type), params, (unsigned)n, 0));
    LLVMPositionBuilderAtEnd(lw->b, LLVMAppendBasicBlockInContext(
        lw->ctx, lw->func, "entry"));
    LLVMBuildRet(lw->b, pj_lower_convert(lw, call_native(lw, ov, ret, n),
                                         ov->restype, ret_type));
}

/* The address of the C entry of ov, built and added to the JIT the first
   time it is asked for. */
static void *
c_entry_address(PjOverload *ov, PjType **args, int n, PjType *ret,
                const char *name)
{
    int claimed = pj_jit_claim_name(name);
    if (claimed <= 0) {
        return claimed < 0 ? NULL : pj_jit_lookup(name);
    }
    PjLower lw = {.ctx = LLVMContextCreate()};
    lw.mod = LLVMModuleCreateWithNameInContext(name, lw.ctx);
    if (pj_jit_prepare_module(lw.mod) < 0) {
        LLVMDisposeModule(lw.mod);
        LLVMContextDispose(lw.ctx);
        return NULL;
    }
    lw.b = LLVMCreateBuilderInContext(lw.ctx);
    pj_lower_init_types(&lw);
    build_c_entry(&lw, ov, args, n, ret, name);
    LLVMDisposeBuilder(lw.b);
    return pj_jit_add_module(lw.mod, lw.ctx, name);
}

/* (address, symbol name) of the C entry of disp's specialization for the
   argument types `argtypes` (a tuple), which must be compiled, returning
   `ret` (NULL: the specialization's return type). */
static PyObject *
c_entry(PyObject *disp, PyObject *argtypes, PjType *ret)
{
    int n = (int)PyTuple_GET_SIZE(argtypes);
    PjType **args = (PjType **)&PyTuple_GET_ITEM(argtypes, 0);
    PjOverload *ov = n <= PJ_MAX_ARGS ? pj_dispatcher_find(disp, args, n)
                                      : NULL;
    if (ov == NULL) {
        PyErr_SetString(PyExc_TypeError, "a cfunc needs its specialization "
                        "compiled first");
        return NULL;
    }
    if (pj_overload_entry(ov) < 0) {
        return NULL;
    }
    if (check_c_signature(ov, args, n) < 0) {
        return NULL;
    }
    PyObject *name = ret == NULL || ret == ov->restype
        ? PyUnicode_FromFormat("cfunc.%s", ov->native_name)
        : PyUnicode_FromFormat("cfunc.%s.%s", ov->native_name,
                               pj_type_str(ret));
    void *addr = name ? c_entry_address(ov, args, n,
                                        ret ? ret : ov->restype,
                                        PyUnicode_AsUTF8(name)) : NULL;
    PyObject *res = addr ? Py_BuildValue("(KO)", (unsigned long long)
                                         (uintptr_t)addr, name) : NULL;
    Py_XDECREF(name);
    return res;
}

PyObject *
pj_cfunc_entry(PyObject *disp, PyObject *argtypes)
{
    return c_entry(disp, argtypes, NULL);
}

/* --- FunctionType: the address of a C entry --- */

/* FunctionType[ret(args...)] (NULL with TypeError unless every type is a
   number C passes as LLVM does). */
PjType *
pj_type_funcptr(PjType *ret, PjType **args, int n)
{
    PjType *elems[PJ_MAX_ARGS + 1];
    if (n > PJ_MAX_ARGS) {
        PyErr_SetString(PyExc_TypeError, "FunctionType: too many arguments");
        return NULL;
    }
    elems[0] = ret;
    for (int i = 0; i < n; i++) {
        elems[1 + i] = args[i];
    }
    for (int i = 0; i <= n; i++) {
        if (!is_c_number(elems[i])) {
            PyErr_Format(PyExc_TypeError, "a FunctionType takes and returns "
                         "int32, int64, uint32, uint64, float32 or float64, "
                         "not %s", pj_type_str(elems[i]));
            return NULL;
        }
    }
    return pj_type_intern(PJ_TK_FUNCPTR, 0, 0, elems, n + 1, NULL);
}

static void
print_funcptr(PjBuf *b, PjType *t)
{
    pj_buf_printf(b, "FunctionType[%s(", pj_type_str(t->elems[0]));
    for (int i = 1; i < t->nelems; i++) {
        pj_buf_printf(b, "%s%s", i > 1 ? ", " : "", pj_type_str(t->elems[i]));
    }
    pj_buf_puts(b, ")]");
}

static LLVMTypeRef
funcptr_llvm_type(PjLower *lw, PjType *Py_UNUSED(t))
{
    return lw->t_ptr;
}

/* f(args...) through the pointer: args[0] is f, the rest its arguments
   converted to its parameters' types. */
static LLVMValueRef
lower_call_pointer(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *ft = ins->argtys[0];
    int n = ft->nelems - 1;
    LLVMTypeRef params[PJ_MAX_ARGS];
    for (int i = 0; i < n; i++) {
        params[i] = pj_lower_type(lw, ft->elems[1 + i]);
    }
    LLVMTypeRef fty = LLVMFunctionType(pj_lower_type(lw, ft->elems[0]),
                                       params, (unsigned)n, 0);
    return LLVMBuildCall2(lw->b, fty, args[0], args + 1, (unsigned)n, "");
}

static const PjImpl impl_call_pointer = {"call", lower_call_pointer, false,
                                         false};

static int
funcptr_call(PjCompile *cx, PjInstr *ins, PjType *ft, PjType **args, int n,
             PyObject *kwnames)
{
    if (kwnames != NULL || n != ft->nelems - 1) {
        cx->why = kwnames ? "a FunctionType takes positional arguments"
                          : "the number of arguments is not the signature's";
        return 1;
    }
    PjType *argtys[PJ_MAX_ARGS + 1];
    argtys[0] = ft;
    for (int i = 0; i < n; i++) {
        if (pj_type_conversion_cost(args[i], ft->elems[1 + i]) < 0) {
            cx->why = "an argument does not convert to the signature's type";
            return 1;
        }
        argtys[1 + i] = ft->elems[1 + i];
    }
    if (pj_infer_plan_positional(cx, ins, n) == NULL) {
        return -1;
    }
    return pj_choose(cx, ins, &impl_call_pointer, ft->elems[0], argtys,
                     n + 1);
}

/* The address of the C entry of a cfunc the dispatcher typed: the runtime
   helper unboxing a FunctionType argument. */
void *
pj_rt_function_address(PyObject *obj)
{
    if (pj_extfunc_check(obj)) {
        return pj_extfunc_address(obj);
    }
    PyObject *addr = PyObject_GetAttrString(obj, "address");
    void *p = addr ? PyLong_AsVoidPtr(addr) : NULL;
    Py_XDECREF(addr);
    return p;
}

/* The address of a C entry of the jitted function disp for the
   signature of the FunctionType ft, compiling it if need be; NULL with
   TypeError when disp does not take those arguments or returns another
   type for them. */
static void *
dispatcher_address(PyObject *disp, PjType *ft)
{
    int n = ft->nelems - 1;
    PyObject *argtypes = PyTuple_New(n);
    for (int i = 0; argtypes != NULL && i < n; i++) {
        PyTuple_SET_ITEM(argtypes, i, Py_NewRef((PyObject *)ft->elems[1 + i]));
    }
    PyObject *r = argtypes ? PyObject_CallMethod(disp, "_compile_signature",
                                                 "(OO)", argtypes, Py_None)
                           : NULL;
    Py_XDECREF(r);
    PjOverload *ov = r ? pj_dispatcher_find(disp, ft->elems + 1, n) : NULL;
    if (r != NULL && (ov == NULL || pj_type_conversion_cost(
                          ov->restype, ft->elems[0]) < 0)) {
        PyErr_Format(PyExc_TypeError, "the jitted function %U returns %s for "
                     "the arguments of %s, not %s",
                     pj_dispatcher_info(disp)->qualname,
                     ov ? pj_type_str(ov->restype) : "nothing",
                     pj_type_str(ft), pj_type_str(ft->elems[0]));
        ov = NULL;
    }
    PyObject *entry = ov ? c_entry(disp, argtypes, ft->elems[0]) : NULL;
    Py_XDECREF(argtypes);
    void *p = entry ? PyLong_AsVoidPtr(PyTuple_GET_ITEM(entry, 0)) : NULL;
    Py_XDECREF(entry);
    return p;
}

/* The address of the function obj, a cfunc or a jitted function, as a
   FunctionType of typecode `code` (the dispatcher matched it): the
   runtime helper unboxing a FunctionType argument. */
void *
pj_rt_function_address_as(PyObject *obj, int32_t code)
{
    if (!pj_dispatcher_check(obj)) {
        return pj_rt_function_address(obj);
    }
    void *p = dispatcher_address(obj, pj_type_from_code(code));
    if (p == NULL) {
        PyErr_WriteUnraisable(obj);
    }
    return p;
}

static LLVMValueRef
funcptr_unbox(PjLower *lw, LLVMValueRef obj, PjType *t)
{
    LLVMTypeRef p[2] = {lw->t_ptr, lw->t_i32};
    LLVMValueRef a[2] = {obj, pj_lower_typecode(lw, t)};
    return pj_lower_helper(lw, "pj_rt_function_address_as", lw->t_ptr, p, a,
                           2);
}

/* A jitted function passes where a FunctionType is declared when it
   compiles for the signature's arguments to the signature's result, as a
   safe conversion (Numba's dispatcher-to-function-type cast). */
static int
funcptr_conversion_cost(PjType *from, PjType *to)
{
    if (from->kind != PJ_TK_DISPATCHER || from->obj == NULL
        || from->code < 0) {
        return -1;
    }
    if (dispatcher_address(from->obj, to) == NULL) {
        PyErr_Clear();
        return -1;
    }
    return 2;
}

/* A cfunc (pyjit/_cfunc.py) is typed by the FunctionType it keeps, a
   ctypes or cffi function by its signature (extfunc.c). */
static PjType *
typeof_funcptr(PyObject *obj, bool *Py_UNUSED(untypable),
               int Py_UNUSED(depth))
{
    if (strcmp(Py_TYPE(obj)->tp_name, "CFunc") != 0) {
        return pj_extfunc_type(obj);
    }
    PyObject *t = PyObject_GetAttrString(obj, "_function_type");
    if (t == NULL) {
        PyErr_Clear();
        return NULL;
    }
    Py_DECREF(t);           /* interned: it lives for the process */
    return pj_type_check(t) && ((PjType *)t)->kind == PJ_TK_FUNCPTR
           ? (PjType *)t : NULL;
}

/* Whether t is a jitted function's type. */
bool
pj_type_is_dispatcher(PjType *t)
{
    return t != NULL && t->kind == PJ_TK_DISPATCHER;
}

/* Whether t is a function pointer type (Numba's FunctionType). */
bool
pj_type_is_funcptr(PjType *t)
{
    return t != NULL && t->kind == PJ_TK_FUNCPTR;
}

/* Whether values of type t hold the address of a function: such values
   are never frozen into code as constants, which would keep an address
   of this process in code that cache=True may store. */
bool
pj_type_holds_funcptr(PjType *t)
{
    if (t->kind == PJ_TK_FUNCPTR) {
        return true;
    }
    for (int i = 0; i < t->nelems; i++) {
        if (pj_type_holds_funcptr(t->elems[i])) {
            return true;
        }
    }
    return false;
}

/* The dispatcher behind a cfunc, or NULL (borrowed: the cfunc holds it).
   Compiled code naming a cfunc calls its jitted function directly. */
PyObject *
pj_cfunc_dispatcher(PyObject *obj)
{
    if (strcmp(Py_TYPE(obj)->tp_name, "CFunc") != 0) {
        return NULL;
    }
    PyObject *d = PyObject_GetAttrString(obj, "_dispatcher");
    if (d == NULL) {
        PyErr_Clear();
        return NULL;
    }
    Py_DECREF(d);
    return pj_dispatcher_check(d) ? d : NULL;
}

/* Only a ctypes or cffi function is a constant (values.c). */
static LLVMValueRef
funcptr_lower_const(PjLower *lw, PyObject *obj, PjType *Py_UNUSED(t))
{
    return pj_extfunc_lower_const(lw, obj);
}

static const char *
why_not_funcptr(PyObject *obj, int Py_UNUSED(depth))
{
    return pj_extfunc_why_not(obj);
}

const PjKind pj_kind_funcptr = {
    .name = "FunctionType",
    .print = print_funcptr,
    .unify = pj_funcset_unify,
    .conversion_cost = funcptr_conversion_cost,
    .type_call = funcptr_call,
    .llvm_type = funcptr_llvm_type,
    .lower_const = funcptr_lower_const,
    .unbox = funcptr_unbox,
    .typeof = typeof_funcptr,
    .why_untypable = why_not_funcptr,
};
