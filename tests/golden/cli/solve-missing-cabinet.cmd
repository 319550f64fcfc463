solve --rules tests/golden/data/tiny-rules.json
