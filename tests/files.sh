#!/bin/sh
# Nothing lost, nothing mixed, nothing hangs: the files mutu reads and
# writes, checked from the outside.
#   - merge refuses a missing, repeated or unfinished shard, a shard of
#     another run (rules, N), and names it; '-' can be a shard;
#   - a checkpoint of another input or rules, or a partial shorter than it
#     says, restarts with a message and gives a fresh run's bytes;
#   - outputs are whole or absent: /dev/full is an error naming it, nothing
#     is left behind, an output naming an input is refused;
#   - inputs are regular files: a directory, a FIFO, /dev/zero are errors
#     at once; one standard input only;
#   - JSON input with NUL bytes, \u0000, invalid UTF-8 or leading zeros is
#     an error with its position; JSON output never holds -0.
# Usage: tests/files.sh path/to/mutu
set -u
mutu=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/.." || exit 2
rules=scenarios/rules/convention-2024.json
cab=scenarios/cabinets/msp-tilleuls.json
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
pass=0
fail=0
check() { # name, then a command that must succeed
	name=$1
	shift
	if "$@"; then pass=$((pass + 1)); else echo "FAIL files: $name"; fail=$((fail + 1)); fi
}
has() { grep -q -- "$1" "$2"; } # text, file

"$mutu" generate --structures 40 --seed 3 >"$t/pop.jsonl"
"$mutu" batch -q --rules $rules "$t/pop.jsonl" >"$t/one.jsonl"
for k in 1 2 3 4; do
	"$mutu" batch -q --rules $rules --shard $k/4 "$t/pop.jsonl" --out "$t/s$k.jsonl"
done

# -- merge --
"$mutu" merge "$t/s1.jsonl" "$t/s2.jsonl" "$t/s3.jsonl" >"$t/m" 2>"$t/e"
check "3 of 4 shards: exit 2" test $? = 2
check "3 of 4 shards: the missing one is named" has "shard 4/4 is missing" "$t/e"
"$mutu" merge "$t/s1.jsonl" "$t/s2.jsonl" "$t/s3.jsonl" "$t/s3.jsonl" >"$t/m" 2>"$t/e"
check "a repeated shard is refused" has "shard 3/4 given twice" "$t/e"
head -n 5 "$t/s4.jsonl" >"$t/s4.partial"
"$mutu" merge "$t/s1.jsonl" "$t/s2.jsonl" "$t/s3.jsonl" "$t/s4.partial" >"$t/m" 2>"$t/e"
check "an unfinished shard is refused" has "s4.partial: no end record" "$t/e"
"$mutu" batch -q --rules scenarios/rules/ra-2023.json --shard 4/4 "$t/pop.jsonl" --out "$t/o4.jsonl"
"$mutu" merge "$t/s1.jsonl" "$t/s2.jsonl" "$t/s3.jsonl" "$t/o4.jsonl" >"$t/m" 2>"$t/e"
check "a shard run with other rules is refused" has "o4.jsonl: a shard of another run .*the rules differ" "$t/e"
"$mutu" batch -q --rules $rules --shard 1/2 "$t/pop.jsonl" --out "$t/h1.jsonl"
"$mutu" merge "$t/h1.jsonl" "$t/s2.jsonl" >"$t/m" 2>"$t/e"
check "a 2/4 shard with a 1/2 shard is refused" has "the number of shards differ" "$t/e"
head -n 20 "$t/pop.jsonl" >"$t/other.jsonl"
"$mutu" batch -q --rules $rules --shard 2/2 "$t/other.jsonl" --out "$t/h2.jsonl"
"$mutu" merge "$t/h1.jsonl" "$t/h2.jsonl" >"$t/m" 2>"$t/e"
check "a shard of another population is refused" has "the input differ" "$t/e"
"$mutu" merge "$t/s1.jsonl" - "$t/s3.jsonl" "$t/s4.jsonl" <"$t/s2.jsonl" >"$t/m"
check "a shard on standard input merges like a file" cmp -s "$t/m" "$t/one.jsonl"
sed '3d' "$t/s2.jsonl" >"$t/s2.cut"
"$mutu" merge "$t/s1.jsonl" "$t/s2.cut" "$t/s3.jsonl" "$t/s4.jsonl" >"$t/m" 2>"$t/e"
check "a shard with a line lost is refused" has "s2.cut: result of input line 10 expected" "$t/e"

