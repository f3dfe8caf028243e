"""Golden tests for the IR printer and inspect_types.

Each tests/golden/*.py file holds jitted functions and, after each function,
blocks of expected output, every line prefixed with '# ':

    # >>> ir (int64, int64)          untyped IR (PYJIT_DUMP=ir)
    # >>> typed (int64, int64)       typed IR (PYJIT_DUMP=typed)
    # >>> annotate (int64, int64)    inspect_types(signature=(int64, int64))
    # >>> inspect_types add(1, 2); add(1.0, 2.0)
                                     run the statements, then inspect_types()
    ...
    # <<<

A block belongs to the nearest function defined above it.  Each file runs in
a fresh interpreter (PYJIT_DUMP is read once), which compiles each signature
with an explicit-signature dispatcher.  The file name is shown as
'golden/<name>.py'; object addresses as '0x...' (test_inspect.py checks that
the text has none).  `pytest --update-golden` rewrites the blocks.
"""
import ast
import io
import json
import os
import re
import subprocess
import sys

GOLDEN_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                          "golden")
KINDS = ("ir", "typed", "annotate", "inspect_types")
DUMP_TITLES = {"IR": "ir", "typed IR": "typed"}
BLOCK_START = re.compile(r"^# >>> (\w+) (.*)$")
BLOCK_END = "# <<<"


def golden_files():
    return sorted(f for f in os.listdir(GOLDEN_DIR)
                  if f.endswith(".py") and not f.startswith("_"))


def parse_blocks(path):
    """[(kind, arg, function name, start index, end index, expected lines)]
    where start/end index the '# >>>' and '# <<<' lines."""
    with open(path) as f:
        text = f.read()
    lines = text.splitlines()
    funcs = [(node.lineno, node.name)
             for node in ast.parse(text).body
             if isinstance(node, ast.FunctionDef)]
    blocks = []
    i = 0
    while i < len(lines):
        m = BLOCK_START.match(lines[i])
        if not m:
            i += 1
            continue
        kind, arg = m.group(1), m.group(2).strip()
        assert kind in KINDS, f"{path}:{i + 1}: unknown block kind {kind!r}"
        owners = [name for lineno, name in funcs if lineno <= i + 1]
        assert owners, f"{path}:{i + 1}: block before any function"
        j = i + 1
        while j < len(lines) and lines[j] != BLOCK_END:
            assert lines[j] == "#" or lines[j].startswith("# "), \
                f"{path}:{j + 1}: block line without '# ' prefix"
            j += 1
        assert j < len(lines), f"{path}:{i + 1}: block not closed"
        expected = [ln[2:] for ln in lines[i + 1:j]]
        blocks.append((kind, arg, owners[-1], i, j, expected))
        i = j + 1
    return blocks


