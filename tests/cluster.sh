#!/bin/sh
# Scale-out on existing engines (bench/cluster/): GNU parallel over two
# local "hosts", and the Slurm job-array script run task by task with the
# variables Slurm sets, each joined by `mutu merge`, give one run's bytes.
# Usage: tests/cluster.sh path/to/mutu
set -u
mutu=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/.." || exit 2
rules=scenarios/rules/convention-2024.json
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
pass=0
fail=0
check() {
	name=$1
	shift
	if "$@"; then pass=$((pass + 1)); else echo "FAIL cluster: $name"; fail=$((fail + 1)); fi
}
"$mutu" generate --structures 120 --seed 4 >"$t/pop.jsonl"
sweep="sweep --population $t/pop.jsonl --rules $rules --vary /mutualisation/floor_share=0,1"
# shellcheck disable=SC2086
"$mutu" $sweep --quiet --format csv >"$t/one.csv"
"$mutu" batch -q --rules $rules "$t/pop.jsonl" >"$t/one.jsonl"
if command -v parallel >/dev/null 2>&1; then
	# shellcheck disable=SC2086
	MUTU=$mutu bench/cluster/parallel.sh -S 1/:,1/: -n 6 -f csv "$t/par.csv" -- $sweep \
		2>"$t/e"
	check "a sweep in 6 shards on 2 local hosts (GNU parallel) equals one run" \
		cmp -s "$t/par.csv" "$t/one.csv"
	MUTU=$mutu bench/cluster/parallel.sh -S 1/:,1/: -n 5 "$t/par.jsonl" -- batch --rules $rules \
		"$t/pop.jsonl" 2>"$t/e"
	check "a batch in 5 shards on 2 local hosts equals one run" cmp -s "$t/par.jsonl" "$t/one.jsonl"
	check "no shard file left" test -z "$(ls "$t" | grep shard)"
else
	echo "note cluster: GNU parallel is not installed; its run is skipped"
fi
for k in 1 2 3 4; do
	# shellcheck disable=SC2086
	SLURM_ARRAY_TASK_ID=$k SLURM_ARRAY_TASK_COUNT=4 MUTU=$mutu \
		sh bench/cluster/slurm.sbatch "$t/slurm.csv" -- $sweep
done
"$mutu" merge --format csv --out "$t/slurm.csv" "$t"/slurm.csv.shard-*
check "the Slurm array script's 4 tasks, merged, equal one run" cmp -s "$t/slurm.csv" "$t/one.csv"
sh bench/cluster/slurm.sbatch "$t/x" -- batch 2>"$t/e"
check "the Slurm script outside an array says how to run it" grep -q "job array" "$t/e"
echo "cluster: $pass passed, $fail failed"
[ $fail = 0 ]
