#!/usr/bin/env bash
# Member creation rate (join request + approval, each durable and audited) of the built tree ROOT
# (default: this checkout) on PORT (18703): fresh data home and environment, 20 s untimed, 15 s
# timed, 128 connections, wrk with member-creation.lua. Run it for two built trees alternately to
# compare them in one sitting.
set -euo pipefail
ROOT="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
PORT="${PORT:-18703}"
DIST="$ROOT/runtime/target/enigm-server"; URL="http://127.0.0.1:$PORT"
CLASSPATH="$ROOT/benchmarks/load/target/classes:$(cat "$ROOT/benchmarks/load/target/classpath.txt")"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
HOME_DIR="$(mktemp -d)"
RATE_CONF="$DIST/conf/io.enigm.server.http.rate.cfg"
printf 'requestsPerSecond=1000000\nburst=1000000\n' > "$RATE_CONF"
ENIGM_DIST="$DIST" "$ROOT/enigm-server" --home "$HOME_DIR" --port "$PORT" > "$HOME_DIR/server.log" 2>&1 &
SERVER=$!
cleanup() { rm -f "$RATE_CONF"; kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; rm -rf "$HOME_DIR"; }
trap cleanup EXIT
for _ in $(seq 1 300); do [ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/api/v1/health")" = 200 ] && break; sleep 0.1; done
TOKEN="$(cat "$HOME_DIR/secrets/owner-token")"
load() { java -Xmx1g -cp "$CLASSPATH" io.enigm.server.bench.load.MembershipLoad "$URL" "$HOME_DIR/secrets/owner-token" "$@" 2>/dev/null; }
read -r ENV SID < <(load environment "Rate")
create() { # seconds
  java -cp "$CLASSPATH" io.enigm.server.bench.load.MembershipLoad - - keys $(( $1 * 6000 )) "$HOME_DIR/keys.txt" 2>/dev/null
  KEYS_FILE="$HOME_DIR/keys.txt" SERVER_ID="$SID" ENVIRONMENT="$ENV" TOKEN="$TOKEN" WRK_THREADS=2 \
    wrk -t2 -c128 -d"$1"s -s "$ROOT/benchmarks/member-creation.lua" "$URL" | grep -E '^members:|Non-2xx'
}
create 20 > /dev/null
create 15
