#!/usr/bin/env bash
# The main job, from a fresh clone: installs what is missing, builds the
# release preset, and runs what sunbid has so far — a durable audit log in
# ./sunbid-data, exported and verified offline against its pinned key.
# (When the HTTPS server lands, this starts `sunbid serve --demo`.)
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target sunbid sunbid-verify

DATA="${SUNBID_DATA_DIR:-./sunbid-data}"
./build/release/server/sunbid audit fill --data-dir "$DATA" --entries "${SUNBID_FILL:-10000}"
./build/release/server/sunbid audit export --data-dir "$DATA" --out "$DATA/export"
./build/release/tools/sunbid-verify log "$DATA/export" --key "$DATA/export/key"
./build/release/tools/sunbid-verify log "$DATA/sunbid.db" --key "$DATA/export/key"
