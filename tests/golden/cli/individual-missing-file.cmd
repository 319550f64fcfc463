individual tests/golden/data/nothing.json --rules tests/golden/data/tiny-rules.json
