#!/bin/sh
# Golden CLI tests: for each tests/golden/**/NAME.cmd (the arguments of one
# mutu run, relative to the repository root), the exit status must equal
# NAME.rc, and standard output / standard error must equal NAME.out /
# NAME.err when those files exist.  Usage: tests/golden.sh path/to/mutu
set -u
# Text reports speak the language of the environment: pin it (a case that
# wants one passes --lang).
export LC_ALL=C
unset LANGUAGE LC_MESSAGES LANG
mutu=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
for cmd in $(find tests/golden -name '*.cmd' | LC_ALL=C sort); do
	case=${cmd%.cmd}
	args=$(cat "$cmd")
	eval "\"\$mutu\" $args" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	ok=1
	want_rc=$(cat "$case.rc" 2>/dev/null || echo 0)
	if [ "$rc" != "$want_rc" ]; then
		echo "FAIL $case: exit status $rc, expected $want_rc"
		sed 's/^/    /' "$tmp/err" | head -5
		ok=0
	fi
	for stream in out err; do
		if [ -f "$case.$stream" ] && ! cmp -s "$case.$stream" "$tmp/$stream"; then
			echo "FAIL $case: standard $stream differs"
			diff "$case.$stream" "$tmp/$stream" | head -20 | sed 's/^/    /'
			ok=0
		fi
	done
	if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done
echo "golden: $pass passed, $fail failed"
[ $fail = 0 ]
