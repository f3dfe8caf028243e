/*
** intrinsic.c - `@intrinsic` functions: LLVM IR written in Python with
** llvmlite, called by compiled code.
**
** pyjit/_intrinsic.py wraps the decorated typing function in an
** Intrinsic.  Named by compiled code, an Intrinsic is a compile-time value
** of the kind here; calling it asks Python for the signature at the
** argument types (the typing function's answer), and Python runs the
** codegen function then, on an llvmlite builder inside a function of that
** signature, so that everything the user's code may get wrong is a typing
** error at the call.  Lowering takes the text of that llvmlite module,
** parses it into the compile's LLVM context, links it into the module
** being built and calls the function, which is internal and always
** inlined: the call costs nothing and the function leaves no symbol.
**
** Only numbers cross: the LLVM types of their values are the ones Numba's
** data model gives them (i1 for a bool, iN, float, double, a pair for a
** complex), so codegen written for Numba builds the same IR here.  The
** code holds no address, so it caches like any other.
*/
#include "pyjit.h"

#include <llvm-c/IRReader.h>
#include <llvm-c/Linker.h>
#include <string.h>

/* pyjit._intrinsic's Intrinsic class (new reference), or NULL when the
   module was never imported: then no object is an intrinsic. */
static PyObject *
intrinsic_class(void)
{
    PyObject *mod = PyImport_GetModule(pj_str("pyjit._intrinsic"));
    PyObject *cls = mod ? PyObject_GetAttrString(mod, "Intrinsic") : NULL;
    Py_XDECREF(mod);
    PyErr_Clear();
    return cls;
}

bool
pj_intrinsic_check(PyObject *obj)
{
    PyObject *cls = intrinsic_class();
    int is = cls ? PyObject_IsInstance(obj, cls) : 0;
    Py_XDECREF(cls);
    PyErr_Clear();
    return is == 1;
}

/* The type of the @intrinsic function obj as a compile-time value. */
PjType *
pj_type_intrinsic(PjArena *a, PyObject *obj)
{
    return pj_type_const(a, PJ_TK_INTRINSIC, obj, 0, NULL);
}

/* --- typing --- */

static void
print_intrinsic(PjBuf *b, PjType *t)
{
    PyObject *r = PyObject_Repr(t->obj);
    pj_buf_puts(b, r ? PyUnicode_AsUTF8(r) : "<intrinsic>");
    Py_XDECREF(r);
    PyErr_Clear();
}

/* Types are made afresh by each inference sweep: two stand for the same
   intrinsic when they hold the same object. */
static PjType *
same_intrinsic(PjType *a, PjType *b)
{
    return a->obj == b->obj ? a : NULL;
}

/* The pending Python exception as the call's typing error (recorded in
   the reporting sweep only, like every typing failure).  Returns -1. */
static int
report_exception(PjCompile *cx, PjInstr *ins)
{
    PyObject *type, *exc, *tb;
    PyErr_Fetch(&type, &exc, &tb);
    PyErr_NormalizeException(&type, &exc, &tb);
    PyObject *text = exc ? PyObject_Str(exc) : NULL;
    const char *msg = text ? PyUnicode_AsUTF8(text) : NULL;
    PyErr_Clear();
    int rc = pj_infer_fail(cx, ins, "%s", msg ? msg : "intrinsic failed");
    Py_XDECREF(text);
    Py_XDECREF(type);
    Py_XDECREF(exc);
    Py_XDECREF(tb);
    return rc;
}

/* The tuple of the types of n arguments as the typing function sees
   them, values (a class as its NumPy class, `dtype.dtype`; a string
   constant as a string); a new reference. */
static PyObject *
passed_types(PjType **types, int n)
{
    PyObject *t = PyTuple_New(n);
    for (int i = 0; t != NULL && i < n; i++) {
        PyObject *passed = (PyObject *)pj_type_passed(types[i]);
        PyTuple_SET_ITEM(t, i, Py_NewRef(passed));
    }
    return t;
}

static const PjImpl impl_intrinsic;

/* Reads Python's (result type, argument types) into the plan's types;
   false when the answer is not that shape. */
