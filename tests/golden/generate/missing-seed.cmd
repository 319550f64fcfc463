generate --structures 3
