/*
** np_sortloop.c - NumPy's own sort loops, called by compiled code.
**
** NumPy sorts numbers with a vectorized quicksort (x86-simd-sort on the
** CPUs that have AVX2 or AVX-512), which no scalar loop compiled from
** Python matches: np.sort of 1M float64 takes half the time of the best
** radix sort.  NumPy exports it per dtype as the `sort` slot of the dtype's
** PyArray_ArrFuncs, a plain C function of (data, count, array) that needs
** no GIL and, for numbers, never reads the array argument.  So, as SciPy's
** BLAS is reached for linear algebra (linalg.c), np.sort and a.sort()
** call NumPy's loop for its unstable kinds, and np.argsort NumPy's
** argsort loops: the same order of equal elements, of signed zeros and
** NaNs as NumPy's, at NumPy's speed.
** (NumPy's stable kind of numbers is a merge sort; pyjit/_np_sort.py's
** radix sort is several times faster and gives the same result.)
**
** The intrinsics, for pyjit/_np_sort.py:
**   _numpy_sort(v)   sorts the 1-d array v in place with NumPy's quicksort
**       and returns True; returns False, doing nothing, when v's dtype has
**       no such loop or v's elements are not next to each other.
**   _numpy_argsort(values, idx, stable)   sorts idx (int64, 0..n-1 on
**       entry) by values with NumPy's argsort of that kind (quicksort, or
**       its stable sort when `stable`), as np.argsort does; True when it
**       did, False (nothing done) as above.
** The table of loops is filled when the module is imported (under the
** GIL); compiled code reaches it through pj_rt_numpy_sort, by name, so
** cached code stays free of addresses.
*/
#include "pyjit.h"

#define NO_IMPORT_ARRAY
#include <numpy/arrayobject.h>

/* NumPy's loops for the dtypes compiled code has, by typenum (datetimes
   of every unit share theirs); NULL: the library sorts that dtype
   itself. */
static PyArray_SortFunc *quicksorts[NPY_NTYPES_LEGACY];
static PyArray_ArgSortFunc *argsorts[2][NPY_NTYPES_LEGACY]; /* quick, stable */

int
pj_np_sortloop_init(void)
{
    static const int numbers[] = {
        NPY_BOOL, NPY_BYTE, NPY_UBYTE, NPY_SHORT, NPY_USHORT, NPY_INT,
        NPY_UINT, NPY_LONG, NPY_ULONG, NPY_LONGLONG, NPY_ULONGLONG,
        NPY_FLOAT, NPY_DOUBLE, NPY_CFLOAT, NPY_CDOUBLE,
        NPY_DATETIME, NPY_TIMEDELTA,    /* of any unit: NaT sorts last */
    };
    for (size_t i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
        int num = numbers[i];
        PyArray_Descr *d = PyArray_DescrFromType(num);
        if (d == NULL) {
            return -1;
        }
        PyArray_ArrFuncs *f = PyDataType_GetArrFuncs(d);
        quicksorts[num] = f->sort[NPY_QUICKSORT];
        argsorts[0][num] = f->argsort[NPY_QUICKSORT];
        argsorts[1][num] = f->argsort[NPY_STABLESORT];
        Py_DECREF(d);
    }
    return 0;
}

/* Sorts n elements of the dtype typenum at data with NumPy's quicksort. */
void
pj_rt_numpy_sort(void *data, int64_t n, int32_t typenum)
{
    quicksorts[typenum](data, (npy_intp)n, NULL);
}

/* Sorts idx[:n], indices into the n elements of the dtype typenum at data,
   by those elements with NumPy's quicksort (stable: its stable sort). */
void
pj_rt_numpy_argsort(void *data, int64_t *idx, int64_t n, int32_t typenum,
                    int32_t stable)
{
    argsorts[stable != 0][typenum](data, (npy_intp *)idx, (npy_intp)n, NULL);
}

static int32_t
typenum_with_loop(PjType *arr, bool arg)
{
    if (!pj_type_is_array(arr) || pj_array_ndim(arr) != 1) {
        return -1;
    }
    int32_t num = pj_type_numpy_num(arr->elems[0]);
    if (num < 0 || num >= NPY_NTYPES_LEGACY) {
        return -1;
    }
    return (arg ? argsorts[0][num] : (void *)quicksorts[num]) ? num : -1;
}

/* Whether the 1-d array v's elements are next to each other (or fewer
   than two). */
static LLVMValueRef
is_unit_stride(PjLower *lw, PjType *at, LLVMValueRef v)
{
    LLVMValueRef size = LLVMBuildZExtOrBitCast(
        lw->b, LLVMSizeOf(pj_array_elem_type(lw, at->elems[0])), lw->t_i64,
        "");
    LLVMValueRef unit = LLVMBuildICmp(
        lw->b, LLVMIntEQ, pj_array_dim(lw, v, PJ_ARRAY_STRIDES, 0), size, "");
    LLVMValueRef few = LLVMBuildICmp(
        lw->b, LLVMIntSLT, pj_array_dim(lw, v, PJ_ARRAY_SHAPE, 0),
        pj_i64(lw, 2), "");
    return LLVMBuildOr(lw->b, unit, few, "unit");
}

/* Calls the runtime function `name` when `cond` holds; the boolean value
   of whether it did. */