def normalize(text, path):
    text = text.replace(path, "golden/" + os.path.basename(path))
    text = re.sub(r" at 0x[0-9a-fA-F]+", " at 0x...", text)
    lines = [ln.rstrip() for ln in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return lines


def parse_dumps(text):
    """{(stage, 'name (sig)'): text} from PYJIT_DUMP output; the first dump
    of each wins."""
    out = {}
    key, body = None, []
    header = re.compile(r"^---- (.+?): (.+) ----$")

    def flush():
        if key is not None and key not in out:
            out[key] = "\n".join(body)

    for line in text.splitlines():
        m = header.match(line)
        if m:
            flush()
            stage = DUMP_TITLES.get(m.group(1))
            key = (stage, m.group(2)) if stage else None
            body = []
        elif key is not None:
            body.append(line)
    flush()
    return out


# --- the runner (a fresh interpreter per golden file) -----------------------

def run_golden_file(path):
    """Compile what the blocks of `path` ask for; print {index: text} as
    JSON.  Dumps go to fd 2, which is redirected into a file and parsed."""
    import importlib.util
    import tempfile

    import pyjit
    from pyjit import types

    namespace = {k: getattr(types, k) for k in dir(types)}
    spec = importlib.util.spec_from_file_location(
        "golden_" + os.path.basename(path)[:-3], path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    errfile = tempfile.TemporaryFile(mode="w+")
    saved = os.dup(2)
    os.dup2(errfile.fileno(), 2)
    results = {}
    pending = []
    try:
        for index, (kind, arg, fname, *_rest) in enumerate(parse_blocks(path)):
            disp = getattr(module, fname)
            try:
                if kind == "inspect_types":
                    exec(arg, module.__dict__)
                    buf = io.StringIO()
                    disp.inspect_types(file=buf)
                    results[index] = buf.getvalue()
                    continue
                sig = eval(arg, {"__builtins__": {}}, namespace)
                assert isinstance(sig, tuple), arg
                fresh = pyjit.njit(sig)(disp.py_func)
                if kind == "annotate":
                    buf = io.StringIO()
                    fresh.inspect_types(file=buf, signature=sig)
                    results[index] = buf.getvalue()
                else:
                    sigtext = "(" + ", ".join(map(str, sig)) + ")"
                    pending.append((index, kind, f"{fname} {sigtext}"))
            except Exception as e:
                results[index] = f"ERROR {type(e).__name__}: {e}"
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
    errfile.seek(0)
    dumps = parse_dumps(errfile.read())
    for index, kind, key in pending:
        results.setdefault(index, dumps.get((kind, key),
                                            f"MISSING dump {kind}: {key}"))
    print(json.dumps(results))


def actual_outputs(path):
    env = dict(os.environ, PYJIT_DUMP="ir,typed")
    env.pop("PYJIT_DISABLE_JIT", None)
    proc = subprocess.run(
        [sys.executable, os.path.abspath(__file__), path],
        capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return {int(k): v for k, v in json.loads(proc.stdout).items()}


def rewrite(path, blocks, actual):
    with open(path) as f:
        lines = f.read().splitlines()
    for index in reversed(range(len(blocks))):
        _kind, _arg, _fname, start, end, _expected = blocks[index]
        new = ["# " + ln if ln else "#"
               for ln in normalize(actual[index], path)]
        lines[start + 1:end] = new
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


# --- the tests ---------------------------------------------------------------

if __name__ != "__main__":
    import pytest

    @pytest.mark.parametrize("name", golden_files())
    def test_golden(name, update_golden):
        path = os.path.join(GOLDEN_DIR, name)
        blocks = parse_blocks(path)
        assert blocks, f"{name} has no blocks"
        actual = actual_outputs(path)
        if update_golden:
            # Blocks above a function move its line numbers: repeat until
            # the file no longer changes.
            for _ in range(4):
                before = open(path).read()
                rewrite(path, blocks, actual)
                if open(path).read() == before:
                    return
                blocks = parse_blocks(path)
                actual = actual_outputs(path)
            raise AssertionError(f"{name}: golden output does not settle")
        failures = []
        for index, (kind, arg, fname, start, _end, expected) in \
                enumerate(blocks):
            got = normalize(actual[index], path)
            if got != expected:
                import difflib
                diff = "\n".join(difflib.unified_diff(
                    expected, got, "expected", "actual", lineterm=""))
                failures.append(
                    f"{name}:{start + 1}: {kind} {arg} of {fname}\n{diff}")
        assert not failures, \
            "\n\n".join(failures) + "\n(pytest --update-golden rewrites)"

    def test_golden_files_cover_the_constructs():
        text = "".join(open(os.path.join(GOLDEN_DIR, n)).read()
                       for n in golden_files())
        for construct in ("for ", "while ", "break", "if ", "else:",
                          "return (", "square(a)"):
            assert construct in text
        for kind in KINDS:
            assert f"# >>> {kind} " in text

    def test_block_parser():
        import tempfile
        src = ("from pyjit import njit\n\n@njit\ndef f(a):\n    return a\n"
               "# >>> typed (int64,)\n# label 0\n#\n#   x\n# <<<\n")
        with tempfile.NamedTemporaryFile("w", suffix=".py",
                                         delete=False) as f:
            f.write(src)
        try:
            blocks = parse_blocks(f.name)
        finally:
            os.unlink(f.name)
        assert blocks == [("typed", "(int64,)", "f", 5, 9,
                           ["label 0", "", "  x"])]

    def test_dump_parser():
        text = ("---- IR: f (int64,) ----\nlabel 0\n  a\n\n"
                "---- LLVM IR: f (int64,) ----\n; x\n"
                "---- typed IR: f (int64,) ----\nlabel 0\n")
        assert parse_dumps(text) == {("ir", "f (int64,)"): "label 0\n  a\n",
                                     ("typed", "f (int64,)"): "label 0"}

if __name__ == "__main__":
    run_golden_file(os.path.abspath(sys.argv[1]))
