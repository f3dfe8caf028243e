"""Functions whose source exists only in the compile() call that made them:
a string run by exec() under a name that is not a file, or a syntax tree a
library built and compiled (numbagg rewrites its reductions' trees).
pyjit compiles from source, so it keeps the latest texts and trees
compile() is given once it is imported, and takes a function's from them
when that text or tree compiles to the function's own code object."""
import ast
import subprocess
import sys
import textwrap

import numpy as np
from hypothesis import given, settings, strategies as st

from difftest import assert_compiled
from pyjit import guvectorize, njit
from test_process import ROOT


def run_block(text, name):
    namespace = {"np": np, "njit": njit, "guvectorize": guvectorize}
    exec(compile(textwrap.dedent(text), name, "exec"), namespace)
    return namespace


def test_a_function_exec_d_from_a_string_compiles():
    ns = run_block("""
        @njit
        def nansum(a):
            s = 0.0
            for x in a:
                if not np.isnan(x):
                    s += x
            return s
        """, "README.md:block3")
    a = np.array([1.0, 2.0, np.nan, 4.0])
    assert ns["nansum"](a) == 7.0
    assert_compiled(ns["nansum"])


@settings(max_examples=25, deadline=None)
@given(st.integers(-50, 50), st.integers(1, 9))
def test_texts_run_under_one_name_are_told_apart(x, k):
    # each exec of "<string>" defines a different body at the same line:
    # the text whose compilation is the function's own code is the one
    f = run_block(f"""
        @njit
        def scaled(x):
            return x * {k} + 1
        """, "<string>")["scaled"]
    g = run_block(f"""
        @njit
        def scaled(x):
            return x - {k}
        """, "<string>")["scaled"]
    assert (f(x), g(x)) == (x * k + 1, x - k)
    assert_compiled(f)
    assert_compiled(g)


class NanToZero(ast.NodeTransformer):
    """Rewrites `x` in `total += x` into `0.0 if np.isnan(x) else x`, as a
    library that generates variants of a kernel from its tree would."""

    def visit_AugAssign(self, node):
        value = ast.parse("0.0 if np.isnan(x) else x", mode="eval").body
        value.body = ast.Constant(0.0)
        value.test.args = [node.value]
        value.orelse = node.value
        node.value = value
        return ast.copy_location(node, node)


KERNEL = '''
def total_of(a):
    total = 0.0
    for i in range(a.shape[0]):
        total += a[i]
    return total
'''


def built_from_tree():
    tree = ast.fix_missing_locations(NanToZero().visit(ast.parse(KERNEL)))
    scope = {}
    exec(compile(tree, "<ast>", "exec"), {"np": np}, scope)
    return scope["total_of"]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.one_of(st.floats(-1e6, 1e6), st.just(float("nan"))),
                max_size=30))
def test_a_function_compiled_from_a_built_tree_compiles(values):
    py = built_from_tree()
    jitted = njit(py)
    a = np.array(values, dtype=np.float64)
    assert jitted(a) == py(a)
    assert_compiled(jitted)


def test_a_gufunc_from_a_built_tree():
    tree = ast.parse(textwrap.dedent("""
        def reduce_max(a, out):
            m = -np.inf
            for x in a:
                if x > m:
                    m = x
            out[0] = m
        """))
    scope = {}
    exec(compile(tree, "<ast>", "exec"), {"np": np}, scope)
    g = guvectorize(["void(float64[:], float64[:])"], "(n)->()")(
        scope["reduce_max"])
    a = np.array([[1.0, 5.0, 2.0], [7.0, 3.0, 4.0]])
    assert np.array_equal(g(a), a.max(axis=1))


def test_a_text_compiled_before_pyjit_was_imported_is_reported():
    script = textwrap.dedent("""
        ns = {}
        exec(compile("def f(x):\\n    return x + 1\\n", "<made>", "exec"), ns)
        import pyjit
        try:
            pyjit.njit(ns["f"])(1)
        except pyjit.errors.UnsupportedError as e:
            print(e)
        """)
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "cannot find the source code of f (file '<made>')" in out.stdout


def test_a_function_of_python_dash_c_compiles():
    """`python -c` code was compiled before pyjit was imported; the
    interpreter's command line has its text."""
    script = textwrap.dedent("""
        import numpy as np, pyjit
        exec(compile("z = 1", "<string>", "exec"))  # another <string> text

        @pyjit.njit
        def total(a):
            s = 0.0
            for x in a:
                s += x * x
            return s

        print(total(np.arange(4.0)), total.signatures)
        """)
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("14.0 [(array(float64, 1d, C),)]"), out.stdout


def test_a_string_text_not_found_is_not_called_changed():
    """Under '<string>', texts of other code are no sign that the
    function's changed: the error says its source is not found."""
    script = textwrap.dedent("""
        ns = {}
        exec(compile("def f(x):\\n    return x + 1\\n", "<string>", "exec"),
             ns)
        import pyjit
        exec(compile("z = 1", "<string>", "exec"))
        try:
            pyjit.njit(ns["f"])(1)
        except pyjit.errors.PyjitError as e:
            print(type(e).__name__, e)
        """)
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("UnsupportedError pyjit cannot find the "
                                 "source code of f (file '<string>')")
