# pyjit developer targets.  `make` builds the extension in place.
PYTHON ?= python3

.PHONY: all build test test-random asan golden bench fuzz clean

all: build

# Builds in build/ and renames the result into place: a process that has
# the old extension loaded keeps running on it.
SO := $(shell $(PYTHON) -c "import sysconfig; print('pyjit/_core' + sysconfig.get_config_var('EXT_SUFFIX'))")
build:
	$(PYTHON) setup.py -q build_ext -j 2 --build-lib build/lib
	cp build/lib/$(SO) $(SO).tmp && mv -f $(SO).tmp $(SO)
	cp build/lib/pyjit/libomp.so.5 pyjit/libomp.so.5.tmp && mv -f pyjit/libomp.so.5.tmp pyjit/libomp.so.5

test: build
	$(PYTHON) -m pytest -q

# The suite with fresh hypothesis draws (the default run repeats the same ones).
test-random: build
	PYJIT_HYPOTHESIS_RANDOM=1 $(PYTHON) -m pytest -q

# The whole suite on an AddressSanitizer + UBSan build of the extension,
# built and run from build/asan so that the in-place build stays as it is.
# allocator_may_return_null: an allocation too large to be had returns NULL
# (MemoryError) as it does without the sanitizer, instead of aborting.
ASAN_LIBS = $$(gcc -print-file-name=libasan.so) $$(gcc -print-file-name=libubsan.so)
asan:
	PYJIT_SANITIZE=1 PYJIT_DEBUG=1 $(PYTHON) setup.py -q build_ext -j 2 \
	    --build-temp build/asan-temp --build-lib build/asan
	cp pyjit/*.py build/asan/pyjit/
	cd build/asan && PYTHONPATH=$(CURDIR)/build/asan PYTHONMALLOC=malloc \
	    ASAN_OPTIONS=detect_leaks=0:quarantine_size_mb=8:allocator_may_return_null=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    LD_PRELOAD="$(ASAN_LIBS)" \
	    $(PYTHON) -m pytest -q -p no:cacheprovider $(CURDIR)/tests

golden: build
	$(PYTHON) -m pytest -q tests/test_golden.py --update-golden

# The random-program fuzzer with fresh seeds, at low priority: rounds of
# FUZZ_ROUND examples, each from a new seed, for FUZZ_MINUTES minutes (or
# FUZZ_EXAMPLES examples).  A failing round is printed with its seed and the
# command that replays it (FUZZ_SEED=<seed>).  The default suite runs a fixed
# slice of the same fuzzer.
FUZZ_MINUTES ?= 20
FUZZ_ROUND ?= 500
fuzz: build
	PYTHONPATH=$(CURDIR) nice -n 10 $(PYTHON) tests/test_fuzz_programs.py \
	    --minutes $(FUZZ_MINUTES) --round $(FUZZ_ROUND) \
	    $(if $(FUZZ_EXAMPLES),--examples $(FUZZ_EXAMPLES)) \
	    $(if $(FUZZ_SEED),--seed $(FUZZ_SEED))

bench: build
	$(PYTHON) benchmarks/run.py

clean:
	rm -rf build pyjit/*.so *.egg-info
