generate --structures 1 --seed 1 --profile tests/golden/generate/no-such-profile.json
