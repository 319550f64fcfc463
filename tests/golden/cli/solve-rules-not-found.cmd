solve tests/golden/data/tiny-pair.json --rules tests/golden/data/no-such-rules.json
