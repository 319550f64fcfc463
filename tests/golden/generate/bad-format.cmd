generate --structures 5 --seed 1 --format json
