# pyjit developer targets.  `make` builds the extension in place.
PYTHON ?= python3

.PHONY: all build test asan golden bench clean

all: build

# Builds in build/ and renames the result into place: a process that has
# the old extension loaded keeps running on it.
SO := $(shell $(PYTHON) -c "import sysconfig; print('pyjit/_core' + sysconfig.get_config_var('EXT_SUFFIX'))")
build:
	$(PYTHON) setup.py -q build_ext -j 2 --build-lib build/lib
	cp build/lib/$(SO) $(SO).tmp && mv -f $(SO).tmp $(SO)

test: build
	$(PYTHON) -m pytest -q

# The whole suite on an AddressSanitizer + UBSan build of the extension.
asan:
	PYJIT_SANITIZE=1 PYJIT_DEBUG=1 $(PYTHON) setup.py build_ext --inplace --force -j 2
	PYTHONMALLOC=malloc ASAN_OPTIONS=detect_leaks=0 \
	LD_PRELOAD="$$(gcc -print-file-name=libasan.so) $$(gcc -print-file-name=libubsan.so)" \
	$(PYTHON) -m pytest -q -p no:cacheprovider
	$(PYTHON) setup.py build_ext --inplace --force -j 2

golden: build
	$(PYTHON) -m pytest -q tests/test_golden.py --update-golden

bench: build
	$(PYTHON) benchmarks/run.py

clean:
	rm -rf build pyjit/*.so *.egg-info
