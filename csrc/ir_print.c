/*
** ir_print.c - the text form of the IR.
**
** One printer serves PYJIT_DUMP, the golden tests and inspect_types, so
** what a developer debugs is what a user reads.  The output is
** deterministic: blocks in label order, no addresses.  The spelling of
** each instruction follows Numba's (`$0.1 = a + b  :: int64`).
*/
#include "pyjit.h"

#include <string.h>

/* The repr of a constant without the object addresses CPython puts in
   ("<function f at 0x7f...>" prints as "<function f>"): printed IR must
   not change from run to run. */
static void
print_repr(PjBuf *b, PyObject *obj, bool as_str)
{
    PyObject *r = as_str ? PyObject_Str(obj) : PyObject_Repr(obj);
    const char *s = r ? PyUnicode_AsUTF8(r) : NULL;
    if (s == NULL) {
        PyErr_Clear();
        pj_buf_puts(b, "?");
        Py_XDECREF(r);
        return;
    }
    const char *at;
    while ((at = strstr(s, " at 0x")) != NULL) {
        pj_buf_putn(b, s, (size_t)(at - s));
        s = at + 6;
        while ((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')) {
            s++;
        }
    }
    pj_buf_puts(b, s);
    Py_DECREF(r);
}

static void
print_vars(PjBuf *b, PjVar **vars, int n, PyObject *kwnames)
{
    int npos = n - (kwnames ? (int)PyTuple_GET_SIZE(kwnames) : 0);
    for (int i = 0; i < n; i++) {
        pj_buf_puts(b, i ? ", " : "");
        if (i >= npos) {
            print_repr(b, PyTuple_GET_ITEM(kwnames, i - npos), true);
            pj_buf_puts(b, "=");
        }
        pj_buf_puts(b, vars[i]->name);
    }
}

static void
print_const(PjBuf *b, PyObject *obj)
{
    pj_buf_printf(b, "const(%s, ", Py_TYPE(obj)->tp_name);
    print_repr(b, obj, PyUnicode_Check(obj));
    pj_buf_puts(b, ")");
}

static void
print_raise(PjBuf *b, PjInstr *ins)
{
    pj_buf_puts(b, "raise ");
    print_repr(b, ins->obj, false);
    if (ins->obj2 != NULL && PyTuple_GET_SIZE(ins->obj2) == 1) {
        pj_buf_puts(b, "(");
        print_repr(b, PyTuple_GET_ITEM(ins->obj2, 0), false);
        pj_buf_puts(b, ")");
    }
    else if (ins->obj2 != NULL) {
        print_repr(b, ins->obj2, false);
    }
}

/* The right-hand side of an instruction (or the whole of a statement). */
static void
print_op(PjBuf *b, PjInstr *ins)
{
    PjVar **s = ins->src;
    switch (ins->op) {
    case PJ_OP_ARG:
        pj_buf_printf(b, "arg(%d, name=%s)", ins->sub, ins->name);
        break;
    case PJ_OP_CONST: print_const(b, ins->obj); break;
    case PJ_OP_GLOBAL:
        pj_buf_printf(b, "%s(%s: ", ins->sub ? "freevar" : "global",
                      ins->name);
        print_repr(b, ins->obj, false);
        pj_buf_puts(b, ")");
        break;
    case PJ_OP_COPY: pj_buf_puts(b, s[0]->name); break;
    case PJ_OP_BINOP:
        pj_buf_printf(b, "%s %s %s", s[0]->name, pj_binop_syms[ins->sub],
                      s[1]->name);
        break;
    case PJ_OP_INPLACE:
        pj_buf_printf(b, "inplace_binop(fn=%s=, lhs=%s, rhs=%s)",
                      pj_binop_syms[ins->sub], s[0]->name, s[1]->name);
        break;
    case PJ_OP_UNARY:
        pj_buf_printf(b, "unary(fn=%s, value=%s)", pj_unop_syms[ins->sub],
                      s[0]->name);
        break;
    case PJ_OP_COMPARE:
        pj_buf_printf(b, "%s %s %s", s[0]->name, pj_cmpop_syms[ins->sub],
                      s[1]->name);
        break;
    case PJ_OP_CALL:
        pj_buf_printf(b, "call %s(", s[0]->name);
        print_vars(b, s + 1, ins->nsrc - 1, ins->obj);
        pj_buf_puts(b, ")");
        break;
    case PJ_OP_GETATTR:
        pj_buf_printf(b, "getattr(value=%s, attr=%s)", s[0]->name,
                      ins->name);
        break;
    case PJ_OP_GETITEM:
        pj_buf_printf(b, "getitem(value=%s, index=%s)", s[0]->name,
                      s[1]->name);
        break;
    case PJ_OP_STATIC_GETITEM:
        pj_buf_printf(b, "static_getitem(value=%s, index=", s[0]->name);
        if (ins->obj != NULL) {
            print_repr(b, ins->obj, false);
        }
        else {
            pj_buf_printf(b, "%d", ins->sub);
        }
        pj_buf_puts(b, ")");
        break;
    case PJ_OP_SETITEM:
        pj_buf_printf(b, "%s[%s] = %s", s[0]->name, s[1]->name, s[2]->name);
        break;
    case PJ_OP_SETATTR:
        pj_buf_printf(b, "(%s).%s = %s", s[0]->name, ins->name, s[1]->name);
        break;
    case PJ_OP_BUILD_LIST:
        if (ins->sub == PJ_LIST_ROOM_FOR) {
            pj_buf_printf(b, "build_list(items=[], room_for=len(%s))",
                          s[0]->name);
            break;
        }
        /* fall through */
    case PJ_OP_BUILD_TUPLE:
        pj_buf_printf(b, "%s(items=[", pj_op_names[ins->op]);
        print_vars(b, s, ins->nsrc, NULL);
        pj_buf_puts(b, "])");
        break;
    case PJ_OP_EXHAUST_ITER:
        pj_buf_printf(b, "exhaust_iter(value=%s, count=%d)", s[0]->name,
                      ins->sub);
        break;
    case PJ_OP_JUMP: pj_buf_printf(b, "jump %d", ins->target[0]->label); break;
    case PJ_OP_BRANCH:
        pj_buf_printf(b, "branch %s, %d, %d", s[0]->name,
                      ins->target[0]->label, ins->target[1]->label);
        break;
    case PJ_OP_RETURN: pj_buf_printf(b, "return %s", s[0]->name); break;
    case PJ_OP_RAISE: print_raise(b, ins); break;
    case PJ_OP_ARRAYEXPR: case PJ_OP_SHAPECHECK:
        pj_fusion_print(b, ins);
        break;
    case PJ_OP_CATCH: pj_buf_puts(b, "catch"); break;
    case PJ_OP_EXC_MATCH:
        pj_buf_printf(b, "exc_match(value=%s, classes=", s[0]->name);
        print_repr(b, ins->obj, false);
        pj_buf_puts(b, ")");
        break;
    case PJ_OP_RERAISE: pj_buf_printf(b, "reraise %s", s[0]->name); break;
    default:      /* getiter, iternext, pair_first, pair_second, cast */
        pj_buf_printf(b, "%s(value=%s)", pj_op_names[ins->op], s[0]->name);
    }
}

void
pj_ir_print_instr(PjBuf *b, PjInstr *ins, bool typed)
{
    if (ins->dst != NULL) {
        pj_buf_printf(b, "%s = ", ins->dst->name);
    }
    print_op(b, ins);
    if (typed && ins->dst != NULL) {
        pj_buf_printf(b, "  :: %s", pj_type_str(ins->dst->type));
    }
}

/* The whole function, block by block; for PYJIT_DUMP and golden tests. */
void
pj_ir_print_func(PjBuf *b, PjFunc *fn, bool typed)
{
    for (int i = 0; i < fn->blocks.len; i++) {
        PjBlock *blk = pj_ir_block(fn, i);
        pj_buf_printf(b, "label %d", blk->label);
        if (blk->handler != NULL) {
            pj_buf_printf(b, "  (except: label %d)", blk->handler->label);
        }
        pj_buf_puts(b, "\n");
        for (PjInstr *ins = blk->first; ins != NULL; ins = ins->next) {
            pj_buf_puts(b, "  ");
            pj_ir_print_instr(b, ins, typed);
            pj_buf_puts(b, "\n");
        }
    }
}

/* --- inspect_types --- */

/* Source lines of the function, decorators included, dedented as
   textwrap.dedent does; a list of str without newlines. */
static PyObject *
function_lines(PjFuncInfo *info)
{
    int first = info->first_line, last = info->last_line;
    Py_ssize_t nfile = PyList_GET_SIZE(info->lines);
    if (last > nfile) {
        last = (int)nfile;
    }
    PyObject *res = PyList_New(0);
    Py_ssize_t indent = -1;
    for (int ln = first; res != NULL && ln <= last; ln++) {
        PyObject *s = PyObject_CallMethod(PyList_GET_ITEM(info->lines, ln - 1),
                                          "rstrip", NULL);
        if (s == NULL || PyList_Append(res, s) < 0) {
            Py_XDECREF(s);
            Py_CLEAR(res);
            break;
        }
        Py_ssize_t len = PyUnicode_GET_LENGTH(s), k = 0;
        while (k < len && (PyUnicode_READ_CHAR(s, k) == ' '
                           || PyUnicode_READ_CHAR(s, k) == '\t')) {
            k++;
        }
        if (k < len && (indent < 0 || k < indent)) {
            indent = k;
        }
        Py_DECREF(s);
    }
    for (Py_ssize_t i = 0; res != NULL && indent > 0
                           && i < PyList_GET_SIZE(res); i++) {
        PyObject *s = PyList_GET_ITEM(res, i);
        Py_ssize_t len = PyUnicode_GET_LENGTH(s);
        PyObject *d = PyUnicode_Substring(s, len < indent ? len : indent, len);
        if (d == NULL) {
            Py_CLEAR(res);
            break;
        }
        PyList_SetItem(res, i, d);
    }
    return res;
}

static PjBuf *
line_buffer(PjBuf *bufs, int nlines, int first, int line)
{
    int i = line - first;
    if (i < 0) {
        i = 0;
    }
    if (i >= nlines) {
        i = nlines - 1;
    }
    return &bufs[i];
}

/* Groups the typed IR by source line, as Numba's type annotation does. */
static void
group_by_line(PjFunc *fn, PjBuf *bufs, int nlines, int first)
{
    for (int i = 0; i < fn->blocks.len; i++) {
        PjBlock *blk = pj_ir_block(fn, i);
        if (!blk->reachable) {
            continue;
        }
        pj_buf_printf(line_buffer(bufs, nlines, first, blk->loc.line),
                      "label %d\n", blk->label);
        for (PjInstr *ins = blk->first; ins != NULL; ins = ins->next) {
            PjBuf *lb = line_buffer(bufs, nlines, first, ins->loc.line);
            pj_buf_puts(lb, "  ");
            pj_ir_print_instr(lb, ins, true);
            pj_buf_puts(lb, "\n");
        }
    }
}

static void
print_annotated_line(PjBuf *out, PyObject *src, int num, PjBuf *ir)
{
    const char *text = PyUnicode_AsUTF8(src);
    size_t ind = strspn(text, " \t");
    pj_buf_putn(out, text, ind);
    pj_buf_printf(out, "# --- LINE %d --- \n", num);
    for (const char *p = ir->data; p != NULL && *p != '\0';) {
        const char *nl = strchr(p, '\n');
        pj_buf_putn(out, text, ind);
        pj_buf_puts(out, "# ");
        pj_buf_putn(out, p, (size_t)(nl - p + 1));
        p = nl + 1;
    }
    pj_buf_printf(out, "\n%s\n\n", text);
}

/* The body of inspect_types for one signature: `# File: ...` and then each
   source line with the typed IR it produced. */
PyObject *
pj_ir_annotate(PjCompile *cx)
{
    PjFuncInfo *info = cx->info;
    PyObject *lines = function_lines(info);
    if (lines == NULL) {
        return NULL;
    }
    int n = (int)PyList_GET_SIZE(lines);
    PjBuf *bufs = PyMem_Calloc((size_t)(n ? n : 1), sizeof(PjBuf));
    if (bufs == NULL) {
        Py_DECREF(lines);
        return PyErr_NoMemory();
    }
    group_by_line(cx->fn, bufs, n ? n : 1, info->first_line);
    PjBuf out;
    pj_buf_init(&out);
    pj_buf_printf(&out, "# File: %s\n", PyUnicode_AsUTF8(info->filename));
    for (int i = 0; i < n; i++) {
        print_annotated_line(&out, PyList_GET_ITEM(lines, i),
                             info->first_line + i, &bufs[i]);
        pj_buf_free(&bufs[i]);
    }
    PyMem_Free(bufs);
    Py_DECREF(lines);
    return pj_buf_to_str(&out);
}
