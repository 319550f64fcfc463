#!/bin/sh
# The language of the reports from the command line: French by default
# (no locale, C, POSIX, a French or a German locale), English when LC_ALL,
# LC_MESSAGES or LANG says so (the first set wins), --lang above all; and
# JSON and CSV byte-identical whatever the locale (a French LC_NUMERIC
# must not turn the decimal point into a comma).
# Usage: tests/i18n.sh path/to/mutu
set -u
mutu=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/.." || exit 2
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
pass=0
fail=0
unset LANGUAGE LC_ALL LC_MESSAGES LANG
cab=scenarios/cabinets/msp-tilleuls.json
rules=scenarios/rules/convention-2024.json

# lang WANT DESCRIPTION ENV... -- ARGS: `individual` under ENV speaks WANT.
lang() {
	want=$1
	what=$2
	shift 2
	envs=""
	while [ "$1" != "--" ]; do
		envs="$envs $1"
		shift
	done
	shift
	env $envs "$mutu" individual $cab --rules $rules "$@" >"$t/out" 2>&1
	case $want in
	fr) grep -q "tranche P30–P50, éligible" "$t/out" && ! grep -q "eligible" "$t/out" ;;
	en) grep -q "band P30–P50, eligible" "$t/out" && ! grep -q "éligible" "$t/out" ;;
	esac
	if [ $? = 0 ]; then
		pass=$((pass + 1))
	else
		echo "FAIL i18n: $what should be $want"
		head -3 "$t/out" | sed 's/^/    /'
		fail=$((fail + 1))
	fi
}

lang fr "no locale" --
lang fr "LC_ALL=C" LC_ALL=C --
lang fr "LANG=POSIX" LANG=POSIX --
lang fr "LANG=fr_FR.UTF-8" LANG=fr_FR.UTF-8 --
lang fr "LANG=de_DE.UTF-8" LANG=de_DE.UTF-8 --
lang en "LANG=en_GB.UTF-8" LANG=en_GB.UTF-8 --
lang en "LANG=en" LANG=en --
lang en "LC_MESSAGES=en_US.UTF-8 over LANG=fr_FR.UTF-8" LANG=fr_FR.UTF-8 LC_MESSAGES=en_US.UTF-8 --
lang fr "LC_ALL=fr_FR.UTF-8 over LC_MESSAGES=en_US.UTF-8" LC_ALL=fr_FR.UTF-8 LC_MESSAGES=en_US.UTF-8 --
lang fr "LANG=english (not an English locale name)" LANG=english --
lang fr "--lang fr over LANG=en_US.UTF-8" LANG=en_US.UTF-8 -- --lang fr
lang en "--lang en over LC_ALL=fr_FR.UTF-8" LC_ALL=fr_FR.UTF-8 -- --lang en
lang fr "LANGUAGE=en (not consulted: the catalogue is French)" LANGUAGE=en --

# Locale-free outputs: the same bytes under C and under French locales.
same() {
	what=$1
	shift
	env LC_ALL=C "$mutu" "$@" >"$t/c" 2>&1
	for loc in "LANG=fr_FR.UTF-8" "LC_ALL=fr_FR.UTF-8" "LC_NUMERIC=fr_FR.UTF-8"; do
		env $loc "$mutu" "$@" >"$t/fr" 2>&1
		if cmp -s "$t/c" "$t/fr"; then
			pass=$((pass + 1))
		else
			echo "FAIL i18n: $what differs under $loc"
			diff "$t/c" "$t/fr" | head -5 | sed 's/^/    /'
			fail=$((fail + 1))
		fi
	done
}

same "solve json" solve $cab --rules $rules --format json
same "solve csv" solve $cab --rules $rules --format csv
same "individual json" individual $cab --rules $rules --format json
same "individual csv" individual $cab --rules $rules --format csv
same "simulate json" simulate scenarios/contracts/tilleuls-valid.json --cabinet $cab \
	--rules $rules --format json
same "validate json" validate scenarios/contracts/tilleuls-unknown-doctor.json --cabinet $cab \
	--rules $rules --format json
# A text report does not depend on LC_NUMERIC either: its numbers come from fmt.c.
same "individual text" individual $cab --rules $rules --lang fr

