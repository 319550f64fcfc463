#!/bin/sh
# mutu serve over real HTTP: starts the server on a free port, asks it with
# curl (every endpoint, bad requests, an oversized body, 20 clients at
# once), stops it with SIGTERM and checks it exits 0 with nothing left.
#
# Usage: tests/serve.sh BUILD/mutu
set -u
MUTU=${1:-build/mutu}
cd "$(dirname "$0")/.." || exit 2
fail=0
tmp=$(mktemp -d)
pid=""
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

if ! command -v curl >/dev/null 2>&1; then
	echo "serve: curl is not installed (apt-get install curl)"
	exit 1
fi

ok() { echo "ok   $1"; }
ko() {
	echo "FAIL $1"
	fail=1
}

"$MUTU" serve --port 0 >"$tmp/out" 2>"$tmp/err" &
pid=$!
i=0
while [ ! -s "$tmp/out" ] && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
base=$(sed -n 's/^mutu serve: \(http:\/\/127\.0\.0\.1:[0-9][0-9]*\/\)$/\1/p' "$tmp/out")
if [ -z "$base" ]; then
	echo "FAIL mutu serve printed no address: $(cat "$tmp/out" "$tmp/err")"
	exit 1
fi
ok "listening on $base"

# status METHOD PATH [BODY-FILE]: the HTTP status, the body in $tmp/body.
status() {
	if [ $# -ge 3 ]; then
		curl -s -o "$tmp/body" -w '%{http_code}' -X "$1" -H 'Content-Type: application/json' \
			--data-binary "@$3" "$base${2#/}"
	else
		curl -s -o "$tmp/body" -w '%{http_code}' -X "$1" "$base${2#/}"
	fi
}

expect() { # WHAT WANT GOT
	if [ "$2" = "$3" ]; then ok "$1"; else ko "$1: want $2, got $3 ($(head -c 300 "$tmp/body"))"; fi
}

cab=scenarios/cabinets/msp-tilleuls.json
rules=scenarios/rules/convention-2024.json
printf '{"cabinet": %s, "rules": "convention-2024.json", "goal": "patients"}' "$(cat $cab)" \
	>"$tmp/solve.json"

expect "GET / is the page" 200 "$(status GET /)"
grep -q '<form id="form"' "$tmp/body" || ko "GET / holds the form"
# Nothing the page shows comes from elsewhere: no address of another site.
if grep -Eq '(src|href)="(https?:)?//' "$tmp/body"; then ko "the page loads nothing from elsewhere"; else ok "the page loads nothing from elsewhere"; fi
csp=$(curl -s -D - -o /dev/null "$base" | tr -d '\r' | sed -n 's/^[Cc]ontent-[Ss]ecurity-[Pp]olicy: //p')
case "$csp" in
*"default-src 'none'"*"connect-src 'self'"*) ok "the page forbids the browser any other site (CSP)" ;;
*) ko "no Content-Security-Policy keeping the page to this computer: $csp" ;;
esac
expect "GET /api/rules" 200 "$(status GET /api/rules)"
grep -q '"file":.*"variants/pooled-objective.json"' "$tmp/body" || ko "/api/rules lists the variants"

expect "POST /api/solve" 200 "$(status POST /api/solve "$tmp/solve.json")"
"$MUTU" solve $cab --rules $rules --goal patients --format json >"$tmp/cli.json"
if cmp -s "$tmp/body" "$tmp/cli.json"; then ok "/api/solve is what mutu solve --format json prints"; else ko "/api/solve differs from the CLI"; fi

printf '{"cabinet": %s, "rules": "convention-2024.json", "specialty": "generaliste"}' \
	"$(cat $cab)" >"$tmp/ct-req.json"
expect "POST /api/contract" 200 "$(status POST /api/contract "$tmp/ct-req.json")"
cp "$tmp/body" "$tmp/contract.json"
"$MUTU" solve $cab --rules $rules --emit-contract "$tmp/emitted.json" >/dev/null
if cmp -s "$tmp/contract.json" "$tmp/emitted-generaliste.json"; then ok "/api/contract is what --emit-contract writes"; else ko "/api/contract differs from --emit-contract"; fi

printf '{"cabinet": %s, "rules": "convention-2024.json", "contract": %s}' "$(cat $cab)" \
	"$(cat "$tmp/contract.json")" >"$tmp/val.json"
