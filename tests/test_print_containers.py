"""print() of tuples, lists, dicts, sets and arrays in nopython code writes
what the interpreter writes for the same values."""
import hypothesis.strategies as st
import numpy as np
from hypothesis import HealthCheck, given, settings

from pyjit import njit
from difftest import SCALE, assert_compiled

PRINT = settings(max_examples=40 * SCALE, deadline=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture])


def same_output(capsys, f, *args):
    capsys.readouterr()
    f.py_func(*args)
    expected = capsys.readouterr().out
    f(*args)
    assert capsys.readouterr().out == expected
    assert_compiled(f)


@njit
def print_tuple(a):
    b = a + 1
    c = a * 2.34
    d = (a, b, c)
    print(a, b, c, d)
    return d


@njit
def print_list(n):
    xs = [i * 0.5 for i in range(n)]
    print("items:", xs, len(xs))
    print([[i, -i] for i in range(n)])


@njit
def print_dict_and_set(n):
    d = {}
    for i in range(n):
        d["k%d" % i] = i * i
    s = {i % 3 for i in range(n)}
    print(d, s)


@njit
def print_array(a):
    print(a)
    print("len", len(a), a[:2], (len(a), "x"))


@njit
def print_nested(n):
    print((1, (2.5, "a")), [(i, str(i)) for i in range(n)], ())


@given(st.integers(-10**6, 10**6))
@PRINT
def test_tuple_of_numbers(capsys, a):
    same_output(capsys, print_tuple, a)


@given(st.integers(0, 6))
@PRINT
def test_lists_dicts_sets(capsys, n):
    same_output(capsys, print_list, n)
    same_output(capsys, print_nested, n)
    # a dict prints as Numba prints its typed Dict: keys and values as
    # str() shows them
    capsys.readouterr()
    print_dict_and_set(n)
    items = ", ".join(f"k{i}: {i * i}" for i in range(n))
    assert capsys.readouterr().out == f"{{{items}}} {set(range(min(n, 3)))}\n"
    assert_compiled(print_dict_and_set)


def test_arrays_print_as_numpy_does(capsys):
    for a in (np.arange(5), np.linspace(0, 1, 4), np.array([True, False]),
              np.arange(12.0).reshape(3, 4)[:, 1:]):
        same_output(capsys, print_array, a)


def test_print_in_a_nogil_function(capsys):
    @njit(nogil=True)
    def f(n):
        print([i for i in range(n)], (n, 2.0))
        return n

    f(3)
    assert capsys.readouterr().out == "[0, 1, 2] (3, 2.0)\n"


@njit
def print_classes(x, y):
    # Numba prints a class by the type it names (porespy's networks print
    # type(x) of their arguments)
    print("x", x, type(x), type(y), np.float32, np.int16)
    return type(x) is np.int64, type(y) is np.float64, type(x) is type(y)


def test_classes_print_as_the_types_they_name(capsys):
    capsys.readouterr()
    assert print_classes(3, 2.5) == (True, True, False)
    assert capsys.readouterr().out == "x 3 int64 float64 float32 int16\n"
    assert print_classes(2.5, 1.0) == (False, True, True)
    assert capsys.readouterr().out == "x 2.5 float64 float64 float32 int16\n"
    assert_compiled(print_classes)
