#!/bin/sh
# The throughput floor: how fast `mutu batch` reads and writes structures
# when nothing is solved (rules under which no group forms: pooling
# disabled), beside the same population fully solved, in the same run.
# The ratio says how close the end-to-end rate is to the I/O.
# Usage: bench/floor.sh [STRUCTURES] [THREADS]   (default 20000 2)
set -eu
n=${1:-20000}
j=${2:-2}
root=$(cd "$(dirname "$0")/.." && pwd)
mutu=${MUTU:-$root/build/mutu}
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
"$mutu" generate --structures "$n" --seed 1 >"$t/pop.jsonl"
printf '{"name": "no-pooling", "extends": "%s", "mutualisation": {"enabled": false}}\n' \
	"$root/scenarios/rules/convention-2024.json" >"$t/off.json"
rate() { # rules -> structures per second
	s=$(date +%s.%N)
	"$mutu" batch -q -j "$j" --rules "$1" "$t/pop.jsonl" >/dev/null || [ $? = 1 ]
	e=$(date +%s.%N)
	echo "$n $s $e" | awk '{ printf "%.0f", $1 / ($3 - $2) }'
}
floor=$(rate "$t/off.json")
full=$(rate "$root/scenarios/rules/convention-2024.json")
echo "batch -j $j over $n structures: $floor structures/s reading and writing only (no group" \
	"formed), $full structures/s solved; solved / floor = $(echo "$full $floor" |
		awk '{ printf "%.2f", $1 / $2 }')"
