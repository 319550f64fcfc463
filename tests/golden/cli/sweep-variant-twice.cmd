sweep --population tests/golden/data/none.jsonl --rules scenarios/rules/convention-2024.json --variant scenarios/rules/variants/floor-half.json --variant scenarios/rules/variants/floor-half.json
