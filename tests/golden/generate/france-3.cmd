generate --structures 3 --seed 7 --rules scenarios/rules/convention-2024.json
