#!/usr/bin/env bash
# GET one member beside the bare servlet, in one short run of the built tree ROOT (default: this
# checkout) on PORT (18702): 200 members, WARMUP_SECONDS (60) s of each untimed, then ROUNDS (2) rounds
# of SECONDS_EACH (10) s of each at 64 connections (wrk -t2), printing requests/s and the server's
# CPU per request. After 10 s untimed the JIT compiler still took a fifth to a third of the CPU.
# Run it for two built trees one after the other to compare them in one sitting.
set -euo pipefail
ROOT="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
PORT="${PORT:-18702}"
DIST="$ROOT/runtime/target/enigm-server"; URL="http://127.0.0.1:$PORT"
CLASSPATH="$ROOT/benchmarks/load/target/classes:$(cat "$ROOT/benchmarks/load/target/classpath.txt")"
CONSTANT_JAR="$(ls "$ROOT"/benchmarks/constant-servlet/target/io.enigm.server.bench.constant-*.jar)"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
HOME_DIR="$(mktemp -d)"
RATE_CONF="$DIST/conf/io.enigm.server.http.rate.cfg"
printf 'requestsPerSecond=1000000\nburst=1000000\n' > "$RATE_CONF"
ENIGM_DIST="$DIST" "$ROOT/enigm-server" --home "$HOME_DIR" --port "$PORT" > "$HOME_DIR/server.log" 2>&1 &
SERVER=$!
cleanup() { rm -f "$RATE_CONF" "$DIST/deploy/$(basename "$CONSTANT_JAR")"; kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; rm -rf "$HOME_DIR"; }
trap cleanup EXIT
for _ in $(seq 1 300); do [ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/api/v1/health")" = 200 ] && break; sleep 0.1; done
TOKEN="$(cat "$HOME_DIR/secrets/owner-token")"
load() { java -Xmx1g -cp "$CLASSPATH" io.enigm.server.bench.load.MembershipLoad "$URL" "$HOME_DIR/secrets/owner-token" "$@" 2>/dev/null; }
read -r ENV SID < <(load environment "Large")
load members "$ENV" "$SID" 200 1 16 > /dev/null
cp "$CONSTANT_JAR" "$DIST/deploy/"
for _ in $(seq 1 100); do [ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/bench/constant")" = 200 ] && break; sleep 0.1; done
MEMBER_URL="$URL/api/v1/environments/$ENV/members/$(load first-id "/api/v1/environments/$ENV/members?limit=1")"
WARMUP="${WARMUP_SECONDS:-60}"
wrk -t2 -c64 -d"$WARMUP"s "$URL/bench/constant" > /dev/null
wrk -t2 -c64 -d"$WARMUP"s -H "Authorization: Bearer $TOKEN" "$MEMBER_URL" > /dev/null
JAVA_PID="$(ss -ltnpH "sport = :$PORT" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)"
ticks() { awk '{print $14 + $15}' "/proc/$JAVA_PID/stat"; }
measure() { # label, then wrk's arguments
  local label=$1; shift
  local before; before=$(ticks)
  local out; out=$(wrk -t2 -c64 -d"${SECONDS_EACH:-10}"s "$@")
  local after; after=$(ticks)
  local total; total=$(echo "$out" | awk '/requests in/ {print $1}')
  echo "$label $(echo "$out" | awk '/Requests\/sec/ {print $2}') req/s, server CPU $(( (after - before) * 1000000000 / $(getconf CLK_TCK) / total )) ns/req $(echo "$out" | grep Non-2xx || true)"
}
for round in $(seq 1 "${ROUNDS:-2}"); do
  measure "round $round bare" "$URL/bench/constant"
  measure "round $round GET one member" -H "Authorization: Bearer $TOKEN" "$MEMBER_URL"
done
