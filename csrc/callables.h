/*
** callables.h - the builtin, math, cmath and NumPy callables compiled code
** knows, defined once.
**
** X(ID, MODULE, NAME, PARAMS, TYPER, IMPL, TWIN): the callable MODULE.NAME
** is PJ_FN_ID; everything known about it is in its row.
**
**   PARAMS  its parameters in Python's spelling, for the binder: "x, /"
**           (positional-only), "ndigits=" (may be left out; its typer
**           decides what that means), "*args"
**   TYPER   the function that types a call (PjTyper, pyjit.h), in the file
**           of the callable's domain: numbers.c, math.c, iteration.c,
**           builtins.c, ufuncs.c, array_new.c, np_info.c, library.c
**   IMPL    what computes it, for typers shared by a family: an LLVM
**           intrinsic ("llvm.sqrt"), a C math library function ("tan",
**           "tanf" on float32: target.c names it), or a runtime helper
**   TWIN    for a NumPy ufunc, the callable it applies to each element
**
** The table is included where it is needed with other definitions of X;
** everything that depends on its order is tagged ORDER FN.  Adding a math
** function is one row here (and its C function in runtime.c's symbol
** table if it is not there).
*/

/* ORDER FN */
#define PJ_CALLABLES(X)                                                      \
    /* builtins */                                                           \
    X(ABS, "builtins", "abs", "x, /", pj_type_abs, NULL, NONE)               \
    X(MIN, "builtins", "min", "*args", pj_type_minmax, NULL, NONE)           \
    X(MAX, "builtins", "max", "*args", pj_type_minmax, NULL, NONE)           \
    X(ROUND, "builtins", "round", "number, ndigits=", pj_type_round, NULL,   \
      NONE)                                                                  \
    X(INT, "builtins", "int", "x=, /, base=", pj_type_int_call, NULL, NONE)  \
    X(FLOAT, "builtins", "float", "x=, /", pj_type_float_call, NULL, NONE)   \
    X(BOOL, "builtins", "bool", "x=, /", pj_type_bool_call, NULL, NONE)      \
    X(COMPLEX, "builtins", "complex", "real=, imag=", pj_type_complex_call,  \
      NULL, NONE)                                                            \
    X(POW, "builtins", "pow", "base, exp", pj_type_pow_call, NULL, NONE)     \
    X(DIVMOD, "builtins", "divmod", "x, y, /", pj_type_divmod, NULL, NONE)   \
    X(LEN, "builtins", "len", "obj, /", pj_type_len, NULL, NONE)             \
    X(RANGE, "builtins", "range", "*args", pj_type_range_call, NULL, NONE)   \
    X(PRANGE, "pyjit._parallel", "prange", "*args", pj_type_range_call,      \
      NULL, NONE)                                                            \
    X(GET_THREAD_ID, "pyjit._parallel", "get_thread_id", "",                 \
      pj_type_thread_query, "pj_parallel_thread_id", NONE)                   \
    X(GET_NUM_THREADS, "pyjit._parallel", "get_num_threads", "",             \
      pj_type_thread_query, "pj_parallel_threads", NONE)                     \
    X(GET_CHUNKSIZE, "pyjit._parallel", "get_parallel_chunksize", "",        \
      pj_type_thread_query, "pj_parallel_chunksize", NONE)                   \
    X(SET_CHUNKSIZE, "pyjit._parallel", "set_parallel_chunksize", "n, /",    \
      pj_type_set_chunksize, NULL, NONE)                                     \
    X(ENUMERATE, "builtins", "enumerate", "iterable, start=",                \
      pj_type_enumerate, NULL, NONE)                                         \
    X(ZIP, "builtins", "zip", "*args", pj_type_zip, NULL, NONE)              \
    X(SUM, "builtins", "sum", "iterable, /, start=", pj_type_sum, NULL, NONE)\
    X(PRINT, "builtins", "print", "*args", pj_type_print, NULL, NONE)        \
    X(SLICE, "builtins", "slice", "*args", pj_type_slice_call, NULL, NONE)   \
    X(LIST, "builtins", "list", "iterable=, /", pj_type_list_call, NULL,     \
      NONE)                                                                  \
    X(SORTED, "builtins", "sorted", "iterable, /, key=, reverse=",           \
      pj_type_sorted, NULL, NONE)                                            \
    X(REVERSED, "builtins", "reversed", "seq, /", pj_type_reversed, NULL,    \
      NONE)                                                                  \
    X(ANY, "builtins", "any", "iterable, /", pj_type_any_all, NULL, NONE)    \
    X(TYPED_LIST, "pyjit.typed", "List", "iterable=, /", pj_type_typed_list, \
      NULL, NONE)                                                            \
    X(TYPED_EMPTY_LIST, "pyjit.typed", "empty_list",                         \
      "item_type, allocated=, /", pj_type_typed_empty_list, NULL, NONE)      \
    X(ALL, "builtins", "all", "iterable, /", pj_type_any_all, NULL, NONE)    \
    X(MAP, "builtins", "map", "*args", pj_type_map_filter, NULL, NONE)       \
    X(FILTER, "builtins", "filter", "*args", pj_type_map_filter, NULL, NONE) \
    X(ORD, "builtins", "ord", "c, /", pj_type_ord, NULL, NONE)               \
    X(CHR, "builtins", "chr", "i, /", pj_type_chr, NULL, NONE)               \
    X(STR, "builtins", "str", "object=, /", pj_type_str_call, NULL, NONE)    \
    X(REPR, "builtins", "repr", "obj, /", pj_type_repr_call, "repr", NONE)   \
    X(ASCII, "builtins", "ascii", "obj, /", pj_type_repr_call, "ascii", NONE)\
    X(FORMAT, "builtins", "format", "value, format_spec=, /",                \
      pj_type_format_call, "format", NONE)                                   \
    X(HASH, "builtins", "hash", "obj, /", pj_type_hash, NULL, NONE)          \
    X(TYPE, "builtins", "type", "object, /", pj_type_type_call, NULL, NONE)  \
    X(DICT, "builtins", "dict", "*args", pj_type_dict_call, NULL, NONE)      \
    X(SET, "builtins", "set", "*args", pj_type_set_call, NULL, NONE)         \
    X(TYPED_DICT, "pyjit.typed", "Dict", "", pj_type_typed_dict, NULL, NONE)   \
    X(TYPED_EMPTY_DICT, "pyjit.typed", "empty_dict", "key_type, value_type", \
      pj_type_typed_empty_dict, NULL, NONE)                                  \
    X(TYPED_SET, "pyjit.typed", "Set", "", pj_type_typed_set, NULL, NONE)    \
    X(AS_TYPED_SET, "pyjit.typed", "_as_typed_set", "s, /",                  \
      pj_type_as_typed_set, NULL, NONE)                                      \
    X(TYPED_EMPTY_SET, "pyjit.typed", "empty_set", "item_type",              \
      pj_type_typed_empty_set, NULL, NONE)                                   \
    /* math */                                                               \
    X(SQRT, "math", "sqrt", "x, /", pj_type_math, "llvm.sqrt", NONE)         \
    X(EXP, "math", "exp", "x, /", pj_type_math, "llvm.exp", NONE)            \
    X(LOG, "math", "log", "x, base=, /", pj_type_log, "llvm.log", NONE)      \
    X(LOG10, "math", "log10", "x, /", pj_type_math, "llvm.log10", NONE)      \
    X(LOG2, "math", "log2", "x, /", pj_type_math, "llvm.log2", NONE)         \
    X(LOG1P, "math", "log1p", "x, /", pj_type_math, "log1p", NONE)           \
    X(EXPM1, "math", "expm1", "x, /", pj_type_math, "expm1", NONE)           \
    X(SIN, "math", "sin", "x, /", pj_type_math, "llvm.sin", NONE)            \
    X(COS, "math", "cos", "x, /", pj_type_math, "llvm.cos", NONE)            \
    X(TAN, "math", "tan", "x, /", pj_type_math, "tan", NONE)                 \
    X(ASIN, "math", "asin", "x, /", pj_type_math, "asin", NONE)              \
    X(ACOS, "math", "acos", "x, /", pj_type_math, "acos", NONE)              \
    X(ATAN, "math", "atan", "x, /", pj_type_math, "atan", NONE)              \
    X(SINH, "math", "sinh", "x, /", pj_type_math, "sinh", NONE)              \
    X(COSH, "math", "cosh", "x, /", pj_type_math, "cosh", NONE)              \
    X(TANH, "math", "tanh", "x, /", pj_type_math, "tanh", NONE)              \
    X(ASINH, "math", "asinh", "x, /", pj_type_math, "asinh", NONE)           \
    X(ACOSH, "math", "acosh", "x, /", pj_type_math, "acosh", NONE)           \
    X(ATANH, "math", "atanh", "x, /", pj_type_math, "atanh", NONE)           \
    X(FABS, "math", "fabs", "x, /", pj_type_math, "llvm.fabs", NONE)         \
    X(ERF, "math", "erf", "x, /", pj_type_math, "erf", NONE)                 \
    X(ERFC, "math", "erfc", "x, /", pj_type_math, "erfc", NONE)              \
    X(GAMMA, "math", "gamma", "x, /", pj_type_math, "tgamma", NONE)          \
    X(LGAMMA, "math", "lgamma", "x, /", pj_type_math, "lgamma", NONE)        \
    X(CBRT, "math", "cbrt", "x, /", pj_type_math, "cbrt", NONE)              \
    X(EXP2, "math", "exp2", "x, /", pj_type_math, "exp2", NONE)              \
    X(ATAN2, "math", "atan2", "y, x, /", pj_type_math, "atan2", NONE)        \
    X(HYPOT, "math", "hypot", "x, y, /", pj_type_math, "hypot", NONE)        \
    X(COPYSIGN, "math", "copysign", "x, y, /", pj_type_math,                 \
      "llvm.copysign", NONE)                                                 \
    X(FMOD, "math", "fmod", "x, y, /", pj_type_math, "fmod", NONE)           \
    X(NEXTAFTER, "math", "nextafter", "x, y, /", pj_type_math, "nextafter",  \
      NONE)                                                                  \
    X(MPOW, "math", "pow", "x, y, /", pj_type_math, "llvm.pow", NONE)        \
    X(RADIANS, "math", "radians", "x, /", pj_type_radians, NULL, NONE)       \
    X(DEGREES, "math", "degrees", "x, /", pj_type_degrees, NULL, NONE)       \
    X(FLOOR, "math", "floor", "x, /", pj_type_math_to_int, "llvm.floor",     \
      NONE)                                                                  \
    X(CEIL, "math", "ceil", "x, /", pj_type_math_to_int, "llvm.ceil", NONE)  \
    X(TRUNC, "math", "trunc", "x, /", pj_type_math_to_int, "llvm.trunc",     \
      NONE)                                                                  \
    X(ISNAN, "math", "isnan", "x, /", pj_type_isnan, NULL, NONE)             \
    X(ISINF, "math", "isinf", "x, /", pj_type_isinf, NULL, NONE)             \
    X(ISFINITE, "math", "isfinite", "x, /", pj_type_isfinite, NULL, NONE)    \
    X(GCD, "math", "gcd", "*integers", pj_type_gcd, "pj_rt_gcd", NONE)       \
    /* cmath */                                                              \
    X(CSQRT, "cmath", "sqrt", "z, /", pj_type_cmath, "pj_rt_csqrt", NONE)    \
    X(CEXP, "cmath", "exp", "z, /", pj_type_cmath, "pj_rt_cexp", NONE)       \
    X(CLOG, "cmath", "log", "z, base=, /", pj_type_clog, "pj_rt_clog", NONE) \
    X(PHASE, "cmath", "phase", "z, /", pj_type_phase, "atan2", NONE)         \
    /* the intrinsics pyjit/_numpy.py is written with (library.c) */         \
    X(JITCLASS_NEW, "pyjit._jitclass", "_new", "instance_type, /",         \
      pj_type_jitclass_new, NULL, NONE)                                      \
    X(SUM_ZERO, "pyjit._core", "_sum_zero", "a, /", pj_type_sum_zero, NULL,  \
      NONE)                                                                  \
    X(SUM_ONE, "pyjit._core", "_sum_one", "a, /", pj_type_sum_one, NULL,     \
      NONE)                                                                  \
    X(MEAN_ZERO, "pyjit._core", "_mean_zero", "a, /", pj_type_mean_zero,     \
      NULL, NONE)                                                            \
    X(AXIS_INDEX, "pyjit._core", "_axis_index", "axis, ndim, /",             \
      pj_type_axis_index, NULL, NONE)                                        \
    X(DROP_AXIS, "pyjit._core", "_drop_axis", "shape, k, /",                 \
      pj_type_drop_axis, NULL, NONE)                                         \
    /* the intrinsics pyjit/_np_random.py is written with (random.c) */      \
    X(RANDOM_SEED, "pyjit._core", "_random_seed", "which, seed, /",          \
      pj_type_random_seed, "pj_rt_random_seed", NONE)                        \
    X(RANDOM_U32, "pyjit._core", "_random_u32", "which, /",                  \
      pj_type_random_int, "pj_rt_random_u32", NONE)                          \
    X(RANDOM_DOUBLE, "pyjit._core", "_random_double", "which, /",            \
      pj_type_random_float, "pj_rt_random_double", NONE)                     \
    X(RANDOM_GAUSS, "pyjit._core", "_random_gauss", "which, /",              \
      pj_type_random_float, "pj_rt_random_gauss", NONE)                      \
    /* the intrinsics pyjit/_np_generator.py is written with              \
       (np_generator.c) */                                                   \
    X(NPGEN_NEW, "pyjit._core", "_npgen_new", "seed, /", pj_type_npgen_new,  \
      "pj_rt_npgen_new", NONE)                                               \
    X(NPGEN_BITGEN, "pyjit._core", "_npgen_bitgen", "g, /",                  \
      pj_type_npgen_bitgen, NULL, NONE)                                      \
    X(NPGEN_U64, "pyjit._core", "_npgen_next_uint64", "g, /",                \
      pj_type_npgen_next, "next_uint64", NONE)                               \
    X(NPGEN_U32, "pyjit._core", "_npgen_next_uint32", "g, /",                \
      pj_type_npgen_next, "next_uint32", NONE)                               \
    X(NPGEN_DOUBLE, "pyjit._core", "_npgen_next_double", "g, /",             \
      pj_type_npgen_next, "next_double", NONE)                               \
    /* the intrinsics pyjit/_np_linalg.py is written with (linalg.c) */      \
    X(LINALG, "pyjit._core", "_linalg", "*args", pj_type_linalg_call, NULL,   \
      NONE)                                                                  \
    X(HOLDS_COMPLEX, "pyjit._core", "_holds_complex", "a, /",                \
      pj_type_holds_complex, NULL, NONE)                                     \
    X(REAL_ZERO, "pyjit._core", "_real_zero", "a, /", pj_type_real_zero,     \
      NULL, NONE)                                                            \
    /* pyjit/_np_sort.py's test of arrays of strings (charseq.c) */          \
    X(HOLDS_STRINGS, "pyjit._core", "_holds_strings", "a, /",                \
      pj_type_holds_strings, NULL, NONE)                                     \
    /* the intrinsics of pyjit/_np_complex.py (math.c) */                   \
    X(NP_CASIN, "pyjit._core", "_casin", "z, /", pj_type_libm_complex,       \
      "pj_rt_casin", NONE)                                                   \
    X(NP_CACOS, "pyjit._core", "_cacos", "z, /", pj_type_libm_complex,       \
      "pj_rt_cacos", NONE)                                                   \
    X(NP_CATAN, "pyjit._core", "_catan", "z, /", pj_type_libm_complex,       \
      "pj_rt_catan", NONE)                                                   \
    X(NP_CASINH, "pyjit._core", "_casinh", "z, /", pj_type_libm_complex,     \
      "pj_rt_casinh", NONE)                                                  \
    X(NP_CACOSH, "pyjit._core", "_cacosh", "z, /", pj_type_libm_complex,     \
      "pj_rt_cacosh", NONE)                                                  \
    X(NP_CATANH, "pyjit._core", "_catanh", "z, /", pj_type_libm_complex,     \
      "pj_rt_catanh", NONE)                                                  \
    /* the intrinsics of pyjit/_np_sort.py (np_sortloop.c) */                 \
    X(NUMPY_SORT, "pyjit._core", "_numpy_sort", "v, /", pj_type_numpy_sort,  \
      NULL, NONE)                                                            \
    X(NUMPY_ARGSORT, "pyjit._core", "_numpy_argsort", "values, idx, stable, /", \
      pj_type_numpy_argsort, NULL, NONE)                                     \
    /* the intrinsics pyjit/_lists.py is written with (list.c) */            \
    X(LIST_TRUNCATE, "pyjit._core", "_list_truncate", "l, n, /",             \
      pj_type_list_truncate, NULL, NONE)                                     \
    X(LIST_EMPTY, "pyjit._core", "_list_empty", "l, /", pj_type_list_empty,  \
      NULL, NONE)                                                            \
    X(SLICE_SPAN, "pyjit._core", "_slice_span", "s, n, /",                   \
      pj_type_slice_span, NULL, NONE)                                        \
    X(LIST_DTYPE, "pyjit._core", "_list_dtype", "l, /", pj_type_list_dtype,  \
      NULL, NONE)                                                            \
    X(HOLDS_INTEGERS, "pyjit._core", "_holds_integers", "a, /",              \
      pj_type_holds_integers, NULL, NONE)                                    \
    X(LISTSORT, "pyjit._core", "_listsort", "keys, v, tmp, /",               \
      pj_type_listsort, NULL, NONE)                                          \
    X(PROMOTED_ZERO, "pyjit._core", "_promoted_zero", "x, y, /",             \
      pj_type_promoted_zero, NULL, NONE)                                     \
    X(PERMUTE_DIMS, "pyjit._core", "_permute_dims", "a, axes, /",            \
      pj_type_permute_dims, NULL, NONE)                                      \
    X(BROADCAST_VIEW, "pyjit._core", "_broadcast_view", "a, shape, /",       \
      pj_type_broadcast_view, NULL, NONE)                                    \
    X(STRIDED_VIEW, "pyjit._core", "_strided_view", "a, shape, strides, /",  \
      pj_type_strided_view, NULL, NONE)                                      \
    X(DATA_ADDRESS, "pyjit._core", "_data_address", "a, /",                  \
      pj_type_data_address, NULL, NONE)                                      \
    X(SORT_KEY, "pyjit._core", "_sort_key", "x, /", pj_type_sort_key,       \
      NULL, NONE)                                                            \
    X(REFUSE_INTEGERS, "pyjit._core", "_refuse_integers", "name, a, b, /",   \
      pj_type_refuse_integers, NULL, NONE)                                   \
    X(EXPECT, "pyjit._core", "_expect", "x, what, /", pj_type_expect,       \
      NULL, NONE)                                                            \
    X(LITERALLY, "pyjit._literal_unroll", "literally", "obj, /",            \
      pj_type_literally, NULL, NONE)                                         \
    X(BIN_INDEX, "pyjit._core", "_bin_index", "f, top, /",                   \
      pj_type_bin_index, NULL, NONE)                                         \
    X(NDINDEX, "pyjit._core", "_ndindex", "shape, /", pj_type_ndindex,      \
      NULL, NONE)                                                            \
    X(NDENUMERATE, "pyjit._core", "_ndenumerate", "a, /",                    \
      pj_type_ndenumerate, NULL, NONE)                                       \
    /* NumPy: arrays made in compiled code (array_new.c) */                  \
    X(NP_EMPTY, "numpy", "empty", "shape, dtype=", pj_type_np_empty, NULL,   \
      NONE)                                                                  \
    X(NP_ZEROS, "numpy", "zeros", "shape, dtype=", pj_type_np_zeros, NULL,   \
      NONE)                                                                  \
    X(NP_ONES, "numpy", "ones", "shape, dtype=", pj_type_np_ones, NULL,      \
      NONE)                                                                  \
    X(NP_FULL, "numpy", "full", "shape, fill_value, dtype=",                 \
      pj_type_np_full, NULL, NONE)                                           \
    X(NP_EMPTY_LIKE, "numpy", "empty_like", "a, dtype=",                     \
      pj_type_np_empty_like, NULL, NONE)                                     \
    X(NP_ZEROS_LIKE, "numpy", "zeros_like", "a, dtype=",                     \
      pj_type_np_zeros_like, NULL, NONE)                                     \
    X(NP_ONES_LIKE, "numpy", "ones_like", "a, dtype=", pj_type_np_ones_like, \
      NULL, NONE)                                                            \
    X(NP_FULL_LIKE, "numpy", "full_like", "a, fill_value, dtype=",           \
      pj_type_np_full_like, NULL, NONE)                                      \
    X(NP_ARANGE, "numpy", "arange", "start, stop=, step=, /, dtype=",        \
      pj_type_np_arange, NULL, NONE)                                         \
    X(NP_COPY, "numpy", "copy", "a, /", pj_type_np_copy, NULL, NONE)         \
    X(NP_ARRAY, "numpy", "array", "object, dtype=", pj_type_np_array, NULL,  \
      NONE)                                                                  \
    X(NP_ASARRAY, "numpy", "asarray", "a, dtype=", pj_type_np_array, NULL,   \
      NONE)                                                                  \
    /* NumPy: dtypes and buffers (arrays.c) */                              \
    X(NP_DTYPE, "numpy", "dtype", "dtype, /", pj_type_np_dtype, NULL, NONE) \
    X(NP_FROMBUFFER, "numpy", "frombuffer", "buffer, dtype=",                \
      pj_type_np_frombuffer, NULL, NONE)                                     \
    /* NumPy: the limits of a dtype (np_info.c) */                           \
    X(NP_IINFO, "numpy", "iinfo", "int_type", pj_type_np_info, NULL, NONE)   \
    X(NP_FINFO, "numpy", "finfo", "dtype", pj_type_np_info, NULL, NONE)      \
    /* NumPy ufuncs (ufuncs.c): the twin computes each element */            \
    X(NP_SQRT, "numpy", "sqrt", "x, /", pj_type_ufunc, NULL, SQRT)           \
    X(NP_EXP, "numpy", "exp", "x, /", pj_type_ufunc, NULL, EXP)              \
    X(NP_LOG, "numpy", "log", "x, /", pj_type_ufunc, NULL, LOG)              \
    X(NP_LOG10, "numpy", "log10", "x, /", pj_type_ufunc, NULL, LOG10)        \
    X(NP_LOG2, "numpy", "log2", "x, /", pj_type_ufunc, NULL, LOG2)           \
    X(NP_LOG1P, "numpy", "log1p", "x, /", pj_type_ufunc, NULL, LOG1P)        \
    X(NP_EXPM1, "numpy", "expm1", "x, /", pj_type_ufunc, NULL, EXPM1)        \
    X(NP_SIN, "numpy", "sin", "x, /", pj_type_ufunc, NULL, SIN)              \
    X(NP_COS, "numpy", "cos", "x, /", pj_type_ufunc, NULL, COS)              \
    X(NP_TAN, "numpy", "tan", "x, /", pj_type_ufunc, NULL, TAN)              \
    X(NP_ARCSIN, "numpy", "arcsin", "x, /", pj_type_ufunc, NULL, ASIN)       \
    X(NP_ARCCOS, "numpy", "arccos", "x, /", pj_type_ufunc, NULL, ACOS)       \
    X(NP_ARCTAN, "numpy", "arctan", "x, /", pj_type_ufunc, NULL, ATAN)       \
    X(NP_SINH, "numpy", "sinh", "x, /", pj_type_ufunc, NULL, SINH)           \
    X(NP_COSH, "numpy", "cosh", "x, /", pj_type_ufunc, NULL, COSH)           \
    X(NP_TANH, "numpy", "tanh", "x, /", pj_type_ufunc, NULL, TANH)           \
    X(NP_FLOOR, "numpy", "floor", "x, /", pj_type_ufunc_rounding, NULL,      \
      FLOOR)                                                                 \
    X(NP_CEIL, "numpy", "ceil", "x, /", pj_type_ufunc_rounding, NULL, CEIL)  \
    X(NP_TRUNC, "numpy", "trunc", "x, /", pj_type_ufunc_rounding, NULL,      \
      TRUNC)                                                                 \
    X(NP_ABS, "numpy", "absolute", "x, /", pj_type_ufunc_abs, NULL, ABS)     \
    X(NP_ISNAN, "numpy", "isnan", "x, /", pj_type_ufunc, NULL, ISNAN)        \
    X(NP_ISINF, "numpy", "isinf", "x, /", pj_type_ufunc, NULL, ISINF)        \
    X(NP_ISFINITE, "numpy", "isfinite", "x, /", pj_type_ufunc, NULL,         \
      ISFINITE)                                                              \
    X(NP_ARCSINH, "numpy", "arcsinh", "x, /", pj_type_ufunc, NULL, ASINH)    \
    X(NP_ARCCOSH, "numpy", "arccosh", "x, /", pj_type_ufunc, NULL, ACOSH)    \
    X(NP_ARCTANH, "numpy", "arctanh", "x, /", pj_type_ufunc, NULL, ATANH)    \
    X(NP_RADIANS, "numpy", "radians", "x, /", pj_type_ufunc, NULL, RADIANS)  \
    X(NP_DEG2RAD, "numpy", "deg2rad", "x, /", pj_type_ufunc, NULL, RADIANS)  \
    X(NP_DEGREES, "numpy", "degrees", "x, /", pj_type_ufunc, NULL, DEGREES)  \
    X(NP_RAD2DEG, "numpy", "rad2deg", "x, /", pj_type_ufunc, NULL, DEGREES)  \
    X(NP_CBRT, "numpy", "cbrt", "x, /", pj_type_ufunc, NULL, CBRT)           \
    X(NP_EXP2, "numpy", "exp2", "x, /", pj_type_ufunc, NULL, EXP2)           \
    X(NP_FABS, "numpy", "fabs", "x, /", pj_type_ufunc, NULL, FABS)           \
    /* NumPy ufuncs of their own scalar rule: the row is its own twin */     \
    X(NP_RINT, "numpy", "rint", "x, /", pj_type_ufunc_rint, "llvm.rint",     \
      NP_RINT)                                                               \
    X(NP_SIGN, "numpy", "sign", "x, /", pj_type_ufunc_sign, NULL, NP_SIGN)   \
    X(NP_CONJUGATE, "numpy", "conjugate", "x, /", pj_type_ufunc_conjugate,   \
      NULL, NP_CONJUGATE)                                                    \
    X(NP_MAXIMUM, "numpy", "maximum", "x1, x2, /", pj_type_ufunc_extreme,    \
      NULL, NP_MAXIMUM)                                                      \
    X(NP_MINIMUM, "numpy", "minimum", "x1, x2, /", pj_type_ufunc_extreme,    \
      NULL, NP_MINIMUM)                                                      \
    X(NP_FMAX, "numpy", "fmax", "x1, x2, /", pj_type_ufunc_extreme, NULL,    \
      NP_FMAX)                                                               \
    X(NP_FMIN, "numpy", "fmin", "x1, x2, /", pj_type_ufunc_extreme, NULL,    \
      NP_FMIN)                                                               \
    X(NP_FMOD, "numpy", "fmod", "x1, x2, /", pj_type_ufunc_fmod, NULL,       \
      NP_FMOD)                                                               \
    /* NumPy ufuncs of two arguments computed in floats */                   \
    X(NP_HYPOT, "numpy", "hypot", "x1, x2, /", pj_type_ufunc, NULL, HYPOT)   \
    X(NP_ARCTAN2, "numpy", "arctan2", "x1, x2, /", pj_type_ufunc, NULL,      \
      ATAN2)                                                                 \
    X(NP_COPYSIGN, "numpy", "copysign", "x1, x2, /", pj_type_ufunc, NULL,    \
      COPYSIGN)
