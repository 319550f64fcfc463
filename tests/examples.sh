#!/bin/sh
# Every example cabinet under every rules file (regimes and variants), with
# both goals: `individual` and `solve` must exit 0 or 1 (a group may have no
# plan), never 2 (bad input), 3 (solver failure) or a crash; and every
# contract written by --emit-contract must name the cabinet.
# Usage: tests/examples.sh path/to/mutu
set -u
mutu=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/.." || exit 2
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
pass=0
fail=0
for rules in scenarios/rules/*.json scenarios/rules/variants/*.json; do
	for cab in scenarios/cabinets/*.json; do
		for goal in net_benefit patients; do
			"$mutu" solve "$cab" --rules "$rules" --goal $goal --format json \
				--emit-contract "$t/contract.json" >"$t/out" 2>"$t/err"
			rc=$?
			if [ $rc -gt 1 ]; then
				echo "FAIL examples (status $rc): solve $cab --rules $rules --goal $goal"
				head -5 "$t/err"
				fail=$((fail + 1))
			else
				pass=$((pass + 1))
			fi
		done
		"$mutu" individual "$cab" --rules "$rules" --format csv >"$t/out" 2>"$t/err"
		rc=$?
		if [ $rc -ne 0 ]; then
			echo "FAIL examples (status $rc): individual $cab --rules $rules"
			head -5 "$t/err"
			fail=$((fail + 1))
		else
			pass=$((pass + 1))
		fi
	done
done
echo "examples: $pass passed, $fail failed"
[ $fail = 0 ]
