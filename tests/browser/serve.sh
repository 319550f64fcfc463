#!/bin/sh
# The browser test of mutu serve (tests/browser/serve_test.py), run by
# make test.  Skips, saying so, only when Chromium or its driver is not
# installed; .ci/run installs them so that CI always runs it.
MUTU=${1:-build/mutu}
SHOT=${2:-}
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1 ||
	! /usr/bin/python3 -c 'import selenium' 2>/dev/null; then
	echo "browser test SKIPPED: chromium, chromium-driver or python3-selenium is not installed" \
		"(apt-get install chromium chromium-driver python3-selenium)"
	exit 0
fi
if [ -n "$SHOT" ]; then
	exec /usr/bin/python3 "$(dirname "$0")/serve_test.py" "$MUTU" "$SHOT"
fi
# make test keeps the screenshot of the repository unless asked.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
/usr/bin/python3 "$(dirname "$0")/serve_test.py" "$MUTU" "$tmp/serve.png"
