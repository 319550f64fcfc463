# mutu: pooled medical-assistant contracts.  GPL-3.0-or-later.
#
#   make            build libmutu.a and the mutu CLI (build/)
#   make run        solve the bundled example cabinet
#   make test       unit tests (cmocka) and golden CLI tests
#   make asan       the same tests under AddressSanitizer + UBSan (build-asan/)
#   make valgrind   the examples under valgrind, failing on any leak
#   make bench      benchmarks (not part of make test)
#   make fuzz       each libFuzzer harness for FUZZ_SECONDS (build-fuzz/, clang)
#   make fuzz-ci    each harness for 30 s, failing on any finding (tests/fuzz/README.md)
#   make deps       install the Debian packages the build needs

CC      ?= cc
BUILD   ?= build
WERROR  ?=
OPT     ?= -O2 -g
WARN     = -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wconversion \
           -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wvla $(WERROR)

PKGS          = libcjson cmocka gsl
HAVE_PKGS     = $(shell pkg-config --exists $(PKGS) 2>/dev/null && test -f /usr/include/glpk.h && echo yes)
CJSON_CFLAGS ?= $(shell pkg-config --cflags libcjson 2>/dev/null || echo -I/usr/include/cjson)
CJSON_LIBS   ?= $(shell pkg-config --libs libcjson 2>/dev/null || echo -lcjson)
CMOCKA_LIBS  ?= $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)
GSL_CFLAGS   ?= $(shell pkg-config --cflags gsl 2>/dev/null)
GSL_LIBS     ?= $(shell pkg-config --libs gsl 2>/dev/null || echo -lgsl -lgslcblas)
# Debian's GLPK ships no .pc file.
GLPK_CFLAGS  ?=
GLPK_LIBS    ?= -lglpk

CPPFLAGS += -D_XOPEN_SOURCE=700 -Iinclude -Isolver $(CJSON_CFLAGS) $(GLPK_CFLAGS) $(GSL_CFLAGS)
CFLAGS   += $(WARN) $(OPT) $(SAN)
LDLIBS   += $(CJSON_LIBS) $(GLPK_LIBS) $(GSL_LIBS) -lpthread -lm

