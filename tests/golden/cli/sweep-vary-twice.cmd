sweep --population tests/golden/data/none.jsonl --rules scenarios/rules/convention-2024.json --vary /mutualisation/floor_share=0 --vary /mutualisation/floor_share=1
