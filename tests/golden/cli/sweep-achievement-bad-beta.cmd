sweep --population tests/golden/data/none.jsonl --rules scenarios/rules/convention-2024.json --achievement beta:0,2
