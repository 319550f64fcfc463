individual tests/golden/data/accented-names.json --rules tests/golden/data/tiny-rules.json
