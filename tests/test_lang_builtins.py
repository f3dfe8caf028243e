"""Differential tests: builtins (abs min max round int float bool complex pow divmod len
range enumerate zip sum print, .real .imag .conjugate())."""
import math

import hypothesis.strategies as st
import pytest
from hypothesis import HealthCheck, given, settings

from difftest import (FEW, INT64_MAX, INT64_MIN, SCALE, SETTINGS, any_floats,
                      assert_compiled, bools, check, complexes, exact_ints, finite_floats,
                      int64s, mod_floats, small_ints)
from pyjit import njit

# floats whose sums are exact (multiples of 1/4 of moderate size)
quarter_floats = st.integers(-4000, 4000).map(lambda n: n / 4.0)
# floats that fit in int64 after truncation/rounding
int_range_floats = st.floats(-9.2e18, 9.2e18)


@njit
def b_abs(x):
    return abs(x)


@njit
def b_min2(a, b):
    return min(a, b)


@njit
def b_max2(a, b):
    return max(a, b)


@njit
def b_min3(a, b, c):
    return min(a, b, c)


@njit
def b_max4(a, b, c, d):
    return max(a, b, c, d)


@njit
def b_min_tuple(t):
    return min(t)


@njit
def b_max_tuple(t):
    return max(t)


@njit
def b_round1(x):
    return round(x)


@njit
def b_round2(x, n):
    return round(x, n)


@njit
def b_int(x):
    return int(x)


@njit
def b_float(x):
    return float(x)


@njit
def b_bool(x):
    return bool(x)


@njit
def b_complex1(x):
    return complex(x)


@njit
def b_complex2(x, y):
    return complex(x, y)


@njit
def b_pow(a, b):
    return pow(a, b)


@njit
def b_divmod(a, b):
    return divmod(a, b)


@njit
def b_len_tuple(a, b, c):
    return len((a, b, c)) + len((a,)) + len(())


@njit
def b_len_range(a, b, c):
    return len(range(a, b, c))


@njit
def b_range_sum(n):
    return sum(range(n))


@njit
def b_range_sum3(a, b, c):
    return sum(range(a, b, c))


@njit
def b_sum_tuple(t):
    return sum(t)


@njit
def b_enumerate_zip(a, b):
    s = 0
    for i, (x, y) in enumerate(zip(range(a), range(b, 0, -1))):
        s += i * x - y
    return s


@njit
def b_real(x):
    return x.real


@njit
def b_imag(x):
    return x.imag


@njit
def b_conj(x):
    return x.conjugate()


@njit
def p1(x):
    print(x)


@njit
def p3(a, b, c):
    print(a, b, c)


@njit
def p_empty():
    print()


@njit
def p_literal(x):
    print("value:", x, "done")


# --- abs -----------------------------------------------------------------------------

@SETTINGS
@given(x=st.one_of(int64s, any_floats, bools))
def test_abs_real(x):
    check(b_abs, x)


@SETTINGS
@given(z=complexes)
def test_abs_complex(z):
    r = b_abs(z)
    assert type(r) is float
    assert math.isclose(r, abs(z), rel_tol=1e-15)


def test_abs_examples():
    assert b_abs(INT64_MIN) == INT64_MIN  # wraps
    assert b_abs(-0.0) == 0.0 and math.copysign(1.0, b_abs(-0.0)) == 1.0
    assert math.isnan(b_abs(-math.nan))
    assert b_abs(-math.inf) == math.inf
    assert b_abs(3 + 4j) == 5.0
    assert_compiled(b_abs)


# --- min / max -------------------------------------------------------------------------

@pytest.mark.parametrize("f", [b_min2, b_max2], ids=lambda f: f.__name__)
@SETTINGS
@given(a=int64s, b=int64s)
def test_minmax2_int(f, a, b):
    check(f, a, b)


@pytest.mark.parametrize("f", [b_min2, b_max2], ids=lambda f: f.__name__)
@SETTINGS
@given(a=st.one_of(any_floats, st.sampled_from([0.0, -0.0, math.nan])),
       b=st.one_of(any_floats, st.sampled_from([0.0, -0.0, math.nan])))
def test_minmax2_float(f, a, b):
    # Python's algorithm: nan and signed zeros depend on argument order
    check(f, a, b)


