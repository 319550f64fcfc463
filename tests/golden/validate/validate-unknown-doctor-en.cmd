validate scenarios/contracts/tilleuls-unknown-doctor.json --cabinet scenarios/cabinets/msp-tilleuls.json --rules scenarios/rules/convention-2024.json --lang en
