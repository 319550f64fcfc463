#!/bin/sh
# The 40 large sum_individual groups: cabinets of 30 to 100 GPs (patient
# lists lognormal around 1 000), floor share 0, 0.3 or 1, max_etp_total 10
# or 40, both zones, max_doctors 200, each solved by `mutu solve` under
# both goals: 80 solves, each timed as a whole process (loading the rules
# and the cabinet, the individual contracts, the pooled group, the JSON).
# A fixed seed draws the same groups every run.  Fails (exit 1) when a
# solve fails, reaches its time limit or takes over LIMIT_MS (200) in the
# least of three runs.
# Usage: bench/large.sh [SEED]   (default 13)
set -eu
seed=${1:-13}
limit=${LIMIT_MS:-200}
root=$(cd "$(dirname "$0")/.." && pwd)
mutu=${MUTU:-$root/build/mutu}
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
python3 - "$seed" "$t" "$root/scenarios/rules/convention-2024.json" <<'EOF'
import json, math, random, sys
seed, out, base = int(sys.argv[1]), sys.argv[2], sys.argv[3]
rng = random.Random(seed)
for k in range(40):
    m = rng.randint(30, 100)
    floor = (0.0, 0.3, 1.0)[k % 3]
    cap = (10.0, 40.0)[(k // 3) % 2]
    zone = ("standard", "zip")[(k // 6) % 2]
    rules = {"name": "large-%02d" % k, "extends": base,
             "mutualisation": {"max_doctors": 200, "max_etp_total": cap, "floor_share": floor}}
    doctors = []
    for i in range(m):
        pmt = max(200, min(4000, round(rng.lognormvariate(math.log(1000), 0.35))))
        doctors.append({"id": "gp-%03d" % (i + 1), "specialty": "generaliste", "sector": "1",
                        "pmt": pmt, "fa": round(pmt * rng.uniform(1.3, 1.8)),
                        "age": rng.randint(30, 66), "new_installed": False, "volunteer": True,
                        "declared_on": "2024-10-01", "contracts": []})
    cab = {"id": "large-%02d" % k, "name": "%d GPs" % m, "zone": zone,
           "contract_start": "2025-01-01", "doctors": doctors}
    json.dump(rules, open("%s/rules-%02d.json" % (out, k), "w"))
    json.dump(cab, open("%s/cab-%02d.json" % (out, k), "w"))
    print("%02d %d %g %g %s" % (k, m, floor, cap, zone), file=open("%s/list" % out, "a"))
EOF
now_ms() { date +%s%N | awk '{ printf "%.3f", $1 / 1e6 }'; }
# One timed solve: sets rc, st and ms.
solve_once() {
	s=$(now_ms)
	rc=0
	"$mutu" solve "$t/cab-$k.json" --rules "$t/rules-$k.json" --goal "$goal" \
		--format json --time-limit 60000 >"$t/out.json" 2>"$t/err" || rc=$?
	e=$(now_ms)
	st=$(python3 -c 'import json,sys
try: print(json.load(open(sys.argv[1]))["groups"][0]["status"])
except Exception: print("-")' "$t/out.json")
	ms=$(echo "$s $e" | awk '{ printf "%.1f", $2 - $1 }')
}
over() { [ "$(echo "$1 $limit" | awk '{ print ($1 > $2) }')" = 1 ]; }
bad=0
printf ' k doctors floor  cap zone     goal         ms  exit status\n'
while read -r k m floor cap zone; do
	for goal in net_benefit patients; do
		solve_once
		# A wall time over the limit is timed twice more and the least
		# kept: on a shared machine a process can wait for the CPU for
		# hundreds of ms (perf stat: 9 ms of task-clock in a 458 ms run).
		note=""
		for again in 1 2; do
			over "$ms" || break
			first=${first:-$ms}
			prev=$ms
			solve_once
			ms=$(echo "$prev $ms" | awk '{ print ($1 < $2 ? $1 : $2) }')
			note=" (timed again; first $first ms)"
		done
		first=""
		printf '%2s %7s %5s %4s %-8s %-11s %7s %5s %s%s\n' "$k" "$m" "$floor" "$cap" "$zone" \
			"$goal" "$ms" "$rc" "$st" "$note"
		echo "$ms" >>"$t/times"
		if [ "$rc" -ge 2 ] || [ "$st" = time_limit ] || [ "$st" = error ] || over "$ms"; then
			bad=$((bad + 1))
			sed 's/^/  /' "$t/err"
		fi
	done
done <"$t/list"
sort -n "$t/times" | awk -v bad="$bad" -v limit="$limit" '{ a[NR] = $1 }
	END { printf "80 solves: median %.1f ms, p90 %.1f, max %.1f; %d over %d ms, failed or cut\n",
		a[int(NR / 2) + 1], a[int(NR * 0.9)], a[NR], bad, limit }'
[ "$bad" = 0 ]
