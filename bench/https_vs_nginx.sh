#!/usr/bin/env bash
# sunbid's HTTPS server against nginx on the same machine (not run in CI).
#
#   bench/https_vs_nginx.sh [--sunbid PATH] [--seconds N] [--keep]
#
# Installs wrk and nginx-light when missing (apt), builds the release
# `sunbid` (unless --sunbid is given), starts `sunbid serve` and nginx on
# 127.0.0.1 (both: ECDSA P-256 self-signed certificate, TLS 1.3, 2 worker
# threads/processes) and measures with wrk (2 threads, 64 connections,
# keep-alive, N s):
#   1. authenticated GET /api/v1/tenders/{id} (GET /api/v1/audit/checkpoint
#      while the tender endpoints do not exist) vs nginx serving a static
#      file of the same size;
#   2. durable POST /api/v1/tenders/{id}/bids across many tenders (Lua
#      script), when the endpoint exists;
#   3. full TLS handshakes/s (Connection: close on every request);
#   4. RSS idle and holding 1,000 idle TLS connections.
# Prints a table with ratios. Numbers from a shared machine are indicative.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DURATION=10
SUNBID=""
KEEP=0
while (($#)); do
  case "$1" in
    --sunbid) SUNBID=$2; shift 2 ;;
    --seconds) DURATION=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    *) echo "usage: $0 [--sunbid PATH] [--seconds N] [--keep]" >&2; exit 2 ;;
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
"$SUNBID" serve --data-dir "$W/data" --listen "127.0.0.1:$SPORT" --threads 2 >"$W/sunbid.log" 2>&1 &
SUNBID_PID=$!
CERT="$W/data/tls-cert.pem"
SBASE="https://127.0.0.1:$SPORT/api/v1"
for _ in $(seq 1 100); do
  if [ -f "$CERT" ] && curl -sf --cacert "$CERT" "$SBASE/health" >/dev/null 2>&1; then break; fi
  sleep 0.1
done
curl -sf --cacert "$CERT" "$SBASE/health" >/dev/null || { cat "$W/sunbid.log" >&2; exit 1; }

# The API client for setup: python3 + requests, the pinned certificate.
api() {  # api METHOD PATH [JSON] [TOKEN] -> prints "STATUS BODY"
  python3 - "$SBASE" "$CERT" "$@" <<'EOF'
import sys, requests
base, cert, method, path = sys.argv[1:5]
body = sys.argv[5] if len(sys.argv) > 5 and sys.argv[5] else None
token = sys.argv[6] if len(sys.argv) > 6 else ""
h = {"Content-Type": "application/json"}
if token:
    h["Authorization"] = "Bearer " + token
r = requests.request(method, base + path, data=body.encode() if body else None, headers=h, verify=cert)
print(r.status_code, r.text)
EOF
}
json_get() { python3 -c 'import json,sys; print(json.loads(sys.stdin.read().split(" ",1)[1])'"$1"')'; }
router_404() { [[ "$1" == 404* && "$1" == *'"code":"not_found"'* ]]; }

ADMIN_TOKEN=$(api POST /sessions "{\"username\":\"admin\",\"password\":\"$ADMIN_PW\"}" | json_get '["token"]')