static bool
read_signature(PyObject *sig, int n, PjType **resty, PjType **argtys)
{
    if (!PyTuple_Check(sig) || PyTuple_GET_SIZE(sig) != 2) {
        return false;
    }
    PyObject *res = PyTuple_GET_ITEM(sig, 0);
    PyObject *args = PyTuple_GET_ITEM(sig, 1);
    if (!pj_type_check(res) || !PyTuple_Check(args)
        || PyTuple_GET_SIZE(args) != n) {
        return false;
    }
    *resty = (PjType *)res;
    for (int i = 0; i < n; i++) {
        PyObject *a = PyTuple_GET_ITEM(args, i);
        if (!pj_type_check(a)) {
            return false;
        }
        argtys[i] = (PjType *)a;
    }
    return true;
}

static int
intrinsic_call(PjCompile *cx, PjInstr *ins, PjType *fn, PjType **args,
               int n, PyObject *kwnames)
{
    if (kwnames != NULL) {
        cx->why = "an intrinsic takes its arguments by position";
        return 1;
    }
    if (pj_infer_plan_positional(cx, ins, n) == NULL) {
        return -1;
    }
    for (int i = 0; i < n; i++) {
        if (pj_type_is_const(pj_type_passed(args[i]))) {
            cx->why = pj_arena_printf(cx->arena, "an intrinsic takes "
                                      "values, and argument %d is %s", i + 1,
                                      pj_type_str(args[i]));
            return 1;
        }
    }
    PyObject *types = passed_types(args, n);
    PyObject *sig = types ? PyObject_CallMethod(fn->obj, "_type", "(O)",
                                                types)
                          : NULL;
    Py_XDECREF(types);
    if (sig == NULL) {
        return report_exception(cx, ins);
    }
    PjType *resty, *argtys[PJ_MAX_ARGS];
    bool ok = n <= PJ_MAX_ARGS && read_signature(sig, n, &resty, argtys);
    Py_DECREF(sig);         /* the types are interned */
    if (!ok) {
        PyErr_SetString(PyExc_SystemError, "Intrinsic._type answered "
                                           "no signature");
        return -1;
    }
    return pj_choose(cx, ins, &impl_intrinsic, resty, argtys, n);
}

/* --- lowering --- */

/* The llvmlite module's text and its function's name, which Python made
   when the call was typed, found by the types of the arguments as passed
   (the signature's may differ: they are converted to it); NULL with an
   exception. */
static PyObject *
codegen_ir(PyObject *intrinsic, PjInstr *ins, int n)
{
    PjType *given[PJ_MAX_ARGS];
    for (int i = 0; i < n; i++) {
        given[i] = ins->src[1 + i]->type;
    }
    PyObject *types = passed_types(given, n);
    PyObject *ir = types ? PyObject_CallMethod(intrinsic, "_ir", "(O)",
                                               types)
                         : NULL;
    Py_XDECREF(types);
    if (ir != NULL && !(PyTuple_Check(ir) && PyTuple_GET_SIZE(ir) == 2
                        && PyUnicode_Check(PyTuple_GET_ITEM(ir, 0))
                        && PyUnicode_Check(PyTuple_GET_ITEM(ir, 1)))) {
        Py_DECREF(ir);
        PyErr_SetString(PyExc_SystemError, "Intrinsic._ir answered no "
                                           "(text, name)");
        return NULL;
    }
    return ir;
}

/* What the codegen defined besides its function (helpers, constants)
   stays in the code it is linked into: a second module calling the
   intrinsic defines them again, which the JIT would see as duplicate
   symbols.  The function itself is made internal once linked (the linker
   takes an internal definition only when something refers to it). */
static void
make_helpers_internal(LLVMModuleRef m, const char *name)
{
    for (LLVMValueRef f = LLVMGetFirstFunction(m); f != NULL;
         f = LLVMGetNextFunction(f)) {
        size_t len;
        if (!LLVMIsDeclaration(f)
            && strcmp(LLVMGetValueName2(f, &len), name) != 0) {
            LLVMSetLinkage(f, LLVMInternalLinkage);
        }
    }
    for (LLVMValueRef g = LLVMGetFirstGlobal(m); g != NULL;
         g = LLVMGetNextGlobal(g)) {
        if (!LLVMIsDeclaration(g)) {
            LLVMSetLinkage(g, LLVMInternalLinkage);
        }
    }
}

