"""Build the pyjit._core extension.

Everything else about the package lives in pyproject.toml; this file only
knows how to find LLVM 19 and link it.

Environment switches:
  LLVM_CONFIG        path of the llvm-config to use (default: llvm-config-19,
                     then /usr/lib/llvm-19/bin/llvm-config, then llvm-config
                     if it reports version 19)
  PYJIT_LLVM_SHARED  1: link the shared libLLVM-19 (fast relinks while
                     developing; importing costs about 20 ms instead of 6)
  PYJIT_DEBUG        1: -O0 -g, assertions on, arena allocates per object
  PYJIT_SANITIZE     1: AddressSanitizer + UndefinedBehaviorSanitizer
  PYJIT_WERROR       1: warnings are errors
"""
import glob
import os
import shutil
import subprocess

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

# prange loops run on LLVM's OpenMP runtime.  Debian ships it as a shared
# library only, so the build copies it next to the extension, which finds
# it there (rpath $ORIGIN): an installed pyjit needs nothing else.
OPENMP_LIB = "libomp.so.5"


def find_llvm_config():
    candidates = [os.environ.get("LLVM_CONFIG"), "llvm-config-19",
                  "/usr/lib/llvm-19/bin/llvm-config", "llvm-config"]
    for cand in candidates:
        if not cand:
            continue
        path = shutil.which(cand) or (cand if os.path.exists(cand) else None)
        if not path:
            continue
        version = run(path, "--version")
        if version.split(".")[0] == "19":
            return path
        if cand == os.environ.get("LLVM_CONFIG"):
            raise SystemExit(f"LLVM_CONFIG={cand} is LLVM {version}; "
                             "pyjit needs LLVM 19")
    raise SystemExit("pyjit needs LLVM 19: install the llvm-19-dev package "
                     "(apt-get install -y llvm-19-dev) or set LLVM_CONFIG")


def run(*cmd):
    return subprocess.check_output(cmd, text=True).strip()


def flag(name):
    return os.environ.get(name, "") not in ("", "0")


LLVM_COMPONENTS = ["core", "orcjit", "native", "passes", "bitreader",
                   "bitwriter", "irreader", "linker", "target"]


def llvm_link_args(llvm_config):
    if flag("PYJIT_LLVM_SHARED"):
        return run(llvm_config, "--ldflags").split() + ["-lLLVM-19"], \
            ["-Wl,-rpath," + run(llvm_config, "--libdir")]
    libs = run(llvm_config, "--link-static", "--libs", *LLVM_COMPONENTS)
    system = run(llvm_config, "--link-static", "--system-libs").split()
    # Debian ships libzstd.so.1 without the -dev symlink; name it exactly.
    # --as-needed drops z3 and xml2, which only optional LLVM parts use.
    system = ["-l:libzstd.so.1" if s == "-lzstd" else s for s in system]
    args = (run(llvm_config, "--ldflags").split() + libs.split()
            + ["-Wl,--as-needed"] + system + ["-lstdc++"])
    # Keep LLVM's symbols private to the extension so that another copy of
    # LLVM in the process (llvmlite, a graphics driver) cannot clash with it.
    return args, ["-Wl,--exclude-libs,ALL", "-Wl,--gc-sections"]


def find_openmp(llvm_config):
    path = os.path.join(run(llvm_config, "--libdir"), OPENMP_LIB)
    if not os.path.exists(path):
        raise SystemExit(f"pyjit needs LLVM's OpenMP runtime ({path}): "
                         "install the libomp-19-dev package "
                         "(apt-get install -y libomp-19-dev)")
    return path


class BuildExt(build_ext):
    """build_ext that puts the OpenMP runtime beside the extension."""

    def run(self):
        super().run()
        lib = find_openmp(find_llvm_config())
        dest = os.path.dirname(self.get_ext_fullpath("pyjit._core"))
        shutil.copyfile(os.path.realpath(lib),
                        os.path.join(dest, OPENMP_LIB))


def extension():
    import numpy

    llvm_config = find_llvm_config()
    cflags = ["-std=c11", "-Wall", "-Wextra", "-fvisibility=hidden",
              "-Werror=implicit-function-declaration",
              "-ffunction-sections", "-fdata-sections"]
    cflags += [f for f in run(llvm_config, "--cflags").split()
               if f.startswith(("-I", "-D"))]
    macros = [("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION"),
              ("PY_ARRAY_UNIQUE_SYMBOL", "pyjit_ARRAY_API")]
    if flag("PYJIT_DEBUG"):
        cflags += ["-O0", "-g3", "-UNDEBUG"]
        macros.append(("PYJIT_DEBUG", "1"))
    else:
        cflags += ["-O2", "-DNDEBUG"]
    if flag("PYJIT_WERROR"):
        cflags.append("-Werror")
    link, extra = llvm_link_args(llvm_config)
    openmp = find_openmp(llvm_config)
    link += ["-L" + os.path.dirname(openmp), "-l:" + OPENMP_LIB]
    extra += ["-Wl,-rpath,$ORIGIN"]
    if flag("PYJIT_SANITIZE"):
        san = ["-fsanitize=address,undefined", "-fno-omit-frame-pointer"]
        cflags += san + ["-g"]
        extra += san
    return Extension(
        "pyjit._core",
        sources=sorted(glob.glob("csrc/*.c")),
        depends=glob.glob("csrc/*.h"),
        include_dirs=["csrc", numpy.get_include()],
        define_macros=macros,
        extra_compile_args=cflags,
        extra_link_args=link + extra,
    )


setup(ext_modules=[extension()], cmdclass={"build_ext": BuildExt})
