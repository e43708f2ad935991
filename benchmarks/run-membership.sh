#!/usr/bin/env bash
# Issue 4's benchmarks against the assembled server, load from separate processes on loopback:
# member creation rate, member list latency in a large environment (first and last page),
# environment list latency among many environments, GET one member beside a bare servlet.
# Needs a built tree (mvn -DskipTests install) and wrk (apt-get install wrk).
# Sizes: MEMBERS (100000), DEVICES (3 per member), ENVIRONMENTS (10000). Member creation is timed for
# RATE_SECONDS (15) after RATE_WARMUP_SECONDS (20) untimed, at RATE_CONCURRENCY (128) connections.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIST="$ROOT/runtime/target/enigm-server"
PORT="${PORT:-18700}"
MEMBERS="${MEMBERS:-100000}"
DEVICES="${DEVICES:-3}"
ENVIRONMENTS="${ENVIRONMENTS:-10000}"
RATE_SECONDS="${RATE_SECONDS:-15}"
RATE_WARMUP_SECONDS="${RATE_WARMUP_SECONDS:-20}"
RATE_CONCURRENCY="${RATE_CONCURRENCY:-128}"
CONCURRENCY="${CONCURRENCY:-32}"
URL="http://127.0.0.1:$PORT"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
CONSTANT_JAR="$(ls "$ROOT"/benchmarks/constant-servlet/target/io.enigm.server.bench.constant-*.jar)"
CLASSPATH="$ROOT/benchmarks/load/target/classes:$(cat "$ROOT/benchmarks/load/target/classpath.txt")"

HOME_DIR="$(mktemp -d)"
# one client sending as fast as it can is what is measured: lift the per-address request rate (the
# limiter still runs, so its cost is in the numbers)
RATE_CONF="$DIST/conf/io.enigm.server.http.rate.cfg"
printf 'requestsPerSecond=1000000\nburst=1000000\n' > "$RATE_CONF"
ENIGM_DIST="$DIST" "$ROOT/enigm-server" --home "$HOME_DIR" --port "$PORT" > "$HOME_DIR/server.log" 2>&1 &
SERVER=$!
cleanup() { rm -f "$DIST/deploy/$(basename "$CONSTANT_JAR")" "$RATE_CONF"; kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; }
trap cleanup EXIT
for _ in $(seq 1 300); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/api/v1/health")" = 200 ] && break
  sleep 0.1
done
TOKEN="$(cat "$HOME_DIR/secrets/owner-token")"
load() { java -Xmx1g -cp "$CLASSPATH" io.enigm.server.bench.load.MembershipLoad "$URL" "$HOME_DIR/secrets/owner-token" "$@"; }
latency() { # label url
  echo "== $1"
  wrk -t1 -c1 -d10s --latency -H "Authorization: Bearer $TOKEN" "$2" | grep -E '^ +(50|99)%|Requests/sec'
}

echo "== seeding $MEMBERS members with $DEVICES devices each"
read -r BIG BIG_SID < <(load environment "Large")
load members "$BIG" "$BIG_SID" "$MEMBERS" "$DEVICES" "$CONCURRENCY"

# Measured after the seeding above, which has warmed the server's JIT, in an installation that already
# holds it. The client is wrk with member-creation.lua: a JVM client at this rate takes close to half
# of a two-core machine. Device keys are made before each wrk run (more than it can use), not during it.
echo "== member creation (join request + approval, each durable and audited), ${RATE_SECONDS} s after ${RATE_WARMUP_SECONDS} s untimed, $RATE_CONCURRENCY connections"
read -r RATE_ENV RATE_SID < <(load environment "Rate")
member_creation() { # seconds
  java -cp "$CLASSPATH" io.enigm.server.bench.load.MembershipLoad - - keys $(( $1 * 6000 )) "$HOME_DIR/keys.txt"
  KEYS_FILE="$HOME_DIR/keys.txt" SERVER_ID="$RATE_SID" ENVIRONMENT="$RATE_ENV" TOKEN="$TOKEN" WRK_THREADS=2 \
    wrk -t2 -c"$RATE_CONCURRENCY" -d"$1"s -s "$ROOT/benchmarks/member-creation.lua" "$URL" | grep -E '^members:|Non-2xx'
}
member_creation "$RATE_WARMUP_SECONDS" > /dev/null
member_creation "$RATE_SECONDS"
LAST_MEMBERS="$(load last-cursor "/api/v1/environments/$BIG/members")"
latency "members, first page of 50" "$URL/api/v1/environments/$BIG/members?limit=50"
latency "members, last page of 50" "$URL/api/v1/environments/$BIG/members?limit=50&cursor=$LAST_MEMBERS"

echo "== seeding $ENVIRONMENTS environments"
load environments "$ENVIRONMENTS" "$CONCURRENCY"
LAST_ENVIRONMENTS="$(load last-cursor /api/v1/environments)"
latency "environments, first page of 50" "$URL/api/v1/environments?limit=50"
latency "environments, last page of 50" "$URL/api/v1/environments?limit=50&cursor=$LAST_ENVIRONMENTS"
latency "members among $ENVIRONMENTS environments, first page" "$URL/api/v1/environments/$BIG/members?limit=50"

echo "== GET one member beside a bare servlet (wrk -t2 -c$CONCURRENCY, 15 s each, two rounds after 10 s of each untimed)"
cp "$CONSTANT_JAR" "$DIST/deploy/"
for _ in $(seq 1 100); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/bench/constant")" = 200 ] && break
  sleep 0.1
done
MEMBER="$(load first-id "/api/v1/environments/$BIG/members?limit=1")"
MEMBER_URL="$URL/api/v1/environments/$BIG/members/$MEMBER"
# Steady state: both paths are compiled by the JIT before either is measured (10 s each, untimed).
wrk -t2 -c"$CONCURRENCY" -d10s "$URL/bench/constant" > /dev/null
wrk -t2 -c"$CONCURRENCY" -d10s -H "Authorization: Bearer $TOKEN" "$MEMBER_URL" > /dev/null
for round in 1 2; do
  echo "-- round $round: bare servlet"
  wrk -t2 -c"$CONCURRENCY" -d15s "$URL/bench/constant" | grep -E 'Requests/sec'
  echo "-- round $round: GET /environments/{env}/members/{member} (authenticated, authorized, audited)"
  wrk -t2 -c"$CONCURRENCY" -d15s -H "Authorization: Bearer $TOKEN" "$MEMBER_URL" | grep -E 'Requests/sec|Non-2xx'
done
