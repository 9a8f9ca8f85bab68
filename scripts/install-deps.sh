#!/usr/bin/env bash
# Installs exactly the Debian 12 packages sunbid needs to build and test.
# Idempotent: packages already present are skipped, and apt is not touched at all
# when nothing is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache g++ clang-14 libclang-rt-14-dev
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev sqlite3 libssl-dev openssl zlib1g-dev libfmt-dev catch2 libcli11-dev
  python3 python3-jsonschema python3-requests curl
  pkg-config libcairo2-dev libpango1.0-dev libqrencode-dev fontconfig fonts-noto-cjk poppler-utils
  chromium
)

# Node.js >= 20 builds and tests the web app (web/). It is checked, never
# apt-installed: Debian 12's nodejs is 18 and would replace the machine's own
# Node (whose package brings npm).
node_major=$(node --version 2>/dev/null | sed -n 's/^v\([0-9]*\)\..*/\1/p')
if [ -z "$node_major" ] || [ "$node_major" -lt 20 ] || ! command -v npm >/dev/null 2>&1; then
  echo "install-deps: the web app needs Node.js >= 20 with npm (found: $(node --version 2>/dev/null || echo none))." >&2
  echo "install-deps: install Node.js 20 or newer (e.g. from nodejs.org or NodeSource), then run this again." >&2
  exit 1
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
