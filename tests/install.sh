#!/bin/sh
# make install, checked from the outside: everything lands under a
# temporary DESTDIR and works from there.
#   - every file: the binary, libmutu.a, each public header, mutu.pc, the
#     man page, the docs and every scenario file, the message catalogue of
#     each po/*.po when there is a po/ directory;
#   - pkg-config answers for mutu (PKG_CONFIG_PATH into the DESTDIR) with
#     the version the binary prints;
#   - a small C program including every public header compiles with
#     -Werror and links against the installed library with the flags
#     pkg-config gives, and loads the installed 2024 rules (three files
#     chained by `extends`);
#   - the installed binary solves an installed cabinet, and `generate`
#     run outside the tree finds the installed profile (same bytes as the
#     build tree's);
#   - man -l renders the installed page without a warning;
#   - make uninstall leaves no file behind.
# Usage: tests/install.sh path/to/build/mutu   (CC, CFLAGS, MAKE from the
# environment; make test passes the sanitizer flags of its build)
set -u
mutu=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
build=$(dirname "$mutu")
cd "$(dirname "$0")/.." || exit 2
top=$(pwd)
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
dest=$t/stage
prefix=/usr/local
root=$dest$prefix
pass=0
fail=0
check() { # name, then a command that must succeed
	name=$1
	shift
	if "$@"; then pass=$((pass + 1)); else echo "FAIL install: $name"; fail=$((fail + 1)); fi
}
empty() { [ ! -s "$1" ] || { sed 's/^/    /' "$1" | head -5; false; }; } # file

${MAKE:-make} --no-print-directory -s install BUILD="$build" PREFIX=$prefix DESTDIR="$dest" \
	>"$t/out" 2>&1
check "make install exits 0" test $? = 0 || sed 's/^/    /' "$t/out" | tail -5

# -- every file --
check "bin/mutu is executable" test -x "$root/bin/mutu"
check "lib/libmutu.a" test -f "$root/lib/libmutu.a"
check "lib/pkgconfig/mutu.pc" test -f "$root/lib/pkgconfig/mutu.pc"
check "share/man/man1/mutu.1" test -f "$root/share/man/man1/mutu.1"
for f in formats.md model.md scheme.md README.md rules/convention-2024.json \
	profiles/france.json cabinets/msp-tilleuls.json; do
	check "share/mutu/$f" test -f "$root/share/mutu/$f"