# Tenders for the GET and the bids (API.md flow; any refusal is reported and
# the tender parts fall back or are skipped).
TENDERS=()
ENT_TOKEN=""
setup_tenders() {
  local n=$1 r
  r=$(api PUT /service-tiers '{"items":[{"code":"T2","name":"二级","min_fen_per_m2_month":100,"max_fen_per_m2_month":400,"required_items":["保洁"]}]}' "$ADMIN_TOKEN")
  [[ "$r" == 2* ]] || { say "setup: PUT /service-tiers → $r"; return 1; }
  r=$(api POST /communities '{"name":"基准小区","district":"思明区","street":"鹭江街道","address":"厦门市思明区鹭江道 1 号"}' "$ADMIN_TOKEN")
  [[ "$r" == 2* ]] || { say "setup: POST /communities → $r"; return 1; }
  local cid; cid=$(echo "$r" | json_get '["id"]')
  local uscc=91350200776049653A
  r=$(api POST /enterprises "{\"uscc\":\"$uscc\",\"name\":\"基准物业有限公司\"}" "$ADMIN_TOKEN")
  [[ "$r" == 2* ]] || { say "setup: POST /enterprises → $r"; return 1; }
  r=$(api PUT /registry/ratings "{\"items\":[{\"uscc\":\"$uscc\",\"credit_grade\":\"AA\",\"credit_score\":9000,\"star_rating\":4,\"blacklisted\":false,\"effective_from\":\"2020-01-01T00:00:00Z\"}]}" "$ADMIN_TOKEN")
  [[ "$r" == 2* ]] || { say "setup: PUT /registry/ratings → $r"; return 1; }
  for who in "tenderer:\"community_id\":\"$cid\"" "enterprise:\"enterprise_uscc\":\"$uscc\""; do
    local role=${who%%:*} extra=${who#*:}
    r=$(api POST /accounts "{\"username\":\"bench.$role\",\"password\":\"bench-password\",\"role\":\"$role\",\"display_name\":\"$role\",$extra}" "$ADMIN_TOKEN")
    [[ "$r" == 2* ]] || { say "setup: POST /accounts $role → $r"; return 1; }
  done
  local tt; tt=$(api POST /sessions '{"username":"bench.tenderer","password":"bench-password"}' | json_get '["token"]')
  ENT_TOKEN=$(api POST /sessions '{"username":"bench.enterprise","password":"bench-password"}' | json_get '["token"]')
  local deadline; deadline=$(date -u -d '+30 days' +%Y-%m-%dT%H:%M:%SZ)
  for i in $(seq 1 "$n"); do
    r=$(api POST /tenders "{\"community_id\":\"$cid\",\"title\":\"基准招标 $i\",\"service_tier\":\"T2\",\"area_centi_m2\":12000000,\"qualification\":{\"min_credit_grade\":\"A\",\"min_star_rating\":3},\"criteria\":[{\"code\":\"plan\",\"title\":\"服务方案\"}],\"committee_size\":5,\"min_valid_bids\":1,\"candidate_cap\":5,\"candidate_cap_method\":\"lowest_price\",\"decision\":{\"method\":\"lowest_price\"},\"beacon_source\":\"上证指数收盘价\",\"bid_deadline\":\"$deadline\",\"reveal_window_s\":86400,\"candidate_publicity_s\":432000,\"vote_window_s\":0,\"award_publicity_s\":432000}" "$tt")
    [[ "$r" == 2* ]] || { say "setup: POST /tenders → $r"; return 1; }
    local tid; tid=$(echo "$r" | json_get '["id"]')
    r=$(api POST "/tenders/$tid/publish" "" "$tt")
    [[ "$r" == 2* ]] || { say "setup: POST /tenders/$tid/publish → $r"; return 1; }
    TENDERS+=("$tid")
  done
}

probe=$(api GET /tenders/none "" "$ADMIN_TOKEN")
GET_NOTE=""
if router_404 "$probe"; then
  GET_PATH=/audit/checkpoint
  GET_NOTE="GET /tenders/{id} does not exist yet: measured GET /audit/checkpoint instead"
elif setup_tenders 50; then
  GET_PATH=/tenders/${TENDERS[0]}
else
  GET_PATH=/audit/checkpoint
  GET_NOTE="tender setup refused (above): measured GET /audit/checkpoint instead"
fi
[ -n "$GET_NOTE" ] && say "note: $GET_NOTE"

# nginx: same kind of certificate, TLS 1.3, static files of the same sizes.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 365 -subj /CN=localhost \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$W/nginx-key.pem" -out "$W/nginx-cert.pem" 2>/dev/null
mkdir -p "$W/www" "$W/nginx-tmp"
chmod 755 "$W/www"
curl -sf --cacert "$CERT" -H "Authorization: Bearer $ADMIN_TOKEN" "$SBASE$GET_PATH" >"$W/get-body"
curl -sf --cacert "$CERT" "$SBASE/health" >"$W/health-body"
head -c "$(stat -c %s "$W/get-body")" /dev/zero | tr '\0' 'a' >"$W/www/get"
head -c "$(stat -c %s "$W/health-body")" /dev/zero | tr '\0' 'a' >"$W/www/health"
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
  }
}
EOF
"$NGINX" -p "$W" -c "$W/nginx.conf" -e "$W/nginx-error.log"
NGINX_STARTED=1
NBASE="https://127.0.0.1:$NPORT"
for _ in $(seq 1 50); do curl -sf --cacert "$W/nginx-cert.pem" "$NBASE/health" >/dev/null 2>&1 && break; sleep 0.1; done
NGINX_PID=$(cat "$W/nginx.pid")

