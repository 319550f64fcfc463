generate --structures 5 --seed 12abc
