validate scenarios/contracts/tilleuls-valid.json --rules scenarios/rules/convention-2024.json
