validate scenarios/contracts/tilleuls-mid-year.json --cabinet scenarios/cabinets/msp-tilleuls.json --rules scenarios/rules/convention-2024.json --format json
