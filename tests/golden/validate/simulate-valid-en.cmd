simulate scenarios/contracts/tilleuls-valid.json --cabinet scenarios/cabinets/msp-tilleuls.json --rules scenarios/rules/convention-2024.json --achievement 0.9 --lang en
