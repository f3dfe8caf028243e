/*
** kinds.h - the type kinds, defined once.
**
** X(NAME, ROW): NAME becomes PJ_TK_NAME, and pj_kinds[PJ_TK_NAME] is
** &pj_kind_ROW, the row of operations for values of that kind (PjKind in
** pyjit.h), defined in the kind's own file.  Several kinds may share one
** row: the five kinds of numbers are all `number`.  Everything that depends
** on the order below is tagged ORDER TK (grep ORDER TK).
**
** Two ranges of the order carry meaning:
**   BOOL .. COMPLEX   the numbers, from the narrowest kind to the widest
**                     (pj_type_is_number, promotion by kind);
**   STRLIT .. BOUND   compile-time constants: the value is known when the
**                     function compiles and has no run-time data
**                     (pj_type_is_const).
** Functions as values (DISPATCHER, FUNCTION) are known when the function
** compiles too, but are values: their type is interned and says which
** function they are, and they pass to calls, sit in tuples and return to
** Python carrying no data (a byte).  A FUNCPTR (FunctionType) is the
** address of a function known only when the code runs.
**
** What a type of each kind holds in PjType (bits, count, ident, elems,
** item, obj) is said at its row.
*/

/* ORDER TK */
#define PJ_KINDS(X)                                                          \
    /* numbers.c: bits is the width */                                       \
    X(BOOL,       number)                                                    \
    X(INT,        number)                                                    \
    X(UINT,       number)                                                    \
    X(FLOAT,      number)                                                    \
    X(COMPLEX,    number)                                                    \
    X(NONE,       none)                                                      \
    X(ELLIPSIS,   ellipsis)     /* ellipsis.c: `...` in an index */           \
    X(PYOBJECT,   pyobject)     /* values.c: any Python object */            \
    /* tuples.c: elems and count (UniTuple: one elem, count copies); obj  \
       a namedtuple's class (namedtuple.c) */                                \
    X(UNITUPLE,   tuple)                                                     \
    X(TUPLE,      tuple)                                                     \
    X(TUPLE_ITER, tuple_iter)   /* elems[0] the tuple */                     \
    X(OPTIONAL,   optional)     /* optional.c: elems[0] or None */           \
    /* iteration.c */                                                        \
    X(RANGE,      range)        /* elems[0] the integer type */              \
    X(RANGE_ITER, range_iter)                                                \
    X(ENUMERATE,  enumerate)    /* elems[0] the inner iterator */            \
    X(ZIP,        zip)          /* elems: the inner iterators */             \
    X(PAIR,       pair)         /* (item, has item) of ITERNEXT */           \
    /* ndindex.c: item the index tuple; an ndenumerate's elems the array  \
       and its ndindex */                                                   \
    X(NDINDEX,    ndindex)                                                   \
    X(NDENUMERATE, ndenumerate)                                              \
    /* arrays.c: elems[0] the dtype, bits the ndim, ident the layout */      \
    X(ARRAY,      array)                                                     \
    X(ARRAY_ITER, array_iter)   /* elems[0] the array */                     \
    X(FLAT_ITER,  flat_iter)    /* a.flat; elems[0] the array */             \
    X(RECORD,     record)       /* record.c: obj the structured dtype */    \
    /* datetime.c: ident the unit (NPY_DATETIMEUNIT) */                     \
    X(DATETIME,   datetime)                                                  \
    X(TIMEDELTA,  datetime)                                                  \
    /* charseq.c: an 'U' or 'S' dtype, bits its size, ident 1 for 'U' */    \
    X(CHARSEQ,    charseq)                                                   \
    X(SLICE,      slice)        /* ident: the parts given, PJ_SLICE_* */     \
    /* list.c: elems[0] the item type (none: not known yet), ident 1 for  \
       a reflected list */                                                   \
    X(LIST,       list)                                                      \
    X(LIST_ITER,  list_iter)    /* elems[0] the list */                      \
    X(UNICODE,    unicode)      /* unicode.c: a string */                   \
    X(UNICODE_ITER, unicode_iter) /* elems[0] the string */                 \
    X(STR_SPLIT,  str_split)    /* str_split.c: elems string, separator */ \
    /* dict.c: elems key and value (none: not known yet) */                  \
    X(DICT,       dict)                                                      \
    X(DICT_ITER,  dict_iter)    /* elems[0] the dict, ident what it yields */\
    /* set.c: elems[0] the item type (none: not known yet) */                \
    X(SET,        set)                                                       \
    X(SET_ITER,   set_iter)     /* elems[0] the set */                       \
    X(EXCEPTION,  exception)    /* exceptions.c: a caught exception */       \
    X(EXC_ARGS,   exc_args)     /* exceptions.c: e.args of one */          \
    X(GENERATOR,  generator)    /* generator.c: item the yielded type */     \
    X(NPGEN,      npgen)        /* np_generator.c: a numpy.random.Generator */\
    /* functions.c: functions as values, the function in obj */              \
    X(DISPATCHER, dispatcher)   /* a jitted function */                      \
    X(FUNCTION,   function)     /* callables.c: ident its PJ_FN_* */         \
    X(FUNCPTR,    funcptr)      /* elems: the result, then the arguments */  \
    X(FUNCSET,    funcset)      /* funcset.c: elems the DISPATCHERs */      \
    /* dtype.c: a dtype (ident 1) or a NumPy scalar class (ident 0) as a  \
       value; elems[0] the number or record type it names */             \
    X(DTYPE,      dtype)                                                     \
    /* typeref.c: a type passed as a value; elems[0] (and obj) the type */  \
    X(TYPEREF,    typeref)                                                   \
    /* literal.c: an argument typed by its value, in obj; ident int, bool \
       or str */                                                            \
    X(LITERAL,    literal)                                                   \
    /* jitclass.c: an instance of a jitclass, the Python class in obj */    \
    X(JITCLASS,   jitclass)                                                  \
    X(ENUM_MEMBER, enum_member) /* enum_member.c: obj the Enum class */  \
    /* values.c: compile-time constants, the value in obj */                 \
    X(STRLIT,     strlit)                                                    \
    X(MODULE,     module)                                                    \
    X(CLASS,      class)        /* ident: the typecode it converts to */     \
    X(BOUND,      bound)        /* method obj bound to elems[0] */            \
    X(OBJMODE,    objmode)      /* objmode_block.c: obj the Block */      \
    X(INTRINSIC,  intrinsic)    /* intrinsic.c: obj the Intrinsic */     \
    X(ENUM_CLASS, enum_class)   /* values.c: obj an Enum class */          \
    X(JITCLASS_CLASS, jitclass_class) /* jitclass.c: obj the class */     \
    X(NAMEDTUPLE_CLASS, namedtuple_class) /* namedtuple.c: obj the class */
