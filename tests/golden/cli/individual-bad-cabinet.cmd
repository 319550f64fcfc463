individual tests/golden/data/bad-pmt.json --rules tests/golden/data/tiny-rules.json
