#!/usr/bin/env bash
# The web app's tests (issue 15), run by scripts/test.sh after the C++ suite:
# npm ci, the API types from schemas/openapi.json, vue-tsc, Vitest (shared
# golden vectors in tests/vectors/), vite build, the first-load budget, then
# Playwright in Debian's Chromium against the dev build's
# `sunbid serve --demo --dev-clock` on 127.0.0.1 (no third C++ build).
# Screenshots and results: build/web-tests/ (SUNBID_E2E_OUT).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
start=$(date +%s)
export SUNBID_BIN="${SUNBID_BIN:-$root/build/dev/server/sunbid}"
export SUNBID_E2E_OUT="${SUNBID_E2E_OUT:-$root/build/web-tests}"
[ -x "$SUNBID_BIN" ] || { echo "test-web: $SUNBID_BIN is missing (build the dev preset first)"; exit 1; }
rm -rf "$SUNBID_E2E_OUT"
mkdir -p "$SUNBID_E2E_OUT"

cd web
npm ci --no-audit --no-fund
npm run gen:api
npx vue-tsc --noEmit -p tsconfig.json
npx vitest run
npx vite build
node scripts/budget.mjs
npx playwright test
echo "test-web: passed in $(( $(date +%s) - start )) s; screenshots in $SUNBID_E2E_OUT/screens"
