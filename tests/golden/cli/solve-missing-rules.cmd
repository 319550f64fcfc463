solve tests/golden/data/tiny-pair.json
