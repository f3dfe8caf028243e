"""python -m pyjit --annotate-html report.html script.py [args...]

Runs the script as __main__ and then writes an HTML report of every
function it jitted: each signature's source lines with the typed IR they
produced, lines that run in object mode marked, lifted loops beside their
function (Numba's `numba --annotate-html`).
"""
import argparse
import os
import runpy
import sys
import traceback


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m pyjit",
        description="Run a script and report how pyjit compiled its "
                    "functions.")
    parser.add_argument("--annotate-html", metavar="OUT.html", required=True,
                        help="write the HTML type annotation of every "
                             "jitted function to this file")
    parser.add_argument("script", help="the Python script to run")
    parser.add_argument("args", nargs=argparse.REMAINDER,
                        help="arguments passed on to the script")
    opts = parser.parse_args(argv)
    if not os.path.isfile(opts.script):
        parser.error(f"cannot run {opts.script!r}: no such file")

    from . import _annotate
    sys.argv = [opts.script] + opts.args
    status = 0
    try:
        runpy.run_path(opts.script, run_name="__main__")
    except SystemExit as e:
        status = e.code
    except BaseException as e:      # report what compiled, then fail
        traceback.print_exception(type(e), e, e.__traceback__.tb_next)
        status = 1
    count = _annotate.write_html(opts.annotate_html, opts.script)
    print(f"pyjit: wrote the annotation of {count} function"
          f"{'' if count == 1 else 's'} to {opts.annotate_html}",
          file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
