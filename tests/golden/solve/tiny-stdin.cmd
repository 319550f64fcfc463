solve - --rules tests/golden/data/tiny-rules.json --format csv < tests/golden/data/tiny-pair.json
