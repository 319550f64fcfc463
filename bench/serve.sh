#!/bin/sh
# mutu serve under load: a form submission for a 10-doctor practice (the
# first ten GPs of scenarios/cabinets/centre-30-gp.json, one group, the
# page's defaults: convention-2024, goal net_benefit) sent 200 times one
# after the other on new connections (p50, p99), then by 20 clients at
# once (each answer must be 200 and the same bytes).  Target: p99 under
# 100 ms, no failure.
#
# Usage: [GOAL=patients] bench/serve.sh [BUILD/mutu] [N] [CLIENTS]
set -eu
cd "$(dirname "$0")/.."
MUTU=${1:-build/mutu}
N=${2:-200}
C=${3:-20}
GOAL=${GOAL:-net_benefit}
tmp=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
cc -std=c11 -D_XOPEN_SOURCE=700 -O2 -Wall -Wextra -o "$tmp/client" bench/serve.c -lpthread

# The first ten doctors: the file holds one doctor per line.
awk 'BEGIN { n = 0 }
	/"doctors": \[/ { print; indocs = 1; next }
	indocs && /"id": "gp-/ { if (n < 10) { n++; line = $0; sub(/,[ \t]*$/, "", line);
		printf "%s%s\n", (n > 1 ? "," : ""), line } ; next }
	indocs { next }
	{ print }
	END { print "]}" }' scenarios/cabinets/centre-30-gp.json >"$tmp/cab.json"
printf '{"cabinet": %s, "rules": "convention-2024.json", "goal": "%s", "sharing": "patients"}' \
	"$(cat "$tmp/cab.json")" "$GOAL" >"$tmp/body.json"
"$MUTU" solve "$tmp/cab.json" --rules scenarios/rules/convention-2024.json --format json |
	python3 -c 'import json, sys
g = json.load(sys.stdin)["groups"][0]
print("practice: %d doctors in the plan, %d in the baseline" % (len(g["pooled"]["doctors"]),
      len(g["individual"]["doctors"])))'

"$MUTU" serve --port 0 >"$tmp/out" 2>"$tmp/err" &
pid=$!
i=0
while [ ! -s "$tmp/out" ] && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
port=$(sed -n 's/^mutu serve: http:\/\/127\.0\.0\.1:\([0-9]*\)\/$/\1/p' "$tmp/out")
[ -n "$port" ] || { echo "mutu serve printed no address" >&2; exit 1; }
echo "machine: $(nproc) cores, $(sed -n 's/^model name[ \t]*: //p' /proc/cpuinfo | head -1)"
echo "commit: $(git describe --always --dirty 2>/dev/null || echo unknown)"
rc=0
"$tmp/client" 127.0.0.1 "$port" /api/solve "$tmp/body.json" "$N" "$C" || rc=$?
kill -TERM "$pid"
wait "$pid" || rc=$?
pid=""
exit $rc