# ---- measurements -----------------------------------------------------------------
# wrk_run NAME ARGS... -> writes $W/NAME.wrk
wrk_run() { local name=$1; shift; wrk -t2 -c64 -d"${DURATION}s" --latency "$@" >"$W/$name.wrk" 2>&1 || true; }
rps() { awk '/^Requests\/sec:/ {print $2}' "$W/$1.wrk"; }
pct() { awk -v p="$2" '$1 == p {print $2}' "$W/$1.wrk"; }
non2xx() { awk '/Non-2xx/ {n = $NF} END {print n + 0}' "$W/$1.wrk"; }
sockerr() { awk '/Socket errors/ {sub(/.*Socket errors: /, ""); e = $0} END {print (e == "" ? "none" : e)}' "$W/$1.wrk"; }
rss_kib() {  # total VmRSS of a process and its children
  local total=0 p
  for p in "$1" $(pgrep -P "$1" || true); do
    total=$((total + $(awk '/^VmRSS:/ {print $2}' "/proc/$p/status")))
  done
  echo "$total"
}

say "wrk: GET $GET_PATH (sunbid) vs static file (nginx), ${DURATION} s each"
wrk_run s_get -H "Authorization: Bearer $ADMIN_TOKEN" "$SBASE$GET_PATH"
wrk_run n_get "$NBASE/get"
say "wrk: full handshakes (Connection: close)"
wrk_run s_hs -H "Connection: close" "$SBASE/health"
wrk_run n_hs -H "Connection: close" "$NBASE/health"

BIDS_NOTE=""
if router_404 "$(api POST /tenders/none/bids '{"commitment_sha256_hex":"'"$(printf 'ab%.0s' $(seq 32))"'"}' "$ADMIN_TOKEN")"; then
  BIDS_NOTE="POST /tenders/{id}/bids does not exist yet: skipped"