@SETTINGS
@given(a=any_floats, b=any_floats, c=any_floats, d=any_floats)
def test_minmax_many_float(a, b, c, d):
    check(b_min3, a, b, c)
    check(b_max4, a, b, c, d)


@SETTINGS
@given(a=int64s, b=int64s, c=int64s, d=int64s)
def test_minmax_many_int(a, b, c, d):
    check(b_min3, a, b, c)
    check(b_max4, a, b, c, d)


@FEW
@given(a=exact_ints, b=mod_floats, c=bools)
def test_minmax_mixed(a, b, c):
    # int64/float64/bool unify to float64: same value, float type
    check(b_min3, a, b, c, strict_type=False)
    check(b_max4, a, b, c, 0, strict_type=False)
    assert type(b_min3(a, b, c)) is float


@SETTINGS
@given(t=st.one_of(st.tuples(int64s), st.tuples(int64s, int64s, int64s),
                   st.tuples(any_floats, any_floats, any_floats, any_floats)))
def test_minmax_tuple(t):
    check(b_min_tuple, t)
    check(b_max_tuple, t)


# --- round -------------------------------------------------------------------------------

@SETTINGS
@given(x=st.one_of(int_range_floats, quarter_floats,
                   st.integers(-1000, 1000).map(lambda n: n + 0.5)))
def test_round1_float(x):
    # round half to even, result int
    check(b_round1, x)


@SETTINGS
@given(x=int64s)
def test_round1_int(x):
    check(b_round1, x)


@SETTINGS
@given(x=st.one_of(finite_floats, mod_floats,
                   st.integers(-10 ** 6, 10 ** 6).map(lambda n: n / 1000 + 0.0005)),
       n=st.integers(-8, 12))
def test_round2_float(x, n):
    # pyjit's round matches CPython exactly (correctly rounded decimal)
    check(b_round2, x, n)


def test_round_examples():
    assert b_round1(0.5) == 0 and b_round1(1.5) == 2 and b_round1(2.5) == 2
    assert b_round1(-0.5) == 0 and b_round1(-1.5) == -2
    assert type(b_round1(2.7)) is int
    assert b_round2(2.675, 2) == 2.67
    assert b_round2(0.125, 2) == 0.12
    assert b_round2(1234.5678, -2) == 1200.0
    assert b_round2(1e300, 2) == 1e300
    # exact value 11776585676501706 rounds to ...710 (CPython is correctly rounded)
    assert b_round2(11776585676501706.0, -1) == 1.177658567650171e+16
    assert type(b_round2(2.5, 0)) is float
    assert_compiled(b_round2)


# --- conversions ---------------------------------------------------------------------------

@SETTINGS
@given(x=st.one_of(int_range_floats, mod_floats, int64s, bools))
def test_int(x):
    check(b_int, x)


@SETTINGS
@given(x=st.one_of(int64s, any_floats, bools))
def test_float(x):
    check(b_float, x)


@SETTINGS
@given(x=st.one_of(int64s, any_floats, bools, complexes, st.just(0j),
                   st.just(complex(0.0, -0.0))))
def test_bool(x):
    check(b_bool, x)


@SETTINGS
@given(x=st.one_of(exact_ints, mod_floats, bools, complexes), y=st.one_of(exact_ints, mod_floats))
def test_complex(x, y):
    # signed zeros must survive: complex(0, -0.0) is -0j
    check(b_complex1, x)
    if not isinstance(x, complex):
        check(b_complex2, x, y)


def test_complex_signed_zero_imag():
    for x, y in [(0.0, -0.0), (1.5, -0.0), (-0.0, -0.0), (0, -0.0)]:
        z = b_complex2(x, y)
        assert math.copysign(1.0, z.imag) == -1.0, (x, y, z)
        assert math.copysign(1.0, z.real) == math.copysign(1.0, x)


# --- pow / divmod ----------------------------------------------------------------------------

@SETTINGS
@given(a=int64s, b=st.integers(0, 70))
def test_pow_int(a, b):
    check(b_pow, a, b)


@SETTINGS
@given(a=st.floats(1e-3, 1e3), b=st.floats(-40.0, 40.0))
def test_pow_float(a, b):
    check(b_pow, a, b)