expect "POST /api/validate" 200 "$(status POST /api/validate "$tmp/val.json")"
"$MUTU" validate "$tmp/contract.json" --cabinet $cab --rules $rules --format json >"$tmp/cli.json"
if cmp -s "$tmp/body" "$tmp/cli.json"; then ok "/api/validate is what mutu validate prints"; else ko "/api/validate differs from the CLI"; fi

printf '{"cabinet": %s, "rules": "convention-2024.json", "contract": %s, "achievement": 0.8}' \
	"$(cat $cab)" "$(cat "$tmp/contract.json")" >"$tmp/sim.json"
expect "POST /api/simulate" 200 "$(status POST /api/simulate "$tmp/sim.json")"
"$MUTU" simulate "$tmp/contract.json" --cabinet $cab --rules $rules --achievement 0.8 \
	--format json >"$tmp/cli.json"
if cmp -s "$tmp/body" "$tmp/cli.json"; then ok "/api/simulate is what mutu simulate prints"; else ko "/api/simulate differs from the CLI"; fi

printf '{"cabinet": {' >"$tmp/bad.json"
expect "malformed JSON is 400" 400 "$(status POST /api/solve "$tmp/bad.json")"
printf '{"cabinet": {}, "rules": "/etc/passwd"}' >"$tmp/bad.json"
expect "a rules file outside the bundle is 400" 400 "$(status POST /api/solve "$tmp/bad.json")"
grep -q '"path":.*"/rules"' "$tmp/body" || ko "the error names /rules"
expect "an unknown address is 404" 404 "$(status GET /etc/passwd)"
expect "GET on a POST address is 405" 405 "$(status GET /api/solve)"
# Just over 1 MiB of spaces: refused on its length.
head -c 1048577 /dev/zero | tr '\0' ' ' >"$tmp/big.json"
expect "a body over 1 MiB is 413" 413 "$(status POST /api/solve "$tmp/big.json")"

# 20 clients at once, each answered in full.
n=0
clients=""
while [ $n -lt 20 ]; do
	curl -s -o "$tmp/c$n" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
		--data-binary "@$tmp/solve.json" "${base}api/solve" >"$tmp/s$n" &
	clients="$clients $!"
	n=$((n + 1))
done
wait_clients=0
for j in $clients; do
	wait "$j" || wait_clients=1
done
"$MUTU" solve $cab --rules $rules --goal patients --format json >"$tmp/cli.json"
bad=0
n=0
while [ $n -lt 20 ]; do
	{ [ "$(cat "$tmp/s$n")" = 200 ] && cmp -s "$tmp/c$n" "$tmp/cli.json"; } || bad=$((bad + 1))
	n=$((n + 1))
done
if [ $bad -eq 0 ] && [ $wait_clients -eq 0 ]; then ok "20 concurrent clients answered in full"; else ko "$bad of 20 concurrent clients failed"; fi

# Usage errors, and a port already taken.
port=$(echo "$base" | sed 's/.*:\([0-9]*\)\/$/\1/')
"$MUTU" serve --bind nowhere >/dev/null 2>"$tmp/e"
expect "--bind with no address is a usage error" 2 "$?"
"$MUTU" serve --port 0 --rules-dir "$tmp/none" >/dev/null 2>"$tmp/e"
expect "a rules directory that cannot be read is exit 2" 2 "$?"
"$MUTU" serve --port "$port" >/dev/null 2>"$tmp/e"
expect "a port already taken is exit 3" 3 "$?"

kill -TERM "$pid"
i=0
while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
if kill -0 "$pid" 2>/dev/null; then
	ko "mutu serve still running 5 s after SIGTERM"
	kill -KILL "$pid"
fi
wait "$pid"
rc=$?
pid=""
expect "SIGTERM stops mutu serve with status 0" 0 "$rc"

# SIGINT (Ctrl-C) stops it as cleanly.
"$MUTU" serve --port 0 >"$tmp/out2" 2>/dev/null &
pid=$!
i=0
while [ ! -s "$tmp/out2" ] && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
kill -INT "$pid"
wait "$pid"
rc=$?
pid=""
expect "SIGINT stops mutu serve with status 0" 0 "$rc"

if [ $fail -ne 0 ]; then
	echo "serve: FAILED"
	exit 1
fi
echo "serve: all passed"
