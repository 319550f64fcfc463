#!/bin/sh
# Stream tests of batch, sweep and merge on a small generated population:
#   - batch output is byte-identical with -j 1 and -j 2, one line per input line;
#   - a bad line yields one error line in place and the batch goes on (exit 1);
#   - 4 shards merged (in any order) equal one run, byte for byte (batch and sweep);
#   - a run stopped midway (MUTU_TEST_STOP_AFTER, as if killed, and a real SIGKILL)
#     then rerun with the same checkpoint gives the same output as an uninterrupted run;
#   - a varied pointer that names nothing is an error before any work.
# Usage: tests/stream.sh path/to/mutu
set -u
mutu=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/.." || exit 2
rules=scenarios/rules/convention-2024.json
variant=scenarios/rules/variants/pooled-objective.json
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
pass=0
fail=0
check() { # name, then a command that must succeed
	name=$1
	shift
	if "$@"; then pass=$((pass + 1)); else echo "FAIL stream: $name"; fail=$((fail + 1)); fi
}
same() { cmp -s "$1" "$2"; }

"$mutu" generate --structures 300 --seed 7 >"$t/pop.jsonl" || { echo "FAIL stream: generate"; exit 1; }
# A population with a bad line and an empty line in the middle.
{ head -n 100 "$t/pop.jsonl"; echo '{"id": "broken", "zone": "zip", "contract_start": "2025-01-01", "doctors": 3}'; echo; tail -n +101 "$t/pop.jsonl"; } >"$t/mixed.jsonl"

"$mutu" batch -q --rules $rules -j 1 "$t/pop.jsonl" >"$t/b1.jsonl"
check "batch -j 1 exits 0" test $? = 0
"$mutu" batch -q --rules $rules -j 2 <"$t/pop.jsonl" >"$t/b2.jsonl"
check "batch -j 1 and -j 2 are byte-identical" same "$t/b1.jsonl" "$t/b2.jsonl"
check "one result line per input line" test "$(wc -l <"$t/b1.jsonl")" = 300

"$mutu" batch -q --rules $rules -j 2 "$t/mixed.jsonl" >"$t/m.jsonl"
check "a bad line makes the batch exit 1" test $? = 1
check "the batch goes on: 302 lines out" test "$(wc -l <"$t/m.jsonl")" = 302
check "the bad line's error record is in place" \
	grep -q '^{"line":101,"cabinet":"broken","error":{"path":"/doctors","message":"must be a non-empty array of doctors, got a number"}' "$t/m.jsonl"
check "the empty line's error record is in place" \
	grep -q '^{"line":102,"error":{"path":"","message":"empty document, expected a JSON object"}}$' "$t/m.jsonl"
check "lines after the bad ones are the same results" \
	same "$(sed -n '103,302p' "$t/m.jsonl" | sed 's/^{"line":[0-9]*,//' >"$t/after1"; echo "$t/after1")" \
	"$(sed -n '101,300p' "$t/b1.jsonl" | sed 's/^{"line":[0-9]*,//' >"$t/after2"; echo "$t/after2")"

for k in 1 2 3 4; do
	"$mutu" batch -q --rules $rules --shard $k/4 "$t/pop.jsonl" --out "$t/s$k.jsonl"
done
"$mutu" merge "$t/s3.jsonl" "$t/s1.jsonl" "$t/s4.jsonl" "$t/s2.jsonl" >"$t/merged.jsonl"
check "4 batch shards merged equal one run" same "$t/merged.jsonl" "$t/b1.jsonl"

rm -f "$t/ck" "$t/out.jsonl"
MUTU_TEST_STOP_AFTER=170 "$mutu" batch -q --rules $rules -j 2 "$t/pop.jsonl" \
	--out "$t/out.jsonl" --checkpoint "$t/ck" --checkpoint-every 50 2>/dev/null
check "a stopped batch leaves no output, only its partial and checkpoint" \
	test ! -e "$t/out.jsonl" -a -e "$t/out.jsonl.partial" -a -e "$t/ck"
check "the partial output holds more than the checkpoint (work to redo)" \
	test "$(wc -l <"$t/out.jsonl.partial")" -gt 150
"$mutu" batch -q --rules $rules -j 2 "$t/pop.jsonl" --out "$t/out.jsonl" --checkpoint "$t/ck" \
	--checkpoint-every 50
check "the resumed batch equals an uninterrupted one" same "$t/out.jsonl" "$t/b1.jsonl"
check "the checkpoint is gone after success" test ! -e "$t/ck"

# A real kill: a run of a few seconds killed with SIGKILL after a moment,
# then resumed.
for i in $(seq 30); do cat "$t/pop.jsonl"; done >"$t/big.jsonl"
"$mutu" batch -q --rules $rules -j 2 "$t/big.jsonl" >"$t/big-ref.jsonl"
"$mutu" batch -q --rules $rules "$t/big.jsonl" --out "$t/big.out" --checkpoint "$t/bigck" \
	--checkpoint-every 20 &
pid=$!
# Killed once it has recorded a checkpoint (however slow the machine).
for i in $(seq 200); do [ -e "$t/bigck" ] && break; sleep 0.1; done
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
if [ -e "$t/big.out" ]; then
	echo "note stream: the run ended before the kill; the SIGKILL case was not exercised"
else
	check "the killed batch left a checkpoint" test -e "$t/bigck"
fi
"$mutu" batch -q --rules $rules "$t/big.jsonl" --out "$t/big.out" --checkpoint "$t/bigck" \
	--checkpoint-every 20
check "a batch killed with SIGKILL resumes to the same output" same "$t/big.out" "$t/big-ref.jsonl"

