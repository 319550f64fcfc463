generate --structures 5 --seed 1 --colour
