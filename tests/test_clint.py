"""A naive linter over csrc/*.c for pairing rules the C compiler cannot
check (after msgspec's test_cpylint.py).

- every file that calls pj_arena_new also calls pj_arena_free;
- no exit( / abort( calls;
- no printf / fprintf(stderr|stdout) / puts outside compile.c (the
  PYJIT_DUMP output) and diag.c;
- in each function, Py_BEGIN_ALLOW_THREADS and Py_END_ALLOW_THREADS come in
  pairs, in order, with no `return` between them;
- every stack slot of generated code is made by lower.c's pj_lower_alloca,
  which puts it in the entry block: no other function calls
  LLVMBuildAlloca or LLVMBuildArrayAlloca (an alloca built wherever the
  builder is runs again on each iteration of a loop around it).

Comments and string literals are blanked out before matching.
"""
import glob
import os
import re

import pytest

CSRC = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))), "csrc")
PRINT_ALLOWED = {"compile.c", "diag.c"}


def strip_c(text):
    """Comments and string/char literals replaced by spaces; newlines are
    kept so that line numbers stay right."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(c + re.sub(r"[^\n]", " ", text[i + 1:j - 1]) + c)
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def functions(code):
    """(name, first line, body text) of each top-level function body."""
    result = []
    depth = 0
    start = None
    for m in re.finditer(r"[{}]", code):
        if m.group() == "{":
            if depth == 0:
                start = m.start()
            depth += 1
        else:
            depth -= 1
            if depth == 0 and start is not None:
                head = code[max(0, start - 300):start]
                name = re.findall(r"(\w+)\s*\([^;{}]*\)\s*$", head)
                if name:
                    result.append((name[-1], code.count("\n", 0, start) + 1,
                                   code[start:m.end()]))
                start = None
    return result


def line_of(code, pos):
    return code.count("\n", 0, pos) + 1


# --- the checks, on one file's text; each returns a list of problems ---------

def check_arena(name, code):
    if name == "arena.c":       # the definitions
        return []
    news = len(re.findall(r"\bpj_arena_new\s*\(", code))
    frees = len(re.findall(r"\bpj_arena_free\s*\(", code))
    if news and not frees:
        return [f"{name}: pj_arena_new without pj_arena_free in the file"]
    return []


def check_exit(name, code):
    return [f"{name}:{line_of(code, m.start())}: {m.group(1)}() call"
            for m in re.finditer(r"(?<![\w.>])(exit|_exit|abort)\s*\(", code)]


def check_print(name, code):
    if name in PRINT_ALLOWED:
        return []
    pat = (r"(?<![\w.>])(printf\s*\(|puts\s*\(|"
           r"fprintf\s*\(\s*(stderr|stdout)|fputs\s*\([^;]*(stderr|stdout))")
    return [f"{name}:{line_of(code, m.start())}: {m.group(0).strip()}"
            for m in re.finditer(pat, code)]


def check_threads(name, code):
    problems = []
    for fname, line, body in functions(code):
        tokens = re.finditer(
            r"\b(Py_BEGIN_ALLOW_THREADS|Py_END_ALLOW_THREADS|return)\b", body)
        inside = False
        for m in tokens:
            where = f"{name}:{line + body.count(chr(10), 0, m.start())}"
            tok = m.group(1)
            if tok == "Py_BEGIN_ALLOW_THREADS":
                if inside:
                    problems.append(f"{where}: nested Py_BEGIN_ALLOW_THREADS"
                                    f" in {fname}")
                inside = True
            elif tok == "Py_END_ALLOW_THREADS":
                if not inside:
                    problems.append(f"{where}: Py_END_ALLOW_THREADS without"
                                    f" Py_BEGIN in {fname}")
                inside = False
            elif inside:
                problems.append(f"{where}: return between "
                                f"Py_BEGIN/END_ALLOW_THREADS in {fname}")
        if inside:
            problems.append(f"{name}:{line}: Py_BEGIN_ALLOW_THREADS without "
                            f"Py_END in {fname}")
    return problems


ALLOCA_HOME = ("lower.c", "pj_lower_alloca")


def check_alloca(name, code):
    spans = [(code.index(body), code.index(body) + len(body), fname)
             for fname, _, body in functions(code)]
    problems = []
    for m in re.finditer(r"\bLLVMBuild(Array)?Alloca\s*\(", code):
        inside = [f for start, end, f in spans if start <= m.start() < end]
        fname = inside[0] if inside else "(no function)"
        if (name, fname) != ALLOCA_HOME:
            problems.append(f"{name}:{line_of(code, m.start())}: "
                            f"{m.group(0).strip()} in {fname}: make stack "
                            f"slots with pj_lower_alloca")
    return problems


CHECKS = [check_arena, check_exit, check_print, check_threads, check_alloca]


def c_files():
    files = sorted(glob.glob(os.path.join(CSRC, "*.c")))
    assert files, CSRC
    return files


def lint(check):
    problems = []
    for path in c_files():
        with open(path, encoding="utf-8") as f:
            code = strip_c(f.read())
        problems += check(os.path.basename(path), code)
    return problems


# --- the tests on csrc -------------------------------------------------------

@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_csrc(check):
    problems = lint(check)
    assert not problems, "\n".join(problems)


def test_the_linter_sees_the_sources():
    names = {os.path.basename(p) for p in c_files()}
    assert {"compile.c", "diag.c", "arena.c", "dispatcher.c"} <= names
    # arenas are made somewhere, so the arena check is not vacuous
    assert any("pj_arena_new" in open(p).read() for p in c_files()
               if not p.endswith("arena.c"))


# --- the checks themselves catch what they should ----------------------------

def test_strip_c_blanks_comments_and_strings():
    code = strip_c('a(); /* exit(1) */ b("abort(") // printf(\nc();\n')
    assert "exit" not in code and "abort" not in code
    assert "printf" not in code
    assert code.count("\n") == 2 and "c();" in code


def test_check_arena_catches_missing_free():
    assert check_arena("x.c", "void f(void){ PjArena *a = pj_arena_new(); }")
    assert not check_arena("x.c", "void f(void){ PjArena *a = pj_arena_new();"
                                  " pj_arena_free(a); }")


def test_check_exit_catches_calls():
    assert check_exit("x.c", "void f(void){ exit(1); }")
    assert check_exit("x.c", "void f(void){ abort(); }")
    assert not check_exit("x.c", "void f(void){ Py_Exit_x(1); on_exit_ok(); }")
    assert not check_exit("x.c", "void f(void){ s->exit(1); }")


def test_check_print_catches_output():
    assert check_print("x.c", 'void f(void){ printf("x"); }')
    assert check_print("x.c", 'void f(void){ fprintf(stderr, "x"); }')
    assert check_print("x.c", 'void f(void){ fputs("x", stderr); }')
    assert not check_print("x.c", 'void f(void){ snprintf(b, 3, "x"); '
                                  'pj_buf_printf(b, "x"); }')
    assert not check_print("compile.c", 'void f(void){ fprintf(stderr, "x");'
                                        ' }')


def test_check_alloca_allows_only_pj_lower_alloca():
    home = ("LLVMValueRef\npj_lower_alloca(PjLower *lw, LLVMTypeRef t)\n{\n"
            "    return LLVMBuildAlloca(b, t, name);\n}\n")
    assert check_alloca("lower.c", home) == []
    assert check_alloca("builtins.c", home)
    loop = ("static void\nlower_x(PjLower *lw)\n{\n"
            "    LLVMValueRef s = LLVMBuildAlloca(lw->b, t, \"s\");\n}\n")
    assert check_alloca("lower.c", loop)
    assert check_alloca("arrays.c", loop.replace("Alloca", "ArrayAlloca"))
    # the one real call is where the check expects it
    with open(os.path.join(CSRC, "lower.c"), encoding="utf-8") as f:
        code = strip_c(f.read())
    body = [b for n, _, b in functions(code) if n == ALLOCA_HOME[1]]
    assert len(body) == 1 and "LLVMBuildAlloca" in body[0]


def test_check_threads_catches_bad_pairs():
    good = ("static int\nf(int x)\n{\n    Py_BEGIN_ALLOW_THREADS\n    x++;\n"
            "    Py_END_ALLOW_THREADS\n    return x;\n}\n")
    assert check_threads("x.c", good) == []
    unpaired = "int\nf(void)\n{\n    Py_BEGIN_ALLOW_THREADS\n    g();\n}\n"
    assert check_threads("x.c", unpaired)
    ret = ("int\nf(void)\n{\n    Py_BEGIN_ALLOW_THREADS\n    if (g())\n"
           "        return 1;\n    Py_END_ALLOW_THREADS\n    return 0;\n}\n")
    assert check_threads("x.c", ret)
    assert check_threads(
        "x.c", "int\nf(void)\n{\n    Py_END_ALLOW_THREADS\n}\n")