"$mutu" sweep -q --population "$t/pop.jsonl" --rules $rules --variant $variant \
	--vary /mutualisation/floor_share=0,1 --format csv -j 2 >"$t/sweep.csv"
check "sweep prints a header and rows" test "$(grep -c '^convention-2024' "$t/sweep.csv")" -ge 4
for k in 1 2 3 4; do
	"$mutu" sweep -q --population "$t/pop.jsonl" --rules $rules --variant $variant \
		--vary /mutualisation/floor_share=0,1 --shard $k/4 --out "$t/sw$k.json"
done
"$mutu" merge --format csv "$t/sw2.json" "$t/sw4.json" "$t/sw1.json" "$t/sw3.json" >"$t/sweep-merged.csv"
check "4 sweep shards merged equal one run" same "$t/sweep-merged.csv" "$t/sweep.csv"

"$mutu" sweep -q --population "$t/pop.jsonl" --rules $rules --variant $variant \
	--achievement beta:8,2 --take-up always --format json -j 2 >"$t/beta.json"
for k in 1 2 3; do
	"$mutu" sweep -q --population "$t/pop.jsonl" --rules $rules --variant $variant \
		--achievement beta:8,2 --take-up always --shard $k/3 --out "$t/bk$k.json"
done
"$mutu" merge --format json "$t/bk3.json" "$t/bk1.json" "$t/bk2.json" >"$t/beta-merged.json"
check "3 sweep shards with Beta draws merged equal one run" same "$t/beta-merged.json" "$t/beta.json"
"$mutu" merge "$t/bk1.json" "$t/bk2.json" >"$t/o" 2>"$t/e"
check "a missing shard is refused" grep -q 'shard 3/3 is missing' "$t/e"
"$mutu" merge "$t/bk1.json" "$t/bk2.json" "$t/bk2.json" >"$t/o" 2>"$t/e"
check "a shard given twice is refused" grep -q 'bk2.json: /shard_k: shard 2/3 given twice' "$t/e"
"$mutu" merge "$t/sw1.json" "$t/bk2.json" >"$t/o" 2>"$t/e"
check "a shard of a run with other options names the field" grep -q 'bk2.json: a shard of another sweep: modalities' "$t/e"

# Variations that change nothing are named, with the likely reason: on a
# population drawn without forfait contracts, exclusive_kinds cannot matter.
sed 's/"forfait_share": [0-9.]*/"forfait_share": 0/' scenarios/profiles/france.json >"$t/nf.json"
"$mutu" generate --structures 300 --seed 7 --profile "$t/nf.json" >"$t/nf.jsonl"
"$mutu" sweep -q --population "$t/nf.jsonl" --rules $rules \
	--variant scenarios/rules/variants/individual-assessment.json \
	--vary '/mutualisation/exclusive_kinds=["assistant"],["assistant","forfait"]' -j 2 >"$t/warn.txt"
check "no forfait contract: exclusive_kinds changes nothing, and the sweep says why" \
	grep -q 'exclusive_kinds=\["assistant","forfait"\]: changes nothing over this population against convention-2024 /mutualisation/exclusive_kinds=\["assistant"\] (no forfait contract in the population' "$t/warn.txt"
check "individual assessment without --achievement changes nothing, and the sweep says why" \
	grep -q 'individual-assessment /mutualisation/exclusive_kinds=\["assistant"\]: changes nothing.*(achievement not simulated' "$t/warn.txt"
"$mutu" sweep -q --population "$t/pop.jsonl" --rules $rules \
	--variant scenarios/rules/variants/individual-assessment.json --achievement beta:8,2 \
	-j 2 >"$t/warn2.txt"
check "with Beta draws individual assessment changes the figures: no warning" \
	test "$(grep -c 'changes nothing' "$t/warn2.txt")" = 0

head -n 50 "$t/pop.jsonl" >"$t/other.jsonl"
"$mutu" sweep -q --population "$t/other.jsonl" --rules $rules --variant $variant \
	--vary /mutualisation/floor_share=0,1 --shard 2/4 --out "$t/other2.json"
"$mutu" merge "$t/sw1.json" "$t/other2.json" "$t/sw3.json" "$t/sw4.json" >"$t/o" 2>"$t/e"
check "a shard of a sweep over another population is refused" \
	grep -q 'other2.json: a shard of another sweep: population' "$t/e"

rm -f "$t/sck"
MUTU_TEST_STOP_AFTER=170 MUTU_TEST_CHECKPOINT_EVERY=50 "$mutu" sweep -q --population "$t/pop.jsonl" --rules $rules \
	--variant $variant --vary /mutualisation/floor_share=0,1 --format csv --checkpoint "$t/sck" \
	--out "$t/sweep2.csv" 2>/dev/null
check "a stopped sweep leaves its checkpoint and no output" test -e "$t/sck" -a ! -e "$t/sweep2.csv"
"$mutu" sweep -q --population "$t/pop.jsonl" --rules $rules --variant $variant \
	--vary /mutualisation/floor_share=0,1 --format csv --checkpoint "$t/sck" --out "$t/sweep2.csv"
check "the resumed sweep equals an uninterrupted one" same "$t/sweep2.csv" "$t/sweep.csv"

"$mutu" sweep -q --population "$t/pop.jsonl" --rules $rules --vary /mutualisation/nope=1,2 \
	>"$t/o" 2>"$t/e"
check "a varied pointer naming nothing exits 2" test $? = 2
check "... and says which" grep -q '/mutualisation/nope: names no value of the rules' "$t/e"
check "... before any work" test ! -s "$t/o"

echo "stream: $pass passed, $fail failed"
[ $fail = 0 ]
