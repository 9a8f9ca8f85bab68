#!/usr/bin/env bash
# The README's quick start, run as a new user would paste it: the curl session
# is taken verbatim from README.md (the indented block that starts with
# `B=https://`), against `sunbid serve --demo --dev-clock` on a free loopback
# port. The only substitutions are the ones a reader makes: the port, the data
# directory, the build directory of sunbid-verify, and each
# `<printed password of NAME>` replaced by the password the demo printed for
# NAME. Every curl of the session must answer 2xx (curl --fail-with-body), and
# the offline verification must exit 0.
#
#   tests/cli/quickstart_test.sh SUNBID SUNBID_VERIFY README
set -uo pipefail
SUNBID="$(realpath "$1")"
VERIFY="$(realpath "$2")"
README="$(realpath "$3")"
work=$(mktemp -d)
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*"
  [ -f "$work/server.out" ] && { echo "--- server output:"; tail -n 40 "$work/server.out"; }
  exit 1
}

# The curl session: from the line `B=https://...` to the first blank line
# after it, indentation removed.
awk '/^    B=https:\/\//{on=1} on && /^$/{exit} on{sub(/^    /, ""); print}' "$README" \
  >"$work/session.sh"
[ -s "$work/session.sh" ] || fail "README.md has no curl session starting with 'B=https://'"
grep -q 'bids/mine/reveal' "$work/session.sh" || fail "the README's session does not reach the reveal"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cd "$work"
"$SUNBID" serve --demo --dev-clock --data-dir ./sunbid-data --listen "127.0.0.1:$port" \
  >"$work/server.out" 2>&1 &
server_pid=$!
for _ in $(seq 1 300); do
  curl -ksf "https://127.0.0.1:$port/api/v1/health" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || fail "the server exited"
  sleep 0.2
done
curl -ksf "https://127.0.0.1:$port/api/v1/health" >/dev/null || fail "the server did not come up"

# The demo's accounts, as printed once: "  USERNAME PASSWORD ROLE NOTE".
sed -i "s/127\.0\.0\.1:8443/127.0.0.1:$port/g; s#\./build/release/tools/sunbid-verify#$VERIFY#g" \
  "$work/session.sh"
while read -r name; do
  pw=$(awk -v u="$name" '$1 == u && NF >= 3 {print $2; exit}' "$work/server.out")
  [ -n "$pw" ] || fail "the demo printed no password for $name"
  sed -i "s/<printed password of $name>/$pw/g" "$work/session.sh"
done < <(grep -o '<printed password of [a-z0-9]*>' "$work/session.sh" | sed 's/<printed password of //; s/>//' | sort -u)
grep -q '<printed password' "$work/session.sh" && fail "a password placeholder names no demo account"

# Every curl must succeed; a failure shows its body.
cat >"$work/run.sh" <<'EOF'
set -euo pipefail
curl() { command curl -sS --fail-with-body "$@"; }
EOF
cat "$work/session.sh" >>"$work/run.sh"
if ! bash -x "$work/run.sh" >"$work/session.out" 2>&1; then
  cat "$work/session.out"
  fail "the README's curl session stopped at the line above"
fi
grep -q '"revealed"\|"bid_id"' "$work/session.out" || { cat "$work/session.out"; fail "no reveal answer"; }
echo "quick start: $(grep -c 'command curl' "$work/session.out") curl calls of the README passed"
