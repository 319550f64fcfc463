generate --structures 5 --seed 11 --profile tests/golden/generate/mini-profile.json
