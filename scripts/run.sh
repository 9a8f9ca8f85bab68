#!/usr/bin/env bash
# The main job, from a fresh clone: installs what is missing, builds the
# release preset and runs the HTTPS server on https://127.0.0.1:8443/api/v1
# with the demo data (seeded once into ./sunbid-data; the accounts and their
# passwords are printed at that first start) and the development clock
# (POST /api/v1/dev/clock moves time, so the tender's deadline can be reached).
# It builds the web app first (web/dist) and sunbid serves it at
# https://127.0.0.1:8443/ (it prints the URL to open).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target sunbid sunbid-verify
# The web app (web/dist), served by sunbid at https://127.0.0.1:8443/.
(cd web && npm ci --no-audit --no-fund && npm run build)

exec ./build/release/server/sunbid serve --demo --dev-clock --data-dir ./sunbid-data \
  --listen 127.0.0.1:8443
