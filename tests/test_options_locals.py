"""locals={'x': type}: the declared variables keep their type, and what is
stored into them converts to it as Numba converts (numba 0.68's results
are the expected values here)."""
import math

import numpy as np
import pytest
from hypothesis import given
import hypothesis.strategies as st

import pyjit
from pyjit import float32, float64, int32, int64, njit, types, uint8

from difftest import FEW, assert_compiled, mod_floats, small_ints
from test_process import ROOT


def f32(x):
    return float(np.float32(x))


def test_int_into_float64_local_makes_a_float64_result():
    @njit(locals={"x": float64})
    def f(a):
        x = a
        return x

    assert f(3) == 3.0 and isinstance(f(3), float)
    assert f.nopython_signatures[0].return_type == float64


@given(small_ints)
@FEW
def test_int_local_truncates_a_float(a):
    @njit(locals={"x": int64})
    def f(v):
        x = v
        return x

    value = a + 0.75
    assert f(value) == int(value)
    assert f.overloads[(float64,)].return_type == int64
    assert_compiled(f)


@given(mod_floats)
@FEW
def test_float32_local_rounds_every_store(a):
    @njit(locals={"x": float32})
    def f(v):
        x = v * 2
        x += 1.1
        return x

    expected = f32(f32(a * 2) + 1.1)
    assert f(a) == expected or (math.isnan(expected) and math.isnan(f(a)))
    assert f.overloads[(float64,)].return_type == float32
    assert_compiled(f)


def test_float32_accumulator_in_a_loop():
    @njit(locals={"x": float32})
    def f(n):
        x = 0
        for i in range(n):
            x += 0.1
        return x

    expected = 0.0
    for _ in range(10):
        expected = f32(expected + 0.1)
    assert f(10) == expected == 1.0000001192092896


@given(st.integers(-2 ** 40, 2 ** 40))
@FEW
def test_int32_local_wraps(a):
    @njit(locals={"x": int32})
    def f(v):
        x = v
        return x

    assert f(a) == int(np.array(a).astype(np.int32))
    assert f.overloads[(int64,)].return_type == int32


def test_uint8_local_then_arithmetic_is_int64():
    @njit(locals={"x": uint8})
    def f(a):
        x = a
        return x + 1

    assert f(255) == 256 and f(256) == 1
    assert f.overloads[(int64,)].return_type == int64


def test_bool_local_takes_the_truth_of_an_int():
    @njit(locals={"x": types.boolean})
    def f(a):
        x = a
        return x

    assert f(3) is True and f(0) is False


def test_argument_declared_as_float64():
    @njit(locals={"a": float64})
    def f(a):
        return a

    assert f(2) == 2.0 and isinstance(f(2), float)
    assert f.nopython_signatures[0].args == (int64,)


def test_loop_variable_declared_uint32():
    @njit(locals={"i": types.uint32})
    def f(n):
        s = 0
        for i in range(n):
            s += i
        return s, i

    assert f(5) == (10, 4)
    assert f.overloads[(int64,)].return_type == types.Tuple((int64,
                                                            types.uint32))


def test_tuple_local_converts_item_by_item():
    @njit(locals={"x": types.Tuple((int64, float64))})
    def f(a):
        x = (a, a)
        return x

    assert f(1) == (1, 1.0) and isinstance(f(1)[1], float)


def test_unpacking_into_declared_locals():
    @njit(locals={"x": float64, "y": int64})
    def f(a, b):
        x, y = a, b
        return x, y

    assert f(1, 2.5) == (1.0, 2)


def test_a_variable_assigned_an_int_then_a_float_stays_declared():
    @njit(locals={"x": float64})
    def f(a):
        x = -1
        if a:
            x = a
        return x

    assert f(0) == -1.0 and f(4) == 4.0


def test_array_local():
    @njit(locals={"x": float64[:]})
    def f(a):
        x = a
        return x.sum()

    assert f(np.arange(3.0)) == 3.0


def test_type_given_as_a_string():
    @njit(locals={"x": "float32"})
    def f(a):
        x = a
        return x

    assert f(0.1) == f32(0.1)
    assert f.overloads[(float64,)].return_type == float32


def test_unknown_local_is_ignored():
    @njit(locals={"nope": float32})
    def f(a):
        x = a
        return x

    assert f(1) == 1 and f.nopython_signatures[0].return_type == int64


@pytest.mark.parametrize("body, message", [
    ("x = a * 1j", "No conversion from complex128 to float64 for 'x'"),
    ("x = None", "No conversion from none to float64 for 'x'"),
    ("x = (a, a)", "No conversion from UniTuple(int64 x 2) to float64 for "
                   "'x'"),
])
def test_a_value_that_does_not_convert_is_a_typing_error(tmp_path, body,
                                                           message):
    path = tmp_path / "bad_local.py"
    path.write_text("from pyjit import njit, float64\n"
                    "@njit(locals={'x': float64})\n"
                    "def f(a):\n"
                    f"    {body}\n"
                    "    return x\n")
    namespace = {}
    exec(compile(path.read_text(), str(path), "exec"), namespace)
    with pytest.raises(pyjit.TypingError) as e:
        namespace["f"](1)
    assert message in str(e.value)
    assert "declared in locals=" in str(e.value)


@pytest.mark.parametrize("locals_, message", [
    ([("x", float64)], "locals must be a dict"),
    ({"x": "float99"}, "locals['x']: invalid type 'float99'"),
    ({"x": 3}, "is not a pyjit type"),
    ({1: float64}, "is not a pyjit type"),
])
def test_bad_locals_are_refused_when_decorating(locals_, message):
    with pytest.raises(TypeError, match=message.replace("[", r"\[")
                       .replace("(", r"\(")):
        @njit(locals=locals_)
        def f(a):
            return a


def test_locals_travel_with_a_pickled_closure(tmp_path):
    from test_process import check, run_python
    proc = check(run_python("""
        import pickle, subprocess, sys
        from pyjit import njit, float32

        def make():
            @njit(locals={"x": float32})
            def f(a):
                x = a
                return x
            return f

        f = make()
        assert f.targetoptions["locals"] == {"x": float32}
        data = pickle.dumps(f)
        out = subprocess.run(
            [sys.executable, "-c",
             "import pickle, sys; f = pickle.loads(sys.stdin.buffer.read());"
             "print(f(0.1), f.targetoptions['locals'])"],
            input=data, capture_output=True, check=True)
        print(out.stdout.decode().strip())
    """, env={"PYTHONPATH": ROOT}, tmp_path=str(tmp_path)))
    assert proc.stdout.strip() == "0.10000000149011612 {'x': float32}"
