#!/usr/bin/env bash
# sunbid's HTTPS server against nginx on the same machine (not run in CI).
#
#   bench/https_vs_nginx.sh [--sunbid PATH] [--seconds N] [--runs N] [--keep]
#
# Installs wrk and nginx-light when missing (apt), builds the release
# `sunbid` (unless --sunbid is given), starts `sunbid serve` and nginx on
# 127.0.0.1 (both: ECDSA P-256 self-signed certificate, TLS 1.3, 2 worker
# threads/processes), sets up data through the API (bench/https_bench_setup.py:
# published tenders, enterprises with accounts and sessions) and measures
# with wrk (2 threads, 64 connections, N s), each measurement --runs times
# (default 3), sunbid and nginx alternating, medians reported:
#   1. authenticated GET /api/v1/tenders/{id} (TLS 1.3 keep-alive) vs nginx
#      serving a static file of the same size;
#   2. full TLS handshakes/s (Connection: close on every request) against
#      GET /health and a static file of the same size;
#   3. durable POST /api/v1/tenders/{id}/bids spread over 50 tenders and 16
#      enterprise sessions, random 64-hex commitments (Lua script), p99;
#   4. the OCDS release feed, GET /api/v1/ocds/releases?after=0&limit=20
#      (public, a 20-release package), against the authenticated tender GET
#      of the same run (issue 14: at least 0.5x) and against nginx serving
#      the page's own bytes as a static file; as it is, and with
#      Accept-Encoding: gzip (nginx: gzip_static of the same bytes, gzip -6);
#   5. RSS idle (VmRSS, and its anonymous part RssAnon) and holding 1,000 idle TLS connections
#      (bench/hold_tls_connections.py), before any load.
# Prints a table with ratios and the load average before each run. Numbers
# from a shared machine are indicative; the ratios come from the same run.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DURATION=10
RUNS=3
SUNBID=""
KEEP=0
while (($#)); do
  case "$1" in
    --sunbid) SUNBID=$2; shift 2 ;;
    --seconds) DURATION=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    *) echo "usage: $0 [--sunbid PATH] [--seconds N] [--runs N] [--keep]" >&2; exit 2 ;;
  esac
done

say() { printf '%s\n' "$*" >&2; }

