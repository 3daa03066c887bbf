# A thin wrapper over CMake. See README.md.
BUILD      ?= build
BUILD_ASAN ?= build-asan
BUILD_TSAN ?= build-tsan
BUILD_FUZZ ?= build-fuzz
FUZZ_TIME  ?= 60
JOBS       ?= $(shell nproc)
CMAKE_ARGS ?=

.PHONY: all deps build demo check check-fast check-unit check-asan check-tsan check-fuzz fuzz fuzz-build bench clean install deb completions

all: build

deps:
	@scripts/install-deps.sh test

$(BUILD)/Makefile:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_ARGS)

build: deps $(BUILD)/Makefile
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	@scripts/demo.sh $(BUILD)/instctl

# Everything CI runs: every test of the normal build with the fuzz smoke (check-fast), then
# the same unit and end-to-end suites under ASan/UBSan, and the server suites under TSan.
check: check-fast check-asan check-tsan

# Every test of the normal build, then the fuzz targets: each corpus file once, and a short
# run of each target (20 s; see check-fuzz).
check-fast: build fuzz-build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	cd $(BUILD_FUZZ) && ctest --output-on-failure -j $(JOBS) -L fuzz

check-unit: build
	cd $(BUILD) && ctest --output-on-failure -L unit

# The unit and end-to-end tests under AddressSanitizer and UndefinedBehaviorSanitizer.
check-asan: deps
	cmake -S . -B $(BUILD_ASAN) -DCMAKE_BUILD_TYPE=Debug -DINSTCTL_SANITIZE=ON $(CMAKE_ARGS)
	cmake --build $(BUILD_ASAN) -j $(JOBS)
	rm -rf $(BUILD_ASAN)/reports && mkdir -p $(BUILD_ASAN)/reports
	cd $(BUILD_ASAN) && rc=0 && \
	  ASAN_OPTIONS=detect_leaks=1:log_path=$(abspath $(BUILD_ASAN))/reports/asan \
	  UBSAN_OPTIONS=print_stacktrace=1:log_path=$(abspath $(BUILD_ASAN))/reports/ubsan \
	  ctest --output-on-failure -j $(JOBS) -L '^(unit|e2e|e2e-pg)$$' || rc=$$?; \
	  $(CURDIR)/scripts/sanitizer-reports.sh reports && exit $$rc

# The server's end-to-end suites (label "server") under ThreadSanitizer: the I/O threads, the
# in-process delivery worker and the CLI writing beside them.
check-tsan: deps
	cmake -S . -B $(BUILD_TSAN) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DINSTCTL_TSAN=ON $(CMAKE_ARGS)
	cmake --build $(BUILD_TSAN) -j $(JOBS) --target instctl
	rm -rf $(BUILD_TSAN)/reports && mkdir -p $(BUILD_TSAN)/reports
	cd $(BUILD_TSAN) && rc=0 && \
	  TSAN_OPTIONS=second_deadlock_stack=1:log_path=$(abspath $(BUILD_TSAN))/reports/tsan \
	  ctest --output-on-failure -j $(JOBS) -L '^server$$' || rc=$$?; \
	  $(CURDIR)/scripts/sanitizer-reports.sh reports && exit $$rc

# The libFuzzer targets of the parsers of untrusted input (tests/fuzz/), built with clang in
# their own directory. `make fuzz` runs each for FUZZ_TIME seconds (make fuzz FUZZ_TIME=300)
# and prints its executions and coverage; `make check-fuzz` is the part of `make check`.
fuzz-build: deps
	@command -v clang++ >/dev/null || { echo "make: error: the fuzz targets need clang++ and libFuzzer: run scripts/install-deps.sh (or apt-get install clang libclang-rt-14-dev)" >&2; exit 1; }
	CC=clang CXX=clang++ cmake -S . -B $(BUILD_FUZZ) -DCMAKE_BUILD_TYPE=Debug -DINSTCTL_FUZZ=ON $(CMAKE_ARGS)
	cmake --build $(BUILD_FUZZ) -j $(JOBS)

check-fuzz: fuzz-build
	cd $(BUILD_FUZZ) && ctest --output-on-failure -j $(JOBS) -L fuzz

fuzz: fuzz-build
	@for t in $(BUILD_FUZZ)/fuzz_*; do \
	  n=$${t##*/fuzz_}; \
	  tests/fuzz/run.sh $$t $(FUZZ_TIME) $(BUILD_FUZZ)/corpus/$$n tests/fuzz/corpus/$$n $(BUILD_FUZZ)/artifacts || exit 1; \
	done

# The shell completions are generated from the command tree; commit the result.
completions: build
	$(BUILD)/instctl __complete bash > completions/instctl.bash
	$(BUILD)/instctl __complete zsh > completions/_instctl
	$(BUILD)/instctl __complete fish > completions/instctl.fish

bench: build
	@scripts/install-deps.sh bench
	@bench/run.sh $(BUILD)/instctl

# make install [PREFIX=/usr/local] [DESTDIR=/tmp/stage]
install: build
	DESTDIR=$(DESTDIR) cmake --install $(BUILD) $(if $(PREFIX),--prefix $(PREFIX))

# The Debian package, built/instctl_VERSION-1_ARCH.deb: apt install ./build/instctl_*.deb
deb: build
	cd $(BUILD) && cpack -G DEB

clean:
	rm -rf $(BUILD) $(BUILD_ASAN) $(BUILD_TSAN) $(BUILD_FUZZ)