/* Parses the text into a module of the compile's context, with the
   target of the module being built (llvmlite's says "unknown"). */
static LLVMModuleRef
parse_ir(PjLower *lw, PyObject *intrinsic, const char *text, size_t len,
         const char *name)
{
    LLVMMemoryBufferRef buf = LLVMCreateMemoryBufferWithMemoryRangeCopy(
        text, len, "intrinsic");
    LLVMModuleRef m = NULL;
    char *msg = NULL;
    if (LLVMParseIRInContext(lw->ctx, buf, &m, &msg)) {   /* takes buf */
        PyErr_Format(PyExc_ValueError, "the LLVM IR the codegen of %R "
                     "built does not parse: %s", intrinsic,
                     msg ? msg : "invalid IR");
        LLVMDisposeMessage(msg);
        return NULL;
    }
    LLVMSetTarget(m, LLVMGetTarget(lw->mod));
    LLVMSetDataLayout(m, LLVMGetDataLayoutStr(lw->mod));
    make_helpers_internal(m, name);
    return m;
}

/* The linked function: inlined at every call, then gone. */
static void
make_inlined_private(PjLower *lw, LLVMValueRef f)
{
    static const char name[] = "alwaysinline";
    unsigned kind = LLVMGetEnumAttributeKindForName(name, sizeof(name) - 1);
    LLVMAddAttributeAtIndex(f, LLVMAttributeFunctionIndex,
                            LLVMCreateEnumAttribute(lw->ctx, kind, 0));
    LLVMSetLinkage(f, LLVMInternalLinkage);
}

/* The intrinsic's function in the module being built: linked in at its
   first call, found by its name at the next (the name is one per
   intrinsic and signature). */
static LLVMValueRef
linked_function(PjLower *lw, PyObject *intrinsic, PyObject *ir)
{
    const char *name = PyUnicode_AsUTF8(PyTuple_GET_ITEM(ir, 1));
    Py_ssize_t len;
    const char *text = PyUnicode_AsUTF8AndSize(PyTuple_GET_ITEM(ir, 0), &len);
    if (name == NULL || text == NULL) {
        return NULL;
    }
    LLVMValueRef f = LLVMGetNamedFunction(lw->mod, name);
    if (f != NULL) {
        return f;
    }
    LLVMModuleRef m = parse_ir(lw, intrinsic, text, (size_t)len, name);
    if (m == NULL) {
        return NULL;
    }
    if (LLVMLinkModules2(lw->mod, m)) {                   /* takes m */
        PyErr_Format(PyExc_ValueError, "the LLVM IR the codegen of %R "
                     "built does not link with the compiled code (it "
                     "defines a symbol the code defines)", intrinsic);
        return NULL;
    }
    f = LLVMGetNamedFunction(lw->mod, name);
    if (f == NULL) {
        PyErr_Format(PyExc_SystemError, "intrinsic function %s lost in "
                     "linking", name);
        return NULL;
    }
    make_inlined_private(lw, f);
    return f;
}

static LLVMValueRef
lower_intrinsic(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    int n = ins->nsrc - 1;
    PyObject *intrinsic = ins->src[0]->type->obj;
    PyObject *ir = codegen_ir(intrinsic, ins, n);
    LLVMValueRef f = ir ? linked_function(lw, intrinsic, ir) : NULL;
    Py_XDECREF(ir);
    if (f == NULL) {
        return NULL;
    }
    return LLVMBuildCall2(lw->b, LLVMGlobalGetValueType(f), f, args,
                          (unsigned)n, "");
}

static const PjImpl impl_intrinsic = {"intrinsic", lower_intrinsic, false,
                                      false};

const PjKind pj_kind_intrinsic = {
    .name = "intrinsic",
    .print = print_intrinsic,
    .unify = same_intrinsic,
    .type_call = intrinsic_call,
};
