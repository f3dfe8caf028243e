/*
** str_split.c - `for w in s.split()` without the list.
**
** A loop over s.split() or s.split(sep) needs the words one at a time,
** not a list of them: building the list costs an allocation per word (a
** word borrowed from an argument gets a block that keeps the argument
** alive once a list holds it) and a pass over the list.  When the call's
** result is only iterated (the iterable of a for loop or a comprehension,
** PjVar.only_iterated), the unicode kind types s.split(...) as this
** iterator instead: its state is the string, the separator and where the
** next word starts, and each step finds the next word and gives a view of
** s, as iterating a string gives views of its characters.  The words and
** the ValueError of an empty separator are those of str.split.
*/
#include "pyjit.h"

enum { SPLIT_STR, SPLIT_SEP, SPLIT_POS };

/* The iterator's state as the runtime sees it: the separator's length is
   -1 when words are separated by runs of whitespace; pos is -1 once the
   last word was given. */
typedef struct {
    PjStr s, sep;
    int64_t pos;
} SplitState;

static PjType *
split_iter_type(PjType *sep)
{
    PjType *elems[2] = {pj_type_unicode(), sep};
    return pj_type_iterator(PJ_TK_STR_SPLIT, elems, 2, pj_type_unicode());
}

static bool
splits_whitespace(PjType *it)
{
    return it->elems[1]->kind == PJ_TK_NONE;
}

/* --- typing --- */

static const PjImpl impl_split;

/* s.split() and s.split(sep) with sep a string or None, when only
   iterated; other forms (maxsplit, keywords) build the list. */
int
pj_str_split_type_iterated(PjCompile *cx, PjInstr *ins, PjType *t,
                           const char *name, PjType **args, int n)
{
    if (strcmp(name, "split") != 0 || n > 1) {
        return 1;
    }
    PjType *sep = n == 0 ? pj_t.none : args[0];
    if (sep->kind != PJ_TK_NONE && !pj_type_is_str(sep)) {
        return 1;
    }
    sep = sep->kind == PJ_TK_NONE ? pj_t.none : pj_type_unicode();
    PjType *argtys[2] = {t, sep};
    RETURN_IF_ERROR(pj_choose(cx, ins, &impl_split, split_iter_type(sep),
                              argtys, n + 1));
    return 0;
}

static void
print_split(PjBuf *b, PjType *Py_UNUSED(t))
{
    pj_buf_puts(b, "iter(unicode_type.split)");
}

/* --- lowering --- */

static LLVMTypeRef
split_llvm_type(PjLower *lw, PjType *Py_UNUSED(it))
{
    LLVMTypeRef str = pj_lower_type(lw, pj_type_unicode());
    LLVMTypeRef f[3] = {str, str, lw->t_i64};
    return LLVMStructTypeInContext(lw->ctx, f, 3, 0);
}

/* The separator slot of a whitespace split: no code points, length -1. */
static LLVMValueRef
no_separator(PjLower *lw)
{
    LLVMTypeRef str = pj_lower_type(lw, pj_type_unicode());
    LLVMValueRef v = LLVMConstNull(str);
    return LLVMBuildInsertValue(lw->b, v, pj_i64(lw, -1), 1, "");
}

/* The state before the first word.  It borrows s and sep from the call's
   operands; the variable holding it takes its references (each_meminfo). */
static LLVMValueRef
lower_split(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *it = ins->resty;
    PjType *bound = ins->src[0]->type;
    LLVMValueRef st = LLVMGetUndef(split_llvm_type(lw, it));
    LLVMValueRef s = pj_lower_convert(lw, args[0], bound->elems[0],
                                      pj_type_unicode());
    LLVMValueRef sep = splits_whitespace(it)
        ? no_separator(lw)
        : pj_lower_convert(lw, args[1], ins->argtys[1], pj_type_unicode());
    st = LLVMBuildInsertValue(lw->b, st, s, SPLIT_STR, "");
    st = LLVMBuildInsertValue(lw->b, st, sep, SPLIT_SEP, "");
    return LLVMBuildInsertValue(lw->b, st, pj_i64(lw, 0), SPLIT_POS, "");
}

static const PjImpl impl_split = {"str.split", lower_split, false, false};

/* Advances the state at `state`: the next word, a view of the string
   borrowed from the state, and in *ok whether there was one. */
