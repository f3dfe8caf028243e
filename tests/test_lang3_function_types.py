"""First-class function values: a variable holding one of several jitted
functions chosen when the code runs (`f = g1 if c else g2; f(x)`), tuples
of jitted functions iterated and indexed at run time, such values passed
to other jitted functions and returned, and jitted functions passed as
explicit `FunctionType` arguments.  Differential tests against the plain
Python functions, each also checking that the code compiled in nopython
mode."""
import numpy as np
import hypothesis.strategies as st
import pytest
from hypothesis import given

from difftest import FEW, assert_compiled, assert_same, mod_floats
from pyjit import cfunc, literal_unroll, njit, types
from pyjit.errors import TypingError


@njit
def inc(x):
    return x + 1.0


@njit
def dbl(x):
    return x * 2.0


@njit
def neg(x):
    return -x - 3.0


@njit
def inc_int(x):
    return x + 1


@njit
def two_args(x, y):
    return x + y


@njit
def checked(x):
    if x < 0:
        raise ValueError("negative")
    return x * 10.0


@cfunc("float64(float64)")
def tenfold(x):
    return x * 10.0


def check(f, *args):
    assert_same(f(*args), f.py_func(*args))
    assert_compiled(f)


# --- one of several functions in a variable -------------------------------------------

@njit
def choose(c, x):
    f = inc if c else dbl
    return f(x)


@njit
def choose_three(i, x):
    if i == 0:
        f = inc
    elif i == 1:
        f = dbl
    else:
        f = neg
    return f(x)


@njit
def choose_in_loop(n, x):
    s = 0.0
    for i in range(n):
        f = inc if i % 3 == 0 else (dbl if i % 3 == 1 else neg)
        s += f(x + i)
    return s


@njit
def choose_cfunc(c, x):
    f = inc if c else tenfold
    return f(x)


@given(st.booleans(), mod_floats)
@FEW
def test_choose_between_two(c, x):
    check(choose, c, x)


@given(st.integers(-2, 4), mod_floats)
@FEW
def test_choose_among_three(i, x):
    check(choose_three, i, x)


@pytest.mark.parametrize("n", [0, 1, 2, 3, 7, 50])
def test_choose_in_a_loop(n):
    for x in (0.0, -1.5, 2.25):
        check(choose_in_loop, n, x)


@given(st.booleans(), mod_floats)
@FEW
def test_choose_a_cfunc(c, x):
    check(choose_cfunc, c, x)


# --- passed on, returned --------------------------------------------------------------

@njit
def apply(f, x):
    return f(x)


@njit
def apply_chosen(c, x):
    f = inc if c else dbl
    return apply(f, x) + apply(f, x + 1.0)


@njit
def chosen(i):
    if i == 0:
        return inc
    if i == 1:
        return dbl
    return neg


@given(st.booleans(), mod_floats)
@FEW
def test_passed_to_a_jitted_function(c, x):
    check(apply_chosen, c, x)


@pytest.mark.parametrize("i", [0, 1, 2, 5])
def test_returned_to_python(i):
    assert chosen(i) is chosen.py_func(i)
    assert chosen(i)(1.5) == chosen.py_func(i)(1.5)
    assert_compiled(chosen)


# --- tuples of functions ---------------------------------------------------------------

@njit
def tuple_loop(x):
    s = 0.0
    for f in (inc, dbl, neg):
        s += f(x)
    return s


@njit
def tuple_unrolled(x):
    s = 0.0
    for f in literal_unroll((inc, dbl, neg)):
        s += f(x)
    return s


@njit
def tuple_index(i, x):
    fs = (inc, dbl, neg)
    return fs[i](x)


@njit
def tuple_argument(fs, x):
    s = 0.0
    for f in fs:
        s = f(s + x)
    return s


@given(mod_floats)
@FEW
def test_tuple_iterated(x):
    check(tuple_loop, x)
    check(tuple_unrolled, x)


@given(st.integers(-3, 2), mod_floats)
@FEW
def test_tuple_indexed_at_run_time(i, x):
    check(tuple_index, i, x)


def test_tuple_index_out_of_range():
    with pytest.raises(IndexError):
        tuple_index(3, 1.0)
    with pytest.raises(IndexError):
        tuple_index.py_func(3, 1.0)


@pytest.mark.parametrize("fs", [(inc,), (inc, dbl), (dbl, neg, inc, dbl)])
def test_tuple_from_python(fs):
    for x in (0.0, 1.0, -2.5):
        assert_same(tuple_argument(fs, x), tuple_argument.py_func(fs, x))
    assert_compiled(tuple_argument)


@njit
def list_of_functions(x):
    fs = [inc, dbl, neg]
    s = 0.0
    for f in fs:
        s += f(x)
    return s + fs[1](x)


@given(mod_floats)
@FEW
def test_list_of_functions(x):
    check(list_of_functions, x)


# --- results, exceptions, memory --------------------------------------------------------

@njit
def zeros(n):
    return np.zeros(n)


@njit
def aranged(n):
    return np.arange(n) * 1.0


@njit
def make_array(c, n):
    f = zeros if c else aranged
    return f(n)


