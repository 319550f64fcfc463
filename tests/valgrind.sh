#!/bin/sh
# Runs mutu on every example cabinet under every rules file (regimes and
# variants; `individual` under the regimes only) under valgrind; fails on
# any leak or memory error (exit status 99 from valgrind; mutu's own
# statuses 0 and 1 are fine here).
# Usage: tests/valgrind.sh path/to/mutu
set -u
mutu=$1
cd "$(dirname "$0")/.." || exit 2
log=$(mktemp)
trap 'rm -f "$log"' EXIT
pass=0
fail=0
for rules in scenarios/rules/*.json scenarios/rules/variants/*.json; do
	cmds="solve"
	case $rules in */variants/*) ;; *) cmds="individual solve" ;; esac
	for cab in scenarios/cabinets/*.json; do
		for cmd in $cmds; do
			valgrind -q --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all \
				--error-exitcode=99 "$mutu" "$cmd" "$cab" --rules "$rules" --format json \
				>/dev/null 2>"$log"
			rc=$?
			if [ $rc -ge 2 ]; then
				echo "FAIL (status $rc): $mutu $cmd $cab --rules $rules"
				head -30 "$log"
				fail=$((fail + 1))
			else
				pass=$((pass + 1))
			fi
		done
	done
done
# Every example contract, validated and simulated against its cabinet and
# rules (named in its .expected file).
for ct in scenarios/contracts/*.json; do
	exp=${ct%.json}.expected
	cab=$(sed -n 's/^# cabinet: //p' "$exp")
	rules=$(sed -n 's/^# rules: //p' "$exp")
	for cmd in validate simulate; do
		valgrind -q --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all \
			--error-exitcode=99 "$mutu" "$cmd" "$ct" --cabinet "$cab" --rules "$rules" \
			>/dev/null 2>"$log"
		rc=$?
		if [ $rc -eq 99 ] || [ $rc -eq 3 ] || [ $rc -gt 99 ]; then
			echo "FAIL (status $rc): $mutu $cmd $ct --cabinet $cab --rules $rules"
			head -30 "$log"
			fail=$((fail + 1))
		else
			pass=$((pass + 1))
		fi
	done
done
echo "valgrind: $pass passed, $fail failed"
[ $fail = 0 ]