# The sweep's text report: French by default (words and numbers), English
# with --lang en; its JSON the same bytes in both; French shards merged print
# what one French run prints.
"$mutu" generate --structures 40 --seed 3 >"$t/pop.jsonl"
sweep="sweep -q --population $t/pop.jsonl --rules $rules --vary /mutualisation/floor_share=0,1"
# has DESCRIPTION FILE PATTERN [! PATTERN]: FILE holds PATTERN (and not the second).
has() {
	if grep -q -- "$3" "$2" && { [ $# -lt 5 ] || ! grep -q -- "$5" "$2"; }; then
		pass=$((pass + 1))
	else
		echo "FAIL i18n: $1"
		head -3 "$2" | sed 's/^/    /'
		fail=$((fail + 1))
	fi
}
# shellcheck disable=SC2086
"$mutu" $sweep >"$t/sw-fr.txt"
has "sweep text in French by default" "$t/sw-fr.txt" "^Modalités classées par euros" ! "Modalities ranked"
has "sweep text: French numbers (decimal comma)" "$t/sw-fr.txt" "[0-9],[0-9] ETP financés, [0-9]"
has "sweep text: French percentages" "$t/sw-fr.txt" " [0-9]*,[0-9][^0-9 ]*%"
# shellcheck disable=SC2086
"$mutu" $sweep --lang en >"$t/sw-en.txt"
has "sweep text in English with --lang en" "$t/sw-en.txt" "^Modalities ranked by euros" ! "Statu quo"
same "sweep json" $sweep --format json
# shellcheck disable=SC2086
"$mutu" $sweep --lang en --format json >"$t/sw-en.json"
# shellcheck disable=SC2086
"$mutu" $sweep --lang fr --format json >"$t/sw-fr.json"
if cmp -s "$t/sw-en.json" "$t/sw-fr.json"; then pass=$((pass + 1)); else
	echo "FAIL i18n: sweep json differs between --lang en and --lang fr"
	fail=$((fail + 1))
fi
for k in 1 2; do
	# shellcheck disable=SC2086
	"$mutu" $sweep --shard $k/2 --out "$t/part$k.json"
done
"$mutu" merge "$t/part2.json" "$t/part1.json" >"$t/sw-merged.txt"
if cmp -s "$t/sw-merged.txt" "$t/sw-fr.txt"; then pass=$((pass + 1)); else
	echo "FAIL i18n: French sweep shards merged differ from one French run"
	diff "$t/sw-merged.txt" "$t/sw-fr.txt" | head -5 | sed 's/^/    /'
	fail=$((fail + 1))
fi

# The reasons and notes of the analysis (why a doctor is not eligible or not
# in the group, why a group forms not, an option he may not bring, the
# senior and newly installed objectives, why no individual contract): in
# French in the French text and HTML reports of every bundled cabinet and
# two that fail the group's size, in English in their JSON.
english='not eligible\|did not volunteer\|declared on\|contract in force\|is excluded from\|is not allowed\|Aged [0-9]\|Newly installed\|No individual contract\|a pooled contract \(needs\|allows\)\|not enabled by'
printf '{"name": "max2", "extends": "%s/%s", "mutualisation": {"max_doctors": 2}}' "$PWD" "$rules" \
	>"$t/max2.json"
for c in scenarios/cabinets/*.json; do
	for r in $rules "$t/max2.json"; do
		for f in text html; do
			"$mutu" solve "$c" --rules "$r" --format $f --lang fr >>"$t/all-fr.$f" 2>/dev/null
		done
		"$mutu" solve "$c" --rules "$r" --format json >>"$t/all.json" 2>/dev/null
	done
done
for f in text html; do
	if grep -q "$english" "$t/all-fr.$f"; then
		echo "FAIL i18n: English reasons or notes in the French $f reports"
		grep -o ".\{0,30\}\($english\).\{0,30\}" "$t/all-fr.$f" | sort -u | head -5 |
			sed 's/^/    /'
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
done
has "French reasons: a doctor who did not volunteer" "$t/all-fr.text" "pas volontaire pour le contrat mutualisé"
has "French reasons: too many members" "$t/all-fr.text" "un contrat mutualisé en admet au plus 2"
has "French notes: the senior objective" "$t/all-fr.html" "doit l&apos;objectif senior"
"$mutu" validate scenarios/contracts/gare-radiology.json --cabinet scenarios/cabinets/excluded-specialty.json \
	--rules $rules --lang fr >"$t/val-fr.txt"
has "French findings: the reason a member is not eligible" "$t/val-fr.txt" \
	"n'est pas éligible : la spécialité radiologie est exclue du dispositif" ! "$english"
has "JSON keeps the English reasons" "$t/all.json" "did not volunteer for the pooled contract"
has "JSON keeps the English notes" "$t/all.json" "is not allowed: it is not open in the standard zone"

# A bad --lang is a usage error.
"$mutu" individual $cab --rules $rules --lang de >/dev/null 2>"$t/err"
if [ $? = 2 ] && grep -q -- "--lang must be fr or en, got 'de'" "$t/err"; then
	pass=$((pass + 1))
else
	echo "FAIL i18n: --lang de is not refused with status 2"
	sed 's/^/    /' "$t/err"
	fail=$((fail + 1))
fi

echo "i18n: $pass passed, $fail failed"
[ $fail = 0 ]
