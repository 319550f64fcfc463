# mutu: pooled medical-assistant contracts.  GPL-3.0-or-later.
#
#   make            build libmutu.a and the mutu CLI (build/)
#   make run        solve the bundled example cabinet
#   make test       unit tests (cmocka) and golden CLI tests
#   make asan       the same tests under AddressSanitizer + UBSan (build-asan/)
#   make valgrind   the examples under valgrind, failing on any leak
#   make bench      benchmarks (not part of make test)
#   make deps       install the Debian packages the build needs
#   make po         refresh po/mutu.pot from the sources and merge it into po/fr.po

CC      ?= cc
BUILD   ?= build
WERROR  ?=
OPT     ?= -O2 -g
WARN     = -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wconversion \
           -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wvla $(WERROR)

PKGS          = libcjson cmocka gsl
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

FORMAT_SRC = $(wildcard solver/*.[ch] solver/cli/*.[ch] include/mutu/*.h tests/*.[ch] bench/*.[ch])

.PHONY: all run test unit golden asan valgrind bench deps clean format format-check check-deps po

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

$(BUILD)/mutu: $(CLI_OBJ) $(BUILD)/libmutu.a
	$(CC) $(CFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libmutu.a $(LDFLAGS) $(LDLIBS)

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

unit: check-deps $(TEST_BIN)
	@set -e; for t in $(TEST_BIN); do echo "== $$t"; (cd tests && ../$$t); done

golden: $(BUILD)/mutu $(MO)
	@sh tests/golden.sh $(BUILD)/mutu
	@sh tests/examples.sh $(BUILD)/mutu
	@sh tests/stream.sh $(BUILD)/mutu
	@sh tests/files.sh $(BUILD)/mutu
	@sh tests/i18n.sh $(BUILD)/mutu
	@sh tests/browser/reports.sh $(BUILD)/mutu

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