# -- checkpoints --
MUTU_TEST_STOP_AFTER=15 "$mutu" batch -q --rules $rules "$t/pop.jsonl" --out "$t/ck.out" \
	--checkpoint "$t/ck" --checkpoint-every 5 2>/dev/null
sed 's/"pmt":\([0-9]*\)/"pmt":1\1/' "$t/pop.jsonl" >"$t/pop2.jsonl"
cp "$t/pop2.jsonl" "$t/pop.changed"
"$mutu" batch -q --rules $rules "$t/pop.changed" --out "$t/fresh.out"
cp "$t/pop.jsonl" "$t/input.jsonl"
MUTU_TEST_STOP_AFTER=15 "$mutu" batch -q --rules $rules "$t/input.jsonl" --out "$t/ck2.out" \
	--checkpoint "$t/ck2" --checkpoint-every 5 2>/dev/null
cp "$t/pop.changed" "$t/input.jsonl"
"$mutu" batch -q --rules $rules "$t/input.jsonl" --out "$t/ck2.out" --checkpoint "$t/ck2" \
	--checkpoint-every 5 2>"$t/e"
check "input changed at the same path: the batch says it starts over" \
	has "the input does not begin with the lines the checkpoint recorded" "$t/e"
check "input changed at the same path: no old result mixed in" cmp -s "$t/ck2.out" "$t/fresh.out"
MUTU_TEST_STOP_AFTER=15 "$mutu" batch -q --rules $rules "$t/pop.jsonl" --out "$t/ck3.out" \
	--checkpoint "$t/ck3" --checkpoint-every 5 2>/dev/null
"$mutu" batch -q --rules scenarios/rules/ra-2023.json "$t/pop.jsonl" --out "$t/ck3.out" \
	--checkpoint "$t/ck3" --checkpoint-every 5 2>"$t/e"
check "rules changed: the batch starts over" has "another run (the rules differ)" "$t/e"
"$mutu" batch -q --rules scenarios/rules/ra-2023.json "$t/pop.jsonl" >"$t/ra.jsonl"
check "rules changed: the output is the new rules' alone" cmp -s "$t/ck3.out" "$t/ra.jsonl"
MUTU_TEST_STOP_AFTER=15 "$mutu" batch -q --rules $rules "$t/pop.jsonl" --out "$t/ck4.out" \
	--checkpoint "$t/ck4" --checkpoint-every 5 2>/dev/null
: >"$t/ck4.out.partial"
"$mutu" batch -q --rules $rules "$t/pop.jsonl" --out "$t/ck4.out" --checkpoint "$t/ck4" \
	--checkpoint-every 5 2>"$t/e"
check "a partial shorter than its checkpoint: starts over" has "shorter than the checkpoint" "$t/e"
check "a partial shorter than its checkpoint: no NUL padding, a fresh run's bytes" \
	cmp -s "$t/ck4.out" "$t/one.jsonl"
check "no temporary file left behind" test -z "$(ls "$t" | grep '\.tmp\.')"

# -- outputs --
"$mutu" solve $cab --rules $rules --out /dev/full 2>"$t/e"
check "solve --out /dev/full: exit 2" test $? = 2
check "solve --out /dev/full: the message names it" has "/dev/full: cannot write" "$t/e"
"$mutu" export $cab --rules $rules --specialty generaliste --out /dev/full 2>"$t/e"
check "export --out /dev/full: exit 2 with a message" test $? = 2 -a -s "$t/e"
"$mutu" merge "$t/s1.jsonl" "$t/s2.jsonl" "$t/s3.jsonl" "$t/s4.jsonl" --out /dev/full 2>"$t/e"
check "merge --out /dev/full: exit 2 with a message" test $? = 2 -a -s "$t/e"
"$mutu" export $cab --rules $rules --specialty generaliste --out "$t/no/such/dir/m.lp" 2>"$t/e"
check "export to a missing directory: exit 2, no file" test $? = 2 -a ! -e "$t/no"
cp $cab "$t/clob.json"
"$mutu" solve "$t/clob.json" --rules $rules --out "$t/clob.json" 2>"$t/e"
check "--out naming the input is refused" test $? = 2
check "--out naming the input leaves it intact" cmp -s "$t/clob.json" $cab

