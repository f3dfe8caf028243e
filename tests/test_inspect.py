"""inspect_types, inspect_llvm and inspect_asm through the public API.
(test_golden.py holds the full expected text of more functions.)"""
import io
import re

import pytest

from pyjit import float64, int64, jit, njit

DASHES = "-" * 80
EQUALS = "=" * 80


@jit
def add(a, b):
    return a + b


def add_expected(first_line, argtype):
    """The layout of Numba's inspect_types, for add."""
    return "\n".join([
        f"add ({argtype}, {argtype})",
        DASHES,
        f"# File: {__file__}",
        f"# --- LINE {first_line} --- ",
        "",
        "@jit",
        "",
        f"# --- LINE {first_line + 1} --- ",
        "",
        "def add(a, b):",
        "",
        f"    # --- LINE {first_line + 2} --- ",
        "    # label 0",
        f"    #   a = arg(0, name=a)  :: {argtype}",
        f"    #   b = arg(1, name=b)  :: {argtype}",
        f"    #   $0.1 = a + b  :: {argtype}",
        f"    #   $0.2 = cast(value=$0.1)  :: {argtype}",
        "    #   return $0.2",
        "",
        "    return a + b",
        "",
        "",
        EQUALS,
        "",
    ])


def test_inspect_types_layout_of_add(capsys):
    add(1, 2)
    add(1.0, 2.0)
    assert add.inspect_types() is None
    out = capsys.readouterr().out
    first = add.py_func.__code__.co_firstlineno
    assert out == add_expected(first, "int64") + add_expected(first, "float64")


def test_inspect_types_to_file_and_for_one_signature():
    add(1, 2)
    add(1.0, 2.0)
    first = add.py_func.__code__.co_firstlineno
    buf = io.StringIO()
    assert add.inspect_types(file=buf, signature=(float64, float64)) is None
    assert buf.getvalue() == add_expected(first, "float64")
    buf = io.StringIO()
    add.inspect_types(file=buf, signature=(int64, int64))
    assert buf.getvalue() == add_expected(first, "int64")
    buf = io.StringIO()
    add.inspect_types(file=buf)
    assert buf.getvalue() == add_expected(first, "int64") + \
        add_expected(first, "float64")


def test_inspect_types_before_any_compile():
    @njit
    def nothing_yet(a):
        return a

    buf = io.StringIO()
    assert nothing_yet.inspect_types(file=buf) is None
    assert "nothing_yet (" not in buf.getvalue()


def test_inspect_types_of_explicit_signature():
    @njit("float64(float64)")
    def half(x):
        return x / 2

    buf = io.StringIO()
    half.inspect_types(file=buf)
    text = buf.getvalue()
    assert text.startswith("half (float64,)\n" + DASHES + "\n")
    assert "x = arg(0, name=x)  :: float64" in text
    assert text.endswith(EQUALS + "\n")


@njit
def square(x):
    return x * x


@njit
def call_square(a):
    return square(a) + 1


def test_inspect_types_has_no_object_addresses():
    # The printed IR is deterministic, with no pointers, so that golden
    # files and diffs stay stable between runs.
    call_square(2)
    buf = io.StringIO()
    call_square.inspect_types(file=buf)
    text = buf.getvalue()
    assert "square" in text
    assert not re.search(r"0x[0-9a-fA-F]{4,}", text), text


# --- inspect_llvm ------------------------------------------------------------

def define_names(llvm_text):
    return re.findall(r'^define [^@]*@"?([^"(]+)"?\(', llvm_text, re.M)


def test_inspect_llvm_dict_keyed_by_signature():
    add(1, 2)
    add(1.0, 2.0)
    llvm = add.inspect_llvm()
    assert isinstance(llvm, dict)
    assert list(llvm) == add.signatures
    assert (int64, int64) in llvm and (float64, float64) in llvm
    for sig, text in llvm.items():
        assert isinstance(text, str)
        names = define_names(text)
        wrappers = [n for n in names if n.startswith("cpython.")]
        natives = [n for n in names if not n.startswith("cpython.")]
        assert len(wrappers) == 1, names
        assert natives, names
        assert wrappers[0] == "cpython." + natives[0]
        assert add.overloads[sig].native_name in natives
    assert re.search(r"\badd nsw i64\b", llvm[(int64, int64)])
    assert re.search(r"\bfadd double\b", llvm[(float64, float64)])


def test_inspect_llvm_one_signature_is_a_string():
    add(1, 2)
    text = add.inspect_llvm((int64, int64))
    assert isinstance(text, str)
    assert text == add.inspect_llvm()[(int64, int64)]
    assert text == add.inspect_llvm(signature=(int64, int64))


def test_inspect_llvm_of_a_caller_inlines_the_callee():
    call_square(3)
    text = call_square.inspect_llvm(call_square.signatures[0])
    assert "mul" in text   # square's body is linked in and inlined


# --- inspect_asm -------------------------------------------------------------

def test_inspect_asm_dict_keyed_by_signature():
    add(1, 2)
    add(1.0, 2.0)
    asm = add.inspect_asm()
    assert isinstance(asm, dict)
    assert list(asm) == add.signatures
    for sig, text in asm.items():
        native = add.overloads[sig].native_name
        # labels of both functions, and host instructions
        assert re.search(rf"^{re.escape(native)}:", text, re.M), text
        assert re.search(rf"^cpython\.{re.escape(native)}:", text, re.M), text
        assert "ret" in text or "jmp" in text
    assert "sd" in asm[(float64, float64)]   # an SSE/AVX double instruction


def test_inspect_asm_one_signature_is_a_string():
    add(1.0, 2.0)
    text = add.inspect_asm((float64, float64))
    assert isinstance(text, str)
    assert text == add.inspect_asm()[(float64, float64)]
    assert text == add.inspect_asm(signature=(float64, float64))


def test_inspect_of_uncompiled_signature_raises():
    add(1, 2)
    with pytest.raises(KeyError):
        add.inspect_llvm((int64,))
    with pytest.raises(KeyError):
        add.inspect_asm((int64,))
