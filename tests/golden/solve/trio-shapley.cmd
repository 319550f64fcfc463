solve tests/golden/data/tiny-trio.json --rules tests/golden/data/tiny-rules.json --sharing shapley
