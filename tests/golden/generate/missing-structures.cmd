generate --seed 3