# -- inputs --
"$mutu" solve scenarios --rules $rules 2>"$t/e"
check "a directory as cabinet: exit 2, said" test $? = 2
check "a directory as cabinet: the message says so" has "scenarios: is a directory" "$t/e"
"$mutu" batch -q --rules $rules scenarios 2>"$t/e"
check "a directory as batch input: exit 2" test $? = 2
printf '{"name": "z", "extends": "/dev/zero"}' >"$t/zero.json"
timeout 10 "$mutu" solve $cab --rules "$t/zero.json" 2>"$t/e"
check "extends /dev/zero: an error at once" test $? = 2
check "extends /dev/zero: said to be a device" has "is a device" "$t/e"
mkfifo "$t/fifo.json"
printf '{"name": "f", "extends": "fifo.json"}' >"$t/viafifo.json"
timeout 10 "$mutu" solve $cab --rules "$t/viafifo.json" 2>"$t/e"
check "extends naming a FIFO: an error, no hang" test $? = 2
"$mutu" individual - --rules - <$cab 2>"$t/e"
check "two standard inputs: a usage error" has "only one input can be standard input" "$t/e"
MUTU_MAX_INPUT_BYTES=100 "$mutu" solve $cab --rules $rules 2>"$t/e"
check "a file over the input limit: exit 2" test $? = 2
check "a file over the input limit: said" has "larger than the input limit" "$t/e"

# -- loading is n log n: 200 000 keys took 46 s, 100 000 doctors 12 s --
python3 -c '
import json
print(json.dumps({"k%d" % i: i for i in range(200000)}))' >"$t/keys.json"
python3 -c '
import json
d = {"id": "d", "specialty": "generaliste", "sector": "1", "pmt": 900, "fa": 1500}
print(json.dumps({"id": "big", "zone": "zip", "contract_start": "2025-01-01",
                  "doctors": [d] * 100000}))' >"$t/doctors.json"
start=$(date +%s)
timeout 20 "$mutu" solve "$t/keys.json" --rules $rules 2>"$t/e"
check "200 000 unknown keys: exit 2" test $? = 2
timeout 20 "$mutu" solve "$t/doctors.json" --rules $rules 2>"$t/e"
check "100 000 doctors with one id: exit 2" test $? = 2
check "100 000 doctors with one id: said" has "duplicate doctor id" "$t/e"
check "both within 30 s (they took 58 s when quadratic)" test $(($(date +%s) - start)) -le 30

# -- JSON text --
line=$(head -n 1 "$t/pop.jsonl")
printf '\000%s\n%s\000\n' "$line" "$line" >"$t/nul.jsonl"
"$mutu" batch -q --rules $rules "$t/nul.jsonl" >"$t/m"
check "NUL bytes around a line: error records" test "$(grep -c '"error"' "$t/m")" = 2
check "NUL bytes: said with the column" has 'contains a NUL byte at line 1, column' "$t/m"
sed 's/"id":"d1"/"id":"d\\u00001"/' "$t/pop.jsonl" | head -n 1 >"$t/u0.jsonl"
"$mutu" batch -q --rules $rules "$t/u0.jsonl" >"$t/m"
check "a \\u0000 in a string: an error, not a cut id" has 'u0000 escape' "$t/m"
printf '%s\n' "$line" | sed 's/"pmt":/"pmt":00/' >"$t/zero.jsonl"
"$mutu" batch -q --rules $rules "$t/zero.jsonl" >"$t/m"
check "a number with leading zeros: an error" has 'leading zero' "$t/m"
printf '%s\n' "$line" | sed 's/"id":"d1"/"id":"d\xff1"/' >"$t/utf.jsonl"
"$mutu" batch -q --rules $rules "$t/utf.jsonl" >"$t/m"
check "invalid UTF-8: an error, not copied into the output" has 'invalid UTF-8' "$t/m"
python3 -c 'print("[" * 2000 + "]" * 2000)' >"$t/deep.json"
"$mutu" solve "$t/deep.json" --rules $rules 2>"$t/e"
check "too deep nesting: said so" has "nested deeper than 1000 levels" "$t/e"
"$mutu" batch -q --rules $rules "$t/pop.jsonl" >"$t/m"
check "JSON output never holds -0" test -z "$(grep -E '[:,\[]-0([,}\]]|$)' "$t/m")"

