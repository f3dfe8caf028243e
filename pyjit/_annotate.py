"""The HTML report of `python -m pyjit --annotate-html`.

It reads what inspect_types prints for each specialization of each
dispatcher the run created, and lays it out as a table of source lines:
lines whose IR holds a `pyobject` run in object mode (red), lines with
typed IR run as native code (green); a line's IR unfolds under it.
"""
import html
import io
import re

from . import decorators

_LINE = re.compile(r"^(\s*)# --- LINE (\d+) --- $")

_CSS = """
body { font-family: sans-serif; margin: 2em; }
h2 { font-size: 1.1em; margin-top: 2em; }
.mode { font-size: 0.8em; padding: 0.1em 0.5em; border-radius: 0.3em; }
.mode.native { background: #cfc; } .mode.object { background: #fcc; }
table { border-collapse: collapse; width: 100%; }
td { vertical-align: top; padding: 0 0.5em; font-family: monospace;
     white-space: pre; }
td.num { color: #888; text-align: right; width: 3em; }
tr.object td.src { background: #fdd; } tr.native td.src { background: #dfd; }
details summary { cursor: pointer; } details pre { color: #555; margin: 0; }
p.note { font-style: italic; }
"""


_NOTE = re.compile(r"^# (The loop at line|No loop lifting)")


def parse_annotation(text):
    """(lines, notes) of one signature's inspect_types text: lines is a
    list of (number, source, [IR lines]); notes say what became of the
    lifted loops (whose own annotations follow them, and are skipped)."""
    rows = []
    lines = text.splitlines()
    notes = [ln[2:] for ln in lines if _NOTE.match(ln)]
    i = 0
    while i < len(lines) and not _NOTE.match(lines[i]):
        m = _LINE.match(lines[i])
        i += 1
        if m is None:
            continue
        indent, number = m.group(1), int(m.group(2))
        ir = []
        while i < len(lines) and lines[i].startswith(indent + "# "):
            ir.append(lines[i][len(indent) + 2:])
            i += 1
        i += 1                          # the empty line before the source
        source = lines[i] if i < len(lines) else ""
        rows.append((number, source, ir))
        i += 2                          # the source and the empty line
    return rows, notes


def _row_class(ir):
    if any(":: pyobject" in line for line in ir):
        return "object"
    return "native" if any("::" in line for line in ir) else "plain"


def _section(out, title, objmode, text, native_lines=()):
    """One signature's table; native_lines: lines of lifted loops that
    compiled, which run as native code even in an object-mode function."""
    rows, notes = parse_annotation(text)
    mode = "object" if objmode else "native"
    out.write(f"<h2>{html.escape(title)} <span class='mode {mode}'>"
              f"{'object mode' if objmode else 'nopython'}</span></h2>\n")
    out.write("<table>\n")
    for number, source, ir in rows:
        cls = "native" if number in native_lines and ir else _row_class(ir)
        src = html.escape(source) or "&nbsp;"
        if ir:
            src = (f"<details><summary>{src}</summary><pre>"
                   f"{html.escape(chr(10).join(ir))}</pre></details>")
        out.write(f"<tr class='{cls}'><td class='num'>{number}</td>"
                  f"<td class='src'>{src}</td></tr>\n")
    out.write("</table>\n")
    for note in notes:
        out.write(f"<p class='note'>{html.escape(note.rstrip(':'))}</p>\n")


def _annotation(disp, sig):
    buf = io.StringIO()
    disp.inspect_types(file=buf, signature=sig)
    text = buf.getvalue()
    start = text.find("\n# File: ")
    return text[start + 1:] if start >= 0 else text


def _diagnostics(out, disp, sig):
    """The loops that run on threads and the array expressions fused into
    one loop (parallel_diagnostics at level 3), folded under the table."""
    buf = io.StringIO()
    disp.parallel_diagnostics(signature=sig, level=3, file=buf)
    body = buf.getvalue().split("=" * 80 + "\n")[-1]
    out.write(f"<details class='note'><summary>parallel diagnostics"
              f"</summary><pre>{html.escape(body)}</pre></details>\n")


def _report_dispatcher(out, disp, title=None):
    sections = 0
    name = title or disp.py_func.__qualname__
    for sig, cres in disp.overloads.items():
        native = set()
        for loop in cres.lifted:
            if loop.signatures:
                first, last = loop.py_func.__pyjit_source__[3:5]
                native.update(range(first, last + 1))
        _section(out, f"{name} {sig}", cres.objectmode,
                 _annotation(disp, sig), native)
        if not cres.objectmode:
            _diagnostics(out, disp, sig)
        sections += 1
        for loop in cres.lifted:
            line = loop.py_func.__pyjit_source__[3]
            sections += _report_dispatcher(
                out, loop, f"{name}: the loop at line {line}, lifted")
    return sections


def write_html(path, script):
    """Writes the report; returns how many functions it describes."""
    out = io.StringIO()
    out.write("<!DOCTYPE html>\n<html><head><meta charset='utf-8'>"
              f"<title>pyjit annotation of {html.escape(script)}</title>"
              f"<style>{_CSS}</style></head><body>\n"
              f"<h1>pyjit annotation of {html.escape(script)}</h1>\n")
    count = 0
    for disp in decorators.dispatchers():
        if disp.signatures:
            _report_dispatcher(out, disp)
        else:
            out.write(f"<h2>{html.escape(disp.py_func.__qualname__)}</h2>\n"
                      "<p class='note'>not compiled: it was not called, or "
                      "its compilation failed</p>\n")
        count += 1
    out.write("</body></html>\n")
    with open(path, "w", encoding="utf-8") as f:
        f.write(out.getvalue())
    return count
