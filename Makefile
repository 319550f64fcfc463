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
#   make install    PREFIX=/usr/local DESTDIR=: binary, library, headers,
#                   mutu.pc, man page, scenarios and docs, catalogues
#   make uninstall  removes what make install put there
#   make po         refresh po/mutu.pot from the sources and merge it into po/fr.po

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

# The French catalogue: build/locale beside the binary, else the installed one.
PREFIX    ?= /usr/local
LOCALEDIR ?= $(PREFIX)/share/locale
MO         = $(BUILD)/locale/fr/LC_MESSAGES/mutu.mo

CPPFLAGS += -DMUTU_LOCALEDIR='"$(LOCALEDIR)"'
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

FORMAT_SRC = $(wildcard solver/*.[ch] solver/cli/*.[ch] include/mutu/*.h tests/*.[ch] \
	tests/fuzz/*.[ch] bench/*.[ch])

# Fuzz harnesses (tests/fuzz/): each is replayed over its seeds and
# regressions by `make test`, and fuzzed by `make fuzz` with libFuzzer.
FUZZ_NAMES   = rules cabinet contract achieved batch solve api
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
FUZZ_SEEDS_api      =
fuzz_seeds = $(FUZZ_SEEDS_$(1)) tests/fuzz/seeds/$(1) tests/fuzz/regressions/$(1)
# Inputs longer than this are cut by libFuzzer: a little above the largest seed.
FUZZ_MAXLEN_rules    = 32768
FUZZ_MAXLEN_cabinet  = 8192
FUZZ_MAXLEN_contract = 4096
FUZZ_MAXLEN_achieved = 2048
FUZZ_MAXLEN_batch    = 4096
FUZZ_MAXLEN_solve    = 8192
FUZZ_MAXLEN_api      = 16384

.PHONY: all run test unit golden asan valgrind bench deps clean format format-check check-deps \
	install uninstall fuzz fuzz-ci fuzz-build po

all: check-deps $(BUILD)/mutu $(MO)

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

$(BUILD)/tests/%: tests/%.c $(TEST_AUX) $(BUILD)/libmutu.a $(wildcard tests/*.h) $(MO)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests -DMUTU_TEST_LOCALEDIR='"$(abspath $(BUILD))/locale"' $(CFLAGS) -o $@ $< $(TEST_AUX) $(BUILD)/libmutu.a \
		$(LDFLAGS) $(CMOCKA_LIBS) $(LDLIBS)

# Message catalogues (gettext): po/fr.po is kept in the repository and
# compiled here; --check verifies the format strings and plural forms.
$(MO): po/fr.po
	@mkdir -p $(dir $@)
	msgfmt --check --statistics -o $@ po/fr.po

# xgettext collects _(), N_() and the plurals P_(one, many, n) of the library.
po:
	xgettext --from-code=UTF-8 --language=C --keyword=_ --keyword=N_ --keyword=P_:1,2 --keyword=add:5 \
		--add-comments=TRANSLATORS --package-name=mutu --msgid-bugs-address= \
		--sort-by-file -o po/mutu.pot $(LIB_SRC)
	sed -i 's/charset=CHARSET/charset=UTF-8/' po/mutu.pot
	msgmerge --quiet --update --backup=none --no-fuzzy-matching po/fr.po po/mutu.pot

# The bundled example in French (unless --lang or the environment says
# English): the text report, and the same as one HTML page.
run: all
	$(BUILD)/mutu solve scenarios/cabinets/msp-tilleuls.json \
		--rules scenarios/rules/convention-2024.json
	$(BUILD)/mutu solve scenarios/cabinets/msp-tilleuls.json \
		--rules scenarios/rules/convention-2024.json --format html \
		--out $(BUILD)/msp-tilleuls.html
	@echo "HTML report: $(BUILD)/msp-tilleuls.html"

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

golden: $(BUILD)/mutu $(MO)
	@sh tests/golden.sh $(BUILD)/mutu
	@sh tests/examples.sh $(BUILD)/mutu
	@sh tests/stream.sh $(BUILD)/mutu
	@sh tests/files.sh $(BUILD)/mutu
	@sh tests/cluster.sh $(BUILD)/mutu
	@CC="$(CC)" CFLAGS="$(SAN)" sh tests/install.sh $(BUILD)/mutu
	@sh tests/i18n.sh $(BUILD)/mutu
	@sh tests/browser/reports.sh $(BUILD)/mutu
	@sh tests/serve.sh $(BUILD)/mutu
	@sh tests/browser/serve.sh $(BUILD)/mutu

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

# ---------------- install ----------------
#
# GNU layout under PREFIX, staged under DESTDIR for packagers.  The data go
# to share/mutu/ with the same tree as scenarios/ (rules/, rules/variants/,
# cabinets/, contracts/, profiles/ and the docs), so that relative `extends`
# paths and links between the docs still hold; `mutu generate` finds its
# default profile there, beside the binary.
PREFIX      ?= /usr/local
DESTDIR     ?=
BINDIR      ?= $(PREFIX)/bin
LIBDIR      ?= $(PREFIX)/lib
INCLUDEDIR  ?= $(PREFIX)/include
DATADIR     ?= $(PREFIX)/share
MANDIR      ?= $(DATADIR)/man
PKGDATADIR  ?= $(DATADIR)/mutu
LOCALEDIR   ?= $(DATADIR)/locale
INSTALL     ?= install
VERSION      = $(shell sed -n 's/^\#define MUTU_VERSION "\(.*\)"/\1/p' solver/cli/common.h)

DATA_RULES     = $(wildcard scenarios/rules/*.json)
DATA_VARIANTS  = $(wildcard scenarios/rules/variants/*.json)
DATA_CABINETS  = $(wildcard scenarios/cabinets/*.json scenarios/cabinets/*.csv scenarios/cabinets/*.md)
DATA_CONTRACTS = $(wildcard scenarios/contracts/*.json)
DATA_PROFILES  = $(wildcard scenarios/profiles/*.json scenarios/profiles/*.md)
DATA_DOCS      = $(wildcard scenarios/*.md)

# mutu.pc is written at each install (PREFIX may differ from the last one);
# a directory under PREFIX is written ${prefix}/..., so that
# `pkg-config --define-variable=prefix=DIR` finds a staged copy too.
pc_dir = $(patsubst $(PREFIX)/%,$${prefix}/%,$(1))

# The message catalogues: every build/locale/LANG/LC_MESSAGES/mutu.mo that
# the build made (from po/LANG.po, when a po/ directory exists) goes to
# LOCALEDIR/LANG/LC_MESSAGES/mutu.mo; with no po/ there is none to install.
install: all
	@mkdir -p $(BUILD)
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(call pc_dir,$(LIBDIR))|g' \
		-e 's|@INCLUDEDIR@|$(call pc_dir,$(INCLUDEDIR))|g' -e 's|@VERSION@|$(VERSION)|g' \
		mutu.pc.in >$(BUILD)/mutu.pc
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/pkgconfig \
		$(DESTDIR)$(INCLUDEDIR)/mutu $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(PKGDATADIR)/rules/variants $(DESTDIR)$(PKGDATADIR)/cabinets \
		$(DESTDIR)$(PKGDATADIR)/contracts $(DESTDIR)$(PKGDATADIR)/profiles
	$(INSTALL) -m 755 $(BUILD)/mutu $(DESTDIR)$(BINDIR)/mutu
	$(INSTALL) -m 644 $(BUILD)/libmutu.a $(DESTDIR)$(LIBDIR)/libmutu.a
	$(INSTALL) -m 644 include/mutu/*.h $(DESTDIR)$(INCLUDEDIR)/mutu/
	$(INSTALL) -m 644 $(BUILD)/mutu.pc $(DESTDIR)$(LIBDIR)/pkgconfig/mutu.pc
	$(INSTALL) -m 644 doc/mutu.1 $(DESTDIR)$(MANDIR)/man1/mutu.1
	$(INSTALL) -m 644 $(DATA_DOCS) $(DESTDIR)$(PKGDATADIR)/
	$(INSTALL) -m 644 $(DATA_RULES) $(DESTDIR)$(PKGDATADIR)/rules/
	$(INSTALL) -m 644 $(DATA_VARIANTS) $(DESTDIR)$(PKGDATADIR)/rules/variants/
	$(INSTALL) -m 644 $(DATA_CABINETS) $(DESTDIR)$(PKGDATADIR)/cabinets/
	$(INSTALL) -m 644 $(DATA_CONTRACTS) $(DESTDIR)$(PKGDATADIR)/contracts/
	$(INSTALL) -m 644 $(DATA_PROFILES) $(DESTDIR)$(PKGDATADIR)/profiles/
	@set -e; for mo in $(BUILD)/locale/*/LC_MESSAGES/mutu.mo; do \
		[ -f "$$mo" ] || continue; \
		lang=$${mo#$(BUILD)/locale/}; lang=$${lang%%/*}; \
		echo "$(INSTALL) -m 644 $$mo $(DESTDIR)$(LOCALEDIR)/$$lang/LC_MESSAGES/mutu.mo"; \
		$(INSTALL) -d $(DESTDIR)$(LOCALEDIR)/$$lang/LC_MESSAGES; \
		$(INSTALL) -m 644 $$mo $(DESTDIR)$(LOCALEDIR)/$$lang/LC_MESSAGES/mutu.mo; \
	done

# Removes the files install writes, then the directories that are mutu's
# alone; shared directories (bin, lib, man1...) stay.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/mutu $(DESTDIR)$(LIBDIR)/libmutu.a \
		$(DESTDIR)$(LIBDIR)/pkgconfig/mutu.pc $(DESTDIR)$(MANDIR)/man1/mutu.1 \
		$(DESTDIR)$(LOCALEDIR)/*/LC_MESSAGES/mutu.mo
	rm -rf $(DESTDIR)$(INCLUDEDIR)/mutu $(DESTDIR)$(PKGDATADIR)

clean:
	rm -rf build build-asan build-fuzz