static LLVMValueRef
split_iternext(PjLower *lw, PjType *Py_UNUSED(it), LLVMValueRef state,
               LLVMValueRef *ok)
{
    LLVMTypeRef str = pj_lower_type(lw, pj_type_unicode());
    LLVMValueRef out = pj_lower_alloca(lw, str, "word");
    LLVMTypeRef p[2] = {lw->t_ptr, lw->t_ptr};
    LLVMValueRef a[2] = {state, out};
    LLVMValueRef rc = pj_lower_helper(lw, "pj_rt_str_split_next", lw->t_i32,
                                      p, a, 2);
    LLVMBasicBlockRef good = pj_lower_fail_begin(
        lw, LLVMBuildICmp(lw->b, LLVMIntSLT, rc, pj_i32(lw, 0), ""));
    pj_lower_fail_end(lw, good);
    *ok = LLVMBuildICmp(lw->b, LLVMIntEQ, rc, pj_i32(lw, 1), "");
    return LLVMBuildLoad2(lw->b, str, out, "");
}

static void
split_meminfo(PjLower *lw, LLVMValueRef v, PjType *it, LLVMValueRef valid,
              PjMemFn f)
{
    pj_lower_field_meminfo(lw, v, SPLIT_STR, it->elems[0], valid, f);
    if (!splits_whitespace(it)) {
        pj_lower_field_meminfo(lw, v, SPLIT_SEP, it->elems[1], valid, f);
    }
}

const PjKind pj_kind_str_split = {
    .name = "iter",
    .print = print_split,
    .iter_type = pj_type_iter_self,
    .llvm_type = split_llvm_type,
    .lower_iter = pj_lower_iter_self,
    .lower_iternext = split_iternext,
    .iternext_raises = true,
    .holds_memory = pj_kind_elems_hold_memory,
    .each_meminfo = split_meminfo,
};

/* --- runtime --- */

static bool
is_space(uint32_t c)
{
    return Py_UNICODE_ISSPACE((Py_UCS4)c);
}

/* s[a:b] as a view sharing s's memory, without a reference of its own. */
static void
view(const PjStr *s, int64_t a, int64_t b, PjStr *out)
{
    *out = *s;
    out->data = (char *)s->data + a * s->kind;
    out->length = b - a;
    out->hash = b - a == s->length ? s->hash : -1;
}

/* The next run of non-whitespace from *pos, as str.split() finds it. */
static int32_t
next_word(const PjStr *s, int64_t *pos, PjStr *out)
{
    int64_t i = *pos, n = s->length;
    while (i < n && is_space(pj_str_char_at(s, i))) {
        i++;
    }
    if (i == n) {
        *pos = -1;
        return 0;
    }
    int64_t j = i;
    while (j < n && !is_space(pj_str_char_at(s, j))) {
        j++;
    }
    view(s, i, j, out);
    *pos = j;
    return 1;
}

/* Whether sep occurs in s at i. */
static bool
separator_at(const PjStr *s, int64_t i, const PjStr *sep)
{
    for (int64_t k = 0; k < sep->length; k++) {
        if (pj_str_char_at(s, i + k) != pj_str_char_at(sep, k)) {
            return false;
        }
    }
    return true;
}

/* The text from *pos to the next sep (or to the end, the last item), as
   str.split(sep) finds it. */
static int32_t
next_field(const PjStr *s, const PjStr *sep, int64_t *pos, PjStr *out)
{
    int64_t i = *pos, n = s->length, m = sep->length;
    for (int64_t k = i; k + m <= n; k++) {
        if (separator_at(s, k, sep)) {
            view(s, i, k, out);
            *pos = k + m;
            return 1;
        }
    }
    view(s, i, n, out);
    *pos = -1;
    return 1;
}

/* One step of the iterator: 1 with the item in *out, 0 at the end, -1
   with ValueError for an empty separator (str.split's error). */
int32_t
pj_rt_str_split_next(void *state, PjStr *out)
{
    SplitState *st = state;
    *out = (PjStr){.kind = 1, .hash = -1};    /* no item: holds nothing */
    if (st->pos < 0) {
        return 0;
    }
    if (st->sep.length < 0) {
        return next_word(&st->s, &st->pos, out);
    }
    if (st->sep.length == 0) {
        PyGILState_STATE g = PyGILState_Ensure();
        PyErr_SetString(PyExc_ValueError, "empty separator");
        PyGILState_Release(g);
        return -1;
    }
    return next_field(&st->s, &st->sep, &st->pos, out);
}
