simulate scenarios/contracts/tilleuls-pooled-valid.json --cabinet scenarios/cabinets/msp-tilleuls.json --rules scenarios/rules/variants/pooled-objective.json --achievement 0.8 --format json
