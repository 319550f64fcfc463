solve tests/golden/data/tiny-pair.json --rules tests/golden/data/tiny-rules.json --lang en