elif [ ${#TENDERS[@]} -eq 0 ]; then
  BIDS_NOTE="no tenders could be set up: bids skipped"
else
  lua_list=$(printf '"%s",' "${TENDERS[@]}")
  cat >"$W/bids.lua" <<EOF
-- Durable bid commitments spread over many tenders: one enterprise, a new
-- random commitment each time (a second commitment replaces the first).
local tenders = {${lua_list%,}}
local token = "$ENT_TOKEN"
local n = 0
function setup(thread) thread:set("seed", math.random(1, 1000000)) end
function init(args) math.randomseed(seed) end
function request()
  n = n + 1
  local hex = {}
  for i = 1, 64 do hex[i] = string.format("%x", math.random(0, 15)) end
  local body = '{"commitment_sha256_hex":"' .. table.concat(hex) .. '"}'
  return wrk.format("POST", "/api/v1/tenders/" .. tenders[(n % #tenders) + 1] .. "/bids",
                    {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}, body)
end
EOF
  say "wrk: POST bids over ${#TENDERS[@]} tenders"
  wrk_run s_bids -s "$W/bids.lua" "$SBASE/tenders"
fi

# 1,000 idle TLS connections, held while the RSS is read.
hold_conns() {  # hold_conns PORT CAFILE -> prints RSS (KiB) of PID $3 while 1000 connections are open
  python3 - "$1" "$2" "$3" <<'EOF'
import resource, socket, ssl, sys, time
port, cafile, pid = int(sys.argv[1]), sys.argv[2], sys.argv[3]
resource.setrlimit(resource.RLIMIT_NOFILE, (4096, 4096))
ctx = ssl.create_default_context(cafile=cafile)
ctx.minimum_version = ssl.TLSVersion.TLSv1_3
conns = []
for _ in range(1000):
    s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port)), server_hostname="127.0.0.1")
    conns.append(s)
time.sleep(1)
import subprocess
pids = [pid] + subprocess.run(["pgrep", "-P", pid], capture_output=True, text=True).stdout.split()
total = 0
for p in pids:
    for line in open(f"/proc/{p}/status"):
        if line.startswith("VmRSS:"):
            total += int(line.split()[1])
print(total)
for s in conns:
    s.close()
EOF
}
S_IDLE=$(rss_kib "$SUNBID_PID")
N_IDLE=$(rss_kib "$NGINX_PID")
S_1K=$(hold_conns "$SPORT" "$CERT" "$SUNBID_PID")
N_1K=$(hold_conns "$NPORT" "$W/nginx-cert.pem" "$NGINX_PID")

# ---- the table ---------------------------------------------------------------------
ratio() { python3 -c "import sys; a,b=sys.argv[1:3]; print('%.2f' % (float(a)/float(b)) if a and b and float(b) else 'n/a')" "$1" "$2"; }
mib() { python3 -c "print('%.1f' % ($1/1024))"; }
row() { printf '| %-46s | %14s | %14s | %7s |\n' "$1" "$2" "$3" "$4"; }
echo
echo "sunbid (release, --threads 2) vs nginx $("$NGINX" -v 2>&1 | sed 's/.*nginx\///'); wrk -t2 -c64 -d${DURATION}s, TLS 1.3, ECDSA P-256; $(nproc) cores shared"
[ -n "$GET_NOTE" ] && echo "note: $GET_NOTE"
[ -n "$BIDS_NOTE" ] && echo "note: $BIDS_NOTE"
row "measure" "sunbid" "nginx" "ratio"
row "----" "----" "----" "----"
row "GET ($(stat -c %s "$W/get-body") B body) req/s, keep-alive" "$(rps s_get)" "$(rps n_get)" "$(ratio "$(rps s_get)" "$(rps n_get)")"
row "  p50 latency" "$(pct s_get 50%)" "$(pct n_get 50%)" ""
row "  p99 latency" "$(pct s_get 99%)" "$(pct n_get 99%)" ""
row "  non-2xx answers" "$(non2xx s_get)" "$(non2xx n_get)" ""
row "  socket errors" "$(sockerr s_get)" "$(sockerr n_get)" ""
row "full TLS handshakes/s (Connection: close)" "$(rps s_hs)" "$(rps n_hs)" "$(ratio "$(rps s_hs)" "$(rps n_hs)")"
if [ -f "$W/s_bids.wrk" ]; then
  row "POST bids (durable) req/s" "$(rps s_bids)" "-" ""
  row "  p50 / p99 latency" "$(pct s_bids 50%) / $(pct s_bids 99%)" "-" ""
  row "  non-2xx answers" "$(non2xx s_bids)" "-" ""
fi
row "RSS idle (MiB)" "$(mib "$S_IDLE")" "$(mib "$N_IDLE")" "$(ratio "$S_IDLE" "$N_IDLE")"
row "RSS with 1,000 idle TLS connections (MiB)" "$(mib "$S_1K")" "$(mib "$N_1K")" "$(ratio "$S_1K" "$N_1K")"
row "  per connection (KiB)" "$(((S_1K - S_IDLE) / 1000))" "$(((N_1K - N_IDLE) / 1000))" "$(ratio $((S_1K - S_IDLE)) $((N_1K - N_IDLE)))"