def test_pow_negative_int_exponent():
    assert b_pow(2, -1) == 0
    assert b_pow(-1, -3) == -1
    with pytest.raises(ZeroDivisionError):
        b_pow(0, -2)


@SETTINGS
@given(a=int64s, b=int64s.filter(lambda v: v != 0), x=any_floats,
       y=any_floats.filter(lambda v: v != 0))
def test_divmod(a, b, x, y):
    check(b_divmod, a, b)
    check(b_divmod, x, y)


def test_divmod_by_zero():
    check(b_divmod, 5, 0)
    check(b_divmod, 5.0, 0.0)


# --- len / range / enumerate / zip / sum ----------------------------------------------------

@FEW
@given(a=int64s, b=any_floats)
def test_len_tuple(a, b):
    check(b_len_tuple, a, b, True)


@SETTINGS
@given(a=st.integers(-100, 100), b=st.integers(-100, 100),
       c=st.integers(-9, 9).filter(lambda v: v != 0))
def test_len_range(a, b, c):
    check(b_len_range, a, b, c)


@SETTINGS
@given(n=st.integers(-10, 10 ** 5))
def test_sum_range(n):
    check(b_range_sum, n)


@SETTINGS
@given(a=st.integers(-200, 200), b=st.integers(-200, 200),
       c=st.integers(-9, 9).filter(lambda v: v != 0))
def test_sum_range3(a, b, c):
    check(b_range_sum3, a, b, c)


@SETTINGS
@given(t=st.one_of(st.tuples(int64s, int64s, int64s),
                   st.tuples(quarter_floats, quarter_floats, quarter_floats),
                   st.tuples(small_ints, quarter_floats), st.tuples(bools, bools)))
def test_sum_tuple(t):
    check(b_sum_tuple, t)


def test_sum_tuple_wraps():
    assert b_sum_tuple((INT64_MAX, 1)) == INT64_MIN


@SETTINGS
@given(a=st.integers(-5, 40), b=st.integers(-5, 40))
def test_enumerate_zip(a, b):
    check(b_enumerate_zip, a, b)


# --- .real .imag .conjugate() -----------------------------------------------------------------

@pytest.mark.parametrize("f", [b_real, b_imag, b_conj], ids=lambda f: f.__name__)
@SETTINGS
@given(x=st.one_of(int64s, any_floats, complexes))
def test_real_imag_conjugate(f, x):
    check(f, x)


PRINT_SETTINGS = settings(max_examples=150 * SCALE, deadline=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture])

# --- print -----------------------------------------------------------------------------------

@PRINT_SETTINGS
@given(x=st.one_of(int64s, any_floats, bools, complexes, st.complex_numbers(),
                   st.sampled_from([0.0, -0.0, 1e16, 1e-5, 1e-4, 0.1, 1 / 3, 1e22,
                                    123456789012345680.0, math.inf, -math.inf,
                                    math.nan])))
def test_print_scalar(capsys, x):
    capsys.readouterr()
    p1(x)
    got = capsys.readouterr().out
    p1.py_func(x)
    expected = capsys.readouterr().out
    assert got == expected
    assert_compiled(p1)


@PRINT_SETTINGS
@given(a=int64s, b=any_floats, c=st.one_of(bools, complexes))
def test_print_several(capsys, a, b, c):
    capsys.readouterr()
    p3(a, b, c)
    got = capsys.readouterr().out
    p3.py_func(a, b, c)
    assert got == capsys.readouterr().out


def test_print_empty(capsys):
    capsys.readouterr()
    p_empty()
    assert capsys.readouterr().out == "\n"
    assert_compiled(p_empty)


def test_print_string_literal(capsys):
    capsys.readouterr()
    p_literal(42)
    p_literal(2.5)
    assert capsys.readouterr().out == "value: 42 done\nvalue: 2.5 done\n"


def test_print_interleaves_with_python_prints(capsys):
    capsys.readouterr()
    print("before")
    p1(7)
    print("after")
    assert capsys.readouterr().out == "before\n7\nafter\n"


@SETTINGS
@given(x=st.integers(-(10 ** 15), 10 ** 15), n=st.integers(-16, 3))
def test_round2_int(x, n):
    # round(int, n) is an int, halves to even
    check(b_round2, x, n)