LIB_SRC  = $(wildcard solver/*.c)
CLI_SRC  = $(wildcard solver/cli/*.c)
LIB_OBJ  = $(LIB_SRC:solver/%.c=$(BUILD)/obj/%.o)
CLI_OBJ  = $(CLI_SRC:solver/cli/%.c=$(BUILD)/obj/cli/%.o)
TEST_SRC = $(wildcard tests/test_*.c)
TEST_BIN = $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
TEST_AUX = $(filter-out $(TEST_SRC),$(wildcard tests/*.c))

FORMAT_SRC = $(wildcard solver/*.[ch] solver/cli/*.[ch] include/mutu/*.h tests/*.[ch] \
	tests/fuzz/*.[ch] bench/*.[ch])

# Fuzz harnesses (tests/fuzz/): each is replayed over its seeds and
# regressions by `make test`, and fuzzed by `make fuzz` with libFuzzer.
FUZZ_NAMES   = rules cabinet contract achieved batch solve
FUZZ_ROOT    = -DMUTU_FUZZ_ROOT='"$(CURDIR)"'
FUZZ_AUX     = tests/fuzz/fuzz_common.c
REPLAY_BIN   = $(FUZZ_NAMES:%=$(BUILD)/tests/fuzz/replay_%)
# Seed directories per harness (not recursive); the regressions are added.
FUZZ_SEEDS_rules    = scenarios/rules scenarios/rules/variants tests/malformed tests/golden/data
FUZZ_SEEDS_cabinet  = scenarios/cabinets tests/malformed tests/golden/data tests/fuzz/seeds/batch
FUZZ_SEEDS_contract = scenarios/contracts
FUZZ_SEEDS_achieved =
FUZZ_SEEDS_batch    =
FUZZ_SEEDS_solve    = scenarios/cabinets tests/golden/data tests/fuzz/seeds/batch
fuzz_seeds = $(FUZZ_SEEDS_$(1)) tests/fuzz/seeds/$(1) tests/fuzz/regressions/$(1)
# Inputs longer than this are cut by libFuzzer: a little above the largest seed.
FUZZ_MAXLEN_rules    = 32768
FUZZ_MAXLEN_cabinet  = 8192
FUZZ_MAXLEN_contract = 4096
FUZZ_MAXLEN_achieved = 2048
FUZZ_MAXLEN_batch    = 4096
FUZZ_MAXLEN_solve    = 8192

.PHONY: all run test unit golden asan valgrind bench deps clean format format-check check-deps \
	fuzz fuzz-ci fuzz-build

all: check-deps $(BUILD)/mutu

check-deps:
	@if [ "$(HAVE_PKGS)" != yes ]; then $(MAKE) --no-print-directory deps; fi

deps:
	@sh .ci/deps

$(BUILD)/obj/%.o: solver/%.c $(wildcard include/mutu/*.h solver/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/obj/cli/%.o: solver/cli/%.c $(wildcard include/mutu/*.h solver/*.h solver/cli/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Isolver/cli $(CFLAGS) -c -o $@ $<

$(BUILD)/libmutu.a: $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(AR) rcs $@ $^

$(BUILD)/mutu: $(CLI_OBJ) $(BUILD)/libmutu.a
	$(CC) $(CFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libmutu.a $(LDFLAGS) $(LDLIBS)

$(BUILD)/tests/%: tests/%.c $(TEST_AUX) $(BUILD)/libmutu.a $(wildcard tests/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests $(CFLAGS) -o $@ $< $(TEST_AUX) $(BUILD)/libmutu.a \
		$(LDFLAGS) $(CMOCKA_LIBS) $(LDLIBS)

run: all
	$(BUILD)/mutu solve scenarios/cabinets/msp-tilleuls.json \
		--rules scenarios/rules/convention-2024.json

test: all unit golden

unit: check-deps $(TEST_BIN) $(REPLAY_BIN)
	@set -e; for t in $(TEST_BIN); do echo "== $$t"; (cd tests && ../$$t); done
	@$(foreach n,$(FUZZ_NAMES),$(BUILD)/tests/fuzz/replay_$(n) $(call fuzz_seeds,$(n)) &&) true

# One replay program per harness, built with the normal compiler and flags.
$(BUILD)/tests/fuzz/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(FUZZ_AUX) \
		tests/fuzz/fuzz.h $(BUILD)/libmutu.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(FUZZ_ROOT) -Itests/fuzz $(CFLAGS) -o $@ $< tests/fuzz/replay.c \
		$(FUZZ_AUX) $(BUILD)/libmutu.a $(LDFLAGS) $(LDLIBS)

golden: $(BUILD)/mutu
	@sh tests/golden.sh $(BUILD)/mutu
	@sh tests/examples.sh $(BUILD)/mutu
	@sh tests/stream.sh $(BUILD)/mutu

asan:
	$(MAKE) --no-print-directory BUILD=build-asan OPT="-O1 -g -fno-omit-frame-pointer" \
		SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" test

valgrind: all
	@sh tests/valgrind.sh $(BUILD)/mutu

bench: all
	@$(MAKE) --no-print-directory -C bench MUTU=../$(BUILD)/mutu run

# ---- libFuzzer (clang): the library built again with coverage and
# sanitizers in build-fuzz/, each harness linked with -fsanitize=fuzzer.
FUZZ_CC       ?= clang
FUZZ_BUILD    ?= build-fuzz
FUZZ_SECONDS  ?= 600
FUZZ_SAN       = -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS    = -std=c11 -g -O1 -fno-omit-frame-pointer $(FUZZ_SAN)
FUZZ_LIB_OBJ   = $(LIB_SRC:solver/%.c=$(FUZZ_BUILD)/obj/%.o)
FUZZ_BIN       = $(FUZZ_NAMES:%=$(FUZZ_BUILD)/fuzz_%)
# Any crash, leak, timeout (-timeout s per input) or OOM stops libFuzzer
# with a non-zero status, which fails the target.
FUZZ_FLAGS     = -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		 -dict=tests/fuzz/mutu.dict

$(FUZZ_BUILD)/obj/%.o: solver/%.c $(wildcard include/mutu/*.h solver/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_BUILD)/obj/fuzz/%.o: tests/fuzz/%.c tests/fuzz/fuzz.h $(wildcard include/mutu/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_ROOT) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_BUILD)/libmutu.a: $(FUZZ_LIB_OBJ)
	$(AR) rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: $(FUZZ_BUILD)/obj/fuzz/fuzz_%.o $(FUZZ_BUILD)/obj/fuzz/fuzz_common.o \
		$(FUZZ_BUILD)/libmutu.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $^ $(LDFLAGS) $(LDLIBS)

# Kept between runs: make would delete them as intermediate files.
.SECONDARY: $(FUZZ_BIN) $(FUZZ_NAMES:%=$(FUZZ_BUILD)/obj/fuzz/fuzz_%.o) \
	$(FUZZ_BUILD)/obj/fuzz/fuzz_common.o

fuzz-build: check-deps $(FUZZ_BIN)

# The corpus of each harness lives in build-fuzz/corpus/NAME, seeded from
# its seed and regression directories; findings go to build-fuzz/artifacts/NAME/.
fuzz: fuzz-build $(FUZZ_NAMES:%=fuzz-run-%)

# fuzz-run-NAME: one harness (explicit rules, one per name).
define fuzz_run
fuzz-run-$(1): $(FUZZ_BUILD)/fuzz_$(1)
	@mkdir -p $(FUZZ_BUILD)/corpus/$(1) $(FUZZ_BUILD)/artifacts/$(1)
	@for d in $(call fuzz_seeds,$(1)); do [ ! -d $$$$d ] || \
		find $$$$d -maxdepth 1 -type f ! -name '.*' -exec cp {} $(FUZZ_BUILD)/corpus/$(1)/ \; ; done
	@echo "== fuzz_$(1) for $(FUZZ_SECONDS) s"
	$(FUZZ_BUILD)/fuzz_$(1) $(FUZZ_FLAGS) -max_len=$(FUZZ_MAXLEN_$(1)) \
		-max_total_time=$(FUZZ_SECONDS) -artifact_prefix=$(FUZZ_BUILD)/artifacts/$(1)/ \
		$(FUZZ_BUILD)/corpus/$(1)
endef
$(foreach n,$(FUZZ_NAMES),$(eval $(call fuzz_run,$(n))))
.PHONY: $(FUZZ_NAMES:%=fuzz-run-%)

fuzz-ci:
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=30

format:
	clang-format -i $(FORMAT_SRC)

# The formatter is law: CI fails when a file differs from .clang-format.
format-check:
	@clang-format --dry-run --Werror $(FORMAT_SRC)

clean:
	rm -rf build build-asan build-fuzz
