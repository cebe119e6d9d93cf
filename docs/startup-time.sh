#!/usr/bin/env bash
# Times the command line's start-up: 20 runs each of `java -version`, `resolve env:…`, `doctor`, `token`
# (against a token endpoint on 127.0.0.1 served by python3) and `token --refresh-token` printing the still-valid
# token kept in a token record (in a throw-away file store; no request), as launched by ./bigledger-auth, and
# prints the median wall time of each. Run from the checkout after `./mvnw -B -q -DskipTests package -pl cli -am`.
#   docs/startup-time.sh            the launcher, with the class-data archive
#   BIGLEDGER_AUTH_NO_CDS=1 docs/startup-time.sh   the launcher without it
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${RUNS:-20}"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

port_file="$(mktemp)"
python3 - "$port_file" <<'PY' &
import http.server, json, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get('Content-Length', 0)))
        body = json.dumps({"access_token": "startup-time-token", "token_type": "Bearer", "expires_in": 3600,
                           "refresh_token": "startup-time-refresh-token"}).encode()
        self.send_response(200); self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def log_message(self, *a): pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
open(sys.argv[1], "w").write(str(s.server_port)); s.serve_forever()
PY
server=$!
store="$(mktemp -d)"
trap 'kill $server 2>/dev/null; rm -f "$port_file"; rm -rf "$store"' EXIT
while [ ! -s "$port_file" ]; do sleep 0.05; done
port="$(cat "$port_file")"

# a throw-away sandbox-shaped key, made per run
export BIGLEDGER_API_KEY="blg_test_sk_$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')" BIGLEDGER_COMPANY_ID=company_startup \
  BIGLEDGER_ENVIRONMENT=sandbox BIGLEDGER_CLIENT_ID=startup BIGLEDGER_CLIENT_SECRET=startup-not-a-secret

median() {
  local label="$1"; shift
  local times=()
  "$@" >/dev/null 2>&1 || true   # warm-up: file cache
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s%N); "$@" >/dev/null 2>&1 || true; end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  printf '%-48s median %4d ms  (min %d, max %d, %d runs)\n' "$label" \
    "$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')" \
    "$(printf '%s\n' "${times[@]}" | sort -n | head -1)" "$(printf '%s\n' "${times[@]}" | sort -n | tail -1)" "$runs"
}

median "java -version" "$java" -version
median "bigledger-auth resolve env:BIGLEDGER_API_KEY" "$root/bigledger-auth" resolve env:BIGLEDGER_API_KEY
median "bigledger-auth doctor" "$root/bigledger-auth" doctor
median "bigledger-auth token (loopback endpoint)" "$root/bigledger-auth" token --allow-insecure-loopback \
  --token-endpoint "http://127.0.0.1:$port/oauth/token"

# The token record: a refresh token stored as a record generation, then one request that keeps the access token
# there; the timed runs print it with no request.
chmod 700 "$store"
head -c 32 /dev/urandom > "$store/key"; chmod 600 "$store/key"
export BIGLEDGER_SECRETS_FILE="$store/startup.blgv" BIGLEDGER_SECRETS_KEY_FILE="$store/key"
printf '{"bigledger_token_record":1,"generation":1,"refresh_token":"startup-time-refresh-token"}' \
  | "$root/bigledger-auth" secrets put bigledger/token_record >/dev/null 2>&1
"$root/bigledger-auth" token --refresh-token --allow-insecure-loopback \
  --token-endpoint "http://127.0.0.1:$port/oauth/token" >/dev/null
median "bigledger-auth token (kept in the token record)" "$root/bigledger-auth" token --refresh-token \
  --allow-insecure-loopback --token-endpoint "http://127.0.0.1:9/oauth/token"
