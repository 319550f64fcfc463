# mutu: pooled medical-assistant contracts.  GPL-3.0-or-later.
#
#   make            build libmutu.a and the mutu CLI (build/)
#   make run        solve the bundled example cabinet
#   make test       unit tests (cmocka) and golden CLI tests
#   make asan       the same tests under AddressSanitizer + UBSan (build-asan/)
#   make valgrind   the examples under valgrind, failing on any leak
#   make bench      benchmarks (not part of make test)
#   make deps       install the Debian packages the build needs

CC      ?= cc
BUILD   ?= build
WERROR  ?=
OPT     ?= -O2 -g
WARN     = -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wconversion \
           -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wvla $(WERROR)

PKGS          = libcjson cmocka gsl libmicrohttpd
HAVE_PKGS     = $(shell pkg-config --exists $(PKGS) 2>/dev/null && test -f /usr/include/glpk.h && \
                  test -f /usr/include/csv.h && echo yes)
CJSON_CFLAGS ?= $(shell pkg-config --cflags libcjson 2>/dev/null || echo -I/usr/include/cjson)
CJSON_LIBS   ?= $(shell pkg-config --libs libcjson 2>/dev/null || echo -lcjson)
CMOCKA_LIBS  ?= $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)
GSL_CFLAGS   ?= $(shell pkg-config --cflags gsl 2>/dev/null)
GSL_LIBS     ?= $(shell pkg-config --libs gsl 2>/dev/null || echo -lgsl -lgslcblas)
# Debian's GLPK ships no .pc file.
GLPK_CFLAGS  ?=
GLPK_LIBS    ?= -lglpk
# Nor does libcsv (the CSV cabinets).
CSV_CFLAGS   ?=
CSV_LIBS     ?= -lcsv
MHD_LIBS     ?= $(shell pkg-config --libs libmicrohttpd 2>/dev/null || echo -lmicrohttpd)

CPPFLAGS += -D_XOPEN_SOURCE=700 -Iinclude -Isolver $(CJSON_CFLAGS) $(GLPK_CFLAGS) $(CSV_CFLAGS) \
            $(GSL_CFLAGS)
CFLAGS   += $(WARN) $(OPT) $(SAN)
LDLIBS   += $(CJSON_LIBS) $(GLPK_LIBS) $(CSV_LIBS) $(GSL_LIBS) -lpthread -lm

LIB_SRC  = $(wildcard solver/*.c)
CLI_SRC  = $(wildcard solver/cli/*.c)
LIB_OBJ  = $(LIB_SRC:solver/%.c=$(BUILD)/obj/%.o)
CLI_OBJ  = $(CLI_SRC:solver/cli/%.c=$(BUILD)/obj/cli/%.o)
TEST_SRC = $(wildcard tests/test_*.c)
TEST_BIN = $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
TEST_AUX = $(filter-out $(TEST_SRC),$(wildcard tests/*.c))

FORMAT_SRC = $(wildcard solver/*.[ch] solver/cli/*.[ch] include/mutu/*.h tests/*.[ch] bench/*.[ch])

.PHONY: all run test unit golden asan valgrind bench deps clean format format-check check-deps

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

# The page of mutu serve, embedded as a C array of its bytes (od and awk
# only: the build needs nothing new).
$(BUILD)/gen/serve_page.c: solver/cli/serve_page.html Makefile
	@mkdir -p $(dir $@)
	{ echo '/* Generated from solver/cli/serve_page.html by the Makefile. */'; \
	  echo 'extern const unsigned char mutu_serve_page[];'; \
	  echo 'const unsigned char mutu_serve_page[] = {'; \
	  od -An -v -tu1 $< | awk '{ for (i = 1; i <= NF; i++) printf "%s,", $$i; print "" }'; \
	  echo '0};'; } > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/gen/serve_page.o: $(BUILD)/gen/serve_page.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/mutu: $(CLI_OBJ) $(BUILD)/obj/gen/serve_page.o $(BUILD)/libmutu.a
	$(CC) $(CFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/obj/gen/serve_page.o $(BUILD)/libmutu.a \
		$(LDFLAGS) $(MHD_LIBS) $(LDLIBS)

$(BUILD)/tests/%: tests/%.c $(TEST_AUX) $(BUILD)/libmutu.a $(wildcard tests/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests $(CFLAGS) -o $@ $< $(TEST_AUX) $(BUILD)/libmutu.a \
		$(LDFLAGS) $(CMOCKA_LIBS) $(LDLIBS)

run: all
	$(BUILD)/mutu solve scenarios/cabinets/msp-tilleuls.json \
		--rules scenarios/rules/convention-2024.json

test: all unit golden

unit: check-deps $(TEST_BIN)
	@set -e; for t in $(TEST_BIN); do echo "== $$t"; (cd tests && ../$$t); done

golden: $(BUILD)/mutu
	@sh tests/golden.sh $(BUILD)/mutu
	@sh tests/examples.sh $(BUILD)/mutu
	@sh tests/stream.sh $(BUILD)/mutu
	@sh tests/files.sh $(BUILD)/mutu
	@sh tests/serve.sh $(BUILD)/mutu
	@sh tests/browser/serve.sh $(BUILD)/mutu

asan:
	$(MAKE) --no-print-directory BUILD=build-asan OPT="-O1 -g -fno-omit-frame-pointer" \
		SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" test

valgrind: all
	@sh tests/valgrind.sh $(BUILD)/mutu

bench: all
	@$(MAKE) --no-print-directory -C bench MUTU=../$(BUILD)/mutu run

format:
	clang-format -i $(FORMAT_SRC)

# The formatter is law: CI fails when a file differs from .clang-format.
format-check:
	@clang-format --dry-run --Werror $(FORMAT_SRC)

clean:
	rm -rf build build-asan