static LLVMValueRef
call_when(PjLower *lw, LLVMValueRef cond, const char *name, LLVMTypeRef *params,
          LLVMValueRef *args, int n)
{
    LLVMBasicBlockRef call = LLVMAppendBasicBlockInContext(lw->ctx, lw->func,
                                                           "npsort.call");
    LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(lw->ctx, lw->func,
                                                           "npsort.done");
    LLVMBasicBlockRef from = LLVMGetInsertBlock(lw->b);
    LLVMBuildCondBr(lw->b, cond, call, done);
    LLVMPositionBuilderAtEnd(lw->b, call);
    pj_lower_helper(lw, name, lw->t_void, params, args, n);
    LLVMBuildBr(lw->b, done);
    LLVMPositionBuilderAtEnd(lw->b, done);
    LLVMTypeRef t_bool = pj_lower_type(lw, pj_t.boolean);
    LLVMValueRef ran = LLVMBuildPhi(lw->b, t_bool, "");
    LLVMValueRef vals[2] = {LLVMConstInt(t_bool, 0, 0),
                            LLVMConstInt(t_bool, 1, 0)};
    LLVMBasicBlockRef from_blocks[2] = {from, call};
    LLVMAddIncoming(ran, vals, from_blocks, 2);
    return ran;
}

static LLVMValueRef
data_of(PjLower *lw, LLVMValueRef v)
{
    return LLVMBuildExtractValue(lw->b, v, PJ_ARRAY_DATA, "data");
}

static LLVMValueRef
typenum_of(PjLower *lw, PjType *at)
{
    return LLVMConstInt(lw->t_i32,
                        (unsigned long long)pj_type_numpy_num(at->elems[0]),
                        0);
}

static LLVMValueRef
lower_numpy_sort(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *at = ins->argtys[0];
    LLVMTypeRef p[3] = {lw->t_ptr, lw->t_i64, lw->t_i32};
    LLVMValueRef a[3] = {data_of(lw, args[0]),
                         pj_array_dim(lw, args[0], PJ_ARRAY_SHAPE, 0),
                         typenum_of(lw, at)};
    return call_when(lw, is_unit_stride(lw, at, args[0]), "pj_rt_numpy_sort",
                     p, a, 3);
}

static LLVMValueRef
lower_numpy_argsort(PjLower *lw, PjInstr *ins, LLVMValueRef *args)
{
    PjType *vt = ins->argtys[0], *it = ins->argtys[1];
    LLVMValueRef n = pj_array_dim(lw, args[0], PJ_ARRAY_SHAPE, 0);
    LLVMValueRef same = LLVMBuildICmp(
        lw->b, LLVMIntEQ, n, pj_array_dim(lw, args[1], PJ_ARRAY_SHAPE, 0), "");
    LLVMValueRef ok = LLVMBuildAnd(
        lw->b, same, LLVMBuildAnd(lw->b, is_unit_stride(lw, vt, args[0]),
                                  is_unit_stride(lw, it, args[1]), ""), "");
    LLVMValueRef stable = pj_lower_convert(lw, args[2], ins->argtys[2],
                                           pj_t.i32);
    LLVMTypeRef p[5] = {lw->t_ptr, lw->t_ptr, lw->t_i64, lw->t_i32,
                        lw->t_i32};
    LLVMValueRef a[5] = {data_of(lw, args[0]), data_of(lw, args[1]), n,
                         typenum_of(lw, vt), stable};
    return call_when(lw, ok, "pj_rt_numpy_argsort", p, a, 5);
}

static LLVMValueRef
lower_no_loop(PjLower *lw, PjInstr *Py_UNUSED(ins),
              LLVMValueRef *Py_UNUSED(args))
{
    return LLVMConstInt(pj_lower_type(lw, pj_t.boolean), 0, 0);
}

static const PjImpl impl_numpy_sort = {"numpy_sort", lower_numpy_sort, false,
                                       false};
static const PjImpl impl_numpy_argsort = {"numpy_argsort",
                                          lower_numpy_argsort, false, false};
static const PjImpl impl_no_loop = {"numpy_sort_none", lower_no_loop, false,
                                    false};

int
pj_type_numpy_sort(PjCompile *cx, PjInstr *ins,
                   const PjCallable *Py_UNUSED(fn), PjType **args, int n)
{
    if (n != 1 || !pj_type_is_array(args[0])) {
        return 1;
    }
    const PjImpl *impl = typenum_with_loop(args[0], false) >= 0
                             ? &impl_numpy_sort : &impl_no_loop;
    return pj_choose(cx, ins, impl, pj_t.boolean, args, 1);
}

/* _numpy_argsort(values, idx, stable): idx an int64 (npy_intp) array. */
int
pj_type_numpy_argsort(PjCompile *cx, PjInstr *ins,
                      const PjCallable *Py_UNUSED(fn), PjType **args, int n)
{
    if (n != 3 || !pj_type_is_array(args[0]) || !pj_type_is_array(args[1])
        || !pj_type_is_intlike(args[2])) {
        return 1;
    }
    bool idx_ok = pj_array_ndim(args[1]) == 1
                  && args[1]->elems[0] == pj_t.i64
                  && sizeof(npy_intp) == sizeof(int64_t);
    const PjImpl *impl = idx_ok && typenum_with_loop(args[0], true) >= 0
                             ? &impl_numpy_argsort : &impl_no_loop;
    return pj_choose(cx, ins, impl, pj_t.boolean, args, 3);
}
