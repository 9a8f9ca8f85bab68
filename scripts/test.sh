#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what is missing, builds the
# `dev` preset (g++, ASan + UBSan), runs every test through CTest, then builds
# the `fuzz` preset (clang++ 14) and runs each fuzz target for a few seconds on
# its seed corpus. Between the two, the web app's tests (scripts/test-web.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

FUZZ_SECONDS="${SUNBID_FUZZ_SECONDS:-10}"

bash scripts/install-deps.sh

# ccache, when the machine has it (install-deps.sh installs it): a second run
# on the same machine, from any clone, compiles only what changed. Paths are
# made relative to the clone (base_dir) and the build directory is not hashed,
# so two clones share the cache; a cold cache costs nothing extra.
if command -v ccache >/dev/null 2>&1 && [ -z "${CMAKE_CXX_COMPILER_LAUNCHER:-}" ]; then
  export CMAKE_CXX_COMPILER_LAUNCHER=ccache
  export CCACHE_BASEDIR="$PWD"
  export CCACHE_NOHASHDIR=1
fi
start=$(date +%s)
stage() { echo "test.sh: $1 done at $(( $(date +%s) - start )) s"; }

cmake --preset dev
cmake --build --preset dev
stage "dev build"
ctest --preset dev
stage "ctest"

# The web app (web/): types, unit tests, build, budget, and the browser tests
# against the dev build's sunbid (scripts/test-web.sh).
bash scripts/test-web.sh
stage "web tests"

cmake --preset fuzz
cmake --build --preset fuzz
stage "fuzz build"
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
stage "fuzz runs"
echo "test.sh: all tests and fuzz runs passed"
