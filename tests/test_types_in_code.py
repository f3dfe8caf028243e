"""Array types spelled in compiled code: `types.float64[:]`,
`types.int32[:, ::1]` and the like, as Numba allows for
`List.empty_list(...)` and `Dict.empty(...)` inside a jitted function.
The subscript is evaluated when the function compiles and names the same
type as the one spelled in Python."""
import importlib.util
import itertools

import numpy as np
import pytest

import pyjit
from pyjit import njit, typed, typeof, types

from difftest import assert_compiled

ELEMENTS = ("bool_", "float64", "uint8", "complex128", "int32")
INDEXES = (":", "::1", ":, :", ":, ::1", "::1, :", ":, :, ::1", ":, :, :")


def load(tmp_path, name, source):
    """The module of `source`, written to a file (pyjit compiles from
    source text)."""
    path = tmp_path / f"{name}.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("element, index",
                         list(itertools.product(ELEMENTS, INDEXES)))
def test_list_of_a_type_spelled_in_code(tmp_path, element, index):
    module = load(tmp_path, "spelled", f"""
from pyjit import njit, typed, types

@njit
def make():
    ty = types.{element}[{index}]
    return typed.List.empty_list(ty)
""")
    want = eval(f"types.{element}[{index}]", {"types": types})
    got = module.make()
    assert typeof(got) == typeof(typed.List.empty_list(want))
    assert len(got) == 0
    assert_compiled(module.make)


@njit
def arrays_by_name(n):
    d = typed.Dict.empty(key_type=types.unicode_type,
                         value_type=types.float64[:])
    d["posx"] = np.arange(n).astype(np.float64)
    d["posy"] = np.arange(n, 2 * n).astype(np.float64)
    return d


@pytest.mark.parametrize("n", [0, 1, 3, 10])
def test_dict_of_arrays_spelled_in_code(n):
    d = arrays_by_name(n)
    assert sorted(d.keys()) == ["posx", "posy"]
    np.testing.assert_array_equal(d["posx"], np.arange(n, dtype=np.float64))
    np.testing.assert_array_equal(d["posy"],
                                  np.arange(n, 2 * n, dtype=np.float64))
    assert typeof(d) == types.DictType(types.unicode_type, types.float64[:])
    assert_compiled(arrays_by_name)


@njit
def rows_of(a):
    rows = typed.List.empty_list(types.float64[::1])
    for i in range(a.shape[0]):
        rows.append(a[i].copy())
    total = 0.0
    for r in rows:
        total += r.sum()
    return total, len(rows)


@pytest.mark.parametrize("shape", [(0, 3), (1, 1), (4, 5)])
def test_list_of_rows_is_used(shape):
    a = np.random.default_rng(7).random(shape)
    total, n = rows_of(a)
    assert n == shape[0]
    assert total == pytest.approx(a.sum())
    assert_compiled(rows_of)


@njit
def subscript_at_run_time(n):
    return typed.List.empty_list(types.float64[n])


def test_a_subscript_known_only_at_run_time_is_refused():
    with pytest.raises(pyjit.errors.TypingError,
                       match=r"No implementation of getitem for "
                             r"\(Function\(float64\), int64\)"):
        subscript_at_run_time(3)