# ---- tools ----------------------------------------------------------------------
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
if ((${#missing[@]})); then
  say "installing ${missing[*]} (apt)"
  # Keep the package's init script from starting a system nginx on :80.
  added_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod +x /usr/sbin/policy-rc.d
    added_policy=1
  fi
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2
  [ "$added_policy" -eq 1 ] && $SUDO rm -f /usr/sbin/policy-rc.d
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

if [ -z "$SUNBID" ]; then
  say "building the release sunbid"
  (cd "$ROOT" && cmake --preset release >/dev/null && cmake --build --preset release --target sunbid -j2 >&2)
  SUNBID="$ROOT/build/release/server/sunbid"
fi

# ---- work dir, servers -------------------------------------------------------------
W=$(mktemp -d /tmp/sunbid-vs-nginx.XXXXXX)
chmod 755 "$W"
SUNBID_PID=""
NGINX_STARTED=0
cleanup() {
  if [ -n "$SUNBID_PID" ] && kill -0 "$SUNBID_PID" 2>/dev/null; then
    kill -TERM "$SUNBID_PID"
    wait "$SUNBID_PID" || true
  fi
  if [ "$NGINX_STARTED" -eq 1 ] && [ -f "$W/nginx.pid" ]; then
    kill -QUIT "$(cat "$W/nginx.pid")" 2>/dev/null || true
  fi
  if [ "$KEEP" -eq 0 ]; then rm -rf "$W"; else say "kept $W"; fi
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
SPORT=$(free_port)
NPORT=$(free_port)
ADMIN_PW="bench-admin-password"

echo "$ADMIN_PW" | "$SUNBID" account add --data-dir "$W/data" --role admin --username admin >/dev/null
# The load comes from one address (wrk, 1,000 held connections) and a few
# accounts bidding thousands of times: the per-address connection cap and the
# per-account bid rate limit (docs/server.md "Limits") are raised for it;
# every other limit keeps its default.
LIMITS='{"max_connections_per_address": 4096, "max_replacements_per_window": 1000000}'
echo "{\"limits\": $LIMITS}" >"$W/sunbid.json"
# --dev-clock: the setup's owners pass the tenders' selection plans by
# motion (a 15-day notice and a 7-day window) before they publish.
"$SUNBID" serve --data-dir "$W/data" --listen "127.0.0.1:$SPORT" --threads 2 --config "$W/sunbid.json" \
  --dev-clock >"$W/sunbid.log" 2>&1 &
SUNBID_PID=$!
CERT="$W/data/tls-cert.pem"
SBASE="https://127.0.0.1:$SPORT/api/v1"
for _ in $(seq 1 100); do
  if [ -f "$CERT" ] && curl -sf --cacert "$CERT" "$SBASE/health" >/dev/null 2>&1; then break; fi
  sleep 0.1
done
curl -sf --cacert "$CERT" "$SBASE/health" >/dev/null || { cat "$W/sunbid.log" >&2; exit 1; }

# Data through the API: 50 published tenders, 16 enterprises with sessions.
N_TENDERS=50
N_ENTERPRISES=16
python3 "$ROOT/bench/https_bench_setup.py" "$SBASE" "$CERT" "$ADMIN_PW" "$N_TENDERS" "$N_ENTERPRISES" \
  >"$W/setup.json"
setup_get() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print('"$1"')' "$W/setup.json"; }
ADMIN_TOKEN=$(setup_get 'd["admin_token"]')
TENDER_LIST=$(setup_get '",".join(chr(34) + t + chr(34) for t in d["tenders"])')
TOKEN_LIST=$(setup_get '",".join(chr(34) + t + chr(34) for t in d["enterprise_tokens"])')
GET_PATH=/tenders/$(setup_get 'd["tenders"][0]')

# nginx: same kind of certificate, TLS 1.3, static files of the same sizes.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 365 -subj /CN=localhost \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$W/nginx-key.pem" -out "$W/nginx-cert.pem" 2>/dev/null
mkdir -p "$W/www" "$W/nginx-tmp"
chmod 755 "$W/www"
curl -sf --cacert "$CERT" -H "Authorization: Bearer $ADMIN_TOKEN" "$SBASE$GET_PATH" >"$W/get-body"
curl -sf --cacert "$CERT" "$SBASE/health" >"$W/health-body"
[ -s "$W/get-body" ] || { say "GET $GET_PATH answered nothing"; exit 1; }
head -c "$(stat -c %s "$W/get-body")" /dev/zero | tr '\0' 'a' >"$W/www/get"
head -c "$(stat -c %s "$W/health-body")" /dev/zero | tr '\0' 'a' >"$W/www/health"
# The OCDS page's own bytes, as a static file (and its gzip, for gzip_static).
curl -sf --cacert "$CERT" "$SBASE/ocds/releases?after=0&limit=20" >"$W/www/ocds"
gzip -6 -k -n "$W/www/ocds"
chmod 644 "$W/www/"*
cat >"$W/nginx.conf" <<EOF
worker_processes 2;
pid $W/nginx.pid;
error_log $W/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $W/nginx-tmp/body;
  proxy_temp_path $W/nginx-tmp/proxy;
  fastcgi_temp_path $W/nginx-tmp/fastcgi;
  uwsgi_temp_path $W/nginx-tmp/uwsgi;
  scgi_temp_path $W/nginx-tmp/scgi;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$NPORT ssl;
    ssl_certificate $W/nginx-cert.pem;
    ssl_certificate_key $W/nginx-key.pem;
    ssl_protocols TLSv1.3;
    ssl_session_cache off;
    ssl_session_tickets off;
    root $W/www;
    default_type application/json;
    gzip_static on;
    gzip_vary on;
  }
}
EOF
"$NGINX" -p "$W" -c "$W/nginx.conf" -e "$W/nginx-error.log"
NGINX_STARTED=1
NBASE="https://127.0.0.1:$NPORT"
for _ in $(seq 1 50); do curl -sf --cacert "$W/nginx-cert.pem" "$NBASE/health" >/dev/null 2>&1 && break; sleep 0.1; done
NGINX_PID=$(cat "$W/nginx.pid")

# ---- measurements -----------------------------------------------------------------
# wrk_run NAME RUN ARGS... -> $W/NAME.RUN.wrk, and the 1-minute load average before it
wrk_run() {
  local name=$1 run=$2
  shift 2
  cut -d' ' -f1 /proc/loadavg >"$W/$name.$run.load"
  wrk -t2 -c64 -d"${DURATION}s" --latency "$@" >"$W/$name.$run.wrk" 2>&1 || true
}
# Medians over the runs; latencies in ms.
to_ms() {
  awk '{v = $1; m = 1; if (v ~ /us$/) m = 0.001; else if (v ~ /ms$/) m = 1; else if (v ~ /s$/) m = 1000;
        gsub(/[a-z]/, "", v); printf "%.2f\n", v * m}'
}
median() { sort -g | awk '{a[NR] = $1} END {if (NR % 2) print a[(NR + 1) / 2]; else if (NR) printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
rps() { for f in "$W/$1".*.wrk; do awk '/^Requests\/sec:/ {print $2}' "$f"; done | median; }
pct() { for f in "$W/$1".*.wrk; do awk -v p="$2" '$1 == p {print $2}' "$f" | to_ms; done | median; }
each_rps() { for f in "$W/$1".*.wrk; do awk '/^Requests\/sec:/ {printf "%d ", $2}' "$f"; done; }
loads() { cat "$W/$1".*.load | tr '\n' ' '; }
non2xx() { cat "$W/$1".*.wrk | awk '/Non-2xx/ {n += $NF} END {print n + 0}'; }
sockerr() { cat "$W/$1".*.wrk | awk '/Socket errors/ {sub(/.*Socket errors: /, ""); e = e $0 "; "} END {print (e == "" ? "none" : e)}'; }
rss_kib() {  # total VmRSS (or the field $2, e.g. RssAnon) of a process and its children
  local total=0 p field=${2:-VmRSS}
  for p in "$1" $(pgrep -P "$1" || true); do
    total=$((total + $(awk -v f="$field:" '$1 == f {print $2}' "/proc/$p/status")))
  done
  echo "$total"
}

cat >"$W/bids.lua" <<LUA
-- Durable bid commitments spread over many tenders and many enterprises, a
-- random 64-hex commitment each time (an enterprise's later commitment to a
-- tender replaces its earlier one).
local tenders = {$TENDER_LIST}
local tokens = {$TOKEN_LIST}
local n = 0
function setup(thread) thread:set("seed", math.random(1, 1000000)) end
function init(args) math.randomseed(seed); n = seed end
function request()
  n = n + 1
  local hex = {}
  for i = 1, 64 do hex[i] = string.format("%x", math.random(0, 15)) end
  local body = '{"commitment_sha256_hex":"' .. table.concat(hex) .. '"}'
  local token = tokens[(math.floor(n / #tenders) % #tokens) + 1]
  return wrk.format("POST", "/api/v1/tenders/" .. tenders[(n % #tenders) + 1] .. "/bids",
                    {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}, body)
end
LUA

S_IDLE=$(rss_kib "$SUNBID_PID")
N_IDLE=$(rss_kib "$NGINX_PID")
S_IDLE_ANON=$(rss_kib "$SUNBID_PID" RssAnon)
N_IDLE_ANON=$(rss_kib "$NGINX_PID" RssAnon)
# Memory first, on servers that have not been under load yet (afterwards the
# heap's high-water mark would hide the connections' own cost).
for run in $(seq 1 "$RUNS"); do
  python3 "$ROOT/bench/hold_tls_connections.py" "$SPORT" "$CERT" "$SUNBID_PID" >"$W/s_1k.$run"
  python3 "$ROOT/bench/hold_tls_connections.py" "$NPORT" "$W/nginx-cert.pem" "$NGINX_PID" >"$W/n_1k.$run"
done
for run in $(seq 1 "$RUNS"); do
  say "run $run/$RUNS (load $(cut -d' ' -f1-3 /proc/loadavg)): GET, handshakes, bids"
  wrk_run s_get "$run" -H "Authorization: Bearer $ADMIN_TOKEN" "$SBASE$GET_PATH"
  wrk_run n_get "$run" "$NBASE/get"
  wrk_run s_hs "$run" -H "Connection: close" "$SBASE/health"
  wrk_run n_hs "$run" -H "Connection: close" "$NBASE/health"
  wrk_run s_bids "$run" -s "$W/bids.lua" "$SBASE/tenders"
  wrk_run s_ocds "$run" "$SBASE/ocds/releases?after=0&limit=20"
  wrk_run n_ocds "$run" "$NBASE/ocds"
  wrk_run s_ocdsz "$run" -H "Accept-Encoding: gzip" "$SBASE/ocds/releases?after=0&limit=20"
  wrk_run n_ocdsz "$run" -H "Accept-Encoding: gzip" "$NBASE/ocds"
done
# Each file: RSS before opening the connections, RSS with them open (the
# heap keeps its high-water mark, so the idle figure is the one before all).
S_1K=$(cat "$W"/s_1k.* | awk '{print $2}' | median)
N_1K=$(cat "$W"/n_1k.* | awk '{print $2}' | median)
S_PER=$(((S_1K - S_IDLE) / 1000))
N_PER=$(((N_1K - N_IDLE) / 1000))

# ---- the table ---------------------------------------------------------------------
ratio() { python3 -c "import sys; a,b=sys.argv[1:3]; print('%.2f' % (float(a)/float(b)) if a and b and float(b) else 'n/a')" "$1" "$2"; }
mib() { python3 -c "print('%.1f' % ($1/1024))"; }
row() { printf '| %-44s | %20s | %20s | %7s |\n' "$1" "$2" "$3" "$4"; }
echo
echo "sunbid (release, --threads 2) vs nginx $("$NGINX" -v 2>&1 | sed 's/.*nginx\///') (2 workers); wrk -t2 -c64 -d${DURATION}s; TLS 1.3, ECDSA P-256; $(nproc) cores shared; median of $RUNS runs"
echo "sunbid limits: defaults but $LIMITS"
echo "1-min load average before each GET run: sunbid $(loads s_get)/ nginx $(loads n_get)"
row "measure" "sunbid" "nginx" "ratio"
row "----" "----" "----" "----"
row "GET /tenders/{id} ($(stat -c %s "$W/get-body") B body) req/s" "$(rps s_get)" "$(rps n_get)" "$(ratio "$(rps s_get)" "$(rps n_get)")"
row "  each run" "$(each_rps s_get)" "$(each_rps n_get)" ""
row "  p50 / p99 latency (ms)" "$(pct s_get 50%) / $(pct s_get 99%)" "$(pct n_get 50%) / $(pct n_get 99%)" ""
row "  non-2xx; socket errors" "$(non2xx s_get); $(sockerr s_get)" "$(non2xx n_get); $(sockerr n_get)" ""
row "full TLS handshakes/s (Connection: close)" "$(rps s_hs)" "$(rps n_hs)" "$(ratio "$(rps s_hs)" "$(rps n_hs)")"
row "  each run" "$(each_rps s_hs)" "$(each_rps n_hs)" ""
row "POST bids (durable), $N_TENDERS tenders, req/s" "$(rps s_bids)" "-" ""
row "  each run" "$(each_rps s_bids)" "-" ""
row "  p50 / p99 latency (ms)" "$(pct s_bids 50%) / $(pct s_bids 99%)" "-" ""
row "  non-2xx; socket errors" "$(non2xx s_bids); $(sockerr s_bids)" "-" ""
row "GET /ocds/releases (20 releases, $(stat -c %s "$W/www/ocds") B) req/s" "$(rps s_ocds)" "$(rps n_ocds)" "$(ratio "$(rps s_ocds)" "$(rps n_ocds)")"
row "  ratio to the tender GET (target >= 0.5)" "$(ratio "$(rps s_ocds)" "$(rps s_get)")" "" ""
row "  each run" "$(each_rps s_ocds)" "$(each_rps n_ocds)" ""
row "  p50 / p99 latency (ms)" "$(pct s_ocds 50%) / $(pct s_ocds 99%)" "$(pct n_ocds 50%) / $(pct n_ocds 99%)" ""
row "  non-2xx; socket errors" "$(non2xx s_ocds); $(sockerr s_ocds)" "$(non2xx n_ocds); $(sockerr n_ocds)" ""
row "  with Accept-Encoding: gzip ($(stat -c %s "$W/www/ocds.gz") B) req/s" "$(rps s_ocdsz)" "$(rps n_ocdsz)" "$(ratio "$(rps s_ocdsz)" "$(rps n_ocdsz)")"
row "  ratio to the tender GET (target >= 0.5)" "$(ratio "$(rps s_ocdsz)" "$(rps s_get)")" "" ""
row "  each run" "$(each_rps s_ocdsz)" "$(each_rps n_ocdsz)" ""
row "  p50 / p99 latency (ms)" "$(pct s_ocdsz 50%) / $(pct s_ocdsz 99%)" "$(pct n_ocdsz 50%) / $(pct n_ocdsz 99%)" ""
row "  non-2xx; socket errors" "$(non2xx s_ocdsz); $(sockerr s_ocdsz)" "$(non2xx n_ocdsz); $(sockerr n_ocdsz)" ""
row "GET ratio of each run pair" "$(for r in $(seq 1 "$RUNS"); do ratio "$(awk '/^Requests\/sec:/ {print $2}' "$W/s_get.$r.wrk")" "$(awk '/^Requests\/sec:/ {print $2}' "$W/n_get.$r.wrk")"; done | tr '\n' ' ')" "" ""
row "RSS idle (MiB)" "$(mib "$S_IDLE")" "$(mib "$N_IDLE")" "$(ratio "$S_IDLE" "$N_IDLE")"
row "  of which anonymous (RssAnon; the rest is mapped files: fonts, libraries)" "$(mib "$S_IDLE_ANON")" "$(mib "$N_IDLE_ANON")" ""
row "RSS with 1,000 idle TLS connections (MiB)" "$(mib "$S_1K")" "$(mib "$N_1K")" "$(ratio "$S_1K" "$N_1K")"
row "  per connection (KiB, (with - idle) / 1,000)" "$S_PER" "$N_PER" "$(ratio "$S_PER" "$N_PER")"
row "RSS after all runs (MiB)" "$(mib "$(rss_kib "$SUNBID_PID")")" "$(mib "$(rss_kib "$NGINX_PID")")" ""