done
missing=0
for h in include/mutu/*.h; do
	cmp -s "$h" "$root/$h" || { echo "    not installed: $h"; missing=$((missing + 1)); }
done
for f in scenarios/*.md scenarios/rules/*.json scenarios/rules/variants/*.json \
	scenarios/cabinets/*.json scenarios/cabinets/*.csv scenarios/cabinets/*.md \
	scenarios/contracts/*.json scenarios/profiles/*.json scenarios/profiles/*.md; do
	[ -f "$f" ] || continue # a pattern that matched nothing
	cmp -s "$f" "$root/share/mutu/${f#scenarios/}" ||
		{ echo "    not installed: $f"; missing=$((missing + 1)); }
done
for po in po/*.po; do
	[ -f "$po" ] || continue
	lang=$(basename "$po" .po)
	test -s "$root/share/locale/$lang/LC_MESSAGES/mutu.mo" ||
		{ echo "    no catalogue for $po"; missing=$((missing + 1)); }
done
check "every header, scenario file, doc and catalogue is installed" test $missing = 0

# -- pkg-config --
export PKG_CONFIG_PATH="$root/lib/pkgconfig"
pkg-config --cflags --libs mutu >"$t/flags" 2>"$t/err"
check "pkg-config --cflags --libs mutu answers" test $? = 0
check "pkg-config: nothing on standard error" empty "$t/err"
check "pkg-config --libs names -lmutu" grep -q -- "-lmutu" "$t/flags"
check "pkg-config --static --libs names glpk, cJSON and GSL" \
	sh -c 'f=$(pkg-config --static --libs mutu) && case "$f" in *-lglpk*) ;; *) exit 1;; esac &&
		case "$f" in *-lcjson*) ;; *) exit 1;; esac && case "$f" in *-lgsl*) ;; *) exit 1;; esac'
check "pkg-config --modversion is the binary's version" \
	test "mutu $(pkg-config --modversion mutu)" = "$("$root/bin/mutu" --version)"

# -- a program against the installed library --
cat >"$t/prog.c" <<'EOF'
#include <mutu/rules.h>
#include <mutu/analysis.h>
#include <mutu/batch.h>
#include <mutu/cabinet.h>
#include <mutu/contract.h>
#include <mutu/date.h>
#include <mutu/error.h>
#include <mutu/file.h>
#include <mutu/generate.h>
#include <mutu/group.h>
#include <mutu/individual.h>
#include <mutu/merge.h>
#include <mutu/sweep.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	static mutu_errors errs;
	mutu_rules rules;
	if (argc != 2)
		return 2;
	mutu_errors_clear(&errs);
	if (mutu_rules_load(&rules, argv[1], &errs) != MUTU_OK) {
		for (size_t i = 0; i < errs.count; i++)
			fprintf(stderr, "%s: %s: %s\n", errs.items[i].file, errs.items[i].path,
				errs.items[i].message);
		return 1;
	}
	printf("%s %zu\n", rules.name, rules.noptions);
	mutu_rules_free(&rules);
	return 0;
}
EOF
pc="--define-variable=prefix=$root"
# shellcheck disable=SC2046,SC2086 # the flags are words
${CC:-cc} -std=c11 -Wall -Wextra -Wpedantic -Werror ${CFLAGS:-} $(pkg-config $pc --cflags mutu) \
	-o "$t/prog" "$t/prog.c" $(pkg-config $pc --static --libs mutu) >"$t/err" 2>&1
check "a program including <mutu/rules.h> compiles and links with pkg-config's flags" \
	test $? = 0 || sed 's/^/    /' "$t/err" | head -10
# convention-2024.json extends ra-2023.json, which extends avenant7-2019.json:
# half, full, one-and-half, double, and the 1/3 option the RA closed (still
# listed: contracts already held run on).
"$t/prog" "$root/share/mutu/rules/convention-2024.json" >"$t/out" 2>"$t/err"
check "the program loads the installed rules through their extends chain" \
	test "$(cat "$t/out")" = "convention-2024 5" || sed 's/^/    /' "$t/err" | head -5

# -- the installed binary and data --
"$root/bin/mutu" solve "$root/share/mutu/cabinets/msp-tilleuls.json" \
	--rules "$root/share/mutu/rules/variants/pooled-objective.json" --format json >"$t/out" 2>"$t/err"
check "the installed mutu solves an installed cabinet under an installed variant" test $? = 0
"$mutu" generate --structures 3 --seed 7 >"$t/tree.jsonl"
(cd "$t" && "$root/bin/mutu" generate --structures 3 --seed 7 >"$t/inst.jsonl" 2>"$t/err")
check "generate outside the tree finds the installed profile" cmp -s "$t/tree.jsonl" "$t/inst.jsonl"

# -- the man page --
MANWIDTH=80 man -l "$root/share/man/man1/mutu.1" >"$t/man" 2>"$t/err"
check "man -l renders the installed page" test $? = 0
check "man -l: no warning" empty "$t/err"
check "man -l: the page names every command" sh -c 'for c in individual solve export validate \
	simulate batch sweep merge generate; do grep -q "^ *$c" "$1" || exit 1; done' - "$t/man"

# -- uninstall --
${MAKE:-make} --no-print-directory -s uninstall BUILD="$build" PREFIX=$prefix DESTDIR="$dest" \
	>"$t/out" 2>&1
check "make uninstall exits 0" test $? = 0
find "$dest" -type f >"$t/left"
check "make uninstall leaves no file" empty "$t/left"

cd "$top" || exit 2
echo "install: $pass passed, $fail failed"
[ $fail = 0 ]
