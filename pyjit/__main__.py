"""python -m pyjit --annotate-html report.html script.py [args...]
python -m pyjit run script.py [args...]
python -m pyjit -s | --sysinfo

The first runs the script as __main__ and then writes an HTML report of
every function it jitted: each signature's source lines with the typed IR
they produced, lines that run in object mode marked, lifted loops beside
their function (Numba's `numba --annotate-html`).  `run` runs a program
written for Numba with pyjit standing in for it (`import numba` gives
pyjit: pyjit/_numba_alias.py).  The last prints what pyjit runs on
(Numba's `numba -s`).
"""
import argparse
import os
import runpy
import sys
import traceback


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] in ("-s", "--sysinfo"):
        if len(argv) > 1:
            sys.stderr.write(f"python -m pyjit {argv[0]} takes no arguments;"
                             f" got {' '.join(argv[1:])}\n")
            return 2
        from . import _sysinfo
        return _sysinfo.main()
    if argv and argv[0] == "run":
        return run(argv[1:])
    parser = argparse.ArgumentParser(
        prog="python -m pyjit",
        description="Run a script and report how pyjit compiled its "
                    "functions.  (python -m pyjit -s prints the system "
                    "information.)")
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


def run(argv):
    """python -m pyjit run script.py [args]: the script as __main__, with
    `import numba` answered by pyjit."""
    if not argv or argv[0].startswith("-"):
        sys.stderr.write("usage: python -m pyjit run script.py [args...]\n")
        return 2
    script = argv[0]
    if not os.path.isfile(script):
        sys.stderr.write(f"python -m pyjit run: cannot run {script!r}: "
                         f"no such file\n")
        return 2
    from ._numba_alias import install_numba_alias
    install_numba_alias()
    sys.argv = list(argv)
    sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
    runpy.run_path(script, run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main())