@pytest.mark.parametrize("n", [0, 1, 5])
def test_functions_returning_arrays(n):
    for c in (True, False):
        np.testing.assert_array_equal(make_array(c, n), make_array.py_func(c, n))
    assert_compiled(make_array)


@njit
def choose_raising(c, x):
    f = checked if c else dbl
    return f(x)


@given(st.booleans(), mod_floats)
@FEW
def test_exception_raised_through_the_value(c, x):
    try:
        expected = choose_raising.py_func(c, x)
    except ValueError:
        with pytest.raises(ValueError, match="negative"):
            choose_raising(c, x)
        return
    check(choose_raising, c, x)


# --- what does not type --------------------------------------------------------------------

def test_different_results_name_both_signatures():
    @njit
    def f(c, x):
        g = inc if c else inc_int
        return g(x)

    assert f(True, 1.5) == 2.5
    with pytest.raises(TypingError) as e:
        f(True, 1)
    msg = str(e.value)
    assert "inc(int64) -> float64" in msg and "inc_int(int64) -> int64" in msg


def test_different_argument_counts_do_not_join():
    @njit
    def f(c, x):
        g = inc if c else two_args
        return g(x)

    with pytest.raises(TypingError, match="Cannot unify"):
        f(True, 1.0)


# --- explicit FunctionType -----------------------------------------------------------------

F64 = types.FunctionType(types.float64(types.float64))


@njit(types.float64(F64, types.float64))
def explicit(f, x):
    return f(x) + f(-x)


@given(mod_floats)
@FEW
def test_explicit_function_type(x):
    for g in (inc, dbl, neg, tenfold):
        assert_same(explicit(g, x), explicit.py_func(g, x))


def test_explicit_function_type_converts_the_result():
    assert explicit(inc_int, 2.0) == float(inc_int.py_func(2.0) + inc_int.py_func(-2.0))


def test_explicit_function_type_refuses_other_signatures():
    with pytest.raises(TypeError, match="No matching definition"):
        explicit(two_args, 1.0)


# --- functions known by their address joined with jitted ones ---------------------------

@njit
def composition(funcs, x):
    r = x
    for f in funcs[::-1]:
        r = f(r)
    return r


@njit
def address_or_jitted(fa, c, x):
    f = fa if c else dbl
    return f(x)


@njit
def pick_from_mixed(i, fs, x):
    return fs[i](x)


@pytest.mark.parametrize("funcs", [
    (tenfold, dbl, dbl, tenfold),
    (dbl, tenfold, inc, neg, tenfold),
    (inc, dbl),
    (tenfold,),
])
def test_composition_of_cfuncs_and_jitted_functions(funcs):
    for x in (0.5, -2.0, 0.0):
        assert_same(composition(funcs, x), composition.py_func(funcs, x))
    assert_compiled(composition)


@given(st.booleans(), mod_floats)
@FEW
def test_cfunc_argument_joined_with_a_jitted_function(c, x):
    assert_same(address_or_jitted(tenfold, c, x),
                address_or_jitted.py_func(tenfold, c, x))
    assert_compiled(address_or_jitted)


@given(st.integers(-2, 1), mod_floats)
@FEW
def test_tuple_of_cfunc_and_jitted_indexed(i, x):
    fs = (tenfold, neg)
    assert_same(pick_from_mixed(i, fs, x), pick_from_mixed.py_func(i, fs, x))


def test_two_function_types_do_not_join():
    @cfunc("int64(int64)")
    def plus(x):
        return x + 1

    @njit
    def either(fa, fb, c, x):
        f = fa if c else fb
        return f(x)

    assert either(tenfold, tenfold, False, 1.0) == 10.0
    with pytest.raises(TypingError, match="Cannot unify"):
        either(plus, tenfold, True, 1)


def test_argument_not_converting_to_the_address_signature():
    @cfunc("int64(int64)")
    def plus(x):
        return x + 1

    with pytest.raises(TypingError, match=r"does not convert to the parameter "
                                          r"of FunctionType\[int64\(int64\)\]"):
        address_or_jitted(plus, True, 1.0)


I64 = types.FunctionType(types.int64(types.int64))


@njit
def add_one(x):
    return x + 1


@njit
def add_two(x):
    return x + 2


@njit(types.int64(types.UniTuple(I64, 2), types.int64))
def explicit_tuple(fs, x):
    s = 0
    for i in range(2):
        s += fs[i](x)
    return s


@given(st.integers(-1000, 1000))
@FEW
def test_explicit_tuple_of_function_types(x):
    fs = (add_one, add_two)
    assert explicit_tuple(fs, x) == explicit_tuple.py_func(fs, x)


@njit
def unrolled_pairs(fcs):
    x = 0
    i, j = fcs[0]
    x += i(j(10))
    for t in literal_unroll(fcs):
        i, j = t
        x += i(j(10))
    return x


def test_unrolled_pairs_of_functions():
    for fcs in (((add_one, add_two),), ((add_one, add_two), (add_two, add_one))):
        assert unrolled_pairs(fcs) == unrolled_pairs.py_func(fcs)
