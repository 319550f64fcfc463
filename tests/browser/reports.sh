#!/bin/sh
# The HTML reports in a real browser: headless Chromium renders the solve
# report of every example cabinet under convention-2024, the simulation of
# every example contract that simulates, and a small sweep; check_dom.py
# compares the rendered DOM with the JSON of the same run (every chart
# present, every charted number equal to the JSON's, French labels), and a
# screenshot must not be blank.  Skips when chromium is not installed.
# Usage: tests/browser/reports.sh path/to/mutu
set -u
mutu=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/../.." || exit 2
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
	echo "browser: SKIPPED, chromium is not installed (apt-get install chromium)"
	exit 0
fi
# Debian's python3 first: python3-selenium is installed for it.
py=/usr/bin/python3
[ -x $py ] || py=python3
export LC_ALL=C
unset LANG LANGUAGE LC_MESSAGES
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
pass=0
fail=0
simulated=0
rules=scenarios/rules/convention-2024.json

# One browser run: a fresh profile, nothing fetched, no GPU.  $1 names the
# run (its profile and its standard error).
chrome() {
	id=$1
	shift
	timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
		--no-first-run --disable-background-networking --disable-component-update \
		--disable-sync --user-data-dir="$t/profile.$id" "$@" 2>"$t/chrome.$id.err"
}

# Cases are written first (case N: $t/N.kind, N.name, N.html, N.json),
# then rendered, then checked.
cases=0

# add KIND NAME ARGS...: the same command in JSON and in HTML (French, the
# default), both kept as case N.
add() {
	kind=$1
	name=$2
	shift 2
	n=$((cases + 1))
	"$mutu" "$@" --format json >"$t/$n.json" 2>/dev/null
	rc=$?
	"$mutu" "$@" --format html --out "$t/$n.html" 2>"$t/err"
	if [ $? != $rc ] || [ ! -s "$t/$n.html" ]; then
		echo "FAIL browser $name: --format html failed or differs in status from json"
		head -3 "$t/err" | sed 's/^/    /'
		fail=$((fail + 1))
		return
	fi
	# Self-contained: nothing to fetch (the SVG namespace is a name, not a link).
	if grep -Eiq '<script|<link|<img|<iframe| src=| href=|@import|url\(' "$t/$n.html"; then
		echo "FAIL browser $name: the page refers to something outside itself"
		fail=$((fail + 1))
		return
	fi
	echo "$kind" >"$t/$n.kind"
	echo "$name" >"$t/$n.name"
	cases=$n
}

for cab in scenarios/cabinets/*.json; do
	add solve "solve $cab" solve "$cab" --rules $rules
done

# Each example contract names its cabinet and rules in its .expected file.
for ct in scenarios/contracts/*.json; do
	exp=${ct%.json}.expected
	cab=$(sed -n 's/^# cabinet: //p' "$exp" 2>/dev/null)
	ctrules=$(sed -n 's/^# rules: //p' "$exp" 2>/dev/null)
	[ -f "$cab" ] && [ -f "$ctrules" ] || continue
	# Only contracts without errors simulate (the others exit 1 and say why).
	"$mutu" simulate "$ct" --cabinet "$cab" --rules "$ctrules" --format json >/dev/null 2>&1 ||
		continue
	simulated=$((simulated + 1))
	add simulate "simulate $ct" simulate "$ct" --cabinet "$cab" --rules "$ctrules"
done
if [ "$simulated" -lt 2 ]; then
	echo "FAIL browser: only $simulated example contracts simulate"
	fail=$((fail + 1))
fi

"$mutu" generate --structures 12 --seed 5 --rules $rules >"$t/pop.jsonl"
add sweep "sweep" sweep --population "$t/pop.jsonl" --rules $rules --quiet \
	--vary /mutualisation/floor_share=0.2,0.5 --variant scenarios/rules/avenant7-2019.json

# The bundled example again, for screenshots: at 1200x1600 its PNG must be
# far larger than a blank page's of the same size, and at a quarter of the
# scale (quick to decode in Python) it must hold the charts' colours.
"$mutu" solve scenarios/cabinets/msp-tilleuls.json --rules $rules --format html \
	--out "$t/tilleuls.html"
printf '<!DOCTYPE html><html><body></body></html>\n' >"$t/blank.html"

# One browser session for every page (selenium); without it, one chromium
# run per page.
$py tests/browser/render.py "$browser" "$t" $cases
rendered=$?
if [ $rendered = 3 ]; then
	echo "browser: python3-selenium or chromium-driver missing, one chromium run per page"
	i=1
	while [ $i -le $cases ]; do
		[ -f "$t/$i.kind" ] && chrome $i --dump-dom "file://$t/$i.html" >"$t/$i.dom"
		i=$((i + 1))
	done
	chrome shot --screenshot="$t/shot.png" --window-size=1200,1600 \
		"file://$t/tilleuls.html" >/dev/null
	chrome blank --screenshot="$t/blank.png" --window-size=1200,1600 "file://$t/blank.html" \
		>/dev/null
	chrome small --screenshot="$t/small.png" --window-size=1200,1600 \
		--force-device-scale-factor=0.25 "file://$t/tilleuls.html" >/dev/null
elif [ $rendered != 0 ]; then
	echo "FAIL browser: the selenium session failed"
	fail=$((fail + 1))
fi
if [ -s "$t/shot.png" ] && [ -s "$t/blank.png" ] && [ -s "$t/small.png" ] &&
	$py tests/browser/check_dom.py png "$t/shot.png" "$t/blank.png" "$t/small.png"; then
	pass=$((pass + 1))
else
	echo "FAIL browser screenshot of msp-tilleuls"
	fail=$((fail + 1))
fi

i=1
while [ $i -le $cases ]; do
	if [ -f "$t/$i.kind" ]; then
		name=$(cat "$t/$i.name")
		if [ ! -s "$t/$i.dom" ]; then
			echo "FAIL browser $name: chromium rendered nothing"
			head -3 "$t/chrome.$i.err" | sed 's/^/    /'
			fail=$((fail + 1))
		elif $py tests/browser/check_dom.py "$(cat "$t/$i.kind")" "$t/$i.dom" "$t/$i.json"
		then
			pass=$((pass + 1))
		else
			echo "FAIL browser $name"
			fail=$((fail + 1))
		fi
	fi
	i=$((i + 1))
done

echo "browser: $pass passed, $fail failed"
[ $fail = 0 ]
