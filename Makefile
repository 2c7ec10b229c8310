# The two commands of the README, and their helpers. Every target installs
# what is missing first (scripts/install-deps.sh is idempotent and quick
# when nothing is missing).

BUILD      ?= build
ASAN_BUILD ?= build-asan
MESON_OPTS ?= -Dwerror=true
ASAN_OPTS  ?= -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false \
              -Dc_args=-fno-sanitize-recover=undefined
DEMO_ISA   ?= arm64

.PHONY: all deps build build-asan demo test test-fast bench fuzz format clean

all: build

deps:
	@./scripts/install-deps.sh

$(BUILD)/build.ninja:
	meson setup $(BUILD) $(MESON_OPTS)

$(ASAN_BUILD)/build.ninja:
	meson setup $(ASAN_BUILD) $(ASAN_OPTS)

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

build-asan: deps $(ASAN_BUILD)/build.ninja
	ninja -C $(ASAN_BUILD)

demo: build
	./$(BUILD)/zxsim --summary $(BUILD)/guest/paging_demo-$(DEMO_ISA).elf

# Every test, in the normal build and again under ASan+UBSan; the last
# line sums every test case of both runs.
test: build build-asan
	@status=0; \
	meson test -C $(BUILD) --print-errorlogs --num-processes 2 || status=1; \
	meson test -C $(ASAN_BUILD) --print-errorlogs --num-processes 2 || status=1; \
	python3 scripts/test_summary.py $(BUILD) $(ASAN_BUILD) || status=1; \
	exit $$status

# The normal build only: quicker while working.
test-fast: build
	@meson test -C $(BUILD) --print-errorlogs; python3 scripts/test_summary.py $(BUILD)

bench: build
	./scripts/bench.sh $(BUILD)
	./scripts/bench_model.py $(BUILD)

# The syscall fuzzer: 10^7 calls per ISA over several seeds, calls/s.
fuzz: build
	./scripts/fuzz.sh $(BUILD)

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