# -- messages --
"$mutu" sweep -q --population "$t/pop.jsonl" --rules $rules --vary /mutualisation/floor_shar=0,1 2>"$t/e"
check "--vary with a misspelt pointer: exit 2" test $? = 2
check "--vary with a misspelt pointer: did you mean" has 'did you mean "floor_share"' "$t/e"
cat >"$t/one-option.json" <<EOF
{"name": "one-option", "extends": "$PWD/$rules",
 "options": [{"id": "full", "etp": 1.0, "zones": ["standard", "zip"], "aid": [38000, 28000, 22000],
   "objective": {"p30_p50": 0.35, "p50_p70": 0.26, "p70_p90": 0.175, "p90_p95": 0.125, "p95": 0.05}}],
 "mutualisation": {"aid_reference_option": "full"}}
EOF
"$mutu" individual scenarios/cabinets/rural-pair-zip.json --rules "$t/one-option.json" >/dev/null 2>"$t/e"
check "a variant replacing options loads (no error per base provenance note)" test $? = 0 -a ! -s "$t/e"
"$mutu" sweep --population "$t/pop.jsonl" --rules $rules >/dev/null 2>"$t/e"
check "a sweep says which figures of its rules rest on inferred values" \
	has "figures of convention-2024 rest on inferred values" "$t/e"
"$mutu" sweep -q --population "$t/pop.jsonl" --rules $rules --variant "$t/one-option.json" \
	--variant "$t/one-option.json" 2>"$t/e"
check "the same --variant twice: a usage error" has "given twice" "$t/e"

# -- validate applies the notional conditions of group formation --
"$mutu" solve scenarios/cabinets/rural-pair-zip.json --rules $rules --emit-contract "$t/ct.json" \
	>/dev/null
python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))
c["members"][0]["option"] = "double"
json.dump(c, open(sys.argv[1], "w"))' "$t/ct.json"
"$mutu" validate "$t/ct.json" --cabinet scenarios/cabinets/rural-pair-zip.json --rules $rules \
	--format json >"$t/v" 2>&1
check "a notional option whose requires is not met is an objective finding" \
	has "may not bring option double: .*full" "$t/v"
"$mutu" validate "$t/ct.json" --cabinet scenarios/cabinets/rural-pair-zip.json \
	--rules scenarios/rules/variants/notional-waive.json --format json >"$t/v" 2>&1
check "under notional-waive the same option is no objective finding" \
	sh -c "! grep -q 'may not bring' '$t/v'"

# -- spreadsheets (scenarios/cabinets/CSV.md) --
for fmt in json text csv; do
	"$mutu" solve scenarios/cabinets/msp-tilleuls.csv --rules $rules --format $fmt >"$t/csv.$fmt"
	"$mutu" solve $cab --rules $rules --format $fmt >"$t/json.$fmt"
	check "the template CSV solves as its JSON twin ($fmt)" cmp -s "$t/csv.$fmt" "$t/json.$fmt"
done
"$mutu" individual - --rules $rules <scenarios/cabinets/msp-tilleuls.csv >"$t/csv.ind"
"$mutu" individual $cab --rules $rules >"$t/json.ind"
check "a CSV on standard input is told from JSON" cmp -s "$t/csv.ind" "$t/json.ind"
"$mutu" generate --structures 30 --seed 5 --format csv >"$t/g.csv"
"$mutu" generate --structures 30 --seed 5 >"$t/g.jsonl"
"$mutu" batch -q --rules $rules "$t/g.csv" >"$t/g1"
"$mutu" batch -q --rules $rules "$t/g.jsonl" >"$t/g2"
check "generate --format csv then batch equals the JSON Lines run" cmp -s "$t/g1" "$t/g2"
printf 'cabinet;zone;contract_start;id;specialty;sector;pmt\nc;zip;2025-01-01;d1;generaliste;1;-5\n' >"$t/bad.csv"
"$mutu" solve "$t/bad.csv" --rules $rules 2>"$t/e"
check "a bad CSV cell: exit 2" test $? = 2
check "a bad CSV cell: file:LINE:COLUMN: message" has "bad.csv:2:7: pmt: " "$t/e"

echo "files: $pass passed, $fail failed"
[ $fail = 0 ]
