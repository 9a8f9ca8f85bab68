#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what is missing, builds the
# `dev` preset (g++, ASan + UBSan), runs every test through CTest, then builds
# the `fuzz` preset (clang++ 14) and runs each fuzz target for a few seconds on
# its seed corpus. Between the two, the web app's tests (scripts/test-web.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

FUZZ_SECONDS="${SUNBID_FUZZ_SECONDS:-10}"

bash scripts/install-deps.sh

cmake --preset dev
cmake --build --preset dev
ctest --preset dev

# The web app (web/): types, unit tests, build, budget, and the browser tests
# against the dev build's sunbid (scripts/test-web.sh).
bash scripts/test-web.sh

cmake --preset fuzz
cmake --build --preset fuzz
shopt -s nullglob
for target in build/fuzz/fuzz/fuzz_*; do
  [ -x "$target" ] || continue
  name=$(basename "$target")
  name=${name#fuzz_}
  corpus="fuzz/corpus/$name"
  work=$(mktemp -d)
  [ -d "$corpus" ] && cp -r "$corpus/." "$work/"
  echo "fuzz: $name for ${FUZZ_SECONDS}s"
  "$target" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 "$work" \
    >"$work.log" 2>&1 || { tail -n 60 "$work.log"; echo "fuzz: $name FAILED"; exit 1; }
  grep -E "stat::number_of_executed_units" "$work.log" || true
  rm -rf "$work" "$work.log"
done
echo "test.sh: all tests and fuzz runs passed"
